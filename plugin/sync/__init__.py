"""Offline sync in QGIS: the Conflicts dock and the Sync button (core: roadinfra.core.sync)."""
