# ruff: noqa: S608 - DDL generator: every name/constant passes through sqlnames.ident/literal
"""GeoPackage DDL generated from the schema definition.

Feature tables get an ``fid INTEGER PRIMARY KEY`` (GeoPackage requires it; QGIS uses it)
beside the UUID ``id``. Versioned tables get SQLite triggers that keep ``id``, ``revision``,
the audit columns and ``change_log`` up to date using only core SQLite (JSON1), so edits
made by QGIS directly are versioned too; a DELETE is refused (rows are tombstoned through
``deleted_at``). The R-tree
triggers follow the GeoPackage ``gpkg_rtree_index`` extension (they call ``ST_IsEmpty`` and
``ST_MinX``..: GDAL/QGIS provide them; :mod:`roadinfra.core.db.gpkgblob` does for us).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Dict, List

from . import guards_2
from .constraints import (
    AUDIT_NAMES,
    attach_targets,
    child_links,
    column_check_sql,
    data_columns,
    parent_links,
    reference_sql,
    table_indexes,
)
from .model import Column, Table
from .plan_guards import gpkg_trigger_names, gpkg_triggers
from .sqlnames import ident, literal
from .tables import CODELISTS, GEOMETRY_COLUMN, SCHEMA_VERSION, tables_at
from .tables import TOMBSTONE as TOMBSTONE_SINCE

SQL_TYPES = {
    "uuid": "TEXT", "text": "TEXT", "integer": "INTEGER", "real": "REAL",
    "boolean": "BOOLEAN", "date": "DATE", "datetime": "DATETIME", "json": "TEXT",
}
NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
# A GeoPackage has no login: the author is the user the DB API recorded in db_meta for the
# transaction, else 'qgis'; change_log.app_user (since version 3) keeps what was recorded.
CLAIMED_USER = "(SELECT value FROM db_meta WHERE key = 'app_user')"
APP_USER = f"coalesce({CLAIMED_USER}, 'qgis')"


def app_user_sql(version: int) -> str:
    """The author of a change: before version 6 the recorded user else the fixed word
    'qgis'; since version 6 only the recorded user (the QGIS plugin records the operating
    system user or its setting when editing starts; a tool that records none leaves it
    empty rather than naming a wrong person)."""
    return APP_USER if version < TOMBSTONE_SINCE else CLAIMED_USER
# A random (version 4) UUID in plain SQLite, so rows added by QGIS get an id too
# (set by a trigger: GDAL would read an expression DEFAULT as a literal string).
UUID4_SQL = (
    "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || "
    "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || "
    "'-' || lower(hex(randomblob(6))))"
)
NO_DELETE_MESSAGE = ("RoadInfra keeps every row: set deleted_at (tombstone) instead of "
                     "deleting it")
RTREE_EXTENSION = "http://www.geopackage.org/spec120/#extension_rtree"
# GeoPackage 1.2 table; GDAL creates it only when a first extension is registered.
EXTENSIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, "
    "extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, "
    "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))"
)


def uses_fid(table: Table) -> bool:
    """Every table but ``change_log`` (whose integer ``id`` is the key) gets an ``fid``."""
    return not ("id" in table.column_names and table.column("id").type == "integer")


def _column_sql(table: Table, col: Column, for_alter: bool = False) -> str:
    parts = [ident(col.name), SQL_TYPES[col.type]]
    if col.name == "id" and col.type == "integer":
        parts.append("PRIMARY KEY AUTOINCREMENT")
    if col.name == "id" and col.type == "uuid":
        # NULL allowed only until the AFTER INSERT trigger fills it (rows added by QGIS).
        parts.append("UNIQUE")
    elif not col.nullable and not (col.system and table.versioned):
        # audit columns are filled by the insert trigger: QGIS sends explicit NULLs
        parts.append("NOT NULL")
    if col.default is not None:
        parts.append(f"DEFAULT {col.default}")
    if col.unique and not table.versioned and not for_alter:
        parts.append("UNIQUE")
    extra = [f"{ident(col.name)} IN (0, 1)"] if col.type == "boolean" else []
    parts += [column_check_sql(table, col, extra), reference_sql(table, col)]
    return " ".join(p for p in parts if p)


def create_table_sql(table: Table, srs_id: int, version: int = SCHEMA_VERSION) -> List[str]:
    """CREATE TABLE, indexes, GeoPackage registration, R-tree and versioning triggers
    (as of schema ``version``)."""
    name = ident(table.name)
    lines = []
    if uses_fid(table):
        lines.append('"fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL')
    # columns a later version added come last (after the geometry), where an upgrade's
    # ALTER TABLE puts them
    lines += [_column_sql(table, c) for c in table.columns if c.since <= table.since]
    if table.geometry:
        lines.append(f"{ident(GEOMETRY_COLUMN)} {table.geometry}")
    lines += [_column_sql(table, c) for c in sorted(table.columns, key=lambda c: c.since)
              if c.since > table.since]
    for check_name, expr in table.checks:
        lines.append(f"CONSTRAINT {ident('ck_' + table.name + '_' + check_name)} CHECK ({expr})")
    for cols in table.unique_together:
        lines.append("UNIQUE (" + ", ".join(ident(c) for c in cols) + ")")
    stmts = [f"CREATE TABLE {name} (\n  " + ",\n  ".join(lines) + "\n)"]
    stmts += index_sql(table)
    stmts += register_sql(table, srs_id)
    stmts += triggers_sql(table, version)
    return stmts


def register_sql(table: Table, srs_id: int) -> List[str]:
    """Rows in gpkg_contents (+ gpkg_geometry_columns, R-tree) so QGIS lists the table."""
    data_type = "features" if table.geometry else "attributes"
    description = f"{table.label_vi} / {table.label_en}"
    stmts = [
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "  # nosec B608 # schema constants via sqlnames.literal
        f"VALUES ({literal(table.name)}, {literal(data_type)}, {literal(table.name)}, "
        f"{literal(description)}, {srs_id if table.geometry else 'NULL'})"
    ]
    if table.geometry:
        stmts.append(
            "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, "  # nosec B608 # schema constants via sqlnames.literal
            f"srs_id, z, m) VALUES ({literal(table.name)}, {literal(GEOMETRY_COLUMN)}, "
            f"{literal(table.geometry)}, {srs_id}, 0, 0)"
        )
        stmts += rtree_sql(table)
    return stmts


def rtree_sql(table: Table) -> List[str]:
    """Spatial index per the GeoPackage R-tree extension (virtual table + 7 triggers)."""
    t, g = table.name, GEOMETRY_COLUMN
    rt = ident(f"rtree_{t}_{g}")
    tq, gq = ident(t), ident(g)
    values = (f"(NEW.fid, ST_MinX(NEW.{gq}), ST_MaxX(NEW.{gq}), "
              f"ST_MinY(NEW.{gq}), ST_MaxY(NEW.{gq}))")
    filled = f"(NEW.{gq} NOT NULL AND NOT ST_IsEmpty(NEW.{gq}))"
    blank = f"(NEW.{gq} ISNULL OR ST_IsEmpty(NEW.{gq}))"

    def trig(suffix: str, event: str, when: str, body: str) -> str:
        return (f"CREATE TRIGGER {ident(f'rtree_{t}_{g}_{suffix}')} {event} ON {tq} "
                f"WHEN {when} BEGIN {body} END")

    return [
        f"CREATE VIRTUAL TABLE {rt} USING rtree(id, minx, maxx, miny, maxy)",
        rtree_insert_trigger_sql(table),
        trig("update1", f"AFTER UPDATE OF {gq}", f"OLD.fid = NEW.fid AND {filled}",
             f"INSERT OR REPLACE INTO {rt} VALUES {values};"),
        trig("update2", f"AFTER UPDATE OF {gq}", f"OLD.fid = NEW.fid AND {blank}",
             f"DELETE FROM {rt} WHERE id = OLD.fid;"),  # nosec B608 # names via sqlnames.ident
        trig("update3", "AFTER UPDATE", f"OLD.fid != NEW.fid AND {filled}",
             f"DELETE FROM {rt} WHERE id = OLD.fid; INSERT OR REPLACE INTO {rt} VALUES {values};"),  # nosec B608 # names via sqlnames.ident
        trig("update4", "AFTER UPDATE", f"OLD.fid != NEW.fid AND {blank}",
             f"DELETE FROM {rt} WHERE id IN (OLD.fid, NEW.fid);"),  # nosec B608 # names via sqlnames.ident
        trig("delete", "AFTER DELETE", f"OLD.{gq} NOT NULL",
             f"DELETE FROM {rt} WHERE id = OLD.fid;"),  # nosec B608 # names via sqlnames.ident
        "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, "  # nosec B608 # schema constants via sqlnames.literal
        f"scope) VALUES ({literal(t)}, {literal(g)}, 'gpkg_rtree_index', "
        f"{literal(RTREE_EXTENSION)}, 'write-only')",
    ]


def rtree_insert_trigger_sql(table: Table) -> str:
    """The R-tree extension's AFTER INSERT trigger of ``table`` (a bulk load drops it and
    fills the R-tree itself, then creates it again from here)."""
    t, g = table.name, GEOMETRY_COLUMN
    rt, tq, gq = ident(f"rtree_{t}_{g}"), ident(t), ident(g)
    return (f"CREATE TRIGGER {ident(f'rtree_{t}_{g}_insert')} AFTER INSERT ON {tq} "
            f"WHEN (NEW.{gq} NOT NULL AND NOT ST_IsEmpty(NEW.{gq})) BEGIN "
            f"INSERT OR REPLACE INTO {rt} VALUES (NEW.fid, ST_MinX(NEW.{gq}), "
            f"ST_MaxX(NEW.{gq}), ST_MinY(NEW.{gq}), ST_MaxY(NEW.{gq})); END")


def bulk_load_sql(table: Table, columns: List[str]) -> Dict[str, Any]:
    """The statements that bulk-load ``table`` (:func:`core.sync.package.load_rows`): drop
    its indexes and R-tree insert trigger, insert rows of ``columns`` (placeholders), then
    restore what was dropped; and the name of its R-tree (``rtree``; None without
    geometry: the statements of :func:`rtree_fill_sql`), which the loader fills itself."""
    rtree = f"rtree_{table.name}_{GEOMETRY_COLUMN}"
    spatial = table.geometry is not None
    indexes = table_indexes(table)
    return {
        "drop": [f"DROP INDEX {ident(n)}" for n in indexes]
        + ([f"DROP TRIGGER {ident(rtree + '_insert')}"] if spatial else []),
        "insert": (f"INSERT INTO {ident(table.name)} ({', '.join(ident(c) for c in columns)}) "  # nosec B608 # names via sqlnames.ident
                   f"VALUES ({', '.join('?' * len(columns))})"),
        "rtree": rtree_fill_sql(rtree) if spatial else None,
        "restore": ([rtree_insert_trigger_sql(table)] if spatial else [])
        + list(indexes.values()),
    }


def rtree_fill_sql(rtree: str) -> Dict[str, str]:
    """The statements :func:`core.db.rtree_fill.fill_rtree` runs on the R-tree ``rtree``'s
    own tables (``<rtree>_node``, ``_rowid``, ``_parent``): the root node's size, emptying
    the nodes, and an insert (placeholders) into each."""
    node, rowid, parent = (ident(f"{rtree}_{part}") for part in ("node", "rowid", "parent"))
    return {
        "root_size": f"SELECT length(data) FROM {node} WHERE nodeno = 1",  # nosec B608 # names via sqlnames.ident
        "clear": f"DELETE FROM {node}",  # nosec B608 # names via sqlnames.ident
        "node": f"INSERT INTO {node} (nodeno, data) VALUES (?, ?)",  # nosec B608 # names via sqlnames.ident
        "rowid": f"INSERT INTO {rowid} (rowid, nodeno) VALUES (?, ?)",  # nosec B608 # names via sqlnames.ident
        "parent": f"INSERT INTO {parent} (nodeno, parentnode) VALUES (?, ?)",  # nosec B608 # names via sqlnames.ident
    }


def index_sql(table: Table) -> List[str]:
    """The indexes of ``table`` beyond its primary key and column constraints."""
    return list(table_indexes(table).values())


def _json_row(table: Table, alias: str, columns: List[Column]) -> str:
    """json_object(...) of a row's values; geometry as hex of its GeoPackage blob."""
    args = []
    for col in columns:
        args.append(f"{literal(col.name)}, {alias}.{ident(col.name)}")
    if table.geometry:
        args.append(f"{literal(GEOMETRY_COLUMN)}, hex({alias}.{ident(GEOMETRY_COLUMN)})")
    return "json_object(" + ", ".join(args) + ")"


GUARDS_SINCE = 4  # schema version of the guard triggers (replace, audit, area)
NO_REPLACE = "RoadInfra never replaces a row: update it instead"
STALE_MESSAGE = ("RoadInfra: the row was changed by someone else since it was read (its "
                 "revision is not the one the edit is based on): read it again and redo "
                 "the change")
AUDIT_MESSAGE = ("RoadInfra keeps revision, created_at/by and updated_at/by: they cannot be "
                 "set by an edit")


def trigger_names(table: Table, version: int = SCHEMA_VERSION) -> List[str]:
    """Names of the RoadInfra triggers of ``table`` at schema ``version``."""
    guards = version >= GUARDS_SINCE
    if table.versioned:
        ops = ["insert", "update", "delete"]
        if guards:
            ops += ["guard_insert", "guard_update"]
            if child_links(table, tables_at(version)):
                ops.append("area_cascade")
                if version >= TOMBSTONE_SINCE:
                    ops.append("tombstone_cascade")
        return ([f"ri_{table.name}_{op}" for op in ops] + gpkg_trigger_names(table, version)
                + guards_2.gpkg_trigger_names(table, version))
    if table.name == "change_log":
        names = ["ri_change_log_no_update", "ri_change_log_no_delete"]
        return names + (["ri_change_log_no_replace"] if guards else [])
    if table.has_id:
        return [f"ri_{table.name}_id"] + guards_2.gpkg_trigger_names(table, version)
    return []


def drop_triggers_sql(table: Table, version: int = SCHEMA_VERSION) -> List[str]:
    return list(_drop_triggers_sql(table, version))


@cache
def _drop_triggers_sql(table: Table, version: int) -> List[str]:
    """drop_triggers_sql, made once per table and version."""
    return [f"DROP TRIGGER IF EXISTS {ident(n)}" for n in trigger_names(table, version)]


def _change_log_triggers(version: int) -> List[str]:
    stmts = [
        'CREATE TRIGGER "ri_change_log_no_update" BEFORE UPDATE ON "change_log" BEGIN '
        "SELECT RAISE(ABORT, 'change_log is append-only: history cannot be edited'); END",
        'CREATE TRIGGER "ri_change_log_no_delete" BEFORE DELETE ON "change_log" BEGIN '
        "SELECT RAISE(ABORT, 'change_log is append-only: history cannot be deleted'); END",
    ]
    if version >= GUARDS_SINCE:
        # INSERT OR REPLACE deletes the entry it collides with, firing no delete trigger
        stmts.append(
            'CREATE TRIGGER "ri_change_log_no_replace" BEFORE INSERT ON "change_log" BEGIN '
            "SELECT RAISE(ABORT, 'change_log is append-only: an entry cannot be replaced') "
            'WHERE EXISTS (SELECT 1 FROM "change_log" WHERE "id" = NEW."id"); END')
    return stmts


def _logged(table: Table, row: str, revision: str = "") -> str:
    """SQL: the change_log has an entry for row ``row`` (an alias: OLD, NEW) of ``table``
    (at ``revision``, an SQL expression, when given)."""
    at = f' AND "revision" = {revision}' if revision else ""
    return (f'EXISTS (SELECT 1 FROM "change_log" WHERE "table_name" = {literal(table.name)} '  # nosec B608 # schema constants via sqlnames.literal
            f'AND "row_id" = {row}."id"{at})')


def _raise(message: str, condition: str) -> str:
    return f"SELECT RAISE(ABORT, {literal(message)}) WHERE {condition}; "


def _area_checks(table: Table, version: int) -> str:
    """RAISE when the row's district differs from one of its parents' (Column.parent) or
    from the row it is attached to (Table.attached_to)."""
    out = ""
    for column, parent in parent_links(table):
        message = (f"{table.name}.district_code must be the district of its {parent} "
                   f"({column}): a row belongs to the area of its parent")
        out += _raise(message, f"EXISTS (SELECT 1 FROM {ident(parent)} AS p "  # nosec B608 # names via sqlnames.ident
                               f'WHERE p."id" = NEW.{ident(column)} '
                               'AND p."district_code" IS NOT NEW."district_code")')
    targets = attach_targets(table, tables_at(version))
    if targets:
        kind, column = table.attached_to
        message = (f"{table.name}.district_code must be the district of the row it is "
                   f"attached to ({kind}, {column}): a row belongs to the area of its parent")
        for parent in targets:
            out += _raise(message, f"NEW.{ident(kind)} = {literal(parent)} AND EXISTS "
                                   f"(SELECT 1 FROM {ident(parent)} AS p "  # nosec B608 # names via sqlnames.ident
                                   f'WHERE p."id" = NEW.{ident(column)} '
                                   'AND p."district_code" IS NOT NEW."district_code")')
    return out


def _guard_triggers(table: Table, version: int) -> List[str]:
    """Refuse what would change a versioned row without a history entry (since version 4).

    INSERT OR REPLACE / UPDATE OR REPLACE delete the row they collide with and SQLite fires
    no delete trigger for that (unless recursive triggers are on), so every collision on
    fid, id or a unique column is refused before it happens; the key and the audit columns
    cannot be set by an edit (only the versioning triggers' own step, revision + 1 after
    its history entry, may); a child row's district is its parent's.
    """
    t = ident(table.name)
    unique = [c for c in table.columns if c.unique]
    insert = _raise(f"UNIQUE constraint failed: {table.name}.fid ({NO_REPLACE})",
                    f'EXISTS (SELECT 1 FROM {t} WHERE "fid" = NEW."fid")')  # nosec B608 # names via sqlnames.ident
    insert += _raise(f"UNIQUE constraint failed: {table.name}.id ({NO_REPLACE})",
                     f'EXISTS (SELECT 1 FROM {t} WHERE "id" = NEW."id")')  # nosec B608 # names via sqlnames.ident
    update = _raise(f"{table.name}: fid cannot change ({NO_REPLACE})", 'NEW."fid" IS NOT OLD."fid"')
    update += _raise(f"{table.name}: id cannot change ({NO_REPLACE})",
                     'OLD."id" IS NOT NULL AND NEW."id" IS NOT OLD."id"')
    for col in unique:
        c = ident(col.name)
        message = f"UNIQUE constraint failed: {table.name}.{col.name} ({NO_REPLACE})"
        insert += _raise(message, f'NEW."deleted_at" IS NULL AND EXISTS (SELECT 1 FROM {t} '  # nosec B608 # names via sqlnames.ident
                                  f'WHERE {c} = NEW.{c} AND "deleted_at" IS NULL)')
        update += _raise(message, f'NEW."deleted_at" IS NULL AND EXISTS (SELECT 1 FROM {t} '  # nosec B608 # names via sqlnames.ident
                                  f'WHERE {c} = NEW.{c} AND "deleted_at" IS NULL '
                                  'AND "fid" <> OLD."fid")')
    own_step = (f'(NEW."revision" = OLD."revision" + 1 AND '
                f'{_logged(table, "OLD", "NEW.revision")})')
    after_insert = f"{_logged(table, 'OLD')} AND NOT {own_step}"
    update += _raise(STALE_MESSAGE, f'NEW."revision" IS NOT OLD."revision" AND {after_insert}')
    changed = " OR ".join(f"NEW.{ident(n)} IS NOT OLD.{ident(n)}" for n in AUDIT_NAMES)
    update += _raise(AUDIT_MESSAGE, f"({changed}) AND {after_insert}")
    insert += _area_checks(table, version)
    update += _area_checks(table, version)
    return [
        f"CREATE TRIGGER {ident('ri_' + table.name + '_guard_insert')} BEFORE INSERT ON {t} "
        f"BEGIN {insert}END",
        f"CREATE TRIGGER {ident('ri_' + table.name + '_guard_update')} BEFORE UPDATE ON {t} "
        f"BEGIN {update}END",
    ]


def _cascade_trigger(table: Table, version: int) -> List[str]:
    """Moving a parent to another district moves its child rows (each logged)."""
    children = child_links(table, tables_at(version))
    if not children:
        return []
    body = "".join(f'UPDATE {ident(child)} SET "district_code" = NEW."district_code" '  # nosec B608 # names via sqlnames.ident
                   f'WHERE {ident(column)} = NEW."id" AND "district_code" IS NOT '
                   f'NEW."district_code"{_of_kind(table, kind)}; '
                   for child, column, kind in children)
    return [f"CREATE TRIGGER {ident('ri_' + table.name + '_area_cascade')} AFTER UPDATE OF "
            f'"district_code" ON {ident(table.name)} WHEN NEW."district_code" IS NOT '
            f'OLD."district_code" BEGIN {body}END']


def _child_updates(table: Table, version: int, set_sql: str, where_sql: str,
                   row: str) -> str:
    """One UPDATE per child table: SET ``set_sql`` on children of ``row`` (OLD/NEW) that
    match ``where_sql``."""
    return "".join(f"UPDATE {ident(child)} SET {set_sql} "  # nosec B608 # names via sqlnames.ident
                   f"WHERE {ident(column)} = {row}.\"id\" AND {where_sql}"
                   f"{_of_kind(table, kind)}; "
                   for child, column, kind in child_links(table, tables_at(version)))


def _tombstone_cascade_trigger(table: Table, version: int) -> List[str]:
    """Children follow their parent's tombstone, and its restore (those tombstoned with it,
    at the same instant, come back); each change is logged by the child's own triggers."""
    if version < TOMBSTONE_SINCE or not child_links(table, tables_at(version)):
        return []
    down = _child_updates(table, version, '"deleted_at" = NEW."deleted_at"',
                          'NEW."deleted_at" IS NOT NULL AND "deleted_at" IS NULL', "NEW")
    up = _child_updates(table, version, '"deleted_at" = NULL',
                        'NEW."deleted_at" IS NULL AND "deleted_at" = OLD."deleted_at"', "NEW")
    return [f"CREATE TRIGGER {ident('ri_' + table.name + '_tombstone_cascade')} AFTER UPDATE "
            f'OF "deleted_at" ON {ident(table.name)} WHEN NEW."deleted_at" IS NOT '
            f'OLD."deleted_at" BEGIN {down}{up}END']


def _delete_as_tombstone(table: Table, version: int, log_cols: str, app_val: str) -> str:
    """AFTER DELETE: put the row back as a tombstone (same fid, id and values, revision + 1,
    logged as DELETE) and tombstone its children, in the deleting statement itself.

    QGIS, QField and GDAL delete a feature with a plain DELETE and count the deleted row;
    a BEFORE trigger that skipped the delete (RAISE(IGNORE)) would report "no such
    feature" and QGIS would roll its whole commit back. SQLite checks immediate foreign
    keys at the end of the statement, when the row is back. Deleting a tombstone keeps it.
    """
    t, name = ident(table.name), literal(table.name)
    cols = list(table.columns)
    who = app_user_sql(version)
    live = 'OLD."deleted_at" IS NULL'
    values = {"revision": f'CASE WHEN {live} THEN OLD."revision" + 1 ELSE OLD."revision" END',
              "updated_at": f'CASE WHEN {live} THEN {NOW} ELSE OLD."updated_at" END',
              "updated_by": f'CASE WHEN {live} THEN {who} ELSE OLD."updated_by" END',
              "deleted_at": f'coalesce(OLD."deleted_at", {NOW})'}
    names = [ident(c.name) for c in cols] + ([ident(GEOMETRY_COLUMN)] if table.geometry else [])
    exprs = [values.get(c.name, f"OLD.{ident(c.name)}") for c in cols]
    if table.geometry:
        exprs.append(f"OLD.{ident(GEOMETRY_COLUMN)}")
    new_json = _json_with(table, "OLD", cols, values)
    children = _child_updates(table, version, f'"deleted_at" = {NOW}', '"deleted_at" IS NULL',
                              "OLD")
    return (
        f"CREATE TRIGGER {ident('ri_' + table.name + '_delete')} AFTER DELETE ON {t} BEGIN "  # nosec B608 # names via sqlnames.ident/literal
        f"{log_cols}SELECT {name}, OLD.id, OLD.revision + 1, 'DELETE', {NOW}, {who}{app_val}, "
        f"{_json_row(table, 'OLD', cols)}, {new_json} WHERE {live}; "
        f'INSERT INTO {t} ("fid", {", ".join(names)}) VALUES (OLD."fid", {", ".join(exprs)}); '
        f"{children}END"
    )


def _of_kind(table: Table, kind: str) -> str:
    """`` AND <kind> = '<table>'`` for attached rows (their table-name column), else ''."""
    return f" AND {ident(kind)} = {literal(table.name)}" if kind else ""


def _json_with(table: Table, alias: str, columns: List[Column], values: Dict[str, str]) -> str:
    """json_object(...) like :func:`_json_row`, with SQL expressions for some columns."""
    args = []
    for col in columns:
        args.append(f"{literal(col.name)}, {values.get(col.name, alias + '.' + ident(col.name))}")
    if table.geometry:
        args.append(f"{literal(GEOMETRY_COLUMN)}, hex({alias}.{ident(GEOMETRY_COLUMN)})")
    return "json_object(" + ", ".join(args) + ")"


def triggers_sql(table: Table, version: int = SCHEMA_VERSION) -> List[str]:
    """Versioning triggers (id, revision, audit, change_log, no hard delete), change_log guards,
    as of schema ``version`` (it decides which change_log columns they fill and, since
    version 4, adds the guards against REPLACE, audit edits and cross-area children)."""
    return list(_triggers_sql(table, version))


@cache
def _triggers_sql(table: Table, version: int) -> List[str]:
    """triggers_sql, made once per table and version."""
    if table.name == "change_log":
        return _change_log_triggers(version)
    t = ident(table.name)
    if not table.versioned:
        if not table.has_id:
            return []
        return [f"CREATE TRIGGER {ident('ri_' + table.name + '_id')} AFTER INSERT ON {t} "  # nosec B608 # names via sqlnames.ident
                f"WHEN NEW.id IS NULL BEGIN UPDATE {t} SET id = {UUID4_SQL} "
                "WHERE fid = NEW.fid; END"] + guards_2.gpkg_triggers(table, version)
    name = literal(table.name)
    cols = list(table.columns)
    data = data_columns(table)
    claimed = "app_user" in tables_at(version)["change_log"].column_names
    app_col, app_val = (", app_user", f", {CLAIMED_USER}") if claimed else ("", "")
    log_cols = ("INSERT INTO change_log (table_name, row_id, revision, operation, changed_at, "
                f"changed_by{app_col}, old_values, new_values) ")
    who = app_user_sql(version)
    # since version 6 a row put back by the delete trigger (it has history) is no new row
    reinsert = f"WHEN NOT {_logged(table, 'NEW')} " if version >= TOMBSTONE_SINCE else ""
    insert = (
        f"CREATE TRIGGER {ident('ri_' + table.name + '_insert')} AFTER INSERT ON {t} "  # nosec B608 # names via sqlnames.ident/literal
        f"{reinsert}BEGIN "
        f"UPDATE {t} SET id = coalesce(NEW.id, {UUID4_SQL}), revision = 1, "
        f"created_at = {NOW}, updated_at = {NOW}, "
        f"created_by = coalesce(NEW.created_by, {who}), "
        f"updated_by = coalesce(NEW.created_by, {who}) WHERE fid = NEW.fid; "
        f"{log_cols}SELECT {name}, r.id, r.revision, 'INSERT', r.created_at, r.created_by"
        f"{app_val}, NULL, {_json_row(table, 'r', cols)} FROM {t} AS r "
        "WHERE r.fid = NEW.fid; END"
    )
    operation = ("CASE WHEN OLD.deleted_at IS NULL AND r.deleted_at IS NOT NULL THEN 'DELETE' "
                 "WHEN OLD.deleted_at IS NOT NULL AND r.deleted_at IS NULL THEN 'RESTORE' "
                 "ELSE 'UPDATE' END")
    delete = (
        f"CREATE TRIGGER {ident('ri_' + table.name + '_delete')} BEFORE DELETE ON {t} BEGIN "
        f"SELECT RAISE(ABORT, {literal(NO_DELETE_MESSAGE)}); END"
    )
    if version < GUARDS_SINCE:
        update = (
            f"CREATE TRIGGER {ident('ri_' + table.name + '_update')} AFTER UPDATE ON {t} "  # nosec B608 # names via sqlnames.ident/literal
            "WHEN NEW.revision IS OLD.revision AND OLD.created_at IS NOT NULL AND "
            f"{_json_row(table, 'OLD', data)} IS NOT {_json_row(table, 'NEW', data)} BEGIN "
            f"UPDATE {t} SET revision = OLD.revision + 1, updated_at = {NOW}, "
            f"updated_by = {APP_USER} WHERE fid = NEW.fid; "
            f"{log_cols}SELECT {name}, r.id, r.revision, {operation}, r.updated_at, r.updated_by"
            f"{app_val}, {_json_row(table, 'OLD', cols)}, {_json_row(table, 'r', cols)} "
            f"FROM {t} AS r WHERE r.fid = NEW.fid; END"
        )
        return [insert, update, delete]
    # Since version 4: every data change of a row that has its INSERT entry is logged
    # (whatever else the statement sets), the entry first: the guard lets the revision
    # step to an entry that exists, and nothing else.
    audit = {"revision": 'OLD."revision" + 1', "updated_at": NOW, "updated_by": who}
    operation = operation.replace("r.deleted_at", "NEW.deleted_at")
    update = (
        f"CREATE TRIGGER {ident('ri_' + table.name + '_update')} AFTER UPDATE ON {t} "  # nosec B608 # names via sqlnames.ident/literal
        f"WHEN {_logged(table, 'OLD')} AND "
        f"{_json_row(table, 'OLD', data)} IS NOT {_json_row(table, 'NEW', data)} BEGIN "
        f"{log_cols}VALUES ({name}, NEW.id, OLD.revision + 1, {operation}, {NOW}, {who}"
        f"{app_val}, {_json_row(table, 'OLD', cols)}, {_json_with(table, 'NEW', cols, audit)}); "
        f"UPDATE {t} SET revision = OLD.revision + 1, updated_at = {NOW}, "
        f"updated_by = {who} WHERE fid = NEW.fid; END"
    )
    if version >= TOMBSTONE_SINCE:
        delete = _delete_as_tombstone(table, version, log_cols, app_val)
    return ([insert, update, delete] + _guard_triggers(table, version)
            + _cascade_trigger(table, version) + _tombstone_cascade_trigger(table, version)
            + gpkg_triggers(table, version) + guards_2.gpkg_triggers(table, version))


def create_schema_sql(version: int, srs_id: int) -> List[str]:
    """Every statement that builds the RoadInfra tables at ``version`` in a fresh GeoPackage."""
    tables: Dict[str, Table] = tables_at(version)
    stmts: List[str] = [EXTENSIONS_TABLE]
    # db_meta and change_log first: the versioning triggers of other tables refer to them.
    order = ["db_meta", "change_log"] + [n for n in tables if n not in ("db_meta", "change_log")]
    for tname in order:
        stmts += create_table_sql(tables[tname], srs_id, version)
    return stmts


def gpkg_changes(after: int, upto: int, srs_id: int) -> List[int]:
    """The schema versions in ``after + 1 .. upto`` that changed a GeoPackage (its tables,
    columns, triggers or code lists); the others changed only PostGIS, so a GeoPackage of
    ``after`` is one of ``upto`` but for its ``schema_version``."""
    out = []
    for version in range(after + 1, upto + 1):
        if create_schema_sql(version, srs_id) != create_schema_sql(version - 1, srs_id) \
                or any(cl.since == version for cl in CODELISTS.values()):
            out.append(version)
    return out


def upgrade_step_sql(version: int, srs_id: int) -> List[str]:
    """Statements that take a GeoPackage from ``version - 1`` to ``version``.

    The same logical steps as the PostGIS migration of that number: new tables, new
    columns, and the triggers regenerated for every table whose triggers changed (its own
    columns, or the change_log columns they fill).
    """
    before, after = tables_at(version - 1), tables_at(version)
    stmts: List[str] = [EXTENSIONS_TABLE]
    # db_meta and change_log first: the other tables' triggers write to them
    order = ["db_meta", "change_log"] + [n for n in after if n not in ("db_meta", "change_log")]
    for tname in order:
        table = after[tname]
        if tname not in before:
            stmts += create_table_sql(table, srs_id, version)
            continue
        added = [c for c in table.columns if c.name not in before[tname].column_names]
        old_triggers = triggers_sql(before[tname], version - 1)
        new_triggers = triggers_sql(table, version)
        if not added and old_triggers == new_triggers:
            continue
        stmts += drop_triggers_sql(before[tname], version - 1)
        for col in added:
            if col.unique or not col.nullable:
                raise ValueError(f"{tname}.{col.name}: a new column must be nullable, not unique")
            stmts.append(f"ALTER TABLE {ident(tname)} ADD COLUMN "
                         f"{_column_sql(table, col, for_alter=True)}")
        stmts += new_triggers
    return stmts
