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
    "ambiguous_order": ERROR,      # posts break the order and either could be the wrong one
    "duplicate_position": ERROR,   # the same post twice: same place, same measure
    "null_measure": ERROR,         # post without a (readable) measure
    "null_route": ERROR,           # post without a route key
    "bad_post": ERROR,             # post without a point geometry
    "unknown_route": ERROR,        # post names a route that is not in the routes layer
    "unreadable": ERROR,           # the layers could not be read or calibrated at all
    "gap": ERROR,                  # route parts do not touch
    "overlap": ERROR,              # route parts run over each other
    "fork": WARNING,               # a spur leaves the route: not part of the measured line
    "parallel": WARNING,           # a second way between two nodes (roundabout, dual road)
    "suspicious_interval": WARNING,  # measure step differs a lot from the length between posts
    "uncalibrated": WARNING,       # fewer than two usable posts
    "route_key": INFO,             # posts name routes by another field of the routes layer
    "reversed": INFO,              # the line was digitised against chainage and was reversed
}


@dataclass(frozen=True)
class Issue:
    """One finding: kind, the post (or part) it concerns, where along the route, and why.

    ``x``/``y`` place it on the map; ``line`` (vertex coordinates) is set for findings
    about a stretch of line (a spur, a parallel piece, a gap's bridge).
    """

    kind: str
    label: str
    distance: float
    message: str
    route: str = ""
    row: int | None = None
    x: float | None = None
    y: float | None = None
    line: tuple | None = None

    @property
    def severity(self) -> str:
        return KINDS[self.kind]

    def as_dict(self) -> dict:
        out = asdict(self)
        out.pop("line")
        out["severity"] = self.severity
        return out


def describe(issues: list[Issue], limit: int = 10) -> str:
    """``row N: message; ...`` for the first ``limit`` issues, ``(+k more)`` after."""
    lines = "; ".join(
        (f"row {i.row}: " if i.row is not None else "") + i.message for i in issues[:limit])
    more = f" (+{len(issues) - limit} more)" if len(issues) > limit else ""
    return lines + more


class CalibrationError(RoadInfraError):
    """Strict calibration found errors; ``issues`` holds all findings."""

    def __init__(self, route: str, issues: list[Issue]):
        self.issues = issues
        errors = [i for i in issues if i.severity == ERROR]
        super().__init__(f"route {route}: {len(errors)} calibration error(s): "
                         f"{describe(errors)}")


class UnmatchedPostsError(RoadInfraError):
    """Posts whose route key matches no route: measuring without them would be wrong."""

    def __init__(self, source: str, issues: list[Issue], hint: str = ""):
        self.issues = issues
        super().__init__(f"{source}: {len(issues)} post(s) match no route: "
                         f"{describe(issues)}{hint}")
