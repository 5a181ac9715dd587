"""The routes and kilometre-post parameters of the LRS algorithms, read into a calibrated
network by :func:`~roadinfra.core.lrs.network.build_network` (as ``roadinfra lrs`` does)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from .....core.errors import RoadInfraError
from .....core.lrs.io import frame_to_grid
from .....core.lrs.network import (
    DEFAULT_JOIN_TOLERANCE,
    DEFAULT_TOLERANCE,
    Network,
    build_network,
)
from ....crs import grid_crs
from ...features import source_frame


class RouteInput:
    """Mixin of a :class:`~..base.RoadInfraAlgorithm`: route parameters and the network."""

    ROUTES = "ROUTES"
    ROUTE_FIELD = "ROUTE_FIELD"
    ROUTE_CODE = "ROUTE_CODE"
    POSTS = "POSTS"
    LABEL_FIELD = "LABEL_FIELD"
    MEASURE_FIELD = "MEASURE_FIELD"
    POST_ROUTE_FIELD = "POST_ROUTE_FIELD"
    START_FIELD = "START_FIELD"
    TOLERANCE = "TOLERANCE"
    JOIN_TOLERANCE = "JOIN_TOLERANCE"

    def add_route_parameters(self, posts_optional: bool, routes_optional: bool = False) -> None:
        """Routes and posts layers, their fields, the post tolerance and the profile."""
        self.add_input_layer(self.tr("Routes (lines)"), self.ROUTES,
                             [QgsProcessing.SourceType.TypeVectorLine], routes_optional)
        self.add_field_parameter(self.ROUTE_FIELD, self.tr(
            "Route code field (empty: the layer is one route)"), self.ROUTES, optional=True)
        self.addParameter(QgsProcessingParameterString(
            self.ROUTE_CODE, self.tr("Route code when there is no route code field"),
            defaultValue="route"))
        self.add_field_parameter(self.START_FIELD, self.tr(
            "Route start measure field (used where a route has no usable post; "
            "empty: start_m if present)"), self.ROUTES, optional=True)
        self.add_input_layer(self.tr("Kilometre posts (points)"), self.POSTS,
                             [QgsProcessing.SourceType.TypeVectorPoint], posts_optional)
        self.add_field_parameter(self.LABEL_FIELD, self.tr("Post label field (Km12)"),
                                 self.POSTS, optional=posts_optional)
        self.add_field_parameter(self.MEASURE_FIELD, self.tr(
            "Post measure field (metres or Km12+000; empty: from the label)"), self.POSTS,
            optional=True)
        self.add_field_parameter(self.POST_ROUTE_FIELD, self.tr("Post route code field"),
                                 self.POSTS, optional=True)
        self.addParameter(QgsProcessingParameterNumber(
            self.TOLERANCE, self.tr("Maximum distance of a post from its route (m)"),
            QgsProcessingParameterNumber.Type.Double, defaultValue=DEFAULT_TOLERANCE, minValue=0.0))
        join = QgsProcessingParameterNumber(
            self.JOIN_TOLERANCE, self.tr("Largest gap joined between pieces of a route (m)"),
            QgsProcessingParameterNumber.Type.Double, defaultValue=DEFAULT_JOIN_TOLERANCE,
            minValue=0.0)
        join.setFlags(join.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        self.addParameter(join)
        self.add_profile_parameter()

    def grid(self, parameters, context):
        """The provincial grid of the profile: the CRS the outputs are written in."""
        return grid_crs(self.profile(parameters, context))

    def text(self, parameters, name: str, context) -> str | None:
        """A string or field parameter, None when empty."""
        return self.parameterAsString(parameters, name, context) or None

    def grid_frame(self, parameters, name: str, context, feedback, default: str):
        """(frame in the provincial grid, layer name) of a feature source parameter."""
        source = self.input_source(parameters, name, context)
        label = source.sourceName() or default
        return frame_to_grid(source_frame(source, feedback), label,
                             self.profile(parameters, context)), label

    def network(self, parameters, context, feedback, strict: bool = False) -> Network:
        """The calibrated :class:`~roadinfra.core.lrs.network.Network` of the parameters;
        its calibration errors reported to the feedback."""
        posts, posts_name = None, "posts"
        if self.parameterAsSource(parameters, self.POSTS, context) is not None:
            posts, posts_name = self.grid_frame(parameters, self.POSTS, context, feedback,
                                                "posts")
            if not self.text(parameters, self.LABEL_FIELD, context):
                raise RoadInfraError(f"{posts_name}: choose the post label field")
        routes, routes_name = self.grid_frame(parameters, self.ROUTES, context, feedback,
                                              "routes")
        network = self.run_core(
            feedback, build_network, routes, posts, routes_source=routes_name,
            posts_source=posts_name,
            route_field=self.text(parameters, self.ROUTE_FIELD, context),
            route_code=self.text(parameters, self.ROUTE_CODE, context) or "route",
            label_field=self.text(parameters, self.LABEL_FIELD, context) or "label",
            measure_field=self.text(parameters, self.MEASURE_FIELD, context),
            post_route_field=self.text(parameters, self.POST_ROUTE_FIELD, context),
            start_field=self.text(parameters, self.START_FIELD, context),
            tolerance=self.parameterAsDouble(parameters, self.TOLERANCE, context),
            join_tolerance=self.parameterAsDouble(parameters, self.JOIN_TOLERANCE, context),
            strict=strict)
        for issue in network.issues:
            if issue.severity == "error":
                feedback.reportError(f"{issue.route}: {issue.message}")
        return network
