"""The official record as the checks see it: a measure, a verdict, and how one claim is judged against one measure (pure).

The checkers (drugstats.verdicts.checks) and the rate checks (drugstats.verdicts.rates) both build on these, so they live
below both: neither imports the other for them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd

from drugstats import display, vocab
from drugstats.official import cbp_places, periods, provenance, queries, series
from drugstats.verdicts.tolerance import Tolerances, compare, slack_sentence

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
    """The official series the checks compare with (frames as built by drugstats.official.series)."""

    deaths: pd.DataFrame
    seizures: pd.DataFrame
    reference: pd.DataFrame
    datasets: Mapping[str, provenance.DatasetMeta] = field(default_factory=dict)
    population: pd.DataFrame | None = None  # the Census Bureau's July 1 populations (drugstats.official.census), when held
    cbp_states: Mapping[str, cbp_places.StateAreas] = field(default_factory=dict)  # which states CBP's areas make up
    agency_figures: pd.DataFrame | None = None  # the DEA's published figures (drugstats.official.dea), when held
    final: pd.DataFrame | None = None  # NCHS final annual deaths and rates (drugstats.official.nchs_final), when held
    county: pd.DataFrame | None = None  # VSRR provisional county counts (drugstats.official.vsrr_county), when held

    @classmethod
    def from_series(cls, official: series.Series) -> OfficialRecord:
        return cls(
            official.overdose_deaths,
            official.seizures,
            official.reference_values,
            official.datasets,
            official.population,
            cbp_states=official.cbp_states,
            agency_figures=official.agency_figures,
            final=official.final_deaths,
            county=official.county_deaths,
        )

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


def fmt(value: float, unit: str) -> str:
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
    "prescription_opioids": "deaths involving natural and semi-synthetic opioids or methadone (T40.2, T40.3, the "
    "opioids commonly prescribed)",
    "natural_semisynthetic_opioids": "deaths involving natural and semi-synthetic opioids (T40.2)",
    "methadone": "deaths involving methadone (T40.3)",
    "natural_semisynthetic_synthetic_opioids": "deaths involving natural, semi-synthetic or synthetic opioids, methadone "
    "included (T40.2-T40.4)",
}
# Measures a death claim may really be quoting when it misses the one it names: every VSRR indicator articles name.
DEATH_ALTERNATIVES = (
    "all_drugs",
    "opioids",
    "fentanyl",
    "methamphetamine",
    "cocaine",
    "heroin",
    "prescription_opioids",
    "natural_semisynthetic_opioids",
    "methadone",
)


def deaths_counted(substance: str, geography: str) -> str:
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
        label=f"CDC's provisional count of {deaths_counted(substance, geography)}",
        window=f"12 months ending {end:%B %Y}",
        series=series.CDC_VSRR,
        substance=substance,
        release=row["release"].date().isoformat(),
        release_estimated=record.release_estimated(series.CDC_VSRR, row["release"].date().isoformat()),
        window_start=start,
        window_end=end,
        citation=record.citation(series.CDC_VSRR),
    )


def seizures_measure(
    record: OfficialRecord, drug: str, start: date, end: date, place: cbp_places.Place = cbp_places.NATION
) -> Measure | None:
    """CBP seizures of a drug in the place (the nation unless given) summed over the claim's whole months; None when not
    every month is covered."""
    if month_span(start, end) is None:
        return None
    try:
        total = queries.seizures_in_months(record.seizures, start, end, drug=drug, **cbp_places.filters(place))
    except (queries.NoSeriesData, ValueError):
        return None
    label = (
        f"CBP's nationwide total of {drug} seized at and between ports of entry"
        if place.kind == "nation"
        else f"the total of {drug} seized in {place.label}"
    )
    return Measure(
        value=float(total["seized_lb"]),
        unit="lb",
        label=label,
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


def release_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def claim_date(claim: pd.Series) -> date | None:
    if pd.notna(claim.get("claimed_on")):
        return pd.Timestamp(claim["claimed_on"]).date()
    published = claim.get("source_published")
    return release_date(published) if isinstance(published, str) and len(published) == 10 else None


def unverifiable(claim: pd.Series, why: str) -> Verdict:
    return Verdict(claim["id"], "unverifiable", why)


def judge(claim: pd.Series, measure: Measure, tol: Tolerances, *, stated: float | None = None) -> Verdict:
    stated = float(claim["value_canonical"]) if stated is None else stated
    provisional = measure.series == series.CDC_VSRR and measure.kind == "measurement"
    outcome = compare(stated, claim["qualifier"], measure.value, tol, provisional=provisional)
    ratio = stated / measure.value if measure.value else math.nan
    qualifier = claim["qualifier"].replace("_", " ")
    said = f"{qualifier} {fmt(stated, measure.unit)}" if qualifier != "exact" else fmt(stated, measure.unit)
    where = f" for {measure.window}" if measure.window else ""
    verb = display.VERDICTS[outcome].verb
    text = f"The claim ({said}) {verb} {measure.label}{where}: {fmt(measure.value, measure.unit)}."
    text += slack_sentence(stated, claim["qualifier"], measure.value, outcome)
    revised = False
    claimed = claim_date(claim)
    released = release_date(measure.release)
    if measure.series == "cdc-vsrr" and claimed and released and claimed < released:
        revised = True
        text += (
            f" CDC's provisional counts have been revised since the claim was made ({claimed.isoformat()}); "
            f"this is the release of {measure.release_name}."
        )
    if measure.kind == "reference":
        text += REFERENCE_NOTE
    return Verdict(claim["id"], outcome, text, measure, ratio, revised_since=revised)
