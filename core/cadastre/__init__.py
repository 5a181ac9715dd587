"""Cadastral parcels: import (files, a shared PostGIS schema), quality report, road-protection
corridors, overlay, encroachment and land-acquisition tables (issue 14, docs/cadastre.md).

Entry points: :func:`.reader.read_parcels`, :func:`.check.check_parcels`,
:func:`.importer.import_parcels`, :func:`.overlay.overlay_corridors`.
"""
