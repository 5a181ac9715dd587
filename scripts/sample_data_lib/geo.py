"""Geometry for the sample data: real inputs, the provincial grid, smooth lines, chainage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Sequence, Tuple

import numpy as np
from roadinfra.core.crs import to_grid
from roadinfra.core.profile import load_profile
from shapely.geometry import LineString, Point, Polygon, shape
from shapely.ops import linemerge, substring

# The profile's provincial grid; to_grid applies its datum shift (EPSG:6960 for VN-2000).
GRID_EPSG = load_profile().crs_epsg
GRID_CRS_URN = f"urn:ogc:def:crs:EPSG::{GRID_EPSG}"


def project_coords(coords: Sequence[Sequence[float]]) -> List[Tuple[float, float]]:
    arr = np.asarray(coords, dtype=float)[:, :2]
    x, y = to_grid(arr[:, 0], arr[:, 1])
    return list(zip(np.asarray(x, dtype=float).tolist(), np.asarray(y, dtype=float).tolist()))


def project_point(lon: float, lat: float) -> Point:
    return Point(project_coords([(lon, lat)])[0])


def read_province(path: Path) -> Polygon:
    """The single (multi)polygon of the province file, in the grid."""
    data = json.loads(path.read_text(encoding="utf-8"))
    geom = shape(data["features"][0]["geometry"])
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    projected = [
        Polygon(project_coords(p.exterior.coords), [project_coords(r.coords) for r in p.interiors])
        for p in polys
    ]
    return max(projected, key=lambda p: p.area)


def read_line_parts(path: Path, name: str) -> List[LineString]:
    """Every line part of the features called ``name`` (property ``ten``), in the grid."""
    data = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for feature in data["features"]:
        if feature["properties"].get("ten") != name:
            continue
        geom = shape(feature["geometry"])
        lines = list(geom.geoms) if geom.geom_type == "MultiLineString" else [geom]
        parts.extend((feature["properties"].get("gid"), LineString(project_coords(line.coords)))
                     for line in lines)
    return parts


def chain_parts(parts, tolerance_m: float = 5.0):
    """Join line parts whose ends meet (within ``tolerance_m``) into the longest chain.

    Returns ``(line, used_ids, left_out_ids)``: parts that do not continue the chain
    end-to-end (spurs, pieces beyond a gap) are left out and reported.
    """
    remaining = sorted(parts, key=lambda p: -p[1].length)
    gid, first = remaining.pop(0)
    coords = list(first.coords)
    used = [gid]
    grew = True
    while grew:
        grew = False
        for i, (gid, line) in enumerate(remaining):
            pts = list(line.coords)
            head, tail = Point(coords[0]), Point(coords[-1])
            if tail.distance(Point(pts[0])) <= tolerance_m:
                coords += pts[1:]
            elif tail.distance(Point(pts[-1])) <= tolerance_m:
                coords += pts[::-1][1:]
            elif head.distance(Point(pts[-1])) <= tolerance_m:
                coords = pts[:-1] + coords
            elif head.distance(Point(pts[0])) <= tolerance_m:
                coords = pts[::-1][:-1] + coords
            else:
                continue
            used.append(gid)
            remaining.pop(i)
            grew = True
            break
    return LineString(coords), used, sorted({gid for gid, _ in remaining})


def clip_line(line: LineString, area: Polygon) -> LineString:
    """The longest piece of ``line`` inside ``area``, keeping the line's direction."""
    clipped = line.intersection(area)
    if clipped.geom_type == "MultiLineString":
        merged = linemerge(clipped)
        clipped = merged if merged.geom_type == "LineString" else max(
            merged.geoms, key=lambda g: g.length)
    if clipped.geom_type != "LineString" or clipped.is_empty:
        raise ValueError("line does not cross the area")
    start = line.project(Point(clipped.coords[0]))
    end = line.project(Point(clipped.coords[-1]))
    return clipped if start <= end else LineString(list(clipped.coords)[::-1])


def smooth_line(points: Sequence[Point], rng: np.random.Generator,
                wiggle_m: float = 250.0, step_m: float = 60.0) -> LineString:
    """A smooth road-like line through ``points`` (Catmull-Rom through jittered midpoints)."""
    ctrl = [np.array(points[0].coords[0])]
    for a, b in zip(points[:-1], points[1:]):
        pa, pb = np.array(a.coords[0]), np.array(b.coords[0])
        seg = pb - pa
        normal = np.array([-seg[1], seg[0]]) / max(np.hypot(*seg), 1e-9)
        for frac in (1 / 3, 2 / 3):
            ctrl.append(pa + seg * frac + normal * rng.normal(0.0, wiggle_m))
        ctrl.append(pb)
    ctrl = np.array(ctrl)
    padded = np.vstack([2 * ctrl[0] - ctrl[1], ctrl, 2 * ctrl[-1] - ctrl[-2]])
    out = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1:i + 3]
        n = max(2, int(np.hypot(*(p2 - p1)) / step_m))
        for t in np.linspace(0.0, 1.0, n, endpoint=False):
            t2, t3 = t * t, t * t * t
            out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
                              + (-p0 + 3 * p1 - 3 * p2 + p3) * t3))
    out.append(padded[-2])
    return LineString(out)


class Chainage:
    """Measure (chainage, m) <-> distance along a line, from its calibration points."""

    def __init__(self, line: LineString, distances: Sequence[float], measures: Sequence[float]):
        self.line = line
        self.distances = np.asarray(distances, dtype=float)
        self.measures = np.asarray(measures, dtype=float)

    def distance(self, measure: float) -> float:
        return float(np.interp(measure, self.measures, self.distances))

    def point(self, measure: float) -> Point:
        return self.line.interpolate(self.distance(measure))

    def segment(self, from_m: float, to_m: float) -> LineString:
        return substring(self.line, self.distance(from_m), self.distance(to_m))


def round_coords(geom, decimals: int = 3):
    """GeoJSON geometry dict of ``geom`` with coordinates rounded (stable, diff-able files)."""
    def rnd(obj):
        if isinstance(obj, (int, float)):
            return round(float(obj), decimals)
        return [rnd(o) for o in obj]

    mapping = geom.__geo_interface__
    return {"type": mapping["type"], "coordinates": rnd(mapping["coordinates"])}

