"""Buildings read from a survey drawing (its CAD layers, its frame), open outlines, houses of
several rooms: the footprints a real DXF gives (written with GDAL's own DXF driver)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from osgeo import ogr
from roadinfra.core.cadastre.buildings import read_buildings
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.overlay import overlay_corridors
from roadinfra.core.lrs.route import Route
from roadinfra.core.profile import load_profile
from shapely.geometry import LineString, MultiPolygon, box

X0, Y0 = 580_000.0, 2_270_000.0
ROUTE = {"DT455": Route("DT455", LineString([(X0, Y0), (X0 + 1000, Y0)]),
                        [0.0, 1000.0], [12000.0, 13000.0])}
# grade IV: the safety corridor reaches 8..14.5 m north of the centre-line
HOUSE = box(X0 + 105, Y0 + 8, X0 + 110, Y0 + 14)           # 30 m², in parcel 1
PARCELS = [box(X0 + 100, Y0 + 2, X0 + 140, Y0 + 30), box(X0 + 140, Y0 + 2, X0 + 180, Y0 + 30)]


def _parcels():
    return gpd.GeoDataFrame([{"sheet_no": "5", "parcel_no": str(n), "commune_code": "13297",
                              "land_use": "LUC", "area_official_m2": p.area, "geometry": p}
                             for n, p in enumerate(PARCELS, 1)], crs=9209)


def _dxf(path, entities):
    """A DXF of (line, CAD layer) entities (GDAL's DXF driver: one layer, 'entities')."""
    source = ogr.GetDriverByName("DXF").CreateDataSource(str(path))
    layer = source.CreateLayer("entities")
    for line, cad in entities:
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("Layer", cad)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(line.wkt))
        layer.CreateFeature(feature)
    source = None
    return path


def _survey(tmp_path):
    """The house on NHA, the parcel outlines on THUA, the sheet frame on KHUNG."""
    frame = box(X0 + 50, Y0 - 50, X0 + 250, Y0 + 80)
    return _dxf(tmp_path / "survey.dxf",
                [(LineString(HOUSE.exterior.coords), "NHA")]
                + [(LineString(p.exterior.coords), "THUA") for p in PARCELS]
                + [(LineString(frame.exterior.coords), "KHUNG")])


def test_drawing_on_several_cad_layers_refused_naming_them(tmp_path):
    path = _survey(tmp_path)
    with pytest.raises(CadastreError, match=r"survey\.dxf: a drawing with entities on 3 CAD "
                       r"layers \(KHUNG \(1\), NHA \(1\), THUA \(2\)\); name the buildings' "
                       r"CAD layer \(--buildings-cad-layer"):
        read_buildings(path, load_profile())
    with pytest.raises(CadastreError, match=r"no CAD layer NHÀ \(CAD layers and their "
                       r"entities: KHUNG \(1\), NHA \(1\), THUA \(2\)\)"):
        read_buildings(path, load_profile(), cad_layers=["NHÀ"])


def test_buildings_read_from_the_cad_layer_named_frame_left_out(tmp_path):
    path = _survey(tmp_path)
    profile = load_profile()
    for chosen in (read_buildings(path, profile, cad_layers=["nha"]),
                   read_buildings(f"{path}|cadlayer=NHA", profile)):
        assert list(chosen["row"]) == [1]
        assert chosen.geometry.iloc[0].area == pytest.approx(30.0)
    with_frame = read_buildings(path, profile, cad_layers=["NHA", "KHUNG"])
    assert list(with_frame["row"]) == [1] and with_frame.attrs["frame"] == 4
    result = overlay_corridors(_parcels(), ROUTE, {"DT455": "IV"}, profile,
                               buildings=with_frame)
    building = result.encroachments[result.encroachments["reason"] == "building"]
    assert list(building["parcel_no"]) == ["1"]
    assert building["area_in_m2"].sum() == pytest.approx(30.0)
    assert result.encroaching_buildings == 1
    assert ("row 4 of the buildings drawing encloses every other footprint: taken for the "
            "sheet frame, not a building") in result.notes


def test_a_cad_layer_of_a_file_that_is_no_drawing_refused(tmp_path):
    path = tmp_path / "nha.gpkg"
    gpd.GeoDataFrame([{"geometry": HOUSE}], crs=9209).to_file(path)
    with pytest.raises(CadastreError, match="nha.gpkg: not a drawing with CAD layers"):
        read_buildings(path, load_profile(), cad_layers=["NHA"])


def test_outline_open_by_5_mm_closed_wider_gap_named(tmp_path):
    """An outline whose end misses its start by 5 mm is a house; one open by 1 m and a point
    are left out and named."""
    coords = list(HOUSE.exterior.coords)[:-1]
    nearly = LineString(coords + [(coords[0][0] + 0.005, coords[0][1])])
    wide = LineString([(X0 + 150, Y0 + 8), (X0 + 155, Y0 + 8), (X0 + 155, Y0 + 14),
                       (X0 + 150, Y0 + 13)])
    path = _dxf(tmp_path / "open.dxf", [(nearly, "NHA"), (wide, "NHA")])
    profile = load_profile()
    buildings = read_buildings(path, profile)
    assert list(buildings["row"]) == [1]
    assert buildings.attrs["left_out"] == [2]
    result = overlay_corridors(_parcels(), ROUTE, {"DT455": "IV"}, profile,
                               buildings=buildings)
    building = result.encroachments[result.encroachments["reason"] == "building"]
    assert building["area_in_m2"].sum() == pytest.approx(30.0, abs=0.02)
    assert ("1 feature(s) of the buildings file are neither polygons nor closed lines, left "
            "out: row(s) 2") in result.notes


def test_rooms_sharing_walls_in_one_feature_are_one_building(tmp_path):
    """A house of 3 rooms in one MultiPolygon is one building; 2 separate houses in one
    feature (a dissolved layer) stay 2."""
    rooms = MultiPolygon([box(X0 + 105, Y0 + 8, X0 + 107, Y0 + 14),
                          box(X0 + 107, Y0 + 8, X0 + 108, Y0 + 14),
                          box(X0 + 108, Y0 + 8, X0 + 110, Y0 + 14)])
    apart = MultiPolygon([box(X0 + 145, Y0 + 8, X0 + 150, Y0 + 14),
                          box(X0 + 160, Y0 + 8, X0 + 165, Y0 + 14)])
    path = tmp_path / "rooms.gpkg"
    gpd.GeoDataFrame([{"geometry": rooms}, {"geometry": apart}], crs=9209).to_file(path)
    profile = load_profile()
    buildings = read_buildings(path, profile)
    assert list(buildings["building"]) == ["1", "2.1", "2.2"]
    assert buildings.geometry.iloc[0].area == pytest.approx(30.0)
    result = overlay_corridors(_parcels(), ROUTE, {"DT455": "IV"}, profile,
                               buildings=buildings)
    assert result.encroaching_buildings == 3
    assert result.split == [2]


def test_a_house_enclosing_its_stair_well_is_no_sheet_frame(tmp_path):
    """A house whose outline encloses a stair well drawn on the same CAD layer is read as a
    building (and noted), not dropped for a sheet frame: the house's 30 m² are all there."""
    well = box(X0 + 107, Y0 + 10, X0 + 108, Y0 + 11)
    path = _dxf(tmp_path / "nested.dxf", [(LineString(HOUSE.exterior.coords), "NHA"),
                                          (LineString(well.exterior.coords), "NHA")])
    profile = load_profile()
    buildings = read_buildings(path, profile, cad_layers=["NHA"])
    assert list(buildings["row"]) == [1, 2]
    assert buildings.attrs["frame"] is None and buildings.attrs["enclosing"] == 1
    result = overlay_corridors(_parcels(), ROUTE, {"DT455": "IV"}, profile,
                               buildings=buildings)
    house = result.encroachments[result.encroachments["building"] == "1"]
    assert house["area_in_m2"].sum() == pytest.approx(30.0)
    assert result.frame_row is None and result.enclosing == 1
    assert ("row 1 of the buildings drawing encloses every other footprint but is not on a "
            "frame CAD layer (KHUNG, FRAME) nor large enough for a sheet frame: read as a "
            "building") in result.notes


def test_a_frame_on_a_plain_cad_layer_around_many_houses_is_left_out(tmp_path):
    """On CAD layer 0 (no frame layer), an outline enclosing 5 houses and 10 times larger
    than each is the sheet frame; around 4 houses it is read as a building."""
    houses = [box(X0 + 105 + 10 * i, Y0 + 8, X0 + 110 + 10 * i, Y0 + 14) for i in range(5)]
    frame = box(X0 + 50, Y0 - 50, X0 + 250, Y0 + 80)
    profile = load_profile()
    five = read_buildings(_dxf(tmp_path / "five.dxf", [
        (LineString(h.exterior.coords), "0") for h in houses]
        + [(LineString(frame.exterior.coords), "0")]), profile)
    assert list(five["row"]) == [1, 2, 3, 4, 5] and five.attrs["frame"] == 6
    four = read_buildings(_dxf(tmp_path / "four.dxf", [
        (LineString(h.exterior.coords), "0") for h in houses[:4]]
        + [(LineString(frame.exterior.coords), "0")]), profile)
    assert list(four["row"]) == [1, 2, 3, 4, 5] and four.attrs["enclosing"] == 5


def test_a_house_drawn_as_outline_and_hatch_is_one_building(tmp_path):
    """Each house drawn as its closed polyline and its HATCH (GDAL: a polygon) counts once:
    the rows, the area and the count of a drawing of outlines alone, the merge noted."""
    other = box(X0 + 150, Y0 + 8, X0 + 156, Y0 + 14)
    entities = []
    for house in (HOUSE, other):
        entities += [(LineString(house.exterior.coords), "NHA"), (house, "NHA")]
    profile = load_profile()
    hatched = read_buildings(_dxf(tmp_path / "hatch.dxf", entities), profile)
    assert list(hatched["row"]) == [1, 3] and hatched.attrs["same"] == [(1, 2), (3, 4)]
    outlines = read_buildings(_dxf(tmp_path / "outline.dxf", entities[::2]), profile)
    results = [overlay_corridors(_parcels(), ROUTE, {"DT455": "IV"}, profile, buildings=b)
               for b in (hatched, outlines)]
    assert [len(r.encroachments) for r in results] == [len(results[1].encroachments)] * 2
    assert [r.encroaching_buildings for r in results] == [2, 2]
    assert results[0].encroachments["area_in_m2"].sum() == pytest.approx(
        results[1].encroachments["area_in_m2"].sum())
    assert ("2 footprint(s) drawn twice (an outline and its hatch) counted once: row(s) 2 "
            "(as 1), 4 (as 3)") in results[0].notes


def test_a_house_exploded_into_lines_is_joined_loose_lines_named(tmp_path):
    """A house drawn as 4 LINE entities (CAD "explode"), one end missing by 5 mm, is joined
    into its outline; lines that close nothing are refused saying what the drawing holds."""
    c = list(HOUSE.exterior.coords)
    lines = [LineString([c[i], c[i + 1]]) for i in range(4)]
    lines[3] = LineString([c[3], (c[4][0] + 0.005, c[4][1])])
    profile = load_profile()
    buildings = read_buildings(_dxf(tmp_path / "exploded.dxf",
                                    [(line, "NHA") for line in lines]), profile)
    assert list(buildings["row"]) == [1] and buildings.attrs["joined"] == [[1, 2, 3, 4]]
    assert buildings.attrs["left_out"] == []
    assert buildings.geometry.iloc[0].area == pytest.approx(30.0, abs=0.05)
    result = overlay_corridors(_parcels(), ROUTE, {"DT455": "IV"}, profile,
                               buildings=buildings)
    assert ("4 loose line(s) of the buildings drawing joined into 1 outline(s): row(s) 1, 2, "
            "3, 4") in result.notes
    with pytest.raises(CadastreError, match=r"open\.dxf: no building polygons: of the 3 "
                       r"feature\(s\) read, 3 open line\(s\), joining into no closed outline"):
        read_buildings(_dxf(tmp_path / "open.dxf", [(line, "NHA") for line in lines[:3]]),
                       profile)
