"""Editing the demo GeoPackage in QGIS as a user does: edit sessions on the loaded layers,
the History panel and the Deleted features dialog driven with pytest-qt."""

import getpass
import shutil
from pathlib import Path

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QLabel
from roadinfra.core.db import open_database
from roadinfra.core.sample_data import build_demo_database
from roadinfra.plugin.database.layers import load_database_layers
from roadinfra.plugin.editing.deleted_dialog import DeletedFeaturesDialog
from roadinfra.plugin.editing.history_panel import HistoryPanel
from roadinfra.plugin.editing.save_hooks import EditingHooks
from roadinfra.plugin.settings import PluginSettings

from tests.support.editing import (
    bad_value_is_explained,
    delete_is_tombstone,
    distresses_give_pci,
    feature_where,
    new_bridge_is_derived,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("editing") / "demo.gpkg"
    build_demo_database(path)
    return path


@pytest.fixture
def session(demo_file, tmp_path, qgis_app, language):
    language("en")
    path = tmp_path / "demo.gpkg"
    shutil.copy(demo_file, path)
    project = QgsProject.instance()
    project.clear()
    hooks = EditingHooks(None, project)
    loaded = load_database_layers(path, project, "en")
    db = open_database(path)
    yield loaded.layers, db, hooks
    db.close()
    hooks.unload()
    project.clear()


def test_a_new_bridge_gets_its_derived_values_and_the_os_user_as_author(session):
    layers, db, hooks = session
    saved = new_bridge_is_derived(layers, db, hooks)
    expected = PluginSettings.load().editor_name or getpass.getuser()
    assert saved["created_by"] == expected != "qgis"
    assert db.revisions("bridge", saved["id"])[0].author == expected


def test_delete_in_qgis_is_a_tombstone_and_the_dialog_restores_it(session, qtbot):
    layers, db, hooks = session
    known = delete_is_tombstone(layers, db)
    dialog = DeletedFeaturesDialog(hooks, layers["bridge"])
    qtbot.addWidget(dialog)
    names = [dialog.list.item(r, 0).text() for r in range(dialog.list.rowCount())]
    assert names[0].startswith("BR-344-001")
    dialog.list.selectRow(0)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    row = db.fetch("bridge", where={"id": known["id"]})[0]
    assert row["deleted_at"] is None and dialog.list.rowCount() == len(names) - 1
    assert db.fetch("inspection", where={"bridge_id": known["id"]})  # back with it
    assert feature_where(layers["bridge"], "code", "BR-344-001") is not None


def test_distresses_entered_in_qgis_give_the_survey_its_pci(session):
    layers, db, _hooks = session
    distresses_give_pci(layers, db)


def test_a_rejected_save_names_feature_field_and_why_in_vietnamese(session, language):
    layers, _db, hooks = session
    language("vi")
    bad_value_is_explained(layers, hooks, "Năm xây dựng")


def test_history_panel_shows_revisions_and_restores_one(session, qtbot):
    layers, db, hooks = session
    bridges = layers["bridge"]
    feature = feature_where(bridges, "code", "BR-344-002")
    spans = feature["spans"]
    assert bridges.startEditing()
    bridges.changeAttributeValue(feature.id(), bridges.fields().indexFromName("spans"), spans + 2)
    assert bridges.commitChanges(), bridges.commitErrors()
    panel = HistoryPanel(hooks)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_feature(bridges, feature_where(bridges, "code", "BR-344-002"))
    assert panel.list.rowCount() == 2
    assert panel.list.item(0, 1).text() == "Changed"
    assert panel.details.item(0, 0).text() == "Spans"
    assert (panel.details.item(0, 1).text(), panel.details.item(0, 2).text()) == (
        str(spans), str(spans + 2))
    panel.list.selectRow(1)  # the first revision
    assert panel.restore_button.isEnabled()
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert "restored" in panel.status.text(), panel.status.text()
    row = db.fetch("bridge", where={"code": "BR-344-002"})[0]
    assert row["spans"] == spans and row["revision"] == 3
    assert panel.list.rowCount() == 3


def test_history_restore_refuses_a_stale_read(session, qtbot):
    layers, db, hooks = session
    bridges = layers["bridge"]
    panel = HistoryPanel(hooks)
    qtbot.addWidget(panel)
    panel.show_feature(bridges, feature_where(bridges, "code", "BR-344-002"))
    row = db.fetch("bridge", where={"code": "BR-344-002"})[0]
    db.update("bridge", row["id"], {"width_m": 9.5}, user="someone", revision=row["revision"])
    panel.list.selectRow(0)
    panel.restore_selected()  # the panel read revision 1, the row is now at 2
    assert "nothing was restored" in panel.status.text()
    assert db.fetch("bridge", where={"code": "BR-344-002"})[0]["width_m"] == 9.5


def test_forms_show_and_accept_km_chainage_stored_in_metres(session):
    import time

    from qgis.core import QgsApplication
    from qgis.gui import QgsAttributeDialog, QgsAttributeEditorContext
    from qgis.PyQt.QtWidgets import QApplication, QLineEdit
    from roadinfra.plugin.editing.chainage_widget import WIDGET_ID

    layers, db, _hooks = session
    bridges = layers["bridge"]
    feature = feature_where(bridges, "code", "BR-344-001")
    idx = bridges.fields().indexFromName("chainage_m")
    formatter = QgsApplication.fieldFormatterRegistry().fieldFormatter(WIDGET_ID)
    shown = formatter.representValue(bridges, idx, {}, None, feature["chainage_m"])
    assert shown == "Km109+703"  # attribute table, identify and represent_value() in labels
    bridges.startEditing()
    dialog = QgsAttributeDialog(bridges, feature, False, None, True, QgsAttributeEditorContext())
    dialog.resize(900, 720)
    dialog.show()
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        QApplication.processEvents()
    [edit] = [w for w in dialog.findChildren(QLineEdit) if w.text() == "Km109+703"]
    ARTIFACTS.mkdir(exist_ok=True)
    assert dialog.grab().save(str(ARTIFACTS / "bridge_form_km.png"), "PNG")
    edit.setText("km 109+650.5")
    dialog.accept()
    assert bridges.commitChanges(), bridges.commitErrors()
    assert db.fetch("bridge", where={"code": "BR-344-001"})[0]["chainage_m"] == 109650.5


def test_history_panel_screenshot(session, qtbot):
    layers, _db, hooks = session
    bridges = layers["bridge"]
    feature = feature_where(bridges, "code", "BR-344-002")
    assert bridges.startEditing()
    for name, value in (("spans", feature["spans"] + 1), ("width_m", 9.0)):
        bridges.changeAttributeValue(feature.id(), bridges.fields().indexFromName(name), value)
    assert bridges.commitChanges(), bridges.commitErrors()
    panel = HistoryPanel(hooks)
    qtbot.addWidget(panel)
    panel.resize(560, 520)
    panel.show()
    panel.show_feature(bridges, feature_where(bridges, "code", "BR-344-002"))
    ARTIFACTS.mkdir(exist_ok=True)
    assert panel.grab().save(str(ARTIFACTS / "history_panel.png"), "PNG")


def test_attached_photo_is_stored_by_sha256_and_shown_in_the_form(session, tmp_path):
    import hashlib
    import time

    from PIL import Image
    from qgis.gui import QgsAttributeDialog, QgsAttributeEditorContext, QgsExternalResourceWidget
    from qgis.PyQt.QtWidgets import QApplication
    from roadinfra.plugin.editing.photos import attach_photos

    layers, db, hooks = session
    source = tmp_path / "IMG_1001.jpg"
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (20.0, 26.0, 30.0), 3: "E", 4: (106.0, 18.0, 36.0)}
    exif[0x8769] = {0x9003: "2025:05:27 09:30:00"}
    Image.new("RGB", (320, 240), (30, 120, 200)).save(source, "JPEG", exif=exif.tobytes())
    bridge = feature_where(layers["bridge"], "code", "BR-344-001")
    [row] = attach_photos(hooks, layers["bridge"], bridge, [str(source)])
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    assert row["file_path"] == f"demo.gpkg.photos/{digest[:2]}/{digest}.jpg"
    assert row["geom"] is not None
    attachments = layers["attachment"]
    photo = feature_where(attachments, "id", row["id"])
    assert attachments.editorWidgetSetup(
        attachments.fields().indexFromName("file_path")).type() == "ExternalResource"
    dialog = QgsAttributeDialog(attachments, photo, False, None, True,
                                QgsAttributeEditorContext())
    dialog.show()
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        QApplication.processEvents()
    [widget] = dialog.findChildren(QgsExternalResourceWidget)
    assert widget.documentPath() == row["file_path"]
    viewer = widget.findChild(QLabel)
    assert viewer is not None and viewer.pixmap() is not None and not viewer.pixmap().isNull()
    assert dialog.grab().save(str(ARTIFACTS / "photo_form.png"), "PNG")
    dialog.close()
