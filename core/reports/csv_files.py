"""Write report tables as CSV files (UTF-8 with BOM, so Excel shows Vietnamese), each
through the safe writer (never over an input, never half-written)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterable, Sequence, Union

from ..io.output import output_file
from .tables import ReportTable
from .xlsx import ReportError


def check_folder(folder: Union[str, Path], option: str = "--csv") -> Path:
    """``folder`` as a Path once it is a folder or can be made as one (its parent exists)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ReportError(f"{option} {folder}: is not a folder")
    if not folder.exists() and not folder.parent.is_dir():
        raise ReportError(f"{option} {folder}: folder {folder.parent} does not exist")
    return folder


def write_csv(tables: Sequence[ReportTable], folder: Union[str, Path], lang: str = "vi",
              inputs: Iterable[Union[str, Path]] = (), option: str = "--csv") -> list[Path]:
    """One ``<key>.csv`` per table in ``folder`` (made if its parent exists); returns the
    paths. None of them may be one of ``inputs``."""
    folder = check_folder(folder, option)
    inputs = list(inputs)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise ReportError(f"{option} {folder}: cannot make the folder: {exc.strerror}") \
            from None
    written = []
    for table in tables:
        path = folder / f"{table.key}.csv"
        with output_file(path, inputs, option) as temporary:
            with open(temporary, "w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle)
                writer.writerow([c.label(lang) for c in table.columns])
                for row in table.rows:
                    writer.writerow(["" if row.get(c.key) is None else row.get(c.key)
                                     for c in table.columns])
        written.append(path)
    return written
