"""End to end: the packaged plugin zip installed into a fresh profile of the real QGIS desktop.

Builds dist zip with scripts/package.sh, unzips it into ``<root>/profiles/e2e/python/plugins``,
enables it in ``QGIS3.ini``, starts ``qgis`` under Xvfb with ``tests/e2e/qgis_desktop_probe.py``
and checks what the probe saw. The screenshot goes to ``test-artifacts/``.
"""

import json
import os
import shutil
import signal
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.support.package import build_plugin_zip

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("RI_ARTIFACTS", ROOT / "test-artifacts"))
PROBE = Path(__file__).resolve().parent / "qgis_desktop_probe.py"
TIMEOUT_S = 300

pytestmark = pytest.mark.skipif(
    not (shutil.which("qgis") and shutil.which("xvfb-run")),
    reason="needs the QGIS desktop and xvfb-run (scripts/setup.sh installs them)",
)


@pytest.fixture(scope="module")
def plugin_zip(tmp_path_factory):
    return build_plugin_zip(tmp_path_factory.mktemp("dist"))


def make_profile(profiles_root: Path, name: str, plugin_zip: Path) -> Path:
    """A fresh QGIS profile with only RoadInfra installed (from the zip) and enabled."""
    profile = profiles_root / "profiles" / name
    plugins = profile / "python" / "plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(plugin_zip) as archive:
        archive.extractall(plugins)
    ini = profile / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text(
        "[PythonPlugins]\nroadinfra=true\n\n[qgis]\ncheckVersion=false\nshowTips=false\n",
        encoding="utf-8",
    )
    return profile


def run_desktop(profiles_root: Path, name: str, env: dict) -> subprocess.CompletedProcess:
    command = [
        "xvfb-run", "-a", "-s", "-screen 0 1280x800x24",
        "qgis", "--profiles-path", str(profiles_root), "--profile", name,
        "--nologo", "--noversioncheck", "--code", str(PROBE),
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # one process group: xvfb-run, Xvfb and qgis
    )
    try:
        output, _ = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        pytest.fail(f"QGIS did not quit within {TIMEOUT_S} s; output:\n{output[-4000:]}")
    return subprocess.CompletedProcess(command, process.returncode, output, "")


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory):
    """The sample provincial GeoPackage, built by core as ``roadinfra demo`` does."""
    from roadinfra.core.planning.store import build_plan
    from roadinfra.core.sample_data import build_demo_database

    path = tmp_path_factory.mktemp("demo") / "thai_binh.gpkg"
    build_demo_database(path)
    build_plan(path, 30e9, 2027, 3, method="greedy")   # for the plan atlas
    return path


def test_plugin_zip_in_real_qgis_desktop(plugin_zip, demo_database, tmp_path):
    from qgis.PyQt.QtGui import QImage

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / "e2e_qgis_main_window.png"
    screenshot.unlink(missing_ok=True)
    result_file = tmp_path / "probe.json"
    profiles_root = tmp_path / "qgis"
    profile = make_profile(profiles_root, "e2e", plugin_zip)
    runtime = tmp_path / "xdg"
    runtime.mkdir(mode=0o700)
    env = {
        **os.environ,
        "RI_E2E_RESULT": str(result_file),
        "RI_E2E_SCREENSHOT": str(screenshot),
        "RI_E2E_DATABASE": str(demo_database),
        "RI_E2E_ATLAS": str(tmp_path / "atlas.pdf"),
        "RI_E2E_EDIT_SHOTS": str(ARTIFACTS),
        "XDG_RUNTIME_DIR": str(runtime),
        "HOME": str(tmp_path),  # nothing of the user's own QGIS set-up leaks in
    }
    for leak in ("QT_QPA_PLATFORM", "QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH", "PYTHONPATH"):
        env.pop(leak, None)

    completed = run_desktop(profiles_root, "e2e", env)
    assert result_file.exists(), f"exit {completed.returncode}; output:\n{completed.stdout[-4000:]}"
    seen = json.loads(result_file.read_text(encoding="utf-8"))
    assert "error" not in seen, seen["error"]

    assert "roadinfra" in seen["active_plugins"]
    installed = profile / "python" / "plugins" / "roadinfra" / "__init__.py"
    assert seen["plugin_file"] == str(installed)  # the zip's copy, not the checkout
    assert seen["toolbar_found"] and seen["toolbar_visible"]
    actions = ["Open provincial database...", "Condition summary", "RoadInfra Processing tools"]
    sync = ["Sync offline package...", "Sync conflicts"]
    assert seen["toolbar_actions"] == actions + sync + ["Cadastre..."]
    assert "&RoadInfra" in seen["menu_bar"]
    assert seen["menu_actions"] == [*actions[:2], "Maintenance plan", actions[2], *sync,
                                    "Calibration issues layer...", "Print plan atlas...",
                                    "Cadastre...", "History of the selected feature",
                                    "Deleted features...", "Attach photos...", "About RoadInfra"]
    assert seen["provider_registered"] and seen["provider_name"] == "RoadInfra"
    assert "roadinfra:info" in seen["algorithms"]
    assert seen["algorithm_load_errors"] == []
    assert seen["toolbox_visible"] and seen["toolbox_filter"] == "roadinfra"
    assert {"route", "bridge", "pavement_section", "inspection"} <= set(seen["layers"])
    assert seen["route_features"] >= 6
    assert seen["condition_panel_visible"]
    # Print plan atlas: the background task ran its own QGIS process, the project untouched
    assert seen["atlas_task_complete"], seen["atlas_task_error"]
    assert seen["atlas_pages"] > 2 and seen["atlas_progress_seen"] > 0
    assert seen["atlas_project_unchanged"]
    info = subprocess.run(["pdfinfo", str(tmp_path / "atlas.pdf")], capture_output=True,
                          text=True, check=True).stdout
    assert f"Pages:           {seen['atlas_pages']}" in info
    # editing: the History panel on the edited bridge and its form with Km chainage
    assert seen["edit_saved"] and seen["history_visible"] and seen["history_rows"] == 2
    assert seen["history_saved"] and seen["form_saved"]
    assert seen["form_km"] == ["Km109+703"]

    assert seen.get("screenshot_saved"), seen.get("screenshot_error")
    image = QImage(str(screenshot))
    assert not image.isNull()
    assert (image.width(), image.height()) >= (800, 500)
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), 8)
        for y in range(0, image.height(), 8)
    }
    assert len(colours) > 50, "the screenshot looks blank"


def test_plugin_zip_in_qgis_process(plugin_zip, tmp_path):
    """qgis_process (no GUI: QGIS calls only initProcessing) runs roadinfra:info from the zip."""
    qgis_process = shutil.which("qgis_process.bin")
    if qgis_process is None:
        pytest.skip("qgis_process.bin not installed")
    profile = make_profile(tmp_path, "default", plugin_zip)  # qgis_process reads "default"
    env = {**os.environ, "QGIS_CUSTOM_CONFIG_PATH": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)
    completed = subprocess.run(
        [qgis_process, "--json", "run", "roadinfra:info", "--", "PROFILE=thai_binh"],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    results = json.loads(completed.stdout)["results"]
    assert results["PROFILE_ID"] == "thai_binh"
    assert results["CRS_EPSG"] == 9209
    installed = profile / "python" / "plugins" / "roadinfra" / "core" / "profiles"
    assert str(installed / "thai_binh.toml") in results["SUMMARY"]
