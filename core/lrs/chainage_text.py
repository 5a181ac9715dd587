"""The one way a measure is written as a chainage in LRS results: ``Km101+254``.

Located and calibrated measures carry sub-metre digits that mean nothing on the ground
(posts are placed to the metre); writing some as ``Km25+706`` and others as
``Km30+502.357`` side by side made one table look as if it held two precisions. Every LRS
output (CLI, Processing, issue layer, messages) writes chainage text through
:func:`chainage_text`, rounded to ``CHAINAGE_DECIMALS``; the numeric measure column keeps
full precision.
"""

from __future__ import annotations

import math

from ..chainage import format_chainage

#: Decimals of the metres in chainage text (0: ``Km101+254``).
CHAINAGE_DECIMALS = 0


def chainage_text(measure) -> str | None:
    """``101254.4`` -> ``"Km101+254"``; None for no measure or a negative one (before Km0)."""
    if measure is None:
        return None
    value = float(measure)
    if not math.isfinite(value) or value < 0:
        return None
    return format_chainage(value, CHAINAGE_DECIMALS)
