"""The steps of the *Cadastre* dialog as background work: each is a function of ``progress``
and ``is_cancelled`` that calls one core entry point (the same as ``roadinfra cadastre`` and
the Processing algorithms), run by a :class:`roadinfra.plugin.tasks.WorkTask` (QGIS's task
bar shows its progress and cancels it)."""

from __future__ import annotations

from functools import partial
from typing import Callable

from qgis.core import Qgis

from ...core.cadastre.check import FileCheck, check_parcels
from ...core.cadastre.importer import ImportResult, import_parcels
from ...core.cadastre.outputs import DECISIONS_SHEET, write_tables
from ...core.cadastre.overlay import OverlayResult, overlay_corridors
from ...core.cadastre.remote import PullResult, make_source, pull_sheets
from ...core.qgis_worker import run_worker
from .inputs import overlay_inputs, overlay_tables
from .messages import workbook_notes

#: QGIS 3.40 (Debian 13: pyproj 3.7, PROJ 9.6): a second cadastre task's first pyproj CRS in
#: a task thread crashed the process (a segmentation fault inside pyproj, also with pyproj's
#: global context); there the dialog runs its steps in the main thread, QGIS waiting for each.
IN_MAIN_THREAD = Qgis.versionInt() >= 33400


def _check(read, profile, progress=None, is_cancelled=None) -> FileCheck:
    return check_parcels(read(), profile, progress=progress, is_cancelled=is_cancelled)


def check_work(read: Callable, profile) -> Callable:
    """Read the parcels (``read()``, see :func:`.inputs.parcel_reader`) and check them."""
    return partial(_check, read, profile)


def _import(read, target, edition, user, whole_sheet, progress=None,
            is_cancelled=None) -> ImportResult:
    return import_parcels(target, read(), edition=edition, user=user, progress=progress,
                          is_cancelled=is_cancelled, whole_sheet=whole_sheet)


def import_work(read: Callable, target: str, edition: str | None, user: str | None = None,
                whole_sheet: bool = False):
    """Read the parcels and import them into ``target`` (refused before writing when they
    lie outside the province; ``whole_sheet`` as in :func:`import_parcels`)."""
    return partial(_import, read, target, edition, user, whole_sheet)


def _overlay(target, codes, widenings, outputs, buildings=None, lang=None, progress=None,
             is_cancelled=None) -> OverlayResult:
    given = overlay_inputs(target, codes, widenings, buildings is not None)
    footprints = buildings(given.profile, given.area) if buildings is not None else None
    result = overlay_corridors(given.parcels, given.routes, given.grades, given.profile,
                               widenings, footprints, progress=progress,
                               is_cancelled=is_cancelled, every=given.every)
    for path in outputs:
        write_tables(overlay_tables(result), path, inputs=[target.split("|", 1)[0]],
                     lang=lang, notes=workbook_notes(result, lang),
                     extra={DECISIONS_SHEET: result.decisions} if footprints is not None else None)
    return result


def overlay_work(target: str, codes, widenings, outputs,
                 buildings: Callable | None = None, lang: str | None = None) -> Callable:
    """The overlay of the database's parcels on the corridors of ``codes`` (empty: every
    route) and on ``widenings``, written to each of ``outputs`` (.gpkg, .xlsx: its headers
    and values in ``lang``); ``buildings(profile, area)`` (see
    :func:`.inputs.buildings_reader`) the building footprints in the grid, or None."""
    return partial(_overlay, target, list(codes), list(widenings), list(outputs), buildings,
                   lang)


def _pull(target, source, mapping, trust_crs, user, whole_sheet, progress=None,
          is_cancelled=None) -> PullResult:
    return pull_sheets(target, make_source(mapping=mapping, **source), user=user,
                       progress=progress, is_cancelled=is_cancelled, trust_crs=trust_crs,
                       whole_sheet=whole_sheet)


def pull_work(target: str, source: dict, mapping, trust_crs: bool = False,
              user: str | None = None, whole_sheet: bool = False) -> Callable:
    """Keep ``target`` in step with the department's ``source`` (the keyword arguments of
    :func:`~roadinfra.core.cadastre.remote.make_source`: ``postgis`` + ``table``,
    ``features`` + ``collection``, ``wfs`` + ``typename`` or ``file``) read through
    ``mapping``: only its new or newer sheets are fetched and imported."""
    return partial(_pull, target, dict(source), mapping, trust_crs, user, whole_sheet)


def _print(overlay, pdf, lang, database, progress=None, is_cancelled=None) -> str:
    job = ["overlay", "--db", str(overlay), "--lang", lang, "--out", str(pdf)]
    run_worker(job + (["--profile-db", database] if database else []), progress=progress,
               is_cancelled=is_cancelled, where=str(pdf))
    return str(pdf)


def print_work(overlay: str, pdf: str, lang: str, database: str | None) -> Callable:
    """The A3 overlay map of the GeoPackage ``overlay`` printed to ``pdf`` in a QGIS process
    of its own (:mod:`roadinfra.plugin.worker`): the province's name, agency and CRS from
    the profile stored in ``database`` (else the default profile); the regulation of the
    widths as the overlay records it."""
    return partial(_print, overlay, pdf, lang, database)
