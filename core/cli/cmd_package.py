"""``roadinfra package``: take part of the province to a laptop as an offline package."""

from __future__ import annotations

import argparse
import json


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
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..sync import Scope, create_package, parse_bbox

    if args.area is not None:
        scope = Scope("area", args.area)
    elif args.route is not None:
        scope = Scope("route", args.route)
    else:
        scope = Scope("bbox", parse_bbox(args.bbox))
    result = create_package(args.db, scope, args.out, name=args.name, basemap=args.basemap)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        total = sum(result["rows"].values())
        print(f"packed {total} rows ({result['scope']}) into {result['package']}; "
              f"registered as {result['name']!r} by {result['created_by']}")
        photos = result["photos"]
        print(f"photos: {photos['to_package']} copied into the package")
        for item in photos["problems"]:  # packed all the same: the crew sees the gap
            print(f"photo problem: attachment {item['row_id']} of {item['target_table']} "
                  f"{item['target_id']}: {item['file']}: {item['problem']} (the attachment "
                  "is in the package without its file)")
    return 0
