"""CHECK expressions and index names derived from the definition, shared by both back-ends."""

from __future__ import annotations

from typing import Dict, List, Tuple

from .model import Column, Table
from .sqlnames import ident, literal
from .tables import CODELISTS

AUDIT_NAMES = ("revision", "created_at", "created_by", "updated_at", "updated_by")


def column_checks(col: Column) -> List[str]:
    """Portable CHECK expressions for one column: code list, minimum, maximum."""
    name = ident(col.name)
    checks = []
    if col.codelist:
        codes = ", ".join(literal(c) for c in CODELISTS[col.codelist].codes)
        checks.append(f"{name} IN ({codes})")
    if col.min is not None:
        checks.append(f"{name} >= {literal(col.min)}")
    if col.max is not None:
        checks.append(f"{name} <= {literal(col.max)}")
    return checks


def column_check_sql(table: Table, col: Column, extra: List[str] = ()) -> str:
    """``CONSTRAINT ck_<table>_<column> CHECK (...)`` (one named check per column) or ''."""
    checks = column_checks(col) + list(extra)
    if not checks:
        return ""
    return (f"CONSTRAINT {ident('ck_' + table.name + '_' + col.name)} "
            f"CHECK ({' AND '.join(checks)})")


def reference_sql(table: Table, col: Column) -> str:
    """``CONSTRAINT fk_<table>_<column> REFERENCES <table>(id)`` or ''."""
    if not col.references:
        return ""
    return (f"CONSTRAINT {ident('fk_' + table.name + '_' + col.name)} "
            f"REFERENCES {ident(col.references)} (\"id\")")


def table_indexes(table: Table) -> Dict[str, str]:
    """Name -> CREATE INDEX statement of every index of ``table`` beyond its key and column
    constraints: a unique index on each ``unique`` column (among live rows only for
    versioned tables) and a plain index on each foreign-key column (joins, history)."""
    t = ident(table.name)
    out = {}
    for col in table.columns:
        if col.unique and table.versioned:
            name = f"ux_{table.name}_{col.name}"
            out[name] = (f"CREATE UNIQUE INDEX {ident(name)} ON {t} ({ident(col.name)})"
                         " WHERE deleted_at IS NULL")
    for col in table.columns:
        if col.references:
            name = f"ix_{table.name}_{col.name}"
            out[name] = f"CREATE INDEX {ident(name)} ON {t} ({ident(col.name)})"
    if table.name == "change_log":
        out["ix_change_log_row"] = ('CREATE INDEX "ix_change_log_row" ON "change_log" '
                                    '("table_name", "row_id")')
    return out


def data_columns(table: Table) -> List[Column]:
    """Columns whose change is a real edit (everything but the audit bookkeeping)."""
    return [c for c in table.columns if c.name not in AUDIT_NAMES]


def parent_links(table: Table) -> List[Tuple[str, str]]:
    """(column, parent table) of every reference to the row that owns this one
    (``Column.parent``): the row's district_code must equal the parent's."""
    return [(c.name, c.references) for c in table.columns if c.parent]


def attach_targets(table: Table, tables: Dict[str, Table]) -> List[str]:
    """Tables among ``tables`` a row of ``table`` can be attached to (``attached_to``) that
    have an area: versioned tables with a district_code."""
    if table.attached_to is None:
        return []
    return [t.name for t in tables.values()
            if t.versioned and t.has_district and t.name != table.name]


def child_links(table: Table, tables: Dict[str, Table]) -> List[Tuple[str, str, str]]:
    """(child table, id column, table-name column or '') of every table among ``tables``
    whose rows ``table``'s rows own (Column.parent) or have attached (Table.attached_to)."""
    out = [(child.name, column, "") for child in tables.values()
           for column, parent in parent_links(child) if parent == table.name]
    for child in tables.values():
        if table.name in attach_targets(child, tables):
            kind, column = child.attached_to
            out.append((child.name, column, kind))
    return out
