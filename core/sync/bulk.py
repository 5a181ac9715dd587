"""Server rows read in bulk, in the forms a package stores them.

Packaging and the end of a sync write many server rows into a package, each with its
base entry (the digest of its canonical fields, :mod:`.values`). :func:`packed_rows` reads
them in one statement per table and chunk, every value already in the package's form: from
PostGIS the server formats dates, date-times (UTC, milliseconds, as ``utc_iso``), UUIDs and
the geometry (2-D little-endian WKB as the upper-case hex text of the canonical form)
itself, so no row becomes shapely or ``datetime`` objects in Python; from a GeoPackage
server the rows are fetched through the database API and converted with
:func:`.values.canonical`. Both give the same records (checked by
tests/postgis/test_sync_bulk.py). :func:`key_rows` reads only what choosing a scope needs.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from operator import itemgetter
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple

from shapely import wkb

from ..db.base import Database
from ..db.validate import convert
from ..schema.model import Table
from ..schema.sqlnames import ident
from ..schema.tables import GEOMETRY_COLUMN, TABLES
from .values import dumps, field_names, nan_as_null

Rows = Dict[str, Dict[str, Dict[str, Any]]]
#: Fetched rows (dicts) to the same rows in the package's terms.
Through = Callable[[List[Dict[str, Any]]], List[Dict[str, Any]]]
CHUNK = 5000
FIRST_CHUNK = 500
_POINT_TYPES = (1, 1001, 2001, 3001)  # WKB type codes of a point (2-D, Z, M, ZM)


class Packed:
    """One server row as a package stores it: ``values`` in :func:`package_columns` order
    (geometry as its GeoPackage blob), its canonical fields as JSON text (``fields_json``),
    its base digest (``digest``) and base entry (``entry``: table, id, revision, row
    digest, deleted, fields as JSON text)."""

    __slots__ = ("table", "index", "values", "fields_json", "digest", "bounds", "deleted",
                 "entry")

    def __init__(self, table: Table, index: Mapping[str, int], values: tuple,
                 fields_json: str, bounds: Optional[tuple] = None) -> None:
        self.table, self.index, self.values = table, index, values
        self.fields_json = fields_json
        self.bounds = bounds  # (minx, maxx, miny, maxy) of the geometry, as its R-tree has
        self.deleted = deleted = values[index["deleted_at"]] is not None
        self.digest = digest = hashlib.sha256(
            f"[{fields_json},{'true' if deleted else 'false'}]".encode()
        ).hexdigest()  # == values.row_digest(fields, deleted)
        self.entry = (table.name, values[index["id"]], int(values[index["revision"]]),
                      digest, deleted, fields_json)

    def get(self, name: str, default: Any = None) -> Any:
        i = self.index.get(name)
        return default if i is None else self.values[i]

    def __getitem__(self, name: str) -> Any:
        return self.values[self.index[name]]

    @property
    def id(self) -> str:
        return self.entry[1]

    @property
    def revision(self) -> int:
        return self.entry[2]


def package_columns(table: Table) -> List[str]:
    return list(table.column_names) + ([GEOMETRY_COLUMN] if table.geometry else [])


def gpkg_blob(body: bytes, srs_id: int) -> Tuple[bytes, Optional[tuple]]:
    """The GeoPackage blob of 2-D little-endian WKB ``body``, as ``gpkgblob.encode`` makes
    it (no envelope for a point, an XY envelope otherwise), and its R-tree bounds (minx,
    maxx, miny, maxy). An empty geometry (``POINT EMPTY``, NaN coordinates, or a line or
    polygon without points, which PostGIS stores) is kept as it is: the header's empty
    flag, no envelope, bounds None (no R-tree entry, as the GeoPackage triggers do)."""
    if struct.unpack_from("<I", body, 1)[0] in _POINT_TYPES:
        x, y = struct.unpack_from("<2d", body, 5)
        if x == x and y == y:
            return b"GP\x00\x01" + struct.pack("<i", srs_id) + body, (x, x, y, y)
        return b"GP\x00\x11" + struct.pack("<i", srs_id) + body, None
    geom = wkb.loads(body)
    if geom.is_empty:
        return b"GP\x00\x11" + struct.pack("<i", srs_id) + body, None
    minx, miny, maxx, maxy = geom.bounds
    return (b"GP\x00\x03" + struct.pack("<i", srs_id)
            + struct.pack("<4d", minx, maxx, miny, maxy) + body, (minx, maxx, miny, maxy))


def _pg_select(table: Table) -> List[str]:
    """Per package column, a PostgreSQL expression giving its package form."""
    out = []
    for name in package_columns(table):
        q = ident(name)
        if name == GEOMETRY_COLUMN:  # as hex text: psycopg2 decodes bytea slowly in Python
            out.append(f"upper(encode(ST_AsBinary(ST_Force2D({q}), 'NDR'), 'hex'))")
            continue
        kind = table.column(name).type
        if kind == "uuid" or kind == "json":
            out.append(f"{q}::text")
        elif kind == "date":
            out.append(f"to_char({q}, 'YYYY-MM-DD')")
        elif kind == "datetime":  # utc_iso: milliseconds cut, not rounded (as to_char MS)
            out.append(f"to_char({q} AT TIME ZONE 'UTC', "
                       "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
        else:
            out.append(q)
    return out


def packed_rows(db: Database, table_name: str, ids: Sequence[str], srs_id: int,
                order: bool = True, through: Optional[Through] = None) -> List[Packed]:
    """The rows ``ids`` of ``table_name`` (tombstones included) as :class:`Packed`, in id
    order; ids the database does not have are left out. ``through``: rows whose values the
    package stores in its own terms (the attachments' photo paths,
    :meth:`.photos.PhotoSync.to_package`) are fetched through the database API as dicts,
    as from a GeoPackage server, given to ``through``, and packed as it returns them."""
    return [row for chunk in packed_chunks(db, table_name, ids, srs_id, order, through)
            for row in chunk]


def packed_chunks(db: Database, table_name: str, ids: Sequence[str], srs_id: int,
                  order: bool = True, through: Optional[Through] = None
                  ) -> Iterator[List[Packed]]:
    """:func:`packed_rows` in consecutive chunks; from PostGIS each chunk is read and
    packed in a thread, ahead of the caller writing the one before."""
    table = TABLES[table_name]
    names = package_columns(table)
    index = {n: i for i, n in enumerate(names)}
    ids = sorted(set(ids)) if order else list(ids)
    if not ids:
        return
    if db.kind != "postgis" or through is not None:
        yield _packed_fetched(db, table, names, index, ids, srs_id, through)
        return
    fields = field_names(table)
    at = [index[n] for n in fields]
    json_at = {index[n] for n in fields if n != GEOMETRY_COLUMN
               and table.column(n).type == "json"}
    geom_at = index.get(GEOMETRY_COLUMN)
    t = ident(table.name)  # (= ANY: a join with unnest() hashes the whole table per chunk)
    sql = (f"SELECT {', '.join(_pg_select(table))} FROM {t} "  # noqa: S608 # nosec B608 # names via sqlnames.ident
           f"WHERE {t}.id = ANY(%s::uuid[]) ORDER BY {t}.id")
    plain = [(n, i) for n, i in zip(fields, at) if i != geom_at and i not in json_at]
    plain_names = [n for n, _ in plain]
    pick = itemgetter(*[i for _, i in plain]) if len(plain) > 1 else None
    jsons = [(n, i) for n, i in zip(fields, at) if i in json_at]
    geom_name = GEOMETRY_COLUMN if geom_at is not None else None

    def fetch(chunk: Sequence[str]) -> list:
        return db._query(sql, (chunk,))

    def pack(records: list) -> List[Packed]:
        out = []
        for record in records:
            values = list(record)
            canon = dict(zip(plain_names, pick(record) if pick else
                             [record[i] for _, i in plain]))
            bounds = None
            if geom_name is not None:
                text = values[geom_at]  # the canonical form: WKB as upper-case hex
                canon[geom_name] = text
                if text is not None:
                    values[geom_at], bounds = gpkg_blob(bytes.fromhex(text), srs_id)
            for name, i in jsons:
                if values[i] is None:
                    canon[name] = None
                else:
                    canon[name] = parsed = json.loads(values[i])
                    values[i] = json.dumps(parsed, ensure_ascii=False, separators=(",", ":"))
            text = dumps(canon)
            if "NaN" in text:  # perhaps a NaN number: NULL, as values.canonical has it
                values = nan_as_null(values)
                canon = dict(zip(canon, nan_as_null(canon.values())))
                text = dumps(canon)
            out.append(Packed(table, index, tuple(values), text, bounds))
        return out

    # a small first chunk: the caller waits for it alone, then writes while the next is read
    starts = [0] + list(range(FIRST_CHUNK, len(ids), CHUNK))
    yield from _ahead(fetch, pack,
                      [ids[a:b] for a, b in zip(starts, starts[1:] + [len(ids)])])


def _ahead(fetch: Callable[[Any], Any], pack: Callable[[Any], Any], items: List[Any],
           depth: int = 3) -> Iterator[Any]:
    """``pack(fetch(item))`` for each item, in order, up to ``depth`` items ahead of the
    caller: the fetches one after the other in a thread of their own (the server prepares
    the next chunk while this one is packed), the packing in another (the database driver
    and SQLite wait without holding the interpreter, so reading the server, packing and
    writing the package overlap)."""
    with ThreadPoolExecutor(max_workers=1) as reading, \
            ThreadPoolExecutor(max_workers=1) as packing:
        pending: deque = deque()
        rest = iter(items)

        def submit() -> None:
            item = next(rest, _END)
            if item is not _END:
                fetched = reading.submit(fetch, item)
                pending.append(packing.submit(lambda: pack(fetched.result())))

        for _ in range(depth):
            submit()
        try:
            while pending:
                result = pending.popleft().result()
                submit()
                yield result
        finally:
            for future in pending:
                future.cancel()


_END = object()


def _packed_fetched(db: Database, table: Table, names: List[str], index: Dict[str, int],
                    ids: List[str], srs_id: int, through: Optional[Through] = None
                    ) -> List[Packed]:
    from ..db import gpkgblob
    from .values import canonical

    cols = [table.column(n) if n != GEOMETRY_COLUMN else None for n in names]
    out = []
    for start in range(0, len(ids), 500):
        rows = db.fetch(table.name, where={"id": ids[start:start + 500]},
                        include_deleted=True)
        for row in (through(rows) if through is not None else rows):
            values = []
            bounds = None
            for name, col in zip(names, cols):
                value = row.get(name)
                if value is None:
                    values.append(None)
                elif col is None and value.is_empty:  # empty flag, no R-tree entry
                    values.append(gpkg_blob(wkb.dumps(value, output_dimension=2),
                                            srs_id)[0])
                elif col is None:
                    values.append(gpkgblob.encode(value, srs_id))
                    minx, miny, maxx, maxy = value.bounds
                    bounds = (minx, maxx, miny, maxy)
                else:
                    value = convert(col, value)
                    values.append(int(value) if col.type == "boolean" else value)
            out.append(Packed(table, index, tuple(values), dumps(canonical(table, row)),
                              bounds))
    out.sort(key=lambda p: p.id)
    return out


def key_columns(table: Table, with_geometry: bool) -> List[str]:
    """The columns choosing a scope looks at (:func:`.scope.select`)."""
    wanted = {"id", "deleted_at", "district_code", "code", "route_id", "target_table",
              "target_id"}
    wanted |= {c.name for c in table.columns if c.references}
    wanted |= set(table.attached_to or ())
    names = [c.name for c in table.columns if c.name in wanted]
    if with_geometry and table.geometry:
        names.append(GEOMETRY_COLUMN)
    return names


def key_rows(db: Database, tables: Iterable[str], with_geometry: bool = False) -> Rows:
    """Every row of ``tables`` (tombstones included) with only :func:`key_columns`
    (UUIDs as text, ``deleted_at`` as text or None, geometry as shapely)."""
    out: Rows = {}
    for name in tables:
        table = TABLES[name]
        names = key_columns(table, with_geometry)
        select = []
        for n in names:
            if n == GEOMETRY_COLUMN:
                select.append(db._geom_select())
            elif table.column(n).type in ("uuid", "datetime"):
                select.append(f"CAST({ident(n)} AS text)")
            else:
                select.append(ident(n))
        geom_at: Optional[int] = names.index(GEOMETRY_COLUMN) \
            if GEOMETRY_COLUMN in names else None
        rows = {}
        for record in db._query(f"SELECT {', '.join(select)} FROM {ident(name)}"):  # noqa: S608 # nosec B608 # names via sqlnames.ident
            row = dict(zip(names, record))
            if geom_at is not None:
                row[GEOMETRY_COLUMN] = db._geom_from_db(record[geom_at])
            rows[row["id"]] = row
        out[name] = rows
    return out
