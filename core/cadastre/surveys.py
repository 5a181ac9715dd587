"""Which outline of each building merged as moved off itself (:func:`.buildings.
_same_buildings`) the overlay charges. Pairs whose outlines overlap across pairs (a terrace
and its old survey moved along the road: an old outline lies over its neighbour's new one)
are decided together, one survey for them all, so the outlines charged never overlap
where the drawing's two surveys do not; a survey whose outlines overlap a building drawn in
one survey only (a house built after the old map) where the other survey's do not is not
charged."""

from __future__ import annotations

from ..spatial_index import query_indices, strtree
from .buildings import TIE_DIGITS, WALL_M


def beyond_wall(a, b) -> bool:
    """Whether footprints ``a`` and ``b`` (in metres) overlap by more than a wall: their
    overlap holds something wider than :data:`.buildings.WALL_M` (neighbours drawn over
    their shared wall do not)."""
    shared = a.intersection(b)
    return shared.area > 1e-6 and shared.buffer(-WALL_M / 2, join_style=2).area > 1e-6


def _row(name) -> int:
    return int(str(name).split(".")[0])


def _alone(options: list, land: list) -> int:
    """The outline a pair charges on its own: the most road land, then safety corridor,
    then the larger (to :data:`.buildings.TIE_DIGITS` decimals of m²), then the one kept."""
    return max(range(len(options)), key=lambda n: tuple(
        round(v, TIE_DIGITS) for v in (*land[n], options[n][1])) + (-n,))


def charged_outlines(options: list, land: list, geoms: list,
                     fixed: list = (), lone: list | None = None) -> tuple[list, list]:
    """Per building merged with outlines moved off it (``options``: [(name, m²)] per
    building, the one kept first; ``land``: (m² on road land, m² in the safety corridor) of
    each; ``geoms``: each outline in metres), the index of the outline charged, and the
    rows of each group decided pair by pair. The outlines are joined where they overlap
    beyond a wall (a pair's two outlines always); a group of several buildings whose
    outlines split in two surveys, no two of one survey joined and each building one
    outline in each, charges one survey whole: the one taking more road land, then more
    safety corridor, then the larger total area (to 0.01 m²), then the one holding the
    earliest row. ``fixed``: (row, outline in metres) of the buildings with one outline
    only, each charged whole: a survey (a building alone: an outline) whose outlines overlap
    one of them beyond a wall where the other survey's do not is not charged, whatever its
    land; when both or neither do, the key above. A group that does not split so (three
    outlines of one house, outlines of one survey overlapping) is decided pair by pair
    (:func:`_alone`), its rows returned; a group whose outlines charged still overlap a
    building of ``fixed``, its rows returned with that building's. ``lone``, when given, gets
    each group (a building alone too) so decided or charged over a building of ``fixed``:
    (its rows, whether that building decided it (only the survey not charged lies over one),
    [(a row of the survey over one, the row of ``fixed`` it lies over)])."""
    nodes = [(e, n) for e, opts in enumerate(options) for n in range(len(opts))]
    polygons = [geoms[e][n] for e, n in nodes]
    tree = strtree(polygons)
    links: list = [[] for _ in nodes]
    for i, polygon in enumerate(polygons):
        for j in query_indices(tree, polygon):
            if j <= i:
                continue
            (e, n), (f, m) = nodes[i], nodes[j]
            if (e == f and 0 in (n, m)) or beyond_wall(polygon, polygons[j]):
                links[i].append(j)
                links[j].append(i)
    fixed_tree = strtree([geom for _, geom in fixed]) if len(fixed) else None

    def lone_under(i) -> set:  # the rows of ``fixed`` outline ``i`` overlaps beyond a wall
        if fixed_tree is None:
            return set()
        return {fixed[j][0] for j in query_indices(fixed_tree, polygons[i])
                if beyond_wall(polygons[i], fixed[j][1])}

    best = [_alone(opts, land[e]) for e, opts in enumerate(options)]
    colour: dict = {}
    unsplit = []
    for start in range(len(nodes)):
        if start in colour:
            continue
        colour[start], group, two, queue = 0, [start], True, [start]
        while queue:
            i = queue.pop()
            for j in links[i]:
                if j not in colour:
                    colour[j] = 1 - colour[i]
                    group.append(j)
                    queue.append(j)
                elif colour[j] == colour[i]:
                    two = False
        buildings = {nodes[i][0] for i in group}
        rows = {_row(options[e][n][0]) for e, n in (nodes[i] for i in group)}
        if not two or any(len(options[e]) != 2 for e in buildings):
            if len(buildings) > 1:
                unsplit.append(sorted(rows))
            continue
        under = [(nodes[i], colour[i], r) for i in group for r in sorted(lone_under(i))]
        over = [{r for _, c_, r in under if c_ == c} for c in (0, 1)]
        if len(buildings) < 2 and not any(over):
            continue

        def weight(c, group=group):
            side = [nodes[i] for i in group if colour[i] == c]
            return (round(sum(land[e][n][0] for e, n in side), TIE_DIGITS),
                    round(sum(land[e][n][1] for e, n in side), TIE_DIGITS),
                    round(sum(options[e][n][1] for e, n in side), TIE_DIGITS),
                    -min(_row(options[e][n][0]) for e, n in side))

        if bool(over[0]) != bool(over[1]):
            chosen = int(bool(over[0]))  # the survey overlapping no building drawn once
        elif len(buildings) < 2:
            chosen = next(colour[i] for i in group if nodes[i][1] == best[nodes[i][0]])
        else:
            chosen = max((0, 1), key=weight)
        if over[chosen]:
            unsplit.append(sorted(rows | {_row(r) for r in over[chosen]}))
        if lone is not None and any(over):
            decided = not over[chosen]
            lone.append((sorted(rows), decided, [
                (_row(options[e][n][0]), _row(r)) for (e, n), c, r in under
                if not decided or c != chosen]))
        for i in group:
            if colour[i] == chosen:
                best[nodes[i][0]] = nodes[i][1]
    return best, sorted(unsplit)
