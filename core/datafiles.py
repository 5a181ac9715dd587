"""Data files shipped with core (profiles, rating schemes, import mappings): one way to find
and read them."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Type, Union

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python < 3.11
    import tomli as tomllib

from .errors import RoadInfraError

DATA_DIR = Path(__file__).resolve().parent / "data"


def data_file(name_or_path: Union[str, Path], folder: Path) -> Path:
    """``name`` -> ``folder/name.toml``; a path ending in ``.toml`` is taken as it is."""
    candidate = Path(name_or_path)
    return candidate if candidate.suffix == ".toml" else folder / f"{name_or_path}.toml"


def read_toml(path: Path, error: Type[RoadInfraError], what: str) -> Dict[str, Any]:
    """Parse ``path``; a missing or malformed file raises ``error`` naming the file."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise error(f"{what} not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML: {exc}") from None
