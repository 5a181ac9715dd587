"""``RoadInfraProvider``: the Processing provider ``roadinfra``.

It registers one instance of every :class:`RoadInfraAlgorithm` subclass defined in the
modules of ``plugin/processing/algorithms/`` and its sub-packages (one algorithm per module,
``algorithms/<group>/<algorithm id>.py``). A module that fails to import is reported
as a critical message in the RoadInfra log (and in the provider's ``load_errors``), never
skipped silently.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import traceback
from types import ModuleType

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ...core.version import __version__
from ..icons import provider_icon
from ..log import log
from . import algorithms
from .base import RoadInfraAlgorithm

PROVIDER_ID = "roadinfra"


def _modules(package: ModuleType, errors: list[str] | None) -> list[ModuleType]:
    """``package`` and every module below it, sub-packages included (one algorithm per
    module, grouped in packages). Import failures are logged and appended to ``errors``."""
    found = [package]
    for info in pkgutil.iter_modules(package.__path__):
        module_name = f"{package.__name__}.{info.name}"
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # noqa: BLE001 - any failure must be reported, not hidden
            message = f"{module_name}: {type(exc).__name__}: {exc}"
            log(
                f"Processing algorithms in {module_name} are not available: "
                f"{message}\n{traceback.format_exc()}",
                level="critical",
                notify=True,
            )
            if errors is not None:
                errors.append(message)
            continue
        found.extend(_modules(module, errors) if info.ispkg else [module])
    return found


def algorithm_classes(
    package: ModuleType = algorithms, errors: list[str] | None = None
) -> list[type[RoadInfraAlgorithm]]:
    """Every RoadInfraAlgorithm subclass defined in the modules below ``package`` (its
    sub-packages too), sorted by NAME.

    Import failures are logged and appended to ``errors`` as ``"module: message"``.
    """
    found: dict[str, type[RoadInfraAlgorithm]] = {}
    for module in _modules(package, errors):
        for _, klass in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(klass, RoadInfraAlgorithm)
                and klass is not RoadInfraAlgorithm
                and klass.__module__ == module.__name__
                and klass.NAME
            ):
                found[klass.NAME] = klass
    return [found[name] for name in sorted(found)]


class RoadInfraProvider(QgsProcessingProvider):
    """Processing provider ``roadinfra`` holding all RoadInfra algorithms."""

    def __init__(self) -> None:
        super().__init__()
        self.load_errors: list[str] = []

    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return "RoadInfra"

    def longName(self) -> str:
        return f"RoadInfra {__version__}"

    def versionInfo(self) -> str:
        return __version__

    def icon(self) -> QIcon:
        return provider_icon()

    def loadAlgorithms(self) -> None:
        self.load_errors = []
        for klass in algorithm_classes(errors=self.load_errors):
            self.addAlgorithm(klass())
