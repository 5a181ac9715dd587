"""Database constraint errors (SQLite, PostgreSQL) translated into RoadInfra's own form.

The back-end's message becomes a :class:`ValidationError` naming the table, the row (asset
code or id) and the field, the same as the checks made in Python before writing.
"""

from __future__ import annotations

import re

from ..schema.constraints import column_checks
from ..schema.model import Table
from .errors import ConflictError, DatabaseError, LockWaitError, ValidationError

_QUOTED = re.compile(r'"?([a-z_][a-z0-9_]*)"?')


def check_problem(table: Table, constraint: str) -> tuple:
    """(field, message) for a failed CHECK named ``ck_<table>_<column or check>``."""
    for check_name, expr in table.checks:
        if constraint == f"ck_{table.name}_{check_name}":
            return _QUOTED.match(expr).group(1), f"check '{check_name}' failed: {expr}"
    for col in table.columns:
        if constraint == f"ck_{table.name}_{col.name}":
            rules = " AND ".join(column_checks(col)) or "valid value"
            return col.name, f"field '{col.name}' breaks the database check {rules}"
    return None, f"database check {constraint} failed"


def _duplicate(table: Table, fields: list) -> tuple:
    """(field, message) of a unique-key violation on ``fields`` (one column or several)."""
    fields = [f for f in fields if f in table.column_names]
    if len(fields) == 1:
        return fields[0], (f"field '{fields[0]}': the value is already used by another row "
                           "(duplicate)")
    if fields:
        names = ", ".join(f"'{f}'" for f in fields)
        return None, f"fields {names}: these values are already used by another row (duplicate)"
    return None, "a unique value is already used by another row (duplicate)"


def translate_sqlite_error(exc: Exception, table: Table, label: str) -> DatabaseError:
    """A sqlite constraint error as a ValidationError naming table, row and field."""
    message = str(exc)
    field = None
    problem = message
    kind = "invalid"
    if "changed by someone else" in message:  # the revision guard (schema version 4)
        return ConflictError(f"{table.name} {label}: {message.replace('RoadInfra: ', '')}")
    guard = re.match(rf"{re.escape(table.name)}\.(\w+) must ", message)
    if guard and guard.group(1) in table.column_names:  # the area and link guards
        return ValidationError(table.name, label, guard.group(1), message)
    if message.startswith("UNIQUE constraint failed:"):
        detail = message.split(":", 1)[1].split("(", 1)[0].strip()
        index = re.search(r"index '([a-z0-9_]+)'", detail)
        if index:
            fields = [index.group(1).replace(f"ux_{table.name}_", "")]
        else:  # "table.a, table.b"
            fields = [part.split(".")[-1].strip() for part in detail.split(",")]
        field, problem = _duplicate(table, fields)
        kind = "duplicate"
    elif message.startswith("NOT NULL constraint failed:"):
        field = message.rsplit(".", 1)[-1].strip()
        problem = f"field '{field}' is required (NOT NULL)"
        kind = "required"
    elif message.startswith("CHECK constraint failed:"):
        field, problem = check_problem(table, message.split(":", 1)[1].strip())
        kind = "check"
    elif message.startswith("FOREIGN KEY constraint failed"):
        refs = [c.name for c in table.columns if c.references]
        field = refs[0] if len(refs) == 1 else None
        targets = ", ".join(f"{c.name} -> {c.references}" for c in table.columns if c.references)
        problem = f"a referenced row does not exist ({targets})"
    if field is not None and field not in table.column_names and field != "geom":
        field = None
    return ValidationError(table.name, label, field, problem, kind)


def translate_pg_error(exc: Exception, table: Table, label: str) -> DatabaseError:
    """A server error as ValidationError (constraints) or DatabaseError (rights, other)."""
    code = getattr(exc, "pgcode", None) or ""
    diag = getattr(exc, "diag", None)
    constraint = getattr(diag, "constraint_name", None) or ""
    column = getattr(diag, "column_name", None)
    primary = (getattr(diag, "message_primary", None) or str(exc)).strip()
    if code == "23505":  # unique_violation
        if constraint.startswith("ux_"):
            fields = [constraint.replace(f"ux_{table.name}_", "")]
        else:  # a multi-column key: its columns are in the detail "Key (a, b)=(...)"
            key = re.match(r"Key \(([^)]*)\)", getattr(diag, "message_detail", None) or "")
            fields = [f.strip().strip('"') for f in key.group(1).split(",")] if key else []
        field, problem = _duplicate(table, fields)
        return ValidationError(table.name, label, field, problem, "duplicate")
    if code == "23502":  # not_null_violation
        return ValidationError(table.name, label, column,
                               f"field '{column}' is required (NOT NULL)", "required")
    if code == "23514":  # check_violation
        field, problem = check_problem(table, constraint)
        return ValidationError(table.name, label, field, problem, "check")
    if code == "23503":  # foreign_key_violation
        field = constraint.replace(f"fk_{table.name}_", "") if constraint.startswith("fk_") \
            else None
        return ValidationError(table.name, label, field,
                               f"a referenced row does not exist ({field})")
    if code in ("22023", "22P02") and "geometry" in primary.lower():
        return ValidationError(table.name, label, "geom", f"field 'geom': {primary}")
    if code in ("40001", "40P01"):  # the revision guard (schema version 4); a deadlock
        return ConflictError(f"{table.name} {label}: {primary}")
    if code == "55P03":  # lock_not_available: the writer's lock_timeout ran out
        return LockWaitError(f"{table.name} {label}: an open edit of it or of a row it needs "
                           "(QGIS or SQL, not committed) held it too long")
    if code == "23000" and column:  # integrity_constraint_violation: the area guard
        return ValidationError(table.name, label, column, primary)
    if code == "42501":  # insufficient_privilege (grants, RLS, district trigger)
        return DatabaseError(f"{table.name} {label}: refused: {primary}")
    return DatabaseError(f"{table.name} {label}: {primary}")
