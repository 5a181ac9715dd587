"""The project inside a package: the package's layers with the same styles, forms and
relations as the provincial database (``load_database_layers``), stored in the GeoPackage
itself (table ``qgis_projects``) with relative paths, so QGIS opens it from the file and
QField finds its layers beside it; the offline basemap (if any) at the bottom. Forms carry
no Python (QField cannot run it); photo paths are relative to the project's folder (the
package's), where the package keeps its photos and QField saves new ones."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProject, QgsRasterLayer

from ...core.sync.basemap import basemap_path
from ..database.layers import load_database_layers, photo_widget
from ..database.naming import TABLE_PROPERTY

PROJECT_NAME = "roadinfra"


def project_uri(package: str) -> str:
    return f"geopackage:{Path(package).resolve()}?projectName={PROJECT_NAME}"


def embed_project(package: str, lang: str = "vi", default_district: str | None = None) -> str:
    """Write the package's project into the package; returns its URI."""
    project = QgsProject()
    try:
        load_database_layers(str(package), project, lang, default_district=default_district)
        for layer in project.mapLayers().values():  # photos as files beside the project
            if layer.customProperty(TABLE_PROPERTY) == "attachment":
                layer.setEditorWidgetSetup(layer.fields().indexFromName("file_path"),
                                           photo_widget(""))
        raster = basemap_path(package)
        if raster.is_file():  # under the asset layers
            layer = QgsRasterLayer(str(raster), "Bản đồ nền" if lang == "vi" else "Basemap")
            if layer.isValid():
                project.addMapLayer(layer, False)
                project.layerTreeRoot().addLayer(layer)
        project.writeEntryBool("Paths", "/Absolute", False)
        project.setTitle(Path(package).stem)
        uri = project_uri(package)
        if not project.write(uri):
            raise OSError(f"{package}: QGIS could not store the project in the package: "
                          f"{project.error()}")
        return uri
    finally:
        project.clear()
