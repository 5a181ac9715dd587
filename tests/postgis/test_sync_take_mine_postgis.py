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
from roadinfra.core.sync import (
    Scope,
    SyncError,
    create_package,
    list_conflicts,
    resolve_conflicts,
    sync_package,
)

from tests.support.pg import editor_of, sql
from tests.support.sync import live_ids, ogr_update, row

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


def _conflict_outside(pg_server, province, tmp_path):
    """Crew 340's route package (QL10 crosses districts) edits a district-338 culvert the
    office changed too: a field conflict its sync records on a row outside its area.
    (the crew's login and URL, a 338 editor's URL, the conflict, the culvert's id)."""
    login340, ed340 = editor_of(pg_server, province, "340")
    _, ed338 = editor_of(pg_server, province, "338")
    pkg = tmp_path / "p.gpkg"
    create_package(ed340, Scope("route", "QL10"), str(pkg), name="QL10")
    culvert = next(r for r in live_ids(pkg, "culvert")
                   if row(pkg, "culvert", r)["district_code"] == "338")
    ogr_update(pkg, "culvert", culvert, cells=3)
    sql(province, "UPDATE culvert SET cells = 5 WHERE id = %s", (culvert,))
    [conflict] = sync_package(str(pkg), ed340)["conflicts"]
    assert conflict["kind"] == "field" and conflict["fields"] == ["cells"]
    return (login340, ed340), ed338, conflict, culvert


def test_the_recorder_outside_the_rows_district_cannot_record_mine_by_sql(
        pg_server, province, tmp_path):
    """The CLI refuses the crew's --take mine on the 338 culvert; plain SQL as the crew
    cannot record a resolution naming mine either (any field, any case, nested), with a
    message naming the conflict, table, row code and district. The crew may still drop its
    change (theirs); a 338 editor may take mine."""
    (login340, ed340), ed338, conflict, culvert = _conflict_outside(pg_server, province,
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
    (login340, ed340), _, conflict, culvert = _conflict_outside(pg_server, province,
                                                                tmp_path)
    assert sql(ed340, _RESOLVE, (json.dumps({"cells": "theirs"}), conflict["id"])) == 1
    assert sql(province, "SELECT status, resolved_by FROM sync_conflict WHERE id = %s",
               (conflict["id"],)) == [("resolved", login340)]
    assert sql(province, "SELECT cells FROM culvert WHERE id = %s", (culvert,)) == [(5,)]


def test_the_recorder_in_its_own_district_takes_mine_by_sql_and_cli(pg_server, province,
                                                                    tmp_path):
    """On a row of its own district the crew may take mine, through the CLI as by SQL."""
    _, ed340 = editor_of(pg_server, province, "340")
    pkg = tmp_path / "p.gpkg"
    create_package(ed340, Scope("area", "340"), str(pkg))
    first, second = live_ids(pkg, "bridge")[:2]
    for bridge, spans in ((first, 33), (second, 34)):
        ogr_update(pkg, "bridge", bridge, spans=spans)
        sql(province, "UPDATE bridge SET spans = 44 WHERE id = %s", (bridge,))
    by_row = {c["row_id"]: c for c in sync_package(str(pkg), ed340)["conflicts"]}
    assert sql(ed340, _RESOLVE, (json.dumps({"spans": "mine"}), by_row[first]["id"])) == 1
    [done] = resolve_conflicts(ed340, [by_row[second]["id"]], "mine")
    assert done["applied"] == {"spans": 34}
