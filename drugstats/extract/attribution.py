"""Who seized a drug and whom a sentence cites, as the short names the curated data use (pure, for drugstats.extract.reader)."""

from __future__ import annotations

import re
from functools import lru_cache
from types import MappingProxyType

AGENCY_PATTERNS = (
    (
        "CBP",
        r"\bCBP\b|Customs and Border Protection|Border Patrol|Office of Field Operations|\bOFO\b"
        r"|border (?:agents|officers)|customs officers|ports? of entry",
    ),
    ("HSI", r"\bHSI\b|Homeland Security Investigations"),
    ("DEA", r"\bDEA\b|Drug Enforcement Administration"),
    ("DHS", r"\bDHS\b|Department of Homeland Security|Homeland Security Department|Coast Guard"),  # a DHS component
    ("HIDTA", r"\bHIDTA\b|High Intensity Drug Trafficking"),
    ("USPIS", r"\bUSPIS\b|Postal Inspection Service|postal inspectors"),
    ("OCDETF", r"\bOCDETF\b|Organized Crime Drug Enforcement"),
    ("federal", r"\bfederal (?:authorities|agents|officials|officers|law enforcement|agencies)\b"),
)
AGENCY_RE = [(name, re.compile(p, re.I if name == "federal" else 0)) for name, p in AGENCY_PATTERNS]
_DHS_COMPONENTS = ("CBP", "HSI")  # the department's agencies that count their own seizures

# Whom a sentence cites: long names to the short forms the curated data use.
ORGS = MappingProxyType(
    {
        "CDC": r"Centers for Disease Control(?: and Prevention)?|\bCDC\b",
        "NCHS": r"National Center for Health Statistics|\bNCHS\b",
        "DEA": r"Drug Enforcement Administration|\bDEA\b",
        "CBP": r"Customs and Border Protection|\bCBP\b|Border Patrol",
        "NIDA": r"National Institute on Drug Abuse|\bNIDA\b",
        "White House": r"White House|\bONDCP\b|Office of National Drug Control Policy",
        # not "the Texas Department of State Health Services"
        "State Department": r"State Department|Department of State(?!\s+[A-Z])",
        "DHS": r"Department of Homeland Security|Homeland Security Department|\bDHS\b",
        "HSI": r"Homeland Security Investigations|\bHSI\b",
        "DOJ": r"Justice Department|Department of Justice|\bDOJ\b",
        "FBI": r"\bFBI\b|Federal Bureau of Investigation",
        # not "the Utah Department of Health and Human Services"
        "HHS": r"(?:U\.S\.|[Tt]he|federal|Federal)\s+Department of Health and Human Services|\bHHS\b",
        "FDA": r"Food and Drug Administration|\bFDA\b",
    }
)
ORG_RE = [(name, re.compile(p)) for name, p in ORGS.items()]
ACCORDING = re.compile(
    r"\b(?:according to|per|data from|figures from|statistics from|a (?:new |recent |latest |annual )?report (?:by|from)"
    r"|estimates? (?:by|from)|cited by)"
    r"\s+(?:the\s+|a\s+|an\s+)?(?P<who>(?:U\.S\.|[^,;.“”\"]){1,200})",
    re.I,
)
# Each name word starts at a word's start and is at most 40 characters: a run of capitals ("AAAA...") is then tried
# once, not from each of its letters, and reading stays linear in the sentence (issue 24).
_NAME_WORD = r"(?<![\w.&'’-])[A-Z][\w.&'’-]{0,40}+"
SAID = re.compile(
    rf"(?P<who>(?:{_NAME_WORD}\s+){{0,6}}{_NAME_WORD})\s+(?:(?:just|recently|also|has|have)\s+)?"
    r"(?:said|says|reported|reports|announced|estimates|estimated|found|noted|released|published)\b"
)
DATA_SHOW = re.compile(
    rf"(?P<who>(?:{_NAME_WORD}\s+){{0,5}}{_NAME_WORD})(?:'s|’s)?\s+(?:data|statistics|figures|numbers|records)\s+(?:show|showed|shows|indicate)"
)


def agency(sentence: str) -> str | None:
    hits = [(m.start(), name) for name, pattern in AGENCY_RE for m in [pattern.search(sentence)] if m]
    specific = sorted(h for h in hits if h[1] != "federal")
    components = [name for _, name in specific if name in _DHS_COMPONENTS]
    if specific and specific[0][1] == "DHS" and components:
        return components[0]  # "The Department of Homeland Security's U.S. Customs and Border Protection": its component
    if specific:
        return specific[0][1]
    return "federal" if hits else None


def _org(words: str) -> str | None:
    hits = [(m.start(), name) for name, pattern in ORG_RE for m in [pattern.search(words)] if m]
    return min(hits)[1] if hits else None


REPORTS = re.compile(
    r"^(?:['’]s)?(?:\s+\([A-Z]{2,6}\))?\s+(?:\w+\s+){0,4}?(?:said|says|reported|reports|released|announced|estimated|estimates|found|warned|stated|"
    r"published|counted|recorded|data|figures|statistics|shows?|showed|disclosed)\b"
)
# "DEA Administrator Anne Milgram ... said": the agency speaks through its head.
ORG_OFFICIAL = re.compile(
    r"^\s+(?:Administrator|Director|Secretary|Commissioner|Chief|Deputy\s+\w+|[Ss]pokes(?:man|woman|person)|[Oo]fficials?)"
    r"\s+(?:[A-Z][\w.'’-]{0,40}\s+){1,3}[^.]{0,200}?\b(?:said|says|told|stated|warned|announced|touted|noted)\b"
)
# "researchers from RAND Corp.": who, without the people and the company suffix.
PEOPLE_FROM = re.compile(
    r"^(?:researchers|analysts|experts|scientists|economists|officials|(?:(?:a|an|the)\s+)?(?:study|report|analysis|review|survey))"
    r"\s+(?:from|at|with|of|by)\s+(?:the\s+)?",
    re.I,
)
# "Erie County Coroner Lyell Cook", "Guilford County Emergency Services Director Jim Albright": the office, not the person
# (an office's title stays: Coroner, Sheriff, Medical Examiner; a post in it goes: Director, Chief, Administrator)
_POST = r"(?:Director|Chief|Administrator|Commissioner|Spokes(?:man|woman|person)|Manager|Officer|Secretary)"
OFFICE_THEN_PERSON = re.compile(
    rf"^(?P<office>.*?\b(?:Coroner|Sheriff|Medical\s+Examiner)(?=\s+(?:{_POST}\s+)?[A-Z][a-z]+\s)|.*?(?=\s+{_POST}\s))"
    rf"(?:\s+{_POST})?\s+(?P<person>[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z]+)$"
)
CORPORATE = re.compile(r"\s+(?:Corp(?:oration)?|Inc|Co|LLC|Ltd)\.?$")
# "Sen. Claire McCaskill, Missouri Democrat, said": a named person speaking; titles left out.
PERSON_SAID = re.compile(
    r"(?:\b(?:Sen|Rep|Gov|Dr|Mr|Mrs|Ms|Sheriff|President|Secretary|Administrator|Director|Commissioner|Attorney\s+General)\.?\s+)?"
    r"(?<![\w.])(?P<name>[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+(?:Mc|Mac|O[’']|De|Di|La|Van\s|Von\s)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?:,\s+[^,]{2,60},)?"
    r"\s+(?:said|says|told|testified|wrote|stated)\b"
)
NOT_A_PERSON = re.compile(
    r"\b(?:Department|Agency|Administration|Office|Center|Police|Patrol|Report|Data|Officials?|Authorities|Health|County|City|"
    r"State|National|Federal|Bureau|Service|Court|House|Senate|Coast|Guard|Customs|Border)\b"
)
# Sources a sentence names in lower case: "medical examiners", "county health officials", "the state health department",
# "the state Department of Public Health".
INSTITUTION = re.compile(
    r"^(?:[a-z][\w.'’-]*\s+){0,3}(?:(?:medical\s+examiner|coroner)(?:s|['’]s\s+office)?|officials|health\s+department|"
    r"Department(?:\s+(?:of|and|for)(?:\s+[A-Z][\w-]*)+)+)$"
)
# A state's or county's office by its name: "the Ohio Department of Health", "the Erie County Coroner's Office"
NAMED_OFFICE = re.compile(
    r"(?P<who>(?<![\w.])(?:(?!The\s)[A-Z][a-z]+\s+){1,3}(?:Department|Division|Bureau)\s+of\s+[A-Z][\w-]*"
    r"(?:\s+(?:and\s+|of\s+|for\s+)?[A-Z][\w-]*){0,4})"
    r"|(?P<county>(?<![\w.])(?:(?!The\s)[A-Z][a-z]+\s+){1,2}County\s+(?i:coroner|medical\s+examiner)(?:['’]s\s+(?i:office))?)"
    # "The Office of the Chief Medical Examiner in Virginia has released": a state's examiner, by its office's name
    r"|(?P<examiner>(?<![\w.])Office\s+of\s+the\s+(?:Chief\s+|State\s+)?Medical\s+Examiner(?:\s+(?:in|of|for)\s+[A-Z][a-z]+)?)"
)
# "preliminary data from the county Medical Examiner's Office": the office of the county the story is about
COUNTY_OFFICE = re.compile(
    r"\bthe\s+county\s+(?P<office>(?i:(?:medical\s+examiner|coroner|sheriff)(?:['’]s\s+office)?|health\s+department))\b"
)
CONFIRMED_BY = re.compile(
    r"\b(?:were|was|have\s+been|had\s+been)\s+(?:confirmed|reported|counted|recorded|ruled)\s+(?:\w+\s+)?by\s+the\s+"
    r"(?:county\s+)?(?P<office>(?i:(?:medical\s+examiner|coroner)(?:['’]s\s+office)?))\b"
)
# The start of a time, never a source: "statistics from Fiscal Year 2019"
WHEN = re.compile(
    r"(?:Fiscal\s+Year|FY|Calendar\s+Year|January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Spring|Summer|Fall|Autumn|Winter|Last|This|Next)\b"
)
FEDERAL_DATA = re.compile(r"\b(?:federal|government)\s+(?:\w+\s+)?(?:data|figures|statistics|estimates|numbers)\b", re.I)


def attribution(sentence: str) -> str | None:
    for name, pattern in ORG_RE:  # "the CDC said", "Customs and Border Protection reported seizing"
        for m in pattern.finditer(sentence):
            if REPORTS.match(sentence[m.end() : m.end() + 60]) or ORG_OFFICIAL.match(sentence[m.end() :]):
                return _reported_by(sentence, name)
    for m in NAMED_OFFICE.finditer(sentence):  # "The Ohio Department of Health just released a report"
        if REPORTS.match(sentence[m.end() : m.end() + 60]):
            # "The Washington County coroner’s office announced": the office by its name, capitalised
            if m["examiner"]:
                return m["examiner"]
            return m["who"] or re.sub(r"\b(coroner|medical examiner|office)\b", lambda w: w[0].title(), m["county"])
    for pattern in (ACCORDING, DATA_SHOW, SAID):
        for m in pattern.finditer(sentence):
            who = CORPORATE.sub("", PEOPLE_FROM.sub("", m.group("who").strip()))
            org = _org(who)
            if org:
                return org
            if FEDERAL_DATA.search(who) or re.match(r"(?:the\s+)?(?:most\s+recent\s+|latest\s+|new\s+)?federal\b", who, re.I):
                return "federal"
            paren = re.search(r"\(([A-Z]{2,6})\)", who)
            named = re.search(r"((?:[A-Z][\w.&'’-]*(?:\s+(?:of|and|for|on)\s+|\s+)){2,})\(", who)
            if paren:  # "the National Vital Statistics System (NVSS)": its name, which a reader knows; else the letters
                return named.group(1).strip() if named else paren.group(1)
            if pattern is ACCORDING and INSTITUTION.match(who):  # "according to medical examiners": as written
                return who
            if pattern is ACCORDING and (office := COUNTY_OFFICE.search(who)):  # the story's county fills it in
                return f"county {office['office']}"
            proper = re.match(r"(?:[A-Z][\w.&'’-]*(?:\s+(?:of|and|for|on|the)\s+|\s+)?)+", who)
            if proper and WHEN.match(proper.group(0)):
                continue  # "statistics from Fiscal Year 2019": a time, not a source
            if proper and pattern is ACCORDING and (len(proper.group(0).split()) >= 2 or who != m.group("who").strip()):
                return _office(proper.group(0).strip())
    m = CONFIRMED_BY.search(sentence)  # "417 drug OD's were confirmed by the coroner's office": the story's county's
    if m:
        return "county " + re.sub(r"\b(?:coroner|medical|examiner|office)\b", lambda w: w[0].title(), m["office"])
    if FEDERAL_DATA.search(sentence):
        return "federal"
    for m in PERSON_SAID.finditer(sentence):
        if not NOT_A_PERSON.search(m["name"]):
            return m["name"]
    return None


def _office(name: str) -> str:
    m = OFFICE_THEN_PERSON.match(name)
    office = m["office"].strip() if m and not NOT_A_PERSON.search(m["person"]) else ""
    return (
        office
        if len(office.split()) >= 2 and re.search(r"\b(?:County|City|State|Department|Office|Services)\b", office)
        else name
    )


def _reported_by(sentence: str, name: str) -> str:
    # "the U.S. National Center for Health Statistics (NCHS) stated": the short form the sentence gives
    return name


_DATA_BY = re.compile(
    r"\b(?:according\s+to\s+)?(?:data|figures|statistics|numbers|a\s+report)\s+(?:(?:released|published|compiled|provided|"
    r"issued)\s+)?(?:\w+\s+)?(?:by|from)\s+(?:the\s+)?(?P<who>(?:state\s+)?[A-Z][\w.'’]*(?:\s+(?:of|and|for|[A-Z][\w.'’]*))*)"
    r"|\baccording\s+to\s+data\s+(?:the\s+)?(?P<who2>(?:state\s+)?[A-Z][\w.'’]*(?:\s+(?:of|and|for|[A-Z][\w.'’]*))*)\s+"
    r"(?:published|released)"
)


_ORG_DATA = re.compile(r"^['’]s\s+(?:[\w-]+\s+){0,4}?(?:data|report|figures|statistics|numbers|count)\b")


@lru_cache(maxsize=4096)  # asked of each sentence of a paragraph for every figure in it: read once (issue 24)
def cited(text: str) -> str | None:
    """Whom a sentence cites: drugstats.extract.attribution's reading, or the office whose data it quotes."""
    found = attribution(text)
    if found:
        return found
    for name, pattern in ORG_RE:  # "The Centers for Disease Control and Prevention's latest provisional data say"
        for m in pattern.finditer(text):
            if _ORG_DATA.match(text[m.end() : m.end() + 80]):
                return name
    m = _DATA_BY.search(text)
    if not m:
        return None
    # a name ends at a sentence's full stop: "Director Jim Albright. The previous record" (not "U.S." or "J.")
    who = _SENTENCE_END.split((m["who"] or m["who2"]).strip(), maxsplit=1)[0].removesuffix(".")
    return None if WHEN.match(who) else _office(who)


_SENTENCE_END = re.compile(r"(?<=[a-z]{2})\.\s+(?=[A-Z])")
