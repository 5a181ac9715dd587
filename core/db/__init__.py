"""RoadInfra databases: one API over the GeoPackage and PostGIS back-ends.

>>> db = create_database("x.gpkg")                       # doctest: +SKIP
>>> with db.transaction():                               # doctest: +SKIP
...     ids = db.insert("bridge", rows, user="demo")
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

from ..errors import Cancelled
from ..profile import Profile, load_profile
from ..schema.tables import SCHEMA_VERSION, TABLES, tables_at
from .base import Database, IsCancelled, Progress
from .errors import ConflictError, DatabaseError, ValidationError
from .targets import Target, parse_target

__all__ = [
    "ConflictError", "Database", "DatabaseError", "ValidationError", "create_database",
    "open_database", "upgrade_database", "parse_target", "database_info",
]

ProfileLike = Union[Profile, str, Path, None]


def _profile(profile: ProfileLike) -> Profile:
    return profile if isinstance(profile, Profile) else load_profile(profile)


def create_database(target: Union[str, Path], profile: ProfileLike = None, *,
                    version: int | None = None) -> Database:
    """Create a RoadInfra database at the latest schema (``version`` only for upgrade tests).

    ``target`` is a ``.gpkg`` path, a ``postgresql://`` URL or ``service=NAME``; an existing
    non-empty database is never overwritten (DatabaseError).
    """
    parsed = parse_target(target)
    version = SCHEMA_VERSION if version is None else int(version)
    if not 1 <= version <= SCHEMA_VERSION:
        raise DatabaseError(f"schema version {version} does not exist (1..{SCHEMA_VERSION})")
    if parsed.kind == "gpkg":
        from .gpkg import GeoPackageDatabase

        return GeoPackageDatabase.create(parsed.value, _profile(profile), version)
    from .postgis import PostgisDatabase

    return PostgisDatabase.create(parsed.value, _profile(profile), version)


def open_database(target: Union[str, Path, Target], *, check_version: bool = True) -> Database:
    """Open an existing RoadInfra database; an old schema asks for ``roadinfra db upgrade``
    (``check_version=False`` opens it anyway, for upgrading and describing it)."""
    parsed = target if isinstance(target, Target) else parse_target(target)
    if parsed.kind == "gpkg":
        from .gpkg import GeoPackageDatabase

        return GeoPackageDatabase.open(parsed.value, check_version=check_version)
    from .postgis import PostgisDatabase

    return PostgisDatabase.open(parsed.value, check_version=check_version)


def upgrade_database(target: Union[str, Path],
                     rewritten: Optional[List[str]] = None) -> Tuple[int, int]:
    """Bring a database to the current schema version, keeping every row; (old, new).
    A damaged GeoPackage, or one this RoadInfra cannot upgrade, is refused unchanged.
    ``rewritten``, when given, receives the tables whose triggers were brought to this
    RoadInfra's (a GeoPackage's guard made stricter within a schema version)."""
    db = open_database(target, check_version=False)
    try:
        db.check_integrity()
        out = db.upgrade()
        if rewritten is not None:
            rewritten.extend(db.rewritten_triggers)
        return out
    finally:
        db.close()


def database_info(target: Union[str, Path], progress: Progress = None,
                  is_cancelled: IsCancelled = None) -> dict:
    """What a database holds, the one answer every face shows: schema version (found and
    current) and what to do about it (``status``: ``current``, ``upgrade`` or ``newer``),
    profile, grid, and per table the live rows (``rows``) and the tombstoned ones
    (``tombstoned``). Works on a database that still needs an upgrade (tables it lacks
    count as None); a damaged GeoPackage is a DatabaseError."""
    parsed = parse_target(target)
    db = open_database(parsed, check_version=False)
    try:
        db.check_integrity()
        version = db.schema_version()
        present = tables_at(min(version, SCHEMA_VERSION))  # later tables count as None
        counts: Dict[str, Optional[int]] = {}
        tombstoned: Dict[str, Optional[int]] = {}
        for done, name in enumerate(TABLES, 1):
            if is_cancelled is not None and is_cancelled():
                raise Cancelled(f"{parsed}: database information cancelled")
            counts[name] = _count(db, name) if name in present else None
            tombstoned[name] = (_count(db, name, True) - counts[name]
                                if name in present and TABLES[name].versioned else None)
            if progress is not None:
                progress(100.0 * done / len(TABLES))
        status = ("current" if version == SCHEMA_VERSION
                  else "upgrade" if version < SCHEMA_VERSION else "newer")
        return {
            "target": str(parsed), "backend": parsed.kind,
            "schema_version": version, "current_version": SCHEMA_VERSION, "status": status,
            "profile": db.profile.id if db.profile else None,
            "srid": db.srs_id, "created_with": db.meta("created_with"), "rows": counts,
            "tombstoned": tombstoned,
        }
    finally:
        db.close()


def _count(db: Database, name: str, include_deleted: bool = False) -> int:
    try:
        return db.count(name, include_deleted=include_deleted)
    except Exception as exc:  # e.g. a login without the rights to read the table
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseError(f"{db.target}: cannot count the rows of {name}: {first}") from None
