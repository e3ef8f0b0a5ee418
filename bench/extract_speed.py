"""How long `drugstats extract` takes: import, one ~2,000-word article extracted and checked, and a batch of 100.

    python -m bench.extract_speed [--against REV]

With --against (a git revision, e.g. main), the same article is also extracted by that revision's extractor in a
fresh interpreter on this machine at the same time, and the ratio is printed: the house keeps speed goals as ratios.

The article is the two seed articles (tests/articles) repeated with their numbers varied, so every
sentence is real prose and about one in six holds a figure. The build (load, validate, check the shipped
data) is timed apart: a batch loads it once.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "articles"


def article(words: int = 2_000, seed: int = 0) -> str:
    """A ~`words`-word article made of the seed articles' paragraphs, each copy with its numbers changed."""
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt")))
    parts, count, copy = [], 0, 0
    while count < words:
        copy += 1
        shift = 37 * (copy + seed)
        text = re.sub(r"\d{1,3},\d{3}", lambda m, shift=shift: f"{int(m.group(0).replace(',', '')) + shift:,}", base)
        parts.append(text)
        count += len(text.split())
    return "\n\n".join(parts)


def timed(run, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


_TIME_EXTRACT = """
import statistics, sys, time
from datetime import date
sys.path.insert(0, sys.argv[1])
from drugstats.extract.reader import extract
text = open(sys.argv[2], encoding="utf-8").read()
try:  # the frame keeps each sentence's reading: cleared, so that repeating one article times reading it afresh
    from drugstats.extract import frame
    clear = [getattr(frame, name).cache_clear for name in ("_place_of", "_period_of", "_drug_of")]
except ImportError:
    clear = []
times = []
for _ in range(9):
    for one in clear:
        one()
    started = time.perf_counter()
    extract(text, date(2023, 4, 13), "Example News")
    times.append(time.perf_counter() - started)
print(statistics.median(times))
"""


def against(revision: str, text: str) -> tuple[float, float]:
    """Median extract time of `text` by `revision`'s extractor and by this tree's, each in a fresh interpreter."""
    import tarfile
    import tempfile

    with tempfile.TemporaryDirectory() as where:
        archive = subprocess.run(["git", "archive", revision], cwd=ROOT, check=True, capture_output=True).stdout
        with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
            tar.extractall(where, filter="data")
        path = Path(where) / "article.txt"
        path.write_text(text, encoding="utf-8")
        times = []
        for tree in (where, str(ROOT)):
            out = subprocess.run([sys.executable, "-c", _TIME_EXTRACT, tree, str(path)], check=True, capture_output=True)
            times.append(float(out.stdout))
    return times[0], times[1]


def main() -> int:
    revision = sys.argv[sys.argv.index("--against") + 1] if "--against" in sys.argv else None
    code = "import drugstats.extract.reader, drugstats.extract.check, drugstats.extract.source, drugstats.extract.report"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    cold_import = time.perf_counter() - started
    baseline_started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    interpreter = time.perf_counter() - baseline_started

    from drugstats import DATA_DIR
    from drugstats.extract.check import check_candidates
    from drugstats.extract.reader import extract
    from drugstats.verdicts import pipeline

    started = time.perf_counter()
    build = pipeline.build(DATA_DIR)
    build_s = time.perf_counter() - started

    text = article()
    words = len(text.split())
    published = date(2023, 4, 13)
    candidates = extract(text, published, "Example News")
    extract_s = timed(lambda: extract(text, published, "Example News"))
    both_s = timed(lambda: check_candidates(extract(text, published, "Example News"), build, source="https://example.org/a"))

    batch = [article(seed=i) for i in range(100)]
    started = time.perf_counter()
    total = 0
    for i, one in enumerate(batch):
        total += len(check_candidates(extract(one, published, "Example News"), build, source=f"https://example.org/{i}"))
    batch_s = time.perf_counter() - started

    imported = cold_import - interpreter
    print(f"import of the extract modules (fresh interpreter, less {interpreter:.2f} s of bare start): {imported:.2f} s")
    print(f"build (load, validate, check the shipped data), once per run or batch: {build_s:.2f} s")
    print(f"one article of {words:,} words, {len(candidates)} figures: extract {extract_s * 1000:.0f} ms,", end=" ")
    print(f"extract + check {both_s * 1000:.0f} ms")
    print(f"  import + extract + check: {imported + both_s:.2f} s (target under 1 s, build apart)")
    print(f"100 articles with one build: {batch_s:.2f} s, {total:,} figures; {batch_s / 100 * 1000:.0f} ms an article")
    print(f"  against rebuilding for each: {(batch_s + 100 * build_s) / batch_s:.0f}x slower ({batch_s + 100 * build_s:.0f} s)")
    if revision:
        before, now = against(revision, text)
        print(f"extract, this tree against {revision}: {now * 1000:.1f} ms against {before * 1000:.1f} ms, {now / before:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
