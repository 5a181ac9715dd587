"""Choose treatments under yearly budgets: optimal (MILP), incremental benefit-cost, worst-first.

The problem: binary ``x_o`` per option ``o`` (section, year, treatment, cost, benefit);
maximise ``sum benefit_o x_o`` subject to, for every year ``y``,
``sum_{o in y} cost_o x_o <= budget_y``, and at most one option per section and year
(``per="year"``, the default) or per section over the whole horizon (``per="horizon"``,
when each option's benefit already counts the years after the works).

- ``optimal``: the exact integer programme, solved by HiGHS through :func:`scipy.optimize.milp`
  to a proven relative gap (``gap``, default 1e-3 = 0.1 %): the plan's benefit is within
  ``gap`` of the best possible. Options dominated within their section and year are dropped
  first; with ``per="year"`` each year is solved alone (the years are then independent). When
  the incremental benefit-cost plan happens to be better than the solver's (both within the
  gap, or the solver stopped at ``time_limit`` without a plan), it is the one returned; the
  gap is then measured from it.
- ``greedy``: incremental benefit-cost (IBC): the options of each section and year (``per="year"``)
  or of each section over the horizon (``per="horizon"``) on their efficient frontier (upper
  convex hull of cost and benefit from "do nothing"); increments are taken in decreasing
  benefit/cost while every year's budget allows the switch; an option that does not fit is
  dropped and the section's next best increment (another treatment or year) competes.
- ``worst-first``: year by year, sections from the worst condition (the options' ``condition``,
  or, without one, the largest benefit on offer) get their largest-benefit option if it fits.
"""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np

from .errors import PlanningError
from .options import Option, Problem

METHODS = ("optimal", "greedy", "worst-first")
#: Stop the solver once its plan is proven within 0.1 % of the best possible.
DEFAULT_GAP = 1e-3
PER = ("year", "horizon")


@dataclass(frozen=True)
class Plan:
    """The options a method chose, with totals per year."""

    method: str
    chosen: tuple[Option, ...]
    budgets: Mapping[int, float]
    seconds: float
    gap: float | None = None          # proven relative optimality gap (optimal only)
    bound: float | None = None        # best bound on the benefit (optimal only)
    status: str = "ok"
    per: str = "year"
    extra: dict = field(default_factory=dict)

    @property
    def benefit(self) -> float:
        return float(sum(o.benefit for o in self.chosen))

    @property
    def cost(self) -> float:
        return float(sum(o.cost for o in self.chosen))

    def by_year(self) -> dict[int, dict[str, float]]:
        out = {y: {"budget": b, "cost": 0.0, "benefit": 0.0, "items": 0}
               for y, b in sorted(self.budgets.items())}
        for o in self.chosen:
            out[o.year]["cost"] += o.cost
            out[o.year]["benefit"] += o.benefit
            out[o.year]["items"] += 1
        return out

    def summary(self) -> dict:
        return {"method": self.method, "benefit": round(self.benefit, 6),
                "cost": round(self.cost, 2), "items": len(self.chosen),
                "gap": None if self.gap is None else round(self.gap, 8),
                "bound": None if self.bound is None else round(self.bound, 6),
                "seconds": round(self.seconds, 3), "status": self.status}

    def as_dict(self) -> dict:
        return {**self.summary(), "per": self.per,
                "years": {str(y): {k: round(v, 2) if isinstance(v, float) else v
                                   for k, v in t.items()} for y, t in self.by_year().items()},
                "chosen": [{"row": o.row, "section": o.section, "year": o.year,
                            "treatment": o.treatment, "cost": o.cost, "benefit": o.benefit}
                           for o in sorted(self.chosen, key=lambda o: (o.year, o.section))]}


def solve(problem: Problem, method: str = "optimal", per: str = "year", gap: float = DEFAULT_GAP,
          time_limit: float | None = None,
          progress: Callable[[float], None] | None = None,
          is_cancelled: Callable[[], bool] | None = None) -> Plan:
    """One plan for ``problem`` by ``method`` (see the module docstring)."""
    if method not in METHODS:
        raise PlanningError(f"method must be one of {list(METHODS)}, not {method!r}")
    if per not in PER:
        raise PlanningError(f"per must be one of {list(PER)}, not {per!r}")
    if is_cancelled and is_cancelled():
        raise PlanningError("cancelled")
    start = time.perf_counter()
    if method == "optimal":
        plan = _optimal(problem, per, gap, time_limit)
    elif method == "greedy":
        plan = Plan(method, _ibc(problem, per), problem.budgets, 0.0, per=per)
    else:
        plan = Plan(method, _yearly(problem, per, _worst_first_year), problem.budgets, 0.0,
                    per=per)
    if progress:
        progress(100.0)
    return Plan(plan.method, plan.chosen, plan.budgets, time.perf_counter() - start, plan.gap,
                plan.bound, plan.status, per, plan.extra)


def compare(problem: Problem, per: str = "year", gap: float = DEFAULT_GAP,
            time_limit: float | None = None) -> list[Plan]:
    """The three methods on the same problem, optimal first."""
    return [solve(problem, m, per, gap, time_limit) for m in METHODS]


# ------------------------------------------------------------------------------ optimal

def undominated(options: Sequence[Option]) -> list[Option]:
    """Options no other option of the same section and year beats (costs no more and gives
    no less, one of them strictly), without zero-benefit ones: an optimum never needs the
    others (swapping one in for its better twin keeps every constraint)."""
    groups: dict[tuple, list[Option]] = {}
    for o in options:
        if o.benefit > 0:
            groups.setdefault((o.section, o.year), []).append(o)
    kept = []
    for group in groups.values():
        group.sort(key=lambda o: (o.cost, -o.benefit))
        best = -math.inf
        for o in group:  # cheapest first: keep an option only if it beats every cheaper one
            if o.benefit > best:
                kept.append(o)
                best = o.benefit
    return kept


def _optimal(problem: Problem, per: str, gap: float, time_limit: float | None) -> Plan:
    """Exact plan; with one treatment per section and year the years are independent and
    are solved one by one (the same optimum, smaller programmes)."""
    candidates = undominated(problem.options)
    if per == "year":
        deadline = None if time_limit is None else time.perf_counter() + time_limit
        parts = []
        for y, b in problem.budgets.items():  # the time limit is for all years together
            left = None if deadline is None else max(deadline - time.perf_counter(), 1.0)
            parts.append(_milp([o for o in candidates if o.year == y], {y: b}, per, gap, left))
    else:
        parts = [_milp(candidates, problem.budgets, per, gap, time_limit)]
    chosen = tuple(o for part in parts for o in part[0])
    value = sum(o.benefit for o in chosen)
    bounds = [part[1] for part in parts]
    bound = None if None in bounds else sum(bounds)
    status = "; ".join(sorted({part[2] for part in parts}))
    # Stopped at the requested gap, the solver's plan may trail the incremental benefit-cost
    # one by less than the gap; the better of the two is kept (the bound holds for both).
    extra = {"solver_benefit": value}
    greedy = _ibc(problem, per)
    if sum(o.benefit for o in greedy) > value:
        chosen, value = greedy, sum(o.benefit for o in greedy)
        status += " (plan: incremental benefit-cost, better than the solver's)"
    if bound is None:
        proven = None
        status += " (no proven bound)"
    else:
        proven = max(bound - value, 0.0) / value if value > 0 else 0.0
    return Plan("optimal", chosen, problem.budgets, 0.0, proven, bound, status, per, extra)


def _milp(options: Sequence[Option], budgets: Mapping[int, float], per: str, gap: float,
          time_limit: float | None) -> tuple[list[Option], float | None, str]:
    """Chosen options, the proven bound on their benefit (None: stopped before proving
    any) and the solver status."""
    from scipy.optimize import LinearConstraint, milp
    from scipy.sparse import csc_array

    if not options:
        return [], 0.0, "optimal"
    years = sorted(budgets)
    year_row = {y: i for i, y in enumerate(years)}
    groups: dict[tuple, int] = {}
    rows, cols, vals = [], [], []
    for j, o in enumerate(options):
        # budget rows scaled by the budget (coefficients of order 1: HiGHS's tolerances are
        # absolute), then the at-most-one rows
        rows.append(year_row[o.year])
        cols.append(j)
        vals.append(o.cost / budgets[o.year] if budgets[o.year] > 0 else o.cost)
        key = (o.section, o.year) if per == "year" else (o.section,)
        rows.append(len(years) + groups.setdefault(key, len(groups)))
        cols.append(j)
        vals.append(1.0)
    m = len(years) + len(groups)
    n = len(options)
    matrix = csc_array((np.asarray(vals), (np.asarray(rows), np.asarray(cols))), shape=(m, n))
    upper = np.concatenate([[1.0 if budgets[y] > 0 else 0.0 for y in years], np.ones(len(groups))])
    benefit = np.array([o.benefit for o in options])
    scale = benefit.max()
    settings = {"mip_rel_gap": gap, "disp": False}
    if time_limit is not None:
        settings["time_limit"] = float(time_limit)
    result = milp(-benefit / scale, integrality=np.ones(n), bounds=(0, 1),
                  constraints=LinearConstraint(matrix, -np.inf, upper), options=settings)
    if result.x is None:  # stopped (time limit) before any plan: keep a bound if it has one
        bound = None if result.mip_dual_bound is None else -float(result.mip_dual_bound) * scale
        return [], bound, result.message
    chosen = [o for o, x in zip(options, result.x) if x > 0.5]
    value = float(sum(o.benefit for o in chosen))
    bound = -float(result.mip_dual_bound) * scale if result.mip_dual_bound is not None \
        else value
    return chosen, max(bound, value), "optimal" if result.status == 0 else result.message


# ----------------------------------------------------------------------- year-by-year rules

def _yearly(problem: Problem, per: str,
            rule: Callable[[list[Option], float], list[Option]]) -> tuple[Option, ...]:
    """Apply ``rule`` (options of a year, its budget -> chosen) year by year; with
    ``per="horizon"`` a section chosen once is not offered again."""
    chosen: list[Option] = []
    treated: set[str] = set()
    for year in sorted(problem.budgets):
        eligible = [o for o in problem.options if o.year == year and o.section not in treated]
        picked = rule(eligible, problem.budgets[year])
        chosen.extend(picked)
        if per == "horizon":
            treated.update(o.section for o in picked)
    return tuple(chosen)


def _next_step(pool: Sequence[Option], cost: float, benefit: float) -> tuple[Option, float] | None:
    """The option of ``pool`` with the highest incremental benefit/cost from (cost, benefit)
    among those that cost no less and give more (a free gain first), and that ratio."""
    best, best_ratio = None, -1.0
    for o in pool:
        if o.benefit <= benefit or o.cost < cost:
            continue
        d_cost = o.cost - cost
        ratio = math.inf if d_cost == 0 else (o.benefit - benefit) / d_cost
        if ratio > best_ratio or (ratio == best_ratio and o.benefit > best.benefit):
            best, best_ratio = o, ratio
    return None if best is None else (best, best_ratio)


def frontier(options: Sequence[Option]) -> list[Option]:
    """A section's efficient options: the upper convex hull of (cost, benefit) from (0, 0),
    each step the highest incremental benefit/cost (ratios decrease along the list)."""
    hull: list[Option] = []
    cost = benefit = 0.0
    while (step := _next_step(options, cost, benefit)) is not None:
        hull.append(step[0])
        cost, benefit = step[0].cost, step[0].benefit
    return hull


def _ibc(problem: Problem, per: str) -> tuple[Option, ...]:
    pools: dict[tuple, list[Option]] = {}
    for o in problem.options:
        pools.setdefault((o.section, o.year) if per == "year" else (o.section,), []).append(o)
    current: dict[tuple, Option | None] = {key: None for key in pools}
    remaining = dict(problem.budgets)
    slack = {y: 1e-9 * max(b, 1.0) for y, b in problem.budgets.items()}
    heap: list[tuple[float, int, tuple, Option]] = []
    order = {key: n for n, key in enumerate(sorted(pools))}

    def push(key: tuple) -> None:
        now = current[key]
        step = _next_step(pools[key], now.cost if now else 0.0, now.benefit if now else 0.0)
        if step is not None:
            heapq.heappush(heap, (-step[1], order[key], key, step[0]))

    for key in pools:
        push(key)
    while heap:
        _, _, key, new = heapq.heappop(heap)
        old = current[key]
        spend = dict.fromkeys((new.year,) + ((old.year,) if old else ()), 0.0)
        spend[new.year] += new.cost
        if old is not None:
            spend[old.year] -= old.cost
        if all(amount <= remaining[y] + slack[y] for y, amount in spend.items()):
            for y, amount in spend.items():
                remaining[y] -= amount
            current[key] = new
        else:  # does not fit: drop this option, the section's next best step competes
            pools[key].remove(new)
        push(key)
    return tuple(o for o in current.values() if o is not None)


def _need(options: list[Option]) -> tuple[float, float]:
    conditions = [o.condition for o in options if o.condition is not None]
    if conditions:
        return (min(conditions), 0.0)
    return (math.inf, -max(o.benefit for o in options))


def _worst_first_year(options: list[Option], budget: float) -> list[Option]:
    by_section: dict[str, list[Option]] = {}
    for o in options:
        by_section.setdefault(o.section, []).append(o)
    order = sorted(by_section, key=lambda s: (*_need(by_section[s]), s))
    remaining = budget
    chosen = []
    for section in order:
        full = max(by_section[section], key=lambda o: (o.benefit, -o.cost))
        if full.benefit > 0 and full.cost <= remaining + 1e-9 * max(budget, 1.0):
            remaining -= full.cost
            chosen.append(full)
    return chosen
