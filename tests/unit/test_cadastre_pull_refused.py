"""A pull refuses only the sheets doubling live land (issue 14 review 14o, items 1 and 2): the
department's source holding one land under its old key and the key it took after communes
merged blocked every pull, and the refusal's advice led to a dead end. Now those sheets are
left out (nothing of them written), the others imported, the refusal in the result; the
advice fits the source (a file the user may edit, a department source the user only reads)
and names the current key when the editions tell. ``-q`` in a format the tables are not
written in is refused before anything is read or written."""

from __future__ import annotations

import json

from roadinfra.core.cadastre.importer import import_parcels
from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.core.cadastre.remote import FileSource, pull_sheets
from roadinfra.core.cli import main
from roadinfra.core.db import database_info, open_database

from tests.support.cadastre_db import live_parcels, live_sheets
from tests.support.cadastre_files import commune_sheet, frames_file


def _land_uses(db, sheet) -> set:
    return {r["land_use"] for r in live_parcels(db) if r["sheet_no"] == sheet}


def _stored(tmp_path, db):
    """Stored 13297/7 (x 0-60 m) and 13297/9 (x 200-260 m), edition 2024-01-01."""
    import_parcels(db, read_parcels(frames_file(tmp_path, "stored.gpkg", commune_sheet("7"),
                                          commune_sheet("9", start=(200, 0)))))
    return live_sheets(db)


def _source(tmp_path):
    """The department's source: 13297/7 unchanged, the same land re-keyed 13300/3 (2025),
    a new edition of 13297/9 (land use changed)."""
    return frames_file(tmp_path, "source.gpkg", commune_sheet("7"),
                 commune_sheet("3", commune="13300", edition="2025-07-01"),
                 commune_sheet("9", edition="2025-07-01", start=(200, 0), land_use="ONT"))


def test_a_pull_refuses_only_the_doubled_sheet_and_imports_the_others(tmp_path, tb_db):
    _stored(tmp_path, tb_db)
    seven = sorted(r["id"] for r in live_parcels(tb_db) if r["sheet_no"] == "7")
    result = pull_sheets(tb_db, FileSource(_source(tmp_path), "vn_cadastre"))
    assert [r.sheets for r in result.refused] == [["13300/3"]]
    reason = result.refused[0].reason
    assert reason.startswith("sheet 13300/3 (6 parcel(s)) lies on the stored sheet 13297/7 "
                             "(edition 2024-01-01, 6 live parcel(s))")
    assert reason.endswith("The source holds the same land under two keys, 13297/7 (edition "
                           "2024-01-01) and 13300/3 (edition 2025-07-01); its editions say "
                           "13300/3 is the current one: keep one of them in the file")
    assert "\n" not in reason and "delete their parcels" not in reason
    assert [(s.sheet_no, s.action) for s in result.imported.sheets] == [("9", "replaced")]
    assert live_sheets(tb_db) == [("13297", "7", "2024-01-01"), ("13297", "9", "2025-07-01")]
    assert _land_uses(tb_db, "9") == {"ONT"}
    assert sorted(r["id"] for r in live_parcels(tb_db) if r["sheet_no"] == "7") == seven
    assert result.summary()["refused"] == [{"sheets": ["13300/3"], "reason": reason}]


def test_after_the_old_key_is_deleted_both_keys_are_refused_not_the_rest(tmp_path, tb_db):
    """The review's dead end: the stored 13297/7 deleted (as QGIS does), the source holding
    both keys: the two are refused together, the rest is pulled, nothing of them written."""
    _stored(tmp_path, tb_db)
    db = open_database(tb_db)
    with db.transaction():
        for row in db.fetch("cadastral_parcel", {"sheet_no": "7"}):
            db.tombstone("cadastral_parcel", row["id"])
    db.close()
    result = pull_sheets(tb_db, FileSource(_source(tmp_path), "vn_cadastre"))
    assert [r.sheets for r in result.refused] == [["13297/7", "13300/3"]]
    assert "its editions say 13300/3 is the current one" in result.refused[0].reason
    assert live_sheets(tb_db) == [("13297", "9", "2025-07-01")]


def test_a_department_source_is_not_told_to_edit_itself(tmp_path, tb_db):
    """Advice for a source the user only reads (a department database or service):
    no "give the source the key"; the per-sheet import leaves only that sheet out."""
    _stored(tmp_path, tb_db)
    rekeyed = frames_file(tmp_path, "rekeyed.gpkg", commune_sheet("3", commune="13300",
                                                     edition="2025-07-01"))
    result = import_parcels(tb_db, read_parcels(rekeyed), per_sheet=True,
                            source_kind="department")
    assert result.sheets == [] and [r.sheets for r in result.refused] == [["13300/3"]]
    assert result.refused[0].reason.endswith(
        "If it replaces the stored sheet(s) (a new key or new sheet frames, e.g. after "
        "communes merged), delete their parcels first (in QGIS; they stay in the history) "
        "and pull again; otherwise the department's source holds a wrong key: tell the "
        "department")
    both = import_parcels(tb_db, read_parcels(_source(tmp_path)), per_sheet=True,
                          source_kind="department")
    assert both.refused[0].reason.endswith(
        "13300/3 is the current one: the department should remove the other key from its "
        "source; until then a pull leaves these sheets out and imports the others")


def test_the_cli_pull_prints_the_refused_sheets_and_exits_1(tmp_path, tb_db, capsys):
    _stored(tmp_path, tb_db)
    source = _source(tmp_path)
    assert main(["cadastre", "pull", str(tb_db), "--file", str(source)]) == 1
    out = capsys.readouterr().out
    assert "refused, not imported: 13300/3: sheet 13300/3 (6 parcel(s)) lies on" in out
    assert "1 sheet(s) refused (their stored sheets left as they were); the other sheets " \
           "were pulled" in out
    assert main(["cadastre", "pull", str(tb_db), "--file", str(source), "--json"]) == 1
    info = json.loads(capsys.readouterr().out)
    assert [r["sheets"] for r in info["refused"]] == [["13300/3"]]
    assert info["import"]["refused"] == info["refused"]


def test_a_plain_import_still_refuses_the_whole_file(tmp_path, tb_db):
    before = _stored(tmp_path, tb_db)
    assert main(["cadastre", "import", str(_source(tmp_path)), str(tb_db)]) == 2
    assert live_sheets(tb_db) == before


def test_q_in_an_unwritten_format_is_refused_before_any_work(tmp_path, tb_db, capsys):
    """Review 14o #2: ``-q findings.txt`` was refused after the import or pull had written,
    its findings lost. Now refused first, the database unchanged, no file written."""
    _stored(tmp_path, tb_db)
    new = frames_file(tmp_path, "eight.gpkg", commune_sheet("8", start=(100, 0)))
    before = database_info(tb_db)
    wrong = tmp_path / "findings.txt"
    for args in (["cadastre", "import", str(new), str(tb_db)],
                 ["cadastre", "pull", str(tb_db), "--file", str(new)],
                 ["cadastre", "check", str(new)]):
        option = "-o" if args[1] == "check" else "-q"
        assert main(args + [option, str(wrong)]) == 2
        assert capsys.readouterr().err.strip() == (
            f"roadinfra: error: {wrong}: output must be .gpkg, .xlsx, .csv or .geojson")
        assert database_info(tb_db) == before and not wrong.exists()
