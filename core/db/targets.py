"""Parse a database TARGET: a ``.gpkg`` path, a ``postgresql://`` URL or ``service=NAME``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Union

from .errors import DatabaseError


@dataclass(frozen=True)
class Target:
    kind: str  # "gpkg" or "postgis"
    value: str  # file path, or a libpq connection string / URL

    def __str__(self) -> str:
        if self.kind == "postgis" and "://" in self.value:
            return _hide_password(self.value)
        return self.value


def _hide_password(url: str) -> str:
    scheme, _, rest = url.partition("://")
    creds, at, host = rest.rpartition("@")
    if at and ":" in creds:
        creds = creds.split(":", 1)[0] + ":***"
    return f"{scheme}://{creds}{at}{host}"


def parse_target(target: Union[str, Path]) -> Target:
    """Which back-end ``target`` names; DatabaseError explains the accepted forms."""
    text = str(target).strip()
    if text.startswith(("postgresql://", "postgres://")):
        return Target("postgis", text)
    if text.startswith("service=") and len(text) > len("service="):
        return Target("postgis", text)
    if text.lower().endswith(".gpkg"):
        return Target("gpkg", str(Path(text)))
    raise DatabaseError(
        f"{text!r}: not a database target; give a .gpkg file, a postgresql://... URL "
        "or service=NAME (pg_service.conf)"
    )
