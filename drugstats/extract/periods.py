"""Periods as news text states them, read against the publication date (pure, for drugstats.extract.reader; places are
in drugstats.extract.geography)."""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

MONTHS = MappingProxyType(
    {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
    | {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
    | {"sept": 9}
)
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19|20)\d\d"


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    text: str  # the words it was read from
    note: str = ""  # why there are no dates, when there are none ("per year", "no year stated")


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _months_back(published: date, month: int) -> int:
    """The year of the latest `month` that ended before the publication month."""
    return published.year if month < published.month else published.year - 1


def _prev_month_end(published: date) -> date:
    year, month = (published.year, published.month - 1) if published.month > 1 else (published.year - 1, 12)
    return month_end(year, month)


def _fiscal(year: int) -> tuple[date, date]:
    return date(year - 1, 10, 1), date(year, 9, 30)


def _fy_of(day: date) -> int:
    return day.year + 1 if day.month >= 10 else day.year


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _m(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _range(m: re.Match[str], published: date | None) -> Period | None:
    m1, y1, m2, y2 = _m(m["m1"]), m["y1"], _m(m["m2"]), m["y2"]
    if y2:
        end_year = int(y2)
    elif published and y1:
        end_year = int(y1) + (m2 < m1)
    elif published and m["d2"]:  # "From December 15 through January 7" in a story of January 10: the January 7 just past
        end_year = published.year if (m2, int(m["d2"])) <= (published.month, published.day) else published.year - 1
    elif published:
        end_year = _months_back(published, m2)
    else:
        return Period(None, None, m[0], "no year stated")
    start_year = int(y1) if y1 else end_year - (m1 > m2)
    try:
        first = date(start_year, m1, int(m["d1"])) if m["d1"] else date(start_year, m1, 1)
        last = date(end_year, m2, int(m["d2"])) if m["d2"] else month_end(end_year, m2)
    except ValueError:
        return None
    return Period(first, last, m[0])


def _year_months(m: re.Match[str], published: date | None) -> Period | None:
    first, last = _m(m["m1"]), _m(m["m2"])
    if last < first:
        return None
    year = int(m["y1"])
    return Period(date(year, first, 1), month_end(year, last), m[0])


def _ending(m: re.Match[str], published: date | None) -> Period:
    month = _m(m["m"])
    if m["y"]:
        year = int(m["y"])
    elif published:
        year = _months_back(published, month)
    else:
        return Period(None, None, m[0], "no year stated")
    months = int(m["n"]) if m["n"] and m["n"].isdecimal() else 12
    first = year * 12 + month - 1 - (months - 1)
    return Period(date(first // 12, first % 12 + 1, 1), month_end(year, month), m[0])


def _fy(m: re.Match[str], published: date | None) -> Period:
    start, end = _fiscal(_year(m["y"]))
    if published and start <= published <= end:  # a fiscal year not over yet: to the last whole month
        end = _prev_month_end(published)
        if end < start:
            return Period(None, None, m[0], "no whole month of the fiscal year yet")
    return Period(start, end, m[0])


_COUNT = MappingProxyType(
    {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11}
)


def _months_from(start: date, months: int, text: str) -> Period:
    last = start.year * 12 + start.month - 1 + months - 1
    return Period(start, month_end(last // 12, last % 12 + 1), text)


def _part_months(n: str) -> int | None:
    """The N of "the first N months": 1 to 12, else None ("first ² months", "first 99999999 months")."""
    months = int(n) if n.isdecimal() and n.isascii() and len(n) <= 2 else _COUNT.get(n)
    return months if months is not None and 1 <= months <= 12 else None


def _unread_part(m: re.Match[str]) -> Period:
    # Not the whole year: a period that cannot be read is no period, never the year it is part of.
    return Period(None, None, m[0], f"'{m[0]}' is not a part of a year drugstats can read")


def _fy_part(m: re.Match[str], published: date | None) -> Period | None:
    months = {"half": 6, "quarter": 3}.get((m["n2"] or "").lower()) or _part_months((m["n"] or "").lower())
    if months is None:
        return _unread_part(m)
    return _months_from(_fiscal(_year(m["y"]))[0], months, m[0])


_ORDINAL = MappingProxyType({"second": 2, "third": 3, "fourth": 4})


def _later_part(m: re.Match[str], published: date | None) -> Period:
    n = (m["n2"] or m["n"] or "").lower()
    months = {"half": 6, "quarter": 3}.get(n) or _part_months(n)
    if m["fy"] is None and len(m["y"]) == 2 or months is None:
        return _unread_part(m)
    start = _fiscal(_year(m["y"]))[0] if m["fy"] else date(int(m["y"]), 1, 1)
    ordinal = _ORDINAL.get(m["o"].lower(), 12 // months)  # last, final, latter: the part that ends the year
    if months * ordinal > 12 or m["n"] and m["o"].lower() in _ORDINAL:  # "the second six months": not a part to read
        return _unread_part(m)
    first = start.year * 12 + start.month - 1 + (12 - months if m["n"] else months * (ordinal - 1))
    return _months_from(date(first // 12, first % 12 + 1, 1), months, m[0])


def _year_part(m: re.Match[str], published: date | None) -> Period | None:
    n = (m["n"] or m["n2"]).lower()
    months = {"half": 6, "quarter": 3, "month": 1}.get(n) or _part_months(n)
    return _months_from(date(int(m["y"]), 1, 1), months, m[0]) if months else _unread_part(m)


def _month_only(m: re.Match[str], published: date | None) -> Period:
    """ "in July" with no year: the latest July before the publication month."""
    if not published:
        return Period(None, None, m[0], "no year stated")
    month = _m(m["m"])
    year = _months_back(published, month)
    return Period(date(year, month, 1), month_end(year, month), m[0])


def _to_end_of(m: re.Match[str], published: date | None) -> Period:
    """ "by the end of July": a running total whose start the sentence leaves out."""
    month = _m(m["m"])
    if m["y"]:
        year = int(m["y"])
    elif published:
        year = _months_back(published, month)
    else:
        return Period(None, None, m[0], "no year stated")
    return Period(None, month_end(year, month), m[0], "no start of the period stated")


def _through(m: re.Match[str], published: date | None) -> Period:
    """ "Through June, the county confirmed 245 deaths": the year so far, to the end of that month."""
    month = _m(m["m"])
    if m["y"]:
        year = int(m["y"])
    elif published:
        year = _months_back(published, month) if month != published.month else published.year
    else:
        return Period(None, None, m[0], "no year stated")
    return Period(date(year, 1, 1), month_end(year, month), m[0])


def _fy_to_go(m: re.Match[str], published: date | None) -> Period:
    """ "with one month to go in the fiscal year": the current fiscal year so far; "With just three months left in
    fiscal year 2022": that fiscal year but its last three months (October 2021 to June 2022)."""
    named = m.groupdict()
    n, year = (named.get("n") or "").lower(), named.get("y")
    left = _COUNT.get(n) or (int(n) if n.isdecimal() else None)
    if year and left and left < 12:
        start, end = _fiscal(int(year))
        last = end.year * 12 + end.month - 1 - left
        return Period(start, month_end(last // 12, last % 12 + 1), m[0])
    if not published:
        return Period(None, None, m[0], "no publication date to read it against")
    start, _ = _fiscal(_fy_of(published))
    end = _prev_month_end(published)
    return Period(start, end, m[0]) if end > start else Period(None, None, m[0], "no whole month yet")


def _years(m: re.Match[str], published: date | None) -> Period | None:
    first, last = int(m["y1"]), int(m["y2"])
    return Period(date(first, 1, 1), date(last, 12, 31), m[0]) if first < last else None


# "the lowest level since 2019", "the first time since 2018": a record's comparison, not the figure's own period
_RECORD_SINCE = re.compile(
    r"\b(?:lowest|highest|fewest|most|largest|smallest|biggest|greatest|first|worst|best|record)\b[\w\s,'’-]{0,40}$", re.I
)


def _record_since(m: re.Match[str]) -> bool:
    return bool(_RECORD_SINCE.search(m.string[max(0, m.start() - 60) : m.start()]))


def _since_year(m: re.Match[str], published: date | None) -> Period | None:
    if _record_since(m):
        return None
    if re.match(r",?\s+when\b", m.string[m.end() :]):  # "declined since 2014, when almost 2 million pounds were seized"
        year = int(m["y"])
        return Period(date(year, 1, 1), date(year, 12, 31), m[0])
    if not published:
        return Period(None, None, m[0], "no publication date to read it against")
    return Period(date(int(m["y"]), 1, 1), published, m[0])


def _relative_fy(m: re.Match[str], published: date | None) -> Period:
    if not published:
        return Period(None, None, m[0], "no publication date to read it against")
    this = _fy_of(published)
    if m["which"].lower() in ("last", "past", "previous"):
        start, end = _fiscal(this - 1)
        return Period(start, end, m[0])
    start, _ = _fiscal(this)
    end = _prev_month_end(published)
    return Period(start, end, m[0]) if end > start else Period(None, None, m[0], "no whole month yet")


def _relative_year(m: re.Match[str], published: date | None) -> Period:
    if not published:
        return Period(None, None, m[0], "no publication date to read it against")
    if m["which"].lower() in ("last", "past", "previous"):
        year = published.year - 1
        return Period(date(year, 1, 1), date(year, 12, 31), m[0])
    if not (m["ytd"] or m["ytd2"]):  # "this year" is the calendar year; "so far this year" runs to the last whole month
        return Period(date(published.year, 1, 1), date(published.year, 12, 31), m[0])
    end = _prev_month_end(published)
    return (
        Period(date(published.year, 1, 1), end, m[0])
        if end.year == published.year
        else Period(None, None, m[0], "no whole month yet")
    )


def _month_year(m: re.Match[str], published: date | None) -> Period:
    month, year = _m(m["m"]), int(m["y"])
    return Period(date(year, month, 1), month_end(year, month), m[0])


def _year_only(m: re.Match[str], published: date | None) -> Period:
    year = int(m["y"])
    return Period(date(year, 1, 1), date(year, 12, 31), m[0])


def _since(m: re.Match[str], published: date | None) -> Period | None:
    if _record_since(m):
        return None
    if not published:
        return Period(None, None, m[0], "no publication date to read it against")
    month = _m(m["m"])
    year = int(m["y"]) if m["y"] else _months_back(published, month)
    end = _prev_month_end(published)
    return Period(date(year, month, 1), end, m[0])


def _past_months(m: re.Match[str], published: date | None) -> Period:
    if not published:
        return Period(None, None, m[0], "no publication date to read it against")
    end = _prev_month_end(published)
    months = int(m["n"]) if m["n"] and m["n"].isdecimal() else 12
    first = end.year * 12 + end.month - 1 - (months - 1)
    return Period(date(first // 12, first % 12 + 1, 1), end, m[0])


def _past_year(m: re.Match[str], published: date | None) -> Period:
    """ "Over the last year" in a story of late December (a year-end tally: "as the year comes to an end") is that
    calendar year, as readers take it; at any other time, the 12 months before the publication month."""
    if published and published.month == 12 and published.day >= 15:
        return Period(date(published.year, 1, 1), date(published.year, 12, 31), m[0])
    return _past_months(m, published)


def _fy_began(m: re.Match[str], published: date | None) -> Period:
    """ "the fiscal year that began in October 2021": fiscal 2022, so far where the story is told within it."""
    start, end = _fiscal(int(m["y"]) + 1)
    if published and start <= published <= end:
        end = _prev_month_end(published)
    return Period(start, end, m[0]) if end > start else Period(None, None, m[0], "no whole month of it yet")


def _vague_span(m: re.Match[str], published: date | None) -> Period:
    return Period(None, None, m[0], f"no exact period: {m[0].strip()!r} is counted back from a day the text does not give")


def _rate(m: re.Match[str], published: date | None) -> Period:
    return Period(None, None, m[0], f"{m[0].strip()} with no year stated")


_ENDING = r"\s+(?:ending|ended|through|to)\s+(?:in\s+)?"
_MY = rf"(?P<m>{_MONTH})\s*,?\s*(?P<y>{_YEAR})"
_M_Y = rf"(?P<m>{_MONTH})(?:\s*,?\s*(?P<y>{_YEAR}))?(?![\w-])"  # the year may be left to the publication date
_FROM = rf"(?P<m1>{_MONTH})(?:\s+(?P<d1>\d{{1,2}})(?!\d))?,?(?:\s+(?P<y1>{_YEAR}))?,?"
# "from January through the end of March": the end of a month is the month
_TO = rf"(?:the\s+end\s+of\s+)?(?P<m2>{_MONTH})(?:\s+(?P<d2>\d{{1,2}})(?!\d))?,?(?:\s+(?P<y2>{_YEAR}))?"
_IN = r"(?:in\s+|during\s+)?"
_NOT_SPAN = rf"(?!\s*(?:-|–|to|and|through)\s*{_YEAR})"


_MONTH_ANY_CASE = _MONTH.replace("(?:", "(?i:", 1)  # for a capitalised month: "March drug seizures", not "may"
_OF_WHAT = r"overdose|drug|fentanyl"


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# Most specific first: the first pattern that matches a sentence gives its period.
PERIOD_PATTERNS = (
    (_p(rf"\b(?:the\s+)?(?P<n>12|twelve)[- ]months?(?:\s+period)?{_ENDING}{_M_Y}"), _ending),
    (_p(rf"\b(?:the\s+)?(?:year|12\s+months)\s+(?:ending|ended|through)\s+(?:in\s+)?{_M_Y}(?P<n>)"), _ending),
    # "Overview of 2017, January - June overdose data": the year told first, then its months
    (_p(rf"\b(?P<y1>{_YEAR}),?\s+(?P<m1>{_MONTH})\s*(?:-|–|to|through)\s*(?P<m2>{_MONTH})\b(?!\s*,?\s*{_YEAR})"), _year_months),
    (_p(rf"\b(?:between|from)\s+{_FROM}\s*,?\s+(?:and|to|through|until)\s+{_TO}"), _range),
    (_p(rf"\b{_FROM}\s+(?:through|to|-|–|and)\s+{_TO}\b"), _range),
    # "from 2011 to 2016", "between 2011 and 2012": whole calendar years (a count over them is no 12-month window)
    (_p(rf"\b(?:between|from)\s+(?P<y1>{_YEAR})\s+(?:and|to|through|until)\s+(?P<y2>{_YEAR})\b"), _years),
    (
        _p(
            rf"\bfirst\s+(?:(?P<n>\w+)\s+months|(?P<n2>half|quarter))\s+of\s+(?:the\s+)?(?:fiscal(?:\s+year)?\s*|FY\s*'?)"
            rf"(?P<y>{_YEAR}|\d\d)\b"
        ),
        _fy_part,
    ),
    # "the second quarter of 2020", "the last six months of fiscal 2021": that part of the year, never the whole year
    (
        _p(
            rf"\b(?P<o>second|third|fourth|final|last|latter)\s+(?:(?P<n2>half|quarter)|(?P<n>\w+)\s+months)\s+of\s+(?:the\s+)?"
            rf"(?P<fy>fiscal(?:\s+year)?\s*|FY\s*'?)?(?:calendar\s+year\s+)?(?P<y>{_YEAR}|\d\d)\b"
        ),
        _later_part,
    ),
    (_p(rf"\bfirst[\s-](?:(?P<n>half|quarter|month)|(?P<n2>\w+)\s+months)\s+(?:of\s+)?(?P<y>{_YEAR})\b"), _year_part),
    # "the fiscal year that began in October 2021": fiscal 2022; "at this point in FY2021": a part of it, not said which
    (
        _p(
            rf"\bthe\s+fiscal\s+year\s+(?:that|which)\s+(?:began|started)\s+(?:in\s+|on\s+)?Oct(?:ober|\.)?(?:\s+1)?,?\s+(?P<y>{_YEAR})"
        ),
        _fy_began,
    ),
    (
        _p(
            rf"\b(?:at|by|to|through)\s+(?:this|that|the\s+same)\s+point\s+(?:in|of)\s+(?:(?:fiscal(?:\s+year)?|FY)\s*)?'?(?:{_YEAR}|\d\d)\b"
        ),
        _vague_span,
    ),
    (_p(rf"\bsince\s+(?P<y>{_YEAR})\b"), _since_year),
    (_p(rf"^(?:through|thru)\s+(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR}))?\s*,"), _through),
    (_p(rf"\bby\s+the\s+end\s+of\s+{_M_Y}"), _to_end_of),
    (
        _p(
            rf"\b(?P<n>\w+)\s+months?\s+(?:to\s+go|left|remaining)\s+in\s+"
            rf"(?:the\s+(?:current\s+)?fiscal\s+year\b|(?:fiscal\s+(?:year\s+)?|FY\s*)(?P<y>{_YEAR})\b)"
        ),
        _fy_to_go,
    ),
    (_p(rf"\b(?:fiscal(?:\s+year(?:\s+of)?)?\s*(?:\(FY\)\s*)?|FY\s*'?)(?P<y>{_YEAR}|\d\d)\b"), _fy),  # "fiscal year (FY) 2017"
    (_p(rf"\b(?P<y>{_YEAR})\s+fiscal\s+year\b"), _fy),  # "for the 2023 fiscal year"
    # "since the beginning of the fiscal year", "fiscal year to date": the current fiscal year so far
    (
        _p(
            r"\bsince\s+the\s+(?:beginning|start)\s+of\s+(?:the|this)\s+(?:current\s+)?fiscal\s+year\b"
            r"|\bfiscal[\s-]year[\s-]to[\s-]date\b|\bso\s+far\s+(?:in|during)\s+the\s+(?:current\s+)?fiscal\s+year\b"
        ),
        _fy_to_go,
    ),
    (_p(rf"\b(?:so\s+far\s+)?{_IN}(?P<which>this|the\s+current|last|past|previous)\s+fiscal\s+year\b"), _relative_fy),
    (_p(rf"\b{_IN}(?:the\s+)?(?P<which>last|past|previous)\s+(?:12|twelve)\s+months\b(?P<n>)"), _past_months),
    # "Over the last year, DEA has seized ...": the 12 months before the story, not the calendar year before it
    (_p(r"\b(?:in|over|during|for|within)\s+the\s+(?:last|past)\s+year\b(?P<n>)"), _past_year),
    # "in the past eight months", "over the last few weeks": counted back from a day the text does not give exactly
    (
        _p(
            r"\b(?:in|over|during|for)\s+the\s+(?:last|past|previous)\s+(?:(?:\d+|one|two|three|four|five|six|seven|eight|"
            r"nine|ten|eleven|few|several|couple\s+of)\s+)?(?:months|weeks|days|years)\b"
        ),
        _vague_span,
    ),
    (_p(r"\b(?P<ytd>so\s+far\s+)?(?P<which>this|last|previous)\s+year(?P<ytd2>\s+so\s+far|\s+to\s+date)?\b"), _relative_year),
    (_p(rf"\bsince\s+(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR}))?\b"), _since),
    (_p(rf"\b(?:in|during|for|of)\s+(?P<m>{_MONTH})\s*,?\s+(?P<y>{_YEAR})\b"), _month_year),
    (_p(rf"\b(?:in|during|for|of|by|calendar\s+year|CY)\s*(?:the\s+year\s+)?(?P<y>{_YEAR})\b{_NOT_SPAN}"), _year_only),
    (_p(rf"(?<![\w$.,-])(?P<y>{_YEAR})(?=\s+(?:overdose|drug|fentanyl|deaths|seizures))"), _year_only),
    (_p(rf"\b(?:in|during|for)\s+(?:the\s+month\s+of\s+)?(?P<m>{_MONTH})(?![\w-])(?!\s*,?\s*\d)"), _month_only),
    (re.compile(rf"(?<![\w-])(?=[A-Z])(?P<m>{_MONTH_ANY_CASE})(?=\s+(?:(?:{_OF_WHAT})\s+)?(?:deaths|seizures))"), _month_only),
    (_p(r"\b(?:per|a|each|every)\s+(?:year|month)\b|\bannually\b|\bin\s+a\s+single\s+(?:year|month|day)\b"), _rate),
)


OUTSIDE_CALENDAR = "a period outside the calendar drugstats reads (years 1 to 9999)"


@functools.lru_cache(maxsize=1024)  # each figure of a sentence asks about the whole sentence: once per sentence
def find_period(sentence: str, published: date | None, *, weak: bool = True) -> Period | None:
    """The period a sentence states, read against the publication date; None when it states none.

    weak=False leaves out a bare month ("in July", "the report for January"), read only when nothing else is dated.
    """
    undated = None  # "October through June" with no year and no publication date: kept only if nothing is dated
    for pattern, read in PERIOD_PATTERNS:
        if read is _month_only and not weak:
            continue
        for match in pattern.finditer(sentence):
            try:
                period = read(match, published)
            except (ValueError, OverflowError):  # "last year" published in year 1, a date past 9999: no period
                return Period(None, None, match[0], OUTSIDE_CALENDAR)
            if period is not None and period.note == "no year stated":
                undated = undated or period
            elif period is not None:
                return period
    return undated
