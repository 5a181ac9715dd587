#!/usr/bin/env python3
"""Generate the PostGIS migration files from the schema definition (core/schema/tables.py).

    .venv/bin/python scripts/generate_migration.py            # write unreleased migrations
    .venv/bin/python scripts/generate_migration.py --check    # committed files == generator?
    .venv/bin/python scripts/generate_migration.py --release 2  # record 0002's sha256

A released migration (listed in RELEASED.txt) is never rewritten: change the schema with a
new version (``since=<n>`` on new tables/columns, SCHEMA_VERSION and VERSION_NAMES in
tables.py) and generate its file instead.
"""

from __future__ import annotations

import argparse
import sys

from roadinfra.core.schema.ddl_postgis import migration_sql
from roadinfra.core.schema.srs import grid_srs
from roadinfra.core.schema.tables import SCHEMA_VERSION
from roadinfra.core.schema.upgrade import RELEASED_FILE, migration_path, released, sha256


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare committed files with the generator, write nothing")
    parser.add_argument("--release", type=int, metavar="VERSION",
                        help="record the sha256 of migration VERSION in RELEASED.txt")
    args = parser.parse_args(argv)
    srs = grid_srs()
    done = released()
    if args.release:
        path = migration_path(args.release)
        if path.name in done:
            print(f"{path.name} is already released")
            return 1
        with open(RELEASED_FILE, "a", encoding="utf-8") as handle:
            handle.write(f"{sha256(path)}  {path.name}\n")
        print(f"released {path.name}")
        return 0
    status = 0
    for version in range(1, SCHEMA_VERSION + 1):
        path = migration_path(version)
        text = migration_sql(version, srs)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if args.check:
            if current != text:
                print(f"{path.name}: differs from the generator output")
                status = 1
            continue
        if current == text:
            continue
        if path.name in done:
            print(f"{path.name} is released and differs from the generator: do not edit it, "
                  "add a new schema version", file=sys.stderr)
            status = 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return status


if __name__ == "__main__":
    sys.exit(main())
