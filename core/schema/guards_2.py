# ruff: noqa: S608 - DDL generator: every name/constant passes through sqlnames.ident/literal
"""Schema version "guards 2": what the version-4 guards missed, on both back-ends.

* Every area link of a row is checked, not only its owner (``Column.parent``): a column
  marked ``Column.same_area`` (element_condition.element_id) must reference a row of the
  row's district; links listed in ``Table.agree`` must agree with each other (an element
  condition's element is of its inspection's bridge), also when the element or the
  inspection is moved to another bridge. Insert and update, any writer.
* GeoPackage history: ``created_at``/``created_by`` of a row that has history never change,
  and the revision steps by one only together with the change_log entry the versioning
  trigger wrote for exactly the resulting row (its new_values, changed_at, changed_by): a
  change_log entry inserted by hand no longer lets a statement set the revision or the audit
  columns (see docs/data-model.md, "What the GeoPackage history can and cannot prove").
* Bulk tables (weighing_record) are append-only: UPDATE, DELETE and a REPLACE of a row are
  refused (GeoPackage: the id trigger's own fill-in of a missing id excepted); an insert
  costs two index look-ups more, only when it brings its own fid or id.

``ddl_gpkg`` and ``ddl_postgis`` call in for :data:`.tables.GUARDS_2` and later.
"""

from __future__ import annotations

from typing import List, Tuple

from .model import Table
from .sqlnames import ident, literal
from .tables import GEOMETRY_COLUMN, GUARDS_2, tables_at

AGREE_MESSAGE = ("% row: % references a % of another % than its % (%): linked rows must "
                 "agree")
AGREED_MESSAGE = ("% row: % cannot change: a % links it (%) and a % (%) that must have the "
                  "same %")
BULK_MESSAGE = ("{table} is append-only: a record is never changed or deleted (record a "
                "correction as a new record)")
STEP_MESSAGE = ("RoadInfra keeps the history: created_at/by never change, and the revision "
                "steps only with the change_log entry the versioning trigger wrote for this "
                "very change (a change_log entry written by hand does not count)")


def area_links(table: Table) -> List[Tuple[str, str]]:
    """(column, referenced table) of links that are not the owner but must be in the row's
    district (``Column.same_area``)."""
    return [(c.name, c.references) for c in table.columns if c.same_area]


def agreements(table: Table) -> List[Tuple[str, str, str, str, str]]:
    """(column a, table a, column b, table b, shared column) of ``Table.agree``."""
    return [(a, table.column(a).references, b, table.column(b).references, shared)
            for a, b, shared in table.agree]


def agreed_by(table: Table, version: int) -> List[Tuple[str, str, str, str, str]]:
    """(child table, child column to ``table``, child's other column, other table, shared
    column) of every agreement (``Table.agree``) ``table`` takes part in: changing its
    shared column must not break a child's agreement."""
    out = []
    for child in tables_at(version).values():
        for a, ta, b, tb, shared in agreements(child):
            if ta == table.name:
                out.append((child.name, a, b, tb, shared))
            if tb == table.name:
                out.append((child.name, b, a, ta, shared))
    return out


def _link_columns(table: Table) -> List[str]:
    names = ["district_code"] + [c for c, _ in area_links(table)]
    for a, b, _ in table.agree:
        names += [a, b]
    return list(dict.fromkeys(names))


# ------------------------------------------------------------------ GeoPackage
def gpkg_trigger_names(table: Table, version: int) -> List[str]:
    """Every trigger name :func:`gpkg_triggers` makes for ``table``."""
    if version < GUARDS_2:
        return []
    names = []
    if table.versioned:
        names.append(f"ri_{table.name}_history_step")
        if area_links(table) or table.agree:
            names += [f"ri_{table.name}_links_insert", f"ri_{table.name}_links_update"]
        names += [f"ri_{table.name}_agreed_by_{child}_{column}"
                  for child, column, _, _, _ in agreed_by(table, version)]
    if table.kind == "bulk":
        names += [f"ri_{table.name}_no_replace", f"ri_{table.name}_no_update",
                  f"ri_{table.name}_no_delete"]
    return names


def _raise(message: str, condition: str) -> str:
    return f"SELECT RAISE(ABORT, {literal(message)}) WHERE {condition}; "


def _gpkg_link_checks(table: Table) -> str:
    out = ""
    for column, other in area_links(table):
        message = (f"{table.name}.district_code must be the district of its {other} "
                   f"({column}): a row and every row it links to are in one area")
        out += _raise(message, f"EXISTS (SELECT 1 FROM {ident(other)} AS p "  # nosec B608 # names via sqlnames.ident
                               f'WHERE p."id" = NEW.{ident(column)} '
                               'AND p."district_code" IS NOT NEW."district_code")')
    for a, ta, b, tb, shared in agreements(table):
        message = (f"{table.name}.{a} must reference a {ta} of the same {shared} as its "
                   f"{tb} ({b}): linked rows must agree")
        out += _raise(message, f"EXISTS (SELECT 1 FROM {ident(ta)} AS x, {ident(tb)} AS y "  # nosec B608 # names via sqlnames.ident
                               f'WHERE x."id" = NEW.{ident(a)} AND y."id" = NEW.{ident(b)} '
                               f"AND x.{ident(shared)} IS NOT y.{ident(shared)})")
    return out


def _json_row(table: Table, alias: str) -> str:
    """The row as the versioning trigger writes it into change_log.new_values."""
    args = [f"{literal(c.name)}, {alias}.{ident(c.name)}" for c in table.columns]
    if table.geometry:
        args.append(f"{literal(GEOMETRY_COLUMN)}, hex({alias}.{ident(GEOMETRY_COLUMN)})")
    return "json_object(" + ", ".join(args) + ")"


def _history_step_trigger(table: Table) -> str:
    t, name = ident(table.name), literal(table.name)
    has_history = (f'EXISTS (SELECT 1 FROM "change_log" WHERE "table_name" = {name} '  # nosec B608 # names via sqlnames.literal
                   'AND "row_id" = OLD."id")')
    written = (f'EXISTS (SELECT 1 FROM "change_log" WHERE "table_name" = {name} '  # nosec B608 # names via sqlnames.literal
               'AND "row_id" = OLD."id" AND "revision" = NEW."revision" '
               f'AND "new_values" = {_json_row(table, "NEW")} '
               'AND "changed_at" IS NEW."updated_at" AND "changed_by" IS NEW."updated_by")')
    body = _raise(STEP_MESSAGE, 'NEW."created_at" IS NOT OLD."created_at" OR '
                                'NEW."created_by" IS NOT OLD."created_by"')
    body += _raise(STEP_MESSAGE, f'NEW."revision" = OLD."revision" + 1 AND NOT {written}')
    return (f"CREATE TRIGGER {ident(f'ri_{table.name}_history_step')} BEFORE UPDATE ON {t} "
            f"WHEN {has_history} BEGIN {body}END")


def gpkg_triggers(table: Table, version: int) -> List[str]:
    """BEFORE triggers (SQLite RAISE) of version GUARDS_2 for ``table``."""
    if version < GUARDS_2:
        return []
    t = ident(table.name)
    out = []
    if table.versioned:
        out.append(_history_step_trigger(table))
        if area_links(table) or table.agree:
            checks = _gpkg_link_checks(table)
            changed = " OR ".join(f"NEW.{ident(c)} IS NOT OLD.{ident(c)}"
                                  for c in _link_columns(table))
            out += [f"CREATE TRIGGER {ident(f'ri_{table.name}_links_insert')} BEFORE INSERT "
                    f"ON {t} BEGIN {checks}END",
                    f"CREATE TRIGGER {ident(f'ri_{table.name}_links_update')} BEFORE UPDATE "
                    f"ON {t} WHEN {changed} BEGIN {checks}END"]
        for child, column, other_column, other, shared in agreed_by(table, version):
            message = (f"{table.name}.{shared} cannot change: a {child} links this "
                       f"{table.name} ({column}) and a {other} ({other_column}) that must "
                       f"have the same {shared}")
            out.append(
                f"CREATE TRIGGER {ident(f'ri_{table.name}_agreed_by_{child}_{column}')} "
                f"BEFORE UPDATE OF {ident(shared)} ON {t} WHEN NEW.{ident(shared)} IS NOT "
                f"OLD.{ident(shared)} BEGIN "
                + _raise(message, f"EXISTS (SELECT 1 FROM {ident(child)} AS c, {ident(other)} "  # nosec B608 # names via sqlnames.ident
                                  f"AS y WHERE c.{ident(column)} = NEW.\"id\" AND "
                                  f"y.\"id\" = c.{ident(other_column)} AND "
                                  f"y.{ident(shared)} IS NOT NEW.{ident(shared)})")
                + "END")
    if table.kind == "bulk":
        message = literal(BULK_MESSAGE.format(table=table.name))
        others = [c.name for c in table.columns if c.name != "id"] + ["fid"]
        if table.geometry:
            others.append(GEOMETRY_COLUMN)
        same = " AND ".join(f"NEW.{ident(c)} IS OLD.{ident(c)}" for c in others)
        # INSERT OR REPLACE deletes the row it collides with, firing no delete trigger
        # (unless recursive triggers are on): a collision is refused first (two index
        # look-ups, only for a row that brings its own fid or id)
        out += [f"CREATE TRIGGER {ident(f'ri_{table.name}_no_replace')} BEFORE INSERT ON {t} "  # nosec B608 # names via sqlnames.ident
                f'WHEN NEW."fid" IS NOT NULL OR NEW."id" IS NOT NULL BEGIN '
                f"SELECT RAISE(ABORT, {message}) WHERE EXISTS (SELECT 1 FROM {t} "
                f'WHERE "fid" = NEW."fid") OR EXISTS (SELECT 1 FROM {t} '
                'WHERE "id" = NEW."id"); END',
                f"CREATE TRIGGER {ident(f'ri_{table.name}_no_update')} BEFORE UPDATE ON {t} "
                f'WHEN NOT (OLD."id" IS NULL AND {same}) '
                f"BEGIN SELECT RAISE(ABORT, {message}); END",
                f"CREATE TRIGGER {ident(f'ri_{table.name}_no_delete')} BEFORE DELETE ON {t} "
                f"BEGIN SELECT RAISE(ABORT, {message}); END"]
    return out


# ------------------------------------------------------------------ PostGIS
def postgis_functions(version: int) -> List[str]:
    """Functions of migration GUARDS_2 (later migrations add nothing here)."""
    if version != GUARDS_2:
        return []
    return [
        # arguments: 5-tuples (column a, table a, column b, table b, shared column) from the
        # schema definition; tables named with their schema (never a user's TEMP table)
        "CREATE OR REPLACE FUNCTION roadinfra_check_agree() RETURNS trigger "  # nosec B608 # fixed text, messages via sqlnames.literal
        "LANGUAGE plpgsql AS $$ DECLARE i integer := 0; a uuid; b uuid; va text; vb text; "
        "BEGIN WHILE i < TG_NARGS LOOP "
        "a := (to_jsonb(NEW) ->> TG_ARGV[i])::uuid; "
        "b := (to_jsonb(NEW) ->> TG_ARGV[i + 2])::uuid; "
        "IF a IS NOT NULL AND b IS NOT NULL THEN "
        "EXECUTE format('SELECT %I::text FROM public.%I WHERE id = $1', TG_ARGV[i + 4], "
        "TG_ARGV[i + 1]) INTO va USING a; "
        "EXECUTE format('SELECT %I::text FROM public.%I WHERE id = $1', TG_ARGV[i + 4], "
        "TG_ARGV[i + 3]) INTO vb USING b; "
        "IF va IS DISTINCT FROM vb THEN "
        f"RAISE EXCEPTION {literal(AGREE_MESSAGE)}, TG_TABLE_NAME, TG_ARGV[i], "
        "TG_ARGV[i + 1], TG_ARGV[i + 4], TG_ARGV[i + 3], TG_ARGV[i + 2] "
        "USING ERRCODE = 'integrity_constraint_violation', COLUMN = TG_ARGV[i]; "
        "END IF; END IF; i := i + 5; END LOOP; RETURN NEW; END $$",
        # arguments: (child table, child column to this table, child's other column, other
        # table, shared column): this row's shared column must stay its children's other's
        "CREATE OR REPLACE FUNCTION roadinfra_check_agreed_by() RETURNS trigger "  # nosec B608 # fixed text, messages via sqlnames.literal
        "LANGUAGE plpgsql AS $$ DECLARE i integer := 0; hit boolean; BEGIN "
        "WHILE i < TG_NARGS LOOP hit := false; "
        "EXECUTE format('SELECT true FROM public.%I AS c JOIN public.%I AS y ON y.id = c.%I "
        "WHERE c.%I = $1 AND y.%I::text IS DISTINCT FROM $2 LIMIT 1', TG_ARGV[i], "
        "TG_ARGV[i + 3], TG_ARGV[i + 2], TG_ARGV[i + 1], TG_ARGV[i + 4]) INTO hit "
        "USING NEW.id, to_jsonb(NEW) ->> TG_ARGV[i + 4]; "
        "IF hit THEN "
        f"RAISE EXCEPTION {literal(AGREED_MESSAGE)}, TG_TABLE_NAME, TG_ARGV[i + 4], "
        "TG_ARGV[i], TG_ARGV[i + 1], TG_ARGV[i + 3], TG_ARGV[i + 2], TG_ARGV[i + 4] "
        "USING ERRCODE = 'integrity_constraint_violation', COLUMN = TG_ARGV[i + 4]; "
        "END IF; i := i + 5; END LOOP; RETURN NEW; END $$",
        "CREATE OR REPLACE FUNCTION roadinfra_bulk_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
        f"{literal(BULK_MESSAGE.format(table='%'))}, TG_TABLE_NAME "
        "USING ERRCODE = 'integrity_constraint_violation'; END $$",
    ]


def postgis_table_statements(table: Table, version: int) -> List[str]:
    """Triggers of version GUARDS_2 on one table (its links, the agreements it takes part
    in, append-only bulk rows), as of schema ``version``."""
    name = ident(table.name)
    stmts = []
    links = area_links(table)
    if table.versioned and links:
        args = ", ".join(literal(x) for pair in links for x in pair)
        # the version-4 function, with the links that are not the owner (ri_a_link_area
        # fires before ri_a_link_match: triggers fire in name order)
        stmts.append(f"CREATE TRIGGER ri_a_link_area BEFORE INSERT OR UPDATE ON {name} "
                     f"FOR EACH ROW EXECUTE FUNCTION roadinfra_check_parent_area({args})")
    if table.versioned and table.agree:
        args = ", ".join(literal(x) for five in agreements(table) for x in five)
        stmts.append(f"CREATE TRIGGER ri_a_link_match BEFORE INSERT OR UPDATE ON {name} "
                     f"FOR EACH ROW EXECUTE FUNCTION roadinfra_check_agree({args})")
    for child, column, other_column, other, shared in agreed_by(table, version):
        args = ", ".join(literal(x) for x in (child, column, other_column, other, shared))
        stmts.append(f"CREATE TRIGGER {ident(f'ri_a_shared_with_{child}_{column}')} BEFORE "
                     f"UPDATE OF {ident(shared)} ON {name} FOR EACH ROW WHEN "
                     f"(NEW.{ident(shared)} IS DISTINCT FROM OLD.{ident(shared)}) "
                     f"EXECUTE FUNCTION roadinfra_check_agreed_by({args})")
    if table.kind == "bulk":
        stmts += [f"CREATE TRIGGER ri_append_only BEFORE UPDATE OR DELETE ON {name} "
                  "FOR EACH ROW EXECUTE FUNCTION roadinfra_bulk_append_only()",
                  f"CREATE TRIGGER ri_append_only_truncate BEFORE TRUNCATE ON {name} "
                  "FOR EACH STATEMENT EXECUTE FUNCTION roadinfra_bulk_append_only()"]
    return stmts
