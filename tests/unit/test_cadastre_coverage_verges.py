"""An unparcelled verge or canal along the road: the road land, on a side
that parcels line within MAP_STRIP_M (30 m) of its edge, is mapped up to the centre-line,
and the strip between it and the parcels is closed like a strip between parcels. Route
DH99 (grade IV: road land to 5.5 m from the centre-line, safety corridor to 14.5 m), 2 km
east from the origin, as in :mod:`tests.unit.test_cadastre_overlay_coverage`."""

from __future__ import annotations

import pytest
from shapely.geometry import box
from shapely.ops import unary_union

from tests.support.cadastre_db import origin, parcel_row, route_database
from tests.unit.test_cadastre_overlay_coverage import _overlay


@pytest.fixture
def db(tmp_path):
    return route_database(tmp_path, [[(0, 0), (2000, 0)]])


def _both_sides(verge: float) -> list:
    """Parcels Km0+400-Km0+500 both sides, ``verge`` m beyond the road land's edge (5.5 m)."""
    edge = 5.5 + verge
    return (parcel_row("7", 400, 500, edge) + parcel_row("7", 400, 500, -edge - 20, first=6))


def test_buildings_on_a_12_m_verge_and_on_the_road_land_are_outside_any_parcel(db, tmp_path,
                                                                              capsys):
    """A 12 m verge without parcels each side (5.5..17.5 m): K on the verge, Km0+450-460,
    8..14 m north (10 x 6 = 60 m², in the safety corridor to 14.5 m), K2 on the road land,
    1..5 m north (10 x 4 = 40 m²). Both are buildings outside any parcel; no note.
    (Before: both a note, 'beyond the imported parcels'.)"""
    notes, got = _overlay(db, tmp_path, _both_sides(12.0), [(450, 8, 460, 14),
                                                             (450, 1, 460, 5)], capsys)
    assert got == [("road_land", "building outside any parcel", 40.0, "Km0+450", "Km0+460"),
                   ("safety_corridor", "building outside any parcel", 60.0, "Km0+450",
                    "Km0+460")]
    assert notes == []


def test_the_whole_road_is_mapped_between_verges_on_both_sides(db, tmp_path, capsys):
    """The road land both sides of the centre-line, between 12 m verges: a kiosk across the
    centre-line (Km0+420-430, 2 m each side: 10 x 4 = 40 m²) is on mapped land."""
    notes, got = _overlay(db, tmp_path, _both_sides(12.0), [(420, -2, 430, 2)], capsys)
    assert got == [("road_land", "building outside any parcel", 40.0, "Km0+420", "Km0+430")]
    assert notes == []


def test_a_strip_wider_than_30_m_is_still_beyond_the_map(db, tmp_path, capsys):
    """Parcels 35 m beyond the road land's edge (40.5 m from the centre-line): the strip is
    no verge of the map; K on it stays a note, not an encroachment."""
    notes, got = _overlay(db, tmp_path, _both_sides(35.0), [(450, 8, 460, 14)], capsys)
    assert got == []
    assert len(notes) == 1 and "beyond the imported parcels (Km0+450-Km0+460)" in notes[0]


def test_the_verge_is_mapped_only_along_the_parcels(db, tmp_path, capsys):
    """Beyond the sheet's end (Km0+500) the verge is not mapped: a house at Km0+540-550,
    8..14 m north (60 m²), stays a note."""
    notes, got = _overlay(db, tmp_path, _both_sides(12.0), [(540, 8, 550, 14)], capsys)
    assert got == []
    assert len(notes) == 1 and "(Km0+540-Km0+550)" in notes[0]


def test_a_house_in_the_notch_of_a_u_shaped_parcel_is_beyond_the_map(db, tmp_path, capsys):
    """One U-shaped parcel north of the road: legs Km0+400-410 and Km0+490-500 from 6 m out
    to 60 m, its back Km0+400-500 from 50 to 60 m. The notch between the legs (80 m along,
    44 m deep from the road land's edge) holds no parcel: a house set back there (Km0+440-460,
    8..14 m north) gets the note, no row, as it does when the U is cut into three parcels.
    (Before: one verge hull over both legs closed the notch: a row outside any parcel.)"""
    x, y = origin()
    u = unary_union([box(x + 400, y + 6, x + 410, y + 60), box(x + 490, y + 6, x + 500, y + 60),
                     box(x + 400, y + 50, x + 500, y + 60)])
    rows = [{"SoTo": "7", "SoThua": "1", "DienTich": round(u.area, 1), "LoaiDat": "LUC",
             "geometry": u}]
    notes, got = _overlay(db, tmp_path, rows, [(440, 8, 460, 14)], capsys)
    assert got == []
    assert len(notes) == 1 and "beyond the imported parcels (Km0+440-Km0+460)" in notes[0]
