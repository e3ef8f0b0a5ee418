"""What every chart shares: the look (fonts, layout, source lines under the plot), safe text, claims as markers,
and the Figure a page shows (the chart, the rows it draws, where it is shown and how to cite it).

Each page's own charts are built in its module under drugstats.pages; none of them is imported here.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from drugstats import display
from drugstats.claims.safetext import safe_url
from drugstats.official import fields
from drugstats.publish import cite, export
from drugstats.publish.cite import Citation
from drugstats.verdicts import checks
from drugstats.verdicts.pipeline import Build

FONT = "Source Sans Pro, Helvetica Neue, Arial, sans-serif"


# Plotly draws no line breaks of its own, so the title, subtitle and source lines are wrapped here, to the width the
# figure is drawn at. The dashboard draws a chart as wide as its column, which the server never learns: lines are
# wrapped for a column of DASHBOARD_WIDTH px (a 1280 px window with the sidebar open gives ~820). A wider column leaves
# room at the right; a narrower one (a phone) cuts the longest lines, whose source the caption under the chart repeats.
# `drugstats figures` draws at its own width and wraps again for it (fit).
DASHBOARD_WIDTH = 720
TITLE_SIZE, SUBTITLE_SIZE, SOURCE_SIZE = 18, 13, 11  # px
TEXT_INSET = 8  # px: the title and the source lines start this far from the figure's left edge, and end as far from its right
TEXT_SLACK = 8  # px more at the right, for a y axis whose labels push the plot (and the source lines) right of `left`

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
    """Plain text wrapped at width characters, escaped, lines joined with <br> (short labels: axis categories)."""
    return "<br>".join(esc(line) for line in textwrap.wrap(text, width=width, break_long_words=True)) or ""


def lines(wrapped: str) -> int:
    return wrapped.count("<br>") + 1 if wrapped else 0


# Advance widths of Arial, in thousandths of the font size: the figures are drawn in Liberation Sans, made to Arial's
# metrics, and the dashboard's Source Sans Pro is narrower, so a line measured here fits either.
_ARIAL = {
    False: {
        191: "'",
        222: "ijl",
        260: "|",
        278: " !,./:;I[\\]ft",
        333: "()-`r",
        334: "{}",
        355: '"',
        389: "*",
        469: "^",
        500: "Jcksvxyz",
        556: "#$0123456789?L_abdeghnopqu",
        584: "+<=>~",
        611: "FTZ",
        667: "&ABEKPSVXY",
        722: "CDHNRUw",
        778: "GOQ",
        833: "Mm",
        889: "%",
        944: "W",
        1015: "@",
    },
    True: {
        238: "'",
        278: " ,./I\\ijl",
        280: "|",
        333: "!()-:;[]`ft",
        389: "*r{}",
        474: '"',
        500: "z",
        556: "#$0123456789J_aceksvxy",
        584: "+<=>^~",
        611: "?FLTZbdghnopqu",
        667: "EPSVXY",
        722: "&ABCDHKNRU",
        778: "GOQw",
        833: "M",
        889: "%m",
        944: "W",
        975: "@",
    },
}
_WIDTHS = {bold: {c: w for w, chars in table.items() for c in chars} for bold, table in _ARIAL.items()}
_PUNCTUATION = {"\u2013": 556, "\u2018": 278, "\u2019": 278, "\u201c": 500, "\u201d": 500, "\u00d7": 584, "\u00b7": 278}


def _char_width(c: str, bold: bool) -> int:
    widths = _WIDTHS[bold]
    if c in widths:
        return widths[c]
    if c in _PUNCTUATION:
        return _PUNCTUATION[c]
    base = unicodedata.normalize("NFD", c)[:1]  # an accented letter is as wide as its letter
    return widths.get(base, 1000)  # anything else: an em, wider than any letter above


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in px of one line of plain text in Arial (or Liberation Sans) at size px."""
    return size * sum(_char_width(c, bold) for c in text) / 1000


def wrap_px(text: str, px: float, size: float, *, bold: bool = False) -> list[str]:
    """Plain text in lines no wider than px (measured by text_width), broken at spaces; a word wider than a line is
    broken after a slash, hyphen or other URL separator where one falls, else anywhere."""
    out: list[str] = []
    line = ""
    for word in text.split():
        joined = f"{line} {word}" if line else word
        if text_width(joined, size, bold) <= px:
            line = joined
            continue
        if line:
            out.append(line)
        while text_width(word, size, bold) > px:
            head = _fitting_head(word, px, size, bold)
            out.append(head)
            word = word[len(head) :]
        line = word
    if line:
        out.append(line)
    return out


_BREAK_AFTER = ("/", "?&=#", "-_.")  # where an address breaks best, best first


def _fitting_head(word: str, px: float, size: float, bold: bool) -> str:
    """The longest start of word that fits px, ending after a slash (else ?&=#, else -_.) where one falls in its second
    half, else wherever it must."""
    n = 1
    while n < len(word) and text_width(word[: n + 1], size, bold) <= px:
        n += 1
    for separators in _BREAK_AFTER:
        cut = max(word.rfind(c, 0, n) for c in separators) + 1
        if cut > n // 2:
            return word[:cut]
    return word[:n]


def unit_of(table: str, column: str) -> str:
    """A column's unit as drugstats.official.fields declares it."""
    unit = fields.field(table, column).unit
    if unit is None:
        raise ValueError(f"{table}.{column} declares no unit")
    return unit


def source_text(citation: Citation) -> str:
    return f"Source: {citation.text}."


TEXT = "drugstats"  # the key in layout.meta under which finish keeps the text that fit wraps: a figure carries its own
SOURCE_LINES = "source lines"  # the name of the annotation that holds them


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
    width: int = DASHBOARD_WIDTH,
) -> go.Figure:
    """Title, subtitle, legend under them, and the source lines under the plot, wrapped for a figure width px wide.

    left is the room kept for the y axis (its tick labels and title): the source lines are shifted back by it so
    they start at the figure's left edge. below_axis is the height of what the x axis draws under the plot. The text
    is kept whole in layout.meta, so that fit can wrap it again for another width.
    """
    sources = [[source_text(c), safe_url(c.url) or ""] for c in citations] + [[note, ""] for note in notes]
    fig.update_layout(
        meta={
            TEXT: {
                "title": title,
                "subtitle": subtitle,
                "sources": sources,
                "height": height,
                "left": left,
                "below_axis": below_axis,
                # log axes whose ticks the chart leaves to plotly: fit sets them
                "log_axes": [a for a in ("x", "y") if _plotly_ticks_log(fig.layout[f"{a}axis"])],
            }
        },
        # Pinned: importing streamlit makes its own template plotly's default, so without this a figure would look
        # (and serialise) differently in the dashboard and in `drugstats figures`. Every style is set here instead.
        template="none",
        margin={"l": left, "r": right},
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
            "yanchor": "top",
            "font": {"size": 12},
            "itemclick": "toggle",
            "traceorder": "normal",
        },
    )
    fig.add_annotation(
        name=SOURCE_LINES,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-below_axis,
        xshift=-left + TEXT_INSET,
        showarrow=False,
        align="left",
        font={"size": SOURCE_SIZE, "color": "#555555"},
    )
    fig.update_xaxes(showline=True, linecolor="#888888", ticks="outside", gridcolor="#EEEEEE", automargin=True)
    fig.update_yaxes(gridcolor="#E5E5E5", zerolinecolor="#888888", automargin=True, tickformat=",")
    return fit(fig, width)


def fit(fig: go.Figure, width: int) -> go.Figure:
    """The figure's title, subtitle and source lines (as finish keeps them) wrapped for a figure width px wide, the
    margins and height that follow, and ticks for its log axes; in place, the figure returned."""
    text = fig.layout.meta[TEXT]
    height, below_axis = text["height"], text["below_axis"]
    line = width - 2 * TEXT_INSET - TEXT_SLACK
    title_lines = wrap_px(text["title"], line, TITLE_SIZE, bold=True)
    subtitle_lines = wrap_px(text["subtitle"], line, SUBTITLE_SIZE)
    footer = []
    for said, url in text["sources"]:
        footer += [esc(part) for part in wrap_px(said, line, SOURCE_SIZE)]
        # The address whole, never cut: split over lines where it must be, each part a link to all of it.
        footer += [f'<a href="{html.escape(url)}">{esc(part)}</a>' for part in wrap_px(url, line, SOURCE_SIZE)]
    top = 22 + 24 * len(title_lines) + 18 * len(subtitle_lines) + 16
    bottom = below_axis + 8 + 14 * len(footer)
    fig.update_layout(
        title={
            "text": "<b>" + "<br>".join(esc(t) for t in title_lines) + "</b>",
            "subtitle": {
                "text": "<br>".join(esc(t) for t in subtitle_lines),
                "font": {"size": SUBTITLE_SIZE, "color": "#444444"},
            },
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 1 - 10 / (height + bottom),  # a little below the edge: some renderers clip the ascenders at y=1
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": 12, "l": TEXT_INSET},
            "font": {"size": TITLE_SIZE},
        },
        height=height + bottom,
        margin={"t": top + 8, "b": bottom},
        legend_y=1 - top / (height + bottom),
    )
    fig.update_annotations(text="<br>".join(footer), selector={"name": SOURCE_LINES})
    for letter in text["log_axes"]:
        _log_ticks(fig, letter, width, plot_height=height - top - 8 - LEGEND_ALLOWANCE)
    return fig


# Log axes: over a decade or two plotly labels every digit (60,000 70,000 80,000 ...) and the labels collide. Ticks
# are set here instead, at 1-2-3-5-7 or 1-2-5 steps or sparser, so that labels stand at least MIN_TICK_GAP apart.
LOG_STEPS = ((1, 2, 3, 5, 7), (1, 2, 5), (1, 3), (1,))  # mantissas in each decade, densest first
MIN_TICK_GAP = {"y": 30, "x": 24}  # px between ticks: on y, two label heights; on x, this more than the widest label
LEGEND_ALLOWANCE = 60  # px the legend (up to three rows) takes from the plot's height, which plotly itself decides


def log_tickvals(lo: float, hi: float, px_per_decade: float, min_gap: float) -> list[float]:
    """Tick values for a log axis covering lo to hi, consecutive ticks at least min_gap px apart when a decade is
    px_per_decade px: 1-2-3-5-7 steps where they fit, else 1-2-5, else 1-3, else every decade, or every nth."""
    first, last = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    for mantissas in LOG_STEPS:
        ratios = [b / a for a, b in zip(mantissas, [*mantissas[1:], 10], strict=True)]
        if math.log10(min(ratios)) * px_per_decade >= min_gap:
            return [float(m * 10**e) for e in range(first, last) for m in mantissas] + [10.0**last]
    every = math.ceil(min_gap / px_per_decade)
    return [10.0**e for e in range(first - first % every, last + every, every)]


def _plotly_ticks_log(axis: go.layout.XAxis | go.layout.YAxis) -> bool:
    return axis.type == "log" and axis.dtick is None and axis.tickvals is None


def _log_ticks(fig: go.Figure, letter: str, width: int, plot_height: float) -> None:
    """Ticks for a log axis from the values drawn on it."""
    drawn = [t for t in fig.data if (getattr(t, f"{letter}axis", None) or letter) == letter]
    positive = [v for t in drawn for v in _numbers(t, letter) if v > 0]
    if not positive:
        return
    lo, hi = min(positive), max(positive)
    decades = max(math.log10(hi / lo), 0.3) * 1.1  # plotly pads the data's range a little
    if letter == "y":
        px, gap = plot_height, MIN_TICK_GAP["y"]
    else:
        px = width - fig.layout.margin.l - fig.layout.margin.r
        gap = MIN_TICK_GAP["x"] + text_width(f"{hi:,.0f}", 13)
    fig.layout[f"{letter}axis"].update(tickmode="array", tickvals=log_tickvals(lo, hi, px / decades, gap))


def _numbers(trace: go.Scatter | go.Bar, letter: str) -> list[float]:
    """The trace's numbers along an axis; none where it draws dates or categories there."""
    values = getattr(trace, letter, None)
    try:
        return [] if values is None else [float(v) for v in values]
    except (TypeError, ValueError):
        return []


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


def month_runs(ends: pd.Series) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Month ends grouped into runs of consecutive months: (first, last) of each, oldest first."""
    months = sorted({pd.Timestamp(e).to_period("M") for e in ends})
    runs: list[list] = []
    for month in months:
        if runs and (month - runs[-1][-1]).n == 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return [(run[0].to_timestamp(how="end").normalize(), run[-1].to_timestamp(how="end").normalize()) for run in runs]


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
