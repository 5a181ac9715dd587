"""Roughness: IRI condition bands from the jurisdiction profile and survey-vehicle CSV import.

Bands come from ``[pavement.iri_bands]`` (``upper_m_per_km`` are exclusive upper bounds, the
last band is open), or from ``[pavement.iri_bands_by_class.<name>]`` when a road class is
given. A survey-vehicle CSV has one row per interval::

    route,from_km,to_km,iri,rut_mm,cracking_pct        (or from_m,to_m in metres)

and is imported to rows keyed by the columns of table ``pavement_survey``; every row is
checked and all bad rows are reported together.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..chainage import MAX_CHAINAGE_M
from ..errors import Cancelled, RoadInfraError
from ..io.rows import RowError, RowErrorsError
from ..io.tabular import Table, read_table
from ..profile import Profile, load_profile

#: plausible IRI range, m/km (schema column pavement_survey.iri allows 0..30)
IRI_MAX = 30.0
RUT_MAX_MM = 200.0
COLUMN_ALIASES = {
    "route": ("route", "route_code", "road", "tuyen", "route_id"),
    "from": ("from_km", "from_m", "start_km", "start_m"),
    "to": ("to_km", "to_m", "end_km", "end_m"),
    "iri": ("iri", "iri_m_km", "mean_iri"),
    "rut_mm": ("rut_mm", "rutting_mm", "rut"),
    "cracking_pct": ("cracking_pct", "cracking", "crack_pct"),
}


class IriError(RoadInfraError):
    """A band definition or a survey file that cannot be used."""


@dataclass(frozen=True)
class IriBands:
    """Condition bands: labels (en, vi) and the exclusive upper bound of each but the last."""

    labels_en: tuple[str, ...]
    labels_vi: tuple[str, ...]
    upper: tuple[float, ...]
    source: str

    def index(self, iri: float) -> int:
        if iri is None or math.isnan(iri) or iri < 0:
            raise IriError(f"IRI {iri!r} is not a non-negative number")
        for i, bound in enumerate(self.upper):
            if iri < bound:
                return i
        return len(self.upper)

    def label(self, iri: float, lang: str = "en") -> str:
        labels = self.labels_vi if lang == "vi" else self.labels_en
        return labels[self.index(iri)]


def iri_bands(profile: Profile | None = None, road_class: str | None = None) -> IriBands:
    """The profile's IRI bands, or those of one road class when the profile defines them."""
    profile = profile or load_profile()
    key = "pavement.iri_bands" if road_class is None else \
        f"pavement.iri_bands_by_class.{road_class}"
    section = profile.section(key)
    upper = tuple(float(v) for v in section["upper_m_per_km"])
    labels_en = tuple(section["labels_en"])
    labels_vi = tuple(section["labels_vi"])
    if len(labels_en) != len(upper) + 1 or len(labels_vi) != len(labels_en):
        raise IriError(f"{profile.path}: [{key}] needs one label more than upper bounds")
    if list(upper) != sorted(upper):
        raise IriError(f"{profile.path}: [{key}] upper_m_per_km must increase")
    return IriBands(labels_en, labels_vi, upper, str(section.get("source", "")))


def classify(values: Sequence[float], bands: IriBands) -> Counter:
    """Count IRI values per band label (English), in band order."""
    counts = Counter({label: 0 for label in bands.labels_en})
    for value in values:
        counts[bands.label(value)] += 1
    return counts


@dataclass(frozen=True)
class VehicleRow:
    """One checked survey-vehicle interval; chainage in metres as the schema stores it."""

    line: int
    route: str
    from_m: float
    to_m: float
    iri: float
    rut_mm: float | None
    cracking_pct: float | None

    @property
    def from_km(self) -> float:
        return self.from_m / 1000.0

    @property
    def to_km(self) -> float:
        return self.to_m / 1000.0

    def as_survey_row(self) -> dict:
        """Values for table ``pavement_survey`` (route code still to be resolved to route_id)."""
        return {"route_code": self.route, "from_m": self.from_m, "to_m": self.to_m,
                "method": "VEHICLE", "iri": self.iri, "rut_mm": self.rut_mm,
                "cracking_pct": self.cracking_pct}


def _pick(header: list[str], role: str) -> str | None:
    for name in COLUMN_ALIASES[role]:
        if name in header:
            return name
    return None


def read_vehicle_csv(path: str | Path, delimiter: str = ",",
                     progress: Callable[[float], None] | None = None,
                     is_cancelled: Callable[[], bool] | None = None) -> list[VehicleRow]:
    """Read and check a survey-vehicle CSV (:func:`vehicle_rows`).

    A header without commas but with semicolons switches to ``;`` and decimal commas."""
    table = read_table(path, delimiter=delimiter, what="survey-vehicle CSV")
    return vehicle_rows(table, progress=progress, is_cancelled=is_cancelled)


def vehicle_rows(table: Table, iri_column: str | None = None,
                 progress: Callable[[float], None] | None = None,
                 is_cancelled: Callable[[], bool] | None = None) -> list[VehicleRow]:
    """Check the rows of a survey table (read from a file, or a layer's features as text:
    the one entry point of ``pavement iri`` and ``roadinfra:classify_iri``); raise
    RowErrorsError listing every bad row (values out of range, an end not after its start,
    intervals overlapping on a route). ``iri_column``: the IRI column when not one of
    :data:`COLUMN_ALIASES`."""
    path, delimiter = table.path, table.delimiter
    header = [h.lower() for h in table.header]
    cols = {role: _pick(header, role) for role in COLUMN_ALIASES}
    if iri_column:
        if iri_column.lower() not in header:
            raise IriError(f"{path}: row 1 (header): no IRI column {iri_column!r}")
        cols["iri"] = iri_column.lower()
    missing = [COLUMN_ALIASES[r][0] for r in ("route", "from", "to", "iri") if cols[r] is None]
    if missing:
        raise IriError(f"{path}: row 1 (header): missing column(s) {missing}")
    if cols["from"].endswith("_m") != cols["to"].endswith("_m"):
        raise IriError(f"{path}: row 1 (header): columns {cols['from']!r} and {cols['to']!r} "
                       "mix metres and kilometres; use from_m/to_m or from_km/to_km")
    scale = 1.0 if cols["from"].endswith("_m") else 1000.0
    index = {name: i for i, name in enumerate(header)}
    errors: list[RowError] = []
    rows: list[VehicleRow] = []
    lines = table.rows[-1][0] if table.rows else 1

    def number(raw: list[str], line: int, role: str, low: float, high: float,
               required: bool) -> float | None:
        name = cols[role]
        if name is None:
            return None
        value = raw[index[name]].strip() if index[name] < len(raw) else ""
        if value == "":
            if required:
                errors.append(RowError(str(path), line, name, "empty"))
            return None
        try:
            number_ = float(value.replace(",", ".")) if delimiter != "," else float(value)
        except ValueError:
            errors.append(RowError(str(path), line, name, f"{value!r} is not a number"))
            return None
        if math.isnan(number_) or not low <= number_ <= high:
            errors.append(RowError(str(path), line, name,
                                   f"{number_:g} is outside {low:g}..{high:g}"))
            return None
        return number_

    for line, raw in table.rows:
        if is_cancelled and is_cancelled():
            raise Cancelled("IRI classification cancelled")
        before = len(errors)
        route = raw[index[cols["route"]]].strip() if index[cols["route"]] < len(raw) else ""
        if not route:
            errors.append(RowError(str(path), line, cols["route"], "empty route"))
        start = number(raw, line, "from", 0.0, MAX_CHAINAGE_M / scale, True)
        end = number(raw, line, "to", 0.0, MAX_CHAINAGE_M / scale, True)
        iri = number(raw, line, "iri", 0.0, IRI_MAX, True)
        rut = number(raw, line, "rut_mm", 0.0, RUT_MAX_MM, False)
        crack = number(raw, line, "cracking_pct", 0.0, 100.0, False)
        if start is not None and end is not None and end <= start:
            errors.append(RowError(str(path), line, cols["to"],
                                   f"end chainage {end:g} is not after start {start:g}"))
        if len(errors) == before:
            rows.append(VehicleRow(line, route, start * scale, end * scale, iri, rut, crack))
        if progress and line % 500 == 0:
            progress(min(99.0, 100.0 * line / lines))
    errors.extend(_overlaps(rows, str(path), cols["from"]))
    if errors:
        raise RowErrorsError(sorted(errors, key=lambda e: e.row))
    if not rows:
        raise IriError(f"{path}: no survey rows after the header")
    if progress:
        progress(100.0)
    return rows


def _overlaps(rows: Sequence[VehicleRow], source: str, field: str) -> list[RowError]:
    """Rows whose interval overlaps an earlier-starting one on the same route (a survey
    measures each metre once; an overlap would count it twice in lengths and means)."""
    errors = []
    by_route: dict[str, list[VehicleRow]] = {}
    for row in rows:
        by_route.setdefault(row.route, []).append(row)
    for route, group in by_route.items():
        group.sort(key=lambda r: (r.from_m, r.line))
        reach = group[0]
        for row in group[1:]:
            if row.from_m < reach.to_m:
                errors.append(RowError(source, row.line, field, (
                    f"interval {row.from_m:g}-{row.to_m:g} m of route {route!r} overlaps "
                    f"{reach.from_m:g}-{reach.to_m:g} m on row {reach.line}")))
            if row.to_m > reach.to_m:
                reach = row
    return errors


@dataclass(frozen=True)
class IriSummary:
    """Classified survey rows, the count per band and the length-weighted mean IRI."""

    rows: tuple[VehicleRow, ...]
    labels: tuple[str, ...]
    labels_vi: tuple[str, ...]
    counts: dict
    length_m: dict
    mean_iri: float
    bands: IriBands

    def as_dict(self) -> dict:
        return {
            "bands_source": self.bands.source,
            "counts": self.counts,
            "length_m": {k: round(v, 1) for k, v in self.length_m.items()},
            "mean_iri": round(self.mean_iri, 3),
            "rows": [{**r.as_survey_row(), "line": r.line, "class": en, "class_vi": vi}
                     for r, en, vi in zip(self.rows, self.labels, self.labels_vi)],
        }


def classify_survey(rows: Sequence[VehicleRow], profile: Profile | None = None,
                    road_class: str | None = None) -> IriSummary:
    """Band of every row, counts and lengths per band, length-weighted mean IRI."""
    bands = iri_bands(profile, road_class)
    labels = tuple(bands.label(r.iri) for r in rows)
    labels_vi = tuple(bands.label(r.iri, "vi") for r in rows)
    counts = {label: labels.count(label) for label in bands.labels_en}
    length = {label: 0.0 for label in bands.labels_en}
    for row, label in zip(rows, labels):
        length[label] += row.to_m - row.from_m
    total = sum(length.values())
    mean = sum(r.iri * (r.to_m - r.from_m) for r in rows) / total if total else float("nan")
    return IriSummary(tuple(rows), labels, labels_vi, counts, length, mean, bands)


def section_iri(rows: Sequence[VehicleRow], route: str, from_m: float, to_m: float) -> float | None:
    """IRI of a pavement section: mean of the survey rows on ``route``, weighted by their
    overlap with [from_m, to_m]; None when no row overlaps."""
    if to_m <= from_m:
        raise IriError(f"section end {to_m:g} m is not after its start {from_m:g} m")
    weighted = total = 0.0
    for row in rows:
        if row.route != route:
            continue
        overlap = min(to_m, row.to_m) - max(from_m, row.from_m)
        if overlap > 0:
            weighted += row.iri * overlap
            total += overlap
    return weighted / total if total else None
