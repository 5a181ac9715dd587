"""Small cadastral files for tests: parcels in the Thai Binh grid with known answers, written
in real formats (Shapefile/GeoPackage through GDAL, DXF as AutoCAD R12 text), and parcels
truly in the grid labelled with another CRS (a mislabelled file)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from pyproj import CRS
from roadinfra.core.crs import to_grid
from shapely.geometry import box

#: A point in Thai Binh (lon, lat) near which test parcels are drawn.
ORIGIN_LONLAT = (106.40, 20.50)

#: TM-3 at the neighbouring meridian 105-45 on the WGS 84 ellipsoid, no datum shift.
NOWGS_10545 = ("+proj=tmerc +lat_0=0 +lon_0=105.75 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
               "+units=m +no_defs +type=crs")


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


def sheet_file(directory: Path, name: str, edition, count=None, use: str = "LUC") -> Path:
    """Sheet 12 as an export file ``name`` in ``directory``: 10 parcels (5 x 2 of
    :func:`grid_parcels`; the first ``count`` only), edition ``edition`` (NgayCapNhat; None:
    none), land use ``use``."""
    frame = grid_parcels(columns=5, rows=2, sheet="12")
    frame["NgayCapNhat"] = edition
    frame["LoaiDat"] = use
    return write(frame.iloc[:count], Path(directory) / name)


def truth(lon=106.40, lat=20.45, count=10, crs=9209):
    """``count`` 20 m parcels truly in the provincial grid EPSG:9209 at ``lon``, ``lat``,
    labelled ``crs``."""
    x, y = to_grid(lon, lat)
    return gpd.GeoDataFrame(
        [{"SoTo": "7", "SoThua": str(k + 1), "DienTich": 400.0, "LoaiDat": "LUC",
          "geometry": box(x + 20 * k, y, x + 20 * k + 20, y + 20)} for k in range(count)],
        crs=9209).set_crs(CRS.from_user_input(crs), allow_override=True)


def write(frame: gpd.GeoDataFrame, path: Path) -> Path:
    frame.to_file(path, encoding="utf-8") if path.suffix == ".shp" else frame.to_file(path)
    return path


def write_dxf(path: Path, squares, labels, polylines=()) -> Path:
    """An R12 DXF: closed POLYLINEs (layer RANHTHUA) and TEXT labels (layer SOTHUA), and
    ``polylines``: (layer, [(x, y), ...], closed) drawn as given."""
    out = ["0", "SECTION", "2", "ENTITIES"]
    lines = [("RANHTHUA", list(p.exterior.coords)[:-1], True) for p in squares]
    for layer, coords, closed in lines + list(polylines):
        out += ["0", "POLYLINE", "8", layer, "66", "1", "70", "1" if closed else "0"]
        for x, y in coords:
            out += ["0", "VERTEX", "8", layer, "10", f"{x:.3f}", "20", f"{y:.3f}"]
        out += ["0", "SEQEND"]
    for (x, y), text in labels:
        out += ["0", "TEXT", "8", "SOTHUA", "10", f"{x:.3f}", "20", f"{y:.3f}", "40", "1.5",
                "1", text]
    out += ["0", "ENDSEC", "0", "EOF"]
    path.write_text("\n".join(out) + "\n", encoding="ascii")
    return path


def write_dgn(path: Path, lines, labels, shapes=()) -> Path:
    """A MicroStation DGN (v7) file written by GDAL's DGN driver from its default 2D seed
    file (seed_2d.dgn of GDAL's data): closed line strings (level 10, the exterior of each of
    ``lines``), closed shapes (level 11, ``shapes``) and text elements (level 20, ``labels``:
    ((x, y), text)). DGN v7 stores coordinates as integer units of resolution."""
    from osgeo import ogr
    from shapely.geometry import LineString

    source = ogr.GetDriverByName("DGN").CreateDataSource(
        str(path), options=["MASTER_UNIT_NAME=m", "SUB_UNIT_NAME=cm"])
    layer = source.CreateLayer("elements")
    for level, geoms in ((10, lines), (11, shapes)):
        for geom in geoms:
            feature = ogr.Feature(layer.GetLayerDefn())
            wkt = LineString(geom.exterior.coords).wkt if level == 10 else geom.wkt
            feature.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
            feature.SetField("Level", level)
            layer.CreateFeature(feature)
    for (x, y), text in labels:
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({x} {y})"))
        feature.SetStyleString(f'LABEL(t:"{text}",s:1.5g)')
        feature.SetField("Level", 20)
        layer.CreateFeature(feature)
    source = None
    return path


def commune_sheet(sheet="7", commune="13297", edition="2024-01-01", start=(0, 0), columns=3,
                  rows=2, land_use=None) -> gpd.GeoDataFrame:
    """Sheet ``sheet`` of ``commune`` in the department's field names: ``columns`` x
    ``rows`` parcels of 20 m from ``start`` (m east, north of the test origin), dated
    ``edition`` (None: undated), land use ``land_use`` if given."""
    frame = grid_parcels(columns=columns, rows=rows, sheet=sheet, start=start)
    frame["MaXa"] = commune
    if edition is not None:
        frame["NgayCapNhat"] = edition
    if land_use:
        frame["LoaiDat"] = land_use
    return frame


def frames_file(directory: Path, name: str, *frames) -> Path:
    """The ``frames`` written together as one file ``directory/name``."""
    import pandas as pd

    return write(pd.concat(frames, ignore_index=True), directory / name)
