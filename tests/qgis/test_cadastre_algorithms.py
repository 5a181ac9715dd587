"""The cadastre Processing algorithms run through processing.run like in the toolbox, on the
real French sample and on the demo database."""

import pytest
from qgis.core import QgsProcessingException
from roadinfra.core.cadastre.corridor import parse_widening
from roadinfra.core.cadastre.overlay import overlay_corridors
from roadinfra.core.cadastre.sources import parcels_from_database, routes_from_database
from roadinfra.core.db import database_info, open_database
from roadinfra.core.sample_data import build_demo_database
from shapely.geometry import box

from tests.support.cadastre_files import write
from tests.support.shared_data import SHARED_DATA

FR = str(SHARED_DATA / "cadastre_fr_edigeo" / "edigeo_parcelles_all_sheets.gpkg")


def run(name, params):
    import processing

    return processing.run(f"roadinfra:{name}", params)


@pytest.fixture
def demo_db(tmp_path):
    path = tmp_path / "thai_binh.gpkg"
    build_demo_database(path)
    return str(path)


def test_group_and_names(roadinfra_provider):
    names = {a.name() for a in roadinfra_provider.algorithms()}
    assert {"cadastre_check", "cadastre_import", "cadastre_overlay"} <= names
    assert roadinfra_provider.algorithm("cadastre_check").group() == "Cadastre"


def test_check_french_sample(roadinfra_provider):
    result = run("cadastre_check", {"INPUT": FR, "MAPPING": "fr_edigeo",
                                    "PROFILE": "thai_binh", "OUTPUT": "memory:"})
    layer = result["OUTPUT"]
    assert result["PARCELS"] == 900 and result["FINDINGS"] == layer.featureCount() > 100
    assert layer.crs().authid() == "EPSG:2154"
    assert "Lambert-93" in result["PROVINCE"]
    kinds = {f["kind"] for f in layer.getFeatures()}
    assert kinds == {"area_mismatch"}


def test_import_refuses_the_french_sample(roadinfra_provider, demo_db):
    before = database_info(demo_db)
    with pytest.raises(QgsProcessingException, match="lie in the province"):
        run("cadastre_import", {"INPUT": FR, "MAPPING": "fr_edigeo", "DATABASE": demo_db,
                                "OUTPUT": "memory:"})
    assert database_info(demo_db) == before


def test_import_and_overlay(roadinfra_provider, demo_db, tmp_path):
    import geopandas as gpd

    route = next(r for r in open_database(demo_db).fetch("route") if r["code"] == "DT455")
    p = route["geom"].geoms[0].interpolate(1500.0)
    parcels = gpd.GeoDataFrame(
        [{"SoTo": "8", "SoThua": str(k + 1), "DienTich": 100.0, "LoaiDat": "ONT",
          "geometry": box(p.x - 5, p.y - 30 + 10 * k, p.x + 5, p.y - 20 + 10 * k)}
         for k in range(6)], crs=9209)
    path = str(write(parcels, tmp_path / "to8.gpkg"))
    result = run("cadastre_import", {"INPUT": path, "DATABASE": demo_db, "EDITION": "2025-01-01",
                                     "OUTPUT": "memory:"})
    assert (result["IMPORTED"], result["REPLACED"]) == (6, 0)
    widening = "DT455:Km0+500-Km2+500:30"
    result = run("cadastre_overlay", {
        "DATABASE": demo_db, "ROUTES": "DT455", "WIDENINGS": widening,
        "CORRIDOR_PARCELS": "memory:", "ENCROACHMENT": "memory:", "ACQUISITION": "memory:",
        "CORRIDORS": "memory:", "XLSX": str(tmp_path / "o.xlsx")})
    db = open_database(demo_db)
    routes, grades = routes_from_database(db, ["DT455"])
    core = overlay_corridors(parcels_from_database(db), routes, grades, db.profile,
                             [parse_widening(widening)])
    assert result["PIECES"] == len(core.pieces) == result["CORRIDOR_PARCELS"].featureCount()
    assert result["ACQUISITION"].featureCount() == len(core.acquisition) > 0
    assert result["ENCROACHMENT"].featureCount() == len(core.encroachments) > 0
    areas = sorted(round(f["area_in_m2"], 2) for f in result["ACQUISITION"].getFeatures())
    assert areas == sorted(core.acquisition["area_in_m2"].round(2))
    assert (tmp_path / "o.xlsx").exists()
    with pytest.raises(QgsProcessingException, match="expected ROUTE:FROM-TO:WIDTH"):
        run("cadastre_overlay", {"DATABASE": demo_db, "WIDENINGS": "DT455",
                                 "CORRIDOR_PARCELS": "memory:", "ENCROACHMENT": "memory:",
                                 "ACQUISITION": "memory:", "CORRIDORS": "memory:"})


def test_print_overlay_map(roadinfra_provider, demo_db, tmp_path):
    import subprocess

    from roadinfra.core.cli import main

    route = next(r for r in open_database(demo_db).fetch("route") if r["code"] == "DT455")
    p = route["geom"].geoms[0].interpolate(1500.0)
    import geopandas as gpd

    parcels = gpd.GeoDataFrame(
        [{"SoTo": "8", "SoThua": str(k + 1), "DienTich": 100.0, "LoaiDat": "ONT",
          "geometry": box(p.x - 5, p.y - 30 + 10 * k, p.x + 5, p.y - 20 + 10 * k)}
         for k in range(6)], crs=9209)
    assert main(["cadastre", "import", str(write(parcels, tmp_path / "to8.gpkg")), demo_db,
                 "--edition", "2025-01-01"]) == 0
    overlay = tmp_path / "overlay.gpkg"
    assert main(["cadastre", "overlay", demo_db, "--route", "DT455", "--widening",
                 "DT455:Km0+500-Km2+500:30", "-o", str(overlay)]) == 0
    pdf = tmp_path / "overlay.pdf"  # kept by RI_KEEP_PDF for a look
    result = run("cadastre_print_overlay", {"OVERLAY": str(overlay), "PROFILE": "thai_binh",
                                            "LANGUAGE": 1, "OUTPUT": str(pdf)})
    assert result["OUTPUT"] == str(pdf) and pdf.stat().st_size > 10_000
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "road-protection corridors" in words and "Land to acquire" in words
    assert "DT455" in words and "Widening DT455 Km0+500-Km2+500 30 m" in words
    with pytest.raises(QgsProcessingException, match="no layer 'land_acquisition'"):
        empty = tmp_path / "empty.gpkg"
        parcels.to_file(empty, layer="other")
        run("cadastre_print_overlay", {"OVERLAY": str(empty), "OUTPUT": str(pdf)})
