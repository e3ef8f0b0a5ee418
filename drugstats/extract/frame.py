"""An article's frame: its dateline, date, and the places, years and drugs it establishes, which fill in what a figure's
own sentence leaves out, nearest first (the paragraph, then the article), each filled field marked (pure).

A reader of the whole story knows that "EL PASO, Texas (KTSM) —" places the figures below it, that the lead's "in 2021"
governs "rose to 71,000", and that "the county" is the county the story is about. The frame holds that; the reader
(drugstats.extract.reader) asks it for a figure's period, place and drug only when the figure's sentence states none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from drugstats import vocab
from drugstats.extract.attribution import agency, cited
from drugstats.extract.drugs import SUBSTANCE_WORDS, death_drug_at, substances
from drugstats.extract.geography import NATIONAL, STATES, find_geography
from drugstats.extract.periods import Period, find_period
from drugstats.extract.places import CITIES, Place, find_place, state_of
from drugstats.extract.sentences import sentences

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
CBP_AREA = re.compile(r"\b(?:Sector|Field\s+Office|Port\s+of)\b")  # where a story names a CBP area
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
    def last_year(self) -> Period | None:  # the year the paragraph named last: what "That year, ..." goes back to
        return self._latest(_last_year_of)

    @property
    def substance(self) -> str | None:
        return self._latest(_drug_in)

    @property
    def agency(self) -> str | None:
        return self._latest(_agency_in)

    @property
    def source(self) -> str | None:  # whom the paragraph cites ("the department says": the department named before)
        return self._latest(_cited_in)

    @property
    def deaths_of(self) -> str | None:  # whose deaths the paragraph last counted: a drug's, or every drug's
        return self._latest(_deaths_in)


def _drug_in(sentence: str, *_: Any) -> str | None:
    return _drug_of(sentence)


# "US drug overdose deaths surged to nearly 72,000 ... as addicts turn to fentanyl": every drug's deaths, whatever drug
# the sentence blames
_EVERY_DRUGS_DEATHS = re.compile(r"\bdrug\s+(?:overdose\s+)?(?:deaths|fatalities)\b|\bdeaths\s+from\s+(?:all\s+)?drug", re.I)


def _deaths_in(sentence: str, *_: Any) -> str | None:
    named = death_drug_at(sentence)
    if named and named[0] != "all_drugs":
        return named[0]
    return "all_drugs" if _EVERY_DRUGS_DEATHS.search(sentence) else None


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


_A_YEAR = re.compile(r"(?<![\d,.$])\b((?:19|20)\d\d)\b(?![\d,])")


def _last_year_of(sentence: str, published: date | None, state: str | None) -> Period | None:
    years = _A_YEAR.findall(sentence)
    return Period(date(int(years[-1]), 1, 1), date(int(years[-1]), 12, 31), years[-1]) if years else None


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
    placeless: bool = False  # an article of several paragraphs naming no place, not even the nation, nor a national agency
    provisional: bool = False  # the story quotes CDC's provisional counts: 12-month-ending counts, named by their month
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
    # A city's dateline says where the story was filed: it places the story in the city's state, not its figures in the
    # city ("DAYTON, Ohio (WDTN) — The Ohio Department of Health ... 4,915 deaths": Ohio's)
    if city in CITIES:
        return m[0].strip(), Place(f"US-{CITIES[city]}")
    if state:
        return m[0].strip(), Place(f"US-{state}")
    return None


_STATEWIDE_LEAD = re.compile(r"\W*(?:statewide|state-wide|across\s+the\s+state)\b", re.I)


def read_frame(text: str, published: date | None, outlet: str | None = None) -> Frame:
    """The article's dateline, place, lead period and drug, read from its first paragraphs (and the outlet's name)."""
    paragraphs = paragraph_spans(text)
    frame = Frame(published, paragraphs=paragraphs)
    lead = [text[a:b] for a, b in paragraphs[:_LEAD_PARAGRAPHS]]
    for paragraph in lead:
        found = read_dateline(paragraph)
        if found:
            frame.dateline, frame.place = found
            if frame.place and _STATEWIDE_LEAD.match(paragraph.strip()[len(found[0]) :]):
                frame.place = Place(frame.place.geography)  # "JASPER COUNTY, S.C. — Statewide, ...": the state's story
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
            if period and period.start and period.end and not _aside(paragraph, period) and not _earlier(paragraph, period):
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
        every = _EVERY_DRUG_STORY.search(text[a:b])
        # (not "Drug overdose deaths from highly addictive synthetic opioids": the drug comes right after)
        every = every if every and not _DRUG_AFTER.match(text[a:b], every.end()) else None
        if every and (m is None or every.start() < m.start()):
            # "the disparities in America's ongoing drug crisis": every drug's story, whatever drug a later paragraph
            # blames in passing ("the ongoing opioid epidemic")
            frame.deaths_of, frame.deaths_of_at = "all_drugs", a + every.start()
            break
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
    frame.provisional = bool(_PROVISIONAL.search(text) and _CDC.search(text))
    # A whole story that never names a place, the nation or a national agency is a local one whose place went unsaid
    # (a Maine weekly's "Overview of 2017, January - June overdose data": its shares are Maine's): its figures are
    # not read as the nation's; a sentence alone keeps the national default
    frame.placeless = (
        len(paragraphs) >= 2
        and frame.place is None
        and home is None
        and not frame.cbp_areas
        and find_geography(text) is None
        and not _NATION_WORDS.search(text)
        and find_place(text, None) is None
    )
    return frame


# Words that make a story placeless no more: the nation by another name, the national agencies whose figures are the
# nation's, and a county's name ("Howard County", in whichever state)
_NATION_WORDS = re.compile(
    r"\bU\.?\s?S\.?\b|\bUnited\s+States\b|\bAmerica|\bfederal\b|\bCDC\b|Centers\s+for\s+Disease|\bNCHS\b|"
    r"\bDEA\b|Drug\s+Enforcement|\bCBP\b|\bCustoms\b|Border\s+Patrol|\bNIDA\b|National\s+Institute|\bborder\b|"
    r"\b[A-Z][a-z]+\s+(?:County|Parish|Borough)\b"  # a county named, in a state left unsaid: a local story, read as one
)


# A year the story measures its news from: "That's an increase from the DEA's previous announcement in 2021 that four
# out of 10 ..." under "six out of 10 ... now contain": 2021 is the earlier figure's, not the year the story counts
_MEASURED_FROM = re.compile(
    r"\b(?:(?:increase|decrease|rise|drop|decline|jump|up|down)\s+(?:\w+\s+)?from|compared\s+(?:to|with)|previous|prior)\b",
    re.I,
)


def _earlier(paragraph: str, period: Period) -> bool:
    """The period is told as what the story measures from, in the words before it in its sentence."""
    for a, b in sentences(paragraph):
        sentence = paragraph[a:b]
        at = sentence.find(period.text) if period.text else -1
        if at >= 0:
            return bool(_MEASURED_FROM.search(sentence[:at]))
    return False


_PROVISIONAL = re.compile(r"\bprovisional\b", re.I)
_CDC = re.compile(r"\bCDC\b|Centers\s+for\s+Disease\s+Control|\bNCHS\b|National\s+Center\s+for\s+Health\s+Statistics")


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

_S_ALT = "|".join(p for drug, p in SUBSTANCE_WORDS if drug not in NOT_FRAMED)
DEATHS_OF = re.compile(
    rf"\b(?P<s>{_S_ALT})(?:[- ](?:related|involved|linked|induced|caused))?\s+(?:overdose\s+)?"
    r"(?:deaths|overdoses|crisis|epidemic|fatalities)\b",
    re.I,
)

_EVERY_DRUG_STORY = re.compile(
    r"\b(?:drug|overdose)\s+(?:crisis|epidemic)\b|\bdrug\s+overdose\s+(?:deaths|death\s+rates?)\b"
    r"|\bdeaths\s+from\s+(?:drug\s+)?overdoses\b",
    re.I,
)
_DRUG_AFTER = re.compile(
    rf"\s+(?:\w+\s+){{0,2}}?(?:from|involving|involved|linked\s+to|caused\s+by|tied\s+to|due\s+to|of)\s+(?:[\w-]+\s+){{0,3}}?(?:{_S_ALT})",
    re.I,
)
_FISCAL_YEAR = re.compile(
    r"\b(?:fiscal(?:\s+year)?\s*|FY\s*'?)(?P<y>(?:19|20)\d\d|\d\d)\b|\b(?P<y2>(?:19|20)\d\d)\s+fiscal\s+year\b", re.I
)


CONTINUES = re.compile(r"(?:For|By|In)\s+comparison\b|Comparatively\b", re.I)
