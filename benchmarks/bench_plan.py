"""Benchmark: an optimal multi-year plan (MILP, HiGHS) against incremental benefit-cost.

Builds a seeded network of ``--sections`` pavement sections (length 0.2-2 km, width 5-12 m,
PCI 15-98, loading lognormal around 0.15 million ESAL a year, PCI loss by
core/planning/pavement.py), each with the profile's six pavement treatments in each of
``--years`` years: 5,000 x 6 x 5 = 150,000 options by default. Every treatment is offered in
every year (the decision table's bands are not applied, so the size is exactly 6 x 5 per
section). An option's benefit is the area-weighted PCI gained over the horizon: the sum, over
the years from the works to the end of the horizon, of (PCI with the works - PCI without)
x area (m2), the treated section deteriorating at the treatment's rate factor. Costs are the
profile's unit costs x area. Each year's budget is ``--budget-share`` of that year's need
(the cost of every section's largest-benefit option).

Solves, in the same run, with ``per="year"`` (at most one treatment per section and year;
the years are then independent knapsacks) and ``per="horizon"`` (at most one per section in
the five years, which couples the years): optimal to a proven gap of 0.05 % (``--gap``; the
target is below 0.1 %; time limit 60 s), greedy (incremental benefit-cost) and worst-first.
Prints time, proven gap, benefit and the optimal plan's gain over the others. Run by hand
(results go to docs/benchmarks.md and docs/planning.md); not part of the test command:

    .venv/bin/python benchmarks/bench_plan.py --sections 5000 --years 5
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np
import scipy
from roadinfra.core.planning.curve import need_by_year
from roadinfra.core.planning.optimize import solve
from roadinfra.core.planning.options import Option, Problem
from roadinfra.core.planning.pavement import pavement_model, pci_gain_over
from roadinfra.core.planning.treatments import load_treatments
from roadinfra.core.profile import load_profile


def instance(sections: int, years: int, budget_share: float, seed: int) -> Problem:
    rng = np.random.default_rng(seed)
    profile = load_profile()
    model = pavement_model(profile)
    treatments = [t for t in load_treatments(profile) if t.asset == "pavement"]
    first_year = 2027
    options = []
    row = 1
    for s in range(sections):
        area = rng.uniform(200, 2000) * rng.uniform(5, 12)
        pci0 = rng.uniform(15, 98)
        mesal = rng.lognormal(np.log(0.15), 1.0)  # million ESAL a year
        for k in range(years):
            before = model.pci(pci0, k, mesal)
            remaining = years - k
            for t in treatments:
                gained = pci_gain_over(model, before, t.condition_after(before), remaining,
                                       mesal, t.rate_factor)
                options.append(Option(row, f"S{s:05d}", first_year + k, t.code,
                                      round(t.unit_cost * area, -3), round(gained * area, 1),
                                      round(before, 1)))
                row += 1
    need = need_by_year(options)
    budgets = {y: need[y] * budget_share for y in sorted(need)}
    return Problem(tuple(options), budgets, 0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=5000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--budget-share", type=float, default=0.3)
    parser.add_argument("--gap", type=float, default=5e-4)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=20270101)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    problem = instance(args.sections, args.years, args.budget_share, args.seed)
    print(f"instance: {args.sections} sections, {len(problem.options)} options, "
          f"{args.years} years, budgets {args.budget_share:.0%} of need "
          f"(built in {time.perf_counter() - start:.1f} s)")
    print(f"python {platform.python_version()}, numpy {np.__version__}, scipy "
          f"{scipy.__version__} (HiGHS), {os.cpu_count()} CPU(s), load average "
          f"{os.getloadavg()[0]:.2f}")
    for per in ("year", "horizon"):
        plans = {m: solve(problem, m, per, gap=args.gap, time_limit=args.time_limit)
                 for m in ("optimal", "greedy", "worst-first")}
        best = plans["optimal"]
        print(f"per={per}:")
        for name, plan in plans.items():
            gap = "" if plan.gap is None else (
                f"\n               proven gap {plan.gap:.5%}, bound {plan.bound:,.0f} "
                f"({plan.status}; solver's own plan {plan.extra['solver_benefit']:,.0f})")
            print(f"  {name:<12} {plan.seconds:7.2f} s  benefit {plan.benefit:,.0f}  "
                  f"cost {plan.cost / 1e9:,.2f} bn VND  items {len(plan.chosen)}{gap}")
        for name in ("greedy", "worst-first"):
            gain = best.benefit / plans[name].benefit - 1 if plans[name].benefit else float("inf")
            print(f"  optimal over {name}: {gain:+.3%} benefit for the same budgets")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
