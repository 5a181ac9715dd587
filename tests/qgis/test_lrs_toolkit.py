"""The LRS algorithms on the Processing toolkit: features read into frames (the one reader,
also used by the calibration issue layer), the profile parameter, cancel and bad segments."""

import pytest
from qgis.core import (
    QgsGeometry,
    QgsLineString,
    QgsPoint,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
)
from qgis.PyQt.QtCore import QVariant
from roadinfra.core.errors import Cancelled
from roadinfra.plugin.processing.features import BATCH, source_frame, source_table

from tests.support.layers import memory_layer


class Feedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.errors = []

    def reportError(self, error, fatalError=False):  # noqa: N802, N803 - QGIS API
        self.errors.append(error)


def straight_route():
    """Route R in the grid, 5 km due east, with posts Km60 .. Km65 on it."""
    line = QgsGeometry(QgsLineString([QgsPoint(600000, 2270000), QgsPoint(605000, 2270000)]))
    routes = memory_layer("LineString?crs=EPSG:9209", [("code", QVariant.String)],
                          [(line, ["R"])], name="routes")
    posts = memory_layer("Point?crs=EPSG:9209", [("label", QVariant.String),
                                                 ("road", QVariant.String)],
                         [(QgsGeometry.fromPointXY(QgsPointXY(600000 + 1000 * k, 2270000)),
                           [f"Km{60 + k}", "R"]) for k in range(6)], name="posts")
    return routes, posts


def route_params(routes, posts):
    return {"ROUTES": routes, "ROUTE_FIELD": "code", "POSTS": posts, "LABEL_FIELD": "label",
            "POST_ROUTE_FIELD": "road"}


def test_source_frame_reads_2d_shapes_nulls_and_the_declared_crs(qgis_app):
    layer = memory_layer("PointZM?crs=EPSG:4326", [("name", QVariant.String)],
                         [(QgsGeometry(QgsPoint(106.3, 20.4, 5.0, 7.0)), [None]),
                          (None, ["x"])])
    frame = source_frame(layer)
    assert str(frame.crs) == "EPSG:4326" and list(frame["name"]) == [None, "x"]
    assert frame.geometry[0].wkt == "POINT (106.3 20.4)" and frame.geometry[1] is None


def test_reading_stops_on_cancel(qgis_app):
    layer = memory_layer("None", [("n", QVariant.Int)], [(None, [k]) for k in range(BATCH)])
    feedback = QgsProcessingFeedback()
    assert len(source_table(layer, feedback)) == BATCH
    feedback.cancel()
    with pytest.raises(Cancelled, match="reading mem cancelled"):
        source_table(layer, feedback)


def test_lrs_algorithms_take_the_profile(roadinfra_provider):
    for name in ("calibrate_routes", "locate_points", "create_events", "segment_overlay"):
        alg = roadinfra_provider.algorithm(name)
        assert alg.parameterDefinition("PROFILE") is not None, name
    routes, posts = straight_route()
    import processing

    with pytest.raises(QgsProcessingException, match="no_such_province"):
        processing.run("roadinfra:calibrate_routes", {
            **route_params(routes, posts), "PROFILE": "no_such_province",
            "OUTPUT": "memory:", "ISSUES": "memory:"})


def test_a_cancelled_calibration_ends_as_a_cancel(roadinfra_provider):
    routes, posts = straight_route()
    alg = roadinfra_provider.algorithm("calibrate_routes").create()
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    result = alg.processAlgorithm({**route_params(routes, posts), "OUTPUT": "memory:",
                                   "ISSUES": "memory:"}, context, feedback)
    assert result == {} and context.layersToLoadOnCompletion() == {}


def test_segments_that_cannot_be_drawn_are_all_reported(roadinfra_provider):
    routes, posts = straight_route()
    fields = [("route", QVariant.String), ("from_m", QVariant.String),
              ("to_m", QVariant.String)]
    rows = [(None, ["R", "Km60+500", "Km61+000"]), (None, ["R", "Km64+000", "Km70+000"]),
            (None, ["Q", "0", "100"])]
    a = memory_layer("None", fields, rows, name="a")
    b = memory_layer("None", fields, rows, name="b")
    alg = roadinfra_provider.algorithm("segment_overlay").create()
    feedback = Feedback()
    params = {**route_params(routes, posts), "INPUT_A": a, "INPUT_B": b, "HOW": 0,
              "EVENT_ROUTE": "route", "FROM_FIELD": "from_m", "TO_FIELD": "to_m",
              "OUTPUT": "memory:", "PROFILE": "thai_binh"}
    with pytest.raises(QgsProcessingException, match="2 segment"):
        alg.processAlgorithm(params, QgsProcessingContext(), feedback)
    assert [e.split(":")[0] for e in feedback.errors] == ["segments row 1 field route",
                                                          "segments row 3"]
    assert "beyond the route" in feedback.errors[1]
