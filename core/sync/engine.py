"""``roadinfra sync``: send a package's changes, bring back the server's, in one changeset.

Order of a sync (each step safe to be killed in):

1. the package is checked (ours, whole, this schema, base digest as the server registered
   it) and locked for writing (one SQLite transaction until step 4);
2. its changes since the base are captured and merged per field against the server's rows
   (:mod:`.merge`); in ONE server transaction the merged changes are written through the
   database API (so the server's triggers, history, revision checks and row-level security
   apply), conflicts and refusals are stored in ``sync_conflict``, and the changeset and
   the new base digest are recorded;
3. the server commits;
4. the package takes the server's state of every row it holds and its new base, and
   commits.

Killed before 3: the server has nothing, the package is as it was. Killed between 3 and 4:
the package still has its old base (the server accepts it: the changeset's digest before),
the next sync finds the changeset already applied (its id is derived from the package's
base and changes) and only brings the server's state back; a three-way merge of an applied
change is "both sides equal" in any case, so nothing is applied twice.
"""

from __future__ import annotations

import uuid
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ..db import open_database
from ..db.base import Database, IsCancelled, Progress
from ..db.errors import ConflictError, DatabaseError
from ..db.targets import parse_target
from ..db.validate import utc_iso
from ..errors import Cancelled
from ..schema.tables import TABLES
from . import faults
from . import scope as scopes
from .errors import PackageError, ServerMovedError
from .merge import Conflict, merge_row
from .package import (
    LocalChange,
    Package,
    base_entry,
    change_position,
    digest_of,
    local_changes,
    now_iso,
    open_package,
    server_login,
    write_base,
    write_rows,
)
from .rules import merge_rules
from .values import SYNC_TABLES, canonical, dumps, readable, to_db

_NS = uuid.UUID("0b9c3a4e-52a1-4f0e-9d3c-1f5e8c6a7b21")
Rows = Dict[str, Dict[str, Dict[str, Any]]]
#: A sync that meets a row another writer changed meanwhile starts again (nothing of the
#: failed attempt was written), at most this many times.
ATTEMPTS = 5


def sync_package(path: str, target: str, progress: Progress = None,
                 is_cancelled: IsCancelled = None) -> dict:
    """Sync package ``path`` with database ``target``; returns what was sent, received,
    applied and left in conflict (the ``--json`` answer)."""
    for attempt in range(1, ATTEMPTS + 1):
        package = open_package(path)
        try:
            server = open_database(parse_target(target))
        except BaseException:
            package.close()
            raise
        try:
            return _sync(package, server, progress, is_cancelled)
        except ServerMovedError:
            if attempt == ATTEMPTS:
                raise
        finally:
            package.close()
            server.close()
    raise AssertionError("unreachable")  # pragma: no cover


def _check_registered(package: Package, server: Database) -> Tuple[dict, bool]:
    """The server's replica row; PackageError unless the package's base is the one the
    server registered (or the one before the last changeset: a sync killed after the
    server committed). Returns (replica, behind)."""
    found = server.fetch("sync_replica", where={"id": package.replica_id})
    if not found:
        raise PackageError(f"{package.path}: package {package.name!r} is not registered in "
                           f"{server.target} (made from another database?); nothing was "
                           "changed")
    replica = found[0]
    digest = package.digest()
    if replica.get("base_digest") == digest:
        return replica, False
    last = server.fetch("sync_changeset", where={"replica_id": package.replica_id},
                        order_by=["applied_at"])
    if last and last[-1].get("digest_before") == digest \
            and last[-1].get("digest_after") == replica.get("base_digest"):
        return replica, True
    raise PackageError(f"{package.path}: the package's base is not the one {server.target} "
                       "gave it (an older copy of the package, or altered outside "
                       "RoadInfra); nothing was changed")


def _server_rows(server: Database) -> Rows:
    return {t: {r["id"]: r for r in server.fetch(t, include_deleted=True)}
            for t in SYNC_TABLES}


def _changeset_id(package: Package, changes: List[LocalChange]) -> str:
    text = dumps([package.replica_id, package.digest(),
                  [[c.table, c.row_id, c.op, c.mine, c.deleted] for c in changes]])
    return str(uuid.uuid5(_NS, text))


def _sync(package: Package, server: Database, progress: Progress,
          is_cancelled: IsCancelled) -> dict:
    replica, behind = _check_registered(package, server)
    rules = merge_rules(server.profile)
    login = server_login(server)
    report: Dict[str, Any] = {
        "package": str(package.path), "server": str(server.target),
        "replica_id": package.replica_id, "login": login, "replayed": False,
        "sent": {"insert": 0, "update": 0, "delete": 0},
        "received": {"insert": 0, "update": 0, "delete": 0},
        "applied": 0, "ruled": [], "conflicts": [], "refused": [], "codes": []}
    with package.db.transaction():
        changes = local_changes(package)
        faults.point("read")
        changeset = _changeset_id(package, changes)
        report["changeset"] = changeset
        if progress:
            progress(10.0)
        with server.transaction():
            report["replayed"] = bool(server.fetch("sync_changeset", where={"id": changeset}))
            theirs = _server_rows(server)
            if not report["replayed"]:
                _apply(server, package, changes, theirs, rules, login, changeset, report,
                       is_cancelled)
            if progress:
                progress(60.0)
            final = _final_state(server, package)
            entries = [base_entry(TABLES[t], r) for t in SYNC_TABLES for r in final[t].values()]
            new_digest = digest_of(entries)
            if not report["replayed"]:
                summary = {k: report[k] for k in ("sent", "applied")}
                summary["conflicts"] = len(report["conflicts"]) + len(report["refused"])
                summary["rows"] = [[c.table, c.row_id, c.op] for c in changes]
                server.insert("sync_changeset", [{
                    "id": changeset, "replica_id": package.replica_id,
                    "package_name": package.name, "login": login, "applied_at": now_iso(),
                    "digest_before": package.digest(), "digest_after": new_digest,
                    "summary": summary}])
            report["open_conflicts"] = len(server.fetch("sync_conflict", where={
                "replica_id": package.replica_id, "status": "open"}))
            report["base_change_id"] = change_position(server)
            if not report["replayed"]:
                server.update("sync_replica", package.replica_id, {
                    "base_digest": new_digest, "last_sync_at": now_iso(),
                    "base_change_id": report["base_change_id"]})
            faults.point("before_server_commit")
        faults.point("after_server_commit")
        _write_package(package, final, entries, login, changes, report)
        faults.point("package_written")
    faults.point("after_package_commit")
    report["behind"] = behind
    if progress:
        progress(100.0)
    return report


def _derive(server: Database, table: str, row: Dict[str, Any],
            current: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """THE one place where the apply path asks for derived-on-save values (codes, area,
    chainage, PCI ...) of a row sync writes to the server.

    MARKED (issue 10): core.derive is not merged into main yet; once it is, call its entry
    point here. Until then the only server-side value sync decides is the final code of a
    row made offline (:func:`_final_code`)."""
    return row


def _final_code(server: Database, table: str, row_id: str, code: str,
                report: dict) -> Tuple[str, Optional[Conflict]]:
    """The code the server gives a row made offline: its provisional code when no other
    live row has it, else the first free ``code-N``, with a conflict so that two crews
    creating the same code is never silent."""
    taken = [r for r in server.fetch(table, where={"code": code}) if r["id"] != row_id]
    if not taken:
        return code, None
    n = 2
    while server.fetch(table, where={"code": f"{code}-{n}"}, include_deleted=True):
        n += 1
    final = f"{code}-{n}"
    report["codes"].append({"table": table, "row_id": row_id, "provisional": code,
                            "final": final})
    return final, Conflict("code", ["code"], None, {"code": code},
                           {"code": code, "row_id": taken[0]["id"]},
                           f"code {code} is already used by another {table} row; the "
                           f"server gave this row {final}")


def _apply(server: Database, package: Package, changes: List[LocalChange], theirs_rows: Rows,
           rules: Mapping[str, str], login: str, changeset: str, report: dict,
           is_cancelled: IsCancelled) -> None:
    for change in changes:
        if is_cancelled is not None and is_cancelled():
            raise Cancelled(f"{package.path}: sync cancelled, nothing written")
        table = TABLES[change.table]
        row = theirs_rows[change.table].get(change.row_id)
        theirs = canonical(table, row) if row is not None else None
        theirs_deleted = row is not None and row.get("deleted_at") is not None
        base = package.base.get((change.table, change.row_id))
        merged = merge_row(change.table, change.base, bool(base and base["deleted"]),
                           change.mine, change.deleted, theirs, theirs_deleted, rules)
        conflicts = list(merged.conflicts)
        for name, rule in merged.ruled.items():
            report["ruled"].append({"table": change.table, "row_id": change.row_id,
                                    "field": name, "rule": rule})
        if merged.action:
            try:
                with server.transaction():  # a savepoint: a refused row leaves no trace
                    extra = _write(server, change, merged, row, login, report)
                    conflicts += extra
                faults.row_written()
                report["applied"] += 1
                report["sent"][{"insert": "insert", "update": "update",
                                "tombstone": "delete"}[merged.action]] += 1
            except ConflictError as exc:
                raise ServerMovedError(
                    f"{change.table} {change.code or change.row_id}: changed on the server "
                    f"while syncing ({exc}); nothing was written: sync again") from None
            except DatabaseError as exc:
                first = str(exc).strip().splitlines()[0]
                conflicts.append(Conflict(
                    "refused", sorted(merged.send) or ["deleted"],
                    change.base, readable(table, merged.send) if merged.send
                    else {"deleted": True}, None, f"refused by the server: {first}"))
        for conflict in conflicts:
            _record(server, package, change, conflict, login, changeset, report)


def _write(server: Database, change: LocalChange, merged, current: Optional[dict],
           login: str, report: dict) -> List[Conflict]:
    table = TABLES[change.table]
    out: List[Conflict] = []
    if merged.action == "insert":
        row = to_db(table, merged.send)
        row["id"] = change.row_id
        if "code" in table.column_names and row.get("code"):
            row["code"], clash = _final_code(server, change.table, change.row_id,
                                             row["code"], report)
            if clash:
                out.append(clash)
        row = _derive(server, change.table, row, None)
        server.insert(change.table, [row], user=login)
    elif merged.action == "update":
        values = _derive(server, change.table, to_db(table, merged.send), current)
        server.update(change.table, change.row_id, values, user=login,
                      revision=current["revision"])
    else:
        server.tombstone(change.table, change.row_id, user=login,
                         revision=current["revision"])
    return out


def _record(server: Database, package: Package, change: LocalChange, conflict: Conflict,
            login: str, changeset: str, report: dict) -> None:
    """Store a conflict (once: the same open conflict of a replica is not repeated)."""
    table = TABLES[change.table]
    mine = readable(table, conflict.mine) if conflict.mine else conflict.mine
    theirs = readable(table, conflict.theirs) if conflict.theirs else conflict.theirs
    base = readable(table, conflict.base) if conflict.base else conflict.base
    open_ones = server.fetch("sync_conflict", where={
        "replica_id": package.replica_id, "table_name": change.table,
        "row_id": change.row_id, "kind": conflict.kind, "status": "open"})
    same = [c for c in open_ones if c["fields"] == conflict.fields and c["mine"] == mine]
    entry = {"table": change.table, "row_id": change.row_id, "code": change.code,
             "kind": conflict.kind, "fields": conflict.fields, "message": conflict.message}
    if same:
        entry["id"] = same[0]["id"]
    else:
        entry["id"] = server.insert("sync_conflict", [{
            "changeset_id": changeset, "replica_id": package.replica_id,
            "package_name": package.name, "login": login, "created_at": now_iso(),
            "table_name": change.table, "row_id": change.row_id, "row_code": change.code,
            "kind": conflict.kind, "fields": conflict.fields, "base": base, "mine": mine,
            "theirs": theirs, "message": conflict.message}])[0]
    report["refused" if conflict.kind == "refused" else "conflicts"].append(entry)


def _final_state(server: Database, package: Package) -> Rows:
    """The server's rows (tombstones included) the package holds after this sync: its
    scope now, and every row it had."""
    rows = _server_rows(server)
    live = {t: {i: r for i, r in rows[t].items() if r.get("deleted_at") is None}
            for t in SYNC_TABLES}
    chosen = scopes.select(live, package.scope)
    held = {(t, i) for t, i in package.base}
    for t in SYNC_TABLES:
        held |= {(t, r[0]) for r in package.db._query(
            f'SELECT id FROM "{t}"')}  # noqa: S608 # nosec B608 # t from the schema (SYNC_TABLES)
    out: Rows = {t: {} for t in SYNC_TABLES}
    for t in SYNC_TABLES:
        for i in chosen[t]:
            out[t][i] = rows[t][i]
    for t, i in held:
        if i in rows.get(t, {}):
            out[t][i] = rows[t][i]
    return out


def _stamp(value) -> Any:
    """A date-time as both back-ends store it (PostGIS keeps microseconds, a package ms)."""
    return utc_iso(value) if value is not None else None


def _write_package(package: Package, final: Rows, entries: List[tuple], login: str,
                   changes: List[LocalChange], report: dict) -> None:
    ours = {(c.table, c.row_id) for c in changes}
    db = package.db
    for t in SYNC_TABLES:
        table = TABLES[t]
        current = {r["id"]: r for r in db.fetch(t, include_deleted=True)}
        todo = []
        for i, row in final[t].items():
            have = current.get(i)
            if have is not None and have.get("revision") == row.get("revision") \
                    and _stamp(have.get("updated_at")) == _stamp(row.get("updated_at")) \
                    and (have.get("deleted_at") is None) == (row.get("deleted_at") is None) \
                    and canonical(table, have) == canonical(table, row):
                continue
            todo.append(row)
            if (t, i) not in ours:
                kind = ("insert" if have is None else "delete"
                        if row.get("deleted_at") is not None else "update")
                report["received"][kind] += 1
        if todo:
            write_rows(db, table, todo, "server", login)
    write_base(db, entries, replace_all=True)
    db._execute("UPDATE db_meta SET value = ? WHERE key = 'package_base_change_id'",
                (str(report.get("base_change_id", package.meta["package_base_change_id"])),))
    db._execute("INSERT INTO db_meta (key, value) VALUES ('package_last_changeset', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (report["changeset"],))
