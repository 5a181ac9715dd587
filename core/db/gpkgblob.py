"""GeoPackage geometry blobs (GPKG header + WKB) and the SQL functions its R-tree needs."""

from __future__ import annotations

import sqlite3
import struct

from shapely import wkb
from shapely.geometry.base import BaseGeometry

_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_EMPTY_FLAG = 0x10


def encode(geom: BaseGeometry, srs_id: int) -> bytes:
    """A little-endian GeoPackage blob; XY envelope for everything but points."""
    if geom.is_empty:
        raise ValueError("empty geometries are not stored")
    body = wkb.dumps(geom, output_dimension=2)
    if geom.geom_type == "Point":
        return b"GP\x00\x01" + struct.pack("<i", srs_id) + body
    minx, miny, maxx, maxy = geom.bounds
    return (b"GP\x00\x03" + struct.pack("<i", srs_id)
            + struct.pack("<4d", minx, maxx, miny, maxy) + body)


def _header(blob: bytes):
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob")
    flags = blob[3]
    envelope = (flags >> 1) & 0x07
    return flags, envelope, 8 + _ENVELOPE_BYTES[envelope]


def decode(blob: bytes | None) -> BaseGeometry | None:
    """The shapely geometry in a GeoPackage blob (None for NULL)."""
    if blob is None:
        return None
    _, _, start = _header(bytes(blob))
    return wkb.loads(bytes(blob[start:]))


def _bounds(blob):
    flags, envelope, _ = _header(bytes(blob))
    if flags & _EMPTY_FLAG:
        return None
    if envelope:
        order = "<4d" if flags & 0x01 else ">4d"
        minx, maxx, miny, maxy = struct.unpack(order, bytes(blob[8:40]))
        return minx, miny, maxx, maxy
    body = bytes(blob[8:])
    order = "<" if body[:1] == b"\x01" else ">"
    if len(body) == 21 and struct.unpack_from(order + "I", body, 1)[0] == 1:  # 2-D point
        x, y = struct.unpack_from(order + "2d", body, 5)  # (the R-tree triggers' case)
        if x == x and y == y:  # NaN: an empty point, left to shapely
            return x, y, x, y
    return decode(blob).bounds


def _is_empty(blob):
    if blob is None:
        return None
    flags, _, _ = _header(bytes(blob))
    return 1 if flags & _EMPTY_FLAG else 0


def _bound(index):
    def func(blob):
        if blob is None:
            return None
        bounds = _bounds(blob)
        return None if bounds is None else bounds[index]
    return func


def register_functions(conn: sqlite3.Connection) -> None:
    """ST_IsEmpty, ST_MinX, ST_MinY, ST_MaxX, ST_MaxY as used by GeoPackage R-tree triggers."""
    conn.create_function("ST_IsEmpty", 1, _is_empty, deterministic=True)
    for name, index in (("ST_MinX", 0), ("ST_MinY", 1), ("ST_MaxX", 2), ("ST_MaxY", 3)):
        conn.create_function(name, 1, _bound(index), deterministic=True)
