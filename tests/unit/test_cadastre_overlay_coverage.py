"""Buildings beyond the imported cadastral sheets: only where the map covers is a building without
a parcel an encroachment ("building outside any parcel"); beyond the imported parcels it is a
note, not a row. The map covers its parcels (small gaps between them closed) and the road
between parcels on both sides; not a sheet's convex hull, nor an unmapped strip between sheets.

Route DH99 (grade IV: road land to 5.5 m from the centre-line, safety corridor to 14.5 m)
runs 2 km east from the origin; parcels are 20 m squares side by side in rows 6-26 m north
and south of it (:func:`tests.support.cadastre_db.parcel_row`)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from roadinfra.core.cli import main
from shapely.geometry import box

from tests.support.cadastre_db import parcel_row, route_database
from tests.support.cadastre_files import origin, write

NORTH, SOUTH = 6, -26


@pytest.fixture
def db(tmp_path):
    return route_database(tmp_path, [[(0, 0), (2000, 0)]])


def _overlay(db, tmp_path, rows, buildings, capsys):
    """(the notes printed, the encroachments as (zone, reason, area, Km from, Km to))."""
    x, y = origin()
    parcels = write(gpd.GeoDataFrame(rows, crs=9209), tmp_path / "parcels.gpkg")
    houses = write(gpd.GeoDataFrame({"geometry": [
        box(x + a, y + b, x + c, y + d) for a, b, c, d in buildings]}, crs=9209),
        tmp_path / "nha.gpkg")
    assert main(["cadastre", "import", str(parcels), str(db)]) == 0
    out = tmp_path / "overlay.gpkg"
    capsys.readouterr()
    assert main(["cadastre", "overlay", str(db), "--buildings", str(houses),
                 "-o", str(out)]) == 0
    notes = [line.strip() for line in capsys.readouterr().out.splitlines() if "note:" in line]
    enc = gpd.read_file(out, layer="encroachment")
    return notes, sorted((r.zone, r.reason, r.area_in_m2, r.km_from, r.km_to)
                         for r in enc.itertuples())


def test_buildings_beyond_the_imported_sheets_are_a_note_not_encroachments(db, tmp_path,
                                                                          capsys):
    """Sheet 7 maps Km0+100-Km0+520 north of the road, sheet 8 the same south of it: the
    road between them is mapped land without parcels."""
    notes, got = _overlay(db, tmp_path, parcel_row("7", 100, 520, NORTH)
                          + parcel_row("8", 100, 520, SOUTH), [
        (250, -2, 260, 2),      # on the road between the sheets: mapped
        (1500, -2, 1510, 2),    # Km1+500: no sheet imported here
        (1800, 6, 1806, 12),    # Km1+800, safety corridor: no sheet
    ], capsys)
    assert notes == ["note: route DH99: 2 building(s) in its corridors beyond the imported "
                     "parcels (Km1+500-Km1+510, Km1+800-Km1+806): not checked against parcels"]
    assert got == [("road_land", "building outside any parcel", 40.0, "Km0+250", "Km0+260")]


def test_a_concave_sheet_and_a_strip_between_sheets_are_not_mapped(db, tmp_path, capsys):
    """Sheet 7 maps the north side Km0+100-Km0+520 and the south side only at
    both ends (the commune boundary crosses the road there: a U whose hull covers the south
    side between); sheets 9 (Km0+600-Km0+800) and 10 (Km0+860-Km1+000) map both sides with a
    60 m strip of no sheet between them. Houses south of the road in the U, on the road
    where only its north side is mapped (half of it is the other commune's), and on or
    beside the road in the strip are beyond the map (a note); a house on the road within
    sheet 9 is on mapped land without a parcel."""
    rows = (parcel_row("7", 100, 520, NORTH) + parcel_row("7", 100, 140, SOUTH, first=30)
            + parcel_row("7", 480, 520, SOUTH, first=40)
            + parcel_row("9", 600, 800, NORTH) + parcel_row("9", 600, 800, SOUTH, first=20)
            + parcel_row("10", 860, 1000, NORTH) + parcel_row("10", 860, 1000, SOUTH,
                                                              first=20))
    notes, got = _overlay(db, tmp_path, rows, [
        (300, -14, 308, -8),    # south of the road in sheet 7's U
        (400, -2, 410, 2),      # on the road, only its north side mapped: half a note
        (820, -14, 828, -8),    # south, in the strip between sheets 9 and 10
        (825, -2, 835, 2),      # on the road in the strip
        (700, -2, 710, 2),      # on the road within sheet 9: mapped, no parcel
    ], capsys)
    # the house on the road whose north half is mapped is partly beyond
    assert notes == ["note: route DH99: 3 building(s) in its corridors beyond the imported "
                     "parcels (Km0+300-Km0+308, Km0+820-Km0+828, Km0+825-Km0+835): not "
                     "checked against parcels",
                     "note: route DH99: 1 building(s) in its corridors partly beyond the "
                     "imported parcels, 20.0 m² beyond (Km0+400-Km0+410): those parts not "
                     "checked against parcels"]
    # the north half of the road, which the parcels line, is mapped up to the
    # centre-line: that house's north half (10 x 2 m) is outside any parcel, its south half
    # is still beyond the map (the note)
    assert got == [("road_land", "building outside any parcel", 20.0, "Km0+400", "Km0+410"),
                   ("road_land", "building outside any parcel", 40.0, "Km0+700", "Km0+710")]


def test_road_land_lined_by_parcels_on_one_side_is_mapped(db, tmp_path, capsys):
    """Parcels on the north side only (a river on the south, or the commune
    boundary on the centre-line). A kiosk wholly on the north road land (Km0+300-Km0+304,
    1-5 m north: 4 x 4 = 16 m²) is a building outside any parcel, not a note; a house
    across the centre-line (Km0+400-Km0+410, 2 m each side) is mapped on its north half
    only (10 x 2 = 20 m²), its south half a note."""
    notes, got = _overlay(db, tmp_path, parcel_row("7", 100, 520, NORTH), [
        (300, 1, 304, 5), (400, -2, 410, 2)], capsys)
    assert got == [("road_land", "building outside any parcel", 16.0, "Km0+300", "Km0+304"),
                   ("road_land", "building outside any parcel", 20.0, "Km0+400", "Km0+410")]
    assert notes == ["note: route DH99: 1 building(s) in its corridors partly beyond the "
                     "imported parcels, 20.0 m² beyond (Km0+400-Km0+410): those parts not "
                     "checked against parcels"]


def test_an_unparcelled_strip_inside_a_sheet_is_mapped(db, tmp_path, capsys):
    """A 10 m commune road or canal without parcels crosses the sheet at
    Km0+300-Km0+310 (parcels on both sides of DH99, 20 m squares up to Km0+300 and from
    Km0+310). A 6 x 6 m kiosk on it 8-14 m north, in the safety corridor, is a building
    outside any parcel (36 m²), not a note; nothing is beyond the map."""
    rows = (parcel_row("7", 100, 300, NORTH) + parcel_row("7", 310, 510, NORTH, first=11)
            + parcel_row("7", 100, 300, SOUTH, first=21)
            + parcel_row("7", 310, 510, SOUTH, first=31))
    notes, got = _overlay(db, tmp_path, rows, [(302, 8, 308, 14)], capsys)
    assert got == [("safety_corridor", "building outside any parcel", 36.0, "Km0+302",
                    "Km0+308")]
    assert notes == []


def test_a_building_partly_beyond_the_map_is_counted_as_partly_beyond(db, tmp_path, capsys):
    """Parcels north only (from 6 m); a house Km0+200-Km0+210 from 4 m south
    to 10 m north: 10 x 5.5 = 55 m² on the north road land (to 5.5 m), 10 x 0.5 = 5 m²
    between it and the parcels, 10 x 4 = 40 m² in parcel 6 (Km0+200-220), and 10 x 4 =
    40 m² south of the centre-line, beyond the map. The note says the house is partly
    beyond, 40 m², not that it was not checked (before: '1 building(s) ... beyond the
    imported parcels ...: not checked against parcels')."""
    notes, got = _overlay(db, tmp_path, parcel_row("7", 100, 520, NORTH),
                          [(200, -4, 210, 10)], capsys)
    assert notes == ["note: route DH99: 1 building(s) in its corridors partly beyond the "
                     "imported parcels, 40.0 m² beyond (Km0+200-Km0+210): those parts not "
                     "checked against parcels"]
    assert got == [("road_land", "building outside any parcel", 55.0, "Km0+200", "Km0+210"),
                   ("safety_corridor", "building", 40.0, "Km0+200", "Km0+210"),
                   ("safety_corridor", "building outside any parcel", 5.0, "Km0+200",
                    "Km0+210")]


def test_a_strip_under_map_strip_between_two_sheets_is_not_mapped(db, tmp_path, capsys):
    """Sheet 7 maps both sides Km0+100-Km0+300, sheet 8 both sides
    Km0+325-Km0+525; nothing maps the 25 m between. Strips under MAP_STRIP_M are closed only
    within one sheet: a house there (Km0+305-Km0+320, 8-14 m north) is beyond the map, a
    note, not 'building outside any parcel'."""
    rows = (parcel_row("7", 100, 300, NORTH) + parcel_row("7", 100, 300, SOUTH, first=20)
            + parcel_row("8", 325, 525, NORTH) + parcel_row("8", 325, 525, SOUTH, first=20))
    notes, got = _overlay(db, tmp_path, rows, [(305, 8, 320, 14)], capsys)
    assert got == []
    assert notes == ["note: route DH99: 1 building(s) in its corridors beyond the imported "
                     "parcels (Km0+305-Km0+320): not checked against parcels"]


def test_the_verge_is_mapped_up_to_the_end_of_the_parcel_row(db, tmp_path, capsys):
    """Parcels north only, Km0+100-Km0+300, from 20 m (a 14.5 m verge from
    the road land's edge at 5.5 m). A house Km0+280-Km0+310, 8-14 m north: 20 x 6 =
    120 m² on the verge beside parcel 10 (up to the row's end, no lens lost), 10 x 6 =
    60 m² past the row's end, beyond the map."""
    notes, got = _overlay(db, tmp_path, parcel_row("7", 100, 300, 20), [(280, 8, 310, 14)],
                          capsys)
    assert got == [("safety_corridor", "building outside any parcel", 120.0, "Km0+280",
                    "Km0+300")]
    assert notes == ["note: route DH99: 1 building(s) in its corridors partly beyond the "
                     "imported parcels, 60.0 m² beyond (Km0+300-Km0+310): those parts not "
                     "checked against parcels"]
