"""Hostile-input tier: every ``roadinfra`` command, found by walking the argparse tree (so a
command added later is covered without touching this file), gets bad values in each of its
file, number, profile/mapping and output arguments:

- files: empty, binary bytes, a 200,000-character field, JSON nested 100,000 deep, a
  UTF-8/cp1258 mix, a folder, a missing file;
- numbers: NaN, infinities, negative, 1e308, 1e-320, a 400-digit number and chainage;
- profile and mapping TOML: not UTF-8, a wrong type, NaN in the province box,
  ``delimiter = ",,"``, a folder, binary, empty;
- KEY=VALUE lists: a NaN or infinite value, a key given twice;
- outputs: a folder, a missing or unwritable folder, a device, an input (same path, hard
  link, symbolic link).

Each case runs in-process through ``core.cli.main`` and must end with no traceback, inputs
unchanged (hashed before and after), and, unless the value is a legitimate one (a tiny or
huge but finite number), a non-zero exit with one ``roadinfra...: error:`` line on stderr
(a bad-row report may follow it, indented). A command that succeeds never prints NaN or an
infinity. Valid base arguments (below) make each case change one argument only; a command
without an entry gets generic ones.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import io
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from roadinfra.core.cli import argtypes, build_parser, main
from roadinfra.core.profile import PROFILES_DIR

from tests.support.shared_data import SHARED_DATA

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data"
NBI = SHARED_DATA / "bridges_us_nbi_sample" / "sample.csv"
QL10_ID = "e74387cf-09b4-594b-a026-9f02e434dfed"
SYNC_CONFLICT = "3f1d2a6c-5b0e-4e8a-9c4d-7a1b2c3d4e5f"  # stored in db.gpkg by the world

# ------------------------------------------------------------------ the corpus
FILE_CASES = ("empty", "binary", "huge_field", "deep_json", "mixed_encoding", "folder",
              "missing", "late_date")
# a bad file may still be read when a row-level report is the command's answer
FILE_MAY_PASS = {"late_date"}
NUMBER_CASES = {"nan": "nan", "inf": "inf", "-inf": "-inf", "negative": "-1",
                "huge": "1e308", "tiny": "1e-320", "digits400": "9" * 400,
                "chainage400": "Km" + "9" * 400 + "+000"}
NUMBER_MAY_PASS = {"negative", "huge", "tiny"}  # legitimate for some arguments
TOML_CASES = {"profile": ("not_utf8", "wrong_type", "nan_box", "folder", "binary", "empty"),
              "mapping": ("not_utf8", "two_char_delimiter", "wrong_type_mapping", "folder",
                          "binary", "empty"),
              "scheme": ("not_utf8", "folder", "binary", "empty")}
# KEY=VALUE arguments (metavar with "="): the first key with a bad value, or given twice
PAIR_CASES = ("nan", "inf", "twice")
OUTPUT_CASES = ("folder", "missing_folder", "unwritable", "device", "same_as_input",
                "hard_link", "symlink")
FOLDER_CASES = ("a_file",)

# Valid arguments per command; file names are those made by the ``world`` fixture.
BASE: dict[str, dict] = {
    "bridges import": {"file": "nbi.csv"},
    "bridges posting": {"operating_t": "30", "inventory_t": "20"},
    "bridges rate": {"ratings": ["deck=7", "superstructure=5"]},
    "cadastre check": {"file": "parcels.geojson", "cad_layer": ["0"], "database": "db.gpkg",
                       "trust_crs": True, "crs": "EPSG:9209", "assign_crs": True},
    "cadastre import": {"file": "parcels.geojson", "database": "db.gpkg",
                        "cad_layer": ["0"], "trust_crs": True, "whole_sheet": True,
                        "crs": "EPSG:9209", "assign_crs": True},
    "cadastre overlay": {"database": "db.gpkg"},
    "cadastre pull": {"database": "db.gpkg", "file": "parcels.geojson", "trust_crs": True,
                      "whole_sheet": True},
    "chainage format": {"metres": ["12350.5"]},
    "condition summary": {"db": "db.gpkg"},
    "chainage parse": {"text": ["Km12+350"]},
    "crs check": {"file": "routes.geojson"},
    "crs to-grid": {"lon": "106.35", "lat": "20.5"},
    "crs to-wgs84": {"easting": "588463.27", "northing": "2267832.5"},
    "db check": {"target": "db.gpkg"},
    "db info": {"target": "db.gpkg"},
    "db init": {"target": "new.gpkg"},
    "db upgrade": {"target": "db.gpkg"},
    "loads check": {"file": "records.csv"},
    "loads esal": {"file": "records.csv", "stations": "stations.csv",
                   "sections": "sections.csv", "year": "2025"},
    "loads stats": {"file": "records.csv"},
    "lrs calibrate": {"routes": "routes.geojson", "posts": "posts.geojson",
                      "route_field": "id", "post_route_field": "route_id",
                      "measure_field": "measure_m"},
    "lrs events": {"routes": "routes.geojson", "table": "events.csv", "route_field": "id"},
    "lrs locate": {"routes": "routes.geojson", "points": "posts.geojson",
                   "route_field": "id"},
    "lrs segment": {"tables": ["events.csv", "events2.csv"]},
    "pavement iri": {"file": "iri.csv"},
    "pavement pci": {"file": "survey.json"},
    "pavement sample-size": {"n_units": "20"},
    "print": {"db": "db.gpkg", "plan": "latest", "output": "atlas.pdf"},
    "forecast calibrate-iri": {"file": "ltpp.csv"},
    "forecast calibrate-pci": {"before": "pci_2016.csv", "after": "pci_2023.csv", "years": "7"},
    "forecast hazards": {"file": "inspections.csv"},
    "forecast markov": {"hazards": "0.12,0.10,0.14,0.20", "start": "1"},
    "forecast pavement": {"pci": "60", "iri": "2.5", "esal_per_day": "800"},
    "plan optimize": {"options": "options.csv", "budget": "100"},
    "plan curve": {"options": "options.csv", "budget": "100"},
    # plan build/status/revise write plans into their database, so it lives beside the
    # world, whose files must stay unchanged (the sample province with two plans)
    "plan build": {"db": "../planning/province.gpkg", "budget": "2e9", "first_year": "2027",
                   "years": "1"},
    "plan status": {"code": "MP-2027-02", "status": "submitted",
                    "db": "../planning/province.gpkg"},
    "plan revise": {"code": "MP-2027-01", "db": "../planning/province.gpkg"},
    "plan results": {"code": "MP-2027-01", "table": "results.csv",
                     "db": "../planning/province.gpkg"},
    "report": {"db": "../planning/province.gpkg", "plan": "MP-2027-01"},
    # offline sync: packages of the planning province (it may be written), a stored conflict
    # (no QGIS project: the worker starts QGIS; tests/qgis/test_package_project.py has it)
    "package": {"db": "../planning/province.gpkg", "area": "340", "out": "new.gpkg",
                "no_project": True},
    "sync": {"package": "crew.gpkg", "db": "../planning/province.gpkg"},
    "conflicts list": {"db": "db.gpkg"},
    "conflicts show": {"db": "db.gpkg", "id": SYNC_CONFLICT},
    "conflicts resolve": {"db": "db.gpkg", "ids": [SYNC_CONFLICT], "take": "theirs",
                          "field": ["spans=theirs"]},
}
SLOW = {"demo"}  # builds the whole sample database: only its fast refusals are run
# the world's database holds no plan and printing starts QGIS: the base run of `print` is
# tests/postgis/test_plan_atlas_postgis.py; its bad values are still walked here
NO_BASE_RUN = {"print"}

# Values that are legitimate for one argument: (command, argument, value) -> why
MAY_PASS = {
    ("db init", "target", "missing"): "init creates the database file",
    ("db init", "target", "empty"): "init fills an empty file",
    ("package", "out", "missing"): "a package is a new file",
}

# Cases failing today in code owned by other helpers (issue 9): (command, argument, value)
# -> owning area. They are strict xfails: when the owner fixes them, the xfail turns red
# and the entry is deleted.
KNOWN_FAILURES: dict[tuple[str, str, str], str] = {
}


# ------------------------------------------------------------------ walking the parsers
def leaf_commands(parser: argparse.ArgumentParser, path: tuple = ()) -> dict:
    """'loads check' -> its parser, for every parser that runs something (has ``func``)."""
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(leaf_commands(sub, path + (name,)))
    if parser.get_default("func") is not None:
        found[" ".join(path)] = parser
    return found


_FILE_HELP = re.compile(r"\b(file|layer|CSV|tables?)\b", re.IGNORECASE)
_NUMBER_HELP = re.compile(r"\b(metres|chainage)\b", re.IGNORECASE)
_NUMBER_TYPES = {int, float, argtypes.finite_float, argtypes.non_negative_float,
                 argtypes.positive_float}


def kind_of(action: argparse.Action) -> str | None:
    """What corpus an argument gets: file, toml, number, pairs, output, folder, or none."""
    if action.nargs == 0 or action.dest == "help":
        return None
    help_text = action.help or ""
    if "=" in (action.metavar or ""):
        return "pairs"
    if action.dest in ("output", "quality_output"):
        return "folder" if "folder" in help_text else "output"
    if "folder" in help_text:
        return "folder"
    if action.dest in TOML_CASES:
        return "toml"
    if action.type in (argtypes.input_file, Path):
        return "file"
    if action.type in _NUMBER_TYPES or getattr(action.type, "__name__", "") == "whole number":
        return "number"
    if action.type is None and action.choices is None:
        if _NUMBER_HELP.search(help_text) and not action.option_strings:
            return "number"
        if _FILE_HELP.search(help_text) and not action.dest.endswith(("_field", "_column")):
            return "file"
    return None


COMMANDS = leaf_commands(build_parser())


def arguments(command: str) -> list[argparse.Action]:
    return [a for a in COMMANDS[command]._actions
            if a.dest != "help" and not isinstance(a, argparse._SubParsersAction)]


@dataclass(frozen=True)
class Case:
    command: str
    dest: str
    kind: str
    value: str

    @property
    def id(self) -> str:
        return f"{self.command}:{self.dest}={self.value}"


def all_cases() -> list[Case]:
    cases = []
    for command in sorted(COMMANDS):
        for action in arguments(command):
            kind = kind_of(action)
            if kind == "file":
                values = FILE_CASES
            elif kind == "number":
                values = tuple(NUMBER_CASES)
            elif kind == "toml":
                values = TOML_CASES[action.dest]
            elif kind == "output":
                values = OUTPUT_CASES
            elif kind == "folder":
                values = FOLDER_CASES
            elif kind == "pairs":
                values = PAIR_CASES
            else:
                continue
            cases += [Case(command, action.dest, kind, v) for v in values]
    return cases


CASES = all_cases()


# ------------------------------------------------------------------ the files
def _write_csv(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Valid inputs (small, real data) and the bad files, in one folder."""
    root = tmp_path_factory.mktemp("hostile")
    routes = json.loads((SAMPLE / "route.geojson").read_text(encoding="utf-8"))
    routes["features"] = [f for f in routes["features"] if f["properties"]["id"] == QL10_ID]
    (root / "routes.geojson").write_text(json.dumps(routes), encoding="utf-8")
    posts = json.loads((SAMPLE / "calibration_point.geojson").read_text(encoding="utf-8"))
    posts["features"] = [f for f in posts["features"]
                         if f["properties"]["route_id"] == QL10_ID][:6]
    (root / "posts.geojson").write_text(json.dumps(posts), encoding="utf-8")
    _write_csv(root / "events.csv", f"route,from_m,to_m\n{QL10_ID},71000,72000\n")
    _write_csv(root / "events2.csv", f"route,from_m,to_m\n{QL10_ID},71500,73000\n")
    records = (SAMPLE / "weighing_records.csv").read_text(encoding="utf-8").splitlines()
    _write_csv(root / "records.csv", "\n".join(records[:21]) + "\n")
    _write_csv(root / "stations.csv", "code,route_id,chainage_m\nLS-340-001,QL10,12000\n")
    _write_csv(root / "sections.csv", "route_id,from_m,to_m\nQL10,0,15000\n")
    _write_csv(root / "iri.csv", "route,from_km,to_km,iri\nQL10,0,0.1,2.5\nQL10,0.1,0.2,4\n")
    (root / "survey.json").write_text(json.dumps({"sample_units": [
        {"id": "SU1", "area": 230, "distresses": [{"code": 1, "severity": "M",
                                                   "quantity": 4}]}]}), encoding="utf-8")
    shutil.copy(NBI, root / "nbi.csv")
    x, y = routes["features"][0]["geometry"]["coordinates"][0][0][:2]  # cadastre: 2 parcels
    (root / "parcels.geojson").write_text(json.dumps({
        "type": "FeatureCollection", "crs": routes["crs"], "features": [
            {"type": "Feature", "properties": {"SoTo": "1", "SoThua": str(k + 1)},
             "geometry": {"type": "Polygon", "coordinates": [[
                 [x + 20 * k, y], [x + 20 * k + 20, y], [x + 20 * k + 20, y + 20],
                 [x + 20 * k, y + 20], [x + 20 * k, y]]]}} for k in range(2)]}),
        encoding="utf-8")
    assert main(["db", "init", str(root / "db.gpkg")]) == 0
    _planning_inputs(root)
    _sync_inputs(root)
    bad = root / "bad"
    bad.mkdir()
    (bad / "empty.csv").write_bytes(b"")
    (bad / "binary.csv").write_bytes(bytes(range(256)) * 64)
    _write_csv(bad / "huge_field.csv", "x" * 200_000 + ",b\n1,2\n")
    _write_csv(bad / "deep_json.json", "[" * 100_000 + "]" * 100_000)
    (bad / "mixed_encoding.csv").write_bytes(
        "route,name\nQL10,Cầu Thái Bình\n".encode() + b"QL10,C\xe2\xcc u\n")
    (bad / "folder").mkdir()
    (bad / "folder.toml").mkdir()  # a folder where a profile or mapping file is expected
    _write_csv(bad / "late_date.csv", records[0] + "\n"
               + records[1].replace("2025-", "2300-", 1) + "\n")
    profile = (PROFILES_DIR / "thai_binh.toml").read_text(encoding="utf-8")
    (bad / "not_utf8.toml").write_bytes(profile.encode("utf-8") + b"\n# \xe0\n")
    _write_csv(bad / "wrong_type.toml",
               profile.replace("central_meridian = 105.5", 'central_meridian = "abc"'))
    _write_csv(bad / "nan_box.toml", profile.replace("province_bbox_wgs84 = [106.167",
                                                     "province_bbox_wgs84 = [nan"))
    _write_csv(bad / "two_char_delimiter.toml",
               '[source]\ndelimiter = ",,"\n[bridge]\ncode = "STRUCTURE_NUMBER_008"\n')
    _write_csv(bad / "wrong_type_mapping.toml", "[bridge]\ncode = 5\n")
    (bad / "binary.toml").write_bytes(bytes(range(256)))
    (bad / "empty.toml").write_bytes(b"")
    return root


def _sync_inputs(root: Path) -> None:
    """A package of the planning province (crew.gpkg) and an open conflict in db.gpkg."""
    from roadinfra.core.db import open_database

    assert main(["package", "--db", str(root.parent / "planning" / "province.gpkg"),
                 "--area", "340", "--out", str(root / "crew.gpkg"), "--no-project"]) == 0
    with open_database(root / "db.gpkg") as db:
        db.insert("sync_conflict", [{
            "id": SYNC_CONFLICT, "changeset_id": SYNC_CONFLICT, "replica_id": SYNC_CONFLICT,
            "package_name": "Tổ 340", "login": "khảo sát", "created_at": "2026-11-29T08:00Z",
            "table_name": "bridge", "row_id": QL10_ID, "kind": "field", "fields": ["spans"],
            "base": {"spans": 2}, "mine": {"spans": 3}, "theirs": {"spans": 4}}])


def _planning_inputs(root: Path) -> None:
    """Small real extracts for the forecast and plan commands, and the sample province with
    an approved plan MP-2027-01 and a draft MP-2027-02 beside ``root``."""
    from roadinfra.core.planning.lifecycle import set_plan_status
    from roadinfra.core.planning.store import build_plan
    from roadinfra.core.sample_data import build_demo_database

    def head(source: Path, target: str, lines: int) -> None:
        text = source.read_text(encoding="utf-8").splitlines()[:lines]
        _write_csv(root / target, "\n".join(text) + "\n")

    head(SHARED_DATA / "pavement_ltpp_iri" / "flexible_iri_raw_merged.csv", "ltpp.csv", 400)
    for year in (2016, 2023):
        head(SHARED_DATA / "pavement_sandiego_pci"
             / f"pavement_condition_assessment_{year}_datasd.csv", f"pci_{year}.csv", 300)
    _write_csv(root / "inspections.csv", "asset,date,state\nB1,2015,1\nB1,2018,2\n"
               "B1,2021,2\nB2,2016,2\nB2,2019,3\nB3,2017,1\nB3,2020,1\nB4,2015,3\n"
               "B4,2020,4\nB5,2016,4\nB5,2022,5\n")
    _write_csv(root / "options.csv", "section,year,treatment,cost,benefit\nA,2027,S,40,50\n"
               "A,2027,L,100,110\nB,2027,X,60,65\nC,2027,X,60,64\n")
    planning = root.parent / "planning"
    planning.mkdir(exist_ok=True)
    database = planning / "province.gpkg"
    build_demo_database(database, SAMPLE)
    for _ in range(2):
        build_plan(str(database), 2e9, 2027, 1)
    set_plan_status(str(database), "MP-2027-01", "submitted")
    set_plan_status(str(database), "MP-2027-01", "approved")
    _write_csv(root / "results.csv", "item,status,done_date,actual_cost_vnd,condition_measured\n"
               "1,done,2026-06-30,1500000,96\n2,in_progress,,,\n")


def _digest(root: Path) -> dict:
    """Every file's inode, size, modification time and (up to 64 KB) content hash: a file
    replaced, rewritten, truncated or touched changes its entry."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            info = path.stat()
            content = hashlib.sha256(path.read_bytes()).hexdigest() \
                if info.st_size <= 65_536 else ""
            out[str(path)] = (info.st_ino, info.st_size, info.st_mtime_ns, content)
    return out


def _values(command: str, world: Path) -> dict:
    """Base argument values: BASE, else generic ones for the required arguments."""
    base = {k: v for k, v in BASE.get(command, {}).items()}
    for action in arguments(command):
        required = action.required or (not action.option_strings and action.nargs != "?")
        if action.dest in base or not required or action.nargs == 0:
            continue
        kind = kind_of(action)
        base[action.dest] = {"file": "events.csv", "number": "1", "toml": "thai_binh",
                             "output": "out.csv", "folder": str(world)}.get(kind, "x")
    resolved = {}
    for dest, value in base.items():
        if value is True:  # a flag
            resolved[dest] = value
            continue
        items = value if isinstance(value, list) else [value]
        items = [str(world / v) if (world / v).exists() or v == "new.gpkg" else v
                 for v in items]
        resolved[dest] = items if isinstance(value, list) else items[0]
    return resolved


def _argv(command: str, values: dict) -> list[str]:
    argv = command.split()
    options = []
    for action in arguments(command):
        if action.dest not in values:
            continue
        value = values[action.dest]
        if value is True:  # a flag
            options.append(max(action.option_strings, key=len))
            continue
        items = value if isinstance(value, list) else [value]
        if action.option_strings:
            flag = max(action.option_strings, key=len)
            options += [f"{flag}={items[0]}"] if len(items) == 1 else [flag, *items]
        else:
            argv += items
    return argv + options


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _bad_value(case: Case, world: Path, values: dict, scratch: Path):
    bad = world / "bad"
    if case.kind == "number":
        return NUMBER_CASES[case.value]
    if case.kind == "pairs":
        first = values[case.dest][0]
        key = first.partition("=")[0]
        return [first, first] if case.value == "twice" else [f"{key}={case.value}"]
    if case.kind == "file":
        return _bad_file(case.value, values.get(case.dest), bad, scratch)
    if case.kind == "toml":
        return str(bad / f"{case.value}.toml")
    if case.kind == "folder":
        return str(world / "events.csv")
    inputs = [v for a in arguments(case.command) if kind_of(a) == "file"
              for v in ([values.get(a.dest)] if not isinstance(values.get(a.dest), list)
                        else values[a.dest]) if v]
    source = Path(inputs[0]) if inputs else None
    if case.value in ("same_as_input", "hard_link", "symlink") and source is None:
        pytest.skip("no input file to protect")
    if case.value == "folder":
        return str(scratch)
    if case.value == "device":
        return os.devnull
    if case.value == "missing_folder":
        return str(scratch / "nowhere" / "out.csv")
    if case.value == "unwritable":
        if os.geteuid() == 0:  # root writes anywhere: a folder that is a file instead
            return str(world / "events.csv" / "out.csv")
        locked = scratch / "locked"
        locked.mkdir(mode=0o555, exist_ok=True)
        return str(locked / "out.csv")
    if case.value == "same_as_input":
        return str(source)
    link = scratch / f"link{source.suffix}"
    if case.value == "hard_link":
        os.link(source, link)
    else:
        os.symlink(source, link)
    return str(link)


def _bad_file(name: str, base, bad: Path, scratch: Path) -> str:
    """The bad file ``name`` under the suffix the argument expects (``.gpkg`` for a
    database, ``.geojson`` for a layer ...), so that the right reader meets it."""
    if name == "folder":
        return str(bad / "folder")
    base = base[0] if isinstance(base, list) else base
    suffix = Path(base).suffix if base else ".csv"
    if name == "deep_json" and suffix not in (".json", ".geojson"):
        suffix = ".json"
    if name == "missing":
        return str(scratch / f"missing{suffix}")
    target = scratch / f"{name}{suffix}"
    shutil.copy(next(bad.glob(f"{name}.*")), target)
    return str(target)


# ------------------------------------------------------------------ the tests
def test_the_walk_finds_every_command_and_its_arguments():
    assert set(BASE) <= set(COMMANDS), sorted(set(BASE) - set(COMMANDS))
    kinds = {(c.command, c.dest): c.kind for c in CASES}
    assert kinds[("lrs calibrate", "output")] == "output"
    assert kinds[("cadastre pull", "quality_output")] == "output"
    assert kinds[("lrs events", "table")] == "file"
    assert kinds[("chainage parse", "text")] == "number"
    assert kinds[("pavement sample-size", "std_dev")] == "number"
    assert kinds[("bridges import", "mapping")] == "toml"
    assert ("lrs calibrate", "route_field") not in kinds
    untested = sorted(set(COMMANDS) - {c.command for c in CASES})
    assert untested == [], f"commands without a file or number argument: {untested}"


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - SLOW - NO_BASE_RUN))
def test_base_arguments_are_valid(command, world):
    """Each case changes one argument of a run that succeeds: the bad value is the cause."""
    code, out, err = _run(_argv(command, _values(command, world)))
    assert code == 0, err
    if command in ("db init", "package"):
        (world / "new.gpkg").unlink()


def _params():
    for case in CASES:
        owner = KNOWN_FAILURES.get((case.command, case.dest, case.value))
        marks = [pytest.mark.xfail(strict=True, reason=f"owned by {owner}")] if owner else []
        yield pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_hostile_value(case, world, tmp_path):
    values = _values(case.command, world)
    values[case.dest] = _bad_value(case, world, values, tmp_path)
    if case.kind == "output" and case.command in SLOW:
        pytest.skip("slow command")
    before = _digest(world)
    csv.field_size_limit(131_072)  # the default: an earlier case may have raised it
    code, out, err = _run(_argv(case.command, values))
    assert "Traceback" not in err
    assert _digest(world) == before, "an input file changed"
    if case.command == "db init" and code == 0:
        Path(values["target"]).unlink(missing_ok=True)
    may_pass = (case.value in FILE_MAY_PASS or case.value in NUMBER_MAY_PASS
                or (case.command, case.dest, case.value) in MAY_PASS)
    if code == 0 and may_pass:
        assert not re.search(r"\b(nan|-?inf|-?Infinity|NaN)\b", out), out[:300]
        return
    assert code != 0, f"accepted: {out[:300]}"
    lines = err.splitlines()
    assert lines and re.match(r"roadinfra( [\w-]+)*: error: \S", lines[0]), err[:500]
    assert all(line.startswith("  ") for line in lines[1:]), err[:500]
