"""Parameters shared by the algorithms that read a cadastral file, and the shapely -> QGIS
layer writing of cadastre results (no algorithm)."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingParameterCrs,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from shapely.geometry import MultiPolygon, Polygon

from .....core.cadastre.mapping import load_mapping
from .....core.cadastre.reader import ParcelSet, read_parcels
from ...features import frame_fields, plain, write_features

INPUT = "INPUT"


def polygons(geom):
    """A shapely geometry as a QGIS multipolygon (its polygon parts; empty when none)."""
    parts = []
    for part in getattr(geom, "geoms", [geom]) if geom is not None else []:
        if isinstance(part, Polygon):
            parts.append(part)
        elif isinstance(part, MultiPolygon):
            parts.extend(part.geoms)
    return QgsGeometry.fromWkt(MultiPolygon(parts).wkt) if parts else QgsGeometry()


def qgis_crs(crs) -> QgsCoordinateReferenceSystem:
    if crs is None:
        return QgsCoordinateReferenceSystem()
    epsg = crs.to_epsg()
    return (QgsCoordinateReferenceSystem(f"EPSG:{epsg}") if epsg else
            QgsCoordinateReferenceSystem.fromWkt(crs.to_wkt()))


class ParcelInput:
    """Mixin for a RoadInfraAlgorithm: the cadastral file and how to read it."""

    def add_parcel_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterFile(
            INPUT, self.tr("Cadastral file (Shapefile, GeoPackage, GML/INSPIRE, DXF, DGN)")))
        self.addParameter(QgsProcessingParameterString(
            "MAPPING", self.tr("Field mapping (vn_cadastre, fr_edigeo, nl_inspire or .toml)"),
            defaultValue="vn_cadastre"))
        self.addParameter(QgsProcessingParameterString(
            "LAYER", self.tr("Layer (of a multi-layer file)"), optional=True))
        self.addParameter(QgsProcessingParameterCrs(
            "CRS", self.tr("CRS of a file that declares none"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            "SHEET", self.tr("Map sheet of parcels whose file does not say it"), optional=True))

    def parcels(self, parameters, context, feedback) -> ParcelSet:
        path = self.parameterAsFile(parameters, INPUT, context)
        mapping = load_mapping(self.parameterAsString(parameters, "MAPPING", context).strip()
                               or None)
        crs = self.parameterAsCrs(parameters, "CRS", context)
        given = None
        if crs.isValid():
            given = crs.authid() or crs.toWkt()
        parcels = read_parcels(path, mapping,
                               layer=self.parameterAsString(parameters, "LAYER", context) or None,
                               crs=given,
                               sheet=self.parameterAsString(parameters, "SHEET", context) or None)
        for error in parcels.errors:
            feedback.reportError(str(error))
        return parcels

    def add_layer_output(self, name: str, label: str) -> None:
        self.addParameter(QgsProcessingParameterFeatureSink(
            name, label, QgsProcessing.SourceType.TypeVectorPolygon))

    def write_layer(self, parameters, name, context, feedback, frame, crs) -> str:
        """A GeoDataFrame of polygons to the output ``name``; its destination id."""
        table = frame.drop(columns=frame.geometry.name)
        fields = frame_fields(table)
        sink, dest = self.sink(parameters, name, context, fields,
                               QgsWkbTypes.Type.MultiPolygon, qgis_crs(crs))
        columns = [table[c].to_numpy(dtype=object) for c in table.columns]
        geoms = list(frame.geometry)

        def features():
            for i in range(len(table)):
                feature = QgsFeature(fields)
                feature.setAttributes([plain(column[i]) for column in columns])
                feature.setGeometry(polygons(geoms[i]))
                yield feature

        write_features(sink, features(), feedback)
        return dest
