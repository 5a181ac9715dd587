"""scripts/package.sh builds a QGIS-installable zip: one top folder ``roadinfra/`` holding the
plugin with compiled translations, and nothing that is only for development."""

import configparser
import zipfile
from pathlib import Path

import pytest

from tests.support.package import build_plugin_zip

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def plugin_zip(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    path = build_plugin_zip(dist)
    assert path.parent == dist
    return path


@pytest.fixture(scope="module")
def names(plugin_zip):
    with zipfile.ZipFile(plugin_zip) as archive:
        assert archive.testzip() is None
        return archive.namelist()


def metadata_version():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "metadata.txt", encoding="utf-8")
    return parser["general"]


def test_zip_is_named_after_metadata_version(plugin_zip):
    assert plugin_zip.name == f"roadinfra-{metadata_version()['version']}.zip"


def test_single_top_folder(names):
    assert {name.split("/")[0] for name in names} == {"roadinfra"}


def test_plugin_files_are_present(names):
    icon = metadata_version()["icon"]
    for required in (
        "metadata.txt",
        "__init__.py",
        "LICENSE",
        "core/__init__.py",
        "core/profiles/thai_binh.toml",
        "plugin/main.py",
        "plugin/processing/provider.py",
        "plugin/processing/algorithms/info.py",
        "resources/i18n/roadinfra_vi.qm",
        icon,
    ):
        assert f"roadinfra/{required}" in names


def test_every_python_package_keeps_its_init(names):
    folders = {name.rsplit("/", 1)[0] for name in names if name.endswith(".py")}
    for folder in folders:
        assert f"{folder}/__init__.py" in names, folder


def test_no_development_files(names):
    forbidden = ("/tests/", "/__pycache__/", "/.venv/", "/dist/", "/.git/", "/sample_data/")
    for name in names:
        assert not any(part in f"/{name}" for part in forbidden), name
        assert not name.endswith((".pyc", ".ts")), name
