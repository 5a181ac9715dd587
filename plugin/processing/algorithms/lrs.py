"""Linear referencing algorithms: calibrate routes, locate points, create events, overlay.

Each one reads QGIS layers into plain geometries and calls the same ``core.lrs`` functions
as the ``roadinfra lrs`` command: geometry is brought into the provincial grid by
``core.lrs.io.frame_to_grid`` (which refuses data in a wrong CRS) and results are written
in the grid CRS. Offsets: left of the route positive, right negative, looking towards
increasing chainage.
"""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
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
from shapely import wkb

from ....core.chainage import format_chainage
from ....core.errors import RoadInfraError
from ....core.lrs.calibrate import calibrate_routes
from ....core.lrs.io import (
    frame_to_grid,
    parse_measure_columns,
    posts_from_frame,
    routes_from_frame,
)
from ....core.lrs.locate import locate_points, point_at, segment_line
from ....core.lrs.overlay import overlay_events
from ....core.profile import load_profile
from ...crs import grid_crs
from ...settings import PluginSettings
from ..base import RoadInfraAlgorithm

GROUP = QT_TR_NOOP("Linear referencing")
GROUP_ID = "lrs"


def _value(v):
    if v is None or (isinstance(v, QVariant) and v.isNull()):
        return None
    return v


def _shapely(geometry: QgsGeometry):
    if geometry is None or geometry.isNull() or geometry.isEmpty():
        return None
    g = QgsGeometry(geometry)
    g.get().dropMValue()
    g.get().dropZValue()
    return wkb.loads(bytes(g.asWkb()))


def source_table(source) -> pd.DataFrame:
    """A feature source's attributes as a DataFrame (NULL -> None)."""
    names = source.fields().names()
    records = [[_value(v) for v in f.attributes()] for f in source.getFeatures()]
    return pd.DataFrame.from_records(records, columns=names)


def source_frame(source) -> gpd.GeoDataFrame:
    """A feature source as a GeoDataFrame in its declared CRS (None if it has none)."""
    geoms = [_shapely(f.geometry()) for f in source.getFeatures()]
    crs = source.sourceCrs()
    declared = None
    if crs.isValid():
        declared = crs.authid() if crs.authid().upper().startswith("EPSG:") else crs.toWkt()
    return gpd.GeoDataFrame(source_table(source), geometry=geoms, crs=declared)


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
            QgsProcessingParameterNumber.Double, defaultValue=20.0, minValue=0.0))

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        try:
            return self.process(parameters, context, feedback)
        except RoadInfraError as exc:
            raise QgsProcessingException(str(exc)) from exc

    def calibrated_routes(self, parameters, context, feedback, strict: bool = False):
        profile = _profile()
        routes_source = self.parameterAsSource(parameters, self.ROUTES, context)
        code = self.parameterAsString(parameters, self.ROUTE_CODE, context) or "route"
        route_field = self.parameterAsString(parameters, self.ROUTE_FIELD, context) or None
        name = routes_source.sourceName() or "routes"
        routes = routes_from_frame(frame_to_grid(source_frame(routes_source), name,
                                                 profile), route_field, name, code)
        posts = {}
        posts_source = self.parameterAsSource(parameters, self.POSTS, context)
        if posts_source is not None:
            pname = posts_source.sourceName() or "posts"
            label = self.parameterAsString(parameters, self.LABEL_FIELD, context)
            if not label:
                raise RoadInfraError(f"{pname}: choose the post label field")
            posts = posts_from_frame(
                frame_to_grid(source_frame(posts_source), pname, profile), label,
                self.parameterAsString(parameters, self.MEASURE_FIELD, context) or None,
                self.parameterAsString(parameters, self.POST_ROUTE_FIELD, context) or None,
                pname, code)
        tolerance = self.parameterAsDouble(parameters, self.TOLERANCE, context)
        return self.run_core(feedback, calibrate_routes, routes, posts, tolerance,
                             strict=strict)


def _line_with_measures(route) -> QgsGeometry:
    import numpy as np

    xy = np.asarray(route.line.coords, dtype=float)
    dist = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    ms = route.measure_at(dist)
    return QgsGeometry(QgsLineString(list(xy[:, 0]), list(xy[:, 1]), [], [float(m) for m in ms]))


def _offset(row, field: str | None, where: str) -> float:
    """Offset of a point event; NULL (NaN once in pandas), blank or no field: on the route."""
    value = row[field] if field else None
    if value is None or (isinstance(value, str) and not value.strip()) or pd.isna(value):
        return 0.0
    try:
        offset = float(value.strip().replace(",", ".") if isinstance(value, str) else value)
    except ValueError:
        offset = math.nan
    if not math.isfinite(offset):
        raise RoadInfraError(f"{where} field {field}: offset {value!r} is not a number of metres")
    return offset


def _chainage(measure: float):
    return format_chainage(measure) if measure is not None and measure >= 0 else None


class CalibrateRoutes(_RouteParameters, RoadInfraAlgorithm):
    NAME = "calibrate_routes"
    DISPLAY_NAME = QT_TR_NOOP("Calibrate routes")
    GROUP = GROUP
    GROUP_ID = GROUP_ID
    SHORT_HELP = QT_TR_NOOP(
        "Builds each route from its line pieces and calibrates its chainage on kilometre "
        "posts (piecewise linear between posts, extended beyond the end posts). Writes the "
        "routes with measures (M values) in the provincial grid and a layer of calibration "
        "issues: posts off the route, out of order or with decreasing measures, gaps and "
        "overlaps between route pieces."
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
        routes, issues = self.calibrated_routes(parameters, context, feedback, strict)
        crs = grid_crs(_profile())
        fields = QgsFields()
        for name, kind in (("route", QVariant.String), ("length_m", QVariant.Double),
                           ("start_m", QVariant.Double), ("end_m", QVariant.Double),
                           ("start_km", QVariant.String), ("end_km", QVariant.String),
                           ("posts_used", QVariant.Int)):
            fields.append(QgsField(name, kind))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          QgsWkbTypes.LineStringM, crs)
        for code, route in routes.items():
            f = QgsFeature(fields)
            f.setGeometry(_line_with_measures(route))
            f.setAttributes([code, route.length, route.start_measure, route.end_measure,
                             _chainage(route.start_measure), _chainage(route.end_measure),
                             int(route.distances.size)])
            sink.addFeature(f, QgsFeatureSink.FastInsert)
        ifields = QgsFields()
        for name, kind in (("route", QVariant.String), ("kind", QVariant.String),
                           ("severity", QVariant.String), ("label", QVariant.String),
                           ("row", QVariant.Int), ("distance", QVariant.Double),
                           ("message", QVariant.String)):
            ifields.append(QgsField(name, kind))
        isink, idest = self.parameterAsSink(parameters, self.ISSUES, context, ifields,
                                            QgsWkbTypes.Point, crs)
        for issue in issues:
            f = QgsFeature(ifields)
            if issue.x is not None:
                f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(issue.x, issue.y)))
            f.setAttributes([issue.route, issue.kind, issue.severity, issue.label, issue.row,
                             issue.distance, issue.message])
            isink.addFeature(f, QgsFeatureSink.FastInsert)
            report = feedback.reportError if issue.severity == "error" else feedback.pushInfo
            report(f"{issue.route}: {issue.message}")
        return {self.OUTPUT: dest, self.ISSUES: idest}


class LocatePoints(_RouteParameters, RoadInfraAlgorithm):
    NAME = "locate_points"
    DISPLAY_NAME = QT_TR_NOOP("Locate points along routes")
    GROUP = GROUP
    GROUP_ID = GROUP_ID
    SHORT_HELP = QT_TR_NOOP(
        "Adds route code, measure (m), chainage (Km12+350) and offset (m, left of the route "
        "positive, right negative) to each point, on the nearest route within the maximum "
        "offset. Routes are calibrated on kilometre posts if given."
    )
    INPUT = "INPUT"
    MAX_OFFSET = "MAX_OFFSET"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Points to locate"), [QgsProcessing.TypeVectorPoint]))
        self.add_route_parameters(posts_optional=True)
        self.addParameter(QgsProcessingParameterNumber(
            self.MAX_OFFSET, self.tr("Maximum offset from a route (m)"),
            QgsProcessingParameterNumber.Double, defaultValue=100.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Located points"), QgsProcessing.TypeVectorPoint))

    def process(self, parameters, context, feedback) -> dict:
        routes, _ = self.calibrated_routes(parameters, context, feedback)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        name = source.sourceName() or "points"
        frame = frame_to_grid(source_frame(source), name, _profile())
        if any(g is None or g.geom_type != "Point" for g in frame.geometry):
            raise RoadInfraError(f"{name}: every feature must be a single point")
        found = self.run_core(feedback, locate_points, list(routes.values()),
                              [g.x for g in frame.geometry], [g.y for g in frame.geometry],
                              self.parameterAsDouble(parameters, self.MAX_OFFSET, context))
        fields = QgsFields(source.fields())
        for fname, kind in (("lrs_route", QVariant.String), ("lrs_measure", QVariant.Double),
                            ("lrs_chainage", QVariant.String), ("lrs_offset", QVariant.Double)):
            fields.append(QgsField(fname, kind))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          source.wkbType(), source.sourceCrs())
        for feature, loc in zip(source.getFeatures(), found):
            out = QgsFeature(fields)
            out.setGeometry(feature.geometry())
            extra = ([loc.route, loc.measure, _chainage(loc.measure), loc.offset] if loc
                     else [None, None, None, None])
            out.setAttributes(feature.attributes() + extra)
            sink.addFeature(out, QgsFeatureSink.FastInsert)
        return {self.OUTPUT: dest}


class CreateEvents(_RouteParameters, RoadInfraAlgorithm):
    NAME = "create_events"
    DISPLAY_NAME = QT_TR_NOOP("Create events from chainage table")
    GROUP = GROUP
    GROUP_ID = GROUP_ID
    SHORT_HELP = QT_TR_NOOP(
        "Draws a table of events (route, from, to) as lines on the calibrated routes "
        "(dynamic segmentation), or as points (route, chainage, optional offset) when no "
        "'to' field is given. Chainages may be metres or text such as Km12+350."
    )
    INPUT = "INPUT"
    EVENT_ROUTE = "EVENT_ROUTE"
    FROM_FIELD = "FROM_FIELD"
    TO_FIELD = "TO_FIELD"
    OFFSET_FIELD = "OFFSET_FIELD"
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
            self.OFFSET_FIELD, self.tr("Offset field for point events (m, left positive)"),
            parentLayerParameterName=self.INPUT, optional=True))
        self.add_route_parameters(posts_optional=True)
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Events"), QgsProcessing.TypeVectorAnyGeometry))

    def process(self, parameters, context, feedback) -> dict:
        routes, _ = self.calibrated_routes(parameters, context, feedback)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        name = source.sourceName() or "events"
        route_f = self.parameterAsString(parameters, self.EVENT_ROUTE, context)
        from_f = self.parameterAsString(parameters, self.FROM_FIELD, context)
        to_f = self.parameterAsString(parameters, self.TO_FIELD, context) or None
        off_f = self.parameterAsString(parameters, self.OFFSET_FIELD, context) or None
        table = parse_measure_columns(source_table(source), [c for c in (from_f, to_f) if c],
                                      name)
        geom_type = QgsWkbTypes.LineString if to_f else QgsWkbTypes.Point
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, source.fields(),
                                          geom_type, grid_crs(_profile()))
        total = max(len(table), 1)
        for k, (feature, (_, row)) in enumerate(zip(source.getFeatures(), table.iterrows())):
            if feedback.isCanceled():
                break
            code = str(row[route_f])
            where = f"{name} row {k + 1}"
            if code not in routes:
                raise RoadInfraError(f"{where} field {route_f}: unknown route {code!r}")
            try:
                if to_f:
                    line = segment_line(routes[code], row[from_f], row[to_f])
                    geometry = QgsGeometry.fromPolylineXY([QgsPointXY(x, y)
                                                           for x, y in line.coords])
                else:
                    x, y = point_at(routes[code], row[from_f], _offset(row, off_f, where))
                    geometry = QgsGeometry.fromPointXY(QgsPointXY(x, y))
            except (RoadInfraError, ValueError) as exc:
                raise RoadInfraError(f"{where}: {exc}") from None
            out = QgsFeature(source.fields())
            out.setAttributes(feature.attributes())
            out.setGeometry(geometry)
            sink.addFeature(out, QgsFeatureSink.FastInsert)
            feedback.setProgress(100.0 * (k + 1) / total)
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
        routes = None
        if self.parameterAsSource(parameters, self.ROUTES, context) is not None:
            routes, _ = self.calibrated_routes(parameters, context, feedback)
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
                code = str(row[route_f])
                if code not in routes:
                    raise RoadInfraError(f"segment on unknown route {code!r}")
                line = segment_line(routes[code], row[from_f], row[to_f])
                out.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(x, y)
                                                            for x, y in line.coords]))
            sink.addFeature(out, QgsFeatureSink.FastInsert)
        return {self.OUTPUT: dest}
