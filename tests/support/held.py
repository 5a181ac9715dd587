"""Work in threads held at known points, for tests of transactions at the same time: one
side holds its transaction open, the other is started and awaited until it finished or
waits for a lock (``pg_locks``): deterministic, no timing."""

from __future__ import annotations

import threading

from tests.support.pg import sql


class Held(threading.Thread):
    """``work(thread)`` in a thread that stops where it calls :meth:`pause` (or where a
    test's fault point calls it) until :meth:`release`; its result or error kept."""

    def __init__(self, work, hold=None):
        super().__init__(daemon=True)
        self.work, self.hold = work, hold
        self.paused, self.go = threading.Event(), threading.Event()
        self.result = self.error = None

    def pause(self):
        self.paused.set()
        assert self.go.wait(120)

    def release(self):
        self.go.set()
        self.join(120)
        assert not self.is_alive()

    def run(self):
        try:
            self.result = self.work(self)
        except BaseException as exc:  # kept for the test to look at
            self.error = exc
        finally:
            self.paused.set()


def start_held(work, hold=None) -> Held:
    """``work`` in a thread, until it pauses (or ends); it must not have failed."""
    thread = Held(work, hold)
    thread.start()
    assert thread.paused.wait(300)
    assert thread.error is None, thread.error
    return thread


def lock_waits(url) -> int:
    """How many lock requests wait in the database server of ``url``."""
    return sql(url, "SELECT count(*) FROM pg_locks WHERE NOT granted")[0][0]


def run_against(url, work) -> Held:
    """``work`` in a thread, until it finished, paused, or waits for a lock another holds."""
    thread = Held(work)
    thread.start()
    while not thread.paused.is_set():
        if lock_waits(url):
            return thread
        thread.paused.wait(0.05)
    return thread
