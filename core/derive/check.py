"""Rows whose derived values are missing or differ: what ``roadinfra db check`` flags.

Rows written by other tools (GDAL/OGR, a spreadsheet import, SQL) never passed through
:func:`~.rows.derive_row`. :func:`pending_rows` derives every live row as if written by
such a tool (each non-empty value counts as typed: only empty fields are filled) and lists
the rows where that fills something or disagrees; ``fix=True`` writes the filled values
through the DB API (each a logged change, at the revision read).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional

from ..errors import Cancelled
from .context import DeriveContext
from .rows import DeriveWarning, derive_row, derived_tables


@dataclass
class PendingRow:
    """One row with derived values to fill (``changes``) and/or warnings; ``fixed`` when
    the changes were written."""

    table: str
    row_id: str
    label: str
    changes: Dict[str, Any]
    warnings: List[DeriveWarning]
    fixed: bool = False


def pending_rows(db, *, fix: bool = False, user: str | None = None,
                 tables: Optional[List[str]] = None,
                 progress: Optional[Callable[[float], None]] = None,
                 is_cancelled: Optional[Callable[[], bool]] = None) -> List[PendingRow]:
    """Derive every live row of the tables with derivable values; list those that need it.

    ``fix=True`` writes the filled values (never a typed one) with ``user`` as the
    application user.
    """
    names = tables or list(derived_tables())
    # a section's condition comes from its surveys, a survey's PCI from its distresses
    names.sort(key=lambda n: n == "pavement_section")
    ctx = DeriveContext(db)
    out: List[PendingRow] = []
    for done, name in enumerate(names, 1):
        for row in db.fetch(name):
            if is_cancelled is not None and is_cancelled():
                raise Cancelled(f"{db.target}: check cancelled")
            result = derive_row(ctx, name, row, typed_fields=None)
            if not result.changes and not result.warnings:
                continue
            item = PendingRow(name, str(row["id"]),
                              str(row.get("code") or row["id"]), result.changes,
                              result.warnings)
            if fix and result.changes:
                db.update(name, row["id"], result.changes, user=user,
                          revision=row["revision"], derive=False)
                item.fixed = True
            out.append(item)
        if progress is not None:
            progress(100.0 * done / len(names))
    return out
