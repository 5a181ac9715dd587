"""Run a QGIS job in a QGIS Python process of its own, without a display:

    python -m roadinfra.plugin.worker atlas --db TARGET --plan latest --by area \\
        --template a3 --lang vi --out FILE.pdf [--geospatial]
    python -m roadinfra.plugin.worker condition --db FILE.gpkg --lang vi --out FILE.pdf
    python -m roadinfra.plugin.worker overlay --db OVERLAY.gpkg [--profile thai_binh | \
        --profile-db TARGET] --lang vi --out FILE.pdf
    python -m roadinfra.plugin.worker project --db PACKAGE.gpkg --lang vi [--district CODE]

Run through :func:`roadinfra.core.qgis_worker.run_worker` by ``roadinfra print`` and
``roadinfra package`` (the CLI stays free of QGIS), the background task of the QGIS dialog
and the printing algorithms: the user's project and session are never touched, and this
process's own project starts empty (the condition map's styles need that). ``project``
stores the package's QGIS project in the package (:func:`plugin.sync.project.embed_project`,
the function every face uses). It writes ``progress N`` lines (0..100) and finally
``done ...`` on stdout (``done PAGES FOLDER`` for a print, FOLDER the Geospatial PDF sheets
or ``-``; ``done URI`` for a project); a user-fixable problem (QGIS missing included) is one
``error: ...`` line on stderr with exit code 2, and so is a bug in a job (an unexpected
exception: the line names it as such, its traceback precedes it); a cancel (SIGTERM) exit
code 130.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import traceback

JOBS = ("atlas", "condition", "overlay", "project")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="roadinfra-qgis-worker")
    parser.add_argument("job", choices=JOBS)
    parser.add_argument("--db", required=True)
    parser.add_argument("--plan", default="latest")
    parser.add_argument("--by", default="area")
    parser.add_argument("--template", default="a3")
    parser.add_argument("--lang", default="vi")
    parser.add_argument("--out")
    parser.add_argument("--geospatial", action="store_true")
    parser.add_argument("--district")
    parser.add_argument("--profile", default=None, help="overlay: the jurisdiction profile")
    parser.add_argument("--profile-db", default=None,
                        help="overlay: the database whose stored profile to use")
    return parser


def _error(message: str) -> int:
    print(f"error: {message.splitlines()[0] if message else 'failed'}", file=sys.stderr,
          flush=True)
    return 2


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.job != "project" and not args.out:
        return _error(f"{args.job}: --out is required")
    # started in a private folder (nothing there shadows a module); paths are the caller's
    os.chdir(os.environ.get("ROADINFRA_CALLER_CWD") or os.getcwd())
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PROJ_DATA", "/usr/share/proj")
    if not os.environ.get("XDG_RUNTIME_DIR"):
        os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="roadinfra-qgis-")
    try:
        from qgis.core import QgsApplication, QgsFeedback
    except ImportError as exc:
        return _error(f"QGIS is not installed for {sys.executable} "
                      f"(python3-qgis, or set ROADINFRA_QGIS_PYTHON): {exc}")

    from ..core.errors import Cancelled, RoadInfraError

    QgsApplication.setPrefixPath(os.environ.get("QGIS_PREFIX_PATH", "/usr"), True)
    app = QgsApplication([], False)
    app.initQgis()
    feedback = QgsFeedback()
    signal.signal(signal.SIGTERM, lambda *_: feedback.cancel())
    feedback.progressChanged.connect(lambda value: print(f"progress {value:.1f}", flush=True))
    try:
        done = _run(args, feedback)
    except Cancelled as exc:
        print(f"cancelled: {exc}", file=sys.stderr, flush=True)
        return 130
    except (RoadInfraError, OSError) as exc:
        return _error(str(exc) or repr(exc))
    except Exception as exc:  # noqa: BLE001 - a bug in the job: said as one, traceback kept
        traceback.print_exc(file=sys.stderr)
        return _error(f"{args.job}: unexpected error in RoadInfra (a bug; please report it): "
                      f"{type(exc).__name__}: {exc}")
    finally:
        app.exitQgis()
    print(f"done {done}", flush=True)
    return 0


def _run(args, feedback) -> str:
    """Do the job; the words of its ``done`` line."""
    if args.job == "project":
        from .sync.project import embed_project

        return embed_project(args.db, args.lang, default_district=args.district)
    if args.job == "condition":
        from .printing.condition_map import export_condition_map

        export_condition_map(args.db, args.out, lang=args.lang, feedback=feedback)
        return "1 0"
    if args.job == "overlay":  # --db: the overlay GeoPackage
        from .printing.overlay_map import export_overlay_map

        export_overlay_map(args.db, args.out, lang=args.lang, profile=_profile(args),
                           feedback=feedback)
        return "1 0"
    from .printing.plan_atlas import export_plan_atlas

    result = export_plan_atlas(args.db, args.out, plan=args.plan, by=args.by,
                               template=args.template, lang=args.lang,
                               geospatial=args.geospatial, feedback=feedback)
    return f"{result.pages} {result.geospatial or '-'}"


def _profile(args):
    """The overlay map's profile: the one stored in ``--profile-db`` (a database made with a
    profile file of its own), else ``--profile`` (an id or a file), else the default."""
    from ..core.profile import load_profile

    if not args.profile_db:
        return load_profile(args.profile)
    from ..core.db import open_database

    db = open_database(args.profile_db)
    try:
        return db.profile
    finally:
        db.close()


if __name__ == "__main__":
    sys.exit(main())
