"""QGIS editing of RoadInfra layers: save hooks, History panel, Deleted features, photos, Km chainage."""
