"""In-memory QGIS layers for algorithm tests (QGIS tier only: imports qgis)."""

from qgis.core import QgsFeature, QgsField, QgsVectorLayer


def memory_layer(uri, fields, rows, name="mem"):
    """A memory layer ``uri`` (e.g. ``"Point?crs=EPSG:9209"``, ``"None"``) with ``fields``
    (name, QVariant type) and ``rows`` of (geometry or None, attribute values)."""
    layer = QgsVectorLayer(uri, name, "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    features = []
    for geometry, values in rows:
        feature = QgsFeature(layer.fields())
        if geometry is not None:
            feature.setGeometry(geometry)
        feature.setAttributes(values)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer
