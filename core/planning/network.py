"""Plan for a road network: candidate treatments from sections, surveys, loading and structures.

:func:`plan_network` takes rows already read (as :meth:`Database.fetch` returns them) and
returns the plan with, for every chosen item, the asset, quantity, cost, condition before
and forecast after, and the reason; :mod:`.store` reads them from a database and writes the
plan back.

- Pavement sections: PCI in the work year forecast from the latest PCI survey (or, with
  none, from the years since the last works or construction), IRI from the latest IRI
  survey, traffic loading from the latest ``traffic_loading`` rows overlapping the section
  (length-weighted ESAL a day). Every treatment of the decision table that applies to the
  section's surface, PCI band and traffic band in that year is an option; its benefit is
  the PCI-years gained to the end of the horizon times the carriageway area (m2).
- Bridges and culverts: the condition state of the latest rated inspection (vn5 grades, or
  NBI ratings through the profile's ``nbi_states``), forecast with the hazard model; options
  are the treatments that apply to the most likely state of the work year. Benefit: the
  condition index ``100 (J - state) / (J - 1)`` gained in expectation, year by year to the
  end of the horizon, times the deck area (m2) or the culvert length (m) - the same units as
  pavements (condition points x quantity x years) so one budget can rank them all.

One treatment per asset over the horizon (``per="horizon"``): each option's benefit already
counts the years after the works.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from ..profile import Profile
from .errors import PlanningError
from .markov import profile_hazards, transition_matrix
from .optimize import DEFAULT_GAP, METHODS, Plan, solve
from .options import Option, Options, Problem, problem
from .pavement import MESAL_PER_ESAL_DAY, PavementModel, pavement_model, pci_gain_over
from .treatments import Treatment, applicable, load_treatments, traffic_bands

Rows = Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class Candidate:
    """One option with what the plan item needs to say about it."""

    option: Option
    table: str
    asset: Mapping[str, Any]
    treatment: Treatment
    quantity: float
    before: float          # PCI, or expected condition state, in the work year
    after: float           # right after the works
    reason: str


@dataclass(frozen=True)
class NetworkPlan:
    """The chosen candidates, the plan they make, and what could not be planned."""

    plan: Plan
    chosen: tuple[Candidate, ...]
    candidates: int
    skipped: tuple[str, ...]   # assets left out, with why
    comparison: tuple[Plan, ...] = ()

    def items(self) -> list[Candidate]:
        """Chosen items, highest benefit per cost first (their priority order)."""
        return sorted(self.chosen, key=lambda c: (-(c.option.benefit / c.option.cost)
                                                  if c.option.cost else -math.inf,
                                                  c.option.year, c.option.section))

    def as_dict(self) -> dict:
        rows = []
        for rank, c in enumerate(self.items(), start=1):
            rows.append({"priority": rank, "asset": c.option.section, "table": c.table,
                         "year": c.option.year, "treatment": c.treatment.code,
                         "quantity": round(c.quantity, 2), "unit": c.treatment.unit,
                         "unit_cost": c.treatment.unit_cost, "cost": c.option.cost,
                         "condition_before": round(c.before, 2),
                         "condition_after": round(c.after, 2),
                         "benefit": round(c.option.benefit, 2), "reason": c.reason})
        out = {**self.plan.summary(), "per": self.plan.per, "candidates": self.candidates,
               "years": {str(y): {k: round(v, 2) if isinstance(v, float) else v
                                  for k, v in t.items()}
                         for y, t in self.plan.by_year().items()},
               "items": rows, "skipped": list(self.skipped)}
        if self.comparison:
            out["comparison"] = [p.summary() for p in self.comparison]
        return out


def _year(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.year + (value.timetuple().tm_yday - 1) / 365.25
    return float(value)


def _latest(rows: Iterable[Mapping[str, Any]], field: str, date_field: str):
    best = None
    for row in rows:
        if row.get(field) is None or row.get(date_field) is None:
            continue
        if best is None or _year(row[date_field]) > _year(best[date_field]):
            best = row
    return best


def _loading(section: Mapping[str, Any], loadings: Rows) -> float | None:
    """Length-weighted ESAL a day of the latest year's rows overlapping the section."""
    on_route = [r for r in loadings if r.get("route_id") == section["route_id"]
                and r.get("esal_per_day") is not None
                and min(r["to_m"], section["to_m"]) > max(r["from_m"], section["from_m"])]
    if not on_route:
        return None
    year = max(r["year"] for r in on_route)
    total = length = 0.0
    for r in on_route:
        if r["year"] == year:
            overlap = min(r["to_m"], section["to_m"]) - max(r["from_m"], section["from_m"])
            total += r["esal_per_day"] * overlap
            length += overlap
    return total / length


def _pavement_candidates(sections: Rows, surveys: Rows, loadings: Rows, profile: Profile,
                         model: PavementModel, table: Sequence[Treatment], first_year: int,
                         years: int, skipped: list[str]) -> list[Candidate]:
    bands = traffic_bands(profile)
    by_section: dict[str, list] = {}
    for s in surveys:
        by_section.setdefault(s["section_id"], []).append(s)
    out = []
    for sec in sections:
        code = sec.get("code") or sec["id"]
        width = sec.get("width_m")
        if not width:
            skipped.append(f"pavement_section {code}: no width, no area to price works on")
            continue
        area = (sec["to_m"] - sec["from_m"]) * width
        esal = _loading(sec, loadings)
        mesal = (esal or 0.0) * MESAL_PER_ESAL_DAY
        band = bands.band(esal)
        latest = _latest(by_section.get(sec["id"], ()), "pci", "survey_date")
        if latest is not None:
            pci_now, since = float(latest["pci"]), _year(latest["survey_date"])
            basis = f"PCI {latest['pci']:g} surveyed {latest['survey_date']}"
        else:
            works = sec.get("last_works_year") or sec.get("construction_year")
            if works is None:
                skipped.append(f"pavement_section {code}: no PCI survey and no construction "
                               "or works year")
                continue
            pci_now, since = model.pci_from_age(first_year - works, mesal), float(first_year)
            basis = f"no PCI survey; {first_year - works} years since works in {works}"
        for k in range(years):
            year = first_year + k
            before = model.pci(pci_now, max(year - since, 0.0), mesal)
            for t in applicable(table, "pavement", surface=sec["surface_type"], pci=before,
                                traffic=band):
                after = t.condition_after(before)
                gain = pci_gain_over(model, before, after, years - k, mesal, t.rate_factor)
                if gain <= 0:
                    continue
                reason = (f"PCI {before:.0f} forecast for {year} ({basis}), traffic {band}"
                          f"{'' if esal is None else f' ({esal:.0f} ESAL/day)'}: "
                          f"{t.name_en} to PCI {after:.0f}")
                out.append(Candidate(Option(0, code, year, t.code, t.unit_cost * area,
                                            gain * area, before),
                                     "pavement_section", sec, t, area, before, after, reason))
    return out


def structure_state(inspection: Mapping[str, Any], profile: Profile, states: int) -> int:
    """Condition state (1..``states``) of an inspection's overall rating: vn5 grades as
    they are, NBI 0-9 ratings through the profile's ``[planning.structures] nbi_states``."""
    rating = int(inspection["overall_rating"])
    if inspection.get("scheme") == "nbi":
        mapping = profile.data.get("planning", {}).get("structures", {}).get("nbi_states")
        if not isinstance(mapping, list) or len(mapping) != 10:
            raise PlanningError(f"{profile.path}: [planning.structures]: key 'nbi_states' "
                                "must list the state of NBI ratings 0..9 (10 entries)")
        return int(mapping[rating])
    return min(max(rating, 1), states)


def _structure_candidates(kind: str, assets: Rows, inspections: Rows, profile: Profile,
                          table: Sequence[Treatment], first_year: int, years: int,
                          skipped: list[str]) -> list[Candidate]:
    hazards = profile_hazards(profile)
    states = len(hazards) + 1
    index = 100.0 * (states - np.arange(1, states + 1)) / (states - 1)
    key = f"{kind}_id"
    by_asset: dict[str, list] = {}
    for i in inspections:
        if i.get(key):
            by_asset.setdefault(i[key], []).append(i)
    one_year = transition_matrix(hazards, 1.0)
    out = []
    for asset in assets:
        code = asset.get("code") or asset["id"]
        latest = _latest(by_asset.get(asset["id"], ()), "overall_rating", "inspection_date")
        if latest is None:
            skipped.append(f"{kind} {code}: no rated inspection")
            continue
        if kind == "bridge":
            quantity = (asset.get("length_m") or 0) * (asset.get("width_m") or 0)
        else:
            quantity = asset.get("length_m") or 0
        if not quantity:
            what = "length and width" if kind == "bridge" else "length"
            skipped.append(f"{kind} {code}: no {what}")
            continue
        state = structure_state(latest, profile, states)
        start = np.zeros(states)
        start[state - 1] = 1.0
        since = max(first_year - _year(latest["inspection_date"]), 0.0)
        dist = start @ transition_matrix(hazards, since)
        for k in range(years):
            year = first_year + k
            likely = int(np.argmax(dist)) + 1
            for t in applicable(table, kind, state=likely):
                faster = transition_matrix([h * t.rate_factor for h in hazards], 1.0)
                with_works = np.zeros(states)
                with_works[t.state_after - 1] = 1.0
                without = dist.copy()
                gain = 0.0
                for _ in range(years - k):
                    gain += max(float(with_works @ index - without @ index), 0.0)
                    with_works, without = with_works @ faster, without @ one_year
                if gain <= 0:
                    continue
                expected = float(dist @ np.arange(1, states + 1))
                reason = (f"state {likely} most likely in {year} (expected {expected:.1f}; "
                          f"rating {latest['overall_rating']} ({latest.get('scheme')}) on "
                          f"{latest['inspection_date']}): {t.name_en} to state {t.state_after}")
                out.append(Candidate(Option(0, code, year, t.code, t.unit_cost * quantity,
                                            gain * quantity, float(index[likely - 1])),
                                     kind, asset, t, quantity, expected, float(t.state_after),
                                     reason))
            dist = dist @ one_year
    return out


def network_candidates(sections: Rows, surveys: Rows, loadings: Rows, bridges: Rows,
                       culverts: Rows, inspections: Rows, profile: Profile, first_year: int,
                       years: int) -> tuple[list[Candidate], list[str]]:
    """Every option the decision table allows for every asset and year, and the assets
    left out with why."""
    if not 1 <= years <= 100:
        raise PlanningError(f"years must be 1 to 100, not {years}")
    table = load_treatments(profile)
    model = pavement_model(profile)
    skipped: list[str] = []
    out = _pavement_candidates(sections, surveys, loadings, profile, model, table, first_year,
                               years, skipped)
    for kind, assets in (("bridge", bridges), ("culvert", culverts)):
        out += _structure_candidates(kind, assets, inspections, profile, table, first_year,
                                     years, skipped)
    numbered = [Candidate(Option(n, c.option.section, c.option.year, c.option.treatment,
                                 c.option.cost, c.option.benefit, c.option.condition),
                          c.table, c.asset, c.treatment, c.quantity, c.before, c.after, c.reason)
                for n, c in enumerate(out, start=1)]
    return numbered, skipped


def network_problem(sections: Rows, surveys: Rows, loadings: Rows, bridges: Rows,
                    culverts: Rows, inspections: Rows, profile: Profile,
                    budget: float | Mapping[int, float], first_year: int, years: int
                    ) -> tuple[Problem, list[Candidate], list[str]]:
    """The planning problem of a network: its options under the budgets, the candidates
    behind the options (by row number) and the assets left out."""
    candidates, skipped = network_candidates(sections, surveys, loadings, bridges, culverts,
                                             inspections, profile, first_year, years)
    if not candidates:
        raise PlanningError("no asset needs any treatment of the decision table in "
                            f"{first_year}-{first_year + years - 1}")
    options = Options("network", tuple(c.option for c in candidates))
    if not isinstance(budget, Mapping):  # one amount a year, for the years that need works
        budget = {y: float(budget) for y in options.years if y < first_year + years}
    return problem(options, budget, years), candidates, skipped


def plan_network(sections: Rows, surveys: Rows, loadings: Rows, bridges: Rows, culverts: Rows,
                 inspections: Rows, profile: Profile, budget: float | Mapping[int, float],
                 first_year: int, years: int, method: str = "optimal",
                 with_comparison: bool = False, gap: float = DEFAULT_GAP,
                 time_limit: float | None = None,
                 progress: Callable[[float], None] | None = None,
                 is_cancelled: Callable[[], bool] | None = None) -> NetworkPlan:
    """The plan for rows already read (see the module docstring)."""
    checked, candidates, skipped = network_problem(sections, surveys, loadings, bridges,
                                                   culverts, inspections, profile, budget,
                                                   first_year, years)
    if progress:
        progress(20.0)
    plan = solve(checked, method, "horizon", gap, time_limit, is_cancelled=is_cancelled)
    comparison = tuple(plan if m == method else solve(checked, m, "horizon", gap, time_limit)
                       for m in METHODS) if with_comparison else ()
    by_row = {c.option.row: c for c in candidates}
    if progress:
        progress(100.0)
    return NetworkPlan(plan, tuple(by_row[o.row] for o in plan.chosen), len(candidates),
                       tuple(skipped), comparison)
