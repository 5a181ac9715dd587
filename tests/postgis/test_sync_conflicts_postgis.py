"""Sync conflicts and the sync's own tables on a real PostGIS provincial database, with
editors of two districts: a conflict is listed to and resolved by a login that may edit its
row (or the crew dropping its own change), never by an editor of another district."""

import uuid

import pytest
from roadinfra.core.sync import (
    Scope,
    SyncError,
    create_package,
    list_conflicts,
    resolve_conflicts,
    show_conflict,
    sync_package,
)

from tests.support.pg import editor_of, sql
from tests.support.sync import live_ids, ogr_update, row
from tests.support.sync_pg import bridge_conflicts, route_row_in, set_photo_store


def _conflicts_of(pg_server, province, tmp_path):
    """Two field conflicts of a crew of district 340 (editor ``ed340``)."""
    login, ed340 = editor_of(pg_server, province, "340")
    pkg = tmp_path / "p.gpkg"
    conflicts = bridge_conflicts(province, ed340, pkg, count=2, name="Tổ 340")
    assert sorted(c["row_id"] for c in conflicts) == sorted(live_ids(pkg, "bridge")[:2])
    return login, ed340, {c["row_id"]: c["id"] for c in conflicts}


def test_an_editor_of_another_district_neither_sees_nor_resolves_a_conflict(
        pg_server, province, tmp_path):
    login, ed340, ids = _conflicts_of(pg_server, province, tmp_path)
    _, ed341 = editor_of(pg_server, province, "341")
    (b1, c1), (b2, c2) = sorted(ids.items())
    assert list_conflicts(ed341) == []
    for take in ("theirs", "mine"):
        with pytest.raises(SyncError, match="in district 340, which this login may not edit"):
            resolve_conflicts(ed341, [c1], take)
    with pytest.raises(SyncError, match="may not edit"):
        show_conflict(ed341, c1)
    assert {c["status"] for c in list_conflicts(province)} == {"open"}  # nothing written
    assert row(province, "bridge", b1)["spans"] == 44

    assert {c["id"] for c in list_conflicts(ed340)} == {c1, c2}
    assert {c["id"] for c in list_conflicts(province)} == {c1, c2}  # the database's owner
    resolve_conflicts(ed340, [c1], "mine")
    assert row(province, "bridge", b1)["spans"] == 33
    _, other340 = editor_of(pg_server, province, "340")  # any editor of the district
    assert resolve_conflicts(other340, [c2], "theirs")[0]["applied"] == {}
    assert list_conflicts(province) == []


def test_the_crew_may_drop_its_own_change_outside_its_area(pg_server, province, tmp_path):
    """A refused change of the crew (a row of another district) is the crew's to drop
    (take theirs); taking its side needs an editor of that district."""
    login, ed340 = editor_of(pg_server, province, "340")
    pkg = tmp_path / "p.gpkg"
    create_package(ed340, Scope("route", "QL10"), str(pkg))
    culvert = next(r for r in live_ids(pkg, "culvert")
                   if row(pkg, "culvert", r)["district_code"] not in ("340", None))
    district = row(pkg, "culvert", culvert)["district_code"]
    ogr_update(pkg, "culvert", culvert, material="STEEL")
    [refused] = sync_package(str(pkg), ed340)["refused"]
    assert [c["id"] for c in list_conflicts(ed340)] == [refused["id"]]  # its own
    with pytest.raises(SyncError, match=f"in district {district}"):
        resolve_conflicts(ed340, [refused["id"]], "mine")
    resolve_conflicts(ed340, [refused["id"]], "theirs")
    assert list_conflicts(province) == []


def test_no_editor_forges_the_sync_trail_or_another_crews_base(pg_server, province,
                                                               tmp_path):
    """sync_changeset is append-only (the owner included); a sync_replica row is written
    only by its creator or a province-wide login: an editor of another district changes
    nothing (row-level security leaves it no row to update)."""
    login, ed340, _ = _conflicts_of(pg_server, province, tmp_path)
    _, ed341 = editor_of(pg_server, province, "341")
    [before] = sql(province, "SELECT base_digest, created_by FROM sync_replica")
    for who in (ed341, ed340, province):
        with pytest.raises(Exception, match="append-only|permission denied"):
            sql(who, "UPDATE sync_changeset SET login = 'someone_else'")
        with pytest.raises(Exception, match="append-only|permission denied"):
            sql(who, "DELETE FROM sync_changeset")
    sql(ed341, "UPDATE sync_replica SET base_digest = 'x', created_by = %s", ("forged",))
    assert sql(province, "SELECT base_digest, created_by FROM sync_replica") == [before]
    with pytest.raises(Exception, match="row-level security"):
        sql(ed341, "INSERT INTO sync_replica (id, name, created_by, created_at) "
                   "VALUES (%s, 'x', %s, now())", (str(uuid.uuid4()), login))
    assert [r[0] for r in sql(province, "SELECT login FROM sync_changeset")] == [login]
    ogr_update(tmp_path / "p.gpkg", "bridge", live_ids(tmp_path / "p.gpkg", "bridge")[5],
               spans=21)
    again = sync_package(str(tmp_path / "p.gpkg"), ed340)  # its own crew syncs on
    assert not again["replayed"] and again["sent"]["update"] == 1
    [(digest,)] = sql(province, "SELECT base_digest FROM sync_replica")
    assert digest != before[0]


def test_a_package_of_another_login_is_not_synced_by_an_editor(pg_server, province, tmp_path):
    """A package made by the database's owner, synced by an editor: refused in one line
    before anything is written (schema 13: its sync records are its maker's); its own maker
    syncs it."""
    _, ed340 = editor_of(pg_server, province, "340")
    pkg = tmp_path / "p.gpkg"
    create_package(province, Scope("area", "340"), str(pkg))
    bridge = live_ids(pkg, "bridge")[0]
    before = row(province, "bridge", bridge)["spans"]
    ogr_update(pkg, "bridge", bridge, spans=(before or 0) + 4)
    with pytest.raises(SyncError, match="was made by login .*: login .* may not sync it"):
        sync_package(str(pkg), ed340)
    assert row(province, "bridge", bridge)["spans"] == before
    assert sync_package(str(pkg), province)["sent"]["update"] == 1


def test_the_conflict_table_itself_keeps_each_district_to_its_editors(pg_server, province,
                                                                      tmp_path):
    """Row-level security on sync_conflict (schema 11): outside RoadInfra (plain SQL, a
    QGIS layer of the table) an editor of another district can neither resolve, alter nor
    move a conflict of district 340, nor add one in another login's name; an editor of 340
    and the crew's own login can, and the sync records its conflicts as before."""
    login, ed340, ids = _conflicts_of(pg_server, province, tmp_path)
    _, ed341 = editor_of(pg_server, province, "341")
    (b1, c1), (b2, c2) = sorted(ids.items())
    before = sql(province, "SELECT * FROM sync_conflict ORDER BY id")
    for statement in (
            "UPDATE sync_conflict SET status = 'resolved', resolved_by = current_user, "
            "resolution = '{\"spans\": \"theirs\"}' WHERE id = %s",
            "UPDATE sync_conflict SET mine = '{\"spans\": 1}' WHERE id = %s",
            "UPDATE sync_conflict SET row_id = (SELECT id FROM bridge WHERE "
            "district_code = '341' LIMIT 1) WHERE id = %s"):
        with pytest.raises(Exception, match=f"may not resolve conflict {c1} .*district 340"):
            sql(ed341, statement, (c1,))
    with pytest.raises(Exception, match="row-level security"):
        sql(ed341, "INSERT INTO sync_conflict (changeset_id, replica_id, login, created_at, "
                   "table_name, row_id, kind, fields) SELECT changeset_id, replica_id, %s, "
                   "now(), table_name, row_id, kind, fields FROM sync_conflict LIMIT 1",
            (login,))
    assert sql(province, "SELECT * FROM sync_conflict ORDER BY id") == before  # nothing
    assert sql(ed341, "SELECT count(*) FROM sync_conflict")[0][0] == 2  # read, as all rows
    _, other340 = editor_of(pg_server, province, "340")
    for url, conflict in ((other340, c1), (ed340, c2)):  # what it records: nobody (schema 13)
        with pytest.raises(Exception, match="what it records .*never changes"):
            sql(url, "UPDATE sync_conflict SET message = 'xem lại' WHERE id = %s",
                (conflict,))
    resolve_conflicts(other340, [c1, c2], "theirs")
    assert list_conflicts(province) == []


def test_a_new_row_refused_in_another_district_is_taken_by_its_editor(
        pg_server, province, tmp_path):
    """A culvert the 340 crew made offline in district 338 (its route package crosses
    districts) is refused by the server; the 338 editor takes mine: the row is inserted from
    the package's values under that editor's login (a logged insert), and the crew's next
    sync has nothing refused."""
    from tests.support.sync import ogr_insert

    login340, ed340 = editor_of(pg_server, province, "340")
    login338, ed338 = editor_of(pg_server, province, "338")
    pkg = tmp_path / "p.gpkg"
    create_package(ed340, Scope("route", "QL10"), str(pkg), name="QL10")
    source = route_row_in(pkg, "culvert", "338")
    skip = {"id", "fid", "code", "revision", "created_at", "updated_at", "created_by",
            "updated_by", "deleted_at", "deleted_by"}
    values = {k: v for k, v in row(pkg, "culvert", source).items() if k not in skip}
    new = ogr_insert(pkg, "culvert", code="C-NEW-1", **values)
    [refused] = sync_package(str(pkg), ed340)["refused"]
    assert refused["row_id"] == new
    [taken] = resolve_conflicts(ed338, [refused["id"]], "mine")
    assert taken["applied"]["code"] == "C-NEW-1"
    assert sql(province, "SELECT code, district_code, created_by FROM culvert WHERE id = %s",
               (new,)) == [("C-NEW-1", "338", login338)]
    assert sql(province, "SELECT count(*) FROM change_log WHERE row_id = %s "
               "AND operation = 'INSERT' AND changed_by = %s", (new, login338)) == [(1,)]
    again = sync_package(str(pkg), ed340)
    assert again["refused"] == again["conflicts"] == [] and again["open_conflicts"] == 0
    assert row(pkg, "culvert", new)["code"] == "C-NEW-1" and login340 != login338


def test_a_refused_photo_is_taken_only_when_its_file_is_in_the_store(pg_server, province,
                                                                     tmp_path):
    """A photo the 340 crew attached offline to a district-338 culvert is refused by the
    server (its sync copied the file into the provincial store). Its file gone from the
    store, or damaged, the 338 editor's --take mine is refused naming the photo and its
    sha256, nothing inserted; the file back, the row is taken."""
    pytest.importorskip("PIL.Image")
    from roadinfra.core.db import open_database
    from roadinfra.core.photos import attach_photo

    from tests.support.photos import jpeg

    store = set_photo_store(province, tmp_path)
    _, ed340 = editor_of(pg_server, province, "340")
    _, ed338 = editor_of(pg_server, province, "338")
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    create_package(ed340, Scope("route", "QL10"), str(pkg), name="QL10")
    culvert = route_row_in(pkg, "culvert", "338")
    with open_database(pkg) as db:
        photo = attach_photo(db, "culvert", culvert, jpeg(tmp_path / "in" / "x.jpg"))
    [refused] = sync_package(str(pkg), ed340)["refused"]
    assert refused["row_id"] == photo["id"]
    [stored] = store.rglob("*.jpg")
    sha256 = stored.stem
    whole = stored.read_bytes()
    for damage in (stored.unlink, lambda: stored.write_bytes(whole[:100])):
        damage()
        with pytest.raises(SyncError) as caught:
            resolve_conflicts(ed338, [refused["id"]], "mine")
        message = str(caught.value)
        assert "\n" not in message and f"conflict {refused['id']}" in message
        assert stored.relative_to(store).as_posix() in message and sha256 in message
        assert "not in the provincial photo store" in message
        assert sql(province, "SELECT count(*) FROM attachment WHERE id = %s",
                   (photo["id"],)) == [(0,)]
    stored.write_bytes(whole)
    [taken] = resolve_conflicts(ed338, [refused["id"]], "mine")
    assert sql(province, "SELECT file_path FROM attachment WHERE id = %s",
               (photo["id"],)) == [(stored.relative_to(store).as_posix(),)]
    assert taken["applied"]["file_path"] == stored.relative_to(store).as_posix()


def test_a_syncs_open_conflicts_count_what_its_login_is_shown(pg_server, province, tmp_path):
    """The office syncs the 340 crew's package with its province-wide login: a field
    conflict on a 340 bridge, recorded by the office. The crew's next sync counts it among
    the package's open conflicts (the dock opens on it, `conflicts list` shows it), and
    counts none once it is resolved."""
    _, ed340 = editor_of(pg_server, province, "340")
    _, office = editor_of(pg_server, province, "*")
    pkg = tmp_path / "p.gpkg"
    [conflict] = bridge_conflicts(province, ed340, pkg, syncer=office)
    crew = sync_package(str(pkg), ed340)
    assert crew["conflicts"] == [] and crew["open_conflicts"] == 1
    assert [c["id"] for c in list_conflicts(ed340)] == [conflict["id"]]
    resolve_conflicts(ed340, [conflict["id"]], "mine")
    assert sync_package(str(pkg), ed340)["open_conflicts"] == 0
