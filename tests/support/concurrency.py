"""Two real processes doing read / +1 / update on one row (the lost-update experiment)."""

from __future__ import annotations

import json
import subprocess
import sys

# Each worker reads the row, "thinks" a little (as a person editing would), then writes the
# value it read + 1 with the revision it read; a refused write is read again and redone.
WORKER = r"""
import json, sys, time
from roadinfra.core.db import ConflictError, open_database

target, table, row_id, rounds, check = sys.argv[1:6]
db = open_database(target)
print("ready", flush=True)
sys.stdin.readline()  # both processes start together
conflicts = 0
for _ in range(int(rounds)):
    while True:
        row = db.fetch(table, where={"id": row_id})[0]
        time.sleep(0.005)
        try:
            db.update(table, row_id, {"spans": row["spans"] + 1}, user="worker",
                      revision=row["revision"] if check == "check" else None)
            break
        except ConflictError:
            conflicts += 1  # someone else wrote in between: read again, redo the change
db.close()
print(json.dumps({"conflicts": conflicts}), flush=True)
"""


def add_one_in_two_processes(target: str, table: str, row_id: str, rounds: int = 20,
                             check_revision: bool = True) -> list:
    """Two processes each add 1 to ``spans`` ``rounds`` times, started together; their
    reports (``conflicts``: stale writes refused and redone)."""
    mode = "check" if check_revision else "no-check"
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, target, table, row_id,
                               str(rounds), mode], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return reports
