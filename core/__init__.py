"""RoadInfra domain toolkit: pure Python, never imports qgis or Qt."""

from .version import __version__

__all__ = ["__version__"]
