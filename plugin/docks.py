"""The plugin's docks: one per main window, created on first show, removed on unload."""

from __future__ import annotations

from typing import Type, TypeVar

from qgis.PyQt.QtCore import Qt

Dock = TypeVar("Dock")


def show_dock(iface, dock_class: Type[Dock], object_name: str) -> Dock:
    """Show the ``dock_class`` dock of the main window (made and docked on the right the
    first time) and point it at the project's database (its ``set_database()``)."""
    window = iface.mainWindow()
    dock = window.findChild(dock_class, object_name)
    if dock is None:
        dock = dock_class(window)
        iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.setUserVisible(True)
    dock.set_database()
    return dock


def remove_dock(iface, dock_class: type, object_name: str) -> None:
    """Close and remove the ``dock_class`` dock, if the main window has one."""
    dock = iface.mainWindow().findChild(dock_class, object_name)
    if dock is not None:
        dock.close()
        iface.removeDockWidget(dock)
        dock.deleteLater()
