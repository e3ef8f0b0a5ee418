"""Final figures as the checks see them: NCHS final annual counts and rates, and VSRR county counts, as measures (pure).

A calendar-year death count is held to the final count where one is held (drugstats.official.nchs_final, then the
final counts NCHS, MMWR or NIDA published in text, drugstats.official.reference), else to CDC's provisional count of
the 12 months ending December. A death rate is held to the rate of its own basis (age-adjusted unless the claim says
crude), never to a rate of the other basis: NCHS's tables, else an age-adjusted rate NCHS published in text.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from drugstats import display
from drugstats.official import nchs_final, periods, series, vsrr_county
from drugstats.verdicts.record import DEATH_LABELS, Measure, OfficialRecord, month_span

RATE_COLUMNS = {"age_adjusted": "rate_age_adjusted", "crude": "rate_crude"}
RATE_WORDS = {
    "age_adjusted": "age-adjusted rate (2000 US standard population)",
    "crude": "crude rate",
}


def calendar_year(start: date, end: date) -> int | None:
    """The year a period is, when it is one whole calendar year."""
    if start.month == 1 and start.day == 1 and end == date(start.year, 12, 31) and month_span(start, end) == 12:
        return start.year
    return None


def _what(substance: str) -> str:
    return DEATH_LABELS.get(substance, f"deaths involving {substance.replace('_', ' ')}")


def _where(geography: str) -> str:
    code = periods.jurisdiction(geography)
    return "the United States" if code == "US" else nchs_final.place_name(code)


def final_count(record: OfficialRecord, substance: str, geography: str, year: int) -> Measure | None:
    """The final count of a calendar year's deaths: from NCHS's tables, else from a final count published in text."""
    code = periods.jurisdiction(geography)
    row = nchs_final.final_row(record.final, substance, code, year, "deaths")
    window = f"calendar year {year}"
    start, end = date(year, 1, 1), date(year, 12, 31)
    if row is not None:
        meta = record.datasets.get(row["dataset"])
        return Measure(
            value=float(row["deaths"]),
            unit="deaths",
            label=f"the NCHS final count of {_what(substance)} in {_where(geography)}",
            window=window,
            series=str(row["dataset"]),
            substance=substance,
            release=(meta.release or "") if meta else "",
            window_start=start,
            window_end=end,
            citation=record.citation(str(row["dataset"])),
        )
    ref = _published(record.reference, "overdose_deaths", substance, code, year)
    if ref is None:
        return None
    return _published_measure(ref, "deaths", f"the NCHS final count of {_what(substance)} in {_where(geography)}", year)


def _published(reference: pd.DataFrame, metric: str, substance: str, code: str, year: int, basis: str | None = None):
    """The reference value (a figure published in text) of a metric for a drug, place and calendar year; for a rate,
    only one of the basis given. None if none is held."""
    if reference is None or reference.empty or "period_start" not in reference:
        return None
    start = pd.to_datetime(reference["period_start"], errors="coerce")
    end = pd.to_datetime(reference["period_end"], errors="coerce")
    rows = reference[
        (reference["metric"] == metric)
        & (reference["substance"] == substance)
        & (reference["geography"].map(periods.jurisdiction) == code)
        & (start == pd.Timestamp(year, 1, 1))
        & (end == pd.Timestamp(year, 12, 31))
    ]
    if basis is not None:  # a rate of unknown basis (no rate_basis column) is never taken for one of this basis
        rows = rows[rows["rate_basis"] == basis] if "rate_basis" in rows else rows.iloc[0:0]
    return None if rows.empty else rows.iloc[0]


def _published_measure(ref: pd.Series, unit: str, what: str, year: int) -> Measure:
    """A figure published in text as a measure, its label naming who published it (and that it was read in a summary by
    others, where figures.csv says so)."""
    read = "; read in a secondary summary" if str(ref.get("primary_or_secondary", "")) == "secondary" else ""
    return Measure(
        value=float(ref["value"]),
        unit=unit,
        label=f"{what} (published by {ref['publisher']}{read})",
        window=f"calendar year {year}",
        series=series.FIGURES,
        substance=str(ref["substance"]),
        release=str(ref["published"]),
        window_start=date(year, 1, 1),
        window_end=date(year, 12, 31),
        citation=f"{ref['publisher']}, {ref['source_title']}, {ref['source_url']}",
    )


def final_rate(record: OfficialRecord, substance: str, geography: str, year: int, basis: str) -> Measure | None:
    """NCHS's death rate per 100,000 of the basis given (age_adjusted or crude) for a drug, place and year: from its
    tables, else (age-adjusted only) a rate NCHS published in text."""
    code = periods.jurisdiction(geography)
    row = nchs_final.final_row(record.final, substance, code, year, RATE_COLUMNS[basis])
    if row is None:
        ref = _published(record.reference, "death_rate", substance, code, year, basis) if basis == "age_adjusted" else None
        what = f"NCHS's final {RATE_WORDS[basis]} of {_what(substance)} in {_where(geography)}"
        return None if ref is None else _published_measure(ref, "per_100k", what, year)
    meta = record.datasets.get(row["dataset"])
    return Measure(
        value=float(row[RATE_COLUMNS[basis]]),
        unit="per_100k",
        label=f"NCHS's final {RATE_WORDS[basis]} of {_what(substance)} in {_where(geography)}",
        window=f"calendar year {year}",
        series=str(row["dataset"]),
        substance=substance,
        release=(meta.release or "") if meta else "",
        window_start=date(year, 1, 1),
        window_end=date(year, 12, 31),
        citation=record.citation(str(row["dataset"])),
    )


def county_count(record: OfficialRecord, fips: str, start: date, end: date) -> Measure | str | None:
    """CDC's provisional count of a county's drug overdose deaths in a 12-month window: a Measure where CDC published
    one, a sentence saying why there is no number where it did not (suppressed, or lost in the copy held), None when
    the county series does not hold the window."""
    if month_span(start, end) != 12:
        return None
    row = vsrr_county.county_row(record.county, fips, pd.Timestamp(end))
    if row is None:
        return None
    place = f"{row['county']} County, {display.place_name(str(row['state']))} (FIPS {fips})"
    window = f"12 months ending {end:%B %Y}"
    release = pd.Timestamp(row["release"]).date().isoformat()
    if row["count_status"] == "suppressed":
        return (
            f"CDC did not show the count for {place} for {window} (release of {release}): it suppresses counts of "
            f"{vsrr_county.SUPPRESSED_MIN} to {vsrr_county.SUPPRESSED_MAX} deaths, so no official number can be "
            "set against the claim."
        )
    if row["count_status"] == "blanked":
        return (
            f"The count for {place} for {window} is {vsrr_county.BLANKED_MIN:,} or more, but its number is not "
            "known here: the copy of CDC's county file drugstats holds lost every count of 1,000 or more (written "
            "with a thousands separator). It is never read as zero, and the claim is not judged."
        )
    return Measure(
        value=float(row["deaths_reported"]),
        unit="deaths",
        label=f"CDC's provisional count of drug overdose deaths in {place}",
        window=window,
        series=vsrr_county.DATASET,
        substance="all_drugs",
        release=release,
        window_start=start,
        window_end=end,
        citation=record.citation(vsrr_county.DATASET),
    )
