"""``roadinfra:calibrate_routes``: routes built from their pieces and calibrated on
kilometre posts, with every calibration issue (``lrs calibrate``)."""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsLineString,
    QgsProcessing,
    QgsProcessingParameterBoolean,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.lrs.chainage_text import chainage_text
from .....core.lrs.route import Route
from .... import field_types
from ....lrs.issue_layer import issue_feature, issue_fields
from ...base import RoadInfraAlgorithm
from ...features import fields_of, write_features
from .route_input import RouteInput

#: The fields of the calibrated routes output.
ROUTE_FIELDS = (("route", field_types.STRING), ("length_m", field_types.DOUBLE),
                ("start_m", field_types.DOUBLE), ("end_m", field_types.DOUBLE),
                ("start_km", field_types.STRING), ("end_km", field_types.STRING),
                ("posts_used", field_types.INT))


def measured_line(route: Route) -> QgsGeometry:
    """The route's line with its measures as M values."""
    xy = route.line.coords
    return QgsGeometry(QgsLineString([p[0] for p in xy], [p[1] for p in xy], [],
                                     [float(m) for m in route.vertex_measures()]))


class CalibrateRoutes(RouteInput, RoadInfraAlgorithm):
    NAME = "calibrate_routes"
    DISPLAY_NAME = QT_TR_NOOP("Calibrate routes")
    SHORT_HELP = QT_TR_NOOP(
        "Builds each route from its line pieces and calibrates its chainage on kilometre "
        "posts (piecewise linear between posts, extended beyond the end posts). Writes the "
        "routes with measures (M values) in the provincial grid and a layer of calibration "
        "issues: posts off the route, out of order, swapped or duplicated, posts without a "
        "measure or route, gaps and overlaps between route pieces, forks and parallel "
        "pieces left out of the measured line. Posts whose route matches no route stop the "
        "run."
    )
    STRICT = "STRICT"
    OUTPUT = "OUTPUT"
    ISSUES = "ISSUES"

    def initAlgorithm(self, config=None) -> None:
        self.add_route_parameters(posts_optional=False)
        self.addParameter(QgsProcessingParameterBoolean(
            self.STRICT, self.tr("Fail on any calibration error"), defaultValue=False))
        self.add_table_output(self.OUTPUT, self.tr("Calibrated routes"),
                              QgsProcessing.SourceType.TypeVectorLine)
        self.add_table_output(self.ISSUES, self.tr("Calibration issues"),
                              QgsProcessing.SourceType.TypeVectorPoint)

    def process(self, parameters, context, feedback) -> dict:
        network = self.network(parameters, context, feedback,
                               self.parameterAsBoolean(parameters, self.STRICT, context))
        crs = self.grid(parameters, context)
        fields = fields_of(ROUTE_FIELDS)
        sink, dest = self.sink(parameters, self.OUTPUT, context, fields,
                               QgsWkbTypes.Type.LineStringM, crs)

        def routes():
            for code, route in network.routes.items():
                feature = QgsFeature(fields)
                feature.setGeometry(measured_line(route))
                feature.setAttributes([
                    code, route.length, route.start_measure, route.end_measure,
                    chainage_text(route.start_measure), chainage_text(route.end_measure),
                    int(route.distances.size)])
                yield feature

        write_features(sink, routes(), feedback)
        ifields = issue_fields()
        isink, idest = self.sink(parameters, self.ISSUES, context, ifields, QgsWkbTypes.Type.Point,
                                 crs)
        write_features(isink, (issue_feature(i, ifields) for i in network.issues), feedback)
        return {self.OUTPUT: dest, self.ISSUES: idest}
