"""Sheet editions: dates read from any of the forms cadastral data uses, stored and compared
as dates in one ISO form (``YYYY-MM-DD``).

Accepted: ISO dates and date-times (``2022-03-05``, ``2022-03-05T10:00:00``, ``2022-03-05
10:00``, with or without a zone; the time is dropped), ``YYYYMMDD`` (``20220305``),
Vietnamese day-first dates (``05/03/2022``, ``5-3-2022``, ``05.03.2022``), and date or
date-time values of a file's date fields. Anything else is an :class:`EditionError`.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from .errors import CadastreError

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                  r"(?:Z|[+-]\d{2}(?::?\d{2})?)?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
#: What an edition may look like, for messages.
FORMS = "a date: dd/mm/yyyy, yyyymmdd or yyyy-mm-dd"


class EditionError(CadastreError):
    """An edition that is not a date."""


def parse_edition(value) -> str | None:
    """``value`` as an ISO date ``YYYY-MM-DD``; None when empty; :class:`EditionError` when
    it is not a date (the caller names where it came from)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not text or text.lower() in ("nan", "nat", "none"):
        return None
    for pattern, order in ((_ISO, (0, 1, 2)), (_COMPACT, (0, 1, 2)), (_DAY_FIRST, (2, 1, 0))):
        match = pattern.fullmatch(text)
        if match:
            parts = match.groups()
            try:
                return dt.date(*(int(parts[i]) for i in order)).isoformat()
            except ValueError:
                break
    raise EditionError(f"{text[:40]!r} is not {FORMS}")


def stored_edition(value) -> str | None:
    """An edition already in the database (written before editions were normalised), as
    :func:`parse_edition`; text that is no date counts as unknown (None)."""
    try:
        return parse_edition(value)
    except EditionError:
        return None
