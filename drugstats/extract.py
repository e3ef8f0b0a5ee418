"""Article text -> candidate claims: every drug figure with its fields, or what is missing to make it a claim (pure).

The reading is rules, not a model: sentence by sentence, each number with a unit (drugstats.extract_numbers)
is given a metric by the words around it, then a substance, period and place (drugstats.extract_periods),
the agency that seized it and whom the sentence cites. A figure whose metric cannot be told (a count of
arrests, a share of something else, an age) is not a candidate; one whose other fields cannot be told is a
candidate that says what is missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from drugstats.extract_numbers import UNIT_WORDS, Number, find_numbers, out_of
from drugstats.extract_periods import find_geography, find_period

MAX_TEXT_CHARS = 1_000_000  # ~150,000 words: far beyond any article; bounds time and memory

# ------------------------------------------------------------------------------------------ the result


@dataclass(frozen=True)
class Candidate:
    """One drug figure read from an article, with the claim fields it states and what it leaves out."""

    quote: str  # the whole sentence, a verbatim substring of the text
    value_text: str  # the qualifier and number as printed ("nearly half a million")
    value: float
    unit: str
    qualifier: str
    metric: str
    substance: str | None
    period_start: date | None = None
    period_end: date | None = None
    geography: str | None = None
    seized_by: str | None = None
    attributed_to: str | None = None
    claimant: str | None = None
    relative_to: str | None = None
    per: str | None = None
    published: date | None = None
    start: int = 0  # offsets of value_text in the text, to highlight it
    end: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


# ------------------------------------------------------------------------------------------ vocabularies

# Substance words as drugstats ids, longest phrases first (CBP drug types beyond vocab.SUBSTANCES included).
SUBSTANCE_WORDS = (
    ("prescription_opioids", r"prescription (?:opioids?|painkillers?|pain relievers?)"),
    (
        "fentanyl",
        r"synthetic opioids?(?: other than methadone)?|(?:illicit(?:ly manufactured)? )?fentanyl|carfentanil|fentanyl analogu?es",
    ),
    ("heroin", r"heroin"),
    ("cocaine", r"cocaine|crack"),
    ("methamphetamine", r"(?:crystal )?meth(?:amphetamines?)?|psychostimulants?"),
    ("benzodiazepines", r"benzodiazepines?|benzos|xanax"),
    ("morphine", r"morphine"),
    ("methadone", r"methadone"),
    ("opioids", r"opioids?|opiates?"),
    ("marijuana", r"marijuana|cannabis"),
    ("ecstasy", r"ecstasy|mdma"),
    ("ketamine", r"ketamine"),
)
SUBSTANCE_RE = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<{k}>{p})" for k, p in SUBSTANCE_WORDS) + r")(?![\w])", re.I)

AGENCY_PATTERNS = (
    (
        "CBP",
        r"\bCBP\b|Customs and Border Protection|Border Patrol|Office of Field Operations|\bOFO\b"
        r"|border (?:agents|officers)|customs officers|ports? of entry",
    ),
    ("HSI", r"\bHSI\b|Homeland Security Investigations"),
    ("DEA", r"\bDEA\b|Drug Enforcement Administration"),
    ("DHS", r"\bDHS\b|Department of Homeland Security|Homeland Security Department"),
    ("HIDTA", r"\bHIDTA\b|High Intensity Drug Trafficking"),
    ("USPIS", r"\bUSPIS\b|Postal Inspection Service|postal inspectors"),
    ("OCDETF", r"\bOCDETF\b|Organized Crime Drug Enforcement"),
    ("federal", r"\bfederal (?:authorities|agents|officials|officers|law enforcement|agencies)\b"),
)
AGENCY_RE = [(name, re.compile(p, re.I if name == "federal" else 0)) for name, p in AGENCY_PATTERNS]

# Whom a sentence cites: long names to the short forms the curated data use.
ORGS = MappingProxyType(
    {
        "CDC": r"Centers for Disease Control(?: and Prevention)?|\bCDC\b",
        "NCHS": r"National Center for Health Statistics|\bNCHS\b",
        "DEA": r"Drug Enforcement Administration|\bDEA\b",
        "CBP": r"Customs and Border Protection|\bCBP\b|Border Patrol",
        "NIDA": r"National Institute on Drug Abuse|\bNIDA\b",
        "White House": r"White House|\bONDCP\b|Office of National Drug Control Policy",
        "State Department": r"State Department|Department of State",
        "DHS": r"Department of Homeland Security|Homeland Security Department|\bDHS\b",
        "HSI": r"Homeland Security Investigations|\bHSI\b",
        "DOJ": r"Justice Department|Department of Justice|\bDOJ\b",
        "FBI": r"\bFBI\b|Federal Bureau of Investigation",
        "HHS": r"Department of Health and Human Services|\bHHS\b",
        "FDA": r"Food and Drug Administration|\bFDA\b",
    }
)
ORG_RE = [(name, re.compile(p)) for name, p in ORGS.items()]
ACCORDING = re.compile(
    r"\b(?:according to|per|data from|figures from|statistics from|a report (?:by|from)|estimates? (?:by|from)|cited by)"
    r"\s+(?:the\s+|a\s+|an\s+)?(?P<who>(?:U\.S\.|[^,;.“”\"])+)",
    re.I,
)
SAID = re.compile(
    r"(?P<who>(?:[A-Z][\w.&'’-]*\s+){0,6}[A-Z][\w.&'’-]*)\s+(?:said|says|reported|reports|announced|estimates|estimated|found|noted)\b"
)
DATA_SHOW = re.compile(
    r"(?P<who>(?:[A-Z][\w.&'’-]*\s+){0,5}[A-Z][\w.&'’-]*)(?:'s|’s)?\s+(?:data|statistics|figures|numbers|records)\s+(?:show|showed|shows|indicate)"
)

# Words that decide a figure's metric.
SEIZE = re.compile(
    r"\b(?:seiz\w*|confiscat\w*|intercept\w*|haul|bust|recovered|captured|interdict\w*|took\s+off\s+the\s+streets?|out\s+of\s+circulation|snatched|nabbed|found|discovered)\b",
    re.I,
)
DEATH = re.compile(
    r"\b(?:di(?:e|ed|es|ing)|deaths?|dead|overdos\w*|kill\w*|fatal\w*|lives|los(?:e|ing|t)|claimed|death toll|deadl\w*"
    r"|succumbed)\b",
    re.I,
)
ARREST = re.compile(
    r"\b(?:arrest\w*|charged|indicted|convicted|sentenced|detained|apprehen\w*|suspects|defendants|migrants|officers|agents|employees|jobs|students|patients|treatment|inmates|prison\w*|jail\w*)\b",
    re.I,
)
LETHAL = re.compile(r"\b(?:lethal|deadly|fatal|kill|could\s+kill|enough\s+to\s+kill)\b", re.I)
POTENT = re.compile(r"\b(?:more\s+)?(?:potent|powerful|strong|stronger|deadlier|lethal|more\s+lethal|more\s+deadly)\b", re.I)
CHANGE = re.compile(
    r"\b(?:increase[sd]?|rise|rose|risen|jump(?:ed)?|surg(?:e|ed)|spike[sd]?|grew|growth|up|climb(?:ed)?|soar(?:ed)?|decline[sd]?|drop(?:ped)?|fell|decrease[sd]?|down)\b",
    re.I,
)
PILL = re.compile(r"\b(?:pills?|tablets?)\b", re.I)
PER_100K = re.compile(r"^\s*(?:[\w-]+\s+){0,3}?(?:per|for\s+every)\s+100,000", re.I)
NOT_A_FIGURE = re.compile(
    r"(?:[-\s]years?[-\s]old|[-\s]year[-\s]olds?|\s+years?\s+(?:in\s+|of\s+)?(?:prison|jail)|\s+months?\s+in\s+(?:prison|jail))",
    re.I,
)
MASS_PER = re.compile(
    r"\b(?P<n>one|a|per|each|every|1|a\s+single|just\s+one)\s+(?P<u>kilograms?|kilos?|kg|pounds?|lbs?|grams?|g)\b(?:\s+of\s+[\w\s-]{0,30}?)?",
    re.I,
)
ANAPHORA = re.compile(r"\b(?:it|the\s+drug|the\s+substance|the\s+narcotic|this\s+drug)\b", re.I)


def _substances(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.lastgroup or "") for m in SUBSTANCE_RE.finditer(text)]


def _nearest_substance(sentence: str, num: Number, *, after_first: bool = True) -> str | None:
    found = _substances(sentence)
    if not found:
        return None
    after = [s for s in found if s[0] >= num.unit_end and s[0] - num.unit_end < 40]
    if after_first and after:
        return after[0][2]
    return min(found, key=lambda s: min(abs(s[0] - num.end), abs(s[1] - num.start)))[2]


def _death_substance(sentence: str, num: Number) -> str:
    """The drug whose deaths are counted: named with the deaths ("fentanyl deaths", "Fentanyl killed"), else all drugs."""
    s_alt = "|".join(p for _, p in SUBSTANCE_WORDS)
    direct = [
        rf"(?P<s>{s_alt})(?:[- ](?:related|involved|linked|laced|induced))?\s+(?:overdose\s+|poisoning\s+)?"
        r"(?:deaths|overdoses|fatalities|poisonings)",
        rf"(?:deaths|overdoses|died|fatalities|killed|poisonings)\s+(?:\w+\s+){{0,2}}"
        rf"(?:involving|from|caused\s+by|linked\s+to|tied\s+to|attributed\s+to|related\s+to|due\s+to|of|by|with)"
        rf"\s+(?:\w+\s+){{0,3}}?(?P<s>{s_alt})",
        rf"(?P<s>{s_alt})[\s,]+(?:which\s+)?(?:\w+\s+){{0,3}}?(?:killed|claimed|took|"
        r"(?:was|were|is|are)\s+(?:involved|responsible|blamed|linked|tied)\s+(?:in|for|to))\b(?!\s+(?:\w+\s+)?(?:for|in)\s+the\b)",
    ]
    scope = sentence[max(0, num.start - 120) : min(len(sentence), num.unit_end + 60)]
    scope = re.split(r"[,;—–]\s*(?:with|while|and|but|a|an)\b", scope[120 if num.start >= 120 else num.start :], maxsplit=1)[0]
    scope = sentence[max(0, num.start - 120) : num.start] + scope
    for pattern in direct:
        m = re.search(pattern, scope, re.I)
        if m:
            return _substance_id(m.group("s"))
    return "all_drugs"


def _substance_id(words: str) -> str:
    m = SUBSTANCE_RE.search(words)
    return (m.lastgroup or "all_drugs") if m else "all_drugs"


def _agency(sentence: str) -> str | None:
    hits = [(m.start(), name) for name, pattern in AGENCY_RE for m in [pattern.search(sentence)] if m]
    specific = sorted(h for h in hits if h[1] != "federal")
    if specific:
        return specific[0][1]
    return "federal" if hits else None


def _org(words: str) -> str | None:
    hits = [(m.start(), name) for name, pattern in ORG_RE for m in [pattern.search(words)] if m]
    return min(hits)[1] if hits else None


REPORTS = re.compile(
    r"^(?:['’]s)?\s+(?:\w+\s+){0,4}?(?:said|says|reported|reports|released|announced|estimated|estimates|found|warned|stated|"
    r"published|counted|recorded|data|figures|statistics|shows?|showed|disclosed)\b"
)
FEDERAL_DATA = re.compile(r"\b(?:federal|government)\s+(?:\w+\s+)?(?:data|figures|statistics|estimates|numbers)\b", re.I)


def _attribution(sentence: str) -> str | None:
    for name, pattern in ORG_RE:  # "the CDC said", "Customs and Border Protection reported seizing"
        for m in pattern.finditer(sentence):
            if REPORTS.match(sentence[m.end() : m.end() + 60]):
                return _reported_by(sentence, name)
    for pattern in (ACCORDING, DATA_SHOW, SAID):
        for m in pattern.finditer(sentence):
            who = m.group("who").strip()
            org = _org(who)
            if org:
                return org
            if FEDERAL_DATA.search(who) or re.match(r"(?:the\s+)?(?:most\s+recent\s+|latest\s+|new\s+)?federal\b", who, re.I):
                return "federal"
            paren = re.search(r"\(([A-Z]{2,6})\)", who)
            if paren:
                return paren.group(1)
            proper = re.match(r"(?:[A-Z][\w.&'’-]*(?:\s+(?:of|and|for|on|the)\s+|\s+)?)+", who)
            if proper and pattern is ACCORDING and len(proper.group(0).split()) >= 2:
                return proper.group(0).strip()
    if FEDERAL_DATA.search(sentence):
        return "federal"
    return None


def _reported_by(sentence: str, name: str) -> str:
    # "the U.S. National Center for Health Statistics (NCHS) stated": the short form the sentence gives
    return name


# ------------------------------------------------------------------------------------------ metrics


@dataclass(frozen=True)
class Reading:
    """What the words around a number say it is; None fields are not stated."""

    metric: str
    unit: str
    substance: str | None = None
    relative_to: str | None = None
    per: str | None = None


def _clause(sentence: str, num: Number, before: int = 90, after: int = 90) -> str:
    return sentence[max(0, num.start - before) : min(len(sentence), num.unit_end + after)]


def _mass_per(sentence: str, num: Number) -> re.Match[str] | None:
    for m in MASS_PER.finditer(sentence):
        if not (m.start() <= num.number_start < m.end()):
            return m
    return None


def read_mass(sentence: str, num: Number, context: Context) -> Reading | None:
    around = _clause(sentence, num, 60, 80)
    if (
        num.unit in ("mg", "g")
        and LETHAL.search(around)
        and re.search(r"\bdoses?\b|\bkill\b|\blethal\b|\bdeadly\b|\bfatal\b", around, re.I)
    ):
        if not re.search(r"\bseiz", around, re.I):
            return Reading("lethal_dose", num.unit, _nearest_substance(sentence, num) or context.last_substance)
    if num.unit == "mg" and PILL.search(around) and re.search(r"\b(?:contain\w*|average|per|each)\b", around, re.I):
        return Reading("pill_content", "mg", _nearest_substance(sentence, num) or context.last_substance)
    if SEIZE.search(sentence) and not _is_per_mass_of_deaths(sentence, num):
        return Reading("drug_seized", num.unit, _seized_substance(sentence, num, context))
    return None


def _is_per_mass_of_deaths(sentence: str, num: Number) -> bool:
    m = MASS_PER.search(sentence)
    return bool(m and m.start() <= num.number_start < m.end() and re.search(r"\bkill|\blethal|\bdeaths\b", sentence, re.I))


def _seized_substance(sentence: str, num: Number, context: Context) -> str | None:
    tail = sentence[num.unit_end : num.unit_end + 30]
    if re.match(r"\s+of\s+(?:it|the\s+drug|the\s+substance|this\s+drug)\b", tail, re.I):
        return context.last_substance
    return _nearest_substance(sentence, num) or context.last_substance


def read_pills(sentence: str, num: Number, context: Context) -> Reading | None:
    if SEIZE.search(sentence) and not HYPOTHETICAL.search(sentence[max(0, num.start - 40) : num.start]):
        return Reading("drug_seized", "pills", _seized_substance(sentence, num, context))
    return None


def read_count(sentence: str, num: Number, context: Context) -> Reading | None:
    around = _clause(sentence, num, 50, 60)
    if PER_100K.match(sentence[num.end : num.end + 60]):
        return Reading("death_rate", "per_100k", _death_substance(sentence, num)) if DEATH.search(sentence) else None
    right = sentence[num.unit_end : num.unit_end + 60]
    if ARREST.search(around) and not re.match(r"\s*(?:\w+\s+){0,2}(?:died|deaths|overdos\w*|killed)", right, re.I):
        return None
    mass = _mass_per(sentence, num)
    if mass and re.search(r"\bkill|\blethal|\bdeadly\b|\bpotential\w*\s+deaths\b", sentence, re.I):
        unit = mass.group("u").lower().rstrip("s")
        per = UNIT_WORDS.get(unit, UNIT_WORDS.get(unit + "s", unit))
        substance = _nearest_substance(sentence[mass.start() :], num) if SUBSTANCE_RE.search(sentence[mass.start() :]) else None
        return Reading("deaths_per_mass", num.unit, substance or _first_substance(sentence) or context.last_substance, per=per)
    if (
        HYPOTHETICAL.search(sentence[max(0, num.start - 60) : num.start])
        or SAVED_BEFORE.search(sentence[: num.start])
        or re.match(r"\s*(?:[\w-]+\s+){0,2}?(?:lives\s+)?(?:saved|prevented|averted)\b", right, re.I)
    ):
        return None  # "could have killed 700,000 Americans", "14,000 lives saved": not deaths
    if DEATH.search(around):
        return Reading("overdose_deaths", num.unit, _death_substance(sentence, num))
    return None


def read_rate(sentence: str, num: Number, context: Context) -> Reading | None:
    if DEATH.search(sentence) or re.search(r"\bdeath\s+rate|\bmortality", sentence, re.I):
        return Reading("death_rate", "per_100k", _death_substance(sentence, num))
    return None


def _first_substance(sentence: str) -> str | None:
    found = _substances(sentence)
    return found[0][2] if found else None


def read_times(sentence: str, num: Number, context: Context) -> Reading | None:
    right = sentence[num.unit_end : num.unit_end + 80]
    m = re.match(
        r"\s+(?:more\s+|as\s+)?(?:\w+\s+){0,1}?(?:potent|powerful|strong|stronger|deadlier|lethal|deadly)\w*\s+(?:than|as)\s+(?P<rel>[\w\s-]{1,30})",
        right,
        re.I,
    )
    if not m:
        return None
    relative = SUBSTANCE_RE.search(m.group("rel"))
    compared = {r.lastgroup for r in (SUBSTANCE_RE.search(t) for t in re.findall(r"\bthan\s+([\w\s-]{1,30})", sentence)) if r}
    subject = [s for s in _substances(sentence[: num.start]) if s[2] not in compared]
    substance = subject[0][2] if subject else (context.last_substance or None)
    return Reading("potency_ratio", "times", substance, relative_to=relative.lastgroup if relative else None)


def read_percent(sentence: str, num: Number, context: Context) -> Reading | None:
    around = _clause(sentence, num, 80, 80)
    if re.match(
        r"\s+(?:out\s+of|in)\s+(?:every\s+)?\w+\s+(?:\w+\s+){0,3}?(?:pills|tablets)\b",
        sentence[num.number_start :][len(num.value_text.split()[0]) :],
    ) or (re.search(r"\bout\s+of\s+\w+\s+(?:\w+\s+){0,2}?(?:pills|tablets)", sentence[num.start : num.end + 40])):
        return Reading("lethal_pill_share", "percent", _nearest_substance(sentence, num) or "fentanyl")
    if re.match(
        r"\s*(?:\w+\s+)?(?:increase|rise|jump|spike|surge|drop|decline|decrease|fall|gain|reduction|higher|lower|more|fewer|less)\b",
        sentence[num.unit_end : num.unit_end + 30],
        re.I,
    ) and not re.search(r"seiz|interdict", around, re.I):
        return None
    if PILL.search(around) and re.search(r"lethal|deadly|fatal", around, re.I):
        return Reading("lethal_pill_share", "percent", _nearest_substance(sentence, num) or "fentanyl")
    if CHANGE_BEFORE.search(sentence[: num.number_start]) and not re.search(r"seiz|interdict", around, re.I):
        return None
    if re.search(r"seiz|interdict", around, re.I) and CHANGE.search(around):
        return Reading("seizure_change", "percent", _seized_substance(sentence, num, context))
    right = sentence[num.unit_end : num.unit_end + 80]
    if re.search(r"\b(?:deaths|overdoses|died|fatalities)\b", around, re.I) and re.match(
        r"\s*(?:of\s+(?:all\s+|the\s+|those\s+|these\s+)?(?:\w+\s+){0,3}?(?:deaths|overdoses|fatalities|people\s+who\s+died)|of\s+them)",
        right,
        re.I,
    ):
        return Reading("death_share", "percent", _death_substance_share(sentence, num))
    if re.search(r"\b(?:involved|involving|linked\s+to|attributed\s+to|caused\s+by|from)\b", right[:40], re.I) and re.search(
        r"\bdeaths|overdoses\b", sentence, re.I
    ):
        return Reading("death_share", "percent", _death_substance_share(sentence, num))
    return None


def _death_substance_share(sentence: str, num: Number) -> str | None:
    found = [s for s in _substances(sentence) if s[2] not in ("marijuana",)]
    return found[0][2] if found else None


READERS: MappingProxyType[str, Callable[[str, Number, Context], Reading | None]] = MappingProxyType(
    {
        "lb": read_mass,
        "kg": read_mass,
        "g": read_mass,
        "mg": read_mass,
        "pills": read_pills,
        "deaths": read_count,
        "people": read_count,
        "times": read_times,
        "percent": read_percent,
        "per_100k": read_rate,
    }
)

# ------------------------------------------------------------------------------------------ sentences

_ABBREV = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|Gov|Sen|Rep|Lt|Sgt|Gen|Col|Capt|St|Jr|Sr|No|vs|Inc|Corp|Co|Ltd|approx|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|"
    r"Minn|Miss|Mo|Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Vt|Va|Wash|Wis|Wyo)\.)$"
)
_BOUNDARY = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split after . ! ? before a capital, and at line breaks, not after U.S. or Jan."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        if m.group(0)[0] == ".":
            before = text[max(start, m.start() - 12) : m.start() + 1]
            if _ABBREV.search(before) and not re.search(r"U\.S\.$", before) or _ends_us_then_lower(text, m):
                continue
        end = m.start() + (len(m.group(0).rstrip()) if m.group(0)[0] != "\n" else 0)
        if text[start:end].strip():
            spans.append(_strip(text, start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(_strip(text, start, len(text)))
    return spans


def _ends_us_then_lower(text: str, m: re.Match[str]) -> bool:
    # "the U.S. Customs ..." continues the sentence; "... of the U.S. Then ..." would end it, but
    # a capital after U.S. is far more often a name, so U.S. never ends a sentence.
    return text[max(0, m.start() - 3) : m.start() + 1] == "U.S."


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# ------------------------------------------------------------------------------------------ extraction


@dataclass
class Context:
    """What earlier sentences said that a later one leans on ("seized 11,000 pounds of it")."""

    last_substance: str | None = None
    geography: str | None = None


def _missing(
    reading: Reading, period_note: str | None, has_period: bool, seized_by: str | None, claimant: str | None
) -> list[str]:
    missing = []
    if reading.substance is None:
        missing.append("no drug named")
    elif reading.substance not in _VOCAB_SUBSTANCES:
        missing.append(f"{reading.substance} is not a substance drugstats checks")
    if reading.metric in _NEEDS_PERIOD and not has_period:
        missing.append(period_note or "no period stated")
    if reading.metric in ("drug_seized", "seizure_change") and seized_by is None:
        missing.append("no seizing agency named")
    if reading.metric == "seizure_change":
        missing.append("no earlier period to compare with")
    if reading.metric == "potency_ratio" and reading.relative_to is None:
        missing.append("not said what it is more potent than")
    if reading.metric == "deaths_per_mass" and reading.per is None:
        missing.append("no mass stated")
    return missing


def _vocab_substances() -> frozenset[str]:
    from drugstats import vocab

    return frozenset(vocab.SUBSTANCES)


_VOCAB_SUBSTANCES = _vocab_substances()
_NEEDS_PERIOD = frozenset({"overdose_deaths", "death_rate", "death_share", "drug_seized", "seizure_change"})
_PERIOD_METRICS = _NEEDS_PERIOD | {"lethal_pill_share"}
_PLACED_METRICS = _PERIOD_METRICS
SUB_NATIONAL = re.compile(r"\b(?:sector|county|counties|city|cities|borough|parish|metro|region of)\b", re.I)


def _article_geography(text: str) -> str | None:
    return "US" if re.search(r"\bU\.S\.|\bUnited States\b|\bAmerica(?:n|ns)?\b", text) else None


def extract(text: str, published: date | None = None, claimant: str | None = None) -> list[Candidate]:
    """Every drug figure in an article, in reading order, with its claim fields (see Candidate)."""
    text = text[:MAX_TEXT_CHARS]
    context = Context(geography=_article_geography(text[:20_000]))
    out: list[Candidate] = []
    for s_start, s_end in sentences(text):
        sentence = text[s_start:s_end]
        if len(sentence) > 2_000:  # a table or a run-on without stops: not a sentence a claim sits in
            continue
        out.extend(_sentence_candidates(sentence, s_start, published, claimant, context))
        found = _substances(sentence)
        if found:
            context.last_substance = found[-1][2] if found[-1][2] != "morphine" else found[0][2]
    return out


def _numbers(sentence: str) -> list[Number]:
    shares = out_of(sentence)
    taken = [(n.number_start, n.end) for n in shares]
    plain = [n for n in find_numbers(sentence) if not any(a <= n.number_start < b for a, b in taken)]
    return sorted(shares + plain, key=lambda n: n.start)


def _sentence_candidates(
    sentence: str, offset: int, published: date | None, claimant: str | None, context: Context
) -> list[Candidate]:
    numbers = _numbers(sentence)
    found: list[Candidate] = []
    previous: str | None = None  # the unit of the figure before: "from 568 pounds in FY2018 to 661 in FY2019"
    for i, num in enumerate(numbers):
        if _not_a_figure(sentence, num):
            continue
        unit = num.unit or _implied_unit(sentence, num, previous)
        if unit is None:
            continue
        if num.unit is None:
            num = Number(num.start, num.end, num.value_text, num.value, num.qualifier, unit, num.end, num.number_start)
        reading = READERS[unit](sentence, num, context)
        if reading is None:
            continue
        previous = reading.unit if reading.unit != "percent" else previous
        # The period nearest the figure: its own clause first, then the sentence.
        nxt = numbers[i + 1].start if i + 1 < len(numbers) else len(sentence)
        period = None
        if reading.metric in _PERIOD_METRICS:
            period = find_period(sentence[num.start : nxt], published) or find_period(sentence, published)
        has_period = period is not None and period.start is not None
        seized_by = _agency(sentence) if reading.metric in ("drug_seized", "seizure_change") else None
        attributed = _attribution(sentence)
        if seized_by == "federal" and attributed in ("CBP", "DEA", "HSI", "DHS"):
            seized_by = attributed  # "federal authorities seized ..., according to CBP statistics"
        geography = None
        if reading.metric in _PLACED_METRICS:
            geography = find_geography(sentence)
            if geography is None and not SUB_NATIONAL.search(sentence):
                geography = "US"  # national figures: drugstats' series are US ones unless a state is named
        found.append(
            Candidate(
                quote=sentence,
                value_text=num.value_text,
                value=num.value,
                unit=reading.unit,
                qualifier=num.qualifier,
                metric=reading.metric,
                substance=reading.substance,
                period_start=period.start if has_period else None,
                period_end=period.end if has_period else None,
                geography=geography,
                seized_by=seized_by,
                attributed_to=attributed,
                claimant=claimant,
                relative_to=reading.relative_to,
                per=reading.per,
                published=published,
                start=offset + num.start,
                end=offset + num.end,
                missing=_missing(reading, period.note if period else None, has_period, seized_by, claimant),
            )
        )
    return found


SAVED_BEFORE = re.compile(r"\b(?:sav(?:e|ed|es|ing)|prevent(?:ed|s|ing)?|avert(?:ed|s|ing)?)\s+(?:\w+\s+)?$", re.I)
CHANGE_BEFORE = re.compile(
    r"\b(?:rose|rise|risen|increased?|jumped|grew|climbed|soared|spiked|surged|fell|dropped|declined?|decreased?|down|up)"
    r"(?:\s+by)?\s+(?:about\s+|nearly\s+|more\s+than\s+|over\s+|almost\s+|roughly\s+)?$",
    re.I,
)
YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
HYPOTHETICAL = re.compile(
    r"(?:\b(?:could|would|might|can|may)\s+(?:have\s+)?(?:potentially\s+)?kill(?:ed)?|enough\s+to\s+(?:kill|make)|equivalent\s+of)"
    r"\s+(?:all\s+|the\s+|about\s+|some\s+)?$",
    re.I,
)


def _not_a_figure(sentence: str, num: Number) -> bool:
    """Ages, prison terms, money, a year, the 100,000 of "per 100,000": numbers that are never a drug figure."""
    if NOT_A_FIGURE.match(sentence[num.end :]) or _is_money(sentence, num):
        return True
    if re.search(r"\b(?:per|every)\s+$", sentence[max(0, num.number_start - 10) : num.number_start], re.I):
        return True
    return bool(YEAR_LIKE.fullmatch(num.value_text) and num.unit in (None, "deaths", "people"))


def _is_money(sentence: str, num: Number) -> bool:
    return (
        sentence[max(0, num.number_start - 1) : num.number_start] in "$£€"
        and num.number_start > 0
        or bool(re.match(r"\s*(?:million\s+|billion\s+)?(?:dollars|USD)\b", sentence[num.end :], re.I))
    )


def _implied_unit(sentence: str, num: Number, previous: str | None) -> str | None:
    """A number printed without its unit: "deaths topped 100,000", "52 per 100,000", "from 568 pounds ... to 661"."""
    after = sentence[num.end :]
    before = sentence[max(0, num.start - 90) : num.start]
    if re.match(r"\s*(?:[\w-]+\s+){0,3}?(?:per|for\s+every)\s+100,000", after, re.I) or re.search(
        r"\brate\s+(?:\w+\s+){0,2}?(?:of|was|is|at|reached|to|hit)\s*$", before, re.I
    ):
        return "per_100k"
    if re.match(r"\s+of\s+(?:the\s+|all\s+|those\s+)?(?:[\w-]+\s+){0,2}?(?:deaths|overdoses|fatalities)\b", after, re.I):
        return "deaths"
    if re.match(r"\s*[A-Za-z]", after) and not re.match(
        r"\s*(?:in|last|this|during|for|from|over|since|a\s+year|annually|each|per|and|to|between|among|nationwide)\b", after
    ):
        return None
    if previous and re.search(
        r"\b(?:from|to|and|versus|vs\.?|compared\s+(?:to|with)|than)\s+(?:a\s+(?:high|low|record)\s+of\s+|about\s+|nearly\s+)?$",
        before[-30:],
        re.I,
    ):
        return previous
    if re.search(
        r"\b(?:deaths|overdoses|fatalities|death\s+toll|died)\b[^;]{0,70}?\b(?:to|reached|topped|hit|surpassed|exceeded|totaled|"
        r"totalled|of|was|were|at|passed|crossed|numbered|stood\s+at|from)\s*$",
        before,
        re.I,
    ):
        return "deaths"
    return None
