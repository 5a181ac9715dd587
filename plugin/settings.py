"""Typed plugin settings stored in the QGIS profile under ``roadinfra/``."""

from __future__ import annotations

from dataclasses import dataclass, fields

from qgis.core import QgsSettings

from ..core.profile import DEFAULT_PROFILE

PREFIX = "roadinfra/"


@dataclass
class PluginSettings:
    """The plugin's preferences; :meth:`load` and :meth:`save` go through QgsSettings.

    ``language`` overrides the QGIS user locale for RoadInfra's own texts ("" = follow QGIS).
    ``editor_name`` is the author of GeoPackage edits ("" = the operating-system user).
    """

    last_database: str = ""
    profile: str = DEFAULT_PROFILE
    language: str = ""
    editor_name: str = ""

    @classmethod
    def load(cls) -> PluginSettings:
        store = QgsSettings()
        values = {}
        for item in fields(cls):
            default = item.default
            values[item.name] = store.value(PREFIX + item.name, default, type=type(default))
        return cls(**values)

    def save(self) -> None:
        store = QgsSettings()
        for item in fields(self):
            store.setValue(PREFIX + item.name, getattr(self, item.name))
