"""drugstats.pages and drugstats.claims.query: query parameters parsed into views, and the rows each view shows."""

from __future__ import annotations

import ast
import dataclasses
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from drugstats import DATA_DIR, vocab
from drugstats.claims import models, query, safetext
from drugstats.official import queries, series
from drugstats.pages import check as check_page
from drugstats.pages import claims as claims_page
from drugstats.pages import deaths as deaths_page
from drugstats.pages import overview
from drugstats.pages import potency as potency_page
from drugstats.pages import seizures as seizures_page
from drugstats.pages import sources as sources_page
from drugstats.pages import statements as statements_page
from drugstats.publish import charts, cite, claimplot
from drugstats.verdicts import checks, pipeline, transform
from tests import golden

ROOT = Path(__file__).resolve().parents[1]
CLAIM_105K = "dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023"


@pytest.fixture(scope="module")
def build() -> pipeline.Build:
    return pipeline.build(DATA_DIR)


# --------------------------------------------------------------------------------- the core stays Streamlit-free


def test_nothing_under_drugstats_imports_streamlit():
    offenders = []
    for path in sorted((ROOT / "drugstats").rglob("*.py")):  # the page modules under drugstats/pages/ too
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] == "streamlit"]
    assert offenders == []
    assert len(list((ROOT / "drugstats" / "pages").glob("*.py"))) > 5  # the glob found the page modules


# --------------------------------------------------------------------------------- one value of a parameter


@pytest.mark.parametrize(
    "raw",
    [
        None,
        ["a", "b"],  # repeated key
        [],
        "x" * (query.MAX_PARAM_CHARS + 1),
        "US\x00",
        "fentanyl\u202e",  # bidi override
        "line\nbreak",
    ],
)
def test_single_value_refuses_absent_repeated_long_and_control_characters(raw):
    assert query.single_value(raw) is None


def test_single_value_accepts_one_value_as_str_or_one_item_list():
    assert query.single_value("US") == "US"
    assert query.single_value(["US"]) == "US"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("log", "log"),
        ("LOG", "linear"),
        ("<b>log</b>", "linear"),
        ("log ", "linear"),
        (["log", "linear"], "linear"),
        ("", "linear"),
    ],
)
def test_parse_choice_takes_only_an_exact_allowed_value(raw, expected):
    assert query.parse_choice(raw, ("linear", "log"), "linear") == expected


def test_parse_multi_keeps_order_drops_duplicates_and_rejects_any_unknown_item():
    allowed = ("all_drugs", "fentanyl", "heroin")
    assert query.parse_multi("heroin,fentanyl,heroin", allowed, ("all_drugs",)) == ("heroin", "fentanyl")
    assert query.parse_multi("heroin,<script>", allowed, ("all_drugs",)) == ("all_drugs",)
    assert query.parse_multi("heroin,,fentanyl", allowed, ("all_drugs",)) == ("all_drugs",)
    assert query.parse_multi("", allowed, ("all_drugs",)) == ("all_drugs",)
    assert query.parse_multi(["heroin", "fentanyl"], allowed, ("all_drugs",)) == ("all_drugs",)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("105000", 105000.0),
        ("2.4", 2.4),
        ("1e309", 7.0),
        ("1e3", 7.0),
        ("inf", 7.0),
        ("nan", 7.0),
        ("-5", 7.0),
        ("0", 7.0),
        ("105,000", 7.0),
        ("9" * 14, 7.0),  # beyond the maximum
        (" 5", 7.0),
        ("５", 7.0),  # a fullwidth digit is not ours
    ],
)
def test_parse_number_accepts_only_plain_positive_decimals(raw, expected):
    assert query.parse_number(raw, 7.0) == expected


def test_parse_text_refuses_long_and_control_text():
    assert query.parse_text("fentanyl 2022") == "fentanyl 2022"
    assert query.parse_text("x" * 101) == ""
    assert query.parse_text("a\x00b") == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021", (date(2021, 1, 1), date(2021, 12, 31))),
        ("fy2022", (date(2021, 10, 1), date(2022, 9, 30))),
        ("FY2022", (date(2021, 10, 1), date(2022, 9, 30))),
        ("2022-02/2023-01", (date(2022, 2, 1), date(2023, 1, 31))),
        ("2024-02/2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
        ("2023-01/2022-02", None),  # end before start
        ("2022-13/2023-01", None),
        ("0001", None),
        ("2022-02-01/2023-01-31", None),
        ("yesterday", None),
    ],
)
def test_parse_period_reads_years_fiscal_years_and_month_ranges(raw, expected):
    assert query.parse_period(raw) == expected


@pytest.mark.parametrize("text", ["2021", "fy2022", "2022-02/2023-01"])
def test_format_period_round_trips(text):
    assert query.format_period(query.parse_period(text)) == text


# --------------------------------------------------------------------------------- page views


def test_deaths_view_defaults_and_round_trip(build):
    deaths = build.official.overdose_deaths
    default = deaths_page.parse_deaths({}, deaths)
    assert default == deaths_page.DeathsView("US", ("all_drugs", "fentanyl"), ("reported", "predicted"), "linear")
    assert default.query() == {}
    view = deaths_page.DeathsView("TX", ("fentanyl",), ("reported",), "log")
    params = {k: [v] for k, v in view.query().items()}
    assert params == {"place": ["TX"], "substance": ["fentanyl"], "counts": ["reported"], "scale": ["log"]}
    assert deaths_page.parse_deaths(params, deaths) == view


def test_deaths_view_falls_back_per_parameter(build):
    deaths = build.official.overdose_deaths
    view = deaths_page.parse_deaths(
        {"place": ["ZZ"], "substance": ["heroin,nope"], "counts": ["1e309"], "scale": ["<i>log</i>"], "unknown": ["x"]}, deaths
    )
    assert view == deaths_page.parse_deaths({}, deaths)


def test_deaths_view_for_a_state_offers_only_its_substances(build):
    deaths = build.official.overdose_deaths
    # Louisiana has only all-drug counts (CDC shows no drug-specific counts for it in any release held), so a drug is not
    # a choice there and the default is all drugs alone.
    assert deaths_page.death_substances(deaths, "LA") == ["all_drugs"]
    assert deaths_page.parse_deaths({"place": ["LA"], "substance": ["fentanyl"]}, deaths).substance == ("all_drugs",)
    assert "fentanyl" in deaths_page.death_substances(deaths, "TX")


def test_seizures_view_round_trip_and_fallbacks():
    view = seizures_page.SeizuresView(("fentanyl", "methamphetamine"), ("OFO",), ("southwest-border",), "kg", "cocaine")
    params = {k: [v] for k, v in view.query().items()}
    assert seizures_page.parse_seizures(params) == view
    assert not view.nationwide
    assert seizures_page.parse_seizures({"drug": ["fentanyl;DROP"], "unit": ["stone"], "region": ["x" * 500]}) == (
        seizures_page.parse_seizures({})
    )
    assert seizures_page.parse_seizures({}).nationwide


def test_claims_view_finds_known_claims_and_slugged_names(build):
    table = claims_page.claims_table(build.claims, build.verdicts)
    options = claims_page.facet_options(table)
    view = claims_page.parse_claims(
        {"claim": [CLAIM_105K], "claimant": ["daily-caller-news-foundation"], "verdict": ["wrong_measure"]}, table["id"], options
    )
    assert view.claim == CLAIM_105K
    assert view.facets["claimant"] == ("Daily Caller News Foundation",)
    assert view.facets["verdict"] == ("wrong_measure",)
    assert claims_page.parse_claims({k: [v] for k, v in view.query(options).items()}, table["id"], options) == view
    unknown = claims_page.parse_claims({"claim": ["<script>alert(1)</script>"], "metric": ["nope"]}, table["id"], options)
    assert unknown.claim is None and unknown.facets["metric"] == ()


def test_check_view_defaults_to_the_105000_claim_and_round_trips(build):
    places = deaths_page.death_places(build.official.overdose_deaths)
    view = check_page.parse_check({}, places)
    assert (view.metric, view.value, view.unit, view.qualifier, view.substance, view.period) == (
        "overdose_deaths",
        105000.0,
        "people",
        "more_than",
        "fentanyl",
        "2022-02/2023-01",
    )
    changed = check_page.CheckView(
        "drug_seized", 11000.0, "lb", "more_than", "fentanyl", "US", "2022-10/2023-02", "", "CBP", "morphine", "kg"
    )
    assert check_page.parse_check({k: [v] for k, v in changed.query().items()}, places) == changed
    # A unit the metric does not use falls back to the metric's own.
    assert check_page.parse_check({"metric": ["lethal_dose"], "unit": ["people"]}, places).unit == "mg"


def test_reader_claim_of_the_default_check_is_wrong_measure(build):
    view = check_page.parse_check({}, deaths_page.death_places(build.official.overdose_deaths))
    claim = models.Claim(**check_page.reader_claim_fields(view))
    assert models.claim_rules(claim) == []
    row = transform.claims_frame([claim], {}).iloc[0]
    assert row["source_url"] == check_page.READER_SOURCE
    assert checks.check_claim(row, build.record).verdict == "wrong_measure"


# --------------------------------------------------------------------------------- rows shown


def test_deaths_rows_hold_the_us_all_drugs_value_for_january_2023(build):
    rows = queries.deaths_rows(build.official.overdose_deaths, "US", ["all_drugs"], ["reported"])
    jan = rows[rows["period_end"] == pd.Timestamp("2023-01-31")]
    assert jan["deaths_reported"].tolist() == [golden.value("figure", "deaths-us-all-drugs-2023-01")]
    assert "deaths_predicted" not in rows  # a count not shown is not in the table either
    assert rows["period_end"].min() == pd.Timestamp("2015-01-31")
    assert rows["period_end"].is_monotonic_increasing


def test_death_claim_markers_are_limited_to_place_substances_and_span(build):
    markers = deaths_page.death_claim_markers(build.claims, build.verdicts, "US", ["fentanyl"], "2015-01-31", "2026-01-31")
    assert CLAIM_105K in set(markers["id"])
    assert set(markers["substance"]) == {"fentanyl"}
    assert markers["period_end"].min() >= pd.Timestamp("2015-01-31")  # the 2011 and 2013 claims fall outside
    texas = deaths_page.death_claim_markers(build.claims, build.verdicts, "TX", ["fentanyl"], "2015-01-31", "2026-01-31")
    assert CLAIM_105K not in set(texas["id"])  # a national claim is never drawn on a state's chart
    in_texas = build.claims[(build.claims["geography"] == "US-TX") & (build.claims["substance"] == "fentanyl")]
    assert set(texas["id"]) <= set(in_texas["id"])


def test_seizure_rows_mark_the_partial_fiscal_year(build):
    view = seizures_page.parse_seizures({})
    fy = seizures_page.seizures_fy_rows(build.official.seizures, view)
    assert fy.loc[fy["partial_year"], "fiscal_year"].tolist() == queries.partial_fiscal_years(build.official.seizures)
    fy22 = fy[fy["fiscal_year"] == 2022].iloc[0]
    assert fy22["seized_lb"] == pytest.approx(golden.value("figure", "seized-fentanyl-fy2022"))
    ytd = seizures_page.seizures_ytd_rows(build.official.seizures, view)
    sep22 = ytd[(ytd["fiscal_year"] == 2022) & (ytd["month_of_fy"] == 12)].iloc[0]
    assert sep22["cumulative_seized_lb"] == pytest.approx(fy22["seized_lb"])


def test_seizure_claim_markers_place_whole_years_and_year_to_date(build):
    markers = seizures_page.seizure_claim_markers(build.claims, build.verdicts, "lb").set_index("id")
    assert markers.loc["wh-2023-04-11-cbp-fentanyl-seized-fy2022", "chart"] == "fiscal_year"
    assert markers.loc["wh-2023-04-11-cbp-fentanyl-seized-fy2022", "fiscal_year"] == 2022
    assert markers.loc["dc-2023-04-13-cbp-fentanyl-seized-oct-feb", "chart"] == "ytd"
    assert markers.loc["dc-2023-04-13-cbp-fentanyl-seized-oct-feb", "month_of_fy"] == 5
    kg = seizures_page.seizure_claim_markers(build.claims, build.verdicts, "kg").set_index("id")
    assert kg.loc["wh-2023-04-11-cbp-fentanyl-seized-fy2022", "claimed_kg"] == pytest.approx(14700 * 0.45359237)


def test_headlines_name_their_windows_and_releases(build):
    deaths = overview.latest_deaths_headline(build.official)
    expected = golden.row("headline", "latest-deaths")
    assert (deaths.value, deaths.window) == (expected["value"], expected["window"])
    assert deaths.window.startswith("12 months ending ") and "% from the peak of " in deaths.detail
    assert deaths.citation.release == expected["release"] and expected["release"] in deaths.citation.text
    share = overview.fentanyl_share_headline(build.official)
    expected = golden.row("headline", "fentanyl-share")
    assert share.value == expected["value"] and share.value.endswith("%")
    assert share.citation.text.count("release of") == 1  # one release for both counts
    seized = overview.fentanyl_seizures_headline(build.official)
    expected = golden.row("headline", "fentanyl-seizures")
    assert (seized.value, seized.window) == (expected["value"], expected["window"])
    assert seized.value.endswith(" lb") and "the latest complete fiscal year" in seized.window
    partial = queries.partial_fiscal_years(build.official.seizures)
    assert (f"FY{partial[-1]} to date" in seized.caveat) if partial else seized.caveat == ""


def test_potency_rows_derive_heroin_from_the_two_dea_ratios(build):
    rows = potency_page.potency_rows(build.official.reference_values).set_index("substance")
    assert rows.loc["morphine", "potency_vs_morphine"] == 1
    assert rows.loc["fentanyl", "potency_vs_morphine"] == 100
    assert rows.loc["heroin", "potency_vs_morphine"] == 2
    assert "implied" in rows.loc["heroin", "how"]


def test_dose_arithmetic_of_one_kilogram_is_half_a_million(build):
    doses, steps = potency_page.dose_arithmetic(1, "kg", 2.0, "DEA")
    assert doses == 500_000
    assert steps[-1].text == "1,000,000 mg / 2 mg = 500,000 potentially lethal doses"
    assert all(s.source for s in steps)


def test_doses_of_a_seized_weight_are_written_to_the_precision_of_the_inputs():
    doses, steps = potency_page.dose_arithmetic(12_027.3, "lb", 2.0, "DEA")
    assert round(doses) == 2_727_745_756  # the arithmetic is kept exact...
    assert potency_page.doses_headline(doses) == "about 2.7 billion"  # ...and written as "2 mg" allows
    assert [s.text for s in steps] == [
        "1 lb = 453,592.37 mg",
        "12,027.3 lb \u00d7 453,592.37 mg/lb = about 5.46 billion mg",
        "potentially lethal dose = 2 mg",
        "5.46 billion mg / 2 mg = about 2.7 billion potentially lethal doses",
    ]
    assert not any("2,727" in s.text or "5,455" in s.text for s in steps)
    assert potency_page.about(2_727_745_756) == "2.7 billion"
    assert potency_page.about(1_234_567) == "1.2 million"
    assert potency_page.about(226_796.2) == "230,000"
    assert potency_page.about(226.8) == "230"
    assert potency_page.doses_headline(500_000.0) == "500,000"  # exact arithmetic stays exact


def test_the_default_weight_is_cbps_in_whole_units_and_a_unit_change_keeps_the_quantity():
    years = pd.DataFrame(
        {
            "fiscal_year": [2024, 2025, 2026],
            "partial_year": [False, False, True],
            "seized_lb": [21_889.2068, 12_027.277767, 3_398.28],
            "seized_kg": [9_928.77719, 5_455.481427, 1_541.43],
        }
    )
    defaults = {unit: potency_page.default_weight(years, unit) for unit in ("lb", "kg")}
    assert defaults == {"lb": 12_027.0, "kg": 5_455.0}
    assert potency_page.convert_weight(12_027.0, "lb", "kg", defaults) == 5_455.0
    assert potency_page.convert_weight(12_000.0, "lb", "kg", defaults) == 5_440.0  # as many figures as typed
    assert potency_page.convert_weight(1.0, "kg", "lb", defaults) == 2.2  # three figures at least: 2.20 lb
    assert potency_page.convert_weight(12_345.678, "lb", "kg", defaults) == 5_599.9053


def test_the_reference_table_has_headings_and_blank_cells_not_none(build):
    table = potency_page.reference_constants(build.official.reference_values)
    assert len(table) > 0
    assert set(table.columns) <= set(potency_page.REFERENCE_LABELS)
    assert all(label[0].isupper() and "_" not in label for label in potency_page.REFERENCE_LABELS.values())
    lethal = table[table["figure"].str.startswith("Potentially lethal dose")].iloc[0]
    assert lethal["relative_to"] == ""
    assert not table.drop(columns=["value", "url_seen"]).isna().any().any()


def test_a_source_without_a_recorded_headline_is_cited_by_publisher_date_and_url():
    assert cite.published_in("NBC10 Philadelphia", None) == "NBC10 Philadelphia"
    assert cite.published_in("NBC10 Philadelphia", float("nan")) == "NBC10 Philadelphia"
    assert cite.published_in("Axios", "Overdose deaths fall") == "Axios: Overdose deaths fall"
    cited = cite.document("NBC10 Philadelphia", None, "2017-06-08", "http://example.org/a", "2026-11-22")
    assert cited.plain == "NBC10 Philadelphia (2017-06-08). http://example.org/a (accessed 2026-11-22)"
    assert "title" not in cited.bibtex and "None" not in cited.bibtex


def test_a_bracketed_placeholder_is_refused_as_a_headline():
    from pydantic import ValidationError

    from drugstats.claims.models import Source

    base = {"id": "x", "kind": "news", "publisher": "P", "url": "https://example.org/", "published": "2024"}
    base["accessed"] = "2026-01-01"
    assert Source(**base).title is None
    with pytest.raises(ValidationError, match="bracketed note is not a headline"):
        Source(**base, title="[headline not recorded] a description")


def test_no_chart_or_citation_of_a_shipped_claim_shows_a_placeholder(build):
    untitled = build.claims[build.claims["source_title"].isna()]
    assert len(untitled) > 5
    for claim_id in untitled["id"].head(5):
        figure = claimplot.claim(build, claim_id)
        if figure is not None:
            notes = charts.plain_text(" ".join(a.text for a in figure.figure.layout.annotations))
            assert "headline not recorded" not in notes and "None" not in notes and "nan" not in notes.split()


def test_the_ratio_of_claim_to_official_is_a_sentence():
    assert claims_page.ratio_sentence(1.3866) == "The claim is 1.39 times the official figure."
    assert claims_page.ratio_sentence(0.999) == "The claim equals the official figure, to two decimals."


def test_a_claims_link_uses_the_site_address_else_the_address_it_was_served_from():
    served = "https://drugs.example.net/app/claims"
    assert claims_page.claim_link("a-1", served, None) == "https://drugs.example.net/app/claims?claim=a-1"
    assert claims_page.claim_link("a-1", served, "https://drugstats.org/") == "https://drugstats.org/claims?claim=a-1"
    assert claims_page.claim_link("a-1", None, None) == "/claims?claim=a-1"  # never a guessed localhost
    assert claims_page.claim_link("a b&c", served, None).endswith("?claim=a%20b%26c")


def test_filter_claims_by_facets_and_literal_words(build):
    table = claims_page.claims_table(build.claims, build.verdicts)
    assert list(claims_page.filter_claims(table, {"verdict": ("wrong_measure",)})["id"]) == [CLAIM_105K]
    assert CLAIM_105K in set(claims_page.filter_claims(table, {}, "FENTANYL killed")["id"])
    assert claims_page.filter_claims(table, {}, ".*").empty  # a search is literal, never a pattern
    assert len(claims_page.filter_claims(table, {})) == len(table) == len(build.claims)


def test_claim_plot_of_the_105000_claim_draws_both_measures(build):
    claim = build.claims[build.claims["id"] == CLAIM_105K].iloc[0]
    plot = claimplot.claim_plot(claim, build.verdict_by_id[CLAIM_105K], build.official)
    assert plot.kind == "deaths"
    assert set(plot.rows["substance"]) == {"fentanyl", "all_drugs"}
    assert plot.window == (pd.Timestamp("2022-02-01"), pd.Timestamp("2023-01-31"))


def test_statement_figures_use_the_months_before_the_statement(build):
    figures = statements_page.statement_figures("2023-03-16", ["overdose_deaths", "drug_seized"], build.official)
    assert list(figures["window"]) == ["12 months ending February 2023"] * 2 + ["March 2022 to February 2023"]
    assert (figures["value"] > 0).all()


def test_verdict_rules_are_read_from_checks():
    rules = sources_page.verdict_rule_rows(checks.DEFAULT_TOLERANCES).set_index(["claim", "case"])
    # 250 is what 245 to 259.99 print as, rounded or cut at the tens (wider than the 2% for rounding: 245.1 to 255.1)
    assert rules.loc[("250", ""), "consistent_if_official_from"] == pytest.approx(245.0)
    assert rules.loc[("250", ""), "consistent_if_official_to"] == pytest.approx(260.0)
    assert rules.loc[("more than 250", ""), "consistent_if_official_to"] == pytest.approx(275.0)
    coarse = rules.loc[("about 300", "a round number with one significant digit")]
    assert coarse["consistent_if_official_from"] == pytest.approx(270.0) and coarse["consistent_if_official_to"] == pytest.approx(
        330.0
    )
    provisional = rules.loc[("250", "an exact count against CDC's provisional count")]
    assert provisional["consistent_if_official_to"] > rules.loc[("250", ""), "consistent_if_official_to"]
    wider = sources_page.verdict_rule_rows(checks.Tolerances(exact=0.05)).set_index(["claim", "case"])
    assert wider.loc[("250", ""), "consistent_if_official_to"] == pytest.approx(250 / 0.95, abs=0.1)


def test_the_rules_say_in_words_the_slack_a_bound_is_given():
    rules = sources_page.verdict_rule_rows(checks.DEFAULT_TOLERANCES).set_index(["claim", "case"])
    more_than = rules.loc[("more than 250", "")]
    # 245.1 counts as consistent with "more than 250": the row has to say why, with the tolerance checks apply
    assert more_than["consistent_if_official_from"] < 250
    assert more_than["consistent_if_official"].startswith("above 250, less the 2% allowed for rounding")
    assert "10%" in more_than["consistent_if_official"]
    assert "2%" in rules.loc[("less than 250", ""), "consistent_if_official"]
    assert "4%" in rules.loc[("250", "an exact count against CDC's provisional count"), "consistent_if_official"]
    assert "10%" in rules.loc[("about 300", "a round number with one significant digit"), "consistent_if_official"]
    wider = sources_page.verdict_rule_rows(checks.Tolerances(exact=0.05)).set_index(["claim", "case"])
    assert "less the 5% allowed" in wider.loc[("more than 250", ""), "consistent_if_official"]
    assert set(sources_page.SLACK) == set(vocab.QUALIFIERS)


def test_a_dataset_file_without_a_release_has_an_empty_cell_not_none(build):
    cbp = build.official.datasets[series.CBP_SEIZURES]
    files = sources_page.dataset_files(cbp)
    assert len(files) > 0
    assert not files.isna().any().any()
    assert "None" not in set(files.drop(columns=["rows"]).to_numpy().ravel())


def test_every_tolerance_is_explained():
    rows = sources_page.tolerance_rows(checks.DEFAULT_TOLERANCES)
    assert len(rows) == len(dataclasses.fields(checks.Tolerances)) >= 4
    assert rows["governs"].str.len().gt(0).all(), rows.loc[rows["governs"] == "", "tolerance"].tolist()


# --------------------------------------------------------------------------------- text and links


@pytest.mark.parametrize(
    "text",
    ["**bold**", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>", ":red[colour]", "$x^2$", "# heading", "a\\b"],
)
def test_escape_markdown_leaves_no_unescaped_markup(text):
    escaped = safetext.escape_markdown(text)
    # Every markup character is preceded by a backslash; removing the escapes gives the text back.
    assert escaped.replace("\\", "") == text.replace("\\", "")
    for ch in "*[]()<>:$#":
        assert all(escaped[i - 1] == "\\" for i, c in enumerate(escaped) if c == ch)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.cdc.gov/nchs/x.htm", "https://www.cdc.gov/nchs/x.htm"),
        ("https://example.org/a_(b)", "https://example.org/a_%28b%29"),
        ("javascript:alert(1)", None),
        ("data:text/html,hi", None),
        ("//evil.example", None),
        ("https://x.org/a b", None),
        (None, None),
    ],
)
def test_safe_url_keeps_only_http_links(url, expected):
    assert safetext.safe_url(url) == expected


def _seizure_claims(*windows: tuple[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    source = models.Source(
        id="s", kind="news", publisher="P", title="T", url="https://example.org/", published="2023-04-13", accessed="2026-11-30"
    )
    claims = [
        models.Claim(
            id=f"c{i}",
            quote="q",
            metric="drug_seized",
            substance="fentanyl",
            value=1000,
            unit="kg",
            qualifier="more_than",
            period_start=start,
            period_end=end,
            geography="US",
            claimant="X",
            attributed_to="CBP",
            source="s",
            seized_by="CBP",
        )
        for i, (start, end) in enumerate(windows)
    ]
    frame = transform.claims_frame(claims, {"s": source})
    verdicts = pd.DataFrame({"id": frame["id"], "verdict": "consistent", "explanation": "", "official_value": 1.0})
    return frame, verdicts


def test_seizure_markers_leave_off_a_claim_spanning_two_fiscal_years():
    claims, verdicts = _seizure_claims(("2022-10-01", "2023-09-30"), ("2022-10-01", "2023-02-28"), ("2021-10-01", "2023-02-28"))
    markers = seizures_page.seizure_claim_markers(claims, verdicts, "lb").set_index("id")
    assert markers["chart"].to_dict() == {"c0": "fiscal_year", "c1": "ytd", "c2": ""}
    assert markers.loc["c0", "fiscal_year"] == 2023 and markers.loc["c1", "month_of_fy"] == 5
    assert pd.isna(markers.loc["c2", "fiscal_year"])
    assert markers.loc["c0", "claimed_lb"] == pytest.approx(1000 / 0.45359237)
