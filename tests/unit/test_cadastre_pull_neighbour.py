"""Issue 14 review 14q: a re-framed sheet refused over a stored one takes no innocent
neighbour with it, and a pull's quality report leaves out the sheets it refused.

#1: the stored 13297/7 lies under the re-framed 13300/3 (a larger frame); a new neighbour,
13297/6, only touches 13297/7 along the frame line (or overlaps it by a 2 m sliver). The
refusal named both written sheets and said the source held "the same land under two keys";
now only 13300/3 is refused, with the advice for a new key, and 13297/6 is imported.
#2: the findings (``findings:`` line, ``-q``, ``--json`` quality) were of every sheet
fetched, the refused ones included; now only of the sheets the pull may write."""

from __future__ import annotations

import csv
import json

import pytest
from roadinfra.core.cadastre.importer import import_parcels
from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.core.cadastre.remote import FileSource, pull_sheets
from roadinfra.core.cli import main

from tests.support.cadastre_db import live_parcels
from tests.support.cadastre_files import commune_sheet, frames_file


def _live(db) -> dict:
    out: dict = {}
    for r in live_parcels(db):
        key = f"{r['commune_code']}/{r['sheet_no']}"
        out[key] = out.get(key, 0) + 1
    return out


@pytest.mark.parametrize("north", [40, 38], ids=["touching", "2 m sliver"])
def test_a_neighbour_of_a_refused_reframed_sheet_is_imported(tmp_path, tb_db, north):
    """Stored 13297/7: 3 x 2 parcels (x 0-60, y 0-40). The source: 13300/3 re-framed over
    it and as much again (7 x 2: 13297/7 is under half of it) and a new 13297/6 north of
    13297/7 (y ``north``-``north``+40), meeting it only along the frame."""
    import_parcels(tb_db, read_parcels(frames_file(tmp_path, "stored.gpkg", commune_sheet("7"))))
    source = frames_file(tmp_path, "source.gpkg",
                   commune_sheet("3", commune="13300", edition="2025-07-01", columns=7),
                   commune_sheet("6", edition="2025-07-01", start=(0, north)))
    result = pull_sheets(tb_db, FileSource(source, "vn_cadastre"), whole_sheet=True)
    assert [r.sheets for r in result.refused] == [["13300/3"]]
    reason = result.refused[0].reason
    assert reason.startswith("the stored sheet 13297/7 (edition 2024-01-01, 6 live "
                             "parcel(s)) lies under the sheet(s) 13300/3 for 6 parcel(s)")
    assert "two keys" not in reason and "13297/6" not in reason
    assert reason.endswith("Give the file the stored sheet's commune code and sheet number; "
                           "if it replaces the stored sheet(s) (a new key or new sheet "
                           "frames, e.g. after communes merged), delete their parcels first "
                           "(in QGIS; they stay in the history)")
    assert [(s.sheet_no, s.action) for s in result.imported.sheets] == [("6", "new")]
    assert _live(tb_db) == {"13297/7": 6, "13297/6": 6}


def test_two_sheets_fetched_on_one_land_are_still_two_keys(tmp_path, tb_db):
    """The counter-case: the two sheets written together overlap each other for a real
    share (13297/6 the same land as 13300/3's west half): both named, as two keys."""
    import_parcels(tb_db, read_parcels(frames_file(tmp_path, "stored.gpkg", commune_sheet("7"))))
    source = frames_file(tmp_path, "source.gpkg",
                   commune_sheet("3", commune="13300", edition="2025-07-01", columns=7),
                   commune_sheet("6", edition="2025-07-01", start=(0, 0)))
    result = pull_sheets(tb_db, FileSource(source, "vn_cadastre"), whole_sheet=True)
    assert sorted(k for r in result.refused for k in r.sheets) == ["13297/6", "13300/3"]
    assert any("The source holds the same land under two keys, 13297/6 (edition "
               "2025-07-01) and 13300/3 (edition 2025-07-01)" in r.reason
               for r in result.refused)
    assert _live(tb_db) == {"13297/7": 6}


def test_the_findings_of_a_pull_leave_out_the_sheets_refused(tmp_path, tb_db, capsys):
    """13297/7 and 13300/3 (the same land, a duplicate parcel number in 13300/3) refused,
    the new edition of 13297/9 imported: the findings are 13297/9's alone (none), in the
    ``findings:`` line, ``-q`` and ``--json``; an overlap within 13297/9 is kept."""
    import_parcels(tb_db, read_parcels(frames_file(tmp_path, "stored.gpkg",
                                             commune_sheet("9", start=(200, 0)))))
    rekeyed = commune_sheet("3", commune="13300", edition="2025-07-01")
    nine = commune_sheet("9", edition="2025-07-01", start=(200, 0))
    inner = nine.iloc[[0]].assign(SoThua="99", DienTich=100.0,
                                  geometry=nine.geometry.iloc[[0]].buffer(-5))
    source = frames_file(tmp_path, "source.gpkg", commune_sheet("7"), rekeyed,
                         rekeyed.iloc[[0]], nine, inner)  # parcel 99 over parcel 1 of 13297/9
    found = tmp_path / "findings.csv"
    assert main(["cadastre", "pull", str(tb_db), "--file", str(source), "--whole-sheet",
                 "-q", str(found)]) == 1
    out = capsys.readouterr().out
    assert "findings: invalid_repaired 0, invalid 0, overlap 1, gap 0, area_mismatch 0, " \
           "duplicate 0" in out
    assert "refused, not imported: 13297/7, 13300/3: sheet 13297/7 (6 parcel(s)) lies on " \
           "the sheet 13300/3 fetched with it" in out
    with open(found, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["kind"], r["sheet_no"], r["parcel_no"]) for r in rows] == [
        ("overlap", "9", "1")]
    assert _live(tb_db) == {"13297/9": 7}
    assert main(["cadastre", "pull", str(tb_db), "--file", str(source), "--whole-sheet",
                 "--json"]) == 1
    info = json.loads(capsys.readouterr().out)
    assert [r["sheets"] for r in info["refused"]] == [["13297/7", "13300/3"]]
    quality = info["import"]["quality"]
    assert quality["parcels"] == 0 and set(quality["findings"].values()) == {0}
