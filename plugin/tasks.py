"""Background work in the QGIS desktop, one way for every panel and dialog: a
:class:`WorkTask` runs ``work(progress=..., is_cancelled=...)`` (a core entry point) as a
``QgsTask`` (QGIS's task bar shows its progress and cancels it) and hands itself to ``done``
in the main thread; :func:`start_task` starts it."""

from __future__ import annotations

import traceback
from typing import Callable

from qgis.core import QgsApplication, QgsTask
from qgis.PyQt.QtCore import QTimer

from ..core.errors import Cancelled, RoadInfraError
from .log import log


class WorkTask(QgsTask):
    """Runs ``work(progress=..., is_cancelled=...)``; afterwards ``result`` holds what it
    returned, ``error`` the error it raised, ``cancelled`` whether it was cancelled;
    ``done(task)`` is called in the main thread (``ok``: the task ran to its end).

    ``expected`` are the errors a user can fix (kept as ``error``); any other exception is a
    bug, logged with its traceback and kept as ``error`` too."""

    def __init__(self, description: str, work: Callable, done: Callable,
                 expected: tuple = (RoadInfraError,)):
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.work = work
        self.done = done
        self.expected = expected
        self.result = None
        self.error: Exception | None = None
        self.cancelled = False
        self.ok = False

    def run(self) -> bool:
        try:
            self.result = self.work(progress=self.setProgress, is_cancelled=self.isCanceled)
        except Cancelled:
            self.cancelled = True
            return False
        except self.expected as exc:
            self.error = exc
            return False
        except Exception as exc:  # noqa: BLE001 - a bug: said, logged with its traceback
            log(f"{self.description()}: {traceback.format_exc()}", "critical")
            self.error = exc
            return False
        return True

    def finished(self, result: bool) -> None:  # noqa: N802 - QgsTask API, main thread
        self.ok = bool(result)
        self.done(self)


def start_task(task: QgsTask, in_main_thread: bool = False) -> QgsTask:
    """Give ``task`` to QGIS's task manager; with ``in_main_thread``, run it in the main
    thread instead, as soon as control returns to the event loop (``finished`` called as the
    task manager does), for work that must not run in a task thread."""
    if in_main_thread:
        QTimer.singleShot(0, lambda: task.finished(task.run()))
    else:
        QgsApplication.taskManager().addTask(task)
    return task
