"""Features to and from plain Python: the one place where QGIS values meet core records.

:func:`table_layer` holds a delimited-text file read by core's encoding policy;
:func:`source_records` reads the chosen fields of a feature source into records
``(feature id, value, ...)`` for a core entry point (:func:`attribute`: NULL as None);
:func:`source_table` reads all its attributes into a DataFrame and :func:`source_frame`
into a GeoDataFrame with shapely geometries in the layer's declared CRS (for the LRS, which
brings it into the grid with ``core.lrs.io.frame_to_grid``);
:func:`plain` turns a numpy or pandas value into one a feature can hold (NaN into NULL);
:func:`frame_fields` and :func:`write_frame` write a DataFrame into a sink, in batches, and
:func:`write_extended` the input features with values added (:func:`extended_fields`).
Reading and writing stop with :class:`~roadinfra.core.errors.Cancelled` when the user
cancels.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any, Iterable, List, Sequence, Tuple

import pandas as pd
from qgis.core import (
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsFeatureSource,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingFeatureSource,
    QgsProcessingFeedback,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime, QVariant

from ...core.errors import Cancelled
from ...core.io.tabular import cell_text
from .. import field_types

BATCH = 10000


def plain(value: Any) -> Any:
    """numpy/pandas scalars to Python values; missing values (QGIS NULL, NaN, NA) to None."""
    if value is None or value is pd.NA or (isinstance(value, QVariant) and value.isNull()):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def attribute(feature: QgsFeature, name: str) -> Any:
    """The value of field ``name`` as read, QGIS NULL as None (NaN stays: it is data)."""
    value = feature[name]
    return None if value is None or (isinstance(value, QVariant) and value.isNull()) else value


def python_datetime(value: Any, assume_utc: bool = False) -> Any:
    """A QDateTime as a Python datetime (other values as they are): aware when QGIS knows its
    zone; a local time (no zone known) is taken as UTC with ``assume_utc`` (a GeoPackage
    stores UTC, and QGIS 3.22 reads it without the Z), else left naive."""
    if not isinstance(value, QDateTime):
        return value
    if not value.isValid():
        return None
    if value.timeSpec() == Qt.TimeSpec.LocalTime:
        moment = value.toPyDateTime()
        return moment.replace(tzinfo=timezone.utc) if assume_utc else moment
    moment: datetime = value.toUTC().toPyDateTime()
    return moment.replace(tzinfo=timezone.utc)


def values_type(values: Iterable[Any]) -> field_types.FieldType:
    """The field type of the values of an object column: whole numbers, numbers, else text
    (missing values do not count; a flag is text)."""
    present = [v for v in (plain(v) for v in values) if v is not None]
    numbers = [v for v in present if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not present or len(numbers) < len(present):
        return field_types.STRING
    return field_types.LONG if all(isinstance(v, int) for v in numbers) else field_types.DOUBLE


def qvariant_type(dtype) -> field_types.FieldType:
    """The field type of a pandas column type."""
    if pd.api.types.is_bool_dtype(dtype):
        return field_types.BOOL
    if pd.api.types.is_integer_dtype(dtype):
        return field_types.LONG
    if pd.api.types.is_float_dtype(dtype):
        return field_types.DOUBLE
    return field_types.STRING


def fields_of(columns: Iterable[Tuple[str, field_types.FieldType]]) -> QgsFields:
    """QgsFields from (name, type) pairs."""
    fields = QgsFields()
    for name, kind in columns:
        fields.append(QgsField(name, kind))
    return fields


def extended_fields(fields: QgsFields, columns: Iterable[Tuple[str, field_types.FieldType]]
                    ) -> QgsFields:
    """A copy of ``fields`` (e.g. the input layer's) with the (name, type) ``columns`` added."""
    out = QgsFields(fields)
    for field in fields_of(columns).toList():
        out.append(field)
    return out


def frame_fields(frame: pd.DataFrame, from_values: bool = False) -> QgsFields:
    """The fields of a DataFrame's columns, by column type (``from_values``: an object
    column by its values, :func:`values_type`)."""
    return fields_of(
        (str(name), values_type(frame[name]) if from_values and frame[name].dtype == object
         else qvariant_type(frame[name].dtype)) for name in frame.columns)


def check_fields(source: QgsFeatureSource, names: Sequence[str]) -> None:
    """A RoadInfraError naming the layer and every field it lacks."""
    from ...core.errors import RoadInfraError

    missing = [name for name in names if source.fields().indexOf(name) < 0]
    if missing:
        raise RoadInfraError(f"{source.sourceName()}: no field {', '.join(missing)}")


def source_records(source: QgsFeatureSource, names: Sequence[str]) -> List[tuple]:
    """``(feature id, value of each field in names)`` of every feature (NULL as None)."""
    check_fields(source, names)
    return [(feature.id(), *(attribute(feature, name) for name in names))
            for feature in source.getFeatures()]


def text_value(value: Any) -> str:
    """A field value as a text cell of a core table: NULL as '', dates in ISO 8601, whole
    numbers without a decimal point."""
    value = plain(value)
    if isinstance(value, (QDate, QDateTime, QTime)):
        return value.toString(Qt.DateFormat.ISODate)
    return cell_text(value)


def source_text_table(source: QgsFeatureSource, feedback: QgsProcessingFeedback | None = None):
    """A feature source as a core :class:`~roadinfra.core.io.tabular.Table` of text cells
    (header: the field names; each row numbered by its feature id), for a core reader that
    takes a table read from a file."""
    from ...core.io.tabular import Table

    rows = tuple((feature.id(), tuple(text_value(v) for v in feature.attributes()))
                 for feature in source_features(source, feedback))
    return Table(source.sourceName(), "layer", "", tuple(source.fields().names()), rows)


def table_layer(table) -> QgsVectorLayer:
    """A core :class:`~roadinfra.core.io.tabular.Table` (read by core's encoding policy) as a
    memory layer of text fields, as QGIS reads a CSV (feature ids 1, 2, ... for the data
    rows; named after the file)."""
    from pathlib import Path

    layer = QgsVectorLayer("None", Path(table.path).stem, "memory")
    provider = layer.dataProvider()
    provider.addAttributes([QgsField(name, field_types.STRING) for name in table.header])
    layer.updateFields()
    width = len(table.header)
    features = []
    for _line, cells in table.rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([cells[i] if i < len(cells) else None for i in range(width)])
        features.append(feature)
    provider.addFeatures(features)
    return layer


def referenced_names(layer: QgsVectorLayer | None, field: str) -> dict:
    """Value of ``field`` -> the name of the feature it references, as the project's forms
    show it (the relation's parent layer and its display expression); {} without one."""
    index = layer.fields().indexOf(field) if layer is not None else -1
    if index < 0:
        return {}
    for relation in layer.referencingRelations(index):
        parent, key = relation.referencedLayer(), relation.fieldPairs().get(field)
        if parent is None or not key:
            continue
        expression = QgsExpression(parent.displayExpression())
        context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(parent))
        names = {}
        for feature in parent.getFeatures():
            context.setFeature(feature)
            name = expression.evaluate(context)
            names[str(feature[key])] = None if expression.hasEvalError() else plain(name)
        return names
    return {}


def source_features(source: QgsFeatureSource,
                    feedback: QgsProcessingFeedback | None = None,
                    unchecked: bool = False) -> List[QgsFeature]:
    """Every feature of ``source`` (a layer's pending edits too), stopping on cancel;
    ``unchecked``: an invalid geometry too, whatever the Processing context's invalid
    geometry setting says (the caller repairs it)."""
    features = []
    if unchecked and isinstance(source, QgsProcessingFeatureSource):
        found = source.getFeatures(QgsFeatureRequest(),
                                   QgsProcessingFeatureSource.Flag.FlagSkipGeometryValidityChecks)
    else:
        found = source.getFeatures()
    for feature in found:
        features.append(feature)
        if len(features) % BATCH == 0 and feedback is not None and feedback.isCanceled():
            raise Cancelled(f"reading {source.sourceName()} cancelled")
    return features


def _table(source: QgsFeatureSource, features: Sequence[QgsFeature]) -> pd.DataFrame:
    return pd.DataFrame.from_records([[plain(v) for v in f.attributes()] for f in features],
                                     columns=source.fields().names())


def source_table(source: QgsFeatureSource,
                 feedback: QgsProcessingFeedback | None = None) -> pd.DataFrame:
    """A feature source's attributes as a DataFrame (NULL to None)."""
    return _table(source, source_features(source, feedback))


def shapely_geometry(geometry: QgsGeometry):
    """A QGIS geometry as a 2D shapely one (M and Z dropped); None if null or empty."""
    from shapely import wkb

    if geometry is None or geometry.isNull() or geometry.isEmpty():
        return None
    flat = QgsGeometry(geometry)
    flat.get().dropMValue()
    flat.get().dropZValue()
    return wkb.loads(bytes(flat.asWkb()))


def qgis_geometry(geometry) -> QgsGeometry:
    """A shapely geometry as a QGIS one (None: a null geometry)."""
    out = QgsGeometry()
    if geometry is not None:
        out.fromWkb(geometry.wkb)
    return out


def source_frame(source: QgsFeatureSource, feedback: QgsProcessingFeedback | None = None):
    """A feature source as a GeoDataFrame in its declared CRS (None if it has none)."""
    import geopandas as gpd

    features = source_features(source, feedback)
    crs = source.sourceCrs()
    declared = None
    if crs.isValid():
        declared = crs.authid() if crs.authid().upper().startswith("EPSG:") else crs.toWkt()
    return gpd.GeoDataFrame(_table(source, features), crs=declared,
                            geometry=[shapely_geometry(f.geometry()) for f in features])


def _add(sink: QgsFeatureSink, features: List[QgsFeature],
         feedback: QgsProcessingFeedback | None) -> None:
    sink.addFeatures(features, QgsFeatureSink.Flag.FastInsert)
    if feedback is not None and feedback.isCanceled():
        raise Cancelled("writing the output cancelled")


def write_features(sink: QgsFeatureSink, features: Iterable[QgsFeature],
                   feedback: QgsProcessingFeedback | None = None) -> int:
    """Add ``features`` to ``sink`` in batches; the number written."""
    batch: List[QgsFeature] = []
    written = 0
    for feature in features:
        batch.append(feature)
        if len(batch) == BATCH:
            _add(sink, batch, feedback)
            written += len(batch)
            batch = []
    if batch:
        _add(sink, batch, feedback)
        written += len(batch)
    return written


def write_frame(sink: QgsFeatureSink, fields: QgsFields, frame: pd.DataFrame,
                feedback: QgsProcessingFeedback | None = None, geometries=None) -> int:
    """Add the rows of ``frame`` to ``sink`` (with ``geometries`` per row if given)."""
    columns = [frame[c].to_numpy(dtype=object) for c in frame.columns]

    def features():
        for i in range(len(frame)):
            feature = QgsFeature(fields)
            feature.setAttributes([plain(column[i]) for column in columns])
            if geometries is not None:
                feature.setGeometry(geometries[i])
            yield feature

    return write_features(sink, features(), feedback)


def write_extended(sink: QgsFeatureSink, fields: QgsFields, features: Iterable[QgsFeature],
                   extras: Iterable[Sequence[Any]],
                   feedback: QgsProcessingFeedback | None = None, geometries=None) -> int:
    """Write each input feature again with its ``extras`` values appended (``fields``:
    :func:`extended_fields`), with its own geometry or its entry of ``geometries``."""
    def extended():
        for k, (feature, values) in enumerate(zip(features, extras)):
            out = QgsFeature(fields)
            out.setAttributes(feature.attributes() + [plain(v) for v in values])
            out.setGeometry(feature.geometry() if geometries is None else geometries[k])
            yield out

    return write_features(sink, extended(), feedback)
