"""The printed overlay map's footer cites the regulation of the corridor widths from the
profile (``[corridor_regulation]``, with its caveat), in the map's language: a profile that
cites another regulation prints that one, no code changed."""

from __future__ import annotations

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


def test_a_profile_citing_another_regulation_prints_it(qgis_app, overlay, tmp_path):
    text = (PROFILES_DIR / "thai_binh.toml").read_text(encoding="utf-8")
    start = text.index("[corridor_regulation]\n")
    end = text.index("\n\n", start)
    profile = tmp_path / "checked.toml"
    profile.write_text(text[:start] + '[corridor_regulation]\nname_en = "Decree 165/2024/ND-CP"'
                       '\nname_vi = "Nghị định 165/2024/NĐ-CP"\n' + text[end:], encoding="utf-8")
    words = printed_words(overlay, tmp_path / "checked.pdf", "vi", profile)
    assert "Bề rộng hành lang: hồ sơ thai_binh, Nghị định 165/2024/NĐ-CP." in words
    assert "11/2010" not in words and "chưa đối chiếu" not in words


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
