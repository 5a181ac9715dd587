"""Interrupted syncs on a real PostGIS provincial database: a sync that left the package's
base as it was (nothing to send) or held only a conflict, killed after the server
committed while the office wrote elsewhere, completes on the next sync; a connection lost
before the server's transaction began is one line with nothing applied; a login that may not
edit the area it packages is warned."""

import uuid

import pytest
from roadinfra.core.cli import main
from roadinfra.core.db.targets import hide_password
from roadinfra.core.sync import Scope, create_package, engine, faults, sync_package

from tests.support.pg import editor_of, sql
from tests.support.sync import cli, live_ids, ogr_update, row, rows
from tests.support.sync_interrupted import same_base_killed


@pytest.mark.parametrize("conflict", [False, True], ids=["nothing_sent", "only_a_conflict"])
def test_a_sync_that_left_the_base_killed_after_the_server_committed_completes(
        province, tmp_path, conflict):
    same_base_killed(province, tmp_path, conflict)


@pytest.mark.parametrize("moment", ["reads", "begin"])
def test_a_connection_lost_before_the_servers_transaction_is_one_line(
        pg_server, province, tmp_path, monkeypatch, capsys, moment):
    """The sync's connection dropped (server restarted, Wi-Fi gone) during its reads before
    the server's transaction, or just before BEGIN: one line, nothing applied; the next
    sync completes."""
    name, crew = editor_of(pg_server, province, "340")
    pkg = tmp_path / "p.gpkg"
    create_package(crew, Scope("area", "340"), str(pkg))
    bridge = live_ids(pkg, "bridge")[0]
    ogr_update(pkg, "bridge", bridge, spans=21)

    def drop():
        sql(province, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
            "usename = %s AND pid <> pg_backend_pid()", (name,))

    if moment == "reads":
        real = engine._check_registered
        monkeypatch.setattr(engine, "_check_registered",
                            lambda package, server: (drop(), real(package, server))[1])
    else:
        real_point = faults.point
        monkeypatch.setattr(faults, "point", lambda where: (
            drop() if where == "read" else None, real_point(where)))
    assert main(["sync", str(pkg), "--db", crew]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert "the connection to the server was lost" in line and "nothing was applied" in line
    assert "check the connection and sync again" in line
    assert rows(province, "sync_changeset") == []
    monkeypatch.undo()
    assert sync_package(str(pkg), crew)["applied"] == 1
    assert row(province, "bridge", bridge)["spans"] == 21


def test_a_login_that_may_not_edit_the_area_is_warned_at_packaging(pg_server, province,
                                                                   tmp_path):
    """An editor with no district, or another district, makes the package all the same (a
    province-wide login may sync it) with a warning naming the districts; an editor of the
    area is not warned."""
    lone = f"ed_none_{uuid.uuid4().hex[:8]}"
    sql(province, f'CREATE ROLE "{lone}" LOGIN IN ROLE roadinfra_editor')  # test-made name
    logins = {lone: pg_server.url(province.rsplit("/", 1)[1], user=lone)}
    for district in ("336", "340"):
        name, url = editor_of(pg_server, province, district)
        logins[name] = url
    for n, (name, url) in enumerate(logins.items()):
        done = cli("package", "--db", url, "--area", "340", "--out",
                   str(tmp_path / f"p{n}.gpkg"), "--no-project")
        assert done.returncode == 0, done.stderr
        warned = [line for line in done.stderr.splitlines() if "warning" in line]
        if name.startswith("ed340_"):
            assert warned == []
        else:
            assert warned == [f"roadinfra package: warning: {hide_password(url)}: login "
                              f"{name} may not edit district 340 (no user_district row for "
                              "it): the package's edits there will be refused at sync unless "
                              "a province-wide login syncs the package"]
    assert create_package(province, Scope("area", "340"),
                          str(tmp_path / "owner.gpkg"))["warnings"] == []
