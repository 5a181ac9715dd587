"""The weighing-record input shared by the load-control algorithms (no algorithm): a CSV file
or a layer the user has open (e.g. the ``weighing_record`` layer of the provincial database),
checked by the same core entry point."""

from __future__ import annotations

from qgis.core import QgsProcessing, QgsProcessingParameterFeatureSource, QgsVectorLayer

from .....core.errors import RoadInfraError
from .....core.loads import csv_format as fmt
from .....core.loads.check import FileCheck, check_file, check_weighing
from .....core.loads.records import records_from_rows
from ...features import check_fields, python_datetime, source_records

INPUT = "INPUT"
STATIONS = "STATIONS"
CSV_SUFFIXES = (".csv", ".txt")
#: a layer names its station by code (the CSV column) or by id (the database's station_id)
STATION_COLUMNS = ("station_code", "station_id")


class WeighingInput:
    """Mixin for a RoadInfraAlgorithm: the weighing records (CSV or layer), the load stations
    that name a layer's station ids, the profile, and the checked records."""

    OUTPUT_LABEL = ""
    STATION_CODE_PARAMETER = ""  # the field parameter of the station code, if the alg has one

    def add_input_parameters(self, stations: bool = True) -> None:
        """``stations``: add the optional load-station layer (an algorithm that has its own
        ``STATIONS`` parameter passes False)."""
        self.addParameter(QgsProcessingParameterFeatureSource(
            INPUT, self.tr("Weighing records (CSV file or layer)"),
            [QgsProcessing.SourceType.TypeVector]))
        if stations:
            self.addParameter(QgsProcessingParameterFeatureSource(
                STATIONS, self.tr("Load stations (for station codes)"),
                [QgsProcessing.SourceType.TypeVector], optional=True))
        self.add_profile_parameter()

    def initAlgorithm(self, config=None) -> None:
        """Records and profile in, the table ``OUTPUT`` (labelled ``OUTPUT_LABEL``) out."""
        self.add_input_parameters()
        self.add_table_output("OUTPUT", self.tr(self.OUTPUT_LABEL))

    def checked_file(self, parameters, context, feedback) -> FileCheck:
        """The records checked against the profile's limits; every bad row to the log."""
        profile = self.profile(parameters, context)
        path = self.input_file(parameters, INPUT, CSV_SUFFIXES)
        if path:
            checked = self.run_core(feedback, check_file, path, profile=profile)
            where, template = path, self.tr("{0}: line {1}{2}: {3}")
        else:
            source = self.parameterAsSource(parameters, INPUT, context)
            if source is None:
                raise RoadInfraError(self.tr("The weighing records cannot be read"))
            layer = self.parameterAsVectorLayer(parameters, INPUT, context)
            rows = self._layer_rows(source, layer, self._station_codes(parameters, context))
            records = self.run_core(feedback, records_from_rows, rows,
                                    source=source.sourceName())
            checked = self.run_core(feedback, check_weighing, records, profile)
            where, template = source.sourceName(), self.tr("{0}: feature {1}{2}: {3}")
        for error in checked.records.errors:
            column = f", column {error.field}" if error.field else ""
            feedback.reportError(template.format(where, error.row, column, error.message))
        return checked

    @staticmethod
    def _layer_rows(source, layer: QgsVectorLayer | None, codes: dict) -> list:
        """The features as core records (CSV columns in order; station ids named by code)."""
        station = next((name for name in STATION_COLUMNS
                        if source.fields().indexOf(name) >= 0), STATION_COLUMNS[0])
        required = [station, *fmt.REQUIRED_COLUMNS[1:]]
        check_fields(source, required)
        present = [name for name in fmt.OPTIONAL_COLUMNS if source.fields().indexOf(name) >= 0]
        padding = (None,) * (len(fmt.OPTIONAL_COLUMNS) - len(present))
        # a GeoPackage stores UTC times; QGIS 3.22 reads them as local times
        utc = layer is not None and layer.dataProvider().storageType() == "GPKG"
        rows = []
        for fid, code, weighed_at, *values in source_records(source, required + present):
            rows.append((fid, codes.get(code, code), python_datetime(weighed_at, utc), *values,
                         *padding))
        return rows

    def _station_codes(self, parameters, context) -> dict:
        """Station id -> code from the load-station layer, when one is given."""
        if self.parameterDefinition(STATIONS) is None or not parameters.get(STATIONS):
            return {}
        stations = self.parameterAsSource(parameters, STATIONS, context)
        code = (self.parameterAsString(parameters, self.STATION_CODE_PARAMETER, context)
                if self.STATION_CODE_PARAMETER else "") or "code"
        if stations is None or stations.fields().indexOf("id") < 0 \
                or stations.fields().indexOf(code) < 0:
            return {}
        return {str(sid): value for _fid, sid, value in source_records(stations, ["id", code])}
