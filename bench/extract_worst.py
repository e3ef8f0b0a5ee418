"""The article reader's worst inputs against a plain article of the same size (issue 24, item 2).

`python -m bench.extract_worst [--sizes 20000 1000000]`: for each size, reads (drugstats.extract.source, then
drugstats.extract.reader.extract) a plain article, the real articles of tests/article_corpus/dev repeated to that
size, and each hostile input of the same size, best of 3, and prints each one's time and its ratio against the plain
one. HTML inputs are read as pages (their markup capped before parsing) against the plain articles as a page.
Goal: every ratio at most 3x. Nothing here is a test: wall time never gates CI.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import yaml

from drugstats.extract import reader, source

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = date(2024, 2, 1)


def plain_text() -> str:
    files = sorted((ROOT / "tests/article_corpus/dev").glob("*.yaml"))
    texts = [yaml.safe_load(p.read_text(encoding="utf-8"))["text"] for p in files]
    return "\n\n".join(texts)


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


FIGURES = ", ".join(f"{i},{i:03d} pounds" for i in range(1, 30))
HOSTILE_TEXT: dict[str, Callable[[int], str]] = {
    "a run of capitals in a figure's sentence": lambda n: _fill(
        "CBP seized 100 pounds of fentanyl in fiscal 2022, " + "A" * 1_300 + " said. ", n
    ),
    "capitalised words before 'said'": lambda n: _fill(
        "Fentanyl killed 105,000 people in 2022, " + "Aa Bb Cc Dd Ee Ff Gg " * 60 + "said. ", n
    ),
    "29 figures in one sentence": lambda n: _fill(f"CBP officers said they seized {FIGURES} of fentanyl in fiscal 2022. ", n),
    "according to, again and again": lambda n: _fill(
        "Fentanyl deaths reached 70,000 in 2021 " + "according to the CDC and " * 50 + "the DEA. ", n
    ),
    "numbers without a sentence stop": lambda n: _fill("fentanyl deaths 100,000 in 2022 and ", n),
    "a wall of digits": lambda n: _fill("1234567890 ", n),
    "split and glued numbers": lambda n: _fill("Fentanyl killed 105\u202f000 people and 105'000 more, 1.234.567 in 2022. ", n),
}


def hostile_html(n: int) -> dict[str, bytes]:
    """Markup that costs a parser most per byte: over the caps (refused before parsing) and just inside them."""
    attrs = "<p " + " ".join(f"a{i}=1" for i in range(source.MAX_TAG_ATTRIBUTES - 1)) + ">Fentanyl killed 105,000.</p>"
    return {
        "one tag with many attributes": _fill("<p " + "a=1 " * (n // 4) + ">x</p>", n).encode(),
        "many tiny tags": _fill("<b>", n).encode(),
        "deeply nested tags": _fill("<div>", n).encode(),
        "tags at the density cap": ("<html><body>" + _fill("<span>abcdefghijklmn", n - 30) + "</body></html>").encode(),
        "attributes at the caps": ("<html><body>" + _fill(attrs, n - 30) + "</body></html>").encode(),
    }


def _best(fn: Callable[[], object], rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        try:
            fn()
        except source.ArticleError:
            pass  # refused before or while reading: that is the outcome timed
        best = min(best, time.perf_counter() - started)
    return best


def read_text(text: str) -> None:
    article = source.article_from_bytes(text.encode("utf-8"), "bench", html=False)
    reader.extract(article.text, PUBLISHED)


def read_html(data: bytes) -> None:
    article = source.article_from_bytes(data, "bench.html", html=True)
    reader.extract(article.text, PUBLISHED)


def run(sizes: list[int]) -> float:
    base = plain_text()
    worst = 0.0
    for size in sizes:
        plain = _fill(base + "\n\n", size)
        plain_time = _best(lambda plain=plain: read_text(plain))
        print(f"\n{size:,} characters: plain articles {plain_time * 1000:.1f} ms")
        for name, make in HOSTILE_TEXT.items():
            text = make(size)
            took = _best(lambda text=text: read_text(text))
            worst = max(worst, took / plain_time)
            print(f"  {name:45s} {took * 1000:9.1f} ms  {took / plain_time:6.2f}x")
        page = ("<html><body>" + "".join(f"<p>{line}</p>" for line in plain.split("\n") if line) + "</body></html>").encode()
        page = page[:size]
        page_time = _best(lambda page=page: read_html(page))
        print(f"  plain articles as a page: {page_time * 1000:.1f} ms")
        for name, data in hostile_html(size).items():
            took = _best(lambda data=data: read_html(data))
            worst = max(worst, took / page_time)
            print(f"  {name:45s} {took * 1000:9.1f} ms  {took / page_time:6.2f}x")
    print(f"\nworst ratio: {worst:.2f}x (goal: at most 3x)")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 1_000_000])
    run(parser.parse_args().sizes)


if __name__ == "__main__":
    main()
