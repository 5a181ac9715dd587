"""Where parcels and buildings land: a VN-2000 grid mislabelled (a neighbouring zone, the UTM
scale, TM-3 on WGS 84 without the datum shift) recognised by datum and parameters and refused;
a CRS the user assigns or trusts, and one the user gives wrongly; parcels outside the
province listed before anything is written; buildings in a wrong CRS refused."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from pyproj import CRS, Transformer
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.importer import import_parcels
from roadinfra.core.cadastre.quality import working_crs
from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.core.cli import main
from roadinfra.core.crs import (
    WrongCrsError,
    on_vn2000_datum,
    towgs84_string,
    vn2000_substitute,
)
from roadinfra.core.db import create_database, database_info, open_database
from roadinfra.core.io.rows import RowErrorsError
from shapely.geometry import MultiPolygon, box

from tests.support.cadastre_db import live_parcels
from tests.support.cadastre_files import NOWGS_10545, grid_parcels, truth, write
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


#: The same as an ArcGIS .prj on GCS_WGS_1984.
ESRI_WGS_10545 = (
    'PROJCS["TM3_10545",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",'
    '6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],'
    'PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER['
    '"False_Northing",0.0],PARAMETER["Central_Meridian",105.75],PARAMETER["Scale_Factor",'
    '0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]')


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


def test_an_assigned_crs_against_a_correct_declaration_says_to_drop_it(tmp_path, capsys):
    """The file declares EPSG:9209 and is right; --crs EPSG:9210 --assign-crs would read it
    ~26 km off: the refusal names both CRSs and says to drop --assign-crs, not to assign
    the grid."""
    path, tb_db = tmp_path / "ok9209.gpkg", tmp_path / "thai_binh.gpkg"
    truth().to_file(path)
    create_database(tb_db).close()
    before = database_info(tb_db)
    capsys.readouterr()
    assert main(["cadastre", "import", str(path), str(tb_db), "--crs", "EPSG:9210",
                 "--assign-crs"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.endswith("nothing was imported")
    assert (f"{path}: the CRS assigned to the file (EPSG:9210 VN-2000 / TM-3 105-45, --crs "
            "with --assign-crs) disagrees with the file's own declared CRS, EPSG:9209 "
            "VN-2000 / TM-3 105-30, which the coordinates fit: drop --assign-crs and --crs")\
        in err
    assert "mislabelled" not in err and database_info(tb_db) == before
    assert main(["cadastre", "import", str(path), str(tb_db)]) == 0


def test_an_unnamed_crs_is_described_in_the_check_never_unknown(tmp_path, capsys):
    path = tmp_path / "lab.gpkg"
    truth(crs=NOWGS_10545).to_file(path)
    capsys.readouterr()
    assert main(["cadastre", "check", str(path), "--crs", "EPSG:9209", "--assign-crs"]) == 0
    out = capsys.readouterr().out
    assert ("CRS VN-2000 / TM-3 105-30 assigned by the user in place of the file's own (an "
            "unnamed Transverse Mercator CRS (longitude of natural origin 105.75") in out
    assert "the declared an" not in out
    frame = truth(crs=NOWGS_10545)
    crs, note = working_crs(frame.crs, frame)
    assert crs is frame.crs and note.startswith("planar, in an unnamed Transverse Mercator "
                                                "CRS (longitude of natural origin 105.75")
    assert "unknown" not in note


def test_a_wrong_crs_given_when_the_coordinates_fit_another_grid(tmp_path, capsys):
    """A Shapefile without .prj in VN-2000 / UTM 48N (EPSG:3405) read with
    --crs EPSG:9209: the CRS given is wrong and the coordinates fit EPSG:3405 (not 'declared
    in' the grid, the province check's words), but WGS 84 / UTM 48N (EPSG:32648) too, about
    224 m away: every CRS they fit is named, with no single 'use --crs'."""
    path, db = tmp_path / "utm.shp", tmp_path / "tb.gpkg"
    truth().to_crs(3405).to_file(path)
    path.with_suffix(".prj").unlink()
    create_database(db).close()
    before = database_info(db)
    capsys.readouterr()
    assert main(["cadastre", "import", str(path), str(db), "--crs", "EPSG:9209"]) == 2
    err = capsys.readouterr().err.strip()
    assert (f"{path}: the CRS you gave for the file (EPSG:9209 VN-2000 / TM-3 105-30, --crs) "
            "is wrong: the file declares none, and its coordinates fit each of EPSG:3405 "
            "VN-2000 / UTM zone 48N, ") in err
    assert "EPSG:32648 WGS 84 / UTM zone 48N" in err
    assert ("the coordinates cannot tell VN-2000 from WGS 84 (or one grid from another) apart "
            "there, so give --crs the CRS the data was really made in") in err
    assert err.endswith("; nothing was imported")
    assert "use --crs" not in err and "declared in" not in err
    assert database_info(db) == before
    assert main(["cadastre", "import", str(path), str(db), "--crs", "EPSG:3405"]) == 0


@pytest.mark.parametrize("given", ["EPSG:9210", "EPSG:9208"])
def test_a_wrong_crs_given_for_a_file_without_one_is_called_given(tmp_path, capsys, given):
    """A Shapefile without .prj, its coordinates in the grid (EPSG:9209),
    read with a wrong --crs (and --assign-crs): the CRS the user gave is wrong, the file
    declared none, and the coordinates fit EPSG:9209."""
    from roadinfra.core.db import create_database, database_info

    path, db = tmp_path / "noprj.shp", tmp_path / "tb.gpkg"
    truth().to_file(path)
    path.with_suffix(".prj").unlink()
    create_database(db).close()
    before = database_info(db)
    capsys.readouterr()
    assert main(["cadastre", "import", str(path), str(db), "--crs", given,
                 "--assign-crs"]) == 2
    err = capsys.readouterr().err.strip()
    name = {"EPSG:9210": "VN-2000 / TM-3 105-45", "EPSG:9208": "VN-2000 / TM-3 104-45"}[given]
    assert (f"{path}: the CRS you gave for the file ({given} {name}, --crs) is wrong: the file "
            "declares none, and its coordinates fit EPSG:9209 VN-2000 / TM-3 105-30, the "
            "provincial grid: use --crs EPSG:9209") in err
    assert "declared" not in err.replace("declares none", "") and "mislabelled" not in err
    assert database_info(db) == before
    assert main(["cadastre", "import", str(path), str(db), "--crs", "EPSG:9209"]) == 0


def test_trust_crs_accepts_a_declared_neighbouring_zone(tmp_path, tb_db, capsys):
    import geopandas as gpd
    from roadinfra.core.cli import main
    from roadinfra.core.crs import WrongCrsError
    from shapely.geometry import box

    x, y = Transformer.from_crs(4326, 9210, always_xy=True).transform(106.45, 20.50)
    frame = gpd.GeoDataFrame(
        [{"SoTo": "7", "SoThua": str(n), "geometry": box(x + 20 * n, y, x + 20 * n + 20, y + 20)}
         for n in range(1, 4)], crs=9210)
    path = write(frame, tmp_path / "east.gpkg")
    with pytest.raises(WrongCrsError, match="--trust-crs"):
        import_parcels(tb_db, read_parcels(path))
    result = import_parcels(tb_db, read_parcels(path), trust_crs=True)
    assert result.inserted == 3 and "confirmed by the user" in result.placement
    db = open_database(tb_db)
    lon, lat = Transformer.from_crs(9209, 4326, always_xy=True).transform(
        *db.fetch("cadastral_parcel")[0]["geom"].centroid.coords[0])
    db.close()
    assert lon == pytest.approx(106.45, abs=0.001) and lat == pytest.approx(20.50, abs=0.001)
    assert main(["cadastre", "check", str(path)]) == 0
    assert "refused" in capsys.readouterr().out
    assert main(["cadastre", "check", str(path), "--trust-crs"]) == 0
    assert "accepted" in capsys.readouterr().out


def _with_province(db_path, frame):
    """Give the database a province polygon: the parcels' hull grown by 1 m."""

    db = open_database(db_path)
    with db.transaction():
        db.insert("admin_unit", [{"code": "34", "name": "Thai Binh", "level": "province",
                                  "geom": MultiPolygon([frame.unary_union.convex_hull
                                                        .buffer(1.0)])}])
    db.close()


def test_parcels_outside_the_province_are_listed_before_writing(tmp_path, tb_db):
    from roadinfra.core.db import database_info

    frame = grid_parcels(columns=5, rows=10)
    _with_province(tb_db, frame)
    moved = frame.copy()
    moved.loc[[10, 40], "geometry"] = moved.loc[[10, 40], "geometry"].translate(0, -3500)
    moved.loc[[2], "geometry"] = moved.loc[[2], "geometry"].translate(0, -100_000)
    path = write(moved, tmp_path / "out.gpkg")
    before = database_info(tb_db)
    with pytest.raises(RowErrorsError) as caught:
        import_parcels(tb_db, read_parcels(path))
    assert [(e.row, e.field) for e in caught.value.errors] == [
        (3, "geometry"), (11, "geometry"), (41, "geometry")]
    assert all("out.gpkg" in e.file and "lies outside the province" in e.message
               for e in caught.value.errors)
    assert database_info(tb_db) == before
    # check reports them too: against the database's polygon, and the profile's box
    from roadinfra.core.cadastre.check import check_parcels
    from roadinfra.core.cadastre.placement import province_lonlat

    db = open_database(tb_db)
    checked = check_parcels(read_parcels(path), db.profile, area=province_lonlat(db),
                            province=db.province_area())
    db.close()
    assert checked.fits_province is False
    assert [e["row"] for e in checked.summary()["rows_outside_province"]] == [3, 11, 41]
    boxed = check_parcels(read_parcels(path), db.profile)
    assert [e.row for e in boxed.outside] == [3]   # 3.5 km off stays in the box


def test_check_cli_lists_outside_parcels_against_a_database(tmp_path, tb_db, capsys):
    from roadinfra.core.cli import main

    frame = grid_parcels(columns=5, rows=10)
    _with_province(tb_db, frame)
    frame.loc[[10], "geometry"] = frame.loc[[10], "geometry"].translate(0, -3500)
    path = write(frame, tmp_path / "out.gpkg")
    assert main(["cadastre", "check", str(path), "--database", str(tb_db)]) == 0
    out = capsys.readouterr().out
    assert "refused: 1 parcel(s) lie outside the province" in out
    assert "outside the province: " in out and "row 11, field 'geometry'" in out


@pytest.mark.parametrize("form", ["9210", "lonlat", "utm"])
def test_buildings_in_a_wrong_crs_are_refused(tmp_path, capsys, form):
    """Buildings labelled EPSG:9210 with grid coordinates, or a lon/lat or UTM
    48N Shapefile without .prj, gave 0 encroachments and no word; now refused naming the
    buildings file, nothing written."""
    import geopandas as gpd

    from tests.support.cadastre_db import parcel_row, route_database
    from tests.support.cadastre_files import origin, write

    db = route_database(tmp_path, [[(0, 0), (2000, 0)]])
    x, y = origin()
    assert main(["cadastre", "import", str(write(gpd.GeoDataFrame(
        parcel_row("7", 100, 520, 6), crs=9209), tmp_path / "p.gpkg")), str(db)]) == 0
    house = gpd.GeoDataFrame(geometry=[box(x + 300, y + 8, x + 306, y + 14)], crs=9209)
    if form == "9210":
        path = tmp_path / "nha.gpkg"
        house.set_crs(9210, allow_override=True).to_file(path)
        expected = ("declared VN-2000 / TM-3 105-45, but the coordinates also fit the "
                    "provincial grid EPSG:9209")
    else:
        path = tmp_path / "nha.shp"
        house.to_crs(4326 if form == "lonlat" else 3405).to_file(path)
        path.with_suffix(".prj").unlink()
        expected = "no CRS declared and the coordinates do not lie in the province"
    out = tmp_path / "ov.gpkg"
    capsys.readouterr()
    assert main(["cadastre", "overlay", str(db), "--buildings", str(path), "-o",
                 str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and f"buildings file {path}: {expected}" in err
    assert "give the file its true CRS" in err and not out.exists()
    # the same house in the grid: 36 m² on parcel 10 in the safety corridor
    write(house, tmp_path / "ok.gpkg")
    assert main(["cadastre", "overlay", str(db), "--buildings", str(tmp_path / "ok.gpkg"),
                 "-o", str(out)]) == 0


@pytest.mark.parametrize("declared", [True, False])
def test_swapped_x_and_y_are_named(tmp_path, declared):
    """Parcels in the grid written with X = northing (the surveyors' convention), declared
    in the grid or in no CRS: refused saying X and Y appear swapped (was: "probable CRS:
    none of the known grids" only); the French sample, far away either way, gets no hint."""
    from roadinfra.core.cadastre.placement import check_placement
    from roadinfra.core.profile import load_profile
    from shapely.ops import transform

    frame = truth(106.40)
    frame["geometry"] = frame.geometry.map(lambda g: transform(lambda x, y: (y, x), g))
    path = tmp_path / ("swapped.gpkg" if declared else "swapped.shp")
    frame.to_file(path)
    if not declared:
        path.with_suffix(".prj").unlink()
    parcels = read_parcels(path)
    assert (parcels.crs is not None) == declared
    with pytest.raises(WrongCrsError, match="X and Y appear swapped: exchanged, the "
                       "coordinates lie in the province in (EPSG:9209 )?VN-2000 / TM-3 "
                       "105-30") as e:
        check_placement(parcels, load_profile())
    assert "\n" not in str(e.value) and str(e.value).endswith("nothing was imported")
    french = SHARED_DATA / "cadastre_fr_edigeo" / "edigeo_parcelles_all_sheets.gpkg"
    with pytest.raises(WrongCrsError) as e:
        check_placement(read_parcels(french, "fr_edigeo"), load_profile())
    assert "swapped" not in str(e.value)
