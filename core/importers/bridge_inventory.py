"""Import a legacy spreadsheet (CSV or XLSX) of bridges and culverts through a column mapping.

A mapping file (TOML, ``core/data/mappings/<id>.toml`` ships ``nbi_2013``) names, for each
schema column of tables ``bridge``, ``culvert`` and ``inspection``, the source column(s) and a
value transform; ``[ratings]`` maps rating-scheme components to source columns (one
``component_rating`` row each) and ``[posting]`` the load ratings. The file is read by
:func:`..io.tabular.read_table` (UTF-8 with or without BOM, then cp1258, unless the mapping
fixes one of them; a file mixing them is refused). Every row is checked against the schema
and the rating scheme; a bad row is reported (file, line, source column) and left out, the
rest is imported. Nothing is written: the result holds rows keyed by schema column names for
``db.insert(table, rows, user)``. Ids are uuid5 of the mapping id and the source key, so a
re-import yields the same ids.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping

from ..condition.rating_schemes import RatingError, RatingScheme, load_posting, load_scheme
from ..datafiles import DATA_DIR, data_file
from ..errors import Cancelled, RoadInfraError
from ..io.errors import FileError
from ..io.rows import RowError
from ..io.tabular import Table, read_table
from ..io.text import check_encoding
from ..io.tomlfile import read_toml, toml_entry
from ..profile import Profile, load_profile
from ..schema import CODELISTS, TABLES

MAPPINGS_DIR = DATA_DIR / "mappings"
# [posting] keys that name source columns (the others are parameters).
POSTING_COLUMNS = ("operating_t", "inventory_t", "operating_method", "inventory_method")
ASSET_TABLES = ("bridge", "culvert")
NAMESPACE = uuid.UUID("6f1f7c52-4c1e-4d55-9d7e-2b8a3f0e9a11")  # RoadInfra import ids


class MappingError(RoadInfraError):
    """A mapping file that names an unknown table, column, transform or code list."""


class TabularError(RoadInfraError):
    """A source file whose header lacks the columns the mapping names."""


# ------------------------------------------------------------------------ transforms
def _text(value: str) -> str:
    """Stripped and NFC-composed (cp1258 files carry Vietnamese tone marks as combining)."""
    return unicodedata.normalize("NFC", value.strip())


def _strip(values: list[str], spec: Mapping) -> Any:
    return _text(values[0]) or None


def _number(text: str, spec: Mapping, kind: type) -> Any:
    text = text.strip()
    if text == "" or text.upper() in [str(v).upper() for v in spec.get("null_if", [])]:
        return None
    try:
        number = float(text.replace(",", ".")) if spec.get("decimal_comma") else float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not math.isfinite(number):  # float() reads "nan" and "inf"
        raise ValueError(f"{text!r} is not a finite number")
    number *= float(spec.get("scale", 1.0))
    if kind is int:
        if not number.is_integer():
            raise ValueError(f"{text!r} is not a whole number")
        return int(number)
    return number


def _int(values: list[str], spec: Mapping) -> Any:
    return _number(values[0], spec, int)


def _float(values: list[str], spec: Mapping) -> Any:
    return _number(values[0], spec, float)


def _sum(values: list[str], spec: Mapping) -> Any:
    numbers = [_number(v, spec, int) for v in values]
    present = [n for n in numbers if n is not None]
    return sum(present) if present else None


def _join(values: list[str], spec: Mapping) -> Any:
    parts = [_text(v) for v in values if v.strip()]
    return spec.get("sep", " ").join(parts) or None


def _dms(values: list[str], spec: Mapping) -> Any:
    """Packed degrees-minutes-seconds (DDMMSSss / DDDMMSSss, seconds x 100) -> degrees."""
    text = values[0].strip()
    if text == "" or set(text) == {"0"}:
        return None
    if not text.isdigit():
        raise ValueError(f"{text!r} is not a packed DDMMSSss angle")
    width = int(spec["degree_digits"]) + 6
    if len(text) > width:
        raise ValueError(f"{text!r} has more than {width} digits")
    text = text.zfill(width)
    d = int(spec["degree_digits"])
    degrees, minutes, seconds = int(text[:d]), int(text[d:d + 2]), int(text[d + 2:]) / 100.0
    if minutes >= 60 or seconds >= 60:
        raise ValueError(f"{text!r}: minutes or seconds are 60 or more")
    value = degrees + minutes / 60.0 + seconds / 3600.0
    return -value if spec.get("negate") else value


def _mmyy(values: list[str], spec: Mapping) -> Any:
    """Month and two-digit year (MMYY, a lost leading zero allowed) -> first day, ISO date."""
    text = values[0].strip()
    if text == "":
        return None
    if not text.isdigit() or len(text) > 4:
        raise ValueError(f"{text!r} is not a MMYY date")
    text = text.zfill(4)
    month, year = int(text[:2]), int(text[2:])
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r}: month {month} is not 1-12")
    pivot = int(spec.get("century_pivot", 50))
    year += 2000 if year < pivot else 1900
    return dt.date(year, month, 1).isoformat()


def _date(values: list[str], spec: Mapping) -> Any:
    text = values[0].strip()
    if text == "":
        return None
    fmt = spec.get("format", "%Y-%m-%d")
    try:
        return dt.datetime.strptime(text, fmt).date().isoformat()
    except ValueError:
        raise ValueError(f"{text!r} is not a date in the format {fmt}") from None


TRANSFORMS: dict[str, Callable[[list[str], Mapping], Any]] = {
    "strip": _strip, "int": _int, "float": _float, "sum": _sum, "join": _join, "dms": _dms,
    "mmyy": _mmyy, "date": _date, "code": _strip,  # "code" looks the stripped key up
}


# ------------------------------------------------------------------------ mapping
@dataclass(frozen=True)
class ColumnSpec:
    target: str
    sources: tuple[str, ...]
    transform: str
    options: Mapping[str, Any]

    @property
    def field(self) -> str:
        """The source column(s) named in error messages."""
        return "+".join(self.sources) if self.sources else self.target


@dataclass(frozen=True)
class TabularMapping:
    id: str
    path: Path
    source: Mapping[str, Any]
    structure: Mapping[str, Any] | None
    geometry: Mapping[str, ColumnSpec]
    tables: Mapping[str, tuple[ColumnSpec, ...]]
    ratings: Mapping[str, str]
    scheme: RatingScheme | None
    posting: Mapping[str, str]
    codes: Mapping[str, Mapping[str, str]]

    def source_columns(self) -> set[str]:
        cols = set()
        for specs in list(self.tables.values()) + [tuple(self.geometry.values())]:
            for spec in specs:
                cols.update(spec.sources)
        cols.update(self.ratings.values())
        cols.update(v for k, v in self.posting.items() if k in POSTING_COLUMNS)
        if self.structure:
            cols.add(self.structure["column"])
        if self.source.get("key"):
            cols.add(self.source["key"])
        return cols


def _spec(path: Path, target: str, raw: Any, codes: Mapping) -> ColumnSpec:
    if isinstance(raw, str):
        raw = {"column": raw}
    if not isinstance(raw, Mapping):
        raise MappingError(f"{path}: {target}: expected a table like {{ column = \"...\" }}")
    if "value" in raw:
        return ColumnSpec(target, (), "value", dict(raw))
    if "columns" in raw and not isinstance(raw["columns"], list):
        raise MappingError(f"{path}: {target}: 'columns' must be a list of column names")
    sources = tuple(raw["columns"]) if "columns" in raw else (raw.get("column"),)
    if not all(isinstance(s, str) and s for s in sources):
        raise MappingError(f"{path}: {target}: needs 'column', 'columns' or 'value'")
    for key, kind, what in (("null_if", list, "a list"), ("scale", (int, float), "a number"),
                            ("degree_digits", int, "a whole number"), ("sep", str, "text"),
                            ("format", str, "text"), ("century_pivot", int, "a whole number")):
        if key in raw and (not isinstance(raw[key], kind) or isinstance(raw[key], bool)):
            raise MappingError(f"{path}: {target}: {key!r} must be {what}, not {raw[key]!r}")
    transform = raw.get("transform", "strip")
    if transform not in TRANSFORMS:
        raise MappingError(f"{path}: {target}: unknown transform {transform!r} "
                           f"({', '.join(sorted(TRANSFORMS))})")
    if transform == "code" and raw.get("codes") not in codes:
        raise MappingError(f"{path}: {target}: code map [codes.{raw.get('codes')}] is missing")
    if transform == "dms" and "degree_digits" not in raw:
        raise MappingError(f"{path}: {target}: transform dms needs degree_digits")
    return ColumnSpec(target, sources, transform, dict(raw))


def _source_section(path: Path, doc: Mapping) -> dict:
    """``[source]`` checked: encoding (policy of :mod:`..io.text`), one-character delimiter
    and quote character, sheet and key names as text."""
    source = dict(toml_entry(doc, "source", "table", path, MappingError, {}))
    for key, kind in (("encoding", "text"), ("delimiter", "char"), ("quotechar", "char"),
                      ("sheet", "text"), ("key", "text")):
        toml_entry(source, key, kind, path, MappingError, None, "source")
    try:
        check_encoding(source.get("encoding", "auto"), str(path))
    except FileError as exc:
        raise MappingError(f"{exc} ([source] encoding)") from None
    if source.get("delimiter", ",") == source.get("quotechar", '"'):
        raise MappingError(f"{path}: [source] delimiter and quotechar must differ")
    return source


def mapping_path(name_or_path: str | Path) -> Path:
    return data_file(name_or_path, MAPPINGS_DIR)


@lru_cache(maxsize=8)
def load_mapping(name_or_path: str | Path) -> TabularMapping:
    """Load and check a mapping: every target table and column must exist in the schema."""
    path = mapping_path(name_or_path)
    doc = read_toml(path, MappingError, "mapping")
    source = _source_section(path, doc)
    codes = {name: {str(k): str(v) for k, v in table.items()}
             for name, table in doc.get("codes", {}).items()}
    tables = {}
    for name in (*ASSET_TABLES, "inspection"):
        if name not in doc:
            continue
        schema_table = TABLES[name]
        specs = []
        for target, raw in doc[name].items():
            if target not in schema_table.column_names:
                raise MappingError(f"{path}: [{name}] {target!r} is not a column of table "
                                   f"{name} ({', '.join(schema_table.column_names)})")
            specs.append(_spec(path, f"[{name}] {target}", raw, codes))
            specs[-1] = ColumnSpec(target, specs[-1].sources, specs[-1].transform,
                                   specs[-1].options)
        tables[name] = tuple(specs)
    if not any(t in tables for t in ASSET_TABLES):
        raise MappingError(f"{path}: needs a [bridge] or [culvert] section")
    geometry = {axis: _spec(path, f"[geometry] {axis}", raw, codes)
                for axis, raw in doc.get("geometry", {}).items()}
    if geometry and set(geometry) != {"lat", "lon"}:
        raise MappingError(f"{path}: [geometry] needs exactly 'lat' and 'lon'")
    ratings = dict(doc.get("ratings", {}))
    scheme = None
    if ratings:
        try:
            scheme = load_scheme(ratings.pop("scheme", "nbi"))
        except RatingError as exc:
            raise MappingError(f"{path}: [ratings] scheme: {exc}") from None
        for component in ratings:
            if component not in scheme.components:
                raise MappingError(f"{path}: [ratings] {component!r} is not a component of "
                                   f"scheme {scheme.id!r} ({', '.join(scheme.components)})")
    structure = doc.get("structure")
    if structure is not None and not (isinstance(structure, Mapping)
                                      and isinstance(structure.get("column"), str)):
        raise MappingError(f"{path}: [structure] needs column = \"...\" (the source column "
                           "telling bridges from culverts)")
    posting = dict(doc.get("posting", {}))
    if posting and "operating_t" not in posting:
        raise MappingError(f"{path}: [posting] needs operating_t")
    if "operating_method" in posting or "inventory_method" in posting:
        methods, vehicle = posting.get("rating_factor_methods"), posting.get(
            "rating_factor_vehicle_t")
        if not (isinstance(methods, list) and isinstance(vehicle, (int, float)) and vehicle > 0):
            raise MappingError(f"{path}: [posting] with a rating-method column needs "
                               "rating_factor_methods = [codes] and rating_factor_vehicle_t > 0")
        posting["rating_factor_methods"] = [str(m) for m in methods]
    return TabularMapping(
        id=str(doc.get("mapping", {}).get("id", path.stem)), path=path,
        source=source, structure=structure,
        geometry=geometry, tables=tables, ratings=ratings, scheme=scheme, posting=posting,
        codes=codes)


# ------------------------------------------------------------------------ import
def _load_rating_t(record: Mapping[str, str], posting: Mapping[str, Any],
                   which: str) -> float | None:
    """A load rating in tonnes; a rating factor (by its method code) times the rating vehicle."""
    column = posting.get(f"{which}_t")
    if not column:
        return None
    value = _number(record.get(column) or "", {}, float)
    method_column = posting.get(f"{which}_method")
    if value is not None and method_column and \
            (record.get(method_column) or "").strip() in posting["rating_factor_methods"]:
        value *= float(posting["rating_factor_vehicle_t"])
    return value


@dataclass
class TabularImport:
    """Rows per schema table (ready for ``db.insert``), the bad rows, and what was used."""

    source: str
    encoding: str
    mapping: str
    rows: dict = field(default_factory=lambda: {t: [] for t in (
        *ASSET_TABLES, "inspection", "component_rating")})
    errors: list = field(default_factory=list)
    rows_read: int = 0
    #: required schema columns the mapping cannot fill (e.g. route_id: locate on the LRS)
    unresolved: dict = field(default_factory=dict)

    def summary(self) -> dict:
        return {"file": self.source, "encoding": self.encoding, "mapping": self.mapping,
                "rows_read": self.rows_read, "rows_imported": self.rows_read - len(
                    {e.row for e in self.errors}),
                "counts": {t: len(r) for t, r in self.rows.items()},
                "unresolved_required_columns": self.unresolved,
                "errors": [e.as_dict() for e in self.errors]}


def _check_schema(table: str, column: str, value: Any) -> None:
    """Presence, type, code list and range of one value against the schema (ValueError)."""
    from ..db.validate import convert

    col = TABLES[table].column(column)
    if value is None:
        if not col.nullable and not col.system:
            raise ValueError(f"empty, but {table}.{column} is required")
        return
    clean = convert(col, value)
    if col.codelist and clean not in CODELISTS[col.codelist].codes:
        raise ValueError(f"{clean!r} is not in code list {col.codelist} "
                         f"({', '.join(CODELISTS[col.codelist].codes)})")
    if col.min is not None and clean < col.min:
        raise ValueError(f"{clean!r} is below the minimum {col.min:g} of {table}.{column}")
    if col.max is not None and clean > col.max:
        raise ValueError(f"{clean!r} is above the maximum {col.max:g} of {table}.{column}")


def _apply(spec: ColumnSpec, record: Mapping[str, str], mapping: TabularMapping) -> Any:
    if spec.transform == "value":
        return spec.options["value"]
    values = [record.get(s) or "" for s in spec.sources]
    if spec.transform == "code":
        key = "/".join(v.strip() for v in values)
        if key.replace("/", "") == "":
            value = None
        else:
            value = mapping.codes[spec.options["codes"]].get(key)
        if value is None and spec.options.get("required"):
            raise ValueError(f"{key!r} has no entry in code map [codes.{spec.options['codes']}]")
        return value
    return TRANSFORMS[spec.transform](values, spec.options)


def import_tabular(path: str | Path, mapping: str | Path | TabularMapping = "nbi_2013",
                   profile: Profile | None = None,
                   progress: Callable[[float], None] | None = None,
                   is_cancelled: Callable[[], bool] | None = None) -> TabularImport:
    """Read ``path`` through ``mapping``; bad rows go to ``errors``, the others to ``rows``.

    Geometry (``[geometry]`` lat/lon in WGS 84) is transformed to the profile's grid as a
    shapely Point in column ``geom``.
    """
    mp = mapping if isinstance(mapping, TabularMapping) else load_mapping(mapping)
    src = mp.source
    table = read_table(path, src.get("encoding", "auto"), src.get("delimiter", ","),
                       src.get("quotechar", '"'), src.get("sheet"))
    return import_table(table, mp, profile, progress, is_cancelled)


def import_table(table: Table, mapping: str | Path | TabularMapping = "nbi_2013",
                 profile: Profile | None = None,
                 progress: Callable[[float], None] | None = None,
                 is_cancelled: Callable[[], bool] | None = None) -> TabularImport:
    """:func:`import_tabular` for a table already read (a file, or the features of a layer
    as text cells with their feature numbers): the one import of every face."""
    from shapely.geometry import Point

    from ..crs import to_grid

    mp = mapping if isinstance(mapping, TabularMapping) else load_mapping(mapping)
    profile = profile or load_profile()
    src = mp.source
    missing = sorted(c for c in mp.source_columns() if c not in table.header)
    if missing:
        raise TabularError(f"{table.path}: row 1 (header): column(s) {missing} named in "
                           f"mapping {mp.path.name} are missing")
    result = TabularImport(table.path, table.encoding, mp.id, rows_read=len(table.rows))
    for name, specs in mp.tables.items():
        given = {s.target for s in specs}
        need = [c.name for c in TABLES[name].columns if not c.nullable and not c.system
                and c.name not in given and c.name not in ("id", "code")]
        for ref in ("bridge_id", "culvert_id", "scheme"):
            if ref in need:
                need.remove(ref)
        if need:
            result.unresolved[name] = need
    key_column = src.get("key")
    seen: dict[str, int] = {}
    total = max(1, len(table.rows))
    for n, (line, record) in enumerate(table.records(), start=1):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled("import cancelled")
        errors: list[RowError] = []

        def fail(fld: str, message: str, line: int = line, errors: list = errors) -> None:
            errors.append(RowError(table.path, line, fld, message))

        key = (record.get(key_column) or "").strip() if key_column else str(line)
        if not key:
            fail(key_column, "empty key")
        elif key in seen:
            fail(key_column, f"key {key!r} repeats row {seen[key]}")
        else:
            seen[key] = line
        kind = "bridge"
        if mp.structure:
            flag = (record.get(mp.structure["column"]) or "").strip().upper()
            bridge_when = [str(v).upper() for v in mp.structure.get("bridge_when", [])]
            kind = "bridge" if flag in bridge_when else "culvert"
        if kind not in mp.tables:
            fail(mp.structure["column"] if mp.structure else "-",
                 f"the mapping has no [{kind}] section for this {kind}")
            result.errors.extend(errors)
            continue
        asset = {"id": str(uuid.uuid5(NAMESPACE, f"{mp.id}:{kind}:{key}"))}
        for spec in mp.tables[kind]:
            try:
                value = _apply(spec, record, mp)
                _check_schema(kind, spec.target, value)
            except ValueError as exc:
                fail(spec.field, f"{kind}.{spec.target}: {exc}")
                continue
            asset[spec.target] = value
        if mp.geometry:
            coords = {}
            for axis, spec in mp.geometry.items():
                try:
                    coords[axis] = _apply(spec, record, mp)
                except ValueError as exc:
                    fail(spec.field, f"{axis}: {exc}")
            lat, lon = coords.get("lat"), coords.get("lon")
            if lat is not None and not -90 <= lat <= 90:
                fail(mp.geometry["lat"].field, f"latitude {lat:.6f} is outside -90..90")
            elif lon is not None and not -180 <= lon <= 180:
                fail(mp.geometry["lon"].field, f"longitude {lon:.6f} is outside -180..180")
            elif lat is not None and lon is not None:
                x, y = to_grid(lon, lat, profile)
                asset["geom"] = Point(float(x), float(y)) if math.isfinite(x) else None
        inspection = None
        components = []
        if mp.scheme is not None:
            ratings = {}
            for component, column in mp.ratings.items():
                if kind not in mp.scheme.components[component].structures:
                    continue
                try:
                    ratings[component] = mp.scheme.parse(component, record.get(column))
                except RatingError as exc:
                    fail(column, str(exc))
            rating = mp.scheme.rate(ratings, kind)
            inspection = {"id": str(uuid.uuid5(NAMESPACE, f"{mp.id}:inspection:{key}")),
                          f"{kind}_id": asset["id"], "scheme": mp.scheme.id,
                          "overall_rating": rating.overall,
                          "structurally_deficient": rating.deficient}
            for spec in mp.tables.get("inspection", ()):
                try:
                    value = _apply(spec, record, mp)
                    _check_schema("inspection", spec.target, value)
                except ValueError as exc:
                    fail(spec.field, f"inspection.{spec.target}: {exc}")
                    continue
                inspection[spec.target] = value
            if mp.posting:
                try:
                    operating = _load_rating_t(record, mp.posting, "operating")
                    inventory = _load_rating_t(record, mp.posting, "inventory")
                    if operating is not None:
                        posting = load_posting(operating, inventory, profile)
                        inspection["load_posting_t"] = posting.posting_t if \
                            posting.action == "post" else 0.0 if posting.action == "close" \
                            else None
                        inspection["notes"] = (
                            f"operating rating {operating:.4g} t, inventory rating "
                            f"{'-' if inventory is None else format(inventory, '.4g')} t: posting "
                            f"{posting.action} (NBI item 70 equivalent {posting.nbi_item70})")
                except (ValueError, RatingError) as exc:
                    fail(mp.posting["operating_t"], str(exc))
            for component, value in ratings.items():
                if value is not None:
                    components.append({
                        "id": str(uuid.uuid5(NAMESPACE, f"{mp.id}:rating:{key}:{component}")),
                        "inspection_id": inspection["id"], "component": component,
                        "rating": value})
        if errors:
            result.errors.extend(errors)
        else:
            result.rows[kind].append(asset)
            if inspection is not None:
                result.rows["inspection"].append(inspection)
                result.rows["component_rating"].extend(components)
        if progress is not None:
            progress(100.0 * n / total)
    return result
