"""Summaries of checked weighing records: whole-file summary and daily statistics per station."""

from __future__ import annotations

from typing import Any, Dict

import numpy as np
import pandas as pd

from . import csv_format as fmt
from .check import KINDS, CheckResult
from .esal import local_days
from .records import WeighingRecords


def _pct(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 3) if whole else 0.0


def summary(records: WeighingRecords, result: CheckResult, esal: np.ndarray) -> Dict[str, Any]:
    """Counts for the whole file (JSON-ready): rows, rejected, overloaded, governing kinds."""
    n = len(records)
    over = result.overloaded
    pct = result.overload_pct
    by_kind = np.bincount(result.kind[over], minlength=len(KINDS)) if n else np.zeros(4, int)
    by_type = {}
    for i, vtype in enumerate(fmt.VEHICLE_TYPES):
        mask = records.vehicle_type == i
        count = int(mask.sum())
        by_type[vtype] = {"vehicles": count, "overloaded": int(over[mask].sum()),
                          "overloaded_pct": _pct(int(over[mask].sum()), count)}
    return {
        "file": records.path,
        "rows": records.rows_read,
        "checked": n,
        "rejected": records.rejected_rows,
        "overloaded": int(over.sum()),
        "overloaded_pct": _pct(int(over.sum()), n),
        "axle_overloaded": int(result.axle_overloaded.sum()),
        "gross_overloaded": int(result.gross_overloaded.sum()),
        "overloaded_by_governing_limit": {k: int(by_kind[i]) for i, k in enumerate(KINDS)},
        "by_vehicle_type": by_type,
        "max_overload_pct": round(float(pct.max()), 3) if n else 0.0,
        "esal_total": round(float(esal.sum()), 3),
        "stations": [str(s) for s in records.station_codes],
    }


def daily_station_stats(records: WeighingRecords, result: CheckResult,
                        esal: np.ndarray) -> pd.DataFrame:
    """One row per station and local day (UTC+07:00).

    Columns: station_code, date, vehicles, overloaded, overloaded_pct, max_overload_pct,
    esal, then ``vehicles_<type>`` and ``overloaded_<type>`` for each vehicle type.
    """
    frame = pd.DataFrame({
        "station": records.station,
        "date": local_days(records),
        "vehicles": 1,
        "overloaded": result.overloaded.astype(np.int64),
        "overload_pct": result.overload_pct,
        "esal": esal,
    })
    for i, vtype in enumerate(fmt.VEHICLE_TYPES):
        is_type = records.vehicle_type == i
        frame[f"vehicles_{vtype}"] = is_type.astype(np.int64)
        frame[f"overloaded_{vtype}"] = (is_type & result.overloaded).astype(np.int64)
    sums = [c for c in frame.columns if c not in ("station", "date", "overload_pct")]
    agg = {c: "sum" for c in sums}
    agg["overload_pct"] = "max"
    out = frame.groupby(["station", "date"], sort=True).agg(agg).reset_index()
    out.insert(0, "station_code", records.station_codes[out["station"].to_numpy()]
               if len(out) else pd.Series(dtype=object))
    out["overloaded_pct"] = np.where(out["vehicles"] > 0,
                                     100.0 * out["overloaded"] / out["vehicles"].clip(lower=1), 0)
    out = out.rename(columns={"overload_pct": "max_overload_pct"})
    ordered = ["station_code", "date", "vehicles", "overloaded", "overloaded_pct",
               "max_overload_pct", "esal"]
    ordered += [c for c in out.columns if c.startswith(("vehicles_", "overloaded_"))
                and c != "overloaded_pct"]
    out["date"] = pd.to_datetime(out["date"]).dt.strftime("%Y-%m-%d")
    return out[ordered]
