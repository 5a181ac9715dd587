"""SYNTHETIC load-control stations and weighing records (the load-control CSV format).

Vehicle mix, axle configurations and loading states are drawn per record; overloading
is more frequent at night (22:00-05:00), as enforcement reports describe. Gross limits
come from the profile ([loads.gross_t]); the loads module decides what is overloaded.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Dict, List, Sequence

import numpy as np
from roadinfra.core.loads.csv_format import COLUMNS, TIMEZONE, format_row

from .network import Route, district_of
from .records import stable_id

# (route, chainage fraction, type, name, equipment, operator, commissioned, share, days)
STATIONS = (
    ("QL10", 0.42, "FIXED", "Trạm kiểm tra tải trọng xe QL10 - Đông Hưng",
     "Cân tĩnh 4 bàn cân + cân động WIM", "Cục Đường bộ Việt Nam", "2017-06-15", 0.46, 30),
    ("QL39", 0.78, "FIXED", "Trạm kiểm tra tải trọng xe QL39 - Thái Thụy",
     "Cân tĩnh 2 bàn cân", "Sở Giao thông Vận tải tỉnh Thái Bình", "2019-03-01", 0.36, 30),
    ("QL37", 0.35, "MOBILE", "Trạm kiểm tra tải trọng xe lưu động số 1",
     "Cân xách tay 4 tấm", "Thanh tra Sở Giao thông Vận tải", "2021-09-20", 0.18, 12),
)
FIRST_DAY = datetime(2025, 10, 1, tzinfo=TIMEZONE)
DAYS = 30

# (vehicle_type, axle spacings m (mean), load shares per axle when loaded, empty t, share)
CONFIGS = (
    ("truck", (4.6,), (0.36, 0.64), 4.8, 0.30),
    ("truck", (4.4, 1.32), (0.26, 0.37, 0.37), 8.5, 0.17),
    ("truck", (1.95, 4.5, 1.32), (0.17, 0.17, 0.33, 0.33), 12.0, 0.10),
    ("semitrailer", (3.6, 7.6, 1.31), (0.17, 0.33, 0.25, 0.25), 13.0, 0.06),
    ("semitrailer", (3.4, 1.33, 7.2, 1.31), (0.14, 0.215, 0.215, 0.215, 0.215), 15.5, 0.12),
    ("semitrailer", (3.4, 1.33, 6.8, 1.31, 1.31), (0.12, 0.19, 0.19, 0.167, 0.167, 0.166),
     16.5, 0.09),
    ("trailer", (4.8, 3.4, 4.0), (0.2, 0.3, 0.25, 0.25), 11.0, 0.04),
    ("bus", (5.9,), (0.38, 0.62), 9.5, 0.09),
    ("bus", (6.1, 1.4), (0.3, 0.35, 0.35), 12.5, 0.03),
)


def station_rows(routes: Sequence[Route], districts) -> List[Dict]:
    by_code = {r.spec.code: r for r in routes}
    rows, counters = [], {}
    for route_code, frac, kind, name, equipment, operator, commissioned, _, _ in STATIONS:
        r = by_code[route_code]
        m = round(r.start_m + frac * (r.end_m - r.start_m), 0)
        point = r.chainage.point(m)
        district = district_of(point, districts)
        counters[district] = counters.get(district, 0) + 1
        code = f"LS-{district}-{counters[district]:03d}"
        rows.append({
            "id": stable_id("load_station", code), "code": code, "district_code": district,
            "name": name, "route_id": r.id, "chainage_m": m, "station_type": kind,
            "equipment": equipment, "operator": operator, "commissioned": commissioned,
            "geom": point,
        })
    return rows


def _gross_limit(vehicle: str, axles: int, gross_limits: Dict) -> float:
    table = gross_limits.get(vehicle) or gross_limits["truck"]
    key = str(axles) if str(axles) in table else "5+"
    return float(table.get(key, max(table.values())))


def weighing_rows(stations: Sequence[Dict], gross_limits: Dict, rng,
                  total: int = 10000) -> List[List[str]]:
    """CSV rows (load-control format), sorted by station then time."""
    shares = np.array([s[7] for s in STATIONS])
    counts = np.floor(shares / shares.sum() * total).astype(int)
    counts[0] += total - counts.sum()
    probs = np.array([c[4] for c in CONFIGS])
    probs = probs / probs.sum()
    rows = []
    for station, spec, count in zip(stations, STATIONS, counts):
        days = np.sort(rng.choice(DAYS, size=spec[8], replace=False))
        records = []
        for _ in range(int(count)):
            day = int(rng.choice(days))
            night = rng.random() < 0.38
            hour = (22.0 + rng.uniform(0, 7)) % 24 if night else rng.uniform(5, 22)
            moment = FIRST_DAY + timedelta(days=day, seconds=int(hour * 3600))
            vehicle, spacing, load_shares, empty, _ = CONFIGS[rng.choice(len(CONFIGS), p=probs)]
            axles = len(load_shares)
            limit = _gross_limit(vehicle, axles, gross_limits)
            if vehicle == "bus":
                gross = float(rng.uniform(0.7, 1.0)) * min(limit, 16.0 + 6.0 * (axles - 2))
            else:
                state = rng.random()
                over_p = 0.24 if night else 0.09
                if state < over_p:
                    gross = limit * (1.0 + float(rng.gamma(2.0, 0.09)))
                elif state < over_p + 0.22:
                    gross = empty * float(rng.uniform(0.95, 1.1))
                else:
                    gross = float(rng.uniform(max(empty * 1.2, 0.45 * limit), 0.99 * limit))
            weights = np.array(load_shares) * rng.lognormal(0.0, 0.06, size=axles)
            loads = gross * weights / weights.sum()
            spacings = [max(1.0, s + float(rng.normal(0.0, 0.04 if s < 2 else 0.15)))
                        for s in spacing]
            records.append((moment, vehicle, loads, spacings))
        records.sort(key=lambda rec: rec[0])
        for moment, vehicle, loads, spacings in records:
            lane = int(rng.integers(1, 3))
            direction = "up" if rng.random() < 0.5 else "down"
            rows.append(format_row(station["code"], moment, vehicle, loads.tolist(), spacings,
                                   lane=lane, direction=direction))
    return rows


HEADER = COLUMNS
