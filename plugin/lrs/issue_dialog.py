"""The dialog that opens the calibration issue layers: routes, posts and their fields."""

from __future__ import annotations

from qgis.core import QgsMapLayerProxyModel
from qgis.gui import QgsFieldComboBox, QgsMapLayerComboBox
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
)

from ...core.lrs.network import DEFAULT_TOLERANCE
from ...core.profile import load_profile
from ..i18n import tr
from ..log import log
from ..settings import PluginSettings
from .issue_layer import IssueLayerSettings, open_issue_layers


class IssueLayerDialog(QDialog):
    """Choose the routes and posts layers and fields; OK opens the issue layers."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Calibration issues layer"))
        form = QFormLayout(self)
        self.routes = QgsMapLayerComboBox(self)
        self.routes.setFilters(QgsMapLayerProxyModel.Filter.LineLayer)
        self.posts = QgsMapLayerComboBox(self)
        self.posts.setFilters(QgsMapLayerProxyModel.Filter.PointLayer)
        self.route_field = self._field(self.routes, optional=True)
        self.start_field = self._field(self.routes, optional=True)
        self.route_code = QLineEdit("route", self)
        self.label_field = self._field(self.posts, optional=False)
        self.measure_field = self._field(self.posts, optional=True)
        self.post_route_field = self._field(self.posts, optional=True)
        self.tolerance = QDoubleSpinBox(self)
        self.tolerance.setRange(0.0, 1000.0)
        self.tolerance.setValue(DEFAULT_TOLERANCE)
        self.tolerance.setSuffix(" m")
        for label, widget in (
            (tr("Routes (lines)"), self.routes),
            (tr("Route code field (empty: the layer is one route)"), self.route_field),
            (tr("Route code when there is no route code field"), self.route_code),
            (tr("Route start measure field (empty: start_m if present)"), self.start_field),
            (tr("Kilometre posts (points)"), self.posts),
            (tr("Post label field (Km12)"), self.label_field),
            (tr("Post measure field (metres or Km12+000; empty: from the label)"),
             self.measure_field),
            (tr("Post route code field"), self.post_route_field),
            (tr("Maximum distance of a post from its route (m)"), self.tolerance),
        ):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _field(self, layers: QgsMapLayerComboBox, optional: bool) -> QgsFieldComboBox:
        box = QgsFieldComboBox(self)
        box.setAllowEmptyFieldName(optional)
        box.setLayer(layers.currentLayer())
        layers.layerChanged.connect(box.setLayer)
        return box

    def settings(self) -> IssueLayerSettings:
        """The chosen fields (empty choices are None)."""
        return IssueLayerSettings(
            route_field=self.route_field.currentField() or None,
            route_code=self.route_code.text().strip() or "route",
            label_field=self.label_field.currentField() or "label",
            measure_field=self.measure_field.currentField() or None,
            post_route_field=self.post_route_field.currentField() or None,
            start_field=self.start_field.currentField() or None,
            tolerance=self.tolerance.value())


def open_issue_layer_dialog(iface) -> None:
    """Ask for the layers and fields, then open the issue layers (and say what was found)."""
    dialog = IssueLayerDialog(iface.mainWindow())
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    routes, posts = dialog.routes.currentLayer(), dialog.posts.currentLayer()
    if routes is None or posts is None:
        iface.messageBar().pushWarning(tr("RoadInfra"), tr("Choose a routes and a posts layer."))
        return
    layers = open_issue_layers(routes, posts, dialog.settings(),
                               load_profile(PluginSettings.load().profile or None))
    if layers.error:
        log(layers.error, "warning", notify=True)
        iface.messageBar().pushWarning(tr("RoadInfra"), layers.error)
    else:
        iface.messageBar().pushInfo(
            tr("RoadInfra"), tr("{n} calibration issue(s); the layers follow your edits.")
            .format(n=len(layers.issues)))
