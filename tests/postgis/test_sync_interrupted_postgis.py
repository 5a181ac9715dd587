"""Interrupted syncs on a real PostGIS provincial database: a sync that left the package's
base as it was (nothing to send) or held only a conflict, killed after the server
committed while the office wrote elsewhere, completes on the next sync."""

import pytest

from tests.support.sync_interrupted import same_base_killed


@pytest.mark.parametrize("conflict", [False, True], ids=["nothing_sent", "only_a_conflict"])
def test_a_sync_that_left_the_base_killed_after_the_server_committed_completes(
        province, tmp_path, conflict):
    same_base_killed(province, tmp_path, conflict)
