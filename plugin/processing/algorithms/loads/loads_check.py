"""``roadinfra:loads_check``: each weighed vehicle against the axle-load limits
(``loads check``)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputNumber,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from ...base import RoadInfraAlgorithm
from .weighing_input import WeighingInput


class CheckWeighingRecords(WeighingInput, RoadInfraAlgorithm):
    """One output row per data row: governing limit and overload, or the row's error."""

    NAME = "loads_check"
    OUTPUT_LABEL = QT_TR_NOOP("Checked records")
    DISPLAY_NAME = QT_TR_NOOP("Check weighing records against axle-load limits")
    SHORT_HELP = QT_TR_NOOP(
        "Checks each weighed vehicle of a load-control CSV or of a layer (e.g. the weighing "
        "records of the open provincial database) against the profile's single-axle, "
        "tandem, tridem and gross-weight limits (Circular 46/2015/TT-BGTVT for Thai Binh). "
        "The output table has the governing limit, the overload percentage and the ESAL of "
        "each vehicle; rows that cannot be read keep their line number and the error, and "
        "every other row is still checked."
    )

    def initAlgorithm(self, config=None) -> None:
        super().initAlgorithm(config)
        for name, label in (("CHECKED", self.tr("Records checked")),
                            ("REJECTED", self.tr("Rows rejected")),
                            ("OVERLOADED", self.tr("Overloaded vehicles"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def process(self, parameters, context, feedback) -> dict:
        checked = self.checked_file(parameters, context, feedback)
        dest = self.write_table(parameters, "OUTPUT", context, feedback, checked.report_frame())
        overloaded = int(checked.result.overloaded.sum())
        feedback.pushInfo(self.tr("{0} records checked, {1} rejected, {2} overloaded").format(
            len(checked.records), checked.records.rejected_rows, overloaded))
        return {"OUTPUT": dest, "CHECKED": len(checked.records),
                "REJECTED": checked.records.rejected_rows, "OVERLOADED": overloaded}
