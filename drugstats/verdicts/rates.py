"""Death-rate claims: unverifiable against the age-adjusted rates CDC publishes; a crude rate given for context (pure)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from drugstats.official import census, periods
from drugstats.verdicts.record import OfficialRecord, Verdict, deaths_measure, month_span, unverifiable

if TYPE_CHECKING:
    from drugstats.verdicts.tolerance import Tolerances

RATE_NOTE = (
    "CDC and NCHS publish death rates per 100,000 age-adjusted to a standard population (in NCHS data briefs and "
    "WONDER), which drugstats does not hold; a crude rate can differ from the age-adjusted one by several points, so "
    "the claim is not judged against it."
)


def check_rate(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    """A death rate per 100,000: unverifiable, since the rates CDC publishes are age-adjusted; the crude rate drugstats
    can derive (CDC's count over the Census Bureau's July 1 population of the window's year) is given for context."""

    if pd.isna(claim["period_start"]) or month_span(claim["period_start"].date(), claim["period_end"].date()) != 12:
        return unverifiable(claim, RATE_NOTE)
    start, end = claim["period_start"].date(), claim["period_end"].date()
    place = periods.jurisdiction(claim["geography"])
    count = deaths_measure(record, claim["substance"], claim["geography"], start, end)
    people = census.population(record.population, place, end.year) if record.population is not None else None
    if count is None or people is None:
        return unverifiable(claim, RATE_NOTE)
    crude = count.value / people * 100_000
    context = (
        f" For context, a crude rate: {count.label} for {count.window} was {count.value:,.0f} in the release of "
        f"{count.release_name}; over the Census Bureau's estimate of {people:,} residents on July 1, {end.year}, that "
        f"is {crude:.1f} per 100,000."
    )
    return unverifiable(claim, RATE_NOTE + context)
