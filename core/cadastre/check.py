"""``cadastre check``: read a cadastral file in any CRS and report on it (no database)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pyproj import Transformer

from ..crs import WrongCrsError
from ..profile import Profile
from .placement import check_placement, sample_vertices
from .quality import QualityReport, Tolerances, quality_report
from .reader import ParcelSet


@dataclass
class FileCheck:
    parcels: ParcelSet
    quality: QualityReport
    province: str   # whether the data would be accepted by the profile's database, and why
    fits_province: bool | None

    def summary(self) -> dict:
        crs = self.parcels.crs
        out = {
            "file": self.parcels.source, "driver": self.parcels.driver,
            "layer": self.parcels.layer, "mapping": self.parcels.mapping,
            "fields": {k: v for k, v in self.parcels.columns.items() if v},
            "crs": crs.name if crs is not None else None,
            "crs_epsg": crs.to_epsg() if crs is not None else None,
            "bounds_wgs84": _bounds_wgs84(self.parcels),
            "rows_rejected": [e.as_dict() for e in self.parcels.errors],
            "sheets": sorted({str(s) for s in self.parcels.frame["sheet_no"]}),
            "province": self.province, "fits_province": self.fits_province,
        }
        out.update(self.quality.summary())
        return out


def _bounds_wgs84(parcels: ParcelSet):
    if parcels.crs is None or not len(parcels.frame):
        return None
    x, y = sample_vertices(parcels)
    lon, lat = Transformer.from_crs(parcels.crs, 4326, always_xy=True).transform(x, y)
    return [round(float(np.nanmin(lon)), 6), round(float(np.nanmin(lat)), 6),
            round(float(np.nanmax(lon)), 6), round(float(np.nanmax(lat)), 6)]


def check_parcels(parcels: ParcelSet, profile: Profile | None = None,
                  tolerances: Tolerances | None = None, progress=None,
                  is_cancelled=None) -> FileCheck:
    """Quality report of ``parcels`` in their own CRS, and (with a profile) whether an import
    into that province's database would accept their placement."""
    report = quality_report(parcels, tolerances or Tolerances.from_profile(profile),
                            progress=progress, is_cancelled=is_cancelled)
    fits, text = None, ("no parcels" if profile is not None else "no profile")
    if profile is not None and len(parcels.frame):
        try:
            text = check_placement(parcels, profile).message
            fits = True
        except WrongCrsError as exc:
            text = str(exc).replace("; nothing was imported", "")
            fits = False
    return FileCheck(parcels, report, text, fits)
