"""``roadinfra:condition_summary``: the condition summary of a database as a table
(``condition summary``; the Condition panel and the printed map show the same rows)."""

from __future__ import annotations

import json

from qgis.core import (
    QgsFeature,
    QgsProcessing,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TR_NOOP, QVariant

from .....core.condition.summary import condition_summary, route_id, summary_rows
from .....core.db import open_database
from .....core.labels import LANGUAGES
from ...base import RoadInfraAlgorithm
from ...features import fields_of, write_features
from . import GROUP, GROUP_ID

OUTPUT_FIELDS = (("section", QVariant.String), ("kind", QVariant.String),
                 ("class_key", QVariant.String), ("label", QVariant.String),
                 ("value_1", QVariant.String), ("value_2", QVariant.String))


class ConditionSummary(RoadInfraAlgorithm):
    """Pavement, structure and load condition of the network, a route or a district."""

    NAME = "condition_summary"
    DISPLAY_NAME = QT_TR_NOOP("Condition summary")
    GROUP = GROUP
    GROUP_ID = GROUP_ID
    SHORT_HELP = QT_TR_NOOP(
        "Summarises a provincial database: pavement sections and km per PCI class and IRI "
        "band of their latest survey, bridges and culverts per condition class of their "
        "latest inspection, and the overloaded share per load-control station; for the whole "
        "network, one route (code) or one district (code). The table has the rows of the "
        "Condition panel; SUMMARY holds the numbers as JSON."
    )
    ROUTE = "ROUTE"
    DISTRICT = "DISTRICT"
    LANGUAGE = "LANGUAGE"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None) -> None:
        self.add_database_parameter()
        self.addParameter(QgsProcessingParameterString(
            self.ROUTE, self.tr("Only this route (code)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.DISTRICT, self.tr("Only this district (code)"), optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.LANGUAGE, self.tr("Language of the labels"),
            options=[self.tr("Vietnamese"), self.tr("English")], defaultValue=0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Condition summary"), QgsProcessing.TypeVector))
        self.addOutput(QgsProcessingOutputString("SUMMARY", self.tr("Summary (JSON)")))

    def process(self, parameters, context, feedback) -> dict:
        route = self.parameterAsString(parameters, self.ROUTE, context).strip() or None
        district = self.parameterAsString(parameters, self.DISTRICT, context).strip() or None
        lang = LANGUAGES[self.parameterAsEnum(parameters, self.LANGUAGE, context)]
        with open_database(self.database(parameters, context)) as db:
            summary = self.run_core(feedback, condition_summary, db,
                                    route_id=route_id(db, route) if route else None,
                                    district_code=district)
        fields = fields_of(OUTPUT_FIELDS)
        sink, dest = self.sink(parameters, self.OUTPUT, context, fields)

        def features():
            for row in summary_rows(summary, lang):
                feature = QgsFeature(fields)
                values = list(row.cells) + [""] * (3 - len(row.cells))
                feature.setAttributes([row.section, row.kind, row.key, *values])
                yield feature

        write_features(sink, features(), feedback)
        feedback.pushInfo(summary.scope.heading(lang))
        return {self.OUTPUT: dest,
                "SUMMARY": json.dumps(summary.as_dict(), ensure_ascii=False)}
