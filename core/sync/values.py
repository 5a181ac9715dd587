"""Rows in one comparable, JSON-able form, whichever back-end they were read from.

A row's *fields* are what a merge compares: every column but the key, the audit columns
and the tombstone (``deleted_at`` is the row's state, not a field). Geometry is one field,
compared as its 2-D WKB (hex); dates and date-times are ISO text, JSON values as parsed.
A number that is NaN is NULL (None): a package cannot hold it (SQLite stores NaN as NULL)
and JSON has no NaN, yet PostgreSQL's ``CHECK (x >= 0)`` lets ``'NaN'`` through.
"""

from __future__ import annotations

import hashlib
import json
import struct
import unicodedata
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from shapely import wkb

from ..db.validate import convert
from ..schema.constraints import AUDIT_NAMES
from ..schema.model import Table
from ..schema.tables import GEOMETRY_COLUMN, TABLES

#: Tables a package carries and sync merges, parents before children (schema order).
SYNC_TABLES: Tuple[str, ...] = tuple(n for n, t in TABLES.items() if t.versioned)
NOT_FIELDS = set(AUDIT_NAMES) | {"id", "deleted_at"}


def field_names(table: Table) -> List[str]:
    names = [c.name for c in table.columns if c.name not in NOT_FIELDS]
    if table.geometry:
        names.append(GEOMETRY_COLUMN)
    return names


def canonical(table: Table, row: Mapping[str, Any]) -> Dict[str, Any]:
    """The fields of ``row`` (as fetched from a database) in comparable form."""
    out: Dict[str, Any] = {}
    for name in field_names(table):
        value = row.get(name)
        if value is None:
            out[name] = None
        elif name == GEOMETRY_COLUMN:
            out[name] = wkb.dumps(value, hex=True, output_dimension=2)
        else:
            col = table.column(name)
            if col.type == "json":
                out[name] = json.loads(convert(col, value))
            elif col.type in ("date", "datetime", "uuid"):
                out[name] = convert(col, value)
            else:
                out[name] = None if value != value else value  # NaN is NULL
    return out


def nan_as_null(values: Iterable[Any]) -> List[Any]:
    """``values`` with every NaN number as None (the rule of :func:`canonical`)."""
    return [None if isinstance(v, (float, Decimal)) and v != v else v for v in values]


def comparable(fields: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    """``fields`` with every text in Unicode NFC, the form a merge compares (a tablet may
    write Vietnamese decomposed, NFD): the same text is never a conflict. Stored values and
    digests are left as they were."""
    if fields is None:
        return None
    return {k: _nfc(v) for k, v in fields.items()}


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value


def blob_hex(blob: Any) -> Any:
    """The canonical form (2-D WKB, hex) of the geometry in GeoPackage blob ``blob``,
    as :func:`canonical` gives it: a 2-D little-endian point or line string is its WKB
    as stored (GEOS writes it back byte for byte); anything else goes through shapely."""
    if blob is None:
        return None
    from ..db import gpkgblob

    blob = bytes(blob)
    flags, _, start = gpkgblob._header(blob)
    body = blob[start:]
    if flags & 0x10 and body[:1] == b"\x01" and gpkgblob._empty_body(body):
        return body.hex().upper()  # an empty geometry, as packed from the server's WKB
    if not flags & 0x10 and body[:1] == b"\x01" and len(body) >= 9:
        kind = struct.unpack_from("<I", body, 1)[0]
        if kind == 1 and len(body) == 21:
            x, y = struct.unpack_from("<2d", body, 5)
            if x == x and y == y:  # NaN: an empty point
                return body.hex().upper()
        elif kind == 2 and len(body) == 9 + 16 * struct.unpack_from("<I", body, 5)[0]:
            return body.hex().upper()
    return wkb.dumps(gpkgblob.decode(blob), hex=True, output_dimension=2)


def unreadable_geometries(db: Any, table: Table) -> List[str]:
    """Ids of the rows of ``table`` in GeoPackage ``db`` whose geometry is not a readable
    GeoPackage geometry blob (e.g. written by plain SQL without ``AsGPB``)."""
    from shapely.errors import ShapelyError

    from ..db import gpkgblob

    out = []
    for row_id, blob in db._query(
            f'SELECT id, "{GEOMETRY_COLUMN}" FROM "{table.name}" '  # noqa: S608 # nosec B608 # names from the schema
            f'WHERE "{GEOMETRY_COLUMN}" IS NOT NULL'):
        try:
            blob_hex(blob)
            gpkgblob.decode(blob)
        except (ValueError, TypeError, IndexError, struct.error, ShapelyError):
            out.append(str(row_id))
    return out


def to_db(table: Table, fields: Mapping[str, Any]) -> Dict[str, Any]:
    """Canonical fields back to values the database API takes (geometry as shapely)."""
    out = dict(fields)
    if out.get(GEOMETRY_COLUMN) is not None:
        out[GEOMETRY_COLUMN] = wkb.loads(out[GEOMETRY_COLUMN], hex=True)
    return out


def readable(table: Table, fields: Mapping[str, Any]) -> Dict[str, Any]:
    """Fields for people (conflict records, reports): geometry as WKT."""
    out = dict(fields)
    if out.get(GEOMETRY_COLUMN) is not None:
        out[GEOMETRY_COLUMN] = wkb.loads(out[GEOMETRY_COLUMN], hex=True).wkt
    return out


def from_readable(table: Table, fields: Mapping[str, Any]) -> Dict[str, Any]:
    """Inverse of :func:`readable` (values as the database API takes them)."""
    from shapely import wkt

    out = dict(fields)
    if out.get(GEOMETRY_COLUMN) is not None:
        out[GEOMETRY_COLUMN] = wkt.loads(out[GEOMETRY_COLUMN])
    return out


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
# The same encoder's C core made once (``JSONEncoder.encode`` makes it on every call, a
# third of the time of a row's fields); no circular-reference markers: values are trees.
_C_ENCODE = json.encoder.c_make_encoder(  # type: ignore[attr-defined]
    None, _ENCODER.default, json.encoder.c_encode_basestring,  # type: ignore[attr-defined]
    None, ":", ",", True, False, True) if json.encoder.c_make_encoder else None


def dumps(value: Any) -> str:
    """Canonical JSON text: keys sorted, no spaces, UTF-8 characters as they are."""
    if _C_ENCODE is None:
        return _ENCODER.encode(value)
    return "".join(_C_ENCODE(value, 0))


def row_digest(fields: Mapping[str, Any], deleted: bool) -> str:
    return hashlib.sha256(dumps([fields, bool(deleted)]).encode("utf-8")).hexdigest()


def base_digest(entries: Iterable[Tuple[Any, ...]]) -> str:
    """Digest of a package base: (table, row id, revision, row digest) of every row (items
    after those are left out; a table and id are never twice, so they alone order)."""
    lines = "".join(f"{e[0]}|{e[1]}|{e[2]}|{e[3]}\n" for e in sorted(entries))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()
