"""``roadinfra plan``: budget-constrained maintenance plans from an options table."""

from __future__ import annotations

import argparse
import json

from ..io.rows import RowErrorsError

#: Longest planning horizon accepted (years).
MAX_YEARS = 50


def check_number(value, option: str, low: float, high: float, low_open: bool = False):
    """``value`` if it is a finite number within [low, high] (``low`` excluded when
    ``low_open``), else a PlanningError naming the option."""
    import math

    from ..planning.errors import PlanningError

    if value is None:
        return None
    ok = math.isfinite(value) and (value > low if low_open else value >= low) and value <= high
    if not ok:
        bound = f"above {low:g}" if low_open else f"at least {low:g}"
        raise PlanningError(f"{option}: {value!r} must be a finite number {bound} and at most "
                            f"{high:g}")
    return value


def check_output(path, option: str, inputs=(), folder: bool = False) -> None:
    """Refuse an output that is an input (by device and inode), a device or pipe, a folder
    where a file is wanted (or a file where a folder is), or in a missing folder.

    (main's core/io/output.check_output does the same for files; use it once merged.)"""
    import os
    import stat
    from pathlib import Path

    from ..planning.errors import PlanningError

    if path is None:
        return
    target = Path(path)
    if folder:
        if target.exists() and not target.is_dir():
            raise PlanningError(f"{option} {target}: is not a folder")
        return
    if target.is_dir():
        raise PlanningError(f"{option} {target}: is a folder; give a file name")
    if not target.parent.is_dir():
        raise PlanningError(f"{option} {target}: folder {target.parent} does not exist")
    if target.exists():
        info = target.stat()
        if not stat.S_ISREG(info.st_mode):
            raise PlanningError(f"{option} {target}: is not a regular file")
        for source in inputs:
            try:
                other = os.stat(source)
            except (OSError, ValueError, TypeError):
                continue
            if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
                raise PlanningError(f"{option} {target}: is the input {source}; choose "
                                    "another output file")


def _check_common(args: argparse.Namespace) -> None:
    check_number(args.years, "--years", 1, MAX_YEARS)
    check_number(args.gap, "--gap", 0, 100, low_open=True)
    check_number(args.time_limit, "--time-limit", 0, 1e6, low_open=True)


def register(subparsers) -> None:
    parser = subparsers.add_parser("plan", help="maintenance planning: optimal, greedy and "
                                   "worst-first plans under yearly budgets")
    sub = parser.add_subparsers(dest="plan_command", metavar="ACTION", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("options", help="CSV with section,year,treatment,cost,benefit "
                       "(condition optional, lower is worse)")
        p.add_argument("--budget", required=True,
                       help="one amount for every year, or YEAR=AMOUNT,YEAR=AMOUNT,...")
        p.add_argument("--years", type=int, default=None,
                       help="plan only the first N years")
        p.add_argument("--per", choices=["year", "horizon"], default="year",
                       help="at most one treatment per section and year (default) or per "
                       "section over the whole horizon")
        solver(p)
        p.add_argument("--json", action="store_true", help="print the result as JSON")

    def solver(p: argparse.ArgumentParser) -> None:
        p.add_argument("--gap", type=float, default=0.1,
                       help="optimal: stop once proven within this %% of the best (default 0.1)")
        p.add_argument("--time-limit", type=float, default=120.0,
                       help="optimal: stop after this many seconds with the best plan found "
                       "and its proven gap (default 120)")

    opt = sub.add_parser("optimize", help="choose treatments that maximise benefit within "
                         "the yearly budgets")
    common(opt)
    opt.add_argument("--method", choices=["optimal", "greedy", "worst-first"],
                     default="optimal", help="optimal (MILP, HiGHS), greedy (incremental "
                     "benefit-cost) or worst-first (default optimal)")
    opt.add_argument("--compare", action="store_true",
                     help="also report every method's benefit and cost on the same input")
    opt.set_defaults(func=run_optimize)

    curve = sub.add_parser("curve", help="benefit versus budget for every method")
    common(curve)
    curve.add_argument("--points", type=int, default=10,
                       help="budget levels from 1/N of the need to the whole need (default 10)")
    curve.add_argument("--factors", default=None,
                       help="instead of shares of the need: multiples of the budget, e.g. "
                       "0.5,1,1.5,2")
    curve.add_argument("--png", default=None, help="write the plot to this PNG file")
    curve.set_defaults(func=run_curve)


    build = sub.add_parser("build", help="plan the network of a database and store the plan "
                           "(draft) with its items")
    build.add_argument("--db", required=True, metavar="TARGET",
                       help="database: a .gpkg file, a postgresql:// URL or service=NAME")
    build.add_argument("--budget", required=True,
                       help="one amount for every year, or YEAR=AMOUNT,YEAR=AMOUNT,...")
    build.add_argument("--first-year", type=int, required=True, help="first year of the plan")
    build.add_argument("--years", type=int, default=5, help="years in the plan (default 5)")
    build.add_argument("--method", choices=["optimal", "greedy", "worst-first"],
                       default="optimal", help="planning method (default optimal)")
    build.add_argument("--name", default=None, help="plan name (default: years in vi/en)")
    build.add_argument("--profile", default=None,
                       help="profile for the treatment table and models (default: the one "
                       "recorded in the database)")
    build.add_argument("--compare", action="store_true",
                       help="also report every method's benefit and cost on the same input")
    solver(build)
    build.add_argument("--curve", default=None, metavar="PNG",
                       help="also compute benefit versus budget (0.25 to 4 times the budget, "
                       "each level to a 0.5 %% gap) and plot it to this PNG file")
    build.add_argument("--dry-run", action="store_true", help="plan but store nothing")
    build.add_argument("--json", action="store_true", help="print the result as JSON")
    build.set_defaults(func=run_build)
    _register_lifecycle(sub)


def _register_lifecycle(sub) -> None:
    status = sub.add_parser("status", help="move a stored plan: draft, submitted, approved, "
                            "closed")
    status.add_argument("code", help="plan code, e.g. MP-2027-01")
    status.add_argument("status", choices=["draft", "submitted", "approved", "closed"])
    status.add_argument("--db", required=True, metavar="TARGET", help="database")
    status.set_defaults(func=run_status)
    revise = sub.add_parser("revise", help="copy an approved or closed plan into a new draft "
                            "revision (approved plans are never changed in place)")
    revise.add_argument("code", help="plan code, e.g. MP-2027-01")
    revise.add_argument("--db", required=True, metavar="TARGET", help="database")
    revise.set_defaults(func=run_revise)


def _errors_as_json(exc: RowErrorsError, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"errors": [e.as_dict() for e in exc.errors]}, ensure_ascii=False,
                         indent=2))
        return 2
    raise exc


def run_optimize(args: argparse.Namespace) -> int:
    from ..planning.options import parse_budget
    from ..planning.plan_table import optimize_options

    _check_common(args)
    try:
        result = optimize_options(args.options, parse_budget(args.budget), args.years,
                                  args.method, args.per, args.compare, args.gap / 100,
                                  args.time_limit)
    except RowErrorsError as exc:
        return _errors_as_json(exc, args.json)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return 0
    plan = result.plan
    print(f"{plan.method}: {len(plan.chosen)} item(s), benefit {plan.benefit:,.2f}, "
          f"cost {plan.cost:,.0f}" + ("" if plan.gap is None else
                                      f", proven gap {plan.gap:.4%}"))
    if plan.status not in ("ok", "optimal"):
        print(f"  solver: {plan.status}")
    for year, total in plan.by_year().items():
        print(f"  {year}: cost {total['cost']:,.0f} of {total['budget']:,.0f}, "
              f"benefit {total['benefit']:,.2f}, {total['items']} item(s)")
    for o in sorted(plan.chosen, key=lambda o: (o.year, o.section)):
        print(f"  {o.year}  {o.section}  {o.treatment}  cost {o.cost:,.0f}  "
              f"benefit {o.benefit:,.2f}")
    if result.ignored:
        print(f"{result.ignored} option(s) outside the planning years were ignored")
    for other in result.comparison:
        print(f"compare {other.method:<12} benefit {other.benefit:,.2f}  cost {other.cost:,.0f}")
    return 0


def _factors(text: str | None) -> list[float] | None:
    from ..planning.errors import PlanningError

    if text is None:
        return None
    try:
        return [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise PlanningError(f"--factors: {text!r} is not a comma-separated list of numbers") \
            from None


def run_curve(args: argparse.Namespace) -> int:
    from ..planning.curve import budget_curve, curve_as_dict, plot_curve
    from ..planning.options import parse_budget, problem, read_options

    _check_common(args)
    check_number(args.points, "--points", 1, 100)
    check_output(args.png, "--png", [args.options])
    try:
        checked = problem(read_options(args.options), parse_budget(args.budget), args.years)
    except RowErrorsError as exc:
        return _errors_as_json(exc, args.json)
    points = budget_curve(checked, args.points, args.per, gap=args.gap / 100,
                          factors=_factors(args.factors))
    if args.png:
        plot_curve(points, args.png, budget=sum(checked.budgets.values()))
    rows = curve_as_dict(points)
    if args.json:
        print(json.dumps({"file": args.options, "points": rows, "png": args.png},
                         ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        benefits = "  ".join(f"{k} {v:,.2f}" for k, v in row["benefit"].items())
        extra = row.get("optimal_benefit_per_unit")
        tail = "" if extra is None else f"  (+{extra:,.3f} per extra billion, optimal)"
        print(f"budget {row['budget']:,.0f}: {benefits}{tail}")
    if args.png:
        print(f"plot written to {args.png}")
    return 0


def run_build(args: argparse.Namespace) -> int:
    from ..planning.options import parse_budget
    from ..planning.store import build_plan
    from ..profile import load_profile

    _check_common(args)
    check_number(args.first_year, "--first-year", 1850, 2100)
    check_output(args.curve, "--curve", [args.db, args.profile])
    profile = load_profile(args.profile) if args.profile else None
    result, stored = build_plan(args.db, parse_budget(args.budget), args.first_year, args.years,
                                args.method, args.name, with_comparison=args.compare,
                                write=not args.dry_run, gap=args.gap / 100,
                                time_limit=args.time_limit, profile=profile)
    curve = None
    if args.curve:
        from ..planning.curve import curve_as_dict
        from ..planning.store import database_curve

        curve = curve_as_dict(database_curve(args.db, parse_budget(args.budget),
                                             args.first_year, args.years, png=args.curve,
                                             profile=profile))
    if args.json:
        print(json.dumps({**result.as_dict(), "stored": stored or None, "curve": curve},
                         ensure_ascii=False, indent=2))
        return 0
    plan = result.plan
    print(f"{plan.method}: {len(plan.chosen)} item(s) of {result.candidates} candidate(s), "
          f"benefit {plan.benefit:,.0f}, cost {plan.cost:,.0f} VND"
          + ("" if plan.gap is None else f", proven gap {plan.gap:.4%}"))
    if plan.status not in ("ok", "optimal"):
        print(f"  solver: {plan.status}")
    for year, total in plan.by_year().items():
        print(f"  {year}: cost {total['cost']:,.0f} of {total['budget']:,.0f} VND, "
              f"{total['items']} item(s)")
    for other in result.comparison:
        print(f"compare {other.method:<12} benefit {other.benefit:,.0f}  cost {other.cost:,.0f}")
    for line in result.skipped[:10]:
        print(f"left out: {line}")
    if len(result.skipped) > 10:
        print(f"... and {len(result.skipped) - 10} more asset(s) left out (--json lists all)")
    if len(result.comparison) > 1 and result.comparison[1].benefit > 0:
        gain = plan.benefit / result.comparison[1].benefit - 1
        print(f"the {plan.method} plan buys {gain:+.1%} benefit over incremental benefit-cost "
              "for the same budgets")
    for row in curve or ():
        benefits = "  ".join(f"{k} {v:,.0f}" for k, v in row["benefit"].items())
        print(f"budget {row['budget']:,.0f} VND: {benefits}")
    if args.curve:
        print(f"budget curve plotted to {args.curve}")
    if stored:
        print(f"stored plan {stored['code']} (draft) with {stored['items']} item(s) in {args.db}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    from ..planning.lifecycle import set_plan_status

    plan = set_plan_status(args.db, args.code, args.status)
    print(f"plan {plan['code']} is now {plan['status']}")
    return 0


def run_revise(args: argparse.Namespace) -> int:
    from ..planning.lifecycle import revise_plan

    plan = revise_plan(args.db, args.code)
    print(f"plan {args.code} revised as {plan['code']} (draft)")
    return 0
