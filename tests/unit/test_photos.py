"""Attaching a photo: sha256 store beside the GeoPackage, EXIF position and time, district
from the feature it is attached to."""

import datetime as dt
import hashlib

import pytest
from roadinfra.core.crs import to_grid
from roadinfra.core.db import create_database
from roadinfra.core.photos import PhotoError, attach_photo, photo_path, read_photo_info
from shapely.geometry import Point

from tests.support.photos import jpeg
from tests.support.rows import example_rows

Image = pytest.importorskip("PIL.Image")


@pytest.fixture
def db(tmp_path):
    database = create_database(tmp_path / "p.gpkg")
    rows = example_rows()
    for name in ("route", "bridge"):
        database.insert(name, [rows[name]], user="t", derive=False)
    yield database
    database.close()


def test_exif_position_and_time_are_read(tmp_path):
    info = read_photo_info(jpeg(tmp_path / "a.jpg"))
    assert info.lonlat == pytest.approx((106.31, 20.441666), abs=1e-5)
    # no offset in the file: local time of Vietnam (UTC+7)
    assert info.taken_at == dt.datetime(2025, 5, 27, 2, 30, tzinfo=dt.timezone.utc)
    assert read_photo_info(jpeg(tmp_path / "b.jpg", gps=False, when=None)).lonlat is None


def test_attach_copies_under_sha256_once_and_records_exif(db, tmp_path):
    bridge = db.fetch("bridge")[0]
    source = jpeg(tmp_path / "IMG_0042.jpg")
    row = attach_photo(db, "bridge", bridge["id"], source, user="field")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    # relative to the GeoPackage's folder, as the form's photo widget reads it
    assert row["file_path"] == f"p.gpkg.photos/{digest[:2]}/{digest}.jpg"
    assert photo_path(db, row).read_bytes() == source.read_bytes()
    assert photo_path(db, row) == tmp_path / row["file_path"]
    x, y = to_grid(106.31, 20.4416667, db.profile)
    assert row["geom"].distance(Point(x, y)) < 0.5
    assert row["taken_at"] == dt.datetime(2025, 5, 27, 2, 30, tzinfo=dt.timezone.utc)
    assert row["district_code"] == bridge["district_code"]  # the bridge's area
    assert (row["kind"], row["caption"], row["target_table"]) == ("photo", "IMG_0042.jpg",
                                                                   "bridge")
    again = attach_photo(db, "bridge", bridge["id"], source)
    assert again["file_path"] == row["file_path"]
    assert len(list((photo_path(db, row).parent).iterdir())) == 1  # stored once


def test_attach_refuses_what_it_cannot_do(db, tmp_path):
    bridge = db.fetch("bridge")[0]
    with pytest.raises(PhotoError, match="no such file"):
        attach_photo(db, "bridge", bridge["id"], tmp_path / "missing.jpg")
    with pytest.raises(PhotoError, match="no such"):
        attach_photo(db, "bridge", "7964b627-c475-559e-9b76-000000000000",
                     jpeg(tmp_path / "c.jpg"))
