"""Attribute field types that work on every supported QGIS.

QGIS 3.38 and later (and every Qt 6 build, QGIS 4) describe field types with
``QMetaType.Type``; older QGIS, such as Debian 12's 3.22, only take ``QVariant.Type``,
which PyQt6 no longer has. Code that makes a ``QgsField`` takes its type from here.
"""

from __future__ import annotations

from typing import Any

from qgis.core import Qgis

#: The type of the constants below (``QMetaType.Type`` or ``QVariant.Type``).
FieldType = Any

if Qgis.QGIS_VERSION_INT >= 33800:
    from qgis.PyQt.QtCore import QMetaType

    STRING = QMetaType.Type.QString
    INT = QMetaType.Type.Int
    LONG = QMetaType.Type.LongLong
    DOUBLE = QMetaType.Type.Double
    BOOL = QMetaType.Type.Bool
else:  # pragma: no cover - exercised on QGIS < 3.38
    from qgis.PyQt.QtCore import QVariant

    STRING = QVariant.String
    INT = QVariant.Int
    LONG = QVariant.LongLong
    DOUBLE = QVariant.Double
    BOOL = QVariant.Bool
