"""A new package's tables are bulk-loaded (indexes built after the rows, CHECK constraints
not evaluated row by row, R-trees written from the rows' bounds, history entries copied
from the base in one statement): afterwards the package has exactly the schema objects of
a provincial GeoPackage, its constraints hold again, every row has its history entry, and
its R-trees are whole."""

import json
import sqlite3

import pytest
from roadinfra.core.db import create_database, open_database
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.schema.tables import TABLES
from roadinfra.core.sync import Scope, create_package
from roadinfra.core.sync.values import SYNC_TABLES


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("load")
    province = folder / "province.gpkg"
    with create_database(province) as db:
        load_sample_data(db)
    out = folder / "p.gpkg"
    create_package(str(province), Scope("area", "340"), str(out))
    return province, out


def _objects(path, exclude=("sync_base",)):
    conn = sqlite3.connect(path)
    try:
        return {(kind, name): sql for kind, name, tbl, sql in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE type IN ('table', 'index', 'trigger')") if tbl not in exclude}
    finally:
        conn.close()


def test_a_package_has_the_provincial_schema_objects(made, tmp_path):
    _, out = made
    fresh = tmp_path / "fresh.gpkg"
    with create_database(fresh):
        pass
    assert _objects(out) == _objects(fresh)


def test_the_constraints_hold_again_after_loading(made, tmp_path):
    _, out = made
    copy = tmp_path / "copy.gpkg"
    copy.write_bytes(out.read_bytes())
    with open_database(copy) as package:
        culvert = package.fetch("culvert")[0]
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            package.conn.execute("UPDATE culvert SET span_m = -1 WHERE id = ?",
                                 (culvert["id"],))
        other = package.fetch("culvert")[1]
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            package.conn.execute("UPDATE culvert SET code = ? WHERE id = ?",
                                 (culvert["code"], other["id"]))


def test_every_row_has_its_checkout_history_entry_equal_to_its_base(made):
    province, out = made
    with open_database(out) as package:
        base = {(t, i): (r, v) for t, i, r, v in package._query(
            "SELECT table_name, row_id, revision, row_values FROM sync_base")}
        log = package._query("SELECT table_name, row_id, revision, operation, new_values, "
                             "source_replica FROM change_log")
        assert len(log) == len(base) > 100
        for t, i, r, op, values, source in log:
            assert (op, source) == ("SYNC", "checkout")
            assert base[(t, i)] == (r, values)
        with open_database(province) as server:
            culvert = package.fetch("culvert")[0]
            assert json.loads(base[("culvert", culvert["id"])][1])["code"] == \
                server.fetch("culvert", where={"id": culvert["id"]})[0]["code"]


def test_the_rtrees_are_whole_and_hold_every_geometry(made):
    _, out = made
    with open_database(out) as package:
        checked = 0
        for name in (n for n in SYNC_TABLES if TABLES[n].geometry):
            rtree = f"rtree_{name}_geom"
            assert package._query(f"SELECT rtreecheck('{rtree}')")[0][0] == "ok"
            fids = package._query(f'SELECT fid FROM "{name}" WHERE geom IS NOT NULL '
                                  "ORDER BY fid")
            assert package._query(f'SELECT id FROM "{rtree}" ORDER BY id') == fids
            inside = package._query(
                f'SELECT count(*) FROM "{name}" AS t JOIN "{rtree}" AS r ON r.id = t.fid '
                "WHERE r.minx <= ST_MinX(t.geom) AND r.maxx >= ST_MaxX(t.geom) "
                "AND r.miny <= ST_MinY(t.geom) AND r.maxy >= ST_MaxY(t.geom)")[0][0]
            assert inside == len(fids)
            checked += len(fids)
        assert checked > 50
