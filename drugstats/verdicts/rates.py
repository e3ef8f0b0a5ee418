"""Death-rate claims: judged against NCHS's final rate of the claim's own basis where held (its tables, or an age-adjusted
rate it published in text); elsewhere unverifiable, with a crude rate for context (pure)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from drugstats.official import census, periods
from drugstats.verdicts import final
from drugstats.verdicts.record import Measure, OfficialRecord, Verdict, deaths_measure, fmt, judge, month_span, unverifiable

if TYPE_CHECKING:
    from drugstats.verdicts.tolerance import Tolerances

HELD = (
    "drugstats holds NCHS's final age-adjusted rates by state and year (1999-2016, and 1999, 2005 and 2014-2021 from "
    "CDC's state map) and for the US by drug type (1999-2018), the US age-adjusted rates NCHS published in its data "
    "briefs, and crude rates for the US by drug type and by state (1999-2016)"
)
RATE_NOTE = (
    "CDC and NCHS publish death rates per 100,000 age-adjusted to a standard population. " + HELD + ", but none for "
    "this claim's place, period and drug; a crude rate can differ from the age-adjusted one by several points, so the "
    "claim is not judged against it."
)
CRUDE_NOTE = (
    "The claim gives a crude rate, which is never judged against an age-adjusted one. " + HELD + ", but no crude rate "
    "for this claim's place, period and drug."
)
BASIS_READ = " The claim does not say how its rate is computed; it is read as age-adjusted, the rate CDC and NCHS publish."


def basis(claim: pd.Series) -> str:
    """The claim's rate basis: crude where it says so, else age-adjusted (what CDC and NCHS publish)."""
    stated = claim.get("rate_basis")
    return stated if isinstance(stated, str) else "age_adjusted"


def check_rate(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    """A death rate per 100,000 against NCHS's final rate of the same basis, drug, place and calendar year; where none is
    held, unverifiable, with the crude rate drugstats can derive (CDC's count over the Census Bureau's July 1
    population of the window's year) for context."""
    kind = basis(claim)
    note = CRUDE_NOTE if kind == "crude" else RATE_NOTE
    if pd.isna(claim["period_start"]) or month_span(claim["period_start"].date(), claim["period_end"].date()) != 12:
        return unverifiable(claim, note)
    start, end = claim["period_start"].date(), claim["period_end"].date()
    year = final.calendar_year(start, end)
    measure = final.final_rate(record, claim["substance"], claim["geography"], year, kind) if year is not None else None
    if measure is not None:
        verdict = judge(claim, measure, tol)
        if isinstance(claim.get("rate_basis"), str):
            return verdict
        if verdict.verdict == "consistent":
            return replace(verdict, explanation=verdict.explanation + BASIS_READ)
        return _unstated_basis(claim, record, tol, measure, year)
    place = periods.jurisdiction(claim["geography"])
    count = deaths_measure(record, claim["substance"], claim["geography"], start, end)
    people = census.population(record.population, place, end.year) if record.population is not None else None
    if count is None or people is None:
        return unverifiable(claim, note)
    crude = count.value / people * 100_000
    context = (
        f" For context, a crude rate: {count.label} for {count.window} was {count.value:,.0f} in the release of "
        f"{count.release_name}; over the Census Bureau's estimate of {people:,} residents on July 1, {end.year}, that "
        f"is {crude:.1f} per 100,000."
    )
    return unverifiable(claim, note + context)


def _unstated_basis(claim: pd.Series, record: OfficialRecord, tol: Tolerances, adjusted: Measure, year: int) -> Verdict:
    """A rate that says neither age-adjusted nor crude and misses the age-adjusted one: judged against NCHS's crude rate
    where it fits it, else not judged (it may be a crude rate drugstats does not hold, or one of provisional data)."""
    crude = final.final_rate(record, claim["substance"], claim["geography"], year, "crude")
    if crude is not None and judge(claim, crude, tol).verdict == "consistent":
        verdict = judge(claim, crude, tol)
        text = (
            f" The claim does not say how its rate is computed; it fits the crude rate, not {adjusted.label} "
            f"({fmt(adjusted.value, 'per_100k')})."
        )
        return replace(verdict, explanation=verdict.explanation + text)
    held = f"; the crude rate was {fmt(crude.value, 'per_100k')}" if crude is not None else ""
    return Verdict(
        claim["id"],
        "unverifiable",
        "The claim does not say whether its rate is age-adjusted or crude, and it does not fit "
        f"{adjusted.label} for {adjusted.window} ({fmt(adjusted.value, 'per_100k')}){held}: it may be a rate of "
        "another basis or of provisional data, so it is not judged.",
    )
