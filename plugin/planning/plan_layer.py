"""A maintenance plan's items as a layer: one plan's live ``plan_item`` rows, coloured by work
year, labelled with the treatment (pavement items; structure items have no line)."""

from __future__ import annotations

import uuid

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsDataSourceUri,
    QgsLineSymbol,
    QgsPalLayerSettings,
    QgsRendererCategory,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor

from ...core.labels import language
from ...core.schema.tables import TABLES
from ..database.layers import TOMBSTONE_FILTER, table_source
from ..i18n import current_language, tr

#: Colours of the work years, first to last (a plan has at most this many distinct years
#: coloured; later years reuse the last colour).
YEAR_COLOURS = ("#d7191c", "#fdae61", "#ffd700", "#66bd63", "#1a9850", "#2166ac", "#542788")
LINE_WIDTH_MM = 1.4
PLAN_LAYER_PROPERTY = "roadinfra/plan_code"


def plan_source(source: str, plan_id: str, schema: str = "public", epsg: int = 9209):
    """(data source, provider) of the live items of plan ``plan_id`` in database ``source``."""
    plan_id = str(uuid.UUID(str(plan_id)))  # a UUID read from the database, checked
    subset = f"{TOMBSTONE_FILTER} AND \"plan_id\" = '{plan_id}'"
    text, provider = table_source(source, TABLES["plan_item"], schema, epsg)
    if provider == "ogr":
        return f"{text.split('|subset=')[0]}|subset={subset}", provider
    uri = QgsDataSourceUri(text)
    uri.setSql(subset)
    return uri.uri(False), provider


def style_plan_layer(layer: QgsVectorLayer, years, lang: str | None = None) -> None:
    """Categories by work year (one colour each), treatment labels, field aliases in
    ``lang`` (default: the user's language)."""
    categories = []
    for n, year in enumerate(sorted(years)):
        symbol = QgsLineSymbol.createSimple({"line_width": str(LINE_WIDTH_MM),
                                             "line_width_unit": "MM"})
        symbol.setColor(QColor(YEAR_COLOURS[min(n, len(YEAR_COLOURS) - 1)]))
        categories.append(QgsRendererCategory(year, symbol, str(year)))
    layer.setRenderer(QgsCategorizedSymbolRenderer("work_year", categories))
    settings = QgsPalLayerSettings()
    settings.fieldName = "treatment"
    settings.placement = QgsPalLayerSettings.Placement.Line
    text = QgsTextFormat()
    text.setSize(8)
    settings.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    table = TABLES["plan_item"]
    vietnamese = language(lang or current_language()) == "vi"
    for index, field in enumerate(layer.fields()):
        if field.name() in table.column_names:
            column = table.column(field.name())
            layer.setFieldAlias(index, column.label_vi if vietnamese else column.label_en)


def plan_layer(source: str, plan: dict, years, schema: str = "public", epsg: int = 9209,
               lang: str | None = None) -> QgsVectorLayer:
    """The styled layer of ``plan`` (a ``maintenance_plan`` row) in database ``source``."""
    text, provider = plan_source(source, plan["id"], schema, epsg)
    layer = QgsVectorLayer(text, tr("Maintenance plan {code}").format(code=plan["code"]),
                           provider)
    if not layer.isValid():
        raise ValueError(f"{source}: the items of plan {plan['code']} cannot be read")
    layer.setCustomProperty(PLAN_LAYER_PROPERTY, plan["code"])
    style_plan_layer(layer, years, lang)
    return layer
