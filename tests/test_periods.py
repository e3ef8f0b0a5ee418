"""drugstats.official.periods: fiscal years, months and places, each rule written once."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from drugstats.official import periods


@pytest.mark.parametrize(
    ("day", "year", "month_of_fy"),
    [(date(2022, 10, 1), 2023, 1), (date(2022, 9, 30), 2022, 12), (date(2023, 2, 28), 2023, 5), (date(2023, 1, 1), 2023, 4)],
)
def test_fiscal_year_and_its_months_start_in_october(day, year, month_of_fy):
    assert periods.fiscal_year(day) == year
    assert periods.month_of_fiscal_year(day) == month_of_fy
    assert periods.fiscal_year(pd.Timestamp(day)) == year


def test_fiscal_year_bounds_and_month_names():
    assert periods.fiscal_year_bounds(2023) == (date(2022, 10, 1), date(2023, 9, 30))
    assert periods.fiscal_month_name(1) == "October" and periods.fiscal_month_name(12) == "September"
    assert periods.FISCAL_MONTHS[0] == "Oct" and periods.FISCAL_MONTHS[-1] == "Sep" and len(periods.FISCAL_MONTHS) == 12


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2022-10-01", "2023-09-30", (2023, 12)),  # a whole fiscal year
        ("2022-10-01", "2023-02-28", (2023, 5)),  # October to February: five months to date
        ("2021-10-01", "2023-02-28", None),  # spans two fiscal years: neither FY2022 nor FY2023 to date
        ("2022-11-01", "2023-02-28", None),  # starts after October
        ("2022-10-01", "2023-02-15", None),  # ends mid-month
        ("2022-10-15", "2022-10-31", None),
    ],
)
def test_fiscal_year_to_date_places_only_windows_from_october_within_one_year(start, end, expected):
    assert periods.fiscal_year_to_date(pd.Timestamp(start), pd.Timestamp(end)) == expected


@pytest.mark.parametrize(("geography", "code"), [("US-TX", "TX"), ("US", "US"), (None, "US"), ("", "US"), (float("nan"), "US")])
def test_jurisdiction_is_cdcs_code_for_a_claims_geography(geography, code):
    assert periods.jurisdiction(geography) == code
    if isinstance(geography, str) and geography:
        assert periods.geography(code) == geography
