"""PostGIS back-end against a real server: migrations, round trip of every table, history,
constraint errors, row-level security with real login roles, change_log protection."""

import uuid

import psycopg2
import pytest
from roadinfra.core.db import (
    DatabaseError,
    ValidationError,
    create_database,
    open_database,
    upgrade_database,
)
from roadinfra.core.db.translate import translate_pg_error
from roadinfra.core.schema import CODELISTS, SCHEMA_VERSION, TABLES, tables_at
from shapely.geometry import Point

from tests.support.compare import assert_same_row
from tests.support.pg import sql
from tests.support.rows import example_rows, rid


@pytest.fixture(scope="module")
def rows():
    return example_rows()


def fill(db, rows, user="khoa.nguyen"):
    with db.transaction():
        for name, row in rows.items():
            db.insert(name, [row], user=user, derive=False)  # the values as given




def comparable(db, name):
    """Rows of a table with geometry as WKB (shapely 1.8 cannot compare Multi* with ==);
    code lists only those of version 1 (later versions add theirs)."""
    out = []
    for row in db.fetch(name, include_deleted=True):
        if name == "codelist" and CODELISTS[row["list_name"]].since > 1:
            continue
        if row.get("geom") is not None:
            row["geom"] = row["geom"].wkb_hex
        out.append(row)
    return out


def old_columns(url, name, later):
    """Rows of table ``name`` as JSON text without the columns ``later`` versions added."""
    return sql(url, f'SELECT (to_jsonb(t) - %s::text[])::text FROM "{name}" t ORDER BY 1',  # noqa: S608
               (later,))  # table names from the schema


def columns(url):
    return sql(url, "SELECT table_name, column_name, data_type, is_nullable FROM "
                    "information_schema.columns WHERE table_schema = 'public' "
                    "AND table_name <> 'spatial_ref_sys' ORDER BY 1, 2")


def test_round_trip_every_table_and_history(pg_database, rows):
    db = create_database(pg_database)
    assert db.schema_version() == SCHEMA_VERSION and db.profile.id == "thai_binh"
    fill(db, rows)
    # the server sets a sync record's time (schema 13), whatever the writer sends
    stamped = {"sync_changeset": "applied_at", "sync_conflict": "created_at"}
    [(now,)] = sql(pg_database, "SELECT now()")
    for name, row in rows.items():
        got = db.fetch(name)
        assert len(got) == 1, name
        if name in stamped:
            assert abs((got[0][stamped[name]] - now).total_seconds()) < 3600, name
            row = {k: v for k, v in row.items() if k != stamped[name]}
        assert_same_row(name, row, got[0])
    bridge = rid("bridge")
    db.update("bridge", bridge, {"load_posting_t": 18.0}, user="lan.tran")
    db.tombstone("bridge", bridge, user="admin")
    assert db.count("bridge") == 0 and db.count("bridge", include_deleted=True) == 1
    history = db.history("bridge", bridge)
    # the author is the database login; the API's user name is kept beside it (informational)
    login = sql(pg_database, "SELECT session_user")[0][0]
    assert [(h["revision"], h["operation"], h["changed_by"], h["app_user"]) for h in history] == [
        (1, "INSERT", login, "khoa.nguyen"), (2, "UPDATE", login, "lan.tran"),
        (3, "DELETE", login, "admin")]
    assert history[1]["old_values"]["load_posting_t"] == 30.0
    assert history[1]["new_values"]["load_posting_t"] == 18.0
    # the grid CRS carries the EPSG:6960 datum shift; transforms work on the server
    proj4 = sql(pg_database, "SELECT proj4text FROM spatial_ref_sys WHERE srid = 9209")[0][0]
    assert "+towgs84=-191.90441429" in proj4
    lon, lat = sql(pg_database, "SELECT ST_X(g), ST_Y(g) FROM (SELECT ST_Transform(geom, 4326) "
                                "AS g FROM bridge) s")[0]
    assert 106.1 < lon < 106.7 and 20.2 < lat < 20.8
    db.close()


def test_filter_on_dates_and_times_finds_the_row(pg_database, rows):
    import datetime as dt

    db = create_database(pg_database)
    fill(db, rows)
    record = db.fetch("weighing_record")[0]
    local = record["weighed_at"].astimezone(dt.timezone(dt.timedelta(hours=7)))
    for value in (record["weighed_at"], local, local.isoformat()):
        assert [r["id"] for r in db.fetch("weighing_record", where={"weighed_at": value})
                ] == [record["id"]], value
    inspection = db.fetch("inspection")[0]
    assert len(db.fetch("inspection", where={
        "inspection_date": inspection["inspection_date"].isoformat()})) == 1
    db.close()


def test_constraint_errors_name_table_row_field(pg_database, rows):
    db = create_database(pg_database)
    fill(db, rows)
    with pytest.raises(ValidationError, match="already used") as info:
        db.insert("bridge", [dict(rows["bridge"], id=rid("dup"))])
    assert (info.value.table, info.value.row_code, info.value.field) == (
        "bridge", "BR-344-001", "code")
    backwards = dict(rows["pavement_section"], id=rid("ps2"), code="PS-QL10-002",
                     from_m=3000.0, to_m=2500.0)
    with pytest.raises(ValidationError, match="from_before_to") as info:
        db.insert("pavement_section", [backwards])
    assert info.value.field == "from_m"
    with pytest.raises(ValidationError, match="refers to no route row") as info:
        db.insert("culvert", [dict(rows["culvert"], id=rid("c2"), code="CU-344-099",
                                   route_id=rid("nowhere"))])
    assert info.value.field == "route_id"
    with pytest.raises(ValidationError, match="below the minimum 1850"):
        db.update("bridge", rid("bridge"), {"year_built": 1700}, user="x")
    with pytest.raises(ValidationError) as info:  # the two-column key (was "field 'None'")
        db.insert("user_district", [rows["user_district"]])
    assert str(info.value).endswith("fields 'username', 'district_code': these values are "
                                    "already used by another row (duplicate)")
    # psycopg2 cannot send a NUL character (it raised a bare ValueError): refused by name
    with pytest.raises(ValidationError, match="contains a NUL character") as info:
        db.update("bridge", rid("bridge"), {"name": "Cầu\x00Kênh"}, user="x")
    assert info.value.field == "name"
    # the database is the second line of defence: its own error reads the same way
    conn = psycopg2.connect(pg_database)
    with pytest.raises(psycopg2.Error) as raw:
        with conn.cursor() as cur:
            cur.execute("UPDATE bridge SET year_built = 1700")
    conn.close()
    err = translate_pg_error(raw.value, TABLES["bridge"], "BR-344-001")
    assert (err.field, isinstance(err, ValidationError)) == ("year_built", True)
    assert "bridge BR-344-001: field 'year_built' breaks the database check" in str(err)
    assert db.fetch("bridge")[0]["revision"] == 1  # nothing was written
    db.close()


def test_upgrade_from_version_1_keeps_every_row(pg_server, rows):
    old_url, fresh_url = pg_server.new_database(), pg_server.new_database()
    db = create_database(old_url, version=1)
    fill(db, {k: v for k, v in rows.items() if k in tables_at(1)})
    db.update("route", rid("route"), {"road_grade": "II"}, user="a")
    # tables a later version added columns to are compared without those columns (raw SQL:
    # the API reads the latest columns); the others through the API
    grown = {n: [c for c in t.column_names if c not in tables_at(1)[n].column_names]
             for n, t in TABLES.items() if n in tables_at(1)
             and t.column_names != tables_at(1)[n].column_names
             and n not in ("change_log", "db_meta")}
    before = {name: comparable(db, name) for name in tables_at(1)
              if name not in ("sync_replica", "change_log", "db_meta", *grown)}
    grown_before = {n: old_columns(old_url, n, later) for n, later in grown.items()}
    log_before = sql(old_url, "SELECT id, table_name, row_id, revision, operation "
                              "FROM change_log ORDER BY id")
    db.close()
    with pytest.raises(DatabaseError, match="roadinfra db upgrade"):
        open_database(old_url)
    assert upgrade_database(old_url) == (1, SCHEMA_VERSION)
    db = open_database(old_url)
    for name, old_rows in before.items():  # (columns of later versions come empty)
        got = [{k: v for k, v in r.items() if k in old_rows[0]} for r in comparable(db, name)]
        assert got == old_rows, name
    for name, old_rows in grown_before.items():
        assert old_columns(old_url, name, grown[name]) == old_rows, name
    assert db.meta("profile_id") == "thai_binh" and db.schema_version() == SCHEMA_VERSION
    assert sql(old_url, "SELECT id, table_name, row_id, revision, operation FROM change_log "
                        "ORDER BY id") == log_before
    db.insert("sync_replica", [rows["sync_replica"]], user="a")
    db.update("route", rid("route"), {"road_grade": "III"}, user="b")
    login = sql(old_url, "SELECT session_user")[0][0]
    # entries from before the upgrade keep their author; new ones name the login
    assert [(h["operation"], h["changed_by"], h["app_user"])
            for h in db.history("route", rid("route"))] == [
        ("INSERT", "khoa.nguyen", None), ("UPDATE", "a", None), ("UPDATE", login, "b")]
    db.close()
    create_database(fresh_url).close()
    assert columns(old_url) == columns(fresh_url)  # upgraded == created at the latest version
    assert upgrade_database(old_url) == (SCHEMA_VERSION, SCHEMA_VERSION)


def test_a_failed_statement_caught_inside_a_transaction_is_not_a_silent_commit(pg_database,
                                                                              rows):
    db = create_database(pg_database)
    with pytest.raises(DatabaseError, match="nothing was written: a statement of this "
                                            "transaction failed"):
        with db.transaction():
            db.insert("route", [rows["route"]], user="a")
            try:
                db.fetch("route", where={"start_m": "far"})  # the server refuses the value
            except psycopg2.Error:
                pass  # the caller carries on; PostgreSQL would turn COMMIT into ROLLBACK
    assert db.count("route") == 0
    db.insert("route", [rows["route"]], user="a")  # the connection works again
    assert db.count("route") == 1
    db.close()


def test_refuses_to_overwrite_a_database_with_tables(pg_database):
    create_database(pg_database).close()
    with pytest.raises(DatabaseError, match="refusing to overwrite"):
        create_database(pg_database)


def _login(pg_server, url, role):
    name = f"{role}_{uuid.uuid4().hex[:8]}"
    sql(url, f'CREATE ROLE "{name}" LOGIN IN ROLE {role}')  # test-made name, no input
    return name


def test_a_login_without_a_roadinfra_role_gets_a_clear_error(pg_server, pg_database, capsys):
    from roadinfra.core.cli import main

    create_database(pg_database).close()
    name = f"stranger_{uuid.uuid4().hex[:8]}"
    sql(pg_database, f'CREATE ROLE "{name}" LOGIN')  # test-made name, no input
    url = pg_server.url(pg_database.rsplit("/", 1)[1], user=name)
    with pytest.raises(DatabaseError, match="permission denied for table db_meta .*"
                                            "roadinfra_viewer"):
        open_database(url)
    assert main(["db", "info", url]) == 2  # was a psycopg2 traceback
    assert "cannot read the RoadInfra metadata" in capsys.readouterr().err


def test_row_level_security_with_real_login_roles(pg_server, pg_database, rows):
    owner = create_database(pg_database)
    fill(owner, rows)
    bridge_340 = dict(rows["bridge"], id=rid("b340"), code="BR-340-012", district_code="340",
                      name="Cầu Kìm", geom=Point(rows["bridge"]["geom"].x + 900,
                                                rows["bridge"]["geom"].y + 400))
    bridge_343 = dict(bridge_340, id=rid("b343"), code="BR-343-003", district_code="343",
                      name="Cầu Trà Lý")
    owner.insert("bridge", [bridge_340, bridge_343], user="admin")
    editor = _login(pg_server, pg_database, "roadinfra_editor")
    viewer = _login(pg_server, pg_database, "roadinfra_viewer")
    owner.insert("user_district", [{"username": editor, "district_code": "340"}])
    owner.close()
    dbname = pg_database.rsplit("/", 1)[1]

    ed = open_database(pg_server.url(dbname, user=editor))
    ed.update("bridge", rid("b340"), {"load_posting_t": 13.0})  # own district: allowed
    assert ed.history("bridge", rid("b340"))[-1]["changed_by"] == editor
    with pytest.raises(DatabaseError, match=f"user {editor} may not edit bridge rows of "
                                            "district 343"):
        ed.update("bridge", rid("b343"), {"load_posting_t": 13.0})
    with pytest.raises(DatabaseError, match="refused"):
        ed.update("bridge", rid("b340"), {"district_code": "343"})  # no moving rows out
    with pytest.raises(DatabaseError, match="district 343"):
        ed.insert("bridge", [dict(bridge_343, id=rid("b343b"), code="BR-343-004")])
    assert ed.count("bridge") == 3  # reading is allowed everywhere
    ed.close()

    conn = psycopg2.connect(pg_server.url(dbname, user=editor))
    conn.autocommit = True
    with conn.cursor() as cur:
        for statement in ("UPDATE change_log SET changed_by = 'nobody'",
                          "DELETE FROM change_log",
                          "INSERT INTO user_district VALUES ('me', '*')"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(statement)
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="district 343"):
            cur.execute("UPDATE bridge SET load_posting_t = 20 WHERE district_code = '343'")
    conn.close()

    vi = open_database(pg_server.url(dbname, user=viewer))
    assert vi.count("bridge") == 3
    with pytest.raises(DatabaseError, match="permission denied"):
        vi.update("bridge", rid("b340"), {"name": "x"})
    with pytest.raises(DatabaseError, match="permission denied"):
        vi.insert("weighing_record", [rows["weighing_record"] | {"id": rid("w2")}])
    vi.close()

    # not even the owner edits history through SQL: the trigger refuses
    with pytest.raises(psycopg2.Error, match="append-only"):
        sql(pg_database, "UPDATE change_log SET changed_by = 'nobody'")
    assert sql(pg_database, "SELECT load_posting_t FROM bridge WHERE code = 'BR-343-003'") == [
        (30.0,)]
    # a DELETE tombstones (schema 5), and only the rows the login may edit
    conn = psycopg2.connect(pg_server.url(dbname, user=editor))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("DELETE FROM bridge")
    conn.close()
    assert sql(pg_database, "SELECT count(*) FILTER (WHERE district_code = '340' AND "
                            "deleted_at IS NOT NULL), count(*) FILTER (WHERE deleted_at IS "
                            "NOT NULL AND district_code <> '340'), count(*) FILTER (WHERE "
                            "deleted_at IS NULL AND district_code = '340') FROM bridge") == [
        (1, 0, 0)]


def test_bulk_insert_10000_weighing_records(pg_database, rows):
    db = create_database(pg_database)
    fill(db, rows)
    base = {k: v for k, v in rows["weighing_record"].items() if k != "id"}
    records = [dict(base, gross_t=40.0 + (i % 50) / 10) for i in range(10_000)]
    ids = db.insert("weighing_record", records, user="loads")
    assert len(ids) == 10_000 and db.count("weighing_record") == 10_001
    db.close()
