"""The modules a Python source file imports, read from its syntax tree (nothing is run)."""

import ast
from pathlib import Path
from typing import Iterator, Tuple


def imported_modules(path: Path) -> Iterator[Tuple[int, str]]:
    """(line, dotted module name) of every absolute import in ``path``, late ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
