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
versions before numbers were keys) is compared with each spelling's parcels, and the new
edition replaces them all (the result names the spellings, ``stored_as``).

A sheet written (new or replaced) that lies mostly on a stored sheet under another key, or
under which a stored sheet mostly lies (more than DOUBLED_SHARE of its parcels or of its
area), is refused, naming both: the same land twice in the live map would double the
overlay's areas. Parcels that only overlap a neighbouring sheet along its edge (two
communes surveyed separately, a parcel drawn whole on both sheets of a frame) are imported
and reported as ``overlap`` findings naming both parcels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Collection, Optional, Union

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
    #: was live twice; the new edition replaced both)
    stored_as: list = field(default_factory=list)


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
class ImportResult:
    source: str
    target: str
    placement: str
    quality: QualityReport
    sheets: list = field(default_factory=list)
    skipped_invalid: int = 0

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
                "sheets": [vars(s) for s in self.sheets], "quality": self.quality.summary()}


def import_parcels(target, parcels: ParcelSet, *, user: str | None = None,
                   edition: str | None = None, tolerances: Tolerances | None = None,
                   progress: Optional[Callable[[float], None]] = None,
                   is_cancelled: Optional[Callable[[], bool]] = None,
                   trust_crs: bool = False,
                   whole_sheet: Union[bool, Collection[tuple]] = False,
                   partial_note: str | None = None) -> ImportResult:
    """Import ``parcels`` (read by :func:`.reader.read_parcels` or another source) into the
    RoadInfra database ``target``; see the module docstring. ``trust_crs``: accept a declared
    VN-2000 CRS of another zone that the placement check would take for a mislabelled file;
    ``whole_sheet``: True when each sheet of ``parcels`` is whole, or the (commune_code,
    sheet_no) keys of the sheets that are, so that a new edition with fewer parcels than the
    stored one replaces it; ``partial_note``: why the others may be part of a sheet, for the
    refusal."""
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
        report = quality_report(grid, tolerances or Tolerances.from_profile(db.profile),
                                progress=lambda p: progress and progress(0.4 * p),
                                is_cancelled=is_cancelled)
        frame = report.parcels
        skipped = len(grid.frame) - len(frame)
        left_out = _left_out(grid.frame, frame)
        districts = _districts(db)
        variants = _stored_variants(db)
        frame = frame.assign(sheet_edition=[edition or editions[r] for r in frame["row"]])
        result = ImportResult(parcels.source, str(db.target), placement.message, report,
                              skipped_invalid=skipped)
        keys = frame["commune_code"].where(frame["commune_code"].notna(), None)
        groups = frame.groupby([keys.fillna(""), frame["sheet_no"].astype(str)], sort=True)
        short: list[str] = []  # sheets a part of which would replace the whole
        invalid: list[str] = []  # counted sheets with a parcel left out as invalid
        counted_short: list[str] = []  # counted sheets that leave stored parcels uncovered
        written: list[tuple] = []  # (sheet key, its parcels) of the sheets written
        with db.transaction():
            for done, ((commune, sheet), part) in enumerate(groups, 1):
                if is_cancelled is not None and is_cancelled():
                    raise Cancelled(f"{parcels.source}: import cancelled, nothing written")
                commune = commune or None
                dated = part["sheet_edition"].notna().any()
                new_edition = max(e for e in part["sheet_edition"] if e) if dated else None
                spellings = sorted(variants.get((commune, sheet), [sheet]))
                old = db.fetch(TABLE, {"commune_code": commune, "sheet_no": spellings})
                old_editions = [e for e in (stored_edition(r["sheet_edition"]) for r in old) if e]
                previous = max(old_editions) if old_editions else None
                sheet_result = SheetResult(commune, sheet, new_edition, "new", len(part),
                                           previous_edition=previous)
                if len({str(r["sheet_no"]) for r in old}) > 1:
                    sheet_result.stored_as = sorted({str(r["sheet_no"]) for r in old})
                if old and not dated and _same_parcels(part, old):  # the stored edition stays
                    sheet_result.action, sheet_result.parcels = "unchanged", 0
                    sheet_result.edition = previous
                elif old and dated and previous is not None and new_edition == previous:
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
                    db.insert(TABLE, [_row(r, parcels.source, new_edition, districts)
                                      for _, r in part.iterrows()], user=user)
                    written.append(((commune, sheet), part))
                result.sheets.append(sheet_result)
                if progress is not None:
                    progress(40 + 60 * done / max(len(groups), 1))
            doubled, edges = _on_other_sheets(db, written, report.tolerances)
            if doubled:  # raised inside the transaction: nothing is written
                raise CadastreError(
                    f"{parcels.source}: {'; '.join(doubled)}: the same sheet under another "
                    "key? Give the source the stored sheet's commune code and sheet number; "
                    "if it replaces that sheet (a new key, e.g. after communes merged), "
                    "delete the stored sheet's parcels first (in QGIS; they stay in the "
                    "history); nothing was imported")
            if invalid:  # raised inside the transaction: nothing is written
                raise CadastreError(f"{parcels.source}: {'; '.join(invalid)}; nothing was "
                                    "imported")
            if short or counted_short:
                why = (partial_note if short and not counted_short else None)
                raise CadastreError(
                    f"{parcels.source}: {'; '.join(short + counted_short)}: "
                    f"{why or 'a selection or part of a sheet'} would remove the "
                    "stored parcels it lacks; import whole sheets, or confirm "
                    "that the new edition is the whole sheet (--whole-sheet; Whole sheets in "
                    "QGIS); nothing was imported")
        report.add_findings(edges)
        return result
    finally:
        db.close()


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


def _on_other_sheets(db, written: list, tol) -> tuple[list[str], list[dict]]:
    """(refusals, overlap findings) for the sheets written (``written``: (key, grid
    parcels)) over live parcels of stored sheets under other keys. A refusal per sheet that
    lies mostly on a stored sheet, or under which a stored sheet mostly lies (more than
    DOUBLED_SHARE of the parcels or of the area of either), naming both: the same land would
    be twice in the live map (its corridor areas counted twice), e.g. sheet ``-/7`` from a
    source without a commune column over the stored ``13297/7``. Otherwise the parcels that
    overlap a stored parcel of a neighbouring sheet by ``tol.overlap_min_m2`` or more are
    ``overlap`` findings (:meth:`.quality.QualityReport.add_findings`) naming both."""
    keys = {key for key, _ in written}
    refusals, findings = [], []
    for key, part in written:
        cover = unary_union([g for g in part.geometry if g is not None])
        near = parcels_from_database(db, near=[cover])
        near = near[[(c if isinstance(c, str) and c else None, number_key(s)) not in keys
                     for c, s in zip(near["commune_code"], near["sheet_no"])]]
        near = near[[g is not None and not g.is_empty and g.intersects(cover)
                     for g in near.geometry]]
        if not len(near) or cover.area <= 0:
            continue
        communes = [c if isinstance(c, str) and c else None for c in near["commune_code"]]
        for other in sorted({(c, str(s)) for c, s in zip(communes, near["sheet_no"])},
                            key=str):
            mine = near[[(c, str(s)) == other for c, s in zip(communes, near["sheet_no"])]]
            stored = db.fetch(TABLE, {"commune_code": other[0], "sheet_no": other[1]})
            stored_cover = unary_union([r["geom"] for r in stored if r.get("geom") is not None])
            shared = cover.intersection(stored_cover).area
            on_it = sum(share > DOUBLED_SHARE for share in _covered(mine, part.geometry))
            under = sum(share > DOUBLED_SHARE
                        for share in _covered(part, [r.get("geom") for r in stored]))
            edition = stored_edition(stored[0]["sheet_edition"]) if stored else None
            name = f"{other[0] or '-'}/{other[1]}"
            if (shared > DOUBLED_SHARE * cover.area or on_it > DOUBLED_SHARE * len(part)
                    or stored_cover.area > 0 and shared > DOUBLED_SHARE * stored_cover.area
                    or under > DOUBLED_SHARE * len(stored)):
                refusals.append(
                    f"sheet {key[0] or '-'}/{key[1]} ({len(part)} parcel(s)) lies on the stored "
                    f"sheet {name} (edition {edition or 'undated'}, {len(stored)} live "
                    f"parcel(s)) for {on_it} parcel(s), {shared:.0f} m² "
                    f"({100 * shared / cover.area:.0f}% of its area)")
                continue
            findings += _edge_overlaps(part, mine, name, tol)
    return refusals, findings


def _edge_overlaps(part, stored, sheet: str, tol) -> list[dict]:
    """``overlap`` findings: each parcel of ``part`` (grid) overlapping a parcel of
    ``stored`` (live parcels of the stored sheet ``sheet``) by ``tol.overlap_min_m2`` or
    more, naming both."""
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
            out.append({
                "kind": "overlap", "row": int(new["row"]), "sheet_no": new["sheet_no"],
                "parcel_no": new["parcel_no"], "other": f"{sheet}/{row.parcel_no}",
                "value": round(piece.area, 2), "geometry": piece,
                "message": f"overlaps parcel {row.parcel_no} of the stored sheet {sheet} by "
                           f"{piece.area:.1f} m² (two sheets disagree along their edge)"})
    return out


def _covered(part, geoms) -> list[float]:
    """The share (0..1) of each of ``geoms`` that the parcels ``part`` (grid) cover."""
    from ..spatial_index import query_indices, strtree

    new = [g for g in part.geometry if g is not None and not g.is_empty]
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
    shares = _covered(part, [row.get("geom") for row in old])
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
