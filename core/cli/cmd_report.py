"""``roadinfra report``: the standard reports as XLSX (formatted, with charts), CSV or JSON."""

from __future__ import annotations

import argparse
import json


def register(subparsers) -> None:
    parser = subparsers.add_parser("report", help="standard reports: network condition, "
                                   "structures, overloads, plan cost and items")
    parser.add_argument("--db", required=True, metavar="TARGET",
                        help="database: a .gpkg file, a postgresql:// URL or service=NAME")
    parser.add_argument("--plan", default=None, metavar="CODE",
                        help="also report this maintenance plan (e.g. MP-2027-01)")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi",
                        help="language of titles and labels (default vi)")
    parser.add_argument("--xlsx", default=None, help="write one workbook (a sheet per report)")
    parser.add_argument("--csv", default=None, metavar="FOLDER",
                        help="write one CSV per report into this folder")
    parser.add_argument("--json", action="store_true", help="print the tables as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..reports.build import database_reports
    from ..reports.csv_files import write_csv
    from ..reports.xlsx import write_xlsx
    from .cmd_plan import check_output

    check_output(args.xlsx, "--xlsx", [args.db])
    check_output(args.csv, "--csv", folder=True)
    tables = database_reports(args.db, args.plan, args.lang)
    if args.xlsx:
        write_xlsx(tables, args.xlsx, args.lang)
    written = write_csv(tables, args.csv, args.lang) if args.csv else []
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
