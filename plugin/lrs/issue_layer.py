"""Calibration issues as two layers the engineer can open: points and lines.

:class:`CalibrationIssueLayers` keeps a memory layer of points (every issue that has a
place: a post off the route, swapped, duplicated; where a spur leaves the route) and one of
lines (a spur or parallel piece left out of the measured line, the bridge over a gap), both
with the issue's route, kind, severity, label, row and message. It recalibrates through
the same core entry point as the CLI and the *Calibrate routes* algorithm
(:func:`roadinfra.core.lrs.network.build_network`) whenever the routes or the posts layer is
edited (a short delay gathers a burst of edits into one refresh), as the QGIS LRS plugin's
error layers do. Posts whose route matches no route are shown (``unknown_route``) instead of
stopping, so they can be found and fixed on the map.
"""

from __future__ import annotations

from dataclasses import dataclass

from qgis.core import (
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsLineString,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ...core.errors import RoadInfraError
from ...core.lrs.io import frame_to_grid
from ...core.lrs.issues import Issue
from ...core.lrs.network import DEFAULT_JOIN_TOLERANCE, DEFAULT_TOLERANCE, build_network
from ...core.profile import Profile
from .. import field_types
from ..i18n import tr
from ..processing.features import source_frame

_FIELDS = (("route", field_types.STRING), ("kind", field_types.STRING),
           ("severity", field_types.STRING), ("label", field_types.STRING),
           ("row", field_types.INT),
           ("distance", field_types.DOUBLE), ("message", field_types.STRING))


def issue_fields() -> QgsFields:
    """The fields of an issue layer: route, kind, severity, label, row, distance, message."""
    fields = QgsFields()
    for name, kind in _FIELDS:
        fields.append(QgsField(name, kind))
    return fields


def issue_feature(issue: Issue, fields: QgsFields, as_line: bool = False) -> QgsFeature:
    """A feature of an issue: at its point, or along its ``line`` (``as_line``)."""
    feature = QgsFeature(fields)
    if as_line and issue.line:
        feature.setGeometry(QgsGeometry(QgsLineString([QgsPointXY(x, y)
                                                       for x, y, *_ in issue.line])))
    elif issue.x is not None:
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(issue.x, issue.y)))
    feature.setAttributes([issue.route, issue.kind, issue.severity, issue.label, issue.row,
                           float(issue.distance), issue.message])
    return feature


@dataclass
class IssueLayerSettings:
    """How to read the routes and posts layers (field names as in ``roadinfra lrs``)."""

    route_field: str | None = None
    route_code: str = "route"
    label_field: str = "label"
    measure_field: str | None = None
    post_route_field: str | None = None
    start_field: str | None = None
    tolerance: float = DEFAULT_TOLERANCE
    join_tolerance: float = DEFAULT_JOIN_TOLERANCE


class CalibrationIssueLayers(QObject):
    """The issue layers of one routes layer and one posts layer, kept up to date."""

    refreshed = pyqtSignal()

    def __init__(self, routes: QgsVectorLayer, posts: QgsVectorLayer,
                 settings: IssueLayerSettings, profile: Profile | None = None,
                 delay_ms: int = 400, parent: QObject | None = None):
        super().__init__(parent)
        self.routes, self.posts, self.settings, self.profile = routes, posts, settings, profile
        self.error: str | None = None
        self.issues: list[Issue] = []
        crs = self.routes.crs().authid() if profile is None else f"EPSG:{profile.crs_epsg}"
        self.points = QgsVectorLayer(f"Point?crs={crs}", tr("Calibration issues (points)"),
                                     "memory")
        self.lines = QgsVectorLayer(f"LineString?crs={crs}", tr("Calibration issues (lines)"),
                                    "memory")
        for layer in (self.points, self.lines):
            layer.dataProvider().addAttributes(issue_fields().toList())
            layer.updateFields()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.refresh)
        self._sources = (routes, posts)
        for layer in self._sources:
            for signal in (layer.featureAdded, layer.featureDeleted, layer.geometryChanged,
                           layer.attributeValueChanged, layer.editingStopped,
                           layer.dataChanged):
                signal.connect(self.schedule)

    def schedule(self, *_args) -> None:
        """Refresh after the delay (restarted by every further edit)."""
        self._timer.start()

    def disconnect_sources(self) -> None:
        """Stop following the routes and posts layers (they or the issue layers are gone)."""
        self._timer.stop()
        for layer in self._sources:
            for signal in (layer.featureAdded, layer.featureDeleted, layer.geometryChanged,
                           layer.attributeValueChanged, layer.editingStopped,
                           layer.dataChanged):
                try:
                    signal.disconnect(self.schedule)
                except (TypeError, RuntimeError):
                    pass

    def refresh(self) -> list[Issue]:
        """Recalibrate on the layers' current features (pending edits included) and rewrite
        both issue layers. A problem that stops calibration (a wrong CRS, a missing field)
        is kept in ``error`` and shown as the only point issue, without a place."""
        s = self.settings
        try:
            network = build_network(
                frame_to_grid(source_frame(self.routes), self.routes.name(), self.profile),
                frame_to_grid(source_frame(self.posts), self.posts.name(), self.profile),
                routes_source=self.routes.name(), posts_source=self.posts.name(),
                route_field=s.route_field, route_code=s.route_code,
                label_field=s.label_field, measure_field=s.measure_field,
                post_route_field=s.post_route_field, start_field=s.start_field,
                tolerance=s.tolerance, join_tolerance=s.join_tolerance,
                stop_on_unmatched=False)
            self.issues, self.error = network.issues, None
        except RoadInfraError as exc:
            self.error = str(exc)
            self.issues = [Issue("unreadable", "", 0.0, self.error)]
        self._fill(self.points, [issue_feature(i, self.points.fields()) for i in self.issues])
        self._fill(self.lines, [issue_feature(i, self.lines.fields(), as_line=True)
                                for i in self.issues if i.line])
        self.refreshed.emit()
        return self.issues

    @staticmethod
    def _fill(layer: QgsVectorLayer, features) -> None:
        provider = layer.dataProvider()
        provider.truncate()
        provider.addFeatures(features)
        layer.updateExtents()
        layer.triggerRepaint()


#: Open issue layers by the id of their point layer, kept alive while the layers exist.
_OPEN: dict[str, CalibrationIssueLayers] = {}


def open_issue_layers(routes: QgsVectorLayer, posts: QgsVectorLayer,
                      settings: IssueLayerSettings, profile: Profile | None = None,
                      project: QgsProject | None = None) -> CalibrationIssueLayers:
    """Build the issue layers, add them to the project (group "Calibration issues") and keep
    them refreshed until one of the four layers is removed."""
    project = project or QgsProject.instance()
    layers = CalibrationIssueLayers(routes, posts, settings, profile)
    layers.refresh()
    group = project.layerTreeRoot().insertGroup(0, tr("Calibration issues"))
    for layer in (layers.points, layers.lines):
        project.addMapLayer(layer, False)
        group.addLayer(layer)
    watched = {layers.points.id(), layers.lines.id(), routes.id(), posts.id()}
    _OPEN[layers.points.id()] = layers

    def removed(ids) -> None:
        if watched & set(ids) and _OPEN.pop(layers.points.id(), None) is not None:
            layers.disconnect_sources()
            project.layersWillBeRemoved.disconnect(removed)

    project.layersWillBeRemoved.connect(removed)
    return layers
