"""The printed condition map: roadinfra:print_condition_map on the demo database, checked with
poppler (page size, text, fonts) and rendered to test-artifacts/condition_map_pdf.png (looked
at by a person: title, map filling its frame, legend inside its box, summary table)."""

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from qgis.core import QgsProcessingException, QgsVectorLayer
from qgis.PyQt.QtGui import QColor, QImage
from roadinfra.core.condition.summary import STRUCTURE_CLASS_LABELS, condition_summary
from roadinfra.core.db import open_database
from roadinfra.core.sample_data import build_demo_database

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("RI_ARTIFACTS", ROOT / "test-artifacts"))
# test_layers.py already writes test-artifacts/condition_map.png (the styled map canvas)
PNG_NAME = "condition_map_pdf.png"

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdfinfo", "pdftotext", "pdffonts", "pdftoppm")),
    reason="poppler-utils not installed")


def poppler(*args) -> str:
    done = subprocess.run(args, check=True, capture_output=True, timeout=60)
    return unicodedata.normalize("NFC", done.stdout.decode("utf-8"))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("condition_map") / "tb.gpkg"
    build_demo_database(path)
    db = open_database(path)
    try:
        summary = condition_summary(db).as_dict()
        province = db.profile.section("province")
    finally:
        db.close()
    return path, summary, province


def print_map(database, pdf, language):
    import processing

    return processing.run("roadinfra:print_condition_map", {
        "DATABASE": str(database), "LANGUAGE": language, "OUTPUT": str(pdf)})


def test_vietnamese_condition_map_pdf(demo_db, tmp_path, roadinfra_provider, empty_project):
    database, summary, province = demo_db
    pdf = tmp_path / "condition_map.pdf"
    result = print_map(database, pdf, 0)
    assert Path(result["OUTPUT"]) == pdf and pdf.stat().st_size > 10_000

    info = poppler("pdfinfo", str(pdf))
    assert re.search(r"^Pages:\s+1$", info, re.M)
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts \(A3\)", info, re.M)
    assert size, info
    width, height = float(size.group(1)), float(size.group(2))
    assert width > height  # landscape

    text = poppler("pdftotext", "-layout", str(pdf), "-")
    flat = " ".join(text.split())
    assert f"Bản đồ tình trạng mặt đường và công trình — tỉnh {province['name_vi']}" in flat
    assert province["agency_vi"] in flat
    for label in ("Chú giải", "Tình trạng mặt đường (PCI)", "Cầu (kiểm tra gần nhất)",
                  "Cống (kiểm tra gần nhất)", "Tuyến đường", "Trạm kiểm tra tải trọng xe",
                  "Hệ tọa độ: VN-2000 / TM-3 105-30 (EPSG:9209)", "Ngày in:",
                  "geoBoundaries", "LegoCity, CC BY-SA 4.0", "tài sản giả lập"):
        assert label in flat, label

    # the summary table holds condition_summary's numbers, row by row
    pavement = summary["pavement"]
    rows = [(c["label_vi"], f"{c['length_m'] / 1000:.2f}", str(c["count"]))
            for c in pavement["pci_classes"]]
    rows.append(("Tổng cộng", f"{pavement['length_m'] / 1000:.2f}", str(pavement["sections"])))
    rows += [(vi, str(summary["bridges"]["by_condition"][key]),
              str(summary["culverts"]["by_condition"][key]))
             for key, vi in ((k, label.vi) for k, label in STRUCTURE_CLASS_LABELS.items())]
    for label, first, second in rows:
        assert re.search(rf"{re.escape(label)} +{re.escape(first)} +{re.escape(second)}\s*$",
                         text, re.M), (label, first, second)
    share = summary["loads"]["overloaded_share_pct"]
    assert re.search(rf"Tỷ lệ xe quá tải \(trạm cân\) +{share:.1f} %", text), share
    assert summary["bridges"]["by_condition"]["poor"] > 0  # the demo has poor bridges to show

    fonts = poppler("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and any("DejaVuSans" in line for line in fonts)
    for line in fonts:
        assert line.split()[-5] == "yes", f"font not embedded: {line}"

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(prefix)], check=True, timeout=60)
    png = ARTIFACTS / PNG_NAME
    shutil.copy(f"{prefix}.png", png)
    image = QImage(str(png))
    # A3 landscape at 50 dpi: 420 x 297 mm = 826.8 x 584.6 px
    assert abs(image.width() - 827) <= 1 and abs(image.height() - 585) <= 1
    pixels = [image.pixelColor(x, y) for x in range(0, image.width(), 2)
              for y in range(0, image.height(), 2)]
    inked = [c for c in pixels if c.lightness() < 235]
    assert len(inked) > 0.05 * len(pixels), "the page is (nearly) blank"

    def near(colour, hex_code, tolerance=40):
        ref = QColor(hex_code)
        return (abs(colour.red() - ref.red()) + abs(colour.green() - ref.green())
                + abs(colour.blue() - ref.blue())) < tolerance

    for hex_code in ("#006d2c", "#d7191c", "#fdae61"):  # good PCI, poor and fair structures
        assert any(near(c, hex_code) for c in inked), f"no {hex_code} on the map"


def test_english_condition_map(demo_db, tmp_path, roadinfra_provider, empty_project):
    database, summary, province = demo_db
    pdf = tmp_path / "condition_map_en.pdf"
    print_map(database, pdf, 1)
    flat = " ".join(poppler("pdftotext", "-layout", str(pdf), "-").split())
    assert f"Pavement and structure condition map — {province['name_en']} province" in flat
    for label in ("Legend", "Bridges (latest inspection)", "Satisfactory", "Not inspected",
                  "Coordinate system: VN-2000 / TM-3 105-30 (EPSG:9209)", "synthetic assets"):
        assert label in flat, label
    total = f"Total {summary['pavement']['length_m'] / 1000:.2f} {summary['pavement']['sections']}"
    assert total in flat


def test_missing_database_is_a_clear_error(tmp_path, roadinfra_provider, empty_project):
    from roadinfra.plugin.printing.condition_map import ConditionMapError, export_condition_map

    missing = tmp_path / "no_such.gpkg"
    with pytest.raises(ConditionMapError, match=re.escape(f"{missing}: database file not found")):
        export_condition_map(missing, tmp_path / "map.pdf")
    with pytest.raises(QgsProcessingException, match="no_such.gpkg"):
        print_map(missing, tmp_path / "map.pdf", 0)
    assert not (tmp_path / "map.pdf").exists()


def test_a_project_in_use_is_never_touched(demo_db, tmp_path, empty_project):
    from roadinfra.plugin.printing.condition_map import ConditionMapError, export_condition_map

    layer = QgsVectorLayer("Point?crs=EPSG:9209", "user layer", "memory")
    empty_project.addMapLayer(layer)
    with pytest.raises(ConditionMapError, match="empty QGIS project"):
        export_condition_map(demo_db[0], tmp_path / "map.pdf")
    assert list(empty_project.mapLayers().values()) == [layer]
    assert not (tmp_path / "map.pdf").exists()


def test_cancelled_printing_writes_nothing(demo_db, tmp_path, empty_project):
    from qgis.core import QgsFeedback
    from roadinfra.core.errors import Cancelled
    from roadinfra.plugin.printing.condition_map import export_condition_map

    feedback = QgsFeedback()
    feedback.cancel()
    pdf = tmp_path / "map.pdf"
    with pytest.raises(Cancelled, match="printing cancelled"):
        export_condition_map(demo_db[0], pdf, feedback=feedback)
    assert not pdf.exists() and not empty_project.mapLayers()


def test_algorithm_prints_beside_a_project_in_use(demo_db, tmp_path, roadinfra_provider,
                                                  empty_project):
    """The algorithm prints in a process of its own: the open project holds a layer and is
    saved, and stays exactly so; the map still has its condition colours (the styles'
    relations resolve in the print process's own project)."""
    layer = QgsVectorLayer("Point?crs=EPSG:9209", "user layer", "memory")
    empty_project.addMapLayer(layer)
    project_file = tmp_path / "mine.qgz"
    assert empty_project.write(str(project_file))
    pdf = tmp_path / "beside.pdf"
    print_map(demo_db[0], pdf, 0)
    assert list(empty_project.mapLayers().values()) == [layer]
    assert empty_project.fileName() == str(project_file) and not empty_project.isDirty()
    assert "Chú giải" in poppler("pdftotext", "-layout", str(pdf), "-")
    prefix = tmp_path / "beside"
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-singlefile", str(pdf), str(prefix)],
                   check=True, timeout=60)
    image = QImage(f"{prefix}.png")
    pixels = [image.pixelColor(x, y) for x in range(0, image.width(), 2)
              for y in range(0, image.height(), 2)]
    green = QColor("#006d2c")
    assert any(abs(c.red() - green.red()) + abs(c.green() - green.green())
               + abs(c.blue() - green.blue()) < 40 for c in pixels)
