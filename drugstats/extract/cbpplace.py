"""The CBP place a seizure sentence names: a field office, a Border Patrol sector or a CBP region (pure).

The name is returned as written; the check finds it in CBP's file (drugstats.official.cbp_places) or refuses the
figure, and never reads it as the nation's.
"""

from __future__ import annotations

import re

# "the Tucson Field Office", "Tucson sector", "Rio Grande Valley Sector": up to three capitalised words before it.
AREA = re.compile(r"\b((?:[A-Z][a-z]+\s+){1,3})(Field\s+Office|[Ss]ector)\b")
# CBP's regions as its file names them, and as people write them.
REGION = re.compile(r"\b(?:(southwest(?:ern)?|northern)\s+(?:land\s+)?border|coastal/interior)\b", re.I)
_NOT_A_NAME = {"The", "In", "At", "By", "For", "From", "Of", "And", "Its", "Their", "Agents", "Officers", "CBP"}


# "the Tucson and Yuma sectors", "field offices in Texas": a figure of several areas, which no one area's rows hold.
SEVERAL = re.compile(r"\b(?:sectors|field\s+offices)\b", re.I)


def several_areas(sentence: str) -> bool:
    """Whether the sentence speaks of several CBP areas at once (its figure is none of theirs alone, nor the nation's)."""
    return bool(SEVERAL.search(sentence)) or len({m.group(0) for m in AREA.finditer(sentence)}) > 1


def find_cbp_area(sentence: str) -> str | None:
    """The CBP field office, sector or region the sentence names, written as CBP's file writes it ("Tucson Field
    Office", "Southwest Border"); None when it names none, or several (several_areas)."""
    if several_areas(sentence):
        return None
    for m in AREA.finditer(sentence):
        words = m.group(1).split()
        while words and words[0] in _NOT_A_NAME:
            words.pop(0)
        if words:
            kind = "Field Office" if m.group(2).lower().startswith("field") else "Sector"
            return " ".join(words + [kind])
    region = REGION.search(sentence)
    if region:
        if region.group(1) is None:
            return "Coastal/Interior"
        return "Southwest Border" if region.group(1).lower().startswith("southwest") else "Northern Border"
    return None
