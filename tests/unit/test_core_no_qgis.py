"""``roadinfra.core`` never imports qgis or Qt: every core module imports with them blocked,
and no core source file contains an import of them (not even a lazy one inside a function)."""

import importlib
import pkgutil
from pathlib import Path

import pytest
import roadinfra.core
from conftest import BLOCKED  # tests/unit/conftest.py

from tests.support.imports import imported_modules

CORE_DIR = Path(roadinfra.core.__file__).resolve().parent


def core_module_names(path=CORE_DIR, prefix="roadinfra.core"):
    """Names of all modules and packages under core/, found without importing them."""
    names = [prefix]
    for info in pkgutil.iter_modules([str(path)]):
        if info.name == "__main__":
            continue  # running it would execute the CLI
        name = f"{prefix}.{info.name}"
        if info.ispkg:
            names += core_module_names(path / info.name, name)
        else:
            names.append(name)
    return names


CORE_MODULES = core_module_names()


def test_qt_and_qgis_are_blocked():
    for name in ("qgis", "qgis.core", "qgis.PyQt.QtCore", "PyQt5.QtCore", "PyQt6"):
        with pytest.raises(ImportError):
            importlib.import_module(name)


def test_discovery_finds_the_known_modules():
    for expected in ("roadinfra.core.profile", "roadinfra.core.cli", "roadinfra.core.schema"):
        assert expected in CORE_MODULES


@pytest.mark.parametrize("module_name", CORE_MODULES)
def test_core_module_imports_without_qgis(module_name):
    importlib.import_module(module_name)


def blocked_imports(source_file):
    return [f"line {line}: {name}" for line, name in imported_modules(source_file)
            if name.split(".")[0] in BLOCKED]


@pytest.mark.parametrize(
    "source_file",
    sorted(CORE_DIR.rglob("*.py")),
    ids=lambda p: str(p.relative_to(CORE_DIR)),
)
def test_core_source_has_no_qgis_import(source_file):
    assert blocked_imports(source_file) == []
