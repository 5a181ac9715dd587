"""``roadinfra:cadastre_check``: read a cadastral file in any CRS and report on it
(``cadastre check``)."""

from __future__ import annotations

from qgis.core import QgsProcessingOutputNumber, QgsProcessingOutputString
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.cadastre.check import check_parcels
from ...base import RoadInfraAlgorithm
from .parcel_input import ParcelInput


class CheckCadastralFile(ParcelInput, RoadInfraAlgorithm):
    """Fields, CRS, quality findings and whether the profile's province would accept it."""

    NAME = "cadastre_check"
    DISPLAY_NAME = QT_TR_NOOP("Check a cadastral file")
    SHORT_HELP = QT_TR_NOOP(
        "Reads parcels from a Shapefile, GeoPackage, GML (INSPIRE CadastralParcels), DXF or "
        "DGN file in any CRS through a field mapping and reports on them: invalid geometries "
        "(repaired or listed), overlaps and gaps between parcels, official against computed "
        "area beyond the profile's tolerance, duplicate parcel numbers, and whether an import "
        "into the profile's province would accept where the parcels lie. Nothing is written "
        "to a database; the findings are a layer."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_parcel_parameters()
        self.add_profile_parameter()
        self.add_layer_output("OUTPUT", self.tr("Quality findings"))
        for name, label in (("PARCELS", self.tr("Parcels read")),
                            ("FINDINGS", self.tr("Quality findings"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))
        self.addOutput(QgsProcessingOutputString("PROVINCE", self.tr("Province check")))

    def process(self, parameters, context, feedback) -> dict:
        parcels = self.parcels(parameters, context, feedback)
        profile = self.profile(parameters, context)
        checked = self.run_core(feedback, check_parcels, parcels, profile)
        report = checked.quality
        dest = self.write_layer(parameters, "OUTPUT", context, feedback, report.issues,
                                report.crs)
        (feedback.pushInfo if checked.fits_province else feedback.reportError)(
            checked.province)
        return {"OUTPUT": dest, "PARCELS": len(report.parcels),
                "FINDINGS": len(report.issues), "PROVINCE": checked.province}
