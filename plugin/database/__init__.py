"""Open a RoadInfra database in QGIS: layers, layer tree, styles, forms and relations."""
