"""Dock "Lịch sử / History": every revision of the selected feature, and restoring one.

The revisions come from :meth:`roadinfra.core.db.Database.revisions` (change_log: who,
when, which fields changed, old and new side by side); "Restore this revision" calls
:meth:`~roadinfra.core.db.Database.restore_revision` with the revision the panel read
(optimistic concurrency: if someone changed the feature meanwhile, nothing is written and
the panel says so), which writes a new, logged change.
"""

from __future__ import annotations

from qgis.core import QgsExpression, QgsFeatureRequest, QgsVectorLayer
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.db import ConflictError
from ...core.errors import RoadInfraError
from ..i18n import tr
from .messages import field_label, table_label
from .source import author_name, layer_table, python_value

DOCK_OBJECT_NAME = "RoadInfraHistoryDock"


def operation_text(operation: str) -> str:
    """A change_log operation as the panel names it."""
    return {"INSERT": tr("Created"), "UPDATE": tr("Changed"), "DELETE": tr("Deleted"),
            "RESTORE": tr("Restored")}.get(operation, operation)


def _text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class HistoryPanel(QgsDockWidget):
    """History of one feature of a RoadInfra layer (follows the selection when given an
    interface)."""

    def __init__(self, hooks, iface=None, parent=None):
        super().__init__(tr("History"), parent)
        self.setObjectName(DOCK_OBJECT_NAME)
        self.hooks = hooks
        self.iface = iface
        self.layer: QgsVectorLayer | None = None
        self.row_id: str | None = None
        self.read_revision: int | None = None
        self.revisions = []
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.title = QLabel(tr("Select one feature of a RoadInfra layer"), body)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        splitter = QSplitter(Qt.Orientation.Vertical, body)
        self.list = QTableWidget(0, 5, splitter)
        self.list.setHorizontalHeaderLabels([tr("Revision"), tr("Change"), tr("Who"), tr("When"),
                                             tr("Fields changed")])
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.verticalHeader().setVisible(False)
        self.details = QTableWidget(0, 3, splitter)
        self.details.setHorizontalHeaderLabels([tr("Field"), tr("Old value"), tr("New value")])
        self.details.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.details.horizontalHeader().setStretchLastSection(True)
        self.details.verticalHeader().setVisible(False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter)
        buttons = QHBoxLayout()
        self.restore_button = QPushButton(tr("Restore this revision"), body)
        self.restore_button.setObjectName("restore_revision")
        self.restore_button.setEnabled(False)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        layout.addLayout(buttons)
        self.status = QLabel("", body)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.setWidget(body)
        self.list.itemSelectionChanged.connect(self._show_details)
        self.restore_button.clicked.connect(self.restore_selected)
        if iface is not None:
            iface.currentLayerChanged.connect(self._follow_layer)
            self._follow_layer(iface.activeLayer())

    # ------------------------------------------------------------ following the selection
    def _follow_layer(self, layer) -> None:
        if self.layer is not None:
            try:
                self.layer.selectionChanged.disconnect(self._selection_changed)
            except (TypeError, RuntimeError):
                pass
        self.layer = layer if layer_table(layer) is not None else None
        if self.layer is not None:
            self.layer.selectionChanged.connect(self._selection_changed)
            self._selection_changed()

    def _selection_changed(self, *_args) -> None:
        if self.layer is None:
            return
        selected = self.layer.selectedFeatures()
        if len(selected) == 1:
            self.show_feature(self.layer, selected[0])

    # ------------------------------------------------------------ content
    def show_feature(self, layer: QgsVectorLayer, feature) -> None:
        """Show every revision of ``feature`` (a feature of a RoadInfra layer)."""
        table = layer_table(layer)
        self.layer = layer
        self.row_id = str(python_value(feature["id"]))
        self.status.setText("")
        try:
            db = self.hooks.database(layer)
            self.revisions = db.revisions(table.name, self.row_id)
            current = db.fetch(table.name, where={"id": self.row_id}, include_deleted=True)
        except RoadInfraError as exc:
            self.revisions = []
            self.status.setText(str(exc))
            current = []
        self.read_revision = current[0]["revision"] if current else None
        name = python_value(feature["code"]) if "code" in table.column_names else None
        self.title.setText(tr("{table} {name}: {count} revision(s)").format(
            table=table_label(table.name), name=name or self.row_id, count=len(self.revisions)))
        self.list.setRowCount(len(self.revisions))
        for row, rev in enumerate(reversed(self.revisions)):
            changed = ", ".join(field_label(table.name, f) for f, _, _ in rev.changes)
            when = rev.changed_at.astimezone().strftime("%Y-%m-%d %H:%M") if rev.changed_at \
                else ""
            cells = [_text(rev.revision), operation_text(rev.operation),
                     rev.author or tr("(unknown)"), when, changed]
            for col, text in enumerate(cells):
                self.list.setItem(row, col, QTableWidgetItem(text))
        self.list.resizeColumnsToContents()
        if self.revisions:
            self.list.selectRow(0)
        else:
            self.details.setRowCount(0)

    def selected_revision(self):
        rows = self.list.selectionModel().selectedRows() if self.list.selectionModel() else []
        if not rows:
            return None
        return list(reversed(self.revisions))[rows[0].row()]

    def _show_details(self) -> None:
        rev = self.selected_revision()
        table = layer_table(self.layer)
        if rev is None or table is None:
            self.details.setRowCount(0)
            self.restore_button.setEnabled(False)
            return
        self.details.setRowCount(len(rev.changes))
        for row, (name, old, new) in enumerate(rev.changes):
            for col, text in enumerate((field_label(table.name, name), _text(old), _text(new))):
                self.details.setItem(row, col, QTableWidgetItem(text))
        self.details.resizeColumnsToContents()
        latest = self.revisions[-1].revision if self.revisions else None
        self.restore_button.setEnabled(rev.operation in ("INSERT", "UPDATE", "RESTORE")
                                       and rev.revision != latest)

    # ------------------------------------------------------------ restoring
    def restore_selected(self) -> bool:
        """Write the selected revision's values as a new change (based on the revision
        read); True when written. The feature's layers are reloaded."""
        rev = self.selected_revision()
        table = layer_table(self.layer)
        if rev is None or table is None or self.row_id is None:
            return False
        try:
            db = self.hooks.database(self.layer)
            db.restore_revision(table.name, self.row_id, rev.revision,
                                based_on=self.read_revision, user=author_name())
        except ConflictError:
            self.status.setText(tr("Someone changed this feature after it was shown here: "
                                   "nothing was restored. Look at its history again."))
            return False
        except RoadInfraError as exc:
            self.status.setText(str(exc))
            return False
        self.layer.reload()
        request = QgsFeatureRequest().setFilterExpression(
            QgsExpression.createFieldEqualityExpression("id", self.row_id))
        feature = next(self.layer.getFeatures(request), None)
        if feature is not None:
            self.show_feature(self.layer, feature)
        self.status.setText(tr("Revision {revision} restored as a new change.").format(
            revision=rev.revision))
        return True


def show_history_panel(iface, hooks) -> HistoryPanel:
    """The History dock in the QGIS window (created once)."""
    window = iface.mainWindow()
    panel = window.findChild(HistoryPanel, DOCK_OBJECT_NAME)
    if panel is None:
        panel = HistoryPanel(hooks, iface, window)
        iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
    panel.show()
    panel.raise_()
    return panel


def remove_history_panel(iface) -> None:
    panel = iface.mainWindow().findChild(HistoryPanel, DOCK_OBJECT_NAME)
    if panel is not None:
        iface.removeDockWidget(panel)
        panel.deleteLater()

