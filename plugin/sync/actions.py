"""The Sync button: choose a package, sync it with the project's database in the
background (core ``sync_package``), say what happened and show the conflicts left."""

from __future__ import annotations

from typing import Optional

from qgis.core import Qgis, QgsApplication, QgsProject, QgsTask
from qgis.PyQt.QtWidgets import QFileDialog

from ...core.errors import RoadInfraError
from ...core.sync import sync_package
from ..database.connections import core_target
from ..database.layers import project_database
from ..i18n import tr


class SyncTask(QgsTask):
    """``sync_package`` off the main thread; ``report`` or ``error`` when done."""

    def __init__(self, package: str, target: str, done):
        super().__init__(tr("Sync offline package"), QgsTask.Flag.CanCancel)
        self.package, self.target, self.done = package, target, done
        self.report: Optional[dict] = None
        self.error = ""

    def run(self) -> bool:
        try:
            self.report = sync_package(self.package, self.target, progress=self.setProgress,
                                       is_cancelled=self.isCanceled)
        except RoadInfraError as exc:
            self.error = str(exc)
            return False
        return True

    def finished(self, result: bool) -> None:  # noqa: N802 - QgsTask API, main thread
        self.done(self)


def summary(report: dict) -> str:
    sent, got = report["sent"], report["received"]
    text = tr("Sent {0}, received {1}; {2} conflict(s) open").format(
        sum(sent.values()), sum(got.values()), report["open_conflicts"])
    problems = report.get("photos", {}).get("problems", [])
    if problems:
        text += "; " + tr("{0} photo file(s) missing or damaged").format(len(problems))
    return text


def sync_dialog(iface, package: Optional[str] = None) -> Optional[SyncTask]:
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

    def done(task: SyncTask) -> None:
        if task.report is not None:
            level = (Qgis.MessageLevel.Warning if task.report["photos"]["problems"]
                     else Qgis.MessageLevel.Success)
            iface.messageBar().pushMessage(tr("RoadInfra"), summary(task.report), level)
            if task.report["open_conflicts"]:
                from .conflicts_dock import show_conflicts_dock

                show_conflicts_dock(iface)
        else:
            iface.messageBar().pushMessage(tr("RoadInfra"), task.error or tr("Sync cancelled"),
                                           Qgis.MessageLevel.Critical)

    task = SyncTask(package, core_target(source), done)
    QgsApplication.taskManager().addTask(task)
    return task
