"""Run inside the real QGIS desktop (``qgis --code``): check RoadInfra's GUI, save a screenshot.

Not a pytest module. Reads RI_E2E_RESULT (JSON to write) and RI_E2E_SCREENSHOT (PNG) from
the environment; waits RI_E2E_DELAY_MS for the interface to settle, then quits QGIS.
"""

import json
import os
import sys
import traceback

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QAction, QApplication, QDockWidget, QLineEdit, QToolBar
from qgis.utils import active_plugins, iface

RESULT = os.environ["RI_E2E_RESULT"]
SCREENSHOT = os.environ["RI_E2E_SCREENSHOT"]
DELAY_MS = int(os.environ.get("RI_E2E_DELAY_MS", "4000"))
DATABASE = os.environ.get("RI_E2E_DATABASE")
ATLAS = os.environ.get("RI_E2E_ATLAS")   # PDF the background print of the plan atlas writes
EDIT_SHOTS = os.environ.get("RI_E2E_EDIT_SHOTS")  # folder: History panel and form screenshots


def probe():
    window = iface.mainWindow()
    toolbar = window.findChild(QToolBar, "RoadInfraToolbar")
    menus = [action.text() for action in window.menuBar().actions()]
    menu_action = next((a for a in window.menuBar().actions() if a.text() == "&RoadInfra"), None)
    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("roadinfra")
    result = {
        "active_plugins": list(active_plugins),
        "plugin_file": getattr(sys.modules.get("roadinfra"), "__file__", None),
        "toolbar_found": toolbar is not None,
        "toolbar_visible": bool(toolbar is not None and toolbar.isVisible()),
        "toolbar_actions": [a.text() for a in toolbar.actions()] if toolbar else [],
        "menu_bar": menus,
        "menu_actions": [a.text() for a in menu_action.menu().actions() if a.text()]
        if menu_action
        else [],
        "provider_registered": provider is not None,
        "provider_name": provider.name() if provider else None,
        "algorithms": sorted(a.id() for a in provider.algorithms()) if provider else [],
        "algorithm_load_errors": list(getattr(provider, "load_errors", ["no provider"])),
    }
    # "RoadInfra Processing tools" shows the toolbox filtered to RoadInfra.
    tools = window.findChild(QAction, "roadinfra_processing_tools")
    if tools is not None:
        tools.trigger()
        QApplication.processEvents()
    dock = window.findChild(QDockWidget, "ProcessingToolbox")
    search = dock.findChild(QLineEdit, "searchBox") if dock else None
    result["toolbox_visible"] = bool(dock is not None and dock.isVisible())
    result["toolbox_filter"] = search.text() if search else None
    if DATABASE:
        result.update(open_database(window))
    if DATABASE and ATLAS:
        result.update(print_atlas())
    return result


def print_atlas():
    """Print the plan atlas the way the dialog's OK does: a background task (its own QGIS
    process); wait for it while the interface keeps running."""
    import time

    from roadinfra.plugin.printing.atlas_dialog import start_print
    from roadinfra.plugin.printing.background import AtlasRequest

    layers_before = sorted(QgsProject.instance().mapLayers())
    task = start_print(iface, AtlasRequest(db=DATABASE, plan="latest", output=ATLAS,
                                           by="route", template="a4"))
    progress, ended = [], {}
    task.progressChanged.connect(progress.append)

    def end(complete):   # the task manager deletes the task after these signals
        ended.update(complete=complete, error=task.error, pages=task.pages)

    task.taskCompleted.connect(lambda: end(True))
    task.taskTerminated.connect(lambda: end(False))
    deadline = time.monotonic() + 240
    while not ended and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.05)
    QApplication.processEvents()
    return {
        "atlas_task_complete": ended.get("complete", False),
        "atlas_task_error": ended.get("error", "no end in 240 s"),
        "atlas_pages": ended.get("pages", 0),
        "atlas_progress_seen": len(progress),
        "atlas_project_unchanged": sorted(QgsProject.instance().mapLayers()) == layers_before,
    }


def open_database(window):
    """Load the demo database the way the dialog does, then show the condition panel."""
    from roadinfra.plugin.condition.summary_panel import show_condition_panel
    from roadinfra.plugin.database.layers import load_database_layers

    loaded = load_database_layers(DATABASE)
    canvas = iface.mapCanvas()
    canvas.setDestinationCrs(loaded.layers["route"].crs())
    canvas.setExtent(loaded.layers["admin_unit"].extent())
    canvas.refreshAllLayers()
    panel = show_condition_panel(iface)
    for _ in range(40):  # let the canvas render
        QApplication.processEvents()
        canvas.waitWhileRendering()
    result = {
        "layers": sorted(loaded.layers),
        "route_features": loaded.layers["route"].featureCount(),
        "condition_panel_visible": panel.isVisible(),
    }
    if EDIT_SHOTS:
        result.update(editing_shots(window, loaded))
    return result


def editing_shots(window, loaded):
    """Edit a bridge as a user does, open the History panel from the menu on it and the
    bridge's form; save both as screenshots (RI_E2E_EDIT_SHOTS folder)."""
    from qgis.core import QgsExpression, QgsFeatureRequest
    from qgis.gui import QgsAttributeDialog, QgsAttributeEditorContext

    bridges = loaded.layers["bridge"]
    feature = next(bridges.getFeatures(QgsFeatureRequest(QgsExpression(
        "\"code\" = 'BR-344-001'"))))
    bridges.startEditing()
    bridges.changeAttributeValue(feature.id(), bridges.fields().indexFromName("spans"),
                                 feature["spans"] + 1)
    saved = bridges.commitChanges()
    iface.setActiveLayer(bridges)
    window.findChild(QAction, "roadinfra_history").trigger()
    bridges.selectByIds([feature.id()])
    panel = window.findChild(QDockWidget, "RoadInfraHistoryDock")
    for _ in range(20):
        QApplication.processEvents()
    history_saved = panel.grab().save(os.path.join(EDIT_SHOTS, "e2e_history_panel.png"), "PNG")
    dialog = QgsAttributeDialog(bridges, bridges.getFeature(feature.id()), False, window, True,
                                QgsAttributeEditorContext())
    dialog.resize(820, 640)
    dialog.show()
    for _ in range(40):
        QApplication.processEvents()
    form_saved = dialog.grab().save(os.path.join(EDIT_SHOTS, "e2e_bridge_form_km.png"), "PNG")
    km = [w.text() for w in dialog.findChildren(QLineEdit) if w.text().startswith("Km")]
    dialog.close()
    return {"edit_saved": saved, "history_visible": panel.isVisible(),
            "history_rows": panel.list.rowCount(), "history_saved": history_saved,
            "form_saved": form_saved, "form_km": km}


def finish():
    try:
        result = probe()
    except Exception:  # noqa: BLE001 - report everything to the test
        result = {"error": traceback.format_exc()}
    try:
        QApplication.processEvents()
        result["screenshot_saved"] = iface.mainWindow().grab().save(SCREENSHOT, "PNG")
    except Exception:  # noqa: BLE001
        result["screenshot_error"] = traceback.format_exc()
    with open(RESULT, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2, ensure_ascii=False)
    QgsApplication.exit(0)


iface.mainWindow().resize(1280, 800)
QTimer.singleShot(DELAY_MS, finish)
