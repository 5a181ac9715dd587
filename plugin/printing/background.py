"""Print the plan atlas in the background of the QGIS desktop: a ``QgsTask`` that runs the
headless QGIS worker (``plugin/worker.py``) in a QGIS Python process of its own,
shows its progress in QGIS's task bar and stops it on cancel. The desktop session and its
open project are not used at all."""

from __future__ import annotations

from dataclasses import dataclass

from qgis.core import QgsTask

from ...core.cli.cmd_print import atlas_job
from ...core.errors import Cancelled, RoadInfraError
from ...core.printing.plan_sheets import plan_atlas
from ...core.qgis_worker import run_worker
from ..i18n import tr


@dataclass
class AtlasRequest:
    """What to print (the attributes of ``roadinfra print``'s options)."""

    db: str
    plan: str
    output: str
    by: str = "area"
    template: str = "a3"
    lang: str = "vi"
    geospatial: bool = False


class PrintAtlasTask(QgsTask):
    """Runs one atlas print; ``error`` holds the one-line message of a failed run, ``pages``
    the sheets printed."""

    def __init__(self, request: AtlasRequest):
        super().__init__(tr("Printing the plan atlas"), QgsTask.Flag.CanCancel)
        self.request = request
        self.error = ""
        self.pages = 0

    def run(self) -> bool:
        try:
            # a bad database or plan is said before QGIS starts
            plan_atlas(self.request.db, self.request.plan, self.request.by, self.request.lang)
            pages, _geospatial = run_worker(atlas_job(self.request),
                                            progress=self.setProgress,
                                            is_cancelled=self.isCanceled,
                                            where=self.request.output)
        except Cancelled:
            self.error = tr("Printing cancelled")
            return False
        except RoadInfraError as exc:
            self.error = str(exc).splitlines()[0]
            return False
        self.pages = int(pages)
        return True
