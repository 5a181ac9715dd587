"""Rows a crew editor made offline under a culvert the office deleted meanwhile, on a real
PostGIS provincial database: kept off as ``edit_delete`` conflicts with the rows under
them; the office's ``theirs`` drops them from the package on the crew's next sync (never
recorded again, a photo listed in ``photos.discarded``); its ``mine`` on the parent after a
restore brings the child in on that sync, each conflict closed."""

import pytest
from roadinfra.core.db import open_database
from roadinfra.core.photos import attach_photo
from roadinfra.core.sync import Scope, create_package, resolve_conflicts, sync_package

from tests.support.pg import editor_of, sql
from tests.support.photos import jpeg
from tests.support.sync import live_ids, ogr_delete, ogr_insert, ogr_update, rows
from tests.support.sync_pg import set_photo_store


def _kept_off(pg_server, province, tmp_path, what):
    """The crew's package, its login's URL, the culvert, {table: new row id} and {table:
    conflict} after the sync that kept them off."""
    set_photo_store(province, tmp_path)
    _, crew = editor_of(pg_server, province, "340")
    pkg = tmp_path / "crew.gpkg"
    create_package(crew, Scope("area", "340"), str(pkg), name="crew")
    culvert = live_ids(pkg, "culvert", "340")[0]
    made = {}
    if what == "photo":
        with open_database(str(pkg)) as db:
            attach_photo(db, "culvert", culvert, jpeg(tmp_path / "cong.jpg"))
        [made["attachment"]] = [r["id"] for r in rows(pkg, "attachment")
                                if r["target_id"] == culvert]
    else:
        scheme = next(r["scheme"] for r in rows(pkg, "inspection") if r.get("scheme"))
        made["inspection"] = ogr_insert(pkg, "inspection", culvert_id=culvert, scheme=scheme,
                                        inspection_date="2026-11-25", overall_rating=3,
                                        notes="crew", district_code="340")
        made["component_rating"] = ogr_insert(pkg, "component_rating", component="deck",
                                              inspection_id=made["inspection"], rating=4,
                                              district_code="340")
    sql(province, "DELETE FROM culvert WHERE id = %s", (culvert,))  # as QGIS deletes
    report = sync_package(str(pkg), crew)
    assert report["refused"] == [] and report["sent"]["insert"] == 0
    conflicts = {c["table"]: c for c in report["conflicts"]}
    assert sorted(conflicts) == sorted(made)
    assert {c["kind"] for c in conflicts.values()} == {"edit_delete"}
    return pkg, crew, culvert, made, conflicts


def _statuses(province, row_id):
    return [s for (s,) in sql(province, "SELECT status FROM sync_conflict WHERE row_id = %s "
                                        "ORDER BY created_at", (row_id,))]


def _live(pkg, table, row_id):
    return [r["deleted_at"] is None for r in rows(pkg, table, id=row_id)]


@pytest.mark.parametrize("what", ["inspection", "photo"])
def test_take_theirs_on_a_row_kept_off_drops_it_from_the_package(pg_server, province,
                                                                 tmp_path, what):
    """The office (postgres) takes theirs on the kept-off row (the inspection: its rating
    goes with it): the crew's next sync drops them from the package, records nothing;
    later syncs stay quiet, and no conflict of them is open again."""
    pkg, crew, _, made, conflicts = _kept_off(pg_server, province, tmp_path, what)
    top = "attachment" if what == "photo" else "inspection"
    resolve_conflicts(province, [conflicts[top]["id"]], "theirs")
    report = sync_package(str(pkg), crew)
    assert [(d["table"], d["row_id"]) for d in report["dropped"]] == list(made.items())
    assert report["conflicts"] == [] and report["open_conflicts"] == 0
    if what == "photo":
        assert [d["row_id"] for d in report["photos"]["discarded"]] == [made[top]]
    for table, row_id in made.items():
        assert _live(pkg, table, row_id) == [False]
        assert _statuses(province, row_id) == ["resolved"]
    again = sync_package(str(pkg), crew)
    assert again["conflicts"] == again["dropped"] == [] and again["open_conflicts"] == 0
    assert sql(province, f"SELECT count(*) FROM {top} WHERE id = %s",  # noqa: S608 # test table name
               (made[top],)) == [(0,)]


def test_take_mine_on_the_parent_after_a_restore_brings_its_kept_off_child_in(
        pg_server, province, tmp_path):
    """The rating under the kept-off inspection is kept off with it (naming both, not
    "refers to no inspection row"); the office restores the culvert and takes mine on the
    inspection: the crew's next sync inserts the rating and closes its conflict."""
    pkg, crew, culvert, made, conflicts = _kept_off(pg_server, province, tmp_path, "child")
    message = conflicts["component_rating"]["message"]
    assert f"inspection {made['inspection']}, itself kept off" in message
    assert "culvert CU-340-" in message and "refers to no" not in message
    sql(province, "UPDATE culvert SET deleted_at = NULL WHERE id = %s", (culvert,))
    resolve_conflicts(province, [conflicts["inspection"]["id"]], "mine")
    report = sync_package(str(pkg), crew)
    assert report["sent"]["insert"] == 1 and report["open_conflicts"] == 0
    assert sql(province, "SELECT rating, deleted_at FROM component_rating WHERE id = %s",
               (made["component_rating"],)) == [(4, None)]
    for row_id in made.values():
        assert _statuses(province, row_id) == ["resolved"]


def test_a_photo_added_under_it_after_theirs_keeps_it_off_by_a_new_conflict(
        pg_server, province, tmp_path):
    """The crew attaches a photo to the inspection after the office took theirs on it: a
    change the office never saw, so nothing is dropped or discarded; the inspection, its
    rating and the photo stay in the package, kept off by open conflicts."""
    pkg, crew, _, made, conflicts = _kept_off(pg_server, province, tmp_path, "child")
    resolve_conflicts(province, [conflicts["inspection"]["id"]], "theirs")
    with open_database(str(pkg)) as db:
        attach_photo(db, "inspection", made["inspection"], jpeg(tmp_path / "later.jpg"))
    [photo] = [r["id"] for r in rows(pkg, "attachment") if r["target_id"] == made["inspection"]]
    report = sync_package(str(pkg), crew)
    assert report["dropped"] == [] and report["photos"]["discarded"] == []
    assert ("attachment", "edit_delete", photo) in {
        (c["table"], c["kind"], c["row_id"]) for c in report["conflicts"]}
    for table, row_id in list(made.items()) + [("attachment", photo)]:
        assert _live(pkg, table, row_id) == [True]
    assert _statuses(province, made["inspection"]) == ["resolved", "open"]
    assert sql(province, "SELECT count(*) FROM attachment WHERE id = %s", (photo,)) == [(0,)]
    # the next sync, before the office decides on the new conflicts, drops nothing
    again = sync_package(str(pkg), crew)
    assert again["dropped"] == [] and again["photos"]["discarded"] == []
    for table, row_id in list(made.items()) + [("attachment", photo)]:
        assert _live(pkg, table, row_id) == [True]
    assert _statuses(province, made["inspection"]) == ["resolved", "open"]


@pytest.mark.parametrize("office", [None, "edit", "add"])
def test_the_crew_deleting_its_rows_the_office_took_mine(pg_server, province, tmp_path,
                                                         office):
    """The office (postgres) restores the culvert and takes mine on the inspection and its
    rating; the crew, not synced since, deletes the inspection (the rating with it). The
    server's rows are the ones its package sent: both tombstoned, no conflict (review 11o
    #5: the rating counted as "added on the server since"). When the office edited that
    rating, or added one under the inspection, since: an ``edit_delete`` naming it, every
    row kept live."""
    pkg, crew, culvert, made, conflicts = _kept_off(pg_server, province, tmp_path, "child")
    sql(province, "UPDATE culvert SET deleted_at = NULL WHERE id = %s", (culvert,))
    resolve_conflicts(province, [c["id"] for c in conflicts.values()], "mine")
    rating = made["component_rating"]
    if office == "edit":
        sql(province, "UPDATE component_rating SET notes = 'office' WHERE id = %s", (rating,))
    elif office == "add":
        [(rating,)] = sql(province, "INSERT INTO component_rating (id, component, rating, "
                                    "inspection_id, district_code) VALUES "
                                    "(gen_random_uuid(), 'barrel', 2, %s, '340') RETURNING id",
                          (made["inspection"],))
        rating = str(rating)
    ogr_delete(pkg, "inspection", made["inspection"])
    report = sync_package(str(pkg), crew)
    everything = [*made.items(), ("component_rating", rating)]
    if office is None:
        assert report["conflicts"] == report["refused"] == [] and report["open_conflicts"] == 0
        assert report["sent"]["delete"] == 2
        for table, row_id in everything:
            assert sql(province, f"SELECT deleted_at IS NOT NULL FROM {table} "  # noqa: S608 # test table name
                       "WHERE id = %s", (row_id,)) == [(True,)]
            assert _live(pkg, table, row_id) == [False]
        return
    assert report["sent"]["delete"] == 0
    found = {c["table"]: c for c in report["conflicts"]}
    assert found["inspection"]["kind"] == "edit_delete"
    assert f"component_rating {rating} {'changed' if office == 'edit' else 'added'}" \
        in found["inspection"]["message"]
    for table, row_id in everything:
        assert sql(province, f"SELECT deleted_at IS NULL FROM {table} "  # noqa: S608 # test table name
                   "WHERE id = %s", (row_id,)) == [(True,)]
        assert _live(pkg, table, row_id) == [True]


def test_the_crew_editing_its_row_the_office_took_mine_is_merged_as_an_edit(
        pg_server, province, tmp_path):
    """The crew edits its inspection after the office took mine on it (and the rating) and
    edited another field of it: an edit merged against the row as the resolve wrote it,
    both fields kept, no conflict (before: ``insert_insert``, the crew's edit not written);
    the untouched rating is no change at all."""
    pkg, crew, culvert, made, conflicts = _kept_off(pg_server, province, tmp_path, "child")
    sql(province, "UPDATE culvert SET deleted_at = NULL WHERE id = %s", (culvert,))
    resolve_conflicts(province, [c["id"] for c in conflicts.values()], "mine")
    sql(province, "UPDATE inspection SET overall_rating = 2 WHERE id = %s",
        (made["inspection"],))
    ogr_update(pkg, "inspection", made["inspection"], notes="crew again")
    report = sync_package(str(pkg), crew)
    assert report["conflicts"] == report["refused"] == [] and report["open_conflicts"] == 0
    assert report["sent"] == {"insert": 0, "update": 1, "delete": 0}
    assert sql(province, "SELECT notes, overall_rating FROM inspection WHERE id = %s",
               (made["inspection"],)) == [("crew again", 2)]
    assert [(r["notes"], r["overall_rating"]) for r in rows(pkg, "inspection",
                                                            id=made["inspection"])] == \
        [("crew again", 2)]


CREW_EDITS = {"inspection": {"notes": "crew edit"}, "component_rating": {"rating": 2},
              "attachment": {"caption": "crew caption"}}


@pytest.mark.parametrize("what", ["child", "photo"])
@pytest.mark.parametrize("crew", ["mine", "theirs", "delete", "none"])
def test_the_crew_and_its_rows_the_office_took_mine_then_deleted(pg_server, province,
                                                                 tmp_path, what, crew):
    """The office takes mine on the crew's rows (the inspection and its rating, or a photo
    of the culvert), then deletes the top one as QGIS does (the rating with it), the crew
    not synced since (review 11q #2). The crew's edit of each is an ``edit_delete`` against
    the values its package sent, as of a row of its base (before: ``insert_insert``, never
    takeable): ``mine`` restores them with the crew's edits, ``theirs`` leaves them
    deleted. Deleted by the crew too, or left as they were: no conflict, nothing written,
    the package holds the tombstones."""
    pkg, crew_url, culvert, made, conflicts = _kept_off(pg_server, province, tmp_path, what)
    sql(province, "UPDATE culvert SET deleted_at = NULL WHERE id = %s", (culvert,))
    resolve_conflicts(province, [c["id"] for c in conflicts.values()], "mine")
    top = "attachment" if what == "photo" else "inspection"
    sql(province, f"DELETE FROM {top} WHERE id = %s", (made[top],))  # noqa: S608 # test table name
    if crew in ("mine", "theirs"):
        for table, row_id in made.items():
            ogr_update(pkg, table, row_id, **CREW_EDITS[table])
    elif crew == "delete":
        ogr_delete(pkg, top, made[top])
    report = sync_package(str(pkg), crew_url)
    assert report["refused"] == [] and report["sent"] == {"insert": 0, "update": 0,
                                                          "delete": 0}
    found = {c["table"]: c for c in report["conflicts"]}
    if crew in ("mine", "theirs"):
        assert sorted(found) == sorted(made)
        assert {c["kind"] for c in found.values()} == {"edit_delete"}
        for table, conflict in found.items():
            [(base, mine)] = sql(province, "SELECT base, mine FROM sync_conflict WHERE id = %s",
                                 (conflict["id"],))
            assert mine == CREW_EDITS[table] and set(base) == set(mine)
        resolve_conflicts(province, [c["id"] for c in found.values()], crew)
        report = sync_package(str(pkg), crew_url)
        assert report["conflicts"] == report["refused"] == report["dropped"] == []
    else:
        assert found == {} and report["dropped"] == []
    assert report["open_conflicts"] == 0
    for table, row_id in made.items():
        [(gone,)] = sql(province, f"SELECT deleted_at IS NOT NULL FROM {table} "  # noqa: S608 # test table name
                                  "WHERE id = %s", (row_id,))
        assert gone == (crew != "mine")
        assert _live(pkg, table, row_id) == [crew == "mine"]
        if crew == "mine":
            [(name, value)] = CREW_EDITS[table].items()
            assert [r[name] for r in rows(pkg, table, id=row_id)] == [value]
            assert sql(province, f"SELECT {name} FROM {table} WHERE id = %s",  # noqa: S608 # test names
                       (row_id,)) == [(value,)]


def test_an_older_conflict_of_a_row_taken_from_a_later_one_is_closed_by_the_next_sync(
        pg_server, province, tmp_path):
    """The crew corrects its kept-off inspection (a second conflict, newer values); the
    office restores the culvert and takes mine on the later one (and the rating): the crew's
    next sync closes the older one, ``theirs``, under the crew's login (its values were never
    written; review 11q: it stayed open for good, never takeable)."""
    pkg, crew, culvert, made, conflicts = _kept_off(pg_server, province, tmp_path, "child")
    ogr_update(pkg, "inspection", made["inspection"], notes="corrected")
    later = {c["table"]: c for c in sync_package(str(pkg), crew)["conflicts"]}
    assert later["inspection"]["id"] != conflicts["inspection"]["id"]
    sql(province, "UPDATE culvert SET deleted_at = NULL WHERE id = %s", (culvert,))
    resolve_conflicts(province, [c["id"] for c in later.values()], "mine")
    assert _statuses(province, made["inspection"]) == ["open", "resolved"]
    report = sync_package(str(pkg), crew)
    assert report["conflicts"] == report["refused"] == [] and report["open_conflicts"] == 0
    [(status, resolution, by)] = sql(province, "SELECT status, resolution, resolved_by FROM "
                                               "sync_conflict WHERE id = %s",
                                     (conflicts["inspection"]["id"],))
    assert (status, set(resolution.values()), by) == ("resolved", {"theirs"}, report["login"])
    assert sql(province, "SELECT notes FROM inspection WHERE id = %s",
               (made["inspection"],)) == [("corrected",)]


def test_mine_on_a_row_the_crew_moved_off_a_deleted_parent_restores_it_under_the_new_one(
        pg_server, province, tmp_path):
    """The crew moves an inspection from a duplicate culvert to the right one (and edits its
    notes); the office deletes the duplicate (the inspection goes with it): taking mine
    restores the inspection under the culvert the crew chose, with its notes (review 11r
    #3: the restore was refused by the old parent's tombstone)."""
    _, crew = editor_of(pg_server, province, "340")
    pkg = tmp_path / "crew.gpkg"
    create_package(crew, Scope("area", "340"), str(pkg), name="crew")
    moved = next(r for r in rows(pkg, "inspection")
                 if r["deleted_at"] is None and r.get("culvert_id"))
    old = moved["culvert_id"]
    new = next(c for c in live_ids(pkg, "culvert", "340") if c != old)
    ogr_update(pkg, "inspection", moved["id"], culvert_id=new, notes="moved to the right one")
    sql(province, "DELETE FROM culvert WHERE id = %s", (old,))  # as QGIS deletes
    [conflict] = [c for c in sync_package(str(pkg), crew)["conflicts"]
                  if c["row_id"] == moved["id"]]
    assert conflict["kind"] == "edit_delete"
    resolve_conflicts(province, [conflict["id"]], "mine")
    assert sql(province, "SELECT deleted_at IS NULL, culvert_id::text, notes FROM inspection "
                         "WHERE id = %s", (moved["id"],)) == [(True, new, "moved to the right one")]


@pytest.mark.parametrize("change", ["edit", "delete"])
def test_a_synced_distress_change_derives_its_survey_again(pg_server, province, tmp_path,
                                                           change):
    """Review 11s #1: a crew editor's edit or delete of a distress, synced, derives its
    survey's PCI again in the sync's transaction (deriving it once more changes nothing)."""
    _, crew = editor_of(pg_server, province, "340")
    pkg = tmp_path / "crew.gpkg"
    create_package(crew, Scope("area", "340"), str(pkg), name="crew")
    distress = next(r for r in rows(pkg, "pavement_distress")
                    if r["deleted_at"] is None and r.get("quantity"))
    survey = distress["survey_id"]
    [(before,)] = sql(province, "SELECT pci FROM pavement_survey WHERE id = %s", (survey,))
    if change == "edit":
        ogr_update(pkg, "pavement_distress", distress["id"], quantity=400)
    else:
        ogr_delete(pkg, "pavement_distress", distress["id"])
    report = sync_package(str(pkg), crew)
    assert report["conflicts"] == [] and report["applied"] == 1
    [(after,)] = sql(province, "SELECT pci FROM pavement_survey WHERE id = %s", (survey,))
    assert after != before
    with open_database(province) as db:
        db.derive_dependents([("pavement_distress", distress["id"]),
                              ("pavement_survey", survey)], "check")
    assert sql(province, "SELECT pci FROM pavement_survey WHERE id = %s", (survey,)) == \
        [(after,)]
