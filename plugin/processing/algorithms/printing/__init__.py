"""Maps and reports: the printed condition map."""

from qgis.PyQt.QtCore import QT_TR_NOOP

GROUP = QT_TR_NOOP("Maps and reports")
GROUP_ID = "maps_reports"
