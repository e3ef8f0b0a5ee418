"""A drug figure read from an article: the claim fields it states and what it leaves out (for drugstats.extract)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


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
    direction: str | None = None  # up | down, for a change
    compared_to_start: date | None = None  # a change's earlier period, measured from (drugstats.extract.changes)
    compared_to_end: date | None = None
    county_fips: str | None = None  # a county's figure: its 5-digit FIPS code
    cbp_area: str | None = None  # a CBP region or area as CBP's file names it ("Tucson Sector"); None: nationwide
    city: str | None = None  # a city's figure (El Paso): never checked against its state's
    rate_basis: str | None = None  # age_adjusted | crude, for a death rate
    # Where each filled field came from: stated (its sentence), paragraph, article (the frame) or default.
    field_sources: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.missing
