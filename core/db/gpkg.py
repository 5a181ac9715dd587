"""The GeoPackage back-end (embedded default, also the offline-package format).

GDAL writes the empty GeoPackage (its core tables); the RoadInfra tables, indexes,
R-trees and versioning triggers come from :mod:`roadinfra.core.schema.ddl_gpkg` and are
written through ``sqlite3`` with parameterised statements. PRAGMA user_version stays the
GeoPackage version (10200) that GDAL and QGIS check; the RoadInfra schema version lives in
``db_meta.schema_version``.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from itertools import chain
from pathlib import Path
from typing import Any, List, Sequence

from ..profile import Profile
from ..schema import ddl_gpkg
from ..schema.model import Column, Table
from ..schema.srs import grid_srs
from ..schema.tables import CODELISTS, SCHEMA_VERSION, tables_at
from ..version import __version__
from . import gpkgblob
from .base import Database
from .errors import DatabaseError, MediumError
from .translate import translate_sqlite_error
from .validate import utc_iso

GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
BUSY_HINT = "is the GeoPackage being read or edited in another program? try again"
#: SQLite's primary result codes of a write the medium refused (not the rows): the disk is
#: full, an I/O error, the file read-only or gone.
_MEDIUM_ERRORS = (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY,
                  sqlite3.SQLITE_CANTOPEN)


def _error_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def connect(path: str) -> sqlite3.Connection:
    """A sqlite3 connection in autocommit mode with the GeoPackage SQL functions loaded."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30.0)
    gpkgblob.register_functions(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def insert_many(conn: sqlite3.Connection, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """``executemany`` of ``INSERT ... VALUES (?, ...)`` (an ``ON CONFLICT`` clause may
    follow) with many rows a statement, at most 999 values (SQLite's oldest limit): each
    execution has a cost of its own (an AUTOINCREMENT table's ``sqlite_sequence`` is
    written at the end of every statement), about a third of a small row's insert. The
    same rows in the same order."""
    head, _, rest = sql.partition(" VALUES (")
    one, _, tail = rest.partition(")")
    one = f"({one})"
    per = max(1, 999 // max(1, one.count("?")))
    full = len(rows) // per * per
    if full:
        many = f"{head} VALUES {', '.join([one] * per)}{tail}"
        conn.executemany(many, [tuple(chain.from_iterable(rows[i:i + per]))
                                for i in range(0, full, per)])
    if full < len(rows):
        conn.executemany(sql, rows[full:])


class GeoPackageDatabase(Database):
    kind = "gpkg"
    placeholder = "?"
    integrity_errors = (sqlite3.IntegrityError,)

    def __init__(self, path: str, conn: sqlite3.Connection):
        super().__init__(path)
        self.conn = conn
        self._saved_user: str | None = None
        self._user_set = False
        self.srs_id = self._srid()
        self.profile = self._load_profile()

    # ---------------------------------------------------------------- creation
    @classmethod
    def create(cls, path: str, profile: Profile, version: int = SCHEMA_VERSION):
        target = Path(path)
        if target.exists() and target.stat().st_size > 0:
            raise DatabaseError(f"{target}: file exists and is not empty; refusing to overwrite")
        if not target.parent.is_dir():
            raise DatabaseError(f"{target}: folder {target.parent} does not exist")
        if target.exists():
            target.unlink()
        from osgeo import ogr

        source = ogr.GetDriverByName("GPKG").CreateDataSource(str(target))
        if source is None:
            raise DatabaseError(f"{target}: GDAL could not create a GeoPackage here")
        source = None
        conn = connect(str(target))
        try:
            srs = grid_srs(profile)
            conn.execute("BEGIN")
            conn.execute(
                "INSERT OR REPLACE INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, "
                "organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)",
                (srs.name, srs.srid, "EPSG", srs.srid, srs.wkt, srs.description),
            )
            for stmt in ddl_gpkg.create_schema_sql(version, srs.srid):
                conn.execute(stmt)
            meta = {
                "schema_version": str(version), "profile_id": profile.id,
                "profile_toml": Path(profile.path).read_text(encoding="utf-8"),
                "srid": str(srs.srid), "created_at": utc_iso(dt.datetime.now(dt.timezone.utc)),
                "created_with": f"roadinfra {__version__}",
            }
            conn.executemany("INSERT INTO db_meta (key, value) VALUES (?, ?)", meta.items())
            _fill_codelists(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.close()
            target.unlink(missing_ok=True)
            raise
        return cls(str(target), conn)

    @classmethod
    def open(cls, path: str, check_version: bool = True):
        target = Path(path)
        if not target.is_file():
            raise DatabaseError(f"{target}: no such GeoPackage")
        conn = connect(str(target))
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != GPKG_APPLICATION_ID:
                raise DatabaseError(f"{target}: not a GeoPackage")
            found = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                 "AND name = 'db_meta'").fetchone()[0]
            if not found:
                raise DatabaseError(f"{target}: a GeoPackage, but not a RoadInfra database "
                                    "(no db_meta table)")
            db = cls(str(target), conn)
            if check_version:
                db._check_version()
        except sqlite3.DatabaseError as exc:  # includes "file is not a database", malformed
            conn.close()
            raise DatabaseError(f"{target}: cannot read it as a GeoPackage: {exc}") from None
        except BaseException:
            conn.close()
            raise
        return db

    def _check_version(self) -> None:
        """As for every database, but a GeoPackage older only by schema versions that
        changed PostGIS alone (ddl_gpkg.gpkg_changes, the rule a package's sync follows)
        is one of this version but for its stored ``schema_version``: read and written."""
        version = self.schema_version()
        if version < SCHEMA_VERSION and not ddl_gpkg.gpkg_changes(version, SCHEMA_VERSION,
                                                                  self.srs_id):
            return
        super()._check_version()

    def check_integrity(self) -> None:
        try:
            problems = [r[0] for r in self.conn.execute("PRAGMA quick_check(5)").fetchall()]
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        if problems != ["ok"]:
            lines = [line.strip() for problem in problems for line in str(problem).splitlines()
                     if line.strip() and not line.startswith("***")]
            raise DatabaseError(f"{self.target}: the file is damaged (SQLite quick_check: "
                                f"{'; '.join(lines[:3])}): restore it from a backup; "
                                "nothing was changed")

    def _upgrade_from(self, old: int) -> None:
        path = Path(self.target)
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            where = path if not os.access(path, os.W_OK) else path.parent
            raise DatabaseError(f"{path}: schema version {old} needs an upgrade to "
                                f"{SCHEMA_VERSION}, but {where} is read-only: copy the file to "
                                "a folder you can write and run roadinfra db upgrade there")
        try:
            self._apply_upgrade(old)
        except sqlite3.OperationalError as exc:
            raise DatabaseError(f"{path}: upgrade failed, nothing was changed: {exc}") from None

    def upgrade(self) -> tuple:
        """As for every database, then the RoadInfra triggers brought to this RoadInfra's
        (:meth:`stale_triggers`): a guard made stricter within a schema version (a plan
        inserted approved or closed, refused since) reaches a GeoPackage already at it
        (their tables in :attr:`rewritten_triggers`)."""
        out = super().upgrade()
        stale = self.stale_triggers()
        self.rewritten_triggers = []
        if stale:
            path = Path(self.target)
            if not os.access(path, os.W_OK):
                raise DatabaseError(f"{path}: its triggers need an update, but the file is "
                                    "read-only: copy it to a folder you can write and run "
                                    "roadinfra db upgrade there")
            try:
                with self.transaction():
                    for table in stale:
                        for stmt in ddl_gpkg.drop_triggers_sql(table) \
                                + ddl_gpkg.triggers_sql(table):
                            self._execute(stmt)
            except sqlite3.OperationalError as exc:
                raise DatabaseError(f"{path}: upgrade failed, nothing was changed: "
                                    f"{exc}") from None
            self.rewritten_triggers = [table.name for table in stale]
        return out

    def stale_triggers(self) -> List[Table]:
        """The tables whose RoadInfra triggers (:func:`ddl_gpkg.trigger_names`) are not
        those this RoadInfra makes at the current schema version."""
        stored = dict(self._query("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
        have_tables = {n for (n,) in self._query(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        out = []
        for table in tables_at(SCHEMA_VERSION).values():
            if table.name not in have_tables:
                continue
            want = sorted(ddl_gpkg.triggers_sql(table))
            have = sorted(stored[n] for n in ddl_gpkg.trigger_names(table) if n in stored)
            if have != want:
                out.append(table)
        return out

    def _apply_upgrade(self, old: int) -> None:
        with self.transaction():
            for version in range(old + 1, SCHEMA_VERSION + 1):
                for stmt in ddl_gpkg.upgrade_step_sql(version, self.srs_id):
                    self._execute(stmt)
            self._execute("UPDATE db_meta SET value = ? WHERE key = 'schema_version'",
                          (str(SCHEMA_VERSION),))
            self._execute("DELETE FROM codelist")
            _fill_codelists(self.conn)

    def close(self) -> None:
        self.conn.close()

    # ---------------------------------------------------------------- hooks
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, params).rowcount

    def _executemany(self, sql: str, rows: List[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def _insert_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        insert_many(self.conn, sql, rows)

    def _query(self, sql: str, params: Sequence[Any] = ()) -> List[tuple]:
        return self.conn.execute(sql, params).fetchall()

    def _begin(self) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # another program is writing
            raise DatabaseError(f"{self.target}: cannot write: {exc} "
                                f"({BUSY_HINT})") from None
        self._user_set = False

    def _commit(self) -> None:
        try:
            if self._user_set:
                self._restore_user()
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            # SQLite keeps the transaction open after a failed COMMIT (e.g. a reader holds
            # the file): end it, or this connection could never write again
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self._user_set = False
            if _error_code(exc) in _MEDIUM_ERRORS:
                raise self._write_failure(exc, committing=True) from None
            raise DatabaseError(f"{self.target}: nothing was written: {exc} "
                                f"({BUSY_HINT})") from None

    def _rollback(self) -> None:
        if self.conn.in_transaction:  # a full disk or an I/O error may have ended it
            self.conn.execute("ROLLBACK")
        self._user_set = False

    def _in_transaction(self) -> bool:
        return self.conn.in_transaction

    def _write_failure(self, exc: BaseException, committing: bool) -> MediumError | None:
        if not isinstance(exc, sqlite3.Error) or _error_code(exc) not in _MEDIUM_ERRORS:
            return None
        reason = ("the disk is full" if _error_code(exc) == sqlite3.SQLITE_FULL
                  else f"the file could not be written ({exc})")
        return MediumError(self.target, reason, committing=committing,
                           full=_error_code(exc) == sqlite3.SQLITE_FULL)

    def _set_user(self, user: str | None) -> None:
        if user is None:
            return
        if not self._user_set:
            self._saved_user = self.meta("app_user")
            self._user_set = True
        self.conn.execute("INSERT INTO db_meta (key, value) VALUES ('app_user', ?) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (user,))

    def _restore_user(self) -> None:
        if self._saved_user is None:
            self.conn.execute("DELETE FROM db_meta WHERE key = 'app_user'")
        else:
            self.conn.execute("UPDATE db_meta SET value = ? WHERE key = 'app_user'",
                              (self._saved_user,))
        self._user_set = False

    def set_default_author(self, name: str | None) -> None:
        with self.transaction():
            if name:
                self.conn.execute("INSERT INTO db_meta (key, value) VALUES ('app_user', ?) "
                                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                  (name,))
            else:
                self.conn.execute("DELETE FROM db_meta WHERE key = 'app_user'")
            self._user_set = False  # this is the value to keep, not one to restore

    def geometry_from_log(self, value: Any) -> Any:
        if not value:
            return None
        return gpkgblob.decode(bytes.fromhex(str(value)))

    def _geom_param(self) -> str:
        return "?"

    def _geom_to_db(self, geom: Any) -> bytes:
        return gpkgblob.encode(geom, self.srs_id)

    def _geom_select(self) -> str:
        return '"geom"'

    def _geom_from_db(self, value: Any) -> Any:
        return gpkgblob.decode(value)

    def _to_db(self, col: Column, value: Any) -> Any:
        if col.type == "boolean" and value is not None:
            return 1 if value else 0
        return value

    def _order_key(self, table: Table) -> str:
        return '"fid"' if ddl_gpkg.uses_fid(table) else '"id"'

    def _translate(self, exc: Exception, table: Table, label: str) -> DatabaseError:
        return translate_sqlite_error(exc, table, label)


def _fill_codelists(conn: sqlite3.Connection) -> None:
    conn.executemany(
        "INSERT INTO codelist (list_name, code, label_vi, label_en) VALUES (?, ?, ?, ?)",
        [(cl.name, code, vi, en) for cl in CODELISTS.values() for code, vi, en in cl.items],
    )
