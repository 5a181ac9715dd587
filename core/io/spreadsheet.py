"""Cells of the XLSX workbooks the toolkit writes (openpyxl): the one place that puts a
value into a cell, for every workbook writer.

Text from users' files (an owner's name, a parcel number) is always stored as text, never as
a formula: openpyxl would store a string beginning with ``=`` as a live formula, which a
spreadsheet runs when the workbook is opened (formula injection, OWASP "CSV Injection").
A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is also
marked *quote prefix* (Excel's own leading apostrophe), so that editing the cell keeps it
text; the value stored is the text itself, unchanged but for control characters, which XML
cannot hold: they are stored as Excel's own escapes (``\x01`` as ``_x0001_``, see
:func:`xml_text`). A text longer than a cell holds (:data:`CELL_TEXT_LIMIT`, Excel's limit,
which openpyxl would cut to without a word) is refused, naming the sheet, the record (as
its source knows it: a file's row, a parcel; the workbook is not written, so never a row of
it) and the field (:class:`CellTextTooLongError`).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from numbers import Integral, Real

import numpy as np

from .errors import FileError

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Characters XML 1.0 (so no workbook cell) cannot hold: C0 controls but tab, LF, CR, the
#: surrogate code points and the non-characters U+FFFE and U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: The most characters a workbook cell holds (Excel's limit; openpyxl cuts longer text).
CELL_TEXT_LIMIT = 32767


class CellTextTooLongError(FileError):
    """A text longer than a workbook cell holds (the message names sheet, row and field;
    ``where`` names them alone)."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(message)
        self.where = where


#: The most rows a workbook sheet holds (Excel's limit; openpyxl raises a bare ValueError).
SHEET_ROW_LIMIT = 1048576


class SheetTooLongError(FileError):
    """More records than a workbook sheet holds."""


def refuse_too_many_rows(target: str, sheet: str, records: int, rows: int) -> None:
    """Refuse, before anything is written, a sheet ``sheet`` of the workbook ``target`` whose
    ``records`` need ``rows`` rows (with header, title, notes) when a sheet holds fewer."""
    if rows > SHEET_ROW_LIMIT:
        raise SheetTooLongError(
            f"{target}: sheet {sheet!r}: {records:,} records need {rows:,} rows, more than a "
            f"workbook sheet holds ({SHEET_ROW_LIMIT:,}); write a GeoPackage (.gpkg) or CSV "
            "instead; nothing was written")


def refuse_too_long(errors: list, target: str) -> None:
    """One :class:`CellTextTooLongError` for the workbook ``target`` naming every cell of
    ``errors`` (the ones :func:`put_cell` raised while the workbook was filled); none: no
    error."""
    if not errors:
        return
    also = ""
    if len(errors) > 1:
        more = ", ..." if len(errors) > 11 else ""
        also = f" (also {'; '.join(e.where for e in errors[1:11])}{more})"
    raise CellTextTooLongError(f"{target}: {errors[0]}{also}", errors[0].where)


#: Text that Excel would read as an OOXML character escape.
_OOXML_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")


def cell_value(value):
    """``value`` as a plain Python value a cell holds: numpy/pandas scalars as int, float,
    bool or text; a missing value (None, NaN, NaT) as None."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        value = float(value)
        return None if math.isnan(value) else value
    if isinstance(value, (datetime, date)):
        return value
    text = str(value)
    return None if text in ("NaT", "<NA>") else text


def xml_text(text: str) -> str:
    """``text`` with the control characters a workbook cannot hold (XML 1.0 forbids them;
    openpyxl refuses them) written as OOXML escapes ``_xHHHH_``, which Excel shows as the
    character; a ``_xHHHH_`` already in the text is kept literal by escaping its ``_``."""
    if not _XML_ILLEGAL.search(text) and "_x" not in text:
        return text
    text = _OOXML_ESCAPE.sub(lambda m: "_x005F" + m.group(0), text)
    return _XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def put_cell(sheet, row: int, column: int, value, field: str | None = None,
             record: str | None = None, source_field: str | None = None):
    """Put ``value`` in the cell (``row``, ``column``; 1-based) of the openpyxl ``sheet`` and
    return the cell: text always as text (see the module docstring). ``record`` (what the
    row shows, as its source names it: ``row 5 of parcels.gpkg, parcel 99/5``) and ``field``
    (the column's header) name the cell when its text is too long
    (:class:`CellTextTooLongError`); without ``record``, a title or header, its row.
    ``source_field``: the column of the record's source file the value was read from."""
    value = cell_value(value)
    if isinstance(value, str):
        value = xml_text(value)
        if len(value) > CELL_TEXT_LIMIT:
            where = (f"sheet {sheet.title!r}, {record or f'row {row}'}, "
                     + (f"field {field!r}" if field else f"column {column}")
                     + (f" (column {source_field!r} of the source)"
                        if source_field and source_field != field else ""))
            raise CellTextTooLongError(
                f"{where}: a text of {len(value):,} characters, more than a workbook cell holds "
                f"({CELL_TEXT_LIMIT:,}); nothing was written (shorten the text at its source, "
                "or write CSV or GeoPackage, which hold it whole)", where)
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl made a string beginning with "=" a formula
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell
