"""The condition summary dock on the small Thai Binh network (numbers from the core function)."""

import sys
from pathlib import Path

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import QEvent
from qgis.PyQt.QtWidgets import QApplication
from roadinfra.plugin.condition.summary_panel import ConditionSummaryPanel
from roadinfra.plugin.database.layers import load_database_layers, project_database
from roadinfra.plugin.i18n import install_translator, remove_translator

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data" / "qgisui"))
from small_network import build_small_network  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def panel(qgis_app, tmp_path):
    path = tmp_path / "thai_binh.gpkg"
    build_small_network(path).close()
    project = QgsProject.instance()
    project.clear()
    load_database_layers(path, project, "vi")
    translator = install_translator("vi")  # None when the .qm is not compiled yet
    dock = ConditionSummaryPanel(None, project, "vi")
    dock.resize(420, 820)
    dock.show()
    yield dock
    dock.close()
    dock.deleteLater()
    QApplication.processEvents()
    remove_translator(translator)
    project.clear()


def test_panel_opens_the_project_database(panel, tmp_path):
    assert project_database(panel.project) == str(tmp_path / "thai_binh.gpkg")
    panel.set_database()
    summary = panel.last_summary
    assert summary["pavement"]["sections"] == 6
    assert summary["bridges"]["by_condition"] == {"good": 1, "fair": 1, "poor": 1, "none": 1}
    text = panel.ui.resultBrowser.toPlainText()
    assert "Toàn mạng lưới" in text or "Whole network" in text
    assert "Cầu Nguyễn" in text and "Rất kém" in text and "25.0 %" in text


def test_panel_district_and_route(panel):
    panel.set_database()
    panel.select("district", "340")
    district = panel.last_summary
    assert district["scope"]["district_code"] == "340"
    assert district["pavement"]["length_m"] == 6600.0
    assert "Huyện Đông Hưng" in panel.ui.resultBrowser.toPlainText()
    route_ids = [panel.ui.targetCombo.itemData(i) for i in range(panel.ui.targetCombo.count())]
    assert len(route_ids) == 8  # the profile's districts
    panel.select("route")
    texts = [panel.ui.targetCombo.itemText(i) for i in range(panel.ui.targetCombo.count())]
    assert texts == ["DT454 – Đường tỉnh 454", "QL10 – Quốc lộ 10"]
    panel.select("route", panel.ui.targetCombo.itemData(1))
    route = panel.last_summary
    assert route["scope"]["route_code"] == "QL10"
    assert route["pavement"]["sections"] == 4 and route["bridges"]["count"] == 3
    ARTIFACTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    assert panel.grab().save(str(ARTIFACTS / "condition_panel.png"))


def test_panel_follows_the_selected_route(panel):
    panel.set_database()
    routes = [layer for layer in panel.project.mapLayers().values()
              if layer.customProperty("roadinfra/table") == "route"]
    layer = routes[0]
    dt454 = next(f for f in layer.getFeatures() if f["code"] == "DT454")
    layer.selectByIds([dt454.id()])
    assert panel.ui.scopeCombo.currentData() == "route"
    assert panel.last_summary["scope"]["route_code"] == "DT454"
    assert panel.last_summary["pavement"]["sections"] == 2


def test_panel_without_database(qgis_app):
    project = QgsProject.instance()
    project.clear()
    dock = ConditionSummaryPanel(None, project, "en")
    dock.set_database()
    assert dock.db is None and dock.refresh() is None
    assert dock.ui.sourceLabel.text()
    dock.deleteLater()


def test_show_and_remove_panel_in_the_main_window(qgis_iface, tmp_path):
    from roadinfra.plugin.condition.summary_panel import (
        DOCK_OBJECT_NAME,
        remove_condition_panel,
        show_condition_panel,
    )

    path = tmp_path / "thai_binh.gpkg"
    build_small_network(path).close()
    project = QgsProject.instance()
    project.clear()
    load_database_layers(path, project, "en")
    panel = show_condition_panel(qgis_iface)
    assert show_condition_panel(qgis_iface) is panel  # one dock per window
    assert panel.last_summary["bridges"]["count"] == 4
    remove_condition_panel(qgis_iface)
    QApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    assert qgis_iface.mainWindow().findChild(ConditionSummaryPanel, DOCK_OBJECT_NAME) is None
    project.clear()
