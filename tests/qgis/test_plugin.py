"""The plugin skeleton in headless QGIS: GUI wiring, Processing provider, translations."""

import sys
import textwrap

import pytest
import roadinfra
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsSettings,
)
from qgis.PyQt.QtWidgets import QToolBar
from roadinfra.core.errors import RoadInfraError
from roadinfra.core.profile import load_profile
from roadinfra.core.version import __version__
from roadinfra.plugin.processing.base import RoadInfraAlgorithm, run_core
from roadinfra.plugin.processing.provider import algorithm_classes
from roadinfra.plugin.settings import PluginSettings

from tests.support.shared_data import SHARED_DATA

CADASTRE_GPKG = f"{SHARED_DATA}/cadastre_fr_edigeo/edigeo_parcelles_all_sheets.gpkg"


@pytest.fixture
def plugin(qgis_iface):
    instance = roadinfra.classFactory(qgis_iface)
    instance.initGui()
    yield instance
    instance.unload()


def menu_bar_titles(qgis_iface):
    return [action.text() for action in qgis_iface.mainWindow().menuBar().actions()]


def test_init_gui_adds_toolbar_menu_and_provider(plugin, qgis_iface):
    toolbar = qgis_iface.mainWindow().findChild(QToolBar, "RoadInfraToolbar")
    assert toolbar is plugin.toolbar
    assert "Open provincial database..." in [a.text() for a in toolbar.actions()]
    assert "&RoadInfra" in menu_bar_titles(qgis_iface)
    assert [a.text() for a in plugin.menu.actions() if a.text()] == [
        "Open provincial database...",
        "Condition summary",
        "Maintenance plan",
        "RoadInfra Processing tools",
        "Sync offline package...",
        "Sync conflicts",
        "Calibration issues layer...",
        "Print plan atlas...",
        "Cadastre...",
        "History of the selected feature",
        "Deleted features...",
        "Attach photos...",
        "About RoadInfra",
    ]
    provider = QgsApplication.processingRegistry().providerById("roadinfra")
    assert provider is plugin.provider
    assert provider.algorithm("info") is not None


def test_unload_removes_everything(qgis_iface):
    instance = roadinfra.classFactory(qgis_iface)
    instance.initGui()
    instance.unload()
    assert QgsApplication.processingRegistry().providerById("roadinfra") is None
    assert "&RoadInfra" not in menu_bar_titles(qgis_iface)
    assert instance.toolbar is None


def test_processing_tools_action_explains_when_the_toolbox_is_missing(plugin, qgis_iface):
    qgis_iface.messageBar().clear_messages()
    plugin.actions["processing_tools"].trigger()
    warnings = qgis_iface.messageBar().get_messages(Qgis.Warning)
    assert any("Processing" in message for message in warnings)


def test_vietnamese_locale_translates_the_toolbar(qgis_iface, language):
    language("vi")
    instance = roadinfra.classFactory(qgis_iface)
    assert instance.translator is not None, "run scripts/compile_translations.sh first"
    instance.initGui()
    try:
        texts = [action.text() for action in instance.toolbar.actions()]
        assert texts[0] == "Mở cơ sở dữ liệu tỉnh..."
        assert instance.actions["condition_summary"].text() == "Tóm tắt tình trạng"
        assert instance.actions["about"].text() == "Giới thiệu RoadInfra"
        alg = instance.provider.algorithm("info")
        assert alg.displayName() == "Thông tin cơ sở dữ liệu và hồ sơ địa phương"
    finally:
        instance.unload()
    assert RoadInfraAlgorithm.tr(alg, "General") == "General"  # translator removed on unload


def test_settings_round_trip(qgis_app):
    store = QgsSettings()
    saved = PluginSettings.load()
    try:
        PluginSettings(last_database="/data/thai_binh.gpkg", profile="hung_yen").save()
        loaded = PluginSettings.load()
        assert loaded.last_database == "/data/thai_binh.gpkg"
        assert loaded.profile == "hung_yen"
        assert store.value("roadinfra/profile") == "hung_yen"
    finally:
        saved.save()


def test_every_algorithm_is_named_and_documented(roadinfra_provider):
    algorithms = roadinfra_provider.algorithms()
    assert algorithms, "the provider must never be empty"
    assert roadinfra_provider.load_errors == []
    for alg in algorithms:
        assert alg.id() == f"roadinfra:{alg.name()}"
        assert alg.name() == alg.name().lower()
        assert alg.displayName() and alg.group() and alg.groupId()
        assert alg.shortHelpString(), alg.id()
        assert type(alg.createInstance()) is type(alg)


def test_info_algorithm_reports_profile(roadinfra_provider):
    import processing

    profile = load_profile("thai_binh")
    result = processing.run("roadinfra:info", {"PROFILE": "thai_binh"})
    assert result["VERSION"] == __version__
    assert result["PROFILE_ID"] == "thai_binh"
    assert result["PROVINCE"] == "Thái Bình"
    assert result["CRS_EPSG"] == 9209
    assert result["DISTRICT_COUNT"] == len(profile.district_codes)
    assert result["LAYER_COUNT"] == 0
    assert "Huyện Tiền Hải" in result["SUMMARY"]


def test_info_algorithm_gives_the_answer_of_db_info(roadinfra_provider, tmp_path):
    import processing
    from roadinfra.core.db import create_database, database_info

    from tests.support.rows import example_rows, rid

    path = tmp_path / "tb.gpkg"
    db = create_database(path)
    for name in ("admin_unit", "route", "culvert"):
        db.insert(name, [example_rows()[name]])
    db.tombstone("culvert", rid("culvert"))
    db.close()
    result = processing.run("roadinfra:info", {"PROFILE": "thai_binh", "DATABASE": str(path)})
    core = database_info(path)  # the CLI's answer: live rows, tombstoned ones apart
    assert result["LAYER_COUNT"] == len(core["rows"])
    assert "culvert: 0 live, 1 tombstoned" in result["SUMMARY"]
    assert "route: 1 live, 0 tombstoned" in result["SUMMARY"]
    lines = result["SUMMARY"].splitlines()
    assert any(dead is None for dead in core["tombstoned"].values())
    for name, live in core["rows"].items():  # "-" where a table cannot be tombstoned
        if live is not None:
            dead = core["tombstoned"][name]
            assert f"  {name}: {live} live, {'-' if dead is None else dead} tombstoned" in lines
    # a GeoPackage that is not a RoadInfra database is said so, as by the CLI
    with pytest.raises(QgsProcessingException, match="not a RoadInfra database"):
        processing.run("roadinfra:info", {"PROFILE": "thai_binh", "DATABASE": CADASTRE_GPKG})


def test_info_algorithm_names_a_missing_profile(roadinfra_provider, tmp_path):
    import processing

    missing = tmp_path / "nowhere.toml"
    with pytest.raises(QgsProcessingException, match="nowhere.toml"):
        processing.run("roadinfra:info", {"PROFILE": str(missing)})


def test_run_core_wires_feedback_and_errors(qgis_app):
    feedback = QgsProcessingFeedback()

    def work(value, progress, is_cancelled):
        progress(40.0)
        feedback.cancel()
        return value, is_cancelled()

    assert run_core(feedback, work, 7) == (7, True)
    assert feedback.progress() == pytest.approx(40.0)

    def broken(progress, is_cancelled):
        raise RoadInfraError("roads.csv, row 3, column km: not a number")

    with pytest.raises(QgsProcessingException, match="row 3, column km"):
        run_core(QgsProcessingFeedback(), broken)


def test_broken_algorithm_module_is_reported_not_skipped(qgis_app, tmp_path, monkeypatch):
    package = tmp_path / "ri_fake_algorithms"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "good.py").write_text(
        textwrap.dedent(
            """
            from roadinfra.plugin.processing.base import RoadInfraAlgorithm

            class Good(RoadInfraAlgorithm):
                NAME = "good"
                DISPLAY_NAME = "Good"
            """
        )
    )
    (package / "bad.py").write_text("import roadinfra_module_that_does_not_exist\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import ri_fake_algorithms

    logged = []

    def collect(message, tag, level):
        logged.append((tag, level, message))

    QgsApplication.messageLog().messageReceived.connect(collect)
    errors = []
    try:
        classes = algorithm_classes(ri_fake_algorithms, errors)
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(collect)
        for name in [n for n in sys.modules if n.startswith("ri_fake_algorithms")]:
            del sys.modules[name]
    assert [klass.NAME for klass in classes] == ["good"]
    assert len(errors) == 1 and "ri_fake_algorithms.bad" in errors[0]
    assert any(
        tag == "RoadInfra" and level == Qgis.Critical and "module_that_does_not_exist" in text
        for tag, level, text in logged
    )


def test_algorithm_context_is_usable(roadinfra_provider):
    alg = roadinfra_provider.algorithm("info").create()
    assert alg.checkParameterValues({"PROFILE": "thai_binh"}, QgsProcessingContext())[0]


def test_about_text_shows_the_metadata_version(qgis_app):
    from roadinfra.plugin.actions import about_text

    assert f"RoadInfra {__version__}" in about_text()


def test_datum_transformation_is_pinned_again_after_file_new(plugin):
    """File > New clears the transform context; the plugin pins EPSG:6960 again."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsProject
    from roadinfra.plugin.crs import grid_crs, grid_operation

    project = QgsProject.instance()
    wgs84, grid = QgsCoordinateReferenceSystem("EPSG:4326"), grid_crs()
    project.clear()
    pinned = project.transformContext().calculateCoordinateOperation(wgs84, grid)
    assert pinned == grid_operation().proj
