"""A survey's PCI rating follows the PCI it ends with: a typed PCI deriving keeps gets its
own rating, through the office's DB API and a field sync alike, and the section copies
both (review 11u #1). On a GeoPackage provincial database (the sample province)."""

import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from roadinfra.core.cli import main  # noqa: E402
from roadinfra.core.condition.pci import pci_rating  # noqa: E402
from roadinfra.core.db import gpkgblob, open_database  # noqa: E402
from roadinfra.core.derive import pending_rows  # noqa: E402
from roadinfra.core.sync import Scope, create_package, sync_package  # noqa: E402

from tests.support.sync import ogr_update, row, rows  # noqa: E402


def _latest_survey_with_distresses(province):
    """A survey of area 340, the latest of its section, with distresses: (survey, section,
    one of its distresses)."""
    with sqlite3.connect(province) as c:
        return c.execute(
            "SELECT s.id, s.section_id, min(d.id) FROM pavement_survey s "
            "JOIN pavement_distress d ON d.survey_id = s.id AND d.deleted_at IS NULL "
            "WHERE s.deleted_at IS NULL AND s.district_code = '340' AND s.pci >= 60 "
            "AND s.survey_date = (SELECT max(t.survey_date) FROM pavement_survey t "
            "WHERE t.section_id = s.section_id AND t.deleted_at IS NULL) "
            "GROUP BY s.id ORDER BY s.id LIMIT 1").fetchone()


def _condition(path, table, row_id):
    found = row(path, table, row_id)
    return found["pci"], found["pci_rating"]


def _poor(province):
    with open_database(province) as db:
        return pci_rating(40.0, db.profile, "en")


def test_a_pci_the_office_types_gets_its_own_rating(province):
    survey, section, _ = _latest_survey_with_distresses(province)
    poor = _poor(province)
    assert _condition(province, "pavement_survey", survey)[1] != poor
    with open_database(province) as db:
        db.update("pavement_survey", survey, {"pci": 40.0}, user="office")
        said = {(w.field, w.kind) for w in db.warnings}
    assert _condition(province, "pavement_survey", survey) == (40.0, poor)
    assert _condition(province, "pavement_section", section) == (40.0, poor)
    assert {("pci", "kept_typed"), ("pci_rating", "replaced")} <= said


def test_a_rating_typed_against_the_pci_is_replaced_and_said(province):
    survey, section, _ = _latest_survey_with_distresses(province)
    pci, rating = _condition(province, "pavement_survey", survey)
    poor = _poor(province)
    with open_database(province) as db:
        db.update("pavement_survey", survey, {"pci_rating": poor}, user="office")
        said = [w for w in db.warnings if w.field == "pci_rating"]
        assert [(w.kind, w.params["old"], w.params["new"]) for w in said] == \
            [("replaced", poor, rating)]
    assert _condition(province, "pavement_survey", survey) == (pci, rating)
    assert _condition(province, "pavement_section", section)[1] == rating


def test_a_stored_rating_against_its_pci_is_named_by_db_check_and_fixed(province):
    survey, section, _ = _latest_survey_with_distresses(province)
    pci, rating = _condition(province, "pavement_survey", survey)
    poor = _poor(province)
    conn = sqlite3.connect(province)  # as another tool would write it
    gpkgblob.register_functions(conn)
    conn.execute("UPDATE pavement_survey SET pci_rating = ? WHERE id = ?", (poor, survey))
    conn.execute("UPDATE pavement_section SET pci_rating = ? WHERE id = ?", (poor, section))
    conn.commit()
    conn.close()
    with open_database(province) as db:
        pending = [p for p in pending_rows(db, tables=["pavement_survey", "pavement_section"])
                   if p.row_id in (survey, section)]
    assert sorted((p.table, n) for p in pending for n in p.changes) == \
        [("pavement_section", "pci_rating"), ("pavement_survey", "pci_rating")]
    assert main(["db", "check", str(province), "--fix", "--user", "checker"]) == 0
    assert _condition(province, "pavement_survey", survey) == (pci, rating)
    assert _condition(province, "pavement_section", section)[1] == rating


def test_a_computed_pci_written_back_is_rated_as_stored(province):
    """84.97 is stored as 85.0: the rating is 85.0's, not 84.97's (Compute PCI's write-back)."""
    survey, _, _ = _latest_survey_with_distresses(province)
    with open_database(province) as db:
        db.update("pavement_survey", survey, {"pci": 85.0, "pci_rating": "Satisfactory"},
                  user="office")
        good = pci_rating(85.0, db.profile, "en")
    assert _condition(province, "pavement_survey", survey) == (85.0, good)


@pytest.mark.parametrize("distress_too", [False, True])
def test_a_pci_the_crew_types_gets_its_own_rating_in_a_sync(province, tmp_path, distress_too):
    survey, section, distress = _latest_survey_with_distresses(province)
    poor = _poor(province)
    pkg = str(tmp_path / "p.gpkg")
    create_package(str(province), Scope("area", "340"), pkg)
    ogr_update(pkg, "pavement_survey", survey, pci=40.0)
    if distress_too:
        quantity = rows(pkg, "pavement_distress", id=distress)[0]["quantity"]
        ogr_update(pkg, "pavement_distress", distress, quantity=quantity + 1.0)
    report = sync_package(pkg, str(province))
    assert report["conflicts"] == []
    assert _condition(province, "pavement_survey", survey) == (40.0, poor)
    assert _condition(province, "pavement_section", section) == (40.0, poor)
    assert _condition(pkg, "pavement_survey", survey) == (40.0, poor)
    with open_database(province) as db:  # db check: only the typed PCI is said
        said = [(p.row_id, w.field) for p in pending_rows(
            db, tables=["pavement_survey", "pavement_section"]) for w in p.warnings
            if p.row_id in (survey, section)]
    assert said == [(survey, "pci")]


@pytest.mark.parametrize("sent", [{"pci_rating": "Tốt"}, {"pci": 40.0, "pci_rating": "Good"}])
def test_a_rating_the_crew_types_against_the_pci_is_replaced_in_a_sync(province, tmp_path,
                                                                        sent):
    survey, section, _ = _latest_survey_with_distresses(province)
    pci = sent.get("pci", _condition(province, "pavement_survey", survey)[0])
    with open_database(province) as db:
        rating = pci_rating(pci, db.profile, "en")
    assert rating != sent["pci_rating"]
    pkg = str(tmp_path / "p.gpkg")
    create_package(str(province), Scope("area", "340"), pkg)
    ogr_update(pkg, "pavement_survey", survey, **sent)
    report = sync_package(pkg, str(province))
    assert report["conflicts"] == []
    assert _condition(province, "pavement_survey", survey) == (pci, rating)
    assert _condition(province, "pavement_section", section) == (pci, rating)
    said = [(d["field"], d["kind"]) for d in report["derived"] if d["field"] == "pci_rating"]
    assert said == [("pci_rating", "replaced")]


def test_a_typed_pci_with_two_decimals_is_said_as_typed(province):
    survey, _, _ = _latest_survey_with_distresses(province)
    with open_database(province) as db:
        db.update("pavement_survey", survey, {"pci": 54.96}, user="office")
        said = [w.message for w in db.warnings if w.field == "pci"]
    assert said and "kept the typed value 54.96;" in said[0]
