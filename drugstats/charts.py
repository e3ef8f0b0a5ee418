"""Plotly figures of the official series and the claims drawn over them (pure: frames in, figures out).

Every figure carries a title, a subtitle naming the unit, and a source line under the plot naming producer,
dataset and release with a link, so that it stands on its own when exported as an image. Text from the data
only ever reaches a figure escaped (see `_esc`), and hover templates only reference data through customdata.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from drugstats import checks, fields, series
from drugstats.dashboard import (
    FISCAL_MONTHS,
    Citation,
    ClaimPlot,
    drug_label,
    place_name,
    safe_url,
    substance_label,
    unit_label,
    verdict_label,
)

# ---------------------------------------------------------------------------------------------
# Palette, defined once: Okabe & Ito (2008), distinguishable with the common colour-vision deficiencies
# ---------------------------------------------------------------------------------------------

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#8C8C8C"
LIGHT_GREY = "#D9D9D9"
# Yellow is too pale for lines on white; it is kept for fills only.
LINE_COLORS = [OKABE_ITO[k] for k in ("black", "vermillion", "blue", "orange", "sky_blue", "bluish_green", "reddish_purple")]

SUBSTANCE_COLORS = {
    "all_drugs": OKABE_ITO["black"],
    "fentanyl": OKABE_ITO["vermillion"],
    "methamphetamine": OKABE_ITO["blue"],
    "cocaine": OKABE_ITO["sky_blue"],
    "heroin": OKABE_ITO["reddish_purple"],
    "opioids": OKABE_ITO["orange"],
    "prescription_opioids": OKABE_ITO["bluish_green"],
    "natural_semisynthetic_opioids": GREY,
    "methadone": "#5E3C99",  # dark purple: the palette has 7 line colours and CDC 10 series
    "natural_semisynthetic_synthetic_opioids": "#7F6000",  # dark olive, same reason
}
DRUG_COLORS = {
    "fentanyl": OKABE_ITO["vermillion"],
    "methamphetamine": OKABE_ITO["blue"],
    "cocaine": OKABE_ITO["sky_blue"],
    "heroin": OKABE_ITO["reddish_purple"],
    "marijuana": OKABE_ITO["bluish_green"],
    "ecstasy": OKABE_ITO["orange"],
    "ketamine": "#5E3C99",
    "khat": "#7F6000",
    "lsd": GREY,
    "other": OKABE_ITO["black"],
}
# Verdicts differ in colour and in marker shape, so no reader depends on colour alone.
VERDICT_COLORS = {
    "consistent": OKABE_ITO["bluish_green"],
    "overstated": OKABE_ITO["vermillion"],
    "understated": OKABE_ITO["blue"],
    "wrong_measure": OKABE_ITO["reddish_purple"],
    "unverifiable": GREY,
}
VERDICT_SYMBOLS = {
    "consistent": "circle",
    "overstated": "triangle-up",
    "understated": "triangle-down",
    "wrong_measure": "x",
    "unverifiable": "diamond-open",
}
FONT = "Source Sans Pro, Helvetica Neue, Arial, sans-serif"

# Wrapping widths, in characters, chosen so every line fits a 390 px phone screen.
TITLE_CHARS, SUBTITLE_CHARS, SOURCE_CHARS = 38, 58, 60
HEIGHT = 520


def tint(color: str, alpha: float) -> str:
    """A palette colour made pale (as rgba), for what is provisional or partial; the legend shows it too."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha:g})"


def color_for(name: str, mapping: dict[str, str], index: int = 0) -> str:
    return mapping.get(name, LINE_COLORS[index % len(LINE_COLORS)])


# ---------------------------------------------------------------------------------------------
# Text: escaped for plotly's pseudo-HTML, wrapped for narrow screens
# ---------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _esc(text: object) -> str:
    """Data text for a figure: tags and entities shown literally, and no %{...} plotly could ever read as a template."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    plain = _CONTROL.sub(" ", str(text))
    return html.escape(plain, quote=False).replace("%", "&#37;").replace("{", "&#123;").replace("}", "&#125;")


def _wrap(text: str, width: int) -> str:
    """Plain text wrapped at width characters, escaped, lines joined with <br>."""
    return "<br>".join(_esc(line) for line in textwrap.wrap(text, width=width, break_long_words=True)) or ""


def _lines(wrapped: str) -> int:
    return wrapped.count("<br>") + 1 if wrapped else 0


def unit_of(table: str, column: str) -> str:
    """A column's unit as drugstats.fields declares it."""
    unit = fields.field(table, column).unit
    if unit is None:
        raise ValueError(f"{table}.{column} declares no unit")
    return unit


def source_text(citation: Citation) -> str:
    return f"Source: {citation.text}."


def _finish(
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
    title_html = _wrap(title, TITLE_CHARS)
    subtitle_html = _wrap(subtitle, SUBTITLE_CHARS)
    top = 22 + 24 * _lines(title_html) + 18 * _lines(subtitle_html) + 10
    source_lines = []
    for citation in citations:
        wrapped = _wrap(source_text(citation), SOURCE_CHARS)
        url = safe_url(citation.url)
        if url:
            wrapped += f'<br><a href="{html.escape(url)}">{_esc(_short_url(url, SOURCE_CHARS))}</a>'
        source_lines.append(wrapped)
    for note in notes:
        source_lines.append(_wrap(note, SOURCE_CHARS))
    footer = "<br>".join(source_lines)
    bottom = below_axis + 8 + 14 * _lines(footer)
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
        stated = f"{str(c['qualifier']).replace('_', ' ')} {float(c['value']):,g} {unit_label(str(c['unit']))}"
        out.append(
            [
                "<br>".join(_esc(line) for line in textwrap.wrap(str(c["quote"]), 60)),
                _esc(c["claimant"]),
                _esc(when),
                _esc(verdict_label(str(c["verdict"])).upper()),
                _esc(stated),
                _esc(c["attributed_to"]),
            ]
        )
    return out


CLAIM_HOVER = (
    "<b>%{customdata[3]}</b><br>"
    "%{customdata[0]}<br>"
    "<i>%{customdata[1]}, %{customdata[2]}; attributed to %{customdata[5]}</i><br>"
    "Claimed: %{customdata[4]}<extra></extra>"
)


def _claim_traces(fig: go.Figure, claims: pd.DataFrame, x: Iterable, y: Iterable, **scatter) -> None:
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
                name=f"Claim: {verdict_label(verdict).lower()}",
                marker={
                    "symbol": VERDICT_SYMBOLS[verdict],
                    "size": 13,
                    "color": VERDICT_COLORS[verdict],
                    "line": {"width": 1.5, "color": "white" if not VERDICT_SYMBOLS[verdict].endswith("open") else None},
                },
                customdata=_claim_customdata(subset),
                hovertemplate=CLAIM_HOVER,
                **scatter,
            )
        )


# ---------------------------------------------------------------------------------------------
# Overdose deaths
# ---------------------------------------------------------------------------------------------


def deaths_chart(
    rows: pd.DataFrame, claims: pd.DataFrame, citation: Citation, *, place: str = "US", scale: str = "linear"
) -> go.Figure:
    """12-month-ending overdose deaths by substance, reported (solid) and predicted (dotted), with claims as markers.

    rows: drugstats.dashboard.deaths_rows; claims: drugstats.dashboard.death_claim_markers.
    """
    unit = unit_of("overdose_deaths", "deaths_reported")
    window = int(rows["window_months"].iloc[0]) if "window_months" in rows and len(rows) else 12
    fig = go.Figure()
    counts = [c for c in ("reported", "predicted") if f"deaths_{c}" in rows]
    for i, (substance, part) in enumerate(rows.groupby("substance", sort=False)):
        color = color_for(substance, SUBSTANCE_COLORS, i)
        for count in counts:
            column = f"deaths_{count}"
            custom = [
                [
                    _esc(substance_label(substance)),
                    _esc(f"{r.period_end:%B %Y}"),
                    _esc(r.flag),
                    _esc(f"{r.release:%Y-%m-%d}"),
                    _esc(r.indicator),
                ]
                for r in part.itertuples()
            ]
            fig.add_trace(
                go.Scatter(
                    x=part["period_end"],
                    y=part[column].astype("float64"),
                    mode="lines",
                    name=f"{substance_label(substance)}, {count}",
                    line={
                        "color": color,
                        "width": 2.5 if count == "reported" else 1.5,
                        "dash": "solid" if count == "reported" else "dot",
                    },
                    customdata=custom,
                    hovertemplate=(
                        "<b>%{customdata[0]}</b> (%{customdata[4]})<br>"
                        f"{window} months ending %{{customdata[1]}}<br>"
                        f"{count.capitalize()}: %{{y:,.0f}} {unit}<br>"
                        "%{customdata[2]}<br>CDC release of %{customdata[3]}<extra></extra>"
                    ),
                    connectgaps=False,
                )
            )
    flagged = rows.loc[rows["flag"].astype("string").str.contains("Underreported", na=False), "period_end"]
    if not flagged.empty:
        _band(fig, flagged.min() - pd.Timedelta(days=15), flagged.max() + pd.Timedelta(days=15), "incomplete data", 0.25)
    if len(claims):
        _claim_traces(fig, claims, claims["period_end"], claims["value_canonical"].astype("float64"))
    fig.update_yaxes(
        title_text=f"{unit_label(unit).capitalize()} in {window} months",
        type="log" if scale == "log" else "linear",
        rangemode="tozero" if scale != "log" else "normal",
    )
    fig.update_xaxes(hoverformat="%B %Y")
    subtitle = (
        f"{window}-month-ending totals, provisional; unit: {unit}. Solid: reported; dotted: predicted "
        "(adjusted by CDC for reporting delays)." + (" Logarithmic scale." if scale == "log" else "")
    )
    return _finish(
        fig,
        title=f"Drug overdose deaths, {place_name(place)}",
        subtitle=subtitle,
        citations=[citation],
        notes=["Fentanyl: CDC's synthetic opioids other than methadone (T40.4). Markers: claims, at the end of their period."]
        if len(claims) or "fentanyl" in set(rows["substance"])
        else [],
    )


# ---------------------------------------------------------------------------------------------
# Seizures
# ---------------------------------------------------------------------------------------------


def _fy_label(year: int, partial: bool, months: int) -> str:
    """Short enough for eight years side by side on a phone; the hover names the year in full."""
    return f"FY{year % 100:02d}<br>to date" if partial else f"FY{year % 100:02d}"


def seizures_fy_chart(rows: pd.DataFrame, claims: pd.DataFrame, citation: Citation, *, unit: str, scope: str) -> go.Figure:
    """Quantity seized per fiscal year by drug; CBP's year to date drawn pale and labelled; whole-year claims as markers.

    rows: drugstats.dashboard.seizures_fy_rows; claims: seizure_claim_markers with chart == "fiscal_year".
    """
    column = f"seized_{unit}"
    declared = unit_of("seizures", column)
    fig = go.Figure()
    labels = {
        int(r.fiscal_year): _fy_label(int(r.fiscal_year), bool(r.partial_year), int(r.months))
        for r in rows.drop_duplicates("fiscal_year").itertuples()
    }
    for i, (drug, part) in enumerate(rows.groupby("drug", sort=False)):
        color = color_for(drug, DRUG_COLORS, i)
        # A year to date is its own trace, pale and labelled, so the legend says what the paleness means.
        for partial, years in part.groupby(part["partial_year"].astype(bool), sort=True):
            fig.add_trace(
                go.Bar(
                    x=[labels[int(y)] for y in years["fiscal_year"]],
                    y=years[column].astype("float64"),
                    name=f"{drug_label(drug)}, year to date" if partial else drug_label(drug),
                    offsetgroup=drug,
                    # Pale with an outline, and labelled: SVG fill patterns do not survive every renderer.
                    marker={"color": tint(color, 0.35) if partial else color, "line": {"color": color, "width": 2}},
                    text=[f"{int(m)} mo." for m in years["months"]] if partial else None,
                    textposition="outside",
                    textfont={"size": 11, "color": "#333333"},
                    cliponaxis=False,
                    customdata=[
                        [
                            _esc(drug_label(drug)),
                            _esc(f"FY{int(r.fiscal_year)}"),
                            _esc(
                                f"to date: {int(r.months)} months (October to "
                                f"{series.MONTH_NAMES[(int(r.months) + 8) % 12]}), not a whole year"
                                if r.partial_year
                                else "whole fiscal year, October to September"
                            ),
                            f"{int(r.events):,}",
                        ]
                        for r in years.itertuples()
                    ],
                    hovertemplate=(
                        "<b>%{customdata[0]}, %{customdata[1]}</b><br>%{customdata[2]}<br>"
                        f"%{{y:,.0f}} {declared} in %{{customdata[3]}} seizure events<extra></extra>"
                    ),
                )
            )
    if len(claims):
        x = [labels.get(int(y), f"FY{int(y)}") for y in claims["fiscal_year"]]
        _claim_traces(fig, claims, x, claims[f"claimed_{unit}"], offsetgroup=str(claims["substance"].iloc[0]))
    fig.update_layout(barmode="group", scattermode="group", bargap=0.25)
    fig.update_yaxes(title_text=f"{unit_label(declared).capitalize()} seized", rangemode="tozero")
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=[labels[y] for y in sorted(labels)],
        tickangle=0,
        tickfont={"size": 11},
    )
    partial_years = sorted({int(y) for y in rows.loc[rows["partial_year"].astype(bool), "fiscal_year"]})
    notes = []
    if partial_years:
        notes.append(f"Pale: FY{', FY'.join(map(str, partial_years))} to date (CBP: FYTD), not comparable with whole years.")
    return _finish(
        fig,
        title=f"Drugs seized by CBP per fiscal year, {scope}",
        subtitle=f"Fiscal years (FY) run October to September; unit: {declared} ({unit_label(declared)}).",
        citations=[citation],
        notes=notes,
        below_axis=50,
    )


def seizures_month_chart(rows: pd.DataFrame, citation: Citation, *, unit: str, scope: str) -> go.Figure:
    """Quantity seized per month by drug; the months of CBP's year to date shaded.

    rows: drugstats.dashboard.seizures_month_rows.
    """
    column = f"seized_{unit}"
    declared = unit_of("seizures", column)
    fig = go.Figure()
    for i, (drug, part) in enumerate(rows.groupby("drug", sort=False)):
        fig.add_trace(
            go.Scatter(
                x=part["month"],
                y=part[column].astype("float64"),
                mode="lines",
                name=drug_label(drug),
                line={"color": color_for(drug, DRUG_COLORS, i), "width": 2},
                customdata=[
                    [_esc(drug_label(drug)), f"{int(e):,}", f"FY{int(fy)}"]
                    for e, fy in zip(part["events"], part["fiscal_year"], strict=True)
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b>, %{x|%B %Y} (%{customdata[2]})<br>"
                    f"%{{y:,.0f}} {declared} in %{{customdata[1]}} seizure events<extra></extra>"
                ),
            )
        )
    partial = rows.loc[rows["partial_year"].astype(bool), "month"]
    if not partial.empty:
        _band(fig, partial.min() - pd.Timedelta(days=15), partial.max() + pd.Timedelta(days=15), "FY to date", 0.3)
    fig.update_yaxes(title_text=f"{unit_label(declared).capitalize()} seized per month", rangemode="tozero")
    fig.update_xaxes(hoverformat="%B %Y")
    return _finish(
        fig,
        title=f"Drugs seized by CBP per month, {scope}",
        subtitle=f"Calendar months; unit: {declared} ({unit_label(declared)}).",
        citations=[citation],
    )


def seizures_ytd_chart(rows: pd.DataFrame, claims: pd.DataFrame, citation: Citation, *, unit: str, scope: str) -> go.Figure:
    """Running total from October of each fiscal year, so a year to date compares with the same months before.

    rows: drugstats.dashboard.seizures_ytd_rows; claims: seizure_claim_markers with a chart, for the same drug.
    """
    column = f"cumulative_seized_{unit}"
    declared = unit_of("seizures", f"seized_{unit}")
    drug = str(rows["drug"].iloc[0]) if len(rows) else ""
    years = sorted(rows["fiscal_year"].unique())
    full = [y for y in years if not rows.loc[rows["fiscal_year"] == y, "partial_year"].any()]
    highlight = {}
    if full:
        highlight[full[-1]] = OKABE_ITO["blue"]
    if len(full) > 1:
        highlight[full[-2]] = OKABE_ITO["sky_blue"]
    fig = go.Figure()
    for year in years:
        part = rows[rows["fiscal_year"] == year]
        partial = bool(part["partial_year"].any())
        color = OKABE_ITO["vermillion"] if partial else highlight.get(year, "#BBBBBB")
        name = f"FY{year}" + (" to date" if partial else "")
        fig.add_trace(
            go.Scatter(
                x=part["month_of_fy"],
                y=part[column].astype("float64"),
                mode="lines+markers" if partial else "lines",
                name=name,
                line={
                    "color": color,
                    "width": 3 if (partial or year in highlight) else 1.5,
                    "dash": "dash" if partial else "solid",
                },
                marker={"size": 6},
                showlegend=partial or year in highlight,  # the grey years are named at their line ends
                customdata=[[_esc(name), _esc(f"{m:%B %Y}")] for m in part["month"]],
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b><br>October to %{{customdata[1]}}: %{{y:,.0f}} {declared}<extra></extra>"
                ),
            )
        )
    if len(claims):
        _claim_traces(fig, claims, claims["month_of_fy"].astype(int), claims[f"claimed_{unit}"])
    # Each line named at its end, so the grey years can be told apart without hovering.
    ends = rows.sort_values("month").groupby("fiscal_year").tail(1)
    for year, month, y in _spread(
        [(int(r.fiscal_year), int(r.month_of_fy), float(getattr(r, column))) for r in ends.itertuples()],
        gap=float(rows[column].max()) / 20 if len(rows) else 0,
    ):
        partial = bool(rows.loc[rows["fiscal_year"] == year, "partial_year"].any())
        fig.add_annotation(
            x=month,
            y=y,
            text=f"FY{year % 100:02d}",
            xanchor="left",
            xshift=6,
            showarrow=False,
            font={"size": 10, "color": OKABE_ITO["vermillion"] if partial else highlight.get(year, "#777777")},
        )
    # Every other month: twelve names do not fit across a phone without turning sideways.
    fig.update_xaxes(
        tickmode="array", tickvals=list(range(1, 13, 2)), ticktext=list(FISCAL_MONTHS[::2]), range=[0.7, 12.3], tickangle=0
    )
    fig.update_yaxes(title_text=f"{unit_label(declared).capitalize()} seized since October", rangemode="tozero")
    return _finish(
        fig,
        title=f"{drug_label(drug)} seized by CBP, fiscal year to date, {scope}",
        subtitle=f"Running total from October of each fiscal year; unit: {declared} ({unit_label(declared)}).",
        citations=[citation],
        right=44,
    )


def _spread(labels: list[tuple[int, int, float]], gap: float) -> list[tuple[int, int, float]]:
    """Line-end labels (key, x, y) moved apart vertically so that labels at the same x are at least gap apart."""
    out = []
    for x in sorted({x for _, x, _ in labels}):
        placed: list[float] = []
        for key, _, y in sorted((item for item in labels if item[1] == x), key=lambda item: item[2]):
            y = max(y, placed[-1] + gap) if placed else y
            placed.append(y)
            out.append((key, x, y))
    return out


# ---------------------------------------------------------------------------------------------
# Potency, verdicts
# ---------------------------------------------------------------------------------------------


def potency_chart(rows: pd.DataFrame, citations: Sequence[Citation]) -> go.Figure:
    """Potency relative to morphine on a log scale (rows: drugstats.dashboard.potency_rows)."""
    unit = "times"
    fig = go.Figure(
        go.Bar(
            x=rows["potency_vs_morphine"],
            y=[s.replace("_", " ").capitalize() for s in rows["substance"]],
            orientation="h",
            marker={"color": [SUBSTANCE_COLORS.get(s, GREY) if s != "morphine" else GREY for s in rows["substance"]]},
            text=[f"{v:,g}x" for v in rows["potency_vs_morphine"]],
            textposition="outside",
            cliponaxis=False,
            customdata=[["<br>".join(_esc(x) for x in textwrap.wrap(h, 60))] for h in rows["how"]],
            hovertemplate=f"<b>%{{y}}</b>: %{{x:,g}} {unit} morphine<br>%{{customdata[0]}}<extra></extra>",
            showlegend=False,
        )
    )
    top = float(rows["potency_vs_morphine"].max())
    fig.update_xaxes(
        type="log",
        title_text=f"Potency relative to morphine ({unit_label(unit)})",
        tickformat=",",
        dtick=1,
        range=[-0.3, math.log10(top) + 0.45],
    )
    fig.update_yaxes(tickformat="")
    return _finish(
        fig,
        title="How many times more potent than morphine",
        subtitle="DEA reference values, per unit of weight; logarithmic scale (each gridline is 10 times the last).",
        citations=citations,
        notes=["Heroin's ratio is implied: DEA's 100x (fentanyl vs morphine) divided by its 50x (fentanyl vs heroin)."],
        height=360,
        legend=False,
        left=84,
        below_axis=58,
    )


def verdicts_chart(counts: pd.DataFrame, citation: Citation) -> go.Figure:
    """Claims per verdict (counts: drugstats.dashboard.verdict_counts)."""
    fig = go.Figure(
        go.Bar(
            x=counts["claims"],
            y=[verdict_label(v) for v in counts["verdict"]],
            orientation="h",
            marker={"color": [VERDICT_COLORS[v] for v in counts["verdict"]]},
            text=[f"{int(n):,}" for n in counts["claims"]],
            textposition="outside",
            cliponaxis=False,
            customdata=[[_esc(m)] for m in counts["meaning"]],
            hovertemplate="<b>%{y}</b>: %{x:,} claims<br>%{customdata[0]}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_yaxes(autorange="reversed", tickformat="")
    fig.update_xaxes(title_text="Claims", rangemode="tozero")
    return _finish(
        fig,
        title="Verdicts on the claims drugstats holds",
        subtitle="Each claim checked against the official record; unit: claims.",
        citations=[citation],
        height=340,
        legend=False,
        left=112,
        below_axis=58,
    )


# ---------------------------------------------------------------------------------------------
# One claim over its official series
# ---------------------------------------------------------------------------------------------


def claim_chart(plot: ClaimPlot, claim: pd.Series, verdict: checks.Verdict, *, note: str | None = None) -> go.Figure:
    """A claim drawn over the official series it was checked against, its window shaded; note replaces the claim's citation."""
    marker_claim = pd.DataFrame([{**claim.to_dict(), "verdict": verdict.verdict}])
    fig = go.Figure()
    against = {
        "deaths": "CDC's provisional death counts",
        "share": "CDC's provisional death counts",
        "seizures": "CBP's monthly seizures",
        "seizure_change": "CBP's seizures in the two periods",
        "reference": "the reference value",
    }[plot.kind]
    title = f"The claim against {against}: {verdict_label(verdict.verdict).lower()}"
    below_axis = 34
    claim_note = note or _claim_source_note(claim)
    if plot.kind == "deaths":
        unit = unit_of("overdose_deaths", "deaths_reported")
        for i, (substance, part) in enumerate(plot.rows.groupby("substance", sort=False)):
            fig.add_trace(
                go.Scatter(
                    x=part["period_end"],
                    y=part["deaths_reported"].astype("float64"),
                    mode="lines",
                    name=f"{substance_label(substance)}, reported",
                    line={"color": color_for(substance, SUBSTANCE_COLORS, i), "width": 2.5},
                    customdata=[[_esc(substance_label(substance)), _esc(f"{r:%Y-%m-%d}")] for r in part["release"]],
                    hovertemplate=(
                        f"<b>%{{customdata[0]}}</b><br>12 months ending %{{x|%B %Y}}: %{{y:,.0f}} {unit}"
                        "<br>CDC release of %{customdata[1]}<extra></extra>"
                    ),
                )
            )
        _shade_window(fig, plot.window)
        _claim_traces(fig, marker_claim, [plot.window[1]], [plot.claimed])
        fig.update_yaxes(title_text=f"{unit_label(unit).capitalize()} in 12 months", rangemode="tozero")
        subtitle = f"12-month-ending provisional counts; unit: {unit}. Shaded: the claim's period; marker: the claim."
    elif plot.kind == "share":
        fig.add_trace(
            go.Scatter(
                x=plot.rows["period_end"],
                y=plot.rows["share_percent"],
                mode="lines",
                name=f"{substance_label(str(claim['substance']))}, share of all drug deaths",
                line={"color": color_for(str(claim["substance"]), SUBSTANCE_COLORS), "width": 2.5},
                hovertemplate="12 months ending %{x|%B %Y}: %{y:.1f}%<extra></extra>",
            )
        )
        _shade_window(fig, plot.window)
        _claim_traces(fig, marker_claim, [plot.window[1]], [plot.claimed])
        fig.update_yaxes(title_text="Percent of all drug overdose deaths", rangemode="tozero", tickformat=".0f", ticksuffix="%")
        subtitle = "Both counts from the same CDC release; unit: percent. Shaded: the claim's period; marker: the claim."
    elif plot.kind == "seizures":
        declared = unit_of("seizures", "seized_lb")
        rows = plot.rows
        fig.add_trace(
            go.Bar(
                x=rows["month"],
                y=rows["seized_lb"],
                name="Seized per month",
                marker={
                    "color": [DRUG_COLORS.get(str(claim["substance"]), GREY) if w else LIGHT_GREY for w in rows["in_window"]]
                },
                hovertemplate=f"%{{x|%B %Y}}: %{{y:,.0f}} {declared}<extra></extra>",
            )
        )
        inside = rows[rows["in_window"]]
        fig.add_trace(
            go.Scatter(
                x=inside["month"],
                y=inside["window_total_lb"],
                mode="lines+markers",
                name="Running total over the claim's period",
                line={"color": OKABE_ITO["black"], "width": 2},
                hovertemplate=f"Total to %{{x|%B %Y}}: %{{y:,.0f}} {declared}<extra></extra>",
            )
        )
        _shade_window(fig, (plot.window[0] - pd.Timedelta(days=15), plot.window[1] - pd.Timedelta(days=14)))
        last_month = inside["month"].max() if len(inside) else plot.window[1]
        _claim_traces(fig, marker_claim, [last_month], [plot.claimed])
        fig.update_yaxes(title_text=f"{unit_label(declared).capitalize()}", rangemode="tozero")
        fig.update_layout(barmode="overlay")
        subtitle = f"CBP nationwide, by month and summed over the claim's period; unit: {declared}."
    elif plot.kind == "seizure_change":
        declared = unit_of("seizures", "seized_lb")
        rows = plot.rows
        labels = [f"{p}<br>{_wrap(w, 26)}" for p, w in zip(rows["period"], rows["window"], strict=True)]
        below_axis = 34 + 15 * max(_lines(x) - 1 for x in labels)
        fig.add_trace(
            go.Bar(
                x=labels,
                y=rows["seized_lb"],
                name="Seized by CBP",
                marker={"color": DRUG_COLORS.get(str(claim["substance"]), GREY)},
                hovertemplate=f"%{{y:,.0f}} {declared}<extra></extra>",
            )
        )
        implied = float(rows["seized_lb"].iloc[0]) * (1 + plot.claimed / 100)
        _claim_traces(fig, marker_claim, [labels[1]], [implied])
        fig.update_yaxes(title_text=f"{unit_label(declared).capitalize()}", rangemode="tozero")
        subtitle = f"The marker is where the claimed change would put the later period; unit: {declared}."
    else:  # reference
        rows = plot.rows
        fig.add_trace(
            go.Bar(
                x=rows["what"],
                y=rows["value"],
                name="Value",
                marker={"color": [VERDICT_COLORS.get(verdict.verdict, GREY), GREY]},
                text=[f"{v:,g} {unit_label(plot.unit)}" for v in rows["value"]],
                textposition="outside",
                cliponaxis=False,
                customdata=[["<br>".join(_esc(x) for x in textwrap.wrap(str(lbl), 60))] for lbl in rows["label"]],
                hovertemplate="%{customdata[0]}<extra></extra>",
                showlegend=False,
            )
        )
        fig.update_yaxes(title_text=unit_label(plot.unit).capitalize(), rangemode="tozero")
        subtitle = f"The claimed value beside the official one; unit: {unit_label(plot.unit)}."
    fig.update_xaxes(hoverformat="%B %Y")
    return _finish(fig, title=title, subtitle=subtitle, citations=[plot.citation], notes=[claim_note], below_axis=below_axis)


def _band(fig: go.Figure, x0: pd.Timestamp, x1: pd.Timestamp, label: str, opacity: float) -> None:
    """A labelled yellow band behind the data: incomplete months, a year to date, a claim's period."""
    fig.add_vrect(
        x0=x0,
        x1=x1,
        fillcolor=OKABE_ITO["yellow"],
        opacity=opacity,
        line_width=0,
        layer="below",
        annotation_text=label,
        annotation_position="top left",
        annotation_font={"size": 11, "color": "#555555"},
    )


def _shade_window(fig: go.Figure, window: tuple[pd.Timestamp, pd.Timestamp] | None) -> None:
    if window is not None:
        _band(fig, window[0], window[1], "the claim's period", 0.35)


def _claim_source_note(claim: pd.Series) -> str:
    said = claim.get("claimed_on")
    when = f", {pd.Timestamp(said).date().isoformat()}" if pd.notna(said) else ""
    where = claim.get("source_title") if pd.notna(claim.get("source_title")) else claim.get("source_url")
    return f"Claim: {claim['claimant']}{when}, in {where}."
