"""NCHS model-based county drug poisoning death rates, 1999-2016: bands of an age-adjusted rate, held for context only.

Each county-year gives a 2-unit band ("6-7.9", "<2", "30+") of a small-area model's estimate, not a measured rate: no
claim is judged against a band (drugstats.verdicts never reads this frame); it is exported and listed on the Sources
page beside the county counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from drugstats.errors import Problem
from drugstats.official import csvtable

DATASET = "nchs-drug-poisoning-mortality-county"
BAND_COLUMNS = [
    "year",
    "county_fips",
    "county",
    "population",
    "rate_band",
    "rate_band_low",
    "rate_band_high",
    "dataset",
    "source_url",
]
_PARSED = [*BAND_COLUMNS, "_path", "_line", "_record"]
_BAND = re.compile(r"^(?:<(?P<below>\d+(?:\.\d+)?)|(?P<low>\d+(?:\.\d+)?)-(?P<high>\d+(?:\.\d+)?)|(?P<over>\d+(?:\.\d+)?)\+)$")
FIRST_YEAR, LAST_YEAR = 1999, 2100


def _bounds(band: str) -> tuple[float | None, float | None] | None:
    """(lowest, highest) rate a band allows, None for an open end; None when the text is not a band."""
    m = _BAND.match(band.strip())
    if m is None:
        return None
    if m["below"]:
        return 0.0, float(m["below"])
    if m["over"]:
        return float(m["over"]), None
    low, high = float(m["low"]), float(m["high"])
    return (low, high) if low <= high else None


def parse_bands(data: bytes, path: str, *, whole: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
    """One row per county and year: the county's 5-digit FIPS, population and its rate band."""
    columns = {
        "fips": "fips",
        "year": "year",
        "county": "county",
        "population": "population",
        "estimated_age_adjusted_death_rate": "band",
    }
    table, problems = csvtable.read_table(data, path, columns, {}, lambda h: h.strip().lower(), whole=whole)
    if table is None:
        return pd.DataFrame(columns=_PARSED), problems
    f = table.frame
    f["_record"] = f["county"] + " " + f["year"]
    fips = f["fips"].str.strip()
    problems += table.rows(~fips.str.fullmatch(r"\d{4,5}"), "fips", lambda v: f"{v!r} is not a county FIPS code")
    text = f["year"].str.strip()
    year = pd.to_numeric(text.where(text.str.fullmatch(r"\d{4}")), errors="coerce")
    problems += table.rows(
        year.isna() | (year < FIRST_YEAR) | (year > LAST_YEAR), "year", lambda v: f"{v!r} is not a year from {FIRST_YEAR}"
    )
    population, empty, bad = csvtable.numbers(f["population"], thousands=True)
    problems += table.rows(
        bad | empty | (population < 0) | (population % 1 != 0), "population", lambda v: f"expected a whole number, got {v!r}"
    )
    bounds = f["band"].map(_bounds)
    problems += table.rows(bounds.isna(), "band", lambda v: f"{v!r} is not a rate band such as '6-7.9', '<2' or '30+'")
    low = bounds.map(lambda b: b[0] if b else None)
    high = bounds.map(lambda b: b[1] if b else None)
    out = pd.DataFrame(
        {
            "year": year.astype("Int64"),
            "county_fips": fips.str.zfill(5),
            "county": f["county"],
            "population": population.round().astype("Int64"),
            "rate_band": f["band"].str.strip(),
            "rate_band_low": pd.to_numeric(low).astype("float64"),
            "rate_band_high": pd.to_numeric(high).astype("float64"),
            "dataset": DATASET,
            "source_url": None,
            "_path": path,
            "_line": f["_line"],
            "_record": f["_record"],
        }
    )
    return out, problems


def bands_frame(parts: Sequence[pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem]]:
    """The files' rows stacked, one per county and year."""
    rows = pd.concat(list(parts), ignore_index=True) if parts else pd.DataFrame(columns=_PARSED)
    problems = csvtable.duplicates(rows, ["county_fips", "year"], "county and year")
    return rows[BAND_COLUMNS].sort_values(["county_fips", "year"], ignore_index=True), problems
