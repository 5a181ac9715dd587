"""Point <-> (route, measure, offset) and measure ranges -> lines (dynamic segmentation).

Offset convention: metres from the route line, **positive on the left, negative on the
right**, looking along the route in the direction of increasing chainage (a calibrated
route's line always runs that way, see :mod:`.calibrate`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from shapely.geometry import LineString, Point
from shapely.ops import substring

from ..errors import Cancelled, RoadInfraError
from .route import Route


class LocateError(RoadInfraError):
    """A point or measure that cannot be placed on a route."""


@dataclass(frozen=True)
class Location:
    route: str
    measure: float
    offset: float       # left positive, right negative
    distance: float     # along the route line


def _tangent(line: LineString, distance: float) -> np.ndarray:
    """Unit direction of the line at ``distance`` (bisector at a vertex)."""
    xy = np.asarray(line.coords, dtype=float)[:, :2]
    seg = np.diff(xy, axis=0)
    seg_len = np.hypot(seg[:, 0], seg[:, 1])
    cum = np.concatenate([[0.0], np.cumsum(seg_len)])
    i = int(np.clip(np.searchsorted(cum, distance, side="right") - 1, 0, len(seg) - 1))
    units = seg / np.where(seg_len > 0, seg_len, 1.0)[:, None]
    direction = units[i]
    if i > 0 and abs(distance - cum[i]) < 1e-9:
        direction = units[i - 1] + units[i]
    norm = np.hypot(*direction)
    return direction / norm if norm > 0 else units[i]


def locate_point(route: Route, x: float, y: float) -> Location:
    """Nearest position on ``route`` for point (x, y) in the grid."""
    point = Point(x, y)
    dist = route.line.project(point)
    foot = route.line.interpolate(dist)
    t = _tangent(route.line, dist)
    vx, vy = x - foot.x, y - foot.y
    side = t[0] * vy - t[1] * vx
    magnitude = float(np.hypot(vx, vy))
    offset = magnitude if side >= 0 else -magnitude
    return Location(route.code, float(route.measure_at(dist)), offset, float(dist))


def locate_points(
    routes: Sequence[Route],
    xs: Sequence[float],
    ys: Sequence[float],
    max_offset: float | None = None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> list[Location | None]:
    """Locate each point on its nearest route; None where no route is within ``max_offset``."""
    if not routes:
        raise LocateError("no routes to locate on")
    out: list[Location | None] = []
    n = len(xs)
    for k, (x, y) in enumerate(zip(xs, ys)):
        if is_cancelled and is_cancelled():
            raise Cancelled("locating cancelled")
        point = Point(x, y)
        distances = [r.line.distance(point) for r in routes]
        best = int(np.argmin(distances))
        if max_offset is not None and distances[best] > max_offset:
            out.append(None)
        else:
            out.append(locate_point(routes[best], x, y))
        if progress and n:
            progress(100.0 * (k + 1) / n)
    return out


def _distance_on_line(route: Route, measure: float) -> float:
    dist = float(route.distance_at(measure))
    if dist < -1e-6 or dist > route.length + 1e-6:
        raise LocateError(
            f"route {route.code}: measure {measure:.1f} m is beyond the route "
            f"({route.start_measure:.1f}..{route.end_measure:.1f} m)"
        )
    return min(max(dist, 0.0), route.length)


def point_at(route: Route, measure: float, offset: float = 0.0) -> tuple[float, float]:
    """Grid (x, y) at ``measure``, ``offset`` metres to the left (negative: right)."""
    dist = _distance_on_line(route, measure)
    foot = route.line.interpolate(dist)
    t = _tangent(route.line, dist)
    return float(foot.x - t[1] * offset), float(foot.y + t[0] * offset)


def segment_line(route: Route, from_measure: float, to_measure: float) -> LineString:
    """The part of the route between two measures (dynamic segmentation)."""
    if to_measure <= from_measure:
        raise LocateError(
            f"route {route.code}: event from {from_measure:.1f} to {to_measure:.1f} m is empty "
            "or reversed")
    d0 = _distance_on_line(route, from_measure)
    d1 = _distance_on_line(route, to_measure)
    piece = substring(route.line, d0, d1)
    if not isinstance(piece, LineString) or piece.length == 0:
        raise LocateError(f"route {route.code}: event {from_measure}..{to_measure} has no length")
    return piece
