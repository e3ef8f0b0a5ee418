"""Calendar rules the official series count by, each written once: fiscal years, months, places.

The US federal fiscal year N runs from 1 October of N-1 to 30 September of N (CBP counts seizures by it);
CDC counts deaths in 12-month windows named by their last month, by jurisdiction codes such as TX.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
FISCAL_YEAR_FIRST_MONTH = 10  # October
# Oct .. Sep, as CBP abbreviates them (title case)
FISCAL_MONTHS = tuple(m[:3] for m in MONTH_NAMES[FISCAL_YEAR_FIRST_MONTH - 1 :] + MONTH_NAMES[: FISCAL_YEAR_FIRST_MONTH - 1])


def fiscal_year(day: date | pd.Timestamp) -> int:
    """The federal fiscal year a day falls in: October 2022 is in FY2023."""
    return day.year + 1 if day.month >= FISCAL_YEAR_FIRST_MONTH else day.year


def month_of_fiscal_year(day: date | pd.Timestamp) -> int:
    """1 for October, 12 for September."""
    return (day.month - FISCAL_YEAR_FIRST_MONTH) % 12 + 1


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """The first and last day of a fiscal year: FY2023 is 2022-10-01 to 2023-09-30."""
    return date(year - 1, FISCAL_YEAR_FIRST_MONTH, 1), date(year, FISCAL_YEAR_FIRST_MONTH - 1, 30)


def fiscal_month_name(month_of_fy: int) -> str:
    """The calendar month of a fiscal year's month: 1 -> October, 12 -> September."""
    return MONTH_NAMES[(month_of_fy + FISCAL_YEAR_FIRST_MONTH - 2) % 12]


def month_start(month: str | date | pd.Timestamp) -> pd.Timestamp:
    """First day of the month: accepts 'YYYY-MM', 'YYYY-MM-DD', a date or a Timestamp."""
    return pd.Timestamp(month).normalize().replace(day=1)


def month_end(month: str | date | pd.Timestamp) -> pd.Timestamp:
    """Last day of the month: accepts 'YYYY-MM', 'YYYY-MM-DD', a date or a Timestamp."""
    stamp = pd.Timestamp(month)
    return (stamp + pd.offsets.MonthEnd(0)).normalize()


def jurisdiction(geography: str | None) -> str:
    """CDC's jurisdiction code for a claim's ISO 3166 geography: US-TX -> TX, US -> US, none stated -> US."""
    if not isinstance(geography, str) or not geography:
        return "US"
    return geography.split("-", 1)[1] if geography.startswith("US-") else geography


def geography(jurisdiction_code: str) -> str:
    """The ISO 3166 geography of a CDC jurisdiction code: TX -> US-TX, US -> US (the inverse of jurisdiction)."""
    return "US" if jurisdiction_code == "US" else f"US-{jurisdiction_code}"


def fiscal_year_to_date(start: date | pd.Timestamp, end: date | pd.Timestamp) -> tuple[int, int] | None:
    """(fiscal year, months) when start..end runs from 1 October to the last day of a month of the same fiscal year.

    None otherwise: a window that starts mid-year, ends mid-month, or spans two fiscal years has no place on a chart
    drawn by fiscal year (October 2021 to February 2023 is neither FY2022 nor FY2023 to date).
    """
    if pd.isna(start) or pd.isna(end):
        return None
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start.month != FISCAL_YEAR_FIRST_MONTH or start.day != 1 or (end + pd.Timedelta(days=1)).day != 1:
        return None
    if fiscal_year(start) != fiscal_year(end):
        return None
    return fiscal_year(end), month_of_fiscal_year(end)
