"""``roadinfra package`` as a user runs it, in a folder of their own with relative paths:
the package carries its QGIS project (stored by the QGIS worker); ``--no-project`` makes
none on purpose; where the Python that runs QGIS jobs has no QGIS, the package is still
made and registered and the command says the project was not embedded. The project's
structure is checked in tests/qgis/test_package_project.py."""

import os
import sqlite3
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from roadinfra.core.db import create_database
from roadinfra.core.sample_data import load_sample_data
from roadinfra.core.sync import open_package

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office")
    with create_database(str(folder / "province.gpkg")) as db:
        load_sample_data(db)
    return folder


def roadinfra(*args, cwd, env=None):
    return subprocess.run([sys.executable, "-m", "roadinfra.core.cli", *args], cwd=cwd,
                          env=env or dict(os.environ), capture_output=True, text=True,
                          timeout=600, check=False)


def stored_projects(package: Path) -> list:
    with sqlite3.connect(package) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'qgis_projects'"
                            ).fetchall():
            return []
        return [name for (name,) in conn.execute("SELECT name FROM qgis_projects")]


def test_package_with_its_project_from_relative_paths(office):
    done = roadinfra("package", "--db", "province.gpkg", "--area", "340", "--out", "crew.gpkg",
                     cwd=office)
    assert done.returncode == 0, done.stderr
    package = office / "crew.gpkg"
    assert f"QGIS project: geopackage:{package}?projectName=roadinfra" in done.stdout
    assert stored_projects(package) == ["roadinfra"]
    assert "warning" not in done.stderr
    open_package(str(package)).close()   # still a whole package after QGIS wrote into it


def test_no_project_on_purpose(office):
    done = roadinfra("package", "--db", "province.gpkg", "--route", "QL10", "--out",
                     "bare.gpkg", "--no-project", "--json", cwd=office)
    assert done.returncode == 0, done.stderr
    assert '"project": null' in done.stdout and done.stderr == ""
    assert stored_projects(office / "bare.gpkg") == []


def test_without_qgis_the_package_is_made_and_the_user_told(office, tmp_path):
    plain = tmp_path / "no-qgis"
    venv.create(plain, with_pip=False)   # a Python without QGIS (no system packages)
    path = tmp_path / "path"
    path.mkdir()
    (path / "roadinfra").symlink_to(ROOT)  # it finds the plugin, not QGIS
    env = dict(os.environ, ROADINFRA_QGIS_PYTHON=str(plain / "bin" / "python"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(path),
                                                        os.environ.get("PYTHONPATH")])))
    done = roadinfra("package", "--db", "province.gpkg", "--area", "340", "--out",
                     "laptop.gpkg", cwd=office, env=env)
    assert done.returncode == 0, done.stderr
    assert "QGIS project: not embedded" in done.stdout
    [line] = done.stderr.splitlines()
    assert line.startswith("roadinfra package: warning: QGIS project not embedded")
    assert "QGIS is not installed for" in line and "Traceback" not in done.stderr
    assert stored_projects(office / "laptop.gpkg") == []
    open_package(str(office / "laptop.gpkg")).close()
