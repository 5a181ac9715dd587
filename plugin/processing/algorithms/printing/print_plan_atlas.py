"""``roadinfra:print_plan_atlas``: the maintenance-plan atlas (PDF) of a provincial database,
a thin wrapper over :func:`roadinfra.plugin.printing.plan_atlas.export_plan_atlas` (printed
in a ``QgsProject`` of its own: the open project is neither read nor changed)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.labels import LANGUAGES
from .....core.printing.plan_sheets import BY
from ....printing.plan_atlas import TEMPLATES, export_plan_atlas
from ...base import RoadInfraAlgorithm


class PrintPlanAtlas(RoadInfraAlgorithm):
    """Cover with the province and the plan's totals, then one sheet per district, route
    or plan item (Tờ k/n) with the items' table, legend, VN-2000 grid and title block."""

    NAME = "print_plan_atlas"
    DISPLAY_NAME = QT_TR_NOOP("Print maintenance plan atlas (PDF)")
    SHORT_HELP = QT_TR_NOOP(
        "Prints a stored maintenance plan as an atlas in one PDF: a cover sheet with the "
        "whole province and the plan's cost by year and district, then one sheet per "
        "district, route or plan item, numbered 'Tờ k/n', each with the map of the plan "
        "items and pavement condition in the provincial VN-2000 grid, an overview map, "
        "legend, scale, north arrow, the table of the items on the sheet (route, Km "
        "from-to, treatment, quantity, cost) and a title block to sign. Works from a "
        "GeoPackage or PostGIS; the current project is not changed.")
    BY_OPTIONS = BY
    TEMPLATE_OPTIONS = tuple(TEMPLATES)

    def flags(self):
        # the layout is built in its own QgsProject and exported in the calling thread
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def initAlgorithm(self, config=None) -> None:
        self.add_database_parameter()
        self.addParameter(QgsProcessingParameterString(
            "PLAN", self.tr("Plan (code, id or 'latest')"), defaultValue="latest"))
        self.addParameter(QgsProcessingParameterEnum(
            "BY", self.tr("One sheet per"),
            options=[self.tr("District"), self.tr("Route"), self.tr("Plan item")],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum(
            "TEMPLATE", self.tr("Template"),
            options=[self.tr("A3 landscape"), self.tr("A4 portrait")], defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum(
            "LANGUAGE", self.tr("Map language"),
            options=[self.tr("Vietnamese"), self.tr("English")], defaultValue=0))
        self.addParameter(QgsProcessingParameterBoolean(
            "GEOSPATIAL", self.tr("Geospatial PDF where available"), defaultValue=False))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", self.tr("Plan atlas (PDF)"), self.tr("PDF files (*.pdf)")))

    def process(self, parameters, context, feedback) -> dict:
        result = export_plan_atlas(
            self.database(parameters, context),
            self.parameterAsFileOutput(parameters, "OUTPUT", context),
            plan=self.parameterAsString(parameters, "PLAN", context) or "latest",
            by=self.BY_OPTIONS[self.parameterAsEnum(parameters, "BY", context)],
            template=self.TEMPLATE_OPTIONS[self.parameterAsEnum(parameters, "TEMPLATE",
                                                                context)],
            lang=LANGUAGES[self.parameterAsEnum(parameters, "LANGUAGE", context)],
            geospatial=self.parameterAsBoolean(parameters, "GEOSPATIAL", context),
            feedback=feedback)
        feedback.pushInfo(self.tr("Plan atlas of {pages} sheets written to {path}").format(
            pages=result.pages, path=result.path))
        if result.geospatial is not None:
            feedback.pushInfo(self.tr("Geospatial PDF sheets written to {path}").format(
                path=result.geospatial))
        return {"OUTPUT": str(result.path), "PAGES": result.pages}
