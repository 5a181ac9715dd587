"""Offline packages and sync against a GeoPackage provincial database (the sample
province): packaging and its refusals, capture of edits made through GDAL/OGR, every cell
of the merge table, conflicts resolved, equal codes, two and five packages at once,
files that are not a good package."""

import json
import shutil
import sqlite3
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from roadinfra.core.db import open_database  # noqa: E402
from roadinfra.core.db.gpkg import connect  # noqa: E402
from roadinfra.core.sync import (  # noqa: E402
    PackageError,
    Scope,
    SyncError,
    create_package,
    sync_package,
)

from tests.support import sync_scenarios as scenarios  # noqa: E402
from tests.support.sync import cli, live_ids, live_keys, ogr_delete, ogr_update, row, rows  # noqa: E402


def test_package_holds_the_area_its_children_lookups_and_base(province, tmp_path):
    out = tmp_path / "p.gpkg"
    made = create_package(province, Scope("area", "340"), str(out), name="Hưng Hà tuần 1")
    with open_database(province) as server, open_database(out) as package:
        bridges = server.fetch("bridge", where={"district_code": "340"})
        assert {b["id"] for b in package.fetch("bridge")} == {b["id"] for b in bridges}
        inspections = [i for i in server.fetch("inspection") if i["bridge_id"] in
                       {b["id"] for b in bridges}]
        assert {i["id"] for i in inspections} <= {i["id"] for i in package.fetch("inspection")}
        assert package.count("admin_unit") == server.count("admin_unit")
        assert package.count("codelist") == server.count("codelist")
        routes = {b["route_id"] for b in bridges}
        assert routes <= {r["id"] for r in package.fetch("route")}
        for b in bridges:  # exactly as on the server: id, revision, audit, values
            assert package.fetch("bridge", where={"id": b["id"]})[0] == b
        [replica] = server.fetch("sync_replica")
        assert replica["id"] == made["replica_id"] and replica["name"] == "Hưng Hà tuần 1"
        assert replica["created_by"] == made["created_by"]
        assert replica["base_change_id"] == server.count("change_log")
        assert json.loads(replica["scope"]) == {"kind": "area", "value": "340"}
        assert package.meta("package_id") == replica["id"]
        assert package.count("weighing_record") == 0
    with pytest.raises(SyncError, match="the box takes no asset"):  # nothing but context
        create_package(province, Scope("bbox", (0, 0, 1, 1)), str(tmp_path / "b.gpkg"))
    box = create_package(province, Scope("bbox", (575000, 2265000, 590000, 2275000)),
                         str(tmp_path / "b.gpkg"))
    assert box["rows"]["culvert"] > 0 and box["rows"]["admin_unit"] > 0
    route = create_package(province, Scope("route", "QL10"), str(tmp_path / "r.gpkg"))
    assert route["rows"]["route"] == 1 and route["rows"]["bridge"] > 0


def test_a_tombstoned_parent_and_its_children_stay_out_of_a_package(province, tmp_path):
    inspection = next(r for r in rows(province, "inspection", district_code="340")
                      if r["bridge_id"] and r["deleted_at"] is None)
    with open_database(province) as db:  # its inspections follow the tombstone
        db.tombstone("bridge", inspection["bridge_id"], user="office")
    out = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(out))  # references kept whole
    assert rows(out, "bridge", id=inspection["bridge_id"]) == []
    assert rows(out, "inspection", id=inspection["id"]) == []
    assert sync_package(str(out), province)["sent"] == {"insert": 0, "update": 0,
                                                        "delete": 0}


def test_package_refuses_bad_input_in_one_line(province, tmp_path):
    out = tmp_path / "p.gpkg"
    cases = [
        (["--area", "999", "--out", str(out)], "not a management area"),
        (["--route", "QL99", "--out", str(out)], "no such route"),
        (["--bbox", "1,2,3", "--out", str(out)], "four numbers"),
        (["--bbox", "5,2,3,4", "--out", str(out)], "XMIN must be below XMAX"),
        (["--area", "340", "--out", province], "the output is the database itself"),
        (["--area", "340", "--out", str(tmp_path / "p.txt")], "ending in .gpkg"),
        (["--area", "340", "--out", str(tmp_path / "no" / "p.gpkg")], "does not exist"),
    ]
    for args, message in cases:
        done = cli("package", "--db", province, *args)
        assert done.returncode == 2 and message in done.stderr, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1
    out.write_bytes(b"")
    done = cli("package", "--db", province, "--area", "340", "--out", str(out))
    assert done.returncode == 2 and "file exists; refusing to overwrite" in done.stderr
    assert rows(province, "sync_replica") == []  # nothing registered by a refusal


def test_every_local_change_is_captured_however_it_was_made(province, tmp_path):
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    b1, b2, b3 = live_ids(pkg, "bridge")[:3]
    with open_database(pkg) as db:  # our API
        db.update("bridge", b1, {"spans": 11}, user="khảo sát")
    ogr_update(pkg, "bridge", b2, name="Cầu đổi tên qua OGR")  # GDAL/OGR (QGIS)
    conn = connect(str(pkg))  # plain SQL (with the GeoPackage functions), as QField writes
    conn.execute("UPDATE bridge SET width_m = 9.5 WHERE id = ?", (b3,))
    conn.close()
    with open_database(pkg) as db:  # a culvert with inspections, and one without
        owners = {r["culvert_id"] for r in db.fetch("inspection") if r["culvert_id"]}
        culvert = next(r["id"] for r in db.fetch("culvert") if r["id"] in owners)
        bare = next(r["id"] for r in db.fetch("culvert") if r["id"] not in owners)
    before = live_keys(pkg)
    ogr_delete(pkg, "culvert", culvert)  # deleted in QGIS: a tombstone, its children too
    gone = sorted(before - live_keys(pkg))
    assert ("culvert", culvert) in gone and {t for t, _ in gone} >= {"culvert", "inspection"}
    with open_database(pkg) as db:
        for table, row_id in gone:
            assert db.history(table, row_id)[-1]["operation"] == "DELETE"
    conn = sqlite3.connect(str(pkg))  # a package made before schema 6's trigger: its own
    conn.execute("DROP TRIGGER ri_culvert_delete")  # trigger deleted the row outright
    conn.execute("DELETE FROM culvert WHERE id = ?", (bare,))
    conn.commit()
    conn.close()
    report = sync_package(str(pkg), province)
    assert report["sent"] == {"insert": 0, "update": 3, "delete": 1 + len(gone)}
    assert report["conflicts"] == []
    assert row(province, "bridge", b1)["spans"] == 11
    assert row(province, "bridge", b2)["name"] == "Cầu đổi tên qua OGR"
    assert row(province, "bridge", b3)["width_m"] == 9.5
    for target in (province, pkg):  # a tombstone on both sides, never a lost row
        for table, row_id in gone + [("culvert", bare)]:
            assert row(target, table, row_id)["deleted_at"] is not None


def test_every_cell_of_the_merge_table(province, tmp_path):
    scenarios.merge_table(province, tmp_path)


def test_a_deleted_parent_never_takes_children_it_did_not_see(province, tmp_path):
    scenarios.deleted_parents(province, tmp_path)


def test_an_approved_plan_item_deleted_on_the_tablet_is_refused(province, tmp_path):
    scenarios.approved_plan_item_deleted(province, tmp_path)


def test_equal_codes_from_two_crews_are_never_silent(province, tmp_path):
    scenarios.equal_codes(province, tmp_path)


def _sync_one(args):
    return sync_package(*args)


def test_two_and_five_packages_edited_at_once(province, sample_province, tmp_path):
    def parallel(paths, server):
        with ProcessPoolExecutor(max_workers=len(paths)) as pool:
            return list(pool.map(_sync_one, [(str(p), str(server)) for p in paths]))

    (tmp_path / "two").mkdir()
    scenarios.several_packages(province, tmp_path / "two", 2, parallel)
    fresh = shutil.copyfile(sample_province, tmp_path / "fresh.gpkg")
    (tmp_path / "five").mkdir()
    scenarios.several_packages(str(fresh), tmp_path / "five", 5, parallel)


def test_a_file_that_is_not_a_good_package_is_refused_before_anything_is_written(
        province, tmp_path):
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    ogr_update(pkg, "bridge", live_ids(pkg, "bridge")[0], spans=12)
    before = Path(province).read_bytes()

    def refused(path, message):
        with pytest.raises(PackageError, match=message):
            sync_package(str(path), province)
        assert Path(province).read_bytes() == before

    text = tmp_path / "notes.gpkg"
    text.write_text("không phải gói dữ liệu")
    refused(text, "not a GeoPackage file")
    refused(tmp_path / "missing.gpkg", "no such package")
    refused(province, "not an offline package")  # a database, not a package
    cut = tmp_path / "cut.gpkg"
    cut.write_bytes(pkg.read_bytes()[: pkg.stat().st_size // 2])
    refused(cut, "damaged or truncated|cannot read")

    def altered(name, statement):
        """A copy of the package changed by one SQL statement outside RoadInfra."""
        copy = shutil.copyfile(pkg, tmp_path / name)
        conn = sqlite3.connect(copy)
        conn.execute(statement)
        conn.commit()
        conn.close()
        return copy

    refused(altered("tampered.gpkg",
                    "UPDATE sync_base SET revision = revision + 1 WHERE rowid = 3"),
            "not the one")
    refused(altered("forged.gpkg",
                    "UPDATE sync_base SET row_values = json_set(row_values, '$.spans', 99) "
                    "WHERE table_name = 'bridge'"),
            "does not match its digest")
    refused(altered("old.gpkg", "UPDATE db_meta SET value = '4' WHERE key = 'schema_version'"),
            "schema version 4")
    other = tmp_path / "other.gpkg"
    shutil.copyfile(province, tmp_path / "other_province.gpkg")
    create_package(str(tmp_path / "other_province.gpkg"), Scope("area", "340"), str(other))
    refused(other, "not registered")
    done = cli("sync", str(text), "--db", province)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert sync_package(str(pkg), province)["sent"]["update"] == 1  # the real one still syncs


def test_sync_cli_json_says_what_was_sent_received_and_left(province, tmp_path):
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    bridge = live_ids(pkg, "bridge")[0]
    ogr_update(pkg, "bridge", bridge, spans=3)
    with open_database(province) as db:
        db.update("bridge", bridge, {"spans": 4}, user="office")
    done = cli("sync", str(pkg), "--db", province, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["sent"]["update"] == 0 and report["conflicts"][0]["fields"] == ["spans"]
    plain = cli("sync", str(pkg), "--db", province)
    assert plain.returncode == 0 and \
        "open conflicts of this package this login is shown: 1" in plain.stdout
    with pytest.raises(SyncError):
        create_package(province, Scope("area", "340"), str(pkg))


def test_received_counts_the_server_values_a_changed_row_takes(province, tmp_path):
    """A row the package changed counts as received when what comes back differs from what
    the package sent: the office's field merged in, a field conflict's server value; not
    when the server took the package's values as they were."""
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    culvert, other = live_ids(pkg, "culvert", "340")[:2]
    nothing = {"insert": 0, "update": 0, "delete": 0}

    ogr_update(pkg, "culvert", culvert, cells=6)
    report = sync_package(str(pkg), province)
    assert report["sent"]["update"] == 1 and report["received"] == nothing

    ogr_update(pkg, "culvert", culvert, cells=7)
    ogr_update(pkg, "culvert", other, cells=8)
    with open_database(province) as db:
        db.update("culvert", culvert, {"length_m": 44.4}, user="office")  # merged
        db.update("culvert", other, {"cells": 9}, user="office")  # a field conflict
    report = sync_package(str(pkg), province)
    assert report["sent"]["update"] == 1 and len(report["conflicts"]) == 1, report
    assert report["received"] == dict(nothing, update=2)
    assert (row(pkg, "culvert", culvert)["length_m"], row(pkg, "culvert", other)["cells"]) \
        == (44.4, 9)
