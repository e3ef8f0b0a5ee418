"""Figures in a ranked list under a heading that says what they are ("Here are the number of drug overdose deaths per
100,000 residents in all 50 states in 2020": "1. West Virginia: 81.4"; "Here are the 10 counties with the highest rate
of fentanyl overdose deaths per 100,000 people": "43. Barnwell – 2.9") (pure, for drugstats.extract.reader)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from drugstats.extract.drugs import SUBSTANCE_WORDS
from drugstats.extract.geography import STATES
from drugstats.extract.periods import MONTHS, Period, month_end
from drugstats.extract.places import county

# "1. West Virginia: 81.4", "West Virginia — 81.4", "Kentucky: 49.2": a place and a number, nothing else on the line
LIST_LINE = re.compile(
    r"^\s*(?:\d{1,3}[.)]\s+)?(?P<place>[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+){0,2})\s*[:—–-]\s*(?P<v>\d{1,4}(?:\.\d+)?)\s*$"
)
RATE_HEADING = re.compile(
    r"\b(?:deaths?|overdoses?|mortality)\b[^.]{0,80}?\bper\s+100,000\b|\bper\s+100,000\b[^.]{0,40}\bdeaths?\b", re.I
)
COUNTIES_HEADING = re.compile(r"\bcount(?:y|ies)\b", re.I)
AGE_ADJUSTED = re.compile(r"\bage[- ]adjusted\b|\badjusted\s+for\s+age\b", re.I)
CRUDE = re.compile(r"\bcrude\s+(?:death\s+)?rates?\b", re.I)


@dataclass(frozen=True)
class Listed:
    geography: str
    county_fips: str | None
    value_text: str
    value: float
    start: int  # offset of the value in the line
    metric: str = "death_rate"
    unit: str = "per_100k"
    period: Period | None = None  # the line's own period ("December, 2024 – 992": the 12 months ending it)


def listed(line: str, heading: str = "", state: str | None = None) -> Listed | None:
    """A ranked list's line: a state and its number; or, under a heading of counties, a county of `state` (a USPS
    code: the story's state) and its number. None when the place is neither."""
    m = LIST_LINE.match(line)
    if not m:
        return None
    if m["place"] in STATES:
        return Listed("US-" + STATES[m["place"]], None, m["v"], float(m["v"]), m.start("v"))
    name = m["place"] if m["place"].lower().endswith(" county") else f"{m['place']} County"
    found = county(name, state) if state and COUNTIES_HEADING.search(heading) else None
    if not found or found[0] != state:
        return None
    return Listed("US-" + state, found[1], m["v"], float(m["v"]), m.start("v"))


# CDC's provisional counts told as a list: "Predicted 12 Month-ending Count of Drug Overdose Deaths:", "Minnesota:",
# "December, 2024 – 992", each line the count of the 12 months ending that month in the state named above it
ENDING_HEADING = re.compile(r"\b12[- ]month[- ]ending\b|\b12\s+months\s+ending\b", re.I)
STATE_LINE = re.compile(r"^\s*(?P<s>[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+){0,2})\s*:\s*$")
MONTH_LINE = re.compile(
    r"^\s*(?P<m>(?:Jan|Febr)uary|March|April|May|June|July|August|(?:Sept|Nov|Dec)ember|October),?\s+(?P<y>(?:19|20)\d\d)"
    r"\s*[:—–-]\s*(?P<v>\d{1,3}(?:,\d{3})*)\s*$"
)


def list_state(line: str) -> str | None:
    """ "Minnesota:" on a line of its own: the USPS code of the state a list's lines below it are of."""
    m = STATE_LINE.match(line)
    return STATES.get(m["s"]) if m else None


def month_listed(line: str, heading: str, state: str | None) -> Listed | None:
    """ "December, 2024 – 992" under a heading of 12-month-ending counts and a state's line: that state's count of
    overdose deaths in the 12 months ending that month."""
    m = MONTH_LINE.match(line)
    if not m or not state or not ENDING_HEADING.search(heading):
        return None
    year, month = int(m["y"]), MONTHS[m["m"].lower()]
    start = date(year - 1, month + 1, 1) if month < 12 else date(year, 1, 1)
    period = Period(start, month_end(year, month), m[0])
    value = float(m["v"].replace(",", ""))
    return Listed("US-" + state, None, m["v"], value, m.start("v"), "overdose_deaths", "deaths", period)


def rate_basis(*texts: str) -> str | None:
    """age_adjusted or crude where the sentence, else its paragraph, else the article says so; None when none does."""
    for text in texts:
        if AGE_ADJUSTED.search(text):
            return "age_adjusted"
        if CRUDE.search(text):
            return "crude"
    return None


# A bulleted list under a line that leads into it: "CBP officers at South Texas ports seized" then "• more than 17,700
# pounds of marijuana". Each item is read as the lead-in and the item together; its quote stays the item as printed.
BULLET = re.compile(r"^[•·▪◦*]\s*|^(?:--|[-–—])\s+|^[-–—](?=\d)")  # "-278 people in Palm Beach County"
LEAD_IN = re.compile(r"(?:[:]|[A-Za-z,])\s*$")


# "Marijuana – 1,535 pounds worth $3.8 million" under "CBP data showed the following amounts ... seized:": a list's
# line that opens on its drug, with no bullet; the drug stays in the item
DRUG_LINE = re.compile(rf"^(?=(?:{'|'.join(p for _, p in SUBSTANCE_WORDS)})\s*[–—:-]\s*\d)", re.I)


def list_item(sentence: str) -> re.Match[str] | None:
    """Where a list's item begins after its bullet (a drug's line has none); None for a line not in a list."""
    return BULLET.match(sentence) or DRUG_LINE.match(sentence)


def lead_in(sentence: str) -> str | None:
    """A line a bulleted list may follow: it ends in a colon, or in a word with no full stop."""
    return sentence.rstrip(":").rstrip() if LEAD_IN.search(sentence) and not list_item(sentence) else None


def bulleted(sentence: str, lead: str | None) -> tuple[str, int] | None:
    """The item read with its lead-in, and how far the item's text is shifted in it; None for a line not in a list."""
    m = list_item(sentence)
    if not m or not lead:
        return None
    joined = f"{lead} {sentence[m.end() :]}"
    return joined, len(joined) - len(sentence)
