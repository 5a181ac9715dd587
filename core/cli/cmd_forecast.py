"""``roadinfra forecast``: deterioration models (hazard Markov chains, pavement PCI/IRI)."""

from __future__ import annotations

import argparse
import json

from ..io.rows import RowErrorsError
from .cmd_plan import _errors_as_json, check_number


def register(subparsers) -> None:
    parser = subparsers.add_parser("forecast", help="deterioration forecasts: Markov hazard "
                                   "model for structures, PCI/IRI for pavements")
    sub = parser.add_subparsers(dest="forecast_command", metavar="ACTION", required=True)

    markov = sub.add_parser("markov", help="transition matrix of the exponential hazard model")
    markov.add_argument("--hazards", required=True,
                        help="hazard rates per year of states 1..J-1, e.g. 0.2,0.15,0.3")
    markov.add_argument("--years", type=float, default=1.0,
                        help="interval z in years (default 1)")
    markov.add_argument("--start", type=int, default=None,
                        help="also forecast the state distribution from this state")
    markov.add_argument("--steps", type=int, default=10,
                        help="steps of z for --start (default 10)")
    markov.add_argument("--json", action="store_true", help="print the result as JSON")
    markov.set_defaults(func=run_markov)

    hazards = sub.add_parser("hazards", help="estimate hazard rates and a one-step transition "
                             "matrix from an inspection history CSV (asset,date,state)")
    hazards.add_argument("file", nargs="?", default=None,
                         help="CSV with asset, date (ISO date or year), state")
    hazards.add_argument("--db", default=None, metavar="TARGET",
                         help="instead of a file: every bridge and culvert inspection of this "
                         "database (states and NBI mapping from its profile)")
    hazards.add_argument("--states", type=int, default=5,
                         help="number of condition states of a file (default 5, the vn5 "
                         "grades)")
    hazards.add_argument("--step", type=float, default=1.0,
                         help="step of the plain transition matrix in years (default 1)")
    hazards.add_argument("--json", action="store_true", help="print the result as JSON")
    hazards.set_defaults(func=run_hazards)

    pave = sub.add_parser("pavement", help="PCI and IRI of a pavement section year by year")
    pave.add_argument("--pci", type=float, default=None, help="PCI now (default: from --age)")
    pave.add_argument("--age", type=float, default=None,
                      help="years since the last works (when no PCI is surveyed)")
    pave.add_argument("--iri", type=float, default=None, help="IRI now (m/km)")
    pave.add_argument("--esal-per-day", type=float, default=0.0,
                      help="traffic loading, ESAL a day (traffic_loading.esal_per_day)")
    pave.add_argument("--years", type=int, default=10, help="years ahead (default 10)")
    pave.add_argument("--treatment", default=None,
                      help="apply this treatment code of the profile now")
    pave.add_argument("--profile", default=None, help="jurisdiction profile (default thai_binh)")
    pave.add_argument("--json", action="store_true", help="print the result as JSON")
    pave.set_defaults(func=run_pavement)

    iri = sub.add_parser("calibrate-iri", help="fit the IRI model on an LTPP roughness CSV and "
                         "report its error on held-back sections")
    iri.add_argument("file", help="LTPP CSV (STATE_CODE, SHRP_ID, CONSTRUCTION_NO, VISIT_DATE, "
                     "MEAN_IRI, KESAL_YEAR)")
    iri.add_argument("--json", action="store_true", help="print the result as JSON")
    iri.set_defaults(func=run_calibrate_iri)

    pci = sub.add_parser("calibrate-pci", help="fit the PCI curve on two PCI surveys of the "
                         "same segments and report its error on held-back segments")
    pci.add_argument("before", help="CSV with seg_id, pci (earlier survey)")
    pci.add_argument("after", help="CSV with seg_id, pci (later survey)")
    pci.add_argument("--years", type=float, required=True, help="years between the surveys")
    pci.add_argument("--json", action="store_true", help="print the result as JSON")
    pci.set_defaults(func=run_calibrate_pci)


def _hazard_list(text: str) -> list[float]:
    from ..planning.errors import PlanningError

    try:
        return [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise PlanningError(f"--hazards: {text!r} is not a comma-separated list of numbers") \
            from None


def run_markov(args: argparse.Namespace) -> int:
    from ..planning.markov import expected_durations, expected_state, forecast, transition_matrix

    check_number(args.steps, "--steps", 0, 1000)
    hazards = _hazard_list(args.hazards)
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

    check_number(args.states, "--states", 2, 20)
    check_number(args.step, "--step", 0, 100, low_open=True)
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

    check_number(args.pci, "--pci", 0, 100)
    check_number(args.age, "--age", 0, 200)
    check_number(args.iri, "--iri", 0, 50, low_open=True)
    check_number(args.esal_per_day, "--esal-per-day", 0, 1e7)
    check_number(args.years, "--years", 0, 100)
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
        result = calibrate_iri(read_ltpp_iri(args.file), args.file)
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

    check_number(args.years, "--years", 0, 100, low_open=True)
    try:
        result = calibrate_pci(read_pci_pairs(args.before, args.after, args.years), args.after)
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
