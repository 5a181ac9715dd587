"""``roadinfra:cadastre_import``: parcels into the provincial database, sheet by sheet
(``cadastre import``)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.cadastre.importer import import_parcels
from ....cadastre.inputs import sheet_edition
from ....cadastre.messages import leaving_lines
from ....i18n import current_language
from ...base import RoadInfraAlgorithm
from .parcel_input import ParcelInput


class ImportCadastralFile(ParcelInput, RoadInfraAlgorithm):
    """Check, place in the grid, repair and write the parcels; findings as a layer."""

    NAME = "cadastre_import"
    DISPLAY_NAME = QT_TR_NOOP("Import cadastral parcels")
    SHORT_HELP = QT_TR_NOOP(
        "Imports the parcels of a cadastral file into the provincial database. Parcels that do "
        "not lie in the profile's province, or are declared in a wrong VN-2000 variant, are "
        "refused with a clear message before anything is written. A map sheet already in the "
        "database is replaced by a newer edition (the old parcels stay in the history) and "
        "left as it is for the same edition. A new edition with fewer parcels than the stored "
        "sheet (a selection or part of a sheet) is refused unless Whole sheets is ticked. The "
        "quality findings are a layer."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_parcel_parameters()
        self.add_database_parameter()
        self.addParameter(QgsProcessingParameterString(
            "EDITION", self.tr("Edition of the sheets (date; default from the file, else "
                               "undated)"),
            optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "TRUST_CRS", self.tr("Trust the declared VN-2000 CRS of another zone (refused by "
                                 "default as probably mislabelled when it also fits the "
                                 "provincial grid)"), defaultValue=False))
        self.addParameter(QgsProcessingParameterBoolean(
            "WHOLE_SHEET", self.tr("Whole sheets: a new edition with fewer parcels than the "
                                   "stored sheet replaces it (refused by default: a selection "
                                   "or part of a sheet would remove the rest)"),
            defaultValue=False))
        self.add_layer_output("OUTPUT", self.tr("Quality findings"))
        for name, label in (("IMPORTED", self.tr("Parcels imported")),
                            ("REPLACED", self.tr("Parcels replaced (kept in history)"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def process(self, parameters, context, feedback) -> dict:
        parcels = self.parcels(parameters, context, feedback)
        target = self.database(parameters, context)
        edition = sheet_edition(self.parameterAsString(parameters, "EDITION", context))
        result = self.run_core(feedback, import_parcels, target, parcels, edition=edition,
                               trust_crs=self.parameterAsBoolean(parameters, "TRUST_CRS",
                                                                 context),
                               whole_sheet=self.parameterAsBoolean(parameters, "WHOLE_SHEET",
                                                                   context))
        feedback.pushInfo(result.placement)
        for sheet in result.sheets:
            feedback.pushInfo(self.tr("Sheet {0}/{1} edition {2}: {3}, {4} parcel(s)").format(
                sheet.commune_code or "-", sheet.sheet_no, sheet.edition or self.tr("undated"),
                sheet.action,
                sheet.parcels))
        for line in leaving_lines(result.sheets, current_language()):
            feedback.pushWarning(line)  # stored parcels the new edition leaves uncovered
        dest = self.write_layer(parameters, "OUTPUT", context, feedback, result.quality.issues,
                                result.quality.crs)
        return {"OUTPUT": dest, "IMPORTED": result.inserted, "REPLACED": result.tombstoned}
