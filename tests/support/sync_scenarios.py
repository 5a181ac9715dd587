"""Sync scenarios run against both provincial back-ends (tests/unit: GeoPackage,
tests/postgis: PostGIS). Edits in the package are made through GDAL/OGR on the file (as
QGIS and scripts make them) unless said otherwise; edits on the server through the API
(the office)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from roadinfra.core.db import open_database
from roadinfra.core.db.gpkg import connect
from roadinfra.core.planning import lifecycle
from roadinfra.core.schema.constraints import child_links
from roadinfra.core.schema.tables import TABLES
from roadinfra.core.sync import Scope, create_package, open_package, sync_package
from shapely.affinity import translate
from shapely.geometry import MultiLineString

from tests.support.sync import (
    cli,
    live_ids,
    live_keys,
    ogr_delete,
    ogr_insert,
    ogr_update,
    row,
    rows,
)

AREA = "340"


def _picks(server):
    """Bridges of area 340 (those without inspections first; the bridge of the inspection
    both sides edit last: the first two are deleted, with their children)."""
    inspected = {r["bridge_id"] for r in rows(server, "inspection")}
    inspection = next(r for r in rows(server, "inspection", district_code=AREA)
                      if r["bridge_id"])
    bridges = sorted(live_ids(server, "bridge", AREA),
                     key=lambda i: (i == inspection["bridge_id"], i in inspected))
    culverts = live_ids(server, "culvert", AREA)
    return bridges, culverts, inspection


def merge_table(server, tmp: Path, writer=None) -> dict:
    """Every cell of the merge table in one package against one server; the conflicts then
    resolved with ``roadinfra conflicts`` and learnt by the package. ``writer``: the
    target the crew syncs with (default ``server``)."""
    writer = writer or server
    bridges, culverts, insp = _picks(server)
    b5, b6, b1, b2, b3, b4, b7, b8 = bridges[:8]
    c1, c2 = culverts[:2]
    with open_database(server) as db:
        db.update("bridge", b8, {"load_posting_t": 18.0}, user="office")
    pkg = tmp / "merge.gpkg"
    made = create_package(writer, Scope("area", AREA), str(pkg), name="Tổ khảo sát Hưng Hà")
    assert made["rows"]["bridge"] >= 8 and made["rows"]["admin_unit"] >= 8

    route_id = row(server, "culvert", c1)["route_id"]
    route = row(server, "route", route_id)
    two_parts = MultiLineString([route["geom"].geoms[0].coords,
                                 translate(route["geom"].geoms[0], 30, 30).coords])
    # ------------------------------------------------------------ the crew's edits
    ogr_update(pkg, "bridge", b1, spans=7)                                 # mine only
    ogr_update(pkg, "bridge", b3, name="Cầu Trà Lý mới")                    # both, same
    ogr_update(pkg, "bridge", b4, name="Cầu Hòa Bình (tổ khảo sát)")        # both, differ
    live = live_keys(pkg)
    ogr_delete(pkg, "bridge", b5)                                           # delete / none
    gone5 = live - live_keys(pkg)  # the bridge and its children, at any depth
    ogr_delete(pkg, "bridge", b6)                                           # delete / edit
    gone6 = live - gone5 - live_keys(pkg)
    assert ("bridge", b5) in gone5 and len(gone5) > 1 and ("bridge", b6) in gone6
    ogr_update(pkg, "bridge", b7, crossing_name="Sông Hóa – nhánh Đông")    # edit / delete
    ogr_update(pkg, "bridge", b8, load_posting_t=30.0)                      # rule: min
    c1_geom = translate(row(server, "culvert", c1)["geom"], 12.5, -4.0)
    ogr_update(pkg, "culvert", c1, geom=c1_geom)                            # geometry
    ogr_update(pkg, "culvert", c2, material=None)                           # to NULL
    ogr_update(pkg, "route", route_id, geom=two_parts, name="Quốc lộ – đoạn khảo sát")
    newer = (insp["inspection_date"] + dt.timedelta(days=30)).isoformat()
    ogr_update(pkg, "inspection", insp["id"], inspection_date=newer, overall_rating=4,
               notes="Nứt dầm chủ, đề nghị hạn chế tải")                  # rule: newer
    new_id = ogr_insert(pkg, "culvert", code="CU-340-901", district_code=AREA,
                        route_id=route_id, culvert_type="PIPE", material="RC",
                        chainage_m=1234.5, geom=translate(c1_geom, 50, 0))
    # ------------------------------------------------------------ the office's edits
    with open_database(server) as db:
        db.update("bridge", b2, {"name": "Cầu Tân Lễ (văn phòng)"}, user="office")
        db.update("bridge", b3, {"name": "Cầu Trà Lý mới"}, user="office")
        db.update("bridge", b4, {"name": "Cầu Hòa Bình (văn phòng)"}, user="office")
        db.update("bridge", b6, {"spans": 9}, user="office")
        db.tombstone("bridge", b7, user="office")
        db.update("bridge", b8, {"load_posting_t": 13.0}, user="office")
        db.update("culvert", c1, {"material": "STEEL"}, user="office")
        db.update("inspection", insp["id"], {"overall_rating": 6}, user="office")
        template = db.fetch("culvert", where={"id": c2})[0]
        [office_new] = db.insert("culvert", [{
            "code": "CU-340-800", "district_code": AREA, "route_id": template["route_id"],
            "culvert_type": "SLAB", "material": "MASONRY", "geom": translate(
                template["geom"], -40, 0)}], user="office")

    report = sync_package(str(pkg), writer)

    assert report["sent"] == {"insert": 1, "update": 5, "delete": len(gone5)}, report
    assert sorted((c["kind"], c["row_id"]) for c in report["conflicts"]) == sorted(
        [("field", b4), ("edit_delete", b6), ("edit_delete", b7)])
    assert report["refused"] == [] and report["codes"] == []
    assert report["received"]["insert"] == 1  # the office's new culvert, in the package now
    assert row(pkg, "culvert", office_new)["code"] == "CU-340-800"
    assert {(r["field"], r["rule"]) for r in report["ruled"]} >= {
        ("load_posting_t", "min"), ("overall_rating", "newer:inspection_date")}
    for target in (server, pkg):  # both sides hold the same merged state
        assert row(target, "bridge", b1)["spans"] == 7
        assert row(target, "bridge", b2)["name"] == "Cầu Tân Lễ (văn phòng)"
        assert row(target, "bridge", b3)["name"] == "Cầu Trà Lý mới"
        assert row(target, "bridge", b4)["name"] == "Cầu Hòa Bình (văn phòng)"
        assert all(row(target, t, i)["deleted_at"] is not None for t, i in gone5)
        assert all(row(target, t, i)["deleted_at"] is None for t, i in gone6)  # kept with b6
        assert row(target, "bridge", b6)["spans"] == 9
        assert row(target, "bridge", b7)["deleted_at"] is not None
        assert row(target, "bridge", b8)["load_posting_t"] == 13.0  # never raised
        culvert = row(target, "culvert", c1)
        assert culvert["material"] == "STEEL" and culvert["geom"].distance(c1_geom) < 1e-6
        assert row(target, "culvert", c2)["material"] is None
        merged_route = row(target, "route", route_id)
        assert len(merged_route["geom"].geoms) == 2
        assert merged_route["name"] == "Quốc lộ – đoạn khảo sát"
        inspection = row(target, "inspection", insp["id"])
        assert inspection["overall_rating"] == 4 and inspection["notes"].startswith("Nứt dầm")
        new = row(target, "culvert", new_id)
        assert new["code"] == "CU-340-901" and new["revision"] == 1
    assert row(server, "bridge", b1)["revision"] == row(pkg, "bridge", b1)["revision"]
    with open_database(server) as db:
        [replica] = db.fetch("sync_replica", where={"id": made["replica_id"]})
        [changeset] = db.fetch("sync_changeset", where={"id": report["changeset"]})
        stored = db.fetch("sync_conflict", where={"replica_id": made["replica_id"]})
    package = open_package(str(pkg))
    assert replica["base_digest"] == package.digest() == changeset["digest_after"]
    package.close()
    assert changeset["package_name"] == "Tổ khảo sát Hưng Hà"
    assert changeset["login"] == report["login"] == made["created_by"]
    by_row = {c["row_id"]: c for c in stored}
    assert by_row[b4]["base"]["name"] != by_row[b4]["mine"]["name"]
    assert by_row[b4]["mine"] == {"name": "Cầu Hòa Bình (tổ khảo sát)"}
    assert by_row[b4]["theirs"] == {"name": "Cầu Hòa Bình (văn phòng)"}
    assert by_row[b7]["mine"] == {"crossing_name": "Sông Hóa – nhánh Đông"}

    again = sync_package(str(pkg), writer)  # nothing new: nothing sent, nothing repeated
    assert again["sent"] == {"insert": 0, "update": 0, "delete": 0}
    assert sum(again["received"].values()) == 0
    assert again["conflicts"] == []  # the package holds the server's values meanwhile
    assert len(rows(server, "sync_conflict")) == len(stored) == 3

    ogr_update(pkg, "culvert", new_id, cells=2, material="MASONRY")  # a row made offline
    third = sync_package(str(pkg), writer)
    assert third["sent"]["update"] == 1
    assert (row(server, "culvert", new_id)["cells"], row(server, "culvert", new_id)["material"]
            ) == (2, "MASONRY")

    # ------------------------------------------------------------ a person resolves
    done = cli("conflicts", "list", "--db", str(writer), "--json")
    assert done.returncode == 0, done.stderr
    listed = {c["row_id"]: c["id"] for c in json.loads(done.stdout)}
    assert set(listed) == {b4, b6, b7}
    shown = json.loads(cli("conflicts", "show", listed[b4], "--db", str(writer),
                           "--json").stdout)
    assert shown["by_field"] == [{"field": "name", "base": by_row[b4]["base"]["name"],
                                  "mine": "Cầu Hòa Bình (tổ khảo sát)",
                                  "theirs": "Cầu Hòa Bình (văn phòng)"}]
    for row_id in (b4, b6, b7):
        out = cli("conflicts", "resolve", listed[row_id], "--take", "mine", "--db",
                  str(writer))
        assert out.returncode == 0, out.stderr
    assert row(server, "bridge", b4)["name"] == "Cầu Hòa Bình (tổ khảo sát)"
    assert row(server, "bridge", b6)["deleted_at"] is not None
    restored = row(server, "bridge", b7)
    assert restored["deleted_at"] is None and restored["crossing_name"] == "Sông Hóa – nhánh Đông"
    with open_database(server) as db:
        assert [h["operation"] for h in db.history("bridge", b7)][-2:] == ["RESTORE", "UPDATE"]
        assert not db.fetch("sync_conflict", where={"status": "open"})
    again = cli("conflicts", "resolve", listed[b4], "--take", "theirs", "--db", str(writer))
    assert again.returncode == 2 and "already resolved" in again.stderr
    learn = sync_package(str(pkg), writer)
    assert learn["received"]["update"] >= 2 and learn["sent"] == {"insert": 0, "update": 0,
                                                                  "delete": 0}
    assert row(pkg, "bridge", b4)["name"] == "Cầu Hòa Bình (tổ khảo sát)"
    assert row(pkg, "bridge", b7)["deleted_at"] is None
    assert row(pkg, "bridge", b6)["deleted_at"] is not None
    return report


def equal_codes(server, tmp: Path) -> None:
    """Two crews create the same code offline: never silent, the server gives the second
    one a final code, and its package learns it."""
    first = tmp / "crew1.gpkg"
    second = tmp / "crew2.gpkg"
    create_package(server, Scope("area", AREA), str(first))
    create_package(server, Scope("area", AREA), str(second))
    c1 = live_ids(server, "culvert", AREA)[0]
    base = row(server, "culvert", c1)
    made = {}
    for pkg, material in ((first, "RC"), (second, "STEEL")):
        made[pkg] = ogr_insert(pkg, "culvert", code="CU-340-950", district_code=AREA,
                               route_id=base["route_id"], culvert_type="BOX",
                               material=material, geom=translate(base["geom"], 7, 7))
    one = sync_package(str(first), server)
    two = sync_package(str(second), server)
    assert one["codes"] == [] and one["conflicts"] == []
    assert two["codes"] == [{"table": "culvert", "row_id": made[second],
                             "provisional": "CU-340-950", "final": "CU-340-950-2"}]
    [clash] = two["conflicts"]
    assert clash["kind"] == "code" and "CU-340-950-2" in clash["message"]
    assert row(server, "culvert", made[first])["code"] == "CU-340-950"
    assert row(server, "culvert", made[second])["code"] == "CU-340-950-2"
    assert row(second, "culvert", made[second])["code"] == "CU-340-950-2"  # learnt
    sync_package(str(first), server)
    assert row(first, "culvert", made[second])["code"] == "CU-340-950-2"  # the other crew's


def several_packages(server, tmp: Path, count: int, parallel) -> None:
    """``count`` packages of the same area edited at the same time, synced together
    (``parallel(paths, server)`` runs the syncs at once): each crew's own edit lands, the field
    all of them changed lands once and is a conflict for the others, and after one more
    round every package holds the server's rows."""
    bridges = live_ids(server, "bridge", AREA)
    culvert = live_ids(server, "culvert", AREA)[0]
    paths = [tmp / f"crew{i}.gpkg" for i in range(count)]
    for path in paths:
        create_package(server, Scope("area", AREA), str(path))
    for i, path in enumerate(paths):
        ogr_update(path, "bridge", bridges[i], spans=20 + i, name=f"Cầu số {i} – tổ {i}")
        ogr_update(path, "culvert", culvert, length_m=10.0 + i)
    reports = parallel(paths, server)
    for i in range(count):
        got = row(server, "bridge", bridges[i])
        assert (got["spans"], got["name"]) == (20 + i, f"Cầu số {i} – tổ {i}")
    length = row(server, "culvert", culvert)["length_m"]
    winners = [r for r in reports if not any(c["row_id"] == culvert for c in r["conflicts"])]
    assert len(winners) == 1 and length in [10.0 + i for i in range(count)], [
        (r["sent"], r["conflicts"], r["replayed"]) for r in reports]
    assert sum(len(r["conflicts"]) for r in reports) == count - 1
    for path in paths:
        sync_package(str(path), server)
    for path in paths:
        for bridge in bridges[:count]:
            assert row(path, "bridge", bridge)["name"] == row(server, "bridge", bridge)["name"]
        assert row(path, "culvert", culvert)["length_m"] == length


def deleted_parents(server, tmp: Path) -> None:
    """A crew deletes bridges with children; the office meanwhile added an inspection under
    one, changed a child of another and deleted a third, under which the crew made an
    inspection offline: the deletes that would take the office's children are edit_delete
    conflicts (the bridges and all their children kept), the one without news goes through
    with its children, the inspection under the deleted bridge is a conflict, not a live
    child of a tombstone."""
    pkg = tmp / "parents.gpkg"
    create_package(server, Scope("area", AREA), str(pkg), name="Tổ 340")
    owners = [i for i in live_ids(pkg, "bridge")
              if rows(pkg, "inspection", bridge_id=i)]
    added, changed, plain, gone = owners[:4]
    under_plain = _descendants(pkg, "bridge", plain)
    live = live_keys(pkg)
    for bridge in (added, changed, plain):
        ogr_delete(pkg, "bridge", bridge)  # tombstones, their children with them
    assert live - live_keys(pkg) >= under_plain | {("bridge", b) for b in (added, changed)}
    orphan = ogr_insert(pkg, "inspection", bridge_id=gone, district_code=AREA,
                        inspection_date="2026-11-25", inspection_type="SPECIAL",
                        inspector="Nguyễn Văn Á", scheme="vn5", overall_rating=4,
                        notes="vết nứt dầm chủ — cần cấm tải")
    touched = rows(server, "inspection", bridge_id=changed)[0]["id"]
    family = {b: _descendants(server, "bridge", b) for b in (added, changed)}
    with open_database(server) as db:
        [new_child] = db.insert("inspection", [{
            "bridge_id": added, "inspection_date": "2026-11-26", "inspection_type": "SPECIAL",
            "inspector": "Văn phòng", "scheme": "vn5", "overall_rating": 3}], user="office")
        db.update("inspection", touched, {"notes": "văn phòng kiểm tra lại"}, user="office")
        db.tombstone("bridge", gone, user="office")

    report = sync_package(str(pkg), server)

    by_row = {(c["row_id"], c["kind"]): c for c in report["conflicts"]}
    assert "inspection" in by_row[(added, "edit_delete")]["message"]
    assert "added" in by_row[(added, "edit_delete")]["message"]
    assert "changed" in by_row[(changed, "edit_delete")]["message"]
    assert (touched, "edit_delete") in by_row  # the office's edit of the child itself
    assert "deleted on the server" in by_row[(orphan, "edit_delete")]["message"]
    assert {k[0] for k in by_row} == {added, changed, touched, orphan}, report["conflicts"]
    assert report["refused"] == []
    assert report["sent"] == {"insert": 0, "update": 0,
                              "delete": 1 + len(under_plain)}, report
    for target in (server, pkg):
        assert row(target, "bridge", plain)["deleted_at"] is not None
        assert all(row(target, t, i)["deleted_at"] is not None for t, i in under_plain)
        for bridge in (added, changed):  # kept with every child, the office's too
            assert row(target, "bridge", bridge)["deleted_at"] is None
            assert _descendants(target, "bridge", bridge) >= family[bridge]
        assert row(target, "inspection", new_child)["deleted_at"] is None
    assert rows(server, "inspection", id=orphan) == []  # never live under a tombstone
    assert row(pkg, "inspection", orphan)["deleted_at"] is None  # the crew's values kept
    with open_database(server) as db:
        [stored] = db.fetch("sync_conflict", where={"row_id": orphan})
    assert stored["mine"]["bridge_id"] == gone and stored["theirs"] == {"deleted": True}

    again = sync_package(str(pkg), server)  # said once, nothing else sent
    assert again["sent"] == {"insert": 0, "update": 0, "delete": 0}
    assert len(rows(server, "sync_conflict")) == 4

    listed = {c["row_id"]: c["id"] for c in json.loads(
        cli("conflicts", "list", "--db", str(server), "--json").stdout)}
    done = cli("conflicts", "resolve", listed[added], "--take", "mine", "--db", str(server))
    assert done.returncode == 0, done.stderr  # the crew's delete, now knowingly
    assert row(server, "bridge", added)["deleted_at"] is not None
    assert row(server, "inspection", new_child)["deleted_at"] is not None
    sync_package(str(pkg), server)
    assert row(pkg, "inspection", new_child)["deleted_at"] is not None


def _descendants(target, table: str, row_id: str) -> set:
    """(table, id) of the live rows under a row, at any depth (children and attachments)."""
    out, todo = set(), [(table, row_id)]
    while todo:
        parent, parent_id = todo.pop()
        for child, column, kind in child_links(TABLES[parent], TABLES):
            where = {column: parent_id, **({kind: parent} if kind else {})}
            found = {(child, r["id"]) for r in rows(target, child, **where)
                     if r["deleted_at"] is None}
            todo += sorted(found - out)
            out |= found
    return out


def approved_plan_item_deleted(server, tmp: Path) -> None:
    """An item of a plan approved after packaging deleted on the tablet: the server's guard
    refuses the tombstone (a ``refused`` conflict, the item back in the package); once the
    package knows the plan is approved its own guard refuses the delete at once (the
    package's delete trigger puts the row back, which the guard does not let in)."""
    sections = [r for r in rows(server, "pavement_section", district_code=AREA)
                if r["deleted_at"] is None][:2]
    with open_database(str(server)) as db:
        [plan] = db.insert("maintenance_plan", [{
            "code": f"MP-{AREA}-9", "name": "Kế hoạch 9", "plan_year": 2026,
            "status": "draft"}], user="office")
        items = db.insert("plan_item", [
            {"plan_id": plan, "district_code": AREA, "route_id": s["route_id"],
             "from_m": s["from_m"], "to_m": s["to_m"], "target_table": "pavement_section",
             "target_id": s["id"], "treatment": "OVERLAY", "quantity": 1000.0 + i,
             "unit": "m2", "cost_vnd": 1.0e9, "work_year": 2026, "geom": s["geom"]}
            for i, s in enumerate(sections)], user="office")
    pkg = tmp / "plan.gpkg"
    create_package(str(server), Scope("area", AREA), str(pkg))
    lifecycle.set_plan_status(str(server), f"MP-{AREA}-9", "submitted", user="office")
    lifecycle.set_plan_status(str(server), f"MP-{AREA}-9", "approved", user="director")
    ogr_delete(pkg, "plan_item", items[0])  # the package does not know yet: a tombstone
    report = sync_package(str(pkg), str(server))
    assert [(r["row_id"], r["fields"]) for r in report["refused"]] == [(items[0], ["deleted"])]
    assert "take only their results" in report["refused"][0]["message"]
    for target in (server, pkg):
        assert row(target, "plan_item", items[0])["deleted_at"] is None
    assert row(pkg, "maintenance_plan", plan)["status"] == "approved"
    conn = connect(str(pkg))  # now the package's guard refuses it at once (QGIS, QField)
    with pytest.raises(Exception, match="take only their results"):
        conn.execute("DELETE FROM plan_item WHERE id = ?", (items[1],))
    conn.close()
    assert row(pkg, "plan_item", items[1])["deleted_at"] is None
