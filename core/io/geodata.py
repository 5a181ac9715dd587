"""Vector files (GeoJSON, GPKG, SHP ...) as GeoDataFrames, read through GDAL/OGR."""

from __future__ import annotations

from pathlib import Path
from typing import Union

from .errors import FileError, one_line
from .paths import input_file


def read_geodata(path: Union[str, Path], what: str = "vector file",
                 geometry_only: bool = False):
    """A GeoDataFrame of ``path``; unreadable files are one :class:`FileError` line.
    ``geometry_only``: the attributes are not wanted, so a Shapefile's text is read byte for
    byte (Latin-1), whatever its encoding or its ``.cpg`` says (never refused for text it
    does not use)."""
    import geopandas as gpd

    path = input_file(path, what)
    options = ({"encoding": "latin1"} if geometry_only
               and Path(path).suffix.lower() in (".shp", ".dbf") else {})
    try:
        frame = gpd.read_file(path, **options)
        return frame[[frame.geometry.name]] if geometry_only else frame
    except RecursionError:
        raise FileError(f"{path}: not a readable {what}: nested too deeply") from None
    except Exception as exc:  # fiona/GDAL/pyogrio raise many types
        raise FileError(f"{path}: not a readable {what}: {one_line(exc)}") from None
