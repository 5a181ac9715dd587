"""``roadinfra lrs``: calibrate routes on kilometre posts, locate points, events, overlay."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import RoadInfraError
from ..profile import load_profile
from .argtypes import non_negative_float


def register(subparsers) -> None:
    parser = subparsers.add_parser("lrs", help="linear referencing: calibrate, locate, events, "
                                   "segment overlay")
    sub = parser.add_subparsers(dest="lrs_command", metavar="ACTION", required=True)

    cal = sub.add_parser("calibrate", help="calibrate routes on kilometre posts; list issues")
    _routes_args(cal, posts_required=True)
    cal.add_argument("--strict", action="store_true", help="exit 2 if any calibration error")
    _output_args(cal, "issues (GeoJSON/GPKG with points, or CSV)")
    cal.set_defaults(func=run_calibrate)

    loc = sub.add_parser("locate", help="points -> route, chainage, offset (left +, right -)")
    _routes_args(loc, posts_required=False)
    loc.add_argument("points", help="point layer to locate")
    loc.add_argument("--max-offset", type=non_negative_float, default=None,
                     help="ignore routes further than this (m)")
    _output_args(loc, "located points (GeoJSON/GPKG/CSV)")
    loc.set_defaults(func=run_locate)

    ev = sub.add_parser("events", help="event table (route, from, to) -> lines on the routes")
    _routes_args(ev, posts_required=False)
    ev.add_argument("table", help="CSV or vector file with route, from, to columns")
    _event_fields(ev)
    _output_args(ev, "event lines (GeoJSON/GPKG)")
    ev.set_defaults(func=run_events)

    seg = sub.add_parser("segment", help="overlay event tables into homogeneous segments")
    seg.add_argument("tables", nargs="+", help="event tables (CSV or vector files), 2 or more")
    _event_fields(seg)
    seg.add_argument("--how", choices=["intersection", "union"], default="intersection")
    seg.add_argument("--json", action="store_true", help="print JSON")
    seg.add_argument("-o", "--output", help="write segments (CSV)")
    seg.set_defaults(func=run_segment)


def _routes_args(parser: argparse.ArgumentParser, posts_required: bool) -> None:
    parser.add_argument("routes", help="route line layer (GeoJSON, GPKG, SHP ...)")
    if posts_required:
        parser.add_argument("posts", help="kilometre post point layer")
    else:
        parser.add_argument("--posts", help="kilometre post layer to calibrate the routes")
    parser.add_argument("--route-field", help="route code field in the routes layer (default: "
                        "the whole layer is one route)")
    parser.add_argument("--route-code", default="route",
                        help="code of the single route when there is no --route-field")
    parser.add_argument("--post-route-field", help="route code field in the posts layer")
    parser.add_argument("--label-field", default="label", help="post label field (Km12)")
    parser.add_argument("--measure-field", help="post measure field (metres or Km12+000); "
                        "default: read the measure from the label")
    parser.add_argument("--tolerance", type=non_negative_float, default=20.0,
                        help="max distance of a post from its route, m (default 20)")
    parser.add_argument("--join-tolerance", type=non_negative_float, default=1.0,
                        help="max gap between route parts that still join, m (default 1)")
    parser.add_argument("--profile", default=None, help="jurisdiction profile (default thai_binh)")


def _event_fields(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--route-column", default="route", help="route code column")
    parser.add_argument("--from-column", default="from_m", help="start measure column "
                        "(metres or Km12+350)")
    parser.add_argument("--to-column", default="to_m", help="end measure column")


def _output_args(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("-o", "--output", help=f"write {what}")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _load_routes(args: argparse.Namespace, posts_path):
    from ..lrs.calibrate import calibrate_routes
    from ..lrs.io import posts_from_frame, read_layer, routes_from_frame

    profile = load_profile(args.profile)
    routes = routes_from_frame(read_layer(args.routes, profile), args.route_field, args.routes,
                               args.route_code)
    posts = {}
    if posts_path:
        posts = posts_from_frame(read_layer(posts_path, profile), args.label_field,
                                 args.measure_field, args.post_route_field, posts_path,
                                 args.route_code)
    return calibrate_routes(routes, posts, args.tolerance, args.join_tolerance,
                            strict=getattr(args, "strict", False))


def _write(frame, args: argparse.Namespace) -> None:
    """``frame`` to ``args.output`` by the safe writer (never onto an input file; written
    to a temporary file moved into place when complete). A table without geometry, or a
    ``.csv`` output, is written as CSV; GeoJSON and GPKG by their OGR drivers."""
    from ..io.errors import FileError, one_line
    from ..io.output import inputs_of, output_file

    path = Path(args.output)
    suffix = path.suffix.lower()
    drivers = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG"}
    as_csv = suffix == ".csv" or not hasattr(frame, "to_file")
    if not as_csv and suffix not in drivers:
        raise RoadInfraError(f"{path}: output must be .csv, .geojson or .gpkg")
    with output_file(path, inputs_of(args)) as temporary:
        if as_csv:
            frame.drop(columns="geometry", errors="ignore").to_csv(temporary, index=False)
            return
        try:
            frame.to_file(temporary, driver=drivers[suffix])
        except OSError:
            raise
        except Exception as exc:  # fiona/GDAL raise many types
            raise FileError(f"-o {path}: cannot write: {one_line(exc)}") from None


def run_calibrate(args: argparse.Namespace) -> int:
    import geopandas as gpd
    from shapely.geometry import Point

    from ..chainage import format_chainage

    routes, issues = _load_routes(args, args.posts)
    summary = [{"route": code, "length_m": round(r.length, 3),
                "start_measure": round(r.start_measure, 3),
                "end_measure": round(r.end_measure, 3), "posts_used": int(r.distances.size)}
               for code, r in routes.items()]
    if args.output:
        epsg = load_profile(args.profile).crs_epsg
        rows = [i.as_dict() for i in issues]
        frame = gpd.GeoDataFrame(
            rows, geometry=[Point(i.x, i.y) if i.x is not None else None for i in issues],
            crs=epsg)
        _write(frame.drop(columns=["x", "y"]) if len(frame) else frame, args)
    if args.json:
        print(json.dumps({"routes": summary, "issues": [i.as_dict() for i in issues]},
                         ensure_ascii=False, indent=2))
        return 0
    for s in summary:
        start = format_chainage(s["start_measure"]) if s["start_measure"] >= 0 else \
            f"{s['start_measure']:.1f} m"
        print(f"route {s['route']}: {s['length_m']:.1f} m, {start} .. "
              f"{format_chainage(max(s['end_measure'], 0))}, {s['posts_used']} post(s) used")
    for i in issues:
        row = f" (row {i.row})" if i.row is not None else ""
        print(f"  {i.severity:7} {i.kind:19} {i.label}{row} at {i.distance:.0f} m: "
              f"{i.message}")
    return 0


def run_locate(args: argparse.Namespace) -> int:
    import geopandas as gpd

    from ..chainage import format_chainage
    from ..lrs.io import read_layer
    from ..lrs.locate import locate_points

    routes, _ = _load_routes(args, args.posts)
    points = read_layer(args.points, load_profile(args.profile))
    if any(g is None or g.geom_type != "Point" for g in points.geometry):
        raise RoadInfraError(f"{args.points}: every feature must be a single point")
    found = locate_points(list(routes.values()), [g.x for g in points.geometry],
                          [g.y for g in points.geometry], args.max_offset)
    rows = []
    for k, loc in enumerate(found):
        rows.append({
            "feature": k + 1,
            "route": loc.route if loc else None,
            "measure": round(loc.measure, 3) if loc else None,
            "chainage": format_chainage(loc.measure) if loc and loc.measure >= 0 else None,
            "offset": round(loc.offset, 3) if loc else None,
        })
    if args.output:
        out = gpd.GeoDataFrame(points.drop(columns="geometry").assign(
            **{f"lrs_{k}": [r[k] for r in rows] for k in ("route", "measure", "chainage",
                                                           "offset")}),
            geometry=points.geometry, crs=points.crs)
        _write(out, args)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not args.output:
        for r in rows:
            if r["route"] is None:
                print(f"feature {r['feature']}: no route within {args.max_offset} m")
            else:
                print(f"feature {r['feature']}: {r['route']} {r['chainage'] or r['measure']} "
                      f"offset {r['offset']:+.2f} m")
    return 0


def run_events(args: argparse.Namespace) -> int:
    import geopandas as gpd

    from ..lrs.io import parse_measure_columns, read_table
    from ..lrs.locate import segment_line

    routes, _ = _load_routes(args, args.posts)
    table, first = read_table(args.table)
    table = parse_measure_columns(table, [args.from_column, args.to_column], args.table, first)
    if args.route_column not in table.columns:
        raise RoadInfraError(f"{args.table}: no column {args.route_column!r}")
    geoms = []
    for k, row in enumerate(table.itertuples(index=False)):
        values = dict(zip(table.columns, row))
        code = str(values[args.route_column])
        if code not in routes:
            raise RoadInfraError(f"{args.table} row {k + first} field {args.route_column}: "
                                 f"unknown route {code!r} (routes: {sorted(routes)})")
        try:
            geoms.append(segment_line(routes[code], values[args.from_column],
                                      values[args.to_column]))
        except RoadInfraError as exc:
            raise RoadInfraError(f"{args.table} row {k + first}: {exc}") from None
    out = gpd.GeoDataFrame(table, geometry=geoms, crs=load_profile(args.profile).crs_epsg)
    if args.output:
        _write(out, args)
    if args.json:
        print(out.to_json())
    elif not args.output:
        for k, g in enumerate(geoms):
            print(f"row {k + first}: {g.length:.1f} m")
    return 0


def run_segment(args: argparse.Namespace) -> int:
    from ..lrs.io import parse_measure_columns, read_table
    from ..lrs.overlay import overlay_events

    if len(args.tables) < 2:
        raise RoadInfraError("segment needs at least two event tables")
    tables = {}
    first_rows = {}
    for path in args.tables:
        frame, first = read_table(path)
        frame = parse_measure_columns(frame, [args.from_column, args.to_column], path, first)
        name = Path(path).stem
        if name in tables:
            name = f"{name}{len(tables) + 1}"
        tables[name] = frame
        first_rows[name] = first
    result = overlay_events(tables, args.route_column, args.from_column, args.to_column,
                            args.how, first_row=first_rows)
    if args.output:
        _write(result, args)
    if args.json:
        print(result.to_json(orient="records", force_ascii=False))
    elif not args.output:
        print(result.to_string(index=False))
    return 0
