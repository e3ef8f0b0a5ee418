"""Places below a state in news text: counties (with their FIPS), CBP sectors and field offices, cities (pure, for
drugstats.extract.frame).

Counties come from NCHS's list (data/places/us-counties.csv, provenance in its metadata.yaml); CBP's regions and
areas are spelled as CBP's seizures file spells them (data/raw/cbp-seizures/; a test holds the two lists equal).
"""

from __future__ import annotations

import calendar
import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from drugstats.extract.geography import STATES

MONTH_NAMES = frozenset(calendar.month_name[1:])

COUNTIES_CSV = Path(__file__).resolve().parents[2] / "data" / "places" / "us-counties.csv"

# CBP's Southwest Border areas and where each sits (a sector's state is where its headquarters is).
CBP_SOUTHWEST = MappingProxyType(
    {
        "BIG BEND SECTOR": "TX", "DEL RIO SECTOR": "TX", "EL CENTRO SECTOR": "CA", "EL PASO FIELD OFFICE": "TX",
        "EL PASO SECTOR": "TX", "LAREDO FIELD OFFICE": "TX", "LAREDO SECTOR": "TX", "RIO GRANDE VALLEY SECTOR": "TX",
        "SAN DIEGO FIELD OFFICE": "CA", "SAN DIEGO SECTOR": "CA", "TUCSON FIELD OFFICE": "AZ", "TUCSON SECTOR": "AZ",
        "YUMA SECTOR": "AZ",
    }
)  # fmt: skip
CBP_OTHER = (
    "ATLANTA FIELD OFFICE", "BALTIMORE FIELD OFFICE", "CHICAGO FIELD OFFICE", "HOUSTON FIELD OFFICE",
    "LOS ANGELES FIELD OFFICE", "MIAMI FIELD OFFICE", "MIAMI SECTOR", "NEW ORLEANS FIELD OFFICE", "NEW ORLEANS SECTOR",
    "NEW YORK FIELD OFFICE", "PRECLEARANCE FIELD OFFICE", "RAMEY SECTOR", "SAN FRANCISCO FIELD OFFICE",
    "SAN JUAN FIELD OFFICE", "TAMPA FIELD OFFICE", "BLAINE SECTOR", "BOSTON FIELD OFFICE", "BUFFALO FIELD OFFICE",
    "BUFFALO SECTOR", "DETROIT FIELD OFFICE", "DETROIT SECTOR", "GRAND FORKS SECTOR", "HAVRE SECTOR", "HOULTON SECTOR",
    "PORTLAND FIELD OFFICE", "SEATTLE FIELD OFFICE", "SPOKANE SECTOR", "SWANTON SECTOR",
)  # fmt: skip
CBP_REGIONS = ("Southwest Border", "Northern Border", "Coastal/Interior")
CBP_AREAS = (*CBP_SOUTHWEST, *CBP_OTHER)
_AREA_NAMES = sorted({re.escape(a.rsplit(" ", 2 if a.endswith("FIELD OFFICE") else 1)[0].title()) for a in CBP_AREAS}, key=len)
# "Tucson Sector", "the San Diego Border Patrol Sector", "Laredo Field Office": CBP's area, as its file names it
_AREA_RE = re.compile(
    r"\b(?P<n>" + "|".join(reversed(_AREA_NAMES)) + r")\s+(?:Border\s+Patrol\s+)?(?P<k>Sector|Field\s+Office)\b", re.I
)
# CBP's region by its names: "the southwest border", "the southern border", "the U.S.-Mexico border" (how every labeller
# of the article corpus read them; a nationwide total said to be the southern border's is then checked against the
# region's, the smaller, never the other way round)
_SOUTHWEST_RE = re.compile(
    r"\b(?:southwest(?:ern)?|southern|U\.\s?S\.?[-–]Mexic(?:o|an)|US[-–]Mexic(?:o|an)|Mexic(?:o|an))\s+border\b", re.I
)

# Cities a dateline names alone (the AP's stand-alone datelines) and the state capitals, with their states; and the
# border cities that name CBP's areas; not those that are also common names or other places (Jackson, Albany,
# Columbia). Names, not figures: a dateline city places a local story.
CITIES = MappingProxyType(
    {
        "Atlanta": "GA", "Baltimore": "MD", "Boston": "MA", "Chicago": "IL", "Cincinnati": "OH", "Cleveland": "OH",
        "Dallas": "TX", "Denver": "CO", "Detroit": "MI", "Honolulu": "HI", "Houston": "TX", "Indianapolis": "IN",
        "Las Vegas": "NV", "Los Angeles": "CA", "Miami": "FL", "Milwaukee": "WI", "Minneapolis": "MN",
        "New Orleans": "LA", "Oklahoma City": "OK", "Philadelphia": "PA", "Phoenix": "AZ", "Pittsburgh": "PA",
        "St. Louis": "MO", "Salt Lake City": "UT", "San Antonio": "TX", "San Diego": "CA", "San Francisco": "CA",
        "Seattle": "WA", "Montgomery": "AL", "Juneau": "AK", "Little Rock": "AR", "Sacramento": "CA", "Hartford": "CT",
        "Tallahassee": "FL", "Boise": "ID", "Des Moines": "IA", "Topeka": "KS",
        "Frankfort": "KY", "Baton Rouge": "LA", "Annapolis": "MD", "Lansing": "MI", "St. Paul": "MN",
        "Jefferson City": "MO", "Carson City": "NV",
        "Trenton": "NJ", "Santa Fe": "NM", "Raleigh": "NC", "Bismarck": "ND",
        "Harrisburg": "PA", "Nashville": "TN",
        "Montpelier": "VT", "Olympia": "WA",
        "Cheyenne": "WY", "El Paso": "TX", "Laredo": "TX", "Tucson": "AZ", "Yuma": "AZ", "Nogales": "AZ",
        "El Centro": "CA", "Albuquerque": "NM", "Louisville": "KY", "Birmingham": "AL",
    }
)  # fmt: skip
_CITY_RE = re.compile(r"(?<![\w.])(?P<c>" + "|".join(sorted(map(re.escape, CITIES), key=len, reverse=True)) + r")(?![\w])")
_COUNTY_RE = re.compile(
    r"(?<![\w.])(?P<n>(?:(?:St\.|Ste\.|[A-Z][a-z]+|[A-Z][a-z]*[A-Z][a-z]+|De|La)[ -]){0,2}?"
    r"(?:[A-Z][a-z]+|[A-Z][a-z]*[A-Z][a-z]+))"
    r"\s+(?P<k>County|Parish|Borough)\b"
)
_COUNTIES_RE = re.compile(
    r"(?<![\w.])(?P<a>[A-Z][a-z]+)\s+(?:and|&)\s+(?P<b>[A-Z][a-z]+)\s+(?:counties|Counties)\b"
)  # "Chelan and Grant counties": two counties, no one place


@dataclass(frozen=True)
class Place:
    """Where a figure is: a state or the US, and below it a county, a CBP area or a city (None: not below)."""

    geography: str | None
    county_fips: str | None = None
    cbp_area: str | None = None
    city: str | None = None

    @property
    def local(self) -> bool:
        return bool(self.county_fips or self.cbp_area or self.city)


@cache
def counties() -> dict[tuple[str, str], str]:
    """(county name lower-cased, USPS state) -> 5-digit FIPS, from data/places/us-counties.csv; empty when absent."""
    if not COUNTIES_CSV.is_file():
        return {}
    with COUNTIES_CSV.open(encoding="utf-8", newline="") as f:
        return {(row["county"].lower(), row["state"]): row["county_fips"] for row in csv.DictReader(f)}


@cache
def _by_name() -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for (name, state), fips in counties().items():
        out.setdefault(name, []).append((state, fips))
    return out


def county(name: str, state: str | None) -> tuple[str, str] | None:
    """(USPS state, FIPS) of "Pima County": in `state` when given, else the only county of that name in the US."""
    found = _by_name().get(name.lower(), [])
    if state:
        found = [f for f in found if f[0] == state] or ([] if len(found) != 1 else found)
    return found[0] if len(found) == 1 else None


def _state_code(geography: str | None) -> str | None:
    return geography[3:] if geography and geography.startswith("US-") else None


def find_place(sentence: str, state: str | None = None) -> Place | None:
    """The place below a state that a sentence names, read with the state the article is about; None when none."""
    m = _AREA_RE.search(sentence)
    if m and f"{m['n']} {m['k']}".upper().replace("  ", " ") in CBP_AREAS:
        area = re.sub(r"\s+", " ", f"{m['n']} {m['k']}").upper()
        where = CBP_SOUTHWEST.get(area)
        return Place(f"US-{where}" if where else None, cbp_area=area)
    if _COUNTIES_RE.search(sentence):
        return None
    for m in _COUNTY_RE.finditer(sentence):
        words = m["n"].split()
        # "The Milwaukee County Medical Examiner": the county's name may begin after a capitalised word before it
        for name in (" ".join(words[i:]) for i in range(len(words))):
            found = county(f"{name} {m['k']}", _state_code(state))
            if found:
                return Place(f"US-{found[0]}", county_fips=found[1])
    if _SOUTHWEST_RE.search(sentence) and re.search(r"\b(?:seiz|CBP|Customs|Border Patrol)", sentence):
        return Place("US", cbp_area="Southwest Border")
    m = _CITY_RE.search(sentence)
    if m and not re.match(r"\s+(?:County|Sector|Field\s+Office)\b", sentence[m.end() :]):
        return Place(f"US-{CITIES[m['c']]}", city=m["c"])
    return None


# A town the lists do not hold, named as a place: "The city of Springfield", "Thirty-three Chicopee residents", "In
# Holyoke, 27 residents": its figure is the town's, not the county's or state's the paragraph was about.
_TOWN = re.compile(
    r"\b[Tt]he\s+(?:city|town|village)\s+of\s+(?P<a>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)"
    r"|(?<![\w.])(?P<b>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+(?:residents|citizens)\b"
    r"|^In\s+(?P<c>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?),"
)
_NOT_A_TOWN = frozenset({"American", "Americans", "The", "County", "State", "Local", "Area", "Many", "Some", "Most", "All"})


def town(sentence: str, state: str | None) -> Place | None:
    """A town named as a place in a sentence, with the state the story is about (None when it names none)."""
    for m in _TOWN.finditer(sentence):
        name = m["a"] or m["b"] or m["c"]
        first = name.split()[0]
        if name in STATES or first in _NOT_A_TOWN or first in MONTH_NAMES or re.search(r"\d", name):
            continue
        return Place(state, city=name)
    return None


def state_of(name: str) -> str | None:
    """USPS code of a state as printed ("Texas", "Ariz."), None when it is not one."""
    return STATES.get(name) or STATES.get(name.strip().title()) or {"Washington": "WA", "New York": "NY"}.get(name.strip())
