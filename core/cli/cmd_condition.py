"""``roadinfra condition summary``: the condition summary of the network, a route or a district.

The same :func:`~roadinfra.core.condition.summary.condition_summary` and table rows as the
Condition panel, the printed map and ``roadinfra:condition_summary`` in Processing.
"""

from __future__ import annotations

import argparse
import json

from ..condition.summary import ConditionSummary, condition_summary, route_id, summary_rows
from ..labels import LANGUAGES


def register(subparsers) -> None:
    parser = subparsers.add_parser("condition", help="condition of the network in a database")
    sub = parser.add_subparsers(dest="condition_command", metavar="ACTION", required=True)
    summary = sub.add_parser(
        "summary", help="pavement, structure and load condition of the network, a route or a "
                        "district")
    summary.add_argument("--db", required=True, metavar="TARGET",
                         help="FILE.gpkg | postgresql://... | service=NAME")
    summary.add_argument("--route", metavar="CODE", help="only this route (code or id)")
    summary.add_argument("--district", metavar="CODE",
                         help="only this district (profile district code)")
    summary.add_argument("--lang", choices=LANGUAGES, default="en", help="table language")
    summary.add_argument("--json", action="store_true", help="print JSON")
    summary.set_defaults(func=run_summary)


def run_summary(args: argparse.Namespace) -> int:
    from ..db import open_database

    with open_database(args.db) as db:
        route = route_id(db, args.route) if args.route else None
        summary = condition_summary(db, route_id=route, district_code=args.district)
    if args.json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print_summary(summary, args.lang)
    return 0


def print_summary(summary: ConditionSummary, lang: str) -> None:
    """The summary as text: heading, means, the table rows, the structures in poor condition."""
    print(summary.scope.heading(lang))
    pavement = summary.pavement
    print(f"mean PCI {pavement.mean_pci if pavement.mean_pci is not None else '–'}, "
          f"mean IRI {pavement.mean_iri if pavement.mean_iri is not None else '–'} m/km "
          f"(length-weighted; bands: {pavement.pci_source})")
    for row in summary_rows(summary, lang):
        if row.kind == "header":
            print()
        label, *values = row.cells
        print(f"{label:36s} " + " ".join(f"{v:>10s}" for v in values))
    for kind, part in (("bridge", summary.bridges), ("culvert", summary.culverts)):
        for poor in part.poor:
            flag = ", structurally deficient" if poor.structurally_deficient else ""
            name = " ".join(str(part) for part in (poor.code, poor.name) if part)
            print(f"poor {kind}: {name} ({poor.scheme} {poor.overall_rating}, "
                  f"{poor.inspection_date}{flag})")
