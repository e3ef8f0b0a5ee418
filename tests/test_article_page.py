"""The Check an article page: drugstats.pages.article on small texts, the page through AppTest, and one browser run."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from drugstats import DATA_DIR
from drugstats.claims import load
from drugstats.extract import report as extract_report
from drugstats.extract.source import ArticleError
from drugstats.pages import article as page
from drugstats.pages import article_downloads as downloads
from drugstats.pages import article_markup as markup
from drugstats.pages import check as check_page
from drugstats.publish import export
from drugstats.verdicts import checks, pipeline
from drugstats.verdicts.checks import OfficialRecord
from tests.conftest import require_chromium
from tests.stserver import CHROMIUM, CHROMIUM_ARGS, Server

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")
ARTICLES = ROOT / "tests" / "articles"
ARTIFACTS = ROOT / "tests" / "artifacts"
PUBLISHED = date(2023, 4, 13)
SOURCE = "https://example.org/a"
MARK = re.compile(r'<mark data-verdict="([a-z_]+)" title="([^"]*)"[^>]*>(.*?)</mark>')


def tiny_record() -> OfficialRecord:
    """1,000 deaths from all drugs and 600 from fentanyl in 2021, and the DEA's 2 mg: enough to give each verdict."""
    deaths = pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2021-12-31", "2021-12-31"]),
            "geography": "US",
            "substance": ["all_drugs", "fentanyl"],
            "window_months": 12,
            "deaths_reported": pd.array([1000, 600], dtype="Int64"),
            "release": pd.Timestamp("2026-02-14"),
        }
    )
    reference = pd.DataFrame(
        [
            {
                "metric": "lethal_dose",
                "substance": "fentanyl",
                "relative_to": None,
                "value": 2,
                "unit": "mg",
                "publisher": "DEA",
                "figure": "Potentially lethal dose",
                "source_url": "https://example.org/dea",
                "published": "2024-05-09",
                "source_title": "T",
            }
        ]
    )
    seizures = pd.DataFrame(columns=["month", "drug", "seized_lb", "seized_kg", "events", "component", "region"])
    return OfficialRecord(deaths, seizures, reference)


RECORD = tiny_record()
# consistent (more than 1,000 vs 1,000: within the headroom), consistent (2 mg), and one with no period stated
TEXT = (
    "Overdoses killed more than 1,000 people in 2021, the CDC said.\n\n"
    "Two milligrams of fentanyl is a lethal dose. Fentanyl killed 500 people a year, officials said."
)


def checked(text: str = TEXT) -> page.ArticleCheck:
    return page.check_article(text, PUBLISHED, "Example News", SOURCE, RECORD)


def verdicts(result: page.ArticleCheck) -> list[str | None]:
    return [item.verdict.verdict if item.verdict else None for item in result.items]


@pytest.fixture(scope="module")
def shipped() -> pipeline.Build:
    return pipeline.build(DATA_DIR)


# --------------------------------------------------------------------------------- the view in the URL


def test_view_reads_a_date_and_an_outlet_and_writes_them_back():
    view = page.parse_article({"published": ["2023-04-13"], "outlet": ["The Daily Caller"]})
    assert view == page.ArticleView(date(2023, 4, 13), "The Daily Caller")
    assert page.parse_article(view.query()) == view


@pytest.mark.parametrize("published", ["2023-02-30", "13/04/2023", "1066-10-14", "2023-04-13T00:00", ""])
def test_a_malformed_date_falls_back_to_none(published):
    assert page.parse_article({"published": [published], "outlet": ["x" * 500]}) == page.ArticleView(None, "")


# --------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   \n ", "The pasted text: is empty; there is no text to read"),
        ("x" * 3_000_001, "The pasted text: more than 3,000,000 bytes is more than an article"),
        ("\x00\x01\x02" * 100, "The pasted text: is binary data, not text"),
    ],
    ids=["empty", "too-long", "binary"],
)
def test_bad_pasted_text_gets_one_line(text, message):
    with pytest.raises(ArticleError, match=re.escape(message)) as err:
        page.read_pasted(text)
    assert "\n" not in str(err.value)


def test_text_that_is_not_english_is_read_but_flagged():
    spanish = "Aquí no producimos fentanilo y no tenemos consumo de fentanilo, dijo el presidente en su conferencia. " * 5
    assert "does not look like English" in page.read_pasted(spanish).note


def test_an_uploaded_page_gives_its_main_text_and_date_without_scripts():
    body = "<p>Fentanyl killed over 105,000 people in America between February 2022 and January 2023.</p>" * 3
    doc = (
        '<html><head><meta property="article:published_time" content="2024-02-01T10:00:00Z">'
        f"<script>alert('x')</script><style>p{{color:red}}</style></head><body><article>{body}</article></body></html>"
    )
    article = page.read_upload("story.html", doc.encode())
    assert article.published == date(2024, 2, 1)
    assert "105,000" in article.text and "alert" not in article.text and "color" not in article.text


def test_a_binary_upload_is_refused():
    with pytest.raises(ArticleError, match=r"^story\.txt: is binary data"):
        page.read_upload("story.txt", bytes(range(256)) * 10)


@pytest.mark.parametrize("address", ["/etc/passwd", "file:///etc/passwd", "javascript:alert(1)", "example.org", ""])
def test_only_a_web_address_is_an_address(address):
    assert page.web_address(address) is None
    assert page.article_source(address).startswith("https://source.invalid/")


# --------------------------------------------------------------------------------- found and checked


def test_each_figure_is_checked_and_the_incomplete_one_says_what_is_missing():
    result = checked()
    assert verdicts(result) == ["consistent", "consistent", None]
    assert result.items[2].missing
    assert page.summary(result) == "3 figures found: 2 consistent, 1 not checked (a field is missing or in doubt)."
    assert page.summary(checked("Nothing about drugs here.")) == "No drug figures found in this text."


def test_a_figure_no_check_takes_is_said_so_and_the_others_are_still_checked(monkeypatch):
    real = checks.check_claim

    def no_rule_for_doses(claim, record, *args, **kwargs):
        if claim["metric"] == "lethal_dose":
            raise LookupError("no reference value")
        return real(claim, record, *args, **kwargs)

    monkeypatch.setattr(checks, "check_claim", no_rule_for_doses)
    result = checked()
    assert verdicts(result) == ["consistent", None, None]
    assert result.items[1].missing == ["drugstats has no check for this combination of fields"]


# --------------------------------------------------------------------------------- the article, highlighted

HOSTILE = (
    "<script>alert('x')</script> **bold** [link](https://evil.example) $x^2$ :red[red] "
    "Overdoses killed more than 1,000 people in 2021. `code` <b>tag</b> & \u202eevil"
)


def test_highlight_escapes_every_character_and_shows_the_text_as_written():
    out = markup.highlight_html(checked(HOSTILE))
    assert "<script" not in out and "<b>" not in out and "**" not in out and "[link]" not in out and "$x" not in out
    assert ":red[" not in out and "`" not in out and "\u202e" not in out
    # Take away the page's own tags: what is left, unescaped, is the article exactly (less the invisible override).
    text = re.sub(r"<sup[^>]*>.*?</sup>|<mark[^>]*>|</mark>|<div[^>]*>|</div>", "", out)
    assert html.unescape(text) == HOSTILE.replace("\u202e", "")


def test_each_figure_is_marked_in_its_verdicts_colour_and_incomplete_ones_say_why():
    out = markup.highlight_html(checked())
    marks = MARK.findall(out)
    assert [(verdict, html.unescape(printed)) for verdict, _, printed in marks] == [
        ("consistent", "more than 1,000"),
        ("consistent", "Two"),
        ("incomplete", "500"),
    ]
    assert "background:#d7f0e6" in out  # display.VERDICTS["consistent"].fill
    assert html.unescape(marks[2][1]).startswith("Not checked: ")
    assert html.unescape(marks[0][1]).startswith("Consistent: The claim (more than 1,000 deaths)")
    assert re.search(r"</mark><sup[^>]*>&#160;3&#160;not checked</sup>", out)  # numbered and named, not colour alone
    said = markup.findings(checked())
    assert [(n, v, printed) for n, v, printed, _ in said] == [
        (1, "consistent", "more than 1,000 people"),
        (2, "consistent", "Two milligrams"),
        (3, None, "500 people"),
    ]
    assert said[2][3].startswith("Not checked: ")


# --------------------------------------------------------------------------------- the reader's corrections


def test_an_edited_value_is_checked_again_and_changes_the_verdict():
    result = checked()
    rows = page.table(result)
    assert list(rows.columns) == list(page.TABLE_COLUMNS) and len(rows) == 3
    edited = page.apply_edits(rows, {0: {"value": 5000.0}})
    again = page.recheck(result, edited, RECORD)
    assert verdicts(again) == ["overstated", "consistent", None]
    assert again.items[1] is result.items[1]  # rows the reader did not touch are not checked again
    assert page.table(result, again)["verdict"].tolist()[:2] == ["overstated", "consistent"]


def test_filling_in_what_is_missing_makes_a_figure_a_checked_claim():
    result = checked()
    edits = {2: {"period_start": "2021-01-01", "period_end": "2021-12-31", "geography": "US"}}
    again = page.recheck(result, page.apply_edits(page.table(result), edits), RECORD)
    assert verdicts(again) == ["consistent", "consistent", "understated"]  # 500 fentanyl deaths against 600
    assert again.items[2].claim.period_end == date(2021, 12, 31)


def _county_or_none(item) -> bool:
    """Checked against the county's own series (claims carry county_fips), or not at all: never the state's or nation's."""
    measure = item.verdict.measure if item.verdict is not None else None
    return measure is None or measure.series == "vsrr-county"


def test_a_county_figure_is_checked_against_its_county_only_until_the_reader_names_another_place():
    result = checked("Pima County recorded 239 overdose deaths in 2021, the medical examiner said.")
    assert _county_or_none(result.items[0])
    again = page.recheck(result, page.apply_edits(page.table(result), {0: {"value": 240.0}}), RECORD)
    assert _county_or_none(again.items[0])  # not checked against the US
    again = page.recheck(result, page.apply_edits(page.table(result), {0: {"geography": "US"}}), RECORD)
    assert verdicts(again) == ["understated"]  # the reader said it is the nation's: checked as such


def test_an_impossible_edit_says_what_is_wrong_instead_of_a_verdict():
    result = checked()
    again = page.recheck(result, page.apply_edits(page.table(result), {0: {"unit": "mg"}}), RECORD)
    assert again.items[0].verdict is None
    assert any("unit" in problem for problem in again.items[0].missing)
    again = page.recheck(result, page.apply_edits(page.table(result), {1: {"substance": None}}), RECORD)
    assert again.items[1].verdict is None and "substance" in " ".join(again.items[1].missing)


def test_edits_to_rows_or_columns_that_are_not_there_are_ignored():
    result = checked()
    rows = page.table(result)
    assert page.apply_edits(rows, {7: {"value": 1.0}, "x": {"value": 1.0}, 0: {"quote": "y"}}).equals(
        rows.loc[:, list(page.EDITABLE)].astype(object)
    )


# --------------------------------------------------------------------------------- downloads


def test_yaml_download_is_a_claims_file_drugstats_validate_accepts(tmp_path):
    result = checked()
    path = tmp_path / "claims.yaml"
    path.write_text(downloads.to_yaml(result), encoding="utf-8")
    dataset = load.load_dataset(DATA_DIR, extra_claim_files=[path])
    assert len(dataset.extra_claims) == 2
    assert "# not a claim yet (" in path.read_text(encoding="utf-8")
    assert [c["value"] for c in yaml.safe_load(path.read_text(encoding="utf-8"))] == [1000, 2]


def test_csv_download_has_a_row_per_figure_with_its_verdict():
    rows = list(csv.DictReader(io.StringIO(downloads.to_csv(checked()))))
    assert tuple(rows[0]) == extract_report.CSV_COLUMNS
    assert [r["verdict"] for r in rows] == ["consistent", "consistent", ""]


def test_claimreview_download_is_json_ld_with_a_review_per_checked_figure():
    result = checked()
    document = json.loads(downloads.to_claimreview(result, page.ArticleView(PUBLISHED, "Example News"), date(2026, 1, 2)))
    assert document["@context"] == "https://schema.org"
    reviews = document["@graph"]
    assert [r["reviewRating"]["alternateName"] for r in reviews] == ["consistent", "consistent"]
    assert reviews[0]["itemReviewed"]["appearance"]["url"] == SOURCE
    assert reviews[0]["itemReviewed"]["author"]["name"] == "Example News"
    assert reviews[0]["datePublished"] == "2026-01-02"
    assert all(r["url"].startswith(f"{export.SITE_URL}/check") for r in reviews)
    assert "null" not in json.dumps(document)
    empty = json.loads(downloads.to_claimreview(checked("Nothing here."), page.ArticleView(None, ""), date(2026, 1, 2)))
    assert empty["@graph"] == []


def test_a_reviews_address_repeats_the_same_check_on_the_check_a_figure_page(shipped):
    text = (ARTICLES / "2024-02-01-dailycaller-us-china-working-group.txt").read_text(encoding="utf-8")
    result = page.check_article(text, date(2024, 2, 1), "Daily Caller News Foundation", SOURCE, shipped)
    for item in result.items:
        link = downloads.check_link(item.claim, page.ArticleView(None, ""))
        assert urlsplit(link).path == "/check"  # the first figure is that page's default: no query at all
        params = parse_qs(urlsplit(link).query)
        again = check_page.reader_check(shipped, check_page.parse_check(params, ["US"]))
        assert again.verdict.verdict == item.verdict.verdict, link


def test_a_checked_figure_has_its_chart(shipped):
    text = (ARTICLES / "2024-02-01-dailycaller-us-china-working-group.txt").read_text(encoding="utf-8")
    result = page.check_article(text, date(2024, 2, 1), "Daily Caller News Foundation", SOURCE, shipped)
    figure = page.claim_figure(shipped, page.chart_key(result.items[0]), page.ArticleView(date(2024, 2, 1), ""))
    assert figure is not None and len(figure.rows) > 0


def test_the_samples_are_the_seed_articles_as_the_tests_hold_them():
    for sample in page.SAMPLES:
        assert page.sample_text(sample) == (ARTICLES / sample.file).read_text(encoding="utf-8")


# --------------------------------------------------------------------------------- the page, through AppTest

SEEDS = {
    "dailycaller-2023-04-13-us-mexico-fentanyl": ("2023-04-13-dailycaller-us-mexico-fentanyl.txt", date(2023, 4, 13)),
    "dailycaller-2024-02-01-us-china-working-group": ("2024-02-01-dailycaller-us-china-working-group.txt", date(2024, 2, 1)),
}


@pytest.fixture(autouse=True)
def shipped_data(monkeypatch):
    monkeypatch.delenv("DRUGSTATS_DATA", raising=False)
    monkeypatch.delenv(page.FETCH_ENV, raising=False)


def article_page(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()  # a first run registers st.navigation's pages, so switch_page can find them
    at.switch_page("views/article.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def marks(at: AppTest) -> list[tuple[str, str]]:
    """(verdict, figure as printed) of each highlighted figure."""
    [article] = at.get("html")
    return [(verdict, html.unescape(printed)) for verdict, _, printed in MARK.findall(article.proto.body)]


def messages(at: AppTest) -> list[str]:
    return [w.value for w in at.warning] + [e.value for e in at.error]


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("seed", list(SEEDS))
def test_a_pasted_seed_article_gets_the_verdicts_of_its_curated_claims(shipped, seed):
    name, published = SEEDS[seed]
    curated = [c for c in shipped.dataset.claims if c.source == seed]
    at = article_page()
    at.text_area(key="article.text").set_value((ARTICLES / name).read_text(encoding="utf-8"))
    at.date_input(key="article.published").set_value(published)
    at.text_input(key="article.outlet").set_value(curated[0].claimant)
    at.run()
    assert_clean(at)
    assert not at.warning
    found = marks(at)
    assert sorted(v for v, _ in found) == sorted(shipped.verdict_by_id[c.id].verdict for c in curated)
    assert len(found) == len(curated) == 3
    assert any(m.value.startswith("**3 figures found") for m in at.markdown)
    assert at.query_params["published"] == published.isoformat()
    assert len(at.get("download_button")) == 3
    # A figure's chart, on demand.
    assert not at.get("plotly_chart")
    at.selectbox(key=next(s.key for s in at.selectbox if s.key.startswith("article.chart."))).select(1).run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 1


def test_a_sample_button_loads_a_seed_article_with_its_date_and_outlet():
    at = article_page()
    assert [i.value for i in at.info] == ["Paste an article above, upload one, or try a sample."]
    at.button(key=f"article.sample.{page.SAMPLES[1].file}").click().run()
    assert_clean(at)
    assert at.date_input(key="article.published").value == page.SAMPLES[1].published
    assert at.text_input(key="article.outlet").value == page.SAMPLES[1].outlet
    assert [v for v, _ in marks(at)] == ["wrong_measure", "consistent", "consistent"]


def test_the_url_restores_the_date_and_outlet():
    at = article_page(published="2023-04-13", outlet="The Daily Caller")
    assert at.date_input(key="article.published").value == date(2023, 4, 13)
    assert at.text_input(key="article.outlet").value == "The Daily Caller"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("  \n\n  ", "is empty"),
        ("\x00\x01\x02\x03" * 200, "is binary data"),
        ("fentanyl " * 350_000, "more than 3,000,000 bytes is more than an article"),
        ("Aquí no producimos fentanilo y no tenemos consumo de fentanilo, dijo el presidente. " * 5, "does not look like"),
    ],
    ids=["empty", "binary", "too-long", "not-english"],
)
def test_bad_pasted_text_shows_one_message_and_nothing_else(text, message):
    at = article_page()
    at.text_area(key="article.text").set_value(text).run()
    assert not at.exception
    [shown] = messages(at)
    assert message in shown and "\n" not in shown
    assert not at.get("html") and not at.get("download_button")


def test_a_binary_upload_shows_a_message_and_an_html_upload_fills_the_text_and_date():
    at = article_page()
    at.get("file_uploader")[0].set_value(("pills.txt", bytes(range(256)) * 40, "text/plain")).run()
    assert not at.exception
    [shown] = messages(at)
    assert "pills.txt: is binary data" in shown.replace("\\", "")
    body = "<p>Fentanyl killed over 105,000 people in America between February 2022 and January 2023, the CDC said.</p>"
    head = '<meta property="article:published_time" content="2024-02-01"><script>x()</script>'
    doc = f"<html><head>{head}</head><body><article>{body * 3}</article></body></html>"
    at.get("file_uploader")[0].set_value(("story.html", doc.encode(), "text/html")).run()
    assert_clean(at)
    assert not at.warning
    assert at.date_input(key="article.published").value == date(2024, 2, 1)
    assert "x()" not in at.text_area(key="article.text").value
    assert [v for v, _ in marks(at)][:1] == ["wrong_measure"]


def test_hostile_text_is_shown_literally(shipped):
    at = article_page()
    at.text_area(key="article.text").set_value(HOSTILE).run()
    assert_clean(at)
    [article] = at.get("html")
    assert "<script" not in article.proto.body and "<b>" not in article.proto.body
    assert [p for _, p in marks(at)] == ["more than 1,000"]


def test_reading_from_an_address_is_off_unless_the_deployment_allows_it(monkeypatch):
    at = article_page()
    assert not [b for b in at.button if b.label == "Read the article at this address"]
    assert not [t for t in at.text_input if t.key == "article.address"]  # no address field it would not read
    said = [c.value for c in at.caption if "Save Page As" in c.value]
    assert said and page.FETCH_ENV not in said[0] and "`" not in said[0]
    monkeypatch.setenv(page.FETCH_ENV, "1")
    at = article_page()
    at.text_input(key="article.address").set_value("/etc/passwd")
    next(b for b in at.button if b.label == "Read the article at this address").click().run()
    assert not at.exception
    assert [m for m in messages(at) if "whole address" in m]


# --------------------------------------------------------------------------------- in a real browser

IDLE = """() => {
    const status = document.querySelector('[data-testid="stStatusWidget"]');
    return !(status && status.innerText.includes('Running'));
}"""


@pytest.mark.browser
def test_in_a_browser_a_pasted_article_is_marked_and_a_corrected_value_is_checked_again():
    require_chromium("playwright.sync_api")
    from playwright.sync_api import sync_playwright

    text = (ARTICLES / "2023-04-13-dailycaller-us-mexico-fentanyl.txt").read_text(encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DRUGSTATS_DATA", page.FETCH_ENV)}
    with Server(env=env) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.set_default_timeout(60_000)
            tab.goto(f"{server.base}/article?published=2023-04-13&outlet=The+Daily+Caller")
            tab.get_by_role("heading", name="Check an article", exact=True).wait_for()
            tab.wait_for_function(IDLE)  # typing into a page still on its first run can lose the URL's outlet
            box = tab.get_by_label("The article's text")
            box.fill(text)
            box.press("Control+Enter")
            marks = tab.locator("mark[data-verdict]")
            marks.nth(2).wait_for()
            assert [m.get_attribute("data-verdict") for m in marks.all()] == ["consistent"] * 3
            assert marks.nth(1).inner_text() == "more than 11,000"
            assert "3 figures found: 3 consistent." in tab.inner_text('[data-testid="stMain"]')
            grid = tab.locator('[data-testid="stDataFrame"]')
            grid.locator("canvas").first.wait_for()
            grid.locator('[role="gridcell"]', has_text="more than 11,000").wait_for(state="attached")  # the grid's a11y copy
            ARTIFACTS.mkdir(exist_ok=True)
            tab.screenshot(path=str(ARTIFACTS / "article-desktop.png"), full_page=True)
            grid.scroll_into_view_if_needed()
            grid.screenshot(path=str(ARTIFACTS / "article-table.png"))  # From and To beside the figure, unscrolled
            header = grid.locator('[role="columnheader"]')
            assert [header.nth(i).inner_text() for i in range(3, 6)] == ["From", "To", "Read from the article"]
            # The reader corrects the second figure's value: it is checked again, and the article's mark follows.
            grid.locator(".dvn-scroller").first.click(position={"x": 20, "y": 35 + 35 + 17})  # row 2, first column
            for _ in range(6):
                tab.keyboard.press("ArrowRight")  # past From, To and what was read from the article, to Value
            tab.keyboard.press("Enter")
            editor = tab.locator("#portal input")
            editor.fill("20000")
            editor.press("Enter")
            tab.locator('mark[data-verdict="overstated"]', has_text="more than 11,000").wait_for()
            assert tab.locator('[data-testid="stException"]').count() == 0
            assert "Traceback" not in tab.inner_text("body")
        finally:
            browser.close()


def test_claimreview_download_cannot_close_the_script_element_it_is_embedded_in():
    hostile = "Officials said 1,000 pounds of fentanyl were seized in 2023 </script><!-- by CBP."
    text = downloads.to_claimreview(checked(hostile), page.ArticleView(PUBLISHED, "Example News"), date(2026, 1, 2))
    assert "</" not in text and "<!--" not in text
    (review,) = json.loads(text)["@graph"]
    assert "</script><!--" in review["claimReviewed"]  # the quote itself survives, as JSON reads it


HOSTILE_CELLS = ("2021-01-01", "2021-01-01T00:00:00.000", "+010101-02-02", "2021-13-45", "last spring", "", " ", "12", 5)


@pytest.mark.parametrize("value", HOSTILE_CELLS)
@pytest.mark.parametrize("name", page.EDITABLE)
def test_any_text_typed_in_any_cell_is_read_or_said_to_be_missing_never_raises(name, value):
    # Typing 2021-01-01 in a date cell raised TypeError: Invalid value '+010101-02-02' for dtype 'datetime64[s]' (issue 23).
    result = checked()
    again = page.recheck(result, page.apply_edits(page.table(result), {2: {name: value}}), RECORD)
    assert len(again.items) == 3
    assert page.summary(again)


def test_an_iso_date_typed_in_a_date_cell_sets_the_period_and_the_figure_is_checked():
    result = checked()
    edits = {2: {"period_start": "2021-01-01", "period_end": "2021-12-31T00:00:00.000"}}
    again = page.recheck(result, page.apply_edits(page.table(result), edits), RECORD)
    item = again.items[2]
    assert (item.candidate.period_start, item.candidate.period_end) == (date(2021, 1, 1), date(2021, 12, 31))
    assert item.verdict is not None


def test_typing_an_iso_date_or_any_text_in_any_cell_of_the_page_never_shows_an_error_box():
    at = article_page(published="2023-04-13", outlet="Example News")
    at.text_area(key="article.text").set_value(TEXT).run()
    assert_clean(at)
    text = page.read_pasted(TEXT).text
    key = f"article.table.{page.check_article(text, date(2023, 4, 13), 'Example News', page.article_source(''), RECORD).digest}"
    for value in ("2021-01-01", "+010101-02-02", "not a date", ""):
        edits = {row: {name: value for name in page.EDITABLE} for row in range(3)}
        at.session_state[key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
        at.run()
        assert not at.exception, [e.stack_trace for e in at.exception]
        assert_clean(at)
        assert any("figures found" in m.value for m in at.markdown)  # the page went on to draw the figures


@pytest.mark.parametrize(
    ("edits", "missing"),
    [
        ({"period_start": "2021-01-01"}, ["period end: required for a overdose_deaths claim"]),
        ({"period_end": "2021-12-31"}, ["period start: required for a overdose_deaths claim"]),
        ({"substance": ""}, ["substance: missing"]),
    ],
)
def test_an_incomplete_correction_names_its_missing_field_once(edits, missing):
    result = checked()
    again = page.recheck(result, page.apply_edits(page.table(result), {2: edits}), RECORD)
    assert again.items[2].missing == missing and again.items[2].verdict is None


def test_a_change_left_unchecked_is_checked_once_the_reader_gives_its_earlier_period():
    months = pd.date_range("2020-10-01", "2022-09-01", freq="MS")  # 1,000 lb a month in FY2021, 1,250 in FY2022
    lb = [1000.0 if m < pd.Timestamp("2021-10-01") else 1250.0 for m in months]
    seizures = pd.DataFrame(
        {"month": months, "drug": "fentanyl", "seized_lb": lb, "events": 1, "component": "OFO", "region": "Southwest Border"}
    ).assign(seized_kg=lambda f: f["seized_lb"] * 0.45359237)
    record = OfficialRecord(RECORD.deaths, seizures, RECORD.reference)
    text = "CBP said fentanyl seizures in fiscal year 2022 rose about 25% over two years."  # no earlier period read
    result = page.check_article(text, date(2023, 1, 6), "Example News", SOURCE, record)
    assert verdicts(result) == [None]
    edits = {0: {"compared_to_start": "2020-10-01", "compared_to_end": "2021-09-30"}}
    again = page.recheck(result, page.apply_edits(page.table(result), edits), record)
    assert verdicts(again) == ["consistent"]
    assert (again.items[0].claim.compared_to_start, again.items[0].claim.compared_to_end) == (
        date(2020, 10, 1),
        date(2021, 9, 30),
    )
