"""TOML documents (profiles, rating schemes, import mappings) and their typed entries.

TOML files are UTF-8 by the TOML specification. Every problem (missing, a folder, not
UTF-8, not TOML, an entry of the wrong type or not finite) is one line naming the file
and the key, raised as the caller's error class.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Mapping, Type

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python < 3.11
    import tomli as tomllib

from ..errors import RoadInfraError
from .errors import FileError, one_line
from .paths import read_bytes

_MISSING = object()


def read_toml(path: Path, error: Type[RoadInfraError], what: str) -> dict[str, Any]:
    """Parse ``path``; any failure raises ``error`` with one line naming the file."""
    try:
        data = read_bytes(path, what)
    except FileError as exc:
        raise error(str(exc)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(f"{path}: line {line}: not UTF-8 text (a {what} is UTF-8)") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML: {one_line(exc)}") from None
    except RecursionError:
        raise error(f"{path}: not valid TOML: nested too deeply") from None


def _kind_name(value: Any) -> str:
    return {bool: "true/false", str: "text", int: "a whole number", float: "a number",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


def toml_entry(doc: Mapping[str, Any], key: str, kind: str, source: Path | str,
               error: Type[RoadInfraError], default: Any = _MISSING,
               section: str = "") -> Any:
    """``doc[key]`` checked to be of ``kind``: ``number`` (finite int or float), ``int``,
    ``text``, ``char`` (one character), ``numbers`` (a list of finite numbers) or ``table``.
    A missing key gives ``default``, or an error without one. ``doc`` is the table of
    ``section`` (named in messages: ``[crs] central_meridian``), or the whole document."""
    label = f"[{section}] {key}" if section else (f"[{key}]" if kind == "table" else key)
    if key not in doc:
        if default is _MISSING:
            raise error(f"{source}: {label} is missing")
        return default
    value = doc[key]

    def number_ok(v: Any) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)

    ok = {
        "number": number_ok(value),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "text": isinstance(value, str),
        "char": isinstance(value, str) and len(value) == 1,
        "numbers": isinstance(value, list) and all(number_ok(v) for v in value),
        "table": isinstance(value, dict),
    }[kind]
    if not ok:
        expected = {"number": "a finite number", "int": "a whole number", "text": "text",
                    "char": "one character", "numbers": "a list of finite numbers",
                    "table": "a table"}[kind]
        raise error(f"{source}: {label} must be {expected}, not {one_line(repr(value), 60)} "
                    f"({_kind_name(value)})")
    return value
