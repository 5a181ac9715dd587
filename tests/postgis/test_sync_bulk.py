"""The rows a package is written from, read in bulk from PostGIS (the server formats the
values itself), are the rows the database API reads, converted as a GeoPackage server's
are: same package values, same canonical fields, same base digest, for every row of every
synced table of the sample province (points, lines, polygons, JSON, dates, tombstones)."""

import json

from roadinfra.core.db import create_database
from roadinfra.core.db.gpkgblob import decode
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.schema.tables import GEOMETRY_COLUMN, TABLES
from roadinfra.core.sync.bulk import _packed_fetched, package_columns, packed_rows
from roadinfra.core.sync.values import SYNC_TABLES, canonical, row_digest


def test_bulk_rows_equal_the_api_rows(pg_database):
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
