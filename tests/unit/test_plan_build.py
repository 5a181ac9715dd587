"""Network plans from records, checked by hand, and a plan stored in a real GeoPackage."""

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from roadinfra.core.cli import main
from roadinfra.core.db import create_database, open_database
from roadinfra.core.planning.errors import PlanningError
from roadinfra.core.planning.network import network_candidates, plan_network
from roadinfra.core.planning.store import build_plan
from roadinfra.core.profile import load_profile

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.support.rows import example_rows  # noqa: E402

SECTION = dict(id="s1", code="PS-1", district_code="344", route_id="r1", from_m=0.0,
               to_m=100.0, surface_type="AC", width_m=10.0, construction_year=2000,
               last_works_year=2015)
SURVEY = dict(section_id="s1", survey_date=dt.date(2027, 1, 1), pci=50.0)
BRIDGE = dict(id="b1", code="BR-1", district_code="344", route_id="r1", chainage_m=500.0,
              length_m=10.0, width_m=10.0)
INSPECTION = dict(bridge_id="b1", culvert_id=None, inspection_date=dt.date(2027, 1, 1),
                  scheme="nbi", overall_rating=4)


def test_pavement_options_by_hand():
    # PCI 50, AC, low traffic, one year: surface treatment +20, overlay to 92, mill and
    # overlay to 96 (routine needs 70+, crack sealing 55+, reconstruction 45-)
    candidates, skipped = network_candidates([SECTION], [SURVEY], [], [], [], [],
                                             load_profile(), 2027, 1)
    found = {c.treatment.code: (c.option.cost, round(c.option.benefit, 6)) for c in candidates}
    assert found == {"SURFACE_TREAT": (120_000 * 1000, 20 * 1000),
                     "OVERLAY": (280_000 * 1000, 42 * 1000),
                     "MILL_OVERLAY": (380_000 * 1000, 46 * 1000)}
    assert skipped == []
    plan = plan_network([SECTION], [SURVEY], [], [], [], [], load_profile(), 3e8, 2027, 1)
    (item,) = plan.chosen
    assert (item.treatment.code, round(item.before, 9), item.after) == ("OVERLAY", 50.0, 92.0)
    assert "PCI 50 forecast for 2027" in item.reason


def test_structure_options_by_hand():
    # NBI 4 -> state 4 of 5; condition index 100 (5 - s) / 4: repair to state 2 gains 50
    # points, strengthening or replacement to state 1 gain 75, on 100 m2 of deck
    candidates, _ = network_candidates([], [], [], [BRIDGE], [], [INSPECTION], load_profile(),
                                       2027, 1)
    found = {c.treatment.code: (c.option.cost, round(c.option.benefit, 6)) for c in candidates}
    assert found == {"BRIDGE_REPAIR": (2_500_000 * 100, 5000.0),
                     "BRIDGE_STRENGTHEN": (9_000_000 * 100, 7500.0),
                     "BRIDGE_REPLACE": (30_000_000 * 100, 7500.0)}


def test_left_out_assets_and_nothing_to_do():
    profile = load_profile()
    no_width = dict(SECTION, width_m=None)
    _, skipped = network_candidates([no_width], [], [], [BRIDGE], [], [], profile, 2027, 2)
    assert skipped == ["pavement_section PS-1: no width, no area to price works on",
                       "bridge BR-1: no rated inspection"]
    good = dict(SURVEY, pci=100.0)
    with pytest.raises(PlanningError, match="no asset needs any treatment"):
        plan_network([SECTION], [good], [], [], [], [], profile, 1e9, 2027, 1)


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "tb.gpkg"
    db = create_database(path)
    rows = example_rows()
    with db.transaction():
        for name in ("admin_unit", "route", "pavement_section", "pavement_survey", "bridge",
                     "culvert", "inspection", "traffic_loading"):
            db.insert(name, [rows[name]], user="test")
    db.close()
    return path


def test_build_stores_a_draft_plan_with_items(database, capsys):
    result, stored = build_plan(database, 2e10, 2025, years=3)
    assert stored["code"] == "MP-2025-01" and stored["items"] == len(result.chosen) > 0
    with open_database(database) as db:
        (plan,) = db.fetch("maintenance_plan")
        assert (plan["status"], plan["plan_year"], plan["budget_vnd"]) == ("draft", 2025, 6e10)
        assert plan["method"] == "optimal (horizon)"
        items = db.fetch("plan_item", where={"plan_id": plan["id"]})
    assert sorted(i["target_table"] for i in items) == sorted(c.table for c in result.chosen)
    assert sum(i["cost_vnd"] for i in items) == pytest.approx(result.plan.cost, abs=len(items))
    assert sorted(i["priority"] for i in items) == list(range(1, len(items) + 1))
    section_items = [i for i in items if i["target_table"] == "pavement_section"]
    for item in section_items:
        assert (item["from_m"], item["to_m"], item["unit"]) == (1000.0, 2500.0, "m2")
        assert item["geom"] is not None
    assert main(["plan", "build", "--db", str(database), "--budget", "2e10", "--first-year",
                 "2025", "--years", "3", "--compare", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["stored"]["code"] == "MP-2025-02"
    assert [c["method"] for c in out["comparison"]] == ["optimal", "greedy", "worst-first"]
    assert main(["plan", "build", "--db", str(database), "--budget", "2e10", "--first-year",
                 "2025", "--dry-run"]) == 0
    with open_database(database) as db:
        assert db.count("maintenance_plan") == 2


def test_plan_life_and_revisions(database, capsys):
    from roadinfra.core.planning.lifecycle import revise_plan, set_plan_status

    _, stored = build_plan(database, 2e10, 2025, years=2)
    code = stored["code"]
    with pytest.raises(PlanningError, match="is draft: it can become \\['submitted'\\]"):
        set_plan_status(database, code, "approved")
    with pytest.raises(PlanningError, match="only approved or closed plans are revised"):
        revise_plan(database, code)
    assert set_plan_status(database, code, "submitted")["status"] == "submitted"
    assert main(["plan", "status", code, "approved", "--db", str(database)]) == 0
    with pytest.raises(PlanningError, match="revise it to change it"):
        set_plan_status(database, code, "draft")
    revised = revise_plan(database, code)
    assert (revised["code"], revised["status"]) == (f"{code}-R2", "draft")
    assert main(["plan", "revise", code, "--db", str(database)]) == 0
    assert f"{code}-R3" in capsys.readouterr().out
    with open_database(database) as db:
        old = db.fetch("maintenance_plan", where={"code": code})[0]
        new = db.fetch("maintenance_plan", where={"code": f"{code}-R2"})[0]
        before = db.fetch("plan_item", where={"plan_id": old["id"]})
        after = db.fetch("plan_item", where={"plan_id": new["id"]})
        assert old["status"] == "approved"
        assert sorted((i["treatment"], i["cost_vnd"]) for i in before) == sorted(
            (i["treatment"], i["cost_vnd"]) for i in after)
        assert [h["operation"] for h in db.history("maintenance_plan", old["id"])] == [
            "INSERT", "UPDATE", "UPDATE"]


def test_budget_curve_of_a_database(database, tmp_path):
    from roadinfra.core.planning.store import database_curve

    png = tmp_path / "curve.png"
    points = database_curve(database, 1e9, 2025, years=2, factors=(0.5, 1, 2), png=png)
    assert [p.budget for p in points] == [1e9, 2e9, 4e9]
    optimal = [p.benefit["optimal"] for p in points]
    assert optimal == sorted(optimal)
    assert all(p.benefit["optimal"] >= p.benefit["greedy"] - 1e-6 for p in points)
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_hazards_from_the_database_inspections(database):
    from roadinfra.core.db import open_database
    from roadinfra.core.planning.store import database_hazards

    rows = example_rows()
    later = {k: v for k, v in rows["inspection"].items() if k != "id"}
    later.update(inspection_date="2026-06-20", overall_rating=5)
    with open_database(database) as db:
        db.insert("inspection", [later], user="test")
    # NBI 6 (2024) then 5 (2026): both state 3 of 5 (fair); only state 3 is informed
    with pytest.raises(PlanningError, match=r"state\(s\) \[1, 2, 4\]"):
        database_hazards(database)
