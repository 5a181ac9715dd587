"""Check and normalise rows against the schema definition before they reach the database.

The database constraints are the second line of defence; this module gives the first,
readable one: every problem names the table, the row (asset code, id or position) and the
field. Values come out in a canonical form both back-ends store: UUID text, ISO-8601
dates, UTC datetimes ``YYYY-MM-DDTHH:MM:SS.fffZ``, compact JSON text, 2-D shapely geometry
(single parts promoted to Multi* when the column is Multi*).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import numbers
import uuid
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple

from shapely.geometry import MultiLineString, MultiPolygon
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from ..schema.model import Column, Table
from ..schema.tables import CODELISTS, GEOMETRY_COLUMN
from .errors import ValidationError

#: Features may stick out of the province polygon by this much (boundary rivers, simplified
#: administrative boundaries) before they count as "outside the province".
PROVINCE_TOLERANCE_M = 2000.0

# (prepared area, description) or None when no area is known
AreaGetter = Callable[[], Optional[Tuple[Any, str]]]


def profile_province_area(profile, name: str = "the province") -> Optional[Tuple[Any, str]]:
    """(prepared bounding box of the profile's province in the grid, grown by the tolerance,
    description), or None when the profile has no box; the area of a database without a
    province polygon."""
    from shapely.geometry import box
    from shapely.prepared import prep

    from ..crs import grid_definition, to_grid

    bbox = grid_definition(profile).province_bbox_wgs84
    if not bbox:
        return None
    w, s, e, n = bbox
    xs, ys = to_grid([w, e, w, e], [s, s, n, n], profile)
    area = box(min(xs), min(ys), max(xs), max(ys)).buffer(PROVINCE_TOLERANCE_M)
    return prep(area), f"{name} bounding box (+{PROVINCE_TOLERANCE_M:.0f} m)"

_GEOMETRY_ACCEPTS = {
    "POINT": ("Point",),
    "LINESTRING": ("LineString",),
    "MULTILINESTRING": ("LineString", "MultiLineString"),
    "MULTIPOLYGON": ("Polygon", "MultiPolygon"),
}


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _show(value: Any) -> str:
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return _num(value) if isinstance(value, numbers.Real) else str(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def utc_iso(value: dt.datetime) -> str:
    """A datetime as UTC ``YYYY-MM-DDTHH:MM:SS.fffZ`` (naive values are taken as UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def parse_datetime(text: str) -> dt.datetime:
    """Parse ISO-8601 (``Z`` allowed on Python 3.9 too) to an aware UTC datetime."""
    text = text.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    value = dt.datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def convert(col: Column, value: Any) -> Any:
    """Canonical value for ``col`` or ValueError with the reason (value is not None)."""
    kind = col.type
    if kind in ("uuid",):
        return str(uuid.UUID(str(value)))
    if kind == "text":
        if not isinstance(value, str):
            raise ValueError("is not text")
        if "\x00" in value:  # PostgreSQL refuses it, SQLite readers cut the text there
            raise ValueError("contains a NUL character")
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError("is not an integer")
        if not float(value).is_integer():
            raise ValueError("is not a whole number")
        return int(value)
    if kind == "real":
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError("is not a number")
        if math.isinf(float(value)):
            raise ValueError("is not a finite number")
        return float(value)
    if kind == "boolean":
        if isinstance(value, bool) or (isinstance(value, numbers.Integral) and value in (0, 1)):
            return bool(value)
        if type(value).__name__ == "bool_":  # numpy
            return bool(value)
        raise ValueError("is not true/false")
    if kind == "date":
        if isinstance(value, dt.datetime):
            raise ValueError("is a date-time, a date is expected")
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            return dt.date.fromisoformat(value.strip()).isoformat()
        raise ValueError("is not a date (YYYY-MM-DD)")
    if kind == "datetime":
        if isinstance(value, dt.datetime):
            return utc_iso(value)
        if isinstance(value, str):
            return utc_iso(parse_datetime(value))
        raise ValueError("is not a date-time (ISO 8601)")
    if kind == "json":
        if isinstance(value, str):
            value = json.loads(value)
        if hasattr(value, "tolist"):
            value = value.tolist()
        # NaN/Infinity are not JSON: PostgreSQL's json type refuses them
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    raise ValueError(f"has unknown type {kind}")  # pragma: no cover - model checks types


class RowValidator:
    """Validates rows of one table; ``area`` gives the province (prepared) lazily."""

    def __init__(self, table: Table, districts: Sequence[str], area: AreaGetter):
        self.table = table
        self.districts = tuple(districts)
        self.area = area
        self.columns: Dict[str, Column] = {c.name: c for c in table.columns}
        self.required = [c.name for c in table.columns
                         if not c.nullable and not c.system and c.default is None]

    def label(self, row: Mapping[str, Any], index: int | None = None) -> str:
        """How messages name a row: asset code, else id, else its position (1-based)."""
        for key in ("code", "id"):
            value = row.get(key)
            if value not in (None, "") and not _is_nan(value):
                return str(value)
        return f"row {index}" if index is not None else "(new row)"

    def fail(self, label: str, field: str | None, problem: str, kind: str = "invalid",
             **params) -> ValidationError:
        return ValidationError(self.table.name, label, field, problem, kind, **params)

    def clean(self, row: Mapping[str, Any], index: int | None = None,
              partial: bool = False, label: str | None = None) -> Dict[str, Any]:
        """The row in canonical form; raises ValidationError on the first problem.

        ``partial`` checks only the given fields (an update); otherwise required fields
        must be present. Database-maintained columns are dropped on insert and refused on
        update.
        """
        label = label or self.label(row, index)
        out: Dict[str, Any] = {}
        for key, value in row.items():
            if _is_nan(value):
                value = None
            if key == GEOMETRY_COLUMN and self.table.geometry:
                out[key] = None if value is None else self.geometry(value, label)
                continue
            col = self.columns.get(key)
            if col is None:
                raise self.fail(label, key, f"unknown field '{key}' (not a column of "
                                            f"{self.table.name})")
            # Audit columns are the database's; an insert may carry a tombstone (a copy of a
            # deleted row), an update may not (use tombstone()).
            keep = key == "id" or (key == "deleted_at" and not partial)
            if col.system and not keep and self.table.kind != "system":
                if partial:
                    raise self.fail(label, key, f"field '{key}' is maintained by the database")
                continue
            if value is None:
                if not col.nullable:
                    raise self.fail(label, key, f"field '{key}' is required (NOT NULL)", "required")
                out[key] = None
                continue
            out[key] = self.value(col, value, label)
        if not partial:
            for name in self.required:
                if out.get(name) is None and name != "id":
                    raise self.fail(label, name, f"field '{name}' is required (NOT NULL)",
                                    "required")
        return out

    def value(self, col: Column, value: Any, label: str) -> Any:
        try:
            clean = convert(col, value)
        except (ValueError, TypeError) as exc:
            reason = str(exc) if col.type not in ("uuid", "date", "datetime", "json") else (
                f"is not a valid {col.type}")
            raise self.fail(label, col.name,
                            f"field '{col.name}' = {_show(value)} {reason}") from None
        if col.codelist:
            codes = CODELISTS[col.codelist].codes
            if clean not in codes:
                raise self.fail(label, col.name, f"field '{col.name}' = {_show(value)} is not in "
                                                 f"code list '{col.codelist}' ({', '.join(codes)})",
                            "not_in_list")
        if col.min is not None and clean < col.min:
            raise self.fail(label, col.name, f"field '{col.name}' = {_show(value)} is below the "
                                             f"minimum {_num(col.min)}", "below_min",
                            limit=col.min)
        if col.max is not None and clean > col.max:
            raise self.fail(label, col.name, f"field '{col.name}' = {_show(value)} is above the "
                                             f"maximum {_num(col.max)}", "above_max",
                            limit=col.max)
        if col.name == "district_code" and self.districts and clean not in self.districts:
            raise self.fail(label, col.name, f"field 'district_code' = {_show(value)} is not a "
                                             f"district of the profile "
                                             f"({', '.join(self.districts)})", "not_district")
        return clean

    def geometry(self, geom: Any, label: str) -> BaseGeometry:
        field, expected = GEOMETRY_COLUMN, self.table.geometry
        if not isinstance(geom, BaseGeometry):
            raise self.fail(label, field, f"field '{field}' is not a shapely geometry "
                                          f"({type(geom).__name__})")
        if geom.is_empty:
            raise self.fail(label, field, f"field '{field}' is an empty geometry")
        if geom.geom_type not in _GEOMETRY_ACCEPTS[expected]:
            raise self.fail(label, field, f"field '{field}' is a {geom.geom_type}, the table "
                                          f"stores {expected}")
        if expected == "MULTILINESTRING" and geom.geom_type == "LineString":
            geom = MultiLineString([geom])
        elif expected == "MULTIPOLYGON" and geom.geom_type == "Polygon":
            geom = MultiPolygon([geom])
        if not geom.is_valid:
            raise self.fail(label, field, f"field '{field}' is not a valid geometry: "
                                          f"{explain_validity(geom)}")
        area = self.area()
        if area is not None:
            prepared, description = area
            if not prepared.contains(geom):
                x, y = geom.representative_point().coords[0]
                raise self.fail(label, field, f"field '{field}' lies outside {description} "
                                              f"(near E {x:.0f}, N {y:.0f}; is it in the "
                                              f"provincial grid?)", "outside_province")
        return geom
