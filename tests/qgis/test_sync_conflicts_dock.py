"""The Conflicts dock driven as a user clicks (pytest-qt): the open conflicts of a real
sync, field by field, both geometries on the map, a per-field choice applied as a logged
change, the rest resolved in bulk; screenshot in test-artifacts/conflicts_dock.png (looked
at). Also the two sync algorithms through Processing."""

import os
import sqlite3
from pathlib import Path

import pytest
from qgis.PyQt.QtCore import Qt
from roadinfra.core.db import create_database, open_database
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.sync import Scope, create_package, sync_package
from roadinfra.plugin.sync.conflicts_dock import LAYER_NAME, ConflictsDock
from shapely.affinity import translate

from tests.support.sync import live_ids, ogr_update, orthophoto, row

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("RI_ARTIFACTS", ROOT / "test-artifacts"))


@pytest.fixture
def conflicted(tmp_path):
    """A province whose last sync left a name conflict and a geometry conflict."""
    province = str(tmp_path / "province.gpkg")
    with create_database(province) as db:
        load_sample_data(db)
    pkg = tmp_path / "crew.gpkg"
    create_package(province, Scope("area", "340"), str(pkg), name="Tổ khảo sát 340")
    bridge = live_ids(pkg, "bridge")[0]
    culvert = live_ids(pkg, "culvert")[0]
    where = row(province, "culvert", culvert)["geom"]
    ogr_update(pkg, "bridge", bridge, name="Cầu Thụy Hải (đo lại)", spans=3)
    ogr_update(pkg, "culvert", culvert, geom=translate(where, 15, 5))
    with open_database(province) as db:
        db.update("bridge", bridge, {"name": "Cầu Thụy Hải mới", "spans": 4}, user="office")
        db.update("culvert", culvert, {"geom": translate(where, -10, 8)}, user="office")
    report = sync_package(str(pkg), province)
    assert len(report["conflicts"]) == 2
    return province, bridge, culvert, translate(where, -10, 8)


def test_a_user_resolves_conflicts_in_the_dock(qtbot, conflicted, empty_project):
    province, bridge, culvert, office_geom = conflicted
    dock = ConflictsDock(project=empty_project)
    qtbot.addWidget(dock)
    dock.resize(760, 560)
    dock.show()
    dock.set_database(province)
    table = dock.conflictTable
    assert table.rowCount() == 2
    rows = {table.item(i, 0).data(Qt.ItemDataRole.UserRole): i for i in range(2)}
    ids = {r["row_id"]: r["id"] for r in dock.rows}

    # the geometry conflict: both geometries drawn on the map
    table.selectRow(rows[ids[culvert]])
    [layer] = empty_project.mapLayersByName(LAYER_NAME)
    sides = sorted(f["side"] for f in layer.getFeatures())
    assert sides == ["mine", "theirs"]

    # the bridge: field by field, choose the package's name and keep the server's spans
    table.selectRow(rows[ids[bridge]])
    fields = dock.fieldTable
    assert fields.rowCount() == 2
    shown = {fields.item(i, 0).text(): (fields.item(i, 2).text(), fields.item(i, 3).text())
             for i in range(2)}
    assert shown["Bridge name"] == ("Cầu Thụy Hải (đo lại)", "Cầu Thụy Hải mới")
    assert shown["Spans"] == ("3", "4")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name_row = [i for i in range(2) if fields.item(i, 0).text() == "Bridge name"][0]
    combo = fields.cellWidget(name_row, 4)
    combo.setCurrentIndex(combo.findData("mine"))
    assert dock.grab().save(str(ARTIFACTS / "conflicts_dock.png"))
    qtbot.mouseClick(dock.applyButton, Qt.MouseButton.LeftButton)
    # resolved in a background task: the dock is not blocked meanwhile, its buttons wait
    assert not dock.mineButton.isEnabled() and "Resolving 1" in dock.statusLabel.text()
    qtbot.waitUntil(lambda: dock.task is None, timeout=60000)
    assert dock.mineButton.isEnabled()

    got = row(province, "bridge", bridge)
    assert (got["name"], got["spans"]) == ("Cầu Thụy Hải (đo lại)", 4)
    with open_database(province) as db:
        assert db.history("bridge", bridge)[-1]["operation"] == "UPDATE"
    assert table.rowCount() == 1 and "1 still open" in dock.statusLabel.text()

    # the rest in bulk: keep the server's
    table.selectAll()
    qtbot.mouseClick(dock.theirsButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.task is None, timeout=60000)
    assert table.rowCount() == 0
    assert row(province, "culvert", culvert)["geom"].distance(office_geom) < 1e-6
    dock.close()
    assert not empty_project.mapLayersByName(LAYER_NAME)


def test_a_click_when_the_database_is_gone_says_so_in_the_dock(qtbot, conflicted,
                                                              empty_project):
    """The provincial GeoPackage becomes unreachable (a share drops) after the list was
    read; clicking a conflict puts the error on the status label (no exception out of the
    slot: pytest-qt fails the test on one), clears the message and the field table."""
    import shutil

    province = conflicted[0]
    dock = ConflictsDock(project=empty_project)
    qtbot.addWidget(dock)
    dock.show()
    dock.set_database(province)
    dock.conflictTable.selectRow(0)
    assert dock.fieldTable.rowCount() > 0 and dock.messageLabel.text()
    shutil.move(province, province + ".away")
    dock.conflictTable.selectRow(1)
    status = dock.statusLabel.text()
    assert "province.gpkg" in status and "\n" not in status
    assert dock.messageLabel.text() == "" and dock.fieldTable.rowCount() == 0
    assert dock.current is None and not empty_project.mapLayersByName(LAYER_NAME)


def test_package_and_sync_algorithms(roadinfra_provider, tmp_path):
    import processing

    province = str(tmp_path / "province.gpkg")
    with create_database(province) as db:
        load_sample_data(db)
    pkg = str(tmp_path / "p.gpkg")
    made = processing.run("roadinfra:package", {"DATABASE": province, "KIND": 2,
                                                "VALUE": "QL10", "OUTPUT": pkg})
    assert made["PACKAGE"] == pkg and Path(pkg).is_file()
    ogr_update(pkg, "bridge", live_ids(pkg, "bridge")[0], spans=6)
    done = processing.run("roadinfra:sync", {"PACKAGE": pkg, "DATABASE": province})
    assert done["CONFLICTS"] == 0 and '"update": 1' in done["REPORT"]


@pytest.mark.skipif(
    __import__("qgis.core", fromlist=["Qgis"]).Qgis.versionInt() >= 33400,
    reason="the package project is compared with styles generated on QGIS 3.22; this is 3.40")
def test_the_package_carries_its_project_for_qgis_and_qfield(roadinfra_provider, tmp_path):
    """Structural check of the embedded project: stored in the package, layers read from
    the package itself with relative paths, the provincial styles, forms and relations,
    no Python in the forms (QField cannot run it)."""
    import sqlite3

    import processing
    from qgis.core import QgsMapLayerType, QgsProject
    from roadinfra.plugin.sync.project import project_uri

    province = str(tmp_path / "province.gpkg")
    with create_database(province) as db:
        load_sample_data(db)
    pkg = str(tmp_path / "field" / "p.gpkg")
    Path(pkg).parent.mkdir()
    raster = orthophoto(tmp_path / "ortho.tif", 106.25, 20.65, size=1500, step=0.0002)
    processing.run("roadinfra:package", {"DATABASE": province, "KIND": 0, "VALUE": "340",
                                         "OUTPUT": pkg, "BASEMAP": str(raster)})
    conn = sqlite3.connect(pkg)
    [(name, content)] = conn.execute("SELECT name, content FROM qgis_projects").fetchall()
    conn.close()
    assert name == "roadinfra"
    project = QgsProject()
    assert project.read(project_uri(pkg))
    bottom = project.layerTreeRoot().children()[-1]
    assert bottom.layer().type() == QgsMapLayerType.RasterLayer
    assert Path(bottom.layer().source()).name == "p_basemap.tif"
    layers = {layer.name(): layer for layer in project.mapLayers().values()
              if layer.type() == QgsMapLayerType.VectorLayer}
    assert layers and all(Path(layer.source().split("|")[0]).resolve() == Path(pkg).resolve()
                          for layer in layers.values())
    assert not project.readBoolEntry("Paths", "/Absolute", False)[0]
    assert len(project.relationManager().relations()) > 0
    for layer in layers.values():
        form = layer.editFormConfig()
        assert not (form.initFunction() or form.initCode().strip() or form.initFilePath())
    bridges = next(layer for layer in layers.values()
                   if layer.source().split("layername=")[-1].split("|")[0] == "bridge")
    assert bridges.featureCount() == len(live_ids(pkg, "bridge"))
    assert bridges.renderer() is not None
    attachments = next(layer for layer in layers.values()
                       if layer.source().split("layername=")[-1].split("|")[0] == "attachment")
    photo = attachments.editorWidgetSetup(attachments.fields().indexFromName("file_path"))
    # relative to the package's folder on any tablet (a data-defined root), no absolute root
    # (tests/qgis/test_package_project.py resolves it in a moved package)
    assert photo.type() == "ExternalResource"
    assert (photo.config()["RelativeStorage"], photo.config()["DefaultRoot"]) == (2, "")
    root = photo.config()["PropertyCollection"]["properties"]["propertyRootPath"]
    assert "@project_folder" in root["expression"]
    project.clear()


def test_the_sync_button_syncs_in_the_background(qtbot, qgis_iface, empty_project, tmp_path):
    """The Sync button (plugin/sync/actions.sync_dialog) on the project's database: the
    crew's edit arrives through a background task; the message bar says what happened."""
    from qgis.core import Qgis
    from roadinfra.plugin.database.layers import load_database_layers
    from roadinfra.plugin.sync.actions import sync_dialog

    province = str(tmp_path / "province.gpkg")
    with create_database(province) as db:
        load_sample_data(db)
    pkg = tmp_path / "crew.gpkg"
    create_package(province, Scope("area", "340"), str(pkg), name="Tổ khảo sát 340")
    bridge = live_ids(pkg, "bridge")[0]
    ogr_update(pkg, "bridge", bridge, name="Cầu Thụy Hải (đo lại)")
    load_database_layers(province, empty_project, "en")
    bar = qgis_iface.messageBar()
    bar.clear_messages()
    task = sync_dialog(qgis_iface, str(pkg))
    qtbot.waitUntil(lambda: bool(bar.get_messages(Qgis.MessageLevel.Success)
                                 or bar.get_messages(Qgis.MessageLevel.Critical)),
                    timeout=60000)
    assert task.error is None and task.result["open_conflicts"] == 0
    assert bar.get_messages(Qgis.MessageLevel.Success) == [
        "RoadInfra:Sent 1, received 0; 0 conflict(s) open"]
    assert row(province, "bridge", bridge)["name"] == "Cầu Thụy Hải (đo lại)"

    bar.clear_messages()
    task = sync_dialog(qgis_iface, str(tmp_path / "missing.gpkg"))  # an error, said
    qtbot.waitUntil(lambda: bool(bar.get_messages(Qgis.MessageLevel.Critical)), timeout=60000)
    assert "missing.gpkg" in bar.get_messages(Qgis.MessageLevel.Critical)[0]


def test_the_sync_button_warns_of_rows_removed_from_the_package(
        qtbot, qgis_iface, empty_project, tmp_path):
    """The crew's inspection and photo under a culvert the office deleted, kept off, then
    taken "theirs" by the office: the next sync through the Sync button removes both from
    the package, said as a warning that counts them, each named in the RoadInfra log."""
    from qgis.core import Qgis, QgsApplication
    from roadinfra.core.photos import attach_photo
    from roadinfra.core.sync.conflicts import resolve_conflicts
    from roadinfra.plugin.database.layers import load_database_layers
    from roadinfra.plugin.sync.actions import sync_dialog

    from tests.support.photos import jpeg
    from tests.support.sync import ogr_insert, rows

    province = str(tmp_path / "province.gpkg")
    with create_database(province) as db:
        load_sample_data(db)
    pkg = tmp_path / "crew.gpkg"
    create_package(province, Scope("area", "340"), str(pkg), name="Tổ khảo sát 340")
    culvert = live_ids(pkg, "culvert")[0]
    scheme = next(r["scheme"] for r in rows(pkg, "inspection") if r.get("scheme"))
    inspection = ogr_insert(pkg, "inspection", culvert_id=culvert, scheme=scheme,
                            inspection_date="2026-11-25", overall_rating=3,
                            district_code="340")
    with open_database(str(pkg)) as db:
        attach_photo(db, "culvert", culvert, jpeg(tmp_path / "cong.jpg"))
    with open_database(province) as db:
        db.tombstone("culvert", culvert, user="office")
    first = sync_package(str(pkg), province)
    assert {c["kind"] for c in first["conflicts"]} == {"edit_delete"}
    resolve_conflicts(province, [c["id"] for c in first["conflicts"]], "theirs")
    load_database_layers(province, empty_project, "en")

    logged = []

    def keep(message, tag, _level):
        if tag == "RoadInfra":
            logged.append(message)

    QgsApplication.messageLog().messageReceived.connect(keep)
    bar = qgis_iface.messageBar()
    bar.clear_messages()
    try:
        task = sync_dialog(qgis_iface, str(pkg))
        qtbot.waitUntil(lambda: bool(bar.get_messages(Qgis.MessageLevel.Warning)
                                     or bar.get_messages(Qgis.MessageLevel.Success)
                                     or bar.get_messages(Qgis.MessageLevel.Critical)),
                        timeout=60000)
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(keep)
    assert task.error is None
    assert bar.get_messages(Qgis.MessageLevel.Success) == []
    assert bar.get_messages(Qgis.MessageLevel.Warning) == [
        "RoadInfra:Sent 0, received 0; 0 conflict(s) open; 1 row(s) removed from the "
        "package (see the RoadInfra log); 1 photo(s) discarded (see the RoadInfra log)"]
    [removed] = [m for m in logged if m.startswith("Sync: removed from the package: ")]
    assert f"inspection {inspection}: made in the package under a row deleted" in removed
    [photo] = [m for m in logged if m.startswith("Sync: photo discarded: attachment ")]
    assert task.result["photos"]["discarded"][0]["row_id"] in photo


@pytest.fixture
def vietnamese(language):
    from roadinfra.plugin.i18n import install_translator, remove_translator

    language("vi")
    translator = install_translator("vi")
    yield
    if translator is not None:
        remove_translator(translator)


def test_the_dock_in_vietnamese_explains_each_conflict_and_names_photos_by_target(
        qtbot, vietnamese, empty_project, tmp_path):
    """Edit against delete and a missing photo: the explanation in Vietnamese, the deleted
    side "(đã xóa)" (not NULL per field), the photo named by its bridge's code."""
    from tests.support.sync import ogr_insert

    province = str(tmp_path / "province.gpkg")
    with create_database(province) as db:
        load_sample_data(db)
    pkg = tmp_path / "crew.gpkg"
    create_package(province, Scope("area", "340"), str(pkg), name="Tổ khảo sát 340")
    bridges = live_ids(pkg, "bridge")
    ogr_update(pkg, "bridge", bridges[1], name="Cầu sửa ngoài hiện trường")
    ogr_insert(pkg, "attachment", target_table="bridge", target_id=bridges[2], kind="photo",
               district_code="340", file_path="DCIM/IMG_0009.jpg",
               geom=row(pkg, "bridge", bridges[2])["geom"])
    with open_database(province) as db:
        db.tombstone("bridge", bridges[1], user="office")
    sync_package(str(pkg), province)
    dock = ConflictsDock(project=empty_project)
    qtbot.addWidget(dock)
    dock.set_database(province)
    table = dock.conflictTable
    kinds = {dock.rows[i]["kind"]: i for i in range(table.rowCount())}
    assert set(kinds) == {"edit_delete", "photo"}

    table.selectRow(kinds["edit_delete"])
    assert dock.messageLabel.text().startswith("Đã sửa trong gói, đã xóa trên máy chủ")
    assert dock.fieldTable.item(0, 3).text() == "(đã xóa)"
    assert dock.fieldTable.item(0, 2).text() == "Cầu sửa ngoài hiện trường"

    code = row(province, "bridge", bridges[2])["code"]
    assert table.item(kinds["photo"], 0).text() == f"Ảnh của Cầu {code}"
    table.selectRow(kinds["photo"])
    assert dock.messageLabel.text().startswith("Ảnh DCIM/IMG_0009.jpg trong gói: thiếu tệp; "
                                               "tệp đính kèm chưa được gửi")
    dock.grab().save(str(ARTIFACTS / "conflicts_dock_vi_photo.png"))


def test_from_a_packages_own_project_the_button_and_dock_say_it_is_a_package(
        qtbot, qgis_iface, empty_project, tmp_path):
    """The crew opens the package's project and presses Sync: the button says the project
    is a package and offers its provincial database (yes: synced with it; no: asked to
    open the provincial database); the dock says it shows a package, not conflicts."""
    from qgis.core import Qgis
    from roadinfra.plugin.database.layers import load_database_layers
    from roadinfra.plugin.sync.actions import sync_dialog

    province = str(tmp_path / "province.gpkg")
    with create_database(province) as db:
        load_sample_data(db)
    pkg = tmp_path / "crew.gpkg"
    create_package(province, Scope("area", "340"), str(pkg), name="Tổ khảo sát 340")
    bridge = live_ids(pkg, "bridge")[0]
    ogr_update(pkg, "bridge", bridge, name="Cầu Thụy Hải (đo lại)")
    load_database_layers(str(pkg), empty_project, "en")
    bar = qgis_iface.messageBar()
    bar.clear_messages()
    asked = []
    assert sync_dialog(qgis_iface, confirm=lambda text: asked.append(text) and False) is None
    assert "offline package 'Tổ khảo sát 340', not the provincial database" in asked[0]
    assert str(Path(province).resolve()) in asked[0]
    [said] = bar.get_messages(Qgis.MessageLevel.Warning)
    assert "open the provincial database (Open provincial database...)" in said

    bar.clear_messages()
    task = sync_dialog(qgis_iface, confirm=lambda text: True)
    qtbot.waitUntil(lambda: bool(bar.get_messages(Qgis.MessageLevel.Success)
                                 or bar.get_messages(Qgis.MessageLevel.Critical)),
                    timeout=60000)
    assert task.error is None, task.error
    assert row(province, "bridge", bridge)["name"] == "Cầu Thụy Hải (đo lại)"

    dock = ConflictsDock(project=empty_project)
    qtbot.addWidget(dock)
    dock.set_database()
    assert dock.sourceLabel.text() == "crew.gpkg: an offline package, not the provincial database"
    assert "open that database to see them" in dock.statusLabel.text()
    assert dock.conflictTable.rowCount() == 0 and dock.target == ""


def _province_with_conflicts(tmp_path, name, n):
    """Province ``name`` whose crew's sync left ``n`` length conflicts."""
    province = str(tmp_path / f"{name}.gpkg")
    with create_database(province) as db:
        load_sample_data(db)
    pkg = tmp_path / f"{name}_crew.gpkg"
    create_package(province, Scope("area", "340"), str(pkg), name=name)
    ids = live_ids(pkg, "culvert")[:n]
    for i in ids:
        ogr_update(pkg, "culvert", i, length_m=11.0)
    with open_database(province) as db:
        for i in ids:
            db.update("culvert", i, {"length_m": 99.0}, user="office")
    assert len(sync_package(str(pkg), province)["conflicts"]) == n
    return province


def _open_count(province):
    with open_database(province) as db:
        return len([c for c in db.fetch("sync_conflict") if c["status"] == "open"])


def test_a_resolve_ending_after_another_database_is_opened_says_which(
        qtbot, empty_project, tmp_path):
    """A's resolve waits on A's write lock; the user opens B meanwhile: B's buttons work
    (B's own resolve runs), and A's resolve ending names A, leaving B's list as it is."""
    a = _province_with_conflicts(tmp_path, "A", 1)
    b = _province_with_conflicts(tmp_path, "B", 3)
    dock = ConflictsDock(project=empty_project)
    qtbot.addWidget(dock)
    dock.show()
    dock.set_database(a)
    hold = sqlite3.connect(a, isolation_level=None)
    hold.execute("BEGIN IMMEDIATE")  # another writer: A's resolve waits for it
    try:
        dock.conflictTable.selectRow(0)
        dock.resolve_selected("theirs")
        assert dock.task is not None and not dock.mineButton.isEnabled()
        dock.set_database(b)
        assert len(dock.rows) == 3 and dock.mineButton.isEnabled()
        dock.conflictTable.selectRow(0)
        dock.resolve_selected("theirs")  # B's resolve: not blocked by A's
        qtbot.waitUntil(lambda: b not in dock.tasks, timeout=60000)
        assert "Resolved 1 conflict(s); 2 still open" in dock.statusLabel.text()
        assert a in dock.tasks and _open_count(a) == 1
    finally:
        hold.execute("ROLLBACK")
        hold.close()
    qtbot.waitUntil(lambda: dock.task is None, timeout=60000)
    assert dock.statusLabel.text() == "A.gpkg: resolved 1 conflict(s)"
    assert (_open_count(a), _open_count(b)) == (0, 2)
    assert len(dock.rows) == 2 and dock.target == b and dock.mineButton.isEnabled()


def test_the_dock_and_processing_say_the_posting_deriving_kept(
        qtbot, roadinfra_provider, empty_project, tmp_path):
    """Review 11t #1: the office lowered a bridge's posting to 5 t; the crew's note synced
    through Processing and a rating conflict taken "mine" in the dock keep it (the rule
    ``min``: a merge never raises it), each said: Processing as a warning, the dock in its
    status and the RoadInfra log."""
    import processing
    from qgis.core import QgsApplication, QgsProcessingFeedback

    inspection = "6738841d-ca00-56ca-8568-b9f2159e3e0b"
    province = str(tmp_path / "province.gpkg")
    with create_database(province) as db:
        load_sample_data(db)
    pkg = str(tmp_path / "crew.gpkg")
    create_package(province, Scope("area", "338"), pkg)
    with open_database(pkg) as db:
        rating = db.fetch("component_rating", where={"inspection_id": inspection})[0]
    new = rating["rating"] - 1 if rating["rating"] > 3 else rating["rating"] + 1
    with open_database(province) as db:
        db.update("component_rating", rating["id"], {"rating": 9 - new}, user="office")
        db.update("inspection", inspection, {"load_posting_t": 5.0}, user="office")
    ogr_update(pkg, "inspection", inspection, notes="ghi chú của tổ")
    ogr_update(pkg, "component_rating", rating["id"], rating=new)

    class Said(QgsProcessingFeedback):
        warnings: list = []

        def pushWarning(self, text):  # noqa: N802 - Qt API
            self.warnings.append(text)

    said = Said()
    done = processing.run("roadinfra:sync", {"PACKAGE": pkg, "DATABASE": province},
                          feedback=said)
    assert done["CONFLICTS"] == 1
    assert row(province, "inspection", inspection)["load_posting_t"] == 5.0
    assert [w for w in said.warnings if "load_posting_t: kept 5.0" in w]

    logged = []

    def keep(message, tag, _level):
        if tag == "RoadInfra":
            logged.append(message)

    dock = ConflictsDock(project=empty_project)
    qtbot.addWidget(dock)
    dock.show()
    dock.set_database(province)
    QgsApplication.messageLog().messageReceived.connect(keep)
    try:
        dock.conflictTable.selectAll()
        qtbot.mouseClick(dock.mineButton, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dock.task is None, timeout=60000)
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(keep)
    assert row(province, "component_rating", rating["id"])["rating"] == new
    assert row(province, "inspection", inspection)["load_posting_t"] == 5.0
    assert "1 value(s) kept that differ" in dock.statusLabel.text()
    assert [m for m in logged if "load_posting_t: kept 5.0; RoadInfra derives 24" in m]
    dock.close()


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_dock_says_a_row_moved_under_a_kept_off_row_was_held_back(
        qtbot, language, empty_project, tmp_path, lang):
    """Review 11u #3: the crew moves a distress under a survey it made under a section the
    office deleted; the sync holds the move back (the server refused nothing): the dock
    says so, names the survey, and says to take the package's values on its conflict first
    (in the user's language, all of it)."""
    from roadinfra.plugin.i18n import install_translator, remove_translator

    from tests.support.sync import ogr_insert

    province = str(tmp_path / "province.gpkg")
    with create_database(province) as db:
        load_sample_data(db)
    with sqlite3.connect(province) as c:
        section, route, start, end = c.execute(
            "SELECT id, route_id, from_m, to_m FROM pavement_section WHERE deleted_at IS "
            "NULL AND district_code = '340' ORDER BY id LIMIT 1").fetchone()
        distress = c.execute(
            "SELECT min(d.id) FROM pavement_distress d JOIN pavement_survey s ON "
            "s.id = d.survey_id WHERE d.deleted_at IS NULL AND s.district_code = '340' "
            "AND s.section_id <> ?", (section,)).fetchone()[0]
    pkg = str(tmp_path / "crew.gpkg")
    create_package(province, Scope("area", "340"), pkg)
    new = ogr_insert(pkg, "pavement_survey", section_id=section, district_code="340",
                     route_id=route, from_m=start, to_m=end, survey_date="2026-11-20",
                     method="VISUAL", surveyor="Đội A")
    ogr_update(pkg, "pavement_distress", distress, survey_id=new, quantity=7.0)
    with open_database(province) as db:
        db.tombstone("pavement_section", section, user="office")
    sync_package(pkg, province)
    language(lang)
    translator = install_translator(lang) if lang == "vi" else None
    try:
        dock = ConflictsDock(project=empty_project)
        qtbot.addWidget(dock)
        dock.set_database(province)
        table = dock.conflictTable
        held = [i for i in range(table.rowCount()) if dock.rows[i]["kind"] == "refused"]
        assert len(held) == 1
        table.selectRow(held[0])
        text = dock.messageLabel.text()
    finally:
        if translator is not None:
            remove_translator(translator)
    assert f"pavement_survey {new}" in text
    assert "a row made in the package" not in text  # no untranslated core text
    if lang == "en":
        assert text.startswith("Not written: the package moved this record under")
        assert "the server refused nothing" in text and "Refused by the server" not in text
        assert "on that conflict first" in text
    else:
        assert "Bị máy chủ từ chối" not in text and "trước" in text
