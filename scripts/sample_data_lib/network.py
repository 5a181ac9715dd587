"""Districts, routes and kilometre posts of the sample province.

Real: the province polygon (geoBoundaries) and the QL10 centre-line (LegoCity). Synthetic:
district cells, the other routes' alignments, every chainage value and kilometre post.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

import numpy as np
from shapely.geometry import MultiLineString, MultiPolygon, Point, Polygon

from . import geo
from .records import stable_id

# Approximate (+-1 km) locations of the district seats, WGS 84 lon/lat. Used only as seeds
# of synthetic district cells and as waypoints of synthetic route alignments.
TOWNS: Dict[str, Tuple[float, float]] = {
    "Thái Bình": (106.336, 20.446),
    "Quỳnh Côi": (106.327, 20.652),
    "Hưng Hà": (106.214, 20.594),
    "Đông Hưng": (106.350, 20.553),
    "Diêm Điền": (106.565, 20.560),
    "Tiền Hải": (106.507, 20.405),
    "Thanh Nê": (106.420, 20.400),
    "Vũ Thư": (106.285, 20.432),
}
DISTRICT_SEATS = {  # district code (profile) -> seat
    "336": "Thái Bình", "338": "Quỳnh Côi", "339": "Hưng Hà", "340": "Đông Hưng",
    "341": "Diêm Điền", "342": "Tiền Hải", "343": "Thanh Nê", "344": "Vũ Thư",
}


@dataclass
class RouteSpec:
    code: str
    name: str
    route_class: str
    road_grade: str
    agency: str
    start_km: float            # chainage at the start of the line, km (synthetic)
    waypoints: Sequence[Tuple[float, float]] = ()   # lon/lat; empty for real geometry


AGENCY_QL = "Cục Đường bộ Việt Nam (ủy thác Sở GTVT Thái Bình)"
AGENCY_DT = "Sở Giao thông Vận tải tỉnh Thái Bình"

# Synthetic alignments through approximate town locations; QL39 starts at the Luộc river
# (Triều Dương bridge), QL10 is the real centre-line, ordered in its chainage direction
# (from Hải Phòng towards Nam Định).
ROUTES: Tuple[RouteSpec, ...] = (
    RouteSpec("QL10", "Quốc lộ 10", "QL", "III", AGENCY_QL, 70.0),
    RouteSpec("QL39", "Quốc lộ 39", "QL", "III", AGENCY_QL, 41.0, (
        (106.196, 20.672), (106.214, 20.594), (106.290, 20.570), (106.350, 20.553),
        (106.450, 20.575), (106.565, 20.560))),
    RouteSpec("QL37", "Quốc lộ 37", "QL", "IV", AGENCY_QL, 0.0, (
        (106.565, 20.560), (106.470, 20.620), (106.400, 20.640), (106.327, 20.652),
        (106.250, 20.690))),
    RouteSpec("DT454", "Đường tỉnh 454", "DT", "IV", AGENCY_DT, 0.0, (
        (106.336, 20.446), (106.300, 20.490), (106.262, 20.545), (106.214, 20.594))),
    RouteSpec("DT455", "Đường tỉnh 455", "DT", "IV", AGENCY_DT, 0.0, (
        (106.214, 20.594), (106.270, 20.625), (106.327, 20.652), (106.400, 20.680))),
    RouteSpec("DT458", "Đường tỉnh 458", "DT", "IV", AGENCY_DT, 0.0, (
        (106.336, 20.446), (106.380, 20.420), (106.420, 20.400), (106.507, 20.405),
        (106.560, 20.380))),
    RouteSpec("DH71", "Đường huyện ĐH.71 (Vũ Thư)", "DH", "V", "UBND huyện Vũ Thư", 0.0, (
        (106.285, 20.432), (106.305, 20.462), (106.318, 20.500), (106.335, 20.530))),
)


@dataclass
class Route:
    spec: RouteSpec
    id: str
    line: object                     # shapely LineString in the grid
    chainage: geo.Chainage
    synthetic_geometry: bool

    @property
    def start_m(self) -> float:
        return float(self.chainage.measures[0])

    @property
    def end_m(self) -> float:
        return float(self.chainage.measures[-1])


def nearest_seat_cell(seat: Point, others: Sequence[Point], size: float = 1e6) -> Polygon:
    """Points nearer to ``seat`` than to any of ``others`` (a Voronoi cell, by half-planes)."""
    cell = seat.buffer(size, resolution=1)
    s = np.array(seat.coords[0])
    for other in others:
        o = np.array(other.coords[0])
        n = (o - s) / np.hypot(*(o - s))
        t = np.array([-n[1], n[0]])
        m = (s + o) / 2.0
        half = Polygon([m + t * size, m - t * size, m - t * size - n * size,
                        m + t * size - n * size])
        cell = cell.intersection(half)
    return cell


def district_cells(province: Polygon, profile_districts: Sequence[Dict]) -> List[Dict]:
    """admin_unit rows of the 8 districts: SYNTHETIC cells around the district seats."""
    seats = {code: geo.project_point(*TOWNS[town]) for code, town in DISTRICT_SEATS.items()}
    rows = []
    for d in profile_districts:
        seat = seats[d["code"]]
        others = [p for code, p in seats.items() if code != d["code"]]
        area = nearest_seat_cell(seat, others).intersection(province)
        rows.append({
            "id": stable_id("admin_unit", d["code"]), "code": d["code"],
            "district_code": d["code"], "name": d["name_vi"], "level": "district",
            "parent_code": "34",
            "geom": area if area.geom_type == "MultiPolygon" else MultiPolygon([area]),
        })
    return rows


def district_of(point: Point, districts: Sequence[Dict]) -> str:
    for d in districts:
        if d["geom"].contains(point):
            return d["code"]
    return min(districts, key=lambda d: d["geom"].distance(point))["code"]


def build_line(spec: RouteSpec, inner: Polygon, ql10, rng) -> Tuple[object, bool]:
    if not spec.waypoints:
        return geo.clip_line(ql10, inner), False
    points = [geo.project_point(lon, lat) for lon, lat in spec.waypoints]
    return geo.clip_line(geo.smooth_line(points, rng), inner), True


def kilometre_posts(length: float, start_m: float, rng) -> Tuple[List[float], List[float]]:
    """(distances, measures) of the route start, each whole-km post and the end.

    Posts are rarely exactly 1000 m apart on the ground: the spacing is drawn around 1000 m
    (chainage measured on older alignments, curves re-built)."""
    distances, measures = [0.0], [start_m]
    km = np.floor(start_m / 1000.0) + 1
    d = (km * 1000.0 - start_m) * rng.normal(1.0, 0.012)
    while d < length - 150.0:
        distances.append(round(float(d), 1))
        measures.append(float(km * 1000.0))
        km += 1
        d += 1000.0 * rng.normal(1.0, 0.012) + rng.choice([0.0, 0.0, 0.0, rng.normal(0, 25)])
    distances.append(length)
    measures.append(round(measures[-1] + (length - distances[-2]) * rng.normal(1.0, 0.01), 1))
    return distances, measures


def km_label(measure: float) -> str:
    km, m = divmod(int(round(measure)), 1000)
    return f"Km{km}" if m == 0 else f"Km{km}+{m:03d}"


def build_routes(province: Polygon, ql10, rng) -> List[Route]:
    inner = province.buffer(-25.0)
    routes = []
    for spec in ROUTES:
        line, synthetic = build_line(spec, inner, ql10, rng)
        start_m = spec.start_km * 1000.0 + (float(rng.integers(120, 880)) if spec.start_km else 0)
        distances, measures = kilometre_posts(line.length, start_m, rng)
        routes.append(Route(spec, stable_id("route", spec.code), line,
                            geo.Chainage(line, distances, measures), synthetic))
    return routes


def route_rows(routes: Sequence[Route], districts) -> List[Dict]:
    rows = []
    for r in routes:
        s = r.spec
        rows.append({
            "id": r.id, "code": s.code, "name": s.name, "route_class": s.route_class,
            # A district road belongs to the district of its seat (its start); others cross several.
            "district_code": (district_of(Point(r.line.coords[0]), districts)
                              if s.route_class == "DH" else None),
            "road_grade": s.road_grade, "managing_agency": s.agency,
            "start_m": r.start_m, "end_m": r.end_m, "length_m": round(r.line.length, 1),
            "geom": MultiLineString([r.line]),
        })
    return rows


def calibration_rows(routes: Sequence[Route], districts) -> List[Dict]:
    rows = []
    for r in routes:
        for d, m in zip(r.chainage.distances, r.chainage.measures):
            point = r.line.interpolate(float(d))
            rows.append({
                "id": stable_id("calibration_point", f"{r.spec.code}/{m}"),
                "district_code": district_of(point, districts), "route_id": r.id,
                "measure_m": float(m), "label": km_label(m), "geom": point,
            })
    return rows
