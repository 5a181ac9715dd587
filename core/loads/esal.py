"""Equivalent standard axles (ESAL): per vehicle, per station-day and per route section.

Per vehicle: ``sum over axles of (P / P_std) ** n`` with P the axle load in kN (tonnes times
the profile's ``kn_per_tonne``, standard gravity 9.80665 by default), P_std the profile's
standard axle (100 kN) and n its exponent (4).
Every axle counts on its own (the simple fourth-power law), also inside tandem and tridem
groups; AASHTO's load-equivalence factors for tandem/tridem groups are lower than the sum
of the single-axle factors, so this is the conservative (higher) figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Sequence, Tuple

import numpy as np

from ..errors import Cancelled, RoadInfraError
from . import csv_format as fmt
from .records import WeighingRecords

G = 9.80665  # standard gravity, m/s2: 1 t = 9.80665 kN
#: Largest chainage taken as real (5,000 km; Vietnam's longest road, QL1, is about 2,300 km):
#: a station at 1e308 m would otherwise feed every section of its route as the "nearest".
MAX_CHAINAGE_M = 5_000_000.0


class SectionError(RoadInfraError):
    """Bad station location or route-section input; ``errors`` lists every bad row."""

    def __init__(self, message: str, errors: Sequence[str] = ()):
        self.errors = list(errors) or [message]
        super().__init__(message)


def vehicle_esal(records: WeighingRecords, standard_axle_kn: float = 100.0,
                 exponent: float = 4.0, kn_per_tonne: float = G) -> np.ndarray:
    """ESAL of each record (float64); padded axles weigh 0 and add nothing."""
    if standard_axle_kn <= 0 or exponent <= 0 or kn_per_tonne <= 0:
        raise SectionError("standard axle, exponent and kN per tonne must be positive")
    relative = records.loads_kg * (kn_per_tonne / fmt.KG_PER_T / standard_axle_kn)
    if exponent == 4.0:
        squared = relative * relative
        return (squared * squared).sum(axis=1)
    return np.power(relative, exponent).sum(axis=1)


def local_days(records: WeighingRecords) -> np.ndarray:
    """Local calendar day (UTC+07:00, csv_format.TIMEZONE) of each record, datetime64[D]."""
    offset = np.timedelta64(int(fmt.TIMEZONE.utcoffset(None).total_seconds()), "s")
    return (records.weighed_at + offset).astype("datetime64[D]")


def station_esal_per_day(records: WeighingRecords, esal: np.ndarray) -> Dict[str, float]:
    """Mean ESAL per day of each station: total ESAL / number of local days with records."""
    out: Dict[str, float] = {}
    if len(records) == 0:
        return out
    days = local_days(records).astype(np.int64)
    totals = np.bincount(records.station, weights=esal, minlength=len(records.station_codes))
    pairs = np.unique(np.stack([records.station.astype(np.int64), days]), axis=1)
    n_days = np.bincount(pairs[0], minlength=len(records.station_codes))
    for i, code in enumerate(records.station_codes):
        if n_days[i]:
            out[str(code)] = float(totals[i] / n_days[i])
    return out


@dataclass(frozen=True)
class StationLocation:
    """Where a load station stands: its route and chainage (load_station.route_id, chainage_m)."""

    code: str
    route_id: str
    chainage_m: float


@dataclass(frozen=True)
class SectionAssignment:
    """The station(s) whose ESAL/day a section takes, and how they were chosen."""

    stations: tuple
    method: str  # "within" (station(s) inside the section, mean) or "nearest" (by chainage)
    distance_m: float  # 0 for "within"
    esal_per_day: float


def _check_unique_codes(stations: Sequence[StationLocation],
                        esal_by_station: Mapping[str, float]) -> None:
    """One location per weighed station: a code at two places would feed both routes."""
    seen: Dict[str, StationLocation] = {}
    for station in stations:
        if station.code not in esal_by_station:
            continue
        first = seen.setdefault(station.code, station)
        if (first.route_id, first.chainage_m) != (station.route_id, station.chainage_m):
            raise SectionError(f"station {station.code} is given at two locations: "
                               f"{first.route_id} {first.chainage_m:g} m and "
                               f"{station.route_id} {station.chainage_m:g} m")


def assign_section(route_id: str, from_m: float, to_m: float,
                   stations: Sequence[StationLocation], esal_by_station: Mapping[str, float],
                   max_distance_m: float | None = None) -> SectionAssignment | None:
    """Pick the station(s) for one section of a route, or None when none is usable.

    Stations inside ``[from_m, to_m]`` on the same route give the mean of their ESAL/day;
    otherwise the nearest station on the route by chainage (distance to the section ends,
    ties to the lower code), if within ``max_distance_m`` (None = any distance).
    """
    if not (from_m < to_m):
        raise SectionError(f"section {route_id} {from_m}-{to_m}: from_m must be below to_m")
    _check_unique_codes(stations, esal_by_station)
    usable = [s for s in stations if s.route_id == route_id and s.code in esal_by_station]
    if not usable:
        return None
    inside = sorted(s.code for s in usable if from_m <= s.chainage_m <= to_m)
    if inside:
        value = sum(esal_by_station[c] for c in inside) / len(inside)
        return SectionAssignment(tuple(inside), "within", 0.0, value)

    def distance(s: StationLocation) -> float:
        return from_m - s.chainage_m if s.chainage_m < from_m else s.chainage_m - to_m

    nearest = min(usable, key=lambda s: (distance(s), s.code))
    dist = distance(nearest)
    if max_distance_m is not None and dist > max_distance_m:
        return None
    return SectionAssignment((nearest.code,), "nearest", dist, esal_by_station[nearest.code])


def loading_row(route_id: str, from_m: float, to_m: float, year: int,
                found: SectionAssignment, district_code: str | None = None) -> dict[str, Any]:
    """A ``traffic_loading`` row for one section and its station assignment."""
    if found.method == "within":
        source = f"weighing {', '.join(found.stations)} (in section)"
    else:
        source = f"weighing {found.stations[0]} (nearest, {found.distance_m:.0f} m away)"
    return {
        "route_id": route_id,
        "from_m": from_m,
        "to_m": to_m,
        "year": int(year),
        "aadt": None,
        "heavy_pct": None,
        "esal_per_day": found.esal_per_day,
        "source": source,
        "district_code": district_code,
    }


#: Column order of loading rows (all are traffic_loading columns).
LOADING_COLUMNS = ("route_id", "from_m", "to_m", "year", "aadt", "heavy_pct", "esal_per_day",
                   "source", "district_code")


def esal_per_section(
    sections: Sequence[Mapping[str, Any]],
    stations: Sequence[StationLocation],
    esal_by_station: Mapping[str, float],
    year: int,
    max_distance_m: float | None = None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> List[Dict[str, Any]]:
    """Rows for the ``traffic_loading`` table, one per section that gets a station.

    ``sections`` are mappings with ``route_id``, ``from_m``, ``to_m`` and optionally
    ``district_code``. Each row holds the traffic_loading columns ``route_id``, ``from_m``,
    ``to_m``, ``year``, ``esal_per_day``, ``source`` and ``district_code``; ``aadt`` and
    ``heavy_pct`` stay None (weighing stations see heavy vehicles only).
    """
    return [row for _, row in _assign_all(sections, stations, esal_by_station, year,
                                          max_distance_m, progress, is_cancelled)]


def _assign_all(sections, stations, esal_by_station, year, max_distance_m, progress,
                is_cancelled) -> List[Tuple[int, Dict[str, Any]]]:
    """(1-based section number, traffic_loading row) of each section that gets a station."""
    rows: List[Tuple[int, Dict[str, Any]]] = []
    for number, section in enumerate(sections, start=1):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled("ESAL per section cancelled")
        try:
            route_id = str(section["route_id"])
            from_m = float(section["from_m"])
            to_m = float(section["to_m"])
        except (KeyError, TypeError, ValueError) as exc:
            raise SectionError(f"section {number}: needs route_id, from_m, to_m ({exc})") from None
        if math.isnan(from_m) or math.isnan(to_m):
            raise SectionError(f"section {number}: from_m/to_m is empty")
        try:
            found = assign_section(route_id, from_m, to_m, stations, esal_by_station,
                                   max_distance_m)
        except SectionError as exc:
            raise SectionError(f"section {number}: {exc}") from None
        if found is not None:
            rows.append((number, loading_row(route_id, from_m, to_m, year, found,
                                             section.get("district_code"))))
        if progress is not None:
            progress(100.0 * number / max(len(sections), 1))
    return rows


# ----------------------------------------------------------- records already read, one entry
#: A load station as read: (1-based row, code, route_id, chainage_m), values as in the file.
StationRecord = Tuple[int, Any, Any, Any]
#: A route section as read: (1-based row, route_id, from_m, to_m, district_code or None).
SectionRecord = Tuple[int, Any, Any, Any, Any]


@dataclass(frozen=True)
class SectionEsal:
    """The answer of :func:`esal_sections`: traffic_loading rows and where they come from."""

    esal_per_day_by_station: Dict[str, float]
    rows: List[Dict[str, Any]]  # LOADING_COLUMNS
    section_rows: List[int]  # the input row of the section of each output row
    sections: int  # sections read

    @property
    def without_station(self) -> int:
        return self.sections - len(self.rows)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _text(value: Any) -> str | None:
    return None if _missing(value) or not str(value).strip() else str(value).strip()


def _chainage(value: Any) -> tuple[float | None, str]:
    """The chainage in metres, or None and what is wrong with it."""
    try:
        number = float(str(value).strip()) if not isinstance(value, (int, float)) else value
    except (TypeError, ValueError):
        return None, f"not a number: {value!r}"
    if _missing(value) or not math.isfinite(number):
        return None, f"not a number: {value!r}"
    if not 0.0 <= number <= MAX_CHAINAGE_M:
        return None, f"{number:g} m is outside 0..{MAX_CHAINAGE_M:g} m"
    return float(number), ""


def esal_sections(
    station_records: Iterable[StationRecord],
    section_records: Iterable[SectionRecord],
    esal_by_station: Mapping[str, float],
    year: int,
    max_distance_m: float | None = None,
    stations_source: str = "stations",
    sections_source: str = "sections",
    row_word: str = "line",
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> SectionEsal:
    """ESAL per day of each route section, from station and section records already read.

    Every record is checked first (a code, a route, a chainage in 0..MAX_CHAINAGE_M, one
    location per station code, ``from_m`` below ``to_m``); every bad one is named as
    ``SOURCE: ROW_WORD N, column FIELD: problem`` in one :class:`SectionError`.
    """
    errors: List[str] = []

    def bad(source: str, row: int, column: str, problem: str) -> None:
        errors.append(f"{source}: {row_word} {row}, column {column}: {problem}")

    stations: List[StationLocation] = []
    first_row: Dict[str, int] = {}
    for row, code, route, chainage in station_records:
        code, route = _text(code), _text(route)
        metres, problem = _chainage(chainage)
        if code is None:
            bad(stations_source, row, "code", "empty")
        elif code in first_row:
            bad(stations_source, row, "code",
                f"station {code!r} is already on {row_word} {first_row[code]}")
        else:
            first_row[code] = row
        if route is None:
            bad(stations_source, row, "route_id", "empty")
        if metres is None:
            bad(stations_source, row, "chainage_m", problem)
        if code is not None and route is not None and metres is not None:
            stations.append(StationLocation(code, route, metres))
    sections: List[Dict[str, Any]] = []
    rows_read: List[int] = []
    for row, route, from_value, to_value, district in section_records:
        route = _text(route)
        from_m, from_problem = _chainage(from_value)
        to_m, to_problem = _chainage(to_value)
        if route is None:
            bad(sections_source, row, "route_id", "empty")
        if from_m is None:
            bad(sections_source, row, "from_m", from_problem)
        if to_m is None:
            bad(sections_source, row, "to_m", to_problem)
        elif from_m is not None and not from_m < to_m:
            bad(sections_source, row, "to_m", f"{to_m:g} is not above from_m {from_m:g}")
        sections.append({"route_id": route, "from_m": from_m, "to_m": to_m,
                         "district_code": _text(district)})
        rows_read.append(row)
    if errors:
        raise SectionError("\n".join(errors) if len(errors) > 1 else errors[0], errors)
    found = _assign_all(sections, stations, esal_by_station, year, max_distance_m, progress,
                        is_cancelled)
    return SectionEsal(dict(esal_by_station), [row for _, row in found],
                       [rows_read[number - 1] for number, _ in found], len(sections))
