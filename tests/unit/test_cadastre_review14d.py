"""Issue 14, second hostile review (round 2), reading side: VN-2000 TM-3 grids written on
WGS 84 without the datum shift (A), numeric database columns (B), reading a mislabelled file
in the CRS the user assigns (D), a .cpg that lies (F), units other than the metre (G),
workbook cells XML cannot hold or too long for a cell (H, I), a UTF-8 text cut mid-letter
(N), parcels with arcs (M)."""

from __future__ import annotations

import json
import struct
from decimal import Decimal

import geopandas as gpd
import openpyxl
import pytest
from pyproj import CRS, Transformer
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.importer import import_parcels
from roadinfra.core.cadastre.outputs import write_tables
from roadinfra.core.cadastre.quality import quality_report
from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.core.cli import main
from roadinfra.core.crs import WrongCrsError, to_grid, vn2000_substitute
from roadinfra.core.db import create_database, database_info
from roadinfra.core.io.errors import FileError
from roadinfra.core.io.spreadsheet import CellTextTooLongError
from roadinfra.core.io.tabular import cell_text
from shapely.geometry import box
from shapely.ops import transform

from tests.support.cadastre_db import live_parcels

#: TM-3 at the neighbouring meridian 105-45 on the WGS 84 ellipsoid, no datum shift.
NOWGS_10545 = ("+proj=tmerc +lat_0=0 +lon_0=105.75 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
               "+units=m +no_defs +type=crs")
#: The same as an ArcGIS .prj on GCS_WGS_1984.
ESRI_WGS_10545 = (
    'PROJCS["TM3_10545",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",'
    '6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],'
    'PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER['
    '"False_Northing",0.0],PARAMETER["Central_Meridian",105.75],PARAMETER["Scale_Factor",'
    '0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]')


@pytest.fixture
def tb_db(tmp_path):
    path = tmp_path / "thai_binh.gpkg"
    create_database(path).close()
    return path


def truth(lon=106.40, lat=20.45, count=10, crs=9209):
    """``count`` 20 m parcels truly in the provincial grid EPSG:9209 at ``lon``, ``lat``,
    labelled ``crs``."""
    x, y = to_grid(lon, lat)
    return gpd.GeoDataFrame(
        [{"SoTo": "7", "SoThua": str(k + 1), "DienTich": 400.0, "LoaiDat": "LUC",
          "geometry": box(x + 20 * k, y, x + 20 * k + 20, y + 20)} for k in range(count)],
        crs=9209).set_crs(CRS.from_user_input(crs), allow_override=True)


# A. a VN-2000 TM-3 grid on WGS 84 without the datum shift, at another meridian ----------

@pytest.mark.parametrize("declared", ["proj", "esri"])
@pytest.mark.parametrize("lon", [106.15, 106.40])  # the true place outside / inside
def test_tm3_on_wgs84_without_datum_shift_is_refused(tmp_path, tb_db, declared, lon):
    if declared == "proj":
        path = truth(lon, crs=NOWGS_10545).to_file(tmp_path / "p.gpkg") or tmp_path / "p.gpkg"
    else:
        path = tmp_path / "esri.shp"
        truth(lon).to_file(path)
        path.with_suffix(".prj").write_text(ESRI_WGS_10545)
    parcels = read_parcels(path)
    assert vn2000_substitute(parcels.crs)
    before = database_info(tb_db)
    with pytest.raises(WrongCrsError, match="probably mislabelled") as refused:
        import_parcels(tb_db, parcels)
    message = str(refused.value)
    assert str(path) in message and "--assign-crs" in message and "--trust-crs" in message
    assert "EPSG:9210" in message and "\n" not in message
    assert database_info(tb_db) == before and live_parcels(tb_db) == []
    # the way out the message names: read it as the grid it is in
    if lon == 106.40:
        result = import_parcels(tb_db, read_parcels(path, crs="EPSG:9209", assign_crs=True))
        assert result.inserted == 10 and "assigned by the user" in result.placement
        stored = gpd.GeoSeries([r["geom"] for r in live_parcels(tb_db)], crs=9209)
        assert abs(stored.total_bounds - truth(lon).total_bounds).max() < 0.01


def test_substitute_is_only_the_vn2000_tm3_family():
    assert vn2000_substitute(CRS.from_user_input(NOWGS_10545))
    assert vn2000_substitute(CRS.from_user_input(ESRI_WGS_10545))
    for other in (32648, 32649, 4326, 3857, 2154, 9209, 9210):
        assert not vn2000_substitute(CRS.from_epsg(other)), other
    # UTM scale, or a meridian of no VN-2000 TM-3 zone: not taken for VN-2000
    assert not vn2000_substitute(CRS.from_user_input(NOWGS_10545.replace("0.9999", "0.9996")))
    assert not vn2000_substitute(CRS.from_user_input(NOWGS_10545.replace("105.75", "12.0")))


# B. numbers of a database's numeric columns (psycopg2 Decimal) --------------------------

def test_decimal_cells_read_as_the_numbers_of_a_file():
    assert [cell_text(v) for v in (Decimal("13297.0"), Decimal("7"), Decimal("400.50"),
                                   Decimal("1E+3"), Decimal("0.000001"))] == [
        "13297", "7", "400.5", "1000", "0.000001"]
    assert cell_text(13297.0) == cell_text(Decimal("13297.0")) == cell_text(13297)


# D. a declared CRS overridden only when the user says so ---------------------------------

def test_assign_crs_reads_a_mislabelled_file_in_the_crs_given(tmp_path, tb_db, capsys):
    path = truth(crs=NOWGS_10545).to_file(tmp_path / "lab.gpkg") or tmp_path / "lab.gpkg"
    with pytest.raises(CadastreError, match=r"declares an unnamed Transverse Mercator CRS "
                       r"\(longitude of natural origin 105.75.*add --assign-crs"):
        read_parcels(path, crs="EPSG:9209")
    with pytest.raises(CadastreError, match="--assign-crs needs --crs"):
        read_parcels(path, assign_crs=True)
    parcels = read_parcels(path, crs="EPSG:9209", assign_crs=True)
    assert parcels.crs.to_epsg() == 9209
    assert "in place of the file's own (an unnamed" in parcels.crs_note
    assert main(["cadastre", "check", str(path), "--crs", "EPSG:9209", "--assign-crs",
                 "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["fits_province"] and "assigned by the user" in info["crs_note"]
    assert main(["cadastre", "import", str(path), str(tb_db), "--crs", "EPSG:9209",
                 "--assign-crs"]) == 0
    assert "assigned by the user" in capsys.readouterr().out
    assert len(live_parcels(tb_db)) == 10


# G. a projected CRS in feet is not measured as metres ------------------------------------

def test_areas_of_a_grid_in_us_survey_feet(tmp_path):
    feet = CRS.from_proj4(NOWGS_10545.replace("105.75", "105.5").replace(
        "+units=m", "+towgs84=-191.90441429,-39.30318279,-111.45032835,-0.00928836,"
        "0.01975479,-0.00427372,0.252906278 +units=us-ft"))
    move = Transformer.from_crs(9209, feet, always_xy=True).transform
    frame = truth()
    frame["geometry"] = [transform(move, g) for g in frame.geometry]
    path = frame.set_crs(feet, allow_override=True).to_file(tmp_path / "ft.gpkg") or \
        tmp_path / "ft.gpkg"
    report = quality_report(read_parcels(path))
    assert report.summary()["area_computed_m2"] == pytest.approx(4000, rel=1e-4)
    assert report.counts.get("area_mismatch", 0) == 0
    assert "US survey foot" in report.area_note


# H, I. workbook cells ----------------------------------------------------------------------

def test_non_characters_written_to_xlsx_as_escapes(tmp_path):
    frame = gpd.GeoDataFrame({"owner": ["Hộ B\uffff", "x\ufffey"],
                              "geometry": [box(0, 0, 1, 1)] * 2}, crs=9209)
    path = write_tables({"encroachment": frame}, tmp_path / "o.xlsx")
    sheet = openpyxl.load_workbook(path)["encroachment"]
    assert [c.value for c in sheet["A"]][1:] == ["Hộ B_xFFFF_", "x_xFFFE_y"]


def test_check_of_non_characters_writes_a_workbook(tmp_path):
    frame = truth(count=3)
    frame["SoThua"] = ["1", "2\uffff", "2\uffff"]  # a duplicate: listed in the workbook
    path = frame.to_file(tmp_path / "nc.gpkg") or tmp_path / "nc.gpkg"
    assert main(["cadastre", "check", str(path), "-o", str(tmp_path / "q.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "q.xlsx").active.max_row == 3


def test_text_longer_than_a_cell_is_refused_naming_row_and_field(tmp_path):
    long = "Nguyễn " * 6000  # 42,000 characters
    frame = gpd.GeoDataFrame({"parcel_no": ["1", "2"], "owner": ["Hộ A", long],
                              "geometry": [box(0, 0, 1, 1)] * 2}, crs=9209)
    target = tmp_path / "o.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(CellTextTooLongError) as refused:
        write_tables({"encroachment": frame}, target)
    assert str(refused.value).startswith(f"{target}: sheet 'encroachment', parcel 2, field "
                                         "'owner': a text of 42,000 characters")
    assert target.read_bytes() == b"old"  # nothing half-written
    exact = frame.assign(owner=["a", "b" * 32767])
    written = openpyxl.load_workbook(write_tables({"t": exact}, tmp_path / "e.xlsx"))["t"]
    assert len(written["B3"].value) == 32767


def test_cli_check_of_a_too_long_number_is_one_line(tmp_path, capsys):
    frame = truth(count=2)
    frame["SoThua"] = ["x" * 40000] * 2  # a duplicate: listed in the workbook
    path = frame.to_file(tmp_path / "long.gpkg") or tmp_path / "long.gpkg"
    assert main(["cadastre", "check", str(path), "-o", str(tmp_path / "q.xlsx")]) != 0
    err = capsys.readouterr().err
    assert (f"sheet 'quality_findings', row 1 of {path}, parcel 7/{'x' * 40}..., field "
            "'parcel_no' (column 'SoThua' of the source): a text of 40,000 characters") in err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "q.xlsx").exists()


# F, N. Shapefile text: a .cpg that lies; a UTF-8 letter cut at the field's width ---------

def _owners_shapefile(tmp_path, owners, encoding, cpg=None):
    frame = truth(count=len(owners))
    frame["ChuSuDung"] = owners
    path = tmp_path / "owners.shp"
    frame.to_file(path, encoding=encoding)
    path.with_suffix(".cpg").unlink(missing_ok=True)
    if cpg is not None:
        path.with_suffix(".cpg").write_text(cpg)
    return path


def test_a_cpg_saying_utf8_over_cp1258_text_is_refused_naming_rows_and_fields(tmp_path,
                                                                              tb_db):
    owners = ["Hộ ông Nguyễn Văn Đức", "Lê Thị Hằng", "Tran Van A"]
    path = _owners_shapefile(tmp_path, owners, "cp1258", cpg="UTF-8")
    before = database_info(tb_db)
    with pytest.raises(FileError) as refused:
        read_parcels(path)
    message = str(refused.value)
    assert message.startswith(f"{path.with_suffix('.dbf')}: row 1, field 'ChuSuDung': not "
                              "UTF-8 text as the file declares (as Windows-1258: 'Hộ ông "
                              "Nguyễn Văn Đức') (also row 2, field 'ChuSuDung')")
    assert f"write 1258 in {path.with_suffix('.cpg')}" in message and "\n" not in message
    assert main(["cadastre", "import", str(path), str(tb_db)]) != 0
    assert database_info(tb_db) == before
    # the way out the message names
    path.with_suffix(".cpg").write_text("1258")
    assert list(read_parcels(path).frame["owner"]) == owners


def test_a_cpg_saying_utf8_over_utf8_text(tmp_path):
    owners = ["Hộ ông Nguyễn Văn Đức", "Lê Thị Hằng"]
    path = _owners_shapefile(tmp_path, owners, "utf-8", cpg="UTF-8")
    assert list(read_parcels(path).frame["owner"]) == owners


def _cut_owner(path, row, text: bytes):
    """Row ``row``'s ChuSuDung as ``text`` (padded with blanks), straight in the .dbf."""
    dbf = path.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    header, size = struct.unpack_from("<HH", data, 8)
    offset, at = 1, 32
    while data[at] != 0x0D:
        name = bytes(data[at:at + 11]).split(b"\0")[0]
        if name == b"ChuSuDung":
            width = data[at + 16]
            break
        offset += data[at + 16]
        at += 32
    start = header + (row - 1) * size + offset
    data[start:start + width] = text.ljust(width, b" ")[:width]
    dbf.write_bytes(bytes(data))


@pytest.mark.parametrize("cpg", [None, "UTF-8"])
def test_a_utf8_letter_cut_at_the_field_width_is_not_mixed_encodings(tmp_path, cpg):
    owners = ["Hộ Lê", "Hộ Võ", "Nguyen", "Hồ Thị"]
    path = _owners_shapefile(tmp_path, owners, "utf-8", cpg=cpg)
    _cut_owner(path, 3, "Nguyễn Văn".encode()[:6])  # ends inside the 3-byte 'ễ'
    parcels = read_parcels(path)
    assert list(parcels.frame["owner"]) == ["Hộ Lê", "Hộ Võ", "Nguy", "Hồ Thị"]
    assert parcels.errors == []


def test_cut_letters_in_a_cp1258_file_and_real_mixtures(tmp_path):
    # cp1258 text ending in 'à' (0xE0, a UTF-8 lead byte) is still cp1258
    owners = ["Hộ Hà", "Lê Thị Hằng"]
    path = _owners_shapefile(tmp_path, owners, "cp1258")
    assert list(read_parcels(path).frame["owner"]) == owners
    # a whole cp1258 text beside UTF-8 texts is still refused, naming row and field
    path = _owners_shapefile(tmp_path, ["Hộ Lê", "Hộ Võ"], "utf-8")
    _cut_owner(path, 2, "Bà Hà".encode("cp1258"))
    with pytest.raises(FileError, match=r"row 2, field 'ChuSuDung': not UTF-8 text, but "
                       r"row 1, field 'ChuSuDung' is UTF-8"):
        read_parcels(path)


# M. parcels with arcs -------------------------------------------------------------------

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


def test_every_too_long_cell_is_named_at_once_in_both_workbook_writers(tmp_path):
    from roadinfra.core.reports.tables import Column, ReportTable
    from roadinfra.core.reports.xlsx import write_xlsx

    frame = gpd.GeoDataFrame({"owner": ["y" * 40000, "a", "z" * 33000],
                              "geometry": [box(0, 0, 1, 1)] * 3}, crs=9209)
    with pytest.raises(CellTextTooLongError) as refused:
        write_tables({"parcels": frame, "more": frame}, tmp_path / "o.xlsx")
    assert str(refused.value).endswith(  # the records have no row or parcel: their place
        "(also sheet 'parcels', record 3, field 'owner'; sheet 'more', record 1, field "
        "'owner'; sheet 'more', record 3, field 'owner')")
    table = ReportTable("owners", "Chủ", "Owners", (Column("name", "Tên", "Name"),),
                        [{"name": "b"}, {"name": "n" * 40000}])
    target = tmp_path / "r.xlsx"
    with pytest.raises(CellTextTooLongError, match=rf"^--xlsx {target}: sheet 'owners', the row "
                       rf"of Tên '{'n' * 40}\.\.\.', field 'Tên': a text of 40,000 "
                       "characters"):
        write_xlsx([table], target)
    assert not target.exists()
