"""Locks that make a sync's and a resolve's decisions hold until they commit (PostGIS).

A GeoPackage is locked as a whole by the writing transaction (``BEGIN IMMEDIATE``), so
every function here is a no-op on one. On PostGIS (READ COMMITTED):

- :func:`serialize`: syncs and resolves of one database run one after another (a
  transaction-level advisory lock, taken first in their transaction): what one decides
  from its reads (a deleted parent's children, a new row's parent, a photo already
  attached) cannot be undone by another's writes before it commits;
- :func:`lock_rows`: rows an office edit outside a sync (QGIS, SQL) must wait for, or
  that wait for it, locked before they are read for a decision (each read after the lock
  sees the row as committed);
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
from typing import Callable, Iterable, List, Optional, Tuple

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
#: FOR SHARE keeps the row from being changed or deleted (tombstoned), and the rows above
#: it from being deleted (:func:`lock_rows`); FOR KEY SHARE only the latter (as a foreign
#: key and the live-parent guard hold a parent).
MODES = ("UPDATE", "SHARE", "KEY SHARE")
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
    transaction ends (``SHARE``: the rows above them first, see :func:`_lock_above`): the
    free ones at once, then those another transaction holds, in id
    order, each wait bounded by the transaction's ``lock_timeout``; a wait that runs out
    raises :class:`.LockWaitError` naming the held rows (by code)."""
    if db.kind != "postgis":
        return
    if mode not in MODES:
        raise ValueError(f"lock mode {mode!r}")
    ordered = sorted(set(ids))
    if mode == "SHARE":
        _lock_above(db, table, ordered)
    name = ident(table)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start:start + _CHUNK]
        got = {str(r[0]) for r in db._query(
            f"SELECT id FROM {name} WHERE id = ANY(%s::uuid[]) "  # noqa: S608 # nosec B608 # name from the schema via ident, mode one of MODES
            f"ORDER BY id FOR {mode} SKIP LOCKED", (chunk,))}
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


def _lock_above(db: Database, table: str, ids: List[str]) -> None:
    """Lock the rows above ``ids`` of ``table`` (their parents, ``Column.parent``, and
    theirs, up to the top) ``FOR KEY SHARE``, the top row first: the order the live-parent
    guard (schema 19) and a tombstone's cascade lock in, so an office delete of a row above
    the parent of a row about to be added waits for this transaction instead of holding the
    row above while it waits for the parent, and deadlocking with the guard."""
    levels: List[List[Tuple[str, List[str]]]] = []
    level = [(table, ids)]
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
    for above in reversed(levels):
        for parent, found in above:
            lock_rows(db, parent, found, "KEY SHARE")


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
