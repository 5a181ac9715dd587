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


_LIMITED_CLIP = """
import json, resource, sys
import rasterio
from rasterio.transform import from_origin
from roadinfra.core.errors import RoadInfraError
from roadinfra.core.sync.basemap import clip_basemap

province, folder, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
big = folder + "/ortho.tif"
with rasterio.open(big, "w", driver="GTiff", width=size, height=size, count=3, dtype="uint8",
                   crs="EPSG:9209", transform=from_origin(580000, 2282000, 1.0, 1.0),
                   tiled=True, blockxsize=512, blockysize=512, compress="deflate",
                   SPARSE_OK="TRUE"):
    pass  # nothing written: sparse on disk, 3 * size * size bytes as pixels
used = next(int(line.split()[1]) * 1024 for line in open("/proc/self/status")
            if line.startswith("VmSize:"))
limit = used + 150 * 2 ** 20  # well below the clip's pixels
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
try:
    made = clip_basemap(big, province, margin_m=0,
                        bounds=(580000, 2282000 - size, 580000 + size, 2282000),
                        out=folder + "/clip.tif")
except RoadInfraError as exc:
    print(json.dumps({"error": str(exc)}))
else:
    print(json.dumps(made))
"""


def test_a_large_raster_is_clipped_in_bounded_memory(province, tmp_path):
    """A 1 m orthophoto of 9000 x 9000 px, 3 bands (243 MB as pixels, sparse on disk), is
    clipped in a process whose address space may grow by only 150 MB: the clip is read and
    written a window at a time with GDAL's cache bounded (reading it whole, as before,
    fails there with a MemoryError), tiled, with its overviews."""
    import json
    import subprocess

    size = 9000
    done = subprocess.run([sys.executable, "-c", _LIMITED_CLIP, str(province), str(tmp_path),
                           str(size)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    made = json.loads(done.stdout.strip().splitlines()[-1])
    assert "error" not in made, made["error"]
    assert (made["width"], made["height"]) == (size, size)
    assert made["overviews"] == [2, 4, 8, 16, 32]
    with rasterio.open(made["basemap"]) as src:
        assert src.count == 3 and src.profile["tiled"] and src.overviews(1) == [2, 4, 8, 16, 32]
    assert not list(tmp_path.glob("*.part.tif"))


def test_the_clip_is_the_rasters_pixels_and_a_broken_one_is_one_line(province, tmp_path):
    """The clip written a window at a time holds the very pixels the warped raster gives
    for the whole area read at once, with its overviews; a raster whose pixels cannot be
    read (cut short after its header) is refused in one line naming it, nothing left."""
    from rasterio.enums import Resampling
    from rasterio.vrt import WarpedVRT
    from rasterio.windows import from_bounds
    from roadinfra.core.sync import basemap

    cut = tmp_path / "first.gpkg"
    create_package(str(province), Scope("area", "340"), str(cut))
    xmin, ymin, xmax, ymax, srid = package_bounds(str(cut))
    lon, lat = to_wgs84((xmin + xmax) / 2, (ymin + ymax) / 2)
    raster = orthophoto(tmp_path / "ortho.tif", lon - 0.1, lat + 0.1)
    made = basemap.clip_basemap(str(raster), str(cut), out=tmp_path / "clip.tif")
    assert made["overviews"] == [2, 4, 8, 16] and made["width"] > basemap.CHUNK
    m = basemap.MARGIN_M
    with rasterio.open(raster) as src, WarpedVRT(src, crs=f"EPSG:{srid}",
                                                 resampling=Resampling.bilinear) as vrt:
        left, bottom, right, top = vrt.bounds
        window = from_bounds(max(xmin - m, left), max(ymin - m, bottom),
                             min(xmax + m, right), min(ymax + m, top),
                             vrt.transform).round_offsets().round_lengths()
        whole = vrt.read(window=window)
    with rasterio.open(made["basemap"]) as out:
        assert out.read().shape == whole.shape and (out.read() == whole).all()
        assert out.overviews(1) == made["overviews"]
        assert out.tags(ns="rio_overview") == {"resampling": "average"}

    broken = tmp_path / "broken.tif"
    with rasterio.open(broken, "w", driver="GTiff", width=2000, height=2000, count=3,
                       dtype="uint8", crs="EPSG:4326", tiled=True, compress="deflate",
                       transform=rasterio.transform.from_origin(lon - 0.1, lat + 0.1,
                                                                0.0001, 0.0001)) as dst:
        dst.write(np.random.default_rng(1).integers(0, 255, (3, 2000, 2000), np.uint8))
    broken.write_bytes(broken.read_bytes()[:broken.stat().st_size // 3])
    with pytest.raises(SyncError) as caught:
        basemap.clip_basemap(str(broken), str(cut), out=tmp_path / "bad.tif")
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{broken}: the basemap could not be "
                                                       "clipped into ")
    assert not (tmp_path / "bad.tif").exists() and not list(tmp_path.glob("*.part.tif"))


def _paletted(path, west, north, size=1500, step=0.0002):
    """A scanned topographic map as provinces supply it: one 8-bit band with a colour table,
    in EPSG:4326: four colour bands crossed by thin black lines."""
    from rasterio.transform import from_origin

    index = np.zeros((size, size), np.uint8)
    for k, value in enumerate((10, 60, 110, 200)):
        index[:, k * size // 4:(k + 1) * size // 4] = value
    index[::7, :] = 10
    colours = {i: (0, 0, 0, 255) for i in range(256)}
    colours.update({60: (255, 255, 200, 255), 110: (120, 200, 120, 255),
                    200: (80, 80, 255, 255)})
    with rasterio.open(path, "w", driver="GTiff", width=size, height=size, count=1,
                       dtype="uint8", crs="EPSG:4326", photometric="palette",
                       transform=from_origin(west, north, step, step)) as dst:
        dst.write(index, 1)
        dst.write_colormap(1, colours)
    return path, colours


def test_a_paletted_map_keeps_its_colours_and_its_classes(province, tmp_path):
    cut = tmp_path / "first.gpkg"
    create_package(str(province), Scope("area", "340"), str(cut))
    xmin, ymin, xmax, ymax, _ = package_bounds(str(cut))
    lon, lat = to_wgs84((xmin + xmax) / 2, (ymin + ymax) / 2)
    raster, colours = _paletted(tmp_path / "topo.tif", lon - 0.15, lat + 0.15)
    made = create_package(str(province), Scope("area", "340"), str(tmp_path / "crew.gpkg"),
                          basemap=str(raster))
    with rasterio.open(made["basemap"]) as src:
        assert src.colorinterp[0] == rasterio.enums.ColorInterp.palette
        assert src.colormap(1)[60] == colours[60] and src.colormap(1)[200] == colours[200]
        classes = {0, 10, 60, 110, 200}
        assert set(np.unique(src.read(1))) <= classes  # no averaged index
        assert src.overviews(1)
        small = src.read(1, out_shape=(src.height // 4, src.width // 4))
        assert set(np.unique(small)) <= classes and len(set(np.unique(small))) >= 3


def test_cancel_while_the_basemap_is_clipped_leaves_nothing_behind(province, tmp_path):
    from roadinfra.core.db import open_database
    from roadinfra.core.errors import Cancelled

    cut = tmp_path / "first.gpkg"
    create_package(str(province), Scope("area", "340"), str(cut))
    xmin, ymin, xmax, ymax, _ = package_bounds(str(cut))
    lon, lat = to_wgs84((xmin + xmax) / 2, (ymin + ymax) / 2)
    raster = orthophoto(tmp_path / "ortho.tif", lon - 0.1, lat + 0.1)
    before = set(tmp_path.iterdir())
    clipping = tmp_path / "crew_basemap.part.tif"
    asked = []

    def cancel_once_clipping() -> bool:  # Cancel pressed once the clip has started
        asked.append(clipping.exists())
        return clipping.exists()

    with pytest.raises(Cancelled, match="basemap clipping cancelled"):
        create_package(str(province), Scope("area", "340"), str(tmp_path / "crew.gpkg"),
                       basemap=str(raster), is_cancelled=cancel_once_clipping)
    assert asked[-1] and not any(asked[:-1])
    assert set(tmp_path.iterdir()) == before
    with open_database(province) as db:
        assert db.count("sync_replica") == 1  # the first package only
