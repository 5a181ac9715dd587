"""The dependencies declared in pyproject.toml are exactly the distributions core/ and
plugin/ import (QGIS's own modules aside): none missing, none declared for nothing."""

import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

from tests.support.imports import imported_modules as imports_of

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
#: Modules that QGIS provides (its Python bindings and Processing), not a pip distribution.
QGIS_MODULES = {"qgis", "processing", "PyQt5", "PyQt6", "sip"}


def imported_modules() -> dict:
    """Top-level non-stdlib module -> a file importing it, for core/, plugin/, __init__.py."""
    found = {}
    files = sorted([*ROOT.joinpath("core").rglob("*.py"), *ROOT.joinpath("plugin").rglob("*.py"),
                    ROOT / "__init__.py"])
    for path in files:
        for _line, name in imports_of(path):
            top = name.split(".")[0]
            if top not in sys.stdlib_module_names and top not in QGIS_MODULES \
                    and top != "roadinfra":
                found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {normalised(re.match(r"[A-Za-z0-9._-]+", spec).group(0))
            for spec in project["dependencies"]}


def test_declared_dependencies_equal_the_imported_distributions():
    distributions = packages_distributions()
    imported = {}
    for module, where in imported_modules().items():
        # a module not installed here (tomli on Python >= 3.11, the fallback of tomllib) is
        # taken as the distribution of the same name
        for dist in distributions.get(module, [module]):
            imported[normalised(dist)] = f"{where} (import {module})"
    missing = {dist: where for dist, where in imported.items() if dist not in declared()}
    unused = declared() - set(imported)
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"
    assert not unused, f"declared in pyproject.toml but imported nowhere: {sorted(unused)}"


def test_the_scan_sees_conditional_and_late_imports():
    modules = imported_modules()
    assert {"psycopg2", "openpyxl", "osgeo", "numpy"} <= set(modules)
    assert "sqlalchemy" not in modules
