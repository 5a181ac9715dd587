"""The one schema definition is consistent, and both back-ends are generated from it."""

import re

from roadinfra.core.schema import CODELISTS, SCHEMA_VERSION, TABLES, tables_at
from roadinfra.core.schema.ddl_gpkg import create_schema_sql, upgrade_step_sql
from roadinfra.core.schema.ddl_postgis import migration_statements
from roadinfra.core.schema.srs import grid_srs
from roadinfra.core.schema.tables import VERSION_NAMES

NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def test_names_references_and_codelists_resolve():
    for table in TABLES.values():
        assert NAME.match(table.name)
        assert len(set(table.column_names)) == len(table.column_names), table.name
        for col in table.columns:
            assert NAME.match(col.name), (table.name, col.name)
            assert col.label_vi and col.label_en
            if col.references:
                assert TABLES[col.references].has_id, (table.name, col.name)
            if col.codelist:
                assert col.codelist in CODELISTS, (table.name, col.name)
            if col.min is not None and col.max is not None:
                assert col.min < col.max
            assert 1 <= col.since <= SCHEMA_VERSION
        for cols in table.unique_together:
            assert set(cols) <= set(table.column_names)


def test_every_asset_row_has_identity_audit_and_tombstone():
    for table in TABLES.values():
        if table.kind == "asset":
            assert table.column("code").unique and not table.column("code").nullable
            assert table.has_district
        if table.versioned:
            for name in ("id", "revision", "created_at", "created_by", "updated_at",
                         "updated_by", "deleted_at"):
                assert name in table.column_names, (table.name, name)
            assert table.column("id").type == "uuid"


def test_versions_add_tables_and_columns():
    assert sorted(VERSION_NAMES) == list(range(1, SCHEMA_VERSION + 1))
    v1, latest = tables_at(1), tables_at(SCHEMA_VERSION)
    assert "sync_replica" not in v1 and "sync_replica" in latest
    assert "source_replica" not in v1["change_log"].column_names
    assert "source_replica" in latest["change_log"].column_names
    assert "app_user" not in tables_at(2)["change_log"].column_names
    assert "app_user" in latest["change_log"].column_names
    assert latest == TABLES


def test_ddl_of_both_back_ends_covers_every_table_and_constraint():
    srs = grid_srs()
    gpkg = "\n".join(create_schema_sql(SCHEMA_VERSION, srs.srid))
    postgis = "\n".join(s for v in range(1, SCHEMA_VERSION + 1)
                        for s in migration_statements(v, srs))
    for table in TABLES.values():
        for sql in (gpkg, postgis):
            assert f'CREATE TABLE "{table.name}" (' in sql
    # code lists, ranges and the unique code among live rows, in both
    for sql in (gpkg, postgis):
        assert "\"material\" IN ('RC', 'PSC', 'STEEL', 'MASONRY', 'CSP')" in sql
        assert '"year_built" >= 1850 AND "year_built" <= 2100' in sql
        unique_live = 'CREATE UNIQUE INDEX "ux_bridge_code" ON "bridge" ("code") WHERE deleted_at'
        assert unique_live + " IS NULL" in sql
        assert 'CONSTRAINT "fk_bridge_route_id" REFERENCES "route" ("id")' in sql
    assert 'USING gist ("geom")' in postgis and "geometry(Point, 9209)" in postgis
    assert "CREATE VIRTUAL TABLE \"rtree_bridge_geom\" USING rtree" in gpkg
    assert "ENABLE ROW LEVEL SECURITY" in postgis


def test_gpkg_upgrade_step_matches_the_definition():
    step = "\n".join(upgrade_step_sql(2, 9209))
    assert 'ALTER TABLE "change_log" ADD COLUMN "source_replica" TEXT' in step
    assert 'CREATE TABLE "sync_replica" (' in step
    assert 'CREATE TABLE "bridge"' not in step


def test_version_3_makes_the_login_the_author():
    step = migration_statements(3, grid_srs())
    text = "\n".join(step)
    assert step[0] == 'ALTER TABLE "change_log" ADD COLUMN "app_user" text'
    versioning = next(s for s in step if "FUNCTION roadinfra_versioning()" in s)
    assert "who text := session_user::text" in versioning
    assert "roadinfra.user" not in versioning  # the setting only reaches app_user
    assert versioning.count("changed_by, app_user") == 2
    assert "DROP FUNCTION IF EXISTS roadinfra_user()" in text
    # GeoPackage: every versioned table's triggers now fill app_user; no login there
    gpkg = upgrade_step_sql(3, 9209)
    assert 'ALTER TABLE "change_log" ADD COLUMN "app_user" TEXT' in gpkg
    for table in TABLES.values():
        if table.versioned:
            insert = next(s for s in gpkg if f'TRIGGER "ri_{table.name}_insert"' in s)
            assert "changed_by, app_user," in insert and "'qgis'" in insert, table.name
    old = "\n".join(create_schema_sql(2, 9209))
    assert "app_user," not in old and "'qgis'" in old


def _script(name):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_model_doc_and_migrations_are_up_to_date(capsys):
    assert _script("gen_data_model_doc").main(["--check"]) == 0, capsys.readouterr().out
    assert _script("generate_migration").main(["--check"]) == 0, capsys.readouterr().out
