"""Packages made before a server upgrade (issue 11, second hostile review, item 2): a package
older only by schema versions that changed PostGIS alone is synced and its schema_version
raised in the package's own transaction; one whose GeoPackage tables really differ is
refused, saying how its edits can still get home."""

import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from roadinfra.core.db import open_database  # noqa: E402
from roadinfra.core.db.gpkg import GeoPackageDatabase  # noqa: E402
from roadinfra.core.schema.ddl_gpkg import gpkg_changes  # noqa: E402
from roadinfra.core.schema.tables import SCHEMA_VERSION, SYNC_GUARDS  # noqa: E402
from roadinfra.core.sync import Scope, create_package, sync_package  # noqa: E402
from roadinfra.core.sync.errors import PackageError  # noqa: E402

from tests.support.sync import cli, live_ids, ogr_update, row  # noqa: E402


def _set_version(path, version):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE db_meta SET value = ? WHERE key = 'schema_version'", (str(version),))
    conn.commit()
    conn.close()


def _version(path):
    with GeoPackageDatabase.open(str(path), check_version=False) as db:
        return db.schema_version()


def test_the_sync_schema_versions_changed_postgis_only():
    """Schemas 10 (sync guards), 11 and 12 changed PostGIS alone: a package of 9 or later
    is one of this RoadInfra's; schema 9 (guards 2) changed a GeoPackage's triggers."""
    assert gpkg_changes(SYNC_GUARDS - 1, SCHEMA_VERSION, 9209) == []
    assert gpkg_changes(SYNC_GUARDS - 2, SCHEMA_VERSION, 9209) == [SYNC_GUARDS - 1]


@pytest.mark.parametrize("old", [SYNC_GUARDS, SCHEMA_VERSION - 1])
def test_a_package_made_before_a_postgis_only_upgrade_syncs_and_is_upgraded(
        province, tmp_path, old):
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    bridge = live_ids(pkg, "bridge")[0]
    ogr_update(pkg, "bridge", bridge, spans=41)
    _set_version(pkg, old)
    report = sync_package(str(pkg), province)
    assert report["sent"]["update"] == 1 and report["upgraded"] == [old, SCHEMA_VERSION]
    assert _version(pkg) == SCHEMA_VERSION
    with open_database(province) as db:
        assert db.fetch("bridge", where={"id": bridge})[0]["spans"] == 41
    assert row(pkg, "bridge", bridge)["spans"] == 41
    again = sync_package(str(pkg), province)
    assert again["upgraded"] is None and again["sent"]["update"] == 0


def test_a_failed_sync_leaves_the_package_version_as_it_was(province, tmp_path):
    """The version is raised in the package's transaction: a sync that fails (the server
    refuses the package's base) leaves it as it was."""
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    ogr_update(pkg, "bridge", live_ids(pkg, "bridge")[0], spans=42)
    old = SCHEMA_VERSION - 1
    _set_version(pkg, old)
    with open_database(province) as db, db.transaction():
        db._execute("UPDATE sync_replica SET base_digest = 'other'")
    with pytest.raises(PackageError, match="not the one"):
        sync_package(str(pkg), province)
    assert _version(pkg) == old


def test_a_package_whose_tables_differ_is_refused_saying_how_its_edits_get_home(
        province, tmp_path):
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    old = SYNC_GUARDS - 2  # schema 9 changed a GeoPackage's triggers
    _set_version(pkg, old)
    with pytest.raises(PackageError) as caught:
        sync_package(str(pkg), province)
    message = str(caught.value)
    assert "\n" not in message
    assert f"schema version {old}, this RoadInfra {SCHEMA_VERSION}" in message
    assert f"schema {old + 1} changed a package's tables" in message
    assert "sync it with the RoadInfra that made it" in message
    assert "enter the edits again in a new package" in message
    assert _version(pkg) == old
    done = cli("sync", str(pkg), "--db", province)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    _set_version(pkg, SCHEMA_VERSION + 1)
    with pytest.raises(PackageError, match="newer than this RoadInfra's .*update RoadInfra"):
        sync_package(str(pkg), province)


def test_a_province_whose_profile_cites_no_regulation_is_packaged(province, tmp_path):
    """A province made before profiles cited the regulation of their corridor widths (its
    stored profile has no [corridor_regulation]) opens, and so is packaged (review 11o #1:
    the package's profile was checked as a file, naming a temporary file)."""
    import tomllib

    conn = sqlite3.connect(province)
    [(text,)] = conn.execute("SELECT value FROM db_meta WHERE key = 'profile_toml'")
    assert "[corridor_regulation]" in text
    start = text.index("[corridor_regulation]")
    end = text.find("\n[", start + 1)
    old = text[:start] + (text[end + 1:] if end != -1 else "")
    assert "corridor_regulation" not in tomllib.loads(old)
    conn.execute("UPDATE db_meta SET value = ? WHERE key = 'profile_toml'", (old,))
    conn.commit()
    conn.close()
    pkg = tmp_path / "old.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    with open_database(str(pkg)) as db:
        assert "corridor_regulation" not in db.profile.data
    assert sync_package(str(pkg), province)["conflicts"] == []
