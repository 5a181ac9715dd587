"""Reading cadastral parcels from what the user has in QGIS, the overlay's inputs, and
writing cadastre results as layers: the one glue of the cadastre Processing algorithms and
the *Cadastre* dialog.

A source is a file path or an open layer. A file, and a layer that is a whole file
(OGR, no filter, no unsaved edits), is read by :func:`roadinfra.core.cadastre.reader.read_parcels`,
so the file's own declared CRS, its layers and a drawing's text labels are what is checked
(a CRS the user set on the layer replaces the file's: a mislabelled file); any other layer
(memory, PostGIS, SpatiaLite, a filtered or edited layer) is read feature by feature
(:mod:`roadinfra.plugin.processing.features`) into
:func:`~roadinfra.core.cadastre.reader.parcels_from_records` with the layer's CRS.
"""

from __future__ import annotations

import argparse
import math
from functools import partial
from pathlib import Path
from typing import Callable

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSource,
    QgsGeometry,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsWkbTypes,
)
from shapely.geometry import MultiPolygon, Polygon

from ...core.cadastre.buildings import (
    buildings_in_grid,
    cad_layer_field,
    is_hatch,
    read_buildings,
    subclass_field,
)
from ...core.cadastre.corridor import MAX_WIDENING_M, Widening, grouped
from ...core.cadastre.errors import CadastreError
from ...core.cadastre.mapping import FieldMapping, load_mapping
from ...core.cadastre.reader import (
    ParcelSet,
    parcels_from_records,
    parse_crs,
    read_parcels,
    undefined_srs,
)
from ...core.cadastre.sources import OverlayInputs
from ...core.cadastre.sources import overlay_inputs as read_overlay_inputs
from ...core.chainage import parse_chainage
from ...core.cli.cmd_cadastre import edition_date
from ...core.crs import crs_label
from ...core.db import open_database
from ..i18n import tr
from ..processing.features import (
    frame_fields,
    plain,
    shapely_geometry,
    source_features,
    text_value,
    write_features,
)

#: The overlay's tables, in the order of the layers on the map (top first).
OVERLAY_TABLES = ("land_acquisition", "encroachment", "corridor_parcels", "corridors")
#: OverlayResult attribute of each table
OVERLAY_ATTRIBUTES = {"corridor_parcels": "pieces", "encroachment": "encroachments",
                      "land_acquisition": "acquisition", "corridors": "corridors"}


def polygons(geom) -> QgsGeometry:
    """A shapely geometry as a QGIS multipolygon (its polygon parts; empty when none)."""
    parts = []
    for part in getattr(geom, "geoms", [geom]) if geom is not None else []:
        if isinstance(part, Polygon):
            parts.append(part)
        elif isinstance(part, MultiPolygon):
            parts.extend(part.geoms)
    return QgsGeometry.fromWkt(MultiPolygon(parts).wkt) if parts else QgsGeometry()


def qgis_crs(crs) -> QgsCoordinateReferenceSystem:
    """A pyproj CRS (or None) as a QGIS one."""
    if crs is None:
        return QgsCoordinateReferenceSystem()
    epsg = crs.to_epsg()
    return (QgsCoordinateReferenceSystem(f"EPSG:{epsg}") if epsg else
            QgsCoordinateReferenceSystem.fromWkt(crs.to_wkt()))


def pyproj_crs(crs: QgsCoordinateReferenceSystem, what: str):
    """A valid QGIS CRS as a pyproj one (None when not valid, or a GeoPackage's undefined
    CRS: :func:`~roadinfra.core.cadastre.reader.undefined_srs`)."""
    if not crs.isValid():
        return None
    authid = crs.authid()
    found = parse_crs(authid if authid.upper().startswith("EPSG:") else crs.toWkt(), what)
    return None if undefined_srs(found) else found


def write_polygons(sink, frame, feedback=None):
    """A GeoDataFrame of polygons into ``sink`` (its attributes as :func:`frame_fields`);
    returns the fields."""
    table = frame.drop(columns=frame.geometry.name)
    fields = frame_fields(table)
    columns = [table[c].to_numpy(dtype=object) for c in table.columns]
    geoms = list(frame.geometry)

    def features():
        for i in range(len(table)):
            feature = QgsFeature(fields)
            feature.setAttributes([plain(column[i]) for column in columns])
            feature.setGeometry(polygons(geoms[i]))
            yield feature

    write_features(sink, features(), feedback)
    return fields


def polygon_fields(frame):
    return frame_fields(frame.drop(columns=frame.geometry.name))


def memory_layer(frame, crs, name: str) -> QgsVectorLayer:
    """A GeoDataFrame of polygons as a memory layer named ``name``."""
    layer = QgsVectorLayer(f"{QgsWkbTypes.displayString(QgsWkbTypes.Type.MultiPolygon)}",
                           name, "memory")
    layer.setCrs(qgis_crs(crs))
    provider = layer.dataProvider()
    provider.addAttributes(polygon_fields(frame).toList())
    layer.updateFields()
    write_polygons(provider, frame)
    layer.updateExtents()
    return layer


def whole_file(layer: QgsVectorLayer) -> tuple[str, str | None] | None:
    """(file, layer name) when ``layer`` shows a whole vector file as it is on disk (OGR, no
    filter, no unsaved edits); None otherwise."""
    if layer.providerType() != "ogr" or layer.subsetString() or layer.isModified():
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path") or ""
    if not path or not Path(path).is_file():
        return None
    return path, parts.get("layerName") or None


def crs_set_by_user(layer: QgsVectorLayer) -> bool:
    """Whether the CRS of a layer of a file is not the one QGIS reads from the file (the user
    set it: *Layer CRS > Set Layer CRS*, a mislabelled file)."""
    fresh = QgsVectorLayer(layer.source(), "crs probe", "ogr")
    return fresh.isValid() and fresh.crs() != layer.crs()


def read_source(source, mapping: FieldMapping | str | None = None, *, layer: str | None = None,
                crs=None, sheet: str | None = None, feedback=None,
                assign_crs: bool = False, assigned_refusal: str | None = None,
                given_refusal: str | None = None, given_trust: str | None = None,
                given_ambiguous: str | None = None) -> ParcelSet:
    """The parcels of ``source``: a file path (``path|layername=NAME`` too), a
    ``QgsVectorLayer`` or another feature source (e.g. the selected features of a layer).
    ``crs`` (text) is for a source that declares none; one that contradicts the source's own
    is refused, unless ``assign_crs`` (read the source in ``crs`` instead);
    ``assigned_refusal`` as :attr:`ParcelSet.assigned_refusal` (default: the CRS set on the
    layer); ``given_refusal``, ``given_ambiguous`` and ``given_trust`` as those of
    :class:`ParcelSet` (the face's words for a wrong CRS given for a source that declares
    none, when the coordinates fit one CRS, or several)."""
    return parcel_reader(source, mapping, layer=layer, crs=crs, sheet=sheet,
                         feedback=feedback, assign_crs=assign_crs,
                         assigned_refusal=assigned_refusal, given_refusal=given_refusal,
                         given_trust=given_trust, given_ambiguous=given_ambiguous)()


def parcel_reader(source, mapping: FieldMapping | str | None = None, *,
                  layer: str | None = None, crs=None, sheet: str | None = None,
                  feedback=None, assign_crs: bool = False,
                  assigned_refusal: str | None = None, given_refusal: str | None = None,
                  given_trust: str | None = None,
                  given_ambiguous: str | None = None) -> Callable[[], ParcelSet]:
    """:func:`read_source` in two steps: the features of a layer that is not a whole file are
    read now (in the thread that owns the layer); the function returned reads a file (and
    may run in a background task)."""
    refusal = assigned_refusal or tr(
        "{source}: the CRS set on the layer ({assigned}) disagrees with the file's own "
        "declared CRS, {own}, which the coordinates fit: set the layer's CRS back to the "
        "file's own (layer properties, Source); nothing was imported")
    read = _parcel_reader(source, mapping, layer=layer, crs=crs, sheet=sheet,
                          feedback=feedback, assign_crs=assign_crs)

    def framed() -> ParcelSet:
        parcels = read()
        parcels.assigned_refusal = refusal
        parcels.given_refusal, parcels.given_trust = given_refusal, given_trust
        parcels.given_ambiguous = given_ambiguous
        return parcels

    return framed


def _parcel_reader(source, mapping, *, layer, crs, sheet, feedback,
                   assign_crs) -> Callable[[], ParcelSet]:
    """:func:`parcel_reader` without the refusal's wording."""
    mapping = mapping if isinstance(mapping, FieldMapping) else load_mapping(mapping or None)
    crs = crs or None
    if assign_crs and crs is None:  # a file or a layer alike: never silently the source's own
        raise CadastreError(tr("Assigning a CRS to the parcels needs a CRS: none was chosen"))
    if isinstance(source, (str, Path)):
        path, _, options = str(source).partition("|")
        named = dict(part.split("=", 1) for part in options.split("|") if "=" in part)
        return lambda: read_parcels(path, mapping, layer=layer or named.get("layername"),
                                    crs=crs, sheet=sheet, assign_crs=assign_crs)
    on_disk = whole_file(source) if isinstance(source, QgsVectorLayer) else None
    if on_disk is None:
        parcels = parcels_from_source(source, mapping, crs=crs, sheet=sheet, feedback=feedback,
                                      assign_crs=assign_crs)
        return lambda: parcels
    on_layer = pyproj_crs(source.crs(), f"{source.name()}: CRS")
    assigned = assign_crs or (on_layer is not None and crs_set_by_user(source))

    def read() -> ParcelSet:
        if assigned:  # the CRS given, or the one the user set on the layer, replaces the file's
            return read_parcels(on_disk[0], mapping, layer=layer or on_disk[1],
                                crs=crs if assign_crs else on_layer, sheet=sheet,
                                assign_crs=True)
        parcels = read_parcels(on_disk[0], mapping, layer=layer or on_disk[1], crs=crs,
                               sheet=sheet, assign_crs=assign_crs)
        if parcels.crs is None:  # the file declares none: the CRS set on the layer
            parcels.crs = on_layer
        return parcels

    return read


def parcels_from_source(source: QgsFeatureSource, mapping: FieldMapping, *, crs=None,
                        sheet: str | None = None, feedback=None,
                        assign_crs: bool = False) -> ParcelSet:
    """The features of a layer or feature source through ``mapping`` (row N: the N-th
    feature), in the source's CRS (``crs`` only when it has none, or with ``assign_crs``)."""
    name = source.name() if isinstance(source, QgsVectorLayer) else source.sourceName()
    declared = pyproj_crs(source.crs() if isinstance(source, QgsVectorLayer)
                          else source.sourceCrs(), f"{name}: CRS")
    given = parse_crs(crs) if crs else None
    note, replaced = "", None
    if assign_crs and given is not None and declared is not None and not declared.equals(given):
        note = (f"CRS {crs_label(given)} assigned by the user in place of the layer's own "
                f"({crs_label(declared)})")
        replaced, declared = declared, None
    if declared is not None and given is not None and not declared.equals(given):
        raise CadastreError(f"{name}: the layer declares {crs_label(declared)}; the CRS given "
                            f"({crs_label(given)}) disagrees (the layer's own CRS is used; leave "
                            "the CRS empty)")
    columns = source.fields().names()
    records = [(shapely_geometry(feature.geometry()),
                {column: (text_value(value) if value is not None else None)
                 for column, value in zip(columns, (plain(v) for v in feature.attributes()))})
               for feature in source_features(source, feedback)]
    driver = source.providerType() if isinstance(source, QgsVectorLayer) else "layer"
    parcels = parcels_from_records(name, records, columns, mapping, declared or given,
                                   driver=driver, layer=name, sheet=sheet)
    parcels.crs_note, parcels.declared_crs = note, replaced
    return parcels


def buildings_reader(source, feedback=None, advice: str | None = None, cad_layers=None,
                     cad_advice: str | None = None, behind: QgsVectorLayer | None = None
                     ) -> Callable:
    """Building footprints for the overlay from ``source``: a file path (``path|layername=
    NAME`` names its layer, ``path|cadlayer=A,B`` a drawing's CAD layers; a file with several
    layers and none named is refused, naming them), a layer or another feature source (its
    features are read now, in the thread that owns the layer, in its own CRS; ``behind``:
    the layer behind a feature source, e.g. Processing's). Of a drawing (a DXF or DGN, whose
    entities carry their CAD layer; a layer of one as a file), only ``cad_layers`` are
    read; one with entities on several CAD layers and none named is refused, naming them.
    Returns ``read(profile, area=None)``, the polygons in the provincial grid (moved as
    ``roadinfra cadastre overlay --buildings`` moves a file's). ``advice``, ``cad_advice``:
    how the face names a file's layer, a drawing's CAD layer (default the dialog's list)."""
    cad_advice = cad_advice or tr("choose the drawing's CAD layer in the list: "
                                  "FILE|cadlayer=NAME")
    if isinstance(source, (str, Path)):
        advice = advice or tr("choose the file's layer in the list: FILE|layername=NAME")
        return partial(read_buildings, str(source), advice=advice, cad_layers=cad_layers,
                       cad_advice=cad_advice)
    layer = source if isinstance(source, QgsVectorLayer) else behind
    name = source.name() if isinstance(source, QgsVectorLayer) else source.sourceName()
    crs = pyproj_crs(source.crs() if isinstance(source, QgsVectorLayer)
                     else source.sourceCrs(), f"{name}: CRS")
    drawing = is_drawing(layer)
    field = cad_layer_field(source.fields().names()) if drawing else None
    kind = subclass_field(source.fields().names()) if drawing else None
    geometries, cad, hatch = [], [], []
    for feature in source_features(source, feedback, unchecked=True):
        geometries.append(shapely_geometry(feature.geometry()))  # repaired by the core
        cad.append(str(feature[field] or "").strip() if field else None)
        hatch.append(is_hatch(feature[kind]) if kind else False)
    return partial(buildings_in_grid, name, geometries, crs, layer=True,
                   cad=cad if field else None, cad_layers=cad_layers, cad_advice=cad_advice,
                   hatch=hatch if kind else None)


def is_drawing(layer: QgsVectorLayer | None) -> bool:
    """Whether ``layer`` shows a drawing (a DXF, DGN or DWG file read by OGR), whose entities
    carry their CAD layer."""
    if layer is None or layer.providerType() != "ogr":
        return False
    path = QgsProviderRegistry.instance().decodeUri("ogr", layer.source()).get("path") or ""
    return Path(path).suffix.lower() in DRAWINGS


#: File suffixes of drawings, whose entities carry their CAD layer (level).
DRAWINGS = (".dxf", ".dgn", ".dwg")


def drawing_cad_layers(path: str) -> list[str]:
    """The CAD layers (DXF layers, DGN levels) of a drawing's entities, to offer
    ``path|cadlayer=NAME`` for each (empty for a file that is no drawing or cannot be read)."""
    from osgeo import gdal

    if Path(path).suffix.lower() not in DRAWINGS:
        return []
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        source = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_READONLY)
        if source is None or source.GetLayerCount() != 1:
            return []
        layer = source.GetLayerByIndex(0)
        defn = layer.GetLayerDefn()
        field = cad_layer_field(defn.GetFieldDefn(i).GetName()
                                for i in range(defn.GetFieldCount()))
        if field is None:
            return []
        return sorted({str(f.GetField(field) or "").strip() for f in layer
                       if f.GetGeometryRef() is not None} - {""})
    finally:
        gdal.PopErrorHandler()


def buildings_layers(path: str) -> list[str]:
    """The layers with geometries of a vector file (empty when GDAL cannot open it), to
    offer ``path|layername=NAME`` for each of a file with several."""
    from osgeo import gdal, ogr

    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        source = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_READONLY)
        if source is None:
            return []
        return [source.GetLayerByIndex(i).GetName() for i in range(source.GetLayerCount())
                if source.GetLayerByIndex(i).GetGeomType() != ogr.wkbNone]
    finally:
        gdal.PopErrorHandler()


def overlay_inputs(target: str, codes=None, widenings=(),
                   buildings: bool = False) -> OverlayInputs:
    """What the overlay reads from the database ``target``
    (:func:`roadinfra.core.cadastre.sources.overlay_inputs`): the routes ``codes`` (None:
    all), every route, the parcels near the corridors; ``buildings``: with buildings to
    place."""
    db = open_database(target)
    try:
        return read_overlay_inputs(db, list(codes) if codes else None, widenings, buildings)
    finally:
        db.close()


def overlay_tables(result) -> dict:
    """The overlay's tables by the names of its GeoPackage layers and workbook sheets."""
    return {name: getattr(result, OVERLAY_ATTRIBUTES[name])
            for name in ("corridor_parcels", "encroachment", "land_acquisition", "corridors")}


def sheet_edition(text: str | None) -> str | None:
    """An edition typed by the user: a date (``dd/mm/yyyy``, ``YYYY-MM-DD`` or ``YYYYMMDD``),
    checked as the CLI's ``--edition``; None when empty."""
    text = str(text or "").strip()
    if not text:
        return None
    try:
        return edition_date(text)
    except argparse.ArgumentTypeError as exc:
        raise CadastreError(f"edition of the sheets: {exc}") from None


def widening_from_cells(row: int, route: str, km_from: str, km_to: str, width: str):
    """One row of a widenings table (route, Km from, Km to as ``Km12+000`` or metres, new
    width in m) as a :class:`~roadinfra.core.cadastre.corridor.Widening`; a CadastreError
    names the row and the column (in the user's language, as the table's headers)."""
    where = tr("planned widenings, row {row}").format(row=row)

    def cell_at(field: str) -> str:
        return tr("{where}, field '{field}'").format(where=where, field=field)

    route = str(route or "").strip()
    if not route:
        raise CadastreError(tr("{place}: no route").format(place=cell_at(tr("Route"))))
    measures = []
    for label, cell in ((tr("Km from"), km_from), (tr("Km to"), km_to)):
        text = str(cell or "").strip()
        if grouped(text):
            raise CadastreError(tr("{place}: {value} is ambiguous (12.000 is 12 m in English "
                                   "notation, 12 000 m in Vietnamese): write Km12+000 or "
                                   "12000").format(place=cell_at(label), value=repr(text)))
        try:
            measures.append(float(text.replace(",", ".")))  # metres
        except ValueError:
            measures.append(parse_chainage(text, where=cell_at(label)))
        if not math.isfinite(measures[-1]) or measures[-1] < 0:
            raise CadastreError(tr("{place}: {value} is not a distance >= 0").format(
                place=cell_at(label), value=repr(text)))
    text = str(width or "").strip()
    if grouped(text):
        raise CadastreError(tr("{place}: {value} is ambiguous (1.500 is 1.5 m in English "
                               "notation, 1 500 m in Vietnamese): write 1.5 or 1500").format(
            place=cell_at(tr("New width (m)")), value=repr(text)))
    text = text.replace(",", ".")
    try:
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(text)
    except ValueError:
        raise CadastreError(tr("{place}: {value} is not a number").format(
            place=cell_at(tr("New width (m)")), value=repr(text))) from None
    if not (measures[1] > measures[0] and 0 < value <= MAX_WIDENING_M):
        raise CadastreError(tr("{where}: needs Km from < Km to and a new width above 0 m, "
                               "at most {most} m (got {values})").format(
            where=where, most=f"{MAX_WIDENING_M:g}",
            values=f"{km_from!s}, {km_to!s}, {width!s}"))
    return Widening(route, float(measures[0]), float(measures[1]), value,  # exact values
                    where)
