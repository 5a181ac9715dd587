"""Write the PCI computed per survey (:func:`.pci_survey.pci_by_survey`) back to the
``pavement_survey`` rows, through the database API: each change is logged in the history and
based on the revision read before computing, so a survey changed meanwhile is refused
(:class:`~roadinfra.core.db.errors.ConflictError`) and nothing is written."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Dict, Iterable, Union

from ..db import open_database
from ..db.errors import DatabaseError
from ..errors import Cancelled
from .pci_survey import SurveysPci

TABLE = "pavement_survey"


def survey_revisions(database: Union[str, Path], surveys: Iterable[str],
                     progress: Callable[[float], None] | None = None,
                     is_cancelled: Callable[[], bool] | None = None) -> Dict[str, int]:
    """The current revision of each survey (id -> revision); an id with no live survey is a
    DatabaseError naming it. (``progress``/``is_cancelled``: one read, not reported.)"""
    wanted = sorted({str(s) for s in surveys})
    db = open_database(database)
    try:
        rows = db.fetch(TABLE, where={"id": wanted}) if wanted else []
    finally:
        db.close()
    found = {str(row["id"]): int(row["revision"]) for row in rows}
    missing = [s for s in wanted if s not in found]
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5
                                          else "")
        raise DatabaseError(f"{database}: no {TABLE} with id {shown}")
    return found


def write_survey_pci(database: Union[str, Path], result: SurveysPci,
                     revisions: Dict[str, int], user: str | None = None,
                     progress: Callable[[float], None] | None = None,
                     is_cancelled: Callable[[], bool] | None = None) -> int:
    """Set ``pci`` (one decimal) of every computed survey, all or none; its ``pci_rating``
    follows it (derived on save).

    ``revisions``: each survey's revision as read before computing (:func:`survey_revisions`).
    Returns the number of surveys written (one whose values are already these is left as it
    is, without a new revision).
    """
    db = open_database(database)
    try:
        with db.transaction():
            for n, (survey, pci) in enumerate(result.surveys):
                if is_cancelled and is_cancelled():
                    raise Cancelled("writing PCI to the surveys cancelled")
                if survey not in revisions:
                    raise DatabaseError(f"{TABLE} {survey}: its revision was not read")
                db.update(TABLE, survey, {"pci": round(pci.section_pci, 1)}, user,
                          revision=revisions[survey])  # its rating follows (derive)
                if progress:
                    progress(100.0 * (n + 1) / len(result.surveys))
    finally:
        db.close()
    return len(result.surveys)
