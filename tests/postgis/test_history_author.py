"""The author of a change in PostGIS is the database login, whatever the client claims
(schema version 3): real login roles on a real server, and upgrades that keep every row."""

import json
import uuid

import psycopg2
import pytest
from roadinfra.core.db import create_database, open_database, upgrade_database
from roadinfra.core.schema import CODELISTS, SCHEMA_VERSION, TABLES, tables_at

from tests.support.pg import sql
from tests.support.rows import example_rows, rid


def fill(db, rows, user):
    with db.transaction():
        for name, row in rows.items():
            db.insert(name, [row], user=user)


def log(url, version):
    """Every change_log entry, in order, with the columns it had at schema ``version``."""
    names = ", ".join(f'"{c}"::text' for c in tables_at(version)["change_log"].column_names)
    return sql(url, f"SELECT {names} FROM change_log ORDER BY id")  # noqa: S608 - schema names


def snapshot(url, version):
    """Every row of every table of schema ``version`` as JSON text (geometry as EWKB hex)."""
    out = {}
    for name, table in tables_at(version).items():
        if name not in ("change_log", "db_meta"):
            # columns a later version added (empty after an upgrade) are not compared
            later = [c for c in TABLES[name].column_names if c not in table.column_names]
            out[name] = sql(url, f'SELECT (to_jsonb(t) - %s::text[])::text FROM "{name}" t '  # noqa: S608
                                 "ORDER BY 1", (later,))  # table names from the schema
    # code lists a later version added are not compared
    out["codelist"] = [r for r in out["codelist"]
                       if CODELISTS[json.loads(r[0])["list_name"]].since <= version]
    return out


def shape(url):
    """What must be equal between a created and an upgraded database: columns with their
    comments, RoadInfra functions (source), triggers, policies."""
    cols = sql(url, "SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, "
                    "col_description(('public.' || c.table_name)::regclass, c.ordinal_position) "
                    "FROM information_schema.columns c WHERE c.table_schema = 'public' "
                    "AND c.table_name <> 'spatial_ref_sys' ORDER BY 1, 2")
    funcs = sql(url, "SELECT proname, prosrc, prosecdef FROM pg_proc "
                     "WHERE proname LIKE 'roadinfra%' ORDER BY 1")
    trigs = sql(url, "SELECT tgrelid::regclass::text, tgname, tgfoid::regproc::text "
                     "FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2")
    pols = sql(url, "SELECT tablename, policyname, cmd FROM pg_policies ORDER BY 1, 2")
    return cols, funcs, trigs, pols


def editor_login(url):
    name = f"ed_{uuid.uuid4().hex[:8]}"
    sql(url, f'CREATE ROLE "{name}" LOGIN IN ROLE roadinfra_editor')  # test-made name
    sql(url, "INSERT INTO user_district (username, district_code) VALUES (%s, '344')", (name,))
    return name


def test_a_login_claiming_another_name_is_recorded_as_itself(pg_server, pg_database):
    rows = example_rows()
    owner = create_database(pg_database)
    fill(owner, rows, user="khoa.nguyen")
    owner.close()
    owner_login = sql(pg_database, "SELECT session_user")[0][0]
    editor = editor_login(pg_database)
    url = pg_server.url(pg_database.rsplit("/", 1)[1], user=editor)
    bridge, culvert = rid("bridge"), rid("culvert")

    # through the API, claiming to be the owner: the name goes to app_user only
    db = open_database(url)
    db.update("bridge", bridge, {"load_posting_t": 13.0}, user=owner_login)
    entry = db.history("bridge", bridge)[-1]
    assert (entry["revision"], entry["changed_by"], entry["app_user"]) == (
        2, editor, owner_login)
    row = db.fetch("bridge", where={"id": bridge})[0]
    assert (row["updated_by"], row["created_by"]) == (editor, owner_login)
    db.close()

    # raw SQL: neither the session setting nor explicit audit values change the author
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT set_config('roadinfra.user', 'director.tran', false)")
        cur.execute("UPDATE bridge SET load_posting_t = 10, updated_by = 'director.tran', "
                    "created_by = 'director.tran' WHERE id = %s", (bridge,))
        cur.execute("INSERT INTO culvert (code, district_code, route_id, culvert_type, "
                    "created_by, updated_by) VALUES ('CU-344-099', '344', %s, 'PIPE', "
                    "'director.tran', 'director.tran') RETURNING id, created_by, updated_by",
                    (rid("route"),))
        new_id, created_by, updated_by = cur.fetchone()
        assert (created_by, updated_by) == (editor, editor)
        cur.execute("UPDATE culvert SET span_m = 1.5 WHERE id = %s", (culvert,))
        # the author cannot be rewritten afterwards, nor the trigger replaced
        for statement in ("UPDATE change_log SET changed_by = 'director.tran'",
                          "CREATE OR REPLACE FUNCTION roadinfra_app_user() RETURNS text "
                          "LANGUAGE sql AS $$ SELECT 'x' $$",
                          "ALTER TABLE bridge DISABLE TRIGGER ri_b_version"):
            with pytest.raises(psycopg2.Error, match="permission denied|must be owner"):
                cur.execute(statement)
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("SET SESSION AUTHORIZATION postgres")
    conn.close()

    got = sql(pg_database, "SELECT table_name, row_id::text, revision, changed_by, app_user "
                           "FROM change_log WHERE changed_by <> %s ORDER BY id", (owner_login,))
    assert got == [("bridge", bridge, 2, editor, owner_login),
                   ("bridge", bridge, 3, editor, "director.tran"),
                   ("culvert", str(new_id), 1, editor, "director.tran"),
                   ("culvert", culvert, 2, editor, "director.tran")]
    assert sql(pg_database, "SELECT created_by, updated_by FROM bridge WHERE id = %s",
               (bridge,)) == [(owner_login, editor)]
    # rows written by the owner through the API name the owner login, never the API user
    assert sql(pg_database, "SELECT DISTINCT created_by FROM route") == [(owner_login,)]
    assert sql(pg_database, "SELECT count(*) FROM change_log WHERE changed_by = "
                            "'khoa.nguyen'") == [(0,)]


@pytest.mark.parametrize("start", [1, 2])
def test_upgrade_keeps_every_row_and_history_and_equals_a_fresh_database(pg_server, start):
    old_url, fresh_url = pg_server.new_database(), pg_server.new_database()
    rows = {k: v for k, v in example_rows().items() if k in tables_at(start)}
    db = create_database(old_url, version=start)
    fill(db, rows, user="khoa.nguyen")
    db.update("bridge", rid("bridge"), {"load_posting_t": 18.0}, user="lan.tran")
    db.tombstone("culvert", rid("culvert"), user="admin")
    db.close()
    rows_before, log_before = snapshot(old_url, start), log(old_url, start)
    assert len(log_before) == sum(TABLES[n].versioned for n in rows) + 2

    assert upgrade_database(old_url) == (start, SCHEMA_VERSION)

    assert snapshot(old_url, start) == rows_before
    assert log(old_url, start) == log_before
    assert sql(old_url, "SELECT count(*) FROM change_log WHERE app_user IS NOT NULL") == [(0,)]
    login = sql(old_url, "SELECT session_user")[0][0]
    db = open_database(old_url)
    db.update("bridge", rid("bridge"), {"load_posting_t": 13.0}, user="lan.tran")
    history = db.history("bridge", rid("bridge"))
    assert [(h["changed_by"], h["app_user"]) for h in history] == [
        ("khoa.nguyen", None), ("lan.tran", None), (login, "lan.tran")]
    db.close()
    create_database(fresh_url).close()
    assert shape(old_url) == shape(fresh_url)
    assert "roadinfra_user" not in [f[0] for f in shape(fresh_url)[1]]
