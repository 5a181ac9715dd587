"""The cadastre Processing algorithms run through processing.run like in the toolbox, on the
real French sample and on the demo database."""

import pytest
from qgis.core import QgsProcessingException
from roadinfra.core.cadastre.corridor import parse_widening
from roadinfra.core.cadastre.overlay import overlay_corridors
from roadinfra.core.cadastre.sources import parcels_from_database, routes_from_database
from roadinfra.core.db import database_info, open_database
from shapely.geometry import box

from tests.support.cadastre_db import demo_database
from tests.support.cadastre_files import write
from tests.support.cadastre_qgis import parcels_across, point_along, run
from tests.support.shared_data import SHARED_DATA

FR = str(SHARED_DATA / "cadastre_fr_edigeo" / "edigeo_parcelles_all_sheets.gpkg")


@pytest.fixture
def demo_db(tmp_path):
    return str(demo_database(tmp_path))


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
    kinds = sorted(f["kind"] for f in layer.getFeatures())
    assert set(kinds) == {"area_mismatch", "gap"} and kinds.count("gap") == 2  # open strips


def test_import_refuses_the_french_sample(roadinfra_provider, demo_db):
    before = database_info(demo_db)
    with pytest.raises(QgsProcessingException, match="lie in the province"):
        run("cadastre_import", {"INPUT": FR, "MAPPING": "fr_edigeo", "DATABASE": demo_db,
                                "OUTPUT": "memory:"})
    assert database_info(demo_db) == before


def test_import_and_overlay(roadinfra_provider, demo_db, tmp_path):

    parcels = parcels_across(point_along(demo_db))
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

    parcels = parcels_across(point_along(demo_db))
    assert main(["cadastre", "import", str(write(parcels, tmp_path / "to8.gpkg")), demo_db,
                 "--edition", "2025-01-01"]) == 0
    overlay = tmp_path / "overlay.gpkg"
    assert main(["cadastre", "overlay", demo_db, "--route", "DT455", "--widening",
                 "DT455:Km0+500-Km2+500:30", "-o", str(overlay)]) == 0
    pdf = tmp_path / "overlay.pdf"  # kept by RI_KEEP_PDF for a look
    result = run("cadastre_print_overlay", {"OVERLAY": str(overlay), "PROFILE": "thai_binh",
                                            "LANGUAGE": 1, "OUTPUT": str(pdf)})
    assert result["OUTPUT"] == str(pdf) and pdf.stat().st_size > 10_000
    words = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                    text=True, check=True).stdout.split())  # labels may wrap
    assert "road-protection corridors" in words and "Land to acquire" in words
    assert "DT455" in words and "Widening DT455 Km0+500-Km2+500 30 m" in words
    with pytest.raises(QgsProcessingException, match="no layer 'land_acquisition'"):
        empty = tmp_path / "empty.gpkg"
        parcels.to_file(empty, layer="other")
        run("cadastre_print_overlay", {"OVERLAY": str(empty), "OUTPUT": str(pdf)})


def six_parcels(demo_db):
    return parcels_across(point_along(demo_db), NgayCapNhat="20240115")


def test_check_takes_the_french_sample_open_as_a_layer(roadinfra_provider, empty_project):
    """Open as a layer the file is read as delivered; copied into memory, or only its
    selected features, it is read feature by feature in the layer's CRS: same findings."""
    from qgis.core import QgsFeatureRequest, QgsProcessingFeatureSourceDefinition, QgsVectorLayer

    params = {"MAPPING": "fr_edigeo", "PROFILE": "thai_binh", "OUTPUT": "memory:"}
    from_file = run("cadastre_check", {"INPUT": FR, **params})
    layer = QgsVectorLayer(FR, "edigeo", "ogr")
    assert layer.isValid()
    memory = layer.materialize(QgsFeatureRequest())
    for source in (layer, memory):
        result = run("cadastre_check", {"INPUT": source, **params})
        assert (result["PARCELS"], result["FINDINGS"]) == (900, from_file["FINDINGS"])
        assert result["OUTPUT"].crs().authid() == "EPSG:2154"
        assert "Lambert-93" in result["PROVINCE"]
        if source is layer:  # the file itself was read
            assert result["PROVINCE"] == from_file["PROVINCE"]
        else:  # named after the layer
            assert result["PROVINCE"].startswith("edigeo: ")
    empty_project.addMapLayer(layer)
    layer.selectByIds(sorted(layer.allFeatureIds())[:10])
    result = run("cadastre_check", {
        "INPUT": QgsProcessingFeatureSourceDefinition(layer.id(), True), **params})
    assert result["PARCELS"] == 10


def test_import_takes_a_memory_layer_in_its_own_crs(roadinfra_provider, demo_db, tmp_path):
    from qgis.core import QgsCoordinateReferenceSystem, QgsFeatureRequest, QgsVectorLayer

    path = str(write(six_parcels(demo_db), tmp_path / "to8.gpkg"))
    memory = QgsVectorLayer(path, "to8", "ogr").materialize(QgsFeatureRequest())
    assert memory.providerType() == "memory"
    before = database_info(demo_db)
    with pytest.raises(QgsProcessingException, match="the layer declares VN-2000"):
        run("cadastre_import", {"INPUT": memory, "DATABASE": demo_db, "OUTPUT": "memory:",
                                "CRS": QgsCoordinateReferenceSystem("EPSG:4326")})
    assert database_info(demo_db) == before
    result = run("cadastre_import", {"INPUT": memory, "DATABASE": demo_db, "OUTPUT": "memory:"})
    assert (result["IMPORTED"], result["REPLACED"]) == (6, 0)
    rows = open_database(demo_db).fetch("cadastral_parcel")
    assert sorted(r["parcel_no"] for r in rows) == [str(k) for k in range(1, 7)]
    assert {r["sheet_edition"] for r in rows} == {"2024-01-15"}
    assert {r["source"] for r in rows} == {"to8"}  # the layer's name


def test_pull_imports_only_new_or_newer_sheets(roadinfra_provider, demo_db, tmp_path):
    path = str(write(six_parcels(demo_db), tmp_path / "export.gpkg"))
    first = run("cadastre_pull", {"DATABASE": demo_db, "FILE": path})
    assert (first["SHEETS"], first["UP_TO_DATE"], first["IMPORTED"]) == (1, 0, 6)
    assert first["FETCHED"] == "-/8"
    again = run("cadastre_pull", {"DATABASE": demo_db, "FILE": path})
    assert (again["SHEETS"], again["UP_TO_DATE"], again["IMPORTED"]) == (1, 1, 0)
    with pytest.raises(QgsProcessingException, match="give one source"):
        run("cadastre_pull", {"DATABASE": demo_db})


def test_pull_gives_the_findings_of_the_sheets_fetched_as_a_layer(roadinfra_provider,
                                                                   demo_db, tmp_path):
    """Issue 14 review 14m, item 5: the Processing pull had no findings layer. Now OUTPUT
    holds the import's findings of the sheets fetched, in the grid; empty when none was."""
    frame = six_parcels(demo_db)
    frame.loc[2, "DienTich"] = float(frame.loc[2, "DienTich"]) * 2  # official twice drawn
    path = str(write(frame, tmp_path / "export.gpkg"))
    first = run("cadastre_pull", {"DATABASE": demo_db, "FILE": path, "OUTPUT": "memory:"})
    layer = first["OUTPUT"]
    assert layer.crs().authid() == "EPSG:9209"
    assert [(f["kind"], f["row"]) for f in layer.getFeatures()] == [("area_mismatch", 3)]
    again = run("cadastre_pull", {"DATABASE": demo_db, "FILE": path, "OUTPUT": "memory:"})
    assert again["IMPORTED"] == 0 and again["OUTPUT"].featureCount() == 0


def test_pull_without_editions_compares_the_sheet(roadinfra_provider, demo_db, tmp_path):
    """Issue 14 review, 14b: an export without an edition field: the stored sheet is fetched
    and compared on every pull, and the log says so; a changed sheet replaces it."""
    import processing
    from qgis.core import QgsProcessingFeedback

    class Log(QgsProcessingFeedback):
        lines: list = []

        def pushInfo(self, info):  # noqa: N802 - QGIS's name
            self.lines.append(info)

    frame = six_parcels(demo_db).drop(columns=["NgayCapNhat"])
    path = str(write(frame, tmp_path / "export.gpkg"))
    assert run("cadastre_pull", {"DATABASE": demo_db, "FILE": path})["IMPORTED"] == 6
    log = Log()
    again = processing.run("roadinfra:cadastre_pull", {"DATABASE": demo_db, "FILE": path},
                           feedback=log)
    assert (again["UP_TO_DATE"], again["IMPORTED"], again["REPLACED"]) == (1, 0, 0)
    assert any("without an edition in the source, fetched and compared parcel by parcel: -/8"
               in line for line in log.lines)
    frame["LoaiDat"] = "LUC"
    write(frame, tmp_path / "export.gpkg")
    third = run("cadastre_pull", {"DATABASE": demo_db, "FILE": path})
    assert (third["UP_TO_DATE"], third["IMPORTED"], third["REPLACED"]) == (0, 6, 6)


def test_pull_reads_a_wfs_service(roadinfra_provider, demo_db):
    """The Processing face takes the WFS 2.0 source as `cadastre pull --wfs` does."""
    from tests.support.wfs_server import WfsServer

    frame = six_parcels(demo_db)
    features = [(row.geometry, {"SoTo": row["SoTo"], "SoThua": row["SoThua"],
                                "DienTich": row["DienTich"], "LoaiDat": row["LoaiDat"],
                                "NgayCapNhat": "2024-01-15"})
                for _, row in frame.iterrows()]
    with WfsServer("thua_dat", features, 9209, types={"NgayCapNhat": "date"}) as server:
        params = {"DATABASE": demo_db, "WFS": server.url, "TYPENAME": server.typename}
        first = run("cadastre_pull", params)
        assert (first["SHEETS"], first["UP_TO_DATE"], first["IMPORTED"]) == (1, 0, 6)
        again = run("cadastre_pull", params)
        assert (again["SHEETS"], again["UP_TO_DATE"], again["IMPORTED"]) == (1, 1, 0)
    with pytest.raises(QgsProcessingException, match="typename|feature type"):
        run("cadastre_pull", {"DATABASE": demo_db, "WFS": "http://127.0.0.1:9/wfs"})


def test_print_overlay_map_without_widening_or_encroachment(roadinfra_provider, demo_db,
                                                            tmp_path):
    """Empty land-acquisition and encroachment layers print (issue 14 review)."""
    import geopandas as gpd
    from roadinfra.core.cli import main

    parcels = six_parcels(demo_db)
    parcels["LoaiDat"] = "LUC"  # nothing built-up: no encroachment
    assert main(["cadastre", "import", str(write(parcels, tmp_path / "to8.gpkg")), demo_db,
                 "--edition", "2025-01-01"]) == 0
    overlay = tmp_path / "overlay.gpkg"
    assert main(["cadastre", "overlay", demo_db, "--route", "DT455", "-o", str(overlay)]) == 0
    for name in ("land_acquisition", "encroachment"):
        assert len(gpd.read_file(overlay, layer=name)) == 0
    pdf = tmp_path / "overlay.pdf"
    result = run("cadastre_print_overlay", {"OVERLAY": str(overlay), "PROFILE": "thai_binh",
                                            "LANGUAGE": 1, "OUTPUT": str(pdf)})
    assert result["OUTPUT"] == str(pdf) and pdf.stat().st_size > 10_000


def test_a_bug_in_a_worker_job_is_reported_as_a_bug(demo_db, tmp_path):
    """An ordinary exception in the print job (here a text area the map's table sums) is
    named as an unexpected error, not blamed on a missing python3-qgis."""
    import geopandas as gpd
    from roadinfra.core.cadastre.outputs import write_tables
    from roadinfra.core.qgis_worker import QgisWorkerError, run_worker

    keys = {"commune_code": ["13297"], "sheet_no": ["5"], "parcel_no": ["1"]}
    piece = gpd.GeoDataFrame({"route": ["DT455"], "zone": ["road_land"], **keys,
                              "area_in_m2": ["n/a"]}, geometry=[box(0, 0, 10, 10)], crs=9209)
    none = gpd.GeoDataFrame({"widening": [], "area_in_m2": [], "part": [],
                             **{k: [] for k in keys}}, geometry=[], crs=9209)
    overlay = write_tables({"corridor_parcels": piece, "encroachment": none,
                            "land_acquisition": none, "corridors": piece},
                           tmp_path / "text_area.gpkg")
    with pytest.raises(QgisWorkerError) as caught:
        run_worker(["overlay", "--db", str(overlay), "--out", str(tmp_path / "o.pdf")])
    message = str(caught.value)
    assert "unexpected error in RoadInfra" in message and "ValueError" in message
    assert "python3-qgis" not in message


def test_overlay_with_buildings_writes_numbers(roadinfra_provider, demo_db, tmp_path):
    """Processing sinks: the encroachment areas, shares and measures are numbers; a building
    row's area is its building part's (issue 14 review)."""
    import geopandas as gpd
    from qgis.core import QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    parcels = six_parcels(demo_db)
    parcels["LoaiDat"] = "LUC"
    assert run("cadastre_import", {"INPUT": str(write(parcels, tmp_path / "to8.gpkg")),
                                   "DATABASE": demo_db, "OUTPUT": "memory:"})["IMPORTED"] == 6
    middle = parcels.geometry.unary_union.centroid
    house = gpd.GeoDataFrame({"geometry": [middle.buffer(4.0, cap_style=3)]}, crs=9209)
    house.to_file(tmp_path / "house.gpkg", driver="GPKG")
    buildings = QgsVectorLayer(str(tmp_path / "house.gpkg"), "house", "ogr")
    result = run("cadastre_overlay", {
        "DATABASE": demo_db, "ROUTES": "DT455", "BUILDINGS": buildings,
        "CORRIDOR_PARCELS": "memory:", "ENCROACHMENT": "memory:", "ACQUISITION": "memory:",
        "CORRIDORS": "memory:"})
    enc = result["ENCROACHMENT"]
    fields = enc.fields()
    for name in ("parcel_area_m2", "area_in_m2", "share_pct", "from_m", "to_m"):
        assert fields.field(name).type() == QVariant.Double, name
    rows = list(enc.getFeatures())
    assert rows and {f["part"] for f in rows} == {"building"}
    for feature in rows:
        assert feature["area_in_m2"] == pytest.approx(feature.geometry().area(), abs=0.01)
        assert feature["area_in_m2"] < feature["parcel_area_m2"]
    assert sum(f["area_in_m2"] for f in rows) == pytest.approx(64.0, abs=0.1)


def test_overlay_refuses_buildings_in_a_wrong_zone(roadinfra_provider, demo_db, tmp_path):
    """A buildings layer labelled EPSG:9210 whose coordinates are in the grid
    (EPSG:9209) would match no corridor: refused as probably mislabelled, in a layer's
    terms, nothing written; the same house in the grid gives its encroachments."""
    import geopandas as gpd
    from qgis.core import QgsProcessingException, QgsVectorLayer

    parcels = six_parcels(demo_db)
    parcels["LoaiDat"] = "LUC"
    run("cadastre_import", {"INPUT": str(write(parcels, tmp_path / "to8.gpkg")),
                            "DATABASE": demo_db, "OUTPUT": "memory:"})
    middle = parcels.geometry.unary_union.centroid
    house = gpd.GeoDataFrame({"geometry": [middle.buffer(4.0, cap_style=3)]}, crs=9209)
    house.set_crs(9210, allow_override=True).to_file(tmp_path / "nha.gpkg", driver="GPKG")
    buildings = QgsVectorLayer(str(tmp_path / "nha.gpkg"), "nha", "ogr")
    with pytest.raises(QgsProcessingException) as refused:
        run("cadastre_overlay", {
            "DATABASE": demo_db, "ROUTES": "DT455", "BUILDINGS": buildings,
            "CORRIDOR_PARCELS": "memory:", "ENCROACHMENT": "memory:",
            "ACQUISITION": "memory:", "CORRIDORS": "memory:"})
    message = str(refused.value)
    assert "buildings layer nha: declared VN-2000 / TM-3 105-45, but the coordinates also " \
        "fit the provincial grid EPSG:9209" in message
    assert "give the layer its true CRS (set the layer's CRS in QGIS)" in message
    assert "--" not in message


def test_import_trusts_a_neighbouring_zone_only_when_asked(roadinfra_provider, tmp_path):
    """A file correctly in TM-3 105-45 (EPSG:9210) inside Thai Binh: refused as probably
    mislabelled, imported with TRUST_CRS; the edition in Vietnamese day-first form."""
    import geopandas as gpd
    from pyproj import Transformer
    from roadinfra.core.db import create_database

    db = tmp_path / "tb.gpkg"
    create_database(db).close()
    x, y = Transformer.from_crs(4326, 9210, always_xy=True).transform(106.45, 20.50)
    path = str(write(gpd.GeoDataFrame(
        [{"SoTo": "7", "SoThua": str(n), "geometry": box(x + 20 * n, y, x + 20 * n + 20, y + 20)}
         for n in range(1, 4)], crs=9210), tmp_path / "east.gpkg"))
    params = {"INPUT": path, "DATABASE": str(db), "EDITION": "05/03/2022", "OUTPUT": "memory:"}
    with pytest.raises(QgsProcessingException, match="mislabelled"):
        run("cadastre_import", params)
    result = run("cadastre_import", {**params, "TRUST_CRS": True})
    assert result["IMPORTED"] == 3
    assert {r["sheet_edition"] for r in open_database(db).fetch("cadastral_parcel")} == {
        "2022-03-05"}


def test_selected_features_never_replace_a_whole_sheet(roadinfra_provider, demo_db, tmp_path,
                                                       empty_project):
    """Issue 14 review, item 8: 2 selected parcels of a sheet of 6 imported as a newer edition
    are refused (one line naming the sheet and both counts), the database unchanged; ticked
    *Whole sheets*, they replace it (the other 4 kept in the history)."""
    from qgis.core import QgsProcessingFeatureSourceDefinition, QgsVectorLayer

    path = str(write(six_parcels(demo_db), tmp_path / "to8.gpkg"))
    layer = QgsVectorLayer(path, "to8", "ogr")
    empty_project.addMapLayer(layer)
    first = run("cadastre_import", {"INPUT": layer, "DATABASE": demo_db, "OUTPUT": "memory:",
                                    "EDITION": "01/01/2024"})
    assert first["IMPORTED"] == 6
    layer.selectByIds(sorted(layer.allFeatureIds())[:2])
    params = {"INPUT": QgsProcessingFeatureSourceDefinition(layer.id(), True),
              "DATABASE": demo_db, "EDITION": "01/06/2025", "OUTPUT": "memory:"}
    before = database_info(demo_db)
    with pytest.raises(QgsProcessingException) as caught:
        run("cadastre_import", params)
    assert "the new edition 2025-06-01 holds 2 parcel(s), the stored edition 2024-01-01 holds 6" \
        in str(caught.value)
    assert database_info(demo_db) == before
    result = run("cadastre_import", {**params, "WHOLE_SHEET": True})
    assert (result["IMPORTED"], result["REPLACED"]) == (2, 6)


def test_a_file_pull_of_part_of_a_sheet_needs_whole_sheets(roadinfra_provider, demo_db,
                                                           tmp_path):
    """Issue 14, second review, C: a pulled export holding 2 of the 6 parcels of a sheet as a
    newer edition is refused (the database unchanged) unless WHOLE_SHEET confirms it."""
    parcels = six_parcels(demo_db)
    assert run("cadastre_pull", {"DATABASE": demo_db, "FILE": str(
        write(parcels, tmp_path / "all.gpkg"))})["IMPORTED"] == 6
    part = str(write(parcels.iloc[:2].assign(NgayCapNhat="20250601"), tmp_path / "part.gpkg"))
    before = database_info(demo_db)
    with pytest.raises(QgsProcessingException) as caught:
        run("cadastre_pull", {"DATABASE": demo_db, "FILE": part})
    assert "the new edition 2025-06-01 holds 2 parcel(s), the stored edition 2024-01-15 holds 6" \
        in str(caught.value)
    assert database_info(demo_db) == before
    result = run("cadastre_pull", {"DATABASE": demo_db, "FILE": part, "WHOLE_SHEET": True})
    assert (result["IMPORTED"], result["REPLACED"]) == (2, 6)


@pytest.mark.parametrize("as_layer", [False, True])
def test_an_assigned_crs_against_the_sources_own_speaks_processing(roadinfra_provider,
                                                                  tmp_path, as_layer):
    """Parcels truly in EPSG:9209, declared so, with CRS EPSG:9210 and
    ASSIGN_CRS ticked: refused in the algorithm's own terms (its two parameter labels, "the
    file" for a path, "the layer" for a layer), never the CLI's options; nothing written."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsVectorLayer
    from roadinfra.core.db import create_database

    from tests.support.cadastre_files import truth

    db = tmp_path / "tb.gpkg"
    create_database(db).close()
    path = str(write(truth(), tmp_path / "ok9209.gpkg"))
    source = path
    if as_layer:
        layer = QgsVectorLayer(path, "ok", "ogr")
        QgsProject.instance().addMapLayer(layer)
        layer.selectByIds([1, 2])
        from qgis.core import QgsProcessingFeatureSourceDefinition
        source = QgsProcessingFeatureSourceDefinition(layer.id(), True)
    before = database_info(db)
    alg = roadinfra_provider.algorithm("cadastre_import")
    crs_label = alg.parameterDefinition("CRS").description()
    assign_label = alg.parameterDefinition("ASSIGN_CRS").description()
    with pytest.raises(QgsProcessingException) as refused:
        run("cadastre_import", {"INPUT": source, "DATABASE": str(db), "OUTPUT": "memory:",
                                "CRS": QgsCoordinateReferenceSystem("EPSG:9210"),
                                "ASSIGN_CRS": True})
    what = "layer" if as_layer else "file"
    message = str(refused.value)
    assert (f"the CRS assigned to the {what} (EPSG:9210 VN-2000 / TM-3 105-45, '{crs_label}' "
            f"with '{assign_label}' ticked) disagrees with the {what}'s own declared CRS, "
            f"EPSG:9209 VN-2000 / TM-3 105-30, which the coordinates fit: untick "
            f"'{assign_label}' and leave '{crs_label}' empty") in message
    assert "--" not in message and database_info(db) == before


def test_overlay_buildings_file_of_two_layers_and_workbook_in_vietnamese(
        roadinfra_provider, demo_db, tmp_path):
    """BUILDINGS as the path of a GeoPackage holding the parcels first and the houses second:
    refused naming both layers; ``path|layername=nha`` reads the houses. The workbook's
    headers and zones are in QGIS's language (here Vietnamese)."""
    import geopandas as gpd
    import openpyxl
    from qgis.core import QgsSettings

    parcels = six_parcels(demo_db)
    parcels["LoaiDat"] = "LUC"
    run("cadastre_import", {"INPUT": str(write(parcels, tmp_path / "to8.gpkg")),
                            "DATABASE": demo_db, "OUTPUT": "memory:"})
    both = tmp_path / "both.gpkg"
    parcels.to_file(both, layer="thua_dat")
    middle = parcels.geometry.unary_union.centroid
    gpd.GeoDataFrame({"geometry": [middle.buffer(4.0, cap_style=3)]}, crs=9209).to_file(
        both, layer="nha")
    outputs = {"CORRIDOR_PARCELS": "memory:", "ENCROACHMENT": "memory:",
               "ACQUISITION": "memory:", "CORRIDORS": "memory:"}
    with pytest.raises(QgsProcessingException, match=r"2 layers with geometries \(thua_dat, "
                                                     r"nha\); name the buildings layer \(give "
                                                     r"'Buildings' as FILE\|layername=NAME\)"):
        run("cadastre_overlay", {"DATABASE": demo_db, "ROUTES": "DT455",
                                 "BUILDINGS": str(both), **outputs})
    with pytest.raises(QgsProcessingException, match=r"widening 'DT455:12.000-13.500:24': "
                                                     r"FROM '12.000' is ambiguous"):
        run("cadastre_overlay", {"DATABASE": demo_db, "ROUTES": "DT455",
                                 "WIDENINGS": "DT455:12.000-13.500:24", **outputs})
    # a survey DXF: the house on CAD layer NHA, the parcel outlines on THUA
    from osgeo import ogr
    drawing = tmp_path / "survey.dxf"
    source = ogr.GetDriverByName("DXF").CreateDataSource(str(drawing))
    entities = source.CreateLayer("entities")
    for geom, cad in [(middle.buffer(4.0, cap_style=3), "NHA")] + [
            (g, "THUA") for g in parcels.geometry]:
        feature = ogr.Feature(entities.GetLayerDefn())
        feature.SetField("Layer", cad)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(
            "LINESTRING (" + ", ".join(f"{x} {y}" for x, y in geom.exterior.coords) + ")"))
        entities.CreateFeature(feature)
    source = entities = None
    with pytest.raises(QgsProcessingException, match=r"a drawing with entities on 2 CAD layers "
                                                     r"\(NHA \(1\), THUA \(6\)\); name the "
                                                     r"buildings' CAD layer \(give 'CAD layers"):
        run("cadastre_overlay", {"DATABASE": demo_db, "ROUTES": "DT455",
                                 "BUILDINGS": str(drawing), **outputs})
    drawn = run("cadastre_overlay", {"DATABASE": demo_db, "ROUTES": "DT455",
                                     "BUILDINGS": str(drawing), "BUILDINGS_CAD_LAYERS": "NHA",
                                     **outputs})
    drawn_rows = [f["area_in_m2"] for f in drawn["ENCROACHMENT"].getFeatures()]
    settings = QgsSettings()
    before = settings.value("locale/userLocale", "")
    settings.setValue("locale/userLocale", "vi")
    try:
        result = run("cadastre_overlay", {
            "DATABASE": demo_db, "ROUTES": "DT455", "BUILDINGS": f"{both}|layername=nha",
            "XLSX": str(tmp_path / "o.xlsx"), **outputs})
    finally:
        settings.setValue("locale/userLocale", before)
    rows = list(result["ENCROACHMENT"].getFeatures())
    assert {f["part"] for f in rows} == {"building"}
    assert sum(f["area_in_m2"] for f in rows) == pytest.approx(64.0, abs=0.1)
    assert sum(drawn_rows) == pytest.approx(64.0, abs=0.1)  # the house of the drawing alone
    sheet = openpyxl.load_workbook(tmp_path / "o.xlsx")["encroachment"]
    head = [c.value for c in sheet[1]]
    assert head[:2] == ["Tuyến", "Vùng"]  # headers in Vietnamese
    assert {row[1].value for row in sheet.iter_rows(min_row=2)} <= {
        "hành lang an toàn", "đất của đường bộ"}


def test_overlay_buildings_drawing_open_as_a_layer_read_as_the_file(
        roadinfra_provider, demo_db, tmp_path, empty_project):
    """A survey DXF open in QGIS (its LineString entities, as QGIS opens it) is a drawing as
    its file is: with no CAD layer named it is refused naming them, the CAD layers named are
    read (also of its selected features), and ``FILE|cadlayer=NHA`` is read as the file."""
    from osgeo import ogr
    from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProject, QgsVectorLayer

    parcels = six_parcels(demo_db)
    parcels["LoaiDat"] = "LUC"
    run("cadastre_import", {"INPUT": str(write(parcels, tmp_path / "to8.gpkg")),
                            "DATABASE": demo_db, "OUTPUT": "memory:"})
    house = parcels.geometry.unary_union.centroid.buffer(4.0, cap_style=3)
    drawing = tmp_path / "survey.dxf"
    source = ogr.GetDriverByName("DXF").CreateDataSource(str(drawing))
    entities = source.CreateLayer("entities")
    for geom, cad in [(house, "NHA")] + [(g, "THUA") for g in parcels.geometry]:
        feature = ogr.Feature(entities.GetLayerDefn())
        feature.SetField("Layer", cad)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(
            "LINESTRING (" + ", ".join(f"{x} {y}" for x, y in geom.exterior.coords) + ")"))
        entities.CreateFeature(feature)
    source = entities = None
    layer = QgsVectorLayer(f"{drawing}|layername=entities|geometrytype=LineString", "survey",
                           "ogr")
    assert layer.isValid() and layer.featureCount() == 7
    QgsProject.instance().addMapLayer(layer)
    outputs = {"DATABASE": demo_db, "ROUTES": "DT455", "CORRIDOR_PARCELS": "memory:",
               "ENCROACHMENT": "memory:", "ACQUISITION": "memory:", "CORRIDORS": "memory:"}
    with pytest.raises(QgsProcessingException, match=r"survey: a drawing with entities on 2 "
                                                     r"CAD layers \(NHA \(1\), THUA \(6\)\)"):
        run("cadastre_overlay", {"BUILDINGS": layer.id(), **outputs})
    layer.selectByExpression("\"Layer\" = 'NHA' OR \"Layer\" = 'THUA'")
    selected = QgsProcessingFeatureSourceDefinition(layer.id(), True)
    for buildings in (layer.id(), selected, f"{drawing}|cadlayer=NHA"):
        cad = "" if isinstance(buildings, str) and "|" in buildings else "NHA"
        result = run("cadastre_overlay", {"BUILDINGS": buildings, "BUILDINGS_CAD_LAYERS": cad,
                                          **outputs})
        rows = list(result["ENCROACHMENT"].getFeatures())
        assert {f["building"] for f in rows} == {"1"}
        assert sum(f["area_in_m2"] for f in rows) == pytest.approx(64.0, abs=0.1)
