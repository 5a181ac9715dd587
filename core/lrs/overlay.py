"""Segment overlay: cut event tables on the same routes into homogeneous segments.

An event table holds rows ``(route, from, to, attributes...)`` (measures in metres, events
of one table must not overlap on a route). The overlay cuts every route at every event end
of every table; each resulting segment carries the attributes of the event of each table
that covers it, as ``<table>_<column>``. ``how="intersection"`` keeps segments covered by
every table, ``how="union"`` those covered by at least one (missing values are None).

Tables may be lists of dicts or pandas DataFrames; the result is a DataFrame if every
input is one, else a list of dicts. :func:`segment_overlay` is the entry point of
``roadinfra lrs segment`` and the *Segment overlay* algorithm: tables as read (measures in
metres or ``Km12+350``), overlaid and, given calibrated routes, drawn as lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Union

import numpy as np
import pandas as pd

from ..errors import Cancelled, RoadInfraError
from .events import place_events
from .io import parse_measure_columns
from .route import Route

Table = Union[pd.DataFrame, list]


class OverlayError(RoadInfraError):
    """An event table that cannot be overlaid (missing column, empty or overlapping events)."""


class UndrawnSegmentsError(OverlayError):
    """Segments that cannot be drawn on the routes (unknown route, beyond its ends), each
    in ``errors``."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)} segment(s) cannot be drawn on the routes:\n"
                         + "\n".join(f"  {e}" for e in self.errors))


@dataclass
class Segments:
    """Homogeneous segments, one row each, and their lines when drawn on routes."""

    frame: pd.DataFrame
    lines: list | None = None


def _prepare(name: str, table: Table, route: str, start: str, end: str,
             first_row: int) -> pd.DataFrame:
    df = table.copy() if isinstance(table, pd.DataFrame) else pd.DataFrame(list(table))
    for col in (route, start, end):
        if col not in df.columns:
            raise OverlayError(f"table {name}: no column {col!r} (has {list(df.columns)})")
    df = df.reset_index(drop=True)
    df["_row"] = np.arange(len(df)) + first_row
    df[route] = df[route].astype(str)
    for col in (start, end):
        values = pd.to_numeric(df[col], errors="coerce")
        bad = values.isna()
        if bad.any():
            row = int(df.loc[bad, "_row"].iloc[0])
            raise OverlayError(f"table {name} row {row} field {col}: {df.loc[bad, col].iloc[0]!r} "
                               "is not a number of metres")
        df[col] = values.astype(float)
    empty = df[end] <= df[start]
    if empty.any():
        row = int(df.loc[empty, "_row"].iloc[0])
        raise OverlayError(f"table {name} row {row} fields {start}/{end}: event is empty or "
                           "reversed")
    df = df.sort_values([route, start], kind="mergesort").reset_index(drop=True)
    same = df[route].to_numpy()[1:] == df[route].to_numpy()[:-1]
    overlapping = same & (df[start].to_numpy()[1:] < df[end].to_numpy()[:-1] - 1e-9)
    if overlapping.any():
        k = int(np.argmax(overlapping))
        raise OverlayError(
            f"table {name} row {int(df['_row'].iloc[k + 1])} field {start}: event "
            f"{df[start].iloc[k + 1]:g}..{df[end].iloc[k + 1]:g} overlaps row "
            f"{int(df['_row'].iloc[k])} ({df[start].iloc[k]:g}..{df[end].iloc[k]:g}) on route "
            f"{df[route].iloc[k]}")
    return df


def overlay_events(
    tables: Mapping[str, Table],
    route: str = "route",
    start: str = "from_m",
    end: str = "to_m",
    how: str = "intersection",
    first_row: int | Mapping[str, int] = 1,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Table:
    """Homogeneous segments of ``tables`` (name -> events); see the module docstring.

    ``first_row`` is the number of a table's first record in messages (2 for a CSV file
    with a header line), one for all tables or per table name.
    """
    if how not in ("intersection", "union"):
        raise OverlayError(f"how must be 'intersection' or 'union', not {how!r}")
    if len(tables) < 1:
        raise OverlayError("no event tables to overlay")
    frames = {
        name: _prepare(name, t, route, start, end,
                       first_row if isinstance(first_row, int) else first_row.get(name, 1))
        for name, t in tables.items()
    }
    routes = sorted(set().union(*(set(df[route]) for df in frames.values())))
    pieces = []
    for k, code in enumerate(routes):
        if is_cancelled and is_cancelled():
            raise Cancelled("overlay cancelled")
        per_table = {name: df[df[route] == code] for name, df in frames.items()}
        cuts = np.unique(np.concatenate(
            [np.concatenate([d[start].to_numpy(), d[end].to_numpy()]) for d in per_table.values()]))
        if cuts.size < 2:
            continue
        lo, hi = cuts[:-1], cuts[1:]
        mid = (lo + hi) / 2
        covered = {}
        index = {}
        for name, d in per_table.items():
            s = d[start].to_numpy()
            e = d[end].to_numpy()
            i = np.searchsorted(s, mid, side="right") - 1
            ok = (i >= 0) & (e[np.clip(i, 0, None)] > mid) if len(s) else np.zeros(mid.shape, bool)
            covered[name] = ok
            index[name] = np.where(ok, i, -1)
        stack = np.vstack(list(covered.values()))
        keep = stack.all(axis=0) if how == "intersection" else stack.any(axis=0)
        if not keep.any():
            continue
        seg = pd.DataFrame({route: code, start: lo[keep], end: hi[keep]})
        for name, d in per_table.items():
            attrs = d.drop(columns=[route, start, end]).reset_index(drop=True).astype(object)
            attrs.columns = [f"{name}_{c}" if c != "_row" else f"{name}_row" for c in attrs.columns]
            idx = index[name][keep]
            picked = attrs.reindex(np.where(idx >= 0, idx, len(attrs))).reset_index(drop=True)
            seg = pd.concat([seg, picked], axis=1)
        pieces.append(seg)
        if progress:
            progress(100.0 * (k + 1) / len(routes))
    if pieces:
        result = pd.concat(pieces, ignore_index=True)
    else:
        result = pd.DataFrame(columns=[route, start, end])
    result = result.astype(object).where(pd.notna(result), None)
    result[start] = result[start].astype(float)
    result[end] = result[end].astype(float)
    if all(isinstance(t, pd.DataFrame) for t in tables.values()):
        return result
    return result.to_dict("records")


def segment_overlay(
    tables: Mapping[str, pd.DataFrame],
    route: str = "route",
    start: str = "from_m",
    end: str = "to_m",
    how: str = "intersection",
    first_row: int | Mapping[str, int] = 1,
    sources: Mapping[str, str] | None = None,
    routes: Mapping[str, Route] | None = None,
    resolve: Callable[[object], str | None] | None = None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Segments:
    """Overlay event tables as read and, given calibrated ``routes``, draw each segment.

    Measures may be metres or chainages (``Km12+350``); ``sources`` names each table's file
    or layer in messages (default: its name). ``resolve`` turns a segment's route key into
    a route code (:meth:`.network.RouteKeys.resolve`). A segment that cannot be drawn stops
    the run naming every one (:class:`UndrawnSegmentsError`).
    """
    def first(name):
        return first_row if isinstance(first_row, int) else first_row.get(name, 1)

    parsed = {name: parse_measure_columns(pd.DataFrame(table), [start, end],
                                          (sources or {}).get(name, name), first(name))
              for name, table in tables.items()}
    frame = overlay_events(parsed, route, start, end, how, first_row, progress, is_cancelled)
    if routes is None:
        return Segments(frame)
    placed = place_events(routes, frame.to_dict("records"), route, start, end,
                          resolve=resolve, source="segments", is_cancelled=is_cancelled)
    errors = [p.error for p in placed if p.error]
    if errors:
        raise UndrawnSegmentsError(errors)
    return Segments(frame, [p.geometry for p in placed])
