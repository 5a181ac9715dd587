"""Issue 14, second review: editions as dates, drawing labels and gaps, passwords in source
labels, parcels outside the province, a trusted neighbouring VN-2000 zone, one-line errors,
the OGC API listing."""

from __future__ import annotations

import argparse

import pytest
from roadinfra.core.cadastre.editions import EditionError, parse_edition
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.importer import import_parcels
from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.core.cli.cmd_cadastre import edition_date
from roadinfra.core.db import create_database, open_database
from roadinfra.core.io.rows import RowErrorsError

from tests.support.cadastre_files import grid_parcels, write


@pytest.fixture
def tb_db(tmp_path):
    path = tmp_path / "thai_binh.gpkg"
    create_database(path).close()
    return path


@pytest.mark.parametrize("text, iso", [
    ("05/03/2022", "2022-03-05"), ("5/3/2022", "2022-03-05"), ("12.02.2019", "2019-02-12"),
    ("20140212", "2014-02-12"), ("2020-01-01", "2020-01-01"),
    ("2020-01-01T00:00:00", "2020-01-01"), ("2020-01-01 10:30", "2020-01-01"),
    ("2020-01-01T10:30:00+07:00", "2020-01-01"), (" ", None), (None, None)])
def test_editions_are_read_as_dates(text, iso):
    assert parse_edition(text) == iso


@pytest.mark.parametrize("text", ["31/02/2022", "2022-13-01", "ban 2", "03/2022", "1e400"])
def test_an_edition_that_is_no_date_is_an_error(text):
    with pytest.raises(EditionError, match="is not a date"):
        parse_edition(text)


def _sheet(tmp_path, name, edition):
    frame = grid_parcels(columns=2, rows=1)
    frame["NgayCapNhat"] = edition
    return write(frame, tmp_path / name)


def test_vietnamese_editions_compared_as_dates(tmp_path, tb_db):
    new = _sheet(tmp_path, "new.gpkg", "05/03/2022")
    old = _sheet(tmp_path, "old.gpkg", "12/02/2019")
    first = import_parcels(tb_db, read_parcels(new))
    assert (first.sheets[0].action, first.sheets[0].edition) == ("new", "2022-03-05")
    second = import_parcels(tb_db, read_parcels(old))
    assert (second.sheets[0].action, second.sheets[0].previous_edition) == (
        "older", "2022-03-05")
    db = open_database(tb_db)
    assert {r["sheet_edition"] for r in db.fetch("cadastral_parcel")} == {"2022-03-05"}
    db.close()


def test_the_other_order_replaces(tmp_path, tb_db):
    import_parcels(tb_db, read_parcels(_sheet(tmp_path, "old.gpkg", "12/02/2019")))
    result = import_parcels(tb_db, read_parcels(_sheet(tmp_path, "new.gpkg", "05/03/2022")))
    assert (result.sheets[0].action, result.sheets[0].previous_edition) == (
        "replaced", "2019-02-12")


def test_iso_date_and_datetime_are_the_same_edition(tmp_path, tb_db):
    import_parcels(tb_db, read_parcels(_sheet(tmp_path, "a.gpkg", "2020-01-01T00:00:00")))
    result = import_parcels(tb_db, read_parcels(_sheet(tmp_path, "b.gpkg", "2020-01-01")))
    assert result.sheets[0].action == "unchanged"


def test_a_stored_text_edition_is_compared_as_a_date(tmp_path, tb_db):
    """Rows written before editions were normalised hold the file's text."""
    import_parcels(tb_db, read_parcels(_sheet(tmp_path, "a.gpkg", "2022-03-05")))
    db = open_database(tb_db)
    with db.transaction():
        for row in db.fetch("cadastral_parcel"):
            db.update("cadastral_parcel", row["id"], {"sheet_edition": "05/03/2022"})
    db.close()
    result = import_parcels(tb_db, read_parcels(_sheet(tmp_path, "b.gpkg", "12/02/2019")))
    assert (result.sheets[0].action, result.sheets[0].previous_edition) == (
        "older", "2022-03-05")


def test_an_unreadable_edition_names_file_row_and_field(tmp_path, tb_db):
    frame = grid_parcels(columns=3, rows=1)
    frame["NgayCapNhat"] = ["05/03/2022", "ban moi", "31/02/2022"]
    path = write(frame, tmp_path / "bad.gpkg")
    parcels = read_parcels(path)
    assert [(e.row, e.field) for e in parcels.errors] == [(2, "NgayCapNhat"),
                                                          (3, "NgayCapNhat")]
    with pytest.raises(RowErrorsError, match=r"bad\.gpkg, row 2, field 'NgayCapNhat'"):
        import_parcels(tb_db, parcels)


def test_edition_option_takes_the_same_forms(tmp_path, tb_db):
    assert edition_date("05/03/2022") == "2022-03-05"
    assert edition_date("20220305") == "2022-03-05"
    with pytest.raises(argparse.ArgumentTypeError, match="is not a date"):
        edition_date("03/2022")
    path = write(grid_parcels(columns=1, rows=1), tmp_path / "one.gpkg")
    result = import_parcels(tb_db, read_parcels(path), edition="01/06/2021")
    assert result.sheets[0].edition == "2021-06-01"
    with pytest.raises(CadastreError, match="edition of the sheets"):
        import_parcels(tb_db, read_parcels(path), edition="mai")


# -- item 4: no password in a source label, a parcel row, a message ----------------------

def test_wfs_password_never_reaches_the_parcel_rows(tmp_path, tb_db):
    from roadinfra.core.cadastre.mapping import load_mapping
    from roadinfra.core.cadastre.remote import WfsSource, pull_sheets

    from tests.support.wfs_server import WfsServer
    from tests.unit.test_cadastre_wfs import TYPES, features

    with WfsServer("thua_dat", features("1", "2024-01-01"), 9209, types=TYPES) as server:
        url = server.url.replace("http://", "http://u:S3cret@") + "?token=T0ken"
        result = pull_sheets(tb_db, WfsSource(url, server.typename,
                                              load_mapping("vn_cadastre")))
    assert result.imported.inserted == 6
    assert "S3cret" not in result.source and "T0ken" not in result.source
    db = open_database(tb_db)
    sources = {r["source"] for r in db.fetch("cadastral_parcel")}
    db.close()
    assert len(sources) == 1 and "S3cret" not in sources.pop()


@pytest.mark.parametrize("dsn", [
    "host=db password=S3cret dbname=dc", "host=db password='S3 cret' dbname=dc",
    "postgresql://u@h/db?password=S3cret", "postgresql://u:S3cret@h:5433/db"])
def test_postgis_source_label_hides_the_password(dsn):
    from roadinfra.core.cadastre.mapping import load_mapping
    from roadinfra.core.cadastre.remote import PostgisSource

    label = PostgisSource(dsn, "dc.thua_dat", load_mapping("vn_cadastre")).label
    assert "S3" not in label and "cret" not in label and label.endswith("dc.thua_dat")


def test_features_source_hides_credentials_in_label_and_errors():
    from roadinfra.core.cadastre.mapping import load_mapping
    from roadinfra.core.cadastre.remote import FeaturesApiSource

    api = FeaturesApiSource("http://u:S3cret@127.0.0.1:9/ogc?api_key=K3y", "thua",
                            load_mapping("vn_cadastre"))
    assert "S3cret" not in api.label and "K3y" not in api.label
    with pytest.raises(CadastreError) as caught:
        api.sheets()
    assert "S3cret" not in str(caught.value) and "K3y" not in str(caught.value)


# -- item 3: drawings: open outlines, labels outside faces, the sheet frame, layers --------

def _drawing(tmp_path, name="d.dxf", gap=0.05, frame_layer=None, labels=None):
    """Four closed 20 m parcels 215-218, parcel 219 drawn open with a ``gap`` (m), and
    optionally a sheet frame around them on ``frame_layer``."""
    from shapely.geometry import box

    from tests.support.cadastre_files import origin, write_dxf

    x0, y0 = origin()
    squares = [box(x0 + 20 * i, y0, x0 + 20 * i + 20, y0 + 20) for i in range(4)]
    if labels is None:
        labels = [((x0 + 20 * i + 8, y0 + 8), str(215 + i)) for i in range(4)]
        labels.append(((x0 + 208, y0 + 8), "219"))
    lines = [("RANHTHUA", [(x0 + 200, y0), (x0 + 220, y0), (x0 + 220, y0 + 20),
                           (x0 + 200, y0 + 20), (x0 + 200, y0 + gap)], False)]
    if frame_layer:
        lines.append((frame_layer, [(x0 - 50, y0 - 50), (x0 + 250, y0 - 50),
                                    (x0 + 250, y0 + 70), (x0 - 50, y0 + 70)], True))
    return write_dxf(tmp_path / name, squares, labels, lines), (x0, y0)


def _mapping(tmp_path, cad: str):
    from roadinfra.core.cadastre.mapping import load_mapping, mapping_path

    text = mapping_path("vn_cadastre").read_text(encoding="utf-8")
    head, _, tail = text.partition("[cad]")
    pattern = next(line for line in tail.splitlines() if line.startswith("label_pattern"))
    path = tmp_path / "m.toml"
    path.write_text(head + "[cad]\n" + (pattern if "label_pattern" not in cad else "")
                    + "\n" + cad + "\n", encoding="utf-8")
    return load_mapping(path)


def test_a_small_gap_in_an_outline_is_closed(tmp_path):
    path, _ = _drawing(tmp_path)
    parcels = read_parcels(path, sheet="5", crs=9209)
    assert sorted(parcels.frame["parcel_no"]) == ["215", "216", "217", "218", "219"]
    assert not parcels.errors
    p219 = parcels.frame[parcels.frame["parcel_no"] == "219"].geometry.iloc[0]
    assert p219.area == pytest.approx(400.0, abs=0.01)


def test_a_label_in_no_closed_outline_is_listed_with_its_position(tmp_path):
    path, (x0, y0) = _drawing(tmp_path, gap=0.5)   # wider than snap_m 0.1
    parcels = read_parcels(path, sheet="5", crs=9209)
    assert sorted(parcels.frame["parcel_no"]) == ["215", "216", "217", "218"]
    [error] = parcels.errors
    assert error.field == "Text" and "'219'" in error.message
    assert f"x={x0 + 208:.2f}, y={y0 + 8:.2f}" in error.message
    assert "no closed parcel outline" in error.message
    # snap_m = 0 keeps even the 5 cm gap open, as documented
    path, _ = _drawing(tmp_path, "b.dxf")
    strict = read_parcels(path, _mapping(tmp_path, "snap_m = 0"), sheet="5", crs=9209)
    assert len(strict.frame) == 4 and "'219'" in strict.errors[0].message


def test_labels_on_an_edge_and_faces_without_label_are_listed(tmp_path):
    from tests.support.cadastre_files import origin

    x0, y0 = origin()
    labels = [((x0 + 8, y0 + 8), "215"), ((x0 + 40, y0 + 8), "217"),
              ((x0 + 68, y0 + 8), "218"), ((x0 + 208, y0 + 8), "219")]
    path, _ = _drawing(tmp_path, labels=labels)
    parcels = read_parcels(path, sheet="5", crs=9209)
    messages = sorted(e.message for e in parcels.errors)
    assert len(parcels.frame) == 3 and len(messages) == 3
    assert any("'217'" in m and "on the boundary" in m for m in messages)
    unlabelled = [m for m in messages if "no parcel label inside" in m]
    assert len(unlabelled) == 2 and all("parcel outline at x=" in m for m in unlabelled)


def test_the_sheet_frame_is_left_out_or_its_layer_not_read(tmp_path, tb_db):
    path, _ = _drawing(tmp_path, frame_layer="RANHTHUA")
    parcels = read_parcels(path, sheet="5", crs=9209)
    assert len(parcels.frame) == 5 and not parcels.errors
    framed, _ = _drawing(tmp_path, "f.dxf", frame_layer="KHUNG")
    only = read_parcels(framed, sheet="5", crs=9209, cad_layers=["ranhthua", "SOTHUA"])
    assert len(only.frame) == 5 and not only.errors
    by_mapping = read_parcels(framed, _mapping(tmp_path, 'layers = ["RANHTHUA", "SOTHUA"]'),
                              sheet="5", crs=9209)
    assert len(by_mapping.frame) == 5
    no_labels = read_parcels(framed, sheet="5", crs=9209, cad_layers=["RANHTHUA"])
    assert len(no_labels.frame) == 0 and len(no_labels.errors) == 5


def test_a_label_area_that_is_no_number_is_a_row_error(tmp_path):
    from tests.support.cadastre_files import origin

    x0, y0 = origin()
    # a DXF keeps 255 characters of a text: "1e400" stands for a 400-digit area (infinite)
    labels = [((x0 + 8, y0 + 8), "215 1e400"), ((x0 + 28, y0 + 8), "216 12x LUC")]
    mapping = _mapping(tmp_path, "label_pattern = '^(?P<parcel_no>\\d+) (?P<area_official_m2>"
                                 "\\S+)'")
    path, _ = _drawing(tmp_path, labels=labels)
    parcels = read_parcels(path, mapping, sheet="5", crs=9209)
    bad = [e.message for e in parcels.errors if "is not an area" in e.message]
    assert len(bad) == 2


# -- item 10: one-line errors, no traceback ----------------------------------------------

@pytest.mark.parametrize("text", ["DH71:0-100:inf", "DH71:0-100:nan", "DH71:0-inf:20",
                                  "DH71:0-100:-5", "DH71:0-100:0", "DH71:100-0:20"])
def test_a_widening_needs_finite_positive_numbers(text):
    from roadinfra.core.cadastre.corridor import parse_widening

    with pytest.raises(CadastreError, match="widening"):
        parse_widening(text)


def test_overlay_with_an_infinite_widening_is_a_one_line_error(tb_db, capsys):
    from roadinfra.core.cli import main

    code = main(["cadastre", "overlay", str(tb_db), "--widening", "DH71:0-100:inf"])
    err = capsys.readouterr().err
    assert code != 0 and "must be finite" in err and "Traceback" not in err


# -- item 7: every parcel inside the province, checked before anything is written -----------

def _with_province(db_path, frame):
    """Give the database a province polygon: the parcels' hull grown by 1 m."""
    from shapely.geometry import MultiPolygon

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


# -- item 8: a neighbouring VN-2000 zone accepted when the user confirms it ----------------

def test_trust_crs_accepts_a_declared_neighbouring_zone(tmp_path, tb_db, capsys):
    import geopandas as gpd
    from pyproj import Transformer
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


# -- item 13: the OGC API listing asks for the key properties only, without geometry -------

@pytest.mark.parametrize("selection, listing", [("supported", "selected"),
                                                ("filter", "full"), ("reject", "full")])
def test_features_listing_without_geometry_when_the_server_can(tb_db, selection, listing):
    import urllib.parse

    from roadinfra.core.cadastre.mapping import load_mapping
    from roadinfra.core.cadastre.remote import FeaturesApiSource, pull_sheets

    from tests.support.features_api import FeaturesApi
    from tests.unit.test_cadastre_pull import features

    rows = features("1", "2024-01-01") + features("2", "2024-01-01", start=(0, 100))
    with FeaturesApi("thua_dat", rows, selection=selection) as api:
        source = FeaturesApiSource(api.url, "thua_dat", load_mapping("vn_cadastre"))
        result = pull_sheets(tb_db, source)
    assert source.listing == listing
    assert result.fetched == [("13297", "1"), ("13297", "2")]
    assert result.imported.inserted == 12
    queries = [dict(urllib.parse.parse_qsl(urllib.parse.urlparse(r).query))
               for r in api.requests]
    assert queries[0]["limit"] == "1"
    assert queries[1]["skipGeometry"] == "true"
    assert set(queries[1]["properties"].split(",")) == {"so_to", "ma_xa", "ngay_cap_nhat"}
    if listing == "full":   # listed again in full, then the two sheets
        assert "skipGeometry" not in queries[2] and "so_to" not in queries[2]
