"""A plan's life: draft -> submitted -> approved -> closed, revisions, and results from the field.

An approved (or closed) plan is never changed in place: :func:`revise_plan` copies it and its
items into a new draft (code ``<code>-R<n>``, ``revision_of`` the plan it replaces) that goes
through submission and approval again. While a plan is approved, its items take the results
reported back from the field (:func:`report_results`: status planned / in progress / done /
dropped, done date, actual cost, condition measured) and nothing else. The database refuses
the same (core/schema/plan_guards.py), whoever writes; these functions say it first, in the
planner's words. Every change goes through the database API, so the change log keeps who
did what and when.
"""

from __future__ import annotations

import datetime as dt
import getpass
import math
from pathlib import Path
from typing import Iterable, Mapping, Union

from ..db import open_database
from ..io.rows import RowError, RowErrorsError
from ..schema import CODELISTS
from ..schema.plan_guards import FROZEN, RESULT_COLUMNS
from .errors import PlanningError

STATUSES = ("draft", "submitted", "approved", "closed")
#: Allowed status changes: forward one step, or a submitted plan sent back to draft.
TRANSITIONS = {("draft", "submitted"), ("submitted", "approved"), ("submitted", "draft"),
               ("approved", "closed")}
ITEM_STATUSES = CODELISTS["plan_item_status"].codes
#: Item fields a revision copies (results start again: status planned, no results).
_ITEM_FIELDS = ("district_code", "route_id", "from_m", "to_m", "target_table", "target_id",
                "treatment", "quantity", "unit", "cost_vnd", "priority", "work_year", "geom",
                "condition_before", "condition_after", "reason")
#: Columns of a results table (``item`` is the item's priority in the plan, or its id).
RESULT_FIELDS = ("item", *RESULT_COLUMNS)


def _plan(db, code: str) -> dict:
    rows = db.fetch("maintenance_plan", where={"code": code})
    if not rows:
        raise PlanningError(f"{db.target}: no maintenance plan {code!r}")
    return rows[0]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _approver(db, user: str | None) -> str:
    """Who approves: on PostGIS the database login (``session_user``; since schema 16 its
    trigger records it whatever a client writes), never a desktop account; in a GeoPackage
    (no logins) ``user`` if given, else the operating-system user."""
    if db.kind == "postgis":
        return str(db._query("SELECT session_user")[0][0])
    return user or getpass.getuser()


def set_plan_status(target, code: str, status: str, user: str | None = None) -> dict:
    """Move plan ``code`` to ``status`` along :data:`TRANSITIONS`; approving records when
    and by whom (:func:`_approver`). Returns the plan row."""
    if status not in STATUSES:
        raise PlanningError(f"status must be one of {list(STATUSES)}, not {status!r}")
    with open_database(target) as db:
        plan = _plan(db, code)
        if (plan["status"], status) not in TRANSITIONS:
            allowed = sorted(s for f, s in TRANSITIONS if f == plan["status"])
            raise PlanningError(f"plan {code} is {plan['status']}: it can become "
                                f"{allowed or 'nothing else'}, not {status!r}"
                                + (" (revise it to change it)" if plan["status"] in FROZEN
                                   else ""))
        changes = {"status": status}
        if status == "approved":
            changes.update(approved_at=_now(), approved_by=_approver(db, user))
        db.update("maintenance_plan", plan["id"], changes, user=user,
                  revision=plan["revision"])
        return _plan(db, code)


def revise_plan(target, code: str, user: str | None = None) -> dict:
    """A new draft copy of an approved or closed plan and its items; returns the new plan."""
    with open_database(target) as db:
        plan = _plan(db, code)
        if plan["status"] not in FROZEN:
            raise PlanningError(f"plan {code} is {plan['status']}: change it in place; only "
                                "approved or closed plans are revised")
        base = code.split("-R")[0]
        taken = {r["code"] for r in db.fetch("maintenance_plan", include_deleted=True)}
        n = 2
        while f"{base}-R{n}" in taken:
            n += 1
        items = db.fetch("plan_item", where={"plan_id": plan["id"]})
        with db.transaction():
            new_id = db.insert("maintenance_plan", [{
                "code": f"{base}-R{n}", "district_code": plan["district_code"],
                "name": plan["name"], "plan_year": plan["plan_year"],
                "budget_vnd": plan["budget_vnd"], "status": "draft",
                "method": plan["method"], "revision_of": plan["id"]}], user=user)[0]
            db.insert("plan_item", [{**{k: i[k] for k in _ITEM_FIELDS}, "plan_id": new_id,
                                     "status": "planned"} for i in items], user=user)
        return _plan(db, f"{base}-R{n}")


# ------------------------------------------------------------------ results from the field
def _date(text: str) -> str:
    return dt.date.fromisoformat(text.strip()).isoformat()


def _amount(text: str) -> float:
    value = float(text.strip().replace(",", "."))
    if not math.isfinite(value) or value < 0:
        raise ValueError(text)
    return value


def check_results(records: Iterable[tuple[int, Mapping[str, str]]], items: list[dict],
                  source: str) -> list[tuple[dict, dict]]:
    """``(item row, changes)`` of each results record ``(line, {field: text})``; every bad
    row and field reported at once (RowErrorsError). An empty cell leaves a field as it is."""
    by_key = {}
    for item in items:
        by_key[str(item["id"])] = item
        if item.get("priority") is not None:
            by_key[f"{float(item['priority']):g}"] = item
    errors: list[RowError] = []
    out: list[tuple[dict, dict]] = []
    seen: dict[str, int] = {}
    today = dt.date.today()
    for line, record in records:
        def bad(field: str, message: str, line: int = line) -> None:
            errors.append(RowError(source, line, field, message))

        key = (record.get("item") or "").strip()
        try:
            key = f"{float(key):g}"
        except ValueError:
            pass
        item = by_key.get(key)
        if item is None:
            bad("item", f"no item {record.get('item')!r} in the plan (give its priority or id)")
            continue
        if key in seen:
            bad("item", f"item {key} is reported twice (also row {seen[key]})")
            continue
        seen[key] = line
        changes: dict = {}
        status = (record.get("status") or "").strip().lower().replace(" ", "_")
        if status:
            if status not in ITEM_STATUSES:
                bad("status", f"status {record.get('status')!r} is not one of "
                    f"{list(ITEM_STATUSES)}")
            else:
                changes["status"] = status
        done = (record.get("done_date") or "").strip()
        before = len(errors)
        if done:
            try:
                changes["done_date"] = _date(done)
                if dt.date.fromisoformat(changes["done_date"]) > today:
                    bad("done_date", f"done date {done} is in the future")
            except ValueError:
                bad("done_date", f"done date {done!r} is not a date (YYYY-MM-DD)")
        for field in ("actual_cost_vnd", "condition_measured"):
            text = (record.get(field) or "").strip()
            if text:
                try:
                    changes[field] = _amount(text)
                except ValueError:
                    bad(field, f"{field} {text!r} is not a finite number of 0 or more")
        final = changes.get("status", item.get("status"))
        if "done_date" in changes and final != "done":
            bad("done_date", f"a done date needs status done (the item is {final})")
        if final == "done" and not done and not item.get("done_date") \
                and len(errors) == before:
            bad("done_date", "an item reported done needs its done date")
        if changes:
            out.append((item, changes))
    if errors:
        raise RowErrorsError(errors)
    return out


def report_results(target, code: str, path: Union[str, Path, None] = None,
                   records: Iterable[tuple[int, Mapping[str, str]]] | None = None,
                   user: str | None = None) -> dict:
    """Write results from the field into the items of approved plan ``code``: from a table
    (CSV or XLSX with ``item,status,done_date,actual_cost_vnd,condition_measured``; ``item``
    is the item's priority or id) or from ``records``. All rows are checked first; either all
    are written, in one transaction, or none. Returns counts of items by status."""
    if (path is None) == (records is None):
        raise PlanningError("report_results needs a results table or records (one of them)")
    source = str(path) if path is not None else "results"
    if path is not None:
        from .csv_input import read_csv_rows

        _, records = read_csv_rows(path, "results table", ("item",))
    with open_database(target) as db:
        plan = _plan(db, code)
        if plan["status"] != "approved":
            raise PlanningError(f"plan {code} is {plan['status']}: results are reported on an "
                                "approved plan" + (" (approve it first)" if plan["status"] in
                                                   ("draft", "submitted") else ""))
        items = db.fetch("plan_item", where={"plan_id": plan["id"]})
        changes = check_results(list(records), items, source)
        with db.transaction():
            for item, change in changes:
                db.update("plan_item", item["id"], change, user=user,
                          revision=item["revision"])
        items = db.fetch("plan_item", where={"plan_id": plan["id"]})
    counts = {s: sum(1 for i in items if (i.get("status") or "planned") == s)
              for s in ITEM_STATUSES}
    return {"code": code, "updated": len(changes), "items": len(items), "by_status": counts}
