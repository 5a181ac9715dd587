"""Derived on save (core/derive) through the DB API, on the demo GeoPackage (sample_data).

Expected values come from the demo data itself: an existing bridge's route and chainage,
the district polygon it lies in, and PCI computed by core/condition for the same records.
"""

import shutil
import sqlite3

import pytest
from roadinfra.core.cli import main
from roadinfra.core.condition.pci_survey import pci_from_records
from roadinfra.core.db import ConflictError, ValidationError, open_database
from roadinfra.core.derive import DeriveContext, derive_row, pending_rows
from roadinfra.core.sample_data import build_demo_database
from shapely.geometry import Point


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("derive") / "demo.gpkg"
    build_demo_database(path)
    return path


@pytest.fixture
def db(demo_file, tmp_path):
    path = tmp_path / "demo.gpkg"
    shutil.copy(demo_file, path)
    database = open_database(path)
    yield database
    database.close()


def _bridge(db, code="BR-344-001"):
    return db.fetch("bridge", where={"code": code})[0]


def test_new_bridge_gets_code_area_route_and_chainage(db):
    known = _bridge(db)
    near = Point(known["geom"].x + 3, known["geom"].y + 4)
    [new_id] = db.insert("bridge", [{"name": "Cầu mới", "geom": near}], user="tester")
    row = db.fetch("bridge", where={"id": new_id})[0]
    numbers = [int(r["code"].rsplit("-", 1)[1]) for r in db.fetch("bridge", include_deleted=True)
               if r["code"].startswith(f"BR-{known['district_code']}-") and r["id"] != new_id]
    assert row["code"] == f"BR-{known['district_code']}-{max(numbers) + 1:03d}"
    assert row["district_code"] == known["district_code"]
    assert row["route_id"] == known["route_id"]
    assert abs(row["chainage_m"] - known["chainage_m"]) < 10
    assert db.warnings == []


def test_typed_values_win_and_the_difference_is_said(db):
    known = _bridge(db)
    db.insert("bridge", [{"name": "Cầu gõ tay", "geom": known["geom"], "chainage_m": 5.0,
                          "code": "BR-344-900"}])
    row = db.fetch("bridge", where={"code": "BR-344-900"})[0]
    assert row["chainage_m"] == 5.0
    [warning] = db.warnings
    assert (warning.field, warning.kind, warning.row) == ("chainage_m", "kept_typed", "BR-344-900")
    assert "Km0+005" in warning.message


def test_a_point_far_from_its_route_is_saved_without_chainage_and_a_warning(db):
    known = _bridge(db)
    far = Point(known["geom"].x + 2500, known["geom"].y + 2500)
    [new_id] = db.insert("bridge", [{"name": "Xa tuyến", "route_id": known["route_id"],
                                     "geom": far}])
    row = db.fetch("bridge", where={"id": new_id})[0]
    assert row["chainage_m"] is None and row["route_id"] == known["route_id"]
    [warning] = db.warnings
    assert warning.kind == "far_from_route" and warning.field == "chainage_m"
    assert "more than the maximum offset 100 m" in warning.message


def test_far_from_every_route_without_a_route_is_refused_naming_route_id(db):
    known = _bridge(db)
    with pytest.raises(ValidationError) as caught:
        db.insert("bridge", [{"name": "Xa", "geom": Point(known["geom"].x + 2500,
                                                           known["geom"].y + 2500)}])
    assert caught.value.field == "route_id"
    assert [w.kind for w in db.warnings] == ["far_from_route"]


def _new_survey(db, date):
    """(the first section, the id of a new visual survey of it on ``date``)."""
    section = db.fetch("pavement_section")[0]
    [survey_id] = db.insert("pavement_survey", [{
        "section_id": section["id"], "route_id": section["route_id"], "from_m": section["from_m"],
        "to_m": section["to_m"], "survey_date": date, "method": "VISUAL",
        "geom": section["geom"]}])
    return section, survey_id


def test_distresses_give_the_survey_its_pci_and_the_section_its_condition(db):
    section, survey_id = _new_survey(db, "2030-01-15")
    distresses = [{"survey_id": survey_id, "sample_unit": "SU-1", "unit_area_m2": 230.0,
                   "distress_code": 1, "severity": "H", "quantity": 40.0},
                  {"survey_id": survey_id, "sample_unit": "SU-1", "unit_area_m2": 230.0,
                   "distress_code": 13, "severity": "M", "quantity": 3.0}]
    db.insert("pavement_distress", distresses)
    expected = pci_from_records([(n, d["sample_unit"], d["unit_area_m2"], d["distress_code"],
                                  d["severity"], d["quantity"]) for n, d in
                                 enumerate(distresses, 1)], profile=db.profile)
    survey = db.fetch("pavement_survey", where={"id": survey_id})[0]
    assert survey["pci"] == round(expected.section_pci, 1)
    assert survey["pci_rating"] == expected.section_rating
    assert survey["district_code"] == section["district_code"]  # from its section
    section = db.fetch("pavement_section", where={"id": section["id"]})[0]
    assert (section["pci"], section["condition_date"].isoformat()) == (survey["pci"], "2030-01-15")
    operations = [h["operation"] for h in db.history("pavement_survey", survey_id)]
    assert operations == ["INSERT", "UPDATE"]  # one PCI update for the two distresses


def test_component_ratings_give_the_inspection_its_rating_deficiency_and_posting(db):
    bridge = _bridge(db)
    [inspection_id] = db.insert("inspection", [{
        "bridge_id": bridge["id"], "inspection_date": "2030-02-01", "scheme": "nbi"}])
    db.insert("component_rating", [
        {"inspection_id": inspection_id, "component": "deck", "rating": 7},
        {"inspection_id": inspection_id, "component": "superstructure", "rating": 3},
        {"inspection_id": inspection_id, "component": "substructure", "rating": 6}])
    row = db.fetch("inspection", where={"id": inspection_id})[0]
    assert row["overall_rating"] == 3
    assert row["structurally_deficient"] is True
    # poor: 32.4 t x 0.75 = 24.3 t -> posted at 24 t (profile [bridges])
    assert row["load_posting_t"] == 24.0


def test_derive_row_alone_is_what_every_path_calls(db):
    known = _bridge(db)
    ctx = DeriveContext(db)
    result = derive_row(ctx, "culvert", {"culvert_type": "PIPE", "geom": known["geom"]},
                        typed_fields={"culvert_type"})
    assert result.row["code"].startswith(f"CU-{known['district_code']}-")
    assert set(result.changes) == {"code", "district_code", "route_id", "chainage_m"}


def test_db_check_flags_rows_written_by_other_tools_and_fix_fills_them(db, capsys):
    known = _bridge(db)
    path = db.target
    db.close()
    conn = sqlite3.connect(path)  # as GDAL/OGR would write it: no code-, area- or chainage
    from roadinfra.core.db import gpkgblob

    gpkgblob.register_functions(conn)
    conn.execute("INSERT INTO culvert (code, route_id, culvert_type, geom) VALUES (?, ?, ?, ?)",
                 ("CU-OGR-1", known["route_id"], "BOX", gpkgblob.encode(known["geom"], 9209)))
    conn.commit()
    conn.close()
    assert main(["db", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "culvert CU-OGR-1: field 'chainage_m' to fill" in out
    assert "culvert CU-OGR-1: field 'district_code' to fill: 344" in out
    assert main(["db", "check", str(path), "--fix", "--user", "checker"]) == 0
    again = open_database(path)
    try:
        row = again.fetch("culvert", where={"code": "CU-OGR-1"})[0]
        assert row["district_code"] == "344" and row["chainage_m"] is not None
        assert [i.label for i in pending_rows(again) if i.changes] == []
    finally:
        again.close()


def test_sql_delete_tombstones_with_children_and_restore_brings_them_back(db):
    bridge = _bridge(db)
    inspections = db.fetch("inspection", where={"bridge_id": bridge["id"]})
    assert inspections
    with db.transaction():
        db._execute("DELETE FROM bridge WHERE id = ?", (bridge["id"],))
    gone = db.fetch("bridge", where={"id": bridge["id"]}, include_deleted=True)[0]
    assert gone["deleted_at"] is not None and gone["revision"] == bridge["revision"] + 1
    assert db.fetch("inspection", where={"bridge_id": bridge["id"]}) == []
    assert [h["operation"] for h in db.history("bridge", bridge["id"])][-1] == "DELETE"
    db.restore("bridge", bridge["id"], user="tester", revision=gone["revision"])
    assert len(db.fetch("inspection", where={"bridge_id": bridge["id"]})) == len(inspections)
    assert [h["operation"] for h in db.history("bridge", bridge["id"])][-1] == "RESTORE"


def test_history_revisions_and_restore_a_revision_as_a_new_change(db):
    bridge = _bridge(db)
    db.update("bridge", bridge["id"], {"spans": 21, "name": "Cầu Tân Đệ mới"}, user="a",
              revision=bridge["revision"])
    revs = db.revisions("bridge", bridge["id"])
    assert [r.operation for r in revs] == ["INSERT", "UPDATE"]
    assert ("spans", bridge["spans"], 21) in revs[-1].changes
    assert revs[-1].author == "a"
    with pytest.raises(ConflictError):
        db.restore_revision("bridge", bridge["id"], 1, based_on=bridge["revision"], user="b")
    written = db.restore_revision("bridge", bridge["id"], 1, based_on=revs[-1].revision,
                                  user="b")
    assert written == {"spans": bridge["spans"], "name": bridge["name"]}
    row = _bridge(db)
    assert (row["spans"], row["revision"]) == (bridge["spans"], bridge["revision"] + 2)
    assert db.revisions("bridge", bridge["id"])[-1].author == "b"


def test_a_pci_not_derived_names_the_distress_row_and_field_it_stops_on(db):
    section, survey_id = _new_survey(db, "2030-01-16")
    rows = [{"survey_id": survey_id, "sample_unit": "SU-9", "unit_area_m2": 100.0,
             "distress_code": 19, "severity": "L", "quantity": q} for q in (70.0, 50.0)]
    ids = db.insert("pavement_distress", rows)  # 19L summed: 120 % of the sample unit
    warnings = [w for w in db.warnings if w.kind == "not_derived"]
    assert warnings and warnings[-1].field == "pci"
    message = warnings[-1].message
    assert f"pavement_distress {ids[0]}, field 'quantity'" in message
    assert "density 120.0 % is above 100 %" in message
    assert db.fetch("pavement_survey", where={"id": survey_id})[0]["pci"] is None
