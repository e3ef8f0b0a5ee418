"""Claim checks: each claim against the official record, and derived claims against other figures (pure)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pandas as pd

from drugstats import vocab
from drugstats.official import cbp_places, nchs_final, provenance, series
from drugstats.verdicts import agency, final, rates, scope
from drugstats.verdicts.record import (  # noqa: F401 (the names checks has always offered)
    DEATH_ALTERNATIVES,
    DEATH_LABELS,
    REFERENCE_NOTE,
    VERDICTS,
    Measure,
    OfficialRecord,
    Verdict,
    claim_date,
    deaths_counted,
    deaths_measure,
    describe_window,
    fmt,
    judge,
    month_span,
    reference_measure,
    release_date,
    seizures_measure,
    unverifiable,
)
from drugstats.verdicts.tolerance import DEFAULT_TOLERANCES, Tolerances, compare, significant_digits, slack_sentence  # noqa: F401


def check_deaths(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    """The verdict against the newest release, and against the release of the claim's day where one is held."""

    if isinstance(claim.get("county_fips"), str):
        return _check_county(claim, record, tol)

    def in_release(today: Measure, release: date) -> Measure | None:
        return deaths_measure(record, today.substance, claim["geography"], today.window_start, today.window_end, release)

    return _at_claim(claim, record, tol, _check_deaths_today(claim, record, tol), in_release)


# The series a death count's verdict of today may come from and still be set against a provisional release of its day.
DEATH_SERIES = (series.CDC_VSRR, *nchs_final.DATASETS, series.FIGURES)


def _check_county(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    """A county's count against CDC's provisional county series: all drugs only, 12-month windows only."""
    fips = claim["county_fips"]
    if pd.isna(claim["period_start"]):
        return unverifiable(claim, "The claim gives no period, so no official county count can be matched.")
    start, end = claim["period_start"].date(), claim["period_end"].date()
    if claim["substance"] != "all_drugs":
        return unverifiable(
            claim,
            f"CDC's county series counts all drug overdose deaths only; a count of {claim['substance'].replace('_', ' ')} "
            f"deaths in county {fips} is never compared with it.",
        )
    found = final.county_count(record, fips, start, end)
    if found is None:
        return unverifiable(
            claim,
            f"drugstats holds no county count for FIPS {fips} for {describe_window(start, end)} (CDC's county "
            "series gives 12-month windows).",
        )
    if isinstance(found, str):
        return unverifiable(claim, found)
    return judge(claim, found, tol)


# CDC publishes a release a month; older release dates are estimated to the month. A release more than about two months
# before the claim is not the one in force on the claim's day, so it is not presented as "at the time".
RELEASE_OF_THE_DAY_DAYS = 62


def _at_claim(
    claim: pd.Series,
    record: OfficialRecord,
    tol: Tolerances,
    verdict: Verdict,
    in_release: Callable[[Measure, date], Measure | None],
) -> Verdict:
    """Add the verdict against the latest release published on or before the claim's date (today's measure as that
    release gives it: `in_release`); unchanged when none is held, and only a sentence saying so when that release has
    no count of the claim's drug and place for its window."""
    today, claimed = verdict.measure, claim_date(claim)
    if today is None or today.series not in DEATH_SERIES or claimed is None:
        return verdict
    held = [r for r in record.death_releases if r <= claimed]
    if not held or today.window_start is None or today.window_end is None or today.substance is None:
        return verdict
    release = held[-1]
    if (claimed - release).days > RELEASE_OF_THE_DAY_DAYS:  # releases came out in between that drugstats does not hold
        return verdict
    then = in_release(today, release)
    if then is None:
        name = provenance.release_name(release.isoformat(), record.release_estimated(series.CDC_VSRR, release.isoformat()))
        text = verdict.explanation + (
            f" At the time, the release of {name} had no count of {deaths_counted(today.substance, claim['geography'])} "
            f"for {today.window}, so only today's figure is given."
        )
        return replace(verdict, explanation=text)
    outcome = judge(claim, then, tol).verdict
    text = verdict.explanation
    if today.series != series.CDC_VSRR and then.unit != "percent":
        text += (
            f" At the time, in the release of {then.release_name}, CDC's provisional count was "
            f"{fmt(then.value, 'deaths')}; the final count is {today.value:,.0f}."
        )
    elif then.release != today.release:
        text += (
            f" At the time, in the release of {then.release_name}, CDC counted {fmt(then.value, 'deaths')}; "
            f"today it counts {today.value:,.0f}."
            if then.unit != "percent"
            else f" At the time, in the release of {then.release_name}, the share was {then.value:.1f}%; today it is "
            f"{today.value:.1f}%."
        )
    return replace(verdict, explanation=text, verdict_at_claim=outcome, measure_at_claim=then)


def _check_deaths_today(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    if pd.isna(claim["period_start"]):
        return unverifiable(claim, "The claim gives no period, so no official count can be matched.")
    start, end = claim["period_start"].date(), claim["period_end"].date()
    year = final.calendar_year(start, end)

    def measure_of(substance: str) -> Measure | None:
        """The final count of a calendar year where one is held, else CDC's provisional count of the window."""
        held = final.final_count(record, substance, claim["geography"], year) if year is not None else None
        return held or deaths_measure(record, substance, claim["geography"], start, end)

    named = measure_of(claim["substance"])
    if named is None:
        if month_span(start, end) != 12:
            return unverifiable(
                claim,
                f"CDC publishes 12-month totals; the claim's period ({describe_window(start, end)}) "
                "is not a 12-month window, so no official count covers it.",
            )
        return unverifiable(
            claim,
            f"No official series in drugstats covers {deaths_counted(claim['substance'], claim['geography'])} "
            f"for {describe_window(start, end)}.",
        )
    verdict = judge(claim, named, tol)
    if verdict.verdict != "consistent" and named.series != series.CDC_VSRR:
        # A figure quoted from CDC's provisional counts (often before the final count was out) is not wrong for
        # differing from the final count, a series apart: where it fits the provisional count, it is judged on that.
        provisional = deaths_measure(record, claim["substance"], claim["geography"], start, end)
        if provisional is not None and judge(claim, provisional, tol).verdict == "consistent":
            verdict = judge(claim, provisional, tol)
            note = (
                f" It does not fit {named.label} for {year} ({fmt(named.value, 'deaths')}), a series apart from "
                "CDC's provisional counts; it is judged against the CDC provisional count, which it fits."
            )
            return replace(verdict, explanation=verdict.explanation + note)
    if year is not None and named.series == series.CDC_VSRR:
        verdict = replace(
            verdict,
            explanation=verdict.explanation + f" No NCHS final count of {deaths_counted(claim['substance'], claim['geography'])}"
            f" for {year} is held, so this is the CDC provisional count of the 12 months ending December.",
        )
    if claim["substance"] == "fentanyl":
        verdict = replace(
            verdict,
            explanation=verdict.explanation + " Death statistics count fentanyl as synthetic "
            "opioids other than methadone (ICD-10 T40.4).",
        )
    if verdict.verdict == "consistent":
        return verdict
    for other in DEATH_ALTERNATIVES:
        if other == claim["substance"]:
            continue
        alt = measure_of(other)
        if alt is not None and scope.other_place(claim, named, alt):
            continue
        if alt is not None and compare(float(claim["value_canonical"]), claim["qualifier"], alt.value, tol) == "consistent":
            text = (
                f"The claim's number does not fit {named.label} for {named.window} ({fmt(named.value, 'deaths')}) "
                f"but fits another measure: {alt.label}, {fmt(alt.value, 'deaths')}."
            )
            return replace(verdict, verdict="wrong_measure", explanation=text, alternative=alt)
    return verdict


def check_seizure(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    if claim["seized_by"] == "DEA" and claim["metric"] == "drug_seized":
        return agency.check_agency(claim, record, tol)  # against what the DEA itself published
    if claim["seized_by"] != "CBP":
        return unverifiable(
            claim,
            f"drugstats holds CBP's seizure series only; a figure for {claim['seized_by']} is never checked against CBP's data.",
        )
    if pd.isna(claim["period_start"]):
        return unverifiable(claim, "The claim gives no exact period, so CBP's monthly counts cannot be summed for it.")
    if claim["substance"] not in vocab.SEIZED_DRUGS:
        return unverifiable(
            claim,
            f"CBP counts each drug type apart and has none for {claim['substance'].replace('_', ' ')}; drugstats does not "
            "add its drug types up into another.",
        )
    # The place first: a region's, a sector's or a state's figure is judged against that place's rows or not at all.
    place = cbp_places.resolve(
        record.seizures, _text_or_none(claim.get("cbp_area")), _text_or_none(claim.get("geography")), record.cbp_states
    )
    if isinstance(place, str):
        return unverifiable(claim, place)
    where = "" if place.kind == "nation" else f" for {place.label}"
    start, end = claim["period_start"].date(), claim["period_end"].date()
    if claim["metric"] == "seizure_change":
        if pd.isna(claim["compared_to_start"]):
            return unverifiable(claim, "The claim does not say which earlier period the change is measured from.")
        now = seizures_measure(record, claim["substance"], start, end, place)
        before = seizures_measure(
            record, claim["substance"], claim["compared_to_start"].date(), claim["compared_to_end"].date(), place
        )
        if now is None or before is None or before.value == 0:
            return unverifiable(claim, f"CBP's monthly series{where} does not cover both periods of the comparison.")
        change = (now.value / before.value - 1) * 100
        direction = "increase" if change >= 0 else "decrease"
        total = "CBP's nationwide total" if place.kind == "nation" else f"the total in {place.label}"
        measure = replace(
            now,
            value=abs(change),
            unit="percent",
            kind="derived",
            label=f"the {direction} in {total} of {claim['substance']} seized over {before.window}",
        )
        derivation = f"{fmt(now.value, 'lb')} / {fmt(before.value, 'lb')} - 1 = {change:+.1f}%"
        return replace(_judge_change(claim, measure, change, tol), derivation=derivation)
    measure = seizures_measure(record, claim["substance"], start, end, place)
    if measure is None:
        return unverifiable(claim, f"CBP's monthly series{where} does not cover {describe_window(start, end)}.")
    stated_lb = vocab.convert_mass(float(claim["value"]), claim["unit"], "lb") if claim["unit"] in vocab.MG_PER_UNIT else None
    if stated_lb is None:
        return unverifiable(claim, "CBP reports seizures by weight; a count of pills cannot be compared with it.")
    return judge(claim, measure, tol, stated=stated_lb)


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _judge_change(claim: pd.Series, measure: Measure, change: float, tol: Tolerances) -> Verdict:
    """A change judged with its sign: "rose about 45%" against a 45% fall is not consistent (issue 24)."""
    said = claim.get("direction")
    if pd.isna(said) or said not in vocab.DIRECTIONS:
        return unverifiable(claim, "The claim does not say whether the figure went up or down.")
    went = "up" if change > 0 else "down" if change < 0 else None
    if went is None or went == said:
        return judge(claim, measure, tol)
    outcome = "overstated" if said == "up" else "understated"
    where = f" for {measure.window}" if measure.window else ""
    text = (
        f"The claim says the figure went {said} ({fmt(float(claim['value_canonical']), 'percent')}), but it went {went}: "
        f"{measure.label}{where} was {fmt(measure.value, 'percent')}."
    )
    return Verdict(claim["id"], outcome, text, measure, math.nan)


def check_share(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    """The share against the newest release with both counts, and against the release of the claim's day."""
    if pd.isna(claim["period_start"]):
        return unverifiable(claim, "The claim gives no period, so no official share can be computed.")
    start, end = claim["period_start"].date(), claim["period_end"].date()
    measured = _share(claim, record, start, end)
    if measured is None:
        return unverifiable(
            claim, f"No official series covers both {claim['substance']} and all drug deaths for {describe_window(start, end)}."
        )
    measure, derivation = measured

    def in_release(today: Measure, release: date) -> Measure | None:
        then = _share(claim, record, start, end, release)
        return then[0] if then else None

    return _at_claim(claim, record, tol, replace(judge(claim, measure, tol), derivation=derivation), in_release)


def _share(
    claim: pd.Series, record: OfficialRecord, start: date, end: date, release: date | None = None
) -> tuple[Measure, str] | None:
    """The claim's drug's share of all drug deaths with its arithmetic, both counts from one release (the newest that
    has the window, or the one given), so the share is not a mix of vintages."""
    whole = deaths_measure(record, "all_drugs", claim["geography"], start, end, release)
    part = whole and deaths_measure(record, claim["substance"], claim["geography"], start, end, release=whole.release)
    if part is None or whole is None:
        return None
    share = part.value / whole.value * 100
    measure = replace(
        part,
        value=share,
        unit="percent",
        kind="derived",
        label="the share of drug overdose deaths involving "
        + DEATH_LABELS.get(claim["substance"], claim["substance"].replace("_", " ")).removeprefix("deaths involving ")
        + ", from CDC's provisional counts",
    )
    return measure, f"{fmt(part.value, 'deaths')} / {fmt(whole.value, 'deaths')} = {share:.1f}%"


def check_reference(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    relative_to = claim["relative_to"] if claim["metric"] == "potency_ratio" else None
    measure = reference_measure(record, claim["metric"], claim["substance"], relative_to)
    if measure is None:
        return unverifiable(claim, f"drugstats holds no reference value for {claim['metric']} of {claim['substance']}.")
    return judge(claim, measure, tol)


def check_per_mass(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    """Claim against claim: 'one kilogram can kill N people' against the lethal-dose reference."""
    dose = reference_measure(record, "lethal_dose", claim["substance"])
    if dose is None:
        return unverifiable(claim, f"No lethal-dose reference value for {claim['substance']} to derive it from.")
    dose_mg = dose.value  # reference measures are in the metric's canonical unit, mg here
    doses_per_kg = vocab.MG_PER_UNIT["kg"] / dose_mg
    measure = replace(
        dose,
        value=doses_per_kg,
        unit="doses",
        kind="derived",
        label=f"the number of {dose_mg:g} mg doses in 1 kg, from {dose.label}",
    )
    derivation = f"1 kg = 1,000,000 mg; 1,000,000 mg / {dose_mg:g} mg = {doses_per_kg:,.0f} potentially lethal doses"
    verdict = judge(claim, measure, tol)
    text = (
        f"{verdict.explanation.removesuffix(REFERENCE_NOTE)} "
        f"{derivation}. A potentially lethal dose is not a death, and seized powder is not pure fentanyl: "
        "this is arithmetic on a reference value, not a count of deaths."
    )
    return replace(verdict, explanation=text, derivation=derivation)


CHECKERS = {
    "overdose_deaths": check_deaths,
    "drug_seized": check_seizure,
    "seizure_change": check_seizure,
    "death_share": check_share,
    "lethal_dose": check_reference,
    "potency_ratio": check_reference,
    "pill_content": check_reference,
    "deaths_per_mass": check_per_mass,
    "death_rate": rates.check_rate,
    "lethal_pill_share": agency.check_agency,
}


# Why a metric without a checker cannot be checked, where there is more to say than that no series is held.
NO_SERIES: dict[str, str] = {}

DEATH_METRICS = ("overdose_deaths", "death_rate", "death_share")


def _seized_only(claim: pd.Series) -> str:
    drug = claim["substance"].replace("_", " ")
    return (
        f"CDC and NCHS publish no count or rate of deaths involving {drug}: drugstats holds {drug} only in CBP's seizure "
        "counts, so a death figure naming it is never compared with another drug's deaths."
    )


def check_claim(claim: pd.Series, record: OfficialRecord, tol: Tolerances = DEFAULT_TOLERANCES) -> Verdict:
    """The verdict on one claim (a row of drugstats.verdicts.transform.claims_frame)."""
    checker = CHECKERS.get(claim["metric"])
    if isinstance(claim.get("county_fips"), str) and claim["metric"] != "overdose_deaths":
        # never judged against its state's figure: the county series holds death counts only
        return unverifiable(
            claim,
            f"drugstats holds county figures only as death counts; a county's {claim['metric'].replace('_', ' ')} "
            "is never judged against its state's figure.",
        )
    if claim["metric"] in DEATH_METRICS and claim["substance"] in vocab.SEIZURE_ONLY_SUBSTANCES:
        return unverifiable(claim, _seized_only(claim))  # not even a crude rate "for context" of some other count
    if checker is None:
        why = NO_SERIES.get(claim["metric"], f"drugstats has no official series for {claim['metric'].replace('_', ' ')} yet.")
        return unverifiable(claim, why)
    return scope.limit(claim, checker(claim, record, tol))


def check_all(claims: pd.DataFrame, record: OfficialRecord, tol: Tolerances = DEFAULT_TOLERANCES) -> list[Verdict]:
    return [check_claim(row, record, tol) for _, row in claims.iterrows()]
