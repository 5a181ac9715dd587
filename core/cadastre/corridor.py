"""Road-protection corridors of routes, from their grade and the profile's widths, and planned
widenings as corridors too.

Across a route (distances from the centre-line): the road itself (half the roadbed), the road
land beyond it (``[corridor_road_land_m]``), then the safety corridor (``[corridor_width_m]``).
The regulation these widths follow, and what is not verified about it, is the profile's
``[corridor_regulation]`` (:func:`corridor_regulation`), cited wherever the widths are used.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import geopandas as gpd

from ..errors import RoadInfraError
from ..labels import Label
from ..lrs.locate import segment_line
from ..lrs.route import Route
from ..profile import Profile
from .errors import CadastreError

FLAT = 2  # shapely cap_style: flat ends (a corridor ends where its route or section ends)
ZONES = ("road_land", "safety_corridor")


@dataclass(frozen=True)
class CorridorWidths:
    """Distances from the centre-line, m: edge of the road land, outer edge of the corridor."""

    grade: str
    roadbed_m: float
    road_land_m: float
    corridor_m: float

    @property
    def road_land_edge(self) -> float:
        return self.roadbed_m / 2.0 + self.road_land_m

    @property
    def corridor_edge(self) -> float:
        return self.road_land_edge + self.corridor_m

    @property
    def road_land_width(self) -> float:
        """The nominal road land's total width, m (both sides; real roads may differ)."""
        return 2.0 * self.road_land_edge


#: How the corridor widths are cited (a workbook's notes, the CLI).
CITED = Label("Bề rộng hành lang: hồ sơ {profile}, {regulation}.",
              "Corridor widths: profile {profile}, {regulation}.")


@dataclass(frozen=True)
class Regulation:
    """The regulation a profile's corridor widths follow (``[corridor_regulation]``): its
    name and what is not verified about it (empty when nothing), in both languages."""

    profile: str
    name: Label
    caveat: Label

    def text(self, lang: str | None) -> str:
        """The name, with the caveat in brackets when there is one."""
        caveat = self.caveat.text(lang)
        return self.name.text(lang) + (f" ({caveat})" if caveat else "")

    def line(self, lang: str | None) -> str:
        """``Corridor widths: profile thai_binh, Decree … (not verified …).``"""
        return CITED.text(lang).format(profile=self.profile, regulation=self.text(lang))

    @property
    def cited(self) -> Label:
        """:meth:`line` in both languages (a workbook note)."""
        return Label(self.line("vi"), self.line("en"))


#: The regulation of a profile without ``[corridor_regulation]``: one stored in a database
#: made before profiles cited it (a profile file is refused without it by the loader).
NOT_NAMED = Label("hồ sơ không nêu văn bản quy định", "the profile names no regulation")


def corridor_regulation(profile: Profile) -> Regulation:
    """The regulation of the profile's corridor widths (checked by the profile loader), or
    :data:`NOT_NAMED` when the profile has none."""
    table = profile.data.get("corridor_regulation")
    if not isinstance(table, dict):
        return Regulation(profile.id, NOT_NAMED, Label("", ""))
    return Regulation(profile.id, Label.of(table, "name"), Label.of(table, "caveat"))


#: The widest new total width (m) a widening may have (wider is a typing error, not a road).
MAX_WIDENING_M = 500.0


@dataclass(frozen=True)
class Widening:
    """A planned widening: route, measures from-to (m), the new total width (m); ``where``
    names it as the user gave it (``--widening 'QL10:…'``, a table's row) in messages."""

    route: str
    from_m: float
    to_m: float
    width_m: float
    where: str = field(default="", compare=False)

    @property
    def named(self) -> str:
        return self.where or f"widening on {self.route}"


#: A measure written with thousands groups (``12.000``, ``12,000``, ``1.234.500``): 12 m in
#: English notation, 12 000 m in Vietnamese; refused as ambiguous (:func:`measure_text`).
GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")


def grouped(text: str) -> bool:
    """Whether ``text`` is a measure written with thousands groups (ambiguous)."""
    return GROUPED.match(str(text).strip()) is not None


def has_widths(profile: Profile, grade) -> bool:
    """Whether the profile has corridor widths for the road grade ``grade``."""
    key = str(grade or "").strip()
    return bool(key) and all(key in profile.data.get(name, {}) for name in
                             ("corridor_roadbed_m", "corridor_road_land_m", "corridor_width_m"))


def corridor_widths(profile: Profile, grade: str | None, route: str = "") -> CorridorWidths:
    """The profile's widths for a road grade; CadastreError names the route and the grade."""
    tables = [profile.data.get(name, {}) for name in
              ("corridor_roadbed_m", "corridor_road_land_m", "corridor_width_m")]
    key = str(grade or "").strip()
    if not key or any(key not in t for t in tables):
        known = ", ".join(sorted(tables[2])) or "none"
        raise CadastreError(f"route {route}: road grade {grade!r} has no corridor width in the "
                            f"profile {profile.id} (grades: {known}); set route.road_grade")
    return CorridorWidths(key, *(float(t[key]) for t in tables))


def parse_widening(text: str) -> Widening:
    """``QL10:Km12+000-Km13+500:24`` or ``QL10:12000-13500:24`` -> :class:`Widening`
    (spaces around the ``-`` allowed; a decimal comma read as a point, ``80440,5``); a
    CadastreError names the part that is wrong."""
    from ..chainage import parse_chainage

    said = f"widening {text!r}"

    def number(name: str, value: str, km: bool) -> float:
        value = value.strip()
        if grouped(value):
            raise CadastreError(f"{said}: {name} {value!r} is ambiguous (12.000 is 12 m in "
                                "English notation, 12 000 m in Vietnamese): write "
                                + ("Km12+000 or 12000" if km else "12 or 12000"))
        if km and value.lower().startswith("km"):
            try:
                return float(parse_chainage(value))
            except (ValueError, RoadInfraError):
                raise CadastreError(f"{said}: {name} {value!r} is not a Km (Km12+000, "
                                    "Km12+000.5)") from None
        try:
            return float(value.replace(",", ".") if value.count(",") == 1
                         and "." not in value else value)
        except ValueError:
            raise CadastreError(f"{said}: {name} {value!r} is not "
                                + ("a Km (Km12+000) nor metres (12000)" if km
                                   else "a width in metres (24, 24.5)")) from None

    parts = str(text).split(":")
    if len(parts) != 3:
        raise CadastreError(f"{said}: expected ROUTE:FROM-TO:WIDTH (3 parts separated by "
                            f"':', got {len(parts)}), e.g. QL10:Km12+000-Km13+500:24")
    route, span, width = parts
    ends = re.split(r"\s*-\s*", span.strip())
    if not route.strip() or len(ends) != 2 or not all(ends):
        raise CadastreError(f"{said}: " + ("no ROUTE" if not route.strip() else
                            f"FROM-TO {span.strip()!r} is not two measures joined by '-' "
                            "(Km12+000-Km13+500 or 12000-13500)"))
    out = Widening(route.strip(), number("FROM", ends[0], True), number("TO", ends[1], True),
                   number("WIDTH", width, False), said)
    if not all(math.isfinite(v) for v in (out.from_m, out.to_m, out.width_m)):
        raise CadastreError(f"{said}: FROM, TO and WIDTH must be finite numbers")
    if not (out.to_m > out.from_m and 0 < out.width_m <= MAX_WIDENING_M):
        raise CadastreError(f"{said}: needs FROM < TO and a width above 0 m, at "
                            f"most {MAX_WIDENING_M:g} m")
    return out


def route_corridors(routes: dict[str, Route], grades: dict[str, str | None],
                    profile: Profile) -> gpd.GeoDataFrame:
    """One row per route and zone (``road_land``, ``safety_corridor``) with the widths used."""
    missing = sorted(code for code in routes if not str(grades.get(code) or "").strip())
    unknown = sorted(code for code in routes if code not in missing
                     and not has_widths(profile, grades.get(code)))
    if missing or unknown:
        known = ", ".join(sorted(profile.data.get("corridor_width_m", {}))) or "none"
        said = ([f"route(s) {', '.join(missing)}: no road grade"] if missing else []) + [
            f"route {code}: road grade {str(grades[code]).strip()!r} not in the profile"
            for code in unknown]
        raise CadastreError(f"{'; '.join(said)} (profile {profile.id} has corridor widths for "
                            f"grades {known}); set route.road_grade")
    rows = []
    for code in sorted(routes):
        route = routes[code]
        widths = corridor_widths(profile, grades.get(code), code)
        inner = _buffer(route.real_parts(), widths.road_land_edge)
        outer = _buffer(route.real_parts(), widths.corridor_edge)
        base = {"route": code, "grade": widths.grade, "from_m": route.start_measure,
                "to_m": route.end_measure, "roadbed_m": widths.roadbed_m,
                "road_land_m": widths.road_land_m, "corridor_m": widths.corridor_m}
        rows.append({**base, "zone": "road_land", "geometry": inner})
        rows.append({**base, "zone": "safety_corridor", "geometry": outer.difference(inner)})
    return gpd.GeoDataFrame(rows, columns=["route", "zone", "grade", "from_m", "to_m",
                                           "roadbed_m", "road_land_m", "corridor_m", "geometry"],
                            geometry="geometry")


def _buffer(lines: list, width: float):
    """The lines buffered by ``width`` each side, flat ends, as one (multi)polygon."""
    from shapely.ops import unary_union

    polygons = [line.buffer(width, cap_style=FLAT) for line in lines]
    return polygons[0] if len(polygons) == 1 else unary_union(polygons)


def widening_corridor(routes: dict[str, Route], widening: Widening, every=None):
    """The footprint of a widening: the route from-to, ``width_m`` wide, flat ends (none
    across a gap between the route's parts). ``every``: all the routes of the database,
    to tell a route left out of ``routes`` (the routes chosen) from one that does not
    exist."""
    route = routes.get(widening.route)
    if route is None:
        if every and widening.route in every:
            raise CadastreError(f"{widening.named}: route {widening.route} is not among the "
                                f"routes chosen ({', '.join(sorted(routes))}): choose it too")
        raise CadastreError(f"{widening.named}: no such route {widening.route!r} (routes: "
                            f"{', '.join(sorted(every or routes)) or 'none'})")
    start_m, end_m = route.start_measure, route.end_measure
    if not (start_m - 0.5 <= widening.from_m and widening.to_m <= end_m + 0.5):
        from .overlay import _km

        raise CadastreError(f"{widening.named}: {_km(widening.from_m)}-{_km(widening.to_m)} "
                            f"lies beyond the route ({widening.route} runs "
                            f"{_km(start_m)}-{_km(end_m)})")
    try:
        segment_line(route, widening.from_m, widening.to_m)  # checks the measures
    except Exception as exc:  # LocateError: beyond the route's measures
        raise CadastreError(f"{widening.named}: {exc}") from None
    start, end = sorted(float(d) for d in route.distance_at([widening.from_m, widening.to_m]))
    parts = route.real_parts(start, end)
    if not parts:
        raise CadastreError(f"{widening.named}: {widening.from_m:g}-"
                            f"{widening.to_m:g} m lies in a gap between the route's parts "
                            "(no road there)")
    return _buffer(parts, widening.width_m / 2.0)
