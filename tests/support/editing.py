"""Editing scenarios run as a user edits: QgsVectorLayer edit sessions on the loaded layers.

The QGIS tier runs them on a GeoPackage, the PostGIS tier on the real server; both call
the same functions with the project loaded by ``load_database_layers`` and the core
database opened on the same target (to read what was saved).
"""

from __future__ import annotations

from qgis.core import (
    QgsExpression,
    QgsFeatureRequest,
    QgsGeometry,
    QgsPointXY,
    QgsVectorLayerUtils,
)


def feature_where(layer, field, value):
    request = QgsFeatureRequest().setFilterExpression(
        QgsExpression.createFieldEqualityExpression(field, value))
    return next(layer.getFeatures(request))


def add_feature(layer, values, geometry=None):
    """Add a feature as the form would (defaults applied) and commit; True when saved."""
    assert layer.startEditing()
    feature = QgsVectorLayerUtils.createFeature(layer, geometry or QgsGeometry(), {},
                                                layer.createExpressionContext())
    for name, value in values.items():
        feature[name] = value
    assert layer.addFeature(feature)
    ok = layer.commitChanges()
    if not ok:
        layer.rollBack()
    return ok


def new_bridge_is_derived(layers, db, hooks):
    """A bridge digitised near an existing one with only its name gets code, district,
    route and chainage; the derived values are saved with it."""
    bridges = layers["bridge"]
    known = db.fetch("bridge", where={"code": "BR-344-001"})[0]
    point = QgsGeometry.fromPointXY(QgsPointXY(known["geom"].x + 3, known["geom"].y + 4))
    assert add_feature(bridges, {"name": "Cầu vẽ trong QGIS"}, point), bridges.commitErrors()
    saved = db.fetch("bridge", where={"name": "Cầu vẽ trong QGIS"})[0]
    assert saved["code"].startswith("BR-344-") and saved["district_code"] == "344"
    assert saved["route_id"] == known["route_id"]
    assert abs(saved["chainage_m"] - known["chainage_m"]) < 10
    assert hooks.messages[bridges.id()] == ([], [])
    return saved


def delete_is_tombstone(layers, db):
    """Deleting a bridge in QGIS tombstones it (and its inspections) in the same commit."""
    bridges = layers["bridge"]
    known = db.fetch("bridge", where={"code": "BR-344-001"})[0]
    inspections = db.fetch("inspection", where={"bridge_id": known["id"]})
    assert inspections
    before = bridges.featureCount()
    assert bridges.startEditing()
    assert bridges.deleteFeature(feature_where(bridges, "code", "BR-344-001").id())
    assert bridges.commitChanges(), bridges.commitErrors()
    row = db.fetch("bridge", where={"id": known["id"]}, include_deleted=True)[0]
    assert row["deleted_at"] is not None and row["revision"] == known["revision"] + 1
    assert db.fetch("inspection", where={"bridge_id": known["id"]}) == []
    assert [h["operation"] for h in db.history("bridge", known["id"])][-1] == "DELETE"
    bridges.reload()
    assert bridges.featureCount() == before - 1
    return known


def distresses_give_pci(layers, db):
    """Entering distresses for a survey in QGIS gives the survey its PCI after the save."""
    survey = next(s for s in db.fetch("pavement_survey", where={"method": "VISUAL"}))
    distresses = layers["pavement_distress"]
    assert distresses.startEditing()
    for code, severity, quantity in ((1, "H", 60.0), (13, "H", 6.0)):
        feature = QgsVectorLayerUtils.createFeature(distresses, QgsGeometry(), {},
                                                    distresses.createExpressionContext())
        for name, value in (("survey_id", survey["id"]), ("sample_unit", "SU-QGIS"),
                            ("unit_area_m2", 230.0), ("distress_code", code),
                            ("severity", severity), ("quantity", quantity)):
            feature[name] = value
        assert distresses.addFeature(feature)
    assert distresses.commitChanges(), distresses.commitErrors()
    after = db.fetch("pavement_survey", where={"id": survey["id"]})[0]
    assert after["pci"] is not None and after["pci"] < survey["pci"]
    assert after["revision"] == survey["revision"] + 1
    return survey, after


def bad_value_is_explained(layers, hooks, expected_field_label):
    """A year below the minimum: the save says which feature, which field, why."""
    bridges = layers["bridge"]
    feature = feature_where(bridges, "code", "BR-344-002")
    assert bridges.startEditing()
    assert bridges.changeAttributeValue(feature.id(), bridges.fields().indexFromName(
        "year_built"), 1700)
    assert not bridges.commitChanges()
    bridges.rollBack()
    errors, _warnings = hooks.messages[bridges.id()]
    assert len(errors) == 1
    assert "BR-344-002" in errors[0] and expected_field_label in errors[0]
    assert "1850" in errors[0]
    assert "CHECK constraint" not in errors[0] and "ck_bridge" not in errors[0]
    return errors[0]
