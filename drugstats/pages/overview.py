"""Overview page: the headline figures and the claims per verdict."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from drugstats import display
from drugstats.official import queries, series
from drugstats.pages import deaths as deaths_page
from drugstats.publish import charts, cite
from drugstats.publish.cite import Citation
from drugstats.verdicts import checks
from drugstats.verdicts.pipeline import Build


@dataclass(frozen=True)
class Headline:
    """A figure for the overview: what it is, its value, the window, a comparison, and its source."""

    label: str
    value: str
    window: str
    detail: str
    citation: Citation
    caveat: str = ""


def _us(deaths: pd.DataFrame, substance: str) -> pd.DataFrame:
    rows = queries.latest_release(deaths)
    return rows[(rows["geography"] == "US") & (rows["substance"] == substance) & rows["deaths_reported"].notna()]


def latest_deaths_headline(official: series.Series) -> Headline:
    """The latest 12-month US overdose death count and how far it is from the peak of the same series."""
    rows = _us(official.overdose_deaths, "all_drugs").sort_values("period_end")
    last = rows.iloc[-1]
    peak = rows.loc[rows["deaths_reported"].astype("float64").idxmax()]
    change = (float(last["deaths_reported"]) / float(peak["deaths_reported"]) - 1) * 100
    caveat = ""
    if "underreported" in str(last["flag"]).lower():
        caveat = (
            f"CDC flags the latest months as underreported due to incomplete data; its count adjusted for reporting "
            f"delays (predicted) is {int(last['deaths_predicted']):,}."
        )
    return Headline(
        label="US overdose deaths in 12 months",
        value=f"{int(last['deaths_reported']):,}",
        window=f"12 months ending {last['period_end']:%B %Y} (provisional, reported)",
        detail=(
            f"{change:+.1f}% from the peak of {int(peak['deaths_reported']):,} in the 12 months ending {peak['period_end']:%B %Y}"
        ),
        citation=cite.dataset_citation(official.datasets[series.CDC_VSRR], [last["release"]]),
        caveat=caveat,
    )


def fentanyl_share_headline(official: series.Series) -> Headline:
    """Share of US overdose deaths involving synthetic opioids (T40.4), both counts from one release and window."""
    newest = queries.share_rows(official.overdose_deaths, "US", "fentanyl").iloc[-1]
    share = float(newest["share_percent"])
    return Headline(
        label="Share involving fentanyl (T40.4)",
        value=f"{share:.1f}%",
        window=f"of US overdose deaths in the 12 months ending {newest['period_end']:%B %Y}",
        detail=(
            f"{int(newest['deaths_reported_substance']):,} of {int(newest['deaths_reported_all_drugs']):,} deaths involved "
            "synthetic opioids other than methadone, mostly fentanyl; "
            "a death can involve several drugs, so shares by drug do not add up to 100%"
        ),
        citation=cite.dataset_citation(official.datasets[series.CDC_VSRR], [newest["release"]]),
    )


def fentanyl_seizures_headline(official: series.Series, drug: str = "fentanyl") -> Headline:
    """CBP's nationwide seizures of a drug in the latest complete fiscal year, against the year before."""
    years = queries.seizures_by_fiscal_year(official.seizures, drug=drug)
    full = years[~years["partial_year"] & (years["months"] == 12)].sort_values("fiscal_year")
    last, before = full.iloc[-1], full.iloc[-2]
    change = (last["seized_lb"] / before["seized_lb"] - 1) * 100
    partial = years[years["partial_year"]]
    caveat = ""
    if not partial.empty:
        p = partial.iloc[-1]
        caveat = f"FY{int(p['fiscal_year'])} to date ({int(p['months'])} months): {p['seized_lb']:,.0f} lb."
    return Headline(
        label=f"{display.drug_label(drug)} seized by CBP in a year",
        value=f"{last['seized_lb']:,.0f} lb",
        window=(
            f"nationwide in FY{int(last['fiscal_year'])} (October {int(last['fiscal_year']) - 1} to September "
            f"{int(last['fiscal_year'])}), the latest complete fiscal year"
        ),
        detail=(
            f"{last['seized_kg']:,.0f} kg; {change:+.1f}% on FY{int(before['fiscal_year'])} "
            f"({before['seized_lb']:,.0f} lb); {int(last['events']):,} seizure events"
        ),
        citation=cite.dataset_citation(official.datasets[series.CBP_SEIZURES]),
        caveat=caveat,
    )


def verdict_counts(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Claims per verdict, every verdict listed (zero included), in drugstats.verdicts.checks' order."""
    counts = verdicts["verdict"].value_counts()
    return pd.DataFrame(
        {
            "verdict": list(checks.VERDICTS),
            "claims": [int(counts.get(v, 0)) for v in checks.VERDICTS],
            "meaning": [display.VERDICTS[v].meaning for v in checks.VERDICTS],
        }
    )


def verdicts_chart(counts: pd.DataFrame, citation: Citation) -> go.Figure:
    """Claims per verdict (counts: drugstats.dashboard.verdict_counts)."""
    fig = go.Figure(
        go.Bar(
            x=counts["claims"],
            y=[display.verdict_label(v) for v in counts["verdict"]],
            orientation="h",
            marker={"color": [display.verdict_style(v).color for v in counts["verdict"]]},
            text=[f"{int(n):,}" for n in counts["claims"]],
            textposition="outside",
            cliponaxis=False,
            customdata=[[charts.esc(m)] for m in counts["meaning"]],
            hovertemplate="<b>%{y}</b>: %{x:,} claims<br>%{customdata[0]}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_yaxes(autorange="reversed", tickformat="")
    fig.update_xaxes(title_text="Claims", rangemode="tozero")
    return charts.finish(
        fig,
        title="Verdicts on the claims drugstats holds",
        subtitle="Each claim checked against the official record; unit: claims.",
        citations=[citation],
        height=340,
        legend=False,
        left=112,
        below_axis=68,  # the x axis title, then a line of space before the source
    )


def verdicts(build: Build) -> charts.Figure:
    """Overview: the shipped claims per verdict."""
    shipped = build.verdicts[build.verdicts["id"].isin([c.id for c in build.dataset.claims])]
    counts = verdict_counts(shipped)
    source = cite.Citation(
        "drugstats",
        f"checks of {int(counts['claims'].sum())} claims against CDC VSRR, CBP and DEA figures",
        f"as of {build.reviewed_on}",
        None,
    )
    return charts.figure(build, "verdicts-summary", verdicts_chart(counts, source), counts, [source], "")


@dataclass(frozen=True)
class Overview:
    """Everything the Overview draws from the data, in page order: one value, so a server can make it ahead of the
    first visitor (app.py, after the build) and the page finds it made."""

    trend: charts.Figure  # the deaths line with the claims on it, as the Deaths page draws it by default
    headlines: tuple[Headline, ...]
    verdicts: charts.Figure


def page(build: Build) -> Overview:
    """The Overview's figures and headlines for a build."""
    official = build.official
    headlines = (latest_deaths_headline(official), fentanyl_share_headline(official), fentanyl_seizures_headline(official))
    return Overview(deaths_page.figure(build), headlines, verdicts(build))
