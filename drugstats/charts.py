"""What every chart shares: the look (fonts, layout, source lines under the plot), safe text, claims as markers,
and the Figure a page shows (the chart, the rows it draws, where it is shown and how to cite it).

Each page's own charts are built in its module under drugstats.pages; none of them is imported here.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from drugstats import checks, cite, display, export, fields
from drugstats.cite import Citation
from drugstats.pipeline import Build
from drugstats.safetext import safe_url

FONT = "Source Sans Pro, Helvetica Neue, Arial, sans-serif"


# Wrapping widths, in characters, chosen so every line fits a 390 px phone screen.
TITLE_CHARS, SUBTITLE_CHARS, SOURCE_CHARS = 38, 58, 60


HEIGHT = 520


def tint(color: str, alpha: float) -> str:
    """A palette colour made pale (as rgba), for what is provisional or partial; the legend shows it too."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha:g})"


# Text: escaped for plotly's pseudo-HTML, wrapped for narrow screens

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def esc(text: object) -> str:
    """Data text for a figure: tags and entities shown literally, and no %{...} plotly could ever read as a template."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    plain = _CONTROL.sub(" ", str(text))
    return html.escape(plain, quote=False).replace("%", "&#37;").replace("{", "&#123;").replace("}", "&#125;")


def wrap(text: str, width: int) -> str:
    """Plain text wrapped at width characters, escaped, lines joined with <br>."""
    return "<br>".join(esc(line) for line in textwrap.wrap(text, width=width, break_long_words=True)) or ""


def lines(wrapped: str) -> int:
    return wrapped.count("<br>") + 1 if wrapped else 0


def unit_of(table: str, column: str) -> str:
    """A column's unit as drugstats.fields declares it."""
    unit = fields.field(table, column).unit
    if unit is None:
        raise ValueError(f"{table}.{column} declares no unit")
    return unit


def source_text(citation: Citation) -> str:
    return f"Source: {citation.text}."


def finish(
    fig: go.Figure,
    *,
    title: str,
    subtitle: str,
    citations: Sequence[Citation],
    notes: Sequence[str] = (),
    height: int = HEIGHT,
    legend: bool = True,
    left: int = 78,
    right: int = 16,
    below_axis: int = 34,
) -> go.Figure:
    """Title, subtitle, legend under them, and the source lines under the plot.

    left is the room kept for the y axis (its tick labels and title): the source lines are shifted back by it so
    they start at the figure's left edge. below_axis is the height of what the x axis draws under the plot.
    """
    title_html = wrap(title, TITLE_CHARS)
    subtitle_html = wrap(subtitle, SUBTITLE_CHARS)
    top = 22 + 24 * lines(title_html) + 18 * lines(subtitle_html) + 10
    source_lines = []
    for citation in citations:
        wrapped = wrap(source_text(citation), SOURCE_CHARS)
        url = safe_url(citation.url)
        if url:
            wrapped += f'<br><a href="{html.escape(url)}">{esc(_short_url(url, SOURCE_CHARS))}</a>'
        source_lines.append(wrapped)
    for note in notes:
        source_lines.append(wrap(note, SOURCE_CHARS))
    footer = "<br>".join(source_lines)
    bottom = below_axis + 8 + 14 * lines(footer)
    fig.update_layout(
        title={
            "text": f"<b>{title_html}</b>",
            "subtitle": {"text": subtitle_html, "font": {"size": 13, "color": "#444444"}},
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 1 - 10 / (height + bottom),  # a little below the edge: some renderers clip the ascenders at y=1
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": 12, "l": 8},
            "font": {"size": 18},
        },
        # Pinned: importing streamlit makes its own template plotly's default, so without this a figure would look
        # (and serialise) differently in the dashboard and in `drugstats figures`. Every style is set here instead.
        template="none",
        height=height + bottom,
        margin={"l": left, "r": right, "t": top + 8, "b": bottom},
        font={"family": FONT, "size": 13, "color": "#222222"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"font": {"family": FONT, "size": 13}, "align": "left"},
        separators=".,",
        showlegend=legend,
        legend={
            "orientation": "h",
            "xref": "container",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1 - top / (height + bottom),
            "yanchor": "top",
            "font": {"size": 12},
            "itemclick": "toggle",
            "traceorder": "normal",
        },
    )
    fig.add_annotation(
        text=footer,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-below_axis,
        xshift=-left + 8,
        showarrow=False,
        align="left",
        font={"size": 11, "color": "#555555"},
    )
    fig.update_xaxes(showline=True, linecolor="#888888", ticks="outside", gridcolor="#EEEEEE", automargin=True)
    fig.update_yaxes(gridcolor="#E5E5E5", zerolinecolor="#888888", automargin=True, tickformat=",")
    return fig


def _short_url(url: str, width: int) -> str:
    """The URL as shown (the link itself stays whole): no scheme, cut with an ellipsis to fit a line."""
    shown = re.sub(r"^https?://(www\.)?", "", url)
    return shown if len(shown) <= width else shown[: width - 1] + "\u2026"


def _claim_customdata(claims: pd.DataFrame) -> list[list[str]]:
    """Per claim: quote, claimant, date, verdict label, what it says, attributed to (all escaped)."""
    out = []
    for _, c in claims.iterrows():
        said = c["claimed_on"] if "claimed_on" in c and pd.notna(c["claimed_on"]) else None
        when = pd.Timestamp(said).date().isoformat() if said is not None else "date not recorded"
        stated = f"{str(c['qualifier']).replace('_', ' ')} {float(c['value']):,g} {display.unit_label(str(c['unit']))}"
        out.append(
            [
                "<br>".join(esc(line) for line in textwrap.wrap(str(c["quote"]), 60)),
                esc(c["claimant"]),
                esc(when),
                esc(display.verdict_label(str(c["verdict"])).upper()),
                esc(stated),
                esc(c["attributed_to"]),
            ]
        )
    return out


CLAIM_HOVER = (
    "<b>%{customdata[3]}</b><br>"
    "%{customdata[0]}<br>"
    "<i>%{customdata[1]}, %{customdata[2]}; attributed to %{customdata[5]}</i><br>"
    "Claimed: %{customdata[4]}<extra></extra>"
)


def claim_traces(fig: go.Figure, claims: pd.DataFrame, x: Iterable, y: Iterable, **scatter) -> None:
    """One trace per verdict so the legend explains the marker shapes."""
    claims = claims.reset_index(drop=True)
    xs, ys = list(x), list(y)
    for verdict in checks.VERDICTS:
        idx = [i for i, v in enumerate(claims["verdict"]) if v == verdict]
        if not idx:
            continue
        subset = claims.iloc[idx]
        fig.add_trace(
            go.Scatter(
                x=[xs[i] for i in idx],
                y=[ys[i] for i in idx],
                mode="markers",
                name=f"Claim: {display.verdict_label(verdict).lower()}",
                marker={
                    "symbol": display.verdict_style(verdict).symbol,
                    "size": 13,
                    "color": display.verdict_style(verdict).color,
                    "line": {
                        "width": 1.5,
                        "color": "white" if not display.verdict_style(verdict).symbol.endswith("open") else None,
                    },
                },
                customdata=_claim_customdata(subset),
                hovertemplate=CLAIM_HOVER,
                **scatter,
            )
        )


def band(fig: go.Figure, x0: pd.Timestamp, x1: pd.Timestamp, label: str, opacity: float) -> None:
    """A labelled yellow band behind the data: incomplete months, a year to date, a claim's period."""
    fig.add_vrect(
        x0=x0,
        x1=x1,
        fillcolor=display.OKABE_ITO["yellow"],
        opacity=opacity,
        line_width=0,
        layer="below",
        annotation_text=label,
        annotation_position="top left",
        annotation_font={"size": 11, "color": "#555555"},
    )


def shade_window(fig: go.Figure, window: tuple[pd.Timestamp, pd.Timestamp] | None) -> None:
    if window is not None:
        band(fig, window[0], window[1], "the claim's period", 0.35)


# A figure as a page shows it, and as `drugstats figures` writes it


@dataclass(frozen=True)
class Figure:
    """A chart as the dashboard shows it: the figure, the rows it draws, where it is shown and how to cite it."""

    name: str  # file name stem, widget key and CSV name: "overdose-deaths-us"
    title: str  # plain text, for citations and the index
    figure: go.Figure
    rows: pd.DataFrame  # exactly the rows drawn: the table under the chart
    sources: tuple[Citation, ...]  # the data it draws, as its source lines name it
    page: str  # the dashboard page and view: "deaths", "claims?claim=<id>"
    citation: cite.Formatted  # to copy
    claims: pd.DataFrame | None = None  # the claims drawn on it as markers, where the chart draws claims

    @property
    def url(self) -> str:
        return f"{export.SITE_URL}/{self.page}"


def plain_text(text: str | None) -> str:
    """A figure's pseudo-HTML text (a title, a source line) as plain text: tags dropped, entities read, one line."""
    return " ".join(html.unescape(re.sub(r"<br>|<[^>]+>", " ", text or "")).split())


def page(path: str, query: Mapping[str, str]) -> str:
    return f"{path}?{urlencode(query)}" if query else path


def figure(
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
