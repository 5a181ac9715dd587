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
    assert list(with_frame["row"]) == [1] and with_frame.attrs["frames"] == [4]
    result = overlay_corridors(_parcels(), ROUTE, {"DT455": "IV"}, profile,
                               buildings=with_frame)
    building = result.encroachments[result.encroachments["reason"] == "building"]
    assert list(building["parcel_no"]) == ["1"]
    assert building["area_in_m2"].sum() == pytest.approx(30.0)
    assert result.encroaching_buildings == 1
    assert ("1 outline(s) read as an enclosure (a lot wall, a block outline, a frame: "
            "house-size footprints inside, a yard around one, or over 5,000 m²), left out, "
            "the footprints inside the buildings: row 4 "
            "(26,000.0 m²) holds row 1 (30.0 m²), as one building, 26,000.0 m². To say which, "
            "if one is a house, draw its fill as a HATCH; put lot walls and frames on a CAD "
            "layer of their own, not named") in result.notes


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


@pytest.mark.parametrize("cad", ["NHA", "NHA_KHUNG_THEP"])
def test_a_house_enclosing_its_stair_well_is_one_building(tmp_path, cad):
    """A house whose outline encloses a stair well drawn on the same CAD layer is one
    building, its 30 m² counted once (the well merged into it, noted), not dropped for a
    sheet frame, also on a CAD layer of steel-frame houses (NHA_KHUNG_THEP: KHUNG not its
    first word)."""
    well = box(X0 + 107, Y0 + 10, X0 + 108, Y0 + 11)
    path = _dxf(tmp_path / "nested.dxf", [(LineString(HOUSE.exterior.coords), cad),
                                          (LineString(well.exterior.coords), cad)])
    profile = load_profile()
    buildings = read_buildings(path, profile, cad_layers=[cad])
    assert list(buildings["row"]) == [1]
    assert buildings.attrs["frames"] == [] and buildings.attrs["same"] == [(1, 2)]
    result = overlay_corridors(_parcels(), ROUTE, {"DT455": "IV"}, profile,
                               buildings=buildings)
    assert result.encroachments["area_in_m2"].sum() == pytest.approx(30.0)
    assert result.encroaching_buildings == 1
    assert ("1 outline(s) holding only footprints under 25 m² read as one building with them "
            "(a stair well, a light well): row 1 (30.0 m²) holds row 2 (1.0 m²), as an "
            "enclosure, 1 building(s) of 1.0 m². To say which, if one is a lot wall or a "
            "frame, put it on a CAD layer of its own, not named") in result.notes


def test_frame_layer_names_whole_or_first_word():
    from roadinfra.core.cadastre.buildings import frame_layer
    assert [frame_layer(n) for n in ("KHUNG", "khung_bd", "Frame-1", "BORDER 2")] == [True] * 4
    assert [frame_layer(n) for n in ("NHA_KHUNG_THEP", "KHUNGNHA", "0", "", None)] == [False] * 5


@pytest.mark.parametrize("houses", [2, 3, 5])
def test_an_outline_around_separate_houses_is_left_out_whatever_its_layer(tmp_path, houses):
    """On CAD layer 0 (the drawing's only layer), an outline around 2, 3 or 5 separate houses
    (one of them hatched, one with a stair well) is a sheet frame, left out and noted:
    the houses' area alone, not the frame's, whatever the count."""
    boxes = [box(X0 + 105 + 10 * i, Y0 + 8, X0 + 110 + 10 * i, Y0 + 14) for i in range(houses)]
    frame = box(X0 + 50, Y0 - 50, X0 + 250, Y0 + 80)
    well = box(X0 + 107, Y0 + 10, X0 + 108, Y0 + 11)  # in the first house
    entities = ([(LineString(h.exterior.coords), "0") for h in boxes]
                + [(boxes[-1], "0"), (LineString(frame.exterior.coords), "0"),
                   (LineString(well.exterior.coords), "0")])
    profile = load_profile()
    buildings = read_buildings(_dxf(tmp_path / "frame0.dxf", entities), profile)
    assert list(buildings["row"]) == list(range(1, houses + 1))
    assert buildings.attrs["frames"] == [houses + 2]
    assert buildings.attrs["same"] == [(1, houses + 3), (houses, houses + 1)]
    assert buildings.geometry.area.sum() == pytest.approx(30.0 * houses)
    result = overlay_corridors(_parcels(), ROUTE, {"DT455": "IV"}, profile,
                               buildings=buildings)
    assert result.encroachments["area_in_m2"].sum() <= 30.0 * houses + 1e-6
    assert result.frames == [houses + 2]


def test_a_double_frame_and_a_compound_wall_are_left_out(tmp_path):
    """A sheet frame drawn as two nested borders, and a compound wall of a buildings
    GeoPackage around two houses: none of them a building."""
    houses = [box(X0 + 105, Y0 + 8, X0 + 110, Y0 + 14), box(X0 + 120, Y0 + 8, X0 + 125, Y0 + 14)]
    inner, outer = (box(X0 + 50, Y0 - 50, X0 + 250, Y0 + 80),
                    box(X0 + 40, Y0 - 60, X0 + 260, Y0 + 90))
    profile = load_profile()
    drawing = read_buildings(_dxf(tmp_path / "double.dxf", [
        (LineString(g.exterior.coords), "0") for g in [outer, inner] + houses]), profile)
    assert list(drawing["row"]) == [3, 4] and drawing.attrs["frames"] == [1, 2]
    path = tmp_path / "compound.gpkg"
    wall = box(X0 + 100, Y0 + 5, X0 + 130, Y0 + 20)
    gpd.GeoDataFrame([{"geometry": g} for g in [wall] + houses], crs=9209).to_file(path)
    layer = read_buildings(path, profile)
    assert list(layer["row"]) == [2, 3] and layer.attrs["frames"] == [1]


@pytest.mark.parametrize("hatch", ["exact", "courtyard", "inner face"])
def test_a_house_drawn_as_outline_and_hatch_is_one_building(tmp_path, hatch):
    """Each house drawn as its closed polyline and its HATCH (GDAL: a polygon) counts once,
    the hatch exact, leaving out a courtyard or drawn to the walls' inner face: the rows, the
    area and the count of a drawing of outlines alone, the merge noted."""
    other = box(X0 + 150, Y0 + 8, X0 + 156, Y0 + 14)
    entities = []
    for house in (HOUSE, other):
        minx, miny, maxx, maxy = house.bounds
        fill = {"exact": house,
                "courtyard": house.difference(box(minx + 1, miny + 1, minx + 2, miny + 2)),
                "inner face": house.buffer(-0.2, join_style=2)}[hatch]
        entities += [(LineString(house.exterior.coords), "NHA"), (fill, "NHA")]
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
    assert ("2 footprint(s) counted as one building with another (its HATCH, a copy, or the "
            "same building drawn again: within 0.5 m of it, or of its size and moved off it, "
            "still covering half of it or more): row(s) 2 (in 1), 4 (in 3)") in results[0].notes
    assert not any("outline(s) holding" in n for n in results[0].notes)


def test_a_terrace_exploded_into_lines_gives_a_building_per_house(tmp_path):
    """Three row houses sharing walls, drawn as 12 LINE entities (each house's 4 sides, the
    shared walls twice), give 3 buildings as their 3 closed outlines do, not 1."""
    houses = [box(X0 + 105 + 5 * i, Y0 + 8, X0 + 110 + 5 * i, Y0 + 14) for i in range(3)]
    lines = []
    for house in houses:
        c = list(house.exterior.coords)
        lines += [(LineString([c[i], c[i + 1]]), "NHA") for i in range(4)]
    profile = load_profile()
    exploded = read_buildings(_dxf(tmp_path / "terrace.dxf", lines), profile)
    closed = read_buildings(_dxf(tmp_path / "closed.dxf", [
        (LineString(h.exterior.coords), "NHA") for h in houses]), profile)
    assert len(exploded) == len(closed) == 3
    assert sorted(exploded.geometry.area) == pytest.approx([30.0] * 3)
    assert len(exploded.attrs["joined"]) == 3
    results = [overlay_corridors(_parcels(), ROUTE, {"DT455": "IV"}, profile, buildings=b)
               for b in (exploded, closed)]
    assert [r.encroaching_buildings for r in results] == [3, 3]
    assert ("12 loose line(s) of the buildings drawing joined into 3 outline(s)"
            in results[0].notes[0])


@pytest.mark.parametrize("fill", ["none", "hatch", "hatch to the inner face"])
def test_party_walls_drawn_as_lines_across_a_terrace_outline_give_a_building_per_house(
        tmp_path, fill):
    """Review 14s #5: three row houses drawn as one closed outline with the two party walls
    as LINE entities (one ending 3 mm short of the outline), with or without a HATCH of the
    whole terrace (exact, or to the walls' inner face), give the 3 buildings of the 3
    closed outlines, not 1, the same encroachments, the walls noted."""
    houses = [box(X0 + 105 + 5 * i, Y0 + 8, X0 + 110 + 5 * i, Y0 + 14) for i in range(3)]
    terrace = box(X0 + 105, Y0 + 8, X0 + 120, Y0 + 14)
    walls = [LineString([(X0 + 110, Y0 + 8), (X0 + 110, Y0 + 14)]),
             LineString([(X0 + 115, Y0 + 8.003), (X0 + 115, Y0 + 14)])]
    entities = [(LineString(terrace.exterior.coords), "NHA")] + [(w, "NHA") for w in walls]
    if fill != "none":
        entities.append((terrace if fill == "hatch" else terrace.buffer(-0.2, join_style=2),
                         "NHA"))
    profile = load_profile()
    walled = read_buildings(_dxf(tmp_path / "walls.dxf", entities), profile)
    closed = read_buildings(_dxf(tmp_path / "closed.dxf", [
        (LineString(h.exterior.coords), "NHA") for h in houses]), profile)
    assert len(walled) == 3 and walled.attrs["walls"] == [(1, [2, 3])]
    assert walled.attrs["left_out"] == [] and walled.attrs["frames"] == []
    assert sorted(walled.geometry.area) == pytest.approx([30.0] * 3, abs=0.01)
    results = [overlay_corridors(_parcels(), ROUTE, {"DT455": "IV"}, profile, buildings=b)
               for b in (walled, closed)]
    assert [r.encroaching_buildings for r in results] == [3, 3]
    assert results[0].encroachments["area_in_m2"].sum() == pytest.approx(
        results[1].encroachments["area_in_m2"].sum(), abs=0.05)
    assert results[0].split == []
    assert ("2 loose line(s) of the buildings drawing across 1 closed outline(s) taken for "
            "party walls, a building per part: row(s) 2, 3 across 1") in results[0].notes


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


# The reviewers' hand case on the demo's QL10 (grade III: road land to 8 m, safety corridor
# to 21 m): five parcels on the left, Km80+400-500, offsets 8..48 m; house C at
# Km80+450-470, offsets -3..10 (260 m²): 20.13 m² in parcel 3, 20.13 m² in parcel 4,
# 161.02 m² in the road land outside any parcel (the 60.4 m² right of the centre-line
# beyond the map, noted).
HOUSE_C_ROWS = [("3", 20.13), ("4", 20.13), (None, 161.02)]


@pytest.fixture(scope="module")
def ql10(tmp_path_factory):
    """(QL10 of the demo database, a quad(m0, m1, o0, o1) along it, the hand case's parcels)."""
    import numpy as np
    from roadinfra.core.cadastre.sources import routes_from_database
    from roadinfra.core.db import open_database
    from roadinfra.core.lrs.locate import point_at
    from shapely.geometry import Polygon

    from tests.support.cadastre_db import demo_database

    handle = open_database(demo_database(tmp_path_factory.mktemp("demo")))
    try:
        routes, _ = routes_from_database(handle, ["QL10"])
    finally:
        handle.close()
    route = routes["QL10"]

    def at(m, off):
        (x, y), (x2, y2) = point_at(route, m), point_at(route, m + 1.0)
        d = np.hypot(x2 - x, y2 - y)
        return x - (y2 - y) / d * off, y + (x2 - x) / d * off

    def quad(m0, m1, o0, o1, step=2):
        ms = list(np.arange(m0, m1, step)) + [m1]
        return Polygon([at(m, o0) for m in ms] + [at(m, o1) for m in ms[::-1]])

    parcels = gpd.GeoDataFrame([{
        "sheet_no": "7", "parcel_no": str(i + 1), "commune_code": "13297", "land_use": "LUC",
        "geometry": quad(80400 + 20 * i, 80420 + 20 * i, 8, 48)} for i in range(5)],
        crs=9209)
    parcels["area_official_m2"] = parcels.area
    return {"QL10": route}, quad, parcels


def _hand_rows(ql10, buildings):
    """(the overlay's (parcel, m²) rows of the hand case, sorted; its building count; notes)."""
    routes, _, parcels = ql10
    result = overlay_corridors(parcels, routes, {"QL10": "III"}, load_profile(),
                               buildings=buildings)
    rows = [((None if p is None or p != p else str(p)), round(a, 2)) for p, a in zip(
        result.encroachments["parcel_no"], result.encroachments["area_in_m2"])]
    return (sorted(rows, key=lambda r: (r[0] is None, r[0] or "", r[1])),
            result.encroaching_buildings, result.notes)


def _ring(shape):
    return LineString(shape.exterior.coords)


@pytest.mark.parametrize("case", ["two wells", "hatch with islands", "solid hatch",
                                  "steel-frame layer"])
def test_house_c_with_inner_outlines_is_one_building_by_hand(tmp_path, ql10, case):
    """House C drawn with what lies inside it, all on the buildings' CAD layer: two 3 × 3 m
    stair wells (each under 25 m²: parts of it), a HATCH with the wells as islands plus the
    wells, a solid HATCH plus the wells, a stair well on a layer named KHUNG_THEP by the
    user (a frame word, but the user's buildings layer): one building, the hand values
    20.13 / 20.13 / 161.02 m²."""
    _, quad, _ = ql10
    house = quad(80450, 80470, -3, 10)
    wells = [quad(80452, 80455, 4, 7), quad(80465, 80468, 4, 7)]
    layer = "KHUNG_THEP" if case == "steel-frame layer" else "NHA"
    inner = {"two wells": [_ring(w) for w in wells],
             "hatch with islands": [house.difference(wells[0]).difference(wells[1])]
             + [_ring(w) for w in wells],
             "solid hatch": [house] + [_ring(w) for w in wells],
             "steel-frame layer": [_ring(wells[0])]}[case]
    path = _dxf(tmp_path / "house.dxf", [(g, layer) for g in [_ring(house)] + inner])
    buildings = read_buildings(path, load_profile(), cad_layers=[layer])
    assert list(buildings["row"]) == [1] and buildings.attrs["frames"] == []
    assert buildings.attrs["same"] == [(1, r) for r in range(2, len(inner) + 2)]
    rows, count, _ = _hand_rows(ql10, buildings)
    assert rows == HOUSE_C_ROWS and count == 1


def test_house_c_with_rooms_drawn_as_outlines_gives_a_building_per_room(tmp_path, ql10):
    """House C with its two 130 m² rooms drawn as closed outlines sharing a wall: rooms of
    25 m² or more are house-size, so the outline is an enclosure and each room a building
    (the rooms share the wall: the same area, 2 buildings), the reading noted."""
    _, quad, _ = ql10
    rooms = [quad(80450, 80460, -3, 10), quad(80460, 80470, -3, 10)]
    path = _dxf(tmp_path / "rooms.dxf", [(_ring(g), "NHA") for g in
                                         [quad(80450, 80470, -3, 10)] + rooms])
    buildings = read_buildings(path, load_profile(), cad_layers=["NHA"])
    assert list(buildings["row"]) == [2, 3] and buildings.attrs["frames"] == [1]
    assert [kind for kind, *_ in buildings.attrs["readings"]] == ["enclosure"]
    rows, count, notes = _hand_rows(ql10, buildings)
    assert count == 2
    assert [r for r in rows if r[0]] == [("3", 20.13), ("4", 20.13)]
    assert sum(a for _, a in rows) == pytest.approx(201.28, abs=0.02)
    assert any("enclosure" in n and "row 1 (" in n for n in notes)


def test_a_courtyard_building_with_kiosks_in_its_courtyard_stays_a_building(tmp_path, ql10):
    """A GeoPackage (no drawing): house C with a 14 × 7 m courtyard (an interior ring) and
    two 2 × 2 m kiosks standing in the courtyard. The kiosks lie in the hole, not in the
    building: three buildings, none taken for a frame, the courtyard building's parcels
    3 and 4 listed (house C's hand values less the courtyard's parts)."""
    from shapely.geometry import Polygon

    _, quad, _ = ql10
    court = quad(80453, 80467, 0, 7)
    building = Polygon(quad(80450, 80470, -3, 10).exterior.coords, [court.exterior.coords])
    kiosks = [quad(80455, 80457, 2, 4), quad(80462, 80464, 2, 4)]
    path = tmp_path / "court.gpkg"
    gpd.GeoDataFrame(geometry=[building] + kiosks, crs=9209).to_file(path)
    buildings = read_buildings(path, load_profile())
    assert list(buildings["row"]) == [1, 2, 3]
    assert buildings.attrs["frames"] == [] and buildings.attrs["same"] == []
    rows, count, _ = _hand_rows(ql10, buildings)
    assert count == 3
    assert [r for r in rows if r[0] in ("3", "4")] == [("3", 20.13), ("4", 20.13)]
    assert sum(a for _, a in rows) == pytest.approx(
        201.28 - court.area + sum(k.area for k in kiosks), abs=0.05)


@pytest.mark.parametrize("inside", [1, 2])
def test_a_compound_wall_around_one_or_two_houses_is_left_out(tmp_path, ql10, inside):
    """A compound wall (Km80+440-478 or -490, offsets 12..30) around one 80 m² house, or
    around it and a second, with house C drawn too: the wall is left out alike (its houses
    are 5 % of it or more, covering under half: a compound wall), noted; the 80 m² house
    lies in the corridor 25 + 25 m² (offsets 16..21) in parcels 3 and 4, not the yard."""
    _, quad, _ = ql10
    wall = quad(80440, 80478 if inside == 1 else 80490, 12, 30)
    houses = [quad(80455, 80465, 16, 24)] + ([quad(80480, 80486, 18, 24)] if inside == 2 else [])
    path = _dxf(tmp_path / "compound.dxf", [(_ring(g), "NHA") for g in
                                            [quad(80450, 80470, -3, 10), wall] + houses])
    buildings = read_buildings(path, load_profile(), cad_layers=["NHA"])
    assert buildings.attrs["frames"] == [2] and buildings.attrs["same"] == []
    rows, count, notes = _hand_rows(ql10, buildings)
    assert count == 1 + inside
    in_parcels = {p: round(sum(a for q, a in rows if q == p), 2) for p in ("3", "4")}
    assert in_parcels == pytest.approx({"3": 20.13 + 25.16, "4": 20.13 + 25.16}, abs=0.2)
    assert any(n.startswith("1 outline(s) read as an enclosure") and "row 2 (" in n
               for n in notes)


def _gpkg_buildings(tmp_path, name, geoms, crs=9209):
    path = tmp_path / f"{name}.gpkg"
    gpd.GeoDataFrame(geometry=geoms, crs=9209).to_crs(crs).to_file(path)
    return read_buildings(path, load_profile())


@pytest.mark.parametrize("wall", ["yard wall", "tight wall"])
def test_separate_houses_in_a_yard_wall_are_kept_the_wall_left_out(tmp_path, ql10, wall):
    """Three 9 × 13 m houses 2 m apart (Km80+440-449, 451-460, 462-471, offsets -3..10) in a
    yard wall drawn on their layer, the wall 35 × 17 m (they cover 59 %) or drawn to their
    fronts and backs, 31 × 13 m (87 %): their union is three pieces, no hatch and no rooms,
    so the wall is left out and the houses kept, as without it: 18.12 m² each in parcels
    3, 3, 4 and 72.46 m² each of road land (271.74 m²); house C in a 24 × 16 m yard wall
    (68 %) keeps its hand values 20.13 / 20.13 / 161.02 m²."""
    _, quad, _ = ql10
    houses = [quad(80440, 80449, -3, 10), quad(80451, 80460, -3, 10),
              quad(80462, 80471, -3, 10)]
    outline = {"yard wall": quad(80438, 80473, -5, 12),
               "tight wall": quad(80440, 80471, -3, 10)}[wall]
    buildings = _gpkg_buildings(tmp_path, "yard", [outline] + houses)
    assert list(buildings["row"]) == [2, 3, 4]
    assert buildings.attrs["frames"] == [1] and buildings.attrs["same"] == []
    rows, count, _ = _hand_rows(ql10, buildings)
    assert count == 3
    assert rows == [("3", 18.12), ("3", 18.12), ("4", 18.12)] + [(None, 72.46)] * 3
    walled = _gpkg_buildings(tmp_path, "walled_c", [quad(80448, 80472, -5, 11),
                                                    quad(80450, 80470, -3, 10)])
    assert list(walled["row"]) == [2] and walled.attrs["frames"] == [1]
    assert _hand_rows(ql10, walled)[0] == HOUSE_C_ROWS


@pytest.mark.parametrize("crs", [9209, 4326])
def test_a_light_well_is_weighed_in_metres_whatever_the_crs(tmp_path, ql10, crs):
    """A 40 × 13 m house (Km80+440-480, offsets -3..10) with a 4.85 × 4.85 m light well
    (23.5 m²: under 25 m² and 5 %, a part of it), written in the grid (EPSG:9209) and in
    WGS 84 degrees: one building alike, the well merged, 40.26 / 40.26 / 322.05 m²."""
    _, quad, _ = ql10
    buildings = _gpkg_buildings(tmp_path, f"well_{crs}", [quad(80440, 80480, -3, 10),
                                                         quad(80458, 80462.85, 2, 6.85)], crs)
    assert list(buildings["row"]) == [1]
    assert buildings.attrs["frames"] == [] and buildings.attrs["same"] == [(1, 2)]
    rows, count, _ = _hand_rows(ql10, buildings)
    assert count == 1
    assert [p for p, _ in rows] == ["3", "4", None]
    assert [a for _, a in rows] == pytest.approx([40.26, 40.26, 322.05], abs=0.05)


@pytest.mark.parametrize("sheds", [1, 3])
def test_a_frame_around_small_sheds_is_left_out(tmp_path, ql10, sheds):
    """A 240 × 120 m frame (Km80+380-620, offsets -60..60, 28,800 m²: no house) around one
    or three 4 × 4 m sheds: the frame is left out, the sheds are the buildings, as without
    it (the shed at Km80+455-459, offsets 2..6, 16.1 m²; the three 20.13 m²)."""
    _, quad, _ = ql10
    all_sheds = [quad(80455, 80459, 2, 6), quad(80420, 80424, 20, 24),
                 quad(80520, 80524, 30, 34)][:sheds]
    buildings = _gpkg_buildings(tmp_path, "frame", [quad(80380, 80620, -60, 60)] + all_sheds)
    assert list(buildings["row"]) == list(range(2, sheds + 2))
    assert buildings.attrs["frames"] == [1] and buildings.attrs["same"] == []
    rows, count, _ = _hand_rows(ql10, buildings)
    alone = _hand_rows(ql10, _gpkg_buildings(tmp_path, "sheds", all_sheds))[0]
    assert rows == alone
    assert sum(a for _, a in rows) == pytest.approx({1: 16.1, 3: 20.13}[sheds], abs=0.01)


@pytest.mark.parametrize("wells", [3, 4])
def test_a_house_holds_at_most_three_small_parts(wells):
    """A 20 × 13 m outline with three 2 × 2 m wells is one building (the wells merged);
    with four it is a compound wall around four sheds: left out, the four kept."""
    from roadinfra.core.cadastre.buildings import _nesting

    found = {1: [(box(0, 0, 20, 13), "")]}
    for n in range(wells):
        found[n + 2] = [(box(1 + 4 * n, 5, 3 + 4 * n, 7), "")]
    frames, same, readings, _, _ = _nesting(found, None)
    if wells == 3:
        assert (frames, same, list(found)) == ([], [(1, 2), (1, 3), (1, 4)], [1])
        assert readings == [("part", 1, 260.0, [(2, 4.0), (3, 4.0), (4, 4.0)])]
    else:
        assert (frames, same, list(found)) == ([1], [], [2, 3, 4, 5])
        assert [kind for kind, *_ in readings] == ["enclosure"]


@pytest.mark.parametrize("case", ["tube house + 3 m² stair well", "kiosk + fill to 22 cm walls",
                                  "tube house + fill to 33 cm walls", "house C in its lot wall",
                                  "terrace in its block outline", "kiosks in a 1:200 frame",
                                  "kiosks in a double 1:200 frame"])
def test_the_encroachments_of_an_outline_read_by_sizes_not_shares(tmp_path, ql10, case):
    """Review 14t #1-#4 through the overlay, a GeoPackage each: a 4 × 15 m tube house with a
    1.2 × 2.5 m stair well (5 %), a 3 × 4 m kiosk whose fill stops at 22 cm walls (76 %),
    the tube house whose fill stops at 33 cm walls (80 %): one building, the house's rows;
    house C in its lot wall with a 2 m side yard (C covers 87 %), a terrace of three houses
    in its block outline with a 2 m back yard, two kiosks in a 98 × 99 m frame (a 1:200
    sheet) or its double border: the outlines left out, the houses' rows. Each equals the
    drawing without what lies around or inside, and the outline's reading is noted."""
    _, quad, _ = ql10
    tube, kiosk = quad(80450, 80465, 2, 6), quad(80455, 80458, 2, 6)
    house_c = quad(80450, 80470, -3, 10)
    terrace = [quad(80440 + 9 * i, 80449 + 9 * i, -3, 10) for i in range(3)]
    kiosks = [kiosk, quad(80480, 80483, 20, 24)]
    frame = quad(80401, 80499, -49, 50)
    alone, drawn, kind = {
        "tube house + 3 m² stair well": ([tube], [tube, quad(80456, 80458.5, 3, 4.2)], "part"),
        "kiosk + fill to 22 cm walls": ([kiosk], [kiosk, quad(80455.22, 80457.78, 2.22, 5.78)],
                                        "merged"),
        "tube house + fill to 33 cm walls": ([tube], [tube, quad(80450.33, 80464.67, 2.33,
                                                                 5.67)], "merged"),
        "house C in its lot wall": ([house_c], [quad(80450, 80472, -3, 10), house_c],
                                    "enclosure"),
        "terrace in its block outline": (terrace, [quad(80440, 80467, -3, 12)] + terrace,
                                         "enclosure"),
        "kiosks in a 1:200 frame": (kiosks, [frame] + kiosks, "enclosure"),
        "kiosks in a double 1:200 frame": (kiosks, [quad(80399, 80501, -51, 52), frame]
                                           + kiosks, "enclosure"),
    }[case]
    buildings = _gpkg_buildings(tmp_path, "drawn", drawn)
    assert {k for k, *_ in buildings.attrs["readings"]} == ({kind} - {"merged"})
    if kind == "merged":
        assert buildings.attrs["same"] == [(1, 2)]
    rows, count, notes = _hand_rows(ql10, buildings)
    expected, expected_count, _ = _hand_rows(ql10, _gpkg_buildings(tmp_path, "alone", alone))
    assert (rows, count) == (expected, expected_count)
    assert expected_count == len(alone) and sum(a for _, a in rows) > 0
    if case == "house C in its lot wall":
        assert rows == HOUSE_C_ROWS
    heads = {"part": "outline(s) holding only footprints under 25 m²",
             "merged": "footprint(s) counted as one building with another (its HATCH",
             "enclosure": "outline(s) read as an enclosure"}
    assert sum(heads[kind] in n for n in notes) == 1


@pytest.mark.parametrize("well", [False, True])
def test_a_hatch_of_half_the_house_is_merged_whatever_its_share(tmp_path, ql10, well):
    """A DXF (GDAL writes a polygon as a HATCH entity: SubClasses AcDbEntity:AcDbHatch) of
    the 4 × 15 m tube house's closed outline and a HATCH over half of it (50 %), with or
    without a 3 m² stair well's closed outline: one building, the house's rows, the hatch
    merged without a reading (the drawing says it is a fill), the well read as a part."""
    _, quad, _ = ql10
    tube = quad(80450, 80465, 2, 6)
    entities = [(_ring(tube), "NHA"), (quad(80450, 80457.5, 2, 6), "NHA")]
    if well:
        entities.append((_ring(quad(80459, 80461.5, 3, 4.2)), "NHA"))
    buildings = read_buildings(_dxf(tmp_path / "half.dxf", entities), load_profile())
    assert list(buildings["row"]) == [1] and buildings.attrs["frames"] == []
    assert buildings.attrs["same"] == [(1, 2)] + ([(1, 3)] if well else [])
    assert [k for k, *_ in buildings.attrs["readings"]] == (["part"] if well else [])
    rows, count, notes = _hand_rows(ql10, buildings)
    assert (rows, count) == _hand_rows(ql10, _gpkg_buildings(tmp_path, "tube", [tube]))[:2]
    assert ("1 footprint(s) counted as one building with another (its HATCH, a copy, or the "
            "same building drawn again: within 0.5 m of it, or of its size and moved off it, "
            "still covering half of it or more): row(s) 2 (in 1)") in notes
    gis = _gpkg_buildings(tmp_path, "half", [tube, quad(80450, 80457.5, 2, 6)])
    assert list(gis["row"]) == [2] and gis.attrs["frames"] == [1]  # no HATCH: an enclosure
