"""Offline sync against a real PostGIS provincial database (the sample province): every
cell of the merge table, deleted parents and children the crew never saw, equal codes,
two and five packages synced at once, row-level security (an edit outside the login's
area is refused and reported, not applied), the creator of a package is the server's
login, a sync killed after the server committed completes on the next run; photos both
ways through the provincial photo store, plan items and an approved plan's guard."""

import json
import os
from concurrent.futures import ProcessPoolExecutor

import pytest
from roadinfra.core.db import open_database
from roadinfra.core.sync import Scope, create_package, sync_package
from roadinfra.core.sync.faults import ENV
from shapely import wkt
from shapely.affinity import translate

from tests.support import sync_photo_scenarios as photo_scenarios
from tests.support import sync_scenarios as scenarios
from tests.support.pg import editor_of, sql
from tests.support.sync import cli, live_ids, ogr_insert, ogr_update, row, rows


def test_every_cell_of_the_merge_table(province, tmp_path):
    scenarios.merge_table(province, tmp_path)


def test_equal_codes_from_two_crews_are_never_silent(province, tmp_path):
    scenarios.equal_codes(province, tmp_path)


def test_a_deleted_parent_never_takes_children_it_did_not_see(province, tmp_path):
    scenarios.deleted_parents(province, tmp_path)


def test_an_approved_plan_item_deleted_on_the_tablet_is_refused(province, tmp_path):
    scenarios.approved_plan_item_deleted(province, tmp_path)


def _sync_one(args):
    return sync_package(*args)


def _parallel(paths, server):
    with ProcessPoolExecutor(max_workers=len(paths)) as pool:
        return list(pool.map(_sync_one, [(str(p), server) for p in paths]))


@pytest.mark.parametrize("count", [2, 5])
def test_packages_edited_and_synced_at_once(province, tmp_path, count):
    scenarios.several_packages(province, tmp_path, count, _parallel)


def test_row_level_security_holds_and_the_login_is_the_creator(pg_server, province,
                                                               tmp_path):
    login, editor = editor_of(pg_server, province, "340")
    pkg = tmp_path / "p.gpkg"
    made = create_package(editor, Scope("area", "340"), str(pkg), name="Tổ 340")
    assert made["created_by"] == login
    [replica] = rows(province, "sync_replica")
    assert replica["created_by"] == login  # the server's login, not a name the client gave
    inspected = {r["culvert_id"] for r in rows(pkg, "inspection")}
    mine = live_ids(pkg, "bridge")[0]
    moved = next(c for c in live_ids(pkg, "culvert") if c not in inspected)  # no children
    route = next(r for r in rows(pkg, "route") if r["district_code"] is None)
    ogr_update(pkg, "bridge", mine, spans=14)                      # in the area: applied
    ogr_update(pkg, "culvert", moved, district_code="341")         # out of the area
    ogr_update(pkg, "route", route["id"], name="Đường tỉnh (sửa)")  # a province-wide row
    before_moved, before_route = row(province, "culvert", moved), row(province, "route",
                                                                      route["id"])
    report = sync_package(str(pkg), editor)
    assert report["login"] == login and report["applied"] == 1
    assert sorted(r["row_id"] for r in report["refused"]) == sorted([moved, route["id"]])
    assert all("may not" in r["message"] for r in report["refused"])
    assert row(province, "bridge", mine)["spans"] == 14
    assert row(province, "culvert", moved)["district_code"] == before_moved["district_code"]
    assert row(province, "route", route["id"])["name"] == before_route["name"]
    stored = rows(province, "sync_conflict", kind="refused")
    assert {c["row_id"] for c in stored} == {moved, route["id"]}
    assert {c["login"] for c in stored} == {login}
    # the package holds the server's values again; the refused edits are kept on the server
    assert row(pkg, "culvert", moved)["district_code"] == "340"
    with open_database(province) as db:
        [changeset] = db.fetch("sync_changeset")
        assert changeset["login"] == login and changeset["package_name"] == "Tổ 340"
        assert db.history("bridge", mine)[-1]["changed_by"] == login


def test_a_sync_killed_after_the_server_committed_completes_next_time(province, tmp_path):
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    bridges = live_ids(pkg, "bridge")
    for i, bridge in enumerate(bridges[:3]):
        ogr_update(pkg, "bridge", bridge, spans=40 + i)
    env = dict(os.environ, **{ENV: "row:2"})
    killed = cli("sync", str(pkg), "--db", province, env=env)
    assert killed.returncode == -9
    assert rows(province, "sync_changeset") == []  # the server transaction was dropped
    assert row(province, "bridge", bridges[0])["spans"] != 40
    env[ENV] = "after_server_commit"
    assert cli("sync", str(pkg), "--db", province, env=env).returncode == -9
    assert len(rows(province, "sync_changeset")) == 1
    env.pop(ENV)
    done = cli("sync", str(pkg), "--db", province, "--json", env=env)
    report = json.loads(done.stdout)
    assert report["replayed"] and report["applied"] == 0
    for i, bridge in enumerate(bridges[:3]):
        assert row(province, "bridge", bridge)["spans"] == 40 + i
        assert row(pkg, "bridge", bridge)["revision"] == row(province, "bridge", bridge)[
            "revision"]
    with open_database(province) as db:
        assert [h["operation"] for h in db.history("bridge", bridges[0])] == ["INSERT",
                                                                              "UPDATE"]


def test_photos_go_both_ways_once_and_problems_are_reported(province, tmp_path):
    pytest.importorskip("PIL.Image")
    store = tmp_path / "kho_anh"  # the provincial photo store every editor reaches
    sql(province, "INSERT INTO db_meta (key, value) VALUES ('photo_store', %s)", (str(store),))
    photo_scenarios.photos_both_ways(province, tmp_path)
    assert any(store.rglob("*.jpg"))  # paths relative to the store, files in it


def test_plan_items_sync_and_an_approved_plan_refuses(province, tmp_path):
    pytest.importorskip("PIL.Image")
    sql(province, "INSERT INTO db_meta (key, value) VALUES ('photo_store', %s)",
        (str(tmp_path / "kho_anh"),))
    photo_scenarios.plans_both_ways(province, tmp_path)


def test_a_plan_status_step_made_in_a_package_stays_in_the_office(province, tmp_path):
    photo_scenarios.plan_status_stays_in_the_office(province, tmp_path)


def test_a_refused_offline_insert_with_a_geometry_is_reported_and_the_rest_syncs(
        pg_server, province, tmp_path):
    """Row-level security refuses a culvert an editor of 340 made offline in 341: stored
    as a refused conflict (its geometry readable), the other edit applied, on every sync."""
    _, editor = editor_of(pg_server, province, "340")
    pkg = tmp_path / "p.gpkg"
    create_package(editor, Scope("area", "340"), str(pkg))
    bridge = live_ids(pkg, "bridge")[0]
    culvert = rows(pkg, "culvert")[0]
    far = ogr_insert(pkg, "culvert", code="CU-341-900", district_code="341",
                     route_id=culvert["route_id"], chainage_m=1000, culvert_type="PIPE",
                     geom=translate(culvert["geom"], 40, 40))
    ogr_update(pkg, "bridge", bridge, spans=17)
    for _ in range(2):
        report = sync_package(str(pkg), editor)
        assert [(r["table"], r["row_id"]) for r in report["refused"]] == [("culvert", far)]
        assert row(province, "bridge", bridge)["spans"] == 17
    [stored] = rows(province, "sync_conflict")
    assert stored["kind"] == "refused" and stored["mine"]["district_code"] == "341"
    assert wkt.loads(stored["mine"]["geom"]).equals(translate(culvert["geom"], 40, 40))
    assert sql(province, "SELECT count(*) FROM culvert WHERE id = %s", (far,))[0][0] == 0


def test_an_asset_moved_to_another_district_syncs_with_its_children(province, tmp_path):
    """The server's district cascade moves the children in the sync's own transaction:
    the package's cascaded child changes are not taken for another writer's."""
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    inspected = {r["culvert_id"] for r in rows(pkg, "inspection") if r["culvert_id"]}
    culvert = next(c for c in live_ids(pkg, "culvert") if c in inspected)
    children = [r["id"] for r in rows(pkg, "inspection") if r["culvert_id"] == culvert]
    ogr_update(pkg, "culvert", culvert, district_code="341")
    for _ in range(2):
        report = sync_package(str(pkg), province)
        assert report["conflicts"] == [] and report["refused"] == []
    assert row(province, "culvert", culvert)["district_code"] == "341"
    assert {row(province, "inspection", c)["district_code"] for c in children} == {"341"}


@pytest.mark.parametrize("ending", ["merged", "dropped"])
def test_a_held_photo_edit_of_an_office_photo_is_kept_and_never_replaces_the_office_one(
        pg_server, province, tmp_path, ending):
    """The crew (an editor of 340) edits an office photo to a file then missing: see
    sync_photo_scenarios.held_photo_edit_merged / _dropped."""
    pytest.importorskip("PIL.Image")
    sql(province, "INSERT INTO db_meta (key, value) VALUES ('photo_store', %s)",
        (str(tmp_path / "kho_anh"),))
    _, crew = editor_of(pg_server, province, "340")
    getattr(photo_scenarios, f"held_photo_edit_{ending}")(province, crew, tmp_path)
