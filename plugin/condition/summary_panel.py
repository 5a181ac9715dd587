"""Dock "Tình trạng / Condition": condition summary of the whole province, a route or a district.

The numbers come from :func:`roadinfra.core.condition.summary.condition_summary`; this module
only chooses the scope, opens the database recorded in the project and renders HTML.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Dict

from qgis.core import QgsProject
from qgis.gui import QgsDockWidget
from qgis.PyQt import uic
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QWidget

from ...core.condition.summary import STRUCTURE_CLASS_LABELS, STRUCTURE_CLASSES, condition_summary
from ...core.errors import RoadInfraError
from ..database.connections import core_target
from ..database.layers import project_database
from ..database.naming import TABLE_PROPERTY
from ..i18n import current_language, tr

FORM_PATH = Path(__file__).resolve().parents[2] / "forms" / "condition_summary.ui"
FORM_CLASS, _ = uic.loadUiType(str(FORM_PATH))
DOCK_OBJECT_NAME = "RoadInfraConditionDock"
SCOPES = ("province", "route", "district")

# Colours of the classes, best to worst (same scale as the map styles).
PCI_COLOURS = ("#006d2c", "#74c476", "#ffeb3b", "#fc9272", "#e31a1c", "#800026", "#636363")
IRI_COLOURS = ("#1a9641", "#a6d96a", "#fdae61", "#d7191c", "#7f0000")
STRUCTURE_COLOURS = {"good": "#1a9641", "fair": "#fdae61", "poor": "#d7191c", "none": "#9e9e9e"}


def _texts() -> Dict[str, str]:
    """The panel's fixed texts in the user's language, HTML-escaped."""
    texts = {
        "sections_h": tr("Sections"), "not_surveyed": tr("Not surveyed"),
        "poor": tr("Poor condition:"), "pavement": tr("Pavement"), "sections": tr("sections"),
        "mean_pci": tr("Length-weighted mean PCI"),
        "mean_iri": tr("Length-weighted mean IRI (m/km)"),
        "stations": tr("Load-control stations"), "station": tr("Station"),
        "vehicles": tr("Vehicles"), "overloaded": tr("Overloaded"),
        "no_station": tr("No station in this scope."),
    }
    return {key: html.escape(value) for key, value in texts.items()}


def _km(metres: float) -> str:
    return f"{metres / 1000.0:.2f}"


def _swatch(colour: str) -> str:
    return f'<span style="background-color:{colour}">&nbsp;&nbsp;&nbsp;</span>'


def _lang_label(item: Dict[str, Any], lang: str) -> str:
    return html.escape(item["label_vi"] if lang == "vi" else item["label_en"])


def _class_table(classes, missing, colours, title: str, lang: str) -> str:
    rows = [f"<tr><th align='left'>{html.escape(title)}</th><th align='right'>"
            f"{_texts()['sections_h']}</th><th align='right'>km</th></tr>"]
    for index, item in enumerate(classes):
        colour = colours[min(index, len(colours) - 1)]
        rows.append(f"<tr><td>{_swatch(colour)} {_lang_label(item, lang)}</td>"
                    f"<td align='right'>{item['count']}</td>"
                    f"<td align='right'>{_km(item['length_m'])}</td></tr>")
    rows.append(f"<tr><td>{_swatch('#9e9e9e')} {_texts()['not_surveyed']}</td>"
                f"<td align='right'>{missing['count']}</td>"
                f"<td align='right'>{_km(missing['length_m'])}</td></tr>")
    return "<table cellspacing='0' cellpadding='2' width='100%'>" + "".join(rows) + "</table>"


def _structure_block(data: Dict[str, Any], title: str, lang: str) -> str:
    parts = [f"<h3>{html.escape(title)} ({data['count']})</h3><table cellpadding='2'>"]
    for key in STRUCTURE_CLASSES + ("none",):
        vi, en = STRUCTURE_CLASS_LABELS[key]
        parts.append(f"<tr><td>{_swatch(STRUCTURE_COLOURS[key])} "
                     f"{html.escape(vi if lang == 'vi' else en)}</td>"
                     f"<td align='right'>{data['by_condition'][key]}</td></tr>")
    parts.append("</table>")
    if data["poor"]:
        parts.append(f"<p><b style='color:#d7191c'>{_texts()['poor']}</b> ")
        flags = []
        for item in data["poor"]:
            text = f"{item['code']} {item.get('name') or ''} ({item['scheme']} "
            text += f"{item['overall_rating']}, {item['inspection_date']})"
            if item["structurally_deficient"]:
                text += " ⚠"
            flags.append(html.escape(text))
        parts.append("<br>".join(flags) + "</p>")
    return "".join(parts)


def summary_html(summary: Dict[str, Any], lang: str) -> str:
    """Render a :func:`condition_summary` result as the panel's HTML."""
    scope = summary["scope"]
    if scope.get("route_code"):
        heading = f"{scope['route_code']} – {scope.get('route_name') or ''}"
    elif scope.get("district_code"):
        heading = scope[f"district_name_{'vi' if lang == 'vi' else 'en'}"]
    else:
        heading = tr("Whole network")
    pav = summary["pavement"]
    parts = [f"<h2>{html.escape(heading)}</h2>",
             f"<h3>{_texts()['pavement']}: {pav['sections']} "
             f"{_texts()['sections']}, {_km(pav['length_m'])} km</h3>"]
    if pav["mean_pci"] is not None:
        parts.append(f"<p>{_texts()['mean_pci']}: "
                     f"<b>{pav['mean_pci']}</b></p>")
    parts.append(_class_table(pav["pci_classes"], pav["not_surveyed"]["pci"], PCI_COLOURS,
                              tr("PCI class"), lang))
    if pav["mean_iri"] is not None:
        parts.append(f"<p>{_texts()['mean_iri']}: "
                     f"<b>{pav['mean_iri']}</b></p>")
    parts.append(_class_table(pav["iri_bands"], pav["not_surveyed"]["iri"], IRI_COLOURS,
                              tr("IRI band"), lang))
    parts.append(_structure_block(summary["bridges"], tr("Bridges"), lang))
    parts.append(_structure_block(summary["culverts"], tr("Culverts"), lang))
    loads = summary["loads"]
    parts.append(f"<h3>{_texts()['stations']}</h3>")
    if loads["stations"]:
        rows = [f"<tr><th align='left'>{_texts()['station']}</th>"
                f"<th align='right'>{_texts()['vehicles']}</th>"
                f"<th align='right'>{_texts()['overloaded']}</th></tr>"]
        for station in loads["stations"]:
            share = station["overloaded_share_pct"]
            share_text = "–" if share is None else f"{share:.1f} %"
            rows.append(f"<tr><td>{html.escape(str(station['code']))}</td>"
                        f"<td align='right'>{station['records']}</td>"
                        f"<td align='right'>{share_text}</td></tr>")
        parts.append("<table cellpadding='2' width='100%'>" + "".join(rows) + "</table>")
    else:
        parts.append(f"<p>{_texts()['no_station']}</p>")
    return "".join(parts)


class ConditionSummaryPanel(QgsDockWidget):
    """The dock; :meth:`set_database` chooses the database, :meth:`refresh` recomputes."""

    def __init__(self, parent=None, project: QgsProject | None = None, lang: str | None = None):
        super().__init__(tr("Condition"), parent)
        self.setObjectName(DOCK_OBJECT_NAME)
        self.project = project or QgsProject.instance()
        self.lang = "vi" if (lang or current_language()) == "vi" else "en"
        self.ui = FORM_CLASS()
        body = QWidget(self)
        self.ui.setupUi(body)
        self.setWidget(body)
        self.target = ""
        self.db = None
        self._followed: list = []
        self.last_summary: Dict[str, Any] | None = None
        for key, text in zip(SCOPES, (tr("Whole network"), tr("Route"), tr("District"))):
            self.ui.scopeCombo.addItem(text, key)
        self.ui.scopeCombo.currentIndexChanged.connect(self._fill_targets)
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
        self.target = source
        try:
            self.db = open_database(core_target(source))
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
        combo.blockSignals(False)

    def select(self, scope: str, value: str | None = None) -> None:
        """Choose the scope (``province``, ``route`` id or ``district`` code) and refresh."""
        self.ui.scopeCombo.setCurrentIndex(SCOPES.index(scope))
        self._fill_targets()
        if value is not None:
            index = self.ui.targetCombo.findData(value)
            if index < 0:
                raise RoadInfraError(f"{scope} {value!r} is not in the database")
            self.ui.targetCombo.setCurrentIndex(index)
        self.refresh()

    def refresh(self) -> Dict[str, Any] | None:
        if self.db is None:
            return None
        scope = self.ui.scopeCombo.currentData()
        value = self.ui.targetCombo.currentData()
        try:
            summary = condition_summary(
                self.db,
                route_id=value if scope == "route" else None,
                district_code=value if scope == "district" else None,
            )
        except RoadInfraError as exc:
            self.ui.resultBrowser.setHtml(f"<p style='color:#b00'>{html.escape(str(exc))}</p>")
            return None
        self.last_summary = summary
        self.ui.resultBrowser.setHtml(summary_html(summary, self.lang))
        return summary

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._unfollow_selection()
        if self.db is not None:
            self.db.close()
            self.db = None
        super().closeEvent(event)


def show_condition_panel(iface) -> ConditionSummaryPanel:
    """Show the dock (created once per main window) for the project's database."""
    window = iface.mainWindow()
    panel = window.findChild(ConditionSummaryPanel, DOCK_OBJECT_NAME)
    if panel is None:
        panel = ConditionSummaryPanel(window)
        iface.addDockWidget(Qt.RightDockWidgetArea, panel)
    panel.setUserVisible(True)
    panel.set_database()
    return panel


def remove_condition_panel(iface) -> None:
    """Remove the dock (plugin unload)."""
    panel = iface.mainWindow().findChild(ConditionSummaryPanel, DOCK_OBJECT_NAME)
    if panel is not None:
        panel.close()
        iface.removeDockWidget(panel)
        panel.deleteLater()
