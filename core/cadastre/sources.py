"""What the overlay reads from a RoadInfra database: live parcels, and the routes calibrated on
their kilometre posts (through core/lrs) with their grades."""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd

from ..crs import grid_crs
from ..lrs.network import build_network
from ..schema.sqlnames import ident
from ..schema.tables import GEOMETRY_COLUMN, TABLES
from .errors import CadastreError

PARCEL_FIELDS = ("sheet_no", "parcel_no", "commune_code", "land_use", "area_official_m2",
                 "owner", "sheet_edition", "district_code")


#: Side of the tiles a corridor is cut into to ask the spatial index for its parcels, m.
TILE_M = 1000.0


def parcels_from_database(db, near=None) -> gpd.GeoDataFrame:
    """Live parcels of the database; with ``near`` (polygons in the grid, e.g. corridors)
    only those whose bounding box meets a tile of them, through the spatial index
    (GeoPackage R-tree, PostGIS GiST): the overlay never reads the whole province."""
    if near is None:
        rows = [{**{k: r[k] for k in PARCEL_FIELDS}, "geometry": r["geom"]}
                for r in db.fetch("cadastral_parcel")]
    else:
        rows = _rows_near(db, near)
    return geo_frame(rows, list(PARCEL_FIELDS), grid_crs(db.profile))


def geo_frame(rows: list[dict], columns: list[str], crs=None) -> gpd.GeoDataFrame:
    """A GeoDataFrame of ``rows`` (dicts with ``columns`` and a shapely ``geometry``). The
    geometry column is built as one array: geopandas' own conversion probes every shapely 1.8
    object as a sequence, which costs more than the overlay's reading."""
    import numpy as np
    import pandas as pd
    from geopandas.array import GeometryArray

    geoms = np.empty(len(rows), dtype=object)
    for i, row in enumerate(rows):
        geoms[i] = row.get("geometry")
    frame = pd.DataFrame(rows, columns=columns)  # the keys not in columns are left out
    try:
        array = GeometryArray(geoms, crs=crs)
    except TypeError:  # a geopandas whose array wants its own geometry type (PyGEOS)
        array = gpd.array.from_shapely(geoms, crs=crs)
    return gpd.GeoDataFrame(frame, geometry=array, crs=crs)


def tiles(geoms, size: float = TILE_M, tight: bool = False) -> list[tuple]:
    """Bounds of the ``size`` m grid tiles that meet any of ``geoms`` (``tight``: the bounds
    of the part of the geometry in each tile). A narrow geometry (a corridor) is followed
    along its boundary, not scanned over its whole bounding box."""
    import numpy as np
    from shapely.geometry import box
    from shapely.ops import clip_by_rect
    from shapely.prepared import prep

    out = set()
    for geom in geoms:
        if geom is None or geom.is_empty:
            continue
        shape = prep(geom)
        if geom.length and 2 * geom.area / geom.length > size / 4:  # wide: scan the box
            x0, y0, x1, y1 = geom.bounds
            cells = {(i, j) for i in range(int(math.floor(x0 / size)),
                                           int(math.floor(x1 / size)) + 1)
                     for j in range(int(math.floor(y0 / size)), int(math.floor(y1 / size)) + 1)}
        else:
            cells = set()
            for ring in _rings(geom):
                xy = np.asarray(ring.coords)[:, :2] / size
                lo = np.floor(np.minimum(xy[:-1], xy[1:])).astype(int)
                hi = np.floor(np.maximum(xy[:-1], xy[1:])).astype(int)
                within = np.all(lo == hi, axis=1)  # most segments stay in one cell
                cells.update(map(tuple, np.unique(lo[within], axis=0).tolist()))
                for (i0, j0), (i1, j1) in zip(lo[~within].tolist(), hi[~within].tolist()):
                    cells.update((i, j) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1))
        for i, j in cells:
            tile = (i * size, j * size, (i + 1) * size, (j + 1) * size)
            if shape.intersects(box(*tile)):
                if not tight:
                    out.add(tile)
                    continue
                part = clip_by_rect(geom, *tile)  # GEOS's rectangle clip, far cheaper
                if not part.is_empty:
                    out.add(part.bounds)
    return sorted(out)


def _rings(geom):
    for poly in getattr(geom, "geoms", [geom]):
        if hasattr(poly, "exterior"):
            yield poly.exterior
            yield from poly.interiors


def _rows_near(db, near) -> list[dict]:
    table = TABLES["cadastral_parcel"]
    names = ["id", *PARCEL_FIELDS]
    cols = ", ".join(ident(n) for n in names)
    ph = db.placeholder
    if db.kind == "gpkg":
        rtree = ident(f"rtree_{table.name}_{GEOMETRY_COLUMN}")
        where = (f"fid IN (SELECT id FROM {rtree} WHERE minx <= {ph} AND maxx >= {ph} "  # noqa: S608 # nosec B608 # schema names, back-end placeholder
                 f"AND miny <= {ph} AND maxy >= {ph})")

        def params(t):
            return (t[2], t[0], t[3], t[1])
    else:
        srid = int(db.profile.crs_epsg)
        where = f"{ident(GEOMETRY_COLUMN)} && ST_MakeEnvelope({ph}, {ph}, {ph}, {ph}, {srid})"

        def params(t):
            return t
    sql = (f"SELECT {cols}, {db._geom_select()} FROM {ident(table.name)} "  # noqa: S608 # nosec B608 # names from the schema definition
           f"WHERE deleted_at IS NULL AND {where}")
    seen: dict = {}
    for tile in tiles(getattr(near, "geometry", near), tight=True):
        for row in db._query(sql, params(tile)):
            key = str(row[0])
            if key not in seen:
                record = dict(zip(PARCEL_FIELDS, row[1:-1]))
                record["geometry"] = db._geom_from_db(row[-1])
                seen[key] = record
    return list(seen.values())


def stored_sheets(db) -> list[tuple]:
    """(commune_code, sheet_no, sheet_edition) of the live parcels, each once, as stored
    (sheet numbers as written when imported; editions as text, None when undated)."""
    names = ", ".join(ident(n) for n in ("commune_code", "sheet_no", "sheet_edition"))
    sql = (f"SELECT DISTINCT {names} FROM {ident(TABLES['cadastral_parcel'].name)} "  # noqa: S608 # nosec B608 # names from the schema definition
           "WHERE deleted_at IS NULL")
    return [tuple(row) for row in db._query(sql)]


def routes_from_database(db, codes=None, calibrate: bool = True, rows=None):
    """(code -> calibrated Route, code -> road grade) of the database's routes with a
    geometry (all, or those of ``codes``: a code that names none is an error). ``calibrate``
    False: measured along the line from its start measure, without the Km posts (where only
    the road's place matters); ``rows``: the route rows already read."""
    rows = [r for r in (db.fetch("route") if rows is None else rows)
            if r.get("geom") is not None and (not codes or r["code"] in codes)]
    missing = sorted(set(codes or ()) - {r["code"] for r in rows})
    if missing:
        raise CadastreError(f"{db.target}: no route {', '.join(missing)} with a geometry to "
                            "draw corridors")
    if not rows:
        return {}, {}
    crs = grid_crs(db.profile)
    routes = gpd.GeoDataFrame([{"code": r["code"], "id": r["id"], "start_m": r["start_m"],
                                "geometry": r["geom"]} for r in rows], geometry="geometry",
                              crs=crs)
    ids = {r["id"] for r in rows}
    posts = [p for p in db.fetch("calibration_point") if p["route_id"] in ids and p.get("geom")
             ] if calibrate else []
    posts_frame = (gpd.GeoDataFrame([{"route_id": p["route_id"], "measure_m": p["measure_m"],
                                      "label": p.get("label") or "", "geometry": p["geom"]}
                                     for p in posts], geometry="geometry", crs=crs)
                   if posts else None)
    network = build_network(routes, posts_frame, routes_source=f"{db.target} route",
                            posts_source=f"{db.target} calibration_point", route_field="code",
                            measure_field="measure_m", post_route_field="route_id")
    grades = {r["code"]: r.get("road_grade") for r in rows}
    return network.routes, grades


@dataclass
class OverlayInputs:
    """What the overlay reads from a database (:func:`overlay_inputs`)."""

    parcels: gpd.GeoDataFrame  # the live parcels near the corridors (grid)
    routes: dict               # code -> calibrated Route: the routes overlaid
    every: dict                # code -> Route: every route of the database (the map's roads)
    grades: dict               # code -> road grade, of every route
    profile: object
    area: object               # the province in WGS 84 (buildings' check), None without


def overlay_inputs(db, codes=None, widenings=(), buildings: bool = False) -> OverlayInputs:
    """The overlay's inputs from ``db``: the routes ``codes`` (None or empty: all),
    calibrated on their Km posts, every other route too (the road land of a crossing road is
    mapped land whichever routes are overlaid: :class:`.overlay._Coverage`), the parcels
    near the corridors and ``widenings`` (:func:`.overlay.reach`; ``buildings``: with the
    parcels around them, and the province to check the buildings against)."""
    from .overlay import reach
    from .placement import province_lonlat

    rows = db.fetch("route")
    routes, grades = routes_from_database(db, codes or None, rows=rows)
    others = {r["code"] for r in rows if r.get("geom") is not None} - set(routes)
    every = dict(routes)
    if others:
        more, more_grades = routes_from_database(db, sorted(others), calibrate=False,
                                                 rows=rows)
        every.update(more)
        grades = {**more_grades, **grades}
    profile = db.profile
    parcels = parcels_from_database(db, near=reach(routes, grades, profile, widenings,
                                                     buildings, every=every))
    area = province_lonlat(db) if buildings else None
    return OverlayInputs(parcels, routes, every, grades, profile, area)
