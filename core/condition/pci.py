"""Pavement Condition Index per ASTM D6433 (asphalt roads and parking lots).

A sample unit's distresses (ASTM number, severity L/M/H, quantity) give densities, deduct
values (:mod:`.pci_curves`), the maximum corrected deduct value by the standard's iteration
and PCI = 100 - max CDV. A section's PCI is the area-weighted mean of its surveyed units;
:func:`sample_size` plans how many units to survey.

Example::

    from roadinfra.core.condition.pci import Distress, sample_unit_pci
    result = sample_unit_pci([Distress(1, "M", 12.5), Distress(13, "L", 2)], unit_area=230)
    result.pci, result.rating  # (..., "Fair")
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

from ..errors import RoadInfraError
from ..profile import Profile, load_profile, profile_path
from .pci_curves import (
    CurveSet,
    corrected_deduct_value,
    deduct_value,
    distress_type,
    load_curves,
    normal_severity,
)

FT_PER_M = 1.0 / 0.3048
FT2_PER_M2 = FT_PER_M**2
UNITS = ("metric", "imperial")
MAX_DEDUCTS = 10.0


class PciError(RoadInfraError):
    """Input the PCI computation cannot use (bad area, quantity, density or deduct)."""


@dataclass(frozen=True)
class Distress:
    """One distress record of a sample unit: ASTM number, severity L/M/H, quantity.

    Quantity is an area (m2, or ft2 in imperial), a length (m / ft) or a count, as the
    distress is measured by the standard (see ``distress_type(code).measure``).
    """

    code: int
    severity: str
    quantity: float


@dataclass(frozen=True)
class Deduct:
    """A distress/severity group of a sample unit with its density and deduct value."""

    code: int
    severity: str
    quantity: float
    density_pct: float
    deduct: float


@dataclass(frozen=True)
class CdvStep:
    """One line of the CDV iteration table: the deducts used, their total, q and CDV."""

    deducts: tuple[float, ...]
    total: float
    q: int
    cdv: float


@dataclass(frozen=True)
class PciResult:
    """PCI of one sample unit, with the numbers that led to it."""

    pci: float
    rating: str
    rating_vi: str
    max_cdv: float
    deducts: tuple[Deduct, ...] = ()
    allowable_deducts: float | None = None
    iterations: tuple[CdvStep, ...] = field(default=())

    def as_dict(self) -> dict:
        return {
            "pci": round(self.pci, 1),
            "rating": self.rating,
            "rating_vi": self.rating_vi,
            "max_cdv": round(self.max_cdv, 1),
            "allowable_deducts_m": None if self.allowable_deducts is None
            else round(self.allowable_deducts, 3),
            "deducts": [
                {"code": d.code, "severity": d.severity, "quantity": d.quantity,
                 "density_pct": round(d.density_pct, 3), "deduct": round(d.deduct, 1)}
                for d in self.deducts
            ],
            "iterations": [
                {"deducts": [round(v, 2) for v in s.deducts], "total": round(s.total, 2),
                 "q": s.q, "cdv": round(s.cdv, 1)}
                for s in self.iterations
            ],
        }


def density_percent(code: int, quantity: float, unit_area: float, units: str = "metric",
                    curves: CurveSet | None = None) -> float:
    """Density in percent as the standard's curves expect it (inch-pound units).

    Area distresses are unit-free ratios; length and count distresses are per ft2, so
    metric lengths (m) and areas (m2) are converted first.
    """
    if units not in UNITS:
        raise PciError(f"units must be one of {UNITS}, not {units!r}")
    if not unit_area or unit_area <= 0 or math.isnan(unit_area):
        raise PciError(f"sample unit area must be positive, not {unit_area!r}")
    if quantity is None or math.isnan(quantity) or quantity < 0:
        raise PciError(f"quantity must be zero or positive, not {quantity!r}")
    measure = distress_type(code, curves).measure
    area = unit_area * FT2_PER_M2 if units == "metric" else unit_area
    if measure == "area":
        amount = quantity * FT2_PER_M2 if units == "metric" else quantity
    elif measure == "length":
        amount = quantity * FT_PER_M if units == "metric" else quantity
    else:  # count
        amount = quantity
    density = 100.0 * amount / area
    if density > 100.0:
        raise PciError(f"density {density:.1f} % is above 100 % of the sample unit")
    return density


def unit_deducts(distresses: Iterable[Distress], unit_area: float, units: str = "metric",
                 curves: CurveSet | None = None) -> list[Deduct]:
    """Group records by distress and severity, sum quantities, and look up the deducts."""
    curves = curves or load_curves()
    totals: dict[tuple[int, str], float] = {}
    for rec in distresses:
        code = distress_type(rec.code, curves).code
        sev = normal_severity(code, rec.severity)
        if rec.quantity is None or rec.quantity < 0:
            raise PciError(f"distress {code}{sev}: quantity must be >= 0, not {rec.quantity!r}")
        totals[(code, sev)] = totals.get((code, sev), 0.0) + float(rec.quantity)
    result = []
    for (code, sev), qty in sorted(totals.items()):
        density = density_percent(code, qty, unit_area, units, curves)
        result.append(Deduct(code, sev, qty, density, deduct_value(code, sev, density, curves)))
    return result


def allowable_deducts(highest_deduct: float) -> float:
    """m = 1 + (9/98)(100 - HDV), at most 10 (ASTM D6433, roads and parking lots)."""
    return min(MAX_DEDUCTS, 1.0 + (9.0 / 98.0) * (100.0 - highest_deduct))


def cdv_iterations(deducts: Sequence[float], curves: CurveSet | None = None
                   ) -> tuple[float | None, list[CdvStep]]:
    """The standard's iteration: returns (m, steps); max CDV is ``max(s.cdv for s in steps)``.

    If at most one deduct is above 2, the total deduct value is the max CDV (one step with
    q <= 1 and CDV = total, m = None). Otherwise the deducts are sorted descending, cut to
    the m largest (the last one scaled by the fractional part of m), and the smallest
    deduct above 2 is set to 2 after each step until q = 1.
    """
    values = sorted((float(v) for v in deducts), reverse=True)
    for v in values:
        if math.isnan(v) or v < 0 or v > 100:
            raise PciError(f"deduct value {v!r} is outside 0..100")
    above = [v for v in values if v > 2.0]
    if len(above) <= 1:
        total = sum(values)
        return None, [CdvStep(tuple(values), total, len(above), min(100.0, total))]
    m = allowable_deducts(values[0])
    whole = int(math.floor(m))
    if len(values) > whole:
        fraction = m - whole
        values = values[:whole] + ([values[whole] * fraction] if fraction > 0 else [])
    steps = []
    while True:
        q = sum(1 for v in values if v > 2.0)
        total = sum(values)
        steps.append(CdvStep(tuple(values), total, q, corrected_deduct_value(total, q, curves)))
        if q <= 1:
            break
        # values stay in descending order, so the smallest deduct above 2 is the last one
        smallest = max(i for i, v in enumerate(values) if v > 2.0)
        values[smallest] = 2.0
    return m, steps


@lru_cache(maxsize=2)
def _cached_profile(path: str, mtime_ns: int) -> Profile:
    return load_profile(path)


def _profile(profile: Profile | None) -> Profile:
    """The given profile, or the default one (re-read only when its file changes)."""
    if profile is not None:
        return profile
    path = profile_path(None)
    try:
        return _cached_profile(str(path), path.stat().st_mtime_ns)
    except OSError:
        return load_profile(None)  # raises ProfileError naming the file


def pci_rating(pci: float, profile: Profile | None = None, lang: str = "en") -> str:
    """Rating of a PCI from the profile's [pavement.pci_bands] (lower bounds inclusive)."""
    bands = _profile(profile).section("pavement.pci_bands")
    labels = bands[f"labels_{lang}"]
    if math.isnan(pci) or not 0.0 <= pci <= 100.0:
        raise PciError(f"PCI {pci!r} is outside 0..100")
    for lower, label in zip(bands["lower"], labels):
        if pci >= lower:
            return label
    return labels[-1]


def _result(max_cdv: float, deducts: Sequence[Deduct], m: float | None,
            steps: Sequence[CdvStep], profile: Profile | None) -> PciResult:
    profile = _profile(profile)
    pci = max(0.0, min(100.0, 100.0 - max_cdv))
    return PciResult(pci=pci, rating=pci_rating(pci, profile, "en"),
                     rating_vi=pci_rating(pci, profile, "vi"), max_cdv=max_cdv,
                     deducts=tuple(deducts), allowable_deducts=m, iterations=tuple(steps))


def pci_from_deducts(deducts: Sequence[float], curves: CurveSet | None = None,
                     profile: Profile | None = None) -> PciResult:
    """PCI from recorded deduct values (e.g. read off the standard's charts in the field)."""
    if not deducts:
        return _result(0.0, (), None, (), profile)
    m, steps = cdv_iterations(deducts, curves)
    return _result(max(s.cdv for s in steps), (), m, steps, profile)


def sample_unit_pci(distresses: Iterable[Distress], unit_area: float, units: str = "metric",
                    curves: CurveSet | None = None,
                    profile: Profile | None = None) -> PciResult:
    """PCI of one asphalt sample unit of ``unit_area`` (m2, or ft2 when imperial)."""
    curves = curves or load_curves()
    deducts = unit_deducts(distresses, unit_area, units, curves)
    values = [d.deduct for d in deducts if d.deduct > 0]
    if not values:
        return _result(0.0, deducts, None, (), profile)
    m, steps = cdv_iterations(values, curves)
    return _result(max(s.cdv for s in steps), deducts, m, steps, profile)


def section_pci(units: Iterable[tuple[float, float]]) -> float:
    """Area-weighted mean PCI of surveyed sample units given as (pci, area) pairs."""
    total_area = 0.0
    weighted = 0.0
    for pci, area in units:
        if area is None or area <= 0:
            raise PciError(f"sample unit area must be positive, not {area!r}")
        total_area += area
        weighted += pci * area
    if total_area == 0:
        raise PciError("no surveyed sample units")
    return weighted / total_area


#: more sample units than any network has (a section of 10 000 km in units of 10 m)
MAX_SAMPLE_UNITS = 1_000_000


def sample_size(n_units: int, std_dev: float = 10.0, error: float = 5.0) -> int:
    """Minimum units to survey: n = N s^2 / ((e^2/4)(N-1) + s^2), rounded up (ASTM D6433).

    ``std_dev`` is the PCI standard deviation between units (10 for asphalt when not known),
    ``error`` the allowable error of the section PCI (5 points).
    """
    if int(n_units) != n_units or not 1 <= n_units <= MAX_SAMPLE_UNITS:
        raise PciError(f"number of sample units must be a whole number in "
                       f"1..{MAX_SAMPLE_UNITS}, not {n_units!r}")
    if not (math.isfinite(std_dev) and math.isfinite(error)) or std_dev <= 0 or error <= 0:
        raise PciError(f"standard deviation ({std_dev!r}) and allowable error ({error!r}) "
                       "must be positive numbers")
    # n = N / ((e/s)^2 / 4 (N-1) + 1): the same formula without squaring s or e alone,
    # which overflows for values near 1e154 (a ratio too large is an infinite term: n -> 0)
    ratio = error / std_dev
    term = ratio * ratio / 4.0 * (n_units - 1) if ratio < 1e150 else math.inf
    n = n_units / (term + 1.0)
    return max(1, min(int(n_units), int(math.ceil(n - 1e-9))))
