"""Schema versions and upgrades: the released PostGIS migration files and their checksums.

PostGIS databases are upgraded by applying ``migrations/postgis/NNNN_*.sql`` in order, each
in its own transaction (each file records its version in ``db_meta``). GeoPackages apply
the same logical steps generated in Python (:func:`ddl_gpkg.upgrade_step_sql`). A released
file is never edited: ``RELEASED.txt`` keeps its sha256 and a unit test checks it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Dict, List, Tuple

from .ddl_postgis import migration_filename
from .tables import SCHEMA_VERSION

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations" / "postgis"
RELEASED_FILE = MIGRATIONS_DIR / "RELEASED.txt"


def migration_path(version: int) -> Path:
    return MIGRATIONS_DIR / migration_filename(version)


def migrations(after: int = 0, upto: int = SCHEMA_VERSION) -> List[Tuple[int, Path]]:
    """(version, file) of the migrations that take a database from ``after`` to ``upto``."""
    return [(v, migration_path(v)) for v in range(after + 1, upto + 1)]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def released() -> Dict[str, str]:
    """file name -> sha256 of every released migration (lines ``<sha256>  <file>``)."""
    out = {}
    if RELEASED_FILE.exists():
        for line in RELEASED_FILE.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                digest, name = line.split()
                out[name] = digest
    return out
