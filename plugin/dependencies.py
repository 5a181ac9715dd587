"""Python modules RoadInfra needs that this QGIS lacks: said once, at load, with how to install
them on the user's platform (not only in the log, where a missing module otherwise hides as a
Processing algorithm that never appears).

``classFactory`` calls :func:`report_missing_dependencies` once. Presence is checked without
importing (``importlib.util.find_spec``), so loading the plugin stays fast.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

from qgis.core import Qgis
from qgis.PyQt.QtCore import QT_TR_NOOP

from .i18n import tr
from .log import log


@dataclass(frozen=True)
class Dependency:
    module: str  # import name
    pip: str  # PyPI name (pip, macOS)
    debian: str  # Debian/Ubuntu package
    osgeo4w: str  # OSGeo4W package (Windows)
    needed_for: str  # QT_TR_NOOP text, translated when shown
    required: bool = True


DEPENDENCIES = (
    Dependency("numpy", "numpy", "python3-numpy", "python3-numpy",
               QT_TR_NOOP("all tools")),
    Dependency("pandas", "pandas", "python3-pandas", "python3-pandas",
               QT_TR_NOOP("tables: condition, loads, chainage events")),
    Dependency("shapely", "shapely", "python3-shapely", "python3-shapely",
               QT_TR_NOOP("geometry: chainage, overlays, maps")),
    Dependency("pyproj", "pyproj", "python3-pyproj", "python3-pyproj",
               QT_TR_NOOP("coordinate systems (VN-2000)")),
    Dependency("geopandas", "geopandas", "python3-geopandas", "python3-geopandas",
               QT_TR_NOOP("layers: linear referencing, imports, maps")),
    Dependency("openpyxl", "openpyxl", "python3-openpyxl", "python3-openpyxl",
               QT_TR_NOOP("reading Excel (.xlsx) files"), required=False),
    Dependency("psycopg2", "psycopg2", "python3-psycopg2", "python3-psycopg2",
               QT_TR_NOOP("the shared PostGIS database"), required=False),
    Dependency("scipy", "scipy", "python3-scipy", "python3-scipy",
               QT_TR_NOOP("maintenance planning: optimal plans, forecasts"), required=False),
    Dependency("matplotlib", "matplotlib", "python3-matplotlib", "python3-matplotlib",
               QT_TR_NOOP("the benefit-versus-budget plot"), required=False),
    Dependency("PIL", "pillow", "python3-pil", "python3-pillow",
               QT_TR_NOOP("photos: EXIF position and time"), required=False),
    Dependency("rasterio", "rasterio", "python3-rasterio", "python3-rasterio",
               QT_TR_NOOP("offline basemaps in packages"), required=False),
)  # fmt: skip
if sys.version_info < (3, 11):  # tomllib is in the standard library from Python 3.11
    DEPENDENCIES += (
        Dependency("tomli", "tomli", "python3-tomli", "python3-tomli",
                   QT_TR_NOOP("jurisdiction profiles")),
    )  # fmt: skip

_reported = False


def is_available(module: str) -> bool:
    """True when ``module`` can be imported (a ``None`` in ``sys.modules`` blocks it)."""
    if module in sys.modules:
        return sys.modules[module] is not None
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing_dependencies() -> list[Dependency]:
    return [dependency for dependency in DEPENDENCIES if not is_available(dependency.module)]


def platform_name(platform: str | None = None) -> str:
    """``windows``, ``macos``, ``debian`` (Debian, Ubuntu and derivatives) or ``linux``."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        return "windows"
    if platform == "darwin":
        return "macos"
    return "debian" if Path("/etc/debian_version").exists() else "linux"


def install_command(missing: list[Dependency], platform: str) -> str:
    """The one command that installs ``missing`` on ``platform`` (see :func:`platform_name`)."""
    if platform == "windows":
        names = " ".join(d.pip for d in missing)
        return tr("in the OSGeo4W Shell (Start menu, run as administrator): "
                  "python -m pip install {names}").format(names=names)  # fmt: skip
    if platform == "macos":
        names = " ".join(d.pip for d in missing)
        return tr("in Terminal: /Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip "
                  "install --user {names} (QGIS-LTR.app for the LTR)"
                  ).format(names=names)  # fmt: skip
    if platform == "debian":
        names = " ".join(d.debian for d in missing)
        return tr("in a terminal: sudo apt install {names}").format(names=names)
    names = " ".join(d.pip for d in missing)
    return tr("with your distribution's packages, or: python3 -m pip install --user {names}"
              ).format(names=names)  # fmt: skip


def details(missing: list[Dependency], platform: str) -> str:
    """What each missing module is for and how to install them on every platform."""
    lines = [
        tr("{module} ({required}): needed for {use}").format(
            module=d.module,
            required=tr("required") if d.required else tr("optional"),
            use=tr(d.needed_for),
        )
        for d in missing
    ]
    lines.append("")
    how = install_command(missing, platform)
    lines.append(tr("Install on this computer, {how}.").format(how=how))
    if platform == "windows":
        lines.append(tr("Or re-run the OSGeo4W installer (Advanced Install) and select: {names}."
                        ).format(names=", ".join(d.osgeo4w for d in missing)))  # fmt: skip
    lines.append(tr("Then restart QGIS. docs/install.md lists the dependencies per platform."))
    return "\n".join(lines)


def report_missing_dependencies(iface, platform: str | None = None) -> list[str]:
    """Tell the user once per QGIS session which modules are missing and how to install them.

    Shows a message bar warning (when there is a desktop ``iface``) and writes the details to
    the RoadInfra log. Returns the missing module names (empty when all are there)."""
    global _reported
    missing = missing_dependencies()
    if not missing or _reported:
        return [d.module for d in missing]
    _reported = True
    where = platform_name(platform)
    names = ", ".join(d.module for d in missing)
    title = tr("RoadInfra: missing Python modules")
    text = tr("{names}. Some tools will not appear until you install them, {how}.").format(
        names=names, how=install_command(missing, where)
    )
    full = details(missing, where)
    required = any(d.required for d in missing)
    log(f"{title}: {names}\n{full}", "warning" if required else "info", notify=required)
    if iface is not None and iface.messageBar() is not None:
        level = Qgis.MessageLevel.Warning if required else Qgis.MessageLevel.Info
        # a missing required module stays until dismissed; an optional one times out
        iface.messageBar().pushMessage(title, text, full, level, 0 if required else -1)
    return [d.module for d in missing]
