# ruff: noqa: S608 - DDL generator: every name/constant passes through sqlnames.ident/literal
"""Schema version "plan records": an approved plan is never changed in place, in the database.

Whoever writes (the toolkit, QGIS editing a layer, psql), the database refuses:

* a change to an approved or closed ``maintenance_plan`` other than approved -> closed (its
  name, budget, items' plan, tombstone ... stay as approved: a change is a new revision);
* a ``maintenance_plan`` inserted other than as a draft with no approval
  (:data:`NEW_PLAN_MESSAGE`; a package's and a sync's copies of the server's plans are
  written with the triggers set aside);
* (GeoPackage; PostGIS since its schema 15/16, ``ddl_postgis``) a draft or submitted plan's
  status moved off :data:`PLAN_STEPS`, its ``approved_at`` / ``approved_by`` changed other
  than as it becomes approved, or approved without an approver or at another time than
  the database's now (:data:`APPROVAL_TIME_MESSAGE`);
* a ``plan_item`` added to, moved into or out of an approved or closed plan;
* a change to an item of an approved plan other than its results reported back from the
  field (:data:`RESULT_COLUMNS`); any change to an item of a closed plan.

The revision, ``updated_at``/``updated_by`` the versioning triggers set are not changes.
Both back-ends are generated here from the schema definition; ``ddl_gpkg`` and
``ddl_postgis`` call in for the tables and the migration of :data:`.tables.PLAN_RECORDS`.
"""

from __future__ import annotations

from typing import List

from .constraints import AUDIT_NAMES, data_columns
from .model import Table
from .sqlnames import ident, literal
from .tables import CODELISTS, GEOMETRY_COLUMN, PLAN_RECORDS, tables_at

PLAN, ITEM = "maintenance_plan", "plan_item"
#: Plan statuses whose plan and items are frozen.
FROZEN = ("approved", "closed")
#: Item columns reported back from the field: they may change while the plan is approved.
RESULT_COLUMNS = ("status", "done_date", "actual_cost_vnd", "condition_measured")
PLAN_MESSAGE = ("RoadInfra: an approved or closed maintenance plan is never changed in place "
                "(only approved -> closed): revise it (roadinfra plan revise) and change the "
                "revision")
#: The status a new plan is inserted with (QGIS, OGR, the toolkit); any other, or an
#: approval (``approved_at`` / ``approved_by``), is refused, as PostGIS does since schema 16.
NEW_STATUS = "draft"
NEW_PLAN_MESSAGE = ("RoadInfra: a new maintenance plan is added as a draft (no approval): it "
                    "is submitted, approved and closed with roadinfra plan status")
#: The steps of a maintenance plan's status, as ``roadinfra plan status`` takes them
#: (core/planning/lifecycle.py TRANSITIONS; a test keeps the two the same).
PLAN_STEPS = (("draft", "submitted"), ("submitted", "approved"), ("submitted", "draft"),
              ("approved", "closed"))
STEP_MESSAGE = ("RoadInfra: a maintenance plan moves draft -> submitted -> approved -> closed "
                "(a submitted one back to draft), one step at a time, with roadinfra plan "
                "status")
APPROVAL_MESSAGE = ("RoadInfra: a maintenance plan's approved_at and approved_by are written "
                    "only as it is approved (submitted -> approved, roadinfra plan status)")
#: A GeoPackage has no login to stamp: the approver is the one given, the time must be now.
APPROVAL_SECONDS = 300
APPROVAL_TIME_MESSAGE = ("RoadInfra: a maintenance plan is approved with its approver and "
                         "the time of the approval (now, not a typed time): use roadinfra "
                         "plan status")
ITEM_MESSAGE = ("RoadInfra: items of an approved maintenance plan take only their results "
                "(status, done_date, actual_cost_vnd, condition_measured), a closed plan's "
                "none, and no item is added to or moved out of either: revise the plan")
_FROZEN_SQL = "(" + ", ".join(literal(s) for s in FROZEN) + ")"


def applies(table: Table, version: int) -> bool:
    return version >= PLAN_RECORDS and table.name in (PLAN, ITEM)


def _compared(table: Table, skip=()) -> List[str]:
    """Columns whose change counts: data columns (geometry too), not audit, not ``skip``."""
    names = [c.name for c in data_columns(table) if c.name not in skip]
    return names + ([GEOMETRY_COLUMN] if table.geometry else [])


# ------------------------------------------------------------------ GeoPackage
def gpkg_trigger_names(table: Table, version: int) -> List[str]:
    """Every trigger name :func:`gpkg_triggers` makes for ``table``."""
    if not applies(table, version):
        return []
    if table.name == PLAN:
        return [f"ri_{table.name}_new", f"ri_{table.name}_frozen", f"ri_{table.name}_step"]
    return [f"ri_{table.name}_frozen_insert", f"ri_{table.name}_frozen"]


def _changed(table: Table, skip=()) -> str:
    return " OR ".join(f"NEW.{ident(n)} IS NOT OLD.{ident(n)}" for n in _compared(table, skip))


def _plan_is(alias: str, statuses: str) -> str:
    """SQL: the plan of item row ``alias`` (OLD, NEW) has one of ``statuses``."""
    return (f'EXISTS (SELECT 1 FROM {ident(PLAN)} AS p WHERE p."id" = {alias}."plan_id" '  # nosec B608 # names via sqlnames.ident
            f'AND p."status" IN {statuses})')


def gpkg_triggers(table: Table, version: int) -> List[str]:
    """BEFORE triggers that refuse changes to frozen plans (SQLite RAISE)."""
    if not applies(table, version):
        return []
    t = ident(table.name)
    if table.name == PLAN:
        moves = ('NOT (NEW."status" IS OLD."status" OR (OLD."status" = \'approved\' '
                 'AND NEW."status" = \'closed\'))')
        return [f"CREATE TRIGGER {ident(f'ri_{table.name}_new')} BEFORE INSERT ON {t} "
                f'WHEN NEW."status" IS NOT {literal(NEW_STATUS)} OR NEW."approved_at" IS NOT '
                f'NULL OR NEW."approved_by" IS NOT NULL BEGIN '
                f"SELECT RAISE(ABORT, {literal(NEW_PLAN_MESSAGE)}); END",
                f"CREATE TRIGGER {ident(f'ri_{table.name}_frozen')} BEFORE UPDATE ON {t} "
                f'WHEN OLD."status" IN {_FROZEN_SQL} BEGIN '
                f"SELECT RAISE(ABORT, {literal(PLAN_MESSAGE)}) WHERE {moves} OR "
                f"{_changed(table, ('status',))}; END",
                _gpkg_step(t)]
    refuse = f"SELECT RAISE(ABORT, {literal(ITEM_MESSAGE)})"
    frozen_before, frozen_after = _plan_is("OLD", _FROZEN_SQL), _plan_is("NEW", _FROZEN_SQL)
    closed_before = _plan_is("OLD", "('closed')")
    return [
        f"CREATE TRIGGER {ident(f'ri_{table.name}_frozen_insert')} BEFORE INSERT ON {t} "
        f"BEGIN {refuse} WHERE {frozen_after}; END",
        f"CREATE TRIGGER {ident(f'ri_{table.name}_frozen')} BEFORE UPDATE ON {t} BEGIN "
        f"{refuse} WHERE ({frozen_before} OR {frozen_after}) AND "
        f"({_changed(table, RESULT_COLUMNS)}); "
        f"{refuse} WHERE {closed_before} AND ({_changed(table)}); END",
    ]


def _gpkg_step(t: str) -> str:
    """BEFORE UPDATE trigger of a draft or submitted plan: its status moves along
    :data:`PLAN_STEPS` only, its approval is written only as it becomes approved, then
    with an approver and the database's time (a frozen plan: ``ri_maintenance_plan_frozen``)."""
    steps = " OR ".join(f'(OLD."status" = {literal(a)} AND NEW."status" = {literal(b)})'
                        for a, b in PLAN_STEPS)
    approving = 'OLD."status" = \'submitted\' AND NEW."status" = \'approved\''
    approval_changed = ('(NEW."approved_at" IS NOT OLD."approved_at" '
                        'OR NEW."approved_by" IS NOT OLD."approved_by")')
    not_now = ('NEW."approved_by" IS NULL OR trim(NEW."approved_by") = \'\' '
               'OR NEW."approved_at" IS NULL OR julianday(NEW."approved_at") IS NULL '
               'OR abs(julianday(NEW."approved_at") - julianday(\'now\')) * 86400 > '
               f"{APPROVAL_SECONDS}")
    return (f"CREATE TRIGGER {ident(f'ri_{PLAN}_step')} BEFORE UPDATE ON {t} "
            f'WHEN OLD."status" IS NULL OR OLD."status" NOT IN {_FROZEN_SQL} BEGIN '
            f"SELECT RAISE(ABORT, {literal(STEP_MESSAGE)}) "
            f'WHERE NEW."status" IS NOT OLD."status" AND NOT ({steps}); '
            f"SELECT RAISE(ABORT, {literal(APPROVAL_MESSAGE)}) "
            f"WHERE {approval_changed} AND NOT ({approving}); "
            f"SELECT RAISE(ABORT, {literal(APPROVAL_TIME_MESSAGE)}) "
            f"WHERE {approving} AND ({not_now}); END")


# ------------------------------------------------------------------ PostGIS
def _jsonb_without(alias: str, skip) -> str:
    keys = ", ".join(literal(n) for n in (*AUDIT_NAMES, *skip))
    return f"(to_jsonb({alias}) - ARRAY[{keys}]::text[])"


def postgis_statements(version: int) -> List[str]:
    """Migration :data:`PLAN_RECORDS`: the new code list's rows, the guard functions and
    their triggers (later migrations add nothing here)."""
    if version != PLAN_RECORDS:
        return []
    tables = tables_at(version)
    lists = ",\n  ".join(f"({literal(n)}, {literal(code)}, {literal(vi)}, {literal(en)})"
                         for n, codelist in CODELISTS.items() if codelist.since == version
                         for code, vi, en in codelist.items)
    plan_moves = ("NOT (NEW.status IS NOT DISTINCT FROM OLD.status OR "
                  "(OLD.status = 'approved' AND NEW.status = 'closed'))")
    item_keep = RESULT_COLUMNS
    return [
        "INSERT INTO codelist (list_name, code, label_vi, label_en) VALUES\n  "  # nosec B608 # codes via sqlnames.literal
        f"{lists} ON CONFLICT DO NOTHING",
        "CREATE OR REPLACE FUNCTION roadinfra_plan_frozen() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"IF OLD.status IN {_FROZEN_SQL} AND ({plan_moves} OR "
        f"{_jsonb_without('NEW', ('status',))} IS DISTINCT FROM "
        f"{_jsonb_without('OLD', ('status',))}) THEN "
        f"RAISE EXCEPTION {literal(PLAN_MESSAGE + ' (plan %)')}, OLD.code "
        "USING ERRCODE = 'integrity_constraint_violation'; END IF; RETURN NEW; END $$",
        "CREATE OR REPLACE FUNCTION roadinfra_plan_item_frozen() RETURNS trigger "  # nosec B608 # fixed text, messages via sqlnames.literal
        "LANGUAGE plpgsql AS $$ DECLARE was text; now_in text; BEGIN "
        "SELECT status INTO now_in FROM public.maintenance_plan WHERE id = NEW.plan_id; "
        "IF TG_OP = 'INSERT' THEN "
        f"IF now_in IN {_FROZEN_SQL} THEN RAISE EXCEPTION {literal(ITEM_MESSAGE)} "
        "USING ERRCODE = 'integrity_constraint_violation'; END IF; RETURN NEW; END IF; "
        "SELECT status INTO was FROM public.maintenance_plan WHERE id = OLD.plan_id; "
        f"IF (was IN {_FROZEN_SQL} OR now_in IN {_FROZEN_SQL}) AND "
        f"{_jsonb_without('NEW', item_keep)} IS DISTINCT FROM "
        f"{_jsonb_without('OLD', item_keep)} "
        f"OR was = 'closed' AND {_jsonb_without('NEW', ())} IS DISTINCT FROM "
        f"{_jsonb_without('OLD', ())} THEN "
        f"RAISE EXCEPTION {literal(ITEM_MESSAGE)} "
        "USING ERRCODE = 'integrity_constraint_violation'; END IF; RETURN NEW; END $$",
        f"CREATE TRIGGER ri_a_plan_frozen BEFORE UPDATE ON {ident(PLAN)} "
        "FOR EACH ROW EXECUTE FUNCTION roadinfra_plan_frozen()",
        f"CREATE TRIGGER ri_a_plan_frozen BEFORE INSERT OR UPDATE ON {ident(ITEM)} "
        "FOR EACH ROW EXECUTE FUNCTION roadinfra_plan_item_frozen()",
    ] if PLAN in tables and ITEM in tables else []
