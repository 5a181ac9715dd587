"""``roadinfra cadastre check|import|overlay`` on the demo database (real QL10/DT455 routes,
the Thai Binh province polygon) and the real foreign samples."""

from __future__ import annotations

import json

import geopandas as gpd
import openpyxl
import pytest
from roadinfra.core.cli import main
from roadinfra.core.db import database_info, open_database
from shapely.geometry import box

from tests.support.cadastre_db import demo_database
from tests.support.cadastre_files import grid_parcels, write
from tests.support.shared_data import SHARED_DATA

FR = SHARED_DATA / "cadastre_fr_edigeo" / "edigeo_parcelles_all_sheets.gpkg"
KAD = SHARED_DATA / "cadastre_nl_kadaster_inspire" / "kad-cp.gml"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return demo_database(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def db(demo_db, tmp_path):
    copy = tmp_path / "tb.gpkg"
    copy.write_bytes(demo_db.read_bytes())
    return copy


def strip_across(db_path, route_code, distance, count=6, size=10.0):
    """``count`` parcels of ``size`` m in a column across the route at ``distance`` m."""
    route = next(r for r in open_database(db_path).fetch("route") if r["code"] == route_code)
    line = route["geom"].geoms[0] if hasattr(route["geom"], "geoms") else route["geom"]
    p = line.interpolate(distance)
    rows = []
    for k in range(count):
        y = p.y - count / 2 * size + k * size
        rows.append({"SoTo": "31", "SoThua": str(k + 1), "DienTich": size * size,
                     "LoaiDat": "ONT" if k == 0 else "LUC", "MaXa": "13297",
                     "geometry": box(p.x - size / 2, y, p.x + size / 2, y + size)})
    return gpd.GeoDataFrame(rows, crs=9209)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_reports_any_crs_and_writes_findings(capsys, tmp_path):
    code, out, _ = run(capsys, "cadastre", "check", FR, "--mapping", "fr_edigeo", "--json",
                       "-o", tmp_path / "q.xlsx")
    info = json.loads(out)
    assert code == 0 and info["parcels"] == 900 and info["crs_epsg"] == 2154
    assert info["fits_province"] is False and "Lambert-93" in info["province"]
    book = openpyxl.load_workbook(tmp_path / "q.xlsx")
    assert book["quality_findings"].max_row == 1 + sum(info["findings"].values())
    assert info["findings"]["gap"] == 2 and info["findings"]["area_mismatch"] == 208
    code, out, _ = run(capsys, "cadastre", "check", KAD, "--mapping", "nl_inspire")
    assert code == 0 and "CRS: ETRS89" in out and "refused" in out


def test_check_counts_sheets_by_commune_and_number(capsys, tmp_path):
    """Sheet 7 of two communes is two sheets, as the import keys them (was: 1 sheet)."""
    frame = grid_parcels(columns=2, rows=2, sheet="7")
    frame["MaXa"] = ["13297", "13297", "13300", "13300"]
    path = write(frame, tmp_path / "two.gpkg")
    code, out, _ = run(capsys, "cadastre", "check", path, "--json")
    assert code == 0 and json.loads(out)["sheets"] == ["13297/7", "13300/7"]
    code, out, _ = run(capsys, "cadastre", "check", path)
    assert "4 parcel(s) on 2 sheet(s)" in out


def test_import_refuses_foreign_samples_database_unchanged(capsys, db):
    before = database_info(db)
    for path, mapping in ((FR, "fr_edigeo"), (KAD, "nl_inspire")):
        code, out, err = run(capsys, "cadastre", "import", path, db, "--mapping", mapping)
        assert code == 2 and out == ""
        assert err.startswith("roadinfra: error: ") and err.count("\n") == 1
        assert "lie in the province" in err and "nothing was imported" in err
    assert database_info(db) == before


def test_mislabelled_vn2000_zone_refused(capsys, db, tmp_path):
    # grid coordinates declared in the neighbouring TM-3 zone land 26 km east, still in the
    # province: both readings fit, so the file is refused as mislabelled
    frame = strip_across(db, "DT455", 1000.0).set_crs("EPSG:9210", allow_override=True)
    code, _, err = run(capsys, "cadastre", "import", write(frame, tmp_path / "z.gpkg"), db)
    assert code == 2 and "VN-2000 / TM-3 105-45" in err and "also fit" in err
    assert "EPSG:9209" in err and err.count("\n") == 1
    # far from the province in the declared zone: refused by location
    frame = strip_across(db, "DT455", 1000.0).set_crs("EPSG:9211", allow_override=True)
    code, _, err = run(capsys, "cadastre", "import", write(frame, tmp_path / "y.gpkg"), db)
    assert code == 2 and "probable CRS: EPSG:9209" in err


def test_import_then_overlay_with_widening(capsys, db, tmp_path):
    path = write(strip_across(db, "DT455", 1000.0), tmp_path / "to31.shp")
    code, out, _ = run(capsys, "cadastre", "import", path, db, "--edition", "2025-03-01",
                       "--user", "dia.chinh", "-q", tmp_path / "quality.gpkg")
    assert code == 0 and "6 parcel(s) imported" in out
    assert "sheet 13297/31 edition 2025-03-01" in out
    code, out, _ = run(capsys, "cadastre", "import", path, db, "--edition", "2025-03-01")
    assert code == 0 and "unchanged" in out
    grade = next(r for r in open_database(db).fetch("route") if r["code"] == "DT455")[
        "road_grade"]
    code, out, _ = run(capsys, "cadastre", "overlay", db, "--route", "DT455", "--widening",
                       "DT455:Km0+500-Km2+000:30", "-o", tmp_path / "o.gpkg", "-o",
                       tmp_path / "o.xlsx", "-o", tmp_path / "o.csv", "--json")
    assert code == 0
    info = json.loads(out)
    pieces = gpd.read_file(tmp_path / "o.gpkg", layer="corridor_parcels")
    assert len(pieces) == info["pieces"] > 0 and set(pieces["route"]) == {"DT455"}
    assert set(pieces["sheet_no"]) == {"31"}
    # the column of 60 m across the road: what lies within the corridor edge on each side,
    # measured here with shapely alone
    from roadinfra.core.cadastre.corridor import corridor_widths
    from roadinfra.core.profile import load_profile

    edge = corridor_widths(load_profile(), grade).corridor_edge
    line = next(r for r in open_database(db).fetch("route") if r["code"] == "DT455")["geom"]
    stored = gpd.GeoSeries([r["geom"] for r in open_database(db).fetch("cadastral_parcel")])
    assert pieces["area_in_m2"].sum() == pytest.approx(
        stored.intersection(line.buffer(edge)).area.sum(), abs=0.1)
    acq = gpd.read_file(tmp_path / "o.gpkg", layer="land_acquisition")
    assert acq["area_in_m2"].sum() == pytest.approx(
        stored.intersection(line.buffer(15.0)).area.sum(), abs=0.1)
    assert 500 <= acq["from_m"].min() and acq["to_m"].max() <= 2000
    enc = gpd.read_file(tmp_path / "o.gpkg", layer="encroachment")
    assert set(enc["land_use"]) <= {"ONT"}
    assert openpyxl.load_workbook(tmp_path / "o.xlsx").sheetnames[0] == "corridor_parcels"


@pytest.mark.parametrize("argv, expected", [
    (["cadastre", "check", "nope.gpkg"], "nope.gpkg: file not found"),
    (["cadastre", "check", FR, "--mapping", "xx"], "field mapping 'xx' not found"),
    (["cadastre", "check", FR, "--mapping", "fr_edigeo", "--crs", "EPSG:9209"], "disagrees"),
    (["cadastre", "check", KAD, "--crs", "bogus"], "not a coordinate reference system"),
    (["cadastre", "check", FR, "--layer", "zz"], "no layer 'zz'"),
    (["cadastre", "overlay", "missing.gpkg"], "missing.gpkg"),
])
def test_hostile_input_is_one_line(capsys, argv, expected):
    code, _, err = run(capsys, *argv)
    assert code == 2 and expected in err and err.count("\n") == 1


def test_overlay_hostile_widening_and_output(capsys, db, tmp_path):
    code, _, err = run(capsys, "cadastre", "overlay", db, "--widening", "DT455:oops:3")
    assert code == 2 and "FROM-TO 'oops' is not two measures joined by '-'" in err
    code, _, err = run(capsys, "cadastre", "overlay", db, "-o", db)
    assert code == 2 and "is the input file" in err
    code, _, err = run(capsys, "cadastre", "overlay", db, "-o", tmp_path / "x.txt")
    assert code == 2 and "output must be" in err


def test_reading_near_the_corridors_equals_reading_everything(db, tmp_path):
    from roadinfra.core.cadastre.overlay import reach
    from roadinfra.core.cadastre.sources import parcels_from_database, routes_from_database

    near_road = strip_across(db, "DT455", 2000.0)
    far = strip_across(db, "DT455", 2000.0)
    far["geometry"] = far.geometry.translate(3000, 3000)
    far["SoTo"] = "99"
    for frame, name in ((near_road, "a.shp"), (far, "b.shp")):
        assert main(["cadastre", "import", str(write(frame, tmp_path / name)), str(db),
                     "--edition", "2001-01-01"]) == 0
    handle = open_database(db)
    routes, grades = routes_from_database(handle, ["DT455"])
    every = parcels_from_database(handle)
    near = parcels_from_database(handle, near=reach(routes, grades, handle.profile))
    assert len(every) == 12 and set(near["sheet_no"]) == {"31"} and len(near) == 6
    from roadinfra.core.cadastre.overlay import overlay_corridors

    a = overlay_corridors(every, routes, grades, handle.profile).pieces
    b = overlay_corridors(near, routes, grades, handle.profile).pieces
    assert a.drop(columns="geometry").equals(b.drop(columns="geometry"))


def test_files_without_parcels(capsys, db, tmp_path):
    table = tmp_path / "no_geometry.csv"
    table.write_text("SoTo,SoThua\n12,5\n", encoding="utf-8")
    code, out, _ = run(capsys, "cadastre", "check", table)
    assert code == 0 and "0 parcel(s)" in out and "field 'geometry': no polygon" in out
    code, _, err = run(capsys, "cadastre", "import", table, db)
    assert code == 2 and "1 bad row(s)" in err and "no polygon" in err
    empty = tmp_path / "empty.csv"
    empty.write_text("SoTo,SoThua\n", encoding="utf-8")
    code, _, err = run(capsys, "cadastre", "import", empty, db)
    assert code == 2 and "no parcels to import" in err and err.count("\n") == 1


def test_overlay_buildings_layer_and_workbook_language(capsys, db, tmp_path):
    """A buildings GeoPackage whose first layer is the parcels: refused naming both layers;
    --buildings-layer (or FILE|layername=) reads the houses; the workbook in --lang vi."""
    parcels = strip_across(db, "DT455", 1000.0)
    path = write(parcels, tmp_path / "to31.shp")
    assert run(capsys, "cadastre", "import", path, db)[0] == 0
    both = tmp_path / "both.gpkg"
    parcels.to_file(both, layer="thua_dat")
    middle = parcels.geometry.iloc[2].centroid
    gpd.GeoDataFrame(geometry=[middle.buffer(2.0, cap_style=3)], crs=9209).to_file(
        both, layer="nha")
    code, _, err = run(capsys, "cadastre", "overlay", db, "--route", "DT455", "--buildings",
                       both)
    assert code != 0 and "2 layers with geometries (thua_dat, nha); name the buildings " \
        "layer (--buildings-layer NAME, or FILE|layername=NAME)" in err
    code, out, _ = run(capsys, "cadastre", "overlay", db, "--route", "DT455", "--buildings",
                       both, "--buildings-layer", "nha", "--lang", "vi", "-o",
                       tmp_path / "o.xlsx", "--json")
    assert code == 0 and json.loads(out)["encroaching_buildings"] == 1
    code, out, _ = run(capsys, "cadastre", "overlay", db, "--route", "DT455", "--buildings",
                       f"{both}|layername=nha", "--json")
    assert code == 0 and json.loads(out)["encroaching_buildings"] == 1
    sheet = openpyxl.load_workbook(tmp_path / "o.xlsx")["encroachment"]
    assert [c.value for c in sheet[1]][:2] == ["Tuyến", "Vùng"]
    code, _, err = run(capsys, "cadastre", "overlay", db, "--buildings-layer", "nha")
    assert code != 0 and "--buildings-layer names a layer of --buildings" in err
