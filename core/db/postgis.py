"""The PostGIS back-end (shared provincial database), over psycopg2.

The schema comes from the numbered migration files (``core/schema/migrations/postgis``);
the server's triggers keep revision, audit columns and change_log, so edits from QGIS are
versioned too. The author of a change is the database login (``session_user``); the
``user`` given to the API is kept in ``change_log.app_user`` (informational). The
connection is a ``postgresql://`` URL or ``service=NAME``; credentials come from libpq
(pg_service.conf, .pgpass, PG* environment), never from RoadInfra files.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, List, Sequence

from shapely import wkb

from ..profile import Profile
from ..schema.model import Table
from ..schema.sqlnames import ident
from ..schema.srs import grid_srs
from ..schema.tables import SCHEMA_VERSION
from ..schema.upgrade import migrations
from ..version import __version__
from .base import Database
from .errors import DatabaseError, MediumError
from .targets import hide_password
from .translate import translate_pg_error
from .validate import utc_iso


def _psycopg2():
    try:
        import psycopg2
        import psycopg2.extras
    except ImportError:  # pragma: no cover - psycopg2 is a dependency on Debian
        raise DatabaseError("PostGIS needs psycopg2 (Debian: python3-psycopg2)") from None
    return psycopg2


def connect(dsn: str, label: str):
    psycopg2 = _psycopg2()
    try:
        conn = psycopg2.connect(dsn)
    except psycopg2.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "connection failed"
        raise DatabaseError(f"{label}: cannot connect: {first}") from None
    except (psycopg2.Error, ValueError, UnicodeError) as exc:  # e.g. a malformed URL
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        first = hide_password(first.replace(dsn, label))
        raise DatabaseError(f"{label}: not a valid connection string ({first}); give "
                            "postgresql://[user@]host[:port]/database or service=NAME") from None
    conn.autocommit = True
    return conn


class PostgisDatabase(Database):
    kind = "postgis"
    placeholder = "%s"

    def __init__(self, dsn: str, conn, label: str):
        super().__init__(label)
        self.dsn = dsn
        self.conn = conn
        self.integrity_errors = (_psycopg2().Error,)
        self.srs_id = self._srid()
        self.profile = self._load_profile()

    # ---------------------------------------------------------------- creation
    @classmethod
    def create(cls, dsn: str, profile: Profile, version: int = SCHEMA_VERSION):
        from .targets import Target

        label = str(Target("postgis", dsn))
        srs = grid_srs(profile)
        conn = connect(dsn, label)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
                            "AND tablename <> 'spatial_ref_sys'")
                if cur.fetchone()[0]:
                    raise DatabaseError(f"{label}: the database already has tables; "
                                        "refusing to overwrite (use an empty database)")
            _apply_migrations(conn, 0, version, srs.srid, label)
            meta = {
                "profile_id": profile.id,
                "profile_toml": Path(profile.path).read_text(encoding="utf-8"),
                "srid": str(srs.srid), "created_at": utc_iso(dt.datetime.now(dt.timezone.utc)),
                "created_with": f"roadinfra {__version__}",
            }
            with conn.cursor() as cur:
                cur.execute("BEGIN")
                cur.executemany("INSERT INTO db_meta (key, value) VALUES (%s, %s)",
                                list(meta.items()))
                cur.execute("COMMIT")
        except BaseException:
            conn.close()
            raise
        return cls(dsn, conn, label)

    @classmethod
    def open(cls, dsn: str, check_version: bool = True):
        from .targets import Target

        label = str(Target("postgis", dsn))
        conn = connect(dsn, label)
        psycopg2 = _psycopg2()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT to_regclass('public.db_meta') IS NOT NULL")
                if not cur.fetchone()[0]:
                    raise DatabaseError(f"{label}: not a RoadInfra database (no db_meta table)")
            db = cls(dsn, conn, label)
            if check_version:
                db._check_version()
        except psycopg2.Error as exc:  # e.g. a login outside the roadinfra_* roles
            lost = bool(conn.closed)
            conn.close()
            first = (str(exc).strip().splitlines() or ["error"])[0]
            if lost:
                raise DatabaseError(f"{label}: the connection to the server was lost "
                                    f"({first}); nothing was changed: check the connection "
                                    "and try again") from None
            raise DatabaseError(f"{label}: cannot read the RoadInfra metadata: {first} "
                                "(logins need the roadinfra_viewer role or above)") from None
        except BaseException:
            conn.close()
            raise
        return db

    def _upgrade_from(self, old: int) -> None:
        _apply_migrations(self.conn, old, SCHEMA_VERSION, self.srs_id, self.target)

    def close(self) -> None:
        self.conn.close()

    # ---------------------------------------------------------------- hooks
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self.conn.cursor() as cur:
            cur.execute(sql, tuple(params) or None)
            return cur.rowcount

    def _executemany(self, sql: str, rows: List[Sequence[Any]]) -> None:
        psycopg2 = _psycopg2()
        with self.conn.cursor() as cur:
            psycopg2.extras.execute_batch(cur, sql, rows, page_size=500)

    def _query(self, sql: str, params: Sequence[Any] = ()) -> List[tuple]:
        with self.conn.cursor() as cur:
            cur.execute(sql, tuple(params) or None)
            return cur.fetchall()

    def _hold_row(self, table: Table, row_id: Any) -> None:
        """FOR UPDATE before the tombstone's UPDATE: it waits for a session adding a child
        (which holds the row FOR KEY SHARE) without holding the row meanwhile, so that
        session's later edit of the row is not a deadlock (schema PARENT_LOCK)."""
        self._query(f"SELECT 1 FROM {ident(table.name)} WHERE id = %s FOR UPDATE",  # noqa: S608 # nosec B608 # table name from the schema via ident
                    (row_id,))

    def _begin(self) -> None:
        self._execute("BEGIN")

    def _commit(self) -> None:
        extensions = _psycopg2().extensions
        if self.conn.info.transaction_status == extensions.TRANSACTION_STATUS_INERROR:
            # the server would answer COMMIT with a silent ROLLBACK
            self._execute("ROLLBACK")
            raise DatabaseError(f"{self.target}: nothing was written: a statement of this "
                                "transaction failed")
        self._execute("COMMIT")

    def _rollback(self) -> None:
        if not self.conn.closed:  # a lost connection: the server rolled it back
            self._execute("ROLLBACK")

    def _in_transaction(self) -> bool:
        return not self.conn.closed

    def _write_failure(self, exc: BaseException, committing: bool) -> MediumError | None:
        if not self.conn.closed or isinstance(exc, (KeyboardInterrupt, SystemExit)):
            return None
        first = hide_password((str(exc).strip().splitlines() or [type(exc).__name__])[0])
        return MediumError(self.target, f"the connection to the server was lost ({first})",
                           lost=True, committing=committing)

    def _set_user(self, user) -> None:
        if user is not None:
            self._query("SELECT set_config('roadinfra.user', %s, true)", (user,))

    def geometry_from_log(self, value: Any) -> Any:
        if not value:
            return None
        from shapely.geometry import shape

        return shape(json.loads(value) if isinstance(value, str) else value)

    def _geom_param(self) -> str:
        return f"ST_GeomFromWKB(%s, {int(self.srs_id)})"

    def _geom_to_db(self, geom: Any) -> Any:
        return _psycopg2().Binary(wkb.dumps(geom, output_dimension=2))

    def _geom_select(self) -> str:
        return 'ST_AsBinary("geom")'

    def _geom_from_db(self, value: Any) -> Any:
        return None if value is None else wkb.loads(bytes(value))

    def _translate(self, exc: Exception, table: Table, label: str) -> DatabaseError:
        return translate_pg_error(exc, table, label)


def _apply_migrations(conn, current: int, target: int, srid: int, label: str) -> None:
    """Run migration files current+1..target, each in one transaction."""
    for version, path in migrations(current, target):
        sql = path.read_text(encoding="utf-8")
        if current == 0 and version == 1 and f"EPSG:{srid} " not in sql.splitlines()[3]:
            raise DatabaseError(f"{label}: the PostGIS migrations are generated for another "
                                f"grid than EPSG:{srid}; regenerate them for this profile")
        with conn.cursor() as cur:
            try:
                cur.execute("BEGIN")
                cur.execute(sql)
                cur.execute("COMMIT")
            except Exception as exc:
                cur.execute("ROLLBACK")
                raise DatabaseError(f"{label}: migration {path.name} failed: "
                                    f"{str(exc).strip()}") from None
