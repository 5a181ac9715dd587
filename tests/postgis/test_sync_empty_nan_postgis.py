"""Values the PostGIS schema lets through though the API refuses them, written by plain SQL
(as QGIS or psql can): an empty LINESTRING/POLYGON/POINT is packed as a GeoPackage empty
geometry (the blob's empty flag) with no R-tree entry while every other row stays found;
a NaN number is NULL in the package, its base and the merge; the package syncs."""

import json
import sqlite3

from roadinfra.core.db import open_database
from roadinfra.core.sync import Scope, create_package, sync_package

from tests.support.pg import sql

EMPTY = "UPDATE {t} SET geom = ST_SetSRID('{wkt}'::geometry, 9209) WHERE id = (SELECT id " \
        "FROM {t} WHERE district_code = '340' ORDER BY id LIMIT 1 OFFSET 2) RETURNING id"
WHOLE = "minx <= 1e30 AND maxx >= -1e30 AND miny <= 1e30 AND maxy >= -1e30"


def test_empty_geometries_are_packed_empty_unindexed_and_sync(province, tmp_path):
    empties = {t: sql(province, EMPTY.format(t=t, wkt=wkt))[0][0] for t, wkt in (
        ("pavement_section", "LINESTRING EMPTY"), ("pavement_survey", "LINESTRING EMPTY"),
        ("culvert", "POINT EMPTY"))}
    out = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(out))
    conn = sqlite3.connect(out)
    for table, row in empties.items():
        fid, blob = conn.execute(f"SELECT fid, geom FROM {table} WHERE id = ?",  # noqa: S608
                                 (row,)).fetchone()
        assert blob[:4] == b"GP\x00\x11", table  # empty flag, no envelope
        rtree = f"rtree_{table}_geom"
        others = sorted(r[0] for r in conn.execute(
            f"SELECT fid FROM {table} WHERE geom IS NOT NULL AND fid <> ?", (fid,)))  # noqa: S608
        found = sorted(r[0] for r in conn.execute(f"SELECT id FROM {rtree} WHERE {WHOLE}"))  # noqa: S608
        assert found == others and len(others) > 1, table
        assert conn.execute(f"SELECT rtreecheck('{rtree}')").fetchone()[0] == "ok"
    conn.close()
    culvert = empties["culvert"]
    sql(province, "UPDATE culvert SET length_m = 12.5 WHERE id = %s", (culvert,))
    report = sync_package(str(out), province)
    assert report["sent"] == {"insert": 0, "update": 0, "delete": 0}
    assert not report["conflicts"]
    conn = sqlite3.connect(out)
    assert conn.execute("SELECT length_m, substr(geom, 1, 4) FROM culvert WHERE id = ?",
                        (culvert,)).fetchone() == (12.5, b"GP\x00\x11")
    conn.close()
    assert sync_package(str(out), province)["sent"] == {"insert": 0, "update": 0, "delete": 0}


def test_a_nan_number_is_null_in_the_package_its_base_and_the_merge(province, tmp_path):
    nan_row = sql(province, "UPDATE culvert SET length_m = 'NaN' WHERE id = (SELECT id FROM "
                  "culvert WHERE district_code = '340' ORDER BY code LIMIT 1) RETURNING id")[0][0]
    out = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(out))
    conn = sqlite3.connect(out)
    value, base = conn.execute(
        "SELECT c.length_m, b.row_values FROM culvert c JOIN sync_base b ON b.row_id = c.id "
        "WHERE c.id = ?", (nan_row,)).fetchone()
    assert value is None and json.loads(base)["length_m"] is None
    assert conn.execute("SELECT json_valid(row_values) FROM sync_base WHERE row_id = ?",
                        (nan_row,)).fetchone()[0] == 1
    conn.close()
    with open_database(out) as package:  # the crew
        package.conn.execute("UPDATE culvert SET span_m = 3.5 WHERE id = ?", (nan_row,))
        package.conn.commit()
    sql(province, "UPDATE culvert SET height_m = 2.25 WHERE id = %s", (nan_row,))  # the office
    report = sync_package(str(out), province)
    assert report["sent"]["update"] == 1 and not report["conflicts"]
    assert sql(province, "SELECT span_m, height_m FROM culvert WHERE id = %s",
               (nan_row,))[0] == (3.5, 2.25)
    again = sync_package(str(out), province)
    assert again["sent"] == {"insert": 0, "update": 0, "delete": 0} and not again["conflicts"]
