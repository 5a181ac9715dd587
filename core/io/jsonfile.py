"""JSON documents from users' files: text policy of :mod:`.text`, nesting depth limited."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Union

import numpy as np

from .errors import FileError
from .text import read_text

#: deeper nesting is refused before parsing (no survey or GeoJSON comes near it)
MAX_DEPTH = 200
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def nesting_depth(text: str) -> int:
    """The deepest ``[``/``{`` nesting of a JSON text (brackets inside strings ignored)."""
    bare = _STRING.sub("", text).encode("utf-8", "replace")
    codes = np.frombuffer(bare, dtype=np.uint8)
    step = (np.isin(codes, (0x5B, 0x7B)).astype(np.int64)
            - np.isin(codes, (0x5D, 0x7D)).astype(np.int64))
    return int(np.cumsum(step).max()) if step.size else 0


def parse_json(text: str, source: str, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text; bad JSON or nesting deeper than ``max_depth`` is one FileError."""
    depth = nesting_depth(text)
    if depth > max_depth:
        raise FileError(f"{source}: JSON nested {depth} levels deep (at most {max_depth})")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileError(f"{source}: line {exc.lineno}, column {exc.colno}: not valid JSON: "
                        f"{exc.msg}") from None
    except (ValueError, RecursionError) as exc:  # e.g. a number too long to convert
        raise FileError(f"{source}: not valid JSON: {exc}") from None


def read_json(path: Union[str, Path], what: str = "JSON file",
              max_depth: int = MAX_DEPTH) -> Any:
    """Read and parse a user's JSON file."""
    return parse_json(read_text(path, what).text, str(path), max_depth)
