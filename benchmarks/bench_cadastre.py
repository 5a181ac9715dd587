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
(b) PostGIS: ``SELECT ... ST_Area(ST_Intersection(p.geom, c.geom)), ST_Area(p.geom) FROM
    corridor c JOIN parcel p ON ST_Intersects(p.geom, c.geom)``, all rows fetched by the
    client (area and share; no Km range).
(c) baseline: geopandas ``read_file`` of the whole parcel layer, ``sjoin`` with the corridors,
    then the intersection areas.

Prints times, peak memory (max RSS of each child), the CPU time of (a) and of (b)'s server
backend for its query (on a loaded machine wall time is much waiting for a core), and
whether (a) and (b) agree (pieces and area per zone). Run by hand; results go to
docs/benchmarks.md and docs/cadastre.md:

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
            "attrs": attrs}


def load_postgis(url: str, geoms, attrs, zones) -> float:
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
        cur.execute("CREATE TABLE corridor (route text, zone text, geom geometry(Geometry, "
                    "9209))")
        execute_values(cur, "INSERT INTO corridor VALUES %s",
                       [(z.route, z.zone, z.geometry.wkb_hex) for z in zones.itertuples()],
                       template="(%s, %s, ST_GeomFromWKB(decode(%s, 'hex'), 9209))")
        cur.execute("CREATE INDEX parcel_geom ON parcel USING gist (geom)")
        cur.execute("CREATE INDEX corridor_geom ON corridor USING gist (geom)")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE parcel")
        cur.execute("VACUUM ANALYZE corridor")
    conn.close()
    return time.perf_counter() - start


# --------------------------------------------------------------------------- timed paths
def run_embedded(gpkg: str) -> dict:
    from roadinfra.core.cadastre.overlay import overlay_corridors, reach
    from roadinfra.core.cadastre.sources import parcels_from_database, routes_from_database
    from roadinfra.core.db import open_database

    start = time.perf_counter()
    cpu = time.process_time()
    db = open_database(gpkg)
    routes, grades = routes_from_database(db)
    parcels = parcels_from_database(db, near=reach(routes, grades, db.profile))
    read = time.perf_counter() - start
    result = overlay_corridors(parcels, routes, grades, db.profile)
    db.close()
    pieces = result.pieces
    return {"seconds": time.perf_counter() - start, "cpu_s": time.process_time() - cpu,
            "read_s": read, "parcels_read": len(parcels),
            "pieces": len(pieces), "encroachments": len(result.encroachments),
            "area_by_zone": {z: float(g["area_in_m2"].sum()) for z, g in pieces.groupby("zone")}}


POSTGIS_QUERY = """
SELECT c.route, c.zone, p.id, ST_Area(ST_Intersection(p.geom, c.geom)) AS area_in,
       ST_Area(p.geom) AS area
FROM corridor c JOIN parcel p ON ST_Intersects(p.geom, c.geom)
"""


def run_postgis(url: str) -> dict:
    import psycopg2

    start = time.perf_counter()
    conn = psycopg2.connect(url)
    with conn.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
        server_cpu = -_cpu_of(backend)
        cur.execute(POSTGIS_QUERY)
        rows = cur.fetchall()
        server_cpu += _cpu_of(backend)
    conn.close()
    rows = [r for r in rows if r[3] >= MIN_PIECE_M2]
    area: dict = {}
    for _, zone, _, a, total in rows:
        area[zone] = area.get(zone, 0.0) + round(a, 2)
        _ = a / total  # the share, as the embedded path computes it
    return {"seconds": time.perf_counter() - start, "server_cpu_s": server_cpu,
            "pieces": len(rows), "area_by_zone": area}


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (the PostgreSQL backend: same machine)."""
    import os

    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
        out = run_embedded(args.gpkg)
    elif args.child == "postgis":
        out = run_postgis(args.url)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-baseline", action="store_true", help="skip (c) geopandas")
    parser.add_argument("--child", choices=("embedded", "postgis", "geopandas"))
    parser.add_argument("--gpkg")
    parser.add_argument("--url")
    parser.add_argument("--zones")
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
        pg_load = load_postgis(url, data["geoms"], data["attrs"], data["zones"])
        print("timing ...", file=sys.stderr)
        results = {"embedded": timed("embedded", args.repeat, gpkg=data["gpkg"]),
                   "postgis": timed("postgis", args.repeat, url=url)}
        if not args.no_baseline:
            results["geopandas"] = timed("geopandas", args.repeat, gpkg=data["gpkg"],
                                         zones=zones_file)
    finally:
        cluster.stop()
    a, b = results["embedded"], results["postgis"]
    agree = a["pieces"] == b["pieces"] and all(
        abs(a["area_by_zone"][z] - b["area_by_zone"].get(z, 0)) <= 1.0 + 1e-6 * v
        for z, v in a["area_by_zone"].items())
    report = {
        "machine": f"{platform.platform()}, Python {platform.python_version()}",
        "parcels": data["parcels"], "cell_m": data["cell_m"], "routes": data["routes"],
        "route_km": data["route_km"], "setup_insert_s": data["insert_s"],
        "postgis_load_s": round(pg_load, 1), "results": results, "agree": agree,
        "embedded_over_postgis": round(a["seconds"] / b["seconds"], 2),
    }
    if "geopandas" in results:
        report["geopandas_over_postgis"] = round(results["geopandas"]["seconds"]
                                                 / b["seconds"], 2)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
