"""The Sync button: choose a package, sync it with the project's database in the
background (core ``sync_package``), say what happened and show the conflicts left."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Callable, Optional

from qgis.core import Qgis, QgsProject
from qgis.PyQt.QtWidgets import QFileDialog, QMessageBox

from ...core.db.targets import hides_a_password
from ...core.sync import sync_package
from ...core.sync.package import package_info
from ..database.connections import core_target
from ..database.layers import project_database
from ..i18n import tr
from ..log import log
from ..tasks import WorkTask, start_task


def summary(report: dict) -> str:
    sent, got = report["sent"], report["received"]
    text = tr("Sent {0}, received {1}; {2} conflict(s) open").format(
        sum(sent.values()), sum(got.values()), report["open_conflicts"])
    problems = report.get("photos", {}).get("problems", [])
    if problems:
        text += "; " + tr("{0} photo file(s) missing or damaged").format(len(problems))
    for said in derived_summary(report.get("derived", [])):
        text += "; " + said
    dropped = _dropped_rows(report)
    if dropped:
        text += "; " + tr("{0} row(s) removed from the package (see the RoadInfra "
                          "log)").format(len(dropped))
    discarded = report.get("photos", {}).get("discarded", [])
    if discarded:
        text += "; " + tr("{0} photo(s) discarded (see the RoadInfra log)").format(
            len(discarded))
    return text


def _derived(report: dict, kind: str) -> list:
    """The report's entries of deriving of one ``kind`` (kept, replaced, not_derived)."""
    return _of_kind(report.get("derived", []), kind)


def _of_kind(entries: list, kind: str) -> list:
    return [d for d in entries if d.get("kind", "kept") == kind]


def derived_summary(entries: list) -> list:
    """What a sync's or a resolve's deriving kept or could not derive, counted (each
    entry in the RoadInfra log: :func:`log_derived`)."""
    out = []
    kept = _of_kind(entries, "kept")
    if kept:
        out.append(tr("{0} value(s) kept that differ from what RoadInfra derives (see "
                      "the RoadInfra log)").format(len(kept)))
    missing = _of_kind(entries, "not_derived")
    if missing:
        out.append(tr("{0} value(s) RoadInfra could not derive (see the RoadInfra "
                      "log)").format(len(missing)))
    return out


def log_derived(entries: list) -> None:
    """Each value deriving kept although it derives another, replaced by the derived one
    or could not derive (a sync's or a resolve's ``derived`` entries), in the RoadInfra
    log."""
    for item in _of_kind(entries, "kept"):
        log(tr("Sync: {0} {1}, field {2}: kept {3}; RoadInfra derives {4}").format(
            item["table"], item["code"], item["field"], item["kept"], item["derived"]),
            "warning")
    for item in _of_kind(entries, "replaced"):
        log(tr("Sync: {0} {1}, field {2}: {3} replaced by the derived {4}").format(
            item["table"], item["code"], item["field"], item["kept"], item["derived"]))
    for item in _of_kind(entries, "not_derived"):
        log(tr("Sync: {0} {1}, field {2}: not derived: {3}").format(
            item["table"], item["code"], item["field"], item["message"]), "warning")


def _dropped_rows(report: dict) -> list:
    """The rows the sync removed from the package, photos aside (said as discarded)."""
    return [d for d in report.get("dropped", []) if d["table"] != "attachment"]


def warns(report: dict) -> bool:
    """Whether the sync's message is a warning: something the user should look at."""
    return bool(report.get("photos", {}).get("problems") or _derived(report, "kept")
                or _derived(report, "not_derived") or _dropped_rows(report)
                or report.get("photos", {}).get("discarded"))


def log_kept_values(report: dict) -> None:
    """Each value the sync kept although RoadInfra derives another, replaced by the derived
    one or could not derive, and each row it removed from the package or photo it
    discarded, in the RoadInfra log."""
    log_derived(report.get("derived", []))
    for item in _dropped_rows(report):
        log(tr("Sync: removed from the package: {0}").format(item["message"]), "warning")
    for item in report.get("photos", {}).get("discarded", []):
        log(tr("Sync: photo discarded: attachment {0}: {1}").format(
            item["row_id"], item["message"]), "warning")


def _ask(iface, text: str) -> bool:
    answer = QMessageBox.question(iface.mainWindow(), tr("Sync offline package"), text)
    return answer == QMessageBox.StandardButton.Yes


def sync_dialog(iface, package: Optional[str] = None,
                confirm: Optional[Callable[[str], bool]] = None) -> Optional[WorkTask]:
    """Ask for the package (unless given) and sync it with the project's database. When
    the project's database is itself an offline package (its own project, on the crew's
    laptop), offer to sync that package with the provincial database it was made from
    (``confirm``: asks the user, a Yes/No box by default), else ask for the provincial
    database."""
    source = project_database(QgsProject.instance())
    if not source:
        iface.messageBar().pushMessage(tr("RoadInfra"), tr("Open the provincial database "
                                       "first"), Qgis.MessageLevel.Warning)
        return None
    target = core_target(source)
    info = package_info(target) if target.lower().endswith(".gpkg") else None
    if info is not None:  # the project is a package's own: it is not the server
        server = info["server"]
        if hides_a_password(server):  # recorded for display: never tried with "***"
            iface.messageBar().pushMessage(tr("RoadInfra"), tr(
                "This project is the offline package '{0}', made from {1}, whose password "
                "RoadInfra does not keep: open the provincial database (Open provincial "
                "database...), then sync the package").format(info["name"], server),
                Qgis.MessageLevel.Warning)
            return None
        usable = server and (not server.lower().endswith(".gpkg") or Path(server).is_file())
        ask = confirm or partial(_ask, iface)
        if usable and package in (None, target) and ask(tr(
                "This project is the offline package '{0}', not the provincial database. "
                "Sync this package with the provincial database it was made from ({1})?"
                ).format(info["name"], server)):
            package, target = target, server
        else:
            iface.messageBar().pushMessage(tr("RoadInfra"), tr(
                "This project is the offline package '{0}', not the provincial database: open "
                "the provincial database (Open provincial database...), then sync the package"
                ).format(info["name"]), Qgis.MessageLevel.Warning)
            return None
    if package is None:
        package, _ = QFileDialog.getOpenFileName(iface.mainWindow(), tr("Offline package"),
                                                 "", "GeoPackage (*.gpkg)")
        if not package:
            return None

    def done(task: WorkTask) -> None:
        report = task.result
        if report is not None:
            log_kept_values(report)
            level = Qgis.MessageLevel.Warning if warns(report) else Qgis.MessageLevel.Success
            iface.messageBar().pushMessage(tr("RoadInfra"), summary(report), level)
            if report["open_conflicts"]:
                from .conflicts_dock import show_conflicts_dock

                show_conflicts_dock(iface)
        else:
            error = str(task.error) if task.error is not None else tr("Sync cancelled")
            iface.messageBar().pushMessage(tr("RoadInfra"), error, Qgis.MessageLevel.Critical)

    work = partial(sync_package, package, target)
    return start_task(WorkTask(tr("Sync offline package"), work, done))
