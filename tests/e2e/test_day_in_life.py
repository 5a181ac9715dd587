"""A road engineer's day in the real QGIS desktop, in English and in Vietnamese (issue 15).

The plugin zip in a fresh profile (QGIS's locale overridden for Vietnamese), the demo database
opened through "Open provincial database...", a bridge form, an inspection added, Compute PCI
on the loaded distress layer, the loaded weighing records checked, the print dialog, the
Condition panel's scope changed: ``tests/e2e/day_in_life_probe.py`` drives one QGIS start per
language and saves a screenshot of each step in ``test-artifacts/day_in_life_<lang>/``. The
test checks what a user reads against the core's own answers.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.e2e.test_qgis_desktop import make_profile
from tests.support.package import build_plugin_zip

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("RI_ARTIFACTS", ROOT / "test-artifacts"))
PROBE = Path(__file__).resolve().parent / "day_in_life_probe.py"
TIMEOUT_S = 240
FORM_SIZE = (652, 508)
STEPS = ["open_database", "bridge_form", "add_inspection", "compute_pci", "check_weighing",
         "print_dialog", "condition_panel"]

pytestmark = pytest.mark.skipif(
    not (shutil.which("qgis") and shutil.which("xvfb-run")),
    reason="needs the QGIS desktop and xvfb-run (scripts/setup.sh installs them)",
)


@pytest.fixture(scope="module")
def plugin_zip(tmp_path_factory):
    return build_plugin_zip(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    from roadinfra.core.sample_data import build_demo_database

    path = tmp_path_factory.mktemp("demo") / "thai_binh.gpkg"
    build_demo_database(path)
    return path


def day_in_qgis(lang, plugin_zip, database, tmp_path):
    """Run the probe in a fresh profile with QGIS in ``lang``; what it saw, and its shots."""
    shots = ARTIFACTS / f"day_in_life_{lang}"
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    root = tmp_path / "qgis"
    profile = make_profile(root, "day", plugin_zip)
    if lang != "en":
        ini = profile / "QGIS" / "QGIS3.ini"
        ini.write_text(ini.read_text(encoding="utf-8") +
                       f"\n[locale]\noverrideFlag=true\nuserLocale={lang}\n", encoding="utf-8")
    runtime = tmp_path / "xdg"
    runtime.mkdir(mode=0o700)
    result = tmp_path / "seen.json"
    env = {**os.environ, "RI_E2E_RESULT": str(result), "RI_E2E_SHOTS": str(shots),
           "RI_E2E_DATABASE": str(database), "XDG_RUNTIME_DIR": str(runtime),
           "HOME": str(tmp_path)}
    for leak in ("QT_QPA_PLATFORM", "QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH", "PYTHONPATH"):
        env.pop(leak, None)
    command = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "qgis", "--profiles-path",
               str(root), "--profile", "day", "--nologo", "--noversioncheck", "--code",
               str(PROBE)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        pytest.fail(f"QGIS did not quit within {TIMEOUT_S} s; output:\n{output[-4000:]}")
    assert result.exists(), f"exit {process.returncode}; output:\n{output[-4000:]}"
    return json.loads(result.read_text(encoding="utf-8")), shots


def core_pci(database):
    from roadinfra.core.condition.pci_survey import pci_by_survey

    with sqlite3.connect(database) as con:
        rows = con.execute("SELECT fid, survey_id, sample_unit, unit_area_m2, distress_code, "
                           "severity, quantity FROM pavement_distress").fetchall()
    return {survey: [round(pci.section_pci, 1), pci.section_rating]
            for survey, pci in pci_by_survey(rows, "pavement_distress").surveys}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_day_in_the_life(lang, plugin_zip, demo_template, tmp_path):
    from qgis.PyQt.QtGui import QImage

    database = tmp_path / "thai_binh.gpkg"
    shutil.copy(demo_template, database)
    seen, shots = day_in_qgis(lang, plugin_zip, database, tmp_path)
    assert "error" not in seen, seen["error"]
    assert not seen.get("errors"), "\n".join(seen["errors"].values())
    assert seen["steps"] == STEPS

    vi = lang == "vi"
    assert seen["open_dialog_title"] == ("Mở cơ sở dữ liệu tỉnh" if vi else
                                         "Open provincial database")
    assert {"bridge", "inspection", "pavement_distress", "weighing_record"} <= \
        set(seen["layers"])
    assert seen["inspection_committed"], seen["inspection_errors"]
    assert seen["inspections_added"] == 1
    assert seen["stored_inspection"] == [3, "E2E"]

    # Compute PCI on the loaded layer: every survey, the core's values
    assert seen["pci_outputs"] == {"SURVEYS": 250, "SURVEYS_FAILED": 0, "WRITTEN": 0}
    assert seen["pci"] == core_pci(database)
    assert seen["pci_dialog"]["BY_SURVEY"] is True

    # the loaded weighing records: the overloaded count the demo stored from the core's check
    with sqlite3.connect(database) as con:
        records, overloaded = con.execute(
            "SELECT count(*), sum(overloaded) FROM weighing_record").fetchone()
        codes = sorted(code for (code,) in con.execute("SELECT code FROM load_station"))
    assert seen["loads"] == {"CHECKED": records, "REJECTED": 0, "OVERLOADED": overloaded}
    assert seen["loads_stations"] == codes

    # the print dialog is filled with the open database, which prints beside the project
    assert seen["print_dialog"]["DATABASE"] == str(database)
    assert seen["printed"]["bytes"] > 10000 and seen["printed"]["layers_kept"]
    assert seen["pci_names"][0][:2] == "20"  # a survey named by its date, not its UUID

    # the Condition panel follows its scope without Refresh
    panel = seen["panel"]
    assert panel["scope"] == ("Tuyến" if vi else "Route")
    assert panel["route_code"] and panel["route_code"] in panel["target"]
    assert (("Toàn mạng lưới" if vi else "Whole network") not in panel["text"]) and panel["text"]
    assert ("PCI bình quân theo chiều dài" if vi else "Length-weighted mean PCI") in panel["text"]

    names = [Path(s["file"]).name for s in seen["shots"]]
    assert len(names) == 12, names
    for info in seen["shots"]:
        image = QImage(info["file"])
        assert not image.isNull(), info["file"]
        colours = {image.pixel(x, y) for x in range(0, image.width(), 6)
                   for y in range(0, image.height(), 6)}
        assert len(colours) > 8, f"{info['file']} looks blank"
        if "main_window" not in info["file"] and "database_open" not in info["file"] \
                and "condition_panel" not in info["file"]:
            assert (info["width"], info["height"]) == FORM_SIZE, info
