"""``roadinfra:plan_optimize``: the plan of an options table under yearly budgets
(``plan optimize``): the chosen options, and every method's benefit and cost."""

from __future__ import annotations

import pandas as pd
from qgis.core import QgsProcessing, QgsProcessingOutputNumber, QgsProcessingParameterEnum
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.planning.options import COLUMNS
from .....core.planning.plan_table import optimize_records
from ...base import RoadInfraAlgorithm
from ...features import source_records
from .plan_inputs import PlanInputs

COMPARISON_COLUMNS = ("method", "benefit", "cost_vnd", "items", "proven_gap")


def comparison_frame(plans) -> pd.DataFrame:
    """One row per method: benefit, cost, items and the proven gap (optimal only)."""
    return pd.DataFrame([(p.method, p.benefit, p.cost, len(p.chosen), p.gap) for p in plans],
                        columns=COMPARISON_COLUMNS)


class PlanOptimize(PlanInputs, RoadInfraAlgorithm):
    """At most one treatment per section and year (or horizon), within the yearly budgets."""

    NAME = "plan_optimize"
    DISPLAY_NAME = QT_TR_NOOP("Optimise a plan from an options table")
    SHORT_HELP = QT_TR_NOOP(
        "Chooses at most one treatment per section and year (or per section over the "
        "horizon) from a table of options (fields section, year, treatment, cost, benefit, "
        "optionally condition, as in the CLI's options table) to maximise the benefit "
        "within each year's budget: optimal (integer programme solved by HiGHS to the gap "
        "asked), incremental benefit-cost (greedy) or worst first. Every bad row is "
        "reported. COMPARISON gives each method's benefit and cost on the same input."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_input_layer(self.tr("Options table"),
                             types=(QgsProcessing.SourceType.TypeVector,))
        self.add_plan_parameters()
        self.addParameter(QgsProcessingParameterEnum(
            "PER", self.tr("At most one treatment per section and"),
            options=[self.tr("year"), self.tr("horizon")], defaultValue=0))
        self.add_table_output("OUTPUT", self.tr("Chosen treatments"))
        self.add_table_output("COMPARISON", self.tr("Methods compared"))
        self.addOutput(QgsProcessingOutputNumber("BENEFIT", self.tr("Benefit")))
        self.addOutput(QgsProcessingOutputNumber("COST", self.tr("Cost")))

    def process(self, parameters, context, feedback) -> dict:
        source = self.input_source(parameters, "INPUT", context)
        if source.fields().indexOf("condition") >= 0:
            records = source_records(source, (*COLUMNS, "condition"))
        else:
            records = [(*r, None) for r in source_records(source, COLUMNS)]
        per = ("year", "horizon")[self.parameterAsEnum(parameters, "PER", context)]
        result = self.run_core(feedback, optimize_records, records,
                               self.budget(parameters, context),
                               method=self.method(parameters, context), per=per,
                               with_comparison=True, gap=self.gap(parameters, context),
                               source=source.sourceName())
        plan = result.plan
        chosen = pd.DataFrame([(o.section, o.year, o.treatment, o.cost, o.benefit)
                               for o in sorted(plan.chosen, key=lambda o: (o.year, o.section))],
                              columns=["section", "year", "treatment", "cost", "benefit"])
        feedback.pushInfo(self.tr("{0}: {1} treatment(s), benefit {2:,.2f}, cost {3:,.0f}")
                          .format(plan.method, len(plan.chosen), plan.benefit, plan.cost))
        return {"OUTPUT": self.write_table(parameters, "OUTPUT", context, feedback, chosen),
                "COMPARISON": self.write_table(parameters, "COMPARISON", context, feedback,
                                               comparison_frame(result.comparison)),
                "BENEFIT": plan.benefit, "COST": plan.cost}
