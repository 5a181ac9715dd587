"""Offline basemap: a raster the province supplies (orthophoto, scanned topographic map,
GeoTIFF) clipped to the package's area, in the provincial grid, tiled, compressed and with
overviews, written beside the package (``<package>_basemap.tif``, a relative path the
package's project and QField find)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Tuple

from ..db.base import IsCancelled
from ..errors import Cancelled
from .errors import SyncError

MARGIN_M = 250.0  # around the package's features
OVERVIEWS = (2, 4, 8, 16, 32)
#: The clip is read and written this many pixels square at a time (a multiple of the
#: output's 256-pixel tiles), with GDAL's block cache held to CACHE_MB: memory stays
#: bounded whatever the raster's size.
CHUNK = 1024
CACHE_MB = 64
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


def categorical(raster: str, src) -> bool:
    """Whether the raster's values are classes, not measurements: a colour table (a scanned
    topographic map as a paletted GeoTIFF), category names or an attribute table. Such a
    raster is resampled by nearest neighbour and its overviews by mode: an average of
    palette indices is another colour."""
    from rasterio.enums import ColorInterp

    if src.count == 1 and src.colorinterp[0] == ColorInterp.palette:
        return True
    try:
        from osgeo import gdal
    except ImportError:  # pragma: no cover - GDAL's Python bindings come with QGIS
        return False
    dataset = gdal.Open(str(raster))
    if dataset is None:
        return False
    band = dataset.GetRasterBand(1)
    return bool(band.GetCategoryNames()) or band.GetDefaultRAT() is not None


def clip_basemap(raster: str, package: str, margin_m: float = MARGIN_M,
                 bounds: Tuple[float, float, float, float] | None = None,
                 out: Path | None = None, is_cancelled: IsCancelled = None) -> dict:
    """Clip ``raster`` to the package's area (or ``bounds`` in the provincial grid) plus
    ``margin_m`` into ``out`` (default :func:`basemap_path`); returns the file written,
    its size and overview levels. A categorical raster (:func:`categorical`) keeps its
    classes and its colour table. ``is_cancelled`` is asked between chunks: a cancel
    leaves nothing behind (Cancelled)."""
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.errors import RasterioError
    from rasterio.vrt import WarpedVRT

    xmin, ymin, xmax, ymax, srid = package_bounds(package)
    if bounds is not None:
        xmin, ymin, xmax, ymax = bounds
    xmin, ymin, xmax, ymax = xmin - margin_m, ymin - margin_m, xmax + margin_m, ymax + margin_m
    out = Path(out) if out is not None else basemap_path(package)
    check_raster(raster)
    part = out.with_name(out.stem + ".part.tif")
    try:
        with rasterio.Env(GDAL_CACHEMAX=CACHE_MB * 2 ** 20), rasterio.open(raster) as src:
            classes = categorical(raster, src)
            colormap = None
            if classes and src.count == 1:
                try:
                    colormap = src.colormap(1)
                except ValueError:  # categories without colours
                    colormap = None
            sampling = Resampling.nearest if classes else Resampling.bilinear
            overview = Resampling.mode if classes else Resampling.average
            with WarpedVRT(src, crs=f"EPSG:{srid}", resampling=sampling) as vrt:
                written = _write_clip(vrt, part, (xmin, ymin, xmax, ymax), srid, raster,
                                      colormap, overview, is_cancelled)
        part.replace(out)
    except (SyncError, Cancelled):
        part.unlink(missing_ok=True)
        raise
    except (RasterioError, MemoryError, OSError) as exc:
        part.unlink(missing_ok=True)
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise SyncError(f"{raster}: the basemap could not be clipped into {out} "
                        f"({first})") from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    width, height, levels = written
    return {"basemap": str(out), "width": width, "height": height,
            "overviews": levels, "bounds": (xmin, ymin, xmax, ymax), "srid": srid,
            "resampling": sampling.name, "colormap": colormap is not None}


def _write_clip(vrt, part: Path, box: Tuple[float, float, float, float], srid: int,
                raster: str, colormap, overview, is_cancelled: IsCancelled):
    """Write the clip of ``vrt`` (the raster warped to the grid) to ``part`` chunk by chunk,
    with ``colormap`` (a paletted raster's) and overviews resampled by ``overview``;
    returns (width, height, overview levels)."""
    import rasterio
    from rasterio.windows import Window, from_bounds

    xmin, ymin, xmax, ymax = box
    left, bottom, right, top = vrt.bounds
    if xmax <= left or xmin >= right or ymax <= bottom or ymin >= top:
        raise SyncError(f"{raster}: the raster does not cover the package's area "
                        f"({xmin:.0f},{ymin:.0f},{xmax:.0f},{ymax:.0f} in EPSG:{srid})")
    window = from_bounds(max(xmin, left), max(ymin, bottom), min(xmax, right),
                         min(ymax, top), vrt.transform).round_offsets().round_lengths()
    width, height = int(window.width), int(window.height)
    profile = {
        "driver": "GTiff", "height": height, "width": width, "count": vrt.count,
        "dtype": vrt.dtypes[0], "crs": vrt.crs,
        "transform": vrt.window_transform(window), "nodata": vrt.nodata,
        "tiled": True, "blockxsize": 256, "blockysize": 256, "BIGTIFF": "IF_SAFER",
        "compress": "deflate", "predictor": 2, "interleave": "pixel"}
    levels = [f for f in OVERVIEWS if min(width, height) // f >= 64]
    if colormap is not None:
        profile["photometric"] = "palette"
    with rasterio.open(part, "w", **profile) as dst:
        if colormap is not None:
            dst.write_colormap(1, colormap)
        for row in range(0, height, CHUNK):  # one chunk of tiles in memory at a time
            for col in range(0, width, CHUNK):
                if is_cancelled is not None and is_cancelled():
                    raise Cancelled(f"{raster}: basemap clipping cancelled; nothing "
                                    "was written")
                piece = Window(col, row, min(CHUNK, width - col),
                               min(CHUNK, height - row))
                dst.write(vrt.read(window=Window(
                    window.col_off + col, window.row_off + row, piece.width,
                    piece.height)), window=piece)
        if levels:
            dst.build_overviews(levels, overview)
            dst.update_tags(ns="rio_overview", resampling=overview.name)
    return width, height, levels
