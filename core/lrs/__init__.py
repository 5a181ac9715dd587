"""Linear referencing: route calibration, locating, dynamic segmentation."""
