"""An R-tree filled in one pass (core/db/rtree_fill.py) is the R-tree SQLite builds entry
by entry: the same stored boxes, the same answers to window queries, SQLite's own
rtreecheck() passes, and later inserts and deletes through the R-tree module work."""

import random
import sqlite3

import numpy as np
import pytest
from roadinfra.core.db.rtree_fill import fill_rtree
from roadinfra.core.schema.ddl_gpkg import rtree_fill_sql

WINDOW = ("SELECT id FROM r WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ? "
          "ORDER BY id")


def _rtree():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy)")
    return conn


def _entries(count, rng):
    out = []
    for i in range(1, count + 1):
        x, y = rng.uniform(-1e6, 1e6), rng.uniform(-3e5, 2.5e6)
        w = rng.choice([0.0, 0.0, rng.uniform(0, 500), 1e-7])
        out.append((i * 3, x, x + w, y, y + w / 2))
    return out


def _check(conn):
    return conn.execute("SELECT rtreecheck('r')").fetchone()[0]


@pytest.mark.parametrize("count", [1, 50, 51, 52, 700, 6000])
def test_a_filled_rtree_is_the_rtree_sqlite_builds(count):
    rng = random.Random(count)
    entries = _entries(count, rng)
    theirs, ours = _rtree(), _rtree()
    theirs.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?)", entries)
    ours.execute("BEGIN")
    fill_rtree(ours, rtree_fill_sql("r"), [e[0] for e in entries],
               np.array([e[1:] for e in entries]))
    ours.execute("COMMIT")
    everything = "SELECT * FROM r ORDER BY id"
    assert ours.execute(everything).fetchall() == theirs.execute(everything).fetchall()
    assert _check(ours) == "ok"
    depth = int.from_bytes(ours.execute("SELECT data FROM r_node WHERE nodeno = 1")
                           .fetchone()[0][:2], "big")
    assert depth == (0 if count <= 51 else 1 if count <= 51 * 51 else 2)
    for _ in range(40):
        x, y = rng.uniform(-1e6, 1e6), rng.uniform(-3e5, 2.5e6)
        window = (x + 2e5, x, y + 3e5, y)
        assert ours.execute(WINDOW, window).fetchall() == \
            theirs.execute(WINDOW, window).fetchall()
    for conn in (theirs, ours):  # then edited through SQLite's R-tree module
        conn.executemany("DELETE FROM r WHERE id = ?", [(e[0],) for e in entries[::3]])
        conn.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?)",
                         [(10**7 + i, i, i + 1.5, -i, -i + 1) for i in range(300)])
    assert ours.execute(everything).fetchall() == theirs.execute(everything).fetchall()
    assert _check(ours) == "ok"


def test_bounds_are_rounded_outwards_as_sqlite_rounds_them():
    values = [0.1, -0.1, 1e-30, -1e-30, 123456.789, -98765.4321, 2.0**-149, 3.4e38, 7.0]
    entries = [(i, v, v, -v, -v) if v >= 0 else (i, v, -v, v, -v)
               for i, v in enumerate(values, 1)]
    theirs, ours = _rtree(), _rtree()
    theirs.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?)",
                       [(i, a, b, min(c, d), max(c, d)) for i, a, b, c, d in entries])
    fill_rtree(ours, rtree_fill_sql("r"), [e[0] for e in entries],
               np.array([(a, b, min(c, d), max(c, d)) for _, a, b, c, d in entries]))
    everything = "SELECT * FROM r ORDER BY id"
    assert ours.execute(everything).fetchall() == theirs.execute(everything).fetchall()


def test_nothing_to_fill_leaves_the_rtree_empty():
    conn = _rtree()
    fill_rtree(conn, rtree_fill_sql("r"), [], np.empty((0, 4)))
    assert conn.execute("SELECT count(*) FROM r").fetchone()[0] == 0
    assert _check(conn) == "ok"


@pytest.mark.parametrize("bad", [(np.nan,) * 4, (1.0, np.nan, 2.0, 3.0),
                                 (-np.inf, np.inf, 0.0, 1.0)])
def test_bounds_not_all_finite_get_no_entry_and_hide_no_other(bad):
    """An empty geometry's bounds (NaN under shapely 2) among 1,000 entries: it has no
    entry (as GeoPackage's triggers skip an empty geometry) and every other is found."""
    rng = random.Random(7)
    entries = _entries(1000, rng)
    at = 400
    ids = [e[0] for e in entries]
    boxes = np.array([e[1:] for e in entries])
    boxes[at] = bad
    conn = _rtree()
    conn.execute("BEGIN")
    fill_rtree(conn, rtree_fill_sql("r"), ids, boxes)
    conn.execute("COMMIT")
    assert _check(conn) == "ok"
    everything = (1e7, -1e7, 1e7, -1e7)
    found = [r[0] for r in conn.execute(WINDOW, everything)]
    assert found == sorted(ids[:at] + ids[at + 1:])
    for e in entries[:: 50]:  # each one in a window of its own
        if e[0] != ids[at]:
            assert e[0] in [r[0] for r in conn.execute(WINDOW, (e[2], e[1], e[4], e[3]))]


def test_only_bounds_not_finite_leave_the_rtree_empty():
    conn = _rtree()
    fill_rtree(conn, rtree_fill_sql("r"), [1, 2], np.array([(np.nan,) * 4, (np.nan,) * 4]))
    assert conn.execute("SELECT count(*) FROM r").fetchone()[0] == 0
    assert _check(conn) == "ok"


def test_bounds_beyond_32_bit_floats_are_stored_without_warnings():
    """Coordinates beyond the 32-bit range are stored as SQLite stores them (±inf or the
    largest float), silently: no numpy overflow warning."""
    import warnings

    entries = [(1, 1e39, 1e39, -1e39, -1e39), (2, 1.7e308, 1.7e308, 5.0, 6.0),
               (3, 1.0, 2.0, 3.0, 4.0)]
    theirs, ours = _rtree(), _rtree()
    theirs.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?)", entries)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fill_rtree(ours, rtree_fill_sql("r"), [e[0] for e in entries],
               np.array([e[1:] for e in entries]))
    everything = "SELECT * FROM r ORDER BY id"
    assert ours.execute(everything).fetchall() == theirs.execute(everything).fetchall()
    assert _check(ours) == "ok"
