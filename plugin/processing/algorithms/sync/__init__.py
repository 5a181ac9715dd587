"""Offline sync algorithms, one per module: make a package, sync it."""

from qgis.PyQt.QtCore import QT_TR_NOOP

GROUP = QT_TR_NOOP("Offline sync")
GROUP_ID = "sync"
