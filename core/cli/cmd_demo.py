"""``roadinfra demo``: build the sample provincial database, say what is in it, and end with
an optimal five-year maintenance plan stored in it, its reports and the budget curve."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, Tuple

from ..condition.summary import ConditionSummary, condition_summary
from ..db import open_database
from ..sample_data import SAMPLE_DIR, build_demo_database
from . import CliError
from .cmd_condition import print_summary

DATABASE_NAME = "thai_binh.gpkg"
SUMMARY_NAME = "summary.json"
REPORTS_NAME = "reports.xlsx"
CURVE_NAME = "budget_curve.png"
#: The demo plan: the same money every year for five years from PLAN_FIRST_YEAR.
PLAN_BUDGET_VND = 30e9
PLAN_FIRST_YEAR = 2027
PLAN_YEARS = 5
#: The plan and each curve level are solved to a proven 0.5 % gap (``plan build`` defaults to
#: 0.1 %): a few seconds instead of tens on two cores. Curve levels: multiples of the budget.
PLAN_GAP = 5e-3
CURVE_FACTORS = (0.5, 1.0, 2.0)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo", help="build the sample provincial GeoPackage and print a summary",
        description="Build OUTPUT/thai_binh.gpkg from the sample data set (an existing file is "
                    "rebuilt and replaced atomically), print rows per table, the pavement and "
                    "structure condition and the overloaded share, plan the network for "
                    f"{PLAN_FIRST_YEAR}-{PLAN_FIRST_YEAR + PLAN_YEARS - 1} (optimal, "
                    f"{PLAN_BUDGET_VND / 1e9:g} billion VND a year; stored in the database) "
                    f"and write OUTPUT/{REPORTS_NAME}, OUTPUT/{CURVE_NAME} and "
                    "OUTPUT/summary.json.")
    parser.add_argument("--output", type=Path, default=Path("output"),
                        help="output folder (default: ./output)")
    parser.add_argument("--sample-data", type=Path, default=SAMPLE_DIR,
                        help="sample data folder (default: the one beside the package)")
    parser.add_argument("--no-plan", action="store_true",
                        help="build and summarise the database only (no plan, reports, curve)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(func=run)


def _progress(enabled: bool):
    if not enabled:
        return None

    def show(pct: float) -> None:
        print(f"\rbuilding the demo database... {pct:5.1f} %", end="", file=sys.stderr,
              flush=True)

    return show


def demo_summary(db_path: Path, sample_dir: Path) -> Tuple[Dict[str, Any], ConditionSummary]:
    """What the demo database holds (JSON-ready: rows per table and the network's condition),
    and the condition summary itself."""
    with open_database(str(db_path)) as db:
        rows = {name: n for name, n in db.counts().items() if n}
        condition = condition_summary(db)
    parts = condition.as_dict()
    return {"database": str(db_path), "sample_data": str(sample_dir), "rows": rows,
            **{key: parts[key] for key in ("pavement", "bridges", "culverts", "loads")}}, condition


def _print_text(summary: Dict[str, Any], condition: ConditionSummary, replaced: bool,
                summary_path: Path) -> None:
    action = "rebuilt (previous file replaced)" if replaced else "built"
    print(f"Demo database {action}: {summary['database']}")
    print(f"  from {summary['sample_data']} (synthetic assets on a real province polygon "
          "and the real QL10; see its README.md)")
    print("Rows per table:")
    for name, n in summary["rows"].items():
        print(f"  {name:22s} {n:7d}")
    print("Condition, as `roadinfra condition summary --lang vi` shows it:")
    print_summary(condition, "vi")
    print(f"Summary written to {summary_path}")


# ------------------------------------------------------------------ the plan step
def plan_step(db_path: Path, output: Path) -> Dict[str, Any]:
    """An optimal five-year plan of the demo database, stored as a draft with its items; the
    standard reports (XLSX, Vietnamese) with the plan, and the benefit-versus-budget curve
    (PNG). Returns what the plan holds and what the other methods buy for the same money."""
    from ..planning.curve import curve_as_dict
    from ..planning.store import build_plan, database_curve
    from ..reports.build import database_reports
    from ..reports.xlsx import write_xlsx

    result, stored = build_plan(str(db_path), PLAN_BUDGET_VND, PLAN_FIRST_YEAR, PLAN_YEARS,
                                "optimal", with_comparison=True, gap=PLAN_GAP)
    methods = {p.method: {"benefit": round(p.benefit, 2), "cost_vnd": round(p.cost, 0),
                          "items": len(p.chosen)} for p in result.comparison}
    optimal, greedy = result.plan, methods.get("greedy")
    gain = (optimal.benefit / greedy["benefit"] - 1) if greedy and greedy["benefit"] else None
    reports = output / REPORTS_NAME
    write_xlsx(database_reports(str(db_path), stored["code"], "vi"), reports, "vi",
               inputs=[db_path])
    curve_path = output / CURVE_NAME
    curve = database_curve(str(db_path), PLAN_BUDGET_VND, PLAN_FIRST_YEAR, PLAN_YEARS,
                           factors=CURVE_FACTORS, png=curve_path, gap=PLAN_GAP)
    return {"code": stored["code"], "status": "draft", "items": stored["items"],
            "years": f"{PLAN_FIRST_YEAR}-{PLAN_FIRST_YEAR + PLAN_YEARS - 1}",
            "budget_vnd_per_year": PLAN_BUDGET_VND, "method": optimal.method,
            "benefit": round(optimal.benefit, 2), "cost_vnd": round(optimal.cost, 0),
            "proven_gap": optimal.gap, "methods": methods,
            "optimal_over_greedy": None if gain is None else round(gain, 6),
            "left_out": len(result.skipped), "reports": str(reports),
            "budget_curve": str(curve_path), "curve": curve_as_dict(curve)}


def print_plan(plan: Dict[str, Any]) -> None:
    """The plan step in a few lines: what was stored, and optimal against the old methods."""
    gap = "" if plan["proven_gap"] is None else f", proven within {plan['proven_gap']:.2%}"
    print(f"Maintenance plan {plan['code']} ({plan['status']}, {plan['years']}, "
          f"{plan['budget_vnd_per_year'] / 1e9:g} billion VND a year), stored in the database:")
    print(f"  {plan['method']}: {plan['items']} item(s), {plan['cost_vnd'] / 1e9:,.2f} billion "
          f"VND, benefit {plan['benefit']:,.0f} (condition points x m2 x years){gap}")
    for method, row in plan["methods"].items():
        if method != plan["method"]:
            print(f"  {method}: {row['items']} item(s), {row['cost_vnd'] / 1e9:,.2f} billion "
                  f"VND, benefit {row['benefit']:,.0f}")
    if plan["optimal_over_greedy"] is not None:
        print(f"  the optimal plan buys {plan['optimal_over_greedy']:.1%} more benefit than "
              "incremental benefit-cost (greedy) for the same money")
    print(f"  reports: {plan['reports']}; budget curve: {plan['budget_curve']}")


# ------------------------------------------------------------------ the command
def run(args) -> int:
    output: Path = args.output
    if output.exists() and not output.is_dir():
        raise CliError(f"--output {output}: exists and is not a folder")
    db_path = output / DATABASE_NAME
    replaced = db_path.exists()
    progress = _progress(not args.json and sys.stderr.isatty())
    build_demo_database(db_path, args.sample_data, progress=progress)
    if progress is not None:
        print(file=sys.stderr)
    summary, condition = demo_summary(db_path, args.sample_data)
    summary["replaced_existing"] = replaced
    if not args.no_plan:
        if not args.json:
            print("planning the network (optimal, greedy and worst-first)...",
                  file=sys.stderr, flush=True)
        summary["plan"] = plan_step(db_path, output)
    summary_path = output / SUMMARY_NAME
    try:
        summary_path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n",
                                encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{summary_path}: cannot write: {exc.strerror}") from None
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        _print_text(summary, condition, replaced, summary_path)
        if "plan" in summary:
            print_plan(summary["plan"])
    return 0
