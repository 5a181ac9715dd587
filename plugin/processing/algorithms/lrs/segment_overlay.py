"""``roadinfra:segment_overlay``: two event tables cut into homogeneous segments, drawn on
the routes when a routes layer is given (``lrs segment``)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterEnum,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.lrs.chainage_text import chainage_text
from .....core.lrs.overlay import segment_overlay
from ...base import RoadInfraAlgorithm
from ...features import frame_fields, qgis_geometry, source_table
from .route_input import RouteInput


class SegmentOverlay(RouteInput, RoadInfraAlgorithm):
    NAME = "segment_overlay"
    DISPLAY_NAME = QT_TR_NOOP("Segment overlay")
    SHORT_HELP = QT_TR_NOOP(
        "Cuts two event tables on the same routes (e.g. pavement sections and survey "
        "results) into homogeneous segments carrying the attributes of both (prefixed a_ "
        "and b_). Both tables use the same route, from and to field names. With a routes "
        "layer the segments are drawn as lines."
    )
    INPUT_A = "INPUT_A"
    INPUT_B = "INPUT_B"
    EVENT_ROUTE = "EVENT_ROUTE"
    FROM_FIELD = "FROM_FIELD"
    TO_FIELD = "TO_FIELD"
    HOW = "HOW"
    OUTPUT = "OUTPUT"
    HOWS = ("intersection", "union")

    def initAlgorithm(self, config=None) -> None:
        self.add_input_layer(self.tr("Event table A"), self.INPUT_A)
        self.add_input_layer(self.tr("Event table B"), self.INPUT_B)
        for name, label, default in (
            (self.EVENT_ROUTE, self.tr("Route code field"), "route"),
            (self.FROM_FIELD, self.tr("From chainage field"), "from_m"),
            (self.TO_FIELD, self.tr("To chainage field"), "to_m"),
        ):
            self.addParameter(QgsProcessingParameterString(name, label, defaultValue=default))
        self.addParameter(QgsProcessingParameterEnum(
            self.HOW, self.tr("Keep segments covered by"),
            options=[self.tr("both tables"), self.tr("either table")], defaultValue=0))
        self.add_route_parameters(posts_optional=True, routes_optional=True)
        self.add_table_output(self.OUTPUT, self.tr("Homogeneous segments"),
                              QgsProcessing.SourceType.TypeVectorAnyGeometry)

    def process(self, parameters, context, feedback) -> dict:
        tables, sources = {}, {}
        for key, prefix in ((self.INPUT_A, "a"), (self.INPUT_B, "b")):
            source = self.input_source(parameters, key, context)
            tables[prefix] = source_table(source, feedback)
            sources[prefix] = source.sourceName() or prefix
        network = None
        if self.parameterAsSource(parameters, self.ROUTES, context) is not None:
            network = self.network(parameters, context, feedback)
        from_field = self.parameterAsString(parameters, self.FROM_FIELD, context)
        to_field = self.parameterAsString(parameters, self.TO_FIELD, context)
        segments = self.run_core(
            feedback, segment_overlay, tables,
            self.parameterAsString(parameters, self.EVENT_ROUTE, context), from_field,
            to_field, self.HOWS[self.parameterAsEnum(parameters, self.HOW, context)],
            sources=sources, routes=network.routes if network else None,
            resolve=network.keys.resolve if network else None)
        frame = segments.frame.assign(
            from_km=[chainage_text(m) for m in segments.frame[from_field]],
            to_km=[chainage_text(m) for m in segments.frame[to_field]])
        lines = [qgis_geometry(g) for g in segments.lines] if network else None
        dest = self.write_table(
            parameters, self.OUTPUT, context, feedback, frame,
            frame_fields(frame, from_values=True),
            QgsWkbTypes.Type.LineString if network else QgsWkbTypes.Type.NoGeometry,
            self.grid(parameters, context), lines)
        return {self.OUTPUT: dest}
