"""The *Print plan atlas* dialog: database, plan, template, sheets per district / route /
item, language and output PDF; OK starts a :class:`PrintAtlasTask` in the background (QGIS's
task bar shows its progress and cancels it) and the message bar says where the PDF is."""

from __future__ import annotations

from qgis.core import Qgis, QgsApplication, QgsTask
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
)

from ...core.db import open_database
from ...core.errors import RoadInfraError
from ..i18n import current_language, tr
from ..processing.base import open_database_default
from .background import AtlasRequest, PrintAtlasTask
from .plan_atlas import TEMPLATES

_tasks: list = []   # running tasks are kept alive here until they finish


class PlanAtlasDialog(QDialog):
    """Choose what to print; :meth:`request` is the print asked for."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Print plan atlas"))
        form = QFormLayout(self)
        self.database = QLineEdit(open_database_default(), self)
        self.database.setPlaceholderText(tr("GeoPackage file or service=NAME"))
        self.plans = QComboBox(self)
        self.plans.setEditable(True)
        reload_button = QPushButton(tr("Read plans"), self)
        reload_button.clicked.connect(self.read_plans)
        self.by = QComboBox(self)
        for key, text in (("area", tr("District")), ("route", tr("Route")),
                          ("item", tr("Plan item"))):
            self.by.addItem(text, key)
        self.template = QComboBox(self)
        for key, text in zip(TEMPLATES, (tr("A3 landscape"), tr("A4 portrait"))):
            self.template.addItem(text, key)
        self.language = QComboBox(self)
        self.language.addItem(tr("Vietnamese"), "vi")
        self.language.addItem(tr("English"), "en")
        self.language.setCurrentIndex(0 if current_language() == "vi" else 1)
        self.geospatial = QCheckBox(tr("Geospatial PDF where available"), self)
        self.output = QgsFileWidget(self)
        self.output.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        self.output.setFilter(tr("PDF files (*.pdf)"))
        for label, widget in ((tr("Provincial database"), self.database),
                              (tr("Plan"), self.plans), ("", reload_button),
                              (tr("One sheet per"), self.by), (tr("Template"), self.template),
                              (tr("Language"), self.language), ("", self.geospatial),
                              (tr("Output PDF"), self.output)):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.message = ""
        self.read_plans()

    def read_plans(self) -> None:
        """Fill the plan list from the database (newest first), 'latest' on top."""
        self.plans.clear()
        self.plans.addItem("latest")
        target = self.database.text().strip()
        if not target:
            return
        try:
            with open_database(target) as db:
                plans = db.fetch("maintenance_plan")
        except RoadInfraError as exc:
            self.message = str(exc).splitlines()[0]
            return
        for plan in sorted(plans, key=lambda p: str(p.get("created_at") or ""), reverse=True):
            self.plans.addItem(f"{plan['code']} - {plan.get('name') or ''}", plan["code"])

    def request(self) -> AtlasRequest:
        plan = self.plans.currentData() or self.plans.currentText().split(" - ")[0].strip()
        return AtlasRequest(db=self.database.text().strip(), plan=plan or "latest",
                            output=self.output.filePath().strip(),
                            by=self.by.currentData(), template=self.template.currentData(),
                            lang=self.language.currentData(),
                            geospatial=self.geospatial.isChecked())


def start_print(iface, request: AtlasRequest) -> PrintAtlasTask:
    """Start the background print of ``request``; the message bar reports its end."""
    task = PrintAtlasTask(request)
    bar = iface.messageBar()

    def finished():
        if task.status() == QgsTask.TaskStatus.Complete:
            bar.pushMessage(tr("RoadInfra"), tr("Plan atlas of {pages} sheets written to "
                                                "{path}").format(pages=task.pages,
                                                                 path=request.output),
                            Qgis.MessageLevel.Success)
        else:
            bar.pushMessage(tr("RoadInfra"), task.error or tr("Printing failed"),
                            Qgis.MessageLevel.Critical)
        _tasks.remove(task)

    task.taskCompleted.connect(finished)
    task.taskTerminated.connect(finished)
    _tasks.append(task)
    QgsApplication.taskManager().addTask(task)
    return task


def print_plan_atlas_dialog(iface) -> None:
    """Show the dialog; OK starts the print in the background."""
    dialog = PlanAtlasDialog(iface.mainWindow())
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    request = dialog.request()
    if not request.db or not request.output:
        iface.messageBar().pushMessage(tr("RoadInfra"),
                                       tr("Choose a database and an output PDF"),
                                       Qgis.MessageLevel.Warning)
        return
    start_print(iface, request)
