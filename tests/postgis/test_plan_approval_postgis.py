"""A plan's approval on a real PostGIS provincial database (schema 16, fifth hostile review
of issue 11): as a plan becomes approved the server records the time and the login
(session_user) itself, whatever a client writes (psql, GDAL/OGR, ``roadinfra plan status``
run by any desktop account); a new plan is only a draft with no approval. Every test runs on
a database made at the current version and on one made at version 15 and upgraded."""

import datetime as dt

import pytest
from roadinfra.core.cli import main
from roadinfra.core.db import create_database, open_database, upgrade_database
from roadinfra.core.planning import lifecycle
from roadinfra.core.planning.store import build_plan
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.schema import SCHEMA_VERSION
from roadinfra.core.schema.tables import PLAN_APPROVAL
from roadinfra.core.sync import Scope, create_package, sync_package

from tests.support.pg import editor_of, sql
from tests.support.sync import ogr_insert


@pytest.fixture(params=["create", "upgrade"])
def province(request, pg_database):
    """The sample province at the current schema version, or made at version 15 (before
    PLAN_APPROVAL) and upgraded."""
    version = SCHEMA_VERSION if request.param == "create" else PLAN_APPROVAL - 1
    with create_database(pg_database, version=version) as db:
        load_sample_data(db)
    if request.param == "upgrade":
        assert upgrade_database(pg_database) == (PLAN_APPROVAL - 1, SCHEMA_VERSION)
    return pg_database


def _first_line(statement_error) -> str:
    return str(statement_error.value).splitlines()[0]


def _draft(target, code="MP-340-1"):
    with open_database(target) as db:
        return db.insert("maintenance_plan", [{
            "code": code, "name": "Kế hoạch 340", "plan_year": 2026,
            "district_code": "340", "status": "draft"}], user="office")[0]


def _approval(target, code="MP-340-1"):
    return sql(target, "SELECT status, approved_by, approved_at FROM maintenance_plan "
               "WHERE code = %s", (code,))[0]


def test_an_approval_records_the_login_and_the_servers_time(pg_server, province):
    """A crew login approves its plan by psql in two steps, typing another approver and a
    backdated time: the plan records the crew's login and the server's time; afterwards
    neither changes (closing it included). Before approval they cannot be written."""
    login, crew = editor_of(pg_server, province, "340")
    _draft(province)
    sql(crew, "UPDATE maintenance_plan SET status = 'submitted' WHERE code = 'MP-340-1'")
    with pytest.raises(Exception) as caught:
        sql(crew, "UPDATE maintenance_plan SET status = 'draft', approved_by = 'Giám đốc' "
            "WHERE code = 'MP-340-1'")
    assert "approved_at and approved_by are written only as the plan is approved" in \
        _first_line(caught)
    sql(crew, "UPDATE maintenance_plan SET status = 'approved', approved_by = 'Giám đốc Sở "
        "GTVT', approved_at = '2025-01-01' WHERE code = 'MP-340-1'")
    status, approver, at = _approval(province)
    assert (status, approver) == ("approved", login)
    assert abs(at - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(hours=1)
    for change in ("approved_by = 'Giám đốc'", "approved_at = '2025-01-01'",
                   "status = 'closed', approved_by = 'Giám đốc'"):
        with pytest.raises(Exception) as caught:
            sql(province, f"UPDATE maintenance_plan SET {change} "  # nosec B608 # test-made text
                "WHERE code = 'MP-340-1'")
        assert "never changed in place" in _first_line(caught), change
    sql(province, "UPDATE maintenance_plan SET status = 'closed' WHERE code = 'MP-340-1'")
    assert _approval(province) == ("closed", login, at)


def test_a_new_plan_is_only_a_draft(pg_server, province, tmp_path):
    """Inserting a plan approved, closed, submitted or a draft carrying an approver is refused
    for any login (the owner too), naming the plan; a draft goes in, and the plan commands
    (build, revise) and a plan made offline and synced still make their drafts."""
    _, crew = editor_of(pg_server, province, "340")
    for who in (crew, province):
        for code, status, by, at in (("MP-340-X", "approved", "'Giám đốc'", "'2025-01-01'"),
                                     ("MP-340-Y", "closed", "NULL", "NULL"),
                                     ("MP-340-Z", "submitted", "NULL", "NULL"),
                                     ("MP-340-W", "draft", "'Giám đốc'", "NULL"),
                                     ("MP-340-V", "draft", "NULL", "'2025-01-01'")):
            with pytest.raises(Exception) as caught:
                sql(who, "INSERT INTO maintenance_plan (code, name, plan_year, district_code, "  # nosec B608 # test-made text
                    f"status, approved_by, approved_at) VALUES ('{code}', 'x', 2026, '340', "
                    f"'{status}', {by}, {at})")
            assert f"plan {code}: a new plan is a draft with no approval" in \
                _first_line(caught), (who, code)
    assert sql(province, "SELECT count(*) FROM maintenance_plan WHERE code LIKE 'MP-340-_'"
               ) == [(0,)]
    _draft(crew)
    result, stored = build_plan(province, 2e9, 2027, 1)
    for step in ("submitted", "approved"):
        lifecycle.set_plan_status(province, stored["code"], step)
    revised = lifecycle.revise_plan(province, stored["code"])
    assert revised["status"] == "draft" and revised["approved_by"] is None
    pkg = tmp_path / "p.gpkg"
    create_package(crew, Scope("area", "340"), str(pkg))
    made = ogr_insert(pkg, "maintenance_plan", code="MP-340-F", name="Kế hoạch tổ",
                      plan_year=2026, district_code="340", status="draft")
    report = sync_package(str(pkg), crew)
    assert report["refused"] == report["conflicts"] == []
    assert sql(province, "SELECT id::text, status FROM maintenance_plan WHERE code = "
               "'MP-340-F'") == [(made, "draft")]


def test_plan_status_records_the_database_login_as_approver(pg_server, province):
    """``roadinfra plan status ... approved`` on PostGIS records the database login, never
    the desktop's operating-system user nor a --user given."""
    login, office = editor_of(pg_server, province, "340")
    _draft(province)
    for step in ("submitted", "approved"):
        assert main(["plan", "status", "MP-340-1", step, "--db", office,
                     "--user", "Giám đốc"]) == 0
    assert _approval(province)[:2] == ("approved", login)
