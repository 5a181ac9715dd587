"""A parent and its children across a sync: what the server holds under a row the package
deletes, and whether the parent of a row made offline is still alive on the server.

Children are the rows a row owns (``Column.parent``) and its attachments
(:func:`..schema.constraints.child_links`): a parent's tombstone cascades to them on both
back-ends. A package deleting a parent must not take with it children the server added or
changed since the package's base (the crew never saw them), and a row made offline under a
parent the server has since deleted must not be inserted live under a tombstone.

On PostGIS these decisions are made on locked rows (:mod:`.locks`), all taken first in one
step (:func:`hold`, :func:`.locks.hold`): the rows a package writes, and every row under
those it deletes, ``FOR UPDATE`` (a child added meanwhile waits, or is read), the parents
of rows made offline ``FOR SHARE`` and the rows above them ``FOR KEY SHARE`` (their delete
waits, or is read).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Mapping, Optional, Set, Tuple

from ..db.base import Database
from ..db.validate import parse_datetime
from ..derive.rows import dependents_of
from ..schema.constraints import child_links, parent_links
from ..schema.tables import TABLES
from . import locks
from .values import SYNC_TABLES

Key = Tuple[str, str]
_CHUNK = 5000


def _label(table: str, row: Mapping[str, Any]) -> str:
    return f"{table} {row.get('code') or row['id']}"


def _descendants(server: Database, keys: List[Key]
                 ) -> Tuple[List[Tuple[Key, Mapping[str, Any]]], Dict[Key, Set[Key]]]:
    """The server's live rows under the rows ``keys``, at any depth: ((table, id), row) each,
    and the parents of each."""
    parents_of: Dict[Key, Set[Key]] = {}
    rows: List[Tuple[Key, Mapping[str, Any]]] = []
    level: Set[Key] = set(keys)
    seen: Set[Key] = set(level)
    listed: Set[Key] = set()
    while level:
        found: Set[Key] = set()
        for tname in sorted({t for t, _ in level}):
            ids = sorted(i for t, i in level if t == tname)
            for child, column, kind in child_links(TABLES[tname], TABLES):
                if child not in SYNC_TABLES:
                    continue
                for start in range(0, len(ids), _CHUNK):
                    where: Dict[str, Any] = {column: ids[start:start + _CHUNK]}
                    if kind:
                        where[kind] = tname
                    for row in server.fetch(child, where=where):
                        key = (child, str(row["id"]))
                        parents_of.setdefault(key, set()).add((tname, str(row[column])))
                        if key not in listed:  # one of ``keys`` too (deleted with it)
                            listed.add(key)
                            rows.append((key, row))
                        if key not in seen:
                            seen.add(key)
                            found.add(key)
        level = found
    return rows, parents_of


def _locked_descendants(server: Database, keys: List[Key]
                        ) -> Tuple[List[Tuple[Key, Mapping[str, Any]]], Dict[Key, Set[Key]]]:
    """:func:`_descendants` read with ``keys`` and every row under them locked ``FOR
    UPDATE`` (PostGIS): read again after each lock until no new row is found, so that no
    row can be added under them, nor one under them changed, until the transaction ends."""
    locked: Set[Key] = set()
    todo: Set[Key] = set(keys)
    while True:
        for tname in sorted({t for t, _ in todo}):
            locks.lock_rows(server, tname, [i for t, i in todo if t == tname], "UPDATE")
        locked |= todo
        rows, parents_of = _descendants(server, keys)
        todo = {key for key, _ in rows} - locked
        if not todo or server.kind != "postgis":
            return rows, parents_of


def moved_children(server: Database, base: Mapping[Key, Mapping[str, Any]],
                   deleted: List[Key]) -> Dict[Key, List[str]]:
    """For every row of ``deleted`` (rows the package deletes), the server's live rows under
    it, at any depth, that the package's ``base`` did not hold or that the server changed
    since (another revision): one label each ("inspection <id> added"). Rows without such
    children are left out. The rows read stay locked (:func:`_locked_descendants`)."""
    rows, parents_of = _locked_descendants(server, deleted)
    moved: Dict[Key, str] = {}
    for key, row in rows:
        had = base.get(key)
        if had is None or had["deleted"]:
            moved[key] = f"{_label(key[0], row)} added"
        elif had["revision"] != row["revision"]:
            moved[key] = f"{_label(key[0], row)} changed"
    wanted = set(deleted)
    out: Dict[Key, List[str]] = {}
    for key, label in sorted(moved.items(), key=lambda item: item[1]):
        todo, done = list(parents_of.get(key, ())), set()
        while todo:  # every ancestor the package deletes hears of it
            up = todo.pop()
            if up in done:
                continue
            done.add(up)
            if up in wanted:
                out.setdefault(up, []).append(label)
            todo += parents_of.get(up, ())
    return out


def changed_since(server: Database, key: Key, since: Any) -> List[str]:
    """Labels of the server's live rows under the row ``key``, at any depth, added or
    changed (``updated_at``) after the time ``since``: what its tombstone would cascade to
    that was not there then. The rows read stay locked (:func:`_locked_descendants`)."""
    moment = _moment(since)
    return sorted(f"{_label(k[0], row)} added or changed"
                  for k, row in _locked_descendants(server, [key])[0]
                  if row.get("updated_at") is not None and _moment(row["updated_at"]) > moment)


def _moment(value: Any) -> dt.datetime:
    """A stored time (a datetime, or ISO text in a GeoPackage) as an aware UTC datetime."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    return parse_datetime(str(value))


def parent_keys(table: str, fields: Mapping[str, Any]) -> List[Key]:
    """(table, id) of the rows that own a row with ``fields`` (its parents, the row an
    attachment is attached to)."""
    out = [(parent, str(fields[column])) for column, parent in parent_links(TABLES[table])
           if fields.get(column)]
    attached = TABLES[table].attached_to
    if attached is not None:
        kind, column = attached
        if fields.get(kind) in SYNC_TABLES and fields.get(column):
            out.append((fields[kind], str(fields[column])))
    return out


def deleted_parents(server: Database, new_rows: List[Tuple[str, str, Mapping[str, Any]]],
                    reviving: Set[Key] = frozenset()) -> Dict[Key, str]:
    """For every row made live (table, id, fields: whole, as written) whose parent the
    server has tombstoned, a label of that parent ("bridge BR-339-004"); a parent of
    ``reviving`` (rows the same call brings back, before their children) does not count.
    The parents are read after they are held (PostGIS, :func:`.locks.hold`: they ``FOR
    SHARE``, the rows above them ``FOR KEY SHARE``; a no-op after :func:`hold`): live, they
    stay live until the transaction ends."""
    wanted: Dict[str, Set[str]] = {}
    for table, _, fields in new_rows:
        for parent, parent_id in parent_keys(table, fields):
            wanted.setdefault(parent, set()).add(parent_id)
    gone: Dict[Key, str] = {}
    locks.hold(server, {}, wanted)
    for parent, ids in wanted.items():
        ordered = sorted(ids)
        for start in range(0, len(ordered), _CHUNK):
            for row in server.fetch(parent, where={"id": ordered[start:start + _CHUNK]},
                                    include_deleted=True):
                key = (parent, str(row["id"]))
                if row.get("deleted_at") is not None and key not in reviving:
                    gone[key] = _label(parent, row)
    out: Dict[Key, str] = {}
    for table, row_id, fields in new_rows:
        labels = [gone[k] for k in parent_keys(table, fields) if k in gone]
        if labels:
            out[(table, row_id)] = ", ".join(labels)
    return out


Written = Tuple[str, str, Dict[str, Any], Optional[Mapping[str, Any]]]


def as_written(server: Database, writes: List[Tuple[str, str, Mapping[str, Any]]]
               ) -> List[Written]:
    """Each write (table, id, the fields it sets: every field of a new row, only those
    changed of an edit or a restore) as (table, id, the row it leaves: the server's row,
    tombstones included, with those fields over it, the server's row or None): a partial
    edit names no parent, the row it leaves does."""
    ids: Dict[str, Set[str]] = {}
    for table, row_id, _ in writes:
        ids.setdefault(table, set()).add(row_id)
    found: Dict[Key, Mapping[str, Any]] = {}
    for table, wanted in ids.items():
        ordered = sorted(wanted)
        for start in range(0, len(ordered), _CHUNK):
            for row in server.fetch(table, where={"id": ordered[start:start + _CHUNK]},
                                    include_deleted=True):
                found[(table, str(row["id"]))] = row
    out: List[Written] = []
    for table, row_id, fields in writes:
        now = found.get((table, row_id))
        out.append((table, row_id, {**(now or {}), **fields}, now))
    return out


def made_live(written: List[Written], deleted: List[Key], restoring: bool
              ) -> List[Tuple[str, str, Dict[str, Any]]]:
    """Of :func:`as_written`'s rows, (table, id, the row left) of those whose parents must
    be live: a new row, a row moved to another parent, and (``restoring``: a resolve taking
    the package's edit of a row the server deleted) a tombstone brought back. The rows of
    ``deleted`` are not."""
    gone = set(deleted)
    out = []
    for table, row_id, row, now in written:
        if (table, row_id) in gone:
            continue
        if now is None or parent_keys(table, row) != parent_keys(table, now) or (
                restoring and now.get("deleted_at") is not None):
            out.append((table, row_id, row))
    return out


def hold(server: Database, written: List[Written], deleted: List[Key], live: List[Tuple[
        str, str, Mapping[str, Any]]]) -> None:
    """Take every row lock a sync or a resolve needs, first in its transaction, in one step
    (PostGIS, :func:`.locks.hold`): the rows it writes (``written``, :func:`as_written`,
    those it deletes among them) and every live row under those it deletes (``deleted``)
    ``FOR UPDATE``; the parents of the rows it makes live or moves (``live``,
    :func:`made_live`) ``FOR SHARE`` and the rows above them ``FOR KEY SHARE``; the rows
    its writes derive again (a survey's PCI, then its section's:
    :func:`..derive.rows.dependents_of`), read from the rows the writes leave and from the
    server's rows before them (a distress moved: both surveys), ``FOR NO KEY UPDATE``. Its
    later locks (:func:`moved_children`, :func:`changed_since`, :func:`deleted_parents`,
    its writes) find these held: they do not wait."""
    rows: Dict[str, Set[str]] = {}
    for table, row_id in [(t, i) for t, i, _, _ in written] + list(deleted):
        rows.setdefault(table, set()).add(row_id)
    parents: Dict[str, Set[str]] = {}
    for table, _, fields in live:
        for parent, parent_id in parent_keys(table, fields):
            parents.setdefault(parent, set()).add(parent_id)

    def below() -> List[Key]:
        return [key for key, _ in _descendants(server, deleted)[0]]

    before = [(t, i, now) for t, i, _, now in written if now is not None]
    locks.hold(server, rows, parents, below if deleted else None,
               _derived(server, [(t, i, row) for t, i, row, _ in written] + before))


def _derived(server: Database, new_rows: List[Tuple[str, str, Mapping[str, Any]]]
             ) -> Dict[str, Set[str]]:
    """The rows the writes of ``new_rows`` (table, id, fields) derive again, at any depth
    (a distress: its survey, then that survey's section), table -> ids."""
    todo = [pair for table, _, fields in new_rows for pair in dependents_of(table, fields)]
    seen: Set[Key] = set()
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        for row in server.fetch(key[0], where={"id": key[1]}):
            todo += dependents_of(key[0], row)
    out: Dict[str, Set[str]] = {}
    for table, row_id in seen:
        out.setdefault(table, set()).add(row_id)
    return out


def kept_off(new_rows: List[Tuple[str, str, Mapping[str, Any]]],
             gone: Mapping[Key, str]) -> Dict[Key, str]:
    """Why each row made offline (table, id, fields) is kept off the server because a parent
    of it is deleted there: ``gone`` (:func:`deleted_parents`) says "culvert CU-340-003,
    deleted on the server"; a row under a row kept off (a component rating under an
    inspection kept off), at any depth, is kept off with it, naming that row and the
    deleted ancestor. Returns (table, id) -> the phrase after "made in the package under"."""
    out: Dict[Key, str] = {k: f"{label}, deleted on the server" for k, label in gone.items()}
    fields_of = {(t, i): f for t, i, f in new_rows}
    ancestor = dict(gone)
    changed = True
    while changed:
        changed = False
        for key, fields in fields_of.items():
            if key in out:
                continue
            held = [p for p in parent_keys(key[0], fields) if p in ancestor]
            if held:
                parent = held[0]
                ancestor[key] = ancestor[parent]
                out[key] = (f"{parent[0]} {fields_of[parent].get('code') or parent[1]}, "
                            f"itself kept off the server (its own edit_delete conflict) as "
                            f"made under {ancestor[parent]}, deleted on the server")
                changed = True
    return out


def keep_held_children(tombstones: List[tuple], deleted: List[Key]) -> List[tuple]:
    """The planned tombstones (items whose first element is a change with ``table``,
    ``row_id`` and ``mine``) less those under a row of ``deleted`` (rows the package
    deletes) whose own tombstone is not planned (a conflict keeps it on the server): a
    parent kept is kept with its children, at any depth."""
    planned = {(item[0].table, item[0].row_id): item for item in tombstones}
    held: Set[Key] = {k for k in deleted if k not in planned}
    changed = True
    while changed:
        changed = False
        for key, item in list(planned.items()):
            if any(p in held for p in parent_keys(key[0], item[0].mine or {})):
                held.add(key)
                del planned[key]
                changed = True
    return [item for item in tombstones if (item[0].table, item[0].row_id) in planned]

