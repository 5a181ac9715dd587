"""A row's history read as revisions, and "restore this revision" as a new, logged change.

Every face (the QGIS History panel, the CLI, the sync) reads :func:`revisions` and calls
:func:`restore_revision`; both work on either back-end.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Tuple

from ..schema.constraints import AUDIT_NAMES
from ..schema.tables import GEOMETRY_COLUMN, TABLES
from .errors import DatabaseError

#: Columns a revision never restores (the key, the audit columns, the tombstone).
NOT_RESTORED = set(AUDIT_NAMES) | {"id", "deleted_at"}


@dataclass(frozen=True)
class Revision:
    """One change_log entry of a row: which fields changed, old and new side by side
    (``changes``: (field, old, new), geometry as ``geom`` with WKT-free marker values)."""

    revision: int | None
    operation: str
    changed_at: dt.datetime | None
    changed_by: str | None
    app_user: str | None
    changes: Tuple[Tuple[str, Any, Any], ...]
    values: Dict[str, Any] = field(default_factory=dict, repr=False)  # the row after it

    @property
    def author(self) -> str | None:
        """Who made the change: the recorded author, else the name the application gave."""
        return self.changed_by or self.app_user


def revisions(db, table: str, row_id: str) -> List[Revision]:
    """Every revision of one row, oldest first, with the fields each one changed."""
    spec = TABLES[table]
    out = []
    for entry in db.history(table, row_id):
        old = _values(entry.get("old_values"))
        new = _values(entry.get("new_values"))
        changes = []
        for col in spec.columns:
            if col.name in AUDIT_NAMES:
                continue
            a, b = old.get(col.name), new.get(col.name)
            if entry["operation"] == "INSERT" and b is not None:
                changes.append((col.name, None, b))
            elif _norm(a) != _norm(b):
                changes.append((col.name, a, b))
        if spec.geometry and old.get(GEOMETRY_COLUMN) != new.get(GEOMETRY_COLUMN) and \
                entry["operation"] != "INSERT":
            changes.append((GEOMETRY_COLUMN, _geom_text(db, old.get(GEOMETRY_COLUMN)),
                            _geom_text(db, new.get(GEOMETRY_COLUMN))))
        out.append(Revision(entry.get("revision"), entry["operation"], entry.get("changed_at"),
                            entry.get("changed_by"), entry.get("app_user"), tuple(changes), new))
    return out


@dataclass(frozen=True)
class Tombstone:
    """A deleted (tombstoned) row and who deleted it (from its history)."""

    row: Dict[str, Any]
    deleted_by: str | None


def deleted_rows(db, table: str) -> List[Tombstone]:
    """The tombstoned rows of ``table``, the most recently deleted first (what the Deleted
    features view lists; :meth:`Database.restore` brings one back)."""
    rows = [r for r in db.fetch(table, include_deleted=True) if r.get("deleted_at") is not None]
    rows.sort(key=lambda r: r["deleted_at"], reverse=True)
    out = []
    for row in rows:
        deletes = [r for r in revisions(db, table, row["id"]) if r.operation == "DELETE"]
        out.append(Tombstone(row, deletes[-1].author if deletes else None))
    return out


def restore_revision(db, table: str, row_id: str, revision: int, *, based_on: int,
                     user: str | None = None) -> Dict[str, Any]:
    """Make the row's data what it was after ``revision`` again, as a new logged change.

    ``based_on`` is the row's revision as the caller read it (optimistic concurrency: a
    row changed since is a ConflictError). Returns the changes written (empty when the row
    already holds those values). A tombstoned row must be restored first (:meth:`restore`).
    """
    spec = TABLES[table]
    entries = [r for r in revisions(db, table, row_id) if r.revision == revision]
    if not entries:
        raise DatabaseError(f"{table} {row_id}: no revision {revision} in its history")
    target = entries[-1].values
    rows = db.fetch(table, where={"id": row_id}, include_deleted=True)
    if not rows:
        raise DatabaseError(f"{table} {row_id}: no such row")
    current = rows[0]
    if current.get("deleted_at") is not None:
        raise DatabaseError(f"{table} {current.get('code') or row_id}: the row is deleted; "
                            "restore it first (Deleted features)")
    changes: Dict[str, Any] = {}
    for col in spec.columns:
        if col.name in NOT_RESTORED or col.name not in target:
            continue
        value = _typed(col, target[col.name])
        if _norm(value) != _norm(_typed(col, current.get(col.name))):
            changes[col.name] = value
    if spec.geometry and target.get(GEOMETRY_COLUMN) is not None:
        geom = db.geometry_from_log(target[GEOMETRY_COLUMN])
        if geom is not None and (current.get(GEOMETRY_COLUMN) is None
                                 or not geom.equals(current[GEOMETRY_COLUMN])):
            changes[GEOMETRY_COLUMN] = geom
    if changes:
        db.update(table, row_id, changes, user=user, revision=based_on, derive=False)
    return changes


def _values(value) -> Dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, str):
        return json.loads(value)
    return dict(value)


def _norm(value):
    """Values compared as the log writes them (numbers as float, dates as text)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) else value
    return value


def _typed(col, value):
    """A logged value in the column's Python form (the log holds JSON)."""
    if value is None:
        return None
    if col.type == "boolean":
        return bool(value)
    if col.type == "date":
        return dt.date.fromisoformat(str(value)[:10])
    return value


def _geom_text(db, value) -> str | None:
    geom = db.geometry_from_log(value) if value is not None else None
    return None if geom is None else geom.wkt if len(geom.wkt) <= 80 else \
        f"{geom.geom_type} ({geom.length:.0f} m)" if geom.length else geom.wkt[:80]
