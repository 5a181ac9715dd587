"""The printed maintenance-plan atlas: a cover with the whole province and the plan's totals,
then one sheet per area, route or plan item, numbered "Tờ k/n", in one PDF.

:func:`export_plan_atlas` works from either database (GeoPackage or PostGIS) in a
``QgsProject`` of its own: the sheets and their contents come from
:func:`roadinfra.core.printing.plan_sheets.plan_atlas` (plain records), are put into memory
layers of that project, and the layout template ``resources/layouts/plan_atlas_<paper>.qpt``
(built by ``scripts/build_layouts.py``) is loaded there and exported with QGIS's own atlas
(``QgsLayoutAtlas`` and ``QgsLayoutExporter``). The user's open project is never read or
changed, and nothing depends on it being empty.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Sequence

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsConditionalStyle,
    QgsCoordinateReferenceSystem,
    QgsExpression,
    QgsExpressionContextUtils,
    QgsFeature,
    QgsFeedback,
    QgsField,
    QgsFillSymbol,
    QgsGeometry,
    QgsLayoutExporter,
    QgsLayoutFrame,
    QgsLayoutItemAttributeTable,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutTableColumn,
    QgsLineSymbol,
    QgsMapLayerLegendUtils,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsPrintLayout,
    QgsProject,
    QgsProperty,
    QgsRectangle,
    QgsRendererCategory,
    QgsSingleSymbolRenderer,
    QgsSymbolLayer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont

from ...core.errors import Cancelled, RoadInfraError
from ...core.io.output import output_file
from ...core.printing.plan_sheets import PlanAtlas, plan_atlas, sheet_text
from ...core.version import __version__
from .. import field_types
from .condition_map import NORTH_ARROW_SVG, _fit
from .layout_io import load_template, pdf_settings
from .summary_table import FONT, TABLE_WIDTH_PROPERTY

LAYOUTS = Path(__file__).resolve().parents[2] / "resources" / "layouts"
#: Template names (``--template``) and their files.
TEMPLATES = {"a3": "plan_atlas_a3.qpt", "a4": "plan_atlas_a4.qpt"}
TABLE_ROWS_PROPERTY = "roadinfra/table_rows"
WRAP_PROPERTY = "roadinfra/treatment_chars"
#: Treatment colours, in the order the plan's treatments are listed.
TREATMENT_COLOURS = ("#1f78b4", "#33a02c", "#ff7f00", "#6a3d9a", "#e31a1c", "#b15928",
                     "#a6cee3", "#fb9a99", "#fdbf6f", "#cab2d6", "#b2df8a", "#ffff99")
#: PCI class colours, best first (ASTM D6433 classes), and the colour of "not surveyed".
PCI_COLOURS = ("#1a9641", "#77c35c", "#c4e687", "#fee08b", "#fdae61", "#e8593a", "#b2182b")
NOT_SURVEYED = "#b0b0b0"


class PlanAtlasError(RoadInfraError):
    """The plan atlas could not be printed (the message names the file)."""


@dataclass(frozen=True)
class AtlasResult:
    path: Path
    pages: int
    geospatial: Path | None      # the folder of Geospatial PDF sheets, when written
    atlas: PlanAtlas = field(repr=False)    # what was printed, sheet by sheet


def template_path(template: str) -> Path:
    """The ``.qpt`` of a template name (``a3``, ``a4``) or of a path to a ``.qpt`` file."""
    if template in TEMPLATES:
        return LAYOUTS / TEMPLATES[template]
    path = Path(template)
    if path.suffix.lower() == ".qpt" and path.is_file():
        return path
    raise PlanAtlasError(f"--template {template}: not a template name "
                         f"({', '.join(TEMPLATES)}) nor a .qpt file")


def _item(layout: QgsPrintLayout, item_id: str, kind: type, path: Path):
    item = layout.itemById(item_id)
    if not isinstance(item, kind):
        raise PlanAtlasError(f"{path}: the layout template has no {kind.__name__} "
                             f"with id '{item_id}'")
    return item


def _table(layout, item_id: str, path: Path) -> QgsLayoutItemAttributeTable:
    frame = _item(layout, item_id, QgsLayoutFrame, path)
    table = frame.multiFrame()
    if not isinstance(table, QgsLayoutItemAttributeTable):
        raise PlanAtlasError(f"{path}: '{item_id}' is not an attribute table")
    return table


def _layer(project: QgsProject, kind: str, name: str, fields: Sequence[tuple], crs: str,
           rows: Sequence[tuple]) -> QgsVectorLayer:
    """A memory layer of ``project``: ``rows`` are (geometry or None, attribute values)."""
    uri = kind if kind == "None" else f"{kind}?crs={crs}"
    layer = QgsVectorLayer(uri, name, "memory")
    provider = layer.dataProvider()
    provider.addAttributes([QgsField(field_name, field_type)
                            for field_name, field_type in fields])
    layer.updateFields()
    features = []
    for geom, values in rows:
        feature = QgsFeature(layer.fields())
        if geom is not None:
            geometry = QgsGeometry()
            geometry.fromWkb(geom.wkb)
            if kind.startswith("Multi"):
                geometry.convertToMultiType()
            feature.setGeometry(geometry)
        feature.setAttributes(list(values))
        features.append(feature)
    provider.addFeatures(features)
    layer.updateExtents()
    project.addMapLayer(layer, False)
    return layer


def _ratio(map_item: QgsLayoutItemMap) -> float:
    return map_item.rect().width() / map_item.rect().height()


def _rect(bounds, ratio: float) -> QgsGeometry:
    """The rectangle ``bounds`` grown around its centre to the width/height ``ratio``."""
    return QgsGeometry.fromRect(_fit(QgsRectangle(*bounds), ratio))


def _text_format(size: float, bold: bool = False) -> QgsTextFormat:
    font = QFont(FONT)
    font.setBold(bold)
    fmt = QgsTextFormat()
    fmt.setFont(font)
    fmt.setSize(size)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor("#ffffff"))
    fmt.setBuffer(buffer)
    return fmt


def _label(layer: QgsVectorLayer, field_name: str, size: float, bold: bool = False,
           line: bool = False) -> None:
    settings = QgsPalLayerSettings()
    settings.fieldName = field_name
    settings.setFormat(_text_format(size, bold))
    if line:
        settings.placement = QgsPalLayerSettings.Placement.Line
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def _categorized(layer, field_name: str, categories: Sequence[tuple], symbol_of) -> None:
    renderer = QgsCategorizedSymbolRenderer(field_name, [
        QgsRendererCategory(value, symbol_of(colour), label)
        for value, label, colour in categories])
    layer.setRenderer(renderer)


def _line(colour: str, width: float):
    return QgsLineSymbol.createSimple({"color": colour, "width": str(width),
                                       "capstyle": "round"})


def _marker(colour: str):
    return QgsMarkerSymbol.createSimple({"name": "diamond", "color": colour, "size": "3.2",
                                         "outline_color": "#222222", "outline_width": "0.2"})


def _layers(project: QgsProject, atlas: PlanAtlas, pages: Dict[int, int],
            ratio: float) -> dict:
    crs = f"EPSG:{atlas.crs_epsg}"
    text = field_types.STRING
    areas = _layer(project, "MultiPolygon", sheet_text("areas", atlas.lang),
                   [("code", text), ("name", text)], crs,
                   [(g, (c, n)) for c, n, g in atlas.areas if g is not None])
    fill = QgsFillSymbol.createSimple({"color": "#f4f1ea", "outline_color": "#8c7f6b",
                                       "outline_width": "0.35", "outline_style": "dash"})
    # the district of a sheet by area stands out: white, with a solid dark outline
    this_area = "\"code\" = attribute(@atlas_feature, 'area')"
    prop = QgsSymbolLayer.Property
    for key, expression in (
            (prop.PropertyFillColor, f"if({this_area}, '#ffffff', '#ece8df')"),
            (prop.PropertyStrokeColor, f"if({this_area}, '#123a63', '#8c7f6b')"),
            (prop.PropertyStrokeWidth, f"if({this_area}, 0.8, 0.35)"),
            (prop.PropertyStrokeStyle, f"if({this_area}, 'solid', 'dash')")):
        fill.symbolLayer(0).setDataDefinedProperty(key, QgsProperty.fromExpression(expression))
    areas.setRenderer(QgsSingleSymbolRenderer(fill))
    _label(areas, "name", 7.5)
    routes = _layer(project, "MultiLineString", sheet_text("routes", atlas.lang),
                    [("code", text), ("name", text)], crs,
                    [(g, (c, n)) for c, n, g in atlas.routes if g is not None])
    routes.setRenderer(QgsSingleSymbolRenderer(_line("#6e6e6e", 0.5)))
    _label(routes, "code", 6.5, bold=True, line=True)
    condition = _layer(project, "MultiLineString", sheet_text("condition", atlas.lang),
                       [("pci_class", field_types.INT)], crs,
                       [(g, (-1 if c is None else c,)) for c, g in atlas.sections])
    pci = [(n, label, PCI_COLOURS[min(n, len(PCI_COLOURS) - 1)])
           for n, label in enumerate(atlas.pci_labels)]
    pci.append((-1, sheet_text("not_surveyed", atlas.lang), NOT_SURVEYED))
    _categorized(condition, "pci_class", pci, lambda colour: _line(colour, 0.9))
    fields = [("number", field_types.INT), ("treatment_code", text), ("treatment", text)]
    colours = {code: TREATMENT_COLOURS[n % len(TREATMENT_COLOURS)]
               for n, (code, _label) in enumerate(atlas.treatments)}
    categories = [(code, label, colours[code]) for code, label in atlas.treatments]
    lines = [r for r in atlas.items if r.geom is not None and r.geom.geom_type != "Point"]
    points = [r for r in atlas.items if r.geom is not None and r.geom.geom_type == "Point"]
    plan_lines = _layer(project, "MultiLineString", sheet_text("plan_lines", atlas.lang),
                        fields, crs,
                        [(r.geom, (r.number, r.treatment_code, r.treatment)) for r in lines])
    _categorized(plan_lines, "treatment_code",
                 [c for c in categories if any(r.treatment_code == c[0] for r in lines)],
                 lambda colour: _line(colour, 2.2))
    _label(plan_lines, "number", 7, bold=True, line=True)
    plan_points = _layer(project, "Point", sheet_text("plan_points", atlas.lang), fields, crs,
                         [(r.geom, (r.number, r.treatment_code, r.treatment)) for r in points])
    _categorized(plan_points, "treatment_code",
                 [c for c in categories if any(r.treatment_code == c[0] for r in points)],
                 _marker)
    _label(plan_points, "number", 7, bold=True)

    sheets = _layer(project, "Polygon", "sheets",
                    [("page", field_types.INT), ("kind", text), ("title", text),
                     ("sheet_label", text), ("area", text)], crs,
                    [(_Bounds(atlas.province_extent, ratio),
                      (1, "cover", atlas.cover_title, atlas.sheet_label(1), ""))] +
                    [(_Bounds(s.extent, ratio),
                      (k, "sheet", s.title, atlas.sheet_label(k),
                       s.key if atlas.by == "area" else ""))
                     for k, s in enumerate(atlas.sheets, start=2)])
    sheet_rows = _layer(project, "None", "sheet_rows",
                        [("page", field_types.INT), ("number", field_types.INT),
                         ("route", text), ("km_from", text), ("km_to", text),
                         ("treatment", text), ("quantity", text), ("cost", text),
                         ("year", text)], crs,
                        [(None, (pages[id(s)], r.number, r.route, r.km_from, r.km_to,
                                 r.treatment, r.quantity, r.cost,
                                 "" if r.year is None else str(r.year)))
                         for s in atlas.sheets for r in s.rows])
    totals = _layer(project, "None", "totals",
                    [(f"c{n}", text) for n in range(len(atlas.totals_header))], crs,
                    [(None, tuple(row)) for row in atlas.totals])
    total_row = QgsConditionalStyle(  # the total row: bold on a tint
        f'"c0" = {QgsExpression.quotedValue(atlas.totals[-1][0])}')
    bold = QFont(FONT)
    bold.setBold(True)
    total_row.setFont(bold)
    total_row.setBackgroundColor(QColor("#dde6ef"))
    totals.conditionalStyles().setRowStyles([total_row])
    return {"areas": areas, "routes": routes, "condition": condition,
            "plan_lines": plan_lines, "plan_points": plan_points, "sheets": sheets,
            "sheet_rows": sheet_rows, "totals": totals}


class _Bounds:
    """A rectangle of the map's ratio with a ``wkb`` like a shapely geometry (for
    :func:`_layer`)."""

    def __init__(self, bounds, ratio: float):
        self.wkb = bytes(_rect(bounds, ratio).asWkb())


def _table_width(table: QgsLayoutItemAttributeTable, path: Path) -> float:
    """The width of the table's frame in the template (an empty table shrinks its frame, so
    the template keeps the width in a custom property)."""
    try:
        return float(table.frame(0).customProperty(TABLE_WIDTH_PROPERTY))
    except (TypeError, ValueError):
        raise PlanAtlasError(f"{path}: the table frames need the custom property "
                             f"{TABLE_WIDTH_PROPERTY} (mm)") from None


def _columns(table: QgsLayoutItemAttributeTable, columns: Sequence[tuple],
             width: float) -> None:
    """Set the table's columns: (field, heading, share of the width, right aligned)."""
    total = sum(share for _, _, share, _ in columns)
    made = []
    for field_name, heading, share, right in columns:
        column = QgsLayoutTableColumn(heading)
        column.setAttribute(field_name)
        column.setWidth(width * share / total - 2 * table.cellMargin())
        if right:
            column.setHAlignment(Qt.AlignmentFlag.AlignRight)
        made.append(column)
    table.setColumns(made)


def _fill_legend(legend: QgsLayoutItemLegend, layers: dict, lang: str) -> None:
    legend.setAutoUpdateModel(False)
    legend.setTitle(sheet_text("legend", lang))
    root = legend.model().rootGroup()
    root.removeAllChildren()
    model = legend.model()
    for key in ("plan_lines", "plan_points", "condition", "routes", "areas"):
        layer = layers[key]
        if key.startswith("plan") and not layer.featureCount():
            continue
        node = root.addLayer(layer)
        node.setUseLayerName(False)
        node.setName(layer.name())
        if len(model.layerLegendNodes(node)) == 1:
            QgsMapLayerLegendUtils.setLegendNodeUserLabel(node, 0, layer.name())
            model.refreshLayerLegend(node)
    legend.updateLegend()


def _configure(layout: QgsPrintLayout, path: Path, atlas: PlanAtlas, layers: dict,
               database: str) -> None:
    lang = atlas.lang
    crs = QgsCoordinateReferenceSystem(f"EPSG:{atlas.crs_epsg}")
    layout.project().setCrs(crs)
    today = datetime.date.today()
    source = (sheet_text("source_sample", lang) if atlas.sample
              else sheet_text("source_database", lang, database=database))
    variables = {
        "ri_agency": atlas.agency, "ri_plan": atlas.plan_name, "ri_plan_code": atlas.plan_code,
        "ri_date": today.strftime("%d/%m/%Y") if lang == "vi" else today.isoformat(),
        "ri_notes": sheet_text("notes", lang, crs=atlas.crs_name, epsg=atlas.crs_epsg,
                               code=atlas.plan_code, status=atlas.status, source=source,
                               version=__version__) + f" QGIS {Qgis.QGIS_VERSION}.",
        **{f"ri_{key}": sheet_text(key, lang)
           for key in ("agency_label", "plan_label", "date_label", "prepared", "checked",
                       "approved", "scale")}}
    QgsExpressionContextUtils.setLayoutVariables(layout, variables)

    main = _item(layout, "map", QgsLayoutItemMap, path)
    main.setCrs(crs)
    main.setLayers([layers[k] for k in ("plan_points", "plan_lines", "condition", "routes",
                                        "areas")])
    main.setKeepLayerSet(True)
    main.setAtlasDriven(True)
    # an extent of another width/height ratio than the item's resizes the item: the sheets'
    # rectangles (coverage) and the first extent have the item's ratio
    main.setExtent(_fit(QgsRectangle(*atlas.province_extent), _ratio(main)))
    for n in range(main.grids().size()):
        main.grids().grid(n).setCrs(crs)
    overview = _item(layout, "overview", QgsLayoutItemMap, path)
    overview.setCrs(crs)
    overview.setLayers([layers["routes"], layers["areas"]])
    overview.setKeepLayerSet(True)
    overview.setExtent(_fit(QgsRectangle(*atlas.province_extent), _ratio(overview)))
    north = _item(layout, "north_arrow", QgsLayoutItemPicture, path)
    svg = next((Path(folder) / NORTH_ARROW_SVG for folder in QgsApplication.svgPaths()
                if (Path(folder) / NORTH_ARROW_SVG).is_file()), None)
    if svg is not None:
        north.setPicturePath(str(svg))
    _fill_legend(_item(layout, "legend", QgsLayoutItemLegend, path), layers, lang)

    items = _table(layout, "items_table", path)
    items.setVectorLayer(layers["sheet_rows"])
    items.setFilterFeatures(True)
    items.setFeatureFilter("\"page\" = attribute(@atlas_feature, 'page')")
    items.setMaximumNumberOfFeatures(1000)
    width = _table_width(items, path)
    _columns(items, [("number", sheet_text("number", lang), 0.45, True),
                     ("route", sheet_text("route", lang), 0.85, False),
                     ("km_from", sheet_text("km_from", lang), 1.3, False),
                     ("km_to", sheet_text("km_to", lang), 1.3, False),
                     ("treatment", sheet_text("treatment", lang), 2.6, False),
                     ("quantity", sheet_text("quantity", lang), 1.15, True),
                     ("cost", sheet_text("cost", lang), 1.05, True),
                     ("year", sheet_text("year", lang), 0.6, True)], width)
    totals = _table(layout, "totals_table", path)
    totals.setVectorLayer(layers["totals"])
    totals.setUseConditionalStyling(True)
    totals.setFilterFeatures(True)
    totals.setFeatureFilter("attribute(@atlas_feature, 'kind') = 'cover'")
    _columns(totals, [(f"c{n}", heading, 2.4 if n == 0 else (0.9 if n == 1 else 1.2), n > 0)
                      for n, heading in enumerate(atlas.totals_header)],
             _table_width(totals, path))

    atlas_ = layout.atlas()
    atlas_.setCoverageLayer(layers["sheets"])
    atlas_.setEnabled(True)
    atlas_.setHideCoverage(True)
    atlas_.setSortFeatures(True)
    atlas_.setSortExpression("\"page\"")
    atlas_.setPageNameExpression("\"sheet_label\"")


def prepare_atlas(project: QgsProject, target, plan: str = "latest", by: str = "area",
                  template: str = "a3", lang: str = "vi",
                  feedback: QgsFeedback | None = None) -> tuple:
    """Load the template into ``project`` and fill it with the plan's sheets: returns the
    layout (its atlas set up) and the :class:`PlanAtlas` it prints."""
    path = template_path(template)
    layout = load_template(project, path, PlanAtlasError)
    try:
        rows = int(layout.customProperty(TABLE_ROWS_PROPERTY, 20))
        wrap = int(layout.customProperty(WRAP_PROPERTY, 0)) or None
    except (TypeError, ValueError):
        raise PlanAtlasError(f"{path}: layout properties {TABLE_ROWS_PROPERTY} and "
                             f"{WRAP_PROPERTY} must be whole numbers") from None
    atlas = plan_atlas(target, plan, by, lang, rows_per_sheet=max(rows, 1), wrap_chars=wrap,
                       is_cancelled=feedback.isCanceled if feedback else None)
    pages = {id(s): k for k, s in enumerate(atlas.sheets, start=2)}
    layers = _layers(project, atlas, pages,
                     _ratio(_item(layout, "map", QgsLayoutItemMap, path)))
    database = Path(str(target)).name if "://" not in str(target) else "PostGIS"
    _configure(layout, path, atlas, layers, database)
    return layout, atlas


def export_layout_atlas(layout: QgsPrintLayout, pdf_path: Path, geospatial: bool = False,
                        feedback: QgsFeedback | None = None) -> None:
    """QGIS's own atlas export of ``layout`` into one PDF (raises on failure or cancel)."""
    exporter_result, error = QgsLayoutExporter.exportToPdf(
        layout.atlas(), str(pdf_path), pdf_settings(geospatial), feedback)
    if exporter_result == QgsLayoutExporter.ExportResult.Canceled:
        raise Cancelled(f"{pdf_path}: printing cancelled")
    if exporter_result != QgsLayoutExporter.ExportResult.Success:
        raise PlanAtlasError(f"{pdf_path}: the PDF cannot be written "
                             f"({error or f'error {exporter_result}'})")


def geospatial_available() -> bool:
    """Whether this QGIS/GDAL build writes Geospatial PDF (GDAL's PDF composition)."""
    try:
        from osgeo import gdal
    except ImportError:  # pragma: no cover - GDAL's bindings come with QGIS
        return False
    driver = gdal.GetDriverByName("PDF")
    return bool(driver and int(gdal.VersionInfo()) >= 3000000
                and "COMPOSITION_FILE" in (driver.GetMetadataItem("DMD_CREATIONOPTIONLIST")
                                           or ""))


def geospatial_folder(pdf_path: Path) -> Path:
    """Where the Geospatial PDF sheets of ``pdf_path`` go: ``<name>_geopdf/`` beside it."""
    return pdf_path.with_name(f"{pdf_path.stem}_geopdf")


def export_geospatial_sheets(layout: QgsPrintLayout, folder: Path,
                             feedback: QgsFeedback | None = None) -> int:
    """Every atlas sheet of ``layout`` as a Geospatial PDF of its own (``sheet_01.pdf``...:
    QGIS 3.22 writes one only page by page) in ``folder``, replaced whole and only when
    every sheet is written; returns the number of sheets."""
    atlas = layout.atlas()
    temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        if not atlas.beginRender():
            raise PlanAtlasError(f"{folder}: the atlas has no sheets")
        try:
            for k in range(atlas.count()):
                if feedback is not None and feedback.isCanceled():
                    raise Cancelled(f"{folder}: printing cancelled")
                atlas.seekTo(k)
                exporter = QgsLayoutExporter(layout)
                result = exporter.exportToPdf(str(temporary / f"sheet_{k + 1:02d}.pdf"),
                                              pdf_settings(True))
                if result != QgsLayoutExporter.ExportResult.Success:
                    raise PlanAtlasError(f"{folder}: sheet {k + 1} cannot be written "
                                         f"({exporter.errorMessage() or f'error {result}'})")
            count = atlas.count()
        finally:
            atlas.endRender()
        old = None
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
            os.replace(folder, old / folder.name)
        os.replace(temporary, folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return count
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def export_plan_atlas(target, pdf_path, plan: str = "latest", by: str = "area",
                      template: str = "a3", lang: str = "vi", geospatial: bool = False,
                      feedback: QgsFeedback | None = None) -> AtlasResult:
    """Print the plan atlas of the database ``target`` to ``pdf_path``.

    ``plan`` is a plan code, id or ``latest``; ``by`` is ``area``, ``route`` or ``item``;
    ``template`` a template name (``a3``, ``a4``) or a ``.qpt`` path; ``geospatial`` also
    writes every sheet as a Geospatial PDF into :func:`geospatial_folder` where the QGIS and
    GDAL build can (the result says whether it did).
    The PDF appears only when complete. Raises a ``RoadInfraError`` naming the file or the
    database, ``Cancelled`` when ``feedback`` is cancelled.
    """
    feedback = feedback or QgsFeedback()
    pdf_path = Path(pdf_path)
    geospatial = bool(geospatial and geospatial_available())
    project = QgsProject()
    layout = None
    try:
        layout, atlas = prepare_atlas(project, target, plan, by, template, lang, feedback)
        if feedback.isCanceled():
            raise Cancelled(f"{pdf_path}: printing cancelled")
        with output_file(pdf_path, [str(target)], option="--out") as temporary:
            export_layout_atlas(layout, temporary, False, feedback)
        if geospatial:
            export_geospatial_sheets(layout, geospatial_folder(pdf_path), feedback)
    finally:
        del layout
        project.clear()
    feedback.setProgress(100)
    return AtlasResult(pdf_path, atlas.sheet_count,
                       geospatial_folder(pdf_path) if geospatial else None, atlas)

