"""Derived on save: one core function fills codes, areas, chainage and condition values.

>>> from roadinfra.core.derive import derive_row                      # doctest: +SKIP
>>> result = derive_row(db, "bridge", row, typed_fields={"name"})     # doctest: +SKIP
>>> result.row["code"], [str(w) for w in result.warnings]              # doctest: +SKIP
"""

from .check import PendingRow, pending_rows
from .context import DEFAULT_CODE_PATTERN, DeriveContext
from .rows import Derived, DeriveWarning, derive_row, derived_tables

__all__ = ["DEFAULT_CODE_PATTERN", "DeriveContext", "DeriveWarning", "Derived", "PendingRow",
           "derive_row", "derived_tables", "pending_rows"]
