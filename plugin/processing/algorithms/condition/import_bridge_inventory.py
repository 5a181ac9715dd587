"""``roadinfra:import_bridge_inventory``: a bridge/culvert spreadsheet read through a column
mapping into a point layer (``bridges import``)."""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TR_NOOP

from .....core.errors import RoadInfraError
from .....core.importers.bridge_inventory import import_table, import_tabular
from .... import field_types
from ....crs import grid_crs
from ...base import RoadInfraAlgorithm
from ...features import fields_of, source_text_table, write_features

OUTPUT_FIELDS = (("id", field_types.STRING), ("code", field_types.STRING),
                 ("kind", field_types.STRING),
                 ("name", field_types.STRING), ("year_built", field_types.INT),
                 ("inspection_date", field_types.STRING), ("overall_rating", field_types.INT),
                 ("structurally_deficient", field_types.BOOL),
                 ("load_posting_t", field_types.DOUBLE), ("notes", field_types.STRING))


FILE_SUFFIXES = (".csv", ".txt", ".xlsx")  # read by core itself (encoding policy, lines)


class ImportBridgeInventory(RoadInfraAlgorithm):
    """Read a legacy bridge/culvert spreadsheet through a mapping file into a point layer."""

    NAME = "import_bridge_inventory"
    DISPLAY_NAME = QT_TR_NOOP("Import bridge inventory (mapping file)")
    SHORT_HELP = QT_TR_NOOP(
        "Reads a CSV or XLSX inventory of bridges and culverts (e.g. the US NBI format or a "
        "province's legacy spreadsheet) through a column mapping file, rates each structure "
        "with the mapping's rating scheme and writes a point layer in the provincial grid with "
        "the overall condition, deficiency flag and posting recommendation. Bad rows are "
        "listed with their line and column; the other rows are imported."
    )

    def initAlgorithm(self, config=None) -> None:
        self.add_input_layer(self.tr("Inventory (CSV or XLSX file, or a layer)"))
        self.addParameter(QgsProcessingParameterString(
            "MAPPING", self.tr("Mapping (id or .toml file)"), defaultValue="nbi_2013"))
        self.add_profile_parameter()
        self.addParameter(QgsProcessingParameterFeatureSink(
            "OUTPUT", self.tr("Bridges and culverts"), QgsProcessing.SourceType.TypeVectorPoint))
        self.addOutput(QgsProcessingOutputNumber("IMPORTED", self.tr("Rows imported")))
        self.addOutput(QgsProcessingOutputNumber("ERRORS", self.tr("Rows with errors")))

    def process(self, parameters, context, feedback) -> dict:
        mapping = self.parameterAsString(parameters, "MAPPING", context).strip() or "nbi_2013"
        profile = self.profile(parameters, context)
        path = self.input_file(parameters, "INPUT", FILE_SUFFIXES)
        if path:
            result = self.run_core(feedback, import_tabular, path, mapping, profile)
        else:  # a layer the user has open (a loaded spreadsheet too): its rows as text
            source = self.parameterAsSource(parameters, "INPUT", context)
            if source is None:
                raise RoadInfraError(self.tr("The inventory cannot be read"))
            result = self.run_core(feedback, import_table, source_text_table(source, feedback),
                                   mapping, profile)
        for error in result.errors:
            feedback.reportError(str(error))
        inspections = {}
        for row in result.rows["inspection"]:
            inspections[row.get("bridge_id") or row.get("culvert_id")] = row
        fields = fields_of(OUTPUT_FIELDS)
        sink, dest = self.sink(parameters, "OUTPUT", context, fields, QgsWkbTypes.Type.Point,
                               grid_crs(profile))

        def features():
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
                    yield feature

        write_features(sink, features(), feedback)
        bad = len({e.row for e in result.errors})
        feedback.pushInfo(self.tr("{ok} of {total} rows imported, {bad} with errors").format(
            ok=result.rows_read - bad, total=result.rows_read, bad=bad))
        return {"OUTPUT": dest, "IMPORTED": result.rows_read - bad, "ERRORS": bad}
