"""Of two outlines merged as one building moved off itself, the overlay charges the one
taking more road land, and the whole building row follows it (review 14z): its geometry
whatever its type (a repaired bow-tie is two parts), its row, its repair, the small parts
the kept outline had taken (sheds in the yard), the notes naming it. A house drawn as a
HATCH only is weighed like an outline; ties fall to the row kept, whatever float noise
says. Hand case QL10: road land to 8 m off the centre line, the safety corridor 8 to 21 m;
by hand, a footprint's road land is its strip from its front wall to 8 m."""

from __future__ import annotations

import pandas as pd
import pytest
from roadinfra.core.cadastre.buildings import read_buildings
from roadinfra.core.cadastre.outputs import DECISIONS_SHEET, write_tables
from roadinfra.core.profile import load_profile
from shapely.geometry import Polygon

from tests.unit.test_cadastre_buildings_drawing import _dxf, _gpkg_buildings, _ring, ql10
from tests.unit.test_cadastre_buildings_moved import ROAD_EDGE, _charged, _overlay

__all__ = ["ql10"]  # the hand case's fixture, shared


def _bow_tie(shape, by=0.3):
    """``shape`` drawn with a small self-crossing loop at its first corner (the line
    overshoots the corner toward the road by ``by`` and comes back across it), and the
    loop's triangle: the import repairs the footprint to the two, touching at the corner."""
    coords = list(shape.exterior.coords)[:-1]
    (ax, ay), (bx, by_), (dx, dy) = coords[0], coords[1], coords[-1]

    def unit(x, y):
        d = (x * x + y * y) ** 0.5
        return x / d, y / d

    (ux, uy), (vx, vy) = unit(ax - dx, ay - dy), unit(bx - ax, by_ - ay)
    p, q = (ax + by * ux, ay + by * uy), (ax - by * vx, ay - by * vy)
    return Polygon([coords[0], p, q] + coords), Polygon([coords[0], p, q])


def test_a_multi_part_outline_charged_keeps_its_parts_and_its_repair(tmp_path, ql10):
    """A new survey of a 20.3 × 15 m house (the larger, row 1) and its old outline 1 m toward
    the road, drawn with a bow-tie loop at its front corner (row 2; repaired to two parts
    touching at a point: a MultiPolygon). The old outline takes more road land: it is
    charged whole (no crash), with its loop, and the repair note names row 2."""
    _, quad, _ = ql10
    new = quad(80450, 80470.3, 2.0, 17.0, step=1)
    old, loop = _bow_tie(quad(80450, 80470, 1.0, 16.0, step=1))
    assert not old.is_valid
    buildings = _gpkg_buildings(tmp_path, "bow_tie", [new, old])
    result = _overlay(ql10, buildings)
    [(_, _, [(_, _, charged, _, _)])] = buildings.attrs["moved"]
    assert charged["geometry"].geom_type == "MultiPolygon"
    assert charged["geometry"].area == pytest.approx(old.buffer(0).area + loop.area)
    # by hand: the loop, 0.3 m wide, is a sliver left out; the rest is the 20 × 15 m outline
    by_hand = round(quad(80450, 80470, 1.0, ROAD_EDGE, step=1).area, 2)
    whole = quad(80450, 80470, 1.0, 16.0, step=1).area
    assert _charged(result) == (["2"], by_hand, pytest.approx(whole, abs=0.02))
    assert by_hand == 140.9
    assert result.repaired and [row for row, _ in result.repaired] == [2]
    assert [n for n in result.notes if n.startswith("1 pair(s) of outlines of a size")]


def test_sheds_the_lot_wall_held_follow_the_house_charged(tmp_path, ql10):
    """A lot wall (offsets 3..19.4, row 1), the house built 1 m out past it toward the road
    (offsets 2..18, row 2), three 5 × 1.3 m sheds in the 1.4 m rear yard (rows 3-5: small
    parts of the lot wall). The house is charged with the sheds: by hand the house's area
    plus the sheds', its road land; the note says the sheds are taken with it."""
    _, quad, _ = ql10
    lot, house = quad(80450, 80470, 3.0, 19.4, step=1), quad(80450, 80470, 2.0, 18.0, step=1)
    sheds = [quad(m, m + 5, 18.05, 19.35, step=1) for m in (80451, 80458, 80465)]
    buildings = _gpkg_buildings(tmp_path, "sheds", [lot, house] + sheds)
    result = _overlay(ql10, buildings)
    names, road, total = _charged(result)
    assert names == ["2"]
    assert road == round(quad(80450, 80470, 2.0, ROAD_EDGE, step=1).area, 2) == 120.77
    assert total == pytest.approx(house.area + sum(s.area for s in sheds), abs=0.03)
    # the sheds stand in the yard, not in the house: taken with the house charged, not
    # "held" by it, at the area the moved note gives it (review 14aa #3)
    with_sheds = round(house.area + sum(s.area for s in sheds), 1)
    assert not [n for n in result.notes if n.startswith("1 outline(s) holding only")]
    [held] = [n for n in result.notes if n.startswith("1 outline(s) charged in place")]
    assert f"row 2 ({with_sheds:,.1f} m²) with rows 3, 4, 5" in held
    assert "or each a building of its own, 3 building(s)" in held
    [moved] = [n for n in result.notes if n.startswith("1 pair(s) of outlines of a size")]
    assert f"row 2 ({with_sheds:,.1f} m²," in moved
    decisions = result.decisions
    assert decisions[decisions["decision"] == "part"].empty
    taken = decisions[decisions["decision"] == "taken"]
    assert taken["outline"].tolist() == [2, 2, 2]
    assert set(taken["outline_m2"]) == {with_sheds}
    assert set(taken["other_reading"]) == {"buildings of their own"}


@pytest.mark.parametrize("case", ["tube", "wide"])
def test_a_house_drawn_as_a_hatch_only_built_out_past_its_lot_wall_is_charged(
        tmp_path, ql10, case):
    """A DXF: the lot wall a closed polyline (row 1), the house a HATCH only, no outline
    (row 2), built 1 m out past the lot wall toward the road with a 1.4 / 1.2 m rear yard:
    the HATCH is weighed like an outline and charged (by hand: 24.15 / 120.77 m² of road
    land); noted as a moved pair, not as the outline's HATCH."""
    _, quad, _ = ql10
    m0, m1, rear, yard = {"tube": (80455, 80459, 17.0, 1.4),
                          "wide": (80450, 80470, 18.0, 1.2)}[case]
    lot, house = quad(m0, m1, 3.0, rear + yard, step=1), quad(m0, m1, 2.0, rear, step=1)
    path = _dxf(tmp_path / f"{case}.dxf", [(_ring(lot), "NHA"), (house, "NHA")])
    buildings = read_buildings(path, load_profile())
    result = _overlay(ql10, buildings)
    on_road = round(quad(m0, m1, 2.0, ROAD_EDGE, step=1).area, 2)
    assert on_road == {"tube": 24.15, "wide": 120.77}[case]
    assert _charged(result) == (["2"], on_road, pytest.approx(house.area, abs=0.02))
    assert result.same == []
    assert [(a, b) for a, _, _, b, _, _, _ in result.moved] == [("2", "1")]


def test_a_terrace_and_its_old_survey_moved_along_the_road_charges_one_survey(tmp_path, ql10):
    """Five 3 × 12 m houses of a terrace (rows 1-5) and their old outlines moved 1.4 m along
    the road (rows 6-10): each pair ties on road land, corridor and area but for float
    noise, so each falls to the row kept, the new survey: the encroachments are the five
    houses' alone, and no overlap of the outlines charged is noted."""
    _, quad, _ = ql10
    new = [quad(80450 + 3 * i, 80453 + 3 * i, 3.0, 15.0, step=1) for i in range(5)]
    old = [quad(80451.4 + 3 * i, 80454.4 + 3 * i, 3.0, 15.0, step=1) for i in range(5)]
    result = _overlay(ql10, _gpkg_buildings(tmp_path, "terrace", new + old))
    alone = _overlay(ql10, _gpkg_buildings(tmp_path, "alone", new))
    assert _charged(result) == _charged(alone)
    assert _charged(result)[0] == ["1", "2", "3", "4", "5"]
    columns = ["zone", "parcel_no", "building", "area_in_m2"]
    assert (result.encroachments[columns].reset_index(drop=True)
            .equals(alone.encroachments[columns].reset_index(drop=True)))
    assert result.overlaps == []
    assert sorted(b for *_, b, _, _, _ in result.moved) == ["10", "6", "7", "8", "9"]


def test_the_moved_decision_gives_the_other_outline_its_own_column(tmp_path, ql10):
    """The workbook's decisions sheet: the outline not charged under its own header (en,
    vi), not under "Area inside"."""
    _, quad, _ = ql10
    lot, house = quad(80450, 80470, 3.0, 19.2, step=1), quad(80450, 80470, 2.0, 18.0, step=1)
    result = _overlay(ql10, _gpkg_buildings(tmp_path, "lot", [lot, house]))
    headers = {}
    for lang in ("en", "vi"):
        path = write_tables({"encroachment": result.encroachments}, tmp_path / f"{lang}.xlsx",
                            lang=lang, extra={DECISIONS_SHEET: result.decisions})
        sheet = pd.read_excel(path, sheet_name=DECISIONS_SHEET)
        headers[lang] = sheet.iloc[0].dropna().to_dict()
    assert headers["en"]["Outline area (m²)"] == round(house.area, 1)
    assert headers["en"]["Other outline's area, not charged (m²)"] == round(lot.area, 1)
    assert "Area inside (m²)" not in headers["en"]
    assert headers["vi"]["Diện tích đường bao kia, không tính (m²)"] == round(lot.area, 1)



@pytest.mark.parametrize("wall", [0.22, 0.45])
def test_kiosks_sharing_walls_drawn_in_both_outlines_are_not_noted_overlapping(
        tmp_path, ql10, wall):
    """Four 2 × 3 m kiosks in a row (safety corridor, offsets 9..12), each outline drawn
    over the wall it shares with the next (0.22 / 0.45 m: a fifth of a kiosk or more at
    0.45): four buildings, each counted whole, and no "overlapping" note (an overlap no
    wider than a wall is the wall; each outline counted whole, as drawn)."""
    _, quad, _ = ql10
    kiosks = [quad(80450 + (2 - wall) * i, 80452 + (2 - wall) * i, 9.0, 12.0, step=0.5)
              for i in range(4)]
    result = _overlay(ql10, _gpkg_buildings(tmp_path, "kiosks", kiosks))
    names, road, total = _charged(result)
    assert names == ["1", "2", "3", "4"] and road == 0
    assert total == pytest.approx(sum(k.area for k in kiosks), abs=0.02)
    assert result.overlaps == []
    assert not [n for n in result.notes if "overlapping" in n]
