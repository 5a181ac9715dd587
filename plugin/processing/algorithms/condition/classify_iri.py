"""``roadinfra:classify_iri``: the roughness class of each feature's IRI (``pavement iri``)."""

from __future__ import annotations

import math

from qgis.core import (
    QgsFeature,
    QgsFields,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterField,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.condition.iri import IRI_MAX, iri_bands
from .....core.errors import RoadInfraError
from .....core.io.rows import RowError, RowErrorsError
from .... import field_types
from ...base import RoadInfraAlgorithm
from ...features import attribute, check_fields, fields_of, write_features


class ClassifyIri(RoadInfraAlgorithm):
    """Condition band of every feature's IRI, from the jurisdiction profile."""

    NAME = "classify_iri"
    DISPLAY_NAME = QT_TR_NOOP("Classify IRI")
    SHORT_HELP = QT_TR_NOOP(
        "Adds the roughness class (e.g. Good / Fair / Poor) of each feature's IRI in m/km, "
        "with the bands of the jurisdiction profile ([pavement.iri_bands]). Features with an "
        "empty or negative IRI are all reported and nothing is written."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_input_layer(self.tr("Layer with IRI values"))
        self.addParameter(QgsProcessingParameterField(
            "IRI_FIELD", self.tr("IRI field (m/km)"), defaultValue="iri",
            parentLayerParameterName="INPUT", type=QgsProcessingParameterField.DataType.Numeric,
            optional=True))
        self.add_profile_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Classified IRI")))
        self.addOutput(QgsProcessingOutputString("COUNTS", self.tr("Features per class")))

    def process(self, parameters, context, feedback) -> dict:
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise RoadInfraError(self.tr("The input layer cannot be read"))
        field = self.parameterAsString(parameters, "IRI_FIELD", context) or "iri"
        check_fields(source, [field])
        bands = iri_bands(self.profile(parameters, context))
        features = list(source.getFeatures())
        errors = []
        for feature in features:
            value = attribute(feature, field)
            try:
                iri = float(value)
            except (TypeError, ValueError):
                iri = math.nan
            if not 0.0 <= iri <= IRI_MAX:  # also NaN; above IRI_MAX: in/mi or mm/m, not m/km
                errors.append(RowError(source.sourceName(), feature.id(), field,
                                       f"IRI {value!r} is not a number of m/km in "
                                       f"0..{IRI_MAX:g}"))
        if errors:
            raise RowErrorsError(errors)
        out_fields = QgsFields(source.fields())
        for added in fields_of((("iri_class", field_types.STRING),
                                ("iri_class_vi", field_types.STRING))).toList():
            out_fields.append(added)
        sink, dest = self.sink(parameters, "OUTPUT", context, out_fields, source.wkbType(),
                               source.sourceCrs())
        counts = {label: 0 for label in bands.labels_en}

        def classified():
            for n, feature in enumerate(features, start=1):
                iri = float(feature[field])
                label = bands.label(iri)
                counts[label] += 1
                out = QgsFeature(out_fields)
                out.setGeometry(feature.geometry())
                out.setAttributes(feature.attributes() + [label, bands.label(iri, "vi")])
                feedback.setProgress(100.0 * n / max(1, len(features)))
                yield out

        write_features(sink, classified(), feedback)
        summary = ", ".join(f"{k}: {v}" for k, v in counts.items())
        feedback.pushInfo(summary)
        return {"OUTPUT": dest, "COUNTS": summary}
