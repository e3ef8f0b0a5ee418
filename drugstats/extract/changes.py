"""A change's two periods: the one it is measured from ("up 98% from FY 20") and its own (pure, for reader).

A percent change is checkable only when both periods are known exactly. The comparison is read from the figure's own
words after it ("jumped 14 percent from March to April", "an 85 percent increase compared to the same time period last
fiscal year", "a 50 percent decrease in marijuana seizures from FY 2018"), then resolved against the figure's period
once the article has filled it in. Where the two periods are not the same months of different years, or one month
against another, the change stays unchecked: a seven-month total against a whole year is no change anyone printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from drugstats.extract.candidate import Candidate
from drugstats.extract.frame import DEFAULT, STATED
from drugstats.extract.own_period import YEAR_BEFORE, shift_period
from drugstats.extract.periods import _MONTH, _YEAR, Period, find_period, month_end

NO_EARLIER = "no earlier period to compare with"

# The figure's words up to its comparison: "14 percent", "85 percent increase in fentanyl", "decrease in marijuana
# seizures": no clause break and no number but a year (", up 1,066 percent from FY 2020" belongs to its own figure).
_LEAD_IN = rf"^(?:[^,;:—–()\d]|{_YEAR}){{0,80}}?\b"  # no other figure's number before the comparison
_FROM_MONTHS = re.compile(
    rf"{_LEAD_IN}from\s+(?P<m1>{_MONTH})(?:\s+(?P<y1>{_YEAR}))?\s+to\s+(?P<m2>{_MONTH})(?:\s+(?P<y2>{_YEAR}))?(?![\w-])", re.I
)
_AGAINST = r"(?:from|since|over|than|compared\s+(?:to|with)|when\s+compared\s+(?:to|with)|versus|vs\.?)"
_COMPARISON = re.compile(rf"{_LEAD_IN}(?P<against>{_AGAINST})\s+(?P<what>[^,;:—–()]+)", re.I)
_SAME = re.compile(r"^(?:the\s+)?same\s+(?:time\s+)?(?:period|months?|time\s+frame)\b(?P<rest>.*)$", re.I)
_IN_YEAR = re.compile(rf"^\s*(?:in|of)\s+(?P<y>{_YEAR})\b")
# "a year earlier": the figure's own months a year before; "the previous year": the whole year before a whole year
_A_YEAR_BACK = re.compile(
    r"^(?:a\s+year\s+(?:ago|earlier|before)|the\s+same\s+(?:time\s+)?(?:period|months?)\s+"
    r"(?:a\s+year\s+(?:ago|earlier|before)|(?:of\s+|in\s+)?(?:the\s+)?(?:last|previous|prior)\s+(?:fiscal\s+)?year))\b",
    re.I,
)
_BARE_YEAR = re.compile(rf"^(?:calendar\s+year\s+)?(?P<y>{_YEAR})\b(?!\s*(?:-|–|to|and|through))", re.I)
_THAN_YEAR = re.compile(rf"^(?:(?:in|during)\s+)?(?:(?:fiscal\s+(?:year\s+)?|FY\s*)?{_YEAR})\b(?!\s*(?:[,.]\d|\w))", re.I)
_AT_START = re.compile(r"^(?:the\s+)?$", re.I)  # "from the last fiscal year", never "from 2,000 pounds in FY 2020"


@dataclass(frozen=True)
class Comparison:
    """What a change is measured from, as its sentence says it."""

    span: tuple[int, int]  # where the comparison sits in the sentence (left out when reading the figure's own period)
    period: Period | None = None  # the figure's own period, where the comparison states it ("from March to April")
    earlier: Period | None = None  # the period measured from, where it is stated outright ("from FY 2018")
    years_back: int = 0  # "the same period last year": the figure's own months, a year earlier
    whole_year_back: bool = False  # "the previous year": the year before, only for a figure of a whole year
    in_year: int | None = None  # "the same time period in 2019": the figure's own months in that year


def read_comparison(sentence: str, end: int, published: date | None) -> Comparison | None:
    """The comparison in a change figure's clause after it (from sentence[end:]), or None when it states none."""
    after = sentence[end:]
    m = _FROM_MONTHS.match(after)
    if m and (m["y1"] is None) == (m["y2"] is None):
        return _months(m, end, published)
    m = _COMPARISON.match(after)
    if not m:
        return None
    what, span = m["what"].strip(), (end + m.start("against"), end + m.end())
    if _A_YEAR_BACK.match(what):
        return Comparison(span, years_back=1)
    if YEAR_BEFORE.match(what):
        return Comparison(span, whole_year_back=True)
    same = _SAME.match(what)
    if same:  # "the same period" of a time it does not name is nothing to measure from
        year = _IN_YEAR.match(same["rest"])
        return Comparison(span, in_year=int(year["y"]) if year else None)
    # "higher than ..." is blanked from the figure's own period but measured from only when a year follows it ("19%
    # more cocaine in fiscal year 2022 than 2021"), never from a drug: "more fentanyl than cocaine"
    than = m["against"].lower() == "than"
    earlier = _named(what, published) if not than or _THAN_YEAR.match(what) else None
    if earlier is not None:  # only the period's words are the comparison's; the rest of the clause may date the figure
        span = (span[0], end + m.start("what") + m["what"].find(earlier.text) + len(earlier.text))
    return Comparison(span, earlier=earlier)


def _named(what: str, published: date | None) -> Period | None:
    """The period the comparison's words begin with: "FY 20", "fiscal year 2018", "2021", "last fiscal year"."""
    year = _BARE_YEAR.match(what)
    if year:
        return Period(date(int(year["y"]), 1, 1), date(int(year["y"]), 12, 31), year[0])
    period = find_period(what, published, weak=False)
    if period is None or period.start is None or period.end is None or not _AT_START.match(what[: what.find(period.text)]):
        return None
    return period


def _months(m: re.Match[str], end: int, published: date | None) -> Comparison | None:
    """ "from March to April": April's change over March."""
    span = (end + m[0].lower().rfind("from"), end + m.end())
    both = find_period(m[0][m[0].lower().rfind("from") :], published, weak=False)
    if both is None or both.start is None or both.end is None:
        return Comparison(span)
    first = Period(both.start, month_end(both.start.year, both.start.month), m[0])
    last = Period(date(both.end.year, both.end.month, 1), both.end, m[0])
    return Comparison(span, period=last, earlier=first)


def without(sentence: str, comparison: Comparison | None) -> str:
    """The sentence with the comparison blanked out (same length), so it is never read as the figure's own period."""
    if comparison is None:
        return sentence
    a, b = comparison.span
    return sentence[:a] + " " * (b - a) + sentence[b:]


def compare(candidate: Candidate, comparison: Comparison | None) -> Candidate:
    """The candidate with the period it is measured from, or the note that it has none; only for seizure_change."""
    if candidate.metric != "seizure_change":
        return candidate
    if comparison is None and (year_before := _year_before(candidate)):
        # "a 1,066% increase in fentanyl ... during 2021", compared with nothing it names: with the year before, as a
        # reader takes a year's change; marked as read by default, so the page says so
        sources = candidate.field_sources | {"compared_to": DEFAULT}
        return replace(candidate, compared_to_start=year_before[0], compared_to_end=year_before[1], field_sources=sources)
    earlier = _earlier(candidate, comparison) if comparison else None
    if earlier is None:
        missing = candidate.missing if NO_EARLIER in candidate.missing else [*candidate.missing, NO_EARLIER]
        return replace(candidate, compared_to_start=None, compared_to_end=None, missing=missing)
    sources = candidate.field_sources | {"compared_to": STATED}
    return replace(candidate, compared_to_start=earlier[0], compared_to_end=earlier[1], field_sources=sources)


_ANY_YEAR = re.compile(r"(?<![\w.,])(?:(?:19|20)(\d\d)|(?:FY|fiscal\s+year)\s*'?(\d\d))(?![\w.,]\d)", re.I)


def _year_before(candidate: Candidate) -> tuple[date, date] | None:
    """A whole year's change that names no other year: the year before (not "compared with 2019", read or not)."""
    start, end = candidate.period_start, candidate.period_end
    if start is None or end is None or _months_long(Period(start, end, "")) != 12:
        return None
    named = {int(a or b) for a, b in _ANY_YEAR.findall(candidate.quote)}
    if named - {end.year % 100}:
        return None
    shifted = shift_period(Period(start, end, ""), -1, "")
    return (shifted.start, shifted.end) if shifted and shifted.start and shifted.end else None


def _earlier(candidate: Candidate, comparison: Comparison) -> tuple[date, date] | None:
    start, end = candidate.period_start, candidate.period_end
    if start is None or end is None:
        return None
    now = Period(start, end, "")
    shifted = None
    if comparison.years_back:
        shifted = shift_period(now, -comparison.years_back, "")
    elif comparison.whole_year_back and _months_long(now) == 12:
        shifted = shift_period(now, -1, "")
    elif comparison.in_year is not None and start.year == end.year:  # of a span across two years, which year is meant?
        shifted = shift_period(now, comparison.in_year - start.year, "")
    elif comparison.earlier is not None and _same_months(earlier := _fiscal_like(comparison.earlier, now), now):
        shifted = earlier
    if shifted is None or shifted.start is None or shifted.end is None or shifted.end >= start:
        return None
    return shifted.start, shifted.end


def _fiscal_like(earlier: Period, now: Period) -> Period:
    """A bare year measured against a fiscal year ("in fiscal year 2022 than 2021") is that fiscal year."""
    assert now.start and now.end and earlier.start and earlier.end
    fiscal = (now.start.month, now.start.day, now.end.month, now.end.day) == (10, 1, 9, 30)
    if fiscal and (earlier.start.month, earlier.end.month) == (1, 12) and earlier.start.year == earlier.end.year:
        return Period(date(earlier.end.year - 1, 10, 1), date(earlier.end.year, 9, 30), earlier.text)
    return earlier


def _months_long(period: Period) -> int:
    assert period.start and period.end
    whole = period.start.day == 1 and period.end == month_end(period.end.year, period.end.month)
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1 if whole else 0


def _same_months(earlier: Period, now: Period) -> bool:
    """The same months of an earlier year (FY2018 against FY2019), or one whole month against another."""
    a, b = earlier, now
    assert a.start and a.end and b.start and b.end
    whole_months = a.start.day == 1 == b.start.day and a.end == month_end(a.end.year, a.end.month)
    whole_months = whole_months and b.end == month_end(b.end.year, b.end.month)
    one_month = whole_months and (a.start.year, a.start.month) == (a.end.year, a.end.month)
    one_month = one_month and (b.start.year, b.start.month) == (b.end.year, b.end.month)
    same_months = (a.start.month, a.end.month) == (b.start.month, b.end.month) and whole_months
    same_months = same_months and a.end.year - a.start.year == b.end.year - b.start.year
    return one_month or same_months
