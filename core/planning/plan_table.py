"""Plan from a plain options table: one entry point for files, one for records already read.

:func:`optimize_options` (a CSV path) and :func:`optimize_records` (rows from a layer or a
table) both check the options and the budget, then run the chosen method and, on request,
the other two for comparison, through ``_compute``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping, Union

from .optimize import DEFAULT_GAP, METHODS, Plan, solve
from .options import Options, options_from_records, problem, read_options


@dataclass(frozen=True)
class TablePlan:
    """The plan asked for, the other methods on the same input, what was left out."""

    source: str
    plan: Plan
    comparison: tuple[Plan, ...]
    ignored: int

    def as_dict(self) -> dict:
        out = {"file": self.source, **self.plan.as_dict(), "ignored_options": self.ignored}
        if self.comparison:
            out["comparison"] = [p.summary() for p in self.comparison]
        return out


def optimize_options(path: Union[str, Path], budget: float | Mapping[int, float],
                     years: int | None = None, method: str = "optimal", per: str = "year",
                     with_comparison: bool = False, gap: float = DEFAULT_GAP,
                     time_limit: float | None = None,
                     progress: Callable[[float], None] | None = None,
                     is_cancelled: Callable[[], bool] | None = None) -> TablePlan:
    """Read the options CSV at ``path`` and plan (see :mod:`.optimize`)."""
    return _compute(read_options(path), budget, years, method, per, with_comparison, gap,
                    time_limit, progress, is_cancelled)


def optimize_records(records: Iterable[tuple], budget: float | Mapping[int, float],
                     years: int | None = None, method: str = "optimal", per: str = "year",
                     with_comparison: bool = False, gap: float = DEFAULT_GAP,
                     time_limit: float | None = None, source: str = "options",
                     progress: Callable[[float], None] | None = None,
                     is_cancelled: Callable[[], bool] | None = None) -> TablePlan:
    """Like :func:`optimize_options` for ``(row, section, year, treatment, cost, benefit
    [, condition])`` records already read."""
    return _compute(options_from_records(records, source), budget, years, method, per,
                    with_comparison, gap, time_limit, progress, is_cancelled)


def _compute(options: Options, budget, years, method, per, with_comparison, gap, time_limit,
             progress, is_cancelled) -> TablePlan:
    checked = problem(options, budget, years)
    if with_comparison:
        plan = solve(checked, method, per, gap, time_limit, is_cancelled=is_cancelled)
        plans = [plan if m == method else solve(checked, m, per, gap, time_limit)
                 for m in METHODS]
        if progress:
            progress(100.0)
        return TablePlan(options.source, plan, tuple(plans), checked.ignored)
    plan = solve(checked, method, per, gap, time_limit, progress, is_cancelled)
    return TablePlan(options.source, plan, (), checked.ignored)
