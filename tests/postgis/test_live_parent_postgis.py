"""A live row under a deleted parent is refused by the database, whoever writes (schema 17,
round 9 of the hostile review of issue 11): an inspection of a tombstoned culvert, a photo
attached to it, a child restored alone; the parent's restore brings its children back.
Every test runs on a database made at the current version and on one made at version 16
and upgraded."""

import psycopg2
import pytest
from roadinfra.core.db import create_database, open_database, upgrade_database
from roadinfra.core.errors import RoadInfraError
from roadinfra.core.photos import attach_photo
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.schema import SCHEMA_VERSION
from roadinfra.core.schema.tables import LIVE_PARENT

from tests.support.pg import sql
from tests.support.photos import jpeg
from tests.support.sync_pg import set_photo_store


@pytest.fixture(params=["create", "upgrade"])
def province(request, pg_database):
    version = SCHEMA_VERSION if request.param == "create" else LIVE_PARENT - 1
    with create_database(pg_database, version=version) as db:
        load_sample_data(db)
    if request.param == "upgrade":
        assert upgrade_database(pg_database) == (LIVE_PARENT - 1, SCHEMA_VERSION)
    return pg_database


def _culvert_with_inspection(province):
    return sql(province, "SELECT c.id, c.code, i.id FROM culvert c JOIN inspection i "
               "ON i.culvert_id = c.id WHERE c.deleted_at IS NULL AND i.deleted_at IS NULL "
               "AND c.district_code = '340' ORDER BY c.code LIMIT 1")[0]


def _live(province, table, row_id):
    return sql(province, f"SELECT deleted_at IS NULL FROM {table} "  # noqa: S608 # test's table
               "WHERE id = %s", (row_id,))[0][0]


def test_a_child_or_photo_under_a_deleted_parent_is_refused_naming_it(province, tmp_path):
    set_photo_store(province, tmp_path)
    culvert, code, _ = _culvert_with_inspection(province)
    scheme = sql(province, "SELECT scheme FROM inspection WHERE scheme IS NOT NULL LIMIT 1")[0][0]
    with open_database(province) as db:
        db.tombstone("culvert", str(culvert), user="office")
    with open_database(province) as db, pytest.raises(RoadInfraError) as caught:
        db.insert("inspection", [{
            "culvert_id": str(culvert), "inspection_date": "2026-11-26", "scheme": scheme,
            "overall_rating": 2, "district_code": "340"}], user="office")
    assert f"culvert {code} is deleted" in str(caught.value)
    assert "\n" not in str(caught.value)
    conn = psycopg2.connect(province)  # psql, GDAL/OGR: the database refuses it as well
    try:
        with pytest.raises(psycopg2.Error) as raw, conn.cursor() as cur:
            cur.execute("INSERT INTO attachment (target_table, target_id, kind, file_path, "
                        "district_code) VALUES ('culvert', %s, 'photo', 'x.jpg', "
                        "'340')", (culvert,))
        assert f"culvert {code} is deleted" in str(raw.value)
    finally:
        conn.close()
    with open_database(province) as db, pytest.raises(RoadInfraError):
        attach_photo(db, "culvert", str(culvert), jpeg(tmp_path / "a.jpg"))
    assert not sql(province, "SELECT 1 FROM attachment WHERE target_id = %s "
                   "AND deleted_at IS NULL", (culvert,))


def test_a_child_is_restored_after_its_parent_never_alone(province):
    culvert, code, inspection = _culvert_with_inspection(province)
    with open_database(province) as db:
        db.tombstone("culvert", str(culvert), user="office")
    assert not _live(province, "inspection", inspection)
    with open_database(province) as db, pytest.raises(RoadInfraError) as caught:
        db.restore("inspection", str(inspection), user="office")
    assert f"restore culvert {code} first" in str(caught.value)
    with open_database(province) as db:
        db.restore("culvert", str(culvert), user="office")
    assert _live(province, "culvert", culvert) and _live(province, "inspection", inspection)
