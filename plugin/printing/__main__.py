"""Print the condition map headless: ``python -m roadinfra.plugin.printing DATABASE PDF``.

Starts a QgsApplication without a display (``QT_QPA_PLATFORM=offscreen``), initialises
Processing with a RoadInfra provider and runs ``roadinfra:print_condition_map``, the same
algorithm as the toolbox and ``qgis_process``. Prints the PDF path; exit 2 on a user error.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

QGIS_PREFIX = "/usr"
QGIS_PYTHON_PLUGINS = "/usr/share/qgis/python/plugins"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m roadinfra.plugin.printing",
        description="Print the A3 condition map (PDF) of a RoadInfra GeoPackage.")
    parser.add_argument("database", help="RoadInfra GeoPackage (e.g. output/thai_binh.gpkg)")
    parser.add_argument("pdf", help="PDF file to write (e.g. output/condition_map.pdf)")
    parser.add_argument("--lang", choices=("vi", "en"), default="vi", help="map language")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PROJ_DATA", "/usr/share/proj")
    if not os.environ.get("XDG_RUNTIME_DIR"):
        os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="roadinfra-xdg-")
    from qgis.core import QgsApplication, QgsProcessingException

    QgsApplication.setPrefixPath(QGIS_PREFIX, True)
    app = QgsApplication([], False)
    app.initQgis()
    status = 0
    try:
        if QGIS_PYTHON_PLUGINS not in sys.path:
            sys.path.append(QGIS_PYTHON_PLUGINS)
        import processing
        from processing.core.Processing import Processing

        from ..processing.provider import RoadInfraProvider

        Processing.initialize()
        provider = RoadInfraProvider()
        QgsApplication.processingRegistry().addProvider(provider)
        try:
            result = processing.run("roadinfra:print_condition_map", {
                "DATABASE": args.database, "LANGUAGE": 0 if args.lang == "vi" else 1,
                "OUTPUT": args.pdf})
            print(result["OUTPUT"])
        except QgsProcessingException as exc:
            print(f"roadinfra printing: error: {exc}", file=sys.stderr)
            status = 2
        finally:
            QgsApplication.processingRegistry().removeProvider(provider)
    finally:
        app.exitQgis()
    return status


if __name__ == "__main__":
    sys.exit(main())
