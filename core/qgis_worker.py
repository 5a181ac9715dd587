"""Run the QGIS worker (``roadinfra.plugin.worker``): a QGIS Python process of its own,
without a display, for the jobs that need QGIS (printing, the project stored in an offline
package), so that they never use or change a QGIS session or project.

The one runner of that process for every face: ``roadinfra print`` and ``roadinfra package``
(``core`` imports no QGIS: the worker is another process), the QGIS dialog's background task
and the Processing algorithms. The worker writes ``progress N`` lines and a final
``done ...`` line on stdout, and one ``error: ...`` line on stderr for a user-fixable
problem (QGIS missing included) or a bug in a job (named as such). Relative paths in a job
are the caller's: the worker works in the caller's folder (it starts in a private one, so
that nothing there shadows a module).
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Callable, List, Sequence

from .errors import Cancelled, RoadInfraError

WORKER = "roadinfra.plugin.worker"
#: The Python that runs QGIS jobs when set (else :func:`qgis_python` chooses).
PYTHON_VARIABLE = "ROADINFRA_QGIS_PYTHON"
#: The caller's folder, handed to the worker (relative paths in a job are the caller's).
CWD_VARIABLE = "ROADINFRA_CALLER_CWD"
#: Seconds between two looks at ``is_cancelled`` while the worker is silent.
POLL_S = 0.2


class QgisWorkerError(RoadInfraError):
    """The QGIS worker failed or could not start; the message is the worker's own one-line
    error."""


def worker_environment(runtime: str) -> dict:
    """The worker's environment: no display, PROJ data, a private runtime folder, the
    caller's folder, and the folder holding the ``roadinfra`` package on the path (a plugin
    folder or a checkout)."""
    env = dict(os.environ)
    env[CWD_VARIABLE] = os.getcwd()
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("PROJ_DATA", "/usr/share/proj")
    env.setdefault("XDG_RUNTIME_DIR", runtime)
    package = Path(__file__).absolute().parents[1]   # not resolved: a linked plugin folder
    if package.name == "roadinfra":
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(package.parent), env.get("PYTHONPATH")) if p)
    return env


def qgis_python() -> str:
    """A Python interpreter that imports QGIS: the one named by ``ROADINFRA_QGIS_PYTHON``
    when set, else this one when it is a Python (the CLI, tests), else the one QGIS embeds
    (``sys.exec_prefix``: in the desktop and ``qgis_process`` ``sys.executable`` is QGIS
    itself), else ``python3`` on the PATH."""
    if os.environ.get(PYTHON_VARIABLE):
        return os.environ[PYTHON_VARIABLE]
    running = Path(sys.executable)
    # an embedded interpreter may name another python3 of the PATH as its executable: only
    # one inside this interpreter's own prefix is this interpreter
    if running.name.lower().startswith("python") and \
            Path(sys.prefix) in running.absolute().parents:
        return sys.executable
    prefix = Path(sys.exec_prefix)
    for candidate in (prefix / "bin" / "python3", prefix / "python.exe", prefix / "python3.exe"):
        if candidate.is_file():
            return str(candidate)
    return shutil.which("python3") or "python3"


def _reader(stream, lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def run_worker(job: Sequence[str], python: str | None = None,
               progress: Callable[[float], None] | None = None,
               is_cancelled: Callable[[], bool] | None = None,
               where: str = "QGIS") -> List[str]:
    """Run the worker with the arguments ``job`` under ``python`` (default:
    :func:`qgis_python`); return the words after ``done`` (the last may hold spaces).
    Raises :class:`QgisWorkerError` with the worker's error line, ``Cancelled`` when
    ``is_cancelled`` answers True (the worker is stopped)."""
    python = python or qgis_python()
    with tempfile.TemporaryDirectory(prefix="roadinfra-qgis-") as runtime:
        os.chmod(runtime, 0o700)
        try:
            command = [python, "-m", WORKER, *map(str, job)]
            process = subprocess.Popen(  # nosec B603 # a list, no shell: our worker module
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env=worker_environment(runtime), cwd=runtime)
        except OSError as exc:
            raise QgisWorkerError(f"{where}: cannot start the QGIS Python process "
                                    f"({python}): {exc.strerror}") from None
        lines: queue.Queue[str | None] = queue.Queue()
        errors: List[str] = []
        readers = [threading.Thread(target=_reader, args=(process.stdout, lines), daemon=True),
                   threading.Thread(target=lambda: errors.extend(process.stderr), daemon=True)]
        for reader in readers:
            reader.start()
        done: List[str] = []
        try:
            while True:
                if is_cancelled is not None and is_cancelled():
                    raise Cancelled(f"{where}: cancelled")
                try:
                    line = lines.get(timeout=POLL_S)
                except queue.Empty:
                    continue
                if line is None:
                    break
                if line.startswith("progress ") and progress is not None:
                    progress(float(line.split()[1]))
                elif line.startswith("done"):
                    # the last word may be a path with spaces
                    done = line.rstrip("\n").split(" ", 2)[1:] or ["ok"]
            code = process.wait()
            for reader in readers:
                reader.join()
        except BaseException:
            process.terminate()
            process.wait()
            raise
    if code == 130:
        raise Cancelled(f"{where}: cancelled")
    if code != 0 or not done:
        message = next((line[len("error: "):].strip() for line in errors
                        if line.startswith("error: ")), None)
        raise QgisWorkerError(message or _failure(where, python, code, errors))
    return done


def _failure(where: str, python: str, code: int, errors: List[str]) -> str:
    """Why the worker failed without its own ``error:`` line: it could not import QGIS or
    RoadInfra (the interpreter is not a QGIS one), it was killed, or the last line it wrote."""
    last = [line.strip() for line in errors if line.strip()]
    said = last[-1] if last else f"exit code {code}"
    if code < 0:
        return f"{where}: the QGIS Python process ({python}) was stopped by signal {-code}"
    if said.startswith(("ModuleNotFoundError", "ImportError")):
        return (f"{where}: {python} cannot run the QGIS worker (is python3-qgis installed, "
                f"or set {PYTHON_VARIABLE}?): {said}")
    return f"{where}: the QGIS Python process failed: {said}"
