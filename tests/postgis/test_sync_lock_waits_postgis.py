"""A sync or resolve waits a bounded time for a lock another transaction holds (an office
edit left open, another sync, any login holding the syncs' advisory lock), then stops with
nothing written and says what it waited for; its wait hears the caller's cancel. The bound
(``locks.WAIT_S``) is set to 1 s here: the tests assert outcomes, not timings."""

import psycopg2
import pytest
from roadinfra.core.errors import Cancelled
from roadinfra.core.sync import Scope, create_package, locks, resolve_conflicts, sync_package
from roadinfra.core.sync.errors import SyncError

from tests.support.pg import editor_of, sql
from tests.support.sync import live_ids, ogr_update, rows


@pytest.fixture
def short_wait(monkeypatch):
    monkeypatch.setattr(locks, "WAIT_S", 1.0)


def _crew(pg_server, province, tmp_path):
    _, url = editor_of(pg_server, province, "340")
    path = tmp_path / "crew.gpkg"
    create_package(url, Scope("area", "340"), str(path), name="crew")
    return path, url


def _open(url):
    conn = psycopg2.connect(url)
    conn.autocommit = False
    return conn


def _cells(province, culvert):
    return sql(province, "SELECT cells FROM culvert WHERE id = %s", (culvert,))[0][0]


def test_an_open_office_edit_stops_the_sync_naming_the_row(pg_server, province, tmp_path,
                                                           short_wait):
    path, url = _crew(pg_server, province, tmp_path)
    culvert = live_ids(path, "culvert", "340")[0]
    code = next(r["code"] for r in rows(path, "culvert") if r["id"] == culvert)
    ogr_update(path, "culvert", culvert, cells=7)
    office = _open(province)
    try:
        with office.cursor() as cur:  # QGIS's transaction group, psql before COMMIT
            cur.execute("UPDATE culvert SET length_m = 12.5 WHERE id = %s", (culvert,))
        with pytest.raises(SyncError) as caught:
            sync_package(str(path), url)
        message = str(caught.value)
        assert f"culvert {code}" in message and "nothing was written" in message
        assert "\n" not in message
        office.commit()
    finally:
        office.close()
    assert _cells(province, culvert) != 7  # nothing of the stopped sync was written
    report = sync_package(str(path), url)  # the edit was kept in the package
    assert report["sent"]["update"] == 1 and _cells(province, culvert) == 7


def test_a_held_sync_lock_stops_sync_and_resolve_naming_its_login(pg_server, province,
                                                                   tmp_path, short_wait):
    path, url = _crew(pg_server, province, tmp_path)
    culvert = live_ids(path, "culvert", "340")[0]
    ogr_update(path, "culvert", culvert, cells=7)
    viewer = "viewer_lock"
    sql(province, f'CREATE ROLE "{viewer}" LOGIN IN ROLE roadinfra_viewer')  # test-made name
    holder = _open(pg_server.url(province.rsplit("/", 1)[1], user=viewer))
    try:
        with holder.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (locks.SYNC_LOCK,))
        with pytest.raises(SyncError) as caught:
            sync_package(str(path), url)
        assert f"login {viewer}" in str(caught.value)
        assert "nothing was written" in str(caught.value)
        with pytest.raises(SyncError) as caught:
            resolve_conflicts(province, ["all"], "theirs")
        assert f"login {viewer}" in str(caught.value)
        assert "nothing resolved" in str(caught.value)
        with pytest.raises(Cancelled):  # the plugin's Cancel is heard while it waits
            sync_package(str(path), url, is_cancelled=lambda: True)
    finally:
        holder.rollback()
        holder.close()
    assert sync_package(str(path), url)["sent"]["update"] == 1
