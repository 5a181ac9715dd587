"""Workbook cells: control characters and non-characters written as escapes; a text too long
for a cell refused in every workbook writer, named by sheet, file row, parcel (or overlay
piece) and field with the file's column, nothing half-written."""

from __future__ import annotations

import json

import geopandas as gpd
import openpyxl
import pytest
from roadinfra.core.cadastre.outputs import write_tables
from roadinfra.core.cli import main
from roadinfra.core.io.spreadsheet import CellTextTooLongError
from shapely.geometry import box

from tests.support.cadastre_files import grid_parcels, truth, write


def test_control_characters_written_to_xlsx_as_escapes(tmp_path):
    frame = gpd.GeoDataFrame(
        {"owner": ["a\x01b\x1bc", "_x0041_ literal", "=HYPERLINK(1)"],
         "geometry": [box(0, 0, 1, 1)] * 3}, crs=9209)
    path = write_tables({"encroachment": frame}, tmp_path / "o.xlsx")
    sheet = openpyxl.load_workbook(path)["encroachment"]
    assert [c.value for c in sheet["A"]][1:] == [
        "a_x0001_b_x001B_c", "_x005F_x0041_ literal", "=HYPERLINK(1)"]
    assert sheet["A4"].data_type == "s"


def test_check_with_control_characters_writes_xlsx(tmp_path, capsys):
    """An owner holding a control character is written as an escape; a parcel number holding
    one is left out naming the row and the field, never written."""
    frame = grid_parcels(columns=3, rows=1)
    frame["SoThua"] = ["1", "1", "2\x01"]  # a duplicate number, and a control character
    frame["ChuSuDung"] = ["Hộ\x01A", "Hộ B", "Hộ C"]
    path = write(frame, tmp_path / "ctrl.gpkg")
    code = main(["cadastre", "check", str(path), "--json", "-o", str(tmp_path / "q.xlsx")])
    assert code == 0
    info = json.loads(capsys.readouterr().out)
    assert info["findings"]["duplicate"] == 2
    assert [(r["row"], r["field"]) for r in info["rows_rejected"]] == [(3, "SoThua")]
    assert "U+0001" in info["rows_rejected"][0]["message"]
    cells = [c.value for s in openpyxl.load_workbook(tmp_path / "q.xlsx") for r in s.rows
             for c in r]
    assert "Hộ_x0001_A" in cells and not any("\x01" in str(c) for c in cells)


def test_non_characters_written_to_xlsx_as_escapes(tmp_path):
    frame = gpd.GeoDataFrame({"owner": ["Hộ B\uffff", "x\ufffey"],
                              "geometry": [box(0, 0, 1, 1)] * 2}, crs=9209)
    path = write_tables({"encroachment": frame}, tmp_path / "o.xlsx")
    sheet = openpyxl.load_workbook(path)["encroachment"]
    assert [c.value for c in sheet["A"]][1:] == ["Hộ B_xFFFF_", "x_xFFFE_y"]


def test_check_of_non_characters_writes_a_workbook(tmp_path):
    frame = truth(count=3)
    frame["SoThua"] = ["1", "2\uffff", "2\uffff"]  # a duplicate: listed in the workbook
    path = frame.to_file(tmp_path / "nc.gpkg") or tmp_path / "nc.gpkg"
    assert main(["cadastre", "check", str(path), "-o", str(tmp_path / "q.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "q.xlsx").active.max_row == 3


def test_text_longer_than_a_cell_is_refused_naming_row_and_field(tmp_path):
    long = "Nguyễn " * 6000  # 42,000 characters
    frame = gpd.GeoDataFrame({"parcel_no": ["1", "2"], "owner": ["Hộ A", long],
                              "geometry": [box(0, 0, 1, 1)] * 2}, crs=9209)
    target = tmp_path / "o.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(CellTextTooLongError) as refused:
        write_tables({"encroachment": frame}, target)
    assert str(refused.value).startswith(f"{target}: sheet 'encroachment', parcel 2, field "
                                         "'owner': a text of 42,000 characters")
    assert target.read_bytes() == b"old"  # nothing half-written
    exact = frame.assign(owner=["a", "b" * 32767])
    written = openpyxl.load_workbook(write_tables({"t": exact}, tmp_path / "e.xlsx"))["t"]
    assert len(written["B3"].value) == 32767


def test_cli_check_of_a_too_long_number_leaves_the_rows_out(tmp_path, capsys):
    """A 40,000-character parcel number is no number: each row left out naming the row and
    the field, in one line each, before any workbook is written."""
    frame = truth(count=2)
    frame["SoThua"] = ["x" * 40000] * 2
    path = frame.to_file(tmp_path / "long.gpkg") or tmp_path / "long.gpkg"
    assert main(["cadastre", "check", str(path), "-o", str(tmp_path / "q.xlsx")]) == 0
    out = capsys.readouterr().out
    assert f"{path}, row 1, field 'SoThua': 'xxxxxxxxxxxxxxxxxxxx'... is 40000 characters" \
        in out and f"{path}, row 2, field 'SoThua'" in out
    assert max(len(line) for line in out.splitlines()) < 300
    assert "x" * 100 not in "".join(str(c.value) for s in openpyxl.load_workbook(
        tmp_path / "q.xlsx") for r in s.rows for c in r)


def test_every_too_long_cell_is_named_at_once_in_both_workbook_writers(tmp_path):
    from roadinfra.core.reports.tables import Column, ReportTable
    from roadinfra.core.reports.xlsx import write_xlsx

    frame = gpd.GeoDataFrame({"owner": ["y" * 40000, "a", "z" * 33000],
                              "geometry": [box(0, 0, 1, 1)] * 3}, crs=9209)
    with pytest.raises(CellTextTooLongError) as refused:
        write_tables({"parcels": frame, "more": frame}, tmp_path / "o.xlsx")
    assert str(refused.value).endswith(  # the records have no row or parcel: their place
        "(also sheet 'parcels', record 3, field 'owner'; sheet 'more', record 1, field "
        "'owner'; sheet 'more', record 3, field 'owner')")
    table = ReportTable("owners", "Chủ", "Owners", (Column("name", "Tên", "Name"),),
                        [{"name": "b"}, {"name": "n" * 40000}])
    target = tmp_path / "r.xlsx"
    with pytest.raises(CellTextTooLongError, match=rf"^--xlsx {target}: sheet 'owners', the row "
                       rf"of Tên '{'n' * 40}\.\.\.', field 'Tên': a text of 40,000 "
                       "characters"):
        write_xlsx([table], target)
    assert not target.exists()


def test_a_text_too_long_for_a_cell_is_named_by_its_file_row_and_parcel(tmp_path, capsys):
    """The owner of file row 5 (parcel 7/5) is too long for a workbook cell:
    the refusal names that row of the file read and the parcel, not a row of the workbook
    that was not written."""
    frame = truth(count=6)
    frame["ChuSuDung"] = ["Hộ A"] * 4 + ["x" * 40000, "Hộ B"]
    path = tmp_path / "owners.gpkg"
    frame.to_file(path)
    capsys.readouterr()
    assert main(["cadastre", "check", str(path), "-o", str(tmp_path / "q.xlsx")]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and not (tmp_path / "q.xlsx").exists()
    assert (f"q.xlsx: sheet 'parcels', row 5 of {path}, parcel 7/5, field 'owner' (column "
            "'ChuSuDung' of the source): a text of 40,000 characters") in err


def test_an_overlay_piece_too_long_for_a_cell_is_named_by_parcel_and_zone(tmp_path):
    pieces = gpd.GeoDataFrame({
        "route": ["QL10"] * 3, "zone": ["road_land", "road_land", "safety_corridor"],
        "commune_code": ["13297"] * 3, "sheet_no": ["99"] * 3, "parcel_no": ["4", "5", "5"],
        "owner": ["Hộ A", "y" * 40000, "y" * 40000], "geometry": [box(0, 0, 1, 1)] * 3},
        crs=9209)
    with pytest.raises(CellTextTooLongError) as refused:
        write_tables({"corridor_parcels": pieces}, tmp_path / "o.xlsx")
    assert str(refused.value).startswith(
        f"{tmp_path / 'o.xlsx'}: sheet 'corridor_parcels', parcel 13297/99/5, QL10 road_land, "
        "field 'owner': a text of 40,000 characters")
    assert str(refused.value).endswith("(also sheet 'corridor_parcels', parcel 13297/99/5, "
                                       "QL10 safety_corridor, field 'owner')")


def test_a_refused_workbook_cell_names_the_files_column(tmp_path, capsys):
    """The owner is read from the file's column ChuSuDung: the refusal names
    it beside the target field."""
    frame = truth(count=3)
    frame["ChuSuDung"] = ["Hộ A", "x" * 40000, "Hộ B"]
    path = tmp_path / "owners.gpkg"
    frame.to_file(path)
    capsys.readouterr()
    assert main(["cadastre", "check", str(path), "-o", str(tmp_path / "q.xlsx")]) == 2
    err = capsys.readouterr().err
    assert (f"sheet 'parcels', row 2 of {path}, parcel 7/2, field 'owner' (column "
            "'ChuSuDung' of the source): a text of 40,000 characters") in err
