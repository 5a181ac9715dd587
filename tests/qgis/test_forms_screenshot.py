"""Forms as a user sees them at QGIS's default form size (652 x 508), in Vietnamese and English.

Every tab of the bridge, inspection, survey and load-station forms of the sample province is
saved to ``test-artifacts/forms/<table>_<lang>_<tab>.png`` (looked at by a person) and checked:
no widget shows a UUID, the key values (chainage, overall rating, PCI) lie inside the visible
area, a load station summarises its weighing records instead of listing them, photos get a
file picker with a preview. The About box shows the plugin's icon.
"""

import re
import time
from pathlib import Path

import pytest
from qgis.core import QgsExpression, QgsFeatureRequest, QgsProject
from qgis.gui import QgsAttributeDialog, QgsAttributeEditorContext, QgsEditorWidgetWrapper
from qgis.PyQt.QtCore import QPoint, QRect
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from roadinfra.plugin.database.layers import load_database_layers

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "forms"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
DEFAULT_SIZE = (652, 508)  # QgsAttributeDialog's size in a fresh QGIS profile
FORMS = {  # table: (feature, key fields that must be visible on the first tab)
    "bridge": ("\"code\" = 'BR-336-001'", ("code", "route_id", "chainage_m")),
    "inspection": ("\"bridge_id\" IS NOT NULL AND \"overall_rating\" IS NOT NULL",
                   ("overall_rating",)),  # first tab "Key values"; the date is in the list
    "pavement_survey": ("\"pci\" IS NOT NULL", ("pci",)),
    "load_station": ("\"code\" = 'LS-340-001'", ("code", "name", "route_id", "chainage_m")),
}


@pytest.fixture(scope="module")
def demo_gpkg(tmp_path_factory):
    from roadinfra.core.sample_data import build_demo_database

    path = tmp_path_factory.mktemp("forms") / "thai_binh.gpkg"
    build_demo_database(path)
    return path


@pytest.fixture
def project(qgis_app):
    instance = QgsProject.instance()
    instance.clear()
    yield instance
    instance.clear()


def _settle(seconds=1.0):
    """Let the form's background feature loaders (relation widgets) finish."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def _open(loaded, table, expression=None):
    layer = loaded.layers[table]
    expression = expression or FORMS[table][0]
    feature = next(layer.getFeatures(QgsFeatureRequest(QgsExpression(expression))))
    layer.startEditing()  # as a user editing the feature sees it
    dialog = QgsAttributeDialog(layer, feature, False, None, True, QgsAttributeEditorContext())
    dialog.resize(*DEFAULT_SIZE)
    dialog.show()
    _settle(1.5)
    return layer, dialog


def _close(layer, dialog):
    dialog.close()
    dialog.deleteLater()
    layer.rollBack()
    _settle(0.2)


def _texts(dialog):
    """Every text a visible widget shows (editors, labels, lists and tables)."""
    texts = []
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, (QLineEdit, QLabel)):
            texts.append(widget.text())
        elif isinstance(widget, QComboBox):
            texts.append(widget.currentText())
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(min(model.rowCount(), 50)):
                for column in range(model.columnCount()):
                    if not (isinstance(widget, QAbstractItemView)
                            and hasattr(widget, "isColumnHidden")
                            and widget.isColumnHidden(column)):
                        texts.append(str(model.index(row, column).data() or ""))
    return texts


def _visible_area(widget):
    """The part of the dialog where ``widget`` can be seen (its scroll area's viewport)."""
    parent = widget.parent()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parent()
    viewport = parent.viewport()
    return QRect(viewport.mapTo(widget.window(), QPoint(0, 0)), viewport.size())


def _editor(dialog, layer, name):
    index = layer.fields().indexFromName(name)
    for widget in dialog.findChildren(QWidget):
        wrapper = QgsEditorWidgetWrapper.fromWidget(widget)
        if wrapper is not None and wrapper.widget() is widget and wrapper.fieldIdx() == index:
            if widget.isVisible():
                return widget
    raise AssertionError(f"no visible editor for {name}")


def _shoot_every_tab(dialog, table, lang):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tabs = dialog.findChild(QTabWidget)
    seen = []
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        _settle(0.6)
        path = ARTIFACTS / f"{table}_{lang}_{index}.png"
        assert dialog.grab().save(str(path))
        seen.append((tabs.tabText(index), _texts(dialog)))
    tabs.setCurrentIndex(0)
    _settle(0.3)
    return seen


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_forms_at_default_size_show_no_uuid(demo_gpkg, project, lang):
    loaded = load_database_layers(demo_gpkg, project, lang)
    for table in FORMS:
        layer, dialog = _open(loaded, table)
        try:
            for tab, texts in _shoot_every_tab(dialog, table, lang):
                shown = [t for t in texts if UUID.search(t)]
                assert not shown, f"{table} form, tab {tab!r} shows UUIDs: {shown[:3]}"
        finally:
            _close(layer, dialog)


def _assert_visible(dialog, layer, name, where, value=True):
    """The editor of ``name`` lies inside the visible area; with ``value``, shows one."""
    widget = _editor(dialog, layer, name)
    rect = QRect(widget.mapTo(dialog, QPoint(0, 0)), widget.size())
    area = _visible_area(widget)
    assert area.contains(rect), f"{where}: {layer.name()}.{name} at {rect}, outside {area}"
    if isinstance(widget, QComboBox):
        text = widget.currentText()
    else:
        text = widget.text() if isinstance(widget, (QLineEdit, QAbstractSpinBox)) else ""
    if value:
        assert text.strip() not in ("", "NULL"), f"{where}: {layer.name()}.{name} looks empty"
    return text.strip() not in ("", "NULL")


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("table", list(FORMS))
def test_key_fields_are_inside_the_visible_area(demo_gpkg, project, table, lang):
    loaded = load_database_layers(demo_gpkg, project, lang)
    layer, dialog = _open(loaded, table)
    try:
        for name in FORMS[table][1]:
            _assert_visible(dialog, layer, name, f"{table} form")
    finally:
        _close(layer, dialog)


@pytest.mark.parametrize("parent, expression, tab, child, names", [
    ("bridge", "\"code\" = 'BR-336-001'", "Structure inspection", "inspection",
     ("overall_rating",)),
    ("pavement_section", "\"code\" = 'PS-336-001'", "Pavement condition survey",
     "pavement_survey", ("pci", "iri")),  # a visual survey has a PCI, a vehicle one an IRI
])
def test_sub_form_key_values_are_visible(demo_gpkg, project, parent, expression, tab, child,
                                         names):
    """In the parent's relation editor the child's form sits beside the list (~290 px)."""
    loaded = load_database_layers(demo_gpkg, project, "en")
    layer, dialog = _open(loaded, parent, expression)
    try:
        tabs = dialog.findChild(QTabWidget)
        tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == tab))
        _settle(1.0)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        assert dialog.grab().save(str(ARTIFACTS / f"{parent}_sub_form.png"))
        shown = [_assert_visible(dialog, loaded.layers[child], name, f"{parent} sub-form",
                                 value=False) for name in names]
        assert any(shown), f"{parent} sub-form: none of {names} shows a value"
    finally:
        _close(layer, dialog)


def test_station_summarises_its_weighing_records(demo_gpkg, project):
    loaded = load_database_layers(demo_gpkg, project, "en")
    layer, dialog = _open(loaded, "load_station")
    try:
        tabs = dialog.findChild(QTabWidget)
        tabs.setCurrentIndex(next(i for i in range(tabs.count())
                                  if tabs.tabText(i) == "Weighing record"))
        _settle(0.5)
        summary = "\n".join(t for t in _texts(dialog) if t)
        assert "Weighing records: 4,600" in summary
        assert "Overloaded: 814 (17.7 %)" in summary
        assert not [v for v in dialog.findChildren(QAbstractItemView)
                    if v.isVisible() and v.model() is not None and v.model().rowCount() > 100]
    finally:
        _close(layer, dialog)


def test_photo_has_a_file_picker_with_preview(demo_gpkg, project, tmp_path):
    """A photo stored beside the database, relative path, shown with a preview."""
    import shutil

    from qgis.core import QgsVectorLayerUtils
    from qgis.PyQt.QtGui import QColor, QImage

    gpkg = tmp_path / demo_gpkg.name
    shutil.copy(demo_gpkg, gpkg)
    (tmp_path / "photos").mkdir()
    image = QImage(640, 480, QImage.Format_RGB32)
    image.fill(QColor("#2f6f4f"))
    assert image.save(str(tmp_path / "photos" / "br-336-001.png"))
    loaded = load_database_layers(gpkg, project, "en")
    photos = loaded.layers["attachment"]
    setup = photos.editorWidgetSetup(photos.fields().indexFromName("file_path"))
    assert setup.type() == "ExternalResource"
    config = setup.config()
    assert config["FileWidget"] and config["FileWidgetButton"]
    assert config["DocumentViewer"] == 1  # image preview
    assert config["RelativeStorage"] == 2 and config["DefaultRoot"] == str(tmp_path)

    bridge = next(loaded.layers["bridge"].getFeatures(
        QgsFeatureRequest(QgsExpression(FORMS["bridge"][0]))))
    photo = QgsVectorLayerUtils.createFeature(photos, context=photos.createExpressionContext())
    for name, value in (("target_table", "bridge"), ("target_id", bridge["id"]),
                        ("district_code", bridge["district_code"]),  # the parent's area
                        ("kind", "photo"), ("file_path", "photos/br-336-001.png"),
                        ("caption", "Upstream elevation")):
        photo[name] = value
    assert photos.startEditing() and photos.addFeature(photo)
    assert photos.commitChanges(), photos.commitErrors()
    layer, dialog = _open(loaded, "attachment", "\"caption\" = 'Upstream elevation'")
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        assert dialog.grab().save(str(ARTIFACTS / "attachment_en_0.png"))
        previews = [label for label in dialog.findChildren(QLabel)
                    if label.isVisible() and label.pixmap() is not None
                    and not label.pixmap().isNull() and label.pixmap().width() > 100]
        assert previews, "no image preview"
    finally:
        _close(layer, dialog)


def test_about_box_shows_the_plugin_icon(qgis_app):
    from roadinfra.plugin.icons import provider_icon
    from roadinfra.plugin.main import ABOUT_ICON_SIZE, about_box

    box = about_box()
    ours = provider_icon().pixmap(ABOUT_ICON_SIZE, ABOUT_ICON_SIZE).toImage()
    assert box.iconPixmap().toImage() == ours
    box.show()
    _settle(0.3)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert box.grab().save(str(ARTIFACTS / "about.png"))
    box.close()
