"""``roadinfra print`` from PostGIS: the sample province loaded into a throw-away PostGIS
database, a plan built there, and the atlas printed headless by the CLI (a QGIS process of
its own), read back page by page like the GeoPackage atlas of tests/qgis/test_plan_atlas.py."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from roadinfra.core.db import create_database
from roadinfra.core.planning.store import build_plan
from roadinfra.core.printing.plan_sheets import plan_atlas
from roadinfra.core.sample_data import load_sample_data

from tests.support.atlas_pdf import check_atlas_pdf, plan_items

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdfinfo", "pdftotext", "pdffonts")),
    reason="poppler-utils not installed")


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "roadinfra.core.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)


def test_cli_prints_the_atlas_from_postgis(pg_database, tmp_path):
    with create_database(pg_database) as db:
        load_sample_data(db)
    _, info = build_plan(pg_database, 30e9, 2027, 3, method="greedy")
    pdf = tmp_path / "atlas.pdf"
    done = _cli("print", "--db", pg_database, "--plan", info["code"], "--by", "area",
                "--out", pdf)
    assert done.returncode == 0, done.stderr
    assert "printing" in done.stderr and "100.0 %" in done.stderr   # progress
    atlas = plan_atlas(pg_database, info["code"], "area", "vi", rows_per_sheet=14,
                       wrap_chars=25)
    assert f"{atlas.sheet_count} sheets" in done.stdout
    check_atlas_pdf(pdf, atlas, "a3", plan_items(pg_database, info["plan_id"]))


def test_cli_errors_are_one_line_before_qgis_starts(pg_database, tmp_path):
    with create_database(pg_database) as db:
        load_sample_data(db)
    done = _cli("print", "--db", pg_database, "--plan", "latest", "--out", tmp_path / "a.pdf")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "no maintenance plan is stored" in done.stderr
    assert not (tmp_path / "a.pdf").exists()
