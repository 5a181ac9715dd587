"""The condition summary dock on the small Thai Binh network (numbers from the core function).

The summary runs as a background QgsTask: each step waits for ``summary_shown`` (pytest-qt).
"""

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


def shown(qtbot, panel, action, *args):
    """Run ``action(*args)`` and wait until the panel shows the summary it started."""
    with qtbot.waitSignal(panel.summary_shown, timeout=20000) as blocker:
        action(*args)
    return blocker.args[0]


@pytest.fixture
def panel(qgis_app, qtbot, tmp_path):
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


def test_panel_opens_the_project_database(panel, qtbot, tmp_path):
    assert project_database(panel.project) == str(tmp_path / "thai_binh.gpkg")
    summary = shown(qtbot, panel, panel.set_database)
    assert summary is panel.last_summary
    assert summary.pavement.sections == 6
    assert summary.bridges.by_condition == {"good": 1, "fair": 1, "poor": 1, "none": 1}
    text = panel.ui.resultBrowser.toPlainText()
    assert "Toàn mạng lưới" in text or "Whole network" in text
    assert "Cầu Nguyễn" in text and "Rất kém" in text and "25.0 %" in text


def test_panel_district_and_route(panel, qtbot):
    shown(qtbot, panel, panel.set_database)
    district = shown(qtbot, panel, panel.select, "district", "340")
    assert district.scope.district_code == "340"
    assert district.pavement.length_m == 6600.0
    assert "Huyện Đông Hưng" in panel.ui.resultBrowser.toPlainText()
    route_ids = [panel.ui.targetCombo.itemData(i) for i in range(panel.ui.targetCombo.count())]
    assert len(route_ids) == 8  # the profile's districts
    shown(qtbot, panel, panel.select, "route")
    texts = [panel.ui.targetCombo.itemText(i) for i in range(panel.ui.targetCombo.count())]
    assert texts == ["DT454 – Đường tỉnh 454", "QL10 – Quốc lộ 10"]
    route = shown(qtbot, panel, panel.select, "route", panel.ui.targetCombo.itemData(1))
    assert route.scope.route_code == "QL10"
    assert route.pavement.sections == 4 and route.bridges.count == 3
    ARTIFACTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    assert panel.grab().save(str(ARTIFACTS / "condition_panel.png"))


def test_panel_follows_the_selected_route(panel, qtbot):
    shown(qtbot, panel, panel.set_database)
    routes = [layer for layer in panel.project.mapLayers().values()
              if layer.customProperty("roadinfra/table") == "route"]
    layer = routes[0]
    dt454 = next(f for f in layer.getFeatures() if f["code"] == "DT454")
    summary = shown(qtbot, panel, layer.selectByIds, [dt454.id()])
    assert panel.ui.scopeCombo.currentData() == "route"
    assert summary.scope.route_code == "DT454"
    assert summary.pavement.sections == 2


def test_panel_without_database(qgis_app):
    project = QgsProject.instance()
    project.clear()
    dock = ConditionSummaryPanel(None, project, "en")
    dock.set_database()
    assert dock.db is None and dock.refresh() is None
    assert dock.ui.sourceLabel.text()
    dock.deleteLater()


def test_show_and_remove_panel_in_the_main_window(qgis_iface, qtbot, tmp_path):
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
    qtbot.waitUntil(lambda: panel.last_summary is not None, timeout=20000)
    assert show_condition_panel(qgis_iface) is panel  # one dock per window
    assert panel.last_summary.bridges.count == 4
    remove_condition_panel(qgis_iface)
    QApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    assert qgis_iface.mainWindow().findChild(ConditionSummaryPanel, DOCK_OBJECT_NAME) is None
    project.clear()


def test_changing_scope_or_target_refreshes_without_the_button(panel, qtbot):
    """Issue 15: the panel kept showing "Whole network" after the scope changed, until
    Refresh was pressed. The user's own clicks on the combo boxes now refresh it."""
    shown(qtbot, panel, panel.set_database)
    scope, target = panel.ui.scopeCombo, panel.ui.targetCombo
    district = shown(qtbot, panel, scope.setCurrentIndex, scope.findData("district"))
    heading = panel.ui.resultBrowser.toPlainText().splitlines()[0]
    assert district.scope.district_code == target.currentData() and target.isEnabled()
    assert heading == district.scope.heading("vi") != "Toàn mạng lưới"
    other = shown(qtbot, panel, target.setCurrentIndex, target.findData("340"))
    assert other.scope.district_code == "340"
    assert panel.ui.resultBrowser.toPlainText().startswith("Huyện Đông Hưng")
    route = shown(qtbot, panel, scope.setCurrentIndex, scope.findData("route"))
    assert route.scope.route_code == "DT454"
    whole = shown(qtbot, panel, scope.setCurrentIndex, scope.findData("province"))
    assert whole.scope.route_id is None and not target.isEnabled()


def test_combo_boxes_show_whole_labels(panel, qtbot):
    """Issue 15: "Whole networ", "338 Quyn": each box is as wide as its longest label."""
    shown(qtbot, panel, panel.set_database)
    panel.resize(300, 600)  # a narrow dock, as docked beside the map
    shown(qtbot, panel, panel.select, "district", "338")
    QApplication.processEvents()
    for combo in (panel.ui.scopeCombo, panel.ui.targetCombo):
        metrics = combo.fontMetrics()
        longest = max(metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
        # the size hint (text of the longest item, arrow and frame) is given in full
        assert combo.sizeHint().width() > longest
        assert combo.width() >= combo.sizeHint().width(), (combo.objectName(), combo.width())


def test_a_newer_refresh_replaces_a_running_one(panel, qtbot):
    shown(qtbot, panel, panel.set_database)
    seen = []
    panel.summary_shown.connect(seen.append)
    panel.refresh()  # the whole network, replaced before it is shown
    summary = shown(qtbot, panel, panel.select, "district", "340")
    qtbot.wait(200)
    assert summary.scope.district_code == "340" and panel.task is None
    assert seen == [summary] and panel.last_summary is summary
