"""Cells of the XLSX workbooks the toolkit writes (openpyxl): the one place that puts a
value into a cell, for every workbook writer.

Text from users' files (an owner's name, a parcel number) is always stored as text, never as
a formula: openpyxl would store a string beginning with ``=`` as a live formula, which a
spreadsheet runs when the workbook is opened (formula injection, OWASP "CSV Injection").
A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is also
marked *quote prefix* (Excel's own leading apostrophe), so that editing the cell keeps it
text; the value stored is the text itself, unchanged.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from numbers import Integral, Real

import numpy as np

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def put_cell(sheet, row: int, column: int, value):
    """Put ``value`` in the cell (``row``, ``column``; 1-based) of the openpyxl ``sheet`` and
    return the cell: text always as text (see the module docstring)."""
    value = cell_value(value)
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl made a string beginning with "=" a formula
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell
