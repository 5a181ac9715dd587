"""Rows of a table that refer to rows of the same table are written after them."""

from roadinfra.core.schema import TABLES
from roadinfra.core.sync.package import referenced_first


def test_a_plan_revision_comes_after_the_plan_it_revises():
    plan = TABLES["maintenance_plan"]
    r3 = {"id": "c", "revision_of": "b"}
    r2 = {"id": "b", "revision_of": "a"}
    r1 = {"id": "a", "revision_of": None}
    other = {"id": "d", "revision_of": "elsewhere"}  # refers to a row not written here
    ordered = [row["id"] for row in referenced_first(plan, [r3, other, r2, r1])]
    assert sorted(ordered) == ["a", "b", "c", "d"]
    assert ordered.index("a") < ordered.index("b") < ordered.index("c")


def test_a_table_without_self_reference_keeps_its_order():
    rows = [{"id": "x"}, {"id": "y"}]
    assert referenced_first(TABLES["bridge"], rows) == rows
