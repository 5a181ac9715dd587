"""Overlay of parcels on road corridors: which parcels each corridor takes, how much of each,
over which Km range of the route; the encroachment list; the land-acquisition table of a
planned widening. Everything is in the provincial grid (metres)."""

from __future__ import annotations

import math
import struct
import warnings
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import MultiPolygon, Point, Polygon, box
from shapely.ops import substring, unary_union
from shapely.prepared import prep
from shapely.strtree import STRtree

from ..chainage import MAX_CHAINAGE_M, format_chainage
from ..errors import Cancelled
from ..labels import Label
from ..lrs.locate import RouteIndex
from ..lrs.route import Route
from ..profile import Profile
from ..spatial_index import query_indices
from .buildings import overlapping_pairs
from .corridor import (
    ZONES,
    Regulation,
    Widening,
    corridor_regulation,
    corridor_widths,
    has_widths,
    route_corridors,
    widening_corridor,
)
from .sources import geo_frame
from .surveys import charged_outlines

PIECE_COLUMNS = ["route", "zone", "sheet_no", "parcel_no", "commune_code", "land_use", "owner",
                 "parcel_area_m2", "area_in_m2", "share_pct", "from_m", "to_m", "km_from",
                 "km_to"]
#: An encroachment is a parcel part (``part`` "parcel": a built-up land use) or a building
#: part (``part`` "building": the building inside a parcel part; its area, share of the
#: parcel and Km range are the building part's; ``building`` names the building: its row in
#: the buildings file, ``12.2`` for the second polygon of row 12).
ENCROACHMENT_COLUMNS = PIECE_COLUMNS + ["reason", "part", "building"]
#: Columns that hold numbers in every table of the overlay (float, also when empty).
NUMERIC_COLUMNS = ("parcel_area_m2", "area_in_m2", "share_pct", "from_m", "to_m",
                   "remaining_m2", "roadbed_m", "road_land_m", "corridor_m", "width_m")
MIN_PIECE_M2 = 0.01
#: Default of the profile's ``[cadastre] overlay_min_width_m``: a piece (of a parcel or a
#: building in a zone) narrower on average (2 x area / perimeter) is survey noise along a
#: line drawn on the corridor's edge or a parcel line (0.1 mm at 1:2000), not a row.
MIN_WIDTH_M = 0.2
#: Parts of one parcel (or building) in a zone whose Km ranges overlap or lie closer than
#: this (m) are one place, one row (the two sides of the road); farther apart, a row each.
PLACE_GAP_M = 1.0
#: Parcels may begin up to this far (m) beyond the road land's edge: a route's own road land
#: (the road, which the map leaves without parcels) between parcels on both sides, or on the
#: side parcels line, counts as mapped (:class:`_Coverage`).
MAP_GAP_M = 3.0
#: Unparcelled strips narrower than this (m) between parcels count as mapped: a commune road,
#: a canal, road land between parcel rows, which older maps give no parcel; a wider strip (a
#: gap between sheets) does not.
MAP_STRIP_M = 30.0


@dataclass
class OverlayResult:
    #: route, zone, widths; widening footprints (zone widening); the profile and regulation
    #: of the widths on every row (:data:`REGULATION_COLUMNS`)
    corridors: gpd.GeoDataFrame
    pieces: gpd.GeoDataFrame         # parcel x corridor zone: area inside, share, Km range
    encroachments: gpd.GeoDataFrame  # pieces with a built-up land use or a building inside
    acquisition: gpd.GeoDataFrame    # parcels a widening takes, per widening
    #: the gaps between a route's parts, where no corridor is drawn: (route, length in m,
    #: Km from, Km to)
    gaps: list = field(default_factory=list)
    #: per route, the buildings in its corridors wholly beyond the cadastral map (not
    #: checked): (route, how many, their Km ranges ``Km1+500-Km1+510``)
    unmapped: list = field(default_factory=list)
    #: per route, the buildings in its corridors partly beyond the map (the rest checked):
    #: (route, how many, the area of their parts beyond in m², those parts' Km ranges)
    partly: list = field(default_factory=list)
    #: the buildings whose invalid footprint was repaired: (1-based row, GEOS's reason)
    repaired: list = field(default_factory=list)
    #: the 1-based rows of the buildings file whose footprint had several polygons, each
    #: taken as a building of its own
    split: list = field(default_factory=list)
    #: the 1-based rows of the buildings file with no polygon (a point, a line left open),
    #: not read (:func:`.buildings.buildings_in_grid`)
    left_out: list = field(default_factory=list)
    #: the rows of the buildings file's outlines left out: on a frame CAD layer, or read
    #: as an enclosure (a lot wall, a block outline, a frame) around the buildings
    frames: list = field(default_factory=list)
    #: footprints lying inside another counted as one building with it (its hatch, its
    #: fill, a stair well):
    #: (row kept, row merged into it)
    same: list = field(default_factory=list)
    #: the outlines holding footprints read one way where the drawing could mean another
    #: (:func:`.buildings._nesting`): (kind: part, fill, hatched or enclosure, the outline's
    #: row, its m², [(inner row, its m²)])
    readings: list = field(default_factory=list)
    #: the rows of each group of loose lines of a drawing joined into an outline
    joined: list = field(default_factory=list)
    #: the closed outlines of a drawing split by loose lines across them (party walls), a
    #: building per face: (the outline's row, the lines' rows)
    walls: list = field(default_factory=list)
    #: the slivers left out (pieces and building parts narrower than ``min_width`` m on
    #: average only for being cut by a zone edge or a parcel line): (how many, area in m²)
    slivers: tuple = (0, 0.0)
    #: the profile's ``[cadastre] overlay_min_width_m``
    min_width: float = MIN_WIDTH_M
    #: the land to acquire narrower than ``min_width``, kept: (widening, how many, area m²)
    narrow: list = field(default_factory=list)
    #: the widenings that take no parcel while the imported map covers their footprint
    #: beyond the road land (it meets none but the road's own land): (widening, the route's
    #: nominal road land width in m when the new width is not wider, else None: then the
    #: width may be the part added, not the new total)
    idle: list = field(default_factory=list)
    #: the widenings whose footprint lies partly or wholly beyond the imported parcels
    #: outside the nominal road land (land not checked: its sheets not imported):
    #: (widening, the area beyond in m², its Km ranges ``Km90+000-Km90+500``)
    beyond: list = field(default_factory=list)
    #: the regulation the corridor widths follow (the profile's ``[corridor_regulation]``)
    regulation: Regulation | None = None
    #: two buildings kept that still overlap by a fifth of the smaller or more, both
    #: counted (:func:`.buildings.overlapping_pairs`): (building, building, overlap m², share)
    overlaps: list = field(default_factory=list)
    #: two outlines of a size, one moved up to 1.5 m off the other, counted as one building
    #: (a resurvey; or a house built out past the lot wall around it: geometry cannot tell),
    #: the one taking more road land, then more of the corridor, charged (:func:`_charged`):
    #: (building charged, its m², its m² on road land, the other outline's building, its
    #: m², its m² on road land, whether the charged one is the one merged, not the larger)
    moved: list = field(default_factory=list)
    #: outlines merged as moved off an outline that was then left out (a lot wall read as
    #: an enclosure, a frame), standing as buildings of their own again
    #: (:func:`.buildings._nesting`): (the row left out, [the rows standing again])
    apart: list = field(default_factory=list)
    #: the groups of moved pairs whose outlines overlap across pairs but do not split into
    #: two surveys, each pair charged alone, or whose outlines charged overlap a building
    #: drawn in one survey only, as the other survey's do (:func:`.surveys.charged_outlines`):
    #: their rows (with that building's)
    unsplit: list = field(default_factory=list)
    #: the groups of moved pairs (a pair alone too) decided by, or charged over, a building
    #: drawn in one survey only (:func:`.surveys.charged_outlines` ``lone``): (their rows,
    #: whether that building decided it: the survey lying over it not charged, whatever its
    #: land, [(a row lying over such a building, that building's row)])
    lone: list = field(default_factory=list)

    def lone_decided(self) -> dict:
        """Row -> the rows drawn in one survey only that decided its group (the other
        survey lies over them), of the groups so decided."""
        return {row: sorted({r for _, r in under}) for rows, decided, under in self.lone
                if decided for row in rows}

    @property
    def unmapped_buildings(self) -> int:
        """The buildings wholly or partly beyond the map."""
        return (sum(count for _, count, _ in self.unmapped)
                + sum(count for _, count, _, _ in self.partly))

    @property
    def notes(self) -> list[str]:
        """The gaps and the buildings beyond the map as sentences (CLI, Processing log)."""
        notes = [f"route {code}: no corridor across the {length:.1f} m gap between its parts, "
                 f"{km_from}-{km_to}" for code, length, km_from, km_to in self.gaps]
        if self.slivers[0]:
            notes.append(f"{self.slivers[0]} sliver(s) under {self.min_width:g} m wide cut "
                         "by a zone edge or a parcel line left out as survey noise "
                         f"({self.slivers[1]:.2f} m² in all)")
        for name, road in self.idle:
            notes.append(f"widening {name}: takes no parcel (its footprint meets none but the "
                         "road's own land)" + ("" if road is None else
                         f"; the profile's nominal road land is {road:g} m wide: if the width "
                         "given is the part added, give the new total width"))
        for name, area, ranges in self.beyond:
            more = f" and {len(ranges) - 5} more" if len(ranges) > 5 else ""
            notes.append(f"widening {name}: {area:,.1f} m² of its footprint lie beyond the "
                         f"imported parcels ({', '.join(ranges[:5])}{more}), outside the "
                         "road land: not checked; import those sheets")
        for name, count, area in self.narrow:
            notes.append(f"widening {name}: {count} strip(s) to acquire under "
                         f"{self.min_width:g} m wide ({area:.2f} m²), kept: check them "
                         "against the survey")
        read = {row for _, row, _, _ in self.readings}
        merged = {_row_of(r) for kind, _, _, inner in self.readings if kind != "enclosure"
                  for r, _ in inner}
        framed = [row for row in self.frames if row not in read]
        if framed:
            notes.append(f"{len(framed)} outline(s) of the buildings file on a frame CAD layer "
                         f"taken for a sheet frame, not a building: row(s) {_rows(framed)}")
        same = [(a, b) for a, b in self.same if b not in merged]
        if same:
            notes.append(f"{len(same)} footprint(s) counted as one building with another "
                         "(its HATCH, a copy, or the same building drawn again: within 0.5 m "
                         "of it, or of its size and moved off it, still covering half of it or "
                         "more): "
                         "row(s) "
                         + _rows([f"{b} (in {a})" for a, b in same]))
        by_lone = self.lone_decided()
        keyed = [m for m in self.moved if _row_of(m[3]) not in by_lone]
        if keyed:
            notes.append(f"{len(keyed)} pair(s) of outlines of a size, one moved up to "
                         "1.5 m off the other, counted as one building (a resurvey moved off "
                         "itself), the one taking more road land (then more of the corridor) "
                         "charged: "
                         + "; ".join(f"row {a} ({a_m2:,.1f} m², {a_in:,.1f} m² on road "
                                     f"land) charged, row {b} ({b_m2:,.1f} m², {b_in:,.1f} m² "
                                     "on road land) not"
                                     for a, a_m2, a_in, b, b_m2, b_in, _ in keyed[:20])
                         + (f"; and {len(keyed) - 20} more" if len(keyed) > 20 else "")
                         + ". The other reading: two buildings (a house built out past the "
                         "lot wall or building around it), both charged. To say which, delete "
                         "the old outline, or put lot walls on a CAD layer of their own, not "
                         "named")
        decided = [m for m in self.moved if _row_of(m[3]) in by_lone]
        if decided:
            notes.append(f"{len(decided)} pair(s) of outlines of a size, one moved up to 1.5 m "
                         "off the other, counted as one building (a resurvey moved off "
                         "itself), the survey lying over a building drawn in one survey only "
                         "not charged, whatever its land: "
                         + "; ".join(f"row {a} charged, row {b} not (the other survey lies "
                                     f"over row(s) {_rows(by_lone[_row_of(b)])}, drawn in one "
                                     "survey only)" for a, _, _, b, *_ in decided[:20])
                         + (f"; and {len(decided) - 20} more" if len(decided) > 20 else "")
                         + ". To say which, delete the old outlines")
        if self.unsplit:
            notes.append(f"{len(self.unsplit)} group(s) of outlines moved off themselves "
                         "mixing two surveys (old, new): overlapping each other across pairs "
                         "(each pair charged alone), or each survey over a building drawn in "
                         "one only (the one taking more road land charged): rows "
                         + _groups([_rows(rows) for rows in self.unsplit[:GROUPS_SHOWN]],
                                   len(self.unsplit))
                         + ". Check the drawing: delete the old outlines")
        if self.apart:
            notes.append(f"{sum(len(rows) for _, rows in self.apart)} outline(s) of a size "
                         "with an outline left out (a lot wall, a frame) and moved up to 1.5 m "
                         "off it, each a building of its own, not left out with it: row(s) "
                         + _rows([f"{_rows(rows)} (off {row})" for row, rows in self.apart]))
        notes += [reading_note(kind, items) for kind, items in _by_kind(self.readings)]
        if self.joined:
            notes.append(f"{len({r for rows in self.joined for r in rows})} loose line(s) of the "
                         f"buildings drawing joined into {len(self.joined)} outline(s): row(s) "
                         + _groups([_rows(rows) for rows in self.joined[:GROUPS_SHOWN]],
                                   len(self.joined)))
        if self.walls:
            notes.append(f"{len({r for _, rows in self.walls for r in rows})} loose line(s) of "
                         f"the buildings drawing across {len(self.walls)} closed outline(s) "
                         "taken for party walls, a building per part: row(s) "
                         + _groups([f"{_rows(rows)} across {row}"
                                    for row, rows in self.walls[:GROUPS_SHOWN]], len(self.walls)))
        if self.overlaps:
            notes.append(f"{len(self.overlaps)} pair(s) of buildings overlapping by a fifth "
                         "of the smaller or more, both counted (no rule reads them as one: a "
                         "building drawn twice over 1.5 m off, a house sticking out of its lot "
                         "wall, a kiosk across a wall): "
                         + _rows([f"{a} and {b} ({m2:,.1f} m², {share:.0%})"
                                  for a, b, m2, share in self.overlaps])
                         + ". Check the drawing: delete the copy, put lot walls on a CAD layer "
                         "of their own, not named")
        if self.left_out:
            notes.append(f"{len(self.left_out)} feature(s) of the buildings file are neither "
                         f"polygons nor closed lines, left out: row(s) {_rows(self.left_out)}")
        if self.split:
            notes.append(f"{len(self.split)} building footprint(s) of several polygons, each "
                         f"polygon taken as a building: row(s) {_rows(self.split)}")
        for code, count, ranges in self.unmapped:
            more = f" and {len(ranges) - 5} more" if len(ranges) > 5 else ""
            notes.append(f"route {code}: {count} building(s) in its corridors beyond the "
                         f"imported parcels ({', '.join(ranges[:5])}{more}): not checked "
                         "against parcels")
        for code, count, area, ranges in self.partly:
            more = f" and {len(ranges) - 5} more" if len(ranges) > 5 else ""
            notes.append(f"route {code}: {count} building(s) in its corridors partly beyond "
                         f"the imported parcels, {area:.1f} m² beyond ({', '.join(ranges[:5])}"
                         f"{more}): those parts not checked against parcels")
        if self.repaired:
            more = f" and {len(self.repaired) - 5} more" if len(self.repaired) > 5 else ""
            rows = ", ".join(f"row {row} ({why})" for row, why in self.repaired[:5])
            notes.append(f"{len(self.repaired)} invalid building footprint(s) repaired: "
                         f"{rows}{more}")
        return notes

    @property
    def workbook_notes(self) -> list:
        """The notes a workbook of the overlay carries (:func:`.outputs.write_tables`
        ``notes``): the regulation of the corridor widths (in the workbook's language), then
        every note of the run (:attr:`notes`, in English as the CLI says them; the plugin
        gives them in its language: plugin/cadastre/messages.py)."""
        return (([] if self.regulation is None else [self.regulation.cited])
                + [Label(note, note) for note in self.notes])

    @property
    def decisions(self) -> pd.DataFrame:
        """Every decision taken on the buildings file, complete (the notes list the first
        ones), a row per (decision, row concerned), so no cell grows with the drawing:
        ``decision`` (:data:`DECISIONS`), ``outline`` (the row it concerns: the outline read,
        the row kept), ``rows`` (the other row: a footprint it holds, a line joined, the row
        merged), ``outline_m2``, ``inner_m2`` (that footprint's), ``other_m2`` (of two
        outlines of one building moved off itself, the one not charged), ``other_reading``
        (what the drawing could also mean). A workbook carries it as a sheet of its own."""
        out = []

        def add(decision, outline, rows="", outline_m2=None, inner_m2=None, other_m2=None):
            out.append({"decision": decision, "outline": outline, "rows": rows,
                        "outline_m2": outline_m2, "inner_m2": inner_m2, "other_m2": other_m2,
                        "other_reading": DECISIONS[decision]})

        read = {row for _, row, _, _ in self.readings}
        merged = {_row_of(r) for kind, _, _, inner in self.readings if kind != "enclosure"
                  for r, _ in inner}
        for row in self.frames:
            if row not in read:
                add("frame layer", row)
        for kept, row in self.same:
            if row not in merged:
                add("merged", kept, str(row))
        by_lone = self.lone_decided()
        for a, a_m2, _, b, b_m2, _, _ in self.moved:
            add("moved over lone" if _row_of(b) in by_lone else "moved", a, str(b), a_m2,
                other_m2=b_m2)
        both = [(set(rows), under) for rows, decided, under in self.lone if not decided]
        for rows in self.unsplit:
            whole = next((group for group, _ in both if group <= set(rows)), None)
            for other in rows[1:]:
                if whole is None:
                    add("surveys mixed", rows[0], str(other))
            if whole is not None:  # the building drawn once is no moved pair: not named
                first, *others = sorted(whole)
                for other in others:
                    add("surveys over lone", first, str(other))
        for _, _, under in self.lone:
            for row, lone in under:
                add("lone house", lone, str(row))
        for row, rows in self.apart:
            for other in rows:
                add("stands again", row, str(other))
        for kind, row, m2, inner in self.readings:  # a row per footprint held
            for name, a in inner:
                add(kind, row, str(name), m2, a)
        for rows in self.joined:
            for row in rows:
                add("joined", rows[0], str(row))
        for row, rows in self.walls:
            for wall in rows:
                add("party walls", row, str(wall))
        for a, b, m2, _ in self.overlaps:
            add("overlapping", a, str(b), None, m2)
        for row in self.left_out:
            add("left out", row)
        for row in self.split:
            add("split", row)
        for row, why in self.repaired:
            add("repaired", row, why)
        return pd.DataFrame(out, columns=["decision", "outline", "rows", "outline_m2",
                                          "inner_m2", "other_m2", "other_reading"])

    @property
    def encroaching_parcels(self) -> int:
        """The parcels with an encroachment row (a built-up use or a building inside), each
        counted once whatever its zones and places."""
        return _parcel_count(self.encroachments)

    @property
    def encroaching_buildings(self) -> int:
        """The buildings with an encroachment row, each counted once."""
        enc = self.encroachments
        if not len(enc):
            return 0
        return len({str(b) for b, part in zip(enc["building"], enc["part"])
                    if part == "building" and _given(b)})

    def summary(self) -> dict:
        def per(frame, key):  # a parcel met in several places counted once
            return {str(k): {"parcels": _parcel_count(g), "area_m2": round(float(
                g["area_in_m2"].sum()), 1)} for k, g in frame.groupby(key)} if len(frame) else {}
        return {"pieces": int(len(self.pieces)), "by_route_zone":
                per(self.pieces.assign(k=self.pieces["route"] + "/" + self.pieces["zone"]), "k"),
                "encroachments": int(len(self.encroachments)),
                "encroaching_parcels": self.encroaching_parcels,
                "encroaching_buildings": self.encroaching_buildings,
                "acquisition": per(self.acquisition, "widening"),
                "unmapped_buildings": self.unmapped_buildings,
                "widenings_beyond_map": [{"widening": name, "area_m2": area, "km": ranges}
                                         for name, area, ranges in self.beyond],
                "notes": list(self.notes),
                "corridor_regulation": None if self.regulation is None else {
                    "profile": self.regulation.profile, "en": self.regulation.text("en"),
                    "vi": self.regulation.text("vi")}}


def _parcel_count(frame) -> int:
    """The parcels (commune, sheet, number) of a table's rows, each counted once."""
    if not len(frame):
        return 0
    return len({tuple(str(v) for v in key) for key in zip(
        frame["commune_code"], frame["sheet_no"], frame["parcel_no"]) if _given(key[2])})


def _given(value) -> bool:
    return value is not None and value == value and str(value) != ""


#: Each reading of an outline (:attr:`OverlayResult.readings`): what it was read as, what it
#: would be read as otherwise, how to make the drawing say which.
READINGS = {
    "part": ("outline(s) holding only footprints under 25 m² read as one building with "
             "them (a stair well, a light well)",
             "as an enclosure, {n} building(s) of {m} m²",
             "if one is a lot wall or a frame, put it on a CAD layer of its own, not named"),
    "fill": ("outline(s) holding one footprint that fills it to within 0.5 m of its walls "
             "read as one building, the footprint its fill",
             "as an enclosure, {n} building(s) of {m} m²",
             "draw fills as HATCH entities, lot walls on a CAD layer of their own, not named"),
    "hatched": ("outline(s) holding a HATCH and larger footprints read as one building "
                "with them (its rooms)",
                "as an enclosure, {n} building(s) of {m} m²",
                "if one is a lot wall, put it on a CAD layer of its own, not named"),
    "taken": ("outline(s) charged in place of an outline moved off them, with the small "
              "footprints (under 25 m²) that outline held (sheds in its yard)",
              "or each a building of its own, {n} building(s) of {m} m²",
              "if the other outline is a lot wall, put it on a CAD layer of its own, not "
              "named"),
    "enclosure": ("outline(s) read as an enclosure (a lot wall, a block outline, a frame: "
                  "house-size footprints inside, a yard around one, or over 5,000 m²), left "
                  "out, the footprints inside the buildings",
                  "as one building, {o} m²",
                  "if one is a house, draw its fill as a HATCH; put lot walls and frames on "
                  "a CAD layer of their own, not named"),
}
#: A reading of an outline not charged, on the outline charged in its place
#: (:func:`_charged`): its small parts taken with the building charged.
_TAKEN = {"part": "taken"}
#: How many outlines of each reading a note spells out; the rest by their rows.
READINGS_SHOWN = 5


def _by_kind(readings: list) -> list:
    """(kind, [(row, m², inner)]) per kind of :data:`READINGS`, in its order."""
    return [(kind, [(row, m2, inner) for k, row, m2, inner in readings if k == kind])
            for kind in READINGS if any(k == kind for k, *_ in readings)]


def reading_note(kind: str, items: list) -> str:
    """The note of the outlines read as ``kind`` (:data:`READINGS`): each with what it
    holds and the other reading (the first :data:`READINGS_SHOWN`, then their rows)."""
    what, other, advice = READINGS[kind]
    shown = []
    for row, m2, inner in items[:READINGS_SHOWN]:
        total = round(sum(a for _, a in inner), 1)
        held = (f"row {inner[0][0]} ({inner[0][1]:,.1f} m²)" if len(inner) == 1 else
                f"rows {_rows([r for r, _ in inner])} ({total:,.1f} m²)")
        verb = "with" if kind == "taken" else "holds"
        shown.append(f"row {row} ({m2:,.1f} m²) {verb} {held}, "
                     + other.format(n=len(inner), m=f"{total:,.1f}", o=f"{m2:,.1f}"))
    more = (f"; and {len(items) - READINGS_SHOWN} more: row(s) "
            f"{_rows([row for row, _, _ in items[READINGS_SHOWN:]])}"
            if len(items) > READINGS_SHOWN else "")
    return f"{len(items)} {what}: {'; '.join(shown)}{more}. To say which, {advice}"


#: How many groups (outlines joined, outlines split) a note lists; the rest counted.
GROUPS_SHOWN = 20
#: Each decision on the buildings file (:attr:`OverlayResult.decisions`) and the other
#: reading the drawing allows.
DECISIONS = {
    "frame layer": "a building",
    "merged": "a building of its own",
    "moved": "two buildings: a house and the lot wall or building around it",
    "stands again": "one building",
    "surveys mixed": "one survey charged",
    "moved over lone": "the other survey charged",
    "surveys over lone": "the other survey charged",
    "lone house": "a copy of the building over it",
    "part": "an enclosure: the footprints inside the buildings",
    "taken": "buildings of their own",
    "fill": "an enclosure: the footprints inside the buildings",
    "hatched": "an enclosure: the footprints inside the buildings",
    "enclosure": "one building",
    "joined": "loose lines, no building",
    "party walls": "one building",
    "left out": "",
    "overlapping": "one building",
    "split": "one building",
    "repaired": "",
}


def _groups(shown: list, count: int) -> str:
    """The groups ``shown`` (the first :data:`GROUPS_SHOWN` of ``count``), then how many
    more, so that a note fits a workbook cell whatever the drawing."""
    more = f"; and {count - len(shown)} more" if count > len(shown) else ""
    return "; ".join(shown) + more


def _row_of(name) -> int:
    """The file row of a building name (``12``, ``12.2``)."""
    return int(str(name).split(".")[0])


def _rows(rows: list) -> str:
    """``2, 7, 9`` (the first 20, then how many more)."""
    more = f" and {len(rows) - 20} more" if len(rows) > 20 else ""
    return ", ".join(str(r) for r in rows[:20]) + more


def _tree(geoms):
    with warnings.catch_warnings():  # shapely 1.8 announces the 2.0 STRtree API
        warnings.simplefilter("ignore")
        return STRtree(geoms)


def _km(value: float) -> str:
    """``Km12+350``: the measure to the whole metre (Python's round) as the tables show it."""
    metres = round(float(value))
    if 0 <= metres <= MAX_CHAINAGE_M:  # format_chainage's text for whole metres, directly
        return f"Km{metres // 1000}+{metres % 1000:03d}"
    return format_chainage(metres, decimals=0)  # its error names the value


#: Side of the tiles a corridor is cut into before clipping parcels with it, m: a parcel is
#: clipped by a small piece of corridor, never by a whole route's buffer. (GEOS's cost per
#: clip hardly depends on the piece's size here; larger tiles cut fewer parcels in two.)
TILE_M = 1000.0


@dataclass
class _Parcels:
    """The parcels as plain lists and an STRtree, built once for every zone."""

    geoms: list
    columns: dict
    tree: object
    areas: list  # each parcel's area once asked (a parcel can meet several zones)

    @classmethod
    def of(cls, frame: gpd.GeoDataFrame) -> _Parcels:
        geoms = list(frame.geometry)
        columns = {c: list(frame[c]) if c in frame.columns else [None] * len(frame)
                   for c in ("sheet_no", "parcel_no", "commune_code", "land_use", "owner")}
        return cls(geoms, columns, _tree(geoms) if geoms else None, [None] * len(geoms))

    def area(self, i: int) -> float:
        if self.areas[i] is None:
            self.areas[i] = float(self.geoms[i].area)
        return self.areas[i]


def _pieces(parcels: _Parcels, zone_geom, route: Route | None, base: dict,
            reach_m: float, min_width: float = MIN_WIDTH_M,
            left: list | None = None) -> list[dict]:
    """One row per place where a parcel meets ``zone_geom`` (:func:`_places`): the part
    inside there, its area and share, and its Km range along ``route`` (``reach_m``: how far
    the zone reaches from it); slivers narrower than ``min_width`` (m) left out, their areas
    added to ``left``. Each row's ``_parcel`` holds the parcel's index."""
    from .sources import tiles

    parts: dict[int, list] = {}  # parcel -> [(part, its area)]
    if parcels.tree is not None:
        for tile in tiles([zone_geom], TILE_M):
            zone = zone_geom.intersection(box(*tile))
            if zone.is_empty or zone.area == 0:
                continue
            inside = prep(zone)
            for i in query_indices(parcels.tree, zone):
                geom = parcels.geoms[i]
                if not inside.intersects(geom):
                    continue
                if inside.contains(geom):  # wholly inside: the parcel is its own part
                    found = (_single(geom), parcels.area(i))
                else:
                    found = _polygonal(geom.intersection(zone))
                if found is not None:
                    parts.setdefault(i, []).append(found)
    items = []
    for i in sorted(parts):
        found = parts[i]
        geom = found[0][0] if len(found) == 1 else unary_union([p for p, _ in found])
        items.append((i, geom, parcels.geoms[i]))
    out = []
    for i, piece, inside, from_m, to_m in _places(route, items, reach_m, min_width, left):
        area = parcels.area(i)
        out.append({**base, **{c: v[i] for c, v in parcels.columns.items()}, "_parcel": i,
                    "parcel_area_m2": round(area, 2), "area_in_m2": round(inside, 2),
                    "share_pct": round(100.0 * inside / area, 2) if area else None,
                    "from_m": from_m, "to_m": to_m,
                    "km_from": _km(from_m) if from_m is not None else None,
                    "km_to": _km(to_m) if to_m is not None else None,
                    "geometry": piece})
    return out


def _places(route: Route | None, items: list, reach_m: float,
            min_width: float, left: list | None = None) -> list[tuple]:
    """The places of each geometry of ``items`` ((key, polygonal geometry, the whole parcel
    or building it was cut from), in order): its polygon parts of at least
    :data:`MIN_PIECE_M2`, less the slivers (:func:`_sliver`: narrower than ``min_width`` m
    only for being cut, their areas added to ``left``), grouped by their Km ranges along
    ``route`` (parts whose ranges overlap or
    lie within :data:`PLACE_GAP_M` are one place: the two sides of a road; a canal crossing
    the route twice is two places). (key, place, its area, first and last measure) per
    place, in the order of ``items`` and of the measures; without a route, one place per
    geometry and no measures."""
    parts = []
    for key, geom, whole in items:
        for poly in _polygon_parts(geom):
            area = poly.area
            if area < MIN_PIECE_M2:
                continue
            if _sliver(poly, whole, min_width):
                if left is not None:
                    left.append(area)
                continue
            parts.append((key, poly, area))
    ranges = (_measure_ranges(route, [p for _, p, _ in parts], reach_m) if route is not None
              else [(None, None)] * len(parts))
    by_key: dict = {}
    for (key, poly, area), (start, end) in zip(parts, ranges):
        by_key.setdefault(key, []).append((start, end, poly, area))
    out = []
    for key in dict.fromkeys(k for k, *_ in items):
        places: list = []
        for start, end, poly, area in sorted(by_key.get(key, ()), key=lambda p: (
                p[0] if p[0] is not None else 0.0)):
            if places and (start is None or start <= places[-1][1] + PLACE_GAP_M):
                place = places[-1]
                place[1] = max(place[1], end) if end is not None else None
                place[2].append(poly)
                place[3] += area
            else:
                places.append([start, end, [poly], area])
        for start, end, polys, area in places:
            out.append((key, polys[0] if len(polys) == 1 else MultiPolygon(polys), area,
                        start, end))
    return out


def _width(geom) -> float:
    """The average width (2 x area / perimeter, m) of the widest polygon of ``geom``."""
    return max((2.0 * p.area / p.length for p in _polygon_parts(geom) if p.length > 0),
               default=0.0)


def _sliver(part, whole, min_width: float) -> bool:
    """Whether ``part`` is survey noise: narrower than ``min_width`` on average while the
    parcel or building it was cut from (``whole``) is not (a sliver along a zone edge or a
    parcel line; a wall, thin by nature, lying wholly in a zone is no sliver)."""
    if min_width <= 0 or part.length == 0 or 2.0 * part.area / part.length >= min_width:
        return False
    return _width(whole) >= min_width


def _polygon_parts(geom) -> list:
    """The polygons of a Polygon, MultiPolygon or collection."""
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    found = _polygonal(geom)
    return [] if found is None else list(getattr(found[0], "geoms", [found[0]]))


def _single(geom):
    """A one-part MultiPolygon as its Polygon (as an overlay would give it back)."""
    parts = getattr(geom, "geoms", None)
    return parts[0] if parts is not None and len(parts) == 1 else geom


def _polygonal(geom):
    """(the polygon parts of ``geom`` (a Polygon or MultiPolygon), their area), None when it
    has none."""
    kind = geom.geom_type
    if kind in ("Polygon", "MultiPolygon"):
        area = geom.area
        return (geom, area) if area > 0 else None
    polys = []
    for part in getattr(geom, "geoms", ()):
        if isinstance(part, Polygon) and part.area > 0:
            polys.append(part)
        elif isinstance(part, MultiPolygon):
            polys.extend(p for p in part.geoms if p.area > 0)
    if not polys:
        return None
    out = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    return out, out.area


#: Pieces whose measure ranges are computed together (one segment-index query per batch).
MEASURE_BATCH = 32


def _wkb_writer():
    """geometry -> WKB with one GEOS writer (shapely 1.8 makes a new one for each ``.wkb``)."""
    try:
        from shapely.geos import WKBWriter, lgeos

        writer = WKBWriter(lgeos)
    except (ImportError, AttributeError, TypeError):  # shapely 2: .wkb is cheap
        return lambda geom: geom.wkb
    return writer.write


_wkb = _wkb_writer()


def _exterior_xy(geom) -> list:
    """The exterior rings of a Polygon or MultiPolygon as (n, 2) arrays (Z and M left out),
    read from its WKB (much faster than shapely 1.8's coordinate sequences)."""
    data = _wkb(geom)
    out: list = []

    def read(pos: int) -> int:
        order = "<" if data[pos] == 1 else ">"
        code = struct.unpack_from(order + "I", data, pos + 1)[0]
        pos += 5
        # EWKB flags (Z 0x80000000, M 0x40000000, SRID 0x20000000) or ISO 1000s (Z, M, ZM)
        kind, iso = (code & 0x0FFFFFFF) % 1000, (code & 0x0FFFFFFF) // 1000
        dims = 2 + (bool(code & 0x80000000) or iso in (1, 3)) + (
            bool(code & 0x40000000) or iso in (2, 3))
        if code & 0x20000000:
            pos += 4
        if kind == 3:
            (rings,) = struct.unpack_from(order + "I", data, pos)
            pos += 4
            for ring in range(rings):
                (n,) = struct.unpack_from(order + "I", data, pos)
                pos += 4
                if ring == 0:
                    out.append(np.frombuffer(data, dtype=order + "f8", count=dims * n,
                                             offset=pos).reshape(n, dims)[:, :2])
                pos += 8 * dims * n
            return pos
        if kind == 6:
            (parts,) = struct.unpack_from(order + "I", data, pos)
            pos += 4
            for _ in range(parts):
                pos = read(pos)
            return pos
        raise ValueError(f"not a polygon: WKB type {kind}")

    read(0)
    return out


def _measure_ranges(route: Route, pieces: list, reach_m: float) -> list[tuple[float, float]]:
    """(first, last) measure along ``route`` of the vertices of each piece: each vertex on its
    nearest segment among those within ``reach_m`` of the batch of pieces it is in (the
    route's segment index, core/lrs); all measures computed at once."""
    if not pieces:
        return []
    coords = [rings[0] if len(rings) == 1 else np.vstack(rings)
              for rings in map(_exterior_xy, pieces)]
    return vertex_ranges(route, coords, reach_m)


def vertex_ranges(route: Route, coords: list, reach_m: float) -> list[tuple[float, float]]:
    """(lowest, highest) measure along ``route`` of each piece's vertices ``coords`` (an
    (n, 2) array per piece), in batches of pieces close together."""
    index = RouteIndex([route])
    # batches of pieces close together (ordered by the cell of their first vertex) ask the
    # segment index for few segments; each vertex still gets its nearest segment
    cell = np.array([c[0] for c in coords]) // (TILE_M / 4)
    order = np.lexsort((cell[:, 1], cell[:, 0]))
    coords = [coords[k] for k in order]
    counts = np.array([len(c) for c in coords])
    along = []
    for a in range(0, len(coords), MEASURE_BATCH):
        xy = np.vstack(coords[a:a + MEASURE_BATCH])
        along.append(_along(index, xy, reach_m + 1.0))
    measures = np.asarray(route.measure_at(np.concatenate(along)), dtype=float)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    low = np.empty(len(coords))
    high = np.empty(len(coords))
    low[order] = np.minimum.reduceat(measures, starts)
    high[order] = np.maximum.reduceat(measures, starts)
    return [(float(a), float(b)) for a, b in zip(low, high)]


def _along(index: RouteIndex, xy: np.ndarray, pad: float) -> np.ndarray:
    """Distance along the route of the foot of each point on its nearest segment among the
    segments near the points' bounding box (grown by ``pad``)."""
    x0, y0 = xy.min(axis=0) - pad
    x1, y1 = xy.max(axis=0) + pad
    chunks = query_indices(index.tree, box(x0, y0, x1, y1))
    segs = (np.concatenate([np.arange(*index.chunk_of[c]) for c in chunks]) if chunks
            else np.arange(len(index.x0)))
    if len(xy) > 1 and len(xy) * len(segs) > 4_000_000:  # keep the distance matrix small
        half = len(xy) // 2
        return np.concatenate([_along(index, xy[:half], pad), _along(index, xy[half:], pad)])
    dist, t = index._foot(xy[:, 0][:, None], xy[:, 1][:, None], segs[None, :])
    best = np.argmin(dist, axis=1)
    seg = segs[best]
    return index.start[seg] + t[np.arange(len(best)), best] * np.sqrt(index.len2[seg])


def reach(routes: dict[str, Route], grades: dict, profile: Profile,
          widenings: Sequence[Widening] = (), buildings: bool = False,
          every: dict | None = None) -> list:
    """Every area the overlay looks at (corridors and widening footprints), to read only the
    parcels there (:func:`.sources.parcels_from_database` ``near``): the widening footprints
    with :data:`MAP_STRIP_M` around them, where the parcels that say whether the map covers
    them lie (:class:`_Coverage`, :attr:`OverlayResult.beyond`). With ``buildings``,
    the corridors with :data:`MAP_STRIP_M` around them, where the parcels that say whether
    the map covers a building in them lie (:class:`_Coverage`: a verge between the road
    land and the parcels may be wider than the corridor beyond it). ``every``: every route
    of the database (a widening on one left out of ``routes`` is refused as such)."""
    corridors = route_corridors(routes, grades, profile).geometry
    out = ([corridor.buffer(MAP_STRIP_M, join_style=2) for corridor in corridors]
           if buildings else list(corridors))
    return out + [widening_corridor(routes, w, every).buffer(MAP_STRIP_M, join_style=2)
                  for w in widenings]


def overlay_corridors(parcels: gpd.GeoDataFrame, routes: dict[str, Route],
                      grades: dict[str, str | None], profile: Profile,
                      widenings: Sequence[Widening] = (),
                      buildings: gpd.GeoDataFrame | None = None,
                      progress: Optional[Callable[[float], None]] = None,
                      is_cancelled: Optional[Callable[[], bool]] = None,
                      every: dict | None = None) -> OverlayResult:
    """Overlay ``parcels`` (grid; columns of ``cadastral_parcel``) on the corridors of
    ``routes`` (code -> calibrated :class:`~roadinfra.core.lrs.route.Route`, grade from
    ``grades``) and on the footprints of ``widenings``. ``buildings`` (optional polygons) add
    encroachments by what is built, whatever the land use. ``every``: every route of the
    database (default ``routes``): the road land of each one whose grade has widths in the
    profile is land the map leaves out on purpose (:class:`_Coverage`), whichever routes are
    overlaid, so that a route's rows never depend on the others chosen. Pieces narrower than
    the profile's ``[cadastre] overlay_min_width_m`` (default :data:`MIN_WIDTH_M`) are left
    out as survey noise."""
    every = routes if every is None else every
    cadastre = profile.data.get("cadastre", {})
    min_width = float(cadastre.get("overlay_min_width_m", MIN_WIDTH_M))
    for widening in widenings:  # a route left out of ``routes`` is named as such
        widening_corridor(routes, widening, every)
    corridors = route_corridors(routes, grades, profile)
    mapped = {code: route for code, route in every.items()  # only buildings ask the map
              if code not in routes and has_widths(profile, grades.get(code))
              and buildings is not None and len(buildings)}
    roads = (pd.concat([corridors, route_corridors(mapped, grades, profile)],
                       ignore_index=True) if mapped else corridors)
    parcels = parcels.reset_index(drop=True)
    prepared = _Parcels.of(parcels)
    rows: list[dict] = []
    slivers: list = []  # the areas of the slivers left out
    steps = len(corridors) + len(widenings)
    for n, corridor in enumerate(corridors.itertuples(), 1):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled("corridor overlay cancelled")
        reach_m = corridor.roadbed_m / 2.0 + corridor.road_land_m + (
            corridor.corridor_m if corridor.zone == "safety_corridor" else 0.0)
        rows += _pieces(prepared, corridor.geometry, routes[corridor.route],
                        {"route": corridor.route, "zone": corridor.zone}, reach_m, min_width,
                        slivers)
        if progress is not None:
            progress(100.0 * n / max(steps, 1))
    pieces = _frame(rows, PIECE_COLUMNS)

    built = {str(c) for c in cadastre.get("encroaching_land_use", ())}
    road = {str(c).strip().upper() for c in cadastre.get("road_land_use", ())}
    coverage = _Coverage(prepared, roads, {**every, **routes})
    buildings, moved, same, unsplit, lone = _charged(buildings, corridors)
    read = getattr(buildings, "attrs", {})
    enc, unmapped = _encroachments(pieces, corridors, routes, built, buildings, parcels.crs,
                                   coverage, min_width, slivers)

    acq_rows: list[dict] = []
    footprints = []
    narrow: list = []  # (widening, how many strips narrower than min_width, their area)
    taken: dict = {}  # (route, parcel) -> its rows (a place each), of every widening
    idle: list = []  # (widening, nominal road land's width or None) of those taking nothing
    beyond: list = []  # (widening, area beyond the map, its Km ranges)
    for n, widening in enumerate(widenings, 1):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled("corridor overlay cancelled")
        footprint = widening_corridor(routes, widening, every)
        name = (f"{widening.route} {_km(widening.from_m)}-{_km(widening.to_m)} "
                f"{widening.width_m:g} m")
        footprints.append({"route": widening.route, "zone": "widening", "grade": None,
                           "from_m": widening.from_m, "to_m": widening.to_m,
                           "roadbed_m": None, "road_land_m": None, "corridor_m": None,
                           "width_m": widening.width_m, "geometry": footprint})
        before = len(acq_rows)
        for piece in _pieces(prepared, footprint, routes[widening.route],
                             {"route": widening.route, "zone": "widening"},
                             widening.width_m / 2.0, 0.0):  # land to acquire: no sliver
            if _uses(piece["land_use"], road, every=True):
                continue  # already the road's land
            piece["widening"] = name
            if _width(piece["geometry"]) < min_width:
                narrow.append((name, piece["area_in_m2"]))
            taken.setdefault((widening.route, piece["_parcel"]), []).append(piece)
            acq_rows.append(piece)
        outside = _beyond_map(footprint, roads, widening.route, coverage, min_width)
        if outside:
            ranges = [f"{_km(a)}-{_km(b)}" for a, b in _merged(_measure_ranges(
                routes[widening.route], outside, widening.width_m / 2.0))]
            beyond.append((name, round(sum(p.area for p in outside), 1), ranges))
        elif len(acq_rows) == before:  # noted, not refused: parcels decide, not the profile
            widths = corridor_widths(profile, grades.get(widening.route), widening.route)
            idle.append((name, widths.road_land_width
                         if widening.width_m <= widths.road_land_width + 1e-9 else None))
        if progress is not None:
            progress(100.0 * (len(corridors) + n) / max(steps, 1))
    for places in taken.values():  # what stays: less every place any widening takes
        gone = (places[0]["geometry"].area if len(places) == 1
                else unary_union([p["geometry"] for p in places]).area)
        left = round(places[0]["parcel_area_m2"] - gone, 2)
        for piece in places:
            piece["remaining_m2"] = left
    acquisition = _frame(acq_rows, ["widening"] + PIECE_COLUMNS + ["remaining_m2"])
    corridors = corridors.assign(width_m=np.nan)  # a widening's new total width
    if footprints:
        corridors = _numeric(gpd.GeoDataFrame(pd.concat(
            [corridors, gpd.GeoDataFrame(footprints)], ignore_index=True), geometry="geometry"))
    regulation = corridor_regulation(profile)
    corridors = corridors.assign(**recorded_regulation(regulation))
    for frame in (corridors, pieces, acquisition):
        frame.set_crs(parcels.crs, allow_override=True, inplace=True)
    walled = {row for row, _ in read.get("walls", [])}  # split by its walls, noted so
    return OverlayResult(corridors, pieces, enc, acquisition, _gaps(routes),
                         _unmapped(routes, unmapped, False), _unmapped(routes, unmapped, True),
                         _repaired_rows(buildings), [row for row in _split_rows(buildings)
                                                     if row not in walled],
                         list(read.get("left_out", [])), list(read.get("frames", [])),
                         same, list(read.get("readings", [])),
                         list(read.get("joined", [])), list(read.get("walls", [])),
                         (len(slivers), round(sum(slivers), 2)), min_width,
                         _narrow(narrow), idle, beyond, regulation,
                         list(read.get("overlaps", [])), moved,
                         list(read.get("apart", [])), unsplit, lone)


def _charged(buildings, corridors: gpd.GeoDataFrame) -> tuple:
    """``buildings`` with, of each building kept with another outline merged into it as
    moved off it (``attrs["moved"]``, :func:`.buildings._same_buildings`: a resurvey moved
    off itself, or a house built out past the lot wall around it, or a house drawn as a
    HATCH only: geometry cannot tell), the outline charged that takes the most land zone by
    zone, innermost first (the most on road land, then in the safety corridor, then the
    larger, compared to :data:`.buildings.TIE_DIGITS` decimals of m²; ties: the one kept):
    the reading never under-states what lies on the road's land; pairs whose outlines
    overlap across pairs (a terrace and its old survey) are decided together, one survey
    whole (:func:`.surveys.charged_outlines`). The building's whole row
    is replaced by the other's (:func:`.buildings._moved_in_grid`: its row, name, parts,
    repair, and its outline with what the kept one took), so the notes follow the building
    charged; then the :attr:`OverlayResult.moved` pairs, ``attrs["same"]`` without them
    (the rows merged into either outline first, a HATCH of the one not charged too, are
    named in the one charged: one building), and the rows of each group
    of pairs decided pair by pair or charged over a building drawn in one survey only
    (:attr:`OverlayResult.unsplit`), and the groups decided by or charged over such a
    building (:attr:`OverlayResult.lone`). Two outlines charged overlapping each other, or one
    over such a building of its group, are not noted as overlapping (``attrs["overlaps"]``):
    the tool chose them, the drawing holds no copy to delete."""
    read = getattr(buildings, "attrs", {}) if buildings is not None else {}
    same = list(read.get("same", []))
    if not read.get("moved"):
        return buildings, [], same, [], []
    columns = {column: list(buildings[column]) for column in buildings.columns}
    geometry = buildings.geometry.name
    names = [str(n) for n in buildings["building"]]
    readings = list(read.get("readings", []))
    zones = list(corridors.geometry)
    kinds = list(corridors["zone"])
    tree = _tree(zones) if zones else None

    def in_zones(geom) -> tuple:  # (m² on road land, m² in the safety corridor)
        near = list(query_indices(tree, geom)) if tree is not None else []
        return tuple(unary_union([geom.intersection(zones[z]) for z in near
                                  if kinds[z] == zone]).area for zone in ZONES)

    entries = []  # (k, kept, alternatives, options, their outlines, their land)
    for kept, m2, alternatives in read["moved"]:
        k = names.index(str(kept))
        options = [(str(kept), m2, None, [])] + [
            (str(name), a, record, rows) for name, a, record, rows, _ in alternatives]
        outlines = [columns[geometry][k] if record is None else record[geometry]
                    for _, _, record, _ in options]
        entries.append((k, kept, alternatives, options, outlines,
                        [in_zones(g) for g in outlines]))
    kept_rows = {e[0] for e in entries}
    fixed = [(names[k], columns[geometry][k]) for k in range(len(names)) if k not in kept_rows
             and columns[geometry][k] is not None and not columns[geometry][k].is_empty]
    lone: list = []
    chosen, unsplit = charged_outlines([[(o[0], o[1]) for o in e[3]] for e in entries],
                                       [e[5] for e in entries], [e[4] for e in entries], fixed,
                                       lone)
    pairs = {(_row_of(kept), _row_of(other)) for _, kept, alternatives, *_ in entries
             for other, *_ in alternatives}
    same = [(a, b) for a, b in same if (a, b) not in pairs]  # noted as moved
    moved, charged = [], set()
    for (k, kept, _, options, _, land), best in zip(entries, chosen):
        name, a, record, _ = options[best]
        charged.add(name)
        if best:
            for column, values in columns.items():
                values[k] = record[column]
            names[k] = name
            readings = [(_TAKEN.get(kind, kind), _row_of(name), round(a, 1), inner)
                        if row == _row_of(kept) else (kind, row, m2_, inner)
                        for kind, row, m2_, inner in readings]
            same = [(_row_of(name) if r == _row_of(kept) else r, b) for r, b in same]
        moved += [(name, round(a, 1), round(land[best][0], 1), other, round(o_m2, 1),
                   round(land[n][0], 1), bool(best))
                  for n, (other, o_m2, _, _) in enumerate(options) if n != best]
    frame = gpd.GeoDataFrame(columns, geometry=geometry, crs=buildings.crs,
                             index=buildings.index)
    frame.attrs = {**read, "readings": readings}
    overlaps = (overlapping_pairs(list(frame.geometry), names)  # of the outlines charged
                if any(swapped for *_, swapped in moved) else list(read.get("overlaps", [])))
    # two outlines the tool chose overlapping, or one over a building drawn in one survey
    # only its group is noted with (surveys mixed): its choice, not a copy in the drawing
    mixed = [set(rows) for rows in unsplit]
    frame.attrs["overlaps"] = [o for o in overlaps if not (
        (str(o[0]) in charged and str(o[1]) in charged)
        or ((str(o[0]) in charged or str(o[1]) in charged)
            and any({_row_of(o[0]), _row_of(o[1])} <= rows for rows in mixed)))]
    return frame, moved, same, unsplit, lone


def _beyond_map(footprint, roads: gpd.GeoDataFrame, route: str, coverage: _Coverage,
                min_width: float) -> list:
    """The polygons of a widening's ``footprint`` outside the nominal road land of its
    ``route`` (``roads``: the road land rows of the corridors) that the imported map does
    not cover (:class:`_Coverage`), asked a :data:`TILE_M` tile at a time; parts under
    :data:`MIN_PIECE_M2` or narrower than ``min_width`` on average left out."""
    own = [geom for code, zone, geom in zip(roads["route"], roads["zone"], roads.geometry)
           if code == route and zone == "road_land"]
    rest = footprint.difference(unary_union(own)) if own else footprint
    if rest.is_empty:
        return []
    x0, y0, x1, y1 = rest.bounds
    out = []
    for x in np.arange(x0, x1, TILE_M):
        for y in np.arange(y0, y1, TILE_M):
            tile = rest.intersection(box(x, y, x + TILE_M, y + TILE_M))
            if tile.is_empty or tile.area < MIN_PIECE_M2:
                continue
            out += [poly for poly in _polygon_parts(coverage.split(tile)[1])
                    if poly.area >= MIN_PIECE_M2 and _width(poly) >= min_width]
    return out


def _merged(ranges: list) -> list:
    """Measure ranges (from, to) in order, those overlapping or within
    :data:`PLACE_GAP_M` of each other joined."""
    out: list = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1] + PLACE_GAP_M:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


#: The columns of the ``corridors`` table that record the profile and the regulation its
#: widths were computed with (:func:`recorded_regulation`), read back by the printed map.
REGULATION_COLUMNS = ("profile", "regulation_en", "regulation_vi")


def recorded_regulation(regulation: Regulation) -> dict:
    """The :data:`REGULATION_COLUMNS` values of ``regulation``: its profile's id and its
    citation (name and caveat) in English and Vietnamese."""
    return dict(zip(REGULATION_COLUMNS, (regulation.profile, regulation.text("en"),
                                         regulation.text("vi"))))


def _narrow(strips: list) -> list:
    """(widening, how many, their area in m²) of the acquisition strips narrower than the
    sliver width, per widening in order."""
    out: dict = {}
    for name, area in strips:
        count, total = out.get(name, (0, 0.0))
        out[name] = (count + 1, total + area)
    return [(name, count, round(total, 2)) for name, (count, total) in out.items()]


def _split_rows(buildings) -> list:
    """The 1-based rows of the footprints of several polygons, each taken as a building
    (:func:`.buildings.buildings_in_grid`)."""
    if buildings is None or "parts" not in buildings.columns:
        return []
    return sorted({int(r) for r in buildings.loc[buildings["parts"] > 1, "row"]})


def _repaired_rows(buildings) -> list:
    """(1-based row, why) of the repaired footprints (:func:`.buildings.buildings_in_grid`:
    ``repaired`` holds GEOS's reason, empty for a valid footprint)."""
    if buildings is None or "repaired" not in buildings.columns:
        return []
    fixed = buildings[buildings["repaired"].astype(bool)]
    return [(int(r), str(why)) for r, why in zip(fixed["row"], fixed["repaired"])]


class _Coverage:
    """Where the imported cadastral map lies, asked near one geometry at a time: the parcels;
    gaps under 2 x :data:`MAP_GAP_M` between any parcels; strips under :data:`MAP_STRIP_M`
    (a commune road, a canal) between parcels of one sheet (commune and sheet number), not
    bridging to another sheet's parcels; each route's road land and verge, on a side of its
    centre-line, along the parcels that line that side within MAP_STRIP_M of the road land's
    edge (the road land from the stretch of the centre-line they lie beside up to the
    centre-line, the verge from the road land's edge out to each parcel over its stretch);
    and the road between parcels on both sides, crossings too: closed by the road land's
    half-width plus MAP_GAP_M, times √2 (the centre of a square crossing lies √2 times its
    half-width from the parcels at its corners), within one sheet, or between sheets where
    parcels line both sides. The answer depends only on the parcels near the geometry, so
    those parcels give the answer all of them would: an unmapped strip between sheets (even
    under MAP_STRIP_M) or beside a sheet, or the far half of a road that parcels line on one
    side only, is not covered."""

    def __init__(self, parcels: _Parcels, corridors: gpd.GeoDataFrame, routes: dict):
        self.parcels = parcels
        roads = corridors[corridors["zone"] == "road_land"]
        self.roads = list(roads.geometry)
        self.lines = [routes[code].real_parts() for code in roads["route"]]
        self.halves = [float(bed) / 2.0 + float(land)
                       for bed, land in zip(roads["roadbed_m"], roads["road_land_m"])]
        self.gaps = [math.sqrt(2.0) * (half + MAP_GAP_M) for half in self.halves]
        self.road_tree = _tree(self.roads) if self.roads else None

    def split(self, geom) -> tuple:
        """(the part of ``geom`` the map covers, the part beyond it)."""
        if self.parcels.tree is None:
            return Polygon(), geom
        x0, y0, x1, y1 = geom.bounds
        near = box(x0 - MAP_STRIP_M, y0 - MAP_STRIP_M, x1 + MAP_STRIP_M, y1 + MAP_STRIP_M)
        roads = [k for k in (query_indices(self.road_tree, near) if self.road_tree is not None
                             else ()) if self.roads[k].intersects(near)]
        reach = max([MAP_STRIP_M] + [max(2.0 * self.gaps[k],
                                         2.0 * (self.halves[k] + MAP_STRIP_M))
                                     for k in roads])
        window = box(x0 - reach, y0 - reach, x1 + reach, y1 + reach)
        found = query_indices(self.parcels.tree, window)
        if not found:
            return Polygon(), geom
        land = unary_union([self.parcels.geoms[i] for i in found])
        sheets: dict = {}
        for i in found:
            key = (self.parcels.columns["commune_code"][i], self.parcels.columns["sheet_no"][i])
            sheets.setdefault(key, []).append(self.parcels.geoms[i])
        sheets = {key: unary_union(geoms) for key, geoms in sheets.items()}
        strip = MAP_STRIP_M / 2.0
        covered = [land, land.buffer(MAP_GAP_M).buffer(-MAP_GAP_M)]
        for key, own in sheets.items():  # strips < MAP_STRIP_M within one sheet
            others = [geom for other, geom in sheets.items() if other != key]
            closed = own.buffer(strip).buffer(-strip)
            covered.append(closed.difference(unary_union(others)) if others else closed)
        for k in roads:
            road = self.roads[k].intersection(window)
            bands, verges, sides = self._lined(k, window, found)
            covered += bands + verges
            near = road.buffer(MAP_GAP_M)
            for own in sheets.values():  # the road between one sheet's parcels
                covered.append(own.buffer(self.gaps[k]).buffer(-self.gaps[k]).intersection(near))
            across = sides[0].intersection(sides[1])  # parcels line both sides there
            if not across.is_empty:
                covered.append(land.buffer(self.gaps[k]).buffer(-self.gaps[k]).intersection(
                    near).intersection(across))
        covered = unary_union(covered)
        return geom.intersection(covered), geom.difference(covered)

    def _lined(self, k: int, window, found) -> tuple:
        """Along road ``k`` in ``window``, each side of its centre-line, the parcels among
        ``found`` that line that side (within the road land's half-width plus MAP_STRIP_M
        of the centre-line): (the road land from the stretch of the centre-line each group
        of touching parcels lies beside up to the centre-line; per part of a parcel there
        (a U-shaped parcel's two legs), the verge from the road land's edge out to it over
        the stretch it lies beside; per side, the whole
        road's width over those stretches)."""
        half = self.halves[k]
        bands, verges, sides = [], [], [[], []]
        for line in self.lines[k]:
            part = line.intersection(window)
            for piece in getattr(part, "geoms", [part]):
                if piece.is_empty or piece.geom_type != "LineString":
                    continue
                for n, sign in enumerate((1.0, -1.0)):
                    side = piece.buffer(sign * (half + MAP_STRIP_M), single_sided=True)
                    near = [self.parcels.geoms[i].intersection(side) for i in found]
                    near = [geom for geom in near if not geom.is_empty and geom.area > 0]
                    # per part of each parcel's cut (a U-shaped parcel's legs are two): a
                    # hull over both would close the notch between them
                    for geom in (poly for g in near for poly in getattr(g, "geoms", [g])
                                 if poly.geom_type == "Polygon" and poly.area > 0):
                        start, end = self._along(piece, geom)
                        if end > start:
                            verges.append(unary_union(
                                [geom, substring(piece, start, end).buffer(
                                    sign * half, single_sided=True)]).convex_hull
                                .intersection(side))
                    joined = unary_union(near) if near else Polygon()
                    for group in getattr(joined, "geoms", [joined]):
                        if group.is_empty or group.geom_type != "Polygon":
                            continue
                        start, end = self._along(piece, group)
                        if end <= start:
                            continue
                        stretch = substring(piece, start, end)
                        bands.append(stretch.buffer(sign * half, single_sided=True))
                        sides[n].append(stretch.buffer(half + MAP_GAP_M, cap_style=2))
        return bands, verges, [unary_union(s) if s else Polygon() for s in sides]

    @staticmethod
    def _along(piece, geom) -> tuple:
        """The stretch of ``piece`` (from, to along it) that ``geom`` lies beside."""
        coords = [xy for poly in getattr(geom, "geoms", [geom]) if poly.geom_type == "Polygon"
                  for xy in poly.exterior.coords]
        if not coords:
            return 0.0, 0.0
        along = [piece.project(Point(xy)) for xy in coords]
        return min(along), max(along)


def _unmapped(routes: dict, unmapped: list, partly: bool) -> list[tuple]:
    """Per route, the buildings in its corridors wholly (``partly`` False) or partly beyond
    the cadastral map (``unmapped``: (route, building part beyond, whether the building's
    rest was checked)): (route, how many, their Km ranges in order), and for ``partly`` the
    area of the parts beyond (m²) before the ranges."""
    by_route: dict = {}
    for route, part, checked in unmapped:
        if checked == partly:
            by_route.setdefault(route, []).append(part)
    out = []
    for code in sorted(by_route):
        ranges = [f"{_km(a)}-{_km(b)}" for a, b in sorted(_measure_ranges(
            routes[code], by_route[code], 0.0))]
        area = round(sum(part.area for part in by_route[code]), 1)
        out.append((code, len(by_route[code]), area, ranges) if partly
                   else (code, len(by_route[code]), ranges))
    return out


def _frame(rows: list[dict], columns: list[str]) -> gpd.GeoDataFrame:
    out = _numeric(geo_frame(rows, columns))
    return out.sort_values([c for c in ("widening", "route", "zone", "from_m", "sheet_no",
                                        "parcel_no") if c in out.columns],
                           kind="stable").reset_index(drop=True)


def _numeric(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` with its :data:`NUMERIC_COLUMNS` as floats (None as NaN)."""
    for column in NUMERIC_COLUMNS:
        if column in frame.columns and frame[column].dtype.kind != "f":
            frame[column] = pd.to_numeric(frame[column], errors="raise").astype(float)
    return frame


def _gaps(routes: dict) -> list[tuple[str, float, str, str]]:
    """Each gap between the parts of a route, where no corridor is drawn: (route, length in
    m, Km from, Km to)."""
    return [(code, end - start, _km(routes[code].measure_at(start)),
             _km(routes[code].measure_at(end)))
            for code in sorted(routes) for start, end in routes[code].gaps]


def _uses(land_use, codes: set, every: bool = False) -> bool:
    """Whether a parcel's land use is one of ``codes`` (upper case), in any case and also as
    one part of a mixed use (``ONT+CLN``); ``every``: each part of a mixed use is."""
    if land_use is None or land_use != land_use:  # None or NaN
        return False
    parts = [part.strip() in codes for part in str(land_use).upper().split("+")]
    return all(parts) if every else any(parts)


def _encroachments(pieces: gpd.GeoDataFrame, corridors: gpd.GeoDataFrame, routes: dict,
                   built: set, buildings: gpd.GeoDataFrame | None, crs,
                   coverage: _Coverage, min_width: float = MIN_WIDTH_M,
                   left: list | None = None) -> tuple[gpd.GeoDataFrame, list]:
    """The parcel parts in a corridor zone with a built-up land use (``built``; any case, or
    one part of a mixed use), then, when ``buildings`` are given, each building's part inside
    each parcel part (its own geometry, area, share of the parcel and Km range along the
    route) and each building's part in a corridor zone where no parcel is but the cadastral
    map covers (``coverage``, :class:`_Coverage`: on land the map leaves out, as the road
    itself: no parcel, no share). Also (route, building part) of each building in a route's
    corridors beyond the map's coverage: no cadastral map there, not an encroachment. Each
    building part is a row per place (:func:`_places`, ``min_width`` and ``left`` as
    there)."""
    table = pieces.drop(columns=pieces.geometry.name)
    geoms = list(pieces.geometry)
    built = {str(c).strip().upper() for c in built}
    by_use = [i for i, use in enumerate(pieces["land_use"]) if _uses(use, built)]
    # the rows as dicts of only the pieces an encroachment uses (not the whole table)
    records = dict(zip(by_use, table.iloc[by_use].to_dict("records")))

    def record(i: int) -> dict:
        if i not in records:
            records[i] = table.iloc[[i]].to_dict("records")[0]
        return records[i]

    rows = [{**records[i], "reason": f"land use {records[i]['land_use']}", "part": "parcel",
             "geometry": geoms[i]} for i in by_use]
    # (parcel part's record, building part, reason, building name)
    found: list[tuple[dict, object, str, str]] = []
    unmapped: list = []
    whole_of: dict = {}  # building name -> its footprint
    if buildings is not None and len(buildings):
        tree = _tree(geoms) if geoms else None
        zones = list(corridors.geometry)
        zone_tree = _tree(zones) if zones else None
        in_zone = [prep(z) for z in zones]  # most buildings lie wholly in a zone or outside
        keys = list(zip(table["route"], table["zone"]))
        names = ([str(n) for n in buildings["building"]] if "building" in buildings.columns
                 else [str(n) for n in range(1, len(buildings) + 1)])
        for building, label in zip(buildings.geometry, names):
            if building is None or building.is_empty:
                continue
            whole_of[label] = building
            inside = prep(building)
            first = len(found)
            covered: dict = {}  # (route, zone) -> the parcel parts the building meets
            for i in sorted(query_indices(tree, building)) if tree is not None else ():
                if not inside.intersects(geoms[i]):
                    continue
                covered.setdefault(keys[i], []).append(geoms[i])
                part = _polygonal(building.intersection(geoms[i]))
                if part is not None and part[1] >= MIN_PIECE_M2:
                    found.append((record(i), part[0], "building", label))
            beyond: dict = {}  # route -> the building's part in its corridors beyond the map
            for z in sorted(query_indices(zone_tree, building)) if zone_tree is not None else ():
                if not in_zone[z].intersects(building):
                    continue
                corridor = corridors.iloc[z]
                rest = (building if in_zone[z].contains(building)
                        else building.intersection(zones[z]))
                parcels_there = covered.get((corridor["route"], corridor["zone"]))
                if parcels_there and not rest.is_empty:
                    rest = rest.difference(unary_union(parcels_there))
                if not rest.is_empty:
                    rest, outside = coverage.split(rest)
                    part = _polygonal(outside) if not outside.is_empty else None
                    if part is not None and part[1] >= MIN_PIECE_M2:
                        beyond.setdefault(corridor["route"], []).append(part[0])
                rest = _polygonal(rest) if not rest.is_empty else None
                if rest is not None and rest[1] >= MIN_PIECE_M2:
                    found.append(({"route": corridor["route"], "zone": corridor["zone"]},
                                  rest[0], "building outside any parcel", label))
            checked = {rec["route"] for rec, *_ in found[first:]}  # parts found, either way
            unmapped += [(route, unary_union(parts), route in checked)
                         for route, parts in beyond.items()]
    reach_of: dict = {}
    for corridor in corridors.itertuples():
        reach_of[corridor.route] = max(reach_of.get(corridor.route, 0.0), sum(
            float(w) for w in (corridor.roadbed_m / 2.0, corridor.road_land_m,
                               corridor.corridor_m) if w is not None and w == w))
    by_route: dict = {}
    for k, (rec, part, _, label) in enumerate(found):
        by_route.setdefault(rec["route"], []).append((k, part, whole_of[label]))
    placed = []
    for route, items in by_route.items():
        placed += _places(routes[route], items, reach_of.get(route, 0.0), min_width, left)
    for k, part, area, from_m, to_m in sorted(placed, key=lambda p: p[0]):
        rec, _, reason, label = found[k]
        parcel_area = rec.get("parcel_area_m2")
        rows.append({**rec, "area_in_m2": round(area, 2),
                     "share_pct": (round(100.0 * area / parcel_area, 2) if parcel_area
                                   else None),
                     "from_m": from_m, "to_m": to_m,
                     "km_from": _km(from_m) if from_m is not None else None,
                     "km_to": _km(to_m) if to_m is not None else None,
                     "reason": reason, "part": "building", "building": label,
                     "geometry": part})
    return _numeric(geo_frame(rows, ENCROACHMENT_COLUMNS, crs=crs)), unmapped
