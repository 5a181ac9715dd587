"""Data files shipped with core (profiles, rating schemes, import mappings): one way to find
and read them."""

from __future__ import annotations

from pathlib import Path
from typing import Union

from .io.tomlfile import read_toml  # noqa: F401 - plugin code imports it from here

DATA_DIR = Path(__file__).resolve().parent / "data"


def data_file(name_or_path: Union[str, Path], folder: Path) -> Path:
    """``name`` -> ``folder/name.toml``; a path ending in ``.toml`` is taken as it is."""
    candidate = Path(name_or_path)
    return candidate if candidate.suffix == ".toml" else folder / f"{name_or_path}.toml"
