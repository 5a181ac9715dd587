"""Benchmark: a 50-sheet plan atlas, RoadInfra's print against QGIS's own atlas export.

Builds the sample province (``core.sample_data``) in a temporary GeoPackage, plans it
(``core.planning.store.build_plan``) and stores a plan of ``--sheets - 1`` items, so that
one sheet per item plus the cover makes ``--sheets`` sheets. Then, in the same QGIS process,
best of ``--repeat``:

(a) QGIS's own atlas export: ``QgsLayoutExporter.exportToPdf(layout.atlas(), ...)`` of the
    very layout and layers RoadInfra prepared (template loaded, layers in memory);
(b) RoadInfra's print, whole: ``export_plan_atlas`` = read the plan and the layers from
    the database, cut the sheets, build the memory layers, load the template, and the same
    atlas export (written through the safe writer).

Runs (a) and (b) in turns; prints the time per sheet of both, their ratio and the PDF
size per sheet; ``--cli`` also times ``roadinfra print`` (a QGIS Python process started for
it). Run by hand (results go to docs/benchmarks.md):

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_atlas.py --sheets 50
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PROJ_DATA", "/usr/share/proj")

from qgis.core import Qgis, QgsApplication, QgsProject  # noqa: E402
from roadinfra.core.db import open_database  # noqa: E402
from roadinfra.core.planning.store import build_plan  # noqa: E402
from roadinfra.core.sample_data import build_demo_database  # noqa: E402

SYSTEM = ("id", "revision", "created_at", "created_by", "updated_at", "updated_by",
          "deleted_at")


def best_of(repeat: int, func) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def interleaved(repeat: int, *funcs) -> list:
    """Best time of each function, run in turns (a shared machine's load hits all alike)."""
    best = [float("inf")] * len(funcs)
    for _ in range(repeat):
        for n, func in enumerate(funcs):
            start = time.perf_counter()
            func()
            best[n] = min(best[n], time.perf_counter() - start)
    return best


def plan_of(database: Path, items: int) -> str:
    """Store a plan of the first ``items`` items of a fresh plan; return its code."""
    _, info = build_plan(database, 60e9, 2027, 5, method="greedy")
    with open_database(database) as db:
        rows = sorted(db.fetch("plan_item", where={"plan_id": info["plan_id"]}),
                      key=lambda r: r["priority"])
        if len(rows) < items:
            raise SystemExit(f"the sample plan has {len(rows)} items, fewer than {items}")
        plan = db.fetch("maintenance_plan", where={"id": info["plan_id"]})[0]
        with db.transaction():
            plan_id = db.insert("maintenance_plan", [{
                **{k: v for k, v in plan.items() if k not in SYSTEM},
                "code": f"MP-2027-B{items}", "name": f"Benchmark plan of {items} items"}])[0]
            db.insert("plan_item", [{**{k: v for k, v in row.items() if k not in SYSTEM},
                                     "plan_id": plan_id} for row in rows[:items]])
    return f"MP-2027-B{items}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=50)
    parser.add_argument("--template", choices=("a3", "a4"), default="a3")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cli", action="store_true", help="also time `roadinfra print`")
    args = parser.parse_args(argv)

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    from roadinfra.plugin.printing.plan_atlas import (
        export_layout_atlas,
        export_plan_atlas,
        prepare_atlas,
    )

    with tempfile.TemporaryDirectory(prefix="bench_atlas_") as tmp:
        folder = Path(tmp)
        database = folder / "tb.gpkg"
        build_demo_database(database)
        code = plan_of(database, args.sheets - 1)

        project = QgsProject()
        layout, atlas = prepare_atlas(project, database, code, "item", args.template)
        assert atlas.sheet_count == args.sheets, atlas.sheet_count
        qgis_pdf = folder / "qgis.pdf"
        ours_pdf = folder / "ours.pdf"
        qgis_s, ours_s = interleaved(
            args.repeat, lambda: export_layout_atlas(layout, qgis_pdf),
            lambda: export_plan_atlas(database, ours_pdf, code, "item", args.template))
        layout = None
        project.clear()
        cli_s = None
        if args.cli:
            cli_pdf = folder / "cli.pdf"
            cli_s = best_of(args.repeat, lambda: subprocess.run(
                [sys.executable, "-m", "roadinfra.core.cli", "print", "--db", str(database),
                 "--plan", code, "--by", "item", "--template", args.template, "--quiet",
                 "--out", str(cli_pdf)], check=True, capture_output=True))
        n = args.sheets
        print(f"{n} sheets ({args.template}), best of {args.repeat}; QGIS {Qgis.QGIS_VERSION}, "
              f"Python {platform.python_version()}, {platform.machine()}, "
              f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
        print(f"QGIS atlas export:        {qgis_s:7.2f} s  {1000 * qgis_s / n:6.1f} ms/sheet  "
              f"{qgis_pdf.stat().st_size / n / 1024:6.1f} KiB/sheet")
        print(f"RoadInfra export_plan_atlas: {ours_s:7.2f} s  {1000 * ours_s / n:6.1f} ms/sheet  "
              f"{ours_pdf.stat().st_size / n / 1024:6.1f} KiB/sheet  "
              f"({ours_s / qgis_s:.2f}x QGIS)")
        if cli_s is not None:
            print(f"roadinfra print (CLI):    {cli_s:7.2f} s  {1000 * cli_s / n:6.1f} ms/sheet "
                  "(includes starting QGIS)")
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
