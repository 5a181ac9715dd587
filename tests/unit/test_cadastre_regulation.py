"""The regulation behind the corridor widths is data of the profile (``[corridor_regulation]``:
its name and what is not verified about it, in English and Vietnamese), checked by the
profile loader and cited wherever the widths are used: the overlay's CLI output and JSON,
and its workbook's notes sheet (the printed map: tests/qgis/test_overlay_map_regulation.py).

Route DH99 (grade IV) runs 2 km east from the origin; one 20 m parcel row north of it."""

from __future__ import annotations

import json
import sqlite3

import geopandas as gpd
import openpyxl
import pytest
from roadinfra.core.cli import main
from roadinfra.core.profile import PROFILES_DIR, ProfileError, load_profile

from tests.support.cadastre_db import parcel_row, route_database
from tests.support.cadastre_files import write

EN = ("Corridor widths: profile thai_binh, Decree 11/2010/ND-CP as amended by Decree "
      "100/2013/ND-CP (not verified against Decree 165/2024/ND-CP under the Road Law 2024).")
VI = ("Bề rộng hành lang: hồ sơ thai_binh, Nghị định 11/2010/NĐ-CP, sửa đổi bởi Nghị định "
      "100/2013/NĐ-CP (chưa đối chiếu với Nghị định 165/2024/NĐ-CP theo Luật Đường bộ 2024).")
SECTION = "[corridor_regulation]\n"


def _profile_text() -> str:
    return (PROFILES_DIR / "thai_binh.toml").read_text(encoding="utf-8")


def _section(text: str) -> tuple[int, int]:
    """Where ``[corridor_regulation]``'s four entries lie in the profile's text."""
    start = text.index(SECTION)
    end = text.index("\n\n", start)
    return start, end


def _with_section(tmp_path, body: str | None):
    """The shipped profile with ``[corridor_regulation]`` replaced by ``body`` (None: left
    out), written to a file."""
    text = _profile_text()
    start, end = _section(text)
    path = tmp_path / "p.toml"
    path.write_text(text[:start] + (SECTION + body if body is not None else "") + text[end:],
                    encoding="utf-8")
    return path


def test_the_shipped_profile_cites_the_regulation_with_its_caveat():
    from roadinfra.core.cadastre.corridor import corridor_regulation

    regulation = corridor_regulation(load_profile())
    assert (regulation.line("en"), regulation.line("vi")) == (EN, VI)


@pytest.mark.parametrize("body, words", [
    (None, "[corridor_regulation] is missing: the corridor widths ([corridor_width_m], "
           "[corridor_road_land_m], [corridor_roadbed_m]) must name the regulation"),
    ('name_en = "Decree 1"\n', "[corridor_regulation] name_vi is missing"),
    ('name_en = "Decree 1"\nname_vi = "  "\n', "[corridor_regulation] name_vi is empty"),
    ('name_en = "Decree 1"\nname_vi = 5\n', "[corridor_regulation] name_vi must be text"),
    ('name_en = "Decree 1"\nname_vi = "Nghị định 1"\ncaveat_en = "unchecked"\n',
     "[corridor_regulation] caveat_vi is missing or empty while caveat_en is given"),
])
def test_the_loader_refuses_widths_without_a_regulation_naming_file_and_key(tmp_path, body,
                                                                           words):
    path = _with_section(tmp_path, body)
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and words in message and "\n" not in message


def test_a_checked_regulation_is_cited_without_a_caveat(tmp_path):
    """Once the Department has checked the widths, the caveat goes and the citation is the
    profile's, with no code changed."""
    from roadinfra.core.cadastre.corridor import corridor_regulation

    path = _with_section(tmp_path, 'name_en = "Decree 165/2024/ND-CP"\n'
                                   'name_vi = "Nghị định 165/2024/NĐ-CP"\n')
    regulation = corridor_regulation(load_profile(path))
    assert regulation.line("en") == "Corridor widths: profile thai_binh, Decree 165/2024/ND-CP."
    assert regulation.text("vi") == "Nghị định 165/2024/NĐ-CP"


@pytest.fixture
def db(tmp_path):
    path = route_database(tmp_path, [[(0, 0), (2000, 0)]])
    parcels = write(gpd.GeoDataFrame(parcel_row("7", 100, 200, 4), crs=9209),
                    tmp_path / "parcels.gpkg")
    assert main(["cadastre", "import", str(parcels), str(path)]) == 0
    return path


@pytest.mark.parametrize("lang, header, line", [("vi", "Ghi chú", VI), ("en", "Notes", EN)])
def test_the_overlay_cites_the_regulation_in_its_output_and_workbook(db, tmp_path, capsys,
                                                                     lang, header, line):
    book = tmp_path / "o.xlsx"
    capsys.readouterr()
    assert main(["cadastre", "overlay", str(db), "-o", str(book), "--lang", lang]) == 0
    assert f"  {EN}" in capsys.readouterr().out.splitlines()
    sheet = openpyxl.load_workbook(book)["notes"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [[header], [line]]
    assert main(["cadastre", "overlay", str(db), "--json"]) == 0
    cited = json.loads(capsys.readouterr().out)["corridor_regulation"]
    assert cited == {"profile": "thai_binh", "en": EN[EN.index("Decree"):-1],
                     "vi": VI[VI.index("Nghị"):-1]}


def test_a_database_whose_stored_profile_predates_the_citation_says_so(db, tmp_path, capsys):
    """A database made before profiles cited the regulation keeps its stored profile: the
    overlay runs and says the profile names none, never a decree it does not hold."""
    with sqlite3.connect(db) as con:
        text = con.execute("SELECT value FROM db_meta WHERE key = 'profile_toml'").fetchone()[0]
        start, end = _section(text)
        con.execute("UPDATE db_meta SET value = ? WHERE key = 'profile_toml'",
                    (text[:start] + text[end:],))
    capsys.readouterr()
    assert main(["cadastre", "overlay", str(db), "-o", str(tmp_path / "o.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "  Corridor widths: profile thai_binh, the profile names no regulation." in out
    assert "Decree" not in out


def test_a_stored_profile_is_checked_for_its_regulation_as_a_file(db, capsys):
    """A stored profile (hand-edited, or from another tool) holding a malformed
    ``[corridor_regulation]`` is refused as the file would be, naming db_meta and the key;
    never cited as it stands."""
    with sqlite3.connect(db) as con:
        text = con.execute("SELECT value FROM db_meta WHERE key = 'profile_toml'").fetchone()[0]
        start, end = _section(text)
        con.execute("UPDATE db_meta SET value = ? WHERE key = 'profile_toml'", (
            text[:start] + SECTION + 'name_en = 11\nname_vi = "Nghị định 11"\n' + text[end:],))
    capsys.readouterr()
    assert main(["cadastre", "overlay", str(db)]) == 2
    captured = capsys.readouterr()
    assert "Corridor widths" not in captured.out
    assert (f"{db}: the profile stored in db_meta (profile_toml) is not a valid RoadInfra "
            "profile: [corridor_regulation] name_en must be text, not 11") in captured.err


@pytest.mark.parametrize("lang, header, line", [("vi", "Ghi chú", VI), ("en", "Notes", EN)])
def test_the_workbook_notes_hold_every_note_of_the_run(db, tmp_path, capsys, lang, header,
                                                       line):
    """The notes sheet carries the regulation, then each note the run printed (a widening
    over land with no imported cadastre), not the regulation alone."""
    book = tmp_path / "o.xlsx"
    capsys.readouterr()
    assert main(["cadastre", "overlay", str(db), "--widening", "DH99:1500-1600:40", "-o",
                 str(book), "--lang", lang]) == 0
    notes = [line[len("  note: "):] for line in capsys.readouterr().out.splitlines()
             if line.startswith("  note: ")]
    assert any(note.startswith("widening DH99 Km1+500-Km1+600 40 m: ") and "beyond the "
               "imported parcels" in note for note in notes)
    sheet = openpyxl.load_workbook(book)["notes"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        [header], [line]] + [[note] for note in notes]
