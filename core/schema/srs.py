"""The provincial grid's spatial_ref_sys entry (GeoPackage and PostGIS), from the profile.

The WKT is PROJ's (WKT1, what GeoPackage ``definition`` and PostGIS ``srtext`` expect); the
PROJ string carries ``+towgs84`` for the profile's datum transformation (EPSG:6960 for
VN-2000, rotations sign-flipped to the position-vector convention), see
:func:`roadinfra.core.crs.grid_crs_definition`. ``CRS(9209).to_proj4()`` would drop the shift.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..profile import Profile, load_profile


@dataclass(frozen=True)
class SrsEntry:
    srid: int
    name: str
    wkt: str
    proj4: str

    @property
    def description(self) -> str:
        return f"{self.name}; PROJ with datum shift: {self.proj4}"


def grid_srs(profile: Profile | None = None) -> SrsEntry:
    """The grid of ``profile`` (default profile when None) as a spatial_ref_sys entry."""
    from ..crs import grid_crs_definition, grid_definition

    profile = profile or load_profile()
    srid, wkt, proj4 = grid_crs_definition(profile)
    return SrsEntry(srid=int(srid), name=grid_definition(profile).name, wkt=wkt, proj4=proj4)
