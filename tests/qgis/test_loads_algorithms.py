"""The load-control Processing algorithms run through processing.run like in the toolbox."""

import pytest
from qgis.core import (
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
)
from qgis.PyQt.QtCore import QVariant
from roadinfra.core.loads import csv_format as fmt

from tests.support.layers import memory_layer

ROWS = [
    "LS-QL10-01,2025-03-14T08:00:00+07:00,truck,2,6.00;10.00,4.50,16.00,1,up",
    "LS-QL10-01,2025-03-14T09:00:00+07:00,truck,3,6.00;9.50;9.51,4.40;1.30,25.01,1,up",
    "LS-QL10-01,2025-03-15T09:00:00+07:00,semitrailer,5,5.00;6.00;7.00;7.00;7.01,3.50;6.00;1.30;1.30,32.01,2,down",
    "LS-QL10-01,2025-03-15T10:00:00+07:00,truck,3,6.00;9.50,4.40;1.30,15.50,1,up",
    "LS-QL10-02,2025-03-15T10:00:00+07:00,bus,2,5.00;9.00,6.00,14.00,1,down",
]


@pytest.fixture()
def records_csv(tmp_path):
    path = tmp_path / "weighing.csv"
    path.write_text("\n".join([",".join(fmt.COLUMNS), *ROWS]) + "\n", encoding="utf-8")
    return str(path)


def run(name, params):
    import processing

    return processing.run(f"roadinfra:{name}", params)


def rows_of(layer):
    names = layer.fields().names()
    return [dict(zip(names, f.attributes())) for f in layer.getFeatures()]


def test_algorithms_are_registered(roadinfra_provider):
    names = {a.name() for a in roadinfra_provider.algorithms()}
    assert {"loads_check", "loads_daily_stats", "loads_esal_sections"} <= names
    alg = roadinfra_provider.algorithm("loads_check")
    assert alg.displayName() == "Check weighing records against axle-load limits"
    assert alg.group() == "Load control"


def test_check_algorithm(roadinfra_provider, records_csv):
    result = run("loads_check", {"INPUT": records_csv, "PROFILE": "thai_binh",
                                 "OUTPUT": "memory:"})
    assert (result["CHECKED"], result["REJECTED"], result["OVERLOADED"]) == (4, 1, 2)
    rows = rows_of(result["OUTPUT"])
    assert [r["line"] for r in rows] == [2, 3, 4, 5, 6]
    assert rows[0]["governing_limit"] == "single 2" and rows[0]["overloaded"] is False
    # tandem 19.01/18 t = 1.056 beats gross 25.01/24 t = 1.042
    assert rows[1]["governing_limit"] == "tandem 2-3" and rows[1]["overloaded"] is True
    assert rows[2]["governing_limit"] == "tridem 3-5"  # 21.01 t at d = 1.3 m (limit 21 t)
    assert rows[2]["overload_pct"] == pytest.approx(100 * 0.01 / 21, abs=1e-3)
    assert "2 axle load(s) for axle_count 3" in rows[3]["error"]


def test_check_algorithm_bad_file(roadinfra_provider, tmp_path):
    path = tmp_path / "not_weighing.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="missing column"):
        run("loads_check", {"INPUT": str(path), "PROFILE": "thai_binh", "OUTPUT": "memory:"})


def test_daily_stats_algorithm(roadinfra_provider, records_csv):
    result = run("loads_daily_stats", {"INPUT": records_csv, "PROFILE": "thai_binh",
                                       "OUTPUT": "memory:"})
    rows = {(r["station_code"], r["date"]): r for r in rows_of(result["OUTPUT"])}
    assert set(rows) == {("LS-QL10-01", "2025-03-14"), ("LS-QL10-01", "2025-03-15"),
                         ("LS-QL10-02", "2025-03-15")}
    day = rows[("LS-QL10-01", "2025-03-14")]
    assert (day["vehicles"], day["overloaded"], day["overloaded_pct"]) == (2, 1, 50.0)


def test_esal_sections_algorithm(roadinfra_provider, records_csv):
    stations = memory_layer("Point?crs=EPSG:9209",
                     [("code", QVariant.String), ("route_id", QVariant.String),
                      ("chainage_m", QVariant.Double)],
                     [(QgsGeometry.fromPointXY(QgsPointXY(620000, 2270000)),
                       ["LS-QL10-01", "QL10", 12000.0]),
                      (QgsGeometry.fromPointXY(QgsPointXY(630000, 2265000)),
                       ["LS-QL10-02", "QL10", 30000.0])])
    line = QgsGeometry.fromPolylineXY([QgsPointXY(615000, 2271000), QgsPointXY(625000, 2269000)])
    sections = memory_layer("LineString?crs=EPSG:9209",
                     [("route_id", QVariant.String), ("from_m", QVariant.Double),
                      ("to_m", QVariant.Double), ("district_code", QVariant.String)],
                     [(line, ["QL10", 10000.0, 14000.0, "340"]),
                      (line, ["QL10", 18000.0, 21000.0, "340"]),
                      (line, ["DT452", 0.0, 1000.0, "341"])])
    result = run("loads_esal_sections", {
        "INPUT": records_csv, "PROFILE": "thai_binh", "STATIONS": stations,
        "SECTIONS": sections, "YEAR": 2025, "OUTPUT": "memory:"})
    out = result["OUTPUT"]
    rows = rows_of(out)
    assert len(rows) == 2 and result["SECTIONS_WRITTEN"] == 2
    assert out.crs().authid() == "EPSG:9209"
    assert all(not f.geometry().isEmpty() for f in out.getFeatures())
    assert rows[0]["source"] == "weighing LS-QL10-01 (in section)"
    assert rows[1]["source"] == "weighing LS-QL10-01 (nearest, 6000 m away)"
    assert rows[0]["year"] == 2025 and rows[0]["district_code"] == "340"
    assert rows[0]["esal_per_day"] == pytest.approx(rows[1]["esal_per_day"])
    assert rows[0]["esal_per_day"] > 0


def test_esal_sections_algorithm_refuses_a_section_without_route(roadinfra_provider, records_csv):
    stations = memory_layer("Point?crs=EPSG:9209",
                     [("code", QVariant.String), ("route_id", QVariant.String),
                      ("chainage_m", QVariant.Double)],
                     [(QgsGeometry.fromPointXY(QgsPointXY(620000, 2270000)),
                       ["LS-QL10-01", None, 12000.0])])
    line = QgsGeometry.fromPolylineXY([QgsPointXY(615000, 2271000), QgsPointXY(625000, 2269000)])
    sections = memory_layer("LineString?crs=EPSG:9209",
                     [("route_id", QVariant.String), ("from_m", QVariant.Double),
                      ("to_m", QVariant.Double)],
                     [(line, [None, 10000.0, 14000.0])])
    with pytest.raises(QgsProcessingException, match="column route_id: empty"):
        run("loads_esal_sections", {
            "INPUT": records_csv, "PROFILE": "thai_binh", "STATIONS": stations,
            "SECTIONS": sections, "YEAR": 2025, "OUTPUT": "memory:"})
