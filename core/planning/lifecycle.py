"""A plan's life: draft -> submitted -> approved -> closed, and revisions of approved plans.

An approved (or closed) plan is never changed in place: :func:`revise_plan` copies it and its
items into a new draft (code ``<code>-R<n>``) that goes through submission and approval again.
Every change goes through the database API, so the change log keeps who did what and when.
"""

from __future__ import annotations

from ..db import open_database
from .errors import PlanningError

STATUSES = ("draft", "submitted", "approved", "closed")
#: Allowed status changes: forward one step, or a submitted plan sent back to draft.
TRANSITIONS = {("draft", "submitted"), ("submitted", "approved"), ("submitted", "draft"),
               ("approved", "closed")}
#: Plan fields that may change once a plan is approved: none but its status.
FROZEN = ("approved", "closed")
_ITEM_FIELDS = ("district_code", "route_id", "from_m", "to_m", "target_table", "target_id",
                "treatment", "quantity", "unit", "cost_vnd", "priority", "work_year", "geom")


def _plan(db, code: str) -> dict:
    rows = db.fetch("maintenance_plan", where={"code": code})
    if not rows:
        raise PlanningError(f"{db.target}: no maintenance plan {code!r}")
    return rows[0]


def set_plan_status(target, code: str, status: str, user: str | None = None) -> dict:
    """Move plan ``code`` to ``status`` along :data:`TRANSITIONS`; returns the plan row."""
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
        db.update("maintenance_plan", plan["id"], {"status": status}, user=user)
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
                "method": plan["method"]}], user=user)[0]
            db.insert("plan_item", [{**{k: i[k] for k in _ITEM_FIELDS}, "plan_id": new_id}
                                    for i in items], user=user)
        return _plan(db, f"{base}-R{n}")
