"""Plans are records (GeoPackage): item status and reasoning stored, approval recorded, an
approved plan never changed in place (by the API, by raw SQL), results from the field, a
revision that names the plan it replaces, and the plan-progress report checked by hand."""

import datetime as dt
import sqlite3
import uuid

import pytest
from roadinfra.core.cli import main
from roadinfra.core.db import DatabaseError, open_database
from roadinfra.core.io.rows import RowErrorsError
from roadinfra.core.planning import lifecycle
from roadinfra.core.planning.errors import PlanningError
from roadinfra.core.planning.store import build_plan
from roadinfra.core.reports.build import database_reports
from roadinfra.core.reports.tables import plan_progress
from roadinfra.core.sample_data import SAMPLE_DIR, build_demo_database
from roadinfra.core.schema.plan_guards import (
    APPROVAL_MESSAGE,
    APPROVAL_TIME_MESSAGE,
    ITEM_MESSAGE,
    PLAN_MESSAGE,
    STEP_MESSAGE,
)


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """The sample province with a one-year plan MP-2027-01, approved."""
    path = tmp_path_factory.mktemp("records") / "province.gpkg"
    build_demo_database(path, SAMPLE_DIR)
    build_plan(str(path), 2e9, 2027, 1)
    lifecycle.set_plan_status(str(path), "MP-2027-01", "submitted")
    lifecycle.set_plan_status(str(path), "MP-2027-01", "approved", user="lan.tran")
    return str(path)


def plan_and_items(db, code="MP-2027-01"):
    (plan,) = db.fetch("maintenance_plan", where={"code": code})
    items = sorted(db.fetch("plan_item", where={"plan_id": plan["id"]}),
                   key=lambda i: i["priority"])
    return plan, items


def test_items_keep_their_reasoning_and_approval_is_recorded(province):
    with open_database(province) as db:
        plan, items = plan_and_items(db)
    assert plan["status"] == "approved" and plan["approved_by"] == "lan.tran"
    assert plan["approved_at"] and plan["revision_of"] is None
    assert items and all(i["status"] == "planned" for i in items)
    for item in items:
        assert item["reason"] and item["condition_before"] is not None
        assert item["condition_after"] > item["condition_before"]  # works improve
    with open_database(province) as db:
        (entry,) = [h for h in db.history("maintenance_plan", plan["id"])
                    if (h["new_values"] or {}).get("status") == "approved"]
    assert entry["changed_by"] == "lan.tran"


def test_an_approved_plan_is_never_changed_in_place(province):
    with open_database(province) as db:
        plan, items = plan_and_items(db)
        for change in ({"name": "changed"}, {"budget_vnd": 1.0}, {"status": "draft"}):
            with pytest.raises(DatabaseError, match="never changed in place"):
                db.update("maintenance_plan", plan["id"], change)
        with pytest.raises(DatabaseError, match="never changed in place"):
            db.tombstone("maintenance_plan", plan["id"])
        for change in ({"cost_vnd": 1.0}, {"treatment": "RECONSTRUCT"}, {"reason": "x"}):
            with pytest.raises(DatabaseError, match="take only their results"):
                db.update("plan_item", items[0]["id"], change)
        new = {k: items[0][k] for k in ("plan_id", "route_id", "from_m", "to_m", "treatment")}
        with pytest.raises(DatabaseError, match="take only their results"):
            db.insert("plan_item", [new])
    # the database itself refuses, whoever writes (maintenance_plan has no geometry, so plain
    # sqlite3 can write it, as any SQL client could)
    conn = sqlite3.connect(province)
    with pytest.raises(sqlite3.IntegrityError, match="never changed in place"):
        conn.execute("UPDATE maintenance_plan SET budget_vnd = 0 WHERE code = 'MP-2027-01'")
    # a plan added as approved, closed or with an approval is refused at its insert, with
    # an id (as a QGIS form gives one, plugin/database/layers.py) or without (OGR)
    copy = ("INSERT INTO maintenance_plan ({id}code, name, plan_year, district_code, status, "
            "approved_by) SELECT {value}?, 'new', plan_year, district_code, ?, ? "
            "FROM maintenance_plan WHERE code = 'MP-2027-01'")
    for with_id in (True, False):
        sql = copy.format(id="id, " if with_id else "", value="?, " if with_id else "")
        for n, (status, by) in enumerate((("approved", None), ("closed", None),
                                          ("draft", "Giam doc"))):
            params = ([str(uuid.uuid4())] if with_id else []) + [f"MP-NEW-{n}", status, by]
            with pytest.raises(sqlite3.IntegrityError,
                               match="new maintenance plan is added as a draft"):
                conn.execute(sql, params)
    conn.execute(copy.format(id="id, ", value="?, "), [str(uuid.uuid4()), "MP-NEW", "draft", None])
    conn.rollback()
    conn.close()
    with pytest.raises(PlanningError, match="it can become .'closed'.*revise it"):
        lifecycle.set_plan_status(province, "MP-2027-01", "draft")
    with open_database(province) as db:
        assert plan_and_items(db) == (plan, items)


def test_results_from_the_field_every_bad_row_at_once(province, tmp_path):
    table = tmp_path / "results.csv"
    table.write_text("item,status,done_date,actual_cost_vnd,condition_measured\n"
                     "1,done,,,\n"                    # 2 done without a date
                     "99,done,2026-01-05,10,90\n"     # 3 no such item
                     "2,finished,,,\n"                # 4 unknown status
                     "3,planned,2026-01-05,,\n"       # 5 date but not done
                     "4,done,2026-13-01,-5,nan\n"     # 6 bad date, cost, condition
                     "5,in progress,,,\n"             # 7 fine
                     "5,dropped,,,\n",                # 8 reported twice
                     encoding="utf-8")
    with pytest.raises(RowErrorsError) as err:
        lifecycle.report_results(province, "MP-2027-01", table)
    assert [(e.row, e.field) for e in err.value.errors] == [
        (2, "done_date"), (3, "item"), (4, "status"), (5, "done_date"), (6, "done_date"),
        (6, "actual_cost_vnd"), (6, "condition_measured"), (8, "item")]
    with open_database(province) as db:
        assert all(i["status"] == "planned" for i in plan_and_items(db)[1])  # none written


def test_results_progress_report_and_revision(province, tmp_path):
    with open_database(province) as db:
        plan, items = plan_and_items(db)
    first, second = items[0], items[1]
    table = tmp_path / "results.csv"
    table.write_text("item,status,done_date,actual_cost_vnd,condition_measured\n"
                     f"1,done,2026-06-30,{first['cost_vnd'] * 1.1:.0f},95.5\n"
                     f"{second['id']},dropped,,,\n", encoding="utf-8")
    assert main(["plan", "results", "MP-2027-01", str(table), "--db", province]) == 0
    with open_database(province) as db:
        plan, items = plan_and_items(db)
    assert (items[0]["status"], items[0]["done_date"], items[0]["condition_measured"]) == (
        "done", dt.date(2026, 6, 30), 95.5)
    assert items[1]["status"] == "dropped"
    # the progress report, by hand: one year, n items, one done, one dropped
    (progress,) = [t for t in database_reports(province, "MP-2027-01", "en")
                   if t.key == "plan_progress"]
    year, total = progress.rows
    planned = sum(i["cost_vnd"] for i in items)
    assert year["year"] == "2027" and total["year"] == "Total"
    assert (year["n_planned"], year["n_in_progress"], year["n_done"], year["n_dropped"]) == (
        len(items) - 2, 0, 1, 1)
    assert year["planned_cost"] == pytest.approx(planned)
    assert year["done_planned_cost"] == items[0]["cost_vnd"]
    assert year["actual_cost"] == round(first["cost_vnd"] * 1.1)
    assert year["done_share"] == pytest.approx(items[0]["cost_vnd"] / planned)
    assert total["done_share"] == year["done_share"]
    # a revision copies the plan's items and reasoning, names the plan it replaces, and
    # starts the results again; the approved plan stays as it was
    revision = lifecycle.revise_plan(province, "MP-2027-01")
    with open_database(province) as db:
        _, copied = plan_and_items(db, revision["code"])
        assert plan_and_items(db) == (plan, items)
    assert revision["revision_of"] == plan["id"] and revision["status"] == "draft"
    assert [(i["treatment"], i["reason"], i["status"]) for i in copied] == [
        (i["treatment"], i["reason"], "planned") for i in items]
    # a closed plan takes no more results
    lifecycle.set_plan_status(province, "MP-2027-01", "closed")
    with open_database(province) as db:
        with pytest.raises(DatabaseError, match="take only their results"):
            db.update("plan_item", items[2]["id"], {"status": "done", "done_date": "2026-07-01"})
    with pytest.raises(PlanningError, match="results are reported on an approved plan"):
        lifecycle.report_results(province, "MP-2027-01", table)


def test_progress_of_rows_by_hand():
    plan = {"code": "MP-1", "name": "n", "status": "approved"}
    items = [{"work_year": 2027, "status": "done", "cost_vnd": 100.0, "actual_cost_vnd": 90.0},
             {"work_year": 2027, "status": "planned", "cost_vnd": 300.0},
             {"work_year": 2028, "status": "in_progress", "cost_vnd": 50.0},
             {"work_year": 2028, "status": None, "cost_vnd": 50.0}]
    table = plan_progress(plan, items, "vi")
    assert [(r["year"], r["n_planned"], r["n_in_progress"], r["n_done"], r["planned_cost"],
             r["actual_cost"], r["done_share"]) for r in table.rows] == [
        ("2027", 1, 0, 1, 400.0, 90.0, 0.25), ("2028", 1, 1, 0, 100.0, 0.0, 0.0),
        ("Tổng", 2, 1, 1, 500.0, 90.0, 0.2)]


def test_messages_are_one_line():
    for message in (PLAN_MESSAGE, ITEM_MESSAGE, STEP_MESSAGE, APPROVAL_MESSAGE,
                    APPROVAL_TIME_MESSAGE):
        assert "\n" not in message


def test_plan_status_records_the_approver_given_or_the_os_user(tmp_path):
    """In a GeoPackage (no logins) ``roadinfra plan status ... approved --user NAME``
    records NAME as approver; without --user, the operating-system user."""
    import getpass

    path = tmp_path / "province.gpkg"
    build_demo_database(path, SAMPLE_DIR)
    build_plan(str(path), 2e9, 2027, 1)
    build_plan(str(path), 2e9, 2028, 1)
    approvers = {}
    for code, extra in (("MP-2027-01", ["--user", "lan.tran"]), ("MP-2028-01", [])):
        for step in ("submitted", "approved"):
            assert main(["plan", "status", code, step, "--db", str(path)] + extra) == 0
        with open_database(str(path)) as db:
            approvers[code] = plan_and_items(db, code)[0]["approved_by"]
    assert approvers == {"MP-2027-01": "lan.tran", "MP-2028-01": getpass.getuser()}


def test_a_draft_plan_moves_one_step_at_a_time_and_its_approval_is_not_typed(tmp_path):
    """In a provincial GeoPackage, whoever writes (OGR as QGIS, sqlite3), a draft plan does
    not become approved or closed in one edit, nor takes an approver or approval time
    before it is approved; a submitted one is approved only with its approver and the
    database's time (a typed, back-dated one is refused); roadinfra plan status takes
    every step, as before."""
    from osgeo import ogr

    path = tmp_path / "province.gpkg"
    build_demo_database(path, SAMPLE_DIR)
    build_plan(str(path), 2e9, 2027, 1)
    code = "MP-2027-01"

    def ogr_edit(**fields):
        ds = ogr.Open(str(path), 1)
        layer = ds.GetLayerByName("maintenance_plan")
        layer.SetAttributeFilter(f"code = '{code}'")
        feature = layer.GetNextFeature()
        for name, value in fields.items():
            feature.SetField(name, value)
        result = layer.SetFeature(feature)
        ds = None
        return result

    typed = {"approved_by": "Giam doc (go tay)", "approved_at": "2020-01-01T00:00:00Z"}
    for status in ("approved", "closed"):
        assert ogr_edit(status=status, **typed) != 0
        assert ogr_edit(status=status) != 0
    assert ogr_edit(**typed) != 0  # an approval on a draft
    conn = sqlite3.connect(path)
    for sql, message in (
            ("UPDATE maintenance_plan SET status = 'approved'", STEP_MESSAGE),
            ("UPDATE maintenance_plan SET approved_by = 'x'", APPROVAL_MESSAGE)):
        with pytest.raises(sqlite3.IntegrityError, match=message.split(":")[1][:30]):
            conn.execute(sql + " WHERE code = ?", (code,))
    conn.close()
    with open_database(str(path)) as db:
        assert plan_and_items(db, code)[0]["status"] == "draft"
    lifecycle.set_plan_status(str(path), code, "submitted")
    assert ogr_edit(status="approved", **typed) != 0  # back-dated
    assert ogr_edit(status="approved") != 0  # no approver, no time
    lifecycle.set_plan_status(str(path), code, "draft")  # a submitted one goes back
    lifecycle.set_plan_status(str(path), code, "submitted")
    lifecycle.set_plan_status(str(path), code, "approved", user="lan.tran")
    lifecycle.set_plan_status(str(path), code, "closed")
    with open_database(str(path)) as db:
        plan = plan_and_items(db, code)[0]
    assert (plan["status"], plan["approved_by"]) == ("closed", "lan.tran")
    now = dt.datetime.now(dt.timezone.utc)
    assert abs((now - dt.datetime.fromisoformat(str(plan["approved_at"]).replace(
        "Z", "+00:00"))).total_seconds()) < 3600


def test_db_upgrade_gives_a_geopackage_of_this_version_the_new_plan_guard(province,
                                                                         capsys):
    """A GeoPackage at the current schema version made before the guard against a plan
    inserted approved (its trigger missing, or an older text) takes it with roadinfra db
    upgrade, which rewrites only the triggers that differ; then the insert is refused."""
    from roadinfra.core.db import upgrade_database
    from roadinfra.core.schema.tables import SCHEMA_VERSION

    conn = sqlite3.connect(province)
    conn.execute("DROP TRIGGER ri_maintenance_plan_new")
    conn.execute("DROP TRIGGER ri_maintenance_plan_step")
    conn.commit()
    insert = ("INSERT INTO maintenance_plan (id, code, name, plan_year, district_code, status) "
              "SELECT ?, 'MP-OLD', 'old', plan_year, district_code, 'approved' "
              "FROM maintenance_plan WHERE code = 'MP-2027-01'")
    conn.execute(insert, [str(uuid.uuid4())])  # accepted as before the guard
    conn.rollback()
    conn.close()
    with open_database(province) as db:
        assert [t.name for t in db.stale_triggers()] == ["maintenance_plan"]
    assert main(["db", "upgrade", str(province)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0].endswith(f"already at schema version {SCHEMA_VERSION}")
    assert said[1].endswith("brought the triggers of maintenance_plan to this RoadInfra's "
                            "(stricter guards)")
    with open_database(province) as db:
        assert db.stale_triggers() == []
    conn = sqlite3.connect(province)
    with pytest.raises(sqlite3.IntegrityError, match="new maintenance plan is added as a draft"):
        conn.execute(insert, [str(uuid.uuid4())])
    conn.close()
    assert upgrade_database(province) == (SCHEMA_VERSION, SCHEMA_VERSION)
