"""Numbers as printed in news text: digits, number words and scales, qualifiers, units (pure, for drugstats.extract.reader)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

from drugstats.extract.geography import DEMONYMS

# Number words a news sentence spells out. A small table beats a library here: text2num and
# number-parser do not read "half a million" or "1.5 million", and we need the printed span.
SMALL = MappingProxyType(
    {
        "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
        "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
        "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
        "half": 0.5, "quarter": 0.25, "dozen": 12,
    }
)  # fmt: skip
SCALES = MappingProxyType({"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000})
SCALE_SHORT = MappingProxyType({"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000})

_WORD = "|".join(sorted((w for w in SMALL if w not in ("a", "an")), key=len, reverse=True))
_SCALE = "|".join(SCALES)
# One number as printed: "105,000", "1.5 million", "half a million", "two", "twenty-five", "27,000-plus".
NUMBER = re.compile(
    rf"""(?<![\w$£€.,/\-\u2010-\u2013\u2212\ufe63\uff0d])(?:
        (?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)
        (?:[ -]?(?P<dscale>{_SCALE})\b|(?P<short>[kKmM]|mn|bn)\b|(?P<glued>lbs?|kgs?|mg)\b)?
      | (?P<words>(?:(?:a|an|one)[ -])?(?:{_WORD})(?:[ -](?:{_WORD}))?(?:[ -](?:a[ -])?(?:{_SCALE}))?
          |(?:a|an)[ -](?:{_SCALE})
          |(?:{_SCALE})s?[ -]of[ -](?:{_SCALE})s\b)
    )(?P<plus>-plus|\+)?(?![\w]|,\d|\.\d|-\d)""",
    re.IGNORECASE | re.VERBOSE,
)

# Qualifier phrases just before a number, longest first; "exact" when none.
QUALIFIER_PHRASES = (
    ("more_than", ("more than", "over", "upwards of", "in excess of", "above", "exceeding", "greater than",
                   "north of", "topping", "surpassing", "well over", "well above", "more than a", "just over",
                   "just above", "just more than", "slightly more than", "slightly over")),
    ("at_least", ("at least", "no fewer than", "no less than", "a minimum of")),
    ("nearly", ("nearly", "almost", "close to", "just under", "just shy of", "approaching", "not quite",
                "just below", "shy of", "nearing")),
    ("about", ("about", "around", "roughly", "approximately", "some", "approx.", "closer to",
               "an approximate", "circa", "more or less", "on the order of")),
    ("less_than", ("less than", "fewer than", "under", "below")),
    ("up_to", ("up to", "as many as", "as much as", "as high as")),
)  # fmt: skip
_QUAL_INDEX = {phrase: q for q, phrases in QUALIFIER_PHRASES for phrase in phrases}
QUALIFIER_BEFORE = re.compile(
    r"(?:^|(?<=[\s(\"“]))(?P<q>"
    + "|".join(re.escape(p) for p in sorted(_QUAL_INDEX, key=len, reverse=True))
    + r")\s+(?:a\s+record\s+|the\s+)?$",
    re.IGNORECASE,
)

# A ton in a US story is a short ton, 2,000 pounds ("seized more than 50 tons of illegal narcotics"); a metric ton or a
# tonne is 1,000 kilograms. The figure keeps its words; its value is in the unit drugstats checks.
UNIT_SCALE = MappingProxyType({"tons": 2000, "ton": 2000, "metric tons": 1000, "metric ton": 1000, "tonnes": 1000, "tonne": 1000})

# Unit nouns after a number (with up to three modifier words between: "4.5 million fake fentanyl pills").
UNIT_WORDS = MappingProxyType(
    {
        "pounds": "lb", "pound": "lb", "lbs": "lb", "lb": "lb",
        "kilograms": "kg", "kilogram": "kg", "kilos": "kg", "kilo": "kg", "kg": "kg", "kgs": "kg",
        "grams": "g", "gram": "g", "g": "g",
        "milligrams": "mg", "milligram": "mg", "mg": "mg",
        "pills": "pills", "pill": "pills", "tablets": "pills", "tablet": "pills",
        "deaths": "deaths", "death": "deaths", "overdoses": "deaths", "fatalities": "deaths", "ods": "deaths",
        "od's": "deaths", "od’s": "deaths", "dead": "deaths",
        "people": "people", "persons": "people", "americans": "people", "lives": "people", "residents": "people",
        "individuals": "people", "citizens": "people", "adults": "people", "teens": "people", "teenagers": "people",
        "men": "people",
        "women": "people", "children": "people", "kids": "people",
        **{people.lower(): "people" for people in DEMONYMS},  # "5,000 Ohioans died"
        "tons": "lb", "ton": "lb", "metric tons": "kg", "metric ton": "kg", "tonnes": "kg", "tonne": "kg",
        "times": "times", "fold": "times", "percent": "percent", "per cent": "percent", "%": "percent",
        "percentage points": "percent",
    }
)  # fmt: skip
_MODIFIER = r"(?:[A-Za-z][\w'’]*(?:[-/][\w'’]+)*)"  # "accidental drug/alcohol overdose deaths"
UNIT_AFTER = re.compile(
    # up to three words between, or five with an "and": "1,696 confirmed and estimated opioid-related overdose deaths"
    # a comma may follow a compound one: "50.6 million fentanyl-laced, fake prescription pills"
    r"^(?P<gap>(?:\s*-\s*|\s+)?(?:(?:(?!(?:of|and|or|in|to|from|for|with|a|the)\b)(?:[A-Za-z][\w'’]*-[\w'’-]+,|"
    + _MODIFIER
    + r")\s+){0,3}?"
    r"|(?:(?!(?:of|in|to|from|for|with|a|the)\b)" + _MODIFIER + r"\s+){3,5}?))"
    r"(?P<unit>%|per[ -]cent\b|percentage points\b|"
    + "|".join(
        sorted((re.escape(u) for u in UNIT_WORDS if u not in ("%", "per cent", "percentage points")), key=len, reverse=True)
    )
    + r")(?![\w-])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Number:
    """A number found in a sentence: where, as printed, its value and what is printed around it."""

    start: int  # offsets in the sentence of value_text (qualifier included)
    end: int
    value_text: str
    value: float
    qualifier: str
    unit: str | None
    unit_end: int  # end offset of the unit word (== end when no unit)
    number_start: int  # where the digits or number words begin


def word_value(text: str) -> float | None:
    """The value of spelled-out numbers: "two" 2, "half a million" 500,000, "twenty-five" 25, "a dozen" 12."""
    tokens = [t for t in re.split(r"[ -]+", text.lower()) if t and t != "of"]
    if not tokens:
        return None
    total, current, seen = 0.0, 0.0, False
    for token in tokens:
        if token in ("a", "an"):
            current = current or 1
            continue
        if token in SMALL:
            small = SMALL[token]
            current = current * small if token in ("half", "quarter", "dozen") and current else current + small
            seen = True
        elif token.rstrip("s") in SCALES:
            scale = SCALES[token.rstrip("s")]
            current = (current or 1) * scale
            if scale >= 1000:
                total, current = total + current, 0.0
            seen = True
        else:
            return None
    return total + current if seen else None


def parse_number(match: re.Match[str]) -> float | None:
    if match.group("digits"):
        value = float(match.group("digits").replace(",", ""))
        scale = match.group("dscale")
        short = match.group("short")
        if scale:
            value *= SCALES[scale.lower()]
        elif short:
            value *= SCALE_SHORT[short.lower()]
        return value
    words = match.group("words")
    if re.search(r"s\s+of\s+", words, re.IGNORECASE):  # "thousands of", "hundreds of thousands": no number
        return None
    return word_value(words)


def qualifier_before(sentence: str, start: int) -> tuple[str, int]:
    """The qualifier printed just before offset `start`, and where its phrase begins."""
    window = sentence[max(0, start - 40) : start]
    found = QUALIFIER_BEFORE.search(window)
    if not found:
        record = re.search(r"(?:^|\s)(a\s+record(?:-high)?\s+)$", window, re.IGNORECASE)
        if record:
            return "exact", start - len(record.group(1))
        return "exact", start
    qualifier = _QUAL_INDEX[found.group("q").lower()]
    return qualifier, start - (len(window) - found.start("q"))


# Digits that may be one number written another way, never read in part ("105 000" is not 105, "105.000" not 105.0):
# groups joined by a space (any width), an apostrophe, an invisible character (zero-width space or joiner, word
# joiner, soft hyphen) or by dots in threes, as Europe writes thousands. Read right or not at all: a figure printed so
# is left out, and so is one after a minus sign of any kind (U+2212 included), whose sign would be lost.
_GLUE = "\u00a0\u2007\u2009\u202f\u200b\u200c\u200d\u2060\u00ad\ufeff'’"
SPLIT_NUMBER = re.compile(
    rf"\d+(?:[{_GLUE}]+\d+)+"
    r"|(?<![\d,.])\d{1,3}(?: \d{3})+(?![\d,.]\d)"
    r"|(?<![\d,.])[1-9]\d{0,2}(?:\.\d{3})+(?![\d,]|\.\d)(?!\s*(?:hundred|thousand|million|billion|mn|bn|[kKmM])\b)"
    r"|[\u2212\ufe63\uff0d]\s?\d[\d,.]*"
)


def _unreadable(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in SPLIT_NUMBER.finditer(sentence)]


_BULLET_DASH = re.compile(r"^\s*[-\u2010-\u2013\u2212]", re.M)


def find_numbers(sentence: str) -> list[Number]:
    """Every number in a sentence with its qualifier and the unit noun that follows it, if any."""
    found = []
    unreadable = _unreadable(sentence)
    # "-278 people in Palm Beach County, down from 285": a hyphen opening a line is a list's bullet, not a minus sign
    bare = _BULLET_DASH.sub(lambda m: m[0][:-1] + " ", sentence, count=1)
    for match in NUMBER.finditer(bare):
        if any(a < match.end() and match.start() < b for a, b in unreadable):
            continue
        value = parse_number(match)
        if value is None or value <= 0:
            continue
        text = match.group(0)
        if match.group("words") and text.lower() in ("a", "an", "one") and not match.group("plus"):
            continue
        qualifier, start = qualifier_before(sentence, match.start())
        if match.group("plus"):
            qualifier = "more_than"
        unit, unit_end = None, match.end()
        after = UNIT_AFTER.match(sentence[match.end() : match.end() + 80])
        if match.group("glued"):  # "10,000lb (4,500kg)": a mass unit printed against its digits
            unit = UNIT_WORDS[match.group("glued").lower()]
        elif after:
            word = re.sub(r"\s+", " ", after.group("unit").lower().replace("-", " "))
            unit = UNIT_WORDS.get(word, "percent")
            unit_end = match.end() + after.end()
            value *= UNIT_SCALE.get(word, 1)
        found.append(Number(start, match.end(), sentence[start : match.end()], value, qualifier, unit, unit_end, match.start()))
    return _metric_tons(sentence, found)


_TONS = re.compile(r"\s*tons?\b", re.I)
_LB_PER_TONNE = 2204.62


def _metric_tons(sentence: str, found: list[Number]) -> list[Number]:
    """ "63,483 pounds, or 28.8 tons": tons that restate pounds in the same sentence as metric tons are metric tons."""
    pounds = [n.value for n in found if n.unit == "lb" and not _TONS.match(sentence[n.end : n.unit_end])]
    out = []
    for n in found:
        tons = n.value / 2000 if n.unit == "lb" and _TONS.match(sentence[n.end : n.unit_end]) else None
        if tons and any(abs(p - tons * _LB_PER_TONNE) <= 0.01 * p < abs(p - tons * 2000) for p in pounds):
            n = Number(n.start, n.end, n.value_text, tons * 1000, n.qualifier, "kg", n.unit_end, n.number_start)
        out.append(n)
    return out


FRACTIONS = MappingProxyType(
    {"half": 50.0, "third": 33.3, "thirds": 66.7, "quarter": 25.0, "quarters": 75.0, "fifth": 20.0, "fifths": 40.0}
)
FRACTION = re.compile(
    r"(?<![\w-])(?<!first\s)(?<!second\s)(?<!last\s)(?<!in\s)"
    r"(?P<f>(?:(?:a|one)[ -])?half|(?:a|one)[ -](?:third|quarter|fifth)|(?:two|three|four)[ -](?:thirds|quarters|fifths))"
    r"(?![\w-])(?!\s+(?:a\s+|an\s+)?(?:million|billion|thousand|hundred|dozen|pounds?|kilo\w*|grams?|miles?|hours?|days?|"
    r"weeks?|months?|years?|decades?|century|of\s+(?:19|20)\d\d))",
    re.IGNORECASE,
)


def fractions(sentence: str) -> list[Number]:
    """ "half", "more than two-thirds", "a quarter of": a share in percent (two-thirds is 66.7)."""
    found = []
    for match in FRACTION.finditer(sentence):
        if re.search(
            r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+and\s+(?:a\s+)?$", sentence[: match.start()], re.I
        ):
            continue  # "one and a half"
        word = re.split(r"[ -]", match["f"].lower())[-1]
        value = FRACTIONS[word]
        qualifier, start = qualifier_before(sentence, match.start())
        found.append(
            Number(start, match.end(), sentence[start : match.end()], value, qualifier, "percent", match.end(), match.start())
        )
    return found


def out_of(sentence: str) -> list[Number]:
    """ "six out of 10 pills", "four in ten": a share in percent."""
    found = []
    pattern = re.compile(
        r"(?<![\w-])(?P<a>\d+|"
        + _WORD
        + r")\s+(?:out\s+of|in)\s+(?:every\s+)?(?P<b>(?!(?:19|20)\d\d\b)\d+|ten|five|three|four|hundred)(?![\w-])",
        re.IGNORECASE,
    )
    for match in pattern.finditer(sentence):
        a, b = (float(x) if x.isdigit() else word_value(x) for x in match.group("a", "b"))
        if not a or not b or a > b:
            continue
        qualifier, start = qualifier_before(sentence, match.start())
        value = round(a / b * 100, 6)
        text = sentence[start : match.end()]
        found.append(Number(start, match.end(), text, value, qualifier, "percent", match.end(), match.start()))
    return found


def is_money(sentence: str, num: Number) -> bool:
    """A sum of money ("$6.6 million", "12 million dollars"): never a drug figure."""
    return (
        sentence[max(0, num.number_start - 1) : num.number_start] in "$£€"
        and num.number_start > 0
        or bool(re.match(r"\s*(?:million\s+|billion\s+)?(?:dollars|USD)\b", sentence[num.end :], re.I))
    )
