"""``roadinfra:locate_points``: route, measure, chainage and offset of each point
(``lrs locate``)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterNumber,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.lrs.chainage_text import chainage_text
from .....core.lrs.locate import DEFAULT_MAX_OFFSET, locate_frame
from .... import field_types
from ...base import RoadInfraAlgorithm
from ...features import extended_fields, write_extended
from .route_input import RouteInput

#: The fields added to each point.
LOCATION_FIELDS = (("lrs_route", field_types.STRING), ("lrs_measure", field_types.DOUBLE),
                   ("lrs_chainage", field_types.STRING), ("lrs_offset", field_types.DOUBLE),
                   ("lrs_match", field_types.STRING), ("lrs_error", field_types.STRING))


class LocatePoints(RouteInput, RoadInfraAlgorithm):
    NAME = "locate_points"
    DISPLAY_NAME = QT_TR_NOOP("Locate points along routes")
    SHORT_HELP = QT_TR_NOOP(
        "Adds route code, measure (m), chainage (Km12+350) and offset (m, left of the route "
        "positive, right negative) to each point: on the point's own route when a point "
        "route field is chosen and filled, else on the nearest route within the maximum "
        "offset; lrs_match says which, lrs_error why a point was not located. Routes are "
        "calibrated on kilometre posts if given."
    )
    INPUT = "INPUT"
    POINT_ROUTE_FIELD = "POINT_ROUTE_FIELD"
    MAX_OFFSET = "MAX_OFFSET"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None) -> None:
        self.add_input_layer(self.tr("Points to locate"), self.INPUT,
                             [QgsProcessing.SourceType.TypeVectorPoint])
        self.add_field_parameter(self.POINT_ROUTE_FIELD, self.tr(
            "Point route field (locate on this route; empty value: nearest route)"),
            optional=True)
        self.add_route_parameters(posts_optional=True)
        self.addParameter(QgsProcessingParameterNumber(
            self.MAX_OFFSET, self.tr("Maximum offset from a route (m)"),
            QgsProcessingParameterNumber.Type.Double, defaultValue=DEFAULT_MAX_OFFSET,
            minValue=0.0))
        self.add_table_output(self.OUTPUT, self.tr("Located points"),
                              QgsProcessing.SourceType.TypeVectorPoint)

    def process(self, parameters, context, feedback) -> dict:
        network = self.network(parameters, context, feedback)
        points, name = self.grid_frame(parameters, self.INPUT, context, feedback, "points")
        found = self.run_core(
            feedback, locate_frame, network, points, name,
            self.parameterAsDouble(parameters, self.MAX_OFFSET, context),
            self.text(parameters, self.POINT_ROUTE_FIELD, context))
        source = self.input_source(parameters, self.INPUT, context)
        fields = extended_fields(source.fields(), LOCATION_FIELDS)
        sink, dest = self.sink(parameters, self.OUTPUT, context, fields, source.wkbType(),
                               source.sourceCrs())
        write_extended(sink, fields, source.getFeatures(),
                       ([loc.route, loc.measure, chainage_text(loc.measure), loc.offset,
                         loc.match, loc.error] for loc in found), feedback)
        for k, loc in enumerate(found):
            if loc.error:
                feedback.reportError(f"{name} feature {k + 1}: {loc.error}")
        return {self.OUTPUT: dest}
