"""Writing cadastre results: layers (GeoPackage, GeoJSON), a workbook (XLSX) and CSV.

Every file goes through the safe writer (:func:`..io.output.output_file`: never over an
input, written beside the target and moved into place whole, so a failed write leaves the old
file). Layers are MultiPolygon layers with the tables' CRS even when empty (a layer without a
geometry type opens in QGIS without a renderer); workbook cells are written by
:func:`..io.spreadsheet.put_cell` (text never a formula).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Iterable, Mapping

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiPolygon, Polygon

from ..io.errors import one_line
from ..io.output import output_file
from ..io.spreadsheet import CellTextTooLongError, put_cell, refuse_too_long, refuse_too_many_rows
from .errors import CadastreError

LAYER_SUFFIXES = {".gpkg": "GPKG", ".geojson": "GeoJSON"}
#: Formats that hold one table: the one named (by default the first of the tables).
SINGLE_TABLE = (".csv", ".geojson")
SUFFIXES = (".gpkg", ".xlsx", ".csv", ".geojson")
#: Layer geometry type of every table (a Polygon is written as a one-part MultiPolygon).
GEOMETRY_TYPE = "MultiPolygon"


def write_tables(tables: Mapping[str, gpd.GeoDataFrame], path, *, single: str | None = None,
                 inputs: Iterable = (), option: str = "-o", rows_of: str | None = None,
                 columns: Mapping | None = None) -> Path:
    """Write named tables to ``path``: ``.gpkg`` (one layer each), ``.xlsx`` (one sheet
    each), ``.csv`` / ``.geojson`` (the table ``single``, default the first of ``tables``,
    even when empty). ``path`` may not be one of ``inputs``. ``rows_of``: the file whose
    1-based rows a ``row`` column counts (named when a workbook cell is refused); ``columns``:
    target field -> the file's column it was read from (:attr:`.reader.ParcelSet.columns`),
    so that a refused cell names the file's column too."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise CadastreError(f"{path}: output must be .gpkg, .xlsx, .csv or .geojson")
    if suffix in SINGLE_TABLE:
        name = single or next(iter(tables))
        tables = {name: tables[name]}
    with output_file(path, inputs, option) as temporary:
        if suffix == ".xlsx":
            _write_workbook(tables, temporary, str(path), rows_of, columns or {})
        elif suffix == ".csv":
            _plain(next(iter(tables.values()))).to_csv(temporary, index=False,
                                                       encoding="utf-8")
        else:
            for name, frame in tables.items():
                try:
                    _write_layer(frame, temporary, name, LAYER_SUFFIXES[suffix])
                except OSError:
                    raise
                except Exception as exc:  # fiona/GDAL raise many types; nothing is replaced
                    raise CadastreError(f"{path}: cannot write layer {name}: "
                                        f"{one_line(exc)}") from None
    return path


def _write_layer(frame: gpd.GeoDataFrame, path: Path, name: str, driver: str) -> None:
    """``frame`` as the MultiPolygon layer ``name`` of ``path`` (typed fields, its CRS)."""
    frame = _multipolygons(frame)
    try:
        import fiona  # noqa: F401 - the engine that takes a whole schema
    except ImportError:  # pragma: no cover - geopandas on pyogrio
        options = {"engine": "pyogrio", "geometry_type": GEOMETRY_TYPE}
    else:
        options = {"engine": "fiona", "schema": {
            "geometry": GEOMETRY_TYPE,
            "properties": {str(c): _field_type(frame[c]) for c in frame.columns
                           if c != frame.geometry.name}}}
    with warnings.catch_warnings():  # "writing an empty DataFrame": an empty layer is wanted
        warnings.simplefilter("ignore")
        if driver == "GPKG":
            options["layer"] = name
        frame.to_file(path, driver=driver, index=False, **options)


def _multipolygons(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` with every geometry a MultiPolygon of its polygon parts (None when it has
    none); attributes and CRS unchanged."""
    out = frame.copy()
    out[frame.geometry.name] = gpd.GeoSeries([_multi(g) for g in frame.geometry],
                                             index=frame.index, crs=frame.crs)
    return out


def _multi(geom):
    if geom is None or geom.is_empty:
        return None
    if isinstance(geom, MultiPolygon):
        return geom
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    parts = []
    for part in getattr(geom, "geoms", ()):
        if isinstance(part, Polygon):
            parts.append(part)
        elif isinstance(part, MultiPolygon):
            parts.extend(part.geoms)
    return MultiPolygon(parts) if parts else None


def _field_type(column: pd.Series) -> str:
    """The OGR field type of a column (fiona's names)."""
    kind = column.dtype.kind
    if kind == "b":
        return "bool"
    if kind in "iu":
        return "int"
    if kind == "f":
        return "float"
    if kind == "M":
        return "datetime"
    return "str"


def _write_workbook(tables: Mapping[str, pd.DataFrame], path: Path, target: str,
                    rows_of: str | None = None, columns: Mapping | None = None) -> None:
    """One sheet per table: a header row, then a row per record; refused, naming every cell
    (``target`` names the workbook; each record as :func:`_record_name`), when a text is
    longer than a cell holds."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    for name, frame in tables.items():
        refuse_too_many_rows(target, name[:31], len(frame), len(frame) + 1)
    book = Workbook()
    book.remove(book.active)
    too_long: list = []
    for name, frame in tables.items():
        sheet = book.create_sheet(name[:31])
        table = _plain(frame)
        for column, header in enumerate(table.columns, 1):
            put_cell(sheet, 1, column, str(header)).font = Font(bold=True)
        headers = [str(h) for h in table.columns]
        for n, values in enumerate(table.itertuples(index=False, name=None), 1):
            for column, value in enumerate(values, 1):
                try:
                    put_cell(sheet, n + 1, column, value, headers[column - 1])
                except CellTextTooLongError:  # named as its source knows it (only now:
                    try:                          # a name for every record would cost each)
                        put_cell(sheet, n + 1, column, value, headers[column - 1],
                                 _record_name(dict(zip(headers, values)), n, rows_of),
                                 (columns or {}).get(headers[column - 1]))
                    except CellTextTooLongError as exc:
                        too_long.append(exc)
    refuse_too_long(too_long, target)
    book.save(path)


def _record_name(record: Mapping, n: int, rows_of: str | None = None) -> str:
    """A record of a cadastre table as its source names it: ``row 5 of parcels.gpkg, parcel
    13297/99/5`` (``row``: the 1-based row of the file ``rows_of``), ``parcel 99/5, QL10
    road_land`` (an overlay's piece), else ``record n`` (its place in the table, 1-based)."""
    parts = []
    row = _given(record, "row")
    if row is not None:
        parts.append(f"row {int(float(row))}" + (f" of {rows_of}" if rows_of else ""))
    number = _given(record, "parcel_no")
    if number is not None:
        key = [v for v in (_given(record, "commune_code"), _given(record, "sheet_no")) if v]
        parts.append("parcel " + "/".join(key + [_short(number)]))
    where = _given(record, "widening") or " ".join(
        v for v in (_given(record, "route"), _given(record, "zone")) if v)
    if where:
        parts.append(where)
    return ", ".join(parts) if parts else f"record {n}"


def _given(record: Mapping, column: str) -> str | None:
    """The record's value in ``column`` as text; None when it has none (None, NaN)."""
    value = record.get(column)
    return None if value is None or value != value else str(value)


def _short(value, most: int = 40) -> str:
    text = str(value)
    return text if len(text) <= most else text[:most] + "..."


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
