"""The live-parent guard with office sessions at the same time (schema 18, round 10 of the
hostile review of issue 11): two sessions that each add an inspection to one bridge and
then edit the bridge both commit (schema 17 made them deadlock); a bridge or culvert
deleted while another session adds a child or a photo waits for it and takes the child
with it; a child added while the parent's delete is open is refused once it commits.
Office sessions are plain connections (QGIS transaction groups, scripts), held open at
known points; deterministic, no timing."""

import psycopg2
import pytest
from roadinfra.core.db import open_database

from tests.support.held import run_against, start_held
from tests.support.pg import sql


def _bridge(province):
    return sql(province, "SELECT bridge_id::text FROM inspection WHERE bridge_id IS NOT NULL "
               "AND deleted_at IS NULL ORDER BY bridge_id LIMIT 1")[0][0]


def _culvert(province):
    return sql(province, "SELECT id::text, code FROM culvert WHERE deleted_at IS NULL "
               "AND district_code = '340' ORDER BY code LIMIT 1")[0]


def _scheme(province):
    return sql(province, "SELECT scheme FROM inspection WHERE scheme IS NOT NULL LIMIT 1")[0][0]


def _add_inspection(conn, column, parent, scheme, day):
    with conn.cursor() as cur:
        cur.execute(f"INSERT INTO inspection (district_code, {column}, inspection_date, "  # noqa: S608 # test's column
                    "scheme, overall_rating) SELECT district_code, id, %s, %s, 2 FROM "
                    f"{column[:-3]} WHERE id = %s RETURNING id::text", (day, scheme, parent))
        return cur.fetchone()[0]


def _add_photo(conn, culvert):
    with conn.cursor() as cur:
        cur.execute("INSERT INTO attachment (target_table, target_id, kind, file_path, "
                    "district_code) SELECT 'culvert', id, 'photo', 'office.jpg', "
                    "district_code FROM culvert WHERE id = %s RETURNING id::text", (culvert,))
        return cur.fetchone()[0]


def test_two_sessions_adding_inspections_then_editing_the_bridge_both_commit(province):
    bridge, scheme = _bridge(province), _scheme(province)
    first, second = psycopg2.connect(province), psycopg2.connect(province)
    try:
        added = [_add_inspection(first, "bridge_id", bridge, scheme, "2026-11-28"),
                 _add_inspection(second, "bridge_id", bridge, scheme, "2026-11-29")]

        def edit(conn, tons):
            def work(thread):
                with conn.cursor() as cur:
                    cur.execute("UPDATE bridge SET load_posting_t = %s WHERE id = %s",
                                (tons, bridge))
                if conn is first:
                    thread.pause()  # the second edit starts while this one is open
                conn.commit()
            return work

        one = run_against(province, edit(first, 13))
        two = run_against(province, edit(second, 18))  # waits for the first's commit
        one.release()
        two.join(120)
        assert (one.error, two.error) == (None, None)
    finally:
        first.close()
        second.close()
    assert sql(province, "SELECT load_posting_t FROM bridge WHERE id = %s", (bridge,)) == [(18,)]
    assert sql(province, "SELECT count(*) FROM inspection WHERE id = ANY(%s::uuid[]) "
               "AND deleted_at IS NULL", (added,)) == [(2,)]


@pytest.mark.parametrize("child", ["inspection", "photo"])
def test_a_delete_waits_for_a_child_added_meanwhile_and_takes_it_along(province, child):
    culvert, _ = _culvert(province)
    scheme = _scheme(province)
    added = {}

    def office(thread):
        conn = psycopg2.connect(province)
        try:
            added["id"] = (_add_inspection(conn, "culvert_id", culvert, scheme, "2026-11-30")
                           if child == "inspection" else _add_photo(conn, culvert))
            thread.pause()
            conn.commit()
        finally:
            conn.close()

    def delete(thread):
        with open_database(province) as db:
            db.tombstone("culvert", culvert, user="office")

    adding = start_held(office)
    deleting = run_against(province, delete)
    assert deleting.is_alive()  # waits for the open session adding the child
    adding.release()
    deleting.join(120)
    assert (adding.error, deleting.error) == (None, None)
    table = "inspection" if child == "inspection" else "attachment"
    gone = sql(province, f"SELECT c.deleted_at = p.deleted_at FROM {table} c, culvert p "  # noqa: S608 # test's table
               "WHERE c.id = %s AND p.id = %s", (added["id"], culvert))
    assert gone == [(True,)]


@pytest.mark.parametrize("child", ["inspection", "photo"])
def test_a_child_added_while_its_parent_is_being_deleted_is_refused(province, child):
    culvert, code = _culvert(province)
    scheme = _scheme(province)

    def delete(thread):
        with open_database(province) as db, db.transaction():
            db.tombstone("culvert", culvert, user="office")
            thread.pause()

    def office(thread):
        conn = psycopg2.connect(province)
        try:
            if child == "inspection":
                _add_inspection(conn, "culvert_id", culvert, scheme, "2026-11-30")
            else:
                _add_photo(conn, culvert)
            conn.commit()
        finally:
            conn.close()

    deleting = start_held(delete)
    adding = run_against(province, office)
    assert adding.is_alive()  # waits for the open delete
    deleting.release()
    adding.join(120)
    assert deleting.error is None
    assert f"culvert {code} is deleted" in str(adding.error)
    assert sql(province, "SELECT count(*) FROM inspection WHERE culvert_id = %s AND "
               "deleted_at IS NULL", (culvert,)) == [(0,)]
    assert sql(province, "SELECT count(*) FROM attachment WHERE target_id = %s AND "
               "deleted_at IS NULL", (culvert,)) == [(0,)]


def _edit_then_commit(conn, statement, params):
    def work(thread):
        with conn.cursor() as cur:
            cur.execute(statement, params)
        conn.commit()
    return work


@pytest.mark.parametrize("deleter", ["qgis", "roadinfra"])
def test_a_session_adding_a_child_then_editing_its_parent_is_waited_for_by_a_delete(
        province, deleter):
    """Session A adds a distress to a survey (or an inspection to a bridge) and then edits
    that survey (bridge); session D deletes the survey's section with a DELETE as QGIS sends
    it (or the bridge with RoadInfra's tombstone) in between: D waits for A, A's edit is
    not a deadlock, both commit and A's new row is tombstoned with its parent."""
    if deleter == "qgis":
        survey, section = sql(province, "SELECT s.id::text, s.section_id::text FROM "
                              "pavement_survey s JOIN pavement_distress d ON d.survey_id = s.id "
                              "WHERE d.deleted_at IS NULL ORDER BY s.id LIMIT 1")[0]
        add = ("INSERT INTO pavement_distress (district_code, survey_id, sample_unit, "
               "unit_area_m2, distress_code, severity, quantity) SELECT district_code, "
               "survey_id, 'SU-new', unit_area_m2, distress_code, severity, quantity FROM "
               "pavement_distress WHERE survey_id = %s AND deleted_at IS NULL LIMIT 1 "
               "RETURNING id::text", (survey,))
        edit = ("UPDATE pavement_survey SET pci = 55 WHERE id = %s", (survey,))
        added_table = "pavement_distress"

        def delete(thread):
            conn = psycopg2.connect(province)
            try:
                _edit_then_commit(conn, "DELETE FROM pavement_section WHERE id = %s",
                                  (section,))(thread)
            finally:
                conn.close()
    else:
        bridge = _bridge(province)
        add = ("INSERT INTO inspection (district_code, bridge_id, inspection_date, scheme, "
               "overall_rating) SELECT district_code, id, '2026-11-30', %s, 2 FROM bridge "
               "WHERE id = %s RETURNING id::text", (_scheme(province), bridge))
        edit = ("UPDATE bridge SET load_posting_t = 7 WHERE id = %s", (bridge,))
        added_table = "inspection"

        def delete(thread):
            with open_database(province) as db:
                db.tombstone("bridge", bridge, user="office")
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
    assert sql(province, f"SELECT deleted_at IS NOT NULL FROM {added_table} "  # noqa: S608 # test's table
               "WHERE id = %s", (added,)) == [(True,)]
