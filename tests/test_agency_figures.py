"""The DEA's published figures: read from a small inline file, and a DEA claim checked against the agency's own word."""

from __future__ import annotations

import pandas as pd
import pytest

from drugstats.claims.models import Claim
from drugstats.official import dea
from drugstats.verdicts import checks
from drugstats.verdicts.record import OfficialRecord
from drugstats.verdicts.transform import claims_frame

HEADER = "figure_id,value,unit,measure,period_start,period_end,geography,sentence,url,published,read_from\n"
ROWS = (
    'p23_first,77000000,pills (over),first,2023-01-01,2023-12-31,United States,"In 2023, DEA seized over 77 million pills.",'
    "not seen,2024-01-17,news (secondary)\n"
    'p23_revised,79000000,pills (over),revised,2023-01-01,2023-12-31,United States,"DEA seized over 79 million pills.",'
    "https://www.dea.gov/x,2024-06,dea.gov (primary)\n"
    'lb22_ytd,10000,pounds (more than),to Dec 20,2022-01-01,2022-12-20,United States,"more than 10,000 pounds this year.",'
    "not seen,2022-12-21,news (secondary)\n"
    'lb22_final,13740,pounds,calendar 2022,2022-01-01,2022-12-31,United States,"13,740 pounds of fentanyl powder in 2022.",'
    "https://example.org/wh,2023-04-11,fact sheet (primary)\n"
    'share22,0.6,share of pills (6 out of 10),lab,2022-01-01,2022-11,United States,"six out of 10 pills",not seen,2022-12-01,'
    "news (secondary)\n"
    'others,55000000,"pills (over; all law enforcement agencies, per the Attorney General)",all,2023-01-01,2023-09-26,'
    'United States,"Law enforcement agencies seized over 55 million pills.",not seen,2023-09-26,news\n'
    'purity,10.3,percent purity,purity,2024-10-01,2025-09-30,United States,"purity decreased to 10.3%",not seen,2025-12-03,news\n'
)


def figures() -> pd.DataFrame:
    frame, problems = dea.parse_dea((HEADER + ROWS).encode(), "dea_figures.csv")
    assert problems == []
    return frame


def record() -> OfficialRecord:
    return OfficialRecord(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), agency_figures=figures())


def claim(**over):
    base = dict(
        id="c",
        quote="q",
        metric="drug_seized",
        substance="fentanyl",
        value=77_000_000,
        unit="pills",
        qualifier="more_than",
        period_start="2023-01-01",
        period_end="2023-12-31",
        geography="US",
        claimant="X",
        attributed_to="DEA",
        source="s",
        seized_by="DEA",
        claimed_on="2024-01-20",
    )
    return claims_frame([Claim.model_validate(base | over)], {}).iloc[0]


def test_the_file_is_read_with_units_qualifiers_periods_and_who_counted():
    f = figures().set_index("figure_id")
    assert f.loc["p23_first", ["metric", "unit", "qualifier", "value"]].tolist() == ["drug_seized", "pills", "more_than", 77e6]
    assert f.loc["share22", ["metric", "unit", "value"]].tolist() == ["lethal_pill_share", "percent", 60.0]
    assert f.loc["share22", "period_end"] == pd.Timestamp("2022-11-30")  # a month stated: its last day
    assert f.loc["p23_revised", "published_by"] == pd.Timestamp("2024-06-30")
    assert not f.loc["others", "in_checks"] and "all law enforcement agencies" in f.loc["others", "not_in_checks"]
    assert not f.loc["purity", "in_checks"] and f.loc["purity", "metric"] == ""


def test_a_bad_row_names_file_line_figure_and_column():
    bad = ROWS.splitlines()[0].replace("77000000", "lots").replace(",2023-12-31,", ",end of year,")
    frame, problems = dea.parse_dea((HEADER + bad + "\n").encode(), "dea_figures.csv")
    assert frame.empty
    assert [str(p) for p in problems] == [
        "dea_figures.csv:2: p23_first: value: expected a number above zero, got 'lots'",
        "dea_figures.csv:2: p23_first: period_end: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got 'end of year'",
    ]


def test_a_claim_fitting_the_first_version_is_consistent_and_names_both():
    v = checks.check_claim(claim(), record())
    assert v.verdict == "consistent" and v.measure.value == 77e6 and v.measure.kind == "statement"
    assert "2 versions" in v.explanation and "79,000,000" in v.explanation
    assert v.explanation.endswith("not against a measured series.")


def test_a_claim_fitting_no_version_is_judged_against_the_version_in_force_on_its_date():
    v = checks.check_claim(claim(value=100_000_000, claimed_on="2024-07-01"), record())
    assert v.verdict == "overstated" and v.measure.value == 79e6  # the revised figure was out by then
    v = checks.check_claim(claim(value=100_000_000, claimed_on="2024-02-01"), record())
    assert v.verdict == "overstated" and v.measure.value == 77e6
    assert "On the claim's date the DEA's latest version" not in v.explanation


def test_versions_that_disagree_on_the_verdict_and_no_date_leave_it_unverifiable():
    # 12,000 lb: above "more than 10,000" by too much, below 13,740: overstated against one, understated against the other
    year = dict(value=12_000, unit="lb", qualifier="exact", period_start="2022-01-01", period_end="2022-12-31")
    v = checks.check_claim(claim(**year, claimed_on=None), record())
    assert v.verdict == "unverifiable" and "none of the DEA's versions" in v.explanation
    v = checks.check_claim(claim(**year, claimed_on="2023-05-01"), record())
    assert (v.verdict, v.measure.value) == ("understated", 13740)


def test_a_weight_is_compared_in_pounds_and_a_year_to_date_figure_meets_its_days():
    v = checks.check_claim(claim(value=4600, unit="kg", period_start="2022-01-01", period_end="2022-12-21"), record())
    assert v.verdict == "consistent" and v.measure.unit == "lb" and v.measure.value == 10000


def test_a_lab_share_is_checked_against_the_share_the_dea_published():
    c = claim(
        metric="lethal_pill_share",
        value=60,
        unit="percent",
        qualifier="exact",
        period_start="2022-01-01",
        period_end="2022-12-31",
        seized_by=None,
    )
    v = checks.check_claim(c, record())
    assert (v.verdict, v.measure.value) == ("consistent", 60.0)


@pytest.mark.parametrize(
    ("over", "why"),
    [
        (dict(geography="US-CO"), "never used for a place"),
        (dict(period_start="2023-01-01", period_end="2023-09-26"), "published no figure"),  # only another agency's
        (dict(substance="methamphetamine"), "fentanyl only"),
        (dict(period_start=None, period_end=None), "no period"),
        # a division's total with no place stated: "nearly 2 million pills" was understated against the nation's
        (dict(geography=None, value=2_000_000), "does not say the figure is national"),
        (dict(quote="The DEA's Rocky Mountain Field Division seized 77 million pills."), "Rocky Mountain Field Division"),
    ],
)
def test_what_the_dea_did_not_publish_is_unverifiable(over, why):
    v = checks.check_claim(claim(**over), record())
    assert v.verdict == "unverifiable" and v.measure is None and why in v.explanation


def test_without_dea_figures_a_dea_claim_is_unverifiable_not_cbps():
    v = checks.check_claim(claim(), OfficialRecord(pd.DataFrame(), pd.DataFrame(), pd.DataFrame()))
    assert v.verdict == "unverifiable" and "DEA" in v.explanation
