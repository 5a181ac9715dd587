"""ASTM D6433 deduct and corrected-deduct curves for asphalt roads, read from a data file.

The curves are digitised points (``core/data/pci_curves_ac.json``, source and licence in its
``_about`` block); deducts are interpolated linearly in log10(density), corrected deducts
linearly in total deduct value. Every value returned is clipped to 0..100.
"""

from __future__ import annotations

import bisect
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

from ..errors import RoadInfraError

CURVES_FILE = Path(__file__).resolve().parent.parent / "data" / "pci_curves_ac.json"
SEVERITIES = ("L", "M", "H")
#: distresses whose deduct does not depend on severity (polished aggregate has none)
SEVERITY_FREE = frozenset({12})


class CurveError(RoadInfraError):
    """A distress code, severity or density the curves cannot answer."""


@dataclass(frozen=True)
class DistressType:
    """One distress of the standard: its number, names and how it is measured."""

    code: int
    key: str
    name_en: str
    name_vi: str
    measure: str  # "area" (ft2 / m2), "length" (ft / m) or "count"
    density_pct: tuple[float, ...]
    deduct: Mapping[str, tuple[float, ...]]


@dataclass(frozen=True)
class CurveSet:
    """Deduct curves per distress and CDV curves per q of one pavement type."""

    source: str
    distresses: Mapping[int, DistressType]
    total_deduct: tuple[float, ...]
    cdv: Mapping[int, tuple[float, ...]]

    @property
    def max_q(self) -> int:
        return max(self.cdv)


@lru_cache(maxsize=4)
def load_curves(path: Path = CURVES_FILE) -> CurveSet:
    """Read a curve file (by default the shipped asphalt curves)."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CurveError(f"{path}: cannot read PCI curves: {exc}") from None
    distresses = {}
    for code, item in doc["distresses"].items():
        distresses[int(code)] = DistressType(
            code=int(code),
            key=item["key"],
            name_en=item["name_en"],
            name_vi=item["name_vi"],
            measure=item["measure"],
            density_pct=tuple(item["density_pct"]),
            deduct={sev: tuple(vals) for sev, vals in item["deduct"].items()},
        )
    cdv = doc["corrected_deduct"]
    return CurveSet(
        source=doc["_about"]["source"],
        distresses=distresses,
        total_deduct=tuple(cdv["total_deduct"]),
        cdv={int(q): tuple(vals) for q, vals in cdv["q"].items()},
    )


def _clip(value: float) -> float:
    return min(100.0, max(0.0, value))


def _interpolate(xs: Sequence[float], ys: Sequence[float], x: float, extend_low: bool) -> float:
    """Piecewise-linear y(x); beyond the last point hold it; below the first hold or extend."""
    if x >= xs[-1]:
        return ys[-1]
    if x <= xs[0] and not extend_low:
        return ys[0]
    i = max(1, bisect.bisect_right(xs, x))
    x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


def distress_type(code: int, curves: CurveSet | None = None) -> DistressType:
    """The distress with this ASTM number, or CurveError."""
    curves = curves or load_curves()
    try:
        return curves.distresses[int(code)]
    except (KeyError, ValueError, TypeError):
        known = f"{min(curves.distresses)}-{max(curves.distresses)}"
        raise CurveError(f"unknown distress code {code!r} (asphalt codes are {known})") from None


def normal_severity(code: int, severity: str | None) -> str:
    """``"l "`` -> ``"L"``; any severity (or none) of a severity-free distress -> ``"L"``,
    so all its records fall in one group and get one deduct."""
    if int(code) in SEVERITY_FREE:
        return "L"
    return str(severity or "").strip().upper()


def deduct_value(code: int, severity: str, density_pct: float,
                 curves: CurveSet | None = None) -> float:
    """Deduct value of one distress/severity at a density in percent (0..100)."""
    dtype = distress_type(code, curves)
    sev = normal_severity(dtype.code, severity)
    if sev not in SEVERITIES:
        raise CurveError(f"severity {severity!r} is not L, M or H")
    if not 0.0 <= density_pct <= 100.0 or math.isnan(density_pct):
        raise CurveError(f"density {density_pct!r} % is outside 0..100 %")
    if density_pct == 0.0:
        return 0.0
    xs = [math.log10(x) for x in dtype.density_pct]
    return _clip(_interpolate(xs, dtype.deduct[sev], math.log10(density_pct), extend_low=False))


def corrected_deduct_value(total_deduct: float, q: int, curves: CurveSet | None = None) -> float:
    """CDV for a total deduct value and q (deducts above 2); q above the last curve uses it."""
    curves = curves or load_curves()
    if q <= 1:
        return _clip(total_deduct)
    ys = curves.cdv[min(int(q), curves.max_q)]
    return _clip(_interpolate(curves.total_deduct, ys, total_deduct, extend_low=True))
