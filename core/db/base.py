"""The database API shared by the GeoPackage and PostGIS back-ends.

A back-end supplies the connection, its placeholder style, how geometry and typed values
travel, and how its constraint errors read; everything else (validation, transactions,
insert/update/tombstone/fetch/history) is here, once.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence

from shapely.ops import unary_union
from shapely.prepared import prep

from ..errors import Cancelled
from ..profile import Profile, ProfileError, check_profile
from ..schema.constraints import parent_links
from ..schema.model import Column, Table
from ..schema.sqlnames import ident
from ..schema.tables import GEOMETRY_COLUMN, SCHEMA_VERSION, TABLES
from .errors import ConflictError, DatabaseError, MediumError, ValidationError
from .validate import (
    PROVINCE_TOLERANCE_M,
    RowValidator,
    convert,
    parse_datetime,
    profile_province_area,
    utc_iso,
)

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python < 3.11
    import tomli as tomllib

Progress = Optional[Callable[[float], None]]
IsCancelled = Optional[Callable[[], bool]]
READ_ONLY_TABLES = ("db_meta", "change_log", "codelist")
BATCH = 1000


class Database:
    """An open RoadInfra database (use :func:`roadinfra.core.db.open_database`)."""

    kind = ""
    placeholder = "?"
    integrity_errors: tuple = ()

    def __init__(self, target: str):
        self.target = target
        self._depth = 0
        self._validators: Dict[str, RowValidator] = {}
        self._area: Any = None
        self._area_loaded = False
        self.profile: Profile | None = None
        self._derive_context: Any = None
        self._current: bool | None = None  # at the current schema version (deriving works)
        #: what deriving said about the rows of the last insert/update/tombstone/restore
        self.warnings: List[Any] = []
        #: the tables whose triggers the last :meth:`upgrade` rewrote (a GeoPackage's)
        self.rewritten_triggers: List[str] = []

    # ------------------------------------------------------------ back-end hooks
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        raise NotImplementedError

    def _executemany(self, sql: str, rows: List[Sequence[Any]]) -> None:
        raise NotImplementedError

    def _query(self, sql: str, params: Sequence[Any] = ()) -> List[tuple]:
        raise NotImplementedError

    def _begin(self) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        """End the transaction; nothing when it is already over (ended by the failure)."""
        raise NotImplementedError

    def _in_transaction(self) -> bool:
        """Whether a transaction is still open on the connection (a failure such as a full
        disk or a lost connection may have ended it)."""
        raise NotImplementedError

    def _write_failure(self, exc: BaseException, committing: bool) -> MediumError | None:
        """The :class:`MediumError` of an error that ended a transaction through its medium
        (disk full, I/O error, connection lost), else None (the error is the rows')."""
        raise NotImplementedError

    def _set_user(self, user: str | None) -> None:
        """Record ``user`` as the application user of the writes that follow in this
        transaction (GeoPackage: their author; PostGIS: ``change_log.app_user`` only, the
        author is the database login)."""
        raise NotImplementedError

    def _param(self, col: Column) -> str:
        """Placeholder for a value of ``col`` (with a cast where the back-end needs one)."""
        return self.placeholder

    def _geom_param(self) -> str:
        raise NotImplementedError

    def _geom_to_db(self, geom: Any) -> Any:
        raise NotImplementedError

    def _geom_select(self) -> str:
        raise NotImplementedError

    def _geom_from_db(self, value: Any) -> Any:
        raise NotImplementedError

    def _to_db(self, col: Column, value: Any) -> Any:
        return value

    def geometry_from_log(self, value: Any) -> Any:
        """A geometry as change_log holds it (GeoPackage: hex of the blob; PostGIS:
        GeoJSON) as shapely."""
        raise NotImplementedError

    def _translate(self, exc: Exception, table: Table, label: str) -> DatabaseError:
        raise NotImplementedError

    def _order_key(self, table: Table) -> str:
        """Default row order: the table's key."""
        if "id" in table.column_names:
            return '"id"'
        if table.unique_together:
            return ", ".join(ident(c) for c in table.unique_together[0])
        return ", ".join(ident(c.name) for c in table.columns if c.unique)

    def close(self) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------ life cycle
    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.target}>"

    def meta(self, key: str) -> str | None:
        sql = f"SELECT value FROM db_meta WHERE key = {self.placeholder}"  # noqa: S608 # nosec B608 # placeholder: the back-end's constant
        rows = self._query(sql, (key,))
        return rows[0][0] if rows else None

    def schema_version(self) -> int:
        """``db_meta.schema_version``; DatabaseError when it is missing or not a version."""
        value = self.meta("schema_version")
        if value is None:
            raise DatabaseError(f"{self.target}: db_meta has no schema_version: not a "
                                "RoadInfra database, or a damaged one")
        text = str(value).strip()
        if not text.isdigit() or int(text) < 1:
            raise DatabaseError(f"{self.target}: db_meta schema_version {value!r} is not a "
                                f"schema version (1, 2, ...): the database is damaged or was "
                                "not made by RoadInfra")
        return int(text)

    def _load_profile(self) -> Profile:
        """The jurisdiction profile stored in db_meta (checked like a profile file)."""
        text = self.meta("profile_toml")
        if not text:
            raise DatabaseError(f"{self.target}: db_meta has no profile_toml")
        try:
            data = tomllib.loads(str(text))
            check_profile(self.target, data, stored=True)
            profile_id = self.meta("profile_id") or str(data["profile"]["id"])
            profile = Profile(id=profile_id, path=Path(str(self.target)), data=data)
            profile.crs_epsg, profile.district_codes  # noqa: B018 - checks the two it needs
        except (tomllib.TOMLDecodeError, ProfileError, KeyError, TypeError, ValueError,
                AttributeError) as exc:
            problem = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            problem = problem.replace(f"{self.target}: ", "")
            raise DatabaseError(f"{self.target}: the profile stored in db_meta (profile_toml) "
                                f"is not a valid RoadInfra profile: {problem}") from None
        return profile

    def _check_version(self) -> None:
        version = self.schema_version()
        if version < SCHEMA_VERSION:
            raise DatabaseError(
                f"{self.target}: schema version {version} is older than this RoadInfra's "
                f"{SCHEMA_VERSION}; upgrade it first: roadinfra db upgrade {self.target}")
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"{self.target}: schema version {version} is newer than this RoadInfra's "
                f"{SCHEMA_VERSION}; update RoadInfra")

    def _srid(self) -> int:
        value = str(self.meta("srid") or "0").strip()
        if not value.isdigit():
            raise DatabaseError(f"{self.target}: db_meta srid {value!r} is not an EPSG code: "
                                "the database is damaged or was not made by RoadInfra")
        return int(value)

    def check_integrity(self) -> None:
        """DatabaseError when the storage is damaged (GeoPackage: SQLite's quick_check);
        the server keeps a PostGIS database consistent."""

    def upgrade(self) -> tuple:
        """Apply the upgrade steps up to the current schema version; returns (old, new)."""
        old = self.schema_version()
        if old > SCHEMA_VERSION:
            self._check_version()  # newer than this RoadInfra: says so
        if old < SCHEMA_VERSION:
            self._upgrade_from(old)
            self._current = None
        return old, SCHEMA_VERSION

    def _upgrade_from(self, old: int) -> None:
        """Back-end hook: take the schema from version ``old`` to SCHEMA_VERSION."""
        raise NotImplementedError

    # ------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """All-or-nothing block; nested blocks join the outer one (as savepoints)."""
        if self._depth == 0:
            try:
                self._begin()
            except Exception as exc:  # e.g. the connection lost just before
                failure = self._write_failure(exc, committing=False)
                if failure is not None:
                    raise failure from None
                raise
            self._depth = 1
            try:
                yield self
            except BaseException as exc:
                self._depth = 0
                self._rollback()  # (a no-op when the failure ended the transaction)
                self._area_loaded = False
                if self._derive_context is not None:
                    self._derive_context.forget_codes()  # codes handed out were not written
                failure = self._write_failure(exc, committing=False)
                if failure is not None:  # the disk or the connection, said in one line
                    raise failure from None
                raise
            self._depth = 0
            try:
                self._commit()
            except Exception as exc:
                failure = self._write_failure(exc, committing=True)
                if failure is not None:
                    raise failure from None
                raise
            return
        begin, rollback, release = savepoint_statements(self._depth)
        self._execute(begin)
        self._depth += 1
        try:
            yield self
        except BaseException:
            if self._in_transaction():  # else the failure ended it: its error is raised
                self._execute(rollback)
                self._execute(release)
            self._area_loaded = False
            raise
        finally:
            self._depth -= 1
        self._execute(release)

    # ------------------------------------------------------------ helpers
    def _table(self, name: str, write: bool = False) -> Table:
        try:
            table = TABLES[name]
        except KeyError:
            raise DatabaseError(f"no table {name!r} in the RoadInfra schema") from None
        if write and name in READ_ONLY_TABLES:
            raise DatabaseError(f"{name} is maintained by RoadInfra and cannot be written")
        return table

    def validator(self, table: Table) -> RowValidator:
        if table.name not in self._validators:
            districts = self.profile.district_codes if self.profile else ()
            self._validators[table.name] = RowValidator(table, districts, self.province_area)
        return self._validators[table.name]

    def province_area(self):
        """(prepared province polygon grown by the tolerance, description) or None."""
        if self._area_loaded:
            return self._area
        self._area_loaded = True
        self._area = None
        name = "the province"
        if self.profile is not None:
            name = f"the province ({self.profile.section('province').get('name_en', '')})"
        sql = (f"SELECT {self._geom_select()} FROM admin_unit "  # noqa: S608 # nosec B608 # schema names, geometry select of the back-end
               f"WHERE level = {self.placeholder} AND deleted_at IS NULL")
        geoms = [self._geom_from_db(r[0]) for r in self._query(sql, ("province",))
                 if r[0] is not None]
        if geoms:
            area = unary_union(geoms).buffer(PROVINCE_TOLERANCE_M)
            self._area = (prep(area), f"{name} polygon (+{PROVINCE_TOLERANCE_M:.0f} m)")
            return self._area
        if self.profile is not None:
            self._area = profile_province_area(self.profile, name)
        return self._area

    def _columns_sql(self, table: Table, names: Sequence[str]) -> str:
        return ", ".join(ident(n) for n in names)

    def _values_sql(self, table: Table, names: Sequence[str]) -> str:
        out = []
        for name in names:
            if name == GEOMETRY_COLUMN:
                out.append(self._geom_param())
            else:
                out.append(self._param(table.column(name)))
        return ", ".join(out)

    def _db_values(self, table: Table, names: Sequence[str], row: Mapping[str, Any]) -> list:
        values = []
        for name in names:
            value = row[name]
            if value is None:
                values.append(None)
            elif name == GEOMETRY_COLUMN:
                values.append(self._geom_to_db(value))
            else:
                values.append(self._to_db(table.column(name), value))
        return values

    # ------------------------------------------------------------ deriving
    def derive_context(self):
        """The :class:`~roadinfra.core.derive.DeriveContext` of this database (kept; it
        forgets routes, posts and districts when they are written)."""
        if self._derive_context is None:
            from ..derive import DeriveContext

            self._derive_context = DeriveContext(self)
        return self._derive_context

    def _derives(self, table: Table) -> bool:
        """Deriving reads the current schema: not on a database still to be upgraded."""
        from ..derive import derived_tables

        if self._current is None:
            self._current = self.schema_version() == SCHEMA_VERSION
        return self._current and table.name in derived_tables()

    def _written(self, table: Table) -> None:
        """Forget what deriving read from ``table``."""
        if self._derive_context is not None:
            from ..derive.context import SOURCE_TABLES

            if table.name in SOURCE_TABLES:
                self._derive_context.forget(table.name)

    def derive_dependents(self, pairs: Iterable[tuple], user: str | None, *,
                          typed: Mapping[tuple, Iterable[str]] | None = None,
                          bounds: Mapping[str, Mapping[str, str]] | None = None) -> None:
        """Derive again the rows whose derived values depend on rows just written (a
        survey after its distresses, a section after its surveys, ...), each a logged
        change of its own. A sync gives ``typed``: (table, id) -> the fields it wrote to
        that row (they stay as typed), and ``bounds``: table -> the merge's ``min``/``max``
        rules (:func:`roadinfra.core.derive.derive_row`)."""
        from ..derive import derive_row
        from ..derive.rows import dependent_typed

        todo = list(dict.fromkeys(pairs))
        seen = set()
        while todo:
            name, row_id = todo.pop(0)
            if (name, row_id) in seen:
                continue
            seen.add((name, row_id))
            rows = self.fetch(name, where={"id": row_id})
            if not rows:
                continue
            result = derive_row(self.derive_context(), name, rows[0],
                                typed_fields=dependent_typed(name, rows[0])
                                + list((typed or {}).get((name, row_id), ())),
                                bounds=(bounds or {}).get(name))
            self.warnings.extend(result.warnings)
            if result.changes:
                self._update(name, row_id, result.changes, user, rows[0]["revision"], False)
            todo.extend(p for p in result.dependents if p not in seen)

    # ------------------------------------------------------------ writing
    def insert(self, table_name: str, rows: Iterable[Mapping[str, Any]],
               user: str | None = None, progress: Progress = None,
               is_cancelled: IsCancelled = None, *, derive: bool = True) -> List[str]:
        """Validate and insert ``rows``; return their ids (generated uuid4 when absent).

        With ``derive`` (the default) each row first gets its derived values
        (:func:`roadinfra.core.derive.derive_row`; the given non-empty values count as
        typed), and the rows depending on it are derived again afterwards; what deriving
        said is in :attr:`warnings`.
        """
        table = self._table(table_name, write=True)
        validator = self.validator(table)
        self.warnings = []
        derive = derive and self._derives(table)
        dependents: list = []
        cleaned = []
        for index, row in enumerate(rows, 1):
            if derive:
                from ..derive import derive_row

                result = derive_row(self.derive_context(), table.name, row, typed_fields=None)
                self.warnings.extend(result.warnings)
                row = result.row
            clean = validator.clean(row, index)
            if table.has_id and clean.get("id") is None:
                clean["id"] = str(uuid.uuid4())
            cleaned.append((clean, validator.label(clean, index)))
        if not cleaned:
            return []
        done = 0
        with self.transaction():
            self._set_user(user)
            keyfunc = lambda item: tuple(item[0])  # noqa: E731 - group rows by their columns
            for names, group in itertools.groupby(cleaned, key=keyfunc):
                group = list(group)
                sql = (f"INSERT INTO {ident(table.name)} "  # noqa: S608 # nosec B608 # names via sqlnames.ident
                       f"({self._columns_sql(table, names)}) "
                       f"VALUES ({self._values_sql(table, names)})")
                for start in range(0, len(group), BATCH):
                    if is_cancelled is not None and is_cancelled():
                        raise Cancelled(f"{table.name}: insert cancelled, nothing written")
                    chunk = group[start:start + BATCH]
                    self._insert_chunk(table, sql, names, chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(100.0 * done / len(cleaned))
            if table.name == "admin_unit":
                self._area_loaded = False
            self._written(table)
            if derive:
                from ..derive.rows import dependents_of

                for clean, _label in cleaned:
                    dependents.extend(dependents_of(table.name, clean))
                self.derive_dependents(dependents, user)
        return [c.get("id") for c, _ in cleaned]

    def _insert_chunk(self, table, sql, names, chunk) -> None:
        params = [self._db_values(table, names, clean) for clean, _ in chunk]
        try:
            with self.transaction():
                self._executemany(sql, params)
        except self.integrity_errors as exc:
            first = exc
        else:
            return
        # Find the offending row one at a time (inside a savepoint that is rolled back).
        for (clean, label), values in zip(chunk, params):
            try:
                with self.transaction():
                    self._execute(sql, values)
            except self.integrity_errors as exc:
                raise self._error(exc, table, label, clean) from None
        raise self._error(first, table, chunk[0][1], None) from None

    def _live_row(self, table: Table, row_id: str) -> Dict[str, Any]:
        rows = self.fetch(table.name, where={"id": self._uuid(table, row_id)},
                          include_deleted=True)
        if not rows:
            raise DatabaseError(f"{table.name} {row_id}: no such row")
        if table.versioned and rows[0].get("deleted_at") is not None:
            raise DatabaseError(f"{table.name} {rows[0].get('code') or row_id}: the row is "
                                f"deleted (tombstoned)")
        return rows[0]

    def update(self, table_name: str, row_id: str, changes: Mapping[str, Any],
               user: str | None = None, *, revision: int | None = None,
               derive: bool = True, typed: Iterable[str] = (),
               bounds: Mapping[str, Mapping[str, str]] | None = None) -> None:
        """Change fields of one row; the database bumps its revision and logs old/new values.

        ``revision`` is the revision the caller read the row at (``row["revision"]``): if
        the row changed since, nothing is written and ConflictError says so (read it again
        and redo the change). Without it the change applies to whatever is current.
        With ``derive`` the row's derived values follow the change (the changed fields
        count as typed) and so do the rows depending on it; see :attr:`warnings`. A
        resolve of a sync's conflict gives ``typed``, more fields that count as typed, and
        ``bounds`` (:meth:`derive_dependents`).
        """
        self.warnings = []
        with self.transaction():
            self._update(table_name, row_id, changes, user, revision, derive, typed, bounds)

    def _update(self, table_name, row_id, changes, user, revision, derive, typed=(),
                bounds=None) -> None:
        table = self._table(table_name, write=True)
        if not table.has_id:
            raise DatabaseError(f"{table.name}: rows have no id to update")
        current = self._live_row(table, row_id)
        label = str(current.get("code") or row_id)
        if "id" in changes:
            raise ValidationError(table.name, label, "id", "field 'id' cannot be changed")
        self._check_revision(table, label, current, revision)
        dependents: list = []
        if derive and self._derives(table):
            from ..derive import derive_row
            from ..derive.rows import dependents_of

            unknown = [k for k in changes if k not in table.column_names
                       and k != GEOMETRY_COLUMN]
            if not unknown:  # an unknown field is the validator's to name
                result = derive_row(self.derive_context(), table.name,
                                    {**current, **changes},
                                    typed_fields=[*changes, *typed],
                                    bounds=(bounds or {}).get(table.name))
                self.warnings.extend(result.warnings)
                changes = {**changes, **result.changes}
                # those under the row's parent as it was and as it is (a moved distress)
                dependents = dependents_of(table.name, current) + result.dependents
        clean = self.validator(table).clean(changes, partial=True, label=label)
        if not clean:
            return
        names = list(clean)
        params = [self._geom_param() if n == GEOMETRY_COLUMN else self._param(table.column(n))
                  for n in names]
        values = self._db_values(table, names, clean)
        self._write_row(table, current, label, names, params, values, user, revision, clean)
        self._written(table)
        if dependents:
            self.derive_dependents(dependents, user, bounds=bounds)

    def _check_revision(self, table: Table, label: str, current: Mapping[str, Any],
                        revision: int | None) -> None:
        if revision is None or not table.versioned:
            return
        if isinstance(revision, bool) or not isinstance(revision, int):
            raise DatabaseError(f"{table.name} {label}: revision {revision!r} is not a "
                                "revision number (give the row's 'revision' as read)")
        if current.get("revision") != revision:
            raise ConflictError(
                f"{table.name} {label}: changed by someone else since it was read (it is at "
                f"revision {current.get('revision')}, the change is based on revision "
                f"{revision}): read it again and redo the change")

    def _write_row(self, table: Table, current: Mapping[str, Any], label: str,
                   names: List[str], params: List[str], values: list, user: str | None,
                   revision: int | None, row: Mapping[str, Any] | None) -> int:
        """UPDATE one row by id in its own transaction; with ``revision`` the database
        itself refuses the write when the row moved on meanwhile (its revision trigger)."""
        sets = [f"{ident(n)} = {p}" for n, p in zip(names, params)]
        if revision is not None and table.versioned:
            sets.append(f"{ident('revision')} = {self._param(table.column('revision'))}")
            values = values + [revision]
        where = f"id = {self.placeholder}"
        if "deleted_at" in names:
            where += " AND deleted_at IS NULL"
        sql = (f"UPDATE {ident(table.name)} SET {', '.join(sets)} "  # noqa: S608 # nosec B608 # names via sqlnames.ident
               f"WHERE {where}")
        with self.transaction():
            self._set_user(user)
            try:
                with self.transaction():
                    count = self._execute(sql, values + [current["id"]])
            except self.integrity_errors as exc:
                raise self._error(exc, table, label, row) from None
            self._check_written(table, label, count)
            if table.name == "admin_unit":
                self._area_loaded = False
        return count

    def _key(self, table: Table, col: Column, value: Any) -> Any:
        """A filter value in the form the column is stored in (UUID text, ISO date, UTC
        date-time text): a datetime compared as given would never equal the stored text."""
        if col.type == "uuid":
            return self._uuid(table, value)
        if col.type in ("date", "datetime"):
            try:
                return convert(col, value)
            except (TypeError, ValueError):
                raise DatabaseError(f"{table.name}: cannot filter {col.name} on {value!r}: "
                                    f"not a {col.type}") from None
        return value

    @staticmethod
    def _uuid(table: Table, value: Any) -> str:
        try:
            return str(uuid.UUID(str(value)))
        except ValueError:
            raise DatabaseError(f"{table.name}: {value!r} is not a row id (UUID)") from None

    def _error(self, exc: Exception, table: Table, label: str,
               row: Mapping[str, Any] | None) -> DatabaseError:
        """The back-end's error as a ValidationError; names the field of a broken reference."""
        err = self._translate(exc, table, label)
        if isinstance(err, ValidationError) and err.problem.startswith("a referenced row") and row:
            for col in table.columns:
                value = row.get(col.name)
                if col.references and value is not None:
                    sql = (f"SELECT count(*) FROM {ident(col.references)} "  # noqa: S608 # nosec B608 # names via sqlnames.ident
                           f"WHERE id = {self.placeholder}")
                    if not self._query(sql, (value,))[0][0]:
                        return ValidationError(table.name, label, col.name,
                                               f"field '{col.name}' = '{value}' refers to no "
                                               f"{col.references} row")
        return err

    def _check_written(self, table: Table, label: str, count: int | None) -> None:
        if count == 0:
            raise DatabaseError(f"{table.name} {label}: not written (you may not edit this row)")

    def tombstone(self, table_name: str, row_id: str, user: str | None = None, *,
                  revision: int | None = None) -> None:
        """Mark a row deleted (``deleted_at``); it stays in the database and its history.
        ``revision`` as in :meth:`update`."""
        table = self._table(table_name, write=True)
        if not table.versioned:
            raise DatabaseError(f"{table.name}: rows of this table are not versioned "
                                f"and cannot be tombstoned")
        current = self._live_row(table, row_id)
        label = str(current.get("code") or row_id)
        self._check_revision(table, label, current, revision)
        now = utc_iso(dt.datetime.now(dt.timezone.utc))
        self.warnings = []
        with self.transaction():
            self._hold_row(table, current["id"])
            self._write_row(table, current, label, ["deleted_at"],
                            [self._param(table.column("deleted_at"))], [now], user, revision,
                            None)
            self._written(table)
            self._after_tombstone(table, current, user)

    def restore(self, table_name: str, row_id: str, user: str | None = None, *,
                revision: int | None = None, owners: Mapping[str, Any] | None = None) -> None:
        """Bring a tombstoned row back (logged as RESTORE); the children tombstoned with it
        come back too. ``revision`` as in :meth:`update` (the tombstone's revision).
        ``owners``: new values of the row's parent (or attachment) columns, written with the
        restore (a resolve restoring a row the crew moved to another parent): the row comes
        back under them, and they, not the tombstone's, must be live."""
        table = self._table(table_name, write=True)
        if not table.versioned:
            raise DatabaseError(f"{table.name}: rows of this table are not versioned")
        rows = self.fetch(table.name, where={"id": self._uuid(table, row_id)},
                          include_deleted=True)
        if not rows:
            raise DatabaseError(f"{table.name} {row_id}: no such row")
        current = rows[0]
        label = str(current.get("code") or row_id)
        if current.get("deleted_at") is None:
            raise DatabaseError(f"{table.name} {label}: the row is not deleted")
        self._check_revision(table, label, current, revision)
        moved = self._owner_values(table, label, owners or {})
        self._check_owner_live(table, {**current, **moved})
        sets = f"{ident('deleted_at')} = NULL"
        values: list = []
        for name, value in moved.items():
            sets += f", {ident(name)} = {self._param(table.column(name))}"
            values.append(value)
        if revision is not None:
            sets += f", {ident('revision')} = {self._param(table.column('revision'))}"
            values.append(revision)
        sql = (f"UPDATE {ident(table.name)} SET {sets} "  # noqa: S608 # nosec B608 # names via sqlnames.ident
               f"WHERE id = {self.placeholder} AND deleted_at IS NOT NULL")
        self.warnings = []
        with self.transaction():
            self._set_user(user)
            try:
                with self.transaction():
                    count = self._execute(sql, values + [current["id"]])
            except self.integrity_errors as exc:
                raise self._error(exc, table, label, current) from None
            self._check_written(table, label, count)
            self._written(table)
            self._after_tombstone(table, current, user)

    def _owner_values(self, table: Table, label: str, owners: Mapping[str, Any]) -> dict:
        """``owners`` checked (only the row's parent and attachment columns) and cleaned, as
        the database stores them."""
        allowed = {column for column, _ in parent_links(table)}
        if table.attached_to is not None:
            allowed.update(table.attached_to)
        other = sorted(set(owners) - allowed)
        if other:
            raise DatabaseError(f"{table.name} {label}: a restore sets only the row's parent "
                                f"columns, not {', '.join(other)}")
        clean = self.validator(table).clean(dict(owners), partial=True, label=label)
        names = list(clean)
        return dict(zip(names, self._db_values(table, names, clean)))

    def _check_owner_live(self, table: Table, row: Mapping[str, Any]) -> None:
        """Refuse to bring ``row`` back under a deleted owner (its parent, or the row it is
        attached to), as PostGIS's live-parent guard does for every writer: a GeoPackage has
        no such guard, and a restored child would be live under a tombstone."""
        owners = [(parent, row.get(column)) for column, parent in parent_links(table)]
        if table.attached_to is not None:
            kind, column = table.attached_to
            if row.get(kind) in TABLES and TABLES[row.get(kind)].versioned:
                owners.append((row.get(kind), row.get(column)))
        for parent, parent_id in owners:
            if parent_id is None:
                continue
            found = self.fetch(parent, where={"id": parent_id}, include_deleted=True)
            if found and found[0].get("deleted_at") is not None:
                owner = f"{parent} {found[0].get('code') or parent_id}"
                raise DatabaseError(
                    f"{owner} is deleted (a tombstone): a live {table.name} cannot be "
                    f"written under it; restore {owner} first")

    def _hold_row(self, table: Table, row_id: Any) -> None:
        """Hold a row about to be tombstoned until the transaction ends, before it is
        written (a GeoPackage's writing transaction holds the whole file)."""

    def _after_tombstone(self, table: Table, row: Mapping[str, Any], user) -> None:
        """A row went or came back: derive again the rows that depend on it."""
        if self._derives(table):
            from ..derive.rows import dependents_of

            self.derive_dependents(dependents_of(table.name, row), user)

    # ------------------------------------------------------------ reading
    def _from_db(self, col: Column, value: Any) -> Any:
        if value is None:
            return None
        if col.type == "boolean":
            return bool(value)
        if col.type == "date" and isinstance(value, str):
            return dt.date.fromisoformat(value)
        if col.type == "datetime":
            if isinstance(value, str):
                return parse_datetime(value)
            return value.astimezone(dt.timezone.utc)
        if col.type == "json" and isinstance(value, str):
            return json.loads(value)
        if col.type == "uuid":
            return str(value)
        return value

    def fetch(self, table_name: str, where: Mapping[str, Any] | None = None,
              include_deleted: bool = False,
              order_by: Sequence[str] | None = None) -> List[Dict[str, Any]]:
        """Rows as dicts (column -> value, ``geom`` as shapely); tombstoned rows left out."""
        table = self._table(table_name)
        cols = self._present_columns(table)
        select = [ident(c.name) for c in cols]
        if table.geometry:
            select.append(self._geom_select())
        clauses, params = [], []
        for key, value in (where or {}).items():
            col = table.column(key) if key in table.column_names else None
            if col is None:
                raise DatabaseError(f"{table.name}: cannot filter on unknown column {key!r}")
            if value is None:
                clauses.append(f"{ident(key)} IS NULL")
            elif isinstance(value, (list, tuple, set)):
                values = list(value)
                if not values:
                    return []
                values = [self._key(table, col, v) for v in values]
                clauses.append(f"{ident(key)} IN ({', '.join([self.placeholder] * len(values))})")
                params += [self._to_db(col, v) for v in values]
            else:
                value = self._key(table, col, value)
                clauses.append(f"{ident(key)} = {self.placeholder}")
                params.append(self._to_db(col, value))
        if table.versioned and not include_deleted:
            clauses.append("deleted_at IS NULL")
        sql = f"SELECT {', '.join(select)} FROM {ident(table.name)}"  # noqa: S608 # nosec B608 # names via sqlnames.ident
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        if order_by:
            sql += " ORDER BY " + ", ".join(ident(table.column(n).name) for n in order_by)
        else:
            sql += " ORDER BY " + self._order_key(table)
        out = []
        for record in self._query(sql, params):
            row = {c.name: self._from_db(c, v) for c, v in zip(cols, record)}
            if table.geometry:
                row[GEOMETRY_COLUMN] = self._geom_from_db(record[len(cols)])
            out.append(row)
        return out

    def _present_columns(self, table: Table) -> List[Column]:
        """The table's columns this database has (a database still to be upgraded lacks
        the later ones; SQLite would read a missing quoted name as a text constant)."""
        if self._current is None:
            self._current = self.schema_version() == SCHEMA_VERSION
        if self._current:
            return list(table.columns)
        from ..schema.tables import tables_at

        old = tables_at(min(self.schema_version(), SCHEMA_VERSION)).get(table.name)
        return list(old.columns) if old is not None else list(table.columns)

    def count(self, table_name: str, include_deleted: bool = False) -> int:
        table = self._table(table_name)
        sql = f"SELECT count(*) FROM {ident(table.name)}"  # noqa: S608 # nosec B608 # names via sqlnames.ident
        if table.versioned and not include_deleted:
            sql += " WHERE deleted_at IS NULL"
        return int(self._query(sql)[0][0])

    def revisions(self, table_name: str, row_id: str) -> list:
        """The row's history as :class:`~roadinfra.core.db.history.Revision` objects."""
        from .history import revisions

        return revisions(self, self._table(table_name).name, row_id)

    def restore_revision(self, table_name: str, row_id: str, revision: int, *,
                         based_on: int, user: str | None = None) -> Dict[str, Any]:
        """See :func:`roadinfra.core.db.history.restore_revision`."""
        from .history import restore_revision

        return restore_revision(self, self._table(table_name, write=True).name, row_id,
                                revision, based_on=based_on, user=user)

    def set_default_author(self, name: str | None) -> None:
        """GeoPackage: the author of edits made outside the DB API (QGIS, QField) from now
        on (db_meta ``app_user``); PostGIS: nothing (the author is the login)."""

    def history(self, table_name: str, row_id: str) -> List[Dict[str, Any]]:
        """The change_log entries of one row, oldest first (old/new values as dicts)."""
        table = self._table(table_name)
        return self.fetch("change_log", where={"table_name": table.name, "row_id": row_id},
                          order_by=["id"])

    def counts(self) -> Dict[str, int]:
        """Live rows per table (all tables of the schema)."""
        return {name: self.count(name) for name in TABLES}


def savepoint_statements(depth: int) -> tuple:
    """SAVEPOINT / ROLLBACK TO / RELEASE for nesting level ``depth`` (an int, never input:
    savepoint names cannot be bound as parameters)."""
    name = "ri_sp_" + str(int(depth))
    return "SAVEPOINT " + name, "ROLLBACK TO SAVEPOINT " + name, "RELEASE SAVEPOINT " + name
