"""``roadinfra:compute_pci``: PCI of every sample unit of a distress table (``pavement pci``)."""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterField,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.condition.pci_survey import pci_from_records
from .....core.errors import RoadInfraError
from .... import field_types
from ...base import RoadInfraAlgorithm
from ...features import fields_of, source_records, write_features

UNITS = ("metric", "imperial")
#: Field parameters and their defaults (pavement_distress columns); numeric or not.
FIELDS = (
    ("UNIT_FIELD", QT_TR_NOOP("Sample unit field"), "sample_unit", False),
    ("AREA_FIELD", QT_TR_NOOP("Sample unit area field"), "unit_area_m2", True),
    ("CODE_FIELD", QT_TR_NOOP("Distress code field"), "distress_code", False),
    ("SEVERITY_FIELD", QT_TR_NOOP("Severity field"), "severity", False),
    ("QUANTITY_FIELD", QT_TR_NOOP("Quantity field"), "quantity", True),
)
OUTPUT_FIELDS = (("sample_unit", field_types.STRING), ("unit_area", field_types.DOUBLE),
                 ("pci", field_types.DOUBLE), ("rating", field_types.STRING),
                 ("rating_vi", field_types.STRING), ("max_cdv", field_types.DOUBLE),
                 ("deducts", field_types.STRING))


class ComputePci(RoadInfraAlgorithm):
    """PCI (ASTM D6433) of every sample unit in a distress table, and the section PCI."""

    NAME = "compute_pci"
    DISPLAY_NAME = QT_TR_NOOP("Compute PCI from distress table")
    SHORT_HELP = QT_TR_NOOP(
        "Computes the Pavement Condition Index (ASTM D6433, asphalt roads) of every sample "
        "unit of a distress table (one row per distress: sample unit, unit area, distress code "
        "1-19, severity L/M/H, quantity in m2, m or count) and the area-weighted PCI of all "
        "units. Every row is checked; bad rows are all listed with their field."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_input_layer(self.tr("Distress table"))
        for name, label, default, numeric in FIELDS:
            # optional: QGIS 3.22 rejects a missing field parameter instead of using its
            # default, so the default (a pavement_distress column) is applied in process
            self.addParameter(QgsProcessingParameterField(
                name, self.tr(label), defaultValue=default, parentLayerParameterName="INPUT",
                type=QgsProcessingParameterField.DataType.Numeric if numeric
                else QgsProcessingParameterField.DataType.Any, optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "UNITS", self.tr("Units of areas and lengths"),
            options=[self.tr("Metric (m², m)"), self.tr("Imperial (ft², ft)")], defaultValue=0))
        self.add_profile_parameter()
        self.add_table_output("OUTPUT", self.tr("PCI per sample unit"))
        self.addOutput(QgsProcessingOutputNumber("SECTION_PCI", self.tr("Section PCI")))
        self.addOutput(QgsProcessingOutputString("SECTION_RATING", self.tr("Section rating")))

    def process(self, parameters, context, feedback) -> dict:
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise RoadInfraError(self.tr("The distress table cannot be read"))
        fields = [self.parameterAsString(parameters, name, context) or default
                  for name, _label, default, _numeric in FIELDS]
        units = UNITS[self.parameterAsEnum(parameters, "UNITS", context)]
        records = source_records(source, fields)
        result = self.run_core(feedback, pci_from_records, records, source=source.sourceName(),
                               units=units, profile=self.profile(parameters, context))
        out_fields = fields_of(OUTPUT_FIELDS)
        sink, dest = self.sink(parameters, "OUTPUT", context, out_fields,
                               QgsWkbTypes.Type.NoGeometry, source.sourceCrs())

        def features():
            for unit in result.units:
                feature = QgsFeature(out_fields)
                res = unit.result
                deducts = "; ".join(f"{d.code}{d.severity} {d.deduct:.1f}" for d in res.deducts)
                feature.setAttributes([unit.unit_id, unit.area, round(res.pci, 1), res.rating,
                                       res.rating_vi, round(res.max_cdv, 1), deducts])
                yield feature

        write_features(sink, features(), feedback)
        feedback.pushInfo(self.tr("Section PCI {pci:.1f}: {rating}").format(
            pci=result.section_pci, rating=result.section_rating))
        return {"OUTPUT": dest, "SECTION_PCI": round(result.section_pci, 1),
                "SECTION_RATING": result.section_rating}
