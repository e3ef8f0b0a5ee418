"""Potency and lethal dose page: the DEA's reference values and the arithmetic of doses, every step cited."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from drugstats import charts, cite, display, query, vocab
from drugstats.cite import Citation
from drugstats.pipeline import Build


def potency_rows(reference: pd.DataFrame, baseline: str = "morphine") -> pd.DataFrame:
    """Potency relative to morphine: morphine 1 by definition, each DEA ratio, and what two ratios imply.

    DEA gives fentanyl against morphine (100x) and against heroin (50x); heroin against morphine then
    follows as the first divided by the second. Every row says how it was obtained.
    """
    ratios = reference[reference["metric"] == "potency_ratio"]
    rows = [
        {
            "substance": baseline,
            "potency_vs_morphine": 1.0,
            "how": f"{display.substance_label(baseline)}: the baseline (1 by definition)",
            "reference_id": "",
            "source_title": "",
            "source_url": "",
            "published": "",
        }
    ]
    direct = ratios[ratios["relative_to"] == baseline]
    for _, r in direct.iterrows():
        rows.append(
            {
                "substance": r["substance"],
                "potency_vs_morphine": float(r["value"]),
                "how": f"{r['publisher']}: {r['figure']} = {float(r['value']):g} times",
                "reference_id": r["id"],
                "source_title": r["source_title"],
                "source_url": r["source_url"],
                "published": r["published"],
            }
        )
        for _, other in ratios[(ratios["substance"] == r["substance"]) & (ratios["relative_to"] != baseline)].iterrows():
            implied = float(r["value"]) / float(other["value"])
            rows.append(
                {
                    "substance": other["relative_to"],
                    "potency_vs_morphine": implied,
                    "how": (
                        f"implied: {float(r['value']):g} ({r['figure']}) / {float(other['value']):g} "
                        f"({other['figure']}) = {implied:g}"
                    ),
                    "reference_id": f"{r['id']}; {other['id']}",
                    "source_title": other["source_title"],
                    "source_url": other["source_url"],
                    "published": other["published"],
                }
            )
    out = pd.DataFrame(rows).drop_duplicates("substance")
    return out.sort_values("potency_vs_morphine", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Step:
    """One line of arithmetic and what it rests on."""

    text: str
    source: str


def dose_arithmetic(weight: float, unit: str, dose_mg: float, dose_source: str) -> tuple[float, list[Step]]:
    """Potentially lethal doses in a weight of powder, every step cited; (doses, steps)."""
    mg_per_unit = vocab.MG_PER_UNIT[unit]
    mg = weight * mg_per_unit
    doses = mg / dose_mg
    steps = [
        Step(
            f"1 {unit} = {mg_per_unit:,.2f} mg".replace(".00 mg", " mg"),
            "exact by definition (1 lb = 0.45359237 kg, international yard and pound agreement of 1959)"
            if unit == "lb"
            else "exact by definition (SI)",
        ),
        Step(f"{weight:,g} {unit} \u00d7 {mg_per_unit:,g} mg/{unit} = {mg:,.0f} mg", "arithmetic"),
        Step(f"potentially lethal dose = {dose_mg:g} mg", dose_source),
        Step(f"{mg:,.0f} mg / {dose_mg:g} mg = {doses:,.0f} potentially lethal doses", "arithmetic"),
    ]
    return doses, steps


DOSE_CAVEATS = (
    "Seized weight is the weight of powder or pills as seized, not of pure fentanyl: seized powder is "
    "mixed with other substances and its purity varies, so the doses it holds are fewer.",
    "A potentially lethal dose is not a death: 2 mg is the DEA's figure for an amount that can kill, "
    "which depends on body size, tolerance and other drugs taken. Seized drugs, by definition, were not used.",
    "The result is an upper bound on arithmetic, not a count of lives saved or deaths prevented.",
)


@dataclass(frozen=True)
class DoseView:
    weight: float | None  # None: the latest whole fiscal year of CBP fentanyl seizures
    unit: str

    def query(self) -> dict[str, str]:
        return query.query_from({"weight": self.weight, "unit": self.unit}, {"weight": None, "unit": "lb"})


def parse_dose(params: Mapping[str, Any]) -> DoseView:
    return DoseView(
        weight=query.parse_number(params.get("weight"), None, maximum=1e9),
        unit=query.parse_choice(params.get("unit"), vocab.MASS_UNITS, "lb"),
    )


def reference_constants(reference: pd.DataFrame) -> pd.DataFrame:
    """The DEA's constants (lethal dose, fentanyl in a pill, relative potency) as the Potency page lists them."""
    constants = reference[reference["metric"].isin(["lethal_dose", "pill_content", "potency_ratio"])]
    shown = ["figure", "value", "unit", "relative_to", "publisher", "published", "source_title", "source_url", "url_seen"]
    return constants[[*shown, "quote", "read_at"]].reset_index(drop=True)


def lethal_dose(reference: pd.DataFrame, substance: str = "fentanyl") -> pd.Series:
    """The reference row of a substance's potentially lethal dose."""
    rows = reference[(reference["metric"] == "lethal_dose") & (reference["substance"] == substance)]
    if rows.empty:
        raise LookupError(f"no lethal_dose reference value for {substance}")
    return rows.iloc[0]


def potency_chart(rows: pd.DataFrame, citations: Sequence[Citation]) -> go.Figure:
    """Potency relative to morphine on a log scale (rows: drugstats.dashboard.potency_rows)."""
    unit = "times"
    fig = go.Figure(
        go.Bar(
            x=rows["potency_vs_morphine"],
            y=[s.replace("_", " ").capitalize() for s in rows["substance"]],
            orientation="h",
            marker={
                "color": [
                    display.substance_color(s, fallback=display.GREY) if s != "morphine" else display.GREY
                    for s in rows["substance"]
                ]
            },
            text=[f"{v:,g}x" for v in rows["potency_vs_morphine"]],
            textposition="outside",
            cliponaxis=False,
            customdata=[["<br>".join(charts.esc(x) for x in textwrap.wrap(h, 60))] for h in rows["how"]],
            hovertemplate=f"<b>%{{y}}</b>: %{{x:,g}} {unit} morphine<br>%{{customdata[0]}}<extra></extra>",
            showlegend=False,
        )
    )
    top = float(rows["potency_vs_morphine"].max())
    fig.update_xaxes(
        type="log",
        title_text=f"Potency relative to morphine ({display.unit_label(unit)})",
        tickformat=",",
        dtick=1,
        range=[-0.3, math.log10(top) + 0.45],
    )
    fig.update_yaxes(tickformat="")
    return charts.finish(
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


def figure(build: Build) -> charts.Figure:
    """Potency and lethal dose: potency relative to morphine, each ratio cited."""
    reference = build.official.reference_values
    rows = potency_rows(reference)
    documents = reference[reference["metric"] == "potency_ratio"].drop_duplicates("source_url")
    sources = [cite.reference_citation(row) for _, row in documents.iterrows()]
    return charts.figure(build, "relative-potency", potency_chart(rows, sources), rows, sources, "potency")
