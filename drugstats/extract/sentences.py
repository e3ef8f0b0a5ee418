"""An article split into sentences: after . ! ? before a capital and at line breaks, not after U.S. or Jan. (pure)."""

from __future__ import annotations

import re

_ABBREV = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|Gov|Sen|Rep|Lt|Sgt|Gen|Col|Capt|St|Jr|Sr|No|vs|Inc|Corp|Co|Ltd|approx|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|"
    r"Minn|Miss|Mo|Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Vt|Va|Wash|Wis|Wyo)\.)$"
)
# and where a page ran sentences together ("the previous year.This is the most recent"): a word's full stop before a
# capitalised word with no space between
_BOUNDARY = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*|(?<=[a-z][a-z])[.!?](?=['\"“‘]?[A-Z][a-z])")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split after . ! ? before a capital, and at line breaks, not after U.S. or Jan."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        if m.group(0)[0] == ".":
            before = text[max(start, m.start() - 12) : m.start() + 1]
            if _ABBREV.search(before) and not re.search(r"U\.S\.$", before) or _ends_us_then_lower(text, m):
                continue
        end = m.start() + (len(m.group(0).rstrip()) if m.group(0)[0] != "\n" else 0)
        if text[start:end].strip():
            spans.append(_strip(text, start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(_strip(text, start, len(text)))
    return spans


def _ends_us_then_lower(text: str, m: re.Match[str]) -> bool:
    # "the U.S. Customs ..." continues the sentence; "... of the U.S. Then ..." would end it, but
    # a capital after U.S. is far more often a name, so U.S. never ends a sentence.
    return text[max(0, m.start() - 3) : m.start() + 1] == "U.S."


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
