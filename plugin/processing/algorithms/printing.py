"""Maps and reports: the printed A3 condition map (PDF) of a provincial database, a thin
wrapper over :func:`roadinfra.plugin.printing.condition_map.export_condition_map`."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from ....core.errors import RoadInfraError
from ...printing.condition_map import export_condition_map
from ..base import RoadInfraAlgorithm

LANGUAGES = ("vi", "en")


class PrintConditionMap(RoadInfraAlgorithm):
    """A3 landscape PDF: pavement sections by PCI, bridges and culverts by condition, routes,
    weigh stations, legend, scale bar, north arrow and the condition summary table."""

    NAME = "print_condition_map"
    DISPLAY_NAME = QT_TR_NOOP("Print condition map (PDF)")
    GROUP = QT_TR_NOOP("Maps and reports")
    GROUP_ID = "maps_reports"
    SHORT_HELP = QT_TR_NOOP(
        "Prints an A3 landscape PDF map of the provincial database: pavement sections "
        "coloured by the PCI class of their latest survey, bridges and culverts by the "
        "condition of their latest inspection, routes and load-control stations, with a "
        "legend, scale bar, north arrow, coordinate system, date, data credits and a table "
        "of the condition summary (km per PCI class, structures per condition, overloaded "
        "share)."
    )

    DATABASE = "DATABASE"
    LANGUAGE = "LANGUAGE"
    OUTPUT = "OUTPUT"

    def flags(self):
        # a fresh QgsProject and its layers are made and printed in the calling thread
        return super().flags() | QgsProcessingAlgorithm.FlagNoThreading

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterFile(
            self.DATABASE, self.tr("Provincial database (GeoPackage)"), extension="gpkg"))
        self.addParameter(QgsProcessingParameterEnum(
            self.LANGUAGE, self.tr("Map language"),
            options=[self.tr("Vietnamese"), self.tr("English")], defaultValue=0))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Condition map (PDF)"), self.tr("PDF files (*.pdf)")))

    def processAlgorithm(self, parameters, context: QgsProcessingContext,
                         feedback: QgsProcessingFeedback) -> dict:
        database = self.parameterAsFile(parameters, self.DATABASE, context)
        lang = LANGUAGES[self.parameterAsEnum(parameters, self.LANGUAGE, context)]
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        try:
            path = export_condition_map(database, output, lang=lang, feedback=feedback)
        except RoadInfraError as exc:
            raise QgsProcessingException(str(exc)) from exc
        feedback.pushInfo(self.tr("Condition map written to {path}").format(path=path))
        return {self.OUTPUT: str(path)}
