"""Print the plan atlas in the background of the QGIS desktop: a ``QgsTask`` that runs the
headless print worker (``plugin/printing/worker.py``) in a QGIS Python process of its own,
shows its progress in QGIS's task bar and stops it on cancel. The desktop session and its
open project are not used at all."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from qgis.core import QgsTask

from ...core.cli.cmd_print import worker_command, worker_environment
from ...core.errors import RoadInfraError
from ...core.printing.plan_sheets import plan_atlas
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


def qgis_python() -> str:
    """A Python interpreter that imports QGIS: this one when it is a Python, else the one
    QGIS embeds (``sys.exec_prefix``), else ``python3`` on the PATH."""
    if Path(sys.executable).name.lower().startswith("python"):
        return sys.executable
    prefix = Path(sys.exec_prefix)
    for candidate in (prefix / "bin" / "python3", prefix / "python.exe", prefix / "python3.exe"):
        if candidate.is_file():
            return str(candidate)
    return shutil.which("python3") or "python3"


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
            plan_atlas(self.request.db, self.request.plan, self.request.by,
                       self.request.lang)   # a bad database or plan: said before QGIS starts
        except RoadInfraError as exc:
            self.error = str(exc).splitlines()[0]
            return False
        with tempfile.TemporaryDirectory(prefix="roadinfra-print-") as runtime:
            os.chmod(runtime, 0o700)
            try:
                process = subprocess.Popen(
                    worker_command(self.request, qgis_python()), stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE, text=True, env=worker_environment(runtime),
                    cwd=runtime)
            except OSError as exc:
                self.error = tr("Cannot start the QGIS Python process: {error}").format(
                    error=exc.strerror)
                return False
            for line in process.stdout:
                if self.isCanceled():
                    process.terminate()
                    break
                if line.startswith("progress "):
                    self.setProgress(float(line.split()[1]))
                elif line.startswith("done "):
                    self.pages = int(line.split()[1])
            errors = process.stderr.read()
            code = process.wait()
        if self.isCanceled():
            self.error = tr("Printing cancelled")
            return False
        if code != 0 or not self.pages:
            self.error = next((line[len("error: "):] for line in errors.splitlines()
                               if line.startswith("error: ")),
                              errors.strip().splitlines()[-1] if errors.strip()
                              else tr("The print process failed (exit code {code})")
                              .format(code=code))
            return False
        return True
