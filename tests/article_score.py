"""Score drugstats.extract on the whole-article corpus: recall, precision, per-field accuracy, yield and coverage.

    python -m bench.extract_quality tests/article_corpus/dev [--errors]

Each article's text is read whole (`extract(text, published, outlet)`); a predicted figure matches a labelled one
when it sits in the labelled sentence and their printed spans overlap, or failing that when it sits in that sentence
with the same value and unit. Field accuracy is over matched pairs. **Yield** is the share of labelled figures that
are found, complete and get the verdict the hand-labelled claim gets (both checked by drugstats on one build);
**coverage** the share whose hand-labelled claim gets a verdict other than `unverifiable`. The corpus format is in
tests/article_corpus/README.md. Scoring is pure given a build; `score_dir` loads the files.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from drugstats.extract.attribution import ORG_RE
from drugstats.extract.check import check_candidates
from drugstats.extract.places import Place
from drugstats.extract.reader import Candidate, _local_note, extract

FIELDS = (
    "value", "unit", "qualifier", "metric", "substance", "direction", "period_start", "period_end", "geography",
    "county_fips", "cbp_area", "city", "seized_by", "attributed_to", "relative_to", "per", "rate_basis",
    "compared_to_start", "compared_to_end",
)  # fmt: skip
# Fields a claim may leave unset, and the label's spelling of "unset".
_CASELESS = ("cbp_area", "attributed_to", "city")


@dataclass
class ArticleScore:
    articles: int = 0
    labelled: int = 0
    predicted: int = 0
    matched: int = 0
    yielded: int = 0  # found, complete, same verdict as the labelled claim
    covered: int = 0  # the labelled claim gets a verdict other than unverifiable
    wrong: int = 0  # found and judged (not unverifiable), but not as the labelled claim is: worse than no verdict
    field_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else 1.0

    @property
    def yield_(self) -> float:
        return self.yielded / self.labelled if self.labelled else 1.0

    @property
    def coverage(self) -> float:
        return self.covered / self.labelled if self.labelled else 1.0

    def field_accuracy(self, name: str) -> float:
        return self.field_right[name] / self.matched if self.matched else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "labelled": self.labelled,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "yield": round(self.yield_, 3),
            "coverage": round(self.coverage, 3),
            "wrong_verdicts": self.wrong,
            "field_accuracy": {f: round(self.field_accuracy(f), 3) for f in FIELDS},
        }


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


_OFFICE = re.compile(r"(?:['’]s)?\s+Office$", re.I)


def _short(name: str) -> str | None:
    """The short name drugstats gives a national body a label names in full or by a component (Border Patrol is CBP's)."""
    return next((short for short, pattern in ORG_RE if pattern.fullmatch(re.sub(r"^(?:the|U\.S\.)\s+", "", name))), None)


def _initials(letters: str, name: str) -> bool:
    """ "DHEC" for "South Carolina Department of Health and Environmental Control": the letters are the initials of the
    name's capitalised words, or their tail (a state's office without its state), three letters at least."""
    initials = "".join(w[0] for w in re.findall(r"[A-Z][A-Za-z]*", name))
    return letters.isupper() and len(letters) >= 3 and initials.endswith(letters)


def same(name: str, gold: Any, got: Any, text: str = "") -> bool:
    """A label and a reading agree: dates as dates, values within rounding, places without regard to case, and a
    source's name and the letters the article itself gives it ("the National Vital Statistics System (NVSS)")."""
    if gold == "":
        gold = None
    if name == "attributed_to" and isinstance(gold, str) and isinstance(got, str) and gold != got:
        if f"{gold} ({got})" in text or f"{got} ({gold})" in text:
            return True
        if gold in text and got in text and (_initials(gold, got) or _initials(got, gold)):
            return True
        if _OFFICE.sub("", gold).casefold() == _OFFICE.sub("", got).casefold():
            return True  # "Hennepin County Medical Examiner" and its office
        if _short(gold) is not None and _short(gold) == _short(got):
            return True  # "U.S. Border Patrol" and CBP, "National Center for Health Statistics" and NCHS: one body
    if name == "unit" and {gold, got} <= {"deaths", "people"}:
        return True  # one count of those who died (vocab: "people" is overdose_deaths' other name for "deaths")
    if name in ("period_start", "period_end", "compared_to_start", "compared_to_end"):
        return _day(gold) == got
    if name == "value":
        return gold is not None and got is not None and abs(float(gold) - float(got)) <= 1e-6 * max(1.0, abs(float(gold)))
    if name in _CASELESS and isinstance(gold, str) and isinstance(got, str):
        return gold.casefold() == got.casefold()
    return gold == got


def _span(text: str, gold: dict) -> tuple[int, int] | None:
    """Where the labelled figure is printed in the article: its value_text inside its sentence."""
    at = text.find(gold.get("sentence", ""))
    if at < 0:
        return None
    inside = gold["sentence"].find(str(gold.get("value_text", "")))
    if inside < 0:
        return at, at + len(gold["sentence"])
    return at + inside, at + inside + len(str(gold["value_text"]))


def _in_sentence(text: str, gold: dict, cand: Candidate) -> bool:
    at = text.find(gold.get("sentence", ""))
    return at >= 0 and at <= cand.start and cand.end <= at + len(gold["sentence"])


def _match(text: str, gold: dict, unused: list[Candidate]) -> Candidate | None:
    span = _span(text, gold)
    if span:
        for cand in unused:
            if span[0] < cand.end and cand.start < span[1] and _in_sentence(text, gold, cand):
                return cand
    for cand in unused:
        if _in_sentence(text, gold, cand) and same("value", gold.get("value"), cand.value) and gold.get("unit") == cand.unit:
            return cand
    return None


def gold_candidate(article: dict, gold: dict, start: int = 0) -> Candidate:
    """The hand-labelled figure as a complete candidate: the claim a careful reader would write."""
    names = set(Candidate.__dataclass_fields__)
    fields = {k: gold.get(k) for k in FIELDS if k in names}
    for name in ("period_start", "period_end", "compared_to_start", "compared_to_end"):  # a change's earlier period too
        if name in names:
            fields[name] = _day(gold.get(name))
    fields["value"] = float(gold["value"])
    fields["qualifier"] = fields.get("qualifier") or "exact"
    place = Place(gold.get("geography"), gold.get("county_fips"), gold.get("cbp_area"), gold.get("city"))
    note = _local_note(place, gold.get("metric", "")) if place.local else None
    # A county's or an area's figure is checked only where claims can carry its place, as the extractor's are.
    fields["missing"] = [note] if note else []
    return Candidate(
        quote=gold["sentence"],
        value_text=str(gold.get("value_text", "")),
        claimant=article.get("outlet"),
        published=_day(article.get("published")),
        start=start,
        end=start + len(str(gold.get("value_text", ""))),
        **fields,
    )


def _verdict(candidate: Candidate, record: Any, source: str) -> str | None:
    if not candidate.complete:
        return None
    try:
        checked = check_candidates([candidate], record, source=source)[0]
    except (LookupError, TypeError, ArithmeticError, ValueError):
        return None
    return checked.verdict.verdict if checked.verdict else None


def score_articles(articles: Iterable[dict], record: Any = None) -> ArticleScore:
    """Extract each article whole and compare with its labels; with a build (or its record), yield and coverage too."""
    result = ArticleScore()
    for article in articles:
        text, published = article["text"], _day(article.get("published"))
        found = extract(text, published, article.get("outlet"))
        source = f"https://source.invalid/{article['id']}"
        golds = article.get("figures") or []
        result.articles += 1
        result.labelled += len(golds)
        result.predicted += len(found)
        checked = {}
        if record is not None and found:
            try:
                # by position: a check may hand back a corrected candidate (a count too large for a state is the
                # nation's), and that corrected figure is what the page shows and what is scored
                checked = {id(f): c for f, c in zip(found, check_candidates(found, record, source=source), strict=True)}
            except (LookupError, TypeError, ArithmeticError, ValueError):
                checked = {}
        unused = list(found)
        for gold in golds:
            label = f"{article['id']}: {gold.get('value_text')!r}"
            gold_verdict = _verdict(gold_candidate(article, gold), record, source) if record is not None else None
            if gold_verdict and gold_verdict != "unverifiable":
                result.covered += 1
            match = _match(text, gold, unused)
            if match is None:
                result.errors.append(f"{label}: missed ({gold.get('metric')}, {gold.get('unit')})")
                continue
            unused.remove(match)
            result.matched += 1
            item = checked.get(id(match))
            shown = item.candidate if item is not None else match
            for name in FIELDS:
                got = getattr(shown, name, None)
                if same(name, gold.get(name), got, text):
                    result.field_right[name] += 1
                else:
                    result.errors.append(f"{label} {name}: labelled {gold.get(name)!r}, got {got!r}")
            if record is not None:
                got_verdict = item.verdict.verdict if item and item.verdict else None
                if got_verdict is not None and got_verdict == gold_verdict:
                    result.yielded += 1
                else:
                    result.wrong += got_verdict not in (None, "unverifiable")
                    why = "; ".join(match.missing) if not match.complete else f"got {got_verdict}"
                    result.errors.append(f"{label} verdict: labelled claim {gold_verdict}, {why}")
        for extra in unused:
            result.errors.append(f"{article['id']}: extra {extra.value_text!r} {extra.unit} ({extra.metric})")
    return result


def load_articles(folder: Path) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yaml"))]


def score_dir(folder: Path, record: Any = None) -> ArticleScore:
    return score_articles(load_articles(folder), record)


def report(name: str, result: ArticleScore) -> str:
    lines = [
        f"{name}: {result.articles} articles, {result.labelled} labelled figures, {result.predicted} predicted",
        f"precision {result.precision:.3f}  recall {result.recall:.3f}  yield {result.yield_:.3f}  "
        f"coverage {result.coverage:.3f}  wrong verdicts {result.wrong}",
    ]
    lines += [f"  {name:<14} {result.field_accuracy(name):.3f}" for name in FIELDS]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from drugstats import DATA_DIR
    from drugstats.verdicts import pipeline

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder of article files (tests/article_corpus/dev)")
    parser.add_argument("--errors", action="store_true", help="list every miss, extra figure, wrong field and verdict")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    result = score_dir(args.folder, pipeline.build(DATA_DIR))
    print(json.dumps(result.as_dict(), indent=2) if args.json else report(str(args.folder), result))
    if args.errors:
        print("\n".join(result.errors), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
