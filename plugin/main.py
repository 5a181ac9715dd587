"""``RoadInfraPlugin``: the object QGIS creates through ``classFactory``."""

from __future__ import annotations

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QAction, QMenu, QMessageBox

from .actions import about_text, show_roadinfra_toolbox
from .cadastre.dialog import open_cadastre_dialog, remove_cadastre_dialog
from .condition.summary_panel import remove_condition_panel, show_condition_panel
from .crs import ensure_project_transform
from .database.open_dialog import open_database_dialog
from .editing.deleted_dialog import open_deleted_features
from .editing.history_panel import remove_history_panel, show_history_panel
from .editing.photos import attach_photos_dialog
from .editing.save_hooks import EditingHooks
from .i18n import current_language, install_translator, qm_path, remove_translator, tr
from .icons import icon, provider_icon
from .log import log
from .lrs.issue_dialog import open_issue_layer_dialog
from .planning.plan_dock import remove_plan_dock, show_plan_dock
from .printing.atlas_dialog import print_plan_atlas_dialog
from .processing.provider import RoadInfraProvider
from .sync.actions import sync_dialog
from .sync.conflicts_dock import remove_conflicts_dock, show_conflicts_dock

TOOLBAR_NAME = "RoadInfraToolbar"
MENU_NAME = "RoadInfraMenu"
ABOUT_ICON_SIZE = 64


def about_box(parent=None) -> QMessageBox:
    """The About box with the plugin's own icon (``QMessageBox.about`` shows QGIS's logo)."""
    box = QMessageBox(parent)
    box.setWindowTitle(tr("About RoadInfra"))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text())
    box.setIconPixmap(provider_icon().pixmap(ABOUT_ICON_SIZE, ABOUT_ICON_SIZE))
    box.setWindowIcon(provider_icon())
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


class RoadInfraPlugin:
    """Toolbar "RoadInfra", top-level menu "RoadInfra" and the Processing provider."""

    def __init__(self, iface) -> None:
        self.iface = iface
        self.provider: RoadInfraProvider | None = None
        self.toolbar = None
        self.menu: QMenu | None = None
        self.actions: dict[str, QAction] = {}
        self.editing: EditingHooks | None = None
        language = current_language()
        self.translator = install_translator(language)
        if self.translator is None and language != "en":
            log(f"No RoadInfra translation for '{language}' ({qm_path(language)}); using English.")

    def initProcessing(self) -> None:
        """Register the provider (QGIS calls this alone under ``qgis_process``)."""
        if self.provider is None:
            self.provider = RoadInfraProvider()
            if not QgsApplication.processingRegistry().addProvider(self.provider):
                log("The RoadInfra Processing provider could not be registered.", "critical")

    def initGui(self) -> None:
        self.initProcessing()
        window = self.iface.mainWindow()
        self.toolbar = self.iface.addToolBar(tr("RoadInfra"))
        self.toolbar.setObjectName(TOOLBAR_NAME)
        self.menu = QMenu(tr("&RoadInfra"), window)
        self.menu.setObjectName(MENU_NAME)

        self._add_action(
            "open_database",
            "open_database",
            tr("Open provincial database..."),
            lambda: open_database_dialog(self.iface),
            toolbar=True,
        )
        self._add_action(
            "condition_summary",
            "condition",
            tr("Condition summary"),
            lambda: show_condition_panel(self.iface),
            toolbar=True,
        )
        self._add_action("maintenance_plan", "roadinfra", tr("Maintenance plan"),
                         lambda: show_plan_dock(self.iface))
        self._add_action(
            "processing_tools",
            "roadinfra",
            tr("RoadInfra Processing tools"),
            lambda: show_roadinfra_toolbox(self.iface),
            toolbar=True,
        )
        self._add_action("sync_package", "sync", tr("Sync offline package..."),
                         lambda: sync_dialog(self.iface), toolbar=True)
        self._add_action("sync_conflicts", "conflicts", tr("Sync conflicts"),
                         lambda: show_conflicts_dock(self.iface), toolbar=True)
        self._add_action("lrs_issues", "roadinfra", tr("Calibration issues layer..."),
                         lambda: open_issue_layer_dialog(self.iface))
        self._add_action("print_plan_atlas", "roadinfra", tr("Print plan atlas..."),
                         lambda: print_plan_atlas_dialog(self.iface))
        self._add_action("cadastre", "cadastre", tr("Cadastre..."),
                         lambda: open_cadastre_dialog(self.iface), toolbar=True)
        self.editing = EditingHooks(self.iface)
        self._add_action("history", "roadinfra", tr("History of the selected feature"),
                         lambda: show_history_panel(self.iface, self.editing))
        self._add_action("deleted_features", "roadinfra", tr("Deleted features..."),
                         lambda: open_deleted_features(self.iface, self.editing))
        self._add_action("attach_photos", "roadinfra", tr("Attach photos..."),
                         lambda: attach_photos_dialog(self.iface, self.editing))
        self.menu.addSeparator()
        self._add_action(
            "about",
            "roadinfra",
            tr("About RoadInfra"),
            lambda: about_box(self.iface.mainWindow()).exec(),
        )
        self._pin_datum_transformation()
        QgsProject.instance().readProject.connect(self._pin_datum_transformation)
        QgsProject.instance().cleared.connect(self._pin_datum_transformation)  # File > New
        menu_bar = window.menuBar()
        help_menu = self.iface.helpMenu()
        before = help_menu.menuAction() if help_menu is not None else None
        if before is not None and before in menu_bar.actions():
            menu_bar.insertMenu(before, self.menu)
        else:
            menu_bar.addMenu(self.menu)

    def _pin_datum_transformation(self, *_args) -> None:
        """Make WGS 84 <-> provincial grid use the profile's official datum shift."""
        try:
            ensure_project_transform()
        except Exception as exc:  # noqa: BLE001 - never block QGIS start-up, say why instead
            log(f"Could not pin the VN-2000 datum transformation: {exc}", "warning")

    def _add_action(self, key, icon_name, text, slot, toolbar=False) -> QAction:
        action = QAction(icon(icon_name), text, self.iface.mainWindow())
        action.setObjectName(f"roadinfra_{key}")
        action.triggered.connect(slot)
        self.menu.addAction(action)
        if toolbar:
            self.toolbar.addAction(action)
        self.actions[key] = action
        return action

    def unload(self) -> None:
        for signal in (QgsProject.instance().readProject, QgsProject.instance().cleared):
            try:
                signal.disconnect(self._pin_datum_transformation)
            except TypeError:  # never connected (initGui not called)
                pass
        remove_condition_panel(self.iface)
        remove_plan_dock(self.iface)
        remove_history_panel(self.iface)
        if self.editing is not None:
            self.editing.unload()
            self.editing = None
        remove_conflicts_dock(self.iface)
        remove_cadastre_dialog(self.iface)
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        for action in self.actions.values():
            action.deleteLater()
        self.actions = {}
        if self.menu is not None:
            self.menu.menuAction().setVisible(False)
            self.iface.mainWindow().menuBar().removeAction(self.menu.menuAction())
            self.menu.deleteLater()
            self.menu = None
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.deleteLater()
            self.toolbar = None
        remove_translator(self.translator)
        self.translator = None
