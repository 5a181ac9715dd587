"""The lock step of a sync or a resolve (``children.hold``) reads the parents and the
derived rows it takes from the rows the writes leave (the server's row with the change
over it), not from the change alone (review 11s #2 of issue 11): an edit_delete's ``mine``
holds only the fields the crew changed, and a crew's move of a distress only its new
``survey_id``. Before, the step missed the parent a resolve's restore needs live and the
survey a moved distress derives again; the write then waited for an office session outside
the step while holding its row, and the office session, writing that row next, was rolled
back (deadlock). Sessions are plain connections held open at known points; the waits are
read from ``pg_locks`` (deterministic, no timing)."""

import psycopg2
import pytest
from roadinfra.core.sync import Scope, SyncError, create_package, resolve_conflicts, sync_package

from tests.support.held import run_against
from tests.support.pg import editor_of, sql
from tests.support.sync import ogr_update


@pytest.fixture
def crew(pg_server, province, tmp_path):
    """(the province's URL, a crew package of district 340, the crew's login URL)."""
    login_url = editor_of(pg_server, province, "340")[1]
    package = tmp_path / "crew.gpkg"
    create_package(login_url, Scope("area", "340"), str(package), name="crew")
    return province, package, login_url


def _against_office(province, first, then, work):
    """Office session O runs ``first`` (not committed); ``work`` starts and is awaited until
    it waits for O; O runs ``then`` and commits. (O's error or None, ``work``'s thread)."""
    office = psycopg2.connect(province)
    try:
        with office.cursor() as cur:
            cur.execute(*first)
        acting = run_against(province, lambda thread: work())
        assert acting.is_alive()  # waits for O
        try:
            with office.cursor() as cur:
                cur.execute(*then)
            office.commit()
            error = None
        except psycopg2.Error as exc:
            office.rollback()
            error = exc
        acting.join(120)
        assert not acting.is_alive()
        return error, acting
    finally:
        office.close()


def test_resolve_restoring_an_inspection_vs_office_deleting_its_culvert_then_editing_it(crew):
    """The crew edits inspection I of culvert C (notes); the office deletes I; the sync
    records an edit_delete. O deletes C (not committed); the office resolves taking mine;
    O then edits I and commits. O commits; the resolve, after O, refuses naming C (the
    parent its restore needs live), nothing resolved: I stays deleted with O's note."""
    province, package, login_url = crew
    [(culvert, inspection)] = sql(
        province, "SELECT culvert_id::text, id::text FROM inspection WHERE deleted_at IS NULL "
        "AND culvert_id IS NOT NULL AND district_code = '340' ORDER BY id LIMIT 1")
    ogr_update(package, "inspection", inspection, notes="crew note")
    sql(province, "DELETE FROM inspection WHERE id = %s", (inspection,))
    [conflict] = sync_package(str(package), login_url)["conflicts"]
    assert (conflict["row_id"], conflict["kind"]) == (inspection, "edit_delete")

    error, resolving = _against_office(
        province, ("DELETE FROM culvert WHERE id = %s", (culvert,)),
        ("UPDATE inspection SET notes = 'office' WHERE id = %s", (inspection,)),
        lambda: resolve_conflicts(province, [conflict["id"]], "mine"))
    assert error is None
    assert isinstance(resolving.error, SyncError), resolving.error
    code = sql(province, "SELECT code FROM culvert WHERE id = %s", (culvert,))[0][0]
    assert str(resolving.error) == (
        f"conflict {conflict['id']}: inspection {inspection}: its parent culvert {code} is "
        f"deleted on the server: restore culvert {code} in the office first, then take mine "
        "(or take theirs to drop the package's row)")
    assert sql(province, "SELECT notes, deleted_at IS NOT NULL FROM inspection WHERE id = %s",
               (inspection,)) == [("office", True)]
    assert sql(province, "SELECT status FROM sync_conflict WHERE id = %s",
               (conflict["id"],)) == [("open",)]


def test_sync_moving_a_distress_vs_office_editing_the_new_survey_then_the_distress(crew):
    """The crew moves distress D from survey V1 to V2 of its section; O edits V2 (PCI, not
    committed); the crew syncs; O then edits D (quantity) and commits. Both commit: D is
    under V2 with O's quantity, no deadlock."""
    province, package, login_url = crew
    [(distress, new_survey, quantity)] = sql(
        province, "SELECT d.id::text, o.id::text, d.quantity FROM pavement_distress d JOIN "
        "pavement_survey s ON s.id = d.survey_id JOIN pavement_survey o ON o.section_id = "
        "s.section_id AND o.id <> s.id WHERE d.deleted_at IS NULL AND o.deleted_at IS NULL "
        "AND d.district_code = '340' ORDER BY d.id, o.id LIMIT 1")
    ogr_update(package, "pavement_distress", distress, survey_id=new_survey)
    error, syncing = _against_office(
        province, ("UPDATE pavement_survey SET pci = 55 WHERE id = %s", (new_survey,)),
        ("UPDATE pavement_distress SET quantity = quantity + 1 WHERE id = %s", (distress,)),
        lambda: sync_package(str(package), login_url))
    assert (error, syncing.error) == (None, None)
    assert syncing.result["conflicts"] == []
    assert sql(province, "SELECT survey_id::text, quantity FROM pavement_distress WHERE id = "
               "%s", (distress,)) == [(new_survey, quantity + 1)]
