"""What the cadastre tests in QGIS share: a Processing algorithm run by name, a point along
a route of the demo database (:func:`tests.support.cadastre_db.demo_database`) and the small
sheet of parcels across it that many tests import (10 m x 10 m, a column across the road)."""

from __future__ import annotations

import geopandas as gpd
from roadinfra.core.db import open_database
from shapely.geometry import box


def run(name: str, params: dict, feedback=None):
    """``roadinfra:<name>`` through processing.run, as the toolbox runs it (``feedback``: a
    QgsProcessingFeedback that keeps what the algorithm reports)."""
    import processing

    return processing.run(f"roadinfra:{name}", params, feedback=feedback)


def point_along(db_path, code: str = "DT455", distance: float = 1500.0):
    """The point ``distance`` m along the first part of route ``code``."""
    db = open_database(db_path)
    try:
        route = next(r for r in db.fetch("route") if r["code"] == code)
    finally:
        db.close()
    return route["geom"].geoms[0].interpolate(distance)


def parcels_across(point, sheet: str = "8", count: int = 6, use: str = "ONT",
                   **columns) -> gpd.GeoDataFrame:
    """``count`` 10 m x 10 m parcels of ``sheet`` (numbered 1..) in a column from 30 m south
    of ``point`` northwards, land use ``use``, official area 100 m², and ``columns`` (the
    same value in every parcel), as a Vietnamese export names its fields."""
    return gpd.GeoDataFrame(
        [{"SoTo": sheet, "SoThua": str(k + 1), "DienTich": 100.0, "LoaiDat": use, **columns,
          "geometry": box(point.x - 5, point.y - 30 + 10 * k, point.x + 5,
                          point.y - 20 + 10 * k)} for k in range(count)], crs=9209)
