"""An empty SQLite R-tree (a GeoPackage spatial index) filled in one pass.

Inserting entries one by one through the R-tree module costs about 5 microseconds each
(node choice, splits, forced reinsertion). A new package's table has all its bounds at
once, so :func:`fill_rtree` packs them (sort-tile-recursive: sorted by x into slices, each
slice by y, cut into evenly filled nodes, then the same one level up) and writes the
R-tree's own tables as SQLite's ``rtree.c`` defines them (as GDAL does for ``ogr2ogr``):

* ``<name>_node(nodeno, data)``: node 1 is the root; ``data`` is a blob of the node size
  (the length of the root SQLite wrote when the table was created): the tree depth (2
  bytes, root only), the cell count (2 bytes), then per cell the rowid (8 bytes) and
  minx, maxx, miny, maxy as 32-bit floats, all big-endian; a leaf cell's rowid is the
  feature's ``fid``, an inner cell's the child node and its box the union of the child's;
* ``<name>_rowid(rowid, nodeno)``: the leaf of each entry;
* ``<name>_parent(nodeno, parentnode)``: the parent of each node but the root.

A bound is stored as SQLite stores it (``rtreeValueDown``/``rtreeValueUp``: the nearest
32-bit float not inside the box). Nodes hold at least half their capacity, as after
SQLite's own splits, so later inserts and deletes through the R-tree module work as on any
other; ``rtreecheck()`` passes (tests/unit/test_rtree_fill.py). An entry whose bounds are
not all finite (NaN: an empty geometry under shapely 2) is left out, as GeoPackage's own
triggers leave out an empty geometry: in a node it would make its parent's box NaN, which
no query matches, and hide every sibling.
"""

from __future__ import annotations

import sqlite3
from typing import Dict, List, Sequence, Tuple

import numpy as np

from .gpkg import insert_many

_TOWARDS = 1.0 - 1.0 / 8388608.0  # rtree.c RNDTOWARDS
_AWAY = 1.0 + 1.0 / 8388608.0  # rtree.c RNDAWAY
_CELL = np.dtype([("id", ">i8"), ("box", ">f4", (4,))])  # 24 bytes, as rtree.c writes


def fill_rtree(conn: sqlite3.Connection, sql: Dict[str, str], fids: Sequence[int],
               bounds: np.ndarray) -> None:
    """Fill an empty 2-D R-tree, its statements ``sql`` (:func:`..schema.ddl_gpkg.
    rtree_fill_sql`), with one entry per ``fids`` (distinct) and
    ``bounds`` (rows of minx, maxx, miny, maxy), within the caller's transaction; a row
    of bounds that are not all finite gets no entry."""
    box = np.asarray(bounds, dtype=np.float64).reshape(-1, 4)
    ids = np.asarray(fids, dtype=np.int64)
    finite = np.isfinite(box).all(axis=1)
    if not finite.all():
        box, ids = box[finite], ids[finite]
    if not len(ids):
        return
    size = conn.execute(sql["root_size"]).fetchone()[0]
    capacity = (size - 4) // _CELL.itemsize
    cells = np.empty(len(ids), _CELL)
    cells["id"] = ids
    cells["box"][:, 0], cells["box"][:, 2] = _down(box[:, 0]), _down(box[:, 2])
    cells["box"][:, 1], cells["box"][:, 3] = _up(box[:, 1]), _up(box[:, 3])
    nodes: List[Tuple[int, bytes]] = []
    parents: List[Tuple[int, int]] = []
    leaf_rows: List[Tuple[int, int]] = []  # (fid, its leaf node)
    depth, level, next_no = 0, cells, 2
    while True:
        groups = _groups(level, capacity)
        if len(groups) == 1:  # the root
            nodes.append((1, _blob(groups[0], size, depth)))
            numbers = [1]
        else:
            numbers = list(range(next_no, next_no + len(groups)))
            next_no += len(groups)
            nodes += [(no, _blob(group, size)) for no, group in zip(numbers, groups)]
        if depth == 0:
            leaf_rows = list(zip(
                np.concatenate([group["id"] for group in groups]).tolist(),
                np.repeat(numbers, [len(group) for group in groups]).tolist()))
        else:
            parents += [(int(child), no) for no, group in zip(numbers, groups)
                        for child in group["id"]]
        if len(groups) == 1:
            break
        level = np.empty(len(groups), _CELL)  # the nodes as cells of the level above
        level["id"] = numbers
        for i, group in enumerate(groups):
            b = group["box"]
            level["box"][i] = (b[:, 0].min(), b[:, 1].max(), b[:, 2].min(), b[:, 3].max())
        depth += 1
    conn.execute(sql["clear"])
    conn.executemany(sql["node"], nodes)
    insert_many(conn, sql["rowid"], leaf_rows)
    conn.executemany(sql["parent"], parents)


def _groups(cells: np.ndarray, capacity: int) -> List[np.ndarray]:
    """``cells`` cut into nodes of at most ``capacity``, evenly filled, near ones together
    (sorted by the boxes' centre x into vertical slices, each slice by centre y)."""
    count = len(cells)
    n_nodes = max(1, -(-count // capacity))
    if n_nodes == 1:
        return [cells]
    centre = cells["box"].astype(np.float64)
    cx, cy = centre[:, 0] + centre[:, 1], centre[:, 2] + centre[:, 3]
    slices = int(np.ceil(np.sqrt(n_nodes)))
    by_x = np.argsort(cx, kind="stable")
    order = np.concatenate([part[np.argsort(cy[part], kind="stable")]
                            for part in np.array_split(by_x, slices)])
    return np.array_split(cells[order], n_nodes)


def _blob(cells: np.ndarray, size: int, depth: int = 0) -> bytes:
    head = depth.to_bytes(2, "big") + len(cells).to_bytes(2, "big")
    body = cells.tobytes()
    return head + body + bytes(size - len(head) - len(body))


def _down(values: np.ndarray) -> np.ndarray:
    """rtree.c rtreeValueDown: the 32-bit float of each value, made not above it (beyond
    the 32-bit range: -inf or the largest float, as SQLite stores it, silently)."""
    with np.errstate(over="ignore"):
        out = values.astype(np.float32)
        over = out.astype(np.float64) > values
        if over.any():
            v = values[over]
            out[over] = (v * np.where(v < 0, _AWAY, _TOWARDS)).astype(np.float32)
    return out


def _up(values: np.ndarray) -> np.ndarray:
    """rtree.c rtreeValueUp: the 32-bit float of each value, made not below it (beyond
    the 32-bit range: +inf or the lowest float, as SQLite stores it, silently)."""
    with np.errstate(over="ignore"):
        out = values.astype(np.float32)
        under = out.astype(np.float64) < values
        if under.any():
            v = values[under]
            out[under] = (v * np.where(v < 0, _TOWARDS, _AWAY)).astype(np.float32)
    return out
