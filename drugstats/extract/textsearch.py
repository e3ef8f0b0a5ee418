"""Finding claims by what people type: numbers however written (105000, 105,000, 105k, 105 thousand), words by stem.

A query's numbers are read the way drugstats.extract.reader reads numbers in an article, so "105k" finds a quote printing
"105,000"; its words match a text when their Snowball stems meet ("seizure" finds "seizures"), or, failing that, when
the word appears in the text as typed (so a name such as "CBP" or part of an id still works).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import snowballstemmer

from drugstats.extract.numbers import find_numbers

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_STEMMER = snowballstemmer.stemmer("english")
_STEMMER_LOCK = threading.Lock()  # a Snowball stemmer keeps state between calls; sessions run in threads


_STEMS: dict[str, str] = {}  # word -> stem: texts repeat their words, and stemming is the slow part
_MAX_STEMS = 200_000


def _stem_all(words: list[str]) -> list[str]:
    with _STEMMER_LOCK:
        new = [w for w in dict.fromkeys(words) if w not in _STEMS]
        if len(_STEMS) + len(new) > _MAX_STEMS:  # bounded: start again rather than grow without end
            _STEMS.clear()
            new = list(dict.fromkeys(words))
        if new:
            _STEMS.update(zip(new, _STEMMER.stemWords(new), strict=True))
        return [_STEMS[w] for w in words]


def stems(text: str) -> frozenset[str]:
    """The stems of the words of a text, lowercased: "Seizures rose" -> {"seizur", "rose"}."""
    return frozenset(_stem_all([w.casefold() for w in _WORD.findall(text)]))


def numbers(text: str) -> frozenset[float]:
    """The values of the numbers printed in a text, however written."""
    return frozenset(n.value for n in find_numbers(text))


@dataclass(frozen=True)
class Query:
    """What a search box holds: the numbers it names, and its other words (as typed, and as stems)."""

    numbers: tuple[float, ...]
    words: tuple[str, ...]
    stems: tuple[str, ...]
    literals: tuple[str, ...] = ()  # what is neither a number nor a word ("%", ".*"): found as typed, never a pattern

    def __bool__(self) -> bool:
        return bool(self.numbers or self.words or self.literals)


def parse(q: str) -> Query:
    """Split a search into numbers and words: "fentanyl 105k" -> numbers (105000,), words ("fentanyl",)."""
    found = find_numbers(q)
    rest = q
    for n in sorted(found, key=lambda n: n.number_start, reverse=True):
        rest = rest[: n.number_start] + " " + rest[n.end :]
    words = tuple(dict.fromkeys(w.casefold() for w in _WORD.findall(rest) if len(w) > 1))
    word_stems = tuple(_stem_all(list(words)))
    literals = tuple(t.casefold() for t in rest.split() if not _WORD.search(t) and t.strip(".,;:!?\"'()"))
    return Query(tuple(dict.fromkeys(n.value for n in found)), words, word_stems, literals)


@dataclass(frozen=True)
class Index:
    """Per row: the numbers it holds, the stems of its text, and the text itself lowercased."""

    numbers: tuple[frozenset[float], ...]
    stems: tuple[frozenset[str], ...]
    texts: tuple[str, ...]


def index(texts: Sequence[str], values: Sequence[float | None] = ()) -> Index:
    """An index of rows: each row's text (numbers read from it) and, where given, its value."""
    row_values = list(values) or [None] * len(texts)
    return Index(
        tuple(numbers(t) | ({float(v)} if v is not None and v == v else set()) for t, v in zip(texts, row_values, strict=True)),
        tuple(stems(t) for t in texts),
        tuple(t.casefold() for t in texts),
    )


def matches(idx: Index, q: Query) -> list[bool]:
    """For each row, whether it holds every number of the query and every word (by stem, or as typed)."""
    out = []
    for row_numbers, row_stems, text in zip(idx.numbers, idx.stems, idx.texts, strict=True):
        ok = all(any(abs(n - m) <= 1e-9 * max(abs(n), 1.0) for m in row_numbers) for n in q.numbers)
        ok = ok and all(stem in row_stems or word in text for word, stem in zip(q.words, q.stems, strict=True))
        ok = ok and all(literal in text for literal in q.literals)
        out.append(ok)
    return out
