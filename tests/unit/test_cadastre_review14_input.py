"""Issue 14, third review, reading side: a VN-2000 mislabel recognised by datum and
parameters, a truncated GML refused, whole numbers from float columns, areas not measured in
Web Mercator, the Shapefile encoding policy, 3D (PolygonZ) parcels and buildings, control
characters in workbooks, absurd widening widths."""

from __future__ import annotations

import json

import fiona
import geopandas as gpd
import openpyxl
import pytest
from pyproj import CRS
from roadinfra.core.cadastre.corridor import parse_widening
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.importer import import_parcels
from roadinfra.core.cadastre.outputs import write_tables
from roadinfra.core.cadastre.overlay import _exterior_xy, overlay_corridors
from roadinfra.core.cadastre.quality import quality_report
from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.core.cadastre.sources import read_buildings
from roadinfra.core.cli import main
from roadinfra.core.crs import WrongCrsError, on_vn2000_datum, to_grid, towgs84_string
from roadinfra.core.db import create_database, database_info
from roadinfra.core.io.errors import FileError
from roadinfra.core.lrs.route import Route
from roadinfra.core.profile import load_profile
from shapely import wkb
from shapely.geometry import LineString, MultiPolygon, Polygon, box

from tests.support.cadastre_db import live_parcels
from tests.support.cadastre_files import grid_parcels, write
from tests.support.shared_data import SHARED_DATA

#: An ArcGIS .prj of the neighbouring TM-3 zone: named "VN2000_...", datum "D_Vietnam_2000".
ESRI_PRJ = ('PROJCS["VN2000_TM3_Thai_Binh_KT105_45",GEOGCS["GCS_VN_2000",DATUM['
            '"D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich"'
            ',0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
            'PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER['
            '"Central_Meridian",105.75],PARAMETER["Scale_Factor",0.9999],PARAMETER['
            '"Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]')


def tmerc(lon_0, k):
    return (f"+proj=tmerc +lat_0=0 +lon_0={lon_0} +k={k} +x_0=500000 +y_0=0 +ellps=WGS84 "
            f"{towgs84_string()} +units=m +no_defs +type=crs")


@pytest.fixture
def tb_db(tmp_path):
    path = tmp_path / "thai_binh.gpkg"
    create_database(path).close()
    return path


def truth(lon=106.25, lat=20.45, count=10):
    """``count`` 20 m parcels truly in the provincial grid EPSG:9209 at ``lon``, ``lat``."""
    x, y = to_grid(lon, lat)
    return gpd.GeoDataFrame(
        [{"SoTo": "7", "SoThua": str(k + 1), "DienTich": 400.0, "LoaiDat": "LUC",
          "geometry": box(x + 20 * k, y, x + 20 * k + 20, y + 20)} for k in range(count)],
        crs=9209)


# 1. a wrong VN-2000 zone or projection is refused whatever the CRS is called

@pytest.mark.parametrize("declared, lon", [
    ("esri_prj", 106.25),            # ArcGIS .prj, neighbouring zone: 26 km off
    (tmerc(105.75, 0.9999), 106.25),  # the same as a PROJ string
    (tmerc(105.5, 0.9996), 106.50),   # the provincial meridian with the UTM scale: 679 m off
])
def test_vn2000_mislabel_recognised_by_datum_and_parameters(tmp_path, tb_db, declared, lon):
    frame = truth(lon)
    if declared == "esri_prj":
        path = write(frame, tmp_path / "esri.shp")
        path.with_suffix(".prj").write_text(ESRI_PRJ)
    else:
        path = write(frame.set_crs(CRS.from_user_input(declared), allow_override=True),
                     tmp_path / "lab.gpkg")
    parcels = read_parcels(path)
    assert on_vn2000_datum(parcels.crs)
    before = database_info(tb_db)
    with pytest.raises(WrongCrsError, match="probably mislabelled") as refused:
        import_parcels(tb_db, parcels)
    assert str(path) in str(refused.value) and "EPSG:9209" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert database_info(tb_db) == before and live_parcels(tb_db) == []
    # confirmed by the user: imported where the declared CRS puts it
    assert import_parcels(tb_db, parcels, trust_crs=True).sheets[0].action == "new"


def test_the_grid_as_a_proj_string_imports_in_place(tmp_path, tb_db):
    frame = truth(106.40)
    path = write(frame.set_crs(CRS.from_user_input(tmerc(105.5, 0.9999)),
                               allow_override=True), tmp_path / "grid_p4.gpkg")
    import_parcels(tb_db, read_parcels(path))
    stored = gpd.GeoSeries([r["geom"] for r in live_parcels(tb_db)], crs=9209)
    assert len(stored) == 10
    assert abs(stored.total_bounds - frame.total_bounds).max() < 0.01


def test_non_vn2000_crs_is_not_taken_for_vn2000():
    assert not on_vn2000_datum(CRS.from_epsg(32648))
    assert not on_vn2000_datum(CRS.from_epsg(2154))
    assert on_vn2000_datum(CRS.from_epsg(9210)) and on_vn2000_datum(CRS.from_epsg(4756))


# 2. a truncated GML is refused, naming the file and where it breaks

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


# 4. whole numbers held in float columns are read as whole numbers

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


# 6. areas are not measured in Web Mercator

def test_web_mercator_areas_measured_equal_area(tmp_path):
    grid = grid_parcels(columns=3, rows=2)
    in_grid = quality_report(read_parcels(write(grid, tmp_path / "grid.gpkg")))
    merc = quality_report(read_parcels(write(grid.to_crs(3857), tmp_path / "merc.gpkg")))
    assert merc.counts.get("area_mismatch", 0) == 0
    assert "equal-area" in merc.area_note and "Pseudo-Mercator" in merc.area_note
    assert merc.summary()["area_ratio_median"] == pytest.approx(
        in_grid.summary()["area_ratio_median"], abs=2e-4)
    assert list(merc.parcels["area_computed_m2"]) == pytest.approx(
        list(in_grid.parcels["area_computed_m2"]), rel=2e-4)
    assert in_grid.area_note.startswith("planar")


# 7. Shapefile attributes without a .cpg: UTF-8, else cp1258, mixed refused

def _owner_shapefile(tmp_path, name, owners, encoding, cpg=False):
    frame = grid_parcels(columns=len(owners), rows=1)
    frame["ChuSuDung"] = owners
    path = tmp_path / name
    frame.to_file(path, encoding=encoding)
    if not cpg:
        path.with_suffix(".cpg").unlink(missing_ok=True)
    return path


@pytest.mark.parametrize("encoding, cpg", [("utf-8", False), ("cp1258", False),
                                           ("cp1258", True)])
def test_shapefile_text_read_by_the_encoding_policy(tmp_path, encoding, cpg):
    # the owners end in a tone mark: GDAL's own CP1258 recoding loses that last letter
    owners = ["Nguyễn Thị Hằng", "Trần Văn Đức", "Lê Thị Mỹ"]
    path = _owner_shapefile(tmp_path, f"{encoding}.shp", owners, encoding, cpg)
    assert path.with_suffix(".cpg").exists() == cpg
    parcels = read_parcels(path)
    assert list(parcels.frame["owner"]) == owners
    assert list(parcels.frame["parcel_no"]) == ["1", "2", "3"]


def test_shapefile_mixing_encodings_refused(tmp_path):
    path = _owner_shapefile(tmp_path, "mixed.shp", ["Hằng", "Hằng"], "utf-8")
    dbf = path.with_suffix(".dbf")
    data = dbf.read_bytes()
    second = data.index("Hằng".encode(), data.index("Hằng".encode()) + 1)
    # row 2 as cp1258 writes it (a + breve, combining grave), padded to the same length
    dbf.write_bytes(data[:second] + b"H\xe3\xccng " + data[second + 6:])
    with pytest.raises(FileError, match=r"row 2, field 'ChuSuDung': not UTF-8 text, but row 1, "
                       r"field 'ChuSuDung' is UTF-8"):
        read_parcels(path)


# 11. PolygonZ parcels and buildings

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


# 12. control characters in workbooks; absurd widening widths

def test_control_characters_written_to_xlsx_as_escapes(tmp_path):
    frame = gpd.GeoDataFrame(
        {"owner": ["a\x01b\x1bc", "_x0041_ literal", "=HYPERLINK(1)"],
         "geometry": [box(0, 0, 1, 1)] * 3}, crs=9209)
    path = write_tables({"encroachment": frame}, tmp_path / "o.xlsx")
    sheet = openpyxl.load_workbook(path)["encroachment"]
    assert [c.value for c in sheet["A"]][1:] == [
        "a_x0001_b_x001B_c", "_x005F_x0041_ literal", "=HYPERLINK(1)"]
    assert sheet["A4"].data_type == "s"


def test_check_with_control_characters_writes_xlsx(tmp_path, capsys):
    frame = grid_parcels(columns=2, rows=1)
    frame["SoThua"] = ["1\x01", "1\x01"]  # a duplicate number holding a control character
    path = write(frame, tmp_path / "ctrl.gpkg")
    code = main(["cadastre", "check", str(path), "--json", "-o", str(tmp_path / "q.xlsx")])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["findings"]["duplicate"] == 2
    sheet = openpyxl.load_workbook(tmp_path / "q.xlsx").active
    assert "1_x0001_" in [c.value for c in sheet["D"]]


@pytest.mark.parametrize("width", ["1e308", "501"])
def test_absurd_widening_width_refused(width):
    with pytest.raises(CadastreError, match="at most 500 m"):
        parse_widening(f"QL10:Km80+200-Km81+000:{width}")
    assert parse_widening("QL10:Km80+200-Km81+000:500").width_m == 500.0
