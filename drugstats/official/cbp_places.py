"""Where CBP counts seizures: a claim's place (the nation, a CBP region, a field office or sector, a state) as rows of
CBP's file, and which states those rows can answer for (data/cbp_places.yaml).

CBP's file counts by Region (Southwest Border, Northern Border, Coastal/Interior) and by Area of Responsibility (an
Office of Field Operations field office at the ports of entry, a Border Patrol sector between them), never by state. A
state's figure can only be read from it where every area with ground in the state lies wholly inside it and the list of
those areas is known to be complete; cbp_places.yaml says, for each state it knows, whether that holds and how it is
known. Anywhere else the answer is no figure, never the nation's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import pandas as pd
from pydantic import BeforeValidator

from drugstats import display
from drugstats.claims import load, models
from drugstats.errors import Problem
from drugstats.official import cbp, queries

PLACES_FILE = "cbp_places.yaml"


class StateAreas(models.Record):
    """What CBP's areas say of one state: the areas known to have ground in it, and whether they add up to it exactly."""

    id: models.Slug
    geography: models.Geography
    areas: Annotated[list[str], BeforeValidator(lambda v: models._list_of(models._text)(v))]
    exact: models.Flag  # true only where each area lies wholly in the state and no other area reaches into it
    why: models.Text  # in words, for the verdict: why the areas do (not) add up to the state
    known_from: models.Text  # the sentences read, quoted, that say where each area lies
    urls: Annotated[list[str], BeforeValidator(lambda v: models._list_of(models.check_url)(v))]
    read_on: models.IsoDate


@dataclass(frozen=True)
class Place:
    """A place of CBP's file: the rows a claim about it is checked against."""

    kind: str  # nation | region | area | state
    label: str  # in words, for a verdict: "the Tucson Field Office area (Office of Field Operations)"
    region: str | None = None  # CBP's Region, as its file spells it
    areas: tuple[str, ...] = ()  # CBP's Areas of Responsibility, as its file spells them


NATION = Place("nation", "nationwide")


def parse_state_areas(path: Path, display_path: str) -> tuple[dict[str, StateAreas], list[Problem]]:
    """data/cbp_places.yaml, validated, by geography; none when the file is absent (every state is then refused)."""
    if not path.exists():
        return {}, []
    problems: list[Problem] = []
    out: dict[str, StateAreas] = {}
    for located in load.read_records(path, display_path, problems):
        entry = load.validate_record(StateAreas, located, problems)
        if entry is None:
            continue
        if entry.geography in out:
            problems.append(Problem(display_path, located.line, entry.id, "geography", f"{entry.geography} is given twice"))
            continue
        if not entry.geography.startswith("US-"):
            problems.append(Problem(display_path, located.line, entry.id, "geography", "must be a state, such as US-AZ"))
            continue
        out[entry.geography] = entry
    return out, problems


def check_areas(states: Mapping[str, StateAreas], seizures: pd.DataFrame, display_path: str) -> list[Problem]:
    """Every area cbp_places.yaml names must be one of CBP's file: a misspelt area would silently add nothing."""
    known = set(seizures["area"].unique())
    return [
        Problem(display_path, None, entry.id, "areas", f"{area!r} is not an Area of Responsibility in CBP's file")
        for entry in states.values()
        for area in entry.areas
        if area not in known
    ]


def area_label(area: str) -> str:
    """CBP's upper-case area as people write it: "TUCSON FIELD OFFICE" -> "Tucson Field Office"."""
    return " ".join(w.capitalize() for w in area.split(" "))


def file_names(seizures: pd.DataFrame) -> list[str]:
    """Every region and area as CBP's file spells them ("Southwest Border", "TUCSON FIELD OFFICE"): what extraction
    writes in a candidate's cbp_area."""
    return list(cbp.CBP_REGIONS) + (sorted(seizures["area"].unique()) if len(seizures) else [])


def names(seizures: pd.DataFrame) -> list[str]:
    """Every region and area of CBP's file, as people write them: what a claim's cbp_area may name."""
    areas = sorted(seizures["area"].unique()) if len(seizures) else []
    return list(cbp.CBP_REGIONS) + [area_label(a) for a in areas]


def find(seizures: pd.DataFrame, name: str) -> Place | None:
    """The region or area a claim names (any case, spacing or punctuation: "Tucson Field Office", "tucson-field-office"),
    or None when CBP's file has no such name."""
    key = slug(name)
    for region in cbp.CBP_REGIONS:
        if slug(region) == key:
            return Place("region", f"CBP's {region} region", region=region)
    rows = seizures.drop_duplicates("area")
    for area, component, region in zip(rows["area"], rows["component"], rows["region"], strict=True):
        if slug(area) == key:
            who = "Border Patrol" if component == "USBP" else "Office of Field Operations, ports of entry"
            return Place("area", f"CBP's {area_label(area)} ({who})", region=region, areas=(area,))
    return None


def resolve(seizures: pd.DataFrame, cbp_area: str | None, geography: str | None, states: Mapping[str, StateAreas]) -> Place | str:
    """The place of CBP's file a seizure claim speaks of, or why the file cannot answer for it (a sentence)."""
    if cbp_area:
        place = find(seizures, cbp_area)
        if place is None:
            return (
                f"CBP's seizure file has no region or Area of Responsibility named {cbp_area!r}, so it holds no figure "
                "for that place (the nation's total is never used in its stead)."
            )
        return place
    if geography in (None, "US"):
        return NATION
    if not re.fullmatch(r"US-[A-Z]{2}", geography or ""):
        return f"CBP's seizure file counts seizures by U.S. CBP only; it holds no figure for {geography}."
    name = display.place_name(geography.removeprefix("US-"))
    entry = states.get(geography)
    if entry is None:
        return (
            f"CBP's seizure file counts by region, field office and Border Patrol sector, not by state, and drugstats "
            f"knows no exact set of CBP areas that make up {name}; the nation's total is never used for a state."
        )
    if not entry.exact:
        return f"CBP's seizure file counts by field office and Border Patrol sector, not by state: {entry.why}"
    return Place("state", f"CBP's areas within {name} ({', '.join(map(area_label, entry.areas))})", areas=tuple(entry.areas))


def filters(place: Place) -> dict[str, Sequence[str] | str]:
    """The filters of drugstats.official.queries.seizures_in_months that select the place's rows."""
    if place.kind == "region":
        return {"region": place.region or ""}
    if place.areas:
        return {"area": list(place.areas)}
    return {}


def slug(name: str) -> str:
    """A region or area as a URL names it: "TUCSON FIELD OFFICE" -> "tucson-field-office", "Coastal/Interior" ->
    "coastal-interior"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def choices(seizures: pd.DataFrame) -> dict[str, str]:
    """Every region and area of CBP's file by its URL slug, each as people write it (what a claim's cbp_area may say);
    computed once per frame."""
    return queries.per_frame(seizures, "cbp_area_choices", lambda frame: {slug(n): n for n in names(frame)})


def claim_problems(
    claims: Sequence[models.Claim], seizures: pd.DataFrame, where: Mapping[tuple[str, str], tuple[str, int]]
) -> list[Problem]:
    """A claim's cbp_area that CBP's file does not name, located by file and line (`where`: load.Dataset.where)."""
    known = choices(seizures)
    examples = ", ".join(n for n in ("Southwest Border", "Tucson Field Office", "Tucson Sector") if slug(n) in known)
    out = []
    for claim in claims:
        if claim.cbp_area and slug(claim.cbp_area) not in known:
            path, line = where.get(("claim", claim.id), ("claims", None))
            message = f"{claim.cbp_area!r} is not a region, field office or Border Patrol sector in CBP's seizure file"
            out.append(Problem(path, line, claim.id, "cbp_area", message + (f" (it names e.g. {examples})" if examples else "")))
    return out
