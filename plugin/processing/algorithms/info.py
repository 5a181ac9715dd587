"""Database and profile information: the RoadInfra version, the jurisdiction profile in use
and, optionally, the layers of a provincial GeoPackage."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from ....core.errors import RoadInfraError
from ....core.profile import load_profile
from ....core.version import __version__
from ...settings import PluginSettings
from ..base import RoadInfraAlgorithm


class DatabaseProfileInfo(RoadInfraAlgorithm):
    """Report version, profile summary and the database's layers with feature counts."""

    NAME = "info"
    DISPLAY_NAME = QT_TR_NOOP("Database and profile information")
    GROUP = QT_TR_NOOP("General")
    GROUP_ID = "general"
    SHORT_HELP = QT_TR_NOOP(
        "Shows the RoadInfra version and a summary of the jurisdiction profile "
        "(province, coordinate system, districts). If a GeoPackage database is given, "
        "also lists its layers with their feature counts."
    )

    PROFILE = "PROFILE"
    DATABASE = "DATABASE"

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterString(
                self.PROFILE,
                self.tr("Jurisdiction profile (id or .toml file)"),
                defaultValue=PluginSettings.load().profile,
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.DATABASE,
                self.tr("Provincial database (GeoPackage)"),
                extension="gpkg",
                optional=True,
            )
        )
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
        self.addOutput(QgsProcessingOutputNumber("LAYER_COUNT", self.tr("Number of layers")))

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
        layers = self.database_layers(database, feedback) if database else []
        if database:
            lines.append(self.tr("Database: {path}").format(path=database))
            lines += [f"  {name}: {count}" for name, count in layers]

        for line in lines:
            feedback.pushInfo(line)
        return {
            "VERSION": __version__,
            "PROFILE_ID": profile.id,
            "PROVINCE": province["name_vi"],
            "CRS": f"EPSG:{crs['epsg']}",
            "CRS_EPSG": int(crs["epsg"]),
            "DISTRICT_COUNT": len(districts),
            "LAYER_COUNT": len(layers),
            "SUMMARY": "\n".join(lines),
        }

    def database_layers(self, path: str, feedback: QgsProcessingFeedback) -> list[tuple[str, int]]:
        """(layer name, feature count) of every table in the GeoPackage at ``path``."""
        probe = QgsVectorLayer(path, "probe", "ogr")
        if not probe.isValid():
            raise QgsProcessingException(
                self.tr("{path}: not a readable GeoPackage").format(path=path)
            )
        names = [part.split("!!::!!")[1] for part in probe.dataProvider().subLayers()]
        result = []
        for index, name in enumerate(names):
            if feedback.isCanceled():
                break
            layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
            result.append((name, int(layer.featureCount()) if layer.isValid() else -1))
            feedback.setProgress(100.0 * (index + 1) / max(len(names), 1))
        return result
