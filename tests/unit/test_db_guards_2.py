"""GeoPackage guards of schema version GUARDS_2: every area link of a row is checked and
links agree (element_condition), a forged change_log entry lets no statement rewrite the
audit columns or step the revision, and weighing_record is append-only. Fresh databases get
them from create, existing ones from ``db upgrade``."""

import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # repository root: tests.support

from roadinfra.core.db import ValidationError, create_database, upgrade_database  # noqa: E402
from roadinfra.core.db.gpkg import connect  # noqa: E402
from roadinfra.core.schema import SCHEMA_VERSION  # noqa: E402
from roadinfra.core.schema.tables import GUARDS_2  # noqa: E402
from shapely.geometry import Point  # noqa: E402

from tests.support.rows import example_rows, rid  # noqa: E402

BRIDGE = rid("bridge")


def fill(db):
    """The example rows (district 344), a second 344 bridge and a 336 bridge, each with an
    element."""
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
def filled(request, tmp_path):
    """A current database made by create, or by ``db upgrade`` of the version before GUARDS_2."""
    path = tmp_path / "tb.gpkg"
    version = SCHEMA_VERSION if request.param == "create" else GUARDS_2 - 1
    db = create_database(path, version=version)
    fill(db)
    db.close()
    if request.param == "upgrade":
        assert upgrade_database(path) == (GUARDS_2 - 1, SCHEMA_VERSION)
    from roadinfra.core.db import open_database

    db = open_database(path)
    yield db
    db.close()


def table_state(path, name):
    conn = sqlite3.connect(path)
    rows = conn.execute(f'SELECT * FROM "{name}" ORDER BY fid').fetchall()  # noqa: S608 # test names
    log = conn.execute("SELECT * FROM change_log ORDER BY id").fetchall()
    conn.close()
    return rows, log


RAW_CONDITION = ("INSERT INTO element_condition (district_code, inspection_id, element_id, "
                 "qty_cs1) VALUES ('344', ?, ?, 1)")


def test_every_link_of_a_child_row_is_in_its_area_and_links_agree(filled):
    db = filled
    before = table_state(db.target, "element_condition")
    conn = connect(db.target)
    # the element belongs to a bridge of district 336: refused, whatever the inspection
    with pytest.raises(sqlite3.IntegrityError, match="district of its bridge_element"):
        conn.execute(RAW_CONDITION, (rid("inspection"), rid("b336 element")))
    # both in 344, but the element is of another bridge than the inspection
    with pytest.raises(sqlite3.IntegrityError, match="element_id must reference a "
                                                     "bridge_element of the same bridge_id"):
        conn.execute(RAW_CONDITION, (rid("inspection"), rid("b344 element")))
    with pytest.raises(sqlite3.IntegrityError, match="same bridge_id"):
        conn.execute("UPDATE element_condition SET element_id = ?", (rid("b344 element"),))
    # nor from the other side: the element or the inspection moved to another bridge
    for parent in ("bridge_element", "inspection"):
        with pytest.raises(sqlite3.IntegrityError, match=f"{parent}.bridge_id cannot change: "
                                                         "a element_condition links"):
            conn.execute(f"UPDATE {parent} SET bridge_id = ? WHERE id = ?",  # noqa: S608
                         (rid("b344"), rid(parent)))
    conn.close()
    assert table_state(db.target, "element_condition") == before
    # the API says which field
    row = dict(example_rows()["element_condition"], id=rid("forged"),
               element_id=rid("b336 element"))
    with pytest.raises(ValidationError, match="district of its bridge_element") as info:
        db.insert("element_condition", [row], derive=False)
    assert info.value.field == "district_code"
    with pytest.raises(ValidationError, match="same bridge_id") as info:
        db.update("element_condition", rid("element_condition"),
                  {"element_id": rid("b344 element")}, derive=False)
    assert info.value.field == "element_id"
    # a legitimate row is accepted, and moving the bridge moves everything that hangs on it
    db.insert("element_condition", [dict(example_rows()["element_condition"],
                                         id=rid("second"))], derive=False)
    db.update("bridge", BRIDGE, {"district_code": "336"}, user="admin", derive=False)
    assert {r["district_code"] for r in db.fetch("element_condition")} == {"336"}


FORGE = ("INSERT INTO change_log (table_name, row_id, revision, operation, changed_at) "
         "VALUES ('bridge', ?, (SELECT revision + 1 FROM bridge WHERE id = ?), 'UPDATE', "
         "'2025-01-01T00:00:00Z')")
REWRITES = {
    "created_at and created_by": "UPDATE bridge SET created_at = '1999-01-01', "
                                 "created_by = 'mallory', revision = revision + 1 WHERE id = ?",
    "updated_at and updated_by": "UPDATE bridge SET updated_at = '1999-01-01', "
                                 "updated_by = 'mallory', revision = revision + 1 WHERE id = ?",
    "the revision alone": "UPDATE bridge SET revision = revision + 1 WHERE id = ?",
    "created_by alone": "UPDATE bridge SET created_by = 'mallory' WHERE id = ?",
}


@pytest.mark.parametrize("recursive", [False, True], ids=["recursive off", "recursive on"])
@pytest.mark.parametrize("rewrite", list(REWRITES), ids=list(REWRITES))
def test_a_forged_change_log_entry_lets_nothing_through(filled, recursive, rewrite):
    conn = connect(filled.target)
    conn.execute(f"PRAGMA recursive_triggers = {'ON' if recursive else 'OFF'}")
    rows_before, _ = table_state(filled.target, "bridge")
    conn.execute(FORGE, (BRIDGE, BRIDGE))
    with pytest.raises(sqlite3.IntegrityError, match="RoadInfra keeps the history"):
        conn.execute(REWRITES[rewrite], (BRIDGE,))
    conn.close()
    assert table_state(filled.target, "bridge")[0] == rows_before
    # a real edit afterwards is logged as ever
    filled.update("bridge", BRIDGE, {"spans": 5}, derive=False)
    entry = filled.history("bridge", BRIDGE)[-1]
    assert (entry["new_values"]["spans"], entry["new_values"]["created_by"]) == (5, "khoa.nguyen")


def test_weighing_records_are_append_only(filled):
    db = filled
    before = table_state(db.target, "weighing_record")
    conn = connect(db.target)
    for attack in ("DELETE FROM weighing_record WHERE fid < 100",
                   "UPDATE weighing_record SET gross_t = 1",
                   "UPDATE weighing_record SET id = NULL",
                   "INSERT OR REPLACE INTO weighing_record SELECT * FROM weighing_record"):
        with pytest.raises(sqlite3.IntegrityError, match="weighing_record is append-only"):
            conn.execute(attack)
    # rows added without an id (QGIS) still get one
    conn.execute("INSERT INTO weighing_record (station_id, weighed_at, vehicle_type, "
                 "axle_count, axle_loads_t, axle_spacings_m, gross_t) VALUES "
                 "(?, '2025-03-01T08:00:00Z', 'truck', 2, '[6, 10]', '[4.5]', 16)",
                 (rid("load_station"),))
    assert conn.execute("SELECT count(*) FROM weighing_record WHERE id IS NULL").fetchone() \
        == (0,)
    conn.close()
    assert table_state(db.target, "weighing_record")[0][:len(before[0])] == before[0]
