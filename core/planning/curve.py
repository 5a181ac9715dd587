"""Benefit versus budget: what each extra amount buys, by method, and its plot.

The budget levels are either multiples of the yearly budgets asked for (``factors``, e.g.
0.5, 1, 1.5, 2: what the money around the real budget buys), or shares of the *need*: in
each year, the cost of every section's largest-benefit option that year (the money that
would buy every full fix), point ``k`` of ``n`` giving each year ``k/n`` of its need. Every
method plans each level from scratch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence, Union

from ..io.output import output_file
from .errors import PlanningError
from .optimize import DEFAULT_GAP, METHODS, solve
from .options import Option, Problem


@dataclass(frozen=True)
class CurvePoint:
    """One budget level: the yearly budgets' total and each method's benefit and cost."""

    budget: float
    benefit: dict[str, float]
    cost: dict[str, float]


def need_by_year(options: Sequence[Option]) -> dict[int, float]:
    """Per year, the cost of every section's largest-benefit option that year."""
    best: dict[tuple[str, int], Option] = {}
    for o in options:
        key = (o.section, o.year)
        if key not in best or (o.benefit, -o.cost) > (best[key].benefit, -best[key].cost):
            best[key] = o
    need: dict[int, float] = {}
    for (_, year), o in best.items():
        need[year] = need.get(year, 0.0) + o.cost
    return need


def budget_curve(problem: Problem, points: int = 10, per: str = "year",
                 methods: Sequence[str] = METHODS, gap: float = DEFAULT_GAP,
                 factors: Sequence[float] | None = None, time_limit: float | None = None,
                 progress: Callable[[float], None] | None = None,
                 is_cancelled: Callable[[], bool] | None = None) -> list[CurvePoint]:
    """Benefit and cost of each method at ``factors`` times the problem's budgets, or (no
    factors) at ``points`` levels from ``1/points`` of the need to the whole need."""
    if factors is not None:
        if not factors or any(not 0 < f < math.inf for f in factors):
            raise PlanningError(f"budget factors must be positive numbers, not {factors!r}")
        levels = [{y: b * f for y, b in problem.budgets.items()} for f in sorted(factors)]
    else:
        if not 1 <= points <= 1000:
            raise PlanningError(f"points must be 1 to 1000, not {points}")
        need = need_by_year(problem.options)
        levels = [{y: need.get(y, 0.0) * k / points for y in problem.budgets}
                  for k in range(1, points + 1)]
    out = []
    for k, budgets in enumerate(levels, start=1):
        if is_cancelled and is_cancelled():
            raise PlanningError("cancelled")
        level = Problem(problem.options, budgets, problem.ignored)
        plans = [solve(level, m, per, gap, time_limit) for m in methods]
        out.append(CurvePoint(sum(budgets.values()), {p.method: p.benefit for p in plans},
                              {p.method: p.cost for p in plans}))
        if progress:
            progress(100.0 * k / len(levels))
    return out


def curve_as_dict(points: Sequence[CurvePoint], unit: float = 1e9) -> list[dict]:
    """Points with the optimal plan's extra benefit per ``unit`` of extra budget."""
    rows = []
    previous = None
    for p in points:
        row = {"budget": round(p.budget, 2), "benefit": {k: round(v, 4) for k, v in
                                                         p.benefit.items()},
               "cost": {k: round(v, 2) for k, v in p.cost.items()}}
        if previous is not None and "optimal" in p.benefit and p.budget > previous.budget:
            gain = p.benefit["optimal"] - previous.benefit["optimal"]
            row["optimal_benefit_per_unit"] = round(gain / ((p.budget - previous.budget) / unit),
                                                    6)
        rows.append(row)
        previous = p
    return rows


def plot_curve(points: Sequence[CurvePoint], path: Union[str, Path], budget: float | None = None,
               unit: float = 1e9, unit_label: str = "billion VND",
               title: str = "Benefit versus budget", benefit_label: str = "benefit",
               inputs: Iterable[Union[str, Path]] = (), option: str = "--png") -> Path:
    """Write the curve as a PNG (matplotlib, Agg backend) through the safe writer (never over
    one of ``inputs``, never half-written); ``budget`` marks the actual one."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure
    except ImportError:
        raise PlanningError("the plot needs matplotlib (Debian package python3-matplotlib)") \
            from None
    figure = Figure(figsize=(7, 4.5), dpi=100)
    axes = figure.add_subplot()
    styles = {"optimal": ("-o", "optimal (MILP)"), "greedy": ("--s", "incremental benefit-cost"),
              "worst-first": (":^", "worst-first")}
    x = [p.budget / unit for p in points]
    for method in points[0].benefit if points else ():
        style, label = styles.get(method, ("-", method))
        axes.plot(x, [p.benefit[method] for p in points], style, label=label, markersize=4)
    if budget is not None:
        axes.axvline(budget / unit, color="grey", linewidth=1, linestyle="--",
                     label="budget asked")
    axes.set_xlabel(f"total budget over the horizon ({unit_label})")
    axes.set_ylabel(benefit_label)
    axes.set_title(title)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="upper left")
    figure.tight_layout()
    with output_file(path, inputs, option) as temporary:
        figure.savefig(temporary, format="png")
    return Path(path)
