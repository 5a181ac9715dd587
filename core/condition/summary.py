"""Condition summary of a route or a district: the numbers behind the QGIS condition panel.

Pavement: sections counted and measured by the PCI class and the IRI band of their latest
survey (bands from the profile). Structures: bridges and culverts counted by the condition
class of their latest rated inspection, with the list of "poor" ones. Loads: weighing
records and the overloaded share per load-control station. Tombstoned rows never count.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Callable, Dict, Iterable, List, Mapping, Sequence

from ..errors import RoadInfraError
from ..profile import Profile
from ..schema import CODELISTS
from .iri import iri_bands
from .pci import pci_rating
from .rating_schemes import RatingScheme, load_scheme

# Condition classes of structures (rating_schemes.RatingScheme.condition_class) and of
# structures never inspected, with their labels.
STRUCTURE_CLASSES = ("good", "fair", "poor")
STRUCTURE_CLASS_LABELS = {
    "good": ("Tốt", "Good"), "fair": ("Trung bình", "Fair"), "poor": ("Kém", "Poor"),
    "none": ("Chưa kiểm tra", "Not inspected"),
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


def _classes(labels_vi: Sequence[str], labels_en: Sequence[str]) -> List[Dict[str, Any]]:
    return [{"label_vi": vi, "label_en": en, "count": 0, "length_m": 0.0}
            for vi, en in zip(labels_vi, labels_en)]


def _pavement(db, profile: Profile, route_id, district_code) -> Dict[str, Any]:
    sections = [s for s in db.fetch("pavement_section") if _in_scope(s, route_id, district_code)]
    surveys = _group_by(db.fetch("pavement_survey"), "section_id")
    pci_bands = profile.section("pavement.pci_bands")
    iri_bands = profile.section("pavement.iri_bands")
    pci = _classes(pci_bands["labels_vi"], pci_bands["labels_en"])
    iri = _classes(iri_bands["labels_vi"], iri_bands["labels_en"])
    missing = {"pci": {"count": 0, "length_m": 0.0}, "iri": {"count": 0, "length_m": 0.0}}
    band_of = {
        "pci": lambda v: pci_bands["labels_en"].index(pci_rating(v, profile, "en")),
        "iri": lambda v: iri_band_index(v, profile),
    }
    classes = {"pci": pci, "iri": iri}
    weighted = {"pci": 0.0, "iri": 0.0}
    measured = {"pci": 0.0, "iri": 0.0}
    total = 0.0
    for section in sections:
        length = float(section["to_m"]) - float(section["from_m"])
        total += length
        rows = surveys.get(section["id"], [])
        for key in ("pci", "iri"):
            latest = _latest(rows, "survey_date", key)
            if latest is None:
                tally = missing[key]
            else:
                value = float(latest[key])
                tally = classes[key][band_of[key](value)]
                weighted[key] += value * length
                measured[key] += length
            tally["count"] += 1
            tally["length_m"] += length
    return {
        "sections": len(sections),
        "length_m": round(total, 1),
        "pci_classes": pci,
        "iri_bands": iri,
        "not_surveyed": missing,
        "mean_pci": round(weighted["pci"] / measured["pci"], 1) if measured["pci"] else None,
        "mean_iri": round(weighted["iri"] / measured["iri"], 2) if measured["iri"] else None,
        "pci_source": pci_bands.get("source", ""),
        "iri_source": iri_bands.get("source", ""),
    }


def _structures(db, table: str, inspections: Dict[Any, List[Mapping]],
                route_id, district_code) -> Dict[str, Any]:
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
            poor.append({
                "id": asset["id"], "code": asset.get("code"), "name": asset.get("name"),
                "scheme": latest.get("scheme"), "overall_rating": latest["overall_rating"],
                "structurally_deficient": bool(latest.get("structurally_deficient")),
                "inspection_date": str(latest["inspection_date"]),
                "load_posting_t": latest.get("load_posting_t"),
            })
    return {"count": len(assets), "by_condition": counts, "poor": poor}


def _loads(db, route_id, district_code) -> Dict[str, Any]:
    stations = [s for s in db.fetch("load_station") if _in_scope(s, route_id, district_code)]
    result = []
    total = overloaded = known = 0
    for station in sorted(stations, key=lambda s: str(s.get("code"))):
        records = db.fetch("weighing_record", where={"station_id": station["id"]})
        flagged = [r for r in records if r.get("overloaded") is not None]
        over = sum(1 for r in flagged if r["overloaded"])
        result.append({
            "id": station["id"], "code": station.get("code"), "name": station.get("name"),
            "records": len(records), "overloaded": over,
            "overloaded_share_pct": round(100.0 * over / len(flagged), 1) if flagged else None,
        })
        total += len(records)
        overloaded += over
        known += len(flagged)
    return {
        "stations": result, "records": total, "overloaded": overloaded,
        "overloaded_share_pct": round(100.0 * overloaded / known, 1) if known else None,
    }


def condition_summary(db, route_id: str | None = None, district_code: str | None = None,
                      progress: Callable[[float], None] | None = None,
                      is_cancelled: Callable[[], bool] | None = None) -> Dict[str, Any]:
    """Summary dict of the pavement, structure and load condition in a route and/or district.

    ``db`` is an open RoadInfra database (``roadinfra.core.db.open_database``); with neither
    ``route_id`` nor ``district_code`` the whole network is summarised.
    """
    profile = db.profile
    scope: Dict[str, Any] = {"route_id": route_id, "district_code": district_code}
    if route_id is not None:
        routes = [r for r in db.fetch("route") if r["id"] == route_id]
        if not routes:
            raise SummaryError(f"route: no route with id {route_id!r} in the database")
        scope.update(route_code=routes[0].get("code"), route_name=routes[0].get("name"))
    if district_code is not None:
        if district_code not in profile.district_codes:
            raise SummaryError(f"district_code: {district_code!r} is not a district of profile "
                               f"'{profile.id}' ({', '.join(profile.district_codes)})")
        scope.update(district_name_vi=profile.district_name(district_code, "vi"),
                     district_name_en=profile.district_name(district_code, "en"))
    steps = (
        ("pavement", lambda: _pavement(db, profile, route_id, district_code)),
        ("bridges", lambda: _structures(db, "bridge", inspections["bridge_id"],
                                        route_id, district_code)),
        ("culverts", lambda: _structures(db, "culvert", inspections["culvert_id"],
                                         route_id, district_code)),
        ("loads", lambda: _loads(db, route_id, district_code)),
    )
    all_inspections = db.fetch("inspection")
    inspections = {fk: _group_by(all_inspections, fk) for fk in ("bridge_id", "culvert_id")}
    summary: Dict[str, Any] = {"scope": scope}
    for number, (key, step) in enumerate(steps):
        if is_cancelled is not None and is_cancelled():
            raise SummaryError("condition summary cancelled")
        summary[key] = step()
        if progress is not None:
            progress(100.0 * (number + 1) / len(steps))
    return summary
