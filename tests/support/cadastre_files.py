"""Small cadastral files for tests: parcels in the Thai Binh grid with known answers, written
in real formats (Shapefile/GeoPackage through GDAL, DXF as AutoCAD R12 text)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from roadinfra.core.crs import to_grid
from shapely.geometry import box

#: A point in Thai Binh (lon, lat) near which test parcels are drawn.
ORIGIN_LONLAT = (106.40, 20.50)


def origin():
    return to_grid(*ORIGIN_LONLAT)


def grid_parcels(columns=4, rows=5, size=20.0, sheet="12", start=(0.0, 0.0)):
    """``columns`` x ``rows`` square parcels of ``size`` m in EPSG:9209 with Vietnamese
    attribute names; parcel numbers 1.. row by row from the south-west."""
    x0, y0 = origin()
    x0, y0 = x0 + start[0], y0 + start[1]
    out = []
    for j in range(rows):
        for i in range(columns):
            number = j * columns + i + 1
            out.append({"SoTo": sheet, "SoThua": str(number), "DienTich": size * size,
                        "LoaiDat": "ONT" if i == 0 else "LUC", "ChuSuDung": f"Hộ {number}",
                        "geometry": box(x0 + i * size, y0 + j * size,
                                        x0 + (i + 1) * size, y0 + (j + 1) * size)})
    return gpd.GeoDataFrame(out, crs=9209)


def write(frame: gpd.GeoDataFrame, path: Path) -> Path:
    frame.to_file(path, encoding="utf-8") if path.suffix == ".shp" else frame.to_file(path)
    return path


def write_dxf(path: Path, squares, labels) -> Path:
    """An R12 DXF: closed POLYLINEs (layer RANHTHUA) and TEXT labels (layer SOTHUA)."""
    out = ["0", "SECTION", "2", "ENTITIES"]
    for poly in squares:
        out += ["0", "POLYLINE", "8", "RANHTHUA", "66", "1", "70", "1"]
        for x, y in list(poly.exterior.coords)[:-1]:
            out += ["0", "VERTEX", "8", "RANHTHUA", "10", f"{x:.3f}", "20", f"{y:.3f}"]
        out += ["0", "SEQEND"]
    for (x, y), text in labels:
        out += ["0", "TEXT", "8", "SOTHUA", "10", f"{x:.3f}", "20", f"{y:.3f}", "40", "1.5",
                "1", text]
    out += ["0", "ENDSEC", "0", "EOF"]
    path.write_text("\n".join(out) + "\n", encoding="ascii")
    return path
