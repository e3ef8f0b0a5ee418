"""Whether a death verdict may stand: a count quoted from a state or local agency, or one about New York State (pure).

A checker finds CDC's measure for the claim's drug, place and period. Two kinds of claim still cannot be judged against
it, because the measure counts something else:
- A figure the claim attributes to a state or local health agency, coroner or medical examiner. Such offices count by
  their own definitions (residents rather than deaths in the state, unintentional deaths only, their own closing dates),
  so a difference from CDC's count is not an error in the claim. Where CDC's count agrees, the verdict stands: the
  official record confirms the figure. Where it does not, the claim is `unverifiable` and CDC's count is given for context.
- A figure the claim's own words call unintentional (or accidental) deaths: CDC's counts hold deaths of every intent,
  so the same rule holds (a verdict where CDC's count agrees, else `unverifiable` with CDC's count for context).
- A figure about New York State held against CDC's provisional "NY", which leaves out New York City (CDC counts the city
  apart as "YC"). That is another place, so never a verdict.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from drugstats.official import periods, series
from drugstats.verdicts.record import Measure, Verdict, fmt

DEATH_METRICS = ("overdose_deaths", "death_share", "death_rate")

# A state or local office that counts deaths itself: "Ohio Department of Health", "Oregon Health Authority",
# "Texas Department of State Health Services", "Ohio county coroners", "the medical examiner's office".
LOCAL_COUNTER = re.compile(
    r"\b(department of (state )?health|health (authority|department|services)|public health|coroners?|medical examiners?"
    r"|vital (statistics|records)|county|city of)\b",
    re.IGNORECASE,
)
# National bodies whose counts are CDC's own: a claim citing them is held to CDC's count as usual.
# The National Vital Statistics System is NCHS's own collection of death records: not a state's vital statistics office.
CDC_ITSELF = re.compile(
    r"\b(CDC|NCHS|NVSS|Centers for Disease Control|National Center for Health Statistics|National Vital Statistics System)\b",
    re.IGNORECASE,
)


# "4,915 unintentional drug overdose deaths": a state's own measure of one intent
UNINTENTIONAL = re.compile(r"\b(?:unintentional|accidental)\s+(?:drug\s+)?(?:overdose|poisoning|death|fatalit)", re.I)


def local_counter(attributed_to: object) -> str | None:
    """The state or local office a death figure is quoted from, or None when it cites CDC, a national body or no one."""
    if not isinstance(attributed_to, str) or not attributed_to.strip() or CDC_ITSELF.search(attributed_to):
        return None
    return attributed_to.strip() if LOCAL_COUNTER.search(attributed_to) else None


def other_place(claim: pd.Series, named: Measure, other: Measure) -> bool:
    """Whether another measure offered beside the named one counts another place: CDC's provisional "NY" leaves out New
    York City, which the final count of New York State includes."""
    return periods.jurisdiction(claim.get("geography")) == "NY" and (named.series == series.CDC_VSRR) != (
        other.series == series.CDC_VSRR
    )


def limit(claim: pd.Series, verdict: Verdict) -> Verdict:
    """The verdict, or `unverifiable` with the official figure for context where it measures something else."""
    measure = verdict.measure
    if claim["metric"] not in DEATH_METRICS or measure is None or verdict.verdict == "unverifiable":
        return verdict
    context = f" {measure.label[0].upper()}{measure.label[1:]}"
    context += f" for {measure.window}" if measure.window else ""
    context += f" was {fmt(measure.value, measure.unit)}; it is given for context, not as a verdict."
    if measure.series == series.CDC_VSRR and periods.jurisdiction(claim.get("geography")) == "NY":
        why = (
            "The claim is about New York State, but CDC's provisional counts for New York leave out New York City, "
            "which CDC counts apart; no official count for the whole state is held for this period."
        )
        return Verdict(claim["id"], "unverifiable", why + context)
    office = local_counter(claim.get("attributed_to"))
    if office and verdict.verdict != "consistent":
        why = (
            f"The claim quotes {office}, which counts deaths by its own definitions (for example residents only, or "
            "unintentional deaths only), so a difference from CDC's count is not an error in the claim."
        )
        return Verdict(claim["id"], "unverifiable", why + context)
    if office:
        return replace(verdict, explanation=verdict.explanation + f" The claim quotes {office}; CDC's count agrees with it.")
    if UNINTENTIONAL.search(str(claim.get("quote") or "")) and verdict.verdict != "consistent":
        why = (
            "The claim counts unintentional deaths only, and CDC's count holds overdose deaths of every intent (suicides "
            "and undetermined intent too), so a difference from it is not an error in the claim."
        )
        return Verdict(claim["id"], "unverifiable", why + context)
    return verdict
