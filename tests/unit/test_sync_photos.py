"""Photos and plans in offline packages against a GeoPackage provincial database (the
sample province): photos content-addressed both ways, once, missing and damaged files
reported and held back; plan items synced, an approved plan's guard refusing."""

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from roadinfra.core.db import create_database, open_database  # noqa: E402
from roadinfra.core.photos import attach_photo, photo_path  # noqa: E402
from roadinfra.core.sample_data import load_sample_data  # noqa: E402
from roadinfra.core.sync import Scope, create_package, sync_package  # noqa: E402
from roadinfra.core.sync.photos import check_photo, content_name  # noqa: E402

from tests.support import sync_photo_scenarios as scenarios  # noqa: E402
from tests.support.photos import jpeg, truncated  # noqa: E402
from tests.support.sync import live_ids, row  # noqa: E402

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


def test_an_office_photo_put_back_reaches_the_package_on_the_next_sync(province, tmp_path):
    """An attachment unchanged since the base is still read at every sync (not kept as in
    the base): its file, missing in the office at packaging, is copied into the package
    once it is back, and nothing is sent or received."""
    bridge = live_ids(province, "bridge", scenarios.AREA)[0]
    original = jpeg(tmp_path / "in" / "office.jpg")
    with open_database(str(province)) as db:
        photo = attach_photo(db, "bridge", bridge, original, user="office")
        server_file = photo_path(db, photo)
    aside = tmp_path / "aside.jpg"
    shutil.move(server_file, aside)
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    made = create_package(str(province), Scope("area", scenarios.AREA), str(pkg))
    assert [(p["row_id"], p["problem"]) for p in made["photos"]["problems"]] == [
        (photo["id"], "missing")]
    local = pkg.parent / row(pkg, "attachment", photo["id"])["file_path"]
    assert not local.exists()
    shutil.move(aside, server_file)
    report = sync_package(str(pkg), str(province))
    nothing = {"insert": 0, "update": 0, "delete": 0}
    assert report["sent"] == nothing and report["received"] == nothing
    assert report["photos"]["to_package"] == 1 and report["photos"]["problems"] == []
    assert local.read_bytes() == original.read_bytes()
    assert sync_package(str(pkg), str(province))["photos"]["to_package"] == 0


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
