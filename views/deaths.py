"""Overdose deaths: CDC's 12-month-ending provisional counts by drug and jurisdiction, with the claims about them."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from drugstats import display
from drugstats.official import queries, series
from drugstats.pages import deaths as deaths_page
from views import _ui

build = _ui.build()
deaths = build.official.overdose_deaths
url = deaths_page.parse_deaths(_ui.params(), deaths)

st.title("Overdose deaths")
st.markdown(
    "Drug overdose deaths in the **12 months ending** each month, as CDC's National Center for Health Statistics "
    "publishes them in its Vital Statistics Rapid Release. The counts are provisional and revised every month; the "
    "latest months are incomplete. Claims about death counts are drawn as markers at the end of their period."
)

places = _ui.derived(deaths_page.death_places, deaths)
_ui.init_state("deaths.place", url.place)
_ui.init_state("deaths.substance", list(url.substance))
_ui.init_state("deaths.counts", list(url.counts))
_ui.init_state("deaths.scale", url.scale)
_ui.init_state("deaths.release", url.release)
_ui.init_state("deaths.per", url.per)
meta = build.official.datasets[series.CDC_VSRR]


def _place_changed() -> None:
    # Only fentanyl (T40.4) has counts by state: keep what the new place has, else its default.
    available = deaths_page.death_substances(deaths, st.session_state["deaths.place"])
    kept = [s for s in st.session_state["deaths.substance"] if s in available]
    st.session_state["deaths.substance"] = (
        kept or [s for s in deaths_page.DEATHS_DEFAULTS["substance"] if s in available] or available[:1]
    )


left, middle, right = st.columns([2, 4, 2])
place = left.selectbox("Place", places, format_func=display.place_name, key="deaths.place", on_change=_place_changed)
available = deaths_page.death_substances(deaths, place)
if any(s not in available for s in st.session_state["deaths.substance"]):
    _place_changed()
substances = middle.multiselect(
    "Drugs involved", available, format_func=display.substance_label, key="deaths.substance", placeholder="Pick a drug"
)
with right:
    counts = st.pills(
        "Counts", queries.DEATH_COUNTS, selection_mode="multi", wrap=True, key="deaths.counts", format_func=str.capitalize
    )
    scale = st.segmented_control("Scale", deaths_page.SCALES, key="deaths.scale", format_func=str.capitalize) or "linear"
    per = (
        st.segmented_control(
            "Show",
            deaths_page.PERS,
            key="deaths.per",
            format_func=lambda p: "Deaths" if p == "deaths" else "Per 100,000 (crude)",
            help="Crude rates divide CDC's counts by the Census Bureau's population estimates. CDC and NCHS publish "
            "age-adjusted rates, which weight ages to a standard population and differ from crude ones.",
        )
        or "deaths"
    )
release = st.selectbox(
    "Release",
    _ui.derived(deaths_page.release_choices, deaths),
    key="deaths.release",
    format_func=lambda r: (
        "The newest count of each month" if r == deaths_page.NEWEST else f"As published in the release of {meta.release_name(r)}"
    ),
    help="CDC publishes a new release every month and revises earlier months as late death certificates arrive. "
    "Pick a release to see the counts as they stood then. Older release dates are estimated (see Sources).",
)
if per == "100k" and place == "NY":
    st.caption("CDC's New York leaves out New York City; the Census Bureau's New York includes it, so no rate is drawn.")
if place != "US" and release == deaths_page.NEWEST:
    st.caption(
        "By state, the newest releases held here have only synthetic opioids other than methadone (T40.4); the "
        "releases of 2017-2019 have every drug by state."
    )

view = deaths_page.DeathsView(
    place=place,
    substance=tuple(substances),
    counts=tuple(counts),
    scale=scale,
    release=release,
    per=per,
    window=url.window,
    wdrug=url.wdrug if url.wdrug in substances else "",
)
_ui.sync_query(view.query())

if not substances or not counts:
    st.info("Pick at least one drug and one kind of count to draw the chart.")
    st.stop()

figure = _ui.derived(deaths_page.figure, build, view)
claims = figure.claims
if figure.rows.empty:
    st.info(
        f"The release of {meta.release_name(release)} has no counts for "
        f"{', '.join(display.substance_label(s) for s in substances)} in {display.place_name(place)}."
    )
else:
    _ui.show_figure(figure)
    _ui.source_line(figure.sources[0])

if len(claims):
    st.subheader(f"Claims drawn on the chart ({len(claims)})")
    table = claims.assign(
        verdict=_ui.verdict_cells(claims["verdict"]),
        claimed_on=claims["claimed_on"].dt.strftime("%Y-%m-%d").fillna(""),  # blank, not "None", where undated
        detail="claims?claim=" + claims["id"],
    )[["verdict", "quote", "claimant", "claimed_on", "value", "unit", "qualifier", "period_end", "detail"]]
    _ui.table(
        table,
        hide_index=True,
        column_config={
            **_ui.CLAIM_COLUMNS,
            "value": st.column_config.NumberColumn(format="localized"),
            "claimed_on": st.column_config.TextColumn("Claimed on"),
            "period_end": st.column_config.DateColumn("Period ends", format="YYYY-MM-DD"),
        },
    )

st.subheader("One window across releases")
st.markdown(
    "The same 12 months as each CDC release counted them: provisional counts rise for months as late death "
    "certificates arrive, so a figure quoted at the time can differ from today's and still have been right then."
)
left, right = st.columns(2)
wdrug = left.selectbox(
    "Drug", substances, index=substances.index(deaths_page.revision_drug(view)), format_func=display.substance_label
)
windows = _ui.derived(deaths_page.revised_windows, deaths, place, wdrug)
view = replace(view, wdrug="" if wdrug == substances[0] else wdrug)
if not windows:
    st.info(
        f"No 12-month window of {display.substance_label(wdrug)} in {display.place_name(place)} is counted by two releases held."
    )
else:
    window = right.selectbox(
        "12 months ending",
        list(windows),
        index=list(windows).index(deaths_page.revision_window(deaths, view)),
        format_func=lambda w: f"{pd.Timestamp(w):%B %Y} ({windows[w]} releases)",
    )
    view = replace(view, window="" if window == next(iter(windows)) else window)
    revised = _ui.derived(deaths_page.revisions_figure, build, view)
    if revised is not None:
        _ui.show_figure(revised)
        _ui.source_line(revised.sources[0])
_ui.sync_query(view.query())

with st.expander("How to read these counts"):
    st.markdown(
        "- **12 months ending**: each point is the total for the 12 months ending that month, so a point for "
        "January 2023 covers February 2022 to January 2023. December points are calendar years.\n"
        "- **Reported** is the count CDC has received; **predicted** adjusts it for deaths still being investigated. "
        "Both are provisional: final counts (published by NCHS a year or more later) differ slightly.\n"
        "- **Drugs involved**: a death can involve several drugs, so the lines by drug overlap and do not add up to "
        'the total. "Fentanyl" is CDC\'s *synthetic opioids other than methadone* (ICD-10 T40.4), mostly illicit '
        'fentanyl; "meth" is *psychostimulants with abuse potential* (T43.6).\n'
        "- Each line comes from the newest release that has it; the release of every point is in its hover and "
        "in the table."
    )
