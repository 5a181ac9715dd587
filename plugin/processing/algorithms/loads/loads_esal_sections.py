"""``roadinfra:loads_esal_sections``: ESAL per day of each route section, from the weighing
records of the stations on its route (``loads esal``)."""

from __future__ import annotations

import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.errors import RoadInfraError
from .....core.loads.esal import LOADING_COLUMNS, esal_sections, station_esal_per_day
from .... import field_types
from ...base import RoadInfraAlgorithm
from ...features import fields_of, source_records
from .weighing_input import WeighingInput

#: Field parameters of the two layers and their defaults (the schema's column names).
STATION_FIELDS = (("STATION_CODE", QT_TR_NOOP("Station code field"), "code"),
                  ("STATION_ROUTE", QT_TR_NOOP("Station route field"), "route_id"),
                  ("STATION_CHAINAGE", QT_TR_NOOP("Station chainage field (m)"), "chainage_m"))
SECTION_FIELDS = (("SECTION_ROUTE", QT_TR_NOOP("Section route field"), "route_id"),
                  ("SECTION_FROM", QT_TR_NOOP("Section start chainage field (m)"), "from_m"),
                  ("SECTION_TO", QT_TR_NOOP("Section end chainage field (m)"), "to_m"))
TYPES = {"year": field_types.INT, "from_m": field_types.DOUBLE, "to_m": field_types.DOUBLE,
         "aadt": field_types.DOUBLE, "heavy_pct": field_types.DOUBLE,
         "esal_per_day": field_types.DOUBLE}


class EsalPerRouteSection(WeighingInput, RoadInfraAlgorithm):
    """traffic_loading rows: each section gets the ESAL/day of a station on its route."""

    NAME = "loads_esal_sections"
    STATION_CODE_PARAMETER = "STATION_CODE"
    DISPLAY_NAME = QT_TR_NOOP("ESAL per route section")
    SHORT_HELP = QT_TR_NOOP(
        "Turns weighed axle loads into equivalent standard axles (100 kN, fourth-power law; "
        "exponent from the profile) per day at each station, and gives each route section "
        "the ESAL/day of the station(s) inside it, or else of the nearest station on the same "
        "route by chainage. The output has the columns of the traffic_loading table and the "
        "section geometry."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_input_parameters(stations=False)
        for layer, label, fields in (("STATIONS", self.tr("Load stations"), STATION_FIELDS),
                                     ("SECTIONS", self.tr("Route sections"), SECTION_FIELDS)):
            self.addParameter(QgsProcessingParameterFeatureSource(
                layer, label, [QgsProcessing.SourceType.TypeVector]))
            for name, field_label, default in fields:
                self.addParameter(QgsProcessingParameterField(
                    name, self.tr(field_label), defaultValue=default,
                    parentLayerParameterName=layer, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "YEAR", self.tr("Year"), QgsProcessingParameterNumber.Type.Integer,
            defaultValue=2025, minValue=1850, maxValue=2100))
        self.addParameter(QgsProcessingParameterNumber(
            "MAX_DISTANCE", self.tr("Maximum distance to a station (m, empty: any)"),
            QgsProcessingParameterNumber.Type.Double, optional=True, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Traffic loading"), QgsProcessing.SourceType.TypeVectorLine))
        self.addOutput(QgsProcessingOutputNumber("SECTIONS_WRITTEN",
                                                 self.tr("Sections written")))

    def _records(self, parameters, context, layer: str, fields, optional=()) -> tuple:
        """The layer and its records: the chosen fields, then each ``optional`` field that
        the layer has (None where it has not)."""
        source = self.parameterAsSource(parameters, layer, context)
        if source is None:
            raise RoadInfraError(self.tr("Load stations and route sections are needed"))
        names = [self.parameterAsString(parameters, name, context) or default
                 for name, _label, default in fields]
        present = [name for name in optional if source.fields().indexOf(name) >= 0]
        records = source_records(source, names + present)
        padding = (None,) * (len(optional) - len(present))
        return source, [record + padding for record in records]

    def process(self, parameters, context, feedback) -> dict:
        checked = self.checked_file(parameters, context, feedback)
        per_day = station_esal_per_day(checked.records, checked.esal)
        stations, station_records = self._records(parameters, context, "STATIONS",
                                                  STATION_FIELDS)
        sections, section_records = self._records(parameters, context, "SECTIONS",
                                                  SECTION_FIELDS, optional=("district_code",))
        geometries = {feature.id(): feature.geometry() for feature in sections.getFeatures()}
        max_distance = None
        if parameters.get("MAX_DISTANCE") not in (None, ""):
            max_distance = self.parameterAsDouble(parameters, "MAX_DISTANCE", context)
        result = self.run_core(
            feedback, esal_sections, station_records, section_records, per_day,
            self.parameterAsInt(parameters, "YEAR", context), max_distance,
            stations_source=stations.sourceName(), sections_source=sections.sourceName(),
            row_word="feature")
        dest = self.write_table(
            parameters, "OUTPUT", context, feedback,
            pd.DataFrame(result.rows, columns=list(LOADING_COLUMNS)),
            fields_of((name, TYPES.get(name, field_types.STRING)) for name in LOADING_COLUMNS),
            sections.wkbType(), sections.sourceCrs(),
            [geometries[row] for row in result.section_rows])
        for code, value in sorted(per_day.items()):
            feedback.pushInfo(self.tr("Station {0}: {1:.1f} ESAL/day").format(code, value))
        if result.without_station:
            feedback.pushWarning(self.tr("{0} section(s) have no station on their route")
                                 .format(result.without_station))
        return {"OUTPUT": dest, "SECTIONS_WRITTEN": len(result.rows)}
