"""Build the print layout templates in ``resources/layouts/`` (run after changing this file).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/build_layouts.py

``plan_atlas_a3.qpt`` (A3 landscape) and ``plan_atlas_a4.qpt`` (A4 portrait): the sheets of
a maintenance-plan atlas (``roadinfra.plugin.printing.plan_atlas``). Their texts are
expressions over the atlas feature (``title``, ``sheet_label``) and layout variables
(``@ri_agency``, ``@ri_plan``, ...) with Vietnamese fallbacks, so they also open in the
designer; the map's VN-2000 grid, the overview frame, the scale items and the legend are
linked to the main map in the template; the tables get their layer and columns at print time.

``condition_map_a3.qpt``: A3 landscape condition map. The items carry ids that
``roadinfra.plugin.printing.condition_map`` fills in at print time (texts, map layers and
extent, legend layers, the summary table, the north-arrow picture); the template holds only
the page, the positions, sizes, fonts and frames, so a planner may restyle it in QGIS's
layout designer (Layout > Save as Template) without touching code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PROJ_DATA", "/usr/share/proj")
os.environ.setdefault("QT_HASH_SEED", "0")  # stable XML attribute order between rebuilds

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFillSymbol,
    QgsLayoutFrame,
    QgsLayoutItemAttributeTable,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemManualTable,
    QgsLayoutItemMap,
    QgsLayoutItemMapGrid,
    QgsLayoutItemMapOverview,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTable,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsScaleBarSettings,
    QgsTextFormat,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import Qt  # noqa: E402
from qgis.PyQt.QtGui import QColor, QFont  # noqa: E402
from roadinfra.core.profile import load_profile  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "layouts" / "condition_map_a3.qpt"
FONT = "DejaVu Sans"
MM = QgsUnitTypes.LayoutMillimeters
# Page A3 landscape, margins 10 mm; map on the left, a 100 mm side panel on the right.
# Below the map a strip for the credits; the CRS and date close the panel at the same height.
PAGE_W, PAGE_H, MARGIN = 420.0, 297.0, 10.0
PANEL_X, PANEL_W = 318.0, 92.0
STRIP_H = 13.0
MAP_X, MAP_Y = MARGIN, 28.0
MAP_W, MAP_H = PANEL_X - 5.0 - MARGIN, PAGE_H - MAP_Y - MARGIN - STRIP_H - 2.0
LEGEND_H, TABLE_GAP = 106.0, 4.0
#: Width of a table's frame (mm): a table frame shrinks to its table (an attribute table
#: without a layer, a manual table before it is filled), so the printers read it from here.
TABLE_WIDTH_PROPERTY = "roadinfra/table_width"


def text_format(size: float, bold: bool = False, colour: str = "#000000") -> QgsTextFormat:
    font = QFont(FONT)
    font.setBold(bold)
    fmt = QgsTextFormat()
    fmt.setFont(font)
    fmt.setSize(size)
    fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
    fmt.setColor(QColor(colour))
    return fmt


def place(item, x: float, y: float, w: float, h: float) -> None:
    item.attemptMove(QgsLayoutPoint(x, y, MM))
    item.attemptResize(QgsLayoutSize(w, h, MM))


def label(layout, item_id: str, rect, size: float, bold=False, colour="#000000",
          halign=Qt.AlignLeft, valign=Qt.AlignTop) -> QgsLayoutItemLabel:
    item = QgsLayoutItemLabel(layout)
    item.setId(item_id)
    item.setText(item_id)  # placeholder, replaced at print time
    font = QFont(FONT)
    font.setPointSizeF(size)
    font.setBold(bold)
    item.setFont(font)
    item.setFontColor(QColor(colour))
    item.setHAlign(halign)
    item.setVAlign(valign)
    item.setMarginX(0.0)
    item.setMarginY(0.0)
    layout.addLayoutItem(item)
    place(item, *rect)
    return item


def build(project: QgsProject) -> QgsPrintLayout:
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName("condition_map_a3")
    page = layout.pageCollection().page(0)
    page.setPageSize("A3", QgsLayoutItemPage.Landscape)

    label(layout, "title", (MARGIN, 8.0, PAGE_W - 2 * MARGIN, 11.0), 20, bold=True,
          colour="#123a63")
    label(layout, "subtitle", (MARGIN, 19.5, PAGE_W - 2 * MARGIN, 6.0), 11, colour="#333333")

    map_item = QgsLayoutItemMap(layout)
    map_item.setId("map")
    map_item.setFrameEnabled(True)
    map_item.setFrameStrokeWidth(QgsLayoutMeasurement(0.4, MM))
    map_item.setBackgroundColor(QColor("#ffffff"))
    layout.addLayoutItem(map_item)
    place(map_item, MAP_X, MAP_Y, MAP_W, MAP_H)

    north = QgsLayoutItemPicture(layout)
    north.setId("north_arrow")
    north.setLinkedMap(map_item)
    north.setNorthMode(QgsLayoutItemPicture.GridNorth)
    north.setBackgroundEnabled(True)
    north.setBackgroundColor(QColor(255, 255, 255, 220))
    layout.addLayoutItem(north)
    place(north, MAP_X + MAP_W - 20.0, MAP_Y + 4.0, 16.0, 24.0)

    scale = QgsLayoutItemScaleBar(layout)
    scale.setId("scale_bar")
    scale.setStyle("Single Box")
    scale.setLinkedMap(map_item)
    scale.setUnits(QgsUnitTypes.DistanceKilometers)
    scale.setUnitLabel("km")
    scale.setNumberOfSegments(4)
    scale.setNumberOfSegmentsLeft(0)
    scale.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
    scale.setMinimumBarWidth(50.0)
    scale.setMaximumBarWidth(80.0)
    scale.setHeight(3.0)
    scale.setTextFormat(text_format(9))
    scale.setBackgroundEnabled(True)
    scale.setBackgroundColor(QColor(255, 255, 255, 220))
    scale.setBoxContentSpace(2.0)
    layout.addLayoutItem(scale)
    scale.attemptMove(QgsLayoutPoint(MAP_X + 4.0, MAP_Y + MAP_H - 16.0, MM))

    legend = QgsLayoutItemLegend(layout)
    legend.setId("legend")
    legend.setLinkedMap(map_item)
    legend.setAutoUpdateModel(False)
    legend.setResizeToContents(False)
    legend.setTitle("legend")
    legend.setColumnCount(1)
    legend.setSymbolWidth(7.0)
    legend.setSymbolHeight(3.0)
    legend.setBoxSpace(2.5)
    for style, size, bold in ((QgsLegendStyle.Title, 12, True), (QgsLegendStyle.Group, 10, True),
                              (QgsLegendStyle.Subgroup, 9.5, True),
                              (QgsLegendStyle.SymbolLabel, 8.5, False)):
        font = QFont(FONT)
        font.setPointSizeF(size)
        font.setBold(bold)
        legend.rstyle(style).setFont(font)
    legend.rstyle(QgsLegendStyle.Title).setMargin(QgsLegendStyle.Bottom, 2.0)
    legend.rstyle(QgsLegendStyle.Subgroup).setMargin(QgsLegendStyle.Top, 2.0)
    legend.rstyle(QgsLegendStyle.Symbol).setMargin(QgsLegendStyle.Top, 1.0)
    legend.rstyle(QgsLegendStyle.SymbolLabel).setMargin(QgsLegendStyle.Top, 1.0)
    legend.setFrameEnabled(True)
    legend.setFrameStrokeWidth(QgsLayoutMeasurement(0.3, MM))
    layout.addLayoutItem(legend)
    place(legend, PANEL_X, MAP_Y, PANEL_W, LEGEND_H)

    table = QgsLayoutItemManualTable.create(layout)
    table.setIncludeTableHeader(False)
    table.setContentTextFormat(text_format(8.5))
    table.setCellMargin(0.9)
    table.setGridStrokeWidth(0.2)
    table.setGridColor(QColor("#7a7a7a"))
    layout.addMultiFrame(table)
    frame = QgsLayoutFrame(layout, table)
    frame.setId("summary_table")
    frame.setCustomProperty(TABLE_WIDTH_PROPERTY, PANEL_W)
    table_y = MAP_Y + LEGEND_H + TABLE_GAP
    place(frame, PANEL_X, table_y, PANEL_W, PAGE_H - MARGIN - STRIP_H - 2.0 - table_y)
    table.addFrame(frame)

    strip_y = PAGE_H - MARGIN - STRIP_H
    label(layout, "credits", (MAP_X, strip_y, MAP_W, STRIP_H), 7.5, colour="#333333")
    label(layout, "crs", (PANEL_X, strip_y, PANEL_W, 5.0), 8)
    label(layout, "date", (PANEL_X, strip_y + 6.0, PANEL_W, 5.0), 8)
    return layout


# ---------------------------------------------------------------- plan atlas templates
#: Rows of plan items the sheet's table holds (read by the printer from the layout).
TABLE_ROWS_PROPERTY = "roadinfra/table_rows"
#: Characters of a treatment name that fit on one line of the table (longer ones wrap).
WRAP_PROPERTY = "roadinfra/treatment_chars"
ATLAS_PAPER = {
    # name: page, orientation, lines of the table and characters of a treatment on one
    # line, font scale, rectangles (x, y, w, h in mm)
    "plan_atlas_a3": dict(
        size="A3", orientation=QgsLayoutItemPage.Landscape, rows=14, wrap=25, font=1.0,
        agency=(10, 7, 270, 5), plan=(10, 12.5, 270, 7), title=(10, 20, 270, 6),
        sheet=(292, 8, 118, 10), map=(10, 28, 275, 246), notes=(10, 276, 275, 11),
        overview=(292, 28, 118, 64), legend=(292, 95, 118, 60), table=(292, 158, 118, 80),
        block=(292, 241, 118, 46)),
    "plan_atlas_a4": dict(
        size="A4", orientation=QgsLayoutItemPage.Portrait, rows=10, wrap=44, font=0.85,
        agency=(8, 6, 150, 4.5), plan=(8, 10.5, 150, 6), title=(8, 16.5, 150, 5),
        sheet=(150, 6, 52, 9), map=(8, 23, 194, 128), notes=(8, 260, 88, 29),
        overview=(120, 154, 82, 48), legend=(8, 154, 108, 48), table=(8, 205, 194, 52),
        block=(98, 260, 104, 29)),
}
# Texts: an expression over the atlas feature or a layout variable, with the Vietnamese
# text as fallback for the designer.
ATLAS_TEXTS = {
    "agency": "[% upper(coalesce(@ri_agency, 'Sở Giao thông Vận tải')) %]",
    "plan": "[% coalesce(@ri_plan, 'Kế hoạch bảo trì') %]",
    "title": "[% coalesce(attribute(@atlas_feature, 'title'), '') %]",
    "sheet": "[% coalesce(attribute(@atlas_feature, 'sheet_label'), 'Tờ') %]",
    "notes": "[% coalesce(@ri_notes, 'Ghi chú') %]",
    "scale_numeric": "[% coalesce(@ri_scale, 'Tỷ lệ') %] 1:[% "
                     "format_number(item_variables('map')['map_scale'], 0) %]",
}
BLOCK_TEXTS = (
    ("block_agency", "[% coalesce(@ri_agency_label, 'Cơ quan') %]: [% @ri_agency %]"),
    ("block_plan", "[% coalesce(@ri_plan_label, 'Kế hoạch') %]: [% @ri_plan_code %]"),
    ("block_date", "[% coalesce(@ri_date_label, 'Ngày in') %]: [% @ri_date %]"),
    ("block_sheet", "[% coalesce(attribute(@atlas_feature, 'sheet_label'), 'Tờ') %]"),
)
SIGNATURES = (("block_prepared", "[% coalesce(@ri_prepared, 'Người lập') %]"),
              ("block_checked", "[% coalesce(@ri_checked, 'Kiểm tra') %]"),
              ("block_approved", "[% coalesce(@ri_approved, 'Phê duyệt') %]"))


def framed(item, width: float = 0.25) -> None:
    item.setFrameEnabled(True)
    item.setFrameStrokeWidth(QgsLayoutMeasurement(width, MM))


def atlas_label(layout, item_id: str, content: str, rect, size: float, bold=False,
                colour="#000000", halign=Qt.AlignLeft, valign=Qt.AlignTop, margin=0.0):
    item = label(layout, item_id, rect, size, bold, colour, halign, valign)
    item.setText(content)
    item.setMarginX(margin)
    item.setMarginY(margin)
    return item


def title_block(layout, rect, scale: float) -> None:
    """Agency, plan, date and sheet lines above the prepared / checked / approved boxes."""
    x, y, w, h = rect
    line_h = h * 0.16
    rows = [(BLOCK_TEXTS[0], (x, y, w, line_h)), (BLOCK_TEXTS[1], (x, y + line_h, w, line_h)),
            (BLOCK_TEXTS[2], (x, y + 2 * line_h, w * 0.62, line_h)),
            (BLOCK_TEXTS[3], (x + w * 0.62, y + 2 * line_h, w * 0.38, line_h))]
    for (item_id, content), box in rows:
        bold = item_id == "block_sheet"
        framed(atlas_label(layout, item_id, content, box, 7.5 * scale, bold=bold,
                           valign=Qt.AlignVCenter, margin=1.2))
    top = y + 3 * line_h
    third = w / 3
    for n, (item_id, content) in enumerate(SIGNATURES):
        framed(atlas_label(layout, item_id, content, (x + n * third, top, third, y + h - top),
                           7.5 * scale, bold=True, halign=Qt.AlignHCenter, margin=1.2))


def atlas_table(layout, item_id: str, rect, scale: float) -> None:
    table = QgsLayoutItemAttributeTable.create(layout)
    table.setHeaderTextFormat(text_format(7 * scale, bold=True))
    table.setContentTextFormat(text_format(6.5 * scale))
    table.setCellMargin(0.8)
    table.setGridStrokeWidth(0.15)
    table.setGridColor(QColor("#7a7a7a"))
    table.setEmptyTableBehavior(QgsLayoutTable.HideTable)
    table.setWrapBehavior(QgsLayoutTable.WrapText)
    table.setHeaderMode(QgsLayoutTable.AllFrames)
    layout.addMultiFrame(table)
    frame = QgsLayoutFrame(layout, table)
    frame.setId(item_id)
    frame.setCustomProperty(TABLE_WIDTH_PROPERTY, rect[2])
    place(frame, *rect)
    table.addFrame(frame)


def build_plan_atlas(project: QgsProject, name: str) -> QgsPrintLayout:
    paper = ATLAS_PAPER[name]
    k = paper["font"]
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(name)
    layout.setCustomProperty(TABLE_ROWS_PROPERTY, paper["rows"])
    layout.setCustomProperty(WRAP_PROPERTY, paper["wrap"])
    layout.pageCollection().page(0).setPageSize(paper["size"], paper["orientation"])

    atlas_label(layout, "agency", ATLAS_TEXTS["agency"], paper["agency"], 8.5 * k, bold=True,
                colour="#333333")
    atlas_label(layout, "plan", ATLAS_TEXTS["plan"], paper["plan"], 15 * k, bold=True,
                colour="#123a63")
    atlas_label(layout, "title", ATLAS_TEXTS["title"], paper["title"], 11 * k,
                colour="#333333")
    atlas_label(layout, "sheet", ATLAS_TEXTS["sheet"], paper["sheet"], 16 * k, bold=True,
                colour="#123a63", halign=Qt.AlignRight)

    map_item = QgsLayoutItemMap(layout)
    map_item.setId("map")
    framed(map_item, 0.4)
    map_item.setBackgroundColor(QColor("#ffffff"))
    layout.addLayoutItem(map_item)
    place(map_item, *paper["map"])
    map_item.setAtlasDriven(True)
    map_item.setAtlasScalingMode(QgsLayoutItemMap.Auto)
    map_item.setAtlasMargin(0.0)
    grid = QgsLayoutItemMapGrid("vn2000_grid", map_item)
    grid.setUnits(QgsLayoutItemMapGrid.DynamicPageSizeBased)
    grid.setMinimumIntervalWidth(35.0)
    grid.setMaximumIntervalWidth(70.0)
    grid.setStyle(QgsLayoutItemMapGrid.Solid)
    grid.setGridLineColor(QColor(90, 90, 90, 110))
    grid.setGridLineWidth(0.15)
    grid.setAnnotationEnabled(True)
    grid.setAnnotationFormat(QgsLayoutItemMapGrid.Decimal)
    grid.setAnnotationPrecision(0)
    grid.setAnnotationTextFormat(text_format(5.5 * k, colour="#333333"))
    for side in (QgsLayoutItemMapGrid.Left, QgsLayoutItemMapGrid.Right,
                 QgsLayoutItemMapGrid.Top, QgsLayoutItemMapGrid.Bottom):
        grid.setAnnotationPosition(QgsLayoutItemMapGrid.InsideMapFrame, side)
        grid.setAnnotationDirection(
            QgsLayoutItemMapGrid.Vertical if side in (QgsLayoutItemMapGrid.Left,
                                                      QgsLayoutItemMapGrid.Right)
            else QgsLayoutItemMapGrid.Horizontal, side)
    grid.setAnnotationFrameDistance(1.0)
    map_item.grids().addGrid(grid)

    overview = QgsLayoutItemMap(layout)
    overview.setId("overview")
    framed(overview, 0.3)
    layout.addLayoutItem(overview)
    place(overview, *paper["overview"])
    frame = QgsLayoutItemMapOverview("sheet_frame", overview)
    frame.setLinkedMap(map_item)
    frame.setFrameSymbol(QgsFillSymbol.createSimple({
        "style": "no", "outline_color": "#e31a1c", "outline_width": "0.7"}))
    overview.overviews().addOverview(frame)

    north = QgsLayoutItemPicture(layout)
    north.setId("north_arrow")
    north.setLinkedMap(map_item)
    north.setNorthMode(QgsLayoutItemPicture.GridNorth)
    north.setBackgroundEnabled(True)
    north.setBackgroundColor(QColor(255, 255, 255, 220))
    layout.addLayoutItem(north)
    mx, my, mw, mh = paper["map"]
    place(north, mx + mw - 17.0, my + 5.0, 12.0 * k, 18.0 * k)

    scale = QgsLayoutItemScaleBar(layout)
    scale.setId("scale_bar")
    scale.setStyle("Single Box")
    scale.setLinkedMap(map_item)
    scale.setUnits(QgsUnitTypes.DistanceKilometers)
    scale.setUnitLabel("km")
    scale.setNumberOfSegments(4)
    scale.setNumberOfSegmentsLeft(0)
    scale.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
    scale.setMinimumBarWidth(35.0)
    scale.setMaximumBarWidth(60.0)
    scale.setHeight(2.5)
    scale.setTextFormat(text_format(7.5 * k))
    scale.setBackgroundEnabled(True)
    scale.setBackgroundColor(QColor(255, 255, 255, 230))
    scale.setBoxContentSpace(1.5)
    layout.addLayoutItem(scale)
    scale.attemptMove(QgsLayoutPoint(mx + 5.0, my + mh - 19.0, MM))
    numeric = atlas_label(layout, "scale_numeric", ATLAS_TEXTS["scale_numeric"],
                          (mx + 5.0, my + mh - 8.0, 60.0, 5.0), 8 * k, bold=True)
    numeric.setBackgroundEnabled(True)
    numeric.setBackgroundColor(QColor(255, 255, 255, 230))

    legend = QgsLayoutItemLegend(layout)
    legend.setId("legend")
    legend.setLinkedMap(map_item)
    legend.setAutoUpdateModel(False)
    legend.setResizeToContents(False)
    legend.setTitle("Chú giải")
    legend.setColumnCount(2)
    legend.setSplitLayer(False)
    legend.setSymbolWidth(5.0)
    legend.setSymbolHeight(2.5)
    legend.setBoxSpace(1.5)
    legend.setColumnSpace(2.0)
    for style, size, bold in ((QgsLegendStyle.Title, 9, True), (QgsLegendStyle.Group, 8, True),
                              (QgsLegendStyle.Subgroup, 7.5, True),
                              (QgsLegendStyle.SymbolLabel, 6.5, False)):
        font = QFont(FONT)
        font.setPointSizeF(size * k)
        font.setBold(bold)
        legend.rstyle(style).setFont(font)
    legend.rstyle(QgsLegendStyle.Title).setMargin(QgsLegendStyle.Bottom, 1.0)
    legend.rstyle(QgsLegendStyle.Subgroup).setMargin(QgsLegendStyle.Top, 1.5)
    legend.rstyle(QgsLegendStyle.Symbol).setMargin(QgsLegendStyle.Top, 0.6)
    legend.rstyle(QgsLegendStyle.SymbolLabel).setMargin(QgsLegendStyle.Top, 0.6)
    framed(legend, 0.3)
    layout.addLayoutItem(legend)
    place(legend, *paper["legend"])

    atlas_table(layout, "items_table", paper["table"], k)
    atlas_table(layout, "totals_table", paper["table"], k)
    framed(atlas_label(layout, "notes", ATLAS_TEXTS["notes"], paper["notes"], 6 * k,
                       colour="#333333", margin=1.0), 0.2)
    title_block(layout, paper["block"], k)
    return layout


def write(layout: QgsPrintLayout, path: Path) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not layout.saveAsTemplate(str(path), QgsReadWriteContext()):
        print(f"build_layouts: cannot write {path}", file=sys.stderr)
        return False
    print(f"build_layouts: {path.relative_to(ROOT)}")
    return True


def main() -> int:
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    try:
        project = QgsProject()
        # the map item's CRS is set at print time from the profile; the default profile's
        # grid here keeps PROJ quiet while the template is written
        project.setCrs(QgsCoordinateReferenceSystem(f"EPSG:{load_profile().crs_epsg}"))
        layouts = [(build(project), OUT)] + [
            (build_plan_atlas(project, name), OUT.parent / f"{name}.qpt")
            for name in ATLAS_PAPER]
        ok = all([write(layout, path) for layout, path in layouts])
        del layouts, project
        if not ok:
            return 1
    finally:
        app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
