"""PostGIS guards (schema version 4) on a real server with real login roles: a child row's
district is its parent's, tombstone() of another district's row is a clean error, a stale
revision is refused (API, raw SQL, two real processes), and 3 -> 4 upgrades equal a fresh
database."""


import psycopg2
import pytest
from roadinfra.core.db import (
    ConflictError,
    DatabaseError,
    ValidationError,
    create_database,
    open_database,
    upgrade_database,
)
from roadinfra.core.schema import SCHEMA_VERSION, tables_at
from shapely.geometry import Point

from tests.support.concurrency import add_one_in_two_processes
from tests.support.pg import editor_of, sql
from tests.support.rows import example_rows, rid

BRIDGE = rid("bridge")


def fill(db):
    present = tables_at(db.schema_version())
    with db.transaction():
        for name, row in example_rows().items():
            if name in present:
                db.insert(name, [row], user="khoa.nguyen")



@pytest.fixture
def province(pg_server, pg_database):
    """The example rows (district 344) plus a bridge of district 336, and two editors."""
    owner = create_database(pg_database)
    fill(owner)
    rows = example_rows()
    b336 = dict(rows["bridge"], id=rid("b336"), code="BR-336-001", district_code="336",
                name="Cầu Hiệp", geom=Point(rows["bridge"]["geom"].x + 900,
                                            rows["bridge"]["geom"].y + 400))
    owner.insert("bridge", [b336], user="admin")
    owner.close()
    return pg_database, editor_of(pg_server, pg_database, "344")[1], \
        editor_of(pg_server, pg_database, "336")[1]


def test_a_child_row_cannot_be_put_in_another_area(province):
    owner_url, ed344_url, _ = province
    ed = open_database(ed344_url)
    attack = dict(example_rows()["inspection"], id=rid("forged"), bridge_id=rid("b336"),
                  overall_rating=0, inspection_type="DAMAGE")
    with pytest.raises(ValidationError, match="district_code 344 is not the district 336 of "
                                              "its bridge") as info:
        ed.insert("inspection", [attack], derive=False)  # the guard itself, not deriving
    assert info.value.field == "district_code"
    photo = dict(example_rows()["attachment"], id=rid("forged photo"), target_id=rid("b336"))
    with pytest.raises(ValidationError, match="is not the district 336 of its bridge"):
        ed.insert("attachment", [photo], derive=False)
    # re-pointing an own inspection at the other district's bridge: refused too
    with pytest.raises(ValidationError, match="is not the district 336 of its bridge"):
        ed.update("inspection", rid("inspection"), {"bridge_id": rid("b336")}, derive=False)
    ed.close()
    # raw SQL (a QGIS layer) is held to the same rule
    conn = psycopg2.connect(ed344_url)
    conn.autocommit = True
    forged = ("INSERT INTO inspection (district_code, bridge_id, inspection_date, scheme, "
              "overall_rating) VALUES ('344', %s, '2025-01-02', 'nbi', 0)")
    with conn.cursor() as cur:
        with pytest.raises(psycopg2.Error, match="district 336 of its bridge"):
            cur.execute(forged, (rid("b336"),))
        # a TEMP table is found before public on the search path: the check must not use it
        cur.execute("CREATE TEMP TABLE bridge (id uuid, district_code text)")
        cur.execute("INSERT INTO bridge VALUES (%s, '344')", (rid("b336"),))
        with pytest.raises(psycopg2.Error, match="district 336 of its bridge"):
            cur.execute(forged, (rid("b336"),))
    conn.close()
    assert sql(owner_url, "SELECT count(*) FROM inspection") == [(1,)]


def test_moving_a_parent_moves_its_children_with_their_history(province):
    owner_url, _, _ = province
    owner = open_database(owner_url)
    owner.update("bridge", BRIDGE, {"district_code": "336"}, user="admin")
    for name in ("bridge_element", "inspection", "component_rating", "element_condition",
                 "attachment"):
        row = owner.fetch(name)[0]
        assert (row["district_code"], row["revision"]) == ("336", 2), name
        assert owner.history(name, row["id"])[-1]["old_values"]["district_code"] == "344"
    owner.close()


def test_tombstone_of_another_districts_row_is_a_clean_error(province):
    _, ed344_url, ed336_url = province
    ed = open_database(ed336_url)
    with pytest.raises(DatabaseError, match=r"bridge BR-344-001: refused: user .* may not "
                                            r"edit bridge rows of district 344") as info:
        ed.tombstone("bridge", BRIDGE)
    assert not isinstance(info.value.__cause__, psycopg2.Error)
    ed.tombstone("bridge", rid("b336"))  # its own district: allowed
    ed.close()


def test_a_stale_revision_is_refused(province):
    owner_url, ed344_url, _ = province
    first, second = open_database(ed344_url), open_database(ed344_url)
    read = first.fetch("bridge", where={"id": BRIDGE})[0]
    second.update("bridge", BRIDGE, {"spans": read["spans"] + 1},
                  revision=second.fetch("bridge", where={"id": BRIDGE})[0]["revision"])
    with pytest.raises(ConflictError, match="changed by someone else since it was read "
                                            r"\(it is at revision 2, the change is based on "
                                            "revision 1\\)"):
        first.update("bridge", BRIDGE, {"spans": read["spans"] + 1}, revision=read["revision"])
    with pytest.raises(ConflictError, match="revision 2"):
        first.tombstone("bridge", BRIDGE, revision=read["revision"])
    first.close()
    second.close()
    # the server refuses it by itself: a writer that sends the revision it read
    conn = psycopg2.connect(ed344_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        with pytest.raises(psycopg2.errors.SerializationFailure,
                           match="changed by someone else .* revision 2, the edit is based on "
                                 "revision 1"):
            cur.execute("UPDATE bridge SET spans = 99, revision = 1 WHERE id = %s", (BRIDGE,))
        cur.execute("UPDATE bridge SET spans = 99, revision = 2 WHERE id = %s", (BRIDGE,))
        cur.execute("UPDATE bridge SET spans = 100 WHERE id = %s", (BRIDGE,))  # QGIS-style
    conn.close()
    assert sql(owner_url, "SELECT spans, revision FROM bridge WHERE id = %s",
               (BRIDGE,)) == [(100, 4)]


def test_two_processes_adding_one_lose_no_update(province):
    owner_url, ed344_url, _ = province
    add_one_in_two_processes(ed344_url, "bridge", BRIDGE, rounds=20)
    assert sql(owner_url, "SELECT spans, revision FROM bridge WHERE id = %s",
               (BRIDGE,)) == [(23 + 40, 41)]
    assert sql(owner_url, "SELECT count(*) FROM change_log WHERE row_id = %s",
               (BRIDGE,)) == [(41,)]


def test_upgrade_from_version_3_equals_a_fresh_database(pg_server):
    from tests.postgis.test_history_author import shape

    old_url, fresh_url = pg_server.new_database(), pg_server.new_database()
    db = create_database(old_url, version=3)
    fill(db)
    db.close()
    before = sql(old_url, "SELECT to_jsonb(b)::text FROM bridge b")
    assert upgrade_database(old_url) == (3, SCHEMA_VERSION)
    assert sql(old_url, "SELECT to_jsonb(b)::text FROM bridge b") == before
    create_database(fresh_url).close()
    assert shape(old_url) == shape(fresh_url)
