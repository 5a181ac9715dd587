"""Derived on save: the values a row's other data determine, filled by one function.

:func:`derive_row` is the one entry point every write path calls (the QGIS edit path, the
DB API's ``insert``/``update``, ``roadinfra db check``, the sync of a field package):

* a new asset's ``code`` from the profile's pattern (prefix, area, next free number);
* its area (``district_code``) from its position (district polygons), or, for a row that
  belongs to another (an inspection, a survey, a photo), from that row;
* ``route_id`` and chainage (``chainage_m``; ``from_m``/``to_m`` of a line) from the
  nearest calibrated route within the tolerance; a point further away keeps no chainage
  and gets a warning (never a wrong chainage);
* a pavement survey's ``pci`` from its distresses and its ``pci_rating`` from the PCI it
  ends with (derived, or typed and kept; a rating is never typed: one typed against its
  PCI is replaced, with a warning); an inspection's
  ``overall_rating``, ``structurally_deficient`` and recommended ``load_posting_t`` from its
  component ratings and element states; a section's current condition from its latest
  survey.

Typed values win: a field the person typed (``typed_fields``) is never overwritten; when
the derived value differs the result carries a warning naming the field. A field that was
not typed in this edit but holds an older value is recomputed, also with a warning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from ..chainage import format_chainage
from ..condition.pci import pci_rating
from ..condition.pci_survey import pci_from_records
from ..condition.rating_schemes import element_condition, load_posting, load_scheme
from ..errors import RoadInfraError
from ..schema.tables import GEOMETRY_COLUMN, TABLES
from .context import DeriveContext

#: Differences smaller than this are no difference (chainage in metres, PCI points).
TOLERANCE = {"chainage_m": 1.0, "from_m": 1.0, "to_m": 1.0, "pci": 0.05}


@dataclass(frozen=True)
class DeriveWarning:
    """Something a person should know about a derived value.

    ``kind``: ``kept_typed`` (the typed value stays; ``typed``/``derived`` in ``params``),
    ``replaced`` (an older value was recomputed: ``old``/``new``), ``far_from_route``
    (``reason``), ``no_district`` (the position is in no district), ``not_derived``
    (``reason``: e.g. a PCI that cannot be computed from the distresses).
    """

    table: str
    row: str
    field: str
    kind: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)
    row_id: Optional[str] = None  # the row's id (``row`` is its code when it has one)

    def __str__(self) -> str:
        return f"{self.table} {self.row}: field '{self.field}': {self.message}"


@dataclass
class Derived:
    """The row with its derived values, which fields derive set (``changes``), the
    warnings, and the rows whose derived values depend on this one (``dependents``:
    (table, id) pairs to derive again after this row is written)."""

    row: Dict[str, Any]
    changes: Dict[str, Any]
    warnings: List[DeriveWarning]
    dependents: List[Tuple[str, str]]


def derive_row(source, table: str, row: Mapping[str, Any], *,
               typed_fields: Optional[Iterable[str]] = None,
               bounds: Optional[Mapping[str, str]] = None) -> Derived:
    """Fill the derivable fields of one row of ``table``.

    ``source``: an open database (:mod:`roadinfra.core.db`) or a :class:`DeriveContext`
    over one (reuse a context for many rows). ``row``: the whole row as the DB API reads it
    (``geom`` a shapely geometry in the grid). ``typed_fields``: the fields a person typed
    in this edit; None means every non-empty field counts as typed (rows written by other
    tools: only empty fields are filled, differences are warnings). ``bounds``: field ->
    ``min`` or ``max`` (a sync's merge rules, :mod:`roadinfra.core.sync.rules`): a derived
    value that would raise (``min``) or lower (``max``) the row's value is not applied, it
    is a ``kept_typed`` warning (a merge never raises a load posting).
    """
    ctx = source if isinstance(source, DeriveContext) else _context(source)
    spec = TABLES[table]
    out = dict(row)
    run = _Run(spec, out, typed_fields, bounds)
    if spec.has_district:
        _district(ctx, run)
    if spec.code_prefix and "code" in spec.column_names and not out.get("code"):
        area = out.get("district_code") or ctx.province_code()
        run.set("code", ctx.next_code(spec, str(area)))
    if "route_id" in spec.column_names and spec.geometry:
        _route_and_chainage(ctx, run)
    rule = _RECORD_RULES.get(table)
    if rule is not None:
        rule(ctx, run)
    return Derived(out, run.changes, run.warnings, dependents_of(table, out))


def _context(db) -> DeriveContext:
    """The context the database keeps (the DB API's), else a new one."""
    ctx = getattr(db, "derive_context", None)
    return ctx() if callable(ctx) else DeriveContext(db)


class _Run:
    """One row being derived: sets values by the typed-values rule, collects warnings."""

    def __init__(self, table, row: Dict[str, Any], typed_fields, bounds=None):
        self.table = table
        self.row = row
        self.typed = None if typed_fields is None else set(typed_fields)
        self.bounds = dict(bounds or {})
        self.changes: Dict[str, Any] = {}
        self.warnings: List[DeriveWarning] = []

    @property
    def label(self) -> str:
        return str(self.row.get("code") or self.row.get("id") or "(new row)")

    def warn(self, name: str, kind: str, message: str, **params) -> None:
        row_id = self.row.get("id")
        self.warnings.append(DeriveWarning(self.table.name, self.label, name, kind, message,
                                           params, None if row_id is None else str(row_id)))

    def is_typed(self, name: str) -> bool:
        value = self.row.get(name)
        if self.typed is None:
            return not _empty(value)
        return name in self.typed and not _empty(value)

    def set(self, name: str, value: Any, follows: bool = False) -> None:
        """Give ``name`` its derived ``value`` unless a person typed it (then warn when
        they differ); an older, untyped value is replaced with a warning. ``follows``: a
        value that is only ever a function of another of the row's (a PCI's rating): a
        typed one that differs is replaced too, with the warning."""
        if value is None:
            return
        current = self.row.get(name)
        if _same(name, current, value):
            return
        if not follows and self.is_typed(name):
            self.warn(name, "kept_typed", f"kept the typed value {_show(name, current)}; "
                      f"derived would be {_show(name, value)}", typed=current, derived=value)
            return
        if not follows and self._bounded(name, current, value):
            rule = self.bounds[name]
            self.warn(name, "kept_typed", f"kept {_show(name, current)}: the profile's sync "
                      f"rule {rule!r} never {'raises' if rule == 'min' else 'lowers'} it in "
                      f"a sync; derived would be {_show(name, value)}", typed=current,
                      derived=value)
            return
        if not _empty(current):
            self.warn(name, "replaced", f"{_show(name, current)} replaced by the derived "
                      f"{_show(name, value)}", old=current, new=value)
        self.row[name] = value
        self.changes[name] = value

    def _bounded(self, name: str, current: Any, value: Any) -> bool:
        """Whether ``value`` would cross the bound (:func:`derive_row`'s ``bounds``)."""
        rule = self.bounds.get(name)
        if rule not in ("min", "max") or _empty(current):
            return False
        try:
            return float(value) > float(current) if rule == "min" \
                else float(value) < float(current)
        except (TypeError, ValueError):
            return False


def _empty(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _same(name: str, a, b) -> bool:
    if _empty(a) or _empty(b):
        return _empty(a) and _empty(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and \
            not isinstance(a, bool) and not isinstance(b, bool):
        return abs(float(a) - float(b)) <= TOLERANCE.get(name, 1e-9)
    return str(a) == str(b)


def _show(name: str, value) -> str:
    if name.endswith("_m") and isinstance(value, (int, float)) and value >= 0:
        return f"{value:g} m ({format_chainage(value, 0)})"
    if isinstance(value, float):  # one decimal, more when the value has them (a typed 54.96)
        text = f"{value:.1f}"
        return text if float(text) == value else f"{value:.4f}".rstrip("0")
    return repr(value) if isinstance(value, str) else str(value)


# ------------------------------------------------------------------ area
def _district(ctx: DeriveContext, run: _Run) -> None:
    spec, row = run.table, run.row
    parent = _parent_district(ctx, spec, row)
    if parent is not _NO_PARENT:
        run.set("district_code", parent)
        return
    geom = row.get(GEOMETRY_COLUMN)
    if geom is None or spec.name == "admin_unit":
        return
    code = ctx.district_at(geom)
    if code is None:
        if _empty(row.get("district_code")) and ctx.districts() and geom.geom_type == "Point":
            run.warn("district_code", "no_district",
                     "the position is in no district of the database: choose the district")
        return
    run.set("district_code", code)


_NO_PARENT = object()


def _parent_district(ctx: DeriveContext, spec, row):
    """The district of the row this one belongs to (``_NO_PARENT`` when it has none)."""
    for col in spec.columns:
        if col.parent and row.get(col.name):
            parents = ctx.db.fetch(col.references, where={"id": row[col.name]},
                                   include_deleted=True)
            if parents:
                return parents[0].get("district_code")
    if spec.attached_to:
        kind, column = spec.attached_to
        target = row.get(kind)
        if target in TABLES and row.get(column) and TABLES[target].has_district:
            parents = ctx.db.fetch(target, where={"id": row[column]}, include_deleted=True)
            if parents:
                return parents[0].get("district_code")
    return _NO_PARENT


# ------------------------------------------------------------------ route and chainage
def _route_and_chainage(ctx: DeriveContext, run: _Run) -> None:
    spec, row = run.table, run.row
    geom = row.get(GEOMETRY_COLUMN)
    if geom is None or geom.is_empty:
        return
    if "chainage_m" in spec.column_names and geom.geom_type == "Point":
        ends = [("chainage_m", geom.x, geom.y)]
    elif "from_m" in spec.column_names and geom.geom_type == "LineString":
        (x0, y0), (x1, y1) = geom.coords[0][:2], geom.coords[-1][:2]
        ends = [("from_m", x0, y0), ("to_m", x1, y1)]
    else:
        return
    typed_route = row.get("route_id") if run.is_typed("route_id") else None
    found = [ctx.locate(x, y, typed_route) for _, x, y in ends]
    errors = [f[3] for f in found if f[3]]
    if errors:
        run.warn(ends[0][0], "far_from_route",
                 f"no chainage derived: {errors[0]} (tolerance {ctx.route_tolerance_m:g} m); "
                 "check the position or the route", reason=errors[0],
                 tolerance=ctx.route_tolerance_m)
        return
    routes = {f[0] for f in found}
    if len(routes) > 1:
        run.warn(ends[0][0], "far_from_route", "the ends lie on different routes: no "
                 "chainage derived", reason="ends on different routes",
                 tolerance=ctx.route_tolerance_m)
        return
    measures = [round(f[1], 1) for f in found]
    if min(measures) < 0:  # before the route's first kilometre post: no valid chainage
        run.warn(ends[0][0], "far_from_route", "the position lies before the start of route "
                 f"{found[0][0]} (measure {min(measures):g} m): no chainage derived",
                 reason="before the route start", tolerance=ctx.route_tolerance_m)
        return
    run.set("route_id", found[0][0])
    if len(measures) == 2 and measures[0] > measures[1]:
        measures.reverse()  # drawn against the chainage direction
    for (name, _x, _y), measure in zip(ends, measures):
        run.set(name, measure)


# ------------------------------------------------------------------ records
def _survey(ctx: DeriveContext, run: _Run) -> None:
    """A survey's PCI from its distresses, then its rating from the PCI the row ends with
    (the derived one, or the typed one deriving kept): the rating is the profile's band of
    that PCI, never typed (a rating typed against it is replaced, with a warning)."""
    _survey_pci(ctx, run)
    rating = _rating(ctx, run.row.get("pci"))
    if rating is not None:
        run.set("pci_rating", rating, follows=True)


def _rating(ctx: DeriveContext, pci) -> Optional[str]:
    """The profile's rating of ``pci``; None for no PCI or one outside 0..100 (the
    validator's to name)."""
    if _empty(pci):
        return None
    try:
        return pci_rating(float(pci), ctx.profile, "en")
    except (RoadInfraError, TypeError, ValueError):
        return None


def _survey_pci(ctx: DeriveContext, run: _Run) -> None:
    row = run.row
    if not row.get("id"):
        return
    distresses = ctx.db.fetch("pavement_distress", where={"survey_id": row["id"]})
    if not distresses:
        return
    records = [(n, d["sample_unit"], d["unit_area_m2"], d["distress_code"], d.get("severity"),
                d["quantity"]) for n, d in enumerate(distresses, 1)]
    try:
        result = pci_from_records(records, source=f"pavement_survey {run.label} distresses",
                                  profile=ctx.profile)
    except RoadInfraError as exc:
        first = _distress_problem(exc, distresses)
        run.warn("pci", "not_derived", f"PCI not derived from the distresses: {first}",
                 reason=first)
        return
    run.set("pci", round(float(result.section_pci), 1))


def _distress_problem(exc: RoadInfraError, distresses: List[dict]) -> str:
    """The first problem of a survey's distresses, naming the distress row by its id (the
    records are numbered in fetch order, which no person sees), and how many more."""
    errors = getattr(exc, "errors", None) or []
    if not errors:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    first = errors[0]
    row = distresses[first.row - 1] if 1 <= first.row <= len(distresses) else None
    where = f"pavement_distress {row['id']}" if row else f"distress row {first.row}"
    if first.field:
        where += f", field {first.field!r}"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first.message}{more}"


def _inspection(ctx: DeriveContext, run: _Run) -> None:
    row = run.row
    if not row.get("id") or not row.get("scheme"):
        return
    ratings = ctx.db.fetch("component_rating", where={"inspection_id": row["id"]})
    structure = "bridge" if row.get("bridge_id") else "culvert"
    try:
        scheme = load_scheme(row["scheme"])
        rated = scheme.rate({r["component"]: r["rating"] for r in ratings
                             if r["component"] in scheme.components}, structure)
    except RoadInfraError as exc:
        first = str(exc).splitlines()[0]
        run.warn("overall_rating", "not_derived", f"overall rating not derived: {first}",
                 reason=first)
        return
    if rated.overall is None:
        return
    run.set("overall_rating", rated.overall)
    poor_elements = _poor_elements(ctx, row["id"])
    deficient = bool(rated.deficient) or poor_elements
    run.set("structurally_deficient", deficient)
    if structure == "bridge":
        posting = _posting(ctx, rated.condition_class, poor_elements)
        if posting is not None:
            run.set("load_posting_t", posting)


def _poor_elements(ctx: DeriveContext, inspection_id: str) -> bool:
    """An element whose health index (AASHTO MBEI states) is below the profile's
    ``[bridges] element_poor_health_index`` makes the structure deficient."""
    limit = _bridges(ctx).get("element_poor_health_index")
    if limit is None:
        return False
    for state in ctx.db.fetch("element_condition", where={"inspection_id": inspection_id}):
        quantities = [state.get(f"qty_cs{i}") for i in range(1, 5)]
        if not any(quantities):
            continue
        if element_condition(quantities).health_index < float(limit):
            return True
    return False


def _posting(ctx: DeriveContext, condition_class: str | None, poor_elements: bool):
    """Recommended gross posting (t): the legal load scaled by the profile's capacity
    factor of the condition class, through :func:`load_posting` (0 t = close)."""
    factors = _bridges(ctx).get("capacity_factor_by_class")
    if not factors or condition_class is None:
        return None
    key = "poor" if poor_elements else condition_class
    if key not in factors:
        return None
    legal = float(_bridges(ctx)["posting_legal_load_t"])
    advice = load_posting(legal * float(factors[key]), profile=ctx.profile)
    if advice.action == "none":
        return None
    return 0.0 if advice.action == "close" else advice.posting_t


def _bridges(ctx: DeriveContext) -> Mapping[str, Any]:
    try:
        return ctx.profile.section("bridges")
    except Exception:  # noqa: BLE001 - a profile without [bridges]: nothing to derive
        return {}


def _section(ctx: DeriveContext, run: _Run) -> None:
    row = run.row
    if not row.get("id"):
        return
    surveys = [s for s in ctx.db.fetch("pavement_survey", where={"section_id": row["id"]})
               if s.get("pci") is not None]
    if not surveys:
        return
    latest = max(surveys, key=lambda s: (s["survey_date"], str(s.get("updated_at") or "")))
    rating = _rating(ctx, latest["pci"])
    for name, value in (("pci", latest["pci"]),
                        ("pci_rating", latest.get("pci_rating") if rating is None else rating),
                        ("condition_date", latest["survey_date"])):
        # only ever derived: never typed, so always the latest survey's
        if not _same(name, row.get(name), value):
            row[name] = value
            run.changes[name] = value


_RECORD_RULES = {"pavement_survey": _survey, "inspection": _inspection,
                 "pavement_section": _section}
#: The fields each record rule derives from the row's children.
CONDITION_FIELDS = {"pavement_survey": ("pci", "pci_rating"),
                    "inspection": ("overall_rating", "structurally_deficient", "load_posting_t"),
                    "pavement_section": ("pci", "pci_rating", "condition_date")}


def dependent_typed(table: str, row: Mapping[str, Any]) -> List[str]:
    """``typed_fields`` for deriving a row again after its children changed: everything
    counts as typed except what it derives from those children (a survey's PCI follows its
    distresses; its chainage stays)."""
    return [k for k in row if k not in CONDITION_FIELDS.get(table, ())]

#: child table -> (column naming the row whose derived values depend on it, that table)
_DEPENDS_ON = {
    "pavement_distress": ("survey_id", "pavement_survey"),
    "pavement_survey": ("section_id", "pavement_section"),
    "component_rating": ("inspection_id", "inspection"),
    "element_condition": ("inspection_id", "inspection"),
}


def dependents_of(table: str, row: Mapping[str, Any]) -> List[Tuple[str, str]]:
    link = _DEPENDS_ON.get(table)
    if link is None or not row.get(link[0]):
        return []
    return [(link[1], str(row[link[0]]))]


def derived_tables() -> Tuple[str, ...]:
    """Tables that have something to derive (for ``roadinfra db check``)."""
    return tuple(name for name, spec in TABLES.items()
                 if spec.versioned and (spec.has_district or spec.code_prefix
                                        or name in _RECORD_RULES))
