"""Optimal, incremental benefit-cost and worst-first plans on instances solved by hand."""

import itertools
import json

import numpy as np
import pytest
from roadinfra.core.cli import main
from roadinfra.core.planning.curve import budget_curve, curve_as_dict, need_by_year, plot_curve
from roadinfra.core.planning.errors import PlanningError
from roadinfra.core.planning.optimize import compare, frontier, solve
from roadinfra.core.planning.options import Option, Problem, options_from_records, problem
from roadinfra.core.planning.plan_table import optimize_records


def opts(*rows):
    return tuple(Option(n, s, y, t, c, b, *rest) for n, (s, y, t, c, b, *rest)
                 in enumerate(rows, start=2))


# Budget 120. Incremental benefit-cost takes A-small first (50/40 = 1.25), then B (65/60),
# then cannot afford C (60) or A's upgrade (+60): 115. Worst-first (no condition column: the
# largest benefit on offer first) takes A-big (110) and has 20 left: 110. The optimum is
# B + C = 129 (every other affordable set: A-big 110, A-small + B 115, A-small + C 114).
GREEDY_TRAP = opts(("A", 2027, "small", 40, 50), ("A", 2027, "big", 100, 110),
                   ("B", 2027, "big", 60, 65), ("C", 2027, "x", 60, 64))


def test_greedy_is_not_optimal_on_the_trap():
    plans = {p.method: p for p in compare(Problem(GREEDY_TRAP, {2027: 120}, 0))}
    assert plans["optimal"].benefit == 129
    assert sorted(o.section for o in plans["optimal"].chosen) == ["B", "C"]
    assert plans["optimal"].gap == pytest.approx(0, abs=1e-9)
    assert plans["greedy"].benefit == 115
    assert sorted((o.section, o.treatment) for o in plans["greedy"].chosen) == [
        ("A", "small"), ("B", "big")]
    assert plans["worst-first"].benefit == 110
    for plan in plans.values():
        assert plan.cost <= 120


def test_worst_first_follows_the_condition_column():
    items = opts(("A", 2027, "fix", 50, 10, 80.0), ("B", 2027, "fix", 50, 30, 20.0),
                 ("C", 2027, "fix", 50, 20, 40.0))
    plan = solve(Problem(items, {2027: 100}, 0), "worst-first")
    assert [o.section for o in plan.chosen] == ["B", "C"]  # PCI 20, then 40


def test_one_per_year_versus_one_per_horizon():
    # Budgets 100 a year. Per year each year takes A (10 > 9, 8 > 7.5): 18. Over the horizon
    # each section is treated once: A 2027 + B 2028 = 17.5 beats B 2027 + A 2028 = 17.
    items = opts(("A", 2027, "X", 100, 10), ("A", 2028, "X", 100, 8),
                 ("B", 2027, "Y", 60, 9), ("B", 2028, "Y", 60, 7.5))
    budgets = {2027: 100, 2028: 100}
    per_year = solve(Problem(items, budgets, 0), "optimal", per="year")
    assert per_year.benefit == 18
    horizon = solve(Problem(items, budgets, 0), "optimal", per="horizon")
    assert horizon.benefit == 17.5
    assert sorted((o.section, o.year) for o in horizon.chosen) == [("A", 2027), ("B", 2028)]
    assert horizon.by_year()[2028]["cost"] == 60


def test_optimal_matches_brute_force_on_a_random_instance():
    rng = np.random.default_rng(3)
    rows = [(f"S{s}", 2027 + y, f"T{t}", float(rng.integers(5, 40)), float(rng.integers(1, 50)))
            for s in range(4) for y in range(2) for t in range(2)]
    items = opts(*rows)
    budgets = {2027: 45.0, 2028: 50.0}
    best = 0.0
    for pick in itertools.product(*[[None, 0, 1]] * 8):  # per section-year: none, T0 or T1
        chosen = [items[4 * (k // 2) + 2 * (k % 2) + p] for k, p in enumerate(pick)
                  if p is not None]
        if all(sum(o.cost for o in chosen if o.year == y) <= b for y, b in budgets.items()):
            best = max(best, sum(o.benefit for o in chosen))
    plan = solve(Problem(items, budgets, 0), "optimal")
    assert plan.benefit == pytest.approx(best)
    assert solve(Problem(items, budgets, 0), "greedy").benefit <= best


def test_frontier_drops_dominated_options():
    items = opts(("A", 2027, "a", 10, 5), ("A", 2027, "b", 20, 6), ("A", 2027, "c", 30, 20),
                 ("A", 2027, "d", 40, 19), ("A", 2027, "e", 60, 26))
    assert [o.treatment for o in frontier(items)] == ["c", "e"]


def test_problem_checks_budgets():
    options = options_from_records([(2, "A", 2027, "x", 50, 5), (3, "A", 2028, "x", 70, 5),
                                    (4, "B", 2028, "y", 60, 1)], "o.csv")
    with pytest.raises(PlanningError, match=r"budget 55 for 2028 is below every option.*row 4"):
        problem(options, 55)
    assert problem(options, 60, years=1).budgets == {2027: 60}
    assert problem(options, 60, years=1).ignored == 2
    with pytest.raises(PlanningError, match=r"no option in budget year\(s\) \[2030\]"):
        problem(options, {2027: 100, 2030: 100})


def test_records_entry_point_and_comparison():
    result = optimize_records([(n, *row) for n, row in enumerate(
        [("A", 2027, "small", 40, 50), ("A", 2027, "big", 100, 110), ("B", 2027, "big", 60, 65),
         ("C", 2027, "x", 60, 64)], start=1)], 120, method="greedy", with_comparison=True)
    assert result.plan.method == "greedy" and result.plan.benefit == 115
    assert [p.benefit for p in result.comparison] == [129, 115, 110]


def test_budget_curve_points_and_plot(tmp_path):
    prob = Problem(GREEDY_TRAP, {2027: 120}, 0)
    assert need_by_year(GREEDY_TRAP) == {2027: 220}
    points = budget_curve(prob, points=4)
    assert [p.budget for p in points] == [55, 110, 165, 220]
    optimal = [p.benefit["optimal"] for p in points]
    assert optimal == sorted(optimal) and optimal[-1] == 239  # A-big + B + C
    for p in points:
        assert p.benefit["optimal"] >= max(p.benefit.values()) - 1e-9
    rows = curve_as_dict(points, unit=1.0)
    assert rows[1]["optimal_benefit_per_unit"] == pytest.approx((115 - 50) / 55)
    png = plot_curve(points, tmp_path / "curve.png", budget=120)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_optimize_json(tmp_path, capsys):
    path = tmp_path / "options.csv"
    path.write_text("section,year,treatment,cost,benefit\nA,2027,small,40,50\nA,2027,big,100,110\n"
                    "B,2027,big,60,65\nC,2027,x,60,64\n", encoding="utf-8")
    assert main(["plan", "optimize", str(path), "--budget", "2027=120", "--compare",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["benefit"] == 129 and out["years"]["2027"]["cost"] == 120
    assert {c["method"]: c["benefit"] for c in out["comparison"]} == {
        "optimal": 129, "greedy": 115, "worst-first": 110}
    assert main(["plan", "optimize", str(path), "--budget", "30"]) == 2
    assert "below every option" in capsys.readouterr().err
    png = tmp_path / "c.png"
    assert main(["plan", "curve", str(path), "--budget", "120", "--points", "3", "--png",
                 str(png), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["points"]) == 3 and png.exists()
