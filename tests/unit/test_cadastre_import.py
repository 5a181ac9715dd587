"""Cadastre import: the real French (EDIGEO) and Dutch (INSPIRE) samples through the reader
and the quality report, their refusal by the Thai Binh database, Vietnamese files, editions."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.importer import import_parcels
from roadinfra.core.cadastre.mapping import load_mapping
from roadinfra.core.cadastre.quality import Tolerances, quality_report
from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.core.crs import WrongCrsError, to_wgs84
from roadinfra.core.db import database_info, open_database
from roadinfra.core.io.rows import RowErrorsError
from shapely.geometry import Polygon, box
from shapely.ops import transform

from tests.support.cadastre_db import empty_database
from tests.support.cadastre_files import grid_parcels, origin, write, write_dgn, write_dxf
from tests.support.shared_data import SHARED_DATA

FR = "cadastre_fr_edigeo/edigeo_parcelles_all_sheets.gpkg"
NL = "cadastre_nl_kadaster_inspire"


@pytest.fixture(scope="module")
def shared():
    return SHARED_DATA


@pytest.fixture
def tb_db(tmp_path):
    return empty_database(tmp_path, "thai_binh.gpkg")


def test_french_edigeo_sample_areas_against_official(shared):
    parcels = read_parcels(shared / FR, "fr_edigeo")
    assert len(parcels) == 900 and not parcels.errors
    assert parcels.crs.to_epsg() == 2154
    first = parcels.frame.iloc[0]
    assert (first["commune_code"], first["sheet_no"], first["parcel_no"],
            first["area_official_m2"], first["sheet_edition"]) == (
        "029", "0000A", "215", 21947.0, "2014-02-12")  # UPDATE_DATE 20140212, read as a date
    report = quality_report(parcels)
    # the same comparison straight from the file with geopandas (official SUPF, planar area)
    raw = gpd.read_file(shared / FR)
    diff = (raw.geometry.area - raw["SUPF"]).abs()
    expected = set(raw.index[diff > (0.05 * raw["SUPF"]).clip(lower=1.0)] + 1)
    mismatched = report.issues[report.issues["kind"] == "area_mismatch"]
    assert set(mismatched["row"]) == expected and 150 < len(expected) < 300
    summary = report.summary()
    assert summary["area_official_m2"] == pytest.approx(raw["SUPF"].sum())
    assert 0.995 < summary["area_ratio_median"] < 1.0
    assert summary["findings"]["invalid"] == summary["findings"]["duplicate"] == 0
    assert summary["findings"]["overlap"] == 0


def test_dutch_inspire_sample_reads_its_crs_and_matches_official_areas(shared):
    parcels = read_parcels(shared / NL / "kad-cp.gml", "nl_inspire")
    assert parcels.crs.to_epsg() == 4258  # declared on the geometries only
    report = quality_report(parcels)
    got = dict(zip(report.parcels["parcel_no"], report.parcels["area_computed_m2"]))
    official = {"2377": 274104, "2378": 250702, "2451": 237835, "2376": 229264}
    assert set(got) == set(official)
    for number, area in official.items():
        assert got[number] == pytest.approx(area, rel=1e-4)
    assert (report.issues["kind"] == "area_mismatch").sum() == 0
    assert set(report.parcels["sheet_no"]) == {"LNK00D"}


@pytest.mark.parametrize("name", ["cadastralparcels-limburg.xml",
                                  "cadastralparcels-northholland.xml"])
def test_inspire_cadastral_parcels_files(shared, name):
    parcels = read_parcels(shared / NL / name, "nl_inspire")
    assert len(parcels) == 50 and not parcels.errors
    report = quality_report(parcels)
    assert report.summary()["findings"]["invalid"] == 0
    assert report.parcels["area_official_m2"].isna().all()  # no areaValue in these files
    assert (report.parcels["area_computed_m2"] > 0).all()


@pytest.mark.parametrize("path, mapping, crs_name", [
    (FR, "fr_edigeo", "Lambert-93"),
    (NL + "/kad-cp.gml", "nl_inspire", "ETRS89"),
    (NL + "/cadastralparcels-limburg.xml", "nl_inspire", "ETRS89"),
])
def test_foreign_samples_refused_by_thai_binh_database_unchanged(shared, tb_db, path, mapping,
                                                                 crs_name):
    before = database_info(tb_db)
    changes = open_database(tb_db).count("change_log")
    parcels = read_parcels(shared / path, mapping)
    with pytest.raises(WrongCrsError) as info:
        import_parcels(tb_db, parcels)
    message = str(info.value)
    assert crs_name in message and "lie in the province" in message
    assert "nothing was imported" in message and "\n" not in message
    assert database_info(tb_db) == before
    db = open_database(tb_db)
    assert db.count("change_log") == changes and db.count("cadastral_parcel",
                                                          include_deleted=True) == 0


def test_vietnamese_shapefile_imported_with_mapping(tmp_path, tb_db):
    path = write(grid_parcels(), tmp_path / "to12.shp")
    result = import_parcels(tb_db, read_parcels(path), user="kiem.tra", edition="2024-05-01")
    assert result.inserted == 20 and result.sheets[0].action == "new"
    rows = open_database(tb_db).fetch("cadastral_parcel", order_by=["parcel_no"])
    first = next(r for r in rows if r["parcel_no"] == "1")
    assert (first["sheet_no"], first["land_use"], first["owner"], first["area_official_m2"],
            first["sheet_edition"]) == ("12", "ONT", "Hộ 1", 400.0, "2024-05-01")
    assert first["geom"].area == pytest.approx(400.0)
    assert first["geom"].bounds[0] == pytest.approx(origin()[0], abs=1e-3)


def test_wgs84_file_goes_through_the_profile_datum_shift(tmp_path, tb_db):
    grid = grid_parcels(columns=1, rows=1)
    wgs = grid.copy()
    wgs["geometry"] = [transform(lambda x, y: to_wgs84(np.asarray(x), np.asarray(y)), g)
                       for g in grid.geometry]
    path = write(wgs.set_crs(4326, allow_override=True), tmp_path / "wgs84.gpkg")
    import_parcels(tb_db, read_parcels(path), edition="2001-01-01")
    stored = open_database(tb_db).fetch("cadastral_parcel")[0]["geom"]
    back = np.asarray(stored.geoms[0].exterior.coords)
    assert np.abs(back - np.asarray(grid.geometry[0].exterior.coords)).max() < 2e-3  # round trip


@pytest.mark.parametrize("crs, expected", [
    ("+proj=tmerc +lat_0=0 +lon_0=105.5 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +units=m "
     "+no_defs", "WITHOUT the datum shift"),
    ("EPSG:3405", "probable CRS: EPSG:9209"),  # VN-2000 / UTM 48N declared on TM-3 data
    ("EPSG:9211", "probable CRS: EPSG:9209"),  # another VN-2000 TM-3 zone (106-00)
])
def test_wrong_vn2000_variant_refused_before_writing(tmp_path, tb_db, crs, expected):
    frame = grid_parcels(columns=2, rows=2).set_crs(crs, allow_override=True)
    path = write(frame, tmp_path / "wrong.gpkg")
    with pytest.raises(WrongCrsError, match=expected):
        import_parcels(tb_db, read_parcels(path))
    assert open_database(tb_db).count("cadastral_parcel", include_deleted=True) == 0


def test_undeclared_crs_is_asked_for(tmp_path, tb_db, shared):
    raw = gpd.read_file(shared / FR).iloc[:5]
    path = tmp_path / "no_crs.shp"
    gpd.GeoDataFrame(raw.drop(columns="geometry"), geometry=gpd.GeoSeries(list(raw.geometry))
                     ).to_file(path)
    with pytest.raises(WrongCrsError, match="no CRS declared"):
        import_parcels(tb_db, read_parcels(path, "fr_edigeo"))
    given = read_parcels(path, "fr_edigeo", crs="EPSG:2154")
    assert given.crs.to_epsg() == 2154
    with pytest.raises(CadastreError, match="disagrees"):
        read_parcels(shared / FR, "fr_edigeo", crs="EPSG:9209")


def test_dxf_drawing_parcels_from_linework_and_labels(tmp_path, tb_db):
    squares = list(grid_parcels(columns=3, rows=1).geometry)
    labels = [(sq.centroid.coords[0], f"{n} 400.0 LUC") for n, sq in enumerate(squares[:2], 1)]
    path = write_dxf(tmp_path / "to7.dxf", squares, labels)
    parcels = read_parcels(path, sheet="7")
    assert parcels.crs is None and parcels.driver == "DXF"
    assert sorted(parcels.frame["parcel_no"]) == ["1", "2"]
    assert [e.message.split(": ", 1)[1] for e in parcels.errors] == ["no parcel label inside"]
    assert parcels.errors[0].message.startswith("parcel outline at x=")
    assert set(parcels.frame["area_official_m2"]) == {400.0}
    with pytest.raises(RowErrorsError, match="no parcel label inside"):
        import_parcels(tb_db, parcels)
    labels.append((squares[2].centroid.coords[0], "3"))
    parcels = read_parcels(write_dxf(tmp_path / "to7b.dxf", squares, labels), sheet="7")
    result = import_parcels(tb_db, parcels, edition="2020-01-01")  # undeclared, fits the grid
    assert result.inserted == 3 and "no CRS declared" in result.placement


def test_dgn_drawing_parcels_from_linework_shapes_and_text(tmp_path, tb_db):
    """A real DGN v7 file (written by GDAL's DGN driver from its seed file): parcels are the
    faces of the closed line strings and shapes, numbered by the text elements inside."""
    squares = list(grid_parcels(columns=3, rows=2).geometry)
    labels = [(sq.centroid.coords[0], f"{n} 400.0 LUC") for n, sq in enumerate(squares, 1)]
    path = write_dgn(tmp_path / "to8.dgn", squares[:4], labels[:5], shapes=squares[4:])
    assert path.read_bytes()[:2] == b"\x08\x09"  # a DGN v7 design file header (type 9)
    parcels = read_parcels(path, sheet="8")
    assert parcels.driver == "DGN" and parcels.crs is None
    assert sorted(parcels.frame["parcel_no"]) == ["1", "2", "3", "4", "5"]
    assert [e.message.split(": ", 1)[1] for e in parcels.errors] == ["no parcel label inside"]
    assert parcels.errors[0].message.startswith("parcel outline at x=")
    with pytest.raises(RowErrorsError, match="no parcel label inside"):
        import_parcels(tb_db, parcels)
    # two labels in one face is listed too
    twice = labels[:5] + [((labels[0][0][0] + 2, labels[0][0][1]), "9")]
    parcels = read_parcels(write_dgn(tmp_path / "to8b.dgn", squares[:4], twice,
                                     shapes=squares[4:]), sheet="8")
    assert sorted(e.message.split(": ")[1] for e in parcels.errors) == [
        "2 labels in one parcel", "no parcel label inside"]
    labels = labels[:5] + [(squares[5].centroid.coords[0], "6")]  # a number alone
    path = write_dgn(tmp_path / "to8c.dgn", squares[:4], labels, shapes=squares[4:])
    result = import_parcels(tb_db, read_parcels(path, sheet="8"), edition="2021-06-01")
    assert result.inserted == 6 and "no CRS declared" in result.placement
    rows = {r["parcel_no"]: r for r in open_database(tb_db).fetch("cadastral_parcel")}
    for number, square in enumerate(squares, 1):
        stored = rows[str(number)]["geom"]
        assert stored.symmetric_difference(square).area < 0.5  # DGN keeps 1 cm units
        assert stored.area == pytest.approx(400.0, abs=0.5)
    assert rows["1"]["area_official_m2"] == 400.0 and rows["6"]["area_official_m2"] is None
    assert {r["land_use"] for r in rows.values()} == {"LUC", None}


def test_sheet_editions_replace_and_keep_history(tmp_path, tb_db):
    path = write(grid_parcels(), tmp_path / "to12.shp")
    actions = []
    for edition in ("2024-01-01", "2024-01-01", "2025-06-30", "2023-01-01"):
        result = import_parcels(tb_db, read_parcels(path), edition=edition, user="a")
        actions.append((result.sheets[0].action, result.inserted, result.tombstoned))
    assert actions == [("new", 20, 0), ("unchanged", 0, 0), ("replaced", 20, 20),
                       ("older", 0, 0)]
    db = open_database(tb_db)
    assert db.count("cadastral_parcel") == 20
    assert db.count("cadastral_parcel", include_deleted=True) == 40
    old = [r for r in db.fetch("cadastral_parcel", include_deleted=True) if r["deleted_at"]]
    assert {r["sheet_edition"] for r in old} == {"2024-01-01"}
    assert [h["operation"] for h in db.history("cadastral_parcel", old[0]["id"])][-1] in (
        "UPDATE", "DELETE", "TOMBSTONE")


def test_quality_findings_on_a_small_case(tmp_path):
    frame = grid_parcels(columns=3, rows=1)
    x0, y0 = origin()
    frame.loc[1, "geometry"] = box(x0 + 15, y0, x0 + 40, y0 + 20)   # overlaps parcel 1 by 100
    frame.loc[2, "geometry"] = Polygon([(x0 + 40, y0), (x0 + 60, y0 + 20), (x0 + 60, y0),
                                        (x0 + 40, y0 + 20)])        # bow-tie: invalid
    frame.loc[2, "SoThua"] = "1"                                      # duplicate number
    hole = box(x0, y0 + 20, x0 + 60, y0 + 40).difference(box(x0 + 10, y0 + 25, x0 + 12,
                                                             y0 + 27))
    extra = frame.iloc[[0]].copy()
    extra["SoThua"], extra["geometry"], extra["DienTich"] = "9", [hole], 1000.0
    frame = gpd.GeoDataFrame(list(frame.to_dict("records")) + list(extra.to_dict("records")),
                             crs=9209)
    # parcel 9 surrounds a 2 x 2 m hole: a gap in the cover (an enclave nobody owns)
    parcels = read_parcels(write(frame, tmp_path / "q.gpkg"))
    report = quality_report(parcels, Tolerances(area_pct=5))
    kinds = sorted(report.issues["kind"])
    assert kinds.count("overlap") == 1
    overlap = report.issues[report.issues["kind"] == "overlap"].iloc[0]
    assert overlap["value"] == pytest.approx(100.0)
    assert kinds.count("invalid_repaired") == 1
    assert kinds.count("duplicate") == 2
    mismatch = report.issues[report.issues["kind"] == "area_mismatch"]
    # parcel 2 is 500 m² for 400 official; parcel 9 is 1196 for 1000; bow-tie 200 for 400
    assert sorted(mismatch["parcel_no"]) == ["1", "2", "9"]
    gaps = report.issues[report.issues["kind"] == "gap"]
    assert list(gaps["value"]) == [pytest.approx(4.0)]


def test_gap_between_parcels(tmp_path):
    frame = grid_parcels(columns=3, rows=3)
    x0, y0 = origin()
    frame.loc[4, "geometry"] = box(x0 + 21, y0 + 21, x0 + 39, y0 + 39)  # 1 m gap around it
    parcels = read_parcels(write(frame, tmp_path / "g.gpkg"))
    report = quality_report(parcels, Tolerances(gap_max_m2=100))
    gaps = report.issues[report.issues["kind"] == "gap"]
    assert len(gaps) == 1 and gaps.iloc[0]["value"] == pytest.approx(400 - 18 * 18)


def _strip_parcels(back=False, front=False):
    """A row of 6 parcels 20 m wide, 40 m deep; parcel 3 ends 0.5 m short of parcel 4 (a
    20 m² strip between them); ``back``/``front``: a parcel closing the strip's far end or
    the road side."""
    x0, y0 = origin()
    rows = []
    for i in range(6):
        right = x0 + 20 * i + (19.5 if i == 2 else 20)
        rows.append({"SoTo": "7", "SoThua": str(i + 1), "geometry":
                     box(x0 + 20 * i, y0, right, y0 + 40)})
    if back:
        rows.append({"SoTo": "7", "SoThua": "50", "geometry":
                     box(x0, y0 + 40, x0 + 120, y0 + 52)})
    if front:
        rows.append({"SoTo": "7", "SoThua": "51", "geometry":
                     box(x0, y0 - 16, x0 + 120, y0)})
    return gpd.GeoDataFrame(rows, crs=9209)


@pytest.mark.parametrize("back, front, between", [
    (False, False, "7/3, 7/4, open to the outside"),        # open at both ends
    (True, False, "7/3, 7/4, 7/50, open to the outside"),   # open onto the road only
    (True, True, None)])                                    # enclosed: a hole
def test_a_strip_between_parcels_is_a_gap_open_or_enclosed(tmp_path, back, front, between):
    """A 0.5 m strip between neighbours was reported only when parcels enclosed it."""
    parcels = read_parcels(write(_strip_parcels(back, front), tmp_path / "s.gpkg"))
    gaps = quality_report(parcels).issues
    gaps = gaps[gaps["kind"] == "gap"]
    assert len(gaps) == 1 and gaps.iloc[0]["value"] == pytest.approx(20.0, abs=0.01)
    message = gaps.iloc[0]["message"]
    assert (f"between parcels {between}" in message) if between else ("next to" in message)


@pytest.mark.parametrize("length, enclosed", [(80, False), (240, False), (600, False),
                                              (240, True)])
def test_a_long_narrow_strip_is_a_gap_whatever_its_area(tmp_path, length, enclosed):
    """Issue 14 review 14k, item 3: two back-to-back rows of parcels 0.5 m apart, the strip
    open at both ends (or closed by a parcel at each end): 40 m² was reported, 120 m² and
    more was not (over gap_max_m2, taken for a road). Narrower than gap_width_m it is a
    gap, one finding however long."""
    x0, y0 = origin()
    rows = []
    for i in range(length // 20):
        rows.append(box(x0 + 20 * i, y0, x0 + 20 * (i + 1), y0 + 40))
        rows.append(box(x0 + 20 * i, y0 + 40.5, x0 + 20 * (i + 1), y0 + 80))
    if enclosed:
        rows += [box(x0 - 10, y0, x0, y0 + 80), box(x0 + length, y0, x0 + length + 10, y0 + 80)]
    frame = gpd.GeoDataFrame([{"SoTo": "7", "SoThua": str(k + 1), "geometry": g}
                              for k, g in enumerate(rows)], crs=9209)
    gaps = quality_report(read_parcels(write(frame, tmp_path / "strip.gpkg"))).issues
    gaps = gaps[gaps["kind"] == "gap"]
    assert len(gaps) == 1 and gaps.iloc[0]["value"] == pytest.approx(0.5 * length, rel=0.01)


@pytest.mark.parametrize("angle", [10, 20, 45])
def test_the_ordinary_outline_is_no_gap(tmp_path, angle):
    """Not gaps: a 0.5 m notch in one parcel's outline, a step between neighbours of other
    depths, the tip of a wedge where two parcels' road-side edges part (at 20, 40 and 90
    degrees: the road widening between them)."""
    x0, y0 = origin()
    dx = 5 * np.tan(np.radians(angle))
    rows = [box(x0, y0, x0 + 20, y0 + 40).difference(box(x0 + 5, y0 + 39.5, x0 + 15,
                                                         y0 + 40)),   # a notch
            box(x0 + 20, y0, x0 + 40, y0 + 40.3),                     # 0.3 m deeper
            box(x0 + 40, y0, x0 + 60, y0 + 40),
            Polygon([(x0 + 60, y0), (x0 + 80 - dx, y0), (x0 + 80, y0 + 5), (x0 + 80, y0 + 40),
                     (x0 + 60, y0 + 40)]),
            Polygon([(x0 + 80, y0 + 40), (x0 + 80, y0 + 5), (x0 + 80 + dx, y0),
                     (x0 + 100, y0), (x0 + 100, y0 + 40)])]           # edges part at 2 x angle
    frame = gpd.GeoDataFrame([{"SoTo": "7", "SoThua": str(k + 1), "geometry": g}
                              for k, g in enumerate(rows)], crs=9209)
    report = quality_report(read_parcels(write(frame, tmp_path / "o.gpkg")))
    assert "gap" not in set(report.issues["kind"])


def test_the_french_samples_two_slivers_are_gaps():
    """Strips 0.77 and 0.91 m wide between neighbouring parcels of the French sample, open
    onto the road; a wedge tip in Limburg where two edges part is not reported."""
    report = quality_report(read_parcels(
        SHARED_DATA / "cadastre_fr_edigeo" / "edigeo_parcelles_all_sheets.gpkg", "fr_edigeo"))
    gaps = report.issues[report.issues["kind"] == "gap"]
    assert sorted(round(v, 1) for v in gaps["value"]) == [1.9, 3.2]
    assert all("open to the outside" in m for m in gaps["message"])
    assert {tuple(sorted(m.split("parcels ")[1].split(", open")[0].split(", ")))
            for m in gaps["message"]} == {("000AK/130", "000AK/131"),
                                          ("000AK/121", "000AK/124", "000AK/125")}
    limburg = quality_report(read_parcels(
        SHARED_DATA / "cadastre_nl_kadaster_inspire" / "cadastralparcels-limburg.xml",
        "nl_inspire")).issues
    assert sorted(round(v, 1) for v in limburg[limburg["kind"] == "gap"]["value"]) == [
        1.7, 2.8, 9.2]


def test_mapping_errors_are_one_line(tmp_path):
    with pytest.raises(CadastreError, match="not found; shipped: fr_edigeo"):
        load_mapping("nope")
    bad = tmp_path / "m.toml"
    bad.write_text('[fields.parcel_no]\nsource = ["A"]\npattern = "("\n[fields.sheet_no]\n'
                   'source = ["B"]\n', encoding="utf-8")
    with pytest.raises(CadastreError, match="not a valid regular expression"):
        load_mapping(bad)
    with pytest.raises(CadastreError, match="no such file"):
        read_parcels(tmp_path / "missing.shp")
    junk = tmp_path / "junk.gml"
    junk.write_text("not gml", encoding="utf-8")
    with pytest.raises(CadastreError, match="junk.gml"):
        read_parcels(junk)


_KEYS = '[fields.sheet_no]\nsource = ["SoTo"]\n[fields.parcel_no]\nsource = ["SoThua"]\n'


@pytest.mark.parametrize("text, key, why", [
    ('mapping = "x"\n' + _KEYS, "mapping = 'x'", "must be a table"),
    ('cad = "x"\n' + _KEYS, "cad = 'x'", "must be a table"),
    ('[mapping]\nlayer = [1]\n' + _KEYS, "layer = [1]", "must be a layer name"),
    (_KEYS + '[fields.area_official_m2]\nsource = ["DienTich"]\nscale = nan\n',
     "[fields.area_official_m2]: scale = nan", "must be a number from"),
    (_KEYS + '[fields.area_official_m2]\nsource = ["DienTich"]\nscale = -1\n',
     "scale = -1", "must be a number from"),
    (_KEYS + '[fields.area_official_m2]\nsource = ["DienTich"]\nscale = 0\n',
     "scale = 0", "must be a number from"),
    (_KEYS + '[fields.area_official_m2]\nsource = ["DienTich"]\nscale = 1e308\n',
     "scale = 1e+308", "must be a number from"),
    (_KEYS + '[fields.commune_code]\nvalue = {a = 1}\n', "[fields.commune_code]: value = ",
     "must be a text, a number or a date"),
    (_KEYS + '[fields.land_use]\nvalue = ["ONT"]\n', "value = ['ONT']", "must be a text"),
    (_KEYS + '[fields.land_use]\nvalue = true\n', "value = True", "must be a text"),
    ('[fields.sheet_no]\nsource = {x = 1}\n[fields.parcel_no]\nsource = ["SoThua"]\n',
     "[fields.sheet_no]: source = {'x': 1}", "must be a column name"),
    ('[fields.sheet_no]\nsource = [7]\n[fields.parcel_no]\nsource = ["SoThua"]\n',
     "source = [7]", "must be a column name"),
])
def test_hostile_mapping_files_are_refused_naming_file_and_key(tmp_path, text, key, why):
    """Refused in one line naming the mapping and its key before any data is read (was: a
    traceback, every area blamed on the data, the area check silently off)."""
    bad = tmp_path / "m.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(CadastreError) as e:
        read_parcels(tmp_path / "never_read.gpkg", bad)
    message = str(e.value)
    assert message.startswith(f"{bad}: ") and key in message and why in message
    assert "\n" not in message


def test_mapping_constants_are_text_like_a_cell(tmp_path):
    """``value = 13297`` (the natural way to write a commune code) is the text a file's cell
    gives: stored as text, not refused at write time."""
    frame = grid_parcels(columns=2, rows=1)
    mapping = tmp_path / "m.toml"
    mapping.write_text(_KEYS + '[fields.commune_code]\nvalue = 13297\n'
                       '[fields.area_official_m2]\nvalue = 400.0\n'
                       '[fields.sheet_edition]\nvalue = 2024-01-01\n'
                       '[mapping]\nlayer = 5\n', encoding="utf-8")
    rules = load_mapping(mapping).rules
    assert (rules["commune_code"].value, rules["area_official_m2"].value,
            rules["sheet_edition"].value) == ("13297", "400", "2024-01-01")
    assert load_mapping(mapping).layer == "5"
    parcels = read_parcels(write(frame, tmp_path / "c.gpkg"), mapping)
    assert list(parcels.frame["commune_code"]) == ["13297", "13297"]
    assert list(parcels.frame["area_official_m2"]) == [400.0, 400.0]
