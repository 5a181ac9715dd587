"""The summary tables of the printed A3 maps (condition map, corridor overlay) never cut a text.

Each table is filled from the maps' own rows (long route names, two widenings that differ only
in width, Vietnamese and English) on the maps' template and printed to PDF; poppler's word boxes
(``pdftotext -bbox``) must lie inside their columns, whose bounds come from the frame's position
and the table's column widths, and every word of every cell must be printed. The maps printed by
their Processing algorithms must hold every label whole.
"""

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from qgis.core import QgsProject, QgsVectorLayer
from roadinfra.core.cli import main
from roadinfra.core.condition.summary import condition_summary
from roadinfra.core.db import open_database
from roadinfra.plugin.printing import condition_map, overlay_map
from roadinfra.plugin.printing.layout_io import export_pdf, load_template
from roadinfra.plugin.printing.summary_table import (
    SIZES,
    TABLE_WIDTH_PROPERTY,
    fill_summary_table,
    wrap,
)

from tests.support.cadastre_db import demo_database
from tests.support.cadastre_files import write
from tests.support.cadastre_qgis import parcels_across, point_along

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")

MM_PER_PT = 25.4 / 72.0
LONG_ROUTE = "ĐT.455 Tiền Hải – Thái Thụy (tuyến tránh thị trấn Diêm Điền)"
WIDENINGS = ("DT455:Km0+500-Km2+500:30", "DT455:Km0+500-Km2+500:32.5")
#: Tolerance of a word's box against its column (mm): glyph boxes against advance widths.
TOLERANCE = 0.15


def run(name, params):
    import processing

    return processing.run(f"roadinfra:{name}", params)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo database with six parcels along DT455 and its corridor overlay with two
    widenings; half the overlay's parcel parts renamed to a long route name."""

    folder = tmp_path_factory.mktemp("printed_tables")
    database = demo_database(folder)
    parcels = parcels_across(point_along(database))
    assert main(["cadastre", "import", str(write(parcels, folder / "to8.gpkg")), str(database),
                 "--edition", "2025-01-01"]) == 0
    overlay = folder / "overlay.gpkg"
    widenings = [arg for spec in WIDENINGS for arg in ("--widening", spec)]
    assert main(["cadastre", "overlay", str(database), "--route", "DT455", *widenings,
                 "-o", str(overlay)]) == 0
    pieces = QgsVectorLayer(f"{overlay}|layername=corridor_parcels", "pieces", "ogr")
    route = pieces.fields().indexOf("route")
    fids = sorted(f.id() for f in pieces.getFeatures())
    assert len(fids) >= 2
    assert pieces.dataProvider().changeAttributeValues(
        {fid: {route: LONG_ROUTE} for fid in fids[::2]})
    del pieces
    return database, overlay


def overlay_rows(overlay: Path, lang: str):
    layers = {name: QgsVectorLayer(f"{overlay}|layername={name}", name, "ogr")
              for name in ("corridor_parcels", "land_acquisition")}
    return overlay_map.table_rows(layers, lang)


def condition_rows(database: Path, lang: str):
    db = open_database(database)
    try:
        return condition_map.table_rows(condition_summary(db), lang)
    finally:
        db.close()


def pdf_text(pdf: Path) -> str:
    """The PDF's text, its white space collapsed to single spaces."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          timeout=60).stdout.decode("utf-8")
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdf_words(pdf: Path):
    """(page, x_min, y_min, x_max, y_max in mm, word) of every word poppler reads."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, timeout=60).stdout.decode("utf-8")
    words = []
    for page, body in enumerate(html.split("<page ")[1:]):
        for match in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                 r'yMax="([\d.]+)">([^<]*)</word>', body):
            box_mm = [float(v) * MM_PER_PT for v in match.groups()[:4]]
            text = unicodedata.normalize("NFC", match.group(5)).replace("&amp;", "&")
            words.append((page, *box_mm, text))
    return words


def print_table(rows, header_rows, pdf: Path, lang: str = "en"):
    """The rows in the maps' template, printed; the table and its frames."""
    layout = load_template(QgsProject.instance(), condition_map.TEMPLATE, RuntimeError)
    frame = layout.itemById("summary_table")
    size = fill_summary_table(frame, rows, header_rows, condition_map.TEMPLATE, RuntimeError,
                              lang)
    export_pdf(layout, pdf, RuntimeError)
    return layout, frame.multiFrame(), size


def check_every_cell_fits(layout, table, rows, pdf: Path):
    """Every word inside its column; every word of every cell printed in its column."""
    widths = [column.width() for column in table.columns()]
    margin, grid = table.cellMargin(), table.gridStrokeWidth()
    printed = [Counter() for _ in widths]
    words = pdf_words(pdf)
    for index in range(table.frameCount()):
        frame = table.frame(index)
        page = frame.page()
        left, top = frame.pagePos().x(), frame.pagePos().y()
        width = layout.itemById("summary_table").customProperty(TABLE_WIDTH_PROPERTY)
        assert frame.rect().width() <= float(width) + 0.5, "the table is wider than its panel"
        assert left + frame.rect().width() <= 410.0 + 0.5, "the table leaves the page margin"
        assert top >= 10.0 and top + frame.rect().height() <= 287.0, "the frame leaves the margins"
        bounds, x = [], left + grid
        for column_width in widths:
            bounds.append((x + margin, x + margin + column_width))
            x += column_width + 2 * margin + grid
        for word_page, x0, y0, x1, y1, text in words:
            if word_page != page or not (top <= (y0 + y1) / 2 <= top + frame.rect().height()
                                         and left <= (x0 + x1) / 2 <= left + frame.rect().width()):
                continue
            column = next(n for n, (a, b) in enumerate(bounds) if (x0 + x1) / 2 <= b + margin)
            a, b = bounds[column]
            assert a - TOLERANCE <= x0 and x1 <= b + TOLERANCE, (
                f"{text!r} ({x0:.2f}-{x1:.2f} mm) leaves column {column} ({a:.2f}-{b:.2f} mm)")
            printed[column][text] += 1
    for column in range(len(widths)):
        wanted = Counter(word for row in rows for word in row[column].split())
        missing = wanted - printed[column]
        assert not missing, f"column {column}: not printed whole: {sorted(missing)}"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overlay_table_holds_long_names_and_both_widenings(demo, tmp_path, lang, empty_project):
    rows, headers = overlay_rows(demo[1], lang)
    labels = [row[0] for row in rows]
    widening = {"vi": "Mở rộng DT455 Km0+500-Km2+500 {} m",
                "en": "Widening DT455 Km0+500-Km2+500 {} m"}[lang]
    assert widening.format(30) in labels and widening.format(32.5) in labels
    assert any(label.startswith(LONG_ROUTE) for label in labels)
    layout, table, size = print_table(rows, headers, tmp_path / "overlay_table.pdf")
    assert size == SIZES[0] and table.frameCount() == 1  # a few rows: no need to shrink
    check_every_cell_fits(layout, table, rows, tmp_path / "overlay_table.pdf")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_condition_table_fits(demo, tmp_path, lang, empty_project):
    rows, headers = condition_rows(demo[0], lang)
    layout, table, _size = print_table(rows, headers, tmp_path / "condition_table.pdf")
    assert table.frameCount() == 1
    check_every_cell_fits(layout, table, rows, tmp_path / "condition_table.pdf")


def test_many_rows_shrink_the_font_then_continue_on_a_new_page(demo, tmp_path, empty_project):
    rows, headers = overlay_rows(demo[1], "vi")
    extra = [[f"ĐT.{400 + k} đoạn qua xã Đông Hải (Km{k}+000-Km{k + 1}+500) · hành lang an "
              "toàn", str(k + 1), f"{1000 * k:,}"] for k in range(12)]
    layout, table, size = print_table(rows + extra, headers, tmp_path / "shrunk.pdf")
    assert size < SIZES[0] and table.frameCount() == 1
    check_every_cell_fits(layout, table, rows + extra, tmp_path / "shrunk.pdf")

    extra = [[f"ĐT.{400 + k} · hành lang an toàn", str(k + 1), f"{1000 * k:,}"]
             for k in range(80)]
    layout, table, size = print_table(rows + extra, headers, tmp_path / "two_pages.pdf")
    assert size == SIZES[-1] and table.frameCount() == 2
    assert layout.pageCollection().pageCount() == 2
    check_every_cell_fits(layout, table, rows + extra, tmp_path / "two_pages.pdf")


def table_rows_on(lines: list, rows: list) -> list:
    """The rows (cells joined by spaces) printed as lines of ``lines``."""
    return [row for row in rows if " ".join(row) in lines]


def page_lines(pdf: Path, page: int) -> list:
    """The lines of one page of the PDF as poppler lays them out, white space collapsed."""
    text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf),
                           "-"], check=True, capture_output=True, timeout=60).stdout
    lines = (" ".join(unicodedata.normalize("NFC", line).split())
             for line in text.decode("utf-8").splitlines())
    return [line for line in lines if line]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_continued_table_repeats_its_header_and_says_it_continues(demo, tmp_path, lang,
                                                                    empty_project):
    """Issue 14, second review, L: 60 widenings continue the overlay's table on page 2, which
    opens with the continuation note and the header row; every data row is printed once."""
    rows, headers = overlay_rows(demo[1], lang)
    extra = [[overlay_map.text("widening", lang, name=f"QL10 Km{80 + k}+000-Km{80 + k}+100 "
                                                       f"{30 + k % 7} m"), str(k % 5 + 12),
              f"{2000 + 37 * k:,}"] for k in range(60)]
    pdf = tmp_path / f"continued_{lang}.pdf"
    layout, table, _size = print_table(rows + extra, headers, pdf, lang)
    assert table.frameCount() == 2 and layout.pageCollection().pageCount() == 2
    check_every_cell_fits(layout, table, rows + extra, pdf)
    note = {"vi": "(tiếp theo trang trước)", "en": "(continued from the previous page)"}[lang]
    head = " ".join(rows[0])
    first, second = page_lines(pdf, 1), page_lines(pdf, 2)
    assert not [line for line in first if note in line]
    assert len([line for line in first if line.endswith(head)]) == 1
    assert second[:2] == [note, head], second[:3]
    assert second.count(head) == 1 and len(second) == 2 + len(table_rows_on(second, extra))
    pages = ("\n".join(first), "\n".join(second))
    for row in extra:  # each data row on one page only
        assert sum(page.count(row[0]) for page in pages) == 1, row[0]
    shots = Path("/tmp/ri/shots/fix14e")
    shots.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(shots / f"continued_{lang}")],
                   check=True, timeout=120)


def test_a_continued_part_repeats_the_header_of_its_own_section(tmp_path, empty_project):
    """Sections (a bold header, plain rows, a bold total): page 2 repeats the header of the
    section it continues, not the first; a section's header that would end page 1 moves to
    page 2 with its rows (and no other header is repeated above it)."""
    def section(name, count):
        return ([[f"Section {name}", "km", "count"]]
                + [[f"{name} class {k}", f"{k}.00", str(k)] for k in range(count)]
                + [[f"Total {name}", "9.00", "9"]])

    def pages(rows, name):
        bold = [n for n, row in enumerate(rows) if row[0].startswith(("Section", "Total"))]
        pdf = tmp_path / f"{name}.pdf"
        _layout, table, _size = print_table(rows, bold, pdf)
        assert table.frameCount() == 2
        return page_lines(pdf, 1), page_lines(pdf, 2)

    note = "(continued from the previous page)"
    rows = section("A", 3) + section("B", 60)
    _first, second = pages(rows, "sections")
    assert second[:3] == [note, "Section B km count", second[2]]
    assert second[2].startswith("B class ")
    # the capacity of page 1 in rows, then section B's header put in its last row
    held = rows.index(next(r for r in rows if " ".join(r) == second[2]))
    rows = section("A", held - 3) + section("B", 40)
    assert rows[held - 1][0] == "Section B"
    first, second = pages(rows, "orphan")
    assert "Section B km count" not in first and "Total A 9.00 9" in "\n".join(first)
    assert second[:3] == [note, "Section B km count", "B class 0 0.00 0"]


@pytest.mark.parametrize("language", [0, 1])
def test_printed_maps_hold_every_label_whole(demo, tmp_path, language, roadinfra_provider,
                                             empty_project):
    lang = ("vi", "en")[language]
    pdf = tmp_path / "overlay.pdf"
    run("cadastre_print_overlay", {"OVERLAY": str(demo[1]), "PROFILE": "thai_binh",
                                   "LANGUAGE": language, "OUTPUT": str(pdf)})
    flat = pdf_text(pdf)
    for row in overlay_rows(demo[1], lang)[0]:
        for cell in row:
            assert cell in flat, row
    pdf = tmp_path / "condition.pdf"
    run("print_condition_map", {"DATABASE": str(demo[0]), "LANGUAGE": language,
                                "OUTPUT": str(pdf)})
    flat = pdf_text(pdf)
    for row in condition_rows(demo[0], lang)[0]:
        for cell in row:
            assert cell in flat, row


def test_wrap_breaks_at_spaces_keeps_units_and_breaks_only_overlong_words():
    text, broken = wrap("Mở rộng QL10 Km80+200-Km81+000 32.5 m", 18, len)
    assert text.split("\n") == ["Mở rộng QL10", "Km80+200-Km81+000", "32.5 m"] and not broken
    text, broken = wrap("QL10-ĐT455-ĐT458-ĐT462 · đất", 10, len)
    assert broken and all(len(line) <= 10 for line in text.split("\n"))
    assert text.replace("\n", "").replace(" ", "") == "QL10-ĐT455-ĐT458-ĐT462·đất"
