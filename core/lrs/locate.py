"""Point <-> (route, measure, offset) and measure ranges -> lines (dynamic segmentation).

Offset convention: metres from the route line, **positive on the left, negative on the
right**, looking along the route in the direction of increasing chainage (a calibrated
route's line always runs that way, see :mod:`.calibrate`).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np
from shapely.geometry import LineString, Point, box
from shapely.ops import substring
from shapely.strtree import STRtree

from ..errors import Cancelled, RoadInfraError
from ..spatial_index import query_indices
from .route import Route

if TYPE_CHECKING:
    import geopandas as gpd

    from .network import Network


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


#: The one default of every face (CLI ``--max-offset``, Processing): points further than this
#: from every route are not located (m).
DEFAULT_MAX_OFFSET = 100.0
#: Match of a located point: on the route its own route field names, or the nearest one.
OWN_ROUTE = "own route"
NEAREST = "nearest"
_CHUNK = 16   # route segments per spatial-index entry


@dataclass(frozen=True)
class Located:
    """Where one point lies: route, measure, offset (left +), distance along the line and
    which route was used (``match``); or, when it could not be placed, only ``error``."""

    route: str | None
    measure: float | None = None
    offset: float | None = None
    distance: float | None = None
    match: str | None = None
    error: str | None = None


class RouteIndex:
    """Every route's segments as arrays, and an STRtree over runs of them, built once.

    Locating then costs one index query per point and a few vectorised array operations
    per batch, instead of a distance to every route and a rebuilt coordinate array for
    every point.
    """

    def __init__(self, routes: Sequence[Route]):
        self.routes = list(routes)
        self.by_code = {r.code: k for k, r in enumerate(self.routes)}
        x0, y0, dx, dy, start, owner, chunk_of, chunks = [], [], [], [], [], [], [], []
        base = 0                                  # index of the route's first segment
        for k, route in enumerate(self.routes):
            xy = np.asarray(route.line.coords, dtype=float)[:, :2]
            seg = np.diff(xy, axis=0)
            lengths = np.hypot(seg[:, 0], seg[:, 1])
            x0.append(xy[:-1, 0])
            y0.append(xy[:-1, 1])
            dx.append(seg[:, 0])
            dy.append(seg[:, 1])
            start.append(np.concatenate([[0.0], np.cumsum(lengths)[:-1]]))
            owner.append(np.full(len(seg), k))
            for s in range(0, len(seg), _CHUNK):
                chunks.append(LineString(xy[s:s + _CHUNK + 1]))
                chunk_of.append((base + s, base + min(s + _CHUNK, len(seg))))
            base += len(seg)
        self.x0, self.y0 = np.concatenate(x0), np.concatenate(y0)
        self.dx, self.dy = np.concatenate(dx), np.concatenate(dy)
        self.len2 = self.dx ** 2 + self.dy ** 2
        self.start = np.concatenate(start)
        self.owner = np.concatenate(owner)
        self.chunk_of = np.array(chunk_of, dtype=int).reshape(-1, 2)
        self.route_segments = [np.flatnonzero(self.owner == k) for k in range(len(self.routes))]
        with warnings.catch_warnings():   # shapely 1.8 announces the 2.0 API on every build
            warnings.simplefilter("ignore")
            self.tree = STRtree(chunks)

    def _foot(self, px, py, seg):
        """Distance to segment ``seg`` and the parameter (0..1) of the foot, vectorised."""
        t = ((px - self.x0[seg]) * self.dx[seg] + (py - self.y0[seg]) * self.dy[seg]) / \
            np.where(self.len2[seg] > 0, self.len2[seg], 1.0)
        t = np.clip(t, 0.0, 1.0)
        fx = self.x0[seg] + t * self.dx[seg]
        fy = self.y0[seg] + t * self.dy[seg]
        return np.hypot(px - fx, py - fy), t

    def _best(self, xs, ys, reach):
        """Per point the nearest segment among index entries within ``reach`` (a box), its
        distance; -1 and inf where the box holds none."""
        n = len(xs)
        points: list[int] = []
        chunks: list[int] = []
        for i in range(n):
            x, y, r = xs[i], ys[i], reach[i]
            ids = query_indices(self.tree, box(x - r, y - r, x + r, y + r))
            points.extend([i] * len(ids))
            chunks.extend(ids)
        best_seg = np.full(n, -1)
        best_d = np.full(n, np.inf)
        if not chunks:
            return best_seg, best_d
        c = np.asarray(chunks, dtype=int)
        first, stop = self.chunk_of[c, 0], self.chunk_of[c, 1]
        sizes = stop - first
        p = np.repeat(np.asarray(points, dtype=int), sizes)
        offsets = np.repeat(np.cumsum(sizes) - sizes, sizes)
        s = np.repeat(first, sizes) + np.arange(sizes.sum()) - offsets
        d, _ = self._foot(xs[p], ys[p], s)
        order = np.lexsort((s, d, p))
        keep = order[np.unique(p[order], return_index=True)[1]]
        best_seg[p[keep]] = s[keep]
        best_d[p[keep]] = d[keep]
        return best_seg, best_d

    def nearest_segments(self, xs, ys, max_offset: float | None):
        """Per point the nearest segment (-1 if none within ``max_offset``), its distance."""
        xs, ys = np.asarray(xs, float), np.asarray(ys, float)
        reach = np.full(len(xs), DEFAULT_MAX_OFFSET if max_offset is None else max_offset)
        best_seg, best_d = self._best(xs, ys, reach)
        if max_offset is not None:
            best_seg[best_d > max_offset] = -1
            return best_seg, best_d
        todo = np.flatnonzero(best_d > reach)      # none in the box, or a nearer one may hide
        while todo.size:
            reach[todo] = np.where(np.isfinite(best_d[todo]), best_d[todo] + 1e-6,
                                   reach[todo] * 4)
            seg, dist = self._best(xs[todo], ys[todo], reach[todo])
            best_seg[todo], best_d[todo] = seg, dist
            todo = todo[dist > reach[todo]]
        return best_seg, best_d

    def route_segments_nearest(self, k: int, xs, ys):
        """Per point the nearest segment of route ``k`` and its distance."""
        seg = self.route_segments[k]
        best_seg = np.empty(len(xs), dtype=int)
        best_d = np.empty(len(xs))
        for a in range(0, len(xs), 256):
            px = np.asarray(xs[a:a + 256], float)[:, None]
            py = np.asarray(ys[a:a + 256], float)[:, None]
            d, _ = self._foot(px, py, seg[None, :])
            j = np.argmin(d, axis=1)
            best_seg[a:a + 256] = seg[j]
            best_d[a:a + 256] = d[np.arange(len(j)), j]
        return best_seg, best_d

    def place(self, xs, ys, seg) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Measure, offset (left +) and distance along the route of points on segments."""
        px, py = np.asarray(xs, float), np.asarray(ys, float)
        d, t = self._foot(px, py, seg)
        along = self.start[seg] + t * np.sqrt(self.len2[seg])
        fx = self.x0[seg] + t * self.dx[seg]
        fy = self.y0[seg] + t * self.dy[seg]
        side = self.dx[seg] * (py - fy) - self.dy[seg] * (px - fx)
        offset = np.where(side >= 0, d, -d)
        measure = np.empty(len(seg))
        for k in np.unique(self.owner[seg]):
            mine = self.owner[seg] == k
            measure[mine] = self.routes[k].measure_at(along[mine])
        return measure, offset, along


def locate_points(
    routes: Sequence[Route] | RouteIndex,
    xs: Sequence[float],
    ys: Sequence[float],
    max_offset: float | None = DEFAULT_MAX_OFFSET,
    point_routes: Sequence[str | None] | None = None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> list[Located]:
    """Locate each point on its own route or, where it names none, on the nearest route.

    ``point_routes`` (route codes, None or "" where empty) are the points' own routes,
    already resolved to codes (:meth:`.network.RouteKeys.resolve`); a point naming a route
    that is not among ``routes``, or lying further than ``max_offset`` from its own route,
    gets an ``error`` and no measure. ``max_offset=None``: no limit.
    """
    if max_offset is not None and not math.isfinite(max_offset):
        max_offset = None                     # --max-offset inf: no limit
    index = routes if isinstance(routes, RouteIndex) else RouteIndex(routes) if routes else None
    if index is None or not index.routes:
        raise LocateError("no routes to locate on")
    n = len(xs)
    xs_a, ys_a = np.asarray(xs, float), np.asarray(ys, float)
    own = [(str(c) if c not in (None, "") else None) for c in point_routes] \
        if point_routes is not None else [None] * n
    out: list = [None] * n
    batch = 2000
    for a in range(0, n, batch):
        if is_cancelled and is_cancelled():
            raise Cancelled("locating cancelled")
        idx = np.arange(a, min(a + batch, n))
        seg = np.full(len(idx), -1)
        dist = np.full(len(idx), np.inf)
        how = [NEAREST if own[i] is None else OWN_ROUTE for i in idx]
        free = np.array([own[i] is None for i in idx], dtype=bool)
        if free.any():
            seg[free], dist[free] = index.nearest_segments(xs_a[idx[free]], ys_a[idx[free]],
                                                           max_offset)
        for code in {own[i] for i in idx if own[i] is not None}:
            mine = np.array([own[i] == code for i in idx], dtype=bool)
            if code not in index.by_code:
                for j in np.flatnonzero(mine):
                    out[idx[j]] = Located(None, match=OWN_ROUTE,
                                          error=f"route {code!r} is not in the routes layer")
                continue
            seg[mine], dist[mine] = index.route_segments_nearest(
                index.by_code[code], xs_a[idx[mine]], ys_a[idx[mine]])
        ok = (seg >= 0) & ((dist <= max_offset) if max_offset is not None else True)
        if ok.any():
            measure, offset, along = index.place(xs_a[idx[ok]], ys_a[idx[ok]], seg[ok])
            for j, m, o, d in zip(np.flatnonzero(ok), measure, offset, along):
                out[idx[j]] = Located(index.routes[index.owner[seg[j]]].code, float(m),
                                      float(o), float(d), how[j])
        for j in np.flatnonzero(~ok):
            if out[idx[j]] is not None:
                continue
            if how[j] == OWN_ROUTE:
                error = (f"{dist[j]:.1f} m from its route {own[idx[j]]} (more than the "
                         f"maximum offset {max_offset:g} m)")
            else:
                error = f"no route within {max_offset:g} m" if max_offset is not None \
                    else "no route"
            out[idx[j]] = Located(None, match=how[j], error=error)
        if progress and n:
            progress(100.0 * idx[-1] / n)
    return out


def locate_frame(
    network: Network,
    points: gpd.GeoDataFrame,
    source: str = "points",
    max_offset: float | None = DEFAULT_MAX_OFFSET,
    point_route_field: str | None = None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> list[Located]:
    """Locate the points of a frame (in the grid) on a calibrated network: the one entry
    point of ``roadinfra lrs locate`` and the *Locate points* algorithm.

    Each point is located on the route its ``point_route_field`` names (a route code or a
    value of another routes-layer field, :meth:`.network.RouteKeys.codes_for`), or on the
    nearest route where that is empty (:func:`locate_points`). A feature that is not one
    point, or a missing field, stops the run naming them.
    """
    bad = [k + 1 for k, g in enumerate(points.geometry) if g is None or g.geom_type != "Point"]
    if bad:
        raise LocateError(f"{source}: feature(s) {bad[:10]} are not single points")
    own = None
    if point_route_field:
        if point_route_field not in points.columns:
            raise LocateError(f"{source}: no field {point_route_field!r}")
        own = network.keys.codes_for(points[point_route_field])
    return locate_points(list(network.routes.values()), [g.x for g in points.geometry],
                         [g.y for g in points.geometry], max_offset, own, progress=progress,
                         is_cancelled=is_cancelled)


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


def segment_line(route: Route, from_measure: float, to_measure: float,
                 start_offset: float = 0.0, end_offset: float = 0.0) -> LineString:
    """The part of the route between two measures (dynamic segmentation), moved sideways by
    an offset that runs linearly from ``start_offset`` to ``end_offset`` (m, left +)."""
    if to_measure <= from_measure:
        raise LocateError(
            f"route {route.code}: event from {from_measure:.1f} to {to_measure:.1f} m is empty "
            "or reversed")
    d0 = _distance_on_line(route, from_measure)
    d1 = _distance_on_line(route, to_measure)
    piece = substring(route.line, d0, d1)
    if not isinstance(piece, LineString) or piece.length == 0:
        raise LocateError(f"route {route.code}: event {from_measure}..{to_measure} has no length")
    if not start_offset and not end_offset:
        return piece
    xy = np.asarray(piece.coords, dtype=float)[:, :2]
    along = d0 + np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    shift = start_offset + (end_offset - start_offset) * (along - d0) / (d1 - d0)
    moved = []
    for (x, y), d, o in zip(xy, along, shift):
        t = _tangent(route.line, min(d, route.length))
        moved.append((x - t[1] * o, y + t[0] * o))
    return LineString(moved)
