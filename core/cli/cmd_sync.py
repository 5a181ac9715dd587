"""``roadinfra sync``: send a package's changes and bring back the server's."""

from __future__ import annotations

import argparse
import json


def register(subparsers) -> None:
    parser = subparsers.add_parser("sync", help="sync an offline package with the database")
    parser.add_argument("package", metavar="FILE.gpkg", help="offline package")
    parser.add_argument("--db", required=True, metavar="TARGET",
                        help="provincial database: FILE.gpkg | postgresql://... | service=NAME")
    parser.add_argument("--json", action="store_true",
                        help="print what was sent, received, applied and left in conflict")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..sync import sync_package
    from ..sync.derived import derived_line

    report = sync_package(args.package, args.db)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    sent, got = report["sent"], report["received"]
    print(f"changeset {report['changeset']}"
          + (" (already applied: nothing sent again)" if report["replayed"] else ""))
    print(f"sent: {sent['insert']} new, {sent['update']} changed, {sent['delete']} deleted")
    print(f"received: {got['insert']} new, {got['update']} changed, {got['delete']} deleted")
    if report.get("upgraded"):
        print(f"package upgraded: schema version {report['upgraded'][0]} -> "
              f"{report['upgraded'][1]} (its tables were already those of "
              f"{report['upgraded'][1]})")
    photos = report["photos"]
    print(f"photos: {photos['to_server']} stored on the server "
          f"({photos['already_on_server']} already there), {photos['to_package']} "
          "received")
    for item in photos["problems"]:
        print(f"photo problem ({item['side']}): attachment {item['row_id']} of "
              f"{item['target_table']} {item['target_id']}: {item['file']}: "
              f"{item['problem']}")
    for item in photos.get("duplicates", []):
        print(f"photo duplicate: attachment {item['row_id']}: {item['message']}")
    for item in photos.get("discarded", []):
        print(f"photo discarded: attachment {item['row_id']}: {item['message']}")
    for item in report.get("dropped", []):
        if item["table"] != "attachment":  # an attachment is a "photo discarded" line
            print(f"dropped: {item['message']}")
    for code in report["codes"]:
        print(f"code: {code['table']} {code['provisional']} -> {code['final']}")
    for item in report.get("derived", []):
        print(derived_line(item))
    for item in report["conflicts"]:
        print(f"conflict {item['id']}: {item['table']} {item['code'] or item['row_id']} "
              f"({item['kind']}: {', '.join(item['fields'])}): {item['message']}")
    for item in report["refused"]:
        print(f"refused {item['id']}: {item['table']} {item['code'] or item['row_id']}: "
              f"{item['message']}")
    if report["open_conflicts"]:
        print("open conflicts of this package this login is shown: "
              f"{report['open_conflicts']} (roadinfra conflicts list)")
    return 0
