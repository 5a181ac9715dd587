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


def _empty_body(body: bytes) -> bool:
    """Whether WKB ``body`` is an empty geometry: a point with NaN coordinates (how WKB
    writes ``POINT EMPTY``) or anything else with no points, rings or parts (a collection
    of empty parts is left to shapely)."""
    if len(body) < 9:
        return False
    order = "<" if body[:1] == b"\x01" else ">"
    kind = struct.unpack_from(order + "I", body, 1)[0] % 1000
    if kind == 1:
        x, y = struct.unpack_from(order + "2d", body, 5)
        return x != x and y != y
    return struct.unpack_from(order + "I", body, 5)[0] == 0


def _bounds(blob):
    """(minx, miny, maxx, maxy) of a blob's geometry; None when it is empty (the header's
    empty flag, or an empty geometry written without it), as GeoPackage's ST_MinX etc.
    give NULL for an empty geometry."""
    flags, envelope, start = _header(bytes(blob))
    if flags & _EMPTY_FLAG:
        return None
    if envelope:
        order = "<4d" if flags & 0x01 else ">4d"
        minx, maxx, miny, maxy = struct.unpack(order, bytes(blob[8:40]))
        return minx, miny, maxx, maxy
    body = bytes(blob[start:])
    order = "<" if body[:1] == b"\x01" else ">"
    if len(body) == 21 and struct.unpack_from(order + "I", body, 1)[0] == 1:  # 2-D point
        x, y = struct.unpack_from(order + "2d", body, 5)  # (the R-tree triggers' case)
        if x == x and y == y:
            return x, y, x, y
    if _empty_body(body):
        return None
    geom = decode(blob)
    return None if geom.is_empty else geom.bounds


def _is_empty(blob):
    if blob is None:
        return None
    flags, _, start = _header(bytes(blob))
    return 1 if flags & _EMPTY_FLAG or _empty_body(bytes(blob)[start:]) else 0


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
