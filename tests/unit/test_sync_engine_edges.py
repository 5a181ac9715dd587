"""Sync engine edges a hostile review found (GeoPackage provincial database): syncs with no
changes and replays never strand a package, refused rows with a geometry, an asset moved
to another district, a damaged geometry blob, the same text in NFD and NFC."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from roadinfra.core.db import open_database  # noqa: E402
from roadinfra.core.sync import Scope, create_package, open_package, sync_package  # noqa: E402
from roadinfra.core.sync.faults import ENV  # noqa: E402
from shapely import wkt  # noqa: E402
from shapely.affinity import translate  # noqa: E402

from tests.support.sync import cli, live_ids, ogr_insert, ogr_update, row, rows  # noqa: E402
from tests.support.sync_interrupted import same_base_killed  # noqa: E402


def _sync_cli(pkg, province, kill=None):
    env = dict(os.environ)
    env.pop(ENV, None)
    if kill:
        env[ENV] = kill
    return cli("sync", str(pkg), "--db", province, "--json", env=env)


def _registered(pkg, province):
    """The package's base digest and the one the server registered for it."""
    package = open_package(str(pkg))
    try:
        digest, replica_id = package.digest(), package.replica_id
    finally:
        package.close()
    with open_database(province) as db:
        return digest, db.fetch("sync_replica", where={"id": replica_id})[0]["base_digest"]


def test_syncs_with_no_changes_are_new_changesets_and_never_strand_the_package(province,
                                                                               tmp_path):
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    bridges = live_ids(pkg, "bridge")
    first = sync_package(str(pkg), province)
    assert not first["replayed"]
    for n, bridge in enumerate(bridges[:3]):
        with open_database(province) as db:
            db.update("bridge", bridge, {"spans": 40 + n}, user="office")
        report = sync_package(str(pkg), province)
        assert not report["replayed"] and report["changeset"] != first["changeset"]
        assert report["received"]["update"] == 1
        assert row(pkg, "bridge", bridge)["spans"] == 40 + n
        digest, registered = _registered(pkg, province)
        assert digest == registered
    with open_database(province) as db:
        assert db.count("sync_changeset") == 4


@pytest.mark.parametrize("kills", [["after_server_commit"], ["package_written"],
                                   ["after_server_commit", "after_server_commit"]])
def test_a_replay_applies_nothing_twice_and_registers_the_new_base(province, tmp_path,
                                                                   kills):
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    bridges = live_ids(pkg, "bridge")
    with open_database(pkg) as db:
        db.update("bridge", bridges[0], {"spans": 21}, user="crew")
    for kill in kills:  # killed between the server's commit and the package's
        assert _sync_cli(pkg, province, kill).returncode == -9
        with open_database(province) as db:  # the server moved on meanwhile
            db.update("bridge", bridges[1], {"spans": 33}, user="office")
    done = _sync_cli(pkg, province)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["replayed"] and report["applied"] == 0
    assert row(province, "bridge", bridges[0])["revision"] == \
        row(pkg, "bridge", bridges[0])["revision"]
    assert row(pkg, "bridge", bridges[1])["spans"] == 33
    digest, registered = _registered(pkg, province)
    assert digest == registered
    with open_database(province) as db:
        assert db.count("sync_changeset") == 1
        db.update("bridge", bridges[2], {"spans": 44}, user="office")
    after = sync_package(str(pkg), province)  # and the package goes on syncing
    assert not after["replayed"] and after["received"]["update"] == 1


def test_a_refused_row_with_a_geometry_is_a_refused_conflict_and_the_rest_syncs(province,
                                                                                tmp_path):
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    bridge = live_ids(pkg, "bridge")[0]
    culvert = row(pkg, "culvert", live_ids(pkg, "culvert")[0])
    far = ogr_insert(pkg, "culvert", code="CU-999-001", district_code="999",
                     route_id=culvert["route_id"], chainage_m=51000, culvert_type="PIPE",
                     geom=translate(culvert["geom"], 50, 50))
    ogr_update(pkg, "bridge", bridge, spans=21)
    for _ in range(2):  # and on the next sync too
        done = _sync_cli(pkg, province)
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert [(r["table"], r["row_id"]) for r in report["refused"]] == [("culvert", far)]
        assert row(province, "bridge", bridge)["spans"] == 21
        plain = cli("sync", str(pkg), "--db", province)
        assert plain.returncode == 0 and "refused " in plain.stdout, plain.stderr
    with open_database(province) as db:
        [stored] = db.fetch("sync_conflict", where={"row_id": far})
        assert db.fetch("culvert", where={"id": far}, include_deleted=True) == []
    assert stored["kind"] == "refused" and stored["mine"]["district_code"] == "999"
    assert wkt.loads(stored["mine"]["geom"]).equals(translate(culvert["geom"], 50, 50))


def _culvert_with_inspection(pkg):
    inspected = {r["culvert_id"] for r in rows(pkg, "inspection") if r["culvert_id"]}
    return next(c for c in live_ids(pkg, "culvert") if c in inspected)


def test_an_asset_moved_to_another_district_syncs_with_its_children(province, tmp_path):
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    culvert = _culvert_with_inspection(pkg)
    children = [r["id"] for r in rows(pkg, "inspection") if r["culvert_id"] == culvert]
    ogr_update(pkg, "culvert", culvert, district_code="341")  # the package's cascade too
    ogr_update(pkg, "inspection", children[0], notes="di chuyển")  # and a crew edit
    for _ in range(2):
        report = sync_package(str(pkg), province)
        assert report["conflicts"] == [] and report["refused"] == []
    assert row(province, "culvert", culvert)["district_code"] == "341"
    for child in children:
        assert row(province, "inspection", child)["district_code"] == "341"
    assert row(province, "inspection", children[0])["notes"] == "di chuyển"


def test_a_cascade_is_followed_only_when_it_is_the_only_change(province, tmp_path):
    """Another writer's change of a child (here: after the merge read it) is not taken
    for the server's cascade: the revision check still refuses it."""
    from roadinfra.core.schema import TABLES
    from roadinfra.core.sync.engine import _follow_cascade
    from roadinfra.core.sync.package import LocalChange

    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    culvert = _culvert_with_inspection(pkg)
    child = next(r for r in rows(province, "inspection") if r["culvert_id"] == culvert)
    table = TABLES["inspection"]
    change = LocalChange("inspection", child["id"], "update", None, {}, False)
    with open_database(province) as db:
        db.update("culvert", culvert, {"district_code": "341"}, user="office")  # cascades
        values = {"district_code": "341", "revision": child["revision"]}
        assert _follow_cascade(db, table, [(change, None, child)], [(change, values)])
        moved = row(province, "inspection", child["id"])["revision"]
        assert values["revision"] == moved > child["revision"]
        db.update("inspection", child["id"], {"notes": "văn phòng"}, user="office")
        values = {"district_code": "341", "revision": child["revision"]}
        assert not _follow_cascade(db, table, [(change, None, child)], [(change, values)])
        assert values["revision"] == child["revision"]


def _spoil_geometry(path, table, row_id):
    """A geometry written by plain SQL through GDAL, not as a GeoPackage blob (SpatiaLite's
    ST_Translate without AsGPB), as the reviewer did."""
    from osgeo import ogr

    ds = ogr.Open(str(path), 1)
    ds.ExecuteSQL(f"UPDATE {table} SET geom = ST_Translate(geom, 1, 1, 0) "  # test-made
                  f"WHERE id = '{row_id}'")
    ds = None
    with pytest.raises(ValueError):
        row(path, table, row_id)


@pytest.mark.parametrize("side", ["package", "server"])
def test_an_unreadable_geometry_blob_is_named_and_nothing_is_written(province, tmp_path,
                                                                     side):
    from roadinfra.core.sync import SyncError

    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    bridge, culvert = live_ids(pkg, "bridge")[0], live_ids(pkg, "culvert")[0]
    ogr_update(pkg, "bridge", bridge, spans=21)
    ogr_update(pkg, "culvert", culvert, material="STEEL")
    _spoil_geometry(pkg if side == "package" else province, "culvert", culvert)
    before = {p: Path(p).read_bytes() for p in (str(pkg), province)}
    with pytest.raises(SyncError, match=rf"not a GeoPackage geometry.*culvert {culvert} "
                                        r"\(geom\); nothing was changed") as raised:
        sync_package(str(pkg), province)
    assert str(raised.value).startswith(str(pkg) if side == "package" else province)
    assert {p: Path(p).read_bytes() for p in before} == before
    done = cli("sync", str(pkg), "--db", province)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert f"culvert {culvert} (geom)" in done.stderr


def test_the_same_text_in_nfd_and_nfc_is_no_conflict(province, tmp_path):
    import unicodedata

    name = "Cầu Phú Hưng mới"
    nfd, nfc = unicodedata.normalize("NFD", name), unicodedata.normalize("NFC", name)
    assert nfd != nfc
    bridges = live_ids(province, "bridge", "340")
    with open_database(province) as db:  # a base holding decomposed text
        db.update("bridge", bridges[1], {"name": nfd}, user="office")
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    ogr_update(pkg, "bridge", bridges[0], name=nfd)  # the tablet writes NFD
    ogr_update(pkg, "bridge", bridges[1], spans=12)
    with open_database(province) as db:
        db.update("bridge", bridges[0], {"name": nfc}, user="office")  # the office NFC
    report = sync_package(str(pkg), province)
    assert report["conflicts"] == [] and report["refused"] == []
    assert row(province, "bridge", bridges[0])["name"] == nfc
    assert row(province, "bridge", bridges[1])["spans"] == 12
    assert row(province, "bridge", bridges[1])["name"] == nfd  # stored as it was
    digest, registered = _registered(pkg, province)  # the bases still verify
    assert digest == registered
    assert sync_package(str(pkg), province)["sent"] == {"insert": 0, "update": 0, "delete": 0}


@pytest.mark.parametrize("conflict", [False, True], ids=["nothing_sent", "only_a_conflict"])
def test_a_sync_that_left_the_base_killed_after_the_server_committed_completes(
        province, tmp_path, conflict):
    same_base_killed(province, tmp_path, conflict)


def test_an_older_position_no_changeset_started_from_is_refused(province, tmp_path):
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    with open_database(pkg) as db:
        older = int(db.meta("package_base_change_id")) - 1
        db._execute("UPDATE db_meta SET value = ? WHERE key = 'package_base_change_id'",
                    (str(older),))
    done = _sync_cli(pkg, province)
    assert done.returncode == 2
    assert f"db_meta package_base_change_id {older} is not the change-log position" \
        in done.stderr
    with open_database(province) as db:
        assert db.count("sync_changeset") == 0


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("runuser"),
                    reason="needs root to run the CLI as another user")
def test_a_package_that_cannot_be_written_is_refused_before_the_server_is_written(province):
    """A package the syncing user can read, not write (a write-protected card): refused in
    one line with nothing applied; the server has no changeset (root may write any file:
    the CLI runs as 'nobody')."""
    folder = Path(tempfile.mkdtemp(prefix="ri-ro-package-"))
    try:
        os.chmod(folder, 0o755)
        office = folder / "office"
        office.mkdir(mode=0o777)
        os.chmod(office, 0o777)
        server = Path(shutil.copyfile(province, office / "province.gpkg"))
        os.chmod(server, 0o666)
        pkg = folder / "p.gpkg"
        create_package(str(server), Scope("area", "340"), str(pkg))
        ogr_update(pkg, "bridge", live_ids(pkg, "bridge")[0], spans=21)
        os.chmod(pkg, 0o644)
        before = pkg.read_bytes()
        cli = [sys.executable, "-c", "import sys; from roadinfra.core.cli import main; "
               "sys.exit(main(sys.argv[1:]))"]
        done = subprocess.run(["runuser", "-u", "nobody", "--", *cli, "sync", str(pkg),
                               "--db", str(server)],
                              capture_output=True, text=True, cwd="/", timeout=300)
        assert done.returncode == 2, done.stderr
        [line] = done.stderr.strip().splitlines()
        assert f"{pkg}: the file could not be written" in line and \
            "nothing was applied" in line, line
        with open_database(server) as db:
            assert db.count("sync_changeset") == 0
        assert pkg.read_bytes() == before
    finally:
        shutil.rmtree(folder)
