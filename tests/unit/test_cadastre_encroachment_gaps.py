"""Overlay through the CLI on real files: land-use codes
in any case and mixed ('ONT+CLN'), a route of two parts with a 2 km gap (no corridor in the
gap), buildings where the cadastral map has no parcel.

Route DH99 (grade IV: road land to 5.5 m from the centre-line, safety corridor to 14.5 m)
runs east from the origin: part 1 from x 0 to 1000 m, part 2 from 3000 to 4000 m. It has no
kilometre posts and starts at 0, so its measure is the distance along the chained line (the
2 km bridge counts: part 2 runs Km3+000-Km4+000)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from roadinfra.core.cli import main
from roadinfra.core.db import open_database
from shapely.geometry import LineString, box

from tests.support.cadastre_db import parcel_row, route_database
from tests.support.cadastre_files import origin, write


@pytest.fixture
def db(tmp_path):
    return route_database(tmp_path, [[(0, 0), (1000, 0)], [(3000, 0), (4000, 0)]])


def _parcels(tmp_path):
    """Sheet 7: rows of adjoining rice parcels (LUC) Km0+100-Km0+520 north (6-26 m, numbered
    from 101) and south (-26 to -6 m, from 201) of the road, some of another use; parcel 5
    in the gap between the route's parts, parcel 6 beside part 2."""
    x, y = origin()
    north = parcel_row("7", 100, 520, 6, first=101, uses={
        100: ("1", "ONT+CLN"),   # mixed use with a built-up part
        200: ("2", "ont"),       # lower case
        300: ("3", "LUC")})      # rice: not built up
    south = parcel_row("7", 100, 520, -26, first=201, uses={300: ("4", "CLN")})
    frame = gpd.GeoDataFrame(north + south + [
        {"SoTo": "7", "SoThua": no, "DienTich": 400.0, "LoaiDat": use,
         "geometry": box(x + x0, y + y0, x + x0 + 20, y + y0 + 20)}
        for no, x0, y0, use in (("5", 2000, -10, "ONT"),   # in the gap: no road there
                                ("6", 3500, 6, "ODT"))],  # on part 2
        crs=9209)
    return write(frame, tmp_path / "parcels.gpkg")


def _buildings(tmp_path):
    x, y = origin()
    frame = gpd.GeoDataFrame({"geometry": [
        box(x + 500, y + 2, x + 510, y + 9),      # on road land, into parcel 121
        box(x + 305, y + 8, x + 310, y + 12),     # inside parcel 3
        box(x + 315, y + 3, x + 325, y + 8),      # across parcels 3 and 112 and the road
        box(x + 2500, y - 3, x + 2510, y + 3),    # in the gap
    ]}, crs=9209)
    return write(frame, tmp_path / "buildings.gpkg")


def _run(*argv):
    assert main([str(a) for a in argv]) == 0


def test_overlay_codes_gaps_and_buildings_outside_parcels(db, tmp_path, capsys):
    _run("cadastre", "import", _parcels(tmp_path), db)
    out = tmp_path / "overlay.gpkg"
    capsys.readouterr()
    _run("cadastre", "overlay", db, "--buildings", _buildings(tmp_path), "-o", out)
    assert "note: route DH99: no corridor across the 2000.0 m gap between its parts, " \
           "Km1+000-Km3+000" in capsys.readouterr().out
    pieces = gpd.read_file(out, layer="corridor_parcels")
    # parcel 5 lies in the gap between the parts: in no corridor
    assert {"1", "2", "3", "4", "6"} <= set(pieces["parcel_no"])
    assert "5" not in set(pieces["parcel_no"]) and len(pieces) == 43
    corridors = gpd.read_file(out, layer="corridors").set_index("zone")
    assert corridors.loc["road_land"].geometry.area == pytest.approx(2 * 1000 * 11.0)
    assert corridors.loc["safety_corridor"].geometry.area == pytest.approx(2 * 1000 * 18.0)
    enc = gpd.read_file(out, layer="encroachment")
    got = sorted((r.zone, r.parcel_no if isinstance(r.parcel_no, str) else "-", r.reason,
                  r.area_in_m2, r.km_from, r.km_to) for r in enc.itertuples())
    assert got == sorted([
        # built-up land use in the safety corridor (y 6..14.5 of a 20 m wide parcel)
        ("safety_corridor", "1", "land use ONT+CLN", 170.0, "Km0+100", "Km0+120"),
        ("safety_corridor", "2", "land use ont", 170.0, "Km0+200", "Km0+220"),
        ("safety_corridor", "6", "land use ODT", 170.0, "Km3+500", "Km3+520"),
        # buildings in parcels: 5 x 4 m inside parcel 3; of the one across parcels 3 and
        # 112, 5 x 2 m in each; 10 x 3 m of the first in parcel 121
        ("safety_corridor", "3", "building", 20.0, "Km0+305", "Km0+310"),
        ("safety_corridor", "3", "building", 10.0, "Km0+315", "Km0+320"),
        ("safety_corridor", "112", "building", 10.0, "Km0+320", "Km0+325"),
        ("safety_corridor", "121", "building", 30.0, "Km0+500", "Km0+510"),
        # buildings on the road between the rows, where no parcel is: 10 x 3.5 m and
        # 10 x 2.5 m in road land (to 5.5 m), 10 x 0.5 m each beyond it up to the parcels
        ("road_land", "-", "building outside any parcel", 35.0, "Km0+500", "Km0+510"),
        ("safety_corridor", "-", "building outside any parcel", 5.0, "Km0+500", "Km0+510"),
        ("road_land", "-", "building outside any parcel", 25.0, "Km0+315", "Km0+325"),
        ("safety_corridor", "-", "building outside any parcel", 5.0, "Km0+315", "Km0+325"),
    ])
    loose = enc[enc["parcel_no"].isna()]
    assert set(loose["part"]) == {"building"} and loose["share_pct"].isna().all()
    assert sum(g.area for g in loose.geometry) == pytest.approx(35 + 5 + 25 + 5)


def test_touching_parts_keep_the_corridor_of_one_line(tmp_path):
    """Two parts that touch at a bend: the corridor is the buffer of the one chained line
    (the join is not notched, as it would be by buffering each part with flat ends)."""
    from roadinfra.core.cadastre.corridor import route_corridors
    from roadinfra.core.cadastre.sources import routes_from_database
    from roadinfra.core.profile import load_profile

    path = route_database(tmp_path, [[(0, 0), (500, 0)], [(500, 0), (500, 500)]], "DH98",
                          name="bend.gpkg")
    x, y = origin()
    handle = open_database(path)
    routes, grades = routes_from_database(handle, ["DH98"])
    handle.close()
    zones = route_corridors(routes, grades, load_profile()).set_index("zone")
    line = LineString([(x, y), (x + 500, y), (x + 500, y + 500)])
    whole = line.buffer(5.5, cap_style=2)
    assert zones.loc["road_land"].geometry.symmetric_difference(whole).area < 1e-6


def test_a_widening_across_the_gap_takes_only_the_real_parts(db):
    from roadinfra.core.cadastre.corridor import Widening, widening_corridor
    from roadinfra.core.cadastre.errors import CadastreError
    from roadinfra.core.cadastre.sources import routes_from_database

    handle = open_database(db)
    routes, _ = routes_from_database(handle, ["DH99"])
    handle.close()
    assert routes["DH99"].gaps == ((1000.0, 3000.0),)
    # Km0+900-Km3+100, 24 m: the last 100 m of part 1 and the first 100 m of part 2
    footprint = widening_corridor(routes, Widening("DH99", 900.0, 3100.0, 24.0))
    assert footprint.area == pytest.approx(2 * 100 * 24.0)
    with pytest.raises(CadastreError, match="lies in a gap between the route's parts"):
        widening_corridor(routes, Widening("DH99", 1500.0, 2500.0, 24.0))
