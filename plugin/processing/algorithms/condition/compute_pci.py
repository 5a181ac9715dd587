"""``roadinfra:compute_pci``: PCI of every sample unit of a distress table (``pavement pci``),
of each survey apart when the table holds many (the loaded ``pavement_distress`` layer), and
optionally written back to the surveys of the provincial database."""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterField,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.condition.pci_survey import (
    DISTRESS_COLUMNS,
    distress_columns,
    pci_by_survey,
    pci_from_records,
)
from .....core.condition.pci_writeback import survey_revisions, write_survey_pci
from .....core.errors import RoadInfraError
from .....core.io.rows import RowErrorsError
from .... import field_types
from ...base import RoadInfraAlgorithm
from ...features import fields_of, referenced_names, source_records, write_features

UNITS = ("metric", "imperial")
#: Field parameters (role in core's DISTRESS_COLUMNS, which gives the default); numeric or not.
FIELDS = (
    ("UNIT_FIELD", QT_TR_NOOP("Sample unit field"), "sample_unit", False),
    ("AREA_FIELD", QT_TR_NOOP("Sample unit area field"), "unit_area", True),
    ("CODE_FIELD", QT_TR_NOOP("Distress code field"), "code", False),
    ("SEVERITY_FIELD", QT_TR_NOOP("Severity field"), "severity", False),
    ("QUANTITY_FIELD", QT_TR_NOOP("Quantity field"), "quantity", True),
)
SURVEY_FIELD = "survey_id"  # pavement_distress
#: a survey by the name the project's forms give it first, its id last (for joins)
OUTPUT_FIELDS = (("survey_name", field_types.STRING), ("survey_pci", field_types.DOUBLE),
                 ("survey_rating", field_types.STRING), ("survey_rating_vi", field_types.STRING),
                 ("sample_unit", field_types.STRING), ("unit_area", field_types.DOUBLE),
                 ("pci", field_types.DOUBLE), ("rating", field_types.STRING),
                 ("rating_vi", field_types.STRING), ("max_cdv", field_types.DOUBLE),
                 ("deducts", field_types.STRING), ("survey", field_types.STRING))


class ComputePci(RoadInfraAlgorithm):
    """PCI (ASTM D6433) of every sample unit in a distress table, and the section PCI."""

    NAME = "compute_pci"
    DISPLAY_NAME = QT_TR_NOOP("Compute PCI from distress table")
    SHORT_HELP = QT_TR_NOOP(
        "Computes the Pavement Condition Index (ASTM D6433, asphalt roads) of every sample "
        "unit of a distress table (one row per distress: sample unit, unit area, distress code "
        "1-19, severity L/M/H, quantity in m2, m or count) and the area-weighted PCI of all "
        "units. Every row is checked; bad rows are all listed with their field. A table of "
        "many surveys (the loaded pavement distress layer) is computed survey by survey: each "
        "survey's sample units and errors are its own, and the PCI and rating of each survey "
        "can be written back to the provincial database (logged in its history; a survey "
        "changed meanwhile is refused)."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_input_layer(self.tr("Distress table"))
        # the options a user of the loaded distress layer needs first (652 x 508 dialog);
        # the field names and units default to the pavement_distress table: advanced
        self.addParameter(QgsProcessingParameterBoolean(
            "BY_SURVEY", self.tr("Compute each survey apart"), defaultValue=False))
        self.addParameter(QgsProcessingParameterBoolean(
            "WRITE_BACK", self.tr("Write PCI and rating back to the surveys"),
            defaultValue=False))
        self.add_database_parameter(optional=True)
        advanced = [QgsProcessingParameterField(
            "SURVEY_FIELD", self.tr("Survey field"), defaultValue=SURVEY_FIELD,
            parentLayerParameterName="INPUT", optional=True)]
        for name, label, role, numeric in FIELDS:
            # optional: QGIS 3.22 rejects a missing field parameter instead of using its
            # default, so the default (core's, as the CLI's) is applied in process
            advanced.append(QgsProcessingParameterField(
                name, self.tr(label), defaultValue=DISTRESS_COLUMNS[role],
                parentLayerParameterName="INPUT",
                type=QgsProcessingParameterField.DataType.Numeric if numeric
                else QgsProcessingParameterField.DataType.Any, optional=True))
        advanced.append(QgsProcessingParameterEnum(
            "UNITS", self.tr("Units of areas and lengths"),
            options=[self.tr("Metric (m², m)"), self.tr("Imperial (ft², ft)")], defaultValue=0))
        for parameter in advanced:
            parameter.setFlags(parameter.flags()
                               | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
            self.addParameter(parameter)
        self.add_profile_parameter()
        self.add_table_output("OUTPUT", self.tr("PCI per sample unit"))
        self.addOutput(QgsProcessingOutputNumber("SECTION_PCI", self.tr("Section PCI")))
        self.addOutput(QgsProcessingOutputString("SECTION_RATING", self.tr("Section rating")))
        for name, label in (("SURVEYS", self.tr("Surveys computed")),
                            ("SURVEYS_FAILED", self.tr("Surveys with errors")),
                            ("WRITTEN", self.tr("Surveys written"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def process(self, parameters, context, feedback) -> dict:
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise RoadInfraError(self.tr("The distress table cannot be read"))
        chosen = {role: self.parameterAsString(parameters, name, context)
                  for name, _label, role, _numeric in FIELDS}
        columns = distress_columns(source.fields().names(), chosen)
        fields = [columns[role] for role in DISTRESS_COLUMNS]
        units = UNITS[self.parameterAsEnum(parameters, "UNITS", context)]
        profile = self.profile(parameters, context)
        by_survey = self.parameterAsBoolean(parameters, "BY_SURVEY", context)
        write_back = self.parameterAsBoolean(parameters, "WRITE_BACK", context)
        if write_back and not by_survey:
            raise RoadInfraError(self.tr("Writing PCI back to the surveys needs 'Compute each "
                                         "survey apart'"))
        if not by_survey:
            records = source_records(source, fields)
            try:
                result = self.run_core(feedback, pci_from_records, records,
                                       source=source.sourceName(), units=units,
                                       profile=profile)
            except QgsProcessingException as exc:
                self._hint_surveys(source, exc, feedback)
                raise
            return self._write(parameters, context, feedback, source, [("", result)], {}, {
                "SECTION_PCI": round(result.section_pci, 1),
                "SECTION_RATING": result.section_rating})
        survey_field = self.parameterAsString(parameters, "SURVEY_FIELD", context) or SURVEY_FIELD
        records = source_records(source, [survey_field, *fields])
        database = self.database(parameters, context) if write_back else ""
        revisions = (self.run_core(feedback, survey_revisions, database,
                                   [r[1] for r in records if r[1] is not None])
                     if write_back else {})  # read before computing: a later change is refused
        result = self.run_core(feedback, pci_by_survey, records, source=source.sourceName(),
                               units=units, profile=profile)
        for error in result.all_errors:
            feedback.reportError(str(error))
        if result.errors:
            feedback.pushWarning(self.tr("{0} survey(s) have bad rows and were left out: {1}")
                                 .format(len(result.errors), ", ".join(sorted(result.errors))))
        written = 0
        if write_back:
            written = self.run_core(feedback, write_survey_pci, database, result, revisions)
            feedback.pushInfo(self.tr("PCI and rating written to {0} survey(s) of {1}")
                              .format(written, database))
        names = referenced_names(self.parameterAsVectorLayer(parameters, "INPUT", context),
                                 survey_field)
        return self._write(parameters, context, feedback, source, result.surveys, names, {
            "SURVEYS": len(result.surveys), "SURVEYS_FAILED": len(result.errors),
            "WRITTEN": written})

    def _hint_surveys(self, source, exc, feedback) -> None:
        """A table of many surveys computed as one: say which option computes them apart."""
        if (isinstance(exc.__cause__, RowErrorsError)
                and source.fields().indexOf(SURVEY_FIELD) >= 0):
            feedback.pushWarning(self.tr(
                "{0} has a field {1}: if it holds several surveys, tick 'Compute each survey "
                "apart'").format(source.sourceName(), SURVEY_FIELD))

    def _write(self, parameters, context, feedback, source, surveys, names, outputs) -> dict:
        out_fields = fields_of(OUTPUT_FIELDS)
        sink, dest = self.sink(parameters, "OUTPUT", context, out_fields,
                               QgsWkbTypes.Type.NoGeometry, source.sourceCrs())

        def features():
            for survey, pci in surveys:
                for unit in pci.units:
                    feature = QgsFeature(out_fields)
                    res = unit.result
                    deducts = "; ".join(f"{d.code}{d.severity} {d.deduct:.1f}"
                                        for d in res.deducts)
                    feature.setAttributes([
                        names.get(survey) or survey or None, round(pci.section_pci, 1),
                        pci.section_rating, pci.section_rating_vi, unit.unit_id, unit.area,
                        round(res.pci, 1), res.rating, res.rating_vi, round(res.max_cdv, 1),
                        deducts, survey or None])
                    yield feature

        write_features(sink, features(), feedback)
        if len(surveys) == 1:
            pci = surveys[0][1]
            feedback.pushInfo(self.tr("Section PCI {pci:.1f}: {rating}").format(
                pci=pci.section_pci, rating=pci.section_rating))
        else:
            feedback.pushInfo(self.tr("PCI of {0} survey(s) computed").format(len(surveys)))
        return {"OUTPUT": dest, **outputs}
