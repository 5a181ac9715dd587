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


def load_profile(name_or_path: Union[str, Path, None] = None, stored: bool = False) -> Profile:
    """Load and check a profile; raise :class:`ProfileError` naming the file on failure;
    ``stored``: the text a database stored (see :func:`check_profile`)."""
    path = profile_path(name_or_path)
    data = read_toml(path, ProfileError, "profile")
    check_profile(path, data, stored)
    head = data["profile"]
    return Profile(id=str(head.get("id", path.stem)), path=path, data=data)


def check_profile(path, data: Mapping[str, Any], stored: bool = False) -> None:
    """The checks of a profile's parsed TOML ``data`` (ProfileError naming ``path`` and the
    section), for a profile file and one stored in a database alike; ``stored``: a
    profile stored by a RoadInfra made before profiles cited the regulation of their
    corridor widths may lack ``[corridor_regulation]`` (it is then said to name none), but
    one it holds is checked as a file's."""
    for required in ("profile", "province", "crs", "districts"):
        if required not in data:
            raise ProfileError(f"{path}: missing [{required}]")
    toml_entry(data, "profile", "table", path, ProfileError)
    _check_crs(path, toml_entry(data, "crs", "table", path, ProfileError))
    districts = data["districts"]
    if not (isinstance(districts, list) and all(isinstance(d, dict) for d in districts)):
        raise ProfileError(f"{path}: [[districts]] must be a list of tables")
    for number, district in enumerate(districts, start=1):
        toml_entry(district, "code", "text", path, ProfileError, section=f"districts {number}")
    if not (stored and "corridor_regulation" not in data):
        _check_corridor_regulation(path, data)


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


#: The tables of corridor widths, which must cite their regulation (``[corridor_regulation]``).
CORRIDOR_TABLES = ("corridor_width_m", "corridor_road_land_m", "corridor_roadbed_m")


def _check_corridor_regulation(path: Path, data: Mapping[str, Any]) -> None:
    """A profile with corridor widths names the regulation they follow: ``name_en`` and
    ``name_vi`` (text, not empty); ``caveat_en`` / ``caveat_vi`` (what is not verified)
    optional, both or neither."""
    if not any(table in data for table in CORRIDOR_TABLES) and "corridor_regulation" not in data:
        return
    section = "corridor_regulation"
    if section not in data:
        raise ProfileError(f"{path}: [{section}] is missing: the corridor widths "
                           f"([{'], ['.join(t for t in CORRIDOR_TABLES if t in data)}]) must "
                           "name the regulation they follow (name_en, name_vi)")
    table = toml_entry(data, section, "table", path, ProfileError)
    for key in ("name_en", "name_vi"):
        if not toml_entry(table, key, "text", path, ProfileError, section=section).strip():
            raise ProfileError(f"{path}: [{section}] {key} is empty: name the regulation the "
                               "corridor widths follow")
    caveats = {key: toml_entry(table, key, "text", path, ProfileError, "", section).strip()
               for key in ("caveat_en", "caveat_vi")}
    given = [key for key, value in caveats.items() if value]
    if len(given) == 1:
        other = "caveat_vi" if given == ["caveat_en"] else "caveat_en"
        raise ProfileError(f"{path}: [{section}] {other} is missing or empty while {given[0]} "
                           "is given: give the caveat in both languages, or neither")
