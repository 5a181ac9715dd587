"""docs/architecture.md's faces table is true: built against the real CLI parser and the real
Processing provider (and the plugin's actions), so a command, algorithm or button without a
row, or a row naming a face that does not exist or does not call its core function, fails
with the row to add or fix."""

import argparse
import importlib
import inspect
import re
from pathlib import Path

import pytest
from roadinfra.core.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
DOC_NAME = "docs/architecture.md"
DOC = ROOT / DOC_NAME
HEADER = "| core function | CLI command | Processing id | button |"
NONE = "-"


def table_rows():
    """(line number, [core functions], CLI command, Processing id, (action key, file))."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    assert HEADER in lines, f"{DOC_NAME}: no table with the header {HEADER}"
    rows = []
    for number in range(lines.index(HEADER) + 2, len(lines)):
        line = lines[number].strip()
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == 4, f"{DOC_NAME}:{number + 1}: a row has four cells: {line}"
        core, cli, alg, button = (re.findall(r"`([^`]+)`", cell) for cell in cells)
        rows.append((number + 1, line, core, cli[0] if cli else None,
                     alg[0] if alg else None, tuple(button) if button else None))
    return rows


def cli_commands():
    """``group action`` (or ``command``) -> the function it runs, from the real parser."""
    found = {}

    def walk(parser, words):
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            found[" ".join(words)] = parser.get_default("func")
            return
        for name, sub in subs[0].choices.items():
            walk(sub, words + [name])

    walk(build_parser(), [])
    return found


def action_keys():
    """The keys of the plugin's menu and toolbar actions (``_add_action`` in main.py)."""
    source = (ROOT / "plugin" / "main.py").read_text(encoding="utf-8")
    return set(re.findall(r"_add_action\(\s*\"(\w+)\"", source))


def core_function(path):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(f"roadinfra.{module}"), name, None)


def algorithm_source(algorithm) -> str:
    """The modules of the algorithm's class and of its RoadInfra mixins (e.g. WeighingInput)."""
    return "\n".join(inspect.getsource(inspect.getmodule(klass))
                     for klass in type(algorithm).__mro__
                     if klass.__module__.startswith("roadinfra.plugin.processing.algorithms"))


def calls(source: str, functions) -> bool:
    return any(re.search(rf"\b{re.escape(f.rpartition('.')[2])}\b", source) for f in functions)


def test_every_command_algorithm_and_button_has_a_row(roadinfra_provider):
    rows = table_rows()
    listed_cli = {row[3] for row in rows}
    listed_alg = {row[4] for row in rows}
    problems = [f"{DOC_NAME}: no row for CLI command `{name}`: add "
                f"| `core.<module>.<function>` | `{name}` | - | - |"
                for name in sorted(cli_commands()) if name not in listed_cli]
    problems += [f"{DOC_NAME}: no row for Processing id `{alg.id()}`: add "
                 f"| `core.<module>.<function>` | - | `{alg.id()}` | - |"
                 for alg in roadinfra_provider.algorithms() if alg.id() not in listed_alg]
    assert not problems, "\n".join(problems)


def test_every_row_names_faces_that_exist_and_call_its_core_function(roadinfra_provider):
    commands = cli_commands()
    algorithms = {alg.id(): alg for alg in roadinfra_provider.algorithms()}
    keys = action_keys()
    problems = []
    seen = {}
    for number, line, core, cli, alg, button in table_rows():
        where = f"{DOC_NAME}:{number}: {line}\n    "
        for path in core:
            if core_function(path) is None:
                problems.append(where + f"core function `{path}` does not exist")
        for face in (cli, alg):
            if face is not None and face in seen:
                problems.append(where + f"`{face}` is already in the row of line {seen[face]}")
            seen.setdefault(face, number)
        if cli is not None:
            if cli not in commands:
                problems.append(where + f"CLI command `{cli}` does not exist")
            elif core and not calls(inspect.getsource(inspect.getmodule(commands[cli])), core):
                problems.append(where + f"`roadinfra {cli}` ({commands[cli].__module__}) does "
                                f"not call {', '.join(core)}")
        if alg is not None:
            if alg not in algorithms:
                problems.append(where + f"Processing id `{alg}` does not exist")
            elif core and not calls(algorithm_source(algorithms[alg]), core):
                problems.append(where + f"`{alg}` ({type(algorithms[alg]).__module__}) does "
                                f"not call {', '.join(core)}")
        if button is not None:
            key, file = (button + (None,))[:2]
            if key not in keys:
                problems.append(where + f"button `{key}` is not an action of plugin/main.py "
                                f"(actions: {', '.join(sorted(keys))})")
            if file is None or not (ROOT / file).is_file():
                problems.append(where + f"button `{key}`: name the file it runs in, "
                                "e.g. `plugin/condition/summary_panel.py`")
            elif core and not calls((ROOT / file).read_text(encoding="utf-8"), core):
                problems.append(where + f"{file} does not call {', '.join(core)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("cli, alg", [("condition summary", "roadinfra:condition_summary")])
def test_new_operations_have_names_that_line_up(cli, alg):
    """A CLI ``group action`` and its algorithm ``group_action`` (older ids are kept)."""
    assert alg == "roadinfra:" + cli.replace(" ", "_").replace("-", "_")
    assert any(row[3] == cli and row[4] == alg for row in table_rows())
