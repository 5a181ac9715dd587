"""``roadinfra loads``: check weighing records against axle-load limits, daily statistics, ESAL."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import List

import pandas as pd

from ..errors import RoadInfraError
from ..io.output import check_output, inputs_of, output_file
from ..io.tabular import read_table
from ..loads.check import FileCheck, check_file
from ..loads.esal import LOADING_COLUMNS, esal_sections, station_esal_per_day
from ..loads.stats import daily_station_stats, summary
from ..schema.tables import YEAR
from .argtypes import input_file, int_range, non_negative_float, output_path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "loads", help="load control: check weighing records, daily statistics, ESAL")
    sub = parser.add_subparsers(dest="loads_command", metavar="ACTION", required=True)

    check = sub.add_parser("check", help="check each vehicle against the axle-load limits")
    _common(check)
    check.add_argument("-o", "--output", type=output_path,
                       help="write one row per data row (results, or the error of a bad row)")
    check.add_argument("--max-errors", type=int_range(0, 10**9), default=20,
                       help="bad rows listed on screen / in JSON (default 20; all in -o)")
    check.set_defaults(func=run_check)

    stats = sub.add_parser("stats", help="daily overload statistics per station")
    _common(stats)
    stats.add_argument("-o", "--output", type=output_path, help="write the daily table as CSV")
    stats.set_defaults(func=run_stats)

    esal = sub.add_parser("esal", help="ESAL per day for route sections from station records")
    _common(esal)
    esal.add_argument("--stations", type=Path, required=True,
                      help="CSV with columns code, route_id, chainage_m")
    esal.add_argument("--sections", type=Path, required=True,
                      help="CSV with columns route_id, from_m, to_m (district_code optional)")
    esal.add_argument("--year", type=int_range(YEAR["min"], YEAR["max"]), required=True,
                      help="traffic_loading.year")
    esal.add_argument("--max-distance", type=non_negative_float, default=None,
                      help="ignore stations farther than this many metres from a section")
    esal.add_argument("-o", "--output", type=Path, help="write traffic_loading rows as CSV")
    esal.set_defaults(func=run_esal)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=input_file,
                        help="weighing-record CSV (format: docs/loads.md)")
    parser.add_argument("--profile", default=None,
                        help="jurisdiction profile id or .toml path (default thai_binh)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _progress(args: argparse.Namespace):
    if args.json or not sys.stderr.isatty():
        return None

    def show(pct: float) -> None:
        end = "\n" if pct >= 100 else ""
        print(f"\rchecking {args.file.name}... {pct:5.1f} %", end=end, file=sys.stderr,
              flush=True)

    return show


def _check(args: argparse.Namespace) -> FileCheck:
    if args.output is not None:  # refused before the work, and again when written
        check_output(args.output, inputs_of(args))
    return check_file(args.file, profile=args.profile, progress=_progress(args))


def _error_text(path: Path, error) -> str:
    where = f", column {error.field}" if error.field else ""
    return f"{path}: line {error.row}{where}: {error.message}"


def run_check(args: argparse.Namespace) -> int:
    checked = _check(args)
    rec = checked.records
    info = summary(rec, checked.result, checked.esal)
    shown = rec.errors[: max(args.max_errors, 0)]
    if args.output is not None:
        with output_file(args.output, inputs_of(args)) as temporary:
            checked.report_frame().to_csv(temporary, index=False, encoding="utf-8")
        info["output"] = str(args.output)
    if args.json:
        info["errors"] = [e.as_dict() for e in shown]
        info["errors_listed"] = len(shown)
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    gov = ", ".join(f"{k} {v}" for k, v in info["overloaded_by_governing_limit"].items())
    print(f"{args.file}: {info['rows']} row(s), {info['checked']} checked, "
          f"{info['rejected']} rejected")
    print(f"overloaded: {info['overloaded']} ({info['overloaded_pct']:.2f} %); "
          f"by governing limit: {gov}")
    print(f"largest overload: {info['max_overload_pct']:.1f} %; "
          f"ESAL total: {info['esal_total']:.1f} (profile {checked.limits.profile_id})")
    for error in shown:
        print(_error_text(args.file, error))
    if len(rec.errors) > len(shown):
        print(f"... {len(rec.errors) - len(shown)} more bad row(s)"
              + ("" if args.output else " (write them all with -o FILE)"))
    return 0


def run_stats(args: argparse.Namespace) -> int:
    checked = _check(args)
    daily = daily_station_stats(checked.records, checked.result, checked.esal)
    if args.output is not None:
        with output_file(args.output, inputs_of(args)) as temporary:
            daily.to_csv(temporary, index=False, float_format="%.3f")
    if args.json:
        print(json.dumps({
            "file": str(args.file),
            "rejected": checked.records.rejected_rows,
            "days": json.loads(daily.to_json(orient="records", double_precision=3)),
        }, ensure_ascii=False, indent=2))
        return 0
    cols = ["station_code", "date", "vehicles", "overloaded", "overloaded_pct",
            "max_overload_pct", "esal"]
    if len(daily):
        print(daily[cols].to_string(index=False, float_format=lambda v: f"{v:.1f}"))
    else:
        print(f"{args.file}: no valid records")
    if checked.records.errors:
        print(f"({checked.records.rejected_rows} bad row(s) left out; "
              f"see 'roadinfra loads check')")
    return 0


def _read_table(path: Path, required: List[str]) -> pd.DataFrame:
    frame = read_table(path, what="CSV table").frame()
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise RoadInfraError(f"{path}: line 1: missing column(s) {', '.join(missing)}")
    return frame


def run_esal(args: argparse.Namespace) -> int:
    checked = _check(args)
    per_day = station_esal_per_day(checked.records, checked.esal)
    st = _read_table(args.stations, ["code", "route_id", "chainage_m"])
    sec = _read_table(args.sections, ["route_id", "from_m", "to_m"])
    district = sec["district_code"] if "district_code" in sec.columns else [None] * len(sec)
    result = esal_sections(
        zip(range(2, len(st) + 2), st["code"], st["route_id"], st["chainage_m"]),
        zip(range(2, len(sec) + 2), sec["route_id"], sec["from_m"], sec["to_m"], district),
        per_day, args.year, args.max_distance,
        stations_source=str(args.stations), sections_source=str(args.sections))
    rows = result.rows
    if args.output is not None:
        try:
            pd.DataFrame(rows, columns=list(LOADING_COLUMNS)).to_csv(args.output, index=False)
        except OSError as exc:
            raise RoadInfraError(f"{args.output}: cannot write: {exc.strerror}") from None
    if args.json:
        print(json.dumps({"esal_per_day_by_station": per_day, "sections": rows,
                          "sections_without_station": result.without_station},
                         ensure_ascii=False, indent=2))
        return 0
    for code, value in sorted(per_day.items()):
        print(f"station {code}: {value:.1f} ESAL/day")
    for row in rows:
        print(f"{row['route_id']} {row['from_m']:.0f}-{row['to_m']:.0f} m: "
              f"{row['esal_per_day']:.1f} ESAL/day ({row['source']})")
    if result.without_station:
        print(f"{result.without_station} section(s) without a station on their route")
    return 0
