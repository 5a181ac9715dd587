"""Linear referencing in the QGIS desktop: the calibration issue layers and their dialog."""
