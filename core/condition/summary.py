"""Condition summary of a route or a district: the numbers behind the condition panel, the
printed map and ``roadinfra condition summary``.

Pavement: sections counted and measured by the PCI class and the IRI band of their latest
survey (bands from the profile). Structures: bridges and culverts counted by the condition
class of their latest rated inspection, with the list of "poor" ones. Loads: weighing
records and the overloaded share per load-control station. Tombstoned rows never count.
:func:`condition_summary` returns a :class:`ConditionSummary`; every face shows it through
:func:`summary_rows` (the table rows, in Vietnamese or English) and :meth:`ConditionSummary.as_dict`
(JSON).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from typing import Any, Callable, Dict, Iterable, List, Mapping, Tuple

from ..errors import Cancelled, RoadInfraError
from ..labels import Label
from ..profile import Profile
from ..schema import CODELISTS
from .iri import iri_bands
from .pci import pci_rating
from .rating_schemes import RatingScheme, load_scheme

# Condition classes of structures (rating_schemes.RatingScheme.condition_class) and of
# structures never inspected, with their labels.
STRUCTURE_CLASSES = ("good", "fair", "poor")
STRUCTURE_CLASS_LABELS = {
    "good": Label("Tốt", "Good"), "fair": Label("Trung bình", "Fair"),
    "poor": Label("Kém", "Poor"), "none": Label("Chưa kiểm tra", "Not inspected"),
}


class SummaryError(RoadInfraError):
    """The route or district asked for does not exist."""


@cache
def rating_scheme(name: str) -> RatingScheme | None:
    """A rating scheme of the schema's ``rating_scheme`` code list (None if unknown)."""
    if name not in CODELISTS["rating_scheme"].codes:
        return None
    return load_scheme(name)


def structure_class(scheme: str | None, rating: float | None,
                    deficient: bool | None = None) -> str | None:
    """'good', 'fair' or 'poor' for an overall rating (None when unrated or unknown scheme).

    The class comes from the rating scheme's data (core/data/rating_schemes/*.toml); an
    inspection flagged structurally deficient is "poor" whatever its rating.
    """
    found = rating_scheme(scheme) if scheme else None
    if rating is None or found is None:
        return None
    if deficient:
        return "poor"
    return found.condition_class(int(rating))


def iri_band_index(iri: float, profile: Profile) -> int:
    """Band of an IRI value (0 = best) from the profile (exclusive upper bounds)."""
    return iri_bands(profile).index(iri)


def _latest(rows: Iterable[Mapping[str, Any]], date_field: str, value_field: str):
    """Row with the latest date among rows whose ``value_field`` is set (None if none)."""
    rated = [r for r in rows if r.get(value_field) is not None and r.get(date_field)]
    return max(rated, key=lambda r: str(r[date_field])) if rated else None


def _group_by(rows: Iterable[Mapping[str, Any]], key: str) -> Dict[Any, List[Mapping]]:
    groups: Dict[Any, List[Mapping]] = {}
    for row in rows:
        groups.setdefault(row.get(key), []).append(row)
    return groups


def _in_scope(row: Mapping[str, Any], route_id: str | None,
              district_code: str | None) -> bool:
    if route_id is not None and row.get("route_id") != route_id:
        return False
    return district_code is None or row.get("district_code") == district_code


@dataclass
class Tally:
    """Sections (or structures) in one class and their length."""

    label: Label
    count: int = 0
    length_m: float = 0.0


@dataclass(frozen=True)
class PavementSummary:
    sections: int
    length_m: float
    pci_classes: Tuple[Tally, ...]
    iri_bands: Tuple[Tally, ...]
    not_surveyed_pci: Tally
    not_surveyed_iri: Tally
    mean_pci: float | None
    mean_iri: float | None
    pci_source: str
    iri_source: str


@dataclass(frozen=True)
class PoorStructure:
    id: str
    code: str | None
    name: str | None
    scheme: str | None
    overall_rating: float
    structurally_deficient: bool
    inspection_date: str
    load_posting_t: float | None


@dataclass(frozen=True)
class StructureSummary:
    count: int
    by_condition: Dict[str, int]  # STRUCTURE_CLASSES + "none"
    poor: Tuple[PoorStructure, ...]


@dataclass(frozen=True)
class StationLoad:
    id: str
    code: str | None
    name: str | None
    records: int
    overloaded: int
    overloaded_share_pct: float | None


@dataclass(frozen=True)
class LoadSummary:
    stations: Tuple[StationLoad, ...]
    records: int
    overloaded: int
    overloaded_share_pct: float | None


@dataclass(frozen=True)
class Scope:
    """What is summarised: the whole network, a route, a district or both."""

    route_id: str | None = None
    district_code: str | None = None
    route_code: str | None = None
    route_name: str | None = None
    district_name: Label | None = None

    def heading(self, lang: str) -> str:
        if self.route_id is not None:
            return f"{self.route_code} – {self.route_name or ''}"
        if self.district_name is not None:
            return self.district_name.text(lang)
        return TEXTS["whole_network"].text(lang)


@dataclass(frozen=True)
class ConditionSummary:
    scope: Scope
    pavement: PavementSummary
    bridges: StructureSummary
    culverts: StructureSummary
    loads: LoadSummary

    def as_dict(self) -> Dict[str, Any]:
        """JSON-ready dict (``summary.json``, ``--json``): labels as ``label_vi``/``label_en``."""
        def tally(t: Tally) -> Dict[str, Any]:
            return {"label_vi": t.label.vi, "label_en": t.label.en, "count": t.count,
                    "length_m": t.length_m}

        def count(t: Tally) -> Dict[str, Any]:
            return {"count": t.count, "length_m": t.length_m}

        p = self.pavement
        scope = {"route_id": self.scope.route_id, "district_code": self.scope.district_code}
        if self.scope.route_id is not None:
            scope.update(route_code=self.scope.route_code, route_name=self.scope.route_name)
        if self.scope.district_name is not None:
            scope.update(district_name_vi=self.scope.district_name.vi,
                         district_name_en=self.scope.district_name.en)
        return {
            "scope": scope,
            "pavement": {
                "sections": p.sections, "length_m": p.length_m,
                "pci_classes": [tally(t) for t in p.pci_classes],
                "iri_bands": [tally(t) for t in p.iri_bands],
                "not_surveyed": {"pci": count(p.not_surveyed_pci),
                                 "iri": count(p.not_surveyed_iri)},
                "mean_pci": p.mean_pci, "mean_iri": p.mean_iri,
                "pci_source": p.pci_source, "iri_source": p.iri_source,
            },
            "bridges": _structures_dict(self.bridges),
            "culverts": _structures_dict(self.culverts),
            "loads": {"stations": [asdict(s) for s in self.loads.stations],
                      "records": self.loads.records, "overloaded": self.loads.overloaded,
                      "overloaded_share_pct": self.loads.overloaded_share_pct},
        }


def _structures_dict(part: StructureSummary) -> Dict[str, Any]:
    return {"count": part.count, "by_condition": dict(part.by_condition),
            "poor": [asdict(p) for p in part.poor]}


def _pavement(db, profile: Profile, route_id, district_code) -> PavementSummary:
    sections = [s for s in db.fetch("pavement_section") if _in_scope(s, route_id, district_code)]
    surveys = _group_by(db.fetch("pavement_survey"), "section_id")
    bands = {"pci": profile.section("pavement.pci_bands"),
             "iri": profile.section("pavement.iri_bands")}
    classes = {key: tuple(Tally(Label(vi, en)) for vi, en in zip(band["labels_vi"],
                                                                 band["labels_en"]))
               for key, band in bands.items()}
    missing = {key: Tally(TEXTS["not_surveyed"]) for key in bands}
    band_of = {
        "pci": lambda v: bands["pci"]["labels_en"].index(pci_rating(v, profile, "en")),
        "iri": lambda v: iri_band_index(v, profile),
    }
    weighted = {"pci": 0.0, "iri": 0.0}
    measured = {"pci": 0.0, "iri": 0.0}
    total = 0.0
    for section in sections:
        length = float(section["to_m"]) - float(section["from_m"])
        total += length
        rows = surveys.get(section["id"], [])
        for key in bands:
            latest = _latest(rows, "survey_date", key)
            if latest is None:
                tally = missing[key]
            else:
                value = float(latest[key])
                tally = classes[key][band_of[key](value)]
                weighted[key] += value * length
                measured[key] += length
            tally.count += 1
            tally.length_m += length
    return PavementSummary(
        sections=len(sections), length_m=round(total, 1),
        pci_classes=classes["pci"], iri_bands=classes["iri"],
        not_surveyed_pci=missing["pci"], not_surveyed_iri=missing["iri"],
        mean_pci=round(weighted["pci"] / measured["pci"], 1) if measured["pci"] else None,
        mean_iri=round(weighted["iri"] / measured["iri"], 2) if measured["iri"] else None,
        pci_source=bands["pci"].get("source", ""), iri_source=bands["iri"].get("source", ""))


def _structures(db, table: str, inspections: Dict[Any, List[Mapping]],
                route_id, district_code) -> StructureSummary:
    assets = [a for a in db.fetch(table) if _in_scope(a, route_id, district_code)]
    counts = {key: 0 for key in STRUCTURE_CLASSES + ("none",)}
    poor = []
    for asset in sorted(assets, key=lambda a: str(a.get("code"))):
        latest = _latest(inspections.get(asset["id"], []), "inspection_date", "overall_rating")
        cls = None
        if latest is not None:
            cls = structure_class(latest.get("scheme"), latest["overall_rating"],
                                  latest.get("structurally_deficient"))
        counts[cls or "none"] += 1
        if cls == "poor":
            poor.append(PoorStructure(
                id=asset["id"], code=asset.get("code"), name=asset.get("name"),
                scheme=latest.get("scheme"), overall_rating=latest["overall_rating"],
                structurally_deficient=bool(latest.get("structurally_deficient")),
                inspection_date=str(latest["inspection_date"]),
                load_posting_t=latest.get("load_posting_t")))
    return StructureSummary(len(assets), counts, tuple(poor))


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _loads(db, route_id, district_code) -> LoadSummary:
    stations = [s for s in db.fetch("load_station") if _in_scope(s, route_id, district_code)]
    result = []
    total = overloaded = known = 0
    for station in sorted(stations, key=lambda s: str(s.get("code"))):
        records = db.fetch("weighing_record", where={"station_id": station["id"]})
        flagged = [r for r in records if r.get("overloaded") is not None]
        over = sum(1 for r in flagged if r["overloaded"])
        result.append(StationLoad(station["id"], station.get("code"), station.get("name"),
                                  len(records), over, _share(over, len(flagged))))
        total += len(records)
        overloaded += over
        known += len(flagged)
    return LoadSummary(tuple(result), total, overloaded, _share(overloaded, known))


def _scope(db, profile: Profile, route_id, district_code) -> Scope:
    route_code = route_name = district_name = None
    if route_id is not None:
        routes = [r for r in db.fetch("route") if r["id"] == route_id]
        if not routes:
            raise SummaryError(f"route: no route with id {route_id!r} in the database")
        route_code, route_name = routes[0].get("code"), routes[0].get("name")
    if district_code is not None:
        if district_code not in profile.district_codes:
            raise SummaryError(f"district_code: {district_code!r} is not a district of profile "
                               f"'{profile.id}' ({', '.join(profile.district_codes)})")
        district_name = Label(profile.district_name(district_code, "vi"),
                              profile.district_name(district_code, "en"))
    return Scope(route_id, district_code, route_code, route_name, district_name)


def condition_summary(db, route_id: str | None = None, district_code: str | None = None,
                      progress: Callable[[float], None] | None = None,
                      is_cancelled: Callable[[], bool] | None = None) -> ConditionSummary:
    """Pavement, structure and load condition in a route and/or district.

    ``db`` is an open RoadInfra database (``roadinfra.core.db.open_database``); with neither
    ``route_id`` nor ``district_code`` the whole network is summarised. Raises
    :class:`SummaryError` for an unknown route or district, ``Cancelled`` when cancelled.
    """
    profile = db.profile
    scope = _scope(db, profile, route_id, district_code)
    all_inspections = db.fetch("inspection")
    inspections = {fk: _group_by(all_inspections, fk) for fk in ("bridge_id", "culvert_id")}
    steps = (
        ("pavement", lambda: _pavement(db, profile, route_id, district_code)),
        ("bridges", lambda: _structures(db, "bridge", inspections["bridge_id"],
                                        route_id, district_code)),
        ("culverts", lambda: _structures(db, "culvert", inspections["culvert_id"],
                                         route_id, district_code)),
        ("loads", lambda: _loads(db, route_id, district_code)),
    )
    parts: Dict[str, Any] = {}
    for number, (key, step) in enumerate(steps):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled("condition summary cancelled")
        parts[key] = step()
        if progress is not None:
            progress(100.0 * (number + 1) / len(steps))
    return ConditionSummary(scope, **parts)


# ------------------------------------------------------------------------------ table rows
#: Fixed texts of the summary table.
TEXTS = {
    "whole_network": Label("Toàn mạng lưới", "Whole network"),
    "pci_header": Label("Tình trạng mặt đường (PCI)", "Pavement condition (PCI)"),
    "iri_header": Label("Độ gồ ghề (IRI, m/km)", "Roughness (IRI, m/km)"),
    "km": Label("km", "km"),
    "sections": Label("Số đoạn", "Sections"),
    "not_surveyed": Label("Chưa khảo sát", "Not surveyed"),
    "total": Label("Tổng cộng", "Total"),
    "structures": Label("Công trình (kiểm tra gần nhất)", "Structures (latest inspection)"),
    "bridges": Label("Cầu", "Bridges"),
    "culverts": Label("Cống", "Culverts"),
    "stations": Label("Trạm kiểm tra tải trọng xe", "Load-control stations"),
    "vehicles": Label("Số xe", "Vehicles"),
    "overloaded": Label("Quá tải", "Overloaded"),
    "overloaded_share": Label("Tỷ lệ xe quá tải (trạm cân)", "Overloaded share (weigh stations)"),
}
#: Table sections in order; a face may show some of them only.
SECTIONS = ("pci", "iri", "structures", "stations", "overloaded")


@dataclass(frozen=True)
class SummaryRow:
    """One row of the summary table: ``kind`` is ``header``, ``class`` (``key``: the class
    index, ``none`` or the structure class), ``station``, ``total`` or ``share``."""

    section: str
    kind: str
    key: str
    cells: Tuple[str, ...]


def _km(metres: float) -> str:
    return f"{metres / 1000.0:.2f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} %"


def summary_rows(summary: ConditionSummary, lang: str,
                 sections: Tuple[str, ...] = SECTIONS) -> List[SummaryRow]:
    """The rows of the condition summary table in ``lang`` (``vi`` or ``en``), by section."""
    t = {key: label.text(lang) for key, label in TEXTS.items()}
    pav = summary.pavement
    rows: List[SummaryRow] = []
    for section, classes, missing in (("pci", pav.pci_classes, pav.not_surveyed_pci),
                                      ("iri", pav.iri_bands, pav.not_surveyed_iri)):
        if section not in sections:
            continue
        rows.append(SummaryRow(section, "header", "",
                               (t[f"{section}_header"], t["km"], t["sections"])))
        for index, tally in enumerate(classes + (missing,)):
            key = "none" if tally is missing else str(index)
            rows.append(SummaryRow(section, "class", key, (
                tally.label.text(lang), _km(tally.length_m), str(tally.count))))
        rows.append(SummaryRow(section, "total", "", (t["total"], _km(pav.length_m),
                                                      str(pav.sections))))
    if "structures" in sections:
        rows.append(SummaryRow("structures", "header", "",
                               (t["structures"], t["bridges"], t["culverts"])))
        for key, label in STRUCTURE_CLASS_LABELS.items():
            rows.append(SummaryRow("structures", "class", key, (
                label.text(lang), str(summary.bridges.by_condition[key]),
                str(summary.culverts.by_condition[key]))))
    loads = summary.loads
    if "stations" in sections and loads.stations:
        rows.append(SummaryRow("stations", "header", "",
                               (t["stations"], t["vehicles"], t["overloaded"])))
        for station in loads.stations:
            rows.append(SummaryRow("stations", "station", str(station.code), (
                str(station.code), str(station.records),
                _pct(station.overloaded_share_pct))))
    if "overloaded" in sections:
        rows.append(SummaryRow("overloaded", "share", "", (
            t["overloaded_share"], _pct(loads.overloaded_share_pct), "")))
    return rows


def route_id(db, route: str) -> str:
    """The id of the route whose code (or id) is ``route``; SummaryError naming it if none."""
    for row in db.fetch("route"):
        if route in (row.get("code"), row["id"]):
            return row["id"]
    raise SummaryError(f"route: no route with code or id {route!r} in the database")
