"""Buildings beyond the imported cadastral sheets (issue 14, second review, E): only where the
map covers is a building without a parcel an encroachment ("building outside any parcel");
beyond every imported sheet it is a note ("no cadastral map here"), not a row.

Route DH99 (grade IV: road land to 5.5 m from the centre-line, safety corridor to 14.5 m)
runs 2 km east from the origin; sheet 7 maps Km0+100-Km0+520 north of the road, sheet 8
Km0+100-Km0+520 south of it (the road between them is mapped land without parcels)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from roadinfra.core.cli import main
from roadinfra.core.db import create_database, open_database
from shapely.geometry import LineString, MultiLineString, box

from tests.support.cadastre_files import origin, write


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "thai_binh.gpkg"
    create_database(path).close()
    x, y = origin()
    handle = open_database(path)
    with handle.transaction():
        handle.insert("route", [{"code": "DH99", "name": "Đường huyện 99", "route_class": "DH",
                                 "road_grade": "IV", "start_m": 0.0, "geom": MultiLineString(
                                     [LineString([(x, y), (x + 2000, y)])])}])
    handle.close()
    return path


def _files(tmp_path):
    x, y = origin()
    parcels = gpd.GeoDataFrame([
        {"SoTo": sheet, "SoThua": str(k + 1), "DienTich": 400.0, "LoaiDat": "LUC",
         "geometry": box(x + 100 + 100 * k, y + y0, x + 120 + 100 * k, y + y0 + 20)}
        for sheet, y0 in (("7", 6), ("8", -26)) for k in range(5)], crs=9209)
    buildings = gpd.GeoDataFrame({"geometry": [
        box(x + 250, y - 2, x + 260, y + 2),      # on the road between the sheets: mapped
        box(x + 1500, y - 2, x + 1510, y + 2),    # Km1+500: no sheet imported here
        box(x + 1800, y + 6, x + 1806, y + 12),   # Km1+800, safety corridor: no sheet
    ]}, crs=9209)
    return write(parcels, tmp_path / "parcels.gpkg"), write(buildings, tmp_path / "nha.gpkg")


def test_buildings_beyond_the_imported_sheets_are_a_note_not_encroachments(db, tmp_path,
                                                                          capsys):
    parcels, buildings = _files(tmp_path)
    assert main(["cadastre", "import", str(parcels), str(db)]) == 0
    out = tmp_path / "overlay.gpkg"
    capsys.readouterr()
    assert main(["cadastre", "overlay", str(db), "--buildings", str(buildings),
                 "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert ("note: route DH99: 2 building(s) in its corridors where no cadastral sheet is "
            "imported (Km1+500-Km1+510, Km1+800-Km1+806): no cadastral map here, not checked "
            "against parcels") in printed
    enc = gpd.read_file(out, layer="encroachment")
    got = sorted((r.zone, r.reason, r.area_in_m2, r.km_from, r.km_to)
                 for r in enc.itertuples())
    assert got == [("road_land", "building outside any parcel", 40.0, "Km0+250", "Km0+260")]
