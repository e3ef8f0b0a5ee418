"""The dashboard through Streamlit's AppTest: every page, the charts' data, deep links, junk URLs, broken data."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

import drugstats.pages.deaths
from drugstats import DATA_DIR
from drugstats.pages import deaths as deaths_page
from drugstats.publish import changes, charts
from drugstats.verdicts import pipeline
from tests import golden

pytestmark = pytest.mark.slow  # the dashboard (AppTest) on every page

APP = str(Path(__file__).parents[1] / "streamlit_app.py")
DATA = Path(__file__).parents[1] / "data"
CLAIM_105K = "dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023"
JUNK = "zq<b>JUNK</b>zq"

# page file -> plotly charts it draws with the default view
PAGES = {
    "views/overview.py": 2,
    "views/deaths.py": 2,  # the counts, and one window across the releases held
    "views/seizures.py": 3,
    "views/potency.py": 1,
    "views/claims.py": 0,
    "views/check.py": 1,
    "views/article.py": 0,
    "views/statements.py": 0,
    "views/sources.py": 0,
    "views/downloads.py": 0,
}


@pytest.fixture(autouse=True)
def shipped_data(monkeypatch):
    monkeypatch.delenv("DRUGSTATS_DATA", raising=False)


def app_on(page: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()  # a first run registers st.navigation's pages, so switch_page can find them
    at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def values(array) -> list:
    """A plotly array from figure JSON: a list, or numpy's bytes as plotly 6 encodes them ({dtype, bdata})."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array)


def all_text(at: AppTest) -> str:
    """Everything the page sent to the browser, as text: every element's message, main area and sidebar."""
    return "\n".join(str(node.proto) for node in at._tree if getattr(node, "proto", None) is not None)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


# --------------------------------------------------------------------------------- every page


@pytest.mark.parametrize(("page", "charts"), PAGES.items())
def test_every_page_runs_and_draws_its_charts(page, charts):
    at = app_on(page)
    assert_clean(at)
    assert at.title, page
    assert len(at.get("plotly_chart")) == charts
    for fig in figures(at):
        assert fig["layout"]["title"]["text"]
        assert any(a["text"].startswith("Source: ") for a in fig["layout"]["annotations"])
    # Every chart has its table, its download button and its citation.
    assert len(at.get("download_button")) >= charts
    assert sum(e.label == "Cite this chart" for e in at.expander) == charts


# --------------------------------------------------------------------------------- overview


def test_overview_headlines_carry_their_sources():
    at = app_on("views/overview.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["US overdose deaths in 12 months"] == golden.row("headline", "latest-deaths")["value"]
    assert metrics["Fentanyl seized by CBP in a year"] == golden.row("headline", "fentanyl-seizures")["value"]
    captions = [c.value for c in at.caption]
    assert sum(c.startswith("Source: ") for c in captions) == 3
    assert any("data.cdc.gov" in c for c in captions) and any("cbp.gov" in c for c in captions)


def test_overview_leads_with_the_deaths_line_and_the_claims_on_it():
    at = app_on("views/overview.py")
    assert_clean(at)
    first = figures(at)[0]  # above the headlines and the verdicts
    expected = json.loads(deaths_page.figure(pipeline.build(DATA)).figure.to_json())
    assert first["layout"]["title"] == expected["layout"]["title"]
    assert [t["name"] for t in first["data"]] == [t["name"] for t in expected["data"]]
    assert any(t["name"].startswith("Claim") for t in first["data"]), [t["name"] for t in first["data"]]
    kinds = [getattr(node, "type", "") for node in at._tree]  # every element, in page order
    assert kinds.index("plotly_chart") < kinds.index("metric"), kinds  # the line comes before the headline figures


def test_a_first_view_while_the_data_load_ends_with_the_pages_charts_only(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)  # a directory no run has built: this view waits for the build
    monkeypatch.setenv("DRUGSTATS_DATA", str(data))
    at = AppTest.from_file(APP, default_timeout=30).run()  # the Overview
    assert_clean(at)
    # The blank chart sent while the build ran (views/_ui.py, _warm_chart_component) is gone: the two charts left are
    # the Overview's own, the deaths line first.
    assert len(at.get("plotly_chart")) == PAGES["views/overview.py"]
    assert all(fig["data"] for fig in figures(at))


def _blank_chart_page() -> None:
    from views import _ui

    _ui._warm_chart_component()


def test_the_chart_sent_while_the_data_load_draws_nothing():
    at = AppTest.from_function(_blank_chart_page, default_timeout=30).run()
    assert_clean(at)
    (blank,) = figures(at)
    assert blank["data"] == []  # no traces: nothing for a reader to see, or a test waiting for a drawn chart to match
    assert blank["layout"]["height"] == 10
    assert not blank["layout"]["xaxis"]["visible"] and not blank["layout"]["yaxis"]["visible"]
    assert json.loads(at.get("plotly_chart")[0].proto.config)["staticPlot"] is True


# --------------------------------------------------------------------------------- deaths


def test_a_charts_table_is_drawn_once_opened_with_exactly_the_rows_charted():
    at = app_on("views/deaths.py")
    expander = [e for e in at.expander if e.label.startswith("Table of the data in this chart")][0]  # the counts' table
    assert not expander.dataframe  # closed: not drawn, not converted
    at.session_state["table-overdose-deaths-us"] = True  # what opening it in the browser sets
    at.run()
    assert_clean(at)
    expander = [e for e in at.expander if e.label.startswith("Table of the data in this chart")][0]
    shown = expander.dataframe[0].value
    charted = drugstats.pages.deaths.figure(pipeline.build(DATA_DIR)).rows
    assert list(shown.columns) == list(charted.columns)
    assert len(shown) == len(charted) == int(expander.label.split("(")[1].split()[0].replace(",", ""))
    assert shown["period_end"].astype(str).tolist() == charted["period_end"].astype(str).tolist()


def test_deaths_chart_holds_the_official_value_and_the_105000_claim():
    at = app_on("views/deaths.py")
    fig = figures(at)[0]  # then the window across releases
    reported = next(t for t in fig["data"] if t["name"] == "All drugs, reported")
    points = dict(zip((x[:10] for x in values(reported["x"])), values(reported["y"]), strict=True))
    assert points["2023-01-31"] == golden.value("figure", "deaths-us-all-drugs-2023-01")
    marker = next(t for t in fig["data"] if t["name"] == "Claim: wrong measure")
    assert values(marker["y"]) == [105000]
    assert values(marker["x"])[0][:10] == "2023-01-31"
    quote, claimant, when, verdict = marker["customdata"][0][:4]
    assert quote.startswith("Fentanyl killed over 105,000 people")
    assert (claimant, when, verdict) == ("Daily Caller News Foundation", "2024-02-01", "WRONG MEASURE")
    assert "%{customdata[3]}" in marker["hovertemplate"]


def test_deaths_view_restored_from_the_url_and_written_back_on_change():
    at = app_on("views/deaths.py", place="TX", substance="fentanyl", scale="log", counts="reported")
    assert_clean(at)
    assert at.selectbox(key="deaths.place").value == "TX"
    assert at.multiselect(key="deaths.substance").value == ["fentanyl"]
    fig = figures(at)[0]
    assert fig["layout"]["yaxis"]["type"] == "log"
    assert "Texas" in fig["layout"]["title"]["text"]
    names = [t["name"] for t in fig["data"]]
    assert names[0] == "Fentanyl (synthetic opioids, T40.4), reported"  # the line, then Texas's claims as markers
    assert all(n.startswith("Claim: ") for n in names[1:])
    assert at.query_params == {"place": "TX", "substance": "fentanyl", "counts": "reported", "scale": "log"}

    at.selectbox(key="deaths.place").set_value("US").run()
    at.multiselect(key="deaths.substance").select("heroin").run()
    assert_clean(at)
    assert at.query_params == {"substance": "fentanyl,heroin", "counts": "reported", "scale": "log"}
    assert {t["name"] for t in figures(at)[0]["data"]} >= {"Heroin, reported"}


def test_deaths_release_from_the_url_draws_that_release_and_one_window_across_releases():
    at = app_on("views/deaths.py", release="2019-07-15", window="2016-12")
    assert_clean(at)
    assert at.selectbox(key="deaths.release").value == "2019-07-15"
    counts, revised = figures(at)
    assert "As published in the release of about July 2019 (estimated)." in charts.plain_text(
        counts["layout"]["title"]["subtitle"]["text"]
    )
    hover = {row[3] for trace in counts["data"] if trace["name"].endswith(", reported") for row in trace["customdata"]}
    assert hover == {"about July 2019 (estimated)"}  # every point of that release, none of a newer one
    assert "12 months ending December 2016" in charts.plain_text(revised["layout"]["title"]["text"])
    releases = [x[:10] for t in revised["data"] if t.get("name", "").startswith("release") for x in t["x"]]
    assert sorted(releases) == [
        "2017-10-15",
        "2018-08-15",
        "2019-02-15",
        "2019-04-15",
        "2019-07-15",
        "2021-08-15",
        "2025-07-16",
        "2026-02-14",
    ]
    assert at.query_params == {"release": "2019-07-15", "window": "2016-12"}

    at.selectbox(key="deaths.release").set_value("newest").run()
    assert_clean(at)
    assert at.query_params == {"window": "2016-12"}
    assert "As published" not in charts.plain_text(figures(at)[0]["layout"]["title"]["subtitle"]["text"])


def test_an_unknown_release_or_window_in_the_url_falls_back_to_the_defaults():
    at = app_on("views/deaths.py", release="1999-01-01", window="2031-01", wdrug="<b>x</b>")
    assert_clean(at)
    assert at.selectbox(key="deaths.release").value == "newest"
    assert at.query_params == {}


# --------------------------------------------------------------------------------- claims


def test_a_claim_of_2018_shows_its_verdict_at_the_time_and_today_and_its_window_across_releases():
    at = app_on("views/claims.py", claim="gazette-2018-08-15-overdose-deaths-2017")
    assert_clean(at)
    text = [m.value for m in at.markdown]
    then = next(t for t in text if t.startswith("**At the time**"))
    now = next(t for t in text if t.startswith("**Today**"))
    assert "CDC counted 70,771 in the release of about August 2018 \\(estimated\\)" in then
    assert "CDC counted 70,699 in the release of 2026\\-02\\-14" in now
    claim, revised = figures(at)
    assert "12 months ending December 2017" in charts.plain_text(revised["layout"]["title"]["text"])
    claims = [t for t in revised["data"] if t.get("name", "").startswith("Claim: ")]
    assert any(x[:10] == "2018-08-15" for t in claims for x in t["x"])  # this claim, at the day it was made


def test_a_claim_checked_against_one_release_shows_one_verdict():
    at = app_on("views/claims.py", claim=CLAIM_105K)  # said in 2024: no release of its day is held
    assert_clean(at)
    assert not any(m.value.startswith("**At the time**") for m in at.markdown)


def test_claim_deep_link_shows_the_claim_its_verdict_and_its_chart():
    at = app_on("views/claims.py", claim=CLAIM_105K)
    assert_clean(at)
    text = all_text(at)
    assert "Fentanyl killed over 105,000 people in America" in text
    assert "Wrong measure" in text
    # the measure the number really matches, in the explanation
    assert f"{golden.value('figure', 'deaths-us-all-drugs-2023-01'):,.0f}" in text
    assert at.query_params == {"claim": CLAIM_105K}
    fig = figures(at)[0]
    assert "wrong measure" in fig["layout"]["title"]["text"]
    names = [t["name"] for t in fig["data"]]
    assert "All drugs, reported" in names and "Claim: wrong measure" in names
    assert any(shape["x0"].startswith("2022-02-01") for shape in fig["layout"]["shapes"])


def test_every_claim_has_a_detail_view():
    from drugstats import DATA_DIR
    from drugstats.verdicts import pipeline

    build = pipeline.build(DATA_DIR)
    at = app_on("views/claims.py")
    drawn = 0
    for claim_id in build.claims["id"]:
        at.query_params.clear()
        at.query_params["claim"] = claim_id
        at.run()
        assert_clean(at)
        assert at.title[0].value == "Claim", claim_id
        assert at.query_params == {"claim": claim_id}
        charts = figures(at)
        drawn += len(charts)
        if not charts:  # nothing to draw against: said so, in words
            assert any("no official series" in i.value for i in at.info), claim_id
    assert len(build.claims) > 50 and drawn >= 30


def test_claim_back_button_returns_to_the_list():
    at = app_on("views/claims.py", claim=CLAIM_105K)
    at.button[0].click().run()
    assert_clean(at)
    assert at.query_params == {}
    assert at.title[0].value == "Claims"
    assert sum("Open the claim" in m.value for m in at.markdown) > 1  # the list, as cards by default


def test_claims_facets_from_the_url_filter_the_list():
    at = app_on("views/claims.py", verdict="wrong_measure", claimant="daily-caller-news-foundation")
    assert_clean(at)
    assert at.pills(key="claims.verdict").value == ["wrong_measure"]
    assert at.multiselect(key="claims.claimant").value == ["Daily Caller News Foundation"]
    assert any(c.value.startswith("1 of ") for c in at.caption)
    assert at.query_params == {"claimant": "daily-caller-news-foundation", "verdict": "wrong_measure"}


def test_a_claim_page_links_to_itself_at_the_address_it_was_served_from(monkeypatch):
    monkeypatch.delenv("DRUGSTATS_SITE_URL", raising=False)
    build = pipeline.build(DATA)
    described = build.sources.loc[build.sources["title"].isna(), "id"]  # no headline recorded
    claim_id = build.claims.loc[build.claims["source_id"].isin(described), "id"].iloc[0]
    at = AppTest.from_file(APP, default_timeout=30)
    at.context = {"url": "https://drugs.example.net/claims"}
    at.run()
    at.switch_page("views/claims.py")
    at.query_params["claim"] = claim_id
    at.run()
    assert_clean(at)
    text = all_text(at)
    assert f"https://drugs.example.net/claims?claim={claim_id}" in text.replace("\\", "")
    assert "localhost" not in text
    assert "headline not recorded" not in text
    assert "Claim / official" not in text


def test_unknown_claim_falls_back_to_the_list_without_echoing_it():
    at = app_on("views/claims.py", claim=JUNK)
    assert_clean(at)
    assert at.title[0].value == "Claims"
    assert "JUNK" not in all_text(at)
    assert at.query_params == {}


# --------------------------------------------------------------------------------- junk in the URL


GARBAGE = {
    "place": "ZZ",
    "substance": ["fentanyl", "heroin"],  # repeated key
    "scale": "1e309",
    "counts": "x" * 5000,
    "drug": "fentanyl\x00",
    "unit": "<script>alert(1)</script>",
    "claim": "../../etc/passwd",
    "value": "1e309",
    "metric": "{{7*7}}",
    "period": "2023-13/2022-01",
    "q": JUNK * 20,
    "weight": "nan",
    "zzz": JUNK,
}


@pytest.mark.parametrize("page", list(PAGES))
def test_garbage_parameters_fall_back_to_defaults_silently(page):
    clean = app_on(page)
    at = app_on(page, **GARBAGE)
    assert_clean(at)
    assert not at.warning, [w.value for w in at.warning]
    assert "JUNK" not in all_text(at) and "<script>" not in all_text(at)
    assert at.query_params == {}  # nothing unknown or malformed stays in the URL
    assert figures(at) == figures(clean)


def test_check_page_restores_a_shared_check():
    at = app_on("views/check.py", metric="drug_seized", value="11000", unit="lb", period="2022-10/2023-02")
    assert_clean(at)
    assert at.selectbox(key="check.metric").value == "drug_seized"
    assert at.number_input(key="check.value").value == 11000
    assert "Consistent" in all_text(at)
    assert at.query_params == {"metric": "drug_seized", "value": "11000", "unit": "lb", "period": "2022-10/2023-02"}


def test_a_seizure_check_names_the_drug_as_cbp_does_not_by_its_death_certificate_code():
    at = app_on("views/check.py", metric="drug_seized", value="11000", unit="lb", period="2023")
    assert_clean(at)
    drug = at.selectbox(key="check.substance")
    assert drug.value == "fentanyl"
    assert "Fentanyl" in drug.options and not any("T40" in o or "T43" in o for o in drug.options), drug.options
    deaths = app_on("views/check.py", substance="all_drugs")
    deaths.selectbox(key="check.metric").set_value("drug_seized").run()  # "all drugs" is no CBP drug type
    assert_clean(deaths)
    assert deaths.selectbox(key="check.substance").value in {"fentanyl", "methamphetamine", "cocaine", "heroin"}


def test_check_page_checks_marijuana_seized_and_says_it_offers_no_marijuana_deaths():
    at = app_on(
        "views/check.py", metric="drug_seized", value="59480", unit="lb", qualifier="about", substance="marijuana",
        period="fy2019", by="CBP", area="tucson-sector",
    )  # fmt: skip
    assert_clean(at)
    drug = at.selectbox(key="check.substance")
    assert drug.value == "marijuana" and {"Marijuana", "Khat", "LSD"} <= set(drug.options) and "Other drugs" not in drug.options
    assert at.query_params["substance"] == "marijuana" and "Consistent" in all_text(at)
    deaths = app_on("views/check.py", metric="overdose_deaths", substance="marijuana", period="2021")
    assert_clean(deaths)
    assert "Marijuana" not in deaths.selectbox(key="check.substance").options
    assert any("**substance**" in i.value for i in deaths.info)  # the drug shown instead is never checked in silence


# --------------------------------------------------------------------------------- check a figure


def test_check_page_default_is_the_105000_claim_and_wrong_measure():
    at = app_on("views/check.py")
    assert_clean(at)
    assert "Wrong measure" in all_text(at)
    (fig,) = figures(at)
    assert any(t["name"] == "Claim: wrong measure" for t in fig["data"])


def test_check_page_changes_verdict_with_the_input():
    at = app_on("views/check.py")
    at.selectbox(key="check.metric").set_value("lethal_dose").run()
    at.number_input(key="check.value").set_value(2).run()
    at.selectbox(key="check.qualifier").set_value("exact").run()
    assert_clean(at)
    assert at.selectbox(key="check.unit").value == "mg"
    assert "Consistent" in all_text(at)
    assert at.query_params["metric"] == "lethal_dose" and at.query_params["value"] == "2"


@pytest.mark.parametrize("metric", ["overdose_deaths", "death_share", "drug_seized", "seizure_change", "lethal_dose",
                                    "potency_ratio", "pill_content", "deaths_per_mass"])  # fmt: skip
def test_check_page_handles_every_checkable_metric(metric):
    at = app_on("views/check.py")
    at.selectbox(key="check.metric").set_value(metric).run()
    if metric == "death_share":  # the default 105,000 is no share: over 100 percent is refused (issue 24)
        at.number_input(key="check.value").set_value(70).run()
    assert_clean(at)
    assert not at.warning, [w.value for w in at.warning]
    assert any("-badge[" in m.value for m in at.markdown), metric  # a verdict badge is always shown
    assert at.query_params.get("metric", "overdose_deaths") == metric  # the default is left out of the URL


def test_check_page_for_a_state():
    at = app_on("views/check.py", substance="fentanyl", place="TX", period="2023", value="5000", qualifier="about")
    assert_clean(at)
    assert at.selectbox(key="check.place").value == "TX"
    assert "Texas" in all_text(at) or "TX" in all_text(at)
    assert figures(at), "a state's fentanyl deaths are drawn"


def test_check_page_invalid_input_gets_a_friendly_message():
    at = app_on("views/check.py")
    at.number_input(key="check.value").set_value(0).run()
    assert_clean(at)
    assert len(at.warning) == 1
    assert "cannot be checked as entered" in at.warning[0].value
    assert "Traceback" not in all_text(at)


# --------------------------------------------------------------------------------- seizures, potency


def test_seizures_filters_hide_nationwide_claims_and_mark_the_partial_year():
    at = app_on("views/seizures.py")
    fy = figures(at)[0]
    partial = next(t for t in fy["data"] if t["type"] == "bar" and t["name"] == "Fentanyl, year to date")
    assert values(partial["x"]) == ["FY26<br>to date"] and partial["marker"]["color"].startswith("rgba(")
    assert any(t["name"].startswith("Claim") for t in fy["data"])
    at.pills(key="seizures.component").set_value(["OFO"]).run()
    assert_clean(at)
    assert at.query_params == {"component": "OFO"}
    assert not any(t["name"].startswith("Claim") for t in figures(at)[0]["data"])
    assert "OFO" in figures(at)[0]["layout"]["title"]["text"]


def test_potency_arithmetic_follows_the_weight():
    at = app_on("views/potency.py", weight="1", unit="kg")
    assert_clean(at)
    assert at.metric[0].value == "500,000"
    assert at.query_params == {"weight": "1", "unit": "kg"}


def test_potency_default_view_writes_rounded_doses_a_whole_weight_and_labelled_columns():
    import re

    at = app_on("views/potency.py")
    assert_clean(at)
    assert re.fullmatch(r"about \d+(\.\d)? (million|billion)", at.metric[0].value), at.metric[0].value
    weight = at.number_input(key="potency.weight")
    assert weight.value == round(weight.value) and weight.proto.format == "%g"
    columns = json.loads(at.dataframe[0].proto.columns)
    labels = {name: config.get("label") for name, config in columns.items()}
    assert labels["relative_to"] == "Compared with" and labels["source_title"] == "Read in", labels
    at.segmented_control(key="potency.unit").set_value("kg").run()
    assert at.number_input(key="potency.weight").value == round(at.number_input(key="potency.weight").value)
    assert at.query_params == {"unit": "kg"}  # still the default weight, in CBP's kilograms


# --------------------------------------------------------------------------------- citations, downloads


def test_a_chart_offers_its_citation_as_plain_text_and_bibtex():
    from drugstats import DATA_DIR
    from drugstats.verdicts import pipeline

    at = app_on("views/deaths.py")
    cite_block = [e for e in at.expander if e.label == "Cite this chart"][0]  # the counts' chart, then the window's
    plain, bibtex = cite_block.code
    expected = deaths_page.figure(pipeline.build(DATA_DIR)).citation
    assert (plain.value, bibtex.value) == (expected.plain, expected.bibtex)
    assert "Drug overdose deaths, United States [chart]" in plain.value
    assert "Data: CDC National Center for Health Statistics" in plain.value
    assert bibtex.language == "bibtex" and bibtex.value.startswith("@misc{drugstats2026-overdose-deaths-us,")


def test_sources_page_shows_days_not_midnights_and_the_slack_of_each_rule():
    at = app_on("views/sources.py")
    assert_clean(at)
    configs = [json.loads(frame.proto.columns) for frame in at.dataframe]
    reference = next(c for c in configs if "period_start" in c)
    assert reference["period_start"]["type_config"]["format"] == "YYYY-MM-DD", reference["period_start"]
    # headers a reader reads, with the field metadata's meaning on hover: no raw column names
    assert (reference["relative_to"]["label"], reference["period_start"]["label"]) == ("Relative to", "Period start")
    assert reference["relative_to"]["help"] == "Substance a potency ratio compares with"
    rules = next(c for c in configs if "consistent_if_official" in c)
    assert rules["consistent_if_official"]["label"] == "Consistent if the official value is"


def test_sources_page_lists_every_release_held_and_says_which_dates_are_estimated():
    at = app_on("views/sources.py")
    assert_clean(at)
    releases = next(frame.value for frame in at.dataframe if "latest_month" in frame.value.columns)
    held = dict(zip(releases["release"], releases["date"], strict=True))
    assert held["2026-02-14"] == "stated by the producer"
    assert held["about October 2017 (estimated)"] == "estimated"
    assert len(held) == len(pipeline.build(DATA).official.overdose_deaths["release"].unique())


def test_sources_page_says_what_each_death_series_covers_final_or_provisional():
    at = app_on("views/sources.py")
    assert_clean(at)
    coverage = next(frame.value for frame in at.dataframe if "covers" in frame.value.columns)
    status = dict(zip(coverage["series"], coverage["status"], strict=False))
    assert status["cdc-vsrr"].startswith("provisional") and status["vsrr-county"].startswith("provisional")
    assert status["nchs-drug-poisoning-mortality-state"].startswith("final")
    assert status["cdc-sosmap-drug-overdose-by-state"].startswith("final")
    assert status["nchs-drug-overdose-rates-by-drug-type-us"].startswith("final")
    assert "never a verdict" in status["nchs-drug-poisoning-mortality-county"]


@pytest.mark.parametrize("page", ["views/sources.py", "views/downloads.py"])
def test_the_dataset_citation_is_offered(page):
    from drugstats.publish import cite, export
    from drugstats.verdicts import pipeline

    at = app_on(page)
    expected = cite.dataset(pipeline.build(DATA).reviewed_on, export.SITE_URL)
    shown = [c.value for c in at.code]
    assert expected.plain in shown and expected.bibtex in shown


@pytest.fixture
def media_files(monkeypatch) -> list:
    """The in-memory media storage of each AppTest run, kept: AppTest drops it, and a download button's bytes are there."""
    import streamlit.testing.v1.app_test as app_test_module
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    stores = []

    class Kept(MemoryMediaFileStorage):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            stores.append(self)

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Kept)
    return stores


def test_downloads_zip_is_the_same_bytes_as_the_cli_export(media_files, tmp_path):
    from drugstats import cli

    at = app_on("views/downloads.py")
    assert_clean(at)
    button = at.download_button(key="download-bundle")
    served = media_files[-1].get_file(Path(button.proto.url).name)
    assert served.filename == "drugstats.zip" and served.mimetype == "application/zip"
    assert cli.main(["export", "--out", str(tmp_path / "out"), "--zip", str(tmp_path / "drugstats.zip")]) == 0
    assert served.content == (tmp_path / "drugstats.zip").read_bytes()


# --------------------------------------------------------------------------------- broken data


@pytest.fixture
def broken_data(tmp_path, monkeypatch) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    claims = data / "claims" / "news-2024-02-01-dailycaller.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("value: 105000", "value: '105,000'"), encoding="utf-8")
    seizures = data / "raw" / "cbp-seizures" / "nationwide-drugs-fy19-fy22.csv"
    seizures.write_bytes(seizures.read_bytes() + b"junk\n")
    monkeypatch.setenv("DRUGSTATS_DATA", str(data))
    return data


@pytest.mark.parametrize("page", list(PAGES))
def test_broken_data_shows_the_error_panel_on_every_page(broken_data, page):
    at = app_on(page)
    assert not at.exception
    assert len(at.error) == 1 and "failed validation" in at.error[0].value
    problems = at.code[0].value.splitlines()
    assert any("news-2024-02-01-dailycaller.yaml" in p and "value" in p for p in problems)
    assert any("nationwide-drugs-fy19-fy22.csv" in p for p in problems)
    assert not at.get("plotly_chart")


@pytest.mark.parametrize("q", ["105000", "105k", "105 thousand"])
def test_searching_a_number_however_written_finds_the_105000_claim(q):
    at = app_on("views/claims.py", q=q)
    assert_clean(at)
    cards = [m.value for m in at.markdown if "Open the claim" in m.value]
    assert any(f"claims?claim={CLAIM_105K}" in c for c in cards)
    assert any(":orange-background[**105,000**]" in c for c in cards)  # the number marked in the quote


def test_check_page_says_which_official_figure_the_number_is():
    at = app_on("views/check.py", metric="overdose_deaths", value="109745", unit="deaths", substance="fentanyl")
    assert_clean(at)
    at.session_state["check.lookup"] = True  # what opening the expander sets
    at.run()
    assert_clean(at)
    (box,) = [e for e in at.expander if e.label == "Which official figure is this number?"]
    rows = box.dataframe[0].value
    first = rows.iloc[0]
    assert (first["distance_percent"], first["place"], first["window"]) == (0.0, "United States", "12 months ending January 2023")
    assert "All drugs" in first["measure"]  # the number is all-drug deaths, whatever drug was entered


@pytest.mark.parametrize(("show", "text"), [("scorecards", "Rests on"), ("repeats", "First: ")])
def test_claims_page_shows_scorecards_and_repeated_figures(show, text):
    at = app_on("views/claims.py", show=show)
    assert_clean(at)
    assert at.query_params == {"show": show}
    if show == "scorecards":
        assert len(at.dataframe) == 3 and "rests_on" in at.dataframe[0].value
        assert "scorecard resting on a handful of claims says little" in all_text(at)
        outlets = at.dataframe[0].value  # news outlets first, the most wrong claims first, agencies apart
        assert list(outlets["wrong"]) == sorted(outlets["wrong"], reverse=True) and outlets["wrong"].iloc[0] > 0
        assert not outlets["name"].str.contains("NIDA|DEA|Centers for Disease Control|White House").any()
        assert outlets["wrong_link"].iloc[0].endswith("&verdict=overstated,understated,wrong_measure")
        assert at.dataframe[2].value["name"].str.contains("NIDA").any()
    else:
        assert any(text in m.value for m in at.markdown)


def test_sources_page_lists_what_the_latest_refresh_changed(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "changes").mkdir()
    row = {c: "" for c in changes.COLUMNS} | {
        "id": CLAIM_105K, "verdict_before": "wrong_measure", "verdict_after": "consistent",
        "official_value_before": "75390", "official_value_after": "106000", "quote": "Fentanyl killed over 105,000",
    }  # fmt: skip
    pd.DataFrame([row]).to_csv(data / "changes" / "cdc-vsrr-2026-11-14.csv", index=False)
    monkeypatch.setenv("DRUGSTATS_DATA", str(data))
    at = app_on("views/sources.py")
    assert_clean(at)
    assert any(
        "The refresh of cdc-vsrr on 2026-11-14 changed the verdict or the official value of 1 claims" in m.value
        for m in at.markdown
    )
    listed = next(frame.value for frame in at.dataframe if "verdict_after" in frame.value.columns)
    assert listed[["verdict_before", "verdict_after", "detail"]].values.tolist() == [
        ["wrong_measure", "consistent", f"claims?claim={CLAIM_105K}"]
    ]


def test_sources_page_says_when_no_refresh_has_been_run():
    at = app_on("views/sources.py")
    assert_clean(at)
    assert any(m.value.startswith("No refresh has been run on these data") for m in at.markdown)


def test_seizures_page_draws_one_field_office_with_its_own_claims():
    at = app_on("views/seizures.py", area="tucson-field-office")
    assert_clean(at)
    assert at.query_params == {"area": "tucson-field-office"}
    fy = figures(at)[0]
    assert "Tucson Field Office" in fy["layout"]["title"]["text"]
    assert any(t["name"].startswith("Claim") for t in fy["data"])  # the Tucson claims, and only they (test_seizure_place_paths)


def test_check_page_checks_a_field_office_figure_against_the_field_office():
    at = app_on(
        "views/check.py", metric="drug_seized", value="2300", unit="lb", qualifier="exact", substance="fentanyl",
        period="fy2021", by="CBP", area="tucson-field-office",
    )  # fmt: skip
    assert_clean(at)
    assert at.query_params["area"] == "tucson-field-office"
    assert any("Tucson Field Office" in m.value for m in at.markdown)


def test_sources_page_shows_the_deas_published_figures_and_the_states_cbp_cannot_answer_for():
    at = app_on("views/sources.py")
    assert_clean(at)
    headers = [h.value for h in at.header]
    assert "Published agency figures" in headers
    assert any("Seizures by place" == s.value for s in at.subheader)


# --------------------------------------------------------------------------------- tables people read

TABLE_VIEWS = [
    *((page, {}) for page in PAGES),
    ("views/claims.py", {"show": "scorecards"}),
    ("views/claims.py", {"claim": CLAIM_105K}),
    ("views/deaths.py", {"place": "OH"}),
]


@pytest.mark.parametrize(("page", "params"), TABLE_VIEWS)
def test_every_table_a_person_sees_is_labelled_and_never_says_none_or_nan(page, params):
    at = app_on(page, **params)
    assert_clean(at)
    assert_tables_read_well(at, page)


CHART_TABLES = [("views/deaths.py", "overdose-deaths-us"), ("views/seizures.py", "seizures-by-month-lb")]


@pytest.mark.parametrize(("page", "table"), CHART_TABLES)
def test_a_charts_table_reads_as_the_others_once_opened(page, table):
    at = app_on(page)
    before = len(at.dataframe)
    at.session_state[f"table-{table}"] = True  # what opening it in the browser sets
    at.run()
    assert_clean(at)
    assert len(at.dataframe) == before + 1, page
    assert_tables_read_well(at, page)


def assert_tables_read_well(at: AppTest, page: str) -> None:
    for element in at.dataframe:
        proto = element.proto
        assert proto.HasField("placeholder") and proto.placeholder == "", page  # a missing value: an empty cell
        config = json.loads(proto.columns)
        data = pa.ipc.open_stream(proto.arrow_data.data).read_all()  # read as sent: AppTest cannot read list cells
        shown = list(proto.column_order) or [c for c in data.column_names if c in config]
        for column in shown:
            label = (config.get(column) or {}).get("label") or column
            assert "_" not in label and label != "id", (page, column, label)
            if column in data.column_names and pa.types.is_string(data.schema.field(column).type):
                words = {str(v).strip() for v in data.column(column).to_pylist() if v is not None}
                assert not words & {"None", "nan", "NaN", "NaT"}, (page, column)
