"""The ``roadinfra`` command line.

Each ``cmd_<name>.py`` module in this package adds one sub-command through
``register(subparsers)`` and sets ``func`` (``args -> int`` exit code) on its parser.
The same core functions back the Processing algorithms and the plugin's buttons.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import pkgutil
import sys
from typing import Optional, Sequence

from ..errors import Cancelled, RoadInfraError
from ..version import __version__

#: Exit code of a cancelled command (Ctrl+C or a core ``Cancelled``), as a shell gives SIGINT.
EXIT_CANCELLED = 130


class CliError(RoadInfraError):
    """A user error: printed as ``roadinfra: error: ...`` with exit code 2, no traceback."""


class Parser(argparse.ArgumentParser):
    """argparse with its errors on one line (``roadinfra <command>: error: ...``), exit 2;
    sub-command parsers inherit the class."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())} "
                     f"(see {self.prog} --help)\n")


def command_modules() -> list[str]:
    """Names of the ``cmd_*`` modules, sorted, so ``--help`` lists them in a stable order."""
    return sorted(
        info.name for info in pkgutil.iter_modules(__path__) if info.name.startswith("cmd_")
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="roadinfra",
        description="RoadInfra: provincial road infrastructure toolkit "
        "(assets, chainage, condition, loads, planning).",
    )
    parser.add_argument("--version", action="version", version=f"roadinfra {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules():
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def _shorten(message: str, limit: int = 1000) -> str:
    """Each line of an error at most ``limit`` characters (a 200 KB cell stays readable)."""
    return "\n".join(line if len(line) <= limit else line[: limit - 3] + "..."
                     for line in message.splitlines())


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else 2
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except Cancelled as exc:
        print(f"roadinfra: cancelled: {exc}", file=sys.stderr)
        return EXIT_CANCELLED
    except RoadInfraError as exc:
        print(f"roadinfra: error: {_shorten(str(exc))}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file that vanished or a disk that filled up mid-command
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG)
        # a copy names its source first: the destination is the file a full disk refused
        failed = exc.filename2 if full and exc.filename2 else exc.filename
        name = f"{failed}: " if failed else ""
        print(f"roadinfra: error: {name}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("roadinfra: cancelled", file=sys.stderr)
        return EXIT_CANCELLED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
