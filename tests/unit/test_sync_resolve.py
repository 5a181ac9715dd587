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

from tests.support.sync import (  # noqa: E402
    live_ids,
    ogr_delete,
    ogr_insert,
    ogr_update,
    row,
    rows,
)

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
    assert "now 12" in message and "take theirs" in message and "spans 7" in message
    assert "\n" not in message
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


def test_take_mine_on_a_code_clash_is_refused_pointing_to_theirs(province, tmp_path):
    """Two packages make culvert C-DUP offline; the second gets C-DUP-2 and a code
    conflict. Taking mine is refused naming the code, the row holding it and the final
    code (which stays): nothing is recorded as mine; taking theirs closes it."""
    from tests.support.sync import ogr_insert

    skip = {"id", "fid", "code", "revision", "created_at", "updated_at", "created_by",
            "updated_by", "deleted_at", "deleted_by"}
    packages = []
    for name in ("a", "b"):
        pkg = tmp_path / f"{name}.gpkg"
        create_package(province, Scope("area", AREA), str(pkg), name=name)
        packages.append(pkg)
    source = live_ids(packages[0], "culvert")[0]
    values = {k: v for k, v in row(packages[0], "culvert", source).items() if k not in skip}
    first, second = (ogr_insert(p, "culvert", code="C-DUP", **values) for p in packages)
    sync_package(str(packages[0]), province)
    [conflict] = sync_package(str(packages[1]), province)["conflicts"]
    assert conflict["kind"] == "code"
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(province, [conflict["id"]], "mine")
    message = str(caught.value)
    assert "\n" not in message and f"conflict {conflict['id']}" in message
    assert "the code C-DUP is used by culvert " + first in message
    assert "C-DUP-2, which stays: take theirs" in message
    assert row(province, "culvert", second)["code"] == "C-DUP-2"
    assert [c["id"] for c in list_conflicts(province)] == [conflict["id"]]
    [done] = resolve_conflicts(province, [conflict["id"]], "theirs")
    assert done["choice"] == {"code": "theirs"} and not list_conflicts(province)


def _approve_in_an_old_package(pkg, plan):
    """The crew approves its draft plan in QGIS, in a package made before the plan's step
    guard (a package made now refuses the edit itself: test_plan_records)."""
    import sqlite3

    conn = sqlite3.connect(pkg)
    conn.execute("DROP TRIGGER ri_maintenance_plan_step")
    conn.commit()
    conn.close()
    ogr_update(pkg, "maintenance_plan", plan, status="approved",
               approved_by="Giám đốc Sở GTVT", approved_at="2026-01-01T00:00:00Z")


def test_a_plans_office_fields_are_never_taken_by_a_resolve(province, tmp_path):
    """A crew sets its draft plan approved (approver, date) in its package: the sync does
    not send those fields (a refused conflict). Taking mine is refused naming the fields and
    roadinfra plan status, the plan stays a draft; the crew's other fields of the same
    conflict are not involved, and theirs closes it."""
    with open_database(province) as db:
        [plan] = db.insert("maintenance_plan", [{
            "code": "MP-340-1", "name": "Kế hoạch 340", "plan_year": 2026,
            "district_code": AREA, "status": "draft"}], user="office")
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", AREA), str(pkg))
    _approve_in_an_old_package(pkg, plan)
    [refused] = sync_package(str(pkg), province)["refused"]
    assert set(refused["fields"]) == {"status", "approved_at", "approved_by"}
    for take, fields, named in (("mine", None, "status, approved_at, approved_by are"),
                                ("theirs", {"status": "mine"}, "status is")):
        with pytest.raises(SyncError) as caught:
            resolve_conflicts(province, [refused["id"]], take, fields)
        message = str(caught.value)
        assert "\n" not in message and f"conflict {refused['id']}" in message
        assert f": {named} set in the office with roadinfra plan status" in message
        assert "--field status=theirs" in message
    plan_row = row(province, "maintenance_plan", plan)
    assert (plan_row["status"], plan_row["approved_by"], plan_row["approved_at"]) == \
        ("draft", None, None)
    resolve_conflicts(province, [refused["id"]], "theirs")
    assert not list_conflicts(province)


def test_a_field_choice_applies_to_the_conflicts_that_have_the_field(province, tmp_path):
    """A crew's sync leaves a bridge field conflict and a refused plan edit (approved in
    QGIS). The office takes mine for both in one call, theirs for the plan's office fields
    as the refusal advises: the bridge takes mine, the plan stays a draft. A --field that
    no conflict of the call has is refused, naming it."""
    bridge = live_ids(province, "bridge", AREA)[0]
    with open_database(province) as db:
        [plan] = db.insert("maintenance_plan", [{
            "code": "MP-340-2", "name": "Kế hoạch 340", "plan_year": 2026,
            "district_code": AREA, "status": "draft"}], user="office")
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", AREA), str(pkg))
    ogr_update(pkg, "bridge", bridge, spans=7)
    _edit(province, "bridge", bridge, {"spans": 9})
    _approve_in_an_old_package(pkg, plan)
    report = sync_package(str(pkg), province)
    ids = [report["conflicts"][0]["id"], report["refused"][0]["id"]]
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(province, ids, "mine")
    advice = str(caught.value).split("(--field ")[1].split(")")[0]
    fields = dict(f.split("=") for f in ("--field " + advice).split("--field ")[1:])
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    assert fields == {"status": "theirs", "approved_at": "theirs", "approved_by": "theirs"}
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(province, ids, "mine", dict(fields, colour="theirs"))
    assert str(caught.value).startswith("no field colour in the conflicts given")
    assert len(list_conflicts(province)) == 2
    done = resolve_conflicts(province, ids, "mine", fields)
    assert [d["choice"] for d in done] == [{"spans": "mine"}, fields]
    assert row(province, "bridge", bridge)["spans"] == 7
    assert row(province, "maintenance_plan", plan)["status"] == "draft"
    assert not list_conflicts(province)


def _office_inspection(server, culvert):
    """The office records a new inspection of ``culvert`` (a row under it); its id."""
    with open_database(server) as db:
        sample = db.fetch("inspection")[0]
        return db.insert("inspection", [{
            "culvert_id": culvert, "inspection_date": "2026-11-20", "scheme": sample["scheme"],
            "overall_rating": 2, "notes": "office, after the conflict"}], user="office")[0]


@pytest.mark.parametrize("after", ["nothing", "edit", "child"])
def test_take_mine_on_a_delete_against_an_edit_drops_no_later_office_work(
        province, tmp_path, after):
    """The crew deletes a culvert the office edited: an edit-against-delete conflict. The
    office then edits another field, or records a new inspection of it: taking mine (the
    delete, whose tombstone would cascade) is refused as stale and both stay live; with
    nothing done since, taking mine deletes it."""
    culvert = live_ids(province, "culvert", AREA)[0]
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", AREA), str(pkg))
    ogr_delete(pkg, "culvert", culvert)
    cells = row(province, "culvert", culvert)["cells"]
    _edit(province, "culvert", culvert, {"cells": (cells or 0) + 3})
    [conflict] = sync_package(str(pkg), province)["conflicts"]
    assert conflict["kind"] == "edit_delete" and conflict["fields"] == ["cells"]
    inspection = None
    if after == "edit":
        _edit(province, "culvert", culvert, {"length_m": 44.4})
    elif after == "child":
        inspection = _office_inspection(province, culvert)
    if after == "nothing":
        resolve_conflicts(province, [conflict["id"]], "mine")
        assert culvert not in live_ids(province, "culvert", AREA)
        return
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(province, [conflict["id"]], "mine")
    message = str(caught.value)
    assert "\n" not in message and "its delete would drop that change" in message
    assert ("inspection" in message) == (after == "child")
    assert culvert in live_ids(province, "culvert", AREA)
    if inspection:
        assert inspection in live_ids(province, "inspection")
    resolve_conflicts(province, [conflict["id"]], "theirs")
    assert not list_conflicts(province)


def test_take_mine_on_an_edit_of_a_row_deleted_restored_and_edited_since_is_refused(
        province, tmp_path):
    """The crew sets cells on a culvert the office deleted: edit against delete. The office
    then restores it, sets cells itself and deletes it again: taking mine (the crew's older
    value) is refused as stale naming the crew's value; the office's stays."""
    culvert = live_ids(province, "culvert", AREA)[0]
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", AREA), str(pkg))
    ogr_update(pkg, "culvert", culvert, cells=6)
    with open_database(province) as db:
        current = db.fetch("culvert", where={"id": culvert})[0]
        db.tombstone("culvert", culvert, user="office", revision=current["revision"])
    [conflict] = sync_package(str(pkg), province)["conflicts"]
    assert conflict["kind"] == "edit_delete"
    with open_database(province) as db:
        def revision():
            return db.fetch("culvert", where={"id": culvert}, include_deleted=True)[0]["revision"]
        db.restore("culvert", culvert, user="office", revision=revision())
        db.update("culvert", culvert, {"cells": 9}, user="office", revision=revision())
        db.tombstone("culvert", culvert, user="office", revision=revision())
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(province, [conflict["id"]], "mine")
    message = str(caught.value)
    assert "changed on the server since the conflict was recorded" in message
    assert "take theirs" in message and "cells 6" in message
    assert "restore the row in the office and enter the package's value there" in message
    with open_database(province) as db:
        [now] = db.fetch("culvert", where={"id": culvert}, include_deleted=True)
    assert now["cells"] == 9 and now["deleted_at"] is not None


@pytest.mark.parametrize("newest_first", [False, True])
def test_a_later_conflict_taken_on_another_field_leaves_an_older_one_takeable(
        province, tmp_path, newest_first):
    """One package, two syncs, two field conflicts on one culvert: cells, then length_m.
    Taken in either order, each goes through (the later one never touched cells)."""
    culvert = live_ids(province, "culvert", AREA)[0]
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", AREA), str(pkg))
    for field, crew, office in (("cells", 6, 4), ("length_m", 31.5, 20.0)):
        ogr_update(pkg, "culvert", culvert, **{field: crew})
        _edit(province, "culvert", culvert, {field: office})
        sync_package(str(pkg), province)
    first, second = [c["id"] for c in list_conflicts(province)]
    order = [second, first] if newest_first else [first, second]
    taken = [resolve_conflicts(province, [c], "mine")[0]["applied"] for c in order]
    assert sorted(taken, key=str) == sorted([{"cells": 6}, {"length_m": 31.5}], key=str)
    now = row(province, "culvert", culvert)
    assert (now["cells"], now["length_m"]) == (6, 31.5)
    assert not list_conflicts(province)


def test_a_later_conflict_taken_on_the_same_field_makes_an_older_one_stale(province,
                                                                          tmp_path):
    culvert = live_ids(province, "culvert", AREA)[0]
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", AREA), str(pkg))
    for crew, office in ((6, 4), (7, 5)):
        ogr_update(pkg, "culvert", culvert, cells=crew)
        _edit(province, "culvert", culvert, {"cells": office})
        sync_package(str(pkg), province)
    older, newer = [c["id"] for c in list_conflicts(province)]
    resolve_conflicts(province, [newer], "mine")
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(province, [older], "mine")
    message = str(caught.value)
    assert f"later conflict {newer} on this row was taken already for cells" in message
    assert "cells 6" in message and "\n" not in message
    assert row(province, "culvert", culvert)["cells"] == 7


def _inspection_under_deleted_culvert(province, tmp_path):
    """A crew's new inspection of a culvert the office deleted meanwhile: (package, culvert,
    inspection id, its open conflict)."""
    culvert = live_ids(province, "culvert", AREA)[0]
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", AREA), str(pkg))
    scheme = next(r["scheme"] for r in rows(pkg, "inspection") if r.get("scheme"))
    new = ogr_insert(pkg, "inspection", culvert_id=culvert, inspection_date="2026-11-25",
                     scheme=scheme, overall_rating=3, notes="crew", district_code=AREA)
    with open_database(province) as db:
        db.tombstone("culvert", culvert, user="office")
    [conflict] = sync_package(str(pkg), province)["conflicts"]
    assert conflict["kind"] == "edit_delete" and conflict["row_id"] == new
    return pkg, culvert, new, conflict


def _restore(province, table, row_id):
    with open_database(province) as db:
        db.restore(table, row_id, user="office")


def test_taking_a_row_made_under_a_deleted_parent_waits_for_the_parent(province, tmp_path):
    """Taking mine is refused while the parent is deleted (saying to restore it first);
    once it is restored, the row is inserted from the conflict's values, and the crew's
    next sync is quiet."""
    pkg, culvert, new, conflict = _inspection_under_deleted_culvert(province, tmp_path)
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(province, [conflict["id"]], "mine")
    message = str(caught.value)
    assert "its parent culvert CU-340-" in message and "restore culvert CU-340-" in message
    assert "in the office first, then take mine" in message and "\n" not in message
    assert not rows(province, "inspection", id=new)
    _restore(province, "culvert", culvert)
    [done] = resolve_conflicts(province, [conflict["id"]], "mine")
    assert done["applied"]["notes"] == "crew"
    assert row(province, "inspection", new)["notes"] == "crew"
    again = sync_package(str(pkg), province)
    assert again["conflicts"] == again["refused"] == [] and again["open_conflicts"] == 0
    assert row(province, "inspection", new)["deleted_at"] is None


@pytest.mark.parametrize("between", [False, True])
def test_a_row_taken_mine_then_deleted_by_the_crew_is_deleted_on_the_server(
        province, tmp_path, between):
    """The office takes mine on a row kept off under a deleted parent (now restored); the
    crew deletes the row in its package, with or without a sync in between: the delete
    reaches the server (never the row brought back, in the package or on the server)."""
    pkg, culvert, new, conflict = _inspection_under_deleted_culvert(province, tmp_path)
    _restore(province, "culvert", culvert)
    resolve_conflicts(province, [conflict["id"]], "mine")
    if between:
        sync_package(str(pkg), province)
    ogr_delete(pkg, "inspection", new)
    report = sync_package(str(pkg), province)
    assert report["sent"]["delete"] == 1 and report["conflicts"] == []
    assert row(province, "inspection", new)["deleted_at"] is not None
    assert row(pkg, "inspection", new)["deleted_at"] is not None
    again = sync_package(str(pkg), province)
    assert again["sent"] == {"insert": 0, "update": 0, "delete": 0}
    assert row(pkg, "inspection", new)["deleted_at"] is not None


def test_a_row_taken_mine_changed_in_the_office_then_deleted_by_the_crew_is_a_conflict(
        province, tmp_path):
    """The office edits the row it took mine on; the crew deletes it (no sync in between):
    an edit_delete conflict, the office's edit kept on the server."""
    pkg, culvert, new, conflict = _inspection_under_deleted_culvert(province, tmp_path)
    _restore(province, "culvert", culvert)
    resolve_conflicts(province, [conflict["id"]], "mine")
    _edit(province, "inspection", new, {"notes": "office"})
    ogr_delete(pkg, "inspection", new)
    report = sync_package(str(pkg), province)
    assert [(c["kind"], c["row_id"]) for c in report["conflicts"]] == [("edit_delete", new)]
    got = row(province, "inspection", new)
    assert (got["notes"], got["deleted_at"]) == ("office", None)


@pytest.mark.parametrize("office", [None, "overall_rating", "notes"])
def test_a_row_taken_mine_then_edited_by_the_crew_is_merged_as_an_edit(
        province, tmp_path, office):
    """The crew edits the row the office took mine before syncing again: an edit of the row
    as the resolve wrote it (the package's base until that sync), merged with the office's
    own edits since: written, both kept, or a conflict on the field both changed (before:
    an ``insert_insert`` conflict, the crew's edit never written)."""
    pkg, culvert, new, conflict = _inspection_under_deleted_culvert(province, tmp_path)
    _restore(province, "culvert", culvert)
    resolve_conflicts(province, [conflict["id"]], "mine")
    if office:
        with open_database(province) as db:
            db.update("inspection", new, {office: 2 if office == "overall_rating" else "office"},
                      user="office")
    ogr_update(pkg, "inspection", new, notes="crew again")
    report = sync_package(str(pkg), province)
    got = row(province, "inspection", new)
    assert got["deleted_at"] is None
    if office == "notes":
        assert [(c["kind"], c["fields"]) for c in report["conflicts"]] == \
            [("field", ["notes"])]
        assert got["notes"] == "office"
        return
    assert report["conflicts"] == [] and report["sent"]["update"] == 1
    assert (got["notes"], got["overall_rating"]) == ("crew again", 2 if office else 3)
    assert row(pkg, "inspection", new)["notes"] == "crew again"


def test_a_row_taken_mine_then_edited_by_the_office_alone_is_no_conflict(province, tmp_path):
    """The office edits the row it took mine; the crew, which did not touch it, takes the
    office's values on its next sync (before: an ``insert_insert`` conflict)."""
    pkg, culvert, new, conflict = _inspection_under_deleted_culvert(province, tmp_path)
    _restore(province, "culvert", culvert)
    resolve_conflicts(province, [conflict["id"]], "mine")
    with open_database(province) as db:
        db.update("inspection", new, {"overall_rating": 2}, user="office")
    report = sync_package(str(pkg), province)
    assert report["conflicts"] == [] and report["open_conflicts"] == 0
    assert row(pkg, "inspection", new)["overall_rating"] == 2


def test_a_later_sync_inserting_a_row_kept_off_under_a_deleted_parent_closes_its_conflict(
        province, tmp_path):
    pkg, culvert, new, conflict = _inspection_under_deleted_culvert(province, tmp_path)
    _restore(province, "culvert", culvert)
    again = sync_package(str(pkg), province)
    assert again["sent"]["insert"] == 1 and again["open_conflicts"] == 0
    assert row(province, "inspection", new)["notes"] == "crew"
    [closed] = [c for c in list_conflicts(province, include_resolved=True)
                if c["id"] == conflict["id"]]
    assert closed["status"] == "resolved"
    assert set(closed["resolution"].values()) == {"mine"}


def test_a_row_made_under_a_deleted_parent_then_dropped_by_the_crew_closes_its_conflict(
        province, tmp_path):
    """The crew deletes in its package the row the server kept off: its next sync closes
    the conflict (theirs), so taking mine cannot bring the dropped row back."""
    pkg, culvert, new, conflict = _inspection_under_deleted_culvert(province, tmp_path)
    ogr_delete(pkg, "inspection", new)
    again = sync_package(str(pkg), province)
    assert again["open_conflicts"] == 0
    [closed] = [c for c in list_conflicts(province, include_resolved=True)
                if c["id"] == conflict["id"]]
    assert closed["status"] == "resolved" and set(closed["resolution"].values()) == {"theirs"}
    _restore(province, "culvert", culvert)
    with pytest.raises(SyncError, match="already resolved"):
        resolve_conflicts(province, [conflict["id"]], "mine")
    assert not rows(province, "inspection", id=new)
    sync_package(str(pkg), province)
    assert not [r for r in rows(pkg, "inspection", id=new) if r["deleted_at"] is None]


@pytest.mark.parametrize("together,closed_by", [(False, "office"), (True, "office"),
                                               (False, "sync")])
def test_an_older_conflict_of_a_row_made_offline_is_stale_while_a_later_one_is_open(
        province, tmp_path, together, closed_by):
    """The crew corrects its kept-off row: the older conflict's take mine is refused
    (alone or with the later one), naming the later one; the later one inserts the
    correction. The older one is closed by the office (theirs), or else by the crew's next
    sync (theirs: its values were never written; review 11q: it stayed open for good)."""
    pkg, culvert, new, older = _inspection_under_deleted_culvert(province, tmp_path)
    ogr_update(pkg, "inspection", new, overall_rating=1, notes="corrected")
    [later] = sync_package(str(pkg), province)["conflicts"]
    _restore(province, "culvert", culvert)
    ids = [older["id"], later["id"]] if together else [older["id"]]
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(province, ids, "mine")
    message = str(caught.value)
    assert f"later conflict {later['id']}" in message and "take that one" in message
    assert not rows(province, "inspection", id=new)
    resolve_conflicts(province, [later["id"]], "mine")
    if closed_by == "office":
        resolve_conflicts(province, [older["id"]], "theirs")
    got = row(province, "inspection", new)
    assert (got["notes"], got["overall_rating"]) == ("corrected", 1)
    again = sync_package(str(pkg), province)
    assert again["conflicts"] == [] and again["open_conflicts"] == 0
    got = row(pkg, "inspection", new)
    assert (got["notes"], got["overall_rating"]) == ("corrected", 1)
    [closed] = [c for c in list_conflicts(province, include_resolved=True)
                if c["id"] == older["id"]]
    assert closed["status"] == "resolved" and set(closed["resolution"].values()) == {"theirs"}
    if closed_by == "sync":
        assert closed["resolved_by"] == again["login"]


def _edits_under_a_deleted_bridge(province, tmp_path):
    """The crew edits a bridge's name and one of its inspections' notes; the office deletes
    the bridge (its tombstone cascades to the inspection): (package, bridge, inspection,
    {table: its edit_delete conflict})."""
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", AREA), str(pkg))
    bridge, child = next((r["bridge_id"], r["id"]) for r in rows(pkg, "inspection")
                         if r.get("bridge_id") and r["deleted_at"] is None)
    ogr_update(pkg, "bridge", bridge, name="crew name")
    ogr_update(pkg, "inspection", child, notes="crew note")
    with open_database(province) as db:
        db.tombstone("bridge", bridge, user="office")
    found = {c["table"]: c for c in sync_package(str(pkg), province)["conflicts"]}
    assert {t: c["kind"] for t, c in found.items()} == {"bridge": "edit_delete",
                                                         "inspection": "edit_delete"}
    return pkg, bridge, child, found


@pytest.mark.parametrize("how", ["together", "bridge_first", "office_restores"])
def test_a_child_restored_with_its_parent_takes_the_crews_edit(province, tmp_path, how):
    """The inspection's take mine is not stale for the restore that came with its
    bridge's (taken mine in the same call, before, or restored in the office): the
    crew's note is written, and the crew's next sync keeps it."""
    pkg, bridge, child, found = _edits_under_a_deleted_bridge(province, tmp_path)
    ids = [found["bridge"]["id"], found["inspection"]["id"]]
    if how == "together":
        resolve_conflicts(province, ids[::-1], "mine")
    elif how == "bridge_first":
        resolve_conflicts(province, ids[:1], "mine")
        resolve_conflicts(province, ids[1:], "mine")
    else:
        _restore(province, "bridge", bridge)
        resolve_conflicts(province, ids[1:], "mine")
    got = row(province, "inspection", child)
    assert (got["notes"], got["deleted_at"]) == ("crew note", None)
    sync_package(str(pkg), province)
    assert row(pkg, "inspection", child)["notes"] == "crew note"


def test_a_child_restored_with_its_parent_then_edited_is_stale(province, tmp_path):
    pkg, bridge, child, found = _edits_under_a_deleted_bridge(province, tmp_path)
    _restore(province, "bridge", bridge)
    _edit(province, "inspection", child, {"notes": "office"})
    with pytest.raises(SyncError, match="since the conflict was recorded"):
        resolve_conflicts(province, [found["inspection"]["id"]], "mine")
    assert row(province, "inspection", child)["notes"] == "office"


def test_a_resolve_under_deleted_parents_names_every_conflict_and_resolves_nothing(
        province, tmp_path):
    """Review 11s #3: the crew edits survey S1, a distress of S1 and a distress of each of
    S2 and S3; the office deletes the three surveys (their tombstones cascade). Taking mine
    on all four is refused at once: one line per conflict whose survey stays deleted (S2's
    and S3's distresses, each with the conflict, the distress and the survey), not S1's
    (restored by the same call), and nothing resolved. Without those two, it goes through."""
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", AREA), str(pkg))
    by_survey = {}
    for r in rows(pkg, "pavement_distress"):
        if r["district_code"] == AREA and r["deleted_at"] is None:
            by_survey.setdefault(r["survey_id"], r["id"])
    (s1, d1), (s2, d2), (s3, d3) = sorted(by_survey.items())[:3]
    ogr_update(pkg, "pavement_survey", s1, surveyor="crew")
    for distress in (d1, d2, d3):
        ogr_update(pkg, "pavement_distress", distress, sample_unit="SU-crew")
    with open_database(province) as db:
        for survey in (s1, s2, s3):
            db.tombstone("pavement_survey", survey, user="office")
    found = {c["row_id"]: c for c in sync_package(str(pkg), province)["conflicts"]}
    assert {k: c["kind"] for k, c in found.items()} == dict.fromkeys(
        (s1, d1, d2, d3), "edit_delete")

    with pytest.raises(SyncError) as caught:
        resolve_conflicts(province, [found[k]["id"] for k in (d3, d2, d1, s1)], "mine")
    lines = str(caught.value).splitlines()
    assert lines[-1] == "nothing resolved (of the 4 conflicts given)"
    assert len(lines) == 3
    for line, distress, survey in zip(lines, (d3, d2), (s3, s2)):
        assert line.startswith(f"conflict {found[distress]['id']}: pavement_distress "
                               f"{distress}: its parent pavement_survey {survey} is deleted")
        assert f"restore pavement_survey {survey} in the office first" in line
    for key, table in ((s1, "pavement_survey"), (d1, "pavement_distress"),
                       (d2, "pavement_distress"), (d3, "pavement_distress")):
        assert row(province, table, key)["deleted_at"] is not None
    assert {c["row_id"] for c in list_conflicts(province)} == {s1, d1, d2, d3}

    resolve_conflicts(province, [found[d1]["id"], found[s1]["id"]], "mine")
    assert (row(province, "pavement_distress", d1)["sample_unit"],
            row(province, "pavement_distress", d1)["deleted_at"]) == ("SU-crew", None)
