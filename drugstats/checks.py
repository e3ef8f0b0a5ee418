"""Claim checks: each claim against the official record, and derived claims against other figures (pure)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

import pandas as pd

from drugstats import display, periods, provenance, queries, rates, series, vocab
from drugstats.tolerance import DEFAULT_TOLERANCES, Tolerances, compare, significant_digits, slack_sentence  # noqa: F401

VERDICTS = tuple(display.VERDICTS)  # consistent, overstated, understated, wrong_measure, unverifiable
REFERENCE_NOTE = " A reference value is an agency's stated figure, not a measurement."


@dataclass(frozen=True)
class Measure:
    """An official value a claim can be compared with, and where it comes from."""

    value: float
    unit: str
    label: str  # what is measured, in words: "drug overdose deaths, all drugs, United States (reported)"
    window: str  # "12 months ending January 2023", "October 2022 to February 2023", "" for constants
    series: str  # dataset id: cdc-vsrr, cbp-seizures, reference
    release: str  # release or publication date of the figure
    kind: str = "measurement"  # measurement | reference | derived
    window_start: date | None = None
    window_end: date | None = None
    citation: str = ""
    substance: str | None = None  # the substance (or seized drug) the official value counts
    release_estimated: bool = False  # the release date is drugstats' estimate, not the producer's (metadata.yaml)

    @property
    def release_name(self) -> str:
        """The release as readers see it: "2026-02-14", or "about October 2017 (estimated)"."""
        return provenance.release_name(self.release, self.release_estimated) if self.release else ""


@dataclass(frozen=True)
class Verdict:
    claim_id: str
    verdict: str
    explanation: str
    measure: Measure | None = None
    ratio: float | None = None
    derivation: str = ""
    revised_since: bool = False
    alternative: Measure | None = None  # the other measure a wrong_measure claim matches
    verdict_at_claim: str | None = None  # the verdict against the latest release on or before the claim's date
    measure_at_claim: Measure | None = None  # the official value of that release


@dataclass(frozen=True)
class OfficialRecord:
    """The official series the checks compare with (frames as built by drugstats.series)."""

    deaths: pd.DataFrame
    seizures: pd.DataFrame
    reference: pd.DataFrame
    datasets: Mapping[str, provenance.DatasetMeta] = field(default_factory=dict)
    population: pd.DataFrame | None = None  # the Census Bureau's July 1 populations (drugstats.census), when held

    @classmethod
    def from_series(cls, official: series.Series) -> OfficialRecord:
        return cls(official.overdose_deaths, official.seizures, official.reference_values, official.datasets, official.population)

    def release(self, dataset: str) -> str:
        meta = self.datasets.get(dataset)
        return (meta.release or "") if meta else ""

    def release_estimated(self, dataset: str, release: str) -> bool:
        meta = self.datasets.get(dataset)
        return meta.release_estimated(release) if meta and release else False

    @cached_property
    def death_releases(self) -> tuple[date, ...]:
        """The releases of the deaths frame, oldest first (asked once a claim: computed once)."""
        return tuple(sorted({pd.Timestamp(r).date() for r in self.deaths["release"].unique()}))

    def citation(self, dataset: str) -> str:
        meta = self.datasets.get(dataset)
        return f"{meta.producer}, {meta.title}, {meta.url}" if meta else dataset


# ---------------------------------------------------------------- periods


def month_span(start: date, end: date) -> int | None:
    """Number of whole calendar months from start to end, or None if the dates are not month edges."""
    if start.day != 1 or (end + pd.Timedelta(days=1)).day != 1:
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def describe_window(start: date, end: date) -> str:
    months = month_span(start, end)
    if months == 12 and start.month == 1:
        return f"calendar year {start.year}"
    if months == 12 and start.month == 10:
        return f"fiscal year {end.year} (October {start.year} to September {end.year})"
    if months == 12:
        return f"12 months ending {end:%B %Y}"
    if months is not None:
        return f"{start:%B %Y} to {end:%B %Y}" if months > 1 else f"{start:%B %Y}"
    return f"{start.isoformat()} to {end.isoformat()}"


def _fmt(value: float, unit: str) -> str:
    label = vocab.UNITS.get(unit, (unit,))[0]
    digits = 0 if float(value).is_integer() or vocab.UNITS.get(unit, ("", "count"))[1] == "count" else 1
    return f"{value:,.{digits}f} {label}"


# ---------------------------------------------------------------- official measures


DEATH_LABELS = {
    "all_drugs": "drug overdose deaths",
    "fentanyl": "deaths involving synthetic opioids other than methadone (T40.4, mostly illicit fentanyl)",
    "opioids": "deaths involving any opioid",
    "heroin": "deaths involving heroin",
    "cocaine": "deaths involving cocaine",
    "methamphetamine": "deaths involving psychostimulants with abuse potential (T43.6, mostly methamphetamine)",
}
# Measures a death claim may really be quoting when it misses the one it names.
DEATH_ALTERNATIVES = ("all_drugs", "opioids", "fentanyl", "methamphetamine", "cocaine", "heroin")


def _deaths_counted(substance: str, geography: str) -> str:
    """What CDC's count of a substance in a place counts, in words: "deaths involving heroin in Ohio"."""
    label = DEATH_LABELS.get(substance, f"deaths involving {substance.replace('_', ' ')}")
    code = periods.jurisdiction(geography)
    return f"{label} in {'the United States' if code == 'US' else display.place_name(code)}"


def deaths_measure(
    record: OfficialRecord, substance: str, geography: str, start: date, end: date, release: str | None = None
) -> Measure | None:
    """12-month-ending provisional deaths matching a 12-month claim window, from the newest release or the one given."""
    if month_span(start, end) != 12:
        return None
    try:
        row = queries.deaths_in_window(record.deaths, substance, periods.jurisdiction(geography), end, release=release)
    except (queries.NoSeriesData, ValueError):
        return None
    if pd.isna(row["deaths_reported"]):
        return None
    return Measure(
        value=float(row["deaths_reported"]),
        unit="deaths",
        label=f"CDC's provisional count of {_deaths_counted(substance, geography)}",
        window=f"12 months ending {end:%B %Y}",
        series=series.CDC_VSRR,
        substance=substance,
        release=row["release"].date().isoformat(),
        release_estimated=record.release_estimated(series.CDC_VSRR, row["release"].date().isoformat()),
        window_start=start,
        window_end=end,
        citation=record.citation(series.CDC_VSRR),
    )


def seizures_measure(record: OfficialRecord, drug: str, start: date, end: date) -> Measure | None:
    """CBP seizures of a drug summed over the claim's whole months; None when not every month is covered."""
    if month_span(start, end) is None:
        return None
    try:
        total = queries.seizures_in_months(record.seizures, start, end, drug=drug)
    except (queries.NoSeriesData, ValueError):
        return None
    return Measure(
        value=float(total["seized_lb"]),
        unit="lb",
        label=f"CBP's nationwide total of {drug} seized at and between ports of entry",
        window=describe_window(start, end),
        series=series.CBP_SEIZURES,
        substance=drug,
        release=record.release(series.CBP_SEIZURES),
        window_start=start,
        window_end=end,
        citation=record.citation(series.CBP_SEIZURES),
    )


def reference_measure(record: OfficialRecord, metric: str, substance: str, relative_to: str | None = None) -> Measure | None:
    row = queries.reference_row(record.reference, metric, substance, relative_to)
    if row is None:
        return None
    return Measure(
        value=vocab.to_canonical(float(row["value"]), str(row["unit"]), metric),
        unit=vocab.CANONICAL_UNIT[metric],
        label=f"the reference value of the {row['publisher']} ({row['figure'].lower()})",
        window="",
        series="reference",
        release=str(row["published"]),
        kind="reference",
        citation=f"{row['publisher']}, {row['source_title']}, {row['source_url']}",
    )


# ---------------------------------------------------------------- one claim


def _release_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _claim_date(claim: pd.Series) -> date | None:
    if pd.notna(claim.get("claimed_on")):
        return pd.Timestamp(claim["claimed_on"]).date()
    published = claim.get("source_published")
    return _release_date(published) if isinstance(published, str) and len(published) == 10 else None


def _unverifiable(claim: pd.Series, why: str) -> Verdict:
    return Verdict(claim["id"], "unverifiable", why)


def _judge(claim: pd.Series, measure: Measure, tol: Tolerances, *, stated: float | None = None) -> Verdict:
    stated = float(claim["value_canonical"]) if stated is None else stated
    provisional = measure.series == series.CDC_VSRR and measure.kind == "measurement"
    outcome = compare(stated, claim["qualifier"], measure.value, tol, provisional=provisional)
    ratio = stated / measure.value if measure.value else math.nan
    qualifier = claim["qualifier"].replace("_", " ")
    said = f"{qualifier} {_fmt(stated, measure.unit)}" if qualifier != "exact" else _fmt(stated, measure.unit)
    where = f" for {measure.window}" if measure.window else ""
    verb = display.VERDICTS[outcome].verb
    text = f"The claim ({said}) {verb} {measure.label}{where}: {_fmt(measure.value, measure.unit)}."
    text += slack_sentence(stated, claim["qualifier"], measure.value, outcome)
    revised = False
    claimed = _claim_date(claim)
    released = _release_date(measure.release)
    if measure.series == "cdc-vsrr" and claimed and released and claimed < released:
        revised = True
        text += (
            f" CDC's provisional counts have been revised since the claim was made ({claimed.isoformat()}); "
            f"this is the release of {measure.release_name}."
        )
    if measure.kind == "reference":
        text += REFERENCE_NOTE
    return Verdict(claim["id"], outcome, text, measure, ratio, revised_since=revised)


def check_deaths(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    """The verdict against the newest release, and against the release of the claim's day where one is held."""

    def in_release(today: Measure, release: date) -> Measure | None:
        return deaths_measure(record, today.substance, claim["geography"], today.window_start, today.window_end, release)

    return _at_claim(claim, record, tol, _check_deaths_today(claim, record, tol), in_release)


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
    today, claimed = verdict.measure, _claim_date(claim)
    if today is None or today.series != series.CDC_VSRR or claimed is None:
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
            f" At the time, the release of {name} had no count of {_deaths_counted(today.substance, claim['geography'])} "
            f"for {today.window}, so only today's figure is given."
        )
        return replace(verdict, explanation=text)
    outcome = _judge(claim, then, tol).verdict
    text = verdict.explanation
    if then.release != today.release:
        text += (
            f" At the time, in the release of {then.release_name}, CDC counted {_fmt(then.value, 'deaths')}; "
            f"today it counts {today.value:,.0f}."
            if then.unit != "percent"
            else f" At the time, in the release of {then.release_name}, the share was {then.value:.1f}%; today it is "
            f"{today.value:.1f}%."
        )
    return replace(verdict, explanation=text, verdict_at_claim=outcome, measure_at_claim=then)


def _check_deaths_today(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    if pd.isna(claim["period_start"]):
        return _unverifiable(claim, "The claim gives no period, so no official count can be matched.")
    start, end = claim["period_start"].date(), claim["period_end"].date()
    named = deaths_measure(record, claim["substance"], claim["geography"], start, end)
    if named is None:
        if month_span(start, end) != 12:
            return _unverifiable(
                claim,
                f"CDC publishes 12-month totals; the claim's period ({describe_window(start, end)}) "
                "is not a 12-month window, so no official count covers it.",
            )
        return _unverifiable(
            claim,
            f"No official series in drugstats covers {_deaths_counted(claim['substance'], claim['geography'])} "
            f"for {describe_window(start, end)}.",
        )
    verdict = _judge(claim, named, tol)
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
        alt = deaths_measure(record, other, claim["geography"], start, end)
        if alt is not None and compare(float(claim["value_canonical"]), claim["qualifier"], alt.value, tol) == "consistent":
            text = (
                f"The claim's number does not fit {named.label} for {named.window} ({_fmt(named.value, 'deaths')}) "
                f"but fits another measure: {alt.label}, {_fmt(alt.value, 'deaths')}."
            )
            return replace(verdict, verdict="wrong_measure", explanation=text, alternative=alt)
    return verdict


def check_seizure(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    if claim["seized_by"] != "CBP":
        return _unverifiable(
            claim,
            f"drugstats holds CBP's seizure series only; a figure for {claim['seized_by']} is never checked against CBP's data.",
        )
    if pd.isna(claim["period_start"]):
        return _unverifiable(claim, "The claim gives no exact period, so CBP's monthly counts cannot be summed for it.")
    start, end = claim["period_start"].date(), claim["period_end"].date()
    if claim["metric"] == "seizure_change":
        if pd.isna(claim["compared_to_start"]):
            return _unverifiable(claim, "The claim does not say which earlier period the change is measured from.")
        now = seizures_measure(record, claim["substance"], start, end)
        before = seizures_measure(record, claim["substance"], claim["compared_to_start"].date(), claim["compared_to_end"].date())
        if now is None or before is None or before.value == 0:
            return _unverifiable(claim, "CBP's monthly series does not cover both periods of the comparison.")
        change = (now.value / before.value - 1) * 100
        direction = "increase" if change >= 0 else "decrease"
        measure = replace(
            now,
            value=abs(change),
            unit="percent",
            kind="derived",
            label=f"the {direction} in CBP's nationwide total of {claim['substance']} seized over {before.window}",
        )
        verdict = _judge(claim, measure, tol)
        derivation = f"{_fmt(now.value, 'lb')} / {_fmt(before.value, 'lb')} - 1 = {change:+.1f}%"
        return replace(verdict, derivation=derivation)
    measure = seizures_measure(record, claim["substance"], start, end)
    if measure is None:
        return _unverifiable(claim, f"CBP's monthly series does not cover {describe_window(start, end)}.")
    stated_lb = vocab.convert_mass(float(claim["value"]), claim["unit"], "lb") if claim["unit"] in vocab.MG_PER_UNIT else None
    if stated_lb is None:
        return _unverifiable(claim, "CBP reports seizures by weight; a count of pills cannot be compared with it.")
    return _judge(claim, measure, tol, stated=stated_lb)


def check_share(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    """The share against the newest release with both counts, and against the release of the claim's day."""
    if pd.isna(claim["period_start"]):
        return _unverifiable(claim, "The claim gives no period, so no official share can be computed.")
    start, end = claim["period_start"].date(), claim["period_end"].date()
    measured = _share(claim, record, start, end)
    if measured is None:
        return _unverifiable(
            claim, f"No official series covers both {claim['substance']} and all drug deaths for {describe_window(start, end)}."
        )
    measure, derivation = measured

    def in_release(today: Measure, release: date) -> Measure | None:
        then = _share(claim, record, start, end, release)
        return then[0] if then else None

    return _at_claim(claim, record, tol, replace(_judge(claim, measure, tol), derivation=derivation), in_release)


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
    return measure, f"{_fmt(part.value, 'deaths')} / {_fmt(whole.value, 'deaths')} = {share:.1f}%"


def check_reference(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    relative_to = claim["relative_to"] if claim["metric"] == "potency_ratio" else None
    measure = reference_measure(record, claim["metric"], claim["substance"], relative_to)
    if measure is None:
        return _unverifiable(claim, f"drugstats holds no reference value for {claim['metric']} of {claim['substance']}.")
    return _judge(claim, measure, tol)


def check_per_mass(claim: pd.Series, record: OfficialRecord, tol: Tolerances) -> Verdict:
    """Claim against claim: 'one kilogram can kill N people' against the lethal-dose reference."""
    dose = reference_measure(record, "lethal_dose", claim["substance"])
    if dose is None:
        return _unverifiable(claim, f"No lethal-dose reference value for {claim['substance']} to derive it from.")
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
    verdict = _judge(claim, measure, tol)
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
}


# Why a metric without a checker cannot be checked, where there is more to say than that no series is held.
NO_SERIES: dict[str, str] = {}


def check_claim(claim: pd.Series, record: OfficialRecord, tol: Tolerances = DEFAULT_TOLERANCES) -> Verdict:
    """The verdict on one claim (a row of drugstats.transform.claims_frame)."""
    checker = CHECKERS.get(claim["metric"])
    if checker is None:
        why = NO_SERIES.get(claim["metric"], f"drugstats has no official series for {claim['metric'].replace('_', ' ')} yet.")
        return _unverifiable(claim, why)
    return checker(claim, record, tol)


def check_all(claims: pd.DataFrame, record: OfficialRecord, tol: Tolerances = DEFAULT_TOLERANCES) -> list[Verdict]:
    return [check_claim(row, record, tol) for _, row in claims.iterrows()]
