"""Maintenance plans in QGIS: a plan's items as a styled layer and a dock with its totals per
year and district and its progress (numbers from core/reports)."""
