"""Dock "Kế hoạch bảo trì / Maintenance plan": a stored plan's cost per year and district and
its progress, and its items as a styled layer on the map.

The numbers are the plan reports of :func:`roadinfra.core.reports.build.plan_reports` (the
same tables as ``roadinfra report --plan`` and ``roadinfra:report``); this module lists the
database's plans, renders the tables as HTML and adds the plan layer.
"""

from __future__ import annotations

import html

from qgis.core import QgsProject
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...core.db import open_database
from ...core.errors import RoadInfraError
from ...core.labels import language
from ...core.reports.build import plan_reports
from ...core.schema import CODELISTS
from ..database.connections import core_target
from ..database.layers import project_database
from ..docks import remove_dock, show_dock
from ..i18n import current_language, tr
from .plan_layer import PLAN_LAYER_PROPERTY, plan_layer

DOCK_OBJECT_NAME = "RoadInfraPlanDock"
FORMATS = {"count": "{:,.0f}", "km": "{:,.2f}", "vnd": "{:,.1f}", "share": "{:.1%}"}
#: Money is shown in millions of VND in the dock (the workbook keeps whole VND).
VND_UNIT = 1e6


def _cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind in FORMATS and isinstance(value, (int, float)):
        return FORMATS[kind].format(value / VND_UNIT if kind == "vnd" else value)
    return html.escape(str(value))


def _label(column, lang: str) -> str:
    """A column's label; money columns say million VND (the dock's unit)."""
    label = column.label(lang)
    if column.kind == "vnd":
        label = label.replace("(đồng)", "(triệu đồng)").replace("(VND)", "(million VND)")
    return label


def table_html(table, lang: str) -> str:
    """A report table as HTML: bold header and total row, numbers right-aligned."""
    head = "".join(f"<th align='{'left' if c.kind == 'text' else 'right'}'>"
                   f"{html.escape(_label(c, lang))}</th>" for c in table.columns)
    rows = []
    for n, row in enumerate(table.rows, start=1):
        bold = table.total and n == len(table.rows)
        cells = "".join(
            f"<td align='{'left' if c.kind == 'text' else 'right'}'>"
            f"{'<b>' if bold else ''}{_cell(row.get(c.key), c.kind)}{'</b>' if bold else ''}"
            "</td>" for c in table.columns)
        rows.append(f"<tr>{cells}</tr>")
    return (f"<h3>{html.escape(table.title(lang))}</h3>"
            "<table cellspacing='0' cellpadding='3' border='1' width='100%'>"
            f"<tr>{head}</tr>{''.join(rows)}</table>")


def plan_html(tables, plan: dict, lang: str) -> str:
    """The dock's text: the plan's name and status, its cost by district and year and its
    progress by year."""
    status = CODELISTS["plan_status"].label(plan["status"], lang) if plan["status"] else ""
    status_label = tr("Status")
    parts = [f"<h2>{html.escape(plan['code'])} – {html.escape(plan['name'])}</h2>",
             f"<p>{html.escape(status_label)}: <b>{html.escape(status)}</b></p>"]
    parts += [table_html(t, lang) for t in tables if t.key in ("plan_cost", "plan_progress")]
    return "".join(parts)


class PlanDock(QgsDockWidget):
    """Choose a plan of the project's database; see its totals; show it on the map.

    ``plan_shown`` is emitted with the plan's report tables after each plan is shown."""

    plan_shown = pyqtSignal(object)

    def __init__(self, parent=None, project: QgsProject | None = None,
                 lang: str | None = None):
        super().__init__(tr("Maintenance plan"), parent)
        self.setObjectName(DOCK_OBJECT_NAME)
        self.project = project or QgsProject.instance()
        self.lang = language(lang or current_language())
        self.source = self.target = ""
        self.plans: list[dict] = []
        self.last_tables = None
        body = QWidget(self)
        layout = QVBoxLayout(body)
        row = QHBoxLayout()
        self.plan_combo = QComboBox(body)
        self.refresh_button = QPushButton(tr("Refresh"), body)
        row.addWidget(self.plan_combo, 1)
        row.addWidget(self.refresh_button)
        layout.addLayout(row)
        self.layer_button = QPushButton(tr("Show the plan on the map"), body)
        layout.addWidget(self.layer_button)
        self.browser = QTextBrowser(body)
        layout.addWidget(self.browser, 1)
        self.setWidget(body)
        self.plan_combo.currentIndexChanged.connect(self._show_current)
        self.refresh_button.clicked.connect(lambda: self.set_database(self.source or None))
        self.layer_button.clicked.connect(self.add_plan_layer)

    # ------------------------------------------------------------------ data
    def set_database(self, source: str | None = None) -> None:
        """Read the plans of ``source`` (default: the project's database), newest first."""
        source = source or project_database(self.project)
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        self.plans = []
        if not source:
            self.browser.setHtml(html.escape(tr("Open a provincial database first.")))
            self.plan_combo.blockSignals(False)
            return
        self.source, self.target = str(source), core_target(str(source))
        try:
            with open_database(self.target) as db:
                self.plans = sorted(db.fetch("maintenance_plan"), key=lambda p: p["code"],
                                    reverse=True)
        except RoadInfraError as exc:
            self.browser.setHtml(html.escape(str(exc)))
            self.plan_combo.blockSignals(False)
            return
        for plan in self.plans:
            self.plan_combo.addItem(f"{plan['code']} – {plan['name']}", plan["code"])
        self.plan_combo.blockSignals(False)
        if not self.plans:
            self.browser.setHtml(html.escape(tr("The database has no maintenance plan yet: "
                                                "build one with roadinfra plan build or the "
                                                "Processing tool.")))
            return
        self._show_current()

    def select(self, code: str) -> None:
        """Show plan ``code``."""
        index = self.plan_combo.findData(code)
        if index < 0:
            raise ValueError(f"no plan {code!r} in {self.target}")
        if index == self.plan_combo.currentIndex():
            self._show_current()
        else:
            self.plan_combo.setCurrentIndex(index)

    def current_plan(self) -> dict | None:
        code = self.plan_combo.currentData()
        return next((p for p in self.plans if p["code"] == code), None)

    def _show_current(self, *_args) -> None:
        plan = self.current_plan()
        if plan is None:
            return
        try:
            tables = plan_reports(self.target, plan["code"], self.lang)
        except RoadInfraError as exc:
            self.browser.setHtml(html.escape(str(exc)))
            return
        self.last_tables = tables
        self.browser.setHtml(plan_html(tables, plan, self.lang))
        self.plan_shown.emit(tables)

    # ------------------------------------------------------------------ map
    def add_plan_layer(self):
        """Add (or replace) the styled layer of the current plan; returns it."""
        plan = self.current_plan()
        if plan is None:
            return None
        for layer in self.project.mapLayers().values():
            if layer.customProperty(PLAN_LAYER_PROPERTY) == plan["code"]:
                self.project.removeMapLayer(layer.id())
        with open_database(self.target) as db:
            epsg = db.profile.crs_epsg
            years = {i["work_year"] for i in db.fetch("plan_item", where={"plan_id": plan["id"]})
                     if i.get("work_year") is not None}
        layer = plan_layer(self.source, plan, years, epsg=epsg, lang=self.lang)
        self.project.addMapLayer(layer)
        return layer


def show_plan_dock(iface) -> PlanDock:
    """Show the dock (created once per main window) for the project's database."""
    return show_dock(iface, PlanDock, DOCK_OBJECT_NAME)


def remove_plan_dock(iface) -> None:
    """Remove the dock (plugin unload)."""
    remove_dock(iface, PlanDock, DOCK_OBJECT_NAME)
