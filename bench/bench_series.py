"""Benchmark: load_series (read + validate + tidy) against a bare pandas read of the same raw files.

Run from the repository root: python -m bench.bench_series.
Reports a ratio, so it means the same on a slow machine; not a test.
"""

from __future__ import annotations

import time

import pandas as pd

from drugstats import DATA_DIR
from drugstats.official import series


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def bare_read() -> None:
    for path in sorted((DATA_DIR / "raw").glob("*/*.csv")):
        pd.read_csv(path, dtype=str, keep_default_na=False)


if __name__ == "__main__":
    loaded = series.load_series()
    rows = len(loaded.overdose_deaths) + len(loaded.seizures) + len(loaded.reference_values)
    ours, bare = best_of(5, series.load_series), best_of(5, bare_read)
    print(
        f"load_series: {ours * 1000:.0f} ms for {rows:,} rows; bare pd.read_csv of the raw files: "
        f"{bare * 1000:.0f} ms; ratio {ours / bare:.1f}x"
    )
