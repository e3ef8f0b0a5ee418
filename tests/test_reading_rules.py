"""Reading rules found on the held-aside articles of 2026-12-05, each once a confident wrong verdict (issue 23)."""

from __future__ import annotations

from datetime import date

import pytest

from drugstats.extract.metrics import FORECAST
from drugstats.extract.periods import find_period
from drugstats.extract.reader import extract


def one(text: str, published: date, value_text: str):
    (found,) = [c for c in extract(text, published, "Example News") if c.value_text == value_text]
    return found


@pytest.mark.parametrize(
    ("text", "published", "start", "end"),
    [
        ("since the beginning of the fiscal year, nearly 500 pounds", date(2020, 11, 19), date(2020, 10, 1), date(2020, 10, 31)),
        ("fiscal year to date, 40 pounds", date(2021, 3, 2), date(2020, 10, 1), date(2021, 2, 28)),
        ("between 2011 and 2012 held steady at about 1,600 deaths", date(2019, 3, 21), date(2011, 1, 1), date(2012, 12, 31)),
        ("from 2011 to 2016", date(2019, 3, 21), date(2011, 1, 1), date(2016, 12, 31)),
    ],
)
def test_periods_read(text, published, start, end):
    period = find_period(text, published)
    assert (period.start, period.end) == (start, end)


def test_a_span_counted_back_from_an_unknown_day_has_no_period():
    text = (
        "In the past eight months Yuma Sector Border Patrol agents have seized 1,100 pounds of methamphetamine. "
        "That compares with 1,900 pounds seized in fiscal year 2020."
    )
    found = one(text, date(2021, 5, 16), "1,100")
    assert found.period_start is None and any("past eight months" in n for n in found.missing)


def test_a_total_as_of_a_day_runs_to_that_day_not_the_month_before():
    text = "As of May 3, 17,150 pounds of fentanyl have been seized by CBP in FY2023."
    found = one(text, date(2023, 5, 27), "17,150")
    assert (found.period_start, found.period_end) == (date(2022, 10, 1), date(2023, 5, 3))


def test_deaths_tied_to_a_drug_apart_from_their_count_are_that_drugs():
    text = "The county coroner says fentanyl death nearly quadrupled in 2022 with 20 deaths tallied last year."
    assert one(text, date(2023, 1, 19), "20").substance == "fentanyl"
    whole = "There were 107,543 overdose deaths in 2023, with 74,702 of those involving fentanyl."
    assert one(whole, date(2024, 5, 1), "107,543").substance == "all_drugs"


def test_a_fraction_of_a_death_is_a_rate_never_a_count():
    text = "The age-adjusted rate of drug overdose deaths increased from 6.8 in 2001 to 11.5 in 2006."
    found = one(text, date(2023, 1, 26), "6.8")
    assert (found.metric, found.unit) == ("death_rate", "per_100k")


def test_a_forecast_of_deaths_is_found_but_never_checked():
    text = "Health department officials project more than 100 deaths from fentanyl in Arizona this year."
    found = one(text, date(2020, 5, 15), "more than 100")
    assert found.metric == "overdose_deaths" and FORECAST in found.missing and not found.complete


@pytest.mark.parametrize(
    ("text", "value_text"),
    [
        ("CBP officers at the San Diego Field Office seized more than 14,000 pounds of hard narcotics in November. "
         "Fentanyl made up 347 pounds.", "more than 14,000"),
        ("CBP said fentanyl led the rise. In April, CBP seizures dropped to 36,067 pounds of all drug types.", "36,067"),
    ],
)  # fmt: skip
def test_every_drugs_seizures_are_never_the_storys_drug(text, value_text):
    assert one(text, date(2023, 5, 27), value_text).substance == "all_drugs"
