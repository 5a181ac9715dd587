"""The sync's records on a real PostGIS provincial database (schema 13, second hostile review
of issue 11): no login records a conflict or a changeset on another crew's package; a sync
settles only the photo conflicts its login may close; what a conflict records never
changes and its time stamps are the server's; a read-only login's sync is a one-line
refusal."""

import os
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
from roadinfra.core.sync.faults import ENV

from tests.support.pg import editor_of, sql
from tests.support.sync import cli, live_ids, ogr_update, row
from tests.support.sync_pg import bridge_conflicts, held_office_photo, set_photo_store

_CONFLICT = ("INSERT INTO sync_conflict (changeset_id, replica_id, package_name, login, "
             "created_at, table_name, row_id, kind, fields, mine) VALUES (gen_random_uuid(), "
             "%s, 'Tổ 340', session_user, {created}, 'attachment', %s, 'photo', "
             "'[\"file_path\"]', '{{\"district_code\": \"341\", \"file_path\": \"x.jpg\"}}') "
             "RETURNING id::text")
_CHANGESET = ("INSERT INTO sync_changeset (id, replica_id, package_name, login, applied_at, "
              "digest_before, digest_after, summary) VALUES (gen_random_uuid(), %s, 'Tổ 340', "
              "session_user, {applied}, 'x', 'y', '{{}}') "
              "RETURNING applied_at < now() + interval '1 hour'")


def _viewer_of(pg_server, url):
    name = f"vw_{uuid.uuid4().hex[:8]}"
    sql(url, f'CREATE ROLE "{name}" LOGIN IN ROLE roadinfra_viewer')  # test-made name
    return name, pg_server.url(url.rsplit("/", 1)[1], user=name)


def _replica(url):
    [(replica,)] = sql(url, "SELECT id::text FROM sync_replica")
    return replica


def test_no_editor_records_a_conflict_or_changeset_on_another_crews_package(
        pg_server, province, tmp_path):
    """An editor of district 341 can add neither an open conflict nor a changeset naming the
    340 crew's package (its replica): the crew's syncs and its crash recovery cannot be
    blocked that way. The crew records on its own package; a province-wide login on any."""
    _, ed340 = editor_of(pg_server, province, "340")
    _, ed341 = editor_of(pg_server, province, "341")
    _, office = editor_of(pg_server, province, "*")
    pkg = tmp_path / "p.gpkg"
    create_package(ed340, Scope("area", "340"), str(pkg), name="Tổ 340")
    replica = _replica(province)
    [(att341,)] = sql(province, "SELECT gen_random_uuid()::text")
    for statement in (_CONFLICT.format(created="now()"), _CHANGESET.format(applied="now()")):
        params = (replica, att341) if "sync_conflict" in statement else (replica,)
        with pytest.raises(Exception, match="row-level security"):
            sql(ed341, statement, params)
    assert sql(office, _CHANGESET.format(applied="now()"), (replica,)) == [(True,)]
    assert len(sql(ed340, _CONFLICT.format(created="now()"), (replica, att341))) == 1

    env = dict(os.environ, **{ENV: "after_server_commit"})
    ogr_update(pkg, "bridge", live_ids(pkg, "bridge")[0], spans=7)
    killed = cli("sync", str(pkg), "--db", ed340, env=env)
    assert killed.returncode != 0
    with pytest.raises(Exception, match="row-level security"):
        sql(ed341, _CHANGESET.format(applied="now() + interval '1 day'"), (replica,))
    recovered = sync_package(str(pkg), ed340)
    assert recovered["behind"] and recovered["replayed"]


def test_the_server_sets_the_time_stamps_of_the_sync_records(pg_server, province, tmp_path):
    """applied_at of a changeset and created_at of a conflict are the server's time, whoever
    inserts them (the database's owner too): a crash recovery never depends on a client's
    clock."""
    _, ed340 = editor_of(pg_server, province, "340")
    create_package(ed340, Scope("area", "340"), str(tmp_path / "p.gpkg"))
    replica = _replica(province)
    for url in (ed340, province):
        assert sql(url, _CHANGESET.format(applied="now() + interval '1 day'"),
                   (replica,)) == [(True,)]
    [(conflict,)] = sql(ed340, _CONFLICT.format(created="'2099-01-01'"),
                        (replica, str(uuid.uuid4())))
    assert sql(province, "SELECT created_at < now() + interval '1 hour' FROM sync_conflict "
                         "WHERE id = %s", (conflict,)) == [(True,)]


def test_a_sync_leaves_open_the_photo_conflicts_another_login_recorded_it_may_not_close(
        pg_server, province, tmp_path):
    """A crew's route package points an office photo of a culvert in another district at a
    missing file; the office syncs the package once with its province-wide login (a photo
    conflict recorded by the office); the crew puts the file back: its syncs go through
    (the edit is refused by the server, a refused conflict), the office's photo conflict
    stays open for the office, and the crew's count of open conflicts is its own."""
    pytest.importorskip("PIL.Image")
    from tests.support.photos import jpeg

    (login340, ed340), pkg, _ = held_office_photo(pg_server, province, tmp_path)
    office_login, office = editor_of(pg_server, province, "*")
    [held] = sync_package(str(pkg), office)["conflicts"]
    assert held["kind"] == "photo"
    jpeg(pkg.parent / "DCIM" / "IMG_0500.jpg", colour=(9, 99, 199))
    first = sync_package(str(pkg), ed340)
    [refused] = first["refused"]
    assert first["photos"]["settled"] == 0 and first["open_conflicts"] == 1
    second = sync_package(str(pkg), ed340)  # goes through again
    assert second["photos"]["settled"] == 0 and second["open_conflicts"] == 1
    assert sql(province, "SELECT status, login FROM sync_conflict WHERE id = %s",
               (held["id"],)) == [("open", office_login)]
    assert [c["id"] for c in list_conflicts(ed340)] == [refused["id"]]
    resolve_conflicts(office, [held["id"]], "theirs")
    resolve_conflicts(ed340, [refused["id"]], "theirs")
    assert list_conflicts(ed340) == [] and login340 != office_login


def test_what_a_conflict_records_never_changes_and_a_resolved_one_not_at_all(
        pg_server, province, tmp_path):
    """While open only a resolve writes a conflict (its status, resolver, resolution; the
    server's time); once resolved nothing of it changes, for the recording crew and for
    another editor of its district."""
    _, ed340 = editor_of(pg_server, province, "340")
    _, office = editor_of(pg_server, province, "340")
    _, other340 = editor_of(pg_server, province, "340")
    [conflict] = bridge_conflicts(province, ed340, tmp_path / "p.gpkg")
    rewrite = ("UPDATE sync_conflict SET mine = '{\"spans\": 44}', theirs = '{\"spans\": 33}', "
               "created_at = '2020-01-01', message = 'rewritten' WHERE id = %s")
    for url in (ed340, other340):
        with pytest.raises(Exception, match="what it records .*never changes"):
            sql(url, rewrite, (conflict["id"],))
        with pytest.raises(Exception, match="what it records .*never changes"):
            sql(url, "UPDATE sync_conflict SET row_id = gen_random_uuid() WHERE id = %s",
                (conflict["id"],))
    assert sql(office, "UPDATE sync_conflict SET status = 'resolved', resolved_by = "
                       "session_user, resolved_at = '2020-01-01', resolution = "
                       "'{\"spans\": \"theirs\"}' WHERE id = %s", (conflict["id"],)) == 1
    assert sql(province, "SELECT resolved_at > now() - interval '1 hour' FROM sync_conflict "
                         "WHERE id = %s", (conflict["id"],)) == [(True,)]
    before = sql(province, "SELECT * FROM sync_conflict WHERE id = %s", (conflict["id"],))
    for url in (ed340, other340, office):
        for statement in (rewrite, "UPDATE sync_conflict SET resolved_at = now() - "
                                   "interval '1 day' WHERE id = %s"):
            with pytest.raises(Exception, match="was resolved by .*: it never changes"):
                sql(url, statement, (conflict["id"],))
    assert sql(province, "SELECT * FROM sync_conflict WHERE id = %s",
               (conflict["id"],)) == before


def test_a_read_only_login_syncing_is_refused_in_one_line(pg_server, province, tmp_path):
    """A roadinfra_viewer login syncing a package with an edit: one line naming the server
    and the login's read-only role, nothing written, no traceback."""
    viewer_login, viewer = _viewer_of(pg_server, province)
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    ogr_update(pkg, "bridge", live_ids(pkg, "bridge")[0], spans=77)
    with pytest.raises(SyncError) as caught:
        sync_package(str(pkg), viewer)
    message = str(caught.value)
    assert "\n" not in message and viewer_login in message
    assert "roadinfra_viewer" in message and "read-only" in message
    assert province.rsplit("/", 1)[1] in message and "nothing was changed" in message
    done = cli("sync", str(pkg), "--db", viewer)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert sql(province, "SELECT count(*) FROM sync_changeset") == [(0,)]


def test_the_offices_take_theirs_on_a_photo_conflict_it_recorded_holds_for_the_crew(
        pg_server, province, tmp_path):
    """The office syncs the crew's package with its province-wide login: the crew's edit of
    an office photo points at a missing file, a photo conflict recorded by the office. The
    office takes theirs: the crew's next sync drops the held edit (the package takes the
    server's row) and records no new conflict."""
    pytest.importorskip("PIL.Image")
    from roadinfra.core.db import open_database
    from roadinfra.core.photos import attach_photo

    from tests.support.photos import jpeg

    set_photo_store(province, tmp_path)
    _, ed340 = editor_of(pg_server, province, "340")
    _, office = editor_of(pg_server, province, "*")
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    create_package(ed340, Scope("area", "340"), str(pkg))
    culvert = live_ids(pkg, "culvert")[0]
    with open_database(province) as db:
        photo = attach_photo(db, "culvert", culvert, jpeg(tmp_path / "in" / "o.jpg"),
                             user="office")
    sync_package(str(pkg), ed340)  # the package gets the office's photo
    ogr_update(pkg, "attachment", photo["id"], file_path="DCIM/IMG_0500.jpg", caption="tổ")
    [held] = [c for c in sync_package(str(pkg), office)["conflicts"] if c["kind"] == "photo"]
    resolve_conflicts(office, [held["id"]], "theirs")
    crew = sync_package(str(pkg), ed340)
    assert len(crew["photos"]["discarded"]) == 1 and crew["conflicts"] == []
    assert crew["open_conflicts"] == 0
    assert row(pkg, "attachment", photo["id"])["caption"] != "tổ"
