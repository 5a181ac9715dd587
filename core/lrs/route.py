"""A calibrated route: one line in the provincial grid plus a measure <-> distance mapping.

*distance* is metres along the route line from its first vertex; *measure* is the
chainage in metres (``Km12+350`` -> 12350). Between calibration posts the measure is
piecewise linear in distance; before the first and after the last post it continues
with the ratio of the nearest calibrated interval. A route with one post is shifted
1:1; a route without posts has measure = distance.

Route parts (pieces of a (multi)line) are chained into one line by :func:`chain_parts`,
which reports gaps and overlaps between consecutive parts and bridges gaps with a
straight segment so the route stays one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from ..errors import RoadInfraError
from .issues import Issue


class RouteError(RoadInfraError):
    """A route geometry or calibration that cannot be used."""


def explode_lines(
    geometries: Iterable[BaseGeometry], route: str = "", names: Sequence[str] | None = None
) -> tuple[list[LineString], list[str]]:
    """Single 2D LineStrings from (Multi)LineStrings, and a label for each naming its source.

    ``names`` labels the input geometries (default ``feature 1``, ``feature 2``...); a piece
    of a multi-line is ``<name> piece <k>``. Empty and zero-length pieces are dropped.
    """
    parts: list[LineString] = []
    labels: list[str] = []
    for i, geom in enumerate(geometries):
        if geom is None or geom.is_empty:
            continue
        name = names[i] if names is not None else f"feature {i + 1}"
        if isinstance(geom, LineString):
            pieces = [(name, geom)]
        elif isinstance(geom, MultiLineString):
            pieces = [(f"{name} piece {k + 1}", g) for k, g in enumerate(geom.geoms)]
        else:
            raise RouteError(f"route {route}: {name} is a {geom.geom_type}, not a line")
        for label, piece in pieces:
            if piece.length > 0:
                parts.append(LineString([c[:2] for c in piece.coords]))
                labels.append(label)
    if not parts:
        raise RouteError(f"route {route}: no line geometry")
    return parts, labels


@dataclass(frozen=True)
class PartPlacement:
    """Where input part ``index`` went in the chained route."""

    index: int
    reversed: bool
    start: float     # distance along the chained route (of the part's kept stretch)
    end: float


def _greedy_chain(ends: np.ndarray, first: int, first_reversed: bool) -> tuple[list, float]:
    """Chain parts by nearest free end; ``ends[i] = [[x0, y0], [x1, y1]]``."""
    n = len(ends)
    used = np.zeros(n, dtype=bool)
    order = [(first, first_reversed)]
    used[first] = True
    tail = ends[first, 0] if first_reversed else ends[first, 1]
    total = 0.0
    for _ in range(n - 1):
        d_start = np.hypot(*(ends[:, 0] - tail).T)
        d_end = np.hypot(*(ends[:, 1] - tail).T)
        d_start[used] = np.inf
        d_end[used] = np.inf
        i_s, i_e = int(np.argmin(d_start)), int(np.argmin(d_end))
        if d_start[i_s] <= d_end[i_e]:
            nxt, rev, gap = i_s, False, d_start[i_s]
        else:
            nxt, rev, gap = i_e, True, d_end[i_e]
        used[nxt] = True
        order.append((nxt, rev))
        tail = ends[nxt, 0] if rev else ends[nxt, 1]
        total += gap
    return order, total


def chain_parts(
    parts: Sequence[LineString],
    labels: Sequence[str] | None = None,
    route: str = "",
    join_tolerance: float = 1.0,
    overlap_min: float = 5.0,
) -> tuple[LineString, list[Issue], list[PartPlacement]]:
    """Order and orient parts into one line with the least total gap length.

    Reports a ``gap`` (at the middle of the bridge) where consecutive parts are further
    apart than ``join_tolerance`` and an ``overlap`` (at the join) where a part runs within
    ``join_tolerance`` of the previous one for more than ``overlap_min`` metres. Gaps are
    bridged with a straight segment; a part that starts on the previous one loses the
    doubled stretch (its placement starts after it).
    """
    parts = list(parts)
    labels = list(labels) if labels is not None else [f"part {i + 1}" for i in range(len(parts))]
    ends = np.array([[p.coords[0][:2], p.coords[-1][:2]] for p in parts], dtype=float)
    if not parts:
        raise RouteError(f"route {route}: no line geometry")
    best = _greedy_chain(ends, 0, False)
    for first in range(len(parts)):
        for rev in (False, True):
            candidate = _greedy_chain(ends, first, rev)
            if candidate[1] < best[1] - 1e-9:
                best = candidate
    order = best[0]
    coords: list[tuple[float, float]] = []
    issues: list[Issue] = []
    placements: list[PartPlacement] = []
    prev_index = -1
    for index, rev in order:
        part = parts[index]
        pc = list(part.coords)[::-1] if rev else list(part.coords)
        start = 0.0
        if coords:
            prev = parts[prev_index]
            oriented = LineString(pc)
            shared = oriented.intersection(prev.buffer(join_tolerance)).length
            at = LineString(coords).length
            if shared > overlap_min + 2 * join_tolerance:
                issues.append(Issue(
                    "overlap", labels[index], at,
                    f"{labels[index]} runs over {labels[prev_index]} for {shared:.1f} m",
                    route=route, x=coords[-1][0], y=coords[-1][1]))
                if Point(pc[0]).distance(prev) <= join_tolerance and shared < oriented.length:
                    # it starts on the previous part: keep only what comes after the overlap
                    pc = list(substring(oriented, shared, oriented.length).coords)
            gap = float(np.hypot(pc[0][0] - coords[-1][0], pc[0][1] - coords[-1][1]))
            start = at + gap
            if gap > join_tolerance:
                issues.append(Issue(
                    "gap", labels[index], at + gap / 2,
                    f"gap of {gap:.1f} m between {labels[prev_index]} and {labels[index]} "
                    "(bridged by a straight line)",
                    route=route, x=(pc[0][0] + coords[-1][0]) / 2,
                    y=(pc[0][1] + coords[-1][1]) / 2,
                    line=(tuple(coords[-1]), tuple(pc[0][:2]))))
            if gap <= 1e-9:
                pc = pc[1:]
        coords.extend((c[0], c[1]) for c in pc)
        end = LineString(coords).length
        placements.append(PartPlacement(index, rev, start, end))
        prev_index = index
    return LineString(coords), issues, placements


@dataclass
class Route:
    """A route line in the grid with calibration (distance, measure) pairs.

    ``distances`` and ``measures`` are strictly increasing arrays of equal length (may be
    empty). Offsets elsewhere in this package are relative to the line's direction, which
    is the direction of increasing measure.
    """

    code: str
    line: LineString
    distances: np.ndarray = field(default_factory=lambda: np.zeros(0))
    measures: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: (from, to) distances along the line of the straight bridges :func:`chain_parts` drew
    #: across gaps between the route's parts: no road there (corridors leave them out)
    gaps: tuple = ()

    def __post_init__(self):
        self.distances = np.asarray(self.distances, dtype=float)
        self.measures = np.asarray(self.measures, dtype=float)
        if self.distances.shape != self.measures.shape:
            raise RouteError(f"route {self.code}: distances and measures differ in length")
        if self.distances.size > 1 and (
            np.any(np.diff(self.distances) <= 0) or np.any(np.diff(self.measures) <= 0)
        ):
            raise RouteError(f"route {self.code}: calibration must increase strictly")

    @property
    def length(self) -> float:
        return float(self.line.length)

    @property
    def start_measure(self) -> float:
        return float(self.measure_at(0.0))

    @property
    def end_measure(self) -> float:
        return float(self.measure_at(self.length))

    def measure_at(self, distance):
        """Measure (chainage, m) at distance(s) along the line."""
        return _piecewise(distance, self.distances, self.measures)

    def distance_at(self, measure):
        """Distance(s) along the line at measure(s); may fall outside [0, length]."""
        return _piecewise(measure, self.measures, self.distances)

    def real_parts(self, start: float = 0.0, end: float | None = None) -> list[LineString]:
        """The stretches of the line between distances ``start`` and ``end`` (default: its
        length) without its :attr:`gaps`: each stretch is one line through the joins of
        parts that touch."""
        end = self.length if end is None else end
        cuts, at = [], start
        for g0, g1 in sorted(self.gaps):
            if g1 <= at or g0 >= end:
                continue
            if g0 > at:
                cuts.append((at, g0))
            at = max(at, g1)
        if at < end:
            cuts.append((at, end))
        return [substring(self.line, a, b) for a, b in cuts if b - a > 1e-9]

    def vertex_measures(self) -> np.ndarray:
        """The measure at each vertex of the line (its M values)."""
        xy = np.asarray(self.line.coords, dtype=float)[:, :2]
        along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
        return np.asarray(self.measure_at(along), dtype=float)


def _piecewise(values, xs: np.ndarray, ys: np.ndarray):
    """Piecewise-linear map through (xs, ys), extended with the end intervals' slopes."""
    v = np.asarray(values, dtype=float)
    if xs.size == 0:
        out = v.copy()
    elif xs.size == 1:
        out = v - xs[0] + ys[0]
    else:
        out = np.interp(v, xs, ys)
        lo_slope = (ys[1] - ys[0]) / (xs[1] - xs[0])
        hi_slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
        out = np.where(v < xs[0], ys[0] + (v - xs[0]) * lo_slope, out)
        out = np.where(v > xs[-1], ys[-1] + (v - xs[-1]) * hi_slope, out)
    return float(out) if np.ndim(values) == 0 else out
