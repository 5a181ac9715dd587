"""The steps of the *Cadastre* dialog as background work: each is a function of ``progress``
and ``is_cancelled`` that calls one core entry point (the same as ``roadinfra cadastre`` and
the Processing algorithms), run by a :class:`CadastreTask` (QGIS's task bar shows its
progress and cancels it)."""

from __future__ import annotations

import traceback
from functools import partial
from typing import Callable

from qgis.core import Qgis, QgsTask

from ...core.cadastre.check import FileCheck, check_parcels
from ...core.cadastre.importer import ImportResult, import_parcels
from ...core.cadastre.outputs import write_tables
from ...core.cadastre.overlay import OverlayResult, overlay_corridors
from ...core.errors import Cancelled, RoadInfraError
from ...core.qgis_worker import run_worker
from ..log import log
from .inputs import overlay_inputs, overlay_tables

#: QGIS 3.40 (Debian 13: pyproj 3.7, PROJ 9.6): a second cadastre task's first pyproj CRS in
#: a task thread crashed the process (a segmentation fault inside pyproj, also with pyproj's
#: global context); there the dialog runs its steps in the main thread, QGIS waiting for each.
IN_MAIN_THREAD = Qgis.versionInt() >= 33400


class CadastreTask(QgsTask):
    """Runs ``work(progress=..., is_cancelled=...)``; afterwards ``result`` holds what it
    returned, ``error`` the RoadInfraError it raised, ``cancelled`` whether it was cancelled;
    ``done(task)`` is called in the main thread (``ok``: the task ran to its end)."""

    def __init__(self, description: str, work: Callable, done: Callable):
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.work = work
        self.done = done
        self.result = None
        self.error: RoadInfraError | None = None
        self.cancelled = False
        self.ok = False

    def run(self) -> bool:
        try:
            self.result = self.work(progress=self.setProgress, is_cancelled=self.isCanceled)
        except Cancelled:
            self.cancelled = True
            return False
        except RoadInfraError as exc:
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


def _check(read, profile, progress=None, is_cancelled=None) -> FileCheck:
    return check_parcels(read(), profile, progress=progress, is_cancelled=is_cancelled)


def check_work(read: Callable, profile) -> Callable:
    """Read the parcels (``read()``, see :func:`.inputs.parcel_reader`) and check them."""
    return partial(_check, read, profile)


def _import(read, target, edition, user, progress=None, is_cancelled=None) -> ImportResult:
    return import_parcels(target, read(), edition=edition, user=user, progress=progress,
                          is_cancelled=is_cancelled)


def import_work(read: Callable, target: str, edition: str | None, user: str | None = None):
    """Read the parcels and import them into ``target`` (refused before writing when they
    lie outside the province)."""
    return partial(_import, read, target, edition, user)


def _overlay(target, codes, widenings, outputs, progress=None,
             is_cancelled=None) -> OverlayResult:
    parcels, routes, grades, profile = overlay_inputs(target, codes, widenings)
    result = overlay_corridors(parcels, routes, grades, profile, widenings,
                               progress=progress, is_cancelled=is_cancelled)
    for path in outputs:
        write_tables(overlay_tables(result), path, inputs=[target.split("|", 1)[0]])
    return result


def overlay_work(target: str, codes, widenings, outputs) -> Callable:
    """The overlay of the database's parcels on the corridors of ``codes`` (empty: every
    route) and on ``widenings``, written to each of ``outputs`` (.gpkg, .xlsx)."""
    return partial(_overlay, target, list(codes), list(widenings), list(outputs))


def _print(overlay, pdf, lang, profile, progress=None, is_cancelled=None) -> str:
    job = ["overlay", "--db", str(overlay), "--lang", lang, "--out", str(pdf)]
    run_worker(job + (["--profile", profile] if profile else []), progress=progress,
               is_cancelled=is_cancelled, where=str(pdf))
    return str(pdf)


def print_work(overlay: str, pdf: str, lang: str, profile: str | None) -> Callable:
    """The A3 overlay map of the GeoPackage ``overlay`` printed to ``pdf`` in a QGIS process
    of its own (:mod:`roadinfra.plugin.worker`)."""
    return partial(_print, overlay, pdf, lang, profile)
