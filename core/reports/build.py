"""The standard reports of a database (and of one of its plans), read through core/db."""

from __future__ import annotations

from ..db import open_database
from ..errors import RoadInfraError
from .tables import (
    ReportTable,
    network_condition,
    overloads,
    plan_cost,
    plan_items,
    plan_progress,
    structures_condition,
)

LANGS = ("vi", "en")


def database_reports(target, plan_code: str | None = None, lang: str = "vi",
                     profile=None) -> list[ReportTable]:
    """Network by route class and PCI class, structures by condition, overloads by station
    and month, and, with ``plan_code``, the plan's cost by district and year, its items and
    its progress (items by status, cost done) by year."""
    if lang not in LANGS:
        raise RoadInfraError(f"language must be one of {list(LANGS)}, not {lang!r}")
    with open_database(target) as db:
        profile = profile or db.profile
        routes = db.fetch("route")
        tables = [
            network_condition(routes, db.fetch("pavement_section"), db.fetch("pavement_survey"),
                              profile, lang),
            structures_condition(db.fetch("bridge"), db.fetch("culvert"),
                                 db.fetch("inspection"), lang),
            overloads(db.fetch("load_station"), db.fetch("weighing_record"), lang),
        ]
        if plan_code is not None:
            tables += _plan_tables(db, plan_code, profile, routes, lang)
    return tables


def _plan_tables(db, plan_code: str, profile, routes, lang: str) -> list[ReportTable]:
    plans = db.fetch("maintenance_plan", where={"code": plan_code})
    if not plans:
        raise RoadInfraError(f"{db.target}: no maintenance plan {plan_code!r}")
    items = db.fetch("plan_item", where={"plan_id": plans[0]["id"]})
    return [plan_cost(plans[0], items, profile, lang), plan_items(plans[0], items, routes, lang),
            plan_progress(plans[0], items, lang)]


def plan_reports(target, plan_code: str, lang: str = "vi") -> list[ReportTable]:
    """A plan's reports only: cost by district and year, items, progress by year (what the
    plan dock in QGIS shows)."""
    if lang not in LANGS:
        raise RoadInfraError(f"language must be one of {list(LANGS)}, not {lang!r}")
    with open_database(target) as db:
        return _plan_tables(db, plan_code, db.profile, db.fetch("route"), lang)
