"""``qgis_process`` runs ``roadinfra:calibrate_routes`` from the packaged plugin on QL10.

Reuses the plugin-zip fixture and profile helper of ``test_qgis_desktop.py``.
"""

import json
import os
import shutil
import subprocess

import geopandas as gpd
import pytest
from roadinfra.core import crs
from roadinfra.core.lrs.calibrate import calibrate_route
from roadinfra.core.lrs.io import read_layer
from test_qgis_desktop import TIMEOUT_S, make_profile, plugin_zip  # noqa: F401 (fixture)

from tests.support.shared_data import SHARED_DATA

QL10 = f"{SHARED_DATA}/vn_roads_legocity/giaothong_clip_thai_binh.geojson"


def test_calibrate_routes_in_qgis_process(plugin_zip, tmp_path):  # noqa: F811
    qgis_process = shutil.which("qgis_process.bin")
    if qgis_process is None:
        pytest.skip("qgis_process.bin not installed")
    make_profile(tmp_path, "default", plugin_zip)
    line = calibrate_route("QL10", read_layer(QL10).geometry, [])[0].line
    dists = list(range(300, int(line.length), 1000))
    pts = [line.interpolate(d) for d in dists]
    lon, lat = crs.to_wgs84([p.x for p in pts], [p.y for p in pts])
    posts = tmp_path / "posts.geojson"
    gpd.GeoDataFrame({"label": [f"Km{60 + i}" for i in range(len(pts))]},
                     geometry=gpd.points_from_xy(lon, lat), crs=4326).to_file(posts,
                                                                              driver="GeoJSON")
    out, issues = tmp_path / "routes.gpkg", tmp_path / "issues.gpkg"
    env = {**os.environ, "QGIS_CUSTOM_CONFIG_PATH": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)
    completed = subprocess.run(
        [qgis_process, "--json", "run", "roadinfra:calibrate_routes", "--",
         f"ROUTES={QL10}", "ROUTE_CODE=QL10", f"POSTS={posts}", "LABEL_FIELD=label",
         f"OUTPUT={out}", f"ISSUES={issues}"],
        env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    json.loads(completed.stdout)
    routes = gpd.read_file(out)
    assert routes.crs.to_epsg() == 9209
    assert routes["route"].tolist() == ["QL10"]
    assert routes["posts_used"].iloc[0] == len(pts)
    assert routes["start_m"].iloc[0] == pytest.approx(59700.0, abs=0.01)
    assert sorted(gpd.read_file(issues)["kind"]) == ["fork", "gap"]   # a 72 m spur, a 4.5 km gap
