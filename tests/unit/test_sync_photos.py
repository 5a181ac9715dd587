"""Photos and plans in offline packages against a GeoPackage provincial database (the
sample province): photos content-addressed both ways, once, missing and damaged files
reported and held back; plan items synced, an approved plan's guard refusing."""

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from roadinfra.core.db import create_database  # noqa: E402
from roadinfra.core.sample_data import load_sample_data  # noqa: E402
from roadinfra.core.sync.photos import check_photo, content_name  # noqa: E402

from tests.support import sync_photo_scenarios as scenarios  # noqa: E402
from tests.support.photos import jpeg, truncated  # noqa: E402

pytest.importorskip("PIL.Image")


@pytest.fixture(scope="module")
def sample_province(tmp_path_factory):
    path = tmp_path_factory.mktemp("province") / "province.gpkg"
    with create_database(path) as db:
        load_sample_data(db)
    return path


@pytest.fixture
def province(sample_province, tmp_path):
    return shutil.copyfile(sample_province, tmp_path / "province.gpkg")


def test_photos_go_both_ways_once_and_problems_are_reported(province, tmp_path):
    scenarios.photos_both_ways(province, tmp_path)


def test_plan_items_sync_and_an_approved_plan_refuses(province, tmp_path):
    scenarios.plans_both_ways(province, tmp_path)


def test_content_names_and_file_checks(tmp_path):
    digest = "ab" + "0" * 62
    assert content_name(f"p.gpkg.photos/ab/{digest}.jpg") == (digest, ".jpg")
    assert content_name(f"ab/{digest}.jpg") == (digest, ".jpg")
    assert content_name(f"cd/{digest}.jpg") is None  # not in its folder
    assert content_name("DCIM/IMG_0001.jpg") is None and content_name(None) is None
    good = jpeg(tmp_path / "a.jpg")
    found, problem = check_photo(good)
    assert problem is None and len(found) == 64
    assert check_photo(good, found) == (found, None)
    assert check_photo(good, digest) == (None, "damaged: its content no longer matches its "
                                                "sha256 name")
    assert check_photo(tmp_path / "none.jpg") == (None, "missing")
    (tmp_path / "empty.jpg").write_bytes(b"")
    assert check_photo(tmp_path / "empty.jpg") == (None, "damaged: empty file")
    cut = truncated(tmp_path / "cut.jpg", jpeg(tmp_path / "big.jpg", size=(640, 480)))
    assert check_photo(cut)[1].startswith("damaged: not a readable image")
