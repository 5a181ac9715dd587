"""Per-field merge rules from the profile's ``[sync.rules]`` (``"table.field"`` or
``"table.*"`` = ``min`` | ``max`` | ``mine`` | ``theirs`` | ``newer:<date field>``)."""

from __future__ import annotations

from typing import Dict

from ..profile import Profile
from ..schema.tables import TABLES
from .errors import SyncError
from .merge import RULES, rule_for


def merge_rules(profile: Profile | None) -> Dict[str, str]:
    data = ((profile.data if profile else {}) or {}).get("sync", {}).get("rules", {})
    out = {}
    for key, rule in data.items():
        table, _, name = str(key).partition(".")
        kind = str(rule).split(":", 1)[0]
        ok = table in TABLES and (name == "*" or name in TABLES[table].column_names
                                  or name == "geom")
        if ok and kind == "newer":
            ok = str(rule).split(":", 1)[-1] in TABLES[table].column_names
        if not ok or kind not in RULES:
            raise SyncError(f"profile [sync.rules] {key} = {rule!r}: give table.field (or "
                            "table.*) = min, max, mine, theirs or newer:<date field>")
        out[str(key)] = str(rule)
    return out


def rule_bounds(rules: Dict[str, str]) -> Dict[str, Dict[str, str]]:
    """table -> field -> its ``min`` or ``max`` rule: a value derived in a merge (a sync, a
    resolve) never crosses the merged one (``derive_row(bounds=)``)."""
    out: Dict[str, Dict[str, str]] = {}
    for name, spec in TABLES.items():
        found = {f: r for f in spec.column_names if (r := rule_for(rules, name, f)) in RULES[:2]}
        if found:
            out[name] = found
    return out
