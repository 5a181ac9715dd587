"""Sheet editions as dates: the forms a department writes them in, compared as dates (older
kept, newer replaces, a stored text edition too), an unreadable edition named by file, row
and field, the --edition option."""

from __future__ import annotations

import argparse

import pytest
from roadinfra.core.cadastre.editions import EditionError, parse_edition
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.importer import import_parcels
from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.core.cli.cmd_cadastre import edition_date
from roadinfra.core.db import open_database
from roadinfra.core.io.rows import RowErrorsError

from tests.support.cadastre_files import grid_parcels, write


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
