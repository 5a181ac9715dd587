"""``roadinfra:package``: take an area, a box or a route to a laptop as an offline
package (``roadinfra package``)."""

from __future__ import annotations

import json

from qgis.core import (
    QgsProcessingOutputFile,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.cli.cmd_package import store_project
from .....core.errors import Cancelled, RoadInfraError
from .....core.qgis_worker import QgisWorkerError
from .....core.sync import Scope, create_package, parse_bbox
from ....i18n import current_language
from ...base import RoadInfraAlgorithm

KINDS = ("area", "bbox", "route")


class Package(RoadInfraAlgorithm):
    """Copy part of the province into an offline package (GeoPackage)."""

    NAME = "package"
    DISPLAY_NAME = QT_TR_NOOP("Make offline package")
    SHORT_HELP = QT_TR_NOOP(
        "Copies the assets of a management area (code), a box (XMIN,YMIN,XMAX,YMAX in the "
        "provincial grid) or a route (code) with their inspections, surveys, element states, "
        "plan items and the lookups into a new GeoPackage for field work, and registers it "
        "on the server with the base a later sync merges against. The package carries a QGIS "
        "project with the same styles, forms and relations (relative paths, forms without "
        "Python, for QField too).")

    def initAlgorithm(self, config=None) -> None:
        self.add_database_parameter()
        self.addParameter(QgsProcessingParameterEnum(
            "KIND", self.tr("Take"), options=[self.tr("Management area"), self.tr("Box"),
                                               self.tr("Route")], defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            "VALUE", self.tr("Area code, box XMIN,YMIN,XMAX,YMAX or route code")))
        self.addParameter(QgsProcessingParameterString(
            "NAME", self.tr("Package name"), optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(
            "BASEMAP", self.tr("Basemap to clip to the package (GeoTIFF)"), optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("Package"), fileFilter="GeoPackage (*.gpkg)"))
        self.addOutput(QgsProcessingOutputFile("PACKAGE", self.tr("Package")))
        self.addOutput(QgsProcessingOutputString("SUMMARY", self.tr("Summary (JSON)")))

    def process(self, parameters, context, feedback) -> dict:
        kind = KINDS[self.parameterAsEnum(parameters, "KIND", context)]
        value = self.parameterAsString(parameters, "VALUE", context).strip()
        if not value:
            raise RoadInfraError(self.tr("Give the area code, the box or the route code"))
        scope = Scope("bbox", parse_bbox(value)) if kind == "bbox" else Scope(kind, value)
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        name = self.parameterAsString(parameters, "NAME", context).strip() or None
        raster = self.parameterAsRasterLayer(parameters, "BASEMAP", context)
        basemap = raster.source() if raster is not None else None
        result = self.run_core(feedback, create_package, self.database(parameters, context),
                               scope, out, name=name, basemap=basemap)
        feedback.pushInfo(self.tr("Packed {0} rows into {1}").format(
            sum(result["rows"].values()), result["package"]))
        for warning in result["warnings"]:  # made all the same: another login may sync it
            feedback.pushWarning(warning)
        for item in result["photos"]["problems"]:  # packed all the same: said, not hidden
            feedback.reportError(self.tr("Photo of {0} {1}: {2}: {3}").format(
                item["target_table"], item["target_id"], item["file"], item["problem"]),
                fatalError=False)
        try:  # in the QGIS worker, as roadinfra package does: the open project is not used
            result["project"] = store_project(result["package"], current_language(),
                                              value if kind == "area" else None,
                                              is_cancelled=feedback.isCanceled)
        except QgisWorkerError as exc:  # the package is made and registered: it stays
            result["project"] = None
            feedback.reportError(self.tr("QGIS project not stored in the package: {0}").format(
                str(exc).splitlines()[0]), False)
        except Cancelled:  # too late to undo: the package exists, registered on the server
            result["project"] = None
            feedback.reportError(self.tr(
                "Cancelled while storing the QGIS project: the package {0} is made and "
                "registered on the server, without its QGIS project; use it as it is or "
                "delete it").format(result["package"]), False)
        return {"PACKAGE": result["package"], "OUTPUT": result["package"],
                "SUMMARY": json.dumps(result, ensure_ascii=False)}
