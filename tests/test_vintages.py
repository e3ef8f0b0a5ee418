"""The older CDC VSRR releases kept in data/raw/cdc-vsrr: held with their estimated dates, read, and never preferred
to a newer release."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from drugstats import DATA_DIR
from drugstats.official import cdc_vsrr, provenance, queries, series
from drugstats.publish import cite, revisions
from drugstats.verdicts import pipeline

RAW = Path(DATA_DIR) / "raw" / "cdc-vsrr"

# file -> (estimated release, last day of the latest period), as recorded in metadata.yaml
OLDER = {
    "vsrr_2017-05_lketema.csv": ("2017-10-15", "2017-05-31"),
    "vsrr_2018-03_Surafeldemssie.csv": ("2018-08-15", "2018-03-31"),
    "vsrr_2018-09_hanyucai.csv": ("2019-02-15", "2018-09-30"),
    "vsrr_2018-11_bwsi-hadr.csv": ("2019-04-15", "2018-11-30"),
    "vsrr_2019-02_linmck.csv": ("2019-07-15", "2019-02-28"),
    "vsrr_2021-03_viviwaqi.csv": ("2021-08-15", "2021-03-31"),
}


@pytest.fixture(scope="module")
def shipped() -> series.Series:
    return series.load_series(DATA_DIR)


def _us_all_drugs(name: str, year: str, month: str) -> int:
    """The US 'Number of Drug Overdose Deaths' Data Value of one period, read from the raw file with the csv module."""
    with open(RAW / name, encoding="utf-8-sig", newline="") as f:
        (row,) = [
            r
            for r in csv.DictReader(f)
            if (r["State"], r["Year"], r["Month"], r["Indicator"]) == ("US", year, month, "Number of Drug Overdose Deaths")
        ]
    return int(row["Data Value"].replace(",", ""))


def test_older_releases_are_held_with_estimated_dates(shipped):
    files = {f.name: f for f in shipped.datasets["cdc-vsrr"].files}
    for name, (release, through) in OLDER.items():
        held = files[name]
        assert (held.release, held.data_through) == (release, through)
        assert held.release_basis.startswith("ESTIMATED") and held.release_estimated
        assert held.copied_from is not None and set(held.copied_from) == {"repo", "commit", "path"}
    releases = set(shipped.overdose_deaths["release"].dt.date.astype(str))
    assert set(r for r, _ in OLDER.values()) <= releases


def test_an_estimated_release_is_named_as_one_wherever_it_is_shown(shipped):
    meta = shipped.datasets["cdc-vsrr"]
    assert meta.release_name("2018-08-15") == "about August 2018 (estimated)"
    assert meta.release_name("2026-02-14") == "2026-02-14"  # the date in the name of CDC's own download
    rows = shipped.overdose_deaths[shipped.overdose_deaths["release"] == pd.Timestamp("2018-08-15")]
    assert "release of about August 2018 (estimated)" in cite.dataset_citation(meta, rows["release"]).text
    assert "2018-08-15" not in cite.dataset_citation(meta, rows["release"]).text


@pytest.mark.parametrize("value", ["yes", 1, "true"])
def test_release_estimated_is_a_yaml_boolean_and_nothing_else(value):
    doc = {
        "dataset": "cdc-vsrr", "producer": "p", "title": "t", "license": "l",
        "files": [{"name": "a.csv", "title": "t", "release": "2018-08-15", "release_basis": "b", "release_estimated": value,
                   "retrieved": "2026-11-30", "rows": 1, "sha256": "0" * 64, "compiled_from": "x"}],
    }  # fmt: skip
    meta, problems = provenance.parse_metadata(doc, "metadata.yaml")
    assert meta is None and [(p.record, p.field) for p in problems] == [("a.csv", "release_estimated")]
    doc["files"][0]["release_estimated"] = True
    meta, problems = provenance.parse_metadata(doc, "metadata.yaml")
    assert problems == [] and meta.files[0].release_estimated and meta.files[0].to_dict()["release_estimated"] is True


def test_every_older_release_has_rows_for_every_jurisdiction(shipped):
    deaths = shipped.overdose_deaths
    for release, _ in OLDER.values():
        rows = deaths[deaths["release"] == pd.Timestamp(release)]
        assert rows["geography"].nunique() == 53  # 50 states, DC, US and YC (New York City)


def test_feb_2019_window_as_first_published_and_as_now(shipped):
    deaths = shipped.overdose_deaths
    first = queries.deaths_in_window(deaths, "all_drugs", "US", "2019-02", release="2019-07-15")
    assert first["deaths_reported"] == _us_all_drugs("vsrr_2019-02_linmck.csv", "2019", "February")
    newest = queries.deaths_in_window(deaths, "all_drugs", "US", "2019-02")
    assert newest["release"].year == 2026
    assert newest["deaths_reported"] > first["deaths_reported"]  # late death certificates raised the count
    latest = queries.latest_release(deaths)
    window = latest[(latest["substance"] == "all_drugs") & (latest["geography"] == "US") & (latest["period_end"] == "2019-02-28")]
    assert window["release"].tolist() == [newest["release"]]
    assert window["deaths_reported"].tolist() == [newest["deaths_reported"]]


def test_the_2017_layout_has_no_predicted_value(shipped):
    deaths = shipped.overdose_deaths
    row = queries.deaths_in_window(deaths, "all_drugs", "US", "2017-05", release="2017-10-15")
    assert row["deaths_reported"] == _us_all_drugs("vsrr_2017-05_lketema.csv", "2017", "May")
    assert pd.isna(row["deaths_predicted"])


def test_a_newer_release_wins_every_window(shipped):
    deaths = shipped.overdose_deaths
    latest = queries.latest_release(deaths)
    key = ["substance", "geography", "window_months", "period_end"]
    newest = deaths.groupby(key)["release"].max().rename("newest").reset_index()
    merged = latest.merge(newest, on=key)
    assert len(merged) == len(latest) > 0
    assert (merged["release"] == merged["newest"]).all()


LAYOUT_2017 = (
    "\ufeffState,State Name,Year,Month,Period,Indicator,Data Value,Percent Complete,Percent Pending Investigation,Footnote\n"
    'US,United States,2017,May,12 month-ending,Number of Drug Overdose Deaths,"1,234",100,0,'
    "*Likely underreported due to incomplete data\n"
)
LAYOUT_2018_03 = (
    "State,State Name,Year,Month,Indicator,Data Value,Predicted Value,Percent Complete,Percent Pending Investigation,Footnote\n"
    "US,US,2018,March,Number of Drug Overdose Deaths,1234,1300,100,0,Underreported due to incomplete data\n"
)


@pytest.mark.parametrize(
    ("body", "predicted", "flag"),
    [
        (LAYOUT_2017, None, "Likely underreported due to incomplete data."),  # stops made uniform
        (LAYOUT_2018_03, 1300.0, "Underreported due to incomplete data."),
    ],
)
def test_older_layouts_are_read_without_filling_in_missing_columns(body, predicted, flag):
    frame, problems = cdc_vsrr.parse_vsrr(body.encode(), "x.csv", "2018-08-15")
    assert problems == []
    (row,) = frame.to_dict("records")
    assert (row["geography"], row["substance"], row["window_months"], row["value_reported"]) == ("US", "all_drugs", 12, 1234)
    assert row["value_predicted"] == predicted if predicted is not None else pd.isna(row["value_predicted"])
    assert row["flag"] == flag


def test_an_unknown_layout_still_names_the_missing_columns():
    body = "State,Year,Month,Indicator,Data Value,Footnote\nUS,2018,March,Number of Drug Overdose Deaths,1,\n"
    _, problems = cdc_vsrr.parse_vsrr(body.encode(), "x.csv", "2018-08-15")
    assert sorted(p.field for p in problems) == ["footnote_symbol", "period", "predicted_value"]


def test_a_missing_final_line_break_is_truncation_unless_the_sha256_was_checked():
    body = LAYOUT_2018_03.rstrip("\n").encode()
    _, problems = cdc_vsrr.parse_vsrr(body, "x.csv", "2018-08-15")
    assert [p.message for p in problems] == ["the last line has no line break: the file looks truncated"]
    _, problems = cdc_vsrr.parse_vsrr(body, "x.csv", "2018-08-15", whole=True)
    assert problems == []


def test_one_window_across_releases_is_each_releases_own_count(shipped):
    rows = queries.window_across_releases(shipped.overdose_deaths, "US", "all_drugs", "2017-05")
    assert [r.date().isoformat() for r in rows["release"]] == sorted(r for r, _ in OLDER.values()) + ["2025-07-16", "2026-02-14"]
    by_release = dict(zip(rows["release"].dt.date.astype(str), rows["deaths_reported"], strict=True))
    for name, (release, _) in OLDER.items():  # each count is the one its own file holds
        assert by_release[release] == _us_all_drugs(name, "2017", "May"), name
    counted = queries.revised_windows(shipped.overdose_deaths, "US", "all_drugs")
    assert counted.iloc[0] == len(rows) and counted.is_monotonic_decreasing


def test_the_window_chart_marks_estimated_release_dates_open_and_dated_ones_filled():
    build = pipeline.build(DATA_DIR)
    figure = revisions.figure(build, "US", "all_drugs", "2017-12", "deaths")
    markers = {t.name: t for t in figure.figure.data if t.name and t.name.startswith("release")}
    assert [str(x)[:10] for x in markers["release, dated by CDC"].x] == ["2025-07-16", "2026-02-14"]
    assert markers["release, date estimated"].marker.color == "white"
    assert len(markers["release, date estimated"].x) == 5  # the five older releases that count 2017 (2018 to 2021)
    said = {c: d for c, d in zip(figure.claims["id"], figure.claims["claimed_on"], strict=True)}
    assert said["gazette-2018-08-15-overdose-deaths-2017"] == pd.Timestamp("2018-08-15")
    assert revisions.figure(build, "US", "all_drugs", "2025-09", "deaths") is None  # one release counts it


def test_a_claim_of_august_2018_about_2017_is_checked_against_the_release_of_its_day_and_the_newest():
    # Daily Caller News Foundation, 2018-08-22, Pennsylvania's 2017 overdose deaths: the release of about August 2018
    # was the one CDC had out then. (AP's Ohio figure of 2018-09-24, used here before, quotes the Ohio Department of
    # Health and is no longer judged against CDC: drugstats.verdicts.scope.)
    build = pipeline.build(DATA_DIR)
    verdict = build.verdict_by_id["dcnf-2018-08-22-pa-overdose-deaths-2017"]
    then, now = verdict.measure_at_claim, verdict.measure
    assert (then.release, then.release_name) == ("2018-08-15", "about August 2018 (estimated)")
    assert verdict.verdict_at_claim is not None
    # today's figure is NCHS's final count (CDC's state map table), a series apart from the provisional releases
    assert now.series == "cdc-sosmap-drug-overdose-by-state" and "NCHS final count" in now.label
    with open(DATA_DIR / "raw" / now.series / "sosmap_drug_overdose_by_state_1999-2021_Ilissagarcia.csv", encoding="utf-8") as f:
        (final,) = [int(r["DEATHS"].replace(",", "")) for r in csv.DictReader(f) if (r["YEAR"], r["STATE"]) == ("2017", "PA")]
    assert now.value == final
    assert "CDC's provisional count was" in verdict.explanation and f"the final count is {final:,}" in verdict.explanation
    with open(RAW / "vsrr_2018-03_Surafeldemssie.csv", encoding="utf-8-sig", newline="") as f:
        (row,) = [
            r
            for r in csv.DictReader(f)
            if (r["State"], r["Year"], r["Month"], r["Indicator"]) == ("PA", "2017", "December", "Number of Drug Overdose Deaths")
        ]
    assert then.value == int(row["Data Value"].replace(",", ""))  # the count as that release's own file has it


def test_a_claim_whose_drug_the_release_of_its_day_does_not_count_gets_no_verdict_at_the_time_and_says_why():
    # AP, 2018-09-24, Ohio's 2017 fentanyl deaths: the release of about August 2018 counted only all drugs for Ohio.
    with open(RAW / "vsrr_2018-03_Surafeldemssie.csv", encoding="utf-8-sig", newline="") as f:
        held = {r["Indicator"] for r in csv.DictReader(f) if (r["State"], r["Year"], r["Month"]) == ("OH", "2017", "December")}
    assert held == {"Number of Deaths", "Number of Drug Overdose Deaths"}
    verdict = pipeline.build(DATA_DIR).verdict_by_id["ap-2018-09-24-ohio-fentanyl-deaths-2017"]
    assert (verdict.verdict_at_claim, verdict.measure_at_claim) == (None, None)
    assert verdict.measure.release > "2018-08-15"  # today's figure is given
    assert verdict.explanation.endswith(
        " At the time, the release of about August 2018 (estimated) had no count of deaths involving synthetic opioids "
        "other than methadone (T40.4, mostly illicit fentanyl) in Ohio for 12 months ending December 2017, so only "
        "today's figure is given."
    )
    share = pipeline.build(DATA_DIR).verdict_by_id["ap-2018-09-24-ohio-fentanyl-share-2017"]  # the same, for its share
    assert share.verdict_at_claim is None and share.explanation.endswith(
        "in Ohio for 12 months ending December 2017, so only today's figure is given."
    )
