"""``roadinfra demo``: build the sample provincial database and say what is in it."""

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


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo", help="build the sample provincial GeoPackage and print a summary",
        description="Build OUTPUT/thai_binh.gpkg from the sample data set (an existing file is "
                    "rebuilt and replaced atomically), print rows per table, the pavement and "
                    "structure condition and the overloaded share, and write "
                    "OUTPUT/summary.json.")
    parser.add_argument("--output", type=Path, default=Path("output"),
                        help="output folder (default: ./output)")
    parser.add_argument("--sample-data", type=Path, default=SAMPLE_DIR,
                        help="sample data folder (default: the one beside the package)")
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
    return 0
