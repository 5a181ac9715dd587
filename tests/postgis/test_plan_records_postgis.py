"""Plans are records on PostGIS (schema version "plan records"): an approved plan and its
items are never changed in place, by the API or by raw SQL; items take their results; a
database upgraded from the previous version gets the same guards."""

from urllib.parse import urlsplit

import psycopg2
import pytest
from roadinfra.core.db import DatabaseError, create_database, open_database, upgrade_database
from roadinfra.core.planning import lifecycle
from roadinfra.core.schema.tables import PLAN_RECORDS, tables_at

from tests.support.pg import sql
from tests.support.rows import example_rows, rid

PLAN, ITEM = rid("maintenance_plan"), rid("plan_item")


def fill(db):
    present = tables_at(db.schema_version())  # an older version lacks later tables
    with db.transaction():
        for name, row in example_rows().items():
            if name in present:
                db.insert(name, [row], user="khoa.nguyen")


def approve(url):
    lifecycle.set_plan_status(url, "MP-2025", "submitted")
    return lifecycle.set_plan_status(url, "MP-2025", "approved", user="lan.tran")


def check_guards(url):
    plan = approve(url)  # the approver is the database login, not the user given
    assert plan["approved_by"] == urlsplit(url).username and plan["approved_at"] is not None
    with open_database(url) as db:
        with pytest.raises(DatabaseError, match="never changed in place"):
            db.update("maintenance_plan", PLAN, {"budget_vnd": 1.0})
        with pytest.raises(DatabaseError, match="take only their results"):
            db.update("plan_item", ITEM, {"cost_vnd": 1.0})
        db.update("plan_item", ITEM, {"status": "done", "done_date": "2025-10-01",
                                      "actual_cost_vnd": 4.5e9, "condition_measured": 96.0})
        (item,) = db.fetch("plan_item")
        assert (item["status"], item["actual_cost_vnd"]) == ("done", 4.5e9)
    for statement in ("UPDATE maintenance_plan SET name = 'x'",
                      "UPDATE maintenance_plan SET status = 'draft'",
                      "UPDATE maintenance_plan SET deleted_at = now()",
                      "UPDATE plan_item SET treatment = 'RECONSTRUCT'"):
        with pytest.raises(psycopg2.errors.IntegrityConstraintViolation,
                           match="never changed in place|take only their results"):
            sql(url, statement)
    revision = lifecycle.revise_plan(url, "MP-2025")
    assert revision["revision_of"] == PLAN
    lifecycle.set_plan_status(url, "MP-2025", "closed")
    with pytest.raises(psycopg2.errors.IntegrityConstraintViolation):
        sql(url, "UPDATE plan_item SET status = 'dropped' WHERE plan_id = %s", (PLAN,))


def test_guards_on_a_fresh_database(pg_database):
    with create_database(pg_database) as db:
        fill(db)
    check_guards(pg_database)


def test_guards_after_an_upgrade(pg_database):
    with create_database(pg_database, version=PLAN_RECORDS - 1) as db:
        fill(db)
    assert upgrade_database(pg_database)[1] >= PLAN_RECORDS
    with open_database(pg_database) as db:
        (item,) = db.fetch("plan_item")
        assert item["status"] == "planned" and item["reason"] is None
        codes = {r["code"] for r in db.fetch("codelist") if r["list_name"] == "plan_item_status"}
    assert codes == {"planned", "in_progress", "done", "dropped"}
    check_guards(pg_database)
