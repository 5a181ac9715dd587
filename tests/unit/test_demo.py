"""``roadinfra demo``: builds the sample GeoPackage from any working directory, says what it did."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from roadinfra.core.cli import main
from roadinfra.core.db import open_database


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """The installed command, run from an unrelated folder with the default --output."""
    cwd = tmp_path_factory.mktemp("somewhere")
    proc = subprocess.run([sys.executable, "-m", "roadinfra.core.cli", "demo"], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    return cwd, proc


def test_demo_builds_default_output_in_working_directory(demo_run):
    cwd, proc = demo_run
    assert proc.returncode == 0, proc.stderr
    assert (cwd / "output" / "thai_binh.gpkg").is_file()
    assert (cwd / "output" / "summary.json").is_file()
    assert "Demo database built" in proc.stdout
    assert "Quốc lộ" not in proc.stderr
    assert "Cầu" not in proc.stderr


def test_summary_json_is_sane(demo_run):
    cwd, _ = demo_run
    summary = json.loads((cwd / "output" / "summary.json").read_text(encoding="utf-8"))
    rows = summary["rows"]
    with open_database(str(cwd / "output" / "thai_binh.gpkg")) as db:
        for name in ("route", "pavement_section", "bridge", "culvert", "weighing_record"):
            assert rows[name] == db.count(name)
    assert rows["weighing_record"] == 10000 and rows["bridge"] >= 40
    pavement = summary["pavement"]
    assert sum(c["count"] for c in pavement["pci_classes"]) == pavement["sections"] >= 60
    assert pavement["not_surveyed"]["pci"]["count"] == 0
    assert 0 < pavement["mean_pci"] < 100
    assert sum(summary["bridges"]["by_condition"].values()) == rows["bridge"]
    assert summary["bridges"]["by_condition"]["none"] == 0
    loads = summary["loads"]
    assert loads["records"] == 10000 and len(loads["stations"]) == 3
    assert 10.0 <= loads["overloaded_share_pct"] <= 20.0
    assert summary["replaced_existing"] is False


def test_demo_ends_with_a_stored_optimal_plan_its_reports_and_curve(demo_run):
    cwd, proc = demo_run
    out = cwd / "output"
    plan = json.loads((out / "summary.json").read_text(encoding="utf-8"))["plan"]
    methods = plan["methods"]
    assert set(methods) == {"optimal", "greedy", "worst-first"}
    for row in methods.values():  # the same money: every method within the yearly budgets
        assert 0 < row["cost_vnd"] <= 5 * 30e9
    assert methods["optimal"]["benefit"] >= methods["greedy"]["benefit"] \
        > methods["worst-first"]["benefit"]
    gain = methods["optimal"]["benefit"] / methods["greedy"]["benefit"] - 1
    assert plan["optimal_over_greedy"] == pytest.approx(gain, abs=1e-6)
    assert f"buys {gain:.1%} more benefit than incremental benefit-cost" in proc.stdout
    assert 0 <= plan["proven_gap"] <= 0.005
    with open_database(str(out / "thai_binh.gpkg")) as db:
        (stored,) = db.fetch("maintenance_plan", where={"code": plan["code"]})
        items = db.fetch("plan_item", where={"plan_id": stored["id"]})
    assert stored["status"] == "draft" and len(items) == plan["items"] == methods["optimal"][
        "items"]
    assert sum(i["cost_vnd"] for i in items) == pytest.approx(plan["cost_vnd"], abs=len(items))
    assert (out / "budget_curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from openpyxl import load_workbook

    book = load_workbook(out / "reports.xlsx")
    assert "plan_cost" in book.sheetnames and "plan_items" in book.sheetnames
    cost = book["plan_cost"]
    total_row = [r for r in cost.iter_rows(values_only=True) if r[0] == "Tổng"]
    assert total_row and total_row[0][-1] == pytest.approx(plan["cost_vnd"], abs=len(items))


def test_rebuild_replaces_atomically_and_says_so(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["demo", "--output", str(out), "--no-plan"]) == 0
    first = capsys.readouterr().out
    assert "Demo database built" in first and "Tốt" in first
    assert main(["demo", "--output", str(out), "--json", "--no-plan"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["replaced_existing"] is True
    assert summary == json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in out.iterdir()) == ["summary.json", "thai_binh.gpkg"]


def test_output_that_is_a_file_is_refused(tmp_path, capsys):
    blocker = tmp_path / "output"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["demo", "--output", str(blocker)]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_missing_sample_data_is_a_user_error(tmp_path, capsys):
    assert main(["demo", "--output", str(tmp_path / "o"), "--sample-data",
                 str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "sample data incomplete" in err and "build_sample_data.py" in err


def test_output_folder_that_cannot_be_made_is_a_user_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    # a folder below a file: mkdir fails (as root too, unlike a read-only folder)
    assert main(["demo", "--output", str(blocker / "output")]) == 2
    assert f"{blocker / 'output'}: cannot write the database here" in capsys.readouterr().err
