"""``roadinfra:create_events``: an event table drawn on the calibrated routes as lines or
points (``lrs events``)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.lrs.events import place_events
from .... import field_types
from ...base import RoadInfraAlgorithm
from ...features import extended_fields, qgis_geometry, source_table, write_extended
from .route_input import RouteInput


class CreateEvents(RouteInput, RoadInfraAlgorithm):
    NAME = "create_events"
    DISPLAY_NAME = QT_TR_NOOP("Create events from chainage table")
    SHORT_HELP = QT_TR_NOOP(
        "Draws a table of events (route, from, to) as lines on the calibrated routes "
        "(dynamic segmentation), or as points (route, chainage) when no 'to' field is "
        "given. Offsets (m, left positive) move points sideways; a line runs from its start "
        "offset to its end offset. Chainages may be metres or text such as Km12+350. A row "
        "that cannot be placed keeps its attributes, no geometry and its reason in lrs_error."
    )
    INPUT = "INPUT"
    EVENT_ROUTE = "EVENT_ROUTE"
    FROM_FIELD = "FROM_FIELD"
    TO_FIELD = "TO_FIELD"
    OFFSET_FIELD = "OFFSET_FIELD"
    END_OFFSET_FIELD = "END_OFFSET_FIELD"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None) -> None:
        self.add_input_layer(self.tr("Event table"), self.INPUT)
        self.add_field_parameter(self.EVENT_ROUTE, self.tr("Route code field"))
        self.add_field_parameter(self.FROM_FIELD, self.tr("From (or point) chainage field"))
        self.add_field_parameter(self.TO_FIELD, self.tr(
            "To chainage field (empty: point events)"), optional=True)
        self.add_field_parameter(self.OFFSET_FIELD, self.tr(
            "Offset field (m, left positive; a line event's offset at its start)"),
            optional=True)
        self.add_field_parameter(self.END_OFFSET_FIELD, self.tr(
            "End offset field of line events (empty: the offset field)"), optional=True)
        self.add_route_parameters(posts_optional=True)
        self.add_table_output(self.OUTPUT, self.tr("Events"),
                              QgsProcessing.SourceType.TypeVectorAnyGeometry)

    def process(self, parameters, context, feedback) -> dict:
        network = self.network(parameters, context, feedback)
        source = self.input_source(parameters, self.INPUT, context)
        to_field = self.text(parameters, self.TO_FIELD, context)
        results = self.run_core(
            feedback, place_events, network.routes,
            source_table(source, feedback).to_dict("records"),
            self.parameterAsString(parameters, self.EVENT_ROUTE, context),
            self.parameterAsString(parameters, self.FROM_FIELD, context), to_field,
            self.text(parameters, self.OFFSET_FIELD, context),
            self.text(parameters, self.END_OFFSET_FIELD, context),
            network.keys.resolve, source.sourceName() or "events")
        fields = extended_fields(source.fields(), [("lrs_error", field_types.STRING)])
        sink, dest = self.sink(parameters, self.OUTPUT, context, fields,
                               QgsWkbTypes.Type.LineString if to_field else QgsWkbTypes.Type.Point,
                               self.grid(parameters, context))
        write_extended(sink, fields, source.getFeatures(), ([r.error] for r in results),
                       feedback, [qgis_geometry(r.geometry) for r in results])
        for result in results:
            if result.error:
                feedback.reportError(result.error)
        return {self.OUTPUT: dest}
