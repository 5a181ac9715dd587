"""``cadastre import``: parcels into the provincial database, sheet by sheet.

Order of work, so that nothing is half-written: every bad row is listed at once; the CRS is
checked against the profile's province (a foreign file, or a wrong VN-2000 variant, is refused
before anything is written); the parcels move into the grid; the quality report repairs what
GEOS can; then one transaction writes every sheet.

Editions. A sheet is (commune_code, sheet_no), its numbers as keys (:mod:`.numbers`: ``07``
is sheet ``7``). Its edition is ``edition`` if given, else the newest ``sheet_edition`` of its
parcels, else none: it is stored undated (NULL), so that any dated edition replaces it. A
sheet already in the database
with the same edition is left as it is (``unchanged``); a newer edition replaces it (the old
parcels are tombstoned, so the old edition stays in the history); an older one is not
imported (``older``).

A new edition holding fewer parcels than the stored sheet is refused (a selection or part of
a sheet would otherwise tombstone the rest) unless ``whole_sheet`` confirms that the source
holds whole sheets (``--whole-sheet``), or names the sheets it holds whole (a pull: those
whose fetch was counted and checked complete: that lifts only the count). A new edition that
leaves a stored parcel mostly uncovered (LOST_SHARE; a parcel held back by a filtered
export), or more than UNCOVERED_SHARE of the stored parcel area, is refused the same way,
naming the parcels; when ``--whole-sheet`` allows it, the result lists the parcels that leave
the live map. A counted sheet with a parcel left out as invalid is refused, naming it, to be
fixed at the source. A sheet with
no edition in the data nor given is compared with the stored sheet parcel by parcel: the same
parcels are ``unchanged``; otherwise it replaces the stored sheet, undated.

A sheet stored under several spellings of its key (``7`` and ``07``, left live together by
versions before numbers were keys) is compared with each spelling's parcels, and an edition
not older than the newest copy (the same as it included) replaces them all; an older one
leaves both (the result names the spellings and their editions, ``stored_as``,
``stored_editions``).

A sheet written (new or replaced) that lies mostly on the live parcels under other keys
(the stored sheets' and those of the sheets written with it, taken together: a re-framed
sheet over two stored ones counts on both), or under which a stored sheet mostly lies (more
than DOUBLED_SHARE of its parcels or of its area), is refused, naming the sheets: the same
land twice in the live map would double the overlay's areas. Parcels that only overlap a
neighbouring stored sheet along its edge (two communes surveyed separately, a parcel drawn
whole on both sheets of a frame) are imported and reported as ``overlap`` findings naming
both parcels, and the slivers between them as ``gap`` findings. An import refuses the whole
source; a pull (``per_sheet``) only the sheets named, written again without them
(:class:`RefusedSheet`, with advice for the kind of source).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable, Collection, Optional, Union

import numpy as np
from shapely.ops import unary_union

from ..db import open_database
from ..errors import Cancelled
from ..io.rows import RowError, RowErrorsError
from .editions import EditionError, parse_edition, stored_edition
from .errors import CadastreError
from .numbers import number_key
from .placement import check_placement, outside_province, province_lonlat, to_grid_frame
from .quality import QualityReport, Tolerances, quality_report
from .reader import ParcelSet
from .sources import parcels_from_database, stored_sheets

TABLE = "cadastral_parcel"


@dataclass
class SheetResult:
    commune_code: str | None
    sheet_no: str
    edition: str
    action: str          # new, replaced, unchanged, older
    parcels: int
    replaced: int = 0
    previous_edition: str | None = None
    #: stored parcels the new edition leaves mostly uncovered (:class:`LeavingParcel`): they
    #: leave the live map
    leaving: list = field(default_factory=list)
    #: the sheet numbers it was stored under when more than one (``["07", "7"]``: the sheet
    #: was live twice; a new edition, or the newest copy's, replaced both) and the edition of
    #: each (None: undated)
    stored_as: list = field(default_factory=list)
    stored_editions: list = field(default_factory=list)

    def stored_twice(self) -> str | None:
        """What became of a sheet stored under several numbers, as the CLI prints it
        (``sheet 13297/7 was stored twice, as 07 (2025-01-01) and 7 (2024-01-01): both
        replaced``); None for a sheet stored once."""
        if not self.stored_as:
            return None
        copies = " and ".join(f"{number} ({edition or 'undated'})"
                              for number, edition in zip(self.stored_as, self.stored_editions))
        sheet = f"sheet {self.commune_code or '-'}/{self.sheet_no}"
        if self.action == "replaced":
            return f"{sheet} was stored twice, as {copies}: both replaced"
        return (f"{sheet} is stored twice, as {copies}: both kept, the edition "
                f"{self.edition or 'undated'} being older than {self.previous_edition}; "
                "import the newest edition again to replace both")


@dataclass(frozen=True)
class LeavingParcel:
    """A stored parcel that a new edition leaves mostly uncovered: its number, land use,
    area (m², of its outline) and the share of it left uncovered (0..1)."""

    parcel_no: str
    land_use: str | None
    area_m2: float
    uncovered: float

    @classmethod
    def of(cls, row, share: float) -> LeavingParcel:
        return cls(str(row["parcel_no"]), row.get("land_use") or None,
                   float(row["geom"].area), float(share))

    def text(self) -> str:
        """As the CLI and the refusals name it: ``parcel 57 (ONT, 400 m², 100% uncovered)``."""
        facts = [f for f in (self.land_use, f"{self.area_m2:.0f} m²") if f]
        return (f"parcel {self.parcel_no} ({', '.join(facts)}, "
                f"{100 * self.uncovered:.0f}% uncovered)")


@dataclass
class RefusedSheet:
    """Sheets refused together for doubling live land under another key (the text names
    them and the land), ``keys`` their (commune_code, sheet_no), ``reason`` the text with
    what the user can do about it."""

    keys: list
    reason: str

    @property
    def sheets(self) -> list[str]:
        return [f"{c or '-'}/{s}" for c, s in self.keys]

    @classmethod
    def of(cls, text: str, written: list, stored: list, kind: str,
           source_sheets: dict, twice: Collection = ()) -> RefusedSheet:
        """The refusal ``text`` of the sheets ``written`` over the stored sheets ``stored``
        ((commune, number as stored)), with the advice for a source of ``kind`` (``file``:
        the user can edit it; ``department``: a database or service the user only reads).
        The source holds one land under two keys when sheets written together overlap each
        other for a real share (``twice``, their keys) or a stored sheet named is one the
        source also holds (``source_sheets``: key -> edition); the advice then says so,
        and which key is current when the editions say so."""
        stored_keys = [(c or None, number_key(n)) for c, n in stored]
        held = {k for k in stored_keys if k in source_sheets}
        doubled = sorted(set(twice) | ((set(written) | held) if held else set()),
                         key=lambda k: (k[0] or "", k[1]))
        if len(doubled) > 1:
            names = " and ".join(f"{c or '-'}/{s} (edition "
                                 f"{source_sheets.get((c, s)) or 'undated'})"
                                 for c, s in doubled)
            editions = [source_sheets.get(k) for k in doubled]
            newest = max((e for e in editions if e), default=None)
            current = ""
            if all(editions) and editions.count(newest) == 1:
                c, s = doubled[editions.index(newest)]
                current = f"; its editions say {c or '-'}/{s} is the current one"
            what = (f"The source holds the same land under two keys, {names}{current}: "
                    + ("keep one of them in the file" if kind == "file" else
                       "the department should remove the other key from its source; until "
                       "then a pull leaves these sheets out and imports the others"))
        elif kind == "file":
            what = ("Give the file the stored sheet's commune code and sheet number; if it "
                    "replaces the stored sheet(s) (a new key or new sheet frames, e.g. after "
                    "communes merged), delete their parcels first (in QGIS; they stay in the "
                    "history)")
        else:
            what = ("If it replaces the stored sheet(s) (a new key or new sheet frames, e.g. "
                    "after communes merged), delete their parcels first (in QGIS; they stay "
                    "in the history) and pull again; otherwise the department's source holds "
                    "a wrong key: tell the department")
        return cls(sorted(set(written), key=lambda k: (k[0] or "", k[1])),
                   f"{text}: the same sheet under another key? {what}")


@dataclass
class ImportResult:
    source: str
    target: str
    placement: str
    quality: QualityReport
    sheets: list = field(default_factory=list)
    skipped_invalid: int = 0
    #: :class:`RefusedSheet` left out of a pull (nothing of them written)
    refused: list = field(default_factory=list)

    @property
    def inserted(self) -> int:
        return sum(s.parcels for s in self.sheets if s.action in ("new", "replaced"))

    @property
    def tombstoned(self) -> int:
        return sum(s.replaced for s in self.sheets)

    def summary(self) -> dict:
        return {"source": self.source, "target": self.target, "placement": self.placement,
                "inserted": self.inserted, "tombstoned": self.tombstoned,
                "left_out_invalid": self.skipped_invalid,
                "sheets": [vars(s) for s in self.sheets],
                "refused": [{"sheets": r.sheets, "reason": r.reason} for r in self.refused],
                "quality": self.quality.summary()}


def import_parcels(target, parcels: ParcelSet, *, user: str | None = None,
                   edition: str | None = None, tolerances: Tolerances | None = None,
                   progress: Optional[Callable[[float], None]] = None,
                   is_cancelled: Optional[Callable[[], bool]] = None,
                   trust_crs: bool = False,
                   whole_sheet: Union[bool, Collection[tuple]] = False,
                   partial_note: str | None = None, per_sheet: bool = False,
                   source_kind: str = "file",
                   source_sheets: dict | None = None) -> ImportResult:
    """Import ``parcels`` (read by :func:`.reader.read_parcels` or another source) into the
    RoadInfra database ``target``; see the module docstring. ``trust_crs``: accept a declared
    VN-2000 CRS of another zone that the placement check would take for a mislabelled file;
    ``whole_sheet``: True when each sheet of ``parcels`` is whole, or the (commune_code,
    sheet_no) keys of the sheets that are, so that a new edition with fewer parcels than the
    stored one replaces it; ``partial_note``: why the others may be part of a sheet, for the
    refusal. A sheet doubling live land under another key refuses the whole import, unless
    ``per_sheet`` (a pull): then only the sheets named are left out (nothing of them is
    written; :attr:`ImportResult.refused` says why) and the others are imported.
    ``source_kind`` (``file`` or ``department``: a database or web service the user only
    reads) chooses the advice; ``source_sheets``: every sheet the source holds, key ->
    edition (a pull's list; default the sheets of ``parcels``), to tell a source holding one
    land under two keys."""
    if parcels.errors:
        raise RowErrorsError(parcels.errors)
    if not len(parcels.frame):
        raise CadastreError(f"{parcels.source}: no parcels to import")
    try:
        edition = parse_edition(edition)
    except EditionError as exc:
        raise CadastreError(f"edition of the sheets: {exc}") from None
    editions = _editions(parcels)
    db = open_database(target)
    try:
        placement = check_placement(parcels, db.profile, province_lonlat(db),
                                    trust_crs=trust_crs)
        grid = ParcelSet(parcels.source, _number_keys(to_grid_frame(parcels, db.profile)),
                         None, parcels.mapping, parcels.columns, [], parcels.driver,
                         parcels.layer)
        outside = outside_province(grid.frame, parcels.source, db.province_area(),
                                   db.profile)
        if outside:
            raise RowErrorsError(outside)
        grid.crs = grid.frame.crs
        tolerances = tolerances or Tolerances.from_profile(db.profile)
        report = quality_report(grid, tolerances,
                                progress=lambda p: progress and progress(0.4 * p),
                                is_cancelled=is_cancelled)
        frame = report.parcels
        skipped = len(grid.frame) - len(frame)
        left_out = _left_out(grid.frame, frame)
        districts = _districts(db)
        variants = _stored_variants(db)
        frame = frame.assign(sheet_edition=[edition or editions[r] for r in frame["row"]])
        keys = frame["commune_code"].where(frame["commune_code"].notna(), None)
        groups = frame.groupby([keys.fillna(""), frame["sheet_no"].astype(str)], sort=True)
        if source_sheets is None:
            source_sheets = {(c or None, s): max((e for e in p["sheet_edition"] if e),
                                                 default=None) for (c, s), p in groups}
        refused: list = []  # RefusedSheet: left out of a per-sheet import
        while True:
            result = ImportResult(parcels.source, str(db.target), placement.message, report,
                                  skipped_invalid=skipped, refused=list(refused))
            try:
                edges = _write_sheets(db, parcels.source, groups, variants, result,
                                      refused, user=user, whole_sheet=whole_sheet,
                                      left_out=left_out, districts=districts,
                                      report=report, partial_note=partial_note,
                                      per_sheet=per_sheet, source_kind=source_kind,
                                      source_sheets=source_sheets, progress=progress,
                                      is_cancelled=is_cancelled)
            except _DoubledError as doubled:  # rolled back: write again without those sheets
                refused += doubled.refused
                report, skipped = _report_without(grid, refused, tolerances, is_cancelled)
                continue
            report.add_findings(edges)
            return result
    finally:
        db.close()


class _DoubledError(Exception):
    """Sheets of a per-sheet import doubling live land (:class:`RefusedSheet`): the
    transaction is rolled back and written again without them."""

    def __init__(self, refused: list):
        super().__init__("sheets doubling live land")
        self.refused = refused


def _write_sheets(db, source: str, groups, variants: dict, result: ImportResult,
                  refused: list, *, user, whole_sheet, left_out, districts, report,
                  partial_note, per_sheet, source_kind, source_sheets, progress,
                  is_cancelled) -> list:  # noqa: C901 - the import's one transaction
    """Write the sheets ``groups`` in one transaction, but those ``refused``, into
    ``result``; the edge findings; see :func:`import_parcels`."""
    left = {key for r in refused for key in r.keys}
    short: list[str] = []  # sheets a part of which would replace the whole
    invalid: list[str] = []  # counted sheets with a parcel left out as invalid
    counted_short: list[str] = []  # counted sheets that leave stored parcels uncovered
    written: list[tuple] = []  # (sheet key, its parcels) of the sheets written
    with db.transaction():
        for done, ((commune, sheet), part) in enumerate(groups, 1):
            if (commune or None, sheet) in left:
                continue
            if is_cancelled is not None and is_cancelled():
                raise Cancelled(f"{source}: import cancelled, nothing written")
            commune = commune or None
            dated = part["sheet_edition"].notna().any()
            new_edition = max(e for e in part["sheet_edition"] if e) if dated else None
            spellings = sorted(variants.get((commune, sheet), [sheet]))
            old = db.fetch(TABLE, {"commune_code": commune, "sheet_no": spellings})
            old_editions = [e for e in (stored_edition(r["sheet_edition"]) for r in old) if e]
            previous = max(old_editions) if old_editions else None
            sheet_result = SheetResult(commune, sheet, new_edition, "new", len(part),
                                       previous_edition=previous)
            copies = _copies(old)  # more than one: the sheet is stored twice
            if len(copies) > 1:
                sheet_result.stored_as = list(copies)
                sheet_result.stored_editions = list(copies.values())
            if old and not dated and _same_parcels(part, old):  # the stored edition stays
                sheet_result.action, sheet_result.parcels = "unchanged", 0
                sheet_result.edition = previous
            elif (old and dated and previous is not None and new_edition == previous
                  and len(copies) == 1):  # stored twice: the older copy is replaced
                sheet_result.action, sheet_result.parcels = "unchanged", 0
            elif old and dated and previous is not None and new_edition < previous:
                sheet_result.action, sheet_result.parcels = "older", 0
            elif old and (refusal := _refusals(whole_sheet, (commune, sheet), part, old,
                                               left_out, previous, new_edition)):
                {"invalid": invalid, "counted": counted_short, "part": short}[
                    refusal[0]].append(refusal[1])
                continue
            else:
                if old:
                    for row in old:
                        db.tombstone(TABLE, row["id"], user=user)
                    sheet_result.action, sheet_result.replaced = "replaced", len(old)
                    sheet_result.leaving = [LeavingParcel.of(row, share) for row, share
                                            in _lost(part, old)]
                db.insert(TABLE, [_row(r, source, new_edition, districts)
                                  for _, r in part.iterrows()], user=user)
                written.append(((commune, sheet), part))
            result.sheets.append(sheet_result)
            if progress is not None:
                progress(40 + 60 * done / max(len(groups), 1))
        known = [g for g in report.issues.geometry[report.issues["kind"] == "gap"]]
        doubled, edges = _on_other_sheets(db, written, known, report.tolerances)
        if doubled:  # raised inside the transaction: nothing is written
            texts = [RefusedSheet.of(text, written_keys, stored_names, source_kind,
                                     source_sheets, twice) for text, written_keys, stored_names,
                     twice in doubled]
            if per_sheet:
                raise _DoubledError(texts)
            raise CadastreError(f"{source}: {'; '.join(t.reason for t in texts)}; "
                                "nothing was imported")
        if invalid:  # raised inside the transaction: nothing is written
            raise CadastreError(f"{source}: {'; '.join(invalid)}; nothing was "
                                "imported")
        if short or counted_short:
            why = (partial_note if short and not counted_short else None)
            raise CadastreError(
                f"{source}: {'; '.join(short + counted_short)}: "
                f"{why or 'a selection or part of a sheet'} would remove the "
                "stored parcels it lacks; import whole sheets, or confirm "
                "that the new edition is the whole sheet (--whole-sheet; Whole sheets in "
                "QGIS); nothing was imported")
    return edges


#: A new edition leaving more than this share of the stored sheet's parcel area uncovered is
#: a part of the sheet, however many parcels it holds (parcels subdivided).
UNCOVERED_SHARE = 0.01


def _number_keys(frame):
    """``frame`` with its sheet and parcel numbers as keys (:func:`.numbers.number_key`:
    ``07`` is sheet ``7``)."""
    return frame.assign(sheet_no=frame["sheet_no"].map(number_key),
                        parcel_no=frame["parcel_no"].map(number_key))


def _stored_variants(db) -> dict:
    """(commune_code, sheet key) -> the sheet numbers stored for it as written (a sheet
    imported as ``07`` before numbers were keys is found as sheet ``7``)."""
    out: dict = {}
    for commune, sheet, _ in stored_sheets(db):
        key = (commune or None, number_key(sheet))
        if sheet not in out.setdefault(key, []):
            out[key].append(sheet)
    return out


#: A sheet lying on a stored sheet under another key for more than this share of its parcels
#: or of its area (or a stored sheet lying so under it) is the same land twice in the live
#: map; less is the edge two neighbouring sheets share.
DOUBLED_SHARE = 0.5


def _on_other_sheets(db, written: list, known_gaps: list, tol) -> tuple:
    """(refusals, findings) for the sheets written (``written``: (key, grid
    parcels)), judged against the live parcels under other keys: the stored sheets' and
    those of the other sheets written with them. A refusal, naming the sheets, per sheet
    written that lies mostly on that union (more than DOUBLED_SHARE of its parcels or of its
    area: a sheet re-framed over two stored sheets counts on both), and per stored sheet
    that lies mostly under the sheets written: the same land would be twice in the live map
    (its corridor areas counted twice), e.g. sheet ``-/7`` from a source without a commune
    column over the stored ``13297/7``, or one file holding a sheet under two keys. Each
    refusal is (text, keys of the sheets written it names, (commune, number as stored) of
    the stored sheets it names, keys of the sheets written it finds on one another).
    Without a refusal, ``findings``: the parcels overlapping a stored parcel of a
    neighbouring sheet (:func:`_edge_overlaps`) and the slivers between them
    (:func:`_edge_gaps`; but those the quality report found, ``known_gaps``)."""
    from shapely.prepared import prep

    from ..spatial_index import query_indices, strtree

    keys = {key for key, _ in written}
    covers = {key: unary_union([g for g in part.geometry if g is not None])
              for key, part in written}
    pieces = [(key, g) for key, part in written for g in part.geometry
              if g is not None and not g.is_empty]  # every parcel written, indexed once
    index = strtree([g for _, g in pieces])

    def written_on(area, but=None) -> dict:  # written key -> its parcels meeting ``area``
        shape, out = prep(area), {}
        for i in query_indices(index, area):
            if pieces[i][0] != but and shape.intersects(pieces[i][1]):
                out.setdefault(pieces[i][0], []).append(pieces[i][1])
        return out

    sheets: dict = {}  # stored sheet name -> (edition, its live parcels)

    def stored_sheet(name, commune, number):
        if name not in sheets:
            rows = db.fetch(TABLE, {"commune_code": commune, "sheet_no": number})
            sheets[name] = (stored_edition(rows[0]["sheet_edition"]) if rows else None, rows)
        return sheets[name]

    parts = dict(written)
    refusals, named, touched, neighbours = [], {}, {}, []
    for key, part in written:
        cover = covers[key]
        if cover.is_empty or cover.area <= 0:
            continue
        near = _stored_near(db, cover.buffer(tol.gap_width_m, join_style=2), keys)
        shape = prep(cover)
        on = near[np.asarray([shape.intersects(g) for g in near.geometry], dtype=bool)]
        others = []  # (name, text, geometries meeting it) of the sheets under other keys
        for name in sorted(set(on["sheet"])):
            mine = on[on["sheet"] == name]
            touched[name] = (mine["commune_code"].iloc[0], str(mine["sheet_no"].iloc[0]))
            edition, rows = stored_sheet(name, *touched[name])
            others.append((name, f"the stored sheet {name} (edition {edition or 'undated'}, "
                                 f"{len(rows)} live parcel(s))", list(mine.geometry)))
        meeting = written_on(cover, but=key)
        for other in sorted(meeting, key=str):
            edition = max((e for e in parts[other]["sheet_edition"] if e), default=None)
            others.append((other, f"the sheet {other[0] or '-'}/{other[1]} fetched with it "
                                  f"(edition {edition or 'undated'}, {len(parts[other])} "
                                  "parcel(s))", meeting[other]))
        refusal = _lies_on(key, part, cover, others)
        if refusal is None:
            neighbours.append((part, on, near))
            continue
        text, names = refusal
        named[key] = names
        if any(isinstance(n, str) for n in names) or not all(
                key in named.get(n, ()) for n in names):  # not the other side of a pair
            together = [n for n in names if not isinstance(n, str)]
            refusals.append((text, [key] + together,
                             [touched[n] for n in names if isinstance(n, str)],
                             [key] + together if together else []))
    refusals += _lying_under(touched, stored_sheet, written_on,
                             {n for names in named.values() for n in names})
    findings = []
    if not refusals:
        for part, on, near in neighbours:
            findings += _edge_overlaps(part, on, tol) + _edge_gaps(part, near, known_gaps, tol)
    return refusals, findings


def _stored_near(db, area, keys: set):
    """The live parcels whose bounding box meets ``area`` (grid), but those under ``keys``
    (the sheets written), with their sheet's name (``13297/7``, ``-/7``) in ``sheet`` and
    their commune code None when blank."""
    near = parcels_from_database(db, near=[area])
    communes = [c if isinstance(c, str) and c else None for c in near["commune_code"]]
    keep = np.asarray([(c, number_key(s)) not in keys and g is not None and not g.is_empty
                       for c, s, g in zip(communes, near["sheet_no"], near.geometry)],
                      dtype=bool)
    near = near.assign(commune_code=communes)[keep]
    return near.assign(sheet=[f"{c or '-'}/{s}" for c, s in zip(near["commune_code"],
                                                                near["sheet_no"])])


def _lies_on(key, part, cover, others: list) -> tuple | None:
    """(refusal, names of the sheets it names) when the sheet ``key`` (grid parcels
    ``part``, their union ``cover``) lies mostly on the union of ``others`` ((name, text,
    geometries) of the sheets under other keys it meets); None when it does not."""
    if not others:
        return None
    on_it = sum(share > DOUBLED_SHARE for share in _covered(
        [g for _, _, geoms in others for g in geoms], part.geometry))
    shared = cover.intersection(unary_union([g for _, _, geoms in others
                                             for g in geoms])).area
    if on_it <= DOUBLED_SHARE * len(part) and shared <= DOUBLED_SHARE * cover.area:
        return None
    each = [(name, text, sum(share > DOUBLED_SHARE for share in _covered(geoms, part.geometry)),
             cover.intersection(unary_union(geoms)).area) for name, text, geoms in others]
    real = _real_shares({e[0]: (e[2], e[3]) for e in each})
    each = [e for e in each if e[0] in real]
    total = f"{on_it} parcel(s), {shared:.0f} m² ({100 * shared / cover.area:.0f}% of its area)"
    head = f"sheet {key[0] or '-'}/{key[1]} ({len(part)} parcel(s)) lies on "
    if len(each) == 1:
        return head + f"{each[0][1]} for {total}", [each[0][0]]
    return (head + " and on ".join(f"{text} for {count} parcel(s), {area:.0f} m²"
                                   for _, text, count, area in each) + f": in all {total}",
            [name for name, *_ in each])


def _real_shares(each: dict) -> list:
    """The keys of ``each`` (key -> (parcels more than DOUBLED_SHARE on the other side, m²
    shared)) that share land for a real share: more than DOUBLED_SHARE of a parcel, as the
    doubling rule counts, not an edge they touch or overlap by a sliver (a neighbouring
    sheet); when none does (land split finer than its parcels), those sharing 1 m² or
    more, else all."""
    return ([k for k, (count, _) in each.items() if count]
            or [k for k, (_, area) in each.items() if area >= 1.0] or list(each))


def _lying_under(touched: dict, stored_sheet, written_on, named: set) -> list:
    """Refusals (as :func:`_on_other_sheets` gives them) for the stored sheets ``touched``
    (name -> (commune, number as stored); ``stored_sheet`` gives its edition and live
    parcels) that lie mostly under the sheets written together (``written_on``: their
    parcels meeting an area, per key): more than DOUBLED_SHARE of their live parcels or of
    their area; but for those a refusal already names (``named``). A refusal names the
    sheets written that hold the stored land for a real share (:func:`_real_shares`), not
    a neighbour along its frame; and, as holding one land twice, those of them that
    overlap each other for a real share."""
    out = []
    for name in sorted(touched):
        edition, rows = stored_sheet(name, *touched[name])
        mine = [r["geom"] for r in rows if r.get("geom") is not None]
        stored_cover = unary_union(mine) if mine else None
        if name in named or stored_cover is None or stored_cover.area <= 0:
            continue
        over = written_on(stored_cover)
        geoms = [g for found in over.values() for g in found]
        shared = stored_cover.intersection(unary_union(geoms)).area if geoms else 0.0
        under = sum(share > DOUBLED_SHARE for share in _covered(geoms, mine))
        if under <= DOUBLED_SHARE * len(rows) and shared <= DOUBLED_SHARE * stored_cover.area:
            continue
        real = sorted(_real_shares({k: (
            sum(share > DOUBLED_SHARE for share in _covered(found, mine)),
            stored_cover.intersection(unary_union(found)).area) for k, found in over.items()}),
            key=str)
        twice = set()
        for key in real:  # the sheets named that overlap one another on this land
            meeting = written_on(unary_union(over[key]), but=key)
            for other in real:
                if other in meeting and any(share > DOUBLED_SHARE for share in _covered(
                        meeting[other], over[key])):
                    twice |= {key, other}
        writers = ", ".join(f"{k[0] or '-'}/{k[1]}" for k in real)
        out.append((f"the stored sheet {name} (edition {edition or 'undated'}, {len(rows)} "
                   f"live parcel(s)) lies under the sheet(s) {writers} for {under} "
                   f"parcel(s), {shared:.0f} m² ({100 * shared / stored_cover.area:.0f}% of "
                   "its area)", real, [touched[name]], sorted(twice, key=str)))
    return out


#: An overlap with a stored parcel over more than this share of the smaller of the two is
#: the same land drawn on both sheets, not an edge the sheets disagree on.
DRAWN_TWICE_SHARE = 0.9


def _edge_overlaps(part, stored, tol) -> list[dict]:
    """``overlap`` findings: each parcel of ``part`` (grid) overlapping a parcel of
    ``stored`` (live parcels of neighbouring sheets, their sheet name in ``sheet``) by
    ``tol.overlap_min_m2`` or more, naming both: along the edge two sheets disagree, or,
    over nearly all the smaller parcel (DRAWN_TWICE_SHARE), the land drawn on both sheets."""
    from ..spatial_index import query_indices, strtree

    rows = list(stored.itertuples())
    tree = strtree([row.geometry for row in rows])
    out = []
    for _, new in part.iterrows():
        if new.geometry is None or new.geometry.is_empty:
            continue
        for k in query_indices(tree, new.geometry):
            row = rows[k]
            if not new.geometry.intersects(row.geometry):
                continue
            piece = new.geometry.intersection(row.geometry)
            if piece.area < tol.overlap_min_m2:
                continue
            share = piece.area / min(new.geometry.area, row.geometry.area)
            why = (f"{100 * share:.0f}% of the smaller parcel: land drawn on both sheets"
                   if share > DRAWN_TWICE_SHARE else "two sheets disagree along their edge")
            out.append({
                "kind": "overlap", "row": int(new["row"]), "sheet_no": new["sheet_no"],
                "parcel_no": new["parcel_no"], "other": f"{row.sheet}/{row.parcel_no}",
                "value": round(piece.area, 2), "geometry": piece,
                "message": f"overlaps parcel {row.parcel_no} of the stored sheet {row.sheet} "
                           f"by {piece.area:.1f} m² ({why})"})
    return out


#: A parcel runs along a gap for at least this (m); one meeting it at a corner only is not
#: named, and a gap only one side runs along is not between a new sheet and a stored one.
EDGE_MIN_M = 0.1


def _edge_gaps(part, stored, known: list, tol) -> list[dict]:
    """``gap`` findings (:func:`.quality.cover_gaps`) between the parcels of ``part`` (grid)
    and the live parcels ``stored`` of neighbouring sheets (their sheet name in ``sheet``):
    the sliver along the frame between a new sheet and a stored one, which the quality
    report of the new sheet alone cannot see (but those it found, ``known``: a strip open
    beside the new parcels that the stored ones close). Only the parcels of either side
    within ``tol.gap_width_m`` of the other are joined (the band along their common edge)."""
    from ..spatial_index import query_indices, strtree
    from .quality import cover_gaps

    new = [(r, r.geometry) for _, r in part.iterrows()
           if r.geometry is not None and not r.geometry.is_empty]
    old = [(r, r.geometry) for r in stored.itertuples()]
    if not new or not old:
        return []
    width = tol.gap_width_m

    def band(these, those):
        tree = strtree([g for _, g in those])
        return [(r, g) for r, g in these if any(
            g.distance(those[k][1]) < width for k in query_indices(tree, g.buffer(width)))]

    new, old = band(new, old), band(old, new)
    if not new or not old:
        return []
    geoms = [g for _, g in new] + [g for _, g in old]
    out = []
    for gap, near, _ in cover_gaps(geoms, strtree(geoms), tol):
        edge = gap.boundary
        near = [k for k in near  # the parcels along it, not meeting it at a corner only
                if edge.intersection(geoms[k].buffer(0.01)).length >= EDGE_MIN_M]
        mine = [new[k][0] for k in near if k < len(new)]
        theirs = [old[k - len(new)][0] for k in near if k >= len(new)]
        if not mine or not theirs or any(
                gap.intersects(g) and gap.intersection(g).area > DOUBLED_SHARE * gap.area
                for g in known):
            continue  # within one side (a stored sheet's own), or found by the quality report
        names = ", ".join(f"{r['sheet_no']}/{r['parcel_no']}" for r in mine[:6])
        stored_names = ", ".join(f"{r.sheet}/{r.parcel_no}" for r in theirs[:6])
        out.append({
            "kind": "gap", "row": int(mine[0]["row"]), "sheet_no": mine[0]["sheet_no"],
            "parcel_no": mine[0]["parcel_no"], "other": f"{theirs[0].sheet}/{theirs[0].parcel_no}",
            "value": round(gap.area, 2), "geometry": gap,
            "message": f"gap of {gap.area:.1f} m² between parcels {names} and the stored "
                       f"parcels {stored_names} (along the edge of two sheets)"})
    return out


def _covered(cover, geoms) -> list[float]:
    """The share (0..1) of each of ``geoms`` that the geometries ``cover`` (grid) cover."""
    from ..spatial_index import query_indices, strtree

    new = [g for g in cover if g is not None and not g.is_empty]
    tree = strtree(new) if new else None
    out = []
    for geom in geoms:
        if geom is None or geom.is_empty or geom.area <= 0 or tree is None:
            out.append(0.0)
            continue
        near = [new[i] for i in query_indices(tree, geom)]
        out.append(geom.intersection(unary_union(near)).area / geom.area if near else 0.0)
    return out


def _uncovered(part, old: list) -> tuple:
    """(m², share) of the stored parcels' area ``old`` that the new parcels ``part`` (grid)
    do not cover."""
    stored = unary_union([r["geom"] for r in old if r.get("geom") is not None])
    if stored.is_empty or stored.area <= 0:
        return 0.0, 0.0
    gap = stored.difference(unary_union([g for g in part.geometry if g is not None])).area
    return gap, gap / stored.area


def _report_without(grid: ParcelSet, refused: list, tolerances, is_cancelled) -> tuple:
    """(quality report, parcels it leaves out as invalid) of the parcels ``grid`` but those
    of the sheets ``refused`` (:class:`RefusedSheet`): a pull reports the findings of the
    sheets it may write, not of those it refused (their overlaps with the others included)."""
    left = {key for r in refused for key in r.keys}
    frame = grid.frame
    keep = np.asarray([(None if c is None or c != c or c == "" else c, str(s)) not in left
                       for c, s in zip(frame["commune_code"], frame["sheet_no"])], dtype=bool)
    kept = dataclasses.replace(grid, frame=frame[keep])
    report = quality_report(kept, tolerances, is_cancelled=is_cancelled)
    return report, len(kept.frame) - len(report.parcels)


def _left_out(fetched, imported) -> dict:
    """Parcels of ``fetched`` that the quality check leaves out of ``imported``, per
    (commune_code, sheet_no): their numbers (such a sheet is not whole however its source was
    counted)."""
    gone = fetched[~fetched["row"].isin(imported["row"])]
    out: dict = {}
    for commune, sheet, number in zip(gone["commune_code"], gone["sheet_no"],
                                      gone["parcel_no"]):
        key = (None if commune is None or commune != commune or commune == "" else commune,
               str(sheet))
        out.setdefault(key, []).append(str(number))
    return out


def _copies(old: list) -> dict:
    """Sheet number as stored -> the newest edition of its parcels ``old`` (None: undated),
    sorted by number: more than one when the sheet is stored twice (``07`` and ``7``)."""
    out: dict = {}
    for row in old:
        edition = stored_edition(row["sheet_edition"])
        number = str(row["sheet_no"])
        if number not in out or (edition and (out[number] is None or edition > out[number])):
            out[number] = edition
    return dict(sorted(out.items()))


def _refusals(whole_sheet, key: tuple, part, old: list, left_out: dict, previous,
              new_edition) -> tuple | None:
    """:func:`_refusal` against the stored parcels ``old``, or, when the sheet is stored
    under several spellings (``7`` and ``07``: live twice), against each spelling's parcels
    (each is a copy of the sheet the new edition must cover); the refusal says so."""
    spellings = sorted({str(r["sheet_no"]) for r in old})
    if len(spellings) == 1:
        return _refusal(whole_sheet, key, part, old, left_out, previous, new_edition)
    for spelling in spellings:
        copy = [r for r in old if str(r["sheet_no"]) == spelling]
        editions = [e for e in (stored_edition(r["sheet_edition"]) for r in copy) if e]
        refusal = _refusal(whole_sheet, key, part, copy, left_out,
                           max(editions) if editions else None, new_edition)
        if refusal:
            return refusal[0], (f"{refusal[1]} (the sheet is stored twice, as "
                                f"{' and '.join(spellings)}; stored as {spelling})")
    return None


def _refusal(whole_sheet, key: tuple, part, old: list, left_out: dict, previous,
             new_edition) -> tuple | None:  # noqa: C901 - one guard after another
    """Why the new edition ``part`` of the sheet ``key`` may not replace the stored parcels
    ``old``: ("invalid", text) for a sheet its source counted whole but with parcels left out
    as invalid (to be fixed at the source), ("counted", text) / ("part", text) for a counted /
    uncounted one that may be part of a sheet; None when it may. ``whole_sheet`` True (the
    user confirms whole sheets) lifts every guard; a counted sheet (``key`` in
    ``whole_sheet``) lifts only the fewer-parcels one."""
    if whole_sheet is True:
        return None
    sheet = f"sheet {key[0] or '-'}/{key[1]}: the new edition {new_edition or '(undated)'}"
    stored = f"the stored edition {previous or '(undated)'}"
    dropped = left_out.get(key, [])
    counted = not isinstance(whole_sheet, bool) and key in whole_sheet
    if counted and dropped:
        more = f" and {len(dropped) - 10} more" if len(dropped) > 10 else ""
        return "invalid", (f"{sheet} is counted whole by its source, but parcel(s) "
                           f"{', '.join(dropped[:10])}{more} are invalid and were left out: the "
                           "import would remove them from the live map; fix them at the source "
                           "and pull again")
    kind = "counted" if counted else "part"
    if not counted and len(part) < len(old):
        return kind, (f"{sheet} holds {len(part)} parcel(s)"
                       + (f" ({len(dropped)} more left out as invalid)" if dropped else "")
                       + f", {stored} holds {len(old)}")
    lost = _lost(part, old)
    if lost:
        more = f" and {len(lost) - 10} more" if len(lost) > 10 else ""
        return kind, (f"{sheet} leaves mostly uncovered {len(lost)} parcel(s) of {stored}: "
                      + ", ".join(LeavingParcel.of(row, share).text() for row, share
                                  in lost[:10]) + more)
    gap = _uncovered(part, old)
    if gap[1] > UNCOVERED_SHARE:
        return kind, (f"{sheet} leaves {gap[0]:.0f} m² ({100 * gap[1]:.0f}%) of {stored}'s "
                       "parcel area uncovered")
    return None


#: A stored parcel more than this share of whose area the new edition does not cover leaves
#: the live map with it (a parcel held back by a filtered export, not a subdivision).
LOST_SHARE = 0.5


def _lost(part, old: list) -> list:
    """[(stored row, uncovered share)] of the stored parcels ``old`` that the new parcels
    ``part`` (grid) leave more than LOST_SHARE uncovered, in the stored order."""
    shares = _covered(part.geometry, [row.get("geom") for row in old])
    return [(row, 1 - covered) for row, covered in zip(old, shares)
            if row.get("geom") is not None and not row["geom"].is_empty
            and row["geom"].area > 0 and 1 - covered > LOST_SHARE]


#: Two parcels whose outlines differ by less than this (m²) are the same parcel.
SAME_AREA_M2 = 0.01


def _same_parcels(part, old: list) -> bool:
    """Whether the parcels of ``part`` (grid) are those stored in ``old``, as multisets (a
    number may repeat in a sheet): each new parcel paired with its own stored parcel of the
    same number, land use, owner and official area, outlines differing by less than
    SAME_AREA_M2."""
    def text(value):
        return None if value is None or value != value else str(value).strip()

    def area(value):
        return None if value is None or value != value else round(float(value), 2)

    if len(part) != len(old):
        return False
    stored: dict = {}
    for row in old:
        stored.setdefault(text(row["parcel_no"]), []).append(row)
    for _, new in part.iterrows():
        facts = (text(new["land_use"]), text(new["owner"]), area(new["area_official_m2"]))
        same = stored.get(text(new["parcel_no"]), [])
        match = next((k for k, row in enumerate(same) if row.get("geom") is not None and (
            text(row["land_use"]), text(row["owner"]), area(row["area_official_m2"])) == facts
            and new.geometry.symmetric_difference(row["geom"]).area < SAME_AREA_M2), None)
        if match is None:
            return False
        same.pop(match)  # each stored parcel pairs with one new parcel
    return True


def _editions(parcels: ParcelSet) -> dict:
    """File row -> its sheet edition as an ISO date; every row whose edition is not a date
    listed at once (file, row, field)."""
    out, errors = {}, []
    field_name = parcels.columns.get("sheet_edition") or "sheet_edition"
    for row, value in zip(parcels.frame["row"], parcels.frame["sheet_edition"]):
        try:
            out[row] = parse_edition(value)
        except EditionError as exc:
            errors.append(RowError(parcels.source, int(row), field_name, str(exc)))
    if errors:
        raise RowErrorsError(errors)
    return out


def _districts(db):
    """[(prepared district polygon, code)] from admin_unit (level district), if any."""
    from shapely.prepared import prep

    return [(prep(r["geom"]), r["code"]) for r in db.fetch("admin_unit", {"level": "district"})
            if r.get("geom") is not None]


def _row(record, source: str, edition: str, districts) -> dict:
    geom = record.geometry
    district = None
    if districts:
        point = geom.representative_point()
        district = next((code for poly, code in districts if poly.contains(point)), None)
    return {
        "parcel_no": str(record["parcel_no"]), "sheet_no": str(record["sheet_no"]),
        "commune_code": record["commune_code"], "land_use": record["land_use"],
        "area_official_m2": record["area_official_m2"], "owner": record["owner"],
        "sheet_edition": edition, "source": source, "district_code": district, "geom": geom,
    }
