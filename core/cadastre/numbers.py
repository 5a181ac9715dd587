"""Map sheet and parcel numbers as keys: an all-digit number without its leading zeros and
without a ``.0`` tail (``07``, ``007``, ``7.0`` are sheet ``7``), as a number column gives it
(``7.0`` -> ``7`` when read), so that one sheet or parcel is one key whichever way a source
writes it. Other numbers (``7a``, ``II-3``) stay as they are. Commune codes are not touched:
their leading zeros belong to the official code (``00004``)."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"([0-9]+)(?:\.0+)?")


def number_key(value) -> str | None:
    """``value`` (a sheet or parcel number) as its key text; None stays None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    match = _DIGITS.fullmatch(text)
    # not int(): Python refuses to convert a string of more than 4,300 digits
    return (match.group(1).lstrip("0") or "0") if match else text
