"""Interrupted syncs that leave the package's base as it was, shared by the GeoPackage and
PostGIS tiers: a sync with nothing to send (the base digest stays), or with only a
conflict, killed between the server's commit and the package's while the office writes
rows outside the package (the change log moves on). The next sync completes the job; a
position pushed ahead of the server's registration is still refused."""

import json
import os
import sqlite3

from roadinfra.core.db import open_database
from roadinfra.core.sync import Scope, create_package, open_package
from roadinfra.core.sync.faults import ENV

from .sync import cli, live_ids, ogr_update, row, rows


def _sync(pkg, server, kill=None):
    env = dict(os.environ)
    env.pop(ENV, None)
    if kill:
        env[ENV] = kill
    return cli("sync", str(pkg), "--db", str(server), "--json", env=env)


def _state(pkg, server):
    """(package digest, package position, registered digest, registered position)."""
    package = open_package(str(pkg))
    try:
        mine = (package.digest(), int(package.meta["package_base_change_id"]),
                package.replica_id)
    finally:
        package.close()
    [replica] = rows(server, "sync_replica", id=mine[2])
    return mine[0], mine[1], replica["base_digest"], int(replica["base_change_id"])


def _office_edit_outside(server, bridge, spans):
    with open_database(str(server)) as db:
        db.update("bridge", bridge, {"spans": spans}, user="office")


def same_base_killed(server, tmp, conflict: bool) -> None:
    pkg = tmp / "p.gpkg"
    create_package(str(server), Scope("area", "340"), str(pkg))
    mine = live_ids(pkg, "bridge")
    outside = [b for b in live_ids(server, "bridge") if b not in set(mine)][:3]
    if conflict:  # the crew's only change meets the office's: held, nothing sent
        ogr_update(pkg, "bridge", mine[0], spans=21)
        _office_edit_outside(server, mine[0], 31)
    _office_edit_outside(server, outside[0], 50)
    assert _sync(pkg, server, "after_server_commit").returncode == -9
    digest, position, registered_digest, registered = _state(pkg, server)
    assert position < registered
    # nothing sent: the same base; a held conflict: the row's base is the server's now
    assert (digest == registered_digest) is not conflict
    _office_edit_outside(server, outside[1], 51)  # the log moves on again
    done = _sync(pkg, server)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["replayed"] and report["applied"] == 0
    assert len(rows(server, "sync_changeset")) == 1
    assert len(rows(server, "sync_conflict")) == (1 if conflict else 0)
    assert row(pkg, "bridge", mine[0])["spans"] == row(server, "bridge", mine[0])["spans"]
    digest, position, registered_digest, registered = _state(pkg, server)
    assert (digest, position) == (registered_digest, registered)
    ogr_update(pkg, "bridge", mine[1], spans=23)  # and the crew goes on syncing
    after = _sync(pkg, server)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout)["applied"] == 1
    assert row(server, "bridge", mine[1])["spans"] == 23
    # a position pushed ahead of the registration still hides the server's changes: refused
    _office_edit_outside(server, outside[2], 52)
    ahead = _state(pkg, server)[3] + 5
    db = sqlite3.connect(pkg)
    with db:
        db.execute("UPDATE db_meta SET value = ? WHERE key = 'package_base_change_id'",
                   (str(ahead),))
    db.close()
    refused = _sync(pkg, server)
    assert refused.returncode == 2
    assert f"db_meta package_base_change_id {ahead} is not the change-log position" \
        in refused.stderr and "altered outside RoadInfra" in refused.stderr
