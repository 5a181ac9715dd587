"""Structural checks of the QGIS project stored in an offline package (QGIS tier): what QGIS
and QField need from it, compared with the provincial database loaded by the plugin."""

from __future__ import annotations

import io
import re
import sqlite3
import zipfile
from pathlib import Path
from typing import Dict, List
from xml.etree import ElementTree

from qgis.core import (
    QgsAttributeEditorContainer,
    QgsEditFormConfig,
    QgsExpression,
    QgsMapLayerType,
    QgsProject,
    QgsRasterLayer,
    QgsReadWriteContext,
)
from qgis.PyQt.QtXml import QDomDocument
from roadinfra.plugin.database.layers import load_database_layers, project_database
from roadinfra.plugin.database.naming import TABLE_PROPERTY
from roadinfra.plugin.database.styles import STYLE_CATEGORIES
from roadinfra.plugin.sync.project import PHOTO_ROOT, PROJECT_NAME, project_uri

# widget settings that name a layer or a folder, not how the form looks
PLACE_KEYS = ("Layer", "LayerSource", "DefaultRoot", "RelativeStorage", "PropertyCollection")
_SAVED_BY = ("saveDateTime", "saveUser", "saveUserFull")
_LAYER_ID = re.compile(r"_[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}")


def project_xml(package) -> str:
    """The XML of the package's stored project (``qgis_projects``, one row ``roadinfra``)."""
    with sqlite3.connect(str(package)) as conn:
        rows = conn.execute("SELECT name, content FROM qgis_projects").fetchall()
    assert [name for name, _ in rows] == [PROJECT_NAME]
    content = rows[0][1]
    data = bytes.fromhex(content) if isinstance(content, str) else bytes(content)
    archive = zipfile.ZipFile(io.BytesIO(data))
    [name] = [n for n in archive.namelist() if n.endswith(".qgs")]
    return archive.read(name).decode("utf-8")


def _value(text: str) -> str:
    """An attribute or text; XML inside it (symbols, properties) in canonical form."""
    text = text.strip()
    if text.startswith("<"):
        try:
            return _canonical(ElementTree.fromstring(f"<x>{text}</x>"))
        except ElementTree.ParseError:
            pass
    return _LAYER_ID.sub("_ID", text)


def _canonical(element) -> str:
    attributes = sorted((k, _value(v)) for k, v in element.attrib.items()
                        if k not in _SAVED_BY)
    children = sorted(_canonical(child) for child in element if child.tag != "creation")
    return (f"<{element.tag} {attributes} {_value(element.text or '')}>"
            + "".join(children) + "</>")


def canonical_project(package) -> str:
    """The project XML in a canonical form: attributes and child elements sorted (Qt writes
    attributes, and lists such as the snapping settings, in a random order), XML held in
    attributes canonical too, without what differs between two makes of the same project
    (layer ids, save time and user)."""
    text = project_xml(package).split("\n", 1)[1]   # no DOCTYPE
    return _canonical(ElementTree.fromstring(text))


def project_difference(one, other) -> str:
    """Where the projects of two packages differ ('' when they are the same project)."""
    a, b = canonical_project(one), canonical_project(other)
    if a == b:
        return ""
    at = next(i for i, (x, y) in enumerate(zip(a + "\0", b + "\0")) if x != y)
    return f"...{a[max(0, at - 300):at + 200]}\n  versus\n...{b[max(0, at - 300):at + 200]}"


def _tabs(element) -> list:
    if isinstance(element, QgsAttributeEditorContainer):
        return [element.name(), [_tabs(child) for child in element.children()]]
    return element.name()


def form_of(layer) -> dict:
    """How a layer's form looks: layout, tabs, widgets (without layer ids and folders)."""
    form = layer.editFormConfig()
    widgets = {}
    for index, qfield in enumerate(layer.fields()):
        setup = layer.editorWidgetSetup(index)
        config = {k: v for k, v in setup.config().items() if k not in PLACE_KEYS}
        widgets[qfield.name()] = (setup.type(), repr(sorted(config.items())),
                                  layer.attributeDisplayName(index))
    return {"layout": form.layout(), "tabs": [_tabs(t) for t in form.tabs()],
            "widgets": widgets, "display": layer.displayExpression()}


def style_of(layer) -> dict:
    """A layer's styles: their names, the current one, its symbology and labels."""
    document = QDomDocument()
    layer.exportNamedStyle(document, QgsReadWriteContext(), STYLE_CATEGORIES)
    manager = layer.styleManager()
    return {"styles": sorted(manager.styles()), "current": manager.currentStyle(),
            "renderer": layer.renderer().type() if layer.renderer() else None,
            "symbology": _value(document.toString())}


def by_table(project: QgsProject) -> Dict[str, object]:
    return {layer.customProperty(TABLE_PROPERTY): layer
            for layer in project.mapLayers().values() if layer.customProperty(TABLE_PROPERTY)}


def provincial_reference(province: str, lang: str) -> dict:
    """Styles, forms and relations of the provincial database as the plugin opens it (in
    ``QgsProject.instance()``, cleared afterwards)."""
    project = QgsProject.instance()
    project.clear()
    try:
        load_database_layers(province, project, lang)
        layers = by_table(project)
        return {"styles": {t: style_of(layer) for t, layer in layers.items()},
                "forms": {t: form_of(layer) for t, layer in layers.items()},
                "relations": sorted(project.relationManager().relations()),
                "polymorphic": sorted(project.relationManager().polymorphicRelations())}
    finally:
        project.clear()


def check_package_project(package: Path, province: str, build_folders: List[Path],
                          lang: str = "vi", basemap: bool = False) -> QgsProject:
    """Check the project of ``package`` (already moved away from where it was made):
    no path of ``build_folders`` in its XML, relative paths; read from the GeoPackage every
    layer is valid and reads the package; the same styles, forms and relations as
    ``province`` loaded by the plugin; no Python in the forms; photo paths relative to the
    project; the basemap under the asset layers. Returns the project read:
    ``QgsProject.instance()`` (clear it)."""
    reference = provincial_reference(province, lang)
    xml = project_xml(package)
    for folder in build_folders:
        assert str(folder) not in xml, f"absolute path {folder} in the project"
    assert '<Absolute type="bool">false</Absolute>' in xml
    project = QgsProject.instance()   # as QGIS opens it (forms resolve relations there)
    assert project.read(project_uri(str(package))), project.error()
    editors = re.findall(r'<attributeEditorRelation [^>]*?relation="([^"]*)"', xml)
    assert editors and set(editors) <= set(project.relationManager().relations())
    assert not project.readBoolEntry("Paths", "/Absolute", False)[0]
    invalid = [layer.name() for layer in project.mapLayers().values() if not layer.isValid()]
    assert invalid == []
    assert Path(project_database(project)).resolve() == package.resolve()
    layers = by_table(project)
    assert sorted(layers) == sorted(reference["styles"])
    for layer in layers.values():
        assert Path(layer.source().split("|")[0]).resolve() == package.resolve()
        form = layer.editFormConfig()
        assert form.initCodeSource() == QgsEditFormConfig.PythonInitCodeSource.CodeSourceNone
        assert not (form.initFunction() or form.initCode().strip() or form.initFilePath())
    photo = layers["attachment"].editorWidgetSetup(
        layers["attachment"].fields().indexFromName("file_path"))
    assert photo.type() == "ExternalResource"
    config = photo.config()
    assert config["RelativeStorage"] == 2 and not config["DefaultRoot"]  # to the root below
    root = config["PropertyCollection"]["properties"]["propertyRootPath"]
    assert root["active"] and root["expression"] == PHOTO_ROOT
    context = project.createExpressionContext()
    assert Path(QgsExpression(PHOTO_ROOT).evaluate(context)) == package.parent
    bottom = project.layerTreeRoot().children()[-1]
    if basemap:
        assert isinstance(bottom.layer(), QgsRasterLayer) and bottom.layer().isValid()
        assert Path(bottom.layer().source()).parent.resolve() == package.parent.resolve()
        assert bottom.layer().type() == QgsMapLayerType.RasterLayer
    else:
        assert not any(isinstance(layer, QgsRasterLayer)
                       for layer in project.mapLayers().values())

    for table, layer in layers.items():
        assert style_of(layer) == reference["styles"][table], table
        assert form_of(layer) == reference["forms"][table], table
    assert sorted(project.relationManager().relations()) == reference["relations"]
    assert sorted(project.relationManager().polymorphicRelations()) == reference["polymorphic"]
    return project
