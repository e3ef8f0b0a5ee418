"""One 12-month window of CDC's provisional overdose deaths across the releases held: how the count grew as late death
certificates arrived, with the claims about it at the day they were made."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from drugstats import display
from drugstats.official import periods, queries, series
from drugstats.publish import charts, cite
from drugstats.verdicts.pipeline import Build


def window_label(end: str | date | pd.Timestamp) -> str:
    return f"12 months ending {pd.Timestamp(end):%B %Y}"


def rows(build: Build, place: str, substance: str, end: str | date | pd.Timestamp) -> pd.DataFrame:
    """The window's count in every release that has it, oldest first, with each release as readers see it."""
    found = queries.window_across_releases(build.official.overdose_deaths, place, substance, end)
    meta = build.official.datasets[series.CDC_VSRR]
    return found.assign(release_name=[meta.release_name(r.date().isoformat()) for r in found["release"]])


def chart(
    found: pd.DataFrame,
    citation: cite.Citation,
    place: str,
    substance: str,
    *,
    claims: pd.DataFrame | None = None,
    height: int = charts.HEIGHT,
) -> go.Figure:
    """The count of one window in each release (filled: a release CDC dated; open: a date we estimated), and claims
    about the window as markers at the day they were said (claims: claims_on_window)."""
    fig = go.Figure()
    x, y = found["release"], found["deaths_reported"].astype("float64")
    fig.add_trace(go.Scatter(x=x, y=y, mode="lines", line={"color": "#999999", "width": 1.5}, hoverinfo="skip", showlegend=False))
    color = display.substance_color(substance, 0)
    for estimated, part in found.groupby(found["release_name"].str.endswith("(estimated)"), sort=True):
        fig.add_trace(
            go.Scatter(
                x=part["release"],
                y=part["deaths_reported"].astype("float64"),
                mode="markers",
                name="release, date estimated" if estimated else "release, dated by CDC",
                marker={"size": 10, "color": "white" if estimated else color, "line": {"width": 2, "color": color}},
                customdata=[[charts.esc(n)] for n in part["release_name"]],
                hovertemplate="Release of %{customdata[0]}<br>Reported: %{y:,.0f} deaths<extra></extra>",
            )
        )
    if claims is not None and len(claims):
        charts.claim_traces(fig, claims, claims["claimed_on"], claims["value_canonical"].astype("float64"))
    fig.update_yaxes(title_text="Deaths reported", rangemode="normal", tickformat=",")
    fig.update_xaxes(title_text="CDC release", hoverformat="%B %Y")
    end = found["period_end"].iloc[0] if len(found) else None
    first, last = (int(found["deaths_reported"].iloc[i]) for i in (0, -1)) if len(found) else (0, 0)
    change = (
        f" {first:,} in the release of {found['release_name'].iloc[0]}, {last:,} in the newest ({last - first:+,})."
        if len(found) > 1
        else ""
    )
    label = display.substance_label(substance)  # "Fentanyl (synthetic opioids, T40.4)": only its first letter lowered
    what = "Drug overdose deaths" if substance == "all_drugs" else f"Deaths involving {label[:1].lower()}{label[1:]}"
    return charts.finish(
        fig,
        title=f"{what}, {display.place_name(place)}, " + (window_label(end) if end is not None else "no window"),
        subtitle="The same 12 months as counted in each CDC release held: provisional counts rise as late death "
        "certificates arrive." + change,
        citations=[citation],
        notes=["Open markers: the release date is our estimate (see the data's metadata). Claims: at the day they were made."],
        height=height,
        below_axis=68,  # the x axis title, then a line of space before the source (as potency and overview)
    )


def claims_on_window(build: Build, place: str, substance: str, end: pd.Timestamp) -> pd.DataFrame:
    """Dated death-count claims about exactly this window, place and substance, with their verdicts."""
    claims = build.claims.merge(build.verdicts[["id", "verdict"]], on="id", how="left")
    end = pd.Timestamp(end) + pd.offsets.MonthEnd(0)
    start = end + pd.Timedelta(days=1) - pd.DateOffset(months=12)
    keep = (
        (claims["metric"] == "overdose_deaths")
        & (claims["geography"].map(periods.jurisdiction) == place)
        & (claims["substance"] == substance)
        & (claims["period_start"] == start)
        & (claims["period_end"] == end)
        & claims["claimed_on"].notna()
    )
    return claims[keep].sort_values(["claimed_on", "id"]).reset_index(drop=True)


def figure(
    build: Build, place: str, substance: str, end: str | date | pd.Timestamp, page: str, *, height: int = charts.HEIGHT
) -> charts.Figure | None:
    """The window across releases, as a page shows it; None when fewer than two releases count it."""
    found = rows(build, place, substance, end)
    if len(found) < 2:
        return None
    claims = claims_on_window(build, place, substance, pd.Timestamp(end))
    citation = cite.dataset_citation(build.official.datasets[series.CDC_VSRR], found["release"])
    fig = chart(found, citation, place, substance, claims=claims, height=height)
    name = f"revisions-{place.lower()}-{substance.replace('_', '-')}-{pd.Timestamp(end):%Y-%m}"
    return charts.figure(build, name, fig, found, [citation], page, claims=claims)
