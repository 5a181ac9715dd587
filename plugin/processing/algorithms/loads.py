"""Load-control algorithms: check weighing records, daily overload statistics, ESAL per section.

Each one calls the same ``core.loads`` functions as the ``roadinfra loads`` command; the
weighing-record CSV format is documented in docs/loads.md.
"""

from __future__ import annotations

import math

import pandas as pd
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TR_NOOP, QVariant

from ....core.loads.check import check_file
from ....core.loads.esal import (
    LOADING_COLUMNS,
    StationLocation,
    assign_section,
    loading_row,
    station_esal_per_day,
)
from ....core.loads.stats import daily_station_stats
from ...settings import PluginSettings
from ..base import RoadInfraAlgorithm

GROUP = QT_TR_NOOP("Load control")
GROUP_ID = "loads"
_BATCH = 10000


def _qvariant_type(dtype) -> QVariant.Type:
    if pd.api.types.is_bool_dtype(dtype):
        return QVariant.Bool
    if pd.api.types.is_integer_dtype(dtype):
        return QVariant.LongLong
    if pd.api.types.is_float_dtype(dtype):
        return QVariant.Double
    return QVariant.String


def _plain(value):
    """numpy/pandas scalars to Python values; missing values (QGIS NULL too) to None."""
    if value is None or value is pd.NA or (isinstance(value, QVariant) and value.isNull()):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def frame_fields(frame: pd.DataFrame) -> QgsFields:
    fields = QgsFields()
    for name in frame.columns:
        fields.append(QgsField(str(name), _qvariant_type(frame[name].dtype)))
    return fields


def write_frame(sink, fields: QgsFields, frame: pd.DataFrame, feedback) -> None:
    """Add the rows of ``frame`` to ``sink`` as attribute-only features, in batches."""
    columns = [frame[c].to_numpy(dtype=object) for c in frame.columns]
    batch = []
    for i in range(len(frame)):
        feature = QgsFeature(fields)
        feature.setAttributes([_plain(col[i]) for col in columns])
        batch.append(feature)
        if len(batch) == _BATCH:
            sink.addFeatures(batch, QgsFeatureSink.FastInsert)
            batch = []
            if feedback.isCanceled():
                return
    if batch:
        sink.addFeatures(batch, QgsFeatureSink.FastInsert)


class _WeighingInput:
    """The weighing-record CSV and profile parameters shared by the load algorithms."""

    INPUT = "INPUT"
    PROFILE = "PROFILE"

    def add_input_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterFile(
            self.INPUT, self.tr("Weighing records (CSV)"), extension="csv"))
        self.addParameter(QgsProcessingParameterString(
            self.PROFILE, self.tr("Jurisdiction profile (id or .toml file)"),
            defaultValue=PluginSettings.load().profile))

    def checked_file(self, parameters, context, feedback):
        path = self.parameterAsFile(parameters, self.INPUT, context)
        profile = self.parameterAsString(parameters, self.PROFILE, context).strip() or None
        checked = self.run_core(feedback, check_file, path, profile=profile)
        for error in checked.records.errors[:100]:
            where = f", column {error.field}" if error.field else ""
            feedback.reportError(self.tr("{0}: line {1}{2}: {3}").format(
                path, error.row, where, error.message))
        if len(checked.records.errors) > 100:
            feedback.reportError(self.tr("... {0} more bad rows").format(
                len(checked.records.errors) - 100))
        return checked


class CheckWeighingRecords(_WeighingInput, RoadInfraAlgorithm):
    """One output row per data row: governing limit and overload, or the row's error."""

    NAME = "loads_check"
    DISPLAY_NAME = QT_TR_NOOP("Check weighing records against axle-load limits")
    GROUP = GROUP
    GROUP_ID = GROUP_ID
    SHORT_HELP = QT_TR_NOOP(
        "Checks each weighed vehicle of a load-control CSV against the profile's single-axle, "
        "tandem, tridem and gross-weight limits (Circular 46/2015/TT-BGTVT for Thai Binh). "
        "The output table has the governing limit, the overload percentage and the ESAL of "
        "each vehicle; rows that cannot be read keep their line number and the error, and "
        "every other row is still checked."
    )
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None) -> None:
        self.add_input_parameters()
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Checked records"), QgsProcessing.TypeVector))
        for name, label in (("CHECKED", self.tr("Records checked")),
                            ("REJECTED", self.tr("Rows rejected")),
                            ("OVERLOADED", self.tr("Overloaded vehicles"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        checked = self.checked_file(parameters, context, feedback)
        frame = checked.report_frame()
        fields = frame_fields(frame)
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          QgsWkbTypes.NoGeometry)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        write_frame(sink, fields, frame, feedback)
        overloaded = int(checked.result.overloaded.sum())
        feedback.pushInfo(self.tr("{0} records checked, {1} rejected, {2} overloaded").format(
            len(checked.records), checked.records.rejected_rows, overloaded))
        return {self.OUTPUT: dest, "CHECKED": len(checked.records),
                "REJECTED": checked.records.rejected_rows, "OVERLOADED": overloaded}


class DailyOverloadStatistics(_WeighingInput, RoadInfraAlgorithm):
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

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        checked = self.checked_file(parameters, context, feedback)
        daily = daily_station_stats(checked.records, checked.result, checked.esal)
        fields = frame_fields(daily)
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          QgsWkbTypes.NoGeometry)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        write_frame(sink, fields, daily, feedback)
        return {self.OUTPUT: dest}


class EsalPerRouteSection(_WeighingInput, RoadInfraAlgorithm):
    """traffic_loading rows: each section gets the ESAL/day of a station on its route."""

    NAME = "loads_esal_sections"
    DISPLAY_NAME = QT_TR_NOOP("ESAL per route section")
    GROUP = GROUP
    GROUP_ID = GROUP_ID
    SHORT_HELP = QT_TR_NOOP(
        "Turns weighed axle loads into equivalent standard axles (100 kN, fourth-power law; "
        "exponent from the profile) per day at each station, and gives each route section "
        "the ESAL/day of the station(s) inside it, or else of the nearest station on the same "
        "route by chainage. The output has the columns of the traffic_loading table and the "
        "section geometry."
    )
    STATIONS = "STATIONS"
    STATION_CODE = "STATION_CODE"
    STATION_ROUTE = "STATION_ROUTE"
    STATION_CHAINAGE = "STATION_CHAINAGE"
    SECTIONS = "SECTIONS"
    SECTION_ROUTE = "SECTION_ROUTE"
    SECTION_FROM = "SECTION_FROM"
    SECTION_TO = "SECTION_TO"
    YEAR = "YEAR"
    MAX_DISTANCE = "MAX_DISTANCE"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None) -> None:
        self.add_input_parameters()
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.STATIONS, self.tr("Load stations"), [QgsProcessing.TypeVector]))
        for name, label, default in (
            (self.STATION_CODE, self.tr("Station code field"), "code"),
            (self.STATION_ROUTE, self.tr("Station route field"), "route_id"),
            (self.STATION_CHAINAGE, self.tr("Station chainage field (m)"), "chainage_m"),
        ):
            self.addParameter(QgsProcessingParameterField(
                name, label, defaultValue=default, parentLayerParameterName=self.STATIONS,
                optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.SECTIONS, self.tr("Route sections"), [QgsProcessing.TypeVector]))
        for name, label, default in (
            (self.SECTION_ROUTE, self.tr("Section route field"), "route_id"),
            (self.SECTION_FROM, self.tr("Section start chainage field (m)"), "from_m"),
            (self.SECTION_TO, self.tr("Section end chainage field (m)"), "to_m"),
        ):
            self.addParameter(QgsProcessingParameterField(
                name, label, defaultValue=default, parentLayerParameterName=self.SECTIONS,
                optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.YEAR, self.tr("Year"), QgsProcessingParameterNumber.Integer,
            defaultValue=2025, minValue=1850, maxValue=2100))
        self.addParameter(QgsProcessingParameterNumber(
            self.MAX_DISTANCE, self.tr("Maximum distance to a station (m, empty: any)"),
            QgsProcessingParameterNumber.Double, optional=True, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Traffic loading"), QgsProcessing.TypeVectorLine))

    def _field(self, parameters, context, name, default, source) -> str:
        """The chosen field (the schema's column name when none is chosen); must exist."""
        field = self.parameterAsString(parameters, name, context) or default
        if source.fields().indexOf(field) < 0:
            raise QgsProcessingException(self.tr("Field {0} not found in {1}").format(
                field, source.sourceName()))
        return field

    def _number(self, feature, field, what):
        value = _plain(feature[field])
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if math.isnan(number):
            raise QgsProcessingException(self.tr("{0} {1}: field {2} is not a number: {3}")
                                         .format(what, feature.id(), field, value))
        return number

    def _text(self, feature, field, what):
        value = _plain(feature[field])
        if value is None or str(value).strip() == "":
            raise QgsProcessingException(self.tr("{0} {1}: field {2} is empty")
                                         .format(what, feature.id(), field))
        return str(value).strip()

    def processAlgorithm(self, parameters, context, feedback) -> dict:
        checked = self.checked_file(parameters, context, feedback)
        per_day = station_esal_per_day(checked.records, checked.esal)
        stations_src = self.parameterAsSource(parameters, self.STATIONS, context)
        sections_src = self.parameterAsSource(parameters, self.SECTIONS, context)
        if stations_src is None or sections_src is None:
            raise QgsProcessingException(self.tr("Load stations and route sections are needed"))
        code_f, route_f, ch_f = (self._field(parameters, context, p, d, stations_src)
                                 for p, d in ((self.STATION_CODE, "code"),
                                              (self.STATION_ROUTE, "route_id"),
                                              (self.STATION_CHAINAGE, "chainage_m")))
        stations = [
            StationLocation(self._text(f, code_f, self.tr("Station")),
                            self._text(f, route_f, self.tr("Station")),
                            self._number(f, ch_f, self.tr("Station")))
            for f in stations_src.getFeatures()
        ]
        year = self.parameterAsInt(parameters, self.YEAR, context)
        max_distance = None
        if parameters.get(self.MAX_DISTANCE) not in (None, ""):
            max_distance = self.parameterAsDouble(parameters, self.MAX_DISTANCE, context)
        route_f, from_f, to_f = (self._field(parameters, context, p, d, sections_src)
                                 for p, d in ((self.SECTION_ROUTE, "route_id"),
                                              (self.SECTION_FROM, "from_m"),
                                              (self.SECTION_TO, "to_m")))
        has_district = sections_src.fields().indexOf("district_code") >= 0

        fields = QgsFields()
        types = {"year": QVariant.Int, "from_m": QVariant.Double, "to_m": QVariant.Double,
                 "aadt": QVariant.Double, "heavy_pct": QVariant.Double,
                 "esal_per_day": QVariant.Double}
        for name in LOADING_COLUMNS:
            fields.append(QgsField(name, types.get(name, QVariant.String)))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          sections_src.wkbType(), sections_src.sourceCrs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        written = skipped = 0
        total = max(sections_src.featureCount(), 1)
        for i, feature in enumerate(sections_src.getFeatures()):
            if feedback.isCanceled():
                break
            what = self.tr("Section")
            route_id = self._text(feature, route_f, what)
            from_m = self._number(feature, from_f, what)
            to_m = self._number(feature, to_f, what)
            if not from_m < to_m:
                raise QgsProcessingException(self.tr(
                    "Section {0}: start chainage {1} is not below end chainage {2}").format(
                    feature.id(), from_m, to_m))
            found = assign_section(route_id, from_m, to_m, stations, per_day, max_distance)
            if found is None:
                skipped += 1
                continue
            district = _plain(feature["district_code"]) if has_district else None
            row = loading_row(route_id, from_m, to_m, year, found, district)
            out = QgsFeature(fields)
            out.setGeometry(feature.geometry())
            out.setAttributes([_plain(row[name]) for name in LOADING_COLUMNS])
            sink.addFeature(out, QgsFeatureSink.FastInsert)
            written += 1
            feedback.setProgress(100.0 * (i + 1) / total)
        for code, value in sorted(per_day.items()):
            feedback.pushInfo(self.tr("Station {0}: {1:.1f} ESAL/day").format(code, value))
        if skipped:
            feedback.pushWarning(self.tr("{0} section(s) have no station on their route")
                                 .format(skipped))
        return {self.OUTPUT: dest, "SECTIONS_WRITTEN": written}


__all__ = ["CheckWeighingRecords", "DailyOverloadStatistics", "EsalPerRouteSection"]
