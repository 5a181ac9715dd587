"""Released PostGIS migrations are never edited and equal what the generator produced."""

from roadinfra.core.schema.ddl_postgis import migration_filename, migration_sql
from roadinfra.core.schema.srs import grid_srs
from roadinfra.core.schema.tables import SCHEMA_VERSION
from roadinfra.core.schema.upgrade import MIGRATIONS_DIR, migration_path, released, sha256


def test_every_version_has_a_released_migration():
    files = sorted(p.name for p in MIGRATIONS_DIR.glob("*.sql"))
    assert files == [migration_filename(v) for v in range(1, SCHEMA_VERSION + 1)]
    assert set(released()) == set(files)


def test_released_migrations_are_unchanged():
    for name, digest in released().items():
        assert sha256(MIGRATIONS_DIR / name) == digest, (
            f"{name} was edited after release: restore it and add a new migration")


def test_committed_migrations_equal_the_generator_output():
    srs = grid_srs()
    for version in range(1, SCHEMA_VERSION + 1):
        text = migration_path(version).read_text(encoding="utf-8")
        assert text == migration_sql(version, srs), (
            f"{migration_path(version).name}: the schema definition changed in a way the "
            "released migration does not contain: add a new schema version instead")


def test_grid_srs_keeps_the_datum_shift():
    srs = grid_srs()
    first = migration_path(1).read_text(encoding="utf-8")
    assert srs.srid == 9209
    assert "+towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479," \
           "0.00427372,0.252906278" in first
    assert 'AUTHORITY["EPSG","9209"]' in first
