"""Where a sentence says a figure is: the US states by name, AP abbreviation and people, and the nation (pure)."""

from __future__ import annotations

import re
from types import MappingProxyType

STATES = MappingProxyType(
    {
        "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA", "Colorado": "CO",
        "Connecticut": "CT", "Delaware": "DE", "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID",
        "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA",
        "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN",
        "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV",
        "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York State": "NY", "North Carolina": "NC",
        "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA",
        "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX",
        "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington State": "WA", "West Virginia": "WV",
        "Wisconsin": "WI", "Wyoming": "WY", "District of Columbia": "DC",
        # AP abbreviations
        "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO", "Conn.": "CT", "Del.": "DE",
        "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN", "Kan.": "KS", "Ky.": "KY", "La.": "LA", "Md.": "MD",
        "Mass.": "MA", "Mich.": "MI", "Minn.": "MN", "Miss.": "MS", "Mo.": "MO", "Mont.": "MT", "Neb.": "NE",
        "Nev.": "NV", "N.H.": "NH", "N.J.": "NJ", "N.M.": "NM", "N.C.": "NC", "N.D.": "ND", "Okla.": "OK",
        "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC", "S.D.": "SD", "Tenn.": "TN", "Vt.": "VT", "Va.": "VA",
        "Wash.": "WA", "W.Va.": "WV", "Wis.": "WI", "Wyo.": "WY",
    }
)  # fmt: skip
# "more than 7,000 Californians", "almost 1,700 Texans died": a state's people name the state. Only the unambiguous
# ones (not New Yorkers, Washingtonians, Georgians or Virginians, who may be a city's or another country's).
DEMONYMS = MappingProxyType(
    {
        "Alabamians": "AL", "Alaskans": "AK", "Arizonans": "AZ", "Arkansans": "AR", "Californians": "CA",
        "Coloradans": "CO", "Floridians": "FL", "Hawaiians": "HI", "Idahoans": "ID", "Hoosiers": "IN", "Iowans": "IA",
        "Kansans": "KS", "Kentuckians": "KY", "Louisianans": "LA", "Marylanders": "MD", "Michiganders": "MI",
        "Minnesotans": "MN", "Mississippians": "MS", "Missourians": "MO", "Montanans": "MT", "Nebraskans": "NE",
        "Nevadans": "NV", "New Hampshirites": "NH", "New Jerseyans": "NJ", "New Mexicans": "NM",
        "North Carolinians": "NC", "North Dakotans": "ND", "Ohioans": "OH", "Oklahomans": "OK", "Oregonians": "OR",
        "Pennsylvanians": "PA", "Rhode Islanders": "RI", "South Carolinians": "SC", "South Dakotans": "SD",
        "Tennesseans": "TN", "Texans": "TX", "Utahns": "UT", "Vermonters": "VT", "West Virginians": "WV",
        "Wisconsinites": "WI", "Wyomingites": "WY",
    }
)  # fmt: skip
_DEMONYM_RE = re.compile(r"(?<![\w.])(?P<d>" + "|".join(sorted(DEMONYMS, key=len, reverse=True)) + r")(?![\w])")
_AMBIGUOUS_STATES = ("Washington", "New York")  # also a city (and a capital): a state only with "state"
NATIONAL = re.compile(
    r"\b(?:nationwide|nationally|national(?:ly)?|across\s+the\s+(?:country|nation|U\.S\.)|(?:in|across|throughout)\s+America|"
    r"the\s+United\s+States(?!\s+(?:Attorney|Customs|Drug|Department|Border|Coast|Postal|Marshals?|Sentencing|District|Senate|Congress))|"
    r"the\s+U\.\s?S\.(?:$|,|’|'|\s(?!(?:Attorney|Customs|Drug\s+Enforcement|Department|Border|Coast\s+Guard|Postal|"
    r"Marshals?|Centers|Food|Surgeon|Sentencing|District|Senate|House|Supreme|Census|Immigration|Justice|Secretary|Congress|"
    r"Consulate|Embassy|Office|Army|Navy|Air\s+Force|Government)\b))|the\s+US\b|U\.S\.(?=\s+(?:overdose|drug|deaths|history|residents))|Americans?\b|"
    r"the\s+(?:entire\s+|whole\s+)?country|the\s+(?:entire\s+|whole\s+)?nation)",
    re.IGNORECASE,
)
_STATE_RE = re.compile(
    r"(?<![\w.])(?P<s>"
    + "|".join(re.escape(s) for s in sorted(STATES, key=len, reverse=True))
    + r"|New York|Washington)(?P<st>\s+state\b)?(?![\w])"
)


# A state that places a speaker, not the figure: "Missouri Democrat", "R-Texas", "a rally in Charlotte, North Carolina".
SPEAKER_PLACE = re.compile(
    r"\b(?:[A-Z][a-z]+\s+){1,2}(?:Democrat|Republican)\b|\b[RD]-[A-Z][\w.]+"
    r"|\b(?:rally|campaign\s+(?:event|stop)|speech|town\s+hall|fundraiser)\s+in\s+[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?,\s+[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?"
)


_POSTAL_STATE = re.compile(r"\b([A-Z]{2})\s+state(?:['’]s)?\b")
# (not the codes that are also words in capitals: "IN STATE", "OR", "ME", "OK", "HI", "OH")
_POSTAL_CODES = frozenset(STATES.values()) - {"IN", "OR", "ME", "OK", "HI", "OH"}


def find_geography(sentence: str) -> str | None:
    """ISO 3166 code of the place a sentence names: a US state (US-TX), or the US; None when it names none."""
    sentence = SPEAKER_PLACE.sub(" ", sentence)
    for match in _STATE_RE.finditer(sentence):
        name = match["s"]
        if name in _AMBIGUOUS_STATES:
            if match["st"] or re.search(rf"\bstate\s+of\s+{name}\b", sentence):
                return "US-" + ("NY" if name == "New York" else "WA")
            continue
        if name == "Georgia" and re.search(r"\bGeorgia\s+\(country\)|Tbilisi", sentence):
            continue
        return "US-" + STATES[name]
    postal = _POSTAL_STATE.search(sentence)  # "WA state's OD rate": a postal code with "state"
    if postal and postal[1] in _POSTAL_CODES:
        return "US-" + postal[1]
    people = _DEMONYM_RE.search(sentence)
    if people:
        return "US-" + DEMONYMS[people["d"]]
    if NATIONAL.search(sentence):
        return "US"
    return None
