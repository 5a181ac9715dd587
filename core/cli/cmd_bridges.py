"""``roadinfra bridges``: import a bridge inventory through a column mapping, rate an inspection."""

from __future__ import annotations

import argparse
import json

from .argtypes import input_file, non_negative_float


def register(subparsers) -> None:
    parser = subparsers.add_parser("bridges", help="bridges and culverts: import, rate, posting")
    sub = parser.add_subparsers(dest="bridges_command", metavar="ACTION", required=True)

    imp = sub.add_parser("import", help="read a legacy CSV/XLSX inventory through a mapping "
                         "file and report what would be imported (nothing is written)")
    imp.add_argument("file", type=input_file, help="CSV or XLSX file")
    imp.add_argument("--mapping", default="nbi_2013",
                     help="mapping id in core/data/mappings or a .toml path (default nbi_2013)")
    imp.add_argument("--profile", default=None, help="jurisdiction profile (default thai_binh)")
    imp.add_argument("--json", action="store_true", help="print the result as JSON")
    imp.set_defaults(func=run_import)

    rate = sub.add_parser("rate", help="overall condition and deficiency from component ratings")
    rate.add_argument("ratings", nargs="+", metavar="COMPONENT=VALUE",
                      help="e.g. deck=7 superstructure=4 substructure=6")
    rate.add_argument("--scheme", default="nbi", help="rating scheme: nbi or vn5 (default nbi)")
    rate.add_argument("--culvert", action="store_true", help="the structure is a culvert")
    rate.add_argument("--json", action="store_true", help="print the result as JSON")
    rate.set_defaults(func=run_rate)

    post = sub.add_parser("posting", help="load posting recommendation from the load ratings")
    post.add_argument("operating_t", type=non_negative_float,
                      help="operating rating, gross tonnes")
    post.add_argument("inventory_t", type=non_negative_float, nargs="?", default=None,
                      help="inventory rating, gross tonnes")
    post.add_argument("--profile", default=None, help="jurisdiction profile (default thai_binh)")
    post.add_argument("--json", action="store_true", help="print the result as JSON")
    post.set_defaults(func=run_posting)


def run_import(args: argparse.Namespace) -> int:
    from ..importers.bridge_inventory import import_tabular
    from ..profile import load_profile

    result = import_tabular(args.file, args.mapping, load_profile(args.profile))
    summary = result.summary()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(f"{summary['file']} (encoding {summary['encoding']}, mapping "
              f"{summary['mapping']}): {summary['rows_read']} rows read, "
              f"{summary['rows_imported']} imported")
        for table, count in summary["counts"].items():
            print(f"  {table}: {count}")
        for table, cols in summary["unresolved_required_columns"].items():
            print(f"  {table}: still to fill before writing: {', '.join(cols)}")
        for error in result.errors:
            print(f"  error: {error}")
    return 2 if result.errors else 0


def run_rate(args: argparse.Namespace) -> int:
    from ..condition.rating_schemes import RatingError, load_scheme

    scheme = load_scheme(args.scheme)
    ratings = {}
    for item in args.ratings:
        component, sep, value = item.partition("=")
        if not sep:
            raise RatingError(f"expected COMPONENT=VALUE, got {item!r}")
        component = component.strip()
        if component in ratings:
            raise RatingError(f"component {component!r} is given twice ({component}="
                              f"{ratings[component]} and {item}); give each once")
        ratings[component] = value
    result = scheme.rate(ratings, "culvert" if args.culvert else "bridge")
    if args.json:
        print(json.dumps({"scheme": scheme.id, **result.as_dict()}, ensure_ascii=False))
    elif result.overall is None:
        print("no rated component counts for the overall condition")
    else:
        flag = "deficient" if result.deficient else "not deficient"
        print(f"overall {result.overall} {result.overall_label_en} ({result.overall_label_vi}), "
              f"class {result.condition_class}, {flag}; governed by {', '.join(result.governing)}")
    return 0


def run_posting(args: argparse.Namespace) -> int:
    from ..condition.rating_schemes import load_posting
    from ..profile import load_profile

    posting = load_posting(args.operating_t, args.inventory_t, load_profile(args.profile))
    if args.json:
        print(json.dumps(posting.as_dict()))
    elif posting.action == "post":
        print(f"post at {posting.posting_t:g} t ({posting.percent_below_legal:.1f} % below the "
              f"legal load; NBI item 70 = {posting.nbi_item70})")
    else:
        print(f"{posting.action} (NBI item 70 = {posting.nbi_item70})")
    return 0
