"""Two outlines of a size, one moved up to 1.5 m off the other, are one building (a
resurvey), but a house built 1 m out past its front lot wall toward the road, with a rear
yard of 1.2 to 1.5 m, looks the same to geometry (review 14y #3): the overlay charges the
outline taking more road land (the house's built-out metre is not dropped for the lot
wall), and says so with both rows, their areas and the other reading. Hand case QL10:
road land to 8 m off the centre line, the safety corridor 8 to 21 m."""

from __future__ import annotations

import pandas as pd
import pytest
from roadinfra.core.cadastre.buildings import read_buildings
from roadinfra.core.cadastre.outputs import DECISIONS_SHEET, write_tables
from roadinfra.core.cadastre.overlay import overlay_corridors
from roadinfra.core.profile import load_profile
from shapely.affinity import translate

from tests.unit.test_cadastre_buildings_drawing import _dxf, _gpkg_buildings, _ring, ql10

__all__ = ["ql10"]  # the hand case's fixture, shared

ROAD_EDGE = 8.0  # m off the centre line: the hand case's road land


def _overlay(ql10, buildings):
    routes, _, parcels = ql10
    return overlay_corridors(parcels, routes, {"QL10": "III"}, load_profile(),
                             buildings=buildings)


def _charged(result) -> tuple:
    """(building names charged, m² on road land, m² in all) of the overlay's building rows."""
    enc = result.encroachments
    enc = enc[enc["part"] == "building"]
    road = enc[enc["zone"] == "road_land"]["area_in_m2"].sum()
    return (sorted({str(b) for b in enc["building"]}), round(road, 2),
            round(enc["area_in_m2"].sum(), 2))


# (lot wall, house) as (from m, to m, front offset, rear offset): the house's front wall 1 m
# past the lot wall's, toward the road; a 20 m wide house with a 1.2 m rear yard, a 4 m
# tube house with a 1.4 m one
CASES = {"wide, 1.2 m yard": ((80450, 80470, 3.0, 19.2), (80450, 80470, 2.0, 18.0)),
         "tube, 1.4 m yard": ((80455, 80459, 3.0, 18.4), (80455, 80459, 2.0, 17.0))}


@pytest.mark.parametrize("order", ["lot wall first", "house first"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_house_built_out_past_its_front_lot_wall_is_charged_on_road_land(
        tmp_path, ql10, case, order):
    _, quad, _ = ql10
    (m0, m1, lot_front, lot_rear), (_, _, front, rear) = CASES[case]
    lot, house = quad(m0, m1, lot_front, lot_rear, step=1), quad(m0, m1, front, rear, step=1)
    # by hand: the house's road land is the strip from its front wall to the road land's edge
    on_road = round(quad(m0, m1, front, ROAD_EDGE, step=1).area, 2)
    shapes = [lot, house] if order == "lot wall first" else [house, lot]
    house_row, lot_row = (2, 1) if order == "lot wall first" else (1, 2)
    buildings = _gpkg_buildings(tmp_path, "front_out", shapes)
    result = _overlay(ql10, buildings)
    assert _charged(result) == ([str(house_row)], on_road, pytest.approx(house.area, abs=0.02))
    [(kept, _, [(other, _, _, _, _)])] = buildings.attrs["moved"]  # merged as moved off itself
    assert {kept, other} == {"1", "2"}
    assert on_road == {"wide, 1.2 m yard": 120.77, "tube, 1.4 m yard": 24.15}[case]
    [note] = [n for n in result.notes if n.startswith("1 pair(s) of outlines of a size")]
    road_m2 = round(quad(m0, m1, front, ROAD_EDGE, step=1).area, 1)
    assert (f"row {house_row} ({house.area:,.1f} m², {road_m2:,.1f} m² on road land) charged, "
            f"row {lot_row} ({lot.area:,.1f} m², ") in note
    assert "two buildings (a house built out past the lot wall" in note
    assert not any(n.startswith("1 footprint(s) counted as one building") for n in result.notes)
    decided = result.decisions
    assert decided[["decision", "outline", "rows"]].values.tolist() == [
        ["moved", str(house_row), str(lot_row)]]
    assert decided["outline_m2"].tolist() == [round(house.area, 1)]
    assert decided["other_m2"].tolist() == [round(lot.area, 1)]
    assert decided["inner_m2"].isna().all()  # nothing lies inside the house
    assert decided["other_reading"].tolist() == [
        "two buildings: a house and the lot wall or building around it"]


def test_a_hatched_house_built_out_past_its_lot_wall_in_a_dxf_is_charged(tmp_path, ql10):
    """The tube case drawn in a DXF, both outlines closed polylines on NHA and the house
    hatched: the house and its HATCH, not the lot wall, charged; the workbook's decisions
    sheet names it in English and Vietnamese."""
    _, quad, _ = ql10
    lot, house = quad(80455, 80459, 3.0, 18.5, step=1), quad(80455, 80459, 2.0, 17.0, step=1)
    on_road = round(quad(80455, 80459, 2.0, ROAD_EDGE, step=1).area, 2)
    buildings = read_buildings(
        _dxf(tmp_path / "fo.dxf", [(_ring(lot), "NHA"), (_ring(house), "NHA"), (house, "NHA")]),
        load_profile())
    result = _overlay(ql10, buildings)
    assert _charged(result) == (["2"], on_road, pytest.approx(house.area, abs=0.02))
    assert on_road == 24.15
    assert result.same == [(2, 3)]  # the house's HATCH follows the house
    sheets = {}
    for lang in ("en", "vi"):
        path = write_tables({"encroachment": result.encroachments}, tmp_path / f"{lang}.xlsx",
                            lang=lang, notes=result.workbook_notes,
                            extra={DECISIONS_SHEET: result.decisions})
        sheets[lang] = pd.read_excel(path, sheet_name=DECISIONS_SHEET)
    moved_en = sheets["en"][sheets["en"]["Rows concerned"].astype(str) == "1"]
    assert moved_en.iloc[0, 0].startswith("one building moved up to 1.5 m off itself")
    assert moved_en.iloc[0, -1] == "two buildings: a house and the lot wall or building around it"
    vi = sheets["vi"]
    moved_vi = vi[vi.iloc[:, 2].astype(str) == "1"]
    assert moved_vi.iloc[0, 0].startswith("một công trình vẽ lệch đến 1,5 m")
    assert moved_vi.iloc[0, -1] == ("hai công trình: một nhà và tường rào hoặc công trình bao "
                                    "quanh nó")
    assert "bản sao" not in moved_vi.iloc[0, 0]  # not "a copy": the HATCH's row is


@pytest.mark.parametrize("shift", [(1.0, 0.0), (0.0, 1.0), (0.7, 0.7)])
def test_a_resurvey_moved_off_itself_is_still_one_building(tmp_path, ql10, shift):
    """A tube house and its old outline 1 m off it (along the road, toward the road,
    diagonally): one building, the house's area; the one taking more road land charged."""
    _, quad, _ = ql10
    tube = quad(80455, 80459, 2, 17, step=1)
    old = translate(tube, *shift)
    result = _overlay(ql10, _gpkg_buildings(tmp_path, "resurvey", [tube, old]))
    names, road, total = _charged(result)
    assert len(names) == 1 and total == pytest.approx(tube.area, abs=0.05)
    alone = [_charged(_overlay(ql10, _gpkg_buildings(tmp_path, f"alone{n}", [shape])))[1]
             for n, shape in enumerate((tube, old))]
    assert road == max(alone)
    assert sum(n.startswith("1 pair(s) of outlines of a size") for n in result.notes) == 1
