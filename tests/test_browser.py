"""The dashboard in a real browser: Playwright driving Debian's chromium against `streamlit run app.py`.

One server for the module. Screenshots of every page at desktop and phone width go to tests/artifacts/.
Without chromium the tests skip, unless DRUGSTATS_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from drugstats import DATA_DIR
from drugstats.official import queries, series
from drugstats.pages import deaths as deaths_page
from drugstats.publish import cite, export
from drugstats.verdicts import pipeline
from tests import golden
from tests.stserver import CHROMIUM, CHROMIUM_ARGS, Server

from .conftest import require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CLAIM_105K = "dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023"
CLAIM_2018 = "gazette-2018-08-15-overdose-deaths-2017"  # a release of its day is held: its window across releases
# A chart with data drawn (a plotly trace): not the blank chart a first view gets while the data load (views/_ui.py)
CHART = '[data-testid="stPlotlyChart"]:has(.trace) .main-svg'
MAIN = '[data-testid="stMain"]'
TIMEOUT_MS = 60_000

# url path -> (page title, plotly charts drawn)
PAGES = {
    "": ("drugstats", 2),  # the deaths line above the fold, then the verdicts
    "deaths": ("Overdose deaths", 2),  # the counts, then one window across the releases held
    "seizures": ("Seizures", 3),
    "potency": ("Potency and lethal dose", 1),
    "claims": ("Claims", 0),
    "check": ("Check a figure", 1),
    "article": ("Check an article", 0),
    "statements": ("Statements", 0),
    "sources": ("Sources and method", 0),
    "downloads": ("Downloads", 0),
    "claims?show=scorecards": ("Claims", 0),
    "claims?show=repeats": ("Claims", 0),
    f"claims?claim={CLAIM_105K}": ("Claim", 1),  # the claim over its series; no release of its day (2024) is held
    f"claims?claim={CLAIM_2018}": ("Claim", 2),  # the claim over its series, its window across releases
}
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# A phone names itself in its User-Agent; the dashboard wraps chart text for it (views/_ui.for_this_screen).
AGENTS = {
    "desktop": None,
    "phone": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1",
}
# Every title, subtitle and source line of every chart, and how far its right edge is past its chart's.
TEXT_PAST_EDGE = """() => {
    const out = [];
    for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
        const right = chart.getBoundingClientRect().right;
        for (const t of chart.querySelectorAll('text.gtitle, text.gtitle-subtitle, .annotation-text')) {
            out.push([t.textContent.slice(0, 50), Math.round(t.getBoundingClientRect().right - right)]);
        }
    }
    return out;
}"""


@contextlib.contextmanager
def serve():
    """`streamlit run app.py` on a free port, with the shipped data, until the block ends; yields its base URL."""
    require_chromium("playwright.sync_api")
    with Server(env={k: v for k, v in os.environ.items() if k != "DRUGSTATS_DATA"}) as server:
        yield server.base


@pytest.fixture(scope="module")
def server():
    with serve() as base:
        yield base


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def build() -> pipeline.Build:
    return pipeline.build(DATA_DIR)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=WIDTHS["desktop"], accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def open_page(page, base: str, path: str, charts_expected: int, title: str) -> None:
    """Go to a page and wait until it has drawn: its title, and every chart's SVG when it has charts."""
    page.goto(f"{base}/{path}")
    page.get_by_role("heading", name=title, exact=True).first.wait_for()
    if charts_expected:
        page.locator(CHART).nth(charts_expected - 1).wait_for()
    wait_idle(page)


def wait_idle(page) -> None:
    """Wait for Streamlit to finish: no 'Running' status, no skeleton placeholders, every visible table drawn."""
    page.wait_for_function(
        """() => {
            const status = document.querySelector('[data-testid="stStatusWidget"]');
            if (status && status.innerText.includes('Running')) return false;
            if (document.querySelector('[data-testid="stSkeleton"]')) return false;
            const tables = [...document.querySelectorAll('[data-testid="stDataFrame"]')];
            // a table in a closed expander or an unselected tab is not drawn until shown
            const shown = tables.filter(t => !t.closest('details:not([open])') && t.offsetParent !== null);
            return shown.every(t => t.querySelector('canvas'));
        }"""
    )


def screenshot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main area, so the window is grown to that area's height first."""
    height = page.evaluate(f"() => document.querySelector('{MAIN}').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(int(height) + 40, 16_000)})
    page.screenshot(path=str(path))


def assert_no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")


# --------------------------------------------------------------------------------- every page, two widths


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_renders_with_its_charts(browser, server, width):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=WIDTHS[width], user_agent=AGENTS[width])
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        for path, (title, n_charts) in PAGES.items():
            open_page(page, server, path, n_charts, title)
            assert_no_exception(page)
            # Wait for what is counted, not for time: on a loaded machine a chart can still be arriving (or a blank one
            # leaving) after the last one expected is drawn.
            with contextlib.suppress(Exception):
                page.wait_for_function(
                    "n => document.querySelectorAll('[data-testid=stPlotlyChart]').length === n", arg=n_charts, timeout=15_000
                )
            assert page.locator('[data-testid="stPlotlyChart"]').count() == n_charts, path
            if n_charts:
                # Every chart carries its source line inside the figure.
                assert page.locator('[data-testid="stPlotlyChart"] .annotation-text', has_text="Source:").count() >= n_charts
            if width == "phone":
                overflow = page.evaluate(
                    f"() => {{ const m = document.querySelector('{MAIN}'); return m.scrollWidth - m.clientWidth; }}"
                )
                assert overflow <= 1, f"/{path} is {overflow}px wider than a 390px screen"
                texts = page.evaluate(TEXT_PAST_EDGE)
                assert len(texts) >= 2 * n_charts  # each chart's title and source at least: the check looked
                cut = [text for text, past in texts if past > 1]
                assert not cut, f"/{path}: chart text cut at a phone's edge: {cut}"
                # no hover on a phone: plotly's toolbar would stand over the chart's title
                assert page.locator('[data-testid="stPlotlyChart"] .modebar-btn').count() == 0, path
            name = path.replace("claims?claim=", "claim-").replace("claims?show=", "") or "overview"
            screenshot(page, ARTIFACTS / f"{name}-{width}.png")
            page.set_viewport_size(WIDTHS[width])
    finally:
        context.close()


def test_a_deep_link_is_the_first_visit_after_a_start(browser):
    # A server's first visitor may arrive by a shared link. Streamlit used to run a pages/ directory's file on its own
    # then (no navigation, no sidebar line, no run slots) until some session had run app.py's st.navigation.
    with serve() as fresh:
        context = browser.new_context(viewport=WIDTHS["desktop"])
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        try:
            open_page(page, fresh, "sources", 0, "Sources and method")
            sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
            for label in ("Figures", "Overview", "Seizures", "Check a figure", "Sources and method", "claims checked"):
                assert label in sidebar
            assert_no_exception(page)
        finally:
            context.close()


def test_sidebar_navigation_reaches_a_page(page, server):
    open_page(page, server, "", 1, "drugstats")
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Seizures", exact=True).click()
    page.wait_for_url(f"{server}/seizures")
    page.locator(CHART).nth(2).wait_for()
    assert_no_exception(page)


# --------------------------------------------------------------------------------- filters, deep links


def test_changing_a_filter_redraws_the_chart_and_updates_the_url(page, server):
    open_page(page, server, "deaths", 2, "Overdose deaths")
    assert page.locator(f"{CHART} .ytick", has_text=re.compile(r"^100,000$")).count() == 1
    page.get_by_role("radio", name="Log", exact=True).click()
    page.wait_for_url("**/deaths?scale=log")
    wait_idle(page)
    # On a log axis plotly labels the powers of ten; the linear one has no 10,000 tick.
    page.locator(f"{CHART} .ytick", has_text=re.compile(r"^10,000$")).wait_for()
    assert_no_exception(page)
    page.reload()
    page.locator(f"{CHART} .ytick", has_text=re.compile(r"^10,000$")).wait_for()  # the URL restores the view


def test_claim_deep_link_opens_the_claim(page, server):
    open_page(page, server, f"claims?claim={CLAIM_105K}", 2, "Claim")
    body = page.inner_text("body")
    assert "Fentanyl killed over 105,000 people in America between February 2022 and January 2023" in body
    assert "Wrong measure" in body
    claim_chart = page.locator('[data-testid="stPlotlyChart"]').first
    assert claim_chart.locator(".legendtext", has_text="Claim: wrong measure").count() == 1
    page.get_by_role("button", name="All claims").click()
    page.get_by_role("heading", name="Claims", exact=True).wait_for()
    page.wait_for_url(f"{server}/claims")


def test_embedded_claim_keeps_embed_and_the_claim(page, server):
    # README: every page works in an iframe with ?embed=true, the other parameters still selecting the view.
    open_page(page, server, f"claims?claim={CLAIM_105K}&embed=true&zz=1", 2, "Claim")
    assert "Wrong measure" in page.inner_text("body")
    page.wait_for_url(
        re.compile(r".*/claims\?(?=.*embed=true)(?=.*claim=dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023)(?!.*zz=).*")
    )


def test_a_charts_table_opens_on_demand(page, server):
    # Chart tables are drawn only once their expander is opened (views/_ui.chart_with_table).
    open_page(page, server, "deaths", 2, "Overdose deaths")
    grids = '[data-testid="stExpander"] [data-testid="stDataFrame"]'
    assert page.locator(grids).count() == 0
    page.get_by_text("Table of the data in this chart (262 rows)").click()
    page.locator(f"{grids} canvas").first.wait_for()
    wait_idle(page)
    assert_no_exception(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 2  # the charts are still there after the rerun


def test_garbage_url_falls_back_without_echo(page, server):
    open_page(
        page,
        server,
        "deaths?place=%3Cscript%3Ealert(1)%3C/script%3E&scale=1e309&substance=a&substance=b&zz=JUNKJUNK",
        1,
        "Overdose deaths",
    )
    assert_no_exception(page)
    assert "JUNKJUNK" not in page.content() and "alert(1)" not in page.inner_text("body")
    page.wait_for_url(f"{server}/deaths")


# --------------------------------------------------------------------------------- downloads


def test_chart_rows_download_as_the_csv_export_writes_them(page, server, build):
    open_page(page, server, "deaths", 2, "Overdose deaths")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download these rows (CSV)").first.click()  # the counts' rows
    download = info.value
    assert download.suggested_filename == "overdose-deaths-us.csv"
    got = Path(download.path()).read_bytes()
    rows = deaths_page.figure(build).rows  # exactly the rows charted
    assert got == export.to_csv_bytes(rows)
    jan_2023 = int(golden.value("figure", "deaths-us-all-drugs-2023-01"))
    assert f"2023-01-31,12,US,all_drugs,Number of Drug Overdose Deaths,{jan_2023},".encode() in got


def test_bundle_zip_equals_the_export(page, server, build):
    open_page(page, server, "downloads", 0, "Downloads")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download everything").click()
    download = info.value
    assert download.suggested_filename == "drugstats.zip"
    got = Path(download.path()).read_bytes()
    assert got == export.zip_bytes(export.bundle_files(build))
    with zipfile.ZipFile(io.BytesIO(got)) as archive:
        assert "drugstats/claims.csv" in archive.namelist()


# --------------------------------------------------------------------------------- hover text stays text


def test_a_quote_with_template_syntax_and_markup_renders_literally(browser, build, tmp_path):
    require_chromium("playwright.sync_api")
    hostile = build.claims[build.claims["id"] == CLAIM_105K].merge(build.verdicts[["id", "verdict", "explanation"]], on="id")
    hostile["quote"] = "Quote with %{x} and <b>tags</b> & {braces}"
    rows = queries.deaths_rows(build.official.overdose_deaths, "US", ["all_drugs"], ["reported"])
    citation = cite.dataset_citation(build.official.datasets[series.CDC_VSRR], rows["release"])
    fig = deaths_page.deaths_chart(rows, hostile, citation)
    html_path = tmp_path / "hostile.html"
    fig.write_html(html_path, include_plotlyjs=True, full_html=True, div_id="chart")
    page = browser.new_page()
    try:
        page.goto(html_path.as_uri())
        page.locator("#chart .main-svg").first.wait_for()
        curve = next(i for i, t in enumerate(fig.data) if t.name.startswith("Claim"))
        page.evaluate(f"() => Plotly.Fx.hover('chart', [{{curveNumber: {curve}, pointNumber: 0}}])")
        hover = page.locator("#chart .hoverlayer").text_content()
        assert "Quote with %{x} and <b>tags</b> & {braces}" in hover
        assert "WRONG MEASURE" in hover
        assert page.locator("#chart .hoverlayer b", has_text="tags").count() == 0
    finally:
        page.close()


def test_artifacts_are_not_committed():
    assert "tests/artifacts/" in (ROOT / ".gitignore").read_text(encoding="utf-8")
    if shutil.which("git") and (ROOT / ".git").exists():
        tracked = subprocess.run(["git", "ls-files", "tests/artifacts"], cwd=ROOT, capture_output=True, text=True).stdout
        assert tracked == ""


@pytest.mark.parametrize("width", [360, 390])
def test_every_claims_own_page_fits_a_phone(browser, server, build, width):
    """/claim/<id>, the page link previews and crawlers open: no sideways scrolling on a phone, for any claim."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        too_wide = []
        for claim_id in build.claims["id"]:
            page.goto(f"{server}/claim/{claim_id}")
            over = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if over > 0:
                too_wide.append((claim_id, over))
        assert len(build.claims) > 300 and not too_wide, too_wide[:5]
    finally:
        page.close()


def test_open_the_claim_opens_it_in_a_new_tab(page, server):
    open_page(page, server, "claims", 0, "Claims")
    link = page.locator("a", has_text="Open the claim").first
    with page.context.expect_page() as opened:
        link.click()
    assert "claims?claim=" in opened.value.url and page.url.endswith("/claims")
