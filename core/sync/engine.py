"""``roadinfra sync``: send a package's changes, bring back the server's, in one changeset.

Order of a sync (each step safe to be killed in):

1. the package is checked (ours, whole, this schema, base digest as the server registered
   it) and locked for writing (one SQLite transaction until step 4);
2. its changes since the base are captured and merged per field against the server's rows
   (:mod:`.merge`); in ONE server transaction (on PostGIS one sync or resolve at a time,
   the rows its decisions rest on locked: :mod:`.locks`) the merged changes are written
   through the database API (so the server's triggers, history, revision checks and
   row-level security apply), conflicts and refusals are stored in ``sync_conflict``, and
   the changeset and the new base digest are recorded;
3. the server commits;
4. the package takes the server's state of every row it holds and its new base, and
   commits.

Killed before 3: the server has nothing, the package is as it was. Killed between 3 and 4:
the package still has its old base (the server accepts it: the changeset's digest before),
the next sync finds the changeset already applied (its id is derived from the package's
base, its changes and the changeset it last took) and only brings the server's state back
(and registers the package's new base); a three-way merge of an applied
change is "both sides equal" in any case, so nothing is applied twice.
"""

from __future__ import annotations

import errno
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Set, Tuple

from shapely.errors import ShapelyError

from ..db import open_database
from ..db.base import Database, IsCancelled, Progress
from ..db.errors import ConflictError, DatabaseError, LockWaitError, MediumError
from ..db.targets import parse_target
from ..db.validate import parse_datetime
from ..errors import Cancelled
from ..schema.constraints import child_links
from ..schema.sqlnames import ident
from ..schema.tables import GEOMETRY_COLUMN, SCHEMA_VERSION, TABLES
from . import children, faults, locks
from . import scope as scopes
from .bulk import Packed, key_rows, packed_rows
from .conflicts import visible
from .derived import merged_typed, report_derived
from .errors import PackageError, ServerMovedError, SyncError
from .merge import OFFICE_ONLY, Conflict, merge_row
from .package import (
    LocalChange,
    Package,
    base_position,
    changed_since,
    digest_of,
    local_changes,
    now_iso,
    open_package,
    server_login,
    write_base,
    write_rows,
)
from .photos import TABLE as PHOTO_TABLE
from .photos import PhotoSync, content_name, file_digest, photo_files, resolver_may
from .rules import merge_rules, rule_bounds
from .values import (
    SYNC_TABLES,
    canonical,
    comparable,
    dumps,
    from_readable,
    readable,
    row_digest,
    to_db,
    unreadable_geometries,
)

_NS = uuid.UUID("0b9c3a4e-52a1-4f0e-9d3c-1f5e8c6a7b21")
Rows = Dict[str, Dict[str, Dict[str, Any]]]
#: A sync that meets a row another writer changed meanwhile starts again (nothing of the
#: failed attempt was written), at most this many times.
ATTEMPTS = 5


def sync_package(path: str, target: str, progress: Progress = None,
                 is_cancelled: IsCancelled = None) -> dict:
    """Sync package ``path`` with database ``target``; returns what was sent, received,
    applied and left in conflict (the ``--json`` answer)."""
    for attempt in range(1, ATTEMPTS + 1):
        package = open_package(path)
        try:
            server = open_database(parse_target(target))
        except BaseException:
            package.close()
            raise
        try:
            return _sync(package, server, progress, is_cancelled)
        except ServerMovedError:
            if attempt == ATTEMPTS:
                raise
        except (MediumError, OSError) as exc:  # a full disk, a lost connection
            raise _interrupted(exc, package, server) from None
        except (LockWaitError, *server.integrity_errors) as exc:  # PostGIS: rolled back
            failed = locks.failure(server, exc, "sync", "nothing was written")
            if failed is None:
                raise
            moved, line = failed
            if not moved:
                raise SyncError(line) from None
            if attempt == ATTEMPTS:
                raise ServerMovedError(line) from None
        except (ValueError, ShapelyError):  # both transactions rolled back: nothing written
            found = _unreadable(package.db, str(package.path), PackageError) \
                or (server.kind == "gpkg" and _unreadable(server, str(server.target),
                                                          SyncError))
            if found:
                raise found from None
            raise
        finally:
            package.close()
            server.close()
    raise AssertionError("unreachable")  # pragma: no cover


def _interrupted(exc: BaseException, package: Package, server: Database) -> SyncError:
    """One line for a sync a full disk, a file that could not be written or a lost
    connection ended: the file or server, and what was applied (nothing; or the server's
    changeset, which the package takes on the next sync: nothing is applied twice)."""
    if isinstance(exc, MediumError):
        where, reason = exc.target, exc.reason
    else:
        where, reason = _failed_file(exc), exc.strerror or str(exc)
    if package.server_committed:
        outcome = (f"the server ({server.target}) applied this sync, the package did not "
                   "take it yet")
    elif isinstance(exc, MediumError) and exc.lost and exc.committing:
        outcome = "the server may or may not have applied this sync"
    else:
        outcome = "nothing was applied (the server and the package are as before)"
    if isinstance(exc, MediumError):
        remedy = ("check the connection" if exc.lost else "free some space" if exc.full
                  else "check that the file can be written")
    else:
        remedy = ("free some space" if exc.errno in (errno.ENOSPC, errno.EDQUOT)
                  else "check that the file can be written")
    return SyncError(f"{where}: {reason}; {outcome}: {remedy} and sync again (nothing is "
                     "applied twice)")


def _failed_file(exc: OSError) -> str:
    """The file an OSError is about: the destination of a copy when the disk it is on is
    full or read-only (``filename2``), else the file named."""
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG)
    name = exc.filename2 if full and exc.filename2 else exc.filename
    return str(name) if name else "a file"


def _unreadable(db, where: str, error: type) -> Optional[SyncError]:
    """``error`` listing every row of a GeoPackage whose geometry blob cannot be read."""
    bad = [f"{t} {i} (geom)" for t in SYNC_TABLES if TABLES[t].geometry
           for i in unreadable_geometries(db, TABLES[t])]
    if not bad:
        return None
    return error(f"{where}: not a GeoPackage geometry (written by SQL without AsGPB?): "
                 f"{', '.join(bad)}; nothing was changed: draw or save them again in QGIS")


def _check_registered(package: Package, server: Database) -> Tuple[dict, List[dict]]:
    """The server's replica row; PackageError unless the package's base is the one the
    server registered (or the one a changeset of this replica started from: a sync killed
    after the server committed). Returns (replica, the changesets that started from the
    package's base when behind, else []). Changesets are found by their digests, never
    by time (a laptop's clock may have stamped them)."""
    found = server.fetch("sync_replica", where={"id": package.replica_id})
    if not found and server.kind == "gpkg" \
            and Path(server.target).resolve() == Path(package.path).resolve():
        origin = package.meta.get("package_server") or "the provincial database it was made from"
        raise PackageError(f"{package.path}: this is the package itself, not the provincial "
                           f"database: sync it with {origin}; nothing was changed")
    if not found:
        raise PackageError(f"{package.path}: package {package.name!r} is not registered in "
                           f"{server.target} (made from another database?); nothing was "
                           "changed")
    replica = found[0]
    _check_meta(package, server, replica)
    digest = package.digest()
    behind = server.fetch("sync_changeset", where={"replica_id": package.replica_id,
                                                   "digest_before": digest})
    if replica.get("base_digest") == digest:
        # a sync that left the base as it was (nothing sent or received),
        # killed after the server committed: the same base, an older position
        _check_position(package, server, replica,
                        behind=any(c.get("digest_after") == digest for c in behind))
        return replica, []
    if behind:
        _check_position(package, server, replica, behind=True)
        return replica, behind  # _sync checks the rest
    raise _not_its_base(package, server)


def _check_meta(package: Package, server: Database, replica: dict) -> None:
    """PackageError unless the package's scope (``db_meta``, which no digest covers) is the
    one the server registered: a widened scope would bring rows the crew was not given."""
    registered = replica.get("scope")
    if registered is None:
        return
    theirs = scopes.Scope.from_json(registered)
    try:
        mine = package.scope
    except (KeyError, TypeError, ValueError):
        mine = None
    if mine != theirs:
        shown = package.meta.get("package_scope")
        raise PackageError(f"{package.path}: db_meta package_scope {shown} is not the scope "
                           f"{server.target} registered for the package ({theirs}): altered "
                           "outside RoadInfra; nothing was changed")


def _check_position(package: Package, server: Database, replica: dict, behind: bool) -> None:
    """PackageError unless the package's change-log position (``db_meta``
    package_base_change_id) is the one the server registered with its base, or older when
    a changeset of this package started from its base (a sync killed after the server
    committed, before the package took the new base and position; the replay takes them):
    a position pushed ahead would hide the server's later changes from the package."""
    registered = replica.get("base_change_id")
    if registered is None:
        return
    text = package.meta.get("package_base_change_id")
    try:
        mine = int(text)
    except (TypeError, ValueError):
        mine = None
    if mine is None or mine > int(registered) or (not behind and mine != int(registered)):
        raise PackageError(f"{package.path}: db_meta package_base_change_id {text} is not "
                           f"the change-log position {server.target} registered for the "
                           f"package ({registered}): altered outside RoadInfra; nothing was "
                           "changed")


def _check_writer(server: Database, login: str, package: Package, replica: dict) -> None:
    """SyncError (one line, naming the server) when the login may not write what every
    sync writes on PostGIS, checked before anything is read or written: a read-only
    ``roadinfra_viewer`` login (its roles named); an editor syncing a package another login
    made (its records, ``sync_replica``, ``sync_changeset``, ``sync_conflict``, are that
    login's, or a province-wide login's: schema 13)."""
    if server.kind != "postgis":
        return
    [(may, province)] = server._query(
        "SELECT has_table_privilege('sync_changeset', 'INSERT'), roadinfra_can_edit(NULL)")
    maker = replica.get("created_by")
    if may and not province and maker != login:
        raise SyncError(f"{server.target}: package {package.name!r} was made by login "
                        f"{maker}: login {login} may not sync it (its sync records are its "
                        "maker's); sync it with that login or a province-wide one; nothing "
                        "was changed")
    if may:
        return
    roles = [name for (name,) in server._query(
        "SELECT rolname FROM pg_roles WHERE rolname IN ('roadinfra_viewer', "
        "'roadinfra_editor', 'roadinfra_admin') AND pg_has_role(session_user, oid, 'MEMBER') "
        "ORDER BY rolname")]
    held = (f"only the read-only role {', '.join(roles)}" if roles
            else "none of the roadinfra_* roles")
    raise SyncError(f"{server.target}: login {login} has {held}: it cannot sync a package "
                    "(a sync writes the package's changes and its record); sync with a "
                    "roadinfra_editor login; nothing was changed")


def _not_its_base(package: Package, server: Database) -> PackageError:
    return PackageError(f"{package.path}: the package's base is not the one {server.target} "
                        "gave it (an older copy of the package, or altered outside "
                        "RoadInfra); nothing was changed")


def _check_behind(package: Package, server: Database, replica: dict, behind: List[dict],
                  changeset: str) -> None:
    """A package behind a changeset that started from its base is taken when that
    changeset left the replica's base as it is now (nothing moved it since: the package's
    edits may differ, merged as usual), or when this sync replays it (its replays, killed
    after the server committed too, moved the replica's base without a changeset of their
    own)."""
    if not any(c.get("digest_after") == replica.get("base_digest") or c["id"] == changeset
               for c in behind):
        raise _not_its_base(package, server)


def _server_rows(server: Database, changes: List[LocalChange]) -> Rows:
    """The server's rows of the rows the package changed (tombstones included)."""
    wanted: Dict[str, List[str]] = {t: [] for t in SYNC_TABLES}
    for change in changes:
        wanted[change.table].append(change.row_id)
    rows: Rows = {t: {} for t in SYNC_TABLES}
    for t, ids in wanted.items():
        ids = sorted(set(ids))
        for start in range(0, len(ids), 5000):
            for r in server.fetch(t, where={"id": ids[start:start + 5000]},
                                  include_deleted=True):
                rows[t][r["id"]] = r
    return rows


def _changeset_id(package: Package, changes: List[LocalChange]) -> str:
    """The same for the same package state only: its base, its changes and the changeset
    it last took (so two syncs with no changes are two changesets; a sync replayed after
    a kill between the server's commit and the package's is the same one)."""
    parts = [package.replica_id, package.digest(),
             [[c.table, c.row_id, c.op, c.mine, c.deleted] for c in changes]]
    previous = package.db.meta("package_last_changeset")
    if previous:
        parts.append({"after": previous})
    files = photo_files(package, changes)  # a photo put back is a new changeset
    text = dumps(parts + [files] if files else parts)
    return str(uuid.uuid5(_NS, text))


def _sync(package: Package, server: Database, progress: Progress,
          is_cancelled: IsCancelled) -> dict:
    try:  # the server's reads before its transaction: a lost connection said in one line
        replica, behind = _check_registered(package, server)
        rules = merge_rules(server.profile)
        login = server_login(server)
        _check_writer(server, login, package, replica)
    except Exception as exc:
        lost = server._write_failure(exc, committing=False)
        if lost is None or not lost.lost:
            raise
        raise lost from None
    report: Dict[str, Any] = {
        "package": str(package.path), "server": str(server.target),
        "replica_id": package.replica_id, "login": login, "replayed": False,
        "sent": {"insert": 0, "update": 0, "delete": 0},
        "received": {"insert": 0, "update": 0, "delete": 0},
        "applied": 0, "ruled": [], "conflicts": [], "refused": [], "codes": [],
        "derived": [], "upgraded": None}
    with package.db.transaction():
        package.prove_writable()  # a read-only package: refused before the server is written
        taken = taken_offline_rows(server, package)
        changes = local_changes(package, taken)
        report["dropped"] = drop_taken_theirs(server, package, login, changes)
        if report["dropped"]:  # gone with the rows under them
            changes = local_changes(package, taken)
        faults.point("read")
        changeset = _changeset_id(package, changes)
        report["changeset"] = changeset
        if behind:
            _check_behind(package, server, replica, behind, changeset)
        if progress:
            progress(10.0)
        with server.transaction():
            # first: every decision below holds until the commit
            locks.serialize(server, is_cancelled, f"{package.path}: sync")
            faults.point("server_locked")
            report["replayed"] = bool(server.fetch("sync_changeset", where={"id": changeset}))
            if not report["replayed"]:  # every row lock, before any other, in one step
                written = children.as_written(
                    server, [(c.table, c.row_id, c.mine or {}) for c in changes])
                deleted = [(c.table, c.row_id) for c in changes if c.op == "delete"]
                children.hold(server, written, deleted,
                              children.made_live(written, deleted, restoring=False))
            theirs = _server_rows(server, changes)
            carrier = PhotoSync.of_package(package, server)
            # files first (said on a replay)
            sending, held = carrier.to_server(changes, theirs, login)
            carrier.dropped([d for d in report["dropped"] if d["table"] == PHOTO_TABLE])
            if not report["replayed"]:
                server._set_user(login)
                _apply(server, package, sending, theirs, rules, login, changeset, report,
                       is_cancelled, taken)
                for change, conflict in held:
                    _record(server, package, change, conflict, login, changeset, report)
                carrier.settle(package.replica_id, sending, login, {
                    c["row_id"]: c for c in report["conflicts"] + report["refused"]
                    if c["table"] == PHOTO_TABLE and c["kind"] != "photo"})
            if progress:
                progress(60.0)
            position, pending, final, kept = _final_state(
                server, package, changes, carrier,
                {(c.table, c.row_id) for c, _ in held if (c.table, c.row_id) in package.base})
            new_digest = digest_of([r.entry for rows in final.values() for r in rows]
                                   + [(t, i, package.base[(t, i)]["revision"],
                                       package.base[(t, i)]["row_digest"]) for t, i in kept])
            if not report["replayed"]:
                summary = {k: report[k] for k in ("sent", "applied")}
                summary["conflicts"] = len(report["conflicts"]) + len(report["refused"])
                summary["rows"] = [[c.table, c.row_id, c.op] for c in changes]
                server.insert("sync_changeset", [{
                    "id": changeset, "replica_id": package.replica_id,
                    "package_name": package.name, "login": login, "applied_at": now_iso(),
                    "digest_before": package.digest(), "digest_after": new_digest,
                    "summary": summary}])
            report["open_conflicts"] = len(visible(server, server.fetch(
                "sync_conflict", where={"replica_id": package.replica_id, "status": "open"})))
            report["base_change_id"] = position
            # a replay too: the package takes this new base
            server.update("sync_replica", package.replica_id, {
                "base_digest": new_digest, "last_sync_at": now_iso(),
                "base_change_id": report["base_change_id"]})
            faults.point("before_server_commit")
        package.server_committed = True
        faults.point("after_server_commit")
        _write_package(package, final, kept, pending, login, changes, report)
        faults.point("package_written")
    faults.point("after_package_commit")
    report["behind"] = bool(behind)
    report["photos"] = carrier.summary()
    if progress:
        progress(100.0)
    return report


def drop_taken_theirs(server: Database, package: Package, login: str,
                      changes: List[LocalChange]) -> List[dict]:
    """Drop from the package the rows it made offline that a sync kept off the server under
    a deleted parent (``edit_delete`` with no base) and the office then closed taking
    theirs (every field), when the conflict holds the row as the package has it now (a
    conflict about an older edit, e.g. one closed as stale, says nothing of a newer one)
    and a conflict holds each row the package has under it too (a row added or edited
    under it since its conflict is a change the office never saw: the row stays, kept off
    by a new conflict, until the office decides on it): deleted in the package with the
    rows under it (its delete trigger keeps tombstones; never sent), so that no later sync
    records the conflict again.
    Trusted as a photo's ``theirs`` is (:func:`.photos.resolver_may`): recorded by the login
    syncing, or resolved by a login that may. Inside the package's open transaction: a sync
    that fails keeps them. ``changes``: the package's changes (its new rows among them).
    Returns the report's ``dropped`` entries (table, row id, code, conflict id, message),
    one for each row removed, those under it included; an attachment's is listed in
    ``photos.discarded`` too (:meth:`.photos.PhotoSync.dropped`)."""
    new = {(c.table, c.row_id): c for c in changes if c.op == "insert"}
    recorded: Dict[Tuple[str, str], List[dict]] = {}
    found = []
    for c in server.fetch("sync_conflict", where={
            "replica_id": package.replica_id, "kind": "edit_delete"}):
        key = (c["table_name"], str(c["row_id"]))
        if c.get("base") or not c.get("mine") or c["mine"].get("deleted") or key not in new:
            continue
        recorded.setdefault(key, []).append(c)
        if c["status"] == "resolved" and set(
                (c.get("resolution") or {}).get(f) for f in c["fields"]) == {"theirs"}:
            found.append(c)
    out: List[dict] = []
    for c in found:
        key = (c["table_name"], str(c["row_id"]))
        change = new.get(key)
        if change is None or not _holds(package.db, key[0], c["mine"], change.mine):
            continue  # dropped already (two conflicts), or edited since
        if server.fetch(key[0], where={"id": key[1]}, include_deleted=True):
            continue  # on the server since (another conflict of it taken mine)
        if c["login"] != login and not resolver_may(server, [c["id"]]):
            continue
        if any(_after(other, c) for other in recorded.get(key, [])):
            continue  # kept off again since the office decided: it decides the new conflict
        under = _rows_under(package.db, key)
        held = {k: _held(package.db, k, [o for o in recorded.get(k, []) if not _after(o, c)],
                         new.get(k)) for k in under}
        if not all(held.values()):
            continue  # a row added or edited under it since: a new conflict keeps it off
        # a tombstone, as the package's delete trigger would put back, written as such: a row
        # written through GDAL/OGR under a parent the package never held (no foreign key
        # checked then) could not be put back by that trigger
        package.db.tombstone(key[0], key[1], user=login)
        label = f"{key[0]} {c.get('row_code') or key[1]}"
        for k in [key] + under:
            held_by = c if k == key else held[k]
            del new[k]
            mine = held_by["mine"]
            what = f"{k[0]} {held_by.get('row_code') or k[1]}"
            message = (f"{label}: made in the package under a row deleted on the server, "
                       f"kept off (conflict {c['id']}), and the office took theirs: removed "
                       "from the package with the rows under it, never sent")
            if k != key:
                message = (f"{what}: made in the package under {label} (kept off, conflict "
                           f"{held_by['id']}), removed from the package with it (the office "
                           f"took theirs on {label}, conflict {c['id']}), never sent")
            out.append({"table": k[0], "row_id": k[1], "code": held_by.get("row_code"),
                        "conflict": str(held_by["id"]),
                        "target_table": mine.get("target_table"),
                        "target_id": mine.get("target_id"), "file": mine.get("file_path"),
                        "message": message})
    return out


def _rows_under(db: Database, key: Tuple[str, str]) -> List[Tuple[str, str]]:
    """The live rows of ``db`` under the row ``key``, at any depth (owned rows and
    attachments: :func:`..schema.constraints.child_links`), parents before children."""
    out: List[Tuple[str, str]] = []
    level = [key]
    while level:
        below: List[Tuple[str, str]] = []
        for table, row_id in level:
            for child, column, kind in child_links(TABLES[table], TABLES):
                if child not in SYNC_TABLES:
                    continue
                where: Dict[str, Any] = {column: row_id}
                if kind:
                    where[kind] = table
                below += [(child, str(r["id"])) for r in db.fetch(child, where=where)
                          if (child, str(r["id"])) not in out]
        out += below
        level = below
    return out


def _after(conflict: dict, taken: dict) -> bool:
    """Whether ``conflict`` is still open and was recorded after the office took theirs on
    ``taken``: a change the office has not decided on yet (a row kept off again since)."""
    return conflict["status"] == "open" and (
        parse_datetime(str(conflict["created_at"])) > parse_datetime(str(taken["resolved_at"])))


def _held(db: Database, key: Tuple[str, str], conflicts: List[dict],
          change: Optional[LocalChange]) -> Optional[dict]:
    """The conflict that holds the package's new row ``key`` as it is now (made offline and
    kept off, the office saw it), or None (added or edited since every conflict of it)."""
    if change is None:
        return None
    return next((c for c in conflicts if _holds(db, key[0], c["mine"], change.mine)), None)


def _holds(db: Database, table: str, recorded: Mapping[str, Any],
           mine: Mapping[str, Any]) -> bool:
    """Whether a conflict's ``recorded`` values of a row made offline (its non-empty fields,
    as :func:`_record` stored them) are the package's (``db``) values ``mine`` now; a
    photo's file compared by its content (recorded in the server's terms, the package's in
    its own)."""
    now = json.loads(dumps(readable(TABLES[table], {
        k: v for k, v in (comparable(mine) or {}).items() if v is not None})))
    was = dict(recorded)
    if table == PHOTO_TABLE:
        ours, theirs = now.pop("file_path", None), was.pop("file_path", None)
        if content_name(theirs) is None or file_digest(db, ours) != content_name(theirs)[0]:
            return False
    return now == was


def taken_offline_rows(server: Database, package: Package) -> Dict[Tuple[str, str], dict]:
    """(table, id) -> a base entry (``revision``, ``deleted``, ``fields`` as
    :attr:`.package.Package.base` holds them, and ``sent``) of each row the package made
    offline that a sync kept off the server (refused, or under a deleted parent) and the
    office then took whole (mine: inserted from the conflict's values), not in the package's
    base since (no sync in between); of several such conflicts of a row, the last resolved.
    Its ``revision`` is the one that resolve wrote: the package knows the row as the server
    held it then (live), so that a delete of a row above it is a plain delete while the
    server has not changed it since (:func:`.children.moved_children`); a row the office
    deleted since is such a row too, deleted on the server after the package's own state
    (an edit of it is an ``edit_delete`` against the values sent, as of a row in the base;
    a delete of it, no change on the server; left as it was, the package takes the
    tombstone). ``fields``, which a delete of the row in the package is merged against,
    are the server's row when it still has that revision (the delete is written), else the
    values taken (the office changed or deleted it since: a conflict, or nothing to write);
    ``sent``, which an edit of it in the package is merged against
    (:func:`.package.local_changes`), are the conflict's values (what the package had sent:
    the code or values the server derived on insert are not the crew's edits)."""
    found = [c for c in server.fetch("sync_conflict", where={
        "replica_id": package.replica_id, "status": "resolved"})
        if c["kind"] in ("refused", "edit_delete") and not c.get("base")
        and c.get("mine") and not c["mine"].get("deleted")
        and (c["table_name"], str(c["row_id"])) not in package.base
        and c["table_name"] in SYNC_TABLES
        and set((c.get("resolution") or {}).get(f) for f in c["fields"]) == {"mine"}]
    last: Dict[Tuple[str, str], dict] = {}
    for c in sorted(found, key=lambda c: parse_datetime(str(c.get("resolved_at")
                                                             or c["created_at"]))):
        last[(c["table_name"], str(c["row_id"]))] = c
    out: Dict[Tuple[str, str], dict] = {}
    for (name, row_id), c in last.items():
        table = TABLES[name]
        rows = server.fetch(table.name, where={"id": row_id}, include_deleted=True)
        if not rows:
            continue  # not on the server (a GeoPackage's row removed outright)
        written = (c.get("resolution") or {}).get("revision")
        sent = canonical(table, from_readable(table, c["mine"]))
        fields = canonical(table, rows[0]) if rows[0].get("revision") == written \
            and rows[0].get("deleted_at") is None else sent
        out[(table.name, row_id)] = {"fields": fields, "sent": sent, "revision": written,
                                     "deleted": False}
    return out


def _derive(server: Database, table: str, row: Dict[str, Any],
            current: Optional[Mapping[str, Any]], decided: Iterable[str],
            bounds: Mapping[str, str], report: dict) -> Dict[str, Any]:
    """THE one place where the apply path asks for derived-on-save values (codes, area,
    chainage, condition ...: :func:`roadinfra.core.derive.derive_row`, the code QGIS edits,
    the API and ``roadinfra db check`` use) of a row sync writes to the server. ``row``: a
    new row, or the fields an update sends (``current``: the server's row). What the merge
    decided counts as typed (:func:`.derived.merged_typed`; ``decided``: the fields a
    profile rule decided, even to the server's value). ``bounds``: the merge's
    ``min``/``max`` rules. What deriving kept or replaced
    is listed in ``report["derived"]`` (:func:`report_derived`). Returns the values to write."""
    from ..derive import derive_row

    context = server.derive_context()
    if current is None:
        typed = [k for k, v in row.items() if v is not None]
        result = derive_row(context, table, row, typed_fields=typed, bounds=bounds)
        report_derived(report, row.get("id"), result.warnings)
        return dict(result.row)
    full = {k: v for k, v in current.items()}
    full.update(row)
    typed = merged_typed(table, current, row) | set(decided)
    result = derive_row(context, table, full, typed_fields=typed, bounds=bounds)
    report_derived(report, current.get("id"), result.warnings)
    out = dict(row)
    out.update(result.changes)  # a sent field changes only when it follows another (a rating)
    return out


def _final_code(codes: Dict[str, str], table: str, row_id: str, code: str,
                report: dict) -> Tuple[str, Optional[Conflict]]:
    """The code the server gives a row made offline: its provisional code when no other
    live row has it, else the first free ``code-N``, with a conflict so that two crews
    creating the same code is never silent."""
    other = codes.get(code)
    if other is None or other == row_id:
        return code, None
    n = 2
    while f"{code}-{n}" in codes:
        n += 1
    final = f"{code}-{n}"
    report["codes"].append({"table": table, "row_id": row_id, "provisional": code,
                            "final": final})
    return final, Conflict("code", ["code"], None, {"code": code},
                           {"code": code, "row_id": other},
                           f"code {code} is already used by another {table} row; the "
                           f"server gave this row {final}")


def _apply(server: Database, package: Package, changes: List[LocalChange], theirs_rows: Rows,
           rules: Mapping[str, str], login: str, changeset: str, report: dict,
           is_cancelled: IsCancelled, taken: Mapping[Tuple[str, str], dict]) -> None:
    """Merge every change, then write: inserts (parents first), updates, tombstones
    (children first), each group in one statement batch inside a savepoint; a group the
    server refuses (row-level security, a constraint) is written again row by row, so that
    only the refused rows are left out, each recorded as a refusal. A parent whose delete
    is not written (a conflict) keeps its children (:mod:`.children`); the rows the office
    took whole from the package (``taken``: :func:`taken_offline_rows`) count as the
    package's own there, as the resolve wrote them."""
    planned: Dict[str, List[tuple]] = {"insert": [], "update": [], "tombstone": []}
    conflicts: List[Tuple[LocalChange, Conflict]] = []
    deleted = [(c.table, c.row_id) for c in changes if c.op == "delete"]
    moved = children.moved_children(server, {**package.base, **taken}, deleted)
    new_rows = [(c.table, c.row_id, c.mine) for c in changes if c.op == "insert"]
    orphans = children.kept_off(new_rows, children.deleted_parents(server, new_rows))
    for change in changes:
        if is_cancelled is not None and is_cancelled():
            raise Cancelled(f"{package.path}: sync cancelled, nothing written")
        table = TABLES[change.table]
        row = theirs_rows[change.table].get(change.row_id)
        theirs = canonical(table, row) if row is not None else None
        theirs_deleted = row is not None and row.get("deleted_at") is not None
        base = package.base.get((change.table, change.row_id))
        merged = merge_row(change.table, comparable(change.base), bool(base and base["deleted"]),
                           comparable(change.mine), change.deleted, comparable(theirs),
                           theirs_deleted, rules,
                           children=moved.get((change.table, change.row_id), ()),
                           parent_deleted=orphans.get((change.table, change.row_id)))
        for conflict in merged.conflicts:
            if conflict.kind == "edit_delete" and row is not None and conflict.theirs:
                # the row's revision: a resolve sees any change since (conflicts.py)
                conflict.theirs["revision"] = row.get("revision")
        conflicts += [(change, c) for c in merged.conflicts]
        for name, rule in merged.ruled.items():
            report["ruled"].append({"table": change.table, "row_id": change.row_id,
                                    "field": name, "rule": rule})
        under = _under_kept_off(change, merged, new_rows, orphans)
        if under is not None:  # moved under a row this sync keeps off: not written
            conflicts.append((change, _refused(change, merged, under, row)))
        elif merged.action:
            planned[merged.action].append((change, merged, row))
    # a parent whose delete is not written keeps its children: theirs are left out too
    planned["tombstone"] = children.keep_held_children(planned["tombstone"], deleted)
    codes = _live_codes(server, {item[0].table for item in planned["insert"]})
    decided = _Decided(
        {(c.table, c.row_id): set(m.send) | set(m.ruled)
         for c, m, _ in planned["insert"] + planned["update"]}, rule_bounds(rules))
    for action in ("insert", "update", "tombstone"):
        groups: Dict[tuple, List[tuple]] = {}
        for item in planned[action]:
            change, merged = item[0], item[1]
            key = (SYNC_TABLES.index(change.table),
                   tuple(sorted(merged.send)) if action == "update" else ())
            groups.setdefault(key, []).append(item)
        # tombstones children first: a parent's tombstone cascades to its live children on
        # the server, which would move them on under the package's own child tombstones
        for key in sorted(groups, reverse=action == "tombstone"):
            conflicts += _write_group(server, action, groups[key], codes, login, report,
                                      decided)
    for change, conflict in conflicts:
        _record(server, package, change, conflict, login, changeset, report)
    _settle_inserted(server, package, login, [item[0] for item in planned["insert"]],
                     changeset)
    _settle_dropped(server, package, login)
    _settle_superseded(server, package, login)


def _settle_inserted(server: Database, package: Package, login: str,
                     planned: List[LocalChange], changeset: str) -> None:
    """Close the package's open conflicts that kept a row it made off the server (an
    ``edit_delete`` of a new row: its parent, or a row it is under, deleted there; a
    ``refused`` new row an earlier sync recorded) once a sync inserts the row (the parent
    restored since): the package's values were written. ``planned``: the rows this sync
    meant to insert (the server had none of them), of which those on the server now were
    written; a refusal this sync recorded (a plan's office-only fields) stays open."""
    keys = {(c.table, c.row_id) for c in planned}
    if not keys:
        return
    open_ones = [c for c in server.fetch("sync_conflict", where={
        "replica_id": package.replica_id, "kind": ["edit_delete", "refused"],
        "status": "open"})
        if not c.get("base") and (c["table_name"], str(c["row_id"])) in keys
        and (c["kind"] == "edit_delete" or (str(c["changeset_id"]) != changeset
                                            and not _office_only(c)))]
    for conflict in open_ones:
        if server.fetch(conflict["table_name"], where={"id": conflict["row_id"]}):
            server.update("sync_conflict", conflict["id"], {
                "status": "resolved", "resolved_at": now_iso(), "resolved_by": login,
                "resolution": {f: "mine" for f in conflict["fields"]}})


def _settle_superseded(server: Database, package: Package, login: str) -> None:
    """Close (``theirs``) the package's open conflicts that kept a row it made off the server
    (``edit_delete`` or ``refused``, no base) when a later conflict of the same row, with
    the package's newer values, was taken ``mine`` (the row inserted from those): the older
    values were never written, and taking them is refused since (:func:`.conflicts._expected`),
    so they would stay open for good. A refusal of a plan's office-only fields stays open."""
    kinds = ["edit_delete", "refused"]
    mine = {}
    for c in server.fetch("sync_conflict", where={
            "replica_id": package.replica_id, "kind": kinds, "status": "resolved"}):
        if not c.get("base") and c.get("mine") and not c["mine"].get("deleted") \
                and set((c.get("resolution") or {}).get(f) for f in c["fields"]) == {"mine"}:
            key = (c["table_name"], str(c["row_id"]))
            mine[key] = max(mine.get(key, c["created_at"]), c["created_at"])
    if not mine:
        return
    for c in server.fetch("sync_conflict", where={
            "replica_id": package.replica_id, "kind": kinds, "status": "open"}):
        taken = mine.get((c["table_name"], str(c["row_id"])))
        if taken is not None and c["created_at"] < taken and not c.get("base") \
                and not (c.get("mine") or {}).get("deleted") and not _office_only(c):
            server.update("sync_conflict", c["id"], {
                "status": "resolved", "resolved_at": now_iso(), "resolved_by": login,
                "resolution": {f: "theirs" for f in c["fields"]}})


def _office_only(conflict: Mapping[str, Any]) -> bool:
    """Whether a refusal is of a plan's office-only fields (:data:`.merge.OFFICE_ONLY`), not
    of the row: it stays open when the row goes in."""
    return set(conflict["fields"]) <= set(OFFICE_ONLY.get(conflict["table_name"], ()))


def _settle_dropped(server: Database, package: Package, login: str) -> None:
    """Close (``theirs``) the package's open conflicts that kept a row it made off the server
    because the row's parent was deleted there (``edit_delete`` of a new row) once the
    package no longer has the row live (the crew deleted it): nothing of it is to be
    written, and taking the package's values would bring back a row the crew dropped."""
    open_ones = [c for c in server.fetch("sync_conflict", where={
        "replica_id": package.replica_id, "kind": "edit_delete", "status": "open"})
        if not c.get("base")]
    for conflict in open_ones:
        if not package.db.fetch(conflict["table_name"], where={"id": str(conflict["row_id"])}):
            server.update("sync_conflict", conflict["id"], {
                "status": "resolved", "resolved_at": now_iso(), "resolved_by": login,
                "resolution": {f: "theirs" for f in conflict["fields"]}})


def _live_codes(server: Database, tables: Iterable[str]) -> Dict[str, Dict[str, str]]:
    """Code -> row id of every live row with a code, per table of ``tables``."""
    out = {}
    for t in sorted(tables):
        if "code" in TABLES[t].column_names:
            out[t] = {code: str(i) for i, code in server._query(
                f"SELECT id, code FROM {ident(t)} "  # noqa: S608 # nosec B608 # name from the schema via ident
                "WHERE deleted_at IS NULL AND code IS NOT NULL AND code <> ''")}
    return out


@dataclass
class _Decided:
    """What the merge decided, which deriving must not undo: ``fields``: (table, id) ->
    the fields sent or decided by a profile rule; ``bounds``: table -> field -> the
    ``min``/``max`` rule (a derived value never crosses the merged one)."""

    fields: Dict[Tuple[str, str], Set[str]]
    bounds: Dict[str, Dict[str, str]]


def _write_group(server: Database, action: str, items: List[tuple],
                 codes: Dict[str, Dict[str, str]], login: str,
                 report: dict, decided: _Decided) -> List[Tuple[LocalChange, Conflict]]:
    table = TABLES[items[0][0].table]
    out: List[Tuple[LocalChange, Conflict]] = []
    rows = []
    for change, merged, current in items:
        try:
            rows.append((change, _prepare(server, action, change, merged, current, codes,
                                          report, out, decided)))
        except LockWaitError:
            raise
        except DatabaseError as exc:  # the values break the schema: refused, kept
            out.append((change, _refused(change, merged, exc, current)))
    if not rows:
        return out
    try:
        try:
            with server.transaction():  # a savepoint for the whole group
                _write_rows(server, action, table, rows, login)
        except ConflictError:
            if not _follow_cascade(server, table, items, rows):
                raise
            with server.transaction():  # again at the revisions the cascade gave
                _write_rows(server, action, table, rows, login)
        written = rows
    except ConflictError as exc:
        raise ServerMovedError(f"{table.name}: a row changed on the server while syncing "
                               f"({exc}); nothing was written: sync again") from None
    except LockWaitError:
        raise
    except DatabaseError:
        written = []
        for change, values in rows:  # again row by row: leave out only what is refused
            try:
                with server.transaction():
                    _write_rows(server, action, table, [(change, values)], login)
                written.append((change, values))
            except ConflictError as exc:
                raise ServerMovedError(
                    f"{table.name} {change.code or change.row_id}: changed on the server "
                    f"while syncing ({exc}); nothing was written: sync again") from None
            except LockWaitError:
                raise
            except DatabaseError as exc:
                if action == "insert" and getattr(exc, "field", None) == "code":
                    # codes were checked in this transaction: another sync took it meanwhile
                    raise ServerMovedError(f"{table.name} {change.code}: code taken on the "
                                           "server while syncing; sync again") from None
                merged, current = next((m, r) for c, m, r in items if c is change)
                out.append((change, _refused(change, merged, exc, current)))
    if written:
        _derive_dependents(server, table, items, written, login, report, decided)
    for _ in written:
        faults.row_written()
    report["applied"] += len(written)
    report["sent"][{"insert": "insert", "update": "update",
                    "tombstone": "delete"}[action]] += len(written)
    return out


def _derive_dependents(server: Database, table, items: List[tuple], written: List[tuple],
                       login: str, report: dict, decided: _Decided) -> None:
    """Derive again the rows depending on the rows this sync wrote (a survey's PCI after
    its distresses, a section after its surveys), as the database API does after its own
    writes: those under the row's parent as it was and as it is. What the merge decided
    of them stays (:class:`_Decided`: a PCI the crew typed, a posting a ``min`` rule
    holds); what deriving kept, replaced or could not derive goes into the report."""
    from ..derive.rows import dependents_of

    current = {change.row_id: row for change, _, row in items}
    pairs = []
    for change, values in written:
        before = current.get(change.row_id) or {}
        pairs += dependents_of(table.name, before)
        pairs += dependents_of(table.name, {**before, **values})
    if pairs:
        server.warnings = []
        server.derive_dependents(pairs, login, typed=decided.fields, bounds=decided.bounds)
        report_derived(report, None, server.warnings)


def _follow_cascade(server: Database, table, items: List[tuple],
                    rows: List[tuple]) -> bool:
    """Rows about to be updated that the server's own district cascade moved in this
    transaction (a parent's move this sync wrote just before; the package's cascade made
    the same change): each is written at its new revision when the server changed nothing
    of it since the merge read it but ``district_code``, to the value this sync sends too.
    Any other change (another writer) is left to the revision check. True when one was."""
    if "district_code" not in table.column_names:
        return False
    read = {change.row_id: current for change, _, current in items}
    ids = [change.row_id for change, values in rows
           if values.get("district_code") is not None and "revision" in values]
    now = {r["id"]: r for r in server.fetch(table.name, where={"id": ids},
                                             include_deleted=True)} if ids else {}
    followed = False
    for change, values in rows:
        after, before = now.get(change.row_id), read.get(change.row_id)
        if after is None or before is None or after["revision"] == values["revision"]:
            continue
        moved_only = dict(canonical(table, before), district_code=after["district_code"])
        if after["district_code"] == values["district_code"] \
                and after.get("deleted_at") == before.get("deleted_at") \
                and canonical(table, after) == moved_only:
            values["revision"] = after["revision"]
            followed = True
    return followed


def _under_kept_off(change: LocalChange, merged, new_rows: List[tuple],
                    orphans: Mapping[Tuple[str, str], str]) -> Optional[str]:
    """Why an update of a row the server has is not written because it moves the row under
    a row made in the package that this sync keeps off (its parent deleted on the server):
    the message of its ``refused`` conflict, naming that row and why; else None."""
    if merged.action != "update" or not orphans:
        return None
    for key in children.parent_keys(change.table, merged.send):
        if key in orphans:
            fields = next((f for t, i, f in new_rows if (t, i) == key), None) or {}
            return (f"not written: moved in the package under {key[0]} "
                    f"{fields.get('code') or key[1]}, a row made in the package and kept off "
                    f"the server (its own edit_delete conflict) as made under {orphans[key]}")
    return None


def _refused(change: LocalChange, merged, exc: Exception | str,
             current: Optional[Mapping[str, Any]]) -> Conflict:
    """A change the server refused (``exc``; or the message of one this sync does not
    write); ``theirs``: the server's values of its fields now and the row's ``revision`` (of
    a row the server has; None for a new row), so that the resolver sees them and a later
    resolve is refused when the row changed since (:func:`.conflicts._check_still_theirs`)."""
    first = exc if isinstance(exc, str) else \
        f"refused by the server: {str(exc).strip().splitlines()[0]}"
    fields = sorted(merged.send) or ["deleted"]
    theirs = None
    if current is not None:
        now = canonical(TABLES[change.table], current)
        theirs = ({f: now.get(f) for f in fields} if merged.send
                  else {"deleted": current.get("deleted_at") is not None})
        theirs["revision"] = current.get("revision")  # any change since is seen
    # values as merged (canonical): _record makes them readable, once
    return Conflict("refused", fields, change.base,
                    dict(merged.send) if merged.send else {"deleted": True},
                    theirs, first)


def _prepare(server: Database, action: str, change: LocalChange, merged,
             current: Optional[dict], codes: Dict[str, Dict[str, str]], report: dict,
             out: list, decided: _Decided) -> Dict[str, Any]:
    """The values to write for one row (validated as the database API does), with the
    final code of a row made offline and the values derived on save."""
    table = TABLES[change.table]
    label = str(change.code or change.row_id)
    if action == "tombstone":
        return {"deleted_at": now_iso(), "revision": current["revision"]}
    if action == "insert":
        row = to_db(table, merged.send)
        row["id"] = change.row_id
        if row.get("code") and change.table in codes:
            row["code"], clash = _final_code(codes[change.table], change.table,
                                             change.row_id, row["code"], report)
            if clash:
                out.append((change, clash))
        row = _derive(server, change.table, row, None, (), decided.bounds.get(change.table),
                      report)
        clean = server.validator(table).clean(row, label=label)
        if "code" in clean:
            codes[change.table][clean["code"]] = change.row_id
        return clean
    values = _derive(server, change.table, to_db(table, merged.send), current,
                     merged.ruled, decided.bounds.get(change.table), report)
    clean = server.validator(table).clean(values, partial=True, label=label)
    clean["revision"] = current["revision"]
    return clean


def _write_rows(server: Database, action: str, table, rows: List[tuple], login: str) -> None:
    """One statement batch for rows of the same table and columns; the revision each was
    read at is checked (a row that moved on is a ConflictError)."""
    if action == "insert":  # derived in _prepare; the dependents by _derive_dependents
        server.insert(table.name, [values for _, values in rows], user=login, derive=False)
        return
    shapes: Dict[tuple, List[tuple]] = {}
    for change, values in rows:  # one statement per set of columns
        shapes.setdefault(tuple(n for n in values if n != "revision"), []).append(
            (change, values))
    for names, same in shapes.items():
        _update_rows(server, table, list(names), same)


def _update_rows(server: Database, table, names: List[str], rows: List[tuple]) -> None:
    sets = [f"{ident(n)} = "
            + (server._geom_param() if n == GEOMETRY_COLUMN else server._param(table.column(n)))
            for n in names]
    sets.append(f"{ident('revision')} = {server.placeholder}")
    sql = (f"UPDATE {ident(table.name)} SET {', '.join(sets)} "  # noqa: S608 # nosec B608 # names from the schema via ident
           f"WHERE id = {server.placeholder} AND revision = {server.placeholder} "
           "AND deleted_at IS NULL")
    params = []
    for change, values in rows:
        params.append(server._db_values(table, names, values)
                      + [values["revision"], change.row_id, values["revision"]])
    try:
        _lock_unchanged(server, table, {change.row_id: values["revision"]
                                         for change, values in rows})
        server._executemany(sql, params)
    except server.integrity_errors as exc:
        raise server._error(exc, table, str(rows[0][0].code or rows[0][0].row_id),
                            None) from None


def _lock_unchanged(server: Database, table, revisions: Dict[str, int]) -> None:
    """Lock the rows about to be written (PostGIS: FOR UPDATE; a GeoPackage is locked as a
    whole by the transaction) and check each is still at the revision the merge read; a
    ConflictError names the first that moved on."""
    ids = list(revisions)
    locks.lock_rows(server, table.name, ids, "UPDATE")  # a bounded wait, the holder named
    lock = " FOR UPDATE" if server.kind == "postgis" else ""
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join([server.placeholder] * len(chunk))
        found = {str(i): rev for i, rev in server._query(
            f"SELECT id, revision FROM {ident(table.name)} "  # noqa: S608 # nosec B608 # name from the schema via ident
            f"WHERE id IN ({marks}){lock}", chunk)}
        for row_id in chunk:
            if found.get(row_id) != revisions[row_id]:
                raise ConflictError(f"{table.name} {row_id}: changed by someone else since "
                                    "it was read")


def _record(server: Database, package: Package, change: LocalChange, conflict: Conflict,
            login: str, changeset: str, report: dict) -> None:
    """Store a conflict (once: the same open conflict this login recorded for the replica
    is not repeated)."""
    table = TABLES[change.table]
    mine = readable(table, conflict.mine) if conflict.mine else conflict.mine
    theirs = readable(table, conflict.theirs) if conflict.theirs else conflict.theirs
    base = readable(table, conflict.base) if conflict.base else conflict.base
    open_ones = server.fetch("sync_conflict", where={
        "replica_id": package.replica_id, "table_name": change.table,
        "row_id": change.row_id, "kind": conflict.kind, "status": "open", "login": login})
    same = [c for c in open_ones if c["fields"] == conflict.fields and c["mine"] == mine]
    entry = {"table": change.table, "row_id": change.row_id, "code": change.code,
             "kind": conflict.kind, "fields": conflict.fields, "message": conflict.message}
    if same:
        entry["id"] = same[0]["id"]
    else:
        entry["id"] = server.insert("sync_conflict", [{
            "changeset_id": changeset, "replica_id": package.replica_id,
            "package_name": package.name, "login": login, "created_at": now_iso(),
            "table_name": change.table, "row_id": change.row_id, "row_code": change.code,
            "kind": conflict.kind, "fields": conflict.fields, "base": base, "mine": mine,
            "theirs": theirs, "message": conflict.message}])[0]
    report["refused" if conflict.kind == "refused" else "conflicts"].append(entry)


def _final_state(server: Database, package: Package, changes: List[LocalChange],
                 carrier: PhotoSync, held: Set[Tuple[str, str]]
                 ) -> Tuple[int, dict, Dict[str, List[Packed]], List[Tuple[str, str]]]:
    """The server's rows (tombstones included) the package holds after this sync: its
    scope now, and every row it had. Read from the server (:func:`.bulk.packed_rows`) are
    only the rows that may differ from the package's base: rows written on the server since
    the base's change-log position (this sync's writes included), rows the package changed,
    and rows new to it, and the attachments whose file the package lacks
    (:meth:`.photos.PhotoSync.lacking`); every other row the server still has is as in the
    base. Attachments are read in the package's terms (``carrier``: photo paths translated,
    a file the package lacks copied, a server photo missing or damaged said on every sync
    until the package has it). Returns
    (the new base's change-log position and pending writers (:func:`.package.base_position`,
    this sync's writes included), rows read per table, (table, id) of the rows kept as in
    the base). The ``held`` rows (an edit of a server row held back by its photo) are not
    read: the package keeps its edit and its base, and sends the edit, merged with what the
    server has then, once the file is back."""
    since = int(package.meta.get("package_base_change_id") or 0)
    before = json.loads(package.meta.get("package_base_pending") or "null")
    position, pending = base_position(server, since, before)  # before reading
    touched = changed_since(server, since, before) if before is not None else None
    keys = key_rows(server, SYNC_TABLES, with_geometry=package.scope.kind == "bbox")
    chosen = scopes.select(keys, package.scope)
    wanted = {(t, i) for t in SYNC_TABLES for i in chosen[t]} | set(package.base)
    for t in SYNC_TABLES:
        wanted |= {(t, str(r[0])) for r in package.db._query(
            f'SELECT id FROM "{t}"')}  # noqa: S608 # nosec B608 # t from the schema (SYNC_TABLES)
    wanted = {(t, i) for t, i in wanted if i in keys[t]}  # what the server still has
    if touched is None:  # a package made before pending writers were kept: read it all
        read = set(wanted)
    else:
        read = touched | {(c.table, c.row_id) for c in changes} \
            | {(PHOTO_TABLE, i) for i in carrier.lacking()}
        read = {k for k in wanted if k in read or k not in package.base}
    read -= held
    final = {t: packed_rows(server, t, [i for tt, i in read if tt == t], package.db.srs_id,
                            through=carrier.to_package if t == PHOTO_TABLE else None)
             for t in SYNC_TABLES}
    return position, pending, final, sorted(wanted - read)


def _write_package(package: Package, final: Dict[str, List[Packed]],
                   kept: List[Tuple[str, str]], pending: dict, login: str,
                   changes: List[LocalChange], report: dict) -> None:
    """The package takes the server's state of the rows read (rows whose revision, time
    stamp, tombstone or values in the package's terms differ from the package's row, e.g.
    an attachment whose provincial photo is back and gets its package path; and every row
    it changed) and its new base: the entries of the rows read, those ``kept`` as they are,
    no others. A row the package did not change holds its base's values, so the base's
    digest says whether it differs. Received (``report``): a row new to the package, or
    whose server state differs from the package's (its base's, or of a row it changed
    its own values: the server's merged, derived or kept)."""
    ours = {(c.table, c.row_id): (row_digest(c.mine, c.deleted), c.deleted) for c in changes}
    db = package.db
    for t in SYNC_TABLES:
        table = TABLES[t]
        if not final[t]:
            continue
        current = {str(i): (rev, stamp, deleted) for i, rev, stamp, deleted in db._query(
            f'SELECT id, revision, updated_at, deleted_at IS NOT NULL FROM "{t}"')}  # noqa: S608 # nosec B608 # t from the schema (SYNC_TABLES)
        todo = []
        for row in final[t]:
            i = row.id
            have = current.get(i)
            base = package.base.get((t, i))
            if (t, i) not in ours and have is not None and have[0] == row.revision \
                    and have[1] == row.get("updated_at") and bool(have[2]) == row.deleted \
                    and base is not None and base["row_digest"] == row.digest:
                continue  # unchanged in the package (as its base) and as read
            todo.append(row)
            if (t, i) not in ours:
                kind = ("insert" if have is None else "delete"
                        if row.deleted else "update")
                report["received"][kind] += 1
            elif row.digest != ours[(t, i)][0]:  # not what the package sent
                kind = "delete" if row.deleted and not ours[(t, i)][1] else "update"
                report["received"][kind] += 1
        if todo:
            write_rows(db, table, todo, "server", login)
    keep = set(kept) | {(t, r.id) for t, rows in final.items() for r in rows}
    gone = [k for k in package.base if k not in keep]
    if gone:
        db._executemany("DELETE FROM sync_base WHERE table_name = ? AND row_id = ?", gone)
    write_base(db, [r.entry for rows in final.values() for r in rows])
    db._execute("UPDATE db_meta SET value = ? WHERE key = 'package_base_change_id'",
                (str(report["base_change_id"]),))
    db._execute("INSERT INTO db_meta (key, value) VALUES ('package_base_pending', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (dumps(pending),))
    db._execute("INSERT INTO db_meta (key, value) VALUES ('package_last_changeset', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (report["changeset"],))
    if package.schema_version != SCHEMA_VERSION:  # older only by PostGIS-only versions
        db._execute("UPDATE db_meta SET value = ? WHERE key = 'schema_version'",
                    (str(SCHEMA_VERSION),))
        report["upgraded"] = [package.schema_version, SCHEMA_VERSION]
