"""``roadinfra package``: take part of the province to a laptop as an offline package, with
its QGIS project stored inside (made by a QGIS Python process of its own, the worker of
``roadinfra print``: this command imports no QGIS)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import Cancelled
from ..qgis_worker import QgisWorkerError, run_worker


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "package", help="copy an area, box or route into an offline package (GeoPackage)")
    parser.add_argument("--db", required=True, metavar="TARGET",
                        help="provincial database: FILE.gpkg | postgresql://... | service=NAME")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--area", metavar="CODE", help="management area code (profile)")
    where.add_argument("--bbox", metavar="XMIN,YMIN,XMAX,YMAX",
                       help="box in the provincial grid (metres)")
    where.add_argument("--route", metavar="CODE", help="route code")
    parser.add_argument("--out", required=True, metavar="FILE.gpkg", help="new package file")
    parser.add_argument("--name", help="package name shown on the server")
    parser.add_argument("--basemap", metavar="RASTER.tif",
                        help="orthophoto or scanned map to clip to the package's area")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi",
                        help="language of the package's QGIS project (default vi)")
    parser.add_argument("--no-project", action="store_true",
                        help="do not store a QGIS project in the package (no QGIS started)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def store_project(package: str, lang: str, district: str | None = None,
                  is_cancelled=None) -> str:
    """Store the package's QGIS project in it: ``plugin.sync.project.embed_project`` run by
    the QGIS worker, for every face (this command, ``roadinfra:package``); its URI. Raises
    :class:`QgisWorkerError` when QGIS is missing or fails."""
    job = ["project", "--db", str(Path(package).absolute()), "--lang", lang]
    return " ".join(run_worker(job + (["--district", district] if district else []),
                               is_cancelled=is_cancelled, where=package))


def run(args: argparse.Namespace) -> int:
    from ..sync import Scope, create_package, parse_bbox
    from . import EXIT_CANCELLED

    if args.area is not None:
        scope = Scope("area", args.area)
    elif args.route is not None:
        scope = Scope("route", args.route)
    else:
        scope = Scope("bbox", parse_bbox(args.bbox))
    result = create_package(args.db, scope, args.out, name=args.name, basemap=args.basemap)
    for warning in result["warnings"]:  # made all the same: another login may sync it
        print(f"roadinfra package: warning: {warning}", file=sys.stderr)
    result["project"] = None
    if not args.no_project:
        # the package is whole and registered: a project that cannot be made is said, and
        # the package stays usable (the plugin's "Open provincial database" loads it)
        try:
            result["project"] = store_project(result["package"], args.lang, args.area)
        except QgisWorkerError as exc:
            print(f"roadinfra package: warning: QGIS project not embedded (the package is "
                  f"made; the RoadInfra plugin's \"Open provincial database\" opens it): "
                  f"{str(exc).splitlines()[0]}", file=sys.stderr)
        except (KeyboardInterrupt, Cancelled):  # too late to undo: the package exists
            print(f"roadinfra: cancelled while storing the QGIS project: the package "
                  f"{result['package']} is made and registered on the server, without its "
                  "QGIS project; use it as it is or delete it", file=sys.stderr)
            return EXIT_CANCELLED
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        total = sum(result["rows"].values())
        print(f"packed {total} rows ({result['scope']}) into {result['package']}; "
              f"registered as {result['name']!r} by {result['created_by']}")
        print(f"QGIS project: {result['project']}" if result["project"] else
              "QGIS project: not embedded" + (" (--no-project)" if args.no_project else ""))
        photos = result["photos"]
        print(f"photos: {photos['to_package']} copied into the package")
        for item in photos["problems"]:  # packed all the same: the crew sees the gap
            print(f"photo problem: attachment {item['row_id']} of {item['target_table']} "
                  f"{item['target_id']}: {item['file']}: {item['problem']} (the attachment "
                  "is in the package without its file)")
    return 0
