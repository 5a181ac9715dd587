"""``roadinfra:cadastre_print_overlay``: the A3 PDF map of a corridor overlay, a thin wrapper
over :func:`roadinfra.plugin.printing.overlay_map.export_overlay_map`."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.labels import LANGUAGES
from ....printing.overlay_map import export_overlay_map
from ...base import RoadInfraAlgorithm


class PrintOverlayMap(RoadInfraAlgorithm):
    """A3 landscape PDF: land to acquire, encroachments, parcels in corridors, corridors."""

    NAME = "cadastre_print_overlay"
    DISPLAY_NAME = QT_TR_NOOP("Print corridor overlay map (PDF)")
    SHORT_HELP = QT_TR_NOOP(
        "Prints an A3 landscape PDF of a corridor overlay written as a GeoPackage (by "
        "'roadinfra cadastre overlay -o FILE.gpkg' or the overlay algorithm): the land to "
        "acquire for a widening, the encroachments, the parcels in the corridors and the "
        "corridors, with a legend, scale bar, north arrow, coordinate system, date and a table "
        "of parcels and areas per route, zone and widening."
    )

    def flags(self):
        # a fresh QgsProject and its layers are made and printed in the calling thread
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterFile(
            "OVERLAY", self.tr("Corridor overlay (GeoPackage)"), extension="gpkg"))
        self.add_profile_parameter()
        self.addParameter(QgsProcessingParameterEnum(
            "LANGUAGE", self.tr("Map language"),
            options=[self.tr("Vietnamese"), self.tr("English")], defaultValue=0))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("Overlay map (PDF)"), self.tr("PDF files (*.pdf)")))

    def process(self, parameters, context, feedback) -> dict:
        lang = LANGUAGES[self.parameterAsEnum(parameters, "LANGUAGE", context)]
        output = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        path = export_overlay_map(self.parameterAsFile(parameters, "OVERLAY", context), output,
                                  lang=lang, profile=self.profile(parameters, context),
                                  feedback=feedback)
        feedback.pushInfo(self.tr("Overlay map written to {path}").format(path=path))
        return {"OUTPUT": str(path)}
