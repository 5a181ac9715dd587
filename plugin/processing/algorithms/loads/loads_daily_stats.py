"""``roadinfra:loads_daily_stats``: overload statistics per station and local day
(``loads stats``)."""

from __future__ import annotations

from qgis.core import QgsProcessing, QgsProcessingParameterFeatureSink
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.loads.stats import daily_station_stats
from ...base import RoadInfraAlgorithm
from ...features import frame_fields, write_frame
from . import GROUP, GROUP_ID
from .weighing_input import WeighingInput


class DailyOverloadStatistics(WeighingInput, RoadInfraAlgorithm):
    """Per station and local day: vehicles, overloaded count and share, ESAL, by type."""

    NAME = "loads_daily_stats"
    DISPLAY_NAME = QT_TR_NOOP("Daily overload statistics")
    GROUP = GROUP
    GROUP_ID = GROUP_ID
    SHORT_HELP = QT_TR_NOOP(
        "Checks a load-control CSV and counts, per station and local day (UTC+07:00), the "
        "vehicles weighed, the overloaded ones and their share, the largest overload, the "
        "ESAL total and the counts by vehicle type. Rows that cannot be read are reported "
        "in the log and left out."
    )
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None) -> None:
        self.add_input_parameters()
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Daily statistics"), QgsProcessing.TypeVector))

    def process(self, parameters, context, feedback) -> dict:
        checked = self.checked_file(parameters, context, feedback)
        daily = daily_station_stats(checked.records, checked.result, checked.esal)
        fields = frame_fields(daily)
        sink, dest = self.sink(parameters, self.OUTPUT, context, fields)
        write_frame(sink, fields, daily, feedback)
        return {self.OUTPUT: dest}
