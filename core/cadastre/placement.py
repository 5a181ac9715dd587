"""Where parcels lie: their CRS checked against the profile's province, then moved into the
provincial grid (through the profile's datum transformation for WGS 84 data)."""

from __future__ import annotations

import re

import numpy as np
from pyproj import CRS, Transformer
from shapely.ops import transform

from ..crs import (
    WGS84_EPSG,
    CrsCheck,
    WrongCrsError,
    check_coordinates,
    crs_label,
    fitting_crs,
    grid_crs,
    on_vn2000_datum,
    to_grid,
    to_wgs84,
    unplaceable,
    vn2000_substitute,
    vn2000_tm3_zone,
)
from ..io.rows import RowError
from ..profile import Profile
from .errors import CadastreError
from .reader import ParcelSet, drop_z

#: Vertices sampled for the province check (enough to see a wrong CRS, fast on big files).
SAMPLE_VERTICES = 20000


def sample_vertices(parcels: ParcelSet, limit: int = SAMPLE_VERTICES):
    """x, y arrays of up to ``limit`` exterior vertices spread over all parcels."""
    xs, ys = [], []
    for geom in parcels.frame.geometry:
        for poly in getattr(geom, "geoms", [geom]):
            coords = np.asarray(poly.exterior.coords)[:, :2]
            xs.append(coords[:, 0])
            ys.append(coords[:, 1])
    if not xs:
        return np.zeros(0), np.zeros(0)
    x, y = np.concatenate(xs), np.concatenate(ys)
    step = max(1, len(x) // limit)
    return x[::step], y[::step]


def province_lonlat(db):
    """The province polygon of a database's admin_unit (level province) in WGS 84 lon/lat,
    or None (then the profile's bounding box is used)."""
    from shapely.ops import unary_union

    geoms = [r["geom"] for r in db.fetch("admin_unit", {"level": "province"}) if r.get("geom")]
    if not geoms:
        return None
    return transform(lambda x, y, z=None: to_wgs84(np.asarray(x), np.asarray(y), db.profile),
                     unary_union(geoms))


def refuse_unplaceable(parcels: ParcelSet) -> None:
    """:class:`CadastreError` naming the source and its CRS when that CRS cannot be placed
    on the earth (:func:`roadinfra.core.crs.unplaceable`: a local CRS, a missing grid)."""
    if parcels.crs is not None and (why := unplaceable(parcels.crs)):
        raise CadastreError(f"{parcels.source}: {crs_label(parcels.crs)} is {why}: its "
                            "coordinates cannot be placed; give the CRS they are in")


def check_placement(parcels: ParcelSet, profile: Profile, area=None,
                    trust_crs: bool = False) -> CrsCheck:
    """The province check of :func:`roadinfra.core.crs.check_coordinates` on the parcels
    (inside ``area``, a WGS 84 polygon, if given; else the profile's bounding box);
    :class:`WrongCrsError` (naming the file, the CRS and the probable one) when they do not lie
    in the province, are undeclared and not in the grid, or use a wrong VN-2000 variant.

    A VN-2000 CRS of another zone whose coordinates also fit the provincial grid, and a
    VN-2000 TM-3 grid written on WGS 84 without the datum shift at another meridian
    (:func:`~roadinfra.core.crs.vn2000_substitute`, wherever the coordinates fall), are
    refused as probably mislabelled unless ``trust_crs`` (the user confirmed the declared
    CRS). A CRS the user assigned in place of the file's own
    (``ParcelSet.crs_note``) is named in the message returned; when it is refused and the
    coordinates fit the file's own CRS (``ParcelSet.declared_crs``), the refusal says so."""
    refuse_unplaceable(parcels)
    x, y = sample_vertices(parcels)
    try:
        found = _placed(parcels.source, parcels.crs, x, y, profile, area, trust_crs,
                        "assigned" if parcels.crs_note else
                        "given (--crs)" if parcels.crs_given else "declared")
    except WrongCrsError as exc:
        own = parcels.declared_crs
        fits = (_fitting_instead(parcels, x, y, profile, area)
                if own is None and parcels.crs_given else [])
        if fits:
            trusting = "--trust-crs" in str(exc)
            given = _named(parcels.crs)
            listed = ", ".join(f"EPSG:{crs.to_epsg()} {crs.name}" for crs in fits)
            apart = f"{_apart(fits, x, y, profile):.0f}"
            code = f"EPSG:{fits[0].to_epsg()}"
            template = (parcels.given_refusal if len(fits) == 1 else parcels.given_ambiguous)
            if template:
                trust = (parcels.given_trust.format(given=given)
                         if trusting and parcels.given_trust else "")
                raise WrongCrsError(template.format(
                    source=parcels.source, given=given, grid=listed, code=code, fits=listed,
                    apart=apart, trust=trust)) from None
            confirm = (f", or, if the data really is in {given}, confirm it (--trust-crs)"
                       if trusting else "")
            if len(fits) == 1:
                advice = (f"its coordinates fit {listed}"
                          f"{', the provincial grid' if fits[0].equals(grid_crs(profile)) else ''}"
                          f": use --crs {code}{confirm}")
            else:
                advice = (f"its coordinates fit each of {listed}, which place them up to "
                          f"{apart} m apart: the coordinates cannot tell VN-2000 from WGS 84 "
                          "(or one grid from another) apart there, so give --crs the CRS the "
                          "data was really made in (VN-2000 for a cadastral survey, WGS 84 "
                          f"for GPS or web-map data){confirm}")
            raise WrongCrsError(
                f"{parcels.source}: the CRS you gave for the file ({given}, --crs) is wrong: "
                f"the file declares none, and {advice}; nothing was imported") from None
        if own is None or not _fits(parcels.source, own, x, y, profile, area):
            raise
        if parcels.assigned_refusal:
            raise WrongCrsError(parcels.assigned_refusal.format(
                source=parcels.source, assigned=_named(parcels.crs), own=_named(own))) from None
        raise WrongCrsError(
            f"{parcels.source}: the CRS assigned to the file ({_named(parcels.crs)}, --crs "
            f"with --assign-crs) disagrees with the file's own declared CRS, {_named(own)}, "
            "which the coordinates fit: drop --assign-crs and --crs to read the file in its "
            "own CRS (in QGIS leave the layer's CRS as the file declares it); nothing was "
            "imported") from None
    if parcels.crs_note:
        found = CrsCheck(found.declared, found.fits, found.inside_fraction,
                         f"{found.message}; {parcels.crs_note}")
    return found


def check_buildings(buildings: ParcelSet, profile: Profile, area=None,
                    layer: bool = False) -> CrsCheck:
    """:func:`check_placement` of a buildings file (or layer, ``layer``): the same refusals
    (outside the province, no CRS and not in the grid, a probably mislabelled VN-2000 CRS),
    with the advice a buildings input takes: give it its true CRS, as there is no option to
    assign or trust one for it."""
    try:
        return check_placement(buildings, profile, area)
    except WrongCrsError as exc:
        what = "layer" if layer else "file"
        text = re.split(r"; (?:read it in the|if it is in the grid)", str(exc))[0]
        text = text.removesuffix("; nothing was imported")  # the advice is the parcels'

        grid = grid_crs(profile)
        raise WrongCrsError(
            f"buildings {what} {text}: the buildings "
            f"would match no corridor; give the {what} its true CRS "
            + ("(set the layer's CRS in QGIS)" if layer else
               "(a .prj beside a Shapefile, or save it with its CRS)")
            + f", or save it in the provincial grid EPSG:{grid.to_epsg()}; nothing was "
            "overlaid") from None


def _fitting_instead(parcels: ParcelSet, x, y, profile: Profile, area) -> list:
    """Every CRS the coordinates fit other than the one given for them: the provincial grid
    first if they fit it, then the VN-2000 / WGS 84 grids they fit (by EPSG code). Several
    fit where the coordinates cannot tell one datum (or grid) from another."""
    grid = grid_crs(profile)
    fits = []
    if not parcels.crs.equals(grid) and _fits(parcels.source, grid, x, y, profile, area):
        fits.append(grid)
    for cand in fitting_crs(x, y, profile, area):
        if (cand.key.startswith("EPSG:") and not cand.crs.equals(parcels.crs)
                and not any(cand.crs.equals(f) for f in fits)
                and _fits(parcels.source, cand.crs, x, y, profile, area)):
            fits.append(cand.crs)
    return fits


def _apart(crss: list, x, y, profile: Profile) -> float:
    """How far apart (m, in the grid) ``crss`` place the coordinates' middle point."""
    mx, my = float(np.median(x)), float(np.median(y))
    points = [_grid_mover(crs, profile)(mx, my) for crs in crss]
    return max((float(np.hypot(a[0] - b[0], a[1] - b[1]))
                for a in points for b in points), default=0.0)


def _named(crs) -> str:
    """``EPSG:9209 VN-2000 / TM-3 105-30``, or the CRS's label when it has no EPSG code."""
    code = crs.to_epsg(min_confidence=90) if crs is not None else None
    return f"EPSG:{code} {crs_label(crs)}" if code else crs_label(crs)


def _fits(source: str, crs, x, y, profile: Profile, area) -> bool:
    """Whether the coordinates pass :func:`check_placement`'s checks in ``crs``."""
    try:
        _placed(source, crs, x, y, profile, area, trust_crs=False)
    except WrongCrsError:
        return False
    return True


def _placed(source: str, crs, x, y, profile: Profile, area, trust_crs: bool,
            how: str = "declared") -> CrsCheck:
    """:func:`check_placement` of the sampled vertices ``x``, ``y`` in ``crs`` (``how``:
    whether the file declared it or the user assigned it)."""
    try:
        found = check_coordinates(x, y, crs.to_wkt() if crs is not None else None, profile,
                                  source=source, area=area)
    except WrongCrsError as exc:
        raise WrongCrsError(f"{exc}{_swapped_hint(crs, x, y, profile, area)}; nothing was "
                            "imported") from None
    grid = grid_crs(profile)
    grid_label = f"EPSG:{grid.to_epsg()} "
    substitute = found.declared == "other" and vn2000_substitute(crs)
    vn2000 = found.declared == "other" and on_vn2000_datum(crs)
    declared = crs_label(crs)
    if substitute and not trust_crs:
        zone = vn2000_tm3_zone(crs)
        fits = ", ".join(found.fits)
        raise WrongCrsError(
            f"{source}: {how} {declared}: a VN-2000 TM-3 grid written on WGS 84 "
            "without the datum shift (positions ~220 m off even in the right zone) at another "
            f"meridian than the provincial grid {grid_label}{grid.name} (~26 km per zone): the "
            f"file is probably mislabelled (the coordinates fit {fits}); read it in the VN-2000 "
            f"grid it is in (--crs {zone or grid_label.strip()} or --crs {grid_label.strip()}, "
            "with --assign-crs; in QGIS set the layer's CRS), or, if the data really is in "
            f"{declared}, confirm it (--trust-crs); nothing was imported")
    if vn2000 and not trust_crs and any(label.startswith(grid_label) for label in found.fits):
        raise WrongCrsError(
            f"{source}: {how} {declared}, but the coordinates also fit the "
            f"provincial grid {grid_label}{grid.name}: the file is probably mislabelled (a "
            f"wrong VN-2000 zone or projection); if it is in the grid, read it as the grid "
            f"(--crs {grid_label.strip()} --assign-crs; in QGIS set the layer's CRS), or, if "
            f"the data really is in {declared}, confirm it (--trust-crs); nothing was imported")
    if trust_crs and (vn2000 or substitute):
        found = CrsCheck(found.declared, found.fits, found.inside_fraction,
                         f"{found.message}; {how} {declared} accepted as "
                         "confirmed by the user (trust CRS)")
    return found


def _swapped_hint(crs, x, y, profile: Profile, area) -> str:
    """``; X and Y appear swapped ...`` when the coordinates, X and Y exchanged, lie in the
    province in ``crs`` (else in the known CRSs they then fit): a survey export that wrote
    the northing as X (the Vietnamese surveying convention); else ''."""
    where = ""
    if crs is not None:
        try:
            check_coordinates(y, x, crs.to_wkt(), profile, area=area)
            where = crs_label(crs)
        except WrongCrsError:
            pass
    if not where:
        where = ", ".join(c.label for c in fitting_crs(y, x, profile, area))
    if not where:
        return ""
    return (f"; X and Y appear swapped: exchanged, the coordinates lie in the province in "
            f"{where} (northing written as X, the surveyors' convention): export the file "
            "again with X the easting")


def outside_province(grid_frame, source: str, province, profile: Profile) -> list:
    """Every parcel of ``grid_frame`` (in the provincial grid) not inside ``province``
    (``(prepared area, description)`` as the database's ``province_area()``, the very test it
    applies when writing), as :class:`RowError` (file, 1-based row, position in the grid and in
    WGS 84); [] when no province is known."""
    if province is None or not len(grid_frame):
        return []
    prepared, description = province
    out = []
    for row, sheet, number, geom in zip(grid_frame["row"], grid_frame["sheet_no"],
                                        grid_frame["parcel_no"], grid_frame.geometry):
        if geom is None or prepared.contains(geom):
            continue
        x, y = geom.representative_point().coords[0]
        lon, lat = to_wgs84(x, y, profile)
        out.append(RowError(source, int(row), "geometry",
                            f"parcel {sheet}/{number} at x={x:.2f}, y={y:.2f} (lon {lon:.5f}, "
                            f"lat {lat:.5f}) lies outside {description}"))
    return out


def to_grid_frame(parcels: ParcelSet, profile: Profile):
    """The parcels' frame in the provincial grid (a copy, in 2D; CRS set to the grid)."""
    grid = grid_crs(profile)
    frame = parcels.frame.copy()
    frame["geometry"] = [drop_z(g) for g in frame.geometry]
    crs = parcels.crs
    if crs is None or crs.equals(grid) or crs.to_epsg(min_confidence=90) == grid.to_epsg():
        return frame.set_crs(grid, allow_override=True)
    move = _grid_mover(crs, profile)
    frame["geometry"] = [transform(move, g) for g in frame.geometry]
    return frame.set_geometry("geometry").set_crs(grid, allow_override=True)


def _grid_mover(crs, profile: Profile):
    """x, y in ``crs`` -> x, y in the provincial grid: within VN-2000 by PROJ, else via WGS 84
    and the profile's own datum transformation (never a PROJ guess)."""
    grid = grid_crs(profile)
    if on_vn2000_datum(crs):
        forward = Transformer.from_crs(crs, grid, always_xy=True)

        def move(x, y, z=None):
            return forward.transform(x, y)
    else:
        to_wgs = Transformer.from_crs(crs, CRS.from_epsg(WGS84_EPSG), always_xy=True)

        def move(x, y, z=None):
            lon, lat = to_wgs.transform(x, y)
            return to_grid(np.asarray(lon), np.asarray(lat), profile)
    return move
