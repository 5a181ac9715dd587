"""Offline packages: a GeoPackage with the RoadInfra schema, part of the province, its base.

A package is made by :func:`create_package` from either provincial back-end. It holds the
chosen rows exactly as the server has them (ids, revisions, audit columns), the lookups,
and ``sync_base``: the revision and a digest of every row it received, the base a sync
merges against. The package keeps its own history: its versioning triggers log every
change however it was made (our API, a QGIS form, QField, GDAL/OGR); a feature deleted by
such a program becomes a tombstone with its children, as in a provincial GeoPackage, and
the next sync sends the tombstones (the capture compares with the base, so nothing deleted
is ever lost, a row deleted outright by an older package's trigger included). New rows get
UUIDs on the laptop (the insert trigger). The server registers the package in
``sync_replica`` (creator: the server's login) with the digest of its base, so a package
whose base was altered, or that is not ours, truncated or of another schema, is refused
before anything is written.
"""

from __future__ import annotations

import datetime as dt
import gc
import getpass
import hashlib
import os
import socket
import sqlite3
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

import numpy as np

from ..db import open_database
from ..db.base import Database, IsCancelled, Progress
from ..db.errors import DatabaseError
from ..db.gpkg import GeoPackageDatabase
from ..db.rtree_fill import fill_rtree
from ..db.targets import hide_password, parse_target
from ..db.validate import utc_iso
from ..errors import Cancelled
from ..profile import load_profile
from ..schema import ddl_gpkg
from ..schema.model import Column, Table
from ..schema.sqlnames import ident
from ..schema.tables import GEOMETRY_COLUMN, SCHEMA_VERSION, TABLES
from . import scope as scopes
from .bulk import Packed, key_rows, package_columns, packed_chunks
from .errors import PackageError, SyncError
from .photos import TABLE as PHOTO_TABLE
from .photos import PhotoSync
from .values import (
    SYNC_TABLES,
    base_digest,
    blob_hex,
    canonical,
    comparable,
    dumps,
    row_digest,
)

PACKAGE_FORMAT = "roadinfra-package/1"
#: Package-only table: the base of every row (what the last sync left in the package).
BASE_TABLE = Table("sync_base", "system", "Bản gốc đồng bộ", "Sync base", "system", (
    Column("table_name", "text", "Bảng", "Table", nullable=False),
    Column("row_id", "uuid", "Đối tượng", "Row", nullable=False),
    Column("revision", "integer", "Phiên bản", "Revision", nullable=False),
    Column("deleted", "boolean", "Đã xóa", "Deleted", nullable=False),
    Column("row_digest", "text", "Mã băm", "Row digest", nullable=False),
    Column("row_values", "json", "Giá trị", "Values", nullable=False),
), unique_together=(("table_name", "row_id"),))


def server_login(db: Database) -> str:
    """Who is writing, as the server knows it: the PostGIS login; a GeoPackage has no
    login, so the operating-system user running RoadInfra."""
    if db.kind == "postgis":
        return str(db._query("SELECT session_user")[0][0])
    return getpass.getuser()


def now_iso() -> str:
    return utc_iso(dt.datetime.now(dt.timezone.utc))


def change_position(db: Database) -> int:
    return int(db._query("SELECT coalesce(max(id), 0) FROM change_log")[0][0])


def base_position(db: Database, since: int = 0,
                  previous: Optional[Mapping[str, Any]] = None) -> Tuple[int, dict]:
    """The change-log position a base is read at, and the ids up to it not visible then
    (PostGIS, in one snapshot: ids handed out to transactions still writing, or rolled
    back), as ranges. Such rows may become visible later: the next sync reads them again
    (:func:`changed_since`). ``since``/``previous``: the position and pending ranges of
    the base before; those are kept while a transaction that was running then still runs
    (``xmax``: the snapshot's next transaction id). Returns (position, pending) with
    pending = {"ranges": [[first, last], ...], "xmax": n}."""
    if db.kind != "postgis":  # one writer at a time: nothing is pending
        return change_position(db), {"ranges": [], "xmax": 0}
    position, low, gaps, xmin, xmax = db._query(
        # (gaps as ranges: generate_series' row estimates would make PostgreSQL JIT-compile)
        "WITH seen AS (SELECT id, lead(id) OVER (ORDER BY id) AS nxt FROM change_log "
        "WHERE id > %s) "
        "SELECT (SELECT coalesce(max(id), %s) FROM seen), (SELECT min(id) FROM seen), "
        "ARRAY(SELECT ARRAY[id + 1, nxt - 1] FROM seen WHERE nxt > id + 1), "
        "pg_snapshot_xmin(pg_current_snapshot())::text, "
        "pg_snapshot_xmax(pg_current_snapshot())::text",
        (int(since), int(since)))[0]
    ranges = [[int(since) + 1, int(low) - 1]] if low is not None and low > since + 1 else []
    ranges += [[int(a), int(b)] for a, b in gaps]
    old = (previous or {}).get("ranges") or []
    if old and int(xmin) < int((previous or {}).get("xmax", 0)):  # writers of then remain
        ranges = [[int(a), int(b)] for a, b in old] + ranges
    return int(position), {"ranges": ranges, "xmax": int(xmax)}


def changed_since(db: Database, since: int, pending: Mapping[str, Any]) -> set:
    """(table, row id) of every row logged after position ``since``, or in one of the id
    ranges ``pending`` (:func:`base_position`) the base before could not see."""
    found = db._query("SELECT DISTINCT table_name, row_id FROM change_log "  # noqa: S608 # nosec B608 # placeholder only
                      f"WHERE id > {db.placeholder}", (since,))
    ranges = [(int(a), int(b)) for a, b in pending.get("ranges", ())]
    mark = db.placeholder
    for start in range(0, len(ranges), 500):
        chunk = ranges[start:start + 500]
        found += db._query(
            "SELECT DISTINCT table_name, row_id FROM change_log WHERE "  # noqa: S608 # nosec B608 # placeholders only
            + " OR ".join([f"id BETWEEN {mark} AND {mark}"] * len(chunk)),
            [x for pair in chunk for x in pair])
    return {(t, str(i)) for t, i in found}


# ---------------------------------------------------------------- package triggers
def package_triggers(table: Table) -> List[str]:
    """The versioning triggers of ``table`` in a package: those of a provincial GeoPackage,
    whose DELETE (QGIS, QField, GDAL/OGR) puts the row back as a tombstone and tombstones
    its children in the same statement (so foreign keys, which QGIS turns on, hold); the
    next sync sends the tombstones. A package made before keeps its old trigger (a row
    deleted outright); the capture handles both."""
    return ddl_gpkg.triggers_sql(table)


def referenced_first(table: Table, rows: List[Mapping[str, Any]]) -> List[Mapping[str, Any]]:
    """``rows`` ordered so that a row another one refers to in the same table (a plan's
    ``revision_of``) comes first: foreign keys are checked row by row."""
    links = [c.name for c in table.columns if c.references == table.name]
    if not links:
        return list(rows)
    by_id = {row["id"]: row for row in rows}
    done: set = set()
    out: List[Mapping[str, Any]] = []
    for row in rows:
        chain = []
        while row is not None and row["id"] not in done and row not in chain:
            chain.append(row)
            row = next((by_id.get(row.get(n)) for n in links if row.get(n) in by_id), None)
        for item in reversed(chain):
            done.add(item["id"])
            out.append(item)
    return out


def write_rows(db: GeoPackageDatabase, table: Table, rows: List[Packed], source: str,
               login: str) -> int:
    """Write server rows (:class:`.bulk.Packed`) into the package as they are (ids,
    revisions, audit columns), each with a history entry; call inside a transaction.
    Returns how many. (A new package's tables are filled by :func:`load_rows`.)"""
    names = package_columns(table)
    t = ident(table.name)
    insert = (f"INSERT INTO {t} ({', '.join(ident(n) for n in names)}) "  # noqa: S608 # nosec B608 # names via sqlnames
              f"VALUES ({', '.join('?' * len(names))})")
    update = (f"UPDATE {t} SET {', '.join(ident(n) + ' = ?' for n in names)} "  # noqa: S608 # nosec B608 # names via sqlnames
              "WHERE id = ?")
    log = ("INSERT INTO change_log (table_name, row_id, revision, operation, changed_at, "
           "changed_by, source_replica, old_values, new_values) VALUES (?, ?, ?, ?, ?, ?, ?, "
           "NULL, ?)")
    rows = referenced_first(table, rows)
    for stmt in ddl_gpkg.drop_triggers_sql(table):
        db._execute(stmt)
    # rows it has first: a code they give up may be another row's now
    have = {str(i) for (i,) in db._query(f"SELECT id FROM {t}")}  # noqa: S608 # nosec B608 # name via sqlnames
    db._executemany(update, [row.values + (row.id,) for row in rows if row.id in have])
    new = [row.values for row in rows if row.id not in have]
    if new:
        db._executemany(insert, new)
    stamp = now_iso()
    db._executemany(log, [(table.name, row.id, row.revision, "SYNC", stamp, login, source,
                           row.fields_json) for row in rows])
    for stmt in package_triggers(table):
        db._execute(stmt)
    return len(rows)


def load_rows(db: GeoPackageDatabase, table: Table, chunks: Iterable[List[Packed]]
              ) -> List[tuple]:
    """Bulk-load server rows, in chunks of :class:`.bulk.Packed`, into an empty table of a
    new package, each with its base entry (``sync_base``; their history entries come from
    the base: :func:`log_checkout`); call inside a transaction. The rows get the ``fid``
    1, 2, ... in order (the table is new); its R-tree is written from the bounds the rows
    carry in one pass (:func:`..db.rtree_fill.fill_rtree`; not by the per-row trigger: five
    SQL function calls a row, nor entry by entry), its indexes are built once after the
    rows, and its CHECK constraints are not evaluated row by row (the server's identical
    constraints hold for every row). Returns the base entries written
    (:attr:`.bulk.Packed.entry`)."""
    sql = ddl_gpkg.bulk_load_sql(table, package_columns(table))
    for stmt in ddl_gpkg.drop_triggers_sql(table) + sql["drop"]:
        db._execute(stmt)
    if any(c.references == table.name for c in table.columns):  # foreign keys row by row
        chunks = [referenced_first(table, [row for chunk in chunks for row in chunk])]
    written: List[tuple] = []
    placed: List[tuple] = []  # (fid, bounds) of every row with a geometry
    db._execute("PRAGMA ignore_check_constraints = ON")
    try:
        for chunk in chunks:
            first = len(written) + 1
            db._insert_many(sql["insert"], [row.values for row in chunk])
            if sql["rtree"]:
                placed += [(fid, row.bounds) for fid, row in enumerate(chunk, first)
                           if row.bounds is not None]
            entries = [row.entry for row in chunk]
            write_base(db, entries)
            written += entries
    finally:
        db._execute("PRAGMA ignore_check_constraints = OFF")
    if placed:
        fill_rtree(db.conn, sql["rtree"], [fid for fid, _ in placed],
                   np.array([box for _, box in placed], dtype=np.float64))
    for stmt in sql["restore"]:
        db._execute(stmt)
    for stmt in package_triggers(table):
        db._execute(stmt)
    return written


def log_checkout(db: GeoPackageDatabase, source: str, login: str) -> None:
    """The history entry of every row of a new package, written from its base entry in
    one statement while the guards of its ``change_log`` (empty: nothing to protect yet)
    are set aside, as a table's triggers are while it is loaded."""
    history = TABLES["change_log"]
    for stmt in ddl_gpkg.drop_triggers_sql(history):
        db._execute(stmt)
    db._execute(
        "INSERT INTO change_log (table_name, row_id, revision, operation, changed_at, "
        "changed_by, source_replica, old_values, new_values) SELECT table_name, row_id, "
        "revision, 'SYNC', ?, ?, ?, NULL, row_values FROM sync_base ORDER BY fid",
        (now_iso(), login, source))
    for stmt in ddl_gpkg.triggers_sql(history):
        db._execute(stmt)


def write_base(db: GeoPackageDatabase, entries: List[tuple]) -> None:
    """Insert or replace base entries (table, id, revision, row digest, deleted, fields
    as JSON text: :attr:`.bulk.Packed.entry`)."""
    db._insert_many(
        "INSERT INTO sync_base (table_name, row_id, revision, row_digest, deleted, "
        "row_values) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (table_name, row_id) DO UPDATE "
        "SET revision = excluded.revision, deleted = excluded.deleted, "
        "row_digest = excluded.row_digest, row_values = excluded.row_values",
        entries)  # (deleted: a bool, stored as 1 or 0)


def digest_of(entries: Iterable[tuple]) -> str:
    return base_digest(entries)


# ---------------------------------------------------------------- create
def create_package(target: str, scope: scopes.Scope, out: str, name: str | None = None,
                   progress: Progress = None, is_cancelled: IsCancelled = None,
                   basemap: str | None = None) -> dict:
    """Copy the rows ``scope`` takes from database ``target`` into a new package ``out``
    and register it on the server; with ``basemap`` (a GeoTIFF), clip it to the package's
    area beside it (:mod:`.basemap`). Returns what was packed."""
    out_path = Path(out)
    parsed = parse_target(target)
    if out_path.suffix.lower() != ".gpkg":
        raise SyncError(f"{out}: a package is a GeoPackage: give a file name ending in .gpkg")
    if parsed.kind == "gpkg" and Path(parsed.value).resolve() == out_path.resolve():
        raise SyncError(f"{out}: the output is the database itself; give another file name")
    if out_path.exists():
        raise SyncError(f"{out}: file exists; refusing to overwrite (give a new file name)")
    if not out_path.parent.is_dir():
        raise SyncError(f"{out}: folder {out_path.parent} does not exist")
    if basemap is not None:
        from .basemap import check_raster

        check_raster(basemap)
    server = open_database(parsed)
    # Several Python objects a row, none in a reference cycle: the cyclic collector would
    # scan every row read so far again and again (a fifth of the CPU time at 50,000 rows).
    collecting = gc.isenabled()
    gc.disable()
    try:
        login = server_login(server)
        _check_maker(server, login)
        scopes.check_scope(server, scope)
        profile_text = server.meta("profile_toml") or ""
        replica_id = str(uuid.uuid4())
        name = name or f"{out_path.stem} ({scope})"
        part = out_path.with_name(out_path.stem + ".part.gpkg")
        part.unlink(missing_ok=True)
        # the photo store of the file the package becomes (photo_location of ``out``)
        carrier = PhotoSync(server, Path(str(out_path) + ".photos"), out_path.parent)
        clipped = None
        try:
            package, (position, pending, chosen, warnings) = _made_while_chosen(
                server, scope, login, profile_text, part)
            if progress:
                progress(20.0)
            try:
                with package.transaction():
                    for stmt in ddl_gpkg.create_table_sql(BASE_TABLE, package.srs_id):
                        package._execute(stmt)
                    entries: List[tuple] = []
                    for i, tname in enumerate(SYNC_TABLES):
                        if is_cancelled is not None and is_cancelled():
                            raise Cancelled(f"{out}: packaging cancelled, nothing written")
                        entries += load_rows(package, TABLES[tname], packed_chunks(
                            server, tname, chosen[tname], package.srs_id,
                            # attachments: the package's paths, files copied
                            through=carrier.to_package if tname == PHOTO_TABLE else None))
                        if progress:
                            progress(20.0 + 60.0 * (i + 1) / len(SYNC_TABLES))
                    log_checkout(package, "checkout", login)
                    digest = digest_of(entries)
                    meta = {"package_format": PACKAGE_FORMAT, "package_id": replica_id,
                            "package_name": name, "package_server": _server_text(parsed),
                            "package_scope": scope.to_json(), "package_created_at": now_iso(),
                            "package_created_by": login,
                            "package_base_change_id": str(position),
                            "package_base_pending": dumps(pending)}
                    package._executemany("INSERT INTO db_meta (key, value) VALUES (?, ?)",
                                         list(meta.items()))
            finally:
                package.close()
            if basemap is not None:  # before registering: a raster that does not fit
                from .basemap import basemap_path, clip_basemap  # leaves nothing behind

                clipped = clip_basemap(basemap, str(part), out=basemap_path(str(out_path)),
                                       is_cancelled=is_cancelled)
                clipped = clipped["basemap"]
            if is_cancelled is not None and is_cancelled():  # the last moment: not registered
                raise Cancelled(f"{out}: packaging cancelled, nothing written")
            with server.transaction():
                server.insert("sync_replica", [{
                    "id": replica_id, "name": name, "device": socket.gethostname(),
                    "created_at": now_iso(), "created_by": login,
                    "base_change_id": position, "scope": scope.to_json(),
                    "base_digest": digest}])
            os.replace(part, out_path)
        except BaseException:
            carrier.discard()
            if clipped is not None and not out_path.exists():  # not registered: not kept
                Path(clipped).unlink(missing_ok=True)
            raise
        finally:
            part.unlink(missing_ok=True)
        counts = {t: len(chosen[t]) for t in SYNC_TABLES if chosen[t]}
        if progress:
            progress(100.0)
        return {"basemap": clipped, "package": str(out_path), "replica_id": replica_id,
                "name": name,
                "scope": str(scope), "server": str(parsed), "created_by": login,
                "base_change_id": position, "rows": counts, "base_digest": digest,
                "photos": carrier.summary(), "warnings": warnings}
    except Exception as exc:
        if server.kind == "postgis" and isinstance(exc, server.integrity_errors):
            raise _read_failed(parsed, exc) from None
        raise
    finally:
        if collecting:
            gc.enable()
        server.close()


def _made_while_chosen(server: Database, scope: scopes.Scope, login: str, profile_text: str,
                       part: Path) -> tuple:
    """The new empty package at ``part`` and what :func:`_choose` answers; from PostGIS the
    rows are chosen in a thread while the package is made (a GeoPackage server's connection
    belongs to this thread)."""
    if server.kind != "postgis":
        chosen = _choose(server, scope, login)
        return _new_geopackage(profile_text, part), chosen
    with ThreadPoolExecutor(max_workers=1) as pool:
        choosing = pool.submit(_choose, server, scope, login)
        package = _new_geopackage(profile_text, part)
        try:
            return package, choosing.result()
        except BaseException:
            package.close()
            raise


def _choose(server: Database, scope: scopes.Scope, login: str) -> tuple:
    """The change-log position and pending ids of a new package's base, read before its
    rows (nothing is missed), the ids ``scope`` takes per table, and the warnings of a
    login that may not edit them."""
    position, pending = base_position(server)
    keys = key_rows(server, SYNC_TABLES, with_geometry=scope.kind == "bbox")
    chosen = scopes.select(keys, scope)
    _check_takes_assets(server, scope, chosen)
    warnings = _not_editable(server, login, {
        keys[t][i]["district_code"] for t in SYNC_TABLES
        if TABLES[t].has_district and t not in CONTEXT_TABLES for i in chosen[t]
        if keys[t][i].get("district_code")})
    return position, pending, chosen, warnings


#: Rows a package carries as context of what it holds, not as its work.
CONTEXT_TABLES = ("admin_unit", "route", "maintenance_plan", "bridge_element")


def _check_takes_assets(server: Database, scope: scopes.Scope,
                        chosen: Mapping[str, Any]) -> None:
    """SyncError (one line) before anything is written or registered when a box takes no
    row but context (administrative units, routes): a box in the wrong place or grid. (An
    area or a route that holds nothing yet is a crew's survey of it from scratch.)"""
    if scope.kind != "bbox" or any(chosen[t] for t in SYNC_TABLES
                                   if t not in CONTEXT_TABLES):
        return
    xmin, ymin, xmax, ymax = scope.value
    box = ",".join(f"{v:.12g}" for v in (xmin, ymin, xmax, ymax))
    raise SyncError(f"--bbox {box}: the box takes no asset of "
                    f"{server.target} (only administrative units or routes); give a box "
                    f"around the assets, in metres of the provincial grid EPSG:{server.srs_id}; "
                    "nothing was written")


def _check_maker(server: Database, login: str) -> None:
    """SyncError (one line) before anything is read when the PostGIS login may not register
    a package (a read-only ``roadinfra_viewer``): packaging ends by registering it."""
    if server.kind != "postgis":
        return
    [(may,)] = server._query("SELECT has_table_privilege('sync_replica', 'INSERT')")
    if not may:
        raise SyncError(f"{server.target}: login {login} is a viewer: a viewer cannot make "
                        "offline packages (a package is registered on the server); ask for "
                        "the roadinfra_editor role; nothing was written")


def _not_editable(server: Database, login: str, codes: set) -> List[str]:
    """A warning (not a refusal: the office may make a package a province-wide login will
    sync) when the PostGIS login may not edit districts ``codes`` of the rows packed as
    work (context rows aside): the crew's edits there would be refused at sync."""
    if server.kind != "postgis" or not codes:
        return []
    barred = [code for (code,) in server._query(
        "SELECT d FROM unnest(%s::text[]) AS d WHERE NOT roadinfra_can_edit(d) ORDER BY d",
        (sorted(codes),))]
    if not barred:
        return []
    return [f"{server.target}: login {login} may not edit district {', '.join(barred)} "
            "(no user_district row for it): the package's edits there will be refused at "
            "sync unless a province-wide login syncs the package"]


def _server_text(parsed) -> str:
    """The server as a package records it (``package_server``): a GeoPackage by its absolute
    path, so that the package's own project finds it from anywhere."""
    if parsed.kind == "gpkg":
        return str(Path(parsed.value).resolve())
    return str(parsed)


def package_info(path: str) -> Optional[Dict[str, str]]:
    """``{"name": ..., "server": ...}`` when the GeoPackage at ``path`` is an offline package
    (``server``: the provincial database it was made from, as it recorded it; '' when not
    recorded), else None. Read-only; any file that cannot be read is no package."""
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        meta = dict(conn.execute("SELECT key, value FROM db_meta WHERE key IN "
                                 "('package_format', 'package_name', 'package_server')"))
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    if meta.get("package_format") != PACKAGE_FORMAT:
        return None
    return {"name": meta.get("package_name") or Path(path).stem,
            "server": meta.get("package_server") or ""}


def _read_failed(parsed, exc: Exception) -> SyncError:
    """The one-line message of a server error met while packaging (a connection lost, the
    server shut down): the server named, its password masked; nothing was left behind."""
    first = hide_password((str(exc).strip().splitlines() or [type(exc).__name__])[0])
    return SyncError(f"{parsed}: reading the provincial database failed while packaging "
                     f"({first}); nothing was written: check the connection and package again")


def _new_geopackage(text: str, path: Path) -> GeoPackageDatabase:
    """An empty RoadInfra GeoPackage with the server's own profile (``text``: the
    ``profile_toml`` stored there)."""
    from ..db import create_database

    with tempfile.TemporaryDirectory() as tmp:
        profile_file = Path(tmp) / "profile.toml"
        profile_file.write_text(text, encoding="utf-8")
        profile = load_profile(profile_file, stored=True)  # checked as the server's own
        return create_database(str(path), profile)


# ---------------------------------------------------------------- open
@dataclass
class Package:
    """An open package; :func:`open_package` has checked it is ours and whole."""

    path: Path
    db: GeoPackageDatabase
    meta: Dict[str, str]
    base: Dict[Tuple[str, str], dict] = field(default_factory=dict)
    #: The package's ``schema_version``: older than this RoadInfra's only by versions that
    #: changed PostGIS alone (its GeoPackage is one of this version); a sync raises it.
    schema_version: int = SCHEMA_VERSION
    #: Set by a sync once the server committed its changeset (what a failure after it says).
    server_committed: bool = False

    @property
    def replica_id(self) -> str:
        return self.meta["package_id"]

    @property
    def name(self) -> str:
        return self.meta.get("package_name") or self.path.stem

    @property
    def scope(self) -> scopes.Scope:
        return scopes.Scope.from_json(self.meta["package_scope"])

    def digest(self) -> str:
        return base_digest((t, i, b["revision"], b["row_digest"])
                           for (t, i), b in self.base.items())

    def prove_writable(self) -> None:
        """A real write in the package's open transaction (undone or kept with it): a
        package on a read-only medium fails here, before the server is written (SQLite's
        ``BEGIN IMMEDIATE`` succeeds on a read-only file)."""
        self.db._execute("UPDATE db_meta SET value = value WHERE key = 'package_id'")

    def close(self) -> None:
        self.db.close()


META_KEYS = ("package_format", "package_id", "package_name", "package_server",
             "package_scope", "package_created_at", "package_created_by",
             "package_base_change_id", "package_base_pending")


def open_package(path: str) -> Package:
    """Open and check a package: a GeoPackage, whole (SQLite quick_check), made by
    RoadInfra as a package, of this schema version, with a base whose every row digest
    matches its values. PackageError (one line) otherwise; nothing is written."""
    if not str(path).strip():
        raise PackageError("give the package file (FILE.gpkg)")
    p = Path(path)
    if not p.is_file():
        raise PackageError(f"{p}: no such package")
    with open(p, "rb") as handle:
        head = handle.read(100)
    if not head.startswith(b"SQLite format 3\x00"):
        raise PackageError(f"{p}: not a RoadInfra package (not a GeoPackage file)")
    try:
        db = GeoPackageDatabase.open(str(p), check_version=False)
    except DatabaseError as exc:
        raise PackageError(f"{p}: not a usable RoadInfra package: "
                           f"{str(exc).replace(str(p) + ': ', '')}") from None
    try:
        try:
            db.check_integrity()
        except DatabaseError:
            raise PackageError(f"{p}: the package is damaged or truncated (SQLite "
                               "quick_check failed); nothing was changed: copy it again "
                               "from the laptop") from None
        meta = {k: db.meta(k) for k in META_KEYS}
        if meta["package_format"] != PACKAGE_FORMAT or not meta["package_id"]:
            raise PackageError(f"{p}: a RoadInfra database, but not an offline package "
                               "(made by roadinfra package)")
        version = db.schema_version()
        if version != SCHEMA_VERSION:
            _check_version(p, version, db.srs_id)
        package = Package(p, db, {k: v for k, v in meta.items() if v is not None},
                          schema_version=version)
        package.base = _read_base(db, p)
        return package
    except sqlite3.DatabaseError as exc:  # e.g. a table cut off by a truncated copy
        db.close()
        raise PackageError(f"{p}: cannot read the package: {exc}") from None
    except BaseException:
        db.close()
        raise


def _check_version(path: Path, version: int, srs_id: int) -> None:
    """Refuse a package of another schema version (PackageError), unless it is older only
    by versions that changed PostGIS alone: its GeoPackage is then one of this version and
    the sync raises its ``schema_version`` (so a crew's work made before a server upgrade
    is synced by the upgraded RoadInfra)."""
    if version > SCHEMA_VERSION:
        raise PackageError(f"{path}: the package has schema version {version}, newer than "
                           f"this RoadInfra's {SCHEMA_VERSION}: update RoadInfra")
    changed = ddl_gpkg.gpkg_changes(version, SCHEMA_VERSION, srs_id)
    if changed:
        raise PackageError(
            f"{path}: the package has schema version {version}, this RoadInfra "
            f"{SCHEMA_VERSION}, and schema {changed[0]} changed a package's tables, so this "
            "RoadInfra cannot sync it; nothing was changed and the crew's edits stay in the "
            "file (its change_log lists each): sync it with the RoadInfra that made it "
            f"while the provincial database is still below schema {changed[0]}; once the "
            "database is upgraded, enter the edits again in a new package (roadinfra "
            "package)")


def _read_base(db: GeoPackageDatabase, path: Path) -> Dict[Tuple[str, str], dict]:
    import json

    try:
        rows = db._query("SELECT table_name, row_id, revision, deleted, row_digest, "
                         "row_values FROM sync_base")
    except sqlite3.DatabaseError as exc:
        raise PackageError(f"{path}: the package has no readable base ({exc})") from None
    base = {}
    for number, (t, i, rev, deleted, digest, values) in enumerate(rows, 1):
        try:
            fields = json.loads(values)
            # the text as written is the canonical form: hashing it spares dumping it again
            text = f"[{values},{'true' if deleted else 'false'}]"
            fast = hashlib.sha256(text.encode()).hexdigest() == digest
            ok = (t in TABLES and (fast or row_digest(fields, bool(deleted)) == digest)
                  and isinstance(rev, int))
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise PackageError(f"{path}: sync_base row {number} ({t} {i}) does not match its "
                               "digest: the package was altered outside RoadInfra; nothing "
                               "was changed")
        base[(t, str(i))] = {"revision": rev, "deleted": bool(deleted), "row_digest": digest,
                             "fields": fields}
    return base


# ---------------------------------------------------------------- capture
@dataclass
class LocalChange:
    table: str
    row_id: str
    op: str  # "insert", "update" or "delete"
    base: Optional[dict]  # fields at the base (None for a row made offline)
    mine: dict  # fields now (the base's for a row deleted outright)
    deleted: bool
    code: Optional[str] = None


def _capture_rows(db: GeoPackageDatabase, table: Table):
    """(row as ``fetch`` reads it but without geometry, the geometry's canonical form) of
    every row of ``table``, tombstones included, in ``fetch``'s order."""
    cols = db._present_columns(table)
    select = [ident(c.name) for c in cols] + ([ident(GEOMETRY_COLUMN)] if table.geometry else [])
    sql = (f"SELECT {', '.join(select)} FROM {ident(table.name)} "  # noqa: S608 # nosec B608 # names via sqlnames
           f"ORDER BY {db._order_key(table)}")
    from_db = db._from_db
    for record in db._query(sql):
        row = {c.name: from_db(c, v) for c, v in zip(cols, record)}
        yield row, blob_hex(record[len(cols)]) if table.geometry else None


def local_changes(package: Package,
                  taken: Optional[Mapping[Tuple[str, str], dict]] = None) -> List[LocalChange]:
    """Every change in the package since its base, however it was made. ``taken``: rows the
    package made that are not in its base but on the server, inserted there by the office
    taking mine on the conflict that kept them off (:func:`.engine.taken_offline_rows`):
    (table, id) -> a base entry of the values taken (the office may have deleted the row
    since: the merge sees the tombstone). Such a row the package has deleted since is a
    delete merged against those values (``fields``; a row made and deleted offline is no
    change at all); edited since, an update merged against the values the package had sent
    (``sent``); as sent, no change."""
    out: List[LocalChange] = []
    seen = set()
    for tname in SYNC_TABLES:
        table = TABLES[tname]
        for row, geometry in _capture_rows(package.db, table):
            key = (tname, row["id"])
            seen.add(key)
            fields = canonical(table, row)
            if table.geometry:
                fields[GEOMETRY_COLUMN] = geometry
            deleted = row.get("deleted_at") is not None
            base = package.base.get(key)
            if base is None and taken and key in taken:
                was = taken[key]
                if deleted:
                    out.append(LocalChange(tname, row["id"], "delete", was["fields"], fields,
                                           True, row.get("code")))
                elif comparable(fields) != comparable(was["sent"]):
                    out.append(LocalChange(tname, row["id"], "update", was["sent"], fields,
                                           False, row.get("code")))
                continue
            if base is None:
                if not deleted:
                    out.append(LocalChange(tname, row["id"], "insert", None, fields, False,
                                           row.get("code")))
                continue
            if deleted and not base["deleted"]:
                out.append(LocalChange(tname, row["id"], "delete", base["fields"], fields,
                                       True, row.get("code")))
            elif not deleted and fields != base["fields"]:
                out.append(LocalChange(tname, row["id"], "update", base["fields"], fields,
                                       deleted, row.get("code")))
    for (tname, row_id), base in package.base.items():
        if (tname, row_id) not in seen and not base["deleted"]:  # deleted outright
            out.append(LocalChange(tname, row_id, "delete", base["fields"], base["fields"],
                                   True, base["fields"].get("code")))
    return out
