"""The Census Bureau's state populations: read from the two vintage tables, and used for crude rates only as context."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from drugstats import DATA_DIR
from drugstats.official import census, queries, series
from drugstats.verdicts import pipeline, rates

RAW = Path(DATA_DIR) / "raw" / "census-population"


def _raw(name: str, place: str, year: int) -> int:
    """POPESTIMATE<year> of a place, read from the raw file with the csv module."""
    with open(RAW / name, encoding="utf-8-sig", newline="") as f:
        (row,) = [r for r in csv.DictReader(f) if r["NAME"] == place]
    return int(row[f"POPESTIMATE{year}"])


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return series.load_series(DATA_DIR).population


@pytest.mark.parametrize(
    ("code", "name", "year", "table"),
    [
        ("US", "United States", 2015, "nst-est2019-alldata.csv"),
        ("WV", "West Virginia", 2017, "nst-est2019-alldata.csv"),
        ("CA", "California", 2024, "NST-EST2024-ALLDATA.csv"),
        ("DC", "District of Columbia", 2020, "NST-EST2024-ALLDATA.csv"),
    ],
)
def test_each_population_is_the_one_its_table_holds(population, code, name, year, table):
    assert census.population(population, code, year) == _raw(table, name, year)


def test_places_are_the_nation_and_states_not_regions_and_cdcs_new_york_gets_none(population):
    assert set(population["year"]) == set(range(2010, 2025))
    assert population.groupby("geography").size().eq(15).all()  # every place, every year, once
    assert "Northeast Region" not in set(population["_record"].str.rsplit(" ", n=1).str[0])
    # CDC's NY leaves out New York City; the Census Bureau's New York does not: no population for NY
    assert census.population(population, "NY", 2017) is None


def test_a_bad_population_names_its_line_and_column():
    text = (RAW / "nst-est2019-alldata.csv").read_bytes().decode()
    lines = text.split("\n")
    i = next(n for n, line in enumerate(lines) if ",West Virginia," in line)
    header = lines[0].split(",")
    cells = lines[i].split(",")
    cells[header.index("POPESTIMATE2017")] = "-5"
    lines[i] = ",".join(cells)
    frame, problems = census.parse_census("\n".join(lines).encode(), "p.csv", whole=True)
    assert [(p.line, p.record, p.field) for p in problems] == [(i + 1, "West Virginia", "POPESTIMATE2017")]
    assert problems[0].message == "is not a population (a whole number from 1 to 1,000,000,000): '-5'"


def test_a_rate_claim_stays_unverifiable_and_gives_the_crude_rate_from_the_count_and_the_population(population):
    build = pipeline.build(DATA_DIR)
    # West Virginia's 2017 synthetic-opioid rate: NCHS's rates by drug held are the nation's, not a state's
    claim = "dispatch-2018-12-29-wv-synthetic-opioid-death-rate-2017"
    verdict = build.verdict_by_id[claim]
    assert verdict.verdict == "unverifiable" and verdict.measure is None  # no official rate in verdicts.csv
    deaths = queries.deaths_in_window(build.official.overdose_deaths, "fentanyl", "WV", "2017-12")["deaths_reported"]
    crude = float(deaths) / census.population(population, "WV", 2017) * 100_000
    assert verdict.explanation.startswith(rates.RATE_NOTE)
    assert f"that is {crude:.1f} per 100,000." in verdict.explanation
    assert "residents on July 1, 2017" in verdict.explanation


def test_without_the_census_folder_the_data_still_load_and_rates_say_why(tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    shutil.rmtree(data / "raw" / "census-population")
    build = pipeline.build(data)
    assert build.official.population.empty
    assert build.verdict_by_id["dispatch-2018-12-29-wv-synthetic-opioid-death-rate-2017"].explanation == rates.RATE_NOTE


def test_crude_rates_are_each_count_over_the_population_of_the_year_its_window_centres_on(population):
    build = pipeline.build(DATA_DIR)
    rows = queries.deaths_rows(build.official.overdose_deaths, "WV", ["all_drugs"], ["reported"])
    rated = census.with_crude_rates(rows, population).set_index("period_end")
    december = rated.loc[pd.Timestamp("2017-12-31")]
    assert december["population_year"] == 2017
    assert december["deaths_reported_per_100k"] == round(
        december["deaths_reported"] / _raw("nst-est2019-alldata.csv", "West Virginia", 2017) * 100_000, 2
    )
    assert rated.loc[pd.Timestamp("2018-06-30"), "population_year"] == 2018  # July 2017 to June 2018: centred on 2018
    assert rated.loc[pd.Timestamp("2018-05-31"), "population_year"] == 2017


def test_the_deaths_page_draws_crude_rates_labelled_crude_without_claims():
    from drugstats.pages import deaths as deaths_page

    build = pipeline.build(DATA_DIR)
    view = deaths_page.parse_deaths({"place": "OH", "per": "100k"}, build.official.overdose_deaths)
    figure = deaths_page.figure(build, view)
    assert "(crude)" in figure.figure.layout.title.text and "Census Bureau" in " ".join(s.text for s in figure.sources)
    assert not any(t.name.startswith("Claim") for t in figure.figure.data)
    counts = deaths_page.figure(build, deaths_page.parse_deaths({"place": "OH"}, build.official.overdose_deaths))
    assert any(t.name.startswith("Claim") for t in counts.figure.data)  # the same view as counts draws Ohio's claims
    ny = deaths_page.figure(
        build, deaths_page.parse_deaths({"place": "NY", "per": "100k", "substance": "fentanyl"}, build.official.overdose_deaths)
    )
    assert ny.rows["deaths_reported_per_100k"].isna().all()  # no population for CDC's NY (no New York City)
