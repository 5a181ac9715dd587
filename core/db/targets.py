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


# password=... (or a token, key or secret) as a URL query parameter or a libpq key/value pair
# (quoted or not)
_PASSWORD_PARAM = re.compile(
    r"(\b(?:password|passwd|pwd|secret|client_secret|token|access_token|api_?key|key|"
    r"sig|signature)\s*=\s*)('(?:[^'\\]|\\.)*'|[^&\s]*)", re.IGNORECASE)


def hide_password(text: str) -> str:
    """``text`` with every password replaced by ``***``: the password of a URL's user info,
    and the value of password=, token=, access_token=, api_key=, key=, secret=... (URL query
    parameters and libpq key=value pairs)."""
    if "://" in text:
        scheme, _, rest = text.partition("://")
        authority, slash, tail = rest.partition("/")
        creds, at, host = authority.rpartition("@")
        if at and ":" in creds:
            creds = creds.split(":", 1)[0] + ":***"
        text = f"{scheme}://{creds}{at}{host}{slash}{tail}"
    return _PASSWORD_PARAM.sub(r"\1***", text)


def hides_a_password(text: str) -> bool:
    """Whether ``text`` holds a password :func:`hide_password` replaced by ``***`` (a
    connection recorded for display, e.g. a package's ``package_server``): never to be
    tried as it is."""
    if "://" in text:
        authority = text.partition("://")[2].partition("/")[0]
        creds, at, _ = authority.rpartition("@")
        if at and creds.partition(":")[2] == "***":
            return True
    return any(m.group(2).strip("'") == "***" for m in _PASSWORD_PARAM.finditer(text))


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
