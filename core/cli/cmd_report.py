"""``roadinfra report``: the standard reports as XLSX (formatted, with charts), CSV or JSON."""

from __future__ import annotations

import argparse
import json

from . import argtypes
from .cmd_plan import database_help


def register(subparsers) -> None:
    parser = subparsers.add_parser("report", help="standard reports: network condition, "
                                   "structures, overloads, plan cost and items")
    parser.add_argument("--db", required=True, metavar="TARGET", help=database_help())
    parser.add_argument("--plan", default=None, metavar="CODE",
                        help="also report this maintenance plan (e.g. MP-2027-01)")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi",
                        help="language of titles and labels (default vi)")
    parser.add_argument("--xlsx", type=argtypes.output_path, default=None,
                        help="write one workbook (a sheet per report)")
    parser.add_argument("--csv", default=None, metavar="FOLDER",
                        help="write one CSV per report into this folder")
    parser.add_argument("--json", action="store_true", help="print the tables as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..io.output import check_output, inputs_of
    from ..reports.build import database_reports
    from ..reports.csv_files import check_folder, write_csv
    from ..reports.xlsx import write_xlsx

    inputs = inputs_of(args, ("xlsx", "csv"))
    if args.xlsx:  # refused before the work, and again when written
        check_output(args.xlsx, inputs, "--xlsx")
    if args.csv:
        check_folder(args.csv)
    tables = database_reports(args.db, args.plan, args.lang)
    if args.xlsx:
        write_xlsx(tables, args.xlsx, args.lang, inputs)
    written = write_csv(tables, args.csv, args.lang, inputs) if args.csv else []
    if args.json:
        print(json.dumps([t.as_dict(args.lang) for t in tables], ensure_ascii=False, indent=2,
                         default=str))
        return 0
    for table in tables:
        print(f"{table.title(args.lang)}: {len(table.rows)} row(s)")
    if args.xlsx:
        print(f"workbook written to {args.xlsx}")
    if written:
        print(f"{len(written)} CSV file(s) written to {args.csv}")
    return 0
