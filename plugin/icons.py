"""Icons shipped in ``resources/icons``."""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtGui import QIcon

ICONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"


def icon(name: str) -> QIcon:
    """Return ``resources/icons/<name>.svg`` as a QIcon."""
    return QIcon(str(ICONS_DIR / f"{name}.svg"))


def provider_icon() -> QIcon:
    return icon("roadinfra")
