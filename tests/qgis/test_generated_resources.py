"""The committed styles and layout template are what their scripts generate today.

Like the migrations check: ``scripts/build_styles.py`` and ``scripts/build_layouts.py`` are
copied into an empty folder and run there (their output goes below that folder), and every
generated file must equal the committed one, and no committed one may be left over. Layout
items get a new random UUID on every build: those are compared by order of appearance.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UUID = re.compile(r"\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}")


def numbered_uuids(text: str) -> str:
    """Each distinct UUID replaced by its number of first appearance."""
    seen: dict = {}
    return UUID.sub(lambda m: f"{{uuid-{seen.setdefault(m.group(0), len(seen))}}}", text)


def built_with() -> str:
    """major.minor of the QGIS that generated the committed styles (their ``version``)."""
    qml = next((ROOT / "resources" / "styles").glob("*.qml")).read_text(encoding="utf-8")
    found = re.search(r'<qgis [^>]*version="(\d+\.\d+)', qml)
    return found.group(1) if found else ""


def running() -> str:
    from qgis.core import Qgis

    return ".".join(Qgis.QGIS_VERSION.split(".")[:2])


# The resources are generated with the QGIS of the development machines (Debian 12's 3.22):
# another QGIS writes other XML (and its API differs), so only that one can tell staleness.
pytestmark = pytest.mark.skipif(running() != built_with(),
                                reason="styles and layouts are generated with QGIS "
                                       f"{built_with()}; this is {running()}")


def regenerate(tmp_path: Path, script: str) -> None:
    (tmp_path / "scripts").mkdir(exist_ok=True)
    shutil.copy(ROOT / "scripts" / script, tmp_path / "scripts" / script)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PROJ_DATA": "/usr/share/proj",
           "XDG_RUNTIME_DIR": str(runtime)}
    done = subprocess.run([sys.executable, f"scripts/{script}"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


@pytest.mark.parametrize("script, folder", [
    ("build_styles.py", "resources/styles"),
    ("build_layouts.py", "resources/layouts"),
])
def test_generated_files_are_not_stale(tmp_path, script, folder):
    regenerate(tmp_path, script)
    built = {p.relative_to(tmp_path / folder): p for p in (tmp_path / folder).rglob("*")
             if p.is_file()}
    committed = {p.relative_to(ROOT / folder): p for p in (ROOT / folder).rglob("*")
                 if p.is_file()}
    assert built, f"{script} wrote nothing into {folder}"
    stale = sorted(str(name) for name in built.keys() & committed.keys()
                   if numbered_uuids(built[name].read_text(encoding="utf-8"))
                   != numbered_uuids(committed[name].read_text(encoding="utf-8")))
    missing = sorted(str(name) for name in built.keys() - committed.keys())
    extra = sorted(str(name) for name in committed.keys() - built.keys())
    assert not (stale or missing or extra), (
        f"{folder} is not what scripts/{script} generates: run "
        f"`QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/{script}` and commit "
        f"(differ: {stale}; not committed: {missing}; not generated any more: {extra})")
