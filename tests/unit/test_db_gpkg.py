"""GeoPackage back-end: structure QGIS reads, round trip of every table, history, tombstones,
constraint errors, transactions, speed. Real geometry (Thái Bình, QL10) from tests.support."""

import sqlite3
import sys
from pathlib import Path

import pytest
from shapely.geometry import LineString, Point, Polygon

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # repository root: tests.support

from roadinfra.core.db import (  # noqa: E402
    DatabaseError,
    ValidationError,
    create_database,
    open_database,
)
from roadinfra.core.errors import Cancelled  # noqa: E402
from roadinfra.core.schema import SCHEMA_VERSION, TABLES  # noqa: E402

from tests.support.compare import assert_same_row  # noqa: E402
from tests.support.rows import WRITABLE, example_rows, rid  # noqa: E402


@pytest.fixture(scope="module")
def rows():
    return example_rows()


@pytest.fixture
def db(tmp_path):
    database = create_database(tmp_path / "tb.gpkg")
    yield database
    database.close()


@pytest.fixture
def filled(db, rows):
    with db.transaction():
        for name, row in rows.items():
            db.insert(name, [row], user="khoa.nguyen", derive=False)  # the values as given
    return db


def test_geopackage_structure_is_what_qgis_reads(db):
    conn = sqlite3.connect(db.target)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 10200
    contents = dict(conn.execute("SELECT table_name, data_type FROM gpkg_contents"))
    assert set(contents) == set(TABLES)
    geom_tables = {t.name: t.geometry for t in TABLES.values() if t.geometry}
    cols = {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT table_name, geometry_type_name, srs_id FROM gpkg_geometry_columns")}
    assert cols == {name: (kind, 9209) for name, kind in geom_tables.items()}
    name, definition, description = conn.execute(
        "SELECT srs_name, definition, description FROM gpkg_spatial_ref_sys "
        "WHERE srs_id = 9209").fetchone()
    assert name == "VN-2000 / TM-3 105-30" and 'AUTHORITY["EPSG","9209"]' in definition
    assert "+towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836" in description
    rtrees = {r[0] for r in conn.execute("SELECT table_name FROM gpkg_extensions "
                                         "WHERE extension_name = 'gpkg_rtree_index'")}
    assert rtrees == set(geom_tables)
    conn.close()
    from osgeo import ogr

    source = ogr.Open(db.target)
    names = {source.GetLayer(i).GetName() for i in range(source.GetLayerCount())}
    assert set(TABLES) <= names
    layer = source.GetLayerByName("bridge")
    assert layer.GetSpatialRef().GetAuthorityCode(None) == "9209"
    assert layer.GetFIDColumn() == "fid" and layer.GetGeometryColumn() == "geom"


def test_codelists_and_meta_are_data(db):
    assert db.schema_version() == SCHEMA_VERSION
    assert db.profile.id == "thai_binh" and "340" in db.profile.district_codes
    materials = {r["code"]: r["label_vi"] for r in db.fetch("codelist",
                                                            where={"list_name": "material"})}
    assert materials["RC"] == "Bê tông cốt thép"


def test_round_trip_every_table(filled, rows):
    assert set(WRITABLE) == set(rows)
    for name, row in rows.items():
        got = filled.fetch(name)
        assert len(got) == 1, name
        assert_same_row(name, row, got[0])
        if TABLES[name].versioned:
            assert got[0]["revision"] == 1 and got[0]["created_by"] == "khoa.nguyen"
            assert got[0]["created_at"] is not None and got[0]["deleted_at"] is None
    # Multi* promotion: the route's column is MULTILINESTRING, a LineString is accepted.
    single = LineString(list(rows["route"]["geom"].geoms[0].coords)[:5])
    new = filled.insert("route", [dict(code="DT396", name="Đường tỉnh 396", route_class="DT",
                                       geom=single)])[0]
    assert filled.fetch("route", where={"id": new})[0]["geom"].geom_type == "MultiLineString"


def test_update_revision_history_and_tombstone(filled):
    bridge = rid("bridge")
    filled.update("bridge", bridge, {"load_posting_t": 18.0, "name": "Cầu Tân Đệ (mới)"},
                  user="lan.tran")
    row = filled.fetch("bridge", where={"id": bridge})[0]
    assert row["revision"] == 2 and row["updated_by"] == "lan.tran"
    assert row["created_by"] == "khoa.nguyen" and row["updated_at"] >= row["created_at"]
    filled.tombstone("bridge", bridge, user="admin")
    assert filled.fetch("bridge") == [] and filled.count("bridge") == 0
    assert filled.count("bridge", include_deleted=True) == 1
    history = filled.history("bridge", bridge)
    assert [(h["revision"], h["operation"], h["changed_by"]) for h in history] == [
        (1, "INSERT", "khoa.nguyen"), (2, "UPDATE", "lan.tran"), (3, "DELETE", "admin")]
    # no login in a GeoPackage: the recorded API user is the author and the app user
    assert [h["app_user"] for h in history] == ["khoa.nguyen", "lan.tran", "admin"]
    assert history[1]["old_values"]["load_posting_t"] == 30.0
    assert history[1]["new_values"]["load_posting_t"] == 18.0
    assert history[1]["new_values"]["name"] == "Cầu Tân Đệ (mới)"
    with pytest.raises(DatabaseError, match="tombstoned"):
        filled.update("bridge", bridge, {"spans": 3}, user="x")
    # the API user does not linger as the author of later direct edits
    assert filled.meta("app_user") is None


def test_edits_made_directly_like_qgis_are_versioned(filled):
    from osgeo import ogr

    filled.close()
    source = ogr.Open(filled.target, 1)
    layer = source.GetLayerByName("culvert")
    feature = layer.GetNextFeature()
    feature.SetField("span_m", 2.5)
    assert layer.SetFeature(feature) == 0
    new = ogr.Feature(layer.GetLayerDefn())
    new.SetField("code", "CU-344-015")
    new.SetField("route_id", rid("route"))
    new.SetField("culvert_type", "PIPE")
    new.SetGeometry(ogr.CreateGeometryFromWkt(feature.GetGeometryRef().ExportToWkt()))
    assert layer.CreateFeature(new) == 0
    assert layer.DeleteFeature(new.GetFID()) == 0  # a delete tombstones the row (v6)
    source = None
    db = open_database(filled.target)
    rows = {r["code"]: r for r in db.fetch("culvert", include_deleted=True)}
    # no author was recorded: none is invented (QGIS records the OS user, see plugin/editing)
    assert rows["CU-344-014"]["revision"] == 2 and rows["CU-344-014"]["updated_by"] is None
    assert len(rows["CU-344-015"]["id"]) == 36 and rows["CU-344-015"]["created_by"] is None
    assert rows["CU-344-015"]["deleted_at"] is not None and rows["CU-344-015"]["revision"] == 2
    assert [h["operation"] for h in db.history("culvert", rows["CU-344-015"]["id"])] == [
        "INSERT", "DELETE"]
    ops = [h["operation"] for h in db.history("culvert", rid("culvert"))]
    assert ops == ["INSERT", "UPDATE"]
    db.close()


def test_change_log_cannot_be_edited_and_rows_not_deleted(filled):
    from roadinfra.core.db.gpkg import connect

    conn = sqlite3.connect(filled.target)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE change_log SET changed_by = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM change_log")
    conn.close()
    conn = connect(filled.target)  # with the GeoPackage SQL functions the R-tree needs
    conn.execute("DELETE FROM bridge")  # tombstones: rows are never deleted
    assert conn.execute("SELECT count(*), count(deleted_at) FROM bridge").fetchone() == (1, 1)
    conn.close()
    with pytest.raises(DatabaseError, match="change_log"):
        filled.insert("change_log", [{"table_name": "bridge"}])


@pytest.mark.parametrize("change, field, message", [
    ({"year_built": 1700}, "year_built",
     "bridge BR-344-009: field 'year_built' = 1700 is below the minimum 1850"),
    ({"material": "WOOD"}, "material", "is not in code list 'material'"),
    ({"name": None}, "name", "field 'name' is required"),
    ({"spans": "three"}, "spans", "is not an integer"),
    ({"district_code": "999"}, "district_code", "is not a district of the profile"),
    ({"colour": "red"}, "colour", "unknown field 'colour'"),
    ({"geom": LineString([(590000, 2270000), (591000, 2270500)])}, "geom",
     "is a LineString, the table stores POINT"),
    ({"geom": Point(536000, 2326000)}, "geom", "lies outside the province"),  # Hà Nội
    ({"route_id": rid("nowhere")}, "route_id", "refers to no route row"),
    # PostgreSQL refuses NUL in text (psycopg2 raised a bare ValueError); refused on both
    ({"name": "Cầu\x00Kênh"}, "name", "'Cầu\\x00Kênh' contains a NUL character"),
])
def test_bad_bridge_rows_are_refused_naming_table_row_field(filled, rows, change, field,
                                                            message):
    bad = dict(rows["bridge"], id=None, code="BR-344-009", **{"crossing_name": "Kênh"})
    bad.pop("id")
    bad.update(change)
    before = filled.count("bridge")
    with pytest.raises(ValidationError) as info:
        filled.insert("bridge", [dict(rows["bridge"], id=rid("b2"), code="BR-344-008"), bad])
    err = info.value
    assert (err.table, err.row_code, err.field) == ("bridge", "BR-344-009", field)
    assert message in str(err)
    assert filled.count("bridge") == before  # nothing half-written


def test_invalid_geometry_duplicate_code_and_cross_field_check(filled, rows):
    bowtie = Polygon([(590000, 2270000), (590100, 2270100), (590100, 2270000),
                      (590000, 2270100)])
    parcel = dict(rows["cadastral_parcel"], id=None, parcel_no="216", geom=bowtie)
    parcel.pop("id")
    with pytest.raises(ValidationError, match="not a valid geometry: Self-intersection") as info:
        filled.insert("cadastral_parcel", [parcel])
    assert info.value.field == "geom"
    duplicate = dict(rows["bridge"], id=rid("bridge-dup"))
    with pytest.raises(ValidationError, match="already used") as info:
        filled.insert("bridge", [duplicate])
    assert (info.value.row_code, info.value.field) == ("BR-344-001", "code")
    backwards = dict(rows["pavement_section"], id=rid("ps2"), code="PS-QL10-002",
                     from_m=3000.0, to_m=2500.0)
    with pytest.raises(ValidationError, match="from_before_to") as info:
        filled.insert("pavement_section", [backwards])
    assert (info.value.table, info.value.row_code, info.value.field) == (
        "pavement_section", "PS-QL10-002", "from_m")
    # a tombstoned code may be used again
    filled.tombstone("bridge", rid("bridge"), user="admin")
    filled.insert("bridge", [duplicate])
    assert filled.count("bridge") == 1


def test_duplicate_multi_column_key_names_its_fields(filled, rows):
    with pytest.raises(ValidationError) as info:
        filled.insert("user_district", [rows["user_district"]])
    assert info.value.field is None
    assert str(info.value).endswith("fields 'username', 'district_code': these values are "
                                    "already used by another row (duplicate)")


def test_filter_on_dates_and_times_finds_the_row(filled):
    import datetime as dt

    record = filled.fetch("weighing_record")[0]
    at = record["weighed_at"]
    local = at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    for value in (at, local, local.isoformat(), [local]):  # was: nothing found on GeoPackage
        assert [r["id"] for r in filled.fetch("weighing_record", where={"weighed_at": value})
                ] == [record["id"]], value
    assert filled.fetch("weighing_record", where={"weighed_at": at + dt.timedelta(seconds=1)}
                        ) == []
    inspection = filled.fetch("inspection")[0]
    assert len(filled.fetch("inspection", where={
        "inspection_date": inspection["inspection_date"].isoformat()})) == 1
    with pytest.raises(DatabaseError, match="cannot filter weighed_at on 'yesterday'"):
        filled.fetch("weighing_record", where={"weighed_at": "yesterday"})


def test_transactions_are_all_or_nothing_and_nest(db, rows):
    with pytest.raises(RuntimeError):
        with db.transaction():
            db.insert("route", [rows["route"]], user="a")
            raise RuntimeError("power cut")
    assert db.count("route") == 0 and db.count("change_log") == 0
    with db.transaction():
        db.insert("route", [rows["route"]], user="a")
        with pytest.raises(ValidationError):
            db.insert("bridge", [dict(rows["bridge"], year_built=1700)], user="a")
        db.insert("bridge", [rows["bridge"]], user="a")
    assert db.count("route") == 1 and db.count("bridge") == 1


def test_commit_blocked_by_a_reader_writes_nothing_and_the_connection_recovers(db, rows):
    db.conn.execute("PRAGMA busy_timeout = 100")
    reader = sqlite3.connect(db.target, isolation_level=None)  # e.g. QGIS reading the layer
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM route").fetchone()
    with pytest.raises(DatabaseError, match="nothing was written: database is locked"):
        db.insert("route", [rows["route"]], user="a")
    reader.execute("COMMIT")
    reader.close()
    assert db.count("route") == 0
    db.insert("route", [rows["route"]], user="a")  # was: "cannot start a transaction within
    assert db.count("route") == 1                   # a transaction" for ever after


def test_refuses_to_overwrite_and_to_open_foreign_files(tmp_path, db):
    with pytest.raises(DatabaseError, match="refusing to overwrite"):
        create_database(db.target)
    other = tmp_path / "other.gpkg"
    other.write_bytes(b"not a database at all" * 100)
    with pytest.raises(DatabaseError):
        open_database(other)
    with pytest.raises(DatabaseError, match="no such GeoPackage"):
        open_database(tmp_path / "missing.gpkg")


def test_bulk_insert_10000_weighing_records(filled):
    base = {"station_id": rid("load_station"), "vehicle_type": "truck", "axle_count": 3,
            "axle_spacings_m": [3.6, 1.3], "lane": 1}
    records = [dict(base, weighed_at=f"2024-03-{1 + i // 1440:02d}T{(i // 60) % 24:02d}:"
                                     f"{i % 60:02d}:00+07:00",
                    axle_loads_t=[6.0, 9.0 + (i % 7) / 10, 9.0], gross_t=24.0 + (i % 7) / 10)
               for i in range(10_000)]
    seen = []
    ids = filled.insert("weighing_record", records, user="loads", progress=seen.append)
    assert len(set(ids)) == 10_000 and filled.count("weighing_record") == 10_001
    assert seen[-1] == 100.0
    first = filled.fetch("weighing_record", where={"id": ids[0]})[0]
    assert first["axle_loads_t"] == [6.0, 9.0, 9.0] and first["weighed_at"].hour == 17


def test_cancelled_insert_writes_nothing(filled):
    rows = [{"station_id": rid("load_station"), "weighed_at": "2024-03-01T08:00:00+07:00",
             "vehicle_type": "bus", "axle_count": 2, "axle_loads_t": [5.0, 7.0],
             "axle_spacings_m": [5.5], "gross_t": 12.0}] * 2500
    with pytest.raises(Cancelled, match="cancelled"):
        filled.insert("weighing_record", rows, is_cancelled=lambda: filled.count(
            "weighing_record") > 1)
    assert filled.count("weighing_record") == 1


def test_json_with_nan_is_refused_naming_the_field(filled):
    row = {"station_id": rid("load_station"), "weighed_at": "2024-03-01T08:00:00+07:00",
           "vehicle_type": "bus", "axle_count": 2, "axle_loads_t": [5.0, float("nan")],
           "axle_spacings_m": [5.5], "gross_t": 12.0}
    with pytest.raises(ValidationError, match="'axle_loads_t' = .* is not a valid json") as info:
        filled.insert("weighing_record", [row])
    assert info.value.field == "axle_loads_t"
    assert filled.count("weighing_record") == 1


def test_insert_with_explicit_nulls_like_qgis_gets_id_and_audit(filled):
    import re

    from roadinfra.core.db.gpkg import connect

    conn = connect(filled.target)
    conn.execute("INSERT INTO maintenance_plan (id, code, name, plan_year, status, revision, "
                 "created_at, created_by) VALUES (NULL, 'MP-2026', 'Kế hoạch bảo trì 2026', "
                 "2026, 'draft', NULL, NULL, NULL)")
    conn.close()
    row = filled.fetch("maintenance_plan", where={"code": "MP-2026"})[0]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                        row["id"])
    assert (row["revision"], row["created_by"]) == (1, None) and row["created_at"]
    assert [h["operation"] for h in filled.history("maintenance_plan", row["id"])] == ["INSERT"]


def test_without_a_province_polygon_the_profile_bbox_bounds_geometry(db, rows):
    route = db.insert("route", [rows["route"]])[0]
    hanoi = dict(rows["bridge"], route_id=route, geom=Point(536000, 2326000))
    with pytest.raises(ValidationError, match="outside the province .* bounding box"):
        db.insert("bridge", [hanoi])
    db.insert("bridge", [rows["bridge"]])
    with pytest.raises(DatabaseError, match="not a row id"):
        db.update("bridge", "BR-344-001", {"spans": 2})


def test_audit_columns_belong_to_the_database(db, rows):
    route = dict(rows["route"], revision=7, created_by="forger",
                 deleted_at="2024-01-01T00:00:00Z")  # a copy of a tombstoned row
    db.insert("route", [route], user="sync")
    got = db.fetch("route", include_deleted=True)[0]
    assert (got["revision"], got["created_by"]) == (1, "sync")
    assert got["deleted_at"].year == 2024 and db.count("route") == 0
    plan = db.insert("maintenance_plan", [rows["maintenance_plan"]])[0]
    with pytest.raises(ValidationError, match="'revision' is maintained by the database"):
        db.update("maintenance_plan", plan, {"revision": 9})
