"""One sheet, one key in the live map (issue 14 review 14i, items 2, 3 and 13): all-digit
sheet and parcel numbers are keys without leading zeros (``07`` is sheet ``7``, ``05`` the
duplicate of parcel ``5``); a new sheet lying on the live parcels of a stored sheet under
another key (a source without a commune column) is refused, nothing written; a sheet
imported without an edition is stored undated, so that the department's dated edition
replaces it; a pull names the stored sheets the source no longer holds."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from roadinfra.core.cadastre.importer import import_parcels
from roadinfra.core.cadastre.mapping import load_mapping
from roadinfra.core.cadastre.quality import quality_report
from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.core.cadastre.remote import FileSource, pull_sheets
from roadinfra.core.cli import main
from roadinfra.core.db import open_database
from roadinfra.core.io.rows import RowErrorsError

from tests.support.cadastre_db import live_parcels, live_sheets, refused_unchanged
from tests.support.cadastre_files import grid_parcels, write


def _sheet(tmp_path, name, sheet="7", edition="2024-01-01", commune="13297", start=(0, 0),
           **changes):
    """Sheet ``sheet`` of ``commune`` (None: no commune column): 3 x 2 parcels of 20 m."""
    frame = grid_parcels(columns=3, rows=2, sheet=sheet, start=start)
    if commune is not None:
        frame["MaXa"] = commune
    if edition is not None:
        frame["NgayCapNhat"] = edition
    for column, values in changes.items():
        frame[column] = values
    return write(frame, tmp_path / name)


def test_a_zero_padded_sheet_number_is_the_same_sheet(tmp_path, tb_db):
    """Before: sheet 07 (2025) imported as new beside sheet 7 (2024), both live. Now the
    newer edition replaces the stored sheet 7."""
    import_parcels(tb_db, read_parcels(_sheet(tmp_path, "a.gpkg", "7")))
    result = import_parcels(tb_db, read_parcels(_sheet(tmp_path, "b.gpkg", "07",
                                                       "2025-01-01")))
    assert [(s.sheet_no, s.action, s.replaced) for s in result.sheets] == [
        ("7", "replaced", 6)]
    assert live_sheets(tb_db) == [("13297", "7", "2025-01-01")]


def test_a_sheet_stored_as_07_is_found_by_its_key(tmp_path, tb_db):
    """A database holding sheet ``07`` (imported before numbers were keys): the next edition
    of sheet 7 replaces it, and a pull finds it up to date."""
    frame = grid_parcels(columns=3, rows=2, sheet="07")
    with open_database(tb_db) as db, db.transaction():
        db.insert("cadastral_parcel", [{
            "parcel_no": r["SoThua"], "sheet_no": "07", "commune_code": "13297",
            "sheet_edition": "2024-01-01", "source": "old", "geom": r.geometry}
            for _, r in frame.iterrows()])
    same = _sheet(tmp_path, "same.gpkg", "7")
    pulled = pull_sheets(tb_db, FileSource(same, load_mapping("vn_cadastre")))
    assert pulled.fetched == [] and pulled.up_to_date == [("13297", "7")]
    result = import_parcels(tb_db, read_parcels(_sheet(tmp_path, "new.gpkg", "7",
                                                       "2025-01-01")))
    assert [(s.action, s.replaced) for s in result.sheets] == [("replaced", 6)]
    assert live_sheets(tb_db) == [("13297", "7", "2025-01-01")]


def test_padded_parcel_numbers_are_one_number(tmp_path):
    """Before: parcels 5 and 05 of one sheet gave duplicate 0. Now both are duplicates."""
    numbers = ["1", "2", "3", "4", "5", "05"]
    path = _sheet(tmp_path, "dup.gpkg", SoThua=numbers)
    report = quality_report(read_parcels(path))
    duplicates = report.issues[report.issues["kind"] == "duplicate"]
    assert sorted(duplicates["row"]) == [5, 6]


def test_a_sheet_without_its_commune_over_the_stored_sheet_is_refused(tmp_path, tb_db):
    """Before: the department's export without a commune column gave sheet -/7 beside the
    stored 13297/7, both live (overlay areas doubled). Now refused by the import (nothing
    written) and by a pull (that sheet alone, review 14o #1), naming both sheets. Sheet 8
    of the same export, on land of no stored sheet, is not named."""
    import_parcels(tb_db, read_parcels(_sheet(tmp_path, "a.gpkg", "7")))
    export = pd.concat([
        read_parcels(_sheet(tmp_path, "s7.gpkg", "7", "2025-01-01", commune=None)).frame,
        read_parcels(_sheet(tmp_path, "s8.gpkg", "8", "2025-01-01", commune=None,
                            start=(0, 200))).frame])
    path = write(export.drop(columns="row").rename(columns={
        "sheet_no": "SoTo", "parcel_no": "SoThua", "area_official_m2": "DienTich",
        "land_use": "LoaiDat", "owner": "ChuSuDung", "sheet_edition": "NgayCapNhat"}).drop(
        columns=["commune_code"]).set_crs(9209), tmp_path / "export.gpkg")
    expected = ("sheet -/7 (6 parcel(s)) lies on the stored sheet 13297/7 (edition "
                "2024-01-01, 6 live parcel(s)) for 6 parcel(s), 2400 m² (100% of its area): "
                "the same sheet under another key?")
    message = refused_unchanged(tb_db, lambda: import_parcels(tb_db, read_parcels(path)),
                                expected)
    assert "-/8" not in message
    pulled = pull_sheets(tb_db, FileSource(path, load_mapping("vn_cadastre")))
    assert [r.sheets for r in pulled.refused] == [["-/7"]]  # alone: sheet 8 imported
    assert pulled.refused[0].reason.startswith(expected)
    assert live_sheets(tb_db) == [("13297", "7", "2024-01-01"), (None, "8", "2025-01-01")]


def test_a_neighbouring_sheet_touching_the_stored_one_is_imported(tmp_path, tb_db):
    """Sheet 8 sharing an edge (and a 1 m overlap along it) with the stored sheet 7 is not
    the same land: imported."""
    import_parcels(tb_db, read_parcels(_sheet(tmp_path, "a.gpkg", "7")))
    result = import_parcels(tb_db, read_parcels(_sheet(tmp_path, "b.gpkg", "8",
                                                       start=(59, 0))))
    assert [(s.sheet_no, s.action) for s in result.sheets] == [("8", "new")]


def test_an_undated_sheet_is_stored_undated_and_a_dated_edition_replaces_it(
        tmp_path, tb_db, capsys):
    """Before: the undated file was stored with the import date as its edition, and the
    department's edition 2024-06-01 was "older", never taken (the changed land use missed).
    Now it is stored undated, the CLI says so, and the dated edition replaces it, by an
    import or a pull; the same undated file again is unchanged."""
    undated = _sheet(tmp_path, "drawing.gpkg", edition=None)
    assert main(["cadastre", "import", str(undated), str(tb_db)]) == 0
    out = capsys.readouterr().out
    assert "sheet 13297/7 edition undated: new, 6 parcel(s)" in out
    assert "1 sheet(s) stored undated (no edition in the file nor --edition): 13297/7" in out
    assert live_sheets(tb_db) == [("13297", "7", None)]
    again = import_parcels(tb_db, read_parcels(undated))
    assert [(s.action, s.edition) for s in again.sheets] == [("unchanged", None)]

    uses = ["ONT", "LUC", "LUC", "ONT", "CLN", "LUC"]
    dated = _sheet(tmp_path, "dept.gpkg", edition="2024-06-01", LoaiDat=uses)
    assert main(["cadastre", "pull", str(tb_db), "--file", str(dated), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["sheets_fetched"] == ["13297/7"] and info["stored_undated"] == ["13297/7"]
    assert info["import"]["sheets"][0]["action"] == "replaced"
    assert live_sheets(tb_db) == [("13297", "7", "2024-06-01")]
    assert "CLN" in {r["land_use"] for r in live_parcels(tb_db)}


def test_an_undated_sheet_is_replaced_by_a_dated_import(tmp_path, tb_db, capsys):
    import_parcels(tb_db, read_parcels(_sheet(tmp_path, "drawing.gpkg", edition=None)))
    dated = _sheet(tmp_path, "dept.gpkg", edition="2020-01-01")
    assert main(["cadastre", "import", str(dated), str(tb_db)]) == 0
    assert "sheet 13297/7 edition 2020-01-01 (was undated): replaced, 6 parcel(s)" in \
        capsys.readouterr().out


def test_a_pull_names_the_stored_sheets_the_source_no_longer_holds(tmp_path, tb_db, capsys):
    """Sheets 7 and 8 of commune 13297 stored, 5 of commune 13300; the department's export
    of commune 13297 holds sheet 7 only: sheet 8 is named (kept), 13300/5 is not (a commune
    the source does not hold)."""
    for name, sheet, commune, start in (("a.gpkg", "7", "13297", (0, 0)),
                                        ("b.gpkg", "8", "13297", (0, 200)),
                                        ("c.gpkg", "5", "13300", (0, 400))):
        import_parcels(tb_db, read_parcels(_sheet(tmp_path, name, sheet, commune=commune,
                                                  start=start)))
    export = _sheet(tmp_path, "export.gpkg", "7", "2025-01-01")
    assert main(["cadastre", "pull", str(tb_db), "--file", str(export)]) == 0
    out = capsys.readouterr().out
    assert "1 stored sheet(s) the source no longer holds (13297/8): kept in the database" \
        in out
    assert "13300" not in out
    assert ("13297", "8", "2024-01-01") in live_sheets(tb_db)


def test_a_neighbouring_communes_edge_parcel_is_an_overlap_not_a_refusal(tmp_path, tb_db):
    """Issue 14 review 14k, item 1: commune 13300's sheet 3 whose first column covers 12 of
    the 20 m of the stored 13297/7's last column (two communes surveyed separately) was
    refused whole. Now imported, the two edge parcels reported as overlaps naming both
    parcels; the same sheet drawn under another key (most of it on the stored sheet) is
    still refused."""
    import_parcels(tb_db, read_parcels(_sheet(tmp_path, "a.gpkg", "7")))
    neighbour = _sheet(tmp_path, "b.gpkg", "3", commune="13300", start=(48, 0))
    result = import_parcels(tb_db, read_parcels(neighbour))
    assert [(s.commune_code, s.sheet_no, s.action) for s in result.sheets] == [
        ("13300", "3", "new")]
    overlaps = result.quality.issues[result.quality.issues["kind"] == "overlap"]
    assert sorted(zip(overlaps["parcel_no"], overlaps["other"])) == [
        ("1", "13297/7/3"), ("4", "13297/7/6")]
    assert all("of the stored sheet 13297/7 by 240.0 m²" in m for m in overlaps["message"])
    assert result.quality.summary()["findings"]["overlap"] == 2
    assert live_sheets(tb_db) == [("13297", "7", "2024-01-01"), ("13300", "3", "2024-01-01")]
    shifted = _sheet(tmp_path, "c.gpkg", "9", commune="13300", start=(8, 0))
    refused_unchanged(tb_db, lambda: import_parcels(tb_db, read_parcels(shifted)),
                      "sheet 13300/9 (6 parcel(s)) lies on the stored sheet 13297/7")


def test_a_sheet_stored_twice_is_replaced_whole_by_its_next_edition(tmp_path, tb_db):
    """Issue 14 review 14k, item 8: a database left with sheet 7 live twice, as 7 (2024)
    and 07 (2025), refused the 2026 edition as "a selection or part of a sheet" (10
    parcels against 20). Now each spelling is compared on its own and both are replaced;
    the result names them."""
    frame = grid_parcels(columns=3, rows=2, sheet="7")
    with open_database(tb_db) as db, db.transaction():
        for sheet, edition in (("7", "2024-01-01"), ("07", "2025-01-01")):
            db.insert("cadastral_parcel", [{
                "parcel_no": r["SoThua"], "sheet_no": sheet, "commune_code": "13297",
                "sheet_edition": edition, "source": "old", "geom": r.geometry}
                for _, r in frame.iterrows()])
    result = import_parcels(tb_db, read_parcels(_sheet(tmp_path, "new.gpkg", "7",
                                                       "2026-01-01")))
    assert [(s.sheet_no, s.action, s.replaced, s.previous_edition, s.stored_as)
            for s in result.sheets] == [("7", "replaced", 12, "2025-01-01", ["07", "7"])]
    assert live_sheets(tb_db) == [("13297", "7", "2026-01-01")]


def test_a_part_of_a_sheet_stored_twice_is_refused_naming_both_spellings(tmp_path, tb_db):
    """The same database: a 2026 edition holding 3 of the 6 parcels is still refused, and
    the refusal says the sheet is stored twice."""
    frame = grid_parcels(columns=3, rows=2, sheet="7")
    with open_database(tb_db) as db, db.transaction():
        for sheet, edition in (("7", "2024-01-01"), ("07", "2025-01-01")):
            db.insert("cadastral_parcel", [{
                "parcel_no": r["SoThua"], "sheet_no": sheet, "commune_code": "13297",
                "sheet_edition": edition, "source": "old", "geom": r.geometry}
                for _, r in frame.iterrows()])
    half = write(grid_parcels(columns=3, rows=1, sheet="7").assign(
        MaXa="13297", NgayCapNhat="2026-01-01"), tmp_path / "half.gpkg")
    refused_unchanged(tb_db, lambda: import_parcels(tb_db, read_parcels(half)),
                      "holds 3 parcel(s)", "the sheet is stored twice, as 07 and 7")


def test_check_counts_sheets_as_the_import_keys_them(tmp_path):
    """Issue 14 review 14k, item 6: one file with sheet 07 (3 parcels) and sheet 7 (3
    others) was two sheets for the check, one for the import."""
    from roadinfra.core.cadastre.check import check_parcels

    path = _sheet(tmp_path, "mixed.gpkg", "7", SoTo=["07", "07", "07", "7", "7", "7"])
    assert check_parcels(read_parcels(path)).summary()["sheets"] == ["13297/7"]


def test_a_sheet_number_of_5000_digits_is_a_key_and_a_row_error(tmp_path, tb_db):
    """Issue 14 review 14k, item 5: number_key used int(), which Python refuses over 4,300
    digits (a pull listing a remote source crashed). Now the key is the text without its
    leading zeros, and the row is refused naming row and field, as from a file."""
    from roadinfra.core.cadastre.numbers import number_key

    assert number_key("0" * 4999 + "7") == "7"
    assert number_key("1" * 5000) == "1" * 5000
    assert number_key("000") == "0" and number_key("07.00") == "7"
    path = _sheet(tmp_path, "long.gpkg", "7", SoTo=["0" * 4999 + "7"] + ["7"] * 5)
    with pytest.raises(RowErrorsError) as caught:
        pull_sheets(tb_db, FileSource(path, load_mapping("vn_cadastre")))
    assert "row 1, field 'SoTo'" in str(caught.value)
    assert "5000 characters long" in str(caught.value)
