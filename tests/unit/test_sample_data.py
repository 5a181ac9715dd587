"""The sample province: the builder is deterministic, loading gives a complete, valid database."""

from __future__ import annotations

import importlib
import json
import shutil
import sys
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from roadinfra.core.db import open_database
from roadinfra.core.errors import Cancelled
from roadinfra.core.loads.csv_format import TIMEZONE
from roadinfra.core.profile import load_profile
from roadinfra.core.sample_data import (
    FILES,
    SAMPLE_DIR,
    SampleDataError,
    build_demo_database,
)
from shapely.geometry import shape

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
GEOMETRY_TABLES = ("admin_unit", "route", "calibration_point", "pavement_section",
                   "pavement_survey", "bridge", "culvert", "load_station")


def _builder():
    if not (SHARED / "vn_roads_legocity").is_dir():
        pytest.skip(f"real input data not found in {SHARED}")
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        return importlib.import_module("build_sample_data")
    finally:
        sys.path.remove(str(REPO / "scripts"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Two independent builder runs."""
    builder = _builder()
    first = tmp_path_factory.mktemp("build1")
    second = tmp_path_factory.mktemp("build2")
    builder.build(SHARED, first)
    builder.build(SHARED, second)
    return first, second


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "thai_binh.gpkg"
    counts = build_demo_database(path)
    db = open_database(str(path))
    yield db, counts
    db.close()


def test_builder_twice_gives_byte_identical_files(built):
    first, second = built
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert {name for _, name in FILES} | {"weighing_records.csv", "README.md"} == set(names)
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_committed_sample_data_is_what_the_builder_makes(built):
    first, _ = built
    for path in sorted(first.iterdir()):
        committed = SAMPLE_DIR / path.name
        assert committed.is_file(), f"{committed} missing: run scripts/build_sample_data.py"
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed} is out of date: run scripts/build_sample_data.py")


def test_sample_data_is_small_enough_for_git():
    total = sum(p.stat().st_size for p in SAMPLE_DIR.iterdir())
    assert total < 3_000_000


def test_counts_meet_the_issue_minimums(demo_db):
    db, counts = demo_db
    assert counts == {name: db.count(name) for name in counts}
    assert db.count("route") >= 6
    assert db.count("pavement_section") >= 60
    assert db.count("bridge") >= 40
    assert db.count("culvert") >= 80
    assert db.count("load_station") == 3
    assert db.count("weighing_record") == 10000
    surveyed = {s["section_id"] for s in db.fetch("pavement_survey") if s["pci"] is not None}
    assert surveyed == {s["id"] for s in db.fetch("pavement_section")}
    inspections = db.fetch("inspection")
    per_bridge = Counter(i["bridge_id"] for i in inspections if i["bridge_id"])
    assert set(per_bridge) == {b["id"] for b in db.fetch("bridge")}
    assert set(per_bridge.values()) <= {2, 3, 4}
    components = Counter(r["inspection_id"] for r in db.fetch("component_rating"))
    assert all(components[i["id"]] == (4 if i["bridge_id"] else 1) for i in inspections)
    assert db.count("pavement_distress") > db.count("pavement_section")


def test_routes_are_the_real_ql10_and_plausible_others(demo_db):
    db, _ = demo_db
    routes = {r["code"]: r for r in db.fetch("route")}
    assert {"QL10", "QL39"} <= set(routes)
    assert Counter(r["route_class"] for r in routes.values())["QL"] >= 3
    ql10 = routes["QL10"]
    assert 70_000 < ql10["start_m"] < 71_000        # Thai Binh part of QL10 (Km 70+xxx)
    assert 35_000 < ql10["geom"].length < 45_000
    posts = sorted((p["measure_m"], p["geom"]) for p in db.fetch("calibration_point")
                   if p["route_id"] == ql10["id"])
    gaps = [b[1].distance(a[1]) for a, b in zip(posts[1:-1], posts[2:-1])]
    assert all(900 < g < 1100 for g in gaps)         # about a kilometre apart ...
    assert len({round(g) for g in gaps}) > len(gaps) // 2   # ... but irregular


def test_all_geometries_inside_the_province(demo_db):
    db, _ = demo_db
    province = [a for a in db.fetch("admin_unit") if a["level"] == "province"]
    assert len(province) == 1
    assert 1_400e6 < province[0]["geom"].area < 1_600e6   # 1,481 km2 (generalised boundary)
    # 1 cm: district cells end on the province edge, with coordinates rounded to 1 mm.
    polygon = province[0]["geom"].buffer(0.01)
    for name in GEOMETRY_TABLES:
        rows = db.fetch(name)
        assert rows, name
        outside = [r.get("code") or r["id"] for r in rows
                   if r["geom"] is None or not polygon.contains(r["geom"])]
        assert not outside, f"{name}: outside the province: {outside[:5]}"


def test_geojson_files_name_the_provincial_grid():
    epsg = load_profile().crs_epsg
    for _, name in FILES:
        if name.endswith(".geojson"):
            data = json.loads((SAMPLE_DIR / name).read_text(encoding="utf-8"))
            assert data["crs"]["properties"]["name"].endswith(f"EPSG::{epsg}"), name
            assert shape(data["features"][0]["geometry"]).bounds[0] > 500_000, name


def test_vietnamese_names_survive(demo_db):
    db, _ = demo_db
    profile = load_profile()
    names = {a["code"]: a["name"] for a in db.fetch("admin_unit")}
    for district in profile.section("districts"):
        assert names[district["code"]] == district["name_vi"]
    bridges = {b["name"] for b in db.fetch("bridge")}
    assert {"Cầu Tân Đệ", "Cầu Triều Dương"} <= bridges
    assert all(unicodedata.is_normalized("NFC", n) for n in bridges)
    assert "Quốc lộ 10" in {r["name"] for r in db.fetch("route")}


def test_weighing_records_look_like_a_month_of_enforcement(demo_db):
    db, _ = demo_db
    records = db.fetch("weighing_record")
    stations = {s["id"]: s for s in db.fetch("load_station")}
    assert Counter(s["station_type"] for s in stations.values()) == {"FIXED": 2, "MOBILE": 1}
    assert {r["station_id"] for r in records} == set(stations)
    local = [r["weighed_at"].astimezone(TIMEZONE) for r in records]
    assert len({t.date() for t in local}) == 30          # October 2025, local time
    share = sum(r["overloaded"] for r in records) / len(records)
    assert 0.10 <= share <= 0.20
    assert all(len(r["axle_loads_t"]) == r["axle_count"] for r in records[:500])
    assert {r["vehicle_type"] for r in records} == {"truck", "semitrailer", "trailer", "bus"}
    night = [r["overloaded"] for r, t in zip(records, local) if t.hour >= 22 or t.hour < 5]
    day = [r["overloaded"] for r, t in zip(records, local) if 5 <= t.hour < 22]
    assert sum(night) / len(night) > 1.5 * sum(day) / len(day)   # heavier at night


def test_asset_codes_follow_type_district_number(demo_db):
    db, _ = demo_db
    districts = set(load_profile().district_codes)
    for name, prefix in (("bridge", "BR"), ("culvert", "CU"), ("pavement_section", "PS"),
                         ("load_station", "LS")):
        for row in db.fetch(name):
            kind, district, number = row["code"].split("-")
            assert (kind, len(number)) == (prefix, 3)
            assert district == row["district_code"] and district in districts


def test_inspections_are_histories_in_the_past(demo_db):
    db, _ = demo_db
    dates = [date.fromisoformat(str(i["inspection_date"])) for i in db.fetch("inspection")]
    assert min(dates).year >= 2016 and max(dates) <= date(2025, 11, 1)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE_DIR, target)
    return target


def test_bad_cell_names_file_line_and_column(tmp_path):
    sample = _copy(tmp_path)
    path = sample / "inspection.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("overall_rating")] = "tốt"
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SampleDataError) as err:
        build_demo_database(tmp_path / "out" / "x.gpkg", sample)
    text = str(err.value)
    assert "inspection.csv, line 4" in text and "overall_rating" in text
    assert not (tmp_path / "out" / "x.gpkg").exists()
    assert list((tmp_path / "out").iterdir()) == []   # no temporary file left behind


def test_wrong_crs_is_refused(tmp_path):
    sample = _copy(tmp_path)
    path = sample / "bridge.geojson"
    path.write_text(path.read_text(encoding="utf-8").replace("EPSG::9209", "EPSG::4326"),
                    encoding="utf-8")
    with pytest.raises(SampleDataError, match=r"bridge\.geojson: crs .*4326"):
        build_demo_database(tmp_path / "x.gpkg", sample)


def test_missing_file_is_named(tmp_path):
    sample = _copy(tmp_path)
    (sample / "culvert.geojson").unlink()
    with pytest.raises(SampleDataError, match="culvert.geojson"):
        build_demo_database(tmp_path / "x.gpkg", sample)


def test_failed_rebuild_keeps_the_existing_database(tmp_path):
    target = tmp_path / "thai_binh.gpkg"
    target.write_bytes(b"previous database")
    sample = _copy(tmp_path)
    (sample / "weighing_records.csv").write_text(
        "station_code,weighed_at,vehicle_type,axle_count,axle_loads_t,axle_spacings_m,gross_t\n"
        "LS-999-001,2025-10-01T01:00:00+07:00,truck,2,5.00;9.00,4.50,14.00\n",
        encoding="utf-8")
    with pytest.raises(SampleDataError, match="line 2: column 'station_code'"):
        build_demo_database(target, sample)
    assert target.read_bytes() == b"previous database"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sample", "thai_binh.gpkg"]


def test_cancel_stops_loading(tmp_path):
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled, match="cancelled"):
        build_demo_database(tmp_path / "x.gpkg", is_cancelled=cancelled)
    assert list(tmp_path.iterdir()) == []


def test_broken_json_names_file_and_line(tmp_path):
    sample = _copy(tmp_path)
    path = sample / "culvert.geojson"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")  # a truncated download
    with pytest.raises(SampleDataError, match=r"culvert\.geojson, line \d+, column \d+: "
                                              r"not valid JSON"):
        build_demo_database(tmp_path / "x.gpkg", sample)


def test_bad_utf8_names_file_and_line(tmp_path):
    sample = _copy(tmp_path)
    path = sample / "inspection.csv"
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b",", "Kênh".encode("cp1258") + b",", 1)  # Windows-1258
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(SampleDataError, match=r"inspection\.csv, line 5: not UTF-8 text"):
        build_demo_database(tmp_path / "x.gpkg", sample)


def test_row_refused_by_the_schema_names_the_file(tmp_path):
    sample = _copy(tmp_path)
    path = sample / "bridge.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    code = data["features"][5]["properties"]["code"]
    data["features"][5]["properties"]["year_built"] = 1700
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SampleDataError) as err:
        build_demo_database(tmp_path / "x.gpkg", sample)
    assert str(err.value) == (f"{path}: bridge {code}: field 'year_built' = 1700 is below "
                              f"the minimum 1850")


def test_bad_weighing_row_of_no_single_column_is_named_by_line(tmp_path):
    sample = _copy(tmp_path)
    path = sample / "weighing_records.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "")  # a blank line between two records
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SampleDataError) as err:
        build_demo_database(tmp_path / "x.gpkg", sample)
    assert str(err.value) == f"{path}, line 3: empty line (1 bad row(s))"
