"""One claim over the official series it was checked against: the rows, the chart and the figure."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from drugstats import display, vocab
from drugstats.official import cbp_places, periods, queries, series, vsrr_county
from drugstats.publish import charts, cite
from drugstats.publish.cite import Citation
from drugstats.verdicts import checks
from drugstats.verdicts.pipeline import Build


@dataclass(frozen=True)
class ClaimPlot:
    """What the detail chart of a claim draws: its kind, the official rows, and the claim's value in their unit."""

    kind: str  # deaths | share | seizures | seizure_change | reference | statement (an agency's published figure)
    rows: pd.DataFrame
    claimed: float
    unit: str
    window: tuple[pd.Timestamp, pd.Timestamp] | None
    citation: Citation
    final: checks.Measure | None = None  # a final count the claim was checked against: a point of its own, never on the line
    also_cited: tuple[Citation, ...] = ()


Window = tuple[pd.Timestamp, pd.Timestamp]


def _deaths_plot(claim: Mapping[str, Any], verdict: checks.Verdict, official: series.Series, window: Window | None):
    if window is None or verdict.measure.series == vsrr_county.DATASET:
        return None  # a county's count is never drawn over its state's series
    substances = [claim["substance"]]
    alt = verdict.alternative.substance if verdict.alternative is not None else None
    if alt and alt not in substances:
        substances.append(alt)
    place = periods.jurisdiction(claim.get("geography"))
    rows = _around(queries.deaths_rows(official.overdose_deaths, place, substances, ("reported",)), "period_end", window, years=3)
    citation = cite.dataset_citation(official.datasets.get(series.CDC_VSRR), rows["release"])
    m = verdict.measure
    if m.series != series.CDC_VSRR and m.unit == "deaths":  # checked against a final count
        final_cited = _final_citation(m, official)
        return ClaimPlot("deaths_final", rows, float(claim["value_canonical"]), "deaths", window, citation, m, (final_cited,))
    return ClaimPlot("deaths", rows, float(claim["value_canonical"]), "deaths", window, citation)


def _final_citation(m: checks.Measure, official: series.Series) -> Citation:
    """A final count's citation: its NCHS table, or the document that published it (a reference value)."""
    if m.series != series.FIGURES and m.series in official.datasets:
        return cite.dataset_citation(official.datasets[m.series])
    ref = official.reference_values
    match = ref[(ref["metric"] == "overdose_deaths") & (ref["substance"] == m.substance) & (ref["value"] == m.value)]
    return cite.reference_citation(match.iloc[0]) if not match.empty else Citation("NCHS", m.citation, m.release, None)


def _share_plot(claim: Mapping[str, Any], verdict: checks.Verdict, official: series.Series, window: Window | None):
    if window is None:
        return None
    place = periods.jurisdiction(claim.get("geography"))
    rows = _around(queries.share_rows(official.overdose_deaths, place, claim["substance"]), "period_end", window, years=3)
    citation = cite.dataset_citation(official.datasets.get(series.CDC_VSRR), rows["release"])
    return ClaimPlot("share", rows, float(claim["value_canonical"]), "percent", window, citation)


def _place_filters(claim: Mapping[str, Any], official: series.Series) -> dict[str, Any] | None:
    """The filters of the rows a seizure claim was checked against (its CBP area, or the nation); None for none."""
    area, geography = claim.get("cbp_area"), claim.get("geography")
    place = cbp_places.resolve(
        official.seizures,
        area if isinstance(area, str) else None,
        geography if isinstance(geography, str) else None,
        official.cbp_states,
    )
    return None if isinstance(place, str) else dict(cbp_places.filters(place))


def _seizures_plot(claim: Mapping[str, Any], verdict: checks.Verdict, official: series.Series, window: Window | None):
    filters = _place_filters(claim, official)
    if window is None or filters is None:
        return None
    rows = window_seizure_rows(official.seizures, claim["substance"], window, **filters)
    claimed_lb = vocab.convert_mass(float(claim["value"]), claim["unit"], "lb")
    return ClaimPlot(
        "seizures", rows, claimed_lb, "lb", window, cite.dataset_citation(official.datasets.get(series.CBP_SEIZURES))
    )


def _change_plot(claim: Mapping[str, Any], verdict: checks.Verdict, official: series.Series, window: Window | None):
    filters = _place_filters(claim, official)
    if window is None or pd.isna(claim.get("compared_to_start")) or filters is None:
        return None
    before = (pd.Timestamp(claim["compared_to_start"]), pd.Timestamp(claim["compared_to_end"]))
    rows = change_rows(official.seizures, claim["substance"], before, window, **filters)
    citation = cite.dataset_citation(official.datasets.get(series.CBP_SEIZURES))
    return ClaimPlot("seizure_change", rows, float(claim["value"]), "lb", window, citation)


def _reference_plot(claim: Mapping[str, Any], verdict: checks.Verdict, official: series.Series, window: Window | None):
    m = verdict.measure
    if m.kind not in ("reference", "derived", "statement"):  # statement: an agency's published figure (verdicts.agency)
        return None
    claimed = float(claim["value_canonical"])
    if m.unit == "lb" and claim["unit"] in vocab.MG_PER_UNIT:  # the DEA states powder in pounds, claims are kept in kg
        claimed = vocab.convert_mass(float(claim["value"]), claim["unit"], "lb")
    rows = pd.DataFrame(
        {
            "what": ["The claim", "Official"],
            "value": [claimed, float(m.value)],
            "unit": [m.unit, m.unit],
            "label": [str(claim["quote"]), m.label],
            "derivation": ["", verdict.derivation],
        }
    )
    ref = official.reference_values
    metric = claim["metric"]
    match = ref[
        (ref["metric"] == ("lethal_dose" if metric == "deaths_per_mass" else metric)) & (ref["substance"] == claim["substance"])
    ]
    citation = cite.reference_citation(match.iloc[0]) if not match.empty else cite.Citation("", m.citation, m.release, None)
    if m.kind == "statement":  # the DEA's own figure: cite its words, where and when it was published
        said = official.agency_figures
        said = said[(said["value"] == m.value) & (said["unit"] == m.unit) & (said["published"] == m.release)]
        citation = cite.agency_citation(said.iloc[0]) if len(said) else cite.Citation("DEA", m.citation, m.release, None)
    return ClaimPlot("statement" if m.kind == "statement" else "reference", rows, claimed, m.unit, None, citation)


# metric -> what a claim of it is drawn over (each returns None when there is nothing to draw)
PLOTTERS = {
    "overdose_deaths": _deaths_plot,
    "death_share": _share_plot,
    "drug_seized": _seizures_plot,
    "seizure_change": _change_plot,
    "lethal_dose": _reference_plot,
    "potency_ratio": _reference_plot,
    "pill_content": _reference_plot,
    "deaths_per_mass": _reference_plot,
    "lethal_pill_share": _reference_plot,
}


def claim_plot(claim: Mapping[str, Any], verdict: checks.Verdict, official: series.Series) -> ClaimPlot | None:
    """The official rows a claim is drawn over, or None when there is nothing to draw it against."""
    plotter = PLOTTERS.get(claim["metric"])
    if verdict.measure is None or plotter is None:
        return None
    if verdict.measure.kind == "statement":  # a DEA figure against the DEA's word: the two numbers, not CBP's rows
        plotter = _reference_plot
    start, end = claim.get("period_start"), claim.get("period_end")
    window = (pd.Timestamp(start), pd.Timestamp(end)) if pd.notna(start) and pd.notna(end) else None
    return plotter(claim, verdict, official, window)


def _around(rows: pd.DataFrame, column: str, window: tuple[pd.Timestamp, pd.Timestamp], years: int) -> pd.DataFrame:
    lo = window[0] - pd.DateOffset(years=years)
    hi = window[1] + pd.DateOffset(years=years)
    return rows[(rows[column] >= lo) & (rows[column] <= hi)].reset_index(drop=True)


def window_seizure_rows(
    seizures: pd.DataFrame, drug: str, window: tuple[pd.Timestamp, pd.Timestamp], **place: Any
) -> pd.DataFrame:
    """Monthly seizures of a drug (nationwide, or in the place's rows: cbp_places.filters) a year either side of a
    window, and the running total inside it."""
    rows = (
        queries.filter_seizures(seizures, drug=drug, **place)
        .groupby("month", as_index=False)[["events", "seized_lb", "seized_kg"]]
        .sum()
    )
    start, end = periods.month_start(window[0]), periods.month_start(window[1])
    rows = rows[(rows["month"] >= start - pd.DateOffset(months=12)) & (rows["month"] <= end + pd.DateOffset(months=12))]
    rows = rows.sort_values("month").reset_index(drop=True)
    inside = (rows["month"] >= start) & (rows["month"] <= end)
    rows["in_window"] = inside
    rows["window_total_lb"] = rows["seized_lb"].where(inside).cumsum().where(inside)
    rows.insert(1, "drug", drug)
    return rows


def change_rows(
    seizures: pd.DataFrame,
    drug: str,
    before: tuple[pd.Timestamp, pd.Timestamp],
    after: tuple[pd.Timestamp, pd.Timestamp],
    **place: Any,
) -> pd.DataFrame:
    """The totals of a seizure-change claim's two periods, nationwide or in the place's rows (cbp_places.filters)."""
    out = []
    for name, (lo, hi) in (("earlier period", before), ("later period", after)):
        total = queries.seizures_in_months(seizures, lo, hi, drug=drug, **place)
        out.append(
            {
                "period": name,
                "window": checks.describe_window(lo.date(), hi.date()),
                "drug": drug,
                "seized_lb": total["seized_lb"],
                "seized_kg": total["seized_kg"],
                "events": total["events"],
            }
        )
    return pd.DataFrame(out)


def _draw_deaths(fig: go.Figure, plot: ClaimPlot, claim: pd.Series, marker: pd.DataFrame) -> str:
    unit = charts.unit_of("overdose_deaths", "deaths_reported")
    for i, (substance, part) in enumerate(plot.rows.groupby("substance", sort=False)):
        label = display.substance_label(substance)
        fig.add_trace(
            go.Scatter(
                x=part["period_end"],
                y=part["deaths_reported"].astype("float64"),
                mode="lines",
                name=f"{label}, reported",
                line={"color": display.substance_color(substance, i), "width": 2.5},
                customdata=[[charts.esc(label), charts.esc(f"{r:%Y-%m-%d}")] for r in part["release"]],
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b><br>12 months ending %{{x|%B %Y}}: %{{y:,.0f}} {unit}"
                    "<br>CDC release of %{customdata[1]}<extra></extra>"
                ),
            )
        )
    charts.shade_window(fig, plot.window)
    charts.claim_traces(fig, marker, [plot.window[1]], [plot.claimed])
    fig.update_yaxes(title_text=f"{display.unit_label(unit).capitalize()} in 12 months", rangemode="tozero")
    return f"12-month-ending provisional counts; unit: {unit}. Shaded: the claim's period; marker: the claim."


def _draw_deaths_final(fig: go.Figure, plot: ClaimPlot, claim: pd.Series, marker: pd.DataFrame) -> str:
    """The provisional counts as lines, and the final count of the claim's calendar year as a point apart: two series,
    never joined."""
    _draw_deaths(fig, plot, claim, marker)
    unit = charts.unit_of("overdose_deaths", "deaths_reported")
    final = plot.final
    fig.add_trace(
        go.Scatter(
            x=[plot.window[1]],
            y=[final.value],
            mode="markers",
            name=f"NCHS final count, {final.window}",
            marker={"symbol": "diamond", "size": 12, "color": display.OKABE_ITO["black"]},
            hovertemplate=f"NCHS final count, {charts.esc(final.window)}: %{{y:,.0f}} {unit}<extra></extra>",
        )
    )
    return (
        f"Lines: CDC's 12-month-ending provisional counts; diamond: NCHS's final count of the calendar year, a series "
        f"apart (the claim is checked against it); unit: {unit}. Shaded: the claim's period; marker: the claim."
    )


def _draw_share(fig: go.Figure, plot: ClaimPlot, claim: pd.Series, marker: pd.DataFrame) -> str:
    fig.add_trace(
        go.Scatter(
            x=plot.rows["period_end"],
            y=plot.rows["share_percent"],
            mode="lines",
            name=f"{display.substance_label(str(claim['substance']))}, share of all drug deaths",
            line={"color": display.substance_color(str(claim["substance"])), "width": 2.5},
            hovertemplate="12 months ending %{x|%B %Y}: %{y:.1f}%<extra></extra>",
        )
    )
    charts.shade_window(fig, plot.window)
    charts.claim_traces(fig, marker, [plot.window[1]], [plot.claimed])
    fig.update_yaxes(title_text="Percent of all drug overdose deaths", rangemode="tozero", tickformat=".0f", ticksuffix="%")
    return "Both counts from the same CDC release; unit: percent. Shaded: the claim's period; marker: the claim."


def _draw_seizures(fig: go.Figure, plot: ClaimPlot, claim: pd.Series, marker: pd.DataFrame) -> str:
    declared = charts.unit_of("seizures", "seized_lb")
    rows = plot.rows
    color = display.DRUG_COLORS.get(str(claim["substance"]), display.GREY)
    fig.add_trace(
        go.Bar(
            x=rows["month"],
            y=rows["seized_lb"],
            name="Seized per month",
            marker={"color": [color if w else display.LIGHT_GREY for w in rows["in_window"]]},
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
            line={"color": display.OKABE_ITO["black"], "width": 2},
            hovertemplate=f"Total to %{{x|%B %Y}}: %{{y:,.0f}} {declared}<extra></extra>",
        )
    )
    charts.shade_window(fig, (plot.window[0] - pd.Timedelta(days=15), plot.window[1] - pd.Timedelta(days=14)))
    last_month = inside["month"].max() if len(inside) else plot.window[1]
    charts.claim_traces(fig, marker, [last_month], [plot.claimed])
    fig.update_yaxes(title_text=f"{display.unit_label(declared).capitalize()}", rangemode="tozero")
    fig.update_layout(barmode="overlay")
    return f"CBP {_scope(claim)}, by month and summed over the claim's period; unit: {declared}."


def _scope(claim: pd.Series) -> str:
    """Where the claim's seizures were counted, for a chart's note: "nationwide", "Tucson Field Office"."""
    area, geography = claim.get("cbp_area"), claim.get("geography")
    if isinstance(area, str) and area.strip():
        return cbp_places.area_label(area)
    if isinstance(geography, str) and geography.startswith("US-"):
        return f"areas within {display.place_name(geography.removeprefix('US-'))}"
    return "nationwide"


def _draw_change(fig: go.Figure, plot: ClaimPlot, claim: pd.Series, marker: pd.DataFrame) -> str:
    declared = charts.unit_of("seizures", "seized_lb")
    rows = plot.rows
    labels = [f"{p}<br>{charts.wrap(w, 26)}" for p, w in zip(rows["period"], rows["window"], strict=True)]
    fig.add_trace(
        go.Bar(
            x=labels,
            y=rows["seized_lb"],
            name="Seized by CBP",
            marker={"color": display.DRUG_COLORS.get(str(claim["substance"]), display.GREY)},
            hovertemplate=f"%{{y:,.0f}} {declared}<extra></extra>",
        )
    )
    implied = float(rows["seized_lb"].iloc[0]) * (1 + plot.claimed / 100)
    charts.claim_traces(fig, marker, [labels[1]], [implied])
    fig.update_yaxes(title_text=f"{display.unit_label(declared).capitalize()}", rangemode="tozero")
    return f"The marker is where the claimed change would put the later period; unit: {declared}."


def _draw_reference(fig: go.Figure, plot: ClaimPlot, claim: pd.Series, marker: pd.DataFrame) -> str:
    rows, label = plot.rows, display.unit_label(plot.unit)  # 77,000,000 pills, not 7.7e+07
    fig.add_trace(
        go.Bar(
            x=rows["what"],
            y=rows["value"],
            name="Value",
            marker={"color": [display.verdict_style(str(marker["verdict"].iloc[0])).color, display.GREY]},
            text=[f"{v:,.0f} {label}" if float(v).is_integer() else f"{v:,g} {label}" for v in rows["value"]],
            textposition="outside",
            cliponaxis=False,
            customdata=[["<br>".join(charts.esc(x) for x in textwrap.wrap(str(lbl), 60))] for lbl in rows["label"]],
            hovertemplate="%{customdata[0]}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_yaxes(title_text=display.unit_label(plot.unit).capitalize(), rangemode="tozero")
    return f"The claimed value beside the official one; unit: {display.unit_label(plot.unit)}."


def _change_axis_height(plot: ClaimPlot) -> int:
    """The seizure-change chart's x labels name each period's window over several lines."""
    labels = [charts.wrap(w, 26) for w in plot.rows["window"]]
    return 34 + 15 * max(charts.lines(x) for x in labels)


# kind -> (what the claim is drawn against, the function drawing it)
DRAWERS = {
    "deaths": ("CDC's provisional death counts", _draw_deaths),
    "deaths_final": ("NCHS's final count", _draw_deaths_final),
    "share": ("CDC's provisional death counts", _draw_share),
    "seizures": ("CBP's monthly seizures", _draw_seizures),
    "seizure_change": ("CBP's seizures in the two periods", _draw_change),
    "reference": ("the reference value", _draw_reference),
    "statement": ("the agency's published figure", _draw_reference),
}


def claim_chart(plot: ClaimPlot, claim: pd.Series, verdict: checks.Verdict, *, note: str | None = None) -> go.Figure:
    """A claim drawn over the official series it was checked against, its window shaded; note replaces the claim's citation."""
    against, draw = DRAWERS[plot.kind]
    fig = go.Figure()
    subtitle = draw(fig, plot, claim, pd.DataFrame([{**claim.to_dict(), "verdict": verdict.verdict}]))
    fig.update_xaxes(hoverformat="%B %Y")
    return charts.finish(
        fig,
        title=f"The claim against {against}: {display.verdict_label(verdict.verdict).lower()}",
        subtitle=subtitle,
        citations=[plot.citation, *plot.also_cited],
        notes=[note or _claim_source_note(claim)],
        below_axis=_change_axis_height(plot) if plot.kind == "seizure_change" else 34,
    )


def _claim_source_note(claim: pd.Series) -> str:
    said = claim.get("claimed_on")
    when = f", {pd.Timestamp(said).date().isoformat()}" if pd.notna(said) else ""
    where = cite.published_in(claim.get("source_publisher"), claim.get("source_title")) or claim.get("source_url")
    return f"Claim: {claim['claimant']}{when}, in {where}."


def claim(build: Build, claim_id: str) -> charts.Figure | None:
    """A shipped claim: one claim over the official series it was checked against; None when there is nothing to draw."""
    row = build.claims.loc[build.claims["id"] == claim_id].iloc[0]
    verdict = build.verdict_by_id[claim_id]
    plot = claim_plot(row, verdict, build.official)
    if plot is None:
        return None
    fig = claim_chart(plot, row, verdict)
    page = charts.page("claims", {"claim": claim_id})
    cited = [plot.citation, *plot.also_cited]
    return charts.figure(build, f"claim-{claim_id}", fig, plot.rows, cited, page, subject=f"claim {claim_id}")


def checked(build: Build, row: pd.Series, verdict: checks.Verdict, page: str) -> charts.Figure | None:
    """A figure that is not a shipped claim (a reader's, one drafted from an article) over its official series.

    page: the dashboard address that shows it, such as "check?value=105000".
    """
    plot = claim_plot(row, verdict, build.official)
    if plot is None:
        return None
    fig = claim_chart(plot, row, verdict, note="Claim: the figure entered on this page.")
    cited = [plot.citation, *plot.also_cited]
    return charts.figure(build, "checked-figure", fig, plot.rows, cited, page, subject="a reader's figure")
