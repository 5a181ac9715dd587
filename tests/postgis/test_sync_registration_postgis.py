"""A package's registration and a plan's status on a real PostGIS provincial database
(schema 15, fourth hostile review of issue 11): a crew login with psql can change only the
sync's own bookkeeping of its package (``base_digest``, ``base_change_id``,
``last_sync_at``), never its name, device, scope, creation time or creator; a plan moves
only by its steps (never draft to approved), its approver written only as it is approved.
Every test runs on a database made at the current version and on one made at version 14 and
upgraded."""

import pytest
from roadinfra.core.db import create_database, open_database, upgrade_database
from roadinfra.core.planning import lifecycle
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.schema import SCHEMA_VERSION
from roadinfra.core.schema.ddl_postgis import PLAN_STEPS
from roadinfra.core.schema.tables import SYNC_REGISTRATION
from roadinfra.core.sync import Scope, create_package, sync_package

from tests.support.pg import editor_of, sql
from tests.support.sync import live_ids, ogr_update, row


@pytest.fixture(params=["create", "upgrade"])
def province(request, pg_database):
    """The sample province at the current schema version, or made at version 14 (before
    SYNC_REGISTRATION) and upgraded."""
    version = SCHEMA_VERSION if request.param == "create" else SYNC_REGISTRATION - 1
    with create_database(pg_database, version=version) as db:
        load_sample_data(db)
    if request.param == "upgrade":
        assert upgrade_database(pg_database) == (SYNC_REGISTRATION - 1, SCHEMA_VERSION)
    return pg_database


def _first_line(statement_error) -> str:
    return str(statement_error.value).splitlines()[0]


def test_a_crew_never_rewrites_its_packages_registration(pg_server, province, tmp_path):
    """After a sync, the crew's login (and the owner) cannot change the package's name,
    device, scope, creation time or creator: refused naming the package; nothing changed.
    The crew's next syncs still write their bookkeeping."""
    login, crew = editor_of(pg_server, province, "340")
    pkg = tmp_path / "p.gpkg"
    create_package(crew, Scope("area", "340"), str(pkg), name="Tổ 340")
    bridge = live_ids(pkg, "bridge")[0]
    ogr_update(pkg, "bridge", bridge, spans=21)
    sync_package(str(pkg), crew)
    [(replica, before)] = sql(province, "SELECT id::text, to_jsonb(r) FROM sync_replica r")
    for who in (crew, province):
        for change in ("name = 'fake'", "created_at = now() - interval '1 year'",
                       "scope = 'area:338'", "device = 'other'", "created_by = 'someone'",
                       "id = gen_random_uuid()"):
            with pytest.raises(Exception) as caught:
                sql(who, f"UPDATE sync_replica SET {change} WHERE id = %s",  # nosec B608 # test-made text
                    (replica,))
            assert f"package {replica} (Tổ 340): its registration" in _first_line(caught), change
    assert sql(province, "SELECT to_jsonb(r) FROM sync_replica r") == [(before,)]
    ogr_update(pkg, "bridge", bridge, spans=22)
    report = sync_package(str(pkg), crew)
    assert report["applied"] == 1 and row(province, "bridge", bridge)["spans"] == 22
    [(after,)] = sql(province, "SELECT to_jsonb(r) FROM sync_replica r")
    assert after["base_digest"] != before["base_digest"]
    assert after["last_sync_at"] > before["last_sync_at"]
    assert {k: after[k] for k in ("name", "device", "scope", "created_at", "created_by")} == \
        {k: before[k] for k in ("name", "device", "scope", "created_at", "created_by")}
    assert after["created_by"] == login


def test_a_plan_moves_only_by_its_steps(pg_server, province):
    """A crew login sets its draft plan approved by SQL (approver and date its own): refused,
    as is an approver written without approving; the plan command's steps go through and
    record the approver."""
    login, crew = editor_of(pg_server, province, "340")
    with open_database(province) as db:
        db.insert("maintenance_plan", [{
            "code": "MP-340-1", "name": "Kế hoạch 340", "plan_year": 2026,
            "district_code": "340", "status": "draft"}], user="office")
    approve = ("UPDATE maintenance_plan SET status = 'approved', approved_by = 'Giám đốc', "
               "approved_at = '2026-01-01' WHERE code = 'MP-340-1'")
    with pytest.raises(Exception) as caught:
        sql(crew, approve)
    assert "plan MP-340-1: status draft cannot become approved" in _first_line(caught)
    assert "roadinfra plan status" in _first_line(caught)
    lifecycle.set_plan_status(crew, "MP-340-1", "submitted", user=login)
    with pytest.raises(Exception) as caught:
        sql(crew, "UPDATE maintenance_plan SET approved_by = 'Giám đốc' WHERE code = 'MP-340-1'")
    assert "approved_at and approved_by are written only as the plan is approved" in \
        _first_line(caught)
    assert sql(province, "SELECT status, approved_by FROM maintenance_plan "
               "WHERE code = 'MP-340-1'") == [("submitted", None)]
    plan = lifecycle.set_plan_status(crew, "MP-340-1", "approved", user=login)
    assert plan["status"] == "approved" and plan["approved_by"] == login


def test_the_plan_steps_are_the_plan_commands():
    assert set(PLAN_STEPS) == lifecycle.TRANSITIONS
