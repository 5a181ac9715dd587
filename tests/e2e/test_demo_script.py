"""``bash scripts/demo.sh`` as the README gives it: the demo database, then the condition map
and the plan atlas printed through the standard door, ``qgis_process.bin run
roadinfra:print_condition_map`` and ``roadinfra:print_plan_atlas``."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("qgis_process.bin") is None, reason="QGIS not installed")
def test_demo_script_prints_the_condition_map(tmp_path):
    output = tmp_path / "out"
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "QGIS_CUSTOM_CONFIG_PATH")}
    done = subprocess.run(["bash", str(ROOT / "scripts" / "demo.sh"), "--output", str(output)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    pdf = output / "condition_map.pdf"
    assert f"condition map: {pdf}" in done.stdout
    assert "qgis_process.bin run roadinfra:print_condition_map" in done.stdout
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    assert "Bản đồ tình trạng mặt đường và công trình" in " ".join(text.split())
    atlas = output / "plan_atlas.pdf"
    assert f"plan atlas: {atlas}" in done.stdout
    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(atlas), "-"],
                           capture_output=True, text=True, check=True, timeout=60).stdout
    assert "Tờ 1/" in cover and "Toàn tỉnh Thái Bình" in cover and "Tổng cộng" in cover
    assert sorted(p.name for p in output.iterdir()) == [
        "budget_curve.png", "condition_map.pdf", "plan_atlas.pdf", "reports.xlsx",
        "summary.json", "thai_binh.gpkg"]
    assert "more benefit than incremental benefit-cost" in done.stdout
    assert "plan build (no plan stored yet)" not in done.stdout   # the demo's own plan
