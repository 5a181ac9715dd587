"""The weighing-record CSV parameter shared by the load-control algorithms (no algorithm)."""

from __future__ import annotations

from qgis.core import QgsProcessingParameterFile

from .....core.loads.check import FileCheck, check_file

INPUT = "INPUT"


class WeighingInput:
    """Mixin for a RoadInfraAlgorithm: the CSV and profile parameters, and the checked file."""

    OUTPUT_LABEL = ""

    def add_input_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterFile(
            INPUT, self.tr("Weighing records (CSV)"), extension="csv"))
        self.add_profile_parameter()

    def initAlgorithm(self, config=None) -> None:
        """CSV and profile in, the table ``OUTPUT`` (labelled ``OUTPUT_LABEL``) out."""
        self.add_input_parameters()
        self.add_table_output("OUTPUT", self.tr(self.OUTPUT_LABEL))

    def checked_file(self, parameters, context, feedback) -> FileCheck:
        """The file checked against the profile's limits; every bad row to the log."""
        path = self.parameterAsFile(parameters, INPUT, context)
        checked = self.run_core(feedback, check_file, path,
                                profile=self.profile(parameters, context))
        for error in checked.records.errors:
            where = f", column {error.field}" if error.field else ""
            feedback.reportError(self.tr("{0}: line {1}{2}: {3}").format(
                path, error.row, where, error.message))
        return checked
