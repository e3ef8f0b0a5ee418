"""Figures read together: ranges ("50 to 100 times"), pairs that tell a change ("rose to 71,000 from 58,000"), counts
carried on from the figure before ("while those ... increased to 33,000"), a figure told again ("Of the 14,700
pounds"), a unit implied by the words around a number ("deaths topped 100,000") (pure, for drugstats.extract.reader)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from drugstats.extract.candidate import Candidate
from drugstats.extract.drugs import drug_before, substances
from drugstats.extract.frame import DATED, READER, STATED
from drugstats.extract.metrics import Reading
from drugstats.extract.numbers import Number
from drugstats.extract.periods import find_period

YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
# A number that takes its unit (and drug) from the figure before: "from 568 pounds in FY2018 to 661 in FY2019".
CARRIED = re.compile(
    r"\b(?:from|to|and|versus|vs\.?|compared\s+(?:to|with)|than)\s+"
    r"(?:(?:a|the)\s+(?:[\w-]+\s+)?(?:high|low|record|peak)\s+of\s+|about\s+|nearly\s+|the\s+)?$",  # "the five-year high of"
    re.I,
)
# "... to a record 71,568. That was up from 67,114 in 2016": the sentence carries the figure of the one before
THAT_WAS = re.compile(r"\s*(?:That|This|It)(?:['’]s|\s+was|\s+is)\s+(?:up|down)\s+from\b", re.I)
# A sentence that is only a count and its year, after a count: "There were 97 in 2015.", "The previous high was 111 in
# 2019."
ELLIPTICAL = re.compile(
    r"^\s*(?:There\s+(?:were|was)|The\s+(?:previous|prior|last)\s+(?:high|record|peak|low)\s+was)\s+"
    r"(?:about\s+|nearly\s+|almost\s+|more\s+than\s+|roughly\s+)?\d[\d,]*\s+"
    r"(?:in|during)\s+(?:19|20)\d\d\s*\.?\s*$",
    re.I,
)
# what an earlier value of the same share follows: "up from", "a decrease from", "down from only"
SHARE_BEFORE = re.compile(
    r"\b(?:up|down|rising|falling|(?:an?\s+)?(?:increase|decrease|rise|drop|decline))\s+from\s+(?:only\s+|just\s+|about\s+)?$",
    re.I,
)
CARRIED_REACH = 45  # how far before a number its carrying words may start ("down from the five-year high of 197")


_RANGE = re.compile(r"^\s*(?:to|-|–|and|or)\s*$")


def ranged(sentence: str, num: Number, following: Number | None, range_ends: set[int]) -> Number:
    """ "50 to 100 times", "between 330 and 340 people", "24 to 44 overdoses": the first number takes the second's unit;
    the pair is an at_least / up_to range. Not a change: "rose from 58,000 to 71,000"."""
    if num.number_start in range_ends and num.qualifier == "exact":
        return replace(num, qualifier="up_to")
    if num.unit or following is None or not following.unit or not _RANGE.match(sentence[num.end : following.start]):
        return num
    if _CHANGE_VERB.search(sentence[: num.start]) or YEAR_LIKE.fullmatch(num.value_text):
        return num
    if num.value > following.value or _CHANGE_THEN_FROM.search(sentence[: num.start]):
        # "decreased 4.0 percent (32.6 to 31.3 deaths per 100,000)": a range never descends, and a pair after its
        # change is the change's two figures, each with the unit printed after the second
        return replace(num, unit=following.unit, unit_end=following.unit_end)
    range_ends.add(following.number_start)
    qualifier = "at_least" if num.qualifier == "exact" else num.qualifier
    return replace(num, qualifier=qualifier, unit=following.unit, unit_end=following.unit_end)


# "than" compares, except in a figure's own qualifier: "48,000 of the more than 70,000 deaths in 2017" dates both
_COMPARED = r"\b(?:from|(?<!more\s)(?<!less\s)(?<!fewer\s)than|than(?!\s+\$?\d)|compared\s+(?:to|with)|versus|vs\.?)\s+"


def compared_period(sentence: str, text: str, end: int, nxt: int) -> bool:
    """The period was read from a later figure's words, after "up from", "compared with", "than"."""
    at = sentence.find(text)
    later = nxt < len(sentence) and at >= nxt and bool(re.search(_COMPARED, sentence[end:at], re.I))
    # "8,592 pounds of cocaine, up 98% from FY 20; 33,777 pounds of methamphetamine": another figure's comparison
    earlier = 0 <= at < end - 1 and bool(re.search(_COMPARED + r"$", sentence[max(0, at - 20) : at], re.I))
    # "an increase from 2021, when four out of 10 pills contained": the year the figure's own clause opens on
    opens = at >= 0 and bool(re.match(r",?\s+when\b", sentence[at + len(text) :]))
    return (later or earlier) and not opens


def carried_deaths(sentence: str, num: Number, carried_from: Reading, after: int) -> Reading | None:
    """ "rose to 71,000 from 58,000, while those associated with stimulants ... increased to 33,000 from 25,000": a
    count carried on from a death count before it, of the drug named since, if any."""
    if not CARRIED.search(sentence[max(0, num.start - CARRIED_REACH) : num.start]):
        return None
    named = [s[2] for s in substances(sentence[after : num.start]) if s[2] != "morphine"]
    return Reading("overdose_deaths", carried_from.unit, named[-1] if named else carried_from.substance)


_YEARS = re.compile(r"\b(?:from|between)\s+(?P<a>(?:19|20)\d\d)\s+(?:to|through|and)\s+(?P<b>(?:19|20)\d\d)\b", re.I)
_TO_FROM = re.compile(r"^\s+from\s+$")  # "rose to 71,000 from 58,000": the second figure is the earlier one
_FROM_TO = re.compile(r"^\s+to\s+$")  # "rose from 58,000 to 71,000": the first one is
_CHANGE_VERB = re.compile(
    r"\b(?:rose|rising|risen|increased|increasing|jumped|grew|climbed|soared|spiked|surged|fell|dropped|declined|decreased|went|up|down)"
    r"\s+(?:\w+\s+|[\d.]+\s?%,?\s+)?(?:to|from)\s+(?:about\s+|nearly\s+|almost\s+|more\s+than\s+)?$",  # "increased 14%, from"
    re.I,
)

# the change told first, its pair after a comma or in brackets: "fell by 5.1%, from 72,224 to 68,557", "increased 54
# percent a year between 2011 and 2016, from 41,340 to 63,632", "decreased 4.0 percent (32.6 to 31.3 deaths per 100,000"
_CHANGE_THEN_FROM = re.compile(
    r"\b(?:rose|risen|increased|jumped|grew|climbed|soared|spiked|surged|fell|dropped|declined|decreased|went\s+(?:up|down)|"
    r"(?:an?\s+)?(?:increase|decrease|rise|drop|decline|jump))\b(?:[^.;:()]|\.(?=\d)){0,80}?"
    r"(?:,\s*from\s+(?:about\s+|nearly\s+|almost\s+|more\s+than\s+)?|\s*\()$",
    re.I,
)


def pairs(sentence: str, offset: int, found: list[Candidate]) -> list[Candidate]:
    """A change told as a pair, "rose to A from B" or "from B to A": B is the year before A's period when nothing
    dates B itself; when A's period is not a year, B's period is not known."""
    for a, b in zip(found, found[1:], strict=False):
        if a.metric != b.metric or a.metric not in DATED:
            continue
        gap = sentence[a.end - offset : b.start - offset]
        before_a = sentence[: a.start - offset]
        if _TO_FROM.match(gap) and _CHANGE_VERB.search(before_a):
            later, earlier, own = a, b, sentence[b.end - offset :]
        elif _FROM_TO.match(gap) and (_CHANGE_VERB.search(before_a) or _CHANGE_THEN_FROM.search(before_a)):
            later, earlier, own = b, a, gap
        else:
            continue
        if find_period(re.split(r"[,;]|\s(?:while|and|but)\s", own, maxsplit=1)[0], earlier.published, weak=False):
            continue  # "from 58,000 in 2020": dated in its own words
        i = found.index(earlier)
        # the span nearest before the pair in its clause: "...in 2013 to 32.4 in 2021; from 2020 through 2021, the rate
        # increased 14%, from 28.3 to 32.4"
        clause = sentence[: a.start - offset]
        clause = clause[clause.rfind(";") + 1 :]
        years = ([*_YEARS.finditer(clause)] or [None])[-1] or _YEARS.search(sentence)
        if years:  # "doubled from 2019 to 2020, rising from 53 to 120": each figure its year
            for j, year in ((i, int(years["a"])), (found.index(later), int(years["b"]))):
                one = found[j]
                sources = one.field_sources | {"period": STATED}
                missing = [m for m in one.missing if m != "no period stated"]
                found[j] = replace(
                    one, period_start=date(year, 1, 1), period_end=date(year, 12, 31), field_sources=sources, missing=missing
                )
            continue
        start, end = later.period_start, later.period_end
        if start and end and (end - start).days in range(364, 367):
            found[i] = replace(
                earlier,
                period_start=_year_back(start),
                period_end=_year_back(end),
                field_sources=earlier.field_sources | {"period": later.field_sources.get("period", STATED)},
                missing=[m for m in earlier.missing if m != "no period stated"],
            )
        else:
            note = "the earlier figure of a change: its period is not stated"
            found[i] = replace(earlier, period_start=None, period_end=None, missing=[*earlier.missing, note])
    return found


def _year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# The whole of a part: "Of the total 2,356 pounds seized in May, 2,312 were found at the southern border"
PARTITIVE = re.compile(r"\s*Of\s+(?:the|all|those|these)\b", re.I)
ONE_SEIZURE = re.compile(
    r"\b(?:found|discovered|hidden|concealed|stashed|packages|bundles|coolers?|in\s+the\s+(?:bed|trunk|tires?)\s+of|"
    r"(?:the|a|his|her|their)\s+(?:vehicle|truck|car|sedan|SUV|backpack|suitcase|luggage|(?:cargo\s+|shipping\s+)?container)|"
    r"traffic\s+stop)\b",
    re.I,
)
ONE_SEIZURE_NOTE = "one seizure, not a period's total: no official series counts a single seizure"


_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)


def respectively(sentence: str, offset: int, found: list[Candidate]) -> list[Candidate]:
    """ "methamphetamine and cocaine ... more than 11,000 pounds and 13,000 pounds respectively": the figures, in order,
    are the drugs named before them, in order."""
    m = _RESPECTIVELY.search(sentence)
    if not m or len(found) < 2:
        return found
    listed = [c for c in found if c.end - offset <= m.start() and c.metric == found[0].metric]
    first = min((c.start for c in listed), default=0) - offset
    named = list(dict.fromkeys(s[2] for s in substances(sentence[:first])))
    if len(listed) < 2 or len(named) != len(listed):
        return found
    by_drug = dict(zip((id(c) for c in listed), named, strict=True))
    return [
        replace(c, substance=by_drug[id(c)], field_sources=c.field_sources | {"substance": STATED}) if id(c) in by_drug else c
        for c in found
    ]


_OF_THE_DEATHS = r"\bof\s+the\s+[\d,]+\s+(?:[\w-]+\s+){0,2}?(?:deaths|overdoses|fatalities)(?:\s+(?:in|of)\s+\d{4})?\s*,\s*$"


def implied_unit(sentence: str, num: Number, previous: str | None) -> str | None:
    """A number printed without its unit: "deaths topped 100,000", "52 per 100,000", "from 568 pounds ... to 661"."""
    after = sentence[num.end :]
    before = sentence[max(0, num.start - 90) : num.start]
    if re.match(r"\s*(?:[\w-]+\s+){0,3}?(?:per|for\s+every)\s+100,000", after, re.I) or re.search(
        r"\brate\s+(?:\w+\s+){0,2}?(?:of|was|is|at|reached|to|hit)\s*$", before, re.I
    ):
        return "per_100k"
    if re.match(r"\s+of\s+(?:the\s+|all\s+|those\s+)?(?:[\w,.’'-]+\s+){0,4}?(?:deaths|overdoses|fatalities)\b", after, re.I):
        return "deaths"
    if previous in ("deaths", "people") and re.match(r"\s+of\s+(?:those|them|these)\b", after, re.I):
        return "deaths"  # "107,543 deaths, with 74,702 of those involving fentanyl"
    if re.match(r"\s*[A-Za-z]", after) and not re.match(
        r"\s*(?:in|last|this|during|for|from|over|since|by|a\s+year|annually|each|per|and|to|between|among|nationwide|with|"
        r"reported|recorded|confirmed|counted|tallied|are\s+from|were\s+from|"
        r"the\s+(?:year|month|previous|prior|same))\b",
        after,
    ):
        return None
    if previous and CARRIED.search(before[-CARRIED_REACH:]):
        return previous
    if re.search(_OF_THE_DEATHS, before, re.I):
        return "deaths"  # "Of the 245 deaths, 57 are from fentanyl"
    if previous == "per_100k" and re.search(r"\bper\s+(?:every\s+)?100,000\b[^.;]*$", before, re.I):
        return "per_100k"  # "with 56 deaths per 100,000 residents, and Delaware placed third at 55": a rate too
    if re.search(
        r"\b(?:deaths|overdoses|fatalities|death\s+toll|died)\b[^;]{0,100}?\b(?:to|reached|topped|hit|surpassed|exceeded|totaled|"
        r"totalled|of|was|were|at|passed|crossed|numbered|stood\s+at|from)\s*$",
        before,
        re.I,
    ) or re.search(r"^(?:Deaths|Overdoses|Overdose\s+deaths)\b[^;.]{0,100}?,\s*$", before, re.I):
        return "deaths"  # a lead's figure after its noun: "Deaths from drug overdoses ... in 2021, nearing 108,000"
    if drug_before(sentence, num.start) and re.search(r"\b(?:overdoses?|deaths|died|fatal\w*)\b", sentence, re.I):
        return "deaths"  # "Other drug overdoses ... included: cocaine, 59; methamphetamine 35"
    return None


_THE_BEFORE = re.compile(r"\b(?:the|those|these)\s+$", re.I)
_RESTATED_FIELDS = {"substance": ("substance",), "geography": ("geography", "county_fips", "cbp_area", "city")}


def restated(candidate: Candidate, text: str, told: dict[tuple, Candidate]) -> Candidate:
    """ "Of the 14,700 pounds caught between October 2021 and September 2022, 90% was found ...": the figure the story
    gave before (`told`: the latest figure of each value, unit and metric), told again; what its own words leave out is
    that figure's, not the story's. A lookup, not a search of every earlier figure: reading stays linear."""
    if not _THE_BEFORE.search(text[max(0, candidate.start - 12) : candidate.start]):
        return candidate
    same = told.get((candidate.value, candidate.unit, candidate.metric))
    if same is None:
        return candidate
    fields: dict[str, Any] = {}
    for source, names in _RESTATED_FIELDS.items():
        if candidate.field_sources.get(source) not in (None, STATED, READER):
            fields |= {name: getattr(same, name) for name in names}
    sources = candidate.field_sources | {f: same.field_sources.get(f, STATED) for f in _RESTATED_FIELDS if f in fields}
    return replace(candidate, **fields, field_sources=sources) if fields else candidate
