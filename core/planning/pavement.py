"""Pavement deterioration: IRI and PCI by age, traffic loading and the last works.

- IRI grows exponentially: ``IRI(t) = IRI_0 exp((a + b M) f t)`` with ``M`` the traffic
  loading in million ESAL a year, ``f`` the last treatment's rate factor (1 = new pavement).
  ``a`` and ``b`` are fitted on LTPP sections (:mod:`.calibration`; docs/planning.md).
- PCI falls along ``PCI(age) = 100 - rho age^beta`` (age in years of "standard" loading); a
  section of known PCI sits at its equivalent age on that curve and moves along it at the
  speed ``f (1 + c M)``, ``c = b / a`` (loading speeds PCI loss as much, relatively, as it
  speeds IRI growth in LTPP). ``rho`` and ``beta`` are fitted on the City of San Diego's PCI
  pairs 2016-2023 (LTPP carries no PCI).
- Last works: a treatment sets the condition right after works (see :mod:`.treatments`) and
  its rate factor; with no survey, the PCI of a section follows from its age since its last
  works (or construction).

The profile's ``[planning.pavement_model]`` overrides any coefficient.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Any, Mapping

from ..profile import Profile
from .errors import PlanningError

#: ESAL a day to million ESAL a year.
MESAL_PER_ESAL_DAY = 365.0 / 1e6


@dataclass(frozen=True)
class PavementModel:
    """Coefficients of the pavement model (defaults: the fits in docs/planning.md)."""

    iri_rate: float = 0.0325             # a: IRI growth per year, no loading (1/year)
    iri_rate_per_mesal: float = 0.0132   # b: extra growth per million ESAL a year
    pci_rho: float = 3.90                # PCI loss scale
    pci_beta: float = 0.900              # PCI loss shape (1 = linear in age)
    iri_max: float = 16.0                # IRI does not grow beyond this (m/km)

    @property
    def traffic_per_mesal(self) -> float:
        """``c = b / a``: relative speed-up of PCI loss per million ESAL a year."""
        return self.iri_rate_per_mesal / self.iri_rate

    def iri(self, iri0: float, years: float, mesal: float = 0.0, factor: float = 1.0) -> float:
        """IRI (m/km) ``years`` after a value of ``iri0``."""
        rate = (self.iri_rate + self.iri_rate_per_mesal * max(mesal, 0.0)) * factor
        return min(iri0 * math.exp(rate * years), max(self.iri_max, iri0))

    def speed(self, mesal: float = 0.0, factor: float = 1.0) -> float:
        """Years of standard ageing per calendar year."""
        return factor * (1.0 + self.traffic_per_mesal * max(mesal, 0.0))

    def pci_at_age(self, age: float) -> float:
        """PCI after ``age`` years of standard ageing from 100."""
        return max(100.0 - self.pci_rho * max(age, 0.0) ** self.pci_beta, 0.0)

    def equivalent_age(self, pci: float) -> float:
        """Standard age at which the curve reaches ``pci``."""
        loss = min(max(100.0 - pci, 0.0), 100.0)
        return (loss / self.pci_rho) ** (1.0 / self.pci_beta)

    def pci(self, pci0: float, years: float, mesal: float = 0.0, factor: float = 1.0) -> float:
        """PCI ``years`` after a value of ``pci0`` under ``mesal`` and a rate ``factor``."""
        return self.pci_at_age(self.equivalent_age(pci0) + years * self.speed(mesal, factor))

    def pci_from_age(self, age: float, mesal: float = 0.0, factor: float = 1.0) -> float:
        """PCI of a section ``age`` years after its last works (no survey)."""
        return self.pci_at_age(age * self.speed(mesal, factor))


def pavement_model(profile: Profile | None = None) -> PavementModel:
    """The default model with the profile's ``[planning.pavement_model]`` overrides."""
    model = PavementModel()
    if profile is None:
        return model
    overrides: Mapping[str, Any] = profile.data.get("planning", {}).get("pavement_model", {})
    known = {f.name for f in fields(PavementModel)}
    problems = []
    values = {}
    for key, value in overrides.items():
        if key not in known:
            problems.append(f"unknown key {key!r} (known: {sorted(known)})")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value) or value <= 0:
            problems.append(f"key {key!r} must be a positive number, not {value!r}")
        else:
            values[key] = float(value)
    if problems:
        raise PlanningError(f"{profile.path}: [planning.pavement_model]: " + "; ".join(problems))
    return replace(model, **values)


def pci_gain_over(model: PavementModel, before: float, after: float, years: int,
                  mesal: float = 0.0, factor: float = 1.0) -> float:
    """PCI-years gained by works: the sum over ``years`` yearly steps (the works' year
    first) of PCI with the works (from ``after`` at ``factor`` times the speed) minus PCI
    without (from ``before``), never below zero."""
    return sum(max(model.pci(after, k, mesal, factor) - model.pci(before, k, mesal), 0.0)
               for k in range(max(int(years), 0)))
