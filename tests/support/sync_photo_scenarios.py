"""Sync scenarios of photos and plans, run against both provincial back-ends (tests/unit:
GeoPackage, tests/postgis: PostGIS with a ``photo_store`` folder): photos carried
content-addressed both ways, once; missing and damaged files reported, never dropped;
plan items edited in the field synced like assets; an approved plan's guard refusing."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from roadinfra.core.db import open_database
from roadinfra.core.db.gpkg import connect
from roadinfra.core.photos import attach_photo, photo_path, photo_store
from roadinfra.core.planning import lifecycle
from roadinfra.core.sync import Scope, SyncError, create_package, resolve_conflicts, sync_package

from tests.support.photos import jpeg, truncated
from tests.support.sync import cli, live_ids, ogr_insert, ogr_update, row, rows

AREA = "340"


def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def store_files(server) -> list:
    """Every photo file in the server's store (names relative to it)."""
    with open_database(str(server)) as db:
        store = photo_store(db)
    return sorted(p.relative_to(store).as_posix() for p in store.rglob("*") if p.is_file())


def _file(server, attachment) -> Path:
    with open_database(str(server)) as db:
        return photo_path(db, attachment)


def photos_both_ways(server, tmp: Path) -> None:
    """Office photos into the package (checked, under the package), crew photos (our API and
    a QField-style form row with a plain DCIM file) into the provincial store once, the
    package learning their final path; missing and damaged files on either side reported,
    the crew's held back as ``photo`` conflicts until the file is there."""
    bridges = live_ids(server, "bridge", AREA)
    culverts = live_ids(server, "culvert", AREA)
    with open_database(str(server)) as db:
        office = attach_photo(db, "bridge", bridges[0], jpeg(tmp / "in" / "office.jpg"),
                              user="office")
        gone = attach_photo(db, "bridge", bridges[1],
                            jpeg(tmp / "in" / "gone.jpg", colour=(0, 90, 0)), user="office")
        bad = attach_photo(db, "culvert", culverts[0],
                           jpeg(tmp / "in" / "bad.jpg", colour=(0, 0, 90)), user="office")
    _file(server, gone).unlink()                       # gone from the store
    _file(server, bad).write_bytes(b"overwritten by a sync tool")  # no longer its content

    crew = tmp / "crew"
    crew.mkdir()
    pkg = crew / "p.gpkg"
    made = create_package(str(server), Scope("area", AREA), str(pkg))
    problems = {p["row_id"]: p["problem"] for p in made["photos"]["problems"]}
    assert set(problems) == {gone["id"], bad["id"]}  # packed all the same, with a warning
    assert problems[gone["id"]] == "missing" and problems[bad["id"]].startswith("damaged")
    assert made["photos"]["to_package"] == 1
    digest = sha(tmp / "in" / "office.jpg")
    packed = row(pkg, "attachment", office["id"])
    assert packed["file_path"] == f"p.gpkg.photos/{digest[:2]}/{digest}.jpg"
    assert (crew / packed["file_path"]).read_bytes() == (tmp / "in" / "office.jpg").read_bytes()
    assert row(pkg, "attachment", bad["id"])["file_path"].startswith("p.gpkg.photos/")
    quiet = sync_package(str(pkg), str(server))  # the translated paths are no change
    assert quiet["sent"] == {"insert": 0, "update": 0, "delete": 0}
    assert {p["row_id"] for p in quiet["photos"]["problems"]} == {gone["id"], bad["id"]}

    # ------------------------------------------------------------ the crew's photos
    finished = jpeg(tmp / "in" / "finished.jpg", colour=(250, 250, 0))
    with open_database(str(pkg)) as db:  # our API on the package
        api = attach_photo(db, "bridge", bridges[2], finished, caption="Mố cầu sau sửa")
    bridge = row(pkg, "bridge", bridges[3])
    qfield_file = jpeg(crew / "DCIM" / "IMG_20250527_093000.jpg", colour=(10, 200, 200))
    common = dict(target_table="bridge", target_id=bridges[3], kind="photo",
                  district_code=AREA, geom=bridge["geom"])
    qfield = ogr_insert(pkg, "attachment", file_path="DCIM/IMG_20250527_093000.jpg",
                        caption="Lan can", **common)
    twice = ogr_insert(pkg, "attachment", file_path="DCIM/copy_of_finished.jpg", **common)
    shutil.copyfile(finished, crew / "DCIM" / "copy_of_finished.jpg")  # same content
    lost = ogr_insert(pkg, "attachment", file_path="DCIM/IMG_0404.jpg", **common)
    truncated(crew / "DCIM" / "IMG_0405.jpg", jpeg(tmp / "in" / "whole.jpg", colour=(90, 0, 90),
                                                    size=(640, 480)))
    damaged = ogr_insert(pkg, "attachment", file_path="DCIM/IMG_0405.jpg", **common)
    before = store_files(server)

    done = cli("sync", str(pkg), "--db", str(server))
    assert done.returncode == 0, done.stderr
    assert "photo problem (package)" in done.stdout and "IMG_0404.jpg: missing" in done.stdout
    report = sync_package(str(pkg), str(server))  # the held-back rows again: not repeated
    assert report["sent"]["insert"] == 0 and len(report["conflicts"]) == 2
    server_rows = {r["id"]: r for r in rows(server, "attachment")}
    assert {api["id"], qfield, twice} <= set(server_rows)
    assert lost not in server_rows and damaged not in server_rows  # never pointing to nothing
    added = sorted(set(store_files(server)) - set(before))
    assert added == sorted(f"{d[:2]}/{d}.jpg" for d in (sha(finished), sha(qfield_file)))
    assert server_rows[api["id"]]["file_path"] == server_rows[twice]["file_path"]  # one file
    for row_id in (api["id"], qfield, twice):
        assert sha(_file(server, server_rows[row_id])) == Path(
            server_rows[row_id]["file_path"]).stem
        learnt = row(pkg, "attachment", row_id)  # the package learnt the final path
        name = Path(server_rows[row_id]["file_path"]).name
        assert learnt["file_path"] == f"p.gpkg.photos/{name[:2]}/{name}"
        assert sha(crew / learnt["file_path"]) == Path(learnt["file_path"]).stem
    with open_database(str(server)) as db:
        stored = db.fetch("sync_conflict", where={"kind": "photo"})
    assert len(stored) == 2  # the second sync did not repeat them
    held = {c["row_id"]: c for c in stored}
    assert set(held) == {lost, damaged}
    assert "missing" in held[lost]["message"] and "not a readable image" in held[
        damaged]["message"]
    assert held[lost]["mine"]["caption"] is None and held[lost]["mine"]["target_id"] == bridges[3]
    with pytest.raises(SyncError, match="no file to take"):
        resolve_conflicts(str(server), [held[lost]["id"]], "mine")

    # ------------------------------------------------------------ a second crew, same photo
    other = tmp / "crew2" / "q.gpkg"
    other.parent.mkdir()
    create_package(str(server), Scope("area", AREA), str(other))
    with open_database(str(other)) as db:
        attach_photo(db, "bridge", bridges[4], finished)
    files = store_files(server)
    second = sync_package(str(other), str(server))
    assert second["sent"]["insert"] == 1 and store_files(server) == files  # no second copy
    assert (second["photos"]["to_server"], second["photos"]["already_on_server"]) == (0, 1)

    # ------------------------------------------------------------ fixed, and the office's
    jpeg(crew / "DCIM" / "IMG_0404.jpg", colour=(1, 2, 3))  # the crew copies it back
    with open_database(str(server)) as db:  # a server photo new since the base
        later = attach_photo(db, "bridge", bridges[0], jpeg(tmp / "in" / "later.jpg",
                                                             colour=(5, 5, 5)), user="office")
    again = sync_package(str(pkg), str(server))
    assert again["sent"]["insert"] == 1 and again["photos"]["to_server"] == 1
    assert again["photos"]["to_package"] == 2  # the fixed one learnt, the office's new one
    assert row(server, "attachment", lost)["file_path"].endswith(
        f"{sha(crew / 'DCIM' / 'IMG_0404.jpg')}.jpg")
    local = row(pkg, "attachment", later["id"])["file_path"]
    assert (crew / local).read_bytes() == (tmp / "in" / "later.jpg").read_bytes()
    assert [p["row_id"] for p in again["photos"]["problems"]
            if p["side"] == "package"] == [damaged]  # still held, still said
    assert again["photos"]["settled"] == 1 and again["open_conflicts"] == 1
    sync_package(str(pkg), str(server))
    replay = sync_package(str(pkg), str(server))  # a changeset of its own (never taken for a
    assert not replay["replayed"] and replay["applied"] == 0  # replay): nothing new to do,
    assert [p["row_id"] for p in replay["photos"]["problems"]
            if p["side"] == "package"] == [damaged]  # still said
    settled = row(server, "sync_conflict", held[lost]["id"])
    assert settled["status"] == "resolved" and settled["resolution"] == {"file_path": "mine"}


def plans_both_ways(server, tmp: Path) -> None:
    """Plan items edited in the field (status, quantities, a photo of finished work) sync
    like assets; an item of a plan approved meanwhile takes only its results: the server's
    guard refuses the rest, which comes back as a ``refused`` conflict, nothing else lost.
    In the package the same guard holds once it knows the plan is approved."""
    sections = [r for r in rows(server, "pavement_section", district_code=AREA)
                if r["deleted_at"] is None][:4]
    with open_database(str(server)) as db:
        plans = db.insert("maintenance_plan", [
            {"code": f"MP-{AREA}-{n}", "name": f"Kế hoạch {n}", "plan_year": 2026,
             "status": "draft"} for n in (1, 2)], user="office")
        items = db.insert("plan_item", [
            {"plan_id": plans[i // 2], "district_code": AREA, "route_id": s["route_id"],
             "from_m": s["from_m"], "to_m": s["to_m"], "target_table": "pavement_section",
             "target_id": s["id"], "treatment": "OVERLAY", "quantity": 1000.0 + i,
             "unit": "m2", "cost_vnd": 1.0e9, "work_year": 2026, "geom": s["geom"]}
            for i, s in enumerate(sections)], user="office")
    pkg = tmp / "plans.gpkg"
    create_package(str(server), Scope("area", AREA), str(pkg))
    assert {r["id"] for r in rows(pkg, "plan_item")} >= set(items)
    lifecycle.set_plan_status(str(server), f"MP-{AREA}-2", "submitted", user="office")
    lifecycle.set_plan_status(str(server), f"MP-{AREA}-2", "approved", user="director")

    draft_1, draft_2, approved_1, approved_2 = items
    ogr_update(pkg, "plan_item", draft_1, status="done", quantity=1100.0,
               done_date="2026-05-20", actual_cost_vnd=1.1e9)
    ogr_update(pkg, "plan_item", draft_2, quantity=950.0)
    ogr_update(pkg, "plan_item", approved_1, quantity=1500.0)              # not a result
    ogr_update(pkg, "plan_item", approved_2, status="done", condition_measured=92.0)
    bridge = live_ids(pkg, "bridge")[0]
    ogr_update(pkg, "bridge", bridge, spans=9)
    with open_database(str(pkg)) as db:  # photos of finished work, one on the approved plan
        photo_1 = attach_photo(db, "plan_item", draft_1, jpeg(tmp / "done1.jpg"))
        photo_2 = attach_photo(db, "plan_item", approved_2, jpeg(tmp / "done2.jpg",
                                                                 colour=(0, 0, 0)))
    report = sync_package(str(pkg), str(server))
    assert [r["row_id"] for r in report["refused"]] == [approved_1]
    assert "take only their results" in report["refused"][0]["message"]
    assert report["sent"] == {"insert": 2, "update": 4, "delete": 0}
    assert report["conflicts"] == [] and report["photos"]["problems"] == []
    item = row(server, "plan_item", draft_1)
    assert (item["status"], item["quantity"], str(item["done_date"]),
            item["actual_cost_vnd"]) == ("done", 1100.0, "2026-05-20", 1.1e9)
    assert row(server, "plan_item", draft_2)["quantity"] == 950.0
    assert row(server, "plan_item", approved_1)["quantity"] == 1002.0  # the approved value
    result = row(server, "plan_item", approved_2)
    assert (result["status"], result["condition_measured"]) == ("done", 92.0)
    assert row(server, "bridge", bridge)["spans"] == 9
    for photo, target in ((photo_1, draft_1), (photo_2, approved_2)):
        on_server = row(server, "attachment", photo["id"])
        assert (on_server["target_table"], on_server["target_id"]) == ("plan_item", target)
        assert _file(server, on_server).is_file()
    with open_database(str(server)) as db:
        [refused] = db.fetch("sync_conflict", where={"kind": "refused"})
    assert refused["mine"] == {"quantity": 1500.0} and refused["fields"] == ["quantity"]
    # the package holds the server's state: the plan approved, the item as approved
    assert row(pkg, "maintenance_plan", plans[1])["status"] == "approved"
    assert row(pkg, "plan_item", approved_1)["quantity"] == 1002.0
    conn = connect(str(pkg))  # and its own guard now refuses the same edit at once
    with pytest.raises(Exception, match="take only their results"):
        conn.execute("UPDATE plan_item SET quantity = 1500 WHERE id = ?", (approved_1,))
    conn.close()
    again = sync_package(str(pkg), str(server))
    assert again["sent"] == {"insert": 0, "update": 0, "delete": 0}
    assert again["refused"] == []  # nothing left to send: the refusal is not repeated


def plan_status_stays_in_the_office(server, tmp: Path) -> dict:
    """A crew cannot submit, approve or close a plan by editing it in the package: the
    package itself refuses a status off the plan's steps (draft -> approved), and the sync
    sends the plan's other fields and records a step it allows (draft -> submitted) as a
    ``refused`` conflict."""
    section = next(r for r in rows(server, "pavement_section", district_code=AREA)
                   if r["deleted_at"] is None)
    with open_database(str(server)) as db:  # a package takes the plans of its items
        [plan] = db.insert("maintenance_plan", [
            {"code": f"MP-{AREA}-9", "name": "Kế hoạch 9", "plan_year": 2027,
             "status": "draft"}], user="office")
        db.insert("plan_item", [
            {"plan_id": plan, "district_code": AREA, "route_id": section["route_id"],
             "from_m": section["from_m"], "to_m": section["to_m"],
             "target_table": "pavement_section", "target_id": section["id"],
             "treatment": "OVERLAY", "quantity": 100.0, "unit": "m2", "cost_vnd": 1.0e8,
             "work_year": 2027, "geom": section["geom"]}], user="office")
    pkg = tmp / "status.gpkg"
    create_package(str(server), Scope("area", AREA), str(pkg))
    assert row(pkg, "maintenance_plan", plan)["status"] == "draft"
    with pytest.raises(AssertionError, match="one step at a time"):
        ogr_update(pkg, "maintenance_plan", plan, status="approved")
    ogr_update(pkg, "maintenance_plan", plan, status="submitted", name="Kế hoạch 9 (tổ)")
    report = sync_package(str(pkg), str(server))
    on_server = row(server, "maintenance_plan", plan)
    assert (on_server["status"], on_server["name"]) == ("draft", "Kế hoạch 9 (tổ)")
    assert on_server["approved_at"] is None and on_server["approved_by"] is None
    refused = [c for c in report["refused"] if c["row_id"] == plan]
    assert len(refused) == 1 and refused[0]["fields"] == ["status"]
    assert "in the office" in refused[0]["message"]
    again = sync_package(str(pkg), str(server))  # tried again, refused again, nothing lost
    assert row(server, "maintenance_plan", plan)["status"] == "draft"
    assert again["sent"]["update"] == 0
    return report


def _held_edit_of_an_office_photo(server, crew, tmp: Path):
    """An office photo in a package whose crew points it at a file then missing (and
    changes its caption): (package, attachment id, the office's row, the photo conflict).
    ``server`` is the office's target, ``crew`` the one the crew packages and syncs with
    (on PostGIS an editor of the area)."""
    bridge = live_ids(server, "bridge", AREA)[0]
    with open_database(str(server)) as db:
        photo = attach_photo(db, "bridge", bridge, jpeg(tmp / "in" / "office.jpg"),
                             user="office")
    pkg = tmp / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    create_package(str(crew), Scope("area", AREA), str(pkg))
    ogr_update(pkg, "attachment", photo["id"], file_path="DCIM/IMG_0500.jpg",
               caption="Ảnh mới của tổ")
    report = sync_package(str(pkg), str(crew))
    [conflict] = report["conflicts"]
    assert conflict["kind"] == "photo" and report["sent"]["update"] == 0
    office = row(server, "attachment", photo["id"])
    assert office["revision"] == photo["revision"] and office["file_path"] == photo["file_path"]
    kept = row(pkg, "attachment", photo["id"])  # the crew's edit stays in the package
    assert (kept["file_path"], kept["caption"]) == ("DCIM/IMG_0500.jpg", "Ảnh mới của tổ")
    return pkg, photo["id"], office, conflict


def held_photo_edit_merged(server, crew, tmp: Path) -> None:
    """The crew's edit of an attachment the server has, held back by its missing file, is
    kept in the package (not overwritten by the server's row) and sent once the file is
    back, merged with what the office did meanwhile: the office's new photo is not
    replaced (a ``field`` conflict), the crew's caption goes, the photo conflict is settled;
    taking the crew's side then points the row at the crew's stored photo."""
    pkg, photo_id, _, held = _held_edit_of_an_office_photo(server, crew, tmp)
    again = sync_package(str(pkg), str(crew))  # still missing: nothing lost either
    assert again["sent"]["update"] == 0 and again["open_conflicts"] == 1
    assert row(pkg, "attachment", photo_id)["file_path"] == "DCIM/IMG_0500.jpg"
    bridge = row(server, "attachment", photo_id)["target_id"]
    with open_database(str(server)) as db:  # the office replaces the photo meanwhile
        newer = attach_photo(db, "bridge", bridge, jpeg(tmp / "in" / "newer.jpg",
                                                        colour=(20, 20, 220)), user="office")
        db.update("attachment", photo_id, {"file_path": newer["file_path"]}, user="office",
                  revision=row(server, "attachment", photo_id)["revision"])
        office_file = photo_path(db, row(server, "attachment", photo_id))
    office_bytes = office_file.read_bytes()
    crew_photo = jpeg(pkg.parent / "DCIM" / "IMG_0500.jpg", colour=(220, 220, 20))
    report = sync_package(str(pkg), str(crew))
    [disputed] = report["conflicts"]
    assert (disputed["kind"], disputed["fields"]) == ("field", ["file_path"])
    now = row(server, "attachment", photo_id)
    assert now["file_path"] == newer["file_path"] and now["caption"] == "Ảnh mới của tổ"
    assert office_file.read_bytes() == office_bytes
    with open_database(str(server)) as db:
        [closed] = db.fetch("sync_conflict", where={"id": held["id"]})
        assert closed["status"] == "resolved"
        assert closed["resolution"] == {"file_path": f"field conflict {disputed['id']}"}
    assert report["photos"]["settled"] == 1 and report["open_conflicts"] == 1
    assert row(pkg, "attachment", photo_id)["file_path"] == \
        row(pkg, "attachment", newer["id"])["file_path"]  # the package takes the office's
    resolve_conflicts(str(server), [disputed["id"]], "mine")
    with open_database(str(server)) as db:
        taken = photo_path(db, row(server, "attachment", photo_id))
    assert taken.read_bytes() == crew_photo.read_bytes()
    assert office_file.read_bytes() == office_bytes  # both files kept in the store


def held_photo_edit_dropped(server, crew, tmp: Path) -> None:
    """The office closes the photo conflict of such an edit with ``--take theirs``: the
    next sync drops the crew's edit (``photos.discarded``), the package takes the server's
    row, nothing is sent and no conflict is recorded again."""
    pkg, photo_id, office, held = _held_edit_of_an_office_photo(server, crew, tmp)
    resolve_conflicts(str(server), [held["id"]], "theirs")
    report = sync_package(str(pkg), str(crew))
    assert [(d["row_id"], d["made_offline"]) for d in report["photos"]["discarded"]] == [
        (photo_id, False)]
    assert report["sent"]["update"] == 0 and report["conflicts"] == []
    assert report["open_conflicts"] == 0
    assert row(server, "attachment", photo_id) == office
    taken = row(pkg, "attachment", photo_id)
    assert taken["caption"] == office["caption"] and taken["file_path"].startswith("p.gpkg")
    assert sync_package(str(pkg), str(crew))["sent"]["update"] == 0
