"""Planning algorithms in headless QGIS: the options table whose optimum is known by hand
(incremental benefit-cost is not optimal), the network plan of the sample province stored
as a draft, and the standard reports as tables, cell by cell against core."""

import pytest
from qgis.core import QgsFeature, QgsField, QgsProcessingException, QgsVectorLayer
from roadinfra.core.db import open_database
from roadinfra.core.reports.build import database_reports
from roadinfra.core.sample_data import SAMPLE_DIR, build_demo_database
from roadinfra.plugin import field_types

OPTIONS = [("A", 2027, "small", 40.0, 50.0), ("A", 2027, "large", 100.0, 110.0),
           ("B", 2027, "X", 60.0, 65.0), ("C", 2027, "X", 60.0, 64.0)]


def options_layer(rows=OPTIONS):
    layer = QgsVectorLayer("None", "options", "memory")
    layer.dataProvider().addAttributes([
        QgsField("section", field_types.STRING), QgsField("year", field_types.INT),
        QgsField("treatment", field_types.STRING), QgsField("cost", field_types.DOUBLE),
        QgsField("benefit", field_types.DOUBLE)])
    layer.updateFields()
    features = []
    for row in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes(list(row))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def run(name, params):
    import processing

    return processing.run(f"roadinfra:{name}", params)


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    path = tmp_path_factory.mktemp("planning") / "province.gpkg"
    build_demo_database(path, SAMPLE_DIR)
    return str(path)


def test_options_table_optimum_known_by_hand(roadinfra_provider):
    result = run("plan_optimize", {"INPUT": options_layer(), "BUDGET": "120",
                                   "OUTPUT": "memory:", "COMPARISON": "memory:"})
    chosen = sorted((f["section"], f["treatment"]) for f in result["OUTPUT"].getFeatures())
    assert chosen == [("B", "X"), ("C", "X")]  # benefit 129, greedy stops at 115
    assert (result["BENEFIT"], result["COST"]) == (129.0, 120.0)
    compared = {f["method"]: (f["benefit"], f["cost_vnd"])
                for f in result["COMPARISON"].getFeatures()}
    assert compared["optimal"] == (129.0, 120.0) and compared["greedy"] == (115.0, 100.0)


def test_bad_options_are_named(roadinfra_provider):
    bad = OPTIONS + [("D", 2027, "X", -5.0, 1.0)]
    with pytest.raises(QgsProcessingException, match="negative cost -5"):
        run("plan_optimize", {"INPUT": options_layer(bad), "BUDGET": "120",
                              "OUTPUT": "memory:", "COMPARISON": "memory:"})


def test_build_plan_and_reports_as_tables(roadinfra_provider, province):
    result = run("plan_build", {"DATABASE": province, "BUDGET": "2e9", "FIRST_YEAR": 2027,
                                "YEARS": 1, "METHOD": 1, "OUTPUT": "memory:",
                                "COMPARISON": "memory:"})
    assert result["CODE"] == "MP-2027-01"
    items = list(result["OUTPUT"].getFeatures())
    with open_database(province) as db:
        (plan,) = db.fetch("maintenance_plan", where={"code": "MP-2027-01"})
        stored = db.fetch("plan_item", where={"plan_id": plan["id"]})
    assert plan["status"] == "draft" and len(stored) == len(items) > 0
    assert sum(f["cost"] for f in items) == pytest.approx(result["COST"])
    assert all(f["reason"] and f["condition_after"] > f["condition_before"] for f in items)
    reports = run("report", {"DATABASE": province, "PLAN": "MP-2027-01", "LANGUAGE": 1,
                             **{key: "memory:" for key in (
                                 "NETWORK_CONDITION", "STRUCTURES_CONDITION", "OVERLOADS",
                                 "PLAN_COST", "PLAN_ITEMS", "PLAN_PROGRESS")}})
    for table in database_reports(province, "MP-2027-01", "en"):
        layer = reports[table.key.upper()]
        assert layer.fields().names() == [c.key for c in table.columns], table.key
        rows = [list(f.attributes()) for f in layer.getFeatures()]
        expected = [[row.get(c.key) for c in table.columns] for row in table.rows]
        assert len(rows) == len(expected), table.key
        for got, want in zip(rows, expected):  # cell by cell
            for a, b in zip(got, want):
                assert a == (pytest.approx(b) if isinstance(b, float) else b), table.key


def test_reports_without_a_plan_skip_the_plan_tables(roadinfra_provider, province):
    reports = run("report", {"DATABASE": province, "NETWORK_CONDITION": "memory:",
                             "STRUCTURES_CONDITION": "memory:", "OVERLOADS": "memory:"})
    assert "PLAN_COST" not in reports or reports["PLAN_COST"] is None
    assert reports["NETWORK_CONDITION"].featureCount() > 1
