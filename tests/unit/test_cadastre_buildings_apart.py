"""Outlines merged as one building moved off itself, where the one kept is then left out
(review 14aa): a lot wall read as an enclosure takes nothing merged into it as moved off
it out with it; the house built out past it stands as a building again and is charged.
Connected moved pairs (a terrace and its old survey moved along the road) are charged as
one survey. Hand case QL10: road land to 8 m off the centre line, the safety corridor 8 to
21 m; by hand, a footprint's road land is its strip from its front wall to 8 m."""

from __future__ import annotations

import pytest
from roadinfra.core.cadastre.buildings import read_buildings
from roadinfra.core.profile import load_profile

from tests.unit.test_cadastre_buildings_drawing import _dxf, _gpkg_buildings, _ring, ql10
from tests.unit.test_cadastre_buildings_moved import ROAD_EDGE, _charged, _overlay

__all__ = ["ql10"]  # the hand case's fixture, shared


@pytest.mark.parametrize("case", ["lean-to", "four sheds", "reversed", "dxf"])
def test_a_house_built_out_past_a_lot_wall_read_as_an_enclosure_is_charged(
        tmp_path, ql10, case):
    """A lot wall (offsets 3..19.4, 330.1 m², 100.64 m² on road land), the house built 1 m
    out past it toward the road (offsets 2..18: 322.05 m², 120.77 on road land), in the
    1.4 m rear yard a 19.8 × 1.3 m lean-to (25.9 m², over the small-part size) or four
    2 × 1 m sheds (over the small-part count): the lot wall is an enclosure, left out; the
    house, merged into it first as moved off it, stands as a building again and is charged
    with the yard's buildings beside it, as without the lot wall; the note says so."""
    _, quad, _ = ql10
    lot, house = quad(80450, 80470, 3.0, 19.4, step=1), quad(80450, 80470, 2.0, 18.0, step=1)
    yard = ([quad(80451 + 5 * j, 80453 + 5 * j, 18.1, 19.1, step=0.5) for j in range(4)]
            if case == "four sheds" else [quad(80450.1, 80469.9, 18.05, 19.35, step=0.5)])
    rows = [lot, house] + yard
    if case == "reversed":
        rows = rows[::-1]
    if case == "dxf":
        path = _dxf(tmp_path / "lean_to.dxf", [(_ring(g), "NHA") for g in rows])
        buildings = read_buildings(path, load_profile())
    else:
        buildings = _gpkg_buildings(tmp_path, "lean_to", rows)
    result = _overlay(ql10, buildings)
    house_row = rows.index(house) + 1
    lot_row = rows.index(lot) + 1
    names, road, total = _charged(result)
    assert str(house_row) in names and str(lot_row) not in names
    assert road == round(quad(80450, 80470, 2.0, ROAD_EDGE, step=1).area, 2) == 120.77
    assert total == pytest.approx(house.area + sum(g.area for g in yard), abs=0.03)
    assert result.frames == [lot_row]
    assert result.apart == [(lot_row, [house_row])]
    assert result.moved == [] and result.same == []
    [note] = [n for n in result.notes if "not left out with it" in n]
    assert note.endswith(f"row(s) {house_row} (off {lot_row})")
    rows_apart = result.decisions[result.decisions["decision"] == "stands again"]
    assert rows_apart[["outline", "rows"]].values.tolist() == [[lot_row, str(house_row)]]


def test_a_lot_wall_holding_a_small_lean_to_stays_a_moved_pair(tmp_path, ql10):
    """The same with a 20.15 m² lean-to (a small part of the lot wall): the lot wall is
    kept, the house merged into it as moved off it and charged with the lean-to."""
    _, quad, _ = ql10
    lot, house = quad(80450, 80470, 3.0, 19.4, step=1), quad(80450, 80470, 2.0, 18.0, step=1)
    lean = quad(80452, 80467.4, 18.05, 19.35, step=0.5)
    result = _overlay(ql10, _gpkg_buildings(tmp_path, "small", [lot, house, lean]))
    assert _charged(result) == (["2"], 120.77, pytest.approx(house.area + lean.area, abs=0.03))
    assert result.apart == [] and result.frames == []


def _by_parcel(result) -> dict:
    enc = result.encroachments
    enc = enc[enc["part"] == "building"]
    return {key: round(v, 2) for key, v in
            enc.groupby(["zone", "parcel_no"])["area_in_m2"].sum().items()}


@pytest.mark.parametrize("shift,order", [(1.0, "gpkg"), (1.4, "gpkg"), (1.4, "reversed"),
                                         (1.4, "dxf")])
def test_a_terrace_and_its_old_survey_sized_apart_charges_one_survey(
        tmp_path, ql10, shift, order):
    """Five 3 × 12 m houses of a terrace (offsets 3..15, rows 1-5) and their old outlines
    moved 1.0 / 1.4 m along the road, 2 cm wider and narrower in turn (rows 6-10): each
    old outline overlaps its neighbour's new one, so the pairs are decided together. The
    old survey takes more road land (by hand: 75.60 against 75.50 m²): it is charged whole,
    parcel by parcel as the old survey alone gives; no overlap of the outlines charged,
    no "delete the copy" note."""
    _, quad, _ = ql10
    new = [quad(80450 + 3 * i, 80453 + 3 * i, 3.0, 15.0, step=1) for i in range(5)]
    old = [quad(80450 + 3 * i + shift,
                80453 + 3 * i + shift + (0.02 if i % 2 == 0 else -0.02), 3.0, 15.0, step=1)
           for i in range(5)]
    rows = new + old if order != "reversed" else (new + old)[::-1]
    if order == "dxf":
        buildings = read_buildings(_dxf(tmp_path / "terrace.dxf",
                                        [(_ring(g), "NHA") for g in rows]), load_profile())
    else:
        buildings = _gpkg_buildings(tmp_path, "terrace", rows)
    result = _overlay(ql10, buildings)
    alone = _overlay(ql10, _gpkg_buildings(tmp_path, "old", old))
    by_hand = [round(g.intersection(quad(80440, 80480, 0.0, ROAD_EDGE, step=1)).area, 2)
               for g in old]
    assert round(sum(by_hand), 2) == 75.60
    assert _charged(result)[0] == sorted(str(rows.index(g) + 1) for g in old)
    assert _by_parcel(result) == _by_parcel(alone)
    assert _charged(result)[1] == 75.60
    assert result.overlaps == [] and result.unsplit == []
    assert not [n for n in result.notes if "delete the copy" in n]


def test_moved_pairs_that_do_not_split_into_two_surveys_are_decided_pair_by_pair():
    """Two houses whose new outlines overlap each other by 1 m (A, B) and their old
    outlines moved 1 m along (A', B'): A' overlaps B, A overlaps B: no two surveys, so
    each pair is charged alone (the most road land) and the group's rows are returned."""
    from roadinfra.core.cadastre.surveys import charged_outlines
    from shapely.geometry import box

    a, a2, b, b2 = box(0, 0, 3, 10), box(1, 0, 4, 10), box(2, 0, 5, 10), box(3, 0, 6, 10)
    best, unsplit = charged_outlines(
        [[("1", 30.0), ("3", 30.0)], [("2", 30.0), ("4", 30.0)]],
        [[(5.0, 1.0), (6.0, 1.0)], [(7.0, 1.0), (2.0, 1.0)]], [[a, a2], [b, b2]])
    assert best == [1, 0] and unsplit == [[1, 2, 3, 4]]


def test_the_hatch_of_the_outline_not_charged_is_named_in_the_one_charged(tmp_path, ql10):
    """A DXF: a new survey's 20.3 × 15 m outline (row 1, the larger, kept), its HATCH
    (row 2), the old outline 1 m toward the road (row 3, charged: by hand 120.77 m² on road
    land). The HATCH is one building with the building charged, row 3: the merge note
    names row 3, not row 1, which the encroachment list does not hold."""
    _, quad, _ = ql10
    new, old = quad(80450, 80470.3, 3.0, 18.0, step=1), quad(80450, 80470, 2.0, 17.0, step=1)
    path = _dxf(tmp_path / "hatch.dxf", [(_ring(new), "NHA"), (new, "NHA"), (_ring(old), "NHA")])
    result = _overlay(ql10, read_buildings(path, load_profile()))
    assert _charged(result) == (["3"], 120.77, pytest.approx(old.area, abs=0.02))
    assert result.same == [(3, 2)]
    [note] = [n for n in result.notes if n.startswith("1 footprint(s) counted as one")]
    assert note.endswith("row(s) 2 (in 3)")
    merged = result.decisions[result.decisions["decision"] == "merged"]
    assert merged[["outline", "rows"]].values.tolist() == [[3, "2"]]


@pytest.mark.parametrize("fmt", ["gpkg", "dxf"])
def test_a_survey_over_a_house_drawn_in_the_other_survey_only_is_not_charged(
        tmp_path, ql10, fmt):
    """Five 3 × 12 m houses of a terrace (offsets 3..15, rows 1-5) and the old survey of
    houses 1-4 only (rows 6-9), 1 m along and 1 m toward the road: the old survey takes
    more road land, but its house 4 lies over house 5, drawn in the new survey only (built
    since). The new survey is charged whole (by hand: 75.50 m² on road land, each house
    once), no building is counted twice, and no "delete the copy" note (review 14bb #1)."""
    _, quad, _ = ql10
    new = [quad(80450 + 3 * i, 80453 + 3 * i, 3.0, 15.0, step=1) for i in range(5)]
    old = [quad(80451 + 3 * i, 80454 + 3 * i, 2.0, 14.0, step=1) for i in range(4)]
    if fmt == "dxf":
        buildings = read_buildings(_dxf(tmp_path / "odd.dxf",
                                        [(_ring(g), "NHA") for g in new + old]), load_profile())
    else:
        buildings = _gpkg_buildings(tmp_path, "odd", new + old)
    result = _overlay(ql10, buildings)
    alone = _overlay(ql10, _gpkg_buildings(tmp_path, "new", new))
    by_hand = [round(g.intersection(quad(80440, 80480, 0.0, ROAD_EDGE, step=1)).area, 2)
               for g in new]
    assert round(sum(by_hand), 2) == 75.50
    assert _charged(result) == _charged(alone)
    assert _charged(result)[:2] == (["1", "2", "3", "4", "5"], 75.50)
    assert _by_parcel(result) == _by_parcel(alone)
    assert result.overlaps == [] and result.unsplit == []
    assert not [n for n in result.notes if "delete the copy" in n]
    # review 14cc #1: the decision is said as the lone house's, never as more road land
    assert not [n for n in result.notes if "the one taking more road land" in n]
    [note] = [n for n in result.notes if "the survey lying over a building drawn in one "
              "survey only not charged" in n]
    assert note.startswith("4 pair(s) of outlines of a size") and (
        "row 1 charged, row 6 not (the other survey lies over row(s) 5, drawn in one survey "
        "only); row 2 charged, row 7 not") in note
    decisions = result.decisions
    assert set(decisions["decision"]) == {"moved over lone", "lone house"}
    over = decisions[decisions["decision"] == "moved over lone"]
    assert over[["outline", "rows"]].astype(str).values.tolist() == [
        ["1", "6"], ["2", "7"], ["3", "8"], ["4", "9"]]
    assert set(over["other_reading"]) == {"the other survey charged"}
    lone = decisions[decisions["decision"] == "lone house"]
    assert lone[["outline", "rows"]].astype(str).values.tolist() == [["5", "9"]]


def test_a_single_pair_over_a_house_drawn_once_is_noted_so(tmp_path, ql10):
    """Review 14cc #1, the single pair: house A (row 1) and its old outline 1 m along and
    1 m toward the road (row 3, more road land) lying over house B (row 2), drawn once:
    row 1 is charged, and the note and decisions say it is for row 2, not for road land."""
    _, quad, _ = ql10
    a, b = quad(80450, 80453, 3.0, 15.0, step=1), quad(80453, 80456, 3.0, 15.0, step=1)
    old = quad(80451, 80454, 2.0, 14.0, step=1)
    result = _overlay(ql10, _gpkg_buildings(tmp_path, "pair", [a, b, old]))
    assert _charged(result)[0] == ["1", "2"]
    assert [n for n in result.notes if "moved up to 1.5 m" in n] == [
        "1 pair(s) of outlines of a size, one moved up to 1.5 m off the other, counted as one "
        "building (a resurvey moved off itself), the survey lying over a building drawn in one "
        "survey only not charged, whatever its land: row 1 charged, row 3 not (the other "
        "survey lies over row(s) 2, drawn in one survey only). To say which, delete the old "
        "outlines"]
    assert result.decisions[["decision", "outline", "rows"]].astype(str).values.tolist() == [
        ["moved over lone", "1", "3"], ["lone house", "2", "3"]]


def test_both_surveys_over_a_house_drawn_once_are_noted_mixed_not_as_a_copy():
    """Two houses (rows 1, 2) and their old outlines 1 m along (rows 3, 4), with houses
    drawn once that old house 2 (row 4) lies over (row 5) and new house 1 (row 1) lies over
    (row 6): both surveys overlap one, so the key decides (the old survey, more road land),
    and the group is returned with row 5 to be noted as surveys mixed. A survey over no
    such house wins whatever its land; an outline alone over one is not charged either."""
    from roadinfra.core.cadastre.surveys import charged_outlines
    from shapely.geometry import box

    new1, old1, new2, old2 = box(0, 0, 3, 10), box(1, 0, 4, 10), box(3, 0, 6, 10), box(4, 0, 7, 10)
    land = [[(5.0, 1.0), (6.0, 1.0)], [(5.0, 1.0), (6.0, 1.0)]]
    options = [[("1", 30.0), ("3", 30.0)], [("2", 30.0), ("4", 30.0)]]
    both = [("5", box(6, 0, 9, 10)), ("6", box(-2, 0, 1, 10))]
    lone: list = []
    assert charged_outlines(options, land, [[new1, old1], [new2, old2]], both, lone) == (
        [1, 1], [[1, 2, 3, 4, 5]])
    assert lone == [([1, 2, 3, 4], False, [(1, 6), (4, 5)])]  # the key decided
    lone.clear()
    assert charged_outlines(options, land, [[new1, old1], [new2, old2]], both[:1], lone) == (
        [0, 0], [])
    assert lone == [([1, 2, 3, 4], True, [(4, 5)])]  # row 5 decided: its survey not charged
    lone.clear()
    assert charged_outlines(options[:1], land[:1], [[new1, old1]], [("5", box(3, 0, 6, 10))],
                            lone) == ([0], [])
    assert lone == [([1, 3], True, [(3, 5)])]


def test_both_surveys_over_houses_drawn_once_charge_the_key_and_note_the_group(tmp_path, ql10):
    """The terrace above with one more house drawn once (row 10), 2 m before house 1 and
    over it by 1 m: each survey now lies over a house drawn once (the new house 1 over
    row 10, the old house 4 over row 5), so the key decides (the old survey, more road
    land) and the group is noted as surveys mixed with row 5, never as a copy to delete."""
    _, quad, _ = ql10
    new = [quad(80450 + 3 * i, 80453 + 3 * i, 3.0, 15.0, step=1) for i in range(5)]
    old = [quad(80451 + 3 * i, 80454 + 3 * i, 2.0, 14.0, step=1) for i in range(4)]
    before = quad(80448, 80451, 3.0, 15.0, step=1)
    result = _overlay(ql10, _gpkg_buildings(tmp_path, "odd", new + old + [before]))
    assert _charged(result)[0] == ["10", "5", "6", "7", "8", "9"]
    assert result.unsplit == [[1, 2, 3, 4, 5, 6, 7, 8, 9]]
    assert result.overlaps == []
    assert not [n for n in result.notes if "delete the copy" in n]
    assert [n for n in result.notes if n.startswith("1 group(s) of outlines moved off "
                                                    "themselves mixing two surveys")]
    # review 14cc #2: one survey charged whole over a house drawn once, said so; row 5 (the
    # house drawn once) is no moved pair
    decisions = result.decisions
    assert not (decisions["decision"] == "surveys mixed").any()
    whole = decisions[decisions["decision"] == "surveys over lone"]
    assert sorted(whole["rows"]) == sorted(str(r) for r in (2, 3, 4, 6, 7, 8, 9))
    assert set(whole["other_reading"]) == {"the other survey charged"}
    lone = decisions[decisions["decision"] == "lone house"]
    assert sorted(lone[["outline", "rows"]].astype(str).values.tolist()) == [
        ["10", "1"], ["5", "9"]]
