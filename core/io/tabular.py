"""Tables from users' files: CSV/TXT text (by the policy of :mod:`.text`) or an XLSX sheet.

Every cell is text; each row keeps its 1-based line in the file (the header is line 1) for
error messages. Blank rows are skipped. The delimiter is ``,`` unless the caller fixes
another, or the header holds ``;`` and no ``,`` (what Excel writes with Vietnamese regional
settings, where the comma is the decimal mark). Fields may be any length (a cell above the
``csv`` module's default 131,072 characters is read, not a traceback).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Union

from .errors import FileError, one_line
from .paths import input_file
from .text import AUTO, read_text

XLSX_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Table:
    """A table read from a file: header and rows of text cells with their file lines."""

    path: str
    encoding: str  # the text encoding, or "xlsx"
    delimiter: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (1-based line or sheet row, cells)

    def records(self) -> Iterator[tuple[int, dict]]:
        """(line, {column: cell}) per row; missing trailing cells are empty strings."""
        width = len(self.header)
        for line, cells in self.rows:
            padded = cells + ("",) * (width - len(cells))
            yield line, dict(zip(self.header, padded))

    def frame(self):
        """The rows as a pandas DataFrame of text (extra cells beyond the header dropped)."""
        import pandas as pd

        width = len(self.header)
        data = [cells[:width] + ("",) * (width - len(cells)) for _, cells in self.rows]
        return pd.DataFrame(data, columns=list(self.header), dtype=object)

    @property
    def lines(self) -> list[int]:
        return [line for line, _ in self.rows]


def list_delimiter(header: str, delimiter: str = ",") -> str:
    """``;`` for a header line without commas but with semicolons, else ``delimiter``."""
    if delimiter == "," and "," not in header and ";" in header:
        return ";"
    return delimiter


def allow_fields_of(length: int) -> None:
    """Let the ``csv`` module read fields up to ``length`` characters (its default limit,
    131,072, turns a long cell into a traceback). The limit is process-wide; it only grows."""
    if csv.field_size_limit() < length + 1:
        csv.field_size_limit(length + 1)


def _clean_header(cells, source: str) -> tuple[str, ...]:
    header = tuple(unicodedata.normalize("NFC", str(c).strip()) for c in cells)
    seen = set()
    for name in header:
        if name and name in seen:
            raise FileError(f"{source}: line 1 (header): column {one_line(name, 60)!r} "
                            "appears twice")
        seen.add(name)
    return header


def parse_csv(text: str, source: str, delimiter: str = ",", quotechar: str = '"',
              encoding: str = "utf-8") -> Table:
    """A :class:`Table` from CSV text already decoded (``source`` names it in errors)."""
    if len(delimiter) != 1 or len(quotechar) != 1 or delimiter == quotechar:
        raise FileError(f"{source}: delimiter {delimiter!r} and quote character "
                        f"{quotechar!r} must be two different single characters")
    first = text.split("\n", 1)[0]
    delimiter = list_delimiter(first, delimiter)
    allow_fields_of(len(text))  # no field is longer than the text
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        quotechar=quotechar)
    rows = []
    try:
        try:
            header = _clean_header(next(reader), source)
        except StopIteration:
            raise FileError(f"{source}: empty file (no header line)") from None
        if not any(header):
            raise FileError(f"{source}: line 1 (header): no column names")
        start = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                rows.append((start, tuple(record)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FileError(f"{source}: line {reader.line_num}: not readable as CSV: "
                        f"{one_line(exc)}") from None
    return Table(source, encoding, delimiter, header, tuple(rows))


def cell_text(value: Any) -> str:
    """A cell or attribute value as text: None as '', a whole number without a decimal point
    (``13297.0`` -> ``13297``, as an integer column gives it; also a database's numeric
    ``Decimal('13297.0')``, and ``Decimal('400.50')`` as ``400.5``), a date-time at midnight
    as its date."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, decimal.Decimal) and value.is_finite():
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return str(value)


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - python3-openpyxl is in the stack
        raise FileError("reading .xlsx needs openpyxl (python3-openpyxl)") from None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, XML and OS errors
        raise FileError(f"{path}: cannot read as an XLSX workbook: {one_line(exc)}") from None
    try:
        if sheet and sheet not in book.sheetnames:
            raise FileError(f"{path}: no sheet {sheet!r} (sheets: {book.sheetnames})")
        ws = book[sheet] if sheet else book.worksheets[0]
        values = list(ws.iter_rows(values_only=True))
    except FileError:
        raise
    except Exception as exc:  # a damaged sheet inside a valid zip
        raise FileError(f"{path}: cannot read the sheet: {one_line(exc)}") from None
    finally:
        book.close()
    if not values:
        raise FileError(f"{path}: the sheet is empty")
    header = _clean_header((cell_text(v) for v in values[0]), str(path))
    rows = tuple((i, tuple(cell_text(v) for v in row))
                 for i, row in enumerate(values[1:], start=2)
                 if any(cell_text(v).strip() for v in row))
    return Table(str(path), "xlsx", "", header, rows)


def read_table(path: Union[str, Path], encoding: str = AUTO, delimiter: str = ",",
               quotechar: str = '"', sheet: str | None = None,
               what: str = "table") -> Table:
    """Read a CSV/TXT file (encoding policy of :mod:`.text`) or an XLSX sheet."""
    path = input_file(path, what)
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _read_xlsx(path, sheet)
    decoded = read_text(path, what, encoding)
    return parse_csv(decoded.text, str(path), delimiter, quotechar, decoded.encoding)
