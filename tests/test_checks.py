"""Claim checks on tiny inline official records: each verdict, each qualifier, each period kind."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from drugstats import checks
from drugstats.checks import OfficialRecord, Tolerances, compare
from drugstats.models import Claim, Source
from drugstats.transform import claims_frame

SOURCE = Source(
    id="s", kind="news", publisher="P", title="T", url="https://example.org/", published="2024-02-01", accessed="2026-11-22"
)


def deaths_rows():
    rows = [
        ("all_drugs", "2023-01-31", 109_745),
        ("fentanyl", "2023-01-31", 75_390),
        ("opioids", "2023-01-31", 83_264),
        ("all_drugs", "2021-12-31", 107_573),
        ("fentanyl", "2021-12-31", 71_143),
        ("all_drugs", "2022-12-31", 109_413),
        ("fentanyl", "2022-12-31", 74_829),
    ]
    return pd.DataFrame(
        {
            "period_end": pd.to_datetime([r[1] for r in rows]),
            "geography": "US",
            "substance": [r[0] for r in rows],
            "window_months": 12,
            "deaths_reported": pd.array([r[2] for r in rows], dtype="Int64"),
            "release": pd.Timestamp("2026-02-14"),
        }
    )


def seizure_rows():
    # Fentanyl, one row per month Oct 2020 .. Sep 2022, 1,000 lb a month in FY2021 and 1,250 in FY2022.
    months = pd.date_range("2020-10-01", "2023-02-01", freq="MS")
    lb = [1000.0 if m < pd.Timestamp("2021-10-01") else 1250.0 for m in months]
    frame = pd.DataFrame(
        {"month": months, "drug": "fentanyl", "seized_lb": lb, "events": 1, "component": "OFO", "region": "Southwest Border"}
    )
    frame["seized_kg"] = frame["seized_lb"] * 0.45359237
    return pd.concat([frame, frame.assign(drug="cocaine", seized_lb=5.0)], ignore_index=True)


REFERENCE = pd.DataFrame(
    [
        {
            "metric": "lethal_dose",
            "substance": "fentanyl",
            "relative_to": None,
            "value": 2,
            "unit": "mg",
            "publisher": "DEA",
            "figure": "Potentially lethal dose of fentanyl",
            "source_url": "https://example.org/dea",
            "published": "2024-05-09",
            "source_title": "NDTA",
        },
        {
            "metric": "potency_ratio",
            "substance": "fentanyl",
            "relative_to": "morphine",
            "value": 100,
            "unit": "times",
            "publisher": "DEA",
            "figure": "Fentanyl potency vs morphine",
            "source_url": "https://example.org/dea",
            "published": "2022-08",
            "source_title": "Facts",
        },
    ]
)


@pytest.fixture
def record():
    return OfficialRecord(deaths_rows(), seizure_rows(), REFERENCE)


def claim(**over):
    base = dict(
        id="c",
        quote="q",
        metric="overdose_deaths",
        substance="all_drugs",
        value=100_000,
        unit="deaths",
        qualifier="more_than",
        period_start="2021-01-01",
        period_end="2021-12-31",
        geography="US",
        claimant="X",
        attributed_to="CDC",
        source="s",
        claimed_on="2023-04-13",
    )
    c = Claim.model_validate(base | over)
    return claims_frame([c], {"s": SOURCE}).iloc[0]


# ---------------------------------------------------------------- qualifiers, with boundaries


@pytest.mark.parametrize(
    ("stated", "qualifier", "official", "expected"),
    [
        (100, "exact", 100, "consistent"),
        (102, "exact", 100, "consistent"),  # within the 2% rounding allowance
        (102.1, "exact", 100, "overstated"),
        (97.9, "exact", 100, "understated"),
        (105, "about", 100, "consistent"),
        (110, "about", 100, "overstated"),
        (90, "about", 100, "understated"),
        (100, "more_than", 105, "consistent"),
        (100, "more_than", 110, "consistent"),  # the edge of the 10% headroom
        (100, "more_than", 111, "understated"),  # true, but far below the record
        (100, "more_than", 95, "overstated"),
        (100, "at_least", 100, "consistent"),
        (500_000, "nearly", 500_000, "consistent"),
        (500_000, "nearly", 460_000, "consistent"),
        (500_000, "nearly", 440_000, "overstated"),
        (500_000, "nearly", 520_000, "understated"),
        (9, "up_to", 9, "consistent"),
        (9, "up_to", 10, "understated"),
        (9, "less_than", 5, "overstated"),
        (9, "less_than", 8.5, "consistent"),
    ],
)
def test_compare_follows_each_qualifier(stated, qualifier, official, expected):
    assert compare(stated, qualifier, official) == expected


def test_tolerances_are_configurable():
    assert compare(100, "more_than", 130) == "understated"
    assert compare(100, "more_than", 130, Tolerances(headroom=0.5)) == "consistent"


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(2021, 1, 1), date(2021, 12, 31), "calendar year 2021"),
        (date(2021, 10, 1), date(2022, 9, 30), "fiscal year 2022 (October 2021 to September 2022)"),
        (date(2022, 2, 1), date(2023, 1, 31), "12 months ending January 2023"),
        (date(2022, 10, 1), date(2023, 2, 28), "October 2022 to February 2023"),
        (date(2022, 10, 5), date(2023, 2, 28), "2022-10-05 to 2023-02-28"),
    ],
)
def test_windows_are_described_by_kind(start, end, text):
    assert checks.describe_window(start, end) == text


def test_month_span_requires_month_edges():
    assert checks.month_span(date(2024, 2, 1), date(2024, 2, 29)) == 1
    assert checks.month_span(date(2024, 2, 1), date(2024, 2, 28)) is None


# ---------------------------------------------------------------- verdicts


def test_calendar_year_deaths_claim_is_consistent(record):
    v = checks.check_claim(claim(), record)
    assert v.verdict == "consistent"
    assert v.measure.value == 107_573 and v.measure.window == "12 months ending December 2021"
    assert v.ratio == pytest.approx(100_000 / 107_573)
    assert v.revised_since  # claimed 2023-04-13, release 2026-02-14
    assert "revised since" in v.explanation


def test_all_drug_deaths_presented_as_fentanyl_is_wrong_measure(record):
    v = checks.check_claim(
        claim(substance="fentanyl", value=105_000, unit="people", period_start="2022-02-01", period_end="2023-01-31"), record
    )
    assert v.verdict == "wrong_measure"
    assert v.measure.value == 75_390 and v.alternative.value == 109_745
    assert "75,390" in v.explanation and "109,745" in v.explanation


def test_fentanyl_claim_far_off_every_measure_is_overstated(record):
    v = checks.check_claim(claim(substance="fentanyl", value=150_000, period_start="2022-02-01", period_end="2023-01-31"), record)
    assert v.verdict == "overstated"
    assert "T40.4" in v.explanation


def test_deaths_claim_understating_the_record(record):
    v = checks.check_claim(claim(value=50_000), record)
    assert v.verdict == "understated"


def test_deaths_period_not_twelve_months_is_unverifiable(record):
    v = checks.check_claim(claim(period_start="2021-01-01", period_end="2021-06-30"), record)
    assert v.verdict == "unverifiable" and v.measure is None
    assert "not a 12-month window" in v.explanation


def test_deaths_for_a_window_with_no_data_is_unverifiable(record):
    assert checks.check_claim(claim(period_start="2010-01-01", period_end="2010-12-31"), record).verdict == "unverifiable"


def test_run_of_months_seizure_is_summed(record):
    c = claim(
        metric="drug_seized",
        substance="fentanyl",
        value=6000,
        unit="lb",
        period_start="2022-10-01",
        period_end="2023-02-28",
        seized_by="CBP",
        attributed_to="CBP",
    )
    v = checks.check_claim(c, record)
    assert v.measure.value == 5 * 1250 and v.verdict == "consistent"


def test_fiscal_year_seizure_in_kilograms_is_compared_in_pounds(record):
    c = claim(
        metric="drug_seized",
        substance="fentanyl",
        value=5443,
        unit="kg",
        qualifier="exact",
        period_start="2020-10-01",
        period_end="2021-09-30",
        seized_by="CBP",
    )
    v = checks.check_claim(c, record)
    assert v.measure.value == 12_000 and v.verdict == "consistent"  # 5,443 kg = 11,999.6 lb
    assert v.measure.window.startswith("fiscal year 2021")


def test_dea_seizure_is_never_checked_against_cbp(record):
    c = claim(
        metric="drug_seized",
        substance="fentanyl",
        value=12_000,
        unit="lb",
        qualifier="exact",
        period_start="2020-10-01",
        period_end="2021-09-30",
        seized_by="DEA",
    )
    v = checks.check_claim(c, record)
    assert v.verdict == "unverifiable" and v.measure is None and "DEA" in v.explanation


def test_seizure_window_outside_the_series_is_unverifiable(record):
    c = claim(
        metric="drug_seized",
        substance="fentanyl",
        value=1,
        unit="lb",
        period_start="2015-10-01",
        period_end="2016-09-30",
        seized_by="CBP",
    )
    assert checks.check_claim(c, record).verdict == "unverifiable"


def test_seizure_change_is_derived_from_both_periods(record):
    c = claim(
        metric="seizure_change",
        substance="fentanyl",
        value=25,
        unit="percent",
        qualifier="about",
        period_start="2021-10-01",
        period_end="2022-09-30",
        compared_to_start="2020-10-01",
        compared_to_end="2021-09-30",
        seized_by="CBP",
    )
    v = checks.check_claim(c, record)
    assert v.measure.value == pytest.approx(25.0) and v.verdict == "consistent"
    assert v.derivation == "15,000 pounds / 12,000 pounds - 1 = +25.0%"


def test_lethal_dose_is_a_reference_value(record):
    c = claim(
        metric="lethal_dose",
        substance="fentanyl",
        value=2,
        unit="mg",
        qualifier="exact",
        period_start=None,
        period_end=None,
        geography=None,
        attributed_to="DEA",
    )
    v = checks.check_claim(c, record)
    assert v.verdict == "consistent" and v.measure.kind == "reference"
    assert "not a measurement" in v.explanation


def test_potency_is_matched_on_what_it_is_relative_to(record):
    base = dict(
        metric="potency_ratio",
        substance="fentanyl",
        unit="times",
        qualifier="exact",
        period_start=None,
        period_end=None,
        geography=None,
    )
    assert checks.check_claim(claim(value=100, relative_to="morphine", **base), record).verdict == "consistent"
    assert checks.check_claim(claim(value=100, relative_to="heroin", **base), record).verdict == "unverifiable"


def test_kilogram_claim_is_checked_against_the_lethal_dose(record):
    c = claim(
        metric="deaths_per_mass",
        substance="fentanyl",
        value=500_000,
        unit="people",
        qualifier="nearly",
        per="kg",
        period_start=None,
        period_end=None,
        geography=None,
    )
    v = checks.check_claim(c, record)
    assert v.verdict == "consistent" and v.measure.value == 500_000 and v.measure.kind == "derived"
    assert v.derivation == "1 kg = 1,000,000 mg; 1,000,000 mg / 2 mg = 500,000 potentially lethal doses"


def test_share_of_deaths_is_derived_from_two_series(record):
    c = claim(
        metric="death_share",
        unit="percent",
        substance="fentanyl",
        value=70,
        qualifier="about",
        period_start="2022-01-01",
        period_end="2022-12-31",
    )
    v = checks.check_claim(c, record)
    assert v.measure.value == pytest.approx(74_829 / 109_413 * 100)
    assert v.verdict == "consistent"


def test_metric_without_series_is_unverifiable(record):
    c = claim(
        metric="death_rate", unit="per_100k", value=31.3, qualifier="exact", period_start="2023-01-01", period_end="2023-12-31"
    )
    assert checks.check_claim(c, record).verdict == "unverifiable"


def test_verdicts_frame_has_declared_columns(record):
    frame = checks.verdicts_frame([checks.check_claim(claim(), record)])
    assert list(frame.columns)[:8] == [
        "id",
        "verdict",
        "official_value",
        "official_unit",
        "official_measure",
        "official_window",
        "official_release",
        "official_series",
    ]
    assert frame.loc[0, "verdict"] == "consistent"


# ---------------------------------------------------------------- places


def test_a_state_claim_is_checked_against_that_states_count_not_the_nations():
    deaths = deaths_rows()
    texas = deaths[deaths["substance"] == "all_drugs"].assign(
        geography="TX", deaths_reported=pd.array([5_000] * 3, dtype="Int64")
    )
    record = OfficialRecord(pd.concat([deaths, texas], ignore_index=True), seizure_rows(), REFERENCE)
    in_texas = checks.check_claim(claim(value=4_800, geography="US-TX"), record)
    assert in_texas.verdict == "consistent" and in_texas.measure.value == 5_000
    assert "TX" in in_texas.measure.label
    assert checks.check_claim(claim(value=100_000, geography="US-TX"), record).verdict == "overstated"
    assert checks.check_claim(claim(value=100_000, geography="US"), record).verdict == "consistent"
