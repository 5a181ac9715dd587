"""How a ``photo`` conflict (an attachment held back by its missing file) ends, against a
GeoPackage provincial database (the sample province): it closes whatever else the sync
met for the row, says every field it holds back, a resolution of an older edit does not
drop a newer one, and an office photo put back is no crew edit (review of issue 11)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from roadinfra.core.db import open_database  # noqa: E402
from roadinfra.core.photos import attach_photo  # noqa: E402
from roadinfra.core.photos.store import photo_root  # noqa: E402
from roadinfra.core.sync import (  # noqa: E402
    Scope,
    create_package,
    resolve_conflicts,
    show_conflict,
    sync_package,
)

from tests.support.photos import jpeg  # noqa: E402
from tests.support.sync import live_ids, ogr_delete, ogr_insert, ogr_update, row  # noqa: E402
from tests.support.sync_photo_scenarios import AREA  # noqa: E402

pytest.importorskip("PIL.Image")


def _package_with_office_photo(province, tmp_path, caption=None):
    """(package, the office's attachment) of a package of district AREA made after the
    office attached a photo to its second bridge."""
    bridge = live_ids(province, "bridge", AREA)[1]
    with open_database(str(province)) as db:
        office = attach_photo(db, "bridge", bridge, jpeg(tmp_path / "in" / "o.jpg"),
                              caption=caption, user="office")
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    create_package(str(province), Scope("area", AREA), str(pkg))
    return pkg, office


def _conflicts(province):
    with open_database(str(province)) as db:
        return {c["id"]: c for c in db.fetch("sync_conflict")}


def test_a_held_photo_edit_meeting_the_office_delete_closes_its_photo_conflict(
        province, tmp_path):
    """The crew's held edit is sent once its file is back and meets the office's delete:
    the photo conflict is closed naming the edit_delete conflict, not left open for ever."""
    pkg, office = _package_with_office_photo(province, tmp_path)
    ogr_update(pkg, "attachment", office["id"], file_path="DCIM/IMG_0500.jpg", caption="tổ")
    [held] = sync_package(str(pkg), str(province))["conflicts"]
    with open_database(str(province)) as db:
        db.tombstone("attachment", office["id"], user="office",
                     revision=row(province, "attachment", office["id"])["revision"])
    assert sync_package(str(pkg), str(province))["open_conflicts"] == 1  # still missing
    jpeg(pkg.parent / "DCIM" / "IMG_0500.jpg", colour=(9, 99, 199))
    report = sync_package(str(pkg), str(province))
    [met] = report["conflicts"]
    assert met["kind"] == "edit_delete" and report["photos"]["settled"] == 1
    closed = _conflicts(province)[held["id"]]
    assert closed["status"] == "resolved"
    assert closed["resolution"] == {"file_path": f"edit_delete conflict {met['id']}"}
    assert report["open_conflicts"] == 1  # the edit_delete only
    assert sync_package(str(pkg), str(province))["open_conflicts"] == 1


def test_deleting_a_held_attachment_in_the_package_closes_its_photo_conflict(
        province, tmp_path):
    """The photo conflict's own advice, "or delete the attachment there", closes it: a row
    made offline deleted in the package, and a held edit of the office's row deleted there
    (the delete is sent)."""
    pkg, office = _package_with_office_photo(province, tmp_path)
    bridge = live_ids(province, "bridge", AREA)[0]
    new = ogr_insert(pkg, "attachment", file_path="DCIM/IMG_0404.jpg", target_table="bridge",
                     target_id=bridge, kind="photo", district_code=AREA)
    ogr_update(pkg, "attachment", office["id"], file_path="DCIM/IMG_0500.jpg")
    first = sync_package(str(pkg), str(province))
    assert sorted(c["kind"] for c in first["conflicts"]) == ["photo", "photo"]
    assert "or delete the attachment there" in first["conflicts"][0]["message"]
    ogr_delete(pkg, "attachment", new)
    ogr_delete(pkg, "attachment", office["id"])
    report = sync_package(str(pkg), str(province))
    assert report["open_conflicts"] == 0 and report["photos"]["settled"] == 2
    assert report["sent"]["delete"] == 1
    assert row(province, "attachment", office["id"])["deleted_at"] is not None
    assert {c["row_id"]: c["resolution"] for c in _conflicts(province).values()} == {
        new: {"file_path": "deleted in the package"},
        office["id"]: {"file_path": "deleted in the package"}}
    assert sync_package(str(pkg), str(province))["open_conflicts"] == 0


def test_a_photo_conflict_holds_every_field_the_crew_changed(province, tmp_path):
    """The office sees (``conflicts show``) every change held back with the photo, the
    caption too, before taking theirs drops them."""
    pkg, office = _package_with_office_photo(province, tmp_path, caption="Mố A")
    ogr_update(pkg, "attachment", office["id"], file_path="DCIM/IMG_0500.jpg",
               caption="Mố A nứt dọc 2 m, cần gia cố gấp")
    [held] = sync_package(str(pkg), str(province))["conflicts"]
    assert held["fields"] == ["caption", "file_path"]
    assert "nor its other changes: caption" in held["message"]
    shown = show_conflict(str(province), held["id"])
    assert shown["fields"] == ["caption", "file_path"]
    assert shown["mine"]["caption"] == "Mố A nứt dọc 2 m, cần gia cố gấp"
    assert shown["theirs"] == {"caption": "Mố A", "file_path": office["file_path"]}
    [done] = resolve_conflicts(str(province), [held["id"]], "theirs")
    assert done["choice"] == {"caption": "theirs", "file_path": "theirs"}
    report = sync_package(str(pkg), str(province))
    assert [d["row_id"] for d in report["photos"]["discarded"]] == [office["id"]]
    assert row(pkg, "attachment", office["id"])["caption"] == "Mố A"


def test_taking_theirs_on_an_older_photo_conflict_keeps_the_newer_edit(province, tmp_path):
    """A held edit edited again (its file still missing) is a second photo conflict; the
    office taking theirs on the first says nothing of the crew's current edit: it is not
    discarded, its conflict stays open."""
    pkg, office = _package_with_office_photo(province, tmp_path)
    ogr_update(pkg, "attachment", office["id"], file_path="DCIM/IMG_0500.jpg", caption="lần 1")
    [first] = sync_package(str(pkg), str(province))["conflicts"]
    ogr_update(pkg, "attachment", office["id"], caption="lần 2 - mố trái nứt")
    [second] = sync_package(str(pkg), str(province))["conflicts"]
    assert second["id"] != first["id"]
    resolve_conflicts(str(province), [first["id"]], "theirs")
    report = sync_package(str(pkg), str(province))
    assert report["photos"]["discarded"] == [] and report["open_conflicts"] == 1
    kept = row(pkg, "attachment", office["id"])
    assert (kept["file_path"], kept["caption"]) == ("DCIM/IMG_0500.jpg", "lần 2 - mố trái nứt")
    assert _conflicts(province)[second["id"]]["status"] == "open"
    resolve_conflicts(str(province), [second["id"]], "theirs")  # now the current edit
    report = sync_package(str(pkg), str(province))
    assert [d["row_id"] for d in report["photos"]["discarded"]] == [office["id"]]


def test_an_office_photo_put_back_under_a_plain_path_is_no_crew_edit(province, tmp_path):
    """An office attachment named by a plain path (``scans/cau_1.jpg``), its file missing at
    packaging, then put back: the sync that copies the file gives the package's row its
    package path (as its base), so the next sync sees no edit and holds nothing."""
    bridge = live_ids(province, "bridge", AREA)[0]
    with open_database(str(province)) as db:
        root = photo_root(db)
        [photo] = db.insert("attachment", [{
            "target_table": "bridge", "target_id": bridge, "kind": "photo",
            "district_code": AREA, "file_path": "scans/cau_1.jpg", "caption": "ảnh quét"}],
            user="office")
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    made = create_package(str(province), Scope("area", AREA), str(pkg))
    assert [p["row_id"] for p in made["photos"]["problems"]] == [photo]
    jpeg(root / "scans" / "cau_1.jpg")  # the office puts the file back
    first = sync_package(str(pkg), str(province))
    assert first["photos"]["to_package"] == 1 and first["conflicts"] == []
    path = row(pkg, "attachment", photo)["file_path"]
    assert path.startswith("p.gpkg.photos/") and (pkg.parent / path).is_file()
    again = sync_package(str(pkg), str(province))
    assert again["conflicts"] == [] and again["open_conflicts"] == 0
    assert again["sent"] == {"insert": 0, "update": 0, "delete": 0}
    assert row(province, "attachment", photo)["file_path"] == "scans/cau_1.jpg"


def test_the_crews_caption_of_a_held_photo_can_be_kept_without_its_file(province, tmp_path):
    """A photo conflict's other fields can be taken one by one (second review of issue 11,
    item 5): ``--take theirs --field caption=mine`` keeps the crew's caption (a normal
    logged change of the server's row, in the resolver's name) and the server's photo; the
    crew's next sync drops its held edit and takes the server's row, the caption kept.
    Taking the file (``file_path=mine``) is refused: there is no file to take."""
    from roadinfra.core.sync import SyncError

    pkg, office = _package_with_office_photo(province, tmp_path, caption="Mố A")
    crew_caption = "Mố A nứt dọc 2 m, cần gia cố gấp"
    ogr_update(pkg, "attachment", office["id"], file_path="DCIM/IMG_0500.jpg",
               caption=crew_caption)
    [held] = sync_package(str(pkg), str(province))["conflicts"]
    assert held["fields"] == ["caption", "file_path"]
    for take, fields in (("mine", None), ("theirs", {"file_path": "mine"})):
        with pytest.raises(SyncError, match="no file to take: .*--field caption=mine"):
            resolve_conflicts(str(province), [held["id"]], take, fields)
    [done] = resolve_conflicts(str(province), [held["id"]], "theirs", {"caption": "mine"})
    assert done["applied"] == {"caption": crew_caption}
    server_row = row(province, "attachment", office["id"])
    assert (server_row["caption"], server_row["file_path"]) == (crew_caption,
                                                                office["file_path"])
    with open_database(str(province)) as db:
        [(operation, new)] = db._query(
            "SELECT operation, json_extract(new_values, '$.caption') FROM change_log "
            "WHERE row_id = ? ORDER BY id DESC LIMIT 1", (office["id"],))
    assert (operation, new) == ("UPDATE", crew_caption)
    report = sync_package(str(pkg), str(province))
    assert [d["row_id"] for d in report["photos"]["discarded"]] == [office["id"]]
    kept = row(pkg, "attachment", office["id"])
    assert kept["caption"] == crew_caption and kept["file_path"] != "DCIM/IMG_0500.jpg"
    assert report["open_conflicts"] == 0
