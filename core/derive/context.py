"""What deriving needs from one database, read once: districts, calibrated routes, codes.

A :class:`DeriveContext` belongs to one open database. The DB API keeps one and forgets
what it read when routes, kilometre posts or administrative units change.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

import geopandas as gpd
from shapely.prepared import prep

from ..lrs.locate import DEFAULT_MAX_OFFSET, RouteIndex, locate_points
from ..lrs.network import Network, build_network

#: Code of a new asset: profile ``[codes] pattern`` or this (``BR-340-012``).
DEFAULT_CODE_PATTERN = "{prefix}-{area}-{number:03d}"
#: Tables whose rows, when written, change what a context has read.
SOURCE_TABLES = ("route", "calibration_point", "admin_unit")


class DeriveContext:
    """Districts, the calibrated route network and the codes in use of ``db``."""

    def __init__(self, db, route_tolerance_m: float = DEFAULT_MAX_OFFSET):
        self.db = db
        self.profile = db.profile
        self.route_tolerance_m = float(route_tolerance_m)
        self._districts: Optional[List[Tuple[str, Any]]] = None
        self._network: Optional[Network] = None
        self._index: Optional[RouteIndex] = None
        self._route_ids: Dict[str, str] = {}
        self._route_codes: Dict[str, str] = {}
        self._codes: Dict[str, set] = {}

    def forget(self, table: str | None = None) -> None:
        """Drop what was read (all, or what depends on ``table``)."""
        if table in (None, "admin_unit"):
            self._districts = None
        if table in (None, "route", "calibration_point"):
            self._network = None
            self._index = None
        if table is None:
            self._codes = {}

    def forget_codes(self) -> None:
        """Forget the codes in use (a transaction that handed some out was rolled back)."""
        self._codes = {}

    # ------------------------------------------------------------ areas
    def districts(self) -> List[Tuple[str, Any]]:
        """(district code, prepared polygon) of the live district-level admin units."""
        if self._districts is None:
            rows = self.db.fetch("admin_unit", where={"level": "district"})
            self._districts = [(str(r["code"]), prep(r["geom"])) for r in rows
                               if r.get("geom") is not None]
        return self._districts

    def district_at(self, geom) -> str | None:
        """The district whose polygon holds the whole feature (None: in none, or across
        districts: a province-level row)."""
        if geom is None or geom.is_empty:
            return None
        for code, polygon in self.districts():
            if polygon.contains(geom):
                return code
        return None

    def province_code(self) -> str:
        try:
            return str(self.profile.section("province.code"))
        except Exception:  # noqa: BLE001 - a profile without it: the profile id
            return str(self.profile.id)

    # ------------------------------------------------------------ routes
    def network(self) -> Network | None:
        """The live routes calibrated on the live kilometre posts (None without routes)."""
        if self._network is None:
            routes = [r for r in self.db.fetch("route") if r.get("geom") is not None]
            if not routes:
                return None
            self._route_ids = {str(r["code"]): str(r["id"]) for r in routes}
            self._route_codes = {v: k for k, v in self._route_ids.items()}
            # no CRS: the network needs none, and pyproj must not be asked from the worker
            # threads QGIS runs a sync or resolve in (QGIS 3.40: a crash after a first task)
            crs = None
            routes_frame = gpd.GeoDataFrame(
                {"code": [r["code"] for r in routes], "id": [r["id"] for r in routes],
                 "start_m": [r.get("start_m") for r in routes]},
                geometry=[r["geom"] for r in routes], crs=crs)
            posts = [p for p in self.db.fetch("calibration_point")
                     if p.get("geom") is not None and str(p["route_id"]) in self._route_codes]
            posts_frame = gpd.GeoDataFrame(
                {"route_id": [p["route_id"] for p in posts],
                 "measure_m": [p["measure_m"] for p in posts],
                 "label": [p.get("label") or "" for p in posts]},
                geometry=[p["geom"] for p in posts], crs=crs) if posts else None
            self._network = build_network(
                routes_frame, posts_frame, routes_source="route", posts_source="calibration_point",
                route_field="code", label_field="label", measure_field="measure_m",
                post_route_field="route_id", stop_on_unmatched=False)
            self._index = RouteIndex(list(self._network.routes.values()))
        return self._network

    def locate(self, x: float, y: float, route_id: str | None):
        """Where (x, y) lies: on route ``route_id`` when given, else on the nearest route
        within the tolerance. (route id, measure m, distance m, error text or None)."""
        if self.network() is None or self._index is None or not self._index.routes:
            return None, None, None, "there is no route to measure on"
        own = self._route_codes.get(str(route_id)) if route_id else None
        if route_id and own is None:
            return None, None, None, f"route {route_id} is not a live route"
        located = locate_points(self._index, [x], [y], self.route_tolerance_m,
                                point_routes=[own])[0]
        if located.error:
            return (route_id, None, None, located.error)
        return self._route_ids[located.route], located.measure, abs(located.offset), None

    def route_code(self, route_id) -> str | None:
        self.network()
        return self._route_codes.get(str(route_id)) if route_id else None

    # ------------------------------------------------------------ codes
    def code_pattern(self) -> str:
        try:
            return str(self.profile.section("codes.pattern"))
        except Exception:  # noqa: BLE001 - the profile has no [codes]: the default
            return DEFAULT_CODE_PATTERN

    def next_code(self, table, area: str) -> str:
        """The next free code of ``table`` for ``area`` (tombstoned codes are not reused)."""
        pattern = self.code_pattern()
        head = pattern.split("{number")[0].format(prefix=table.code_prefix, area=area)
        used = self._used_codes(table.name)
        numbers = [int(m.group(1)) for code in used if code.startswith(head)
                   for m in [re.match(r"(\d+)", code[len(head):])] if m]
        code = pattern.format(prefix=table.code_prefix, area=area,
                              number=max(numbers, default=0) + 1)
        used.add(code)
        return code

    def _used_codes(self, table_name: str) -> set:
        if table_name not in self._codes:
            rows = self.db.fetch(table_name, include_deleted=True)
            self._codes[table_name] = {str(r["code"]) for r in rows if r.get("code")}
        return self._codes[table_name]
