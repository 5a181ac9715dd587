"""Events on calibrated routes: the one entry point of ``roadinfra lrs events`` and the
*Create events* algorithm.

An event table holds one row per event: a route key, a ``from`` measure (metres or
``Km12+350``), optionally a ``to`` measure (then it is a line event, drawn along the route
between the two measures), and optional offsets (m, left of the route positive): the
point event's offset, or a line event's offset at its start and at its end (the line runs
linearly from one to the other). An offset is at most :data:`MAX_EVENT_OFFSET_M` either side
(a road's furniture, culverts and corridor lie within a kilometre of its centre line; a larger
value is a unit or typing error). Each row gets its geometry or its own error: a bad row
does not stop the table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from ..chainage import parse_chainage
from ..errors import Cancelled, RoadInfraError
from .io import InputError
from .locate import point_at, segment_line
from .route import Route


@dataclass(frozen=True)
class EventResult:
    """One event row: its route code, geometry, or the error that left it without one."""

    route: str | None
    geometry: BaseGeometry | None = None
    error: str | None = None


def _measure(value, where: str) -> float:
    if isinstance(value, str):
        text = value.strip()
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            value = text
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        raise RoadInfraError(f"{where}: no measure")
    return parse_chainage(value, where)


#: the largest event offset either side of the route, in metres
MAX_EVENT_OFFSET_M = 1000.0


def _offset(value, where: str) -> float:
    """NULL, NaN or blank: 0 (on the route); beyond :data:`MAX_EVENT_OFFSET_M`: an error."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0.0
    try:
        offset = float(value.strip().replace(",", ".") if isinstance(value, str) else value)
    except (TypeError, ValueError):
        offset = math.inf
    if math.isnan(offset):
        return 0.0
    if not math.isfinite(offset):
        raise RoadInfraError(f"{where}: offset {value!r} is not a number of metres")
    if abs(offset) > MAX_EVENT_OFFSET_M:
        raise RoadInfraError(f"{where}: offset {offset:g} m is more than "
                             f"{MAX_EVENT_OFFSET_M:g} m from the route")
    return offset


def place_events(
    routes: Mapping[str, Route],
    records: Sequence[Mapping],
    route_column: str,
    from_column: str,
    to_column: str | None = None,
    offset_column: str | None = None,
    end_offset_column: str | None = None,
    resolve: Callable[[object], str | None] | None = None,
    source: str = "events",
    first_row: int = 1,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> list[EventResult]:
    """One :class:`EventResult` per record (see the module docstring).

    ``resolve`` turns a route key into a route code (:meth:`.network.RouteKeys.resolve`;
    default: the key is the code). ``end_offset_column`` defaults to ``offset_column``.
    A missing column stops at once (:class:`~.io.InputError`); a bad value is the row's error.
    """
    columns = set(records[0]) if records else set()
    for what, column in (("route", route_column), ("from", from_column), ("to", to_column),
                         ("offset", offset_column), ("end offset", end_offset_column)):
        if column and records and column not in columns:
            raise InputError(f"{source}: no {what} column {column!r} (columns: "
                             f"{sorted(columns)})")
    end_offset_column = end_offset_column or offset_column
    out: list[EventResult] = []
    for k, record in enumerate(records):
        if is_cancelled and is_cancelled():
            raise Cancelled("placing events cancelled")
        where = f"{source} row {k + first_row}"
        key = record.get(route_column)
        code = (resolve or _same)(key) if key not in (None, "") else None
        try:
            if code not in routes:
                raise RoadInfraError(
                    f"{where} field {route_column}: "
                    + (f"route {key!r} is not in the routes layer" if key not in (None, "")
                       else "no route"))
            route = routes[code]
            start = _measure(record.get(from_column), f"{where} field {from_column}")
            o0 = _offset(record.get(offset_column), f"{where} field {offset_column}") \
                if offset_column else 0.0
            if to_column:
                end = _measure(record.get(to_column), f"{where} field {to_column}")
                o1 = _offset(record.get(end_offset_column),
                             f"{where} field {end_offset_column}") if end_offset_column else 0.0
                geometry = segment_line(route, start, end, o0, o1)
            else:
                geometry = Point(*point_at(route, start, o0))
            out.append(EventResult(code, geometry))
        except RoadInfraError as exc:
            text = str(exc)
            out.append(EventResult(code, None, text if text.startswith(where)
                                   else f"{where}: {text}"))
        if progress:
            progress(100.0 * (k + 1) / len(records))
    return out


def _same(key) -> str:
    return str(key)
