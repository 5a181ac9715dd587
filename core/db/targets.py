"""Parse a database TARGET: a ``.gpkg`` path, a ``postgresql://`` URL or ``service=NAME``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from .errors import DatabaseError


@dataclass(frozen=True)
class Target:
    kind: str  # "gpkg" or "postgis"
    value: str  # file path, or a libpq connection string / URL

    def __str__(self) -> str:
        if self.kind == "postgis":
            return hide_password(self.value)
        return self.value


# password=... as a URL query parameter or a libpq key/value pair (quoted or not)
_PASSWORD_PARAM = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^&\s]*)", re.IGNORECASE)


def hide_password(text: str) -> str:
    """``text`` with every password replaced by ``***`` (URL user info, password=...)."""
    if "://" in text:
        scheme, _, rest = text.partition("://")
        authority, slash, tail = rest.partition("/")
        creds, at, host = authority.rpartition("@")
        if at and ":" in creds:
            creds = creds.split(":", 1)[0] + ":***"
        text = f"{scheme}://{creds}{at}{host}{slash}{tail}"
    return _PASSWORD_PARAM.sub(r"\1***", text)


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
        f"{hide_password(text)!r}: not a database target; give a .gpkg file, "
        "a postgresql://... URL or service=NAME (pg_service.conf)"
    )
