"""Rows a crew made offline under a row the office deleted meanwhile, on a GeoPackage
provincial database (the sample province): kept off the server as ``edit_delete``
conflicts, with the rows under them; the office's ``theirs`` drops them from the package on
the crew's next sync (never recorded again), its ``mine`` (after a restore) inserts them
all, each conflict closed by the sync that settles it."""

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

from tests.support.photos import jpeg  # noqa: E402
from tests.support.sync import (  # noqa: E402
    live_ids,
    ogr_delete,
    ogr_insert,
    ogr_update,
    row,
    rows,
)

AREA = "340"


def _kept_off(province, tmp_path, rating=False, photo=False):
    """A crew's new inspection (with a component rating, or a photo of it) of a culvert the
    office deletes before the crew syncs: (package, culvert, {name: row id}, {name:
    conflict}) after that sync."""
    culvert = live_ids(province, "culvert", AREA)[0]
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    create_package(str(province), Scope("area", AREA), str(pkg))
    scheme = next(r["scheme"] for r in rows(pkg, "inspection") if r.get("scheme"))
    made = {"inspection": ogr_insert(pkg, "inspection", culvert_id=culvert, scheme=scheme,
                                     inspection_date="2026-11-25", overall_rating=3,
                                     notes="crew", district_code=AREA)}
    if rating:
        made["component_rating"] = ogr_insert(pkg, "component_rating", component="deck",
                                              inspection_id=made["inspection"], rating=4,
                                              district_code=AREA)
    if photo:
        jpeg(pkg.parent / "DCIM" / "IMG_0001.jpg")
        made["attachment"] = ogr_insert(pkg, "attachment", file_path="DCIM/IMG_0001.jpg",
                                        kind="photo", target_table="inspection",
                                        target_id=made["inspection"], district_code=AREA,
                                        geom=row(pkg, "culvert", culvert)["geom"])
    with open_database(str(province)) as db:
        db.tombstone("culvert", culvert, user="office")
    report = sync_package(str(pkg), str(province))
    assert report["refused"] == [] and report["sent"]["insert"] == 0
    conflicts = {c["table"]: c for c in report["conflicts"]}
    assert {c["kind"] for c in conflicts.values()} == {"edit_delete"}
    assert sorted(conflicts) == sorted(made)
    return pkg, culvert, made, conflicts


def _status(province, conflict):
    [found] = [c for c in list_conflicts(str(province), include_resolved=True)
               if c["id"] == conflict["id"]]
    return found["status"], set((found["resolution"] or {}).values())


def _live(db_path, table, row_id):
    return [r["deleted_at"] is None for r in rows(db_path, table, id=row_id)]


def test_take_theirs_on_a_row_kept_off_drops_it_from_the_package(province, tmp_path):
    """After the office's ``theirs``, the crew's next sync tombstones the row in the package
    (said in ``dropped``), records no conflict, and never sends it, the culvert restored or
    not; no conflict of the row is open again."""
    pkg, culvert, made, conflicts = _kept_off(province, tmp_path)
    new, conflict = made["inspection"], conflicts["inspection"]
    resolve_conflicts(str(province), [conflict["id"]], "theirs")
    report = sync_package(str(pkg), str(province))
    assert report["conflicts"] == report["refused"] == [] and report["open_conflicts"] == 0
    [dropped] = report["dropped"]
    assert (dropped["table"], dropped["row_id"], dropped["conflict"]) == \
        ("inspection", new, conflict["id"])
    assert "the office took theirs: removed from the package" in dropped["message"]
    assert _live(pkg, "inspection", new) == [False]
    with open_database(str(province)) as db:
        db.restore("culvert", culvert, user="office")
    for _ in range(2):
        again = sync_package(str(pkg), str(province))
        assert again["sent"]["insert"] == 0 and again["conflicts"] == again["dropped"] == []
    assert not rows(province, "inspection", id=new) and _live(pkg, "inspection", new) == [False]
    assert [c["status"] for c in list_conflicts(str(province), include_resolved=True)
            if c["row_id"] == new] == ["resolved"]


def test_a_row_edited_after_its_conflict_was_closed_theirs_is_kept_and_recorded_again(
        province, tmp_path):
    """``theirs`` on a conflict about an older edit says nothing of a newer one: the crew
    corrected the row since, so it stays in the package, kept off by a new conflict."""
    pkg, _, made, conflicts = _kept_off(province, tmp_path)
    resolve_conflicts(str(province), [conflicts["inspection"]["id"]], "theirs")
    ogr_update(pkg, "inspection", made["inspection"], notes="corrected")
    report = sync_package(str(pkg), str(province))
    assert report["dropped"] == []
    assert [(c["kind"], c["row_id"]) for c in report["conflicts"]] == \
        [("edit_delete", made["inspection"])]
    assert _live(pkg, "inspection", made["inspection"]) == [True]


def test_take_theirs_on_a_photo_kept_off_drops_it_as_a_discarded_photo(province, tmp_path):
    pkg, _, made, conflicts = _kept_off(province, tmp_path, photo=True)
    resolve_conflicts(str(province), [conflicts["inspection"]["id"],
                                      conflicts["attachment"]["id"]], "theirs")
    report = sync_package(str(pkg), str(province))
    assert sorted(d["table"] for d in report["dropped"]) == ["attachment", "inspection"]
    [discarded] = report["photos"]["discarded"]
    assert discarded["row_id"] == made["attachment"] and discarded["made_offline"]
    assert report["conflicts"] == [] and report["open_conflicts"] == 0
    assert _live(pkg, "attachment", made["attachment"]) == [False]
    assert sync_package(str(pkg), str(province))["conflicts"] == []


def test_a_child_of_a_row_kept_off_is_kept_off_with_it_naming_both(province, tmp_path):
    """The component rating under the kept-off inspection is an ``edit_delete`` too (not a
    refusal "refers to no inspection row"), naming the inspection and the culvert."""
    _, _, made, conflicts = _kept_off(province, tmp_path, rating=True)
    message = conflicts["component_rating"]["message"]
    assert f"inspection {made['inspection']}, itself kept off the server" in message
    assert "culvert CU-340-" in message and "refers to no" not in message


def test_take_mine_on_the_parent_after_a_restore_brings_its_kept_off_child_in(
        province, tmp_path):
    """The office restores the culvert and takes mine on the inspection only: the crew's
    next sync inserts the rating and closes its conflict (mine)."""
    pkg, culvert, made, conflicts = _kept_off(province, tmp_path, rating=True)
    with open_database(str(province)) as db:
        db.restore("culvert", culvert, user="office")
    resolve_conflicts(str(province), [conflicts["inspection"]["id"]], "mine")
    report = sync_package(str(pkg), str(province))
    assert report["sent"]["insert"] == 1 and report["open_conflicts"] == 0
    assert row(province, "component_rating", made["component_rating"])["rating"] == 4
    assert _status(province, conflicts["component_rating"]) == ("resolved", {"mine"})


def test_take_theirs_on_the_parent_drops_its_kept_off_child_too(province, tmp_path):
    """Each row the drop removes is listed (``dropped``; a photo in ``photos.discarded``)."""
    pkg, _, made, conflicts = _kept_off(province, tmp_path, rating=True, photo=True)
    resolve_conflicts(str(province), [conflicts["inspection"]["id"]], "theirs")
    report = sync_package(str(pkg), str(province))
    assert [(d["table"], d["row_id"], d["conflict"]) for d in report["dropped"]] == [
        (t, made[t], conflicts[t]["id"]) for t in ("inspection", "component_rating",
                                                   "attachment")]
    assert "removed from the package with it (the office took theirs on inspection " \
        in report["dropped"][1]["message"]
    [discarded] = report["photos"]["discarded"]
    assert discarded["row_id"] == made["attachment"] and discarded["made_offline"]
    assert _live(pkg, "attachment", made["attachment"]) == [False]
    assert report["conflicts"] == [] and report["open_conflicts"] == 0
    assert _live(pkg, "component_rating", made["component_rating"]) == [False]
    assert _status(province, conflicts["component_rating"]) == ("resolved", {"theirs"})
    assert not rows(province, "component_rating", id=made["component_rating"])


def test_take_mine_on_a_kept_off_child_alone_names_its_parents_conflict(province, tmp_path):
    """Mine on the rating alone is refused naming the inspection's open conflict (not "refers
    to no inspection row"); with the inspection's, in one call, both go in and close."""
    pkg, culvert, made, conflicts = _kept_off(province, tmp_path, rating=True)
    with open_database(str(province)) as db:
        db.restore("culvert", culvert, user="office")
    child, parent = conflicts["component_rating"]["id"], conflicts["inspection"]["id"]
    with pytest.raises(SyncError) as caught:
        resolve_conflicts(str(province), [child], "mine")
    message = str(caught.value)
    assert f"its parent inspection {made['inspection']} is not on the server" in message
    assert f"kept off by conflict {parent}: take mine on that one first" in message
    resolve_conflicts(str(province), [child, parent], "mine")
    assert row(province, "component_rating", made["component_rating"])["rating"] == 4
    report = sync_package(str(pkg), str(province))
    assert report["sent"]["insert"] == 0 and report["open_conflicts"] == 0


@pytest.mark.parametrize("added", ["component_rating", "attachment"])
def test_a_row_added_under_it_after_theirs_keeps_it_off_by_a_new_conflict(
        province, tmp_path, added):
    """The crew adds a rating or a photo under the inspection after the office took theirs
    on it: a change the office never saw, so nothing is dropped; the inspection and the new
    row stay in the package, kept off by new conflicts."""
    pkg, culvert, made, conflicts = _kept_off(province, tmp_path)
    resolve_conflicts(str(province), [conflicts["inspection"]["id"]], "theirs")
    if added == "component_rating":
        new = ogr_insert(pkg, "component_rating", component="deck", rating=4,
                         inspection_id=made["inspection"], district_code=AREA)
    else:
        jpeg(pkg.parent / "DCIM" / "IMG_0002.jpg")
        new = ogr_insert(pkg, "attachment", file_path="DCIM/IMG_0002.jpg", kind="photo",
                         target_table="inspection", target_id=made["inspection"],
                         district_code=AREA, geom=row(province, "culvert", culvert)["geom"])
    report = sync_package(str(pkg), str(province))
    assert report["dropped"] == [] and report["photos"]["discarded"] == []
    assert sorted((c["table"], c["kind"], c["row_id"]) for c in report["conflicts"]) == \
        sorted([("inspection", "edit_delete", made["inspection"]),
                (added, "edit_delete", new)])
    assert _live(pkg, "inspection", made["inspection"]) == _live(pkg, added, new) == [True]
    assert not rows(province, added, id=new)
    # until the office decides on the new conflicts, later syncs keep them open and the rows
    # in the package (review 11p #1: the next sync dropped them and closed their conflicts)
    again = sync_package(str(pkg), str(province))
    assert again["dropped"] == []
    assert _live(pkg, "inspection", made["inspection"]) == _live(pkg, added, new) == [True]
    assert [c["status"] for c in rows(province, "sync_conflict", row_id=new)] == ["open"]


def _taken_mine(province, tmp_path, photo=False):
    """The kept-off inspection and its rating (and a photo of it) after the office restored
    the culvert and took mine on them all (inserted on the server from the package's
    values), the crew not synced since."""
    pkg, culvert, made, conflicts = _kept_off(province, tmp_path, rating=True, photo=photo)
    with open_database(str(province)) as db:
        db.restore("culvert", culvert, user="office")
    resolve_conflicts(str(province), [c["id"] for c in conflicts.values()], "mine")
    return pkg, culvert, made


def test_the_crew_deleting_its_rows_the_office_took_mine_is_a_plain_delete(
        province, tmp_path):
    """The crew deletes its inspection (its rating with it): the server's rows are the ones
    its package sent, so both are tombstoned there, with no conflict (review 11o #5: the
    rating counted as "added on the server since" and both stayed live)."""
    pkg, _, made = _taken_mine(province, tmp_path)
    ogr_delete(pkg, "inspection", made["inspection"])
    report = sync_package(str(pkg), str(province))
    assert report["conflicts"] == report["refused"] == [] and report["open_conflicts"] == 0
    assert report["sent"]["delete"] == 2
    for table, row_id in made.items():
        assert row(province, table, row_id)["deleted_at"] is not None
        assert _live(pkg, table, row_id) == [False]


@pytest.mark.parametrize("office", ["edit", "add"])
def test_a_row_the_office_changed_or_added_under_them_since_keeps_them(
        province, tmp_path, office):
    """The office edits the crew's rating, or adds one of its own under the inspection,
    after taking mine: a change the crew never saw, so the crew's delete of the inspection
    is an ``edit_delete`` naming that rating, and every row stays live."""
    pkg, _, made = _taken_mine(province, tmp_path)
    with open_database(str(province)) as db:
        if office == "edit":
            rating = made["component_rating"]
            db.update("component_rating", rating, {"notes": "office"}, user="office")
        else:
            [rating] = db.insert("component_rating", [{
                "component": "barrel", "rating": 2, "inspection_id": made["inspection"],
                "district_code": AREA}], user="office")
    ogr_delete(pkg, "inspection", made["inspection"])
    report = sync_package(str(pkg), str(province))
    assert report["sent"]["delete"] == 0
    found = {c["table"]: c for c in report["conflicts"]}
    assert found["inspection"]["kind"] == "edit_delete"
    assert f"component_rating {rating} {'changed' if office == 'edit' else 'added'}" \
        in found["inspection"]["message"]
    for table, row_id in [*made.items(), ("component_rating", rating)]:
        assert row(province, table, row_id)["deleted_at"] is None
        assert _live(pkg, table, row_id) == [True]


CREW_EDITS = {"inspection": {"notes": "crew edit"}, "component_rating": {"rating": 2},
              "attachment": {"caption": "crew caption"}}


def _taken_mine_then_deleted_in_the_office(province, tmp_path):
    """:func:`_taken_mine` with a photo, then the office deletes the inspection (its rating
    and photo tombstoned with it), the crew still not synced."""
    pkg, _, made = _taken_mine(province, tmp_path, photo=True)
    with open_database(str(province)) as db:
        db.tombstone("inspection", made["inspection"], user="office")
    for table, row_id in made.items():
        assert row(province, table, row_id)["deleted_at"] is not None
    return pkg, made


@pytest.mark.parametrize("take", ["mine", "theirs"])
def test_the_crew_editing_its_rows_the_office_took_mine_then_deleted(province, tmp_path,
                                                                     take):
    """The crew edits the rows the office took mine on and then deleted (review 11q #2):
    each is an ``edit_delete`` against the values the package sent, as a row of its base
    would be (before: ``insert_insert``, never takeable). ``mine`` restores them with the
    crew's edits; ``theirs`` leaves them deleted; either way the next sync is quiet."""
    pkg, made = _taken_mine_then_deleted_in_the_office(province, tmp_path)
    for table, values in CREW_EDITS.items():
        ogr_update(pkg, table, made[table], **values)
    report = sync_package(str(pkg), str(province))
    assert report["refused"] == [] and report["sent"] == {"insert": 0, "update": 0,
                                                          "delete": 0}
    found = {c["table"]: c for c in report["conflicts"]}
    assert sorted(found) == sorted(made)
    sent = {"inspection": {"notes": "crew"}, "component_rating": {"rating": 4},
            "attachment": {"caption": None}}
    for table, conflict in found.items():
        assert conflict["kind"] == "edit_delete" and conflict["row_id"] == made[table]
        assert conflict["message"] == "edited in the package, deleted on the server"
        [stored] = [c for c in list_conflicts(str(province)) if c["id"] == conflict["id"]]
        assert (stored["fields"], stored["base"], stored["mine"]) == (
            sorted(CREW_EDITS[table]), sent[table], CREW_EDITS[table])
        assert _live(pkg, table, made[table]) == [False]  # the server's tombstone, for now
    resolve_conflicts(str(province), [c["id"] for c in found.values()], take)
    again = sync_package(str(pkg), str(province))
    assert again["conflicts"] == again["refused"] == again["dropped"] == []
    assert again["open_conflicts"] == 0 and again["sent"]["update"] == 0
    for table, values in CREW_EDITS.items():
        for where in (province, pkg):
            got = row(where, table, made[table])
            assert (got["deleted_at"] is None) == (take == "mine")
            [(name, value)] = values.items()
            assert got[name] == (value if take == "mine" else sent[table][name])


@pytest.mark.parametrize("crew", ["delete", "none"])
def test_the_crew_deleting_or_keeping_its_rows_the_office_took_mine_then_deleted(
        province, tmp_path, crew):
    """The crew deletes the inspection (its rating and photo with it), or leaves them as
    they were: no conflict, nothing written on the server, and the package holds the
    tombstones."""
    pkg, made = _taken_mine_then_deleted_in_the_office(province, tmp_path)
    if crew == "delete":
        ogr_delete(pkg, "inspection", made["inspection"])
    report = sync_package(str(pkg), str(province))
    assert report["conflicts"] == report["refused"] == report["dropped"] == []
    assert report["open_conflicts"] == 0
    assert report["sent"] == {"insert": 0, "update": 0, "delete": 0}
    for table, row_id in made.items():
        assert row(province, table, row_id)["deleted_at"] is not None
        assert _live(pkg, table, row_id) == [False]
    again = sync_package(str(pkg), str(province))
    assert again["sent"] == again["received"] == {"insert": 0, "update": 0, "delete": 0}
    assert again["conflicts"] == []


def test_theirs_on_one_crews_row_drops_it_alone_after_the_crew_deleted_its_child(
        province, tmp_path):
    """Re-check of review 11p #1 (the drop counts only conflicts the office's decision
    covers): crew A deletes the rating kept off under its inspection after the office took
    theirs on the inspection; crew B's inspection of the same culvert, kept off too, is not
    decided. A's next sync drops its inspection and closes the rating's conflict; B's keeps
    its row, the conflict open, until the office takes theirs on it."""
    pkg, culvert, made, conflicts = _kept_off(province, tmp_path, rating=True)
    with open_database(str(province)) as db:
        db.restore("culvert", culvert, user="office")
    other = tmp_path / "crew_b.gpkg"
    create_package(str(province), Scope("area", AREA), str(other))
    scheme = next(r["scheme"] for r in rows(other, "inspection") if r.get("scheme"))
    theirs = ogr_insert(other, "inspection", culvert_id=culvert, scheme=scheme,
                        inspection_date="2026-11-26", overall_rating=2, district_code=AREA)
    with open_database(str(province)) as db:
        db.tombstone("culvert", culvert, user="office")
    [kept] = sync_package(str(other), str(province))["conflicts"]
    resolve_conflicts(str(province), [conflicts["inspection"]["id"]], "theirs")
    ogr_delete(pkg, "component_rating", made["component_rating"])
    report = sync_package(str(pkg), str(province))
    assert [(d["table"], d["row_id"]) for d in report["dropped"]] == [
        ("inspection", made["inspection"])]
    assert report["conflicts"] == [] and report["open_conflicts"] == 0
    assert _status(province, conflicts["component_rating"]) == ("resolved", {"theirs"})
    for _ in range(2):
        again = sync_package(str(other), str(province))
        assert again["dropped"] == [] and again["open_conflicts"] == 1
        assert _live(other, "inspection", theirs) == [True]
    assert _status(province, kept)[0] == "open"
    resolve_conflicts(str(province), [kept["id"]], "theirs")
    assert [d["row_id"] for d in sync_package(str(other), str(province))["dropped"]] == [theirs]
    assert _live(other, "inspection", theirs) == [False]


def test_theirs_on_a_row_written_under_a_parent_the_package_never_held_drops_it(
        province, tmp_path):
    """A crew's inspection written through GDAL/OGR (no foreign keys checked) under a
    culvert deleted before the package was made (not in it): kept off, and after the office's
    ``theirs`` the next sync tombstones it in the package (said in ``dropped``), no raw
    foreign-key failure; it is never sent."""
    culvert = live_ids(province, "culvert", AREA)[0]
    with open_database(str(province)) as db:
        db.tombstone("culvert", culvert, user="office")
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    create_package(str(province), Scope("area", AREA), str(pkg))
    assert not rows(pkg, "culvert", id=culvert)
    scheme = next(r["scheme"] for r in rows(pkg, "inspection") if r.get("scheme"))
    new = ogr_insert(pkg, "inspection", culvert_id=culvert, scheme=scheme,
                     inspection_date="2026-11-25", overall_rating=3, notes="crew",
                     district_code=AREA)
    report = sync_package(str(pkg), str(province))
    [conflict] = report["conflicts"]
    assert (conflict["table"], conflict["kind"]) == ("inspection", "edit_delete")
    resolve_conflicts(str(province), [conflict["id"]], "theirs")
    report = sync_package(str(pkg), str(province))
    assert [(d["table"], d["row_id"]) for d in report["dropped"]] == [("inspection", new)]
    assert report["conflicts"] == report["refused"] == [] and report["open_conflicts"] == 0
    assert _live(pkg, "inspection", new) == [False]
    again = sync_package(str(pkg), str(province))
    assert again["sent"]["insert"] == 0 and again["conflicts"] == again["dropped"] == []
    assert not rows(province, "inspection", id=new)


def test_mine_on_a_rating_under_an_inspection_the_office_deleted_is_refused(
        province, tmp_path):
    """The crew edits a rating of the package's base; the office deletes its inspection
    (the rating goes with it): taking mine on the rating alone is refused naming the
    inspection (a GeoPackage has no live-parent guard: the rating would be live under a
    tombstone), the rating stays deleted; once the inspection is restored, mine is taken."""
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    create_package(str(province), Scope("area", AREA), str(pkg))
    rating = next(r for r in rows(pkg, "component_rating") if r["deleted_at"] is None)
    inspection = rating["inspection_id"]
    with open_database(str(province)) as db:
        db.tombstone("inspection", inspection, user="office")
    ogr_update(pkg, "component_rating", rating["id"], rating=1 if rating["rating"] != 1 else 2)
    [conflict] = sync_package(str(pkg), str(province))["conflicts"]
    assert (conflict["table"], conflict["kind"]) == ("component_rating", "edit_delete")
    with pytest.raises(SyncError, match=f"^conflict {conflict['id']}: component_rating "
                       f"{rating['id']}: its parent inspection {inspection} is deleted on the "
                       f"server: restore inspection {inspection} in the office first"):
        resolve_conflicts(str(province), [conflict["id"]], "mine")
    assert _live(province, "component_rating", rating["id"]) == [False]
    assert _status(province, conflict)[0] == "open"
    with open_database(str(province)) as db:
        db.restore("inspection", inspection, user="office")
    resolve_conflicts(str(province), [conflict["id"]], "mine")
    assert _live(province, "component_rating", rating["id"]) == [True]


def test_mine_on_a_row_the_crew_moved_off_a_deleted_parent_restores_it_under_the_new_one(
        province, tmp_path):
    """The crew moves an inspection from a duplicate culvert to the right one (and edits its
    notes); the office deletes the duplicate (the inspection goes with it): taking mine
    restores it under the culvert the crew chose, with its notes, the duplicate staying
    deleted (review 11r #3); a restore naming any other column than a parent's is refused."""
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    create_package(str(province), Scope("area", AREA), str(pkg))
    moved = next(r for r in rows(pkg, "inspection")
                 if r["deleted_at"] is None and r.get("culvert_id"))
    old = moved["culvert_id"]
    new = next(c for c in live_ids(pkg, "culvert", AREA) if c != old)
    ogr_update(pkg, "inspection", moved["id"], culvert_id=new, notes="moved to the right one")
    with open_database(str(province)) as db:
        db.tombstone("culvert", old, user="office")
    [conflict] = [c for c in sync_package(str(pkg), str(province))["conflicts"]
                  if c["row_id"] == moved["id"]]
    assert conflict["kind"] == "edit_delete"
    resolve_conflicts(str(province), [conflict["id"]], "mine")
    now = row(province, "inspection", moved["id"])
    assert (now["deleted_at"], now["culvert_id"], now["notes"]) == \
        (None, new, "moved to the right one")
    assert _live(province, "culvert", old) == [False]
    with open_database(str(province)) as db:
        db.tombstone("inspection", moved["id"], user="office")
        with pytest.raises(Exception, match="sets only the row's parent columns, not notes"):
            db.restore("inspection", moved["id"], user="office", owners={"notes": "x"})
