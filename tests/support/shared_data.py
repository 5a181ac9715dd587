"""Where the real third-party data sets are: ``../shared/data`` beside the clone (CI lays a
copy there) or the folder named by ``RI_SHARED_DATA``."""

import json
import os
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = Path(os.environ.get("RI_SHARED_DATA") or REPO.parent / "shared" / "data")

if not SHARED_DATA.is_dir():
    raise RuntimeError(
        f"the real test data sets are missing: {SHARED_DATA} does not exist "
        "(put shared/ beside the clone or set RI_SHARED_DATA)"
    )

QL10 = SHARED_DATA / "vn_roads_legocity" / "giaothong_clip_thai_binh.geojson"


def ql10_vertices() -> np.ndarray:
    """(lon, lat) of every vertex of the real QL10 centre-line pieces, WGS 84."""
    with open(QL10, encoding="utf-8") as handle:
        data = json.load(handle)
    out = []
    for feature in data["features"]:
        geom = feature["geometry"]
        lines = geom["coordinates"] if geom["type"] == "MultiLineString" else [geom["coordinates"]]
        for line in lines:
            out.extend((c[0], c[1]) for c in line)
    return np.array(out)
