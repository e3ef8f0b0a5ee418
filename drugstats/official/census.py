"""The Census Bureau's state population estimates (national and state "alldata" tables): the July 1 resident
population of the US, each state, DC and Puerto Rico, by year; for crude death rates per 100,000."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from drugstats import display
from drugstats.errors import Problem
from drugstats.official import csvtable

DATASET = "census-population"
COLUMNS = {"sumlev": "sumlev", "name": "name"}
_YEAR = re.compile(r"^popestimate(\d{4})$")
NATION, STATE = "010", "040"  # summary levels kept; regions (020) and divisions (030) are not places claims name
# CDC's NY is New York State without New York City (YC); the Census Bureau's New York is the whole state. Kept under a
# code of its own, so no rate for CDC's NY is ever divided by a population that includes the city.
_CODE_OF_NAME = {name: code for code, name in display.PLACE_NAMES.items()} | {"New York": "NY+YC"}
MAX_POPULATION = 1_000_000_000

PARSED_COLUMNS = ["geography", "_path", "_line", "_record"]


def parse_census(data: bytes, path: str, *, whole: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
    """One row per place and year: the POPESTIMATE<year> columns of the nation and state rows."""
    header = data.decode("utf-8-sig", errors="replace").splitlines()[0] if data else ""
    years = {
        m.group(1): f"pop_{m.group(1)}" for h in header.split(",") if (m := _YEAR.match(h.strip().lower()))
    }  # every year the table holds
    optional = {f"popestimate{y}": name for y, name in years.items()}
    table, problems = csvtable.read_table(data, path, COLUMNS, optional, lambda h: h.strip().lower(), whole=whole)
    if table is None:
        return pd.DataFrame(columns=PARSED_COLUMNS), problems
    if not years:
        return pd.DataFrame(columns=PARSED_COLUMNS), [Problem(path, 1, None, None, "has no POPESTIMATE<year> column")]
    f = table.frame
    f["_record"] = f["name"]
    place = f["sumlev"].isin([NATION, STATE])  # masks over every row: table.rows names lines of the whole file
    code = f["name"].map(lambda n: "US" if n == "United States" else _CODE_OF_NAME.get(n))
    problems += table.rows(f["sumlev"].eq(STATE) & code.isna(), "name", lambda v: f"{v!r} is not a state drugstats knows by name")
    columns = {"geography": code.where(place)}
    for year, column in years.items():
        number, empty, bad = csvtable.numbers(f[column])
        problems += table.rows(place & (bad | empty), column, lambda v: f"expected a whole number of residents, got {v!r}")
        problems += table.rows(
            place & ~(bad | empty) & ((number % 1 != 0) | (number <= 0) | (number > MAX_POPULATION)),
            column,
            lambda v: f"is not a population (a whole number from 1 to {MAX_POPULATION:,}): {v!r}",
        )
        columns[f"pop_{year}"] = number.round().astype("Int64")
    # One row per row of the file (its row count is checked against metadata.yaml); regions and divisions have no
    # geography. population_frame makes it one row per place and year.
    return pd.DataFrame({**columns, "_path": path, "_line": f["_line"], "_record": f["_record"]}), problems


def population_frame(parts: Sequence[pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem]]:
    """One row per place and year, from the tables parsed: where two vintages estimate the same year, the newer
    vintage (the table with the later years) wins."""
    long = []
    for part in parts:
        years = [c for c in part.columns if c.startswith("pop_")]
        places = part[part["geography"].notna()]
        if places.empty or not years:
            continue
        melted = places.melt(id_vars=["geography", "_path", "_line", "_record"], value_vars=years, value_name="population")
        melted["year"] = melted["variable"].str.removeprefix("pop_").astype("int64")
        long.append((max(melted["year"]), melted))
    if not long:
        return pd.DataFrame(columns=["geography", "year", "population"]), []
    ordered = [frame for _, frame in sorted(long, key=lambda item: item[0])]
    stacked = pd.concat(ordered, ignore_index=True).drop_duplicates(["geography", "year"], keep="last")
    frame = stacked.sort_values(["geography", "year"], ignore_index=True)
    return frame[["geography", "year", "population", "_path", "_line", "_record"]], []


def population(frame: pd.DataFrame, geography: str, year: int) -> int | None:
    """The July 1 resident population of a place in a year; None when no table holds it."""
    rows = frame[(frame["geography"] == geography) & (frame["year"] == year)]
    return None if rows.empty else int(rows["population"].iloc[0])


PER = 100_000


def population_year(period_end: pd.Series) -> pd.Series:
    """The year whose July 1 population a 12-month window is divided by: the year its middle falls in (a calendar year
    is its own year; the 12 months ending June 2018 take 2018's)."""
    return (pd.to_datetime(period_end) - pd.DateOffset(months=5)).dt.year


def with_crude_rates(rows: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Death-count rows (drugstats.official.queries.deaths_rows) with the population divided by and crude rates per 100,000
    for each count; empty where no population is held (New York, years after the newest vintage)."""
    years = population_year(rows["period_end"])
    people = frame.set_index(["geography", "year"])["population"]
    keys = pd.MultiIndex.from_arrays([rows["geography"], years])
    held = people.reindex(keys).to_numpy()
    out = rows.assign(population_year=years.to_numpy(), population=pd.array(held, dtype="Int64"))
    for column in [c for c in rows.columns if c in ("deaths_reported", "deaths_predicted")]:
        rate = out[column].astype("float64") / out["population"].astype("float64") * PER
        out[f"{column}_per_100k"] = rate.round(2)
    return out
