"""Print in a QGIS Python process of its own, without a display:

    python -m roadinfra.plugin.printing.worker atlas --db TARGET --plan latest --by area \\
        --template a3 --lang vi --out FILE.pdf [--geospatial]
    python -m roadinfra.plugin.printing.worker condition --db FILE.gpkg --lang vi --out FILE.pdf
    python -m roadinfra.plugin.printing.worker overlay --db OVERLAY.gpkg --profile thai_binh \
        --lang vi --out FILE.pdf

Run through :func:`roadinfra.core.printing.worker_process.run_worker` by ``roadinfra print``
(the CLI stays free of QGIS), the background task of the QGIS dialog and the printing
algorithms: the user's project and session are never touched, and this process's own
project starts empty (the condition map's styles need that). It writes ``progress N`` lines
(0..100) and finally ``done PAGES FOLDER`` on stdout (FOLDER: the Geospatial PDF sheets,
``-`` for none); a user-fixable problem is one ``error: ...`` line on stderr with exit code
2, a cancel (SIGTERM) exit code 130.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="roadinfra-print-worker")
    parser.add_argument("job", choices=("atlas", "condition", "overlay"))
    parser.add_argument("--db", required=True)
    parser.add_argument("--plan", default="latest")
    parser.add_argument("--by", default="area")
    parser.add_argument("--template", default="a3")
    parser.add_argument("--lang", default="vi")
    parser.add_argument("--out", required=True)
    parser.add_argument("--geospatial", action="store_true")
    parser.add_argument("--profile", default=None, help="overlay: the jurisdiction profile")
    return parser


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PROJ_DATA", "/usr/share/proj")
    if not os.environ.get("XDG_RUNTIME_DIR"):
        os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="roadinfra-print-")
    from qgis.core import QgsApplication, QgsFeedback

    from ...core.errors import Cancelled, RoadInfraError
    from ...core.profile import load_profile
    from .condition_map import export_condition_map
    from .overlay_map import export_overlay_map
    from .plan_atlas import export_plan_atlas

    QgsApplication.setPrefixPath(os.environ.get("QGIS_PREFIX_PATH", "/usr"), True)
    app = QgsApplication([], False)
    app.initQgis()
    feedback = QgsFeedback()
    signal.signal(signal.SIGTERM, lambda *_: feedback.cancel())
    feedback.progressChanged.connect(lambda value: print(f"progress {value:.1f}", flush=True))
    try:
        if args.job == "condition":
            export_condition_map(args.db, args.out, lang=args.lang, feedback=feedback)
            print("done 1 0", flush=True)
            return 0
        if args.job == "overlay":  # --db: the overlay GeoPackage
            export_overlay_map(args.db, args.out, lang=args.lang,
                               profile=load_profile(args.profile), feedback=feedback)
            print("done 1 0", flush=True)
            return 0
        result = export_plan_atlas(args.db, args.out, plan=args.plan, by=args.by,
                                   template=args.template, lang=args.lang,
                                   geospatial=args.geospatial, feedback=feedback)
    except Cancelled as exc:
        print(f"cancelled: {exc}", file=sys.stderr, flush=True)
        return 130
    except RoadInfraError as exc:
        print(f"error: {str(exc).splitlines()[0] if str(exc) else exc!r}", file=sys.stderr,
              flush=True)
        return 2
    finally:
        app.exitQgis()
    print(f"done {result.pages} {result.geospatial or '-'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
