"""Corridors and overlay on a small case whose answer is known by hand.

A straight grade IV route runs 1000 m east from (x0, y0). Profile widths for grade IV: roadbed
9 m (half 4.5), road land 1 m -> its edge at 5.5 m; safety corridor 9 m -> outer edge 14.5 m.
"""

from __future__ import annotations

import geopandas as gpd
import openpyxl
import pytest
from roadinfra.core.cadastre.corridor import (
    Widening,
    corridor_widths,
    parse_widening,
    route_corridors,
)
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.outputs import write_tables
from roadinfra.core.cadastre.overlay import _km, overlay_corridors
from roadinfra.core.chainage import ChainageError, format_chainage
from roadinfra.core.lrs.route import Route
from roadinfra.core.profile import load_profile
from shapely.geometry import LineString, MultiPolygon, box

X0, Y0 = 600000.0, 2270000.0


@pytest.fixture(scope="module")
def profile():
    return load_profile()


def parcels():
    def parcel(no, x, y, w, h, use="LUC"):
        return {"sheet_no": "5", "parcel_no": no, "commune_code": "13297", "land_use": use,
                "owner": f"Hộ {no}", "area_official_m2": w * h,
                "geometry": box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h)}
    return gpd.GeoDataFrame([
        parcel("1", 100, 2, 20, 20),           # road land 2..5.5, corridor 5.5..14.5
        parcel("2", 300, 10, 20, 20, "ONT"),   # corridor 10..14.5: a house plot
        parcel("3", 500, 20, 20, 20),          # outside (starts at 20 m)
        parcel("4", 990, -20, 30, 10),         # south side, mostly beyond the route's end
        parcel("5", 150, -12, 10, 8, "DGT"),   # the road's own land
    ], geometry="geometry", crs=9209)


def routes():
    return {"DT455": Route("DT455", LineString([(X0, Y0), (X0 + 1000, Y0)]),
                           [0.0, 1000.0], [12000.0, 13000.0])}


def test_widths_from_the_profile(profile):
    w = corridor_widths(profile, "IV")
    assert (w.road_land_edge, w.corridor_edge) == (5.5, 14.5)
    assert corridor_widths(profile, "CT").corridor_m == 47.0
    assert corridor_widths(profile, "VI").corridor_m == 4.0
    with pytest.raises(CadastreError, match="route DT1: road grade 'IX' has no corridor"):
        corridor_widths(profile, "IX", "DT1")


def test_corridor_areas(profile):
    zones = route_corridors(routes(), {"DT455": "IV"}, profile).set_index("zone")
    assert zones.loc["road_land"].geometry.area == pytest.approx(1000 * 11.0)
    assert zones.loc["safety_corridor"].geometry.area == pytest.approx(1000 * 18.0)


def test_overlay_known_by_hand(profile):
    result = overlay_corridors(parcels(), routes(), {"DT455": "IV"}, profile,
                               widenings=[Widening("DT455", 12100.0, 12400.0, 24.0)])
    got = {(r.parcel_no, r.zone): (r.area_in_m2, r.share_pct, r.from_m, r.to_m)
           for r in result.pieces.itertuples()}
    assert got == {
        ("1", "road_land"): (3.5 * 20, 17.5, 12100.0, 12120.0),
        ("1", "safety_corridor"): (9 * 20, 45.0, 12100.0, 12120.0),
        ("2", "safety_corridor"): (4.5 * 20, 22.5, 12300.0, 12320.0),
        ("4", "safety_corridor"): (4.5 * 10, 15.0, 12990.0, 13000.0),  # flat end at 1000
        ("5", "road_land"): (1.5 * 10, 18.75, 12150.0, 12160.0),
        ("5", "safety_corridor"): (6.5 * 10, 81.25, 12150.0, 12160.0),
    }
    assert list(result.pieces["km_from"][:1]) == ["Km12+100"]
    # encroachment: the house plot (ONT) inside the corridor
    assert list(zip(result.encroachments["parcel_no"], result.encroachments["reason"])) == [
        ("2", "land use ONT")]
    # widening Km12+100..Km12+400 to 24 m (12 m each side): parcel 1 from 2..12 m over 20 m,
    # parcel 2 from 10..12 m over 20 m; parcel 5 is road land already
    acq = {r.parcel_no: (r.area_in_m2, r.share_pct, r.remaining_m2)
           for r in result.acquisition.itertuples()}
    assert acq == {"1": (200.0, 50.0, 200.0), "2": (40.0, 10.0, 360.0)}
    assert set(result.acquisition["widening"]) == {"DT455 Km12+100-Km12+400 24 m"}
    assert result.summary()["acquisition"] == {
        "DT455 Km12+100-Km12+400 24 m": {"parcels": 2, "area_m2": 240.0}}


def test_buildings_are_encroachments(profile):
    house = gpd.GeoDataFrame({"geometry": [box(X0 + 105, Y0 + 8, X0 + 110, Y0 + 18)]},
                             crs=9209)
    result = overlay_corridors(parcels(), routes(), {"DT455": "IV"}, profile, buildings=house)
    building = result.encroachments[result.encroachments["reason"] == "building"]
    assert list(building["parcel_no"]) == ["1"]
    assert building.geometry.iloc[0].area == pytest.approx(5 * (14.5 - 8))


def test_widening_text_and_errors(profile):
    assert parse_widening("QL10:Km12+000-Km13+500:24") == Widening("QL10", 12000.0, 13500.0,
                                                                   24.0)
    assert parse_widening("QL10:100-250.5:9") == Widening("QL10", 100.0, 250.5, 9.0)
    for bad in ("QL10", "QL10:5-1:9", "QL10:1-5:-2", "QL10:a-b:3"):
        with pytest.raises(CadastreError, match="widening"):
            parse_widening(bad)
    with pytest.raises(CadastreError, match="no such route"):
        overlay_corridors(parcels(), routes(), {"DT455": "IV"}, profile,
                          widenings=[Widening("QL99", 0, 10, 5)])
    with pytest.raises(CadastreError, match="beyond the route"):
        overlay_corridors(parcels(), routes(), {"DT455": "IV"}, profile,
                          widenings=[Widening("DT455", 12900, 13500, 5)])


def test_outputs_xlsx_csv_layer(profile, tmp_path):
    result = overlay_corridors(parcels(), routes(), {"DT455": "IV"}, profile,
                               widenings=[Widening("DT455", 12100.0, 12400.0, 24.0)])
    tables = {"corridor_parcels": result.pieces, "encroachment": result.encroachments,
              "land_acquisition": result.acquisition, "corridors": result.corridors}
    book = openpyxl.load_workbook(write_tables(tables, tmp_path / "o.xlsx"))
    assert book.sheetnames == list(tables)
    sheet = book["land_acquisition"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["widening", "route", "zone"] and sheet.max_row == 3
    layers = write_tables(tables, tmp_path / "o.gpkg")
    assert len(gpd.read_file(layers, layer="corridor_parcels")) == 6
    csv = (tmp_path / "o.csv")
    write_tables(tables, csv)
    assert csv.read_text(encoding="utf-8").splitlines()[0].startswith("route,zone,sheet_no")
    with pytest.raises(CadastreError, match="output must be"):
        write_tables(tables, tmp_path / "o.txt")


def test_a_parcel_wholly_inside_a_zone_is_its_own_part(profile):
    """The fast path (no overlay computed) gives what the overlay would: the whole parcel,
    100 %, its Km range; the parcel across the zone's edge is still cut."""
    frame = gpd.GeoDataFrame([
        {"sheet_no": "6", "parcel_no": "1", "land_use": "LUC",
         "geometry": box(X0 + 700, Y0 + 6, X0 + 710, Y0 + 14)},      # inside 5.5..14.5
        {"sheet_no": "6", "parcel_no": "2", "land_use": "LUC",
         "geometry": box(X0 + 720, Y0 + 6, X0 + 730, Y0 + 16)},      # crosses 14.5
    ], geometry="geometry", crs=9209)
    frame["geometry"] = [MultiPolygon([g]) for g in frame.geometry]  # as the database has them
    result = overlay_corridors(frame, routes(), {"DT455": "IV"}, profile)
    got = {(r.parcel_no, r.zone): (r.area_in_m2, r.share_pct, r.km_from, r.km_to,
                                   r.geometry.geom_type) for r in result.pieces.itertuples()}
    assert got == {("1", "safety_corridor"): (80.0, 100.0, "Km12+700", "Km12+710", "Polygon"),
                   ("2", "safety_corridor"): (85.0, 85.0, "Km12+720", "Km12+730", "Polygon")}
    whole = result.pieces.set_index("parcel_no").loc["1", "geometry"]
    assert whole.equals(frame.geometry[0].geoms[0])


@pytest.mark.parametrize("metres", [0.0, 0.4, 0.5, 1.5, 2.5, 999.5, 1000.0, 12345.4999,
                                    12345.5, 70767.0, -0.49, 99_999_999.4])
def test_km_strings_are_the_chainage_format_of_whole_metres(metres):
    """The overlay's own Km text (whole metres, Python's rounding) is format_chainage's."""
    assert _km(metres) == format_chainage(round(metres), decimals=0)


def test_km_string_of_a_measure_out_of_range_is_the_chainage_error():
    with pytest.raises(ChainageError, match="-1"):
        _km(-0.6)


def test_widening_skips_only_parcels_wholly_road_land(profile):
    """A house plot with a strip of lane (``ONT+DGT``) in a widening is land to
    acquire; a parcel whose every use is road land (``DGT``, ``dgt+DGT``) is not."""
    frame = parcels()
    frame.loc[frame["parcel_no"] == "2", "land_use"] = "ONT+DGT"
    frame.loc[frame["parcel_no"] == "5", "land_use"] = "dgt+DGT"
    result = overlay_corridors(frame, routes(), {"DT455": "IV"}, profile,
                               widenings=[Widening("DT455", 12100.0, 12400.0, 24.0)])
    acq = {r.parcel_no: (r.land_use, r.area_in_m2) for r in result.acquisition.itertuples()}
    assert acq == {"1": ("LUC", 200.0), "2": ("ONT+DGT", 40.0)}
