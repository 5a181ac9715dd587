"""Errors of the database layer; both are user-fixable (RoadInfraError)."""

from __future__ import annotations

from ..errors import RoadInfraError


class DatabaseError(RoadInfraError):
    """The database cannot be created, opened, upgraded or written as asked."""


class ValidationError(DatabaseError):
    """A row breaks the schema: names the table, the row (asset code or id) and the field.

    ``str(error)`` reads like ``bridge BR-340-012: field 'year_built' = 1700 is below the
    minimum 1850``.
    """

    def __init__(self, table: str, row_code: str | None, field: str | None, problem: str,
                 kind: str = "invalid", **params):
        self.table = table
        self.row_code = row_code
        self.field = field
        self.problem = problem
        #: what is wrong, for faces that say it in the user's language: ``required``,
        #: ``below_min``/``above_max`` (``limit``), ``not_in_list``, ``not_district``,
        #: ``outside_province``, ``duplicate``, ``check``, ``invalid`` (anything else)
        self.kind = kind
        self.params = params
        where = f"{table} {row_code}" if row_code else table
        super().__init__(f"{where}: {problem}")


class ConflictError(DatabaseError):
    """The row changed since the caller read it (its revision moved on): read it again and
    redo the change. Raised by ``update``/``tombstone`` given the revision that was read."""


class LockWaitError(DatabaseError):
    """A lock another transaction holds (an open edit, another sync) was not freed within
    the writer's bound (PostGIS ``lock_timeout``); the transaction is rolled back."""


class MediumError(DatabaseError):
    """A transaction ended by the medium, not by its rows: the disk filled up, the file could
    not be written, the server's connection was lost. ``target``: the database; ``lost``:
    the connection was lost; ``full``: the disk is full; ``committing``: it happened at
    COMMIT (PostGIS: the server may have committed)."""

    def __init__(self, target: str, reason: str, lost: bool = False, committing: bool = False,
                 full: bool = False):
        self.target = target
        self.reason = reason
        self.lost = lost
        self.full = full
        self.committing = committing
        if lost and committing:
            outcome = "the server may or may not have committed the transaction"
        else:
            outcome = "nothing of the transaction was written"
        super().__init__(f"{target}: {reason}; {outcome}")
