"""Locks that make a sync's and a resolve's decisions hold until they commit (PostGIS).

A GeoPackage is locked as a whole by the writing transaction (``BEGIN IMMEDIATE``), so
every function here is a no-op on one. On PostGIS (READ COMMITTED):

- :func:`serialize`: syncs and resolves of one database run one after another (a
  transaction-level advisory lock, taken first in their transaction): what one decides
  from its reads (a deleted parent's children, a new row's parent, a photo already
  attached) cannot be undone by another's writes before it commits;
- :func:`lock_rows`: rows an office edit outside a sync (QGIS, SQL) must wait for, or
  that wait for it, locked before they are read for a decision (each read after the lock
  sees the row as committed); :func:`hold` every row lock a sync or resolve needs, taken
  in one step that never waits while it holds any (no deadlock with an office session);
- :func:`moved_on`: a deadlock or serialization failure met meanwhile, after which the
  sync starts again (nothing of it was written);
- :func:`failure`: the one line a sync or resolve ended by a lock says.

Every wait is bounded by :data:`WAIT_S`: the advisory lock is tried again and again (the
caller's cancel is heard meanwhile), and the transaction's ``lock_timeout`` bounds every
row lock, its own and its writes'. A wait that runs out raises :class:`.LockWaitError`
naming what holds it (the other sync's login; the row an open edit holds); the caller
rolls back, nothing is written.
"""

from __future__ import annotations

import time
from typing import Callable, Iterable, List, Mapping, Optional, Set, Tuple

from ..db.base import Database
from ..db.errors import LockWaitError
from ..errors import Cancelled
from ..schema.constraints import parent_links
from ..schema.sqlnames import ident
from ..schema.tables import TABLES

#: The advisory lock key of syncs and resolves (a constant of this program; advisory
#: locks are per database).
SYNC_LOCK = 0x526F6164496E6672  # "RoadInfr"
#: How long a sync or resolve waits for a lock (another sync, an open edit) before it
#: stops, nothing written, in seconds.
WAIT_S = 20.0
#: How long one wait for the advisory lock lasts (the caller's cancel is heard between).
_POLL_S = 0.5
#: FOR UPDATE keeps a row's children from being added (their foreign-key check waits);
#: FOR NO KEY UPDATE is what an UPDATE of the row takes (children may still be added);
#: FOR SHARE keeps the row from being changed or deleted (tombstoned); FOR KEY SHARE only
#: from being deleted (as a foreign key and the live-parent guard hold a parent).
MODES = ("UPDATE", "NO KEY UPDATE", "SHARE", "KEY SHARE")
_CHUNK = 500
#: deadlock_detected, serialization_failure
_MOVED_ON = ("40P01", "40001")
#: lock_not_available (lock_timeout ran out)
_TIMED_OUT = "55P03"


def serialize(db: Database, is_cancelled: Optional[Callable[[], bool]] = None,
              what: str = "sync") -> None:
    """Wait (at most :data:`WAIT_S`, cancellable) for every other sync or resolve of the
    database to commit, then hold them off until this transaction ends; bound every later
    lock wait of the transaction by :data:`WAIT_S` too (``lock_timeout``). The wait is
    made of short waits (each seen in ``pg_locks`` as one), the cancel heard between."""
    if db.kind != "postgis":
        return
    deadline = time.monotonic() + WAIT_S
    db._query("SELECT set_config('lock_timeout', %s, true)", (f"{int(_POLL_S * 1000)}ms",))
    while True:
        db._execute("SAVEPOINT ri_sync_lock")
        try:
            db._query("SELECT pg_advisory_xact_lock(%s)", (SYNC_LOCK,))
        except db.integrity_errors as exc:
            if getattr(exc, "pgcode", None) != _TIMED_OUT:
                raise
            db._execute("ROLLBACK TO SAVEPOINT ri_sync_lock")
        else:
            db._execute("RELEASE SAVEPOINT ri_sync_lock")
            break
        if is_cancelled is not None and is_cancelled():
            raise Cancelled(f"{db.target}: {what} cancelled while waiting for another sync "
                            "or resolve, nothing written")
        if time.monotonic() >= deadline:
            raise LockWaitError(f"{_holder(db)} has held the sync lock for more than "
                                f"{WAIT_S:g} s")
    db._query("SELECT set_config('lock_timeout', %s, true)", (f"{int(WAIT_S * 1000)}ms",))


def _holder(db: Database) -> str:
    """Who holds the sync lock, as said: another sync or resolve, by its login and since
    when (read from pg_locks and pg_stat_activity, which show every session's login)."""
    found = db._query(
        "SELECT a.usename, to_char(a.xact_start AT TIME ZONE 'UTC', 'HH24:MI:SS') "
        "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s "
        "AND l.objsubid = 1", (SYNC_LOCK >> 32, SYNC_LOCK & 0xFFFFFFFF))
    if not found:
        return "another sync or resolve"
    login, since = found[0]  # since: hidden from a login that may not read the session
    return f"another sync or resolve (login {login}" + (
        f", since {since} UTC)" if since else ")")


def lock_rows(db: Database, table: str, ids: Iterable[str], mode: str) -> None:
    """Lock the rows ``ids`` of ``table`` (tombstones included) ``FOR <mode>`` until the
    transaction ends: the free ones at once, then those another transaction holds, in id
    order, each wait bounded by the transaction's ``lock_timeout``; a wait that runs out
    raises :class:`.LockWaitError` naming the held rows (by code)."""
    if db.kind != "postgis":
        return
    if mode not in MODES:
        raise ValueError(f"lock mode {mode!r}")
    ordered = sorted(set(ids))
    name = ident(table)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start:start + _CHUNK]
        got = _free(db, table, chunk, mode)
        held = [i for i in chunk if i not in got]
        if not held:
            continue
        labels = _labels(db, table, held)
        try:
            db._query(f"SELECT id FROM {name} WHERE id = ANY(%s::uuid[]) "  # noqa: S608 # nosec B608 # name from the schema via ident, mode one of MODES
                      f"ORDER BY id FOR {mode}", (held,))
        except db.integrity_errors as exc:
            if getattr(exc, "pgcode", None) != _TIMED_OUT:
                raise
            raise LockWaitError(f"an open edit of {table} {labels} (QGIS or SQL, not committed) "
                              f"has held it for more than {WAIT_S:g} s") from None


def _free(db: Database, table: str, ids: List[str], mode: str) -> Set[str]:
    """The rows ``ids`` of ``table`` locked ``FOR <mode>`` at once: those no other
    transaction holds (no wait)."""
    return {str(r[0]) for r in db._query(
        f"SELECT id FROM {ident(table)} WHERE id = ANY(%s::uuid[]) "  # noqa: S608 # nosec B608 # name from the schema via ident, mode one of MODES
        f"ORDER BY id FOR {mode} SKIP LOCKED", (ids,))}


def hold(db: Database, rows: Mapping[str, Iterable[str]],
         parents: Mapping[str, Iterable[str]],
         below: Optional[Callable[[], List[Tuple[str, str]]]] = None,
         derived: Optional[Mapping[str, Iterable[str]]] = None) -> None:
    """Take every row lock a sync or resolve needs in one step that never waits while it
    holds any, and hold them until the transaction ends (each read after as committed):
    ``rows`` (table -> ids: the rows it will write) and the rows ``below`` returns (the live
    rows under the rows it deletes, read again after each lock until none is new) ``FOR
    UPDATE``; ``parents`` (table -> ids: the parents of rows about to be made live) ``FOR
    SHARE`` and every row above them (``Column.parent``, up to the top) ``FOR KEY SHARE``;
    ``derived`` (table -> ids: the rows its writes derive again, a survey's PCI after its
    distresses) ``FOR NO KEY UPDATE``, as their ``UPDATE`` will. Each is taken ``SKIP
    LOCKED`` inside a savepoint; when one is busy (an open edit, a delete, a district move)
    the savepoint is rolled back, releasing them all, that row
    alone is waited for and released, and the step starts again: only the advisory lock
    (:func:`serialize`) is held meanwhile, so an office session never waits for this one
    while it waits for the office (reviews 11q #1, 11r #1 and #2). The whole step is bounded
    by :data:`WAIT_S` (each wait by the time left), else :class:`.LockWaitError` naming the
    row."""
    if db.kind != "postgis":
        return
    written = {t: sorted(set(ids)) for t, ids in rows.items() if ids}
    wanted = {t: sorted(set(ids)) for t, ids in parents.items() if ids}
    again = {t: sorted(set(ids)) for t, ids in (derived or {}).items() if ids}
    deadline = time.monotonic() + WAIT_S
    while True:
        db._execute("SAVEPOINT ri_hold")
        busy = _take(db, written, wanted, below, again)
        if busy is None:
            db._execute("RELEASE SAVEPOINT ri_hold")
            return
        db._execute("ROLLBACK TO SAVEPOINT ri_hold")
        _wait(db, *busy, deadline)  # holding no row lock
        db._execute("ROLLBACK TO SAVEPOINT ri_hold")
        db._execute("RELEASE SAVEPOINT ri_hold")


def _take(db: Database, written: Mapping[str, List[str]], wanted: Mapping[str, List[str]],
          below: Optional[Callable[[], List[Tuple[str, str]]]],
          again: Mapping[str, List[str]]) -> Optional[Tuple[str, str, str]]:
    """Lock :func:`hold`'s rows where free (no wait); the first row another transaction
    holds (table, id, mode), or None when all are taken."""
    for table, ids in written.items():
        busy = _skip(db, table, ids, "UPDATE")
        if busy:
            return table, busy, "UPDATE"
    taken: Set[Tuple[str, str]] = {(t, i) for t, ids in written.items() for i in ids}
    while below is not None:
        todo = sorted(set(below()) - taken)
        if not todo:
            break
        for table in sorted({t for t, _ in todo}):
            busy = _skip(db, table, [i for t, i in todo if t == table], "UPDATE")
            if busy:
                return table, busy, "UPDATE"
        taken |= set(todo)
    for table, ids in again.items():
        busy = _skip(db, table, ids, "NO KEY UPDATE")
        if busy:
            return table, busy, "NO KEY UPDATE"
    for table, ids in wanted.items():
        busy = _skip(db, table, ids, "SHARE")
        if busy:
            return table, busy, "SHARE"
    for table, ids in _rows_above(db, wanted):
        busy = _skip(db, table, ids, "KEY SHARE")
        if busy:
            return table, busy, "KEY SHARE"
    return None


def _skip(db: Database, table: str, ids: List[str], mode: str) -> Optional[str]:
    """Lock the rows ``ids`` of ``table`` (tombstones included) ``FOR <mode>`` where free;
    the first that is there but another transaction holds, or None."""
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        got = _free(db, table, chunk, mode)
        missing = [i for i in chunk if i not in got]
        if not missing:
            continue
        there = {str(r[0]) for r in db._query(
            f"SELECT id FROM {ident(table)} WHERE id = ANY(%s::uuid[])",  # noqa: S608 # nosec B608 # name from the schema via ident
            (missing,))}
        held = [i for i in missing if i in there]
        if held:
            return held[0]
    return None


def _wait(db: Database, table: str, row_id: str, mode: str, deadline: float) -> None:
    """Wait for the row ``row_id`` of ``table`` ``FOR <mode>`` until ``deadline`` (the
    transaction's ``lock_timeout`` set to the time left, inside :func:`hold`'s savepoint,
    which restores it); :class:`.LockWaitError` naming the row when it runs out."""
    left = deadline - time.monotonic()
    said = (f"an open edit of {table} {_labels(db, table, [row_id])} (QGIS or SQL, not "
            f"committed) has held it for more than {WAIT_S:g} s")
    if left <= 0:
        raise LockWaitError(said)
    db._query("SELECT set_config('lock_timeout', %s, true)", (f"{max(1, int(left * 1000))}ms",))
    try:
        db._query(f"SELECT id FROM {ident(table)} WHERE id = %s::uuid "  # noqa: S608 # nosec B608 # name from the schema via ident, mode one of MODES
                  f"FOR {mode}", (row_id,))
    except db.integrity_errors as exc:
        if getattr(exc, "pgcode", None) != _TIMED_OUT:
            raise
        raise LockWaitError(said) from None


def _rows_above(db: Database, wanted: Mapping[str, List[str]]) -> List[Tuple[str, List[str]]]:
    """The rows above the rows ``wanted`` (table -> ids: their parents, ``Column.parent``,
    and theirs, up to the top), as (table, ids), the top rows first."""
    levels: List[List[Tuple[str, List[str]]]] = []
    level = list(wanted.items())
    while level:
        above = []
        for name, rows in level:
            for column, parent in parent_links(TABLES[name]):
                found = sorted({str(r[0]) for start in range(0, len(rows), _CHUNK)
                                for r in db._query(
                    f"SELECT DISTINCT {ident(column)} FROM {ident(name)} "  # noqa: S608 # nosec B608 # names from the schema via ident
                    f"WHERE id = ANY(%s::uuid[]) AND {ident(column)} IS NOT NULL",
                    (rows[start:start + _CHUNK],))})
                if found:
                    above.append((parent, found))
        levels.append(above)
        level = above
    return [pair for above in reversed(levels) for pair in above]


def _labels(db: Database, table: str, ids: list) -> str:
    """The rows ``ids`` of ``table`` as said: their codes (else ids), the first few."""
    has_code = table in TABLES and "code" in TABLES[table].column_names
    names = ids
    if has_code:
        codes = dict((str(i), c) for i, c in db._query(
            f"SELECT id, code FROM {ident(table)} WHERE id = ANY(%s::uuid[])",  # noqa: S608 # nosec B608 # name from the schema via ident
            (ids,)))
        names = [codes.get(i) or i for i in ids]
    shown = ", ".join(str(n) for n in names[:3])
    return shown + (f" (and {len(names) - 3} more)" if len(names) > 3 else "")


def timed_out(db: Database, exc: BaseException) -> bool:
    """True when ``exc`` is the server's lock_timeout running out."""
    return db.kind == "postgis" and getattr(exc, "pgcode", None) == _TIMED_OUT


def moved_on(db: Database, exc: BaseException) -> bool:
    """True when ``exc`` is the server's deadlock or serialization failure."""
    return db.kind == "postgis" and getattr(exc, "pgcode", None) in _MOVED_ON


def failure(db: Database, exc: BaseException, action: str,
            nothing: str) -> Optional[Tuple[bool, str]]:
    """What a sync or resolve (``action``) of ``db`` ended by ``exc`` says, ``nothing``
    saying what was left unwritten: (whether another writer moved on meanwhile, so the
    action may start again; the one line), for a wait that ran out or a deadlock or
    serialization failure; None for any other error."""
    if isinstance(exc, LockWaitError):  # an open edit or a sync held a lock too long
        return False, f"{db.target}: {exc}; {nothing}: {action} again (once it is committed)"
    if timed_out(db, exc):
        return False, (f"{db.target}: an open edit (QGIS or SQL, not committed) held a row "
                       f"this {action} needs for more than {WAIT_S:g} s; {nothing}: "
                       f"{action} again")
    if moved_on(db, exc):
        first = str(exc).strip().splitlines()[0]
        return True, (f"{db.target}: {first} (another writer at the same time); {nothing}: "
                      f"{action} again")
    return None
