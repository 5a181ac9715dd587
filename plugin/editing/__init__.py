"""QGIS editing of RoadInfra layers: save hooks, History, Deleted features, photos, Km."""
