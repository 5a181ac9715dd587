"""Condition assessment algorithms, one per module: PCI, IRI classes, bridge inventory import
and the condition summary of a database."""

from qgis.PyQt.QtCore import QT_TR_NOOP

GROUP = QT_TR_NOOP("Condition assessment")
GROUP_ID = "condition"
