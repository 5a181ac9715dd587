"""``roadinfra conflicts``: list, show and resolve what a sync left for a person."""

from __future__ import annotations

import argparse
import json

from . import CliError


def register(subparsers) -> None:
    parser = subparsers.add_parser("conflicts", help="sync conflicts: list, show, resolve")
    sub = parser.add_subparsers(dest="conflicts_command", metavar="ACTION", required=True)
    for name, helptext in (("list", "open conflicts (--all: resolved ones too)"),
                           ("show", "one conflict, field by field"),
                           ("resolve", "take mine (the package) or theirs (the server)")):
        cmd = sub.add_parser(name, help=helptext)
        cmd.add_argument("--db", required=True, metavar="TARGET",
                         help="provincial database: FILE.gpkg | postgresql://... | service=NAME")
        cmd.add_argument("--json", action="store_true", help="print JSON")
        if name == "list":
            cmd.add_argument("--all", action="store_true", help="resolved conflicts too")
            cmd.set_defaults(func=run_list)
        elif name == "show":
            cmd.add_argument("id", help="conflict id")
            cmd.set_defaults(func=run_show)
        else:
            cmd.add_argument("ids", nargs="+", metavar="ID",
                             help="conflict ids, or the word all (every open conflict)")
            cmd.add_argument("--take", required=True, choices=("mine", "theirs"),
                             help="the value to keep for every field")
            cmd.add_argument("--field", action="append", default=[], metavar="NAME=CHOICE",
                             help="per field: NAME=mine or NAME=theirs (repeat)")
            cmd.set_defaults(func=run_resolve)


def _print(data, as_json: bool) -> bool:
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    return as_json


def run_list(args: argparse.Namespace) -> int:
    from ..sync import list_conflicts

    rows = list_conflicts(args.db, include_resolved=args.all)
    if not _print(rows, args.json):
        for r in rows:
            print(f"{r['id']}  {r['status']:8}  {r['table_name']} {r['row_code'] or r['row_id']}"
                  f"  {r['kind']}: {', '.join(r['fields'])}  ({r['package_name']}, {r['login']})")
        print(f"{len(rows)} conflict(s)")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from ..sync import show_conflict

    c = show_conflict(args.db, args.id)
    if not _print(c, args.json):
        print(f"{c['table_name']} {c['row_code'] or c['row_id']}: {c['kind']} "
              f"({c['status']}), package {c['package_name']}, {c['login']}: {c['message']}")
        for f in c["by_field"]:
            print(f"  {f['field']}: base {f['base']!r} | mine {f['mine']!r} | "
                  f"theirs {f['theirs']!r}")
    return 0


def run_resolve(args: argparse.Namespace) -> int:
    from ..sync import list_conflicts, resolve_conflicts
    from ..sync.derived import derived_line

    fields = {}
    for item in args.field:
        name, sep, choice = item.partition("=")
        if not sep or choice not in ("mine", "theirs"):
            raise CliError(f"--field {item!r}: give NAME=mine or NAME=theirs")
        if name in fields:
            raise CliError(f"--field {name}: given twice; give each field once")
        fields[name] = choice
    ids = list(args.ids)
    if "all" in ids:
        if len(ids) > 1:
            raise CliError("give conflict ids or the word all, not both")
        ids = [r["id"] for r in list_conflicts(args.db)]
        if not ids:
            print("no open conflicts")
            return 0
    done = resolve_conflicts(args.db, ids, args.take, fields)
    if not _print(done, args.json):
        for d in done:
            print(f"resolved {d['id']}: {d['table']} {d['row_id']}: "
                  + ", ".join(f"{k}={v}" for k, v in d["choice"].items()))
            if d["applied"].get("note"):  # a new row given its final code
                print(f"  {d['applied']['note']}")
            for item in d.get("derived", []):
                print(f"  {derived_line(item)}")
    return 0
