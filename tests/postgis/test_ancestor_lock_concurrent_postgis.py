"""The live-parent guard holds every row above a new one (schema 19, review 11o #4 of issue
11): an office session that added a row two levels or more under a row (a distress to a
section's survey, a photo to a bridge's inspection or to a survey's distress) and then
edits a row above its parent is waited for by a delete of that row (a DELETE as QGIS sends
it, RoadInfra's tombstone, the cascade of a higher row's delete): both commit, the new row
tombstoned with the rest (schema 18 made them deadlock, one session rolled back). A row
added under a row whose ancestor's delete is open waits, then is refused naming the nearest
tombstone. Every test runs on a database made at the current version and on one made at
version 18 and upgraded; sessions are plain connections held open at known points
(deterministic, no timing)."""

import threading

import psycopg2
import pytest
from roadinfra.core.db import create_database, open_database, upgrade_database
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.schema import SCHEMA_VERSION
from roadinfra.core.schema.constraints import parent_links
from roadinfra.core.schema.tables import ANCESTOR_LOCK, TABLES
from roadinfra.core.sync import (
    Scope,
    children,
    create_package,
    faults,
    resolve_conflicts,
    sync_package,
)
from roadinfra.core.sync.errors import SyncError

from tests.support.held import Held, run_against, start_held
from tests.support.pg import editor_of, sql
from tests.support.sync import ogr_insert, rows


@pytest.fixture(params=["create", "upgrade"])
def province(request, pg_database):
    version = SCHEMA_VERSION if request.param == "create" else ANCESTOR_LOCK - 1
    with create_database(pg_database, version=version) as db:
        load_sample_data(db)
    if request.param == "upgrade":
        assert upgrade_database(pg_database) == (ANCESTOR_LOCK - 1, SCHEMA_VERSION)
    return pg_database


def _survey_with_distress(province):
    """(survey id, its section's id, one live distress of it)."""
    return sql(province, "SELECT s.id::text, s.section_id::text, d.id::text FROM "
               "pavement_survey s JOIN pavement_distress d ON d.survey_id = s.id WHERE "
               "s.deleted_at IS NULL AND d.deleted_at IS NULL ORDER BY s.id, d.id LIMIT 1")[0]


_ADD_DISTRESS = (
    "INSERT INTO pavement_distress (district_code, survey_id, sample_unit, unit_area_m2, "
    "distress_code, severity, quantity) SELECT district_code, survey_id, 'SU-new', "
    "unit_area_m2, distress_code, severity, quantity FROM pavement_distress WHERE id = %s "
    "RETURNING id::text")
_ADD_PHOTO = (
    "INSERT INTO attachment (target_table, target_id, kind, file_path, district_code) "
    "SELECT %s, id, 'photo', 'office.jpg', district_code FROM {table} WHERE id = %s "
    "RETURNING id::text")


def _case(province, case):
    """What session A adds (statement, its table), what it then edits, and what session D
    deletes (a function run in a thread)."""
    if case in ("qgis", "roadinfra", "cascade"):
        survey, section, distress = _survey_with_distress(province)
        if case == "cascade":  # a photo on the distress; the survey goes with its section
            add = (_ADD_PHOTO.format(table="pavement_distress"), ("pavement_distress", distress))
            added_table = "attachment"
            edit = ("UPDATE pavement_survey SET surveyor = 'office' WHERE id = %s", (survey,))
        else:
            add, added_table = (_ADD_DISTRESS, (distress,)), "pavement_distress"
            edit = ("UPDATE pavement_section SET lanes = 3 WHERE id = %s", (section,))
        top = ("pavement_section", section)
    else:  # a photo on a bridge's inspection, then the bridge edited
        inspection, bridge = sql(province, "SELECT id::text, bridge_id::text FROM inspection "
                                 "WHERE bridge_id IS NOT NULL AND deleted_at IS NULL "
                                 "ORDER BY bridge_id, id LIMIT 1")[0]
        add = (_ADD_PHOTO.format(table="inspection"), ("inspection", inspection))
        added_table = "attachment"
        edit = ("UPDATE bridge SET load_posting_t = 7 WHERE id = %s", (bridge,))
        top = ("bridge", bridge)

    def delete(thread):
        if case == "roadinfra":
            with open_database(province) as db:
                db.tombstone(*top, user="office")
            return
        conn = psycopg2.connect(province)
        try:
            with conn.cursor() as cur:
                cur.execute(f"DELETE FROM {top[0]} WHERE id = %s", (top[1],))  # noqa: S608 # test's table
            conn.commit()
        finally:
            conn.close()
    return add, added_table, edit, top, delete


def _edit_then_commit(conn, statement, params):
    def work(thread):
        with conn.cursor() as cur:
            cur.execute(statement, params)
        conn.commit()
    return work


@pytest.mark.parametrize("case", ["qgis", "roadinfra", "photo", "cascade"])
def test_a_session_adding_a_grandchild_then_editing_above_is_waited_for_by_a_delete(
        province, case):
    """qgis / roadinfra: A adds a distress to a survey, then edits the survey's section; D
    deletes the section (QGIS's DELETE, RoadInfra's tombstone). photo: A attaches a photo to
    a bridge's inspection, then edits the bridge; D deletes the bridge. cascade: A attaches a
    photo to a distress, then edits its survey; D deletes the section (the survey goes by
    the cascade). D waits for A, A's edit is no deadlock, both commit, A's row is
    tombstoned with the top row."""
    add, added_table, edit, top, delete = _case(province, case)
    conn = psycopg2.connect(province)
    try:
        with conn.cursor() as cur:
            cur.execute(*add)
            added = cur.fetchone()[0]
        deleting = run_against(province, delete)
        assert deleting.is_alive()  # waits for A
        editing = run_against(province, _edit_then_commit(conn, *edit))
        editing.join(120)
        deleting.join(120)
        assert (editing.error, deleting.error) == (None, None)
    finally:
        conn.close()
    assert sql(province, f"SELECT c.deleted_at = p.deleted_at FROM {added_table} c, "  # noqa: S608 # test's tables
               f"{top[0]} p WHERE c.id = %s AND p.id = %s", (added, top[1])) == [(True,)]


def test_a_grandchild_added_while_its_grandparent_is_being_deleted_is_refused(province):
    """D's RoadInfra tombstone of a section is open; A adds a distress to one of its surveys:
    A waits, then is refused naming the survey (tombstoned with its section)."""
    survey, section, distress = _survey_with_distress(province)

    def delete(thread):
        with open_database(province) as db, db.transaction():
            db.tombstone("pavement_section", section, user="office")
            thread.pause()

    def office(thread):
        conn = psycopg2.connect(province)
        try:
            with conn.cursor() as cur:
                cur.execute(_ADD_DISTRESS, (distress,))
            conn.commit()
        finally:
            conn.close()

    deleting = start_held(delete)
    adding = run_against(province, office)
    assert adding.is_alive()  # waits for the open delete
    deleting.release()
    adding.join(120)
    assert deleting.error is None
    assert f"pavement_survey {survey} is deleted (a tombstone): a live pavement_distress" in str(
        adding.error)
    assert sql(province, "SELECT count(*) FROM pavement_distress WHERE survey_id = %s AND "
               "deleted_at IS NULL", (survey,)) == [(0,)]


def test_the_guard_knows_every_parent_link_of_the_schema(province):
    """The rows above a new one are found through roadinfra_parent_links, written from the
    schema definition: it lists every table's parents."""
    for table in TABLES.values():
        links = [x for pair in parent_links(table) for x in pair] if table.versioned else []
        assert sql(province, "SELECT roadinfra_parent_links(%s)", (table.name,)) == [(links,)]


def _crew_distress(pg_server, province, tmp_path):
    """A crew's package of district 340 with a distress made offline under one of its
    surveys: (package, login URL, the distress's id, its survey, that survey's section)."""
    login_url = editor_of(pg_server, province, "340")[1]
    package = tmp_path / "crew.gpkg"
    create_package(login_url, Scope("area", "340"), str(package), name="crew")
    [template] = [r for r in rows(package, "pavement_distress")
                  if r["district_code"] == "340" and r["deleted_at"] is None][:1]
    survey = template["survey_id"]
    [(section,)] = sql(province, "SELECT section_id::text FROM pavement_survey WHERE id = %s",
                       (survey,))
    added = ogr_insert(package, "pavement_distress", district_code="340", survey_id=survey,
                       sample_unit="SU-crew", **{k: template[k] for k in (
                           "unit_area_m2", "distress_code", "severity", "quantity")})
    return package, login_url, added, survey, section


def test_a_sync_adding_a_grandchild_is_waited_for_by_an_office_delete_above(
        pg_server, province, tmp_path, monkeypatch):
    """A crew's new distress of a survey reaches the server while the office deletes the
    survey's section (a DELETE as QGIS sends it) just after the sync locked the survey to
    judge it: the sync locked the section first (top row first, as the guard does), so the
    office's delete waits for the sync, then tombstones the new distress with the section;
    no deadlock, the sync runs once."""
    package, login_url, added, _, section = _crew_distress(pg_server, province, tmp_path)
    reads, real = [], children.deleted_parents

    def judged(server, new_rows):
        out = real(server, new_rows)  # the survey is locked and read
        me = threading.current_thread()
        if isinstance(me, Held):
            me.pause()
        return out
    monkeypatch.setattr(children, "deleted_parents", judged)
    real_point = faults.point
    monkeypatch.setattr(faults, "point", lambda name: (
        reads.append(name) if name == "read" else None, real_point(name)))

    def delete(thread):
        conn = psycopg2.connect(province)
        try:
            with conn.cursor() as cur:
                cur.execute("DELETE FROM pavement_section WHERE id = %s", (section,))
            conn.commit()
        finally:
            conn.close()

    crew = start_held(lambda t: sync_package(str(package), login_url))
    deleting = run_against(province, delete)
    assert deleting.is_alive()  # waits for the sync
    crew.release()
    deleting.join(120)
    assert (crew.error, deleting.error) == (None, None)
    assert reads.count("read") == 1
    assert sql(province, "SELECT d.deleted_at = s.deleted_at FROM pavement_distress d, "
               "pavement_section s WHERE d.id = %s AND s.id = %s", (added, section)) == [(True,)]


def _office_edits_then_deletes_above(province, survey, section, how, action):
    """Office session O edits the survey (QGIS's transaction group, not committed); the
    ``action`` (a sync or resolve) is run until it waits for O; O then deletes the survey's
    section (QGIS's DELETE, or a tombstone written by hand as an UPDATE) and commits.
    Returns O's error (None: committed) and the action's thread, finished."""
    office = psycopg2.connect(province)
    try:
        with office.cursor() as cur:
            cur.execute("UPDATE pavement_survey SET pci = 55 WHERE id = %s", (survey,))
        acting = run_against(province, action)
        assert acting.is_alive()  # waits for O's edit of the survey
        error = None
        try:
            with office.cursor() as cur:
                if how == "delete":
                    cur.execute("DELETE FROM pavement_section WHERE id = %s", (section,))
                else:
                    cur.execute("UPDATE pavement_section SET deleted_at = now() WHERE id = %s",
                                (section,))
            office.commit()
        except psycopg2.Error as exc:
            office.rollback()
            error = exc
        acting.join(120)
        return error, acting
    finally:
        office.close()


def _office_won(province, added, survey, section):
    """O's edit and delete are written; the crew's distress is not live on the server."""
    assert sql(province, "SELECT s.deleted_at IS NOT NULL, v.pci FROM pavement_section s, "
               "pavement_survey v WHERE s.id = %s AND v.id = %s", (section, survey)) == [
                   (True, 55.0)]
    assert sql(province, "SELECT count(*) FROM pavement_distress WHERE id = %s AND "
               "deleted_at IS NULL", (added,)) == [(0,)]


@pytest.mark.parametrize("how", ["delete", "tombstone"])
def test_a_sync_adding_a_grandchild_waits_for_an_office_edit_then_delete_above(
        pg_server, province, tmp_path, monkeypatch, how):
    """Review 11q #1: O edits a survey, a crew's sync adds a distress to it, then O deletes
    the survey's section and commits. The sync waits for O's edit holding no row above the
    survey (schema 19's first fix held the section and deadlocked with O's delete, O rolled
    back): O commits, the sync runs once and keeps the distress off the server as made under
    a deleted survey (an edit_delete conflict, as at schema 18)."""
    package, login_url, added, survey, section = _crew_distress(pg_server, province, tmp_path)
    reads = []
    real_point = faults.point
    monkeypatch.setattr(faults, "point", lambda name: (
        reads.append(name) if name == "read" else None, real_point(name)))
    error, crew = _office_edits_then_deletes_above(
        province, survey, section, how, lambda t: sync_package(str(package), login_url))
    assert (error, crew.error) == (None, None)
    assert reads.count("read") == 1  # no deadlock, no second run
    assert [(c["table"], c["row_id"], c["kind"]) for c in crew.result["conflicts"]] == [
        ("pavement_distress", added, "edit_delete")]
    _office_won(province, added, survey, section)


def test_a_resolve_taking_a_grandchild_waits_for_an_office_edit_then_delete_above(
        pg_server, province, tmp_path):
    """Review 11q #1, the resolve: a crew's distress kept off under a section deleted then
    restored is taken mine while O edits its survey and then deletes the section: the resolve
    waits for O, O commits, the resolve is refused (the parent deleted again), no deadlock."""
    package, login_url, added, survey, section = _crew_distress(pg_server, province, tmp_path)
    with open_database(province) as db:
        db.tombstone("pavement_section", section, user="office")
    kept = sync_package(str(package), login_url)["conflicts"]
    assert [(c["row_id"], c["kind"]) for c in kept] == [(added, "edit_delete")]
    with open_database(province) as db:
        db.restore("pavement_section", section, user="office")
    error, resolving = _office_edits_then_deletes_above(
        province, survey, section, "delete",
        lambda t: resolve_conflicts(province, [c["id"] for c in kept], "mine"))
    assert error is None
    assert isinstance(resolving.error, SyncError)
    assert f"its parent pavement_survey {survey} is deleted on the server" in str(
        resolving.error)
    _office_won(province, added, survey, section)


def test_a_sync_adding_a_grandchild_waits_for_an_open_district_move_above(
        pg_server, province, tmp_path):
    """The sync still waits for an open non-key edit of a parent (the parents held FOR
    SHARE, not only FOR KEY SHARE): O moves the survey's section to another district (the
    survey follows, not committed) while a crew's sync adds a distress to the survey: the
    sync waits, then reads the move: the distress is refused naming the district, not left
    live in district 340 under a survey of district 339."""
    package, login_url, added, survey, section = _crew_distress(pg_server, province, tmp_path)
    office = psycopg2.connect(province)
    try:
        with office.cursor() as cur:
            cur.execute("UPDATE pavement_section SET district_code = '339' WHERE id = %s",
                        (section,))
        crew = run_against(province, lambda t: sync_package(str(package), login_url))
        assert crew.is_alive()  # waits for the move
        office.commit()
        crew.join(120)
    finally:
        office.close()
    assert crew.error is None
    [refused] = crew.result["refused"]
    assert refused["row_id"] == added
    assert "district_code 340 is not the district 339 of its pavement_survey" in refused["message"]
    assert sql(province, "SELECT count(*) FROM pavement_distress WHERE id = %s", (added,)) == [(0,)]
