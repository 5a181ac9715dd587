"""``roadinfra db``: create, upgrade and describe a RoadInfra database.

TARGET is a ``.gpkg`` file, a ``postgresql://`` URL or ``service=NAME`` (pg_service.conf);
passwords come from libpq (.pgpass, service file, PGPASSWORD), never from the command line.
"""

from __future__ import annotations

import argparse
import json


def register(subparsers) -> None:
    parser = subparsers.add_parser("db", help="create, upgrade and describe databases "
                                   "(GeoPackage or PostGIS)")
    sub = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)

    init = sub.add_parser("init", help="create a database at the latest schema version")
    init.add_argument("target", help="FILE.gpkg | postgresql://... | service=NAME")
    init.add_argument("--profile", default=None, help="jurisdiction profile id or TOML path "
                      "(default thai_binh)")
    init.add_argument("--json", action="store_true", help="print JSON")
    init.set_defaults(func=run_init)

    upgrade = sub.add_parser("upgrade", help="apply schema upgrades, keeping every row")
    upgrade.add_argument("target", help="FILE.gpkg | postgresql://... | service=NAME")
    upgrade.add_argument("--json", action="store_true", help="print JSON")
    upgrade.set_defaults(func=run_upgrade)

    info = sub.add_parser("info", help="schema version, profile, live and tombstoned rows")
    info.add_argument("target", help="FILE.gpkg | postgresql://... | service=NAME")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=run_info)

    check = sub.add_parser("check", help="derive what rows written by other tools (GDAL/OGR, "
                           "SQL) lack: codes, areas, chainage, PCI, ratings; list them")
    check.add_argument("target", help="FILE.gpkg | postgresql://... | service=NAME")
    check.add_argument("--fix", action="store_true", help="write the derived values (each a "
                       "logged change; typed values are never overwritten)")
    check.add_argument("--user", default=None, help="application user recorded for --fix")
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(func=run_check)


def run_init(args: argparse.Namespace) -> int:
    from ..db import create_database

    db = create_database(args.target, profile=args.profile)
    try:
        result = {"target": str(db.target), "schema_version": db.schema_version(),
                  "profile": db.profile.id, "srid": db.srs_id}
    finally:
        db.close()
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"created {result['target']}: schema version {result['schema_version']}, "
              f"profile {result['profile']}, EPSG:{result['srid']}")
    return 0


def run_upgrade(args: argparse.Namespace) -> int:
    from ..db import parse_target, upgrade_database

    rewritten: list = []
    old, new = upgrade_database(args.target, rewritten)
    target = parse_target(args.target)
    if args.json:
        print(json.dumps({"target": str(target), "from_version": old, "to_version": new,
                          "triggers_rewritten": rewritten}))
        return 0
    if old == new:
        print(f"{target}: already at schema version {new}")
    else:
        print(f"{target}: upgraded schema version {old} -> {new}")
    if rewritten:
        print(f"{target}: brought the triggers of {', '.join(rewritten)} to this RoadInfra's "
              "(stricter guards)")
    return 0


STATUS_NOTES = {
    "current": "",
    "upgrade": " (current is {current}: run roadinfra db upgrade {target})",
    "newer": " (newer than this RoadInfra's {current}: update RoadInfra to use it)",
}


def run_info(args: argparse.Namespace) -> int:
    from ..db import database_info

    info = database_info(args.target)
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    note = STATUS_NOTES[info["status"]].format(current=info["current_version"],
                                               target=info["target"])
    print(f"{info['target']} [{info['backend']}]")
    print(f"schema version {info['schema_version']}{note}; profile {info['profile']}; "
          f"EPSG:{info['srid']}; {info['created_with']}")
    width = max(len(name) for name in info["rows"])
    print(f"  {'table':<{width}}  {'live rows':>9}  {'tombstoned':>10}")
    for name, count in info["rows"].items():
        dead = info["tombstoned"][name]
        print(f"  {name:<{width}}  {'-' if count is None else count:>9}  "
              f"{'-' if dead is None else dead:>10}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Exit 0 when every row has its derived values (or --fix wrote them), 1 otherwise."""
    from ..db import open_database
    from ..derive import pending_rows

    db = open_database(args.target)
    try:
        items = pending_rows(db, fix=args.fix, user=args.user)
    finally:
        db.close()
    if args.json:
        print(json.dumps([{"table": i.table, "id": i.row_id, "row": i.label,
                           "derived": {k: _plain(v) for k, v in i.changes.items()},
                           "fixed": i.fixed,
                           "warnings": [{"field": w.field, "kind": w.kind, "message": w.message}
                                        for w in i.warnings]} for i in items],
                         ensure_ascii=False, indent=2))
    else:
        for item in items:
            for name, value in item.changes.items():
                verb = "filled" if item.fixed else "to fill"
                print(f"{item.table} {item.label}: field '{name}' {verb}: {_plain(value)}")
            for warning in item.warnings:
                print(f"{item.table} {item.label}: field '{warning.field}': {warning.message}")
        left = sum(1 for i in items if i.changes and not i.fixed)
        print(f"{len(items)} row(s) flagged, {left} with values still to derive"
              + ("" if args.fix or not left else " (run again with --fix to write them)"))
    return 1 if any(i.changes and not i.fixed for i in items) else 0


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
