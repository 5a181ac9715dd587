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
from ..labels import Label, language
from .errors import CadastreError

LAYER_SUFFIXES = {".gpkg": "GPKG", ".geojson": "GeoJSON"}
#: Formats that hold one table: the one named (by default the first of the tables).
SINGLE_TABLE = (".csv", ".geojson")
SUFFIXES = (".gpkg", ".xlsx", ".csv", ".geojson")
#: Layer geometry type of every table (a Polygon is written as a one-part MultiPolygon).
GEOMETRY_TYPE = "MultiPolygon"
#: A workbook's headers in the reader's language (``lang`` of :func:`write_tables`); a
#: column not listed keeps its name.
HEADERS = {
    "widening": Label("Mở rộng", "Widening"),
    "route": Label("Tuyến", "Route"),
    "zone": Label("Vùng", "Zone"),
    "grade": Label("Cấp đường", "Road grade"),
    "sheet_no": Label("Tờ bản đồ", "Map sheet"),
    "parcel_no": Label("Số thửa", "Parcel"),
    "commune_code": Label("Mã xã", "Commune code"),
    "land_use": Label("Loại đất", "Land use"),
    "owner": Label("Chủ sử dụng", "Owner"),
    "parcel_area_m2": Label("Diện tích thửa (m²)", "Parcel area (m²)"),
    "area_in_m2": Label("Diện tích trong vùng (m²)", "Area inside (m²)"),
    "share_pct": Label("Tỷ lệ của thửa (%)", "Share of the parcel (%)"),
    "from_m": Label("Từ lý trình (m)", "From measure (m)"),
    "to_m": Label("Đến lý trình (m)", "To measure (m)"),
    "km_from": Label("Từ Km", "Km from"),
    "km_to": Label("Đến Km", "Km to"),
    "reason": Label("Lý do", "Reason"),
    "part": Label("Đối tượng", "What"),
    "building": Label("Công trình (dòng tệp)", "Building (file row)"),
    "remaining_m2": Label("Diện tích còn lại (m²)", "Remaining area (m²)"),
    "roadbed_m": Label("Bề rộng nền đường (m)", "Roadbed width (m)"),
    "road_land_m": Label("Đất bảo vệ, bảo trì (m)", "Road land beyond the roadbed (m)"),
    "corridor_m": Label("Bề rộng hành lang an toàn (m)", "Safety corridor width (m)"),
    "width_m": Label("Bề rộng mới khi mở rộng (m)", "Widening: new total width (m)"),
    "profile": Label("Hồ sơ", "Profile"),
    "regulation_en": Label("Văn bản quy định bề rộng (tiếng Anh)",
                           "Regulation of the widths (English)"),
    "decision": Label("Cách đọc", "Decision"),
    "outline": Label("Dòng tệp", "File row"),
    "rows": Label("Các dòng liên quan", "Rows concerned"),
    "outline_m2": Label("Diện tích đường bao (m²)", "Outline area (m²)"),
    "inner_m2": Label("Diện tích bên trong (m²)", "Area inside (m²)"),
    "other_m2": Label("Diện tích đường bao kia, không tính (m²)",
                      "Other outline's area, not charged (m²)"),
    "other_reading": Label("Cách đọc khác", "Other reading"),
    "regulation_vi": Label("Văn bản quy định bề rộng (tiếng Việt)",
                           "Regulation of the widths (Vietnamese)"),
}
#: The coded values of the overlay's tables in the reader's language (``reason`` "land use
#: X" is :data:`LAND_USE_REASON` with the code).
VALUES = {
    "zone": {"road_land": Label("đất của đường bộ", "road land"),
             "safety_corridor": Label("hành lang an toàn", "safety corridor"),
             "widening": Label("mở rộng", "widening")},
    "part": {"parcel": Label("thửa đất", "parcel"), "building": Label("công trình", "building")},
    "reason": {"building": Label("công trình", "building"),
               "building outside any parcel": Label("công trình ngoài thửa đất",
                                                    "building outside any parcel")},
}
#: The decisions on a buildings file (:attr:`.overlay.OverlayResult.decisions`) and their
#: other readings in the reader's language.
VALUES["decision"] = {
    "frame layer": Label(
        "khung tờ bản đồ (lớp CAD khung), bỏ qua",
        "sheet frame (frame CAD layer), left out"),
    "merged": Label("gộp vào công trình giữ lại (HATCH, bản sao: một công trình vẽ hai lần)",
                    "merged into the building kept (its HATCH, a copy: one building drawn "
                    "twice)"),
    "moved": Label(
        "một công trình vẽ lệch đến 1,5 m (đo lại): tính đường bao chiếm nhiều đất của đường "
        "bộ hơn",
        "one building moved up to 1.5 m off itself (a resurvey): the outline taking more road "
        "land charged"),
    "stands again": Label(
        "đường bao lệch đến 1,5 m khỏi đường bao bị bỏ qua (tường rào, khung): một công trình "
        "riêng",
        "outline moved up to 1.5 m off an outline left out (a lot wall, a frame): a building "
        "of its own"),
    "surveys mixed": Label(
        "các cặp đường bao lệch chồng lên nhau không tách được thành hai lần đo: mỗi cặp tính "
        "riêng",
        "moved pairs overlapping each other that do not split into two surveys: each pair "
        "charged alone"),
    "moved over lone": Label(
        "một công trình vẽ lệch đến 1,5 m (đo lại): lần đo kia nằm đè lên một công trình chỉ "
        "vẽ trong một lần đo (dòng «công trình vẽ một lần»), không tính",
        "one building moved up to 1.5 m off itself (a resurvey): the other survey lies over a "
        "building drawn in one survey only (its 'drawn once' row), not charged"),
    "surveys over lone": Label(
        "các cặp đường bao lệch, cả hai lần đo nằm đè lên công trình chỉ vẽ một lần: "
        "tính trọn lần đo chiếm nhiều đất của đường bộ hơn",
        "moved pairs, both surveys over buildings drawn once: the survey taking "
        "more road land charged whole"),
    "lone house": Label(
        "công trình vẽ một lần, chỉ trong một lần đo, có đường bao ở cột dòng nằm đè lên",
        "drawn once: a building drawn in one survey only, the outline in the rows column "
        "over it"),
    "part": Label(
        "một công trình cùng các phần nhỏ bên trong",
        "one building with its small parts"),
    "taken": Label(
        "công trình được tính thay đường bao lệch khỏi nó, cùng các phần nhỏ đường bao đó chứa",
        "building charged in place of the outline moved off it, with the small parts that "
        "outline held"),
    "fill": Label(
        "một công trình, đối tượng bên trong là phần tô",
        "one building, the footprint inside its fill"),
    "hatched": Label(
        "một công trình cùng HATCH và các phòng",
        "one building with its HATCH and rooms"),
    "enclosure": Label("tường rào/khung bao, bỏ qua; các đối tượng bên trong là công trình",
                       "enclosure left out, the footprints inside the buildings"),
    "joined": Label("các đường rời nối thành một đường bao", "loose lines joined into an outline"),
    "party walls": Label(
        "tường chung chia thành một công trình mỗi phần",
        "party walls: a building per part"),
    "left out": Label(
        "không phải đa giác hay đường khép kín, bỏ qua",
        "no polygon nor closed line, left out"),
    "split": Label("mỗi đa giác là một công trình", "each polygon a building"),
    "overlapping": Label("chồng lên công trình khác, cả hai đều được tính",
                         "overlapping another building, both counted"),
    "repaired": Label("đường bao không hợp lệ đã sửa", "invalid footprint repaired"),
}
VALUES["other_reading"] = {
    "a building": Label("một công trình", "a building"),
    "a building of its own": Label("một công trình riêng", "a building of its own"),
    "an enclosure: the footprints inside the buildings": Label(
        "tường rào: các đối tượng bên trong là công trình",
        "an enclosure: the footprints inside the buildings"),
    "one building": Label("một công trình", "one building"),
    "buildings of their own": Label("các công trình riêng", "buildings of their own"),
    "one survey charged": Label("tính trọn một lần đo", "one survey charged"),
    "the other survey charged": Label("tính lần đo kia", "the other survey charged"),
    "a copy of the building over it": Label("bản sao của công trình nằm đè lên nó",
                                            "a copy of the building over it"),
    "two buildings: a house and the lot wall or building around it": Label(
        "hai công trình: một nhà và tường rào hoặc công trình bao quanh nó",
        "two buildings: a house and the lot wall or building around it"),
    "loose lines, no building": Label("các đường rời, không phải công trình",
                                      "loose lines, no building"),
}
LAND_USE_REASON = Label("loại đất {code}", "land use {code}")
#: The workbook sheet of :func:`write_tables`'s ``notes``, and its header.
NOTES_SHEET = "notes"
NOTES_HEADER = Label("Ghi chú", "Notes")
#: The workbook sheet of the decisions on a buildings file, complete (the notes list the
#: first ones): :attr:`.overlay.OverlayResult.decisions`.
DECISIONS_SHEET = "buildings_decisions"
#: Decimals of a workbook's numbers in the reader's language: measures to the decimetre.
DECIMALS = {"from_m": 1, "to_m": 1}


def check_suffix(path) -> str:
    """The lower-case suffix of the output ``path``, refused unless :func:`write_tables`
    writes it (one of SUFFIXES): checked with the other output checks, before any work."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise CadastreError(f"{path}: output must be .gpkg, .xlsx, .csv or .geojson")
    return suffix


def write_tables(tables: Mapping[str, gpd.GeoDataFrame], path, *, single: str | None = None,
                 inputs: Iterable = (), option: str = "-o", rows_of: str | None = None,
                 columns: Mapping | None = None, lang: str | None = None,
                 notes: Iterable[Label] = (),
                 extra: Mapping[str, pd.DataFrame] | None = None) -> Path:
    """Write named tables to ``path``: ``.gpkg`` (one layer each), ``.xlsx`` (one sheet
    each), ``.csv`` / ``.geojson`` (the table ``single``, default the first of ``tables``,
    even when empty). ``path`` may not be one of ``inputs``. ``rows_of``: the file whose
    1-based rows a ``row`` column counts (named when a workbook cell is refused); ``columns``:
    target field -> the file's column it was read from (:attr:`.reader.ParcelSet.columns`),
    so that a refused cell names the file's column too. ``lang`` (``vi``, ``en``): a
    workbook's headers and coded values (zone, reason, part) in that language and its
    numbers rounded as the tables show them (areas to 0.01 m², measures to 0.1 m); None:
    the columns' names and values as the layers hold them. ``notes``: sentences a workbook
    carries on a last sheet, :data:`NOTES_SHEET` (the overlay's: the regulation of the
    corridor widths), in ``lang`` (English without). ``extra``: further tables (no
    geometry) only a workbook carries, before the notes (the overlay's
    :data:`DECISIONS_SHEET`), labelled as the tables."""
    path = Path(path)
    suffix = check_suffix(path)
    if suffix in SINGLE_TABLE:
        name = single or next(iter(tables))
        tables = {name: tables[name]}
    with output_file(path, inputs, option) as temporary:
        if suffix == ".xlsx":
            sheets = {name: labelled(frame, lang) if lang else frame
                      for name, frame in {**tables, **(extra or {})}.items()}
            notes = [note.text(lang) for note in notes]
            if notes:
                sheets[NOTES_SHEET] = pd.DataFrame({NOTES_HEADER.text(lang): notes})
            _write_workbook(sheets, temporary, str(path), rows_of, {} if lang else (columns or {}))
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


def labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` for a reader of ``lang``: headers (:data:`HEADERS`), coded values
    (:data:`VALUES`) in that language, numbers rounded (2 decimals, :data:`DECIMALS`)."""
    lang = language(lang)
    table = _plain(frame)
    for column in table.columns:
        if table[column].dtype.kind == "f":
            table[column] = table[column].round(DECIMALS.get(column, 2))
        elif column in VALUES:
            table[column] = [_value_text(column, v, lang) for v in table[column]]
    return table.rename(columns={c: HEADERS[c].text(lang) for c in table.columns
                                 if c in HEADERS})


def _value_text(column: str, value, lang: str):
    label = VALUES[column].get(value) if isinstance(value, str) else None
    if label is not None:
        return label.text(lang)
    if column == "reason" and isinstance(value, str) and value.startswith("land use "):
        return LAND_USE_REASON.text(lang).format(code=value[len("land use "):])
    return value


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
