"""Offline basemap: a raster the province supplies (orthophoto, scanned topographic map,
GeoTIFF) clipped to the package's area, in the provincial grid, tiled, compressed and with
overviews, written beside the package (``<package>_basemap.tif``, a relative path the
package's project and QField find)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Tuple

from .errors import SyncError

MARGIN_M = 250.0  # around the package's features
OVERVIEWS = (2, 4, 8, 16, 32)
# rows a package carries as context (the whole province, whole routes): the basemap fits
# the other features when there are any
CONTEXT_TABLES = ("admin_unit", "route")


def check_raster(raster: str) -> None:
    """SyncError (one line) unless ``raster`` is a georeferenced raster GDAL can read."""
    import rasterio
    import rasterio.errors
    from rasterio.errors import RasterioIOError

    try:
        with warnings.catch_warnings():  # "not georeferenced" is said below, in one line
            warnings.simplefilter("ignore", rasterio.errors.NotGeoreferencedWarning)
            with rasterio.open(raster) as src:
                crs = src.crs
    except RasterioIOError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        raise SyncError(f"{raster}: not a raster GDAL can read ({first})") from None
    if crs is None:
        raise SyncError(f"{raster}: the raster has no coordinate system; georeference it "
                        "first")


def package_bounds(package: str) -> Tuple[float, float, float, float, int]:
    """(xmin, ymin, xmax, ymax, srid) of every feature in the package, from the GeoPackage
    R-tree extents (gpkg_contents is not updated by edits, the R-trees are)."""
    from ..db.gpkg import GeoPackageDatabase

    db = GeoPackageDatabase.open(package)
    try:
        boxes, context = [], []
        for (table,) in db._query("SELECT table_name FROM gpkg_geometry_columns"):
            rtree = f"rtree_{table}_geom"
            if not rtree.replace("_", "").isalnum():
                continue
            found = db._query(f'SELECT min(minx), min(miny), max(maxx), max(maxy) '  # noqa: S608 # nosec B608 # name from gpkg_geometry_columns, checked above
                              f'FROM "{rtree}"')
            if found and found[0][0] is not None:
                (context if table in CONTEXT_TABLES else boxes).append(found[0])
        boxes = boxes or context
        if not boxes:
            raise SyncError(f"{package}: the package has no features to fit a basemap to")
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes), db.srs_id)
    finally:
        db.close()


def basemap_path(package: str) -> Path:
    return Path(package).with_name(Path(package).stem + "_basemap.tif")


def clip_basemap(raster: str, package: str, margin_m: float = MARGIN_M,
                 bounds: Tuple[float, float, float, float] | None = None,
                 out: Path | None = None) -> dict:
    """Clip ``raster`` to the package's area (or ``bounds`` in the provincial grid) plus
    ``margin_m`` into ``out`` (default :func:`basemap_path`); returns the file written,
    its size and overview levels."""
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.vrt import WarpedVRT
    from rasterio.windows import from_bounds

    xmin, ymin, xmax, ymax, srid = package_bounds(package)
    if bounds is not None:
        xmin, ymin, xmax, ymax = bounds
    xmin, ymin, xmax, ymax = xmin - margin_m, ymin - margin_m, xmax + margin_m, ymax + margin_m
    out = Path(out) if out is not None else basemap_path(package)
    check_raster(raster)
    with rasterio.open(raster) as src:
        with WarpedVRT(src, crs=f"EPSG:{srid}", resampling=Resampling.bilinear) as vrt:
            left, bottom, right, top = vrt.bounds
            if xmax <= left or xmin >= right or ymax <= bottom or ymin >= top:
                raise SyncError(f"{raster}: the raster does not cover the package's area "
                                f"({xmin:.0f},{ymin:.0f},{xmax:.0f},{ymax:.0f} in EPSG:{srid})")
            window = from_bounds(max(xmin, left), max(ymin, bottom), min(xmax, right),
                                 min(ymax, top), vrt.transform).round_offsets().round_lengths()
            data = vrt.read(window=window)
            profile = {
                "driver": "GTiff", "height": data.shape[1], "width": data.shape[2],
                "count": vrt.count, "dtype": data.dtype, "crs": vrt.crs,
                "transform": vrt.window_transform(window), "nodata": vrt.nodata,
                "tiled": True, "blockxsize": 256, "blockysize": 256,
                "compress": "deflate", "predictor": 2, "interleave": "pixel"}
    part = out.with_name(out.stem + ".part.tif")
    with rasterio.open(part, "w", **profile) as dst:
        dst.write(data)
        levels = [f for f in OVERVIEWS if min(data.shape[1], data.shape[2]) // f >= 64]
        if levels:
            dst.build_overviews(levels, Resampling.average)
            dst.update_tags(ns="rio_overview", resampling="average")
    part.replace(out)
    return {"basemap": str(out), "width": int(data.shape[2]), "height": int(data.shape[1]),
            "overviews": levels, "bounds": (xmin, ymin, xmax, ymax), "srid": srid}
