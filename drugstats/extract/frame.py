"""An article's frame: its dateline, date, and the places, years and drugs it establishes, which fill in what a figure's
own sentence leaves out, nearest first (the paragraph, then the article), each filled field marked (pure).

A reader of the whole story knows that "EL PASO, Texas (KTSM) —" places the figures below it, that the lead's "in 2021"
governs "rose to 71,000", and that "the county" is the county the story is about. The frame holds that; the reader
(drugstats.extract.reader) asks it for a figure's period, place and drug only when the figure's sentence states none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

from drugstats import vocab
from drugstats.extract.attribution import agency, cited
from drugstats.extract.drugs import SUBSTANCE_WORDS, WHOLE_BEFORE, death_drug, death_drug_at, substances
from drugstats.extract.geography import NATIONAL, STATES, find_geography
from drugstats.extract.metrics import every_drug_seized
from drugstats.extract.periods import Period, find_period, shift_period
from drugstats.extract.places import CBP_REGIONS, CITIES, Place, find_place, state_of
from drugstats.extract.sentences import sentences

Candidate = Any  # drugstats.extract.reader.Candidate, which imports this module

STATED, PARAGRAPH, ARTICLE, DEFAULT = "stated", "paragraph", "article", "default"
READER = "reader"  # set by a person correcting the figure (Check an article)
FRAMED = ("period", "geography", "substance", "seized_by")  # the fields a frame may fill
REFERENCE_METRICS = frozenset({"potency_ratio", "lethal_dose", "pill_content", "deaths_per_mass"})
DATED = frozenset({"overdose_deaths", "death_rate", "death_share", "drug_seized", "seizure_change", "lethal_pill_share"})
# Drugs never a paragraph's or story's drug: morphine is what others are compared with, and a drug only CBP's seizures
# count (marijuana, khat) must be named in the figure's own sentence, never lent to a figure that names none.
NOT_FRAMED = frozenset({"morphine", *vocab.SEIZURE_ONLY_SUBSTANCES})

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# "EL PASO, Texas (KTSM) —", "TUCSON, Ariz. (KOLD News 13) -", "WASHINGTON —", "BOSTON (AP) –", "PIMA COUNTY, Ariz. -"
DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Z.'’ -]{1,40}?)(?:,\s*(?P<state>[A-Z][A-Za-z.]+(?:\s[A-Z][a-z.]+)?))?\s*(?:\([^)\n]{1,40}\)\s*)?[—–-]+\s"
)
_LEAD_PARAGRAPHS = 3  # the headline, the dateline's paragraph and the one after: where a story says what it is about


@dataclass
class Scope:
    """What the sentences of a paragraph read so far established: a place, a period, a drug, an agency, a source.

    Read lazily, latest sentence first: most paragraphs hold no figure, and then nothing is read twice.
    """

    def __init__(self) -> None:
        self._read: list[tuple[str, date | None, str | None]] = []
        self._seen: dict[Any, tuple[int, Any]] = {}  # find -> (sentences it has read, the latest it found)

    def read(self, sentence: str, published: date | None, state: str | None) -> None:
        self._read.append((sentence, published, state))

    def _latest(self, find: Any) -> Any:
        # Only the sentences read since the last ask: a paragraph of a thousand sentences and figures is read once,
        # not once per figure (issue 24).
        upto, latest = self._seen.get(find, (0, None))
        newer = self._read[upto:]
        found = next((hit for args in reversed(newer) for hit in [find(*args)] if hit is not None), None)
        latest = found if found is not None else latest
        self._seen[find] = (len(self._read), latest)
        return latest

    @property
    def place(self) -> Place | None:
        return self._latest(_place_of)

    @property
    def period(self) -> Period | None:
        return self._latest(_period_of)

    @property
    def substance(self) -> str | None:
        return self._latest(_drug_in)

    @property
    def agency(self) -> str | None:
        return self._latest(_agency_in)

    @property
    def source(self) -> str | None:  # whom the paragraph cites ("the department says": the department named before)
        return self._latest(_cited_in)


def _drug_in(sentence: str, *_: Any) -> str | None:
    return _drug_of(sentence)


def _agency_in(sentence: str, *_: Any) -> str | None:
    return seizing_agency(sentence)


def _cited_in(sentence: str, *_: Any) -> str | None:
    return cited(sentence)


@lru_cache(maxsize=4096)
def _place_of(sentence: str, published: date | None, state: str | None) -> Place | None:
    return find_place(sentence, state) or _state_place(sentence)


@lru_cache(maxsize=4096)
def _period_of(sentence: str, published: date | None, state: str | None) -> Period | None:
    period = find_period(sentence, published, weak=False)
    return period if period is not None and period.start and period.end else None


@lru_cache(maxsize=4096)
def _drug_of(sentence: str) -> str | None:
    found = [s[2] for s in substances(sentence) if s[2] not in NOT_FRAMED]
    return found[0] if found else None


@lru_cache(maxsize=4096)  # asked of each sentence of a paragraph for every figure in it: read once (issue 24)
def seizing_agency(text: str) -> str | None:
    named = agency(text)
    return named if named and named != "federal" else None


def _state_place(sentence: str) -> Place | None:
    geography = find_geography(sentence)
    return Place(geography) if geography else None


@dataclass
class Frame:
    """What the article establishes for all its figures."""

    published: date | None
    dateline: str | None = None
    place: Place | None = None  # the place the story is about; None: a national story, or none said
    period: Period | None = None  # the lead's period
    fiscal: bool = False  # the lead counts in fiscal years: a bare "2021" below it is fiscal 2021
    fiscal_years: frozenset[int] = frozenset()  # the fiscal years the story names anywhere ("during fiscal 2021")
    substance: str | None = None
    agency: str | None = None  # the agency the lead names: who seized what the story counts
    place_at: int = 0  # where the story's place is established (0 for a dateline)
    deaths_of: str | None = None  # the drug whose deaths the lead counts ("the opioid crisis")
    deaths_of_at: int = 0  # where the lead says so
    source: str | None = None  # whom the lead cites: the story's source where a sentence names none
    cbp_areas: dict[str, Place] = field(default_factory=dict)  # the CBP areas the story names anywhere, by state
    home: Place | None = None  # the outlet's home state, where its name says it ("Hartford Courant": Connecticut)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)

    @property
    def state(self) -> str | None:
        return self.place.geography if self.place and self.place.geography not in (None, "US") else None

    def paragraph_of(self, offset: int) -> int:
        for i, (start, end) in enumerate(self.paragraphs):
            if start <= offset < end:
                return i
        return len(self.paragraphs)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines."""
    spans, start = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def read_dateline(paragraph: str) -> tuple[str, Place | None] | None:
    """The dateline opening a paragraph and the place it names (None for WASHINGTON: federal news, not DC's)."""
    m = DATELINE.match(paragraph.strip())
    if not m:
        return None
    city = m["city"].strip().title().replace("’", "'")
    state = state_of(m["state"]) if m["state"] else None
    if m["state"] and state is None:
        return None  # "NEW YORK, Reuters -" or a headline in capitals: not a dateline that places anything
    if city == "Washington" and not state:
        return m[0].strip(), None
    local = find_place(city.replace("Of", "of"), f"US-{state}" if state else None)
    if local is not None:
        return m[0].strip(), local
    if city in CITIES:
        return m[0].strip(), Place(f"US-{CITIES[city]}", city=city)
    if state:
        return m[0].strip(), Place(f"US-{state}", city=city)
    return None


def read_frame(text: str, published: date | None, outlet: str | None = None) -> Frame:
    """The article's dateline, place, lead period and drug, read from its first paragraphs (and the outlet's name)."""
    paragraphs = paragraph_spans(text)
    frame = Frame(published, paragraphs=paragraphs)
    lead = [text[a:b] for a, b in paragraphs[:_LEAD_PARAGRAPHS]]
    for paragraph in lead:
        found = read_dateline(paragraph)
        if found:
            frame.dateline, frame.place = found
            break
    lead_text = "\n".join(lead)
    home = frame.home = _outlet_place(outlet)
    state = frame.state or (home.geography if home else None)
    # The place a lead paragraph establishes holds from that paragraph on: a reader has not met it before.
    for (a, _), paragraph in zip(paragraphs, lead, strict=False):
        local = find_place(paragraph, state)
        if local is not None and (frame.place is None or not frame.place.local or frame.place.city):
            if frame.place is None or frame.place.geography in (None, local.geography) or local.cbp_area:
                frame.place, frame.place_at = local, (0 if frame.dateline else a)
                break
    if frame.place is None:  # the outlet's home only helps read a county's name: a Boston paper reports the nation too
        for (a, _), paragraph in zip(paragraphs, lead, strict=False):
            named = _state_place(paragraph)
            if named and named.geography != "US" and len(_states_named(paragraph)) == 1:
                frame.place, frame.place_at = named, a  # "in Arizona and California": no one state
                break
    if frame.place and not frame.place.local and NATIONAL.search(lead_text) and not frame.dateline:
        frame.place = frame.place if find_geography(lead[1] if len(lead) > 1 else lead_text) != "US" else None
    for weak in (False, True):  # a bare month ("seized 14,000 pounds ... in November") only when the lead dates no other way
        for paragraph in lead:
            if weak and not re.search(r"\d", paragraph):  # a month with a figure: the month the story counts
                continue
            period = find_period(paragraph, published, weak=weak)
            if period and period.start and period.end and not _aside(paragraph, period):
                frame.period = period
                frame.fiscal = bool(re.search(r"\bfiscal\b|\bFY\s*'?\d", period.text, re.I))
                break
        if frame.period is not None:
            break
    found = [s[2] for s in substances(lead_text) if s[2] not in NOT_FRAMED]
    frame.substance = found[0] if found else None
    # the drug whose deaths the story counts: "the opioid crisis", "opioid overdose deaths", "fentanyl deaths", and
    # where the reader learns it (a count printed before it is not read with it)
    for a, b in paragraphs[:_LEAD_PARAGRAPHS]:
        m = DEATHS_OF.search(text[a:b])
        if m:
            frame.deaths_of, frame.deaths_of_at = _drug_of(m["s"]), a + m.start()
            break
        named = death_drug_at(text[a:b])  # "overdose deaths from highly addictive synthetic opioids"
        if named and named[0] not in ("all_drugs", *NOT_FRAMED):
            frame.deaths_of, frame.deaths_of_at = named[0], a + named[1]
            break
    frame.agency = seizing_agency(lead_text)
    frame.fiscal_years = frozenset(
        int(y) if len(y) == 4 else 2000 + int(y) for m in _FISCAL_YEAR.finditer(text) for y in [m["y"] or m["y2"]]
    )
    # whom the lead cites, else the first source the story names ("according to data released by the state Department
    # of Health" in its fourth paragraph is the source of the figures above it too)
    everything = [text[a:b] for a, b in paragraphs]
    areas = {
        p for paragraph in everything if CBP_AREA.search(paragraph) for p in [find_place(paragraph, state)] if p and p.cbp_area
    }
    for area in areas:  # a state's one area; two areas of a state name none
        frame.cbp_areas[area.geography] = area if area.geography not in frame.cbp_areas else Place(area.geography)
    frame.source = next((found for p in [*lead, *everything] for found in [cited(p)] if found), None)
    return frame


# A year told of something else the story adds: "In 2021, DEA also issued a public safety alert" is not the year of the
# figures the story leads with
_ASIDE = re.compile(r"\b(?:also|previously|earlier)\b", re.I)
_A_FIGURE = re.compile(r"\d[\d,.]*\s")


def _aside(paragraph: str, period: Period) -> bool:
    """The period is told in a sentence of something else the story adds, with no figure of its own."""
    for a, b in sentences(paragraph):
        sentence = paragraph[a:b]
        if period.text and period.text in sentence:
            return bool(_ASIDE.search(sentence)) and not _A_FIGURE.search(sentence.replace(period.text, ""))
    return False


_STATE_NAMES = re.compile(
    r"\b(?:" + "|".join(sorted((re.escape(n) for n in STATES if not n.endswith(".")), key=len, reverse=True)) + r")\b"
)


def _states_named(text: str) -> set[str]:
    return {m[0] for m in _STATE_NAMES.finditer(text)}


def _outlet_place(outlet: str | None) -> Place | None:
    """ "The Arizona Republic", "Albuquerque Journal": an outlet named after its place."""
    if not outlet:
        return None
    geography = find_geography(outlet)
    if geography and geography != "US":
        return Place(geography)
    code = re.fullmatch(r"([A-Z]{2})\.com", outlet.strip())  # AL.com, NJ.com: a state's site by its postal code
    if code and code[1] in STATES.values():
        return Place(f"US-{code[1]}")
    for city, state in CITIES.items():
        if re.search(rf"\b{re.escape(city)}\b", outlet):
            return Place(f"US-{state}")
    return None


# ------------------------------------------------------------------------------------------ filling a figure

# A count that says it is of every drug: "drug overdoses", "overall", "in total". Without such words, a death count in a
# story about one drug is that drug's.
ALL_DRUGS = re.compile(r"\bdrugs?\b|\boverall\b|\btotal\b|\ball\s+(?:overdose|the)|\bany\s+(?:drug|substance)", re.I)
_S_ALT = "|".join(p for drug, p in SUBSTANCE_WORDS if drug not in NOT_FRAMED)
DEATHS_OF = re.compile(
    rf"\b(?P<s>{_S_ALT})(?:[- ](?:related|involved|linked|induced|caused))?\s+(?:overdose\s+)?"
    r"(?:deaths|overdoses|crisis|epidemic|fatalities)\b",
    re.I,
)
BACK_REFERENCE = re.compile(r"\b(?:these|those|such)\s+(?:\w+\s+)?(?:deaths|overdoses|fatalities|cases)\b|\bthe\s+drug\b", re.I)
_BARE_YEAR = re.compile(r"^(?:(?:in|during|for|of|by)\s+)?(?:19|20)\d\d$", re.I)


_FISCAL_YEAR = re.compile(
    r"\b(?:fiscal(?:\s+year)?\s*|FY\s*'?)(?P<y>(?:19|20)\d\d|\d\d)\b|\b(?P<y2>(?:19|20)\d\d)\s+fiscal\s+year\b", re.I
)


def fill_period(candidate: Candidate, paragraph: Scope, frame: Frame) -> Candidate:
    """A figure with no period of its own takes its paragraph's, else the lead's; a seizure's calendar year is a fiscal
    year under a fiscal lead, or where the story names that fiscal year ("during fiscal 2021" above "last year")."""
    if candidate.metric not in DATED:
        return candidate
    filled = _filled_period(candidate, paragraph, frame)
    start, end = filled.period_start, filled.period_end
    if filled.metric in ("drug_seized", "seizure_change") and start and end and (start.month, end.month) == (1, 12):
        if start.year == end.year and (frame.fiscal or end.year in frame.fiscal_years):
            return replace(filled, period_start=date(end.year - 1, 10, 1), period_end=date(end.year, 9, 30))
    return filled


def _filled_period(candidate: Candidate, paragraph: Scope, frame: Frame) -> Candidate:
    if candidate.period_start and candidate.period_end:
        return candidate
    if candidate.period_start or candidate.period_end or any(n != "no period stated" for n in _period_notes(candidate)):
        return candidate
    # DEA's laboratory share is of the year it tested: a story of another agency's seizures (CBP's fiscal year at a
    # port) does not date it; a story of DEA's year, or of deaths, does
    story = frame.period if candidate.metric != "lethal_pill_share" or frame.agency in (None, "DEA") else None
    for scope, source in ((paragraph.period, PARAGRAPH), (story, ARTICLE)):
        if scope is not None:
            if _YEAR_BEFORE_LEAD.match(candidate.quote):  # "The year prior, they seized over 26,000 pounds"
                scope = shift_period(scope, -1, scope.text)
                if scope is None:
                    continue
            missing = [n for n in candidate.missing if n != "no period stated"]
            sources = candidate.field_sources | {"period": source}
            return replace(candidate, period_start=scope.start, period_end=scope.end, missing=missing, field_sources=sources)
    return candidate


# A sentence that opens on the year before the one its paragraph is about: each of its figures is that earlier year's
_YEAR_BEFORE_LEAD = re.compile(r"\s*(?:the|a)\s+(?:year|12\s+months)\s+(?:before|prior|earlier)\b", re.I)


def _period_notes(candidate: Candidate) -> list[str]:
    return [n for n in candidate.missing if "period" in n or "year" in n or "month" in n]


def _all_seized(candidate: Candidate, sentence: str) -> bool:
    at = sentence.find(candidate.value_text)
    return at >= 0 and every_drug_seized(sentence, at + len(candidate.value_text))


def fill_substance(candidate: Candidate, sentence: str, paragraph: Scope, frame: Frame) -> Candidate:
    """The drug a sentence leaves to the story ("the drug", "these deaths") and where it came from."""
    if substances(sentence):
        named = death_drug(sentence) if candidate.metric in ("overdose_deaths", "death_rate") else None
        every = ALL_DRUGS.search(re.sub(r"\bthe\s+drug\b", "", sentence, flags=re.I))  # "the drug" is one drug
        at = sentence.find(candidate.value_text)
        whole = at > 0 and WHOLE_BEFORE.search(sentence[:at])  # "1,050 of the 1,300 overdoses involved fentanyl"
        if candidate.substance == "all_drugs" and named not in (None, "all_drugs") and not every and not whole:
            # "fentanyl death nearly quadrupled in 2022 with 20 deaths": the sentence's deaths are fentanyl's, though
            # its count stands apart from the drug's name (read as every drug's, it was judged against all deaths)
            return replace(candidate, substance=named, field_sources=candidate.field_sources | {"substance": STATED})
        return replace(candidate, field_sources=candidate.field_sources | {"substance": STATED})
    if candidate.substance == "all_drugs":
        if candidate.metric not in ("overdose_deaths", "death_rate") or ALL_DRUGS.search(sentence):
            return replace(candidate, field_sources=candidate.field_sources | {"substance": DEFAULT})
        # "There were 33 deaths in 2016" after a sentence about fentanyl; "these deaths" in a story about opioids. A
        # plain "overdoses killed 1,000 people" stays every drug's.
        # In a local or state story about one drug's deaths, "27 residents succumbed to overdoses" after the lead said so
        # is that drug's; a national total ("107,000 Americans died of overdoses") is every drug's unless it says so.
        told = frame.deaths_of if frame.deaths_of_at <= candidate.start and not NATIONAL.search(sentence) else None
        for found, source, needs in (
            (paragraph.substance, PARAGRAPH, None),
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


def fill_source(candidate: Candidate, paragraph: Scope, frame: Frame) -> Candidate:
    """Whom a figure cites when its sentence names no one: whom its paragraph, else the story's lead, cites."""
    state = candidate.geography if candidate.geography and candidate.geography.startswith("US-") else frame.state
    if candidate.attributed_to is None and candidate.metric in REFERENCE_METRICS:
        return candidate  # "50 times more potent than heroin": a reference value, not the story's source's count
    if candidate.attributed_to is not None:
        return replace(candidate, attributed_to=_with_state(candidate.attributed_to, state))
    for found, source in ((paragraph.source, PARAGRAPH), (frame.source, ARTICLE)):
        if found:
            sources = candidate.field_sources | {"attributed_to": source}
            return replace(candidate, attributed_to=_with_state(found, state), field_sources=sources)
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
        if place is None or place.geography is None:
            continue
        if refers == "state" and place.geography != "US":
            return Place(place.geography), source
        if refers == "local" and place.local and place.cbp_area not in CBP_REGIONS:  # "counties" are not the border
            return place, source
        if refers is None:
            return place, source
    if refers is None:
        return Place("US"), DEFAULT
    return None, DEFAULT


CBP_AREA = re.compile(r"\b(?:Sector|Field\s+Office|Port\s+of)\b")


def in_cbp_area(candidate: Candidate, frame: Frame) -> Candidate:
    """CBP's seizures placed in a state, which CBP does not count by: the one CBP area of that state the story names
    ("director of field operations at the Laredo Field Office" below "They confiscated 41,713 pounds")."""
    if candidate.seized_by != "CBP" or candidate.cbp_area or candidate.county_fips or candidate.city:
        return candidate
    area = frame.cbp_areas.get(candidate.geography) if candidate.geography not in (None, "US") else None
    if area is None or area.cbp_area is None:
        return candidate
    sources = candidate.field_sources | {"geography": ARTICLE}
    return replace(candidate, cbp_area=area.cbp_area, field_sources=sources)


def national(frame: Frame) -> bool:
    return frame.place is None or frame.place.geography == "US"


CONTINUES = re.compile(r"(?:For|By|In)\s+comparison\b|Comparatively\b", re.I)
