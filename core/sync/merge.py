"""Three-way, per-field merge of one row: base (what the package received), mine (the
package now), theirs (the server now). Pure: no database.

| base | mine | theirs | result |
|---|---|---|---|
| f | f | f | nothing |
| f | changed | f | send mine |
| f | f | changed | the package takes theirs |
| f | x | x | nothing to send (same value) |
| f | x | y | the field's rule (profile), else a conflict; the server keeps y |
| row | deleted | unchanged | tombstone on the server (its children with it) |
| row | deleted | changed | conflict (edit against delete); the server keeps its row |
| row | deleted | children new/changed | conflict (edit against delete); row, children kept |
| row | changed | deleted | conflict (edit against delete); the server keeps the tombstone |
| row | deleted | deleted | nothing |
| - | new row | - | insert on the server |
| - | new row under a parent | - , parent deleted | conflict (edit against delete); not inserted |
| - | new row under a row kept off | - | conflict (edit against delete); not inserted |
| - | new row | same id | per field: equal is nothing, else theirs kept and a conflict |

Children are the rows a row owns (``Column.parent``) and its attachments; the engine finds
them (:mod:`.children`): those the server added under a row after the package's base or
changed since (another revision) are edits the crew never saw, so a delete does not take
them with it; a row the package deletes whose delete is not written keeps its children in
the package's delete too (the engine leaves their tombstones out). Geometry is one field.
Every conflict keeps mine in the conflict record; both sides then hold the server's value
until a person resolves it, so nothing is lost and nothing is silently overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence

RULES = ("min", "max", "mine", "theirs", "newer")


@dataclass
class Conflict:
    kind: str  # "field", "edit_delete", "insert_insert", "code", "refused"
    fields: List[str]
    base: Optional[Dict[str, Any]]
    mine: Optional[Dict[str, Any]]
    theirs: Optional[Dict[str, Any]]
    message: str


@dataclass
class Merged:
    action: Optional[str] = None  # "insert", "update", "tombstone" on the server
    send: Dict[str, Any] = field(default_factory=dict)  # fields to write on the server
    ruled: Dict[str, str] = field(default_factory=dict)  # field -> rule that decided it
    conflicts: List[Conflict] = field(default_factory=list)


def rule_for(rules: Mapping[str, str], table: str, name: str) -> Optional[str]:
    return rules.get(f"{table}.{name}") or rules.get(f"{table}.*")


def _by_rule(rule: str, name: str, mine: Mapping[str, Any], theirs: Mapping[str, Any]):
    """(decided, value) for a field both sides changed to different values."""
    a, b = mine.get(name), theirs.get(name)
    if rule == "mine":
        return True, a
    if rule == "theirs":
        return True, b
    if rule in ("min", "max"):
        if a is None or b is None:
            return False, None
        return True, (min if rule == "min" else max)(a, b)
    if rule.startswith("newer:"):
        date = rule.split(":", 1)[1]
        da, db = mine.get(date), theirs.get(date)
        if da is None or db is None or da == db:
            return False, None
        return True, a if da > db else b
    return False, None


#: Fields a sync never carries from a package: a plan is submitted, approved and closed in
#: the office (``roadinfra plan status``, which records who and when), not on a tablet.
OFFICE_ONLY = {"maintenance_plan": ("status", "approved_at", "approved_by")}
#: What a plan made offline may hold in those fields.
OFFICE_DEFAULTS = {"status": "draft", "approved_at": None, "approved_by": None}


def merge_row(table: str, base: Optional[Mapping[str, Any]], base_deleted: bool,
              mine: Optional[Mapping[str, Any]], mine_deleted: bool,
              theirs: Optional[Mapping[str, Any]], theirs_deleted: bool,
              rules: Mapping[str, str], children: Sequence[str] = (),
              parent_deleted: Optional[str] = None) -> Merged:
    """What to do with one row (see the module's table). ``mine`` None: the package does
    not hold the row; ``theirs`` None: the server does not. ``children``: the server's
    rows under it added or changed since the base (labels); ``parent_deleted``: why a row
    made offline is kept off (:func:`.children.kept_off`: its parent, deleted on the server,
    or a row kept off it is under). Office-only fields
    (:data:`OFFICE_ONLY`) the package changed are not sent: a ``refused`` conflict."""
    out = _merge_row(table, base, base_deleted, mine, mine_deleted, theirs, theirs_deleted,
                     rules, children, parent_deleted)
    office = OFFICE_ONLY.get(table, ())
    if not office or out.action not in ("insert", "update"):
        return out
    if out.action == "insert":
        kept = [k for k in office if out.send.get(k) != OFFICE_DEFAULTS[k]]
    else:
        kept = [k for k in office if k in out.send]
    if kept:
        if out.action == "insert":  # the plan goes in as a draft
            out.send.update({k: OFFICE_DEFAULTS[k] for k in kept})
        else:
            for k in kept:
                del out.send[k]
            out.action = "update" if out.send else None
        out.conflicts.append(Conflict(
            "refused", kept, _pick(base, kept) if base else None, _pick(mine, kept),
            _pick(theirs, kept) if theirs else None,
            "a plan is submitted, approved and closed in the office (roadinfra plan status), "
            "not by a sync: these fields were not sent"))
    return out


def _merge_row(table: str, base: Optional[Mapping[str, Any]], base_deleted: bool,
               mine: Optional[Mapping[str, Any]], mine_deleted: bool,
               theirs: Optional[Mapping[str, Any]], theirs_deleted: bool,
               rules: Mapping[str, str], children: Sequence[str],
               parent_deleted: Optional[str]) -> Merged:
    out = Merged()
    if mine is None:
        return out
    if base is None:  # made offline
        if mine_deleted:
            return out
        if theirs is None and parent_deleted:
            keys = sorted(k for k, v in mine.items() if v is not None)
            out.conflicts.append(Conflict(
                "edit_delete", keys, None, _pick(mine, keys), {"deleted": True},
                f"made in the package under {parent_deleted}; not inserted"))
            return out
        if theirs is None:
            out.action = "insert"
            out.send = dict(mine)
            return out
        differ = sorted(k for k in mine if k != "code" and mine.get(k) != theirs.get(k))
        if differ:
            out.conflicts.append(Conflict(
                "insert_insert", differ, None, {k: mine.get(k) for k in differ},
                {k: theirs.get(k) for k in differ},
                "the server already has a row with this id and other values"))
        return out
    if theirs is None:  # the server lost the row: only a tombstone can do that
        theirs, theirs_deleted = base, True
    changed_mine = {k for k in mine if mine.get(k) != base.get(k)}
    changed_theirs = {k for k in theirs if theirs.get(k) != base.get(k)}
    if mine_deleted and not base_deleted:
        if theirs_deleted:
            return out
        if changed_theirs or children:
            keys = sorted(changed_theirs) or ["deleted"]
            said = "edited on the server" if changed_theirs else "kept on the server"
            if children:
                said += (" with its children added or changed there since: "
                         + ", ".join(children))
            out.conflicts.append(Conflict(
                "edit_delete", keys, _pick(base, keys) if changed_theirs else {"deleted": False},
                {"deleted": True},
                _pick(theirs, keys) if changed_theirs else {"deleted": False},
                f"deleted in the package, {said}"))
            return out
        out.action = "tombstone"
        return out
    if theirs_deleted and not base_deleted:
        if changed_mine:
            keys = sorted(changed_mine)
            out.conflicts.append(Conflict(
                "edit_delete", keys, _pick(base, keys), _pick(mine, keys),
                {"deleted": True}, "edited in the package, deleted on the server"))
        return out
    conflicting = []
    for name in sorted(changed_mine):
        a, b = mine.get(name), theirs.get(name)
        if name not in changed_theirs:
            out.send[name] = a
        elif a == b:
            continue
        else:
            rule = rule_for(rules, table, name)
            decided, value = _by_rule(rule, name, mine, theirs) if rule else (False, None)
            if decided:
                out.ruled[name] = rule
                if value != b:
                    out.send[name] = value
            else:
                conflicting.append(name)
    if conflicting:
        out.conflicts.append(Conflict(
            "field", conflicting, _pick(base, conflicting), _pick(mine, conflicting),
            _pick(theirs, conflicting), "changed in the package and on the server"))
    if out.send:
        out.action = "update"
    return out


def _pick(values: Mapping[str, Any], keys: List[str]) -> Dict[str, Any]:
    return {k: values.get(k) for k in keys}
