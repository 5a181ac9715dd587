"""The project inside a package: the package's layers with the same styles, forms and
relations as the provincial database (``load_database_layers``), stored in the GeoPackage
itself (table ``qgis_projects``, name ``roadinfra``) with relative paths only, so that QGIS
opens it from the file wherever the file was copied and QField finds its layers and photos
beside it; the offline basemap (if any) at the bottom. Forms carry no Python (QField cannot
run it).

:func:`embed_project` is the one maker of that project for every face: ``roadinfra package``
and ``roadinfra:package`` run it in the QGIS worker (``plugin/worker.py``, job ``project``,
through ``core.cli.cmd_package.store_project``)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsEditorWidgetSetup, QgsProject, QgsRasterLayer, QgsVectorLayer

from ...core.sync.basemap import basemap_path
from ..database.layers import PROJECT_SCOPE, load_database_layers, photo_widget
from ..database.naming import TABLE_PROPERTY

PROJECT_NAME = "roadinfra"
BASEMAP_NAMES = {"vi": "Bản đồ nền", "en": "Basemap"}
#: The folder of the project (the package's): ``@project_folder`` of a project stored in a
#: GeoPackage is ``geopackage:/folder``. QGIS 3.22 resolves "relative to the project" photo
#: paths of such a project against the current folder, so the photos' root is this
#: expression (data-defined), which holds for a project file too.
PHOTO_ROOT = "regexp_replace(@project_folder, '^geopackage:', '')"


def package_photo_widget() -> QgsEditorWidgetSetup:
    """The photo picker of the package's project: paths relative to the package's folder,
    given by :data:`PHOTO_ROOT` (no absolute path stored)."""
    config = dict(photo_widget("").config())
    config.update({"RelativeStorage": 2, "DefaultRoot": "", "PropertyCollection": {
        "name": "", "type": "collection", "properties": {
            "propertyRootPath": {"active": True, "type": 3, "expression": PHOTO_ROOT}}}})
    return QgsEditorWidgetSetup("ExternalResource", config)


def project_uri(package: str) -> str:
    return f"geopackage:{Path(package).resolve()}?projectName={PROJECT_NAME}"


def package_relative(source: str, package: Path) -> str:
    """``source`` (``PATH|options``) with the package's path written ``./NAME.gpkg``; other
    sources unchanged."""
    path, bar, options = source.partition("|")
    if path and Path(path).resolve() == package.resolve():
        return f"./{package.name}{bar}{options}"
    return source


def make_portable(project: QgsProject, package: Path) -> None:
    """Write the settings that name the package by its absolute path relative to the
    project (QGIS writes layer sources relative itself): the fall-back source of the
    reference drop-downs, the photos' folder (the package's, :func:`package_photo_widget`)
    and the database the RoadInfra panels use."""
    for layer in project.mapLayers().values():
        if not isinstance(layer, QgsVectorLayer) or not layer.customProperty(TABLE_PROPERTY):
            continue
        fields = layer.fields()
        for index in range(fields.count()):
            setup = layer.editorWidgetSetup(index)
            config = dict(setup.config())
            if setup.type() == "ValueRelation" and config.get("LayerSource"):
                config["LayerSource"] = package_relative(config["LayerSource"], package)
                layer.setEditorWidgetSetup(index, QgsEditorWidgetSetup(setup.type(), config))
            elif setup.type() == "ExternalResource":
                layer.setEditorWidgetSetup(index, package_photo_widget())
    project.writeEntry(PROJECT_SCOPE, "database", f"./{package.name}")


def embed_project(package: str, lang: str = "vi", default_district: str | None = None) -> str:
    """Write the package's project into the package; returns its URI. Runs in the QGIS
    worker only: it builds the project in ``QgsProject.instance()`` (QGIS resolves the
    relation editors of forms there only: a form built in another project is stored
    without its relations), which is the worker's own and empty."""
    path = Path(package).absolute()
    lang = "vi" if lang == "vi" else "en"
    project = QgsProject.instance()
    project.clear()
    try:
        load_database_layers(str(path), project, lang, default_district=default_district)
        make_portable(project, path)
        raster = basemap_path(str(path))
        if raster.is_file():  # under the asset layers
            layer = QgsRasterLayer(str(raster), BASEMAP_NAMES[lang])
            if layer.isValid():
                project.addMapLayer(layer, False)
                project.layerTreeRoot().addLayer(layer)
        project.writeEntryBool("Paths", "/Absolute", False)
        project.setTitle(path.stem)
        uri = project_uri(str(path))
        if not project.write(uri):
            raise OSError(f"{package}: QGIS could not store the project in the package: "
                          f"{project.error()}")
        return uri
    finally:
        project.clear()

