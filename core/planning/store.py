"""A plan built from the database and stored in ``maintenance_plan`` / ``plan_item``.

Reads the live rows of ``pavement_section``, ``pavement_survey``, ``traffic_loading``,
``bridge``, ``culvert`` and ``inspection`` through the database API, plans with
:func:`.network.plan_network`, and writes the plan (status ``draft``) and its items in one
transaction: either all of it is stored or nothing.
"""

from __future__ import annotations

import math
from typing import Callable, Mapping, Sequence

from ..db import open_database
from .curve import CurvePoint, budget_curve, plot_curve
from .markov import InspectionFit, fit_inspection_records, profile_hazards
from .network import NetworkPlan, network_problem, plan_network, structure_state
from .optimize import DEFAULT_GAP

#: Default curve levels: multiples of the yearly budget asked for.
CURVE_FACTORS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)
#: Gap each curve level is solved to.
CURVE_GAP = 5e-3

READ_TABLES = ("pavement_section", "pavement_survey", "traffic_loading", "bridge", "culvert",
               "inspection")


def _span(c, length: float | None) -> tuple[float, float]:
    """Chainage interval of a structure: its length (or span) centred on its chainage."""
    centre = float(c.asset.get("chainage_m") or 0.0)
    half = max(float(length or 0.0), 1.0) / 2
    start = max(centre - half, 0.0)
    return start, max(centre + half, start + 1.0)


def plan_rows(result: NetworkPlan, plan_id: str) -> list[dict]:
    """``plan_item`` rows of a plan, priority 1 = the highest benefit per cost."""
    rows = []
    for rank, c in enumerate(result.items(), start=1):
        row = {"plan_id": plan_id, "district_code": c.asset.get("district_code"),
               "route_id": c.asset["route_id"], "target_table": c.table,
               "target_id": c.asset["id"], "treatment": c.treatment.code,
               "quantity": round(c.quantity, 3), "unit": c.treatment.unit,
               "cost_vnd": round(c.option.cost, 0), "priority": float(rank),
               "work_year": c.option.year, "status": "planned",
               "condition_before": round(c.before, 3), "condition_after": round(c.after, 3),
               "reason": c.reason}
        if c.table == "pavement_section":
            row.update(from_m=c.asset["from_m"], to_m=c.asset["to_m"], geom=c.asset.get("geom"))
        else:
            length = c.asset.get("length_m") if c.table == "bridge" else c.asset.get("span_m")
            row["from_m"], row["to_m"] = _span(c, length)
        rows.append(row)
    return rows


def _network_rows(rows: dict) -> list:
    """Rows in :func:`.network.plan_network`'s argument order."""
    return [rows[name] for name in READ_TABLES]


def database_curve(target, budget: float | Mapping[int, float], first_year: int,
                   years: int = 5, factors: Sequence[float] = CURVE_FACTORS,
                   png=None, gap: float = CURVE_GAP, time_limit: float | None = 30.0,
                   profile=None, png_inputs: Sequence = (),
                   progress: Callable[[float], None] | None = None,
                   is_cancelled: Callable[[], bool] | None = None) -> list[CurvePoint]:
    """Benefit versus budget of the database's network at ``factors`` times ``budget``
    (every method, one treatment per asset over the horizon); ``png`` writes the plot. Each
    level is solved to ``gap`` (default 0.5 %: a curve for a committee, not a plan) within
    ``time_limit`` seconds. The PNG is never written over one of ``png_inputs``."""
    with open_database(target) as db:
        rows = {name: db.fetch(name) for name in READ_TABLES}
        profile = profile or db.profile
    checked, _, _ = network_problem(*_network_rows(rows), profile, budget, first_year, years)
    points = budget_curve(checked, per="horizon", gap=gap, factors=factors,
                          time_limit=time_limit, progress=progress, is_cancelled=is_cancelled)
    if png is not None:
        plot_curve(points, png, budget=sum(checked.budgets.values()),
                   title=f"Benefit versus budget, {first_year}-{first_year + years - 1}",
                   benefit_label="benefit (condition points x m2 x years)",
                   inputs=[target, *png_inputs], option="--curve")
    return points


def database_hazards(target, step_years: float = 1.0, profile=None) -> InspectionFit:
    """Hazard rates (and a one-step matrix) from the inspection history of every bridge and
    culvert in the database; the number of states is the profile's."""
    with open_database(target) as db:
        profile = profile or db.profile
        inspections = db.fetch("inspection")
    states = len(profile_hazards(profile)) + 1
    records = [(n, i["bridge_id"] or i["culvert_id"], i["inspection_date"],
                structure_state(i, profile, states))
               for n, i in enumerate(inspections, start=1) if i.get("overall_rating") is not None]
    return fit_inspection_records(records, states, f"{target}: inspection", step_years)


def _next_code(db, first_year: int) -> str:
    taken = {r["code"] for r in db.fetch("maintenance_plan", include_deleted=True)}
    for n in range(1, 10_000):
        code = f"MP-{first_year}-{n:02d}"
        if code not in taken:
            return code
    raise AssertionError("no free plan code")  # pragma: no cover - 10,000 plans a year


def build_plan(target, budget: float | Mapping[int, float], first_year: int, years: int = 5,
               method: str = "optimal", name: str | None = None, user: str | None = None,
               with_comparison: bool = False, write: bool = True, gap: float = DEFAULT_GAP,
               time_limit: float | None = None, profile=None,
               progress: Callable[[float], None] | None = None,
               is_cancelled: Callable[[], bool] | None = None) -> tuple[NetworkPlan, dict]:
    """Plan the network of the database ``target`` and (``write``) store it as a draft.

    ``profile`` (a :class:`Profile`) replaces the profile recorded in the database, e.g.
    one whose treatment table is newer. Returns the plan and ``{"plan_id", "code",
    "items"}`` of the stored plan (empty when not written).
    """
    with open_database(target) as db:
        rows = {name_: db.fetch(name_) for name_ in READ_TABLES}
        profile = profile or db.profile
        result = plan_network(*_network_rows(rows), profile, budget, first_year, years, method,
                              with_comparison, gap, time_limit, progress, is_cancelled)
        if not write:
            return result, {}
        budgets = result.plan.budgets
        total = sum(v for v in budgets.values() if math.isfinite(v))
        with db.transaction():
            code = _next_code(db, first_year)
            last = first_year + years - 1
            plan_id = db.insert("maintenance_plan", [{
                "code": code, "district_code": None, "plan_year": first_year,
                "name": name or f"Kế hoạch bảo trì {first_year}-{last} / "
                                f"Maintenance plan {first_year}-{last}",
                "budget_vnd": total, "status": "draft",
                "method": f"{result.plan.method} ({result.plan.per})"}], user=user)[0]
            items = db.insert("plan_item", plan_rows(result, plan_id), user=user)
        return result, {"plan_id": plan_id, "code": code, "items": len(items)}
