"""SYNTHETIC bridges with inspection histories (NBI 0-9 component ratings) and culverts.

Cầu Tân Đệ (QL10, Red River) and Cầu Triều Dương (QL39, Luộc River) are real bridges,
placed at the ends of their routes where these cross the province boundary; Cầu Nguyễn
and Cầu Bo are real names placed approximately. Every attribute is synthetic.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Dict, List, Sequence, Tuple

import numpy as np

from .network import Route, district_of
from .pavement import SURVEYORS
from .records import stable_id

# (name, route, where: "start"/"end"/chainage fraction, crossing, crossing name, length m)
NAMED_BRIDGES = (
    ("Cầu Tân Đệ", "QL10", "end", "RIVER", "Sông Hồng", 1106.0),
    ("Cầu Triều Dương", "QL39", "start", "RIVER", "Sông Luộc", 604.0),
    ("Cầu Nguyễn", "QL10", 0.78, "RIVER", "Sông Trà Lý", 212.0),
    ("Cầu Bo", "DT458", 0.04, "RIVER", "Sông Trà Lý", 198.0),
)
PLACE_NAMES = (
    "Kìm", "Hiệp", "Sa Cát", "Vô Hối", "Thái Hà", "Tịnh Xuyên", "Đông Quan", "Trà Linh",
    "Thuyền Quang", "Kiến Giang", "Quang Bình", "Nam Cao", "Vũ Hội", "Minh Tân", "An Bài",
    "Phụ Dực", "Đồng Tu", "La Uyên", "Xuân Quang", "Hồng Lĩnh", "Tân Lập", "Bến Hiệp",
    "Cổ Rồng", "Phúc Khánh", "Đông La", "Thụy Hải", "Thái Phúc", "Nguyên Xá", "Bình Minh",
    "Vũ Lăng", "Hòa Bình", "Tây Sơn", "Đình Phùng", "Song Lãng", "Hiệp Hòa", "Quỳnh Giao",
    "Đông Các", "Mê Linh", "Thượng Hiền", "Chợ Gốc", "Đò Mới", "Sông Rút",
)
CANALS = ("Kênh Tân Đệ", "Kênh Sa Lung", "Kênh Cự Lâm", "Kênh Thống Nhất", "Kênh Kiến Giang",
          "Sông Diêm Hộ", "Sông Tiên Hưng", "Sông Kiến Giang", "Sông Hóa", "Sông Trà Lý")
COMPONENTS = ("deck", "superstructure", "substructure", "channel")
COMPONENT_VI = {"deck": "Mặt cầu", "superstructure": "Kết cấu nhịp",
                "substructure": "Mố trụ", "channel": "Lòng sông, kè"}


def _design_load(year: int) -> str:
    if year < 1985:
        return "H13"
    if year < 1995:
        return "H18"
    if year < 2013:
        return "H30"
    return "HL93"


def _structure(length: float, year: int, rng) -> Tuple[str, str, int]:
    if length < 20:
        return "RC_SLAB", "RC", 1
    if length < 60:
        return (("RC_BEAM", "RC") if year < 2000 else ("PSC_I", "PSC")) + (
            int(max(1, round(length / 18.0))),)
    if length > 800:
        return "PSC_BOX", "PSC", int(round(length / 55.0))
    kind = "STEEL_TRUSS" if year < 1980 else (
        "PSC_SUPER_T" if year > 2005 else "PSC_I")
    material = "STEEL" if kind == "STEEL_TRUSS" else "PSC"
    return kind, material, int(round(length / (38.0 if kind == "PSC_SUPER_T" else 33.0)))


def _positions(route: Route, count: int, taken: List[float], rng) -> List[float]:
    out = []
    for _ in range(200):
        if len(out) == count:
            break
        m = round(float(rng.uniform(route.start_m + 300.0, route.end_m - 300.0)), 0)
        if all(abs(m - t) > 400.0 for t in taken + out):
            out.append(m)
    return sorted(out)


def bridge_rows(routes: Sequence[Route], districts, rng, count: int = 44) -> List[Dict]:
    by_code = {r.spec.code: r for r in routes}
    specs = []
    for name, code, where, crossing, crossing_name, length in NAMED_BRIDGES:
        r = by_code[code]
        half = min(length / 2.0, 150.0)
        if where == "start":
            m = r.start_m + half
        elif where == "end":
            m = r.end_m - half
        else:
            m = r.start_m + where * (r.end_m - r.start_m)
        specs.append((name, r, round(m, 0), crossing, crossing_name, length))
    total = sum(r.line.length for r in routes)
    names = list(rng.permutation(PLACE_NAMES))
    for r in routes:
        n = int(round((count - len(NAMED_BRIDGES)) * r.line.length / total))
        taken = [s[2] for s in specs if s[1] is r]
        for m in _positions(r, n, taken, rng):
            canal = str(rng.choice(CANALS))
            crossing = "RIVER" if canal.startswith("Sông") else "CANAL"
            length = float(rng.uniform(40.0, 160.0) if crossing == "RIVER"
                           else rng.uniform(8.0, 42.0))
            specs.append((f"Cầu {names.pop()}", r, m, crossing, canal, round(length, 1)))
    rows = []
    numbers: Dict[str, int] = defaultdict(int)
    for name, r, m, crossing, crossing_name, length in specs:
        point = r.chainage.point(m)
        district = district_of(point, districts)
        numbers[district] += 1
        code = f"BR-{district}-{numbers[district]:03d}"
        year = int(rng.integers(1968, 2021))
        structure, material, spans = _structure(length, year, rng)
        load = _design_load(year)
        rows.append({
            "id": stable_id("bridge", code), "code": code, "district_code": district,
            "name": name, "route_id": r.id, "chainage_m": m, "spans": spans,
            "length_m": length,
            "width_m": round(float(rng.uniform(7.0, 12.5 if r.spec.route_class == "QL" else 9.0)),
                             1),
            "structure_type": structure, "material": material, "design_load": load,
            "year_built": year,
            "load_posting_t": float(rng.choice((10.0, 13.0, 18.0))) if load == "H13" else None,
            "crossing": crossing, "crossing_name": crossing_name, "geom": point,
        })
    return rows


def inspection_rows(bridges: Sequence[Dict], rng) -> Tuple[List[Dict], List[Dict]]:
    """2-4 inspections per bridge (2016-2025), NBI 0-9 ratings declining with age."""
    inspections, ratings = [], []
    for br in bridges:
        years = sorted(rng.choice(np.arange(2016, 2026), size=int(rng.integers(2, 5)),
                                  replace=False).tolist())
        # Condition at build time and decline per decade, per component.
        start = {c: float(rng.uniform(7.6, 9.0)) for c in COMPONENTS}
        decline = {c: float(rng.uniform(0.3, 0.95)) for c in COMPONENTS}
        for i, year in enumerate(years):
            age = year - br["year_built"]
            day = date(year, int(rng.integers(1, 11)), int(rng.integers(1, 29)))
            insp_id = stable_id("inspection", f"{br['code']}/{day.isoformat()}")
            values = {}
            for c in COMPONENTS:
                raw = start[c] - decline[c] * age / 10.0 + rng.normal(0.0, 0.3)
                values[c] = int(np.clip(round(raw), 2, 9))
            overall = min(values[c] for c in ("deck", "superstructure", "substructure"))
            deficient = overall <= 4
            kind = "PERIODIC" if i % 2 == 0 else "ROUTINE"
            if deficient and rng.random() < 0.5:
                kind = "SPECIAL"
            inspections.append({
                "id": insp_id, "district_code": br["district_code"], "bridge_id": br["id"],
                "culvert_id": None, "inspection_date": day.isoformat(),
                "inspection_type": kind, "inspector": str(rng.choice(SURVEYORS)),
                "scheme": "nbi", "overall_rating": overall, "structurally_deficient": deficient,
                "load_posting_t": (float(rng.choice((10.0, 13.0, 18.0))) if deficient else None),
                "notes": "Dữ liệu mẫu (tổng hợp)",
            })
            for c in COMPONENTS:
                ratings.append({
                    "id": stable_id("component_rating", f"{insp_id}/{c}"),
                    "district_code": br["district_code"], "inspection_id": insp_id,
                    "component": c, "rating": values[c], "notes": COMPONENT_VI[c],
                })
    return inspections, ratings


def culvert_inspection_rows(culverts: Sequence[Dict], rng) -> Tuple[List[Dict], List[Dict]]:
    """1-2 inspections for about two culverts in three; NBI item 62 (culvert) rating."""
    inspections, ratings = [], []
    for cu in culverts:
        if rng.random() < 0.35:
            continue
        start, decline = float(rng.uniform(7.5, 9.0)), float(rng.uniform(0.4, 1.2))
        years = sorted(rng.choice(np.arange(2019, 2026), size=int(rng.integers(1, 3)),
                                  replace=False).tolist())
        for year in years:
            day = date(year, int(rng.integers(1, 11)), int(rng.integers(1, 29)))
            insp_id = stable_id("inspection", f"{cu['code']}/{day.isoformat()}")
            raw = start - decline * (year - cu["year_built"]) / 10.0 + rng.normal(0.0, 0.3)
            rating = int(np.clip(round(raw), 2, 9))
            inspections.append({
                "id": insp_id, "district_code": cu["district_code"], "bridge_id": None,
                "culvert_id": cu["id"], "inspection_date": day.isoformat(),
                "inspection_type": "ROUTINE", "inspector": str(rng.choice(SURVEYORS)),
                "scheme": "nbi", "overall_rating": rating, "structurally_deficient": rating <= 4,
                "load_posting_t": None, "notes": "Dữ liệu mẫu (tổng hợp)",
            })
            ratings.append({
                "id": stable_id("component_rating", f"{insp_id}/culvert"),
                "district_code": cu["district_code"], "inspection_id": insp_id,
                "component": "culvert", "rating": rating, "notes": "Thân cống, cửa cống",
            })
    return inspections, ratings


def culvert_rows(routes: Sequence[Route], bridges: Sequence[Dict], districts, rng,
                 per_km: float = 0.5) -> List[Dict]:
    rows = []
    numbers: Dict[str, int] = defaultdict(int)
    for r in routes:
        taken = [b["chainage_m"] for b in bridges if b["route_id"] == r.id]
        n = max(4, int(round(per_km * (r.end_m - r.start_m) / 1000.0)))
        for m in _positions(r, n, taken, rng):
            point = r.chainage.point(m)
            district = district_of(point, districts)
            numbers[district] += 1
            code = f"CU-{district}-{numbers[district]:03d}"
            kind = str(rng.choice(("PIPE", "PIPE", "PIPE", "BOX", "BOX", "SLAB")))
            if kind == "PIPE":
                span, height, material = float(rng.choice((0.75, 1.0, 1.25, 1.5))), None, "RC"
            else:
                span = float(rng.choice((1.0, 1.5, 2.0, 2.5, 3.0)))
                height = float(rng.choice((1.0, 1.5, 2.0)))
                material = "RC" if kind == "BOX" or rng.random() < 0.6 else "MASONRY"
            if height is None:
                height = span
            width = {"QL": 12.0, "DT": 9.0, "DH": 6.5}[r.spec.route_class]
            rows.append({
                "id": stable_id("culvert", code), "code": code, "district_code": district,
                "route_id": r.id, "chainage_m": m, "culvert_type": kind, "span_m": span,
                "height_m": height, "cells": int(rng.choice((1, 1, 1, 2, 3))),
                "length_m": round(width + float(rng.uniform(1.0, 4.0)), 1),
                "material": material, "year_built": int(rng.integers(1975, 2023)), "geom": point,
            })
    return rows
