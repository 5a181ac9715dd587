"""``roadinfra crs``: WGS 84 <-> provincial grid (VN-2000 / TM-3) and CRS checks of files."""

from __future__ import annotations

import argparse
import json
import math

from ..errors import RoadInfraError
from ..profile import load_profile
from .argtypes import finite_float, input_file


def register(subparsers) -> None:
    parser = subparsers.add_parser("crs", help="provincial grid: transform points, check files")
    sub = parser.add_subparsers(dest="crs_command", metavar="ACTION", required=True)

    to_grid = sub.add_parser("to-grid", help="WGS 84 LON LAT -> grid EASTING NORTHING (m)")
    to_grid.add_argument("lon", type=finite_float, help="longitude, degrees east (WGS 84)")
    to_grid.add_argument("lat", type=finite_float, help="latitude, degrees north (WGS 84)")
    _common(to_grid)
    to_grid.set_defaults(func=run_to_grid)

    to_wgs = sub.add_parser("to-wgs84", help="grid EASTING NORTHING -> WGS 84 LON LAT")
    to_wgs.add_argument("easting", type=finite_float)
    to_wgs.add_argument("northing", type=finite_float)
    _common(to_wgs)
    to_wgs.set_defaults(func=run_to_wgs84)

    check = sub.add_parser("check", help="check that a file's coordinates fit its declared CRS "
                           "and the province; names the probable CRS if not")
    check.add_argument("file", type=input_file, help="vector file (GeoJSON, GPKG, SHP ...)")
    check.add_argument("--area", type=input_file, help="province boundary polygon file to "
                       "check against (default: the profile's bounding box)")
    _common(check)
    check.set_defaults(func=run_check)

    info = sub.add_parser("definition", help="grid CRS definition (WKT and PROJ with +towgs84)")
    _common(info)
    info.set_defaults(func=run_definition)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", default=None, help="jurisdiction profile (default thai_binh)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _finite(values: dict, what: str) -> None:
    """Refuse NaN/infinite arguments or results (PROJ returns inf instead of raising)."""
    bad = {name: value for name, value in values.items() if not math.isfinite(value)}
    if bad:
        raise RoadInfraError(f"{what}: {', '.join(f'{k} {v!r}' for k, v in bad.items())} "
                             "(not a finite number)")


def run_to_grid(args: argparse.Namespace) -> int:
    from ..crs import grid_definition, to_grid

    _finite({"lon": args.lon, "lat": args.lat}, "arguments")
    if not (-180.0 <= args.lon <= 180.0 and -90.0 <= args.lat <= 90.0):
        raise RoadInfraError(f"arguments: lon {args.lon!r} must be in -180..180 and lat "
                             f"{args.lat!r} in -90..90 (degrees, WGS 84; lon first)")
    profile = load_profile(args.profile)
    easting, northing = to_grid(args.lon, args.lat, profile)
    _finite({"easting": easting, "northing": northing},
            f"lon {args.lon!r} lat {args.lat!r} gives no grid position")
    epsg = grid_definition(profile).epsg
    if args.json:
        print(json.dumps({"lon": args.lon, "lat": args.lat, "easting": round(easting, 4),
                          "northing": round(northing, 4), "epsg": epsg}))
    else:
        print(f"{easting:.3f} {northing:.3f}")
    return 0


def run_to_wgs84(args: argparse.Namespace) -> int:
    from ..crs import to_wgs84

    _finite({"easting": args.easting, "northing": args.northing}, "arguments")
    profile = load_profile(args.profile)
    lon, lat = to_wgs84(args.easting, args.northing, profile)
    _finite({"lon": lon, "lat": lat},
            f"easting {args.easting!r} northing {args.northing!r} gives no position")
    if args.json:
        print(json.dumps({"easting": args.easting, "northing": args.northing,
                          "lon": round(lon, 9), "lat": round(lat, 9), "epsg": 4326}))
    else:
        print(f"{lon:.9f} {lat:.9f}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    import numpy as np

    from ..crs import check_coordinates, classify_crs
    from ..io.geodata import read_geodata
    from ..lrs.io import coordinates_of

    profile = load_profile(args.profile)
    frame = read_geodata(args.file)
    coords = np.array([c[:2] for g in frame.geometry for c in coordinates_of(g)], dtype=float)
    if coords.size == 0:
        raise RoadInfraError(f"{args.file}: no geometry")
    area = None
    if args.area:
        boundary = read_geodata(args.area, "boundary file")
        if boundary.crs is None:
            raise RoadInfraError(f"{args.area}: the boundary file declares no CRS")
        area = boundary.to_crs(4326).unary_union
    result = check_coordinates(coords[:, 0], coords[:, 1], frame.crs, profile, args.file,
                               area=area)
    declared = frame.crs.to_string() if frame.crs is not None else None
    if args.json:
        print(json.dumps({"file": str(args.file), "declared": declared,
                          "kind": classify_crs(frame.crs, profile) if frame.crs else "undeclared",
                          "inside_fraction": result.inside_fraction,
                          "fits": list(result.fits), "message": result.message},
                         ensure_ascii=False))
    else:
        print(result.message)
    return 0


def run_definition(args: argparse.Namespace) -> int:
    from ..crs import grid_crs_definition, transformation_description

    profile = load_profile(args.profile)
    epsg, wkt, proj4 = grid_crs_definition(profile)
    if args.json:
        print(json.dumps({"epsg": epsg, "wkt": wkt, "proj4": proj4,
                          "operation": transformation_description(profile)}))
    else:
        print(f"EPSG:{epsg}\n{proj4}\n{transformation_description(profile)}\n{wkt}")
    return 0
