"""A figure's missing fields from the story around it: its period, drug, seizing agency, source and place from its
paragraph, else the article's frame (drugstats.extract.frame), each filled field marked where it came from (pure, for
drugstats.extract.reader)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from drugstats.extract.candidate import Candidate
from drugstats.extract.drugs import WHOLE_BEFORE, death_drug, substances
from drugstats.extract.frame import (
    ARTICLE,
    DATED,
    DEFAULT,
    PARAGRAPH,
    REFERENCE_METRICS,
    STATED,
    Frame,
    Scope,
)
from drugstats.extract.geography import NATIONAL, STATES
from drugstats.extract.metrics import every_drug_seized
from drugstats.extract.own_period import YEAR_BEFORE, shift_period
from drugstats.extract.places import CBP_REGIONS, Place, counties

# A count that says it is of every drug: "drug overdoses", "overall", "in total". Without such words, a death count in a
# story about one drug is that drug's.
ALL_DRUGS = re.compile(r"\bdrugs?\b|\boverall\b|\btotal\b|\ball\s+(?:overdose|the)|\bany\s+(?:drug|substance)", re.I)
# "the drug": one drug, the story's; not a title ("The Drug Overdose Report") nor a kind of thing ("the drug trade")
_THE_DRUG_WORDS = (
    r"\b[Tt]he\s+drug\b(?!\s+(?:overdoses?|abuse|crisis|epidemic|trade|war|problem|policy|enforcement|task|court|unit|"
    r"dealers?|market|supply|tests?|testing|seizures?)\b)"
)
_THE_DRUG = re.compile(_THE_DRUG_WORDS)
_THE_DRUG_KILLED = re.compile(_THE_DRUG_WORDS + r"(?:,[^,.;]*,)?\s+(?:has\s+)?(?:killed|claimed\s+the\s+lives\s+of)\b")
BACK_REFERENCE = re.compile(
    r"(?i:\b(?:these|those|such)\s+(?:\w+\s+)?(?:deaths|overdoses|fatalities|cases)\b)|" + _THE_DRUG_WORDS
)


def fill_period(candidate: Candidate, paragraph: Scope, frame: Frame) -> Candidate:
    """A figure with no period of its own takes its paragraph's, else the lead's; a seizure's calendar year is a fiscal
    year under a fiscal lead, or where the story names that fiscal year ("during fiscal 2021" above "last year")."""
    if candidate.metric not in DATED:
        return candidate
    filled = _filled_period(candidate, paragraph, frame)
    start, end = filled.period_start, filled.period_end
    lead = frame.period
    if lead and lead.start == start and lead.end and end and lead.end < end and _SO_FAR.search(lead.text):
        # "With just three months left in fiscal year 2022" above "seized in the fiscal year that began in October 2021":
        # the story says the year is not over, so a figure of that whole year is of it so far
        return replace(filled, period_end=lead.end)
    if frame.provisional and filled.metric == "overdose_deaths" and not filled.county_fips and _one_month(start, end):
        # "2,125 people died from a drug overdose in December 2023" from CDC's provisional report: the 12 months ending
        # December, as CDC counts them (a month's count of a state is a twelfth of it)
        assert start and end
        first = date(end.year - 1, end.month + 1, 1) if end.month < 12 else date(end.year, 1, 1)
        return replace(filled, period_start=first)
    if filled.metric in ("drug_seized", "seizure_change") and start and end and (start.month, end.month) == (1, 12):
        # "in 2022 to 543 pounds, up from 25 pounds the previous year" in a story whose statistics "are from fiscal
        # year 2022": CBP counts by fiscal year, and so does the story, the year before the one it names too
        named = end.year in frame.fiscal_years or end.year + 1 in frame.fiscal_years and not _CALENDAR.search(filled.quote)
        if start.year == end.year and (frame.fiscal or named):
            return replace(filled, period_start=date(end.year - 1, 10, 1), period_end=date(end.year, 9, 30))
    return filled


_THAT_YEAR = re.compile(r"\s*(?:In\s+)?(?:that|the\s+same)\s+year\b", re.I)
_CALENDAR = re.compile(r"\bcalendar\b", re.I)
_SO_FAR = re.compile(r"\b(?:left|to\s+go|remaining|so\s+far|to\s+date)\b", re.I)


def _one_month(start: date | None, end: date | None) -> bool:
    return bool(start and end and start.day == 1 and (start.year, start.month) == (end.year, end.month))


def _filled_period(candidate: Candidate, paragraph: Scope, frame: Frame) -> Candidate:
    if candidate.period_start and candidate.period_end:
        return candidate
    if candidate.period_end and not candidate.period_start:
        return _running_total(candidate, paragraph, frame)
    if candidate.period_start or candidate.period_end or any(n != "no period stated" for n in _period_notes(candidate)):
        return candidate
    # DEA's laboratory share is of the year it tested: a story of another agency's seizures (CBP's fiscal year at a
    # port) does not date it; a story of DEA's year, or of deaths, does
    story = frame.period if candidate.metric != "lethal_pill_share" or frame.agency in (None, "DEA") else None
    # "... slightly less than the record high of 2021. That year, more than 2,669 people in Virginia died": the year
    # named last, not the paragraph's first
    told = paragraph.last_year if _THAT_YEAR.match(candidate.quote) else None
    for scope, source in ((told or paragraph.period, PARAGRAPH), (story, ARTICLE)):
        if scope is not None:
            if _the_year_before(candidate):  # "The year prior, they seized over 26,000 pounds"
                scope = shift_period(scope, -1, scope.text)
                if scope is None:
                    continue
            missing = [n for n in candidate.missing if n != "no period stated"]
            sources = candidate.field_sources | {"period": source}
            return replace(candidate, period_start=scope.start, period_end=scope.end, missing=missing, field_sources=sources)
    return candidate


def _running_total(candidate: Candidate, paragraph: Scope, frame: Frame) -> Candidate:
    """ "seized 9,337 pounds by the end of July" under "Fentanyl seizures in 2021": the year the paragraph, else the
    lead, is about, counted to the end the sentence gives; only where that year holds the end."""
    end = candidate.period_end
    for scope, source in ((paragraph.period, PARAGRAPH), (frame.period, ARTICLE)):
        if scope is not None and scope.start and scope.end and end and scope.start <= end <= scope.end:
            missing = [n for n in candidate.missing if n != "no start of the period stated"]
            sources = candidate.field_sources | {"period": source}
            return replace(candidate, period_start=scope.start, missing=missing, field_sources=sources)
    return candidate


# A sentence that opens on the year before the one its paragraph is about: each of its figures is that earlier year's
_YEAR_BEFORE_LEAD = re.compile(r"\s*(?:the|a)\s+(?:year|12\s+months)\s+(?:before|prior|earlier)\b", re.I)


def _the_year_before(candidate: Candidate) -> bool:
    """A figure of the year before its paragraph's: its sentence opens on it, or its own words after it say so and
    measure nothing from it ("from the 1,534 people ... who died that way the year before"; not "down 7% from the year
    before")."""
    if _YEAR_BEFORE_LEAD.match(candidate.quote):
        return True
    at = candidate.quote.find(candidate.value_text)
    after = re.split(r"\d", candidate.quote[at + len(candidate.value_text) :], maxsplit=1)[0] if at >= 0 else ""
    said = YEAR_BEFORE.search(after)
    return bool(said and not re.search(r"\b(?:from|than|compared\s+(?:to|with)|over|since)\s+$", after[: said.start()], re.I))


def _period_notes(candidate: Candidate) -> list[str]:
    return [n for n in candidate.missing if "period" in n or "year" in n or "month" in n]


def _all_seized(candidate: Candidate, sentence: str) -> bool:
    at = sentence.find(candidate.value_text)
    return at >= 0 and every_drug_seized(sentence, at + len(candidate.value_text))


def fill_substance(candidate: Candidate, sentence: str, paragraph: Scope, frame: Frame) -> Candidate:
    """The drug a sentence leaves to the story ("the drug", "these deaths") and where it came from."""
    if substances(sentence):
        named = death_drug(sentence) if candidate.metric in ("overdose_deaths", "death_rate") else None
        every = ALL_DRUGS.search(_THE_DRUG.sub("", sentence))  # "the drug" is one drug
        at = sentence.find(candidate.value_text)
        whole = at > 0 and WHOLE_BEFORE.search(sentence[:at])  # "1,050 of the 1,300 overdoses involved fentanyl"
        story_drug = frame.deaths_of or frame.substance
        if candidate.substance == "all_drugs" and named is None and story_drug and _THE_DRUG_KILLED.search(sentence):
            # "The drug, which is the latest and most powerful opioid available, has killed: 278 people in Palm Beach
            # County" in a story of fentanyl deaths: the story's drug, which the sentence only describes
            return replace(candidate, substance=story_drug, field_sources=candidate.field_sources | {"substance": ARTICLE})
        if candidate.substance == "all_drugs" and named not in (None, "all_drugs") and not every and not whole:
            # "fentanyl death nearly quadrupled in 2022 with 20 deaths": the sentence's deaths are fentanyl's, though
            # its count stands apart from the drug's name (read as every drug's, it was judged against all deaths)
            return replace(candidate, substance=named, field_sources=candidate.field_sources | {"substance": STATED})
        return replace(candidate, field_sources=candidate.field_sources | {"substance": STATED})
    if candidate.substance == "all_drugs":
        # "the drug killed 2,348 people in our state": one drug, the story's, not every drug
        if candidate.metric not in ("overdose_deaths", "death_rate") or ALL_DRUGS.search(_THE_DRUG.sub("", sentence)):
            return replace(candidate, field_sources=candidate.field_sources | {"substance": DEFAULT})
        # "There were 33 deaths in 2016" after a sentence about fentanyl; "these deaths" in a story about opioids. A
        # plain "overdoses killed 1,000 people" stays every drug's.
        # In a local or state story about one drug's deaths, "27 residents succumbed to overdoses" after the lead said so
        # is that drug's; a national total ("107,000 Americans died of overdoses") is every drug's unless it says so.
        told = frame.deaths_of if frame.deaths_of_at <= candidate.start and not NATIONAL.search(sentence) else None
        # a paragraph that last counted every drug's deaths lends no drug it names in passing ("as addicts turn to fentanyl")
        lent = None if paragraph.deaths_of == "all_drugs" else paragraph.substance
        for found, source, needs in (
            (lent, PARAGRAPH, None),
            (frame.substance, ARTICLE, BACK_REFERENCE),
            (told, ARTICLE, None),
        ):
            if found and (needs is None or needs.search(sentence)):
                return replace(candidate, substance=found, field_sources=candidate.field_sources | {"substance": source})
        return replace(candidate, field_sources=candidate.field_sources | {"substance": DEFAULT})
    if candidate.substance is None and candidate.metric in ("drug_seized", "seizure_change") and _all_seized(candidate, sentence):
        # "seized more than 14,000 pounds of hard narcotics", "36,067 pounds of all drug types": every drug's, never the
        # story's drug (CBP counts each drug apart, so such a total is not judged)
        missing = [n for n in candidate.missing if n != "no drug named"]
        return replace(
            candidate, substance="all_drugs", missing=missing, field_sources=candidate.field_sources | {"substance": STATED}
        )
    if candidate.substance is None:
        for found, source in ((paragraph.substance, PARAGRAPH), (frame.substance, ARTICLE)):
            if found:
                missing = [n for n in candidate.missing if n != "no drug named"]
                return replace(
                    candidate, substance=found, missing=missing, field_sources=candidate.field_sources | {"substance": source}
                )
        return candidate
    source = PARAGRAPH if candidate.substance == paragraph.substance else ARTICLE
    return replace(candidate, field_sources=candidate.field_sources | {"substance": source})


def fill_agency(candidate: Candidate, paragraph: Scope, frame: Frame, latest: str | None = None) -> Candidate:
    """A seizure whose sentence names no agency: the agency its paragraph names, else the one the story named last
    ("CBP officers at eight ports ... seized" then "They confiscated"), else the lead's."""
    if candidate.metric not in ("drug_seized", "seizure_change"):
        return candidate
    if candidate.seized_by is not None:
        return replace(candidate, field_sources=candidate.field_sources | {"seized_by": STATED})
    for found, source in ((paragraph.agency, PARAGRAPH), (latest, ARTICLE), (frame.agency, ARTICLE)):
        if found:
            missing = [n for n in candidate.missing if n != "no seizing agency named"]
            return replace(
                candidate, seized_by=found, missing=missing, field_sources=candidate.field_sources | {"seized_by": source}
            )
    return candidate


def _with_state(source: str, state: str | None) -> str:
    """ "the state Department of Health" in a New Mexico story: the New Mexico Department of Health."""
    m = re.match(r"^(?:the\s+)?(?:state\s+)?(?P<d>Department\s+of\s+.+)$", source)
    if not m or not state:
        return source
    name = next((n for n, code in STATES.items() if code == state[3:] and not n.endswith(".")), None)
    return f"{name.removesuffix(' State')} {m['d']}" if name else source


def _with_county(source: str, fips: str | None) -> str:
    """ "county Medical Examiner's Office" in a Hennepin County story: the Hennepin County Medical Examiner's Office."""
    if not source.startswith("county ") or not fips:
        return source
    name = next((name for (name, _), code in counties().items() if code == fips), None)
    return f"{name.title()} {source.removeprefix('county ')}" if name else source


def fill_source(candidate: Candidate, paragraph: Scope, frame: Frame) -> Candidate:
    """Whom a figure cites when its sentence names no one: whom its paragraph, else the story's lead, cites."""
    state = candidate.geography if candidate.geography and candidate.geography.startswith("US-") else frame.state
    if candidate.attributed_to is None and candidate.metric in REFERENCE_METRICS:
        return candidate  # "50 times more potent than heroin": a reference value, not the story's source's count
    if candidate.attributed_to is not None:
        return replace(candidate, attributed_to=_with_county(_with_state(candidate.attributed_to, state), candidate.county_fips))
    for found, source in ((paragraph.source, PARAGRAPH), (frame.source, ARTICLE)):
        if found:
            sources = candidate.field_sources | {"attributed_to": source}
            named = _with_county(_with_state(found, state), candidate.county_fips)
            return replace(candidate, attributed_to=named, field_sources=sources)
    return candidate


def governing_place(
    stated: Place | None, refers: str | None, paragraph: Scope, frame: Frame, at: int = 0
) -> tuple[Place | None, str]:
    """The place a figure's sentence states, else the one it refers to ("the state", "the county") or the paragraph's
    or the article's (once the article has said it, before offset `at`); the US only where the story is national.
    `refers` is "state", "local" or None."""
    if stated is not None:
        return stated, STATED
    story = frame.place if frame.place_at <= at else None
    for place, source in ((paragraph.place, PARAGRAPH), (story, ARTICLE)):
        if place is None or place.geography is None and not (place.cbp_area and refers is None):
            continue  # (a CBP area beyond the Southwest, "the Detroit Field Office", names no one state and governs)
        if refers == "state" and place.geography != "US":
            return Place(place.geography), source
        if refers == "local" and place.local and place.cbp_area not in CBP_REGIONS:  # "counties" are not the border
            return place, source
        if refers is None:
            return place, source
    if refers is None:
        return (None, DEFAULT) if frame.placeless else (Place("US"), DEFAULT)
    return None, DEFAULT


# Only unambiguous words: stories call CBP's port officers "agents" too
_PORTS = re.compile(r"\bports?\b|\bField\s+Operations\b|\bOFO\b", re.I)
_BORDER_PATROL = re.compile(r"\bBorder\s+Patrol\b|\bsectors?\b|\bcheckpoints?\b", re.I)


_AREA_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:Border\s+Patrol\s+)?(?:Sector|Field\s+Office)\b")


def same_kind(area: str, quote: str) -> bool:
    """A port's seizures are a field office's, Border Patrol's a sector's: "Arizona ports of entry ... more than 500
    pounds" never takes the Tucson Sector a story named for Border Patrol's record."""
    quote = _AREA_NAME.sub(
        " ", quote
    )  # "In addition to the Tucson Sector record, Arizona ports of entry ...": the name is no kind
    ports, patrol = bool(_PORTS.search(quote)), bool(_BORDER_PATROL.search(quote))
    if area.endswith("SECTOR"):
        return not ports or patrol
    return not patrol or ports


def in_cbp_area(candidate: Candidate, frame: Frame) -> Candidate:
    """CBP's seizures placed in a state, which CBP does not count by: the one CBP area of that state the story names
    ("director of field operations at the Laredo Field Office" below "They confiscated 41,713 pounds")."""
    if candidate.seized_by != "CBP" or candidate.cbp_area or candidate.county_fips or candidate.city:
        return candidate
    area = frame.cbp_areas.get(candidate.geography) if candidate.geography not in (None, "US") else None
    if area is None or area.cbp_area is None or not same_kind(area.cbp_area, candidate.quote):
        return candidate
    sources = candidate.field_sources | {"geography": ARTICLE}
    return replace(candidate, cbp_area=area.cbp_area, field_sources=sources)
