"""PostGIS tier: a throwaway cluster per session, a fresh PostGIS database per test."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # repository root: tests.support

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
