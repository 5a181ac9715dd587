"""Offline-sync test helpers: edits made the way QGIS, QField and scripts make them
(GDAL/OGR on the package file), and the scenarios both tiers run (GeoPackage and PostGIS
provincial databases)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

from osgeo import ogr
from roadinfra.core.db import open_database

# OGR's error mode is left as it is (other tests check OGR's return codes): every call
# here checks its result instead.
ROOT = Path(__file__).resolve().parents[2]


def _open(path):
    ds = ogr.Open(str(path), 1)
    assert ds is not None, gdal_error()
    return ds


def _layer(ds, table: str):
    layer = ds.GetLayerByName(table)
    assert layer is not None, table
    return layer


def _feature(layer, row_id: str):
    layer.SetAttributeFilter(f"id = '{row_id}'")  # a UUID the test made or read
    feature = layer.GetNextFeature()
    layer.SetAttributeFilter(None)
    assert feature is not None, row_id
    return feature


def _set(feature, name: str, value: Any) -> None:
    if name == "geom":
        feature.SetGeometry(ogr.CreateGeometryFromWkt(value.wkt))
    elif value is None:
        feature.SetFieldNull(name)
    else:
        feature.SetField(name, value)


def ogr_update(path, table: str, row_id: str, **fields) -> None:
    """Change fields of one feature through GDAL/OGR, as QGIS or a script would."""
    ds = _open(path)
    layer = _layer(ds, table)
    feature = _feature(layer, row_id)
    for name, value in fields.items():
        _set(feature, name, value)
    assert layer.SetFeature(feature) == 0, gdal_error()
    ds = None


def gdal_error() -> str:
    from osgeo import gdal

    return gdal.GetLastErrorMsg()


def ogr_delete(path, table: str, row_id: str) -> None:
    """Delete a feature through GDAL/OGR (QGIS's delete feature)."""
    ds = _open(path)
    layer = _layer(ds, table)
    assert layer.DeleteFeature(_feature(layer, row_id).GetFID()) == 0, gdal_error()
    ds = None


def ogr_insert(path, table: str, **fields) -> str:
    """Add a feature through GDAL/OGR (no id given); returns the UUID the package gave it."""
    ds = _open(path)
    layer = _layer(ds, table)
    feature = ogr.Feature(layer.GetLayerDefn())
    for name, value in fields.items():
        _set(feature, name, value)
    assert layer.CreateFeature(feature) == 0, gdal_error()
    fid = feature.GetFID()
    ds = None
    ds = ogr.Open(str(path))
    found = _layer(ds, table).GetFeature(fid).GetField("id")
    ds = None
    return found


def rows(target, table: str, **where) -> List[Dict[str, Any]]:
    with open_database(str(target)) as db:
        return db.fetch(table, where=where or None, include_deleted=True)


def row(target, table: str, row_id: str) -> Dict[str, Any]:
    [found] = rows(target, table, id=row_id)
    return found


def live_ids(target, table: str, district: Optional[str] = None) -> List[str]:
    with open_database(str(target)) as db:
        where = {"district_code": district} if district else None
        return [r["id"] for r in db.fetch(table, where=where)]


def live_keys(target) -> set:
    """(table, id) of every live versioned row."""
    from roadinfra.core.sync.values import SYNC_TABLES

    with open_database(str(target)) as db:
        return {(t, r["id"]) for t in SYNC_TABLES for r in db.fetch(t)}


def cli(*args: str, env: Optional[dict] = None) -> subprocess.CompletedProcess:
    """``roadinfra ARGS`` in a new process (as a user runs it)."""
    return subprocess.run([sys.executable, "-m", "roadinfra.core.cli", *args],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)


def copy(src, dst) -> Path:
    shutil.copyfile(src, dst)
    return Path(dst)


def orthophoto(path, west, north, size=2000, step=0.0001):
    """An RGB GeoTIFF in EPSG:4326 (about 11 m pixels, a gradient per band), as a
    downloaded orthophoto would come."""
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    ramp = np.linspace(0, 255, size, dtype=np.uint8)
    data = np.stack([np.tile(ramp, (size, 1)), np.tile(ramp[:, None], (1, size)),
                     np.full((size, size), 120, np.uint8)])
    with rasterio.open(path, "w", driver="GTiff", width=size, height=size, count=3,
                       dtype="uint8", crs="EPSG:4326",
                       transform=from_origin(west, north, step, step)) as dst:
        dst.write(data)
    return path
