"""Axle-load and gross-weight limits read from a profile's ``[loads]`` section.

All limits are held in whole kilograms and all spacing boundaries in whole millimetres, so
the checks in :mod:`.check` compare integers exactly (see docs/loads.md, "Boundary semantics").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Mapping, Tuple

import numpy as np

from ..profile import Profile, ProfileError, load_profile
from . import csv_format as fmt


@dataclass(frozen=True)
class SpacingBand:
    """A group limit that applies while the spacing is below (or up to) ``upper_mm``."""

    limit_kg: int
    upper_mm: int | None = None  # None: open last band
    inclusive: bool = False  # True: applies while spacing <= upper_mm, else spacing < upper_mm

    def contains(self, spacing_mm: np.ndarray) -> np.ndarray:
        if self.upper_mm is None:
            return np.ones(np.shape(spacing_mm), dtype=bool)
        if self.inclusive:
            return spacing_mm <= self.upper_mm
        return spacing_mm < self.upper_mm


@dataclass(frozen=True)
class LoadLimits:
    """The limits of one profile, ready for vectorised checks."""

    profile_id: str
    single_kg: int
    tandem: Tuple[SpacingBand, ...]
    tridem: Tuple[SpacingBand, ...]
    group_spacing_max_mm: int  # axles closer than this (strictly) form a group
    gross_kg: np.ndarray  # [vehicle type index, axle count] -> kg, 0 = no gross limit
    tolerance_pct: float
    standard_axle_kn: float
    esal_exponent: float
    kn_per_tonne: float

    def group_limit_kg(self, size: int, spacing_mm: np.ndarray) -> np.ndarray:
        """Limit in kg of groups of ``size`` axles (1..3) with the given governing spacing."""
        if size == 1:
            return np.full(np.shape(spacing_mm), self.single_kg, dtype=np.int64)
        bands = self.tandem if size == 2 else self.tridem
        out = np.zeros(np.shape(spacing_mm), dtype=np.int64)
        done = np.zeros(np.shape(spacing_mm), dtype=bool)
        for band in bands:
            hit = band.contains(spacing_mm) & ~done
            out[hit] = band.limit_kg
            done |= hit
        return out

    def allowed_kg(self, limit_kg: np.ndarray) -> np.ndarray:
        """Largest legal load for a limit, with the enforcement tolerance (integer kg)."""
        if self.tolerance_pct == 0:
            return limit_kg
        return np.floor(limit_kg * (1.0 + self.tolerance_pct / 100.0) + 1e-9).astype(np.int64)


def _number(value: Any, where: str, minimum: float = 0.0, inclusive: bool = False) -> float:
    """``value`` as a finite float above ``minimum`` (or equal to it when ``inclusive``)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ProfileError(f"[{where}]: not a number: {value!r}") from None
    if not math.isfinite(number) or number < minimum or (number == minimum and not inclusive):
        kind = "must not be negative" if inclusive and minimum == 0 else "must be positive"
        raise ProfileError(f"[{where}]: {kind}, got {value!r}")
    return number


def _kg(value: Any, where: str) -> int:
    return int(round(_number(value, where) * fmt.KG_PER_T))


def _mm(value: Any, where: str) -> int:
    return int(round(_number(value, where) * fmt.MM_PER_M))


def _bands(items: Any, where: str) -> Tuple[SpacingBand, ...]:
    if not isinstance(items, list) or not items:
        raise ProfileError(f"[{where}]: expected a list of {{max_spacing_m, limit_t}} bands")
    bands = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or "limit_t" not in item:
            raise ProfileError(f"[{where}] band {i + 1}: missing limit_t")
        upper = item.get("max_spacing_m")
        if upper is None and i != len(items) - 1:
            raise ProfileError(f"[{where}] band {i + 1}: only the last band may omit max_spacing_m")
        bands.append(SpacingBand(
            limit_kg=_kg(item["limit_t"], where),
            upper_mm=None if upper is None else _mm(upper, where),
            inclusive=bool(item.get("inclusive", False)),
        ))
    if bands[-1].upper_mm is not None:
        raise ProfileError(f"[{where}]: the last band must be open (no max_spacing_m)")
    uppers = [b.upper_mm for b in bands[:-1]]
    if any(a >= b for a, b in zip(uppers, uppers[1:])):
        # the first band that contains a spacing wins: out of order, a band is never reached
        raise ProfileError(f"[{where}]: max_spacing_m must increase from band to band")
    return tuple(bands)


_GROSS_KEY = re.compile(r"^(\d+)(\+?)$")


def _gross_table(section: Mapping[str, Any]) -> np.ndarray:
    table = np.zeros((len(fmt.VEHICLE_TYPES), fmt.AXLE_COUNT_MAX + 1), dtype=np.int64)
    for vtype, entries in section.items():
        if vtype not in fmt.VEHICLE_TYPES:
            raise ProfileError(f"[loads.gross_t.{vtype}]: unknown vehicle type "
                               f"(expected one of {', '.join(fmt.VEHICLE_TYPES)})")
        if not isinstance(entries, dict):
            raise ProfileError(f"[loads.gross_t.{vtype}]: expected a table of axle count = "
                               f"tonnes, got {entries!r}")
        row = fmt.VEHICLE_TYPES.index(vtype)
        # open "N+" keys first, so that an exact key for the same count wins
        for key, tonnes in sorted(entries.items(), key=lambda kv: not str(kv[0]).endswith("+")):
            match = _GROSS_KEY.match(str(key))
            if not match:
                raise ProfileError(f"[loads.gross_t.{vtype}]: bad axle-count key {key!r}")
            count = int(match.group(1))
            if not fmt.AXLE_COUNT_MIN <= count <= fmt.AXLE_COUNT_MAX:
                raise ProfileError(f"[loads.gross_t.{vtype}]: axle count {key!r} outside "
                                   f"{fmt.AXLE_COUNT_MIN}..{fmt.AXLE_COUNT_MAX}")
            stop = fmt.AXLE_COUNT_MAX + 1 if match.group(2) else count + 1
            table[row, count:stop] = _kg(tonnes, f"loads.gross_t.{vtype}")
    return table


def load_limits(profile: Profile | str | None = None) -> LoadLimits:
    """Read ``[loads]`` of a profile (object, id or path; default the shipped profile)."""
    if not isinstance(profile, Profile):
        profile = load_profile(profile)
    sec = profile.section("loads")
    try:
        return LoadLimits(
            profile_id=profile.id,
            single_kg=_kg(sec["single_axle_t"], "loads.single_axle_t"),
            tandem=_bands(sec["tandem"], "loads.tandem"),
            tridem=_bands(sec["tridem"], "loads.tridem"),
            group_spacing_max_mm=_mm(sec["group_spacing_max_m"], "loads.group_spacing_max_m"),
            gross_kg=_gross_table(sec.get("gross_t", {})),
            tolerance_pct=_number(sec.get("tolerance_pct", 0.0), "loads.tolerance_pct",
                                  inclusive=True),
            standard_axle_kn=_number(sec.get("standard_axle_kn", 100.0),
                                     "loads.standard_axle_kn"),
            esal_exponent=_number(sec.get("esal_exponent", 4.0), "loads.esal_exponent"),
            kn_per_tonne=_number(sec.get("kn_per_tonne", 9.80665), "loads.kn_per_tonne"),
        )
    except KeyError as exc:
        raise ProfileError(f"{profile.path}: missing [loads].{exc.args[0]}") from None
    except ProfileError as exc:  # a bad value: name the file too
        raise ProfileError(f"{profile.path}: {exc}") from None
