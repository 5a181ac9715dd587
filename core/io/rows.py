"""Per-row problems found while reading a file: every row is checked, all problems reported."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..errors import RoadInfraError

#: a message quoting a cell is cut to this length (a 1 MB cell must not flood the screen)
MESSAGE_LIMIT = 300


@dataclass(frozen=True)
class RowError:
    """One problem: the file, the 1-based line (or record) number, the field, what is wrong.

    ``field`` is empty for a problem of the whole row (an empty line, too many fields).
    """

    file: str
    row: int
    field: str
    message: str

    def __post_init__(self) -> None:
        if len(self.message) > MESSAGE_LIMIT:
            object.__setattr__(self, "message", self.message[: MESSAGE_LIMIT - 3] + "...")

    def __str__(self) -> str:
        where = f", field {self.field!r}" if self.field else ""
        return f"{self.file}, row {self.row}{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "field": self.field, "message": self.message}


class RowErrorsError(RoadInfraError):
    """A file with bad rows; ``errors`` lists every one (the message shows them all)."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        lines = "\n".join(f"  {e}" for e in self.errors)
        super().__init__(f"{len(self.errors)} bad row(s):\n{lines}")
