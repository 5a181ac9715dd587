"""``roadinfra:cadastre_overlay``: parcels in the road-protection corridors, encroachments and
the land to acquire for widenings (``cadastre overlay``)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessing,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsProcessingUtils,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.cadastre.buildings import split_cad_layers, split_layer
from .....core.cadastre.corridor import parse_widening
from .....core.cadastre.outputs import DECISIONS_SHEET, write_tables
from .....core.cadastre.overlay import overlay_corridors
from ....cadastre.inputs import buildings_reader, overlay_inputs, overlay_tables
from ....cadastre.messages import overlay_notes, workbook_notes
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
        self.addParameter(QgsProcessingParameterString(
            "BUILDINGS_CAD_LAYERS", self.tr("CAD layers of a buildings drawing (DXF layers, "
                                            "DGN levels, separated by ',')"), optional=True))
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
        source = self.buildings_source(parameters, context)
        given = overlay_inputs(target, codes, widenings, source is not None)
        parcels = given.parcels
        advice = self.tr("give '{buildings}' as FILE|layername=NAME").format(
            buildings=self.tr("Buildings"))
        cad_layers = [c.strip() for c in self.parameterAsString(
            parameters, "BUILDINGS_CAD_LAYERS", context).split(",") if c.strip()]
        cad_advice = self.tr("give '{cad}'").format(
            cad=self.tr("CAD layers of a buildings drawing (DXF layers, DGN levels, "
                        "separated by ',')"))
        behind = (self.buildings_layer(parameters, context)
                  if source is not None and not isinstance(source, str) else None)
        buildings = (buildings_reader(source, feedback, advice, cad_layers, cad_advice,
                                      behind)(given.profile, given.area)
                     if source is not None else None)
        result = self.run_core(feedback, overlay_corridors, parcels, given.routes,
                               given.grades, given.profile, widenings, buildings,
                               every=given.every)
        if result.regulation is not None:  # the profile's citation of the widths
            feedback.pushInfo(result.regulation.line(current_language()))
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
                                           option=self.tr("Workbook"),
                                           lang=current_language(),
                                           notes=workbook_notes(result,
                                                                current_language()),
                                           extra={DECISIONS_SHEET: result.decisions}
                                           if buildings is not None else None))
        return out

    def checkParameterValues(self, parameters, context):  # noqa: N802 - QGIS API
        """As every algorithm's, with BUILDINGS given as ``FILE|cadlayer=NAME`` checked as
        the file (QGIS cannot load that form; :meth:`buildings_source` passes it on)."""
        value = parameters.get("BUILDINGS")
        if isinstance(value, str) and split_cad_layers(value) and \
                Path(split_layer(value)[0]).is_file():
            parameters = dict(parameters, BUILDINGS=split_layer(value)[0])
        return super().checkParameterValues(parameters, context)

    @staticmethod
    def buildings_layer(parameters, context):
        """The vector layer behind BUILDINGS (a layer, or its selected features), whose source
        says whether it is a drawing; None for none."""
        value = parameters.get("BUILDINGS")
        if isinstance(value, QgsProcessingFeatureSourceDefinition):
            value = value.source.staticValue()
        if isinstance(value, QgsVectorLayer):
            return value
        layer = (QgsProcessingUtils.mapLayerFromString(value, context)
                 if isinstance(value, str) and value else None)
        return layer if isinstance(layer, QgsVectorLayer) else None

    def buildings_source(self, parameters, context):
        """The buildings: a file path as given (``path|layername=NAME`` names the layer of a
        file with several; one not named is refused, naming them), else the layer or the
        selected features chosen; None when none."""
        value = parameters.get("BUILDINGS")
        if isinstance(value, str) and Path(split_layer(value)[0]).is_file() and \
                QgsProject.instance().mapLayer(value) is None:
            return value  # a file (maybe loaded by Processing from its first layer): as given
        return self.parameterAsSource(parameters, "BUILDINGS", context)
