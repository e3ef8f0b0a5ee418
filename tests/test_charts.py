"""drugstats.publish.charts on the real build: titles, units, source lines, claim markers, and data kept out of templates."""

from __future__ import annotations

import html
import itertools
import json
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from drugstats import DATA_DIR, display
from drugstats.official import queries, series
from drugstats.pages import deaths as deaths_page
from drugstats.pages import overview, seizure_charts
from drugstats.pages import potency as potency_page
from drugstats.pages import seizures as seizures_page
from drugstats.publish import charts, cite, claimplot
from drugstats.site import figures
from drugstats.verdicts import pipeline
from tests import golden

from .conftest import require_chromium

CLAIM_105K = "dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023"


@pytest.fixture(scope="module")
def build() -> pipeline.Build:
    return pipeline.build(DATA_DIR)


def _deaths_figure(build, claims: pd.DataFrame | None = None, **view) -> go.Figure:
    v = deaths_page.parse_deaths({k: [x] for k, x in view.items()}, build.official.overdose_deaths)
    rows = queries.deaths_rows(build.official.overdose_deaths, v.place, v.substance, v.counts)
    if claims is None:
        claims = deaths_page.death_claim_markers(
            build.claims, build.verdicts, v.place, v.substance, rows["period_end"].min(), rows["period_end"].max()
        )
    citation = cite.dataset_citation(build.official.datasets[series.CDC_VSRR], rows["release"])
    return deaths_page.deaths_chart(rows, claims, citation, place=v.place, scale=v.scale)


def _seizure_figures(build, unit: str = "lb") -> dict[str, go.Figure]:
    view = seizures_page.parse_seizures({"unit": [unit]})
    s = build.official.seizures
    citation = cite.dataset_citation(build.official.datasets[series.CBP_SEIZURES])
    markers = seizures_page.seizure_claim_markers(build.claims, build.verdicts, unit)
    whole_years = markers[markers["chart"] == "fiscal_year"]
    return {
        "fy": seizure_charts.seizures_fy_chart(
            seizures_page.seizures_fy_rows(s, view), whole_years, citation, unit=unit, scope="nationwide"
        ),
        "month": seizure_charts.seizures_month_chart(
            seizures_page.seizures_month_rows(s, view), citation, unit=unit, scope="nationwide"
        ),
        "ytd": seizure_charts.seizures_ytd_chart(
            seizures_page.seizures_ytd_rows(s, view), markers[markers["chart"] != ""], citation, unit=unit, scope="nationwide"
        ),
    }


def _all_figures(build) -> dict[str, go.Figure]:
    figs = {"deaths": _deaths_figure(build), **_seizure_figures(build)}
    ref = build.official.reference_values
    figs["potency"] = potency_page.potency_chart(
        potency_page.potency_rows(ref), [cite.reference_citation(ref[ref["metric"] == "potency_ratio"].iloc[0])]
    )
    figs["verdicts"] = overview.verdicts_chart(
        overview.verdict_counts(build.verdicts), cite.Citation("drugstats", "checks", "as of today", None)
    )
    for claim_id in (
        CLAIM_105K,
        "dc-2023-04-13-cbp-fentanyl-seized-oct-feb",
        "wh-2023-04-11-cbp-fentanyl-seizure-change-fy2022",
        "dea-2024-05-09-fentanyl-death-share-2022",
        "dcnf-2024-02-01-fentanyl-deaths-per-kg",
    ):
        claim = build.claims[build.claims["id"] == claim_id].iloc[0]
        verdict = build.verdict_by_id[claim_id]
        plot = claimplot.claim_plot(claim, verdict, build.official)
        figs[f"claim:{claim_id}"] = claimplot.claim_chart(plot, claim, verdict)
    return figs


@pytest.fixture(scope="module")
def all_figures(build) -> dict[str, go.Figure]:
    """Every figure, built once: a test draws each again (charts.fit) on a copy, never on these."""
    return _all_figures(build)


def _footer(fig: go.Figure) -> str:
    return " ".join(a.text for a in fig.layout.annotations if a.yref == "paper" and a.yanchor == "top")


def _plain(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).replace("&#37;", "%").split())


# --------------------------------------------------------------------------------- every figure


def test_every_figure_has_title_subtitle_with_unit_and_a_linked_source_line(build):
    figs = _all_figures(build)
    assert len(figs) == 11
    for name, fig in figs.items():
        assert fig.layout.title.text, name
        subtitle = fig.layout.title.subtitle.text
        assert "unit" in subtitle, (name, subtitle)
        footer = _footer(fig)
        assert footer.startswith("Source: "), (name, footer)
        producers = ("CDC", "Customs and Border Protection", "DEA", "Drug Enforcement", "drugstats")
        producer_named = any(p in _plain(footer) for p in producers)
        assert producer_named, (name, footer)
        for href in re.findall(r'href="([^"]+)"', footer):
            assert href.startswith(("https://", "http://")), (name, href)


def _text_lines(fig: go.Figure) -> dict[str, tuple[list[str], int, bool]]:
    """The figure's title, subtitle and source lines as plain lines, each with its font size and weight."""
    return {
        "title": ([html.unescape(_plain(t)) for t in fig.layout.title.text.split("<br>")], charts.TITLE_SIZE, True),
        "subtitle": (
            [html.unescape(_plain(t)) for t in fig.layout.title.subtitle.text.split("<br>")],
            charts.SUBTITLE_SIZE,
            False,
        ),
        "source": ([html.unescape(_plain(t)) for t in _footer(fig).split("<br>")], charts.SOURCE_SIZE, False),
    }


@pytest.mark.parametrize("width", [charts.DASHBOARD_WIDTH, figures.WIDTH, 390])
def test_title_subtitle_and_source_lines_fit_the_width_the_figure_is_drawn_at(all_figures, width):
    room = width - 2 * charts.TEXT_INSET - charts.TEXT_SLACK
    for name, fig in all_figures.items():
        fig = charts.fit(go.Figure(fig), width)
        for part, (lines, size, bold) in _text_lines(fig).items():
            for line in lines:
                assert 0 < charts.text_width(line, size, bold) <= room, (name, width, part, line)


def test_title_and_subtitle_lines_use_the_width_they_have(all_figures):
    # Greedy wrapping: a line ends only where the next line's first word would not have fitted on it.
    room = 390 - 2 * charts.TEXT_INSET - charts.TEXT_SLACK
    wrapped = 0
    for name, fig in all_figures.items():
        fig = charts.fit(go.Figure(fig), 390)  # narrow, so that titles wrap
        for part, (lines, size, bold) in _text_lines(fig).items():
            if part == "source":  # source lines also end where a citation, its address or a note ends
                continue
            for line, after in zip(lines, lines[1:], strict=False):
                assert charts.text_width(f"{line} {after.split()[0]}", size, bold) > room, (name, part, line)
                wrapped += 1
    assert wrapped > 5


def test_a_wide_figure_keeps_a_short_title_and_the_source_on_one_line_each(build):
    fig = charts.fit(go.Figure(_deaths_figure(build)), figures.WIDTH)
    lines = _text_lines(fig)
    assert lines["title"][0] == ["Drug overdose deaths, United States"]
    assert len(lines["subtitle"][0]) == 1
    assert lines["source"][0][1] == "https://data.cdc.gov/NCHS/VSRR-Provisional-Drug-Overdose-Death-Counts/xkb8-kh2a"


def test_every_source_address_is_shown_whole_and_each_of_its_lines_links_to_it(all_figures):
    for width in (charts.DASHBOARD_WIDTH, figures.WIDTH, 390):
        for name, fig in all_figures.items():
            fig = charts.fit(go.Figure(fig), width)
            footer = _footer(fig)
            urls = [url for _, url in fig.layout.meta[charts.TEXT]["sources"] if url]
            assert urls or name == "verdicts", name
            for url in urls:
                shown = re.findall(rf'<a href="{re.escape(html.escape(url))}">([^<]*)</a>', footer)
                assert html.unescape("".join(shown)) == url, (name, width, shown)
            assert "\u2026" not in footer, name


def test_a_long_address_is_broken_after_its_slashes_never_cut():
    url = "https://example.org/" + "/".join(f"segment-{i}" for i in range(30)) + "?q=1&r=2"
    fig = charts.finish(
        go.Figure(go.Scatter(x=[1, 2], y=[1, 2])),
        title="t",
        subtitle="unit: none",
        citations=[cite.Citation("Producer", "A dataset", "2024", url)],
        width=390,
    )
    shown = [html.unescape(part) for part in re.findall(r'<a href="[^"]+">([^<]*)</a>', _footer(fig))]
    assert len(shown) > 2 and "".join(shown) == url
    assert all(part.endswith("/") for part in shown[:-1]), shown
    assert all(charts.text_width(part, charts.SOURCE_SIZE) <= 390 - 2 * charts.TEXT_INSET - charts.TEXT_SLACK for part in shown)


def test_text_width_follows_arial_metrics():
    assert charts.text_width("ill", 10) == pytest.approx(6.66)  # narrow letters
    assert charts.text_width("MW", 10) == pytest.approx(17.77)
    assert charts.text_width("MW", 10, bold=True) == pytest.approx(17.77)
    assert charts.text_width("r", 10, bold=True) > charts.text_width("r", 10)
    assert charts.text_width("é", 10) == charts.text_width("e", 10)  # an accented letter measures as its letter
    assert charts.text_width("\u6f22", 10) == 10  # anything unknown: an em


def test_wrap_px_breaks_at_spaces_and_a_word_too_long_anywhere():
    assert charts.wrap_px("aaa bbb ccc", charts.text_width("aaa bbb", 10), 10) == ["aaa bbb", "ccc"]
    assert charts.wrap_px("x" * 10, charts.text_width("xxxx", 10), 10) == ["xxxx", "xxxx", "xx"]
    assert charts.wrap_px("", 100, 10) == []


def test_fit_wraps_again_for_another_width_and_the_height_follows(build):
    fig = _deaths_figure(build)  # as the dashboard draws it
    narrow = charts.fit(go.Figure(fig), 390)
    wide = charts.fit(go.Figure(fig), figures.WIDTH)
    assert narrow.layout.title.subtitle.text.count("<br>") > wide.layout.title.subtitle.text.count("<br>")
    assert narrow.layout.height > wide.layout.height and narrow.layout.margin.t > wide.layout.margin.t
    again = charts.fit(go.Figure(narrow), charts.DASHBOARD_WIDTH)
    assert json.loads(again.to_json()) == json.loads(fig.to_json())  # nothing lost on the way


def test_every_trace_colour_comes_from_the_palette(build):
    palette = (
        set(display.OKABE_ITO.values())
        | {s.color for s in display.SUBSTANCES.values() if s.color}
        | set(display.DRUG_COLORS.values())
        | {v.color for v in display.VERDICTS.values()}
        | {display.GREY, display.LIGHT_GREY, "#BBBBBB"}
    )
    seen = set()
    for name, fig in _all_figures(build).items():
        for trace in fig.data:
            for color in (getattr(trace.line, "color", None) if hasattr(trace, "line") else None, trace.marker.color):
                values = color if isinstance(color, list | tuple) else [color]
                for value in values:
                    if isinstance(value, str):
                        tints = {charts.tint(c, a) for c in palette if c.startswith("#") for a in (0.35,)}
                        assert value in palette | tints, (name, trace.name, value)
                        seen.add(value)
    assert len(seen) >= 5


def test_hover_templates_reference_data_only_through_customdata_or_axes(build):
    for name, fig in _all_figures(build).items():
        for trace in fig.data:
            template = trace.hovertemplate or ""
            for field in re.findall(r"%\{([^}]+)\}", template):
                assert re.fullmatch(r"(customdata\[\d+\]|x|y)(\|[^}]*|:[^}]*)?", field), (name, field)


# --------------------------------------------------------------------------------- deaths


def test_deaths_chart_has_the_us_all_drugs_value_for_january_2023(build):
    fig = _deaths_figure(build)
    reported = next(t for t in fig.data if t.name == "All drugs, reported")
    x = [pd.Timestamp(v) for v in reported.x]
    assert reported.y[x.index(pd.Timestamp("2023-01-31"))] == golden.value("figure", "deaths-us-all-drugs-2023-01")
    assert fig.layout.yaxis.title.text == "Deaths in 12 months"
    assert fig.layout.yaxis.tickformat == ","
    # All drugs come from the February release, fentanyl from the June one: the source line names both.
    assert "releases of 2026-02-14 and about June 2026 (estimated)" in _plain(_footer(fig))
    assert "%{y:,.0f} deaths" in reported.hovertemplate


def test_deaths_chart_marks_the_105000_claim_with_its_verdict(build):
    fig = _deaths_figure(build)
    marker = next(t for t in fig.data if t.name == "Claim: wrong measure")
    assert marker.marker.symbol == display.VERDICTS["wrong_measure"].symbol
    assert list(marker.y) == [105000]
    assert pd.Timestamp(marker.x[0]) == pd.Timestamp("2023-01-31")
    quote, claimant, when, verdict, stated, attributed = marker.customdata[0]
    assert quote.startswith("Fentanyl killed over 105,000 people")
    assert (claimant, when, verdict, attributed) == ("Daily Caller News Foundation", "2024-02-01", "WRONG MEASURE", "CDC")
    assert stated == "more than 105,000 people"


def test_deaths_chart_log_scale_and_state(build):
    fig = _deaths_figure(build, place="TX", substance="fentanyl", scale="log")
    assert fig.layout.yaxis.type == "log"
    assert "Texas" in fig.layout.title.text
    assert {t.name for t in fig.data if not t.name.startswith("Claim")} == {
        "Fentanyl (synthetic opioids, T40.4), reported",
        "Fentanyl (synthetic opioids, T40.4), predicted",
    }


def test_log_tickvals_step_by_1_2_5_or_sparser_as_room_allows():
    assert charts.log_tickvals(200, 2_000, 300, 30) == [100, 200, 300, 500, 700, 1e3, 2e3, 3e3, 5e3, 7e3, 1e4]
    assert charts.log_tickvals(60_000, 110_000, 150, 30) == [1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6]
    assert charts.log_tickvals(60_000, 110_000, 80, 30) == [1e4, 3e4, 1e5, 3e5, 1e6]
    assert charts.log_tickvals(60_000, 110_000, 40, 30) == [1e4, 1e5, 1e6]
    assert charts.log_tickvals(5, 2e6, 20, 30) == [1, 100, 1e4, 1e6, 1e8]


@pytest.mark.parametrize(("place", "substance"), [("US", "all_drugs"), ("US", "fentanyl"), ("TX", "fentanyl")])
def test_log_scale_ticks_stand_at_least_a_ratio_apart_and_span_the_data(build, place, substance):
    fig = _deaths_figure(build, place=place, substance=substance, scale="log")
    ticks = list(fig.layout.yaxis.tickvals)
    assert fig.layout.yaxis.tickmode == "array" and len(ticks) >= 3
    assert all(b / a >= 1.4 for a, b in zip(ticks, ticks[1:], strict=False)), ticks  # never 6, 7, 8, 9 in a row
    drawn = [y for t in fig.data for y in t.y if y and y > 0]
    assert ticks[0] <= min(drawn) and max(drawn) <= ticks[-1]


def test_a_log_axis_whose_chart_set_its_ticks_keeps_them(build):
    fig = potency_page.potency_chart(potency_page.potency_rows(build.official.reference_values), [])
    assert fig.layout.xaxis.dtick == 1 and fig.layout.xaxis.tickvals is None


@pytest.mark.browser
def test_log_scale_tick_labels_do_not_collide_when_drawn(build, tmp_path):
    require_chromium("kaleido")
    import plotly.io as pio

    views = [{"scale": "log"}, {"place": "TX", "substance": "fentanyl", "scale": "log"}]
    drawn = [
        (charts.fit(go.Figure(_deaths_figure(build, **view)), width), width, tmp_path / f"{i}.svg")
        for i, (view, width) in enumerate(itertools.product(views, (charts.DASHBOARD_WIDTH, figures.WIDTH)))
    ]
    pio.write_images(  # one browser start for all four
        [fig for fig, _, _ in drawn],
        [path for _, _, path in drawn],
        width=[width for _, width, _ in drawn],
        height=[int(fig.layout.height) for fig, _, _ in drawn],
    )
    for _, _, path in drawn:
        svg = path.read_text()
        labels = re.findall(r'<g class="ytick"><text[^>]*transform="translate\(0,([\d.]+)\)"[^>]*>([^<]+)</text>', svg)
        ys = sorted(float(y) for y, _ in labels)
        assert len(ys) >= 4, (path.name, labels)
        assert min(b - a for a, b in zip(ys, ys[1:], strict=False)) >= 2 * 13, labels  # two label heights apart


def test_claim_text_reaches_figures_escaped_and_never_as_template(build):
    hostile = build.claims[build.claims["id"] == CLAIM_105K].copy()
    hostile["quote"] = 'He said %{x} and <b>shouted</b> <a href="javascript:alert(1)">here</a> {y}'
    hostile["claimant"] = "%{y:,.0f}"
    hostile = hostile.merge(build.verdicts[["id", "verdict", "explanation"]], on="id")
    fig = _deaths_figure(build, claims=hostile)
    marker = next(t for t in fig.data if t.name == "Claim: wrong measure")
    quote, claimant = marker.customdata[0][0], marker.customdata[0][1]
    assert "%{" not in quote and "<b>" not in quote and "<a " not in quote
    assert quote.replace("<br>", " ") == (
        'He said &#37;&#123;x&#125; and &lt;b&gt;shouted&lt;/b&gt; &lt;a href="javascript:alert(1)"&gt;here&lt;/a&gt;'
        " &#123;y&#125;"
    )
    assert claimant == "&#37;&#123;y:,.0f&#125;"
    assert "javascript" not in marker.hovertemplate and "shouted" not in json.dumps([t.hovertemplate for t in fig.data])


# --------------------------------------------------------------------------------- seizures


def test_fiscal_year_chart_marks_the_partial_year_and_the_whole_year_claims(build):
    fig = _seizure_figures(build)["fy"]
    whole, partial = (t for t in fig.data if isinstance(t, go.Bar))
    assert (whole.name, partial.name) == ("Fentanyl", "Fentanyl, year to date")
    assert list(partial.x) == ["FY26<br>to date"] and list(partial.text) == ["3 mo."]
    assert partial.marker.color == charts.tint(whole.marker.color, 0.35)
    assert "FY26<br>to date" not in list(whole.x)
    assert whole.offsetgroup == partial.offsetgroup  # same slot, so the partial bar lines up with the years before
    labels = list(whole.x)
    assert whole.y[labels.index("FY22")] == pytest.approx(golden.value("figure", "seized-fentanyl-fy2022"))
    claims = [t for t in fig.data if t.name and t.name.startswith("Claim")]
    markers = seizures_page.seizure_claim_markers(build.claims, build.verdicts, "lb")
    whole_years = markers[(markers["chart"] == "fiscal_year") & (markers["substance"] == "fentanyl")]
    assert sorted(y for t in claims for y in t.y) == sorted(whole_years["claimed_lb"]) and len(whole_years) >= 2
    assert "to date" in _plain(_footer(fig))
    assert fig.layout.yaxis.title.text == "Pounds seized"


def test_seizure_charts_switch_units_from_field_metadata(build):
    figs = _seizure_figures(build, unit="kg")
    assert figs["fy"].layout.yaxis.title.text == "Kilograms seized"
    assert "unit: kg" in figs["month"].layout.title.subtitle.text
    claims = [y for t in figs["fy"].data if t.name.startswith("Claim") for y in t.y]
    in_lb = [y for t in _seizure_figures(build)["fy"].data if t.name.startswith("Claim") for y in t.y]
    assert sorted(claims) == pytest.approx(sorted(y * 0.45359237 for y in in_lb)) and claims


def test_year_to_date_chart_draws_the_october_to_february_claim_at_february(build):
    fig = _seizure_figures(build)["ytd"]
    names = [t.name for t in fig.data]
    assert "FY2026 to date" in names and "FY2019" in names
    claim_points = sorted((x, y) for t in fig.data if t.name.startswith("Claim") for x, y in zip(t.x, t.y, strict=True))
    assert (5, 11000) in claim_points and (12, 14700) in claim_points
    assert list(fig.layout.xaxis.ticktext) == ["Oct", "Dec", "Feb", "Apr", "Jun", "Aug"]
    ends = {a.text for a in fig.layout.annotations if a.text.startswith("FY")}
    assert ends == {f"FY{y}" for y in range(19, 27)}  # every line named at its end


# --------------------------------------------------------------------------------- potency, verdicts, claims


def test_potency_chart_is_log_scale_with_every_ratio(build):
    fig = potency_page.potency_chart(potency_page.potency_rows(build.official.reference_values), [])
    assert fig.layout.xaxis.type == "log"
    assert dict(zip(fig.data[0].y, fig.data[0].x, strict=True)) == {"Morphine": 1, "Heroin": 2, "Fentanyl": 100}


def test_verdicts_chart_counts_every_claim(build):
    counts = overview.verdict_counts(build.verdicts)
    fig = overview.verdicts_chart(counts, cite.Citation("drugstats", "checks", "now", None))
    assert sum(fig.data[0].x) == len(build.claims)
    assert list(fig.data[0].y) == [display.verdict_label(v) for v in counts["verdict"]]


def test_claim_chart_shades_the_window_and_draws_the_claim(build):
    claim = build.claims[build.claims["id"] == CLAIM_105K].iloc[0]
    verdict = build.verdict_by_id[CLAIM_105K]
    fig = claimplot.claim_chart(claimplot.claim_plot(claim, verdict, build.official), claim, verdict)
    (shade,) = [s for s in fig.layout.shapes if s.fillcolor == display.OKABE_ITO["yellow"]]
    assert pd.Timestamp(shade.x0) == pd.Timestamp("2022-02-01") and pd.Timestamp(shade.x1) == pd.Timestamp("2023-01-31")
    assert [t.name for t in fig.data] == [
        "Fentanyl (synthetic opioids, T40.4), reported",
        "All drugs, reported",
        "Claim: wrong measure",
    ]
    assert "Daily Caller News Foundation" in _plain(_footer(fig))


def test_seizure_change_claim_is_drawn_where_the_claimed_change_puts_it(build):
    claim_id = "wh-2023-04-11-cbp-fentanyl-seizure-change-fy2022"
    claim = build.claims[build.claims["id"] == claim_id].iloc[0]
    verdict = build.verdict_by_id[claim_id]
    plot = claimplot.claim_plot(claim, verdict, build.official)
    fig = claimplot.claim_chart(plot, claim, verdict)
    marker = next(t for t in fig.data if t.name.startswith("Claim"))
    assert marker.y[0] == pytest.approx(plot.rows["seized_lb"].iloc[0] * 1.31)
