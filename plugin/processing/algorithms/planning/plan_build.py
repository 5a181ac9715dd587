"""``roadinfra:plan_build``: plan the network of the provincial database and store the plan
as a draft (``plan build``): its items with their reasons, and every method compared."""

from __future__ import annotations

import pandas as pd
from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.planning.store import build_plan
from .....core.profile import load_profile
from ...base import RoadInfraAlgorithm
from .plan_inputs import PlanInputs
from .plan_optimize import comparison_frame

ITEM_COLUMNS = ("priority", "asset", "table", "year", "treatment", "quantity", "unit", "cost",
                "benefit", "condition_before", "condition_after", "reason")


class PlanBuild(PlanInputs, RoadInfraAlgorithm):
    """The network plan of a database (pavements, bridges, culverts), stored as a draft."""

    NAME = "plan_build"
    DISPLAY_NAME = QT_TR_NOOP("Build a maintenance plan of the database")
    SHORT_HELP = QT_TR_NOOP(
        "Forecasts the condition of every pavement section, bridge and culvert of the "
        "provincial database, lists the treatments the profile's decision table allows and "
        "chooses at most one per asset over the horizon to maximise the condition gained "
        "within each year's budget. The plan is stored as a draft (code MP-<year>-NN) with one "
        "item per treatment, unless 'Plan only' is ticked. OUTPUT lists the items in priority "
        "order with the condition before and after and the reason; COMPARISON gives each "
        "method's benefit and cost for the same money."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_database_parameter()
        self.add_plan_parameters()
        self.addParameter(QgsProcessingParameterNumber(
            "FIRST_YEAR", self.tr("First year of the plan"),
            QgsProcessingParameterNumber.Type.Integer, defaultValue=2027, minValue=1850,
            maxValue=2100))
        self.addParameter(QgsProcessingParameterNumber(
            "YEARS", self.tr("Years in the plan"), QgsProcessingParameterNumber.Type.Integer,
            defaultValue=5, minValue=1, maxValue=50))
        self.addParameter(QgsProcessingParameterString(
            "PROFILE", self.tr("Profile for the treatment table (empty: the database's own)"),
            optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "DRY_RUN", self.tr("Plan only (store nothing)"), defaultValue=False))
        self.add_table_output("OUTPUT", self.tr("Plan items"))
        self.add_table_output("COMPARISON", self.tr("Methods compared"))
        self.addOutput(QgsProcessingOutputString("CODE", self.tr("Plan code")))
        self.addOutput(QgsProcessingOutputNumber("BENEFIT", self.tr("Benefit")))
        self.addOutput(QgsProcessingOutputNumber("COST", self.tr("Cost")))

    def process(self, parameters, context, feedback) -> dict:
        profile_name = self.parameterAsString(parameters, "PROFILE", context).strip()
        first = self.parameterAsInt(parameters, "FIRST_YEAR", context)
        years = self.parameterAsInt(parameters, "YEARS", context)
        write = not self.parameterAsBool(parameters, "DRY_RUN", context)
        result, stored = self.run_core(
            feedback, build_plan, self.database(parameters, context),
            self.budget(parameters, context), first, years,
            self.method(parameters, context), with_comparison=True, write=write,
            gap=self.gap(parameters, context),
            profile=load_profile(profile_name) if profile_name else None)
        items = pd.DataFrame([
            (rank, c.option.section, c.table, c.option.year, c.treatment.code,
             round(c.quantity, 2), c.treatment.unit, c.option.cost, c.option.benefit,
             round(c.before, 3), round(c.after, 3), c.reason)
            for rank, c in enumerate(result.items(), start=1)], columns=ITEM_COLUMNS)
        plan = result.plan
        code = stored.get("code", "")
        feedback.pushInfo(self.tr("{0}: {1} item(s), cost {2:,.0f} VND{3}").format(
            plan.method, len(plan.chosen), plan.cost,
            self.tr(", stored as {0} (draft)").format(code) if code else ""))
        for line in result.skipped:
            feedback.pushInfo(self.tr("left out: {0}").format(line))
        return {"OUTPUT": self.write_table(parameters, "OUTPUT", context, feedback, items),
                "COMPARISON": self.write_table(parameters, "COMPARISON", context, feedback,
                                               comparison_frame(result.comparison)),
                "CODE": code, "BENEFIT": plan.benefit, "COST": plan.cost}
