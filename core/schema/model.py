"""Building blocks of the one schema definition (tables, columns, code lists).

The GeoPackage and PostGIS back-ends are both generated from these objects; nothing
else in the project spells a table or column name for DDL.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Tuple

# Logical column types; each back-end maps them to its own SQL type.
COLUMN_TYPES = ("uuid", "text", "integer", "real", "boolean", "date", "datetime", "json")
GEOMETRY_TYPES = ("POINT", "LINESTRING", "MULTILINESTRING", "MULTIPOLYGON")

# Table kinds:
#   asset     - versioned, has a human code unique per table, district, history, tombstone
#   record    - versioned child rows (inspections, surveys, plans): history and tombstone, no code
#   bulk      - append-only measurements (weighing records): UUID, no per-row history
#   system    - metadata and the change log itself
TABLE_KINDS = ("asset", "record", "bulk", "system")


@dataclass(frozen=True)
class CodeList:
    """A closed list of codes with Vietnamese and English labels (a QGIS value map)."""

    name: str
    items: Tuple[Tuple[str, str, str], ...]  # (code, label_vi, label_en)
    since: int = 1  # schema version that added the list (its rows go in that migration)

    @property
    def codes(self) -> Tuple[str, ...]:
        return tuple(code for code, _, _ in self.items)

    def label(self, code: str, lang: str) -> str:
        """The label of ``code`` in ``lang`` ('vi' or 'en'); an unknown code is returned as is."""
        for item, vi, en in self.items:
            if item == code:
                return vi if lang == "vi" else en
        return code


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    label_vi: str
    label_en: str
    nullable: bool = True
    unique: bool = False
    references: str | None = None  # referenced table (its ``id``)
    # the referenced row owns this one (inspection -> bridge): the row's district_code must
    # be its parent's, and moving the parent to another district moves it too (since v4)
    parent: bool = False
    # (since GUARDS_2) a link to a row that does not own this one but must be in the same
    # district (element_condition.element_id): checked like ``parent``, never cascaded
    same_area: bool = False
    codelist: str | None = None  # name of a CodeList
    min: float | None = None
    max: float | None = None
    default: str | None = None  # SQL literal valid on both back-ends
    system: bool = False  # maintained by the database, read-only in forms
    derived: bool = False  # only ever derived on save (core/derive), read-only in forms
    since: int = 1  # schema version that added the column (drives upgrades)

    def __post_init__(self):
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.name}: unknown type {self.type!r}")


@dataclass(frozen=True)
class Table:
    name: str
    kind: str
    label_vi: str
    label_en: str
    theme: str  # layer-tree group: network, pavement, structures, loads, planning, cadastre, admin
    columns: Tuple[Column, ...]
    geometry: str | None = None
    code_prefix: str | None = None  # asset codes look like PREFIX-...
    checks: Tuple[Tuple[str, str], ...] = field(default=())  # (name, portable SQL expression)
    unique_together: Tuple[Tuple[str, ...], ...] = field(default=())  # multi-column keys
    # (table-name column, id column) of rows attached to a row of any table (attachment):
    # like Column.parent, the row's district_code must be that row's (since v4)
    attached_to: Tuple[str, str] | None = None
    # (since GUARDS_2) links that must agree with each other: (column a, column b, shared
    # column): the rows a and b reference have the same value of the shared column
    # (element_condition: the element's bridge_id is the inspection's bridge_id)
    agree: Tuple[Tuple[str, str, str], ...] = field(default=())
    since: int = 1  # schema version that added the table (drives upgrades)

    def __post_init__(self):
        if self.kind not in TABLE_KINDS:
            raise ValueError(f"table {self.name}: unknown kind {self.kind!r}")
        if self.geometry is not None and self.geometry not in GEOMETRY_TYPES:
            raise ValueError(f"table {self.name}: unknown geometry {self.geometry!r}")

    @cached_property
    def column_names(self) -> Tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name}.{name}")

    def at_version(self, version: int) -> Table | None:
        """This table as it was at schema ``version`` (None if it did not exist yet)."""
        if self.since > version:
            return None
        return replace(self, columns=tuple(c for c in self.columns if c.since <= version))

    @property
    def has_id(self) -> bool:
        """The table's key is a UUID column ``id`` (assets, records, bulk rows)."""
        return "id" in self.column_names and self.column("id").type == "uuid"

    @property
    def has_district(self) -> bool:
        return "district_code" in self.column_names

    @property
    def versioned(self) -> bool:
        """Rows carry a revision, audit columns, a tombstone and a change history."""
        return self.kind in ("asset", "record")
