"""Deriving on a sync never undoes what the merge decided, and says what it kept,
replaced or could not derive (review 11t #1, #2); the office's move of a distress derives
the survey it leaves (#3). On a GeoPackage provincial database (the sample province)."""

import json
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from roadinfra.core.db import open_database  # noqa: E402
from roadinfra.core.sync import Scope, create_package, sync_package  # noqa: E402
from roadinfra.core.sync.conflicts import resolve_conflicts  # noqa: E402
from roadinfra.core.sync.errors import SyncError  # noqa: E402

from tests.support.sync import cli, ogr_insert, ogr_update, row, rows  # noqa: E402

#: A bridge inspection of area 338 whose ratings derive a posting of 24 t.
INSPECTION = "6738841d-ca00-56ca-8568-b9f2159e3e0b"


def _package(province, tmp_path, area):
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    create_package(str(province), Scope("area", area), str(pkg))
    return str(pkg)


def _entries(report, field):
    return [e for e in report["derived"] if e["field"] == field]


@pytest.mark.parametrize("crew", ["notes", "rule", "rating"])
def test_a_sync_never_raises_the_posting_the_office_lowered(province, tmp_path, crew):
    pkg = _package(province, tmp_path, "338")
    assert row(province, "inspection", INSPECTION)["load_posting_t"] == pytest.approx(24.0)
    if crew == "notes":
        ogr_update(pkg, "inspection", INSPECTION, notes="crew note")
    elif crew == "rule":  # the profile: "inspection.load_posting_t" = "min"
        ogr_update(pkg, "inspection", INSPECTION, load_posting_t=30.0,
                   inspection_date="2026-11-01")
    else:
        rating = rows(pkg, "component_rating", inspection_id=INSPECTION)[0]
        ogr_update(pkg, "component_rating", rating["id"],
                   rating=rating["rating"] - 1 if rating["rating"] > 3 else rating["rating"] + 1)
    with open_database(province) as db:
        db.update("inspection", INSPECTION, {"load_posting_t": 5.0}, user="office")
    report = sync_package(pkg, province)
    assert report["conflicts"] == []
    assert row(province, "inspection", INSPECTION)["load_posting_t"] == pytest.approx(5.0)
    assert row(pkg, "inspection", INSPECTION)["load_posting_t"] == pytest.approx(5.0)
    said = _entries(report, "load_posting_t")
    assert [(e["kind"], e["kept"], e["derived"]) for e in said] == [("kept", 5.0, 24.0)]
    assert "24.0" in said[0]["message"]


def _survey_with_distresses(province):
    with sqlite3.connect(province) as c:
        return c.execute(
            "SELECT survey_id, min(id) FROM pavement_distress WHERE deleted_at IS NULL "
            "AND district_code = '340' GROUP BY survey_id HAVING count(*) > 1 "
            "ORDER BY survey_id LIMIT 1").fetchone()


def test_a_pci_the_crew_typed_stays_when_its_distresses_change_too(province, tmp_path):
    pkg = _package(province, tmp_path, "340")
    survey, distress = _survey_with_distresses(province)
    ogr_update(pkg, "pavement_survey", survey, pci=40.0)
    ogr_update(pkg, "pavement_distress", distress, quantity=6.0)
    report = sync_package(pkg, province)
    assert report["conflicts"] == []
    assert row(province, "pavement_survey", survey)["pci"] == pytest.approx(40.0)
    said = _entries(report, "pci")
    assert [(e["row_id"], e["kind"], e["kept"]) for e in said] == [(survey, "kept", 40.0)]


def test_a_pci_the_sync_replaces_or_cannot_derive_is_reported(province, tmp_path):
    pkg = _package(province, tmp_path, "340")
    survey, distress = _survey_with_distresses(province)
    before = row(province, "pavement_survey", survey)["pci"]
    ogr_update(pkg, "pavement_distress", distress, quantity=400.0)  # density over 100 %
    report = sync_package(pkg, province)
    assert row(province, "pavement_survey", survey)["pci"] == pytest.approx(before)
    said = _entries(report, "pci")
    assert [(e["row_id"], e["kind"]) for e in said] == [(survey, "not_derived")]
    assert distress in said[0]["message"] and "density" in said[0]["message"]
    ogr_update(pkg, "pavement_distress", distress, quantity=30.0)
    report = sync_package(pkg, province)
    after = row(province, "pavement_survey", survey)["pci"]
    assert after != pytest.approx(before)
    said = _entries(report, "pci")
    assert [(e["kind"], e["kept"], e["derived"]) for e in said] == [("replaced", before, after)]


def test_moving_a_distress_derives_the_survey_it_leaves(province):
    survey, distress = _survey_with_distresses(province)
    with sqlite3.connect(province) as c:
        other = c.execute("SELECT DISTINCT survey_id FROM pavement_distress WHERE deleted_at "
                          "IS NULL AND survey_id <> ? ORDER BY survey_id LIMIT 1",
                          (survey,)).fetchone()[0]
    with open_database(province) as db:
        db.update("pavement_distress", distress, {"survey_id": other}, user="office")
        left = db.fetch("pavement_survey", where={"id": survey})[0]["pci"]
    with open_database(province) as db:  # what the survey's remaining distresses give
        db.update("pavement_survey", survey, {"pci": None}, user="check")
        assert db.fetch("pavement_survey", where={"id": survey})[0]["pci"] == \
            pytest.approx(left)


def test_the_cli_says_what_deriving_replaced_or_could_not_derive(province, tmp_path):
    pkg = _package(province, tmp_path, "340")
    survey, distress = _survey_with_distresses(province)
    ogr_update(pkg, "pavement_distress", distress, quantity=400.0)
    text = cli("sync", pkg, "--db", province)
    assert text.returncode == 0, text.stderr
    assert (f"not derived: pavement_survey {survey} field 'pci': PCI not derived from the "
            f"distresses: pavement_distress {distress}") in text.stdout
    ogr_update(pkg, "pavement_distress", distress, quantity=30.0)
    done = cli("sync", pkg, "--db", province, "--json")
    assert done.returncode == 0, done.stderr
    [entry] = [e for e in json.loads(done.stdout)["derived"] if e["field"] == "pci"]
    assert entry["kind"] == "replaced" and entry["row_id"] == survey
    assert entry["derived"] == pytest.approx(row(province, "pavement_survey", survey)["pci"])


@pytest.mark.parametrize("field", ["notes", "rating"])
def test_a_resolve_taking_mine_never_raises_the_posting_the_office_lowered(
        province, tmp_path, field):
    pkg = _package(province, tmp_path, "338")
    rating = rows(pkg, "component_rating", inspection_id=INSPECTION)[0]
    new = rating["rating"] - 1 if rating["rating"] > 3 else rating["rating"] + 1
    with open_database(province) as db:  # the office's edit of the same field, then 5 t
        if field == "notes":
            db.update("inspection", INSPECTION, {"notes": "office"}, user="office")
        else:
            db.update("component_rating", rating["id"], {"rating": 9 - new}, user="office")
        db.update("inspection", INSPECTION, {"load_posting_t": 5.0}, user="office")
    if field == "notes":
        ogr_update(pkg, "inspection", INSPECTION, notes="crew")
    else:
        ogr_update(pkg, "component_rating", rating["id"], rating=new)
    report = sync_package(pkg, province)
    [conflict] = report["conflicts"]
    [done] = resolve_conflicts(province, [conflict["id"]], "mine")
    assert row(province, "inspection", INSPECTION)["load_posting_t"] == pytest.approx(5.0)
    assert [(e["field"], e["kind"], e["kept"]) for e in done["derived"]] == \
        [("load_posting_t", "kept", 5.0)]
    shown = cli("conflicts", "list", "--db", province)
    assert conflict["id"] not in shown.stdout


def test_a_row_moved_under_a_new_row_kept_off_says_which_and_why(province, tmp_path):
    """Review 11t #4: the crew adds a survey under a section the office deletes and moves
    an existing distress under it: the move is not written, its conflict names the new
    survey and why it is kept off; taking mine on the distress alone says to take the
    survey's conflict first."""
    with sqlite3.connect(province) as c:
        survey, section = c.execute(
            "SELECT s.id, s.section_id FROM pavement_survey s JOIN pavement_distress d ON "
            "d.survey_id = s.id WHERE s.deleted_at IS NULL AND s.district_code = '340' "
            "GROUP BY s.id HAVING count(*) > 2 ORDER BY s.id LIMIT 1").fetchone()
        other, route, start, end, code = c.execute(
            "SELECT id, route_id, from_m, to_m, code FROM pavement_section WHERE deleted_at "
            "IS NULL AND district_code = '340' AND id <> ? ORDER BY id LIMIT 1",
            (section,)).fetchone()
        distress = c.execute("SELECT min(id) FROM pavement_distress WHERE survey_id = ? AND "
                             "deleted_at IS NULL", (survey,)).fetchone()[0]
    pkg = _package(province, tmp_path, "340")
    new = ogr_insert(pkg, "pavement_survey", section_id=other, district_code="340",
                     route_id=route, from_m=start, to_m=end, survey_date="2026-11-20",
                     method="VISUAL", surveyor="Đội A")
    ogr_update(pkg, "pavement_distress", distress, survey_id=new, quantity=7.0)
    with open_database(province) as db:
        db.tombstone("pavement_section", other, user="office")
    report = sync_package(pkg, province)
    moved = [c for c in report["conflicts"] + report["refused"]
             if c["table"] == "pavement_distress"]
    assert [c["kind"] for c in moved] == ["refused"]
    assert f"moved in the package under pavement_survey {new}" in moved[0]["message"]
    assert f"pavement_section {code}, deleted on the server" in moved[0]["message"]
    with pytest.raises(SyncError, match=rf"its parent pavement_survey {new} is not on the "
                       r"server, kept off by conflict .*: take mine on that one first"):
        resolve_conflicts(province, [moved[0]["id"]], "mine")
    assert str(row(province, "pavement_distress", distress)["survey_id"]) == survey
