"""Jurisdiction profiles: a province's names, CRS, districts, limits and rules as data.

A profile is a TOML file (``core/profiles/<id>.toml`` ships; any path works). Code reads
it through :func:`load_profile` and never hard-codes a province.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Union

from .datafiles import data_file
from .errors import RoadInfraError
from .io.tomlfile import read_toml, toml_entry

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"
DEFAULT_PROFILE = "thai_binh"


class ProfileError(RoadInfraError):
    """A profile file is missing, unreadable or lacks a required entry."""


@dataclass(frozen=True)
class Profile:
    """A loaded jurisdiction profile; ``data`` is the parsed TOML document."""

    id: str
    path: Path
    data: Mapping[str, Any] = field(repr=False)

    def section(self, dotted: str) -> Any:
        """Return the entry at a dotted path (``"loads.gross_t"``) or raise ProfileError."""
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise ProfileError(f"{self.path}: missing [{dotted}]")
            node = node[part]
        return node

    @property
    def crs_epsg(self) -> int:
        return int(self.section("crs.epsg"))

    @property
    def district_codes(self) -> list[str]:
        return [d["code"] for d in self.section("districts")]

    def district_name(self, code: str, lang: str = "vi") -> str:
        for district in self.section("districts"):
            if district["code"] == code:
                return district[f"name_{lang}"]
        raise ProfileError(f"{self.path}: unknown district code {code!r}")


def profile_path(name_or_path: Union[str, Path, None] = None) -> Path:
    """Resolve a profile id (``thai_binh``) or a file path to the TOML file."""
    if name_or_path is None:
        name_or_path = DEFAULT_PROFILE
    return data_file(name_or_path, PROFILES_DIR)


def load_profile(name_or_path: Union[str, Path, None] = None) -> Profile:
    """Load and check a profile; raise :class:`ProfileError` naming the file on failure."""
    path = profile_path(name_or_path)
    data = read_toml(path, ProfileError, "profile")
    for required in ("profile", "province", "crs", "districts"):
        if required not in data:
            raise ProfileError(f"{path}: missing [{required}]")
    head = toml_entry(data, "profile", "table", path, ProfileError)
    _check_crs(path, toml_entry(data, "crs", "table", path, ProfileError))
    districts = data["districts"]
    if not (isinstance(districts, list) and all(isinstance(d, dict) for d in districts)):
        raise ProfileError(f"{path}: [[districts]] must be a list of tables")
    for number, district in enumerate(districts, start=1):
        toml_entry(district, "code", "text", path, ProfileError, section=f"districts {number}")
    return Profile(id=str(head.get("id", path.stem)), path=path, data=data)


def _check_crs(path: Path, crs: Mapping[str, Any]) -> None:
    """Types of the ``[crs]`` entries, the province box finite and in order (W, S, E, N)."""
    for key, kind in (("epsg", "int"), ("name", "text"), ("central_meridian", "number"),
                      ("scale_factor", "number"), ("false_easting", "number"),
                      ("datum_transformation_epsg", "int"), ("geographic_epsg", "int")):
        toml_entry(crs, key, kind, path, ProfileError, None, "crs")
    box = toml_entry(crs, "province_bbox_wgs84", "numbers", path, ProfileError, None, "crs")
    if box is not None and not (len(box) == 4 and -180 <= box[0] < box[2] <= 180
                                and -90 <= box[1] < box[3] <= 90):
        raise ProfileError(f"{path}: [crs] province_bbox_wgs84 must be [west, south, east, "
                           f"north] in degrees, west < east and south < north, not {box}")
