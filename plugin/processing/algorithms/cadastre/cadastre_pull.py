"""``roadinfra:cadastre_pull``: keep the provincial database in step with the land-resource
department's source (``cadastre pull``)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.cadastre.mapping import load_mapping
from .....core.cadastre.remote import make_source, pull_sheets
from .....core.crs import grid_crs
from .....core.db import open_database
from ....cadastre.messages import leaving_lines, pull_lines
from ....i18n import current_language
from ...base import RoadInfraAlgorithm
from .parcel_input import ParcelInput


class PullCadastralSheets(ParcelInput, RoadInfraAlgorithm):
    """Only the sheets that are new or have a newer edition are fetched and imported; the
    quality findings of the sheets fetched are a layer."""

    NAME = "cadastre_pull"
    DISPLAY_NAME = QT_TR_NOOP("Pull new cadastral sheets")
    SHORT_HELP = QT_TR_NOOP(
        "Compares the edition of each map sheet of the land-resource department's source with "
        "the provincial database's and fetches and imports only the sheets that are new or "
        "newer (an older edition stays in the history). Give one source: the department's "
        "PostGIS database (connection string or service=NAME) and its parcel table "
        "(schema.table), an OGC API - Features endpoint and its collection id, a WFS 2.0 "
        "service and its parcel feature type, or an "
        "exported parcels file. Parcels outside the province are refused before anything is "
        "written. A new edition with fewer parcels than the stored sheet, from a file or from a "
        "server that does not count its features, is refused unless Whole sheets is ticked. "
        "A sheet holding land stored or fetched under another key (the source keeping an old "
        "and a new key after communes merged) is refused alone, named in the log and in "
        "Sheets refused; the other sheets are imported. The quality findings of the sheets "
        "fetched are a layer (empty when none was fetched)."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_database_parameter()
        for name, label in (
                ("POSTGIS", self.tr("Department's PostGIS database (postgresql://... or "
                                    "service=NAME)")),
                ("TABLE", self.tr("Its parcel table (schema.table)")),
                ("FEATURES", self.tr("OGC API - Features endpoint (URL)")),
                ("COLLECTION", self.tr("Its parcel collection id")),
                ("WFS", self.tr("WFS 2.0 service (URL)")),
                ("TYPENAME", self.tr("Its parcel feature type"))):
            self.addParameter(QgsProcessingParameterString(name, label, optional=True))
        self.addParameter(QgsProcessingParameterFile(
            "FILE", self.tr("Or an exported parcels file"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            "MAPPING", self.tr("Field mapping (empty: the profile's)"), optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "TRUST_CRS", self.tr("Trust the declared VN-2000 CRS of another zone (refused by "
                                 "default as probably mislabelled when it also fits the "
                                 "provincial grid)"), defaultValue=False))
        self.addParameter(QgsProcessingParameterBoolean(
            "WHOLE_SHEET", self.tr("Whole sheets: a new edition with fewer parcels than the "
                                   "stored sheet replaces it (needed for a file, or a server "
                                   "that does not count its features)"), defaultValue=False))
        # a temporary layer unless one is chosen: a pull run without OUTPUT still runs
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Quality findings"), QgsProcessing.SourceType.TypeVectorPolygon,
            defaultValue=QgsProcessing.TEMPORARY_OUTPUT))
        for name, label in (("SHEETS", self.tr("Sheets in the source")),
                            ("UP_TO_DATE", self.tr("Sheets up to date")),
                            ("IMPORTED", self.tr("Parcels imported")),
                            ("REPLACED", self.tr("Parcels replaced (kept in history)"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))
        self.addOutput(QgsProcessingOutputString("FETCHED", self.tr("Sheets fetched")))
        self.addOutput(QgsProcessingOutputString(
            "REFUSED", self.tr("Sheets refused (the same land under another key)")))

    def process(self, parameters, context, feedback) -> dict:
        target = self.database(parameters, context)
        text = {name: self.parameterAsString(parameters, name, context).strip() or None
                for name in ("POSTGIS", "TABLE", "FEATURES", "COLLECTION", "WFS", "TYPENAME",
                             "MAPPING")}
        db = open_database(target)
        try:
            default = db.profile.data.get("cadastre", {}).get("mapping")
            grid = grid_crs(db.profile)
        finally:
            db.close()
        source = make_source(postgis=text["POSTGIS"], table=text["TABLE"],
                             features=text["FEATURES"], collection=text["COLLECTION"],
                             wfs=text["WFS"], typename=text["TYPENAME"],
                             mapping=load_mapping(text["MAPPING"] or default),
                             file=self.parameterAsFile(parameters, "FILE", context) or None)
        result = self.run_core(feedback, pull_sheets, target, source,
                               trust_crs=self.parameterAsBoolean(parameters, "TRUST_CRS",
                                                                 context),
                               whole_sheet=self.parameterAsBoolean(parameters, "WHOLE_SHEET",
                                                                   context))
        info = result.summary()
        fetched = ", ".join(info["sheets_fetched"])
        feedback.pushInfo(self.tr("{0}: {1} sheet(s), {2} up to date, fetched: {3}").format(
            info["source"], info["sheets_in_source"], info["up_to_date"], fetched or "-"))
        for warning, line in pull_lines(result):
            (feedback.pushWarning if warning else feedback.pushInfo)(line)
        imported = result.imported
        for line in leaving_lines(imported.sheets if imported else [], current_language()):
            feedback.pushWarning(line)
        report = result.findings(grid)
        dest = self.write_layer(parameters, "OUTPUT", context, feedback, report.issues,
                                report.crs)
        if imported:
            feedback.pushInfo(self.tr("Quality findings: {0}").format(", ".join(
                f"{kind} {count}" for kind, count in report.summary()["findings"].items())))
        return {"OUTPUT": dest, "SHEETS": info["sheets_in_source"],
                "UP_TO_DATE": info["up_to_date"],
                "FETCHED": fetched,
                "REFUSED": ", ".join(n for r in result.refused for n in r.sheets),
                "IMPORTED": imported.inserted if imported else 0,
                "REPLACED": imported.tombstoned if imported else 0}
