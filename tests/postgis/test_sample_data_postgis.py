"""The sample province goes into the shared PostGIS database exactly as into the GeoPackage."""

from roadinfra.core.db import create_database
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.schema import GEOMETRY_COLUMN, TABLES

LOADED_TABLES = [name for name, table in TABLES.items() if table.kind != "system"]


def test_sample_data_loads_into_both_back_ends_alike(pg_database, tmp_path):
    counts, bridges = {}, {}
    for label, target in (("gpkg", str(tmp_path / "sample.gpkg")), ("postgis", pg_database)):
        with create_database(target) as db:
            load_sample_data(db)
            counts[label] = {name: db.count(name) for name in LOADED_TABLES}
            bridges[label] = {row["code"]: row for row in db.fetch("bridge")}

    assert counts["postgis"] == counts["gpkg"]
    assert counts["postgis"]["weighing_record"] == 10_000
    assert counts["postgis"]["bridge"] >= 40
    assert bridges["postgis"].keys() == bridges["gpkg"].keys()
    for code, gpkg_row in bridges["gpkg"].items():
        pg_row = bridges["postgis"][code]
        assert pg_row["name"] == gpkg_row["name"]  # Vietnamese diacritics intact
        assert pg_row["id"] == gpkg_row["id"]
        assert pg_row[GEOMETRY_COLUMN].distance(gpkg_row[GEOMETRY_COLUMN]) < 0.001
