"""A change of seizures read with the period it is measured from, or left unchecked when its sentence does not say."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from drugstats.extract.changes import NO_EARLIER
from drugstats.extract.check import check_candidates
from drugstats.extract.reader import extract
from drugstats.verdicts.checks import OfficialRecord
from tests.article_score import gold_candidate


def change(text: str, published: date):
    (found,) = [c for c in extract(text, published, "Example News") if c.metric == "seizure_change"]
    return found


FY = {year: (date(year - 1, 10, 1), date(year, 9, 30)) for year in range(2017, 2025)}
CY = {year: (date(year, 1, 1), date(year, 12, 31)) for year in range(2017, 2025)}


@pytest.mark.parametrize(
    ("text", "published", "period", "compared"),
    [
        (  # a month over the month before
            "Fentanyl seizures by CBP jumped 14 percent from March to April, CBP said.",
            date(2023, 5, 27),
            (date(2023, 4, 1), date(2023, 4, 30)),
            (date(2023, 3, 1), date(2023, 3, 31)),
        ),
        (  # across the turn of the year
            "Fentanyl seizures by CBP fell 10 percent from December to January.",
            date(2023, 2, 20),
            (date(2023, 1, 1), date(2023, 1, 31)),
            (date(2022, 12, 1), date(2022, 12, 31)),
        ),
        (  # the same months a fiscal year earlier
            "So far this fiscal year, CBP has seen an 85 percent increase in fentanyl seizures compared to the same time period "
            "last fiscal year.",
            date(2020, 11, 19),
            (date(2020, 10, 1), date(2020, 10, 31)),
            (date(2019, 10, 1), date(2019, 10, 31)),
        ),
        (
            "CBP said methamphetamine seizures in October climbed 500% when compared to the same time period in 2019.",
            date(2020, 11, 19),
            (date(2020, 10, 1), date(2020, 10, 31)),
            (date(2019, 10, 1), date(2019, 10, 31)),
        ),
        (  # a fiscal year named after the figure is what it is measured from, never its own period
            "CBP officers seized 8,592 pounds of cocaine in fiscal year 2021, up 98% from FY 20, CBP said.",
            date(2022, 1, 6),
            FY[2021],
            FY[2020],
        ),
        ("CBP said fentanyl seizures in FY2022 were up 25% from fiscal year 2021.", date(2023, 1, 6), FY[2022], FY[2021]),
        # a bare year measured against a fiscal year is that fiscal year, as every labeller of the corpus reads it
        ("CBP fentanyl seizures in fiscal year 2022 rose 30% from 2021.", date(2023, 3, 6), FY[2022], FY[2021]),
        ("CBP agents seized 19% more cocaine in fiscal year 2022 than 2021.", date(2023, 1, 3), FY[2022], FY[2021]),
        (
            "CBP agents seized 900 pounds of fentanyl last year, marking a 152% increase from 2021.",
            date(2023, 1, 7),
            CY[2022],
            CY[2021],
        ),
        ("CBP said fentanyl seizures rose 30% in 2022 compared with a year earlier.", date(2023, 3, 6), CY[2022], CY[2021]),
        ("CBP said fentanyl seizures in 2022 rose 30% from the previous year.", date(2023, 3, 6), CY[2022], CY[2021]),
        (
            "CBP fentanyl seizures in fiscal year 2022 have increased more than 400 percent since fiscal year 2019.",
            date(2023, 1, 6),
            FY[2022],
            FY[2019],
        ),
    ],
)
def test_a_change_is_read_with_the_period_it_is_measured_from(text, published, period, compared):
    found = change(text, published)
    assert (found.period_start, found.period_end) == period
    assert (found.compared_to_start, found.compared_to_end) == compared
    assert NO_EARLIER not in found.missing


@pytest.mark.parametrize(
    ("text", "published"),
    [
        # "the previous year" of half a year: the whole year before, or its first half? Not said.
        ("CBP said fentanyl seizures in the first half of 2022 rose 30% from the previous year.", date(2023, 3, 6)),
        # seven months against a whole fiscal year is no change a reader can check
        ("CBP fentanyl seizures so far this fiscal year are up 25% from fiscal year 2021.", date(2023, 5, 6)),
        ("CBP fentanyl seizures so far this fiscal year have risen 400 percent since fiscal year 2019.", date(2023, 5, 6)),
        ("CBP fentanyl seizures in 2022 rose 30% compared to the same period.", date(2023, 3, 6)),  # of when?
        # the earlier figure's period belongs to the pair, not to the percent before it
        ("CBP fentanyl seizures rose 50% from 2,000 pounds in FY2020 to 3,000 pounds in FY2021.", date(2022, 3, 1)),
        ("CBP fentanyl seizures in 2022 rose 30%, compared with 2021.", date(2023, 3, 6)),  # another clause
        ("CBP said fentanyl seizures rose 30% in 2022 over 2022.", date(2023, 3, 6)),  # never a period against itself
    ],
)
def test_a_change_with_no_readable_earlier_period_stays_unchecked(text, published):
    found = change(text, published)
    assert (found.compared_to_start, found.compared_to_end) == (None, None)
    assert NO_EARLIER in found.missing and not found.complete


def fentanyl_record() -> OfficialRecord:
    """CBP's fentanyl: 1,000 lb a month in FY2021, 1,250 lb a month in FY2022 (a 25% rise)."""
    months = pd.date_range("2020-10-01", "2022-09-01", freq="MS")
    lb = [1000.0 if m < pd.Timestamp("2021-10-01") else 1250.0 for m in months]
    seizures = pd.DataFrame(
        {"month": months, "drug": "fentanyl", "seized_lb": lb, "events": 1, "component": "OFO", "region": "Southwest Border"}
    )
    seizures["seized_kg"] = seizures["seized_lb"] * 0.45359237
    deaths = pd.DataFrame(columns=["period_end", "geography", "substance", "window_months", "deaths_reported", "release"])
    return OfficialRecord(deaths, seizures, pd.DataFrame())


@pytest.mark.parametrize(
    ("said", "verdict"),
    [("rose about 25%", "consistent"), ("fell about 25%", "understated"), ("rose about 60%", "overstated")],
)
def test_a_read_change_is_checked_against_both_periods_with_its_direction(said, verdict):
    text = f"CBP said fentanyl seizures in fiscal year 2022 {said} from fiscal year 2021."
    (checked,) = check_candidates(extract(text, date(2023, 1, 6)), fentanyl_record(), source="https://example.org/a")
    assert (checked.claim.compared_to_start, checked.claim.compared_to_end) == FY[2021]
    assert checked.verdict.verdict == verdict


def test_a_change_without_its_earlier_period_gets_no_verdict():
    text = "CBP said fentanyl seizures in fiscal year 2022 rose about 25% over two years."
    (checked,) = check_candidates(extract(text, date(2023, 1, 6)), fentanyl_record(), source="https://example.org/a")
    assert checked.claim is None and checked.verdict is None


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("CBP said fentanyl seizures in fiscal year 2022 rose about 25%.", True),  # no comparison at all: the year before
        ("CBP said fentanyl seizures rose about 25% during FY 22.", True),
        ("CBP said fentanyl seizures in fiscal year 2022 rose about 25%, the most since 2019.", False),  # another year named
        ("CBP said fentanyl seizures in the first half of fiscal year 2022 rose about 25%.", False),  # not a whole year
    ],
)
def test_a_whole_years_change_that_names_no_other_year_is_against_the_year_before(text, read):
    (checked,) = check_candidates(extract(text, date(2023, 1, 6)), fentanyl_record(), source="https://example.org/a")
    found = checked.candidate
    if read:
        assert (found.compared_to_start, found.compared_to_end) == FY[2021]
        assert found.field_sources["compared_to"] == "default"  # the page says it was read by default
        assert checked.verdict.verdict == "consistent"
    else:
        assert NO_EARLIER in found.missing and checked.verdict is None


def test_a_labelled_change_carries_the_period_it_is_measured_from():
    sentence = "CBP said fentanyl seizures in fiscal year 2022 rose about 25% from fiscal year 2021."
    gold = dict(
        sentence=sentence, value_text="about 25%", value=25, unit="percent", qualifier="about", metric="seizure_change",
        substance="fentanyl", direction="up", period_start="2021-10-01", period_end="2022-09-30",
        compared_to_start="2020-10-01", compared_to_end="2021-09-30", geography="US", seized_by="CBP",
    )  # fmt: skip
    made = gold_candidate({"outlet": "Example News", "published": "2023-01-06"}, gold)
    assert (made.compared_to_start, made.compared_to_end) == FY[2021] and made.complete
    without = gold_candidate({"outlet": "Example News"}, {k: v for k, v in gold.items() if not k.startswith("compared")})
    assert without.compared_to_start is None


def test_the_page_says_a_changes_earlier_period_was_read_by_default():
    from drugstats.pages.article import filled

    (found,) = extract("CBP said fentanyl seizures in fiscal year 2022 rose about 25%.", date(2023, 1, 6))
    assert "earlier period: default" in filled(found)
