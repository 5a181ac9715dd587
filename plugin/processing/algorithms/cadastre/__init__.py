"""Cadastre algorithms, one per module: check a cadastral file, import it into the provincial
database, overlay parcels on road corridors. Each calls the same ``core.cadastre`` functions as
the ``roadinfra cadastre`` command (docs/cadastre.md)."""

from qgis.PyQt.QtCore import QT_TR_NOOP

GROUP = QT_TR_NOOP("Cadastre")
GROUP_ID = "cadastre"
