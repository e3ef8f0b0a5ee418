"""The dashboard's charts as one set: each page's chart composed from a build, and all of them written as static files.

The pages draw these compositions, so a figure that `drugstats figures` writes is the chart the dashboard shows in
its default view, drawn by the same drugstats.charts function from the same rows. Composing is pure (a build in,
figures out); `write_figures` is the I/O: PNG and SVG rendered by kaleido in one browser start, an HTML page per
chart, and an index.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import pydantic

from drugstats import __version__, charts, checks, cite, dashboard, export, models, series, transform
from drugstats.dashboard import CheckView, Citation, DeathsView, SeizuresView
from drugstats.errors import RenderError
from drugstats.pipeline import Build

# The claims of the two articles drugstats started from, in the order they were printed.
SEED_CLAIMS = (
    "dc-2023-04-13-overdose-deaths-2021",
    "dc-2023-04-13-cbp-fentanyl-seized-oct-feb",
    "dc-2023-04-13-fentanyl-lethal-dose",
    "dcnf-2024-02-01-fentanyl-deaths-feb2022-jan2023",
    "dcnf-2024-02-01-fentanyl-potency-morphine",
    "dcnf-2024-02-01-fentanyl-deaths-per-kg",
)


@dataclass(frozen=True)
class Figure:
    """A chart as the dashboard shows it: the figure, the rows it draws, where it is shown and how to cite it."""

    name: str  # file name stem, widget key and CSV name: "overdose-deaths-us"
    title: str  # plain text, for citations and the index
    figure: go.Figure
    rows: pd.DataFrame  # exactly the rows drawn: the table under the chart
    sources: tuple[Citation, ...]  # the data it draws, as its source lines name it
    page: str  # the dashboard page and view: "deaths", "claims?claim=<id>"
    citation: cite.Citation
    claims: pd.DataFrame | None = None  # the claims drawn on it as markers, where the chart draws claims

    @property
    def url(self) -> str:
        return f"{export.SITE_URL}/{self.page}"


def plain_text(text: str | None) -> str:
    """A figure's pseudo-HTML text (a title, a source line) as plain text: tags dropped, entities read, one line."""
    return " ".join(html.unescape(re.sub(r"<br>|<[^>]+>", " ", text or "")).split())


def _page(path: str, query: Mapping[str, str]) -> str:
    return f"{path}?{urlencode(query)}" if query else path


def _figure(
    build: Build,
    name: str,
    fig: go.Figure,
    rows: pd.DataFrame,
    sources: Sequence[Citation],
    page: str,
    *,
    claims: pd.DataFrame | None = None,
    subject: str = "",
) -> Figure:
    title = plain_text(fig.layout.title.text) + (f" ({subject})" if subject else "")
    citation = cite.chart(name, title, f"{export.SITE_URL}/{page}", build.reviewed_on, [s.text for s in sources])
    return Figure(name, title, fig, rows, tuple(sources), page, citation, claims)


# ---------------------------------------------------------------------------------------------
# One function per chart of the dashboard; the view defaults to the page's default view
# ---------------------------------------------------------------------------------------------


def verdicts(build: Build) -> Figure:
    """Overview: the shipped claims per verdict."""
    shipped = build.verdicts[build.verdicts["id"].isin([c.id for c in build.dataset.claims])]
    counts = dashboard.verdict_counts(shipped)
    source = Citation(
        "drugstats",
        f"checks of {int(counts['claims'].sum())} claims against CDC VSRR, CBP and DEA figures",
        f"as of {build.reviewed_on}",
        None,
    )
    return _figure(build, "verdicts-summary", charts.verdicts_chart(counts, source), counts, [source], "")


def deaths(build: Build, view: DeathsView | None = None) -> Figure:
    """Overdose deaths: CDC's 12-month-ending counts for the view's place and drugs, with the claims on them."""
    data = build.official.overdose_deaths
    view = view or dashboard.parse_deaths({}, data)
    rows = dashboard.deaths_rows(data, view.place, view.substance, view.counts)
    claims = dashboard.death_claim_markers(
        build.claims, build.verdicts, view.place, view.substance, rows["period_end"].min(), rows["period_end"].max()
    )
    source = dashboard.dataset_citation(build.official.datasets[series.CDC_VSRR], rows["release"])
    fig = charts.deaths_chart(rows, claims, source, place=view.place, scale=view.scale)
    return _figure(
        build, f"overdose-deaths-{view.place.lower()}", fig, rows, [source], _page("deaths", view.query()), claims=claims
    )


def seizure_scope(view: SeizuresView) -> str:
    """What the seizure charts cover, for their titles: "nationwide", or the components and regions picked."""
    if view.nationwide:
        return "nationwide"
    parts = [" and ".join(view.component)]
    if set(view.region) != set(dashboard.REGION_SLUGS):
        parts.append(" and ".join(view.regions))
    return ", ".join(parts)


def _seizure_parts(build: Build, view: SeizuresView | None) -> tuple[SeizuresView, Citation, pd.DataFrame]:
    view = view or dashboard.parse_seizures({})
    source = dashboard.dataset_citation(build.official.datasets[series.CBP_SEIZURES])
    markers = dashboard.seizure_claim_markers(build.claims, build.verdicts, view.unit)
    if not view.nationwide:  # claims are nationwide totals: never drawn over a part of CBP
        markers = markers.iloc[0:0]
    return view, source, markers


def seizures_by_fiscal_year(build: Build, view: SeizuresView | None = None) -> Figure:
    """Seizures: totals per fiscal year, the year to date marked, whole-year claims drawn."""
    view, source, markers = _seizure_parts(build, view)
    rows = dashboard.seizures_fy_rows(build.official.seizures, view)
    claims = markers[(markers["chart"] == "fiscal_year") & markers["substance"].isin(view.drug)]
    fig = charts.seizures_fy_chart(rows, claims, source, unit=view.unit, scope=seizure_scope(view))
    page = _page("seizures", view.query())
    return _figure(build, f"seizures-by-fiscal-year-{view.unit}", fig, rows, [source], page, claims=claims)


def seizures_by_month(build: Build, view: SeizuresView | None = None) -> Figure:
    """Seizures: totals per month, the months of the year to date shaded."""
    view, source, _ = _seizure_parts(build, view)
    rows = dashboard.seizures_month_rows(build.official.seizures, view)
    fig = charts.seizures_month_chart(rows, source, unit=view.unit, scope=seizure_scope(view))
    return _figure(build, f"seizures-by-month-{view.unit}", fig, rows, [source], _page("seizures", view.query()))


def seizures_year_to_date(build: Build, view: SeizuresView | None = None) -> Figure:
    """Seizures: running totals from October, each fiscal year against the same months of the others."""
    view, source, markers = _seizure_parts(build, view)
    rows = dashboard.seizures_ytd_rows(build.official.seizures, view)
    claims = markers[(markers["chart"] != "") & (markers["substance"] == view.ytd)]
    fig = charts.seizures_ytd_chart(rows, claims, source, unit=view.unit, scope=seizure_scope(view))
    page = _page("seizures", view.query())
    return _figure(build, f"seizures-year-to-date-{view.unit}", fig, rows, [source], page, claims=claims)


def potency(build: Build) -> Figure:
    """Potency and lethal dose: potency relative to morphine, each ratio cited."""
    reference = build.official.reference_values
    rows = dashboard.potency_rows(reference)
    documents = reference[reference["metric"] == "potency_ratio"].drop_duplicates("source_url")
    sources = [dashboard.reference_citation(row) for _, row in documents.iterrows()]
    return _figure(build, "relative-potency", charts.potency_chart(rows, sources), rows, sources, "potency")


def claim(build: Build, claim_id: str) -> Figure | None:
    """Claims: one claim over the official series it was checked against; None when there is nothing to draw."""
    row = build.claims.loc[build.claims["id"] == claim_id].iloc[0]
    verdict = build.verdict_by_id[claim_id]
    plot = dashboard.claim_plot(row, verdict, build.official)
    if plot is None:
        return None
    fig = charts.claim_chart(plot, row, verdict)
    page = _page("claims", {"claim": claim_id})
    return _figure(build, f"claim-{claim_id}", fig, plot.rows, [plot.citation], page, subject=f"claim {claim_id}")


def checked(build: Build, row: pd.Series, verdict: checks.Verdict, view: CheckView) -> Figure | None:
    """Check a figure: a reader's number over the official series it was checked against."""
    plot = dashboard.claim_plot(row, verdict, build.official)
    if plot is None:
        return None
    fig = charts.claim_chart(plot, row, verdict, note="Claim: the figure entered on this page.")
    return _figure(
        build, "checked-figure", fig, plot.rows, [plot.citation], _page("check", view.query()), subject="a reader's figure"
    )


@dataclass(frozen=True)
class ReaderCheck:
    """A reader's figure checked like any claim: why it cannot be checked, or its verdict and chart (no problems and
    no verdict: valid, but no rule of drugstats.checks takes the combination)."""

    problems: tuple[str, ...] = ()  # what to fix in the entry, each "Field: message"
    verdict: checks.Verdict | None = None
    figure: Figure | None = None


_ENTRY_FIELDS = {"value": "Number", "period_end": "Period", "period_start": "Period", "unit": "Unit"}


def reader_check(build: Build, view: CheckView) -> ReaderCheck:
    """Check a figure: the entry of the view validated as a claim, checked against the build's record, and drawn."""
    try:
        claim = models.Claim(**dashboard.reader_claim_fields(view))
    except pydantic.ValidationError as err:
        return ReaderCheck(
            problems=tuple(f"{_ENTRY_FIELDS.get(str(e['loc'][0]), str(e['loc'][0]))}: {e['msg']}" for e in err.errors())
        )
    problems = tuple(f"{field.replace('_', ' ')}: {message}" for field, message in models.claim_rules(claim))
    if problems:
        return ReaderCheck(problems=problems)
    row = transform.claims_frame([claim], {}).iloc[0]
    try:
        verdict = checks.check_claim(row, build.record)
    except (ValueError, LookupError, TypeError, ArithmeticError):
        return ReaderCheck()  # valid, but no rule of drugstats.checks takes this combination
    return ReaderCheck(verdict=verdict, figure=checked(build, row, verdict, view))


def default_figures(build: Build) -> dict[str, Figure]:
    """Every chart of the dashboard in its default view, by name, in the order of the pages: the static figures' set.

    The Check a figure page is left out: its default chart is the 105,000 claim's, drawn as a reader's entry.
    """
    out = [
        verdicts(build),
        deaths(build),
        seizures_by_fiscal_year(build),
        seizures_by_month(build),
        seizures_year_to_date(build),
        potency(build),
    ]
    for claim_id in SEED_CLAIMS:
        figure = claim(build, claim_id)
        if figure is None:
            raise LookupError(f"seed claim {claim_id} has no chart: the dashboard shows none, so no figure can be written")
        out.append(figure)
    return {f.name: f for f in out}


# ---------------------------------------------------------------------------------------------
# Static files
# ---------------------------------------------------------------------------------------------

WIDTH = 1000  # px: a page width; the figure's own height (title, plot, source lines) is kept
PNG_SCALE = 2  # sharp on high-density screens and in print
# Liberation Sans ships with Debian's chromium (fonts-liberation) and has Arial's metrics, so text is measured, and
# the SVG laid out, the same on any machine with either font. The dashboard's first choice, Source Sans Pro, is
# served by Streamlit as a web font and is not installed where figures are rendered.
STATIC_FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
PLOTLY_JS = "plotly.min.js"
HTML_CONFIG = {"displaylogo": False, "responsive": True, "scrollZoom": False}


def static_figure(figure: Figure) -> go.Figure:
    """A copy for rendering: fixed width and font, and trace ids fixed (plotly.js makes random ones, found in SVG)."""
    fig = go.Figure(figure.figure)
    for i, trace in enumerate(fig.data):
        trace.uid = f"t{i}"
    fig.update_layout(width=WIDTH, font_family=STATIC_FONT)
    return fig


def size(figure: Figure) -> tuple[int, int]:
    """The figure's size in layout pixels (the PNG is PNG_SCALE times that)."""
    return WIDTH, int(figure.figure.layout.height)


_SVG_UID = re.compile(rb'id="defs-([0-9a-z]+)"')


def normalise_svg(svg: bytes, name: str) -> bytes:
    """SVG with plotly.js's random per-plot id (in clip paths and defs ids) replaced by the figure's name."""
    found = _SVG_UID.search(svg)
    if found is None:
        return svg
    uid = found.group(1)
    stable = re.sub(r"[^a-z0-9]+", "", name.lower()).encode()
    return re.sub(rb"(clip|defs-|legend)" + re.escape(uid), rb"\g<1>" + stable, svg)


def html_page(figure: Figure) -> str:
    """A page for one chart: the interactive figure, loading plotly.js from beside it, and its citation."""
    import plotly.io as pio

    # plotly serialises with orjson when it happens to be installed (raw UTF-8) and with json otherwise
    # (\u escapes): pin the engine so the committed pages are the same bytes on every machine.
    engine, pio.json.config.default_engine = pio.json.config.default_engine, "json"
    try:
        div = pio.to_html(
            figure.figure,
            config=HTML_CONFIG,
            include_plotlyjs="directory",
            full_html=False,
            div_id=figure.name,  # plotly makes a random id otherwise
            default_height=f"{size(figure)[1]}px",
        )
    finally:
        pio.json.config.default_engine = engine
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(figure.title)}</title>\n"
        "</head>\n"
        '<body style="margin: 0 auto; max-width: 1000px; font-family: sans-serif">\n'
        f"{div}\n"
        f'<p style="font-size: 13px; color: #444; margin: 8px">Cite this chart: {html.escape(figure.citation.plain)}</p>\n'
        "</body>\n</html>\n"
    )


def files_of(figure: Figure) -> list[str]:
    """The files written for a figure: PNG, SVG, HTML."""
    return [f"{figure.name}.{ext}" for ext in ("png", "svg", "html")]


def index(figures: Mapping[str, Figure], build: Build) -> str:
    """figures/README.md: each figure with its title, files and citation."""
    lines = [
        "# Figures",
        "",
        "Every chart of the drugstats dashboard in its default view, as PNG, SVG and interactive HTML, with its title, "
        "unit and source line inside the image. Made by `python -m drugstats figures --out figures` from the data in "
        f"`data/` (claims checked as of {build.reviewed_on}; drugstats {__version__}). Do not edit: regenerate.",
        "",
        f"PNG: {WIDTH} px wide at {PNG_SCALE}x (so {WIDTH * PNG_SCALE} px). SVG: {WIDTH} px wide. Each HTML page loads "
        f"`{PLOTLY_JS}` from this folder, so the folder works offline as long as the files stay together. Citations "
        f"point at the dashboard at {export.SITE_URL} (`DRUGSTATS_SITE_URL` when the figures were made).",
        "",
    ]
    for number, figure in enumerate(figures.values(), start=1):
        width, height = size(figure)
        png, svg, page = files_of(figure)
        lines += [
            f"## {number}. {figure.title}",
            "",
            f"- Files: [{png}]({png}), [{svg}]({svg}), [{page}]({page}) ({width} x {height} px)",
            f"- Dashboard page: `/{figure.page}`",
            f"- Data: {'; '.join(s.text for s in figure.sources)}",
            "",
            f"Cite: {figure.citation.plain}",
            "",
        ]
    return "\n".join(lines)


def text_files(build: Build, figures: Mapping[str, Figure] | None = None) -> dict[str, bytes]:
    """The files that need no browser: an HTML page per chart, plotly.min.js once, and the index."""
    from plotly.offline import get_plotlyjs

    figures = figures if figures is not None else default_figures(build)
    files = {f"{f.name}.html": html_page(f).encode("utf-8") for f in figures.values()}
    files[PLOTLY_JS] = get_plotlyjs().encode("utf-8")
    files["README.md"] = index(figures, build).encode("utf-8")
    return files


def render_images(figures: Mapping[str, Figure], out: Path) -> None:
    """PNG and SVG of every figure, in one browser start (kaleido); SVGs normalised so they are byte-stable."""
    import plotly.io as pio

    jobs = []
    for figure in figures.values():
        fig = static_figure(figure)
        width, height = size(figure)
        jobs.append((fig, out / f"{figure.name}.png", width, height, PNG_SCALE))
        jobs.append((fig, out / f"{figure.name}.svg", width, height, 1))
    try:
        pio.write_images(
            [j[0] for j in jobs],
            [j[1] for j in jobs],
            width=[j[2] for j in jobs],
            height=[j[3] for j in jobs],
            scale=[j[4] for j in jobs],
        )
    except Exception as err:  # kaleido's own types (no browser, a crashed render) say what went wrong
        raise RenderError(f"rendering the figures failed: {err}") from err
    for figure in figures.values():
        path = out / f"{figure.name}.svg"
        path.write_bytes(normalise_svg(path.read_bytes(), figure.name))


MANIFEST = ".drugstats-figures"  # in the output folder: the files the last `drugstats figures` wrote there


def write_figures(build: Build, out: Path) -> list[Path]:
    """Write every default figure into out: PNG, SVG and HTML per chart, plotly.min.js and README.md; the paths written.

    Files the previous run wrote (its manifest) that this run does not, a figure renamed or dropped, are removed;
    nothing else in the folder is touched.
    """
    figures = default_figures(build)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / name for f in figures.values() for name in files_of(f)] + [out / PLOTLY_JS, out / "README.md"]
    render_images(figures, out)
    for name, content in text_files(build, figures).items():
        (out / name).write_bytes(content)
    names = {p.name for p in written}
    for stale in sorted(_manifest(out) - names):
        (out / stale).unlink(missing_ok=True)
    (out / MANIFEST).write_text("".join(f"{name}\n" for name in sorted(names)), encoding="utf-8")
    return written


def _manifest(out: Path) -> set[str]:
    try:
        lines = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return set()
    # Plain names only: a manifest edited to name a path elsewhere removes nothing outside the folder.
    return {line for line in lines if line and "/" not in line and "\\" not in line and line not in (".", "..")}
