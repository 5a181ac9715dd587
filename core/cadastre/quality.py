"""The quality report of an import: invalid geometries (repaired, or listed when they cannot
be), overlaps and gaps between parcels, official against computed area, duplicate numbers.

Everything is measured in metres: in the parcels' CRS when it is projected and keeps areas
(within 1 %: a cadastral grid), else (geographic data, Web Mercator) in a Lambert azimuthal
equal-area projection centred on the data (areas stay true to the ellipsoid).
The report is a table of findings that is also a layer (geometry of each finding).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS, Proj, Transformer
from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import linemerge, unary_union
from shapely.strtree import STRtree
from shapely.validation import explain_validity, make_valid

from ..crs import crs_label
from ..errors import Cancelled
from ..spatial_index import query_indices, strtree
from .numbers import number_key
from .reader import ParcelSet

ISSUE_COLUMNS = ("kind", "row", "sheet_no", "parcel_no", "other", "value", "message")
#: A projected CRS whose areal scale departs from 1 by more than this over the data (Web
#: Mercator: +14 % at 20° N) is not measured in: areas go to an equal-area projection.
AREA_SCALE_TOLERANCE = 0.01
#: An open strip whose mean width is under this is rounding of the closing, not a gap.
FILM_M = 0.02
#: Kinds of findings, in report order.
KINDS = ("invalid_repaired", "invalid", "overlap", "gap", "area_mismatch", "duplicate")


@dataclass(frozen=True)
class Tolerances:
    """When a finding is reported (defaults from the profile's ``[cadastre]``)."""

    area_pct: float = 5.0          # official vs computed area, % of the official area ...
    area_min_m2: float = 1.0       # ... and at least this many m²
    overlap_min_m2: float = 0.5    # overlaps smaller than this are digitising noise
    gap_max_m2: float = 50.0       # holes in the parcel cover up to this size are gaps
    gap_min_m2: float = 0.01       # ... from this size (smaller: rounding of coordinates)
    gap_width_m: float = 1.0       # a strip between parcels narrower than this, open to the
    #                                outside or onto a road, is a gap too

    @classmethod
    def from_profile(cls, profile, **overrides) -> Tolerances:
        base = {}
        if profile is not None:
            section = profile.data.get("cadastre", {}).get("quality", {})
            base = {k: float(v) for k, v in section.items() if k in cls.__dataclass_fields__}
        base.update({k: float(v) for k, v in overrides.items() if v is not None})
        return cls(**base)


@dataclass
class QualityReport:
    """Findings (``issues``: a GeoDataFrame, one row per finding) and the parcels after repair
    with their computed area (``parcels.area_computed_m2``), both in ``crs``."""

    source: str
    parcels: gpd.GeoDataFrame
    issues: gpd.GeoDataFrame
    tolerances: Tolerances
    crs: CRS | None
    area_note: str
    counts: dict = field(default_factory=dict)

    def add_findings(self, findings: list[dict]) -> None:
        """Add ``findings`` (dicts of :data:`ISSUE_COLUMNS` and ``geometry``, in ``crs``),
        e.g. the import's overlaps with stored sheets, to the table and the counts."""
        if not findings:
            return
        added = gpd.GeoDataFrame(pd.DataFrame(findings, columns=list(ISSUE_COLUMNS)
                                              + ["geometry"]), geometry="geometry",
                                 crs=self.issues.crs)
        table = pd.concat([self.issues, added], ignore_index=True) if len(self.issues) \
            else added
        order = {k: i for i, k in enumerate(KINDS)}
        table = table.iloc[sorted(range(len(table)), key=lambda i: (
            order[table["kind"].iloc[i]], int(table["row"].iloc[i])))].reset_index(drop=True)
        self.issues = gpd.GeoDataFrame(table, geometry="geometry", crs=self.issues.crs)
        self.counts = self.issues["kind"].value_counts().to_dict()

    def summary(self) -> dict:
        official = self.parcels["area_official_m2"].astype(float)
        given = official.notna()
        ratio = self.parcels["area_computed_m2"] / official.where(official > 0)
        return {
            "source": self.source, "parcels": int(len(self.parcels)),
            "findings": {k: int(self.counts.get(k, 0)) for k in KINDS},
            "area_computed_m2": round(float(self.parcels["area_computed_m2"].sum()), 1),
            # compared over the same parcels: those the source gives an official area for
            "area_official_parcels": int(given.sum()),
            "area_computed_official_m2": round(float(
                self.parcels["area_computed_m2"][given].sum()), 1),
            "area_official_m2": round(float(official[given].sum()), 1) if given.any() else None,
            "area_ratio_median": (round(float(ratio.median()), 4)
                                  if ratio.notna().any() else None),
            "area_measured": self.area_note,
        }


def working_crs(crs: CRS | None, frame: gpd.GeoDataFrame) -> tuple[CRS | None, str]:
    """(metric CRS to measure in, how areas are measured): the parcels' own projected CRS
    when it is in metres and keeps areas within :data:`AREA_SCALE_TOLERANCE` over the data (a
    cadastral grid: TM-3, UTM, Lambert-93), else (geographic data, Web Mercator, a grid in US
    survey feet, ...) a Lambert azimuthal equal-area projection centred on the data."""
    if crs is None:
        return None, "in the file's undeclared coordinate units (assumed metres)"
    x0, y0, x1, y1 = frame.total_bounds if len(frame) else (0, 0, 0, 0)
    if not_degrees(crs, (x0, y0, x1, y1)):
        return None, (f"in the file's coordinate units (assumed metres): they are not degrees, "
                      f"out of range for the declared {crs_label(crs)}")
    if crs.is_projected:
        unit = _linear_unit(crs)
        distortion = _area_distortion(crs, (x0, y0, x1, y1))
        if distortion <= AREA_SCALE_TOLERANCE and unit is None:
            return crs, f"planar, in {crs_label(crs)}"
        to_lonlat = Transformer.from_crs(crs, crs.geodetic_crs, always_xy=True)
        (x0, x1), (y0, y1) = to_lonlat.transform([x0, x1], [y0, y1])
        why = (f"{crs_label(crs)} is in {unit}, not metres" if unit is not None else
               f"{crs_label(crs)} changes areas by {100 * distortion:.1f} %"
               if np.isfinite(distortion) else f"{crs_label(crs)} keeps no scale here")
    else:
        why = f"from {crs_label(crs)}"
    if not_degrees(crs.geodetic_crs, (x0, y0, x1, y1)):  # beyond what the projection inverts
        return crs, f"planar, in {crs_label(crs)}: its coordinates here lie off the earth"
    laea = CRS.from_proj4(f"+proj=laea +lat_0={(y0 + y1) / 2:.6f} +lon_0={(x0 + x1) / 2:.6f} "
                          f"+ellps={_ellipsoid(crs)} +units=m +no_defs +type=crs")
    return laea, f"equal-area (LAEA on the data), {why}"


def not_degrees(crs: CRS, bounds) -> bool:
    """Whether ``bounds`` (x0, y0, x1, y1) cannot be longitudes and latitudes in the
    geographic ``crs`` (beyond ±180° / ±90°, or not finite): grid metres under a geographic
    label (a WGS 84 ``.prj`` over VN-2000 metres). False for a projected CRS."""
    if crs is None or not crs.is_geographic:
        return False
    x0, y0, x1, y1 = bounds
    values = np.asarray([x0, y0, x1, y1], dtype=float)
    return bool(not np.isfinite(values).all() or max(abs(x0), abs(x1)) > 180
                or max(abs(y0), abs(y1)) > 90)


def _linear_unit(crs: CRS) -> str | None:
    """The name of a projected CRS's coordinate unit when it is not the metre (US survey
    feet, feet, ...), else None."""
    axes = (crs.source_crs if crs.is_bound else crs).axis_info
    factor = axes[0].unit_conversion_factor if axes else 1.0
    return None if abs(factor - 1.0) < 1e-12 else (axes[0].unit_name or "another unit")


def _area_distortion(crs: CRS, bounds) -> float:
    """The largest departure from 1 of the projection's areal scale at the centre and the
    corners of ``bounds`` (in ``crs``); inf when it cannot be worked out."""
    x0, y0, x1, y1 = bounds
    xs = [x0, x1, x1, x0, (x0 + x1) / 2]
    ys = [y0, y0, y1, y1, (y0 + y1) / 2]
    try:
        base = crs.source_crs if crs.is_bound else crs
        lon, lat = Transformer.from_crs(base, base.geodetic_crs, always_xy=True).transform(
            xs, ys)
        scale = np.asarray(Proj(base).get_factors(lon, lat).areal_scale, dtype=float)
    except Exception:  # pyproj raises several types for projections it cannot invert
        return float("inf")
    return float(np.max(np.abs(scale - 1.0))) if np.isfinite(scale).all() else float("inf")


def _ellipsoid(crs: CRS) -> str:
    name = (crs.ellipsoid.name if crs.ellipsoid else "").upper()
    return "GRS80" if "GRS" in name else "WGS84"


def repaired(geom):
    """(polygonal geometry or None, was it invalid, why): an invalid polygon made valid,
    its polygonal parts kept (parcels on import, building footprints in the overlay); why is
    GEOS's reason (``Self-intersection[x y]``, ``Hole lies outside shell[x y]``, ...).

    A hole lying wholly outside its polygon's outline is dropped first (said in why): GEOS
    would make it a second polygon, an area of parcel or building where the survey drew
    none."""
    if geom is None or geom.is_empty:
        return None, True, "empty geometry"
    if geom.is_valid:
        return geom, False, ""
    why = explain_validity(geom)
    geom, dropped = _without_outer_holes(geom)
    if dropped:
        why = f"{why}; {dropped} hole(s) outside the outline dropped"
    fixed = geom if geom.is_valid else make_valid(geom)
    parts = []
    for part in getattr(fixed, "geoms", [fixed]):
        if isinstance(part, Polygon):
            parts.append(part)
        elif isinstance(part, MultiPolygon):
            parts.extend(part.geoms)
    parts = [p for p in parts if p.area > 0]
    return (MultiPolygon(parts) if parts else None), True, why


def _without_outer_holes(geom):
    """(``geom`` without the holes whose area lies wholly outside their polygon's outline,
    how many were dropped)."""
    polygons = list(getattr(geom, "geoms", [geom]))
    if not all(isinstance(p, Polygon) for p in polygons):
        return geom, 0
    kept, dropped = [], 0
    for polygon in polygons:
        shell = Polygon(polygon.exterior)
        holes = []
        for ring in polygon.interiors:
            hole = Polygon(ring)
            if hole.area > 0 and shell.is_valid and hole.is_valid \
                    and shell.intersection(hole).area == 0:
                dropped += 1
            else:
                holes.append(ring)
        kept.append(Polygon(polygon.exterior, holes))
    if not dropped:
        return geom, 0
    return (kept[0] if isinstance(geom, Polygon) else MultiPolygon(kept)), dropped


def quality_report(parcels: ParcelSet, tolerances: Tolerances | None = None,
                   progress: Optional[Callable[[float], None]] = None,
                   is_cancelled: Optional[Callable[[], bool]] = None) -> QualityReport:
    """Check ``parcels`` (see the module docstring); the report's layer is in the metric CRS."""
    tol = tolerances or Tolerances()
    frame = parcels.frame.copy()
    metric, note = working_crs(parcels.crs, frame)
    if metric is not None:  # None: undeclared, or coordinates that do not fit their CRS
        frame = frame.set_crs(parcels.crs, allow_override=True)
    if metric is not None and parcels.crs is not None and not metric.equals(parcels.crs):
        frame = frame.to_crs(metric)
    issues: list[dict] = []

    def add(kind, row, geom, message, value=None, other=None):
        issues.append({"kind": kind, "row": int(row["row"]), "sheet_no": row["sheet_no"],
                       "parcel_no": row["parcel_no"], "other": other, "value": value,
                       "message": message, "geometry": geom})

    def step(pct):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled(f"{parcels.source}: quality report cancelled")
        if progress is not None:
            progress(pct)

    if not len(frame):
        frame = frame.assign(area_computed_m2=pd.Series(dtype=float))
        empty = gpd.GeoDataFrame(pd.DataFrame(columns=list(ISSUE_COLUMNS) + ["geometry"]),
                                 geometry="geometry", crs=frame.crs)
        return QualityReport(parcels.source, frame, empty, tol, frame.crs, note, {})

    # 1. invalid geometries: repaired where GEOS can, listed where it cannot
    keep = []
    geoms = []
    for _, row in frame.iterrows():
        fixed, invalid, why = repaired(row.geometry)
        if invalid and fixed is not None:
            add("invalid_repaired", row, fixed, f"repaired: {why}")
        elif invalid:
            add("invalid", row, row.geometry, f"cannot be repaired: {why}")
        keep.append(fixed is not None)
        geoms.append(fixed)
    frame = frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))
    frame = frame[np.asarray(keep)].copy()
    frame["area_computed_m2"] = frame.geometry.area
    step(20)

    # 2. overlaps between parcels
    geoms = list(frame.geometry)
    rows = [r for _, r in frame.iterrows()]
    tree = strtree(geoms)
    for i, geom in enumerate(geoms):
        for j in query_indices(tree, geom):
            other = geoms[j]
            if j <= i or not geom.intersects(other):
                continue
            piece = geom.intersection(other)
            if piece.area >= tol.overlap_min_m2:
                add("overlap", rows[i], piece, f"overlaps parcel {rows[j]['sheet_no']}/"
                    f"{rows[j]['parcel_no']} (row {rows[j]['row']}) by {piece.area:.1f} m²",
                    round(piece.area, 2), f"{rows[j]['sheet_no']}/{rows[j]['parcel_no']}")
        if i % 500 == 0:
            step(20 + 40 * i / max(len(geoms), 1))
    step(60)

    # 3. gaps: what the cover of all parcels leaves open inside its outline, up to
    # gap_max_m2 or narrower than gap_width_m (a long sliver); then the strips between
    # parcels that open to the outside (or onto a road)
    for gap, near, opens in cover_gaps(geoms, tree, tol):
        near = [rows[k] for k in near]
        first = near[0] if near else {"row": 0, "sheet_no": None, "parcel_no": None}
        names = ", ".join(f"{r['sheet_no']}/{r['parcel_no']}" for r in near[:6])
        where = (f"between parcels {names}, open to the outside of the parcels" if opens
                 else f"next to parcels {names}")
        add("gap", first, gap, f"gap of {gap.area:.1f} m² {where}", round(gap.area, 2))
    step(75)

    # 4. official vs computed area
    for _, row in frame.iterrows():
        official = row["area_official_m2"]
        if official is None or pd.isna(official) or float(official) <= 0:
            continue
        diff = float(row["area_computed_m2"]) - float(official)
        limit = max(tol.area_min_m2, tol.area_pct / 100.0 * float(official))
        if abs(diff) > limit:
            add("area_mismatch", row, row.geometry,
                f"computed {row['area_computed_m2']:.1f} m² vs official {float(official):.1f} "
                f"m² ({100.0 * diff / float(official):+.1f} %, tolerance {tol.area_pct:g} %)",
                round(diff, 2))
    step(90)

    # 5. duplicate parcel numbers on one sheet of one commune (5 and 05 are one number)
    key = frame["commune_code"].fillna("").astype(str) + "|" \
        + frame["sheet_no"].map(number_key).astype(str) + "|" \
        + frame["parcel_no"].map(number_key).astype(str)
    dup = key.duplicated(keep=False)
    for _, row in frame[dup].iterrows():
        same = frame[(key == key[row.name]) & (frame["row"] != row["row"])]["row"].tolist()
        add("duplicate", row, row.geometry,
            f"parcel number {row['parcel_no']} of sheet {row['sheet_no']} also on row(s) "
            f"{', '.join(str(r) for r in same[:10])}", other=",".join(map(str, same[:10])))
    step(100)

    order = {k: i for i, k in enumerate(KINDS)}
    issues.sort(key=lambda r: (order[r["kind"]], r["row"]))
    table = gpd.GeoDataFrame(pd.DataFrame(issues, columns=list(ISSUE_COLUMNS) + ["geometry"]),
                             geometry="geometry", crs=frame.crs)
    counts = table["kind"].value_counts().to_dict()
    return QualityReport(parcels.source, frame, table, tol, frame.crs, note, counts)


def cover_gaps(geoms: list, tree: STRtree, tol: Tolerances) -> list:
    """[(gap, indices of the parcels it touches, opens)] of the parcels ``geoms`` (indexed
    by ``tree``): the holes their cover leaves inside its outline, from ``gap_min_m2`` up to
    ``gap_max_m2`` or narrower than ``gap_width_m`` (a long sliver), ``opens`` False; then
    the strips between parcels that open to the outside or onto a road (:func:`open_gaps`),
    ``opens`` True."""
    cover = unary_union(geoms) if geoms else None
    if cover is None or cover.is_empty:
        return []
    parts = getattr(cover, "geoms", [cover])
    filled = unary_union([Polygon(p.exterior) for p in parts])
    holes = filled.difference(cover)
    found, out = [], []
    for hole in getattr(holes, "geoms", [holes]):
        if isinstance(hole, Polygon) and tol.gap_min_m2 <= hole.area and (
                hole.area <= tol.gap_max_m2 or mean_width(hole) < tol.gap_width_m):
            found.append(hole)
            out.append((hole, _touching(tree, geoms, hole), False))
    return out + [(strip, near, True)
                  for strip, near in open_gaps(cover, found, tree, geoms, tol)]


def open_gaps(cover, holes: list, tree: STRtree, geoms: list, tol: Tolerances) -> list:
    """[(strip, indices of the parcels it touches)]: the strips narrower than
    ``tol.gap_width_m`` between two or more parcels that open to the outside of the cover or
    onto a large hole in it (a road, a river), of ``gap_min_m2`` or more: being narrower
    than ``gap_width_m``, a strip is a gap however long (the sliver along the frame between
    two sheets), not a road.

    They are what a closing of the cover (grown, then shrunk, by half the width) adds to it
    beyond the enclosed ``holes``. A piece touching one parcel (a notch in its outline) is
    not a gap, nor the tip of a wedge where two parcels' edges part (the ordinary outline, a
    road widening between them): a mouth onto the outside nearly as wide as the closing
    and much wider than the piece's mean width. The work follows the outline of the cover,
    not the number of parcels."""
    half = tol.gap_width_m / 2.0
    if half <= 0:
        return []
    base = unary_union([cover] + holes) if holes else cover
    closed = base.buffer(half, join_style=2).buffer(-half, join_style=2)
    out = []
    for piece in getattr(closed.difference(base), "geoms", [closed.difference(base)]):
        if not isinstance(piece, Polygon) or piece.area < tol.gap_min_m2:
            continue
        near = _touching(tree, geoms, piece)
        if len(near) < 2:
            continue
        local = unary_union([geoms[k] for k in near]).buffer(0.01)
        mouths = piece.exterior.difference(local)
        if mouths.geom_type == "MultiLineString":
            mouths = linemerge(mouths)  # a mouth cut where the ring starts is one
        mouths = [m for m in getattr(mouths, "geoms", [mouths]) if m.length > 0]
        shared = piece.exterior.length - sum(m.length for m in mouths)
        width = 2.0 * piece.area / shared if shared > 0 else float("inf")
        if width < FILM_M:
            continue  # a film the closing leaves along an edge it does not quite restore
        if width >= tol.gap_width_m:
            continue  # wider than a gap (the closing fills only narrower; kept as a guard)
        if any(m.length >= 0.75 * tol.gap_width_m and m.length > 1.5 * width
               for m in mouths):
            continue  # the tip of a wedge between parcels whose edges part
        out.append((piece, near))
    return out


def mean_width(polygon) -> float:
    """The mean width of a polygon, twice its area over its perimeter (a strip's width)."""
    length = polygon.length
    return 2.0 * polygon.area / length if length > 0 else 0.0


def _touching(tree: STRtree, geoms: list, hole) -> list[int]:
    grown = hole.buffer(0.01)
    return sorted(k for k in query_indices(tree, grown) if geoms[k].intersects(grown))
