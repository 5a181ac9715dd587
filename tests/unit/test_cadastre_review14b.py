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
