"""Maintenance planning algorithms, one per module: an optimal plan from an options table, a
plan of the provincial database stored as a draft, and the standard reports as tables."""

from qgis.PyQt.QtCore import QT_TR_NOOP

GROUP = QT_TR_NOOP("Maintenance planning")
GROUP_ID = "planning"
