"""Benchmark: `drugstats validate` and `drugstats check` on 2,000 to 100,000 synthetic claims, against a plain yaml.safe_load.

Run from the repository root: python -m bench.bench_validate [--sizes 2000 20000 100000] [--only validate]
Each size gets a temporary copy of data/ whose claims/ holds only synthetic claims (the shipped ones, ids
made unique), 500 to a file. Every measurement runs in a fresh interpreter and reports its seconds and
peak RSS; the ratios are against a plain `yaml.safe_load` of the same files, the floor
any YAML validator starts from. Not a test: nothing here gates CI.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from drugstats import DATA_DIR

PER_FILE = 500


def synthetic_data(claims: int, into: Path) -> Path:
    """A copy of data/ whose claims/ holds `claims` copies of the shipped claims, 500 to a file, ids unique."""
    data = into / f"data-{claims}"
    shutil.copytree(DATA_DIR, data)
    records = []
    for path in sorted((DATA_DIR / "claims").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        records += ["- id: " + chunk for chunk in text.split("\n- id: ")[1:]]
    shutil.rmtree(data / "claims")
    (data / "claims").mkdir()
    for start in range(0, claims, PER_FILE):
        chunk = []
        for n in range(start, min(start + PER_FILE, claims)):
            record = records[n % len(records)].rstrip("\n") + "\n"
            chunk.append(record.replace("- id: ", f"- id: s{n}-", 1))
        (data / "claims" / f"synthetic-{start // PER_FILE:04d}.yaml").write_text("".join(chunk), encoding="utf-8")
    return data


def _c_safe_load(data: bytes):  # noqa: ANN202
    """A plain yaml.safe_load: the baseline to beat (only safe loading is used anywhere in the project)."""
    return yaml.safe_load(data)


def _plain(data: Path) -> int:
    count = 0
    for path in sorted((data / "claims").glob("*.yaml")):
        count += len(_c_safe_load(path.read_bytes()))
    return count


def _validate(data: Path) -> int:
    from drugstats import cli

    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["--data", str(data), "validate"]) == 0
    return 0


def _check(data: Path) -> int:
    from drugstats import cli

    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["--data", str(data), "check"]) == 0
    return 0


STAGES = {"plain": _plain, "validate": _validate, "check": _check}


def run_one(stage: str, data: Path) -> dict:
    """One stage in a fresh interpreter: seconds (imports excluded) and peak RSS in MB."""
    code = (
        "import json, resource, sys, time; from pathlib import Path; from bench import bench_validate as b; "
        "import drugstats.cli, drugstats.verdicts.pipeline; "
        f"t = time.perf_counter(); b.STAGES[{stage!r}](Path({str(data)!r})); s = time.perf_counter() - t; "
        "print(json.dumps({'seconds': s, 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def best(stage: str, data: Path, rounds: int) -> dict:
    runs = [run_one(stage, data) for _ in range(rounds)]
    return min(runs, key=lambda r: r["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000, 100_000])
    parser.add_argument("--only", choices=("validate", "check"), default=None)
    parser.add_argument("--rounds", type=int, default=3, help="best of N fresh interpreters (default 3; 1 above 20,000 claims)")
    args = parser.parse_args()
    stages = [s for s in ("validate", "check") if args.only in (None, s)]
    print(f"{'claims':>8} {'plain safe_load':>18} " + " ".join(f"{s + ' (ratio)':>24}" for s in stages) + "   peak RSS MB")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            data = synthetic_data(size, Path(tmp))
            rounds = args.rounds if size <= 20_000 else 1
            plain = best("plain", data, rounds)
            found = {s: best(s, data, rounds) for s in stages}
            cells = " ".join(f"{found[s]['seconds']:>9.2f} s ({found[s]['seconds'] / plain['seconds']:>5.2f}x)" for s in stages)
            rss = ", ".join(f"{s} {r['rss_mb']:.0f}" for s, r in {"plain": plain, **found}.items())
            print(f"{size:>8} {plain['seconds']:>16.2f} s {cells}   {rss}", flush=True)
            shutil.rmtree(data)


if __name__ == "__main__":
    main()
