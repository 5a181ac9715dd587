"""The cadastre algorithms' inputs in Processing: whole numbers of float columns read the same
from a file and from a (filtered) layer of it; PolygonZ buildings given as a layer or a file;
the CRS set on a layer, and ASSIGN_CRS with and without a CRS."""

import geopandas as gpd
import pytest
from qgis.core import QgsVectorLayer
from roadinfra.core.db import open_database
from shapely.geometry import Polygon

from tests.support.cadastre_db import demo_database
from tests.support.cadastre_files import write
from tests.support.cadastre_qgis import parcels_across, point_along, run


@pytest.fixture
def demo_db(tmp_path):
    return str(demo_database(tmp_path))


def _live_sheets(demo_db):
    db = open_database(demo_db)
    try:
        return sorted({(r["commune_code"], r["sheet_no"]) for r in db.fetch("cadastral_parcel")})
    finally:
        db.close()


def test_float_numbers_same_sheet_from_file_and_filtered_layer(roadinfra_provider, demo_db,
                                                               tmp_path):
    p = point_along(demo_db)
    frame = parcels_across(p, count=5, use="LUC", MaXa=13297.0)
    frame["SoTo"], frame["SoThua"] = 12.0, [float(k + 1) for k in range(5)]
    path = str(write(frame, tmp_path / "real.gpkg"))
    result = run("cadastre_import", {"INPUT": path, "DATABASE": demo_db,
                                     "EDITION": "2025-01-01", "OUTPUT": "memory:"})
    assert result["IMPORTED"] == 5
    layer = QgsVectorLayer(path, "real", "ogr")
    layer.setSubsetString('"SoThua" >= 0')  # read feature by feature, not as the file
    result = run("cadastre_import", {"INPUT": layer, "DATABASE": demo_db,
                                     "EDITION": "2025-01-01", "OUTPUT": "memory:"})
    assert (result["IMPORTED"], result["REPLACED"]) == (0, 0)  # the same sheet, unchanged
    assert _live_sheets(demo_db) == [("13297", "12")]


def test_polygonz_buildings_layer_and_file(roadinfra_provider, demo_db, tmp_path):
    p = point_along(demo_db)
    parcels = parcels_across(p, use="LUC")
    run("cadastre_import", {"INPUT": str(write(parcels, tmp_path / "p.gpkg")),
                            "DATABASE": demo_db, "EDITION": "2025-01-01", "OUTPUT": "memory:"})
    houses = gpd.GeoDataFrame(
        [{"name": "nhà", "geometry": Polygon([(p.x - 2, p.y - 8, 5.0), (p.x + 2, p.y - 8, 5.0),
                                              (p.x + 2, p.y - 4, 5.0), (p.x - 2, p.y - 4, 5.0)])}],
        crs=9209)
    shp = tmp_path / "zb.shp"
    houses.to_file(shp)
    counts = []
    for buildings in (QgsVectorLayer(str(shp), "zb", "ogr"), str(shp)):
        result = run("cadastre_overlay", {
            "DATABASE": demo_db, "ROUTES": "DT455", "BUILDINGS": buildings,
            "CORRIDOR_PARCELS": "memory:", "ENCROACHMENT": "memory:",
            "ACQUISITION": "memory:", "CORRIDORS": "memory:"})
        enc = [f for f in result["ENCROACHMENT"].getFeatures() if f["reason"] == "building"]
        counts.append(round(sum(f["area_in_m2"] for f in enc), 2))
    assert counts == [16.0, 16.0]


def test_a_crs_set_on_the_layer_replaces_the_file_s_own(roadinfra_provider, demo_db, tmp_path):
    """A file mislabelled as the neighbouring TM-3 zone on WGS 84 without the datum shift:
    refused as it is; read as the grid once the user sets the layer's CRS to EPSG:9209."""
    from pyproj import CRS
    from qgis.core import QgsCoordinateReferenceSystem, QgsProcessingException

    p = point_along(demo_db)
    label = CRS.from_proj4("+proj=tmerc +lat_0=0 +lon_0=105.75 +k=0.9999 +x_0=500000 +y_0=0 "
                           "+ellps=WGS84 +units=m +no_defs +type=crs")
    frame = parcels_across(p, "31", 3, "LUC").set_crs(label, allow_override=True)
    path = str(write(frame, tmp_path / "lab.gpkg"))
    layer = QgsVectorLayer(path, "lab", "ogr")
    with pytest.raises(QgsProcessingException, match="probably mislabelled"):
        run("cadastre_import", {"INPUT": layer, "DATABASE": demo_db, "OUTPUT": "memory:"})
    layer.setCrs(QgsCoordinateReferenceSystem("EPSG:9209"))
    result = run("cadastre_import", {"INPUT": layer, "DATABASE": demo_db, "OUTPUT": "memory:"})
    assert result["IMPORTED"] == 3
    db = open_database(demo_db)
    try:
        stored = [r["geom"] for r in db.fetch("cadastral_parcel") if r["sheet_no"] == "31"]
    finally:
        db.close()
    assert sorted(round(g.bounds[1] - (p.y - 30), 6) for g in stored) == [0, 10, 20]


def test_assign_crs_parameter_reads_a_file_in_the_crs_given(roadinfra_provider, demo_db,
                                                            tmp_path):
    from pyproj import CRS
    from qgis.core import QgsProcessingException

    p = point_along(demo_db)
    label = CRS.from_epsg(9210)  # the neighbouring VN-2000 zone, 26 km off
    frame = parcels_across(p, "32", 3, "LUC").set_crs(label, allow_override=True)
    path = str(write(frame, tmp_path / "zone.gpkg"))
    params = {"INPUT": path, "DATABASE": demo_db, "OUTPUT": "memory:", "CRS": "EPSG:9209"}
    with pytest.raises(QgsProcessingException, match="disagrees"):
        run("cadastre_import", params)
    result = run("cadastre_import", dict(params, ASSIGN_CRS=True))
    assert result["IMPORTED"] == 3
    check = run("cadastre_check", {"INPUT": path, "CRS": "EPSG:9209", "ASSIGN_CRS": True,
                                   "OUTPUT": "memory:"})
    assert "assigned by the user in place of the file's own (VN-2000 / TM-3 105-45)" in \
        check["PROVINCE"]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_assign_crs_without_a_crs_is_refused_in_the_algorithm_s_terms(roadinfra_provider,
                                                                       tmp_path, lang):
    """ASSIGN_CRS ticked, CRS left empty: refused naming the two parameters
    as the dialog shows them (not the CLI's --assign-crs), for a layer of a whole file and
    for its selected features alike (never silently read in the layer's CRS)."""
    from qgis.core import QgsProcessingException, QgsProcessingFeatureSourceDefinition, QgsProject
    from roadinfra.core.cadastre.errors import CadastreError
    from roadinfra.plugin.cadastre.inputs import read_source
    from roadinfra.plugin.i18n import install_translator, remove_translator

    from tests.support.cadastre_files import grid_parcels

    path = str(write(grid_parcels(columns=3, rows=1), tmp_path / "ok9209.gpkg"))
    layer = QgsVectorLayer(path, "ok9209", "ogr")
    QgsProject.instance().addMapLayer(layer)
    layer.selectByIds([1, 2])
    translator = install_translator(lang) if lang == "vi" else None
    try:
        expected = {
            "en": "'Read the parcels in this CRS in place of the one their source declares (a "
                  "mislabelled file)' is ticked, but 'CRS of parcels whose source declares "
                  "none' is empty: choose the CRS to read the parcels in, or untick it",
            "vi": "'Đọc các thửa theo hệ tọa độ này thay cho hệ tọa độ nguồn đã khai báo (tệp "
                  "khai báo sai)' đã được chọn nhưng 'Hệ tọa độ của các thửa mà nguồn không "
                  "khai báo' để trống: hãy chọn hệ tọa độ để đọc các thửa, hoặc bỏ chọn mục "
                  "đó"}[lang]
        for source in (layer.id(), QgsProcessingFeatureSourceDefinition(layer.id(), True)):
            with pytest.raises(QgsProcessingException) as refused:
                run("cadastre_check", {"INPUT": source, "ASSIGN_CRS": True,
                                       "OUTPUT": "TEMPORARY_OUTPUT"})
            assert expected in str(refused.value) and "--assign-crs" not in str(refused.value)
        with pytest.raises(CadastreError, match="needs a CRS: none was chosen|chưa chọn hệ nào"):
            read_source(layer, assign_crs=True)  # the reading itself, for any other caller
    finally:
        if translator is not None:
            remove_translator(translator)
        QgsProject.instance().removeMapLayer(layer.id())


def test_a_geopackage_without_a_crs_is_checked_as_a_file_and_as_layers(roadinfra_provider,
                                                                      tmp_path):
    """Issue 14 review 14m, item 3: a GeoPackage written without a CRS (srs_id 0, which QGIS
    shows as "Undefined geographic SRS") crashed the check (CRSError in a
    QgsProcessingException) as a file and as an open layer: it declares no CRS, and its grid
    coordinates are checked as such, whole file and filtered layer alike."""
    import sqlite3

    from tests.support.cadastre_files import truth

    path = write(truth(106.40, count=3), tmp_path / "nocrs.gpkg")
    with sqlite3.connect(path) as con:
        con.execute("UPDATE gpkg_geometry_columns SET srs_id = 0")
        con.execute("UPDATE gpkg_contents SET srs_id = 0")
    whole = QgsVectorLayer(str(path), "nocrs", "ogr")
    assert whole.crs().isValid()  # QGIS's reading of srs_id 0
    filtered = QgsVectorLayer(str(path), "nocrs filtered", "ogr")
    filtered.setSubsetString('"SoThua" IS NOT NULL')
    for source in (str(path), whole, filtered):
        result = run("cadastre_check", {"INPUT": source, "MAPPING": "vn_cadastre",
                                        "OUTPUT": "memory:"})
        assert result["PARCELS"] == 3
        assert "no CRS declared; coordinates fit VN-2000 / TM-3 105-30" in result["PROVINCE"]
