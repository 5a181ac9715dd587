"""Chainage strings (``Km12+350``) to and from metres.

Accepted forms: ``Km12+350``, ``Km 12+350.5``, ``km12+350``, ``KM12 + 350``, ``12+350``, a
decimal comma (``Km12+350,5``), and a kilometre-post label ``Km12`` (= ``Km12+000``: the one
rule for post labels, event tables and ``chainage parse``; a bare ``12`` is no chainage).
The part after ``+`` is the metres within the kilometre and must have exactly three digits
before any decimals (``Km12+035``, not ``Km12+35``), so it is always below 1000. Negative
chainage is not a chainage, nor is one above :data:`MAX_CHAINAGE_M` (a typing error, or a
number too big to be a float): refused on parsing and formatting.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Union

from .errors import RoadInfraError

_PATTERN = re.compile(
    r"^\s*(?:(?P<prefix>km)\s*)?(?P<km>\d+)(?:\s*\+\s*(?P<m>\d{3})(?:[.,](?P<frac>\d+))?)?\s*$",
    re.IGNORECASE,
)


#: the largest chainage read or written (100 000 km): a bigger one is a typing error
MAX_CHAINAGE_M = 1e8


class ChainageError(RoadInfraError):
    """A chainage string or value that cannot be read or written."""


def _where(where: str | None) -> str:
    return f"{where}: " if where else ""


def parse_chainage(text: Union[str, float, int], where: str | None = None) -> float:
    """``"Km12+350.5"`` -> ``12350.5`` metres. Plain numbers pass through as metres.

    ``where`` names the place for error messages, e.g. ``"posts.csv row 7 field chainage"``.
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
        if not math.isfinite(value) or value < 0:
            raise ChainageError(f"{_where(where)}chainage {text!r} is not a metre value >= 0")
        if value > MAX_CHAINAGE_M:
            raise ChainageError(f"{_where(where)}chainage {text!r} m is above the largest "
                                f"accepted, {MAX_CHAINAGE_M:.0f} m")
        return value
    if not isinstance(text, str):
        raise ChainageError(f"{_where(where)}chainage {text!r} is not text")
    match = _PATTERN.match(text)
    if match is not None and match["m"] is None and not match["prefix"]:
        match = None                          # "12": metres or kilometres? neither
    if match is None:
        raise ChainageError(
            f"{_where(where)}{text!r} is not a chainage; expected Km<km>+<mmm>[.d], "
            "e.g. Km12+350 or Km12+350.5 (metres 000-999), or a post label Km12"
        )
    metres = Decimal(match["km"]) * 1000 + Decimal(match["m"] or 0)
    if match["frac"]:
        metres += Decimal("0." + match["frac"])
    if metres > MAX_CHAINAGE_M:
        shown = text.strip() if len(text.strip()) <= 40 else text.strip()[:37] + "..."
        raise ChainageError(f"{_where(where)}{shown!r} is above the largest accepted chainage, "
                            f"Km{MAX_CHAINAGE_M / 1000:.0f}+000")
    return float(metres)


def format_chainage(metres: float, decimals: int = 3, prefix: str = "Km",
                    where: str | None = None) -> str:
    """``12350.5`` -> ``"Km12+350.5"``; ``12350`` -> ``"Km12+350"``.

    The value is rounded to ``decimals`` (half up) and trailing zeros are dropped.
    """
    try:
        value = float(metres)
    except (TypeError, ValueError):
        raise ChainageError(f"{_where(where)}{metres!r} is not a number of metres") from None
    if not math.isfinite(value) or value < 0 or value > MAX_CHAINAGE_M:
        raise ChainageError(f"{_where(where)}cannot format {metres!r} as a chainage (needs "
                            f"0..{MAX_CHAINAGE_M:.0f} m)")
    if isinstance(decimals, bool) or not isinstance(decimals, (int, float)) \
            or decimals != int(decimals) or not 0 <= decimals <= 9:
        raise ChainageError(f"{_where(where)}decimals {decimals!r} must be a whole number "
                            "0..9")
    try:
        quantum = Decimal(1).scaleb(-int(decimals))
        exact = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):  # more digits than Decimal carries
        raise ChainageError(f"{_where(where)}cannot format {metres!r} as a chainage with "
                            f"{decimals!r} decimals") from None
    km, rest = divmod(exact, 1000)
    whole = int(rest)
    frac = rest - whole
    text = f"{prefix}{int(km)}+{whole:03d}"
    if frac:
        text += str(frac.normalize())[1:]  # ".5"
    return text
