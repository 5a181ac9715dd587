"""Load-control algorithms, one per module: check weighing records, daily overload
statistics, ESAL per route section. Each calls the same ``core.loads`` functions as the
``roadinfra loads`` command; the weighing-record CSV format is in docs/loads.md."""

from qgis.PyQt.QtCore import QT_TR_NOOP

GROUP = QT_TR_NOOP("Load control")
GROUP_ID = "loads"
