"""Vectorised axle-load and gross-weight checks of weighing records.

Axles are grouped front to rear: an axle joins the group of the axle before it when their
spacing is below ``group_spacing_max_m`` and the group has fewer than three axles. A group of
one is checked against the single-axle limit, two against the tandem bands (its one spacing),
three against the tridem bands (the smaller of its two spacings). The gross weight is checked
against the table for the vehicle type and axle count. The governing limit is the check with
the highest load/limit ratio (ties: the first check, front to rear, gross last).
All loads are integer kilograms and spacings integer millimetres: comparisons are exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..errors import Cancelled
from . import csv_format as fmt
from .limits import LoadLimits
from .records import WeighingRecords

#: Codes of ``CheckResult.kind`` and their names in ``governing_limit`` texts.
KINDS = ("single", "tandem", "tridem", "gross")
SINGLE, TANDEM, TRIDEM, GROSS = range(4)
_NO_SPACING = np.iinfo(np.int32).max


@dataclass
class CheckResult:
    """Per-record results, aligned with the :class:`WeighingRecords` arrays."""

    overloaded: np.ndarray  # bool: some check exceeds its (tolerance-adjusted) limit
    axle_overloaded: np.ndarray  # bool: an axle or axle group exceeds its limit
    gross_overloaded: np.ndarray  # bool: the gross weight exceeds its limit
    ratio: np.ndarray  # float64, governing load / limit
    kind: np.ndarray  # int8, index into KINDS
    first_axle: np.ndarray  # int8, 1-based first axle of the governing group (0 for gross)
    last_axle: np.ndarray  # int8, 1-based last axle (0 for gross)
    limit_kg: np.ndarray  # int32, governing limit
    load_kg: np.ndarray  # int32, load compared with the governing limit

    def __len__(self) -> int:
        return int(self.ratio.shape[0])

    @property
    def overload_pct(self) -> np.ndarray:
        """(ratio - 1) * 100 where the governing ratio exceeds 1, else 0."""
        return np.where(self.ratio > 1.0, (self.ratio - 1.0) * 100.0, 0.0)

    def governing_labels(self) -> np.ndarray:
        """Texts such as ``"tandem 2-3"``, ``"single 1"`` or ``"gross"`` (for output only)."""
        key = (self.kind.astype(np.int64) * 256 + self.first_axle) * 256 + self.last_axle
        unique, inverse = np.unique(key, return_inverse=True)
        texts = []
        for k in unique.tolist():  # a few dozen distinct labels at most
            kind, first, last = k // 65536, (k // 256) % 256, k % 256
            if kind == GROSS:
                texts.append(KINDS[kind])
            elif first == last:
                texts.append(f"{KINDS[kind]} {first}")
            else:
                texts.append(f"{KINDS[kind]} {first}-{last}")
        return np.asarray(texts, dtype=object)[inverse]


def check_records(
    records: WeighingRecords,
    limits: LoadLimits,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> CheckResult:
    """Check every record against ``limits``; vectorised over records, looped over axles."""
    count = records.axle_count.astype(np.int64)
    n = count.shape[0]
    width = int(count.max()) if n else 1  # axle positions in use
    loads = records.loads_kg[:, :width].astype(np.int64)
    spacings = records.spacings_mm[:, : max(width - 1, 0)].astype(np.int64)

    best = np.full(n, -1.0)
    kind = np.zeros(n, dtype=np.int8)
    first = np.zeros(n, dtype=np.int8)
    last = np.zeros(n, dtype=np.int8)
    limit_out = np.zeros(n, dtype=np.int32)
    load_out = np.zeros(n, dtype=np.int32)
    axle_over = np.zeros(n, dtype=bool)

    def consider(mask, load, limit, code, first_axle, last_axle):
        # load and limit are integers below 1e6 kg: IEEE division is correctly rounded, so
        # equal fractions give equal floats and different ones (>= 1e-12 apart) never collide
        ratio = load / limit
        better = np.zeros(n, dtype=bool)
        better[mask] = ratio > best[mask]
        sub = better[mask]
        best[better] = ratio[sub]
        kind[better] = code
        first[better] = first_axle[sub] if np.ndim(first_axle) else first_axle
        last[better] = last_axle[sub] if np.ndim(last_axle) else last_axle
        limit_out[better] = limit[sub]
        load_out[better] = load[sub]
        return load > limits.allowed_kg(limit)

    group_load = loads[:, 0].copy() if n else np.zeros(0, dtype=np.int64)
    group_size = np.ones(n, dtype=np.int64)
    group_spacing = np.full(n, _NO_SPACING, dtype=np.int64)
    group_first = np.zeros(n, dtype=np.int64)
    for j in range(1, width + 1):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled("load check cancelled")
        if j < width:
            spacing = spacings[:, j - 1]
            joins = (j < count) & (spacing < limits.group_spacing_max_mm) & (group_size < 3)
        else:
            spacing = np.zeros(n, dtype=np.int64)
            joins = np.zeros(n, dtype=bool)
        closes = ~joins & (j - 1 < count)  # the group ending at axle j - 1 (0-based) is complete
        for size, code in ((1, SINGLE), (2, TANDEM), (3, TRIDEM)):
            mask = closes & (group_size == size)
            if not mask.any():
                continue
            limit = limits.group_limit_kg(size, group_spacing[mask])
            over = consider(mask, group_load[mask], limit, code,
                            group_first[mask] + 1, np.full(limit.shape, j))
            axle_over[mask] |= over
        if j < width:
            group_load = np.where(joins, group_load + loads[:, j], loads[:, j])
            group_spacing = np.where(joins, np.minimum(group_spacing, spacing), _NO_SPACING)
            group_first = np.where(joins, group_first, j)
            group_size = np.where(joins, group_size + 1, 1)
        if progress is not None:
            progress(90.0 * j / width)

    gross_limit = limits.gross_kg[records.vehicle_type.astype(np.int64),
                                  np.clip(count, 0, fmt.AXLE_COUNT_MAX)]
    has_gross = gross_limit > 0
    gross_over = np.zeros(n, dtype=bool)
    gross = records.gross_kg.astype(np.int64)
    gross_over[has_gross] = consider(has_gross, gross[has_gross], gross_limit[has_gross], GROSS,
                                     0, 0)
    if progress is not None:
        progress(100.0)
    return CheckResult(
        overloaded=axle_over | gross_over,
        axle_overloaded=axle_over,
        gross_overloaded=gross_over,
        ratio=best,
        kind=kind,
        first_axle=first,
        last_axle=last,
        limit_kg=limit_out,
        load_kg=load_out,
    )


@dataclass
class FileCheck:
    """Everything ``roadinfra loads check`` computes for one file."""

    records: WeighingRecords
    limits: LoadLimits
    result: CheckResult
    esal: np.ndarray  # float64 ESAL per record

    def results_frame(self):
        """One row per checked record (pandas DataFrame), column names as in weighing_record."""
        import pandas as pd

        rec, res = self.records, self.result
        return pd.DataFrame({
            "line": rec.line,
            "station_code": rec.station_code_of(),
            "weighed_at": fmt.format_times(rec.weighed_at).astype(object),
            "vehicle_type": np.asarray(fmt.VEHICLE_TYPES, dtype=object)[rec.vehicle_type],
            "axle_count": rec.axle_count,
            "gross_t": rec.gross_kg / fmt.KG_PER_T,
            "overloaded": res.overloaded,
            "governing_limit": res.governing_labels(),
            "governing_limit_t": res.limit_kg / fmt.KG_PER_T,
            "governing_load_t": res.load_kg / fmt.KG_PER_T,
            "overload_pct": np.round(res.overload_pct, 3),
            "esal": np.round(self.esal, 4),
        })


    def report_frame(self):
        """:meth:`results_frame` plus one row per rejected data row (``error`` filled),
        sorted by line: every data row of the file appears once."""
        import pandas as pd

        frame = self.results_frame()
        frame["error"] = ""
        errors = self.records.errors
        if errors:
            bad = pd.DataFrame({
                "line": [e.row for e in errors],
                "error": [f"column {e.field}: {e.message}" if e.field else e.message
                          for e in errors],
            })
            frame = pd.concat([frame, bad], ignore_index=True)
            frame = frame.sort_values("line", kind="stable").reset_index(drop=True)
            frame["axle_count"] = frame["axle_count"].astype("Int64")
            frame["overloaded"] = frame["overloaded"].astype("boolean")
        return frame


def check_file(
    path,
    profile=None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> FileCheck:
    """Read, validate and check a weighing-record CSV against a profile (id, path or object)."""
    from .limits import load_limits
    from .records import read_records

    limits = load_limits(profile)  # a bad profile is said before the file is read
    records = read_records(path, progress=_part(progress, 0, 70), is_cancelled=is_cancelled)
    return check_weighing(records, limits, progress=_part(progress, 70, 100),
                          is_cancelled=is_cancelled)


def check_weighing(
    records: WeighingRecords,
    profile=None,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> FileCheck:
    """Check weighing records already read (:func:`.records.read_records` for a CSV file,
    :func:`.records.records_from_rows` for a table or a layer) against a profile (id, path,
    object, or its :class:`LoadLimits`): the one check of every face."""
    from .esal import vehicle_esal
    from .limits import load_limits

    limits = profile if isinstance(profile, LoadLimits) else load_limits(profile)
    result = check_records(records, limits, progress=_part(progress, 0, 90),
                           is_cancelled=is_cancelled)
    esal = vehicle_esal(records, limits.standard_axle_kn, limits.esal_exponent,
                        limits.kn_per_tonne)
    if progress is not None:
        progress(100.0)
    return FileCheck(records, limits, result, esal)


def _part(progress: Callable[[float], None] | None, lo: float, hi: float):
    """``progress`` mapped onto lo..hi (None stays None)."""
    if progress is None:
        return None
    return lambda pct: progress(lo + (hi - lo) * pct / 100.0)
