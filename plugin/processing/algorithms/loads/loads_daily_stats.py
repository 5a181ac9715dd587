"""``roadinfra:loads_daily_stats``: overload statistics per station and local day
(``loads stats``)."""

from __future__ import annotations

from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.loads.stats import daily_station_stats
from ...base import RoadInfraAlgorithm
from .weighing_input import WeighingInput


class DailyOverloadStatistics(WeighingInput, RoadInfraAlgorithm):
    """Per station and local day: vehicles, overloaded count and share, ESAL, by type."""

    NAME = "loads_daily_stats"
    OUTPUT_LABEL = QT_TR_NOOP("Daily statistics")
    DISPLAY_NAME = QT_TR_NOOP("Daily overload statistics")
    SHORT_HELP = QT_TR_NOOP(
        "Checks a load-control CSV or layer and counts, per station and local day (UTC+07:00), the "
        "vehicles weighed, the overloaded ones and their share, the largest overload, the "
        "ESAL total and the counts by vehicle type. Rows that cannot be read are reported "
        "in the log and left out."
    )

    def process(self, parameters, context, feedback) -> dict:
        checked = self.checked_file(parameters, context, feedback)
        daily = daily_station_stats(checked.records, checked.result, checked.esal)
        return {"OUTPUT": self.write_table(parameters, "OUTPUT", context, feedback, daily)}
