"""``roadinfra plan``: budget-constrained maintenance plans from an options table."""

from __future__ import annotations

import argparse
import json

from ..io.output import inputs_of
from ..io.rows import RowErrorsError
from . import argtypes

#: Longest planning horizon accepted (years), and the years a plan may start in.
MAX_YEARS = 50
FIRST_YEARS = (1850, 2100)


def budget_amounts(text: str) -> float | dict[int, float]:
    """``--budget``: one amount for every year or ``YEAR=AMOUNT,...`` (argparse type)."""
    from ..planning.errors import PlanningError
    from ..planning.options import parse_budget

    try:
        return parse_budget(text)
    except PlanningError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def number_list(text: str) -> list[float]:
    """A comma-separated list of finite numbers above 0 (argparse type)."""
    values = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            value = argtypes.positive_float(part)
            values.append(value)
    if not values:
        raise argparse.ArgumentTypeError(f"{text!r} holds no number")
    return values


def at_most(value: float | None, option: str, high: float) -> None:
    """A PlanningError naming ``option`` when ``value`` is above ``high``."""
    from ..planning.errors import PlanningError

    if value is not None and value > high:
        raise PlanningError(f"{option}: {value:g} is above the largest sensible value {high:g}")


def database_help(what: str = "database") -> str:
    return f"{what}: a .gpkg file, a postgresql:// URL or service=NAME"


def register(subparsers) -> None:
    parser = subparsers.add_parser("plan", help="maintenance planning: optimal, greedy and "
                                   "worst-first plans under yearly budgets")
    sub = parser.add_subparsers(dest="plan_command", metavar="ACTION", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("options", type=argtypes.input_file,
                       help="CSV with section,year,treatment,cost,benefit "
                       "(condition optional, lower is worse)")
        p.add_argument("--budget", required=True, type=budget_amounts,
                       help="one amount for every year, or YEAR=AMOUNT,YEAR=AMOUNT,...")
        p.add_argument("--years", type=argtypes.int_range(1, MAX_YEARS), default=None,
                       help=f"plan only the first N years (1-{MAX_YEARS})")
        p.add_argument("--per", choices=["year", "horizon"], default="year",
                       help="at most one treatment per section and year (default) or per "
                       "section over the whole horizon")
        solver(p)
        p.add_argument("--json", action="store_true", help="print the result as JSON")

    def solver(p: argparse.ArgumentParser) -> None:
        p.add_argument("--gap", type=argtypes.positive_float, default=0.1,
                       help="optimal: stop once proven within this %% of the best (default 0.1)")
        p.add_argument("--time-limit", type=argtypes.positive_float, default=120.0,
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
    curve.add_argument("--points", type=argtypes.int_range(1, 100), default=10,
                       help="budget levels from 1/N of the need to the whole need (1-100, "
                       "default 10)")
    curve.add_argument("--factors", type=number_list, default=None,
                       help="instead of shares of the need: multiples of the budget, e.g. "
                       "0.5,1,1.5,2")
    curve.add_argument("--png", type=argtypes.output_path, default=None, metavar="PNG",
                       help="draw the plot into this PNG")
    curve.set_defaults(func=run_curve)


    build = sub.add_parser("build", help="plan the network of a database and store the plan "
                           "(draft) with its items")
    build.add_argument("--db", required=True, metavar="TARGET", help=database_help())
    build.add_argument("--budget", required=True, type=budget_amounts,
                       help="one amount for every year, or YEAR=AMOUNT,YEAR=AMOUNT,...")
    build.add_argument("--first-year", type=argtypes.int_range(*FIRST_YEARS), required=True,
                       help="first year of the plan")
    build.add_argument("--years", type=argtypes.int_range(1, MAX_YEARS), default=5,
                       help=f"years in the plan (1-{MAX_YEARS}, default 5)")
    build.add_argument("--method", choices=["optimal", "greedy", "worst-first"],
                       default="optimal", help="planning method (default optimal)")
    build.add_argument("--name", default=None, help="plan name (default: years in vi/en)")
    build.add_argument("--profile", default=None,
                       help="profile for the treatment table and models (default: the one "
                       "recorded in the database)")
    build.add_argument("--compare", action="store_true",
                       help="also report every method's benefit and cost on the same input")
    solver(build)
    build.add_argument("--curve", type=argtypes.output_path, default=None, metavar="PNG",
                       help="also compute benefit versus budget (0.25 to 4 times the budget, "
                       "each level to a 0.5 %% gap) and draw it into this PNG")
    build.add_argument("--dry-run", action="store_true", help="plan but store nothing")
    build.add_argument("--json", action="store_true", help="print the result as JSON")
    build.set_defaults(func=run_build)
    _register_lifecycle(sub)


def _register_lifecycle(sub) -> None:
    status = sub.add_parser("status", help="move a stored plan: draft, submitted, approved, "
                            "closed")
    status.add_argument("code", help="plan code, e.g. MP-2027-01")
    status.add_argument("status", choices=["draft", "submitted", "approved", "closed"])
    status.add_argument("--db", required=True, metavar="TARGET", help=database_help())
    status.add_argument("--user", help="who approves, in a GeoPackage (default: the "
                        "operating-system user); on PostGIS it is always the database login")
    status.set_defaults(func=run_status)
    revise = sub.add_parser("revise", help="copy an approved or closed plan into a new draft "
                            "revision (approved plans are never changed in place)")
    revise.add_argument("code", help="plan code, e.g. MP-2027-01")
    revise.add_argument("--db", required=True, metavar="TARGET", help=database_help())
    revise.set_defaults(func=run_revise)
    results = sub.add_parser("results", help="report results from the field into the items "
                             "of an approved plan (status, done date, actual cost, condition)")
    results.add_argument("code", help="plan code, e.g. MP-2027-01")
    results.add_argument("table", type=argtypes.input_file,
                         help="CSV or XLSX table: item (priority or id), status (planned, "
                         "in_progress, done, dropped), done_date, actual_cost_vnd, "
                         "condition_measured; an empty cell keeps the value")
    results.add_argument("--db", required=True, metavar="TARGET", help=database_help())
    results.add_argument("--json", action="store_true", help="print the result as JSON")
    results.set_defaults(func=run_results)


def _errors_as_json(exc: RowErrorsError, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"errors": [e.as_dict() for e in exc.errors]}, ensure_ascii=False,
                         indent=2))
        return 2
    raise exc


def run_optimize(args: argparse.Namespace) -> int:
    from ..planning.plan_table import optimize_options

    try:
        result = optimize_options(args.options, args.budget, args.years,
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


def run_curve(args: argparse.Namespace) -> int:
    from ..planning.curve import budget_curve, curve_as_dict, plot_curve
    from ..planning.options import problem, read_options

    at_most(max(args.factors or [0]), "--factors", 1e3)
    try:
        checked = problem(read_options(args.options), args.budget, args.years)
    except RowErrorsError as exc:
        return _errors_as_json(exc, args.json)
    points = budget_curve(checked, args.points, args.per, gap=args.gap / 100,
                          factors=args.factors)
    if args.png:
        plot_curve(points, args.png, budget=sum(checked.budgets.values()),
                   inputs=inputs_of(args, ("png",)))
    rows = curve_as_dict(points)
    if args.json:
        print(json.dumps({"file": str(args.options), "points": rows,
                      "png": None if args.png is None else str(args.png)},
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
    from ..io.output import check_output
    from ..planning.store import build_plan
    from ..profile import load_profile

    if args.curve:  # refused before the work, and again when written
        check_output(args.curve, inputs_of(args, ("curve",)), "--curve")
    profile = load_profile(args.profile) if args.profile else None
    result, stored = build_plan(args.db, args.budget, args.first_year, args.years,
                                args.method, args.name, with_comparison=args.compare,
                                write=not args.dry_run, gap=args.gap / 100,
                                time_limit=args.time_limit, profile=profile)
    curve = None
    if args.curve:
        from ..planning.curve import curve_as_dict
        from ..planning.store import database_curve

        curve = curve_as_dict(database_curve(args.db, args.budget, args.first_year, args.years,
                                             png=args.curve, profile=profile,
                                             png_inputs=inputs_of(args, ("curve",))))
    if args.json:
        print(json.dumps({**result.as_dict(), "stored": stored or None, "curve": curve,
                          "curve_png": None if args.curve is None else str(args.curve)},
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

    plan = set_plan_status(args.db, args.code, args.status, user=args.user)
    print(f"plan {plan['code']} is now {plan['status']}")
    return 0


def run_results(args: argparse.Namespace) -> int:
    from ..planning.lifecycle import report_results

    try:
        done = report_results(args.db, args.code, args.table)
    except RowErrorsError as exc:
        return _errors_as_json(exc, args.json)
    if args.json:
        print(json.dumps(done, indent=2))
        return 0
    counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in done["by_status"].items())
    print(f"plan {done['code']}: {done['updated']} item(s) updated; {done['items']} item(s): "
          f"{counts}")
    return 0


def run_revise(args: argparse.Namespace) -> int:
    from ..planning.lifecycle import revise_plan

    plan = revise_plan(args.db, args.code)
    print(f"plan {args.code} revised as {plan['code']} (draft)")
    return 0
