"""Building footprints for the overlay: read from a vector file (one layer of it, chosen),
taken as polygons whatever the file holds them as (arcs, a drawing's closed polylines, a
geometry collection), one building per polygon part, checked against the province and moved
into the provincial grid."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely import wkb as shapely_wkb
from shapely.geometry import MultiPolygon, Polygon

from ..io.errors import FileError
from ..io.paths import input_file
from .errors import CadastreError

#: How a face names the layer of a multi-layer buildings file (the CLI's option).
LAYER_ADVICE = "--buildings-layer NAME, or FILE|layername=NAME"


def split_layer(path, layer: str | None = None) -> tuple[str, str | None]:
    """(file, layer) of ``path``, which may name its layer as QGIS does
    (``buildings.gpkg|layername=nha``); ``layer`` given wins."""
    text, _, options = str(path).partition("|")
    named = dict(part.split("=", 1) for part in options.split("|") if "=" in part)
    return text, (layer or named.get("layername") or None)


def read_buildings(path, profile, area=None, layer: str | None = None,
                   advice: str = LAYER_ADVICE) -> gpd.GeoDataFrame:
    """The building polygons of one layer of a vector file (any format GDAL reads; ``path``
    may end in ``|layername=NAME``), checked against the province (``area`` as in
    :func:`buildings_in_grid`) and moved into the grid. The layer: ``layer``, else the
    file's only layer with geometries; a file with several is refused naming them
    (``advice``: how the face names one). Arcs are linearised, closed lines (a drawing's
    outlines) and the polygons of a geometry collection taken as polygons; attributes are not
    read (a Shapefile's text in any encoding is no reason to refuse it)."""
    file, wanted = split_layer(path, layer)
    file = input_file(file, "buildings file")
    name, crs, geometries = _read_layer(file, wanted, advice)
    return buildings_in_grid(f"{file} (layer {name})" if wanted else str(file), geometries,
                             crs, profile, area)


def _read_layer(path: Path, wanted: str | None, advice: str):
    """(layer name, its CRS or None, its geometries as shapely polygons or None)."""
    from osgeo import gdal, ogr

    from .reader import parse_crs

    failures: list = []

    def collect(level, number, message):
        if level >= gdal.CE_Failure:
            failures.append(" ".join(str(message).split())[:200])

    gdal.PushErrorHandler(collect)
    try:
        source = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_READONLY)
        if source is None:
            raise FileError(f"{path}: not a readable buildings file: "
                            f"{failures[0] if failures else 'GDAL cannot open it'}")
        layers = [source.GetLayerByIndex(i) for i in range(source.GetLayerCount())]
        names = [lay.GetName() for lay in layers]
        if wanted:
            chosen = [lay for lay in layers if lay.GetName().lower() == wanted.lower()]
            if not chosen:
                raise CadastreError(f"{path}: no layer {wanted!r} (layers: "
                                    f"{', '.join(names) or 'none'})")
        else:
            chosen = [lay for lay in layers if lay.GetGeomType() != ogr.wkbNone]
            if len(chosen) > 1:
                raise CadastreError(f"{path}: {len(chosen)} layers with geometries "
                                    f"({', '.join(lay.GetName() for lay in chosen)}); name "
                                    f"the buildings layer ({advice})")
            if not chosen:
                raise CadastreError(f"{path}: no layer with geometries (layers: "
                                    f"{', '.join(names) or 'none'})")
        layer = chosen[0]
        geometries = [footprint(feature.GetGeometryRef()) for feature in layer]
        if failures:
            raise FileError(f"{path}: not a readable buildings file: layer "
                            f"{layer.GetName()!r} breaks off after feature "
                            f"{len(geometries)} ({failures[0]})")
        srs = layer.GetSpatialRef()
        crs = (parse_crs(srs.ExportToWkt(), f"{path}: declared CRS") if srs is not None
               else None)
        return layer.GetName(), crs, geometries
    finally:
        gdal.PopErrorHandler()


def footprint(geom):
    """An OGR geometry as a shapely polygon or multipolygon in 2D (arcs linearised by GDAL;
    closed lines as polygons; a collection's polygons and closed lines), None when it holds
    none."""
    if geom is None:
        return None
    flat = geom.GetLinearGeometry()
    flat.FlattenTo2D()
    shape = shapely_wkb.loads(bytes(flat.ExportToIsoWkb()))
    polygons = list(_polygons(shape))
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def _polygons(shape):
    kind = shape.geom_type
    if shape.is_empty:
        return
    if kind == "Polygon":
        yield shape
    elif kind == "MultiPolygon":
        yield from shape.geoms
    elif kind in ("LineString", "LinearRing"):
        coords = list(shape.coords)
        if len(coords) >= 4 and coords[0] == coords[-1]:
            yield Polygon(coords)
    else:
        for part in getattr(shape, "geoms", ()):
            yield from _polygons(part)


def buildings_in_grid(name: str, geometries, crs, profile, area=None,
                      layer: bool = False) -> gpd.GeoDataFrame:
    """Building footprints for the overlay: the polygons of ``geometries`` (shapely, in
    ``crs``, a pyproj CRS; None: undeclared) checked against the province as parcels are
    (:func:`~roadinfra.core.cadastre.placement.check_placement`, inside ``area``, a WGS 84
    polygon, if given: a wrong zone, a missing .prj is refused, not 0 encroachments) and
    moved into the provincial grid (:func:`~roadinfra.core.cadastre.placement.to_grid_frame`);
    other geometries are left out. An invalid footprint (a bow-tie) is repaired as the parcel
    import repairs it (:func:`~roadinfra.core.cadastre.quality.repaired`). Each polygon part
    of a footprint is a building of its own (a dissolved layer holds a district's houses in
    one feature). The frame's ``row`` column holds each building's 1-based row in
    ``geometries``, ``building`` its name (``12``, or ``12.2`` for the second part of row
    12), ``parts`` how many buildings its row gave, ``repaired`` whether its footprint was
    repaired. A CadastreError names ``name`` when there is no polygon; ``layer``: ``name`` is
    a QGIS layer (the refusal's advice says so)."""
    from .placement import check_buildings, to_grid_frame
    from .quality import repaired
    from .reader import ParcelSet

    kept, rows, names, counts, fixed = [], [], [], [], []
    for row, geom in enumerate(geometries, 1):
        found = []  # (the part, why it was repaired: empty when valid)
        for part in _polygons(geom) if geom is not None else ():
            valid, was_invalid, why = repaired(part)
            if valid is not None:  # else nothing of it has an area
                found.append((valid, why if was_invalid else ""))
        for n, (part, why) in enumerate(found, 1):
            kept.append(part)
            rows.append(row)
            names.append(str(row) if len(found) == 1 else f"{row}.{n}")
            counts.append(len(found))
            fixed.append(why)
    if not kept:
        raise CadastreError(f"{name}: no building polygons")
    frame = gpd.GeoDataFrame({"row": rows, "building": names, "parts": counts,
                              "repaired": fixed}, geometry=kept)
    buildings = ParcelSet(str(name), frame, crs, "buildings")
    check_buildings(buildings, profile, area, layer)
    return to_grid_frame(buildings, profile)

