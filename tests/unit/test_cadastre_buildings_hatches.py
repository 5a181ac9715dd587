"""Review 14u: a HATCH traced a few centimetres off its outline, houses drawn as HATCH only
inside a frame or a block outline, party walls inside a lot wall, and the notes and
decisions of a district-size drawing (DXFs written with GDAL's own DXF driver)."""

from __future__ import annotations

import pandas as pd
import pytest
from roadinfra.core.cadastre.buildings import _nesting, read_buildings
from roadinfra.core.cadastre.outputs import DECISIONS_SHEET, NOTES_SHEET, write_tables
from roadinfra.core.cadastre.overlay import overlay_corridors
from roadinfra.core.io.spreadsheet import CELL_TEXT_LIMIT
from roadinfra.core.profile import load_profile
from shapely.geometry import LineString, box

from tests.unit.test_cadastre_buildings_drawing import (
    HOUSE_C_ROWS,
    ROUTE,
    X0,
    Y0,
    _dxf,
    _gpkg_buildings,
    _hand_rows,
    _parcels,
    _ring,
    ql10,
)

__all__ = ["ql10"]  # the hand case's fixture, shared


@pytest.mark.parametrize("case", ["tube house, hatch 2 cm out", "house C, hatch 5 cm out",
                                  "house C, hatch 5 cm out, no lot wall"])
def test_a_hatch_traced_a_few_cm_outside_its_outline_is_its_fill(tmp_path, ql10, case):
    """A 4 × 15 m tube house filling the width of its 4 × 20 m lot wall, its HATCH traced
    2 cm outside the outline; house C in its lot wall (2 m side yard), its HATCH 5 cm out;
    the same without the lot wall: the house alone, its hand values (the hatch inside the
    house's outline, the lot wall an enclosure holding the house), not the wall and the
    yard as a building and the house counted twice."""
    _, quad, _ = ql10
    tube, house_c = quad(80455, 80459, -3, 12, step=1), quad(80450, 80470, -3, 10)
    house, lot = {"tube house, hatch 2 cm out": (tube, quad(80455, 80459, -3, 17, step=1)),
                  "house C, hatch 5 cm out": (house_c, quad(80450, 80470, -3, 12)),
                  "house C, hatch 5 cm out, no lot wall": (house_c, None)}[case]
    out = 0.02 if case.startswith("tube") else 0.05
    entities = ([(_ring(lot), "NHA")] if lot is not None else []) + [
        (_ring(house), "NHA"), (house.buffer(out, join_style=2), "NHA")]
    buildings = read_buildings(_dxf(tmp_path / "lot.dxf", entities), load_profile())
    assert len(buildings) == 1
    assert buildings.attrs["frames"] == ([1] if lot is not None else [])
    rows, count, notes = _hand_rows(ql10, buildings)
    expected = _hand_rows(ql10, _gpkg_buildings(tmp_path, "alone", [house]))[:2]
    assert (rows, count) == expected
    if case.startswith("house C"):
        assert rows == HOUSE_C_ROWS
    if lot is not None:
        assert sum("outline(s) read as an enclosure" in n and "row 1 (" in n
                   for n in notes) == 1


def test_an_outline_whose_house_a_larger_hatch_took_is_still_weighed():
    """A HATCH 30 cm outside its 4 × 15 m house (beyond the tolerance) takes the house; the
    4 × 20 m lot wall that held the house is weighed with the hatch (an enclosure, noted),
    never kept silently as a building of its own."""
    polygons = [box(0, 0, 4, 20), box(0, 0, 4, 15), box(0, 0, 4, 15).buffer(0.3, join_style=2)]
    found = {i + 1: [(p, "")] for i, p in enumerate(polygons)}
    frames, _, readings = _nesting(found, None, (), None, [False, False, True])
    assert frames == [1] and list(found) == [3]
    assert (1, "enclosure") in [(row, kind) for kind, row, *_ in readings]


@pytest.mark.parametrize("outline", ["140 × 120 m frame", "60 × 70 m block outline",
                                     "house-size outline"])
def test_houses_drawn_as_hatch_only_in_a_frame_are_the_buildings(tmp_path, ql10, outline):
    """Two houses drawn as HATCH entities only (no outline of their own), the 1:500 style,
    with a frame (16,800 m²), a block outline (4,200 m²) or an outline just around both on
    the buildings' CAD layer: several separate hatches are houses, the outline an
    enclosure noted with its other reading; the encroachments those of the hatches alone."""
    _, quad, _ = ql10
    houses = [quad(80450, 80470, -3, 10), quad(80480, 80490, 12, 18)]
    around = {"140 × 120 m frame": quad(80400, 80540, -60, 60),
              "60 × 70 m block outline": quad(80440, 80500, -30, 40),
              "house-size outline": quad(80449, 80491, -4, 19)}[outline]
    drawn = read_buildings(_dxf(tmp_path / "frame.dxf", [(_ring(around), "NHA")]
                                + [(h, "NHA") for h in houses]), load_profile())
    alone = read_buildings(_dxf(tmp_path / "hatches.dxf", [(h, "NHA") for h in houses]),
                           load_profile())
    assert list(drawn["row"]) == [2, 3] and drawn.attrs["frames"] == [1]
    assert [(kind, row, [r for r, _ in inner]) for kind, row, _, inner
            in drawn.attrs["readings"]] == [("enclosure", 1, [2, 3])]
    rows, count, notes = _hand_rows(ql10, drawn)
    assert (rows, count) == _hand_rows(ql10, alone)[:2] and count == 2
    assert any("read as an enclosure" in n and "holds rows 2, 3" in n for n in notes)


def test_one_hatch_in_a_house_size_outline_stays_its_fill(tmp_path, ql10):
    """One HATCH, the only one, in an outline of at most 5,000 m² is its fill (a hatch over
    half a house: review 14t), merged without a reading."""
    _, quad, _ = ql10
    tube = quad(80450, 80465, 2, 6)
    drawn = read_buildings(_dxf(tmp_path / "one.dxf", [(_ring(tube), "NHA"),
                                                      (quad(80450, 80457.5, 2, 6), "NHA")]),
                           load_profile())
    assert list(drawn["row"]) == [1] and drawn.attrs["readings"] == []


def test_a_reading_names_each_part_of_a_terrace_once(tmp_path):
    """A terrace of three drawn as one outline with two LINE party walls inside its lot
    wall: the enclosure's reading names the buildings 2.1, 2.2, 2.3, not row 2 three
    times."""
    terrace = box(X0 + 105, Y0 + 8, X0 + 120, Y0 + 14)
    lot = box(X0 + 103, Y0 + 6, X0 + 125, Y0 + 20)
    walls = [LineString([(X0 + 110, Y0 + 8), (X0 + 110, Y0 + 14)]),
             LineString([(X0 + 115, Y0 + 8), (X0 + 115, Y0 + 14)])]
    buildings = read_buildings(_dxf(tmp_path / "terrace.dxf", [
        (_ring(lot), "NHA"), (_ring(terrace), "NHA")] + [(w, "NHA") for w in walls]),
        load_profile())
    assert list(buildings["building"]) == ["2.1", "2.2", "2.3"]
    assert [(kind, row, [r for r, _ in inner]) for kind, row, _, inner
            in buildings.attrs["readings"]] == [("enclosure", 1, ["2.1", "2.2", "2.3"])]
    result = overlay_corridors(_parcels(), ROUTE, {"DT455": "IV"}, load_profile(),
                               buildings=buildings)
    assert any("holds rows 2.1, 2.2, 2.3 (90.0 m²)" in n for n in result.notes)


def test_2000_exploded_houses_give_bounded_notes_and_every_decision_in_the_workbook(
        tmp_path):
    """2,000 houses "exploded" into 4 LINE entities each, and 2,000 terraces of two drawn as
    one outline with a LINE party wall: every note fits a workbook cell (the first 20
    outlines, then how many more), the XLSX is written, and its decisions sheet lists every
    outline joined and every outline split, one row each."""
    entities = []
    for n in range(2000):
        x, y = X0 + 150 + (n % 50) * 12, Y0 + 40 + (n // 50) * 12
        c = list(box(x, y, x + 5, y + 6).exterior.coords)
        entities += [(LineString([c[i], c[i + 1]]), "NHA") for i in range(4)]
        x += 6
        entities += [(_ring(box(x, y, x + 5, y + 6)), "NHA"),
                     (LineString([(x + 2.5, y), (x + 2.5, y + 6)]), "NHA")]
    profile = load_profile()
    buildings = read_buildings(_dxf(tmp_path / "exploded.dxf", entities), profile)
    assert len(buildings.attrs["joined"]) == 2000 and len(buildings.attrs["walls"]) == 2000
    result = overlay_corridors(_parcels(), ROUTE, {"DT455": "IV"}, profile,
                               buildings=buildings)
    notes = result.notes
    assert max(len(n) for n in notes) < 5000
    assert any(n.startswith("8000 loose line(s) of the buildings drawing joined into 2000 "
                            "outline(s)") and n.endswith("; and 1980 more") for n in notes)
    assert any("across 2000 closed outline(s)" in n and n.endswith("; and 1980 more")
               for n in notes)
    path = write_tables({"corridor_parcels": result.pieces}, tmp_path / "overlay.xlsx",
                        lang="en", notes=result.workbook_notes,
                        extra={DECISIONS_SHEET: result.decisions})
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["corridor_parcels", DECISIONS_SHEET, NOTES_SHEET]
    decisions = sheets[DECISIONS_SHEET]
    assert list(decisions.columns) == ["Decision", "File row", "Rows concerned",
                                       "Outline area (m²)", "Area inside (m²)",
                                       "Other reading"]
    counts = decisions["Decision"].value_counts().to_dict()
    assert counts == {"loose lines joined into an outline": 2000,
                      "party walls: a building per part": 2000}
    joined = decisions[decisions["Decision"] == "loose lines joined into an outline"]
    assert list(joined["Rows concerned"])[-1] == ", ".join(
        str(r) for r in buildings.attrs["joined"][-1])
    assert sheets[NOTES_SHEET].iloc[:, 0].str.len().max() <= CELL_TEXT_LIMIT
