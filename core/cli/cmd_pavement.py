"""``roadinfra pavement``: PCI from a distress survey, survey sample size, IRI classes."""

from __future__ import annotations

import argparse
import json

from ..condition.pci_survey import DISTRESS_COLUMNS, OLDER_NAMES
from ..io.rows import RowErrorsError
from .argtypes import input_file, int_range, positive_float


def register(subparsers) -> None:
    parser = subparsers.add_parser("pavement", help="pavement condition: PCI, sample size, IRI")
    sub = parser.add_subparsers(dest="pavement_command", metavar="ACTION", required=True)

    pci = sub.add_parser("pci", help="PCI (ASTM D6433) from a JSON or CSV distress survey "
                         "or a list of recorded deduct values")
    pci.add_argument("file", type=input_file, help="survey file (.json or .csv)")
    pci.add_argument("--units", choices=["metric", "imperial"], default="metric",
                     help="units of a CSV survey: metric (m2, m) or imperial (ft2, ft)")
    pci.add_argument("--profile", default=None,
                     help="jurisdiction profile for the rating bands (default thai_binh)")
    for role, default in DISTRESS_COLUMNS.items():
        pci.add_argument(f"--{role.replace('_', '-')}-column", dest=f"{role}_column",
                         default=None, metavar="NAME",
                         help=f"CSV column of the {role.replace('_', ' ')} (default {default}"
                         + (f", else {OLDER_NAMES[role]}" if role in OLDER_NAMES else "") + ")")
    pci.add_argument("--json", action="store_true", help="print the result as JSON")
    pci.set_defaults(func=run_pci)

    size = sub.add_parser("sample-size", help="sample units to survey in a section (ASTM D6433)")
    size.add_argument("n_units", type=int_range(1, 1_000_000),
                      help="number of sample units N in the section")
    size.add_argument("--std-dev", type=positive_float, default=10.0,
                      help="PCI standard deviation between units (default 10, asphalt)")
    size.add_argument("--error", type=positive_float, default=5.0,
                      help="allowable error of the section PCI (default 5)")
    size.add_argument("--json", action="store_true", help="print the result as JSON")
    size.set_defaults(func=run_sample_size)

    iri = sub.add_parser("iri", help="import a survey-vehicle IRI CSV and classify each row")
    iri.add_argument("file", type=input_file,
                     help="CSV with route, from/to chainage, IRI (m/km), ...")
    iri.add_argument("--profile", default=None, help="jurisdiction profile (default thai_binh)")
    iri.add_argument("--road-class", default=None,
                     help="band set from [pavement.iri_bands_by_class] (default: the profile's "
                     "[pavement.iri_bands])")
    iri.add_argument("--json", action="store_true", help="print the result as JSON")
    iri.set_defaults(func=run_iri)


def _print_row_errors(exc: RowErrorsError, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"errors": [e.as_dict() for e in exc.errors]}, ensure_ascii=False,
                         indent=2))
        return 2
    raise exc


def run_pci(args: argparse.Namespace) -> int:
    from ..condition.pci_survey import survey_pci
    from ..profile import load_profile

    try:
        columns = {role: getattr(args, f"{role}_column") for role in DISTRESS_COLUMNS}
        result = survey_pci(args.file, units=args.units, profile=load_profile(args.profile),
                            columns=columns)
    except RowErrorsError as exc:
        return _print_row_errors(exc, args.json)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return 0
    for unit in result.units:
        res = unit.result
        area = f", area {unit.area:g}" if unit.area else ""
        print(f"Sample unit {unit.unit_id}{area}")
        for d in res.deducts:
            print(f"  distress {d.code:>2}{d.severity}  quantity {d.quantity:g}  "
                  f"density {d.density_pct:.2f} %  deduct {d.deduct:.1f}")
        if res.allowable_deducts is not None:
            print(f"  allowable number of deducts m = {res.allowable_deducts:.2f}")
        for step in res.iterations:
            values = ", ".join(f"{v:.1f}" for v in step.deducts)
            print(f"  [{values}]  total {step.total:.1f}  q {step.q}  CDV {step.cdv:.1f}")
        print(f"  max CDV {res.max_cdv:.1f}  PCI {res.pci:.1f}  {res.rating} ({res.rating_vi})")
    if len(result.units) > 1:
        print(f"Section PCI {result.section_pci:.1f}  {result.section_rating} "
              f"({result.section_rating_vi})")
    return 0


def run_sample_size(args: argparse.Namespace) -> int:
    from ..condition.pci import sample_size

    n = sample_size(args.n_units, args.std_dev, args.error)
    if args.json:
        print(json.dumps({"n_units": args.n_units, "std_dev": args.std_dev,
                          "error": args.error, "sample_size": n}))
    else:
        print(f"Survey {n} of {args.n_units} sample units "
              f"(s = {args.std_dev:g}, e = {args.error:g})")
    return 0


def run_iri(args: argparse.Namespace) -> int:
    from ..condition.iri import classify_survey, read_vehicle_csv
    from ..profile import load_profile

    profile = load_profile(args.profile)
    try:
        rows = read_vehicle_csv(args.file)
    except RowErrorsError as exc:
        return _print_row_errors(exc, args.json)
    summary = classify_survey(rows, profile, args.road_class)
    if args.json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        return 0
    for row, label in zip(summary.rows, summary.labels):
        print(f"{row.route}  {row.from_km:.3f}-{row.to_km:.3f} km  IRI {row.iri:.2f}  {label}")
    counts = ", ".join(f"{k}: {v}" for k, v in summary.counts.items())
    print(f"{len(summary.rows)} rows; {counts}; length-weighted mean IRI "
          f"{summary.mean_iri:.2f} m/km")
    return 0
