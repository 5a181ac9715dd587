"""RoadInfra QGIS plugin entry point.

The repository root is the plugin folder ``roadinfra``. Importing this package
must stay cheap and free of qgis so that ``roadinfra.core`` also works outside
QGIS (command line, tests, ``qgis_process``).
"""


def classFactory(iface):  # noqa: N802 (QGIS API name)
    """Return the plugin instance QGIS asks for."""
    from .plugin.dependencies import report_missing_dependencies
    from .plugin.main import RoadInfraPlugin

    plugin = RoadInfraPlugin(iface)  # installs the translator the message below uses
    report_missing_dependencies(iface)
    return plugin
