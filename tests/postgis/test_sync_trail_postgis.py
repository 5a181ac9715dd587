"""The sync's records on a real PostGIS provincial database, with editors of two districts
(schema 12, review of issue 11): who recorded a conflict or a changeset and who resolved a
conflict is the login that did it; another district's editor cannot make a crew's sync
drop its held photo; a packaging whose server connection dies says so in one line."""

import uuid

import pytest
from roadinfra.core.sync import (
    Scope,
    SyncError,
    create_package,
    list_conflicts,
    resolve_conflicts,
    sync_package,
)

from tests.support.pg import editor_of, sql
from tests.support.sync import live_ids, ogr_insert, ogr_update, row
from tests.support.sync_pg import bridge_conflicts, held_office_photo

_COPY = ("INSERT INTO sync_conflict (changeset_id, replica_id, package_name, login, created_at, "
         "table_name, row_id, kind, fields, mine{extra}) SELECT changeset_id, replica_id, "
         "package_name, session_user, now(), table_name, row_id, kind, fields, mine{values} "
         "FROM sync_conflict WHERE id = %s RETURNING id")
_RESOLVED = (", status, resolved_at, resolved_by, resolution",
             ", 'resolved', now(), session_user, '{\"file_path\": \"theirs\"}'")


def test_no_other_login_makes_a_crews_sync_drop_its_held_photo(pg_server, province, tmp_path):
    """An editor of district 341 can add no copy of the 340 crew's photo conflict (neither
    resolved nor, since schema 13, open: the package is not its login's), so nothing it does
    makes the crew's next sync discard the held attachment. (A province-wide login may
    resolve the crew's conflict itself: its `theirs` is trusted, see
    test_sync_records_postgis.py.)"""
    _, ed340 = editor_of(pg_server, province, "340")
    _, ed341 = editor_of(pg_server, province, "341")
    pkg = tmp_path / "p.gpkg"
    create_package(ed340, Scope("area", "340"), str(pkg))
    bridge = live_ids(pkg, "bridge")[0]
    held = ogr_insert(pkg, "attachment", file_path="DCIM/IMG_0404.jpg", caption="mố cầu",
                      target_table="bridge", target_id=bridge, kind="photo",
                      district_code="340")
    [conflict] = sync_package(str(pkg), ed340)["conflicts"]
    assert conflict["kind"] == "photo"
    for extra, values in (_RESOLVED, ("", "")):
        with pytest.raises(Exception, match="row-level security"):
            sql(ed341, _COPY.format(extra=extra, values=values), (conflict["id"],))
    report = sync_package(str(pkg), ed340)
    assert report["photos"]["discarded"] == []
    assert row(pkg, "attachment", held)["deleted_at"] is None
    assert [c["id"] for c in report["conflicts"]] == [conflict["id"]]  # the crew's own
    [(status,)] = sql(province, "SELECT status FROM sync_conflict WHERE id = %s",
                      (conflict["id"],))
    assert status == "open"


def test_who_recorded_and_who_resolved_a_conflict_is_the_login_that_did_it(
        pg_server, province, tmp_path):
    """A conflict is added only open, unresolved and in one's own name; its login (and
    package, changeset) never changes; it is resolved in the resolving login's name, once;
    a sync_changeset row is added only in one's own name."""
    login340, ed340 = editor_of(pg_server, province, "340")
    _, ed341 = editor_of(pg_server, province, "341")
    create_package(ed341, Scope("area", "341"), str(tmp_path / "p341.gpkg"))
    pkg = tmp_path / "p.gpkg"
    [conflict] = bridge_conflicts(province, ed340, pkg, name="Tổ 340")
    [(bridge341,)] = sql(province, "SELECT id FROM bridge WHERE district_code = '341' LIMIT 1")
    insert = ("INSERT INTO sync_conflict (id, changeset_id, replica_id, login, created_at, "
              "table_name, row_id, kind, fields, mine) SELECT %s, gen_random_uuid(), "
              "id, {login}, now(), 'bridge', %s, 'field', '[\"spans\"]', "
              "'{{\"spans\": 9}}' FROM sync_replica WHERE created_by = session_user")
    own = str(uuid.uuid4())
    with pytest.raises(Exception, match="row-level security"):
        sql(ed341, insert.format(login="%s"), (own, login340, bridge341))
    assert sql(ed341, insert.format(login="session_user"), (own, bridge341)) == 1
    with pytest.raises(Exception, match="who recorded it .* never changes"):
        sql(ed341, "UPDATE sync_conflict SET login = %s WHERE id = %s", (login340, own))
    assert [c["id"] for c in list_conflicts(ed340)] == [conflict["id"]]

    with pytest.raises(Exception, match="in the resolving login's name"):
        sql(ed340, "UPDATE sync_conflict SET status = 'resolved', resolved_at = now(), "
                   "resolved_by = 'office', resolution = '{\"spans\": \"theirs\"}' "
                   "WHERE id = %s", (conflict["id"],))
    with pytest.raises(Exception, match="an open conflict holds no resolution"):
        sql(ed340, "UPDATE sync_conflict SET resolution = '{\"spans\": \"mine\"}' "
                   "WHERE id = %s", (conflict["id"],))
    _, office = editor_of(pg_server, province, "340")
    resolve_conflicts(office, [conflict["id"]], "theirs")
    before = sql(province, "SELECT * FROM sync_conflict WHERE id = %s", (conflict["id"],))
    for statement in (
            "UPDATE sync_conflict SET resolved_by = session_user, "
            "resolution = '{\"spans\": \"mine\"}' WHERE id = %s",
            "UPDATE sync_conflict SET status = 'open', resolved_by = NULL, "
            "resolved_at = NULL, resolution = NULL WHERE id = %s"):
        with pytest.raises(Exception, match="was resolved by .*: it never changes"):
            sql(ed340, statement, (conflict["id"],))
    assert sql(province, "SELECT * FROM sync_conflict WHERE id = %s",
               (conflict["id"],)) == before

    changeset = ("INSERT INTO sync_changeset (id, replica_id, package_name, login, applied_at, "
                 "digest_before, digest_after, summary) SELECT gen_random_uuid(), id, "
                 "'Tổ 341', {login}, now(), 'x', 'y', '{{}}' FROM sync_replica "
                 "WHERE created_by = session_user")
    with pytest.raises(Exception, match="row-level security"):
        sql(ed341, changeset.format(login="%s"), (login340,))
    assert sql(ed341, changeset.format(login="session_user")) == 1
    ogr_update(pkg, "bridge", live_ids(pkg, "bridge")[1], spans=21)
    assert sync_package(str(pkg), ed340)["sent"]["update"] == 1  # the crew syncs on


def test_packaging_whose_server_connection_dies_says_so_in_one_line(pg_server, province,
                                                                    tmp_path):
    """The connection killed while the tables are read: a one-line SyncError naming the
    server (its password masked), nothing left in the folder, no replica registered."""
    dbname = province.rsplit("/", 1)[1]
    target = pg_server.url(dbname, password="s3cret-pw")
    calls = []

    def progress(pct):
        calls.append(pct)
        if len(calls) == 5:
            sql(province, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s AND pid <> pg_backend_pid()", (dbname,))

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(SyncError) as caught:
        create_package(target, Scope("area", "340"), str(out / "p.gpkg"), progress=progress)
    message = str(caught.value)
    assert "\n" not in message and "s3cret-pw" not in message
    assert message.startswith(pg_server.url(dbname, password="***") + ": reading the "
                              "provincial database failed while packaging (")
    assert "nothing was written" in message
    assert list(out.iterdir()) == []
    assert sql(province, "SELECT count(*) FROM sync_replica") == [(0,)]


def test_a_held_photo_edit_refused_once_sent_closes_its_photo_conflict(pg_server, province,
                                                                       tmp_path):
    """The crew's held edit of an office photo outside its district (a route package),
    sent once its file is back, is refused by the server: the photo conflict is closed
    naming the refused conflict, which the crew may drop (take theirs)."""
    pytest.importorskip("PIL.Image")
    from tests.support.photos import jpeg

    (_, ed340), pkg, _ = held_office_photo(pg_server, province, tmp_path)
    [held] = sync_package(str(pkg), ed340)["conflicts"]
    assert held["kind"] == "photo"
    jpeg(pkg.parent / "DCIM" / "IMG_0500.jpg", colour=(9, 99, 199))
    report = sync_package(str(pkg), ed340)
    [refused] = report["refused"]
    assert report["conflicts"] == [] and report["photos"]["settled"] == 1
    [(status, resolution)] = sql(province, "SELECT status, resolution FROM sync_conflict "
                                           "WHERE id = %s", (held["id"],))
    assert (status, resolution) == ("resolved",
                                    {"file_path": f"refused conflict {refused['id']}"})
    resolve_conflicts(ed340, [refused["id"]], "theirs")
    assert list_conflicts(ed340) == []
