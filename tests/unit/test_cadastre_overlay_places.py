"""The overlay's rows as a person reads them, on cases known by hand: one row per place where
a parcel or a building meets a zone, buildings as the polygons of any file (its layer chosen),
survey slivers left out, a crossing road's land mapped whichever routes are chosen, counts of
parcels and buildings, and the workbook in the reader's language.

Straight grade IV route DT455 runs 1000 m east from (X0, Y0), Km12+000-Km13+000: road land to
5.5 m from the centre-line, safety corridor 5.5-14.5 m (as tests/unit/test_cadastre_overlay).
"""

from __future__ import annotations

import re

import geopandas as gpd
import openpyxl
import pytest
from osgeo import ogr, osr
from roadinfra.core.cadastre.buildings import read_buildings
from roadinfra.core.cadastre.corridor import Widening, parse_widening
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.outputs import write_tables
from roadinfra.core.cadastre.overlay import overlay_corridors
from roadinfra.core.lrs.route import Route
from roadinfra.core.profile import load_profile
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, box, mapping

X0, Y0 = 600000.0, 2270000.0
GRADES = {"DT455": "IV", "DH1": "IV"}


@pytest.fixture(scope="module")
def profile():
    return load_profile()


def dt455():
    return Route("DT455", LineString([(X0, Y0), (X0 + 1000, Y0)]), [0.0, 1000.0],
                 [12000.0, 13000.0])


def dh1():
    """A road crossing DT455 at Km12+500, northwards."""
    return Route("DH1", LineString([(X0 + 500, Y0 - 500), (X0 + 500, Y0 + 500)]),
                 [0.0, 1000.0], [0.0, 1000.0])


def parcel(no, geom, use="LUC", sheet="5"):
    return {"sheet_no": sheet, "parcel_no": no, "commune_code": "13297", "land_use": use,
            "owner": None, "area_official_m2": geom.area, "geometry": geom}


def frame(rows):
    """Parcels (none: one far from every road)."""
    return gpd.GeoDataFrame(rows or [parcel("far", box(X0, Y0 + 5000, X0 + 1, Y0 + 5001))],
                            geometry="geometry", crs=9209)


def houses(*geoms):
    return gpd.GeoDataFrame({"row": range(1, len(geoms) + 1),
                             "building": [str(n) for n in range(1, len(geoms) + 1)],
                             "parts": [1] * len(geoms)}, geometry=list(geoms), crs=9209)


def test_a_parcel_meeting_a_zone_in_two_places_is_two_rows(profile):
    # a canal 10 m wide crossing the road at Km12+200 and Km12+800, joined far north
    canal = box(X0 + 195, Y0 - 30, X0 + 205, Y0 + 200).union(
        box(X0 + 795, Y0 - 30, X0 + 805, Y0 + 200)).union(box(X0 + 195, Y0 + 190, X0 + 805,
                                                              Y0 + 200))
    result = overlay_corridors(frame([parcel("1", canal, "DTL")]), {"DT455": dt455()}, GRADES,
                               profile)
    rows = sorted((r.zone, r.km_from, r.km_to, r.area_in_m2)
                  for r in result.pieces.itertuples())
    # road land 11 m x 10 m at each crossing; the safety corridor 2 x 9 m x 10 m at each
    assert rows == [("road_land", "Km12+195", "Km12+205", 110.0),
                    ("road_land", "Km12+795", "Km12+805", 110.0),
                    ("safety_corridor", "Km12+195", "Km12+205", 180.0),
                    ("safety_corridor", "Km12+795", "Km12+805", 180.0)]
    assert result.summary()["by_route_zone"]["DT455/road_land"] == {"parcels": 1,
                                                                    "area_m2": 220.0}


def test_each_polygon_of_a_dissolved_buildings_layer_is_a_building(profile, tmp_path):
    plots = frame([parcel("1", box(X0 + 100, Y0 + 6, X0 + 120, Y0 + 30), "LUC"),
                   parcel("2", box(X0 + 700, Y0 + 6, X0 + 720, Y0 + 30), "LUC")])
    dissolved = MultiPolygon([box(X0 + 105, Y0 + 10, X0 + 110, Y0 + 15),
                              box(X0 + 705, Y0 + 10, X0 + 710, Y0 + 15)])
    path = tmp_path / "merged.geojson"
    gpd.GeoDataFrame(geometry=[dissolved], crs=9209).to_file(path)
    buildings = read_buildings(path, profile)
    assert list(buildings["building"]) == ["1.1", "1.2"] and list(buildings["row"]) == [1, 1]
    result = overlay_corridors(plots, {"DT455": dt455()}, GRADES, profile, buildings=buildings)
    rows = sorted((r.parcel_no, r.km_from, r.km_to, r.area_in_m2, r.building)
                  for r in result.encroachments.itertuples())
    assert rows == [("1", "Km12+105", "Km12+110", 22.5, "1.1"),
                    ("2", "Km12+705", "Km12+710", 22.5, "1.2")]
    assert any("taken as a building: row(s) 1" in note for note in result.notes)
    assert result.summary()["encroaching_buildings"] == 2


def test_survey_slivers_are_no_rows(profile):
    edge = 14.5  # the safety corridor's outer edge
    plots = frame([
        parcel("1", box(X0 + 100, Y0 + edge - 0.02, X0 + 160, Y0 + 40), "ONT"),  # 2 cm in
        parcel("2", box(X0 + 200, Y0 + edge - 1.0, X0 + 260, Y0 + 40), "ONT"),   # 1 m in
        parcel("3", box(X0 + 300, Y0 + 6, X0 + 320, Y0 + 30)),
        parcel("4", box(X0 + 320, Y0 + 6, X0 + 340, Y0 + 30)),
    ])
    # a house in parcel 3 whose wall is drawn 2 cm across the line into parcel 4
    house = houses(box(X0 + 310, Y0 + 8, X0 + 320.02, Y0 + 16))
    result = overlay_corridors(plots, {"DT455": dt455()}, GRADES, profile, buildings=house)
    assert sorted(result.pieces["parcel_no"]) == ["2", "3", "4"]
    assert list(result.pieces.loc[result.pieces["parcel_no"] == "2", "area_in_m2"]) == [60.0]
    got = sorted((r.parcel_no, r.part, r.area_in_m2) for r in result.encroachments.itertuples())
    assert got == [("2", "parcel", 60.0), ("3", "building", 6.5 * 10)]


def test_thin_whole_features_and_thin_land_to_acquire_are_kept(profile):
    """A wall 0.11 m thick lying wholly in the safety corridor is an encroachment (it is
    thin by nature, not cut thin); a widening 0.15 m into the parcels is land to acquire,
    kept and named in the notes; the slivers that are left out are counted in the notes."""
    plots = frame([parcel("1", box(X0 + 100, Y0 + 8, X0 + 200, Y0 + 30)),
                   parcel("2", box(X0 + 200, Y0 + 8, X0 + 300, Y0 + 30))])
    wall = box(X0 + 110, Y0 + 12.0, X0 + 140, Y0 + 12.11)            # 3.3 m²
    corner = box(X0 + 150, Y0 + 14.4, X0 + 160, Y0 + 20)             # 0.1 m into the zone
    widening = Widening("DT455", 12100.0, 12300.0, 16.3)             # 8.15 m: 0.15 m in
    result = overlay_corridors(plots, {"DT455": dt455()}, GRADES, profile, [widening],
                               houses(wall, corner))
    enc = result.encroachments
    assert list(zip(enc["building"], enc["area_in_m2"])) == [("1", 3.3)]
    acq = result.acquisition
    assert sorted(acq["parcel_no"]) == ["1", "2"]
    assert list(acq["area_in_m2"]) == [15.0, 15.0]
    assert ("1 sliver(s) under 0.2 m wide cut by a zone edge or a parcel line left out as "
            "survey noise (1.00 m² in all)") in result.notes
    assert ("widening DT455 Km12+100-Km12+300 16.3 m: 2 strip(s) to acquire under 0.2 m "
            "wide (30.00 m²), kept: check them against the survey") in result.notes


def test_remaining_area_is_less_every_widening_of_the_route(profile):
    """A 30 m widening given in two sections split inside parcel 1, and a third overlapping
    the second: each row's remaining area is the parcel less all the land taken, counted
    once (100 x 22 m parcel from +8 m: 7 m x 100 m taken)."""
    plots = frame([parcel("1", box(X0 + 100, Y0 + 8, X0 + 200, Y0 + 30))])
    sections = [Widening("DT455", 12000.0, 12150.0, 30.0),
                Widening("DT455", 12150.0, 12300.0, 30.0),
                Widening("DT455", 12180.0, 12250.0, 30.0)]
    result = overlay_corridors(plots, {"DT455": dt455()}, GRADES, profile, sections)
    acq = result.acquisition
    assert list(acq["area_in_m2"]) == [350.0, 350.0, 140.0]  # the third within the second
    assert set(acq["remaining_m2"]) == {2200.0 - 700.0}


def test_widening_parts_named_when_wrong_and_spaces_or_decimal_comma_read(profile):
    read = parse_widening("DT455:Km12+000 - Km12+500:24,5")
    assert (read.from_m, read.to_m, read.width_m) == (12000.0, 12500.0, 24.5)
    assert parse_widening("DT455:12000,5-12500:24").from_m == 12000.5
    for text, why in (("DT455:Km12+000-Km12+500:1.500", r"WIDTH '1\.500' is ambiguous"),
                      ("DT455:K12+000-Km12+500:24", r"FROM 'K12\+000' is not a Km \(Km12\+000\)"
                                                     r" nor metres"),
                      ("DT455:Km12+000-Km12+500:24m", r"WIDTH '24m' is not a width in metres"),
                      ("DT455:Km12+000:24", r"FROM-TO 'Km12\+000' is not two measures joined "
                                            r"by '-'"),
                      ("DT455:12000-12500", r"expected ROUTE:FROM-TO:WIDTH \(3 parts "
                                            r"separated by ':', got 2\)")):
        with pytest.raises(CadastreError, match=f"widening '{re.escape(text)}': {why}"):
            parse_widening(text)


def test_a_widening_within_the_nominal_road_land_takes_the_titled_land_there(profile):
    """A parcel reaching 3 m into DT455's road land (grade IV: edge at 5.5 m, 11 m in all; old
    roads' land was often never compensated): clearing the road land to its 11 m takes 100 x
    2.5 m, a town red line of 8 m 100 x 1 m, each read from the parcels, never refused by the
    profile's nominal road land."""
    plots = frame([parcel("1", box(X0 + 100, Y0 + 3, X0 + 200, Y0 + 30))])
    for width, taken in ((11.0, 250.0), (8.0, 100.0)):
        result = overlay_corridors(plots, {"DT455": dt455()}, GRADES, profile,
                                   [parse_widening(f"DT455:12100-12200:{width:g}")])
        acq = result.acquisition
        assert list(acq["parcel_no"]) == ["1"]
        assert acq["area_in_m2"].sum() == pytest.approx(taken)
        assert not result.idle and not any("takes no parcel" in n for n in result.notes)


def test_a_widening_taking_no_parcel_is_noted_only_where_the_map_covers_it(profile):
    """Parcels 8-30 m north and south of DT455 over Km12+100-Km12+200 (road land to 5.5 m):
    a 6 m widening and a 14 m one there take nothing (the 14 m one meets the road land and
    the unparcelled verge to 7 m only) and are noted as such, the first with the nominal
    road land (11 m: the width may be the part added). A 14 m one over Km12+500-Km12+600,
    where no cadastre is imported, is not said to take nothing: its 2 x 100 x 1.5 m beyond
    the road land lie beyond the imported parcels. A 20 m one over Km12+150-Km12+250 takes
    50 x 2 m of each parcel and leaves 2 x 50 x 4.5 m beyond them, Km12+200-Km12+250."""
    plots = frame([parcel("1", box(X0 + 100, Y0 + 8, X0 + 200, Y0 + 30)),
                   parcel("2", box(X0 + 100, Y0 - 30, X0 + 200, Y0 - 8))])
    result = overlay_corridors(plots, {"DT455": dt455()}, GRADES, profile,
                               [parse_widening("DT455:12100-12200:6"),
                                parse_widening("DT455:12100-12200:14"),
                                parse_widening("DT455:12500-12600:14"),
                                parse_widening("DT455:12150-12250:20")])
    acq = result.acquisition
    assert list(acq["parcel_no"]) == ["1", "2"]
    assert list(acq["area_in_m2"]) == [100.0, 100.0]
    assert result.idle == [("DT455 Km12+100-Km12+200 6 m", 11.0),
                           ("DT455 Km12+100-Km12+200 14 m", None)]
    assert [(name, round(area), ranges) for name, area, ranges in result.beyond] == [
        ("DT455 Km12+500-Km12+600 14 m", 300, ["Km12+500-Km12+600"]),
        ("DT455 Km12+150-Km12+250 20 m", 450, ["Km12+200-Km12+250"])]
    notes = [n for n in result.notes if n.startswith("widening")]
    assert notes == [
        "widening DT455 Km12+100-Km12+200 6 m: takes no parcel (its footprint meets none but "
        "the road's own land); the profile's nominal road land is 11 m wide: if the width "
        "given is the part added, give the new total width",
        "widening DT455 Km12+100-Km12+200 14 m: takes no parcel (its footprint meets none but "
        "the road's own land)",
        "widening DT455 Km12+500-Km12+600 14 m: 300.0 m² of its footprint lie beyond the "
        "imported parcels (Km12+500-Km12+600), outside the road land: not checked; import "
        "those sheets",
        "widening DT455 Km12+150-Km12+250 20 m: 450.0 m² of its footprint lie beyond the "
        "imported parcels (Km12+200-Km12+250), outside the road land: not checked; import "
        "those sheets"]
    assert result.summary()["widenings_beyond_map"][0] == {
        "widening": "DT455 Km12+500-Km12+600 14 m", "area_m2": 300.0,
        "km": ["Km12+500-Km12+600"]}


def test_one_house_on_one_plot_counts_once(profile):
    plot = frame([parcel("1", box(X0 + 100, Y0 + 3, X0 + 120, Y0 + 40), "ONT")])
    house = houses(box(X0 + 105, Y0 + 4, X0 + 115, Y0 + 8))  # across the road land's edge
    result = overlay_corridors(plot, {"DT455": dt455()}, GRADES, profile, buildings=house)
    info = result.summary()
    assert info["encroachments"] == 4  # rows: the plot and the house in each zone
    assert (info["encroaching_parcels"], info["encroaching_buildings"]) == (1, 1)


def crossing_case():
    """Four quadrant parcels around the crossing, each on its own sheet, leaving both roads'
    land (5.5 m each side) unparcelled; a kiosk on DH1's centre-line, 8-12 m north of
    DT455's: in DT455's safety corridor, on DH1's road land."""
    cx, cy, r, h = X0 + 500, Y0, 100.0, 5.5
    quads = [box(cx + h, cy + h, cx + r, cy + r), box(cx - r, cy + h, cx - h, cy + r),
             box(cx - r, cy - r, cx - h, cy - h), box(cx + h, cy - r, cx + r, cy - h)]
    plots = frame([parcel(str(k), q, sheet=str(k)) for k, q in enumerate(quads, 1)])
    return plots, houses(box(cx - 2, cy + 8, cx + 2, cy + 12))


def test_a_crossing_roads_land_is_mapped_whichever_routes_are_chosen(profile):
    plots, kiosk = crossing_case()
    every = {"DT455": dt455(), "DH1": dh1()}
    alone = overlay_corridors(plots, {"DT455": every["DT455"]}, GRADES, profile,
                              buildings=kiosk, every=every)
    both = overlay_corridors(plots, every, GRADES, profile, buildings=kiosk)
    rows = [(r.zone, r.reason, r.area_in_m2, r.km_from, r.km_to)
            for r in alone.encroachments.itertuples()]
    assert rows == [("safety_corridor", "building outside any parcel", 16.0, "Km12+498",
                     "Km12+502")]
    assert rows == [(r.zone, r.reason, r.area_in_m2, r.km_from, r.km_to)
                    for r in both.encroachments.itertuples() if r.route == "DT455"]
    assert alone.unmapped == [] and alone.partly == []


def test_routes_without_a_grade_are_named_at_once(profile):
    routes = {"DT455": dt455(), "DH1": dh1(), "DH2": Route(
        "DH2", LineString([(X0, Y0 + 900), (X0 + 100, Y0 + 900)]), [0.0, 100.0], [0.0, 100.0])}
    with pytest.raises(CadastreError) as err:
        overlay_corridors(frame([]), routes, {"DT455": "IV", "DH1": None, "DH2": "ZZ"},
                          profile)
    assert "route(s) DH1: no road grade" in str(err.value)
    assert "route DH2: road grade 'ZZ' not in the profile" in str(err.value)
    assert "None" not in str(err.value)


def test_a_widening_on_a_route_not_chosen_says_so(profile):
    every = {"DT455": dt455(), "DH1": dh1()}
    with pytest.raises(CadastreError, match="route DH1 is not among the routes chosen "
                                            r"\(DT455\)"):
        overlay_corridors(frame([]), {"DT455": every["DT455"]}, GRADES, profile,
                          widenings=[parse_widening("DH1:100-200:20")], every=every)


def test_widening_measures_typed_with_thousands_groups_are_refused(profile):
    for text in ("DT455:12.000-12.500:24", "DT455:12,000-12,500:24"):
        with pytest.raises(CadastreError, match="ambiguous.*Km12\\+000"):
            parse_widening(text)
    assert parse_widening("DT455:Km12+000-Km12+500:24.5").width_m == 24.5
    assert parse_widening("DT455:12000-12500.5:24").to_m == 12500.5
    with pytest.raises(CadastreError, match=r"widening 'DT455:12-13.5:24': Km0\+012-Km0\+014 "
                                            r"lies beyond the route \(DT455 runs "):
        overlay_corridors(frame([]), {"DT455": dt455()}, GRADES, profile,
                          widenings=[parse_widening("DT455:12-13.5:24")])


def test_workbook_in_the_readers_language(profile, tmp_path):
    plots = frame([parcel("1", box(X0 + 100, Y0 + 2, X0 + 120, Y0 + 22), "ONT")])
    result = overlay_corridors(plots, {"DT455": dt455()}, GRADES, profile,
                               widenings=[Widening("DT455", 12100.0, 12400.0, 24.0)])
    tables = {"encroachment": result.encroachments, "corridors": result.corridors}
    book = openpyxl.load_workbook(write_tables(tables, tmp_path / "vi.xlsx", lang="vi"))
    sheet = book["encroachment"]
    head = [c.value for c in sheet[1]]
    assert head[:3] == ["Tuyến", "Vùng", "Tờ bản đồ"]
    cells = [dict(zip(head, [c.value for c in row])) for row in sheet.iter_rows(min_row=2)]
    assert sorted(c["Vùng"] for c in cells) == ["hành lang an toàn", "đất của đường bộ"]
    assert {c["Lý do"] for c in cells} == {"loại đất ONT"}
    corridors = book["corridors"]
    head = [c.value for c in corridors[1]]
    rows = [dict(zip(head, [c.value for c in row])) for row in corridors.iter_rows(min_row=2)]
    widening = next(r for r in rows if r["Vùng"] == "mở rộng")
    assert widening["Bề rộng mới khi mở rộng (m)"] == 24.0
    assert widening["Bề rộng nền đường (m)"] is None
    english = openpyxl.load_workbook(write_tables(tables, tmp_path / "en.xlsx", lang="en"))
    assert [c.value for c in english["encroachment"][1]][:2] == ["Route", "Zone"]


def _two_layers(path):
    plots = gpd.GeoDataFrame(geometry=[box(X0 + 100, Y0 + 6, X0 + 120, Y0 + 30)], crs=9209)
    plots.to_file(path, layer="thua_dat")
    gpd.GeoDataFrame(geometry=[box(X0 + 105, Y0 + 10, X0 + 110, Y0 + 15)], crs=9209).to_file(
        path, layer="nha")


def test_a_buildings_file_with_several_layers_is_read_from_the_layer_named(profile, tmp_path):
    path = tmp_path / "both.gpkg"
    _two_layers(path)
    with pytest.raises(CadastreError, match=r"2 layers with geometries \(thua_dat, nha\); "
                                            "name the buildings layer"):
        read_buildings(path, profile)
    for chosen in (read_buildings(path, profile, layer="nha"),
                   read_buildings(f"{path}|layername=NHA", profile)):
        assert [round(g.area, 6) for g in chosen.geometry] == [25.0]
    with pytest.raises(CadastreError, match="no layer 'x' .layers: thua_dat, nha."):
        read_buildings(path, profile, layer="x")


def test_buildings_with_arcs_closed_lines_or_in_a_collection(profile, tmp_path):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(9209)
    curved = tmp_path / "curved.gpkg"
    source = ogr.GetDriverByName("GPKG").CreateDataSource(str(curved))
    layer = source.CreateLayer("nha", srs, ogr.wkbCurvePolygon)
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetGeometry(ogr.CreateGeometryFromWkt(
        f"CURVEPOLYGON(COMPOUNDCURVE(CIRCULARSTRING({X0 + 100} {Y0 + 10}, {X0 + 105} "
        f"{Y0 + 5}, {X0 + 110} {Y0 + 10}),({X0 + 110} {Y0 + 10}, {X0 + 100} {Y0 + 10})))"))
    layer.CreateFeature(feature)
    source = None
    half_disc = read_buildings(curved, profile).geometry[0]
    assert half_disc.area == pytest.approx(3.14159 * 25 / 2, rel=0.01)

    drawing = tmp_path / "nha.dxf"
    source = ogr.GetDriverByName("DXF").CreateDataSource(str(drawing))
    layer = source.CreateLayer("entities")
    for x in (100, 200):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(ogr.CreateGeometryFromWkt(LineString(
            box(X0 + x, Y0 + 10, X0 + x + 5, Y0 + 15).exterior.coords).wkt))
        layer.CreateFeature(feature)
    open_line = ogr.Feature(layer.GetLayerDefn())  # not an outline: left out
    open_line.SetGeometry(ogr.CreateGeometryFromWkt(f"LINESTRING({X0} {Y0}, {X0 + 5} {Y0})"))
    layer.CreateFeature(open_line)
    source = None
    outlines = read_buildings(drawing, profile)
    assert sorted(round(g.area, 6) for g in outlines.geometry) == [25.0, 25.0]

    collection = tmp_path / "nha.geojson"
    gpd.GeoDataFrame(geometry=[GeometryCollection([
        box(X0 + 100, Y0 + 10, X0 + 105, Y0 + 15),
        LineString([(X0, Y0), (X0 + 5, Y0)])])], crs=9209).to_file(collection)
    assert [round(g.area, 6) for g in read_buildings(collection, profile).geometry] == [25.0]
    assert mapping(read_buildings(collection, profile).geometry[0])["type"] == "Polygon"
