"""Sync on PostGIS, hostile review round 8: a package whose db_meta was edited is refused, a
connection dropped during a sync is one line and the next sync completes, a viewer's
packaging is refused before any row is read."""

import sqlite3
import uuid

import pytest
from roadinfra.core.db import open_database
from roadinfra.core.sync import Scope, create_package, sync_package
from roadinfra.core.sync.errors import PackageError, SyncError

from tests.support.pg import editor_of, sql
from tests.support.sync import live_ids, row


def test_a_package_whose_scope_was_widened_is_refused(pg_server, province, tmp_path):
    _, editor = editor_of(pg_server, province, "340")
    pkg = tmp_path / "p.gpkg"
    create_package(editor, Scope("area", "340"), str(pkg))
    conn = sqlite3.connect(pkg)
    conn.execute("UPDATE db_meta SET value = '{\"kind\": \"area\", \"value\": \"336\"}' "
                 "WHERE key = 'package_scope'")
    conn.commit()
    conn.close()
    with pytest.raises(PackageError, match=r"db_meta package_scope .* \(area 340\)"):
        sync_package(str(pkg), editor)
    assert not live_ids(pkg, "culvert", "336")


def test_a_connection_dropped_during_a_sync_is_one_line_and_the_next_sync_completes(
        pg_server, province, tmp_path):
    login, editor = editor_of(pg_server, province, "340")
    pkg = tmp_path / "p.gpkg"
    create_package(editor, Scope("area", "340"), str(pkg))
    culverts = live_ids(pkg, "culvert")
    with open_database(pkg) as db:
        for n, culvert in enumerate(culverts):
            db.update("culvert", culvert, {"length_m": 10.0 + n}, user="crew")
    calls = []

    def drop_on_the_fifth_row() -> bool:  # the sync asks before each row it merges
        calls.append(1)
        if len(calls) == 5:
            sql(province, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE usename = %s", (login,))
        return False

    with pytest.raises(SyncError) as failed:
        sync_package(str(pkg), editor, is_cancelled=drop_on_the_fifth_row)
    message = str(failed.value)
    assert "\n" not in message and province.rsplit("/", 1)[1] in message.split(": ")[0]
    assert "the connection to the server was lost" in message
    assert "nothing was applied" in message and "sync again" in message
    with open_database(province) as db:
        assert db.count("sync_changeset") == 0
    sync_package(str(pkg), editor)
    assert [row(province, "culvert", c)["length_m"] for c in culverts] == \
        [10.0 + n for n in range(len(culverts))]


def test_a_viewer_cannot_make_a_package_said_before_reading_rows(pg_server, province,
                                                                  tmp_path):
    name = f"vw_{uuid.uuid4().hex[:8]}"
    sql(province, f'CREATE ROLE "{name}" LOGIN IN ROLE roadinfra_viewer')  # test-made name
    viewer = pg_server.url(province.rsplit("/", 1)[1], user=name)
    sql(province, "ALTER TABLE culvert RENAME TO culvert_hidden")  # any read of rows fails
    try:
        with pytest.raises(SyncError, match=f"login {name} is a viewer: a viewer cannot make "
                                            "offline packages .* roadinfra_editor role"):
            create_package(viewer, Scope("area", "340"), str(tmp_path / "p.gpkg"))
    finally:
        sql(province, "ALTER TABLE culvert_hidden RENAME TO culvert")
    assert list(tmp_path.iterdir()) == []
