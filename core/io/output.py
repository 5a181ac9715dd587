"""The safe writer: an output is never one of the inputs and is never half-written.

:func:`check_output` refuses an output that is the same file as an input (compared by
device and inode, so another spelling, a symbolic or a hard link is caught), a folder, a
device or pipe (``-o /dev/null`` would be replaced by a file), or a file in a folder that
does not exist. :func:`output_file` gives a path in a fresh
temporary folder beside the target, and moves the finished file into place with one
``os.replace`` only when the writer returned without an error: a failed or interrupted
write leaves the old file (or none) and no temporary file behind.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Union

from .errors import FileError

PathLike = Union[str, Path]


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def check_output(path: PathLike, inputs: Iterable[PathLike] = (),
                 option: str = "-o") -> Path:
    """``path`` as a Path once it is known to be writable as a new or replaced file."""
    target = Path(path)
    where = f"{option} {target}"
    if target.is_dir():
        raise FileError(f"{where}: is a folder; give a file name for the output")
    folder = target.parent
    if not folder.is_dir():
        raise FileError(f"{where}: folder {folder} does not exist")
    if target.exists():
        out_stat = target.stat()
        if not stat.S_ISREG(out_stat.st_mode):
            raise FileError(f"{where}: is not a regular file (a device or a pipe); give a "
                            "file name for the output")
        for source in inputs:
            try:
                in_stat = os.stat(source)
            except (OSError, ValueError):
                continue  # not a file: nothing to protect
            if _same_file(in_stat, out_stat):
                raise FileError(f"{where}: is the input file {source}; writing there would "
                                "replace it (choose another output file)")
    return target


def inputs_of(args, exclude: Iterable[str] = ("output",)) -> list[str]:
    """Every text or path value of a parsed command line (lists too), but the outputs:
    whatever names an existing file is an input the output must not replace."""
    skip = set(exclude)
    found: list[str] = []
    for name, value in vars(args).items():
        if name in skip or name == "func":
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, (str, Path)) and str(item):
                found.append(str(item))
    return found


@contextmanager
def output_file(path: PathLike, inputs: Iterable[PathLike] = (),
                option: str = "-o") -> Iterator[Path]:
    """A temporary path to write, moved onto ``path`` when the block ends without error.

    The temporary file has ``path``'s name (writers that derive a layer name or a driver
    from it behave as for the target), in a hidden folder beside the target (same file
    system, so the move is atomic)."""
    target = check_output(path, inputs, option)
    try:
        folder = tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise FileError(f"{option} {target}: cannot write in folder {target.parent}: "
                        f"{exc.strerror}") from None
    temporary = Path(folder) / target.name
    try:
        try:
            yield temporary
        except OSError as exc:
            raise FileError(f"{option} {target}: cannot write: {exc.strerror or exc}") from None
        if not temporary.exists():
            raise FileError(f"{option} {target}: the writer produced no file")
        check_output(target, inputs, option)  # an input may have appeared meanwhile
        try:
            os.replace(temporary, target)
        except OSError as exc:
            raise FileError(f"{option} {target}: cannot replace: {exc.strerror}") from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
