"""GeoPackage guards (schema version 4): no change escapes the history (REPLACE, audit
columns, revision), a child row's district is its parent's, and a stale revision is refused
(two real processes lose no update). Existing GeoPackages get the guards by ``db upgrade``."""

import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # repository root: tests.support

from roadinfra.core.db import (  # noqa: E402
    ConflictError,
    DatabaseError,
    ValidationError,
    create_database,
    open_database,
    upgrade_database,
)
from roadinfra.core.db.gpkg import connect  # noqa: E402
from roadinfra.core.schema import SCHEMA_VERSION, TABLES, tables_at  # noqa: E402

from tests.support.concurrency import add_one_in_two_processes  # noqa: E402
from tests.support.rows import example_rows, rid  # noqa: E402

BRIDGE, CULVERT = rid("bridge"), rid("culvert")

# Every way found to change a versioned row or the history without a change_log entry.
BYPASSES = {
    "insert or replace on an existing fid":
        "INSERT OR REPLACE INTO bridge (fid, code, name, route_id) "
        "SELECT fid, 'BR-344-777', 'Cầu giả', route_id FROM bridge",
    "insert or replace on an existing id":
        "INSERT OR REPLACE INTO bridge (id, code, name, route_id) "
        "SELECT id, 'BR-344-777', 'Cầu giả', route_id FROM bridge",
    "insert or replace on a live row's code":
        "INSERT OR REPLACE INTO bridge (code, name, route_id) "
        "SELECT code, 'Cầu giả', route_id FROM bridge",
    "update or replace onto another row's id":
        f"UPDATE OR REPLACE culvert SET id = '{CULVERT}' WHERE code = 'CU-344-020'",
    "update or replace onto another row's fid":
        "UPDATE OR REPLACE culvert SET fid = (SELECT fid FROM culvert WHERE code = "
        "'CU-344-014') WHERE code = 'CU-344-020'",
    "update or replace onto another live row's code":
        "UPDATE OR REPLACE culvert SET code = 'CU-344-014' WHERE code = 'CU-344-020'",
    "insert or replace into change_log":
        "INSERT OR REPLACE INTO change_log (id, table_name, row_id, revision, operation, "
        "changed_at, changed_by) SELECT id, table_name, row_id, revision, 'UPDATE', "
        "changed_at, 'someone else' FROM change_log WHERE table_name = 'bridge'",
    "a change that also sets revision = revision + 1":
        "UPDATE bridge SET spans = 7, revision = revision + 1",
    "blanking created_at (to restore it after an unlogged change)":
        "UPDATE bridge SET created_at = NULL",
    "rewriting the author":
        "UPDATE bridge SET updated_by = 'director.tran', created_by = 'director.tran'",
    "setting the revision back":
        "UPDATE culvert SET revision = 1, span_m = 9",
}


@pytest.fixture
def filled(tmp_path):
    db = create_database(tmp_path / "tb.gpkg")
    fill(db)
    db.update("culvert", CULVERT, {"span_m": 2.5}, user="lan.tran")  # culvert at revision 2
    db.insert("culvert", [another("culvert", code="CU-344-020")])
    yield db
    db.close()


def another(table, **changes):
    """The example row of ``table`` as a new row (no id) with ``changes``."""
    row = {k: v for k, v in example_rows()[table].items() if k != "id"}
    return dict(row, **changes)


def fill(db):
    present = tables_at(db.schema_version())
    with db.transaction():
        for name, row in example_rows().items():
            if name in present:
                db.insert(name, [row], user="khoa.nguyen")


def state(path):
    """Every row of every versioned table and the whole change_log, as stored."""
    conn = sqlite3.connect(path)
    out = {name: conn.execute(f'SELECT * FROM "{name}" ORDER BY fid').fetchall()  # noqa: S608
           for name, table in TABLES.items() if table.versioned}  # names from the schema
    out["change_log"] = conn.execute("SELECT * FROM change_log ORDER BY id").fetchall()
    conn.close()
    return out


def assert_history_complete(path):
    """Each versioned row's revision is the number of its change_log entries, 1..n."""
    conn = sqlite3.connect(path)
    for name, table in TABLES.items():
        if not table.versioned:
            continue
        for row_id, revision in conn.execute(f'SELECT id, revision FROM "{name}"'):  # noqa: S608
            logged = [r for (r,) in conn.execute(
                "SELECT revision FROM change_log WHERE table_name = ? AND row_id = ? "
                "ORDER BY id", (name, row_id))]
            assert logged == list(range(1, revision + 1)), (name, row_id, revision, logged)
    conn.close()


@pytest.mark.parametrize("attack", list(BYPASSES), ids=list(BYPASSES))
def test_every_history_bypass_is_refused(filled, attack):
    before = state(filled.target)
    conn = connect(filled.target)
    with pytest.raises(sqlite3.IntegrityError, match="RoadInfra|UNIQUE|append-only"):
        conn.execute(BYPASSES[attack])
    conn.close()
    assert state(filled.target) == before
    assert_history_complete(filled.target)


def test_data_changes_are_logged_whatever_else_the_statement_sets(filled):
    conn = connect(filled.target)
    # audit columns set to what they already are, with a real change: logged
    conn.execute("UPDATE bridge SET spans = 24, revision = revision, created_at = created_at")
    # a legitimate UPDATE OR REPLACE (no collision) and a restore of a tombstone: logged
    conn.execute("UPDATE OR REPLACE culvert SET code = 'CU-344-015' WHERE code = 'CU-344-014'")
    conn.execute("UPDATE culvert SET deleted_at = '2025-01-01T00:00:00Z' WHERE code = "
                 "'CU-344-015'")
    conn.execute("UPDATE culvert SET deleted_at = NULL WHERE code = 'CU-344-015'")
    conn.close()
    db = open_database(filled.target)
    assert [h["operation"] for h in db.history("culvert", CULVERT)] == [
        "INSERT", "UPDATE", "UPDATE", "DELETE", "RESTORE"]
    entry = db.history("bridge", BRIDGE)[-1]
    assert (entry["revision"], entry["new_values"]["spans"], entry["new_values"]["revision"]) \
        == (2, 24, 2)
    row = db.fetch("bridge", where={"id": BRIDGE})[0]
    assert entry["new_values"]["updated_at"] == row["updated_at"].strftime(
        "%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    db.close()
    assert_history_complete(filled.target)


def test_a_child_row_belongs_to_its_parents_area(filled):
    db = filled
    other = another("inspection", district_code="336")
    with pytest.raises(ValidationError, match="district of its bridge") as info:
        db.insert("inspection", [other], user="ed344")
    assert info.value.field == "district_code"
    with pytest.raises(ValidationError, match="district of its inspection"):
        db.update("component_rating", rid("component_rating"), {"district_code": "336"})
    photo = another("attachment", target_table="culvert", target_id=CULVERT,
                    district_code="336")  # a photo is its row's too
    with pytest.raises(ValidationError, match="district of the row it is attached to"):
        db.insert("attachment", [photo])
    db.insert("attachment", [dict(photo, target_table="weighing_record")])  # no area there
    conn = connect(db.target)  # the same rule for edits made directly (QGIS)
    with pytest.raises(sqlite3.IntegrityError, match="district of its bridge"):
        conn.execute("UPDATE bridge_element SET district_code = '336'")
    conn.close()
    # moving the parent moves its children, each change in their history
    db.update("bridge", BRIDGE, {"district_code": "336"}, user="admin")
    for name in ("bridge_element", "inspection", "component_rating", "element_condition",
                 "attachment"):
        row = db.fetch(name, where={"id": rid(name)})[0]
        assert (row["district_code"], row["revision"]) == ("336", 2), name
        assert db.history(name, row["id"])[-1]["old_values"]["district_code"] == "344"
    assert db.fetch("pavement_survey")[0]["district_code"] == "344"  # not a child of a bridge
    assert_history_complete(db.target)


def test_a_stale_revision_is_refused_by_update_and_tombstone(filled):
    db = filled
    read = db.fetch("bridge", where={"id": BRIDGE})[0]
    db.update("bridge", BRIDGE, {"spans": read["spans"] + 1}, revision=read["revision"])
    with pytest.raises(ConflictError, match=r"bridge BR-344-001: changed by someone else since "
                                            r"it was read \(it is at revision 2, the change is "
                                            r"based on revision 1\)"):
        db.update("bridge", BRIDGE, {"spans": read["spans"] + 1}, revision=read["revision"])
    with pytest.raises(ConflictError, match="revision 2, the change is based on revision 1"):
        db.tombstone("bridge", BRIDGE, revision=read["revision"])
    with pytest.raises(DatabaseError, match="is not a revision number"):
        db.update("bridge", BRIDGE, {"spans": 3}, revision="2")
    assert db.fetch("bridge", where={"id": BRIDGE})[0]["spans"] == read["spans"] + 1
    db.tombstone("bridge", BRIDGE, revision=2)
    assert db.count("bridge") == 0
    # a raw writer that sends the revision it read is held to it too
    conn = connect(db.target)
    with pytest.raises(sqlite3.IntegrityError, match="changed by someone else"):
        conn.execute(f"UPDATE culvert SET span_m = 3, revision = 1 WHERE id = '{CULVERT}'")
    conn.close()


def test_two_processes_adding_one_lose_no_update(filled):
    filled.close()
    add_one_in_two_processes(filled.target, "bridge", BRIDGE, rounds=20)
    db = open_database(filled.target)
    row = db.fetch("bridge", where={"id": BRIDGE})[0]
    assert row["spans"] == 23 + 40 and row["revision"] == 41
    assert len(db.history("bridge", BRIDGE)) == 41
    db.close()


def test_upgrade_from_version_3_adds_the_guards(tmp_path):
    old, fresh = tmp_path / "old.gpkg", tmp_path / "fresh.gpkg"
    db = create_database(old, version=3)
    fill(db)
    db.update("culvert", CULVERT, {"span_m": 2.5})
    db.insert("culvert", [another("culvert", code="CU-344-020")])
    conn = connect(str(old))  # version 3: this change escaped the history
    conn.execute("UPDATE bridge SET spans = 7, revision = revision + 1")
    conn.close()
    db.close()
    assert upgrade_database(old) == (3, SCHEMA_VERSION)
    create_database(fresh).close()

    def triggers(path):
        conn = sqlite3.connect(path)
        out = sorted(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
        conn.close()
        return out

    assert triggers(old) == triggers(fresh)
    before = state(str(old))
    conn = connect(str(old))
    for name, attack in BYPASSES.items():
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(attack)
            pytest.fail(f"not refused after the upgrade: {name}")
    conn.close()
    assert state(str(old)) == before
