"""Quoting of SQL identifiers and literals that come from the schema definition.

Values always travel as query parameters; only names and constants written in
``core/schema/tables.py`` are spliced into SQL text, and only through these helpers,
which refuse anything that is not a plain lower-case name.
"""

from __future__ import annotations

import re
from typing import Union

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def ident(name: str) -> str:
    """``name`` double-quoted, after checking it is a plain schema name."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"not a schema identifier: {name!r}")
    return f'"{name}"'


def literal(value: Union[str, int, float]) -> str:
    """A SQL literal for a constant of the schema definition (code, bound, label)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {value!r}")
