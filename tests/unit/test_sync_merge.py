"""The three-way merge table, cell by cell (pure: no database)."""

import dataclasses

import pytest
from roadinfra.core.profile import load_profile
from roadinfra.core.sync.errors import SyncError
from roadinfra.core.sync.merge import merge_row
from roadinfra.core.sync.rules import merge_rules

BASE = {"name": "Cầu Đồng Xá", "spans": 3, "load_posting_t": 18.0, "geom": "0101", "notes": None}


def merge(mine, theirs, base=BASE, mine_del=False, theirs_del=False, base_del=False,
          rules=None, table="bridge", **family):
    return merge_row(table, base, base_del, mine, mine_del, theirs, theirs_del, rules or {},
                     **family)


def test_unchanged_on_both_sides_does_nothing():
    out = merge(dict(BASE), dict(BASE))
    assert out.action is None and not out.send and not out.conflicts


def test_changed_in_the_package_only_is_sent():
    out = merge(dict(BASE, spans=4), dict(BASE))
    assert out.action == "update" and out.send == {"spans": 4} and not out.conflicts


def test_changed_on_the_server_only_sends_nothing():
    out = merge(dict(BASE), dict(BASE, spans=5))
    assert out.action is None and not out.conflicts


def test_both_to_the_same_value_is_no_conflict():
    out = merge(dict(BASE, spans=4), dict(BASE, spans=4))
    assert out.action is None and not out.conflicts


def test_both_to_different_values_is_a_conflict_per_field():
    out = merge(dict(BASE, spans=4, name="Cầu mới"), dict(BASE, spans=5, name="Cầu mới"))
    assert out.action is None
    [c] = out.conflicts
    assert (c.kind, c.fields, c.base, c.mine, c.theirs) == (
        "field", ["spans"], {"spans": 3}, {"spans": 4}, {"spans": 5})


def test_different_fields_changed_on_each_side_merge():
    out = merge(dict(BASE, spans=4), dict(BASE, name="Cầu Đồng Xá 2"))
    assert out.send == {"spans": 4} and not out.conflicts


def test_geometry_is_one_field():
    out = merge(dict(BASE, geom="0102"), dict(BASE, geom="0103"))
    assert out.conflicts[0].fields == ["geom"]


def test_null_is_a_value_like_any_other():
    assert merge(dict(BASE, notes="nứt dầm"), dict(BASE)).send == {"notes": "nứt dầm"}
    out = merge(dict(BASE, name=None), dict(BASE, name="Cầu khác"))
    assert out.conflicts[0].mine == {"name": None}
    assert merge(dict(BASE, spans=None), dict(BASE, spans=None)).action is None


def test_deleted_in_the_package_unchanged_on_the_server_is_a_tombstone():
    assert merge(dict(BASE), dict(BASE), mine_del=True).action == "tombstone"


def test_deleted_in_the_package_edited_on_the_server_is_a_conflict():
    out = merge(dict(BASE), dict(BASE, spans=5), mine_del=True)
    assert out.action is None
    assert out.conflicts[0].kind == "edit_delete" and out.conflicts[0].mine == {"deleted": True}


def test_deleted_in_the_package_with_children_new_on_the_server_is_a_conflict():
    news = ["inspection 5c1e added", "component_rating 77aa changed"]
    out = merge(dict(BASE), dict(BASE), mine_del=True, children=news)
    assert out.action is None
    [conflict] = out.conflicts
    assert conflict.kind == "edit_delete" and conflict.fields == ["deleted"]
    assert conflict.mine == {"deleted": True} and conflict.theirs == {"deleted": False}
    assert all(n in conflict.message for n in news)
    edited = merge(dict(BASE), dict(BASE, spans=5), mine_del=True, children=news)
    assert edited.conflicts[0].fields == ["spans"] and news[0] in edited.conflicts[0].message
    gone = merge(dict(BASE), dict(BASE), mine_del=True, theirs_del=True, children=news)
    assert gone.action is None and not gone.conflicts  # deleted on both sides


def test_row_made_offline_under_a_parent_deleted_on_the_server_is_a_conflict():
    out = merge(dict(BASE), None, base=None,
                parent_deleted="bridge BR-339-004, deleted on the server")
    assert out.action is None
    [conflict] = out.conflicts
    assert conflict.kind == "edit_delete" and conflict.theirs == {"deleted": True}
    assert "bridge BR-339-004" in conflict.message and "deleted on the server" in conflict.message
    assert conflict.mine["spans"] == 3 and "notes" not in conflict.fields  # NULLs left out


def test_edited_in_the_package_deleted_on_the_server_is_a_conflict():
    out = merge(dict(BASE, spans=4), dict(BASE), theirs_del=True)
    assert out.action is None
    assert out.conflicts[0].kind == "edit_delete" and out.conflicts[0].theirs == {"deleted": True}


def test_unchanged_in_the_package_deleted_on_the_server_takes_the_tombstone():
    out = merge(dict(BASE), dict(BASE), theirs_del=True)
    assert out.action is None and not out.conflicts


def test_deleted_on_both_sides_does_nothing():
    out = merge(dict(BASE), dict(BASE), mine_del=True, theirs_del=True)
    assert out.action is None and not out.conflicts


def test_row_made_offline_is_inserted():
    out = merge(dict(BASE), None, base=None)
    assert out.action == "insert" and out.send == BASE


def test_row_made_offline_and_deleted_offline_sends_nothing():
    assert merge(dict(BASE), None, base=None, mine_del=True).action is None


def test_row_made_offline_already_on_the_server_is_a_replay_not_a_second_insert():
    out = merge(dict(BASE, code="BR-1"), dict(BASE, code="BR-340-099"), base=None)
    assert out.action is None and not out.conflicts  # the server's final code
    out = merge(dict(BASE, spans=9), dict(BASE), base=None)
    assert out.conflicts[0].kind == "insert_insert"


def test_rules_decide_what_both_sides_changed():
    rules = {"bridge.load_posting_t": "min", "inspection.*": "newer:inspection_date"}
    out = merge(dict(BASE, load_posting_t=30.0), dict(BASE, load_posting_t=13.0), rules=rules)
    assert out.action is None and out.ruled == {"load_posting_t": "min"}  # never raised
    out = merge(dict(BASE, load_posting_t=10.0), dict(BASE, load_posting_t=13.0), rules=rules)
    assert out.send == {"load_posting_t": 10.0}
    base = {"inspection_date": "2025-01-01", "overall_rating": 6}
    mine = {"inspection_date": "2025-06-02", "overall_rating": 5}
    theirs = {"inspection_date": "2025-03-01", "overall_rating": 7}
    out = merge(mine, theirs, base=base, rules=rules, table="inspection")
    assert out.send == mine and not out.conflicts
    out = merge(theirs, mine, base=base, rules=rules, table="inspection")
    assert out.action is None and not out.conflicts  # the server's is newer: kept


def test_profile_rules_are_checked():
    rules = merge_rules(load_profile())
    assert rules["bridge.load_posting_t"] == "min"
    profile = dataclasses.replace(load_profile(), data={"sync": {"rules": {"bridge.nope": "min"}}})
    with pytest.raises(SyncError, match=r"bridge.nope"):
        merge_rules(profile)


def test_a_plan_status_is_never_carried_by_a_sync():
    """Approving, submitting or closing a plan is the office's (roadinfra plan status): a
    package's change of those fields is a `refused` conflict, the rest of the row goes."""
    base = {"name": "KH 2027", "status": "draft", "approved_at": None, "approved_by": None}
    mine = dict(base, name="KH 2027 (tổ)", status="approved")
    out = merge_row("maintenance_plan", base, False, mine, False, dict(base), False, {})
    assert (out.action, out.send) == ("update", {"name": "KH 2027 (tổ)"})
    [refused] = out.conflicts
    assert (refused.kind, refused.fields, refused.mine) == ("refused", ["status"],
                                                            {"status": "approved"})
    only = merge_row("maintenance_plan", base, False, dict(base, status="closed"), False,
                     dict(base), False, {})
    assert only.action is None and only.send == {} and only.conflicts[0].fields == ["status"]
    made = merge_row("maintenance_plan", None, False,
                     dict(base, status="approved", approved_by="tổ 3"), False, None, False, {})
    assert made.action == "insert" and made.send["status"] == "draft"
    assert made.send["approved_by"] is None
    assert made.conflicts[0].fields == ["status", "approved_by"]
    item = merge_row("plan_item", {"status": "planned"}, False, {"status": "done"}, False,
                     {"status": "planned"}, False, {})
    assert item.send == {"status": "done"} and item.conflicts == []
