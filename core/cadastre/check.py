"""``cadastre check``: read a cadastral file in any CRS and report on it (no database)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from pyproj import CRS, Transformer

from ..crs import WrongCrsError, crs_label
from ..db.validate import profile_province_area
from ..profile import Profile
from .numbers import number_key
from .placement import (
    check_placement,
    outside_province,
    refuse_unplaceable,
    sample_vertices,
    to_grid_frame,
)
from .quality import QualityReport, Tolerances, not_degrees, quality_report
from .reader import ParcelSet


@dataclass
class FileCheck:
    parcels: ParcelSet
    quality: QualityReport
    province: str   # whether the data would be accepted by the profile's database, and why
    fits_province: bool | None
    outside: list = field(default_factory=list)  # RowError per parcel outside the province

    def summary(self) -> dict:
        crs = self.parcels.crs
        out = {
            "file": self.parcels.source, "driver": self.parcels.driver,
            "layer": self.parcels.layer, "mapping": self.parcels.mapping,
            "fields": {k: v for k, v in self.parcels.columns.items() if v},
            "crs": crs_label(crs) if crs is not None else None,
            "crs_note": self.parcels.crs_note or None,
            "crs_epsg": crs.to_epsg() if crs is not None else None,
            "bounds_wgs84": _bounds_wgs84(self.parcels),
            "rows_rejected": [e.as_dict() for e in self.parcels.errors],
            "sheets": sheet_keys(self.parcels.frame),
            "province": self.province, "fits_province": self.fits_province,
            "rows_outside_province": [e.as_dict() for e in self.outside],
        }
        out.update(self.quality.summary())
        return out


def sheet_keys(frame) -> list[str]:
    """The sheets of parcels as the import keys them, (commune, sheet number): sheet 7 of
    two communes is two sheets, ``07`` and ``7`` one (:func:`.numbers.number_key`);
    ``commune/sheet``, ``-/sheet`` without a commune."""
    communes = frame["commune_code"].where(frame["commune_code"].notna(), None)
    return sorted({f"{c or '-'}/{number_key(s)}" for c, s in zip(communes, frame["sheet_no"])})


def _bounds_wgs84(parcels: ParcelSet):
    if parcels.crs is None or not len(parcels.frame):
        return None
    x, y = sample_vertices(parcels)
    lon, lat = Transformer.from_crs(parcels.crs, 4326, always_xy=True).transform(x, y)
    if not_degrees(CRS.from_epsg(4326), (np.min(lon), np.min(lat), np.max(lon), np.max(lat))):
        return None  # the coordinates do not fit their CRS: no place on the earth
    return [round(float(np.nanmin(lon)), 6), round(float(np.nanmin(lat)), 6),
            round(float(np.nanmax(lon)), 6), round(float(np.nanmax(lat)), 6)]


def check_parcels(parcels: ParcelSet, profile: Profile | None = None,
                  tolerances: Tolerances | None = None, progress=None,
                  is_cancelled=None, trust_crs: bool = False, area=None,
                  province=None) -> FileCheck:
    """Quality report of ``parcels`` in their own CRS, and (with a profile) whether an import
    into that province's database would accept their placement (the CRS, then every parcel
    inside the province; ``trust_crs`` as in the import). ``area`` (WGS 84 polygon) and
    ``province`` (the database's ``province_area()``) are a database's province; default the
    profile's bounding box."""
    refuse_unplaceable(parcels)
    report = quality_report(parcels, tolerances or Tolerances.from_profile(profile),
                            progress=progress, is_cancelled=is_cancelled)
    fits, text = None, ("no parcels" if profile is not None else "no profile")
    outside: list = []
    if profile is not None and len(parcels.frame):
        try:
            text = check_placement(parcels, profile, area, trust_crs=trust_crs).message
            fits = True
        except WrongCrsError as exc:
            text = str(exc).replace("; nothing was imported", "")
            fits = False
            if not_degrees(parcels.crs, parcels.frame.total_bounds):
                text = (f"{text}; the coordinates are not degrees, out of range for the "
                        f"declared {crs_label(parcels.crs)}: read the file in the CRS they "
                        "are in (--crs with --assign-crs; in QGIS set the layer's CRS)")
        if fits:
            if province is None:
                province = profile_province_area(profile)
            outside = outside_province(to_grid_frame(parcels, profile), parcels.source,
                                       province, profile)
            if outside:
                fits = False
                text = (f"{len(outside)} parcel(s) lie outside the province (listed); "
                        f"the rest: {text}")
    return FileCheck(parcels, report, text, fits, outside)
