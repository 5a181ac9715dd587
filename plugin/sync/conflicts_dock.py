"""Dock "Xung đột đồng bộ / Sync conflicts": what a sync left for a person, field by field.

The list and the values come from :mod:`roadinfra.core.sync` (``list_conflicts``,
``show_conflict``, the same as ``roadinfra conflicts list|show``); choosing per field (or
for every selected conflict at once) calls ``resolve_conflicts``, which applies the choice
as a normal, logged change, in a background task (it may wait for a sync or an open edit
on the server, at most a bounded time: QGIS stays usable meanwhile, and an edit session
of this QGIS that it waits for can still be saved). Both geometries of a geometry
conflict are drawn on the map in a temporary layer (package: orange, server: blue).
"""

from __future__ import annotations

import json
import re
from functools import partial
from pathlib import Path
from typing import Dict, List, Optional

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFeature,
    QgsGeometry,
    QgsProject,
    QgsRendererCategory,
    QgsSymbol,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.db import open_database
from ...core.db.targets import hide_password
from ...core.errors import RoadInfraError
from ...core.schema.tables import GEOMETRY_COLUMN, TABLES
from ...core.sync import list_conflicts, resolve_conflicts, show_conflict
from ...core.sync.package import package_info
from ..database.connections import core_target
from ..database.layers import project_database
from ..docks import remove_dock, show_dock
from ..i18n import current_language, tr
from ..tasks import WorkTask, start_task
from .actions import derived_summary, log_derived

DOCK_OBJECT_NAME = "RoadInfraConflictsDock"
LAYER_NAME = "roadinfra_conflict_geometries"
SIDE_COLOURS = {"mine": "#ff7f00", "theirs": "#1f78b4"}


def _text(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _deleted(side) -> bool:
    """A side of a conflict that is the row's deletion (``{"deleted": True}``)."""
    return isinstance(side, dict) and side.get("deleted") is True


def _side_text(conflict: dict, side: str, field: str, value) -> str:
    """A value of one side as the dock shows it: a deleted side reads "(deleted)", not an
    empty value for every field."""
    if field == "deleted":
        return tr("(deleted)") if value else tr("(kept)")
    if side != "base" and _deleted(conflict.get(side)):
        return tr("(deleted)")
    return _text(value)


def _photo_problem(message: str) -> str:
    """The problem of a photo conflict's file, in the user's language."""
    found = re.search(r" in the package: (.*?); the attachment", message or "")
    problem = found.group(1) if found else ""
    if problem == "missing":
        return tr("the file is missing")
    if problem.startswith("damaged"):
        return tr("the file is damaged or not a readable image")
    return problem


#: The message of a row the sync held back, moved under a new row kept off the server
#: (core/sync/engine.py ``_under_kept_off``): that row's table and code.
_HELD_UNDER_KEPT_OFF = re.compile(r"not written: moved in the package under (\S+) (.+?), a row "
                                  r"made in the package and kept off")


def explanation(conflict: dict) -> str:
    """What happened and what to do, for the selected conflict, in the user's language
    (built from its kind and sides; the server's own refusal quoted as it said it)."""
    kind, message = conflict.get("kind"), conflict.get("message") or ""
    if kind == "field":
        return tr("Changed in the package and on the server: choose per field which value "
                  "to keep.")
    if kind == "edit_delete":
        if _deleted(conflict.get("mine")):
            return tr("Deleted in the package, changed or kept on the server: keep the "
                      "server's values to keep the record, the package's to delete it.")
        if conflict.get("base") is None:
            return tr("Added in the package under a record deleted on the server (or under "
                      "a record kept off for that reason); it was not added: restore that "
                      "record on the server and sync again, or keep the server's values to "
                      "drop it from the package at its next sync.")
        return tr("Edited in the package, deleted on the server: keep the package's values "
                  "to restore the record with them, the server's to leave it deleted.")
    if kind == "insert_insert":
        return tr("The server already has a record with this identifier and other values.")
    if kind == "code":
        return tr("The code was already used on the server: the server gave this record "
                  "another code.")
    if kind == "photo":
        path = (conflict.get("mine") or {}).get("file_path") or ""
        return tr("Photo {0} in the package: {1}; the attachment was not sent: put a good "
                  "file at that path inside the package's folder (or delete the attachment "
                  "there) and sync again.").format(path, _photo_problem(message))
    if kind == "refused":
        held = _HELD_UNDER_KEPT_OFF.match(message)
        if held:
            return tr("Not written: the package moved this record under {0} {1}, a record "
                      "made in the package that the sync kept off the server by its own "
                      "conflict; the server refused nothing. Take the package's values on "
                      "that conflict first (its explanation says how), then on this one; or "
                      "keep the server's values to leave this record where the server has "
                      "it.").format(held.group(1), held.group(2))
        detail = message.split("refused by the server: ", 1)[-1]
        return tr("Refused by the server: {0}").format(detail)
    return message


class ConflictsDock(QgsDockWidget):
    """Open conflicts of the project's database; resolve per field or in bulk."""

    def __init__(self, parent=None, project: Optional[QgsProject] = None):
        super().__init__(tr("Sync conflicts"), parent)
        self.setObjectName(DOCK_OBJECT_NAME)
        self.project = project or QgsProject.instance()
        self.target = ""
        self.srid = 0  # the database's grid: conflict geometries are stored in it
        self.rows: List[dict] = []
        self.current: Optional[dict] = None
        self.tasks: Dict[str, WorkTask] = {}  # database -> the resolve running on it
        body = QWidget(self)
        layout = QVBoxLayout(body)
        top = QHBoxLayout()
        self.sourceLabel = QLabel(body)
        self.refreshButton = QPushButton(tr("Refresh"), body)
        self.refreshButton.clicked.connect(self.refresh)
        top.addWidget(self.sourceLabel, 1)
        top.addWidget(self.refreshButton)
        layout.addLayout(top)
        self.conflictTable = QTableWidget(0, 5, body)
        self.conflictTable.setObjectName("conflictTable")
        self.conflictTable.setHorizontalHeaderLabels(
            [tr("Object"), tr("Kind"), tr("Fields"), tr("Package"), tr("Login")])
        self.conflictTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.conflictTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.conflictTable.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.conflictTable.itemSelectionChanged.connect(self._selected)
        layout.addWidget(self.conflictTable, 2)
        self.messageLabel = QLabel(body)
        self.messageLabel.setWordWrap(True)
        layout.addWidget(self.messageLabel)
        self.fieldTable = QTableWidget(0, 5, body)
        self.fieldTable.setObjectName("fieldTable")
        self.fieldTable.setHorizontalHeaderLabels(
            [tr("Field"), tr("Base"), tr("Package (mine)"), tr("Server (theirs)"), tr("Keep")])
        self.fieldTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fieldTable.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.fieldTable, 2)
        buttons = QHBoxLayout()
        self.mineButton = QPushButton(tr("Keep the package's values"), body)
        self.mineButton.setObjectName("mineButton")
        self.theirsButton = QPushButton(tr("Keep the server's values"), body)
        self.theirsButton.setObjectName("theirsButton")
        self.applyButton = QPushButton(tr("Apply the choice per field"), body)
        self.applyButton.setObjectName("applyButton")
        self.mineButton.clicked.connect(lambda: self.resolve_selected("mine"))
        self.theirsButton.clicked.connect(lambda: self.resolve_selected("theirs"))
        self.applyButton.clicked.connect(self.apply_choice)
        for button in (self.mineButton, self.theirsButton, self.applyButton):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.statusLabel = QLabel(body)
        self.statusLabel.setWordWrap(True)
        layout.addWidget(self.statusLabel)
        self.setWidget(body)

    @property
    def task(self) -> Optional[WorkTask]:
        """A resolve still running (of any database the dock showed), if any."""
        return next(iter(self.tasks.values()), None)

    def _enable_buttons(self) -> None:
        """The resolve buttons wait only for a resolve of the database shown."""
        for button in (self.mineButton, self.theirsButton, self.applyButton):
            button.setEnabled(self.target not in self.tasks)

    # --------------------------------------------------------------- data
    def set_database(self, target: Optional[str] = None) -> None:
        """Show the conflicts of ``target`` (default: the database open in the project)."""
        if target is None:
            source = project_database(self.project)
            target = core_target(source) if source else ""
        info = package_info(target) if target.lower().endswith(".gpkg") else None
        if info is not None:  # a package's own project: its conflicts are on the server
            self.target = ""
            self._enable_buttons()
            self.refresh()
            self.sourceLabel.setText(tr("{0}: an offline package, not the provincial "
                                        "database").format(Path(target).name))
            self.statusLabel.setText(tr(
                "The conflicts of a package are kept on the provincial database it was made "
                "from ({0}): open that database to see them.").format(
                    info["server"] or tr("unknown")))
            return
        self.target = target
        self._enable_buttons()
        if target:
            try:
                with open_database(target) as db:
                    self.srid = db.srs_id
            except RoadInfraError as exc:
                self.statusLabel.setText(str(exc))
        name = Path(target).name if target.endswith(".gpkg") else target
        self.sourceLabel.setText(name or tr("No provincial database is open"))
        self.refresh()

    def refresh(self) -> None:
        self.conflictTable.setRowCount(0)
        self.fieldTable.setRowCount(0)
        self.current = None
        self.rows = []
        if not self.target:
            return
        try:
            self.rows = list_conflicts(self.target)
        except RoadInfraError as exc:
            self.statusLabel.setText(str(exc))
            return
        self.conflictTable.setRowCount(len(self.rows))
        photos = self._photo_names()
        for i, row in enumerate(self.rows):
            table = TABLES[row["table_name"]]
            label = table.label_vi if current_language() == "vi" else table.label_en
            name = photos.get(row["id"]) or f"{label} {row['row_code'] or row['row_id']}"
            cells = [name, self._kind(row["kind"]),
                     ", ".join(self._field_label(row["table_name"], f) for f in row["fields"]),
                     row["package_name"] or "", row["login"] or ""]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row["id"])
                self.conflictTable.setItem(i, j, item)
        self.statusLabel.setText(tr("{0} open conflict(s)").format(len(self.rows)))
        if self.rows:
            self.conflictTable.selectRow(0)

    def _photo_names(self) -> dict:
        """Conflict id -> the name of an attachment conflict's row: the photo of its target
        (by code), else its caption; never its identifier."""
        wanted = [r for r in self.rows if r["table_name"] == "attachment"]
        if not wanted:
            return {}
        codes: dict = {}
        try:
            with open_database(self.target) as db:
                for name in {(r.get("mine") or {}).get("target_table") for r in wanted}:
                    if name not in TABLES or "code" not in TABLES[name].column_names:
                        continue
                    ids = [(r.get("mine") or {}).get("target_id") for r in wanted
                           if (r.get("mine") or {}).get("target_table") == name]
                    for found in db.fetch(name, where={"id": [i for i in ids if i]},
                                          include_deleted=True):
                        codes[str(found["id"])] = found.get("code")
        except RoadInfraError:
            pass
        out = {}
        for row in wanted:
            mine = row.get("mine") or {}
            target = TABLES.get(mine.get("target_table") or "")
            code = codes.get(str(mine.get("target_id")))
            if target is not None and code:
                label = target.label_vi if current_language() == "vi" else target.label_en
                out[row["id"]] = tr("Photo of {0} {1}").format(label, code)
            elif mine.get("caption"):
                out[row["id"]] = tr("Photo: {0}").format(mine["caption"])
            else:
                out[row["id"]] = tr("Photo {0}").format(mine.get("file_path") or "")
        return out

    @staticmethod
    def _kind(kind: str) -> str:
        return {"field": tr("both changed"), "edit_delete": tr("edit against delete"),
                "insert_insert": tr("same id added twice"), "code": tr("same code"),
                "refused": tr("refused by the server"),
                "photo": tr("photo missing or damaged")}.get(kind, kind)

    @staticmethod
    def _field_label(table: str, name: str) -> str:
        if name == GEOMETRY_COLUMN:
            return tr("Geometry")
        if name == "deleted":
            return tr("Deleted")
        try:
            column = TABLES[table].column(name)
        except KeyError:
            return name
        return column.label_vi if current_language() == "vi" else column.label_en

    def selected_ids(self) -> List[str]:
        rows = sorted({index.row() for index in self.conflictTable.selectedIndexes()})
        return [self.rows[r]["id"] for r in rows]

    def _selected(self) -> None:
        ids = self.selected_ids()
        self.fieldTable.setRowCount(0)
        self.current = None
        if len(ids) != 1:
            self.messageLabel.setText(tr("{0} conflicts selected").format(len(ids))
                                      if ids else "")
            self._show_geometries(None)
            return
        try:
            self.current = show_conflict(self.target, ids[0])
        except RoadInfraError as exc:  # the database cannot be read, the conflict not shown
            self.messageLabel.setText("")
            self._show_geometries(None)
            self.statusLabel.setText(str(exc))
            return
        self.messageLabel.setText(explanation(self.current))
        fields = self.current["by_field"]
        self.fieldTable.setRowCount(len(fields))
        for i, entry in enumerate(fields):
            cells = [self._field_label(self.current["table_name"], entry["field"])]
            cells += [_side_text(self.current, side, entry["field"], entry[side])
                      for side in ("base", "mine", "theirs")]
            for j, text in enumerate(cells):
                self.fieldTable.setItem(i, j, QTableWidgetItem(text))
            combo = QComboBox(self.fieldTable)
            combo.addItem(tr("server"), "theirs")
            combo.addItem(tr("package"), "mine")
            combo.setObjectName(f"keep_{entry['field']}")
            self.fieldTable.setCellWidget(i, 4, combo)
        self._show_geometries(self.current)

    # --------------------------------------------------------------- map
    def _show_geometries(self, conflict: Optional[dict]) -> None:
        for layer in self.project.mapLayersByName(LAYER_NAME):
            self.project.removeMapLayer(layer.id())
        if not conflict:
            return
        geometry = [e for e in conflict["by_field"] if e["field"] == GEOMETRY_COLUMN]
        if not geometry:
            return
        shapes = {side: QgsGeometry.fromWkt(geometry[0][side]) for side in ("mine", "theirs")
                  if isinstance(geometry[0][side], str)}
        if not shapes:
            return
        kind = QgsWkbTypes.displayString(next(iter(shapes.values())).wkbType())
        layer = QgsVectorLayer(f"{kind}?crs=EPSG:{self.srid}&field=side:string", LAYER_NAME,
                               "memory")
        features = []
        for side, shape in shapes.items():
            feature = QgsFeature(layer.fields())
            feature.setGeometry(shape)
            feature.setAttribute("side", side)
            features.append(feature)
        layer.dataProvider().addFeatures(features)
        categories = []
        for side, colour in SIDE_COLOURS.items():
            symbol = QgsSymbol.defaultSymbol(layer.geometryType())
            symbol.setColor(QColor(colour))
            label = tr("package") if side == "mine" else tr("server")
            categories.append(QgsRendererCategory(side, symbol, label))
        layer.setRenderer(QgsCategorizedSymbolRenderer("side", categories))
        self.project.addMapLayer(layer)

    # --------------------------------------------------------------- resolve
    def choice(self) -> dict:
        """Field -> 'mine' or 'theirs' as chosen in the field table."""
        out = {}
        for i, entry in enumerate((self.current or {}).get("by_field", [])):
            out[entry["field"]] = self.fieldTable.cellWidget(i, 4).currentData()
        return out

    def apply_choice(self) -> None:
        if self.current is None:
            return
        self._resolve([self.current["id"]], "theirs", self.choice())

    def resolve_selected(self, take: str) -> None:
        ids = self.selected_ids()
        if ids:
            self._resolve(ids, take, None)

    def _resolve(self, ids: List[str], take: str, fields: Optional[dict]) -> None:
        """Resolve in a background task; the buttons wait for it, the status says it."""
        target = self.target
        if target in self.tasks:
            return
        self.statusLabel.setText(tr("Resolving {0} conflict(s)…").format(len(ids)))
        work = partial(_resolve_work, target, ids, take, fields)
        self.tasks[target] = start_task(WorkTask(tr("Resolve sync conflicts"), work,
                                                 partial(self._resolved, target)))
        self._enable_buttons()

    def _resolved(self, target: str, task: WorkTask) -> None:
        """A resolve of ``target`` ended: said in the status, its list refreshed, when the
        dock still shows ``target``; else said naming it, the list shown left as it is."""
        self.tasks.pop(target, None)
        self._enable_buttons()
        if target != self.target:
            name = Path(target).name if target.lower().endswith(".gpkg") \
                else hide_password(target)
            if not task.ok:
                self.statusLabel.setText(tr("{0}: resolve not done: {1}").format(
                    name, str(task.error) if task.error is not None else tr("cancelled")))
            else:
                self.statusLabel.setText(tr("{0}: resolved {1} conflict(s)").format(
                    name, len(task.result)))
            return
        if not task.ok:
            self.statusLabel.setText(str(task.error) if task.error is not None
                                     else tr("Resolving cancelled, nothing resolved"))
            return
        done = task.result
        self.refresh()
        notes = [d["applied"]["note"] for d in done if d["applied"].get("note")]
        derived = [e for d in done for e in d.get("derived", [])]
        log_derived(derived)
        self.statusLabel.setText("\n".join([tr("Resolved {0} conflict(s); {1} still open").format(
            len(done), len(self.rows))] + notes + derived_summary(derived)))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._show_geometries(None)
        super().closeEvent(event)


def _resolve_work(target: str, ids: List[str], take: str, fields: Optional[dict],
                  progress=None, is_cancelled=None) -> List[dict]:
    """``resolve_conflicts`` as a :class:`WorkTask`'s work (its cancel heard while waiting)."""
    return resolve_conflicts(target, ids, take, fields, is_cancelled=is_cancelled)


def show_conflicts_dock(iface) -> ConflictsDock:
    """Show the dock (created once per main window) for the project's database."""
    return show_dock(iface, ConflictsDock, DOCK_OBJECT_NAME)


def remove_conflicts_dock(iface) -> None:
    """Remove the dock (plugin unload)."""
    remove_dock(iface, ConflictsDock, DOCK_OBJECT_NAME)
