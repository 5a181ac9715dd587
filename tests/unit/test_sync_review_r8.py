"""Sync defects a hostile review (round 8) found outside the merge: values kept against the
derivation are reported, a package's db_meta edited outside RoadInfra is refused, a scope
that takes no asset is refused before it is registered, a full disk is one line."""

import json
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from roadinfra.core.db import open_database  # noqa: E402
from roadinfra.core.sync import Scope, create_package, sync_package  # noqa: E402
from roadinfra.core.sync.errors import PackageError, SyncError  # noqa: E402

from tests.support.sync import cli, live_ids, ogr_update, row  # noqa: E402


def test_a_kept_value_that_differs_from_the_derivation_is_in_the_report(province, tmp_path):
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    section = live_ids(pkg, "pavement_section")[0]
    before = row(pkg, "pavement_section", section)
    wrong = before["from_m"] + 500.0  # typed: QGIS copied it, the geometry says otherwise
    ogr_update(pkg, "pavement_section", section, from_m=wrong)
    done = cli("sync", str(pkg), "--db", province, "--json")
    assert done.returncode == 0, done.stderr
    [kept] = json.loads(done.stdout)["derived"]
    assert kept["table"] == "pavement_section" and kept["row_id"] == section
    assert kept["code"] == before["code"] and kept["field"] == "from_m"
    assert kept["kept"] == wrong and abs(kept["derived"] - before["from_m"]) < 1.0
    assert row(province, "pavement_section", section)["from_m"] == wrong
    ogr_update(pkg, "pavement_section", section, from_m=wrong + 100.0)
    text = cli("sync", str(pkg), "--db", province)
    assert text.returncode == 0, text.stderr
    assert f"kept, not derived: pavement_section {before['code']} field 'from_m'" in text.stdout


def _meta(pkg, key, value):
    conn = sqlite3.connect(pkg)
    conn.execute("UPDATE db_meta SET value = ? WHERE key = ?", (value, key))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("key,value,says", [
    ("package_scope", '{"kind": "bbox", "value": [0, 0, 9999999, 9999999]}',
     "package_scope"),
    ("package_scope", '{"kind": "area", "value": "336"}', "package_scope"),
    ("package_base_change_id", "99999999", "package_base_change_id"),
    ("package_base_change_id", "1", "package_base_change_id"),
])
def test_a_package_whose_meta_was_edited_is_refused_before_anything_is_written(
        province, tmp_path, key, value, says):
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    culvert = live_ids(pkg, "culvert")[0]
    with open_database(province) as db:
        db.update("culvert", culvert, {"length_m": 77.7}, user="office")
        changesets = db.count("sync_changeset")
    _meta(pkg, key, value)
    with pytest.raises(PackageError, match=f"db_meta {says} .* altered outside RoadInfra"):
        sync_package(str(pkg), province)
    with open_database(province) as db:
        assert db.count("sync_changeset") == changesets
    assert {r for r in live_ids(pkg, "culvert", "336")} == set()
    _meta(pkg, key, {"package_scope": '{"kind": "area", "value": "340"}'}.get(key) or value)
    if key == "package_scope":  # put back: the package syncs and takes the office's edit
        sync_package(str(pkg), province)
        assert row(pkg, "culvert", culvert)["length_m"] == 77.7


def _limited(size):
    """preexec_fn: files of the process may not grow beyond ``size`` bytes (a write past it
    fails with EFBIG, as on a full disk)."""
    import resource
    import signal

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return limit


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE")
def test_a_sync_the_disk_refuses_is_one_line_and_the_next_sync_completes(province, tmp_path):
    import subprocess

    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    with open_database(pkg) as db:
        ratings = [r["id"] for r in db.fetch("component_rating")][:40]
        for rating in ratings:
            db.update("component_rating", rating, {"notes": "x" * 2000}, user="crew")
    failed = subprocess.run(
        [sys.executable, "-m", "roadinfra.core.cli", "sync", str(pkg), "--db", province],
        capture_output=True, text=True, preexec_fn=_limited(1_000_000),
        cwd=Path(__file__).resolve().parents[2], timeout=600)
    assert failed.returncode == 2, failed.stderr
    [line] = failed.stderr.splitlines()
    assert line.startswith(f"roadinfra: error: {province}: the file could not be written")
    assert "nothing was applied" in line
    assert "check that the file can be written and sync again" in line
    with open_database(province) as db:
        assert db.count("sync_changeset") == 0
    done = cli("sync", str(pkg), "--db", province, "--json")
    assert done.returncode == 0, done.stderr
    assert all(row(province, "component_rating", r)["notes"] == "x" * 2000 for r in ratings)


@pytest.mark.parametrize("nested", [False, True])
def test_a_full_database_file_is_one_error_naming_it_and_the_connection_stays_usable(
        province, nested):
    from roadinfra.core.db.errors import MediumError

    db = open_database(province)
    try:
        bridge = db.fetch("bridge")[0]
        pages = db._query("PRAGMA page_count")[0][0]
        db._execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: "full"
        with pytest.raises(MediumError, match=f"^{province}: the disk is full; nothing of "):
            with db.transaction():
                if nested:
                    with db.transaction():
                        for n in range(300):
                            db.update("bridge", bridge["id"], {"name": "y" * 4000 + str(n)})
                else:
                    for n in range(300):
                        db.update("bridge", bridge["id"], {"name": "y" * 4000 + str(n)})
        assert not db.conn.in_transaction
        assert db.fetch("bridge", where={"id": bridge["id"]})[0]["name"] == bridge["name"]
    finally:
        db.close()


def test_a_box_that_takes_no_asset_is_refused_before_it_is_registered(province, tmp_path):
    out = tmp_path / "box.gpkg"
    with pytest.raises(SyncError, match=r"^--bbox 560000,2260000,575000,2270000: the box "
                                        r"takes no asset of .*EPSG:9209; nothing was written"):
        create_package(province, Scope("bbox", (560000, 2260000, 575000, 2270000)), str(out))
    assert not out.exists() and list(tmp_path.iterdir()) == [Path(province)]
    with open_database(province) as db:
        assert db.count("sync_replica") == 0
    made = create_package(province, Scope("bbox", (575000, 2265000, 590000, 2275000)),
                          str(out))  # the guide's example: it takes assets
    assert made["rows"].get("culvert") and made["rows"].get("bridge")
    assert made["scope"] == "box 575000,2265000,590000,2275000"


def test_a_package_synced_with_itself_says_so_and_names_its_server(province, tmp_path):
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    with pytest.raises(PackageError, match=f"this is the package itself, not the provincial "
                                           f"database: sync it with {Path(province).resolve()}"):
        sync_package(str(pkg), str(pkg))
