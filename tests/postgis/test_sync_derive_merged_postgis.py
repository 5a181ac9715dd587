"""Deriving on a sync to PostGIS (an editor login) never undoes what the merge decided and
says what it kept (review 11t #1, #2); a resolve taking mine on a moved distress derives
the survey it leaves (#3)."""

import pytest
from roadinfra.core.condition.pci import pci_rating
from roadinfra.core.db import open_database
from roadinfra.core.derive import derive_row
from roadinfra.core.derive.rows import dependent_typed
from roadinfra.core.sync import Scope, create_package, sync_package
from roadinfra.core.sync.conflicts import list_conflicts, resolve_conflicts

from tests.support.pg import editor_of, sql
from tests.support.sync import ogr_update, row

#: A bridge inspection of area 338 whose ratings derive a posting of 24 t.
INSPECTION = "6738841d-ca00-56ca-8568-b9f2159e3e0b"


@pytest.mark.parametrize("crew", ["notes", "rule"])
def test_a_sync_never_raises_the_posting_the_office_lowered(pg_server, province, tmp_path,
                                                            crew):
    _, editor = editor_of(pg_server, province, "338")
    pkg = str(tmp_path / "p.gpkg")
    create_package(editor, Scope("area", "338"), pkg)
    if crew == "notes":
        ogr_update(pkg, "inspection", INSPECTION, notes="ghi chú của tổ")
    else:  # the profile: "inspection.load_posting_t" = "min"
        ogr_update(pkg, "inspection", INSPECTION, load_posting_t=30.0,
                   inspection_date="2026-11-01")
    with open_database(province) as db:
        db.update("inspection", INSPECTION, {"load_posting_t": 5.0}, user="office")
    report = sync_package(pkg, editor)
    assert report["conflicts"] == [] and report["refused"] == []
    assert row(province, "inspection", INSPECTION)["load_posting_t"] == pytest.approx(5.0)
    said = [(e["kind"], e["kept"], e["derived"]) for e in report["derived"]
            if e["field"] == "load_posting_t"]
    assert said == [("kept", 5.0, 24.0)]


def _surveys(province, count):
    return [str(r[0]) for r in sql(
        province, "SELECT survey_id FROM pavement_distress WHERE deleted_at IS NULL AND "
        "district_code = '340' GROUP BY survey_id HAVING count(*) > 2 ORDER BY survey_id "
        "LIMIT %s", (count,))]


def test_a_pci_the_crew_typed_stays_when_its_distresses_change_too(pg_server, province,
                                                                   tmp_path):
    _, editor = editor_of(pg_server, province, "340")
    pkg = str(tmp_path / "p.gpkg")
    create_package(editor, Scope("area", "340"), pkg)
    [survey] = _surveys(province, 1)
    distress = str(sql(province, "SELECT min(id::text) FROM pavement_distress WHERE "
                       "survey_id = %s AND deleted_at IS NULL", (survey,))[0][0])
    ogr_update(pkg, "pavement_survey", survey, pci=40.0)
    ogr_update(pkg, "pavement_distress", distress, quantity=30.0)
    report = sync_package(pkg, editor)
    assert report["conflicts"] == [] and report["refused"] == []
    assert row(province, "pavement_survey", survey)["pci"] == pytest.approx(40.0)
    said = [(e["row_id"], e["kind"], e["kept"]) for e in report["derived"]
            if e["field"] == "pci"]
    assert said == [(survey, "kept", 40.0)]
    # review 11u #1: the rating follows the PCI written, not the one derived before
    with open_database(province) as db:
        poor = pci_rating(40.0, db.profile, "en")
    assert row(province, "pavement_survey", survey)["pci_rating"] == poor
    assert row(pkg, "pavement_survey", survey)["pci_rating"] == poor


def _stale(province, survey):
    """What deriving the survey from its distresses now would change."""
    with open_database(province) as db:
        current = db.fetch("pavement_survey", where={"id": survey})[0]
        return derive_row(db, "pavement_survey", current,
                          typed_fields=dependent_typed("pavement_survey", current)).changes


def test_taking_mine_on_a_moved_distress_derives_the_survey_it_leaves(pg_server, province,
                                                                      tmp_path):
    _, editor = editor_of(pg_server, province, "340")
    pkg = str(tmp_path / "p.gpkg")
    create_package(editor, Scope("area", "340"), pkg)
    v1, v2, v3 = _surveys(province, 3)
    distress = str(sql(province, "SELECT id FROM pavement_distress WHERE survey_id = %s AND "
                       "deleted_at IS NULL ORDER BY quantity DESC LIMIT 1", (v1,))[0][0])
    ogr_update(pkg, "pavement_distress", distress, survey_id=v2)
    with open_database(province) as db:  # the office moves it elsewhere
        db.update("pavement_distress", distress, {"survey_id": v3}, user="office")
    left_by_office = row(province, "pavement_survey", v1)["pci"]
    report = sync_package(pkg, editor)
    assert [(c["kind"], c["fields"]) for c in report["conflicts"]] == \
        [("field", ["survey_id"])]
    resolve_conflicts(province, [c["id"] for c in list_conflicts(province)], "mine")
    assert str(row(province, "pavement_distress", distress)["survey_id"]) == v2
    assert row(province, "pavement_survey", v1)["pci"] == pytest.approx(left_by_office)
    assert [_stale(province, v) for v in (v1, v2, v3)] == [{}, {}, {}]
