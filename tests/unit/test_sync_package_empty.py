"""Empty geometries and NaN numbers on the server (written by plain SQL or QGIS, which the
API would refuse) in a package: an empty geometry keeps the GeoPackage blob's empty flag
and gets no R-tree entry, every other row is found; a NaN number is NULL in the package,
its base and the merge; either way the package syncs."""

import json
import sqlite3
import struct

import numpy as np
import pytest
from roadinfra.core.db import create_database, gpkgblob, open_database
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.schema.tables import TABLES
from roadinfra.core.sync import Scope, create_package, sync_package
from roadinfra.core.sync.bulk import gpkg_blob
from roadinfra.core.sync.values import blob_hex, canonical, dumps

NAN = struct.pack("<d", float("nan"))
POINT_EMPTY = b"\x01\x01\x00\x00\x00" + NAN + NAN
LINE_EMPTY = b"\x01\x02\x00\x00\x00\x00\x00\x00\x00"
POLYGON_EMPTY = b"\x01\x03\x00\x00\x00\x00\x00\x00\x00"


@pytest.mark.parametrize("body", [POINT_EMPTY, LINE_EMPTY, POLYGON_EMPTY])
def test_an_empty_geometry_is_packed_with_the_empty_flag_and_no_bounds(body):
    blob, bounds = gpkg_blob(body, 9209)
    assert bounds is None
    assert blob[:4] == b"GP\x00\x11"  # little-endian, no envelope, empty
    assert blob[8:] == body
    assert gpkgblob.decode(blob).is_empty
    assert blob_hex(blob) == body.hex().upper()
    assert gpkgblob._is_empty(blob) == 1 and gpkgblob._bounds(blob) is None


def test_an_empty_point_written_without_the_flag_has_null_bounds():
    """As packages made before kept POINT EMPTY: the R-tree triggers' ST_IsEmpty is 1 and
    ST_MinX etc. NULL, as GeoPackage specifies, not an exception."""
    conn = sqlite3.connect(":memory:")
    gpkgblob.register_functions(conn)
    old = b"GP\x00\x01" + struct.pack("<i", 9209) + POINT_EMPTY
    assert conn.execute("SELECT ST_IsEmpty(?), ST_MinX(?), ST_MaxY(?)",
                        (old, old, old)).fetchone() == (1, None, None)


def test_a_nan_number_is_null():
    from roadinfra.core.sync.values import nan_as_null

    table = TABLES["culvert"]
    fields = canonical(table, {"length_m": float("nan"), "span_m": 2.5})
    assert fields["length_m"] is None and fields["span_m"] == 2.5
    assert json.loads(dumps(fields))["length_m"] is None
    assert nan_as_null([1.0, float("nan"), "NaN", None]) == [1.0, None, "NaN", None]


def _province(folder):
    province = folder / "province.gpkg"
    with create_database(province) as db:
        load_sample_data(db)
    conn = sqlite3.connect(province)
    gpkgblob.register_functions(conn)
    section = conn.execute("SELECT id FROM pavement_section WHERE district_code = '340' "
                           "ORDER BY code LIMIT 1 OFFSET 3").fetchone()[0]
    culvert = conn.execute("SELECT id FROM culvert WHERE district_code = '340' "
                           "ORDER BY code LIMIT 1").fetchone()[0]
    for table, row, body in (("pavement_section", section, LINE_EMPTY),
                             ("culvert", culvert, POINT_EMPTY)):
        conn.execute(f"UPDATE {table} SET geom = ? WHERE id = ?",  # noqa: S608
                     (b"GP\x00\x11" + struct.pack("<i", 9209) + body, row))
    conn.commit()
    conn.close()
    return province, section, culvert


def test_a_package_with_empty_geometries_finds_every_other_row_and_syncs(tmp_path):
    province, section, culvert = _province(tmp_path)
    out = tmp_path / "p.gpkg"
    create_package(str(province), Scope("area", "340"), str(out))
    conn = sqlite3.connect(out)
    for table, row in (("pavement_section", section), ("culvert", culvert)):
        fid, blob = conn.execute(f"SELECT fid, geom FROM {table} WHERE id = ?",  # noqa: S608
                                 (row,)).fetchone()
        assert blob[3] & 0x10  # the empty flag
        rtree = f"rtree_{table}_geom"
        assert conn.execute(f"SELECT count(*) FROM {rtree} WHERE id = ?",  # noqa: S608
                            (fid,)).fetchone()[0] == 0
        assert conn.execute(f"SELECT rtreecheck('{rtree}')").fetchone()[0] == "ok"
        everything = sorted(r[0] for r in conn.execute(
            f"SELECT fid FROM {table} WHERE geom IS NOT NULL AND fid <> ?",  # noqa: S608
            (fid,)))
        found = sorted(r[0] for r in conn.execute(
            f"SELECT id FROM {rtree} WHERE minx <= 1e30 AND maxx >= -1e30 "  # noqa: S608
            "AND miny <= 1e30 AND maxy >= -1e30"))
        assert found == everything and len(found) > 1
    conn.close()
    report = sync_package(str(out), str(province))
    assert report["sent"] == {"insert": 0, "update": 0, "delete": 0}
    with open_database(province) as db:  # the office edits the empty-point culvert
        db.conn.execute("UPDATE culvert SET length_m = 12.5 WHERE id = ?", (culvert,))
        db.conn.commit()
    report = sync_package(str(out), str(province))
    assert not report["conflicts"]
    with open_database(out) as package:
        assert package.fetch("culvert", where={"id": culvert})[0]["length_m"] == 12.5


def test_rtree_bounds_of_a_packed_empty_geometry_are_never_nan():
    """The rows' bounds given to the R-tree (shapely 2 gives an empty line NaN bounds)."""
    assert gpkg_blob(LINE_EMPTY, 9209)[1] is None
    assert not np.isnan(np.array(gpkg_blob(b"\x01\x02\x00\x00\x00\x02\x00\x00\x00"
                                           + struct.pack("<4d", 0, 1, 2, 3), 9209)[1])).any()
