"""Probe: the embedded cadastre overlay with its heavy part inside SQLite (SpatiaLite).

Question (issue 14 item 8): can the embedded overlay (GeoPackage, reading included) reach the
CPU of the tuned PostGIS query for the same overlay (1 km tiles, ``jit = off``, Km ranges) by
doing the reading, the spatial filter, the predicates, the clips and the unions in SQLite
with mod_spatialite instead of shapely 1.8? Not the product's path (core/cadastre/overlay.py
is unchanged); an experiment, measured against it.

The SpatiaLite variant (:func:`run_spatialite`), timed whole like the product path:

1. open the GeoPackage (``open_database``), calibrate the routes, draw the corridors
   (``route_corridors``) and cut each zone into the product's own 1 km tiles
   (``sources.tiles`` + the zone's intersection with each tile, shapely, as
   ``overlay._pieces`` does);
2. a second, read-only sqlite3 connection to the file with ``mod_spatialite`` loaded; the
   zone tiles go into a temp table as SpatiaLite geometries (``GeomFromWKB``);
3. one SQL statement (:data:`OVERLAY_SQL`): tiles joined to parcel candidates through the
   GeoPackage R-tree (``rtree_cadastral_parcel_geom``, the tile piece's box), the parcel's
   GeoPackage blob decoded once (``GeomFromGPB``), ``ST_Intersects(tile, parcel)``,
   ``ST_Covers`` (only when the parcel's R-tree box lies inside the tile's box) or else
   ``ST_Intersection(parcel, tile)`` (the product's operand order) and its polygons
   (``CollectionExtract``); a parcel cut by tile edges gets the union of its parts
   (``ST_Union``), one part stays as is; per (zone, parcel) the parcel's area, the part's
   area and the part as WKB, with the parcel's columns;
4. in Python, as the product: the Km range of each part from its exterior-ring vertices
   (read from the WKB; the route's segment index, batches of 32 pieces ordered by place,
   ``Route.measure_at``), the table rows, sorted as the product sorts them, and the
   encroachments by land use. Piece geometries stay WKB (decoding them into shapely is
   timed apart, ``--stages``).

Commands (the benchmark database is built once and reused; 200,000 parcels, ~40 s):

    .venv/bin/python benchmarks/probe_spatialite_overlay.py --build /dev/shm/perf14b
    .venv/bin/python benchmarks/probe_spatialite_overlay.py --work /dev/shm/perf14b --repeat 3
    .venv/bin/python benchmarks/probe_spatialite_overlay.py --work /dev/shm/perf14b --stages

The run starts a throw-away PostGIS cluster (benchmarks/bench_cadastre.py's loading) and
times, in rounds (each path once per round, each in its own child process; best of
``--repeat``): the product's embedded path (bench_cadastre ``--child embedded``), this
SpatiaLite variant, and the tuned PostGIS query (1 km tiles, ``jit = off``, one backend,
Km ranges; bench_cadastre ``--child postgis``). Both other paths are checked part by part
against the embedded one (same parts, area inside to 0.01 m², Km strings).
``--stages`` breaks the SpatiaLite variant down in one warm process (CPU per stage, GPB
decoding, whether ``ST_Intersects`` uses SpatiaLite's prepared-geometry cache).
"""

from __future__ import annotations

import argparse
import json
import pickle
import platform
import sqlite3
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT.parent))  # roadinfra and tests.support, as bench_cadastre
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_cadastre as bench  # noqa: E402  (the benchmark's setup, loading and children)

SRID = 9209
MIN_PIECE_M2 = 0.01

#: The zone tiles (their zone ``k``: the row of route_corridors; box; SpatiaLite geometry).
TILE_TABLE = ("CREATE TEMP TABLE tile (id INTEGER PRIMARY KEY, k INTEGER, minx REAL, "
              "miny REAL, maxx REAL, maxy REAL, geom BLOB)")
TILE_INSERT = "INSERT INTO tile VALUES (?, ?, ?, ?, ?, ?, GeomFromWKB(?, 9209))"

#: Parcel candidates of every tile through the GeoPackage R-tree (the tile piece's box);
#: ``boxin``: the parcel's R-tree box lies inside the tile's (only then can it be covered).
#: CROSS JOIN keeps this order (SQLite may else scan the whole R-tree once per tile).
CANDIDATES = """
SELECT t.id AS tid, t.k AS k, t.geom AS tg, p.fid AS pid, {decode} AS g,
       r.minx >= t.minx AND r.maxx <= t.maxx AND r.miny >= t.miny AND r.maxy <= t.maxy
         AS boxin
FROM tile t
CROSS JOIN rtree_cadastral_parcel_geom r
  ON r.minx <= t.maxx AND r.maxx >= t.minx AND r.miny <= t.maxy AND r.maxy >= t.miny
CROSS JOIN cadastral_parcel p ON p.fid = r.id
WHERE p.deleted_at IS NULL"""

#: The whole overlay but the Km ranges: per (zone, parcel) the parcel's area, the part's
#: area and WKB, the parcel's columns. Geometries are not carried through the MATERIALIZED
#: steps (copying the tiles' blobs row by row cost more than decoding a parcel's blob
#: again: ``GeomFromGPB`` is ~0.2 us); ``ST_Intersects`` runs in tile order, so
#: SpatiaLite's prepared-geometry cache keeps the tile; ``n``: the tile pieces of the zone
#: the parcel meets (more than one: the union of its parts, as the product).
OVERLAY_SQL = f"""
WITH hit AS MATERIALIZED (
  SELECT tid, k, pid, boxin, count(*) OVER (PARTITION BY k, pid) AS n
  FROM ({CANDIDATES.format(decode="GeomFromGPB(p.geom)")}
        AND ST_Intersects(t.geom, GeomFromGPB(p.geom)) = 1)
), part AS MATERIALIZED (
  SELECT h.k, h.pid, h.n,
         CASE WHEN h.boxin AND ST_Covers(t.geom, GeomFromGPB(p.geom))
              THEN GeomFromGPB(p.geom)
              ELSE CollectionExtract(ST_Intersection(GeomFromGPB(p.geom), t.geom), 3)
         END AS geom
  FROM hit h JOIN tile t ON t.id = h.tid JOIN cadastral_parcel p ON p.fid = h.pid
), piece AS MATERIALIZED (
  SELECT k, pid, geom FROM part WHERE n = 1 AND geom IS NOT NULL
  UNION ALL
  SELECT k, pid, CollectionExtract(ST_Union(geom), 3) FROM part WHERE n > 1
  GROUP BY k, pid
), sized AS MATERIALIZED (
  SELECT k, pid, ST_Area(geom) AS inside, geom FROM piece
)
SELECT s.k, s.pid, p.sheet_no, p.parcel_no, p.commune_code, p.land_use, p.owner,
       ST_Area(GeomFromGPB(p.geom)), s.inside, ST_AsBinary(s.geom)
FROM sized s JOIN cadastral_parcel p ON p.fid = s.pid
WHERE s.inside >= {MIN_PIECE_M2}
ORDER BY s.k, s.pid
"""  # noqa: S608 # nosec B608 # constants of this file


def spatialite_connection(gpkg: str) -> sqlite3.Connection:
    """A read-only connection to ``gpkg`` with mod_spatialite loaded."""
    conn = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    conn.enable_load_extension(True)
    conn.load_extension("mod_spatialite")
    conn.enable_load_extension(False)
    return conn


def zone_tiles(corridors) -> list[tuple]:
    """(id, zone row, box, WKB) of each zone's 1 km tile pieces, cut as the product cuts
    them (``overlay._pieces``)."""
    from roadinfra.core.cadastre.overlay import TILE_M, _wkb
    from roadinfra.core.cadastre.sources import tiles
    from shapely.geometry import box

    rows: list[tuple] = []
    for k, geom in enumerate(corridors.geometry):
        for tile in tiles([geom], TILE_M):
            zone = geom.intersection(box(*tile))
            if zone.is_empty or zone.area == 0:
                continue
            rows.append((len(rows), k, *zone.bounds, _wkb(zone)))
    return rows


def exterior_xy(data: bytes) -> np.ndarray:
    """The exterior-ring vertices (n, 2) of a WKB Polygon or MultiPolygon (2-D, as
    SpatiaLite's ST_AsBinary writes it), all rings of a MultiPolygon stacked."""
    rings: list = []

    def read(pos: int) -> int:
        order = "<" if data[pos] == 1 else ">"
        kind = struct.unpack_from(order + "I", data, pos + 1)[0] % 1000
        pos += 5
        count = struct.unpack_from(order + "I", data, pos)[0]
        pos += 4
        if kind == 6:
            for _ in range(count):
                pos = read(pos)
            return pos
        if kind != 3:
            raise ValueError(f"not a polygon: WKB type {kind}")
        for ring in range(count):
            (n,) = struct.unpack_from(order + "I", data, pos)
            pos += 4
            if ring == 0:
                rings.append(np.frombuffer(data, dtype=order + "f8", count=2 * n,
                                           offset=pos).reshape(n, 2))
            pos += 16 * n
        return pos

    read(0)
    return rings[0] if len(rings) == 1 else np.vstack(rings)


def measure_ranges(route, coords: list, reach_m: float) -> list[tuple[float, float]]:
    """(lowest, highest) measure of each piece's vertices ``coords``: the product's
    ``overlay.vertex_ranges`` on vertices already read."""
    from roadinfra.core.cadastre.overlay import vertex_ranges

    return vertex_ranges(route, coords, reach_m) if coords else []


def run_spatialite(gpkg: str, pieces_out: str | None = None, timers: dict | None = None):
    """The overlay with its heavy part in SpatiaLite (module docstring); ``timers``: filled
    with the CPU seconds of each stage."""
    import pandas as pd
    from roadinfra.core.cadastre.corridor import route_corridors
    from roadinfra.core.cadastre.overlay import PIECE_COLUMNS, _km, _uses
    from roadinfra.core.cadastre.sources import routes_from_database
    from roadinfra.core.db import open_database

    timers = {} if timers is None else timers
    start, cpu = time.perf_counter(), time.process_time()
    mark = cpu

    def lap(name):
        nonlocal mark
        now = time.process_time()
        timers[name] = timers.get(name, 0.0) + now - mark
        mark = now

    db = open_database(gpkg)
    routes, grades = routes_from_database(db)
    profile = db.profile
    db.close()
    corridors = route_corridors(routes, grades, profile)
    lap("open, routes, corridors")
    tile_rows = zone_tiles(corridors)
    lap("zone tiles (shapely)")
    conn = spatialite_connection(gpkg)
    conn.execute(TILE_TABLE)
    conn.executemany(TILE_INSERT, tile_rows)
    lap("mod_spatialite, temp tiles")
    rows = conn.execute(OVERLAY_SQL).fetchall()
    conn.close()
    lap("overlay SQL")
    zones = list(corridors.itertuples())
    by_zone: dict = {}
    for row in rows:
        by_zone.setdefault(row[0], []).append(row)
    out = []
    for k in sorted(by_zone):
        zone = zones[k]
        reach_m = zone.roadbed_m / 2.0 + zone.road_land_m + (
            zone.corridor_m if zone.zone == "safety_corridor" else 0.0)
        found = by_zone[k]
        ranges = measure_ranges(routes[zone.route], [exterior_xy(r[9]) for r in found],
                                reach_m)
        for (_, _, sheet, number, commune, use, owner, area, inside, wkb), (a, b) in zip(
                found, ranges):
            out.append({"route": zone.route, "zone": zone.zone, "sheet_no": sheet,
                        "parcel_no": number, "commune_code": commune, "land_use": use,
                        "owner": owner, "parcel_area_m2": round(area, 2),
                        "area_in_m2": round(inside, 2),
                        "share_pct": round(100.0 * inside / area, 2) if area else None,
                        "from_m": a, "to_m": b, "km_from": _km(a), "km_to": _km(b),
                        "wkb": wkb})
    lap("Km ranges")
    pieces = pd.DataFrame(out, columns=PIECE_COLUMNS + ["wkb"]).sort_values(
        ["route", "zone", "from_m", "sheet_no", "parcel_no"], kind="stable").reset_index(
        drop=True)
    built = {str(c).strip().upper()
             for c in profile.data.get("cadastre", {}).get("encroaching_land_use", ())}
    encroachments = pieces[[_uses(u, built) for u in pieces["land_use"]]]
    lap("rows, table, encroachments")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if pieces_out:  # not timed: the embedded path's parts to compare with
        out_check = _check(pieces, pieces_out)
    else:
        out_check = None
    return {"seconds": seconds, "cpu_s": cpu, "tiles": len(tile_rows), "pieces": len(pieces),
            "encroachments": len(encroachments),
            "area_by_zone": {z: float(g["area_in_m2"].sum())
                             for z, g in pieces.groupby("zone")},
            "check": out_check}, pieces


def _check(pieces, embedded_file: str) -> dict:
    """The SpatiaLite parts against the embedded path's: the same (route, zone, sheet,
    parcel), the area inside (as reported, 0.01 m²), the Km strings, the measures."""
    embedded = {tuple(r[:4]): r for r in json.loads(Path(embedded_file).read_text("utf-8"))}
    mine = {(r.route, r.zone, r.sheet_no, r.parcel_no): r for r in pieces.itertuples()}
    both = set(embedded) & set(mine)
    return {"same_parts": set(embedded) == set(mine) and len(mine) == len(pieces),
            "only_embedded": len(set(embedded) - both), "only_spatialite": len(set(mine) - both),
            "max_area_diff_m2": max((abs(mine[k].area_in_m2 - embedded[k][4]) for k in both),
                                    default=0.0),
            "km_strings_differ": sum(1 for k in both if (mine[k].km_from, mine[k].km_to)
                                     != tuple(embedded[k][7:9])),
            "max_measure_diff_m": max((max(abs(mine[k].from_m - embedded[k][5]),
                                           abs(mine[k].to_m - embedded[k][6])) for k in both),
                                      default=0.0)}


#: The candidate (tile, parcel) pairs stored first in a given order, then tested: whether
#: ``ST_Intersects`` gains from SpatiaLite's prepared-geometry cache (it prepares a
#: geometry met again in the next call) when the tile stays the same from call to call.
#: (The LIMIT keeps the ORDER BY: SQLite drops it from a CTE whose order the result does not
#: show.) ``WHOLE_ZONES``: the same with each zone's whole polygon instead of its tile.
PAIRS = """
WITH c AS MATERIALIZED (
  SELECT t.id AS tid, r.id AS pid FROM tile t
  CROSS JOIN rtree_cadastral_parcel_geom r
    ON r.minx <= t.maxx AND r.maxx >= t.minx AND r.miny <= t.maxy AND r.maxy >= t.miny
  ORDER BY {order} LIMIT 100000000
)
SELECT count(*) FROM c CROSS JOIN tile t ON t.id = c.tid
CROSS JOIN cadastral_parcel p ON p.fid = c.pid
WHERE p.deleted_at IS NULL AND {test}"""


WHOLE_ZONE_TEST = ("ST_Intersects((SELECT z.geom FROM zone z WHERE z.k = t.k), "
                   "GeomFromGPB(p.geom)) = 1")


HITS = "ST_Intersects(tg, g) = 1"


def _over(source: str, select: str, where: str = "1") -> str:
    """``SELECT select FROM (source) WHERE where`` (all constants of this file)."""
    return f"SELECT {select} FROM ({source}) WHERE {where}"  # noqa: S608 # nosec B608 # constants


def stages(gpkg: str) -> dict:
    """CPU per stage of the SpatiaLite variant in one warm process (best of 3 of each), and
    the parts of its SQL measured apart: the R-tree join alone, with GPB decoding (or
    GeoPackage blobs read directly, amphibious mode), the ``ST_Intersects`` filter on
    (tile, parcel) pairs stored in tile order (the same tile call after call: SpatiaLite's
    prepared-geometry cache can keep it) and in parcel order (tiles alternate), the same
    with each zone's whole polygon in zone and in random order, the clips; and what turning
    the pieces' WKB into shapely would cost."""
    from shapely import wkb as shapely_wkb

    best: dict = {}
    for _ in range(3):
        timers: dict = {}
        _, pieces = run_spatialite(gpkg, None, timers)
        for name, value in timers.items():
            best[name] = min(best.get(name, value), value)
    conn = spatialite_connection(gpkg)
    from roadinfra.core.cadastre.corridor import route_corridors
    from roadinfra.core.cadastre.sources import routes_from_database
    from roadinfra.core.db import open_database

    db = open_database(gpkg)
    routes, grades = routes_from_database(db)
    corridors = route_corridors(routes, grades, db.profile)
    db.close()
    conn.execute(TILE_TABLE)
    conn.executemany(TILE_INSERT, zone_tiles(corridors))
    conn.execute("CREATE TEMP TABLE zone (k INTEGER PRIMARY KEY, geom BLOB)")
    conn.executemany("INSERT INTO zone VALUES (?, GeomFromWKB(?, 9209))",
                     [(k, geom.wkb) for k, geom in enumerate(corridors.geometry)])
    plain = CANDIDATES.format(decode="p.geom")
    decoded = CANDIDATES.format(decode="GeomFromGPB(p.geom)")
    queries = {
        "R-tree join, blobs read": _over(plain, "count(*), sum(length(g))"),
        "R-tree join + GeomFromGPB": _over(decoded, "count(*), sum(length(g))"),
        "+ ST_Intersects, tile order (cache hits)": _over(decoded, "count(*)", HITS),
        "+ ST_Intersects on GPB (amphibious mode)": _over(plain, "count(*)", HITS),
        "pairs in tile order, ST_Intersects (cache keeps the tile)": PAIRS.format(
            order="tid, pid", test="ST_Intersects(t.geom, GeomFromGPB(p.geom)) = 1"),
        "pairs in parcel order, ST_Intersects (tile alternates)": PAIRS.format(
            order="pid, tid", test="ST_Intersects(t.geom, GeomFromGPB(p.geom)) = 1"),
        "pairs in tile order, no test": PAIRS.format(order="tid, pid", test="1"),
        "whole zones, pairs in zone order, ST_Intersects": PAIRS.format(
            order="tid, pid", test=WHOLE_ZONE_TEST),
        "whole zones, pairs in random order, ST_Intersects": PAIRS.format(
            order="random()", test=WHOLE_ZONE_TEST),
        "+ ST_Intersection of every hit": _over(
            decoded, "count(*), sum(length(ST_Intersection(g, tg)))", HITS),
        "+ ST_Covers of every hit": _over(decoded, "count(*), sum(ST_Covers(tg, g))", HITS),
        "whole overlay SQL": OVERLAY_SQL,
    }
    sql: dict = {}
    counts: dict = {}
    for name, query in queries.items():
        if "amphibious" in name:
            conn.execute("SELECT EnableGpkgAmphibiousMode()")
        for _ in range(3):
            cpu = time.process_time()
            result = conn.execute(query).fetchall()
            took = time.process_time() - cpu
            sql[name] = min(sql.get(name, took), took)
        counts[name] = result[0][0] if len(result) == 1 else len(result)
        if "amphibious" in name:
            conn.execute("SELECT DisableGpkgAmphibiousMode()")
    conn.close()
    wkbs = list(pieces["wkb"])
    cpu = time.process_time()
    for data in wkbs:
        shapely_wkb.loads(data)
    decode = time.process_time() - cpu
    return {"stages_cpu_s": {k: round(v, 4) for k, v in best.items()},
            "stages_total_cpu_s": round(sum(best.values()), 4),
            "sql_cpu_s": {k: round(v, 4) for k, v in sql.items()}, "sql_rows": counts,
            "pieces_wkb_to_shapely_cpu_s": round(decode, 4), "pieces": len(wkbs)}


# --------------------------------------------------------------------------- driver
def build(work: Path, parcels: int, seed: int) -> None:
    """The benchmark database (bench_cadastre's setup) into ``work``, and what the PostGIS
    loading needs (parcels as WKB, zones, the measured route lines) as a pickle."""
    work.mkdir(parents=True, exist_ok=True)
    data = bench.setup(work, parcels, seed)
    keep = {"gpkg": data["gpkg"], "parcels": data["parcels"],
            "geoms": [g.wkb for g in data["geoms"]], "attrs": data["attrs"],
            "zones": data["zones"], "route_lines": data["route_lines"]}
    (work / "setup.pickle").write_bytes(pickle.dumps(keep))
    print(json.dumps({k: data[k] for k in ("gpkg", "parcels", "cell_m", "insert_s")}))


def _once(args: list[str]) -> dict:
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"{args} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(work: Path, repeat: int) -> dict:
    """The three paths in rounds, each in its own child process, best of ``repeat``."""
    from shapely import wkb as shapely_wkb

    from tests.support.pgcluster import PgCluster

    data = pickle.loads((work / "setup.pickle").read_bytes())
    gpkg, parts = data["gpkg"], str(work / "embedded_pieces.json")
    cluster = PgCluster()
    cluster.start()
    try:
        url = cluster.new_database()
        bench.load_postgis(url, [shapely_wkb.loads(g) for g in data["geoms"]], data["attrs"],
                           data["zones"], data["route_lines"])
        bench_py = str(Path(bench.__file__).resolve())
        commands = {
            "embedded": [bench_py, "--child", "embedded", "--gpkg", gpkg, "--pieces", parts],
            "spatialite": [__file__, "--child", "--gpkg", gpkg, "--pieces", parts],
            "postgis_tile_jitoff_km": [bench_py, "--child", "postgis", "--url", url,
                                       "--table", "corridor_tile", "--jit", "off",
                                       "--km", "yes", "--pieces", parts],
        }
        runs: dict = {k: [] for k in commands}
        for _ in range(repeat):
            for name, command in commands.items():
                runs[name].append(_once(command))
    finally:
        cluster.stop()
    out = {}
    for name, done in runs.items():
        fastest = min(done, key=lambda r: r["seconds"])
        cpu_key = "server_cpu_s" if name.startswith("postgis") else "cpu_s"
        out[name] = {**fastest, "wall_s_all": [round(r["seconds"], 3) for r in done],
                     "cpu_s_all": [round(r[cpu_key], 3) for r in done],
                     "cpu_s_best": round(min(r[cpu_key] for r in done), 3)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, help="build the benchmark database here")
    parser.add_argument("--parcels", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--work", type=Path, help="a folder made by --build")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stages", action="store_true")
    parser.add_argument("--child", action="store_true", help="time the SpatiaLite variant")
    parser.add_argument("--gpkg")
    parser.add_argument("--pieces", help="the embedded path's parts (JSON) to check against")
    args = parser.parse_args()
    if args.build:
        build(args.build, args.parcels, args.seed)
        return 0
    if args.child:
        out, _ = run_spatialite(args.gpkg, args.pieces)
        out["max_rss_mb"] = bench.peak_rss_mb()
        print(json.dumps(out))
        return 0
    gpkg = pickle.loads((args.work / "setup.pickle").read_bytes())["gpkg"]
    if args.stages:
        print(json.dumps(stages(gpkg), indent=2))
        return 0
    report = {"machine": f"{platform.platform()}, Python {platform.python_version()}",
              "sqlite": sqlite3.sqlite_version, "results": compare(args.work, args.repeat)}
    conn = spatialite_connection(gpkg)
    report["spatialite"], report["geos"] = conn.execute(
        "SELECT spatialite_version(), geos_version()").fetchone()
    conn.close()
    res = report["results"]
    for name in ("embedded", "spatialite"):
        report[f"{name}_over_postgis"] = {
            "wall": round(res[name]["seconds"] / res["postgis_tile_jitoff_km"]["seconds"], 2),
            "cpu": round(res[name]["cpu_s_best"] / res["postgis_tile_jitoff_km"]["cpu_s_best"],
                         2)}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
