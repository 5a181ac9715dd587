"""One spatial index for shapely 1.8 (Debian 12, QGIS 3.22) and shapely 2 (QGIS 3.40 and later).

Shapely 1.8's ``STRtree.query`` returns geometries and ``query_items`` their indices;
shapely 2's ``query`` returns indices and has no ``query_items``. Code that indexes
geometries builds the tree with :func:`strtree` and asks it with :func:`query_indices`.
"""

from __future__ import annotations

import warnings
from typing import List, Sequence

from shapely.strtree import STRtree


def strtree(geoms: Sequence) -> STRtree:
    """An STRtree over ``geoms`` (shapely 1.8's notice of the 2.0 API silenced)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return STRtree(list(geoms))


def query_indices(tree: STRtree, geom) -> List[int]:
    """Indices of the indexed geometries whose bounding boxes meet ``geom``'s."""
    if hasattr(tree, "query_items"):  # shapely 1.8
        return [int(i) for i in tree.query_items(geom)]
    return [int(i) for i in tree.query(geom)]
