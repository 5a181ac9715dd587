"""``roadinfra:classify_iri``: the roughness class of each survey interval (``pavement iri``):
the features are read as a survey table and checked and classified by the same core entry
points as the CLI (``vehicle_rows``, ``classify_survey``)."""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsFields,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterField,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.condition.iri import classify_survey, vehicle_rows
from .... import field_types
from ...base import RoadInfraAlgorithm
from ...features import fields_of, source_features, source_text_table, write_features


class ClassifyIri(RoadInfraAlgorithm):
    """Condition band of every survey interval's IRI, from the jurisdiction profile."""

    NAME = "classify_iri"
    DISPLAY_NAME = QT_TR_NOOP("Classify IRI")
    SHORT_HELP = QT_TR_NOOP(
        "Adds the roughness class (e.g. Good / Fair / Poor) of each survey interval's IRI in "
        "m/km, with the bands of the jurisdiction profile ([pavement.iri_bands], or those of "
        "a road class). The layer or CSV needs a route, a start and an end chainage (from_m/"
        "to_m or from_km/to_km) and an IRI field, as for 'roadinfra pavement iri': every "
        "interval is checked the same way (empty or out-of-range values, an end not after "
        "its start, intervals overlapping on a route); bad rows are all reported and nothing "
        "is written."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_input_layer(self.tr("Survey intervals with IRI values"))
        self.addParameter(QgsProcessingParameterField(
            "IRI_FIELD", self.tr("IRI field (m/km)"), defaultValue="iri",
            parentLayerParameterName="INPUT", optional=True))
        self.addParameter(QgsProcessingParameterString(
            "ROAD_CLASS", self.tr("Road class (band set of the profile; empty: default bands)"),
            optional=True))
        self.add_profile_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Classified IRI")))
        self.addOutput(QgsProcessingOutputString("COUNTS", self.tr("Features per class")))
        self.addOutput(QgsProcessingOutputNumber("MEAN_IRI",
                                                 self.tr("Length-weighted mean IRI")))

    def process(self, parameters, context, feedback) -> dict:
        source = self.input_source(parameters, "INPUT", context)
        field = self.parameterAsString(parameters, "IRI_FIELD", context) or None
        road_class = self.parameterAsString(parameters, "ROAD_CLASS", context).strip() or None
        profile = self.profile(parameters, context)
        features = source_features(source, feedback)
        table = source_text_table(source, feedback)
        rows = self.run_core(feedback, vehicle_rows, table, iri_column=field)
        summary = classify_survey(rows, profile, road_class)
        labels = {row.line: (en, vi) for row, en, vi
                  in zip(summary.rows, summary.labels, summary.labels_vi)}
        out_fields = QgsFields(source.fields())
        for added in fields_of((("iri_class", field_types.STRING),
                                ("iri_class_vi", field_types.STRING))).toList():
            out_fields.append(added)
        sink, dest = self.sink(parameters, "OUTPUT", context, out_fields, source.wkbType(),
                               source.sourceCrs())

        def classified():
            for feature in features:
                out = QgsFeature(out_fields)
                out.setGeometry(feature.geometry())
                out.setAttributes(feature.attributes() + list(labels[feature.id()]))
                yield out

        write_features(sink, classified(), feedback)
        counts = ", ".join(f"{k}: {v}" for k, v in summary.counts.items())
        feedback.pushInfo(self.tr("{0} intervals; {1}; length-weighted mean IRI {2:.2f} m/km")
                          .format(len(summary.rows), counts, summary.mean_iri))
        return {"OUTPUT": dest, "COUNTS": counts, "MEAN_IRI": round(summary.mean_iri, 3)}
