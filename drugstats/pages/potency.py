"""Potency and lethal dose page: the DEA's reference values and the arithmetic of doses, every step cited."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from drugstats import display, vocab
from drugstats.claims import query
from drugstats.publish import charts, cite
from drugstats.publish.cite import Citation
from drugstats.verdicts.pipeline import Build


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


def about(n: float, digits: int = 2) -> str:
    """A count rounded to `digits` significant figures, millions and billions in words: "about 2.7 billion"."""
    if n <= 0 or not math.isfinite(n):
        return f"{n:,g}"
    rounded = float(f"{n:.{digits}g}")
    for scale, word in ((1e9, "billion"), (1e6, "million")):
        if rounded >= scale:
            return f"{rounded / scale:,.{max(0, digits - len(str(int(rounded // scale))))}f} {word}"
    return f"{rounded:,.{max(0, digits - 1 - math.floor(math.log10(rounded)))}f}"


def dose_arithmetic(weight: float, unit: str, dose_mg: float, dose_source: str) -> tuple[float, list[Step]]:
    """Potentially lethal doses in a weight of powder, every step cited; (doses, steps).

    The result is exact arithmetic, but it is written to two significant figures ("about 2.7 billion"): a dose of
    "2 mg" is itself a round figure, so more digits would claim a precision the inputs do not have.
    """
    mg_per_unit = vocab.MG_PER_UNIT[unit]
    mg = weight * mg_per_unit
    doses = mg / dose_mg
    steps = [
        Step(
            f"1 {unit} = {_exact(mg_per_unit)} mg",
            "exact by definition (1 lb = 0.45359237 kg, international yard and pound agreement of 1959)"
            if unit == "lb"
            else "exact by definition (SI)",
        ),
        Step(f"{weight:,g} {unit} \u00d7 {_exact(mg_per_unit)} mg/{unit} = {_count(mg, 3)} mg", "arithmetic"),
        Step(f"potentially lethal dose = {dose_mg:g} mg", dose_source),
        Step(
            f"{_count(mg, 3).removeprefix('about ')} mg / {dose_mg:g} mg = {_count(doses)} potentially lethal doses",
            "arithmetic",
        ),
    ]
    return doses, steps


def _exact(number: float) -> str:
    return f"{number:,.2f}".removesuffix(".00")


def _count(number: float, digits: int = 2) -> str:
    # Exact when the arithmetic gives a whole number of a few digits (1 kg / 2 mg = 500,000); else rounded, and said so.
    return f"{number:,.0f}" if number == round(number) and number < 1e7 else f"about {about(number, digits)}"


def doses_headline(doses: float) -> str:
    """The page's metric: doses to two significant figures, exact only when the arithmetic is ("500,000")."""
    return _count(doses)


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


def default_weight(years: pd.DataFrame, unit: str) -> float:
    """The weight the dose arithmetic starts at: CBP's fentanyl seizures in the latest whole fiscal year, nationwide.

    `years` is queries.seizures_by_fiscal_year for fentanyl. Whole pounds or kilograms, as the Overview and CBP's own
    tables state it (12,027 lb): CBP's file carries pounds to a millionth of a pound, a precision no weighing has.
    """
    return float(round(float(latest_full_year(years)[f"seized_{unit}"])))


def latest_full_year(years: pd.DataFrame) -> pd.Series:
    """The latest fiscal year with all twelve months (rows of queries.seizures_by_fiscal_year)."""
    return years[~years["partial_year"]].sort_values("fiscal_year").iloc[-1]


def convert_weight(weight: float, old: str, new: str, defaults: Mapping[str, float]) -> float:
    """The same quantity in another unit, as a reader would write it.

    The default weight stays the default (12,027 lb becomes 5,455 kg, CBP's own kilograms); any other weight keeps the
    significant figures it was typed with (at least three): 12,000 lb is 5,440 kg, not 5,443.108.
    """
    if math.isclose(weight, defaults[old]):
        return defaults[new]
    converted = weight * vocab.MG_PER_UNIT[old] / vocab.MG_PER_UNIT[new]
    typed = len(Decimal(repr(float(weight))).normalize().as_tuple().digits)
    return float(f"{converted:.{max(3, typed)}g}")


REFERENCE_LABELS = {
    "figure": "Figure",
    "value": "Value",
    "unit": "Unit",
    "relative_to": "Compared with",
    "publisher": "Publisher",
    "published": "Published",
    "source_title": "Read in",
    "source_url": "Source",
    "url_seen": "URL read",
    "quote": "The sentence",
    "read_at": "Where it was read",
}
"""Column headings of the reference table, by column of reference_constants."""


def reference_constants(reference: pd.DataFrame) -> pd.DataFrame:
    """The DEA's constants (lethal dose, fentanyl in a pill, relative potency) as the Potency page lists them."""
    constants = reference[reference["metric"].isin(["lethal_dose", "pill_content", "potency_ratio"])]
    shown = ["figure", "value", "unit", "relative_to", "publisher", "published", "source_title", "source_url", "url_seen"]
    table = constants[[*shown, "quote", "read_at"]].reset_index(drop=True)
    # A lethal dose is compared with nothing: an empty cell, not "None" (the CSV writes both as empty).
    text = [c for c in table.columns if c not in ("value", "url_seen")]
    table[text] = table[text].astype("object").where(table[text].notna(), "")
    return table


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
        below_axis=68,  # the x axis title, then a line of space before the source
    )


def figure(build: Build) -> charts.Figure:
    """Potency and lethal dose: potency relative to morphine, each ratio cited."""
    reference = build.official.reference_values
    rows = potency_rows(reference)
    documents = reference[reference["metric"] == "potency_ratio"].drop_duplicates("source_url")
    sources = [cite.reference_citation(row) for _, row in documents.iterrows()]
    return charts.figure(build, "relative-potency", potency_chart(rows, sources), rows, sources, "potency")
