"""Calibrate a route from kilometre posts and report what is wrong with them.

Checks, each reported as an :class:`~.issues.Issue` (kind, post label, distance, message):

* ``off_route``: a post further than ``tolerance`` metres from the route (not used);
* the line is turned to run in the direction of increasing measure (``reversed``, info);
* the longest run of posts whose measures increase along the route is kept; each other
  post is ``decreasing_measure`` (its measure is not above the kept post before it) or
  ``out_of_order`` (it lies before a kept post with a smaller measure) and is not used;
* ``duplicate_position``: two posts project onto the same point (the second is not used);
* ``suspicious_interval``: measure step / length along the line differs from 1 by more
  than ``ratio_tolerance`` (a missing or misplaced post; warning only, still used);
* ``gap`` / ``overlap`` between route parts (from :func:`~.route.chain_parts`);
* ``uncalibrated``: fewer than two usable posts.

``strict=True`` raises :class:`~.issues.CalibrationError` when any error was found.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from ..chainage import format_chainage
from ..errors import Cancelled
from .issues import ERROR, CalibrationError, Issue
from .route import Route, chain_parts, explode_lines


@dataclass(frozen=True)
class Post:
    """A kilometre post: label as written on it, its measure (m) and position in the grid."""

    label: str
    measure: float
    x: float
    y: float
    row: int | None = None   # 1-based row/feature number in the source, for messages


def _strictly_increasing_run(values: Sequence[float],
                             positions: Sequence[float] | None = None) -> list[int]:
    """Indices of a longest strictly increasing subsequence of ``values``.

    Among equally long ones, the one whose measure steps best match the steps of
    ``positions`` (distances along the route) wins: of two neighbouring posts that cannot
    both be kept, the mistyped one is dropped, not whichever comes first.
    """
    n = len(values)
    if n == 0:
        return []
    pos = list(positions) if positions is not None else list(values)
    best = [1] * n
    cost = [0.0] * n
    prev = [-1] * n
    for i in range(n):
        for j in range(i):
            if values[j] < values[i]:
                step = cost[j] + abs((values[i] - values[j]) - (pos[i] - pos[j]))
                if best[j] + 1 > best[i] or (best[j] + 1 == best[i] and step < cost[i]):
                    best[i] = best[j] + 1
                    cost[i] = step
                    prev[i] = j
    i = max(range(n), key=lambda k: (best[k], -cost[k]))
    out = []
    while i != -1:
        out.append(i)
        i = prev[i]
    return out[::-1]


def calibrate_route(
    code: str,
    geometries: Iterable[BaseGeometry],
    posts: Sequence[Post],
    tolerance: float = 20.0,
    join_tolerance: float = 1.0,
    ratio_tolerance: float = 0.2,
    strict: bool = False,
    part_names: Sequence[str] | None = None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> tuple[Route, list[Issue]]:
    """Build route ``code`` from its line parts (grid CRS) and calibrate it on ``posts``.

    ``part_names`` labels the geometries in messages (e.g. ``"gid 262"``).
    """
    parts, labels = explode_lines(geometries, code, part_names)
    line, issues, _ = chain_parts(parts, labels, code, join_tolerance)
    projected = []
    for k, post in enumerate(posts):
        if is_cancelled and is_cancelled():
            raise Cancelled(f"route {code}: calibration cancelled")
        if progress:
            progress(100.0 * k / len(posts))
        point = Point(post.x, post.y)
        off = line.distance(point)
        dist = line.project(point)
        if off > tolerance:
            issues.append(Issue(
                "off_route", post.label, dist,
                f"post {post.label} is {off:.1f} m from route {code} (tolerance {tolerance:g} m)",
                code, post.row, post.x, post.y))
            continue
        projected.append((dist, post))

    ahead = sorted(projected, key=_by_dist)
    forward = _strictly_increasing_run([p.measure for _, p in ahead], [d for d, _ in ahead])
    back = ahead[::-1]
    backward = _strictly_increasing_run([p.measure for _, p in back], [-d for d, _ in back])
    if len(backward) > len(forward):
        line = LineString(list(line.coords)[::-1])
        projected = [(line.length - d, p) for d, p in projected]
        issues = [replace(i, distance=line.length - i.distance) for i in issues]
        issues.append(Issue("reversed", code, 0.0,
                            f"route {code} was digitised against chainage; reversed", code))
    projected.sort(key=_by_dist)
    keep_idx = set(_strictly_increasing_run([p.measure for _, p in projected],
                                            [d for d, _ in projected]))
    kept: list[tuple[float, Post]] = []
    for i, (dist, post) in enumerate(projected):
        if i in keep_idx:
            if kept and dist - kept[-1][0] < 1e-3:
                issues.append(Issue(
                    "duplicate_position", post.label, dist,
                    f"post {post.label} lies at the same place as post {kept[-1][1].label}",
                    code, post.row, post.x, post.y))
                continue
            kept.append((dist, post))
            continue
        before = [p for j, (_, p) in enumerate(projected[:i]) if j in keep_idx]
        after = [p for j, (_, p) in enumerate(projected[i + 1:], start=i + 1) if j in keep_idx]
        if before and post.measure <= before[-1].measure:
            issues.append(Issue(
                "decreasing_measure", post.label, dist,
                f"post {post.label} ({_fmt(post.measure)}) does not increase on post "
                f"{before[-1].label} ({_fmt(before[-1].measure)}) before it along route {code}",
                code, post.row, post.x, post.y))
        else:
            nxt = after[0] if after else post
            issues.append(Issue(
                "out_of_order", post.label, dist,
                f"post {post.label} ({_fmt(post.measure)}) lies before post {nxt.label} "
                f"({_fmt(nxt.measure)}) along route {code}",
                code, post.row, post.x, post.y))

    for (d0, p0), (d1, p1) in zip(kept, kept[1:]):
        ratio = (p1.measure - p0.measure) / (d1 - d0)
        if abs(ratio - 1.0) > ratio_tolerance:
            issues.append(Issue(
                "suspicious_interval", p1.label, d1,
                f"posts {p0.label}..{p1.label}: {p1.measure - p0.measure:.0f} m of chainage over "
                f"{d1 - d0:.0f} m of route (ratio {ratio:.2f})", code, p1.row, p1.x, p1.y))
    if len(kept) < 2:
        issues.append(Issue("uncalibrated", code, 0.0,
                            f"route {code} has {len(kept)} usable post(s): measures follow the "
                            "line length", code))
    route = Route(code, line, np.array([d for d, _ in kept]),
                  np.array([p.measure for _, p in kept]))
    issues.sort(key=lambda i: (i.distance, i.kind))
    if strict and any(i.severity == ERROR for i in issues):
        raise CalibrationError(code, issues)
    return route, issues


def _by_dist(item):
    return item[0]


def _fmt(measure: float) -> str:
    return format_chainage(measure) if measure >= 0 else f"{measure:.1f} m"


def calibrate_routes(
    routes: Mapping[str, tuple],
    posts: Mapping[str, Sequence[Post]],
    tolerance: float = 20.0,
    join_tolerance: float = 1.0,
    ratio_tolerance: float = 0.2,
    strict: bool = False,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> tuple[dict[str, Route], list[Issue]]:
    """Calibrate every route; ``routes``: code -> (geometries, part names), ``posts``: code ->
    posts. Posts naming a route that does not exist are ``unknown_route`` errors."""
    out: dict[str, Route] = {}
    issues: list[Issue] = []
    for code in sorted(set(posts) - set(routes)):
        for post in posts[code]:
            issues.append(Issue("unknown_route", post.label, 0.0,
                                f"post {post.label} names route {code!r}, which is not in the "
                                "routes layer", code, post.row, post.x, post.y))
    for k, code in enumerate(sorted(routes)):
        if is_cancelled and is_cancelled():
            raise Cancelled("calibration cancelled")
        geoms, names = routes[code]
        route, found = calibrate_route(code, geoms, posts.get(code, ()), tolerance,
                                       join_tolerance, ratio_tolerance, part_names=names)
        out[code] = route
        issues.extend(found)
        if progress:
            progress(100.0 * (k + 1) / len(routes))
    if strict and any(i.severity == ERROR for i in issues):
        raise CalibrationError(", ".join(sorted(routes)), issues)
    return out, issues
