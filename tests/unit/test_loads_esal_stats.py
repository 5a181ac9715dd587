"""ESAL per vehicle, per station-day and per route section; daily statistics; the CLI."""

from __future__ import annotations

import json

import pytest
from roadinfra.core.cli import main
from roadinfra.core.loads import csv_format as fmt
from roadinfra.core.loads.check import check_file
from roadinfra.core.loads.esal import (
    SectionError,
    StationLocation,
    esal_per_section,
    station_esal_per_day,
    vehicle_esal,
)
from roadinfra.core.loads.records import read_records
from roadinfra.core.loads.stats import daily_station_stats, summary
from roadinfra.core.profile import PROFILES_DIR, load_profile
from roadinfra.core.schema import table

HEADER = ",".join(fmt.COLUMNS)
ROWS = [
    # 14 March local: 2 vehicles at station 01 (one just before midnight), one overloaded
    "LS-01,2025-03-14T08:00:00+07:00,truck,2,6.00;10.00,4.50,16.00,1,up",
    "LS-01,2025-03-14T23:59:59+07:00,truck,2,6.00;11.00,4.50,17.00,1,up",
    # 15 March local: midnight exactly, and 17:30 UTC on the 14th = 00:30 on the 15th
    "LS-01,2025-03-15T00:00:00+07:00,bus,2,5.00;9.00,6.00,14.00,1,down",
    "LS-01,2025-03-14T17:30:00Z,semitrailer,5,5.00;8.00;8.00;8.00;8.00,3.40;1.31;6.00;1.31,37.00,2,down",
    "LS-02,2025-03-15T10:00:00+07:00,truck,3,6.00;9.00;9.00,4.40;1.30,24.00,1,up",
]


@pytest.fixture()
def records_csv(tmp_path):
    path = tmp_path / "weigh.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def axle(t, n=4.0):
    return (t * 9.80665 / 100.0) ** n


def test_vehicle_esal_fourth_power_per_axle(records_csv):
    rec = read_records(records_csv)
    esal = vehicle_esal(rec, 100.0, 4.0)
    assert esal[0] == pytest.approx(axle(6) + axle(10))
    assert esal[3] == pytest.approx(axle(5) + 4 * axle(8))
    # two axles of 100 kN (10.197 t) are two standard axles (was a check of the test helper)
    standard = records_csv.with_name("standard.csv")
    standard.write_text(f"{HEADER}\nLS-01,2025-03-14T08:00:00+07:00,truck,2,10.197;10.197,"
                        "4.50,20.394,1,up\n", encoding="utf-8")
    assert vehicle_esal(read_records(standard), 100.0, 4.0)[0] == pytest.approx(2.0, abs=5e-4)
    squared = vehicle_esal(rec, 80.0, 2.0)
    assert squared[0] == pytest.approx((6 * 9.80665 / 80) ** 2 + (10 * 9.80665 / 80) ** 2)
    with pytest.raises(SectionError):
        vehicle_esal(rec, 0.0, 4.0)


def test_daily_stats_use_local_days(records_csv):
    checked = check_file(records_csv)
    daily = daily_station_stats(checked.records, checked.result, checked.esal)
    got = {(r.station_code, r.date): r for r in daily.itertuples()}
    assert set(got) == {("LS-01", "2025-03-14"), ("LS-01", "2025-03-15"),
                        ("LS-02", "2025-03-15")}
    day1 = got[("LS-01", "2025-03-14")]
    assert (day1.vehicles, day1.overloaded, day1.overloaded_pct) == (2, 1, 50.0)
    assert day1.max_overload_pct == pytest.approx(10.0)  # 11 t single axle (gross 17/16 = 6.25 %)
    assert day1.vehicles_truck == 2 and day1.overloaded_truck == 1
    day2 = got[("LS-01", "2025-03-15")]
    assert (day2.vehicles, day2.overloaded, day2.vehicles_bus, day2.vehicles_semitrailer) == (
        2, 0, 1, 1)
    assert day2.esal == pytest.approx(axle(5) + axle(9) + axle(5) + 4 * axle(8))
    info = summary(checked.records, checked.result, checked.esal)
    assert info["overloaded"] == 1 and info["checked"] == 5
    assert info["overloaded_by_governing_limit"]["single"] == 1


def test_station_esal_per_day(records_csv):
    checked = check_file(records_csv)
    per_day = station_esal_per_day(checked.records, checked.esal)
    assert per_day["LS-01"] == pytest.approx(checked.esal[:4].sum() / 2)  # two local days
    assert per_day["LS-02"] == pytest.approx(checked.esal[4])


STATIONS = [StationLocation("LS-01", "QL10", 12_000.0), StationLocation("LS-02", "QL10", 30_000.0),
            StationLocation("LS-03", "DT452", 5_000.0)]
PER_DAY = {"LS-01": 100.0, "LS-02": 300.0, "LS-03": 50.0}


def test_esal_per_section_within_nearest_and_missing():
    sections = [
        {"route_id": "QL10", "from_m": 10_000, "to_m": 13_000, "district_code": "338"},
        {"route_id": "QL10", "from_m": 10_000, "to_m": 31_000},  # both inside: mean
        {"route_id": "QL10", "from_m": 20_000, "to_m": 22_000},  # nearest: LS-01 (8 km)
        {"route_id": "QL10", "from_m": 22_000, "to_m": 25_000},  # nearest: LS-02 (5 km)
        {"route_id": "QL39", "from_m": 0, "to_m": 1_000},  # no station on the route
    ]
    rows = esal_per_section(sections, STATIONS, PER_DAY, 2025)
    assert [r["esal_per_day"] for r in rows] == [100.0, 200.0, 100.0, 300.0]
    assert rows[0]["district_code"] == "338" and rows[0]["year"] == 2025
    assert "nearest, 8000 m" in rows[2]["source"]
    columns = set(table("traffic_loading").column_names)
    assert all(set(r) <= columns for r in rows)
    near = esal_per_section(sections[2:4], STATIONS, PER_DAY, 2025, max_distance_m=6_000)
    assert [r["from_m"] for r in near] == [22_000]


def test_bad_section():
    with pytest.raises(SectionError, match="section 1"):
        esal_per_section([{"route_id": "QL10", "from_m": 5, "to_m": 5}], STATIONS, PER_DAY, 2025)
    with pytest.raises(SectionError, match="section 1"):
        esal_per_section([{"route_id": "QL10", "from_m": "x", "to_m": 5}], STATIONS, PER_DAY,
                         2025)


def test_cli_check_json_and_output(records_csv, tmp_path, capsys):
    van = "LS-01,2025-03-15T10:00:00+07:00,van,2,1;1,3,2,,\n"
    records_csv.write_text(records_csv.read_text(encoding="utf-8") + van, encoding="utf-8")
    out_csv = tmp_path / "results.csv"
    assert main(["loads", "check", str(records_csv), "--json", "-o", str(out_csv)]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["rows"], info["checked"], info["rejected"], info["overloaded"]) == (6, 5, 1, 1)
    assert info["errors"] == [{"file": str(records_csv), "row": 7, "field": "vehicle_type",
                               "message": "unknown vehicle type 'van' (expected truck, "
                                          "semitrailer, trailer, bus)"}]
    lines = out_csv.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("line,station_code,weighed_at,vehicle_type,axle_count")
    assert lines[2].startswith("3,LS-01,2025-03-14T23:59:59+07:00,truck,2,17.0,True,single 2,")
    assert lines[6].startswith("7,") and "unknown vehicle type" in lines[6]


def test_cli_text_stats_and_esal(records_csv, tmp_path, capsys):
    assert main(["loads", "check", str(records_csv)]) == 0
    assert "5 checked, 0 rejected" in capsys.readouterr().out
    assert main(["loads", "stats", str(records_csv), "--json"]) == 0
    days = json.loads(capsys.readouterr().out)["days"]
    assert len(days) == 3
    stations = tmp_path / "stations.csv"
    stations.write_text("code,route_id,chainage_m\nLS-01,QL10,12000\nLS-02,QL10,30000\n")
    sections = tmp_path / "sections.csv"
    sections.write_text("route_id,from_m,to_m\nQL10,0,15000\nQL10,25000,40000\nDT1,0,10\n")
    out = tmp_path / "loading.csv"
    assert main(["loads", "esal", str(records_csv), "--stations", str(stations),
                 "--sections", str(sections), "--year", "2025", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "1 section(s) without a station" in text
    assert out.read_text().splitlines()[0] == (
        "route_id,from_m,to_m,year,aadt,heavy_pct,esal_per_day,source,district_code")
    assert main(["loads", "check", str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv: file not found" in capsys.readouterr().err


def test_a_station_at_two_locations_is_refused():
    twice = STATIONS + [StationLocation("LS-01", "DT452", 9_000.0)]
    with pytest.raises(SectionError, match="LS-01 is given at two locations: QL10 12000 m "
                                           "and DT452 9000 m"):
        esal_per_section([{"route_id": "DT452", "from_m": 0, "to_m": 1_000}], twice, PER_DAY,
                         2025)
    # a station without records does not matter; the same location twice is no conflict
    assert esal_per_section([{"route_id": "QL10", "from_m": 0, "to_m": 1_000}],
                            STATIONS + [StationLocation("LS-09", "QL10", 1.0),
                                        StationLocation("LS-09", "QL39", 2.0), STATIONS[0]],
                            PER_DAY, 2025)[0]["esal_per_day"] == 100.0


@pytest.mark.parametrize("stations_text, sections_text, message", [
    ("code,route_id,chainage_m\nLS-01,QL10,12000\nLS-01,QL39,500\n",
     "route_id,from_m,to_m\nQL39,0,1000\n",
     "stations.csv: line 3, column code: station 'LS-01' is already on line 2"),
    ("code,route_id,chainage_m\nLS-01,,12000\n", "route_id,from_m,to_m\nQL10,0,1000\n",
     "stations.csv: line 2, column route_id: empty"),
    ("code,route_id,chainage_m\nLS-01,QL10,12000\n",
     "route_id,from_m,to_m\nQL10,0,1000\nQL10,15000,14000\n",
     "sections.csv: line 3, column to_m: 14000 is not above from_m 15000"),
])
def test_cli_esal_bad_station_or_section_names_file_line_column(
        records_csv, tmp_path, capsys, stations_text, sections_text, message):
    stations = tmp_path / "stations.csv"
    stations.write_text(stations_text, encoding="utf-8")
    sections = tmp_path / "sections.csv"
    sections.write_text(sections_text, encoding="utf-8")
    assert main(["loads", "esal", str(records_csv), "--stations", str(stations),
                 "--sections", str(sections), "--year", "2025"]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("action", ["check", "stats"])
def test_cli_output_onto_the_input_is_refused(records_csv, capsys, action):
    before = records_csv.read_bytes()
    assert main(["loads", action, str(records_csv), "-o", str(records_csv)]) == 2
    assert "is the input file" in capsys.readouterr().err
    assert records_csv.read_bytes() == before  # the weighing records are still there


def test_kn_per_tonne_from_the_profile_sets_what_a_10_t_axle_counts(tmp_path):
    from roadinfra.core.loads.limits import load_limits

    text = (PROFILES_DIR / "thai_binh.toml").read_text(encoding="utf-8")
    assert load_limits().kn_per_tonne == pytest.approx(9.80665)
    design = tmp_path / "design.toml"
    design.write_text(text.replace("kn_per_tonne = 9.80665", "kn_per_tonne = 10.0"),
                      encoding="utf-8")
    limits = load_limits(load_profile(design))
    assert limits.kn_per_tonne == 10.0
    standard = tmp_path / "standard.csv"
    standard.write_text(
        ",".join(fmt.COLUMNS) + "\n"
        "LS-1,2025-03-14T08:00:00+07:00,truck,2,10.00;10.00,4.50,20.00,1,up\n",
        encoding="utf-8")
    rec = read_records(standard)
    assert vehicle_esal(rec, 100.0, 4.0, limits.kn_per_tonne)[0] == pytest.approx(2.0)
    assert vehicle_esal(rec, 100.0, 4.0)[0] == pytest.approx(2 * 0.980665 ** 4)


def test_esal_sections_lists_every_bad_row_and_bounds_chainage():
    from roadinfra.core.loads.esal import esal_sections

    stations = [(2, "LS-01", "QL10", "12000"), (3, "LS-02", "QL10", 1e308),
                (4, "", "QL10", "5"), (5, "LS-01", "QL39", "7")]
    sections = [(2, "QL10", "0", "1000", None), (3, " ", "x", "-1", "")]
    with pytest.raises(SectionError) as caught:
        esal_sections(stations, sections, PER_DAY, 2025, stations_source="st.csv",
                      sections_source="sec.csv")
    assert caught.value.errors == [
        "st.csv: line 3, column chainage_m: 1e+308 m is outside 0..5e+06 m",
        "st.csv: line 4, column code: empty",
        "st.csv: line 5, column code: station 'LS-01' is already on line 2",
        "sec.csv: line 3, column route_id: empty",
        "sec.csv: line 3, column from_m: not a number: 'x'",
        "sec.csv: line 3, column to_m: -1 m is outside 0..5e+06 m",
    ]
    assert str(caught.value).splitlines() == caught.value.errors


def test_esal_sections_a_station_far_away_gets_no_esal():
    """1e308 m is refused, not 'nearest'; a real one feeds the section and keeps its row."""
    from roadinfra.core.loads.esal import esal_sections

    with pytest.raises(SectionError, match="feature 7, column chainage_m"):
        esal_sections([(7, "LS-01", "QL10", float("1e308"))], [(1, "QL10", 0.0, 10.0, None)],
                      PER_DAY, 2025, row_word="feature")
    result = esal_sections([(7, "LS-01", "QL10", 12_000.0)],
                           [(4, "QL10", 0.0, 10.0, "338"), (9, "QL39", 0.0, 10.0, None)],
                           PER_DAY, 2025)
    assert result.section_rows == [4] and result.without_station == 1
    assert result.rows[0]["district_code"] == "338" and result.rows[0]["esal_per_day"] == 100.0


def test_esal_sections_cancel_raises():
    from roadinfra.core.errors import Cancelled
    from roadinfra.core.loads.esal import esal_sections

    with pytest.raises(Cancelled):
        esal_sections([(2, "LS-01", "QL10", 1.0)], [(2, "QL10", 0.0, 10.0, None)], PER_DAY,
                      2025, is_cancelled=lambda: True)


def test_cli_esal_station_at_1e308_is_an_error(records_csv, tmp_path, capsys):
    stations = tmp_path / "stations.csv"
    stations.write_text("code,route_id,chainage_m\nLS-01,QL10,1e308\n", encoding="utf-8")
    sections = tmp_path / "sections.csv"
    sections.write_text("route_id,from_m,to_m\nQL10,0,1000\n", encoding="utf-8")
    assert main(["loads", "esal", str(records_csv), "--stations", str(stations),
                 "--sections", str(sections), "--year", "2025"]) == 2
    assert "stations.csv: line 2, column chainage_m: 1e+308 m is outside" in \
        capsys.readouterr().err
