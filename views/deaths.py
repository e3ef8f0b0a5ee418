"""Overdose deaths: CDC's 12-month-ending provisional counts by drug and jurisdiction, with the claims about them."""

from __future__ import annotations

import streamlit as st

from drugstats import display, queries
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
if place != "US":
    st.caption("By state, CDC's file here has only synthetic opioids other than methadone (T40.4); other drugs are US only.")

view = deaths_page.DeathsView(place=place, substance=tuple(substances), counts=tuple(counts), scale=scale)
_ui.sync_query(view.query())

if not substances or not counts:
    st.info("Pick at least one drug and one kind of count to draw the chart.")
    st.stop()

figure = _ui.derived(deaths_page.figure, build, view)
claims = figure.claims
_ui.show_figure(figure)
_ui.source_line(figure.sources[0])

if len(claims):
    st.subheader(f"Claims drawn on the chart ({len(claims)})")
    table = claims.assign(
        verdict=_ui.verdict_cells(claims["verdict"]),
        claimed_on=claims["claimed_on"].dt.strftime("%Y-%m-%d").fillna(""),  # blank, not "None", where undated
        detail="claims?claim=" + claims["id"],
    )[["verdict", "quote", "claimant", "claimed_on", "value", "unit", "qualifier", "period_end", "detail"]]
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            **_ui.CLAIM_COLUMNS,
            "value": st.column_config.NumberColumn(format="localized"),
            "claimed_on": st.column_config.TextColumn("Claimed on"),
            "period_end": st.column_config.DateColumn("Period ends", format="YYYY-MM-DD"),
        },
    )

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
