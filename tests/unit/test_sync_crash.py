"""A sync killed (SIGKILL, no clean-up) at many points leaves the province and the package
consistent, and the next sync completes the job with nothing lost and nothing applied
twice: the end state equals a sync that was never interrupted.

The default run kills at every named point and at a few row writes; set
``ROADINFRA_SYNC_CRASH_SWEEP=1`` to kill before every row written on the server."""

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from roadinfra.core.db import create_database, open_database  # noqa: E402
from roadinfra.core.photos import attach_photo, photo_path  # noqa: E402
from roadinfra.core.sample_data import load_sample_data  # noqa: E402
from roadinfra.core.schema import TABLES  # noqa: E402
from roadinfra.core.sync import Scope, create_package, open_package  # noqa: E402
from roadinfra.core.sync.faults import ENV, POINTS  # noqa: E402
from roadinfra.core.sync.package import local_changes  # noqa: E402
from roadinfra.core.sync.values import SYNC_TABLES, canonical  # noqa: E402
from shapely.affinity import translate  # noqa: E402

from tests.support.photos import jpeg  # noqa: E402
from tests.support.sync import cli, live_ids, live_keys, ogr_delete, ogr_insert, ogr_update, row  # noqa: E402

#: rows the prepared sync writes on the server: 9 edits and inserts, a deleted culvert and
#: its 4 children tombstoned with it (an inspection and its component ratings)
CHILDREN = 4
EDITS = 10 + CHILDREN
FOLDERS = ("province.gpkg.photos", "package.gpkg.photos", "DCIM")  # photos beside the files


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A province and a package with edits on both sides (updates, a delete with children,
    an insert, a conflict, photos attached through the API and as a form writes a plain file, a
    photo added in the office), ready to sync."""
    root = tmp_path_factory.mktemp("crash")
    server, pkg = root / "province.gpkg", root / "package.gpkg"
    with create_database(server) as db:
        load_sample_data(db)
    create_package(str(server), Scope("area", "340"), str(pkg))
    bridges = live_ids(pkg, "bridge")
    for i, bridge in enumerate(bridges[:5]):
        ogr_update(pkg, "bridge", bridge, spans=30 + i, name=f"Cầu sửa {i}")
    culverts = live_ids(pkg, "culvert")
    live = live_keys(pkg)
    ogr_delete(pkg, "culvert", culverts[0])
    assert len(live - live_keys(pkg)) == 1 + CHILDREN
    base = row(pkg, "culvert", culverts[1])
    ogr_insert(pkg, "culvert", code="CU-340-777", district_code="340",
               route_id=base["route_id"], culvert_type="PIPE", geom=translate(base["geom"], 9, 9))
    ogr_update(pkg, "culvert", culverts[2], material="STEEL")
    ogr_update(pkg, "bridge", bridges[6], spans=2)
    with open_database(pkg) as db:
        attach_photo(db, "bridge", bridges[0], jpeg(root / "in" / "api.jpg"))
    ogr_insert(pkg, "attachment", target_table="bridge", target_id=bridges[1], kind="photo",
               district_code="340", file_path="DCIM/IMG_0001.jpg", geom=base["geom"])
    jpeg(root / "DCIM" / "IMG_0001.jpg", colour=(0, 80, 160))
    with open_database(server) as db:
        db.update("bridge", bridges[6], {"spans": 5}, user="office")  # a conflict
        db.update("bridge", bridges[7], {"name": "Cầu văn phòng"}, user="office")
        attach_photo(db, "bridge", bridges[2], jpeg(root / "in" / "office.jpg", colour=(9, 9, 9)))
    reference = root / "reference"
    reference.mkdir()
    done = _sync(_copy(server, pkg, reference))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["applied"] == EDITS and len(report["conflicts"]) == 1
    return server, pkg, _state(*_copy(server, pkg, reference, copy=False))


def _copy(server, pkg, folder, copy=True):
    out = (folder / "province.gpkg", folder / "package.gpkg")
    if copy:
        shutil.copyfile(server, out[0])
        shutil.copyfile(pkg, out[1])
        for name in FOLDERS:
            if (Path(server).parent / name).is_dir():
                shutil.copytree(Path(server).parent / name, folder / name)
    return out


def _sync(paths, kill=None):
    env = dict(os.environ)
    env.pop(ENV, None)
    if kill:
        env[ENV] = kill
    return cli("sync", str(paths[1]), "--db", str(paths[0]), "--json", env=env)


def _rows(path):
    out = {}
    with open_database(path) as db:
        for name in SYNC_TABLES:
            for r in db.fetch(name, include_deleted=True):
                out[(name, r["id"])] = (canonical(TABLES[name], r), r["deleted_at"] is None)
    return out


def _state(server, pkg):
    with open_database(server) as db:
        conflicts = sorted((c["table_name"], c["row_id"], c["kind"], tuple(c["fields"]))
                           for c in db.fetch("sync_conflict"))
        changesets = db.count("sync_changeset")
    return {"server": _rows(server), "package": _rows(pkg), "conflicts": conflicts,
            "changesets": changesets, "photos": _photos(server, pkg)}


def _photos(server, pkg):
    """Every attachment's file on both sides, checked against its sha256 name, and the
    stores' files (an orphan or a second copy would show)."""
    out = {}
    for path in (server, pkg):
        with open_database(path) as db:
            for r in db.fetch("attachment"):
                found = photo_path(db, r)
                assert hashlib.sha256(found.read_bytes()).hexdigest() == found.stem
            store = Path(str(path) + ".photos")
            out[path.name] = sorted(p.relative_to(store).as_posix()
                                    for p in store.rglob("*") if p.is_file())
    return out


def _points():
    if os.environ.get("ROADINFRA_SYNC_CRASH_SWEEP"):
        return list(POINTS) + [f"row:{n}" for n in range(1, EDITS + 1)]
    return list(POINTS) + ["row:1", f"row:{EDITS // 2}", f"row:{EDITS}"]


@pytest.mark.parametrize("kill", _points())
def test_a_killed_sync_loses_nothing_and_the_next_completes(prepared, tmp_path, kill):
    server0, pkg0, expected = prepared
    paths = _copy(server0, pkg0, tmp_path)
    killed = _sync(paths, kill)
    assert killed.returncode == -9, (killed.returncode, killed.stderr)
    # both sides are consistent right after the kill: they open, and either the server has
    # the whole changeset or none of it; the package's edits are all still there
    package = open_package(str(paths[1]))  # also checks integrity and the base digest
    pending = len(local_changes(package))
    package.close()
    with open_database(paths[0]) as db:
        db.check_integrity()
        committed = db.count("sync_changeset")
    assert committed in (0, 1)
    if committed == 0:
        assert pending == EDITS + 1  # the conflicting edit too
        assert _rows(paths[0]) == _rows(server0)
    done = _sync(paths)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    if kill in ("after_server_commit", "package_written"):
        assert report["replayed"] and report["applied"] == 0
    state = _state(*paths)
    # a sync that had finished before the kill: the next one is an empty changeset of its own
    assert state.pop("changesets") == 1 + (kill == "after_package_commit")
    assert state == {k: v for k, v in expected.items() if k != "changesets"}
    again = json.loads(_sync(paths).stdout)  # and the one after has nothing to do
    assert again["applied"] == 0 and again["sent"] == {"insert": 0, "update": 0, "delete": 0}


def test_recovery_finds_the_changeset_by_digest_not_by_a_skewed_clock(prepared, tmp_path):
    """A changeset stamped by a laptop clock ahead of time (before schema 13 the client
    wrote applied_at) is not taken for the one a killed sync committed: the recovery
    sync finds that one by the package's base digest and completes."""
    import sqlite3

    server0, pkg0, _ = prepared
    paths = _copy(server0, pkg0, tmp_path)
    first = _sync(paths)
    assert first.returncode == 0, first.stderr
    ogr_update(paths[1], "bridge", live_ids(paths[1], "bridge")[3], spans=44)
    killed = _sync(paths, "after_server_commit")
    assert killed.returncode == -9, (killed.returncode, killed.stderr)
    with sqlite3.connect(paths[0]) as con:
        skewed = con.execute("UPDATE sync_changeset SET applied_at = '2099-01-01T00:00:00Z' "
                             "WHERE id = ?", (json.loads(first.stdout)["changeset"],))
        assert skewed.rowcount == 1
    con.close()
    done = _sync(paths)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["replayed"] and report["behind"] and report["applied"] == 0
