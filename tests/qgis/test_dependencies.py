"""A missing Python module is said once at load, with how to install it on the user's platform.

The import of geopandas and pandas is made to fail (``sys.modules[name] = None``, Python's own
way to block an import) before ``classFactory`` runs, as on a stock QGIS without them."""

import sys

import pytest
import roadinfra
from qgis.core import Qgis
from roadinfra.plugin import dependencies
from roadinfra.plugin.i18n import remove_translator


@pytest.fixture
def without_geopandas(monkeypatch):
    monkeypatch.setitem(sys.modules, "geopandas", None)
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setattr(dependencies, "_reported", False)


def load(qgis_iface):
    plugin = roadinfra.classFactory(qgis_iface)
    remove_translator(plugin.translator)
    return plugin


def warnings(qgis_iface):
    return qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning)


def test_missing_modules_are_said_once_at_load(qgis_iface, without_geopandas):
    qgis_iface.messageBar().clear_messages()
    with pytest.raises(ImportError):
        import geopandas  # noqa: F401  (the import really fails)
    load(qgis_iface)
    load(qgis_iface)  # a second load (plugin reload) does not repeat it
    (message,) = warnings(qgis_iface)
    assert message.startswith("RoadInfra: missing Python modules:pandas, geopandas.")
    assert "sudo apt install python3-pandas python3-geopandas" in message  # Debian here
    assert dependencies.missing_dependencies()[0].module == "pandas"


def test_message_is_in_the_users_language(qgis_iface, without_geopandas, language):
    language("vi")
    qgis_iface.messageBar().clear_messages()
    load(qgis_iface)
    (message,) = warnings(qgis_iface)
    assert message.startswith("RoadInfra: thiếu mô-đun Python:pandas, geopandas.")
    assert "sudo apt install python3-pandas python3-geopandas" in message


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("win32", "OSGeo4W Shell"),
        ("darwin", "/Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install --user"),
    ],
)
def test_install_advice_per_platform(qgis_iface, without_geopandas, platform, expected):
    missing = dependencies.missing_dependencies()
    text = dependencies.details(missing, dependencies.platform_name(platform))
    assert expected in text and "pandas geopandas" in text
    assert "geopandas (required): needed for" in text
    if platform == "win32":
        assert "python3-pandas, python3-geopandas" in text  # the OSGeo4W packages


def test_nothing_said_when_all_modules_are_there(qgis_iface, monkeypatch):
    monkeypatch.setattr(dependencies, "_reported", False)
    qgis_iface.messageBar().clear_messages()
    load(qgis_iface)
    assert warnings(qgis_iface) == []
