"""Review 14u: a HATCH traced a few centimetres off its outline, houses drawn as HATCH only
inside a frame or a block outline, party walls inside a lot wall, and the notes and
decisions of a district-size drawing (DXFs written with GDAL's own DXF driver)."""

from __future__ import annotations

import pandas as pd
import pytest
from roadinfra.core.cadastre.buildings import _nesting, _same_buildings, read_buildings
from roadinfra.core.cadastre.outputs import DECISIONS_SHEET, NOTES_SHEET, write_tables
from roadinfra.core.cadastre.overlay import overlay_corridors
from roadinfra.core.io.spreadsheet import CELL_TEXT_LIMIT
from roadinfra.core.profile import load_profile
from shapely.affinity import translate
from shapely.geometry import LineString, Polygon, box

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
    """A HATCH 30 cm outside its 4 × 15 m house is the same building (review 14v: the
    house's outline kept, not the larger hatch); the 4 × 20 m lot wall that held the house
    is an enclosure, noted, never kept silently as a building of its own."""
    polygons = [box(0, 0, 4, 20), box(0, 0, 4, 15), box(0, 0, 4, 15).buffer(0.3, join_style=2)]
    found = {i + 1: [(p, "")] for i, p in enumerate(polygons)}
    frames, _, readings, _, _ = _nesting(found, None, (), None, [False, False, True])
    assert frames == [1] and list(found) == [2] and found[2][0][0].area == 60
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
    line joined and every wall, one row each (review 14v #4: no cell grows with the
    drawing)."""
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
                                       "Other outline's area, not charged (m²)",
                                       "Other reading"]
    counts = decisions["Decision"].value_counts().to_dict()
    assert counts == {"loose lines joined into an outline": 8000,
                      "party walls: a building per part": 2000}
    joined = decisions[decisions["Decision"] == "loose lines joined into an outline"]
    assert [str(r) for r in joined["Rows concerned"]][-4:] == [
        str(r) for r in buildings.attrs["joined"][-1]]
    assert sheets[NOTES_SHEET].iloc[:, 0].str.len().max() <= CELL_TEXT_LIMIT


HOUSE = box(0, 0, 10, 20)


@pytest.mark.parametrize("case", ["a copy", "a hatch 15 cm out", "a hatch 40 cm out",
                                  "a hatch shifted 30 cm", "a fill to 45 cm walls' inner face"])
def test_footprints_within_half_a_metre_of_each_other_are_the_same_building(case):
    """Review 14v #1-#3: two footprints whose symmetric difference holds nothing wider than
    0.5 m are one building drawn twice; the outline (no HATCH) is kept."""
    other = {"a copy": HOUSE, "a hatch 15 cm out": HOUSE.buffer(0.15, join_style=2),
             "a hatch 40 cm out": HOUSE.buffer(0.4, join_style=2),
             "a hatch shifted 30 cm": translate(HOUSE, 0.3, 0.3),
             "a fill to 45 cm walls' inner face": HOUSE.buffer(-0.45, join_style=2)}[case]
    assert _same_buildings([other, HOUSE], [True, False])[0] == {0: 1}
    assert _same_buildings([HOUSE, other], [False, False])[0] == (
        {1: 0} if other.area <= HOUSE.area else {0: 1})  # no HATCH: the larger kept


@pytest.mark.parametrize("case", ["a lot wall with a 1 m yard", "a lot wall with a 2 m yard",
                                  "a house and its stair well", "terrace neighbours",
                                  "a hatch with a courtyard island"])
def test_footprints_wider_apart_than_half_a_metre_are_not_the_same_building(case):
    """A lot wall with a 1-2 m yard, a house and its stair well, two houses of a terrace,
    an outline and its hatch with a 4 × 4 m courtyard: each stays a footprint of its own
    for the nesting rules."""
    other = {"a lot wall with a 1 m yard": box(0, 0, 11, 20),
             "a lot wall with a 2 m yard": box(-2, -2, 12, 22),
             "a house and its stair well": box(2, 5, 3.2, 7.5),
             "terrace neighbours": box(10, 0, 20, 20),
             "a hatch with a courtyard island": Polygon(HOUSE.exterior, [box(3, 8, 7, 12)
                                                                         .exterior])}[case]
    assert _same_buildings([HOUSE, other], [False, True])[0] == {}


@pytest.mark.parametrize("out", [0.0, 0.15])
def test_a_terrace_house_whose_hatch_is_traced_outside_it_is_counted_once(tmp_path, ql10, out):
    """Review 14v #1: a terrace of three 4 × 15 m houses (outline + HATCH each) in a block
    outline, house 1's HATCH 15 cm outside its outline: 3 buildings, 144.90 m², as with
    exact hatches; the hatch noted as merged into its house."""
    _, quad, _ = ql10
    houses = [quad(80450 + 4 * i, 80454 + 4 * i, -3, 12, step=1) for i in range(3)]
    entities = [(_ring(quad(80449, 80463, -4, 13, step=1)), "NHA")]
    for i, h in enumerate(houses):
        entities += [(_ring(h), "NHA"), (h.buffer(out, join_style=2) if i == 0 and out else h,
                                         "NHA")]
    buildings = read_buildings(_dxf(tmp_path / "terrace.dxf", entities), load_profile())
    assert list(buildings["row"]) == [2, 4, 6] and buildings.attrs["frames"] == [1]
    rows, count, notes = _hand_rows(ql10, buildings)
    assert count == 3 and round(sum(a for _, a in rows), 2) == 144.90
    assert (rows, count) == _hand_rows(ql10, _gpkg_buildings(tmp_path, "alone", houses))[:2]
    assert any(n.startswith("3 footprint(s) counted as one building with another") and
               "3 (in 2)" in n for n in notes)


@pytest.mark.parametrize("around", ["lot wall", "4,227 m² inset"])
@pytest.mark.parametrize("out", [0.15, 0.25, 0.40])
def test_house_c_with_its_hatch_traced_outside_in_its_lot_wall_is_house_c(tmp_path, ql10,
                                                                          around, out):
    """Review 14v #2: house C's HATCH 15, 25 or 40 cm outside its outline, in its lot wall
    (2 m side yard) or a 4,227 m² inset on the same CAD layer: house C, 201.28 m², the
    outline kept, never the lot wall or the inset with the yard."""
    _, quad, _ = ql10
    house_c = quad(80450, 80470, -3, 10, step=1)
    lot = {"lot wall": quad(80450, 80470, -3, 12), "4,227 m² inset":
           quad(80430, 80490, -20, 50, step=5)}[around]
    entities = [(_ring(lot), "NHA"), (_ring(house_c), "NHA"),
                (house_c.buffer(out, join_style=2), "NHA")]
    buildings = read_buildings(_dxf(tmp_path / "lot.dxf", entities), load_profile())
    assert list(buildings["row"]) == [2] and buildings.attrs["frames"] == [1]
    assert buildings.attrs["same"] == [(2, 3)]
    rows, count, _ = _hand_rows(ql10, buildings)
    assert (rows, count) == (HOUSE_C_ROWS, 1)


@pytest.mark.parametrize("house", ["tube house", "house C"])
@pytest.mark.parametrize("shift", [0.15, 0.30])
def test_a_hatch_shifted_off_its_outline_is_the_same_building(tmp_path, ql10, house, shift):
    """Review 14v #3: a HATCH left behind when its outline was moved 15 or 30 cm (along and
    across the road): one building, the outline's (tube house 48.30 m², house C 201.28 m²),
    the hatch noted as merged and on the decisions sheet."""
    _, quad, _ = ql10
    outline = {"tube house": quad(80455, 80459, -3, 12, step=1),
               "house C": quad(80450, 80470, -3, 10, step=1)}[house]
    buildings = read_buildings(_dxf(tmp_path / "shift.dxf", [
        (_ring(outline), "NHA"), (translate(outline, shift, shift), "NHA")]), load_profile())
    assert list(buildings["row"]) == [1] and buildings.attrs["same"] == [(1, 2)]
    routes, _, parcels = ql10
    result = overlay_corridors(parcels, routes, {"QL10": "III"}, load_profile(),
                               buildings=buildings)
    assert result.encroaching_buildings == 1
    total = round(float(result.encroachments["area_in_m2"].sum()), 2)
    assert total == {"tube house": 48.30, "house C": 201.28}[house]
    assert any("counted as one building with another" in n and "2 (in 1)" in n
               for n in result.notes)
    decisions = result.decisions
    assert decisions[["decision", "outline", "rows"]].values.tolist() == [["merged", 1, "2"]]


def test_6000_houses_in_a_frame_give_a_workbook_with_every_decision(tmp_path):
    """Review 14v #4: 6,000 houses (outline + HATCH, every 10th with a stair well) in a
    frame on the buildings' CAD layer: the XLSX is written (no cell overflows) and its
    decisions sheet holds a row per house the frame encloses and per hatch merged."""
    entities, n, houses = [], 0, 6000
    for i in range(78):
        for j in range(78):
            if n == houses:
                break
            x, y = X0 + 100 + i * 15, Y0 - 500 + j * 15
            b = box(x, y, x + 8, y + 12)
            entities += [(_ring(b), "NHA"), (b, "NHA")]
            if n % 10 == 1:
                entities.append((_ring(box(x + 1, y + 1, x + 2.2, y + 3.5)), "NHA"))
            n += 1
    entities.append((_ring(box(X0 + 80, Y0 - 520, X0 + 100 + 78 * 15 + 20,
                               Y0 - 500 + 78 * 15 + 20)), "NHA"))
    profile = load_profile()
    buildings = read_buildings(_dxf(tmp_path / "frame.dxf", entities), profile)
    assert len(buildings) == houses and buildings.attrs["frames"] == [len(entities)]
    result = overlay_corridors(_parcels(), ROUTE, {"DT455": "IV"}, profile,
                               buildings=buildings)
    path = write_tables({"corridor_parcels": result.pieces}, tmp_path / "overlay.xlsx",
                        lang="en", notes=result.workbook_notes,
                        extra={DECISIONS_SHEET: result.decisions})
    decisions = pd.read_excel(path, sheet_name=DECISIONS_SHEET)
    assert len(decisions) == len(result.decisions)
    counts = decisions["Decision"].value_counts().to_dict()
    enclosure = "enclosure left out, the footprints inside the buildings"
    assert counts[enclosure] == houses and counts["one building with its small parts"] == 600
    assert set(decisions[decisions["Decision"] == enclosure]["Rows concerned"].astype(str)) \
        == {str(row) for row in buildings["row"]}
    assert decisions["Rows concerned"].astype(str).str.len().max() < 100


@pytest.mark.parametrize("hatch", [False, True])
def test_a_fill_leaving_out_a_courtyard_island_is_the_house_fill(hatch):
    """A 20 × 20 m house whose fill (a GIS polygon or a HATCH) leaves out a 10 × 10 m
    courtyard is not the same building (the courtyard is wider than 0.5 m) but the
    outline's fill: one building of 400 m², the GIS fill's reading noted."""
    fill = Polygon(box(0, 0, 20, 20).exterior, [box(5, 5, 15, 15).exterior])
    found = {1: [(box(0, 0, 20, 20), "")], 2: [(fill, "")]}
    frames, same, readings, _, _ = _nesting(found, None, (), None, [False, hatch])
    assert (frames, same, list(found)) == ([], [(1, 2)], [1])
    assert found[1][0][0].area == 400
    assert [kind for kind, *_ in readings] == ([] if hatch else ["fill"])


@pytest.mark.parametrize("case", ["house 6 % out of its lot wall", "HATCH 1.6 m off"])
def test_buildings_still_overlapping_are_both_counted_and_noted(tmp_path, ql10, case):
    """Review 14y #1, #2: what no rule reads as one building (a house sticking 6 % out of
    its lot wall; a tube house and its HATCH left 1.6 m off it) is counted twice, and the
    run says so: a note naming both and the overlap, a decisions row each."""
    _, quad, _ = ql10
    if case.startswith("house"):
        lot, house = quad(80450, 80470, -2, 14, step=1), quad(80450.2, 80469.8, 0, 14.9)
        entities = [(_ring(lot), "NHA"), (_ring(house), "NHA")]
    else:
        entities = [(_ring(quad(80455, 80459, -3, 12, step=1)), "NHA"),
                    (quad(80456.6, 80460.6, -3, 12, step=1), "NHA")]
    buildings = read_buildings(_dxf(tmp_path / "b.dxf", entities), load_profile())
    [(a, b, m2, share)] = buildings.attrs["overlaps"]
    assert (a, b) == ("1", "2") and m2 > 0 and share >= 0.2
    routes, _, parcels = ql10
    result = overlay_corridors(parcels, routes, {"QL10": "III"}, load_profile(),
                               buildings=buildings)
    assert result.encroaching_buildings == 2
    assert any(n.startswith("1 pair(s) of buildings overlapping by a fifth") and
               f"1 and 2 ({m2:,.1f} m²" in n for n in result.notes)
    decided = result.decisions
    assert decided[decided["decision"] == "overlapping"][["outline", "rows"]].values.tolist() \
        == [["1", "2"]]


def test_neighbours_sharing_a_wall_drawn_twice_are_not_noted_as_overlapping(tmp_path, ql10):
    _, quad, _ = ql10
    houses = [quad(80450, 80454.2, -3, 12, step=1), quad(80454, 80458, -3, 12, step=1)]
    buildings = read_buildings(_dxf(tmp_path / "n.dxf", [(_ring(h), "NHA") for h in houses]),
                               load_profile())
    assert buildings.attrs["overlaps"] == []
