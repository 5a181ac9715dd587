"""One land, one live sheet (issue 14 review 14m, items 1, 2, 6 and 7): sheets written together
are judged against each other as well as against the stored ones; a re-framed sheet against
the union of the live parcels under other keys; whole parcels drawn on two sheets are not an
edge disagreement; a sheet stored twice is decided per copy, in import and pull alike; the
sliver along the frame between a new sheet and a stored one is a gap."""

from __future__ import annotations

from roadinfra.core.cadastre.importer import import_parcels
from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.core.cadastre.remote import FileSource, pull_sheets
from roadinfra.core.cli import main
from roadinfra.core.db import open_database

from tests.support.cadastre_db import live_sheets, refused_unchanged
from tests.support.cadastre_files import commune_sheet, frames_file, grid_parcels


def test_one_file_holding_a_sheet_under_two_keys_is_refused(tmp_path, tb_db, capsys):
    """Review 14m #1: sheet 13297/7 and the same 6 parcels as 13300/3 (two communes'
    exports of a merged commune joined) in one file were both written, doubling the land.
    Now refused naming both keys, once, nothing written; a pull of the file refuses both
    sheets (review 14o #1: a pull refuses the doubled sheets alone) and writes nothing."""
    twice = frames_file(tmp_path, "twice.gpkg", commune_sheet("7"),
                        commune_sheet("3", commune="13300"))
    refused_unchanged(tb_db, lambda: import_parcels(tb_db, read_parcels(twice)),
                      "sheet 13297/7 (6 parcel(s)) lies on the sheet 13300/3 fetched with it "
                      "(edition 2024-01-01, 6 parcel(s)) for 6 parcel(s), 2400 m² (100% of "
                      "its area)", "keep one of them in the file; nothing was imported")
    assert main(["cadastre", "import", str(twice), str(tb_db)]) == 2
    assert capsys.readouterr().err.count("lies on") == 1
    pulled = pull_sheets(tb_db, FileSource(twice, "vn_cadastre"))
    assert [r.sheets for r in pulled.refused] == [["13297/7", "13300/3"]]
    assert "sheet 13297/7 (6 parcel(s)) lies on the sheet 13300/3 fetched with it" in \
        pulled.refused[0].reason
    assert live_sheets(tb_db) == []
    # without a commune: the rows of -/7 beside 13297/7 in one file
    blank = commune_sheet("7", commune=None)
    refused_unchanged(tb_db, lambda: import_parcels(tb_db, read_parcels(frames_file(
        tmp_path, "blank.gpkg", commune_sheet("7"), blank))), "sheet -/7 (6 parcel(s)) lies on the "
        "sheet 13297/7 fetched with it")


def test_neighbouring_sheets_in_one_file_are_imported(tmp_path, tb_db):
    """Sheets side by side in one file (7 and 8, a parcel column apart) are not doubles."""
    both = frames_file(tmp_path, "both.gpkg", commune_sheet("7"), commune_sheet("8", start=(60, 0)))
    result = import_parcels(tb_db, read_parcels(both))
    assert [(s.sheet_no, s.action) for s in result.sheets] == [("7", "new"), ("8", "new")]


def test_a_resheeted_map_over_two_stored_sheets_is_refused(tmp_path, tb_db):
    """Review 14m #2: stored 13297/7 (x 0-60 m) and 13297/8 (x 60-120 m); the new 13300/3
    (x 30-90 m, 3 rows: 6 of its 9 parcels, 67% of its area, on stored land) lies a third on
    each, so each stored sheet alone passed. Now judged against their union: refused, naming
    both stored sheets."""
    import_parcels(tb_db, read_parcels(frames_file(tmp_path, "a.gpkg", commune_sheet("7"),
                                                   commune_sheet("8", start=(60, 0)))))
    resheeted = frames_file(tmp_path, "new.gpkg",
                            commune_sheet("3", commune="13300", edition="2025-07-01",
                                          start=(30, 0), rows=3))
    refused_unchanged(tb_db, lambda: import_parcels(tb_db, read_parcels(resheeted)),
                      "sheet 13300/3 (9 parcel(s)) lies on the stored sheet 13297/7 (edition "
                      "2024-01-01, 6 live parcel(s)) for 2 parcel(s), 1200 m² and on the "
                      "stored sheet 13297/8 (edition 2024-01-01, 6 live parcel(s)) for 2 "
                      "parcel(s), 1200 m²: in all 6 parcel(s), 2400 m² (67% of its area)",
                      "delete their parcels first")
    assert live_sheets(tb_db) == [("13297", "7", "2024-01-01"), ("13297", "8", "2024-01-01")]


def test_a_stored_sheet_lying_under_sheets_written_together_is_refused(tmp_path, tb_db):
    """Stored 13297/7 (x 0-60 m, 6 parcels); a file with 13300/3 (x 30-90 m) and 13300/4
    (x -30-30 m), 3 rows each: each new sheet lies a third on the stored one, and the
    stored sheet lies wholly under the two."""
    import_parcels(tb_db, read_parcels(frames_file(tmp_path, "a.gpkg", commune_sheet("7"))))
    split = frames_file(tmp_path, "split.gpkg",
                  commune_sheet("3", commune="13300", start=(30, 0), rows=4),
                  commune_sheet("4", commune="13300", start=(-30, 0), rows=4))
    refused_unchanged(tb_db, lambda: import_parcels(tb_db, read_parcels(split)),
                      "the stored sheet 13297/7 (edition 2024-01-01, 6 live parcel(s)) lies "
                      "under the sheet(s) 13300/3, 13300/4 for 6 parcel(s), 2400 m² (100% of "
                      "its area)")


def test_a_parcel_drawn_whole_on_two_sheets_is_not_an_edge_disagreement(tmp_path, tb_db):
    """Review 14m #2: stored 13297/7; the neighbouring 13300/3 repeats its last column (2
    whole parcels of 6): imported, each reported as land drawn on both sheets."""
    import_parcels(tb_db, read_parcels(frames_file(tmp_path, "a.gpkg", commune_sheet("7"))))
    result = import_parcels(tb_db, read_parcels(frames_file(
        tmp_path, "b.gpkg", commune_sheet("3", commune="13300", start=(40, 0)))))
    overlaps = result.quality.issues[result.quality.issues["kind"] == "overlap"]
    assert list(overlaps["message"]) == [
        "overlaps parcel 3 of the stored sheet 13297/7 by 400.0 m² (100% of the smaller "
        "parcel: land drawn on both sheets)",
        "overlaps parcel 6 of the stored sheet 13297/7 by 400.0 m² (100% of the smaller "
        "parcel: land drawn on both sheets)"]


def _stored_twice(db_path, first="2024-01-01", second="2025-01-01"):
    """Sheet 13297/7 live twice, as 7 (``first``) and 07 (``second``), as versions before
    numbers were keys left it."""
    frame = grid_parcels(columns=3, rows=2, sheet="7")
    with open_database(db_path) as db, db.transaction():
        for sheet, edition in (("7", first), ("07", second)):
            db.insert("cadastral_parcel", [{
                "parcel_no": r["SoThua"], "sheet_no": sheet, "commune_code": "13297",
                "sheet_edition": edition, "source": "old", "geom": r.geometry}
                for _, r in frame.iterrows()])


def test_a_sheet_stored_twice_is_replaced_by_the_newest_copys_edition(tmp_path, tb_db,
                                                                       capsys):
    """Review 14m #6: stored as 7 (2024) and 07 (2025), the department's 2025 edition was
    "unchanged" (import) or "up to date" (pull), and the 2024 copy stayed live. Now both
    copies are replaced, and both faces say so."""
    edition = frames_file(tmp_path, "e.gpkg", commune_sheet("7", edition="2025-01-01"))
    _stored_twice(tb_db)
    result = import_parcels(tb_db, read_parcels(edition))
    assert [(s.action, s.replaced, s.stored_as, s.stored_editions) for s in result.sheets] == [
        ("replaced", 12, ["07", "7"], ["2025-01-01", "2024-01-01"])]
    assert live_sheets(tb_db) == [("13297", "7", "2025-01-01")]
    pulled = tmp_path / "pulled.gpkg"
    pulled.write_bytes(tb_db.read_bytes())
    with open_database(pulled) as db, db.transaction():
        for row in db.fetch("cadastral_parcel"):
            db.tombstone("cadastral_parcel", row["id"])
    _stored_twice(pulled)
    assert main(["cadastre", "pull", str(pulled), "--file", str(edition)]) == 0
    out = capsys.readouterr().out
    assert "1 fetched: 13297/7" in out
    assert ("sheet 13297/7 was stored twice, as 07 (2025-01-01) and 7 (2024-01-01): both "
            "replaced") in out
    assert live_sheets(pulled) == [("13297", "7", "2025-01-01")]


def test_a_sheet_stored_twice_is_named_when_the_source_is_older(tmp_path, tb_db, capsys):
    """Stored as 7 (2024) and 07 (2026); the source's 2025 edition is older than the newest
    copy: both kept, and the import and the pull say the sheet is stored twice."""
    _stored_twice(tb_db, second="2026-01-01")
    edition = frames_file(tmp_path, "e.gpkg", commune_sheet("7", edition="2025-01-01"))
    expected = ("sheet 13297/7 is stored twice, as 07 (2026-01-01) and 7 (2024-01-01): both "
                "kept, the edition 2025-01-01 being older than 2026-01-01")
    assert main(["cadastre", "import", str(edition), str(tb_db)]) == 0
    assert expected in capsys.readouterr().out
    assert main(["cadastre", "pull", str(tb_db), "--file", str(edition)]) == 0
    assert expected in capsys.readouterr().out
    assert live_sheets(tb_db) == [("13297", "07", "2026-01-01"), ("13297", "7", "2024-01-01")]


def test_the_sliver_between_a_new_sheet_and_a_stored_one_is_a_gap(tmp_path, tb_db):
    """Review 14m #7: stored 13297/7 (y 0-40 m), then 13297/8 from y 40.3 m: the 0.3 m strip
    along their frame was found in one file only. Now the import finds it against the stored
    sheet, naming both sides; a sheet that meets the stored one exactly has no gap."""
    import_parcels(tb_db, read_parcels(frames_file(tmp_path, "a.gpkg", commune_sheet("7"))))
    result = import_parcels(tb_db, read_parcels(frames_file(
        tmp_path, "b.gpkg", commune_sheet("8", start=(0, 40.3)))))
    gaps = result.quality.issues[result.quality.issues["kind"] == "gap"]
    assert list(gaps["message"]) == [
        "gap of 18.0 m² between parcels 8/1, 8/2, 8/3 and the stored parcels 13297/7/4, "
        "13297/7/5, 13297/7/6 (along the edge of two sheets)"]
    assert result.quality.summary()["findings"]["gap"] == 1
    flush = import_parcels(tb_db, read_parcels(frames_file(
        tmp_path, "c.gpkg", commune_sheet("9", start=(60, 0)))))
    assert flush.quality.summary()["findings"]["gap"] == 0
