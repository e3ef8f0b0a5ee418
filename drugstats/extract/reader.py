"""Article text -> candidate claims: every drug figure with its fields, or what is missing to make it a claim (pure).

The reading is rules, not a model: sentence by sentence, each number with a unit (drugstats.extract.numbers)
is given a metric and substance by the words around it (drugstats.extract.metrics), then a period and place
(drugstats.extract.periods), the agency that seized it and whom the sentence cites
(drugstats.extract.attribution). A figure whose metric cannot be told (a count of arrests, a share of
something else, an age) is not a candidate; one whose other fields cannot be told is a candidate that says
what is missing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from datetime import date

from drugstats.claims.models import Claim
from drugstats.extract.attribution import agency, attribution
from drugstats.extract.candidate import Candidate
from drugstats.extract.changes import compare, read_comparison, without
from drugstats.extract.drugs import substances
from drugstats.extract.fill import fill_agency, fill_period, fill_source, fill_substance, governing_place, in_cbp_area, same_kind
from drugstats.extract.frame import ARTICLE, CONTINUES, DEFAULT, PARAGRAPH, STATED, Frame, Scope, read_frame, seizing_agency
from drugstats.extract.memo import Once, cached_geography, cached_place, cached_town
from drugstats.extract.metrics import GROUP, GROUP_NOTE, READERS, Context, Reading
from drugstats.extract.numbers import Number, find_numbers, fractions, is_money, out_of
from drugstats.extract.own_period import figure_period
from drugstats.extract.pairs import (
    CARRIED,
    CARRIED_REACH,
    ELLIPTICAL,
    ONE_SEIZURE,
    ONE_SEIZURE_NOTE,
    PARTITIVE,
    SHARE_BEFORE,
    THAT_WAS,
    YEAR_LIKE,
    carried_deaths,
    compared_period,
    implied_unit,
    pairs,
    ranged,
    respectively,
    restated,
)
from drugstats.extract.periods import OUTSIDE_CALENDAR, Period, find_period
from drugstats.extract.places import CBP_AREAS, Place
from drugstats.extract.ranked import (
    ENDING_HEADING,
    RATE_HEADING,
    Listed,
    bulleted,
    lead_in,
    list_item,
    list_state,
    listed,
    month_listed,
    rate_basis,
)
from drugstats.extract.sentences import sentences

_ENDS = re.compile(r"[.!?:\"”’')\]]\s*$")  # a paragraph that ends a sentence
MAX_TEXT_CHARS = 1_000_000  # ~150,000 words: far beyond any article; bounds time and memory
# Reading is linear in the text because each sentence's work is bounded: a sentence longer than this, or holding more
# numbers than this, is a table, a list or a run-on, not a sentence a claim sits in (the longest in the article corpus
# is 373 characters, the most numbers 13), and is left out (bench/extract_worst.py).
MAX_SENTENCE_CHARS = 1_500
MAX_NUMBERS_PER_SENTENCE = 30

# ------------------------------------------------------------------------------------------ vocabularies

# Words right after a number that make it no drug figure: an age, a prison term, a span of time ("the five-year high of
# 197", "the first time in six years"), a difference ("approximately 30,000 fewer fatalities than in 2023"), overdoses
# people survived ("500 overdoses that were not fatal").
NOT_A_FIGURE = re.compile(
    r"(?:[-\s]years?[-\s]old|[-\s]year[-\s]olds?|\s+years?\s+(?:in\s+|of\s+)?(?:prison|jail)|\s+months?\s+in\s+(?:prison|jail)"
    r"|[-\s](?:year|month|week|day|decade)s?\b"
    r"|\s+(?:fewer|more|less)\s+(?:\w+\s+)?(?:deaths|fatalities|overdoses|people)\b[^.;]*?\bthan\b"
    r"|\s+(?:\w+\s+)?overdoses\s+that\s+were\s+not\s+fatal\b|\s+(?:\w+\s+)?non-?fatal\b)",
    re.I,
)

# ------------------------------------------------------------------------------------------ extraction


LOCAL_FIGURE = (
    "a figure for a county, city, sector or region: drugstats checks national and state figures, and CBP's of one "
    "field office, sector or region (set the place if the figure is a state's, or the CBP area)"
)
UNNAMED_STATE = "a state's figure ('the state', 'statewide'), and no state is named before it: set the place"
NO_PLACE = "the story names no place, not even the nation: set the place"
PLACE_NOTES = (LOCAL_FIGURE, UNNAMED_STATE, NO_PLACE)  # a figure not checked until the reader names its place
# "in the state", "statewide", "the state's": a state's figure, whichever state the article is about. Not "the State
# Department", "the state of Ohio" (the state is named) or "state and federal agencies".
THE_STATE = re.compile(r"\b(?:(?:the|our)\s+state(?!\s+(?:of|department|and)\b)(?:['’]s)?|statewide|state-wide)\b", re.I)


def _missing(
    reading: Reading, period_note: str | None, has_period: bool, seized_by: str | None, place_note: str | None
) -> list[str]:
    missing = [reading.note] if reading.note else []
    if place_note:  # checked as it stood, a county's count met the nation's (or a port's seizures CBP's nationwide total)
        missing.append(place_note)
    if reading.substance is None:
        missing.append("no drug named")
    elif reading.substance not in _VOCAB_SUBSTANCES:
        missing.append(f"{reading.substance} is not a substance drugstats checks")
    if reading.metric in _NEEDS_PERIOD and not has_period:
        missing.append(period_note or "no period stated")
    if reading.metric in ("drug_seized", "seizure_change") and seized_by is None:
        missing.append("no seizing agency named")
    if reading.metric == "potency_ratio" and reading.relative_to is None:
        missing.append("not said what it is more potent than")
    if reading.metric == "deaths_per_mass" and reading.per is None:
        missing.append("no mass stated")
    return missing


def _vocab_substances() -> frozenset[str]:
    from drugstats import vocab

    return frozenset(vocab.SUBSTANCES)


_VOCAB_SUBSTANCES = _vocab_substances()
_CLAIM_FIELDS = frozenset(Claim.model_fields)  # county_fips, cbp_area: checked once claims can carry them
_SEIZURES = frozenset({"drug_seized", "seizure_change"})
_PLACE_CHECKED = frozenset({"overdose_deaths", "death_rate", "death_share"}) | _SEIZURES
_NEEDS_PERIOD = frozenset({"overdose_deaths", "death_rate", "death_share", "drug_seized", "seizure_change"})
_PERIOD_METRICS = _NEEDS_PERIOD | {"lethal_pill_share"}
_DEATH_METRICS = frozenset({"overdose_deaths", "death_rate", "death_share"})
_PLACED_METRICS = _PERIOD_METRICS
SUB_NATIONAL = re.compile(r"\b(?:sector|county|counties|city|cities|borough|parish|metro|region of)\b", re.I)


def _article_geography(text: str) -> str | None:
    return "US" if re.search(r"\bU\.S\.|\bUnited States\b|\bAmerica(?:n|ns)?\b", text) else None


def extract(text: str, published: date | None = None, claimant: str | None = None) -> list[Candidate]:
    """Every drug figure in an article, in reading order, with its claim fields (see Candidate).

    The article is read whole: its frame (drugstats.extract.frame) fills in the period, place and drug a figure's
    sentence leaves out, from its paragraph and then the article, and marks each field where it came from.
    """
    text = text[:MAX_TEXT_CHARS]
    frame = read_frame(text[:20_000], published, claimant)
    first_state = frame.state if frame.place_at == 0 else None  # a dateline's state; a lead's, once it is read
    context = Context(geography=_article_geography(text[:20_000]), last_state=first_state)
    out: list[Candidate] = []
    paragraph, scope = -1, Scope()
    heading: str | None = None  # the last sentence saying what a list's numbers are ("deaths per 100,000 residents")
    listing: str | None = None  # the state a list's lines are of, from a line of its own ("Minnesota:")
    lead: str | None = None  # the line a bulleted list below it continues
    told: dict[tuple, Candidate] = {}  # the latest figure of each value, unit and metric: what "the 14,700 pounds" restates
    for s_start, s_end in sentences(text):
        sentence = text[s_start:s_end]
        if len(sentence) > MAX_SENTENCE_CHARS:  # a table or a run-on without stops: not a sentence a claim sits in
            continue
        if (at := frame.paragraph_of(s_start)) != paragraph:
            # "For comparison, agents seized about 9.5 pounds in all of fiscal 2020": the paragraph before goes on, as
            # does one that ended mid-sentence ("(from 112 deaths in 2015" / "to 651 deaths in 2019)": a broken paste)
            broken = sentence[:1].islower() and 0 < at <= len(frame.paragraphs)
            broken = broken and not _ENDS.search(text[slice(*frame.paragraphs[at - 1])])
            paragraph, scope = at, scope if CONTINUES.match(sentence) or broken else Scope()
        item = bulleted(sentence, lead)  # "• more than 17,700 pounds of marijuana" under "CBP officers ... seized"
        joined = _sentence_candidates(item[0], s_start - item[1], published, claimant, context, frame, scope) if item else []
        found_here = [replace(c, quote=sentence) for c in joined if c.start >= s_start]
        found_here = found_here or _sentence_candidates(sentence, s_start, published, claimant, context, frame, scope)
        lead = lead if list_item(sentence) else lead_in(sentence)
        state = (context.last_state or frame.state or "")[3:] or None  # a county list's counties are the story's state's
        listing = list_state(sentence) or listing  # "Minnesota:" above "December, 2024 – 992"
        line = heading and (listed(sentence, heading, state) or month_listed(sentence, heading, listing))
        if not found_here and line:
            found_here = [_listed(line, sentence, s_start, heading, published, claimant, frame, scope)]
        if RATE_HEADING.search(sentence) or ENDING_HEADING.search(sentence):
            heading, listing = sentence, None
        for i, candidate in enumerate(found_here):
            if candidate.metric == "death_rate" and candidate.rate_basis is None:
                a, b = frame.paragraphs[paragraph] if paragraph < len(frame.paragraphs) else (s_start, s_end)
                found_here[i] = replace(candidate, rate_basis=rate_basis(sentence, text[a:b], text[:20_000]))
        for candidate in found_here:
            out.append(restated(candidate, text, told))
            told[(candidate.value, candidate.unit, candidate.metric)] = out[-1]
        last = found_here[-1] if found_here else None
        context.told_last = Reading(last.metric, last.unit, last.substance) if last else None
        scope.read(sentence, published, frame.state)
        named = cached_geography(sentence)
        if named and named != "US":
            context.last_state = named
        context.last_agency = seizing_agency(sentence) or context.last_agency
        found = substances(sentence)
        if found:
            context.last_substance = found[-1][2] if found[-1][2] != "morphine" else found[0][2]
    return out


def _listed(
    line: Listed,
    sentence: str,
    offset: int,
    heading: str,
    published: date | None,
    claimant: str | None,
    frame: Frame,
    scope: Scope,
) -> Candidate:
    """A list's line as its figure, with the heading's drug and period (else the lead's) where the line has none."""
    period, period_from = line.period or find_period(heading, published, weak=False), STATED if line.period else PARAGRAPH
    if period is None and frame.period is not None:
        period, period_from = frame.period, ARTICLE
    drugs = substances(heading)
    candidate = Candidate(
        quote=sentence,
        value_text=line.value_text,
        value=line.value,
        unit=line.unit,
        qualifier="exact",
        metric=line.metric,
        substance=drugs[0][2] if drugs else "all_drugs",
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        geography=line.geography,
        county_fips=line.county_fips,
        claimant=claimant,
        published=published,
        start=offset + line.start,
        end=offset + line.start + len(line.value_text),
        missing=[] if period and period.start and period.end else ["no period stated"],
        field_sources={"geography": STATED, "period": period_from, "substance": PARAGRAPH},
    )
    return fill_source(candidate, scope, frame)


def _numbers(sentence: str) -> list[Number]:
    shares = out_of(sentence)
    shares += [f for f in fractions(sentence) if not any(s.start <= f.number_start < s.end for s in shares)]
    taken = [(n.number_start, n.end) for n in shares]
    plain = [n for n in find_numbers(sentence) if not any(a <= n.number_start < b for a, b in taken)]
    return sorted(shares + plain, key=lambda n: n.start)


def _sentence_candidates(
    sentence: str, offset: int, published: date | None, claimant: str | None, context: Context, frame: Frame, scope: Scope
) -> list[Candidate]:
    numbers = _numbers(sentence)
    if len(numbers) > MAX_NUMBERS_PER_SENTENCE:
        return []
    found: list[Candidate] = []
    said_by = Once(lambda: attribution(sentence))  # one reading per sentence, however many figures it holds
    seized = Once(lambda: agency(sentence))
    # "7,375 pounds, a 25 percent increase from FY2016, and $6.6 million, a 77 percent increase from FY2016": what a
    # change is measured from is no own period of a figure before it
    # ("9.6% higher in 2017 than the rate in 2016 (21.7 vs. 19.8)" names no period measured from: 2016 is 19.8's)
    changes = Once(lambda: [read_comparison(sentence, n.end, published) for n in numbers if n.unit == "percent"])
    years = [_year(sentence, n) for n in numbers]
    previous: str | None = None  # the unit of the figure before: "from 568 pounds in FY2018 to 661 in FY2019"
    carried_from: Reading | None = None
    if context.told_last and THAT_WAS.match(sentence):  # "... to a record 71,568. That was up from 67,114 in 2016"
        previous, carried_from = context.told_last.unit, context.told_last
    last_end = 0
    range_ends: set[int] = set()  # where the second number of a range ("50 to 100 times") starts
    for i, num in enumerate(numbers):
        if _not_a_figure(sentence, num):
            continue
        num = ranged(sentence, num, numbers[i + 1] if i + 1 < len(numbers) else None, range_ends)
        unit = num.unit or implied_unit(sentence, num, previous)
        # "... 98 fatal heroin overdoses, down two from the 100 in 2016. There were 97 in 2015.": the same count
        told = context.told_last
        ellipsis = i == 0 and told is not None and told.metric == "overdose_deaths" and bool(ELLIPTICAL.match(sentence))
        if unit is None and ellipsis:
            unit = told.unit
        if unit is None:
            continue
        if num.unit is None:
            num = Number(num.start, num.end, num.value_text, num.value, num.qualifier, unit, num.end, num.number_start)
        reading = READERS[unit](sentence, num, context)
        if reading is None and ellipsis:
            reading = told  # the same count, another year: its drug too
        if reading is None and num.unit_end == num.end and carried_from and carried_from.metric == "overdose_deaths":
            reading = carried_deaths(sentence, num, carried_from, last_end)  # "while those ... increased to 33,000"
        if reading is None and unit == "percent" and carried_from and carried_from.metric == "death_share":
            # "caused 61% of deaths ..., up from 52% in 2016", "30.8 percent of the 2018 cases, a decrease from 42.3
            # percent in 2017": the same share, earlier
            if SHARE_BEFORE.search(sentence[max(0, num.start - 40) : num.start]):
                reading = carried_from
        if reading is None:
            continue
        last_end = num.end
        if carried_from and num.unit_end == num.end and CARRIED.search(sentence[max(0, num.start - CARRIED_REACH) : num.start]):
            if reading.metric == carried_from.metric and reading.substance in (None, "all_drugs"):
                reading = replace(reading, substance=carried_from.substance)  # "up from 67 in 2020": opioid deaths too
        carried_from = reading
        if reading.metric in _DEATH_METRICS and reading.note is None and GROUP.search(_own_words(sentence, numbers, years, i)):
            reading = replace(reading, note=GROUP_NOTE)
        previous = reading.unit if reading.unit != "percent" else previous
        period, comparison = None, None
        if reading.metric in _PERIOD_METRICS:
            nxt = next((n.start for n, year in zip(numbers[i + 1 :], years[i + 1 :], strict=True) if not year), len(sentence))
            before = max((n.end for n, year in zip(numbers[:i], years[:i], strict=True) if not year), default=0)
            if reading.metric == "seizure_change":  # "up 98% from FY 20": FY 20 is what it is measured from
                comparison = read_comparison(sentence, num.end, published)
            try:
                # (but "down 18% from 2016, when 379 people ...": a year before the figure may be its own)
                measured_from = [c for c in changes() if c and c.earlier and c.period is None and c.span[0] > num.end]
                unread = functools.reduce(without, [comparison, *measured_from], sentence)
                period = (comparison and comparison.period) or figure_period(unread, num.start, nxt, before, published)
            except (ValueError, OverflowError):  # "the first 99999999 months of 2022", a date past 9999: no period
                period = Period(None, None, "", OUTSIDE_CALENDAR)
            if period and compared_period(sentence, period.text, num.end, nxt):
                period = None  # "14,700 pounds, up from 11,200 pounds in 2021": 2021 is the earlier figure's
        has_period = period is not None and period.start is not None and period.end is not None
        if reading.metric == "drug_seized" and not has_period and ONE_SEIZURE.search(sentence):
            # "officers found 13 packages that contained 12.9 pounds of alleged meth ... in the bed of the truck": one
            # seizure, which no series counts; it never takes the story's fiscal year as if it were its total
            period = Period(None, None, "", ONE_SEIZURE_NOTE)
        seized_by = seized() if reading.metric in ("drug_seized", "seizure_change") else None
        attributed = said_by()
        if seized_by == "federal" and attributed in ("CBP", "DEA", "HSI", "DHS"):
            seized_by = attributed  # "federal authorities seized ..., according to CBP statistics"
        place, place_source, place_note, nation = None, None, None, False
        if reading.metric in _PLACED_METRICS:
            # "Of the total 2,356 pounds seized in May, 2,312 were found at the southern border": the place is the part's
            later = [n.start for n, year in zip(numbers[i + 1 :], years[i + 1 :], strict=True) if not year]
            whole = later and PARTITIVE.match(sentence) and not any(not y for y in years[:i])
            where = sentence[: later[0]] if whole else sentence
            # "agencies in San Diego and Imperial counties seized 5,091 pounds ..., 60 percent of the 8,425 pounds seized
            # around the entire country": a place in the figure's own words, between the figures either side, is its own
            earlier = max((n.end for n, year in zip(numbers[:i], years[:i], strict=True) if not year), default=0)
            own = sentence[earlier : later[0] if later else len(sentence)]
            if not whole and (earlier or later) and _names_place(sentence) and _names_place(own):
                where = own
            place, place_source, place_note = _place(where, reading.metric, context, frame, scope, offset)
            nation = _more_than_any_state(reading.metric, num.value, period) and place_source in (PARAGRAPH, ARTICLE)
            if nation:  # "Nearly 64,000 people died from an overdose in 2016" in a county's fentanyl story
                place, place_source = Place("US"), DEFAULT
        geography = place.geography if place else None
        found.append(
            Candidate(
                quote=sentence,
                value_text=num.value_text,
                value=num.value * reading.sign,
                unit=reading.unit,
                qualifier=num.qualifier,
                metric=reading.metric,
                substance=reading.substance,
                period_start=period.start if period else None,  # "by the end of July": an end and no start
                period_end=period.end if period else None,
                geography=geography,
                seized_by=seized_by,
                attributed_to=attributed,
                claimant=claimant,
                relative_to=reading.relative_to,
                per=reading.per,
                published=published,
                start=offset + num.start,
                end=offset + num.end,
                missing=_missing(reading, period.note if period else None, has_period, seized_by, place_note),
                county_fips=place.county_fips if place else None,
                cbp_area=place.cbp_area if place else None,
                city=place.city if place else None,
                direction=("down" if reading.sign < 0 else "up") if reading.metric == "seizure_change" else None,
                field_sources={"period": STATED} if has_period else {},
            )
        )
        if place_source:
            found[-1].field_sources["geography"] = place_source
        filled = fill_substance(fill_period(found[-1], scope, frame), sentence, scope, frame)
        if nation and filled.field_sources.get("substance") in (PARAGRAPH, ARTICLE):  # nor the local story's drug
            filled = replace(filled, substance="all_drugs", field_sources=filled.field_sources | {"substance": DEFAULT})
        filled = in_cbp_area(fill_agency(filled, scope, frame, context.last_agency), frame)
        found[-1] = compare(_with_local_note(fill_source(filled, scope, frame)), comparison)
    return respectively(sentence, offset, pairs(sentence, offset, found))


def _own_words(sentence: str, numbers: list[Number], years: list[bool], i: int) -> str:
    """What this figure is of: its clause up to the next figure ("the rate for females increased 15% from 17.1")."""
    start = max((m.end() for m in _CLAUSE_START.finditer(sentence, 0, numbers[i].start)), default=0)
    after = next((n.start for n, year in zip(numbers[i + 1 :], years[i + 1 :], strict=True) if not year), len(sentence))
    return sentence[start:after]


_CLAUSE_START = re.compile(r";|,\s+(?:and|but|while)\s|\s(?:while|whereas)\s")


def _with_local_note(candidate: Candidate) -> Candidate:
    if candidate.geography is None:
        return candidate
    place = Place(candidate.geography, candidate.county_fips, candidate.cbp_area, candidate.city)
    note = _local_note(place, candidate.metric, candidate.seized_by)
    return replace(candidate, missing=[note, *candidate.missing]) if note and note not in candidate.missing else candidate


def _place(
    sentence: str, metric: str, context: Context, frame: Frame, scope: Scope, offset: int = 0
) -> tuple[Place | None, str | None, str | None]:
    """A figure's place, where it came from, and why it stays unchecked (a county's or a port's figure while claims
    cannot say so; a state's figure when no state is named)."""
    state = scope.place.geography if scope.place and scope.place.geography != "US" else None
    state = state or context.last_state or frame.state
    stated = cached_place(sentence, state)
    if stated is not None and stated.cbp_area in CBP_AREAS and not same_kind(stated.cbp_area, sentence):
        stated = Place(stated.geography)  # "the Tucson Sector record, Arizona ports of entry ... 500 pounds": the ports'
    named = cached_geography(sentence)
    if stated is None and named:
        stated = Place(named)
    elif stated is not None and named and named != "US" and stated.geography not in (None, named):
        stated = Place(named)  # "Jefferson County" read in another state than the one the sentence names
    if stated is None or stated.geography == state and not stated.local:
        stated = cached_town(sentence, stated.geography if stated else state) or stated
    refers = _refers(sentence)
    if metric == "lethal_pill_share" and stated is None:
        return Place("US"), DEFAULT, None  # the DEA laboratory's share of pills tested: a national figure
    if stated is None and refers == "state" and context.last_state:
        stated, refers = None, None
        place, source = Place(context.last_state), PARAGRAPH if scope.place else ARTICLE
    elif stated is None and refers == "state" and frame.state is None and frame.home and frame.home.geography != "US":
        place, source = Place(frame.home.geography), ARTICLE  # "the state" in a Hartford paper that names none
    else:
        place, source = governing_place(stated, refers, scope, frame, offset)
    if place is None:
        note = UNNAMED_STATE if refers == "state" else NO_PLACE if refers is None and frame.placeless else LOCAL_FIGURE
        return None, None, note
    if place.cbp_area and metric not in _SEIZURES and source != STATED:  # a CBP area is where drugs are seized, not deaths
        place = Place(place.geography or "US", place.county_fips, None, place.city)
    return place, source, None  # the note of a placed figure waits for its agency (_with_local_note)


# More deaths in a year than any state has counted: CDC's provisional data (data/raw/cdc-vsrr, release of 2025-07-16)
# count at most 12,593 reported, 13,097 predicted, for one state in 12 months (California, ending August 2023), and at
# least 47,523 for the nation (ending January 2015). A year's count above this, read with a state or a county from the
# story around it, is the nation's (tests/test_reading_rules.py checks the bound against the shipped data).
MORE_THAN_ANY_STATE = 20_000


def _more_than_any_state(metric: str, value: float, period: Period | None) -> bool:
    a_year = period is None or period.start is None or period.end is None or (period.end - period.start).days <= 366
    return metric == "overdose_deaths" and value > MORE_THAN_ANY_STATE and a_year


@functools.lru_cache(maxsize=256)  # the sentence is asked once for each of its figures
def _names_place(words: str) -> bool:
    return bool(cached_geography(words) or _refers(words) or cached_place(words, None))


@functools.lru_cache(maxsize=256)
def _refers(sentence: str) -> str | None:
    return "state" if THE_STATE.search(sentence) else "local" if SUB_NATIONAL.search(sentence) else None


def _local_note(place: Place, metric: str, seized_by: str | None = None) -> str | None:
    """Why a placed figure stays unchecked: claims cannot yet say a county or a CBP area, and a city has no official
    series of its own (its state's would be read in its place). Only for the metrics whose checks
    would read a state or the nation in its place: deaths, their rates and shares, CBP's seizures."""
    if metric not in _PLACE_CHECKED or metric in _SEIZURES and seized_by not in (None, "CBP", "federal"):
        return None  # no check reads the place (a DEA seizure, a lab's pill share): it cannot be judged by the wrong one
    if place.county_fips and "county_fips" not in _CLAIM_FIELDS or place.cbp_area and "cbp_area" not in _CLAIM_FIELDS:
        return LOCAL_FIGURE
    if place.city and not (place.county_fips or place.cbp_area):
        return LOCAL_FIGURE
    # a state's CBP seizures with no CBP area are a claim like any: the check says why no official series counts them
    # (CBP counts by field office and sector, not by state)
    return None


AGE_BEFORE = re.compile(r"\b(?:(?:younger|older)\s+than|aged?|ages|under\s+(?:the\s+)?age\s+(?:of\s+)?)\s+$", re.I)
SPAN_OF_TIME = re.compile(r"[- ](?:months?|years?|weeks?|days?|quarters?)\b", re.I)
MONTH_WORD = (
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)


def _year(sentence: str, num: Number) -> bool:
    """A year, a date or a span of time ("the 12 months ending"): part of a period, not a figure that ends one's clause."""
    return (
        bool(YEAR_LIKE.fullmatch(num.value_text))
        and num.unit is None
        or bool(SPAN_OF_TIME.match(sentence[num.end :]))
        or bool(re.search(rf"{MONTH_WORD}\s*$", sentence[max(0, num.number_start - 30) : num.number_start]))
        or bool(re.search(r"\bfirst[\s-]$", sentence[max(0, num.number_start - 6) : num.number_start], re.I))  # "first half"
        or _not_a_figure(sentence, num)
    )


def _not_a_figure(sentence: str, num: Number) -> bool:
    """Ages, prison terms, money, a year, the 100,000 of "per 100,000": numbers that are never a drug figure."""
    if NOT_A_FIGURE.match(sentence[num.end :]) or is_money(sentence, num):
        return True
    if re.search(r"\b(?:per|every)\s+$", sentence[max(0, num.number_start - 10) : num.number_start], re.I):
        return True
    if AGE_BEFORE.search(sentence[max(0, num.number_start - 30) : num.number_start]):
        return True  # "children younger than 3", "ages 12 and older"
    return bool(YEAR_LIKE.fullmatch(num.value_text) and num.unit in (None, "deaths", "people"))
