"""Score drugstats.extract.reader on a labelled corpus file: precision, recall and per-field accuracy.

    python -m bench.extract_quality tests/extract_corpus/dev.yaml [--errors]

A predicted figure matches a labelled one when their printed spans overlap in the sentence, or when
they have the same value and unit. Field accuracy is over matched pairs. The corpus format is in
tests/extract_corpus/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from drugstats.extract.reader import Candidate, extract

FIELDS = (
    "value", "unit", "qualifier", "metric", "substance", "period_start", "period_end", "geography",
    "seized_by", "attributed_to", "relative_to", "per",
)  # fmt: skip


@dataclass
class Score:
    entries: int = 0
    labelled: int = 0
    predicted: int = 0
    matched: int = 0
    field_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else 1.0

    def field_accuracy(self, name: str) -> float:
        return self.field_right[name] / self.matched if self.matched else 1.0

    @property
    def mean_field_accuracy(self) -> float:
        return sum(self.field_accuracy(f) for f in FIELDS) / len(FIELDS)

    def as_dict(self) -> dict[str, Any]:
        return {
            "entries": self.entries,
            "labelled": self.labelled,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "mean_field_accuracy": round(self.mean_field_accuracy, 3),
            "field_accuracy": {f: round(self.field_accuracy(f), 3) for f in FIELDS},
        }


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _same(name: str, gold: Any, got: Any) -> bool:
    if name in ("period_start", "period_end", "published"):
        return _day(gold) == got
    if name == "value":
        return gold is not None and abs(float(gold) - got) <= 1e-6 * max(1.0, abs(float(gold)))
    return (gold if gold != "" else None) == got


def _span(sentence: str, text: str) -> tuple[int, int] | None:
    at = sentence.find(text)
    return (at, at + len(text)) if at >= 0 else None


def _matches(sentence: str, gold: dict, cand: Candidate) -> bool:
    span = _span(sentence, str(gold.get("value_text", "")))
    if span and span[0] < cand.end and cand.start < span[1]:
        return True
    return _same("value", gold.get("value"), cand.value) and gold.get("unit") == cand.unit


def score(path: Path) -> Score:
    """Run the extractor on every sentence of the corpus file and compare with the labels."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    result = Score()
    for entry in entries:
        sentence = entry["sentence"]
        published = _day(entry.get("published"))
        found = extract(sentence, published, entry.get("outlet"))
        golds = entry.get("figures") or []
        result.entries += 1
        result.labelled += len(golds)
        result.predicted += len(found)
        unused = list(found)
        for gold in golds:
            match = next((c for c in unused if _matches(sentence, gold, c)), None)
            if match is None:
                result.errors.append(f"{entry['id']}: missed {gold.get('value_text')!r} ({gold.get('metric')})")
                continue
            unused.remove(match)
            result.matched += 1
            for name in FIELDS:
                if _same(name, gold.get(name), getattr(match, name)):
                    result.field_right[name] += 1
                else:
                    said = f"labelled {gold.get(name)!r}, got {getattr(match, name)!r}"
                    result.errors.append(f"{entry['id']}: {gold.get('value_text')!r} {name}: {said}")
        for extra in unused:
            result.errors.append(f"{entry['id']}: extra {extra.value_text!r} {extra.unit} ({extra.metric})")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a corpus YAML file (tests/extract_corpus/dev.yaml)")
    parser.add_argument("--errors", action="store_true", help="list every miss, extra figure and wrong field")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    result = score(args.corpus)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
    else:
        print(f"{args.corpus}: {result.entries} sentences, {result.labelled} labelled figures, {result.predicted} predicted")
        print(
            f"precision {result.precision:.3f}  recall {result.recall:.3f}  mean field accuracy {result.mean_field_accuracy:.3f}"
        )
        for name in FIELDS:
            print(f"  {name:<14} {result.field_accuracy(name):.3f}")
    if args.errors:
        print("\n".join(result.errors), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
