"""``roadinfra:condition_summary``: the condition summary of a database as a table
(``condition summary``; the Condition panel and the printed map show the same rows)."""

from __future__ import annotations

import json

import pandas as pd
from qgis.core import (
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.condition.summary import condition_summary, route_id, summary_rows
from .....core.db import open_database
from .....core.labels import LANGUAGES
from ...base import RoadInfraAlgorithm

#: Columns of the output table: the SummaryRow's section, kind and key, then its cells.
COLUMNS = ("section", "kind", "class_key", "label", "value_1", "value_2")


class ConditionSummary(RoadInfraAlgorithm):
    """Pavement, structure and load condition of the network, a route or a district."""

    NAME = "condition_summary"
    DISPLAY_NAME = QT_TR_NOOP("Condition summary")
    SHORT_HELP = QT_TR_NOOP(
        "Summarises a provincial database: pavement sections and km per PCI class and IRI "
        "band of their latest survey, bridges and culverts per condition class of their "
        "latest inspection, and the overloaded share per load-control station; for the whole "
        "network, one route (code) or one district (code). The table has the rows of the "
        "Condition panel; SUMMARY holds the numbers as JSON."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_database_parameter()
        self.addParameter(QgsProcessingParameterString(
            "ROUTE", self.tr("Only this route (code)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            "DISTRICT", self.tr("Only this district (code)"), optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "LANGUAGE", self.tr("Language of the labels"),
            options=[self.tr("Vietnamese"), self.tr("English")], defaultValue=0))
        self.add_table_output("OUTPUT", self.tr("Condition summary"))
        self.addOutput(QgsProcessingOutputString("SUMMARY", self.tr("Summary (JSON)")))

    def process(self, parameters, context, feedback) -> dict:
        route = self.parameterAsString(parameters, "ROUTE", context).strip() or None
        district = self.parameterAsString(parameters, "DISTRICT", context).strip() or None
        lang = LANGUAGES[self.parameterAsEnum(parameters, "LANGUAGE", context)]
        with open_database(self.database(parameters, context)) as db:
            summary = self.run_core(feedback, condition_summary, db,
                                    route_id=route_id(db, route) if route else None,
                                    district_code=district)
        rows = pd.DataFrame([(row.section, row.kind, row.key, *row.cells)
                             for row in summary_rows(summary, lang)], columns=COLUMNS)
        dest = self.write_table(parameters, "OUTPUT", context, feedback, rows)
        feedback.pushInfo(summary.scope.heading(lang))
        return {"OUTPUT": dest,
                "SUMMARY": json.dumps(summary.as_dict(), ensure_ascii=False)}
