"""Which drug a text names, and whose deaths a count is (pure, for drugstats.extract.metrics, frame and reader)."""

from __future__ import annotations

import functools
import re

from drugstats.extract.numbers import Number

# Substance words as drugstats ids (vocab.SUBSTANCES), longest phrases first. "pot" is marijuana only as what something
# is "of" ("pounds of pot"), and so is the misspelt "heroine": a melting pot, a pot of money or Pol Pot is none.
# "Weed", "acid", "molly" and "hash" are never read as a drug (too often something else, or not what CBP counts as
# marijuana).
SUBSTANCE_WORDS = (
    ("prescription_opioids", r"prescription (?:opioids?|painkillers?|pain relievers?)"),
    (
        "fentanyl",
        r"synthetic opioids?(?: other than methadone)?|(?:illicit(?:ly manufactured)? )?fentanyl|carfentanil|fentanyl analogu?es",
    ),
    ("heroin", r"heroin|(?<=\bof\s)heroine"),  # "5,400 pounds of heroine": the drug, misspelt; "a heroine" is not
    ("cocaine", r"cocaine|crack"),
    ("methamphetamine", r"(?:crystal )?meth(?:amphetamines?)?|psychostimulants?"),
    ("benzodiazepines", r"benzodiazepines?|benzos|xanax"),
    ("morphine", r"morphine"),
    ("methadone", r"methadone"),
    ("opioids", r"opioids?|opiates?"),
    ("marijuana", r"marijuana|marihuana|cannabis|(?<=\bof\s)pot"),
    ("ecstasy", r"ecstasy|mdma"),
    ("ketamine", r"ketamine"),
    ("khat", r"khat|catha edulis"),
    ("lsd", r"lsd|lysergic acid diethylamide"),
)
SUBSTANCE_RE = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<{k}>{p})" for k, p in SUBSTANCE_WORDS) + r")(?![\w])", re.I)


def substances(text: str) -> list[tuple[int, int, str]]:
    return list(_substances(text))


@functools.lru_cache(maxsize=256)  # asked of the same sentence for each of its figures: read once (issue 24)
def _substances(text: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((m.start(), m.end(), m.lastgroup or "") for m in SUBSTANCE_RE.finditer(text))


@functools.cache
def _death_patterns() -> tuple[str, ...]:
    """The ways a sentence ties a count of deaths to its drug ("fentanyl deaths", "deaths from fentanyl", "Fentanyl killed")."""
    s_alt = "|".join(p for _, p in SUBSTANCE_WORDS)
    return (
        rf"(?P<s>{s_alt})(?:[- ](?:related|involved|linked|laced|induced|caused))?\s+(?:overdose\s+|poisoning\s+)?"
        r"(?:deaths?|overdoses|fatalities|poisonings|mortality)",
        rf"(?:deaths|overdoses|died|fatalities|killed|poisonings)\s+(?:\w+\s+){{0,2}}"
        rf"(?:involving|involved|from|caused\s+by|linked\s+to|tied\s+to|attributed\s+to|related\s+to|due\s+to|of|by|with)"
        rf"\s+(?:\w+\s+){{0,4}}?(?P<s>{s_alt})",
        rf"\bof\s+(?:those|them|these)\s+(?:deaths\s+)?(?:involving|involved|from|caused\s+by|linked\s+to|tied\s+to|due\s+to)"
        rf"\s+(?:\w+\s+){{0,2}}?(?P<s>{s_alt})",
        rf"\blos(?:e|es|ing|t)\s+[\w,.\s]{{1,40}}?\bto\s+(?:\w+\s+){{0,2}}?(?P<s>{s_alt})",
        rf"(?P<s>{s_alt})[\s,]+(?:which\s+)?(?:\w+\s+){{0,3}}?(?:killed|claimed|took|caused|"
        r"(?:was|were|is|are)\s+(?:involved|responsible|blamed|linked|tied)\s+(?:in|for|to))\b(?!\s+(?:\w+\s+)?(?:for|in)\s+the\b)",
        # "239 people have overdosed on fentanyl"
        rf"\boverdos(?:ed|ing)\s+on\s+(?:\w+\s+){{0,2}}?(?P<s>{s_alt})",
        # "Fentanyl, which is sometimes laced into heroin ..., caused 1,390 deaths": the drug, a clause, its verb
        rf"(?P<s>{s_alt}),\s+(?:which|a|an|the)\b[^;]{{0,120}}?,\s+(?:caused|killed|claimed|was\s+blamed\s+for)\b",
        # "cocaine was cited as the cause of 40 deaths"
        rf"(?P<s>{s_alt})\s+(?:was|were)\s+(?:cited|listed|named|found|identified)\s+as\s+(?:the\s+|a\s+)?(?:cause|factor)",
        # "1,100 of those ... found with fentanyl in their systems"; "opioids, which were in 1,400 people's systems"
        rf"(?P<s>{s_alt})\s+in\s+(?:their|his|her|the)\s+systems?\b",
        rf"(?P<s>{s_alt}),?\s+which\s+(?:was|were)\s+(?:found\s+)?in\s+[\d,]+\s+(?:people|deaths|decedents)['’]?s?\s+systems?\b",
    )


def death_drug(text: str) -> str | None:
    """The drug a text names as the one whose deaths it counts, if it ties deaths to one ("fentanyl death nearly
    quadrupled", "deaths from fentanyl"); None when it ties none."""
    found = death_drug_at(text)
    return found[0] if found else None


def death_drug_at(text: str) -> tuple[str, int] | None:
    """death_drug, with where in the text it is said (a count printed before it is not read with it)."""
    for pattern in _death_patterns():
        if pattern.startswith(r"\bof\s+(?:those"):  # "74,702 of those involving fentanyl": a part's drug, not the whole's
            continue
        m = re.search(pattern, text, re.I)
        if m:
            return _substance_id(m.group("s")), m.start()
    return None


# "74,702 of the 107,543", "Over 1,050 of the county’s nearly 1,300": the number after is the whole the part is of
_Q = r"(?:more\s+than|over|nearly|almost|about|around|roughly|approximately|some)"
WHOLE_BEFORE = re.compile(rf"\d[\d,.]*\s+of\s+(?:the\s+|all\s+)?(?:[A-Za-z]+['’]s\s+)?(?:{_Q}\s+)?$", re.I)


@functools.cache
def _listed() -> re.Pattern[str]:
    alternatives = "|".join(p for _, p in SUBSTANCE_WORDS)
    return re.compile(rf"(?<![\w-])(?P<s>{alternatives})\s*[,:–—-]?\s*$", re.I)


def drug_before(sentence: str, start: int) -> str | None:
    """The drug a number is listed under: "included: cocaine, 59; methamphetamine 35 and prescription opioids, 9"."""
    m = _listed().search(sentence[max(0, start - 40) : start])
    return _substance_id(m.group("s")) if m else None


def death_substance(sentence: str, num: Number) -> str:
    """The drug whose deaths are counted: named with the deaths ("fentanyl deaths", "Fentanyl killed"), else all drugs."""
    listed = drug_before(sentence, num.start)
    if listed:
        return listed
    s_alt = "|".join(p for _, p in SUBSTANCE_WORDS)
    direct = _death_patterns()
    # "Thirty-nine of the opiate-related deaths in Hennepin County in 2016 involved fentanyl": the part's own drug
    part = re.match(
        r"\s+of\s+(?:the|all|those|these)\s+[^.;]{0,80}?\b(?:deaths|overdoses|fatalities)\b[^.;]{0,60}?\b"
        rf"(?:involved|(?:were|are|could\s+be|can\s+be|have\s+been)\s+(?:caused\s+by|linked\s+to|tied\s+to|from|due\s+to|"
        rf"attributed\s+to|related\s+to)|(?:showed|had|tested)\s+(?:\w+\s+){{0,2}}?positive\s+(?:results\s+)?for)"
        rf"\s+(?:\w+\s+){{0,3}}?(?P<s>{s_alt})",
        sentence[num.unit_end :],
        re.I,
    )
    if part:
        return _substance_id(part.group("s"))
    if _EVERY_DRUGS_AFTER.match(sentence[num.end :]):
        return "all_drugs"  # "the 70,237 drug deaths", "108,000 people died of drug overdoses": every drug's, said so
    if WHOLE_BEFORE.search(sentence[: num.start]):
        # "74,702 of the 107,543 total drug overdose deaths involved synthetic opioids": the whole, of all drugs
        noun = re.match(r"[^,;]*?\b(?:deaths|overdoses|fatalities)\b", sentence[num.start :], re.I)
        m = re.search(direct[0], noun[0], re.I) if noun else None
        return _substance_id(m.group("s")) if m else "all_drugs"
    if _EVERY_DRUGS_BEFORE.search(sentence[max(0, num.start - 60) : num.start]):
        # "deaths from synthetic opioids helped drive the estimated number of drug overdose deaths nationally to more
        # than 72,000": the count's own noun, just before it, says every drug's; the drug named earlier drove it
        return "all_drugs"
    scope = sentence[max(0, num.start - 120) : min(len(sentence), num.unit_end + 90)]
    scope = re.split(_NEXT_CLAUSE, scope[120 if num.start >= 120 else num.start :], maxsplit=1)[0]
    scope = sentence[max(0, num.start - 120) : num.start] + scope
    for pattern in direct:
        m = re.search(pattern, scope, re.I)
        if m:
            return _substance_id(m.group("s"))
    return "all_drugs"


_EVERY_DRUGS_AFTER = re.compile(
    r"\s+(?:total\s+)?drug(?:\s+overdose)?\s+(?:deaths|fatalities)\b"
    r"|\s+(?:people|Americans|residents)\s+(?:have\s+)?died\s+(?:of|from)\s+(?:a\s+)?drug\s+overdoses?\b",
    re.I,
)
_EVERY_DRUGS_BEFORE = re.compile(
    r"\b(?:number|count|toll|total)\s+of\s+(?:all\s+)?drug(?:\s+overdose)?\s+(?:deaths|fatalities)\b"
    r"(?:\s+(?:nationally|nationwide|in\s+\d{4}|in\s+the\s+(?:U\.S\.|US|country|nation)))?"
    r"\s+(?:to|at|was|were|of|reached|hit|topped)\s+(?:an?\s+)?(?:estimated\s+)?(?:more\s+than|over|nearly|almost|about|some|roughly)?\s*$",
    re.I,
)
# Where a death count's own words end: a clause ("..., while those ...") or another share of it ("and about two-thirds
# of those deaths involved fentanyl")
_NEXT_CLAUSE = re.compile(
    r"[,;—–)]\s*(?:with|while|and|but|a|an)\b"
    r"|\s+and\s+(?=(?:about|nearly|almost|roughly|more\s+than|over)?\s*(?:\d|one|two|three|half|a\s+(?:third|quarter)))",
    re.I,
)


def _substance_id(words: str) -> str:
    m = SUBSTANCE_RE.search(words)
    return (m.lastgroup or "all_drugs") if m else "all_drugs"
