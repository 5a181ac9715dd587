"""What goes on printed sheets, decided without QGIS (the layouts themselves are in
``plugin/printing``)."""
