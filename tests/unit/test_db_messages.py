"""``roadinfra db info|upgrade`` on damaged, foreign, newer or read-only databases and on
malformed connection strings: one clear line, exit 2, no traceback, nothing changed."""

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # repository root: tests.support

from roadinfra.core.cli import main  # noqa: E402
from roadinfra.core.db import create_database  # noqa: E402
from roadinfra.core.sample_data import _build_lock, remove_stale_builds  # noqa: E402
from roadinfra.core.schema import SCHEMA_VERSION  # noqa: E402

from tests.support.rows import example_rows, rid  # noqa: E402


def run(capsys, *argv):
    """(exit code, stdout, stderr) of ``roadinfra db ...``."""
    code = main(["db", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, err, *fragments):
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for fragment in fragments:
        assert fragment in err, err


def set_meta(path, key, value):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE db_meta SET value = ? WHERE key = ?", (value, key))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("value", ["abc", "0", "-1", "", "3.5"])
@pytest.mark.parametrize("action", ["info", "upgrade"])
def test_a_schema_version_that_is_not_one(tmp_path, capsys, value, action):
    path = tmp_path / "tb.gpkg"
    create_database(path).close()
    set_meta(path, "schema_version", value)
    before = path.read_bytes()
    code, _, err = run(capsys, action, str(path))
    assert_one_line_error(code, err, str(path), "schema_version", "not a schema version")
    assert path.read_bytes() == before


@pytest.mark.parametrize("toml, problem", [
    ("this is = = not toml", "not a valid RoadInfra profile"),
    ("[profile]\nid = 'x'\n", "not a valid RoadInfra profile"),  # no [crs], no districts
    ("[profile]\nid = 'x'\n[crs]\nepsg = 'abc'\n[[districts]]\ncode = '336'\n",
     "not a valid RoadInfra profile"),
])
def test_an_invalid_stored_profile(tmp_path, capsys, toml, problem):
    path = tmp_path / "tb.gpkg"
    create_database(path).close()
    set_meta(path, "profile_toml", toml)
    for action in ("info", "upgrade"):
        code, _, err = run(capsys, action, str(path))
        assert_one_line_error(code, err, str(path), "profile_toml", problem)


def test_a_newer_database_asks_for_a_newer_roadinfra_not_an_upgrade(tmp_path, capsys):
    path = tmp_path / "tb.gpkg"
    create_database(path).close()
    set_meta(path, "schema_version", "99")
    code, out, err = run(capsys, "info", str(path))
    assert code == 0, err
    assert f"schema version 99 (newer than this RoadInfra's {SCHEMA_VERSION}: update " \
           "RoadInfra to use it)" in out
    assert "db upgrade" not in out
    code, _, err = run(capsys, "upgrade", str(path))
    assert_one_line_error(code, err, "schema version 99 is newer", "update RoadInfra")


def test_a_damaged_geopackage_is_reported_by_upgrade_and_info(tmp_path, capsys):
    path = tmp_path / "tb.gpkg"
    db = create_database(path)
    rows = example_rows()
    with db.transaction():
        for name in ("admin_unit", "route", "load_station"):
            db.insert(name, [rows[name]])
        record = rows["weighing_record"]
        record = {k: v for k, v in record.items() if k != "id"}
        db.insert("weighing_record", [dict(record) for _ in range(4000)])
    db.close()
    size = path.stat().st_size
    assert size > 1_000_000
    data = bytearray(path.read_bytes())
    noise = random.Random(9).randbytes(200_000)
    start = size // 2 - 100_000
    data[start:start + len(noise)] = noise
    path.write_bytes(bytes(data))
    for action in ("upgrade", "info"):
        code, out, err = run(capsys, action, str(path))
        assert_one_line_error(code, err, str(path), "damaged", "quick_check")
        assert "already at schema version" not in out
    assert path.read_bytes() == bytes(data)


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("runuser"),
                    reason="needs root to run the CLI as another user")
def test_a_read_only_old_database(capsys):
    # root may write any file: the CLI runs as 'nobody' on a file it can read, not write
    folder = Path(tempfile.mkdtemp(prefix="ri-readonly-"))
    try:
        os.chmod(folder, 0o755)
        path = folder / "old.gpkg"
        db = create_database(path, version=1)
        db.insert("route", [example_rows()["route"]])
        db.close()
        os.chmod(path, 0o644)
        before = path.read_bytes()
        cli = [sys.executable, "-c", "import sys; from roadinfra.core.cli import main; "
               "sys.exit(main(sys.argv[1:]))"]
        info = subprocess.run(["runuser", "-u", "nobody", "--", *cli, "db", "info", str(path)],
                              capture_output=True, text=True, cwd="/", timeout=120)
        assert info.returncode == 0, info.stderr
        assert "run roadinfra db upgrade" in info.stdout and "route" in info.stdout
        up = subprocess.run(["runuser", "-u", "nobody", "--", *cli, "db", "upgrade", str(path)],
                            capture_output=True, text=True, cwd="/", timeout=120)
        assert_one_line_error(up.returncode, up.stderr, str(path), "read-only",
                              "copy the file to a folder you can write")
        assert path.read_bytes() == before
    finally:
        shutil.rmtree(folder)


@pytest.mark.parametrize("target", [
    "postgresql://road:s3cret@127.0.0.1:notaport/roadinfra",
    "postgresql://road:s3cret@[::1/roadinfra",
    "postgresql://127.0.0.1:1/roadinfra?sslmode=sometimes&password=s3cret",
    "service='unterminated password=s3cret",
    "service=x y=",
])
@pytest.mark.parametrize("action", ["info", "upgrade"])
def test_a_malformed_connection_string(capsys, target, action):
    code, _, err = run(capsys, action, target)
    assert_one_line_error(code, err)
    assert "s3cret" not in err
    assert "connect" in err or "connection string" in err


def test_killed_demo_builds_leave_nothing_behind(tmp_path):
    target = tmp_path / "thai_binh.gpkg"
    target.write_bytes(b"the current database")
    stale = [tmp_path / ".thai_binh-k1ll3d_.gpkg", tmp_path / ".thai_binh-k1ll3d_.gpkg-journal",
             tmp_path / ".thai_binh-0rphan.gpkg-wal"]
    for leftover in stale:
        leftover.write_bytes(b"left by a killed build")
    kept = [tmp_path / ".thai_binh-notes.txt", tmp_path / ".other-k1ll3d_.gpkg", target]
    for other in kept[:2]:
        other.write_bytes(b"not ours")
    # without the folder lock (Windows) only old leftovers count as stale
    old = time.time() - 2 * 3600
    os.utime(stale[0], (old, old))
    assert remove_stale_builds(target, exclusive=False) == [stale[0]]
    with _build_lock(tmp_path) as exclusive:
        assert exclusive
        assert sorted(remove_stale_builds(target, exclusive)) == sorted(stale[1:])
    assert all(p.exists() for p in kept)


def test_the_next_demo_run_removes_stale_temporary_files(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    leftovers = [out / ".thai_binh-a1b2c3d4.gpkg", out / ".thai_binh-a1b2c3d4.gpkg-journal"]
    for leftover in leftovers:
        leftover.write_bytes(b"\0" * 1024)
    assert main(["demo", "--output", str(out), "--json", "--no-plan"]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == ["summary.json", "thai_binh.gpkg"]
    assert rid("bridge")  # the demo's own rows are checked by test_demo.py
