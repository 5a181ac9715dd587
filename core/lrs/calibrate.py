"""Calibrate a route from kilometre posts and report what is wrong with them.

Checks, each reported as an :class:`~.issues.Issue` (kind, post label, distance, message):

* ``off_route``: a post further than ``tolerance`` metres from the route (not used);
* the line is turned to run in the direction of increasing measure (``reversed``, info);
* ``duplicate_position``: the same post twice (same place within ``join_tolerance``, same
  measure): one is used; two posts at the same place with different measures are both
  ``ambiguous_order`` and neither is used;
* the longest run of posts whose measures increase along the route is kept; each other
  post is ``decreasing_measure`` (its measure is not above the kept post before it) or
  ``out_of_order`` (it lies before a kept post with a smaller measure) and is not used.
  When the culprit is ambiguous (two neighbouring posts swapped: either could be wrong;
  three or more rotated: the kept posts the dropped one conflicts with do not agree with the
  posts around the broken run), every post involved is ``ambiguous_order`` and none is used:
  a wrong post in use would shift every measure around it;
* ``suspicious_interval``: measure step / length along the line differs from 1 by more
  than ``ratio_tolerance`` (a missing or misplaced post; warning only, still used);
* ``gap`` / ``overlap`` between route parts (from :func:`~.route.chain_parts`), ``fork``
  and ``parallel`` pieces left out of the measured line (from :func:`~.branches.main_line`);
* ``uncalibrated``: fewer than two usable posts.

``strict=True`` raises :class:`~.issues.CalibrationError` when any error was found.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from ..errors import Cancelled
from .branches import main_line
from .chainage_text import chainage_text
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


def _runs(values: Sequence[float], pos: Sequence[float], forward: bool):
    """Per post: length and least cost of the longest increasing run ending (``forward``)
    or starting at it, and the post before it on the cheapest such run. The cost of a step
    is how far its measure step differs from its step along the route."""
    n = len(values)
    length, cost, link = [1] * n, [0.0] * n, [-1] * n
    order = range(n) if forward else range(n - 1, -1, -1)
    for i in order:
        others = range(i) if forward else range(i + 1, n)
        for j in others:
            if (values[j] < values[i]) if forward else (values[j] > values[i]):
                c = cost[j] + abs(abs(values[i] - values[j]) - abs(pos[i] - pos[j]))
                if length[j] + 1 > length[i] or (length[j] + 1 == length[i] and c < cost[i]):
                    length[i], cost[i], link[i] = length[j] + 1, c, j
    return length, cost, link


def _ordered_posts(values: Sequence[float], pos: Sequence[float],
                   ratio_tolerance: float) -> tuple[list[int], dict[int, set[int]]]:
    """Posts (sorted along the route) to keep, and those that break the order ambiguously.

    The kept posts are a longest run whose measures increase along the route; among equally
    long runs the one whose measure steps best match the steps along the route wins, so a
    mistyped post is dropped, not whichever comes first. A post outside that run which lies
    on another longest run nearly as good (within ``ratio_tolerance`` of the stretch between
    its kept neighbours) makes the culprit ambiguous, as with two swapped posts: it and the
    kept posts it conflicts with are all returned in the second value (post -> partners),
    and none of them may be used.
    """
    n = len(values)
    if n == 0:
        return [], {}
    lf, cf, link = _runs(values, pos, True)
    lb, cb, _ = _runs(values, pos, False)
    end = max(range(n), key=lambda k: (lf[k], -cf[k]))
    best_len, best_cost = lf[end], cf[end]
    keep = []
    while end != -1:
        keep.append(end)
        end = link[end]
    keep = keep[::-1]
    kept = set(keep)
    ambiguous: dict[int, set[int]] = {}
    for j in range(n):
        if j in kept or lf[j] + lb[j] - 1 < best_len:
            continue
        before = [k for k in keep if k < j]
        after = [k for k in keep if k > j]
        span = (pos[after[0]] if after else pos[j]) - (pos[before[-1]] if before else pos[j])
        if cf[j] + cb[j] - best_cost > ratio_tolerance * span:
            continue
        rivals = _rivals(j, keep, values)
        for k in rivals | {j}:
            ambiguous.setdefault(k, set()).update((rivals | {j}) - {k})
    for j in range(n):
        if j in kept or j in ambiguous:
            continue
        rivals = _rivals(j, keep, values)
        if not _fits_anchors(rivals | {j}, rivals, keep, values, pos, ratio_tolerance):
            for k in rivals | {j}:
                ambiguous.setdefault(k, set()).update((rivals | {j}) - {k})
    return [k for k in keep if k not in ambiguous], ambiguous


def _rivals(j: int, keep: Sequence[int], values: Sequence[float]) -> set[int]:
    """The kept posts that post ``j`` breaks the order with."""
    return {k for k in keep if (k < j and values[k] >= values[j])
            or (k > j and values[k] <= values[j])}


def _fits_anchors(run: set[int], rivals: set[int], keep: Sequence[int],
                  values: Sequence[float], pos: Sequence[float], ratio_tolerance: float) -> bool:
    """Whether the kept ``rivals`` of a dropped post agree with the nearest kept posts outside
    the broken ``run`` (each measure step within ``ratio_tolerance`` of its step along the
    route): then the dropped post alone is wrong (e.g. mistyped). If not, as when three or
    more posts are rotated, the culprit is ambiguous; with no anchor it cannot be told."""
    before = [k for k in keep if k < min(run) and k not in run]
    after = [k for k in keep if k > max(run) and k not in run]
    anchors = before[-1:] + after[:1]
    if not anchors:
        return False
    for r in rivals:
        for a in anchors:
            step = pos[r] - pos[a]
            if step == 0 or abs((values[r] - values[a]) / step - 1.0) > ratio_tolerance:
                return False
    return True


def _longest_run(values: Sequence[float], pos: Sequence[float]) -> int:
    return max(_runs(values, pos, True)[0], default=0)


def calibrate_route(
    code: str,
    geometries: Iterable[BaseGeometry],
    posts: Sequence[Post],
    tolerance: float = 20.0,
    join_tolerance: float = 1.0,
    ratio_tolerance: float = 0.2,
    strict: bool = False,
    part_names: Sequence[str] | None = None,
    start_measure: float | None = None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> tuple[Route, list[Issue]]:
    """Build route ``code`` from its line parts (grid CRS) and calibrate it on ``posts``.

    ``part_names`` labels the geometries in messages (e.g. ``"gid 262"``).
    ``start_measure`` is the route's measure at its start, used when fewer than one post
    is usable (without it the measure starts at 0).
    """
    parts, labels = explode_lines(geometries, code, part_names)
    pieces, piece_labels, issues = main_line(parts, labels, code, join_tolerance,
                                             [(p.x, p.y, p.measure) for p in posts], tolerance)
    line, chained, _ = chain_parts(pieces, piece_labels, code, join_tolerance)
    issues = [replace(i, distance=line.project(Point(i.x, i.y))) for i in issues] + chained
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
    back = ahead[::-1]
    if _longest_run([p.measure for _, p in back], [-d for d, _ in back]) > \
            _longest_run([p.measure for _, p in ahead], [d for d, _ in ahead]):
        line = LineString(list(line.coords)[::-1])
        projected = [(line.length - d, p) for d, p in projected]
        issues = [replace(i, distance=line.length - i.distance) for i in issues]
        issues.append(Issue("reversed", code, 0.0,
                            f"route {code} was digitised against chainage; reversed", code))
    projected.sort(key=_by_dist)
    projected, found = _same_place(projected, code, join_tolerance)
    issues.extend(found)
    values = [p.measure for _, p in projected]
    keep_idx, ambiguous = _ordered_posts(values, [d for d, _ in projected], ratio_tolerance)
    keep_set = set(keep_idx)
    kept: list[tuple[float, Post]] = [projected[i] for i in keep_idx]
    for i, (dist, post) in enumerate(projected):
        if i in keep_set:
            continue
        if i in ambiguous:
            others = sorted(ambiguous[i])
            names = ", ".join(f"{projected[j][1].label} ({_fmt(values[j])})" for j in others)
            issues.append(Issue(
                "ambiguous_order", post.label, dist,
                f"post {post.label} ({_fmt(post.measure)}) and post(s) {names} break the order "
                f"along route {code} and either could be the wrong one: none of them is used",
                code, post.row, post.x, post.y))
            continue
        before = [p for j, (_, p) in enumerate(projected[:i]) if j in keep_set]
        after = [p for j, (_, p) in enumerate(projected[i + 1:], start=i + 1) if j in keep_set]
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
    distances = [d for d, _ in kept]
    measures = [p.measure for _, p in kept]
    if len(kept) < 2:
        start = "its start measure" if start_measure is not None and not kept else "0"
        issues.append(Issue("uncalibrated", code, 0.0,
                            f"route {code} has {len(kept)} usable post(s): measures follow the "
                            f"line length from {start if not kept else 'that post'}", code))
        if not kept and start_measure is not None:
            distances, measures = [0.0], [float(start_measure)]
    gaps = []  # each gap issue sits at the middle of its bridge
    for issue in issues:
        if issue.kind == "gap" and issue.line:
            half = float(np.hypot(*np.subtract(issue.line[1], issue.line[0]))) / 2
            gaps.append((max(0.0, issue.distance - half), min(line.length, issue.distance + half)))
    route = Route(code, line, np.array(distances), np.array(measures), tuple(sorted(gaps)))
    issues.sort(key=lambda i: (i.distance, i.kind))
    if strict and any(i.severity == ERROR for i in issues):
        raise CalibrationError(code, issues)
    return route, issues


def _same_place(projected: list[tuple[float, Post]], code: str, tol: float):
    """Drop a post given twice (same place, same measure: ``duplicate_position``) and every
    post of a place given two different measures (``ambiguous_order``)."""
    out: list[tuple[float, Post]] = []
    issues: list[Issue] = []
    i = 0
    while i < len(projected):
        group = [projected[i]]
        while i + len(group) < len(projected) and \
                projected[i + len(group)][0] - group[-1][0] <= tol and \
                np.hypot(projected[i + len(group)][1].x - group[0][1].x,
                         projected[i + len(group)][1].y - group[0][1].y) <= tol:
            group.append(projected[i + len(group)])
        i += len(group)
        first = group[0][1]
        if all(abs(p.measure - first.measure) < 1e-6 for _, p in group):
            out.append(group[0])
            for dist, post in group[1:]:
                issues.append(Issue(
                    "duplicate_position", post.label, dist,
                    f"post {post.label} ({_fmt(post.measure)}) is given twice at the same place "
                    f"(also row {first.row}); one is used", code, post.row, post.x, post.y))
            continue
        for dist, post in group:
            others = ", ".join(f"{p.label} ({_fmt(p.measure)})" for _, p in group if p is not post)
            issues.append(Issue(
                "ambiguous_order", post.label, dist,
                f"post {post.label} ({_fmt(post.measure)}) lies at the same place as post(s) "
                f"{others} on route {code}: none of them is used", code, post.row, post.x, post.y))
    return out, issues


def _by_dist(item):
    return item[0]


def _fmt(measure: float) -> str:
    return chainage_text(measure) or f"{measure:.1f} m"


def calibrate_routes(
    routes: Mapping[str, tuple],
    posts: Mapping[str, Sequence[Post]],
    tolerance: float = 20.0,
    join_tolerance: float = 1.0,
    ratio_tolerance: float = 0.2,
    strict: bool = False,
    starts: Mapping[str, float] | None = None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> tuple[dict[str, Route], list[Issue]]:
    """Calibrate every route; ``routes``: code -> (geometries, part names), ``posts``: code ->
    posts, ``starts``: code -> start measure. Posts naming a route that does not exist are
    ``unknown_route`` errors (:func:`~.network.build_network` stops on them)."""
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
                                       join_tolerance, ratio_tolerance, part_names=names,
                                       start_measure=(starts or {}).get(code))
        out[code] = route
        issues.extend(found)
        if progress:
            progress(100.0 * (k + 1) / len(routes))
    if strict and any(i.severity == ERROR for i in issues):
        raise CalibrationError(", ".join(sorted(routes)), issues)
    return out, issues
