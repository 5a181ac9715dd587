"""The *Cadastre* dialog driven as a user clicks it, on a copy of the demo provincial database
(GeoPackage) opened in the project: the real French EDIGEO sample is checked and refused by
its CRS with the database unchanged; a small parcel set in the province, open as a layer, is
checked, imported, overlaid with a planned widening (the layers equal the core's overlay) and
printed. Screenshots of every tab in English and Vietnamese at QGIS's default dialog size go
to ``/tmp/ri/shots/cadui/`` (looked at by a person)."""

import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import pytest
from qgis.core import QgsFeatureRequest, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QApplication, QMessageBox
from roadinfra.core.cadastre.corridor import parse_widening
from roadinfra.core.cadastre.overlay import overlay_corridors
from roadinfra.core.cadastre.sources import parcels_from_database, routes_from_database
from roadinfra.core.db import database_info, open_database
from roadinfra.core.sample_data import build_demo_database
from roadinfra.plugin.cadastre.dialog import CadastreDialog
from roadinfra.plugin.database.layers import load_database_layers
from roadinfra.plugin.i18n import install_translator, remove_translator
from shapely.geometry import box

from tests.support.cadastre_files import write
from tests.support.shared_data import SHARED_DATA

FR = str(SHARED_DATA / "cadastre_fr_edigeo" / "edigeo_parcelles_all_sheets.gpkg")
SHOTS = Path("/tmp/ri/shots/cadui")
DEFAULT_SIZE = (652, 508)  # QGIS's default size of a dialog (its attribute form's)
WIDENING = ("DT455", "Km0+500", "Km2+500", "30")


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("cadui") / "thai_binh.gpkg"
    build_demo_database(path)
    return path


@pytest.fixture
def opened(qgis_app, demo_path, tmp_path):
    """A copy of the demo database opened in the project as "Open provincial database..."
    opens it."""
    path = tmp_path / demo_path.name
    shutil.copy(demo_path, path)
    project = QgsProject.instance()
    project.clear()
    load_database_layers(path, project, "en")
    yield str(path)
    project.clear()


@pytest.fixture
def dialog(opened, qtbot):
    dlg = CadastreDialog(None, QgsProject.instance())
    qtbot.addWidget(dlg)
    dlg.resize(*DEFAULT_SIZE)
    dlg.show()
    yield dlg
    dlg.cancel()
    qtbot.waitUntil(lambda: dlg.task is None, timeout=60000)
    dlg.close()


def in_province_parcels(db_path) -> gpd.GeoDataFrame:
    """Six 10 m x 10 m residential parcels on sheet 8 across route DT455 at 1.5 km."""
    db = open_database(db_path)
    try:
        route = next(r for r in db.fetch("route") if r["code"] == "DT455")
    finally:
        db.close()
    p = route["geom"].geoms[0].interpolate(1500.0)
    return gpd.GeoDataFrame(
        [{"SoTo": "8", "SoThua": str(k + 1), "DienTich": 100.0, "LoaiDat": "ONT",
          "geometry": box(p.x - 5, p.y - 30 + 10 * k, p.x + 5, p.y - 20 + 10 * k)}
         for k in range(6)], crs=9209)


def click(qtbot, dialog, button, timeout=60000):
    """Click ``button`` as a user does and wait until the step it started has finished."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=timeout)
    QApplication.processEvents()


def tick(dialog, code):
    """Tick route ``code`` in the overlay's route list."""
    item = next(dialog.routes.item(i) for i in range(dialog.routes.count())
                if dialog.routes.item(i).data(Qt.ItemDataRole.UserRole) == code)
    item.setCheckState(Qt.CheckState.Checked)


def column(table, index):
    return [table.item(row, index).text() for row in range(table.rowCount())]


def test_french_sample_is_checked_and_refused_with_the_database_unchanged(dialog, opened,
                                                                        qtbot):
    before = database_info(opened)
    assert dialog.database.text() == opened  # the open database
    dialog.file.setFilePath(FR)
    dialog.mapping.setCurrentText("fr_edigeo")
    dialog.tabs.setCurrentIndex(1)
    click(qtbot, dialog, dialog.check_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    checked = dialog.last_check
    assert len(checked.parcels.frame) == 900 and checked.fits_province is False
    counts = dict(zip(column(dialog.findings_table, 0),
                      map(int, column(dialog.findings_table, 1))))
    assert counts["Official and computed area differ"] == 208
    assert sum(counts.values()) == 208  # no invalid geometry, overlap, gap or duplicate
    assert "would be refused" in dialog.check_summary.text()
    assert "Lambert-93" in dialog.check_summary.text()
    layer = dialog.findings_layer
    assert QgsProject.instance().mapLayer(layer.id()) is layer
    assert layer.featureCount() == 208 and layer.crs().authid() == "EPSG:2154"
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / "cadastre_en_french_check.png"))

    dialog.tabs.setCurrentIndex(2)
    click(qtbot, dialog, dialog.import_button)
    box = dialog.message
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "lie in the province" in box.text() and "Lambert-93" in box.text()
    assert "nothing was imported" in box.text()
    assert "\n" not in box.text()  # one line
    assert box.grab().save(str(SHOTS / "cadastre_en_french_refused.png"))
    assert dialog.last_import is None
    assert database_info(opened) == before
    box.close()


def test_a_wrong_row_is_one_message_naming_file_row_and_field(dialog, tmp_path, qtbot):
    frame = in_province_parcels(dialog.database.text())
    frame.loc[2, "SoThua"] = None
    path = write(frame, tmp_path / "to8_bad.gpkg")
    dialog.file.setFilePath(str(path))
    dialog.tabs.setCurrentIndex(2)
    click(qtbot, dialog, dialog.import_button)
    text = dialog.message.text()
    assert "to8_bad.gpkg, row 3, field 'SoThua'" in text and "no parcel number" in text
    dialog.message.close()


def test_widening_table_errors_name_row_and_column(dialog, qtbot):
    dialog.tabs.setCurrentIndex(3)
    dialog.add_widening("DT455", "Km0+500", "Kmx", "30")
    click(qtbot, dialog, dialog.overlay_button)
    assert "planned widenings, row 1, field 'Km to'" in dialog.message.text()
    dialog.message.close()


def test_parcels_open_as_a_layer_checked_imported_overlaid_and_printed(dialog, opened,
                                                                       tmp_path, qtbot):
    parcels = in_province_parcels(opened)
    layer = QgsVectorLayer(str(write(parcels, tmp_path / "to8.gpkg")), "to8", "ogr")
    memory = layer.materialize(QgsFeatureRequest())
    memory.setName("to8 (memory)")
    QgsProject.instance().addMapLayer(memory)
    dialog.from_layer.setChecked(True)
    dialog.layer.setLayer(memory)
    assert memory.providerType() == "memory"  # read feature by feature, not as a file

    dialog.tabs.setCurrentIndex(1)
    click(qtbot, dialog, dialog.check_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert dialog.last_check.fits_province is True
    assert "would be accepted" in dialog.check_summary.text()

    dialog.tabs.setCurrentIndex(2)
    dialog.edition.setText("2025-01-01")
    click(qtbot, dialog, dialog.import_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert (dialog.last_import.inserted, dialog.last_import.tombstoned) == (6, 0)
    assert column(dialog.sheets_table, 0) == ["-/8"]
    assert column(dialog.sheets_table, 3) == ["6"]
    click(qtbot, dialog, dialog.import_button)  # the same edition again: nothing changes
    assert column(dialog.sheets_table, 2) == ["unchanged (same edition)"]

    dialog.tabs.setCurrentIndex(3)
    tick(dialog, "DT455")
    qtbot.mouseClick(dialog.add_widening_button, Qt.MouseButton.LeftButton)
    assert dialog.widenings.item(0, 0).text() == "DT455"  # the route ticked
    for col, value in enumerate(WIDENING[1:], start=1):
        dialog.widenings.item(0, col).setText(value)
    dialog.overlay_output.setFilePath(str(tmp_path / "overlay.gpkg"))
    dialog.xlsx_output.setFilePath(str(tmp_path / "overlay.xlsx"))
    click(qtbot, dialog, dialog.overlay_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    db = open_database(opened)
    try:
        routes, grades = routes_from_database(db, ["DT455"])
        core = overlay_corridors(parcels_from_database(db), routes, grades, db.profile,
                                 [parse_widening("DT455:Km0+500-Km2+500:30")])
    finally:
        db.close()
    layers = dialog.overlay_layers
    assert layers["corridor_parcels"].featureCount() == len(core.pieces) > 0
    assert layers["encroachment"].featureCount() == len(core.encroachments) > 0
    assert layers["land_acquisition"].featureCount() == len(core.acquisition) > 0
    areas = sorted(round(f["area_in_m2"], 2) for f in layers["land_acquisition"].getFeatures())
    assert areas == sorted(core.acquisition["area_in_m2"].round(2))
    assert all(QgsProject.instance().mapLayer(x.id()) is x for x in layers.values())
    assert (tmp_path / "overlay.xlsx").stat().st_size > 0
    assert "parcel(s) to acquire" in dialog.overlay_summary.text()

    dialog.tabs.setCurrentIndex(4)
    pdf = tmp_path / "overlay.pdf"
    dialog.pdf_output.setFilePath(str(pdf))
    dialog.print_language.setCurrentIndex(1)
    click(qtbot, dialog, dialog.print_button, timeout=180000)
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert dialog.printed == str(pdf) and pdf.stat().st_size > 10_000
    if shutil.which("pdftotext"):
        words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout
        assert "Land to acquire" in words and "Widening DT455 Km0+500-Km2+500 30 m" in words


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_screenshots_of_every_tab(opened, qtbot, tmp_path, language, lang):
    """Every tab after a check and an overlay, at the default size; no text cut off."""
    language(lang)
    translator = install_translator(lang) if lang != "en" else None
    try:
        dlg = CadastreDialog(None, QgsProject.instance())
        qtbot.addWidget(dlg)
        assert dlg.print_language.currentData() == lang
        dlg.resize(*DEFAULT_SIZE)
        dlg.show()
        parcels = in_province_parcels(opened)
        dlg.file.setFilePath(str(write(parcels, tmp_path / "to8.gpkg")))
        click(qtbot, dlg, dlg.check_button)
        dlg.edition.setText("2025-01-01")
        click(qtbot, dlg, dlg.import_button)
        tick(dlg, "DT455")
        dlg.add_widening(*WIDENING)
        click(qtbot, dlg, dlg.overlay_button)
        assert dlg.message is None, dlg.message and dlg.message.text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert dlg.size().width() == DEFAULT_SIZE[0], dlg.size()
        for index in range(dlg.tabs.count()):
            dlg.tabs.setCurrentIndex(index)
            QApplication.processEvents()
            assert dlg.grab().save(str(SHOTS / f"cadastre_{lang}_{index + 1}.png"))
            if lang == "vi":
                assert dlg.tabs.tabText(1) == "2. Kiểm tra", "tab titles not translated"
                assert dlg.buttons.buttons()[0].text() == "Đóng"
        dlg.close()
    finally:
        remove_translator(translator)


def test_cancel_stops_the_check_and_nothing_is_shown(dialog, qtbot):
    """Cancel right after Check (the French sample's quality report takes a while)."""
    dialog.file.setFilePath(FR)
    dialog.mapping.setCurrentText("fr_edigeo")
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert dialog.task is not None and dialog.cancel_button.isEnabled()
    assert not dialog.check_button.isEnabled()  # one step at a time
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=60000)
    assert dialog.status.text() == "Cancelled: nothing was written"
    assert dialog.last_check is None and dialog.findings_layer is None
    assert dialog.message is None and dialog.check_button.isEnabled()


def test_the_action_opens_one_dialog_per_window(opened, qgis_iface):
    from roadinfra.plugin.cadastre.dialog import open_cadastre_dialog, remove_cadastre_dialog

    first = open_cadastre_dialog(qgis_iface)
    try:
        assert first.isVisible() and first.database.text() == opened
        assert first.routes.count() == 7  # the demo's routes, for the overlay
        first.close()
        assert open_cadastre_dialog(qgis_iface) is first  # with its results
    finally:
        remove_cadastre_dialog(qgis_iface)
        QApplication.processEvents()


def test_an_edition_that_is_not_a_date_is_refused_before_reading(dialog, qtbot):
    dialog.file.setFilePath(FR)
    dialog.edition.setText("March 2025")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.task is None  # refused before any work
    assert dialog.message.text() == ("edition of the sheets: 'March 2025' is not a date: "
                                     "dd/mm/yyyy, yyyymmdd or yyyy-mm-dd")
    dialog.message.close()


def test_overlay_without_widening_adds_its_layers_and_prints(dialog, opened, tmp_path, qtbot):
    """No widening: the land to acquire is an empty layer, still a polygon layer with a
    renderer; the layers are added to the map and the map prints (issue 14 review)."""
    from qgis.core import QgsWkbTypes
    from roadinfra.core.cadastre.importer import import_parcels
    from roadinfra.core.cadastre.mapping import load_mapping
    from roadinfra.core.cadastre.reader import read_parcels

    source = write(in_province_parcels(opened), tmp_path / "to8.gpkg")
    import_parcels(opened, read_parcels(str(source), load_mapping("vn_cadastre")),
                   edition="2025-01-01")
    dialog.read_routes()
    dialog.tabs.setCurrentIndex(3)
    tick(dialog, "DT455")
    click(qtbot, dialog, dialog.overlay_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    layers = dialog.overlay_layers
    assert set(layers) == {"land_acquisition", "encroachment", "corridor_parcels",
                           "corridors"}
    assert layers["land_acquisition"].featureCount() == 0
    assert layers["corridor_parcels"].featureCount() > 0
    for layer in layers.values():
        assert QgsProject.instance().mapLayer(layer.id()) is layer
        assert layer.wkbType() == QgsWkbTypes.Type.MultiPolygon, layer.name()
        assert layer.renderer() is not None and layer.crs().authid() == "EPSG:9209"
    assert "Layers added to the map" in dialog.overlay_summary.text()

    dialog.tabs.setCurrentIndex(4)
    pdf = tmp_path / "no_widening.pdf"
    dialog.pdf_output.setFilePath(str(pdf))
    click(qtbot, dialog, dialog.print_button, timeout=180000)
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert dialog.printed == str(pdf) and pdf.stat().st_size > 10_000
    if shutil.which("pdftoppm"):  # a page to look at
        shots = Path("/tmp/ri/shots/fix14a")
        shots.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", str(pdf),
                        str(shots / "overlay_no_widening")], check=True)


def test_widening_cells_keep_their_exact_values():
    """No rounding to 6 significant digits: Km109+852.6 is 109852.6 m, not 109853 m (beyond
    the end of a route ending there)."""
    from roadinfra.core.cadastre.corridor import Widening
    from roadinfra.core.cadastre.errors import CadastreError
    from roadinfra.plugin.cadastre.inputs import widening_from_cells

    assert widening_from_cells(1, "QL10", "Km109+000", "Km109+852.6", "30") == Widening(
        "QL10", 109000.0, 109852.6, 30.0)
    assert widening_from_cells(2, "QL10", "99000,25", "100000.4", "24.125") == Widening(
        "QL10", 99000.25, 100000.4, 24.125)
    with pytest.raises(CadastreError, match="row 3: needs Km from < Km to"):
        widening_from_cells(3, "QL10", "Km2+000", "Km1+000", "30")
