"""What a number in a sentence is: its metric and substance, read from the words around it (pure, for drugstats.extract.reader).

Each unit has a reader (`READERS`) that takes the sentence, the number and what earlier sentences
said (`Context`) and returns a `Reading`, or None when the number is not a drug figure of that unit
(a count of arrests, a share of something else, lives saved).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

from drugstats.extract.attribution import AGENCY_RE
from drugstats.extract.drugs import (
    SUBSTANCE_RE,
    death_substance,
    substances,
)
from drugstats.extract.numbers import UNIT_WORDS, Number

# Words that decide a figure's metric.
SEIZE = re.compile(
    r"\b(?:seiz\w*|confiscat\w*|intercept\w*|haul|bust|recovered|captured|interdict\w*|took\s+off\s+the\s+streets?|out\s+of\s+circulation|snatched|nabbed|found|discovered|offload\w*|(?:were|was|been)\s+taken)\b",
    re.I,
)
DEATH = re.compile(
    r"\b(?:di(?:e|ed|es)|dying|deaths?|dead|overdos\w*|OD['’]?s|kill\w*|fatal\w*|lives|los(?:e|ing|t)|claimed|death toll|deadl\w*"
    r"|succumbed)\b",
    re.I,
)
ARREST = re.compile(
    r"\b(?:arrest\w*|charged|indicted|convicted|sentenced|detained|apprehen\w*|suspects|defendants|migrants|officers|agents|employees|jobs|students|patients|treatment|inmates|prison\w*|jail\w*)\b",
    re.I,
)
LETHAL = re.compile(r"\b(?:lethal|deadly|fatal|kill|could\s+kill|enough\s+to\s+kill)\b", re.I)
CHANGE = re.compile(
    r"\b(?:increase[sd]?|rise|rose|risen|jump(?:ed)?|surg(?:e|ed)|spike[sd]?|grew|growth|up|climb(?:ed)?|soar(?:ed)?|decline[sd]?|drop(?:ped)?|fell|decrease[sd]?|down"
    r"|reduction|reduced|leap|plunge[sd]?|dip)\b",
    re.I,
)
PILL = re.compile(r"\b(?:pills?|tablets?)\b", re.I)
PER_100K = re.compile(r"^\s*(?:[\w-]+\s+){0,3}?(?:per|for\s+every)\s+100,000", re.I)
SAVED_BEFORE = re.compile(r"\b(?:sav(?:e|ed|es|ing)|prevent(?:ed|s|ing)?|avert(?:ed|s|ing)?)\s+(?:\w+\s+)?$", re.I)
CHANGE_BEFORE = re.compile(
    r"\b(?:rose|rise|risen|increased?|jumped|grew|climbed|soared|spiked|surged|fell|dropped|declined?|decreased?|down|up)"
    r"(?:\s+by)?\s+(?:about\s+|nearly\s+|more\s+than\s+|over\s+|almost\s+|roughly\s+)?$"
    r"|\b(?:an?\s+)?(?:increase|rise|jump|drop|decline|decrease|fall|leap|reduction)\s+of\s+(?:about\s+|nearly\s+|more\s+than\s+)?$",
    re.I,
)
# Not a count of deaths: an age ("ranged in age from 18 to 87", "an average age of 44", "aged 18-44") or an average
# over a day or a week ("three people died every day", "an average of 11 people died each day")
AGE_BEFORE = re.compile(
    r"\b(?:ages?|aged|age\s+of|in\s+age\s+from)\s+(?:from\s+|between\s+|of\s+)?(?:\d{1,3}\s*(?:to|-|–|and)\s*)?$", re.I
)
AGE_AFTER = re.compile(r"^(?:-|\s+)years?(?:-|\s+)old\b", re.I)
EACH_DAY = re.compile(r"^\s*(?:[\w-]+\s+){0,4}?(?:every|each|a|per)\s+(?:day|week|hour)\b", re.I)
DAILY = "an average per day, not a count: no official series counts a day's deaths"
FORECAST = "a forecast, not a count: no official count can say whether it comes true"  # "officials project 100 deaths"
# A figure for one group of people: "the rate for females increased 15% from 17.1 to 19.6", "among people aged 14 to
# 18". drugstats holds deaths of everyone in a place; a group's figure is never judged against everyone's.
GROUP = re.compile(
    r"\b(?:males?|females?|men|women|boys|girls|teens?|teenagers|adolescents|youths?|children|infants|seniors|"
    r"(?:people|adults|those|persons)\s+(?:aged?|ages|between\s+the\s+ages|under|over|older|younger)\b|aged?\s+\d|ages\s+\d|"
    r"(?:non-)?Hispanic|(?:Black|White|Asian|Native)\s+(?:people|Americans|residents|men|women|persons)|"
    r"American\s+Indian|Alaska\s+Native|veterans|inmates|pregnant)\b",
    re.I,
)
GROUP_NOTE = "a figure for one group of people: drugstats holds deaths of everyone in a place, never a group's"
PROJECTED = re.compile(
    r"\b(?:project(?:s|ed)?|forecasts?|expect(?:s|ed)?|anticipates?|could\s+(?:see|reach|top)|may\s+(?:see|reach|top)|"
    r"will\s+(?:log|record|see|reach|top|hit|surpass|exceed|count)|"
    r"on\s+(?:pace|track)\s+(?:for|to))\b[^.;]{0,40}$",
    re.I,
)
HYPOTHETICAL = re.compile(
    r"(?:\b(?:could|would|might|can|may)\s+(?:have\s+)?(?:potentially\s+)?kill(?:ed)?|enough\s+to\s+(?:kill|make)|equivalent\s+of)"
    r"\s+(?:all\s+|the\s+|about\s+|some\s+)?$",
    re.I,
)
MIXED_DRUGS = re.compile(r"\s+of\s+(?:illegal\s+|illicit\s+|assorted\s+|various\s+)?(?:drugs|narcotics)\b", re.I)
_OF_CASES = re.compile(r"\s+of\s+(?:the\s+|all\s+|those\s+)?(?:cases|decedents|victims)\b", re.I)
_POSTMORTEM = re.compile(r"\bpost[- ]?mortem\b|\bautops(?:y|ies)\b|\bbodies\b|\btoxicology\b", re.I)
_CONTAINED_LETHAL = re.compile(r"\s+(?:contain\w*|had|carried|held)\s+(?:\w+\s+){0,2}?(?:lethal|deadly|fatal)", re.I)
PILLS_LETHAL = re.compile(
    r"\s+of\s+(?:\w+\s+){0,2}?(?:pills|tablets)\b[^.;]{0,80}?\b(?:contain\w*|had|carried|held)\s+(?:\w+\s+){0,2}?"
    r"(?:lethal|deadly|fatal)",
    re.I,
)
FALL_AFTER = re.compile(r"\s*(?:\w+\s+)?(?:drop|decline|decrease|fall|reduction|lower|fewer|less)\b", re.I)
FALL_BEFORE = re.compile(
    r"\b(?:fell|dropped|declined|decreased|down|decline\s+of|drop\s+of)(?:\s+by)?\s+(?:about\s+|nearly\s+)?$", re.I
)
SHARE_OF_DEATHS = re.compile(
    r"\s*of\s+(?:all\s+|the\s+|those\s+|these\s+)?(?:[\w’'.,-]+\s+){0,4}?(?:deaths|overdoses|fatalities)"
    r"(?:\s+(?:attributed\s+to|from|caused\s+by|involving|linked\s+to|tied\s+to)\s+(?:[\w-]+\s+){0,2}?[\w-]+)?",
    re.I,
)
MASS_PER = re.compile(
    r"\b(?P<n>one|a|per|each|every|1|a\s+single|just\s+one)\s+(?P<u>kilograms?|kilos?|kg|pounds?|lbs?|grams?|g)\b(?:\s+of\s+[\w\s-]{0,30}?)?",
    re.I,
)


_AFTER_THAN = re.compile(r"\bthan\s+(?:the\s+)?$", re.I)


def _nearest_substance(sentence: str, num: Number, *, after_first: bool = True) -> str | None:
    found = substances(sentence)
    # "fentanyl ... 50 times more potent than heroin and just two milligrams ... is a lethal dose": a drug a figure is
    # compared with is not the figure's drug, while another is named
    own = [s for s in found if not _AFTER_THAN.search(sentence[max(0, s[0] - 12) : s[0]])]
    found = own or found
    if not found:
        return None
    inside = [s for s in found if num.end <= s[0] < num.unit_end]  # "50.6m fentanyl pills ... like prescription painkillers"
    if inside:
        return inside[0][2]
    after = [s for s in found if s[0] >= num.unit_end and s[0] - num.unit_end < 40]
    if after_first and after:
        return after[0][2]
    return min(found, key=lambda s: min(abs(s[0] - num.end), abs(s[1] - num.start)))[2]


@dataclass
class Context:
    """What earlier sentences said that a later one leans on ("seized 11,000 pounds of it")."""

    last_substance: str | None = None
    geography: str | None = None
    last_state: str | None = None  # the state the article named last (US-FL): what "the state" means after it
    told_last: Reading | None = None  # the last figure of the sentence before: what "That was up from 67,114" carries
    last_agency: str | None = None  # the seizing agency the article named last: who "They confiscated" are


@dataclass(frozen=True)
class Reading:
    """What the words around a number say it is; None fields are not stated."""

    metric: str
    unit: str
    substance: str | None = None
    relative_to: str | None = None
    per: str | None = None
    sign: int = 1  # -1 for a fall: "29% less fentanyl" is a change of -29
    note: str | None = None  # why the figure stays unchecked whatever else is stated ("a forecast, not a count")


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
    if num.unit == "mg":  # milligrams are never a seizure's total: "the tested samples ranged ... to a high of 9 milligrams"
        drug = _nearest_substance(sentence, num) or context.last_substance
        if LETHAL.search(around):  # "Just two milligrams of fentanyl is considered a lethal dose, so the one pound ... we seized"
            return Reading("lethal_dose", "mg", drug)
        return Reading("pill_content", "mg", drug) if re.search(r"\b(?:samples?|tested|testing)\b", around, re.I) else None
    if MIXED_DRUGS.match(sentence[num.unit_end :]):
        # "87,652 pounds of narcotics": several drugs lumped together, read as every drug's (and not judged by drug)
        return Reading("drug_seized", num.unit, "all_drugs") if SEIZE.search(sentence) else None
    if _is_per_mass_of_deaths(sentence, num):
        return None
    if SEIZE.search(sentence) or num.unit in ("lb", "kg") and (_seizing_agency(sentence) or _compared_mass(sentence, num)):
        return Reading("drug_seized", num.unit, _seized_substance(sentence, num, context))
    return None


def _seizing_agency(sentence: str) -> bool:
    """ "just 9.5 pounds in fiscal 2020, according to data from U.S. Customs and Border Protection": the agency's count."""
    if LETHAL.search(sentence):  # "One kilogram, just over two pounds, of fentanyl could kill ..., the DEA says"
        return False
    return any(pattern.search(sentence) for name, pattern in AGENCY_RE if name != "federal")


def _compared_mass(sentence: str, num: Number) -> bool:
    """ "Fentanyl also fell from 388 pounds in FY2018 to 210 pounds this year": pounds of a drug counted period by period."""
    rise_or_fall = r"\b(?:fell|rose|dropped|declined|increased|decreased|jumped|climbed|grew|soared|plunged|spiked)\s+(?:\w+\s+)?"
    return bool(
        re.search(rise_or_fall + r"from\s+(?:about\s+|nearly\s+)?$", sentence[: num.start])
        or re.search(rise_or_fall + r"from\s+[\d,.]+\s+(?:pounds|kilograms|kilos)\b[^.;]{0,40}?\bto\s+$", sentence[: num.start])
    )


def _is_per_mass_of_deaths(sentence: str, num: Number) -> bool:
    m, deadly = _per_mass(sentence)
    return bool(m and m[0] <= num.number_start < m[1] and deadly)


@functools.lru_cache(maxsize=256)  # once per sentence, not once per figure in it
def _per_mass(sentence: str) -> tuple[tuple[int, int] | None, bool]:
    m = MASS_PER.search(sentence)
    return (m.span() if m else None), bool(m and re.search(r"\bkill|\blethal|\bdeaths\b", sentence, re.I))


# "more than 14,000 pounds of hard narcotics", "36,067 pounds of all drug types", "drug seizures overall": every drug's
ALL_SEIZED = re.compile(
    r"^\s*(?:(?:pounds?|lbs?\.?|kilograms?|kilos?|kg)\s+)?(?:of\s+)?(?:hard\s+|illegal\s+|illicit\s+|all\s+)?"
    r"(?:narcotics|drugs|drug\s+types|dangerous\s+drugs)\b",
    re.I,
)
ALL_SEIZED_SENTENCE = re.compile(
    r"\bdrug\s+seizures\s+overall\b|\ball\s+drug\s+types\b|\btotal\s+drug\s+seizures\b"
    r"|\btotal\s+(?:weight|amount)\s+of\s+(?:all\s+)?(?:narcotics|drugs)\b",  # "The total weight of narcotics seized was"
    re.I,
)


def every_drug_seized(sentence: str, after: int) -> bool:
    """A seized amount of every drug together: its words (from `after`, the end of its number) or its sentence say so."""
    return bool(ALL_SEIZED.match(sentence[after:]) or ALL_SEIZED_SENTENCE.search(sentence))


def _seized_substance(sentence: str, num: Number, context: Context) -> str | None:
    if every_drug_seized(sentence, num.end):
        return "all_drugs"  # never the story's drug: CBP counts each drug apart, so such a total is not judged
    tail = sentence[num.unit_end : num.unit_end + 30]
    if re.match(r"\s+of\s+(?:it|the\s+drug|the\s+substance|this\s+drug)\b", tail, re.I):
        return context.last_substance
    return _nearest_substance(sentence, num) or context.last_substance


def read_pills(sentence: str, num: Number, context: Context) -> Reading | None:
    if SEIZE.search(sentence) and not HYPOTHETICAL.search(sentence[max(0, num.start - 40) : num.start]):
        return Reading("drug_seized", "pills", _seized_substance(sentence, num, context))
    return None


# A rate's value told as "deaths": "the death rate, which had fallen to six to eight deaths" (no figure in between)
RATE_VALUE = re.compile(
    r"\b(?:death|mortality|overdose)\s+rates?\b[^\d.;]{0,50}?\b(?:fallen|fell|dropped|declined|risen|rose|climbed|"
    r"increased|decreased|jumped|reached|stood|was|is)\s+(?:to\s+|at\s+)?(?:about\s+|nearly\s+|almost\s+)?"
    r"(?:[\w.,]+\s*(?:to|-|–)\s*)?$",  # the second of a range: "six to eight deaths"
    re.I,
)


def read_count(sentence: str, num: Number, context: Context) -> Reading | None:
    around = _clause(sentence, num, 50, 60)
    if PER_100K.match(sentence[num.end : num.end + 60]):
        return Reading("death_rate", "per_100k", death_substance(sentence, num)) if DEATH.search(sentence) else None
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
        or re.search(r"\benough\b[^;]{0,80}?\bto\s+kill\s+(?:all\s+|the\s+|about\s+|some\s+)?$", sentence[: num.start], re.I)
        or SAVED_BEFORE.search(sentence[: num.start])
        or re.match(r"\s*(?:[\w-]+\s+){0,2}?(?:lives\s+)?(?:saved|prevented|averted)\b", right, re.I)
    ):
        return None  # "could have killed 700,000 Americans", "14,000 lives saved": not deaths
    if AGE_BEFORE.search(sentence[: num.number_start]) or AGE_AFTER.match(sentence[num.end :]):
        return None
    # "with a population of just over 55,000 people": residents, not deaths
    if re.search(
        r"\bpopulations?\s+(?:of\s+)?(?:(?:just|about|nearly|more|than|over|under|roughly|some|around|almost)\s+){0,3}$",
        sentence[: num.number_start],
        re.I,
    ):
        return None
    if EACH_DAY.match(right) and DEATH.search(around):
        return Reading("overdose_deaths", num.unit, death_substance(sentence, num), note=DAILY)
    implied = num.unit_end == num.end  # "jumping from 31 in July 2019": the unit came from "deaths" further back
    if DEATH.search(around) or implied and DEATH.search(sentence[max(0, num.start - 120) : num.start]):
        if RATE_VALUE.search(sentence[max(0, num.start - 80) : num.start]):
            # "the death rate, which had fallen to six to eight deaths": the rate's value, not a count
            return Reading("death_rate", "per_100k", death_substance(sentence, num))
        if num.value != int(num.value) and not re.search(r"\bmillion|\bthousand|\bbillion", num.value_text, re.I):
            # "the age-adjusted rate of drug overdose deaths increased from 6.8 in 2001": no count of deaths has a
            # fraction; it is the sentence's rate, or nothing this reader can name
            if re.search(r"\brates?\b", sentence, re.I):
                return Reading("death_rate", "per_100k", death_substance(sentence, num))
            return None
        note = FORECAST if PROJECTED.search(sentence[max(0, num.start - 60) : num.start]) else None
        return Reading("overdose_deaths", num.unit, death_substance(sentence, num), note=note)
    return None


def read_rate(sentence: str, num: Number, context: Context) -> Reading | None:
    if DEATH.search(sentence) or re.search(r"\bdeath\s+rate|\bmortality", sentence, re.I):
        return Reading("death_rate", "per_100k", death_substance(sentence, num))
    return None


def _first_substance(sentence: str) -> str | None:
    found = substances(sentence)
    return found[0][2] if found else None


def read_times(sentence: str, num: Number, context: Context) -> Reading | None:
    right = sentence[num.unit_end : num.unit_end + 80]
    m = re.match(
        r"\s+(?:more\s+|as\s+)?(?:\w+\s+){0,1}?(?:potent|powerful|strong|stronger|deadlier|lethal|deadly|toxic)\w*\s+(?:than|as)\s+(?P<rel>[\w\s-]{1,30})",
        right,
        re.I,
    )
    if not m:
        return _potency_of(sentence, num, right, context) or _potency_after_likeness(sentence, num, right, context)
    relative = SUBSTANCE_RE.search(m.group("rel"))
    compared = {r.lastgroup for r in (SUBSTANCE_RE.search(t) for t in re.findall(r"\bthan\s+([\w\s-]{1,30})", sentence)) if r}
    subject = [s for s in substances(sentence[: num.start]) if s[2] not in compared]
    substance = subject[0][2] if subject else (context.last_substance or None)
    return Reading("potency_ratio", "times", substance, relative_to=relative.lastgroup if relative else None)


_POTENCY_OF = re.compile(
    r"^\s+(?:(?:that|those)\s+of|the\s+(?:potency|strength)\s+of|(?:greater|higher|stronger)\s+than(?:\s+that\s+of)?)"
    r"\s+(?P<rel>[\w-]+)",
    re.I,
)


def _potency_of(sentence: str, num: Number, right: str, context: Context) -> Reading | None:
    """ "a potency 50 times that of heroin and 100 times that of morphine", "50 times the potency of heroin"."""
    m = _POTENCY_OF.match(right)
    if not m or not (
        m[0].lower().find("potency") > 0 or re.search(r"\bpoten", sentence[max(0, num.start - 80) : num.start], re.I)
    ):
        return None
    relative = SUBSTANCE_RE.search(m["rel"])
    if relative is None:
        return None
    compared = {r.lastgroup for r in (SUBSTANCE_RE.search(t) for t in re.findall(r"\bof\s+([\w-]+)", sentence)) if r}
    others = [s[2] for s in substances(sentence) if s[2] not in compared]
    substance = others[0] if others else context.last_substance
    return Reading("potency_ratio", "times", substance, relative_to=relative.lastgroup)


def _potency_after_likeness(sentence: str, num: Number, right: str, context: Context) -> Reading | None:
    """ "similar to morphine but 50 times more potent", "effects similar to morphine but is 100 times stronger": the
    drug compared with is named before, with "similar to" or "like", and no "than" follows."""
    if not re.match(r"\s+(?:more\s+)?(?:potent|powerful|stronger)\b", right, re.I):
        return None
    like = re.search(r"\b(?:similar\s+to|like)\s+(?P<rel>[\w-]+)", sentence[: num.start], re.I)
    relative = SUBSTANCE_RE.search(like["rel"]) if like else None
    if relative is None:
        return None
    others = [s[2] for s in substances(sentence) if s[2] != relative.lastgroup]
    substance = next((s for s in others if s != "opioids"), None) or context.last_substance or (others[0] if others else None)
    return Reading("potency_ratio", "times", substance, relative_to=relative.lastgroup)


_NOT_DRUGS_BEFORE = re.compile(
    r"\b(?:weapons|firearms|guns|currency|cash|ammunition|rounds|arrests|apprehensions|migrants|encounters|inadmissibles|"
    r"vehicles|violators)\b,?\s+(?:(?:up|down|rising|falling)\s+(?:by\s+)?|an?\s+)?$",
    re.I,
)
_AFTER_SEIZED = re.compile(
    r"\b(?:pounds|lbs?\.?|kilograms|kilos)\s+of\s+[\w\s-]{1,30}?,\s*(?:(?:up|down)\s+(?:by\s+)?|(?:which\s+(?:is|was)\s+)?an?\s+)$",
    re.I,
)


def read_percent(sentence: str, num: Number, context: Context) -> Reading | None:
    around = _clause(sentence, num, 80, 80)
    if re.match(
        r"\s+(?:out\s+of|in)\s+(?:every\s+)?\w+\s+(?:\w+\s+){0,3}?(?:pills|tablets)\b",
        sentence[num.number_start :][len(num.value_text.split()[0]) :],
    ) or (re.search(r"\bout\s+of\s+\w+\s+(?:\w+\s+){0,2}?(?:pills|tablets)", sentence[num.start : num.end + 40])):
        return Reading("lethal_pill_share", "percent", _nearest_substance(sentence, num) or "fentanyl")
    # a list's item far from its verb: "they seized ... 588 pounds of fentanyl, up 1,066 percent from FY 2020"
    listed = _AFTER_SEIZED.search(sentence[: num.number_start]) and re.search(r"seiz|interdict", sentence, re.I)
    # "DEA seized 1.9 million pills and 1,958 pounds of fentanyl across the state last year, marking a 152% increase":
    # a change in a sentence of seizures and nothing else
    listed = listed or re.search(r"\bseiz", sentence[: num.start], re.I) and not DEATH.search(sentence)
    if _NOT_DRUGS_BEFORE.search(sentence[: num.start]):  # "463 weapons, up 21% from FY 2020": not a drug's change
        return None
    if re.match(
        r"\s*(?:\w+\s+)?(?:increase|rise|jump|leap|hike|spike|surge|drop|decline|decrease|fall|plunge|dip|gain|reduction|"
        r"higher|lower|more|fewer|less)\b",
        sentence[num.unit_end : num.unit_end + 30],
        re.I,
    ) and not (re.search(r"seiz|interdict|\bbusts\b", around, re.I) or listed):
        return None
    if (
        PILL.search(around)
        and re.search(r"lethal|deadly|fatal|enough\s+to\s+kill", around, re.I)
        or PILLS_LETHAL.match(sentence[num.unit_end :])
        # "a sampling of tablets seized ... found that 27 percent contained potentially lethal doses": the pills named
        # earlier in the sentence
        or PILL.search(sentence[: num.start])
        and _CONTAINED_LETHAL.match(sentence[num.unit_end :])
    ):
        return Reading("lethal_pill_share", "percent", _nearest_substance(sentence, num) or "fentanyl")
    if CHANGE_BEFORE.search(sentence[: num.number_start]) and not re.search(r"seiz|interdict", around, re.I) and not listed:
        return None
    after = sentence[num.unit_end : num.unit_end + 30]
    seizures = re.search(r"seiz|interdict|\bbusts\b", around, re.I) or listed
    if seizures and (CHANGE.search(around) or re.match(r"\s*(?:less|fewer|more)\b", after)):
        fall = FALL_AFTER.match(after) or FALL_BEFORE.search(sentence[: num.number_start])
        substance = _subject_of_change(sentence, num) or _seized_substance(sentence, num, context)
        return Reading("seizure_change", "percent", substance, sign=-1 if fall else 1)
    right = sentence[num.unit_end : num.unit_end + 80]
    if re.search(r"\b(?:deaths|overdoses|died|fatalities|poisonings|overdose\s+victims|decedents)\b", around, re.I) and re.match(
        r"\s*(?:of\s+(?:all\s+|the\s+|those\s+|these\s+)?(?:[\w’'.,-]+\s+){0,4}?(?:deaths|overdoses|fatalities|poisonings|"
        r"people\s+who\s+died|(?:overdose\s+)?(?:victims|decedents))"
        r"|of\s+them)",
        right,
        re.I,
    ):
        return (
            None
            if _share_of_a_drug_s_deaths(sentence, num)
            else Reading("death_share", "percent", _death_substance_share(sentence, num))
        )
    if _OF_CASES.match(right) and _POSTMORTEM.search(sentence) and substances(right):
        return Reading(
            "death_share", "percent", _death_substance_share(sentence, num)
        )  # "In more than 90% of cases, opioids were detected in bodies postmortem"
    if re.search(r"\b(?:involved|involving|linked\s+to|attributed\s+to|caused\s+by|from)\b", right[:40], re.I) and re.search(
        r"\bdeaths|overdoses\b", sentence, re.I
    ):
        return Reading("death_share", "percent", _death_substance_share(sentence, num))
    return None


def _share_of_a_drug_s_deaths(sentence: str, num: Number) -> bool:
    """ "70 percent of cocaine overdose deaths involved fentanyl", "fentanyl caused half of the deaths attributed to
    opioids": a share of one drug's deaths, which death_share (a share of all overdose deaths) cannot say."""
    of = SHARE_OF_DEATHS.match(sentence[num.unit_end :])
    if not of:
        return False
    within = {s[2] for s in substances(of[0])}
    outside = {s[2] for s in substances(sentence[: num.start] + " " + sentence[num.unit_end + of.end() :])}
    return bool(within) and bool(outside - within)


_CHANGE_IN_ALL = re.compile(
    r"^\s*(?:\w+\s+)?(?:increase|rise|jump|drop|decline|decrease|reduction|fall)\s+in\s+(?:the\s+)?(?:overall|total|all)\s+"
    r"(?:drugs?|narcotics|drug\s+seizures|seizures)\b",
    re.I,
)


def _subject_of_change(sentence: str, num: Number) -> str | None:
    """ "fentanyl up 24%, cocaine up 32%": the drug just before the change; "a 38% reduction in overall drugs seized":
    every drug's."""
    if _CHANGE_IN_ALL.match(sentence[num.unit_end :]):
        return "all_drugs"
    m = re.search(r"(?P<s>\S+(?:\s+\S+)?)\s+(?:(?:is|was|were|are)\s+)?(?:up|down)\s+(?:by\s+)?$", sentence[: num.number_start])
    if not m:
        return None
    found = substances(m["s"])
    return found[-1][2] if found else None


def _death_substance_share(sentence: str, num: Number) -> str | None:
    found = [s for s in substances(sentence) if s[2] not in ("marijuana",)]
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
