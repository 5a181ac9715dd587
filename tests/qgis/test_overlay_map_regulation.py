"""The printed overlay map's footer cites the profile and the regulation of the corridor widths
(``[corridor_regulation]``, with its caveat) that the overlay's ``corridors`` layer records,
those the widths were computed with, in the map's language: a database made with a profile
citing another regulation prints that one, no code changed, whatever profile prints it."""

from __future__ import annotations

import sqlite3
import subprocess
import unicodedata

import geopandas as gpd
import pytest
from roadinfra.core.cli import main
from roadinfra.core.profile import PROFILES_DIR

from tests.support.cadastre_db import parcel_row, route_database
from tests.support.cadastre_files import write


@pytest.fixture
def overlay(tmp_path):
    """An overlay GeoPackage of route DH99 (grade IV) with a row of parcels north of it."""
    db = route_database(tmp_path, [[(0, 0), (2000, 0)]])
    parcels = write(gpd.GeoDataFrame(parcel_row("7", 100, 200, 4), crs=9209),
                    tmp_path / "parcels.gpkg")
    assert main(["cadastre", "import", str(parcels), str(db)]) == 0
    path = tmp_path / "overlay.gpkg"
    assert main(["cadastre", "overlay", str(db), "--widening", "DH99:100-200:16", "-o",
                 str(path)]) == 0
    return path


def printed_words(overlay, pdf, lang, profile) -> str:
    from roadinfra.plugin.printing.overlay_map import export_overlay_map

    export_overlay_map(overlay, pdf, lang=lang, profile=profile)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return " ".join(unicodedata.normalize("NFKC", text).split())  # ligatures; a label may wrap


@pytest.mark.parametrize("lang, cited", [
    ("en", "Corridor widths: profile thai_binh, Decree 11/2010/ND-CP as amended by Decree "
           "100/2013/ND-CP (not verified against Decree 165/2024/ND-CP under the Road Law "
           "2024)."),
    ("vi", "Bề rộng hành lang: hồ sơ thai_binh, Nghị định 11/2010/NĐ-CP, sửa đổi bởi Nghị "
           "định 100/2013/NĐ-CP (chưa đối chiếu với Nghị định 165/2024/NĐ-CP theo Luật Đường "
           "bộ 2024)."),
])
def test_the_footer_cites_the_profiles_regulation_and_caveat(qgis_app, overlay, tmp_path, lang,
                                                            cited):
    assert cited in printed_words(overlay, tmp_path / f"{lang}.pdf", lang, "thai_binh")


def test_the_footer_cites_the_profile_the_widths_came_from_not_the_print_profile(
        qgis_app, tmp_path):
    """A database made with the Department's own profile file (id tb_dept, not shipped,
    Decree 165/2024): its overlay records that profile and regulation, and the map cites
    them whichever profile gives it the province (the default one here), and prints
    through the dialog's path (the worker given the database, whose stored profile it
    reads) without "profile not found"."""
    from roadinfra.plugin.cadastre.tasks import print_work

    db = route_database(tmp_path, [[(0, 0), (2000, 0)]])
    text = (PROFILES_DIR / "thai_binh.toml").read_text(encoding="utf-8")
    start = text.index("[corridor_regulation]\n")
    end = text.index("\n\n", start)
    text = (text[:start] + '[corridor_regulation]\nname_en = "Decree 165/2024/ND-CP"\n'
            'name_vi = "Nghị định 165/2024/NĐ-CP"\n' + text[end:]).replace(
                'id = "thai_binh"', 'id = "tb_dept"')
    with sqlite3.connect(db) as con:
        con.execute("UPDATE db_meta SET value = ? WHERE key = 'profile_toml'", (text,))
        con.execute("UPDATE db_meta SET value = 'tb_dept' WHERE key = 'profile_id'")
    parcels = write(gpd.GeoDataFrame(parcel_row("7", 100, 200, 4), crs=9209),
                    tmp_path / "parcels.gpkg")
    assert main(["cadastre", "import", str(parcels), str(db)]) == 0
    overlay = tmp_path / "overlay.gpkg"
    assert main(["cadastre", "overlay", str(db), "-o", str(overlay)]) == 0
    recorded = gpd.read_file(overlay, layer="corridors")
    assert set(recorded["profile"]) == {"tb_dept"}
    assert set(recorded["regulation_en"]) == {"Decree 165/2024/ND-CP"}
    words = printed_words(overlay, tmp_path / "default.pdf", "vi", "thai_binh")
    assert "Bề rộng hành lang: hồ sơ tb_dept, Nghị định 165/2024/NĐ-CP." in words
    assert "11/2010" not in words and "chưa đối chiếu" not in words
    pdf = tmp_path / "dialog.pdf"
    assert print_work(str(overlay), str(pdf), "en", str(db))() == str(pdf)
    words = " ".join(unicodedata.normalize("NFKC", subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout).split())
    assert "Corridor widths: profile tb_dept, Decree 165/2024/ND-CP." in words


def test_an_overlay_not_recording_its_regulation_says_so(qgis_app, overlay, tmp_path):
    """An overlay file written before the corridors layer recorded the profile and the
    regulation is printed saying so, never citing the print-time profile's regulation."""
    corridors = gpd.read_file(overlay, layer="corridors")
    corridors.drop(columns=["profile", "regulation_en", "regulation_vi"]).to_file(
        overlay, layer="corridors", driver="GPKG")
    words = printed_words(overlay, tmp_path / "old.pdf", "en", "thai_binh")
    assert ("Corridor widths: their profile and regulation are not recorded in this overlay "
            "file (written by an older RoadInfra): run the overlay again.") in words
    assert "Decree" not in words


def test_processing_cites_the_regulation_in_its_log_and_workbook(roadinfra_provider, overlay,
                                                                 tmp_path, language):
    """The Processing overlay logs the citation and writes it on the workbook's notes sheet,
    in QGIS's language (the dialog shows the same line under its counts)."""
    import openpyxl
    from qgis.core import QgsProcessingFeedback

    from tests.support.cadastre_qgis import run

    class Infos(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.infos: list[str] = []

        def pushInfo(self, text):  # noqa: N802 - QGIS's name
            self.infos.append(text)
            super().pushInfo(text)

    language("vi")
    feedback = Infos()
    book = tmp_path / "o.xlsx"
    run("cadastre_overlay", {"DATABASE": str(tmp_path / "thai_binh.gpkg"), "ROUTES": "DH99",
                             "XLSX": str(book), **{k: "TEMPORARY_OUTPUT" for k in (
                                 "CORRIDORS", "CORRIDOR_PARCELS", "ENCROACHMENT",
                                 "ACQUISITION")}}, feedback=feedback)
    cited = ("Bề rộng hành lang: hồ sơ thai_binh, Nghị định 11/2010/NĐ-CP, sửa đổi bởi Nghị "
             "định 100/2013/NĐ-CP (chưa đối chiếu với Nghị định 165/2024/NĐ-CP theo Luật "
             "Đường bộ 2024).")
    assert cited in feedback.infos
    sheet = openpyxl.load_workbook(book)["notes"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["Ghi chú"], [cited]]
