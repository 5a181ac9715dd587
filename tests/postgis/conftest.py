"""PostGIS tier: a throwaway cluster per session, a fresh PostGIS database per test."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # repository root: tests.support

from roadinfra.core.db import create_database  # noqa: E402
from roadinfra.core.sample_data import load_sample_data  # noqa: E402

from tests.support.pgcluster import PgCluster  # noqa: E402


@pytest.fixture(scope="session")
def pg_server():
    cluster = PgCluster()
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_database(pg_server):
    """URL of a fresh, empty database with the postgis extension."""
    return pg_server.new_database()


@pytest.fixture
def province(pg_database):
    """URL of a fresh database holding the sample province (the sync tests start there)."""
    with create_database(pg_database) as db:
        load_sample_data(db)
    return pg_database
