"""Database and profile information: the RoadInfra version, the jurisdiction profile in use
and, optionally, what a RoadInfra GeoPackage holds (the answer of ``roadinfra db info``:
:func:`roadinfra.core.db.database_info`, live and tombstoned rows per table)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from ....core.db import database_info
from ....core.errors import RoadInfraError
from ....core.profile import load_profile
from ....core.version import __version__
from ..base import RoadInfraAlgorithm


class DatabaseProfileInfo(RoadInfraAlgorithm):
    """Report version, profile summary and the database's layers with feature counts."""

    NAME = "info"
    DISPLAY_NAME = QT_TR_NOOP("Database and profile information")
    GROUP = QT_TR_NOOP("General")
    GROUP_ID = "general"
    SHORT_HELP = QT_TR_NOOP(
        "Shows the RoadInfra version and a summary of the jurisdiction profile "
        "(province, coordinate system, districts). If a RoadInfra GeoPackage is given, "
        "also its schema version and, per table, the live and the tombstoned (deleted) "
        "rows, the same answer as 'roadinfra db info'."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_profile_parameter()
        self.add_database_parameter(gpkg_only=True, optional=True)
        for name, label in (
            ("VERSION", self.tr("RoadInfra version")),
            ("PROFILE_ID", self.tr("Profile id")),
            ("PROVINCE", self.tr("Province")),
            ("CRS", self.tr("Coordinate reference system")),
            ("SUMMARY", self.tr("Summary")),
        ):
            self.addOutput(QgsProcessingOutputString(name, label))
        self.addOutput(QgsProcessingOutputNumber("CRS_EPSG", self.tr("EPSG code")))
        self.addOutput(QgsProcessingOutputNumber("DISTRICT_COUNT", self.tr("Number of districts")))
        self.addOutput(QgsProcessingOutputNumber("LAYER_COUNT", self.tr("Number of tables")))

    def processAlgorithm(
        self, parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        profile_name = self.parameterAsString(parameters, self.PROFILE, context).strip()
        try:
            profile = load_profile(profile_name or None)
            province = profile.section("province")
            crs = profile.section("crs")
            districts = profile.section("districts")
        except RoadInfraError as exc:
            raise QgsProcessingException(str(exc)) from exc

        lines = [
            f"RoadInfra {__version__}",
            self.tr("Profile: {id} ({path})").format(id=profile.id, path=profile.path),
            self.tr("Province: {vi} / {en}").format(vi=province["name_vi"], en=province["name_en"]),
            self.tr("Coordinate system: EPSG:{epsg} {name}").format(
                epsg=crs["epsg"], name=crs.get("name", "")
            ),
            self.tr("Districts: {count}").format(count=len(districts)),
        ]
        lines += [f"  {d['code']} {d['name_vi']}" for d in districts]

        database = self.parameterAsFile(parameters, self.DATABASE, context)
        info = self.run_core(feedback, database_info, database) if database else None
        if info is not None:
            lines.append(self.tr("Database: {path} (schema version {version})").format(
                path=info["target"], version=info["schema_version"]))
            if info["status"] == "upgrade":
                lines.append(self.tr("The database needs an upgrade to schema version "
                                     "{current}: roadinfra db upgrade").format(
                                         current=info["current_version"]))
            elif info["status"] == "newer":
                lines.append(self.tr("The database is newer than this RoadInfra (schema "
                                     "version {current}): update RoadInfra").format(
                                         current=info["current_version"]))
            for name, live in info["rows"].items():
                if live is not None:
                    lines.append(self.tr("  {table}: {live} live, {deleted} tombstoned").format(
                        table=name, live=live, deleted="-" if info["tombstoned"][name] is None
                        else info["tombstoned"][name]))  # "-": cannot be tombstoned
        tables = [n for n, live in (info or {}).get("rows", {}).items() if live is not None]

        for line in lines:
            feedback.pushInfo(line)
        return {
            "VERSION": __version__,
            "PROFILE_ID": profile.id,
            "PROVINCE": province["name_vi"],
            "CRS": f"EPSG:{crs['epsg']}",
            "CRS_EPSG": int(crs["epsg"]),
            "DISTRICT_COUNT": len(districts),
            "LAYER_COUNT": len(tables),
            "SUMMARY": "\n".join(lines),
        }

