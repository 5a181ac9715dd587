"""Locate points, place measures and cut events (dynamic segmentation) on the real QL10."""

import numpy as np
import pytest
from roadinfra.core.lrs.calibrate import calibrate_route
from roadinfra.core.lrs.io import read_layer
from roadinfra.core.lrs.locate import (
    LocateError,
    locate_point,
    locate_points,
    point_at,
    segment_line,
)
from roadinfra.core.lrs.route import Route
from shapely.geometry import LineString
from test_lrs_calibrate import QL10, make_posts  # same synthetic posts on the real line


@pytest.fixture(scope="module")
def ql10_route():
    frame = read_layer(QL10)
    route, _ = calibrate_route("QL10", frame.geometry, [])
    posts, _ = make_posts(route.line)
    route, _ = calibrate_route("QL10", frame.geometry, posts)
    return route


def test_offset_sign_convention():
    route = Route("R", LineString([(0, 0), (100, 0), (100, 100)]))
    assert locate_point(route, 50, 10).offset == pytest.approx(10.0)     # left of eastward
    assert locate_point(route, 50, -4).offset == pytest.approx(-4.0)     # right
    assert locate_point(route, 110, 50).offset == pytest.approx(-10.0)   # right of northward
    loc = locate_point(route, 90, 10)                                   # inside the corner
    assert loc.offset > 0
    assert point_at(route, 50, 10.0) == pytest.approx((50, 10))
    assert point_at(route, 150, -10.0) == pytest.approx((110, 50))


def test_point_at_and_locate_round_trip_on_ql10(ql10_route):
    route = ql10_route
    coords = np.asarray(route.line.coords)
    seg = np.hypot(*np.diff(coords, axis=0).T)
    cum = np.concatenate([[0], np.cumsum(seg)])
    mids = (cum[:-1] + cum[1:])[seg > 60] / 2                  # middles of segments > 60 m
    assert len(mids) > 30
    for d, offset in zip(mids, np.tile([12.5, -7.0, 0.0], len(mids))):
        m = route.measure_at(d)
        x, y = point_at(route, m, offset)
        loc = locate_point(route, x, y)
        assert loc.route == "QL10"
        assert loc.measure == pytest.approx(m, abs=1e-6)
        assert loc.offset == pytest.approx(offset, abs=1e-6)


def test_locate_points_picks_nearest_route_and_respects_max_offset(ql10_route):
    other = Route("DT454", LineString([(590000, 2270000), (595000, 2270000)]))
    x, y = point_at(ql10_route, 80000.0, 5.0)
    found = locate_points([other, ql10_route], [x, 592000, 0.0], [y, 2270003, 0.0],
                          max_offset=50.0)
    assert found[0].route == "QL10" and found[0].measure == pytest.approx(80000.0)
    assert found[1].route == "DT454" and found[1].offset == pytest.approx(3.0)
    assert found[2].route is None and found[2].error == "no route within 50 m"
    assert {f.match for f in found} == {"nearest"}


def test_segment_line_dynamic_segmentation(ql10_route):
    route = ql10_route
    piece = segment_line(route, 70250.0, 72800.0)
    d0, d1 = route.distance_at(70250.0), route.distance_at(72800.0)
    assert piece.length == pytest.approx(d1 - d0, abs=1e-6)
    assert piece.coords[0] == pytest.approx(point_at(route, 70250.0))
    assert piece.coords[-1] == pytest.approx(point_at(route, 72800.0))
    # the whole calibrated range is the whole line
    whole = segment_line(route, route.start_measure, route.end_measure)
    assert whole.length == pytest.approx(route.length, abs=1e-6)


def test_segment_and_point_errors(ql10_route):
    route = ql10_route
    with pytest.raises(LocateError, match="empty or reversed"):
        segment_line(route, 72000.0, 71000.0)
    with pytest.raises(LocateError, match="beyond the route"):
        segment_line(route, 100000.0, 200000.0)
    with pytest.raises(LocateError, match="beyond the route"):
        point_at(route, 1000.0)


@pytest.mark.parametrize("max_offset", [None, 60.0])
def test_indexed_locate_agrees_with_measuring_every_route(ql10_route, max_offset):
    """The spatial index and route arrays give what measuring every point against every
    route line gives (the algorithm they replaced), also for points far from all routes."""
    from shapely.geometry import Point

    other = Route("DT454", LineString([(585000, 2265000), (592000, 2272000), (596000, 2271000)]))
    routes = [ql10_route, other]
    rng = np.random.default_rng(7)
    xs, ys = [], []
    for _ in range(400):
        route = routes[int(rng.integers(2))]
        p = route.line.interpolate(rng.uniform(0, route.length))
        xs.append(p.x + rng.normal(0, 50))
        ys.append(p.y + rng.normal(0, 50))
    xs.append(0.0)
    ys.append(0.0)
    found = locate_points(routes, xs, ys, max_offset)
    for x, y, got in zip(xs, ys, found):
        distances = [r.line.distance(Point(x, y)) for r in routes]
        best = int(np.argmin(distances))
        if max_offset is not None and distances[best] > max_offset:
            assert got.route is None and got.error == "no route within 60 m"
            continue
        want = locate_point(routes[best], x, y)
        assert got.route == want.route and got.match == "nearest"
        assert got.measure == pytest.approx(want.measure, abs=1e-6)
        assert got.offset == pytest.approx(want.offset, abs=1e-6)


def _straight_network():
    """Two straight routes 1 km apart in the grid, keyed by code and by an id field."""
    import geopandas as gpd
    from roadinfra.core.lrs.network import build_network

    routes = gpd.GeoDataFrame(
        {"code": ["A", "B"], "id": ["uuid-a", "uuid-b"]},
        geometry=[LineString([(0, 0), (5000, 0)]), LineString([(0, 1000), (5000, 1000)])],
        crs=9209)
    return build_network(routes, route_field="code")


def test_locate_frame_on_own_route_by_alias_and_on_the_nearest():
    import geopandas as gpd
    from roadinfra.core.lrs.locate import locate_frame
    from shapely.geometry import Point

    network = _straight_network()
    points = gpd.GeoDataFrame({"road": ["uuid-b", None]},
                              geometry=[Point(1200, 10), Point(300, 990)], crs=9209)
    own, nearest = locate_frame(network, points, "pts.gpkg", 2000.0, "road")
    assert (own.route, own.match) == ("B", "own route") and own.offset == pytest.approx(-990)
    assert (nearest.route, nearest.match) == ("B", "nearest")
    assert nearest.measure == pytest.approx(300)


def test_locate_frame_names_the_layer_its_bad_features_and_a_missing_field():
    import geopandas as gpd
    from roadinfra.core.lrs.locate import locate_frame
    from shapely.geometry import Point

    network = _straight_network()
    points = gpd.GeoDataFrame({"road": ["A", "A"]},
                              geometry=[Point(1, 1), LineString([(0, 0), (1, 1)])], crs=9209)
    with pytest.raises(LocateError, match=r"pts.gpkg: feature\(s\) \[2\] are not single"):
        locate_frame(network, points, "pts.gpkg")
    with pytest.raises(LocateError, match="pts.gpkg: no field 'route'"):
        locate_frame(network, points.iloc[:1], "pts.gpkg", point_route_field="route")
