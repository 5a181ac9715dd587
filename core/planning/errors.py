"""The planning error a user can fix (bad hazards, options, budgets or treatment tables)."""

from ..errors import RoadInfraError


class PlanningError(RoadInfraError):
    """Bad planning input; the message names the file, row, field or profile key."""
