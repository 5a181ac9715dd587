"""SYNTHETIC pavement sections, condition surveys and ASTM D6433 distress records.

Condition follows age since the last works: a section's distress intensity grows with
age, traffic class and surface type; the distresses are drawn from it, and PCI is then
computed from those distresses with the project's ASTM D6433 implementation
(roadinfra.core.condition.pci), so PCI and distress records always agree.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Dict, List, Sequence, Tuple

import numpy as np
from roadinfra.core.condition.pci import Distress, pci_rating, sample_unit_pci, section_pci

from .network import Route, district_of
from .records import stable_id

CAMPAIGNS = (2021, 2023, 2025)          # provincial survey campaigns (synthetic)
SURVEYORS = ("Nguyễn Văn Hùng", "Trần Thị Lan", "Phạm Minh Đức", "Lê Quang Huy",
             "Vũ Thị Hạnh", "Đỗ Văn Thắng")
WIDTH_M = {"QL": (11.0, 12.0), "DT": (7.0, 9.0), "DH": (5.5, 6.5)}
LANES = {"QL": 2, "DT": 2, "DH": 1}
SURFACES = {"QL": ("AC",), "DT": ("AC", "AC", "BST"), "DH": ("BST", "MAC", "AC")}
WORKS = {"AC": "Tăng cường bê tông nhựa", "BST": "Láng nhựa 2 lớp", "MAC": "Thấm nhập nhựa"}
# Years to reach full distress intensity, by route class (heavier traffic wears faster).
LIFE_YEARS = {"QL": 18.0, "DT": 22.0, "DH": 25.0}
SURFACE_FACTOR = {"AC": 1.0, "BST": 1.35, "MAC": 1.2}


def section_rows(routes: Sequence[Route], districts, rng) -> List[Dict]:
    """Sections of 0.6-3.5 km covering each route end to end, numbered per district."""
    rows = []
    numbers: Dict[str, int] = defaultdict(int)
    for r in routes:
        cls = r.spec.route_class
        cuts = [r.start_m]
        while r.end_m - cuts[-1] > 3500.0:
            cuts.append(round(cuts[-1] + float(rng.uniform(600.0, 3200.0)), -1))
        cuts.append(r.end_m)
        built = int(rng.integers(1994, 2008))
        for from_m, to_m in zip(cuts[:-1], cuts[1:]):
            geom = r.chainage.segment(from_m, to_m)
            district = district_of(geom.interpolate(0.5, normalized=True), districts)
            numbers[district] += 1
            code = f"PS-{district}-{numbers[district]:03d}"
            surface = str(rng.choice(SURFACES[cls]))
            lo, hi = WIDTH_M[cls]
            last_works = int(rng.integers(2012, 2025))
            rows.append({
                "id": stable_id("pavement_section", code), "code": code,
                "district_code": district, "route_id": r.id,
                "from_m": round(from_m, 1), "to_m": round(to_m, 1), "carriageway": "both",
                "surface_type": surface, "width_m": round(float(rng.uniform(lo, hi)) * 2) / 2,
                "lanes": LANES[cls], "construction_year": built + int(rng.integers(-3, 4)),
                "last_works_year": last_works, "last_works_type": WORKS[surface],
                "geom": geom, "_class": cls,
            })
    return rows


def _works_year_before(section: Dict, year: int, rng) -> int:
    last = section["last_works_year"]
    if last <= year:
        return last
    return max(section["construction_year"], last - int(rng.integers(8, 13)))


def _unit_distresses(intensity: float, surface: str, area: float, rng) -> List[Distress]:
    """Distresses of one sample unit for a distress intensity 0 (new) .. 1 (failed)."""
    s = float(np.clip(intensity * rng.lognormal(0.0, 0.25), 0.0, 1.0))
    sev = "L" if s < 0.35 else ("M" if s < 0.7 else "H")
    out = []
    length = area / 7.0                  # unit about 7 m wide (lane pair)
    if rng.random() < 0.35 + 0.6 * s:
        out.append(Distress(10, sev, round(length * (0.2 + 2.5 * s) * rng.uniform(0.5, 1.2), 1)))
    if rng.random() < s ** 1.3:
        out.append(Distress(1, sev, round(area * 0.3 * s * s * rng.uniform(0.3, 1.0), 1)))
    if surface != "AC" and rng.random() < 0.6:
        out.append(Distress(19, "L" if s < 0.5 else "M", round(area * rng.uniform(0.05, 0.4), 1)))
    if rng.random() < 0.8 * s:
        out.append(Distress(11, sev, round(area * 0.08 * s * rng.uniform(0.3, 1.0), 1)))
    if rng.random() < s ** 2:
        out.append(Distress(13, sev, float(rng.integers(1, 5))))
    if rng.random() < 0.4 * s:
        out.append(Distress(15, sev, round(area * 0.15 * s * rng.uniform(0.3, 1.0), 1)))
    if rng.random() < 0.3 * s:
        out.append(Distress(7, sev, round(length * 0.3 * rng.uniform(0.2, 1.0), 1)))
    return [d for d in out if d.quantity > 0]


def survey_rows(sections: Sequence[Dict], rng) -> Tuple[List[Dict], List[Dict]]:
    """pavement_survey rows (a VISUAL and a VEHICLE survey per campaign) and distresses."""
    surveys, distresses = [], []
    for sec in sections:
        cls, surface = sec["_class"], sec["surface_type"]
        for year in CAMPAIGNS:
            if year == 2021 and rng.random() < 0.5:
                continue                  # the 2021 campaign covered about half the network
            age = year - _works_year_before(sec, year, rng)
            intensity = min(1.0, max(0.0, age) * SURFACE_FACTOR[surface] / LIFE_YEARS[cls])
            day = date(year, int(rng.integers(3, 6)), int(rng.integers(1, 29)))
            base = {"district_code": sec["district_code"], "section_id": sec["id"],
                    "route_id": sec["route_id"], "from_m": sec["from_m"], "to_m": sec["to_m"],
                    "survey_date": day.isoformat(), "surveyor": str(rng.choice(SURVEYORS))}
            visual_id = stable_id("pavement_survey", f"{sec['code']}/{year}/VISUAL")
            unit_len = round(230.0 / sec["width_m"], 1)
            n_units = int(np.clip(round((sec["to_m"] - sec["from_m"]) / 500.0), 2, 6))
            results, cracked = [], 0.0
            for k in range(n_units):
                area = round(unit_len * sec["width_m"], 1)
                unit = _unit_distresses(intensity, surface, area, rng)
                result = sample_unit_pci(unit, area)
                results.append((result.pci, area))
                cracked += sum(d.quantity for d in unit if d.code in (1, 3)) / area
                for d in unit:
                    distresses.append({
                        "id": stable_id("pavement_distress", f"{visual_id}/{k}/{d.code}"),
                        "district_code": sec["district_code"], "survey_id": visual_id,
                        "sample_unit": f"SU-{k + 1:02d}", "unit_area_m2": area,
                        "distress_code": d.code, "severity": d.severity,
                        "quantity": d.quantity,
                    })
            pci = round(section_pci(results), 1)
            surveys.append({**base, "id": visual_id, "method": "VISUAL", "pci": pci,
                            "pci_rating": pci_rating(pci), "iri": None, "rut_mm": None,
                            "cracking_pct": round(100.0 * cracked / n_units, 1)})
            rough = {"QL": 0.16, "DT": 0.19, "DH": 0.22}[cls] * SURFACE_FACTOR[surface]
            iri = 1.4 + rough * max(0, age) + rng.normal(0.0, 0.25)
            rut = (2.0 + {"QL": 1.1, "DT": 0.6, "DH": 0.4}[cls] * max(0, age)
                   + rng.normal(0.0, 1.0))
            surveys.append({**base, "id": stable_id("pavement_survey",
                                                    f"{sec['code']}/{year}/VEHICLE"),
                            "method": "VEHICLE", "pci": None, "pci_rating": None,
                            "iri": round(max(1.0, iri), 2), "rut_mm": round(max(0.5, rut), 1),
                            "cracking_pct": None})
    return surveys, distresses
