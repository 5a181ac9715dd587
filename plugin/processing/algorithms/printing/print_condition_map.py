"""``roadinfra:print_condition_map``: the A3 condition map (PDF) of a provincial GeoPackage,
printed by :func:`roadinfra.plugin.printing.condition_map.export_condition_map` in a QGIS
Python process of its own (``plugin/worker.py`` through ``run_worker``): the open
project may hold anything and is not changed. Headless: ``qgis_process.bin run
roadinfra:print_condition_map -- DATABASE=... OUTPUT=...`` (``scripts/demo.sh``)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.labels import LANGUAGES
from .....core.qgis_worker import run_worker
from ...base import RoadInfraAlgorithm


class PrintConditionMap(RoadInfraAlgorithm):
    """A3 landscape PDF: pavement sections by PCI, bridges and culverts by condition, routes,
    weigh stations, legend, scale bar, north arrow and the condition summary table."""

    NAME = "print_condition_map"
    DISPLAY_NAME = QT_TR_NOOP("Print condition map (PDF)")
    SHORT_HELP = QT_TR_NOOP(
        "Prints an A3 landscape PDF map of the provincial database: pavement sections "
        "coloured by the PCI class of their latest survey, bridges and culverts by the "
        "condition of their latest inspection, routes and load-control stations, with a "
        "legend, scale bar, north arrow, coordinate system, date, data credits and a table "
        "of the condition summary (km per PCI class, structures per condition, overloaded "
        "share)."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_database_parameter(gpkg_only=True)
        self.addParameter(QgsProcessingParameterEnum(
            "LANGUAGE", self.tr("Map language"),
            options=[self.tr("Vietnamese"), self.tr("English")], defaultValue=0))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("Condition map (PDF)"), self.tr("PDF files (*.pdf)")))

    def process(self, parameters, context, feedback) -> dict:
        lang = LANGUAGES[self.parameterAsEnum(parameters, "LANGUAGE", context)]
        output = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        run_worker(["condition", "--db", self.database(parameters, context), "--lang", lang,
                    "--out", output], progress=feedback.setProgress,
                   is_cancelled=feedback.isCanceled, where=output)
        path = output
        feedback.pushInfo(self.tr("Condition map written to {path}").format(path=path))
        return {"OUTPUT": str(path)}
