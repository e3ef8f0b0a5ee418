"""Claim checks on tiny inline official records: each verdict, each qualifier, each period kind."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from drugstats.claims.models import Claim, Source
from drugstats.official import provenance, series
from drugstats.verdicts import checks, rates, transform
from drugstats.verdicts.checks import OfficialRecord, Tolerances, compare
from drugstats.verdicts.transform import claims_frame

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


def claim(cited=SOURCE, **over):
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
    return claims_frame([c], {"s": cited} if cited else {}).iloc[0]


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
    assert v.measure.value == 12_000 and v.verdict == "consistent"  # 5,443 kg = 11,999.8 lb
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
        direction="up",
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
    frame = transform.verdicts_frame([checks.check_claim(claim(), record)])
    assert list(frame.columns)[:8] == [
        "id",
        "verdict",
        "official_value",
        "official_unit",
        "official_measure",
        "official_window",
        "official_release",
        "official_release_estimated",
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
    assert "in Texas" in in_texas.measure.label
    assert checks.check_claim(claim(value=100_000, geography="US-TX"), record).verdict == "overstated"
    assert checks.check_claim(claim(value=100_000, geography="US"), record).verdict == "consistent"


# ---------------------------------------------------------------- what readers see: each explanation, word for word

DEATHS_2021 = "CDC's provisional count of drug overdose deaths in the United States for 12 months ending December 2021"
FENTANYL_LABEL = "deaths involving synthetic opioids other than methadone (T40.4, mostly illicit fentanyl)"
REVISED = " CDC's provisional counts have been revised since the claim was made (2023-04-13); this is the release of 2026-02-14."
# A calendar year with no final count held is judged on the provisional count of the 12 months ending December, and says so.
NO_FINAL = (
    " No NCHS final count of drug overdose deaths in the United States for 2021 is held, so this is the CDC provisional "
    "count of the 12 months ending December."
)


def test_consistent_explanation_names_the_claim_the_measure_its_window_and_the_revision(record):
    v = checks.check_claim(claim(), record)
    said = f"The claim (more than 100,000 deaths) is consistent with {DEATHS_2021}: 107,573 deaths."
    assert v.explanation == f"{said}{REVISED}{NO_FINAL}"


def test_overstated_exact_claim_is_stated_without_a_qualifier(record):
    v = checks.check_claim(claim(value=150_000, qualifier="exact", claimed_on="2026-03-01"), record)
    assert v.verdict == "overstated"
    assert v.explanation == f"The claim (150,000 deaths) overstates {DEATHS_2021}: 107,573 deaths.{NO_FINAL}"


def test_understated_explanation_spells_the_qualifier_in_words(record):
    v = checks.check_claim(claim(value=50_000, qualifier="at_least", claimed_on="2026-03-01"), record)
    assert v.verdict == "understated"
    assert v.explanation == f"The claim (at least 50,000 deaths) understates {DEATHS_2021}: 107,573 deaths.{NO_FINAL}"


def test_wrong_measure_explanation_names_both_measures(record):
    v = checks.check_claim(
        claim(substance="fentanyl", value=105_000, unit="people", period_start="2022-02-01", period_end="2023-01-31"), record
    )
    assert v.explanation == (
        f"The claim's number does not fit CDC's provisional count of {FENTANYL_LABEL} in the United States "
        "for 12 months ending January 2023 (75,390 deaths) but fits another measure: "
        "CDC's provisional count of drug overdose deaths in the United States, 109,745 deaths."
    )
    assert v.alternative.substance == "all_drugs" and v.measure.substance == "fentanyl"
    assert v.ratio == pytest.approx(105_000 / 75_390)  # the ratio stays against the measure the claim names


def test_all_drug_deaths_claim_quoting_the_fentanyl_count_is_wrong_measure(record):
    # all_drugs comes first among the alternatives and is skipped; opioids (83,264) does not fit, fentanyl does.
    v = checks.check_claim(claim(value=75_000, qualifier="exact", period_start="2022-02-01", period_end="2023-01-31"), record)
    assert v.verdict == "wrong_measure"
    assert v.measure.value == 109_745 and v.alternative.substance == "fentanyl" and v.alternative.value == 75_390


def test_consistent_claim_stays_consistent_when_another_measure_also_fits(record):
    # "more than 76,000" fits fentanyl (75,390) and also any opioid (83,264): the measure the claim names wins.
    v = checks.check_claim(claim(substance="fentanyl", value=76_000, period_start="2022-02-01", period_end="2023-01-31"), record)
    assert v.verdict == "consistent" and v.alternative is None


def test_alternative_measures_are_judged_with_the_tolerances_given(record):
    c = claim(substance="fentanyl", value=100_000, qualifier="exact", period_start="2022-02-01", period_end="2023-01-31")
    assert checks.check_claim(c, record).verdict == "overstated"
    loose = checks.check_claim(c, record, Tolerances(exact=0.10))  # 100,000 is within 10% of all drug deaths, 109,745
    assert loose.verdict == "wrong_measure" and loose.alternative.value == 109_745


def texas_record():
    deaths = deaths_rows()
    texas = deaths.assign(geography="TX", deaths_reported=deaths["deaths_reported"] // 20)  # all drugs 5,487, fentanyl 3,769
    return OfficialRecord(pd.concat([deaths, texas], ignore_index=True), seizure_rows(), REFERENCE)


def test_a_state_claim_quoting_another_measure_is_matched_against_that_states_measures():
    c = claim(substance="fentanyl", value=5_500, geography="US-TX", period_start="2022-02-01", period_end="2023-01-31")
    v = checks.check_claim(c, texas_record())
    assert v.verdict == "wrong_measure" and v.alternative.value == 109_745 // 20
    assert v.alternative.label == "CDC's provisional count of drug overdose deaths in Texas"


def test_a_states_share_is_of_that_states_deaths():
    c = claim(
        metric="death_share",
        unit="percent",
        substance="fentanyl",
        value=68,
        qualifier="about",
        geography="US-TX",
        period_start="2022-01-01",
        period_end="2022-12-31",
    )
    v = checks.check_claim(c, texas_record())
    assert v.measure.value == pytest.approx((74_829 // 20) / (109_413 // 20) * 100)
    assert v.derivation == "3,741 deaths / 5,470 deaths = 68.4%"


def test_fentanyl_explanation_says_how_death_statistics_count_fentanyl(record):
    v = checks.check_claim(claim(substance="fentanyl", value=150_000, period_start="2022-02-01", period_end="2023-01-31"), record)
    assert v.explanation == (
        f"The claim (more than 150,000 deaths) overstates CDC's provisional count of {FENTANYL_LABEL} in the United States "
        f"for 12 months ending January 2023: 75,390 deaths.{REVISED}"
        " Death statistics count fentanyl as synthetic opioids other than methadone (ICD-10 T40.4)."
    )


SEIZED = dict(metric="drug_seized", substance="fentanyl", unit="lb", seized_by="CBP", attributed_to="CBP")
CHANGE = dict(metric="seizure_change", substance="fentanyl", unit="percent", qualifier="about", seized_by="CBP", direction="up")
REFERENCE_CLAIM = dict(period_start=None, period_end=None, geography=None, attributed_to="DEA", qualifier="exact")


@pytest.mark.parametrize(
    ("over", "explanation"),
    [
        (dict(period_start=None, period_end=None), "The claim gives no period, so no official count can be matched."),
        (
            dict(period_start="2021-01-01", period_end="2021-06-30"),
            "CDC publishes 12-month totals; the claim's period (January 2021 to June 2021) is not a 12-month window, "
            "so no official count covers it.",
        ),
        (
            dict(period_start="2010-01-01", period_end="2010-12-31"),
            "No official series in drugstats covers drug overdose deaths in the United States for calendar year 2010.",
        ),
        (
            dict(geography="US-TX"),
            "No official series in drugstats covers drug overdose deaths in Texas for calendar year 2021.",
        ),
        (
            SEIZED | dict(seized_by="HSI"),
            "drugstats holds CBP's seizure series only; a figure for HSI is never checked against CBP's data.",
        ),
        (
            SEIZED | dict(period_start=None, period_end=None),
            "The claim gives no exact period, so CBP's monthly counts cannot be summed for it.",
        ),
        (
            SEIZED | dict(period_start="2015-10-01", period_end="2016-09-30"),
            "CBP's monthly series does not cover fiscal year 2016 (October 2015 to September 2016).",
        ),
        (
            SEIZED | dict(unit="pills", period_start="2021-10-01", period_end="2022-09-30"),
            "CBP reports seizures by weight; a count of pills cannot be compared with it.",
        ),
        (
            CHANGE | dict(period_start="2021-10-01", period_end="2022-09-30"),
            "The claim does not say which earlier period the change is measured from.",
        ),
        (
            CHANGE
            | dict(
                period_start="2021-10-01",
                period_end="2022-09-30",
                compared_to_start="2015-10-01",
                compared_to_end="2016-09-30",
            ),
            "CBP's monthly series does not cover both periods of the comparison.",
        ),
        (
            CHANGE
            | dict(
                period_start="2015-10-01",
                period_end="2016-09-30",
                compared_to_start="2020-10-01",
                compared_to_end="2021-09-30",
            ),
            "CBP's monthly series does not cover both periods of the comparison.",
        ),
        (
            dict(metric="death_share", unit="percent", period_start=None, period_end=None),
            "The claim gives no period, so no official share can be computed.",
        ),
        (
            dict(metric="death_share", unit="percent", substance="heroin", period_start="2022-01-01", period_end="2022-12-31"),
            "No official series covers both heroin and all drug deaths for calendar year 2022.",
        ),
        (
            dict(metric="death_share", unit="percent", substance="heroin", period_start="2010-01-01", period_end="2010-12-31"),
            "No official series covers both heroin and all drug deaths for calendar year 2010.",
        ),
        (
            REFERENCE_CLAIM | dict(metric="pill_content", substance="fentanyl", value=2, unit="mg"),
            "drugstats holds no reference value for pill_content of fentanyl.",
        ),
        (
            REFERENCE_CLAIM | dict(metric="deaths_per_mass", substance="heroin", value=1, unit="people", per="kg"),
            "No lethal-dose reference value for heroin to derive it from.",
        ),
        (
            dict(metric="death_rate", unit="per_100k", value=31.3, period_start="2023-01-01", period_end="2023-12-31"),
            rates.RATE_NOTE,  # the record of these tests holds no populations
        ),
    ],
)
def test_unverifiable_explanation_says_why_for_each_gap(record, over, explanation):
    v = checks.check_claim(claim(**over), record)
    assert (v.claim_id, v.verdict, v.measure, v.ratio) == ("c", "unverifiable", None, None)
    assert v.explanation == explanation


def test_reference_explanation_says_a_reference_value_is_not_a_measurement(record):
    v = checks.check_claim(claim(**REFERENCE_CLAIM, metric="lethal_dose", substance="fentanyl", value=2, unit="mg"), record)
    assert v.explanation == (
        "The claim (2 milligrams) is consistent with the reference value of the DEA (potentially lethal dose of fentanyl): "
        "2 milligrams. A reference value is an agency's stated figure, not a measurement."
    )
    assert v.revised_since is False


def test_seizure_explanation_states_the_claim_in_the_pounds_cbp_publishes(record):
    c = claim(**SEIZED | dict(unit="kg", value=5443, qualifier="exact", period_start="2020-10-01", period_end="2021-09-30"))
    v = checks.check_claim(c, record)
    assert v.explanation == (
        "The claim (11,999.8 pounds) is consistent with CBP's nationwide total of fentanyl seized at and between ports of "
        "entry for fiscal year 2021 (October 2020 to September 2021): 12,000 pounds."
    )
    assert v.ratio == pytest.approx(5443 / 0.45359237 / 12_000)


# ---------------------------------------------------------------- the provisional tolerance


def test_exact_count_gets_the_provisional_allowance_either_side():
    assert compare(104, "exact", 100) == "overstated"
    assert compare(104, "exact", 100, provisional=True) == "consistent"
    assert compare(104.5, "exact", 100, provisional=True) == "overstated"
    assert compare(96, "exact", 100, provisional=True) == "consistent"
    assert compare(95.5, "exact", 100, provisional=True) == "understated"


def test_provisional_allowance_never_narrows_the_rounding_allowance():
    loose = Tolerances(exact=0.05, provisional=0.01)
    assert compare(105, "exact", 100, loose, provisional=True) == "consistent"


def test_provisional_allowance_leaves_bounded_qualifiers_alone():
    assert compare(100, "more_than", 97, provisional=True) == "overstated"  # 3% above, past the 2% rounding slack


def test_exact_annual_count_within_four_percent_of_cdcs_provisional_count_is_consistent(record):
    v = checks.check_claim(claim(value=111_000, qualifier="exact"), record)  # 3.2% above 107,573
    assert v.verdict == "consistent"
    assert checks.check_claim(claim(value=112_000, qualifier="exact"), record).verdict == "overstated"  # 4.1% above


def test_provisional_allowance_is_not_given_to_a_share_derived_from_cdc_counts(record):
    c = claim(
        metric="death_share",
        unit="percent",
        substance="fentanyl",
        value=70.5,
        qualifier="exact",
        period_start="2022-01-01",
        period_end="2022-12-31",
    )
    assert checks.check_claim(c, record).verdict == "overstated"  # 3.1% above 68.4%


def test_provisional_allowance_is_not_given_to_seizures(record):
    c = claim(**SEIZED | dict(value=15_450, qualifier="exact", period_start="2021-10-01", period_end="2022-09-30"))
    assert checks.check_claim(c, record).verdict == "overstated"  # 3% above 15,000 lb


# ---------------------------------------------------------------- revised_since


def test_claim_made_after_the_release_is_not_revised_since(record):
    for claimed_on in ("2026-02-14", "2026-03-01"):
        v = checks.check_claim(claim(claimed_on=claimed_on), record)
        assert not v.revised_since and "revised" not in v.explanation


def test_without_a_claim_date_the_sources_publication_day_dates_the_claim(record):
    v = checks.check_claim(claim(claimed_on=None), record)  # the source was published 2024-02-01
    assert v.revised_since
    assert v.explanation.endswith(
        " CDC's provisional counts have been revised since the claim was made (2024-02-01); this is the release of 2026-02-14."
        + NO_FINAL
    )


def test_a_source_dated_only_to_the_month_leaves_the_claim_undated(record):
    c = claim(claimed_on=None, cited=SOURCE.model_copy(update={"published": "2024-02"}))
    assert checks.check_claim(c, record).revised_since is False


def test_a_claim_with_no_date_and_no_source_on_file_is_not_called_revised(record):
    assert checks.check_claim(claim(claimed_on=None, cited=None), record).revised_since is False


def test_seizure_figures_are_never_called_revised(record):
    dated = OfficialRecord(record.deaths, record.seizures, record.reference, {"cbp-seizures": dataset_meta("2026-01-10")})
    c = claim(**SEIZED | dict(value=15_000, qualifier="exact", period_start="2021-10-01", period_end="2022-09-30"))
    v = checks.check_claim(c, dated)  # claimed 2023-04-13, CBP release 2026-01-10
    assert v.measure.release == "2026-01-10" and v.revised_since is False


# ---------------------------------------------------------------- official measures, field by field


def dataset_meta(release, dataset="cbp-seizures", producer="CBP", title="Drug Seizure Statistics", url="https://example.org/cbp"):
    raw = provenance.RawFile("f.csv", "F", release, "stated", None, "2026-11-22", 1, "0" * 64)
    return provenance.DatasetMeta(dataset, producer, title, url, "public domain", (raw,))


def test_official_record_release_and_citation_come_from_the_datasets_metadata(record):
    dated = OfficialRecord(
        record.deaths, record.seizures, record.reference, {"cbp-seizures": dataset_meta("2026-01-10"), "x": dataset_meta(None)}
    )
    assert dated.release("cbp-seizures") == "2026-01-10"
    assert dated.release("x") == ""  # metadata without a stated release
    assert dated.release("cdc-vsrr") == ""  # no metadata at all
    assert dated.citation("cbp-seizures") == "CBP, Drug Seizure Statistics, https://example.org/cbp"
    assert dated.citation("cdc-vsrr") == "cdc-vsrr"  # without metadata, the dataset id


def test_official_record_from_series_keeps_each_frame_in_its_place(record):
    datasets = {"cbp-seizures": dataset_meta("2026-01-10")}
    official = series.Series(record.deaths, record.seizures, record.reference, datasets)
    built = OfficialRecord.from_series(official)
    assert built.deaths is record.deaths and built.seizures is record.seizures
    assert built.reference is record.reference and built.datasets is datasets


def test_deaths_measure_carries_its_window_release_and_citation(record):
    cited = replace(
        record, datasets={"cdc-vsrr": dataset_meta("2026-02-14", "cdc-vsrr", "NCHS", "VSRR", "https://example.org/cdc")}
    )
    measure = checks.deaths_measure(cited, "all_drugs", "US", date(2021, 1, 1), date(2021, 12, 31))
    assert measure == checks.Measure(
        value=107_573.0,
        unit="deaths",
        label="CDC's provisional count of drug overdose deaths in the United States",
        window="12 months ending December 2021",
        series="cdc-vsrr",
        release="2026-02-14",
        kind="measurement",
        window_start=date(2021, 1, 1),
        window_end=date(2021, 12, 31),
        citation="NCHS, VSRR, https://example.org/cdc",
        substance="all_drugs",
    )


CY21 = (date(2021, 1, 1), date(2021, 12, 31))


def older_release(record):
    old = record.deaths.assign(release=pd.Timestamp("2025-01-15"), deaths_reported=record.deaths["deaths_reported"] - 1000)
    return replace(record, deaths=pd.concat([record.deaths, old], ignore_index=True))


def test_deaths_measure_takes_the_newest_release_unless_one_is_named(record):
    two = older_release(record)
    newest = checks.deaths_measure(two, "all_drugs", "US", date(2021, 1, 1), date(2021, 12, 31))
    named = checks.deaths_measure(two, "all_drugs", "US", date(2021, 1, 1), date(2021, 12, 31), release="2025-01-15")
    assert (newest.value, newest.release) == (107_573, "2026-02-14")
    assert (named.value, named.release) == (106_573, "2025-01-15")


def test_deaths_measure_names_a_substance_outside_the_labels_in_words():
    deaths = deaths_rows().assign(substance="benzodiazepines")
    measure = checks.deaths_measure(OfficialRecord(deaths, seizure_rows(), REFERENCE), "benzodiazepines", "US", *CY21)
    assert measure.label == "CDC's provisional count of deaths involving benzodiazepines in the United States"


def test_deaths_measure_is_none_without_a_reported_count_or_a_known_substance(record):
    suppressed = record.deaths.assign(deaths_reported=pd.array([None] * len(record.deaths), dtype="Int64"))
    assert checks.deaths_measure(replace(record, deaths=suppressed), "all_drugs", "US", *CY21) is None
    assert checks.deaths_measure(record, "marijuana", "US", *CY21) is None  # not a death-statistics substance
    assert checks.deaths_measure(record, "all_drugs", "US", date(2021, 1, 1), date(2021, 11, 30)) is None


def test_seizures_measure_sums_the_months_and_cites_cbp(record):
    cited = replace(record, datasets={"cbp-seizures": dataset_meta("2026-01-10")})
    assert checks.seizures_measure(cited, "fentanyl", date(2021, 10, 1), date(2022, 9, 30)) == checks.Measure(
        value=15_000.0,
        unit="lb",
        label="CBP's nationwide total of fentanyl seized at and between ports of entry",
        window="fiscal year 2022 (October 2021 to September 2022)",
        series="cbp-seizures",
        release="2026-01-10",
        window_start=date(2021, 10, 1),
        window_end=date(2022, 9, 30),
        citation="CBP, Drug Seizure Statistics, https://example.org/cbp",
        substance="fentanyl",
    )


def test_seizures_measure_is_none_for_part_months_or_a_backwards_window(record):
    assert checks.seizures_measure(record, "fentanyl", date(2021, 10, 5), date(2022, 9, 30)) is None
    assert checks.seizures_measure(record, "fentanyl", date(2022, 10, 1), date(2021, 9, 30)) is None


def test_reference_measure_is_in_the_metrics_canonical_unit_and_cites_its_publisher():
    reference = pd.concat(
        [
            REFERENCE.assign(value=[0.002, 100], unit=["g", "times"]),
            REFERENCE.iloc[[1]].assign(relative_to="heroin", value=50, figure="Fentanyl potency vs heroin"),
        ],
        ignore_index=True,
    )
    record = OfficialRecord(deaths_rows(), seizure_rows(), reference)
    assert checks.reference_measure(record, "lethal_dose", "fentanyl") == checks.Measure(
        value=2.0,
        unit="mg",
        label="the reference value of the DEA (potentially lethal dose of fentanyl)",
        window="",
        series="reference",
        release="2024-05-09",
        kind="reference",
        citation="DEA, NDTA, https://example.org/dea",
    )
    assert checks.reference_measure(record, "potency_ratio", "fentanyl", "heroin").value == 50
    assert checks.reference_measure(record, "potency_ratio", "fentanyl", "morphine").value == 100
    assert checks.reference_measure(record, "potency_ratio", "heroin") is None


# ---------------------------------------------------------------- derived measures


def test_seizure_rise_explanation_compares_with_the_earlier_period(record):
    c = claim(
        **CHANGE
        | dict(
            value=25,
            period_start="2021-10-01",
            period_end="2022-09-30",
            compared_to_start="2020-10-01",
            compared_to_end="2021-09-30",
        )
    )
    assert checks.check_claim(c, record).explanation == (
        "The claim (about 25 percent) is consistent with the increase in CBP's nationwide total of fentanyl seized over "
        "fiscal year 2021 (October 2020 to September 2021) for fiscal year 2022 (October 2021 to September 2022): 25 percent."
    )


def test_a_rise_of_under_one_percent_is_still_an_increase(record):
    slight = record.seizures.assign(
        seized_lb=[1000.0 if m < pd.Timestamp("2021-10-01") else 1005.0 for m in record.seizures["month"]]
    )
    c = claim(
        **CHANGE
        | dict(
            value=0.5,
            period_start="2021-10-01",
            period_end="2022-09-30",
            compared_to_start="2020-10-01",
            compared_to_end="2021-09-30",
        )
    )
    v = checks.check_claim(c, replace(record, seizures=slight))
    assert v.derivation == "12,060 pounds / 12,000 pounds - 1 = +0.5%"
    assert v.measure.label.startswith("the increase in")


def test_seizure_fall_is_a_decrease_with_its_derivation(record):
    c = claim(
        **CHANGE
        | dict(
            value=20,
            qualifier="exact",
            period_start="2020-10-01",
            period_end="2021-09-30",
            compared_to_start="2021-10-01",
            compared_to_end="2022-09-30",
            direction="down",
        )
    )
    v = checks.check_claim(c, record)
    assert v.verdict == "consistent" and v.measure.value == pytest.approx(20) and v.measure.kind == "derived"
    assert v.measure.unit == "percent" and v.measure.series == "cbp-seizures"
    assert v.derivation == "12,000 pounds / 15,000 pounds - 1 = -20.0%"
    assert v.explanation == (
        "The claim (20 percent) is consistent with the decrease in CBP's nationwide total of fentanyl seized over "
        "fiscal year 2022 (October 2021 to September 2022) for fiscal year 2021 (October 2020 to September 2021): 20.0 percent."
    )


def test_seizure_change_from_a_period_with_nothing_seized_is_unverifiable(record):
    none_before = record.seizures.copy()
    none_before.loc[none_before["month"] < pd.Timestamp("2021-10-01"), "seized_lb"] = 0.0
    c = claim(
        **CHANGE
        | dict(
            value=25,
            period_start="2021-10-01",
            period_end="2022-09-30",
            compared_to_start="2020-10-01",
            compared_to_end="2021-09-30",
        )
    )
    v = checks.check_claim(c, replace(record, seizures=none_before))
    assert v.verdict == "unverifiable" and v.explanation == "CBP's monthly series does not cover both periods of the comparison."


def test_seizure_claim_against_nothing_seized_is_overstated_with_no_ratio(record):
    nothing = record.seizures.assign(seized_lb=0.0)
    c = claim(**SEIZED | dict(value=100, qualifier="exact", period_start="2021-10-01", period_end="2022-09-30"))
    v = checks.check_claim(c, replace(record, seizures=nothing))
    assert v.verdict == "overstated" and math.isnan(v.ratio)


def test_share_explanation_and_derivation_show_both_counts(record):
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
    assert v.derivation == "74,829 deaths / 109,413 deaths = 68.4%"
    assert v.measure.kind == "derived" and v.measure.unit == "percent" and v.measure.series == "cdc-vsrr"
    assert v.explanation == (
        "The claim (about 70 percent) is consistent with the share of drug overdose deaths involving synthetic opioids "
        "other than methadone (T40.4, mostly illicit fentanyl), from CDC's provisional counts for 12 months ending "
        "December 2022: 68.4 percent."
        " CDC's provisional counts have been revised since the claim was made (2023-04-13); this is the release of 2026-02-14."
    )


def test_share_takes_both_counts_from_one_release(record):
    # The newest release has a fentanyl count but no all-drug count for 2022: the share must not mix the two releases.
    newer = record.deaths[record.deaths["substance"] == "fentanyl"].assign(
        release=pd.Timestamp("2026-06-14"), deaths_reported=pd.array([90_000] * 3, dtype="Int64")
    )
    c = claim(
        metric="death_share",
        unit="percent",
        substance="fentanyl",
        value=70,
        qualifier="about",
        period_start="2022-01-01",
        period_end="2022-12-31",
    )
    v = checks.check_claim(c, replace(record, deaths=pd.concat([record.deaths, newer], ignore_index=True)))
    assert v.measure.value == pytest.approx(74_829 / 109_413 * 100) and v.measure.release == "2026-02-14"


def test_share_of_a_substance_outside_the_labels_is_named_in_words():
    deaths = deaths_rows()
    deaths = pd.concat([deaths, deaths[deaths["substance"] == "fentanyl"].assign(substance="benzodiazepines")])
    c = claim(
        metric="death_share",
        unit="percent",
        substance="benzodiazepines",
        value=68,
        qualifier="about",
        period_start="2022-01-01",
        period_end="2022-12-31",
    )
    v = checks.check_claim(c, OfficialRecord(deaths, seizure_rows(), REFERENCE))
    assert v.measure.label == "the share of drug overdose deaths involving benzodiazepines, from CDC's provisional counts"


def per_mass_claim(**over):
    return claim(
        **REFERENCE_CLAIM
        | dict(metric="deaths_per_mass", substance="fentanyl", value=500_000, unit="people", qualifier="nearly", per="kg")
        | over
    )


def test_per_mass_explanation_shows_the_arithmetic_and_what_a_dose_is_not(record):
    v = checks.check_claim(per_mass_claim(), record)
    assert (
        v.measure.label
        == "the number of 2 mg doses in 1 kg, from the reference value of the DEA (potentially lethal dose of fentanyl)"
    )
    assert v.measure.unit == "doses" and v.ratio == pytest.approx(1.0)
    assert v.explanation == (
        "The claim (nearly 500,000 doses) is consistent with the number of 2 mg doses in 1 kg, from the reference value of "
        "the DEA (potentially lethal dose of fentanyl): 500,000 doses. "
        "1 kg = 1,000,000 mg; 1,000,000 mg / 2 mg = 500,000 potentially lethal doses. "
        "A potentially lethal dose is not a death, and seized powder is not pure fentanyl: "
        "this is arithmetic on a reference value, not a count of deaths."
    )


def test_per_mass_derivation_follows_the_reference_dose():
    record = OfficialRecord(deaths_rows(), seizure_rows(), REFERENCE.assign(value=[3, 100]))
    v = checks.check_claim(per_mass_claim(value=333, per="g"), record)  # 333 per gram is 333,000 per kilogram
    assert v.verdict == "consistent" and v.measure.value == pytest.approx(1_000_000 / 3)
    assert v.derivation == "1 kg = 1,000,000 mg; 1,000,000 mg / 3 mg = 333,333 potentially lethal doses"


def test_potency_explanation_is_in_times(record):
    c = claim(
        **REFERENCE_CLAIM | dict(metric="potency_ratio", substance="fentanyl", value=50, unit="times", relative_to="morphine")
    )
    v = checks.check_claim(c, record)
    assert v.verdict == "understated" and v.ratio == pytest.approx(0.5)
    assert v.explanation == (
        "The claim (50 times) understates the reference value of the DEA (fentanyl potency vs morphine): 100 times."
        " A reference value is an agency's stated figure, not a measurement."
    )


# ---------------------------------------------------------------- the verdicts table


def test_verdicts_frame_has_one_typed_row_per_verdict():
    deaths = checks.Measure(109_745.0, "deaths", "all deaths", "12 months ending January 2023", "cdc-vsrr", "2026-02-14")
    fentanyl = replace(deaths, value=75_390.0, label="fentanyl deaths")
    share = replace(deaths, value=68.4, unit="percent", label="share", kind="derived")
    verdicts = [
        checks.Verdict(
            "a",
            "wrong_measure",
            "text a",
            fentanyl,
            105_000 / 75_390,
            revised_since=True,
            alternative=deaths,
            verdict_at_claim="overstated",
            measure_at_claim=replace(fentanyl, value=70_000.0, release="2023-03-15", release_estimated=True),
        ),
        checks.Verdict("b", "unverifiable", "text b"),
        checks.Verdict("c", "consistent", "text c", share, 0.5, derivation="1 / 2"),
    ]
    expected = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "verdict": ["wrong_measure", "unverifiable", "consistent"],
            "official_value": [75_390.0, None, 68.4],
            "official_unit": ["deaths", None, "percent"],
            "official_measure": ["fentanyl deaths", None, "share"],
            "official_window": ["12 months ending January 2023", None, "12 months ending January 2023"],
            "official_release": ["2026-02-14", None, "2026-02-14"],
            "official_release_estimated": [False, None, False],
            "official_release_name": ["2026-02-14", None, "2026-02-14"],
            "official_series": ["cdc-vsrr", None, "cdc-vsrr"],
            "official_kind": ["measurement", None, "derived"],
            "ratio": [1.3928, None, 0.5],  # rounded to 4 places
            "derivation": [None, None, "1 / 2"],
            "revised_since": [True, False, False],
            "alternative_measure": ["all deaths", None, None],
            "alternative_value": [109_745.0, None, None],
            "verdict_at_claim": ["overstated", None, None],
            "official_value_at_claim": [70_000.0, None, None],
            "release_at_claim": ["2023-03-15", None, None],
            "release_at_claim_estimated": [True, None, None],
            "release_at_claim_name": ["about March 2023 (estimated)", None, None],
            "explanation": ["text a", "text b", "text c"],
        }
    )
    kinds = {
        "official_value": "Float64",
        "ratio": "Float64",
        "alternative_value": "Float64",
        "official_value_at_claim": "Float64",
        "revised_since": "boolean",
        "official_release_estimated": "boolean",
        "release_at_claim_estimated": "boolean",
    }
    expected = expected.astype({c: kinds.get(c, "string") for c in expected.columns})
    pd.testing.assert_frame_equal(transform.verdicts_frame(verdicts), expected)


def test_check_all_gives_one_verdict_per_claim_in_order(record):
    claims = pd.DataFrame([claim(id="first"), claim(id="second", value=150_000)])
    assert [(v.claim_id, v.verdict) for v in checks.check_all(claims, record)] == [
        ("first", "consistent"),
        ("second", "overstated"),
    ]
    loose = Tolerances(exact=0.5)
    assert checks.check_all(claims.iloc[[1]], record, loose)[0].verdict == "consistent"  # the tolerances are passed on


# ---------------------------------------------------------------- small pieces


@pytest.mark.parametrize(
    ("value", "digits"),
    [(30, 1), (14_700, 3), (2.4, 2), (0.05, 1), (0.0203, 3), (-120, 2), (0, 1), (100.5, 4), (1_000_000, 1)],
)
def test_significant_digits_of_a_stated_number(value, digits):
    assert checks.significant_digits(value) == digits


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1234.5, "lb", "1,234.5 pounds"),
        (1234.0, "lb", "1,234 pounds"),
        (12.6, "deaths", "13 deaths"),  # a count is never shown with a fraction
        (25.04, "percent", "25.0 percent"),
        (2.0, "mg", "2 milligrams"),
        (2.7, "doses", "3 doses"),  # a unit outside the vocabulary is shown as written, as a count
        (500_000.0, "doses", "500,000 doses"),
    ],
)
def test_fmt_writes_counts_whole_and_other_quantities_to_one_decimal(value, unit, text):
    assert checks.fmt(value, unit) == text


def test_compare_against_an_official_zero():
    assert compare(5, "exact", 0) == "overstated"
    assert compare(0.5, "about", 0) == "overstated"
    assert compare(0, "exact", 0) == "consistent"
    assert compare(0.5, "exact", 0.5) == "consistent"  # a small positive official value is compared as usual
    assert compare(0.5, "exact", 0.6) == "understated"


def test_compare_edges_are_inside_the_allowance():
    assert compare(98, "exact", 100) == "consistent"  # exactly 2% below


def test_a_one_digit_about_is_allowed_coarser_rounding():
    assert compare(30, "about", 27.5) == "consistent"  # "about 30 percent" for 27.5%: 10% allowance
    assert compare(31, "about", 27.5) == "overstated"  # two digits: the 5% allowance


def test_compare_rejects_an_unknown_qualifier():
    with pytest.raises(ValueError, match="unknown qualifier 'roughly'"):
        compare(1, "roughly", 1)


def test_single_month_window_is_named_once():
    assert checks.describe_window(date(2024, 2, 1), date(2024, 2, 29)) == "February 2024"
    assert checks.describe_window(date(2024, 1, 1), date(2024, 2, 29)) == "January 2024 to February 2024"


# ---------------------------------------------------------------- the verdict at the time of the claim


def _vsrr_meta(*releases: tuple[str, bool]) -> provenance.DatasetMeta:
    files = tuple(
        provenance.RawFile(f"f{i}.csv", "t", day, "b", None, "2026-11-30", 1, "0" * 64, compiled_from="x", release_estimated=est)
        for i, (day, est) in enumerate(releases)
    )
    return provenance.DatasetMeta("cdc-vsrr", "CDC", "VSRR", None, "public domain", files)


def test_a_claim_is_also_checked_against_the_release_of_its_day(record):
    # The release of the claim's day counted 20,000 fewer: "more than 105,000" was overstated then, consistent now.
    old = record.deaths.assign(release=pd.Timestamp("2025-01-15"), deaths_reported=record.deaths["deaths_reported"] - 20_000)
    two = replace(record, deaths=pd.concat([record.deaths, old], ignore_index=True))
    v = checks.check_claim(claim(claimed_on="2025-02-01", qualifier="more_than", value=105_000), two)
    assert (v.verdict, v.measure.value, v.measure.release) == ("consistent", 107_573, "2026-02-14")
    assert (v.verdict_at_claim, v.measure_at_claim.value, v.measure_at_claim.release) == ("overstated", 87_573, "2025-01-15")
    assert v.explanation.endswith(
        " At the time, in the release of 2025-01-15, CDC counted 87,573 deaths; today it counts 107,573."
    )
    # The metadata say the older release's date is our estimate: the sentence says so, the newest stays a date.
    estimated = replace(two, datasets={"cdc-vsrr": _vsrr_meta(("2026-02-14", False), ("2025-01-15", True))})
    v = checks.check_claim(claim(claimed_on="2025-02-01", qualifier="more_than", value=105_000), estimated)
    assert "this is the release of 2026-02-14." in v.explanation
    assert v.explanation.endswith(
        " At the time, in the release of about January 2025 (estimated), CDC counted 87,573 deaths; today it counts 107,573."
    )
    row = transform.verdicts_frame([v]).iloc[0]
    assert (row["verdict_at_claim"], row["official_value_at_claim"], row["release_at_claim"]) == (
        "overstated",
        87_573,
        "2025-01-15",
    )


def test_without_a_release_of_the_claims_day_the_columns_stay_empty(record):
    two = older_release(record)
    v = checks.check_claim(claim(claimed_on="2024-06-01"), two)  # before either release
    assert (v.verdict_at_claim, v.measure_at_claim) == (None, None)
    assert "At the time" not in v.explanation
    row = transform.verdicts_frame([v]).iloc[0]
    assert row[["verdict_at_claim", "official_value_at_claim", "release_at_claim"]].isna().all()


def test_a_claim_after_the_newest_release_is_held_to_it_and_says_nothing_more(record):
    two = older_release(record)
    v = checks.check_claim(claim(claimed_on="2026-03-01"), two)
    assert (v.verdict_at_claim, v.measure_at_claim.release) == (v.verdict, "2026-02-14")
    assert "At the time" not in v.explanation


def test_the_release_of_the_claims_day_without_its_window_leaves_the_columns_empty(record):
    old = record.deaths[record.deaths["period_end"] != pd.Timestamp("2021-12-31")].assign(release=pd.Timestamp("2025-01-15"))
    two = replace(record, deaths=pd.concat([record.deaths, old], ignore_index=True))
    v = checks.check_claim(claim(claimed_on="2025-02-01"), two)
    assert (v.verdict_at_claim, v.measure_at_claim) == (None, None)
    assert v.explanation.endswith(
        " At the time, the release of 2025-01-15 had no count of drug overdose deaths in the United States for 12 months "
        "ending December 2021, so only today's figure is given."
    )


def test_a_share_is_also_checked_against_the_release_of_its_day(record):
    # In the release of the claim's day fentanyl counted 20,000 fewer: "about 70%" was understated then (50.1%).
    older = record.deaths.assign(release=pd.Timestamp("2025-01-15"))
    older["deaths_reported"] = older["deaths_reported"].where(older["substance"] != "fentanyl", older["deaths_reported"] - 20_000)
    two = replace(record, deaths=pd.concat([record.deaths, older], ignore_index=True))
    share = dict(metric="death_share", unit="percent", substance="fentanyl", value=70, qualifier="about")
    v = checks.check_claim(claim(claimed_on="2025-02-01", period_start="2022-01-01", period_end="2022-12-31", **share), two)
    assert (v.verdict, v.measure.release) == ("consistent", "2026-02-14")
    assert v.verdict_at_claim == "overstated" and v.measure_at_claim.release == "2025-01-15"
    assert v.measure_at_claim.value == pytest.approx(54_829 / 109_413 * 100)
    assert v.explanation.endswith(" At the time, in the release of 2025-01-15, the share was 50.1%; today it is 68.4%.")


def test_a_release_long_before_the_claim_is_not_the_release_of_its_day(record):
    two = older_release(record)  # releases of 2025-01-15 and 2026-02-14
    v = checks.check_claim(claim(claimed_on="2025-12-01"), two)  # monthly releases in between are not held
    assert (v.verdict_at_claim, v.measure_at_claim) == (None, None)
    assert "At the time" not in v.explanation
    v = checks.check_claim(claim(claimed_on="2025-03-01"), two)
    assert v.measure_at_claim.release == "2025-01-15"


@pytest.mark.parametrize(
    ("stated", "qualifier", "official", "said"),
    [
        (11_000, "more_than", 10_957, " The official figure is 0.4% below the claim's bound,"),  # rounded up by 43
        (250, "less_than", 254, " The official figure is 1.6% above the claim's bound,"),
        (11_000, "more_than", 11_200, ""),  # inside the bound: nothing to explain
        (11_000, "exact", 10_957, ""),  # an exact figure's rounding is its own sentence-free case
        (11_000, "more_than", 10_000, ""),  # outside even the slack: overstated, no such sentence
    ],
)
def test_a_bounded_claim_just_past_its_bound_says_why_it_is_still_consistent(stated, qualifier, official, said):
    outcome = compare(stated, qualifier, official, checks.DEFAULT_TOLERANCES)
    text = checks.slack_sentence(stated, qualifier, official, outcome)
    assert text.startswith(said) if said else text == ""
    if said:
        assert outcome == "consistent" and text.endswith(
            "within what drugstats allows for a rounded figure (see Sources and method)."
        )


def test_the_explanation_of_a_consistent_claim_past_its_bound_carries_the_slack(record):
    official = checks.check_claim(claim(), record).measure.value
    v = checks.check_claim(claim(value=round(official * 1.015)), record)  # "more than" 1.5% above the record
    assert v.verdict == "consistent"
    assert "% below the claim's bound, within what drugstats allows for a rounded figure" in v.explanation
