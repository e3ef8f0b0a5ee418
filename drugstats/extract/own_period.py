"""A figure's own period in its sentence: the period periods.py reads, chosen among the sentence's periods for the
figure ("the year before", "the same period in fiscal 2021", "as of April 28", two years named before it) (pure, for
drugstats.extract.reader)."""

from __future__ import annotations

import functools
import re
from datetime import date

from drugstats.extract.periods import _MONTH, _YEAR, Period, _fiscal, _fy_of, _m, _prev_month_end, find_period, month_end

# A figure compared with an earlier one: "16.1 the year before", "10,183 pounds in the same period in fiscal 2021".
YEAR_BEFORE = re.compile(
    r"\b(?:the|a)\s+(?:year|12\s+months)\s+(?:before|prior|earlier)\b|\bthe\s+(?:previous|prior|preceding)\s+year\b", re.I
)
SAME_PERIOD = re.compile(r"\bthe\s+same\s+(?:period|months?|time\s+frame)\b", re.I)
_FISCAL = re.compile(r"\bfiscal\b|\bFY\s*'?\d\d", re.I)
_CLAUSE_BREAK = re.compile(r",\s|[;:—–(]|\s-\s")  # "316 pounds ...—more than triple that of the same period": not this figure's
_COMPARED_WITH = re.compile(r"\b(?:from|than|compared\s+(?:to|with)|over|versus|vs\.?)\s+$", re.I)
AS_OF = re.compile(
    rf"\b(?:as\s+of|through|until)\s+(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?!\d)(?:\s*,\s*(?P<y>{_YEAR}))?(?![\w,]*\s*(?:-|–|to|and)\s)",
    re.I,
)


def shift_period(period: Period, years: int, text: str) -> Period | None:
    if period.start is None or period.end is None:
        return None
    try:
        start = period.start.replace(year=period.start.year + years)
        end = period.end.replace(year=period.end.year + years)
    except ValueError:  # 29 February
        end = month_end(period.end.year + years, period.end.month)
        start = date(period.start.year + years, period.start.month, 1)
    return Period(start, end, text)


@functools.lru_cache(maxsize=256)
def _cutoff(sentence: str, published: date | None) -> date | None:
    """ "as of April 28": the day a running total was counted to."""
    m = AS_OF.search(sentence)
    if not m:
        return None
    month = _m(m["m"])
    year = int(m["y"]) if m["y"] else (published.year if published and month <= published.month else None)
    try:
        return date(year, month, int(m["d"])) if year else None
    except ValueError:
        return None


RUNNING_PAST = "a fiscal year told as still running ('which began in October', 'already') that had ended long before the story"
_RUNNING = re.compile(r"\b(?:which|that)\s+began\b|\balready\b|\bso\s+far\b|\bto\s+date\b|\bthus\s+far\b", re.I)
TWO_YEARS = "two years are named before it and its own words do not say which is its own"
_A_YEAR = re.compile(r"(?<![\w/.-])((?:19|20)\d\d)(?![\w/.-]|\s*(?:-|–|to|through|and)\s*(?:19|20)\d\d)")
_SPAN_OF_YEARS = re.compile(r"(?:19|20)\d\d\s*(?:-|–|to|through|and)\s*(?:19|20)\d\d")


_YEAR_WHEN = re.compile(r"\b(?P<y>(?:19|20)\d\d),?\s+when\s+(?:[\w-]+\s+){0,3}$", re.I)


def _two_years(text: str) -> bool:
    """Two different single years, neither part of a span: "in 2017 than the rate in 2016"."""
    return not _SPAN_OF_YEARS.search(text) and len(set(_A_YEAR.findall(text))) >= 2


def figure_period(sentence: str, start: int, end: int, before: int, published: date | None) -> Period | None:
    """The period of the figure at sentence[start:end] (its clause, up to the next figure).

    Its own words up to a comma or dash first, then the words between the figure before and it, then the rest
    of its clause, then the sentence; "the year before" and "the same period in 2021" move the sentence's other
    period; "as of April 28" cuts it short.
    """
    clause, outside = sentence[start:end], sentence[:start] + " " + sentence[end:]
    lead = sentence[before:start]
    when = _YEAR_WHEN.search(lead)  # "an increase from 2021, when four out of 10 pills contained": 2021's figure
    if when:
        return Period(date(int(when["y"]), 1, 1), date(int(when["y"]), 12, 31), when["y"])
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(lead)]
    own = lead[breaks[-1] if breaks else 0 :] + clause  # its clause's words, not another figure's "so far"
    cut = _CLAUSE_BREAK.search(clause)
    near = clause[: cut.start()] if cut else clause  # the figure's own words, before any comma or dash
    period = None
    earlier = YEAR_BEFORE.search(clause)
    if earlier and not _COMPARED_WITH.search(clause[: earlier.start()]) and not _CLAUSE_BREAK.search(clause[: earlier.start()]):
        base = find_period(outside, published)
        period = shift_period(base, -1, earlier[0]) if base else None
    same = SAME_PERIOD.search(clause)
    if period is None and same and not _CLAUSE_BREAK.search(clause[: same.start()]):
        target, base = find_period(clause[same.end() :], published), find_period(outside, published)
        if target and base and target.start and base.start:
            period = shift_period(base, target.start.year - base.start.year, clause[same.start() :])
    if period is None:
        weak = find_period(sentence, published, weak=False) is None
        period = (
            find_period(near, published, weak=weak)
            or find_period(sentence[before:start], published, weak=weak)
            or find_period(clause, published, weak=weak)
        )
        if period is None and _two_years(sentence[:start]):
            # "was 9.6% higher in 2017 than the rate in 2016 (21.7 vs. 19.8 per 100,000)": which is its year is not said
            return Period(None, None, "", TWO_YEARS)
        period = period or find_period(sentence, published, weak=weak)
    if period and published and re.fullmatch(r"this\s+year", period.text.strip(), re.I) and _FISCAL.search(sentence):
        # "from 388 pounds in FY2018 to 210 pounds this year": a sentence counting in fiscal years means this fiscal year so far
        start, end = _fiscal(_fy_of(published))[0], _prev_month_end(published)
        period = Period(start, end, period.text) if end > start else period
    if period and period.end and published and _RUNNING.search(own) and _FISCAL.search(period.text):
        if (published - period.end).days > 45:  # "in the 2020 fiscal year, which began in October, ... already" (Nov 2021)
            return Period(None, None, period.text, RUNNING_PAST)
    cutoff = _cutoff(sentence, published)
    if period and period.start and period.end and cutoff and period.start <= cutoff < period.end:
        period = Period(period.start, cutoff, period.text)
    elif period and period.start and period.end and cutoff and published and period.end < cutoff <= published:
        # "As of May 3, 17,150 pounds ... in FY2023": a total counted to a day past the last whole month is not that
        # month's total; the period runs to the day (a monthly series then cannot say what it was)
        if period.end == _prev_month_end(published):
            period = Period(period.start, cutoff, period.text)
    return period
