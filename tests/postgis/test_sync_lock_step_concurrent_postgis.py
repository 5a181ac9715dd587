"""A sync takes every row lock it needs first, in one step that never waits while it holds
any (``locks.hold``, review 11r of issue 11): an office session (QGIS's transaction group,
plain SQL here) that holds one of those rows and then writes another the sync needs is
never deadlocked by it. Before, the sync locked the rows a package deletes (and those under
them) and the parents of its new rows, then waited for a busy row holding them: the office
session was rolled back (#1: edit a survey, then delete its section, while the sync deletes
a distress; #2: edit a distress, then its survey's PCI, while the sync edits that distress
and adds one). Every wait is bounded by the time left to ``locks.WAIT_S`` (#4). Sessions are
plain connections held open at known points (deterministic, no timing)."""

import psycopg2
import pytest
from roadinfra.core.sync import Scope, create_package, faults, locks, sync_package
from roadinfra.core.sync.errors import SyncError

from tests.support.held import run_against
from tests.support.pg import editor_of, sql
from tests.support.sync import ogr_delete, ogr_insert, ogr_update, rows


@pytest.fixture
def crew(pg_server, province, tmp_path, monkeypatch):
    """(the province's URL, a crew package of district 340, the crew's login URL, the list
    of the sync's fault points passed: one "read" per run)."""
    login_url = editor_of(pg_server, province, "340")[1]
    package = tmp_path / "crew.gpkg"
    create_package(login_url, Scope("area", "340"), str(package), name="crew")
    reads = []
    real_point = faults.point
    monkeypatch.setattr(faults, "point", lambda name: (
        reads.append(name) if name == "read" else None, real_point(name)))
    return province, package, login_url, reads


def _office(province, first, then):
    """Office session O runs ``first`` (statement, params; not committed); the crew's sync
    ``run`` is started until it waits for O; O then runs ``then`` and commits. Returns O's
    error (None: committed)."""
    office = psycopg2.connect(province)
    try:
        with office.cursor() as cur:
            cur.execute(*first)

        def second(acting):
            assert acting.is_alive()  # waits for O
            try:
                with office.cursor() as cur:
                    cur.execute(*then)
                office.commit()
            except psycopg2.Error as exc:
                office.rollback()
                return exc
            return None
        return second
    except BaseException:
        office.close()
        raise


def _sync_against(province, package, login_url, first, then):
    """The crew syncs while O runs ``first``, then ``then`` (:func:`_office`): (O's error,
    the sync's finished thread)."""
    second = _office(province, first, then)
    acting = run_against(province, lambda t: sync_package(str(package), login_url))
    error = second(acting)
    acting.join(120)
    return error, acting


def _distress_row(package, survey=None):
    """A live distress of district 340 in the package (of ``survey`` when given)."""
    return [r for r in rows(package, "pavement_distress") if r["district_code"] == "340"
            and r["deleted_at"] is None and (survey is None or r["survey_id"] == survey)][0]


def _add_distress(package, survey, template, unit="SU-crew"):
    return ogr_insert(package, "pavement_distress", district_code="340", survey_id=survey,
                      sample_unit=unit, **{k: template[k] for k in (
                          "unit_area_m2", "distress_code", "severity", "quantity")})


@pytest.mark.parametrize("where", ["same", "other"])
def test_office_edit_survey_then_delete_section_vs_sync_adding_and_deleting_distresses(
        crew, where):
    """Review 11r #1: the crew adds a distress under survey V and deletes another distress
    of V's section (under V, or under another survey of the section); O edits V, the sync
    runs, O deletes the section (QGIS's DELETE) and commits. O commits; the sync runs once
    and keeps its distress off the server as made under a deleted survey (edit_delete)."""
    province, package, login_url, reads = crew
    [(survey, section, other)] = sql(
        province, "SELECT s.id::text, s.section_id::text, o.id::text FROM pavement_survey s "
        "JOIN pavement_survey o ON o.section_id = s.section_id AND (o.id = s.id) = %s "
        "JOIN pavement_section p ON p.id = s.section_id WHERE p.district_code = '340' AND "
        "s.deleted_at IS NULL AND o.deleted_at IS NULL AND EXISTS (SELECT 1 FROM "
        "pavement_distress d WHERE d.survey_id = o.id AND d.deleted_at IS NULL) "
        "ORDER BY s.id, o.id LIMIT 1", (where == "same",))
    gone = _distress_row(package, other)
    ogr_delete(package, "pavement_distress", gone["id"])
    added = _add_distress(package, survey, gone)
    error, syncing = _sync_against(
        province, package, login_url,
        ("UPDATE pavement_survey SET pci = 55 WHERE id = %s", (survey,)),
        ("DELETE FROM pavement_section WHERE id = %s", (section,)))
    assert (error, syncing.error) == (None, None)
    assert reads.count("read") == 1  # no deadlock, no second run
    assert [(c["table"], c["row_id"], c["kind"]) for c in syncing.result["conflicts"]] == [
        ("pavement_distress", added, "edit_delete")]
    assert sql(province, "SELECT s.deleted_at IS NOT NULL, v.pci FROM pavement_section s, "
               "pavement_survey v WHERE s.id = %s AND v.id = %s", (section, survey)) == [
                   (True, 55.0)]
    assert sql(province, "SELECT count(*) FROM pavement_distress WHERE id = %s", (added,)) == [
        (0,)]


def test_office_edit_inspection_then_delete_culvert_vs_sync_adding_and_deleting_ratings(
        crew):
    """Review 11r #1 one level down: the crew adds a component rating under inspection I of
    a culvert and deletes another rating of I; O edits I, the sync runs, O deletes the
    culvert and commits. O commits, the rating is kept off (edit_delete)."""
    province, package, login_url, reads = crew
    [(culvert, inspection, rating, component)] = sql(
        province, "SELECT i.culvert_id::text, i.id::text, r.id::text, r.component FROM "
        "inspection i JOIN component_rating r ON r.inspection_id = i.id WHERE i.deleted_at "
        "IS NULL AND r.deleted_at IS NULL AND i.culvert_id IS NOT NULL AND i.district_code = "
        "'340' ORDER BY i.id, r.id LIMIT 1")
    added = ogr_insert(package, "component_rating", inspection_id=inspection,
                       component=component, rating=2, district_code="340")
    ogr_delete(package, "component_rating", rating)
    error, syncing = _sync_against(
        province, package, login_url,
        ("UPDATE inspection SET notes = 'office' WHERE id = %s", (inspection,)),
        ("DELETE FROM culvert WHERE id = %s", (culvert,)))
    assert (error, syncing.error) == (None, None)
    assert reads.count("read") == 1
    assert [(c["table"], c["row_id"], c["kind"]) for c in syncing.result["conflicts"]] == [
        ("component_rating", added, "edit_delete")]
    assert sql(province, "SELECT deleted_at IS NOT NULL FROM culvert WHERE id = %s",
               (culvert,)) == [(True,)]
    assert sql(province, "SELECT count(*) FROM component_rating WHERE inspection_id = %s AND "
               "deleted_at IS NULL", (inspection,)) == [(0,)]


def test_office_edit_distress_then_survey_pci_vs_sync_editing_it_and_adding_one(crew):
    """Review 11r #2: O edits distress D1 of survey V (quantity), the crew's sync carries its
    own edit of D1 (sample_unit) and a new distress under V, then O sets V's PCI and
    commits. Both commit (each one's field kept), no deadlock, the sync runs once."""
    province, package, login_url, reads = crew
    template = _distress_row(package)
    survey, distress = template["survey_id"], template["id"]
    ogr_update(package, "pavement_distress", distress, sample_unit="SU-crew-edit")
    added = _add_distress(package, survey, template)
    error, syncing = _sync_against(
        province, package, login_url,
        ("UPDATE pavement_distress SET quantity = quantity + 1 WHERE id = %s", (distress,)),
        ("UPDATE pavement_survey SET pci = 55 WHERE id = %s", (survey,)))
    assert (error, syncing.error) == (None, None)
    assert reads.count("read") == 1
    assert syncing.result["conflicts"] == []
    assert sql(province, "SELECT sample_unit, quantity FROM pavement_distress WHERE id = %s",
               (distress,)) == [("SU-crew-edit", template["quantity"] + 1)]
    assert sql(province, "SELECT count(*) FROM pavement_distress WHERE id = %s AND deleted_at "
               "IS NULL", (added,)) == [(1,)]


def test_the_wait_for_held_parents_stops_at_wait_s_naming_the_row(crew, monkeypatch):
    """Review 11r #4: O1 and O2 each hold a survey the crew adds a distress under; O1
    commits once the sync waits for it, O2 stays open: the sync stops within the one bound
    (WAIT_S, made small here), naming O2's survey; nothing is written."""
    province, package, login_url, _ = crew
    monkeypatch.setattr(locks, "WAIT_S", 5.0)
    surveys = [r[0] for r in sql(
        province, "SELECT s.id::text FROM pavement_survey s JOIN pavement_section p ON p.id = "
        "s.section_id WHERE p.district_code = '340' AND s.deleted_at IS NULL AND EXISTS "
        "(SELECT 1 FROM pavement_distress d WHERE d.survey_id = s.id AND d.deleted_at IS "
        "NULL) ORDER BY s.id LIMIT 2")]
    added = [_add_distress(package, s, _distress_row(package, s)) for s in surveys]
    first, second = (psycopg2.connect(province) for _ in surveys)
    try:
        for conn, survey in zip((first, second), surveys):
            with conn.cursor() as cur:
                cur.execute("UPDATE pavement_survey SET surveyor = 'office' WHERE id = %s",
                            (survey,))
        syncing = run_against(province, lambda t: sync_package(str(package), login_url))
        assert syncing.is_alive()  # waits for O1's survey (the first in id order)
        first.commit()
        syncing.join(120)
    finally:
        first.close()
        second.close()
    assert isinstance(syncing.error, SyncError)
    message = str(syncing.error)
    assert f"an open edit of pavement_survey {surveys[1]} (QGIS or SQL, not committed) has " \
           "held it for more than 5 s; nothing was written" in message
    assert sql(province, "SELECT count(*) FROM pavement_distress WHERE id = ANY(%s::uuid[])",
               (added,)) == [(0,)]


def test_office_edit_section_then_survey_vs_sync_adding_a_distress(crew):
    """The rows a sync's insert derives again (the survey's PCI, then its section's) are
    held in the same step: O edits the section, the crew's sync adds a distress under its
    latest survey, then O edits that survey and commits. Both commit, the sync runs once
    (it waited for the section holding the survey before: a deadlock)."""
    province, package, login_url, reads = crew
    [(survey, section)] = sql(
        province, "SELECT DISTINCT ON (s.section_id) s.id::text, s.section_id::text FROM "
        "pavement_survey s JOIN pavement_section p ON p.id = s.section_id WHERE "
        "p.district_code = '340' AND s.deleted_at IS NULL AND p.deleted_at IS NULL AND EXISTS "
        "(SELECT 1 FROM pavement_distress d WHERE d.survey_id = s.id AND d.deleted_at IS "
        "NULL) ORDER BY s.section_id, s.survey_date DESC, s.id LIMIT 1")
    added = _add_distress(package, survey, _distress_row(package, survey))
    error, syncing = _sync_against(
        province, package, login_url,
        ("UPDATE pavement_section SET lanes = 3 WHERE id = %s", (section,)),
        ("UPDATE pavement_survey SET surveyor = 'office' WHERE id = %s", (survey,)))
    assert (error, syncing.error) == (None, None)
    assert reads.count("read") == 1
    assert sql(province, "SELECT s.lanes, v.surveyor FROM pavement_section s, pavement_survey "
               "v WHERE s.id = %s AND v.id = %s", (section, survey)) == [(3, "office")]
    assert sql(province, "SELECT count(*) FROM pavement_distress WHERE id = %s AND deleted_at "
               "IS NULL", (added,)) == [(1,)]
