"""A RoadInfra layer's table, its database (through core), features as core rows, the author."""

from __future__ import annotations

import datetime as dt
import getpass
from typing import Any, Dict

from qgis.core import NULL, QgsDataSourceUri, QgsVectorLayer
from qgis.PyQt.QtCore import QDate, QDateTime, QVariant
from shapely import wkb

from ...core.schema import GEOMETRY_COLUMN, TABLES, Table
from ..database.connections import core_target
from ..database.naming import TABLE_PROPERTY
from ..settings import PluginSettings


def layer_table(layer) -> Table | None:
    """The schema table of a RoadInfra layer (None for any other layer)."""
    if not isinstance(layer, QgsVectorLayer):
        return None
    name = layer.customProperty(TABLE_PROPERTY)
    return TABLES.get(name) if name else None


def layer_target(layer: QgsVectorLayer) -> str:
    """The core database target (GeoPackage path or PostgreSQL URL/service) of a layer."""
    source = layer.source()
    if layer.providerType() == "ogr":
        return source.split("|")[0]
    return core_target(QgsDataSourceUri(source).connectionInfo(False))


def author_name() -> str:
    """Who edits: the plugin setting ``roadinfra/editor_name``, else the operating-system
    user (GeoPackage history; on PostGIS the database login is the author)."""
    return PluginSettings.load().editor_name.strip() or getpass.getuser()


def python_value(value: Any) -> Any:
    """A QGIS attribute value as a plain Python value (NULL -> None)."""
    if value is None or value == NULL or (isinstance(value, QVariant) and value.isNull()):
        return None
    if isinstance(value, QDateTime):
        return value.toPyDateTime().replace(tzinfo=dt.timezone.utc) if value.isValid() else None
    if isinstance(value, QDate):
        return value.toPyDate() if value.isValid() else None
    return value


def qgis_value(value: Any) -> Any:
    """A core value as a QGIS attribute value."""
    if value is None:
        return NULL
    if isinstance(value, dt.datetime):
        return QDateTime(value)
    if isinstance(value, dt.date):
        return QDate(value)
    return value


def feature_row(layer: QgsVectorLayer, feature, table: Table) -> Dict[str, Any]:
    """A feature as the row the core API reads (schema columns, ``geom`` as shapely)."""
    names = layer.fields().names()
    row = {c.name: python_value(feature[c.name]) for c in table.columns if c.name in names}
    if table.geometry:
        geometry = feature.geometry()
        row[GEOMETRY_COLUMN] = (None if geometry is None or geometry.isEmpty()
                                else wkb.loads(bytes(geometry.asWkb())))
    return row
