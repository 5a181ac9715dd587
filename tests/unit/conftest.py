"""Unit tier: qgis and every Qt binding are made unimportable before any test module loads.

``sys.modules[name] = None`` makes ``import name`` (and its submodules) raise ImportError;
entries left by a pytest plugin that imported them earlier are removed first. Run this tier
in its own pytest process (``scripts/test.sh`` does, with ``-p no:pytest_qgis -p no:pytest-qt``).

The sync tests' provincial databases (``sample_province``, ``province``) come from
:mod:`tests.support.sync_fixtures`; the cadastre tests' empty database (``tb_db``) from
:mod:`tests.support.cadastre_db`.
"""

import sys
from pathlib import Path

import pytest

BLOCKED = ("qgis", "PyQt4", "PyQt5", "PyQt6", "PySide2", "PySide6", "sip")

for _name in list(sys.modules):
    if _name.split(".")[0] in BLOCKED:
        del sys.modules[_name]
for _name in BLOCKED:
    sys.modules[_name] = None

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # repository root: tests.support

from tests.support.cadastre_db import tb_db  # noqa: E402, F401
from tests.support.sync_fixtures import province, sample_province  # noqa: E402, F401


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """The Qt test plugins need a Qt binding: refuse to run with them instead of crashing."""
    plugins = ("pytest_qgis", "pytest-qt")
    active = [name for name in plugins if config.pluginmanager.has_plugin(name)]
    if active:
        raise pytest.UsageError(
            "the unit tier runs without qgis and Qt; disable the Qt plugins: "
            "pytest -p no:pytest_qgis -p no:pytest-qt tests/unit (scripts/test.sh does)"
        )
