"""Editing the demo province on the real PostGIS server in QGIS, as a user edits (layers
from a pg_service.conf entry); the same scenarios as the GeoPackage QGIS tier."""

from urllib.parse import urlparse

import pytest
from qgis.core import QgsProject, QgsSettings
from qgis.PyQt.QtCore import Qt
from roadinfra.core.db import create_database, open_database
from roadinfra.core.sample_data import load_sample_data
from roadinfra.plugin.database.layers import load_database_layers
from roadinfra.plugin.editing.deleted_dialog import DeletedFeaturesDialog
from roadinfra.plugin.editing.history_panel import HistoryPanel
from roadinfra.plugin.editing.save_hooks import EditingHooks

from tests.support.editing import (
    bad_value_is_explained,
    delete_is_tombstone,
    distresses_give_pci,
    feature_where,
    new_bridge_is_derived,
)
from tests.support.pg import sql


@pytest.fixture
def session(pg_database, tmp_path, monkeypatch, qgis_app):
    with create_database(pg_database) as db:
        load_sample_data(db)
    url = urlparse(pg_database)
    conf = tmp_path / "pg_service.conf"
    conf.write_text(f"[roadinfra_edit]\nhost={url.hostname}\nport={url.port}\n"
                    f"dbname={url.path.lstrip('/')}\nuser={url.username}\n", encoding="utf-8")
    monkeypatch.setenv("PGSERVICEFILE", str(conf))
    settings = QgsSettings()
    before = settings.value("locale/userLocale", None)
    settings.setValue("locale/userLocale", "en")
    project = QgsProject.instance()
    project.clear()
    hooks = EditingHooks(None, project)
    loaded = load_database_layers("service='roadinfra_edit'", project, "en")
    db = open_database(pg_database)
    yield loaded.layers, db, hooks
    db.close()
    hooks.unload()
    project.clear()
    if before is None:
        settings.remove("locale/userLocale")
    else:
        settings.setValue("locale/userLocale", before)


def test_a_new_bridge_gets_its_derived_values_and_the_login_as_author(session, pg_database):
    layers, db, hooks = session
    saved = new_bridge_is_derived(layers, db, hooks)
    assert saved["created_by"] == sql(pg_database, "SELECT session_user")[0][0]


def test_delete_in_qgis_is_a_tombstone_and_the_dialog_restores_it(session, qtbot):
    layers, db, hooks = session
    known = delete_is_tombstone(layers, db)
    dialog = DeletedFeaturesDialog(hooks, layers["bridge"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.list.selectRow(0)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert db.fetch("bridge", where={"id": known["id"]})[0]["deleted_at"] is None
    assert db.fetch("inspection", where={"bridge_id": known["id"]})


def test_distresses_entered_in_qgis_give_the_survey_its_pci(session):
    layers, db, _hooks = session
    distresses_give_pci(layers, db)


def test_a_rejected_save_names_feature_field_and_why(session):
    layers, _db, hooks = session
    text = bad_value_is_explained(layers, hooks, "Year built")
    assert "violates check constraint" not in text


def test_history_panel_restores_a_revision_on_postgis(session, qtbot):
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
    assert panel.list.rowCount() == 2 and panel.details.item(0, 0).text() == "Spans"
    panel.list.selectRow(1)
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    row = db.fetch("bridge", where={"code": "BR-344-002"})[0]
    assert row["spans"] == spans and row["revision"] == 3


def test_db_check_derives_rows_written_by_other_tools_on_postgis(session, pg_database, capsys):
    from roadinfra.core.cli import main

    _layers, db, _hooks = session
    known = db.fetch("bridge", where={"code": "BR-344-001"})[0]
    # as GDAL/OGR or psql would write it: no district, no chainage
    sql(pg_database, "INSERT INTO culvert (code, route_id, culvert_type, geom) VALUES "
                     "('CU-OGR-1', %s, 'BOX', ST_SetSRID(ST_MakePoint(%s, %s), 9209))",
        (known["route_id"], known["geom"].x, known["geom"].y))
    assert main(["db", "check", pg_database]) == 1
    assert "culvert CU-OGR-1: field 'district_code' to fill: 344" in capsys.readouterr().out
    assert main(["db", "check", pg_database, "--fix"]) == 0
    row = db.fetch("culvert", where={"code": "CU-OGR-1"})[0]
    assert row["district_code"] == "344" and abs(row["chainage_m"] - known["chainage_m"]) < 5


def test_photos_and_km_chainage_on_postgis(session, pg_database, tmp_path):
    import hashlib
    import time

    from PIL import Image
    from qgis.gui import QgsAttributeDialog, QgsAttributeEditorContext
    from qgis.PyQt.QtWidgets import QApplication, QLineEdit
    from roadinfra.plugin.editing.photos import attach_photos

    layers, db, hooks = session
    store = tmp_path / "shared_photos"
    sql(pg_database, "INSERT INTO db_meta (key, value) VALUES ('photo_store', %s)", (str(store),))
    source = tmp_path / "IMG_2002.jpg"
    Image.new("RGB", (64, 48), (10, 200, 10)).save(source, "JPEG")
    bridges = layers["bridge"]
    [row] = attach_photos(hooks, bridges, feature_where(bridges, "code", "BR-344-001"),
                          [str(source)])
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    assert (store / row["file_path"]).read_bytes() == source.read_bytes()
    assert row["file_path"].endswith(f"{digest}.jpg") and row["district_code"] == "344"
    # the form shows and accepts Km chainage, stored in metres
    feature = feature_where(bridges, "code", "BR-344-001")
    bridges.startEditing()
    dialog = QgsAttributeDialog(bridges, feature, False, None, True, QgsAttributeEditorContext())
    dialog.show()
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        QApplication.processEvents()
    [edit] = [w for w in dialog.findChildren(QLineEdit) if w.text() == "Km109+703"]
    edit.setText("Km109+700")
    dialog.accept()
    assert bridges.commitChanges(), bridges.commitErrors()
    assert db.fetch("bridge", where={"code": "BR-344-001"})[0]["chainage_m"] == 109700
