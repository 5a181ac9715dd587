"""Benchmark: the quality report's open gaps (``core.cadastre.quality.open_gaps``) at
200,000 parcels, against the union of the cover the report already makes.

A jittered 460 x 460 grid of 20 m quadrilaterals with every 25th column left out as a 20 m
road (203,320 parcels), and a 0.5 m strip cut along the road side of every 23rd parcel by
each road. Prints the CPU seconds of the union and of ``open_gaps``, and how many strips it
finds. Run by hand (results go to docs/cadastre.md, section 3):

    .venv/bin/python benchmarks/bench_cadastre_gaps.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parcels(n: int = 460, cell: float = 20.0, seed: int = 1) -> list:
    import numpy as np
    from shapely.geometry import Polygon

    rng = np.random.default_rng(seed)
    vx = np.arange(n + 1)[None, :] * cell + rng.uniform(-3, 3, (n + 1, n + 1))
    vy = np.arange(n + 1)[:, None] * cell + rng.uniform(-3, 3, (n + 1, n + 1))
    out = []
    for j in range(n):
        for i in range(n):
            if i % 25 == 12:
                continue  # a road
            poly = Polygon([(vx[j, i], vy[j, i]), (vx[j, i + 1], vy[j, i + 1]),
                            (vx[j + 1, i + 1], vy[j + 1, i + 1]), (vx[j + 1, i], vy[j + 1, i])])
            if i % 25 == 11 and j % 23 == 0:  # a 0.5 m strip along its top, open on the road
                top = [(vx[j + 1, i] - 1, vy[j + 1, i] - 0.5),
                       (vx[j + 1, i + 1] + 1, vy[j + 1, i + 1] - 0.5),
                       (vx[j + 1, i + 1] + 1, vy[j + 1, i + 1] + 0.01),
                       (vx[j + 1, i] - 1, vy[j + 1, i] + 0.01)]
                poly = poly.difference(Polygon(top))
            out.append(poly)
    return out


def main() -> int:
    from roadinfra.core.cadastre.quality import Tolerances, open_gaps
    from roadinfra.core.spatial_index import strtree
    from shapely.ops import unary_union

    geoms = parcels()
    start = time.process_time()
    cover = unary_union(geoms)
    union = time.process_time() - start
    tree = strtree(geoms)
    start = time.process_time()
    found = open_gaps(cover, [], tree, geoms, Tolerances())
    gaps = time.process_time() - start
    print(f"{len(geoms)} parcels: union {union:.1f} s CPU, open gaps {gaps:.1f} s CPU, "
          f"{len(found)} strip(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
