"""The version, read from ``metadata.txt`` (the single source)."""

import configparser
from pathlib import Path

PLUGIN_ROOT = Path(__file__).resolve().parent.parent


def read_version(metadata: Path = PLUGIN_ROOT / "metadata.txt") -> str:
    """Return ``version`` from the ``[general]`` section of ``metadata``."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(metadata, encoding="utf-8")
    return parser.get("general", "version", fallback="0.0.0")


__version__ = read_version()
