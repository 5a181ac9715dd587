"""What a package holds: a management area, a box or a route, with children and lookups.

The partition a crew takes is the profile's management area (today the ``district_code``
values: since July 2025 Vietnam has no district level, a road-management zone later), a
box in the provincial grid, or a route. Selected with it: every row that belongs to it
(child records through ``Column.parent``, attachments, plan items of its assets), every
row those refer to (routes, plans, bridge elements) and the administrative units.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from shapely.geometry import box

from ..db.base import Database
from ..schema.tables import GEOMETRY_COLUMN, TABLES
from .errors import SyncError
from .values import SYNC_TABLES

Rows = Dict[str, Dict[str, Dict[str, Any]]]  # table -> id -> row


@dataclass(frozen=True)
class Scope:
    kind: str  # "area", "bbox" or "route"
    value: Any  # area code, (xmin, ymin, xmax, ymax) or route code

    def to_json(self) -> str:
        value = list(self.value) if self.kind == "bbox" else self.value
        return json.dumps({"kind": self.kind, "value": value}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Scope:
        data = json.loads(text)
        value = tuple(data["value"]) if data["kind"] == "bbox" else data["value"]
        return cls(data["kind"], value)

    def __str__(self) -> str:
        if self.kind == "bbox":
            return "box " + ",".join(f"{v:.12g}" for v in self.value)
        return f"{self.kind} {self.value}"


def parse_bbox(text: str) -> Tuple[float, float, float, float]:
    """``XMIN,YMIN,XMAX,YMAX`` in the provincial grid; SyncError says what is wrong."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4 or any(v != v or abs(v) == float("inf") for v in values):
        raise SyncError(f"--bbox {text!r}: give four numbers XMIN,YMIN,XMAX,YMAX "
                        "(metres in the provincial grid)")
    if not (values[0] < values[2] and values[1] < values[3]):
        raise SyncError(f"--bbox {text!r}: XMIN must be below XMAX and YMIN below YMAX")
    return values  # type: ignore[return-value]


def check_scope(db: Database, scope: Scope) -> None:
    """SyncError when the area or route does not exist in ``db``."""
    if scope.kind == "area":
        codes = db.profile.district_codes if db.profile else []
        if scope.value not in codes:
            raise SyncError(f"--area {scope.value!r}: not a management area of the profile "
                            f"(one of {', '.join(codes)})")
    elif scope.kind == "route":
        if not db.fetch("route", where={"code": scope.value}):
            raise SyncError(f"--route {scope.value!r}: no such route in {db.target}")
    elif scope.kind != "bbox":
        raise SyncError(f"unknown package scope {scope.kind!r}")


def _live(row: Dict[str, Any]) -> bool:
    return row.get("deleted_at") is None


def select(rows: Rows, scope: Scope) -> Dict[str, set]:
    """Ids per table of the rows ``scope`` takes out of ``rows`` (every row of a database):
    live rows of the scope and their live children, and every row they refer to (a
    tombstoned parent comes as a tombstone, so that the package keeps its references)."""
    chosen: Dict[str, set] = {name: set() for name in SYNC_TABLES}
    if scope.kind == "area":
        for name in SYNC_TABLES:
            if TABLES[name].has_district:
                chosen[name] |= {i for i, r in rows[name].items()
                                 if _live(r) and r.get("district_code") == scope.value}
    elif scope.kind == "bbox":
        area = box(*scope.value)
        for name in SYNC_TABLES:
            table = TABLES[name]
            if table.kind == "asset" and table.geometry and name != "admin_unit":
                chosen[name] |= {i for i, r in rows[name].items()
                                 if _live(r) and r.get(GEOMETRY_COLUMN) is not None
                                 and r[GEOMETRY_COLUMN].intersects(area)}
    else:  # route
        route = next((r for r in rows["route"].values()
                      if _live(r) and r["code"] == scope.value), None)
        if route is not None:
            chosen["route"].add(route["id"])
            for name in SYNC_TABLES:
                if "route_id" in TABLES[name].column_names:
                    chosen[name] |= {i for i, r in rows[name].items()
                                     if _live(r) and r.get("route_id") == route["id"]}
    chosen["admin_unit"] |= {i for i, r in rows["admin_unit"].items() if _live(r)}  # lookup
    _close(rows, chosen)
    return chosen


def _close(rows: Rows, chosen: Dict[str, set]) -> None:
    """Add children (owned, attached, planned) and referenced rows until nothing changes."""
    refs = {name: [(c.name, c.references) for c in TABLES[name].columns if c.references]
            for name in SYNC_TABLES}
    parents = {name: [(c.name, c.references) for c in TABLES[name].columns
                      if c.parent and c.references] for name in SYNC_TABLES}
    links = {name: _links(TABLES[name]) for name in SYNC_TABLES}
    changed = True
    while changed:
        changed = False
        for name in SYNC_TABLES:
            table_rows, mine = rows[name], chosen[name]
            for row_id, row in table_rows.items():
                if row_id in mine:
                    for column, target in refs[name]:  # what the row refers to
                        ref = row.get(column)
                        if ref is not None and ref in rows.get(target, {}) \
                                and ref not in chosen[target]:
                            chosen[target].add(ref)
                            changed = True
                    continue
                if _live(row) and _belongs(row, parents[name], links[name], chosen):
                    mine.add(row_id)
                    changed = True


def _links(table) -> List[Tuple[str, str]]:
    """(column naming the target table, column holding its id) of a row attached to, or
    planned on, another row."""
    links = [table.attached_to] if table.attached_to else []
    if "target_table" in table.column_names and "target_id" in table.column_names:
        links.append(("target_table", "target_id"))  # the asset a plan item works on
    return links


def _belongs(row: Dict[str, Any], parents: List[Tuple[str, str]],
             links: List[Tuple[str, str]], chosen: Dict[str, set]) -> bool:
    for column, target in parents:
        if row.get(column) in chosen.get(target, ()):
            return True
    for kind, column in links:
        target = row.get(kind)
        if target in chosen and row.get(column) in chosen[target]:
            return True
    return False


def scope_or_none(text: Optional[str]) -> Optional[Scope]:
    return Scope.from_json(text) if text else None
