"""Benchmark: checking a million weighing records against reading the same CSV.

Generates a realistic, seeded weighing-record CSV (core.loads.synthetic) in a temporary
folder, then times in the same run, best of ``--repeat``:

(a) baseline: ``pandas.read_csv(path)`` alone, default options (C engine);
(b) the full check: ``core.loads.check.check_file`` = read + parse (times, axle lists) +
    validate every row + group axles and check every limit + ESAL per vehicle.

Prints both times and their ratio. Run by hand (results go to docs/benchmarks.md):

    .venv/bin/python benchmarks/bench_loads.py --rows 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from roadinfra.core.loads.check import check_file
from roadinfra.core.loads.synthetic import write_csv


def best_of(repeat: int, func):
    best = float("inf")
    value = None
    for _ in range(repeat):
        start = time.perf_counter()
        value = func()
        best = min(best, time.perf_counter() - start)
    return best, value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20250314)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench_loads_") as tmp:
        path = Path(tmp) / "weighing.csv"
        start = time.perf_counter()
        write_csv(path, args.rows, seed=args.seed)
        generated = time.perf_counter() - start
        size_mb = path.stat().st_size / 1e6
        print(f"file: {args.rows} rows, {size_mb:.1f} MB (generated in {generated:.1f} s)")
        print(f"python {platform.python_version()}, pandas {pd.__version__}, "
              f"numpy {np.__version__}, {os.cpu_count()} CPU(s), {platform.machine()}")

        t_read, frame = best_of(args.repeat, lambda: pd.read_csv(path))
        assert len(frame) == args.rows
        del frame
        t_check, checked = best_of(args.repeat, lambda: check_file(path))
        assert len(checked.records) == args.rows and not checked.records.errors

    over = int(checked.result.overloaded.sum())
    print(f"(a) pandas.read_csv alone:          {t_read:7.2f} s  (best of {args.repeat})")
    print(f"(b) check (read+parse+check+ESAL):  {t_check:7.2f} s  (best of {args.repeat})")
    print(f"ratio check / read_csv:             {t_check / t_read:7.2f}")
    print(f"throughput: {args.rows / t_check / 1e6:.2f} M records/s; "
          f"{over} overloaded ({100 * over / args.rows:.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
