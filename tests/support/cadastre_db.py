"""Databases for cadastre tests: the demo database, an empty provincial GeoPackage (also as
the ``tb_db`` fixture), one holding a test route drawn from the test origin
(:func:`.cadastre_files.origin`), its live parcels, a refusal that leaves it unchanged, and
rows of adjoining parcels along such a route (a sheet as a real map draws it: parcels side
by side, not scattered)."""

from __future__ import annotations

from pathlib import Path

import pytest
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.db import create_database, database_info, open_database
from roadinfra.core.sample_data import build_demo_database
from shapely.geometry import MultiLineString, box

from tests.support.cadastre_files import origin


def demo_database(directory: Path, name: str = "thai_binh.gpkg") -> Path:
    """The demo database (``roadinfra demo``) built in ``directory``."""
    path = Path(directory) / name
    build_demo_database(path)
    return path


def empty_database(directory: Path, name: str = "tb.gpkg") -> Path:
    path = Path(directory) / name
    create_database(path).close()
    return path


@pytest.fixture
def tb_db(tmp_path):
    """An empty provincial GeoPackage ``thai_binh.gpkg`` (unit-tier fixture)."""
    return empty_database(tmp_path, "thai_binh.gpkg")


def route_database(directory: Path, parts, code: str = "DH99", grade: str = "IV",
                   name: str = "thai_binh.gpkg") -> Path:
    """A database holding the route ``code`` of ``grade`` whose parts are lists of (dx, dy)
    offsets in metres from the test origin (no kilometre posts, measures from 0)."""
    path = empty_database(directory, name)
    x, y = origin()
    handle = open_database(path)
    try:
        with handle.transaction():
            handle.insert("route", [{
                "code": code, "name": f"Đường huyện {code[2:]}", "route_class": code[:2],
                "road_grade": grade, "start_m": 0.0, "geom": MultiLineString(
                    [[(x + dx, y + dy) for dx, dy in part] for part in parts])}])
    finally:
        handle.close()
    return path


def live_parcels(path) -> list:
    """The parcels of the live map (not tombstoned) of the database at ``path``."""
    handle = open_database(path)
    try:
        return handle.fetch("cadastral_parcel")
    finally:
        handle.close()


def refused_unchanged(path, action, *expected: str) -> str:
    """Run ``action`` (an import or a pull the database at ``path`` must refuse): one
    CadastreError line naming each of ``expected`` and "nothing was imported", the database
    unchanged. Returns the message."""
    before = database_info(path)
    with pytest.raises(CadastreError) as caught:
        action()
    message = str(caught.value)
    assert "\n" not in message and "nothing was imported" in message
    for text in expected:
        assert text in message
    assert database_info(path) == before
    return message


def parcel_row(sheet: str, x_from: float, x_to: float, y0: float, first: int = 1,
               uses: dict | None = None, size: float = 20.0) -> list:
    """Adjoining ``size`` m square parcels (attributes as a Vietnamese export: SoTo, SoThua,
    DienTich, LoaiDat) from ``x_from`` to ``x_to`` east of the origin, their south edge
    ``y0`` north of it; numbered from ``first``, land use LUC unless ``uses`` (dx -> (number,
    land use)) says otherwise."""
    x, y = origin()
    rows = []
    for k in range(int(round((x_to - x_from) / size))):
        dx = x_from + k * size
        number, use = (uses or {}).get(dx, (str(first + k), "LUC"))
        rows.append({"SoTo": sheet, "SoThua": number, "DienTich": size * size, "LoaiDat": use,
                     "geometry": box(x + dx, y + y0, x + dx + size, y + y0 + size)})
    return rows


def live_sheets(db) -> list:
    """The (commune, sheet, edition) of the live parcels of ``db``, sorted."""
    return sorted({(r["commune_code"], r["sheet_no"], r["sheet_edition"])
                   for r in live_parcels(db)}, key=str)
