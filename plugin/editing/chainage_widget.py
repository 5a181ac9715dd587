"""Chainage as engineers write it: forms show and accept ``Km12+350``, stored in metres.

An editor widget (``RoadInfraChainage``: a line edit that reads ``Km12+350``,
``km 12+350.5`` or plain metres through :func:`roadinfra.core.chainage.parse_chainage`)
and a field formatter of the same id (attribute tables, identify results, relation
widgets and ``represent_value()`` in labels write ``Km12+350`` through
:func:`~roadinfra.core.chainage.format_chainage`). Chainage columns of RoadInfra layers
get the widget when the editing hooks attach (:data:`CHAINAGE_COLUMNS`).
"""

from __future__ import annotations

from qgis.core import NULL, QgsApplication, QgsEditorWidgetSetup, QgsFieldFormatter
from qgis.gui import QgsEditorConfigWidget, QgsEditorWidgetFactory, QgsEditorWidgetWrapper, QgsGui
from qgis.PyQt.QtWidgets import QLineEdit

from ...core.chainage import ChainageError, format_chainage, parse_chainage
from ..i18n import tr

WIDGET_ID = "RoadInfraChainage"
#: Columns holding a chainage in metres along a route.
CHAINAGE_COLUMNS = ("chainage_m", "from_m", "to_m", "measure_m")
#: Decimals shown (1: Km12+350.5; trailing zeros are dropped: Km12+350).
DECIMALS = 1


def chainage_text(value) -> str:
    """Metres as ``Km12+350`` ('' for no value or a negative one)."""
    if value is None or value == NULL:
        return ""
    try:
        return format_chainage(float(value), DECIMALS)
    except (ChainageError, TypeError, ValueError):
        return str(value)


class ChainageFormatter(QgsFieldFormatter):
    """Shows metres as ``Km12+350`` wherever QGIS represents the value."""

    def id(self) -> str:
        return WIDGET_ID

    def representValue(self, layer, fieldIndex, config, cache, value):  # noqa: N802 - QGIS API
        return chainage_text(value)


class ChainageWrapper(QgsEditorWidgetWrapper):
    """A line edit for ``Km12+350``; an unreadable text is shown in red and not saved."""

    def createWidget(self, parent):  # noqa: N802 - QGIS API
        return QLineEdit(parent)

    def initWidget(self, editor):  # noqa: N802 - QGIS API
        self.editor = editor
        editor.setPlaceholderText(tr("Km12+350 (derived on save when empty)"))
        editor.textChanged.connect(self._changed)

    def valid(self) -> bool:
        return isinstance(getattr(self, "editor", None), QLineEdit)

    def value(self):
        text = self.editor.text().strip()
        if not text:
            return NULL
        try:
            return parse_chainage(text)
        except ChainageError:
            return NULL

    def setValue(self, value):  # noqa: N802 - QGIS API (updateValues' default calls it)
        self.editor.blockSignals(True)
        self.editor.setText(chainage_text(value))
        self.editor.blockSignals(False)

    def setEnabled(self, enabled: bool) -> None:  # noqa: N802 - QGIS API
        self.editor.setReadOnly(not enabled)
        self.editor.setEnabled(enabled)  # greyed like the other widgets when not editing

    def _changed(self, text: str) -> None:
        ok = True
        if text.strip():
            try:
                parse_chainage(text)
            except ChainageError:
                ok = False
        self.editor.setStyleSheet("" if ok else "color: #c00000")
        self.editor.setToolTip("" if ok else tr("Write the chainage as Km12+350 or in metres"))
        self.emitValueChanged()


class _ConfigWidget(QgsEditorConfigWidget):
    def config(self):
        return {}

    def setConfig(self, config):  # noqa: N802 - QGIS API
        pass


class ChainageWidgetFactory(QgsEditorWidgetFactory):
    def __init__(self):
        super().__init__(tr("Chainage (Km12+350)"))

    def create(self, vl, fieldIdx, editor, parent):
        return ChainageWrapper(vl, fieldIdx, editor, parent)

    def configWidget(self, vl, fieldIdx, parent):  # noqa: N802 - QGIS API
        return _ConfigWidget(vl, fieldIdx, parent)


_registered = {}


def register_chainage_widget() -> None:
    """Register the widget and its formatter once per QGIS session."""
    if _registered:
        return
    formatter = ChainageFormatter()
    QgsApplication.fieldFormatterRegistry().addFieldFormatter(formatter)
    factory = ChainageWidgetFactory()
    QgsGui.editorWidgetRegistry().registerWidget(WIDGET_ID, factory)
    _registered.update(formatter=formatter, factory=factory)


def use_chainage_widget(layer) -> None:
    """Give the layer's chainage columns the Km widget."""
    register_chainage_widget()
    fields = layer.fields()
    for name in CHAINAGE_COLUMNS:
        idx = fields.indexFromName(name)
        if idx >= 0:
            layer.setEditorWidgetSetup(idx, QgsEditorWidgetSetup(WIDGET_ID, {}))
            alias = layer.attributeAlias(idx)
            if alias.endswith(" (m)"):  # shown as Km12+350, not in metres
                layer.setFieldAlias(idx, alias[:-4])
