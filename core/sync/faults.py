"""Kill points for the crash tests: the sync process kills itself (SIGKILL, no clean-up)
at the named point when ``ROADINFRA_SYNC_KILL_AT`` names it (``row:N``: before the N-th
row written on the server). Unset, every point is a no-op."""

from __future__ import annotations

import os
import signal

ENV = "ROADINFRA_SYNC_KILL_AT"
POINTS = ("read", "server_locked", "photos_to_server", "photos_to_package", "before_server_commit",
          "after_server_commit", "package_written", "after_package_commit")
_rows = [0]


def point(name: str) -> None:
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def row_written() -> None:
    wanted = os.environ.get(ENV, "")
    if wanted.startswith("row:"):
        _rows[0] += 1
        if str(_rows[0]) == wanted[4:]:
            os.kill(os.getpid(), signal.SIGKILL)
