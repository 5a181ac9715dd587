"""The weighing-record CSV format: columns, separators, units and codes.

One record per vehicle weighed. The format is documented for users in ``docs/loads.md``
(section "Weighing-record CSV format"); readers (:mod:`.records`) and writers (the
sample-data generator, tests, the benchmark) use these constants and helpers only.

Example (header and one row)::

    station_code,weighed_at,vehicle_type,axle_count,axle_loads_t,axle_spacings_m,gross_t,lane,direction
    LS-QL10-01,2025-03-14T07:32:05+07:00,truck,3,6.50;9.80;9.70,3.60;1.30,26.00,1,up
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterable, Sequence

import numpy as np

from ..schema import CODELISTS, table

_RECORD = table("weighing_record")

#: Column order of the header. The header row is required; column order may differ on
#: read (columns are found by name), writers use this order.
COLUMNS = (
    "station_code",     # load_station.code, e.g. "LS-QL10-01"
    "weighed_at",       # ISO 8601 local time with offset, e.g. 2025-03-14T07:32:05+07:00
    "vehicle_type",     # code list vehicle_type: truck, semitrailer, trailer, bus
    "axle_count",       # integer, number of axles (2..12)
    "axle_loads_t",     # axle_count loads in tonnes, front to rear, LIST_SEPARATOR between
    "axle_spacings_m",  # axle_count - 1 centre-to-centre spacings in metres, front to rear
    "gross_t",          # gross vehicle weight in tonnes
    "lane",             # optional, integer lane number 1..12 (1 = kerb-side lane)
    "direction",        # optional, free text (e.g. "up"/"down" = increasing/decreasing chainage)
)
REQUIRED_COLUMNS = COLUMNS[:7]
OPTIONAL_COLUMNS = COLUMNS[7:]

DELIMITER = ","                 # field separator
LIST_SEPARATOR = ";"            # separator inside axle_loads_t and axle_spacings_m
DECIMAL_POINT = "."             # decimal point (never a comma)
ENCODING = "utf-8"              # writers; readers follow core.io.text (BOM, cp1258 accepted)
UTC_OFFSET = "+07:00"           # Vietnam (ICT), no daylight saving; writers use it
TIMEZONE = timezone(timedelta(hours=7))

VEHICLE_TYPES = CODELISTS["vehicle_type"].codes
AXLE_COUNT_MIN = int(_RECORD.column("axle_count").min)
AXLE_COUNT_MAX = int(_RECORD.column("axle_count").max)
LANE_MIN = int(_RECORD.column("lane").min)
LANE_MAX = int(_RECORD.column("lane").max)

#: Precision of the values. Reading rounds loads to whole kilograms and spacings to whole
#: millimetres, so limits and boundaries compare exactly (integers, no float epsilon).
LOAD_DECIMALS = 2               # writers: tonnes with 2 decimals (10 kg)
SPACING_DECIMALS = 2            # writers: metres with 2 decimals (10 mm)
KG_PER_T = 1000
MM_PER_M = 1000

#: A row whose gross_t differs from the sum of its axle loads by more than this is bad data
#: (static and weigh-in-motion scales weigh axles and gross separately; rounding stays far below).
GROSS_SUM_TOLERANCE_T = 0.5
#: Values above these are typing or sensor errors (and would overflow the integer arrays).
MAX_LOAD_T = 1000.0
MAX_SPACING_M = 100.0


def format_time(moment: datetime) -> str:
    """``weighed_at`` text: ISO 8601 with seconds and offset; naive times are taken as +07:00."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TIMEZONE)
    return moment.isoformat(timespec="seconds")


def format_times(utc: np.ndarray) -> np.ndarray:
    """Vectorised :func:`format_time` for a ``datetime64`` array in UTC: local +07:00 texts."""
    offset = np.timedelta64(int(TIMEZONE.utcoffset(None).total_seconds()), "s")
    base = np.datetime_as_string(np.asarray(utc).astype("datetime64[s]") + offset, unit="s")
    n = base.shape[0]
    width = 19 + len(UTC_OFFSET)
    out = np.zeros(n, dtype=f"U{width}")
    chars = out.view(np.uint32).reshape(n, width)
    chars[:, :19] = base.astype("U19").view(np.uint32).reshape(n, 19)
    chars[:, 19:] = np.frombuffer(UTC_OFFSET.encode("utf-32-le"), dtype=np.uint32)
    return out


def format_list(values: Iterable[float], decimals: int) -> str:
    """``axle_loads_t`` / ``axle_spacings_m`` text: ``6.50;9.80;9.70``."""
    return LIST_SEPARATOR.join(f"{float(v):.{decimals}f}" for v in values)


def format_row(
    station_code: str,
    weighed_at: datetime,
    vehicle_type: str,
    axle_loads_t: Sequence[float],
    axle_spacings_m: Sequence[float],
    gross_t: float | None = None,
    lane: int | None = None,
    direction: str | None = None,
) -> list[str]:
    """One CSV row in :data:`COLUMNS` order (for ``csv.writer``); gross defaults to the sum."""
    loads = [round(float(v), LOAD_DECIMALS) for v in axle_loads_t]
    if gross_t is None:
        gross_t = sum(loads)
    return [
        station_code,
        format_time(weighed_at),
        vehicle_type,
        str(len(loads)),
        format_list(loads, LOAD_DECIMALS),
        format_list(axle_spacings_m, SPACING_DECIMALS),
        f"{float(gross_t):.{LOAD_DECIMALS}f}",
        "" if lane is None else str(int(lane)),
        direction or "",
    ]
