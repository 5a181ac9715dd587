"""Condition assessment algorithms: PCI from a distress table, IRI classes, and the import of
a bridge inventory through a column mapping. Each one is a thin wrapper over a core function
(``core/condition``, ``core/importers``) that the CLI runs too."""

from __future__ import annotations

import math

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TR_NOOP, QVariant

from ....core.condition.iri import IRI_MAX, iri_bands
from ....core.condition.pci_survey import pci_from_records
from ....core.errors import RoadInfraError
from ....core.importers.bridge_inventory import import_tabular
from ....core.io.rows import RowError, RowErrorsError
from ....core.profile import load_profile
from ...crs import grid_crs
from ...settings import PluginSettings
from ..base import RoadInfraAlgorithm

UNITS = ("metric", "imperial")


def _profile_parameter(alg: RoadInfraAlgorithm) -> QgsProcessingParameterString:
    return QgsProcessingParameterString(
        "PROFILE", alg.tr("Jurisdiction profile (id or .toml file)"),
        defaultValue=PluginSettings.load().profile)


def _load_profile(alg, parameters, context):
    name = alg.parameterAsString(parameters, "PROFILE", context).strip()
    try:
        return load_profile(name or None)
    except RoadInfraError as exc:
        raise QgsProcessingException(str(exc)) from exc


def _value(feature: QgsFeature, field: str):
    value = feature[field]
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    return value


class ComputePci(RoadInfraAlgorithm):
    """PCI (ASTM D6433) of every sample unit in a distress table, and the section PCI."""

    NAME = "compute_pci"
    DISPLAY_NAME = QT_TR_NOOP("Compute PCI from distress table")
    GROUP = QT_TR_NOOP("Condition assessment")
    GROUP_ID = "condition"
    SHORT_HELP = QT_TR_NOOP(
        "Computes the Pavement Condition Index (ASTM D6433, asphalt roads) of every sample "
        "unit of a distress table (one row per distress: sample unit, unit area, distress code "
        "1-19, severity L/M/H, quantity in m2, m or count) and the area-weighted PCI of all "
        "units. Every row is checked; bad rows are all listed with their field."
    )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", self.tr("Distress table"), [QgsProcessing.TypeVector]))
        for name, label, default, numeric in (
            ("UNIT_FIELD", self.tr("Sample unit field"), "sample_unit", False),
            ("AREA_FIELD", self.tr("Sample unit area field"), "unit_area_m2", True),
            ("CODE_FIELD", self.tr("Distress code field"), "distress_code", False),
            ("SEVERITY_FIELD", self.tr("Severity field"), "severity", False),
            ("QUANTITY_FIELD", self.tr("Quantity field"), "quantity", True),
        ):
            # optional: QGIS 3.22 rejects a missing field parameter instead of using its
            # default, so the default (a pavement_distress column) is applied in processAlgorithm
            self.addParameter(QgsProcessingParameterField(
                name, label, defaultValue=default, parentLayerParameterName="INPUT",
                type=QgsProcessingParameterField.Numeric if numeric
                else QgsProcessingParameterField.Any, optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            "UNITS", self.tr("Units of areas and lengths"),
            options=[self.tr("Metric (m², m)"), self.tr("Imperial (ft², ft)")], defaultValue=0))
        self.addParameter(_profile_parameter(self))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("PCI per sample unit"), QgsProcessing.TypeVector))
        self.addOutput(QgsProcessingOutputNumber("SECTION_PCI", self.tr("Section PCI")))
        self.addOutput(QgsProcessingOutputString("SECTION_RATING", self.tr("Section rating")))

    def processAlgorithm(self, parameters, context: QgsProcessingContext,
                         feedback: QgsProcessingFeedback) -> dict:
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise QgsProcessingException(self.tr("The distress table cannot be read"))
        fields = [self.parameterAsString(parameters, name, context)
                  or self.parameterDefinition(name).defaultValue() for name in (
            "UNIT_FIELD", "AREA_FIELD", "CODE_FIELD", "SEVERITY_FIELD", "QUANTITY_FIELD")]
        missing = [f for f in fields if source.fields().indexOf(f) < 0]
        if missing:
            raise QgsProcessingException(self.tr("The distress table has no field {names}")
                                         .format(names=", ".join(missing)))
        units = UNITS[self.parameterAsEnum(parameters, "UNITS", context)]
        profile = _load_profile(self, parameters, context)
        records = [
            (feature.id(), *(_value(feature, f) for f in fields))
            for feature in source.getFeatures()
        ]
        try:
            result = self.run_core(feedback, pci_from_records, records,
                                   source=source.sourceName(), units=units, profile=profile)
        except QgsProcessingException as exc:
            cause = exc.__cause__
            if isinstance(cause, RowErrorsError):
                for error in cause.errors:
                    feedback.reportError(self.tr("Feature {row}, field {field}: {message}")
                                         .format(row=error.row, field=error.field,
                                                 message=error.message))
            raise
        out_fields = QgsFields()
        out_fields.append(QgsField("sample_unit", QVariant.String))
        out_fields.append(QgsField("unit_area", QVariant.Double))
        out_fields.append(QgsField("pci", QVariant.Double))
        out_fields.append(QgsField("rating", QVariant.String))
        out_fields.append(QgsField("rating_vi", QVariant.String))
        out_fields.append(QgsField("max_cdv", QVariant.Double))
        out_fields.append(QgsField("deducts", QVariant.String))
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, out_fields,
                                          QgsWkbTypes.NoGeometry, source.sourceCrs())
        for unit in result.units:
            feature = QgsFeature(out_fields)
            res = unit.result
            deducts = "; ".join(f"{d.code}{d.severity} {d.deduct:.1f}" for d in res.deducts)
            feature.setAttributes([unit.unit_id, unit.area, round(res.pci, 1), res.rating,
                                   res.rating_vi, round(res.max_cdv, 1), deducts])
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        feedback.pushInfo(self.tr("Section PCI {pci:.1f}: {rating}").format(
            pci=result.section_pci, rating=result.section_rating))
        return {"OUTPUT": dest, "SECTION_PCI": round(result.section_pci, 1),
                "SECTION_RATING": result.section_rating}


class ClassifyIri(RoadInfraAlgorithm):
    """Condition band of every feature's IRI, from the jurisdiction profile."""

    NAME = "classify_iri"
    DISPLAY_NAME = QT_TR_NOOP("Classify IRI")
    GROUP = QT_TR_NOOP("Condition assessment")
    GROUP_ID = "condition"
    SHORT_HELP = QT_TR_NOOP(
        "Adds the roughness class (e.g. Good / Fair / Poor) of each feature's IRI in m/km, "
        "with the bands of the jurisdiction profile ([pavement.iri_bands]). Features with an "
        "empty or negative IRI are all reported and nothing is written."
    )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT", self.tr("Layer with IRI values"), [QgsProcessing.TypeVector]))
        self.addParameter(QgsProcessingParameterField(
            "IRI_FIELD", self.tr("IRI field (m/km)"), defaultValue="iri",
            parentLayerParameterName="INPUT", type=QgsProcessingParameterField.Numeric,
            optional=True))
        self.addParameter(_profile_parameter(self))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Classified IRI")))
        self.addOutput(QgsProcessingOutputString("COUNTS", self.tr("Features per class")))

    def processAlgorithm(self, parameters, context: QgsProcessingContext,
                         feedback: QgsProcessingFeedback) -> dict:
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise QgsProcessingException(self.tr("The input layer cannot be read"))
        field = self.parameterAsString(parameters, "IRI_FIELD", context) or "iri"
        if source.fields().indexOf(field) < 0:
            raise QgsProcessingException(self.tr("The layer has no field {name}").format(
                name=field))
        profile = _load_profile(self, parameters, context)
        bands = self.run_core(feedback, lambda **_: iri_bands(profile))
        features = list(source.getFeatures())
        errors = []
        for feature in features:
            value = _value(feature, field)
            try:
                iri = float(value)
            except (TypeError, ValueError):
                iri = math.nan
            if not 0.0 <= iri <= IRI_MAX:  # also NaN; above IRI_MAX: in/mi or mm/m, not m/km
                errors.append(RowError(source.sourceName(), feature.id(), field,
                                       f"IRI {value!r} is not a number of m/km in "
                                       f"0..{IRI_MAX:g}"))
        if errors:
            for error in errors:
                feedback.reportError(str(error))
            raise QgsProcessingException(str(RowErrorsError(errors)))
        out_fields = QgsFields(source.fields())
        out_fields.append(QgsField("iri_class", QVariant.String))
        out_fields.append(QgsField("iri_class_vi", QVariant.String))
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, out_fields,
                                          source.wkbType(), source.sourceCrs())
        counts = {label: 0 for label in bands.labels_en}
        for n, feature in enumerate(features, start=1):
            if feedback.isCanceled():
                break
            iri = float(feature[field])
            label = bands.label(iri)
            counts[label] += 1
            out = QgsFeature(out_fields)
            out.setGeometry(feature.geometry())
            out.setAttributes(feature.attributes() + [label, bands.label(iri, "vi")])
            sink.addFeature(out, QgsFeatureSink.FastInsert)
            feedback.setProgress(100.0 * n / max(1, len(features)))
        summary = ", ".join(f"{k}: {v}" for k, v in counts.items())
        feedback.pushInfo(summary)
        return {"OUTPUT": dest, "COUNTS": summary}


class ImportBridgeInventory(RoadInfraAlgorithm):
    """Read a legacy bridge/culvert spreadsheet through a mapping file into a point layer."""

    NAME = "import_bridge_inventory"
    DISPLAY_NAME = QT_TR_NOOP("Import bridge inventory (mapping file)")
    GROUP = QT_TR_NOOP("Condition assessment")
    GROUP_ID = "condition"
    SHORT_HELP = QT_TR_NOOP(
        "Reads a CSV or XLSX inventory of bridges and culverts (e.g. the US NBI format or a "
        "province's legacy spreadsheet) through a column mapping file, rates each structure "
        "with the mapping's rating scheme and writes a point layer in the provincial grid with "
        "the overall condition, deficiency flag and posting recommendation. Bad rows are "
        "listed with their line and column; the other rows are imported."
    )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterFile(
            "INPUT", self.tr("Inventory file (CSV or XLSX)"),
            fileFilter="CSV / XLSX (*.csv *.txt *.xlsx)"))
        self.addParameter(QgsProcessingParameterString(
            "MAPPING", self.tr("Mapping (id or .toml file)"), defaultValue="nbi_2013"))
        self.addParameter(_profile_parameter(self))
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Bridges and culverts"), QgsProcessing.TypeVectorPoint))
        self.addOutput(QgsProcessingOutputNumber("IMPORTED", self.tr("Rows imported")))
        self.addOutput(QgsProcessingOutputNumber("ERRORS", self.tr("Rows with errors")))

    def processAlgorithm(self, parameters, context: QgsProcessingContext,
                         feedback: QgsProcessingFeedback) -> dict:
        path = self.parameterAsFile(parameters, "INPUT", context)
        mapping = self.parameterAsString(parameters, "MAPPING", context).strip() or "nbi_2013"
        profile = _load_profile(self, parameters, context)
        result = self.run_core(feedback, import_tabular, path, mapping, profile)
        for error in result.errors:
            feedback.reportError(str(error))
        inspections = {}
        for row in result.rows["inspection"]:
            inspections[row.get("bridge_id") or row.get("culvert_id")] = row
        fields = QgsFields()
        for name, kind in (("id", QVariant.String), ("code", QVariant.String),
                           ("kind", QVariant.String), ("name", QVariant.String),
                           ("year_built", QVariant.Int), ("inspection_date", QVariant.String),
                           ("overall_rating", QVariant.Int),
                           ("structurally_deficient", QVariant.Bool),
                           ("load_posting_t", QVariant.Double), ("notes", QVariant.String)):
            fields.append(QgsField(name, kind))
        crs = grid_crs(profile)
        sink, dest = self.parameterAsSink(parameters, "OUTPUT", context, fields,
                                          QgsWkbTypes.Point, crs)
        for kind in ("bridge", "culvert"):
            for row in result.rows[kind]:
                ins = inspections.get(row["id"], {})
                feature = QgsFeature(fields)
                geom = row.get("geom")
                if geom is not None:
                    feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(geom.x, geom.y)))
                feature.setAttributes([
                    row["id"], row.get("code"), kind, row.get("name"), row.get("year_built"),
                    ins.get("inspection_date"), ins.get("overall_rating"),
                    ins.get("structurally_deficient"), ins.get("load_posting_t"),
                    ins.get("notes")])
                sink.addFeature(feature, QgsFeatureSink.FastInsert)
        bad = len({e.row for e in result.errors})
        feedback.pushInfo(self.tr("{ok} of {total} rows imported, {bad} with errors").format(
            ok=result.rows_read - bad, total=result.rows_read, bad=bad))
        return {"OUTPUT": dest, "IMPORTED": result.rows_read - bad, "ERRORS": bad}
