"""Standard reports: tables from rows, and the XLSX and CSV files read back cell by cell."""

import csv
import datetime as dt
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from roadinfra.core.cli import main
from roadinfra.core.db import create_database
from roadinfra.core.planning.store import build_plan
from roadinfra.core.profile import load_profile
from roadinfra.core.reports.build import database_reports
from roadinfra.core.reports.tables import network_condition, overloads, structures_condition
from roadinfra.core.reports.xlsx import write_xlsx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.support.rows import example_rows  # noqa: E402


def test_network_condition_by_hand():
    routes = [{"id": "r1", "route_class": "QL"}, {"id": "r2", "route_class": "DT"}]
    sections = [{"id": "a", "route_id": "r1", "from_m": 0, "to_m": 1500},
                {"id": "b", "route_id": "r1", "from_m": 1500, "to_m": 2000},
                {"id": "c", "route_id": "r2", "from_m": 0, "to_m": 250}]
    surveys = [{"section_id": "a", "survey_date": "2020-01-01", "pci": 30.0},
               {"section_id": "a", "survey_date": "2024-01-01", "pci": 90.0},  # latest: Good
               {"section_id": "c", "survey_date": "2024-01-01", "pci": 41.0}]  # Poor
    table = network_condition(routes, sections, surveys, load_profile(), "en")
    ql, dt_, total = table.rows
    assert (ql["route_class"], ql["band_0"], ql["none"], ql["total"]) == (
        "National road", 1.5, 0.5, 2.0)
    assert (dt_["route_class"], dt_["band_3"]) == ("Provincial road", 0.25)
    assert (total["route_class"], total["total"]) == ("Total", 2.25)


def test_structures_and_overloads_by_hand():
    bridges = [{"id": "b1"}, {"id": "b2"}]
    inspections = [{"bridge_id": "b1", "inspection_date": "2024-01-01", "scheme": "nbi",
                    "overall_rating": 8}]
    table = structures_condition(bridges, [], inspections, "en")
    assert table.rows[0] == {"structure": "Bridges", "good": 1, "fair": 0, "poor": 0,
                             "none": 1, "total": 2}
    utc = dt.timezone.utc
    weighings = [  # 2025-10-31 18:00 UTC is 1 November in Vietnam
        {"station_id": "s", "weighed_at": dt.datetime(2025, 10, 31, 18, tzinfo=utc),
         "overloaded": True},
        {"station_id": "s", "weighed_at": dt.datetime(2025, 10, 31, 16, tzinfo=utc),
         "overloaded": False},
        {"station_id": "s", "weighed_at": dt.datetime(2025, 10, 2, tzinfo=utc),
         "overloaded": True}]
    rows = overloads([{"id": "s", "code": "LS-1"}], weighings, "en").rows
    assert [(r["month"], r["vehicles"], r["overloaded"], r["share"]) for r in rows] == [
        ("2025-10", 2, 1, 0.5), ("2025-11", 1, 1, 1.0)]


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "tb.gpkg"
    db = create_database(path)
    rows = example_rows()
    with db.transaction():
        for name in ("admin_unit", "route", "pavement_section", "pavement_survey", "bridge",
                     "culvert", "inspection", "load_station", "weighing_record"):
            db.insert(name, [rows[name]], user="test")
    db.close()
    return path


def test_xlsx_and_csv_read_back(database, tmp_path):
    _, stored = build_plan(database, 2e10, 2025, years=2)
    tables = database_reports(database, stored["code"], "vi")
    assert [t.key for t in tables] == ["network_condition", "structures_condition", "overloads",
                                       "plan_cost", "plan_items", "plan_progress"]
    path = write_xlsx(tables, tmp_path / "reports.xlsx", "vi")
    book = load_workbook(path)
    assert book.sheetnames == [t.key for t in tables]
    net = book["network_condition"]
    assert net["A1"].value.startswith("Chiều dài mạng lưới") and net["A1"].font.bold
    assert [c.value for c in net[3]][:3] == ["Loại đường", "Tốt (km)", "Khá (km)"]
    assert net["A4"].value == "Quốc lộ"
    # the example section (1.5 km of QL10) has PCI 68.5: "Trung bình" (Fair, 55-70)
    assert (net["D4"].value, net["D4"].number_format) == (1.5, "#,##0.00")
    assert net["A5"].value == "Tổng" and net["A5"].font.bold and net["J5"].value == 1.5
    assert len(net._charts) == 1
    structures = book["structures_condition"]
    # the example bridge: NBI 6 -> fair; the culvert has no inspection
    assert [c.value for c in structures[4]] == ["Cầu", 0, 1, 0, 0, 1]
    assert [c.value for c in structures[5]] == ["Cống", 0, 0, 0, 1, 1]
    loads = book["overloads"]
    assert [c.value for c in loads[4]] == ["LS-344-01", "2024-03", 1, 1, 1.0]
    assert loads["E4"].number_format == "0.0%"
    cost = book["plan_cost"]
    total_row = cost.max_row - 2  # the note follows a blank row
    assert cost.cell(row=total_row, column=1).value == "Tổng"
    items = book["plan_items"]
    costs = [items.cell(row=r, column=10).value for r in range(4, items.max_row + 1)]
    assert cost.cell(row=total_row, column=cost.max_column).value == pytest.approx(sum(costs))
    assert main(["report", "--db", str(database), "--plan", stored["code"], "--lang", "en",
                 "--csv", str(tmp_path / "csv")]) == 0
    with open(tmp_path / "csv" / "structures_condition.csv", encoding="utf-8-sig") as handle:
        assert list(csv.reader(handle))[:2] == [
            ["Structure", "Good", "Fair", "Poor", "Not inspected", "Total"],
            ["Bridges", "0", "1", "0", "0", "1"]]
