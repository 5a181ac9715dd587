"""Fitting the pavement model (:mod:`.pavement`) on real data, with held-back sections.

IRI on LTPP: records ``(row, section, construction_no, date, iri, kesal_year)``, one per
roughness visit (LTPP: ``STATE_CODE-SHRP_ID``, ``CONSTRUCTION_NO``, ``VISIT_DATE``,
``MEAN_IRI``, ``KESAL_YEAR`` in thousand ESAL a year). A new construction number marks works,
so only visits of the same construction are paired. Pairs at least ``min_years`` apart give
growth rates ``ln(IRI_1 / IRI_0) / years``; ``a + b M`` is fitted to them by least squares
weighted by the interval, on sections with a known loading (``M``: the section's mean
KESAL / 1000). Every fifth section (sorted by id) is held back; the report forecasts each of
their later visits from the first visit of the same construction.

PCI: records ``(row, segment, pci_before, pci_after, years)``; a pair that gained more than
``works_gain`` points had works in between and is left out. ``rho`` and ``beta`` minimise
the squared error of the forecast ``pci_after`` (equivalent-age method); every fifth segment
is held back.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence, Union

import numpy as np

from ..io.rows import RowError, RowErrorsError
from .csv_input import read_csv_rows
from .errors import PlanningError
from .pavement import PavementModel


@dataclass(frozen=True)
class Fit:
    """Errors of forecasts (forecast - observed) on held-back data, and of "no change"."""

    n: int
    rmse: float
    mae: float
    bias: float
    baseline_rmse: float

    def as_dict(self) -> dict:
        return {"n": self.n, "rmse": round(self.rmse, 4), "mae": round(self.mae, 4),
                "bias": round(self.bias, 4), "no_change_rmse": round(self.baseline_rmse, 4)}


def _fit(errors: Sequence[float], baseline: Sequence[float]) -> Fit:
    e = np.asarray(errors, dtype=float)
    b = np.asarray(baseline, dtype=float)
    if e.size == 0:
        return Fit(0, math.nan, math.nan, math.nan, math.nan)
    return Fit(int(e.size), float(np.sqrt(np.mean(e ** 2))), float(np.mean(np.abs(e))),
               float(np.mean(e)), float(np.sqrt(np.mean(b ** 2))))


def _held_back(ids: Iterable[str]) -> set[str]:
    return set(sorted(set(ids))[::5])


@dataclass(frozen=True)
class IriCalibration:
    """Fitted IRI growth and its error on held-back sections, overall and by horizon."""

    iri_rate: float
    iri_rate_per_mesal: float
    sections_fitted: int
    pairs_fitted: int
    sections_held_back: int
    held_back: Fit
    by_horizon: dict[str, Fit]

    def as_dict(self) -> dict:
        return {"iri_rate": round(self.iri_rate, 5),
                "iri_rate_per_mesal": round(self.iri_rate_per_mesal, 5),
                "sections_fitted": self.sections_fitted, "pairs_fitted": self.pairs_fitted,
                "sections_held_back": self.sections_held_back,
                "held_back": self.held_back.as_dict(),
                "held_back_by_horizon": {k: v.as_dict() for k, v in self.by_horizon.items()}}


def _years(value) -> float:
    date = value if isinstance(value, _dt.date) else _dt.date.fromisoformat(str(value)[:10])
    return date.year + (date.timetuple().tm_yday - 1) / 365.25


def calibrate_iri(records: Iterable[tuple], source: str = "iri", min_years: float = 0.5
                  ) -> IriCalibration:
    """Fit ``a`` and ``b`` of the IRI model (see the module docstring)."""
    errors: list[RowError] = []
    visits: dict[tuple[str, str], list[tuple[float, float]]] = {}
    loading: dict[str, list[float]] = {}
    for row, section, construction, date, iri, kesal in records:
        try:
            when = _years(date)
        except (TypeError, ValueError):
            errors.append(RowError(source, row, "VISIT_DATE", f"{date!r} is not a date"))
            continue
        try:
            value = float(iri)
            if not math.isfinite(value) or value <= 0:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(RowError(source, row, "MEAN_IRI", f"{iri!r} is not a positive IRI"))
            continue
        visits.setdefault((str(section), str(construction)), []).append((when, value))
        if kesal not in (None, ""):
            try:
                load = float(kesal)
                if math.isfinite(load) and load >= 0:
                    loading.setdefault(str(section), []).append(load)
            except (TypeError, ValueError):
                errors.append(RowError(source, row, "KESAL_YEAR", f"{kesal!r} is not a number"))
    if errors:
        raise RowErrorsError(errors)
    mesal = {s: float(np.mean(v)) / 1000.0 for s, v in loading.items()}
    test = _held_back(section for section, _ in visits)
    rates, loads, weights = [], [], []
    fitted = set()
    for (section, _), history in visits.items():
        if section in test or section not in mesal:
            continue
        history.sort()
        for (t0, v0), (t1, v1) in zip(history, history[1:]):
            if t1 - t0 >= min_years:
                rates.append(math.log(v1 / v0) / (t1 - t0))
                loads.append(mesal[section])
                weights.append(t1 - t0)
                fitted.add(section)
    if len(rates) < 3:
        raise PlanningError(f"{source}: fewer than 3 visit pairs with a known loading to fit")
    w = np.sqrt(np.asarray(weights))
    design = np.column_stack([np.ones(len(rates)), loads]) * w[:, None]
    (a, b), *_ = np.linalg.lstsq(design, np.asarray(rates) * w, rcond=None)
    if a <= 0:
        raise PlanningError(f"{source}: fitted IRI growth without loading is not positive "
                            f"({a:.4g}); the data do not support the model")
    model = PavementModel(iri_rate=float(a), iri_rate_per_mesal=float(max(b, 0.0)))
    errs, base = [], []
    buckets: dict[str, tuple[list, list]] = {"<=2 years": ([], []), "2-5 years": ([], []),
                                             ">5 years": ([], [])}
    median_load = float(np.median(list(mesal.values()))) if mesal else 0.0
    for (section, _), history in visits.items():
        if section not in test:
            continue
        history.sort()
        t0, v0 = history[0]
        for t1, v1 in history[1:]:
            years = t1 - t0
            if years < min_years:
                continue
            error = model.iri(v0, years, mesal.get(section, median_load)) - v1
            errs.append(error)
            base.append(v0 - v1)
            key = "<=2 years" if years <= 2 else "2-5 years" if years <= 5 else ">5 years"
            buckets[key][0].append(error)
            buckets[key][1].append(v0 - v1)
    return IriCalibration(model.iri_rate, model.iri_rate_per_mesal, len(fitted), len(rates),
                          len(test), _fit(errs, base),
                          {k: _fit(e, b) for k, (e, b) in buckets.items()})


def read_ltpp_iri(path: Union[str, Path]) -> list[tuple]:
    """IRI records from an LTPP roughness CSV (pavement_ltpp_iri's columns)."""
    needed = ("STATE_CODE", "SHRP_ID", "CONSTRUCTION_NO", "VISIT_DATE", "MEAN_IRI",
              "KESAL_YEAR")
    _, rows = read_csv_rows(path, "LTPP roughness file", needed, lower=False)
    return [(n, f"{r['STATE_CODE']}-{r['SHRP_ID']}", r["CONSTRUCTION_NO"], r["VISIT_DATE"],
             r["MEAN_IRI"], r["KESAL_YEAR"]) for n, r in rows]


@dataclass(frozen=True)
class PciCalibration:
    """Fitted PCI curve and its error on held-back segments."""

    pci_rho: float
    pci_beta: float
    pairs_fitted: int
    pairs_with_works: int
    held_back: Fit

    def as_dict(self) -> dict:
        return {"pci_rho": round(self.pci_rho, 4), "pci_beta": round(self.pci_beta, 4),
                "pairs_fitted": self.pairs_fitted, "pairs_with_works": self.pairs_with_works,
                "held_back": self.held_back.as_dict()}


def calibrate_pci(records: Iterable[tuple], source: str = "pci", works_gain: float = 5.0
                  ) -> PciCalibration:
    """Fit ``rho`` and ``beta`` of the PCI curve (see the module docstring)."""
    from scipy.optimize import least_squares

    pairs: list[tuple[str, float, float, float]] = []
    with_works = 0
    errors: list[RowError] = []
    for row, segment, before, after, years in records:
        try:
            values = [float(before), float(after), float(years)]
        except (TypeError, ValueError):
            errors.append(RowError(source, row, "pci", f"{before!r} / {after!r} / {years!r} "
                                   "are not numbers"))
            continue
        if not all(math.isfinite(v) for v in values) or values[2] <= 0:
            errors.append(RowError(source, row, "pci", "PCI and years must be finite, "
                                   "years positive"))
            continue
        if values[1] > values[0] + works_gain:
            with_works += 1
        elif 0 < values[0] < 100:
            pairs.append((str(segment), *values))
    if errors:
        raise RowErrorsError(errors)
    if len(pairs) < 3:
        raise PlanningError(f"{source}: fewer than 3 PCI pairs without works to fit")
    test = _held_back(p[0] for p in pairs)
    train = np.array([p[1:] for p in pairs if p[0] not in test])
    held = np.array([p[1:] for p in pairs if p[0] in test])

    def forecast(params: np.ndarray, data: np.ndarray) -> np.ndarray:
        rho, beta = params
        age = ((100.0 - data[:, 0]) / rho) ** (1.0 / beta) + data[:, 2]
        return np.maximum(100.0 - rho * age ** beta, 0.0)

    result = least_squares(lambda p: forecast(p, train) - train[:, 1], [3.0, 1.0],
                           bounds=([0.01, 0.2], [50.0, 5.0]))
    rho, beta = (float(v) for v in result.x)
    errs = forecast(result.x, held) - held[:, 1] if held.size else []
    base = held[:, 0] - held[:, 1] if held.size else []
    return PciCalibration(rho, beta, len(train), with_works, _fit(errs, base))


def read_pci_pairs(before: Union[str, Path], after: Union[str, Path], years: float
                   ) -> list[tuple]:
    """PCI pairs from two survey CSVs with ``seg_id,pci`` (City of San Diego's format)."""
    tables = []
    for path in (before, after):
        _, rows = read_csv_rows(path, "PCI survey", ("seg_id", "pci"))
        tables.append({(r["seg_id"] or ""): (n, r["pci"] or "") for n, r in rows})
    first, second = tables
    return [(second[s][0], s, first[s][1], second[s][1], years) for s in sorted(first)
            if s in second and first[s][1].strip() and second[s][1].strip()]
