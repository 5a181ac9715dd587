"""The Sync button: choose a package, sync it with the project's database in the
background (core ``sync_package``), say what happened and show the conflicts left."""

from __future__ import annotations

from functools import partial
from typing import Optional

from qgis.core import Qgis, QgsProject
from qgis.PyQt.QtWidgets import QFileDialog

from ...core.sync import sync_package
from ..database.connections import core_target
from ..database.layers import project_database
from ..i18n import tr
from ..tasks import WorkTask, start_task


def summary(report: dict) -> str:
    sent, got = report["sent"], report["received"]
    text = tr("Sent {0}, received {1}; {2} conflict(s) open").format(
        sum(sent.values()), sum(got.values()), report["open_conflicts"])
    problems = report.get("photos", {}).get("problems", [])
    if problems:
        text += "; " + tr("{0} photo file(s) missing or damaged").format(len(problems))
    return text


def sync_dialog(iface, package: Optional[str] = None) -> Optional[WorkTask]:
    """Ask for the package (unless given) and sync it with the project's database."""
    source = project_database(QgsProject.instance())
    if not source:
        iface.messageBar().pushMessage(tr("RoadInfra"), tr("Open the provincial database "
                                       "first"), Qgis.MessageLevel.Warning)
        return None
    if package is None:
        package, _ = QFileDialog.getOpenFileName(iface.mainWindow(), tr("Offline package"),
                                                 "", "GeoPackage (*.gpkg)")
        if not package:
            return None

    def done(task: WorkTask) -> None:
        report = task.result
        if report is not None:
            level = (Qgis.MessageLevel.Warning if report["photos"]["problems"]
                     else Qgis.MessageLevel.Success)
            iface.messageBar().pushMessage(tr("RoadInfra"), summary(report), level)
            if report["open_conflicts"]:
                from .conflicts_dock import show_conflicts_dock

                show_conflicts_dock(iface)
        else:
            error = str(task.error) if task.error is not None else tr("Sync cancelled")
            iface.messageBar().pushMessage(tr("RoadInfra"), error, Qgis.MessageLevel.Critical)

    work = partial(sync_package, package, core_target(source))
    return start_task(WorkTask(tr("Sync offline package"), work, done))
