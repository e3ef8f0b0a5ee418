"""Overdose deaths page: CDC's 12-month-ending counts by place and drug, with the claims drawn on them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from drugstats import display, vocab
from drugstats.claims import query
from drugstats.official import census, periods, queries, series
from drugstats.publish import charts, cite, revisions
from drugstats.publish.cite import Citation
from drugstats.verdicts.pipeline import Build

NEWEST = "newest"  # each window from the newest release that has it

DEATHS_DEFAULTS: dict[str, Any] = {
    "place": "US",
    "substance": ("all_drugs", "fentanyl"),
    "counts": queries.DEATH_COUNTS,
    "scale": "linear",
    "release": NEWEST,
    "per": "deaths",  # or "100k": crude rates per 100,000 residents
    "window": "",  # the window shown across releases, YYYY-MM of its last month; "" = the one most releases count
    "wdrug": "",  # its drug; "" = the first drug charted
}


SCALES = ("linear", "log")
PERS = ("deaths", "100k")


@dataclass(frozen=True)
class DeathsView:
    place: str
    substance: tuple[str, ...]
    counts: tuple[str, ...]
    scale: str
    release: str = NEWEST  # or a release held, ISO date
    per: str = "deaths"  # "100k": crude rates per 100,000 residents instead of counts
    window: str = ""
    wdrug: str = ""

    def query(self) -> dict[str, str]:
        return query.query_from(self.__dict__, DEATHS_DEFAULTS)

    @property
    def release_date(self) -> str | None:
        return None if self.release == NEWEST else self.release


# The choices below are asked on every rerun of the Deaths page: kept per frame (queries.per_frame), shared, read-only.


def death_places(deaths: pd.DataFrame) -> list[str]:
    """Jurisdictions with death counts: US first, then by name."""
    return queries.per_frame(deaths, "death_places", _death_places)


def _death_places(deaths: pd.DataFrame) -> list[str]:
    places = set(deaths["geography"].unique())
    return ["US", *sorted(places - {"US"}, key=display.place_name)] if "US" in places else sorted(places, key=display.place_name)


def death_substances(deaths: pd.DataFrame, place: str) -> list[str]:
    """Substances with counts for the place, in the vocabulary's order."""
    return queries.per_frame(deaths, ("death_substances", place), lambda frame: _death_substances(frame, place))


def _death_substances(deaths: pd.DataFrame, place: str) -> list[str]:
    have = set(deaths.loc[deaths["geography"] == place, "substance"].unique())
    return [s for s in vocab.SUBSTANCES if s in have]


def release_choices(deaths: pd.DataFrame) -> list[str]:
    """The release selector's options: the newest figure for each window, then every release held, newest first."""
    return queries.per_frame(deaths, "release_choices", lambda frame: [NEWEST, *queries.death_releases(frame)])


def revised_windows(deaths: pd.DataFrame, place: str, substance: str) -> dict[str, int]:
    """Windows (YYYY-MM of their last month) counted by two releases or more, with how many: the one most releases
    count first."""
    return queries.per_frame(
        deaths, ("revised_windows", place, substance), lambda frame: _revised_windows(frame, place, substance)
    )


def _revised_windows(deaths: pd.DataFrame, place: str, substance: str) -> dict[str, int]:
    counts = queries.revised_windows(deaths, place, substance)
    return {f"{end:%Y-%m}": int(n) for end, n in counts.items() if n >= 2}


def parse_deaths(params: Mapping[str, Any], deaths: pd.DataFrame) -> DeathsView:
    place = query.parse_choice(params.get("place"), death_places(deaths), DEATHS_DEFAULTS["place"])
    available = death_substances(deaths, place)
    default = tuple(s for s in DEATHS_DEFAULTS["substance"] if s in available) or tuple(available[:1])
    substance = query.parse_multi(params.get("substance"), available, default)
    # The window across releases and its drug stay "" when they are the defaults, so the address stays short.
    wdrug = query.parse_choice(params.get("wdrug"), substance[1:], "")
    windows = list(revised_windows(deaths, place, wdrug or (substance or ("",))[0]))
    return DeathsView(
        place=place,
        substance=substance,
        counts=query.parse_multi(params.get("counts"), queries.DEATH_COUNTS, DEATHS_DEFAULTS["counts"]),
        scale=query.parse_choice(params.get("scale"), SCALES, DEATHS_DEFAULTS["scale"]),
        release=query.parse_choice(params.get("release"), release_choices(deaths), NEWEST),
        per=query.parse_choice(params.get("per"), PERS, "deaths"),
        window=query.parse_choice(params.get("window"), windows[1:], ""),
        wdrug=wdrug,
    )


def revision_drug(view: DeathsView) -> str:
    """The drug of the window shown across releases: the one picked, else the first charted."""
    return view.wdrug or (view.substance[0] if view.substance else "")


def revision_window(deaths: pd.DataFrame, view: DeathsView) -> str:
    """The window shown across releases (YYYY-MM): the one picked, else the one most releases count; "" if none."""
    windows = list(revised_windows(deaths, view.place, revision_drug(view)))
    return view.window if view.window in windows else (windows[0] if windows else "")


def death_claim_markers(
    claims: pd.DataFrame, verdicts: pd.DataFrame, place: str, substances: Sequence[str], first: Any, last: Any
) -> pd.DataFrame:
    """Death-count claims for the place and substances whose period ends inside the charted span."""
    merged = claims.merge(verdicts[["id", "verdict", "explanation"]], on="id", how="left")
    geography = merged["geography"].map(periods.jurisdiction)
    keep = (
        (merged["metric"] == "overdose_deaths")
        & (geography == place)
        & merged["substance"].isin(substances)
        & merged["period_end"].notna()
        & (merged["period_end"] >= pd.Timestamp(first))
        & (merged["period_end"] <= pd.Timestamp(last) + pd.offsets.MonthEnd(0))
    )
    columns = ["id", "period_start", "period_end", "substance", "value", "unit", "value_canonical", "qualifier", "quote"]
    columns += ["claimant", "attributed_to", "claimed_on", "source_title", "source_url", "verdict", "explanation"]
    return merged.loc[keep, columns].sort_values(["period_end", "id"]).reset_index(drop=True)


def deaths_chart(
    rows: pd.DataFrame,
    claims: pd.DataFrame,
    citation: Citation,
    *,
    place: str = "US",
    scale: str = "linear",
    release: str | None = None,
    per_100k: bool = False,
    extra_citations: Sequence[Citation] = (),
) -> go.Figure:
    """12-month-ending overdose deaths by substance, reported (solid) and predicted (dotted), with claims as markers.

    rows: drugstats.official.queries.deaths_rows (with release_name, the release as readers see it); claims:
    death_claim_markers; release: the one release drawn, as readers see it, or None for the newest of each window.
    """
    unit = charts.unit_of("overdose_deaths", "deaths_reported")
    window = int(rows["window_months"].iloc[0]) if "window_months" in rows and len(rows) else 12
    suffix = "_per_100k" if per_100k else ""
    fig = go.Figure()
    counts = [c for c in ("reported", "predicted") if f"deaths_{c}" in rows]
    for i, (substance, part) in enumerate(rows.groupby("substance", sort=False)):
        color = display.substance_color(substance, i)
        for count in counts:
            column = f"deaths_{count}{suffix}"
            value_line = (
                f"{count.capitalize()}: %{{y:,.1f}} per 100,000 (crude)<br>"
                if per_100k
                else f"{count.capitalize()}: %{{y:,.0f}} {unit}<br>"
            )
            custom = [
                [
                    charts.esc(display.substance_label(substance)),
                    charts.esc(f"{r.period_end:%B %Y}"),
                    charts.esc(r.flag),
                    charts.esc(r.release_name if "release_name" in rows else f"{r.release:%Y-%m-%d}"),
                    charts.esc(r.indicator),
                ]
                for r in part.itertuples()
            ]
            fig.add_trace(
                go.Scatter(
                    x=part["period_end"],
                    y=part[column].astype("float64"),
                    mode="lines",
                    name=f"{display.substance_label(substance)}, {count}",
                    line={
                        "color": color,
                        "width": 2.5 if count == "reported" else 1.5,
                        "dash": "solid" if count == "reported" else "dot",
                    },
                    customdata=custom,
                    hovertemplate=(
                        "<b>%{customdata[0]}</b> (%{customdata[4]})<br>"
                        f"{window} months ending %{{customdata[1]}}<br>"
                        + value_line
                        + "%{customdata[2]}<br>CDC release of %{customdata[3]}<extra></extra>"
                    ),
                    connectgaps=False,
                )
            )
    flagged = rows.loc[rows["flag"].astype("string").str.contains("Underreported", na=False), "period_end"]
    for i, (first, last) in enumerate(charts.month_runs(flagged)):  # a band per run: lines of two releases flag two spans
        label = "incomplete data" if i == 0 else ""
        charts.band(fig, first - pd.Timedelta(days=15), last + pd.Timedelta(days=15), label, 0.25)
    if len(claims) and not per_100k:
        charts.claim_traces(fig, claims, claims["period_end"], claims["value_canonical"].astype("float64"))
    fig.update_yaxes(
        title_text=f"Deaths per 100,000 residents (crude), {window} months"
        if per_100k
        else f"{display.unit_label(unit).capitalize()} in {window} months",
        type="log" if scale == "log" else "linear",
        rangemode="tozero" if scale != "log" else "normal",
    )
    fig.update_xaxes(hoverformat="%B %Y")
    subtitle = (
        f"{window}-month-ending totals, provisional; unit: {unit}. Solid: reported; dotted: predicted "
        "(adjusted by CDC for reporting delays)." + (" Logarithmic scale." if scale == "log" else "")
    )
    if per_100k:
        subtitle = (
            f"Crude rates: {window}-month-ending provisional deaths per 100,000 residents (the Census Bureau's July 1 "
            "estimate of the year the window's middle falls in). CDC and NCHS publish age-adjusted rates, which differ; "
            "claims about rates are not drawn. Solid: reported; dotted: predicted."
            + (" Logarithmic scale." if scale == "log" else "")
        )
    if release is not None:
        subtitle = f"As published in the release of {release}. " + subtitle
    what = "Drug overdose death rate (crude)" if per_100k else "Drug overdose deaths"
    return charts.finish(
        fig,
        title=f"{what}, {display.place_name(place)}",
        subtitle=subtitle,
        citations=[citation, *extra_citations],
        notes=[
            " ".join(
                ["Fentanyl: CDC's synthetic opioids other than methadone (T40.4)."] * ("fentanyl" in set(rows["substance"]))
                + ["Markers: claims, at the end of their period."] * bool(len(claims))
            )
        ]
        if len(claims) or "fentanyl" in set(rows["substance"])
        else [],
    )


def figure(build: Build, view: DeathsView | None = None) -> charts.Figure:
    """Overdose deaths: CDC's 12-month-ending counts for the view's place and drugs, with the claims on them."""
    data = build.official.overdose_deaths
    view = view or parse_deaths({}, data)
    meta = build.official.datasets[series.CDC_VSRR]
    rows = queries.deaths_rows(data, view.place, view.substance, view.counts, release=view.release_date)
    rows = rows.assign(release_name=[meta.release_name(r.date().isoformat()) for r in rows["release"]])
    claims = death_claim_markers(
        build.claims, build.verdicts, view.place, view.substance, rows["period_end"].min(), rows["period_end"].max()
    )
    source = cite.dataset_citation(meta, rows["release"])
    release = meta.release_name(view.release_date) if view.release_date else None
    per_100k = view.per == "100k"
    extra = []
    if per_100k:
        rows = census.with_crude_rates(rows, build.official.population)
        if series.CENSUS in build.official.datasets:
            extra = [cite.dataset_citation(build.official.datasets[series.CENSUS])]
        claims = claims.iloc[0:0]  # claims quote age-adjusted rates or counts: neither belongs on a crude rate
    fig = deaths_chart(
        rows, claims, source, place=view.place, scale=view.scale, release=release, per_100k=per_100k, extra_citations=extra
    )
    name = f"overdose-deaths-{view.place.lower()}" + (f"-release-{view.release_date}" if view.release_date else "")
    name += "-per-100k" if per_100k else ""
    return charts.figure(build, name, fig, rows, [source, *extra], charts.page("deaths", view.query()), claims=claims)


def revisions_figure(build: Build, view: DeathsView) -> charts.Figure | None:
    """The view's window (of its place and drug) as counted in each release held; None when fewer than two count it."""
    window = revision_window(build.official.overdose_deaths, view)
    if not window:
        return None
    return revisions.figure(build, view.place, revision_drug(view), window, charts.page("deaths", view.query()))
