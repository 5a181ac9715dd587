"""Resolving sync conflicts against a GeoPackage provincial database (the sample province):
taking the package's side never overwrites what the server changed after the conflict was
recorded; a call is all or nothing."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from roadinfra.core.db import open_database  # noqa: E402
from roadinfra.core.sync import (  # noqa: E402
    Scope,
    SyncError,
    create_package,
    list_conflicts,
    resolve_conflicts,
    sync_package,
)

from tests.support.sync import live_ids, ogr_update, row  # noqa: E402

AREA = "340"



def _edit(server, table, row_id, values):
    with open_database(server) as db:
        current = db.fetch(table, where={"id": row_id}, include_deleted=True)[0]
        db.update(table, row_id, values, user="office", revision=current["revision"])


def test_take_mine_refuses_a_row_the_server_changed_since_the_conflict(province, tmp_path):
    b1, b2, b3 = live_ids(province, "bridge", AREA)[:3]
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", AREA), str(pkg))
    for bridge in (b1, b2, b3):
        ogr_update(pkg, "bridge", bridge, spans=7)
        _edit(province, "bridge", bridge, {"spans": 9})
    sync_package(str(pkg), province)
    ids = {c["row_id"]: c["id"] for c in list_conflicts(province)}
    assert set(ids) == {b1, b2, b3}

    _edit(province, "bridge", b1, {"spans": 12, "name": "Cầu mới"})  # after the conflict
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(province, [ids[b1]], "mine")
    message = str(caught.value)
    assert "field spans changed on the server since the conflict was recorded" in message
    assert "now 12" in message and "look again" in message and "\n" not in message
    assert row(province, "bridge", b1)["spans"] == 12

    with open_database(province) as db:  # deleted since
        current = db.fetch("bridge", where={"id": b2})[0]
        db.tombstone("bridge", b2, user="office", revision=current["revision"])
    with pytest.raises(SyncError) as caught:  # several at once: all or nothing
        resolve_conflicts(province, [ids[b3], ids[b1], ids[b2]], "mine")
    lines = str(caught.value).splitlines()
    assert len(lines) == 3 and "field spans" in lines[0] and "deleted on the server" in lines[1]
    assert "nothing resolved" in lines[2]
    assert row(province, "bridge", b3)["spans"] == 9  # not written
    assert row(province, "bridge", b2)["deleted_at"] is not None  # not restored
    assert {c["row_id"] for c in list_conflicts(province)} == {b1, b2, b3}

    assert resolve_conflicts(province, [ids[b3]], "mine")[0]["applied"] == {"spans": 7}
    assert row(province, "bridge", b3)["spans"] == 7
    resolve_conflicts(province, [ids[b1], ids[b2]], "theirs")  # keeps the server's values
    assert row(province, "bridge", b1)["spans"] == 12 and not list_conflicts(province)
