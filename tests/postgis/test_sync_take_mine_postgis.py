"""Taking ``mine`` on a real PostGIS provincial database (schema 14, third hostile review of
issue 11): the database holds the rule ``roadinfra conflicts resolve`` applies: a
resolution takes the package's values only by a login that may edit the conflict's row;
the login whose sync recorded a conflict outside its area only drops its own change.
Every test runs on a database made at the current version and on one made at version 13
and upgraded."""

import json

import pytest
from roadinfra.core.db import create_database, upgrade_database
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.schema import SCHEMA_VERSION
from roadinfra.core.schema.tables import SYNC_TAKE_MINE
from roadinfra.core.sync import SyncError, list_conflicts, resolve_conflicts, sync_package

from tests.support.pg import editor_of, sql
from tests.support.sync_pg import bridge_conflicts, held_office_photo, outside_field_conflict

_RESOLVE = ("UPDATE sync_conflict SET status = 'resolved', resolved_by = session_user, "
            "resolution = %s WHERE id = %s")


@pytest.fixture(params=["create", "upgrade"])
def province(request, pg_database):
    """The sample province at the current schema version, or made at version 13 (before
    SYNC_TAKE_MINE) and upgraded."""
    version = SCHEMA_VERSION if request.param == "create" else SYNC_TAKE_MINE - 1
    with create_database(pg_database, version=version) as db:
        load_sample_data(db)
    if request.param == "upgrade":
        assert upgrade_database(pg_database) == (SYNC_TAKE_MINE - 1, SCHEMA_VERSION)
    return pg_database


def test_the_recorder_outside_the_rows_district_cannot_record_mine_by_sql(
        pg_server, province, tmp_path):
    """The CLI refuses the crew's --take mine on the 338 culvert; plain SQL as the crew
    cannot record a resolution naming mine either (any field, any case, nested), with a
    message naming the conflict, table, row code and district. The crew may still drop its
    change (theirs); a 338 editor may take mine."""
    (login340, ed340), ed338, conflict, culvert = outside_field_conflict(pg_server, province,
                                                                    tmp_path)
    with pytest.raises(SyncError, match="district 338, which this login may not edit"):
        resolve_conflicts(ed340, [conflict["id"]], "mine")
    [(code,)] = sql(province, "SELECT code FROM culvert WHERE id = %s", (culvert,))
    for resolution in ({"cells": "mine"}, {"cells": " MINE"}, {"cells": {"take": "Mine"}},
                       "mine"):
        with pytest.raises(Exception) as caught:
            sql(ed340, _RESOLVE, (json.dumps(resolution), conflict["id"]))
        message = str(caught.value).splitlines()[0]
        assert f"conflict {conflict['id']} (culvert {code}) taking mine" in message
        assert "district 338, which this login may not edit" in message
    assert sql(province, "SELECT status FROM sync_conflict WHERE id = %s",
               (conflict["id"],)) == [("open",)]
    assert [c["id"] for c in list_conflicts(ed338) if c["row_id"] == culvert] == \
        [conflict["id"]]
    [done] = resolve_conflicts(ed338, [conflict["id"]], "mine")
    assert done["applied"] == {"cells": 3}
    assert sql(province, "SELECT cells FROM culvert WHERE id = %s", (culvert,)) == [(3,)]


def test_the_recorder_outside_its_area_may_drop_its_own_change_by_sql(
        pg_server, province, tmp_path):
    """What the CLI lets the crew do on a row outside its area (take theirs) the database
    lets it do by SQL too; the row keeps the server's value."""
    (login340, ed340), _, conflict, culvert = outside_field_conflict(pg_server, province,
                                                                tmp_path)
    assert sql(ed340, _RESOLVE, (json.dumps({"cells": "theirs"}), conflict["id"])) == 1
    assert sql(province, "SELECT status, resolved_by FROM sync_conflict WHERE id = %s",
               (conflict["id"],)) == [("resolved", login340)]
    assert sql(province, "SELECT cells FROM culvert WHERE id = %s", (culvert,)) == [(5,)]


def test_the_recorder_in_its_own_district_takes_mine_by_sql_and_cli(pg_server, province,
                                                                    tmp_path):
    """On a row of its own district the crew may take mine, through the CLI as by SQL."""
    _, ed340 = editor_of(pg_server, province, "340")
    first, second = bridge_conflicts(province, ed340, tmp_path / "p.gpkg", count=2)
    assert sql(ed340, _RESOLVE, (json.dumps({"spans": "mine"}), first["id"])) == 1
    [done] = resolve_conflicts(ed340, [second["id"]], "mine")
    assert done["applied"] == {"spans": 33}
    assert sql(province, "SELECT status FROM sync_conflict WHERE id = %s",
               (first["id"],)) == [("resolved",)]


def test_a_sync_closes_its_own_photo_conflict_outside_its_area_without_mine(
        pg_server, province, tmp_path):
    """The crew's package holds back its edit of an office photo of a culvert outside
    district 340 (its file missing): a photo conflict of the crew's own. The office sets
    the server's row to the very photo the crew then puts back; the crew's sync sends the
    edit (its caption), which the server refuses: the photo conflict is closed naming the
    refused conflict, not as mine (which only an editor of the row's district may record),
    and the sync goes through."""
    pytest.importorskip("PIL.Image")
    import shutil

    from roadinfra.core.photos import file_sha256, store_file

    from tests.support.photos import jpeg

    (_, ed340), pkg, photo = held_office_photo(pg_server, province, tmp_path)
    [held] = sync_package(str(pkg), ed340)["conflicts"]
    assert held["kind"] == "photo"
    same = jpeg(tmp_path / "in" / "same.jpg", colour=(9, 99, 199))
    store = tmp_path / "kho_anh"
    stored = store_file(same, store, file_sha256(same), ".jpg")
    sql(province, "UPDATE attachment SET file_path = %s WHERE id = %s",
        (stored.relative_to(store).as_posix(), photo["id"]))
    (pkg.parent / "DCIM").mkdir()
    shutil.copyfile(same, pkg.parent / "DCIM" / "IMG_0500.jpg")
    report = sync_package(str(pkg), ed340)
    [refused] = report["refused"]
    assert report["photos"]["settled"] == 1
    named = {"file_path": f"refused conflict {refused['id']}"}
    assert sql(province, "SELECT status, resolution FROM sync_conflict WHERE id = %s",
               (held["id"],)) == [("resolved", named)]
