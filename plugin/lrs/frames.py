"""QGIS feature sources (layers, Processing inputs) as plain pandas/GeoPandas frames."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from qgis.core import QgsGeometry
from qgis.PyQt.QtCore import QVariant
from shapely import wkb


def _value(v):
    if v is None or (isinstance(v, QVariant) and v.isNull()):
        return None
    return v


def _shapely(geometry: QgsGeometry):
    if geometry is None or geometry.isNull() or geometry.isEmpty():
        return None
    g = QgsGeometry(geometry)
    g.get().dropMValue()
    g.get().dropZValue()
    return wkb.loads(bytes(g.asWkb()))


def source_table(source) -> pd.DataFrame:
    """A feature source's attributes as a DataFrame (NULL -> None)."""
    names = source.fields().names()
    records = [[_value(v) for v in f.attributes()] for f in source.getFeatures()]
    return pd.DataFrame.from_records(records, columns=names)


def source_frame(source) -> gpd.GeoDataFrame:
    """A feature source (a layer with its pending edits, too) as a GeoDataFrame in its
    declared CRS (None if it has none)."""
    features = list(source.getFeatures())
    names = source.fields().names()
    table = pd.DataFrame.from_records([[_value(v) for v in f.attributes()] for f in features],
                                      columns=names)
    crs = source.sourceCrs()
    declared = None
    if crs.isValid():
        declared = crs.authid() if crs.authid().upper().startswith("EPSG:") else crs.toWkt()
    return gpd.GeoDataFrame(table, geometry=[_shapely(f.geometry()) for f in features],
                            crs=declared)
