"""One way for the planning commands to read a table: through :func:`..io.tabular.read_table`
(RoadInfra's one encoding policy, ``,`` or ``;``, CSV or XLSX), headers compared in lower
case, a missing column a PlanningError naming the file."""

from __future__ import annotations

from pathlib import Path
from typing import Union

from ..io.tabular import read_table
from .errors import PlanningError


def read_csv_rows(path: Union[str, Path], what: str, required: tuple[str, ...] = (),
                  lower: bool = True) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and ``(line, row)`` pairs of a table; ``required`` columns must be present."""
    table = read_table(path, what=what)
    header = [h.strip().lower() if lower else h.strip() for h in table.header]
    missing = [c for c in required if c not in header]
    if missing:
        raise PlanningError(f"{path}: row 1 (header): missing column(s) {missing}; "
                            f"expected {list(required)}")
    width = len(header)
    rows = [(line, dict(zip(header, cells + ("",) * (width - len(cells)))))
            for line, cells in table.rows]
    return header, rows
