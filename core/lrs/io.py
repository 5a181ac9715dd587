"""Read routes, posts, points and event tables from files (GeoJSON, GPKG, SHP, CSV).

Geometry is brought into the provincial grid on reading: WGS 84 through the profile's
datum transformation (:mod:`..crs`), other VN-2000 grids by a plain conversion, and
coordinates that do not fit the province in their declared CRS are refused with the
probable CRS named (:func:`..crs.check_coordinates`).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS, Transformer
from shapely.ops import transform as shapely_transform

from .. import crs as gridcrs
from ..chainage import parse_chainage
from ..errors import RoadInfraError
from ..io.errors import FileError
from ..io.geodata import read_geodata
from ..io.tabular import read_table as read_text_table
from ..profile import Profile
from .calibrate import Post
from .issues import Issue


class InputError(RoadInfraError):
    """A file or field that cannot be read as routes, posts, points or events."""


def coordinates_of(geom) -> list:
    """All vertex coordinates of a geometry (exterior rings for polygons)."""
    if geom is None or geom.is_empty:
        return []
    if hasattr(geom, "geoms"):
        return [c for g in geom.geoms for c in coordinates_of(g)]
    if geom.geom_type == "Polygon":
        return list(geom.exterior.coords)
    return list(geom.coords)


def read_layer(path, profile: Profile | None = None) -> gpd.GeoDataFrame:
    """A vector file as a GeoDataFrame in the provincial grid (CRS checked, see module doc)."""
    try:
        frame = read_geodata(path, "vector layer")
    except FileError as exc:
        raise InputError(str(exc)) from None
    return frame_to_grid(frame, str(path), profile)


def frame_to_grid(frame: gpd.GeoDataFrame, source: str,
                  profile: Profile | None = None) -> gpd.GeoDataFrame:
    grid = gridcrs.grid_definition(profile)
    coords = np.array([c[:2] for g in frame.geometry for c in coordinates_of(g)], dtype=float)
    if coords.size == 0:
        raise InputError(f"{source}: no geometry")
    sample = coords[:: max(1, len(coords) // 5000)]
    declared = frame.crs
    gridcrs.check_coordinates(sample[:, 0], sample[:, 1], declared, profile, source)
    if declared is None or gridcrs.classify_crs(declared, profile) == "grid":
        return frame.set_crs(grid.epsg, allow_override=True)
    declared = CRS.from_user_input(declared)
    if declared.geodetic_crs.datum.name == CRS.from_epsg(grid.epsg).geodetic_crs.datum.name:
        step = Transformer.from_crs(declared, grid.epsg, always_xy=True).transform
    else:
        to_wgs = Transformer.from_crs(declared, gridcrs.WGS84_EPSG, always_xy=True)
        to_grid = gridcrs.grid_transformer(profile)  # once, not per geometry

        def step(x, y, z=None):
            return to_grid.transform(*to_wgs.transform(x, y))

    out = frame.copy()
    out["geometry"] = [None if g is None else shapely_transform(step, g) for g in frame.geometry]
    return gpd.GeoDataFrame(out, geometry="geometry", crs=grid.epsg)


def _field(frame, name: str | None, source: str, what: str):
    if name is None:
        return None
    if name not in frame.columns:
        raise InputError(f"{source}: no field {name!r} for the {what} (fields: "
                         f"{[c for c in frame.columns if c != 'geometry']})")
    return frame[name]


def routes_from_frame(frame: gpd.GeoDataFrame, route_field: str | None, source: str,
                      default_code: str = "route") -> dict:
    """route code -> (geometries, part names); one route ``default_code`` without a field."""
    codes = _field(frame, route_field, source, "route code")
    names = [f"feature {i + 1}" for i in range(len(frame))]
    out: dict = {}
    for i, geom in enumerate(frame.geometry):
        if geom is not None and not geom.is_empty and \
                geom.geom_type not in ("LineString", "MultiLineString"):
            raise InputError(f"{source} feature {i + 1}: a {geom.geom_type}, not a route line")
        code = default_code if codes is None else _code(codes.iloc[i])
        if code is None:
            raise InputError(f"{source} feature {i + 1} field {route_field}: empty route code")
        geoms, labels = out.setdefault(code, ([], []))
        geoms.append(geom)
        labels.append(names[i])
    return out


def route_key(value) -> str | None:
    """A route key as text, None for NULL/NaN/blank (see :func:`_code`)."""
    return _code(value)


def _code(value) -> str | None:
    """A route code as text; None for NULL/NaN/blank (never the text "None" or "nan").
    A whole float is written as an integer (10.0 -> "10"), as an integer field gives it."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def posts_from_frame(frame: gpd.GeoDataFrame, label_field: str, measure_field: str | None,
                     route_field: str | None, source: str,
                     default_code: str = "route") -> tuple[dict, list[Issue]]:
    """route code -> [Post], and an issue for each post that cannot be used.

    The measure comes from ``measure_field`` (metres or a chainage) or, without it, from
    the label (``Km12`` -> 12000, ``Km12+350`` -> 12350). A post without a point, a
    (readable) measure or a route key is a ``bad_post``, ``null_measure`` or ``null_route``
    error naming its row; the other posts are read, so one bad post does not stop the
    province.
    """
    labels = _field(frame, label_field, source, "post label")
    measures = _field(frame, measure_field, source, "post measure")
    codes = _field(frame, route_field, source, "route code")
    out: dict = {}
    issues: list[Issue] = []
    for i, geom in enumerate(frame.geometry):
        row = i + 1
        label = _code(labels.iloc[i]) or f"row {row}"
        field = measure_field or label_field
        where = f"{source} feature {row} field {field}"
        raw = measures.iloc[i] if measures is not None else labels.iloc[i]
        point = geom is not None and not geom.is_empty and geom.geom_type == "Point"
        x, y = (geom.x, geom.y) if point else (None, None)
        code = default_code if codes is None else _code(codes.iloc[i])
        if not point:
            issues.append(Issue("bad_post", label, 0.0, f"{source} feature {row}: post "
                                f"{label} is not a point", code or "", row))
            continue
        if code is None:
            issues.append(Issue("null_route", label, 0.0,
                                f"{source} feature {row} field {route_field}: post {label} has "
                                "no route", "", row, x, y))
            continue
        if _code(raw) is None:
            issues.append(Issue("null_measure", label, 0.0,
                                f"{where}: post {label} has no measure", code, row, x, y))
            continue
        try:
            measure = post_measure(raw, where)
        except RoadInfraError as exc:
            issues.append(Issue("null_measure", label, 0.0, str(exc), code, row, x, y))
            continue
        out.setdefault(code, []).append(Post(label, measure, x, y, row))
    return out, issues


def route_starts(frame: gpd.GeoDataFrame, route_field: str | None, start_field: str | None,
                 source: str, default_code: str = "route") -> dict[str, float]:
    """route code -> start measure (the smallest over its features) from ``start_field``;
    features without a value are skipped."""
    if start_field is None:
        return {}
    starts = _field(frame, start_field, source, "start measure")
    codes = _field(frame, route_field, source, "route code")
    out: dict[str, float] = {}
    for i in range(len(frame)):
        code = default_code if codes is None else _code(codes.iloc[i])
        raw = starts.iloc[i]
        if code is None or _code(raw) is None:
            continue
        value = post_measure(raw, f"{source} feature {i + 1} field {start_field}")
        out[code] = min(value, out.get(code, value))
    return out


def route_aliases(frame: pd.DataFrame, route_field: str | None,
                  default_code: str = "route") -> dict[str, dict[str, str]]:
    """For each other field of a routes layer whose values name one route each (an id, a
    number): field -> {value as text: route code}. Posts, points and events that name routes
    by such a field are matched through it (see :mod:`.network`)."""
    codes = [default_code if route_field is None else _code(v)
             for v in (frame[route_field] if route_field else [None] * len(frame))]
    out: dict[str, dict[str, str]] = {}
    for column in frame.columns:
        if column in ("geometry", route_field):
            continue
        mapping: dict[str, str] = {}
        for value, code in zip(frame[column], codes):
            key = _code(value)
            if key is None or code is None or mapping.setdefault(key, code) != code:
                mapping = {}
                break
        if mapping:
            out[str(column)] = mapping
    return out


def post_measure(value, where: str) -> float:
    """A post's measure from a number, a chainage ``Km12+350`` or a post label ``Km12``
    (:func:`~roadinfra.core.chainage.parse_chainage`'s one rule)."""
    return parse_chainage(_number_or_text(value), where)


def parse_measure_columns(frame: pd.DataFrame, columns, source: str,
                          first_row: int = 1) -> pd.DataFrame:
    """Turn measure columns holding metres or chainages (``Km12+350``) into floats."""
    out = frame.copy()
    for col in columns:
        if col not in out.columns:
            raise InputError(f"{source}: no field {col!r} (fields: {list(out.columns)})")
        out[col] = [
            parse_chainage(_number_or_text(v), f"{source} row {i + first_row} field {col}")
            for i, v in enumerate(out[col])
        ]
    return out


def _number_or_text(value):
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return value
    return value


def read_table(path) -> tuple[pd.DataFrame, int]:
    """An event table (CSV or any vector file's attributes) and its first record's line."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".csv", ".txt"):
            table = read_text_table(path, what="event table")
            return table.frame(), 2
        frame = read_geodata(path, "event table")
    except FileError as exc:
        raise InputError(str(exc)) from None
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore")), 1
