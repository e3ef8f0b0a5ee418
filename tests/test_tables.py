"""The exported official tables: one row per key in overdose_deaths, every release apart, each row's source, and
numbers written to the precision declared for their column (issue 16)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from drugstats.official import fields, provenance, series
from drugstats.publish import export

OFFICIAL = Path(__file__).parent / "fixtures" / "official"  # two CDC releases that share the US fentanyl rows
DEATHS_KEY = fields.TABLES["overdose_deaths"]["primary_key"]


@pytest.fixture(scope="module")
def official() -> series.Series:
    return series.load_series(OFFICIAL)


@pytest.fixture(scope="module")
def written(official) -> dict[str, pd.DataFrame]:
    """The official tables as their CSVs say, every cell the text written."""
    out = {}
    for name, frame in series.series_tables(official).items():
        out[name] = pd.read_csv(io.BytesIO(export.to_csv_bytes(frame, name)), dtype=str, keep_default_na=False)
    return out


def _parsed_deaths(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Each VSRR file of data_dir parsed on its own: the death counts of its rows, by file name."""
    meta, contents, problems = series.read_dataset(data_dir, series.CDC_VSRR)
    assert meta is not None and not problems
    parts, problems = series.parse_files(series.CDC_VSRR, meta, contents, data_dir / "raw" / series.CDC_VSRR)
    assert not problems
    return {name: part[part["substance"].notna()] for name, part in parts.items()}


# --- overdose_deaths: one row per key, the newest release's ------------------------------------------------------------


def test_overdose_deaths_csv_has_one_row_per_key_the_newest_releases(written):
    deaths, releases = written["overdose_deaths"], written["overdose_deaths_releases"]
    repeated = releases.duplicated(DEATHS_KEY, keep=False)
    assert repeated.sum() > 200  # the fixture's point: a key in two releases, which a naive sum counts twice
    assert not deaths.duplicated(DEATHS_KEY).any()
    assert len(deaths) == len(releases.drop_duplicates(DEATHS_KEY))
    newest = releases.sort_values("release", kind="stable").drop_duplicates(DEATHS_KEY, keep="last")
    both = deaths.merge(newest, on=DEATHS_KEY, how="outer", suffixes=("", "_newest"), indicator=True, validate="1:1")
    assert (both["_merge"] == "both").all()
    for column in ("release", "deaths_reported", "deaths_predicted", "flag", "source_url"):
        assert (both[column] == both[f"{column}_newest"]).all(), column
    # and where two releases disagree, the older figure is not the one kept
    revised = releases[repeated].groupby(DEATHS_KEY)["deaths_reported"].nunique() > 1
    assert revised.any()
    older = releases[repeated].sort_values("release").drop_duplicates(DEATHS_KEY, keep="first")
    kept = older.merge(deaths, on=DEATHS_KEY, suffixes=("_older", ""))
    assert (kept["release_older"] < kept["release"]).all()


def test_a_sum_over_overdose_deaths_counts_each_period_once(official):
    tables = series.series_tables(official)
    us = tables["overdose_deaths"].query("geography == 'US' and substance == 'fentanyl'")
    every = tables["overdose_deaths_releases"].query("geography == 'US' and substance == 'fentanyl'")
    assert us["period_end"].is_unique and len(every) > len(us)
    newest = every.sort_values("release").groupby("period_end")["deaths_reported"].last()
    assert us["deaths_reported"].sum() == newest.sum() < every["deaths_reported"].sum()


def test_the_releases_table_holds_every_row_of_every_release(official, written):
    parsed = _parsed_deaths(OFFICIAL)
    releases = written["overdose_deaths_releases"]
    assert len(releases) == sum(len(part) for part in parsed.values()) > 1000
    assert not releases.duplicated(fields.TABLES["overdose_deaths_releases"]["primary_key"]).any()
    held = {f.release for f in official.datasets[series.CDC_VSRR].files}
    assert set(releases["release"]) == held and len(held) == 2
    for release, count in releases.groupby("release").size().items():
        assert count == sum(len(part) for part in parsed.values() if (part["release"] == pd.Timestamp(release)).all())


def test_both_deaths_tables_are_declared_with_their_keys():
    assert fields.TABLES["overdose_deaths"]["primary_key"] == ["substance", "geography", "window_months", "period_end"]
    assert fields.TABLES["overdose_deaths_releases"]["primary_key"] == [*DEATHS_KEY, "release"]
    assert fields.columns("overdose_deaths") == fields.columns("overdose_deaths_releases")
    for name in ("overdose_deaths", "overdose_deaths_releases"):
        assert "release" in fields.TABLES[name]["description"]


# --- source_url: the official file each row was read from --------------------------------------------------------------


def test_every_official_row_names_its_source_url_from_the_metadata(official, written):
    for name, dataset in (
        ("overdose_deaths", "cdc-vsrr"),
        ("overdose_deaths_releases", "cdc-vsrr"),
        ("seizures", "cbp-seizures"),
    ):
        url = official.datasets[dataset].url
        assert url.startswith("https://")
        assert (written[name]["source_url"] == url).all(), name  # every file of the fixture is a copy: the dataset page


def test_a_file_downloaded_by_refresh_names_the_address_it_came_from(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(OFFICIAL, data)
    path = data / "raw" / "cdc-vsrr" / "metadata.yaml"
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    (entry,) = [f for f in meta["files"] if f["name"] == "cdc_api_provisional_overdose_counts.csv"]
    del entry["copied_from"]
    entry["downloaded_from"] = "https://data.cdc.gov/resource/xkb8-kh2a.csv?$limit=50000"
    path.write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    tables = series.series_tables(series.load_series(data))
    every = tables["overdose_deaths_releases"]
    downloaded = every["release"] == pd.Timestamp(entry["release"])
    assert downloaded.any() and (~downloaded).any()
    assert (every.loc[downloaded, "source_url"] == entry["downloaded_from"]).all()
    assert (every.loc[~downloaded, "source_url"] == meta["url"]).all()


def test_file_url_is_the_download_address_only_when_it_is_one():
    def raw(**origin) -> provenance.RawFile:
        return provenance.RawFile("a.csv", "A", None, "n/a", None, "2026-01-01", 1, "0" * 64, **origin)

    meta = provenance.DatasetMeta("d", "P", "T", "https://example.gov/dataset", "public domain", ())
    assert meta.file_url(raw(downloaded_from="https://example.gov/a.csv")) == "https://example.gov/a.csv"
    assert meta.file_url(raw(downloaded_from="/tmp/a.csv")) == "https://example.gov/dataset"
    assert meta.file_url(raw(copied_from={"repo": "x/y", "commit": "c", "path": "a.csv"})) == "https://example.gov/dataset"


# --- numbers to their declared precision ----------------------------------------------------------------------------------


def _decimals(text: str) -> int:
    return max(0, -Decimal(text).as_tuple().exponent)


def test_seized_weights_are_written_to_cbps_precision():
    frame = pd.DataFrame(
        {
            "seized_lb": [0.5256040788341999, 2.20462262e-05, 147.04832875399998, np.nan, 4.0],
            "seized_kg": [0.23840999980007158, 1.0000000000e-05, 66.70042, np.nan, 1.81436948],
            "note": ["-1", "x", "y", "z", "w"],
        }
    )
    rows = list(csv.DictReader(io.StringIO(export.to_csv_bytes(frame, "seizures").decode())))
    assert [r["seized_lb"] for r in rows] == ["0.5256", "0.00002", "147.04833", "", "4.0"]
    assert [r["seized_kg"] for r in rows] == ["0.23841", "0.00001", "66.70042", "", "1.81437"]
    assert rows[0]["note"] == "'-1"  # text is still neutralized; the rounded numbers are not taken for formulas
    # without a table (a page's download), declared columns are rounded all the same; others are written as they are
    assert export.to_csv_bytes(frame).decode() == export.to_csv_bytes(frame, "seizures").decode()
    assert "0.23840999980007158" in export.to_csv_bytes(frame.rename(columns={"seized_kg": "undeclared"})).decode()


def test_no_written_number_has_more_decimals_than_its_column_declares(written):
    checked = 0
    for name, frame in written.items():
        for column, places in fields.decimals(name).items():
            cells = frame[column][frame[column] != ""]
            if cells.empty:  # a table of an optional dataset the fixture does not hold
                continue
            assert cells.map(_decimals).max() <= places, (name, column)
            assert cells.map(lambda t: Decimal(t).is_finite() and "e" not in t.lower()).all(), (name, column)
            checked += len(cells)
    assert checked > 1000


def test_the_json_rows_carry_the_csvs_rounded_values(official, written):
    frame = series.series_tables(official)["seizures"]
    assert frame["seized_kg"].map(lambda x: len(repr(x)) > 12).any()  # unrounded in memory, as the checks use it
    rows = json.loads(export.to_json_bytes(frame, "seizures"))
    assert len(rows) == len(written["seizures"])
    for column in fields.decimals("seizures"):
        assert [r[column] for r in rows] == [float(t) for t in written["seizures"][column]], column


def test_decimals_are_declared_only_on_number_columns():
    with pytest.raises(ValueError, match="decimals are for number columns"):
        fields.Field("n", "integer", "a count", decimals=2)
    declared = fields.field("seizures", "seized_kg")
    assert declared.decimals == 5 and "rounded to 5 decimal places" in declared.frictionless()["description"]
    assert fields.field("claims", "value").decimals is None  # a stated number keeps the digits it was printed with
