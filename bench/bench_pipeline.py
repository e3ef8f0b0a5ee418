"""Benchmark: load + validate + transform + verdicts of the shipped data, and how it scales with claims.

Run from the repository root: python -m bench.bench_pipeline
Reports seconds for the shipped data (goal: at most 1 s cold) and the ratio of time per claim at
10x and 100x synthetic claims against 1x (goal: no faster than linear growth, i.e. ratios near 1).
Not a test: nothing here gates CI.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from drugstats import DATA_DIR
from drugstats.verdicts import pipeline

COLD = (
    "import time; t = time.perf_counter(); from drugstats import DATA_DIR; from drugstats.verdicts import pipeline; "
    "pipeline.build(DATA_DIR); print(time.perf_counter() - t)"
)


def cold_build_seconds() -> float:
    """A fresh interpreter each time: imports, YAML, raw CSVs, checksums, checks."""
    runs = [
        float(subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, check=True).stdout) for _ in range(3)
    ]
    return min(runs)


def scaled_data(factor: int, into: Path) -> Path:
    """A copy of data/ with each claims file repeated `factor` times (one file per copy, ids made unique)."""
    data = into / f"data-x{factor}"
    shutil.copytree(DATA_DIR, data)
    for path in list((data / "claims").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for i in range(1, factor):
            path.with_name(f"{path.stem}-copy{i}.yaml").write_text(text.replace("- id: ", f"- id: copy{i}-"), encoding="utf-8")
    return data


def build_seconds(data: Path) -> tuple[float, int]:
    start = time.perf_counter()
    build = pipeline.build(data)
    return time.perf_counter() - start, len(build.claims)


if __name__ == "__main__":
    cold = cold_build_seconds()
    print(f"cold build of the shipped data (fresh interpreter, best of 3): {cold:.2f} s (goal <= 1 s)")
    with tempfile.TemporaryDirectory() as tmp:
        base_seconds, base_claims = build_seconds(scaled_data(1, Path(tmp)))
        per_claim = base_seconds / base_claims
        for factor in (10, 100):
            seconds, claims = build_seconds(scaled_data(factor, Path(tmp)))
            ratio = (seconds / claims) / per_claim
            print(
                f"x{factor}: {claims} claims in {seconds:.2f} s; time per claim vs x1: {ratio:.2f} (goal <= 1: linear or better)"
            )
