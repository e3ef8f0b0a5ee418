"""CDC's VSRR provisional county-level drug overdose death counts: 12-month counts by county, with what is not shown.

A county's count is one of three things, kept in count_status and never read as zero when it is not a number:
- reported: the count CDC published;
- suppressed: CDC did not show a count of 1 to 9 (NCHS confidentiality standards; its footnote says so);
- blanked: the copy we hold lost counts of 1,000 or more (CDC wrote them "1,234" and the copy's maker read them as
  missing); the row has no count and no footnote. The true count is 1,000 or more and unknown here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from drugstats.errors import Problem
from drugstats.official import csvtable

DATASET = "vsrr-county"
WINDOW_MONTHS = 12
SUPPRESSED_MIN, SUPPRESSED_MAX = 1, 9
BLANKED_MIN = 1_000
MAX_COUNT = 1_000_000

COUNTY_COLUMNS = [
    "period_end",
    "window_months",
    "county_fips",
    "county",
    "state",
    "deaths_reported",
    "count_status",
    "count_min",
    "count_max",
    "release",
    "dataset",
    "source_url",
]
_PARSED = [*COUNTY_COLUMNS, "_path", "_line", "_record"]
STATUSES = ("reported", "suppressed", "blanked")
STATUS_MEANING = {
    "reported": "the count CDC published",
    "suppressed": "CDC did not show it: 1 to 9 deaths (NCHS confidentiality standards)",
    "blanked": "1,000 deaths or more: the copy held lost counts written with a thousands separator",
}

_COLUMNS = {
    "data_as_of": "data_as_of",
    "st_abbrev": "state",
    "countyname": "county",
    "fips": "fips",
    "statefips": "statefips",
    "countyfips": "countyfips",
    "provisional_drug_overdose_deaths": "deaths",
    "footnote": "footnote",
    "month_ending_date": "month_ending_date",
}


def parse_county(data: bytes, path: str, release: str | None, whole: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
    """One row per county and 12-month period ending in a month, with its count or why there is none."""
    table, problems = csvtable.read_table(data, path, _COLUMNS, {}, lambda h: h.strip().lower(), whole=whole)
    if table is None:
        return pd.DataFrame(columns=_PARSED), problems
    f = table.frame
    fips = f["statefips"].str.strip() + f["countyfips"].str.strip()
    f["_record"] = f["county"] + " " + f["state"] + " " + f["month_ending_date"]
    problems += table.rows(~fips.str.fullmatch(r"\d{5}"), "countyfips", lambda v: f"{v!r} does not make a 5-digit county FIPS")
    problems += table.rows(
        fips.str.lstrip("0") != f["fips"].str.strip().str.lstrip("0"), "fips", lambda v: f"{v!r} is not STATEFIPS + COUNTYFIPS"
    )
    problems += table.rows(~f["state"].str.fullmatch(r"[A-Z]{2}"), "state", lambda v: f"{v!r} is not a two-letter state code")
    end = pd.to_datetime(f["month_ending_date"], format="%Y-%m-%d", errors="coerce")
    month_end = end.notna() & (end == end + pd.offsets.MonthEnd(0))
    problems += table.rows(~month_end, "month_ending_date", lambda v: f"{v!r} is not the last day of a month (YYYY-MM-DD)")
    as_of = f["data_as_of"].str.strip()
    if release is not None:
        problems += table.rows(
            as_of != release, "data_as_of", lambda v: f"{v!r} is not the release metadata.yaml names ({release})"
        )
    count, empty, bad = csvtable.numbers(f["deaths"])
    problems += table.rows(bad, "deaths", lambda v: f"expected a count, got {v!r}")
    wrong = ~empty & ~bad & ((count < 0) | (count > MAX_COUNT) | (count % 1 != 0))
    problems += table.rows(wrong, "deaths", lambda v: f"expected a whole number from 0 to {MAX_COUNT:,}, got {v!r}")
    suppressed = f["footnote"].str.contains("suppressed", case=False)
    problems += table.rows(~empty & suppressed, "footnote", lambda v: "says the count was suppressed, but the row has one")
    status = pd.Series("reported", index=f.index).mask(empty & suppressed, "suppressed").mask(empty & ~suppressed, "blanked")
    low = count.where(~empty, status.map({"suppressed": SUPPRESSED_MIN, "blanked": BLANKED_MIN}))
    high = count.where(~empty, status.map({"suppressed": SUPPRESSED_MAX}))
    out = pd.DataFrame(
        {
            "period_end": end.astype("datetime64[s]"),
            "window_months": WINDOW_MONTHS,
            "county_fips": fips,
            "county": f["county"],
            "state": f["state"],
            "deaths_reported": count.where(~wrong).round().astype("Int64"),
            "count_status": status,
            "count_min": low.round().astype("Int64"),
            "count_max": high.round().astype("Int64"),
            "release": pd.to_datetime(as_of, errors="coerce").astype("datetime64[s]"),
            "dataset": DATASET,
            "source_url": None,
            "_path": path,
            "_line": f["_line"],
            "_record": f["_record"],
        }
    )
    return out, problems


def county_frame(parts: Sequence[pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem]]:
    """The counties' rows stacked, one per county, period and release."""
    rows = pd.concat(list(parts), ignore_index=True) if parts else pd.DataFrame(columns=_PARSED)
    # CDC counts two independent cities of Virginia (Clifton Forge, Bedford) within the county around them: each has
    # the county's FIPS and the county's count, so a county is its FIPS and name.
    key = ["county_fips", "county", "period_end", "release"]
    problems = csvtable.duplicates(rows, key, "county, period and release")
    out = rows[COUNTY_COLUMNS].sort_values(key, ignore_index=True)
    return out, problems


def county_row(county: pd.DataFrame, fips: str, period_end: pd.Timestamp) -> pd.Series | None:
    """The newest release's row for a county's 12 months ending with the month of period_end; None if none is held."""
    if county is None or county.empty:
        return None
    end = pd.Timestamp(period_end) + pd.offsets.MonthEnd(0)
    rows = county[(county["county_fips"] == fips) & (county["period_end"] == end.normalize())]
    if rows.empty:
        return None
    newest = rows[rows["release"] == rows["release"].max()]
    if newest["deaths_reported"].nunique(dropna=False) > 1 or newest["count_status"].nunique() > 1:
        return None  # two places under one FIPS that disagree: no one count is the county's
    return newest.sort_values("county").iloc[0]
