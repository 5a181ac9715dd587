"""``roadinfra forecast``: deterioration models (hazard Markov chains, pavement PCI/IRI)."""

from __future__ import annotations

import argparse
import json

from ..io.rows import RowErrorsError
from . import argtypes
from .cmd_plan import _errors_as_json, at_most, database_help, number_list

#: Most condition states of a Markov chain, and most steps of a forecast.
MAX_STATES = 20
MAX_STEPS = 1000


def register(subparsers) -> None:
    parser = subparsers.add_parser("forecast", help="deterioration forecasts: Markov hazard "
                                   "model for structures, PCI/IRI for pavements")
    sub = parser.add_subparsers(dest="forecast_command", metavar="ACTION", required=True)

    markov = sub.add_parser("markov", help="transition matrix of the exponential hazard model")
    markov.add_argument("--hazards", required=True, type=number_list,
                        help="hazard rates per year of states 1..J-1, e.g. 0.2,0.15,0.3")
    markov.add_argument("--years", type=argtypes.positive_float, default=1.0,
                        help="interval z in years (default 1)")
    markov.add_argument("--start", type=argtypes.int_range(1, MAX_STATES), default=None,
                        help="also forecast the state distribution from this state")
    markov.add_argument("--steps", type=argtypes.int_range(0, MAX_STEPS), default=10,
                        help=f"steps of z for --start (0-{MAX_STEPS}, default 10)")
    markov.add_argument("--json", action="store_true", help="print the result as JSON")
    markov.set_defaults(func=run_markov)

    hazards = sub.add_parser("hazards", help="estimate hazard rates and a one-step transition "
                             "matrix from an inspection history CSV (asset,date,state)")
    hazards.add_argument("file", nargs="?", default=None, type=argtypes.input_file,
                         help="CSV with asset, date (ISO date or year), state")
    hazards.add_argument("--db", default=None, metavar="TARGET",
                         help=database_help("instead of a CSV: every bridge and culvert "
                                            "inspection of this database"))
    hazards.add_argument("--states", type=argtypes.int_range(2, MAX_STATES), default=5,
                         help=f"number of condition states of a CSV (2-{MAX_STATES}, default "
                         "5, the vn5 grades)")
    hazards.add_argument("--step", type=argtypes.positive_float, default=1.0,
                         help="step of the plain transition matrix in years (default 1)")
    hazards.add_argument("--json", action="store_true", help="print the result as JSON")
    hazards.set_defaults(func=run_hazards)

    pave = sub.add_parser("pavement", help="PCI and IRI of a pavement section year by year")
    pave.add_argument("--pci", type=argtypes.non_negative_float, default=None,
                      help="PCI now, 0-100 (default: from --age)")
    pave.add_argument("--age", type=argtypes.non_negative_float, default=None,
                      help="years since the last works (when no PCI is surveyed)")
    pave.add_argument("--iri", type=argtypes.positive_float, default=None,
                      help="IRI now (m/km)")
    pave.add_argument("--esal-per-day", type=argtypes.non_negative_float, default=0.0,
                      help="traffic loading, ESAL a day (traffic_loading.esal_per_day)")
    pave.add_argument("--years", type=argtypes.int_range(0, 100), default=10,
                      help="years ahead (0-100, default 10)")
    pave.add_argument("--treatment", default=None,
                      help="apply this treatment code of the profile now")
    pave.add_argument("--profile", default=None, help="jurisdiction profile (default thai_binh)")
    pave.add_argument("--json", action="store_true", help="print the result as JSON")
    pave.set_defaults(func=run_pavement)

    iri = sub.add_parser("calibrate-iri", help="fit the IRI model on an LTPP roughness CSV and "
                         "report its error on held-back sections")
    iri.add_argument("file", type=argtypes.input_file, help="LTPP CSV (STATE_CODE, SHRP_ID, "
                     "CONSTRUCTION_NO, VISIT_DATE, MEAN_IRI, KESAL_YEAR)")
    iri.add_argument("--json", action="store_true", help="print the result as JSON")
    iri.set_defaults(func=run_calibrate_iri)

    pci = sub.add_parser("calibrate-pci", help="fit the PCI curve on two PCI surveys of the "
                         "same segments and report its error on held-back segments")
    pci.add_argument("before", type=argtypes.input_file,
                     help="CSV with seg_id, pci (earlier survey)")
    pci.add_argument("after", type=argtypes.input_file,
                     help="CSV with seg_id, pci (later survey)")
    pci.add_argument("--years", type=argtypes.positive_float, required=True,
                     help="years between the surveys")
    pci.add_argument("--json", action="store_true", help="print the result as JSON")
    pci.set_defaults(func=run_calibrate_pci)


def run_markov(args: argparse.Namespace) -> int:
    from ..planning.markov import expected_durations, expected_state, forecast, transition_matrix

    hazards = args.hazards
    at_most(len(hazards) + 1, "--hazards (number of states)", MAX_STATES)
    at_most(args.years, "--years", 1000)
    if args.start is not None:
        at_most(args.start, "--start (a state)", len(hazards) + 1)
    matrix = transition_matrix(hazards, args.years)
    result = {"hazards": hazards, "years": args.years,
              "expected_years_in_state": [round(d, 6) for d in expected_durations(hazards)],
              "matrix": [[round(float(v), 10) for v in row] for row in matrix]}
    if args.start is not None:
        dist = forecast(matrix, args.start, args.steps)
        result["forecast"] = [{"step": t, "years": round(t * args.years, 6),
                               "distribution": [round(float(v), 6) for v in row],
                               "expected_state": round(expected_state(row), 6)}
                              for t, row in enumerate(dist)]
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"Exponential hazard model, z = {args.years:g} year(s); rows: from state, "
          "columns: to state")
    print("      " + "".join(f"{j:>10}" for j in range(1, len(matrix) + 1)))
    for i, row in enumerate(matrix, start=1):
        print(f"{i:>5} " + "".join(f"{v:10.6f}" for v in row))
    for step in result.get("forecast", []):
        print(f"after {step['years']:g} years: expected state {step['expected_state']:.3f}")
    return 0


def run_hazards(args: argparse.Namespace) -> int:
    from ..planning.errors import PlanningError
    from ..planning.markov import fit_inspection_file
    from ..planning.store import database_hazards

    at_most(args.step, "--step", 100)
    if (args.file is None) == (args.db is None):
        raise PlanningError("give an inspection CSV file or --db TARGET (one of them)")
    try:
        fit = (database_hazards(args.db, args.step) if args.db
               else fit_inspection_file(args.file, args.states, args.step))
    except RowErrorsError as exc:
        return _errors_as_json(exc, args.json)
    if args.json:
        print(json.dumps(fit.as_dict(), indent=2))
        return 0
    h = fit.hazard
    print(f"{h.pairs} inspection pairs ({h.improved_dropped} with an improvement and "
          f"{h.same_day_dropped} on the same day left out)")
    for state, (rate, n) in enumerate(zip(h.hazards, h.pairs_from_state), start=1):
        print(f"  state {state}: hazard {rate:.4f}/year, expected {1 / rate:.1f} years, "
              f"{n} pair(s) from it")
    if fit.matrix is not None:
        print(f"plain transition matrix, step {fit.matrix.step_years:g} year(s):")
        for row in fit.matrix.matrix:
            print("  " + "".join(f"{v:8.3f}" for v in row))
    return 0


def run_pavement(args: argparse.Namespace) -> int:
    from ..planning.errors import PlanningError
    from ..planning.pavement import MESAL_PER_ESAL_DAY, pavement_model
    from ..planning.treatments import load_treatments
    from ..profile import load_profile

    at_most(args.pci, "--pci", 100)
    at_most(args.age, "--age", 200)
    at_most(args.iri, "--iri", 50)
    at_most(args.esal_per_day, "--esal-per-day", 1e7)
    profile = load_profile(args.profile)
    model = pavement_model(profile)
    mesal = args.esal_per_day * MESAL_PER_ESAL_DAY
    if args.pci is None and args.age is None:
        raise PlanningError("give --pci (surveyed) or --age (years since the last works)")
    pci = args.pci if args.pci is not None else model.pci_from_age(args.age, mesal)
    iri, factor = args.iri, 1.0
    if args.treatment:
        table = {t.code: t for t in load_treatments(profile) if t.asset == "pavement"}
        if args.treatment not in table:
            raise PlanningError(f"--treatment: no pavement treatment {args.treatment!r} in "
                                f"{profile.path} (known: {sorted(table)})")
        chosen = table[args.treatment]
        pci, factor = chosen.condition_after(pci), chosen.rate_factor
        iri = chosen.iri_after if chosen.iri_after is not None and iri is not None else iri
    rows = [{"year": k, "pci": round(model.pci(pci, k, mesal, factor), 2),
             "iri": None if iri is None else round(model.iri(iri, k, mesal, factor), 3)}
            for k in range(args.years + 1)]
    if args.json:
        print(json.dumps({"mesal_per_year": round(mesal, 6), "treatment": args.treatment,
                          "forecast": rows}, indent=2))
        return 0
    for row in rows:
        tail = "" if row["iri"] is None else f"  IRI {row['iri']:.2f} m/km"
        print(f"year {row['year']:>2}: PCI {row['pci']:6.2f}{tail}")
    return 0


def run_calibrate_iri(args: argparse.Namespace) -> int:
    from ..planning.calibration import calibrate_iri, read_ltpp_iri

    try:
        result = calibrate_iri(read_ltpp_iri(args.file), str(args.file))
    except RowErrorsError as exc:
        return _errors_as_json(exc, args.json)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
        return 0
    print(f"IRI(t) = IRI0 exp((a + b M) t): a = {result.iri_rate:.4f}/year, "
          f"b = {result.iri_rate_per_mesal:.4f}/year per million ESAL a year")
    print(f"fitted on {result.pairs_fitted} visit pairs of {result.sections_fitted} sections; "
          f"{result.sections_held_back} sections held back")
    for name, fit in {"all": result.held_back, **result.by_horizon}.items():
        print(f"  held back, {name}: n {fit.n}, RMSE {fit.rmse:.3f}, bias {fit.bias:+.3f} m/km "
              f"(no change: RMSE {fit.baseline_rmse:.3f})")
    return 0


def run_calibrate_pci(args: argparse.Namespace) -> int:
    from ..planning.calibration import calibrate_pci, read_pci_pairs

    at_most(args.years, "--years", 100)
    try:
        result = calibrate_pci(read_pci_pairs(args.before, args.after, args.years),
                               str(args.after))
    except RowErrorsError as exc:
        return _errors_as_json(exc, args.json)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
        return 0
    fit = result.held_back
    print(f"PCI(age) = 100 - {result.pci_rho:.3f} age^{result.pci_beta:.3f}; "
          f"{result.pairs_fitted} pairs fitted, {result.pairs_with_works} with works left out")
    print(f"  held back: n {fit.n}, RMSE {fit.rmse:.2f}, bias {fit.bias:+.2f} PCI "
          f"(no change: RMSE {fit.baseline_rmse:.2f})")
    return 0
