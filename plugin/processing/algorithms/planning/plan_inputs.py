"""Parameters the planning algorithms share: the budget, the method and the solver gap."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from .....core.planning.errors import PlanningError
from .....core.planning.optimize import DEFAULT_GAP, METHODS
from .....core.planning.options import parse_budget

#: Gap to the proven bound, in percent, the optimal method stops at by default.
DEFAULT_GAP_PCT = DEFAULT_GAP * 100


class PlanInputs:
    """Mixin: BUDGET (one amount or YEAR=AMOUNT,...), METHOD, GAP (%)."""

    def add_plan_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterString(
            "BUDGET", self.tr("Budget (VND): one amount a year, or YEAR=AMOUNT,YEAR=AMOUNT")))
        self.addParameter(QgsProcessingParameterEnum(
            "METHOD", self.tr("Method"),
            options=[self.tr("Optimal (integer programme, HiGHS)"),
                     self.tr("Incremental benefit-cost (greedy)"), self.tr("Worst first")],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            "GAP", self.tr("Optimal: stop within this % of the proven best"),
            QgsProcessingParameterNumber.Type.Double, defaultValue=DEFAULT_GAP_PCT,
            minValue=1e-6, maxValue=100.0))

    def budget(self, parameters, context):
        text = self.parameterAsString(parameters, "BUDGET", context).strip()
        if not text:
            raise PlanningError(self.tr("Give a budget"))
        return parse_budget(text)

    def method(self, parameters, context) -> str:
        return METHODS[self.parameterAsEnum(parameters, "METHOD", context)]

    def gap(self, parameters, context) -> float:
        return self.parameterAsDouble(parameters, "GAP", context) / 100.0
