"""Offline field survey and sync: packages, capture, three-way merge, conflicts.

No Qt: QGIS, QField and the CLI are its editors and buttons.

- :func:`create_package`: part of the province (area, box, route) into a GeoPackage;
- :func:`sync_package`: send the package's changes, bring back the server's (one changeset);
- :func:`list_conflicts`, :func:`show_conflict`, :func:`resolve_conflicts`.
"""

from .conflicts import list_conflicts, resolve_conflicts, show_conflict
from .engine import sync_package
from .errors import PackageError, SyncError
from .package import create_package, open_package
from .scope import Scope, parse_bbox

__all__ = ["PackageError", "Scope", "SyncError", "create_package", "list_conflicts",
           "open_package", "parse_bbox", "resolve_conflicts", "show_conflict",
           "sync_package"]
