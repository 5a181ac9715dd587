"""Seeded synthetic weighing records in the CSV format of :mod:`.csv_format`.

For benchmarks, tests and demos when no station export is at hand. Vehicle layouts are
typical Vietnamese heavy vehicles (axle spacings of 4x2 / 6x4 / 8x4 rigid trucks, tractors
with one-, two- and three-axle semi-trailers, truck-trailer combinations, two-axle buses);
gross weights mix empty, legally loaded and overloaded vehicles. Not measured data.
Fully vectorised: a million rows take a few seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence, Union

import numpy as np
import pandas as pd

from . import csv_format as fmt

# (vehicle_type, spacings in m, share of gross per axle, empty t, legal gross t, mix weight)
_LAYOUTS = (
    ("truck", (4.2,), (0.36, 0.64), 5.0, 16.0, 0.20),
    ("truck", (4.4, 1.30), (0.26, 0.37, 0.37), 9.0, 24.0, 0.18),
    ("truck", (1.95, 4.3, 1.35), (0.19, 0.19, 0.31, 0.31), 12.0, 30.0, 0.10),
    ("semitrailer", (3.6, 7.8), (0.25, 0.40, 0.35), 10.0, 26.0, 0.04),
    ("semitrailer", (3.4, 1.30, 7.4), (0.19, 0.27, 0.27, 0.27), 13.0, 34.0, 0.07),
    ("semitrailer", (3.3, 1.30, 6.6, 1.31), (0.15, 0.21, 0.21, 0.215, 0.215), 15.0, 40.0, 0.12),
    ("semitrailer", (3.3, 1.30, 6.1, 1.31, 1.31), (0.13, 0.18, 0.18, 0.17, 0.17, 0.17),
     16.0, 40.0, 0.09),
    ("trailer", (4.8, 3.8, 4.2), (0.20, 0.32, 0.24, 0.24), 11.0, 30.0, 0.04),
    ("trailer", (4.2, 1.30, 4.0, 4.5), (0.15, 0.22, 0.22, 0.205, 0.205), 15.0, 45.0, 0.03),
    ("bus", (6.0,), (0.35, 0.65), 11.0, 16.0, 0.13),
)

DEFAULT_STATIONS = ("LS-QL10-01", "LS-QL10-02", "LS-DT452-01")


def generate_frame(n: int, seed: int = 20250314, stations: Sequence[str] = DEFAULT_STATIONS,
                   start: str = "2025-03-01", days: int = 30,
                   overload_share: float = 0.15) -> pd.DataFrame:
    """``n`` records as a DataFrame of CSV text columns (:data:`csv_format.COLUMNS`)."""
    rng = np.random.default_rng(seed)
    weights = np.array([layout[5] for layout in _LAYOUTS])
    kind = rng.choice(len(_LAYOUTS), size=n, p=weights / weights.sum())
    width = fmt.AXLE_COUNT_MAX
    loads = np.zeros((n, width))
    spacings = np.zeros((n, width - 1))
    vtype = np.empty(n, dtype=object)
    axles = np.zeros(n, dtype=np.int64)
    state = rng.random(n)  # < 0.25 empty, < 1 - overload_share legal, else overloaded
    for k, (name, spc, share, empty, legal, _) in enumerate(_LAYOUTS):
        idx = np.flatnonzero(kind == k)
        m = idx.shape[0]
        if m == 0:
            continue
        s = state[idx]
        gross = np.where(
            s < 0.25, empty * rng.uniform(0.95, 1.1, m),
            np.where(s < 1.0 - overload_share, rng.uniform(0.55, 1.0, m) * legal,
                     legal * rng.uniform(1.0, 1.6, m)))
        noise = rng.normal(1.0, 0.05, (m, len(share)))
        part = np.asarray(share) * noise
        loads[idx, : len(share)] = gross[:, None] * part / part.sum(axis=1, keepdims=True)
        spacings[idx, : len(spc)] = np.asarray(spc) + rng.uniform(-0.04, 0.04, (m, len(spc)))
        # keep designed group spacings on their side of the 2.0 m grouping limit
        spacings[idx, : len(spc)] = np.where(np.asarray(spc) < 2.0,
                                             np.minimum(spacings[idx, : len(spc)], 1.99),
                                             spacings[idx, : len(spc)])
        vtype[idx] = name
        axles[idx] = len(share)
    loads = np.round(loads, fmt.LOAD_DECIMALS)
    spacings = np.round(spacings, fmt.SPACING_DECIMALS)
    # day-time peak: hours drawn from a two-hump profile
    t0 = np.datetime64(start, "s")
    day = rng.integers(0, days, n)
    hour = np.mod(rng.normal(np.where(rng.random(n) < 0.5, 9.5, 15.5), 3.0), 24.0)
    local = t0 + (day * 86400 + (hour * 3600).astype(np.int64)).astype("timedelta64[s]")
    order = np.argsort(local, kind="stable")
    text = {
        "station_code": np.asarray(stations, dtype=object)[rng.integers(0, len(stations), n)],
        "weighed_at": np.char.add(np.datetime_as_string(local, unit="s"), fmt.UTC_OFFSET),
        "vehicle_type": vtype,
        "axle_count": axles,
        "axle_loads_t": _join(loads, axles, fmt.LOAD_DECIMALS),
        "axle_spacings_m": _join(spacings, axles - 1, fmt.SPACING_DECIMALS),
        "gross_t": np.round(loads.sum(axis=1), fmt.LOAD_DECIMALS),
        "lane": rng.integers(1, 3, n),
        "direction": np.where(rng.random(n) < 0.5, "up", "down"),
    }
    frame = pd.DataFrame(text, columns=list(fmt.COLUMNS))
    return frame.iloc[order].reset_index(drop=True)


def _join(values: np.ndarray, counts: np.ndarray, decimals: int) -> np.ndarray:
    """Row-wise ``;``-join of the first ``counts[i]`` values (text formatting, not a hot path)."""
    pattern = f"%.{decimals}f"
    sep = fmt.LIST_SEPARATOR
    used = values[:, : max(int(counts.max()), 1)] if len(counts) else values
    return np.array([sep.join([pattern % x for x in row[:k]])
                     for row, k in zip(used.tolist(), counts.tolist())], dtype=object)


def write_csv(path: Union[str, Path], n: int, seed: int = 20250314, **kwargs) -> Path:
    """Write ``n`` synthetic records to ``path`` (UTF-8, header, csv_format columns)."""
    path = Path(path)
    frame = generate_frame(n, seed=seed, **kwargs)
    frame.to_csv(path, index=False, encoding=fmt.ENCODING, float_format=f"%.{fmt.LOAD_DECIMALS}f")
    return path
