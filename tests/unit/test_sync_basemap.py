"""Offline basemap: a georeferenced GeoTIFF (written here with rasterio, in WGS 84 like a
downloaded orthophoto) is clipped to the package's area in the provincial grid, tiled,
compressed, with overviews, beside the package; bad rasters are refused in one line
before the package is made."""

import sys
from pathlib import Path

import numpy as np
import pytest
import rasterio

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from roadinfra.core.crs import to_wgs84  # noqa: E402
from roadinfra.core.sync import Scope, SyncError, create_package  # noqa: E402
from roadinfra.core.sync.basemap import package_bounds  # noqa: E402

from tests.support.sync import cli, orthophoto, rows  # noqa: E402


def test_basemap_is_clipped_tiled_compressed_with_overviews(province, tmp_path):
    cut = tmp_path / "first.gpkg"
    create_package(str(province), Scope("area", "340"), str(cut))
    xmin, ymin, xmax, ymax, srid = package_bounds(str(cut))
    lon, lat = to_wgs84((xmin + xmax) / 2, (ymin + ymax) / 2)
    raster = orthophoto(tmp_path / "ortho.tif", lon - 0.1, lat + 0.1)
    out = tmp_path / "crew.gpkg"
    made = create_package(str(province), Scope("area", "340"), str(out), basemap=str(raster))
    assert made["basemap"] == str(tmp_path / "crew_basemap.tif")
    with rasterio.open(made["basemap"]) as src:
        assert src.crs.to_epsg() == srid == 9209
        assert src.profile["tiled"] and src.profile["blockxsize"] == 256
        assert src.compression.name.lower() == "deflate"
        assert src.overviews(1) and src.count == 3
        left, bottom, right, top = src.bounds
        # the package's features fit inside, with the margin, and the raster was clipped
        assert left <= xmin and right >= xmax - 1 and bottom <= ymin and top >= ymax - 1
        assert src.width < 2000 * 2


def test_bad_rasters_are_refused_before_the_package_is_made(province, tmp_path):
    text = tmp_path / "not_a_raster.tif"
    text.write_text("ảnh chụp")
    bare = tmp_path / "bare.tif"
    with rasterio.open(bare, "w", driver="GTiff", width=10, height=10, count=1,
                       dtype="uint8") as dst:
        dst.write(np.zeros((1, 10, 10), np.uint8))
    far = orthophoto(tmp_path / "far.tif", 2.0, 48.0, size=50)  # Paris
    copy = province  # this test's own copy
    replicas = len(rows(copy, "sync_replica"))
    for raster, message in ((text, "not a raster GDAL can read"),
                            (bare, "has no coordinate system")):
        done = cli("package", "--db", str(copy), "--area", "340", "--out",
                   str(tmp_path / "p.gpkg"), "--basemap", str(raster))
        assert done.returncode == 2 and message in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "p.gpkg").exists()
        assert len(rows(copy, "sync_replica")) == replicas
    with pytest.raises(SyncError, match="does not cover the package's area"):
        create_package(str(copy), Scope("area", "340"), str(tmp_path / "q.gpkg"),
                       basemap=str(far))
    assert len(rows(copy, "sync_replica")) == replicas  # nothing registered, no file left
    assert sorted(p.name for p in tmp_path.glob("q*")) == []
