"""``roadinfra lrs calibrate|locate|events|segment`` on files made from the real QL10."""

import json

import geopandas as gpd
import pandas as pd
import pytest
from roadinfra.core import crs
from roadinfra.core.cli import main
from roadinfra.core.lrs.calibrate import calibrate_route
from roadinfra.core.lrs.io import read_layer
from test_lrs_calibrate import QL10, make_posts


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Kilometre posts (WGS 84 GeoJSON, as a GNSS survey delivers them) and two points."""
    folder = tmp_path_factory.mktemp("lrs_cli")
    line = calibrate_route("QL10", read_layer(QL10).geometry, [])[0].line
    posts, dists = make_posts(line)
    lon, lat = crs.to_wgs84([p.x for p in posts], [p.y for p in posts])
    gpd.GeoDataFrame({"label": [p.label for p in posts], "route": "QL10"},
                     geometry=gpd.points_from_xy(lon, lat), crs=4326).to_file(
        folder / "posts.geojson", driver="GeoJSON")
    return folder, posts, dists


def test_calibrate_prints_issues_and_writes_them(files, capsys):
    folder, posts, _ = files
    out = folder / "issues.gpkg"
    assert main(["lrs", "calibrate", QL10, str(folder / "posts.geojson"), "--route-code", "QL10",
                 "-o", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["routes"][0]["route"] == "QL10"
    assert result["routes"][0]["posts_used"] == len(posts)
    assert [i["kind"] for i in result["issues"]] == ["fork", "gap"]
    written = gpd.read_file(out)
    assert len(written) == 2 and written.crs.to_epsg() == 9209
    assert main(["lrs", "calibrate", QL10, str(folder / "posts.geojson"), "--route-code", "QL10",
                 "--strict"]) == 2
    assert "calibration error" in capsys.readouterr().err


def test_locate_points(files, capsys):
    folder, posts, _ = files
    lon, lat = crs.to_wgs84(posts[12].x, posts[12].y)
    pts = gpd.GeoDataFrame({"name": ["culvert C12"]}, geometry=gpd.points_from_xy([lon], [lat]),
                           crs=4326)
    pts.to_file(folder / "pts.geojson", driver="GeoJSON")
    assert main(["lrs", "locate", QL10, str(folder / "pts.geojson"), "--posts",
                 str(folder / "posts.geojson"), "--route-code", "QL10", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert row["route"] == "QL10" and row["chainage"] == "Km72+000"
    assert row["offset"] == pytest.approx(3.0, abs=0.01)


def test_events_and_segment(files, capsys):
    folder, _, _ = files
    pav = folder / "pavement.csv"
    pav.write_text("route,from_m,to_m,pci\nQL10,Km60+000,Km65+500,72\nQL10,Km65+500,Km80+000,55\n",
                   encoding="utf-8")
    srv = folder / "survey.csv"
    srv.write_text("route,from_m,to_m,iri\nQL10,61000,62000,2.1\nQL10,62000,70000,3.4\n",
                   encoding="utf-8")
    out = folder / "events.geojson"
    assert main(["lrs", "events", QL10, str(pav), "--posts", str(folder / "posts.geojson"),
                 "--route-code", "QL10", "-o", str(out)]) == 0
    events = gpd.read_file(out)
    assert len(events) == 2 and events.geometry.length.sum() > 19000
    seg = folder / "segments.csv"
    assert main(["lrs", "segment", str(pav), str(srv), "-o", str(seg)]) == 0
    table = pd.read_csv(seg)
    assert list(zip(table["from_m"], table["to_m"], table["pavement_pci"], table["survey_iri"])) \
        == [(61000, 62000, 72, 2.1), (62000, 65500, 72, 3.4), (65500, 70000, 55, 3.4)]
    bad = folder / "bad.csv"
    bad.write_text("route,from_m,to_m\nQL10,Km60+000,Km61+2000\n", encoding="utf-8")
    assert main(["lrs", "segment", str(pav), str(bad)]) == 2
    assert f"{bad} row 2 field to_m" in capsys.readouterr().err


def test_routes_in_a_wrong_crs_are_refused(tmp_path, capsys):
    wrong = gpd.read_file(QL10).to_crs(3405).set_crs(9209, allow_override=True)
    path = tmp_path / "ql10.gpkg"
    wrong.to_file(path, driver="GPKG")
    assert main(["lrs", "locate", str(path), QL10]) == 2
    assert "probable CRS: EPSG:3405" in capsys.readouterr().err


def test_points_as_routes_and_empty_route_codes_name_file_feature_and_field(files, capsys):
    folder, _, _ = files
    posts = folder / "posts.geojson"
    assert main(["lrs", "calibrate", str(posts), str(posts)]) == 2
    assert f"{posts} feature 1: a Point, not a route line" in capsys.readouterr().err
    frame = gpd.read_file(posts)
    frame.loc[4, "route"] = None       # a post without its route code used to join route "None"
    nulls = folder / "posts_null_route.geojson"
    frame.to_file(nulls, driver="GeoJSON")
    assert main(["lrs", "calibrate", QL10, str(nulls), "--route-code", "QL10",
                 "--post-route-field", "route", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    (null,) = [i for i in result["issues"] if i["kind"] == "null_route"]
    assert null["row"] == 5 and f"{nulls} feature 5 field route: post Km64 has no route" \
        == null["message"]
    assert result["routes"][0]["posts_used"] == len(frame) - 1     # the others are used


def test_route_codes_match_across_integer_and_float_fields(files, capsys):
    """Route 10 read from an integer field and 10.0 from a float one are the same route."""
    folder, _, _ = files
    routes = gpd.read_file(QL10).assign(road=10)
    routes.to_file(folder / "routes_int.gpkg", driver="GPKG")
    posts = gpd.read_file(folder / "posts.geojson").assign(road=10.0)
    posts.to_file(folder / "posts_float.gpkg", driver="GPKG")
    assert main(["lrs", "calibrate", str(folder / "routes_int.gpkg"),
                 str(folder / "posts_float.gpkg"), "--route-field", "road",
                 "--post-route-field", "road", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [r["route"] for r in result["routes"]] == ["10"]
    assert "unknown_route" not in [i["kind"] for i in result["issues"]]


def test_segment_reads_semicolon_tables_with_decimal_commas(files, capsys):
    folder, _, _ = files
    pav = folder / "pav_vi.csv"
    pav.write_text("route;from_m;to_m;pci\nQL10;Km60+000;Km61+500,5;72\n", encoding="utf-8")
    srv = folder / "srv.csv"
    srv.write_text("route,from_m,to_m,iri\nQL10,61000,62000,2.1\n", encoding="utf-8")
    assert main(["lrs", "segment", str(pav), str(srv), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["from_m"], row["to_m"], row["pav_vi_pci"]) == (61000.0, 61500.5, "72")
