"""Photos and plans in offline packages against a GeoPackage provincial database (the
sample province): photos content-addressed both ways, once, missing and damaged files
reported and held back; plan items synced, an approved plan's guard refusing."""

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from roadinfra.core.db import open_database  # noqa: E402
from roadinfra.core.photos import attach_photo, photo_location, photo_path  # noqa: E402
from roadinfra.core.sync import Scope, create_package, resolve_conflicts, sync_package  # noqa: E402
from roadinfra.core.sync.photos import PhotoSync, check_photo, content_name  # noqa: E402

from tests.support import sync_photo_scenarios as scenarios  # noqa: E402
from tests.support.photos import jpeg, truncated  # noqa: E402
from tests.support.sync import live_ids, ogr_insert, row  # noqa: E402

pytest.importorskip("PIL.Image")



def test_photos_go_both_ways_once_and_problems_are_reported(province, tmp_path):
    scenarios.photos_both_ways(province, tmp_path)


def test_plan_items_sync_and_an_approved_plan_refuses(province, tmp_path):
    scenarios.plans_both_ways(province, tmp_path)


def test_an_office_photo_put_back_reaches_the_package_on_the_next_sync(province, tmp_path):
    """An attachment unchanged since the base is still read at every sync (not kept as in
    the base): its file, missing in the office at packaging, is copied into the package
    once it is back, and nothing is sent or received."""
    bridge = live_ids(province, "bridge", scenarios.AREA)[0]
    original = jpeg(tmp_path / "in" / "office.jpg")
    with open_database(str(province)) as db:
        photo = attach_photo(db, "bridge", bridge, original, user="office")
        server_file = photo_path(db, photo)
    aside = tmp_path / "aside.jpg"
    shutil.move(server_file, aside)
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    made = create_package(str(province), Scope("area", scenarios.AREA), str(pkg))
    assert [(p["row_id"], p["problem"]) for p in made["photos"]["problems"]] == [
        (photo["id"], "missing")]
    local = pkg.parent / row(pkg, "attachment", photo["id"])["file_path"]
    assert not local.exists()
    shutil.move(aside, server_file)
    report = sync_package(str(pkg), str(province))
    nothing = {"insert": 0, "update": 0, "delete": 0}
    assert report["sent"] == nothing and report["received"] == nothing
    assert report["photos"]["to_package"] == 1 and report["photos"]["problems"] == []
    assert local.read_bytes() == original.read_bytes()
    assert sync_package(str(pkg), str(province))["photos"]["to_package"] == 0


def test_a_sync_reads_only_the_attachments_that_changed_or_whose_file_the_package_lacks(
        province, tmp_path, monkeypatch):
    """The end of a sync reads from the server (and translates) only the attachments it
    needs: one changed on the server, one whose file the package lacks (copied again);
    an attachment unchanged whose file the package holds is kept as in the base."""
    bridges = live_ids(province, "bridge", scenarios.AREA)[:3]
    with open_database(str(province)) as db:
        changed, lacking, quiet = (
            attach_photo(db, "bridge", b, jpeg(tmp_path / "in" / f"{n}.jpg", colour=(90 * n, 9, 9)),
                         user="office")["id"] for n, b in enumerate(bridges))
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    create_package(str(province), Scope("area", scenarios.AREA), str(pkg))
    with open_database(str(province)) as db:
        db.update("attachment", changed, {"caption": "Ảnh chụp lại"}, user="office",
                  revision=row(province, "attachment", changed)["revision"])
    lost = pkg.parent / row(pkg, "attachment", lacking)["file_path"]
    kept = lost.read_bytes()
    lost.unlink()
    with open_database(str(pkg)) as db:  # the sample's own photos have no file anywhere
        without = {r["id"] for r in db.fetch("attachment")
                   if not (pkg.parent / r["file_path"]).is_file()}
    assert lacking in without and not {changed, quiet} & without
    read = []
    to_package = PhotoSync.to_package

    def spy(self, rows):
        rows = list(rows)
        read.extend(r["id"] for r in rows)
        return to_package(self, rows)

    monkeypatch.setattr(PhotoSync, "to_package", spy)
    report = sync_package(str(pkg), str(province))
    assert sorted(read) == sorted(without | {changed}) and quiet not in read
    assert report["received"]["update"] == 1 and report["photos"]["to_package"] == 1
    assert lost.read_bytes() == kept
    assert lacking not in {p["row_id"] for p in report["photos"]["problems"]}
    assert row(pkg, "attachment", changed)["caption"] == "Ảnh chụp lại"
    read.clear()
    again = sync_package(str(pkg), str(province))
    assert sorted(read) == sorted(without - {lacking})
    assert again["received"] == {"insert": 0, "update": 0, "delete": 0}


def test_content_names_and_file_checks(tmp_path):
    digest = "ab" + "0" * 62
    assert content_name(f"p.gpkg.photos/ab/{digest}.jpg") == (digest, ".jpg")
    assert content_name(f"ab/{digest}.jpg") == (digest, ".jpg")
    assert content_name(f"cd/{digest}.jpg") is None  # not in its folder
    assert content_name("DCIM/IMG_0001.jpg") is None and content_name(None) is None
    good = jpeg(tmp_path / "a.jpg")
    found, problem = check_photo(good)
    assert problem is None and len(found) == 64
    assert check_photo(good, found) == (found, None)
    assert check_photo(good, digest) == (None, "damaged: its content no longer matches its "
                                                "sha256 name")
    assert check_photo(tmp_path / "none.jpg") == (None, "missing")
    (tmp_path / "empty.jpg").write_bytes(b"")
    assert check_photo(tmp_path / "empty.jpg") == (None, "damaged: empty file")
    cut = truncated(tmp_path / "cut.jpg", jpeg(tmp_path / "big.jpg", size=(640, 480)))
    assert check_photo(cut)[1].startswith("damaged: not a readable image")


def test_a_package_sends_only_files_inside_its_folder_and_photos_that_are_images(
        province, tmp_path):
    """A package cannot make the office copy any file it names: an absolute path, ``..`` and
    a symbolic link leading out of the package's folder are held back as ``photo``
    conflicts, so is a ``photo`` that is not an image (whatever its name) and a document of
    a type not taken; a document inside the folder goes."""
    bridges = live_ids(province, "bridge", scenarios.AREA)
    crew = tmp_path / "crew"
    crew.mkdir()
    pkg = crew / "p.gpkg"
    create_package(str(province), Scope("area", scenarios.AREA), str(pkg))
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n")
    (crew / "DCIM").mkdir()
    (crew / "DCIM" / "link.jpg").symlink_to(jpeg(tmp_path / "outside.jpg"))
    (crew / "DCIM" / "data.bin").write_bytes(b"not an image at all")
    (crew / "DCIM" / "IMG_1.heic").write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 32)
    (crew / "DCIM" / "report.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (crew / "DCIM" / "tool.exe").write_bytes(b"MZ")
    bridge = row(pkg, "bridge", bridges[0])
    common = dict(target_table="bridge", target_id=bridges[0], district_code=scenarios.AREA,
                  geom=bridge["geom"])
    held = {ogr_insert(pkg, "attachment", file_path=path, kind=kind, **common): why
            for path, kind, why in (
                (str(secret), "photo", "an absolute path is not accepted"),
                ("../secret.txt", "photo", "leads out of it"),
                ("DCIM/../../secret.txt", "document", "leads out of it"),
                ("DCIM/link.jpg", "photo", "leads out of it"),
                ("DCIM/data.bin", "photo", "not an image"),
                ("DCIM/IMG_1.heic", "photo", "HEIC photos are not supported"),
                ("DCIM/tool.exe", "document", "of type '.exe' is not taken"))}
    document = ogr_insert(pkg, "attachment", file_path="DCIM/report.pdf", kind="document",
                          **common)
    report = sync_package(str(pkg), str(province))
    problems = {p["row_id"]: p["problem"] for p in report["photos"]["problems"]}
    assert set(problems) == set(held)
    for row_id, why in held.items():
        assert why in problems[row_id], (row_id, problems[row_id])
    with open_database(str(province)) as db:
        sent = {r["id"]: r for r in db.fetch("attachment")}
        conflicts = {c["row_id"]: c for c in db.fetch("sync_conflict",
                                                      where={"kind": "photo"})}
        store = photo_location(db)[0]
    assert not set(held) & set(sent) and set(conflicts) == set(held)
    assert all(held[i] in conflicts[i]["message"] for i in held)
    assert document in sent  # stored under its sha256 (.bin: not a photo suffix)
    copied = [p.read_bytes() for p in store.rglob("*") if p.is_file()]
    assert secret.read_bytes() not in copied and b"not an image at all" not in copied
    assert (crew / "DCIM" / "report.pdf").read_bytes() in copied


def test_the_same_photo_from_two_crews_on_one_target_is_one_attachment(province, tmp_path):
    """Two crews attach the same JPEG (under other names) to the same bridge: the first is
    sent, the second is not inserted again, said in ``photos.duplicates``, and its package
    keeps the server's row instead of its own; the same file twice in one package too."""
    bridge_id = live_ids(province, "bridge", scenarios.AREA)[0]
    packages = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        pkg = tmp_path / name / "p.gpkg"
        create_package(str(province), Scope("area", scenarios.AREA), str(pkg))
        packages.append(pkg)
    bridge = row(packages[0], "bridge", bridge_id)
    common = dict(target_table="bridge", target_id=bridge_id, kind="photo",
                  district_code=scenarios.AREA, geom=bridge["geom"])
    photo = jpeg(tmp_path / "a" / "DCIM" / "IMG_0001.jpg", colour=(7, 70, 170))
    first = ogr_insert(packages[0], "attachment", file_path="DCIM/IMG_0001.jpg", **common)
    shutil.copyfile(photo, tmp_path / "b" / "DCIM_0042.jpg")
    shutil.copyfile(photo, tmp_path / "b" / "again.jpg")
    second = ogr_insert(packages[1], "attachment", file_path="DCIM_0042.jpg", **common)
    third = ogr_insert(packages[1], "attachment", file_path="again.jpg", **common)
    assert sync_package(str(packages[0]), str(province))["photos"]["duplicates"] == []
    report = sync_package(str(packages[1]), str(province))
    duplicates = report["photos"]["duplicates"]
    assert sorted(d["row_id"] for d in duplicates) == sorted([second, third])
    assert {d["same_as"] for d in duplicates} == {first}
    assert report["sent"]["insert"] == 0 and report["conflicts"] == []
    with open_database(str(province)) as db:
        attached = db.fetch("attachment", where={"target_table": "bridge",
                                                 "target_id": bridge_id})
    assert [r["id"] for r in attached] == [first]
    with open_database(str(packages[1])) as db:  # the server's row only, its own tombstoned
        held = db.fetch("attachment", where={"target_id": bridge_id})
        gone = db.fetch("attachment", where={"target_id": bridge_id}, include_deleted=True)
    assert [r["id"] for r in held] == [first]
    assert {r["id"] for r in gone if r["deleted_at"] is not None} <= {second, third}
    quiet = sync_package(str(packages[1]), str(province))
    assert quiet["photos"]["duplicates"] == [] and quiet["sent"]["insert"] == 0


def test_a_held_photo_the_office_takes_theirs_for_leaves_the_package(province, tmp_path):
    """A photo held back (its file missing) whose conflict the office closes with
    ``--take theirs`` is not kept unsent for ever: the next sync removes it from the package
    and says so in ``photos.discarded``."""
    bridge_id = live_ids(province, "bridge", scenarios.AREA)[0]
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    create_package(str(province), Scope("area", scenarios.AREA), str(pkg))
    lost = ogr_insert(pkg, "attachment", file_path="DCIM/IMG_0404.jpg", kind="photo",
                      target_table="bridge", target_id=bridge_id,
                      district_code=scenarios.AREA, geom=row(pkg, "bridge", bridge_id)["geom"])
    [conflict] = sync_package(str(pkg), str(province))["conflicts"]
    resolve_conflicts(str(province), [conflict["id"]], "theirs")
    report = sync_package(str(pkg), str(province))
    assert [d["row_id"] for d in report["photos"]["discarded"]] == [lost]
    assert report["photos"]["problems"] == [] and report["open_conflicts"] == 0
    with open_database(str(pkg)) as db:  # a tombstone in the package, never sent
        assert not db.fetch("attachment", where={"id": lost})
        [kept] = db.fetch("attachment", where={"id": lost}, include_deleted=True)
        assert kept["deleted_at"] is not None
    again = sync_package(str(pkg), str(province))
    assert again["photos"]["discarded"] == [] and again["sent"]["insert"] == 0


def test_a_plan_is_not_approved_by_a_sync(province, tmp_path):
    scenarios.plan_status_stays_in_the_office(province, tmp_path)



def test_a_held_photo_edit_of_an_office_photo_never_replaces_what_the_office_stored(
        province, tmp_path):
    scenarios.held_photo_edit_merged(province, province, tmp_path)


def test_a_held_photo_edit_the_office_takes_theirs_for_gives_the_package_the_office_row(
        province, tmp_path):
    scenarios.held_photo_edit_dropped(province, province, tmp_path)
