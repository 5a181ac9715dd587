"""The sample province goes into the shared PostGIS database exactly as into the GeoPackage."""

from roadinfra.core.db import create_database
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.schema import GEOMETRY_COLUMN, TABLES
from roadinfra.core.schema.constraints import AUDIT_NAMES

LOADED_TABLES = [name for name, table in TABLES.items() if table.kind != "system"]


def _keyed(name, rows):
    """Rows by id; weighing records get new ids on loading, so by what they hold."""
    if name != "weighing_record":
        return {row["id"]: row for row in rows}
    out = {}
    for row in rows:
        key = tuple(repr(row[c]) for c in sorted(row) if c != "id" and c not in AUDIT_NAMES)
        out.setdefault(key, row)
    return out


def test_sample_data_loads_into_both_back_ends_alike(pg_database, tmp_path):
    counts, rows = {}, {}
    for label, target in (("gpkg", str(tmp_path / "sample.gpkg")), ("postgis", pg_database)):
        with create_database(target) as db:
            load_sample_data(db)
            counts[label] = {name: db.count(name) for name in LOADED_TABLES}
            rows[label] = {name: _keyed(name, db.fetch(name)) for name in LOADED_TABLES}

    assert counts["postgis"] == counts["gpkg"]
    assert counts["postgis"]["weighing_record"] == 10_000
    assert counts["postgis"]["bridge"] >= 40
    # every value of every row (ids, Vietnamese names, dates, UTC times, JSON axle loads,
    # booleans, numbers) reads back the same from both; geometry within a millimetre
    for name in LOADED_TABLES:
        gpkg, postgis = rows["gpkg"][name], rows["postgis"][name]
        assert postgis.keys() == gpkg.keys(), name
        for key, gpkg_row in gpkg.items():
            pg_row = postgis[key]
            for column, value in gpkg_row.items():
                if column in AUDIT_NAMES or (name == "weighing_record" and column == "id"):
                    continue
                if column == GEOMETRY_COLUMN and value is not None:
                    assert pg_row[column].distance(value) < 0.001, (name, key)
                else:
                    assert pg_row[column] == value, (name, key, column)
