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
  sync starts again (nothing of it was written).
"""

from __future__ import annotations

from typing import Iterable

from ..db.base import Database
from ..schema.sqlnames import ident

#: The advisory lock key of syncs and resolves (a constant of this program; advisory
#: locks are per database).
SYNC_LOCK = 0x526F6164496E6672  # "RoadInfr"
#: FOR UPDATE keeps a row's children from being added (their foreign-key check waits);
#: FOR SHARE keeps the row from being changed or deleted (tombstoned).
MODES = ("UPDATE", "SHARE")
_CHUNK = 500
#: deadlock_detected, serialization_failure
_MOVED_ON = ("40P01", "40001")


def serialize(db: Database) -> None:
    """Wait for every other sync or resolve of the database to commit, then hold them off
    until this transaction ends."""
    if db.kind == "postgis":
        db._query("SELECT pg_advisory_xact_lock(%s)", (SYNC_LOCK,))


def lock_rows(db: Database, table: str, ids: Iterable[str], mode: str) -> None:
    """Lock the rows ``ids`` of ``table`` (tombstones included) ``FOR <mode>`` until the
    transaction ends, in id order (two lockers never wait for each other crosswise)."""
    if db.kind != "postgis":
        return
    if mode not in MODES:
        raise ValueError(f"lock mode {mode!r}")
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start:start + _CHUNK]
        db._query(f"SELECT id FROM {ident(table)} WHERE id = ANY(%s::uuid[]) "  # noqa: S608 # nosec B608 # name from the schema via ident, mode one of MODES
                  f"ORDER BY id FOR {mode}", (chunk,))


def moved_on(db: Database, exc: BaseException) -> bool:
    """True when ``exc`` is the server's deadlock or serialization failure."""
    return db.kind == "postgis" and getattr(exc, "pgcode", None) in _MOVED_ON
