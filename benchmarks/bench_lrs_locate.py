"""Benchmark: locating points on calibrated routes, RoadInfra against the QGIS LRS plugin.

On the sample province (7 routes, 207 kilometre posts), ``--points`` seeded points near
the routes (a route picked by length, a place along it, a normal offset of 30 m) are
located within ``--threshold`` m, timed in the same run, best of ``--repeat``:

(a) the QGIS LRS plugin (blazek/lrs 1.2.5) headless through its library classes:
    ``LrsCalib(...).calibrate()`` once, then ``pointMeasure(point, threshold)`` per point,
    which is what its Locate tool does; the plugin is imported from ``--plugin-path`` (or
    the env var ``LRS_PLUGIN_PATH``), the folder holding the plugin's ``lrs`` package, kept
    outside this repository;
(b) RoadInfra now: ``core.lrs.locate.locate_points`` (spatial index + route arrays,
    index build included);
(c) RoadInfra before (the algorithm this replaced, kept here as the baseline): for every
    point the distance to every route line, then ``locate_point`` on the nearest.

Prints the times, the ratios and how far (a) and (b) agree. Run by hand (results go to
docs/benchmarks.md):

    QT_QPA_PLATFORM=offscreen LRS_PLUGIN_PATH=/tmp/blazek_lrs \\
        .venv/bin/python benchmarks/bench_lrs_locate.py --points 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import shapely
from roadinfra.core.lrs.io import read_layer
from roadinfra.core.lrs.locate import locate_point, locate_points
from roadinfra.core.lrs.network import build_network
from shapely.geometry import Point

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def best_of(repeat: int, func):
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = func()
        best = min(best, time.perf_counter() - start)
    return best, value


def make_points(routes, n: int, seed: int):
    rng = np.random.default_rng(seed)
    lengths = np.array([r.length for r in routes])
    picks = rng.choice(len(routes), size=n, p=lengths / lengths.sum())
    xs, ys = np.empty(n), np.empty(n)
    for i, k in enumerate(picks):
        p = routes[k].line.interpolate(rng.uniform(0, routes[k].length))
        xs[i], ys[i] = p.x + rng.normal(0, 30.0), p.y + rng.normal(0, 30.0)
    return xs, ys


def before(routes, xs, ys, threshold):
    """The replaced algorithm: every route's distance for every point."""
    out = []
    for x, y in zip(xs, ys):
        point = Point(x, y)
        distances = [r.line.distance(point) for r in routes]
        best = int(np.argmin(distances))
        out.append(None if distances[best] > threshold else locate_point(routes[best], x, y))
    return out


def plugin_runner(plugin_path: str, threshold: float):
    """Calibrate the sample with the plugin's LrsCalib; return (seconds, locate function)."""
    sys.path.insert(0, plugin_path)
    from lrs.lrs.lrscalib import LrsCalib  # the plugin's own library class
    from lrs.lrs.utils import LrsUnits
    from qgis.core import QgsPointXY, QgsVectorLayer

    routes = QgsVectorLayer(str(SAMPLE / "route.geojson"), "route", "ogr")
    posts = QgsVectorLayer(str(SAMPLE / "calibration_point.geojson"), "posts", "ogr")
    if not (routes.isValid() and posts.isValid()):
        raise SystemExit("sample layers did not load in QGIS")
    start = time.perf_counter()
    calib = LrsCalib(routes, "id", posts, "route_id", "measure_m", crs=routes.crs(),
                     threshold=20.0, snap=1.0, measureUnit=LrsUnits.METER, extrapolate=True)
    calib.calibrate()
    calibrated = time.perf_counter() - start

    def locate(xs, ys):
        return [calib.pointMeasure(QgsPointXY(x, y), threshold) for x, y in zip(xs, ys)]

    return calibrated, locate, calib, (routes, posts)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--threshold", type=float, default=100.0)
    parser.add_argument("--plugin-path", default=os.environ.get("LRS_PLUGIN_PATH"),
                        help="folder holding the QGIS LRS plugin's 'lrs' package")
    args = parser.parse_args(argv)

    frames = read_layer(SAMPLE / "route.geojson"), read_layer(SAMPLE / "calibration_point.geojson")
    calibrated, network = best_of(args.repeat, lambda: build_network(
        *frames, route_field="code", post_route_field="route_id", measure_field="measure_m"))
    routes = list(network.routes.values())
    by_id = network.keys.aliases["id"]          # the plugin names routes by their id
    xs, ys = make_points(routes, args.points, args.seed)
    print(f"{args.points} points, {len(routes)} routes, threshold {args.threshold:g} m; "
          f"python {platform.python_version()}, numpy {np.__version__}, "
          f"shapely {shapely.__version__}, {os.cpu_count()} CPU(s), {platform.machine()}")

    t_now, now = best_of(args.repeat, lambda: locate_points(routes, xs, ys, args.threshold))
    t_before, old = best_of(args.repeat, lambda: before(routes, xs, ys, args.threshold))
    assert all((a.route is None) == (b is None) and (b is None or abs(a.measure - b.measure)
               < 1e-6) for a, b in zip(now, old)), "before and now disagree"
    print(f"RoadInfra calibration (sample, files already read): {calibrated:.3f} s")
    print(f"(b) RoadInfra now:    {t_now:.3f} s")
    print(f"(c) RoadInfra before: {t_before:.3f} s   (c)/(b) = {t_before / t_now:.1f}")

    if not args.plugin_path:
        print("(a) QGIS LRS plugin: not run (give --plugin-path or LRS_PLUGIN_PATH)")
        return 0
    from qgis.core import QgsApplication

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    try:
        t_cal, locate, calib, _layers = plugin_runner(args.plugin_path, args.threshold)
        t_plugin, theirs = best_of(args.repeat, lambda: locate(xs, ys))
        print(f"plugin calibration (sample, layers already open): {t_cal:.3f} s, "
              f"{len(calib.getErrors())} error(s) reported")
        print(f"(a) QGIS LRS plugin:  {t_plugin:.3f} s   (a)/(b) = {t_plugin / t_now:.1f}")
        both = [(a, b) for a, b in zip(now, theirs) if a.route is not None and b[1] is not None]
        same = sum(by_id.get(str(b[0])) == a.route for a, b in both)
        diff = [abs(a.measure - b[1]) for a, b in both if by_id.get(str(b[0])) == a.route]
        print(f"located: RoadInfra {sum(a.route is not None for a in now)}, plugin "
              f"{sum(b[1] is not None for b in theirs)} of {len(xs)}")
        print(f"agreement: {len(both)} points located by both, same route for {same}; "
              f"measure difference median {np.median(diff):.3f} m, "
              f"95th percentile {np.percentile(diff, 95):.3f} m, max {max(diff):.3f} m")
        locate = calib = _layers = None     # before QGIS goes: the plugin disconnects on delete
        gc.collect()
    finally:
        app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
