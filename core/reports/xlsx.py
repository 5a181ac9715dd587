"""Write report tables to one XLSX workbook: a sheet per table, formatted, with a chart.

openpyxl does the file format; cells are written by :func:`..io.spreadsheet.put_cell` (text
never a formula); the workbook goes through the safe writer
(:func:`..io.output.output_file`): never over an input, never half a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence, Union

from ..errors import RoadInfraError
from ..io.output import output_file
from ..io.spreadsheet import CellTextTooLongError, put_cell, refuse_too_long, refuse_too_many_rows
from .tables import ReportTable

FORMATS = {"count": "#,##0", "km": "#,##0.00", "vnd": "#,##0", "share": "0.0%"}
HEADER_FILL = "DCE6F1"


class ReportError(RoadInfraError):
    """A report cannot be written (missing library, unwritable file)."""


def write_xlsx(tables: Sequence[ReportTable], path: Union[str, Path], lang: str = "vi",
               inputs: Iterable[Union[str, Path]] = (), option: str = "--xlsx") -> Path:
    """Write ``tables`` to ``path`` (one sheet each, in order); returns the path. ``path``
    may not be one of ``inputs``."""
    try:
        from openpyxl import Workbook
        from openpyxl.chart import BarChart, Reference
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter
    except ImportError:
        raise ReportError("XLSX reports need openpyxl (Debian package python3-openpyxl)") \
            from None
    path = Path(path)
    for table in tables:  # title, blank row, header, rows, blank row, notes
        refuse_too_many_rows(f"{option} {path}", table.key[:31], len(table.rows),
                             3 + len(table.rows) + (1 + len(table.notes) if table.notes else 0))
    book = Workbook()
    book.remove(book.active)
    too_long: list = []
    try:
        for table in tables:
            sheet = book.create_sheet(table.key[:31])
            put_cell(sheet, 1, 1, table.title(lang)).font = Font(bold=True, size=14)
            header = 3
            for j, col in enumerate(table.columns, start=1):
                cell = put_cell(sheet, header, j, col.label(lang))
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
                cell.alignment = Alignment(wrap_text=True, vertical="center")
                width = max([len(col.label(lang))] + [len(str(r.get(col.key, ""))) for r in
                                                      table.rows])
                sheet.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 10), 50)
            for i, row in enumerate(table.rows, start=header + 1):
                last = table.total and i == header + len(table.rows)
                for j, col in enumerate(table.columns, start=1):
                    try:
                        cell = put_cell(sheet, i, j, row.get(col.key), col.label(lang))
                    except CellTextTooLongError:  # named by the report's row, not the sheet's
                        try:
                            put_cell(sheet, i, j, row.get(col.key), col.label(lang),
                                     _row_name(table, row, lang, i - header))
                        except CellTextTooLongError as exc:
                            too_long.append(exc)
                        continue
                    if col.kind in FORMATS:
                        cell.number_format = FORMATS[col.kind]
                    if last:
                        cell.font = Font(bold=True)
            for n, note in enumerate(table.notes):
                put_cell(sheet, header + len(table.rows) + 2 + n, 1, note).font = Font(italic=True)
            sheet.freeze_panes = sheet.cell(row=header + 1, column=2)
            data_rows = len(table.rows) - (1 if table.total else 0)
            if table.chart and data_rows > 0:
                chart = BarChart()
                chart.type = "col"
                chart.grouping = "stacked" if len(table.chart) > 1 else "clustered"
                if len(table.chart) > 1:
                    chart.overlap = 100
                chart.title = table.title(lang)
                chart.height, chart.width = 8, 16
                keys = [c.key for c in table.columns]
                for key in table.chart:
                    j = keys.index(key) + 1
                    chart.add_data(Reference(sheet, min_col=j, min_row=header,
                                             max_row=header + data_rows), titles_from_data=True)
                chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1,
                                               max_row=header + data_rows))
                anchor = get_column_letter(len(table.columns) + 2)
                sheet.add_chart(chart, f"{anchor}{header}")
    except CellTextTooLongError as exc:  # a title or a note
        too_long.append(exc)
    refuse_too_long(too_long, f"{option} {path}")
    with output_file(path, inputs, option) as temporary:
        book.save(temporary)
    return path


def _row_name(table: ReportTable, row: dict, lang: str, n: int) -> str:
    """A report's row as the report shows it: its first column's label and value
    (``the row of Tuyến 'QL10'``), else its place among the report's rows (1-based)."""
    first = table.columns[0]
    value = row.get(first.key)
    if value is None or value != value:
        return f"report row {n}"
    text = str(value)
    text = text if len(text) <= 40 else text[:40] + "..."
    return f"the row of {first.label(lang)} {text!r}"
