"""Linear referencing algorithms: calibrate routes, locate points, create events, overlay.

Each one reads QGIS layers into plain geometries and calls the same ``core.lrs`` functions
as the ``roadinfra lrs`` command: geometry is brought into the provincial grid by
``core.lrs.io.frame_to_grid`` (which refuses data in a wrong CRS) and results are written
in the grid CRS. Offsets: left of the route positive, right negative, looking towards
increasing chainage.
"""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsLineString,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TR_NOOP, QVariant

from ....core.errors import RoadInfraError
from ....core.lrs.chainage_text import chainage_text
from ....core.lrs.events import place_events
from ....core.lrs.io import frame_to_grid, parse_measure_columns
from ....core.lrs.locate import DEFAULT_MAX_OFFSET, locate_points, segment_line
from ....core.lrs.network import DEFAULT_TOLERANCE, build_network
from ....core.lrs.overlay import overlay_events
from ....core.profile import load_profile
from ...crs import grid_crs
from ...lrs.frames import source_frame, source_table
from ...lrs.issue_layer import issue_feature, issue_fields
from ...settings import PluginSettings
from ..base import RoadInfraAlgorithm

GROUP = QT_TR_NOOP("Linear referencing")
GROUP_ID = "lrs"


def _field_type(values) -> QVariant.Type:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return QVariant.LongLong
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                       for v in present):
        return QVariant.Double
    return QVariant.String


def _plain(value):
    """numpy scalars to Python ones; anything else that is not a number to text."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value if isinstance(value, (int, float)) else str(value)


def _profile():
    return load_profile(PluginSettings.load().profile or None)


class _RouteParameters:
    """Parameters and reading shared by the algorithms that need calibrated routes."""

    ROUTES = "ROUTES"
    ROUTE_FIELD = "ROUTE_FIELD"
    ROUTE_CODE = "ROUTE_CODE"
    POSTS = "POSTS"
    LABEL_FIELD = "LABEL_FIELD"
    MEASURE_FIELD = "MEASURE_FIELD"
    POST_ROUTE_FIELD = "POST_ROUTE_FIELD"
    START_FIELD = "START_FIELD"
    TOLERANCE = "TOLERANCE"

    def add_route_parameters(self, posts_optional: bool, routes_optional: bool = False) -> None:
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.ROUTES, self.tr("Routes (lines)"), [QgsProcessing.TypeVectorLine],
            optional=routes_optional))
        self.addParameter(QgsProcessingParameterField(
            self.ROUTE_FIELD, self.tr("Route code field (empty: the layer is one route)"),
            parentLayerParameterName=self.ROUTES, optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.ROUTE_CODE, self.tr("Route code when there is no route code field"),
            defaultValue="route"))
        self.addParameter(QgsProcessingParameterField(
            self.START_FIELD,
            self.tr("Route start measure field (used where a route has no usable post; "
                    "empty: start_m if present)"),
            parentLayerParameterName=self.ROUTES, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.POSTS, self.tr("Kilometre posts (points)"), [QgsProcessing.TypeVectorPoint],
            optional=posts_optional))
        self.addParameter(QgsProcessingParameterField(
            self.LABEL_FIELD, self.tr("Post label field (Km12)"),
            parentLayerParameterName=self.POSTS, optional=posts_optional))
        self.addParameter(QgsProcessingParameterField(
            self.MEASURE_FIELD,
            self.tr("Post measure field (metres or Km12+000; empty: from the label)"),
            parentLayerParameterName=self.POSTS, optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.POST_ROUTE_FIELD, self.tr("Post route code field"),
            parentLayerParameterName=self.POSTS, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.TOLERANCE, self.tr("Maximum distance of a post from its route (m)"),
            QgsProcessingParameterNumber.Double, defaultValue=DEFAULT_TOLERANCE, minValue=0.0))

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        try:
            return self.process(parameters, context, feedback)
        except RoadInfraError as exc:
            raise QgsProcessingException(str(exc)) from exc

    def calibrated_routes(self, parameters, context, feedback, strict: bool = False,
                          stop_on_unmatched: bool = True):
        """The calibrated :class:`~roadinfra.core.lrs.network.Network` of the parameters."""
        profile = _profile()
        routes_source = self.parameterAsSource(parameters, self.ROUTES, context)
        name = routes_source.sourceName() or "routes"
        posts_source = self.parameterAsSource(parameters, self.POSTS, context)
        posts_frame, pname = None, "posts"
        if posts_source is not None:
            pname = posts_source.sourceName() or "posts"
            if not self.parameterAsString(parameters, self.LABEL_FIELD, context):
                raise RoadInfraError(f"{pname}: choose the post label field")
            posts_frame = frame_to_grid(source_frame(posts_source), pname, profile)
        network = self.run_core(
            feedback, build_network, frame_to_grid(source_frame(routes_source), name, profile),
            posts_frame, routes_source=name, posts_source=pname,
            route_field=self._text(parameters, self.ROUTE_FIELD, context),
            route_code=self._text(parameters, self.ROUTE_CODE, context) or "route",
            label_field=self._text(parameters, self.LABEL_FIELD, context) or "label",
            measure_field=self._text(parameters, self.MEASURE_FIELD, context),
            post_route_field=self._text(parameters, self.POST_ROUTE_FIELD, context),
            start_field=self._text(parameters, self.START_FIELD, context),
            tolerance=self.parameterAsDouble(parameters, self.TOLERANCE, context),
            strict=strict, stop_on_unmatched=stop_on_unmatched)
        for issue in network.issues:
            if issue.severity == "error":
                feedback.reportError(f"{issue.route}: {issue.message}")
        return network

    def _text(self, parameters, name, context) -> str | None:
        return self.parameterAsString(parameters, name, context) or None


def _line_with_measures(route) -> QgsGeometry:
    import numpy as np

    xy = np.asarray(route.line.coords, dtype=float)
    dist = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    ms = route.measure_at(dist)
    return QgsGeometry(QgsLineString(list(xy[:, 0]), list(xy[:, 1]), [], [float(m) for m in ms]))


def _chainage(measure):
    return chainage_text(measure)


class CalibrateRoutes(_RouteParameters, RoadInfraAlgorithm):
    NAME = "calibrate_routes"
    DISPLAY_NAME = QT_TR_NOOP("Calibrate routes")
    GROUP = GROUP
    GROUP_ID = GROUP_ID
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
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Calibrated routes"), QgsProcessing.TypeVectorLine))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.ISSUES, self.tr("Calibration issues"), QgsProcessing.TypeVectorPoint))

    def process(self, parameters, context, feedback) -> dict:
        strict = self.parameterAsBoolean(parameters, self.STRICT, context)
        network = self.calibrated_routes(parameters, context, feedback, strict)
        crs = grid_crs(_profile())
        fields = QgsFields()
        for name, kind in (("route", QVariant.String), ("length_m", QVariant.Double),
                           ("start_m", QVariant.Double), ("end_m", QVariant.Double),
                           ("start_km", QVariant.String), ("end_km", QVariant.String),
                           ("posts_used", QVariant.Int)):
            fields.append(QgsField(name, kind))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          QgsWkbTypes.LineStringM, crs)
        for code, route in network.routes.items():
            f = QgsFeature(fields)
            f.setGeometry(_line_with_measures(route))
            f.setAttributes([code, route.length, route.start_measure, route.end_measure,
                             _chainage(route.start_measure), _chainage(route.end_measure),
                             int(route.distances.size)])
            sink.addFeature(f, QgsFeatureSink.FastInsert)
        ifields = issue_fields()
        isink, idest = self.parameterAsSink(parameters, self.ISSUES, context, ifields,
                                            QgsWkbTypes.Point, crs)
        for issue in network.issues:
            isink.addFeature(issue_feature(issue, ifields), QgsFeatureSink.FastInsert)
        return {self.OUTPUT: dest, self.ISSUES: idest}


class LocatePoints(_RouteParameters, RoadInfraAlgorithm):
    NAME = "locate_points"
    DISPLAY_NAME = QT_TR_NOOP("Locate points along routes")
    GROUP = GROUP
    GROUP_ID = GROUP_ID
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
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Points to locate"), [QgsProcessing.TypeVectorPoint]))
        self.addParameter(QgsProcessingParameterField(
            self.POINT_ROUTE_FIELD,
            self.tr("Point route field (locate on this route; empty value: nearest route)"),
            parentLayerParameterName=self.INPUT, optional=True))
        self.add_route_parameters(posts_optional=True)
        self.addParameter(QgsProcessingParameterNumber(
            self.MAX_OFFSET, self.tr("Maximum offset from a route (m)"),
            QgsProcessingParameterNumber.Double, defaultValue=DEFAULT_MAX_OFFSET, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Located points"), QgsProcessing.TypeVectorPoint))

    def process(self, parameters, context, feedback) -> dict:
        network = self.calibrated_routes(parameters, context, feedback)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        name = source.sourceName() or "points"
        frame = frame_to_grid(source_frame(source), name, _profile())
        bad = [k + 1 for k, g in enumerate(frame.geometry) if g is None or g.geom_type != "Point"]
        if bad:
            raise RoadInfraError(f"{name}: feature(s) {bad[:10]} are not single points")
        own_field = self._text(parameters, self.POINT_ROUTE_FIELD, context)
        own = network.keys.codes_for(frame[own_field]) if own_field else None
        found = self.run_core(feedback, locate_points, list(network.routes.values()),
                              [g.x for g in frame.geometry], [g.y for g in frame.geometry],
                              self.parameterAsDouble(parameters, self.MAX_OFFSET, context), own)
        fields = QgsFields(source.fields())
        for fname, kind in (("lrs_route", QVariant.String), ("lrs_measure", QVariant.Double),
                            ("lrs_chainage", QVariant.String), ("lrs_offset", QVariant.Double),
                            ("lrs_match", QVariant.String), ("lrs_error", QVariant.String)):
            fields.append(QgsField(fname, kind))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          source.wkbType(), source.sourceCrs())
        for k, (feature, loc) in enumerate(zip(source.getFeatures(), found)):
            out = QgsFeature(fields)
            out.setGeometry(feature.geometry())
            out.setAttributes(feature.attributes() + [
                loc.route, loc.measure, _chainage(loc.measure), loc.offset, loc.match,
                loc.error])
            sink.addFeature(out, QgsFeatureSink.FastInsert)
            if loc.error:
                feedback.reportError(f"{name} feature {k + 1}: {loc.error}")
        return {self.OUTPUT: dest}


class CreateEvents(_RouteParameters, RoadInfraAlgorithm):
    NAME = "create_events"
    DISPLAY_NAME = QT_TR_NOOP("Create events from chainage table")
    GROUP = GROUP
    GROUP_ID = GROUP_ID
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
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Event table"), [QgsProcessing.TypeVector]))
        self.addParameter(QgsProcessingParameterField(
            self.EVENT_ROUTE, self.tr("Route code field"), parentLayerParameterName=self.INPUT))
        self.addParameter(QgsProcessingParameterField(
            self.FROM_FIELD, self.tr("From (or point) chainage field"),
            parentLayerParameterName=self.INPUT))
        self.addParameter(QgsProcessingParameterField(
            self.TO_FIELD, self.tr("To chainage field (empty: point events)"),
            parentLayerParameterName=self.INPUT, optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.OFFSET_FIELD,
            self.tr("Offset field (m, left positive; a line event's offset at its start)"),
            parentLayerParameterName=self.INPUT, optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.END_OFFSET_FIELD,
            self.tr("End offset field of line events (empty: the offset field)"),
            parentLayerParameterName=self.INPUT, optional=True))
        self.add_route_parameters(posts_optional=True)
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Events"), QgsProcessing.TypeVectorAnyGeometry))

    def process(self, parameters, context, feedback) -> dict:
        network = self.calibrated_routes(parameters, context, feedback)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        name = source.sourceName() or "events"
        to_f = self._text(parameters, self.TO_FIELD, context)
        results = self.run_core(
            feedback, place_events, network.routes, source_table(source).to_dict("records"),
            self.parameterAsString(parameters, self.EVENT_ROUTE, context),
            self.parameterAsString(parameters, self.FROM_FIELD, context), to_f,
            self._text(parameters, self.OFFSET_FIELD, context),
            self._text(parameters, self.END_OFFSET_FIELD, context),
            network.keys.resolve, name)
        fields = QgsFields(source.fields())
        fields.append(QgsField("lrs_error", QVariant.String))
        geom_type = QgsWkbTypes.LineString if to_f else QgsWkbTypes.Point
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          geom_type, grid_crs(_profile()))
        for feature, result in zip(source.getFeatures(), results):
            out = QgsFeature(fields)
            out.setAttributes(feature.attributes() + [result.error])
            if result.geometry is not None:
                out.setGeometry(QgsGeometry.fromWkt(result.geometry.wkt))
            else:
                feedback.reportError(result.error)
            sink.addFeature(out, QgsFeatureSink.FastInsert)
        return {self.OUTPUT: dest}


class SegmentOverlay(_RouteParameters, RoadInfraAlgorithm):
    NAME = "segment_overlay"
    DISPLAY_NAME = QT_TR_NOOP("Segment overlay")
    GROUP = GROUP
    GROUP_ID = GROUP_ID
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
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT_A, self.tr("Event table A"), [QgsProcessing.TypeVector]))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT_B, self.tr("Event table B"), [QgsProcessing.TypeVector]))
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
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Homogeneous segments"), QgsProcessing.TypeVectorAnyGeometry))

    def process(self, parameters, context, feedback) -> dict:
        route_f = self.parameterAsString(parameters, self.EVENT_ROUTE, context)
        from_f = self.parameterAsString(parameters, self.FROM_FIELD, context)
        to_f = self.parameterAsString(parameters, self.TO_FIELD, context)
        tables = {}
        for key, prefix in ((self.INPUT_A, "a"), (self.INPUT_B, "b")):
            source = self.parameterAsSource(parameters, key, context)
            name = source.sourceName() or prefix
            tables[prefix] = parse_measure_columns(source_table(source), [from_f, to_f], name)
        how = self.HOWS[self.parameterAsEnum(parameters, self.HOW, context)]
        segments = self.run_core(feedback, overlay_events, tables, route_f, from_f, to_f, how)
        routes = keys = None
        if self.parameterAsSource(parameters, self.ROUTES, context) is not None:
            network = self.calibrated_routes(parameters, context, feedback)
            routes, keys = network.routes, network.keys
        fields = QgsFields()
        for col in segments.columns:
            fields.append(QgsField(col, _field_type([_plain(v) for v in segments[col]])))
        fields.append(QgsField("from_km", QVariant.String))
        fields.append(QgsField("to_km", QVariant.String))
        geom_type = QgsWkbTypes.LineString if routes else QgsWkbTypes.NoGeometry
        crs = grid_crs(_profile())
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, geom_type,
                                          crs)
        for _, row in segments.iterrows():
            out = QgsFeature(fields)
            values = [_plain(v) for v in row.tolist()]
            out.setAttributes(values + [_chainage(row[from_f]), _chainage(row[to_f])])
            if routes:
                code = keys.resolve(row[route_f])
                if code not in routes:
                    raise RoadInfraError(f"segment on unknown route {row[route_f]!r}")
                line = segment_line(routes[code], row[from_f], row[to_f])
                out.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(x, y)
                                                            for x, y in line.coords]))
            sink.addFeature(out, QgsFeatureSink.FastInsert)
        return {self.OUTPUT: dest}
