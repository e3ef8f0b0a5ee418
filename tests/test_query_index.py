"""The indexes behind the checks' questions give what a scan of the frame gives, to the last bit (issue 13, speed)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from drugstats import DATA_DIR
from drugstats.official import queries, series


@pytest.fixture(scope="module")
def official():
    return series.load_series(DATA_DIR)


def scan_deaths(deaths, substance, geography, end, release=None):
    rows = deaths[(deaths["substance"] == substance) & (deaths["geography"] == geography) & (deaths["window_months"] == 12)]
    if release is not None:
        rows = rows[rows["release"] == pd.Timestamp(release)]
    found = rows[rows["period_end"] == end]
    return None if found.empty else found.sort_values("release", kind="stable").iloc[-1]


def test_death_windows_are_the_rows_a_scan_finds(official):
    deaths = official.overdose_deaths
    keys = deaths[["substance", "geography", "period_end", "release"]].drop_duplicates()
    sample = keys.iloc[:: max(1, len(keys) // 150)]  # ~150 keys spread over every release: ~1 s however many are held
    for substance, geography, end, release in sample.itertuples(index=False):
        for wanted in (None, release):
            got = queries.deaths_in_window(deaths, substance, geography, end, release=wanted)
            pd.testing.assert_series_equal(got, scan_deaths(deaths, substance, geography, end, wanted))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("fentanyl", "ZZ", "2023-01"), "no 12-month fentanyl deaths for ZZ"),
        (("fentanyl", "US", "1990-01"), "no 12-month fentanyl deaths for US ending 1990-01-31; the series runs "),
    ],
)
def test_a_missing_window_says_what_is_missing(official, args, message):
    with pytest.raises(queries.NoSeriesData, match=message):
        queries.deaths_in_window(official.overdose_deaths, *args)


def test_a_missing_release_lists_the_releases(official):
    with pytest.raises(queries.NoSeriesData, match=r"in the release of 2001-01-01 \(releases: "):
        queries.deaths_in_window(official.overdose_deaths, "fentanyl", "US", "2023-01", release="2001-01-01")


def test_seizure_sums_for_a_drug_are_the_sums_of_a_scan(official):
    seizures = official.seizures
    months = sorted(seizures["month"].unique())[::5]
    for drug in ("fentanyl", "cocaine", "khat"):
        for first, last in itertools.combinations_with_replacement(months, 2):
            got = queries.seizures_in_months(seizures, first, last, drug=drug)
            rows = seizures[(seizures["drug"] == drug) & (seizures["month"] >= first) & (seizures["month"] <= last)]
            assert (got["events"], got["seized_lb"], got["seized_kg"]) == (
                int(rows["events"].sum()),
                float(rows["seized_lb"].sum()),
                float(rows["seized_kg"].sum()),
            )


def test_a_frame_changed_into_a_new_one_gets_its_own_index(official):
    deaths = official.overdose_deaths
    first = queries.deaths_in_window(deaths, "all_drugs", "US", "2023-01")
    doubled = deaths.assign(deaths_reported=deaths["deaths_reported"] * 2)
    assert queries.deaths_in_window(doubled, "all_drugs", "US", "2023-01")["deaths_reported"] == 2 * first["deaths_reported"]


def test_the_death_index_keeps_the_newest_release_then_the_last_row_and_no_entry_per_row():
    def row(release, end, reported, geography="US"):
        return {
            "substance": "fentanyl",
            "geography": geography,
            "window_months": 12,
            "period_end": pd.Timestamp(end),
            "release": pd.Timestamp(release),
            "deaths_reported": reported,
        }

    deaths = pd.DataFrame(
        [
            row("2024-06-01", "2023-01-31", 3),  # the newest release, given first
            row("2023-06-01", "2023-01-31", 1),
            row("2023-06-01", "2023-01-31", 2),  # the same key in the same release: the last row as given wins
            row("2023-06-01", "2022-12-31", 5, geography="AK"),
        ]
    )
    assert queries.deaths_in_window(deaths, "fentanyl", "US", "2023-01")["deaths_reported"] == 3
    assert queries.deaths_in_window(deaths, "fentanyl", "US", "2023-01", release="2023-06-01")["deaths_reported"] == 2
    assert queries.deaths_in_window(deaths, "fentanyl", "AK", "2022-12", release="2023-06-01")["deaths_reported"] == 5
    with pytest.raises(queries.NoSeriesData, match="ending 2022-12-31; the series runs 2023-01-31 to 2023-01-31"):
        queries.deaths_in_window(deaths, "fentanyl", "US", "2022-12")  # a date another series holds
    with pytest.raises(queries.NoSeriesData, match="no 12-month fentanyl deaths for AK in the release of 2024-06-01"):
        queries.deaths_in_window(deaths, "fentanyl", "AK", "2022-12", release="2024-06-01")
    # Held as arrays, with dictionaries per series, date and release only: ~150,000 tuple keys held 68 MB
    index = queries.per_frame(deaths, "death_index", queries._death_index)
    assert (len(index.series), len(index.ends), len(index.release_codes)) == (2, 2, 2)
    assert isinstance(index.newest.keys, np.ndarray) and len(index.by_release.keys) == 3
