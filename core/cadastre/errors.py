"""The cadastre's user-fixable errors."""

from __future__ import annotations

from ..errors import RoadInfraError


class CadastreError(RoadInfraError):
    """A cadastral file, mapping, CRS or request that cannot be used; the message names it."""
