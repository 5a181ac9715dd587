"""Reading parcel files: a truncated GML refused where it breaks off, whole numbers held in
float columns and numeric database columns read as the numbers of a file, 3D (PolygonZ)
parcels and buildings, parcels with arcs read linearised."""

from __future__ import annotations

import json
import struct
from decimal import Decimal

import fiona
import geopandas as gpd
import pytest
from pyproj import CRS
from roadinfra.core.cadastre.buildings import read_buildings
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.importer import import_parcels
from roadinfra.core.cadastre.overlay import _exterior_xy, overlay_corridors
from roadinfra.core.cadastre.quality import quality_report
from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.core.crs import (
    to_grid,
)
from roadinfra.core.db import database_info
from roadinfra.core.io.tabular import cell_text
from roadinfra.core.lrs.route import Route
from roadinfra.core.profile import load_profile
from shapely import wkb
from shapely.geometry import LineString, MultiPolygon, Polygon, box

from tests.support.cadastre_db import live_parcels
from tests.support.cadastre_files import truth, write
from tests.support.shared_data import SHARED_DATA


def _cut(path, fraction, out):
    data = path.read_bytes()
    out.write_bytes(data[:int(len(data) * fraction)])
    return out


def test_truncated_gml_refused_nothing_replaced(tmp_path, tb_db):
    frame = truth(106.40)
    frame["NgayCapNhat"] = "2024-01-01"
    full = tmp_path / "full.gml"
    frame.to_file(full, driver="GML")
    assert len(read_parcels(full)) == 10
    import_parcels(tb_db, read_parcels(full))
    frame["NgayCapNhat"] = "2025-01-01"
    new = tmp_path / "new.gml"
    frame.to_file(new, driver="GML")
    cut = _cut(new, 0.6, tmp_path / "new_cut.gml")
    with pytest.raises(CadastreError, match=r"breaks off after feature \d+ .*cut short") as e:
        read_parcels(cut)
    assert str(cut) in str(e.value) and "\n" not in str(e.value)
    assert {r["sheet_edition"] for r in live_parcels(tb_db)} == {"2024-01-01"}


def test_truncated_real_inspire_file_refused(tmp_path):
    source = SHARED_DATA / "cadastre_nl_kadaster_inspire" / "cadastralparcels-limburg.xml"
    cut = _cut(source, 0.6, tmp_path / "limburg_cut.xml")
    with pytest.raises(CadastreError, match="breaks off after feature"):
        read_parcels(cut, "nl_inspire")
    assert len(read_parcels(source, "nl_inspire")) == 50


def _shapefile(tmp_path, name="t"):
    path = tmp_path / f"{name}.shp"
    truth(106.40).to_file(path)
    return path


def test_cut_shp_names_the_last_whole_feature(tmp_path):
    """A .shp cut after its 5th shape: GDAL logs the 6th and yields it and the rest without
    geometry; the refusal counts the features read whole."""
    path = _shapefile(tmp_path)
    shx = path.with_suffix(".shx").read_bytes()
    sixth = struct.unpack_from(">I", shx, 100 + 5 * 8)[0] * 2   # offset of shape 6, bytes
    path.write_bytes(path.read_bytes()[:sixth + 20])
    with pytest.raises(CadastreError, match="breaks off after feature 5 ") as e:
        read_parcels(path)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("header_count", [6, 10])
def test_dbf_with_fewer_records_than_shapes_refused(tmp_path, header_count):
    """A .dbf holding 6 records beside 10 shapes (its header saying 6, or still 10 with the
    records cut cleanly): GDAL would read 6 parcels without a word."""
    path = _shapefile(tmp_path)
    dbf = path.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    header, size = struct.unpack_from("<HH", data, 8)
    struct.pack_into("<I", data, 4, header_count)
    dbf.write_bytes(bytes(data[:header + 6 * size]) + b"\x1a")
    with pytest.raises(CadastreError, match=r"t\.dbf: 6 attribute record\(s\) for 10 "
                       r"shape\(s\) in t\.shx.*nothing was read") as e:
        read_parcels(path)
    assert "\n" not in str(e.value)


def test_dbf_header_counting_more_records_than_it_holds_reads(tmp_path):
    path = _shapefile(tmp_path)
    dbf = path.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    struct.pack_into("<I", data, 4, 14)
    dbf.write_bytes(bytes(data))
    assert len(read_parcels(path)) == 10


def test_absurd_values_are_refused_naming_row_and_field(tmp_path):
    """An official area of 1e308 (printed as 300 digits and kept), a 100,000-character
    parcel number, a newline or U+202E (shown reversed) in a number: each row listed naming
    the field; an owner's line break is kept."""
    frame = truth(106.40, count=6)
    frame["ChuSuDung"] = "Nguyễn Văn A"
    frame.loc[0, "DienTich"] = 1e308
    frame.loc[1, "SoThua"] = "x" * 100000
    frame.loc[2, "SoThua"] = "1\n2"
    frame.loc[3, "SoThua"] = "\u202e5"
    frame.loc[4, "ChuSuDung"] = "Nguyễn Văn A\r\nTrần Thị B"
    frame.loc[5, "DienTich"] = 3.0e6   # a 3 km² forest parcel is an area
    parcels = read_parcels(write(frame, tmp_path / "absurd.gpkg"))
    errors = {(e.row, e.field): e.message for e in parcels.errors}
    assert sorted(errors) == [(1, "DienTich"), (2, "SoThua"), (3, "SoThua"), (4, "SoThua")]
    assert errors[(1, "DienTich")].startswith("'1e+308' is not an area in m² (more than 1,000")
    assert "100000 characters long" in errors[(2, "SoThua")]
    assert len(errors[(2, "SoThua")]) < 200
    assert "U+000A" in errors[(3, "SoThua")] and "U+202E" in errors[(4, "SoThua")]
    kept = parcels.frame.set_index("row")
    assert kept.loc[5, "owner"] == "Nguyễn Văn A\r\nTrần Thị B"
    assert kept.loc[6, "area_official_m2"] == 3.0e6


def test_whole_numbers_in_float_columns(tmp_path, tb_db):
    x, y = to_grid(106.40, 20.50)
    frame = gpd.GeoDataFrame(
        [{"SoTo": 12.0, "SoThua": float(k + 1), "DienTich": 400.0, "LoaiDat": "LUC",
          "MaXa": 13297.0, "NgayCapNhat": 20220305.0,
          "geometry": box(x + 20 * k, y, x + 20 * k + 20, y + 20)} for k in range(3)],
        crs=9209)
    path = write(frame, tmp_path / "real.gpkg")
    with fiona.open(path) as src:
        assert src.schema["properties"]["SoTo"].startswith("float")
    parcels = read_parcels(path)
    assert parcels.errors == []
    row = parcels.frame.iloc[0]
    assert (row["sheet_no"], row["parcel_no"], row["commune_code"], row["sheet_edition"]) == (
        "12", "1", "13297", "2022-03-05")
    import_parcels(tb_db, parcels)
    assert {(r["commune_code"], r["sheet_no"]) for r in live_parcels(tb_db)} == {
        ("13297", "12")}


def test_decimal_cells_read_as_the_numbers_of_a_file():
    assert [cell_text(v) for v in (Decimal("13297.0"), Decimal("7"), Decimal("400.50"),
                                   Decimal("1E+3"), Decimal("0.000001"))] == [
        "13297", "7", "400.5", "1000", "0.000001"]
    assert cell_text(13297.0) == cell_text(Decimal("13297.0")) == cell_text(13297)


X0, Y0 = 600000.0, 2270000.0


def test_polygonz_parcels_and_buildings(tmp_path):
    profile = load_profile()
    z = [Polygon([(X0 + 100, Y0 + 2, 3.0), (X0 + 120, Y0 + 2, 3.0), (X0 + 120, Y0 + 22, 3.0),
                  (X0 + 100, Y0 + 22, 3.0)])]
    parcels_path = tmp_path / "z.shp"
    gpd.GeoDataFrame([{"SoTo": "5", "SoThua": "1", "DienTich": 400.0, "LoaiDat": "LUC",
                       "geometry": z[0]}], crs=9209).to_file(parcels_path)
    house = Polygon([(X0 + 105, Y0 + 8, 5.0), (X0 + 110, Y0 + 8, 5.0),
                     (X0 + 110, Y0 + 18, 5.0), (X0 + 105, Y0 + 18, 5.0)])
    buildings_path = tmp_path / "zb.shp"
    gpd.GeoDataFrame([{"name": "nhà", "geometry": house}], crs=9209).to_file(buildings_path)
    parcels = read_parcels(parcels_path)
    assert not any(g.has_z for g in parcels.frame.geometry)
    frame = parcels.frame.set_crs(9209)
    buildings = read_buildings(buildings_path, profile)
    assert not any(g.has_z for g in buildings.geometry)
    route = {"DT455": Route("DT455", LineString([(X0, Y0), (X0 + 1000, Y0)]),
                            [0.0, 1000.0], [12000.0, 13000.0])}
    result = overlay_corridors(frame, route, {"DT455": "IV"}, profile, buildings=buildings)
    building = result.encroachments[result.encroachments["reason"] == "building"]
    # grade IV: corridor edge 14.5 m; the house spans 8..18 m north, 5 m wide
    assert building.geometry.area.sum() == pytest.approx(5 * (14.5 - 8))


def test_exterior_rings_of_3d_polygons():
    """shapely writes a 3D geometry as EWKB (Z flag 0x80000000): type 3 or 6 all the same."""
    square = Polygon([(0, 0, 7), (4, 0, 7), (4, 3, 7), (0, 0, 7)])
    for geom in (square, MultiPolygon([square, square])):
        assert wkb.dumps(geom)[4] & 0x80  # the Z flag, little-endian high byte
        rings = _exterior_xy(geom)
        assert [r.tolist() for r in rings] == [[[0, 0], [4, 0], [4, 3], [0, 0]]] * len(
            getattr(geom, "geoms", [geom]))


@pytest.mark.parametrize("name, driver, options", [("arcs.gpkg", "GPKG", []),
                                                   ("arcs.gml", "GML", ["FORMAT=GML3.2"])])
def test_parcels_with_arcs_are_read_linearised(tmp_path, tb_db, name, driver, options):
    """20 m squares whose north side is a half circle (radius 10 m): 200 + 50 pi m²."""
    from osgeo import ogr, osr

    x, y = to_grid(106.40, 20.45)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(9209)
    path = tmp_path / name
    source = ogr.GetDriverByName(driver).CreateDataSource(str(path), options=options)
    layer = source.CreateLayer("arcs", srs, ogr.wkbCurvePolygon)
    for field in ("SoTo", "SoThua"):
        layer.CreateField(ogr.FieldDefn(field, ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("DienTich", ogr.OFTReal))
    layer.CreateField(ogr.FieldDefn("NgayCapNhat", ogr.OFTDate))
    for k in range(3):
        a, b = x + 20 * k, y
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("SoTo", "7")
        feature.SetField("SoThua", str(k + 1))
        feature.SetField("DienTich", 357.08)
        feature.SetField("NgayCapNhat", "2024/03/05")
        feature.SetGeometry(ogr.CreateGeometryFromWkt(
            f"CURVEPOLYGON(COMPOUNDCURVE(({a} {b},{a + 20} {b},{a + 20} {b + 10}),"
            f"CIRCULARSTRING({a + 20} {b + 10},{a + 10} {b + 20},{a} {b + 10}),"
            f"({a} {b + 10},{a} {b})))"))
        layer.CreateFeature(feature)
    source = None
    parcels = read_parcels(path)
    assert parcels.errors == [] and parcels.crs.to_epsg() == 9209
    assert list(parcels.frame["parcel_no"]) == ["1", "2", "3"]
    assert set(parcels.frame["sheet_edition"]) == {"2024-03-05"}
    assert list(parcels.frame.geometry.area) == pytest.approx([357.08] * 3, rel=1e-3)
    assert quality_report(parcels).counts.get("area_mismatch", 0) == 0
    assert import_parcels(tb_db, parcels).inserted == 3


def test_bow_tie_building_repaired_and_named(tmp_path):
    """A self-intersecting footprint (a bow-tie) is repaired as the parcel import repairs it,
    overlaid, and its row named in the notes (it used to crash the overlay)."""
    profile = load_profile()
    parcel = box(X0 + 100, Y0 + 2, X0 + 140, Y0 + 30)
    frame = gpd.GeoDataFrame([{"sheet_no": "5", "parcel_no": "1", "commune_code": "13297",
                               "land_use": "LUC", "area_official_m2": 1120.0,
                               "geometry": parcel}], crs=9209)
    house = box(X0 + 105, Y0 + 8, X0 + 110, Y0 + 14)
    # edges cross at (125, 11): two triangles of base 6 m and height 5 m, 15 m² each
    bow = Polygon([(X0 + 120, Y0 + 8), (X0 + 130, Y0 + 14), (X0 + 130, Y0 + 8),
                   (X0 + 120, Y0 + 14)])
    assert not bow.is_valid
    path = tmp_path / "bow.gpkg"
    gpd.GeoDataFrame([{"b": "ok", "geometry": house}, {"b": "bow", "geometry": bow}],
                     crs=9209).to_file(path)
    buildings = read_buildings(path, profile)
    assert list(buildings["row"]) == [1, 2]
    assert buildings["repaired"].iloc[0] == ""
    assert buildings["repaired"].iloc[1].startswith("Self-intersection[")
    route = {"DT455": Route("DT455", LineString([(X0, Y0), (X0 + 1000, Y0)]),
                            [0.0, 1000.0], [12000.0, 13000.0])}
    result = overlay_corridors(frame, route, {"DT455": "IV"}, profile, buildings=buildings)
    building = result.encroachments[result.encroachments["reason"] == "building"]
    # grade IV: safety corridor 8..14.5 m north; both footprints lie in it: 30 + 2 x 15 m²
    assert building.geometry.area.sum() == pytest.approx(60.0)
    assert [row for row, _ in result.repaired] == [2]
    assert any(n.startswith("1 invalid building footprint(s) repaired: row 2 "
                            "(Self-intersection[") for n in result.notes)


def test_a_hole_outside_its_outline_is_dropped_not_built(tmp_path):
    """A footprint (or parcel) whose hole lies outside its outline: GEOS made the hole a
    second polygon, an encroachment of 10 m² in a parcel where no building stands; the hole
    is dropped and the note gives GEOS's reason (was: "self-intersecting")."""
    profile = load_profile()
    parcels = gpd.GeoDataFrame([
        {"sheet_no": "5", "parcel_no": str(k + 1), "commune_code": "13297", "land_use": "LUC",
         "area_official_m2": 560.0, "geometry": box(X0 + 100 + 20 * k, Y0 + 2,
                                                    X0 + 120 + 20 * k, Y0 + 30)}
        for k in range(2)], crs=9209)
    outside = Polygon(box(X0 + 105, Y0 + 8, X0 + 115, Y0 + 14).exterior.coords,
                      [box(X0 + 125, Y0 + 9, X0 + 130, Y0 + 11).exterior.coords])
    assert not outside.is_valid
    path = tmp_path / "hole.gpkg"
    gpd.GeoDataFrame([{"b": "hole outside", "geometry": outside}], crs=9209).to_file(path)
    buildings = read_buildings(path, profile)
    assert buildings.geometry.area.tolist() == pytest.approx([60.0])
    route = {"DT455": Route("DT455", LineString([(X0, Y0), (X0 + 1000, Y0)]),
                            [0.0, 1000.0], [12000.0, 13000.0])}
    result = overlay_corridors(parcels, route, {"DT455": "IV"}, profile, buildings=buildings)
    built = result.encroachments[result.encroachments["reason"] == "building"]
    assert list(built["parcel_no"]) == ["1"]   # nothing in parcel 2, where no building stands
    assert [n for n in result.notes if "footprint" in n][0].startswith(
        "1 invalid building footprint(s) repaired: row 1 (Hole lies outside shell[")
    assert "1 hole(s) outside the outline dropped)" in result.notes[-1]
    # a parcel drawn the same way keeps its own area, the repair said in the report
    parcel = parcels.assign(geometry=[outside, parcels.geometry.iloc[1]])
    report = quality_report(read_parcels(write(parcel.rename(columns={
        "sheet_no": "SoTo", "parcel_no": "SoThua"}), tmp_path / "p.gpkg")))
    assert report.parcels.geometry.area.tolist()[0] == pytest.approx(60.0)
    fixed = report.issues[report.issues["kind"] == "invalid_repaired"]
    assert fixed["message"].iloc[0].startswith("repaired: Hole lies outside shell[")


def test_land_use_names_longer_than_a_code_are_read(tmp_path):
    """Issue 14 review 14k, item 7: land uses written as their Vietnamese names (71 and 70
    characters) were refused as "not a number or code (at most 60)". A land use may be up
    to 255 characters; longer, or holding a control character, it is still refused."""
    names = ["Đất nghĩa trang, nhà tang lễ, cơ sở hỏa táng; đất cơ sở lưu giữ tro cốt",
             "Đất ở tại đô thị; Đất trồng cây hằng năm khác; Đất nuôi trồng thủy sản",
             "x" * 256, "Đất ở\ntại đô thị"]
    frame = truth(106.40, count=5)
    frame["LoaiDat"] = names + ["ONT"]
    parcels = read_parcels(write(frame, tmp_path / "uses.gpkg"))
    errors = {(e.row, e.field): e.message for e in parcels.errors}
    assert sorted(errors) == [(3, "LoaiDat"), (4, "LoaiDat")]
    assert "256 characters long, not a land use code or name (at most 255)" in \
        errors[(3, "LoaiDat")]
    assert "U+000A" in errors[(4, "LoaiDat")]
    assert list(parcels.frame["land_use"]) == [names[0], names[1], "ONT"]


def test_a_file_in_a_local_crs_is_refused_naming_it(tmp_path):
    """Issue 14 review 14k, item 4: a Shapefile whose .prj is a LOCAL_CS (an "assumed"
    survey grid) crashed the check (CRSError) and the import (ProjError). Now one line
    naming the file and its CRS; read in the CRS given with --assign-crs it is placed."""
    from roadinfra.core.cadastre.check import check_parcels

    path = write(truth(106.40, count=3), tmp_path / "local.shp")
    path.with_suffix(".prj").write_text(
        'LOCAL_CS["Gia dinh",LOCAL_DATUM["local",0],UNIT["metre",1],AXIS["X",EAST],'
        'AXIS["Y",NORTH]]')
    with pytest.raises(CadastreError) as caught:
        read_parcels(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: the file declares Gia dinh")
    assert "engineering (local) CRS" in message and "--assign-crs" in message
    report = check_parcels(read_parcels(path, crs="EPSG:9209", assign_crs=True),
                           load_profile("thai_binh"))
    assert report.fits_province
    grid = "+nadgrids=vn2000_missing.gsb"
    with pytest.raises(CadastreError) as caught:
        read_parcels(path, crs=f"+proj=tmerc +lon_0=105.5 +k=0.9999 +x_0=500000 +ellps=WGS84 "
                               f"{grid} +units=m +type=crs", assign_crs=True)
    assert "--crs:" in str(caught.value) and "no transformation of it to WGS 84" in \
        str(caught.value)


def test_a_geographic_label_over_grid_metres_is_checked_not_crashed(tmp_path, capsys):
    """Issue 14 review 14m, item 3: a WGS 84 .prj over VN-2000 metres (the common mislabel)
    crashed ``cadastre check`` (CRSError: an equal-area projection centred on "latitude"
    2281854). The check now reports: the quality measured in the file's units, the province
    refused naming the probable grid and saying the coordinates are not degrees."""
    from roadinfra.core.cli import main

    path = write(truth(106.40, count=3), tmp_path / "wgs_label.shp")
    path.with_suffix(".prj").write_text(CRS.from_epsg(4326).to_wkt("WKT1_ESRI"))
    capsys.readouterr()
    assert main(["cadastre", "check", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["fits_province"] is False and info["bounds_wgs84"] is None
    assert "probable CRS: EPSG:9209" in info["province"]
    assert "not degrees, out of range for the declared WGS 84" in info["province"]
    assert "--assign-crs" in info["province"] and "\n" not in info["province"]
    assert info["area_computed_m2"] == pytest.approx(1200.0, abs=0.5)
    assert "not degrees" in info["area_measured"]


@pytest.mark.parametrize("srs_id", [0, -1])
def test_a_geopackage_without_a_crs_declares_none(tmp_path, tb_db, capsys, srs_id):
    """Issue 14 review 14m, item 3: a GeoPackage written without a CRS (srs_id 0, "Undefined
    geographic SRS", as GeoPandas and GDAL write it; -1, "Undefined Cartesian SRS") was read as
    declaring a geographic (check: crash) or local CRS (refused). Both mean no CRS: read as
    such, checked and imported as grid coordinates."""
    import sqlite3

    from roadinfra.core.cli import main

    path = write(truth(106.40, count=3), tmp_path / "nocrs.gpkg")
    with sqlite3.connect(path) as con:
        con.execute("UPDATE gpkg_geometry_columns SET srs_id = ?", (srs_id,))
        con.execute("UPDATE gpkg_contents SET srs_id = ?", (srs_id,))
    parcels = read_parcels(path)
    assert parcels.crs is None and parcels.declared_crs is None
    capsys.readouterr()
    assert main(["cadastre", "check", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["crs"] is None and info["fits_province"] is True
    assert info["area_computed_m2"] == pytest.approx(1200.0, abs=0.5)
    assert main(["cadastre", "import", str(path), str(tb_db)]) == 0
    assert len(live_parcels(tb_db)) == 3


def _gml(path, members):
    """A GML file of parcels (SoTo 7, SoThua 1..): ``members`` (srsName, polygon) each."""
    body = "".join(
        f'<ogr:featureMember><ogr:thua gml:id="thua.{k}"><ogr:geometryProperty>'
        f'<gml:Polygon srsName="{srs}"><gml:exterior><gml:LinearRing><gml:posList>'
        + " ".join(f"{x:.3f} {y:.3f}" for x, y in poly.exterior.coords)
        + "</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"
        f"</ogr:geometryProperty><ogr:SoTo>7</ogr:SoTo><ogr:SoThua>{k}</ogr:SoThua>"
        "</ogr:thua></ogr:featureMember>"
        for k, (srs, poly) in enumerate(members, start=1))
    path.write_text('<?xml version="1.0" encoding="utf-8" ?>\n<ogr:FeatureCollection '
                    'xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml">'
                    f"{body}</ogr:FeatureCollection>\n", encoding="utf-8")
    return path


def test_a_gml_whose_geometries_declare_different_crss_is_refused(tmp_path, tb_db):
    """Issue 14 review 14m, item 4: a GML whose geometries carry different srsName (a merged
    export: parcels in EPSG:9209 and in the neighbouring zone EPSG:9210) was read in the
    first one, the others silently moved 26 km. Refused naming the rows of each CRS; the same
    CRS written two ways (EPSG:9209, urn:ogc:def:crs:EPSG::9209) is one CRS."""
    frame = truth(106.40, count=4)
    in_9210 = frame.to_crs(9210).geometry
    urn, short, other = ("urn:ogc:def:crs:EPSG::9209", "EPSG:9209",
                         "urn:ogc:def:crs:EPSG::9210")
    mixed = _gml(tmp_path / "mixed.gml", [(urn, frame.geometry[0]), (urn, frame.geometry[1]),
                                          (other, in_9210[2]), (short, frame.geometry[3])])
    before = database_info(tb_db)
    with pytest.raises(CadastreError) as caught:
        read_parcels(mixed)
    message = str(caught.value)
    assert message == (
        f"{mixed}: its geometries declare different CRSs (srsName): rows 1-2, 4 in EPSG:9209 "
        "VN-2000 / TM-3 105-30; row 3 in EPSG:9210 VN-2000 / TM-3 105-45; a file is read in "
        "one CRS: export it again in one, or one file per CRS; nothing was read")
    from roadinfra.core.cli import main

    assert main(["cadastre", "import", str(mixed), str(tb_db)]) == 2
    assert database_info(tb_db) == before and live_parcels(tb_db) == []
    one = _gml(tmp_path / "one.gml", [(urn, frame.geometry[0]), (short, frame.geometry[1])])
    parcels = read_parcels(one)
    assert parcels.crs.to_epsg() == 9209 and len(parcels.frame) == 2
