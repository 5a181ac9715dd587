"""Keeping in step with the land-resource department: its shared PostGIS schema, an OGC API
Features endpoint, a WFS 2.0 service or an exported file as a source of map sheets.

A source lists its sheets with their editions (:meth:`sheets`) and gives the parcels of the
sheets asked for (:meth:`parcels`). :func:`pull_sheets` compares the source's editions with
the database's and fetches and imports only the sheets that are new or have a newer edition;
the import replaces an old edition and keeps it in the history (:mod:`.importer`).

After :meth:`parcels`, a source's ``counted`` holds the sheets whose fetch was counted and
checked complete (a database query; a WFS hit count; an OGC API ``numberMatched`` matched
by the features received): a new edition of those may hold fewer parcels than the stored
sheet. The others (a file, an API answer nobody counted: ``next`` links followed to the end
prove nothing, a server may stop giving them at a cap of its own) keep the import's
fewer-parcels guard, which ``whole_sheet`` lifts; ``partial_note`` says why in the refusal.

A sheet fetched that doubles live land under another key (the department's source holding
one land under an old and a new key after communes merged) is refused alone: the pull
imports the other sheets and names it in ``refused``, with advice for the source's ``kind``
(``file``: the user may edit it; ``department``: a database or service the user only reads).
"""

from __future__ import annotations

import dataclasses
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from pyproj import CRS
from shapely import wkb

from ..crs import crs_label, unplaceable
from ..db import open_database
from ..db.targets import hide_password
from ..io.rows import RowErrorsError
from .editions import EditionError, parse_edition, stored_edition
from .errors import CadastreError
from .importer import ImportResult, import_parcels
from .mapping import FieldMapping, load_mapping
from .numbers import number_key
from .quality import QualityReport, quality_report
from .reader import ParcelSet, _value, parcels_from_records
from .sources import stored_sheets

SheetKey = Tuple[Optional[str], str]  # (commune_code, sheet_no)
PAGE = 1000
TIMEOUT_S = 60


@dataclass
class PullResult:
    source: str
    checked: Dict[SheetKey, str]           # sheet -> the source's edition
    fetched: List[SheetKey]                # sheets that were new or newer
    imported: ImportResult | None = None
    up_to_date: List[SheetKey] = field(default_factory=list)
    #: stored sheets the source gives no edition for: fetched and compared parcel by parcel
    undated: List[SheetKey] = field(default_factory=list)
    #: sheets stored undated (from a source without editions) the source gives a dated
    #: edition of: fetched, the dated edition replaces them
    stored_undated: List[SheetKey] = field(default_factory=list)
    #: sheets fetched that the source did not count (a web service without a hit count or
    #: numberMatched): their completeness is not checked
    uncounted: List[SheetKey] = field(default_factory=list)
    #: stored sheets the source no longer holds (in the communes it holds): kept
    not_in_source: List[SheetKey] = field(default_factory=list)

    def findings(self, crs) -> QualityReport:
        """The quality report of the sheets fetched, but those refused; an empty one in
        ``crs`` (the database's grid) when none was fetched."""
        if self.imported is not None:
            return self.imported.quality
        return quality_report(parcels_from_records(self.source, [], [], load_mapping(None),
                                                   crs))

    @property
    def refused(self) -> list:
        """The :class:`.importer.RefusedSheet` left out of the pull (nothing of them
        written)."""
        return self.imported.refused if self.imported is not None else []

    def summary(self) -> dict:
        def names(keys):
            return [f"{c or '-'}/{s}" for c, s in keys]

        return {"source": self.source, "sheets_in_source": len(self.checked),
                "sheets_fetched": names(self.fetched),
                "up_to_date": len(self.up_to_date),
                "undated": names(self.undated),
                "stored_undated": names(self.stored_undated),
                "uncounted": names(self.uncounted),
                "not_in_source": names(self.not_in_source),
                "refused": [{"sheets": r.sheets, "reason": r.reason} for r in self.refused],
                "import": self.imported.summary() if self.imported else None}


def _key(mapping: FieldMapping, used: dict, attrs: dict,
         label: str = "") -> tuple[SheetKey, str | None]:
    def get(target):
        rule = mapping.rules.get(target)
        if rule is None:
            return None
        column = used.get(target)
        return _value(rule, attrs.get(column)) if column else rule.value

    sheet = get("sheet_no")
    if sheet is None or not str(sheet).strip():
        raise CadastreError(f"{label}: a feature without a map sheet number (field "
                            f"{used.get('sheet_no') or 'sheet_no'!r}); nothing was imported")
    key = (get("commune_code"), number_key(sheet))
    try:
        return key, parse_edition(get("sheet_edition"))
    except EditionError as exc:
        raise CadastreError(f"{label}: sheet {key[0] or '-'}/{key[1]}, field "
                            f"{used.get('sheet_edition') or 'sheet_edition'!r}: {exc}") from None


def _refuse_blank_sheets(label: str, used: dict, rows: list) -> None:
    """One error naming every listed feature (``rows``: (name, attributes)) without a sheet
    number in the mapped sheet field."""
    column = used.get("sheet_no")
    bad = [name for name, attrs in rows
           if attrs.get(column) is None or not str(attrs.get(column)).strip()]
    if bad:
        more = f" and {len(bad) - 10} more" if len(bad) > 10 else ""
        raise CadastreError(f"{label}: {len(bad)} feature(s) ({', '.join(bad[:10])}{more}) "
                            f"without a map sheet number in field {column!r}; nothing was "
                            "imported")


def _newest(out: dict, key: SheetKey, edition: str | None) -> None:
    """Keep in ``out`` the newest (ISO date) edition seen for ``key``."""
    if edition is not None and (out.get(key) is None or edition > out[key]):
        out[key] = edition
    else:
        out.setdefault(key, edition)


class PostgisSource:
    """A table (``schema.table``) of the department's PostGIS database, read through a field
    mapping; identifiers are quoted by psycopg2, values bound as parameters."""

    def __init__(self, dsn: str, table: str, mapping: FieldMapping):
        self.dsn, self.mapping = dsn, mapping
        schema, _, name = table.rpartition(".")
        self.schema, self.table = schema or "public", name
        self.label = f"{hide_password(dsn)} {self.schema}.{self.table}"
        self.counts = True  # says how many features it gives (see counted)
        self._columns: list[str] | None = None
        self._geometry: str | None = None
        self.counted: set = set()
        self.kind = "department"  # read only: the advice of a refusal
        self.partial_note: str | None = None

    def _connect(self):
        from ..db.postgis import connect

        return connect(self.dsn, hide_password(self.dsn))

    def _describe(self, cur) -> None:
        if self._columns is not None:
            return
        cur.execute("SELECT column_name, udt_name FROM information_schema.columns "
                    "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                    (self.schema, self.table))
        rows = cur.fetchall()
        if not rows:
            raise CadastreError(f"{self.label}: no such table (or no right to read it)")
        geoms = [name for name, kind in rows if kind == "geometry"]
        if not geoms:
            raise CadastreError(f"{self.label}: has no geometry column")
        self._geometry = geoms[0]
        self._columns = [name for name, kind in rows if kind != "geometry"]
        self.used = self.mapping.resolve(self._columns)
        for required in ("sheet_no", "parcel_no"):
            if not self.used.get(required):
                raise CadastreError(f"{self.label}: no column for {required} (tried "
                                    f"{', '.join(self.mapping.rules[required].sources)})")

    def _key_columns(self) -> list[str]:
        return sorted({c for t, c in self.used.items()
                       if c and t in ("commune_code", "sheet_no", "sheet_edition")})

    def sheets(self) -> Dict[SheetKey, str | None]:
        from psycopg2 import sql

        conn = self._connect()
        try:
            with conn.cursor() as cur:
                self._describe(cur)
                cols = self._key_columns()
                cur.execute(sql.SQL("SELECT DISTINCT {} FROM {}.{}").format(
                    sql.SQL(", ").join(sql.Identifier(c) for c in cols),
                    sql.Identifier(self.schema), sql.Identifier(self.table)))
                out: Dict[SheetKey, str | None] = {}
                self._raw: Dict[SheetKey, list] = {}
                rows = cur.fetchall()
                sheet_at = cols.index(self.used["sheet_no"])
                if any(r[sheet_at] is None or not str(r[sheet_at]).strip() for r in rows):
                    self._no_sheet(cur)
                for row in rows:
                    attrs = dict(zip(cols, row))
                    key, edition = _key(self.mapping, self.used, attrs, self.label)
                    _newest(out, key, edition)
                    raw = (attrs.get(self.used.get("commune_code")),
                           attrs.get(self.used["sheet_no"]))
                    self._raw.setdefault(key, [])
                    if raw not in self._raw[key]:
                        self._raw[key].append(raw)
                return out
        finally:
            conn.close()

    def _no_sheet(self, cur) -> None:
        """Refuse the table: the rows without a sheet number, named by their primary key."""
        from psycopg2 import sql

        column = self.used["sheet_no"]
        cur.execute("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = "
                    "i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indisprimary AND "
                    "i.indrelid = (quote_ident(%s) || '.' || quote_ident(%s))::regclass",
                    (self.schema, self.table))
        keys = [r[0] for r in cur.fetchall()]
        blank = sql.SQL("{c} IS NULL OR btrim({c}::text) = ''").format(
            c=sql.Identifier(column))
        if len(keys) == 1:
            cur.execute(sql.SQL("SELECT {k} FROM {s}.{t} WHERE {w} ORDER BY 1").format(
                k=sql.Identifier(keys[0]), s=sql.Identifier(self.schema),
                t=sql.Identifier(self.table), w=blank))
            ids = [str(r[0]) for r in cur.fetchall()]
            rows = (f"{len(ids)} row(s) ({keys[0]} {', '.join(ids[:10])}"
                    f"{f' and {len(ids) - 10} more' if len(ids) > 10 else ''})")
        else:
            cur.execute(sql.SQL("SELECT count(*) FROM {s}.{t} WHERE {w}").format(
                s=sql.Identifier(self.schema), t=sql.Identifier(self.table), w=blank))
            rows = f"{cur.fetchone()[0]} row(s) (the table has no one-column primary key)"
        raise CadastreError(f"{self.label}: {rows} without a map sheet number in column "
                            f"{column!r}; nothing was imported")

    def parcels(self, keys: Iterable[SheetKey]) -> ParcelSet:
        from psycopg2 import sql

        keys = list(keys)
        if not hasattr(self, "_raw"):
            self.sheets()
        conn = self._connect()
        try:
            with conn.cursor() as cur:
                self._describe(cur)
                sheet_col = self.used["sheet_no"]
                commune_col = self.used.get("commune_code")
                records: list = []
                srid = None
                for key in keys:
                    for commune, sheet in self._raw.get(key, []):
                        where = sql.SQL("{} = %s").format(sql.Identifier(sheet_col))
                        params = [sheet]
                        if commune_col:
                            where = sql.SQL("{} AND {} IS NOT DISTINCT FROM %s").format(
                                where, sql.Identifier(commune_col))
                            params.append(commune)
                        cur.execute(sql.SQL(
                            "SELECT {}, ST_AsBinary({}), ST_SRID({}) FROM {}.{} WHERE {} "
                            "ORDER BY 1").format(
                            sql.SQL(", ").join(sql.Identifier(c) for c in self._columns),
                            sql.Identifier(self._geometry), sql.Identifier(self._geometry),
                            sql.Identifier(self.schema), sql.Identifier(self.table), where),
                            params)
                        for row in cur.fetchall():
                            attrs = dict(zip(self._columns, row[:-2]))
                            geom = wkb.loads(bytes(row[-2])) if row[-2] is not None else None
                            srid = srid or row[-1]
                            records.append((geom, attrs))
                crs = self._srid_crs(cur, srid) if srid else None
        finally:
            conn.close()
        self.counted = set(keys)  # a query gives every row: each sheet is whole
        return parcels_from_records(self.label, records, self._columns, self.mapping, crs,
                                    "PostgreSQL", f"{self.schema}.{self.table}")


    def _srid_crs(self, cur, srid: int) -> CRS:
        """The CRS of ``srid`` as the source database defines it in its ``spatial_ref_sys``:
        the EPSG code its ``auth_name``/``auth_srid`` name when PROJ knows it and its
        ``srtext`` (else ``proj4text``) defines the same CRS (give or take a TOWGS84) or
        nothing; else that definition
        (a department's own SRID, or a number it defined differently from EPSG); refused,
        naming the table, the column and the SRID, when it defines none PROJ can read."""
        from pyproj.exceptions import CRSError

        cur.execute("SELECT auth_name, auth_srid, srtext, proj4text FROM spatial_ref_sys "
                    "WHERE srid = %s", (srid,))
        row = cur.fetchone()
        where = f"{self.label}: column {self._geometry!r}, SRID {srid}"
        if row is None:
            raise CadastreError(f"{where}: not in the source database's spatial_ref_sys, so "
                                "its coordinates cannot be placed; nothing was imported")
        auth, code, srtext, proj4 = row
        own = None
        for text in (srtext, proj4):
            if text and text.strip():
                try:
                    own = CRS.from_user_input(text.strip())
                    break
                except CRSError:
                    continue
        epsg = None
        if str(auth or "").strip().upper() == "EPSG" and code:
            try:
                epsg = CRS.from_epsg(int(code))
            except (CRSError, ValueError):
                epsg = None
        # PostGIS's own rows add a TOWGS84 (a Bound CRS): its base is the EPSG CRS
        base = own.source_crs if own is not None and own.type_name == "Bound CRS" else own
        if epsg is not None and (base is None or base.equals(epsg, ignore_axis_order=True)):
            return epsg
        if own is not None and (why := unplaceable(own)):
            raise CadastreError(f"{where}: spatial_ref_sys defines {crs_label(own)}, {why}: "
                                "its coordinates cannot be placed; nothing was imported")
        if own is not None:
            return own
        raise CadastreError(f"{where}: spatial_ref_sys gives no definition PROJ can read "
                            f"(auth {auth or '-'}:{code or '-'}, srtext and proj4text); "
                            "nothing was imported")


class FeaturesApiSource:
    """A collection of an OGC API - Features endpoint (GeoJSON items, WGS 84 lon/lat);
    ``{url}/collections/{collection}/items`` paged by its ``next`` links, sheets fetched with
    a property filter on the sheet column (OGC API - Features Part 1 queryables)."""

    def __init__(self, url: str, collection: str, mapping: FieldMapping):
        self.url, self.collection, self.mapping = url.rstrip("/"), collection, mapping
        self.label = hide_password(f"{self.url}/collections/{collection}")
        self.counts = True  # says how many features it gives (see counted)
        self.counted: set = set()
        self.kind = "department"  # read only: the advice of a refusal
        self.partial_note = ("the server does not count its features (no numberMatched; "
                             "its next links may stop at a cap of its own), so its answer "
                             "may be part of a sheet, which")

    def _link(self, params: dict) -> str:
        query = urllib.parse.urlencode({"f": "json", "limit": PAGE, **params})
        return f"{self.url}/collections/{self.collection}/items?{query}"

    def _items(self, params: dict) -> tuple[list, bool]:
        """Every feature of the query, page by page through the ``next`` links; checked
        against the first page's ``numberMatched`` (when the server gives it), so a server
        that caps its pages and stops is an error, not a silently short sheet. Also whether
        the answer was counted: only a ``numberMatched`` (then matched by what was received)
        counts; ``next`` links followed to the end do not (a server may stop giving them at a
        cap of its own, which cannot be told from the last page)."""
        out, pages, total, first_page = self._pages(params)
        counted = isinstance(total, int) and not isinstance(total, bool)
        first = self._link(params)
        repeated = _repeated(out) if counted else None
        if repeated:  # listed again in pages of another size: the same features both times
            size = len(first_page) - 1 if len(first_page) > 1 else 2  # is a duplicate in
            try:                                                      # the data
                again, _, _, again_first = self._pages({"limit": size, **params})
            except CadastreError as exc:
                raise CadastreError(
                    f"{hide_password(first)}: the server gave {repeated} more than once in "
                    f"{pages} page(s) (it counts {total} feature(s), numberMatched), and the "
                    "repeat could not be confirmed as a duplicate in the data because "
                    f"listing again (pages of {size}) failed: {exc}; nothing was imported, "
                    "the pull can be retried") from None
            if len(again_first) != min(size, len(again)):  # the server ignores limit: the
                raise CadastreError(                          # same pages prove nothing
                    f"{hide_password(first)}: the server gave {repeated} more than once in "
                    f"{pages} page(s) (it counts {total} feature(s), numberMatched), and the "
                    "repeat could not be confirmed as a duplicate in the data: listed again in "
                    f"pages of {size}, its first page held {len(again_first)} (the server "
                    "ignores limit, so its paging may have no stable order and some features "
                    "may be missing); nothing was imported")
            if _fingerprints(again) == _fingerprints(out):
                repeated = None
        if repeated:
            raise CadastreError(f"{hide_password(first)}: the server gave {repeated} more "
                                f"than once in {pages} page(s) (it counts {total} "
                                "feature(s), numberMatched): its paging has no stable order, "
                                "so some features may be missing; nothing was imported")
        if counted and len(out) != total:
            raise CadastreError(f"{hide_password(first)}: the server counts {total} feature(s) "
                                f"(numberMatched) but gave {len(out)} in {pages} page(s) "
                                "and no link to more; nothing was imported")
        return out, counted

    def _pages(self, params: dict) -> tuple[list, int, object, list]:
        """Every feature of the query through the ``next`` links: (the features, how many
        pages, the first page's ``numberMatched``, the first page's features)."""
        link = self._link(params)
        out: list = []
        seen = set()
        total, first_page = None, []
        while link and link not in seen:
            seen.add(link)
            page = _get_json(link)
            features = page.get("features")
            if not isinstance(features, list):
                raise CadastreError(f"{hide_password(link)}: not a GeoJSON FeatureCollection")
            if len(seen) == 1:
                total, first_page = page.get("numberMatched"), features
            out.extend(features)
            link = next((lnk.get("href") for lnk in page.get("links", ())
                         if lnk.get("rel") == "next"), None)
        return out, len(seen), total, first_page

    def _records(self, features):
        records, columns = [], []
        for feature in features:
            attrs = dict(feature.get("properties") or {})
            for name in attrs:
                if name not in columns:
                    columns.append(name)
            records.append((feature.get("geometry"), attrs))
        return records, columns

    def sheets(self) -> Dict[SheetKey, str | None]:
        """The sheets and their editions. The property names come from one feature
        (``limit=1``); the listing then asks for those properties only and no geometry
        (``properties=``, ``skipGeometry=true``: pygeoapi, ldproxy; not in Part 1). A server
        that refuses them, or whose answer does not hold the collection's ``numberMatched``
        features with their sheet property, is listed again in full."""
        first = _get_json(self._link({"limit": 1}))
        sample = first.get("features") if isinstance(first.get("features"), list) else []
        _, columns = self._records(sample)
        self.used = self.mapping.resolve(columns)
        keys = sorted({c for t, c in self.used.items()
                       if c and t in ("commune_code", "sheet_no", "sheet_edition")})
        features = None
        sheet_col = self.used.get("sheet_no")
        if sample and sheet_col:
            try:
                features, _ = self._items({"skipGeometry": "true",
                                           "properties": ",".join(keys)})
            except CadastreError:   # e.g. HTTP 400: the server knows neither parameter
                features = None
            total = first.get("numberMatched")
            if features is not None and (
                    not features or (isinstance(total, int) and len(features) != total)
                    or any(sheet_col not in (f.get("properties") or {}) for f in features)):
                features = None
        self.listing = "selected" if features is not None else "full"
        listed = features if features is not None else self._items({})[0]
        records, columns = self._records(listed)
        self.used = self.mapping.resolve(columns)
        _refuse_blank_sheets(self.label, self.used, [
            (f"id {f['id']}" if f.get("id") is not None else f"feature {n}", attrs)
            for n, (f, (_, attrs)) in enumerate(zip(listed, records), 1)])
        self._raw: Dict[SheetKey, set] = {}
        out: Dict[SheetKey, str | None] = {}
        for _, attrs in records:
            key, edition = _key(self.mapping, self.used, attrs, self.label)
            _newest(out, key, edition)
            self._raw.setdefault(key, set()).add(attrs.get(self.used.get("sheet_no")))
        return out

    def parcels(self, keys: Iterable[SheetKey]) -> ParcelSet:
        if not hasattr(self, "_raw"):
            self.sheets()
        sheet_col = self.used.get("sheet_no")
        if not sheet_col:
            raise CadastreError(f"{self.label}: no property for sheet_no")
        features = []
        wanted = set(keys)
        self.counted = set()
        for key in wanted:
            counted = True
            for raw in sorted(self._raw.get(key, ()), key=str):
                items, complete = self._items({sheet_col: raw})
                features += items
                counted = counted and complete
            if counted:
                self.counted.add(key)
        records, columns = self._records(features)
        parcels = parcels_from_records(self.label, records, columns, self.mapping,
                                       CRS.from_epsg(4326), "OGC API Features",
                                       self.collection)
        keep = [(_key_row(r), i) for i, r in parcels.frame.iterrows()]
        parcels.frame = parcels.frame.loc[[i for k, i in keep if k in wanted]]
        return parcels


def _repeated(features: list) -> str | None:
    """The name of the first feature that ``features`` holds twice (by its id, else by its
    number and properties), or None. A server paging by
    offset without a stable order repeats some features and never gives others. A repeat,
    under its own id or another (a server numbering the rows of each answer gives it a new
    id), may also be a parcel the data holds twice (an id that is the parcel's code):
    :meth:`FeaturesApiSource._items` tells them apart by listing again in pages of another
    size."""
    seen = set()
    for n, feature in enumerate(features, 1):
        ident = feature.get("id")
        keys = []
        if ident is not None:
            keys.append(("id", json.dumps(ident, sort_keys=True)))
        if feature.get("geometry") is not None:  # a listing without geometry: parcels look alike
            keys.append(("feature", _fingerprint(feature)))
        if ident is not None and keys[0] in seen:
            return f"feature id {ident}"
        if any(key in seen for key in keys):
            facts = json.dumps(feature.get("properties"), ensure_ascii=False, default=str)
            return f"feature {n} ({facts})"
        seen.update(keys)
    return None


def _fingerprint(feature: dict) -> str:
    """A feature's properties and geometry (not its id), as comparable text."""
    return json.dumps([feature.get("properties"), feature.get("geometry")], sort_keys=True,
                      default=str)


def _fingerprints(features: list) -> dict:
    """How many times each feature (:func:`_fingerprint`) occurs in ``features``."""
    out: dict = {}
    for feature in features:
        key = _fingerprint(feature)
        out[key] = out.get(key, 0) + 1
    return out


class WfsSource:
    """A feature type of a WFS 2.0 service, read with GDAL's WFS driver (GML 3.2 in the
    service's own CRS, its ``DefaultCRS``). The listing asks only for the sheet, commune and
    edition properties (``PROPERTYNAME``); changed sheets are fetched with a FES 2.0 filter of
    equality tests on the sheet (and commune) property, ``WFS_FILTER_SHEETS`` sheets per
    request; GDAL pages with ``STARTINDEX``/``COUNT`` (the service's ``CountDefault``). Every
    read is checked against the service's ``resultType=hits`` count, so a service that stops
    early is an error, not a silently short import."""

    def __init__(self, url: str, typename: str, mapping: FieldMapping):
        self.url, self.typename, self.mapping = url, typename, mapping
        self.label = hide_password(f"{url} {typename}")
        self.counts = True  # says how many features it gives (see counted)
        self._raw: Dict[SheetKey, list] | None = None
        self.counted: set = set()
        self.kind = "department"  # read only: the advice of a refusal
        self.partial_note = ("the service does not count its features (no hit count), so "
                             "its answer may be part of a sheet, which")

    def _open(self):
        from osgeo import gdal

        parsed = urllib.parse.urlparse(self.url)
        if parsed.scheme not in ("http", "https"):
            raise CadastreError(f"{hide_password(self.url)}: only http(s) endpoints are read")
        query = [(k, v) for k, v in urllib.parse.parse_qsl(parsed.query)
                 if k.upper() not in ("SERVICE", "REQUEST", "VERSION")]
        base = parsed._replace(query=urllib.parse.urlencode(
            query + [("VERSION", "2.0.0")])).geturl()
        with _gdal_options({"GDAL_HTTP_TIMEOUT": str(TIMEOUT_S)}):
            gdal.PushErrorHandler("CPLQuietErrorHandler")
            gdal.ErrorReset()
            try:
                ds = gdal.OpenEx(f"WFS:{base}", gdal.OF_VECTOR)
            except RuntimeError:  # GDAL's exceptions switched on elsewhere
                ds = None
            finally:
                gdal.PopErrorHandler()
        if ds is None:
            raise CadastreError(f"{hide_password(self.url)}: not a WFS service GDAL can read "
                                f"({_gdal_error()})")
        layer = ds.GetLayerByName(self.typename)
        if layer is None:
            names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
            raise CadastreError(f"{self.label}: no feature type {self.typename!r} (types: "
                                f"{', '.join(names) or 'none'})")
        defn = layer.GetLayerDefn()
        self._columns = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())
                         if defn.GetFieldDefn(i).GetName() != "gml_id"]
        self.used = self.mapping.resolve(self._columns)
        for required in ("sheet_no", "parcel_no"):
            if not self.used.get(required):
                raise CadastreError(f"{self.label}: no property for {required} (tried "
                                    f"{', '.join(self.mapping.rules[required].sources)})")
        return ds, layer

    def _read(self, layer, geometry: bool) -> tuple[list, bool]:
        """(geometry or None, attributes) of the layer's features under its current filter,
        checked against the service's count (``resultType=hits``); and whether it was
        counted: only when the service itself gave a number (a service that refuses
        ``resultType=hits`` and gives ``numberMatched="unknown"`` is not counted, whatever
        GDAL would count by reading)."""
        from osgeo import gdal, ogr

        defn = layer.GetLayerDefn()
        fields = [(i, defn.GetFieldDefn(i).GetName(), defn.GetFieldDefn(i).GetType())
                  for i in range(defn.GetFieldCount())
                  if defn.GetFieldDefn(i).GetName() in self._columns]
        out: list = []
        error = ""
        with _gdal_options({"GDAL_HTTP_TIMEOUT": str(TIMEOUT_S)}):
            gdal.PushErrorHandler("CPLQuietErrorHandler")
            gdal.ErrorReset()
            try:
                # only a count the service answered (resultType=hits, or numberMatched in
                # its answer): forced, GDAL counts what it reads, which proves nothing
                expected = layer.GetFeatureCount(0)
                layer.ResetReading()
                for feature in layer:
                    attrs = {}
                    for i, name, kind in fields:
                        if not feature.IsFieldSetAndNotNull(i):
                            attrs[name] = None
                        elif kind in (ogr.OFTDate, ogr.OFTDateTime):
                            y, m, d, hh, mm, ss, _ = feature.GetFieldAsDateTime(i)
                            attrs[name] = (f"{y:04d}-{m:02d}-{d:02d}" if kind == ogr.OFTDate
                                           else f"{y:04d}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:"
                                                f"{int(ss):02d}")
                        else:
                            attrs[name] = feature.GetField(i)
                    geom = None
                    if geometry:
                        geom = _shapely(feature.GetGeometryRef())
                    out.append((geom, attrs))
                error = _gdal_error(default="")
            except RuntimeError as exc:  # GDAL's exceptions switched on elsewhere
                error = hide_password(str(exc).strip()) or "read error"
            finally:
                gdal.PopErrorHandler()
        if error:
            raise CadastreError(f"{self.label}: {error}")
        if expected >= 0 and len(out) != expected:
            raise CadastreError(f"{self.label}: the service counts {expected} feature(s) but "
                                f"returned {len(out)}; nothing was imported")
        return out, expected >= 0

    def sheets(self) -> Dict[SheetKey, str | None]:
        ds, layer = self._open()
        keys = {c for t, c in self.used.items()
                if c and t in ("commune_code", "sheet_no", "sheet_edition")}
        layer.SetIgnoredFields([c for c in self._columns if c not in keys]
                               + ["gml_id", "OGR_GEOMETRY"])
        out: Dict[SheetKey, str | None] = {}
        self._raw = {}
        rows, _ = self._read(layer, geometry=False)
        _refuse_blank_sheets(self.label, self.used, [
            (f"feature {n}", attrs) for n, (_, attrs) in enumerate(rows, 1)])
        for _, attrs in rows:
            key, edition = _key(self.mapping, self.used, attrs, self.label)
            _newest(out, key, edition)
            raw = (attrs.get(self.used.get("commune_code")), attrs.get(self.used["sheet_no"]))
            if raw not in self._raw.setdefault(key, []):
                self._raw[key].append(raw)
        del layer, ds  # the layer lives as long as its dataset: close both here
        return out

    def parcels(self, keys: Iterable[SheetKey]) -> ParcelSet:
        wanted = set(keys)
        if self._raw is None:
            self.sheets()
        ds, layer = self._open()
        srs = layer.GetSpatialRef()
        crs = _crs_of(srs, self.label)
        sheet_col, commune_col = self.used["sheet_no"], self.used.get("commune_code")
        defn = layer.GetLayerDefn()
        kinds = {defn.GetFieldDefn(i).GetName(): defn.GetFieldDefn(i).GetType()
                 for i in range(defn.GetFieldCount())}
        pairs = [(key, raw) for key in sorted(wanted, key=lambda k: (k[0] or "", k[1]))
                 for raw in self._raw.get(key, [])]
        records: list = []
        self.counted = set(wanted)
        for a in range(0, len(pairs), WFS_FILTER_SHEETS):
            terms = []
            for _, (commune, sheet) in pairs[a:a + WFS_FILTER_SHEETS]:
                term = _ogr_equals(sheet_col, sheet, kinds)
                if commune_col:
                    term = f"({term} AND {_ogr_equals(commune_col, commune, kinds)})"
                terms.append(term)
            if layer.SetAttributeFilter(" OR ".join(terms)) != 0:
                raise CadastreError(f"{self.label}: GDAL refused the sheet filter "
                                    f"({_gdal_error()})")
            read, counted = self._read(layer, geometry=True)
            records += read
            if not counted:
                self.counted -= {key for key, _ in pairs[a:a + WFS_FILTER_SHEETS]}
        del layer, ds
        parcels = parcels_from_records(self.label, records, self._columns, self.mapping, crs,
                                       "WFS", self.typename)
        keep = [(_key_row(r), i) for i, r in parcels.frame.iterrows()]
        parcels.frame = parcels.frame.loc[[i for k, i in keep if k in wanted]]
        return parcels


def _shapely(ref):
    """A GML geometry read by GDAL as shapely (curves made linear, surfaces polygons)."""
    from osgeo import ogr

    if ref is None:
        return None
    if ref.HasCurveGeometry():
        ref = ref.GetLinearGeometry()
    if ogr.GT_Flatten(ref.GetGeometryType()) in (ogr.wkbMultiSurface, ogr.wkbPolygon):
        ref = ogr.ForceToMultiPolygon(ref)
    return wkb.loads(bytes(ref.ExportToWkb()))


#: Sheets asked for in one GetFeature filter of :class:`WfsSource` (keeps the URL short).
WFS_FILTER_SHEETS = 40


def _ogr_equals(column: str, value, kinds: dict) -> str:
    """An OGR SQL equality test of ``column`` with ``value`` (GDAL turns it into a FES 2.0
    ``PropertyIsEqualTo``, or ``PropertyIsNull`` for no value)."""
    from osgeo import ogr

    name = '"' + column.replace('"', '""') + '"'
    if value is None:
        return f"{name} IS NULL"
    if kinds.get(column) in (ogr.OFTInteger, ogr.OFTInteger64, ogr.OFTReal):
        return f"{name} = {float(value)!r}" if kinds[column] == ogr.OFTReal \
            else f"{name} = {int(value)}"
    return f"{name} = '" + str(value).replace("'", "''") + "'"


def _crs_of(srs, label: str) -> CRS | None:
    """The CRS GDAL read for a layer (EPSG code kept when it has one); None: undeclared."""
    if srs is None:
        return None
    if srs.GetAuthorityName(None) == "EPSG" and srs.GetAuthorityCode(None):
        return CRS.from_epsg(int(srs.GetAuthorityCode(None)))
    try:
        return CRS.from_wkt(srs.ExportToWkt())
    except Exception:  # pyproj's CRSError and others on a CRS it cannot take
        raise CadastreError(f"{label}: the service's CRS is not one PROJ knows") from None


class _gdal_options:  # noqa: N801 - used as a context manager
    """GDAL configuration options set for this thread within a ``with`` block."""

    def __init__(self, options: dict):
        self.options, self.saved = options, {}

    def __enter__(self):
        from osgeo import gdal

        for key, value in self.options.items():
            self.saved[key] = gdal.GetThreadLocalConfigOption(key, None)
            gdal.SetThreadLocalConfigOption(key, value)
        return self

    def __exit__(self, *exc):
        from osgeo import gdal

        for key, value in self.saved.items():
            gdal.SetThreadLocalConfigOption(key, value)


def _gdal_error(default: str = "no answer") -> str:
    from osgeo import gdal

    text = (gdal.GetLastErrorMsg() or "").strip()
    return hide_password(re.sub(r"\s+", " ", text))[:300] if text else default


class FileSource:
    """A cadastral file (the department's full export) as a source: only its sheets that are
    new or newer than the database's are imported."""

    def __init__(self, path, mapping: FieldMapping, crs=None, layer: str | None = None):
        from .reader import read_parcels

        self.parcels_read = read_parcels(path, mapping, layer=layer, crs=crs)
        self.label = str(path)
        self.kind = "file"  # the user may edit it (the advice of a refusal)
        self.counted: set = set()  # nothing says an export holds whole sheets
        self.counts = False  # a file is what it holds: nothing to count
        self.partial_note = "the file is an export that may hold part of a sheet, which"

    def sheets(self) -> Dict[SheetKey, str | None]:
        out: Dict[SheetKey, str | None] = {}
        for _, row in self.parcels_read.frame.iterrows():
            key = _key_row(row)
            edition = parse_edition(row["sheet_edition"])  # checked by the reader
            _newest(out, key, edition)
        return out

    def parcels(self, keys: Iterable[SheetKey]) -> ParcelSet:
        wanted = set(keys)
        parcels = self.parcels_read
        frame = parcels.frame
        chosen = frame.loc[[i for i, row in frame.iterrows() if _key_row(row) in wanted]]
        return dataclasses.replace(parcels, frame=chosen)


def _key_row(row) -> SheetKey:
    commune = row["commune_code"]
    return (commune if isinstance(commune, str) else None, number_key(row["sheet_no"]))


def _get_json(url: str) -> dict:
    shown = hide_password(url)
    scheme = urllib.parse.urlparse(url).scheme
    if scheme not in ("http", "https"):
        raise CadastreError(f"{shown}: only http(s) endpoints are read")
    request = urllib.request.Request(url, headers={"Accept": "application/geo+json, "
                                                             "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # nosec B310 # scheme checked above
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise CadastreError(f"{shown}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise CadastreError(f"{shown}: cannot connect ({getattr(exc, 'reason', exc)})") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise CadastreError(f"{shown}: the answer is not JSON") from None


def database_editions(db) -> Dict[SheetKey, str | None]:
    """Each stored sheet (its sheet number as a key: ``07`` is ``7``) and its newest
    edition; None: stored undated (imported from a source without editions)."""
    out: Dict[SheetKey, str | None] = {}
    for commune, sheet, stored in stored_sheets(db):
        key = (commune or None, number_key(sheet))
        edition = stored_edition(stored)
        if key not in out or (edition and (out[key] is None or edition > out[key])):
            out[key] = edition
    return out


def stored_twice(db) -> set:
    """The stored sheets (keys) live under several sheet numbers (``7`` and ``07``, left by
    versions before numbers were keys)."""
    numbers: dict = {}
    for commune, sheet, _ in stored_sheets(db):
        numbers.setdefault((commune or None, number_key(sheet)), set()).add(sheet)
    return {key for key, spelt in numbers.items() if len(spelt) > 1}


def _not_in_source(local: dict, remote: dict) -> list:
    """The stored sheets ``local`` that the source ``remote`` no longer holds, among the
    communes it holds (a source without a commune: among the stored sheets of every
    commune, by sheet number), sorted."""
    communes = {c for c, _ in remote}
    numbers = {s for _, s in remote}
    gone = [k for k in local if k not in remote and (
        k[0] in communes or (None in communes and k[1] not in numbers))]
    return sorted(gone, key=lambda k: (k[0] or "", k[1]))


def pull_sheets(target, source, *, user: str | None = None,
                progress: Optional[Callable[[float], None]] = None,
                is_cancelled: Optional[Callable[[], bool]] = None,
                trust_crs: bool = False, whole_sheet: bool = False) -> PullResult:
    """Fetch and import the sheets of ``source`` (a :class:`PostgisSource`,
    :class:`FeaturesApiSource`, :class:`WfsSource` or :class:`FileSource`) that the database
    ``target`` lacks or has in an older edition (``trust_crs`` as in :func:`import_parcels`).
    A new edition with fewer parcels than the stored sheet replaces it when the source
    counted the sheet (``counted``, see the module docstring) or ``whole_sheet`` confirms
    that the source holds whole sheets; otherwise the import refuses it."""
    if getattr(source, "parcels_read", None) is not None and source.parcels_read.errors:
        raise RowErrorsError(source.parcels_read.errors)
    remote = source.sheets()
    db = open_database(target)
    try:
        local = database_editions(db)
        twice = stored_twice(db)
    finally:
        db.close()
    # a sheet without an edition in the source cannot be compared by date: it is fetched and
    # compared with the stored parcels by the import (unchanged when they are the same); a
    # sheet stored twice is fetched for the import to judge each copy (the edition of its
    # newest copy replaces both)
    undated = [k for k, edition in remote.items() if edition is None and k in local]
    changed = sorted((k for k, edition in remote.items()
                      if k not in local or k in undated or k in twice or (
                          edition is not None and (local[k] is None or edition > local[k]))),
                     key=lambda k: (k[0] or "", k[1]))
    result = PullResult(source.label, remote, changed,
                        up_to_date=[k for k in remote if k not in changed],
                        undated=sorted(undated, key=lambda k: (k[0] or "", k[1])),
                        stored_undated=[k for k in changed if k in local and local[k] is None
                                        and remote[k] is not None],
                        not_in_source=_not_in_source(local, remote))
    if changed:
        parcels = source.parcels(changed)
        if source.counts:
            result.uncounted = [k for k in changed if k not in source.counted]
        result.imported = import_parcels(target, parcels, user=user, progress=progress,
                                         is_cancelled=is_cancelled, trust_crs=trust_crs,
                                         whole_sheet=whole_sheet or set(source.counted),
                                         partial_note=source.partial_note, per_sheet=True,
                                         source_kind=source.kind, source_sheets=remote)
        done = {(s.commune_code, str(s.sheet_no)): s.action for s in result.imported.sheets}
        result.up_to_date += [k for k in changed if k in undated or k in twice
                              if done.get(k) in ("unchanged", "older")]
    return result


def make_source(postgis: str | None = None, table: str | None = None,
                features: str | None = None, collection: str | None = None,
                mapping=None, file=None, wfs: str | None = None,
                typename: str | None = None):
    """The source the arguments name: exactly one of PostGIS + table, API URL + collection,
    WFS URL + feature type name, or a file."""
    mapping = mapping if isinstance(mapping, FieldMapping) else load_mapping(mapping)
    if sum(bool(v) for v in (postgis, features, wfs, file)) != 1:
        raise CadastreError("give one source: the department's PostGIS table (--postgis DSN "
                            "--table SCHEMA.TABLE), an OGC API Features collection (--features "
                            "URL --collection ID), a WFS 2.0 feature type (--wfs URL "
                            "--typename NAME) or an exported file (--file FILE)")
    if typename and not wfs:
        raise CadastreError("--typename names a feature type of the --wfs source; give "
                            "--wfs URL")
    if table and not postgis:
        raise CadastreError("--table names a table of the --postgis source; give --postgis DSN")
    if collection and not features:
        raise CadastreError("--collection names a collection of the --features source; give "
                            "--features URL")
    if file:
        return FileSource(file, mapping)
    if wfs:
        if not typename:
            raise CadastreError("--wfs needs --typename NAME (the parcel feature type)")
        return WfsSource(wfs, typename, mapping)
    if postgis:
        if not table:
            raise CadastreError("--postgis needs --table SCHEMA.TABLE")
        return PostgisSource(postgis, table, mapping)
    if not collection:
        raise CadastreError("--features needs --collection ID")
    return FeaturesApiSource(features, collection, mapping)
