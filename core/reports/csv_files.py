"""Write report tables as CSV files (UTF-8 with BOM, so Excel shows Vietnamese)."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Sequence, Union

from .tables import ReportTable
from .xlsx import ReportError


def write_csv(tables: Sequence[ReportTable], folder: Union[str, Path],
              lang: str = "vi") -> list[Path]:
    """One ``<key>.csv`` per table in ``folder`` (created if needed); returns the paths."""
    folder = Path(folder)
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for table in tables:
            path = folder / f"{table.key}.csv"
            partial = folder / f".{table.key}.csv.part"
            with open(partial, "w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle)
                writer.writerow([c.label(lang) for c in table.columns])
                for row in table.rows:
                    writer.writerow(["" if row.get(c.key) is None else row.get(c.key)
                                     for c in table.columns])
            os.replace(partial, path)
            written.append(path)
    except OSError as exc:
        raise ReportError(f"cannot write CSV reports in {folder}: {exc}") from None
    return written
