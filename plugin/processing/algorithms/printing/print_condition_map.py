"""``roadinfra:print_condition_map``: the A3 condition map (PDF) of a provincial GeoPackage,
a thin wrapper over :func:`roadinfra.plugin.printing.condition_map.export_condition_map`.
Headless: ``qgis_process.bin run roadinfra:print_condition_map -- DATABASE=... OUTPUT=...``
(``scripts/demo.sh``)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.labels import LANGUAGES
from ....printing.condition_map import export_condition_map
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

    def flags(self):
        # a fresh QgsProject and its layers are made and printed in the calling thread
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

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
        path = export_condition_map(self.database(parameters, context), output, lang=lang,
                                    feedback=feedback)
        feedback.pushInfo(self.tr("Condition map written to {path}").format(path=path))
        return {"OUTPUT": str(path)}
