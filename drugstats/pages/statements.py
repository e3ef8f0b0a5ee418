"""Statements page: officials' statements beside the official figures for the 12 months before each."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from drugstats.claims import safetext
from drugstats.official import queries, series
from drugstats.publish import cite


def _statement_month(said_on: str) -> pd.Timestamp:
    """The last whole month before a statement: for a bare year, December of the year before."""
    if len(said_on) == 4:
        return pd.Timestamp(int(said_on) - 1, 12, 1)
    stamp = pd.Timestamp(said_on[:7] + "-01")
    return stamp - pd.DateOffset(months=1)


def statement_figures(said_on: str, bears_on: Iterable[str], official: series.Series) -> pd.DataFrame:
    """The official figures a statement bears on, for the 12 months before it, as the record now stands."""
    month = _statement_month(said_on)
    out = []
    if "overdose_deaths" in bears_on:
        for substance in ("all_drugs", "fentanyl"):
            try:
                row = queries.deaths_in_window(official.overdose_deaths, substance, "US", month)
            except (queries.NoSeriesData, ValueError):
                continue
            if pd.isna(row["deaths_reported"]):
                continue
            out.append(
                {
                    "figure": "US overdose deaths" if substance == "all_drugs" else "US deaths involving fentanyl (T40.4)",
                    "value": float(row["deaths_reported"]),
                    "unit": "deaths",
                    "window": f"12 months ending {month:%B %Y}",
                    "source": cite.dataset_citation(official.datasets[series.CDC_VSRR], [row["release"]]).text,
                    "url": safetext.safe_url(official.datasets[series.CDC_VSRR].url),
                }
            )
    if "drug_seized" in bears_on:
        first = month - pd.DateOffset(months=11)
        try:
            total = queries.seizures_in_months(official.seizures, first, month, drug="fentanyl")
        except (queries.NoSeriesData, ValueError):
            total = None
        if total is not None:
            out.append(
                {
                    "figure": "Fentanyl seized by CBP",
                    "value": float(total["seized_lb"]),
                    "unit": "lb",
                    "window": f"{first:%B %Y} to {month:%B %Y}",
                    "source": cite.dataset_citation(official.datasets[series.CBP_SEIZURES]).text,
                    "url": safetext.safe_url(official.datasets[series.CBP_SEIZURES].url),
                }
            )
    return pd.DataFrame(out, columns=["figure", "value", "unit", "window", "source", "url"])
