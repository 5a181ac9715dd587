"""What the toolbar and menu actions do."""

from __future__ import annotations

from qgis.core import Qgis
from qgis.gui import QgsFilterLineEdit
from qgis.PyQt.QtWidgets import QDockWidget

from ..core.version import __version__
from .i18n import tr
from .processing.provider import PROVIDER_ID

TOOLBOX_OBJECT_NAME = "ProcessingToolbox"


def show_roadinfra_toolbox(iface) -> bool:
    """Show the Processing toolbox filtered to RoadInfra's algorithms.

    Returns False (and tells the user in the message bar) when the Processing plugin,
    which owns the toolbox, is not active.
    """
    dock = iface.mainWindow().findChild(QDockWidget, TOOLBOX_OBJECT_NAME)
    if dock is None:
        iface.messageBar().pushMessage(
            "RoadInfra",
            tr("The Processing toolbox is not available: enable the Processing plugin."),
            level=Qgis.MessageLevel.Warning,
        )
        return False
    search = dock.findChild(QgsFilterLineEdit, "searchBox")
    if search is not None:
        search.setText(PROVIDER_ID)
    dock.setVisible(True)
    dock.raise_()
    return True


def about_text() -> str:
    return tr(
        "<b>RoadInfra {version}</b><br>"
        "Provincial road infrastructure management: bridges, culverts, pavement "
        "condition, load control and maintenance planning.<br>"
        "Licence: GNU GPL version 2 or later."
    ).format(version=__version__)

