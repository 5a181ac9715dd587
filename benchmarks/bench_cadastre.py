"""Benchmark: overlaying the parcels of a whole province on the route corridors.

Setup (not timed): the demo database (``roadinfra demo``: 7 real routes through Thai Binh with
their kilometre posts and the province polygon) receives ``--parcels`` generated parcels: the
province tessellated by a jittered grid of quadrilaterals (shared, randomly moved corners, so
parcels tile without gaps or overlaps, about 90 m across for 200,000), with sheet numbers,
parcel numbers and land uses, inserted through the RoadInfra API (validation, history). The
same parcels and the same corridor polygons go into a throw-away PostgreSQL/PostGIS cluster
(tests/support/pgcluster.py) as plain tables with GiST indexes, ANALYZEd.

Timed, each in its own child process (so its peak memory is its own), best of ``--repeat``:

(a) embedded, the product path (``roadinfra cadastre overlay``): open the GeoPackage, build
    the calibrated routes, ``parcels_from_database(near=corridors)`` (reads only parcels in
    1 km tiles of the corridors through the GeoPackage R-tree), ``overlay_corridors`` with
    GEOS (area, share and Km range of every piece; encroachments). Reading included.
(a2) the same in two forked processes, each on about half of the routes (its own reading and
    overlay), the parts merged in the product's order and checked equal to (a)'s: the
    counterpart of PostGIS with two parallel workers. Not the product's way (one process).
(b) PostGIS, plain, the same overlay: each parcel clipped by a whole route's zone
    (``ST_Intersection``, GiST), its area and share, and its Km range: the lowest and highest
    measure of the part's exterior-ring vertices (``ST_DumpPoints``), each measured with
    ``ST_InterpolatePoint`` on the nearest piece of the route's centre-line as a LINESTRING M
    (table ``route_m``, 16 segments a piece, GiST; M = the embedded path's own calibration,
    core/lrs, loaded in the setup), as core/cadastre/overlay.py measures them.
(b') PostGIS, tuned, the same overlay on the corridors cut into small pieces first, each
    variant its own table with a GiST index, VACUUM ANALYZEd: ``ST_Subdivide(geom, n)`` for
    n = 32, 64, 256; the same 1 km grid tiles as the embedded path (``ST_SquareGrid``); those
    tiles subdivided to 64 vertices. A parcel met by several pieces of a zone has their union
    as its part (``ST_Union``), as in the embedded path.
(b-area), (b'-area) the same queries without Km ranges (area and share only; the parts of
    one zone summed): what the earlier rounds compared, kept for the record.
    Every PostGIS query runs with PostgreSQL's default ``jit = on`` (it JIT-compiles these
    queries) and with ``jit = off``, with ``max_parallel_workers_per_gather = 0`` (one
    backend, as the embedded path is one process); the fastest tuned query of each kind runs
    again with two parallel workers. Every PostGIS result is checked part by part against
    (a): the same parts, areas to 0.01 m², Km strings equal, measures within 0.01 m.
(c) baseline: geopandas ``read_file`` of the whole parcel layer, ``sjoin`` with the corridors,
    then the intersection areas.

Prints times, peak memory (max RSS of each child), the CPU time of (a) and of the PostgreSQL
server for each query (backend and parallel workers; on a loaded machine wall time is much
waiting for a core), whether each PostGIS variant agrees with (a) (part by part), and (a)'s
time over each variant's, wall and CPU ((a2)'s over the parallel ones). Run by hand; results
go to docs/benchmarks.md and docs/cadastre.md:

    .venv/bin/python benchmarks/bench_cadastre.py --parcels 200000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT.parent))  # tests.support (pgcluster) from the repository root
sys.path.insert(0, str(ROOT))
MIN_PIECE_M2 = 0.01
LAND_USES = (("LUC", 0.55), ("ONT", 0.15), ("CLN", 0.10), ("NTS", 0.08), ("DGT", 0.05),
             ("DTL", 0.04), ("TMD", 0.02), ("SKC", 0.01))


# --------------------------------------------------------------------------- setup
def generate_parcels(province, count: int, seed: int):
    """(list of shapely quadrilaterals, attributes) tiling ``province`` (grid polygon)."""
    import numpy as np
    from shapely import vectorized
    from shapely.geometry import Polygon

    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = province.bounds
    cell = (province.area / count) ** 0.5
    for _ in range(3):  # adjust the cell so about ``count`` centres fall inside
        nx, ny = int((x1 - x0) / cell) + 1, int((y1 - y0) / cell) + 1
        cx = x0 + (np.arange(nx) + 0.5) * cell
        cy = y0 + (np.arange(ny) + 0.5) * cell
        gx, gy = np.meshgrid(cx, cy)
        inside = vectorized.contains(province, gx, gy)
        kept = int(inside.sum())
        if abs(kept - count) <= 0.002 * count:
            break
        cell *= (kept / count) ** 0.5
    jitter = 0.2 * cell
    vx = x0 + np.arange(nx + 1)[None, :] * cell + rng.uniform(-jitter, jitter, (ny + 1, nx + 1))
    vy = y0 + np.arange(ny + 1)[:, None] * cell + rng.uniform(-jitter, jitter, (ny + 1, nx + 1))
    uses = [u for u, _ in LAND_USES]
    weights = np.array([w for _, w in LAND_USES])
    picks = rng.choice(len(uses), size=kept, p=weights / weights.sum())
    geoms, attrs = [], []
    sheet_cells = max(1, int(2000 / cell))
    numbers: dict = {}
    for k, (j, i) in enumerate(zip(*np.nonzero(inside))):
        ring = [(vx[j, i], vy[j, i]), (vx[j, i + 1], vy[j, i + 1]),
                (vx[j + 1, i + 1], vy[j + 1, i + 1]), (vx[j + 1, i], vy[j + 1, i])]
        sheet = f"{j // sheet_cells:02d}{i // sheet_cells:02d}"
        numbers[sheet] = numbers.get(sheet, 0) + 1
        poly = Polygon(ring)
        geoms.append(poly)
        attrs.append({"sheet_no": sheet, "parcel_no": str(numbers[sheet]),
                      "land_use": uses[picks[k]], "area_official_m2": round(poly.area, 1)})
    return geoms, attrs, cell


def setup(work: Path, count: int, seed: int) -> dict:
    from roadinfra.core.cadastre.overlay import reach
    from roadinfra.core.cadastre.sources import routes_from_database
    from roadinfra.core.db import open_database
    from roadinfra.core.sample_data import build_demo_database
    from shapely.geometry import MultiPolygon
    from shapely.ops import unary_union

    gpkg = work / "thai_binh.gpkg"
    build_demo_database(gpkg)
    db = open_database(gpkg)
    province = unary_union([r["geom"] for r in db.fetch("admin_unit", {"level": "province"})])
    start = time.perf_counter()
    geoms, attrs, cell = generate_parcels(province, count, seed)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    rows = [{**a, "commune_code": None, "source": "bench", "sheet_edition": "2025-01-01",
             "geom": MultiPolygon([g])} for g, a in zip(geoms, attrs)]
    db.insert("cadastral_parcel", rows, user="bench")
    inserted = time.perf_counter() - start
    routes, grades = routes_from_database(db)
    corridors = reach(routes, grades, db.profile)
    from roadinfra.core.cadastre.corridor import route_corridors

    zones = route_corridors(routes, grades, db.profile)
    db.close()
    return {"gpkg": str(gpkg), "parcels": len(geoms), "cell_m": round(cell, 1),
            "generate_s": round(generated, 1), "insert_s": round(inserted, 1),
            "routes": len(routes), "route_km": round(sum(r.length for r in routes.values())
                                                     / 1000, 1),
            "corridor_polygons": len(corridors), "zones": zones, "geoms": geoms,
            "attrs": attrs, "route_lines": route_m_lines(routes)}


#: Segments per piece of a route's measured centre-line in PostGIS (``route_m``).
ROUTE_M_SEGMENTS = 16


def route_m_lines(routes) -> list[tuple[str, str]]:
    """(route, WKT LINESTRING M) pieces of each route's centre-line, ``ROUTE_M_SEGMENTS``
    segments each, M = the measure (chainage, m) of the embedded path's own calibration
    (core/lrs ``Route.measure_at``). A vertex is added at each calibration point inside the
    line, so M is linear along every segment, as ``measure_at`` is between them:
    ``ST_InterpolatePoint`` on these lines then gives a point's measure exactly as core/lrs
    does (its foot on the nearest segment, then the calibration)."""
    import numpy as np

    out = []
    for code, route in sorted(routes.items()):
        xy = np.asarray(route.line.coords, dtype=float)[:, :2]
        along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
        extra = np.array([d for d in route.distances
                          if 0.0 < d < along[-1] and np.min(np.abs(along - d)) > 1e-9])
        if extra.size:
            xy = np.vstack([xy, np.column_stack([np.interp(extra, along, xy[:, 0]),
                                                 np.interp(extra, along, xy[:, 1])])])
            along = np.concatenate([along, extra])
            order = np.argsort(along, kind="stable")
            xy, along = xy[order], along[order]
        m = np.asarray(route.measure_at(along), dtype=float)
        for a in range(0, len(xy) - 1, ROUTE_M_SEGMENTS):
            b = min(a + ROUTE_M_SEGMENTS, len(xy) - 1) + 1
            out.append((code, "LINESTRING M (" + ", ".join(
                f"{x!r} {y!r} {v!r}" for (x, y), v in zip(xy[a:b], m[a:b])) + ")"))
    return out


def _reach(zone) -> float:
    """How far ``zone`` (a row of route_corridors) reaches from its route's centre-line, m."""
    return zone.roadbed_m / 2.0 + zone.road_land_m + (
        zone.corridor_m if zone.zone == "safety_corridor" else 0.0)


def load_postgis(url: str, geoms, attrs, zones, route_lines) -> tuple[float, dict]:
    import psycopg2
    from psycopg2.extras import execute_values

    start = time.perf_counter()
    conn = psycopg2.connect(url)
    with conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE parcel (id integer PRIMARY KEY, sheet_no text, parcel_no "
                    "text, land_use text, geom geometry(Polygon, 9209))")
        execute_values(cur, "INSERT INTO parcel VALUES %s",
                       [(i, a["sheet_no"], a["parcel_no"], a["land_use"], g.wkb_hex)
                        for i, (g, a) in enumerate(zip(geoms, attrs))],
                       template="(%s, %s, %s, %s, ST_GeomFromWKB(decode(%s, 'hex'), 9209))",
                       page_size=5000)
        cur.execute("CREATE TABLE corridor (route text, zone text, reach float8, "
                    "geom geometry(Geometry, 9209))")
        execute_values(cur, "INSERT INTO corridor VALUES %s",
                       [(z.route, z.zone, _reach(z), z.geometry.wkb_hex)
                        for z in zones.itertuples()],
                       template="(%s, %s, %s, ST_GeomFromWKB(decode(%s, 'hex'), 9209))")
        # each route's centre-line measured with the embedded path's calibration, in pieces
        cur.execute("CREATE TABLE route_m (route text, geom geometry(LineStringM, 9209))")
        execute_values(cur, "INSERT INTO route_m VALUES %s", route_lines,
                       template="(%s, ST_GeomFromText(%s, 9209))")
        cur.execute("CREATE INDEX parcel_geom ON parcel USING gist (geom)")
        cur.execute("CREATE INDEX corridor_geom ON corridor USING gist (geom)")
        cur.execute("CREATE INDEX route_m_geom ON route_m USING gist (geom)")
        for table, select in TUNED_CORRIDORS.items():
            cur.execute(f"CREATE TABLE {table} AS {select}")  # noqa: S608 # nosec B608 # constants of this file
            cur.execute(f"CREATE INDEX {table}_geom ON {table} USING gist (geom)")
    conn.autocommit = True
    with conn.cursor() as cur:
        pieces = {}
        for table in ("parcel", "corridor", "route_m", *TUNED_CORRIDORS):
            cur.execute(f"VACUUM ANALYZE {table}")
            cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 # nosec B608 # constants of this file
            pieces[table] = cur.fetchone()[0]
    conn.close()
    return time.perf_counter() - start, pieces


#: The tuned PostGIS baselines: the corridors cut into small pieces first, as the embedded
#: path cuts them into tiles (each its own table with a GiST index, VACUUM ANALYZEd).
TILE_GRID = ("SELECT c.route, c.zone, c.reach, ST_Intersection(c.geom, g.geom) AS geom "
             "FROM corridor c "
             "CROSS JOIN LATERAL ST_SquareGrid(1000, c.geom) g "
             "WHERE ST_Intersects(c.geom, g.geom)")
TUNED_CORRIDORS = {  # constants of this file, no user value
    **{f"corridor_sub{n}": (f"SELECT route, zone, reach, ST_Subdivide(geom, {n}) AS geom "  # noqa: S608 # nosec B608 # constants
                            "FROM corridor") for n in (32, 64, 256)},
    # the same 1 km grid tiles as the embedded path (origin 0, 0 of the provincial grid)
    "corridor_tile": (f"SELECT route, zone, reach, geom FROM ({TILE_GRID}) t "  # noqa: S608 # nosec B608 # constants
                      "WHERE ST_Area(geom) > 0"),
    "corridor_tile_sub64": (f"SELECT route, zone, reach, ST_Subdivide(geom, 64) AS geom "  # noqa: S608 # nosec B608 # constants
                            f"FROM ({TILE_GRID}) t WHERE ST_Area(geom) > 0"),
}


# --------------------------------------------------------------------------- timed paths
def run_embedded(gpkg: str, pieces_out: str | None = None) -> dict:
    from roadinfra.core.cadastre.overlay import overlay_corridors, reach
    from roadinfra.core.cadastre.sources import parcels_from_database, routes_from_database
    from roadinfra.core.db import open_database

    start = time.perf_counter()
    cpu = time.process_time()
    db = open_database(gpkg)
    _as_postgis(db.profile)
    routes, grades = routes_from_database(db)
    parcels = parcels_from_database(db, near=reach(routes, grades, db.profile))
    read = time.perf_counter() - start
    result = overlay_corridors(parcels, routes, grades, db.profile)
    db.close()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    pieces = result.pieces
    if pieces_out:  # for the PostGIS children to check their pieces against (not timed)
        Path(pieces_out).write_text(json.dumps(list(_per_parcel(pieces).values())),
                                    encoding="utf-8")
    return {"seconds": seconds, "cpu_s": cpu, "read_s": read, "parcels_read": len(parcels),
            "pieces": len(pieces), "encroachments": len(result.encroachments),
            "area_by_zone": {z: float(g["area_in_m2"].sum()) for z, g in pieces.groupby("zone")}}


def _as_postgis(profile) -> None:
    """The product's overlay as the PostGIS queries compute it: no survey slivers left out
    (``[cadastre] overlay_min_width_m`` 0; the queries keep every part from 0.01 m²)."""
    profile.data.setdefault("cadastre", {})["overlay_min_width_m"] = 0.0


def _per_parcel(pieces) -> dict:
    """The product's rows (one per parcel, zone and place) as the PostGIS queries give them,
    one per parcel and zone: (route, zone, sheet, parcel) -> [those four, area inside (sum of
    the places', to 0.01 m²), lowest and highest measure, their Km strings]."""
    from roadinfra.core.cadastre.overlay import _km

    out: dict = {}
    for r in pieces.itertuples():
        key = (r.route, r.zone, r.sheet_no, r.parcel_no)
        if key in out:
            row = out[key]
            row[4] = round(row[4] + r.area_in_m2, 2)
            row[5], row[6] = min(row[5], r.from_m), max(row[6], r.to_m)
            row[7], row[8] = _km(row[5]), _km(row[6])
        else:
            out[key] = [*key, r.area_in_m2, r.from_m, r.to_m, r.km_from, r.km_to]
    return out


def _embedded_share(args) -> tuple:
    """One of ``workers`` processes of :func:`run_embedded_parallel`: the product path on its
    share of the routes (routes split by length, the longest first to the least loaded);
    its parts as a table and WKB (what the product would write), and its encroachments."""
    gpkg, k, workers = args
    from roadinfra.core.cadastre.overlay import overlay_corridors, reach
    from roadinfra.core.cadastre.sources import parcels_from_database, routes_from_database
    from roadinfra.core.db import open_database

    db = open_database(gpkg)
    _as_postgis(db.profile)
    routes, grades = routes_from_database(db)
    loads = [0.0] * workers
    mine = {}
    for code in sorted(routes, key=lambda c: -routes[c].length):
        w = loads.index(min(loads))
        loads[w] += routes[code].length
        if w == k:
            mine[code] = routes[code]
    parcels = parcels_from_database(db, near=reach(mine, grades, db.profile))
    result = overlay_corridors(parcels, mine, grades, db.profile)
    db.close()
    return tuple((frame.drop(columns=frame.geometry.name), [g.wkb for g in frame.geometry])
                 for frame in (result.pieces, result.encroachments)) + (len(parcels),)


def run_embedded_parallel(gpkg: str, workers: int = 2, pieces_out: str | None = None) -> dict:
    """The embedded path in ``workers`` processes (forked, each on its share of the routes:
    its own reading, calibration, overlay), the parts merged in the product's order. Not
    what the product does (one process: a process pool inside QGIS is not safe); the
    counterpart of PostGIS's two parallel workers. CPU: this process and its children."""
    import multiprocessing

    import pandas as pd

    # imported before the timer, as run_embedded's (the forked workers inherit them)
    from roadinfra.core.cadastre import overlay, sources  # noqa: F401
    from roadinfra.core.db import open_database  # noqa: F401

    start = time.perf_counter()
    cpu = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    pool = multiprocessing.get_context("fork").Pool(workers)
    shares = pool.map(_embedded_share, [(gpkg, k, workers) for k in range(workers)])
    pool.close()
    pool.join()
    tables = []
    for n in range(2):  # pieces, encroachments: each route's rows are its process's
        table = pd.concat([share[n][0] for share in shares], ignore_index=True)
        table["wkb"] = [g for share in shares for g in share[n][1]]
        tables.append(table.sort_values(["route", "zone", "from_m", "sheet_no", "parcel_no"],
                                        kind="stable").reset_index(drop=True))
    pieces = tables[0]
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu + (after.ru_utime - children.ru_utime) + (
        after.ru_stime - children.ru_stime)
    out = {"seconds": seconds, "cpu_s": cpu, "workers": workers,
           "parcels_read": sum(share[2] for share in shares), "pieces": len(pieces),
           "encroachments": len(tables[1]),
           "area_by_zone": {z: float(g["area_in_m2"].sum()) for z, g in pieces.groupby("zone")}}
    if pieces_out:  # the same parts, Km strings and measures as one process? (not timed)
        one = {tuple(r[:4]): r for r in json.loads(Path(pieces_out).read_text("utf-8"))}
        out["same_as_one_process"] = one == _per_parcel(pieces)
    return out


#: Area-only queries (no Km range): area inside and parcel area per parcel part.
POSTGIS_QUERY = """
SELECT c.route, c.zone, p.id, ST_Area(ST_Intersection(p.geom, c.geom)) AS area_in,
       ST_Area(p.geom) AS area
FROM corridor c JOIN parcel p ON ST_Intersects(p.geom, c.geom)
"""


#: The same overlay on corridor pieces: a parcel's parts in the pieces of one zone summed
#: (the pieces do not overlap, so the sum is the area of the union the embedded path takes).
TUNED_QUERY = """
SELECT c.route, c.zone, p.id, SUM(ST_Area(ST_Intersection(p.geom, c.geom))) AS area_in,
       MIN(ST_Area(p.geom)) AS area
FROM {table} c JOIN parcel p ON ST_Intersects(p.geom, c.geom)
GROUP BY c.route, c.zone, p.id
"""

#: The whole overlay, as the embedded path computes it: per parcel part also its Km range
#: along the route's calibration. The part is the parcel's intersection with the zone (its
#: polygons); on cut corridors the union of its parts in the zone's pieces (a parcel met by
#: one piece keeps its part as is). Then, as core/cadastre/overlay.py does, the lowest and
#: highest measure of the part's exterior-ring vertices, each vertex measured on its nearest
#: route segment: ``ST_InterpolatePoint`` on the nearest of the route's measured pieces
#: (``route_m``, LINESTRING M, GiST) within the zone's reach of the part.
PLAIN_PIECES = """
WITH piece AS MATERIALIZED (
  SELECT c.route, c.zone, c.reach, p.id, ST_Area(p.geom) AS area,
         ST_CollectionExtract(ST_Intersection(p.geom, c.geom), 3) AS geom
  FROM corridor c JOIN parcel p ON ST_Intersects(p.geom, c.geom)
)"""
TUNED_PIECES = """
WITH part AS (
  SELECT c.route, c.zone, c.reach, p.id, ST_Area(p.geom) AS area,
         ST_CollectionExtract(ST_Intersection(p.geom, c.geom), 3) AS geom,
         count(*) OVER (PARTITION BY c.route, c.zone, p.id) AS parts
  FROM {table} c JOIN parcel p ON ST_Intersects(p.geom, c.geom)
), piece AS (
  SELECT route, zone, reach, id, area, geom FROM part WHERE parts = 1
  UNION ALL
  SELECT route, zone, min(reach), id, min(area), ST_Union(geom)
  FROM part WHERE parts > 1 GROUP BY route, zone, id
)"""
KM_RANGES = """
SELECT piece.route, piece.zone, piece.id, ST_Area(piece.geom) AS area_in, piece.area,
       km.low, km.high
FROM piece CROSS JOIN LATERAL (
  SELECT array_agg(r.geom) AS lines FROM route_m r
  WHERE r.route = piece.route AND ST_DWithin(r.geom, piece.geom, piece.reach + 1)
) near CROSS JOIN LATERAL (
  SELECT min(v.m) AS low, max(v.m) AS high FROM (
    SELECT CASE WHEN cardinality(near.lines) = 1
                THEN ST_InterpolatePoint(near.lines[1], pt.geom)
                ELSE (SELECT ST_InterpolatePoint(l, pt.geom) FROM unnest(near.lines) l
                      ORDER BY ST_Distance(l, pt.geom) LIMIT 1) END AS m
    FROM ST_Dump(piece.geom) d, ST_DumpPoints(ST_ExteriorRing(d.geom)) pt OFFSET 0) v
) km
WHERE ST_Area(piece.geom) >= 0.01
"""


def postgis_query(table: str, km: bool = False) -> str:
    if km:
        return (PLAIN_PIECES if table == "corridor"
                else TUNED_PIECES.format(table=table)) + KM_RANGES
    return POSTGIS_QUERY if table == "corridor" else TUNED_QUERY.format(table=table)


def run_postgis(url: str, table: str = "corridor", workers: int = 0, jit: str = "on",
                km: bool = False, check: str | None = None) -> dict:
    """The overlay query on ``table``'s corridors (``km``: with the Km ranges, else area
    only); ``workers``: PostgreSQL's max_parallel_workers_per_gather for it (0: one backend,
    as the embedded path's one process); ``jit``: PostgreSQL's jit setting (on by default;
    it compiles these queries, their cost is above jit_above_cost). The server CPU counts
    the backend and its parallel workers. ``check``: the embedded path's pieces (JSON) to
    compare with, part by part, after the timing."""
    import psycopg2

    start = time.perf_counter()
    conn = psycopg2.connect(url)
    with conn.cursor() as cur:
        cur.execute("SET max_parallel_workers_per_gather = %s", (workers,))
        cur.execute("SET jit = %s", (jit,))
        if workers:  # let the planner choose parallel plans for these small tables
            cur.execute("SET parallel_setup_cost = 0")
            cur.execute("SET parallel_tuple_cost = 0")
            cur.execute("SET min_parallel_table_scan_size = 0")
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
        server_cpu = -_server_cpu(backend)
        cur.execute(postgis_query(table, km))
        rows = cur.fetchall()
        server_cpu += _server_cpu(backend)
        rows = [r for r in rows if r[3] >= MIN_PIECE_M2]
        area: dict = {}
        for row in rows:
            area[row[1]] = area.get(row[1], 0.0) + round(row[3], 2)
            _ = row[3] / row[4]  # the share, as the embedded path computes it
        seconds = time.perf_counter() - start
        out = {"seconds": seconds, "server_cpu_s": server_cpu, "pieces": len(rows),
               "area_by_zone": area, "km_ranges": km}
        if check:  # not timed
            cur.execute("SELECT id, sheet_no, parcel_no FROM parcel WHERE id = ANY(%s)",
                        (sorted({r[2] for r in rows}),))
            names = {i: (sheet, number) for i, sheet, number in cur.fetchall()}
            out["check"] = _check(rows, names, check)
    conn.close()
    return out


def _check(rows, names: dict, embedded_file: str) -> dict:
    """PostGIS's parcel parts against the embedded path's, part by part: the same parts
    (route, zone, sheet, parcel), the largest difference of the area inside (as reported,
    to 0.01 m²) and, for the queries with Km ranges, the parts whose Km strings differ
    (what the product shows, whole metres) and the largest difference of from_m / to_m."""
    from roadinfra.core.cadastre.overlay import _km

    embedded = {tuple(r[:4]): r for r in json.loads(Path(embedded_file).read_text("utf-8"))}
    mine = {(r[0], r[1], *names[r[2]]): r for r in rows}
    both = set(embedded) & set(mine)
    out = {"same_parts": set(embedded) == set(mine), "only_embedded": len(set(embedded) - both),
           "only_postgis": len(set(mine) - both),
           "max_area_diff_m2": max((abs(round(mine[k][3], 2) - embedded[k][4]) for k in both),
                                   default=0.0)}
    if len(rows) and len(rows[0]) > 5:
        out["km_strings_differ"] = sum(
            1 for k in both if (_km(mine[k][5]), _km(mine[k][6])) != tuple(embedded[k][7:9]))
        out["max_measure_diff_m"] = max((max(abs(float(mine[k][5]) - embedded[k][5]),
                                             abs(float(mine[k][6]) - embedded[k][6]))
                                         for k in both), default=0.0)
    return out


def _server_cpu(backend: int) -> float:
    """User + system CPU seconds of the PostgreSQL backend ``backend`` (same machine) and of
    the processes the postmaster has reaped (its cutime + cstime): parallel workers are the
    postmaster's children, their time lands there when they exit. (Nothing else runs on
    this throw-away cluster during the query.)"""
    import os

    def fields(pid):
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()

    own = fields(backend)
    postmaster = int(own[1])
    # parallel workers are children of the postmaster: their time, once they exit, is
    # added to the postmaster's cutime + cstime
    master = fields(postmaster)
    total = int(own[11]) + int(own[12]) + int(master[13]) + int(master[14])
    return total / os.sysconf("SC_CLK_TCK")


def run_geopandas(gpkg: str, zones_file: str) -> dict:
    import geopandas as gpd

    start = time.perf_counter()
    parcels = gpd.read_file(gpkg, layer="cadastral_parcel")
    zones = gpd.read_file(zones_file)
    joined = gpd.sjoin(parcels[["geometry"]], zones[["zone", "geometry"]], predicate="intersects")
    other = gpd.GeoSeries(zones.geometry.loc[joined["index_right"]].values, index=joined.index,
                          crs=zones.crs)
    pieces = joined.geometry.intersection(other, align=False)
    areas = pieces.area
    keep = areas >= MIN_PIECE_M2
    by_zone = areas[keep].groupby(joined["zone"][keep]).sum().to_dict()
    return {"seconds": time.perf_counter() - start, "pieces": int(keep.sum()),
            "area_by_zone": {k: float(v) for k, v in by_zone.items()}}


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: of this program only; getrusage's
    ru_maxrss would also count the parent's peak, kept across fork and exec)."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(args) -> int:
    """One timed path in this process; prints its JSON (with peak memory) on stdout."""
    import warnings

    warnings.simplefilter("ignore")
    if args.child == "embedded":
        out = run_embedded(args.gpkg, args.pieces)
    elif args.child == "embedded_parallel":
        out = run_embedded_parallel(args.gpkg, args.workers, args.pieces)
    elif args.child == "postgis":
        out = run_postgis(args.url, args.table, args.workers, args.jit, args.km == "yes",
                          args.pieces)
    else:
        out = run_geopandas(args.gpkg, args.zones)
    out["max_rss_mb"] = peak_rss_mb()
    print(json.dumps(out))
    return 0


def timed(kind: str, repeat: int, **kw) -> dict:
    best = None
    for _ in range(repeat):
        cmd = [sys.executable, __file__, "--child", kind]
        for key, value in kw.items():
            cmd += [f"--{key}", str(value)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{kind} failed:\n{done.stderr}")
        out = json.loads(done.stdout.strip().splitlines()[-1])
        if best is None or out["seconds"] < best["seconds"]:
            best = {**out, "max_rss_mb": max(out["max_rss_mb"], (best or {}).get(
                "max_rss_mb", 0))}
        else:
            best["max_rss_mb"] = max(best["max_rss_mb"], out["max_rss_mb"])
    return best


def _agree(a: dict, b: dict) -> bool:
    """Same number of parcel parts and the same area per zone (to 1 m² + 1e-6)."""
    return a["pieces"] == b["pieces"] and set(a["area_by_zone"]) == set(b["area_by_zone"]) \
        and all(abs(a["area_by_zone"][z] - b["area_by_zone"][z]) <= 1.0 + 1e-6 * v
                for z, v in a["area_by_zone"].items())


def _name(table: str, jit: str, km: str) -> str:
    """postgis[_<corridor table>]_jit<on|off>_<km|area>."""
    return ("postgis" if table == "corridor" else f"postgis_{table}") + \
        f"_jit{jit}_{'km' if km == 'yes' else 'area'}"


def _plan(url: str, table: str, km: bool) -> str:
    """The plan PostgreSQL chooses for the query on ``table`` (default parallel settings)."""
    import psycopg2

    conn = psycopg2.connect(url)
    with conn.cursor() as cur:
        cur.execute("EXPLAIN " + postgis_query(table, km))
        plan = " / ".join(r[0].strip() for r in cur.fetchall())
    conn.close()
    return plan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-baseline", action="store_true", help="skip (c) geopandas")
    parser.add_argument("--child", choices=("embedded", "embedded_parallel", "postgis",
                                            "geopandas"))
    parser.add_argument("--gpkg")
    parser.add_argument("--url")
    parser.add_argument("--zones")
    parser.add_argument("--table", default="corridor")
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--jit", choices=("on", "off"), default="on")
    parser.add_argument("--km", choices=("yes", "no"), default="no")
    parser.add_argument("--pieces", help="embedded: write its parts here; postgis: check "
                        "against them")
    args = parser.parse_args()
    if args.child:
        return child(args)

    from tests.support.pgcluster import PgCluster

    work = Path(tempfile.mkdtemp(prefix="bench_cadastre_"))
    print(f"setup in {work} ...", file=sys.stderr)
    data = setup(work, args.parcels, args.seed)
    zones_file = work / "zones.gpkg"
    data["zones"].set_crs(9209, allow_override=True).to_file(zones_file, driver="GPKG")
    cluster = PgCluster()
    cluster.start()
    try:
        url = cluster.new_database()
        pg_load, pieces = load_postgis(url, data["geoms"], data["attrs"], data["zones"],
                                       data["route_lines"])
        print("timing ...", file=sys.stderr)
        parts = work / "embedded_pieces.json"
        results = {"embedded": timed("embedded", args.repeat, gpkg=data["gpkg"],
                                     pieces=parts)}
        # the counterpart of PostGIS's two parallel workers (not the product's default)
        results["embedded_2processes"] = timed("embedded_parallel", args.repeat,
                                               gpkg=data["gpkg"], workers=2, pieces=parts)
        # every corridor table, with the Km ranges (the same overlay as the embedded path)
        # and area only, with PostgreSQL's default JIT compilation and without it
        for km in ("yes", "no"):
            for table in ("corridor", *TUNED_CORRIDORS):
                for jit in ("on", "off"):
                    results[_name(table, jit, km)] = {**timed(
                        "postgis", args.repeat, url=url, table=table, jit=jit, km=km,
                        pieces=parts), "table": table, "jit": jit}
        plans = {}
        for km in ("yes", "no"):
            # the fastest tuned query again with two parallel workers (the machine's cores)
            tuned = min((k for k in results if k.startswith("postgis_")
                         and k.endswith(f"_{'km' if km == 'yes' else 'area'}")),
                        key=lambda k: results[k]["seconds"])
            table, jit = results[tuned]["table"], results[tuned]["jit"]
            results[f"{tuned}_parallel2"] = timed("postgis", args.repeat, url=url, table=table,
                                                  workers=2, jit=jit, km=km, pieces=parts)
            plans[_name("corridor", "on", km)] = _plan(url, "corridor", km == "yes")
            plans[tuned] = _plan(url, table, km == "yes")
        if not args.no_baseline:
            results["geopandas"] = timed("geopandas", args.repeat, gpkg=data["gpkg"],
                                         zones=zones_file)
    finally:
        cluster.stop()
    a = results["embedded"]
    report = {
        "machine": f"{platform.platform()}, Python {platform.python_version()}",
        "parcels": data["parcels"], "cell_m": data["cell_m"], "routes": data["routes"],
        "route_km": data["route_km"], "setup_insert_s": data["insert_s"],
        "postgis_load_s": round(pg_load, 1), "results": results,
        "corridor_pieces": pieces, "plans": plans,
        "agree_with_embedded": {k: _agree(a, v) and v["check"]["same_parts"]
                                and v["check"]["max_area_diff_m2"] <= 0.011
                                and v["check"].get("km_strings_differ", 0) == 0
                                and v["check"].get("max_measure_diff_m", 0.0) <= 0.01
                                for k, v in results.items() if k.startswith("postgis")},
        "embedded_over": {k: {"wall": round(a["seconds"] / v["seconds"], 2),
                              "cpu": round(a["cpu_s"] / v["server_cpu_s"], 2)}
                          for k, v in results.items() if k.startswith("postgis")},
        "embedded_2processes_over": {
            k: {"wall": round(results["embedded_2processes"]["seconds"] / v["seconds"], 2),
                "cpu": round(results["embedded_2processes"]["cpu_s"] / v["server_cpu_s"], 2)}
            for k, v in results.items() if k.endswith("_parallel2")},
    }
    if "geopandas" in results:
        report["geopandas_over_postgis"] = round(
            results["geopandas"]["seconds"] / results[_name("corridor", "on", "no")]["seconds"],
            2)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
