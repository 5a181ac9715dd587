"""Parameters shared by the algorithms that read cadastral parcels (a file or a layer the user
has open), and the writing of cadastre results into sinks (no algorithm). Reading is
:func:`roadinfra.plugin.cadastre.inputs.read_source`, the same as the *Cadastre* dialog's."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterString,
    QgsProcessingUtils,
    QgsProject,
    QgsWkbTypes,
)

from .....core.cadastre.mapping import load_mapping
from .....core.cadastre.reader import ParcelSet
from .....core.errors import RoadInfraError
from ....cadastre.inputs import (
    polygon_fields,
    qgis_crs,
    read_source,
    whole_file,
    write_polygons,
)

INPUT = "INPUT"


class ParcelInput:
    """Mixin for a RoadInfraAlgorithm: the cadastral parcels (file or layer) and how to read
    them."""

    def add_parcel_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterFeatureSource(
            INPUT, self.tr("Cadastral parcels (a layer, or a Shapefile, GeoPackage, "
                           "GML/INSPIRE, DXF or DGN file)"),
            [QgsProcessing.SourceType.TypeVectorAnyGeometry]))
        self.addParameter(QgsProcessingParameterString(
            "MAPPING", self.tr("Field mapping (vn_cadastre, fr_edigeo, nl_inspire or .toml)"),
            defaultValue="vn_cadastre"))
        self.addParameter(QgsProcessingParameterString(
            "LAYER", self.tr("Layer (of a multi-layer file)"), optional=True))
        self.addParameter(QgsProcessingParameterCrs("CRS", self._crs_label(), optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "ASSIGN_CRS", self._assign_label(), defaultValue=False))
        self.addParameter(QgsProcessingParameterString(
            "SHEET", self.tr("Map sheet of parcels whose file does not say it"), optional=True))

    def _crs_label(self) -> str:
        return self.tr("CRS of parcels whose source declares none")

    def _assign_label(self) -> str:
        return self.tr("Read the parcels in this CRS in place of the one their source "
                       "declares (a mislabelled file)")

    def parcel_source(self, parameters, context):
        """A file path (read as a file), or the layer or selected features chosen."""
        value = parameters.get(INPUT)
        if isinstance(value, str) and value and \
                QgsProcessingUtils.mapLayerFromString(value, context, False) is None:
            return value  # a file the project does not show: read as delivered
        layer = self.parameterAsVectorLayer(parameters, INPUT, context)
        selected = isinstance(value, QgsProcessingFeatureSourceDefinition) and \
            value.selectedFeaturesOnly
        if layer is not None and not selected and whole_file(layer) is not None:
            return layer  # a layer showing a whole file: the file is read as delivered
        source = self.parameterAsSource(parameters, INPUT, context)  # safe in a thread
        if source is None:
            raise RoadInfraError(self.tr("The cadastral parcels cannot be read"))
        return source

    @staticmethod
    def _a_file(parameters) -> bool:
        """Whether the parcels were given as a file path (not a layer of the project)."""
        value = parameters.get(INPUT)
        return isinstance(value, str) and bool(value) and \
            QgsProject.instance().mapLayer(value) is None

    def parcels(self, parameters, context, feedback) -> ParcelSet:
        mapping = load_mapping(self.parameterAsString(parameters, "MAPPING", context).strip()
                               or None)
        crs = self.parameterAsCrs(parameters, "CRS", context)
        given = None
        if crs.isValid():
            given = crs.authid() or crs.toWkt()
        assign = self.parameterAsBoolean(parameters, "ASSIGN_CRS", context)
        if assign and given is None:
            raise RoadInfraError(self.tr("'{assign}' is ticked, but '{crs}' is empty: choose the "
                                         "CRS to read the parcels in, or untick it").format(
                assign=self._assign_label(), crs=self._crs_label()))
        source = self.parcel_source(parameters, context)
        labels = {"crs": self._crs_label(), "assign": self._assign_label()}
        refusal = (self.tr(
            "{{source}}: the CRS assigned to the file ({{assigned}}, '{crs}' with '{assign}' "
            "ticked) disagrees with the file's own declared CRS, {{own}}, which the "
            "coordinates fit: untick '{assign}' and leave '{crs}' empty to read the file in "
            "its own CRS; nothing was imported") if self._a_file(parameters) else self.tr(
            "{{source}}: the CRS assigned to the layer ({{assigned}}, '{crs}' with '{assign}' "
            "ticked) disagrees with the layer's own declared CRS, {{own}}, which the "
            "coordinates fit: untick '{assign}' and leave '{crs}' empty to read the layer in "
            "its own CRS; nothing was imported")).format(**labels)
        given_refusal = (self.tr(
            "{{source}}: the CRS given in '{crs}' ({{given}}) is wrong: the file declares none, "
            "and its coordinates fit {{grid}}: choose {{code}} in '{crs}'"
            "{{trust}}; nothing was imported") if self._a_file(parameters) else self.tr(
            "{{source}}: the CRS given in '{crs}' ({{given}}) is wrong: the layer declares "
            "none, and its coordinates fit {{grid}}: choose {{code}} in "
            "'{crs}'{{trust}}; nothing was imported")).format(**labels)
        given_ambiguous = (self.tr(
            "{{source}}: the CRS given in '{crs}' ({{given}}) is wrong: the file declares none, "
            "and its coordinates fit each of {{fits}}, which place them up to {{apart}} m "
            "apart: the coordinates cannot tell VN-2000 from WGS 84 (or one grid from "
            "another) apart there, so choose in '{crs}' the CRS the data was really made in "
            "(VN-2000 for a cadastral survey, WGS 84 for GPS or web-map data){{trust}}; "
            "nothing was imported") if self._a_file(parameters) else self.tr(
            "{{source}}: the CRS given in '{crs}' ({{given}}) is wrong: the layer declares "
            "none, and its coordinates fit each of {{fits}}, which place them up to {{apart}} "
            "m apart: the coordinates cannot tell VN-2000 from WGS 84 (or one grid from "
            "another) apart there, so choose in '{crs}' the CRS the data was really made in "
            "(VN-2000 for a cadastral survey, WGS 84 for GPS or web-map data){{trust}}; "
            "nothing was imported")).format(**labels)
        trust = self.parameterDefinition("TRUST_CRS")
        given_trust = (self.tr(", or, if the data really is in {{given}}, confirm it (tick "
                               "'{trust}')").format(trust=trust.description())
                       if trust is not None else None)
        parcels = read_source(source, mapping,
                              layer=self.parameterAsString(parameters, "LAYER", context) or None,
                              crs=given, assign_crs=assign, assigned_refusal=refusal,
                              given_refusal=given_refusal, given_trust=given_trust,
                              given_ambiguous=given_ambiguous,
                              sheet=self.parameterAsString(parameters, "SHEET", context) or None,
                              feedback=feedback)
        for error in parcels.errors:
            feedback.reportError(str(error))
        return parcels

    def add_layer_output(self, name: str, label: str) -> None:
        self.addParameter(QgsProcessingParameterFeatureSink(
            name, label, QgsProcessing.SourceType.TypeVectorPolygon))

    def write_layer(self, parameters, name, context, feedback, frame, crs) -> str:
        """A GeoDataFrame of polygons to the output ``name``; its destination id."""
        sink, dest = self.sink(parameters, name, context, polygon_fields(frame),
                               QgsWkbTypes.Type.MultiPolygon, qgis_crs(crs))
        write_polygons(sink, frame, feedback)
        return dest
