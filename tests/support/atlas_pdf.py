"""Checks of a printed plan atlas with poppler: page count and size, embedded fonts, and on
every page its sheet number, its title and exactly the plan items of that sheet in its table
(the rows read back from the PDF's text, compared with the core's sheets)."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

#: Page sizes in points of the templates.
PAGE_SIZES = {"a3": "1191 x 842", "a4": "595 x 842"}
ROW = re.compile(r"\b(\d+) +([^\s\d]\S*) +(Km\d+\+\d{3}) +(Km\d+\+\d{3})\b")


def poppler(*args) -> str:
    done = subprocess.run([str(a) for a in args], check=True, capture_output=True, timeout=120)
    return unicodedata.normalize("NFC", done.stdout.decode("utf-8"))


def page_text(pdf: Path, page: int) -> str:
    return poppler("pdftotext", "-layout", "-f", page, "-l", page, pdf, "-")


def plan_items(target, plan_id) -> list:
    """(route code, Km from, Km to) of every item of the plan, read from the database."""
    from roadinfra.core.chainage import format_chainage
    from roadinfra.core.db import open_database

    with open_database(target) as db:
        routes = {r["id"]: r["code"] for r in db.fetch("route")}
        return sorted((routes[i["route_id"]], format_chainage(i["from_m"], decimals=0),
                       format_chainage(i["to_m"], decimals=0))
                      for i in db.fetch("plan_item", where={"plan_id": plan_id}))


def check_atlas_pdf(pdf: Path, atlas, template: str = "a3", items=None) -> None:
    """Assert that ``pdf`` prints the :class:`PlanAtlas` ``atlas`` (cover first) and, given
    the plan's ``items`` (:func:`plan_items`), that the sheets' tables list each once."""
    info = poppler("pdfinfo", pdf)
    assert re.search(rf"^Pages:\s+{atlas.sheet_count}$", info, re.MULTILINE), info
    assert PAGE_SIZES[template] in info, info
    fonts = poppler("pdffonts", pdf).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # emb column
    assert any("DejaVuSans" in line for line in fonts), fonts
    cover = page_text(pdf, 1)
    assert atlas.sheet_label(1) in cover
    assert atlas.cover_title in cover and atlas.plan_name in cover
    assert atlas.agency.upper() in cover
    assert not ROW.findall(cover)   # the cover holds the totals, not items
    for row in atlas.totals:        # the totals table: every district and the total
        assert re.search(r"\s+".join(re.escape(cell) for cell in row[:3]), cover), row
    printed_all = []
    for k, sheet in enumerate(atlas.sheets, start=2):
        text = page_text(pdf, k)
        assert atlas.sheet_label(k) in text, (k, text[:400])
        assert sheet.title in text, (k, sheet.title)
        printed = sorted((int(n), route, a, b) for n, route, a, b in ROW.findall(text))
        expected = sorted((r.number, r.route, r.km_from, r.km_to) for r in sheet.rows)
        assert printed == expected, (k, sheet.title)
        printed_all += [(route, a, b) for _, route, a, b in printed]
    if items is not None:
        assert sorted(printed_all) == items
