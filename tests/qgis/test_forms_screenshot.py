"""The bridge attribute form, opened offscreen and saved to test-artifacts/bridge_form.png."""

import sys
import time
from pathlib import Path

import pytest
from qgis.core import QgsExpression, QgsFeatureRequest, QgsProject
from qgis.gui import (
    QgsAttributeDialog,
    QgsAttributeEditorContext,
    QgsDualView,
    QgsRelationEditorWidget,
    QgsRelationReferenceWidget,
)
from qgis.PyQt.QtWidgets import QApplication, QLabel, QLineEdit, QTabWidget
from roadinfra.plugin.database.layers import load_database_layers

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data" / "qgisui"))
from small_network import build_small_network  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def bridge_dialog(qgis_app, tmp_path):
    path = tmp_path / "thai_binh.gpkg"
    build_small_network(path).close()
    project = QgsProject.instance()
    project.clear()
    loaded = load_database_layers(path, project, "vi")
    layer = loaded.layers["bridge"]
    feature = next(layer.getFeatures(QgsFeatureRequest(QgsExpression("\"code\" = 'BR-344-001'"))))
    layer.startEditing()  # as a user editing the bridge sees it
    dialog = QgsAttributeDialog(layer, feature, False, None, True, QgsAttributeEditorContext())
    dialog.resize(900, 720)
    dialog.show()
    _settle()
    yield dialog
    dialog.close()
    dialog.deleteLater()
    layer.rollBack()
    QApplication.processEvents()
    project.clear()


def _settle(seconds=1.0):
    """Let the form's background feature loaders (relation widgets) finish."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def _show_tab(dialog, title):
    tabs = dialog.findChild(QTabWidget)
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
    tabs.setCurrentIndex(index)
    _settle(0.5)
    return tabs


def test_bridge_form_in_vietnamese_with_inspections(bridge_dialog):
    tabs = _show_tab(bridge_dialog, "Chung")
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Chung", "Kiểm tra công trình", "Cấu kiện cầu", "Ảnh, tài liệu", "Hệ thống"]
    labels = {label.text() for label in bridge_dialog.findChildren(QLabel)}
    assert {"Tên cầu", "Kết cấu nhịp", "Năm xây dựng", "Vượt qua"} <= labels
    routes = [w for w in bridge_dialog.findChildren(QgsRelationReferenceWidget)
              if w.isVisible()]
    assert [w.findChild(QLineEdit).text() for w in routes] == ["QL10 – Quốc lộ 10"]
    ARTIFACTS.mkdir(exist_ok=True)
    general = ARTIFACTS / "bridge_form.png"
    assert bridge_dialog.grab().save(str(general))
    assert general.stat().st_size > 10_000

    _show_tab(bridge_dialog, "Kiểm tra công trình")
    editors = bridge_dialog.findChildren(QgsRelationEditorWidget)
    inspections = [e for e in editors if e.relation().id() == "inspection__bridge_id"]
    assert inspections and inspections[0].feature()["code"] == "BR-344-001"
    inspections[0].setViewMode(QgsDualView.AttributeTable)  # the editor's table button
    _settle(0.5)
    assert bridge_dialog.grab().save(str(ARTIFACTS / "bridge_form_inspections.png"))

    _show_tab(bridge_dialog, "Ảnh, tài liệu")
    assert bridge_dialog.grab().save(str(ARTIFACTS / "bridge_form_photos.png"))
