"""QGIS tier: headless PyQGIS through pytest-qgis (``qgis_gui_enabled = false`` in pyproject).

Fixtures for every QGIS-tier test:
- ``roadinfra_provider``: Processing initialised (QGIS's own providers included) and a
  RoadInfra provider registered for the test; ``processing.run("roadinfra:...")`` works.
- ``language``: switch QGIS's ``locale/userLocale`` for one test (restored afterwards).
- ``empty_project``: ``QgsProject.instance()``, cleared before and after the test (styles
  resolve their relations there, and the condition map is printed there).
"""

import gc
import os
import sys

import pytest

os.environ.setdefault("PROJ_DATA", "/usr/share/proj")

QGIS_PYTHON_PLUGINS = "/usr/share/qgis/python/plugins"


@pytest.fixture(autouse=True, scope="session")
def delete_layers_before_qgis_exits(qgis_app):
    """Destroy map layers that tests left alive (module globals, cached fixture values) while
    QGIS is still up: destroyed after ``exitQgis()``, at interpreter exit, an OGR layer
    crashes the process with a segmentation fault (exit 139) although every test passed."""
    yield
    from qgis.core import QgsMapLayer
    from qgis.PyQt import sip

    gc.collect()
    for obj in gc.get_objects():
        if isinstance(obj, QgsMapLayer) and not sip.isdeleted(obj) and sip.ispyowned(obj):
            sip.delete(obj)


@pytest.fixture(scope="session")
def processing_initialized(qgis_app):
    """QGIS Processing with its own providers (``native:``, ``qgis:``, ``gdal:``)."""
    if QGIS_PYTHON_PLUGINS not in sys.path:
        sys.path.append(QGIS_PYTHON_PLUGINS)
    from processing.core.Processing import Processing

    Processing.initialize()


@pytest.fixture
def roadinfra_provider(processing_initialized):
    """A fresh RoadInfra provider registered for one test (removed afterwards, so tests that
    start the whole plugin, which registers its own, never meet a duplicate id)."""
    from qgis.core import QgsApplication
    from roadinfra.plugin.processing.provider import RoadInfraProvider

    registry = QgsApplication.processingRegistry()
    assert registry.providerById("roadinfra") is None, "a RoadInfra provider is still registered"
    provider = RoadInfraProvider()
    assert registry.addProvider(provider), "the RoadInfra provider could not be registered"
    yield provider
    registry.removeProvider(provider)


@pytest.fixture
def language(qgis_app):
    """Call ``language("vi")`` to run the rest of the test with that QGIS user locale."""
    from qgis.core import QgsSettings

    settings = QgsSettings()
    before = settings.value("locale/userLocale", None)

    def switch(code):
        settings.setValue("locale/userLocale", code)

    yield switch
    if before is None:
        settings.remove("locale/userLocale")
    else:
        settings.setValue("locale/userLocale", before)


@pytest.fixture
def empty_project(qgis_app):
    """QGIS's current project, empty for the test and emptied afterwards."""
    from qgis.core import QgsProject

    project = QgsProject.instance()
    project.clear()
    yield project
    project.clear()
