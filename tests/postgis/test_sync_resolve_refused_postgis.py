"""Taking ``mine`` on what the server refused of a crew's sync, on a real PostGIS provincial
database (fourth hostile review of issue 11): crew 340's route package (QL10 crosses
districts) writes rows of district 338, which row-level security refuses; an editor of 338
resolves. A resolve never overwrites a newer server edit, never puts an older value over a
newer one, never attaches the same photo twice and gives a new row a free code."""

import pytest
from roadinfra.core.db import open_database
from roadinfra.core.sync import (
    Scope,
    SyncError,
    create_package,
    list_conflicts,
    resolve_conflicts,
    show_conflict,
    sync_package,
)

from tests.support.pg import editor_of, sql
from tests.support.sync import live_ids, ogr_delete, ogr_insert, ogr_update, row
from tests.support.sync_pg import route_row_in, set_photo_store

_SKIP = {"id", "fid", "code", "cells", "revision", "created_at", "updated_at", "created_by",
         "updated_by", "deleted_at", "deleted_by"}


def _crew_and_office(pg_server, province, tmp_path):
    """(crew 340's URL, its QL10 package, a 338 editor's login and URL)."""
    _, ed340 = editor_of(pg_server, province, "340")
    login338, ed338 = editor_of(pg_server, province, "338")
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    create_package(ed340, Scope("route", "QL10"), str(pkg), name="QL10")
    return ed340, pkg, login338, ed338


def _of_row(ed338, row_id):
    return [c for c in list_conflicts(ed338) if c["row_id"] == row_id]


def _new_culvert(pkg, code, cells):
    """A culvert the package makes offline in district 338, a copy of one there."""
    source = route_row_in(pkg, "culvert", "338")
    values = {k: v for k, v in row(pkg, "culvert", source).items() if k not in _SKIP}
    return ogr_insert(pkg, "culvert", code=code, cells=cells, **values)


def test_a_refused_update_shows_the_servers_values_and_a_newer_edit_is_kept(
        pg_server, province, tmp_path):
    """The crew's cells 3 on a 338 culvert is refused: the conflict shows the server's value
    as theirs. The office sets 5 after: taking mine is refused as stale naming the field,
    the 5 stays; taking theirs closes it."""
    ed340, pkg, login338, ed338 = _crew_and_office(pg_server, province, tmp_path)
    culvert = route_row_in(pkg, "culvert", "338")
    before = row(pkg, "culvert", culvert)["cells"]
    ogr_update(pkg, "culvert", culvert, cells=before + 2)
    [refused] = sync_package(str(pkg), ed340)["refused"]
    assert refused["row_id"] == culvert and refused["fields"] == ["cells"]
    shown = show_conflict(ed338, refused["id"])["by_field"]
    assert shown == [{"field": "cells", "base": before, "mine": before + 2, "theirs": before}]
    with open_database(ed338) as db:
        current = db.fetch("culvert", where={"id": culvert})[0]
        db.update("culvert", culvert, {"cells": 5}, user=login338,
                  revision=current["revision"])
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(ed338, [refused["id"]], "mine")
    message = str(caught.value)
    assert "\n" not in message and f"conflict {refused['id']}" in message
    assert "field cells changed on the server since the conflict was recorded" in message
    assert "now 5" in message
    assert sql(province, "SELECT cells FROM culvert WHERE id = %s", (culvert,)) == [(5,)]
    resolve_conflicts(ed338, [refused["id"]], "theirs")
    assert not _of_row(ed338, culvert)


@pytest.mark.parametrize("made", [False, True], ids=["update", "insert"])
def test_a_rows_refused_conflicts_end_at_the_latest_values_in_any_order(
        pg_server, province, tmp_path, made):
    """The crew changes a 338 culvert (or makes one) and syncs, changes it again and syncs:
    two refused conflicts. Taken oldest first, the row ends at the latest values; taken
    newest first, the older one is refused (its values are older) and the row keeps the
    latest. The crew's next sync is quiet either way."""
    ed340, pkg, _, ed338 = _crew_and_office(pg_server, province, tmp_path)
    rows = []
    for n in range(2):
        if made:
            rows.append(_new_culvert(pkg, f"C-NEW-{n}", cells=1))
        else:
            rows.append([r for r in live_ids(pkg, "culvert")
                         if row(pkg, "culvert", r)["district_code"] == "338"][n])
            ogr_update(pkg, "culvert", rows[-1], cells=11)
    sync_package(str(pkg), ed340)
    for culvert in rows:
        ogr_update(pkg, "culvert", culvert, cells=12)
    sync_package(str(pkg), ed340)
    oldest_first, newest_first = (_of_row(ed338, r) for r in rows)
    assert [len(oldest_first), len(newest_first)] == [2, 2]
    for conflict in oldest_first:
        resolve_conflicts(ed338, [conflict["id"]], "mine")
    resolve_conflicts(ed338, [newest_first[1]["id"]], "mine")
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(ed338, [newest_first[0]["id"]], "mine")
    message = str(caught.value)
    assert "\n" not in message and f"conflict {newest_first[0]['id']}" in message
    assert f"later conflict {newest_first[1]['id']} on this row was taken already for " \
        "cells" in message
    resolve_conflicts(ed338, [newest_first[0]["id"]], "theirs")
    for culvert in rows:
        assert sql(province, "SELECT cells FROM culvert WHERE id = %s", (culvert,)) == [(12,)]
    again = sync_package(str(pkg), ed340)
    assert again["refused"] == again["conflicts"] == [] and again["open_conflicts"] == 0
    assert [row(pkg, "culvert", r)["cells"] for r in rows] == [12, 12]


def test_a_refused_photo_already_attached_by_the_office_is_not_attached_twice(
        pg_server, province, tmp_path):
    """The crew attaches photo P to a 338 culvert (refused); the office then attaches the
    same file to the same culvert. Taking mine is refused naming the office's attachment;
    the culvert keeps one attachment of P."""
    pytest.importorskip("PIL.Image")
    from roadinfra.core.photos import attach_photo

    from tests.support.photos import jpeg

    set_photo_store(province, tmp_path)
    ed340, pkg, login338, ed338 = _crew_and_office(pg_server, province, tmp_path)
    culvert = route_row_in(pkg, "culvert", "338")
    picture = jpeg(tmp_path / "in" / "p.jpg", colour=(250, 250, 0))
    with open_database(pkg) as db:
        mine = attach_photo(db, "culvert", culvert, picture, caption="Cống sau sửa")
    [refused] = sync_package(str(pkg), ed340)["refused"]
    assert refused["row_id"] == mine["id"]
    with open_database(ed338) as db:
        office = attach_photo(db, "culvert", culvert, picture, caption="office", user=login338)
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(ed338, [refused["id"]], "mine")
    message = str(caught.value)
    assert "\n" not in message and f"conflict {refused['id']}" in message
    assert f"attached to culvert {culvert} on the server already (attachment {office['id']})" \
        in message
    assert sql(province, "SELECT count(*) FROM attachment WHERE target_id = %s "
               "AND deleted_at IS NULL", (culvert,)) == [(1,)]
    resolve_conflicts(ed338, [refused["id"]], "theirs")


def test_a_refused_new_row_whose_code_is_taken_gets_its_final_code(pg_server, province,
                                                                   tmp_path):
    """The crew makes culvert C-NEW-1 in 338 (refused), changes it and syncs again (a second
    refused conflict); the office makes its own C-NEW-1. Taking mine inserts the crew's row
    as C-NEW-1-2, as a sync would, and says so; taking the later one keeps that code. The
    crew's next sync brings the final code back and is quiet."""
    ed340, pkg, login338, ed338 = _crew_and_office(pg_server, province, tmp_path)
    new = _new_culvert(pkg, "C-NEW-1", cells=1)
    [refused] = sync_package(str(pkg), ed340)["refused"]
    ogr_update(pkg, "culvert", new, cells=2)
    [later] = sync_package(str(pkg), ed340)["refused"]
    source = route_row_in(pkg, "culvert", "338")
    office = {k: v for k, v in row(province, "culvert", source).items()
              if k not in _SKIP - {"cells"}}
    with open_database(ed338) as db:
        db.insert("culvert", [dict(office, code="C-NEW-1")], user=login338)
    [taken] = resolve_conflicts(ed338, [refused["id"]], "mine")
    assert taken["applied"]["code"] == "C-NEW-1-2"
    assert taken["applied"]["note"] == ("code C-NEW-1 is already used by another culvert row; "
                                        "the server gave this row C-NEW-1-2")
    assert sql(province, "SELECT code FROM culvert WHERE id = %s", (new,)) == [("C-NEW-1-2",)]
    [taken] = resolve_conflicts(ed338, [later["id"]], "mine")
    assert taken["applied"]["code"] == "C-NEW-1-2" and taken["applied"]["cells"] == 2
    assert sql(province, "SELECT code, cells FROM culvert WHERE id = %s", (new,)) == \
        [("C-NEW-1-2", 2)]
    again = sync_package(str(pkg), ed340)
    assert again["refused"] == again["conflicts"] == [] and again["open_conflicts"] == 0
    assert row(pkg, "culvert", new)["code"] == "C-NEW-1-2"


def test_taking_mine_on_a_refused_delete_keeps_the_offices_newer_edit(
        pg_server, province, tmp_path):
    """The crew deletes a 338 culvert: refused. The office edits the culvert after: taking
    mine is refused as stale (the row changed since the conflict was recorded, not only its
    deleted state), the office's edit stays and the row stays live; theirs closes it."""
    ed340, pkg, login338, ed338 = _crew_and_office(pg_server, province, tmp_path)
    culvert = route_row_in(pkg, "culvert", "338")
    ogr_delete(pkg, "culvert", culvert)
    [refused] = [c for c in sync_package(str(pkg), ed340)["refused"]
                 if c["row_id"] == culvert]
    assert refused["fields"] == ["deleted"]
    with open_database(ed338) as db:
        current = db.fetch("culvert", where={"id": culvert})[0]
        db.update("culvert", culvert, {"cells": 7}, user=login338,
                  revision=current["revision"])
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(ed338, [refused["id"]], "mine")
    message = str(caught.value)
    assert "\n" not in message and f"conflict {refused['id']}" in message
    assert "changed on the server since the conflict was recorded (revision" in message
    assert sql(province, "SELECT cells, deleted_at IS NULL FROM culvert WHERE id = %s",
               (culvert,)) == [(7, True)]
    resolve_conflicts(ed338, [c["id"] for c in _of_row(ed338, culvert)], "theirs")
    assert not _of_row(ed338, culvert)


def test_taking_mine_on_a_refused_delete_keeps_a_row_the_office_added_under_it(
        pg_server, province, tmp_path):
    """The crew deletes a 338 culvert: refused. The office then records a new inspection of
    it (the culvert's own revision stays): taking mine, whose tombstone would cascade onto
    the inspection, is refused as stale naming it; both stay live."""
    ed340, pkg, login338, ed338 = _crew_and_office(pg_server, province, tmp_path)
    culvert = route_row_in(pkg, "culvert", "338")
    ogr_delete(pkg, "culvert", culvert)
    [refused] = [c for c in sync_package(str(pkg), ed340)["refused"]
                 if c["row_id"] == culvert]
    with open_database(ed338) as db:
        sample = db.fetch("inspection")[0]
        inspection = db.insert("inspection", [{
            "culvert_id": culvert, "inspection_date": "2026-11-20", "scheme": sample["scheme"],
            "overall_rating": 2, "notes": "office, after the refusal"}], user=login338)[0]
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(ed338, [refused["id"]], "mine")
    message = str(caught.value)
    assert "rows under it added or changed" in message and "inspection" in message
    assert "its delete would drop that change" in message
    assert sql(province, "SELECT deleted_at IS NULL FROM culvert WHERE id = %s",
               (culvert,)) == [(True,)]
    assert sql(province, "SELECT deleted_at IS NULL FROM inspection WHERE id = %s",
               (inspection,)) == [(True,)]


def test_a_row_renamed_twice_offline_takes_both_conflicts_oldest_first(
        pg_server, province, tmp_path):
    """The crew renames a 338 culvert and syncs, renames it again and syncs: two refused
    conflicts. Taken oldest first, the newer goes through (it carries the code the older
    one took): the server ends at the latest code and cells."""
    ed340, pkg, _, ed338 = _crew_and_office(pg_server, province, tmp_path)
    culvert = route_row_in(pkg, "culvert", "338")
    for code, cells in (("C-338-REN1", 2), ("C-338-REN2", 3)):
        ogr_update(pkg, "culvert", culvert, code=code, cells=cells)
        assert sync_package(str(pkg), ed340)["refused"]
    older, newer = _of_row(ed338, culvert)
    resolve_conflicts(ed338, [older["id"]], "mine")
    assert resolve_conflicts(ed338, [newer["id"]], "mine")[0]["applied"]["code"] == \
        "C-338-REN2"
    assert sql(province, "SELECT code, cells FROM culvert WHERE id = %s", (culvert,)) == \
        [("C-338-REN2", 3)]
    assert not _of_row(ed338, culvert)


def test_two_packages_refused_edits_of_different_fields_of_a_row_are_both_taken(
        pg_server, province, tmp_path):
    """Two crews of 340 (two QL10 packages) edit different fields of the same 338 culvert:
    A its cells, B its length_m, both refused. Taking A mine moves the row's revision; B is
    still taken (only its own field is written, which did not change on the server), and
    the server ends with both crews' values. Then the office changes length_m: a refused
    update of it is stale, naming the field and its value now."""
    ed340, pkg_a, login338, ed338 = _crew_and_office(pg_server, province, tmp_path)
    _, ed340b = editor_of(pg_server, province, "340")
    pkg_b = tmp_path / "crew_b.gpkg"
    create_package(ed340b, Scope("route", "QL10"), str(pkg_b), name="QL10 B")
    culvert = route_row_in(pkg_a, "culvert", "338")
    cells = row(pkg_a, "culvert", culvert)["cells"] + 1
    ogr_update(pkg_a, "culvert", culvert, cells=cells)
    ogr_update(pkg_b, "culvert", culvert, length_m=33.3)
    [of_a] = sync_package(str(pkg_a), ed340)["refused"]
    [of_b] = sync_package(str(pkg_b), ed340b)["refused"]
    assert (of_a["fields"], of_b["fields"]) == (["cells"], ["length_m"])
    resolve_conflicts(ed338, [of_a["id"]], "mine")
    [taken] = resolve_conflicts(ed338, [of_b["id"]], "mine")
    assert taken["applied"] == {"length_m": 33.3}
    assert sql(province, "SELECT cells, length_m FROM culvert WHERE id = %s",
               (culvert,)) == [(cells, 33.3)]
    assert not _of_row(ed338, culvert)
    quiet = sync_package(str(pkg_b), ed340b)
    assert quiet["refused"] == quiet["conflicts"] == []
    assert row(pkg_b, "culvert", culvert)["length_m"] == 33.3
    ogr_update(pkg_b, "culvert", culvert, length_m=44.4)
    [again] = sync_package(str(pkg_b), ed340b)["refused"]
    with open_database(ed338) as db:
        current = db.fetch("culvert", where={"id": culvert})[0]
        db.update("culvert", culvert, {"length_m": 55.5}, user=login338,
                  revision=current["revision"])
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(ed338, [again["id"]], "mine")
    message = str(caught.value)
    assert "field length_m changed on the server since the conflict was recorded" in message
    assert "now 55.5" in message and "take theirs" in message and "length_m 44.4" in message
    assert sql(province, "SELECT length_m FROM culvert WHERE id = %s", (culvert,)) == [(55.5,)]
