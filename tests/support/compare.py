"""Compare a row as written with the row read back (types normalised by the DB API)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Mapping

from roadinfra.core.db.validate import parse_datetime
from roadinfra.core.schema import TABLES


def expected_value(col_type: str, value: Any) -> Any:
    if value is None:
        return None
    if col_type == "date":
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    if col_type == "datetime":
        return parse_datetime(value) if isinstance(value, str) else value
    if col_type == "real":
        return float(value)
    return value


def assert_same_row(table_name: str, written: Mapping[str, Any], read: Mapping[str, Any]):
    """Every written field comes back equal (geometry: same coordinates within 1 mm)."""
    table = TABLES[table_name]
    for key, value in written.items():
        if key == "geom":
            got = read["geom"]
            assert got is not None, f"{table_name}.geom lost"
            assert got.geom_type.replace("Multi", "") == value.geom_type.replace("Multi", "")
            assert got.equals_exact(got, 0) and got.symmetric_difference(value).area < 1e-6
            assert math.isclose(got.length, value.length, abs_tol=1e-3)
            continue
        col = table.column(key)
        want = expected_value(col.type, value)
        got = read[key]
        if col.type == "datetime" and want is not None:
            assert abs((got - want).total_seconds()) < 0.001, (table_name, key, got, want)
        elif col.type == "real" and want is not None:
            assert math.isclose(got, want, rel_tol=1e-12), (table_name, key, got, want)
        else:
            assert got == want, (table_name, key, got, want)
