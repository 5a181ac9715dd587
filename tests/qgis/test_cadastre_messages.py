"""The cadastral results' sentences in the plugin: the parcels
leaving the live map named in the UI's language and number format, on an import and a pull
(dialog and Processing alike), and the overlay's notes in Processing as in the dialog,
buildings partly beyond the map said to be partly beyond."""

from __future__ import annotations

import geopandas as gpd
import pytest
from qgis.core import QgsProcessingFeedback
from roadinfra.core.cadastre.importer import LeavingParcel, SheetResult, import_parcels
from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.plugin.cadastre.messages import leaving_lines
from roadinfra.plugin.i18n import install_translator, remove_translator
from shapely.geometry import box

from tests.support.cadastre_db import parcel_row, route_database
from tests.support.cadastre_files import origin, write
from tests.support.cadastre_qgis import run


class Warnings(QgsProcessingFeedback):
    """A feedback that keeps the warnings an algorithm pushes."""

    def __init__(self):
        super().__init__()
        self.warnings: list[str] = []

    def pushWarning(self, text):  # noqa: N802 - QGIS's name
        self.warnings.append(text)
        super().pushWarning(text)


@pytest.fixture
def vietnamese(language):
    language("vi")
    translator = install_translator("vi")
    yield
    if translator is not None:
        remove_translator(translator)


def test_leaving_parcels_are_named_in_vietnamese(qgis_app, vietnamese):
    """Parcel 5 (LUC, 1610.4 m², wholly uncovered) in Vietnamese, its area in
    the Vietnamese number format (1.610, not 1610)."""
    sheet = SheetResult("13297", "7", "2027-01-01", "replaced", 4, 5,
                        leaving=[LeavingParcel("5", "LUC", 1610.4, 1.0),
                                 LeavingParcel("6", None, 80.2, 0.875)])
    assert leaving_lines([sheet], "vi") == [
        "Tờ 13297/7: 2 thửa rời khỏi bản đồ hiện hành (giữ trong lịch sử): thửa 5 (LUC, "
        "1.610 m², 100% diện tích không còn được phủ), thửa 6 (80 m², 88% diện tích không "
        "còn được phủ)."]
    assert LeavingParcel("5", "LUC", 1610.4, 1.0).text() == \
        "parcel 5 (LUC, 1610 m², 100% uncovered)"  # the CLI's


def test_a_sheet_stored_twice_is_named_in_vietnamese(qgis_app, vietnamese):
    """Issue 14 review 14m #6: a sheet stored twice (7 and 07) is named in the dialog and
    Processing, replaced or kept."""
    replaced = SheetResult("13297", "7", "2025-01-01", "replaced", 10, 20,
                           previous_edition="2025-01-01", stored_as=["07", "7"],
                           stored_editions=["2025-01-01", "2024-01-01"])
    kept = SheetResult("13297", "7", "2025-01-01", "older", 0, 0,
                       previous_edition="2026-01-01", stored_as=["07", "7"],
                       stored_editions=["2026-01-01", None])
    assert leaving_lines([replaced, kept], "vi") == [
        "Tờ 13297/7 đã được lưu hai lần, là 07 (2025-01-01), 7 (2024-01-01): cả hai đã được "
        "thay thế.",
        "Tờ 13297/7 đang được lưu hai lần, là 07 (2026-01-01), 7 (không ghi ngày): cả hai được "
        "giữ lại, vì lần xuất bản 2025-01-01 cũ hơn 2026-01-01; hãy nhập lại lần xuất bản mới "
        "nhất để thay thế cả hai."]


@pytest.fixture
def road(tmp_path):
    """DH99 (grade IV: road land 5.5 m, safety corridor 14.5 m) 2 km east of the origin,
    sheet 7's parcels north of it from 6 m, Km0+100-Km0+520."""
    db = route_database(tmp_path, [[(0, 0), (2000, 0)]])
    path = write(gpd.GeoDataFrame(parcel_row("7", 100, 520, 6), crs=9209),
                 tmp_path / "sheet7.gpkg")
    import_parcels(db, read_parcels(path, "vn_cadastre"), edition="2025-01-01")
    return db


def test_processing_pull_warns_of_the_parcels_leaving(roadinfra_provider, road, tmp_path):
    """The department's file holds sheet 7 (edition 2026-01-01) without
    parcels 20 and 21 (Km0+480-Km0+520); Whole sheets ticked: the pull warns that the two
    leave the live map, as the import does."""
    newer = [dict(r, NgayCapNhat="2026-01-01") for r in parcel_row("7", 100, 480, 6)]
    path = write(gpd.GeoDataFrame(newer, crs=9209), tmp_path / "dept.gpkg")
    feedback = Warnings()
    result = run("cadastre_pull", {"DATABASE": str(road), "FILE": str(path),
                                   "WHOLE_SHEET": True}, feedback=feedback)
    assert (result["IMPORTED"], result["REPLACED"]) == (19, 21)
    assert feedback.warnings == [
        "Sheet -/7: 2 parcel(s) leave the live map (kept in the history): parcel 20 (LUC, "
        "400 m², 100% uncovered), parcel 21 (LUC, 400 m², 100% uncovered)."]


def test_processing_pull_names_the_refused_sheet_and_imports_the_rest(roadinfra_provider,
                                                                      road, tmp_path):
    """Issue 14 review 14o #1: sheet 7's land re-keyed 17 beside a new sheet 8: 17 is
    refused alone (a warning and the REFUSED output), 8 imported, 7 left as it was."""
    rekeyed = [dict(r, SoTo="17", NgayCapNhat="2026-01-01")
               for r in parcel_row("7", 100, 520, 6)]
    eight = [dict(r, SoTo="8", NgayCapNhat="2026-01-01") for r in parcel_row("8", 600, 700, 6)]
    path = write(gpd.GeoDataFrame(rekeyed + eight, crs=9209), tmp_path / "dept.gpkg")
    feedback = Warnings()
    result = run("cadastre_pull", {"DATABASE": str(road), "FILE": str(path)},
                 feedback=feedback)
    assert (result["REFUSED"], result["IMPORTED"], result["REPLACED"]) == ("-/17", 5, 0)
    assert feedback.warnings[0] == ("Stored sheets the source no longer holds (kept in the "
                                    "database): -/7")
    assert len(feedback.warnings) == 2 and feedback.warnings[1].startswith(
        "Refused, not imported (the stored sheets left as they were; the other sheets were "
        "pulled): -/17. sheet -/17 (21 parcel(s)) lies on the stored sheet -/7")


def test_processing_overlay_notes_are_the_dialogs_in_vietnamese(roadinfra_provider, road,
                                                                tmp_path, vietnamese):
    """A house at Km1+500 (no sheet there: wholly beyond) and one
    across the centre-line at Km0+200-Km0+210, 4 m south to 10 m north (10 x 4 = 40 m²
    south of the centre-line, beyond the map; the rest checked): the warnings are the
    dialog's Vietnamese sentences."""
    x, y = origin()
    houses = write(gpd.GeoDataFrame({"geometry": [box(x + 1500, y + 6, x + 1506, y + 12),
                                                  box(x + 200, y - 4, x + 210, y + 10)]},
                                    crs=9209), tmp_path / "nha.gpkg")
    feedback = Warnings()
    run("cadastre_overlay", {"DATABASE": str(road), "ROUTES": "DH99", "BUILDINGS": str(houses),
                             **{k: "TEMPORARY_OUTPUT" for k in (
                                 "CORRIDORS", "CORRIDOR_PARCELS", "ENCROACHMENT",
                                 "ACQUISITION")}}, feedback=feedback)
    assert feedback.warnings == [
        "Tuyến DH99: 1 công trình trong hành lang nằm ngoài các thửa đã nhập "
        "(Km1+500-Km1+506): chưa được đối chiếu với thửa đất.",
        "Tuyến DH99: 1 công trình trong hành lang nằm một phần ngoài các thửa đã nhập, "
        "40,0 m² ở ngoài (Km0+200-Km0+210): các phần đó chưa được đối chiếu với thửa đất."]


def test_a_widening_beyond_the_map_is_warned_and_kept_in_the_workbook(roadinfra_provider,
                                                                      road, tmp_path,
                                                                      vietnamese):
    """A 20 m widening over Km1+500-Km1+600, where no sheet is imported (road land 11 m):
    not "takes no parcel" but its 100 x 9 m beyond the imported parcels, warned in
    Vietnamese and written on the workbook's notes sheet after the regulation."""
    import openpyxl

    feedback = Warnings()
    book = tmp_path / "o.xlsx"
    run("cadastre_overlay", {"DATABASE": str(road), "ROUTES": "DH99",
                             "WIDENINGS": "DH99:1500-1600:20", "XLSX": str(book),
                             **{k: "TEMPORARY_OUTPUT" for k in (
                                 "CORRIDORS", "CORRIDOR_PARCELS", "ENCROACHMENT",
                                 "ACQUISITION")}}, feedback=feedback)
    note = ("Mở rộng DH99 Km1+500-Km1+600 20 m: 900,0 m² phạm vi mở rộng nằm ngoài các thửa "
            "đã nhập (Km1+500-Km1+600), ngoài đất của đường bộ: chưa được đối chiếu; hãy nhập "
            "các tờ bản đồ đó.")
    assert feedback.warnings == [note]
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(book)["notes"].iter_rows()]
    assert rows[0] == ["Ghi chú"] and rows[1][0].startswith("Bề rộng hành lang: hồ sơ ")
    assert rows[2:] == [[note]]


def test_processing_overlay_repairs_a_bow_tie_building_layer(roadinfra_provider, road,
                                                             tmp_path, vietnamese):
    """An open buildings layer: row 1 a house, row 2 a self-intersecting footprint (a
    bow-tie, Km0+300-310, 7..13 m north, edges crossing at Km0+305): repaired, overlaid (two
    triangles of 6 x 5 / 2 = 15 m² in the safety corridor) and its row named in Vietnamese
    (it used to crash the overlay)."""
    from qgis.core import QgsProject, QgsVectorLayer
    from shapely.geometry import Polygon

    x, y = origin()
    bow = Polygon([(x + 300, y + 7), (x + 310, y + 13), (x + 310, y + 7), (x + 300, y + 13)])
    path = write(gpd.GeoDataFrame({"geometry": [box(x + 200, y + 7, x + 210, y + 13), bow]},
                                  crs=9209), tmp_path / "nha.gpkg")
    layer = QgsVectorLayer(str(path), "nha", "ogr")
    QgsProject.instance().addMapLayer(layer)
    try:
        feedback = Warnings()
        result = run("cadastre_overlay", {
            "DATABASE": str(road), "ROUTES": "DH99", "BUILDINGS": layer,
            **{k: "TEMPORARY_OUTPUT" for k in ("CORRIDORS", "CORRIDOR_PARCELS", "ENCROACHMENT",
                                               "ACQUISITION")}}, feedback=feedback)
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    assert len(feedback.warnings) == 1 and feedback.warnings[0].startswith(
        "Đã sửa 1 đường bao công trình không hợp lệ: dòng 2 (Self-intersection[")
    enc = result["ENCROACHMENT"]
    enc = enc if hasattr(enc, "getFeatures") else QgsProject.instance().mapLayer(enc)
    areas = sorted(round(f.geometry().area(), 2) for f in enc.getFeatures()
                   if f["reason"] == "building")
    assert round(sum(areas), 2) == 60.0 + 30.0


def test_a_dissolved_buildings_footprint_is_noted(qgis_app):
    """A footprint of several polygons (a dissolved layer): each polygon a building, and the
    note names its row, in the dialog's and Processing's words."""
    from roadinfra.core.cadastre.overlay import OverlayResult
    from roadinfra.plugin.cadastre.messages import overlay_notes

    empty = gpd.GeoDataFrame(geometry=[], crs=9209)
    result = OverlayResult(empty, empty, empty, empty, split=[3])
    assert overlay_notes(result, "en") == [
        "1 building footprint(s) of several polygons, each polygon taken as a building: "
        "row(s) 3."]


def test_drawing_footprints_merged_joined_or_kept_are_noted(qgis_app, vietnamese):
    """A hatch merged into its house, loose lines joined into outlines (a wall shared by two
    faces counted once), an outline on a frame CAD layer left out, and the outlines read one
    way where the drawing could mean another (a stair well merged, a lot wall left out),
    each with the other reading: each noted with its rows, in Vietnamese."""
    from roadinfra.core.cadastre.overlay import OverlayResult
    from roadinfra.plugin.cadastre.messages import overlay_notes

    empty = gpd.GeoDataFrame(geometry=[], crs=9209)
    result = OverlayResult(empty, empty, empty, empty, frames=[7, 11], same=[(1, 2), (12, 13)],
                           joined=[[3, 4, 5, 6], [4, 8, 9, 10]], walls=[(16, [17, 18])],
                           readings=[("part", 12, 60.4, [(13, 3.0)]),
                                     ("enclosure", 11, 384.0, [(14, 201.3), (15, 20.0)])])
    assert overlay_notes(result, "vi") == [
        "1 đường bao của tệp nhà nằm trên lớp CAD khung được coi là khung bản vẽ, không phải "
        "công trình: dòng 7.",
        "1 hình công trình được tính là một công trình cùng một hình khác (mặt tô HATCH của "
        "nó, bản sao, hoặc cùng công trình đó vẽ lại: cách nó trong vòng 0,5 m, hoặc cùng cỡ "
        "và bị dời lệch khỏi nó nhưng vẫn phủ từ một nửa diện tích của nó trở lên): dòng 2 "
        "(trong "
        "dòng 1).",
        "1 đường bao chỉ chứa các hình dưới 25 m² được đọc là một công trình cùng các hình đó "
        "(giếng cầu thang, giếng trời): dòng 12 (60,4 m²) chứa dòng 13 (3,0 m²), nếu là đường "
        "bao ngoài: 1 công trình, 3,0 m². Để bản vẽ nói rõ: nếu đó là tường rào hay khung, đặt "
        "nó trên một lớp CAD riêng, không chọn lớp đó.",
        "1 đường bao được đọc là đường bao ngoài (tường rào, đường bao khối nhà, khung: bên "
        "trong có hình cỡ một ngôi nhà, có sân quanh một hình, hoặc rộng hơn 5.000 m²), bị bỏ "
        "qua, các hình bên trong là công trình: dòng 11 "
        "(384,0 m²) chứa các dòng 14, 15 (221,3 m²), nếu là một công trình: 384,0 m². Để bản "
        "vẽ nói rõ: nếu đó là một ngôi nhà, vẽ mặt tô bằng HATCH; đặt tường rào và khung trên "
        "một lớp CAD riêng, không chọn lớp đó.",
        "7 đoạn thẳng rời của bản vẽ nhà được nối thành 2 đường bao khép kín: dòng 3, 4, 5, 6; "
        "4, 8, 9, 10.",
        "2 đoạn thẳng rời của bản vẽ nhà cắt ngang 1 đường bao khép kín được coi là tường "
        "chung, mỗi phần một công trình: dòng 17, 18 cắt ngang dòng 16."]
    english = OverlayResult(empty, empty, empty, empty, frames=[7, 11], same=[(1, 2), (12, 13)],
                            readings=result.readings).notes
    assert english[2] == (
        "1 outline(s) holding only footprints under 25 m² read as one building with them (a "
        "stair well, a light well): row 12 (60.4 m²) holds row 13 (3.0 m²), as an enclosure, "
        "1 building(s) of 3.0 m². To say which, if one is a lot wall or a frame, put it on a "
        "CAD layer of its own, not named")


def test_drawing_notes_of_a_district_are_bounded_and_the_workbook_has_every_decision(
        qgis_app, vietnamese, tmp_path):
    """2,000 outlines joined from loose lines and 2,000 split by party walls (review 14u #3):
    each note lists the first 20, then how many more, so it fits the dialog and a workbook
    cell; the workbook written with the plugin's notes carries every decision on a sheet of
    its own, its headers and values in Vietnamese."""
    import pandas as pd
    from roadinfra.core.cadastre.outputs import DECISIONS_SHEET, write_tables
    from roadinfra.core.cadastre.overlay import OverlayResult
    from roadinfra.plugin.cadastre.messages import overlay_notes, workbook_notes

    empty = gpd.GeoDataFrame(geometry=[], crs=9209)
    joined = [[4 * n + 1, 4 * n + 2, 4 * n + 3, 4 * n + 4] for n in range(2000)]
    walls = [(8001 + 2 * n, [8002 + 2 * n]) for n in range(2000)]
    result = OverlayResult(empty, empty, empty, empty, joined=joined, walls=walls)
    notes = overlay_notes(result, "vi")
    assert len(notes) == 2 and max(len(n) for n in notes) < 2000
    assert notes[0].startswith("8000 đoạn thẳng rời của bản vẽ nhà được nối thành 2000 "
                               "đường bao khép kín: dòng 1, 2, 3, 4; 5, 6, 7, 8;")
    assert all(n.endswith("; và 1980 nhóm khác.") for n in notes)
    path = write_tables({"corridor_parcels": empty}, tmp_path / "overlay.xlsx", lang="vi",
                        notes=workbook_notes(result, "vi"),
                        extra={DECISIONS_SHEET: result.decisions})
    decisions = pd.read_excel(path, sheet_name=DECISIONS_SHEET)
    assert len(decisions) == 10000 and list(decisions.columns)[:3] == [
        "Cách đọc", "Dòng tệp", "Các dòng liên quan"]  # a row per line joined, per wall
    assert [str(r) for r in decisions["Các dòng liên quan"].iloc[7996:8000]] == [
        "7997", "7998", "7999", "8000"]
    assert decisions["Cách đọc"].iloc[8000] == "tường chung chia thành một công trình mỗi phần"


def test_a_house_built_out_past_its_lot_wall_is_noted_in_vietnamese(qgis_app, vietnamese):
    """Review 14y #3: the two outlines merged as one building moved off itself (a lot wall
    and the house built 1 m out past it toward the road) are named with their areas, the
    one charged (the house: more road land) and the other reading, in Vietnamese."""
    from roadinfra.core.cadastre.overlay import OverlayResult
    from roadinfra.plugin.cadastre.messages import overlay_notes

    empty = gpd.GeoDataFrame(geometry=[], crs=9209)
    result = OverlayResult(empty, empty, empty, empty,
                           moved=[("2", 322.0, 120.8, "1", 326.1, 100.6, True)])
    assert overlay_notes(result, "vi") == [
        "1 cặp đường bao cùng cỡ, đường này lệch khỏi đường kia đến 1,5 m, được tính là một "
        "công trình (đo lại, vẽ lệch khỏi chính nó), tính đường bao chiếm nhiều đất của đường "
        "bộ hơn (rồi nhiều đất hành lang hơn): dòng 2 (322,0 m², 120,8 m² trên đất của đường "
        "bộ) được tính, dòng 1 (326,1 m², 100,6 m² trên đất của đường bộ) không tính. Cách "
        "đọc khác: hai công trình (một nhà xây lấn ra ngoài tường rào hoặc công trình bao "
        "quanh nó), cả hai đều được tính. Để chỉ rõ, hãy xóa đường bao cũ, hoặc đặt tường rào "
        "trên một lớp CAD riêng, không chọn lớp đó."]
    assert result.notes[0].startswith(
        "1 pair(s) of outlines of a size, one moved up to 1.5 m off the other, counted as one "
        "building (a resurvey moved off itself), the one taking more road land (then more of "
        "the corridor) charged: row 2 (322.0 m², 120.8 m² on road land) charged, row 1 "
        "(326.1 m², 100.6 m² on road land) not. The other reading: two buildings")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_group_of_mixed_surveys_lists_its_rows_bounded(qgis_app, language, lang):
    """Review 14bb #2: the "surveys mixed" note lists a group's rows as the CLI does (12
    rows: all of them), a longer group its first 20 and how many more, with no "…" before
    the full stop."""
    from roadinfra.core.cadastre.overlay import OverlayResult
    from roadinfra.plugin.cadastre.messages import overlay_notes

    language(lang)
    translator = install_translator(lang) if lang == "vi" else None
    try:
        empty = gpd.GeoDataFrame(geometry=[], crs=9209)
        notes = overlay_notes(OverlayResult(empty, empty, empty, empty,
                                            unsplit=[list(range(1, 13)),
                                                     list(range(20, 45))]), lang)
    finally:
        if translator is not None:
            remove_translator(translator)
    [note] = notes
    assert "…" not in note and ".." not in note
    rows = ", ".join(str(r) for r in range(1, 13))
    first = ", ".join(str(r) for r in range(20, 40))
    if lang == "en":
        assert f"rows {rows}; {first} and 5 more. Check the drawing" in note
    else:
        assert f"các dòng {rows}; {first} và 5 dòng khác. Kiểm tra bản vẽ" in note


def test_a_pair_decided_by_a_house_drawn_once_is_noted_so_in_vietnamese(qgis_app, vietnamese):
    """Review 14cc #1: a pair whose other survey lies over a house drawn once (row 2) is
    noted with that reason, not as "more road land", which still notes the pair the key
    decided (rows 5, 6)."""
    from roadinfra.core.cadastre.overlay import OverlayResult
    from roadinfra.plugin.cadastre.messages import overlay_notes

    empty = gpd.GeoDataFrame(geometry=[], crs=9209)
    result = OverlayResult(empty, empty, empty, empty,
                           moved=[("1", 36.2, 15.1, "3", 36.2, 18.1, False),
                                  ("5", 36.2, 18.1, "6", 36.2, 15.1, False)],
                           lone=[([1, 3], True, [(3, 2)])])
    notes = overlay_notes(result, "vi")
    assert len(notes) == 2
    assert "dòng 5 (36,2 m², 18,1 m² trên đất của đường bộ) được tính" in notes[0]
    assert "dòng 1" not in notes[0]
    assert notes[1] == (
        "1 cặp đường bao cùng cỡ, đường này lệch khỏi đường kia đến 1,5 m, được tính là một "
        "công trình (đo lại, vẽ lệch khỏi chính nó), không tính lần đo nằm đè lên một công "
        "trình chỉ vẽ trong một lần đo, dù chiếm bao nhiêu đất: dòng 1 được tính, dòng 3 "
        "không tính (lần đo kia nằm đè lên dòng 2, chỉ vẽ trong một lần đo). Để chỉ rõ, hãy "
        "xóa các đường bao cũ.")
