"""Official series: shipped values, queries, and every validation message."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from drugstats import DATA_DIR, vocab
from drugstats.errors import DataError
from drugstats.official import cbp, cdc_vsrr, fields, periods, provenance, queries, series
from drugstats.verdicts import pipeline

CBP_HEADER = "FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,Drug Type,Count of Event,Sum Qty (lbs)\r\n"
CBP_ROW = "2023,OCT,Office of Field Operations,Southwest Border,Land Only,TUCSON FIELD OFFICE,Fentanyl,3,{lb}\r\n"
VSRR_HEADER = "State,Year,Month,Period,Indicator,Data Value,Predicted Value,Footnote Symbol\n"


# A frozen copy of the official files (tests/fixtures/make_official.py): the parser is checked against the publishers'
# spot tables on files that a `drugstats refresh` of data/ never changes. test_validate checks the shipped data.
OFFICIAL = Path(__file__).parent / "fixtures" / "official"


@pytest.fixture(scope="module")
def shipped() -> series.Series:
    return series.load_series(OFFICIAL)


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(OFFICIAL, target)
    return target


def _recorded_rows(dataset: str) -> int:
    meta = yaml.safe_load((OFFICIAL / "raw" / dataset / "metadata.yaml").read_text(encoding="utf-8"))
    return sum(entry["rows"] for entry in meta["files"])


# --- the shipped data -----------------------------------------------------------------------


def test_shipped_series_validate_every_row(shipped):
    # Counts from the raw files (see each metadata.yaml): a load that checked nothing cannot pass.
    # VSRR: every row but the 2 x 129 context rows of the release file (all-cause deaths, percent specified).
    assert len(shipped.overdose_deaths) == _recorded_rows("cdc-vsrr") - 2 * 129 > 1000
    assert len(shipped.seizures) == _recorded_rows("cbp-seizures") > 1000
    assert len(shipped.reference_values) == 19
    assert set(shipped.datasets) == {"cdc-vsrr", "cbp-seizures", "figures-from-text"}


@pytest.mark.parametrize(
    ("substance", "month", "release", "reported", "predicted"),
    [
        # vsrr-us-total-20260214/PROVENANCE.md spot tables
        ("all_drugs", "2019-12", "2026-02-14", 71130, 72086),
        ("all_drugs", "2023-01", "2026-02-14", 109745, 111311),
        ("all_drugs", "2023-08", "2026-02-14", 111451, 112966),
        ("all_drugs", "2025-09", "2026-02-14", 68962, 72108),
        ("fentanyl", "2023-01", "2026-02-14", 75390, 76436),
        ("fentanyl", "2025-09", "2026-02-14", 38409, 40122),
        ("cocaine", "2024-12", "2026-02-14", 22282, 22491),
        ("methamphetamine", "2025-09", "2026-02-14", 26111, 27392),
        ("heroin", "2023-01", "2026-02-14", 5710, 5785),
        ("opioids", "2022-12", "2026-02-14", 82851, 83981),
        ("methadone", "2024-12", "2026-02-14", 3264, 3306),
        ("natural_semisynthetic_opioids", "2025-09", "2026-02-14", 6879, 7258),
        # vsrr-synthetic-opioids-t404/PROVENANCE.md spot table (the later release)
        ("fentanyl", "2015-01", "2026-06-27", 5766, 5804),
        ("fentanyl", "2023-01", "2026-06-27", 75390, 76033),
        ("fentanyl", "2023-06", "2026-06-27", 77695, 78308),
        ("fentanyl", "2025-09", "2026-06-27", 39662, 40077),
        ("fentanyl", "2026-01", "2026-06-27", 36825, 37488),
    ],
)
def test_us_deaths_match_the_release_files(shipped, substance, month, release, reported, predicted):
    row = queries.deaths_in_window(shipped.overdose_deaths, substance, "US", month, release=release)
    assert (row["deaths_reported"], row["deaths_predicted"]) == (reported, predicted)
    assert row["window_months"] == 12
    assert row["period_end"] == periods.month_end(month)


def test_deaths_query_takes_the_latest_release_by_default(shipped):
    row = queries.deaths_in_window(shipped.overdose_deaths, "fentanyl", "US", "2023-01-31")
    assert row["release"] == pd.Timestamp("2026-06-27")
    assert row["deaths_predicted"] == 76033
    # only the older release has all drugs
    assert queries.deaths_in_window(shipped.overdose_deaths, "all_drugs", "US", "2023-01")["release"] == pd.Timestamp(
        "2026-02-14"
    )


def test_both_releases_of_us_t404_are_kept_as_rows(shipped):
    d = shipped.overdose_deaths
    rows = d[(d["substance"] == "fentanyl") & (d["geography"] == "US") & (d["period_end"] == "2023-01-31")]
    assert sorted(rows["release"].dt.strftime("%Y-%m-%d")) == ["2026-02-14", "2026-06-27"]
    latest = queries.latest_release(d)
    assert not latest.duplicated(["substance", "geography", "window_months", "period_end"]).any()
    assert len(latest) == len(d) - 129  # the 129 US T40.4 periods of the older release drop out
    us = latest[(latest["substance"] == "fentanyl") & (latest["geography"] == "US")]
    assert set(us["release"]) == {pd.Timestamp("2026-06-27")}


def test_every_indicator_maps_and_context_indicators_stay_out(shipped):
    d = shipped.overdose_deaths
    assert set(d["substance"]) == set(cdc_vsrr.VSRR_SUBSTANCE.values())
    assert set(cdc_vsrr.VSRR_SUBSTANCE.values()) <= set(vocab.SUBSTANCES)
    assert not set(d["indicator"]) & set(cdc_vsrr.VSRR_CONTEXT)
    assert set(d["indicator"]) == set(cdc_vsrr.VSRR_SUBSTANCE)


def test_jurisdictions_are_kept_as_cdc_codes(shipped):
    d = shipped.overdose_deaths
    fentanyl = d[d["substance"] == "fentanyl"]
    assert fentanyl["geography"].nunique() == 52
    assert {"US", "YC", "DC", "PR"} <= set(fentanyl["geography"])
    assert not {"LA", "PA"} & set(fentanyl["geography"])


def test_suppressed_counts_are_empty_and_say_why(shipped):
    d = shipped.overdose_deaths
    ak = d[(d["geography"] == "AK") & (d["period_end"] == "2015-01-31")].iloc[0]
    assert pd.isna(ak["deaths_reported"]) and pd.isna(ak["deaths_predicted"])
    assert ak["flag"].endswith("Data not shown due to low data quality.")
    # every value the files leave empty is empty here too, counted independently of the parser
    empty = 0
    for name in ("cdc_api_provisional_overdose_counts.csv", "vsrr_20260214_US_by_drug.csv"):
        with (OFFICIAL / "raw" / "cdc-vsrr" / name).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                value = row.get("data_value", row.get("Data Value"))
                empty += value == "" and row.get("indicator", row.get("Indicator")) in cdc_vsrr.VSRR_SUBSTANCE
    assert d["deaths_reported"].isna().sum() == empty > 0


def test_footnote_symbols_become_words(shipped):
    d = shipped.overdose_deaths
    us = d[(d["geography"] == "US") & (d["substance"] == "all_drugs")].set_index("period_end")["flag"]
    assert us[pd.Timestamp("2023-12-31")] == ("Numbers may differ from published reports using final data. See Technical Notes.")
    assert us[pd.Timestamp("2024-01-31")] == "Underreported due to incomplete data."


@pytest.mark.parametrize(
    ("drug", "fiscal_year", "pounds"),
    [
        # cbp-nationwide-drug-seizures/PROVENANCE.md spot table
        ("fentanyl", 2019, 2803.6),
        ("fentanyl", 2021, 11201.3),
        ("fentanyl", 2022, 14699.9),
        ("fentanyl", 2023, 27022.9),
        ("fentanyl", 2025, 12027.3),
        ("fentanyl", 2026, 3398.3),
        ("methamphetamine", 2020, 177683.6),
        ("cocaine", 2024, 68215.1),
        ("heroin", 2022, 1871.0),
        ("marijuana", 2025, 185003.6),
    ],
)
def test_fiscal_year_totals_match_cbp_files(shipped, drug, fiscal_year, pounds):
    years = queries.seizures_by_fiscal_year(shipped.seizures, drug=drug).set_index("fiscal_year")
    assert round(years.loc[fiscal_year, "seized_lb"], 1) == pounds


def test_fentanyl_october_2022_to_february_2023(shipped):
    total = queries.seizures_in_months(shipped.seizures, "2022-10", "2023-02", drug="fentanyl")
    assert round(total["seized_lb"], 1) == 11043.7
    assert total["months"] == 5
    assert total["seized_kg"] == pytest.approx(total["seized_lb"] * 0.45359237)


def test_component_and_region_filters(shipped):
    # PROVENANCE cross-check: FY2023 fentanyl, Southwest Border, OFO 23,926.94 lb and USBP 2,790.9 lb
    z = shipped.seizures
    ofo = queries.seizures_by_fiscal_year(z, drug="fentanyl", component="OFO", region="Southwest Border")
    usbp = queries.seizures_by_fiscal_year(z, drug="fentanyl", component="U.S. Border Patrol", region="Southwest Border")
    assert round(ofo.set_index("fiscal_year").loc[2023, "seized_lb"], 2) == 23926.94
    assert ofo.set_index("fiscal_year").loc[2023, "events"] == 945
    assert round(usbp.set_index("fiscal_year").loc[2023, "seized_lb"], 1) == 2790.9


def test_fiscal_months_fall_in_the_right_calendar_year(shipped):
    z = shipped.seizures
    fy2023 = z[z["fiscal_year"] == 2023]["month"]
    assert fy2023.min() == pd.Timestamp("2022-10-01")
    assert fy2023.max() == pd.Timestamp("2023-09-01")
    assert z["month"].max() == pd.Timestamp("2025-12-01")


def test_partial_years(shipped):
    z = shipped.seizures
    assert queries.partial_fiscal_years(z) == [2026]
    fiscal = queries.seizures_by_fiscal_year(z).set_index("fiscal_year")
    assert fiscal.loc[2026, "months"] == 3 and fiscal.loc[2026, "partial_year"]
    assert not fiscal.loc[2025, "partial_year"]
    calendar = queries.seizures_by_calendar_year(z, drug="fentanyl").set_index("calendar_year")
    assert calendar.loc[2018, "months"] == 3 and calendar.loc[2018, "partial_year"]
    assert not calendar.loc[2024, "partial_year"]
    # a calendar year is the sum of its months
    assert calendar.loc[2023, "seized_lb"] == pytest.approx(
        queries.seizures_in_months(z, "2023-01", "2023-12", drug="fentanyl")["seized_lb"]
    )


def test_seizure_queries_refuse_what_the_data_do_not_cover(shipped):
    with pytest.raises(queries.NoSeriesData, match="do not cover 2026-01, 2026-02"):
        queries.seizures_in_months(shipped.seizures, "2025-11", "2026-02", drug="fentanyl")
    with pytest.raises(ValueError, match="unknown component 'CBP'"):
        queries.filter_seizures(shipped.seizures, component="CBP")
    with pytest.raises(ValueError, match="unknown drug 'xylazine'"):
        queries.filter_seizures(shipped.seizures, drug="xylazine")


def test_deaths_query_says_what_is_missing(shipped):
    with pytest.raises(queries.NoSeriesData, match="series runs 2015-01-31 to 2025-09-30"):
        queries.deaths_in_window(shipped.overdose_deaths, "all_drugs", "US", "2026-01")
    with pytest.raises(queries.NoSeriesData, match="no 12-month heroin deaths for TX"):
        queries.deaths_in_window(shipped.overdose_deaths, "heroin", "TX", "2023-01")


def test_reference_values_trace_to_figures_csv(shipped):
    ref = shipped.reference_values.set_index("id")
    assert ref.loc["dea-fentanyl-lethal-dose", ["value", "unit", "metric"]].tolist() == [2.0, "mg", "lethal_dose"]
    assert ref.loc["dea-fentanyl-pill-average-content", "value"] == 2.4
    assert ref.loc["dea-fentanyl-potency-vs-heroin", ["value", "relative_to"]].tolist() == [50.0, "heroin"]
    assert ref.loc["dea-fentanyl-potency-vs-morphine", ["value", "relative_to"]].tolist() == [100.0, "morphine"]
    assert ref.loc["nchs-db522-overdose-deaths-2023", "value"] == 105007
    assert ref.loc["nida-overdose-deaths-2022", "value"] == 107941
    # DEA pages were not read: the URL is marked, never passed off as seen
    assert not ref.loc["dea-fentanyl-lethal-dose", "url_seen"]
    assert ref.loc["nchs-db522-overdose-deaths-2023", "url_seen"]
    assert not ref["source_url"].str.contains("UNVERIFIED").any()


def test_tables_have_exactly_the_declared_columns(shipped):
    tables = series.series_tables(shipped)
    assert set(tables) == {
        "overdose_deaths",
        "overdose_deaths_releases",
        "seizures",
        "reference_values",
        "agency_figures",
        "overdose_deaths_final",
        "overdose_deaths_county",
        "overdose_death_rate_bands_county",
    }
    for name, frame in tables.items():
        assert list(frame.columns) == fields.columns(name)
        for f in fields.TABLES[name]["fields"]:
            if f.required:
                assert frame[f.name].notna().all(), f"{name}.{f.name} has empty values"
            if f.enum:
                assert set(frame[f.name].dropna()) <= set(f.enum), f"{name}.{f.name} outside its enum"
        key = fields.TABLES[name]["primary_key"]
        assert not frame.duplicated(key).any(), f"{name} repeats its primary key"


def test_core_never_imports_streamlit():
    code = "import sys, drugstats.official.series, drugstats.refresh; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# --- validation: every message, exactly ----------------------------------------------------


def _messages(problems) -> list[str]:
    return [str(p) for p in problems]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            CBP_HEADER + CBP_ROW.format(lb="-5"),
            "x.csv:2: 2023 OCT TUCSON FIELD OFFICE (Land Only) Fentanyl: Sum Qty (lbs): must be zero or more, got '-5'",
        ),
        (
            CBP_HEADER + CBP_ROW.format(lb="abc"),
            "x.csv:2: 2023 OCT TUCSON FIELD OFFICE (Land Only) Fentanyl: Sum Qty (lbs): expected a number, got 'abc'",
        ),
        (
            CBP_HEADER + CBP_ROW.format(lb="1.5").replace("Fentanyl", "Xylazine"),
            "x.csv:2: 2023 OCT TUCSON FIELD OFFICE (Land Only) Xylazine: Drug Type: 'Xylazine' is not a known drug type; "
            "add it to drugstats.official.cbp.CBP_DRUG if CBP has added it",
        ),
        (
            CBP_HEADER + CBP_ROW.format(lb="1.5").replace(",3,", ",-3,"),
            "x.csv:2: 2023 OCT TUCSON FIELD OFFICE (Land Only) Fentanyl: Count of Event: expected a whole number of "
            "events, 0 or more, got '-3'",
        ),
        (
            CBP_HEADER + CBP_ROW.format(lb="1.5").replace("2023,OCT", "FY23,OCT"),
            "x.csv:2: FY23 OCT TUCSON FIELD OFFICE (Land Only) Fentanyl: FY: 'FY23' is not a fiscal year such as 2023 "
            "or 2026 (FYTD)",
        ),
        (
            CBP_HEADER.replace(",Sum Qty (lbs)", "") + "2023,OCT,Office of Field Operations,Southwest Border,Land Only,"
            "TUCSON FIELD OFFICE,Fentanyl,3\r\n",
            "x.csv:1: -: Sum Qty (lbs): required column is missing (the header has: FY, Month (abbv), Component, "
            "Region, Land Filter, Area of Responsibility, Drug Type, Count of Event)",
        ),
        (
            CBP_HEADER + CBP_ROW.format(lb="1.5") + CBP_ROW.format(lb="1.5").replace(",3,", ","),
            "x.csv:3: -: -: has 8 fields, the header has 9",
        ),
        (
            CBP_HEADER + CBP_ROW.format(lb="1.5").rstrip("\r\n"),
            "x.csv:2: -: -: the last line has no line break: the file looks truncated",
        ),
        ("", "x.csv: -: -: is empty"),
        (CBP_HEADER, "x.csv:2: -: -: has a header but no data rows"),
    ],
)
def test_cbp_validation_messages(body, expected):
    frame, problems = cbp.parse_cbp(body.encode(), "x.csv")
    assert _messages(problems) == [expected]


def test_cbp_repeated_rows_name_the_first_one():
    body = (CBP_HEADER + CBP_ROW.format(lb="1.5") + CBP_ROW.format(lb="2.5")).encode()
    frame, problems = cbp.parse_cbp(body, "x.csv")
    assert problems == []
    _, problems = cbp.seizures_frame([frame])
    assert _messages(problems) == [
        "x.csv:3: 2023 OCT TUCSON FIELD OFFICE (Land Only) Fentanyl: -: repeats the month, "
        "area, land filter and drug type of line 2"
    ]


def test_cbp_reports_every_problem_at_once():
    body = CBP_HEADER + CBP_ROW.format(lb="-1").replace("Fentanyl", "Xylazine") + CBP_ROW.format(lb="x")
    _, problems = cbp.parse_cbp(body.encode(), "x.csv")
    assert [(p.line, p.field) for p in problems] == [(2, "Drug Type"), (3, "Sum Qty (lbs)"), (2, "Sum Qty (lbs)")]


def test_a_flood_of_one_problem_is_summarised():
    body = CBP_HEADER + "".join(CBP_ROW.format(lb="-1").replace("OCT", m) for m in cbp.CBP_MONTHS)
    _, problems = cbp.parse_cbp(body.encode(), "x.csv")
    assert len(problems) == 11
    assert str(problems[-1]) == "x.csv: -: Sum Qty (lbs): ... and 2 more rows with the same problem"


def test_cbp_turns_fiscal_months_into_calendar_months():
    body = CBP_HEADER + CBP_ROW.format(lb="10").replace("2023,OCT", "2026 (FYTD),DEC") + CBP_ROW.format(lb="1")
    frame, problems = cbp.parse_cbp(body.encode(), "x.csv")
    assert problems == []
    got = frame[["fiscal_year", "month", "partial_year", "component", "drug", "events", "seized_lb", "seized_kg"]]
    expected = pd.DataFrame(
        {
            "fiscal_year": pd.array([2026, 2023], dtype="Int64"),
            "month": pd.to_datetime(["2025-12-01", "2022-10-01"]).astype("datetime64[s]"),
            "partial_year": [True, False],
            "component": ["OFO", "OFO"],
            "drug": ["fentanyl", "fentanyl"],
            "events": pd.array([3, 3], dtype="Int64"),
            "seized_lb": [10.0, 1.0],
            "seized_kg": [4.5359237, 0.45359237],
        }
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


VSRR_ROW = "US,2023,January,12 month-ending,Cocaine (T40.5),{data},{predicted},**\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            VSRR_HEADER + VSRR_ROW.format(data="n/a", predicted="1"),
            "v.csv:2: US 2023 January Cocaine (T40.5): Data Value: expected a number, got 'n/a'",
        ),
        (
            VSRR_HEADER + VSRR_ROW.format(data="-4", predicted="1"),
            "v.csv:2: US 2023 January Cocaine (T40.5): Data Value: must be zero or more, got '-4'",
        ),
        (
            VSRR_HEADER + VSRR_ROW.format(data="10.5", predicted="11"),
            "v.csv:2: US 2023 January Cocaine (T40.5): Data Value: a count must be a whole number, got '10.5'",
        ),
        (
            VSRR_HEADER + VSRR_ROW.format(data="", predicted=""),
            "v.csv:2: US 2023 January Cocaine (T40.5): Data Value: is empty, and no footnote says the value was "
            "suppressed or not shown",
        ),
        (
            VSRR_HEADER + VSRR_ROW.format(data="1", predicted="1").replace("Cocaine (T40.5)", "Xylazine"),
            "v.csv:2: US 2023 January Xylazine: Indicator: 'Xylazine' is not a known indicator; add it to "
            "drugstats.official.cdc_vsrr.VSRR_SUBSTANCE (or VSRR_CONTEXT) if CDC has added it",
        ),
        (
            VSRR_HEADER + VSRR_ROW.format(data="1", predicted="1").replace("January", "Janvier"),
            "v.csv:2: US 2023 Janvier Cocaine (T40.5): Month: 'Janvier' is not a month name such as January",
        ),
        (
            VSRR_HEADER.replace(",Predicted Value", "") + "US,2023,January,12 month-ending,Cocaine (T40.5),1,**\n",
            "v.csv:1: -: predicted_value: required column is missing (the header has: State, Year, Month, Period, "
            "Indicator, Data Value, Footnote Symbol)",
        ),
    ],
)
def test_vsrr_validation_messages(body, expected):
    _, problems = cdc_vsrr.parse_vsrr(body.encode(), "v.csv", "2026-02-14")
    assert _messages(problems) == [expected]


@pytest.mark.parametrize(
    ("footnote", "flag"),
    [
        ("Underreported due to incomplete data", "Underreported due to incomplete data."),
        ("*Likely underreported due to incomplete data", "Likely underreported due to incomplete data."),
        (
            "Underreported due to incomplete data.  Data suppressed (<10).",
            "Underreported due to incomplete data. Data suppressed (<10).",
        ),
    ],
)
def test_vsrr_footnotes_read_alike_whatever_the_release_wrote(footnote, flag):
    api = (
        "state,year,month,period,indicator,percent_complete,footnote,footnote_symbol,data_value,predicted_value\n"
        f'US,2023,January,12 month-ending,Cocaine (T40.5),100,"{footnote}",*,28326,28666\n'
    )
    frame, problems = cdc_vsrr.parse_vsrr(api.encode(), "b.csv", "2026-02-14")
    assert problems == [] and frame["flag"].iloc[0] == flag


def test_the_shipped_deaths_have_one_text_per_footnote():
    flags = pipeline.build(DATA_DIR).official.overdose_deaths["flag"].dropna().unique()
    assert all(f == " ".join(f.split()) and f.endswith(".") and not f.startswith("*") for f in flags), sorted(flags)
    assert "Underreported due to incomplete data." in flags


def test_vsrr_reads_release_and_api_headers_alike():
    release_file = VSRR_HEADER + 'US,2023,January,12 month-ending,Cocaine (T40.5),"28,326","28,666",**\n'
    api = (
        "state,year,month,period,indicator,percent_complete,footnote,footnote_symbol,data_value,predicted_value\n"
        "US,2023,January,12 month-ending,Cocaine (T40.5),100,Some note.,**,28326,28666\n"
    )
    a, pa = cdc_vsrr.parse_vsrr(release_file.encode(), "a.csv", "2026-02-14")
    b, pb = cdc_vsrr.parse_vsrr(api.encode(), "b.csv", "2026-02-14")
    assert pa == pb == []
    columns = ["period_end", "geography", "substance", "value_reported", "value_predicted"]
    pd.testing.assert_frame_equal(a[columns], b[columns])
    assert a["flag"].iloc[0] == cdc_vsrr.VSRR_FOOTNOTES["**"]
    assert b["flag"].iloc[0] == "Some note."  # the file's own footnote wins over the symbol
    assert a["period_end"].iloc[0] == pd.Timestamp("2023-01-31")


def test_load_reports_checksum_mismatch(data_copy):
    path = data_copy / "raw" / "cbp-seizures" / "nationwide-drugs-fy19-fy22.csv"
    path.write_bytes(path.read_bytes().replace(b"8.3799469484296", b"9.3799469484296", 1))
    with pytest.raises(DataError) as err:
        series.load_series(data_copy)
    new = provenance.sha256_hex(path.read_bytes())
    assert _messages(err.value.problems) == [
        f"{path}: -: sha256: the file's sha256 is {new}, metadata.yaml records "
        f"{provenance.sha256_hex((OFFICIAL / 'raw' / 'cbp-seizures' / path.name).read_bytes())}: the file changed since it "
        "was recorded"
    ]


def test_load_collects_problems_from_every_dataset(data_copy):
    cdc = data_copy / "raw" / "cdc-vsrr" / "vsrr_20260214_US_by_drug.csv"
    cdc.write_bytes(cdc.read_bytes() + b"US,2025,October,12 month-ending,Heroin (T40.1),-1,1,*\n")
    (data_copy / "raw" / "cbp-seizures" / "stray.csv").write_text("a\n")
    ref = data_copy / "reference_values.yaml"
    ref.write_text(ref.read_text().replace("value: 105007", "value: 105008"))
    with pytest.raises(DataError) as err:
        series.load_series(data_copy)
    messages = _messages(err.value.problems)
    figures = data_copy / "raw" / "figures-from-text" / "figures.csv"
    assert f"{cdc}:1421: US 2025 October Heroin (T40.1): Data Value: must be zero or more, got '-1'" in messages
    assert any(m.startswith(f"{cdc}: -: sha256: ") for m in messages)
    assert (
        f"{data_copy / 'raw' / 'cbp-seizures' / 'stray.csv'}: -: -: is not listed in metadata.yaml: list it "
        "with its provenance, or remove it"
    ) in messages
    assert f"{ref}:11: nchs-db522-overdose-deaths-2023: value: 105008 differs from '105007' in {figures}:2" in messages


def test_reference_values_must_match_their_figures_line(data_copy):
    ref = data_copy / "reference_values.yaml"
    text = ref.read_text()
    text = text.replace("  unit: mg\n", "  unit: g\n", 1)
    text = text.replace("url_seen: false", "url_seen: true", 1)
    ref.write_text(text)
    with pytest.raises(DataError) as err:
        series.load_series(data_copy)
    fields_named = [(p.record, p.field) for p in err.value.problems]
    assert fields_named == [("dea-fentanyl-lethal-dose", "unit"), ("dea-fentanyl-lethal-dose", "source_url")]


def test_reference_values_get_the_same_hostile_yaml_guards_as_claims(data_copy):
    ref = data_copy / "reference_values.yaml"
    ref.write_text(
        ref.read_text().replace("- id: nchs-db522-overdose-deaths-2023", "- &a\n  id: nchs-db522-overdose-deaths-2023", 1)
    )
    with pytest.raises(DataError) as err:
        series.load_series(data_copy)
    assert [p.message for p in err.value.problems] == ["anchors and aliases (&name, *name) are not allowed: write each value out"]


def test_repeated_text_of_a_large_frame_is_held_once_with_the_same_values():
    compact = series.compact
    n = 60_000
    frame = pd.DataFrame({"url": ["https://data.cdc.gov/x.csv"] * n, "place": [f"P{i}" for i in range(n)], "n": range(n)})
    before = frame.copy()
    out = compact(frame)
    assert str(out["url"].dtype) == "category" and str(out["place"].dtype) != "category"  # a place per row stays text
    assert out["url"].astype(str).equals(before["url"].astype(str)) and out["n"].equals(before["n"])
    assert out.memory_usage(deep=True).sum() < before.memory_usage(deep=True).sum() / 2
    small = pd.DataFrame({"url": ["https://x"] * 100})
    assert str(compact(small)["url"].dtype) != "category"
