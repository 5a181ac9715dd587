"""``roadinfra:sync``: send an offline package's changes and bring back the server's
(``roadinfra sync``)."""

from __future__ import annotations

import json

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.sync import sync_package
from ...base import RoadInfraAlgorithm


class Sync(RoadInfraAlgorithm):
    """Sync an offline package with the provincial database."""

    NAME = "sync"
    DISPLAY_NAME = QT_TR_NOOP("Sync offline package")
    SHORT_HELP = QT_TR_NOOP(
        "Merges the package's changes with the server's, field by field against the "
        "package's base, in one changeset: what only one side changed is taken, rules of the "
        "profile decide some fields, everything else is kept as a conflict for a person "
        "(Conflicts panel). The package then holds the server's rows. Safe to run again.")

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterFile(
            "PACKAGE", self.tr("Offline package"), extension="gpkg"))
        self.add_database_parameter()
        self.addOutput(QgsProcessingOutputNumber("CONFLICTS", self.tr("Open conflicts")))
        self.addOutput(QgsProcessingOutputString("REPORT", self.tr("Report (JSON)")))

    def process(self, parameters, context, feedback) -> dict:
        package = self.parameterAsFile(parameters, "PACKAGE", context)
        report = self.run_core(feedback, sync_package, package,
                               self.database(parameters, context))
        sent, got = report["sent"], report["received"]
        feedback.pushInfo(self.tr("Sent: {0} new, {1} changed, {2} deleted").format(
            sent["insert"], sent["update"], sent["delete"]))
        feedback.pushInfo(self.tr("Received: {0} new, {1} changed, {2} deleted").format(
            got["insert"], got["update"], got["delete"]))
        for item in report.get("derived", []):
            kind = item.get("kind", "kept")
            if kind == "kept":
                feedback.pushWarning(self.tr(
                    "{0} {1}, field {2}: kept {3}; RoadInfra derives {4}").format(
                    item["table"], item["code"], item["field"], item["kept"], item["derived"]))
            elif kind == "replaced":
                feedback.pushInfo(self.tr(
                    "{0} {1}, field {2}: {3} replaced by the derived {4}").format(
                    item["table"], item["code"], item["field"], item["kept"], item["derived"]))
            else:
                feedback.pushWarning(self.tr("{0} {1}, field {2}: not derived: {3}").format(
                    item["table"], item["code"], item["field"], item["message"]))
        for item in report["conflicts"] + report["refused"]:
            feedback.reportError(f"{item['table']} {item['code'] or item['row_id']}: "
                                 f"{item['message']}", fatalError=False)
        for item in report["photos"]["problems"]:
            feedback.reportError(self.tr("Photo of {0} {1}: {2}: {3}").format(
                item["target_table"], item["target_id"], item["file"], item["problem"]),
                fatalError=False)
        for item in (report["photos"].get("duplicates", [])
                     + report["photos"].get("discarded", [])):
            feedback.pushWarning(f"attachment {item['row_id']}: {item['message']}")
        for item in report.get("dropped", []):
            if item["table"] != "attachment":  # an attachment is listed as discarded
                feedback.pushWarning(item["message"])
        return {"CONFLICTS": report["open_conflicts"],
                "REPORT": json.dumps(report, ensure_ascii=False)}
