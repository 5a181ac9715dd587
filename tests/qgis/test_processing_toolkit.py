"""The Processing toolkit: discovery of algorithm packages, the template processAlgorithm
(bad rows, errors, cancel), features to and from records and frames, the shared profile and
database parameters, and the condition-summary and ESAL algorithms on it."""

import json
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from qgis.core import (
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant
from roadinfra.core.errors import Cancelled, RoadInfraError
from roadinfra.core.loads import csv_format as fmt
from roadinfra.plugin.processing.base import RoadInfraAlgorithm
from roadinfra.plugin.processing.features import (
    frame_fields,
    plain,
    source_records,
    write_frame,
)
from roadinfra.plugin.processing.provider import algorithm_classes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data" / "qgisui"))
from small_network import build_small_network  # noqa: E402

from tests.support.layers import memory_layer  # noqa: E402


def run(name, params):
    import processing

    return processing.run(f"roadinfra:{name}", params)


def test_algorithms_in_sub_packages_are_found(qgis_app, tmp_path, monkeypatch):
    package = tmp_path / "ri_nested_algorithms"
    (package / "group").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "group" / "__init__.py").write_text("")
    (package / "group" / "one.py").write_text(textwrap.dedent("""
        from roadinfra.plugin.processing.base import RoadInfraAlgorithm

        class One(RoadInfraAlgorithm):
            NAME = "one"
        """))
    (package / "group" / "broken.py").write_text("raise ImportError('no such thing')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import ri_nested_algorithms

    errors = []
    try:
        classes = algorithm_classes(ri_nested_algorithms, errors)
    finally:
        for name in [n for n in sys.modules if n.startswith("ri_nested_algorithms")]:
            del sys.modules[name]
    assert [klass.NAME for klass in classes] == ["one"]
    assert len(errors) == 1 and "ri_nested_algorithms.group.broken" in errors[0]


def test_one_algorithm_per_module(roadinfra_provider):
    mine = [alg for alg in roadinfra_provider.algorithms()
            if type(alg).__module__.count(".") > 4]  # algorithms/<group>/<module>
    assert len(mine) >= 8
    for alg in mine:
        assert type(alg).__module__.rsplit(".", 1)[1] == alg.name(), alg.name()


class Failing(RoadInfraAlgorithm):
    NAME = "failing"

    def __init__(self, error):
        super().__init__()
        self.error = error

    def initAlgorithm(self, config=None):
        pass

    def process(self, parameters, context, feedback):
        raise self.error


class Feedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.errors = []
        self.infos = []

    def reportError(self, error, fatalError=False):  # noqa: N802, N803 - QGIS API
        self.errors.append(error)

    def pushInfo(self, info):  # noqa: N802 - QGIS API
        self.infos.append(info)


def test_template_reports_every_bad_row_and_maps_errors(qgis_app):
    from roadinfra.core.loads.esal import SectionError

    feedback = Feedback()
    error = SectionError("a\nb", ["st.csv: line 2, column code: empty",
                                  "st.csv: line 3, column code: empty"])
    with pytest.raises(QgsProcessingException, match="a\nb"):
        Failing(error).processAlgorithm({}, QgsProcessingContext(), feedback)
    assert feedback.errors == error.errors
    with pytest.raises(QgsProcessingException, match="plain"):
        Failing(RoadInfraError("plain")).processAlgorithm({}, QgsProcessingContext(), Feedback())


def test_template_ends_a_cancel_as_a_cancel(qgis_app):
    context = QgsProcessingContext()
    context.addLayerToLoadOnCompletion("memory:x", QgsProcessingContext.LayerDetails(
        "x", QgsProject.instance(), "OUTPUT"))
    feedback = Feedback()
    assert Failing(Cancelled("stopped")).processAlgorithm({}, context, feedback) == {}
    assert context.layersToLoadOnCompletion() == {}
    assert feedback.infos == ["Cancelled: stopped"] and feedback.errors == []


def test_features_plain_records_and_frames(qgis_app):
    assert [plain(v) for v in (np.int64(3), np.float64("nan"), pd.NA, None, "x")] == \
        [3, None, None, None, "x"]
    layer = memory_layer("None", [("a", QVariant.String), ("b", QVariant.Double)],
                         [(None, ["x", 1.5]), (None, [None, None])])
    assert [r[1:] for r in source_records(layer, ["a", "b"])] == [("x", 1.5), (None, None)]
    with pytest.raises(RoadInfraError, match="no field c, d"):
        source_records(layer, ["a", "c", "d"])
    frame = pd.DataFrame({"n": [1, 2], "v": [0.5, np.nan], "s": ["p", None]})
    fields = frame_fields(frame)
    sink = QgsVectorLayer("None", "out", "memory")
    sink.dataProvider().addAttributes(fields.toList())
    sink.updateFields()
    assert write_frame(sink.dataProvider(), fields, frame) == 2
    assert [f.attributes() for f in sink.getFeatures()][0] == [1, 0.5, "p"]
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    with pytest.raises(Cancelled):
        write_frame(sink.dataProvider(), fields, frame, feedback)


@pytest.fixture
def small_db(qgis_app, tmp_path):
    path = tmp_path / "thai_binh.gpkg"
    build_small_network(path).close()
    return path


def test_database_parameter_defaults_to_the_open_database(roadinfra_provider, small_db):
    from roadinfra.plugin.database.layers import load_database_layers

    project = QgsProject.instance()
    project.clear()
    try:
        before = roadinfra_provider.algorithm("condition_summary").create()
        assert not before.parameterDefinition("DATABASE").defaultValue()
        load_database_layers(small_db, project, "en")
        for name in ("condition_summary", "print_condition_map"):
            algorithm = roadinfra_provider.algorithm(name).create()  # as the toolbox does
            assert algorithm.parameterDefinition("DATABASE").defaultValue() == str(small_db)
        profile = roadinfra_provider.algorithm("compute_pci").create()
        assert profile.parameterDefinition("PROFILE").defaultValue()
    finally:
        project.clear()


def test_condition_summary_algorithm(roadinfra_provider, small_db):
    result = run("condition_summary", {"DATABASE": str(small_db), "ROUTE": "DT454",
                                       "LANGUAGE": 1, "OUTPUT": "memory:"})
    rows = [f.attributes() for f in result["OUTPUT"].getFeatures()]
    assert rows[0] == ["pci", "header", "", "Pavement condition (PCI)", "km", "Sections"]
    assert ["pci", "total", "", "Total", "14.20", "2"] in rows
    summary = json.loads(result["SUMMARY"])
    assert summary["scope"]["route_code"] == "DT454" and summary["pavement"]["sections"] == 2
    with pytest.raises(QgsProcessingException, match="no route with code or id 'XX'"):
        run("condition_summary", {"DATABASE": str(small_db), "ROUTE": "XX",
                                  "OUTPUT": "memory:"})


def test_esal_algorithm_refuses_a_station_at_1e308(roadinfra_provider, tmp_path):
    records = tmp_path / "weighing.csv"
    records.write_text(",".join(fmt.COLUMNS) + "\n"
                       "LS-01,2025-03-14T08:00:00+07:00,truck,2,6.00;10.00,4.50,16.00,1,up\n",
                       encoding="utf-8")
    stations = memory_layer("Point?crs=EPSG:9209", [("code", QVariant.String),
                                                     ("route_id", QVariant.String),
                                                     ("chainage_m", QVariant.Double)],
                            [(QgsGeometry.fromPointXY(QgsPointXY(620000, 2270000)),
                              ["LS-01", "QL10", 1e308])])
    line = QgsGeometry.fromPolylineXY([QgsPointXY(615000, 2271000), QgsPointXY(625000, 2269000)])
    sections = memory_layer("LineString?crs=EPSG:9209", [("route_id", QVariant.String),
                                                          ("from_m", QVariant.Double),
                                                          ("to_m", QVariant.Double)],
                            [(line, ["QL10", 0.0, 1000.0]), (line, ["QL10", 5.0, 1.0])])
    with pytest.raises(QgsProcessingException) as caught:
        run("loads_esal_sections", {"INPUT": str(records), "STATIONS": stations,
                                    "SECTIONS": sections, "YEAR": 2025, "OUTPUT": "memory:"})
    message = str(caught.value)
    assert "feature 1, column chainage_m: 1e+308 m is outside" in message
    assert "feature 2, column to_m: 1 is not above from_m 5" in message


def test_algorithms_speak_vietnamese(roadinfra_provider, qgis_app):
    """Texts from the base class, the group package and a mixin are translated too."""
    from roadinfra.plugin.i18n import install_translator, remove_translator

    translator = install_translator("vi")
    assert translator is not None, "run scripts/compile_translations.sh first"
    try:
        check = roadinfra_provider.algorithm("loads_check").create()
        assert check.group() == "Kiểm soát tải trọng xe"
        assert check.parameterDefinition("OUTPUT").description() == "Số liệu đã kiểm tra"
        assert check.parameterDefinition("PROFILE").description() != \
            "Jurisdiction profile (id or .toml file)"
        summary = roadinfra_provider.algorithm("condition_summary").create()
        assert summary.displayName() == "Tóm tắt tình trạng"
        assert summary.group() == "Đánh giá tình trạng"
        assert summary.parameterDefinition("DATABASE").description().startswith(
            "Cơ sở dữ liệu cấp tỉnh")
    finally:
        remove_translator(translator)
