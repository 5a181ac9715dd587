"""``roadinfra print``: the maintenance-plan atlas (PDF), printed headless by a QGIS Python
process of its own (``roadinfra.plugin.worker``); this command imports no QGIS.

The database, the plan and the output are checked here first (one-line errors, no QGIS
start-up for a typo); progress of the QGIS process is shown on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import Cancelled
from ..io.output import check_output
from ..printing.plan_sheets import BY, plan_atlas
from ..qgis_worker import run_worker
from . import CliError

#: Template names shipped in resources/layouts (plan_atlas_<name>.qpt).
TEMPLATES = ("a3", "a4")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "print", help="print the maintenance-plan atlas (PDF) headless with QGIS",
        description="Print a maintenance plan as an atlas: a cover with the whole province "
                    "and the plan's totals by year and district, then one sheet per "
                    "district, route or plan item (Tờ k/n), with the plan items' table, "
                    "legend, VN-2000 grid, scale and title block. Runs QGIS without a "
                    "display.")
    parser.add_argument("--db", required=True, metavar="TARGET",
                        help="database: a .gpkg file, a postgresql:// URL or service=NAME")
    parser.add_argument("--plan", required=True, metavar="ID",
                        help="plan code (e.g. MP-2027-01), plan id, or 'latest'")
    parser.add_argument("--by", choices=BY, default="area",
                        help="one sheet per district (area, default), route or plan item")
    parser.add_argument("--template", choices=TEMPLATES, default="a3",
                        help="a3 (landscape, default) or a4 (portrait)")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi",
                        help="language of the sheets (default vi)")
    parser.add_argument("--geospatial", action="store_true",
                        help="also write each sheet as a Geospatial PDF (FILE_geopdf/) "
                             "where the QGIS/GDAL build can")
    parser.add_argument("--out", dest="output", required=True, metavar="FILE.pdf",
                        help="the PDF file to write")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(func=run)


def atlas_job(args) -> list[str]:
    """The worker's arguments for ``args`` (the parsed options of this command, or any object
    with the same attributes: the QGIS dialog's task)."""
    return ["atlas", "--db", str(args.db), "--plan", str(args.plan), "--by", args.by,
            "--template", args.template, "--lang", args.lang, "--out", str(args.output)] + \
        (["--geospatial"] if args.geospatial else [])


def run(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if out.suffix.lower() != ".pdf":
        raise CliError(f"--out {out}: give a .pdf file name")
    check_output(out, [str(args.db)], option="--out")
    # the plan and its sheets are read once here: a bad database or plan is reported
    # before QGIS starts
    atlas = plan_atlas(args.db, args.plan, args.by, args.lang)
    if not args.quiet:
        print(f"printing plan {atlas.plan_code} by {args.by} with QGIS...", file=sys.stderr)

    def show(pct: float) -> None:
        print(f"\rprinting... {pct:5.1f} %", end="", file=sys.stderr, flush=True)

    try:
        pages, geospatial = run_worker(atlas_job(args), progress=None if args.quiet else show,
                                       where=f"--out {out}")
    except KeyboardInterrupt:
        raise Cancelled(f"--out {out}: printing cancelled") from None
    finally:
        if not args.quiet:
            print(file=sys.stderr)
    print(f"Plan {atlas.plan_code}: {pages} sheets written to {out}")
    if geospatial != "-":
        print(f"Geospatial PDF sheets: {geospatial}")
    elif args.geospatial:
        print("Geospatial PDF: not available in this QGIS/GDAL build", file=sys.stderr)
    return 0
