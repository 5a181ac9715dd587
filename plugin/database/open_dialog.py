"""The "Open provincial database..." dialog: a GeoPackage file or a PostGIS connection."""

from __future__ import annotations

from pathlib import Path
from typing import Union

from qgis.core import Qgis, QgsDataSourceUri, QgsProject, QgsSettings
from qgis.PyQt import uic
from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from ...core.errors import RoadInfraError
from ...core.profile import load_profile
from ..i18n import current_language, tr
from ..settings import PluginSettings
from .connections import connection_uri, pg_services, qgis_connections
from .layers import (
    DEFAULT_DISTRICT_KEY,
    DEFAULT_PG_SCHEMA,
    LoadedDatabase,
    load_database_layers,
)

FORM_PATH = Path(__file__).resolve().parents[2] / "forms" / "open_database.ui"
FORM_CLASS, _ = uic.loadUiType(str(FORM_PATH))


class OpenDatabaseDialog(QDialog, FORM_CLASS):
    """Choose the database; :meth:`accept` loads its layers into the project."""

    def __init__(self, parent=None, project: QgsProject | None = None,
                 lang: str | None = None):
        super().__init__(parent)
        self.setupUi(self)
        self.project = project or QgsProject.instance()
        self.lang = lang
        self.loaded: LoadedDatabase | None = None
        settings = PluginSettings.load()
        self.profile = load_profile(settings.profile or None)
        if settings.last_database.lower().endswith(".gpkg"):
            self.gpkgFile.setFilePath(settings.last_database)
        self.serviceCombo.addItems(pg_services())
        self._connections = qgis_connections()
        self.connectionCombo.addItems(sorted(self._connections))
        self.connectionRadio.setEnabled(bool(self._connections))
        self.districtCombo.addItem(tr("(none)"), "")
        name_key = "name_vi" if (lang or current_language()) == "vi" else "name_en"
        for district in self.profile.section("districts"):
            self.districtCombo.addItem(f'{district["code"]} {district[name_key]}',
                                       district["code"])
        current = QgsSettings().value(DEFAULT_DISTRICT_KEY, "", type=str)
        self.districtCombo.setCurrentIndex(max(0, self.districtCombo.findData(current)))
        self.gpkgRadio.toggled.connect(self._update_enabled)
        self.postgisRadio.toggled.connect(self._update_enabled)
        self.buttonBox.button(QDialogButtonBox.StandardButton.Ok).clicked.connect(self.accept)
        self._update_enabled()

    def _update_enabled(self) -> None:
        self.gpkgFile.setEnabled(self.gpkgRadio.isChecked())
        self.postgisBox.setEnabled(self.postgisRadio.isChecked())

    def source(self) -> Union[str, QgsDataSourceUri]:
        """The chosen GeoPackage path or PostgreSQL connection (raises RoadInfraError)."""
        if self.gpkgRadio.isChecked():
            path = self.gpkgFile.filePath().strip()
            if not path:
                raise RoadInfraError(tr("Choose a GeoPackage file."))
            return path
        authcfg = self.authSelect.configId() or None
        if self.serviceRadio.isChecked():
            service = self.serviceCombo.currentText().strip()
            if not service:
                raise RoadInfraError(tr("Choose a pg_service name."))
            return connection_uri(service=service, authcfg=authcfg)
        name = self.connectionCombo.currentText()
        if name not in self._connections:
            raise RoadInfraError(tr("Choose a QGIS PostgreSQL connection."))
        return connection_uri(conninfo=self._connections[name], authcfg=authcfg)

    def accept(self) -> None:
        try:
            source = self.source()
            district = self.districtCombo.currentData() or ""
            QgsSettings().setValue(DEFAULT_DISTRICT_KEY, district)
            self.loaded = load_database_layers(
                source, self.project, self.lang, profile=self.profile,
                default_district=district,
                pg_schema=self.schemaEdit.text().strip() or DEFAULT_PG_SCHEMA)
        except RoadInfraError as exc:
            QMessageBox.warning(self, tr("Open provincial database"), str(exc))
            return
        if isinstance(source, str):
            settings = PluginSettings.load()
            settings.last_database = source
            settings.save()
        super().accept()


def open_database_dialog(iface) -> LoadedDatabase | None:
    """Show the dialog from the toolbar/menu action; report the result in the message bar."""
    dialog = OpenDatabaseDialog(iface.mainWindow())
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.loaded is None:
        return None
    iface.messageBar().pushMessage(
        "RoadInfra", tr("{count} layers loaded.").format(count=len(dialog.loaded.layers)),
        level=Qgis.MessageLevel.Success, duration=5)
    return dialog.loaded
