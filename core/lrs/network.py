"""Calibrated routes from a routes layer and a kilometre-post layer: the one entry point.

Every face (``roadinfra lrs``, the Processing algorithms, the calibration issue layer in
QGIS) reads its layers into GeoDataFrames in the provincial grid and calls
:func:`build_network`, then locates points (:mod:`.locate`) or draws events
(:mod:`.events`) on the result.

Route keys. Posts, points and events name their route by a key. It is matched first to the
routes layer's route code (``route_field``); a key that is not a code is matched through
another field of the routes layer whose values name one route each (the schema's posts
carry the route's UUID ``route_id`` while the route layer is keyed by ``code``: the key is
found in the route's ``id`` field). Posts that still match no route stop the run with
:class:`~.issues.UnmatchedPostsError` naming them: measuring without them would silently
give every point a wrong chainage.

Start measure. A route's measure at its start comes from ``start_field`` (default: the
schema's ``start_m`` when the routes layer has it); it is used where a route has no usable
post, so an uncalibrated route still starts at its own chainage, not at Km0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import geopandas as gpd

from .calibrate import calibrate_routes
from .io import (
    posts_from_frame,
    route_aliases,
    route_key,
    route_starts,
    routes_from_frame,
)
from .issues import ERROR, CalibrationError, Issue, UnmatchedPostsError
from .route import Route

DEFAULT_TOLERANCE = 20.0
DEFAULT_JOIN_TOLERANCE = 1.0
#: The schema's start-measure field of a route (``route.start_m``), used when present.
START_FIELD = "start_m"


@dataclass
class RouteKeys:
    """Route codes, and other routes-layer fields that name routes (field -> value -> code)."""

    codes: set[str]
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)

    def resolve(self, key) -> str | None:
        """The route code a key names (a code, or a value of an alias field); None if none."""
        if key is None:
            return None
        text = str(key)
        if text in self.codes:
            return text
        for mapping in self.aliases.values():
            if text in mapping:
                return mapping[text]
        return None

    def codes_for(self, values) -> list[str | None]:
        """Per value (a point's or event's route key): its route code; the key itself where
        it names no route (so locating reports it); None where it is empty."""
        out = []
        for value in values:
            key = route_key(value)
            out.append(None if key is None else (self.resolve(key) or key))
        return out

    def field_of(self, keys) -> str | None:
        """The alias field that matches the most of ``keys`` that are not codes."""
        others = {str(k) for k in keys} - self.codes
        best = max(self.aliases.items(), key=lambda kv: len(others & set(kv[1])), default=None)
        return best[0] if best and others & set(best[1]) else None


@dataclass
class Network:
    """Calibrated routes (code -> :class:`~.route.Route`), every finding, and the keys."""

    routes: dict[str, Route]
    issues: list[Issue]
    keys: RouteKeys


def build_network(
    routes_frame: gpd.GeoDataFrame,
    posts_frame: gpd.GeoDataFrame | None = None,
    *,
    routes_source: str = "routes",
    posts_source: str = "posts",
    route_field: str | None = None,
    route_code: str = "route",
    label_field: str = "label",
    measure_field: str | None = None,
    post_route_field: str | None = None,
    start_field: str | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    join_tolerance: float = DEFAULT_JOIN_TOLERANCE,
    strict: bool = False,
    stop_on_unmatched: bool = True,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Network:
    """Routes built and calibrated on the posts; see the module docstring.

    Both frames are in the provincial grid. ``start_field=""`` ignores start measures.
    ``stop_on_unmatched=False`` reports posts matching no route as ``unknown_route``
    issues instead of stopping (for the issue layer, which shows them on the map).
    """
    routes = routes_from_frame(routes_frame, route_field, routes_source, route_code)
    if start_field is None and START_FIELD in routes_frame.columns:
        start_field = START_FIELD
    starts = route_starts(routes_frame, route_field, start_field or None, routes_source,
                          route_code)
    keys = RouteKeys(set(routes), route_aliases(routes_frame, route_field, route_code))
    posts: dict = {}
    issues: list[Issue] = []
    if posts_frame is not None:
        by_key, issues = posts_from_frame(posts_frame, label_field, measure_field,
                                          post_route_field, posts_source, route_code)
        posts, matched = _match_posts(by_key, keys, routes_field=route_field,
                                      posts_field=post_route_field)
        issues.extend(matched)
        unknown = [i for i in matched if i.kind == "unknown_route"]
        if unknown and stop_on_unmatched:
            raise UnmatchedPostsError(posts_source, unknown, _hint(keys, route_field,
                                                                   post_route_field))
    calibrated, found = calibrate_routes(routes, posts, tolerance, join_tolerance,
                                         starts=starts, progress=progress,
                                         is_cancelled=is_cancelled)
    issues = issues + found
    if strict and any(i.severity == ERROR for i in issues):
        raise CalibrationError(", ".join(sorted(routes)), issues)
    return Network(calibrated, issues, keys)


def _match_posts(by_key: dict, keys: RouteKeys, routes_field, posts_field):
    """Posts regrouped by route code; ``route_key`` info and ``unknown_route`` errors."""
    alias = keys.field_of(by_key)
    out: dict = {}
    issues: list[Issue] = []
    for key, posts in by_key.items():
        code = key if key in keys.codes else keys.aliases.get(alias, {}).get(key)
        if code is None:
            issues.extend(Issue(
                "unknown_route", p.label, 0.0,
                f"post {p.label} names route {key!r}"
                + (f" (field {posts_field})" if posts_field else "")
                + ", which is not in the routes layer",
                str(key), p.row, p.x, p.y) for p in posts)
            continue
        out.setdefault(code, []).extend(posts)
    if alias and any(k not in keys.codes for k in by_key):
        issues.insert(0, Issue(
            "route_key", alias, 0.0,
            f"posts name their route by field {alias!r} of the routes layer (not by "
            f"{routes_field or 'the route code'}): matched through it"))
    for code in out:
        out[code].sort(key=lambda p: p.row or 0)
    return out, issues


def _hint(keys: RouteKeys, route_field, posts_field) -> str:
    codes = sorted(keys.codes)
    shown = ", ".join(codes[:5]) + (" ..." if len(codes) > 5 else "")
    return (f". The routes layer's route field {route_field or '(none)'} holds {shown}; "
            f"check the post route field ({posts_field or 'none'}) names the same routes")
