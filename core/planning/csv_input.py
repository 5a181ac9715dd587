"""One way for the planning commands to read a CSV file: any encoding RoadInfra reads,
``,`` or ``;``, headers compared in lower case, every failure a PlanningError naming the
file."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Union

from ..importers.tabular import decode, list_delimiter
from .errors import PlanningError


def read_csv_rows(path: Union[str, Path], what: str, required: tuple[str, ...] = (),
                  lower: bool = True) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and ``(line, row)`` pairs of a CSV; ``required`` columns must be present."""
    path = Path(path)
    try:
        text, _ = decode(path.read_bytes())
    except OSError as exc:
        raise PlanningError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    first = text.split("\n", 1)[0]
    try:
        reader = csv.DictReader(io.StringIO(text), delimiter=list_delimiter(first))
        header = [(h or "").strip() for h in (reader.fieldnames or [])]
        if lower:
            header = [h.lower() for h in header]
        reader.fieldnames = header
        missing = [c for c in required if c not in header]
        if missing:
            raise PlanningError(f"{path}: row 1 (header): missing column(s) {missing}; "
                                f"expected {list(required)}")
        rows = [(line, row) for line, row in enumerate(reader, start=2)]
    except csv.Error as exc:
        raise PlanningError(f"{path}: not a readable CSV {what}: {exc}") from None
    return header, rows
