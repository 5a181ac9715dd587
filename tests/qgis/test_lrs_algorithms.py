"""The linear-referencing Processing algorithms on the real QL10 centre-line."""

import pytest
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant
from roadinfra.core import crs as core_crs
from roadinfra.core.lrs.calibrate import calibrate_route
from roadinfra.core.lrs.io import read_layer

from tests.support.shared_data import SHARED_DATA

QL10 = f"{SHARED_DATA}/vn_roads_legocity/giaothong_clip_thai_binh.geojson"


def memory_layer(uri, fields, rows):
    layer = QgsVectorLayer(uri, "mem", "memory")
    provider = layer.dataProvider()
    provider.addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    feats = []
    for geometry, attrs in rows:
        f = QgsFeature(layer.fields())
        if geometry is not None:
            f.setGeometry(geometry)
        f.setAttributes(attrs)
        feats.append(f)
    provider.addFeatures(feats)
    return layer


@pytest.fixture(scope="module")
def layers(qgis_app):
    """QL10 (WGS 84 GeoJSON) and synthetic posts every ~1000 m, as a GNSS survey in WGS 84."""
    line = ql10_line()
    routes = QgsVectorLayer(QL10, "QL10", "ogr")
    assert routes.isValid()
    rows = []
    for i, d in enumerate(range(300, int(line.length), 1000)):
        p = line.interpolate(d + (7 if i % 2 else -5))
        lon, lat = core_crs.to_wgs84(p.x, p.y)
        rows.append((QgsGeometry.fromPointXY(QgsPointXY(lon, lat)), [f"Km{60 + i}", "QL10"]))
    posts = memory_layer("Point?crs=EPSG:4326", [("label", QVariant.String),
                                                 ("route", QVariant.String)], rows)
    return routes, posts, rows


def ql10_line():
    """The measured line of QL10 (its 72 m spur left out)."""
    return calibrate_route("QL10", read_layer(QL10).geometry, [])[0].line


def run(name, params):
    import processing

    return processing.run(f"roadinfra:{name}", params)


def route_params(routes, posts):
    return {"ROUTES": routes, "ROUTE_CODE": "QL10", "POSTS": posts, "LABEL_FIELD": "label",
            "POST_ROUTE_FIELD": "route", "TOLERANCE": 20.0}


def test_calibrate_routes(roadinfra_provider, layers):
    routes, posts, rows = layers
    result = run("calibrate_routes", {**route_params(routes, posts), "OUTPUT": "memory:",
                                      "ISSUES": "memory:"})
    out, issues = result["OUTPUT"], result["ISSUES"]
    assert out.crs().authid() == "EPSG:9209"
    (feature,) = list(out.getFeatures())
    assert feature["route"] == "QL10" and feature["posts_used"] == len(rows)
    assert feature["length_m"] == pytest.approx(54528.5, abs=0.5)   # without the 72 m spur
    assert QgsWkbTypes.hasM(feature.geometry().wkbType())
    ms = [v.m() for v in feature.geometry().vertices()]
    assert ms == sorted(ms) and ms[0] == pytest.approx(feature["start_m"])
    kinds = sorted(f["kind"] for f in issues.getFeatures())
    assert kinds == ["fork", "gap"]
    with pytest.raises(QgsProcessingException, match="calibration error"):
        run("calibrate_routes", {**route_params(routes, posts), "STRICT": True,
                                 "OUTPUT": "memory:", "ISSUES": "memory:"})


def test_locate_points(roadinfra_provider, layers):
    routes, posts, rows = layers
    pts = memory_layer("Point?crs=EPSG:4326", [("name", QVariant.String)],
                       [(rows[12][0], ["C12"]), (QgsGeometry.fromPointXY(QgsPointXY(106.60, 20.35)),
                                                  ["far away"])])
    result = run("locate_points", {**route_params(routes, posts), "INPUT": pts,
                                   "MAX_OFFSET": 50.0, "OUTPUT": "memory:"})
    feats = list(result["OUTPUT"].getFeatures())
    assert feats[0]["lrs_route"] == "QL10" and feats[0]["lrs_chainage"] == "Km72+000"
    assert abs(feats[0]["lrs_offset"]) < 0.01
    assert not feats[1]["lrs_route"]            # NULL: no route within 50 m


def test_create_events_lines_and_points(roadinfra_provider, layers):
    routes, posts, _ = layers
    table = memory_layer("None", [("route", QVariant.String), ("from_m", QVariant.String),
                                  ("to_m", QVariant.String)],
                         [(None, ["QL10", "Km60+000", "Km65+500"]),
                          (None, ["QL10", "65500", "Km80+000"])])
    result = run("create_events", {**route_params(routes, posts), "INPUT": table,
                                   "EVENT_ROUTE": "route", "FROM_FIELD": "from_m",
                                   "TO_FIELD": "to_m", "OUTPUT": "memory:"})
    lines = list(result["OUTPUT"].getFeatures())
    assert len(lines) == 2
    assert sum(f.geometry().length() for f in lines) == pytest.approx(20000, rel=0.02)
    points = run("create_events", {**route_params(routes, posts), "INPUT": table,
                                   "EVENT_ROUTE": "route", "FROM_FIELD": "from_m",
                                   "OUTPUT": "memory:"})["OUTPUT"]
    assert points.geometryType() == QgsWkbTypes.PointGeometry and points.featureCount() == 2
    bad = memory_layer("None", [("route", QVariant.String), ("from_m", QVariant.String),
                                ("to_m", QVariant.String)], [(None, ["QL10", "Km60+000", "x"])])
    out = run("create_events", {**route_params(routes, posts), "INPUT": bad,
                                "EVENT_ROUTE": "route", "FROM_FIELD": "from_m",
                                "TO_FIELD": "to_m", "OUTPUT": "memory:"})["OUTPUT"]
    (row,) = out.getFeatures()           # the bad row is kept, with its reason
    assert row.geometry().isNull() and row["lrs_error"].startswith("mem row 1 field to_m: ")


def test_segment_overlay(roadinfra_provider, layers):
    routes, posts, _ = layers
    fields = [("route", QVariant.String), ("from_m", QVariant.Double), ("to_m", QVariant.Double)]
    pav = memory_layer("None", fields + [("pci", QVariant.Int)],
                       [(None, ["QL10", 60000.0, 65500.0, 72]),
                        (None, ["QL10", 65500.0, 80000.0, 55])])
    srv = memory_layer("None", fields + [("iri", QVariant.Double)],
                       [(None, ["QL10", 61000.0, 62000.0, 2.1]),
                        (None, ["QL10", 62000.0, 70000.0, 3.4])])
    out = run("segment_overlay", {"INPUT_A": pav, "INPUT_B": srv, "HOW": 0,
                                  "OUTPUT": "memory:"})["OUTPUT"]
    got = [(f["from_m"], f["to_m"], f["a_pci"], f["b_iri"], f["from_km"])
           for f in out.getFeatures()]
    assert got == [(61000, 62000, 72, 2.1, "Km61+000"), (62000, 65500, 72, 3.4, "Km62+000"),
                   (65500, 70000, 55, 3.4, "Km65+500")]
    drawn = run("segment_overlay", {**route_params(routes, posts), "INPUT_A": pav,
                                    "INPUT_B": srv, "HOW": 1, "OUTPUT": "memory:"})["OUTPUT"]
    assert drawn.featureCount() == 5 and drawn.crs().authid() == "EPSG:9209"
    assert sum(f.geometry().length() for f in drawn.getFeatures()) == pytest.approx(
        20000, rel=0.02)


def test_point_events_with_null_offset_sit_on_the_route(roadinfra_provider, layers):
    """A NULL in a numeric offset field reaches pandas as NaN; it used to give a point at
    (nan, nan), written without a word. NULL means no offset; 5 is 5 m left of the route."""
    routes, posts, _ = layers
    table = memory_layer("None", [("route", QVariant.String), ("at", QVariant.String),
                                  ("offset", QVariant.Double)],
                         [(None, ["QL10", "Km65+000", 5.0]), (None, ["QL10", "Km66+000", None])])
    out = run("create_events", {**route_params(routes, posts), "INPUT": table,
                                "EVENT_ROUTE": "route", "FROM_FIELD": "at",
                                "OFFSET_FIELD": "offset", "OUTPUT": "memory:"})["OUTPUT"]
    line = QgsGeometry.fromWkt(ql10_line().wkt)
    found = [f.geometry().asPoint() for f in out.getFeatures()]
    assert len(found) == 2 and all(p.x() == p.x() and p.y() == p.y() for p in found)
    distances = [line.distance(QgsGeometry.fromPointXY(p)) for p in found]
    assert distances == pytest.approx([5.0, 0.0], abs=0.01)


@pytest.mark.parametrize("join, gaps", [(None, 1), (1.0, 1), (10.0, 0)])
def test_join_tolerance_is_a_parameter_with_core_default(roadinfra_provider, join, gaps):
    """Two pieces of one route 5 m apart: a gap at the default join tolerance (core's, as
    ``--join-tolerance``), joined at 10 m."""
    from roadinfra.core.lrs.network import DEFAULT_JOIN_TOLERANCE

    alg = roadinfra_provider.algorithm("calibrate_routes")
    assert alg.parameterDefinition("JOIN_TOLERANCE").defaultValue() == DEFAULT_JOIN_TOLERANCE
    line = QgsGeometry.fromPolylineXY
    routes = memory_layer("LineString?crs=EPSG:9209", [("code", QVariant.String)], [
        (line([QgsPointXY(600000, 2260000), QgsPointXY(603000, 2260000)]), ["R"]),
        (line([QgsPointXY(603005, 2260000), QgsPointXY(606000, 2260000)]), ["R"])])
    posts = memory_layer("Point?crs=EPSG:9209", [("label", QVariant.String),
                                                 ("route", QVariant.String)],
                         [(QgsGeometry.fromPointXY(QgsPointXY(600000 + 1000 * k, 2260000)),
                           [f"Km{k}", "R"]) for k in range(7)])
    params = {"ROUTES": routes, "ROUTE_FIELD": "code", "POSTS": posts, "LABEL_FIELD": "label",
              "POST_ROUTE_FIELD": "route", "OUTPUT": "memory:", "ISSUES": "memory:"}
    if join is not None:
        params["JOIN_TOLERANCE"] = join
    result = run("calibrate_routes", params)
    kinds = [f["kind"] for f in result["ISSUES"].getFeatures()]
    assert kinds.count("gap") == gaps, kinds
