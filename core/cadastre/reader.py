"""Read parcels from any GDAL vector format (Shapefile, GeoPackage, GML incl. INSPIRE
CadastralParcels, DXF/DGN drawings) into the parcel fields of a field mapping.

The result keeps the file's own CRS (``ParcelSet.crs``, None when the file declares none):
placing data in the provincial grid is :mod:`.importer`'s job, after the CRS check.
"""

from __future__ import annotations

import codecs
import logging
import math
import re
import struct
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, List, Sequence

import geopandas as gpd
import pandas as pd
from fiona.errors import UnsupportedGeometryTypeError
from pyproj import CRS
from pyproj.exceptions import CRSError
from shapely import wkb as shapely_wkb
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, mapping, shape
from shapely.ops import polygonize, unary_union

from ..crs import crs_label, unplaceable
from ..io.rows import RowError
from ..io.tabular import cell_text
from ..io.text import AUTO, decode_field, fields_encoding
from ..spatial_index import query_indices, strtree
from .editions import EditionError, parse_edition
from .errors import CadastreError
from .mapping import NUMERIC_FIELDS, TARGET_FIELDS, FieldMapping, load_mapping

#: Drivers whose files are drawings: parcels are closed linework, numbers are text.
CAD_DRIVERS = ("DXF", "DGN")
PARCEL_COLUMNS = ("row",) + TARGET_FIELDS


@dataclass
class ParcelSet:
    """Parcels read from one source, in the source's CRS (``crs`` None: undeclared)."""

    source: str
    frame: gpd.GeoDataFrame
    crs: CRS | None
    mapping: str
    columns: dict = field(default_factory=dict)   # target field -> source column used
    errors: List[RowError] = field(default_factory=list)  # rows left out, with why
    driver: str = ""
    layer: str | None = None
    #: set when the user's CRS replaced the one the file declares (says which, for reports)
    crs_note: str = ""
    #: the CRS the file declares when the user assigned another in its place (``crs``)
    declared_crs: CRS | None = None
    #: the file declares no CRS and ``crs`` is the one the user gave (``--crs``)
    crs_given: bool = False
    #: the refusal when an assigned CRS disagrees with ``declared_crs``, which the coordinates
    #: fit, in the words of the face that read the parcels (QGIS: its own labels, translated):
    #: a format string with ``{source}``, ``{assigned}`` and ``{own}``; None: the CLI's
    assigned_refusal: str | None = None
    #: the refusal when the CRS the user gave for a file without one (``crs_given``) is
    #: wrong and the coordinates fit another CRS (the provincial grid, else a VN-2000 / WGS 84
    #: grid), in the words of the face: a format string with ``{source}``, ``{given}``,
    #: ``{grid}`` (the CRS they fit: its code and name), ``{code}`` and
    #: ``{trust}`` (``given_trust`` when confirming the CRS would lift the refusal, else
    #: empty); None: the CLI's
    given_refusal: str | None = None
    #: the same refusal when the coordinates fit several CRSs (VN-2000 and WGS 84 grids they
    #: cannot tell apart): ``{source}``, ``{given}``, ``{fits}`` (each CRS's code and name),
    #: ``{apart}`` (how far apart they place the data, m) and ``{trust}``; None: the CLI's
    given_ambiguous: str | None = None
    #: ``{trust}`` of ``given_refusal``: how to confirm the CRS given (``{given}``), or None
    #: when the face has no way to
    given_trust: str | None = None

    def __len__(self) -> int:
        return len(self.frame)


def parse_crs(value: Any, what: str = "--crs") -> CRS:
    """A CRS from user input (``EPSG:9209``, ``9209``, WKT, PROJ, a pyproj CRS); one-line
    error otherwise."""
    if isinstance(value, CRS):
        return value
    text = str(value).strip()
    try:
        value = CRS.from_user_input(int(text) if text.isdigit() else text)
    except (CRSError, ValueError, TypeError):
        raise CadastreError(f"{what}: {text[:80]!r} is not a coordinate reference system "
                            "(give e.g. EPSG:9209)") from None
    return value


def read_parcels(path, mapping: FieldMapping | str | None = None, *, layer: str | None = None,
                 crs=None, sheet: str | None = None,
                 cad_layers: Sequence[str] | None = None, assign_crs: bool = False) -> ParcelSet:
    """Read the parcels of ``path`` through ``mapping``.

    ``crs`` is asked for only when the file declares none; if the file declares one, a
    different ``crs`` is refused (the file's own is never silently overridden) unless
    ``assign_crs`` says to read the file in ``crs`` instead (a mislabelled file; the result's
    ``crs_note`` says so). ``sheet``
    fills the map sheet of parcels whose file does not say it (a drawing of one sheet).
    ``cad_layers`` (DXF layers, DGN levels) replaces the mapping's ``[cad] layers``.
    """
    import fiona

    path = Path(path)
    mapping = mapping if isinstance(mapping, FieldMapping) else load_mapping(mapping)
    if not path.exists():
        raise CadastreError(f"{path}: no such file")
    try:
        layers = fiona.listlayers(str(path))
    except Exception as exc:  # fiona raises DriverError and others on unreadable input
        raise CadastreError(f"{path}: not a vector file GDAL can read "
                            f"({_first_line(exc)})") from None
    name = _pick_layer(path, layers, layer or mapping.layer, explicit=layer is not None)
    check_shapefile_records(path)
    encoding = shapefile_encoding(path)
    # read byte for byte (as Latin-1) and decoded here: GDAL's iconv recoding from CP1258
    # drops the last letter of a text ending in a tone mark, and a UTF-8 letter cut at the
    # field's width is not text GDAL can give
    options = {"encoding": "latin1"} if encoding else {}
    try:
        try:
            driver, declared, records, columns, failures, intact = _read_layer(path, name,
                                                                               options)
        except UnsupportedGeometryTypeError:  # arcs, which fiona cannot map: GDAL linearises
            driver, declared, records, columns, failures, intact = _read_linearised(path, name)
    except Exception as exc:
        raise CadastreError(f"{path}: cannot read layer {name!r} ({_first_line(exc)})") from None
    if encoding:
        names = _field_names(path, columns, encoding)
        records = [(g, {names.get(k, k): _decoded_or_bytes(v, encoding)
                        for k, v in a.items()}) for g, a in records]
        columns = [names[c] for c in columns]
    if failures:
        raise CadastreError(f"{path}: layer {name!r} breaks off after feature {intact} "
                            f"({failures[0]}): the file is damaged or cut short; nothing was "
                            "read")
    if driver == "GML":
        declared = _gml_declared(path, name, declared)
    file_crs = parse_crs(declared, f"{path}: declared CRS") if declared else None
    if undefined_srs(file_crs):
        file_crs = None
    given = parse_crs(crs) if crs not in (None, "") else None
    if assign_crs and given is None:
        raise CadastreError(f"{path}: --assign-crs needs --crs (the CRS to read the file in)")
    if given is not None and (why := unplaceable(given)):
        raise CadastreError(f"--crs: {crs_label(given)} is {why}: coordinates in it cannot "
                            "be placed (give e.g. EPSG:9209)")
    if file_crs is not None and not (assign_crs and given is not None) \
            and (why := unplaceable(file_crs)):
        raise CadastreError(
            f"{path}: the file declares {crs_label(file_crs)}, {why}: its coordinates cannot "
            "be placed; give the CRS they are in (--crs with --assign-crs)")
    note, replaced = "", None
    if file_crs is not None and given is not None and not file_crs.equals(given):
        if not assign_crs:
            raise CadastreError(
                f"{path}: the file declares {crs_label(file_crs)}; --crs {crs_label(given)} "
                "disagrees: drop --crs to use the file's own CRS, or add --assign-crs to read "
                "the file in the CRS given instead (when the file is mislabelled)")
        note = (f"CRS {crs_label(given)} assigned by the user in place of the file's own "
                f"({crs_label(file_crs)})")
        replaced, file_crs = file_crs, None
    source = str(path)
    if driver in CAD_DRIVERS:
        frame, errors, used = _from_drawing(source, records, mapping, sheet, cad_layers)
    else:
        frame, errors, used = _from_features(source, records, columns, mapping, sheet)
    return ParcelSet(source, frame, file_crs or given, mapping.name, used, errors, driver,
                     name, note, replaced,
                     crs_given=given is not None and file_crs is None and replaced is None)


#: What GDAL reads a GeoPackage's undefined CRSs as (srs_id 0, geographic, and -1,
#: Cartesian, the records the GeoPackage standard requires): a layer written without a CRS.
UNDEFINED_SRS = ("Undefined geographic SRS", "Undefined Cartesian SRS")


def undefined_srs(crs: CRS | None) -> bool:
    """Whether ``crs`` is a GeoPackage's undefined CRS (:data:`UNDEFINED_SRS`, as GDAL and
    QGIS give it): the layer declares no CRS."""
    return crs is not None and crs.name in UNDEFINED_SRS and crs.to_epsg() is None


def _read_layer(path: Path, name: str, options: dict):
    """(driver, declared CRS WKT, [(geometry, attributes)], columns, GDAL errors, how many
    features were read before the first error) of a layer, read by fiona."""
    import fiona

    intact = None
    with gdal_read_errors() as failures, fiona.open(str(path), layer=name, **options) as src:
        driver = src.driver
        declared = src.crs_wkt or None
        records = []
        for f in src:
            if failures and intact is None:  # logged while this feature was read
                intact = len(records)
            records.append((f.get("geometry"), dict(f.get("properties") or {})))
        columns = list(src.schema.get("properties", {}))
    return driver, declared, records, columns, failures, len(records) if intact is None \
        else intact


@contextmanager
def gdal_failures():
    """GDAL's error messages (failures and worse, one line each, at most 200 characters)
    collected in the list this yields, instead of printed, while the block runs."""
    from osgeo import gdal

    failures: list = []

    def collect(level, number, message):
        if level >= gdal.CE_Failure:
            failures.append(" ".join(str(message).split())[:200])

    gdal.PushErrorHandler(collect)
    try:
        yield failures
    finally:
        gdal.PopErrorHandler()


def _read_linearised(path: Path, name: str):
    """:func:`_read_layer` through GDAL's own API for a layer holding arcs (CurvePolygon,
    CompoundCurve, MultiSurface: GeoPackage, INSPIRE GML), each geometry linearised by GDAL
    (its default step, a few degrees of arc)."""
    from osgeo import gdal, ogr

    with gdal_failures() as failures:
        source = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_READONLY)
        if source is None:
            raise CadastreError(failures[0] if failures else "GDAL cannot open it")
        layer = source.GetLayerByName(name)
        definition = layer.GetLayerDefn()
        fields = [definition.GetFieldDefn(i) for i in range(definition.GetFieldCount())]
        columns = [f.GetName() for f in fields]
        records = []
        intact = None
        for feature in layer:
            if failures and intact is None:
                intact = len(records)
            geom = feature.GetGeometryRef()
            geometry = (mapping(shapely_wkb.loads(bytes(geom.GetLinearGeometry().ExportToIsoWkb())))
                        if geom is not None else None)
            records.append((geometry, {column: _ogr_value(feature, i, fields[i].GetType(), ogr)
                                       for i, column in enumerate(columns)}))
        srs = layer.GetSpatialRef()
        declared = srs.ExportToWkt() if srs is not None else None
        driver = source.GetDriver().ShortName
    return driver, declared, records, columns, failures, len(records) if intact is None \
        else intact


def _ogr_value(feature, index: int, kind: int, ogr):
    """A field of a GDAL feature as fiona gives it (dates as ISO text)."""
    if not feature.IsFieldSetAndNotNull(index):
        return None
    if kind in (ogr.OFTDate, ogr.OFTDateTime):
        year, month, day, hour, minute, second, _ = feature.GetFieldAsDateTime(index)
        date = f"{year:04d}-{month:02d}-{day:02d}"
        return date if kind == ogr.OFTDate else f"{date}T{hour:02d}:{minute:02d}:{int(second):02d}"
    if kind == ogr.OFTReal:
        return feature.GetFieldAsDouble(index)
    if kind in (ogr.OFTInteger, ogr.OFTInteger64):
        return feature.GetFieldAsInteger64(index)
    return feature.GetField(index)


#: GDAL's API check on a feature without geometry (fiona asks its type): not a read error.
_NULL_POINTER = re.compile(r"Pointer '\w+' is NULL in ")


@contextmanager
def gdal_read_errors():
    """The GDAL errors (not warnings) logged while reading in this thread, as a list filled
    on exit: fiona logs a feature GDAL could not read (a truncated GML, a damaged file) and
    goes on as if the layer had ended. GDAL's null-pointer checks (a feature without a
    geometry) are left out."""
    failures: list = []
    thread = threading.get_ident()

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            text = " ".join(record.getMessage().split())
            if (record.levelno >= logging.ERROR and record.thread == thread
                    and not _NULL_POINTER.match(text)):
                failures.append(text[:200])

    handler = Collect()
    logger = logging.getLogger("fiona")  # fiona._env (1.9) and its other modules
    logger.addHandler(handler)
    try:
        yield failures
    finally:
        logger.removeHandler(handler)


#: The ways a ``.cpg`` names a code page: ``1258``, ``CP1258``, ``Windows-1258``,
#: ``ANSI 1258`` (ArcGIS), ``65001`` (UTF-8).
_CPG_CODEPAGE = re.compile(r"(?:ansi|cp|windows|win|ms)?[\s_-]*(\d{3,5})")
_CPG_ISO8859 = re.compile(r"(?:iso)?[\s_-]*8859[\s_-]*(\d{1,2})")


def cpg_encoding(cpg: Path) -> str | None:
    """The encoding a Shapefile's ``.cpg`` names, as Python's codec name (``utf-8``,
    ``cp1258``, ``cp1252``, ``iso8859-1``, ...), whatever the form GDAL or ArcGIS writes
    (``ANSI 1258``, ``Windows-1258``, ``UTF-8``; a byte-order mark and blanks ignored); None
    when it names no text encoding Python knows (the file is then read as if it had no
    ``.cpg``)."""
    raw = cpg.read_bytes()[:64]
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    text = raw.decode("ascii", "replace").strip(" \t\r\n\0").lower()
    page = _CPG_CODEPAGE.fullmatch(text)
    iso = _CPG_ISO8859.fullmatch(text)
    name = (("utf-8" if page[1] == "65001" else f"cp{page[1]}") if page else
            f"iso8859-{iso[1]}" if iso else text)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.startswith(("utf-16",
                                                                                "utf-32")):
        return None  # base64, rot13 ...; or not one byte per Latin letter as a .dbf holds
    return "utf-8" if info.name == "utf-8" else info.name


def shapefile_encoding(path: Path) -> str | None:
    """The encoding of a Shapefile's attributes (decoded by RoadInfra, never by GDAL): when
    its ``.cpg`` names none (no ``.cpg``, or one naming no encoding), by the encoding policy
    of users' text files checked field by field
    (:func:`roadinfra.core.io.text.fields_encoding`: UTF-8, else cp1258; mixed refused,
    naming the row and the field); a ``.cpg`` saying UTF-8 is refused naming the rows and
    fields that are not; else the encoding its ``.cpg`` names (:func:`cpg_encoding`). None
    for other files."""
    if path.suffix.lower() not in (".shp", ".dbf"):
        return None
    dbf = _sibling(path, ".dbf")
    cpg = _sibling(path, ".cpg")
    declared = AUTO
    named = cpg_encoding(cpg) if cpg is not None else None
    if named == "utf-8":
        declared = named
    elif named is not None:
        return named
    if dbf is None:
        return None
    fix = f"write 1258 in {cpg}" if cpg is not None else ""
    return fields_encoding(dbf_text_fields(dbf.read_bytes()), str(dbf), declared, fix)


def _field_names(path: Path, columns, encoding: str) -> dict:
    """A Shapefile's field names (read as Latin-1) -> their text: in ``encoding``, else (no
    ``.cpg`` saying UTF-8) in cp1258, the policy of the values; a name that is neither is
    refused naming the field."""
    cpg = _sibling(path, ".cpg")
    declared = cpg_encoding(cpg) if cpg is not None else None
    fallbacks = [encoding] + (["cp1258"] if encoding == "utf-8"
                              and declared != "utf-8" else [])
    names = {}
    for column in columns:
        for candidate in fallbacks:
            try:
                names[column] = _decoded(column, candidate)
                break
            except UnicodeDecodeError:
                continue
        else:
            fix = f"; write 1258 in {cpg}" if cpg is not None and encoding == "utf-8" else ""
            shown = unicodedata.normalize("NFC", column.encode("latin-1").decode("cp1258",
                                                                                 "replace"))
            raise CadastreError(f"{path.with_suffix('.dbf')}: field {shown!r}: its name is not "
                                f"{encoding} text{fix}; nothing was read")
    return names


def check_shapefile_records(path: Path) -> None:
    """Refuse a Shapefile whose ``.dbf`` holds another number of records than its ``.shx``
    indexes shapes (a ``.dbf`` edited in a spreadsheet, an old one copied beside a new
    ``.shp``): GDAL reads as many features as the ``.dbf`` has and drops the other shapes
    without a word. The ``.dbf``'s records are those its header counts, as far as the file
    holds them whole."""
    if path.suffix.lower() not in (".shp", ".dbf"):
        return
    dbf = _sibling(path, ".dbf")
    shx = _sibling(path, ".shx")
    if dbf is None or shx is None:
        return  # GDAL says what is missing
    with open(dbf, "rb") as handle:
        head = handle.read(12)
    if len(head) < 12:
        return
    count = struct.unpack_from("<I", head, 4)[0]
    header, size = struct.unpack_from("<HH", head, 8)
    whole = (dbf.stat().st_size - header) // size if size else count
    records = max(0, min(count, whole))
    shapes = max(0, (shx.stat().st_size - 100) // 8)
    if records != shapes:
        raise CadastreError(f"{dbf}: {records} attribute record(s) for {shapes} shape(s) in "
                            f"{shx.name}: the .dbf does not belong to this .shp (edited "
                            "elsewhere, or copied from another export); nothing was read")


def _sibling(path: Path, suffix: str) -> Path | None:
    return next((c for c in (path.with_suffix(suffix), path.with_suffix(suffix.upper()))
                 if c.exists()), None)


def dbf_text_fields(data: bytes):
    """(1-based row, {field name: bytes}) of the character fields of each record of a
    ``.dbf`` (deleted records left out, as GDAL does), trailing blanks stripped."""
    if len(data) < 32:
        return
    count = struct.unpack_from("<I", data, 4)[0]
    header, size = struct.unpack_from("<HH", data, 8)
    fields, offset, at = [], 1, 32
    while at + 32 <= min(header, len(data)) and data[at] != 0x0D:
        name = data[at:at + 11].split(b"\0", 1)[0].decode("latin-1")
        kind, width = chr(data[at + 11]), data[at + 16]
        if kind == "C":
            fields.append((name, offset, width))
        offset += width
        at += 32
    row = 0
    for start in range(header, min(len(data), header + count * size) - size + 1, size):
        record = data[start:start + size]
        if record[:1] == b"*":
            continue
        row += 1
        yield row, {name: record[o:o + w].rstrip(b" \0") for name, o, w in fields}


def _decoded_or_bytes(value, encoding: str):
    """:func:`_decoded`, or the bytes when they are not text in ``encoding`` (a row error
    naming the field, as GDAL gives bytes it cannot decode)."""
    try:
        return _decoded(value, encoding)
    except UnicodeDecodeError:
        return value.encode("latin-1")


def _decoded(value, encoding: str):
    """Text read byte for byte as Latin-1, decoded as ``encoding`` (NFC)."""
    if not isinstance(value, str):
        return value
    return decode_field(value.encode("latin-1"), encoding)


def _gml_declared(path: Path, name: str, declared: str | None) -> str | None:
    """The CRS of a GML layer: each geometry's own ``srsName`` as GDAL reads it (GDAL gives
    the layer a CRS only when they all agree); a file whose geometries declare different CRSs
    is refused naming the rows of each (it is read in one CRS: the others would be misplaced
    without a word); with none GDAL can read, the first ``srsName`` in the file
    (:func:`_gml_srs_name`, refused by name if it is no CRS)."""
    from osgeo import gdal

    groups: list = []  # [CRS, WKT, rows]
    with gdal_failures():
        source = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_READONLY)
        layer = source.GetLayerByName(name) if source is not None else None
        seen: dict = {}
        for row, feature in enumerate(layer or [], start=1):
            geom = feature.GetGeometryRef()
            srs = geom.GetSpatialReference() if geom is not None else None
            if srs is None:
                continue  # no srsName of its own: the file's
            wkt = srs.ExportToWkt()
            if wkt not in seen:
                crs = parse_crs(wkt, f"{path}: row {row}, declared CRS")
                seen[wkt] = next((g for g in groups if g[0].equals(crs, ignore_axis_order=True)),
                                 None)
                if seen[wkt] is None:
                    seen[wkt] = [crs, wkt, []]
                    groups.append(seen[wkt])
            seen[wkt][2].append(row)
    if len(groups) > 1:
        listed = "; ".join(f"{_row_ranges(rows)} in {_crs_named(crs)}"
                           for crs, _, rows in groups)
        raise CadastreError(f"{path}: its geometries declare different CRSs (srsName): "
                            f"{listed}; a file is read in one CRS: export it again in one, "
                            "or one file per CRS; nothing was read")
    if groups:
        return declared or groups[0][1]
    return declared or _gml_srs_name(path)


def _row_ranges(rows: list, most: int = 20) -> str:
    """``rows 1-5, 9`` (1-based rows, ascending), at most ``most`` runs then how many more."""
    runs: list = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    shown = [f"{a}-{b}" if b > a else f"{a}" for a, b in runs[:most]]
    more = sum(b - a + 1 for a, b in runs[most:])
    return (f"row{'s' if len(rows) > 1 else ''} {', '.join(shown)}"
            + (f" and {more} more" if more else ""))


def _crs_named(crs: CRS) -> str:
    """``EPSG:9209 VN-2000 / TM-3 105-30``, or the CRS's label without an EPSG code."""
    code = crs.to_epsg(min_confidence=90)
    return f"EPSG:{code} {crs_label(crs)}" if code else crs_label(crs)


def _gml_srs_name(path: Path) -> str | None:
    """The first ``srsName`` of a GML file whose layer GDAL left without a CRS (INSPIRE
    files often declare it on each geometry only; GDAL reads such urn:ogc:def:crs:EPSG::
    geographic coordinates in longitude, latitude order, as every reader here expects)."""
    with open(path, "rb") as handle:
        head = handle.read(1 << 20).decode("utf-8", errors="replace")
    match = re.search(r'srsName\s*=\s*"([^"]+)"', head)
    return match.group(1) if match else None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _pick_layer(path: Path, layers: Sequence[str], wanted: str | None, explicit: bool) -> str:
    if not layers:
        raise CadastreError(f"{path}: has no layers")
    if wanted:
        for name in layers:
            if name.lower() == str(wanted).lower():
                return name
        if explicit or len(layers) > 1:
            raise CadastreError(f"{path}: no layer {wanted!r} (layers: {', '.join(layers)})")
    if len(layers) > 1:
        raise CadastreError(f"{path}: {len(layers)} layers ({', '.join(layers)}); name the "
                            "parcel layer (--layer)")
    return layers[0]


def _value(rule, raw: Any) -> Any:
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    text = unicodedata.normalize("NFC", cell_text(raw)).strip()
    if not text:
        return None
    if rule.pattern is not None:
        match = rule.pattern.search(text)
        if not match:
            return None
        text = match.group(1)
    return text


#: No parcel is larger than this (1,000 km², more than a commune): a larger official area is
#: a wrong value, refused naming the row and the field.
MAX_AREA_M2 = 1e9
#: The fields that are numbers or codes (sheet, parcel, commune, land use): at most this many
#: characters, and no control or invisible formatting characters (a newline, U+202E that
#: shows the number reversed, a zero-width space that makes two equal-looking numbers).
CODE_FIELDS = ("sheet_no", "parcel_no", "commune_code", "land_use")
CODE_MAX_CHARS = 60
#: Land use is a code or, in many exports, its name, at most this many characters (the 2024
#: Land Law's "Đất nghĩa trang, nhà tang lễ, cơ sở hỏa táng; đất cơ sở lưu giữ tro cốt" is
#: 71, a mixed use lists several names).
LAND_USE_MAX_CHARS = 255


def _number(text: Any, scale: float) -> float:
    """An area in m² from ``text`` times ``scale``; ValueError saying why it is not one."""
    shown = str(text)[:20]
    try:
        number = float(str(text).replace(",", "."))
    except ValueError:
        raise ValueError(f"{shown!r} is not an area in m²") from None
    shown = f"{number:.6g}" if len(str(text)) > 20 else shown
    value = number * scale
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{shown!r} is not an area in m²")
    if value > MAX_AREA_M2:
        raise ValueError(f"{shown!r} is not an area in m² (more than {MAX_AREA_M2 / 1e6:,.0f} "
                         "km², larger than any parcel)")
    return value


def _text_field(target: str, text: str) -> tuple[str, str]:
    """(the text of a parcel field, why it is refused or ''): a code (:data:`CODE_FIELDS`)
    holding a control or formatting character, or longer than :data:`CODE_MAX_CHARS`
    (:data:`LAND_USE_MAX_CHARS` for a land use), is refused; other text (the owner) is kept
    as it is."""
    text = str(text)
    if target not in CODE_FIELDS:
        return text, ""
    bad = next((c for c in text if unicodedata.category(c) in ("Cc", "Cf")), None)
    if bad is not None:
        shown = text.encode("unicode_escape").decode("ascii")[:40]
        return text, (f"'{shown}' holds the control character U+{ord(bad):04X} "
                      f"({unicodedata.name(bad, 'control')})")
    if target == "land_use" and len(text) > LAND_USE_MAX_CHARS:
        return text, (f"{text[:20]!r}... is {len(text)} characters long, not a land use code "
                      f"or name (at most {LAND_USE_MAX_CHARS})")
    if target != "land_use" and len(text) > CODE_MAX_CHARS:
        return text, (f"{text[:20]!r}... is {len(text)} characters long, not a number or "
                      f"code (at most {CODE_MAX_CHARS})")
    return text, ""


def drop_z(geom):
    """``geom`` in 2D (a PolygonZ of a survey or MicroStation export loses its heights)."""
    if geom is None or geom.is_empty or not geom.has_z:
        return geom
    return shapely_wkb.loads(shapely_wkb.dumps(geom, output_dimension=2))


def _polygonal(geom) -> MultiPolygon | None:
    if geom is None or geom.is_empty:
        return None
    geom = drop_z(geom)
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    if isinstance(geom, MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", ()) if isinstance(g, Polygon)]
    return MultiPolygon(parts) if parts else None


def _row(source: str, index: int, attrs: dict, geom, mapping: FieldMapping, used: dict,
         sheet: str | None, errors: list) -> dict | None:
    out: dict = {"row": index}
    ok = True
    for target in TARGET_FIELDS:
        rule = mapping.rules.get(target)
        value = None
        if rule is not None:
            column = used.get(target)
            if column and isinstance(attrs.get(column), bytes):  # GDAL could not decode it
                errors.append(RowError(source, index, column, "not text in the encoding the "
                                       "file declares (its .cpg?)"))
                ok = False
                out[target] = None
                continue
            value = _value(rule, attrs.get(column)) if column else rule.value
            if value is not None and target in NUMERIC_FIELDS:
                try:
                    value = _number(value, rule.scale)
                except ValueError as exc:
                    errors.append(RowError(source, index, column or target, str(exc)))
                    ok = False
                    value = None
            elif value is not None:
                value, why = _text_field(target, value)
                if why:
                    errors.append(RowError(source, index, column or target, why))
                    ok = False
        out[target] = value
    if out["sheet_edition"] is not None:
        try:
            out["sheet_edition"] = parse_edition(out["sheet_edition"])
        except EditionError as exc:
            errors.append(RowError(source, index, used.get("sheet_edition") or "sheet_edition",
                                   str(exc)))
            ok = False
    if out["sheet_no"] is None and sheet:
        out["sheet_no"] = str(sheet)
    for required in ("sheet_no", "parcel_no"):
        if out[required] is None:
            column = used.get(required) or "/".join(mapping.rules[required].sources)
            what = "map sheet number" if required == "sheet_no" else "parcel number"
            errors.append(RowError(source, index, column, f"no {what}"))
            ok = False
    poly = _polygonal(geom)
    if poly is None:
        errors.append(RowError(source, index, "geometry", "no polygon"))
        ok = False
    out["geometry"] = poly
    return out if ok else None


def _frame(rows: list, errors: list) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(rows, columns=list(PARCEL_COLUMNS) + ["geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry")


def parcels_from_records(source: str, records, columns: Sequence[str],
                         mapping: FieldMapping, crs: CRS | None, driver: str = "",
                         layer: str | None = None, sheet: str | None = None) -> ParcelSet:
    """A :class:`ParcelSet` from (shapely or GeoJSON-like geometry, attributes) pairs read
    elsewhere (a database query, a web service, a layer open in QGIS), through the same
    mapping rules (``sheet`` as in :func:`read_parcels`)."""
    records = [(_geo_interface(g), a) for g, a in records]
    frame, errors, used = _from_features(source, records, columns, mapping, sheet)
    return ParcelSet(source, frame, crs, mapping.name, used, errors, driver, layer)


def _geo_interface(geom):
    return getattr(geom, "__geo_interface__", geom)


def _from_features(source, records, columns, mapping, sheet):
    used = mapping.resolve(columns)
    errors: list = []
    rows = []
    for index, (geometry, attrs) in enumerate(records, 1):
        try:
            geom = shape(geometry) if geometry else None
        except (ValueError, TypeError, AttributeError, KeyError):
            errors.append(RowError(source, index, "geometry", "unreadable geometry"))
            continue
        row = _row(source, index, attrs, geom, mapping, used, sheet, errors)
        if row is not None:
            rows.append(row)
    return _frame(rows, errors), errors, used


def _from_drawing(source, records, mapping, sheet, layers=None):
    """Faces of the drawing's closed linework, each numbered by the one text label inside it.

    Only entities on ``layers`` (DXF layer names, DGN level numbers; default the mapping's
    ``[cad] layers``, empty: all) are read. Line ends within ``[cad] snap_m`` of other
    linework are joined first. Listed, each with its position in the drawing: a label in no
    face (an outline that is not closed, or a label on a boundary), a face with no label or
    with two. An unlabelled face that encloses every other face is the sheet frame: left out.
    """
    if mapping.label_pattern is None:
        raise CadastreError(f"{source}: a drawing needs [cad] label_pattern in the mapping "
                            f"{mapping.name}")
    wanted = {str(v).strip().lower() for v in (layers or mapping.cad_layers)}
    lines, labels = [], []
    for entity, (geometry, attrs) in enumerate(records, 1):
        if not geometry:
            continue
        if wanted and _cad_layer(attrs).lower() not in wanted:
            continue
        geom = shape(geometry)
        if isinstance(geom, Point):
            text = str(attrs.get("Text") or attrs.get("text") or "").strip()
            if text:
                labels.append((geom, text, entity))
        elif geom.geom_type in ("Polygon", "MultiPolygon"):
            lines.append(geom.boundary)
        elif geom.geom_type in ("LineString", "MultiLineString", "LinearRing"):
            lines.append(geom)
    faces = _faces(lines, mapping.cad_snap_m)
    faces.sort(key=lambda f: (-f.centroid.y, f.centroid.x))
    errors: list = []
    inside: list = [[] for _ in faces]
    tree = strtree(faces) if faces else None
    for point, text, entity in labels:
        hits = ([i for i in query_indices(tree, point) if faces[i].contains(point)]
                if tree is not None else [])
        if len(hits) == 1:
            inside[hits[0]].append((text, point))
            continue
        edge = (len([i for i in query_indices(tree, point) if faces[i].intersects(point)])
                if tree is not None else 0)
        why = ("lies on the boundary between parcels" if edge else
               "lies in no closed parcel outline (an outline with a gap wider than "
               f"[cad] snap_m {mapping.cad_snap_m:g} m?)")
        errors.append(RowError(source, entity, "Text",
                               f"label {text[:40]!r} at {_at(point)} {why}"))
    frame_index = _sheet_frame(faces, inside)
    rows = []
    fields = [f for f in mapping.label_pattern.groupindex if f in TARGET_FIELDS]
    used = {f: "Text" for f in fields}
    rules = {f: mapping.rules.get(f) for f in TARGET_FIELDS}
    for index, face in enumerate(faces, 1):
        texts = _one_label(inside[index - 1], mapping.label_pattern)
        where = f"parcel outline at {_at(face.representative_point())}"
        if index - 1 == frame_index:
            continue
        if len(texts) > 1:
            errors.append(RowError(source, index, "Text", f"{where}: {len(texts)} labels in one "
                                   f"parcel: {texts[:3]} do not read as one label (number, "
                                   "area, land use from top to bottom, or number over area "
                                   "with the land use to the right)"))
            continue
        if not texts:
            errors.append(RowError(source, index, "Text", f"{where}: no parcel label inside"))
            continue
        match = mapping.label_pattern.search(re.sub(r"\s+", " ", texts[0]))
        attrs = ({k: v for k, v in match.groupdict().items() if v is not None} if match
                 else {})
        row: dict = {"row": index}
        ok = True
        for target in TARGET_FIELDS:
            value = attrs.get(target)
            if value is not None and target in NUMERIC_FIELDS:
                try:
                    value = _number(value, rules[target].scale if rules[target] else 1.0)
                except ValueError as exc:
                    errors.append(RowError(source, index, "Text", f"{where}: label "
                                           f"{texts[0][:40]!r}: {exc}"))
                    ok = False
            elif value is not None and target == "sheet_edition":
                try:
                    value = parse_edition(value)
                except EditionError as exc:
                    errors.append(RowError(source, index, "Text", f"{where}: {exc}"))
                    ok = False
            elif value is not None:
                value, why = _text_field(target, value)
                if why:
                    errors.append(RowError(source, index, "Text", f"{where}: {why}"))
                    ok = False
            row[target] = value
        if not ok:
            continue
        row["sheet_no"] = row["sheet_no"] or (str(sheet) if sheet else None)
        missing = [f for f in ("sheet_no", "parcel_no") if row[f] is None]
        if missing:
            what = (f"label {texts[0][:40]!r} is not a parcel label" if "parcel_no" in missing
                    else "no map sheet (give --sheet)")
            errors.append(RowError(source, index, "Text", f"{where}: {what}"))
            continue
        row["geometry"] = MultiPolygon([face])
        rows.append(row)
    return _frame(rows, errors), errors, used


def _one_label(found: list, pattern) -> list:
    """The texts of one face: several texts are one label when they match ``pattern``, each
    text one whole field, read in one of the layouts surveyors draw: one above the other from
    top to bottom (number, area, land use), or the fraction (number over area, the land use
    to the right between their heights). Else they are left as they are (an error: several
    labels)."""
    texts = [text for text, _ in found]
    if len(found) < 2:
        return texts
    for order in _label_orders(found):
        parts = [re.sub(r"\s+", " ", text).strip() for text, _ in order]
        joined = " ".join(parts)
        match = pattern.fullmatch(joined) or pattern.search(joined)
        if match is None or match.group(0).strip() != joined:
            continue
        values = sorted(v.strip() for v in match.groupdict().values() if v is not None)
        if values == sorted(parts):
            return [joined]
    return texts


def _label_orders(found: list) -> list:
    """The reading orders of a face's texts ((text, point)) that the layouts allow: top to
    bottom when no two share a height; the fraction when two texts lie one above the other
    and a third lies to the right of both, strictly between their heights."""
    ordered = sorted(found, key=lambda f: (-f[1].y, f[1].x))
    heights = [round(p.y, 3) for _, p in ordered]
    orders = []
    if all(a > b for a, b in zip(heights, heights[1:])):
        orders.append(ordered)
    if len(found) == 3:
        right = max(found, key=lambda f: f[1].x)
        upper, lower = sorted((f for f in found if f is not right), key=lambda f: -f[1].y)
        if (right[1].x > max(upper[1].x, lower[1].x)
                and upper[1].y > right[1].y > lower[1].y):
            orders.append([upper, lower, right])
    return orders


def _cad_layer(attrs: dict) -> str:
    """The DXF layer name or DGN level number of a drawing entity."""
    for name in ("Layer", "layer", "Level", "level"):
        if attrs.get(name) is not None:
            return str(attrs[name]).strip()
    return ""


def _at(point) -> str:
    return f"x={point.x:.2f}, y={point.y:.2f}"


def _faces(lines: list, snap: float) -> list:
    """The faces of ``lines`` after joining each loose line end to the nearest linework
    within ``snap`` (another loose end first)."""
    if not lines:
        return []
    merged = unary_union(lines)
    if snap > 0:
        parts = list(getattr(merged, "geoms", [merged]))
        ends: dict = {}
        for number, part in enumerate(parts):
            for xy in (part.coords[0], part.coords[-1]):
                ends.setdefault(xy, []).append(number)
        loose = [(Point(xy), owners[0]) for xy, owners in ends.items() if len(owners) == 1]
        joins = []
        loose_points = [p for p, _ in loose]
        tree = strtree(parts)
        ends_tree = strtree(loose_points) if loose_points else None
        for point, owner in loose:
            near = point.buffer(snap)
            others = [loose_points[i] for i in query_indices(ends_tree, near)
                      if loose_points[i].distance(point) <= snap and
                      not loose_points[i].equals(point)]
            if others:
                target = min(others, key=point.distance)
            else:
                lines_near = [parts[i] for i in query_indices(tree, near)
                              if i != owner and parts[i].distance(point) <= snap]
                if not lines_near:
                    continue
                line = min(lines_near, key=point.distance)
                target = line.interpolate(line.project(point))
            joins.append(LineString([point, target]))
        if joins:
            merged = unary_union([merged] + joins)
    return [f for f in polygonize(merged) if f.area > 0]


def _sheet_frame(faces: list, inside: list) -> int | None:
    """The index of an unlabelled face whose outline encloses every other face (the sheet's
    frame drawn with the parcels), or None."""
    if len(faces) < 2:
        return None
    for i, face in enumerate(faces):
        if inside[i]:
            continue
        outline = Polygon(face.exterior)
        if all(outline.covers(other.representative_point())
               for j, other in enumerate(faces) if j != i):
            return i
    return None
