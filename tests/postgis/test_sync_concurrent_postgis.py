"""Syncs, resolves and office edits at the same time on PostGIS: a deleted parent's children
and a new row's parent are decided on locked rows, and a photo two crews attach at once is
attached once. Each case holds one side open at a known point (a sync just before its
server commit, an office transaction before its commit), starts the other, waits until
that one either finished or waits for a lock (``pg_locks``), then lets the first commit:
deterministic, no timing."""

import shutil
import threading

import pytest
from roadinfra.core.db import open_database
from roadinfra.core.photos import attach_photo
from roadinfra.core.sync import (
    Scope,
    create_package,
    faults,
    locks,
    resolve_conflicts,
    sync_package,
)
from roadinfra.core.sync.errors import SyncError

from tests.support.held import Held, lock_waits, run_against, start_held
from tests.support.pg import editor_of, sql
from tests.support.photos import jpeg
from tests.support.sync import live_ids, ogr_delete, ogr_insert, ogr_update, rows
from tests.support.sync_pg import set_photo_store


@pytest.fixture
def held_at(monkeypatch):
    """Holds every ``Held`` thread at its ``hold`` fault point."""
    real = faults.point

    def point(name):
        me = threading.current_thread()
        if isinstance(me, Held) and me.hold == name:
            me.pause()
        real(name)
    monkeypatch.setattr(faults, "point", point)


def _two_crews(pg_server, province, tmp_path):
    _, a = editor_of(pg_server, province, "340")
    _, b = editor_of(pg_server, province, "340")
    pa, pb = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    create_package(a, Scope("area", "340"), str(pa), name="crew A")
    create_package(b, Scope("area", "340"), str(pb), name="crew B")
    return (pa, a), (pb, b)


def _new_inspection(package, culvert):
    scheme = next(r["scheme"] for r in rows(package, "inspection") if r.get("scheme"))
    return ogr_insert(package, "inspection", culvert_id=culvert, inspection_date="2026-11-25",
                      scheme=scheme, overall_rating=3, notes="crew B, offline",
                      district_code="340")


def _state(province, table, row_id):
    found = sql(province, f"SELECT deleted_at IS NOT NULL FROM {table} "  # noqa: S608 # test's table
                "WHERE id = %s", (row_id,))
    return None if not found else ("deleted" if found[0][0] else "live")


def _open_conflicts(province):
    return sorted((t, k) for t, k in sql(
        province, "SELECT table_name, kind FROM sync_conflict WHERE status = 'open'"))


def test_a_child_synced_while_another_crew_deletes_its_parent_is_kept(
        pg_server, province, tmp_path, held_at):
    (pa, a), (pb, b) = _two_crews(pg_server, province, tmp_path)
    culvert = live_ids(pa, "culvert", "340")[0]
    child = _new_inspection(pb, culvert)
    ogr_delete(pa, "culvert", culvert)
    slow = start_held(lambda t: sync_package(str(pb), b), "before_server_commit")
    fast = run_against(province, lambda t: sync_package(str(pa), a))
    slow.release()
    fast.join(300)
    assert slow.error is None and fast.error is None, (slow.error, fast.error)
    # crew A's delete met crew B's inspection, new to it: a conflict, both kept
    assert [c["kind"] for c in fast.result["conflicts"]] == ["edit_delete"]
    assert fast.result["sent"]["delete"] == 0
    assert (_state(province, "culvert", culvert), _state(province, "inspection", child)) == \
        ("live", "live")


def test_a_child_synced_while_another_crew_deletes_its_parent_first_is_not_inserted(
        pg_server, province, tmp_path, held_at):
    (pa, a), (pb, b) = _two_crews(pg_server, province, tmp_path)
    culvert = live_ids(pa, "culvert", "340")[0]
    child = _new_inspection(pb, culvert)
    ogr_delete(pa, "culvert", culvert)
    slow = start_held(lambda t: sync_package(str(pa), a), "before_server_commit")
    fast = run_against(province, lambda t: sync_package(str(pb), b))
    slow.release()
    fast.join(300)
    assert slow.error is None and fast.error is None, (slow.error, fast.error)
    assert slow.result["sent"]["delete"] > 0
    assert [c["kind"] for c in fast.result["conflicts"]] == ["edit_delete"]
    assert fast.result["sent"]["insert"] == 0
    assert (_state(province, "culvert", culvert), _state(province, "inspection", child)) == \
        ("deleted", None)


def test_an_office_delete_at_the_same_time_keeps_a_new_child_off_the_server(
        pg_server, province, tmp_path, held_at):
    (_, _), (pb, b) = _two_crews(pg_server, province, tmp_path)
    culvert = live_ids(pb, "culvert", "340")[0]
    child = _new_inspection(pb, culvert)

    def office(thread):
        with open_database(province) as db, db.transaction():
            db.tombstone("culvert", culvert, user="office")
            thread.pause()

    held = start_held(office)
    crew = run_against(province, lambda t: sync_package(str(pb), b))
    held.release()
    crew.join(300)
    assert held.error is None and crew.error is None, (held.error, crew.error)
    assert [c["kind"] for c in crew.result["conflicts"]] == ["edit_delete"]
    assert (_state(province, "culvert", culvert), _state(province, "inspection", child)) == \
        ("deleted", None)


def test_an_office_child_added_at_the_same_time_keeps_its_parent(
        pg_server, province, tmp_path, held_at):
    (pa, a), _ = _two_crews(pg_server, province, tmp_path)
    culvert = live_ids(pa, "culvert", "340")[0]
    ogr_delete(pa, "culvert", culvert)
    scheme = next(r["scheme"] for r in rows(pa, "inspection") if r.get("scheme"))
    added = {}

    def office(thread):
        with open_database(province) as db, db.transaction():
            added["id"] = db.insert("inspection", [{
                "culvert_id": culvert, "inspection_date": "2026-11-26", "scheme": scheme,
                "overall_rating": 2, "notes": "office", "district_code": "340"}],
                user="office")[0]
            thread.pause()

    held = start_held(office)
    crew = run_against(province, lambda t: sync_package(str(pa), a))
    held.release()
    crew.join(300)
    assert held.error is None and crew.error is None, (held.error, crew.error)
    assert [c["kind"] for c in crew.result["conflicts"]] == ["edit_delete"]
    assert (_state(province, "culvert", culvert),
            _state(province, "inspection", added["id"])) == ("live", "live")


def test_taking_a_delete_while_a_crew_adds_a_child_is_refused(
        pg_server, province, tmp_path, held_at):
    (pa, a), (pb, b) = _two_crews(pg_server, province, tmp_path)
    culvert = live_ids(pa, "culvert", "340")[0]
    ogr_delete(pa, "culvert", culvert)
    with open_database(province) as db:  # the office edits it: crew A's delete conflicts
        db.update("culvert", culvert, {"cells": 4}, user="office")
    assert [c["kind"] for c in sync_package(str(pa), a)["conflicts"]] == ["edit_delete"]
    [conflict] = sql(province, "SELECT id::text FROM sync_conflict WHERE status = 'open'")
    child = _new_inspection(pb, culvert)
    slow = start_held(lambda t: sync_package(str(pb), b), "before_server_commit")
    resolve = run_against(province,
                           lambda t: resolve_conflicts(province, [conflict[0]], "mine"))
    slow.release()
    resolve.join(300)
    assert slow.error is None
    assert isinstance(resolve.error, SyncError), resolve.result
    assert "rows under it added or changed" in str(resolve.error)
    assert (_state(province, "culvert", culvert), _state(province, "inspection", child)) == \
        ("live", "live")


def test_the_same_photo_synced_by_two_crews_at_once_is_attached_once(
        pg_server, province, tmp_path, held_at):
    set_photo_store(province, tmp_path)
    (pa, a), (pb, b) = _two_crews(pg_server, province, tmp_path)
    culvert = live_ids(pa, "culvert", "340")[0]
    image = jpeg(tmp_path / "cong.jpg")
    for package in (pa, pb):
        copy = tmp_path / f"{package.stem}_cong.jpg"
        shutil.copyfile(image, copy)
        with open_database(str(package)) as db:
            attach_photo(db, "culvert", culvert, copy)
    slow = start_held(lambda t: sync_package(str(pb), b), "before_server_commit")
    fast = run_against(province, lambda t: sync_package(str(pa), a))
    slow.release()
    fast.join(300)
    assert slow.error is None and fast.error is None, (slow.error, fast.error)
    assert len(fast.result["photos"]["duplicates"]) == 1
    assert fast.result["sent"]["insert"] == 0
    assert sql(province, "SELECT count(*) FROM attachment WHERE target_id = %s "
               "AND deleted_at IS NULL", (culvert,))[0][0] == 1


def test_office_rows_added_under_a_parent_a_sync_deletes_are_refused(
        pg_server, province, tmp_path, held_at):
    """The office adds an inspection and attaches a photo to a culvert while a crew's sync
    deletes it: each waits for the sync (the live-parent guard locks the culvert FOR
    SHARE), then is refused naming it; nothing live is left under the tombstone."""
    set_photo_store(province, tmp_path)
    (pa, a), _ = _two_crews(pg_server, province, tmp_path)
    culvert = live_ids(pa, "culvert", "340")[0]
    code = next(r["code"] for r in rows(pa, "culvert") if r["id"] == culvert)
    scheme = next(r["scheme"] for r in rows(pa, "inspection") if r.get("scheme"))
    ogr_delete(pa, "culvert", culvert)
    image = jpeg(tmp_path / "office.jpg")
    crew = start_held(lambda t: sync_package(str(pa), a), "before_server_commit")

    def inspection(thread):
        with open_database(province) as db:
            db.insert("inspection", [{
                "culvert_id": culvert, "inspection_date": "2026-11-26", "scheme": scheme,
                "overall_rating": 2, "notes": "office", "district_code": "340"}],
                user="office")

    def photo(thread):
        with open_database(province) as db:
            attach_photo(db, "culvert", culvert, image)

    office = [run_against(province, inspection), run_against(province, photo)]
    crew.release()
    for thread in office:
        thread.join(300)
    assert crew.error is None, crew.error
    assert _state(province, "culvert", culvert) == "deleted"
    for thread in office:
        assert f"culvert {code} is deleted" in str(thread.error), thread.error
    assert not sql(province, "SELECT 1 FROM inspection WHERE culvert_id = %s AND deleted_at "
                   "IS NULL UNION ALL SELECT 1 FROM attachment WHERE target_id = %s AND "
                   "deleted_at IS NULL", (culvert, culvert))


def test_a_deadlock_with_another_writer_starts_the_sync_again(
        pg_server, province, tmp_path, held_at, monkeypatch):
    """The office holds an inspection of a culvert crew A deletes and waits for the sync's
    lock; the sync then locks the culvert and waits for the inspection: a deadlock, which
    the sync's server finds (the office's deadlock_timeout is far longer) and the sync
    starts again, after the office committed, and sees its edit."""
    (pa, a), _ = _two_crews(pg_server, province, tmp_path)
    culvert = live_ids(pa, "culvert", "340")[0]
    [(child,)] = sql(province, "SELECT id::text FROM inspection WHERE culvert_id = %s "
                     "AND deleted_at IS NULL LIMIT 1", (culvert,))
    ogr_delete(pa, "culvert", culvert)  # with its children
    reads = []
    real = faults.point
    monkeypatch.setattr(faults, "point",
                        lambda name: (reads.append(name) if name == "read" else None,
                                      real(name)))

    def office(thread):
        with open_database(province) as db, db.transaction():
            db._execute("SET LOCAL deadlock_timeout = '600s'")  # the sync finds the deadlock
            db.update("inspection", child, {"notes": "office"}, user="office")
            thread.pause()
            db._query("SELECT pg_advisory_xact_lock(%s)", (locks.SYNC_LOCK,))

    held = start_held(office)
    crew = start_held(lambda t: sync_package(str(pa), a), "server_locked")
    held.go.set()  # the office waits for the sync's lock
    while not lock_waits(province):
        held.join(0.05)
    crew.release()  # locks the culvert, waits for the inspection: the deadlock
    held.join(300)
    assert held.error is None and crew.error is None, (held.error, crew.error)
    assert reads.count("read") == 2
    # the second attempt saw the office's edit: conflicts, nothing lost
    assert sorted(c["kind"] for c in crew.result["conflicts"]) == ["edit_delete",
                                                                   "edit_delete"]
    assert _state(province, "culvert", culvert) == "live"
    assert sql(province, "SELECT notes FROM inspection WHERE id = %s", (child,)) == \
        [("office",)]


@pytest.mark.parametrize("then", ["take_mine", "sync"])
def test_a_row_kept_off_under_a_deleted_parent_is_taken_once_the_parent_is_back(
        pg_server, province, tmp_path, then):
    """A crew editor's new inspection of a culvert the office deleted: an edit_delete
    conflict. Taking mine (another editor of the district) is refused until the office
    restores the culvert, then inserts it; or the crew's next sync inserts it and closes
    the conflict (row-level security and the take-mine rule of the database allow both)."""
    (pa, a), (pb, b) = _two_crews(pg_server, province, tmp_path)
    culvert = live_ids(pb, "culvert", "340")[0]
    child = _new_inspection(pb, culvert)
    with open_database(province) as db:
        db.tombstone("culvert", culvert, user="office")
    [conflict] = sync_package(str(pb), b)["conflicts"]
    assert conflict["kind"] == "edit_delete" and _state(province, "inspection", child) is None
    if then == "take_mine":
        with pytest.raises(SyncError, match="in the office first, then take mine"):
            resolve_conflicts(a, [conflict["id"]], "mine")
    with open_database(province) as db:
        db.restore("culvert", culvert, user="office")
    if then == "take_mine":
        resolve_conflicts(a, [conflict["id"]], "mine")
        assert sync_package(str(pb), b)["sent"]["insert"] == 0
    else:
        assert sync_package(str(pb), b)["sent"]["insert"] == 1
    assert _state(province, "inspection", child) == "live"
    assert sql(province, "SELECT status FROM sync_conflict WHERE id = %s",
               (conflict["id"],)) == [("resolved",)]
    assert _open_conflicts(province) == []


@pytest.mark.parametrize("then", ["delete", "sync_then_delete", "office_edit_then_delete",
                                  "edit"])
def test_a_row_taken_mine_then_deleted_by_the_crew_is_deleted_on_the_server(
        pg_server, province, tmp_path, then):
    """The office (postgres) takes mine on a crew editor's row kept off under a deleted
    culvert (now restored); the crew then deletes the row in its package, with or without a
    sync in between: the delete reaches the server. Edited in the office first: an
    edit_delete conflict; the crew edits the row instead: an edit of the row as the resolve
    wrote it, written (before: an insert_insert conflict)."""
    _, b = editor_of(pg_server, province, "340")
    pb = tmp_path / "b.gpkg"
    create_package(b, Scope("area", "340"), str(pb), name="crew B")
    culvert = live_ids(pb, "culvert", "340")[0]
    child = _new_inspection(pb, culvert)
    sql(province, "UPDATE culvert SET deleted_at = now() WHERE id = %s", (culvert,))
    [conflict] = sync_package(str(pb), b)["conflicts"]
    sql(province, "UPDATE culvert SET deleted_at = NULL WHERE id = %s", (culvert,))
    resolve_conflicts(province, [conflict["id"]], "mine")
    if then == "sync_then_delete":
        sync_package(str(pb), b)
    if then == "office_edit_then_delete":
        sql(province, "UPDATE inspection SET notes = 'office' WHERE id = %s", (child,))
    if then == "edit":
        ogr_update(pb, "inspection", child, notes="crew again")
    else:
        ogr_delete(pb, "inspection", child)
    report = sync_package(str(pb), b)
    kinds = [c["kind"] for c in report["conflicts"]]
    if then in ("delete", "sync_then_delete"):
        assert report["sent"]["delete"] == 1 and kinds == []
        assert _state(province, "inspection", child) == "deleted"
        assert [r["deleted_at"] is not None for r in rows(pb, "inspection")
                if r["id"] == child] == [True]
    elif then == "edit":
        assert report["sent"]["update"] == 1 and kinds == []
        assert sql(province, "SELECT notes, deleted_at FROM inspection WHERE id = %s",
                   (child,)) == [("crew again", None)]
    else:
        assert kinds == ["edit_delete"]
        assert _state(province, "inspection", child) == "live"


@pytest.mark.parametrize("how", ["together", "bridge_first", "office_restores",
                                 "office_restores_and_edits"])
def test_a_child_restored_with_its_parent_takes_the_crews_edit(
        pg_server, province, tmp_path, how):
    """A crew editor edits a bridge and one of its inspections; the office deletes the
    bridge (cascade): two edit_delete conflicts. The inspection's take mine is not stale
    for the restore that came with its bridge's (taken mine in the same call or before,
    or restored in the office); edited in the office since, it is."""
    _, b = editor_of(pg_server, province, "340")
    pb = tmp_path / "b.gpkg"
    create_package(b, Scope("area", "340"), str(pb), name="crew B")
    bridge, child = next((r["bridge_id"], r["id"]) for r in rows(pb, "inspection")
                         if r.get("bridge_id") and r["deleted_at"] is None)
    ogr_update(pb, "bridge", bridge, name="crew name")
    ogr_update(pb, "inspection", child, notes="crew note")
    with open_database(province) as db:
        db.tombstone("bridge", bridge, user="office")
    found = {c["table"]: c["id"] for c in sync_package(str(pb), b)["conflicts"]}
    if how == "together":
        resolve_conflicts(province, [found["inspection"], found["bridge"]], "mine")
    elif how == "bridge_first":
        resolve_conflicts(province, [found["bridge"]], "mine")
        resolve_conflicts(province, [found["inspection"]], "mine")
    else:
        with open_database(province) as db:
            db.restore("bridge", bridge, user="office")
        if how == "office_restores_and_edits":
            sql(province, "UPDATE inspection SET notes = 'office' WHERE id = %s", (child,))
            with pytest.raises(SyncError, match="since the conflict was recorded"):
                resolve_conflicts(province, [found["inspection"]], "mine")
            assert sql(province, "SELECT notes FROM inspection WHERE id = %s",
                       (child,)) == [("office",)]
            return
        resolve_conflicts(province, [found["inspection"]], "mine")
    assert sql(province, "SELECT notes, deleted_at IS NULL FROM inspection WHERE id = %s",
               (child,)) == [("crew note", True)]
    sync_package(str(pb), b)
    assert [r["notes"] for r in rows(pb, "inspection") if r["id"] == child] == ["crew note"]
