"""An input path: an existing, readable file. A folder, a missing file or a device is refused
with one line naming the path."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Union

from .errors import FileError


def input_file(path: Union[str, Path], what: str = "input file") -> Path:
    """``path`` as a Path after checking that it names a readable regular file."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise FileError(f"{path}: {what} not found") from None
    except OSError as exc:
        raise FileError(f"{path}: cannot open the {what}: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise FileError(f"{path}: is a folder, not a {what}")
    if not stat.S_ISREG(mode):
        raise FileError(f"{path}: is not a regular file (a device or a pipe), not a {what}")
    if not os.access(path, os.R_OK):
        raise FileError(f"{path}: cannot read the {what}: permission denied")
    return path


def read_bytes(path: Union[str, Path], what: str = "input file") -> bytes:
    """The file's bytes, after :func:`input_file`; OS errors become one :class:`FileError`."""
    path = input_file(path, what)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FileError(f"{path}: cannot read the {what}: {exc.strerror}") from None
