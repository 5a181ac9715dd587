"""The rows a package is written from, read in bulk from PostGIS (the server formats the
values itself), are the rows the database API reads, converted as a GeoPackage server's
are: same package values, same canonical fields, same base digest, for every row of every
synced table of the sample province (points, lines, polygons, JSON, dates, tombstones)."""

import json

from roadinfra.core.db import create_database
from roadinfra.core.db.gpkgblob import decode
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.schema.tables import GEOMETRY_COLUMN, TABLES
from roadinfra.core.sync import bulk
from roadinfra.core.sync.bulk import _packed_fetched, package_columns, packed_rows
from roadinfra.core.sync.values import SYNC_TABLES, canonical, row_digest


def test_bulk_rows_equal_the_api_rows(pg_database, monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK", 7)  # many chunks, each read ahead in a thread
    with create_database(pg_database) as db:
        load_sample_data(db)
        some = db.fetch("culvert")[0]
        db.tombstone("culvert", some["id"], revision=some["revision"])
        seen = set()
        for name in SYNC_TABLES:
            table = TABLES[name]
            rows = db.fetch(name, include_deleted=True)
            ids = [r["id"] for r in rows]
            fast = packed_rows(db, name, ids, db.srs_id)
            names = package_columns(table)
            slow = _packed_fetched(db, table, names, {n: i for i, n in enumerate(names)},
                                   sorted(ids), db.srs_id)
            assert [p.id for p in fast] == sorted(ids)
            by_id = {r["id"]: r for r in rows}
            for a, b in zip(fast, slow):
                assert a.fields_json == b.fields_json, (name, a.id)
                assert a.digest == b.digest
                fields = canonical(table, by_id[a.id])
                assert json.loads(a.fields_json) == fields
                assert a.digest == row_digest(fields, a.deleted)
                for column, x, y in zip(names, a.values, b.values):
                    if column == GEOMETRY_COLUMN and x is not None:
                        assert x == y, (name, a.id)  # the same GeoPackage blob
                        seen.add(decode(x).geom_type)
                    else:
                        assert x == y, (name, column, a.id)
                seen.add("deleted" if a.deleted else "live")
        assert {"Point", "LineString", "deleted", "live"} <= seen, seen


def test_package_rtrees_hold_every_geometry(pg_database, tmp_path):
    """A package's tables are filled with their R-trees written in one pass: each R-tree
    has one entry per geometry, its box around the geometry (R-trees store 32-bit floats),
    and passes SQLite's rtreecheck()."""
    from roadinfra.core.db.gpkg import GeoPackageDatabase
    from roadinfra.core.sync import Scope, create_package

    with create_database(pg_database) as db:
        load_sample_data(db)
    out = tmp_path / "p.gpkg"
    create_package(pg_database, Scope("area", "340"), str(out))
    package = GeoPackageDatabase.open(str(out))
    try:
        checked = 0
        for name in SYNC_TABLES:
            if not TABLES[name].geometry:
                continue
            want = {fid: (x0, x1, y0, y1) for fid, x0, x1, y0, y1 in package._query(
                f'SELECT fid, ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), ST_MaxY(geom) '
                f'FROM "{name}" WHERE geom IS NOT NULL')}
            got = {i: box for i, *box in package._query(
                f'SELECT id, minx, maxx, miny, maxy FROM "rtree_{name}_geom"')}
            assert set(got) == set(want), name
            assert package._query(f"SELECT rtreecheck('rtree_{name}_geom')")[0][0] == "ok"
            for fid, (x0, x1, y0, y1) in want.items():
                g0, g1, h0, h1 = got[fid]
                assert g0 <= x0 <= g0 + 1 and g1 - 1 <= x1 <= g1, (name, fid)
                assert h0 <= y0 <= h0 + 1 and h1 - 1 <= y1 <= h1, (name, fid)
            checked += len(want)
        assert checked > 100
    finally:
        package.close()
