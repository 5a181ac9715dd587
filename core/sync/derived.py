"""What deriving does in a merge (a sync, a resolve): which values count as typed, and
the report's entries of what it kept, replaced or could not derive (docs/sync.md)."""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..schema.tables import GEOMETRY_COLUMN, TABLES

#: Fields derived from a row's position (its geometry, route or parent row).
POSITION_FIELDS = ("district_code", "route_id", "chainage_m", "from_m", "to_m")


def merged_typed(table: str, current: Mapping[str, Any], changes: Mapping[str, Any]) -> set:
    """The fields that count as typed when a merge writes ``changes`` to the server's row
    ``current``: the changes, and every other value of the server's row (a field neither
    side changed keeps the server's value: a load posting the office typed stays when the
    crew edits the notes; the condition values follow the row's children, derived again
    after them), except the position fields (:data:`POSITION_FIELDS`) when the changes
    move the row (its geometry, route or parent row): those follow. (A survey's PCI
    rating always follows the PCI written: :func:`roadinfra.core.derive.derive_row`.)"""
    spec = TABLES[table]
    inputs = {GEOMETRY_COLUMN, "route_id"} | {c.name for c in spec.columns if c.parent}
    inputs |= set(spec.attached_to or ())
    follows = set(POSITION_FIELDS if inputs & set(changes) else ())
    return set(changes) | {k for k in current if k not in follows}



#: Deriving's warnings a sync reports, and the ``kind`` of their report entries.
_REPORTED = {"kept_typed": "kept", "replaced": "replaced", "not_derived": "not_derived"}


def report_derived(report: dict, row_id: Any, warnings: Iterable) -> None:
    """Put in ``report["derived"]`` (a sync's report, a resolve's entry) each value
    deriving kept although it derives another (``kind`` ``kept``: a value the crew typed,
    a chainage QGIS copied to the new part of a split section, a posting a ``min`` rule
    holds), replaced (``replaced``) or could not derive (``not_derived``: a PCI from
    distresses of a density over 100 %): table, row id and code, field, the value kept (or
    replaced), the derived one, and the message. A later entry of the same field replaces
    an earlier one (a survey's PCI kept by its own update, then derived again after its
    distresses): the report says what was written."""
    def plain(value: Any) -> Any:
        return value if value is None or isinstance(value, (str, int, float, bool)) \
            else str(value)

    entries = report["derived"]
    for w in warnings:
        kind = _REPORTED.get(w.kind)
        if kind is None:
            continue
        rid = str(w.row_id or row_id)
        entry = {"table": w.table, "row_id": rid,
                 "code": w.row, "field": w.field, "kind": kind,
                 "kept": plain(w.params.get("typed", w.params.get("old"))),
                 "derived": plain(w.params.get("derived", w.params.get("new"))),
                 "message": w.message}
        entries[:] = [e for e in entries if (e["table"], e["row_id"], e["field"])
                      != (entry["table"], rid, w.field)]
        entries.append(entry)


def derived_line(entry: Mapping[str, Any]) -> str:
    """One report entry of :func:`report_derived` as the command line says it."""
    said = {"kept": "kept, not derived", "replaced": "derived",
            "not_derived": "not derived"}[entry.get("kind", "kept")]
    return (f"{said}: {entry['table']} {entry['code']} field '{entry['field']}': "
            f"{entry['message']}")
