"""Build the small, hand-made Thai Binh network of ``small_network.json`` into a database.

Used by the condition-summary unit test and the QGIS layer, form and panel tests. Rows go
through the real database API (``roadinfra.core.db``); coordinates are WGS 84 longitude and
latitude in the JSON ("lonlat") and are converted to the provincial grid with core.crs.
"""

from __future__ import annotations

import json
from pathlib import Path

from roadinfra.core.crs import to_grid
from roadinfra.core.db import create_database
from shapely.geometry import LineString, MultiLineString, Point

FIXTURE = Path(__file__).with_name("small_network.json")
# parents before children
ORDER = ("route", "pavement_section", "pavement_survey", "bridge", "culvert", "inspection",
         "component_rating", "load_station", "weighing_record", "attachment")


def _geometry(lonlat):
    if isinstance(lonlat[0], (int, float)):
        return Point(*to_grid(*lonlat))
    if isinstance(lonlat[0][0], (int, float)):
        return LineString([to_grid(lon, lat) for lon, lat in lonlat])
    return MultiLineString([[to_grid(lon, lat) for lon, lat in part] for part in lonlat])


def fixture_rows():
    """Table name -> rows as the database API takes them (geometry under ``geom``)."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    tables = {}
    for name in ORDER:
        rows = []
        for raw in data[name]:
            row = {k: v for k, v in raw.items() if k != "lonlat"}
            if "lonlat" in raw:
                row["geom"] = _geometry(raw["lonlat"])
            rows.append(row)
        tables[name] = rows
    return tables


def build_small_network(path):
    """Create a GeoPackage at ``path`` holding the fixture; return the open database."""
    db = create_database(str(path))
    with db.transaction():
        for name, rows in fixture_rows().items():
            db.insert(name, rows, user="test")
    return db
