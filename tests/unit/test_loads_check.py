"""Axle-load and gross-weight checks at every boundary of Circular 46/2015/TT-BGTVT art. 16-17.

Every case goes through the CSV text (written with csv_format.format_row) so that the
metre/tonne parsing is part of what is tested, not only the comparisons.
"""

from __future__ import annotations

import csv
from datetime import datetime

import numpy as np
import pytest
from roadinfra.core.loads import csv_format as fmt
from roadinfra.core.loads.check import KINDS, check_file
from roadinfra.core.loads.limits import load_limits
from roadinfra.core.loads.synthetic import write_csv
from roadinfra.core.profile import PROFILES_DIR

WHEN = datetime(2025, 3, 14, 9, 30)


def check_rows(tmp_path, rows, profile=None):
    """rows: (vehicle_type, loads_t, spacings_m); returns the results frame (one per row)."""
    path = tmp_path / "records.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(fmt.COLUMNS)
        for vtype, loads, spacings in rows:
            writer.writerow(fmt.format_row("LS-TEST-01", WHEN, vtype, loads, spacings))
    checked = check_file(path, profile=profile)
    assert checked.records.errors == []
    return checked.results_frame()


def split(total_t: float, parts: int) -> list:
    """``parts`` loads of 0.01 t precision summing exactly to ``total_t``."""
    cents = int(round(total_t * 100))
    base = cents // parts
    loads = [base] * parts
    loads[-1] += cents - base * parts
    return [c / 100 for c in loads]


# (spacing m, legal limit t): Circular 46/2015 art. 16.2 -- d < 1.0; 1.0 <= d < 1.3; d >= 1.3
TANDEM_CASES = [(0.50, 11.0), (0.99, 11.0), (1.00, 16.0), (1.29, 16.0), (1.30, 18.0),
                (1.31, 18.0), (1.99, 18.0)]


@pytest.mark.parametrize("spacing,limit", TANDEM_CASES)
@pytest.mark.parametrize("extra", [0.0, 0.01])
def test_tandem_boundaries(tmp_path, spacing, limit, extra):
    # truck, steer axle 5 t at 4.0 m, then the tandem: gross stays below 24 t
    loads = [5.0] + split(limit + extra, 2)
    res = check_rows(tmp_path, [("truck", loads, [4.0, spacing])]).iloc[0]
    assert res["governing_limit"] == "tandem 2-3"
    assert res["governing_limit_t"] == limit
    assert res["governing_load_t"] == pytest.approx(limit + extra)
    assert bool(res["overloaded"]) is (extra > 0)
    assert res["overload_pct"] == pytest.approx(100 * extra / limit, abs=1e-3)


# art. 16.3 -- d <= 1.3 m: 21 t; d > 1.3 m: 24 t; unequal spacings: the smaller one governs
TRIDEM_CASES = [((1.00, 1.00), 21.0), ((1.29, 1.29), 21.0), ((1.30, 1.30), 21.0),
                ((1.31, 1.31), 24.0), ((1.31, 1.30), 21.0), ((1.30, 1.31), 21.0),
                ((1.99, 1.31), 24.0)]


@pytest.mark.parametrize("spacings,limit", TRIDEM_CASES)
@pytest.mark.parametrize("extra", [0.0, 0.01])
def test_tridem_boundaries(tmp_path, spacings, limit, extra):
    # semitrailer with 5 axles: steer 5 t | 3.5 m | drive 6 t | 6.0 m | tridem; gross < 40 t
    loads = [5.0, 6.0] + split(limit + extra, 3)
    res = check_rows(tmp_path, [("semitrailer", loads, [3.5, 6.0, *spacings])]).iloc[0]
    assert res["governing_limit"] == "tridem 3-5"
    assert res["governing_limit_t"] == limit
    assert bool(res["overloaded"]) is (extra > 0)
    assert res["overload_pct"] == pytest.approx(100 * extra / limit, abs=1e-3)


@pytest.mark.parametrize("extra", [0.0, 0.01])
def test_single_axle_boundary(tmp_path, extra):
    res = check_rows(tmp_path, [("truck", [4.0, 10.0 + extra], [4.5])]).iloc[0]
    assert res["governing_limit"] == "single 2"
    assert res["governing_limit_t"] == 10.0
    assert bool(res["overloaded"]) is (extra > 0)


@pytest.mark.parametrize("spacing,grouped", [(1.99, True), (2.00, False), (2.01, False)])
def test_group_spacing_boundary(tmp_path, spacing, grouped):
    # 10.5 t + 7 t: a legal tandem (17.5 <= 18 t) but an overloaded single axle (10.5 > 10 t)
    res = check_rows(tmp_path, [("truck", [4.0, 10.5, 7.0], [4.0, spacing])]).iloc[0]
    if grouped:
        assert res["governing_limit"] == "tandem 2-3"
        assert not res["overloaded"]
    else:
        assert res["governing_limit"] == "single 2"
        assert res["overloaded"]
        assert res["overload_pct"] == pytest.approx(5.0)


def test_run_of_four_axles_splits_into_tridem_and_single(tmp_path):
    loads = [5.0, 7.0, 7.0, 7.0, 10.01]
    res = check_rows(tmp_path, [("semitrailer", loads, [3.5, 1.3, 1.3, 1.3])]).iloc[0]
    assert res["governing_limit"] == "single 5"
    assert res["overloaded"]
    legal = check_rows(tmp_path, [("semitrailer", [5.0, 7.0, 7.0, 7.0, 10.0],
                                   [3.5, 1.3, 1.3, 1.3])]).iloc[0]
    assert not legal["overloaded"]  # tridem 21 t at d = 1.3 m is legal, single 10 t too


GROSS_CASES = [(vtype, count) for vtype in fmt.VEHICLE_TYPES
               for count in (2, 3, 4, 5, 6, 12)
               if not (vtype in ("semitrailer", "trailer") and count == 2)
               # 45 t on 3 or 4 legal single axles is impossible: the axles govern there
               and not (vtype == "trailer" and count in (3, 4))]


@pytest.mark.parametrize("vtype,count", GROSS_CASES)
@pytest.mark.parametrize("extra", [0.0, 0.01])
def test_gross_boundaries(tmp_path, vtype, count, extra):
    limits = load_limits()
    limit = limits.gross_kg[fmt.VEHICLE_TYPES.index(vtype), count] / 1000
    expected = {"truck": [16, 24, 30, 34], "bus": [16, 24, 30, 34],
                "semitrailer": [None, 26, 34, 40], "trailer": [None, 45, 45, 45]}[vtype]
    assert limit == expected[min(count, 5) - 2]
    # all axles single (3 m apart) and well under 10 t, so the gross check governs
    loads = split(limit + extra, count)
    res = check_rows(tmp_path, [(vtype, loads, [3.0] * (count - 1))]).iloc[0]
    assert res["governing_limit"] == "gross"
    assert res["governing_limit_t"] == limit
    assert bool(res["overloaded"]) is (extra > 0)


def test_truck_trailer_is_checked_against_the_45_t_total_not_a_rigid_truck_limit(tmp_path):
    # 2-axle truck (6 + 9.5 t) pulling a 1-axle trailer (9.5 t): 25 t, every axle legal (art. 17.3)
    res = check_rows(tmp_path, [("trailer", [6.0, 9.5, 9.5], [4.0, 4.5])]).iloc[0]
    assert not res["overloaded"]
    assert res["governing_limit"] != "gross"


def test_no_gross_limit_for_two_axle_semitrailer(tmp_path):
    res = check_rows(tmp_path, [("semitrailer", [9.0, 9.5], [3.5])]).iloc[0]
    assert res["governing_limit"] == "single 2"
    assert not res["overloaded"]


def test_governing_is_highest_ratio(tmp_path):
    # single 10.5/10 = 1.05 ; gross 17.0/16 = 1.0625 -> gross governs with 6.25 %
    res = check_rows(tmp_path, [("truck", [6.5, 10.5], [4.5])]).iloc[0]
    assert res["governing_limit"] == "gross"
    assert res["overload_pct"] == pytest.approx(6.25)


def test_tolerance_from_profile(tmp_path):
    text = (PROFILES_DIR / "thai_binh.toml").read_text(encoding="utf-8")
    assert "tolerance_pct = 0.0" in text
    profile = tmp_path / "tolerant.toml"
    profile.write_text(text.replace("tolerance_pct = 0.0", "tolerance_pct = 5.0"),
                       encoding="utf-8")
    res = check_rows(tmp_path, [("truck", [4.0, 10.5], [4.5]), ("truck", [4.0, 10.51], [4.5])],
                     profile=profile)
    assert list(res["overloaded"]) == [False, True]
    assert res["overload_pct"].iloc[0] == pytest.approx(5.0)  # still against the legal limit


@pytest.mark.parametrize("old, new, words", [
    # bands out of order: the 18 t band would swallow every spacing >= 1.0 m ... silently
    ("tandem = [{ max_spacing_m = 1.0, limit_t = 11.0 }, { max_spacing_m = 1.3, limit_t = 16.0 }",
     "tandem = [{ max_spacing_m = 1.3, limit_t = 16.0 }, { max_spacing_m = 1.0, limit_t = 11.0 }",
     "[loads.tandem]: max_spacing_m must increase"),
    ("tridem = [{ max_spacing_m = 1.3,", "tridem = [{ max_spacing_m = \"1,3\",",
     "[loads.tridem]: not a number: '1,3'"),
    ('"5+" = 45.0', '"13" = 45.0', "[loads.gross_t.trailer]: axle count '13' outside 2..12"),
    ("group_spacing_max_m = 2.0", "group_spacing_max_m = -2.0",
     "[loads.group_spacing_max_m]: must be positive"),
    ("tolerance_pct = 0.0", "tolerance_pct = -5.0", "[loads.tolerance_pct]: must not be negative"),
])
def test_bad_limits_in_the_profile_name_file_and_key(tmp_path, old, new, words):
    from roadinfra.core.profile import ProfileError

    text = (PROFILES_DIR / "thai_binh.toml").read_text(encoding="utf-8")
    assert old in text
    profile = tmp_path / "bad.toml"
    profile.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_limits(profile)
    assert str(info.value).startswith(f"{profile}: ") and words in str(info.value)


# ------------------------------------------------------------------ reference cross-check
def reference_check(limits, vtype, loads_kg, spacings_mm, gross):
    """Plain per-vehicle implementation of the rules, written independently of check.py."""
    checks = []  # (ratio, over, label, limit)
    i = 0
    n = len(loads_kg)
    while i < n:
        j = i
        while j + 1 < n and spacings_mm[j] < limits.group_spacing_max_mm and j - i < 2:
            j += 1
        size = j - i + 1
        load = sum(loads_kg[i:j + 1])
        if size == 1:
            limit = limits.single_kg
        else:
            d = min(spacings_mm[i:j])
            bands = limits.tandem if size == 2 else limits.tridem
            limit = next(b.limit_kg for b in bands if b.upper_mm is None
                         or (d <= b.upper_mm if b.inclusive else d < b.upper_mm))
        label = f"{KINDS[size - 1]} {i + 1}" + (f"-{j + 1}" if j > i else "")
        checks.append((load / limit, load > limit, label, limit))
        i = j + 1
    gross_limit = limits.gross_kg[fmt.VEHICLE_TYPES.index(vtype), n]
    if gross_limit:  # the weighed gross (the CSV's gross_t), not the sum of the axles
        checks.append((gross / gross_limit, gross > gross_limit, "gross", gross_limit))
    best = max(checks, key=lambda c: c[0])  # max() keeps the first of equal ratios
    return best[0], any(c[1] for c in checks), best[2], best[3]


def test_matches_reference_on_synthetic_records(tmp_path):
    path = write_csv(tmp_path / "synthetic.csv", 20000, seed=7)
    checked = check_file(path)
    rec, res = checked.records, checked.result
    assert len(rec) == 20000
    labels = res.governing_labels()
    limits = checked.limits
    mismatches = 0
    for i in range(len(rec)):
        n = int(rec.axle_count[i])
        gross_kg = int(rec.gross_kg[i])
        loads = [int(v) for v in rec.loads_kg[i, :n]]
        ratio, over, label, limit = reference_check(
            limits, fmt.VEHICLE_TYPES[rec.vehicle_type[i]], loads,
            [int(v) for v in rec.spacings_mm[i, :n - 1]], gross_kg)
        if (ratio, over, label, limit) != (res.ratio[i], res.overloaded[i], labels[i],
                                           res.limit_kg[i]):
            mismatches += 1
    assert mismatches == 0
    share = res.overloaded.mean()
    assert 0.05 < share < 0.5  # the generator mixes legal and overloaded vehicles
    assert set(np.unique(res.kind)) == {0, 1, 2, 3}
