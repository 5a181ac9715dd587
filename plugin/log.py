"""The one logging helper: messages go to the QGIS message log under the tag ``RoadInfra``."""

from __future__ import annotations

from qgis.core import Qgis, QgsMessageLog

TAG = "RoadInfra"

_LEVELS = {
    "info": Qgis.MessageLevel.Info,
    "warning": Qgis.MessageLevel.Warning,
    "critical": Qgis.MessageLevel.Critical,
    "success": Qgis.MessageLevel.Success,
}


def log(message: str, level: str = "info", notify: bool = False) -> None:
    """Write ``message`` to the RoadInfra tab of the message log.

    ``level`` is one of ``info``, ``warning``, ``critical``, ``success``; ``notify``
    makes QGIS flag the log panel so the user notices.
    """
    QgsMessageLog.logMessage(str(message), TAG, _LEVELS[level], notify)
