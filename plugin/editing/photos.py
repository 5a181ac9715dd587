"""Photos in QGIS: "Attach photos..." for the selected feature, and photos shown in forms.

Attaching goes through :func:`roadinfra.core.photos.attach_photo` (copied into the
database's photo store under its sha256, EXIF position and time read); the attachment
layer's ``file_path`` widget (the loader's photo widget) shows the image.
"""

from __future__ import annotations

from typing import Iterable, List

from qgis.core import QgsVectorLayer
from qgis.PyQt.QtWidgets import QFileDialog

from ...core.errors import RoadInfraError
from ...core.photos import attach_photo, photo_root
from ..database.layers import photo_widget
from ..database.naming import TABLE_PROPERTY
from ..i18n import tr
from .source import author_name, layer_table, python_value


def show_photos_in_forms(hooks, layer: QgsVectorLayer) -> None:
    """A database with its own photo store (``db_meta`` photo_store, e.g. PostGIS): the
    attachment form's photo widget reads paths relative to that store. (A GeoPackage's
    paths are relative to its folder, which the layer loader already sets.)"""
    try:
        db = hooks.database(layer)
        if not db.meta("photo_store"):
            return
        root = photo_root(db)
    except RoadInfraError:
        return
    layer.setEditorWidgetSetup(layer.fields().indexFromName("file_path"),
                               photo_widget(str(root)))


def attach_photos(hooks, layer: QgsVectorLayer, feature, paths: Iterable[str]) -> List[dict]:
    """Attach photo files to one feature of a RoadInfra layer; the attachment layers of
    the project are reloaded. Returns the attachment rows."""
    table = layer_table(layer)
    db = hooks.database(layer)
    rows = [attach_photo(db, table.name, str(python_value(feature["id"])), path,
                         user=author_name()) for path in paths]
    for other in hooks.project.mapLayers().values():
        if other.customProperty(TABLE_PROPERTY) == "attachment":
            other.reload()
    return rows


def attach_photos_dialog(iface, hooks) -> None:
    """Choose photos for the one selected feature of the active RoadInfra layer."""
    layer = iface.activeLayer()
    table = layer_table(layer)
    selected = layer.selectedFeatures() if table is not None else []
    if table is None or len(selected) != 1:
        iface.messageBar().pushInfo(tr("RoadInfra"),
                                    tr("Select one feature of a RoadInfra layer first."))
        return
    paths, _ = QFileDialog.getOpenFileNames(iface.mainWindow(), tr("Attach photos"), "",
                                            tr("Images (*.jpg *.jpeg *.png *.tif *.tiff)"))
    if not paths:
        return
    try:
        rows = attach_photos(hooks, layer, selected[0], paths)
    except RoadInfraError as exc:
        iface.messageBar().pushCritical(tr("Photo not attached"), str(exc))
        return
    iface.messageBar().pushSuccess(tr("RoadInfra"), tr("{count} photo(s) attached.").format(
        count=len(rows)))
