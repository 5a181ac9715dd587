"""The main line of a route whose pieces fork; spurs and parallel pieces are reported.

A route is meant to be one line, but a route layer often holds more: a spur to a ferry
landing, both halves of a roundabout, both carriageways of a dual road. Chaining such
pieces end to end makes the route too long and every measure after the fork wrong.

:func:`main_line` splits pieces where the end of one touches the inside of another (a
T-junction), merges piece ends closer than ``join_tolerance`` into nodes and looks at each
connected group of pieces. A group that is a simple chain (no node with three or more
pieces) is returned as it came. Otherwise the main line is the path between two end nodes
that passes the most kilometre posts, then fits their measures best, then is the longest;
every other piece is reported and left out: a ``fork`` when it hangs on the main line at
one node (a spur), a ``parallel`` when it joins it at two or more (the other half of a
roundabout, the other carriageway).
Two pieces between the same two nodes that lie within ``join_tolerance`` of each other are
the same stretch twice: an ``overlap``, and one of them is kept.
A chainage is never negative: pieces at the low-measure end of the main line that lie wholly
before where its posts put measure 0 (a spur leaving the route's first node, which would
chain into a "route" that starts 600 m before Km0) are a ``fork`` too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from shapely.geometry import LineString, Point
from shapely.ops import substring

from .issues import Issue

#: Paths tried per group of pieces before the best one found so far is taken.
MAX_PATHS = 20000


@dataclass
class _Edge:
    u: int
    v: int
    line: LineString
    label: str


def _split_at_touches(parts: Sequence[LineString], labels: Sequence[str], tol: float):
    """Pieces cut where another piece's end lies on their inside (T-junctions)."""
    ends = [Point(c) for p in parts for c in (p.coords[0], p.coords[-1])]
    out: list[tuple[LineString, str]] = []
    for i, part in enumerate(parts):
        minx, miny, maxx, maxy = part.bounds
        cuts = []
        for k, end in enumerate(ends):
            if k // 2 == i or not (minx - tol <= end.x <= maxx + tol
                                   and miny - tol <= end.y <= maxy + tol):
                continue
            if part.distance(end) <= tol:
                d = part.project(end)
                if tol < d < part.length - tol:
                    cuts.append(d)
        stops = [0.0] + sorted(set(cuts)) + [part.length]
        for d0, d1 in zip(stops, stops[1:]):
            if d1 - d0 > 1e-9:
                piece = part if (d0, d1) == (0.0, part.length) else substring(part, d0, d1)
                out.append((LineString(piece.coords), labels[i]))
    return out


def _graph(pieces, tol: float) -> tuple[list[tuple[float, float]], list[_Edge]]:
    nodes: list[tuple[float, float]] = []

    def node(xy) -> int:
        for k, (nx, ny) in enumerate(nodes):
            if (nx - xy[0]) ** 2 + (ny - xy[1]) ** 2 <= tol * tol:
                return k
        nodes.append((xy[0], xy[1]))
        return len(nodes) - 1

    edges = [_Edge(node(line.coords[0]), node(line.coords[-1]), line, label)
             for line, label in pieces]
    return nodes, edges


def _components(n_nodes: int, edges: list[_Edge]) -> list[list[int]]:
    """Edge indices per connected group, in input order."""
    parent = list(range(n_nodes))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for e in edges:
        parent[find(e.u)] = find(e.v)
    groups: dict[int, list[int]] = {}
    for k, e in enumerate(edges):
        groups.setdefault(find(e.u), []).append(k)
    return list(groups.values())


def _degrees(edge_ids, edges) -> dict[int, int]:
    deg: dict[int, int] = {}
    for k in edge_ids:
        deg[edges[k].u] = deg.get(edges[k].u, 0) + 1
        deg[edges[k].v] = deg.get(edges[k].v, 0) + 1
    return deg


def _best_path(edge_ids, edges, covers, posts=(), tolerance: float = 0.0
               ) -> list[tuple[int, bool]]:
    """(edge, reversed) along the path between end nodes that passes the most posts; among
    those, the one whose lengths between its posts best match their measure steps; then the
    longest."""
    deg = _degrees(edge_ids, edges)
    adjacency: dict[int, list[tuple[int, int, bool]]] = {}
    for k in edge_ids:
        e = edges[k]
        if e.u == e.v:
            continue                         # a closed loop cannot be on a path
        adjacency.setdefault(e.u, []).append((k, e.v, False))
        adjacency.setdefault(e.v, []).append((k, e.u, True))
    terminals = [n for n, d in deg.items() if d == 1] or list(adjacency)
    found: list[tuple[int, float, list]] = []
    for start in terminals:
        stack = [(start, [], frozenset([start]))]
        while stack and len(found) < MAX_PATHS:
            at, path, seen = stack.pop()
            if path and at in terminals:
                covered = set().union(*(covers[k] for k, _ in path))
                found.append((len(covered), sum(edges[k].line.length for k, _ in path), path))
            for k, nxt, rev in adjacency.get(at, ()):
                if nxt not in seen:
                    stack.append((nxt, path + [(k, rev)], seen | {nxt}))
    if not found:
        return []
    most = max(f[0] for f in found)
    best = [f for f in found if f[0] == most]
    if most >= 2 and len(best) > 1:
        return min(best, key=lambda f: (_misfit(_join(f[2], edges), posts, tolerance),
                                        -f[1]))[2]
    return max(best, key=lambda f: f[1])[2]


def _misfit(line: LineString, posts, tolerance: float) -> float:
    """How far the lengths between the posts near ``line`` differ from their measure steps."""
    placed = sorted((line.project(Point(x, y)), m) for x, y, m in posts
                    if line.distance(Point(x, y)) <= tolerance)
    return sum(abs(abs(m1 - m0) - (d1 - d0)) for (d0, m0), (d1, m1) in zip(placed, placed[1:]))


def _join(path, edges) -> LineString:
    coords: list = []
    for k, rev in path:
        pc = list(edges[k].line.coords)
        pc = pc[::-1] if rev else pc
        same = coords and (coords[-1][0] - pc[0][0]) ** 2 + (coords[-1][1] - pc[0][1]) ** 2 < 1e-18
        coords.extend(pc[1:] if same else pc)
    return LineString(coords)


def _labels(names) -> str:
    return ", ".join(dict.fromkeys(names))


def main_line(
    parts: Sequence[LineString],
    labels: Sequence[str],
    route: str = "",
    join_tolerance: float = 1.0,
    posts: Sequence[tuple[float, float, float]] = (),
    tolerance: float = 20.0,
) -> tuple[list[LineString], list[str], list[Issue]]:
    """Pieces to chain into the route (one per connected group that forked) and the
    ``fork``/``parallel``/``overlap`` issues; see the module docstring.

    ``posts`` are kilometre posts ``(x, y, measure)``: the main line is the path that passes
    most of them within ``tolerance``, then the one whose lengths between them best match
    their measures (a detour round the far side of a roundabout is longer than its
    chainage), then the longest. Issue distances are 0 here: the caller places them.
    """
    tol = join_tolerance
    nodes, edges = _graph(_split_at_touches(parts, labels, tol), tol)
    issues: list[Issue] = []
    # the same stretch twice between two nodes: keep one
    dropped: set[int] = set()
    for a in range(len(edges)):
        for b in range(a + 1, len(edges)):
            ea, eb = edges[a], edges[b]
            if a in dropped or b in dropped or {ea.u, ea.v} != {eb.u, eb.v}:
                continue
            if ea.line.hausdorff_distance(eb.line) <= 2 * tol:
                dropped.add(b)
                at = nodes[eb.u]
                issues.append(Issue(
                    "overlap", eb.label, 0.0,
                    f"{eb.label} runs over {ea.label} for {eb.line.length:.1f} m",
                    route=route, x=at[0], y=at[1], line=tuple(eb.line.coords)))
    edges_kept = [k for k in range(len(edges)) if k not in dropped]
    groups = _components(len(nodes), [edges[k] for k in edges_kept])
    groups = [[edges_kept[k] for k in g] for g in groups]
    simple = all(max(_degrees(g, edges).values()) <= 2 for g in groups) and not issues
    pts = [Point(p[0], p[1]) for p in posts]
    out_lines: list[LineString] = []
    out_labels: list[str] = []
    trimmed_any = False
    for group in groups:
        if max(_degrees(group, edges).values()) <= 2:
            path = _best_path(group, edges, {k: set() for k in group}) or \
                [(group[0], False)]
            if len(path) < len(group):       # a ring: keep every piece in order
                out_lines.extend(edges[k].line for k in group)
                out_labels.extend(edges[k].label for k in group)
                continue
        else:
            covers = {k: {i for i, p in enumerate(pts) if edges[k].line.distance(p) <= tolerance}
                      for k in group}
            path = _best_path(group, edges, covers, posts, tolerance)
        trimmed = _before_zero(path, edges, posts, tolerance, tol)
        trimmed_any = trimmed_any or len(trimmed) < len(path)
        path = _as_digitised(trimmed, edges)
        on_path = {k for k, _ in path}
        path_nodes = {edges[k].u for k in on_path} | {edges[k].v for k in on_path}
        out_lines.append(_join(path, edges))
        out_labels.append(_labels(edges[k].label for k, _ in path))
        issues.extend(_left_out([k for k in group if k not in on_path], edges, nodes,
                                path_nodes, route))
    if simple and not trimmed_any:
        return list(parts), list(labels), []
    return out_lines, out_labels, issues


def _as_digitised(path, edges):
    """``path`` walked the way most of its length was digitised (so that ``reversed`` is
    only said of a route drawn against its chainage)."""
    against = sum(edges[k].line.length for k, rev in path if rev)
    if against * 2 > sum(edges[k].line.length for k, _ in path):
        return [(k, not rev) for k, rev in reversed(path)]
    return path


def _before_zero(path, edges, posts, tolerance: float, join_tolerance: float):
    """``path`` without the pieces at its low-measure end that lie wholly before measure 0
    as its posts place it (extrapolated from the lowest post), when the path's end would
    be more than ``tolerance`` below 0; the path as it is with fewer than two posts on it."""
    if len(path) < 2 or len(posts) < 2:
        return path
    line = _join(path, edges)
    placed = sorted((line.project(Point(x, y)), m) for x, y, m in posts
                    if line.distance(Point(x, y)) <= tolerance)
    if len(placed) < 2:
        return path
    rising = sum((m1 > m0) - (m1 < m0) for (_, m0), (_, m1) in zip(placed, placed[1:])) >= 0
    if not rising:   # look from the other end
        path = [(k, not rev) for k, rev in reversed(path)]
        placed = sorted((line.length - d, m) for d, m in placed)
    d_low, m_low = placed[0]
    zero = d_low - m_low                     # where the posts put measure 0 along the path
    if zero <= tolerance:                   # the path starts at (or after) measure 0
        return path if rising else [(k, not rev) for k, rev in reversed(path)]
    kept, reach = list(path), 0.0
    while len(kept) > 1 and reach + edges[kept[0][0]].line.length <= zero + join_tolerance:
        reach += edges[kept[0][0]].line.length
        kept.pop(0)
    return kept if rising else [(k, not rev) for k, rev in reversed(kept)]


def _left_out(rest: list[int], edges, nodes, path_nodes: set[int], route: str) -> list[Issue]:
    """One ``fork`` or ``parallel`` issue per connected bunch of pieces off the main line."""
    bunches: list[list[int]] = []
    for k in rest:
        ends = {edges[k].u, edges[k].v} - path_nodes
        joined = [b for b in bunches
                  if any(ends & ({edges[j].u, edges[j].v} - path_nodes) for j in b)]
        merged = [k] + [j for b in joined for j in b]
        bunches = [b for b in bunches if b not in joined] + [merged]
    issues = []
    for bunch in bunches:
        touches = sorted({n for k in bunch for n in (edges[k].u, edges[k].v)} & path_nodes)
        length = sum(edges[k].line.length for k in bunch)
        names = _labels(edges[k].label for k in bunch)
        at = nodes[touches[0]] if touches else edges[bunch[0]].line.coords[0]
        coords = [c for k in bunch for c in edges[k].line.coords]
        if len(touches) >= 2:
            kind, how = "parallel", ("runs beside route {r} between two of its nodes "
                                     "(a roundabout or a second carriageway)")
        else:
            kind, how = "fork", "leaves route {r} at a fork (a spur)"
        issues.append(Issue(
            kind, names, 0.0,
            f"{names} ({length:.0f} m) {how.format(r=route)}: left out of the measured line",
            route=route, x=at[0], y=at[1], line=tuple(coords)))
    return issues
