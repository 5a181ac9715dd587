"""Dock "Tình trạng / Condition": condition summary of the whole province, a route or a district.

The numbers and the table rows come from :mod:`roadinfra.core.condition.summary`
(``condition_summary`` and ``summary_rows``, the same as ``roadinfra condition summary``, the
Processing algorithm and the printed map); this module only chooses the scope, runs the
summary as a background task (:class:`roadinfra.plugin.tasks.WorkTask`) with progress, and
renders HTML. Changing the scope or the route/district refreshes at once; Refresh re-reads the
database.
"""

from __future__ import annotations

import html
from functools import partial
from pathlib import Path

from qgis.core import QgsProject
from qgis.gui import QgsDockWidget
from qgis.PyQt import uic
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QComboBox, QSizePolicy, QWidget

from ...core.condition.summary import ConditionSummary, condition_summary, summary_rows
from ...core.errors import RoadInfraError
from ...core.labels import language
from ...core.schema import CODELISTS
from ..database.connections import core_target
from ..database.layers import project_database
from ..database.naming import TABLE_PROPERTY
from ..docks import remove_dock, show_dock
from ..i18n import current_language, tr
from ..tasks import WorkTask, start_task

FORM_PATH = Path(__file__).resolve().parents[2] / "forms" / "condition_summary.ui"
FORM_CLASS, _ = uic.loadUiType(str(FORM_PATH))
DOCK_OBJECT_NAME = "RoadInfraConditionDock"
SCOPES = ("province", "route", "district")

# Colours of the classes, best to worst (same scale as the map styles).
PCI_COLOURS = ("#006d2c", "#74c476", "#ffeb3b", "#fc9272", "#e31a1c", "#800026", "#636363")
IRI_COLOURS = ("#1a9641", "#a6d96a", "#fdae61", "#d7191c", "#7f0000")
STRUCTURE_COLOURS = {"good": "#1a9641", "fair": "#fdae61", "poor": "#d7191c", "none": "#9e9e9e"}
NONE_COLOUR = "#9e9e9e"


def _swatch(key: str, section: str) -> str:
    if section == "structures":
        colour = STRUCTURE_COLOURS[key]
    elif key == "none":
        colour = NONE_COLOUR
    else:
        colours = PCI_COLOURS if section == "pci" else IRI_COLOURS
        colour = colours[min(int(key), len(colours) - 1)]
    return f'<span style="background-color:{colour}">&nbsp;&nbsp;&nbsp;</span> '


def _table(rows) -> str:
    """One section of :func:`summary_rows` as an HTML table."""
    parts = []
    for row in rows:
        label, *values = (html.escape(cell) for cell in row.cells)
        if row.kind == "header":
            cells = [f"<th align='left'>{label}</th>"]
            cells += [f"<th align='right'>{value}</th>" for value in values]
        else:
            swatch = _swatch(row.key, row.section) if row.kind == "class" else ""
            bold = ("<b>", "</b>") if row.kind in ("total", "share") else ("", "")
            cells = [f"<td>{swatch}{bold[0]}{label}{bold[1]}</td>"]
            cells += [f"<td align='right'>{bold[0]}{value}{bold[1]}</td>" for value in values]
        parts.append("<tr>" + "".join(cells) + "</tr>")
    return "<table cellspacing='0' cellpadding='3' width='100%'>" + "".join(parts) + "</table>"


def summary_html(summary: ConditionSummary, lang: str) -> str:
    """Render a :class:`ConditionSummary` as the panel's HTML: the table rows by section,
    the mean PCI and IRI, and the structures in poor condition."""
    rows = summary_rows(summary, lang)
    pavement = summary.pavement
    parts = [f"<h2>{html.escape(summary.scope.heading(lang))}</h2>"]
    means = []
    if pavement.mean_pci is not None:
        label = tr("Length-weighted mean PCI")  # not inside an f-string: pylupdate5 skips it
        means.append(f"{html.escape(label)}: <b>{pavement.mean_pci}</b>")
    if pavement.mean_iri is not None:
        label = tr("Length-weighted mean IRI (m/km)")
        means.append(f"{html.escape(label)}: <b>{pavement.mean_iri}</b>")
    if means:
        parts.append("<p>" + "<br>".join(means) + "</p>")
    for section in ("pci", "iri", "structures", "stations", "overloaded"):
        part = [row for row in rows if row.section == section]
        if part:
            parts.append(_table(part) + "<br>")
    poor = [item for part in (summary.bridges, summary.culverts) for item in part.poor]
    if poor:
        flags = []
        for item in poor:
            scheme = CODELISTS["rating_scheme"].label(item.scheme, lang)
            text = (f"{item.code} {item.name or ''} ({scheme} {item.overall_rating}, "
                    f"{item.inspection_date})")
            flags.append(html.escape(text + (" ⚠" if item.structurally_deficient else "")))
        label = tr("Poor condition:")
        parts.append(f"<p><b style='color:#d7191c'>{html.escape(label)}</b> "
                     + "<br>".join(flags) + "</p>")
    if not summary.loads.stations:
        label = tr("No station in this scope.")
        parts.append(f"<p>{html.escape(label)}</p>")
    return "".join(parts)


def _summary(target: str, route_id: str | None, district_code: str | None, progress=None,
             is_cancelled=None) -> ConditionSummary:
    """:func:`condition_summary` on a database connection of its own (a task's thread)."""
    from ...core.db import open_database

    with open_database(target) as db:
        return condition_summary(db, route_id=route_id, district_code=district_code,
                                 progress=progress, is_cancelled=is_cancelled)


class ConditionSummaryPanel(QgsDockWidget):
    """The dock; :meth:`set_database` chooses the database, :meth:`refresh` recomputes.

    ``summary_shown`` is emitted (main thread) with each summary shown, or None after an
    error; ``last_summary`` holds the last one.
    """

    summary_shown = pyqtSignal(object)

    def __init__(self, parent=None, project: QgsProject | None = None, lang: str | None = None):
        super().__init__(tr("Condition"), parent)
        self.setObjectName(DOCK_OBJECT_NAME)
        self.project = project or QgsProject.instance()
        self.lang = language(lang or current_language())
        self.ui = FORM_CLASS()
        body = QWidget(self)
        self.ui.setupUi(body)
        self.setWidget(body)
        self.target = ""
        self.db = None
        self.task: WorkTask | None = None
        self._followed: list = []
        self.last_summary: ConditionSummary | None = None
        for key, text in zip(SCOPES, (tr("Whole network"), tr("Route"), tr("District"))):
            self.ui.scopeCombo.addItem(text, key)
        for combo in (self.ui.scopeCombo, self.ui.targetCombo):
            # whole labels ("Whole network", "338 Huyện Quỳnh Phụ"), in the box and its list
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumContentsLength(8)
        # the route or district on a row of its own: beside the scope box and the button a
        # docked panel cut it ("338 Quyn")
        self.ui.scopeLayout.removeWidget(self.ui.targetCombo)
        self.ui.mainLayout.insertWidget(1, self.ui.targetCombo)
        self.ui.scopeCombo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.ui.scopeCombo.currentIndexChanged.connect(self._scope_changed)
        self.ui.targetCombo.currentIndexChanged.connect(self._target_changed)
        self.ui.refreshButton.setText(tr("Refresh"))
        self.ui.refreshButton.clicked.connect(self.refresh)

    # --------------------------------------------------------------- database
    def set_database(self, target: str | None = None) -> None:
        """Open ``target`` (default: the database recorded in the project) and refresh."""
        from ...core.db import open_database

        source = target or project_database(self.project)
        if self.db is not None:
            self.db.close()
            self.db = None
        if not source:
            self.ui.sourceLabel.setText(tr("Open a provincial database first."))
            return
        self.target = core_target(source)
        try:
            self.db = open_database(self.target)
        except (RoadInfraError, ValueError) as exc:
            self.ui.sourceLabel.setText(html.escape(str(exc)))
            return
        self.ui.sourceLabel.setText(html.escape(Path(source).name if source.endswith(".gpkg")
                                                else source))
        self._follow_selection()
        self._fill_targets()
        self.refresh()

    def _follow_selection(self) -> None:
        """Selecting one route (or one district polygon) on the map summarises it."""
        self._unfollow_selection()
        for layer in self.project.mapLayers().values():
            if layer.customProperty(TABLE_PROPERTY) in ("route", "admin_unit"):
                layer.selectionChanged.connect(self._selection_changed)
                self._followed.append(layer)

    def _unfollow_selection(self) -> None:
        for layer in self._followed:
            try:
                layer.selectionChanged.disconnect(self._selection_changed)
            except (TypeError, RuntimeError):  # already disconnected or deleted
                pass
        self._followed = []

    def _selection_changed(self, *_args) -> None:
        layer = self.sender()
        features = layer.selectedFeatures() if layer is not None else []
        if len(features) != 1:
            return
        feature = features[0]
        if layer.customProperty(TABLE_PROPERTY) == "route":
            self.select("route", feature["id"])
        elif feature["level"] == "district" and feature["code"] in self.db.profile.district_codes:
            self.select("district", feature["code"])

    def _fill_targets(self) -> None:
        combo = self.ui.targetCombo
        combo.blockSignals(True)
        combo.clear()
        scope = self.ui.scopeCombo.currentData()
        if scope == "route" and self.db is not None:
            for route in sorted(self.db.fetch("route"), key=lambda r: str(r.get("code"))):
                combo.addItem(f"{route.get('code')} – {route.get('name') or ''}", route["id"])
        elif scope == "district" and self.db is not None:
            profile = self.db.profile
            for code in profile.district_codes:
                combo.addItem(f"{code} {profile.district_name(code, self.lang)}", code)
        combo.setEnabled(scope != "province")
        combo.setToolTip(combo.currentText())
        combo.blockSignals(False)

    def _scope_changed(self, _index: int) -> None:
        self._fill_targets()
        self.refresh()

    def _target_changed(self, _index: int) -> None:
        self.ui.targetCombo.setToolTip(self.ui.targetCombo.currentText())
        self.refresh()

    def select(self, scope: str, value: str | None = None) -> None:
        """Choose the scope (``province``, ``route`` id or ``district`` code) and refresh."""
        scope_combo, target_combo = self.ui.scopeCombo, self.ui.targetCombo
        scope_combo.blockSignals(True)
        scope_combo.setCurrentIndex(SCOPES.index(scope))
        scope_combo.blockSignals(False)
        self._fill_targets()
        if value is not None:
            index = target_combo.findData(value)
            if index < 0:
                raise RoadInfraError(f"{scope} {value!r} is not in the database")
            target_combo.blockSignals(True)
            target_combo.setCurrentIndex(index)
            target_combo.blockSignals(False)
        self.refresh()

    # --------------------------------------------------------------- summary
    def refresh(self) -> WorkTask | None:
        """Start a summary of the chosen scope as a background task (the one still running
        is cancelled); None without a database."""
        if self.db is None:
            return None
        scope = self.ui.scopeCombo.currentData()
        value = self.ui.targetCombo.currentData()
        if self.task is not None:
            self.task.cancel()
        work = partial(_summary, self.target, value if scope == "route" else None,
                       value if scope == "district" else None)
        self.task = WorkTask(tr("Condition summary"), work, self._task_done,
                             expected=(RoadInfraError, ValueError))
        self.ui.sourceLabel.setText(html.escape(self._source_name()) + " – "
                                    + html.escape(tr("computing…")))
        self.task.progressChanged.connect(self._show_progress)
        return start_task(self.task)

    def _source_name(self) -> str:
        return Path(self.target).name if self.target.endswith(".gpkg") else self.target

    def _show_progress(self, progress: float) -> None:
        computing = tr("computing…")
        self.ui.sourceLabel.setText(f"{html.escape(self._source_name())} – "
                                    f"{html.escape(computing)} {progress:.0f} %")

    def _task_done(self, task: WorkTask) -> None:
        if task is not self.task:  # a newer refresh replaced it
            return
        self.task = None
        self.ui.sourceLabel.setText(html.escape(self._source_name()))
        if task.result is not None:
            self.last_summary = task.result
            self.ui.resultBrowser.setHtml(summary_html(task.result, self.lang))
            self.summary_shown.emit(task.result)
        elif task.error is not None:
            error = html.escape(str(task.error))
            self.ui.resultBrowser.setHtml(f"<p style='color:#b00'>{error}</p>")
            self.summary_shown.emit(None)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.task is not None:
            self.task.cancel()
            self.task = None
        self._unfollow_selection()
        if self.db is not None:
            self.db.close()
            self.db = None
        super().closeEvent(event)


def show_condition_panel(iface) -> ConditionSummaryPanel:
    """Show the dock (created once per main window) for the project's database."""
    return show_dock(iface, ConditionSummaryPanel, DOCK_OBJECT_NAME)


def remove_condition_panel(iface) -> None:
    """Remove the dock (plugin unload)."""
    remove_dock(iface, ConditionSummaryPanel, DOCK_OBJECT_NAME)
