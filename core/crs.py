"""The provincial grid (VN-2000 / TM-3) and the official datum shift to WGS 84.

Everything is read from the profile's ``[crs]`` section (EPSG code of the grid, the EPSG
code of the datum transformation, the province's bounding box), so another province is
another profile, not new code.

Conventions
-----------
* Coordinates are always (x, y) = (lon, lat) or (easting, northing), whatever the
  authority's axis order.
* WGS 84 <-> grid uses exactly the operation named by ``crs.datum_transformation_epsg``
  (EPSG:6960 "VN-2000 to WGS 84 (2)" for Thai Binh); we select it from PROJ's candidate
  operations and refuse to fall back to any other.
* EPSG:6960 publishes its rotations in the *coordinate frame* convention (EPSG method 9607).
  A PROJ ``+towgs84`` string uses the *position vector* convention, so its three rotations
  carry the opposite sign (:data:`VN2000_TOWGS84`). Using the EPSG signs in ``+towgs84``
  moves points by ~0.7 m; dropping the shift altogether moves them by ~220 m.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
from pyproj import CRS, Transformer
from pyproj.crs import CoordinateOperation
from pyproj.enums import PJType
from pyproj.transformer import TransformerGroup

from .errors import RoadInfraError
from .profile import Profile, ProfileError, load_profile

WGS84_EPSG = 4326
#: WGS 84 / UTM zones 48N and 49N: what GNSS receivers and web exports over Vietnam use.
WGS84_UTM_VIETNAM = (32648, 32649)

#: EPSG:6960 as a PROJ ``+towgs84`` (position vector): tx, ty, tz [m], rx, ry, rz ["], ds [ppm].
#: The rotations are EPSG:6960's coordinate-frame values with their sign flipped.
VN2000_TOWGS84 = (
    -191.90441429,
    -39.30318279,
    -111.45032835,
    0.00928836,
    -0.01975479,
    0.00427372,
    0.252906278,
)
#: The datum transformation these +towgs84 values stand for.
VN2000_TOWGS84_EPSG = 6960
#: The classic mistake: EPSG:6960's coordinate-frame rotation signs copied into +towgs84.
VN2000_TOWGS84_WRONG_SIGN = VN2000_TOWGS84[:3] + tuple(-v for v in VN2000_TOWGS84[3:6]) + (
    VN2000_TOWGS84[6],
)
NO_DATUM_SHIFT = (0.0,) * 7


class WrongCrsError(RoadInfraError):
    """Coordinates or a CRS definition do not fit the provincial grid (names the probable CRS)."""


@dataclass(frozen=True)
class GridDefinition:
    """The provincial grid as declared by a profile's ``[crs]`` section."""

    epsg: int
    name: str
    central_meridian: float
    scale_factor: float
    false_easting: float
    datum_transformation_epsg: int
    geographic_epsg: int
    province_bbox_wgs84: tuple[float, float, float, float] | None


def grid_definition(profile: Profile | None = None) -> GridDefinition:
    """Read the grid from the profile and check it against PROJ's definition of the EPSG code."""
    profile = profile or load_profile()
    section = profile.section("crs")
    try:
        bbox = section.get("province_bbox_wgs84")
        grid = GridDefinition(
            epsg=int(section["epsg"]),
            name=str(section["name"]),
            central_meridian=float(section["central_meridian"]),
            scale_factor=float(section["scale_factor"]),
            false_easting=float(section["false_easting"]),
            datum_transformation_epsg=int(section["datum_transformation_epsg"]),
            geographic_epsg=int(section["geographic_epsg"]),
            province_bbox_wgs84=tuple(float(v) for v in bbox) if bbox else None,
        )
    except KeyError as exc:
        raise ProfileError(f"{profile.path}: [crs] lacks {exc.args[0]!r}") from None
    _check_against_proj(grid, profile)
    return grid


@lru_cache(maxsize=8)
def _epsg_tmerc_params(epsg: int) -> tuple | None:
    """:func:`_tmerc_params` of an EPSG code, cached (building the CRS takes ~1 ms)."""
    params = _tmerc_params(CRS.from_epsg(epsg))
    return tuple(sorted(params.items())) if params is not None else None


def _check_against_proj(grid: GridDefinition, profile: Profile) -> None:
    cached = _epsg_tmerc_params(grid.epsg)
    params = dict(cached) if cached is not None else None
    expected = {
        "lon_0": grid.central_meridian,
        "k_0": grid.scale_factor,
        "x_0": grid.false_easting,
    }
    for key, value in expected.items():
        if params is None or abs(params[key] - value) > 1e-9:
            raise ProfileError(
                f"{profile.path}: [crs] {key}={value} does not match EPSG:{grid.epsg} "
                f"in the PROJ database ({params})"
            )


def _tmerc_params(crs: CRS) -> dict | None:
    """lon_0, lat_0, k_0, x_0, y_0 of a Transverse Mercator CRS, else None."""
    if crs.is_bound:
        crs = crs.source_crs
    if not crs.is_projected or crs.coordinate_operation is None:
        return None
    op = crs.coordinate_operation
    if "transverse mercator" not in op.method_name.lower():
        return None
    out = {}
    for param in op.params:
        name = param.name.lower()
        if "longitude of natural origin" in name:
            out["lon_0"] = param.value
        elif "latitude of natural origin" in name:
            out["lat_0"] = param.value
        elif "scale factor" in name:
            out["k_0"] = param.value
        elif "false easting" in name:
            out["x_0"] = param.value
        elif "false northing" in name:
            out["y_0"] = param.value
    return out if len(out) == 5 else None


def towgs84_string(params: Sequence[float] = VN2000_TOWGS84) -> str:
    """``+towgs84=...`` with the given seven position-vector parameters."""
    return "+towgs84=" + ",".join(repr(float(v)) for v in params)


def grid_proj4(profile: Profile | None = None, towgs84: Sequence[float] = VN2000_TOWGS84) -> str:
    """The grid as a PROJ.4 string carrying the datum shift (for spatial_ref_sys, QGIS user CRS)."""
    grid = grid_definition(profile)
    _require_towgs84_matches(grid)
    return _grid_proj4(grid, towgs84)


def _require_towgs84_matches(grid: GridDefinition) -> None:
    if grid.datum_transformation_epsg != VN2000_TOWGS84_EPSG:
        raise ProfileError(
            f"[crs] datum_transformation_epsg={grid.datum_transformation_epsg}: no +towgs84 "
            f"constant is defined for it (only EPSG:{VN2000_TOWGS84_EPSG})"
        )


def grid_crs_definition(profile: Profile | None = None) -> tuple[int, str, str]:
    """(srid, WKT, proj4 with +towgs84) of the grid, for GeoPackage/PostGIS spatial_ref_sys.

    The WKT is OGC WKT1 (what GeoPackage's ``definition`` and PostGIS's ``srtext`` expect),
    identified by its EPSG authority; the proj4 text carries the datum shift explicitly.
    """
    grid = grid_definition(profile)
    wkt = CRS.from_epsg(grid.epsg).to_wkt("WKT1_GDAL")
    return grid.epsg, wkt, grid_proj4(profile)


def grid_crs(profile: Profile | None = None) -> CRS:
    return CRS.from_epsg(grid_definition(profile).epsg)


@lru_cache(maxsize=16)
def _selected_operation(src_epsg: int, dst_epsg: int, operation_epsg: int) -> tuple[str, str]:
    """(normalised PROJ pipeline, description) of the operation through ``operation_epsg``."""
    group = TransformerGroup(
        CRS.from_epsg(src_epsg), CRS.from_epsg(dst_epsg), always_xy=True
    )
    for transformer in group.transformers:
        if operation_epsg in _operation_codes(transformer):
            return transformer.definition, transformer.description
    raise WrongCrsError(
        f"PROJ offers no operation EPSG:{src_epsg} -> EPSG:{dst_epsg} through EPSG:{operation_epsg}"
        f" (found: {[t.description for t in group.transformers]}); update proj-data"
    )


@lru_cache(maxsize=16)
def _pipeline(definition: str) -> Transformer:
    # A Transformer made from a pipeline is safe to share between threads (QGIS runs
    # Processing algorithms in worker threads); TransformerGroup's members are not.
    return Transformer.from_pipeline(definition)


def _operation_codes(transformer: Transformer) -> set[int]:
    codes = set()
    for op in transformer.operations or ():
        ident = op.to_json_dict().get("id") or {}
        if ident.get("authority") in ("EPSG", "INVERSE(EPSG)") and "code" in ident:
            codes.add(int(ident["code"]))
    return codes


def _grid_operation(profile: Profile | None, inverse: bool) -> tuple[str, str]:
    grid = grid_definition(profile)
    ends = (grid.epsg, WGS84_EPSG) if inverse else (WGS84_EPSG, grid.epsg)
    return _selected_operation(*ends, grid.datum_transformation_epsg)


def grid_transformer(profile: Profile | None = None, inverse: bool = False) -> Transformer:
    """WGS 84 (lon, lat) -> grid (E, N) through the profile's datum transformation, or back."""
    return _pipeline(_grid_operation(profile, inverse)[0])


def transformation_description(profile: Profile | None = None) -> str:
    """PROJ's name of the WGS 84 -> grid operation, e.g. ``... Inverse of VN-2000 to WGS 84
    (2) + Vietnam TM-3 105-30``."""
    return _grid_operation(profile, False)[1]


def datum_transformation_name(profile: Profile | None = None) -> str:
    """Name of the profile's datum transformation in the EPSG database, e.g.
    ``"VN-2000 to WGS 84 (2)"`` for EPSG:6960 (QGIS lists operations by such names)."""
    grid = grid_definition(profile)
    return CoordinateOperation.from_epsg(grid.datum_transformation_epsg).name


def to_grid(lon, lat, profile: Profile | None = None):
    """WGS 84 longitude/latitude (scalars or arrays) -> grid easting, northing in metres."""
    return _apply(grid_transformer(profile), lon, lat)


def to_wgs84(easting, northing, profile: Profile | None = None):
    """Grid easting/northing (scalars or arrays) -> WGS 84 longitude, latitude in degrees."""
    return _apply(grid_transformer(profile, inverse=True), easting, northing)


def _apply(transformer: Transformer, x, y):
    scalar = np.ndim(x) == 0 and np.ndim(y) == 0
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    ox, oy = transformer.transform(xs, ys, errcheck=False)
    if scalar:
        return float(ox), float(oy)
    return np.asarray(ox, dtype=float), np.asarray(oy, dtype=float)


# --- recognising data in the wrong CRS ---------------------------------------------------


@dataclass(frozen=True)
class CrsCandidate:
    """A CRS that provincial data often arrives in."""

    key: str
    label: str
    crs: CRS


def candidate_crs(profile: Profile | None = None) -> list[CrsCandidate]:
    """The provincial grid, its usual mistakes, and every VN-2000 / WGS 84 grid over Vietnam."""
    return list(_candidates(grid_definition(profile)))


@lru_cache(maxsize=4)
def _candidates(grid: GridDefinition) -> tuple[CrsCandidate, ...]:
    out = [
        CrsCandidate("grid", f"EPSG:{grid.epsg} {grid.name}", CRS.from_epsg(grid.epsg)),
        CrsCandidate(
            "grid_without_datum_shift",
            f"{grid.name} without the datum shift to WGS 84 "
            f"(EPSG:{grid.datum_transformation_epsg})",
            CRS.from_proj4(_grid_proj4_variant(grid, NO_DATUM_SHIFT)),
        ),
    ]
    seen = {grid.epsg}
    for info in _vn2000_projected():
        if int(info.code) not in seen:
            seen.add(int(info.code))
            out.append(CrsCandidate(f"EPSG:{info.code}", f"EPSG:{info.code} {info.name}",
                                    CRS.from_epsg(info.code)))
    for code in (*WGS84_UTM_VIETNAM, WGS84_EPSG, grid.geographic_epsg):
        crs = CRS.from_epsg(code)
        out.append(CrsCandidate(f"EPSG:{code}", f"EPSG:{code} {crs.name}", crs))
    return tuple(out)


def unplaceable(crs: CRS) -> str | None:
    """Why coordinates in ``crs`` cannot be placed on the earth (no transformation to WGS 84:
    an engineering or local CRS, e.g. a ``LOCAL_CS`` of an "assumed" survey grid, or a datum
    shift whose grid file PROJ lacks), or None when they can."""
    from pyproj.exceptions import CRSError, ProjError

    if crs.type_name == "Engineering CRS":
        return "an engineering (local) CRS, not tied to the earth"
    try:
        _to_wgs84(crs)
    except (ProjError, CRSError) as exc:
        why = str(exc).split("(Internal Proj Error: ", 1)[-1]
        why = why[:-1] if why.count(")") > why.count("(") else why
        return f"PROJ has no transformation of it to WGS 84 ({why[:120]})"
    return None


@lru_cache(maxsize=64)
def _to_wgs84(crs: CRS) -> Transformer:
    return Transformer.from_crs(crs, WGS84_EPSG, always_xy=True)


def _grid_proj4(grid: GridDefinition, towgs84: Sequence[float]) -> str:
    return (
        f"+proj=tmerc +lat_0=0 +lon_0={grid.central_meridian!r} +k={grid.scale_factor!r} "
        f"+x_0={grid.false_easting!r} +y_0=0 +ellps=WGS84 {towgs84_string(towgs84)} "
        "+units=m +no_defs"
    )


def _grid_proj4_variant(grid: GridDefinition, towgs84: Sequence[float]) -> str:
    """The grid with some other (or no) datum shift, as a pyproj CRS definition."""
    return _grid_proj4(grid, towgs84) + " +type=crs"


@lru_cache(maxsize=1)
def _vn2000_projected():
    from pyproj.database import query_crs_info

    infos = query_crs_info(auth_name="EPSG", pj_types=PJType.PROJECTED_CRS)
    return tuple(sorted((i for i in infos if i.name.startswith("VN-2000 /")),
                        key=lambda i: int(i.code)))


#: Datum names of VN-2000 as EPSG, ESRI (``D_Vietnam_2000``) and exports spell them.
_VN2000_NAMES = ("vietnam2000", "vn2000")
#: How close (m) a ``+towgs84`` translation must be to VN-2000's to be VN-2000.
_VN2000_SHIFT_TOLERANCE_M = 1.0


def on_vn2000_datum(crs: CRS | None) -> bool:
    """Whether ``crs`` is on the VN-2000 datum, by its datum (EPSG's "Vietnam 2000", ESRI's
    "D_Vietnam_2000", a "VN-2000"/"VN2000" name) or by its parameters: a PROJ string's
    ``+towgs84`` with VN-2000's translations (either rotation sign convention), whatever the
    CRS is called."""
    if crs is None:
        return False
    names = [crs.name] + ([crs.datum.name] if crs.datum is not None else [])
    if any(key in "".join(ch for ch in name.lower() if ch.isalnum())
           for name in names for key in _VN2000_NAMES):
        return True
    if not crs.is_bound or crs.coordinate_operation is None:
        return False
    shift = {p.name.lower(): p.value for p in crs.coordinate_operation.params}
    try:
        xyz = [shift[f"{axis}-axis translation"] for axis in "xyz"]
    except KeyError:
        return False
    return bool(np.allclose(xyz, VN2000_TOWGS84[:3], atol=_VN2000_SHIFT_TOLERANCE_M))


#: The scale factor of VN-2000's TM-3 zones (UTM zones, also VN-2000's, use 0.9996).
_TM3_SCALE = 0.9999


@lru_cache(maxsize=1)
def _vn2000_tm3_meridians() -> frozenset:
    """The central meridians (degrees) of EPSG's VN-2000 TM-3 grids."""
    out = set()
    for info in _vn2000_projected():
        params = _epsg_tmerc_params(int(info.code))
        if params is not None and abs(dict(params)["k_0"] - _TM3_SCALE) < 1e-12:
            out.add(round(dict(params)["lon_0"], 6))
    return frozenset(out)


def vn2000_substitute(crs: CRS | None) -> bool:
    """Whether ``crs`` is a VN-2000 TM-3 grid written without VN-2000: a Transverse Mercator
    at a VN-2000 TM-3 meridian with scale 0.9999 and false easting 500 km, on the WGS 84
    ellipsoid and without any datum shift (a PROJ string without ``+towgs84``, an ArcGIS
    ``.prj`` on ``GCS_WGS_1984``): what exports put in place of VN-2000. No WGS 84 grid uses
    that scale, so such data is VN-2000 data (as the grid without its datum shift is)."""
    if crs is None or on_vn2000_datum(crs):
        return False
    params = _tmerc_params(crs)
    if params is None or round(params["lon_0"], 6) not in _vn2000_tm3_meridians():
        return False
    if (abs(params["k_0"] - _TM3_SCALE) > 1e-12 or abs(params["x_0"] - 500000.0) > 1e-6
            or abs(params["lat_0"]) > 1e-12 or abs(params["y_0"]) > 1e-6):
        return False
    ellipsoid = crs.ellipsoid
    if ellipsoid is None or abs(ellipsoid.semi_major_metre - 6378137.0) > 1e-3 or abs(
            ellipsoid.inverse_flattening - 298.257223563) > 1e-6:
        return False
    if crs.is_bound and crs.coordinate_operation is not None:
        return all(abs(p.value) < 1e-9 for p in crs.coordinate_operation.params)
    return True


def vn2000_tm3_zone(crs: CRS | None) -> str | None:
    """``EPSG:NNNN``, EPSG's VN-2000 TM-3 grid at the central meridian of ``crs`` (the lowest
    code when several), or None."""
    params = _tmerc_params(crs) if crs is not None else None
    if params is None:
        return None
    for info in _vn2000_projected():
        zone = _epsg_tmerc_params(int(info.code))
        if zone is not None and abs(dict(zone)["k_0"] - _TM3_SCALE) < 1e-12 and abs(
                dict(zone)["lon_0"] - params["lon_0"]) < 1e-9:
            return f"EPSG:{info.code}"
    return None


def crs_label(crs) -> str:
    """The CRS's name, or for an unnamed one (a PROJ string) its projection and parameters;
    ``not declared`` for None."""
    if crs is None:
        return "not declared"
    if crs.name and crs.name.lower() not in ("unknown", "unnamed"):
        return crs.name
    base = crs.source_crs if crs.is_bound else crs
    operation = base.coordinate_operation
    datum = crs.datum.name if crs.datum is not None else ""
    if operation is None:
        known = datum and not datum.lower().startswith(("unknown", "unnamed"))
        return f"an unnamed CRS on the {datum} datum" if known else "an unnamed CRS"
    params = ", ".join(f"{p.name.lower()} {p.value:g}" for p in operation.params
                       if p.name.lower().startswith(("longitude of natural", "scale factor")))
    datum = " on the VN-2000 datum" if on_vn2000_datum(crs) else ""
    return f"an unnamed {operation.method_name} CRS{datum} ({params})"


def classify_crs(crs_like, profile: Profile | None = None) -> str:
    """Name what a declared CRS is relative to the grid.

    Returns ``"grid"`` (EPSG code or an equivalent definition with the right datum shift),
    ``"grid_without_datum_shift"``, ``"grid_flipped_rotations"`` (``+towgs84`` with
    EPSG:6960's coordinate-frame signs), ``"other"`` (any other valid CRS).
    """
    grid = grid_definition(profile)
    crs = CRS.from_user_input(crs_like)
    if crs.to_epsg(min_confidence=90) == grid.epsg:
        return "grid"
    params = _tmerc_params(crs)
    if params is None or not crs.is_projected:
        return "other"
    same_projection = (
        abs(params["lon_0"] - grid.central_meridian) < 1e-9
        and abs(params["k_0"] - grid.scale_factor) < 1e-12
        and abs(params["x_0"] - grid.false_easting) < 1e-6
        and abs(params["lat_0"]) < 1e-12
        and abs(params["y_0"]) < 1e-6
    )
    if not same_projection:
        return "other"
    # Same projection: decide by what a known point does through this CRS.
    lon, lat = _probe_point(grid)
    ref = np.array(to_grid(lon, lat, profile))
    got = np.array(Transformer.from_crs(WGS84_EPSG, crs, always_xy=True).transform(lon, lat))
    miss = float(np.hypot(*(got - ref)))
    if miss <= 0.01:
        return "grid"
    for key, params7 in (("grid_without_datum_shift", NO_DATUM_SHIFT),
                         ("grid_flipped_rotations", VN2000_TOWGS84_WRONG_SIGN)):
        variant = CRS.from_proj4(_grid_proj4_variant(grid, params7))
        alt = np.array(Transformer.from_crs(WGS84_EPSG, variant, always_xy=True)
                       .transform(lon, lat))
        if float(np.hypot(*(got - alt))) <= 0.01:
            return key
    return "other"


def _probe_point(grid: GridDefinition) -> tuple[float, float]:
    if grid.province_bbox_wgs84:
        w, s, e, n = grid.province_bbox_wgs84
        return (w + e) / 2, (s + n) / 2
    area = CRS.from_epsg(grid.epsg).area_of_use
    return (area.west + area.east) / 2, (area.south + area.north) / 2


@dataclass(frozen=True)
class CrsCheck:
    """Outcome of :func:`check_coordinates`."""

    declared: str            # classify_crs() of the declared CRS, or "undeclared"
    fits: tuple[str, ...]    # labels of the candidate CRSs that put the data in the province
    inside_fraction: float   # fraction of points inside the province with the CRS used
    message: str


def _inside_fraction(crs: CRS, xs: np.ndarray, ys: np.ndarray, bbox, margin_deg: float,
                     area=None) -> float:
    lon, lat = _to_wgs84(crs).transform(xs, ys, errcheck=False)
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    w, s, e, n = area.bounds if area is not None else bbox
    ok = (np.isfinite(lon) & np.isfinite(lat) & (lon >= w - margin_deg) & (lon <= e + margin_deg)
          & (lat >= s - margin_deg) & (lat <= n + margin_deg))
    if area is not None and ok.any():
        from shapely.geometry import Point
        from shapely.prepared import prep

        zone = prep(area.buffer(margin_deg))
        idx = np.flatnonzero(ok)
        ok[idx] = [zone.contains(Point(lon[i], lat[i])) for i in idx]
    return float(ok.mean()) if ok.size else 0.0


def fitting_crs(xs: Iterable[float], ys: Iterable[float], profile: Profile | None = None,
                area=None) -> list[CrsCandidate]:
    """The candidate CRSs (:func:`candidate_crs`) in which the coordinates lie in the
    province, as :func:`check_coordinates` tells it."""
    x = np.asarray(list(xs), dtype=float)
    y = np.asarray(list(ys), dtype=float)
    return _fitting(x, y, profile, 0.05, 0.95, area)[0] if x.size else []


def _fitting(x, y, profile, margin_deg: float, min_fraction: float, area) -> tuple:
    """(the candidates that fit, each candidate's fraction of points in the province)."""
    bbox = grid_definition(profile).province_bbox_wgs84
    fits, fractions = [], {}
    for cand in candidate_crs(profile):
        frac = _inside_fraction(cand.crs, x, y, bbox, margin_deg, area)
        fractions[cand.key] = frac
        if frac >= min_fraction:
            fits.append(cand)
    return fits, fractions


def check_coordinates(
    xs: Iterable[float],
    ys: Iterable[float],
    declared=None,
    profile: Profile | None = None,
    source: str = "input",
    margin_deg: float = 0.05,
    min_fraction: float = 0.95,
    area=None,
) -> CrsCheck:
    """Check that coordinates declared in ``declared`` (None: undeclared) lie in the province.

    Raises :class:`WrongCrsError` naming the probable CRS when the declared CRS is a known
    mistake (the grid without its datum shift, or with flipped rotation signs) or puts the
    data outside the province while another candidate CRS puts it inside. Undeclared data is
    accepted as the provincial grid only if the grid fits.

    "In the province" means inside the profile's ``province_bbox_wgs84``, or inside ``area``
    (a shapely (multi)polygon in WGS 84 lon/lat, e.g. the province boundary) if given, both
    widened by ``margin_deg``; at least ``min_fraction`` of the points must be inside.
    """
    grid = grid_definition(profile)
    if not grid.province_bbox_wgs84 and area is None:
        raise ProfileError("[crs] province_bbox_wgs84 is needed to check coordinates")
    x = np.asarray(list(xs), dtype=float)
    y = np.asarray(list(ys), dtype=float)
    if x.size == 0:
        raise WrongCrsError(f"{source}: no coordinates to check")
    bbox = grid.province_bbox_wgs84
    fits, fractions = _fitting(x, y, profile, margin_deg, min_fraction, area)
    fit_labels = tuple(c.label for c in fits)
    probable = ", ".join(fit_labels) or "none of the known VN-2000/WGS 84 grids"

    if declared is None:
        if any(c.key == "grid" for c in fits):
            return CrsCheck("undeclared", fit_labels, fractions["grid"],
                            f"{source}: no CRS declared; coordinates fit {grid.name}")
        raise WrongCrsError(
            f"{source}: no CRS declared and the coordinates do not lie in the province in "
            f"EPSG:{grid.epsg} {grid.name}; probable CRS: {probable}"
        )
    kind = classify_crs(declared, profile)
    declared_crs = CRS.from_user_input(declared)
    if kind == "grid_without_datum_shift":
        raise WrongCrsError(
            f"{source}: declared CRS is {grid.name} WITHOUT the datum shift to WGS 84 "
            f"(EPSG:{grid.datum_transformation_epsg}); positions would be ~220 m off. "
            f"Re-export the data declared as EPSG:{grid.epsg}"
        )
    if kind == "grid_flipped_rotations":
        raise WrongCrsError(
            f"{source}: declared CRS has +towgs84 rotations in the coordinate-frame sign "
            f"convention (EPSG:{grid.datum_transformation_epsg} values copied as-is); positions "
            f"would be ~0.7 m off. Use EPSG:{grid.epsg} or {towgs84_string()}"
        )
    frac = _inside_fraction(declared_crs, x, y, bbox, margin_deg, area)
    if frac >= min_fraction:
        return CrsCheck(kind, fit_labels, frac,
                        f"{source}: coordinates in {crs_label(declared_crs)} lie in the "
                        "province")
    raise WrongCrsError(
        f"{source}: only {frac:.0%} of the coordinates declared in {crs_label(declared_crs)} "
        f"lie in the province; probable CRS: {probable}"
    )


@dataclass(frozen=True)
class OffsetDiagnosis:
    """Median shift of grid coordinates against WGS 84 control points, and what it means."""

    shift_e: float
    shift_n: float
    distance: float
    probable: str
    message: str


def diagnose_offset(
    easting, northing, lon, lat, profile: Profile | None = None, tolerance: float = 0.05
) -> OffsetDiagnosis:
    """Compare grid coordinates with the same points surveyed in WGS 84 (GNSS control).

    Recognises a correct transformation (shift <= ``tolerance``), a missing datum shift
    (~220 m) and flipped ``+towgs84`` rotations (~0.7 m) by the shift vector they leave.
    """
    grid = grid_definition(profile)
    e = np.asarray(easting, dtype=float)
    n = np.asarray(northing, dtype=float)
    ref_e, ref_n = to_grid(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float), profile)
    de = float(np.median(e - ref_e))
    dn = float(np.median(n - ref_n))
    dist = float(np.hypot(de, dn))
    if dist <= tolerance:
        return OffsetDiagnosis(de, dn, dist, "grid",
                               f"matches EPSG:{grid.epsg} within {dist:.3f} m")
    lon0 = float(np.median(np.asarray(lon, dtype=float)))
    lat0 = float(np.median(np.asarray(lat, dtype=float)))
    base = np.array(to_grid(lon0, lat0, profile))
    for key, label, params7 in (
        ("grid_without_datum_shift", "the grid without the datum shift (~220 m)",
         NO_DATUM_SHIFT),
        ("grid_flipped_rotations", "+towgs84 with flipped rotation signs (~0.7 m)",
         VN2000_TOWGS84_WRONG_SIGN),
    ):
        variant = CRS.from_proj4(_grid_proj4_variant(grid, params7))
        alt = np.array(Transformer.from_crs(WGS84_EPSG, variant, always_xy=True)
                       .transform(lon0, lat0))
        expected = alt - base
        if float(np.hypot(de - expected[0], dn - expected[1])) <= max(tolerance,
                                                                     0.1 * dist):
            return OffsetDiagnosis(de, dn, dist, key,
                                   f"shift {dist:.2f} m (E {de:+.2f}, N {dn:+.2f}) "
                                   f"matches {label}")
    return OffsetDiagnosis(de, dn, dist, "unknown",
                           f"shift {dist:.2f} m (E {de:+.2f}, N {dn:+.2f}) matches no known "
                           "CRS mistake")
