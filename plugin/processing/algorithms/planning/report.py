"""``roadinfra:report``: the standard reports of the provincial database as tables
(``report``), and optionally the formatted workbook."""

from __future__ import annotations

import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.labels import LANGUAGES
from .....core.reports.build import database_reports
from .....core.reports.xlsx import write_xlsx
from ...base import RoadInfraAlgorithm

#: Output of each report table (key): label; the plan's only with a plan code.
OUTPUTS = (("network_condition", QT_TR_NOOP("Network length by route class and PCI class")),
           ("structures_condition", QT_TR_NOOP("Bridges and culverts by condition")),
           ("overloads", QT_TR_NOOP("Overloaded vehicles by station and month")),
           ("plan_cost", QT_TR_NOOP("Plan cost by district and year")),
           ("plan_items", QT_TR_NOOP("Plan items")),
           ("plan_progress", QT_TR_NOOP("Plan progress by year")))
PLAN_TABLES = ("plan_cost", "plan_items", "plan_progress")


def report_frame(table) -> pd.DataFrame:
    """A report table's rows with its column keys as field names (total row included)."""
    return pd.DataFrame([[row.get(c.key) for c in table.columns] for row in table.rows],
                        columns=[c.key for c in table.columns])


class Report(RoadInfraAlgorithm):
    """The standard reports (network, structures, overloads, and a plan's cost, items and
    progress) as tables, in Vietnamese or English."""

    NAME = "report"
    DISPLAY_NAME = QT_TR_NOOP("Standard reports")
    SHORT_HELP = QT_TR_NOOP(
        "Writes the standard reports of the provincial database as tables: network length "
        "by route class and PCI class of the latest survey, bridges and culverts by "
        "condition, weighed and overloaded vehicles by station and month, and, with a plan "
        "code, the plan's cost by district and year, its items in priority order and its "
        "progress by year. The last row of a table with totals is the total. Optionally also "
        "the formatted workbook (XLSX, a sheet and a chart per report)."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_database_parameter()
        self.addParameter(QgsProcessingParameterString(
            "PLAN", self.tr("Plan code (e.g. MP-2027-01; empty: no plan reports)"),
            optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "LANGUAGE", self.tr("Language of the labels"),
            options=[self.tr("Vietnamese"), self.tr("English")], defaultValue=0))
        for key, label in OUTPUTS:
            self.addParameter(QgsProcessingParameterFeatureSink(
                key.upper(), self.tr(label), QgsProcessing.SourceType.TypeVector,
                optional=key in PLAN_TABLES, createByDefault=key not in PLAN_TABLES))
        self.addParameter(QgsProcessingParameterFileDestination(
            "XLSX", self.tr("Workbook (XLSX)"), self.tr("Excel workbook (*.xlsx)"),
            optional=True, createByDefault=False))

    def process(self, parameters, context, feedback) -> dict:
        plan = self.parameterAsString(parameters, "PLAN", context).strip() or None
        lang = LANGUAGES[self.parameterAsEnum(parameters, "LANGUAGE", context)]
        database = self.database(parameters, context)
        tables = database_reports(database, plan, lang)
        results = {}
        for table in tables:
            name = table.key.upper()
            if parameters.get(name) is None:  # an optional output not asked for
                continue
            results[name] = self.write_table(parameters, name, context, feedback,
                                             report_frame(table))
        xlsx = self.parameterAsFileOutput(parameters, "XLSX", context)
        if xlsx:
            write_xlsx(tables, xlsx, lang, inputs=[database])
            results["XLSX"] = xlsx
        return results
