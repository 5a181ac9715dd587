"""PostGIS guards of schema version GUARDS_2 on a real server with real login roles: every
area link of a row is checked and links agree (element_condition), and weighing_record is
append-only; an upgrade from version 7 gets them through the migration."""

import psycopg2
import pytest
from roadinfra.core.db import ValidationError, create_database, open_database, upgrade_database
from roadinfra.core.schema import SCHEMA_VERSION
from roadinfra.core.schema.tables import GUARDS_2
from shapely.geometry import Point

from tests.support.pg import editor_of, sql
from tests.support.rows import example_rows, rid

FORGED = ("INSERT INTO element_condition (district_code, inspection_id, element_id, qty_cs1) "
          "VALUES ('344', %s, %s, 1)")


def fill(db):
    """The example rows (344), a second 344 bridge and a 336 bridge, each with an element."""
    rows = example_rows()
    with db.transaction():
        for name, row in rows.items():
            db.insert(name, [row], user="khoa.nguyen")
        for key, code, district, dx in (("b344", "BR-344-002", "344", 300),
                                        ("b336", "BR-336-001", "336", 900)):
            geom = Point(rows["bridge"]["geom"].x + dx, rows["bridge"]["geom"].y + 400)
            db.insert("bridge", [dict(rows["bridge"], id=rid(key), code=code,
                                      district_code=district, geom=geom)], user="admin")
            db.insert("bridge_element", [dict(rows["bridge_element"], id=rid(key + " element"),
                                              bridge_id=rid(key), district_code=district)],
                      user="admin")


@pytest.fixture(params=["create", "upgrade"])
def province(request, pg_server, pg_database):
    version = SCHEMA_VERSION if request.param == "create" else GUARDS_2 - 1
    owner = create_database(pg_database, version=version)
    fill(owner)
    owner.close()
    if request.param == "upgrade":
        assert upgrade_database(pg_database) == (GUARDS_2 - 1, SCHEMA_VERSION)
    return pg_database, editor_of(pg_server, pg_database, "344")[1]


def test_every_link_of_a_child_row_is_in_its_area_and_links_agree(province):
    owner_url, ed344_url = province
    conn = psycopg2.connect(ed344_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        # an editor of 344: an element of a 336 bridge under a 344 inspection
        with pytest.raises(psycopg2.Error, match="district 336 of its bridge_element"):
            cur.execute(FORGED, (rid("inspection"), rid("b336 element")))
        with pytest.raises(psycopg2.Error, match="element_id references a bridge_element of "
                                                 "another bridge_id than its inspection"):
            cur.execute(FORGED, (rid("inspection"), rid("b344 element")))
        with pytest.raises(psycopg2.Error, match="another bridge_id"):
            cur.execute("UPDATE element_condition SET element_id = %s",
                        (rid("b344 element"),))
        for parent in ("bridge_element", "inspection"):  # nor from the other side
            with pytest.raises(psycopg2.Error, match=f"{parent} row: bridge_id cannot change: "
                                                     "a element_condition links it"):
                cur.execute(f"UPDATE {parent} SET bridge_id = %s WHERE id = %s",  # noqa: S608
                            (rid("b344"), rid(parent)))
    conn.close()
    assert sql(owner_url, "SELECT count(*), min(element_id::text) FROM element_condition") \
        == [(1, rid("bridge_element"))]
    ed = open_database(ed344_url)
    row = dict(example_rows()["element_condition"], id=rid("forged"),
               element_id=rid("b336 element"))
    with pytest.raises(ValidationError, match="district 336 of its bridge_element") as info:
        ed.insert("element_condition", [row], derive=False)
    assert info.value.field == "district_code"
    with pytest.raises(ValidationError, match="another bridge_id") as info:
        ed.update("element_condition", rid("element_condition"),
                  {"element_id": rid("b344 element")}, derive=False)
    assert info.value.field == "element_id"
    ed.insert("element_condition", [dict(example_rows()["element_condition"],
                                         id=rid("second"))], derive=False)
    ed.close()
    owner = open_database(owner_url)  # moving the bridge moves what hangs on it
    owner.update("bridge", rid("bridge"), {"district_code": "336"}, user="admin", derive=False)
    assert {r["district_code"] for r in owner.fetch("element_condition")} == {"336"}
    owner.close()


def test_weighing_records_are_append_only(province):
    owner_url, ed344_url = province
    before = sql(owner_url, "SELECT to_jsonb(w)::text FROM weighing_record w")
    # an editor has no DELETE or TRUNCATE grant; the owner (who has) is refused too
    appended = "weighing_record is append-only"
    for url, refusal in ((ed344_url, f"{appended}|permission denied for table weighing_record"),
                         (owner_url, appended)):
        conn = psycopg2.connect(url)
        conn.autocommit = True
        with conn.cursor() as cur:
            for attack in ("DELETE FROM weighing_record",
                           "UPDATE weighing_record SET gross_t = 1",
                           "TRUNCATE weighing_record"):
                with pytest.raises(psycopg2.Error, match=refusal):
                    cur.execute(attack)
        conn.close()
    assert sql(owner_url, "SELECT to_jsonb(w)::text FROM weighing_record w") == before
    ed = open_database(ed344_url)  # inserting goes on
    ed.insert("weighing_record", [dict(example_rows()["weighing_record"], id=rid("w2"))])
    assert ed.count("weighing_record") == 2
    ed.close()
