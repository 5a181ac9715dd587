"""Benchmark: syncing a package with 10,000 edited, 1,000 inserted and 100 deleted assets
into a real PostGIS, against the same changes as plain staged SQL.

Builds, in a throw-away PostgreSQL/PostGIS cluster (tests/support/pgcluster.py), the sample
province plus ``--assets`` synthetic culverts in one management area; makes a package of
that area; in the package edits ``--edits`` culverts (length and material), adds
``--inserts`` and deletes ``--deletes`` with plain SQL on the file (as QField or a script
writes it: the package's triggers capture it). Then times, in the same run and on two
identical copies of the server database:

(a) ``roadinfra sync`` (``core.sync.sync_package``): capture, three-way merge, apply
    through the database API (history, revision checks, row-level security), conflicts,
    changeset, and the package brought up to date;
(b) staged SQL: the same changes COPYed into a temporary table, then one UPDATE, one
    INSERT and one tombstoning UPDATE in one transaction (the server's triggers fire too).

Every side reads and writes as an editor login of the area (``roadinfra_editor``, its
``user_district`` row), as a crew does, never as the cluster's superuser: PostgreSQL does
not evaluate row-level security for a superuser (or a role with BYPASSRLS); the login and
its attributes are printed.

With ``--qgis-offline`` also (c): QGIS's own Offline Editing (``QgsOfflineEditing``) on a
third copy: the culvert layer taken offline, the same edits made through the layer's edit
buffer (a delete is a tombstone: RoadInfra refuses hard deletes), then its
``synchronize()`` timed. Also times packaging (``create_package`` in this running process,
no embedded QGIS project: not the ``roadinfra package`` command end to end) against
``ogr2ogr`` (its process start included) copying the same tables. QGIS's steps are
printed as they end (its synchronize() grows
about with the square of the edited features: each edit looks its feature up through the
edit buffer, which walks every feature already changed); ``--workdir /dev/shm`` puts both
sides' files on tmpfs (QGIS's commit of the edits into its offline file and edit log is
disk-bound: 2.8 s for 1,000 edits on disk, 0.1 s for 3,000 on tmpfs).
Run by hand (results go to docs/benchmarks.md):

    .venv/bin/python benchmarks/bench_sync.py --assets 11100 --edits 10000 --inserts 1000 \\
        --deletes 100 --qgis-offline --workdir /dev/shm
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roadinfra.core.db import create_database  # noqa: E402
from roadinfra.core.db.gpkg import connect  # noqa: E402
from roadinfra.core.sample_data import load_sample_data  # noqa: E402
from roadinfra.core.sync import Scope, create_package, sync_package  # noqa: E402
from shapely.affinity import translate  # noqa: E402

from tests.support.pgcluster import PgCluster  # noqa: E402

AREA = "340"


def editor_login(cluster: PgCluster, url: str) -> str:
    """A new login of the ``roadinfra_editor`` group for area AREA in database ``url`` (and
    the copies made from it afterwards); returns its name."""
    name = "bench_ed" + uuid.uuid4().hex[:8]
    cluster.execute(f'CREATE ROLE "{name}" LOGIN IN ROLE roadinfra_editor')  # name made here
    cluster.execute("INSERT INTO user_district (username, district_code) VALUES (%s, %s)",
                    dbname=url.rsplit("/", 1)[1], params=(name, AREA))
    return name


def login_attributes(url: str) -> str:
    """Who ``url`` logs in as, and whether row-level security applies to it."""
    pg = psycopg2.connect(url)
    with pg, pg.cursor() as cur:
        cur.execute("SELECT current_user, rolsuper, rolbypassrls FROM pg_roles "
                    "WHERE rolname = current_user")
        name, superuser, bypass = cur.fetchone()
    pg.close()
    assert not superuser and not bypass, name  # row-level security must apply
    return f"{name} (roadinfra_editor of area {AREA}; superuser: no, bypasses RLS: no)"


def synthetic_culverts(db, count: int) -> None:
    template = db.fetch("culvert", where={"district_code": AREA})[0]
    rows = []
    for i in range(count):
        rows.append({k: v for k, v in template.items()
                     if k not in ("id", "revision", "created_at", "created_by", "updated_at",
                                  "updated_by", "deleted_at")}
                    | {"code": f"CU-{AREA}-B{i:05d}", "length_m": 10.0 + (i % 40),
                       "geom": translate(template["geom"], (i % 100) * 3.0, (i // 100) * 3.0)})
    db.insert("culvert", rows, user="bench")


def edit_package(path: Path, edits: int, inserts: int, deletes: int) -> None:
    conn = connect(str(path))
    conn.execute("BEGIN")
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM culvert WHERE code LIKE ? ORDER BY code", (f"CU-{AREA}-B%",))]
    conn.executemany("UPDATE culvert SET length_m = length_m + 1.5, material = 'STEEL' "
                     "WHERE id = ?", [(i,) for i in ids[:edits]])
    template = conn.execute("SELECT route_id, geom FROM culvert WHERE id = ?",
                            (ids[0],)).fetchone()
    conn.executemany(
        "INSERT INTO culvert (code, district_code, route_id, culvert_type, material, "
        "length_m, geom) VALUES (?, ?, ?, 'PIPE', 'RC', 12.0, ?)",
        [(f"CU-{AREA}-N{i:05d}", AREA, template[0], template[1]) for i in range(inserts)])
    conn.executemany("DELETE FROM culvert WHERE id = ?",
                     [(i,) for i in ids[edits:edits + deletes]])
    conn.execute("COMMIT")
    conn.close()


def staged_sql(url: str, package: Path, edits: int, deletes: int) -> float:
    """The same changes as plain SQL: COPY into a temporary table, then set-based writes."""
    conn = connect(str(package))
    changed = conn.execute(
        "SELECT id, length_m, material FROM culvert WHERE code LIKE ? AND material = 'STEEL' "
        "AND deleted_at IS NULL", (f"CU-{AREA}-B%",)).fetchall()
    new = conn.execute("SELECT id, code, district_code, route_id, culvert_type, material, "
                       "length_m, hex(substr(geom, 9)) FROM culvert WHERE code LIKE ?",
                       (f"CU-{AREA}-N%",)).fetchall()
    gone = [r[0] for r in conn.execute(
        "SELECT row_id FROM change_log WHERE operation = 'DELETE'").fetchall()]
    conn.close()
    pg = psycopg2.connect(url)
    start = time.perf_counter()
    with pg, pg.cursor() as cur:
        cur.execute("CREATE TEMP TABLE s_upd (id uuid, length_m float8, material text) "
                    "ON COMMIT DROP")
        cur.copy_expert("COPY s_upd FROM STDIN", io.StringIO(
            "".join(f"{i}\t{v}\t{m}\n" for i, v, m in changed)))
        cur.execute("UPDATE culvert c SET length_m = s.length_m, material = s.material "
                    "FROM s_upd s WHERE c.id = s.id")
        cur.execute("CREATE TEMP TABLE s_ins (id uuid, code text, district_code text, "
                    "route_id uuid, culvert_type text, material text, length_m float8, "
                    "wkb text) ON COMMIT DROP")
        cur.copy_expert("COPY s_ins FROM STDIN", io.StringIO(
            "".join("\t".join(str(x) for x in r) + "\n" for r in new)))
        cur.execute("INSERT INTO culvert (id, code, district_code, route_id, culvert_type, "
                    "material, length_m, geom) SELECT id, code, district_code, route_id, "
                    "culvert_type, material, length_m, ST_SetSRID(ST_GeomFromWKB("
                    "decode(wkb, 'hex')), 9209) FROM s_ins")
        cur.execute("UPDATE culvert SET deleted_at = now() WHERE id = ANY(%s::uuid[])",
                    (gone,))
    elapsed = time.perf_counter() - start
    pg.close()
    assert len(changed) == edits and len(gone) == deletes, (len(changed), len(gone))
    return elapsed


def qgis_offline(url: str, folder: Path, edits: int, inserts: int, deletes: int) -> float:
    """(c) QGIS Offline Editing: take the culvert layer offline, edit, time synchronize()."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import (
        QgsApplication,
        QgsFeature,
        QgsOfflineEditing,
        QgsProject,
        QgsVectorLayer,
    )

    app = QgsApplication([], False)
    app.initQgis()
    clock = Phases("QGIS Offline Editing")
    project = QgsProject.instance()
    layer = QgsVectorLayer(f"{url_to_dsn(url)} key='id' srid=9209 type=Point "
                           'table="public"."culvert" (geom)', "culvert", "postgres")
    assert layer.isValid(), layer.error().summary()
    project.addMapLayer(layer)
    offline = QgsOfflineEditing()
    assert offline.convertToOfflineProject(str(folder), "offline.gpkg", [layer.id()], False,
                                           QgsOfflineEditing.GPKG)
    clock.done("convertToOfflineProject (taking the layer offline)")
    [layer] = project.mapLayers().values()  # now reading the offline copy
    fields = layer.fields()
    length, material, deleted = (fields.indexFromName(n) for n in
                                 ("length_m", "material", "deleted_at"))
    batch = sorted((f for f in layer.getFeatures() if str(f["code"]).startswith(
        f"CU-{AREA}-B")), key=lambda f: f["code"])
    template = batch[0]
    layer.startEditing()
    for feature in batch[:edits]:
        layer.changeAttributeValue(feature.id(), length, feature["length_m"] + 1.5)
        layer.changeAttributeValue(feature.id(), material, "STEEL")
    for feature in batch[edits:edits + deletes]:
        layer.changeAttributeValue(feature.id(), deleted, "2026-11-29T00:00:00Z")
    new = []
    for i in range(inserts):
        feature = QgsFeature(fields)
        feature.setGeometry(template.geometry())
        for name, value in (("code", f"CU-{AREA}-Q{i:05d}"), ("district_code", AREA),
                            ("route_id", template["route_id"]), ("culvert_type", "PIPE"),
                            ("material", "RC"), ("length_m", 12.0)):
            feature[name] = value
        new.append(feature)
    layer.addFeatures(new)
    clock.done("edits in the edit buffer")
    assert layer.commitChanges(), layer.commitErrors()
    clock.done("commitChanges (the offline file and QGIS's edit log)")
    start = time.perf_counter()
    offline.synchronize()
    elapsed = time.perf_counter() - start
    clock.done("synchronize()")
    project.clear()
    app.exitQgis()
    pg = psycopg2.connect(url)  # the baseline really applied the same changes
    with pg, pg.cursor() as cur:
        cur.execute("SELECT count(*) FILTER (WHERE material = 'STEEL' AND deleted_at IS NULL), "
                    "count(*) FILTER (WHERE code LIKE %s), count(*) FILTER (WHERE deleted_at "
                    "IS NOT NULL) FROM culvert", (f"CU-{AREA}-Q%",))
        found = cur.fetchone()
    pg.close()
    assert found == (edits, inserts, deletes), found
    return elapsed


class Phases:
    """Prints how long each step took, as it ends (a long run shows where it is)."""

    def __init__(self, name: str) -> None:
        self.name, self.last = name, time.perf_counter()

    def done(self, step: str) -> None:
        now = time.perf_counter()
        print(f"  {self.name}: {step} {now - self.last:.2f} s", file=sys.stderr, flush=True)
        self.last = now


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=11100)
    parser.add_argument("--edits", type=int, default=10000)
    parser.add_argument("--inserts", type=int, default=1000)
    parser.add_argument("--deletes", type=int, default=100)
    parser.add_argument("--qgis-offline", action="store_true",
                        help="also time QGIS's Offline Editing synchronisation")
    parser.add_argument("--package-only", action="store_true",
                        help="time only packaging against ogr2ogr, --repeat times each "
                             "(alternating), wall and CPU time")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--without-base", action="store_true",
                        help="analysis only (with --package-only): packages made without "
                             "their base and history entries and canonical JSON, the floor "
                             "of reading, converting and writing the rows in Python")
    parser.add_argument("--workdir", default=None,
                        help="folder for the packages and QGIS's offline files (default: a "
                             "temporary folder; e.g. /dev/shm puts both sides on tmpfs)")
    args = parser.parse_args(argv)
    cluster = PgCluster()
    cluster.start()
    try:
        with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
            tmp = Path(tmp)
            url = cluster.new_database()
            with create_database(url) as db:
                load_sample_data(db)
                synthetic_culverts(db, args.assets)
            editor = editor_login(cluster, url)  # before the copies: they carry its area

            def as_editor(database_url: str) -> str:
                return cluster.url(database_url.rsplit("/", 1)[1], user=editor)

            staged = url.rsplit("/", 1)[0] + "/" + "s_" + uuid.uuid4().hex[:10]
            cluster.execute(f'CREATE DATABASE "{staged.rsplit("/", 1)[1]}" TEMPLATE '
                            f'"{url.rsplit("/", 1)[1]}"')  # names made here
            qgis = url.rsplit("/", 1)[0] + "/" + "q_" + uuid.uuid4().hex[:10]
            if args.qgis_offline:
                cluster.execute(f'CREATE DATABASE "{qgis.rsplit("/", 1)[1]}" TEMPLATE '
                                f'"{url.rsplit("/", 1)[1]}"')  # names made here
            login = login_attributes(as_editor(url))
            print(f"login: {login}", flush=True)
            url, staged, qgis = as_editor(url), as_editor(staged), as_editor(qgis)
            if args.package_only:
                return package_only(url, tmp, args.repeat, args.without_base)
            pkg = tmp / "bench.gpkg"
            start = time.perf_counter()
            made = create_package(url, Scope("area", AREA), str(pkg))
            t_package = time.perf_counter() - start
            plain = tmp / "ogr2ogr.gpkg"
            start = time.perf_counter()
            subprocess.run(["ogr2ogr", "-f", "GPKG", str(plain), f"PG:{url_to_dsn(url)}",
                            *[t for t, n in made["rows"].items() if n]], check=True,
                           capture_output=True)
            t_ogr = time.perf_counter() - start
            edit_package(pkg, args.edits, args.inserts, args.deletes)
            copy = tmp / "staged.gpkg"
            copy.write_bytes(pkg.read_bytes())
            start = time.perf_counter()
            report = sync_package(str(pkg), url)
            t_sync = time.perf_counter() - start
            assert report["sent"] == {"insert": args.inserts, "update": args.edits,
                                      "delete": args.deletes}, report["sent"]
            t_staged = staged_sql(staged, copy, args.edits, args.deletes)
            t_qgis = None
            if args.qgis_offline:
                (tmp / "qgis").mkdir()
                t_qgis = qgis_offline(qgis, tmp / "qgis", args.edits, args.inserts,
                                      args.deletes)
    finally:
        cluster.stop()
    rows = sum(made["rows"].values())
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"python {platform.python_version()}, load average at the end "
          f"{os.getloadavg()[0]:.1f}; every side as login {login}")
    print(f"package {rows} rows: create_package (in process, no project) {t_package:.2f} s, "
          f"ogr2ogr "
          f"{t_ogr:.2f} s, ratio {t_package / t_ogr:.1f}x")
    print(f"sync {args.edits} edited + {args.inserts} inserted + {args.deletes} deleted: "
          f"roadinfra sync {t_sync:.2f} s, staged SQL {t_staged:.2f} s, ratio "
          f"{t_sync / t_staged:.1f}x")
    if t_qgis is not None:
        print(f"QGIS Offline Editing synchronize(): {t_qgis:.2f} s; roadinfra sync takes "
              f"1/{t_qgis / t_sync:.0f} of it")
    return 0


def package_only(url: str, tmp: Path, repeat: int, without_base: bool) -> int:
    """Packaging against ogr2ogr, alternating, ``repeat`` times each: wall time and CPU
    time (this process's for the package, the ogr2ogr child's; the server's excluded from
    both)."""
    import resource

    from roadinfra.core.sync import bulk, package

    if without_base:  # the floor: no canonical JSON, no base, no history entries
        bulk.dumps = lambda value: "{}"
        package.write_base = lambda db, entries: None
        package.log_checkout = lambda db, source, login: None
    ours, theirs = [], []
    for i in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        made = create_package(url, Scope("area", AREA), str(tmp / f"p{i}.gpkg"))
        ours.append((time.perf_counter() - start, time.process_time() - cpu))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(["ogr2ogr", "-f", "GPKG", str(tmp / f"o{i}.gpkg"),
                        f"PG:{url_to_dsn(url)}", *[t for t, n in made["rows"].items() if n]],
                       check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        theirs.append((time.perf_counter() - start, after.ru_utime + after.ru_stime
                       - before.ru_utime - before.ru_stime))
    rows = sum(made["rows"].values())
    print(f"load average {os.getloadavg()[0]:.1f}; package {rows} rows"
          + (" WITHOUT base/history/JSON (analysis)" if without_base else ""))
    for i, ((wall, cpu), (owall, ocpu)) in enumerate(zip(ours, theirs), 1):
        print(f"run {i}: create_package {wall:.2f} s (CPU {cpu:.2f}), ogr2ogr {owall:.2f} s "
              f"(CPU {ocpu:.2f}), ratio {wall / owall:.2f} (CPU {cpu / ocpu:.2f})")
    best, obest = min(w for w, _ in ours), min(w for w, _ in theirs)
    print(f"best of {repeat}: {best:.2f} s against {obest:.2f} s, ratio {best / obest:.2f}")
    return 0


def url_to_dsn(url: str) -> str:
    """postgresql://user@host:port/db -> libpq key/value string for GDAL's PG: driver."""
    rest = url.split("://", 1)[1]
    user, _, hostpart = rest.rpartition("@")
    hostport, _, dbname = hostpart.partition("/")
    host, _, port = hostport.partition(":")
    return f"host={host} port={port} dbname={dbname} user={user}"


if __name__ == "__main__":
    sys.exit(main())
