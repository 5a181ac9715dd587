"""Writing cadastre results: a layer file (GeoPackage/GeoJSON), XLSX (openpyxl) and CSV."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Mapping

import geopandas as gpd
import pandas as pd

from .errors import CadastreError

LAYER_SUFFIXES = {".gpkg": "GPKG", ".geojson": "GeoJSON"}


def write_tables(tables: Mapping[str, gpd.GeoDataFrame], path) -> Path:
    """Write named tables to ``path``: ``.gpkg`` (one layer each), ``.xlsx`` (one sheet each),
    ``.csv`` / ``.geojson`` (the first non-empty table only)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".gpkg":
            if path.exists():
                path.unlink()
            for name, frame in tables.items():
                with warnings.catch_warnings():  # an empty table is still a layer
                    warnings.simplefilter("ignore")
                    _typed(frame).to_file(path, layer=name, driver="GPKG")
        elif suffix == ".xlsx":
            with pd.ExcelWriter(path, engine="openpyxl") as writer:
                for name, frame in tables.items():
                    _plain(frame).to_excel(writer, sheet_name=name[:31], index=False)
        elif suffix in (".csv", ".geojson"):
            name, frame = next(((n, f) for n, f in tables.items() if len(f)),
                               next(iter(tables.items())))
            if suffix == ".csv":
                _plain(frame).to_csv(path, index=False, encoding="utf-8")
            else:
                frame.to_file(path, driver="GeoJSON")
        else:
            raise CadastreError(f"{path}: output must be .gpkg, .xlsx, .csv or .geojson")
    except OSError as exc:
        raise CadastreError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return path


def _typed(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """An empty table with text columns (GDAL needs a type for each field)."""
    if len(frame):
        return frame
    out = frame.copy()
    for column in out.columns:
        if column != out.geometry.name and out[column].dtype == object:
            out[column] = out[column].astype(str)
    return out


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
