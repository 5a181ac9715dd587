"""A wrong CRS given for parcels whose file declares none: refused in the
words of the face that read them (the dialog's 'CRS' box, Processing's parameter labels,
'layer' for a layer), translated; never the CLI's --crs/--trust-crs."""

from __future__ import annotations

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingException,
    QgsProject,
    QgsVectorLayer,
)
from roadinfra.plugin.i18n import install_translator, remove_translator

from tests.support.cadastre_db import demo_database
from tests.support.cadastre_files import grid_parcels, write
from tests.support.cadastre_qgis import run


@pytest.fixture
def no_prj(tmp_path):
    """A Shapefile of parcels in the provincial grid (EPSG:9209) without its .prj."""
    path = write(grid_parcels(columns=3, rows=1), tmp_path / "noprj.shp")
    path.with_suffix(".prj").unlink()
    return path


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_processing_refuses_a_wrong_crs_given_in_its_own_terms(roadinfra_provider, no_prj,
                                                               tmp_path, language, lang):
    language(lang)
    translator = install_translator(lang) if lang == "vi" else None
    db = demo_database(tmp_path)
    layer = QgsVectorLayer(str(no_prj), "noprj", "ogr")
    QgsProject.instance().addMapLayer(layer)
    try:
        words = {"en": ("the CRS given in 'CRS of parcels whose source declares none' "
                        "(EPSG:9210", "is wrong: the {kind} declares none, and its coordinates "
                        "fit EPSG:9209", "choose EPSG:9209 in 'CRS of parcels whose source "
                        "declares none', or, if the data really is in EPSG:9210",
                        "confirm it (tick 'Trust the declared VN-2000 CRS of another zone",
                        "; nothing was imported"),
                 "vi": ("hệ tọa độ nhập ở 'Hệ tọa độ của các thửa mà nguồn không khai báo' "
                        "(EPSG:9210", "sai: {kind} không khai báo hệ tọa độ nào, và các tọa "
                        "độ của nó khớp EPSG:9209", "hãy chọn EPSG:9209 ở 'Hệ tọa độ của các "
                        "thửa mà nguồn không khai báo', hoặc, nếu dữ liệu thật sự theo "
                        "EPSG:9210", "hãy xác nhận (chọn 'Tin hệ tọa độ VN-2000 múi khác",
                        "; chưa nhập gì")}[lang]
        kinds = {"en": ("file", "layer"), "vi": ("tệp", "lớp")}[lang]
        for source, kind in ((str(no_prj), kinds[0]), (layer.id(), kinds[1])):
            with pytest.raises(QgsProcessingException) as refused:
                run("cadastre_import", {"INPUT": source, "DATABASE": str(db),
                                        "CRS": QgsCoordinateReferenceSystem("EPSG:9210"),
                                        "OUTPUT": "TEMPORARY_OUTPUT"})
            message = str(refused.value)
            for text in words:
                assert text.format(kind=kind) in message, message
            assert "--crs" not in message and "--trust-crs" not in message
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
        if translator is not None:
            remove_translator(translator)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_wrong_crs_given_when_the_coordinates_fit_another_grid(roadinfra_provider, tmp_path,
                                                                 language, lang):
    """A Shapefile without .prj whose coordinates are in VN-2000 / UTM 48N
    (EPSG:3405), read in Processing with the grid EPSG:9209 given: refused in the face's
    words (not the province check's 'declared in'), translated, naming the parameter and
    every CRS the coordinates fit (WGS 84 / UTM 48N too, about 224 m away: the coordinates
    cannot tell the datums apart), with no single CRS to choose."""
    language(lang)
    translator = install_translator(lang) if lang == "vi" else None
    path = write(grid_parcels(columns=3, rows=1).to_crs(3405), tmp_path / "utm.shp")
    path.with_suffix(".prj").unlink()
    db = demo_database(tmp_path)
    try:
        words = {"en": ("the CRS given in 'CRS of parcels whose source declares none' "
                        "(EPSG:9209", "is wrong: the file declares none, and its coordinates "
                        "fit each of EPSG:3405 VN-2000 / UTM zone 48N, ",
                        "EPSG:32648 WGS 84 / UTM zone 48N", "the coordinates cannot tell "
                        "VN-2000 from WGS 84 (or one grid from another) apart there, so choose "
                        "in 'CRS of parcels whose source declares none' the CRS the data was "
                        "really made in", "; nothing was imported"),
                 "vi": ("hệ tọa độ nhập ở 'Hệ tọa độ của các thửa mà nguồn không khai báo' "
                        "(EPSG:9209", "sai: tệp không khai báo hệ tọa độ nào, và các tọa độ "
                        "của nó khớp với từng hệ EPSG:3405 VN-2000 / UTM zone 48N, ",
                        "EPSG:32648 WGS 84 / UTM zone 48N", "không phân biệt được VN-2000 với "
                        "WGS 84", "hãy chọn ở 'Hệ tọa độ của các thửa mà nguồn không khai "
                        "báo' hệ tọa độ mà dữ liệu thực sự được lập", "; chưa nhập gì")}[lang]
        with pytest.raises(QgsProcessingException) as refused:
            run("cadastre_import", {"INPUT": str(path), "DATABASE": str(db),
                                    "CRS": QgsCoordinateReferenceSystem("EPSG:9209"),
                                    "OUTPUT": "TEMPORARY_OUTPUT"})
        message = str(refused.value)
        for text in words:
            assert text in message, message
        assert "declared in" not in message and "--crs" not in message
        assert "choose EPSG" not in message and "hãy chọn EPSG" not in message
    finally:
        if translator is not None:
            remove_translator(translator)
