"""What the overlay reads from a RoadInfra database: live parcels, and the routes calibrated on
their kilometre posts (through core/lrs) with their grades."""

from __future__ import annotations

import geopandas as gpd

from ..crs import grid_crs
from ..lrs.network import build_network
from .errors import CadastreError

PARCEL_FIELDS = ("sheet_no", "parcel_no", "commune_code", "land_use", "area_official_m2",
                 "owner", "sheet_edition", "district_code")


def parcels_from_database(db) -> gpd.GeoDataFrame:
    rows = db.fetch("cadastral_parcel")
    frame = gpd.GeoDataFrame([{**{k: r[k] for k in PARCEL_FIELDS}, "geometry": r["geom"]}
                              for r in rows], columns=[*PARCEL_FIELDS, "geometry"],
                             geometry="geometry", crs=grid_crs(db.profile))
    return frame


def routes_from_database(db, codes=None):
    """(code -> calibrated Route, code -> road grade) of the database's routes."""
    rows = [r for r in db.fetch("route") if r.get("geom") is not None
            and (not codes or r["code"] in codes)]
    if not rows:
        wanted = f" {', '.join(codes)}" if codes else ""
        raise CadastreError(f"{db.target}: no route{wanted} with a geometry to draw corridors")
    crs = grid_crs(db.profile)
    routes = gpd.GeoDataFrame([{"code": r["code"], "id": r["id"], "start_m": r["start_m"],
                                "geometry": r["geom"]} for r in rows], geometry="geometry",
                              crs=crs)
    ids = {r["id"] for r in rows}
    posts = [p for p in db.fetch("calibration_point") if p["route_id"] in ids and p.get("geom")]
    posts_frame = (gpd.GeoDataFrame([{"route_id": p["route_id"], "measure_m": p["measure_m"],
                                      "label": p.get("label") or "", "geometry": p["geom"]}
                                     for p in posts], geometry="geometry", crs=crs)
                   if posts else None)
    network = build_network(routes, posts_frame, routes_source=f"{db.target} route",
                            posts_source=f"{db.target} calibration_point", route_field="code",
                            measure_field="measure_m", post_route_field="route_id")
    grades = {r["code"]: r.get("road_grade") for r in rows}
    return network.routes, grades
