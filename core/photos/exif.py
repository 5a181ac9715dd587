"""EXIF position and time of a photo (Pillow when installed; without it, none are read).

The position is the GPS latitude/longitude (WGS 84) and the time ``DateTimeOriginal`` with
its ``OffsetTimeOriginal``; a camera that writes no offset is taken to be on the profile's
local time (``[province] utc_offset_hours``, default +7, Vietnam).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Tuple

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011
DEFAULT_UTC_OFFSET_HOURS = 7.0


@dataclass(frozen=True)
class PhotoInfo:
    """What the photo says about itself: (longitude, latitude) in WGS 84 and the time."""

    lonlat: Optional[Tuple[float, float]]
    taken_at: Optional[dt.datetime]


def _degrees(values, ref) -> float:
    d, m, s = (float(v) for v in values)
    value = d + m / 60.0 + s / 3600.0
    return -value if str(ref).upper() in ("S", "W") else value


def read_photo_info(path: Path, utc_offset_hours: float = DEFAULT_UTC_OFFSET_HOURS) -> PhotoInfo:
    """EXIF position and time of the image at ``path`` (None where absent or unreadable)."""
    try:
        from PIL import Image
    except ImportError:  # Debian: python3-pil; without it photos are stored without EXIF
        return PhotoInfo(None, None)
    try:
        with Image.open(path) as image:
            exif = image.getexif()
            gps = exif.get_ifd(GPS_IFD)
            sub = exif.get_ifd(EXIF_IFD)
    except (OSError, ValueError, SyntaxError):  # not an image Pillow reads
        return PhotoInfo(None, None)
    lonlat = None
    try:
        if gps.get(2) and gps.get(4):
            lonlat = (_degrees(gps[4], gps.get(3, "E")), _degrees(gps[2], gps.get(1, "N")))
    except (TypeError, ValueError, ZeroDivisionError):
        lonlat = None
    taken = None
    text = sub.get(DATETIME_ORIGINAL) or exif.get(0x0132)
    if text:
        try:
            local = dt.datetime.strptime(str(text).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
            offset = sub.get(OFFSET_TIME_ORIGINAL)
            if offset:
                sign = -1 if str(offset).startswith("-") else 1
                hours, minutes = str(offset).lstrip("+-").split(":")[:2]
                delta = dt.timedelta(hours=int(hours), minutes=int(minutes)) * sign
            else:
                delta = dt.timedelta(hours=utc_offset_hours)
            taken = local.replace(tzinfo=dt.timezone(delta)).astimezone(dt.timezone.utc)
        except (ValueError, TypeError):
            taken = None
    return PhotoInfo(lonlat, taken)
