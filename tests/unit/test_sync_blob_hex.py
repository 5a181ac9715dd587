"""The capture reads a package's geometries straight from their GeoPackage blobs: the
canonical form it takes must be the one shapely gives, for every kind of blob a program
may have written (little- or big-endian WKB, Z, envelopes, multi-parts, empty)."""

import struct

from roadinfra.core.db import gpkgblob
from roadinfra.core.sync.values import blob_hex
from shapely import wkb
from shapely.geometry import LineString, MultiLineString, MultiPoint, Point, Polygon


def _slow(blob):
    return wkb.dumps(gpkgblob.decode(blob), hex=True, output_dimension=2)


def _blob(body, flags=0x01):
    return b"GP\x00" + bytes([flags]) + struct.pack("<i", 9209) + body


def test_blob_hex_is_the_canonical_form():
    geoms = [Point(585123.25, 2301456.5), LineString([(0, 0), (1.5, 2.25), (3, 1)]),
             Polygon([(0, 0), (4, 0), (4, 3), (0, 0)]), MultiPoint([(1, 2), (3, 4)]),
             MultiLineString([[(0, 0), (1, 1)], [(2, 2), (3, 5)]]),
             Point(1, 2, 3), LineString([(0, 0, 1), (1, 1, 2)])]
    blobs = [gpkgblob.encode(g, 9209) for g in geoms]
    blobs += [_blob(wkb.dumps(g, big_endian=True)) for g in geoms]  # XDR bodies
    blobs += [_blob(wkb.dumps(g, output_dimension=3)) for g in geoms]
    blobs.append(_blob(struct.pack("<BI2d", 1, 1, float("nan"), float("nan")), 0x11))
    for blob in blobs:
        assert blob_hex(blob) == _slow(blob), blob
    assert blob_hex(None) is None
