"""Calibration of the real QL10 route on kilometre posts, and every calibration error case.

The posts are synthetic (no public kilometre-post survey of QL10 exists): one every
~1000 m along the real centre-line, shifted by up to ~20 m along the line as real posts
are, and 3 m off to the side. Measures start at Km60 (illustrative).
"""

import numpy as np
import pytest
from roadinfra.core.lrs.calibrate import Post, calibrate_route, calibrate_routes
from roadinfra.core.lrs.io import read_layer
from roadinfra.core.lrs.issues import CalibrationError
from shapely.geometry import Point

from tests.support.shared_data import SHARED_DATA

QL10 = f"{SHARED_DATA}/vn_roads_legocity/giaothong_clip_thai_binh.geojson"


@pytest.fixture(scope="module")
def ql10():
    frame = read_layer(QL10)
    names = [f"gid {g}" for g in frame["gid"]]
    line = calibrate_route("QL10", frame.geometry, [], part_names=names)[0].line
    return list(frame.geometry), names, line


def side_point(line, d, offset):
    """Point ``offset`` m left of the line at distance ``d``."""
    a = line.interpolate(max(d - 1, 0))
    b = line.interpolate(min(d + 1, line.length))
    t = np.array([b.x - a.x, b.y - a.y])
    t /= np.hypot(*t)
    p = line.interpolate(d)
    return p.x - t[1] * offset, p.y + t[0] * offset


def make_posts(line, start_km=60, first=300.0, offset=3.0, seed=0):
    rng = np.random.default_rng(seed)
    nominal = np.arange(first, line.length, 1000.0)
    dists = nominal + rng.uniform(-20, 20, size=len(nominal))
    posts = []
    for i, d in enumerate(dists):
        x, y = side_point(line, d, offset)
        posts.append(Post(f"Km{start_km + i}", (start_km + i) * 1000.0, x, y, row=i + 1))
    return posts, dists


def errors(issues, kind=None):
    return [i for i in issues if i.severity == "error" and (kind is None or i.kind == kind)]


def test_clean_posts_calibrate_the_real_route(ql10):
    geoms, names, line = ql10
    posts, dists = make_posts(line)
    route, issues = calibrate_route("QL10", geoms, posts, part_names=names)
    # the data's own defects only: a 72 m spur (once chained in as a "gap" out and back)
    # and a 4.5 km gap
    assert [i.kind for i in issues] == ["fork", "gap"]
    assert "gid 224 piece 1 (72 m) leaves route QL10 at a fork" in issues[0].message
    assert route.distances.size == len(posts) == 55
    assert np.allclose(route.distances, dists, atol=1e-6)
    # each post's own measure is reproduced exactly where it stands
    for post, d in zip(posts, route.distances):
        assert route.measure_at(d) == pytest.approx(post.measure, abs=1e-6)
    # between posts: linear; beyond the ends: ratio of the end intervals
    mid = (dists[10] + dists[11]) / 2
    assert route.measure_at(mid) == pytest.approx(70500.0, abs=1e-6)
    ratio_end = 1000.0 / (dists[-1] - dists[-2])
    assert route.end_measure == pytest.approx(114000.0 + (line.length - dists[-1]) * ratio_end)
    ratio_start = 1000.0 / (dists[1] - dists[0])
    assert route.start_measure == pytest.approx(60000.0 - dists[0] * ratio_start)


def test_post_off_route(ql10):
    geoms, names, line = ql10
    posts, dists = make_posts(line)
    x, y = side_point(line, dists[5], 45.0)
    posts[5] = Post("Km65", 65000.0, x, y, row=6)
    route, issues = calibrate_route("QL10", geoms, posts, tolerance=20.0, part_names=names)
    off = errors(issues, "off_route")
    assert len(off) == 1 and off[0].label == "Km65" and off[0].row == 6
    assert "45.0 m from route QL10" in off[0].message
    assert route.distances.size == 54
    with pytest.raises(CalibrationError, match="row 6: post Km65 is 45.0 m"):
        calibrate_route("QL10", geoms, posts, tolerance=20.0, strict=True)


def test_post_moved_back_is_out_of_order_and_moved_on_is_decreasing(ql10):
    geoms, _, line = ql10
    posts, dists = make_posts(line)
    x, y = side_point(line, (dists[3] + dists[4]) / 2, 3.0)    # Km70 placed between Km63/Km64
    posts[10] = Post("Km70", 70000.0, x, y, row=11)
    x, y = side_point(line, (dists[40] + dists[41]) / 2, 3.0)  # Km80 placed after Km100
    posts[20] = Post("Km80", 80000.0, x, y, row=21)
    route, issues = calibrate_route("QL10", geoms, posts)
    ooo = errors(issues, "out_of_order")
    dec = errors(issues, "decreasing_measure")
    assert [(i.label, i.row) for i in ooo] == [("Km70", 11)]
    assert "lies before post Km64" in ooo[0].message
    assert [(i.label, i.row) for i in dec] == [("Km80", 21)]
    assert "does not increase on post Km100" in dec[0].message
    assert route.distances.size == 53
    assert np.all(np.diff(route.measures) > 0)


def test_measure_typo_is_a_decreasing_measure(ql10):
    geoms, _, line = ql10
    posts, _ = make_posts(line)
    p = posts[15]
    posts[15] = Post(p.label, 57000.0, p.x, p.y, p.row)       # Km75 typed as 57000
    _, issues = calibrate_route("QL10", geoms, posts)
    dec = errors(issues, "decreasing_measure")
    assert [i.label for i in dec] == ["Km75"]
    assert "Km57+000" in dec[0].message


def test_typo_on_the_last_but_one_post_drops_the_typo_not_the_last_post(ql10):
    """Km113 typed as 131000: keeping Km113 or Km114 gives equally long increasing runs.
    The first run found used to win, so the correct Km114 was dropped and the route's
    last kilometres were calibrated on the typo (end measure ~Km158 instead of ~Km114)."""
    geoms, _, line = ql10
    posts, _ = make_posts(line)
    p = posts[-2]
    posts[-2] = Post(p.label, 131000.0, p.x, p.y, p.row)
    route, issues = calibrate_route("QL10", geoms, posts)
    assert [(i.kind, i.label) for i in issues if i.severity == "error" and i.kind != "gap"] \
        == [("out_of_order", "Km113")]
    assert route.measures[-1] == 114000.0 and route.distances.size == len(posts) - 1
    assert route.end_measure == pytest.approx(114000.0 + line.length - (len(posts) - 1) * 1000
                                              - 300.0, abs=60.0)


def test_duplicate_position(ql10):
    """The same post twice (same place, same measure) is a duplicate: one is used."""
    geoms, _, line = ql10
    posts, _ = make_posts(line)
    p = posts[7]
    posts.insert(8, Post("Km67", 67000.0, p.x, p.y, row=99))
    route, issues = calibrate_route("QL10", geoms, posts)
    assert [(i.kind, i.label, i.row) for i in errors(issues) if i.kind != "gap"] == [
        ("duplicate_position", "Km67", 99)]
    assert route.distances.size == len(posts) - 1


def test_two_measures_at_one_place_use_neither(ql10):
    geoms, _, line = ql10
    posts, _ = make_posts(line)
    p = posts[7]
    posts.insert(8, Post("Km67b", 67500.0, p.x, p.y, row=99))
    route, issues = calibrate_route("QL10", geoms, posts)
    amb = errors(issues, "ambiguous_order")
    assert sorted((i.label, i.row) for i in amb) == [("Km67", 8), ("Km67b", 99)]
    assert 67000.0 not in route.measures and 67500.0 not in route.measures


def test_route_digitised_against_chainage_is_reversed(ql10):
    geoms, _, line = ql10
    posts, dists = make_posts(line)
    reversed_posts = [Post(f"Km{200 - i}", (200 - i) * 1000.0, p.x, p.y, p.row)
                      for i, p in enumerate(posts)]
    route, issues = calibrate_route("QL10", geoms, reversed_posts)
    assert "reversed" in [i.kind for i in issues]
    forward_gaps = [i.distance for i in calibrate_route("QL10", geoms, posts)[1]
                    if i.kind == "gap"]
    gaps = [i for i in issues if i.kind == "gap"]
    assert sorted(i.distance for i in gaps) == pytest.approx(
        sorted(line.length - d for d in forward_gaps))
    for gap in gaps:   # the gap's distance and position agree on the reversed line
        p = route.line.interpolate(gap.distance)
        assert p.distance(Point(gap.x, gap.y)) < 1e-6
    assert not errors(issues, "decreasing_measure") and not errors(issues, "out_of_order")
    assert route.line.coords[0] == pytest.approx(line.coords[-1])
    assert route.measure_at(line.length - dists[0]) == pytest.approx(200000.0, abs=1e-6)


def test_suspicious_interval_and_uncalibrated(ql10):
    geoms, _, line = ql10
    posts, _ = make_posts(line)
    posts = posts[:30] + [Post(p.label, p.measure + 1000.0, p.x, p.y, p.row) for p in posts[30:]]
    route, issues = calibrate_route("QL10", geoms, posts)
    sus = [i for i in issues if i.kind == "suspicious_interval"]
    assert [i.label for i in sus] == ["Km90"] and "ratio 2.0" in sus[0].message
    assert route.distances.size == len(posts)   # warnings do not drop posts
    route, issues = calibrate_route("QL10", geoms, posts[:1])
    assert "uncalibrated" in [i.kind for i in issues]
    assert route.measure_at(route.distances[0] + 10.0) == pytest.approx(60010.0)


def test_calibrate_routes_reports_posts_on_unknown_routes(ql10):
    geoms, names, line = ql10
    posts, _ = make_posts(line)
    routes, issues = calibrate_routes({"QL10": (geoms, names)},
                                      {"QL10": posts, "QL39": posts[:2]})
    assert list(routes) == ["QL10"]
    unknown = errors(issues, "unknown_route")
    assert [i.label for i in unknown] == ["Km60", "Km61"]
    assert "QL39" in unknown[0].message
    with pytest.raises(CalibrationError):
        calibrate_routes({"QL10": (geoms, names)}, {"QL39": posts[:1]}, strict=True)
