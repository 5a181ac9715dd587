"""Issues 15/16 on the QGIS paths: the Processing algorithms and the calibration issue
layers, on the sample province with one defect at a time."""

from pathlib import Path

import pytest
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProject,
    QgsVectorLayer,
)

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
TOLERANCE = 20.0


def layer(name, memory=True):
    """A sample layer; ``memory``: an editable copy (edits never reach the sample file)."""
    source = QgsVectorLayer(str(SAMPLE / f"{name}.geojson"), name, "ogr")
    assert source.isValid()
    if not memory:
        return source
    copy = source.materialize(QgsFeatureRequest())
    copy.setName(name)
    return copy


def run(name, params):
    import processing

    return processing.run(f"roadinfra:{name}", params)


def params(routes, posts):
    return {"ROUTES": routes, "ROUTE_FIELD": "code", "POSTS": posts, "LABEL_FIELD": "label",
            "MEASURE_FIELD": "measure_m", "POST_ROUTE_FIELD": "route_id",
            "TOLERANCE": TOLERANCE}


def find(layer_, field, value):
    return next(f for f in layer_.getFeatures() if f[field] == value)


def test_issue_15_in_processing_locate(roadinfra_provider):
    """Routes keyed by code, posts by route_id: BR-336-001 comes out at Km101+254."""
    routes, posts, bridges = layer("route", False), layer("calibration_point", False), \
        layer("bridge", False)
    out = run("locate_points", {**params(routes, posts), "INPUT": bridges,
                                "OUTPUT": "memory:"})["OUTPUT"]
    feature = find(out, "code", "BR-336-001")
    assert feature["lrs_chainage"] == "Km101+254" and feature["lrs_match"] == "nearest"
    assert max(abs(f["lrs_measure"] - f["chainage_m"]) for f in out.getFeatures()) <= TOLERANCE
    own = run("locate_points", {**params(routes, posts), "INPUT": bridges,
                                "POINT_ROUTE_FIELD": "route_id", "OUTPUT": "memory:"})["OUTPUT"]
    assert {f["lrs_match"] for f in own.getFeatures()} == {"own route"}
    assert max(abs(f["lrs_measure"] - f["chainage_m"]) for f in own.getFeatures()) <= TOLERANCE


def test_unmatched_posts_stop_the_algorithm_naming_them(roadinfra_provider):
    routes, posts = layer("route"), layer("calibration_point", False)
    routes.startEditing()
    routes.deleteAttribute(routes.fields().indexOf("id"))
    routes.commitChanges()
    with pytest.raises(QgsProcessingException, match="207 post.s. match no route: row 1: "
                                                     "post Km70.767 names route"):
        run("locate_points", {**params(routes, posts), "INPUT": layer("bridge", False),
                              "OUTPUT": "memory:"})


def test_calibrate_algorithm_reports_swap_and_null_measure(roadinfra_provider):
    routes, posts = layer("route", False), layer("calibration_point")
    dt455 = find(routes, "code", "DT455")["id"]
    posts.startEditing()
    for f in posts.getFeatures():
        if f["route_id"] == dt455 and f["label"] in ("Km7", "Km8"):
            posts.changeAttributeValue(f.id(), posts.fields().indexOf("measure_m"),
                                       15000.0 - f["measure_m"])
        if f["route_id"] == dt455 and f["label"] == "Km12":
            posts.changeAttributeValue(f.id(), posts.fields().indexOf("measure_m"), None)
    posts.commitChanges()
    result = run("calibrate_routes", {**params(routes, posts), "OUTPUT": "memory:",
                                      "ISSUES": "memory:"})
    found = sorted((f["kind"], f["label"]) for f in result["ISSUES"].getFeatures()
                   if f["severity"] == "error")
    assert found == [("ambiguous_order", "Km7"), ("ambiguous_order", "Km8"),
                     ("null_measure", "Km12")]
    route = find(result["OUTPUT"], "route", "DT455")
    assert route["posts_used"] == 20 and route["end_km"] == "Km21+803"


def test_events_algorithm_writes_an_error_per_bad_row(roadinfra_provider):
    from qgis.core import QgsField
    from qgis.PyQt.QtCore import QVariant

    table = QgsVectorLayer("None", "events", "memory")
    table.dataProvider().addAttributes([QgsField("route", QVariant.String),
                                        QgsField("at", QVariant.String),
                                        QgsField("to", QVariant.String),
                                        QgsField("left", QVariant.Double),
                                        QgsField("right", QVariant.Double)])
    table.updateFields()
    rows = [["DT455", "Km2+000", "Km3+000", 5.0, 15.0], ["DT499", "Km2+000", "Km3+000", 0, 0],
            ["DT455", "Km4+000", "Km4+000", 0, 0]]
    feats = []
    for values in rows:
        f = QgsFeature(table.fields())
        f.setAttributes(values)
        feats.append(f)
    table.dataProvider().addFeatures(feats)
    out = run("create_events", {**params(layer("route", False), layer("calibration_point", False)),
                                "INPUT": table, "EVENT_ROUTE": "route", "FROM_FIELD": "at",
                                "TO_FIELD": "to", "OFFSET_FIELD": "left",
                                "END_OFFSET_FIELD": "right", "OUTPUT": "memory:"})["OUTPUT"]
    got = list(out.getFeatures())
    assert [f.geometry().isNull() for f in got] == [False, True, True]
    assert got[0]["lrs_error"] in (None, "") or got[0]["lrs_error"].isNull()
    assert got[1]["lrs_error"] == "events row 2 field route: route 'DT499' is not in the " \
                                  "routes layer"
    assert "empty or reversed" in got[2]["lrs_error"]
    assert got[0].geometry().length() == pytest.approx(1000.0, abs=25.0)


def test_issue_layers_open_and_follow_edits(qgis_app, qtbot):
    from roadinfra.core.profile import load_profile
    from roadinfra.plugin.lrs.issue_layer import IssueLayerSettings, open_issue_layers

    project = QgsProject.instance()
    routes, posts = layer("route"), layer("calibration_point")
    project.addMapLayers([routes, posts])
    settings = IssueLayerSettings(route_field="code", measure_field="measure_m",
                                  post_route_field="route_id")
    issues = open_issue_layers(routes, posts, settings, load_profile(None), project)
    try:
        assert issues.error is None
        assert [f["kind"] for f in issues.points.getFeatures()] == ["route_key"]
        assert issues.lines.featureCount() == 0
        assert project.mapLayer(issues.points.id()) is issues.points
        assert issues.points.crs().authid() == "EPSG:9209"
        # the engineer swaps the measures of Km7 and Km8 while editing: the layer follows
        dt455 = find(routes, "code", "DT455")["id"]
        km = {f["label"]: f.id() for f in posts.getFeatures() if f["route_id"] == dt455}
        posts.startEditing()
        with qtbot.waitSignal(issues.refreshed, timeout=5000):
            posts.changeAttributeValue(km["Km7"], posts.fields().indexOf("measure_m"), 8000.0)
            posts.changeAttributeValue(km["Km8"], posts.fields().indexOf("measure_m"), 7000.0)
        kinds = sorted(f["kind"] for f in issues.points.getFeatures())
        assert kinds == ["ambiguous_order", "ambiguous_order", "route_key"]
        message = next(f["message"] for f in issues.points.getFeatures()
                       if f["kind"] == "ambiguous_order")
        assert "either could be the wrong one" in message
        # a spur digitised on DT455 appears in the line layer
        line = routes.getFeature(find(routes, "code", "DT455").id()).geometry()
        vertex = line.vertexAt(40)
        spur = QgsFeature(routes.fields())
        spur.setAttributes(find(routes, "code", "DT455").attributes())
        spur.setGeometry(QgsGeometry.fromPolylineXY(
            [QgsPointXY(vertex.x(), vertex.y()), QgsPointXY(vertex.x() + 424.3,
                                                             vertex.y() + 424.3)]))
        routes.startEditing()
        with qtbot.waitSignal(issues.refreshed, timeout=5000):
            routes.addFeature(spur)
        (fork,) = [f for f in issues.lines.getFeatures() if f["kind"] == "fork"]
        assert fork.geometry().length() == pytest.approx(600.0, abs=0.5)
        assert fork["route"] == "DT455" and "leaves route DT455" in fork["message"]
        # undoing the edits empties the layers again
        with qtbot.waitSignal(issues.refreshed, timeout=5000):
            posts.rollBack()
            routes.rollBack()
        assert [f["kind"] for f in issues.points.getFeatures()] == ["route_key"]
    finally:
        project.removeMapLayers([issues.points.id(), issues.lines.id(), routes.id(),
                                 posts.id()])
        root = project.layerTreeRoot()
        for group in root.findGroups():
            root.removeChildNode(group)


def test_issue_layer_dialog_reads_the_chosen_fields(qgis_app):
    from roadinfra.plugin.lrs.issue_dialog import IssueLayerDialog

    project = QgsProject.instance()
    routes, posts = layer("route", False), layer("calibration_point", False)
    project.addMapLayers([routes, posts])
    try:
        dialog = IssueLayerDialog()
        dialog.routes.setLayer(routes)
        dialog.posts.setLayer(posts)
        dialog.route_field.setField("code")
        dialog.label_field.setField("label")
        dialog.measure_field.setField("measure_m")
        dialog.post_route_field.setField("route_id")
        settings = dialog.settings()
        assert (settings.route_field, settings.label_field, settings.measure_field,
                settings.post_route_field, settings.start_field) == \
            ("code", "label", "measure_m", "route_id", None)
        assert settings.tolerance == TOLERANCE
        dialog.deleteLater()
    finally:
        project.removeMapLayers([routes.id(), posts.id()])
