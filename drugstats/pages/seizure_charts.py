"""The Seizures page's three charts: by fiscal year, by month, and fiscal year to date."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from drugstats import display
from drugstats.official import periods
from drugstats.publish import charts
from drugstats.publish.cite import Citation


def _fy_label(year: int, partial: bool, months: int) -> str:
    """Short enough for eight years side by side on a phone; the hover names the year in full."""
    return f"FY{year % 100:02d}<br>to date" if partial else f"FY{year % 100:02d}"


def seizures_fy_chart(rows: pd.DataFrame, claims: pd.DataFrame, citation: Citation, *, unit: str, scope: str) -> go.Figure:
    """Quantity seized per fiscal year by drug; CBP's year to date drawn pale and labelled; whole-year claims as markers.

    rows: drugstats.dashboard.seizures_fy_rows; claims: seizure_claim_markers with chart == "fiscal_year".
    """
    column = f"seized_{unit}"
    declared = charts.unit_of("seizures", column)
    fig = go.Figure()
    labels = {
        int(r.fiscal_year): _fy_label(int(r.fiscal_year), bool(r.partial_year), int(r.months))
        for r in rows.drop_duplicates("fiscal_year").itertuples()
    }
    for i, (drug, part) in enumerate(rows.groupby("drug", sort=False)):
        color = display.drug_color(drug, i)
        # A year to date is its own trace, pale and labelled, so the legend says what the paleness means.
        for partial, years in part.groupby(part["partial_year"].astype(bool), sort=True):
            fig.add_trace(
                go.Bar(
                    x=[labels[int(y)] for y in years["fiscal_year"]],
                    y=years[column].astype("float64"),
                    name=f"{display.drug_label(drug)}, year to date" if partial else display.drug_label(drug),
                    offsetgroup=drug,
                    # Pale with an outline, and labelled: SVG fill patterns do not survive every renderer.
                    marker={"color": charts.tint(color, 0.35) if partial else color, "line": {"color": color, "width": 2}},
                    text=[f"{int(m)} mo." for m in years["months"]] if partial else None,
                    textposition="outside",
                    textfont={"size": 11, "color": "#333333"},
                    cliponaxis=False,
                    customdata=[
                        [
                            charts.esc(display.drug_label(drug)),
                            charts.esc(f"FY{int(r.fiscal_year)}"),
                            charts.esc(
                                f"to date: {int(r.months)} months (October to "
                                f"{periods.fiscal_month_name(int(r.months))}), not a whole year"
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
        charts.claim_traces(fig, claims, x, claims[f"claimed_{unit}"], offsetgroup=str(claims["substance"].iloc[0]))
    fig.update_layout(barmode="group", scattermode="group", bargap=0.25)
    fig.update_yaxes(title_text=f"{display.unit_label(declared).capitalize()} seized", rangemode="tozero")
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
    return charts.finish(
        fig,
        title=f"Drugs seized by CBP per fiscal year, {scope}",
        subtitle=f"Fiscal years (FY) run October to September; unit: {declared} ({display.unit_label(declared)}).",
        citations=[citation],
        notes=notes,
        below_axis=50,
    )


def seizures_month_chart(rows: pd.DataFrame, citation: Citation, *, unit: str, scope: str) -> go.Figure:
    """Quantity seized per month by drug; the months of CBP's year to date shaded.

    rows: drugstats.dashboard.seizures_month_rows.
    """
    column = f"seized_{unit}"
    declared = charts.unit_of("seizures", column)
    fig = go.Figure()
    for i, (drug, part) in enumerate(rows.groupby("drug", sort=False)):
        fig.add_trace(
            go.Scatter(
                x=part["month"],
                y=part[column].astype("float64"),
                mode="lines",
                name=display.drug_label(drug),
                line={"color": display.drug_color(drug, i), "width": 2},
                customdata=[
                    [charts.esc(display.drug_label(drug)), f"{int(e):,}", f"FY{int(fy)}"]
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
        charts.band(fig, partial.min() - pd.Timedelta(days=15), partial.max() + pd.Timedelta(days=15), "FY to date", 0.3)
    fig.update_yaxes(title_text=f"{display.unit_label(declared).capitalize()} seized per month", rangemode="tozero")
    fig.update_xaxes(hoverformat="%B %Y")
    return charts.finish(
        fig,
        title=f"Drugs seized by CBP per month, {scope}",
        subtitle=f"Calendar months; unit: {declared} ({display.unit_label(declared)}).",
        citations=[citation],
    )


def seizures_ytd_chart(rows: pd.DataFrame, claims: pd.DataFrame, citation: Citation, *, unit: str, scope: str) -> go.Figure:
    """Running total from October of each fiscal year, so a year to date compares with the same months before.

    rows: drugstats.dashboard.seizures_ytd_rows; claims: seizure_claim_markers with a chart, for the same drug.
    """
    column = f"cumulative_seized_{unit}"
    declared = charts.unit_of("seizures", f"seized_{unit}")
    drug = str(rows["drug"].iloc[0]) if len(rows) else ""
    years = sorted(rows["fiscal_year"].unique())
    full = [y for y in years if not rows.loc[rows["fiscal_year"] == y, "partial_year"].any()]
    highlight = {}
    if full:
        highlight[full[-1]] = display.OKABE_ITO["blue"]
    if len(full) > 1:
        highlight[full[-2]] = display.OKABE_ITO["sky_blue"]
    fig = go.Figure()
    for year in years:
        part = rows[rows["fiscal_year"] == year]
        partial = bool(part["partial_year"].any())
        color = display.OKABE_ITO["vermillion"] if partial else highlight.get(year, "#BBBBBB")
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
                customdata=[[charts.esc(name), charts.esc(f"{m:%B %Y}")] for m in part["month"]],
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b><br>October to %{{customdata[1]}}: %{{y:,.0f}} {declared}<extra></extra>"
                ),
            )
        )
    if len(claims):
        charts.claim_traces(fig, claims, claims["month_of_fy"].astype(int), claims[f"claimed_{unit}"])
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
            font={"size": 10, "color": display.OKABE_ITO["vermillion"] if partial else highlight.get(year, "#777777")},
        )
    # Every other month: twelve names do not fit across a phone without turning sideways.
    fig.update_xaxes(
        tickmode="array",
        tickvals=list(range(1, 13, 2)),
        ticktext=list(periods.FISCAL_MONTHS[::2]),
        range=[0.7, 12.3],
        tickangle=0,
    )
    fig.update_yaxes(title_text=f"{display.unit_label(declared).capitalize()} seized since October", rangemode="tozero")
    return charts.finish(
        fig,
        title=f"{display.drug_label(drug)} seized by CBP, fiscal year to date, {scope}",
        subtitle=f"Running total from October of each fiscal year; unit: {declared} ({display.unit_label(declared)}).",
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
