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
    structures_condition,
)

LANGS = ("vi", "en")


def database_reports(target, plan_code: str | None = None, lang: str = "vi",
                     profile=None) -> list[ReportTable]:
    """Network by route class and PCI class, structures by condition, overloads by station
    and month, and, with ``plan_code``, the plan's cost by district and year and its items."""
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
            plans = db.fetch("maintenance_plan", where={"code": plan_code})
            if not plans:
                raise RoadInfraError(f"{db.target}: no maintenance plan {plan_code!r}")
            items = db.fetch("plan_item", where={"plan_id": plans[0]["id"]})
            tables += [plan_cost(plans[0], items, profile, lang),
                       plan_items(plans[0], items, routes, lang)]
    return tables
