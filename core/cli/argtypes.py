"""Argument types for every ``roadinfra`` command (``type=`` of ``add_argument``).

Each type refuses an absurd value at the command line, in argparse's one-line error
format (``roadinfra <command>: error: argument --x: ...``): NaN and infinities are never a
number, a tolerance or a distance is never negative, a count is bounded, and an input file
exists and is not a folder.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Callable

from ..io.errors import FileError
from ..io.paths import input_file as _input_file


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def finite_float(text: str) -> float:
    """Any finite number (no NaN, no infinity)."""
    return _float(text)


def non_negative_float(text: str) -> float:
    """A finite number >= 0 (tolerances, offsets, distances, tonnes)."""
    value = _float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative (must be 0 or more)")
    return value


def offset_limit(text: str) -> float:
    """A distance limit: a finite number >= 0, or ``inf`` for no limit (never NaN)."""
    if text.strip().lower() in ("inf", "infinity", "+inf"):
        return math.inf
    return non_negative_float(text)


def positive_float(text: str) -> float:
    """A finite number > 0 (standard deviations, allowable errors)."""
    value = _float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0")
    return value


def int_range(low: int | None = None, high: int | None = None) -> Callable[[str], int]:
    """A whole number in ``low..high`` (either bound may be open)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"{'' if low is None else low}..{'' if high is None else high}"
            raise argparse.ArgumentTypeError(f"{value} is outside {span}")
        return value

    parse.__name__ = "whole number"
    return parse


def input_file(text: str) -> Path:
    """An existing, readable file (not a folder)."""
    try:
        return _input_file(text, "file")
    except FileError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def output_path(text: str) -> Path:
    """An output file name: not an existing folder (checked again when written)."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: is a folder; give a file name")
    return path
