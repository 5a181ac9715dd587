"""Dialog "Đối tượng đã xóa / Deleted features": the tombstones of a layer, and restoring one.

Lists the tombstoned rows of the active RoadInfra layer's table (who deleted them and
when, from the history) and restores the selected one through
:meth:`roadinfra.core.db.Database.restore` (at the revision read; the children deleted
with it come back too). Restored features reappear in the layer.
"""

from __future__ import annotations

from qgis.core import QgsVectorLayer
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ...core.db import ConflictError
from ...core.db.history import deleted_rows
from ...core.errors import RoadInfraError
from ..i18n import tr
from .messages import error_text, table_label
from .source import author_name, layer_table


class DeletedFeaturesDialog(QDialog):
    """Tombstones of one RoadInfra layer."""

    def __init__(self, hooks, layer: QgsVectorLayer, parent=None):
        super().__init__(parent)
        self.hooks = hooks
        self.layer = layer
        self.table = layer_table(layer)
        self.rows = []
        self.setWindowTitle(tr("Deleted features – {table}").format(
            table=table_label(self.table.name)))
        layout = QVBoxLayout(self)
        self.list = QTableWidget(0, 4, self)
        self.list.setHorizontalHeaderLabels([tr("Feature"), tr("Deleted at"), tr("Deleted by"),
                                             tr("Revision")])
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.verticalHeader().setVisible(False)
        layout.addWidget(self.list)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton(tr("Restore"), self)
        self.restore_button.setObjectName("restore_feature")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore_selected)
        layout.addWidget(buttons)
        self.resize(640, 360)
        self.refresh()

    def refresh(self) -> None:
        """Read the tombstones again (newest first)."""
        try:
            tombstones = deleted_rows(self.hooks.database(self.layer), self.table.name)
            rows = [t.row for t in tombstones]
            authors = {t.row["id"]: t.deleted_by for t in tombstones}
        except RoadInfraError as exc:
            self.status.setText(str(exc))
            rows, authors = [], {}
        self.rows = rows
        self.list.setRowCount(len(rows))
        for index, row in enumerate(rows):
            name = row.get("code") or row.get("name") or row.get("label") or row["id"]
            if row.get("name") and row.get("code"):
                name = f"{row['code']} – {row['name']}"
            cells = [str(name), row["deleted_at"].astimezone().strftime("%Y-%m-%d %H:%M"),
                     authors.get(row["id"]) or tr("(unknown)"), str(row["revision"])]
            for col, text in enumerate(cells):
                self.list.setItem(index, col, QTableWidgetItem(text))
        self.list.resizeColumnsToContents()
        if rows:
            self.list.selectRow(0)
        self.restore_button.setEnabled(bool(rows))

    def restore_selected(self) -> bool:
        """Restore the selected tombstone (and what was deleted with it); True when done."""
        selected = self.list.selectionModel().selectedRows()
        if not selected:
            return False
        row = self.rows[selected[0].row()]
        try:
            self.hooks.database(self.layer).restore(self.table.name, row["id"],
                                                    user=author_name(),
                                                    revision=row["revision"])
        except ConflictError:
            self.status.setText(tr("The feature changed after this list was read: nothing "
                                   "was restored. The list is read again."))
            self.refresh()
            return False
        except RoadInfraError as exc:
            text = error_text(exc) if hasattr(exc, "kind") else str(exc)
            self.status.setText(text)
            return False
        self.layer.reload()
        for layer in self.hooks.project.mapLayers().values():
            if layer_table(layer) is not None and layer is not self.layer:
                layer.reload()
        self.status.setText(tr("{feature} restored.").format(
            feature=self.list.item(selected[0].row(), 0).text()))
        self.refresh()
        return True


def open_deleted_features(iface, hooks) -> DeletedFeaturesDialog | None:
    """The dialog for the active layer (a message when it is no RoadInfra layer)."""
    layer = iface.activeLayer()
    table = layer_table(layer)
    if table is None or not table.versioned:
        iface.messageBar().pushInfo(tr("RoadInfra"), tr("Select a RoadInfra layer first."))
        return None
    dialog = DeletedFeaturesDialog(hooks, layer, iface.mainWindow())
    dialog.show()
    return dialog
