# ruff: noqa: S608 - DDL generator: every name/constant passes through sqlnames.ident/literal
"""PostGIS migrations generated from the schema definition.

``migration_sql(1)`` builds everything (grid CRS, roles, functions, tables, constraints,
GiST indexes, versioning triggers, grants, row-level security); ``migration_sql(n)`` for
n > 1 adds what ``since=n`` marks in the definition. The generated files are committed under
``migrations/postgis/`` and never edited once released (``RELEASED.txt``).

Security model: group roles ``roadinfra_admin`` > ``roadinfra_editor`` > ``roadinfra_viewer``
(NOLOGIN; grant them to login roles). ``user_district(username, district_code)`` says which
districts a login may edit ('*' = the whole province). Tables with ``district_code`` have
row-level security: everyone reads; INSERT/UPDATE only for rows of one's districts (a
trigger refuses changing a row of another district with a clear message). Nobody deletes
rows (tombstones); ``change_log`` is written only by the SECURITY DEFINER versioning
trigger and refuses UPDATE/DELETE/TRUNCATE for everybody.

Author of a change (since version 3): the database login (``session_user``) in
``change_log.changed_by`` and the rows' created_by/updated_by; the application's user name
(setting ``roadinfra.user``) only in ``change_log.app_user``, informational. Functions are
defined per migration (``_functions_sql(version)``): a released migration's text never
changes, a later one replaces a function with CREATE OR REPLACE.
"""

from __future__ import annotations

from typing import List

from . import guards_2
from .constraints import (
    AUDIT_NAMES,
    attach_targets,
    child_links,
    column_check_sql,
    parent_links,
    reference_sql,
    table_indexes,
)
from .model import Column, Table
from .plan_guards import PLAN_STEPS
from .plan_guards import postgis_statements as plan_guard_statements
from .sqlnames import ident, literal
from .srs import SrsEntry
from .tables import (
    ANCESTOR_LOCK,
    CODELISTS,
    GEOMETRY_COLUMN,
    GUARDS_2,
    LIVE_PARENT,
    PARENT_LOCK,
    PLAN_APPROVAL,
    SYNC_CONFLICT_AREAS,
    SYNC_GUARDS,
    SYNC_RECORDS,
    SYNC_REGISTRATION,
    SYNC_TAKE_MINE,
    SYNC_TRAIL,
    VERSION_NAMES,
    tables_at,
)
from .tables import TOMBSTONE as TOMBSTONE_SINCE

SQL_TYPES = {
    "uuid": "uuid", "text": "text", "integer": "integer", "real": "double precision",
    "boolean": "boolean", "date": "date", "datetime": "timestamptz", "json": "jsonb",
}
GEOMETRY_TYPES = {"POINT": "Point", "LINESTRING": "LineString",
                  "MULTILINESTRING": "MultiLineString", "MULTIPOLYGON": "MultiPolygon"}
ROLES = ("roadinfra_viewer", "roadinfra_editor", "roadinfra_admin")
NO_DELETE_MESSAGE = ("RoadInfra keeps every row: set deleted_at (tombstone) instead of "
                     "deleting it")
# Tables editors write besides asset/record/bulk tables; admins also write these.
EDITOR_SYSTEM_TABLES = ("sync_replica", "sync_changeset", "sync_conflict")
ADMIN_SYSTEM_TABLES = ("user_district",)
CHANGED_BY_COMMENT = ("Author of the change: the database login (session_user), set by the "
                      "versioning trigger; the application cannot influence it")
APP_USER_COMMENT = ("Informational: the user name the application claimed (setting "
                    "roadinfra.user), not authenticated; the author is changed_by")


def migration_filename(version: int) -> str:
    return f"{version:04d}_{VERSION_NAMES[version]}.sql"


def _column_sql(table: Table, col: Column, srid: int) -> str:
    if col.name == "id" and col.type == "integer":
        return '"id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY'
    parts = [ident(col.name), SQL_TYPES[col.type]]
    if col.name == "id" and col.type == "uuid":
        parts.append("PRIMARY KEY DEFAULT gen_random_uuid()")
    elif not col.nullable:
        parts.append("NOT NULL")
    if col.default is not None:
        parts.append(f"DEFAULT {col.default}")
    if col.unique and not table.versioned:
        parts.append("PRIMARY KEY" if not table.has_id and not table.unique_together
                     else "UNIQUE")
    parts += [column_check_sql(table, col), reference_sql(table, col)]
    return " ".join(p for p in parts if p)


def district_scoped(table: Table) -> bool:
    """Rows carry a district and fall under row-level security (not system tables)."""
    return table.has_district and table.kind != "system"


def _functions_v1() -> List[str]:
    """Functions of migration 0001 (released: its text must never change)."""
    audit = ", ".join(literal(n) for n in ("revision", "created_at", "created_by",
                                             "updated_at", "updated_by"))
    return [
        # who made a change: the application user of this transaction, else the login
        "CREATE OR REPLACE FUNCTION roadinfra_user() RETURNS text LANGUAGE sql STABLE AS $$ "
        "SELECT coalesce(nullif(current_setting('roadinfra.user', true), ''), "
        "session_user::text) $$",
        # may the current role write rows of this district?
        "CREATE OR REPLACE FUNCTION roadinfra_can_edit(district text) RETURNS boolean "
        "LANGUAGE sql STABLE AS $$ "
        "SELECT pg_has_role(current_user, (SELECT pg_get_userbyid(datdba) FROM pg_database "
        "WHERE datname = current_database()), 'MEMBER') "
        "OR pg_has_role(current_user, 'roadinfra_admin', 'MEMBER') "
        "OR EXISTS (SELECT 1 FROM public.user_district u WHERE u.username = current_user "
        "AND (u.district_code = '*' OR u.district_code = district)) $$",
        "CREATE OR REPLACE FUNCTION roadinfra_check_district() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'UPDATE' AND NOT roadinfra_can_edit(OLD.district_code) THEN "
        "RAISE EXCEPTION 'user % may not edit % rows of district %', current_user, "
        "TG_TABLE_NAME, coalesce(OLD.district_code, '(province)') "
        "USING ERRCODE = 'insufficient_privilege'; END IF; "
        "IF NOT roadinfra_can_edit(NEW.district_code) THEN "
        "RAISE EXCEPTION 'user % may not write % rows of district %', current_user, "
        "TG_TABLE_NAME, coalesce(NEW.district_code, '(province)') "
        "USING ERRCODE = 'insufficient_privilege'; END IF; "
        "RETURN NEW; END $$",
        "CREATE OR REPLACE FUNCTION roadinfra_versioning() RETURNS trigger LANGUAGE plpgsql "  # nosec B608 # names via sqlnames.literal
        "SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
        "DECLARE who text := roadinfra_user(); op text; BEGIN "
        "IF TG_OP = 'INSERT' THEN "
        "NEW.id := coalesce(NEW.id, gen_random_uuid()); NEW.revision := 1; "
        "NEW.created_at := clock_timestamp(); NEW.updated_at := NEW.created_at; "
        "NEW.created_by := who; NEW.updated_by := who; "
        "INSERT INTO change_log (table_name, row_id, revision, operation, changed_at, "
        "changed_by, old_values, new_values) VALUES (TG_TABLE_NAME, NEW.id, 1, 'INSERT', "
        "NEW.created_at, who, NULL, to_jsonb(NEW)); RETURN NEW; END IF; "
        f"IF (to_jsonb(OLD) - ARRAY[{audit}]) = (to_jsonb(NEW) - ARRAY[{audit}]) THEN "
        "RETURN OLD; END IF; "
        "NEW.id := OLD.id; NEW.revision := OLD.revision + 1; "
        "NEW.created_at := OLD.created_at; NEW.created_by := OLD.created_by; "
        "NEW.updated_at := clock_timestamp(); NEW.updated_by := who; "
        "op := CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'DELETE' "
        "WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'RESTORE' "
        "ELSE 'UPDATE' END; "
        "INSERT INTO change_log (table_name, row_id, revision, operation, changed_at, "
        "changed_by, old_values, new_values) VALUES (TG_TABLE_NAME, NEW.id, NEW.revision, op, "
        "NEW.updated_at, who, to_jsonb(OLD), to_jsonb(NEW)); RETURN NEW; END $$",
        "CREATE OR REPLACE FUNCTION roadinfra_no_delete() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN RAISE EXCEPTION {literal(NO_DELETE_MESSAGE + ' (table %)')}, "
        "TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation'; END $$",
        "CREATE OR REPLACE FUNCTION roadinfra_append_only() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RAISE EXCEPTION 'change_log is append-only: history cannot be edited "
        "or deleted' USING ERRCODE = 'integrity_constraint_violation'; END $$",
    ]


def _versioning_v3() -> str:
    """The versioning trigger since version 3: the login (``session_user``) is the author.

    ``session_user`` is the authenticated login: ``SET ROLE`` and SECURITY DEFINER do not
    change it and only a superuser can (``SET SESSION AUTHORIZATION``). Client-supplied
    created_by/updated_by are overwritten; the ``roadinfra.user`` setting only fills
    ``change_log.app_user`` (informational).
    """
    audit = ", ".join(literal(n) for n in AUDIT_NAMES)
    log = ("INSERT INTO change_log (table_name, row_id, revision, operation, changed_at, "
           "changed_by, app_user, old_values, new_values) VALUES ")
    return (
        "CREATE OR REPLACE FUNCTION roadinfra_versioning() RETURNS trigger LANGUAGE plpgsql "
        "SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
        "DECLARE who text := session_user::text; app text := roadinfra_app_user(); "
        "op text; BEGIN "
        "IF TG_OP = 'INSERT' THEN "
        "NEW.id := coalesce(NEW.id, gen_random_uuid()); NEW.revision := 1; "
        "NEW.created_at := clock_timestamp(); NEW.updated_at := NEW.created_at; "
        "NEW.created_by := who; NEW.updated_by := who; "
        f"{log}(TG_TABLE_NAME, NEW.id, 1, 'INSERT', NEW.created_at, who, app, NULL, "
        "to_jsonb(NEW)); RETURN NEW; END IF; "
        f"IF (to_jsonb(OLD) - ARRAY[{audit}]) = (to_jsonb(NEW) - ARRAY[{audit}]) THEN "
        "RETURN OLD; END IF; "
        "NEW.id := OLD.id; NEW.revision := OLD.revision + 1; "
        "NEW.created_at := OLD.created_at; NEW.created_by := OLD.created_by; "
        "NEW.updated_at := clock_timestamp(); NEW.updated_by := who; "
        "op := CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'DELETE' "
        "WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'RESTORE' "
        "ELSE 'UPDATE' END; "
        f"{log}(TG_TABLE_NAME, NEW.id, NEW.revision, op, NEW.updated_at, who, app, "
        "to_jsonb(OLD), to_jsonb(NEW)); RETURN NEW; END $$"
    )


def _functions_v3() -> List[str]:
    """Migration 0003: the author of a change is the login, never a session setting."""
    return [
        # the name the application claims for this transaction (informational, forgeable)
        "CREATE OR REPLACE FUNCTION roadinfra_app_user() RETURNS text LANGUAGE sql STABLE "
        "AS $$ SELECT nullif(current_setting('roadinfra.user', true), '') $$",
        _versioning_v3(),
        # it let a session setting decide who the author was; nothing uses it any more
        "DROP FUNCTION IF EXISTS roadinfra_user()",
        f"COMMENT ON COLUMN change_log.changed_by IS {literal(CHANGED_BY_COMMENT)}",
        f"COMMENT ON COLUMN change_log.app_user IS {literal(APP_USER_COMMENT)}",
    ]


STALE_MESSAGE = ("this % row was changed by someone else since it was read (it is at "
                 "revision %, the edit is based on revision %): read it again and redo the change")
AREA_MESSAGE = ("% row: district_code % is not the district % of its % (%): a row belongs to "
                "the area of its parent")
GUARDS_SINCE = 4  # schema version of the revision and area triggers


def _functions_v4() -> List[str]:
    """Migration 0004: the revision an edit is based on, and a child row's area."""
    return [
        # a writer that sends the revision it read is refused when the row moved on (the
        # versioning trigger then sets revision + 1); one that does not send it is unchanged
        "CREATE OR REPLACE FUNCTION roadinfra_check_revision() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.revision IS DISTINCT FROM OLD.revision THEN "
        f"RAISE EXCEPTION {literal(STALE_MESSAGE)}, TG_TABLE_NAME, OLD.revision, NEW.revision "
        "USING ERRCODE = 'serialization_failure', COLUMN = 'revision'; END IF; "
        "RETURN NEW; END $$",
        # arguments: pairs (column, parent table) from the schema definition; tables named
        # with their schema (an unqualified name would find a user's TEMP table first)
        "CREATE OR REPLACE FUNCTION roadinfra_check_parent_area() RETURNS trigger "  # nosec B608 # fixed text, messages via sqlnames.literal
        "LANGUAGE plpgsql AS $$ DECLARE i integer := 0; parent uuid; has_parent boolean; "
        "area text; BEGIN "
        "WHILE i < TG_NARGS LOOP "
        "parent := (to_jsonb(NEW) ->> TG_ARGV[i])::uuid; "
        "IF parent IS NOT NULL THEN "
        "EXECUTE format('SELECT true, district_code FROM public.%I WHERE id = $1', "
        "TG_ARGV[i + 1]) "
        "INTO has_parent, area USING parent; "
        "IF has_parent AND area IS DISTINCT FROM NEW.district_code THEN "
        f"RAISE EXCEPTION {literal(AREA_MESSAGE)}, TG_TABLE_NAME, "
        "coalesce(NEW.district_code, '(province)'), coalesce(area, '(province)'), "
        "TG_ARGV[i + 1], TG_ARGV[i] "
        "USING ERRCODE = 'integrity_constraint_violation', COLUMN = 'district_code'; "
        "END IF; END IF; i := i + 2; END LOOP; RETURN NEW; END $$",
        # arguments: the table-name column, the id column, then the tables a row may be
        # attached to (from the schema definition: only those names are looked up)
        "CREATE OR REPLACE FUNCTION roadinfra_check_attached_area() RETURNS trigger "  # nosec B608 # fixed text, messages via sqlnames.literal
        "LANGUAGE plpgsql AS $$ DECLARE target text := to_jsonb(NEW) ->> TG_ARGV[0]; "
        "parent uuid := (to_jsonb(NEW) ->> TG_ARGV[1])::uuid; has_parent boolean; "
        "area text; BEGIN "
        "IF parent IS NOT NULL AND target = ANY (TG_ARGV[2:TG_NARGS - 1]) THEN "
        "EXECUTE format('SELECT true, district_code FROM public.%I WHERE id = $1', target) "
        "INTO has_parent, area USING parent; "
        "IF has_parent AND area IS DISTINCT FROM NEW.district_code THEN "
        f"RAISE EXCEPTION {literal(AREA_MESSAGE)}, TG_TABLE_NAME, "
        "coalesce(NEW.district_code, '(province)'), coalesce(area, '(province)'), "
        "target, TG_ARGV[1] "
        "USING ERRCODE = 'integrity_constraint_violation', COLUMN = 'district_code'; "
        "END IF; END IF; RETURN NEW; END $$",
        # arguments: triples (child table, id column, table-name column or ''); each moved
        # child is versioned and logged
        "CREATE OR REPLACE FUNCTION roadinfra_cascade_area() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ DECLARE i integer := 0; BEGIN "
        "WHILE i < TG_NARGS LOOP "
        "IF TG_ARGV[i + 2] = '' THEN "
        "EXECUTE format('UPDATE public.%I SET district_code = $1 WHERE %I = $2 "
        "AND district_code IS DISTINCT FROM $1', TG_ARGV[i], TG_ARGV[i + 1]) "
        "USING NEW.district_code, NEW.id; "
        "ELSE "
        "EXECUTE format('UPDATE public.%I SET district_code = $1 WHERE %I = $2 AND %I = $3 "
        "AND district_code IS DISTINCT FROM $1', TG_ARGV[i], TG_ARGV[i + 1], TG_ARGV[i + 2]) "
        "USING NEW.district_code, NEW.id, TG_TABLE_NAME; "
        "END IF; i := i + 3; END LOOP; RETURN NULL; END $$",
    ]




def _functions_tombstone() -> List[str]:
    """Migration 0006: a DELETE tombstones the row (in the deleting transaction), and
    children follow their parent's tombstone and its restore."""
    return [
        # BEFORE DELETE: tombstone instead (an UPDATE: versioned, logged as DELETE, checked
        # by the district rules like any edit) and skip the delete itself
        "CREATE OR REPLACE FUNCTION roadinfra_delete_as_tombstone() RETURNS trigger "  # nosec B608 # fixed text
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF OLD.deleted_at IS NULL THEN "
        "EXECUTE format('UPDATE %I.%I SET deleted_at = clock_timestamp() WHERE id = $1 "
        "AND deleted_at IS NULL', TG_TABLE_SCHEMA, TG_TABLE_NAME) USING OLD.id; "
        "END IF; RETURN NULL; END $$",
        _cascade_tombstone_sql(lock=False),
    ]


def _cascade_tombstone_sql(lock: bool) -> str:
    """The tombstone cascade's function: children (triples (child table, id column,
    table-name column or '') from the schema definition) follow their parent's tombstone,
    and those tombstoned at its instant come back with its restore. With ``lock`` (since
    PARENT_LOCK) a tombstone first locks its row FOR UPDATE: a writer adding a child
    meanwhile holds the row FOR KEY SHARE (the foreign key, the live-parent guard), so the
    tombstone waits for it to commit and then tombstones that child too; it locks its
    children FOR UPDATE too before it tombstones them (in id order)."""
    first = ("IF NEW.deleted_at IS NOT NULL THEN "
             "EXECUTE format('SELECT 1 FROM %I.%I WHERE id = $1 FOR UPDATE', "
             "TG_TABLE_SCHEMA, TG_TABLE_NAME) USING NEW.id; END IF; ") if lock else ""
    # the children locked before they are tombstoned: a session that added a grandchild
    # (holding its child FOR KEY SHARE) and then edits the child is waited for, not
    # deadlocked with (an UPDATE would hold the child before the child's own lock waits)
    children = ("EXECUTE format('SELECT 1 FROM public.%I WHERE %I = $1 AND deleted_at IS NULL', "
                "TG_ARGV[i], TG_ARGV[i + 1]) || kind || ' ORDER BY id FOR UPDATE' "
                "USING NEW.id; ") if lock else ""
    return (
        "CREATE OR REPLACE FUNCTION roadinfra_cascade_tombstone() RETURNS trigger "  # nosec B608 # fixed text
        "LANGUAGE plpgsql AS $$ DECLARE i integer := 0; kind text; BEGIN "
        + first
        + "WHILE i < TG_NARGS LOOP "
        "kind := CASE WHEN TG_ARGV[i + 2] = '' THEN '' "
        "ELSE format(' AND %I = %L', TG_ARGV[i + 2], TG_TABLE_NAME) END; "
        "IF NEW.deleted_at IS NOT NULL THEN "
        + children
        + "EXECUTE format('UPDATE public.%I SET deleted_at = $1 WHERE %I = $2 "
        "AND deleted_at IS NULL', TG_ARGV[i], TG_ARGV[i + 1]) || kind "
        "USING NEW.deleted_at, NEW.id; "
        "ELSE "
        "EXECUTE format('UPDATE public.%I SET deleted_at = NULL WHERE %I = $2 "
        "AND deleted_at = $1', TG_ARGV[i], TG_ARGV[i + 1]) || kind "
        "USING OLD.deleted_at, NEW.id; "
        "END IF; i := i + 3; END LOOP; RETURN NULL; END $$")


def _tombstone_sql(table: Table, tables: dict) -> List[str]:
    """Delete-as-tombstone and tombstone-cascade triggers, the DELETE grant (it only ever
    tombstones) and its row-level policy, of one versioned table (since version 6)."""
    if not table.versioned:
        return []
    name = ident(table.name)
    stmts = [f"DROP TRIGGER IF EXISTS ri_c_no_delete ON {name}",
             f"CREATE TRIGGER ri_c_delete_tombstone BEFORE DELETE ON {name} "
             "FOR EACH ROW EXECUTE FUNCTION roadinfra_delete_as_tombstone()"]
    children = child_links(table, tables)
    if children:
        args = ", ".join(literal(x) for triple in children for x in triple)
        stmts.append(f"CREATE TRIGGER ri_e_tombstone_cascade AFTER UPDATE OF deleted_at ON "
                     f"{name} FOR EACH ROW WHEN (NEW.deleted_at IS DISTINCT FROM "
                     f"OLD.deleted_at) EXECUTE FUNCTION roadinfra_cascade_tombstone({args})")
    stmts.append(f"GRANT DELETE ON {name} TO roadinfra_editor")
    if district_scoped(table):
        stmts.append(f"CREATE POLICY ri_delete ON {name} FOR DELETE "
                     "USING (roadinfra_can_edit(district_code))")
    return stmts


def _functions_sql(version: int) -> List[str]:
    """Functions (re)defined by migration ``version`` (released text never changes)."""
    return {1: _functions_v1, 3: _functions_v3, 4: _functions_v4,
            TOMBSTONE_SINCE: _functions_tombstone,
            GUARDS_2: lambda: guards_2.postgis_functions(GUARDS_2)}.get(version, list)()


def _guard_triggers_sql(table: Table, tables: dict) -> List[str]:
    """Revision, area and area-cascade triggers of one table (since version 4)."""
    if not table.versioned:
        return []
    name = ident(table.name)
    stmts = [f"CREATE TRIGGER ri_a_revision BEFORE UPDATE ON {name} "
             "FOR EACH ROW EXECUTE FUNCTION roadinfra_check_revision()"]
    parents = parent_links(table)
    if parents:
        args = ", ".join(literal(x) for pair in parents for x in pair)
        stmts.append(f"CREATE TRIGGER ri_a_parent_area BEFORE INSERT OR UPDATE ON {name} "
                     f"FOR EACH ROW EXECUTE FUNCTION roadinfra_check_parent_area({args})")
    targets = attach_targets(table, tables)
    if targets:
        args = ", ".join(literal(x) for x in (*table.attached_to, *targets))
        stmts.append(f"CREATE TRIGGER ri_a_parent_area BEFORE INSERT OR UPDATE ON {name} "
                     f"FOR EACH ROW EXECUTE FUNCTION roadinfra_check_attached_area({args})")
    children = child_links(table, tables)
    if children:
        args = ", ".join(literal(x) for triple in children for x in triple)
        stmts.append(f"CREATE TRIGGER ri_d_area_cascade AFTER UPDATE OF district_code ON {name} "
                     "FOR EACH ROW WHEN (NEW.district_code IS DISTINCT FROM OLD.district_code) "
                     f"EXECUTE FUNCTION roadinfra_cascade_area({args})")
    return stmts


def _roles_sql() -> List[str]:
    stmts = []
    for role in ROLES:
        stmts.append(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {literal(role)}) "  # nosec B608 # role names via sqlnames.literal
            f"THEN CREATE ROLE {ident(role)} NOLOGIN; END IF; END $$")
    stmts.append("GRANT roadinfra_viewer TO roadinfra_editor")
    stmts.append("GRANT roadinfra_editor TO roadinfra_admin")
    stmts.append("GRANT USAGE ON SCHEMA public TO roadinfra_viewer")
    return stmts


def _srs_sql(srs: SrsEntry) -> str:
    return ("INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "  # nosec B608 # srid int, WKT via sqlnames.literal
            f"VALUES ({srs.srid}, 'EPSG', {srs.srid}, {literal(srs.wkt)}, "
            f"{literal(srs.proj4)}) ON CONFLICT (srid) DO NOTHING")


def create_table_sql(table: Table, srid: int, version: int = 1) -> List[str]:
    """CREATE TABLE with constraints and indexes, triggers, grants and RLS of one table
    (a table created by migration ``version``)."""
    name = ident(table.name)
    lines = [_column_sql(table, c, srid) for c in table.columns]
    if table.geometry:
        lines.append(f"{ident(GEOMETRY_COLUMN)} geometry("
                     f"{GEOMETRY_TYPES[table.geometry]}, {srid})")
    for check_name, expr in table.checks:
        lines.append(f"CONSTRAINT {ident('ck_' + table.name + '_' + check_name)} CHECK ({expr})")
    for i, cols in enumerate(table.unique_together):
        kind = "PRIMARY KEY" if i == 0 and not table.has_id else "UNIQUE"
        lines.append(f"{kind} (" + ", ".join(ident(c) for c in cols) + ")")
    stmts = [f"CREATE TABLE {name} (\n  " + ",\n  ".join(lines) + "\n)"]
    comment = f"{table.label_vi} / {table.label_en}"
    stmts.append(f"COMMENT ON TABLE {name} IS {literal(comment)}")
    stmts += table_indexes(table).values()
    if table.geometry:
        stmts.append(f"CREATE INDEX {ident('gix_' + table.name + '_' + GEOMETRY_COLUMN)} "
                     f"ON {name} USING gist ({ident(GEOMETRY_COLUMN)})")
    stmts += _triggers_sql(table)
    if version >= GUARDS_SINCE:
        stmts += _guard_triggers_sql(table, tables_at(version))
    stmts += _grants_sql(table)
    if version >= TOMBSTONE_SINCE:
        stmts += _tombstone_sql(table, tables_at(version))
    if version >= GUARDS_2:
        stmts += guards_2.postgis_table_statements(table, version)
    if version >= LIVE_PARENT:
        stmts += _live_parent_triggers_sql(table, tables_at(version))
    return stmts


def _triggers_sql(table: Table) -> List[str]:
    name = ident(table.name)
    if table.name == "change_log":
        return [
            f"CREATE TRIGGER ri_append_only BEFORE UPDATE OR DELETE ON {name} "
            "FOR EACH ROW EXECUTE FUNCTION roadinfra_append_only()",
            f"CREATE TRIGGER ri_append_only_truncate BEFORE TRUNCATE ON {name} "
            "FOR EACH STATEMENT EXECUTE FUNCTION roadinfra_append_only()",
        ]
    stmts = []
    if district_scoped(table):
        stmts.append(f"CREATE TRIGGER ri_a_district BEFORE INSERT OR UPDATE ON {name} "
                     "FOR EACH ROW EXECUTE FUNCTION roadinfra_check_district()")
    if table.versioned:
        stmts.append(f"CREATE TRIGGER ri_b_version BEFORE INSERT OR UPDATE ON {name} "
                     "FOR EACH ROW EXECUTE FUNCTION roadinfra_versioning()")
        stmts.append(f"CREATE TRIGGER ri_c_no_delete BEFORE DELETE ON {name} "
                     "FOR EACH ROW EXECUTE FUNCTION roadinfra_no_delete()")
    return stmts


def _grants_sql(table: Table) -> List[str]:
    name = ident(table.name)
    stmts = [f"GRANT SELECT ON {name} TO roadinfra_viewer"]
    if table.kind != "system" or table.name in EDITOR_SYSTEM_TABLES:
        stmts.append(f"GRANT INSERT, UPDATE ON {name} TO roadinfra_editor")
    if table.name in ADMIN_SYSTEM_TABLES:
        stmts.append(f"GRANT INSERT, UPDATE, DELETE ON {name} TO roadinfra_admin")
    if district_scoped(table):
        stmts += [
            f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY",
            f"CREATE POLICY ri_read ON {name} FOR SELECT USING (true)",
            f"CREATE POLICY ri_insert ON {name} FOR INSERT "
            "WITH CHECK (roadinfra_can_edit(district_code))",
            f"CREATE POLICY ri_update ON {name} FOR UPDATE USING (true) "
            "WITH CHECK (roadinfra_can_edit(district_code))",
        ]
    return stmts


def _sync_guards_sql() -> List[str]:
    """The sync's own tables (since version SYNC_GUARDS): ``sync_changeset`` append-only
    for everyone (its rows are the audit trail; editors keep INSERT), ``sync_replica``
    inserted and updated by editors only for a replica of their own login (``created_by``,
    the server's login a package records) unless they may edit the whole province
    (``roadinfra_can_edit(NULL)``: the database's owner, admins, ``*`` editors)."""
    own = "(created_by = session_user OR roadinfra_can_edit(NULL))"
    return [
        "CREATE OR REPLACE FUNCTION roadinfra_sync_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'sync_changeset is append-only: the "
        "record of who synced what is never changed or deleted' "
        "USING ERRCODE = 'insufficient_privilege'; END $$",
        "REVOKE UPDATE ON sync_changeset FROM roadinfra_editor",
        "CREATE TRIGGER ri_append_only BEFORE UPDATE OR DELETE ON sync_changeset "
        "FOR EACH ROW EXECUTE FUNCTION roadinfra_sync_append_only()",
        "CREATE TRIGGER ri_append_only_truncate BEFORE TRUNCATE ON sync_changeset "
        "FOR EACH STATEMENT EXECUTE FUNCTION roadinfra_sync_append_only()",
        "ALTER TABLE sync_replica ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY ri_read ON sync_replica FOR SELECT USING (true)",
        f"CREATE POLICY ri_insert_own ON sync_replica FOR INSERT WITH CHECK {own}",
        f"CREATE POLICY ri_update_own ON sync_replica FOR UPDATE USING {own} "
        f"WITH CHECK {own}",
    ]


#: The conflict trigger's first check (schemas 11-13): only who may resolve a conflict
#: changes it.
_MAY_NOT_RESOLVE = (
    "IF NOT roadinfra_may_resolve(OLD.table_name, OLD.row_id, OLD.mine, OLD.login) THEN "
    "RAISE EXCEPTION 'user % may not resolve conflict % (% %): its row is in district "
    "%, which this login may not edit: an editor of that district resolves it', "
    "current_user, OLD.id, OLD.table_name, coalesce(OLD.row_code, OLD.row_id::text), "
    "coalesce(roadinfra_conflict_district(OLD.table_name, OLD.row_id, OLD.mine), "
    "'(province)') USING ERRCODE = 'insufficient_privilege'; END IF; ")


def _sync_conflict_areas_sql(version: int) -> List[str]:
    """Row-level security on ``sync_conflict`` (since version SYNC_CONFLICT_AREAS), as on
    the rows it is about: everyone reads; a conflict is added only in the name of one's own
    login (``login = session_user``, as ``sync_replica.created_by``) unless one may edit the
    whole province; it is changed only by who may resolve it,
    ``roadinfra_may_resolve``: the login whose sync recorded it, or an editor of its row's
    district (the row's on the server, else the one the package gave it, ``mine``), as
    ``roadinfra conflicts resolve`` decides. A trigger refuses changing another's with a
    clear message (as ``roadinfra_check_district`` for rows); the policy checks the new
    values, so a conflict is not moved out of reach either."""
    names = ", ".join(literal(n) for n, t in tables_at(version).items()
                      if district_scoped(t))
    return [
        "CREATE OR REPLACE FUNCTION roadinfra_conflict_district(tbl text, rid uuid, "  # nosec B608 # names via sqlnames.literal, the table by format %I
        "mine jsonb) RETURNS text LANGUAGE plpgsql STABLE "
        "SET search_path = public, pg_temp AS $$ "
        "DECLARE area text; found boolean; BEGIN "
        f"IF NOT tbl = ANY (ARRAY[{names}]) THEN RETURN NULL; END IF; "
        "EXECUTE format('SELECT district_code, true FROM %I WHERE id = $1', tbl) "
        "INTO area, found USING rid; "
        "RETURN CASE WHEN found IS NULL THEN mine ->> 'district_code' ELSE area END; END $$",
        "CREATE OR REPLACE FUNCTION roadinfra_may_resolve(tbl text, rid uuid, mine jsonb, "
        "who text) RETURNS boolean LANGUAGE plpgsql STABLE "
        "SET search_path = public, pg_temp AS $$ BEGIN "
        "IF who = session_user THEN RETURN true; END IF; "
        f"IF NOT tbl = ANY (ARRAY[{names}]) THEN RETURN true; END IF; "
        "RETURN roadinfra_can_edit(roadinfra_conflict_district(tbl, rid, mine)); END $$",
        "CREATE OR REPLACE FUNCTION roadinfra_check_conflict_area() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        + _MAY_NOT_RESOLVE +
        "RETURN NEW; END $$",
        "CREATE TRIGGER ri_a_conflict_area BEFORE UPDATE ON sync_conflict "
        "FOR EACH ROW EXECUTE FUNCTION roadinfra_check_conflict_area()",
        "ALTER TABLE sync_conflict ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY ri_read ON sync_conflict FOR SELECT USING (true)",
        "CREATE POLICY ri_insert_own ON sync_conflict FOR INSERT "
        "WITH CHECK (login = session_user OR roadinfra_can_edit(NULL))",
        "CREATE POLICY ri_update_area ON sync_conflict FOR UPDATE USING (true) "
        "WITH CHECK (roadinfra_may_resolve(table_name, row_id, mine, login))",
    ]


def _sync_trail_sql() -> List[str]:
    """Who recorded and who resolved a sync record is the login that did it (since version
    SYNC_TRAIL), for every login but the database's owner (row-level security) and, for the
    trigger's rules, the owner too:

    * a ``sync_changeset`` row is added only in one's own login's name (``login =
      session_user``, as ``sync_replica.created_by``);
    * a ``sync_conflict`` row is added only in one's own login's name, open, with no
      resolution (``resolved_by``, ``resolved_at``, ``resolution`` empty): a sync records a
      conflict, only a resolve closes it;
    * who may change a conflict stays ``roadinfra_may_resolve`` (an editor of its district, a
      province-wide login, or the login whose sync recorded it); the trigger adds: who
      recorded it (``login``, ``replica_id``, ``changeset_id``) never changes; an open
      conflict holds no resolution; it is resolved in the resolving login's name
      (``resolved_by = session_user``); a resolved conflict's resolution never changes."""
    return [
        "ALTER TABLE sync_changeset ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY ri_read ON sync_changeset FOR SELECT USING (true)",
        "CREATE POLICY ri_insert_own ON sync_changeset FOR INSERT "
        "WITH CHECK (login = session_user)",
        "DROP POLICY ri_insert_own ON sync_conflict",
        "CREATE POLICY ri_insert_own ON sync_conflict FOR INSERT "
        "WITH CHECK (login = session_user AND status = 'open' AND resolved_by IS NULL "
        "AND resolved_at IS NULL AND resolution IS NULL)",
        "CREATE OR REPLACE FUNCTION roadinfra_check_conflict_area() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        + _MAY_NOT_RESOLVE +
        "IF (NEW.login, NEW.replica_id, NEW.changeset_id) IS DISTINCT FROM "
        "(OLD.login, OLD.replica_id, OLD.changeset_id) THEN "
        "RAISE EXCEPTION 'conflict %: who recorded it (login %, its package and changeset) "
        "never changes', OLD.id, OLD.login USING ERRCODE = 'insufficient_privilege'; END IF; "
        "IF OLD.status <> 'open' AND (NEW.status, NEW.resolved_by, NEW.resolved_at, "
        "NEW.resolution) IS DISTINCT FROM (OLD.status, OLD.resolved_by, OLD.resolved_at, "
        "OLD.resolution) THEN "
        "RAISE EXCEPTION 'conflict % was resolved by %: its resolution never changes', "
        "OLD.id, OLD.resolved_by USING ERRCODE = 'insufficient_privilege'; END IF; "
        "IF NEW.status = 'open' AND (NEW.resolved_by IS NOT NULL OR NEW.resolved_at IS NOT "
        "NULL OR NEW.resolution IS NOT NULL) THEN "
        "RAISE EXCEPTION 'conflict %: an open conflict holds no resolution', OLD.id "
        "USING ERRCODE = 'insufficient_privilege'; END IF; "
        "IF OLD.status = 'open' AND NEW.status <> 'open' "
        "AND NEW.resolved_by IS DISTINCT FROM session_user THEN "
        "RAISE EXCEPTION 'conflict %: resolved by % in the name of %: a conflict is "
        "resolved in the resolving login''s name', OLD.id, session_user, NEW.resolved_by "
        "USING ERRCODE = 'insufficient_privilege'; END IF; "
        "RETURN NEW; END $$",
    ]


#: What a conflict records (every column but its status and resolution).
_RECORDED = ("id", "changeset_id", "replica_id", "package_name", "login", "created_at",
             "table_name", "row_id", "row_code", "kind", "fields", "base", "mine", "theirs",
             "message")


def _sync_records_sql() -> List[str]:
    """A sync record names only its login's own package, keeps what it records and the
    server's time (since version SYNC_RECORDS):

    * a ``sync_conflict`` or ``sync_changeset`` row is added only for a package (replica)
      of one's own login (``sync_replica.created_by = session_user``,
      ``roadinfra_own_replica``) unless one may edit the whole province
      (``roadinfra_can_edit(NULL)``, the office syncing a crew's package), besides the rules
      of SYNC_TRAIL: no editor can block another crew's sync or its crash recovery with
      records naming its package;
    * the server sets the time stamps, whoever inserts (the owner too): ``applied_at`` of a
      changeset, ``created_at`` of a conflict, ``resolved_at`` when it is resolved
      (``clock_timestamp()``: a crash recovery never depends on a client's clock);
    * what a conflict records (:data:`_RECORDED`) never changes; an open conflict changes
      only by being resolved (status, ``resolved_by = session_user``, resolution); a
      resolved one never changes at all."""
    own = "(roadinfra_own_replica(replica_id) OR roadinfra_can_edit(NULL))"
    return [
        "CREATE OR REPLACE FUNCTION roadinfra_own_replica(rid uuid) RETURNS boolean "
        "LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$ SELECT EXISTS (SELECT 1 "
        "FROM sync_replica WHERE id = rid AND created_by = session_user) $$",
        "DROP POLICY ri_insert_own ON sync_conflict",
        "CREATE POLICY ri_insert_own ON sync_conflict FOR INSERT "
        "WITH CHECK (login = session_user AND status = 'open' AND resolved_by IS NULL "
        f"AND resolved_at IS NULL AND resolution IS NULL AND {own})",
        "DROP POLICY ri_insert_own ON sync_changeset",
        "CREATE POLICY ri_insert_own ON sync_changeset FOR INSERT "
        f"WITH CHECK (login = session_user AND {own})",
        "CREATE OR REPLACE FUNCTION roadinfra_sync_stamp() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN IF TG_TABLE_NAME = 'sync_changeset' THEN "
        "NEW.applied_at := clock_timestamp(); ELSE NEW.created_at := clock_timestamp(); "
        "END IF; RETURN NEW; END $$",
        "CREATE TRIGGER ri_stamp BEFORE INSERT ON sync_changeset "
        "FOR EACH ROW EXECUTE FUNCTION roadinfra_sync_stamp()",
        "CREATE TRIGGER ri_stamp BEFORE INSERT ON sync_conflict "
        "FOR EACH ROW EXECUTE FUNCTION roadinfra_sync_stamp()",
        _conflict_trigger_sql(),
    ]


def _conflict_trigger_sql(take_mine: str = "") -> str:
    """The conflict trigger since SYNC_RECORDS (see :func:`_sync_records_sql`); ``take_mine``
    (since SYNC_TAKE_MINE, :data:`_MAY_NOT_TAKE_MINE`) is checked when a conflict is
    resolved."""
    new = ", ".join(f"NEW.{ident(n)}" for n in _RECORDED)
    old = ", ".join(f"OLD.{ident(n)}" for n in _RECORDED)
    return (
        "CREATE OR REPLACE FUNCTION roadinfra_check_conflict_area() RETURNS trigger "  # nosec B608 # column names via sqlnames.ident
        "LANGUAGE plpgsql AS $$ BEGIN "
        + _MAY_NOT_RESOLVE +
        "IF OLD.status <> 'open' THEN IF NEW IS DISTINCT FROM OLD THEN "
        "RAISE EXCEPTION 'conflict % was resolved by %: it never changes, neither what it "
        "records nor its resolution', OLD.id, OLD.resolved_by "
        "USING ERRCODE = 'insufficient_privilege'; END IF; RETURN NEW; END IF; "
        f"IF ({new}) IS DISTINCT FROM ({old}) THEN "
        "RAISE EXCEPTION 'conflict %: who recorded it (login %, its package and changeset) "
        "and what it records (its row, values, message and time) never changes: only a "
        "resolve writes its status and resolution', OLD.id, OLD.login "
        "USING ERRCODE = 'insufficient_privilege'; END IF; "
        "IF NEW.status = 'open' AND (NEW.resolved_by IS NOT NULL OR NEW.resolved_at IS NOT "
        "NULL OR NEW.resolution IS NOT NULL) THEN "
        "RAISE EXCEPTION 'conflict %: an open conflict holds no resolution', OLD.id "
        "USING ERRCODE = 'insufficient_privilege'; END IF; "
        "IF NEW.status <> 'open' THEN "
        "IF NEW.resolved_by IS DISTINCT FROM session_user THEN "
        "RAISE EXCEPTION 'conflict %: resolved by % in the name of %: a conflict is "
        "resolved in the resolving login''s name', OLD.id, session_user, NEW.resolved_by "
        "USING ERRCODE = 'insufficient_privilege'; END IF; "
        + take_mine +
        "NEW.resolved_at := clock_timestamp(); END IF; "
        "RETURN NEW; END $$")



#: The conflict trigger's check since SYNC_TAKE_MINE: a resolution naming ``mine`` (any
#: field, any case) is recorded only by a login that may edit the row's district
#: (``roadinfra_may_resolve`` without the recorder's exception, as ``roadinfra conflicts
#: resolve`` decides); the recorder outside it only drops its own change.
_MAY_NOT_TAKE_MINE = (
    "IF jsonb_path_exists(coalesce(NEW.resolution, 'null'::jsonb), "
    "'$.** ? (@ like_regex \"^[[:space:]]*mine[[:space:]]*$\" flag \"i\")') "
    "AND NOT roadinfra_may_resolve(OLD.table_name, OLD.row_id, OLD.mine, NULL) THEN "
    "RAISE EXCEPTION 'user % may not resolve conflict % (% %) taking mine: its row is in "
    "district %, which this login may not edit: take theirs (drop its own change), or an "
    "editor of that district resolves it', current_user, OLD.id, OLD.table_name, "
    "coalesce(OLD.row_code, OLD.row_id::text), "
    "coalesce(roadinfra_conflict_district(OLD.table_name, OLD.row_id, OLD.mine), "
    "'(province)') USING ERRCODE = 'insufficient_privilege'; END IF; ")


def _sync_take_mine_sql() -> List[str]:
    """A conflict is resolved taking ``mine`` only by a login that may edit its row (since
    version SYNC_TAKE_MINE): the login whose sync recorded a conflict on a row outside its
    area may resolve it only without ``mine`` (``theirs``, or a sync closing it naming
    what happened), the rule ``roadinfra conflicts resolve`` applies
    (``conflicts.resolve_conflicts``)."""
    return [_conflict_trigger_sql(_MAY_NOT_TAKE_MINE)]

#: What registers a package (``sync_replica``) and never changes (since SYNC_REGISTRATION);
#: the sync's own bookkeeping (``base_digest``, ``base_change_id``, ``last_sync_at``) does.
REGISTRATION = ("id", "name", "device", "created_at", "created_by", "scope")


def _plan_step_check() -> str:
    """PL/pgSQL refusing a ``maintenance_plan`` status change off :data:`PLAN_STEPS`
    (versions SYNC_REGISTRATION and PLAN_APPROVAL)."""
    steps = " OR ".join(f"(OLD.status = {literal(a)} AND NEW.status = {literal(b)})"
                        for a, b in PLAN_STEPS)
    return (f"IF NEW.status IS DISTINCT FROM OLD.status AND NOT ({steps}) THEN "
            "RAISE EXCEPTION 'plan %: status % cannot become %: a plan moves draft, "
            "submitted, approved, closed (a submitted one back to draft) with roadinfra plan "
            "status', coalesce(OLD.code, OLD.id::text), coalesce(OLD.status, 'empty'), "
            "coalesce(NEW.status, 'empty') USING ERRCODE = 'integrity_constraint_violation'; "
            "END IF; ")


def _sync_registration_sql() -> List[str]:
    """A package's registration never changes, and a plan's status moves only by its steps
    (since version SYNC_REGISTRATION), for every login, the owner too:

    * of a ``sync_replica`` row only the sync's own bookkeeping changes (a sync writes
      ``base_digest``, ``base_change_id`` and ``last_sync_at``, ``engine._sync``); its name,
      device, scope, creation time and creator (:data:`REGISTRATION`) never do;
    * a ``maintenance_plan``'s status moves only along :data:`PLAN_STEPS` (never draft to
      approved), and ``approved_at`` / ``approved_by`` are written only as it becomes
      approved, as ``roadinfra plan status`` does (a crew's own plan approved through
      GDAL/OGR, psql or a resolve is refused)."""
    new = ", ".join(f"NEW.{ident(n)}" for n in REGISTRATION)
    old = ", ".join(f"OLD.{ident(n)}" for n in REGISTRATION)
    return [
        "CREATE OR REPLACE FUNCTION roadinfra_replica_registration() RETURNS trigger "  # nosec B608 # column names via sqlnames.ident
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"IF ({new}) IS DISTINCT FROM ({old}) THEN "
        "RAISE EXCEPTION 'package % (%): its registration (name, device, scope, created_at, "
        "created_by) never changes: a sync updates only base_digest, base_change_id and "
        "last_sync_at', OLD.id, OLD.name USING ERRCODE = 'insufficient_privilege'; END IF; "
        "RETURN NEW; END $$",
        "CREATE TRIGGER ri_registration BEFORE UPDATE ON sync_replica "
        "FOR EACH ROW EXECUTE FUNCTION roadinfra_replica_registration()",
        "CREATE OR REPLACE FUNCTION roadinfra_plan_step() RETURNS trigger "  # nosec B608 # statuses via sqlnames.literal
        "LANGUAGE plpgsql AS $$ BEGIN "
        + _plan_step_check() +
        "IF (NEW.approved_at, NEW.approved_by) IS DISTINCT FROM (OLD.approved_at, "
        "OLD.approved_by) AND NOT (OLD.status = 'submitted' AND NEW.status = 'approved') "
        "THEN RAISE EXCEPTION 'plan %: approved_at and approved_by are written only as the "
        "plan is approved (roadinfra plan status)', coalesce(OLD.code, OLD.id::text) "
        "USING ERRCODE = 'integrity_constraint_violation'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER ri_b_plan_step BEFORE UPDATE ON maintenance_plan "
        "FOR EACH ROW EXECUTE FUNCTION roadinfra_plan_step()",
    ]


def _plan_approval_sql() -> List[str]:
    """A plan's approval is the server's record (since version PLAN_APPROVAL), for every
    login, the owner too:

    * as a ``maintenance_plan`` becomes approved (submitted -> approved) the trigger sets
      ``approved_at = now()`` and ``approved_by = session_user`` itself, whatever the client
      wrote (a crew typing another approver or a backdated time through psql records its own
      login and the time); every other change leaves them as they are (refused otherwise);
      its status still moves only along :data:`PLAN_STEPS`;
    * a new plan is a draft with no ``approved_at`` / ``approved_by`` (``build_plan``,
      ``revise_plan`` and a plan made offline insert drafts): a plan is never inserted
      approved or closed."""
    return [
        "CREATE OR REPLACE FUNCTION roadinfra_plan_step() RETURNS trigger "  # nosec B608 # statuses via sqlnames.literal
        "LANGUAGE plpgsql AS $$ BEGIN "
        + _plan_step_check() +
        "IF OLD.status = 'submitted' AND NEW.status = 'approved' THEN "
        "NEW.approved_at := now(); NEW.approved_by := session_user; "
        "ELSIF (NEW.approved_at, NEW.approved_by) IS DISTINCT FROM (OLD.approved_at, "
        "OLD.approved_by) THEN RAISE EXCEPTION 'plan %: approved_at and approved_by are "
        "written only as the plan is approved (roadinfra plan status)', "
        "coalesce(OLD.code, OLD.id::text) "
        "USING ERRCODE = 'integrity_constraint_violation'; END IF; RETURN NEW; END $$",
        "CREATE OR REPLACE FUNCTION roadinfra_plan_new() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.status IS DISTINCT FROM 'draft' OR NEW.approved_at IS NOT NULL "
        "OR NEW.approved_by IS NOT NULL THEN "
        "RAISE EXCEPTION 'plan %: a new plan is a draft with no approval (not status %, "
        "approved_by %): it moves on with roadinfra plan status', "
        "coalesce(NEW.code, NEW.id::text), coalesce(NEW.status, 'empty'), "
        "coalesce(NEW.approved_by, 'empty') "
        "USING ERRCODE = 'integrity_constraint_violation'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER ri_b_plan_new BEFORE INSERT ON maintenance_plan "
        "FOR EACH ROW EXECUTE FUNCTION roadinfra_plan_new()",
    ]


#: Said when a live row would be under a deleted parent (the parent's table and code).
LIVE_PARENT_MESSAGE = ("% % is deleted (a tombstone): a live % cannot be written under it; "
                       "restore % % first")
#: Whether the row becomes live under the parent given by (table-name text, id column):
#: inserted live, restored, or moved to another parent.
_BECOMES_LIVE = (
    "IF NEW.deleted_at IS NULL AND parent IS NOT NULL THEN "
    "IF TG_OP = 'INSERT' THEN check_it := true; "
    "ELSE check_it := OLD.deleted_at IS NOT NULL "
    "OR (to_jsonb(OLD) ->> TG_ARGV[{id}]) IS DISTINCT FROM (to_jsonb(NEW) ->> TG_ARGV[{id}])"
    "{target}; END IF; END IF; ")
_PARENT_STATE = (
    "IF check_it THEN {lock_first}"
    "EXECUTE format('SELECT deleted_at, coalesce(to_jsonb(p) ->> ''code'', p.id::text) "
    "FROM public.%I p WHERE p.id = $1{lock}', {table}) INTO gone, label USING parent; "
    "IF gone IS NOT NULL THEN "
    "RAISE EXCEPTION {message}, {table}, label, TG_TABLE_NAME, {table}, label "
    "USING ERRCODE = 'integrity_constraint_violation', COLUMN = TG_ARGV[{id}]; "
    "END IF; END IF; ")



def _parent_state(table: str, id: str, message: str, lock: str) -> str:
    """The guard's check of one parent (``table``: a PL/pgSQL text expression), locked
    ``FOR <lock>``. FOR SHARE reads the row as it is once locked; FOR KEY SHARE gives it as
    the statement first saw it (a waited-for tombstone does not show), so the row is read
    again by a statement of its own after the lock."""
    if lock == "SHARE":
        return _PARENT_STATE.format(table=table, id=id, message=message,
                                    lock_first="", lock=" FOR SHARE")
    first = (f"EXECUTE format('SELECT 1 FROM public.%I p WHERE p.id = $1 FOR {lock}', "  # nosec B608 # fixed text: lock a keyword of the caller, the table quoted by format %I
             f"{table}) USING parent; ")
    return _PARENT_STATE.format(table=table, id=id, message=message, lock_first=first,
                                lock="")


def _live_parent_sql(lock: str) -> List[str]:
    """The live-parent guard's functions (since version LIVE_PARENT), for every login: a
    row made live (inserted, restored, moved) whose parent (``Column.parent``; the row an
    attachment is attached to) is a tombstone is refused, naming the parent; the parent is
    locked ``FOR <lock>`` until the writer commits (its delete waits; a writer that waited
    for a delete sees the tombstone): ``SHARE`` at LIVE_PARENT, ``KEY SHARE`` since
    PARENT_LOCK (an edit of the parent does not wait for it; its tombstone does, see
    :func:`_cascade_tombstone_sql`); since ANCESTOR_LOCK the rows above the parent too,
    top row first (:func:`_live_ancestors_sql`). The tombstone cascade and its restore are
    untouched: a parent is restored before its children."""
    message = literal(LIVE_PARENT_MESSAGE)
    return [
        # arguments: pairs (column, parent table) from the schema definition
        "CREATE OR REPLACE FUNCTION roadinfra_check_live_parent() RETURNS trigger "  # nosec B608 # fixed text, message via sqlnames.literal
        "LANGUAGE plpgsql AS $$ DECLARE i integer := 0; parent uuid; check_it boolean; "
        "gone timestamptz; label text; BEGIN "
        "WHILE i < TG_NARGS LOOP check_it := false; "
        "parent := (to_jsonb(NEW) ->> TG_ARGV[i])::uuid; "
        + _BECOMES_LIVE.format(id="i", target="")
        + _parent_state("TG_ARGV[i + 1]", "i", message, lock)
        + "i := i + 2; END LOOP; RETURN NEW; END $$",
        # arguments: the table-name column, the id column, then the tables a row may be
        # attached to (from the schema definition: only those names are looked up)
        "CREATE OR REPLACE FUNCTION roadinfra_check_live_attached() RETURNS trigger "  # nosec B608 # fixed text, message via sqlnames.literal
        "LANGUAGE plpgsql AS $$ DECLARE target text := to_jsonb(NEW) ->> TG_ARGV[0]; "
        "parent uuid := (to_jsonb(NEW) ->> TG_ARGV[1])::uuid; check_it boolean := false; "
        "gone timestamptz; label text; BEGIN "
        "IF target = ANY (TG_ARGV[2:TG_NARGS - 1]) THEN "
        + _BECOMES_LIVE.format(id="1", target=" OR (to_jsonb(OLD) ->> TG_ARGV[0]) "
                               "IS DISTINCT FROM target")
        + _parent_state("target", "1", message, lock)
        + "END IF; RETURN NEW; END $$",
    ]


def _parent_links_sql(tables: dict) -> str:
    """``roadinfra_parent_links(table)``: the (column, parent table) pairs of a table's
    parents (``Column.parent``), flattened, from the schema definition at ``tables`` (a
    migration adding a parent link defines it again)."""
    cases = " ".join(
        f"WHEN {literal(t.name)} THEN ARRAY[" + ", ".join(
            literal(x) for pair in parent_links(t) for x in pair) + "]"
        for t in tables.values() if t.versioned and parent_links(t))
    return ("CREATE OR REPLACE FUNCTION roadinfra_parent_links(tbl text) RETURNS text[] "  # nosec B608 # names via sqlnames.literal
            f"LANGUAGE sql IMMUTABLE AS $$ SELECT CASE tbl {cases} "
            "ELSE ARRAY[]::text[] END $$")


def _live_ancestors_sql(tables: dict) -> List[str]:
    """The live-parent guard since version ANCESTOR_LOCK: a row made live under a parent
    holds the parent and every row above it (its parents' parents, from
    ``roadinfra_parent_links``) ``FOR KEY SHARE``, the top row first: the order a
    tombstone's cascade locks in (:func:`_cascade_tombstone_sql`), so a delete of any of
    them waits for the writer before it holds a row the writer may still edit (a session
    that added a distress to a section's survey, or a photo to a bridge's inspection, and
    then edits the section or the bridge is not a deadlock with its delete). Each is read
    again after the locks, the parent first: a tombstone refuses the row, naming it. The
    rows above are found by plain reads first (a row moved meanwhile to another parent is
    judged where it was)."""
    message = literal(LIVE_PARENT_MESSAGE)
    hold = "PERFORM roadinfra_hold_live_ancestors(TG_TABLE_NAME, TG_ARGV[{id}], {table}, parent); "
    return [
        _parent_links_sql(tables),
        # the parent and the rows above it (breadth first: the last one is the top row)
        "CREATE OR REPLACE FUNCTION roadinfra_hold_live_ancestors(child text, col text, "  # nosec B608 # fixed text, message via sqlnames.literal
        "ptable text, parent uuid) RETURNS void LANGUAGE plpgsql AS $$ DECLARE "
        "tabs text[] := ARRAY[ptable]; ids uuid[] := ARRAY[parent]; q integer := 1; "
        "k integer; links text[]; up uuid; gone timestamptz; label text; BEGIN "
        "WHILE q <= array_length(ids, 1) LOOP "
        "links := roadinfra_parent_links(tabs[q]); k := 1; "
        "WHILE k < coalesce(array_length(links, 1), 0) LOOP "
        "EXECUTE format('SELECT (to_jsonb(p) ->> %L)::uuid FROM public.%I p WHERE p.id = $1', "
        "links[k], tabs[q]) INTO up USING ids[q]; "
        "IF up IS NOT NULL AND NOT up = ANY (ids) THEN "
        "tabs := tabs || links[k + 1]; ids := ids || up; END IF; "
        "k := k + 2; END LOOP; q := q + 1; END LOOP; "
        "FOR n IN REVERSE array_length(ids, 1) .. 1 LOOP "
        "EXECUTE format('SELECT 1 FROM public.%I p WHERE p.id = $1 FOR KEY SHARE', tabs[n]) "
        "USING ids[n]; END LOOP; "
        "FOR n IN 1 .. array_length(ids, 1) LOOP "
        "EXECUTE format('SELECT deleted_at, coalesce(to_jsonb(p) ->> ''code'', p.id::text) "
        "FROM public.%I p WHERE p.id = $1', tabs[n]) INTO gone, label USING ids[n]; "
        f"IF gone IS NOT NULL THEN RAISE EXCEPTION {message}, tabs[n], label, child, "
        "tabs[n], label USING ERRCODE = 'integrity_constraint_violation', COLUMN = col; "
        "END IF; END LOOP; END $$",
        # arguments as at LIVE_PARENT (see _live_parent_sql)
        "CREATE OR REPLACE FUNCTION roadinfra_check_live_parent() RETURNS trigger "  # nosec B608 # fixed text
        "LANGUAGE plpgsql AS $$ DECLARE i integer := 0; parent uuid; check_it boolean; BEGIN "
        "WHILE i < TG_NARGS LOOP check_it := false; "
        "parent := (to_jsonb(NEW) ->> TG_ARGV[i])::uuid; "
        + _BECOMES_LIVE.format(id="i", target="")
        + "IF check_it THEN " + hold.format(id="i", table="TG_ARGV[i + 1]") + "END IF; "
        "i := i + 2; END LOOP; RETURN NEW; END $$",
        "CREATE OR REPLACE FUNCTION roadinfra_check_live_attached() RETURNS trigger "  # nosec B608 # fixed text
        "LANGUAGE plpgsql AS $$ DECLARE target text := to_jsonb(NEW) ->> TG_ARGV[0]; "
        "parent uuid := (to_jsonb(NEW) ->> TG_ARGV[1])::uuid; check_it boolean := false; "
        "BEGIN IF target = ANY (TG_ARGV[2:TG_NARGS - 1]) THEN "
        + _BECOMES_LIVE.format(id="1", target=" OR (to_jsonb(OLD) ->> TG_ARGV[0]) "
                               "IS DISTINCT FROM target")
        + "IF check_it THEN " + hold.format(id="1", table="target") + "END IF; "
        "END IF; RETURN NEW; END $$",
    ]


def _live_parent_triggers_sql(table: Table, tables: dict) -> List[str]:
    """The live-parent triggers of one table (since version LIVE_PARENT)."""
    if not table.versioned:
        return []
    name = ident(table.name)
    stmts = []
    parents = parent_links(table)
    if parents:
        args = ", ".join(literal(x) for pair in parents for x in pair)
        stmts.append(f"CREATE TRIGGER ri_a_parent_live BEFORE INSERT OR UPDATE ON {name} "
                     f"FOR EACH ROW EXECUTE FUNCTION roadinfra_check_live_parent({args})")
    targets = attach_targets(table, tables)
    if targets:
        args = ", ".join(literal(x) for x in (*table.attached_to, *targets))
        stmts.append(f"CREATE TRIGGER ri_a_parent_live BEFORE INSERT OR UPDATE ON {name} "
                     f"FOR EACH ROW EXECUTE FUNCTION roadinfra_check_live_attached({args})")
    return stmts


def _codelist_sql() -> str:
    values = ",\n  ".join(
        f"({literal(cl.name)}, {literal(code)}, {literal(vi)}, {literal(en)})"
        for cl in CODELISTS.values() if cl.since == 1 for code, vi, en in cl.items)
    return f"INSERT INTO codelist (list_name, code, label_vi, label_en) VALUES\n  {values}"  # nosec B608 # codes via sqlnames.literal


def _version_sql(version: int) -> str:
    return ("INSERT INTO db_meta (key, value) VALUES ('schema_version', "  # nosec B608 # version via sqlnames.literal
            f"{literal(str(version))}) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value")


def migration_statements(version: int, srs: SrsEntry) -> List[str]:
    """The statements of migration ``version`` (1: everything; n: what ``since=n`` adds)."""
    after = tables_at(version)
    if version == 1:
        stmts = ["CREATE EXTENSION IF NOT EXISTS postgis", _srs_sql(srs)]
        stmts += _roles_sql()
        order = ["db_meta", "change_log", "user_district"] + [
            n for n in after if n not in ("db_meta", "change_log", "user_district")]
        stmts += [create for n in order if n == "user_district"
                  for create in create_table_sql(after[n], srs.srid)]
        stmts += _functions_sql(version)
        for tname in order:
            if tname != "user_district":
                stmts += create_table_sql(after[tname], srs.srid)
        stmts.append(_codelist_sql())
        stmts.append(_version_sql(version))
        return stmts
    before = tables_at(version - 1)
    stmts = []
    for tname, table in after.items():
        if tname not in before:
            stmts += create_table_sql(table, srs.srid, version)
            continue
        for col in table.columns:
            if col.name in before[tname].column_names:
                continue
            if col.unique or not col.nullable:
                raise ValueError(f"{tname}.{col.name}: a new column must be nullable, not unique")
            stmts.append(f"ALTER TABLE {ident(tname)} ADD COLUMN "
                         f"{_column_sql(table, col, srs.srid)}")
    stmts += _functions_sql(version)
    if version == GUARDS_SINCE:
        stmts += [t for tname, table in after.items() if tname in before
                  for t in _guard_triggers_sql(table, after)]
    stmts += plan_guard_statements(version)
    if version == TOMBSTONE_SINCE:
        stmts += [t for tname, table in after.items() if tname in before
                  for t in _tombstone_sql(table, after)]
    if version == GUARDS_2:
        stmts += [t for tname, table in after.items() if tname in before
                  for t in guards_2.postgis_table_statements(table, version)]
    if version == SYNC_GUARDS:
        stmts += _sync_guards_sql()
    if version == SYNC_CONFLICT_AREAS:
        stmts += _sync_conflict_areas_sql(version)
    if version == SYNC_TRAIL:
        stmts += _sync_trail_sql()
    if version == SYNC_RECORDS:
        stmts += _sync_records_sql()
    if version == SYNC_TAKE_MINE:
        stmts += _sync_take_mine_sql()
    if version == SYNC_REGISTRATION:
        stmts += _sync_registration_sql()
    if version == PLAN_APPROVAL:
        stmts += _plan_approval_sql()
    if version == LIVE_PARENT:
        stmts += _live_parent_sql("SHARE")
        stmts += [t for tname, table in after.items() if tname in before
                  for t in _live_parent_triggers_sql(table, after)]
    if version == PARENT_LOCK:
        stmts += _live_parent_sql("KEY SHARE") + [_cascade_tombstone_sql(lock=True)]
    if version == ANCESTOR_LOCK:
        stmts += _live_ancestors_sql(after)
    stmts.append(_version_sql(version))
    return stmts


def migration_sql(version: int, srs: SrsEntry) -> str:
    """The text of migration file ``version`` (what scripts/generate_migration.py writes)."""
    header = (
        f"-- RoadInfra PostGIS migration {version:04d} ({VERSION_NAMES[version]}): schema "
        f"version {version - 1} -> {version}.\n"
        "-- GENERATED by scripts/generate_migration.py from core/schema/tables.py.\n"
        "-- Never edit a released migration (RELEASED.txt holds their sha256): add a new one.\n"
        f"-- Grid: EPSG:{srs.srid} {srs.name}. Applied in one transaction.\n\n"
    )
    return header + ";\n\n".join(migration_statements(version, srs)) + ";\n"
