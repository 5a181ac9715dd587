"""Build the print layout templates in ``resources/layouts/`` (run after changing this file).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/build_layouts.py

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
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemManualTable,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutPoint,
    QgsLayoutSize,
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
    table_y = MAP_Y + LEGEND_H + TABLE_GAP
    place(frame, PANEL_X, table_y, PANEL_W, PAGE_H - MARGIN - STRIP_H - 2.0 - table_y)
    table.addFrame(frame)

    strip_y = PAGE_H - MARGIN - STRIP_H
    label(layout, "credits", (MAP_X, strip_y, MAP_W, STRIP_H), 7.5, colour="#333333")
    label(layout, "crs", (PANEL_X, strip_y, PANEL_W, 5.0), 8)
    label(layout, "date", (PANEL_X, strip_y + 6.0, PANEL_W, 5.0), 8)
    return layout


def main() -> int:
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    try:
        project = QgsProject()
        # the map item's CRS is set at print time from the profile; the default profile's
        # grid here keeps PROJ quiet while the template is written
        project.setCrs(QgsCoordinateReferenceSystem(f"EPSG:{load_profile().crs_epsg}"))
        layout = build(project)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        if not layout.saveAsTemplate(str(OUT), QgsReadWriteContext()):
            print(f"build_layouts: cannot write {OUT}", file=sys.stderr)
            return 1
        print(f"build_layouts: {OUT.relative_to(ROOT)}")
        del layout, project
    finally:
        app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
