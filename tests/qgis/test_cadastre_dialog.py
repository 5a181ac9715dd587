"""The *Cadastre* dialog driven as a user clicks it, on a copy of the demo provincial database
(GeoPackage) opened in the project: the real French EDIGEO sample is checked and refused by
its CRS with the database unchanged; a small parcel set in the province, open as a layer, is
checked, imported, overlaid with a planned widening (the layers equal the core's overlay) and
printed; building footprints give encroachment rows; the department's new sheets are pulled
from a file, an OGC API - Features and a WFS 2.0 server on 127.0.0.1. Screenshots of every tab
in English and Vietnamese at QGIS's default dialog size go to ``/tmp/ri/shots/cadui3/``
(looked at by a person)."""

import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from qgis.core import QgsFeature, QgsFeatureRequest, QgsGeometry, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QApplication, QMessageBox
from roadinfra.core.cadastre.corridor import parse_widening
from roadinfra.core.cadastre.overlay import overlay_corridors
from roadinfra.core.cadastre.sources import parcels_from_database, routes_from_database
from roadinfra.core.db import database_info, open_database
from roadinfra.plugin.cadastre.dialog import CadastreDialog
from roadinfra.plugin.database.layers import load_database_layers
from roadinfra.plugin.i18n import install_translator, remove_translator
from shapely.geometry import box

from tests.support.cadastre_db import demo_database
from tests.support.cadastre_files import write
from tests.support.cadastre_qgis import parcels_across, point_along
from tests.support.shared_data import SHARED_DATA

FR = str(SHARED_DATA / "cadastre_fr_edigeo" / "edigeo_parcelles_all_sheets.gpkg")
SHOTS = Path("/tmp/ri/shots/cadui3")
DEFAULT_SIZE = (652, 508)  # QGIS's default size of a dialog (its attribute form's)
WIDENING = ("DT455", "Km0+500", "Km2+500", "30")
PULL_TAB, OVERLAY_TAB, PRINT_TAB = 3, 4, 5


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    return demo_database(tmp_path_factory.mktemp("cadui"))


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
    return parcels_across(point_along(db_path))


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
    assert sum(counts.values()) == 210  # 2 gaps open onto the road; no invalid, overlap or
    #                                     duplicate
    assert "would be refused" in dialog.check_summary.text()
    assert "Lambert-93" in dialog.check_summary.text()
    layer = dialog.findings_layer
    assert QgsProject.instance().mapLayer(layer.id()) is layer
    assert layer.featureCount() == 210 and layer.crs().authid() == "EPSG:2154"
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / "cadastre_en_french_check.png"))

    dialog.tabs.setCurrentIndex(2)
    click(qtbot, dialog, dialog.import_button)
    box = dialog.message
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "lie in the province" in box.text() and "Lambert-93" in box.text()
    assert "nothing was imported" in box.text()
    assert "\n" not in box.text()  # one line
    assert box.text().startswith("Import refused: ")  # the dialog's own words, translated
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


def test_check_counts_sheets_by_commune_and_refuses_a_hostile_mapping(dialog, tmp_path,
                                                                     qtbot):
    """Sheet 8 of two communes is two sheets, as the import keys them; a mapping whose
    [mapping] is not a table is one message naming the mapping file and the key (was: an
    uncaught AttributeError), and the previous check's result is cleared."""
    frame = in_province_parcels(dialog.database.text())
    frame["MaXa"] = ["13297"] * 3 + ["13300"] * (len(frame) - 3)
    dialog.file.setFilePath(str(write(frame, tmp_path / "two_communes.gpkg")))
    dialog.tabs.setCurrentIndex(1)
    click(qtbot, dialog, dialog.check_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert f"{len(frame)} parcel(s) on 2 sheet(s)" in dialog.check_summary.text()
    bad = tmp_path / "bad.toml"
    bad.write_text('mapping = "x"\n[fields.sheet_no]\nsource = ["SoTo"]\n'
                   '[fields.parcel_no]\nsource = ["SoThua"]\n', encoding="utf-8")
    dialog.mapping.setCurrentText(str(bad))
    click(qtbot, dialog, dialog.check_button)
    text = dialog.message.text()
    assert f"{bad}: mapping = 'x' must be a table ([mapping])" in text and "\n" not in text
    assert dialog.last_check is None and dialog.check_summary.text() == ""
    assert dialog.findings_table.rowCount() == 0
    dialog.message.close()


def test_widening_table_errors_name_row_and_column(dialog, qtbot):
    dialog.tabs.setCurrentIndex(OVERLAY_TAB)
    dialog.add_widening("DT455", "Km0+500", "Kmx", "30")
    click(qtbot, dialog, dialog.overlay_button)
    assert dialog.message.text().startswith("Cannot overlay: planned widenings, row 1, field "
                                            "'Km to'")
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

    dialog.tabs.setCurrentIndex(OVERLAY_TAB)
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

    dialog.tabs.setCurrentIndex(PRINT_TAB)
    pdf = tmp_path / "overlay.pdf"
    dialog.pdf_output.setFilePath(str(pdf))
    dialog.print_language.setCurrentIndex(1)
    click(qtbot, dialog, dialog.print_button, timeout=180000)
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert dialog.printed == str(pdf) and pdf.stat().st_size > 10_000
    if shutil.which("pdftotext"):
        words = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                        text=True, check=True).stdout.split())
        # the table's first column may wrap a long name: compared with white space collapsed
        assert "Land to acquire" in words and "Widening DT455 Km0+500-Km2+500 30 m" in words


def building_parcels(db_path) -> gpd.GeoDataFrame:
    """The six parcels of :func:`in_province_parcels` as rice fields (not built-up land)."""
    return in_province_parcels(db_path).assign(LoaiDat="LUC")


def house(db_path):
    """A 4 m x 5 m building across the boundary of parcels 4 and 5 (y = p.y + 10) near
    DT455 at 1.5 km: 8 m² in parcel 4, 12 m² in parcel 5. DT455 is grade IV there: road land
    to 4.5 + 1 = 5.5 m from the centre-line, safety corridor to 5.5 + 9 = 14.5 m; the route
    runs at about 28.4 degrees (direction (0.879, 0.476)), so the house's corners lie 6.1 to
    12.4 m from it: wholly in the safety corridor."""
    p = point_along(db_path)
    return box(p.x - 2, p.y + 8, p.x + 2, p.y + 13)


def department_export(tmp_path, opened, name="export.gpkg", edition9="2025-06-01"):
    """The department's export: sheet 8 as imported (edition 2025-01-01) and a sheet 9 of
    three parcels beside it."""
    eight = in_province_parcels(opened).assign(NgayCapNhat="2025-01-01")
    nine = in_province_parcels(opened).iloc[:3].assign(SoTo="9", NgayCapNhat=edition9)
    nine["geometry"] = nine.geometry.translate(20.0, 0.0)
    return write(gpd.GeoDataFrame(pd.concat([eight, nine], ignore_index=True), crs=9209),
                 tmp_path / name)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_screenshots_of_every_tab(opened, qtbot, tmp_path, language, lang):
    """Every tab after its step (check, import, pull from a file, overlay with a widening and
    buildings, print), at the default size; no text cut off."""
    language(lang)
    translator = install_translator(lang) if lang != "en" else None
    try:
        dlg = CadastreDialog(None, QgsProject.instance())
        qtbot.addWidget(dlg)
        assert dlg.print_language.currentData() == lang
        dlg.resize(*DEFAULT_SIZE)
        dlg.show()
        parcels = in_province_parcels(opened)
        parcels.loc[3:, "LoaiDat"] = "LUC"  # parcels 4-6 rice: the house's encroachments
        dlg.file.setFilePath(str(write(parcels, tmp_path / "to8.gpkg")))
        click(qtbot, dlg, dlg.check_button)
        dlg.edition.setText("2025-01-01")
        click(qtbot, dlg, dlg.import_button)
        dlg.pull_kind.setCurrentIndex(dlg.pull_kind.findData("file"))
        dlg.pull_file.setFilePath(str(department_export(tmp_path, opened)))
        click(qtbot, dlg, dlg.pull_button)
        tick(dlg, "DT455")
        dlg.add_widening(*WIDENING)
        houses = gpd.GeoDataFrame(geometry=[house(opened)], crs=9209)
        dlg.set_buildings_file(str(write(houses, tmp_path / "nha.gpkg")))
        click(qtbot, dlg, dlg.overlay_button)
        # The area to acquire in the language's number format (vi 1.234,5;
        # here 403,5 against en 403.5)
        area = sum(v["area_m2"] for v in dlg.last_overlay.summary()["acquisition"].values())
        english = f"{area:,.1f}"
        assert area % 1 and "," in (written := english.replace(".", ",")), area
        written = english if lang == "en" else \
            english.replace(",", " ").replace(".", ",").replace(" ", ".")
        assert f"({written} m²)" in dlg.overlay_summary.text()
        dlg.pdf_output.setFilePath(str(tmp_path / f"overlay_{lang}.pdf"))
        click(qtbot, dlg, dlg.print_button, timeout=180000)
        assert dlg.message is None, dlg.message and dlg.message.text()
        assert dlg.printed
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert dlg.size().width() == DEFAULT_SIZE[0], dlg.size()
        bar = dlg.tabs.tabBar()  # every tab title whole, without scroll buttons
        assert bar.tabRect(bar.count() - 1).right() <= bar.width(), "tab titles do not fit"
        names = ("source", "check", "import", "pull", "overlay", "print")
        for index in range(dlg.tabs.count()):
            dlg.tabs.setCurrentIndex(index)
            QApplication.processEvents()
            assert dlg.grab().save(str(SHOTS / f"cadastre_{lang}_{index + 1}_"
                                            f"{names[index]}.png"))
        dlg.tabs.setCurrentIndex(OVERLAY_TAB)  # what was overlaid
        dlg.overlay_views.setCurrentIndex(0)
        QApplication.processEvents()
        assert dlg.grab().save(str(SHOTS / f"cadastre_{lang}_5_overlay_inputs.png"))
        dlg.tabs.setCurrentIndex(PULL_TAB)  # the fields of a service
        dlg.pull_kind.setCurrentIndex(dlg.pull_kind.findData("wfs"))
        QApplication.processEvents()
        assert dlg.grab().save(str(SHOTS / f"cadastre_{lang}_4_pull_wfs.png"))
        if lang == "vi":
            assert dlg.tabs.tabText(1) == "Kiểm tra", "tab titles not translated"
            assert dlg.tabs.tabText(PULL_TAB) == "Cập nhật"
            assert dlg.buttons.buttons()[0].text() == "Đóng"
        dlg.edition.setText("March 2025")  # the refusal, framed in the dialog's language
        qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
        framing = "Nhập bị từ chối: " if lang == "vi" else "Import refused: "
        assert dlg.message.text().startswith(framing)
        assert dlg.message.grab().save(str(SHOTS / f"cadastre_{lang}_refused.png"))
        dlg.message.close()
        dlg.add_widening("DT455", "Km1+000", "-5", "30")  # the cell named as in the table
        qtbot.mouseClick(dlg.overlay_button, Qt.MouseButton.LeftButton)
        expected = ("Không chồng xếp được: mở rộng theo kế hoạch, dòng 2, cột 'Đến Km': "
                    "'-5' không phải khoảng cách >= 0" if lang == "vi" else
                    "Cannot overlay: planned widenings, row 2, field 'Km to': '-5' is not a "
                    "distance >= 0")
        assert dlg.message.text() == expected
        assert dlg.message.grab().save(str(SHOTS / f"cadastre_{lang}_widening_error.png"))
        dlg.message.close()
        dlg.close()
    finally:
        remove_translator(translator)


def test_buildings_inside_the_corridor_are_encroachments(dialog, opened, tmp_path, qtbot):
    """A building footprint (an open layer in WGS 84) across two rice-field parcels in DT455's
    safety corridor: one encroachment row per parcel with the building part's area (8 and
    12 m², worked out in :func:`house`), and no parcel row (rice is not built-up land)."""
    from roadinfra.core.crs import to_wgs84
    from shapely.ops import transform

    source = write(building_parcels(opened), tmp_path / "to8.gpkg")
    dialog.file.setFilePath(str(source))
    dialog.edition.setText("2025-01-01")
    click(qtbot, dialog, dialog.import_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    lonlat = transform(lambda x, y: to_wgs84(np.asarray(x), np.asarray(y)), house(opened))
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326", "nha", "memory")
    feature = QgsFeature()
    feature.setGeometry(QgsGeometry.fromWkt(lonlat.wkt))
    layer.dataProvider().addFeatures([feature])
    QgsProject.instance().addMapLayer(layer)

    dialog.tabs.setCurrentIndex(OVERLAY_TAB)
    tick(dialog, "DT455")
    click(qtbot, dialog, dialog.overlay_button)  # no buildings: no encroachment
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert dialog.encroachment_table.rowCount() == 0
    dialog.buildings.setLayer(layer)
    assert dialog.buildings_source() is layer
    click(qtbot, dialog, dialog.overlay_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    table = dialog.encroachment_table
    rows = sorted(zip(column(table, 0), column(table, 1), column(table, 2), column(table, 3),
                      column(table, 4)))
    assert rows == [("DT455", "safety corridor", "8/4", "building", "8.0"),
                    ("DT455", "safety corridor", "8/5", "building", "12.0")]
    enc = dialog.last_overlay.encroachments
    assert sorted(enc["area_in_m2"]) == pytest.approx([8.0, 12.0], abs=0.01)
    assert sorted(enc["share_pct"]) == pytest.approx([8.0, 12.0], abs=0.01)  # of 100 m²
    assert set(enc["part"]) == {"building"}
    layer_rows = sorted(round(f["area_in_m2"], 1)
                        for f in dialog.overlay_layers["encroachment"].getFeatures())
    assert layer_rows == [8.0, 12.0]
    assert "encroaching: 2 parcel(s), 1 building(s) (2 row(s)" in dialog.overlay_summary.text()

    # the same house in a file whose first layer is the parcels: refused naming both layers
    # until the buildings' layer is chosen from the list
    both = tmp_path / "both.gpkg"
    building_parcels(opened).to_file(both, layer="thua_dat")
    gpd.GeoDataFrame(geometry=[house(opened)], crs=9209).to_file(both, layer="nha")
    dialog.set_buildings_file(str(both))
    assert {f"{both}|layername=thua_dat", f"{both}|layername=nha"} <= set(
        dialog.buildings.additionalItems())
    click(qtbot, dialog, dialog.overlay_button)
    assert dialog.message.text() == (
        f"Cannot overlay: {both}: 2 layers with geometries (thua_dat, nha); name the "
        "buildings layer (choose the file's layer in the list: FILE|layername=NAME)")
    dialog.message.close()
    dialog.message = None
    dialog.buildings.setCurrentText(f"{both}|layername=nha")
    click(qtbot, dialog, dialog.overlay_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert sorted(dialog.last_overlay.encroachments["area_in_m2"]) == pytest.approx(
        [8.0, 12.0], abs=0.01)

    # a survey DXF: the house on CAD layer NHA, the parcel outlines on THUA: refused naming
    # the CAD layers until the houses' one is chosen from the list
    from osgeo import ogr
    drawing = tmp_path / "survey.dxf"
    source = ogr.GetDriverByName("DXF").CreateDataSource(str(drawing))
    entities = source.CreateLayer("entities")
    for geom, cad in [(house(opened), "NHA")] + [(g, "THUA") for g in
                                                 building_parcels(opened).geometry]:
        feature = ogr.Feature(entities.GetLayerDefn())
        feature.SetField("Layer", cad)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(
            "LINESTRING (" + ", ".join(f"{x} {y}" for x, y in geom.exterior.coords) + ")"))
        entities.CreateFeature(feature)
    source = entities = None
    dialog.set_buildings_file(str(drawing))
    assert {f"{drawing}|cadlayer=NHA", f"{drawing}|cadlayer=THUA"} <= set(
        dialog.buildings.additionalItems())
    click(qtbot, dialog, dialog.overlay_button)
    assert dialog.message.text().startswith(
        f"Cannot overlay: {drawing}: a drawing with entities on 2 CAD layers (NHA (1), THUA (")
    assert dialog.message.text().endswith("name the buildings' CAD layer (choose the "
                                          "drawing's CAD layer in the list: FILE|cadlayer=NAME)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.message.grab().save(str(SHOTS / "cadastre_en_drawing_cad_layers.png"))
    dialog.message.close()
    dialog.message = None
    dialog.buildings.setCurrentText(f"{drawing}|cadlayer=NHA")
    click(qtbot, dialog, dialog.overlay_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert sorted(dialog.last_overlay.encroachments["area_in_m2"]) == pytest.approx(
        [8.0, 12.0], abs=0.01)


def test_buildings_file_without_polygons_is_one_message(dialog, opened, tmp_path, qtbot):
    points = gpd.GeoDataFrame(geometry=[house(opened).centroid], crs=9209)
    dialog.set_buildings_file(str(write(points, tmp_path / "points.gpkg")))
    dialog.tabs.setCurrentIndex(OVERLAY_TAB)
    click(qtbot, dialog, dialog.overlay_button)
    assert dialog.message.text() == (f"Cannot overlay: {tmp_path / 'points.gpkg'}: no "
                                     "building polygons: of the 1 feature(s) read, 1 point(s)")
    dialog.message.close()


def pulled(dialog):
    """The pull table as {sheet: (edition, result, parcels)}."""
    table = dialog.pull_table
    return {table.item(r, 0).text(): tuple(table.item(r, c).text() for c in (1, 2, 3))
            for r in range(table.rowCount())}


def test_pull_from_a_file_fetches_only_new_or_newer_sheets(dialog, opened, tmp_path, qtbot):
    dialog.file.setFilePath(str(write(in_province_parcels(opened), tmp_path / "to8.gpkg")))
    dialog.edition.setText("2025-01-01")
    click(qtbot, dialog, dialog.import_button)
    dialog.tabs.setCurrentIndex(PULL_TAB)
    dialog.pull_kind.setCurrentIndex(dialog.pull_kind.findData("file"))
    assert dialog.pull_file.isVisible() and not dialog.pull_address.isVisible()
    dialog.pull_file.setFilePath(str(department_export(tmp_path, opened)))
    click(qtbot, dialog, dialog.pull_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert pulled(dialog) == {"-/8": ("2025-01-01", "up to date (not fetched)", "-"),
                              "-/9": ("2025-06-01", "new", "3")}
    assert "2 sheet(s) in the source: 1 fetched, 1 up to date; 3 parcel(s) imported" in \
        dialog.pull_summary.text()
    later = department_export(tmp_path, opened, "export2.gpkg", edition9="2025-09-01")
    dialog.pull_file.setFilePath(str(later))
    click(qtbot, dialog, dialog.pull_button)
    assert pulled(dialog)["-/9"] == ("2025-09-01",
                                     "replaced (old edition kept in the history)", "3")
    live = [r for r in open_database(opened).fetch("cadastral_parcel") if r["sheet_no"] == "9"]
    assert {r["sheet_edition"] for r in live} == {"2025-09-01"} and len(live) == 3


def test_the_pull_tab_names_the_sheets_the_source_no_longer_holds(dialog, opened, tmp_path,
                                                                   qtbot):
    """Issue 14 review 14k, item 2: the Pull tab showed only the counts; the sheets the
    source no longer holds (and undated, uncounted ones) were in the CLI and Processing
    only. Now the same lines (plugin/cadastre/messages.pull_lines)."""
    dialog.file.setFilePath(str(write(in_province_parcels(opened), tmp_path / "to8.gpkg")))
    dialog.edition.setText("2025-01-01")
    click(qtbot, dialog, dialog.import_button)
    nine = in_province_parcels(opened).iloc[:3].assign(SoTo="9", NgayCapNhat="2025-06-01")
    nine["geometry"] = nine.geometry.translate(20.0, 0.0)
    dialog.tabs.setCurrentIndex(PULL_TAB)
    dialog.pull_kind.setCurrentIndex(dialog.pull_kind.findData("file"))
    dialog.pull_file.setFilePath(str(write(nine, tmp_path / "only9.gpkg")))
    click(qtbot, dialog, dialog.pull_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert "Stored sheets the source no longer holds (kept in the database): -/8" in \
        dialog.pull_summary.text()


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_pull_tab_shows_the_findings_of_the_sheets_fetched(opened, qtbot, tmp_path,
                                                               language, lang):
    """Issue 14 review 14m, item 5: the Pull tab showed no quality report. Now a Findings
    table beside the sheets (its tab counts them) and the findings as a layer on the map;
    a pull that fetches nothing clears both."""
    language(lang)
    translator = install_translator(lang) if lang != "en" else None
    try:
        dialog = CadastreDialog(None, QgsProject.instance())
        qtbot.addWidget(dialog)
        dialog.resize(*DEFAULT_SIZE)
        dialog.show()
        nine = in_province_parcels(opened).iloc[:3].assign(SoTo="9", NgayCapNhat="2025-06-01")
        nine.loc[1, "DienTich"] = 400.0  # drawn 100 m²
        dialog.tabs.setCurrentIndex(PULL_TAB)
        dialog.pull_kind.setCurrentIndex(dialog.pull_kind.findData("file"))
        dialog.pull_file.setFilePath(str(write(nine, tmp_path / "nine.gpkg")))
        click(qtbot, dialog, dialog.pull_button)
        assert dialog.message is None, dialog.message and dialog.message.text()
        table = dialog.pull_findings_table
        counts = {table.item(r, 0).text(): table.item(r, 1).text()
                  for r in range(table.rowCount())}
        mismatch = ("Official and computed area differ" if lang == "en" else
                    "Diện tích pháp lý lệch diện tích tính toán")
        assert counts[mismatch] == "1" and sum(map(int, counts.values())) == 1
        assert table.item(0, 0).text() == mismatch  # the kinds found first, in sight
        assert dialog.pull_views.tabText(1) == ("Findings (1)" if lang == "en"
                                                else "Phát hiện (1)")
        layer = dialog.pull_findings_layer
        assert [f["kind"] for f in layer.getFeatures()] == ["area_mismatch"]
        assert QgsProject.instance().mapLayer(layer.id()) is not None
        dialog.pull_views.setCurrentIndex(1)
        QApplication.processEvents()
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert dialog.grab().save(str(SHOTS / f"cadastre_{lang}_4_pull_findings.png"))
        layer_id = layer.id()
        click(qtbot, dialog, dialog.pull_button)  # up to date: nothing fetched
        assert dialog.pull_findings_layer is None
        assert QgsProject.instance().mapLayer(layer_id) is None
        assert dialog.pull_views.tabText(1).endswith("(0)")
        dialog.close()
    finally:
        remove_translator(translator)


def test_the_pull_tab_names_a_refused_sheet_and_clears_after_a_refused_pull(
        dialog, opened, tmp_path, qtbot):
    """Issue 14 review 14o, items 1 and 3: a sheet holding the stored land under another
    key is refused alone (named in the Sheets table and the status line), the new sheet
    beside it imported; a pull then refused whole leaves no earlier result on the tab (its
    summary says so; tables and findings layer gone)."""
    dialog.file.setFilePath(str(write(in_province_parcels(opened), tmp_path / "to8.gpkg")))
    dialog.edition.setText("2025-01-01")
    click(qtbot, dialog, dialog.import_button)
    nine = in_province_parcels(opened).iloc[:3].assign(SoTo="9", NgayCapNhat="2025-06-01")
    nine["geometry"] = nine.geometry.translate(20.0, 0.0)
    rekeyed = in_province_parcels(opened).assign(SoTo="18", NgayCapNhat="2025-06-01")
    dialog.tabs.setCurrentIndex(PULL_TAB)
    dialog.pull_kind.setCurrentIndex(dialog.pull_kind.findData("file"))
    dialog.pull_file.setFilePath(str(write(pd.concat([nine, rekeyed]),
                                           tmp_path / "rekeyed.gpkg")))
    click(qtbot, dialog, dialog.pull_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert pulled(dialog) == {"-/18": ("2025-06-01", "refused (not imported)", "-"),
                              "-/9": ("2025-06-01", "new", "3")}
    assert dialog.status.text() == "Pulled from rekeyed.gpkg; 1 sheet(s) refused, not " \
                                   "imported: -/18"
    assert "Refused, not imported (the stored sheets left as they were; the other sheets " \
           "were pulled): -/18. sheet -/18 (6 parcel(s)) lies on the stored sheet -/8" in \
        dialog.pull_summary.text()
    layer_id = dialog.pull_findings_layer.id()
    part = nine.iloc[:2].assign(NgayCapNhat="2026-01-01")  # part of sheet 9: refused whole
    dialog.pull_file.setFilePath(str(write(part, tmp_path / "part.gpkg")))
    click(qtbot, dialog, dialog.pull_button)
    assert dialog.message.text().startswith("Pull refused: ")
    dialog.message.close()
    assert dialog.pull_summary.text() == "Pull refused: nothing was imported (see the message)."
    assert dialog.pull_table.rowCount() == 0 and dialog.pull_findings_table.rowCount() == 0
    assert dialog.pull_findings_layer is None and dialog.last_pull is None
    assert QgsProject.instance().mapLayer(layer_id) is None


def test_pull_needs_the_sources_address_and_name(dialog, qtbot):
    dialog.tabs.setCurrentIndex(PULL_TAB)
    dialog.pull_kind.setCurrentIndex(dialog.pull_kind.findData("wfs"))
    assert dialog.pull_address.isVisible() and not dialog.pull_file.isVisible()
    qtbot.mouseClick(dialog.pull_button, Qt.MouseButton.LeftButton)
    assert dialog.task is None
    assert dialog.message.text() == ("Pull refused: WFS 2.0 service: give its address "
                                     "(service URL)")
    dialog.message.close()
    dialog.pull_address.setText("http://127.0.0.1:9/wfs")
    qtbot.mouseClick(dialog.pull_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == ("Pull refused: WFS 2.0 service: give its parcel feature "
                                     "type, e.g. dc:thua_dat")
    dialog.message.close()


def test_pull_from_ogc_api_features_and_wfs(dialog, opened, qtbot):
    """The test servers of the core's pull tests, on 127.0.0.1: a sheet 1 from an OGC API -
    Features collection, then a sheet 2 (and sheet 1 up to date) from a WFS 2.0 service."""
    from tests.support.features_api import FeaturesApi
    from tests.support.wfs_server import WfsServer
    from tests.unit.test_cadastre_pull import features as api_features
    from tests.unit.test_cadastre_wfs import TYPES
    from tests.unit.test_cadastre_wfs import features as wfs_features

    dialog.tabs.setCurrentIndex(PULL_TAB)
    with FeaturesApi("thua_dat", api_features("1", "2024-01-01")) as api:
        dialog.pull_kind.setCurrentIndex(dialog.pull_kind.findData("features"))
        dialog.pull_address.setText(api.url)
        dialog.pull_name.setText("thua_dat")
        click(qtbot, dialog, dialog.pull_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert pulled(dialog) == {"13297/1": ("2024-01-01", "new", "6")}
    served = wfs_features("1", "2024-01-01") + wfs_features("2", "2024-02-02", start=(0, 100))
    with WfsServer("thua_dat", served, 9209, types=TYPES) as server:
        dialog.pull_kind.setCurrentIndex(dialog.pull_kind.findData("wfs"))
        dialog.pull_address.setText(server.url)
        dialog.pull_name.setText(server.typename)
        click(qtbot, dialog, dialog.pull_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert pulled(dialog) == {"13297/1": ("2024-01-01", "up to date (not fetched)", "-"),
                              "13297/2": ("2024-02-02", "new", "6")}


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
    assert dialog.message.text() == ("Import refused: edition of the sheets: 'March 2025' is "
                                     "not a date: dd/mm/yyyy, yyyymmdd or yyyy-mm-dd")
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
    dialog.tabs.setCurrentIndex(OVERLAY_TAB)
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

    dialog.tabs.setCurrentIndex(PRINT_TAB)
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


def test_widening_cells_with_thousands_groups_are_refused():
    """``12.000`` is 12 m in English notation and 12 000 m in Vietnamese: refused, naming the
    row and the column; ``Km12+000`` and ``12000`` are taken."""
    from roadinfra.core.cadastre.errors import CadastreError
    from roadinfra.plugin.cadastre.inputs import widening_from_cells

    with pytest.raises(CadastreError) as err:
        widening_from_cells(2, "DT455", "12.000", "13.500", "24")
    assert str(err.value) == ("planned widenings, row 2, field 'Km from': '12.000' is "
                              "ambiguous (12.000 is 12 m in English notation, 12 000 m in "
                              "Vietnamese): write Km12+000 or 12000")
    with pytest.raises(CadastreError, match="field 'Km to': '13,500' is ambiguous"):
        widening_from_cells(2, "DT455", "Km12+000", "13,500", "24")
    taken = widening_from_cells(2, "DT455", "Km12+000", "13500", "24,5")
    assert (taken.from_m, taken.to_m, taken.width_m) == (12000.0, 13500.0, 24.5)


def test_widening_cells_keep_their_exact_values():
    """No rounding to 6 significant digits: Km109+852.6 is 109852.6 m, not 109853 m (beyond
    the end of a route ending there)."""
    from roadinfra.core.cadastre.corridor import Widening
    from roadinfra.core.cadastre.errors import CadastreError
    from roadinfra.plugin.cadastre.inputs import widening_from_cells

    assert widening_from_cells(1, "QL10", "Km109+000", "Km109+852.6", "30") == Widening(
        "QL10", 109000.0, 109852.6, 30.0)
    assert widening_from_cells(2, "QL10", "99000,25", "100000.4", "24.25") == Widening(
        "QL10", 99000.25, 100000.4, 24.25)
    with pytest.raises(CadastreError, match="row 3: needs Km from < Km to"):
        widening_from_cells(3, "QL10", "Km2+000", "Km1+000", "30")
    with pytest.raises(CadastreError, match=r"row 4, field 'New width \(m\)': '1\.500' is "
                                            r"ambiguous \(1\.500 is 1\.5 m"):
        widening_from_cells(4, "QL10", "Km1+000", "Km2+000", "1.500")


def test_part_of_a_sheet_is_refused_unless_whole_sheets_is_ticked(dialog, opened, tmp_path,
                                                                  qtbot):
    """Issue 14 review, item 8: 2 of the 6 parcels of sheet 8 as a newer edition: refused in
    one message naming the sheet and both counts, nothing written; ticked, they replace it."""
    parcels = in_province_parcels(opened)
    dialog.file.setFilePath(str(write(parcels, tmp_path / "to8.gpkg")))
    dialog.tabs.setCurrentIndex(2)
    dialog.edition.setText("2024-01-01")
    click(qtbot, dialog, dialog.import_button)
    assert dialog.last_import.inserted == 6
    dialog.file.setFilePath(str(write(parcels.iloc[:2], tmp_path / "to8_part.gpkg")))
    dialog.edition.setText("2025-06-01")
    before = database_info(opened)
    click(qtbot, dialog, dialog.import_button)
    text = dialog.message.text()
    assert "sheet -/8: the new edition 2025-06-01 holds 2 parcel(s), the stored edition " \
           "2024-01-01 holds 6" in text
    dialog.message.close()
    dialog.message = None
    assert database_info(opened) == before
    dialog.whole_sheet.setChecked(True)
    click(qtbot, dialog, dialog.import_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert (dialog.last_import.inserted, dialog.last_import.tombstoned) == (2, 6)
    # The 4 stored parcels the 2 leave bare are named as leaving the live map
    leaving = [p.text() for s in dialog.last_import.sheets for p in s.leaving]
    assert len(leaving) == 4 and all(t.endswith("100% uncovered)") for t in leaving)
    assert (f"Sheet -/8: 4 parcel(s) leave the live map (kept in the history): "
            f"{', '.join(leaving)}.") in dialog.import_summary.text()


def test_a_building_where_the_map_has_no_parcel_is_listed(dialog, opened, tmp_path, qtbot):
    """Issue 14 review, 14a: a 4 m x 4 m building centred on DT455 at 3 km, where the imported
    sheet 30 has no parcel (four parcels around it, none nearer than 8 m along x and y): its
    corners lie at most 2.83 m from the centre-line, inside the road land (5.5 m): one row,
    16 m², *no parcel*. Second review, E: a building at 6 km, where no sheet is imported, is
    no encroachment but counted in the summary (no cadastral map here)."""
    db = open_database(opened)
    try:
        route = next(r for r in db.fetch("route") if r["code"] == "DT455")
        assert not [r for r in db.fetch("cadastral_parcel")
                    if r["geom"].distance(route["geom"]) < 20]
    finally:
        db.close()
    p = route["geom"].geoms[0].interpolate(3000.0)
    sheet = gpd.GeoDataFrame(
        [{"SoTo": "30", "SoThua": str(k + 1), "DienTich": 484.0, "LoaiDat": "LUC",
          "geometry": box(p.x + sx * 8, p.y + sy * 8, p.x + sx * 30, p.y + sy * 30)}
         for k, (sx, sy) in enumerate(((1, 1), (-1, 1), (-1, -1), (1, -1)))], crs=9209)
    dialog.file.setFilePath(str(write(sheet, tmp_path / "to30.gpkg")))
    click(qtbot, dialog, dialog.import_button)
    assert dialog.last_import.inserted == 4
    q = route["geom"].geoms[0].interpolate(6000.0)
    houses = gpd.GeoDataFrame(geometry=[box(p.x - 2, p.y - 2, p.x + 2, p.y + 2),
                                        box(q.x - 2, q.y - 2, q.x + 2, q.y + 2)], crs=9209)
    dialog.tabs.setCurrentIndex(OVERLAY_TAB)
    tick(dialog, "DT455")
    dialog.set_buildings_file(str(write(houses, tmp_path / "nha.gpkg")))
    click(qtbot, dialog, dialog.overlay_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    table = dialog.encroachment_table
    rows = list(zip(column(table, 0), column(table, 1), column(table, 2), column(table, 3),
                    column(table, 4)))
    assert rows == [("DT455", "road land", "no parcel", "building", "16.0")]
    assert dialog.last_overlay.unmapped_buildings == 1
    (code, _, [where]), = dialog.last_overlay.unmapped  # its Km range, shown in the summary
    assert code == "DT455" and where.startswith("Km")
    assert (f"<br>Route DT455: 1 building(s) in the corridors beyond the imported parcels "
            f"({where}): not checked against parcels.") in \
        dialog.overlay_summary.text()


def test_the_summary_shows_the_gaps_and_the_buildings_beyond_the_map(opened, qtbot, tmp_path):
    """The overlay's notes reach the dialog's summary, translated: a
    route of two parts (DT455's first and third kilometres as DH99: no corridor across the
    gap) and a building beside its second part where no sheet is imported (its Km range)."""
    from shapely.geometry import MultiLineString
    from shapely.ops import substring

    db = open_database(opened)
    try:
        line = next(r for r in db.fetch("route") if r["code"] == "DT455")["geom"].geoms[0]
        with db.transaction():
            db.insert("route", [{"code": "DH99", "name": "DH99", "route_class": "DH",
                                 "road_grade": "IV", "start_m": 0.0, "geom": MultiLineString(
                                     [substring(line, 0, 1000), substring(line, 2000, 3000)])}])
    finally:
        db.close()
    q = line.interpolate(2500.0)
    houses = write(gpd.GeoDataFrame(geometry=[box(q.x - 2, q.y - 2, q.x + 2, q.y + 2)],
                                    crs=9209), tmp_path / "nha.gpkg")
    dlg = CadastreDialog(None, QgsProject.instance())
    qtbot.addWidget(dlg)
    dlg.resize(*DEFAULT_SIZE)
    dlg.show()
    try:
        dlg.tabs.setCurrentIndex(OVERLAY_TAB)
        tick(dlg, "DH99")
        dlg.set_buildings_file(str(houses))
        click(qtbot, dlg, dlg.overlay_button)
        assert dlg.message is None, dlg.message and dlg.message.text()
        (code, length, km_from, km_to), = dlg.last_overlay.gaps
        (_, count, [where]), = dlg.last_overlay.unmapped
        text = dlg.overlay_summary.text()
        assert (f"<br>Route DH99: no corridor across the {length:,.1f} m gap between its "
                f"parts, {km_from}-{km_to}.") in text
        assert (f"<br>Route DH99: 1 building(s) in the corridors beyond the imported parcels "
                f"({where}): not checked against parcels.") in text
        assert text.endswith("<br>Corridor widths: profile thai_binh, Decree 11/2010/ND-CP as "
                             "amended by Decree 100/2013/ND-CP (not verified against Decree "
                             "165/2024/ND-CP under the Road Law 2024).")  # from the profile
        shots = Path("/tmp/ri/shots/fix14h")
        shots.mkdir(parents=True, exist_ok=True)
        assert dlg.grab().save(str(shots / "cadastre_overlay_notes.png"))
    finally:
        dlg.cancel()
        qtbot.waitUntil(lambda: dlg.task is None, timeout=60000)
        dlg.close()


def test_a_file_pull_of_part_of_a_sheet_needs_whole_sheets(dialog, opened, tmp_path, qtbot):
    """Issue 14, second review, C: an export holding 2 of the 6 parcels of sheet 8 as a
    newer edition is refused by the pull (nothing written); *Whole sheets* on the Pull tab
    lets it replace the sheet."""
    parcels = in_province_parcels(opened)
    dialog.file.setFilePath(str(write(parcels, tmp_path / "to8.gpkg")))
    dialog.edition.setText("2024-01-01")
    click(qtbot, dialog, dialog.import_button)
    dialog.tabs.setCurrentIndex(PULL_TAB)
    dialog.pull_kind.setCurrentIndex(dialog.pull_kind.findData("file"))
    part = write(parcels.iloc[:2].assign(NgayCapNhat="2025-06-01"), tmp_path / "part.gpkg")
    dialog.pull_file.setFilePath(str(part))
    before = database_info(opened)
    click(qtbot, dialog, dialog.pull_button)
    text = dialog.message.text()
    assert "sheet -/8: the new edition 2025-06-01 holds 2 parcel(s), the stored edition " \
           "2024-01-01 holds 6" in text and "Whole sheets" in text
    dialog.message.close()
    dialog.message = None
    assert database_info(opened) == before
    assert dialog.pull_whole_sheet.isVisible() and not dialog.pull_whole_sheet.isChecked()
    dialog.pull_whole_sheet.setChecked(True)
    click(qtbot, dialog, dialog.pull_button)
    assert dialog.message is None, dialog.message and dialog.message.text()
    assert pulled(dialog)["-/8"] == ("2025-06-01",
                                     "replaced (old edition kept in the history)", "2")
    # The 4 stored parcels the 2 leave bare are named, as on the Import tab
    assert ("<br>Sheet -/8: 4 parcel(s) leave the live map (kept in the history): parcel 3 "
            "(ONT, 100 m², 100% uncovered), parcel 4 (ONT, 100 m², 100% uncovered), parcel 5 "
            "(ONT, 100 m², 100% uncovered), parcel 6 (ONT, 100 m², 100% uncovered).") in \
        dialog.pull_summary.text()


def test_a_layer_crs_set_against_the_files_own_is_refused_in_qgis_terms(dialog, opened,
                                                                        tmp_path, qtbot):
    """The parcels' file declares EPSG:9209, rightly; the user set the layer's
    CRS to EPSG:9210 (Set Layer CRS): refused naming the layer's CRS and the file's, with
    QGIS's way back, never the CLI's options; nothing written."""
    from qgis.core import QgsCoordinateReferenceSystem

    from tests.support.cadastre_files import truth

    layer = QgsVectorLayer(str(write(truth(), tmp_path / "ok9209.gpkg")), "ok", "ogr")
    layer.setCrs(QgsCoordinateReferenceSystem("EPSG:9210"))
    QgsProject.instance().addMapLayer(layer)
    dialog.from_layer.setChecked(True)
    dialog.layer.setLayer(layer)
    dialog.tabs.setCurrentIndex(2)
    before = database_info(opened)
    click(qtbot, dialog, dialog.import_button)
    text = dialog.message.text()
    assert ("ok9209.gpkg: the CRS set on the layer (EPSG:9210 VN-2000 / TM-3 105-45) "
            "disagrees with the file's own declared CRS, EPSG:9209 VN-2000 / TM-3 105-30, "
            "which the coordinates fit: set the layer's CRS back to the file's own") in text
    assert "--" not in text and database_info(opened) == before
    dialog.message.close()
    dialog.message = None


def test_a_wrong_crs_chosen_for_a_file_without_one_is_refused_in_the_dialogs_terms(
        dialog, opened, tmp_path, qtbot):
    """A Shapefile in the provincial grid without its .prj, EPSG:9210 chosen
    in the Import tab's CRS box: refused naming the box (not --crs, nor --trust-crs, which
    the Import tab does not have); nothing written."""
    from qgis.core import QgsCoordinateReferenceSystem

    from tests.support.cadastre_files import grid_parcels

    path = write(grid_parcels(columns=3, rows=1), tmp_path / "noprj.shp")
    path.with_suffix(".prj").unlink()
    dialog.file.setFilePath(str(path))
    dialog.crs.setCrs(QgsCoordinateReferenceSystem("EPSG:9210"))
    dialog.tabs.setCurrentIndex(2)
    before = database_info(opened)
    click(qtbot, dialog, dialog.import_button)
    text = dialog.message.text()
    assert ("noprj.shp: the CRS chosen in 'CRS' (EPSG:9210 VN-2000 / TM-3 105-45) is wrong: "
            "the file declares none, and its coordinates fit EPSG:9209 VN-2000 / TM-3 "
            "105-30: choose EPSG:9209 in 'CRS'; nothing was imported") \
        in text
    assert "--" not in text and database_info(opened) == before
    dialog.message.close()
    dialog.message = None


def test_a_wrong_crs_chosen_where_several_fit_names_them_all_in_the_dialog(
        dialog, opened, tmp_path, qtbot):
    """A Shapefile in VN-2000 / UTM 48N (EPSG:3405) without its .prj, the grid EPSG:9209
    chosen: its coordinates fit WGS 84 / UTM 48N as well (about 224 m away), so every CRS
    is named, with no single one to choose; nothing written."""
    from qgis.core import QgsCoordinateReferenceSystem

    from tests.support.cadastre_files import grid_parcels

    path = write(grid_parcels(columns=3, rows=1).to_crs(3405), tmp_path / "utm.shp")
    path.with_suffix(".prj").unlink()
    dialog.file.setFilePath(str(path))
    dialog.crs.setCrs(QgsCoordinateReferenceSystem("EPSG:9209"))
    dialog.tabs.setCurrentIndex(2)
    before = database_info(opened)
    click(qtbot, dialog, dialog.import_button)
    text = dialog.message.text()
    assert ("utm.shp: the CRS chosen in 'CRS' (EPSG:9209 VN-2000 / TM-3 105-30) is wrong: "
            "the file declares none, and its coordinates fit each of EPSG:3405 VN-2000 / UTM "
            "zone 48N, ") in text
    assert "EPSG:32648 WGS 84 / UTM zone 48N" in text
    assert ("the coordinates cannot tell VN-2000 from WGS 84 (or one grid from another) apart "
            "there, so choose in 'CRS' the CRS the data was really made in") in text
    assert "choose EPSG" not in text and "--" not in text
    assert database_info(opened) == before
    dialog.message.close()
    dialog.message = None
