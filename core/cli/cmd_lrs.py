"""``roadinfra lrs``: calibrate routes on kilometre posts, locate points, events, overlay."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import RoadInfraError
from ..lrs.locate import DEFAULT_MAX_OFFSET
from ..lrs.network import DEFAULT_JOIN_TOLERANCE, DEFAULT_TOLERANCE, START_FIELD
from ..profile import load_profile
from .argtypes import non_negative_float, offset_limit


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
    loc.add_argument("--max-offset", type=offset_limit, default=DEFAULT_MAX_OFFSET,
                     help=f"ignore routes further than this, m (default {DEFAULT_MAX_OFFSET:g}; "
                          "inf: no limit)")
    loc.add_argument("--point-route-field",
                     help="route key field of the points: locate each point on its own route "
                          "(a code, or a value of another routes-layer field such as id); "
                          "the nearest route only where it is empty")
    _output_args(loc, "located points (GeoJSON/GPKG/CSV)")
    loc.set_defaults(func=run_locate)

    ev = sub.add_parser("events", help="event table (route, from, to) -> lines on the routes")
    _routes_args(ev, posts_required=False)
    ev.add_argument("table", help="CSV or vector file with route, from, to columns")
    _event_fields(ev)
    ev.add_argument("--point-events", action="store_true",
                    help="point events: --from-column is the measure, no --to-column")
    ev.add_argument("--offset-column", help="offset column, m left of the route positive "
                    "(a line event's offset at its start)")
    ev.add_argument("--end-offset-column", help="a line event's offset at its end "
                    "(default: --offset-column)")
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
    parser.add_argument("--start-field", help="start measure field of the routes layer, used "
                        f"where a route has no usable post (default: {START_FIELD} if present)")
    parser.add_argument("--tolerance", type=non_negative_float, default=DEFAULT_TOLERANCE,
                        help="max distance of a post from its route, m (default "
                             f"{DEFAULT_TOLERANCE:g})")
    parser.add_argument("--join-tolerance", type=non_negative_float, default=DEFAULT_JOIN_TOLERANCE,
                        help="max gap between route parts that still join, m (default "
                             f"{DEFAULT_JOIN_TOLERANCE:g})")
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
    """The calibrated network (:func:`~..lrs.network.build_network`) from the arguments."""
    from ..lrs.io import read_layer
    from ..lrs.network import build_network

    profile = load_profile(args.profile)
    return build_network(
        read_layer(args.routes, profile),
        read_layer(posts_path, profile) if posts_path else None,
        routes_source=args.routes, posts_source=posts_path or "posts",
        route_field=args.route_field, route_code=args.route_code,
        label_field=args.label_field, measure_field=args.measure_field,
        post_route_field=args.post_route_field, start_field=args.start_field,
        tolerance=args.tolerance, join_tolerance=args.join_tolerance,
        strict=getattr(args, "strict", False))


def _print_issues(issues, errors_only: bool = False) -> None:
    import sys

    for i in issues:
        if errors_only and i.severity != "error":
            continue
        row = f" (row {i.row})" if i.row is not None else ""
        print(f"  {i.severity:7} {i.kind:19} {i.label}{row} at {i.distance:.0f} m: {i.message}",
              file=sys.stderr if errors_only else sys.stdout)


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

    from ..lrs.chainage_text import chainage_text

    network = _load_routes(args, args.posts)
    routes, issues = network.routes, network.issues
    summary = [{"route": code, "length_m": round(r.length, 3),
                "start_measure": round(r.start_measure, 3),
                "end_measure": round(r.end_measure, 3),
                "start_chainage": chainage_text(r.start_measure),
                "end_chainage": chainage_text(r.end_measure),
                "posts_used": int(r.distances.size)}
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
        start = s["start_chainage"] or f"{s['start_measure']:.1f} m"
        end = s["end_chainage"] or f"{s['end_measure']:.1f} m"
        print(f"route {s['route']}: {s['length_m']:.1f} m, {start} .. {end}, "
              f"{s['posts_used']} post(s) used")
    _print_issues(issues)
    return 0


def run_locate(args: argparse.Namespace) -> int:
    import sys

    import geopandas as gpd

    from ..lrs.chainage_text import chainage_text
    from ..lrs.io import read_layer
    from ..lrs.locate import locate_frame

    network = _load_routes(args, args.posts)
    points = read_layer(args.points, load_profile(args.profile))
    found = locate_frame(network, points, args.points, args.max_offset, args.point_route_field)
    rows = [{"feature": k + 1, "route": loc.route,
             "measure": round(loc.measure, 3) if loc.measure is not None else None,
             "chainage": chainage_text(loc.measure), "offset":
             round(loc.offset, 3) if loc.offset is not None else None,
             "match": loc.match, "error": loc.error} for k, loc in enumerate(found)]
    if args.output:
        out = gpd.GeoDataFrame(points.drop(columns="geometry").assign(
            **{f"lrs_{k}": [r[k] for r in rows] for k in ("route", "measure", "chainage",
                                                           "offset", "match", "error")}),
            geometry=points.geometry, crs=points.crs)
        _write(out, args)
    _print_issues(network.issues, errors_only=True)
    failed = [r for r in rows if r["error"]]
    if failed:
        print(f"roadinfra: {len(failed)} of {len(rows)} point(s) not located (see the error "
              "column)", file=sys.stderr)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not args.output:
        for r in rows:
            if r["route"] is None:
                print(f"feature {r['feature']}: {r['error']}")
            else:
                print(f"feature {r['feature']}: {r['route']} {r['chainage'] or r['measure']} "
                      f"offset {r['offset']:+.2f} m ({r['match']})")
    return 1 if failed else 0


def run_events(args: argparse.Namespace) -> int:
    import sys

    import geopandas as gpd

    from ..lrs.events import place_events
    from ..lrs.io import read_table

    network = _load_routes(args, args.posts)
    table, first = read_table(args.table)
    results = place_events(
        network.routes, table.to_dict("records"), args.route_column, args.from_column,
        None if args.point_events else args.to_column, args.offset_column,
        args.end_offset_column, network.keys.resolve, args.table, first)
    out = gpd.GeoDataFrame(table.assign(lrs_error=[r.error for r in results]),
                           geometry=[r.geometry for r in results],
                           crs=load_profile(args.profile).crs_epsg)
    if args.output:
        _write(out, args)
    _print_issues(network.issues, errors_only=True)
    failed = [r for r in results if r.error]
    for r in failed:
        print(f"roadinfra: {r.error}", file=sys.stderr)
    if args.json:
        print(out.to_json())
    elif not args.output:
        for k, r in enumerate(results):
            what = r.error or (f"{r.geometry.length:.1f} m" if r.geometry.length
                               else f"point {r.geometry.x:.1f} {r.geometry.y:.1f}")
            print(f"row {k + first}: {what}")
    return 1 if failed else 0


def run_segment(args: argparse.Namespace) -> int:
    from ..lrs.io import read_table
    from ..lrs.overlay import segment_overlay

    if len(args.tables) < 2:
        raise RoadInfraError("segment needs at least two event tables")
    tables, first_rows, sources = {}, {}, {}
    for path in args.tables:
        name = Path(path).stem
        if name in tables:
            name = f"{name}{len(tables) + 1}"
        tables[name], first_rows[name] = read_table(path)
        sources[name] = path
    result = segment_overlay(tables, args.route_column, args.from_column, args.to_column,
                             args.how, first_rows, sources).frame
    if args.output:
        _write(result, args)
    if args.json:
        print(result.to_json(orient="records", force_ascii=False))
    elif not args.output:
        print(result.to_string(index=False))
    return 0
