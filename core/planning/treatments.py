"""The treatment decision table of a profile (``[[treatments]]``), checked on load.

Pavement treatments apply by surface type, PCI band (``pci_min`` <= PCI <= ``pci_max``) and
traffic band (``traffic``, labels of ``[planning.traffic_bands]``); each sets the PCI right
after works (``pci_after``, or ``pci_gain`` points up to 100), optionally the IRI
(``iri_after_m_per_km``), and deteriorates afterwards at ``rate_factor`` times the model's
speed. Bridge and culvert treatments apply to condition ``states`` and set ``state_after``;
afterwards the hazard rates are multiplied by ``rate_factor``. Every entry has a code, names,
a unit (``m2`` of pavement or deck, ``m`` of culvert) and a unit cost in VND.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from ..profile import Profile
from .errors import PlanningError

ASSETS = ("pavement", "bridge", "culvert")
SURFACES = ("AC", "BST", "PCC", "MAC", "GRV")  # codelist surface_type (core/schema/tables.py)

#: What to do when a database carries a profile from before planning existed.
OLD_PROFILE_HINT = (" (a database keeps the profile it was created with; plan with a current "
                    "profile: --profile thai_binh)")

_COMMON = {"code", "asset", "name_vi", "name_en", "unit", "unit_cost_vnd", "rate_factor"}
_PAVEMENT = {"surfaces", "pci_min", "pci_max", "traffic", "pci_after", "pci_gain",
             "iri_after_m_per_km"}
_STRUCTURE = {"states", "state_after"}


@dataclass(frozen=True)
class TrafficBands:
    """ESAL-a-day bands: ``upper[i]`` closes band ``labels[i]``; the last band is open."""

    labels: tuple[str, ...]
    upper: tuple[float, ...]

    def band(self, esal_per_day: float | None) -> str:
        if esal_per_day is None:
            return self.labels[0]
        for label, upper in zip(self.labels, self.upper):
            if esal_per_day < upper:
                return label
        return self.labels[-1]


@dataclass(frozen=True)
class Treatment:
    """One row of the decision table."""

    code: str
    asset: str
    name_vi: str
    name_en: str
    unit: str
    unit_cost: float
    rate_factor: float = 1.0
    surfaces: tuple[str, ...] = ()
    pci_min: float = 0.0
    pci_max: float = 100.0
    traffic: tuple[str, ...] = ()
    pci_after: float | None = None
    pci_gain: float | None = None
    iri_after: float | None = None
    states: tuple[int, ...] = ()
    state_after: int | None = None

    def applies(self, surface: str | None = None, pci: float | None = None,
                traffic: str | None = None, state: int | None = None) -> bool:
        """Whether the table allows this treatment for the given section or structure."""
        if self.asset == "pavement":
            return ((surface is None or surface in self.surfaces)
                    and (pci is None or self.pci_min <= pci <= self.pci_max)
                    and (traffic is None or traffic in self.traffic))
        return state is None or state in self.states

    def condition_after(self, pci: float) -> float:
        """PCI right after works on a pavement of PCI ``pci`` (never lower than before)."""
        if self.pci_after is not None:
            return max(self.pci_after, pci)
        return min(pci + (self.pci_gain or 0.0), 100.0)


def traffic_bands(profile: Profile) -> TrafficBands:
    """The profile's ``[planning.traffic_bands]`` (labels and ascending upper bounds)."""
    raw = profile.data.get("planning", {}).get("traffic_bands")
    where = f"{profile.path}: [planning.traffic_bands]"
    if not isinstance(raw, Mapping):
        raise PlanningError(f"{where} is missing{OLD_PROFILE_HINT}")
    labels, upper = raw.get("labels"), raw.get("upper_esal_per_day")
    if not isinstance(labels, list) or not all(isinstance(x, str) and x for x in labels):
        raise PlanningError(f"{where}: key 'labels' must be a list of names")
    if not isinstance(upper, list) or len(upper) != len(labels) - 1 or not all(
            _positive(x) for x in upper) or sorted(upper) != upper:
        raise PlanningError(f"{where}: key 'upper_esal_per_day' must hold {len(labels) - 1} "
                            f"ascending positive numbers (one fewer than the labels)")
    return TrafficBands(tuple(labels), tuple(float(x) for x in upper))


def _positive(value: Any, allow_zero: bool = False) -> bool:
    return (not isinstance(value, bool) and isinstance(value, (int, float))
            and math.isfinite(value) and (value >= 0 if allow_zero else value > 0))


def load_treatments(profile: Profile) -> list[Treatment]:
    """Check every ``[[treatments]]`` entry; all problems are reported at once, each naming
    the entry (number and code) and the key."""
    entries = profile.data.get("treatments")
    if not isinstance(entries, list) or not entries:
        raise PlanningError(f"{profile.path}: no [[treatments]] table")
    bands = traffic_bands(profile)
    problems: list[str] = []
    out: list[Treatment] = []
    seen: dict[str, int] = {}
    for n, entry in enumerate(entries, start=1):
        code = entry.get("code") if isinstance(entry, Mapping) else None
        where = f"[[treatments]] #{n}" + (f" ({code})" if isinstance(code, str) else "")

        def bad(key: str, message: str, where: str = where) -> None:
            problems.append(f"{where}: key {key!r} {message}")

        if not isinstance(entry, Mapping):
            problems.append(f"{where}: must be a table")
            continue
        before = len(problems)
        for key in ("code", "name_vi", "name_en", "unit"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                bad(key, "must be a non-empty text")
        asset = entry.get("asset")
        if asset not in ASSETS:
            bad("asset", f"must be one of {list(ASSETS)}, not {asset!r}")
            continue
        allowed = _COMMON | (_PAVEMENT if asset == "pavement" else _STRUCTURE)
        for key in entry:
            if key not in allowed:
                bad(key, f"is not a {asset} treatment key (allowed: {sorted(allowed)})")
        if not _positive(entry.get("unit_cost_vnd"), allow_zero=True):
            bad("unit_cost_vnd", f"must be a number >= 0, not {entry.get('unit_cost_vnd')!r}")
        if "rate_factor" in entry and not _positive(entry["rate_factor"]):
            bad("rate_factor", f"must be a positive number, not {entry['rate_factor']!r}")
        if isinstance(code, str) and code in seen:
            bad("code", f"repeats entry #{seen[code]}")
        elif isinstance(code, str):
            seen[code] = n
        if asset == "pavement":
            _check_pavement(entry, bands, bad)
        else:
            _check_structure(entry, bad)
        if len(problems) > before:
            continue
        out.append(_treatment(entry, bands))
    if problems:
        raise PlanningError(f"{profile.path}: bad treatment table:\n  " + "\n  ".join(problems))
    return out


def _check_pavement(entry: Mapping, bands: TrafficBands, bad) -> None:
    surfaces = entry.get("surfaces")
    if not isinstance(surfaces, list) or not surfaces or any(s not in SURFACES
                                                              for s in surfaces):
        bad("surfaces", f"must list surface types from {list(SURFACES)}, not {surfaces!r}")
    lo, hi = entry.get("pci_min", 0), entry.get("pci_max", 100)
    for key, value in (("pci_min", lo), ("pci_max", hi)):
        if not _positive(value, allow_zero=True) or value > 100:
            bad(key, f"must be a number in 0..100, not {value!r}")
    if _positive(lo, True) and _positive(hi, True) and lo > hi:
        bad("pci_min", f"{lo} is above pci_max {hi}")
    traffic = entry.get("traffic", list(bands.labels))
    if not isinstance(traffic, list) or not traffic or any(t not in bands.labels
                                                            for t in traffic):
        bad("traffic", f"must list traffic bands from {list(bands.labels)}, not {traffic!r}")
    if ("pci_after" in entry) == ("pci_gain" in entry):
        bad("pci_after", "or 'pci_gain' must be given, and only one of them")
    for key in ("pci_after", "pci_gain"):
        if key in entry and (not _positive(entry[key]) or entry[key] > 100):
            bad(key, f"must be a number in 0..100, not {entry[key]!r}")
    if "iri_after_m_per_km" in entry and not _positive(entry["iri_after_m_per_km"]):
        bad("iri_after_m_per_km", f"must be a positive number, not "
            f"{entry['iri_after_m_per_km']!r}")


def _check_structure(entry: Mapping, bad) -> None:
    states = entry.get("states")
    if not isinstance(states, list) or not states or not all(
            isinstance(s, int) and not isinstance(s, bool) and s >= 1 for s in states):
        bad("states", f"must list condition states (integers >= 1), not {states!r}")
        states = []
    after = entry.get("state_after")
    if not isinstance(after, int) or isinstance(after, bool) or after < 1:
        bad("state_after", f"must be a condition state (integer >= 1), not {after!r}")
    elif states and after >= min(states):
        bad("state_after", f"{after} must be better (lower) than every state it applies to "
            f"{states}")


def _treatment(entry: Mapping, bands: TrafficBands) -> Treatment:
    def opt(key: str) -> float | None:
        return float(entry[key]) if key in entry else None

    return Treatment(
        code=entry["code"], asset=entry["asset"], name_vi=entry["name_vi"],
        name_en=entry["name_en"], unit=entry["unit"], unit_cost=float(entry["unit_cost_vnd"]),
        rate_factor=float(entry.get("rate_factor", 1.0)),
        surfaces=tuple(entry.get("surfaces", ())),
        pci_min=float(entry.get("pci_min", 0.0)), pci_max=float(entry.get("pci_max", 100.0)),
        traffic=tuple(entry.get("traffic", bands.labels) if entry["asset"] == "pavement"
                      else ()), pci_after=opt("pci_after"),
        pci_gain=opt("pci_gain"), iri_after=opt("iri_after_m_per_km"),
        states=tuple(entry.get("states", ())), state_after=entry.get("state_after"))


def applicable(treatments: Sequence[Treatment], asset: str, **condition: Any) -> list[Treatment]:
    """The treatments of ``asset`` the table allows for ``condition`` (see
    :meth:`Treatment.applies`)."""
    return [t for t in treatments if t.asset == asset and t.applies(**condition)]
