"""The error of a file that cannot be read or written as a whole (one clear line)."""

from __future__ import annotations

from ..errors import RoadInfraError


class FileError(RoadInfraError):
    """An input that cannot be read, or an output that cannot be written: the message is one
    line naming the file (and the line, when one line is to blame)."""


def one_line(text: object, limit: int = 300) -> str:
    """``text`` on one line and at most ``limit`` characters (for library messages)."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
