"""The summary table of the A3 sheets (condition map, corridor overlay): cells and column widths
measured with the layout's own text metrics, so that no text is ever cut.

The table fills the panel's width (the frame's custom property ``roadinfra/table_width``, mm;
a table frame shrinks to its table, so the template keeps the width there). Each number column
is as wide as its widest text (numbers never wrap); the first column (routes, zones, widenings,
condition classes) takes the rest and its texts wrap at spaces, a word wider than the column
being broken. When the rows do not fit the frame's height, or a word had to be broken, the font
shrinks by half points down to :data:`MIN_SIZE`; rows that still do not fit continue in frames
on new pages of the same size, never dropped. Each continued part opens with a note that it
continues (:data:`CONTINUED`, in the sheet's language) and the header row of the section it
continues (the last bold row before the break that a plain row follows; a bold total is
followed by the next header or nothing); a header is never left alone at the foot of a page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, List, Sequence, Tuple, Type

from qgis.core import (
    Qgis,
    QgsLayoutFrame,
    QgsLayoutItemManualTable,
    QgsLayoutItemPage,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutUtils,
    QgsTableCell,
    QgsTextFormat,
    QgsTextRenderer,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import QT_TR_NOOP, Qt
from qgis.PyQt.QtGui import QColor, QFont

from ..i18n import translate_to

#: Width of the table's frame in the template (mm), as in the plan atlas templates.
TABLE_WIDTH_PROPERTY = "roadinfra/table_width"
FONT = "DejaVu Sans"
HEADER_BACKGROUND = "#dde6ef"
#: Font sizes tried, largest first (points).
SIZES = (8.5, 8.0, 7.5, 7.0, 6.5, 6.0)
MIN_SIZE = SIZES[-1]
#: Units kept on the line of their number ("32.5 m").
UNITS = ("m", "km", "m²", "%")
#: Pages the table may continue on, at most.
MAX_PAGES = 20
#: The first row of a continued part of the table.
CONTINUED = QT_TR_NOOP("(continued from the previous page)")
#: Room a text gets beyond its measured width (mm and share of the width): the glyphs in the
#: PDF may run slightly wider than the layout measures (0.4 % seen on QGIS 3.40).
SLACK, SLACK_SHARE = 0.3, 0.01


def room(width: float) -> float:
    """The column width a text measured ``width`` mm wide is given."""
    return width * (1.0 + SLACK_SHARE) + SLACK


def text_format(size: float, bold: bool) -> QgsTextFormat:
    """The table's text format at ``size`` points."""
    font = QFont(FONT)
    font.setBold(bold)
    fmt = QgsTextFormat()
    fmt.setFont(font)
    fmt.setSize(size)
    fmt.setSizeUnit(QgsUnitTypes.RenderUnit.RenderPoints)
    fmt.setColor(QColor("#000000"))
    return fmt


class TextWidth:
    """Widths of texts (mm) as the layout's tables measure them."""

    def __init__(self, layout):
        self.context = QgsLayoutUtils.createRenderContextForLayout(layout, None)
        self.context.setFlag(Qgis.RenderContextFlag.ApplyScalingWorkaroundForTextRendering)
        self.mm = self.context.convertToPainterUnits(1, QgsUnitTypes.RenderUnit.RenderMillimeters)

    def __call__(self, fmt: QgsTextFormat, text: str) -> float:
        lines = text.split("\n")
        return QgsTextRenderer.textWidth(self.context, fmt, lines) / self.mm


def wrap(text: str, width: float, measure: Callable[[str], float]) -> Tuple[str, bool]:
    """``text`` with line breaks so that every line is at most ``width`` wide: breaks at
    spaces, and inside a word only when the word alone is wider; also whether a word was
    broken."""
    lines: List[str] = []
    broken = False
    words: List[str] = []
    for word in text.split():
        if words and word in UNITS:
            words[-1] = f"{words[-1]} {word}"
        else:
            words.append(word)
    for word in words:
        line = f"{lines[-1]} {word}" if lines else word
        if lines and measure(line) <= width:
            lines[-1] = line
            continue
        while measure(word) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and measure(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
            broken = True
        lines.append(word)
    return "\n".join(lines), broken


def _cells(rows: Sequence[Sequence[str]], header_rows: Sequence[int],
           size: float) -> List[List[QgsTableCell]]:
    bold = text_format(size, True)
    cells = []
    for number, row in enumerate(rows):
        line = []
        for column, value in enumerate(row):
            cell = QgsTableCell(value)
            if number in header_rows:
                cell.setTextFormat(bold)
                cell.setBackgroundColor(QColor(HEADER_BACKGROUND))
            if column > 0:
                cell.setHorizontalAlignment(Qt.AlignmentFlag.AlignRight)
            cell.setVerticalAlignment(Qt.AlignmentFlag.AlignTop)
            line.append(cell)
        cells.append(line)
    return cells


def _layout_at(rows, header_rows, size: float, width: float, table, measure: TextWidth):
    """Rows (first column wrapped) and column widths at ``size`` points, and whether a word
    had to be broken; None when the number columns leave no room for the first."""
    formats = {False: text_format(size, False), True: text_format(size, True)}
    columns = max(len(row) for row in rows)
    numbers = [room(max(measure(formats[n in header_rows], row[c])
                        for n, row in enumerate(rows) if c < len(row))) for c in range(1, columns)]
    rules = (columns + 1) * (table.gridStrokeWidth() if table.showGrid() else 0.0)
    first = width - sum(numbers) - 2 * columns * table.cellMargin() - rules
    if first < 10.0:
        return None
    wrapped, broken = [], False
    for n, row in enumerate(rows):
        fmt = formats[n in header_rows]
        label, cut = wrap(row[0], first, lambda line, fmt=fmt: room(measure(fmt, line)))
        broken = broken or cut
        wrapped.append([label, *row[1:]])
    return wrapped, [first, *numbers], broken


def fill_summary_table(frame: QgsLayoutFrame, rows: Sequence[Sequence[str]],
                       header_rows: Sequence[int], template: Path,
                       error: Type[Exception], lang: str = "en") -> float:
    """Put ``rows`` (texts; ``header_rows`` bold on a tinted background) in the manual table
    of ``frame`` fitted as the module docstring says (the continuation note in ``lang``);
    return the font size used. A template without the width property or a panel too narrow
    for the numbers raises ``error``."""
    table = frame.multiFrame()
    if not isinstance(table, QgsLayoutItemManualTable):
        raise error(f"{template}: '{frame.id()}' is not a manual table")
    try:
        width = float(frame.customProperty(TABLE_WIDTH_PROPERTY))
    except (TypeError, ValueError):
        raise error(f"{template}: the frame '{frame.id()}' needs the custom property "
                    f"{TABLE_WIDTH_PROPERTY} (mm)") from None
    height = frame.rect().height()
    measure = TextWidth(frame.layout())
    chosen = None
    for size in SIZES:
        fitted = _layout_at(rows, header_rows, size, width, table, measure)
        if fitted is None:
            continue
        cells, widths, broken = fitted
        chosen = size
        table.setContentTextFormat(text_format(size, False))
        table.setTableContents(_cells(cells, header_rows, size))
        table.setColumnWidths(widths)
        if not broken and table.totalHeight() <= height + 1e-6:
            return size
    if chosen is None:
        raise error(f"{template}: the frame '{frame.id()}' ({width:g} mm) is too narrow for "
                    f"the numbers of the summary table")
    note, _ = wrap(translate_to(CONTINUED, lang), widths[0],
                   lambda line: room(measure(text_format(chosen, False), line)))
    _continue_on_new_pages(frame, width, cells, set(header_rows), chosen, note, error,
                           template)
    return chosen


def _section_head(rows: Sequence, bold: set, end: int) -> int | None:
    """The header row of the section that row ``end`` continues: the last bold row before it
    that a plain row follows."""
    return next((n for n in range(end - 1, -1, -1)
                 if n in bold and n + 1 < len(rows) and n + 1 not in bold), None)


def _continue_on_new_pages(first: QgsLayoutFrame, width: float, rows: List[List[str]],
                           bold: set, size: float, note: str, error, template) -> None:
    """The rows cut into parts, one per frame: the first frame's, then frames on new pages (as
    large as the page within the sheet's right margin), each part after the first opening
    with ``note`` and the header of the section it continues; every frame as high as its
    part needs, so that the layout flows exactly that part into it."""
    layout, table = first.layout(), first.multiFrame()
    pages = layout.pageCollection()
    page_size = pages.page(first.page()).pageSize()
    margin = max(page_size.width() - first.pagePos().x() - width, 0.0)
    blank = [""] * (len(rows[0]) - 1)
    units = page_size.units()
    own_width, own_height = first.rect().width(), first.rect().height()

    def fits(part: list, height: float) -> bool:
        """Whether the layout shows every row of ``part`` in a frame ``height`` mm high (the
        first frame, resized, measures it: the layout's own row flow)."""
        first.attemptResize(QgsLayoutSize(own_width, height, units))
        table.setTableContents(_cells([r for r, _ in part], [n for n, (_, b) in
                                                            enumerate(part) if b], size))
        return table.totalHeight() <= first.rect().height() + 1e-6

    parts: list = []  # [(row, bold)] per frame
    start, prefix, room_mm = 0, [], own_height
    while start < len(rows):
        if len(parts) >= MAX_PAGES:
            raise error(f"{template}: the summary table needs more than {MAX_PAGES} pages")
        body = [(rows[n], n in bold) for n in range(start, len(rows))]
        low, high = 0, len(body)  # the most rows that fit: binary search
        while low < high:
            mid = (low + high + 1) // 2
            if fits(prefix + body[:mid], room_mm):
                low = mid
            else:
                high = mid - 1
        if low == 0:
            raise error(f"{template}: a row of the summary table is taller than a page")
        end = start + low
        if end < len(rows) and low > 1 and _section_head(rows, bold, end) == end - 1:
            end -= 1  # not a header alone at the foot of the page
        parts.append(prefix + body[:end - start])
        start = end
        head = (None if _section_head(rows, bold, start + 1) == start  # a section starts
                else _section_head(rows, bold, start))
        prefix = [([note, *blank], False)] + ([(rows[head], True)] if head is not None else [])
        room_mm = page_size.height() - 2 * margin
    heights = []
    for n, part in enumerate(parts):  # the least height showing the part (to 0.001 mm)
        low, high = 0.0, own_height if n == 0 else room_mm
        while high - low > 0.001:
            mid = (low + high) / 2
            low, high = (low, mid) if fits(part, mid) else (mid, high)
        heights.append(high)
    everything = [row for part in parts for row in part]
    table.setTableContents(_cells([r for r, _ in everything],
                                  [n for n, (_, b) in enumerate(everything) if b], size))
    first.attemptResize(QgsLayoutSize(own_width, heights[0], units))
    for part_height in heights[1:]:
        page = QgsLayoutItemPage(layout)
        page.setPageSize(page_size)
        pages.addPage(page)
        frame = QgsLayoutFrame(layout, table)
        layout.addLayoutItem(frame)
        frame.attemptResize(QgsLayoutSize(width, part_height, units))
        frame.attemptMove(QgsLayoutPoint(first.pagePos().x(), margin, page_size.units()),
                          page=pages.pageCount() - 1)
        table.addFrame(frame)
