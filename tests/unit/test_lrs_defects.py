"""Issue 16 / 15: one deliberate defect per route, built from the sample province.

Each test copies the sample routes and kilometre posts, breaks one thing, and checks both
the report (kind, post, row) and that no measure located on the damaged data is further
than the calibration tolerance from the measure on the clean data: a defect may cost
posts, never a wrong chainage.
"""

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from roadinfra.core.cli import main
from roadinfra.core.lrs.io import read_layer
from roadinfra.core.lrs.issues import UnmatchedPostsError
from roadinfra.core.lrs.locate import locate_points
from roadinfra.core.lrs.network import build_network
from shapely.geometry import LineString, Point
from shapely.ops import substring

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
TOLERANCE = 20.0
FIELDS = {"route_field": "code", "post_route_field": "route_id", "measure_field": "measure_m",
          "label_field": "label"}
CHAINAGE = r"^Km\d+\+\d{3}$"


@pytest.fixture(scope="module")
def sample():
    routes = read_layer(SAMPLE / "route.geojson")
    posts = read_layer(SAMPLE / "calibration_point.geojson")
    return routes, posts, build_network(routes, posts, **FIELDS)


def route_id(routes, code):
    return routes.loc[routes["code"] == code, "id"].iloc[0]


def post_index(posts, routes, code, label):
    mine = posts[(posts["route_id"] == route_id(routes, code)) & (posts["label"] == label)]
    return mine.index[0]


def side(line, d, offset):
    """Point ``offset`` m left of ``line`` at distance ``d``."""
    a, b = line.interpolate(max(d - 1, 0)), line.interpolate(min(d + 1, line.length))
    t = np.array([b.x - a.x, b.y - a.y]) / np.hypot(b.x - a.x, b.y - a.y)
    p = line.interpolate(d)
    return p.x - t[1] * offset, p.y + t[0] * offset


def worst_error(clean, damaged, code, step=25.0, offset=6.0):
    """Largest |measure on damaged data - measure on clean data| along route ``code``."""
    route = clean.routes[code]
    ds = np.arange(5.0, route.length - 5.0, step)
    xs, ys = zip(*(side(route.line, d, offset) for d in ds))
    found = locate_points(list(damaged.routes.values()), xs, ys, None, [code] * len(ds))
    assert all(f.route == code for f in found)
    return float(np.max(np.abs(np.array([f.measure for f in found]) - route.measure_at(ds))))


def kinds(network, code=None):
    return [(i.kind, i.label, i.row) for i in network.issues
            if i.severity != "info" and (code is None or i.route == code)]


def test_clean_sample_has_nothing_to_report(sample):
    _, _, clean = sample
    assert kinds(clean) == []
    assert [i.kind for i in clean.issues] == ["route_key"]      # posts carry the route's id


def test_swapped_posts_are_both_dropped(sample):
    """DT455 Km7/Km8 measures exchanged: either could be the wrong one, so neither is used
    (keeping one put points between them up to ~1 km off)."""
    routes, posts, clean = sample
    damaged = posts.copy()
    k7, k8 = post_index(posts, routes, "DT455", "Km7"), post_index(posts, routes, "DT455", "Km8")
    damaged.loc[[k7, k8], "measure_m"] = [8000.0, 7000.0]
    net = build_network(routes, damaged, **FIELDS)
    assert sorted(kinds(net, "DT455")) == [("ambiguous_order", "Km7", k7 + 1),
                                           ("ambiguous_order", "Km8", k8 + 1)]
    assert 7000.0 not in net.routes["DT455"].measures
    assert 8000.0 not in net.routes["DT455"].measures
    assert worst_error(clean, net, "DT455") <= TOLERANCE


def test_a_mistyped_post_is_still_told_from_its_neighbour(sample):
    """Not every order break is ambiguous: Km8 typed 7500 is the culprit, Km7 stays."""
    routes, posts, clean = sample
    damaged = posts.copy()
    k8 = post_index(posts, routes, "DT455", "Km8")
    damaged.loc[k8, "measure_m"] = 6500.0
    net = build_network(routes, damaged, **FIELDS)
    assert kinds(net, "DT455") == [("decreasing_measure", "Km8", k8 + 1)]
    assert worst_error(clean, net, "DT455") <= TOLERANCE


@pytest.mark.parametrize("labels, rotated", [
    (("Km3", "Km4", "Km5"), (5000.0, 3000.0, 4000.0)),
    (("Km3", "Km4", "Km5"), (4000.0, 5000.0, 3000.0)),
    (("Km3", "Km4", "Km5", "Km6"), (6000.0, 3000.0, 4000.0, 5000.0)),
    (("Km3", "Km4", "Km5", "Km6"), (4000.0, 5000.0, 6000.0, 3000.0)),
    (("Km10", "Km11", "Km12", "Km13", "Km14"), (14000.0, 10000.0, 11000.0, 12000.0, 13000.0)),
])
def test_rotated_posts_are_all_dropped(sample, labels, rotated):
    """Posts in rotation (each carrying another's measure): the kept run would keep all but
    one of them, each 1 km wrong; the culprit is ambiguous, so every post involved is
    dropped and reported. No located measure is further from the clean one than without
    those posts at all (the sample's posts are not exactly 1 km apart along the line, so
    interpolating over 3 to 5 missing posts alone costs up to ~36 m here; a rotated post
    left in use cost 1 km)."""
    routes, posts, clean = sample
    damaged = posts.copy()
    rows = [post_index(posts, routes, "DT455", label) for label in labels]
    damaged.loc[rows, "measure_m"] = list(rotated)
    net = build_network(routes, damaged, **FIELDS)
    assert sorted(kinds(net, "DT455")) == sorted(
        ("ambiguous_order", label, row + 1) for label, row in zip(labels, rows))
    assert not set(rotated) & set(net.routes["DT455"].measures)
    without = build_network(routes, posts.drop(index=rows), **FIELDS)
    assert worst_error(clean, net, "DT455") <= \
        max(TOLERANCE, worst_error(clean, without, "DT455") + 0.001)


def test_rotation_on_a_straight_route_locates_every_point_within_tolerance():
    """Posts Km0..Km10 every 1 km on a straight 10 km route, those at 3, 4 and 5 km carrying
    the measures of Km5, Km3 and Km4: a point at 5000 m is at Km5+000, not Km4+000."""
    from roadinfra.core.lrs.calibrate import Post, calibrate_route

    measures = {k: 1000.0 * k for k in range(11)}
    measures.update({3: 5000.0, 4: 3000.0, 5: 4000.0})
    posts = [Post(f"Km{k}", m, 1000.0 * k, 0.0, k + 1) for k, m in measures.items()]
    route, issues = calibrate_route("R1", [LineString([(0, 0), (10000, 0)])], posts)
    assert sorted(i.label for i in issues if i.kind == "ambiguous_order") == ["Km3", "Km4", "Km5"]
    ds = np.arange(0.0, 10000.1, 50.0)
    assert float(np.max(np.abs(route.measure_at(ds) - ds))) <= TOLERANCE


def with_piece(routes, code, piece):
    extra = routes[routes["code"] == code].copy()
    extra["geometry"] = [piece]
    return gpd.GeoDataFrame(pd.concat([routes, extra], ignore_index=True), crs=routes.crs)


@pytest.mark.parametrize("where", [0.5, 0.985])
def test_spur_from_a_node_is_a_fork_not_a_gap(sample, where):
    """A 600 m spur leaving a vertex of DT455 (mid-route, and where only ~300 m of the route
    remain after it) is reported and left out; the route keeps its length and measures."""
    routes, posts, clean = sample
    line = clean.routes["DT455"].line
    coords = list(line.coords)
    dists = [line.project(Point(c)) for c in coords]
    k = int(np.argmin([abs(d - where * line.length) for d in dists]))
    x, y = coords[k]
    bx, by = coords[k + 1][0] - x, coords[k + 1][1] - y
    norm = np.hypot(bx, by)
    spur = LineString([(x, y), (x - by / norm * 600.0, y + bx / norm * 600.0)])
    net = build_network(with_piece(routes, "DT455", spur), posts, **FIELDS)
    (fork,) = [i for i in net.issues if i.route == "DT455"]
    assert fork.kind == "fork" and "(600 m) leaves route DT455 at a fork" in fork.message
    assert fork.line is not None and LineString(fork.line).length == pytest.approx(600.0)
    assert net.routes["DT455"].length == pytest.approx(clean.routes["DT455"].length)
    assert worst_error(clean, net, "DT455") <= TOLERANCE


def test_second_carriageway_is_a_parallel_piece(sample):
    """A 25 m-off second carriageway over 2 km of DT455 (longer than the main one) joins it
    at both ends: reported as parallel and left out."""
    routes, posts, clean = sample
    line = clean.routes["DT455"].line
    d0, d1 = 5200.0, 7200.0
    offset = substring(line, d0, d1).parallel_offset(25.0, "left", join_style=2)
    a, b = line.interpolate(d0), line.interpolate(d1)
    inner = list(offset.coords)
    if Point(inner[0]).distance(a) > Point(inner[-1]).distance(a):
        inner = inner[::-1]
    carriageway = LineString([(a.x, a.y)] + inner + [(b.x, b.y)])
    assert carriageway.length > d1 - d0
    net = build_network(with_piece(routes, "DT455", carriageway), posts, **FIELDS)
    assert [i.kind for i in net.issues if i.route == "DT455"] == ["parallel"]
    assert net.routes["DT455"].length == pytest.approx(clean.routes["DT455"].length)
    assert worst_error(clean, net, "DT455") <= TOLERANCE


def test_null_measure_and_null_route_are_reported_and_the_rest_calibrated(sample):
    routes, posts, clean = sample
    damaged = posts.copy()
    k5, k9 = post_index(posts, routes, "DT455", "Km5"), post_index(posts, routes, "DT455", "Km9")
    damaged.loc[k5, "measure_m"] = np.nan
    damaged.loc[k9, "route_id"] = None
    net = build_network(routes, damaged, **FIELDS)
    assert sorted(kinds(net)) == [("null_measure", "Km5", k5 + 1), ("null_route", "Km9", k9 + 1)]
    assert net.routes["DT455"].distances.size == clean.routes["DT455"].distances.size - 2
    assert net.routes["QL10"].distances.size == clean.routes["QL10"].distances.size
    assert worst_error(clean, net, "DT455") <= TOLERANCE


def test_the_same_post_twice_is_a_duplicate_position(sample):
    routes, posts, clean = sample
    k = post_index(posts, routes, "DT455", "Km12")
    damaged = gpd.GeoDataFrame(pd.concat([posts, posts.loc[[k]]], ignore_index=True),
                               crs=posts.crs)
    net = build_network(routes, damaged, **FIELDS)
    assert kinds(net) == [("duplicate_position", "Km12", len(damaged))]
    assert worst_error(clean, net, "DT455") <= TOLERANCE


def test_point_at_a_junction_is_located_on_its_own_route(sample):
    """A culvert of QL37 8 m from its junction with QL10, on QL10's line: the nearest route
    is QL10, its own route field (the route's id) says QL37."""
    routes, _, clean = sample
    junction = routes.geometry[routes["code"] == "QL10"].iloc[0].intersection(
        routes.geometry[routes["code"] == "QL37"].iloc[0])
    ql10 = clean.routes["QL10"]
    p = ql10.line.interpolate(ql10.line.project(junction) + 8.0)
    own = clean.keys.codes_for([route_id(routes, "QL37"), None, "QL99"])
    assert own == ["QL37", None, "QL99"]
    found = locate_points(list(clean.routes.values()), [p.x] * 3, [p.y] * 3, 100.0, own)
    ql37 = clean.routes["QL37"]
    truth = ql37.measure_at(ql37.line.project(p))
    assert (found[0].route, found[0].match) == ("QL37", "own route")
    assert abs(found[0].measure - truth) <= TOLERANCE
    assert (found[1].route, found[1].match) == ("QL10", "nearest")
    assert found[2].route is None and found[2].error == "route 'QL99' is not in the routes layer"


def test_posts_matching_no_route_stop_the_run_naming_them(sample):
    routes, posts, _ = sample
    no_id = routes.drop(columns=["id"])
    with pytest.raises(UnmatchedPostsError) as err:
        build_network(no_id, posts, **FIELDS)
    assert len(err.value.issues) == len(posts)
    message = str(err.value)
    assert message.startswith("posts: 207 post(s) match no route: row 1: post Km70+767 names")
    assert "route field code holds DH71, DT454" in message


def test_start_measure_of_a_route_without_posts(sample):
    routes, _, _ = sample
    net = build_network(routes, None, route_field="code")
    assert net.routes["QL10"].start_measure == 70767.0
    assert net.routes["DT455"].start_measure == 0.0
    assert build_network(routes, None, route_field="code",
                         start_field="").routes["QL10"].start_measure == 0.0


ISSUE_15 = ["lrs", "locate", str(SAMPLE / "route.geojson"), str(SAMPLE / "bridge.geojson"),
            "--posts", str(SAMPLE / "calibration_point.geojson"), "--route-field", "code",
            "--post-route-field", "route_id", "--label-field", "label",
            "--measure-field", "measure_m"]


def test_issue_15_command_gives_the_stored_chainage(capsys):
    """The exact command of issue 15: BR-336-001 is at Km101+254, not Km30+502.357."""
    assert main(ISSUE_15 + ["--json"]) == 0
    out = capsys.readouterr()
    rows = json.loads(out.out)
    bridges = gpd.read_file(SAMPLE / "bridge.geojson")
    assert len(rows) == len(bridges)
    by_code = dict(zip(bridges["code"], rows))
    assert by_code["BR-336-001"]["chainage"] == "Km101+254"
    assert all(pd.Series([r["chainage"] for r in rows]).str.match(CHAINAGE))
    assert max(abs(r["measure"] - c) for r, c in zip(rows, bridges["chainage_m"])) <= TOLERANCE


def test_issue_15_command_with_the_bridges_own_route(capsys, tmp_path):
    out = tmp_path / "bridges.csv"
    assert main(ISSUE_15 + ["--point-route-field", "route_id", "-o", str(out)]) == 0
    table = pd.read_csv(out)
    assert set(table["lrs_match"]) == {"own route"}
    assert (table["lrs_measure"] - table["chainage_m"]).abs().max() <= TOLERANCE


def test_issue_15_command_fails_naming_posts_when_keys_cannot_match(capsys, tmp_path):
    routes = gpd.read_file(SAMPLE / "route.geojson").drop(columns=["id"])
    path = tmp_path / "routes_without_id.geojson"
    routes.to_file(path, driver="GeoJSON")
    assert main([ISSUE_15[0], ISSUE_15[1], str(path)] + ISSUE_15[3:]) == 2
    err = capsys.readouterr().err
    assert "207 post(s) match no route: row 1: post Km70+767 names route " \
           "'e74387cf-09b4-594b-a026-9f02e434dfed'" in err


def test_cli_calibrate_reports_swap_and_null_rows(tmp_path, capsys):
    posts = gpd.read_file(SAMPLE / "calibration_point.geojson")
    routes = gpd.read_file(SAMPLE / "route.geojson")
    k7, k8 = post_index(posts, routes, "DT455", "Km7"), post_index(posts, routes, "DT455", "Km8")
    posts.loc[[k7, k8], "measure_m"] = [8000.0, 7000.0]
    posts.loc[0, "measure_m"] = None
    path = tmp_path / "posts.geojson"
    posts.to_file(path, driver="GeoJSON")
    assert main(["lrs", "calibrate", str(SAMPLE / "route.geojson"), str(path),
                 "--route-field", "code", "--post-route-field", "route_id",
                 "--measure-field", "measure_m"]) == 0
    out = capsys.readouterr().out
    assert "route DT455: 21750.1 m, Km0+000 .. Km21+803, 21 post(s) used" in out
    assert f"ambiguous_order     Km7 (row {k7 + 1})" in out
    assert "null_measure        Km70+767 (row 1)" in out


def test_cli_events_with_offsets_and_a_per_row_error_column(tmp_path, capsys, sample):
    _, _, clean = sample
    table = tmp_path / "events.csv"
    table.write_text("route,from_m,to_m,left,right\n"
                     "DT455,Km2+000,Km3+000,5,15\n"
                     "DT499,Km2+000,Km3+000,0,0\n"
                     "DT455,Km3+000,Km2+000,0,0\n"
                     "DT455,Km4+000,abc,0,0\n"
                     "DT455,Km5+000,Km5+500,x,0\n", encoding="utf-8")
    out = tmp_path / "events.geojson"
    assert main(["lrs", "events", str(SAMPLE / "route.geojson"), str(table),
                 "--posts", str(SAMPLE / "calibration_point.geojson"), "--route-field", "code",
                 "--post-route-field", "route_id", "--measure-field", "measure_m",
                 "--offset-column", "left", "--end-offset-column", "right", "-o", str(out)]) == 1
    events = gpd.read_file(out)
    assert len(events) == 5
    assert events["lrs_error"].isna().tolist() == [True, False, False, False, False]
    errors = events["lrs_error"].tolist()
    assert errors[1] == f"{table} row 3 field route: route 'DT499' is not in the routes layer"
    assert errors[2].startswith(f"{table} row 4: route DT455: event from 3000.0 to 2000.0")
    assert errors[3].startswith(f"{table} row 5 field to_m: 'abc' is not a chainage")
    assert errors[4] == f"{table} row 6 field left: offset 'x' is not a number of metres"
    line = events.geometry[0]
    dt455 = clean.routes["DT455"].line
    assert dt455.distance(Point(line.coords[0])) == pytest.approx(5.0, abs=0.05)
    assert dt455.distance(Point(line.coords[-1])) == pytest.approx(15.0, abs=0.05)
    assert "5 event(s)" not in capsys.readouterr().err      # each bad row said on its own


def test_roundabout_keeps_one_half_and_reports_the_other(sample):
    """DT455 cut at Km7+500 and joined again through a 60 m roundabout (a closed ring): one
    half is measured, the other reported as parallel; measures stay within tolerance."""
    routes, posts, clean = sample
    line = clean.routes["DT455"].line
    before, after = substring(line, 0, 7470.0), substring(line, 7530.0, line.length)
    a, b = Point(before.coords[-1]), Point(after.coords[0])
    cx, cy, r = (a.x + b.x) / 2, (a.y + b.y) / 2, a.distance(b) / 2
    start = np.arctan2(a.y - cy, a.x - cx)
    ring = LineString([(cx + r * np.cos(t), cy + r * np.sin(t))
                       for t in start + np.linspace(0, 2 * np.pi, 73)])
    dt455 = routes[routes["code"] == "DT455"]
    rebuilt = gpd.GeoDataFrame(pd.concat(
        [routes[routes["code"] != "DT455"]] + [dt455.assign(geometry=[g])
                                                for g in (before, ring, after)],
        ignore_index=True), crs=routes.crs)
    net = build_network(rebuilt, posts, **FIELDS)
    (issue,) = [i for i in net.issues if i.route == "DT455"]
    assert issue.kind == "parallel" and "(94 m) runs beside route DT455" in issue.message
    assert net.routes["DT455"].length == pytest.approx(line.length - 60 + np.pi * r, abs=1.0)
    assert worst_error(clean, net, "DT455") <= TOLERANCE


@pytest.mark.parametrize("value", ["1e9", "1e300", "-1000.5", "1500"])
def test_cli_events_refuse_an_offset_beyond_the_bound_per_row(tmp_path, value):
    from roadinfra.core.lrs.events import MAX_EVENT_OFFSET_M

    table = tmp_path / "events.csv"
    table.write_text("route,from_m,offset\n"
                     f"DT455,Km2+000,{value}\n"
                     f"DT455,Km3+000,{value}\n"
                     f"DT455,Km2+000,-{MAX_EVENT_OFFSET_M:g}\n", encoding="utf-8")
    out = tmp_path / "events.geojson"
    assert main(["lrs", "events", str(SAMPLE / "route.geojson"), str(table),
                 "--posts", str(SAMPLE / "calibration_point.geojson"), "--route-field", "code",
                 "--post-route-field", "route_id", "--measure-field", "measure_m",
                 "--point-events", "--offset-column", "offset", "-o", str(out)]) == 1
    events = gpd.read_file(out)
    errors = events["lrs_error"].tolist()
    for row in (2, 3):
        assert errors[row - 2] == (f"{table} row {row} field offset: offset {float(value):g} m "
                                   f"is more than {MAX_EVENT_OFFSET_M:g} m from the route")
    assert pd.isna(errors[2]) and events.geometry[2] is not None
    assert events.geometry[:2].isna().all()
    assert events.total_bounds[1] < 3e6  # no geometry thrown to y ~ 1e300


@pytest.mark.parametrize("main, spur", [
    (((0, 0), (10000, 0)), ((0, 0), (0, 600))),
    (((0, 0), (10000, 0)), ((0, 600), (0, 0))),
    (((10000, 0), (0, 0)), ((0, 0), (0, 600))),
])
def test_spur_at_the_start_node_is_a_fork(main, spur):
    """Route R1 (0,0)-(10000,0) with posts Km0..Km10 and a 600 m spur leaving its first
    node: chaining the spur in gave a 10.6 km route from -600 m. The spur lies wholly before
    measure 0: it is a fork, the main line keeps Km0..Km10, a point on it is not located."""
    from roadinfra.core.lrs.calibrate import Post, calibrate_route

    posts = [Post(f"Km{k}", 1000.0 * k, 1000.0 * k, 0.0, k + 1) for k in range(11)]
    route, issues = calibrate_route("R1", [LineString(main), LineString(spur)], posts)
    assert route.length == pytest.approx(10000.0)
    assert route.measure_at([0.0, route.length]).tolist() == pytest.approx([0.0, 10000.0])
    (fork,) = [i for i in issues if i.kind == "fork"]
    assert "(600 m) leaves route R1 at a fork" in fork.message
    assert ("reversed" in [i.kind for i in issues]) == (main[0] == (10000, 0))
    assert [i.kind for i in issues if i.severity != "info" and i.kind != "fork"] == []
    on_main, on_spur = locate_points([route], [5000.0, 0.0], [0.0, 300.0])
    assert on_main.measure == pytest.approx(5000.0)
    assert on_spur.measure is None and on_spur.error


def test_route_starting_after_km0_keeps_its_first_piece():
    """Posts from Km70+000 on a route in two pieces: no piece is before measure 0."""
    from roadinfra.core.lrs.calibrate import Post, calibrate_route

    posts = [Post(f"Km{70 + k}", 70000.0 + 1000.0 * k, 1000.0 * k + 300, 0.0, k + 1)
             for k in range(5)]
    pieces = [LineString([(0, 0), (300, 0)]), LineString([(300, 0), (5000, 0)])]
    route, issues = calibrate_route("R2", pieces, posts)
    assert route.length == pytest.approx(5000.0)
    assert not [i for i in issues if i.kind == "fork"]
