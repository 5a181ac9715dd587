"""Conflicts a sync left for a person: list, show field by field, resolve.

A resolution is applied as a normal change through the database API (history, revision
check, row-level security) by the login that resolves it, and the conflict keeps who
resolved it, when and how. Packages learn the result on their next sync.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from ..db import open_database
from ..db.base import Database
from ..db.errors import DatabaseError, LockWaitError
from ..errors import RoadInfraError
from ..photos import file_sha256, photo_location, stored_suffix
from ..schema.constraints import parent_links
from ..schema.tables import TABLES
from . import children, locks
from .derived import merged_typed, report_derived
from .errors import SyncError
from .merge import OFFICE_DEFAULTS, OFFICE_ONLY
from .package import now_iso, server_login
from .photos import TABLE as PHOTO_TABLE
from .photos import check_photo, content_name, same_attachment
from .rules import merge_rules, rule_bounds
from .values import SYNC_TABLES, canonical, from_readable, readable

CHOICES = ("mine", "theirs")


def _plain(row: Mapping[str, Any]) -> Dict[str, Any]:
    out = {}
    for key, value in row.items():
        out[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def list_conflicts(target: str, include_resolved: bool = False) -> List[Dict[str, Any]]:
    """Conflicts in database ``target`` (open ones unless ``include_resolved``), oldest first:
    those the login may resolve (:func:`outside_area`) and those of its own syncs."""
    with open_database(target) as db:
        where = None if include_resolved else {"status": "open"}
        rows = db.fetch("sync_conflict", where=where, order_by=["created_at"])
        return [_plain(r) for r in visible(db, rows)]


def visible(db: Database, rows: List[Mapping[str, Any]]) -> List[Mapping[str, Any]]:
    """Of the conflicts ``rows``, those the login of ``db`` is shown (``conflicts list``, the
    dock, a sync's ``open_conflicts``): those it may resolve (:func:`outside_area`) and those
    of its own syncs."""
    login = server_login(db) if db.kind == "postgis" else None
    outside = outside_area(db, rows)
    return [r for r in rows if r["id"] not in outside or r["login"] == login]


def show_conflict(target: str, conflict_id: str) -> Dict[str, Any]:
    """One conflict with, per field, its base, mine (the package) and theirs (the server)."""
    with open_database(target) as db:
        row = _conflict(db, conflict_id)
        if row["id"] in outside_area(db, [row]) and row["login"] != server_login(db):
            raise SyncError(outside_area(db, [row])[row["id"]])
        out = _plain(row)
        out["by_field"] = [{"field": f, "base": (row["base"] or {}).get(f),
                            "mine": (row["mine"] or {}).get(f),
                            "theirs": (row["theirs"] or {}).get(f)} for f in row["fields"]]
        return out


def _conflict(db: Database, conflict_id: str) -> Dict[str, Any]:
    try:
        found = db.fetch("sync_conflict", where={"id": conflict_id})
    except DatabaseError:
        found = []
    if not found:
        raise SyncError(f"{db.target}: no conflict {conflict_id!r} (roadinfra conflicts list "
                        "shows their ids)")
    return found[0]


def resolve_conflicts(target: str, conflict_ids: List[str], take: str,
                      fields: Optional[Mapping[str, str]] = None,
                      is_cancelled: Optional[Callable[[], bool]] = None
                      ) -> List[Dict[str, Any]]:
    """Resolve conflicts by taking ``mine`` or ``theirs`` for every field (``fields`` may
    choose per field; a ``fields`` entry applies to the conflicts that have that field, and
    one that none of them has is refused). All in one transaction, all or nothing: a
    conflict whose row the server changed since it was recorded (a field no longer
    ``theirs``, deleted or restored since; any change to a refused change's row) is refused
    when the package's values would be written, and with it every conflict of the call
    (each such one said on its own line). So is, on PostGIS, a conflict on a
    row the login may not edit (another district), unless the login drops its own sync's
    change (takes ``theirs`` for every field). Waits at most :data:`.locks.WAIT_S` for a
    sync or an open edit, cancellable by ``is_cancelled`` meanwhile. Returns what was
    applied per conflict."""
    if take not in CHOICES:
        raise SyncError(f"--take {take!r}: choose mine or theirs")
    for name, choice in (fields or {}).items():
        if choice not in CHOICES:
            raise SyncError(f"--field {name}={choice}: choose mine or theirs")
    if not conflict_ids:
        raise SyncError("give conflict ids, or all")
    with open_database(target) as db:
        try:
            return _resolve(db, conflict_ids, take, fields, is_cancelled)
        except (LockWaitError, *db.integrity_errors) as exc:  # PostGIS: rolled back
            failed = locks.failure(db, exc, "resolve", "nothing resolved")
            if failed is None:
                raise
            raise SyncError(failed[1]) from None


def _resolve(db: Database, conflict_ids: List[str], take: str,
             fields: Optional[Mapping[str, str]],
             is_cancelled: Optional[Callable[[], bool]] = None) -> List[Dict[str, Any]]:
    """:func:`resolve_conflicts` in ``db``, in one transaction (on PostGIS after every sync
    and resolve running meanwhile: :func:`.locks.serialize`)."""
    done, stale = [], []
    login = server_login(db)
    bounds = rule_bounds(merge_rules(db.profile))
    with db.transaction():
        locks.serialize(db, is_cancelled, "resolve")
        found = [_conflict(db, conflict_id) for conflict_id in conflict_ids]
        outside = outside_area(db, found)
        only_theirs = take == "theirs" and set((fields or {}).values()) <= {"theirs"}
        refused = [outside[c["id"]] for c in found if c["id"] in outside
                   and not (only_theirs and c["login"] == login)]  # own change dropped
        if refused:
            raise SyncError("\n".join(refused) + (
                f"\nnothing resolved (of the {len(found)} conflicts given)"
                if len(found) > 1 else ""))
        unknown = set(fields or {}) - {f for row in found for f in row["fields"]}
        if unknown:  # a --field applies to the conflicts that have it
            raise SyncError(f"no field {', '.join(sorted(unknown))} in the conflict"
                            f"{'s' if len(found) > 1 else ''} given (fields: " + ", ".join(
                                sorted({f for row in found for f in row["fields"]})) + ")")
        # every row lock first, in one step that never waits holding any (PostGIS), read
        # from the rows the resolve leaves (an edit_delete's mine names no parent)
        taking = [(c["table_name"], str(c["row_id"]), _taken_values(c, take, fields))
                  for c in found if c["status"] == "open" and c["table_name"] in TABLES
                  and any((fields or {}).get(f, take) == "mine" for f in c["fields"])]
        written = children.as_written(db, taking)
        deleted = [(t, i) for t, i, mine in taking if mine.get("deleted")]
        live = children.made_live(written, deleted, restoring=True)
        children.hold(db, written, deleted, live)
        _refuse_deleted_parents(db, found, live, len(conflict_ids))
        # parents before children (a child restored under a deleted parent is refused by
        # the database's live-parent guard); the given order within a table
        for row in sorted(found, key=lambda c: SYNC_TABLES.index(c["table_name"])
                          if c["table_name"] in SYNC_TABLES else len(SYNC_TABLES)):
            conflict_id = row["id"]
            if row["status"] != "open":
                raise SyncError(f"conflict {conflict_id}: already resolved by "
                                f"{row['resolved_by']}")
            choice = {f: (fields or {}).get(f, take) for f in row["fields"]}
            newer = _open_later(db, row, choice)
            if newer:
                stale.append(newer)
                continue
            db.warnings = []
            try:
                applied = _apply(db, row, choice, login, bounds)
            except _StaleError as exc:
                stale.append(str(exc))
                continue
            entry = {"id": row["id"], "table": row["table_name"], "row_id": row["row_id"],
                     "choice": choice, "applied": applied, "derived": []}
            report_derived(entry, row["row_id"], db.warnings)
            db.update("sync_conflict", row["id"], {
                "status": "resolved", "resolved_at": now_iso(), "resolved_by": login,
                "resolution": dict(choice, **_written(db, row, applied))})
            done.append(entry)
        if stale:  # all or nothing: the transaction is rolled back
            raise SyncError("\n".join(stale) + (
                f"\nnothing resolved (of the {len(conflict_ids)} conflicts given)"
                if len(conflict_ids) > 1 else ""))
    return done


def _taken_values(conflict: Mapping[str, Any], take: str,
                  fields: Optional[Mapping[str, str]]) -> Dict[str, Any]:
    """The package's values a resolve writes of ``conflict``: its ``mine`` less the fields
    taken ``theirs`` (every field of a new row, which is taken whole or not at all)."""
    return {f: v for f, v in (conflict["mine"] or {}).items()
            if f not in conflict["fields"] or (fields or {}).get(f, take) == "mine"}


def _refuse_deleted_parents(db: Database, found: List[Mapping[str, Any]],
                            live: List[Tuple[str, str, Mapping[str, Any]]], given: int) -> None:
    """Refuse (:class:`SyncError`, nothing resolved) a resolve that would bring rows back,
    or insert them, under a parent the server deleted (one not brought back by the same
    call): every such conflict on its own line, with its row and the parent. The parents
    are held (:func:`.children.hold`): live, they stay live until the commit."""
    gone = children.deleted_parents(db, live, reviving={(t, i) for t, i, _ in live})
    if not gone:
        return
    lines = []
    for conflict in found:
        parent = gone.get((conflict["table_name"], str(conflict["row_id"])))
        if parent is None:
            continue
        label = f"{conflict['table_name']} {conflict.get('row_code') or conflict['row_id']}"
        lines.append(f"conflict {conflict['id']}: {label}: its parent {parent} is deleted on "
                     f"the server: restore {parent} in the office first, then take mine (or "
                     "take theirs to drop the package's row)")
    raise SyncError("\n".join(lines) + (f"\nnothing resolved (of the {given} conflicts "
                                        "given)" if given > 1 else ""))


def outside_area(db: Database, conflicts: List[Mapping[str, Any]]) -> Dict[str, str]:
    """{conflict id: why} of the ``conflicts`` whose row the login may not edit: its
    district (the row's on the server, else the district the package gave it) is not one
    of the login's. PostGIS decides, with the functions its row-level security on
    ``sync_conflict`` uses (``roadinfra_may_resolve``, schema 11; here without the own-sync
    exception, which the callers apply per action). A GeoPackage has no areas: nothing is
    outside."""
    if db.kind != "postgis" or not conflicts:
        return {}
    out = {}
    for conflict_id, may, area, table, label in db._query(
            "SELECT id::text, roadinfra_may_resolve(table_name, row_id, mine, NULL), "
            "roadinfra_conflict_district(table_name, row_id, mine), table_name, "
            "coalesce(row_code, row_id::text) FROM sync_conflict WHERE id = ANY(%s::uuid[])",
            ([str(c["id"]) for c in conflicts],)):
        if not may:
            out[conflict_id] = (f"conflict {conflict_id}: {table} {label} is in district "
                                f"{area or '(province)'}, which this login may not edit: an "
                                "editor of that district resolves it")
    return out


def _written(db: Database, conflict: Mapping[str, Any], applied: Mapping[str, Any]
             ) -> Dict[str, Any]:
    """What a resolve records besides the choice: the row's ``revision`` after the package's
    values were written (none when the server's stay), which the package's later conflicts
    on the row expect (:func:`_expected`) instead of the one they recorded."""
    if not applied:
        return {}
    rows = db.fetch(conflict["table_name"], where={"id": conflict["row_id"]},
                    include_deleted=True)
    return {"revision": rows[0]["revision"]} if rows else {}


class _StaleError(Exception):
    """The server's row no longer holds what a conflict recorded as ``theirs``."""


def _check_still_theirs(db: Database, conflict: Mapping[str, Any], table,
                        current: Mapping[str, Any]) -> None:
    """Refuse (:class:`_StaleError`) to write a conflict's ``mine`` over a row the server changed
    since the conflict was recorded: its fields no longer ``theirs``, or deleted / restored
    since; of a delete (``mine``), any change to the row since (its recorded ``revision``)
    or to the rows under it (added or changed after the conflict was recorded), which its
    tombstone would drop; of an edit against a delete (``theirs`` only the row's state),
    any change to the row since (its revision), newer than the package's values. A refused
    update writes only its own fields, so the row's other fields changed since (by the
    office, or by taking another package's conflict on the row) do not make it stale. What
    the server is expected to hold is ``theirs`` with the package's own values of its
    earlier conflicts on the row taken since (:func:`_expected`, the revision their resolve
    left); a new row the server refused (no ``theirs``) is expected only as those left it;
    a refused delete recorded without a revision (before they were kept) is expected with
    its base values."""
    theirs = _expected(db, conflict)
    where = f"conflict {conflict['id']}: {table.name} {conflict.get('row_code') or current['id']}"
    look = f"look again (roadinfra conflicts show {conflict['id']})"
    if theirs is None:
        raise _StaleError(f"{where}: made on the server since the conflict was recorded: {look}")
    revision = theirs.pop("revision", None)
    deleted = current.get("deleted_at") is not None
    state_only = set(theirs) == {"deleted"}
    if state_only:  # the row's state is what the conflict is about
        if deleted != bool(theirs["deleted"]) and not deleted \
                and not (conflict["mine"] or {}).get("deleted") \
                and _restored_with_parent(db, table, current, revision):
            revision = current.get("revision")  # back as it was deleted: not a change
        elif deleted != bool(theirs["deleted"]):
            now, then = ("deleted", "live") if deleted else ("restored", "deleted")
            raise _StaleError(f"{where}: {now} on the server since the conflict was recorded "
                              f"(it was {then}): {look}")
        # recorded before refusals kept the row's revision: its base values are compared
        theirs = {f: v for f, v in (conflict.get("base") or {}).items() if f != "deleted"} \
            if revision is None and conflict["kind"] == "refused" and not deleted else {}
    elif deleted:
        raise _StaleError(f"{where}: deleted on the server since the conflict was recorded: {look}")
    now = readable(table, canonical(table, current))
    changed = [f"field {name} changed on the server since the conflict was recorded (now "
               f"{now[name]!r}, recorded {theirs[name]!r})" for name in _changed_names(theirs, now)]
    if changed:  # the crew's values are in the conflict only: re-entered by hand
        raise _StaleError(f"{where}: {'; '.join(changed)}: take theirs to close it (and "
                          "enter the package's value in the office if it should still be "
                          f"kept: {_mine_values(conflict, _changed_names(theirs, now))})")
    moved = revision is not None and current.get("revision") != revision
    if (conflict["mine"] or {}).get("deleted"):  # a delete drops any change since
        later = children.changed_since(db, (table.name, str(current["id"])),
                                       conflict["created_at"])
        if moved or later:
            what = (f"changed on the server since the conflict was recorded (revision "
                    f"{current.get('revision')}, recorded {revision})" if moved else
                    "rows under it added or changed on the server since the conflict was "
                    f"recorded ({', '.join(later)})")
            raise _StaleError(f"{where}: {what}: its delete would drop that change, take "
                              "theirs to close it (and delete the row in the office if it "
                              "should still go)")
    elif state_only and moved:  # deleted or restored and edited since: newer than the crew's
        enter = ("restore the row in the office and enter the package's value there" if deleted
                 else "enter the package's value in the office")
        raise _StaleError(f"{where}: changed on the server since the conflict was recorded "
                          f"(revision {current.get('revision')}, recorded {revision}): take "
                          f"theirs to close it (and {enter} if it should still be kept: "
                          f"{_mine_values(conflict)})")


def _restored_with_parent(db: Database, table, current: Mapping[str, Any],
                          revision: Optional[int]) -> bool:
    """Whether the row's only change since ``revision`` (the tombstone a conflict
    recorded) is the restore that came with its parent's (the cascade of the parent's
    restore, which brings back the children deleted with it: the same tombstone time, the
    same login: by a resolve taking mine on the parent, in the same call or before, or in the
    office): the row holds again what it held when deleted, so taking the package's edit is
    what taking it on the tombstone would have written."""
    if revision is None:
        return False
    since = [h for h in db.history(table.name, str(current["id"]))
             if (h.get("revision") or 0) > revision]
    if len(since) != 1 or since[0]["operation"] != "RESTORE":
        return False
    def tombstone(entry: Mapping[str, Any]) -> tuple:  # a cascade: the parent's tombstone
        return (entry["changed_by"], (entry.get("old_values") or {}).get("deleted_at"))

    restore = tombstone(since[0])
    return restore[1] is not None and any(
        h["operation"] == "RESTORE" and tombstone(h) == restore
        for parent, parent_id in children.parent_keys(table.name, current)
        for h in db.history(parent, parent_id))


def _changed_names(theirs: Mapping[str, Any], now: Mapping[str, Any]) -> List[str]:
    """The fields of ``theirs`` whose value ``now`` differs."""
    return [name for name in sorted(theirs) if name in now and now[name] != theirs[name]]


def _mine_values(conflict: Mapping[str, Any], names: Optional[List[str]] = None) -> str:
    """The package's values of a conflict (of ``names``, else all its fields), as said."""
    mine = conflict["mine"] or {}
    return ", ".join(f"{name} {mine.get(name)!r}" for name in (names or conflict["fields"]))


def _expected(db: Database, conflict: Mapping[str, Any]) -> Optional[Dict[str, Any]]:
    """The conflict's fields as the server should hold them now: ``theirs`` (None for a new
    row, which the server did not have), over which the ``mine`` values taken since it was
    recorded from the same package's earlier conflicts on the row (the package's later
    conflict carries them on). Refuses (:class:`_StaleError`) a conflict one of whose later
    ones on the row was taken already for one of its fields (or either is the row's delete
    or restore): its values are older than the row's; a later one taken for other fields
    leaves it to be checked as any."""
    others = [c for c in db.fetch("sync_conflict", where={
        "table_name": conflict["table_name"], "row_id": conflict["row_id"],
        "replica_id": conflict["replica_id"], "status": "resolved"}, order_by=["created_at"])
        if c["id"] != conflict["id"] and "mine" in (c["resolution"] or {}).values()]
    later = [c for c in others if c["created_at"] > conflict["created_at"]
             and (_taken(c) & set(conflict["fields"]) or _state_change(c)
                  or _state_change(conflict))]
    if later:
        shared = sorted(_taken(later[-1]) & set(conflict["fields"]))
        raise _StaleError(
            f"conflict {conflict['id']}: {conflict['table_name']} "
            f"{conflict.get('row_code') or conflict['row_id']}: the package's later conflict "
            f"{later[-1]['id']} on this row was taken already"
            + (f" for {', '.join(shared)}" if shared else "")
            + ", these values are older: take theirs to close it (and enter the package's "
            f"value in the office if it should still be kept: {_mine_values(conflict)})")
    theirs = dict(conflict["theirs"]) if conflict["theirs"] else None
    if theirs is None and conflict.get("base"):  # recorded before refusals kept theirs
        theirs = {f: False if f == "deleted" else conflict["base"].get(f)
                  for f in conflict["fields"]}
    fields = set(theirs or conflict["fields"]) - {"revision"}
    made_offline = not any(c.get("base") for c in [conflict, *others])
    for other in others:
        if other["resolved_at"] is not None and other["resolved_at"] > conflict["created_at"]:
            # a code of a row made offline: the server gave it its final one
            taken = {f: (other["mine"] or {}).get(f) for f, c in other["resolution"].items()
                     if c == "mine" and f in fields and not (f == "code" and made_offline)}
            if theirs and "revision" in theirs and "revision" in other["resolution"]:
                taken["revision"] = other["resolution"]["revision"]
            theirs = dict(theirs or {}, **taken)
    return theirs


def _open_later(db: Database, conflict: Mapping[str, Any],
                choice: Mapping[str, str]) -> Optional[str]:
    """Why taking the package's values of ``conflict``, one that kept a row made offline
    off the server under a deleted parent (``edit_delete``, no base), is refused while a
    later such conflict of the same package on the row is open, given in the same call or
    not: its values are newer, and this one would insert the row that one then cannot.
    None when there is none (other conflicts: a later one taken after this one wins)."""
    if "mine" not in choice.values() or conflict["kind"] != "edit_delete" \
            or conflict.get("base"):
        return None
    for other in db.fetch("sync_conflict", where={
            "table_name": conflict["table_name"], "row_id": conflict["row_id"],
            "replica_id": conflict["replica_id"], "kind": "edit_delete", "status": "open"},
            order_by=["created_at"]):
        if other["created_at"] > conflict["created_at"] and not other.get("base"):
            return (f"conflict {conflict['id']}: {conflict['table_name']} "
                    f"{conflict.get('row_code') or conflict['row_id']}: the package's later "
                    f"conflict {other['id']} on this row is open and holds newer values: "
                    "take that one, and theirs for this one")
    return None


def _taken(conflict: Mapping[str, Any]) -> set:
    """The fields a resolved conflict took from the package (``mine``)."""
    return {f for f, c in (conflict["resolution"] or {}).items() if c == "mine"}


def _state_change(conflict: Mapping[str, Any]) -> bool:
    """True for a conflict about the row's delete or restore (its only field ``deleted``,
    or the package deleted the row)."""
    return set(conflict["fields"]) == {"deleted"} or bool((conflict["mine"] or {}).get("deleted"))


def _apply(db: Database, conflict: Mapping[str, Any], choice: Mapping[str, str],
           login: str, bounds: Mapping[str, Mapping[str, str]]) -> Dict[str, Any]:
    """Write the chosen values; returns them (empty when the server's values stay). Of a
    ``photo`` conflict (the package's file missing or damaged) the file cannot be taken;
    its other fields (the caption the crew typed) can, as any field: the next sync then
    drops the package's held edit (its ``file_path`` resolved ``theirs``) and takes the
    server's row, those fields included."""
    table = TABLES[conflict["table_name"]]
    mine = conflict["mine"] or {}
    chosen = [f for f, c in choice.items() if c == "mine"]
    if not chosen:
        return {}  # theirs is what the server holds
    label = f"{table.name} {conflict.get('row_code') or conflict['row_id']}"
    if conflict["kind"] == "code":
        _refuse_code(db, table, conflict, label)
    if conflict["kind"] == "photo" and "file_path" in chosen:
        others = [f for f in conflict["fields"] if f != "file_path"]
        keep = (f"; its other fields can be kept without it: --take theirs --field "
                f"{others[0]}=mine" if others else "")
        raise SyncError(f"conflict {conflict['id']}: the package's photo file is missing or "
                        "damaged, there is no file to take: put it back in the package and "
                        f"sync again (take theirs for file_path to close the conflict{keep})")
    if table.name == PHOTO_TABLE and "file_path" in chosen and not mine.get("deleted"):
        _check_stored(db, conflict, mine.get("file_path"))
    rows = db.fetch(table.name, where={"id": conflict["row_id"]}, include_deleted=True)
    # a row the package made that the server refused, or kept off under a deleted parent
    new_row = not rows and conflict["kind"] in ("refused", "edit_delete") \
        and not conflict.get("base") and not mine.get("deleted")
    office = [f for f in OFFICE_ONLY.get(table.name, ()) if f in chosen
              and not (new_row and mine.get(f) == OFFICE_DEFAULTS[f])]
    if office:
        raise SyncError(
            f"conflict {conflict['id']}: {label}: {', '.join(office)} "
            f"{'is' if len(office) == 1 else 'are'} set in the office "
            "with roadinfra plan status (which checks the step and records who and when), "
            "never by a resolve: take theirs for them (" + " ".join(
                f"--field {f}=theirs" for f in office) + ")")
    if new_row:
        return _insert_refused(db, table, conflict, chosen, login)
    if not rows:
        raise SyncError(f"conflict {conflict['id']}: {table.name} {conflict['row_id']} is "
                        "not in the database")
    current = rows[0]
    _check_still_theirs(db, conflict, table, current)
    if mine.get("deleted"):  # the package deleted it
        if current.get("deleted_at") is None:
            db.tombstone(table.name, current["id"], user=login, revision=current["revision"])
        return {"deleted": True}
    _check_parents_kept_off(db, conflict, label, {f: mine.get(f) for f in chosen})
    values = from_readable(table, {f: mine.get(f) for f in chosen})
    said = None
    if not conflict.get("base") and values.get("code") and values["code"] != current.get("code"):
        # a row made offline, on the server from its earlier conflict: its code stays final
        values["code"], said = _free_code(db, table, conflict, values["code"], current["code"])
    # deriving keeps what the merge left, as in a sync (docs/sync.md)
    typed = merged_typed(table.name, current, values)
    if current.get("deleted_at") is not None:
        _restore(db, table.name, current, values, login, typed, bounds)
    else:
        db.update(table.name, current["id"], values, user=login,
                  revision=current["revision"], typed=typed, bounds=bounds)
    out = {f: values.get(f, mine.get(f)) if f == "code" else mine.get(f) for f in chosen}
    return dict(out, note=said) if said else out


def _refuse_code(db: Database, table, conflict: Mapping[str, Any], label: str) -> None:
    """A code conflict cannot be taken ``mine``: the server assigns the final code of a row
    made offline, and the package's code is another row's."""
    theirs = conflict["theirs"] or {}
    other = db.fetch(table.name, where={"id": theirs.get("row_id")}) \
        if theirs.get("row_id") else []
    holder = f"{table.name} {theirs['row_id']}" if other else "another row"
    now = db.fetch(table.name, where={"id": conflict["row_id"]})
    final = now[0]["code"] if now else "its final code"
    raise SyncError(f"conflict {conflict['id']}: {label}: the code "
                    f"{(conflict['mine'] or {}).get('code')} is used by {holder}; the server "
                    f"gave this row {final}, which stays: take theirs to close the conflict "
                    "(or rename a row in the office)")


def _free_code(db: Database, table, conflict: Mapping[str, Any], code: str,
               current: Optional[str] = None) -> Tuple[str, Optional[str]]:
    """The code a row made offline gets when taken: ``code`` when no other live row has it,
    else ``current`` (the final code the row already has, ``code-N``), else the first free
    ``code-N``, as a sync gives it (:func:`.engine._final_code`). (code, the sentence saying
    so when it is not ``code``)."""
    from .engine import _final_code, _live_codes

    codes = _live_codes(db, [table.name])[table.name]
    report: Dict[str, list] = {"codes": []}
    if current and current.startswith(f"{code}-") and codes.get(current) == conflict["row_id"]:
        final = current
    else:
        final = _final_code({k: v for k, v in codes.items() if v != conflict["row_id"]},
                            table.name, conflict["row_id"], code, report)[0]
    if final == code:
        return code, None
    return final, (f"code {code} is already used by another {table.name} row; the server "
                   f"gave this row {final}")


def _check_stored(db: Database, conflict: Mapping[str, Any], file_path: Any) -> None:
    """Refuse (:class:`SyncError`) to take an attachment's ``file_path`` from ``mine``
    unless its file is whole in the provincial photo store: the sync that recorded the
    conflict copied it there (content-addressed, its sha256 its name), but a row must never
    point to nothing (removed from the store since, a store moved)."""
    named = content_name(file_path)
    digest = named[0] if named else None
    try:
        root = photo_location(db)[1]
    except RoadInfraError as exc:
        root, problem = None, str(exc).splitlines()[0]
    if root is not None:
        if not file_path:
            problem = "no file named"
        else:
            problem = check_photo(root / str(file_path), digest)[1]
    if problem:
        label = conflict.get("row_code") or conflict["row_id"]
        raise SyncError(f"conflict {conflict['id']}: {PHOTO_TABLE} {label}: its photo "
                        f"{file_path} (sha256 {digest or 'not in its name'}) is not in the "
                        f"provincial photo store ({problem}): put the file back in the "
                        "store under that name and resolve again, or take theirs; nothing "
                        "resolved")


def _check_parents_kept_off(db: Database, conflict: Mapping[str, Any], label: str,
                            fields: Mapping[str, Any]) -> None:
    """Refuse to write ``fields`` (a new row, or a row moved) under a parent that is not on
    the server because the package's own conflict keeps it off (a row made offline under a
    row made offline, kept off with it): that one is to be taken first."""
    for parent, parent_id in children.parent_keys(conflict["table_name"], fields):
        if db.fetch(parent, where={"id": parent_id}, include_deleted=True):
            continue
        keeping = db.fetch("sync_conflict", where={
            "replica_id": conflict["replica_id"], "table_name": parent, "row_id": parent_id,
            "status": "open"})
        if keeping:
            raise SyncError(f"conflict {conflict['id']}: {label}: its parent {parent} "
                            f"{parent_id} is not on the server, kept off by conflict "
                            f"{keeping[0]['id']}: take mine on that one first, or with this "
                            "one (or take theirs to drop the package's row)")


def _insert_refused(db: Database, table, conflict: Mapping[str, Any], chosen: List[str],
                    login: str) -> Dict[str, Any]:
    """Take a row the package made that the server refused (another district's, say) or
    kept off because its parent was deleted there (once the parent is restored: refused
    while it is deleted): inserted from ``mine`` under the resolver's login, a logged insert
    as any. A new row is taken whole: every field mine, or none."""
    mine = conflict["mine"]
    label = f"{table.name} {conflict.get('row_code') or conflict['row_id']}"
    if set(chosen) != set(conflict["fields"]):
        what = "the server refused" if conflict["kind"] == "refused" else "the package made"
        raise SyncError(f"conflict {conflict['id']}: {label} is a new row {what}: "
                        "take it whole (--take mine) or not at all (--take theirs)")
    _check_parents_kept_off(db, conflict, label, mine)
    if table.name == PHOTO_TABLE:
        same = same_attachment(db, mine, conflict["row_id"], _stored_digest(db))
        if same is not None:
            raise SyncError(f"conflict {conflict['id']}: {label}: the same photo "
                            f"({mine.get('file_path')}) is attached to {mine.get('target_table')} "
                            f"{mine.get('target_id')} on the server already ({PHOTO_TABLE} "
                            f"{same}): take theirs to close the conflict")
    values = from_readable(table, mine)
    values["id"] = conflict["row_id"]
    out = dict(mine)
    if values.get("code") and "code" in table.column_names:
        values["code"], said = _free_code(db, table, conflict, values["code"])
        if said:
            out["code"] = values["code"]
            out["note"] = said
    db.insert(table.name, [values], user=login)
    return out


def _stored_digest(db: Database):
    """(sha256, suffix) of a photo of the provincial store by its path (one stored under
    another name than its sha256), None when it cannot be read."""
    try:
        root = photo_location(db)[1]
    except RoadInfraError:
        root = None

    def digest(path: Any) -> Optional[Tuple[str, str]]:
        source = root / str(path) if root is not None and path else None
        if source is None or not source.is_file():
            return None
        try:
            return file_sha256(source), stored_suffix(path)
        except OSError:
            return None
    return digest


def _restore(db: Database, table: str, current: Mapping[str, Any], values: Dict[str, Any],
             login: str, typed: set, bounds: Mapping[str, Mapping[str, str]]) -> None:
    """Bring a tombstoned row back with ``values`` (the database's logged RESTORE, under the
    parent ``values`` name if the crew moved it, then the edit), in one transaction."""
    links = [column for column, _ in parent_links(TABLES[table])]
    attached = TABLES[table].attached_to
    links += list(attached) if attached is not None else []
    owners = {c: values[c] for c in links if c in values and values[c] != current.get(c)}
    with db.transaction():
        db.restore(table, current["id"], user=login, revision=current["revision"],
                   owners=owners)
        fresh = db.fetch(table, where={"id": current["id"]})[0]
        restored = list(db.warnings)
        db.update(table, current["id"], values, user=login, revision=fresh["revision"],
                  typed=typed, bounds=bounds)
        db.warnings[:0] = restored
