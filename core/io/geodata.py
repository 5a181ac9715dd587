"""Vector files (GeoJSON, GPKG, SHP ...) as GeoDataFrames, read through GDAL/OGR."""

from __future__ import annotations

from pathlib import Path
from typing import Union

from .errors import FileError, one_line
from .paths import input_file


def read_geodata(path: Union[str, Path], what: str = "vector file"):
    """A GeoDataFrame of ``path``; unreadable files are one :class:`FileError` line."""
    import geopandas as gpd

    path = input_file(path, what)
    try:
        return gpd.read_file(path)
    except RecursionError:
        raise FileError(f"{path}: not a readable {what}: nested too deeply") from None
    except Exception as exc:  # fiona/GDAL/pyogrio raise many types
        raise FileError(f"{path}: not a readable {what}: {one_line(exc)}") from None
