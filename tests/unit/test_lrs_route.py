"""Route building from the real QL10 pieces and the measure <-> distance mapping."""

import numpy as np
import pytest
from roadinfra.core.lrs.io import read_layer
from roadinfra.core.lrs.route import Route, RouteError, chain_parts, explode_lines
from shapely.geometry import LineString
from shapely.ops import substring

from tests.support.shared_data import SHARED_DATA

QL10 = f"{SHARED_DATA}/vn_roads_legocity/giaothong_clip_thai_binh.geojson"


@pytest.fixture(scope="module")
def ql10_parts():
    frame = read_layer(QL10)
    names = [f"gid {g}" for g in frame["gid"]]
    return explode_lines(frame.geometry, "QL10", names)


def test_ql10_pieces_chain_into_one_route_with_two_gaps(ql10_parts):
    parts, labels = ql10_parts
    assert len(parts) == 7 and "gid 224 piece 2" in labels   # 6 features, one of them 2 pieces
    line, issues, placements = chain_parts(parts, labels, "QL10")
    assert sorted(p.index for p in placements) == list(range(7))
    gaps = sorted((i for i in issues if i.kind == "gap"), key=lambda i: i.distance)
    assert [i.kind for i in issues] == ["gap", "gap"]
    lengths = [round(float(m.split("gap of ")[1].split(" m")[0]), 1) for m in
               (g.message for g in gaps)]
    assert lengths == [4526.7, 72.0]
    assert "gid 224 piece 1" in gaps[0].message and "gid 224 piece 2" in gaps[0].message
    assert "gid 223" in gaps[1].message
    total_parts = sum(p.length for p in parts)
    assert line.length == pytest.approx(total_parts + 4526.7 + 72.0, abs=0.2)
    assert line.length == pytest.approx(54672.5, abs=0.5)
    # every part lies on the chained line where the placement says
    for pl in placements:
        part = parts[pl.index]
        piece = substring(line, pl.start, pl.end)
        assert piece.hausdorff_distance(part) < 1e-6
        assert pl.end - pl.start == pytest.approx(part.length, abs=1e-6)


def test_overlapping_and_reversed_parts_are_reported(ql10_parts):
    parts, _ = ql10_parts
    longest = max(parts, key=lambda p: p.length)             # gid 239, 26.4 km
    first = substring(longest, 0, 10000)
    second = substring(longest, 9900, 20000)                  # runs back over 100 m
    reversed_third = LineString(list(substring(longest, 20000, longest.length).coords)[::-1])
    line, issues, placements = chain_parts([first, second, reversed_third],
                                           ["a", "b", "c"], "T")
    kinds = [(i.kind, i.label) for i in issues]
    assert ("overlap", "b") in kinds
    overlap = next(i for i in issues if i.kind == "overlap")
    assert "100." in overlap.message or "99." in overlap.message or "101." in overlap.message
    assert any(p.index == 2 and p.reversed for p in placements)
    assert not any(i.kind == "gap" for i in issues)
    assert line.length == pytest.approx(longest.length, abs=2.0)   # the 100 m is not doubled


def test_non_lines_are_refused():
    from shapely.geometry import Point

    with pytest.raises(RouteError, match="feature 1 is a Point"):
        explode_lines([Point(0, 0)], "X")
    with pytest.raises(RouteError, match="no line geometry"):
        explode_lines([LineString()], "X")


def test_piecewise_measure_interpolates_and_extrapolates():
    line = LineString([(0, 0), (3000, 0)])
    route = Route("R", line, [500.0, 1500.0, 2500.0], [10000.0, 11010.0, 12000.0])
    assert route.measure_at(1000.0) == pytest.approx(10505.0)
    assert route.measure_at(2000.0) == pytest.approx(11505.0)
    # before the first post: slope of the first interval (1.01), after the last: 0.99
    assert route.measure_at(0.0) == pytest.approx(10000.0 - 500 * 1.01)
    assert route.measure_at(3000.0) == pytest.approx(12000.0 + 500 * 0.99)
    d = np.linspace(0, 3000, 31)
    assert np.allclose(route.distance_at(route.measure_at(d)), d)
    assert route.start_measure == pytest.approx(9495.0)


def test_one_post_or_none():
    line = LineString([(0, 0), (3000, 0)])
    assert Route("R", line).measure_at(1234.5) == 1234.5
    one = Route("R", line, [1000.0], [70000.0])
    assert one.measure_at(0.0) == 69000.0 and one.distance_at(70500.0) == 1500.0


def test_calibration_must_increase():
    line = LineString([(0, 0), (3000, 0)])
    with pytest.raises(RouteError, match="increase"):
        Route("R", line, [0.0, 1000.0], [5000.0, 4000.0])


def test_wgs84_layers_reach_the_grid_exactly(tmp_path):
    """frame_to_grid gives the same coordinates as crs.to_grid (speed: see docs, not tests)."""
    import geopandas as gpd
    from roadinfra.core import crs
    from roadinfra.core.lrs.io import frame_to_grid

    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(106.2, 106.5, 5000), rng.uniform(20.35, 20.6, 5000)
    frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    out = frame_to_grid(frame, "gnss points")
    e, n = crs.to_grid(lon, lat)
    assert np.allclose(out.geometry.x, e, atol=1e-6) and np.allclose(out.geometry.y, n, atol=1e-6)
    assert out.crs.to_epsg() == 9209


def test_vertex_measures_follow_the_calibration():
    route = Route("R", LineString([(0, 0), (300, 0), (300, 400), (1000, 400)]),
                  distances=[0.0, 700.0], measures=[12000.0, 12350.0])
    assert list(route.vertex_measures()) == pytest.approx([12000, 12150, 12350, 12700])
