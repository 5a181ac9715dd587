"""GeoPackage upgrades apply the same logical steps as the PostGIS migrations, keeping rows."""

import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # repository root: tests.support

from roadinfra.core.db import (  # noqa: E402
    DatabaseError,
    create_database,
    open_database,
    parse_target,
    upgrade_database,
)
from roadinfra.core.db.gpkg import connect  # noqa: E402
from roadinfra.core.db.translate import translate_sqlite_error  # noqa: E402
from roadinfra.core.schema import SCHEMA_VERSION, TABLES, tables_at  # noqa: E402
from roadinfra.core.schema.tables import PLAN_RECORDS  # noqa: E402

from tests.support.rows import example_rows, rid  # noqa: E402


def dump(path, table):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1')]
    conn.close()
    return rows


def without_plan_records(table, rows):
    """Rows without the columns of schema version PLAN_RECORDS and later (a section's
    current condition, the cadastre's owner and sheet_edition too), which an upgrade adds
    empty (an item's status: its default, planned)."""
    added = {c.name: (c.default or "").strip("'") or None for c in TABLES[table].columns
             if c.since >= PLAN_RECORDS}
    assert all(r.pop(name) == value for r in rows for name, value in added.items()), table
    return rows


def schema_of(path):
    conn = sqlite3.connect(path)
    out = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                "AND name NOT LIKE 'rtree_%' AND name NOT LIKE 'sqlite_%'"):
        # sorted: a column an upgrade adds comes after geom, a fresh table has geom last
        out[name] = sorted((r[1], r[2], r[3])
                           for r in conn.execute(f'PRAGMA table_info("{name}")'))
    triggers = sorted(r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    conn.close()
    return out, triggers


def test_upgrade_from_version_1_keeps_every_row(tmp_path):
    path = tmp_path / "v1.gpkg"
    rows = example_rows()
    db = create_database(path, version=1)
    with db.transaction():
        for name, row in rows.items():
            if name in tables_at(1):
                db.insert(name, [row], user="khoa.nguyen")
    db.update("route", rid("route"), {"road_grade": "II"}, user="a")
    db.close()
    kept = [t for t in tables_at(1) if t not in ("codelist", "db_meta")]
    before = {t: dump(path, t) for t in kept}
    with pytest.raises(DatabaseError, match="roadinfra db upgrade"):
        open_database(path)

    assert upgrade_database(path) == (1, SCHEMA_VERSION)

    for table in kept:
        after = dump(path, table)
        if table == "change_log":  # new columns (v2, v3), every entry kept as it was
            assert all(r["source_replica"] is None and r["app_user"] is None for r in after)
            after = [{k: v for k, v in r.items() if k not in ("source_replica", "app_user")}
                     for r in after]
        after = without_plan_records(table, after)
        assert after == before[table], table
    db = open_database(path)
    assert db.schema_version() == SCHEMA_VERSION
    db.insert("sync_replica", [rows["sync_replica"]], user="a")
    db.update("route", rid("route"), {"road_grade": "III"}, user="b")
    assert [h["operation"] for h in db.history("route", rid("route"))] == [
        "INSERT", "UPDATE", "UPDATE"]
    db.close()
    fresh = tmp_path / "fresh.gpkg"
    create_database(fresh).close()
    assert schema_of(path) == schema_of(fresh)  # upgraded == created at the latest version
    assert upgrade_database(path) == (SCHEMA_VERSION, SCHEMA_VERSION)


def test_upgrade_from_version_2_keeps_rows_and_records_the_app_user(tmp_path):
    path = tmp_path / "v2.gpkg"
    rows = example_rows()
    db = create_database(path, version=2)
    with db.transaction():
        for name, row in rows.items():
            if name in tables_at(2):
                db.insert(name, [row], user="khoa.nguyen")
    db.update("bridge", rid("bridge"), {"load_posting_t": 18.0}, user="lan.tran")
    db.close()
    kept = [t for t in tables_at(2) if t not in ("codelist", "db_meta")]
    before = {t: dump(path, t) for t in kept}
    assert "app_user" not in before["change_log"][0]

    assert upgrade_database(path) == (2, SCHEMA_VERSION)

    for table in kept:
        after = dump(path, table)
        if table == "change_log":  # the v3 column is empty for entries made before it
            assert [r.pop("app_user") for r in after] == [None] * len(after)
        after = without_plan_records(table, after)
        assert after == before[table], table
    db = open_database(path)
    # no login in a GeoPackage: the API user is the author and also kept as app_user
    db.update("bridge", rid("bridge"), {"load_posting_t": 13.0}, user="mai.pham")
    last = db.history("bridge", rid("bridge"))[-1]
    assert (last["revision"], last["changed_by"], last["app_user"]) == (3, "mai.pham",
                                                                         "mai.pham")
    assert db.fetch("bridge")[0]["updated_by"] == "mai.pham"
    db.close()
    conn = connect(str(path))  # direct edits with no recorded name: no author (v6)
    conn.execute("UPDATE bridge SET spans = 4")
    conn.close()
    db = open_database(path)
    last = db.history("bridge", rid("bridge"))[-1]
    assert (last["revision"], last["changed_by"], last["app_user"]) == (4, None, None)
    db.close()
    fresh = tmp_path / "fresh.gpkg"
    create_database(fresh).close()
    assert schema_of(path) == schema_of(fresh)


def test_database_constraints_are_translated_like_python_checks(tmp_path):
    db = create_database(tmp_path / "c.gpkg")
    db.close()
    conn = sqlite3.connect(db.target)
    with pytest.raises(sqlite3.IntegrityError) as raw:
        conn.execute("INSERT INTO maintenance_plan (id, code, name, plan_year) "
                     "VALUES ('8d8f6c1e-1111-4c9b-9a55-2a0f3c7e9b10', 'MP-1', 'x', 1700)")
    conn.close()
    err = translate_sqlite_error(raw.value, TABLES["maintenance_plan"], "MP-1")
    assert (err.table, err.row_code, err.field) == ("maintenance_plan", "MP-1", "plan_year")
    assert str(err).startswith("maintenance_plan MP-1: field 'plan_year' breaks the database "
                               "check \"plan_year\" >= 1850")


@pytest.mark.parametrize("text, kind", [
    ("data/tb.gpkg", "gpkg"), ("postgresql://u@db.example/roadinfra", "postgis"),
    ("service=roadinfra_tb", "postgis"),
])
def test_targets(text, kind):
    assert parse_target(text).kind == kind


def test_bad_target_and_hidden_password():
    with pytest.raises(DatabaseError, match="give a .gpkg file"):
        parse_target("roads.shp")
    assert str(parse_target("postgresql://u:secret@h/db")) == "postgresql://u:***@h/db"
    # the other places libpq takes a password from are hidden too
    assert str(parse_target("postgresql://u@h/db?sslmode=require&password=secret")) == (
        "postgresql://u@h/db?sslmode=require&password=***")
    assert str(parse_target("service=tb password=secret user=u")) == (
        "service=tb password=*** user=u")
    assert str(parse_target("service=tb password='sec ret'")) == "service=tb password=***"
    with pytest.raises(DatabaseError) as info:
        parse_target("postgresq://u:secret@h/db")  # a typo in the scheme
    assert "secret" not in str(info.value)


def _older_by_postgis_only():
    """The oldest schema version whose GeoPackage is one of this version (the later
    versions changed PostGIS alone)."""
    from roadinfra.core.schema.ddl_gpkg import gpkg_changes

    versions = [v for v in range(1, SCHEMA_VERSION)
                if not gpkg_changes(v, SCHEMA_VERSION, 3405)]
    assert versions, "every older version changed a GeoPackage: pick another case"
    return versions[0]


def test_a_geopackage_older_only_by_postgis_versions_opens_for_editing(tmp_path):
    """The rule a package's sync follows (ddl_gpkg.gpkg_changes) is the GeoPackage open's
    too: a crew's package from before a PostGIS-only upgrade is edited in QGIS (the save
    hooks open it) without ``db upgrade``; one older by a GeoPackage change still asks."""
    old = _older_by_postgis_only()
    path = tmp_path / "old.gpkg"
    create_database(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE db_meta SET value = ? WHERE key = 'schema_version'", (str(old),))
    conn.close()
    rows = example_rows()
    with open_database(path) as db:
        assert db.schema_version() == old
        db.insert("route", [rows["route"]], user="crew")
        db.update("route", rid("route"), {"road_grade": "II"}, user="crew")
        assert db.fetch("route", where={"id": rid("route")})[0]["road_grade"] == "II"
        assert db.count("change_log") == 2
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE db_meta SET value = ? WHERE key = 'schema_version'", (str(old - 1),))
    conn.close()
    with pytest.raises(DatabaseError, match="roadinfra db upgrade"):
        open_database(path)
