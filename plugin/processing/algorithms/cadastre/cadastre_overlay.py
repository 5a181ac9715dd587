"""``roadinfra:cadastre_overlay``: parcels in the road-protection corridors, encroachments and
the land to acquire for widenings (``cadastre overlay``)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.cadastre.corridor import parse_widening
from .....core.cadastre.outputs import write_tables
from .....core.cadastre.overlay import overlay_corridors
from ....cadastre.inputs import buildings_reader, overlay_inputs, overlay_tables
from ....cadastre.messages import overlay_notes
from ....i18n import current_language
from ...base import RoadInfraAlgorithm
from .parcel_input import ParcelInput

OUTPUTS = (("CORRIDOR_PARCELS", QT_TR_NOOP("Parcels in corridors"), "pieces"),
           ("ENCROACHMENT", QT_TR_NOOP("Encroachments"), "encroachments"),
           ("ACQUISITION", QT_TR_NOOP("Land acquisition"), "acquisition"),
           ("CORRIDORS", QT_TR_NOOP("Corridors"), "corridors"))


class OverlayCorridors(ParcelInput, RoadInfraAlgorithm):
    """The database's parcels against its routes' corridors and planned widenings."""

    NAME = "cadastre_overlay"
    DISPLAY_NAME = QT_TR_NOOP("Overlay parcels on road corridors")
    SHORT_HELP = QT_TR_NOOP(
        "Draws the road-protection corridor of each route of the provincial database from "
        "its road grade and the profile's widths (road land and safety corridor), and planned "
        "widenings (route:from-to:width, e.g. DT455:Km12+000-Km13+500:24, separated by ';'). "
        "Lists the parcels inside with the area and share inside and the Km range along the "
        "route, the encroachments (built-up land use, or the buildings given), and the land "
        "to acquire for each widening; optionally also as an XLSX workbook."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_database_parameter()
        self.addParameter(QgsProcessingParameterString(
            "ROUTES", self.tr("Routes (codes separated by ','; empty: all)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            "WIDENINGS", self.tr("Planned widenings (route:from-to:width; ...)"),
            optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "BUILDINGS", self.tr("Buildings"), [QgsProcessing.SourceType.TypeVectorPolygon],
            optional=True))
        for name, label, _ in OUTPUTS:
            self.add_layer_output(name, self.tr(label))
        self.addParameter(QgsProcessingParameterFileDestination(
            "XLSX", self.tr("Workbook"), fileFilter="XLSX (*.xlsx)", optional=True))
        self.addOutput(QgsProcessingOutputNumber("PIECES", self.tr("Parcel parts in corridors")))

    def process(self, parameters, context, feedback) -> dict:
        target = self.database(parameters, context)
        codes = [c.strip() for c in self.parameterAsString(parameters, "ROUTES", context)
                 .split(",") if c.strip()]
        widenings = [parse_widening(w) for w in self.parameterAsString(
            parameters, "WIDENINGS", context).split(";") if w.strip()]
        source = self.parameterAsSource(parameters, "BUILDINGS", context)
        parcels, routes, grades, profile = overlay_inputs(target, codes, widenings,
                                                          source is not None)
        buildings = (buildings_reader(source, feedback)(profile) if source is not None
                     else None)
        result = self.run_core(feedback, overlay_corridors, parcels, routes, grades, profile,
                               widenings, buildings)
        for note in overlay_notes(result, current_language()):  # gaps, buildings beyond
            feedback.pushWarning(note)
        out = {"PIECES": len(result.pieces)}
        for name, _, attr in OUTPUTS:
            out[name] = self.write_layer(parameters, name, context, feedback,
                                         getattr(result, attr), parcels.crs)
        xlsx = self.parameterAsFileOutput(parameters, "XLSX", context)
        if xlsx:
            out["XLSX"] = str(write_tables(overlay_tables(result), xlsx,
                                           inputs=[target.split("|", 1)[0]],
                                           option=self.tr("Workbook")))
        return out
