"""NCHS final counts and rates, and VSRR county counts: each parser on inline rows, each check on a tiny record."""

from __future__ import annotations

import pandas as pd
import pytest

from drugstats.claims.models import Claim, Source
from drugstats.official import nchs_final, vsrr_county
from drugstats.verdicts import checks
from drugstats.verdicts.checks import OfficialRecord
from drugstats.verdicts.transform import claims_frame

SOURCE = Source(
    id="s", kind="news", publisher="P", title="T", url="https://example.org/", published="2024-02-01", accessed="2026-11-22"
)
REFERENCE = pd.DataFrame(columns=["metric", "substance", "relative_to", "value", "unit", "publisher", "figure", "source_url",
                                  "published", "source_title", "period_start", "period_end", "geography"])  # fmt: skip

# ---------------------------------------------------------------- parsers

_PER = '"per 100,000 population"'
STATE_CSV = (
    "State,Year,Sex,Age Group,Race and Hispanic Origin,Deaths,Population,Crude Death Rate,"
    "Standard Error for Crude Rate,Lower Confidence Limit for Crude Rate,Upper Confidence Limit for Crude Rate,"
    "Age-adjusted Rate,Standard Error for Age-adjusted Rate,Lower Confidence Limit for Age-adjusted Rate,"
    "Upper Confidence Limit for Age-adjusted Rate,State Crude Rate in Range,US Crude Rate,US Age-adjusted Rate,Unit\n"
    "Texas,2012,Both Sexes,All Ages,All Races-All Origins,2500,26000000,9.6,0,0,0,9.8,0,0,0,1–2,1,1," + _PER + "\n"
    "United States,2012,Male,All Ages,All Races-All Origins,25000,150000000,16.6,0,0,0,,0,0,0,1–2,1,1," + _PER + "\n"
    "New York,2012,Both Sexes,All Ages,All Races-All Origins,2000,19500000,10.3,0,0,0,10.1,0,0,0,1–2,1,1," + _PER + "\n"
).encode()


def test_the_state_table_keeps_each_places_all_ages_row_and_reads_new_york_as_the_whole_state():
    frame, problems = nchs_final.parse_state(STATE_CSV, "state.csv")
    assert problems == []
    final, problems = nchs_final.stack([frame])
    assert problems == []
    assert final[["geography", "year", "deaths", "rate_age_adjusted"]].values.tolist() == [
        ["NY", 2012, 2000, 10.1],
        ["TX", 2012, 2500, 9.8],
    ]
    assert nchs_final.place_name("NY") == "New York State (New York City included)"


def test_a_bad_count_in_the_state_table_names_file_line_record_and_column():
    bad = STATE_CSV.replace(b",2500,", b",lots,")
    _, problems = nchs_final.parse_state(bad, "state.csv")
    assert [(p.line, p.field, p.message) for p in problems] == [(2, "Deaths", "expected a number, got 'lots'")]
    assert problems[0].record.startswith("Texas 2012")


SOSMAP_CSV = (
    b'YEAR,STATE,RATE,DEATHS,URL\n2021,AZ,38.7,"2,730",/nchs/a.htm\n2014,AZ,12.6,356,/nchs/b.htm\n1999,ND,0,12,/nchs/c.htm\n'
)


def test_the_state_map_reads_thousands_never_reads_a_rate_of_0_with_deaths_and_drops_the_swapped_2014_rows():
    frame, problems = nchs_final.parse_sosmap(SOSMAP_CSV, "map.csv")
    assert problems == []
    final, _ = nchs_final.stack([frame])
    rows = {(r.geography, r.year): r for r in final.itertuples()}
    assert rows[("AZ", 2021)].deaths == 2730 and rows[("AZ", 2021)].rate_age_adjusted == 38.7
    assert ("AZ", 2014) not in rows  # swapped with Arkansas in CDC's table
    assert rows[("ND", 1999)].deaths == 12 and pd.isna(rows[("ND", 1999)].rate_age_adjusted)


def test_the_two_state_tables_are_checked_against_each_other():
    state, _ = nchs_final.parse_state(STATE_CSV, "state.csv")
    disagreeing = b"YEAR,STATE,RATE,DEATHS,URL\n2012,TX,9.8,2600,/x.htm\n"
    sosmap, _ = nchs_final.parse_sosmap(disagreeing, "map.csv")
    frames = {nchs_final.STATE: nchs_final.stack([state])[0], nchs_final.SOSMAP: nchs_final.stack([sosmap])[0]}
    _, problems = nchs_final.final_frame(frames)
    assert [(p.path, p.line) for p in problems] == [("map.csv", 2)]
    assert "deaths 2600 vs 2500" in problems[0].message
    agreeing = disagreeing.replace(b"2600", b"2500")
    frames[nchs_final.SOSMAP] = nchs_final.stack([nchs_final.parse_sosmap(agreeing, "map.csv")[0]])[0]
    assert nchs_final.final_frame(frames)[1] == []


DRUG_CSV = (
    b"Drug_overdose_death_rates\r\n"
    b"INDICATOR,PANEL,PANEL_NUM,UNIT,UNIT_NUM,STUB_NAME,STUB_NAME_NUM,STUB_LABEL,STUB_LABEL_NUM,YEAR,YEAR_NUM,AGE,AGE_NUM,"
    b"ESTIMATE,FLAG\r\n"
    b'x,Drug overdose deaths involving heroin,5,"Deaths per 100,000 resident population, age-adjusted",1,Total,0,'
    b"All persons,0.1,2017,19,All ages,1.1,4.9,\r\n"
    b'x,Drug overdose deaths involving heroin,5,"Deaths per 100,000 resident population, crude",2,Total,0,'
    b"All persons,0.1,2017,19,All ages,1.1,4.8,\r\n"
    b'x,Drug overdose deaths involving heroin,5,"Deaths per 100,000 resident population, crude",2,Age,1,'
    b"Under 15 years,1.2,2017,19,Under 15 years,1.2,,*\r\n"
)


def test_the_drug_type_table_skips_its_title_line_and_joins_a_years_two_rates():
    frame, problems = nchs_final.parse_drug_type(DRUG_CSV, "drug.csv")
    assert problems == [] and len(frame) == 3  # one row per row of the file, for the row count
    final, problems = nchs_final.stack([frame])
    assert problems == []
    assert final[["geography", "substance", "year", "rate_crude", "rate_age_adjusted"]].values.tolist() == [
        ["US", "heroin", 2017, 4.8, 4.9]
    ]


def test_a_drug_type_problem_names_the_line_of_the_whole_file():
    _, problems = nchs_final.parse_drug_type(DRUG_CSV.replace(b",4.9,", b",4.9x,"), "drug.csv")
    assert [(p.line, p.field) for p in problems] == [(3, "ESTIMATE")]


COUNTY_HEAD = (
    "data_as_of,year,month,st_abbrev,state_name,countyname,fips,statefips,countyfips,code2013,"
    "provisional_drug_overdose_deaths,footnote,percentage_of_records_pending_investigation,"
    "historical_data_completeness_note,month_ending_date,start_date,end_date,ap_fips\n"
)
SUPPRESSED = (
    "One or more data cells have counts between 1-9 and have been suppressed in accordance with NCHS confidentiality standards."
)
COUNTY_CSV = (
    COUNTY_HEAD
    + "2023-10-08,2021,12,WV,West Virginia,Kanawha,54039,54,039,4,179,,0.1,,2021-12-31,2020-01-31,2023-03-31,54039\n"
    + f"2023-10-08,2021,12,AL,Alabama,Autauga,1001,01,001,3,,{SUPPRESSED},0.5,,2021-12-31,2020-01-31,2023-03-31,01001\n"
    + "2023-10-08,2021,12,AZ,Arizona,Maricopa,4013,04,013,1,,,0.2,,2021-12-31,2020-01-31,2023-03-31,04013\n"
).encode()


def county_frame() -> pd.DataFrame:
    frame, problems = vsrr_county.parse_county(COUNTY_CSV, "county.csv", "2023-10-08")
    assert problems == []
    out, problems = vsrr_county.county_frame([frame])
    assert problems == []
    return out


def test_county_counts_keep_why_a_count_is_missing_and_never_read_it_as_zero():
    frame = county_frame().set_index("county_fips")
    assert frame.loc["54039", "deaths_reported"] == 179 and frame.loc["54039", "count_status"] == "reported"
    assert pd.isna(frame.loc["01001", "deaths_reported"]) and frame.loc["01001", "count_status"] == "suppressed"
    assert (frame.loc["01001", "count_min"], frame.loc["01001", "count_max"]) == (1, 9)
    assert pd.isna(frame.loc["04013", "deaths_reported"]) and frame.loc["04013", "count_status"] == "blanked"
    assert frame.loc["04013", "count_min"] == 1000 and pd.isna(frame.loc["04013", "count_max"])
    assert (frame["deaths_reported"].fillna(-1) != 0).all()


def test_a_county_row_of_another_release_or_a_broken_fips_is_refused():
    _, problems = vsrr_county.parse_county(COUNTY_CSV, "county.csv", "2024-01-01")
    assert {p.field for p in problems} == {"data_as_of"} and len(problems) == 3
    _, problems = vsrr_county.parse_county(COUNTY_CSV.replace(b",54,039,", b",54,39,"), "county.csv", "2023-10-08")
    assert [(p.line, p.field) for p in problems][:1] == [(2, "countyfips")]


# ---------------------------------------------------------------- checks


def claim(**over):
    base = dict(
        id="c", quote="q", metric="overdose_deaths", substance="all_drugs", value=2500, unit="deaths", qualifier="exact",
        period_start="2012-01-01", period_end="2012-12-31", geography="US-TX", claimant="X", attributed_to="CDC",
        source="s", claimed_on="2024-02-01",
    )  # fmt: skip
    return claims_frame([Claim.model_validate(base | over)], {"s": SOURCE}).iloc[0]


def provisional(rows, release="2026-02-14"):
    return pd.DataFrame(
        {
            "period_end": pd.to_datetime([r[2] for r in rows]),
            "geography": [r[0] for r in rows],
            "substance": [r[1] for r in rows],
            "window_months": 12,
            "deaths_reported": pd.array([r[3] for r in rows], dtype="Int64"),
            "release": pd.Timestamp(release),
        }
    )


def final_rows(rows):
    return pd.DataFrame(
        [dict(zip(["dataset", "substance", "geography", "year", "deaths", "rate_crude", "rate_age_adjusted"], r, strict=True))
         for r in rows]
    )  # fmt: skip


@pytest.fixture
def record():
    deaths = provisional([("TX", "all_drugs", "2012-12-31", 2600), ("TX", "all_drugs", "2021-12-31", 5000)])
    final = final_rows(
        [
            (nchs_final.STATE, "all_drugs", "TX", 2012, 2500, 9.6, 9.8),
            (nchs_final.DRUG_TYPE, "heroin", "US", 2017, None, 4.8, 4.9),
            (nchs_final.SOSMAP, "all_drugs", "AZ", 2021, 2730, None, 38.7),
        ]
    )
    return OfficialRecord(deaths, pd.DataFrame(), REFERENCE, final=final, county=county_frame())


def test_a_calendar_year_count_is_checked_against_the_final_count_where_one_is_held(record):
    v = checks.check_claim(claim(), record)
    assert v.verdict == "consistent" and v.measure.value == 2500 and v.measure.series == nchs_final.STATE
    assert "NCHS final count of drug overdose deaths in Texas for calendar year 2012" in v.explanation


def test_without_a_final_count_the_provisional_count_is_used_and_the_explanation_says_so(record):
    v = checks.check_claim(claim(value=5000, period_start="2021-01-01", period_end="2021-12-31"), record)
    assert v.verdict == "consistent" and v.measure.series == "cdc-vsrr"
    assert "CDC's provisional count" in v.explanation and "this is the CDC provisional count" in v.explanation


def test_a_figure_that_fits_only_the_provisional_count_is_not_called_wrong_for_missing_the_final_one(record):
    v = checks.check_claim(claim(value=2600), record)  # 4% above the final count, the provisional count exactly
    assert v.verdict == "consistent" and v.measure.value == 2600
    assert "does not fit the NCHS final count" in v.explanation
    v = checks.check_claim(claim(value=3000), record)  # fits neither: judged against the final count
    assert v.verdict == "overstated" and v.measure.value == 2500


def rate(**over):
    return claim(**{"metric": "death_rate", "unit": "per_100k", "value": 9.8, **over})


def test_an_age_adjusted_state_rate_is_judged(record):
    v = checks.check_claim(rate(rate_basis="age_adjusted"), record)
    assert v.verdict == "consistent" and v.measure.value == 9.8 and "age-adjusted rate" in v.explanation
    v = checks.check_claim(rate(value=12.0, rate_basis="age_adjusted"), record)
    assert v.verdict == "overstated"


def test_a_us_rate_by_drug_is_judged_and_an_unstated_basis_is_read_as_age_adjusted(record):
    v = checks.check_claim(rate(substance="heroin", value=4.9, geography="US", period_start="2017-01-01",
                                period_end="2017-12-31"), record)  # fmt: skip
    assert v.verdict == "consistent" and "read as age-adjusted" in v.explanation


def test_a_crude_claim_is_never_judged_against_an_age_adjusted_rate(record):
    # Arizona 2021: only the age-adjusted rate is held; a crude claim of the same number stays unverifiable.
    v = checks.check_claim(rate(value=38.7, geography="US-AZ", period_start="2021-01-01", period_end="2021-12-31",
                                rate_basis="crude"), record)  # fmt: skip
    assert v.verdict == "unverifiable" and v.measure is None
    assert "crude rate, which is never judged against an age-adjusted one" in v.explanation
    # Texas 2012: the crude rate is held and the crude claim is judged against it, not against the age-adjusted 9.8.
    v = checks.check_claim(rate(value=9.6, rate_basis="crude"), record)
    assert v.verdict == "consistent" and v.measure.value == 9.6 and "crude rate" in v.measure.label


def test_a_rate_of_unstated_basis_that_misses_the_age_adjusted_rate_is_not_judged(record):
    v = checks.check_claim(rate(value=12.0), record)
    assert v.verdict == "unverifiable" and "does not say whether its rate is age-adjusted or crude" in v.explanation


def county(**over):
    return claim(**{"value": 179, "geography": "US-WV", "period_start": "2021-01-01", "period_end": "2021-12-31",
                    "county_fips": "54039", **over})  # fmt: skip


def test_a_county_count_is_judged_against_cdcs_county_series(record):
    v = checks.check_claim(county(), record)
    assert v.verdict == "consistent" and v.measure.value == 179 and "Kanawha County" in v.measure.label
    assert checks.check_claim(county(value=250), record).verdict == "overstated"


def test_a_blanked_county_count_is_unverifiable_never_zero(record):
    v = checks.check_claim(county(county_fips="04013", geography="US-AZ", value=1500), record)
    assert v.verdict == "unverifiable" and v.measure is None
    assert "1,000 or more" in v.explanation and "never read as zero" in v.explanation


def test_a_suppressed_county_count_is_unverifiable_and_says_why(record):
    v = checks.check_claim(county(county_fips="01001", geography="US-AL", value=5), record)
    assert v.verdict == "unverifiable" and "suppresses counts of 1 to 9" in v.explanation


def test_a_county_claim_about_one_drug_is_not_compared_with_all_drug_counts(record):
    v = checks.check_claim(county(substance="fentanyl"), record)
    assert v.verdict == "unverifiable" and "all drug overdose deaths only" in v.explanation


def test_a_2021_claim_gets_its_release_of_the_day_from_the_2021_release():
    then = provisional([("US", "all_drugs", "2021-03-31", 96_779)], release="2021-08-15")
    now = provisional([("US", "all_drugs", "2021-03-31", 98_211)])
    record = OfficialRecord(pd.concat([then, now], ignore_index=True), pd.DataFrame(), REFERENCE)
    c = claim(value=96_800, qualifier="about", geography="US", period_start="2020-04-01", period_end="2021-03-31",
              claimed_on="2021-09-01")  # fmt: skip
    v = checks.check_claim(c, record)
    assert v.measure.value == 98_211 and v.measure_at_claim.value == 96_779
    assert v.measure_at_claim.release == "2021-08-15" and v.verdict_at_claim == "consistent"


def test_claim_fields_county_fips_and_rate_basis_are_checked():
    with pytest.raises(ValueError, match="5-digit county FIPS"):
        claim(county_fips="4013")
    with pytest.raises(ValueError, match="rate_basis"):
        claim(rate_basis="adjusted")


def test_every_vsrr_drug_an_article_names_is_checked_and_offered_as_another_measure():
    deaths = provisional(
        [
            ("US", "methadone", "2021-12-31", 3_000),
            ("US", "natural_semisynthetic_opioids", "2021-12-31", 12_000),
            ("US", "prescription_opioids", "2021-12-31", 16_000),
            ("US", "cocaine", "2021-12-31", 24_000),
        ]
    )
    record = OfficialRecord(deaths, pd.DataFrame(), REFERENCE)
    c = dict(geography="US", period_start="2021-01-01", period_end="2021-12-31", qualifier="about")
    v = checks.check_claim(claim(substance="methadone", value=3_000, **c), record)
    assert v.verdict == "consistent" and "deaths involving methadone (T40.3)" in v.explanation
    v = checks.check_claim(claim(substance="heroin", value=16_000, **c), record)  # no heroin count held
    assert v.verdict == "unverifiable"
    v = checks.check_claim(claim(substance="cocaine", value=12_000, **c), record)
    assert v.verdict == "wrong_measure" and v.alternative.substance == "natural_semisynthetic_opioids"
    assert "natural and semi-synthetic opioids (T40.2)" in v.explanation


def test_the_sources_page_says_what_each_death_series_covers_and_whether_it_is_final():
    from drugstats.official import series
    from drugstats.pages import sources

    deaths = provisional([("US", "all_drugs", "2021-12-31", 100), ("TX", "all_drugs", "2022-01-31", 5)])
    final = final_rows(
        [
            (nchs_final.SOSMAP, "all_drugs", "AZ", 2014, 1, None, 1.0),
            (nchs_final.SOSMAP, "all_drugs", "AZ", 2015, 1, None, 1.0),
            (nchs_final.SOSMAP, "all_drugs", "AZ", 1999, 1, None, 1.0),
        ]
    )
    official = series.Series(deaths, pd.DataFrame(), REFERENCE, {}, final_deaths=final, county_deaths=county_frame())
    rows = sources.coverage_rows(official).set_index("series")
    assert rows.loc["cdc-vsrr", "status"].startswith("provisional")
    assert rows.loc["cdc-vsrr", "covers"] == "12 months ending December 2021 to January 2022"
    held = rows.loc[[nchs_final.SOSMAP]]
    assert list(held["measure"]) == ["deaths in a calendar year", "age-adjusted rate in a calendar year"]
    assert held["status"].str.startswith("final").all() and set(held["covers"]) == {"1999, 2014-2015"}
    assert "1 reported, 1 suppressed, 1 blanked" in rows.loc["vsrr-county", "measure"]


def test_a_claim_checked_against_a_final_count_draws_it_as_a_point_apart_from_the_provisional_line(record):
    from drugstats.official import provenance, series
    from drugstats.publish import claimplot

    def meta(dataset, release):
        raw = provenance.RawFile("f.csv", "F", release, "stated", None, "2026-11-22", 1, "0" * 64)
        return provenance.DatasetMeta(dataset, "NCHS", f"Title of {dataset}", "https://example.org/", "public domain", (raw,))

    deaths = record.deaths.assign(indicator="Number of Drug Overdose Deaths", flag=None)
    metas = {"cdc-vsrr": meta("cdc-vsrr", "2026-02-14"), nchs_final.STATE: meta(nchs_final.STATE, None)}
    official = series.Series(deaths, pd.DataFrame(), REFERENCE, metas, final_deaths=record.final)
    c = claim()
    verdict = checks.check_claim(c, record)
    plot = claimplot.claim_plot(c, verdict, official)
    assert plot.kind == "deaths_final" and plot.final.value == 2500
    figure = claimplot.claim_chart(plot, c, verdict)
    line = next(t for t in figure.data if t.name == "All drugs, reported")
    point = next(t for t in figure.data if t.name.startswith("NCHS final count"))
    assert 2500 not in list(line.y) and list(point.y) == [2500] and point.mode == "markers"
    assert [c.title for c in plot.also_cited] == [f"Title of {nchs_final.STATE}"]
    # a county's count is never drawn over its state's series
    county_verdict = checks.check_claim(county(), record)
    assert claimplot.claim_plot(county(), county_verdict, official) is None


def test_new_york_states_final_count_is_never_set_beside_cdcs_provisional_ny_which_leaves_out_the_city():
    deaths = provisional([("NY", "fentanyl", "2017-12-31", 1_500), ("NY", "all_drugs", "2017-12-31", 1_900)])
    final = final_rows([(nchs_final.SOSMAP, "all_drugs", "NY", 2017, 3_200, None, 16.0)])
    record = OfficialRecord(deaths, pd.DataFrame(), REFERENCE, final=final)
    c = dict(geography="US-NY", period_start="2017-01-01", period_end="2017-12-31")
    v = checks.check_claim(claim(value=3_200, **c), record)  # the whole state: judged on the final count
    assert v.verdict == "consistent" and "New York State (New York City included)" in v.explanation
    v = checks.check_claim(claim(value=1_500, **c), record)  # fits only NY-without-the-city's fentanyl count
    assert v.verdict != "wrong_measure" and v.alternative is None
    v = checks.check_claim(claim(value=1_900, **c), record)  # fits only the provisional count without the city
    assert v.verdict == "unverifiable" and "leave out New York City" in v.explanation


BANDS_CSV = (
    "\ufeffFIPS,Year,State,FIPS State,County,Population,Estimated_Age_Adjusted_Death_Rate\n"
    '1001,1999,Alabama,1,"Autauga County, AL","42,963",2-3.9\n'
    '54039,2016,West Virginia,54,"Kanawha County, WV","186,241",30+\n'
    '4013,2003,Arizona,4,"Maricopa County, AZ","3,000,000",<2\n'
).encode()


def test_county_rate_bands_are_read_as_bands_with_their_bounds_never_as_a_number():
    from drugstats.official import nchs_county_bands

    frame, problems = nchs_county_bands.parse_bands(BANDS_CSV, "bands.csv")
    assert problems == []
    rows = nchs_county_bands.bands_frame([frame])[0].set_index("county_fips")
    assert rows.loc["01001", ["rate_band", "rate_band_low", "rate_band_high"]].tolist() == ["2-3.9", 2.0, 3.9]
    assert rows.loc["54039", "rate_band_low"] == 30 and pd.isna(rows.loc["54039", "rate_band_high"])
    assert rows.loc["04013", ["rate_band_low", "rate_band_high"]].tolist() == [0.0, 2.0]
    assert rows.loc["01001", "population"] == 42_963
    _, problems = nchs_county_bands.parse_bands(BANDS_CSV.replace(b",30+", b",30ish"), "bands.csv")
    assert [(p.line, p.field) for p in problems] == [(3, "Estimated_Age_Adjusted_Death_Rate")]


def test_a_county_rate_is_never_judged_against_its_states_rate(record):
    v = checks.check_claim(rate(county_fips="48201", geography="US-TX", value=9.8), record)
    assert v.verdict == "unverifiable" and "never judged against its state's figure" in v.explanation
