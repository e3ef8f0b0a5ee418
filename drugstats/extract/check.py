"""Candidates from drugstats.extract.reader made into claims and checked like any claim, against one loaded build (pure)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from pydantic import ValidationError

from drugstats import vocab
from drugstats.claims.models import Claim
from drugstats.extract.candidate import Candidate
from drugstats.extract.frame import ARTICLE, DEFAULT, PARAGRAPH, STATED
from drugstats.extract.metrics import DAILY, FORECAST, GROUP_NOTE
from drugstats.extract.pairs import ONE_SEIZURE_NOTE
from drugstats.extract.reader import LOCAL_FIGURE
from drugstats.verdicts import checks, transform

_OPTIONAL = ("county_fips", "cbp_area", "direction", "rate_basis", "compared_to_start", "compared_to_end")
PLACEHOLDER_HOST = "source.invalid"  # a reserved name (RFC 2606): plainly not the article's address


@dataclass(frozen=True)
class Checked:
    """A candidate, the claim it makes (None while incomplete) and that claim's verdict."""

    candidate: Candidate
    claim: Claim | None
    verdict: checks.Verdict | None

    @property
    def missing(self) -> list[str]:
        return self.candidate.missing


def placeholder_source(name: str) -> str:
    """A URL the validator accepts for an article known only by a file name, to be replaced by its real address."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "stdin"
    return f"https://{PLACEHOLDER_HOST}/{slug}"


def claim_id(candidate: Candidate, source: str) -> str:
    """A stable id: the same figure in the same sentence of the same source always gets the same one."""
    digest = hashlib.sha1(f"{source}\n{candidate.quote}\n{candidate.value_text}\n{candidate.metric}".encode()).hexdigest()[:8]
    host = urlsplit(source).netloc.removeprefix("www.").split(".")[0] if PLACEHOLDER_HOST not in source else "article"
    host = re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-") or "article"
    substance = (candidate.substance or "drug").replace("_", "-")
    return f"{host}-{candidate.metric.replace('_', '-')}-{substance}-{digest}"


CHANGE_METRICS = vocab.CHANGE_METRICS


def to_claim(candidate: Candidate, source: str, claimant: str | None = None) -> Claim:
    """The claim a complete candidate makes. Raises ValueError naming the field when it is not a valid claim."""
    who = candidate.claimant or claimant or "unknown outlet"
    fields = dict(
        id=claim_id(candidate, source),
        quote=candidate.quote,
        metric=candidate.metric,
        substance=candidate.substance,
        value=abs(candidate.value) if candidate.metric in CHANGE_METRICS else candidate.value,
        unit=candidate.unit,
        qualifier=candidate.qualifier,
        period_start=candidate.period_start,
        period_end=candidate.period_end,
        geography=candidate.geography,
        claimant=who,
        attributed_to=candidate.attributed_to or who,
        source=source,
        claimed_on=candidate.published,
        seized_by=candidate.seized_by,
        relative_to=candidate.relative_to,
        per=candidate.per,
        # the place below a state, a change's direction, a rate's basis: passed on once claims can carry them
        **{name: getattr(candidate, name) for name in _OPTIONAL if name in Claim.model_fields},
    )
    if candidate.seized_by != "CBP":  # a CBP area places only CBP's seizures (models.claim_rules)
        fields.pop("cbp_area", None)
    try:
        return Claim(**{k: v for k, v in fields.items() if v is not None})
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{where}: {first['msg']}") from None


def _record(build_or_record: object) -> checks.OfficialRecord:
    return build_or_record if isinstance(build_or_record, checks.OfficialRecord) else build_or_record.record  # type: ignore[attr-defined]


def check_candidates(
    candidates: Sequence[Candidate], build_or_record: object, *, source: str, claimant: str | None = None
) -> list[Checked]:
    """Each complete candidate as a claim with its verdict, through the same checks as the curated claims.

    `build_or_record` is a `pipeline.Build` (or its `OfficialRecord`): load it once and pass it for every
    article of a batch.
    """
    record = _record(build_or_record)
    claims: list[Claim | None] = []
    for candidate in candidates:
        claim = None
        if candidate.complete:
            try:
                claim = to_claim(candidate, source, claimant)
            except ValueError as err:
                candidate.missing.append(f"not a valid claim ({err})")
        claims.append(claim)
    verdicts = _verdicts([c for c in claims if c is not None], record)
    out = [
        Checked(cand, claim, verdicts.get(claim.id) if claim else _beyond_the_record(cand, source))
        for cand, claim in zip(candidates, claims, strict=True)
    ]
    return _far_off_by_context(_larger_than_a_state(out, record, source, claimant))


# What no official series measures, whatever a reader fills in: a figure read as one of these is `unverifiable`, with why,
# and not left waiting for a field (a reader who corrects the row has it checked as the claim it then makes)
BEYOND_THE_RECORD = (DAILY, FORECAST, GROUP_NOTE, ONE_SEIZURE_NOTE)
CITY_FIGURE = "a city's deaths: no official series counts a city's deaths (CDC counts states and counties)"
_DEATHS = ("overdose_deaths", "death_rate", "death_share")  # a city in a seizure's sentence is often a CBP area's name
_STATE_NAMES = frozenset({"New York", "Washington"})  # a city named as its state is: which one, a reader says


def _beyond_the_record(candidate: Candidate, source: str) -> checks.Verdict | None:
    """`unverifiable` for a figure no official series measures, as its own sentence says; None for any other."""
    why = next((note for note in candidate.missing if note in BEYOND_THE_RECORD), None)
    own_city = candidate.city and not (candidate.county_fips or candidate.cbp_area) and candidate.metric in _DEATHS
    own_city = own_city and candidate.city not in _STATE_NAMES  # "In New York, ... 4,965 deaths": the state, maybe
    if why is None and own_city and LOCAL_FIGURE in candidate.missing and candidate.field_sources.get("geography") == STATED:
        why = CITY_FIGURE  # "1,200 people died of overdoses in Chicago": the sentence names the city
    if why is None:
        return None
    return checks.Verdict(claim_id(candidate, source), "unverifiable", f"{why[0].upper()}{why[1:]}.")


def _verdicts(claims: Sequence[Claim], record: checks.OfficialRecord) -> dict[str, checks.Verdict]:
    if not claims:
        return {}
    return {v.claim_id: v for v in checks.check_all(transform.claims_frame(list(claims), {}), record)}


NATIONAL_BY_SIZE = "national (half the nation's count or more: no state's, county's or DEA division's)"
# No state has had half the nation's overdose deaths in any 12 months CDC counts (California, the largest, about a
# tenth: tests/test_reading_rules.py holds the shipped data to it)
STATE_SHARE_BOUND = 0.5


def _larger_than_a_state(items: list[Checked], record: checks.OfficialRecord, source: str, claimant: str | None) -> list[Checked]:
    """A death count placed in a state only by the paragraph or the article before it ("An estimated 80,000 people died
    from overdoses last year" after a list of two states' counts), or a DEA seizure placed so, that is half the nation's
    count for its period or more is not the state's: a reader takes it as the nation's, and so does this."""
    suspects = {
        i: replace(
            item.candidate,
            geography="US",
            county_fips=None,
            city=None,
            field_sources=item.candidate.field_sources | {"geography": NATIONAL_BY_SIZE},
        )
        for i, item in enumerate(items)
        if item.claim is not None
        and item.candidate.geography not in (None, "US")
        and item.candidate.field_sources.get("geography") in (PARAGRAPH, ARTICLE)
        and (
            item.candidate.metric == "overdose_deaths"
            and not (item.candidate.county_fips or item.candidate.city)
            # "In 2023, over 77 million fentanyl pills were seized" under an El Paso dateline and a DEA division's
            # count: the DEA's national total. The place came from the story, and a count of half the nation's or
            # more is read as the nation's (drugstats holds no DEA division's figures to test that bound against)
            or item.candidate.metric == "drug_seized"
            and item.candidate.seized_by == "DEA"
        )
    }
    if not suspects:
        return items
    national = {i: to_claim(c, source, claimant) for i, c in suspects.items()}
    verdicts = _verdicts(list(national.values()), record)
    out = list(items)
    for i, claim in national.items():
        v = verdicts.get(claim.id)
        if v is not None and v.measure is not None and items[i].candidate.value >= STATE_SHARE_BOUND * v.measure.value:
            out[i] = Checked(suspects[i], claim, v)
    return out


# A figure read with a field from the story around it (its period, place or drug not in its sentence) that is this
# many times the official figure, or this fraction of it, is more likely read with the wrong context than printed
# wrong: "Last fiscal year, they seized over 21,000 pounds" (the nation's total) in a Yuma Sector story is 45 times the
# sector's count. Judged as read, it would be a confident wrong verdict; it waits for a reader to set the field.
FAR_OFF = 5.0
_CONTEXT_FIELDS = ("period", "geography", "cbp_area", "substance")


_FIELD_WORDS = {"period": "period", "geography": "place", "cbp_area": "place", "substance": "drug"}


def far_off_note(filled: Sequence[str], ratio: float) -> str:
    """ "its place came from the story around it, and it is 45 times the official figure there: ..." """
    words = list(dict.fromkeys(_FIELD_WORDS[f] for f in filled))
    named = " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)
    times = f"{ratio:,.0f} times" if ratio >= 1 else f"1/{1 / ratio:,.0f} of"
    them = "them" if len(words) > 1 else "it"
    return (
        f"its {named} came from the story around it, and it is {times} the official figure for {them}: "
        f"the story may mean another {named.replace(' and ', ' or ')} (correct the row to check it)"
    )


def _far_off_by_context(items: list[Checked]) -> list[Checked]:
    out = list(items)
    for i, item in enumerate(items):
        v, cand = item.verdict, item.candidate
        if v is None or v.verdict not in ("overstated", "understated") or not v.ratio or v.ratio <= 0:
            continue
        filled = [f for f in _CONTEXT_FIELDS if cand.field_sources.get(f) in (PARAGRAPH, ARTICLE, DEFAULT)]
        if filled and (v.ratio >= FAR_OFF or v.ratio <= 1 / FAR_OFF):
            out[i] = Checked(replace(cand, missing=[*cand.missing, far_off_note(filled, v.ratio)]), None, None)
    return out
