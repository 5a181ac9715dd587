"""The sheets of a plan atlas (core): every item on exactly one sheet, sheets in order, tables
that fit the template, totals that add up to the plan, one-line errors."""

from collections import Counter

import pytest
from roadinfra.core.db import open_database
from roadinfra.core.planning.store import build_plan
from roadinfra.core.printing.plan_sheets import PlanSheetsError, number_text, plan_atlas
from roadinfra.core.sample_data import build_demo_database


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    path = tmp_path_factory.mktemp("sheets") / "tb.gpkg"
    build_demo_database(path)
    _, info = build_plan(path, 30e9, 2027, 3, method="greedy")
    with open_database(path) as db:
        items = db.fetch("plan_item", where={"plan_id": info["plan_id"]})
    return path, info, items


@pytest.mark.parametrize("by", ["area", "route", "item"])
def test_every_item_on_exactly_one_sheet(planned, by):
    path, info, items = planned
    atlas = plan_atlas(path, info["code"], by, "vi", rows_per_sheet=12)
    on_sheets = Counter(r.item_id for s in atlas.sheets for r in s.rows)
    assert set(on_sheets) == {str(i["id"]) for i in items}
    assert set(on_sheets.values()) == {1}
    assert all(1 <= len(s.rows) <= 12 for s in atlas.sheets)
    assert atlas.sheet_count == len(atlas.sheets) + 1
    assert atlas.sheet_label(2) == f"Tờ 2/{atlas.sheet_count}"
    if by == "area":
        for sheet in atlas.sheets:
            assert {r.district_code for r in sheet.rows} == {sheet.key}
    if by == "item":
        assert len(atlas.sheets) == len(items)
    for sheet in atlas.sheets:
        minx, miny, maxx, maxy = sheet.extent
        for row in sheet.rows:   # what the table lists is on the sheet's map
            gx0, gy0, gx1, gy1 = row.geom.bounds
            assert minx <= gx0 and gx1 <= maxx and miny <= gy0 and gy1 <= maxy


def test_rows_and_totals(planned):
    path, info, items = planned
    atlas = plan_atlas(path, "latest", "route", "vi")
    assert atlas.plan_code == info["code"]
    row = atlas.items[0]
    item = next(i for i in items if str(i["id"]) == row.item_id)
    assert row.km_from.startswith("Km") and "+" in row.km_from
    assert row.cost == number_text(item["cost_vnd"] / 1e6, 1, "vi")
    total_row = atlas.totals[-1]
    assert total_row[0] == "Tổng cộng" and int(total_row[1]) == len(items)
    assert total_row[-1] == number_text(sum(i["cost_vnd"] for i in items) / 1e6, 1, "vi")
    assert atlas.totals_header[2:-1] == [str(y) for y in atlas.years]
    assert atlas.status == "Dự thảo"   # the plan_status label, not the code
    english = plan_atlas(path, "latest", "area", "en")
    assert english.status == "Draft"
    assert english.sheet_label(1).startswith("Sheet 1/")
    assert english.totals[-1][0] == "Total"


def test_number_text():
    assert number_text(1234567.85, 1, "vi") == "1.234.567,9"
    assert number_text(1234567.85, 1, "en") == "1,234,567.9"


def test_errors_are_one_line(planned, tmp_path):
    path, _, _ = planned
    with pytest.raises(PlanSheetsError, match=r"no plan 'MP-1999-01' \(plans: MP-2027-"):
        plan_atlas(path, "MP-1999-01")
    with pytest.raises(PlanSheetsError, match="--by 'district'"):
        plan_atlas(path, "latest", "district")
    empty = tmp_path / "empty.gpkg"
    build_demo_database(empty)
    with pytest.raises(PlanSheetsError, match="no maintenance plan is stored"):
        plan_atlas(empty, "latest")


def test_long_treatments_take_two_lines(planned):
    path, _, items = planned
    narrow = plan_atlas(path, "latest", "route", "vi", rows_per_sheet=6, wrap_chars=10)
    for sheet in narrow.sheets:
        lines = sum(2 if len(r.treatment) > 10 else 1 for r in sheet.rows)
        assert lines <= 6 or len(sheet.rows) == 1
    assert sum(len(s.rows) for s in narrow.sheets) == len(items)
