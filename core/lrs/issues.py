"""Calibration and route-building findings, reported rather than silently fixed."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..errors import RoadInfraError

ERROR = "error"
WARNING = "warning"
INFO = "info"

#: kind -> severity. Errors exclude the post (or leave a gap bridged by a straight line).
KINDS = {
    "off_route": ERROR,            # post further from the route than the tolerance
    "out_of_order": ERROR,         # post lies before posts with smaller measures
    "decreasing_measure": ERROR,   # post's measure is not above the post before it
    "duplicate_position": ERROR,   # two posts project onto the same place
    "unknown_route": ERROR,        # post names a route that is not in the routes layer
    "gap": ERROR,                  # route parts do not touch
    "overlap": ERROR,              # route parts run over each other
    "suspicious_interval": WARNING,  # measure step differs a lot from the length between posts
    "uncalibrated": WARNING,       # fewer than two usable posts
    "reversed": INFO,              # the line was digitised against chainage and was reversed
}


@dataclass(frozen=True)
class Issue:
    """One finding: kind, the post (or part) it concerns, where along the route, and why."""

    kind: str
    label: str
    distance: float
    message: str
    route: str = ""
    row: int | None = None
    x: float | None = None
    y: float | None = None

    @property
    def severity(self) -> str:
        return KINDS[self.kind]

    def as_dict(self) -> dict:
        out = asdict(self)
        out["severity"] = self.severity
        return out


class CalibrationError(RoadInfraError):
    """Strict calibration found errors; ``issues`` holds all findings."""

    def __init__(self, route: str, issues: list[Issue]):
        self.issues = issues
        errors = [i for i in issues if i.severity == ERROR]
        lines = "; ".join(
            (f"row {i.row}: " if i.row is not None else "") + i.message for i in errors[:10]
        )
        more = f" (+{len(errors) - 10} more)" if len(errors) > 10 else ""
        super().__init__(f"route {route}: {len(errors)} calibration error(s): {lines}{more}")
