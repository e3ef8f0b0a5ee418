"""Overview: what drugstats is, the headline figures with their sources, and the verdicts at a glance."""

from __future__ import annotations

import streamlit as st

from drugstats.claims import safetext
from drugstats.pages import overview
from views import _ui

build = _ui.build()
_ui.sync_query({})

st.title("drugstats")
st.markdown(
    "Figures about drugs in the news, set against the official record. For each claim, drugstats shows "
    "the sentence as printed, who said it and whom it cites, the official figure it should match "
    "(CDC overdose deaths, CBP seizures, DEA reference values), and a verdict with the arithmetic behind it."
)

# The line first, as the Deaths page draws it by default (US, all drugs and fentanyl, the claims on it): where the
# numbers have been is what a reader needs before any single figure or verdict.
view = _ui.derived(overview.page, build)  # made by app.py as the server starts, so the first visitor finds it made
_ui.show_figure(view.trend)
st.page_link("views/deaths.py", label="Overdose deaths over time, by drug and state", icon=":material/show_chart:")

st.subheader("The figures as the official record now stands")
for column, headline in zip(st.columns(3), view.headlines, strict=True):
    with column.container(border=True):
        st.metric(headline.label, headline.value)
        st.markdown(f"**{safetext.escape_markdown(headline.window)}**")
        st.markdown(safetext.escape_markdown(headline.detail))
        if headline.caveat:
            st.caption(safetext.escape_markdown(headline.caveat))
        _ui.source_line(headline.citation)

st.page_link("views/seizures.py", label="CBP seizures by fiscal year and month", icon=":material/inventory_2:")

st.subheader("Verdicts")
left, right = st.columns([3, 2])
with left:
    _ui.show_figure(view.verdicts)
with right:
    st.markdown(
        "\n\n".join(
            f"{_ui.badge_text(row.verdict)} **{row.claims}** {safetext.escape_markdown(row.meaning)}"
            for row in view.verdicts.rows.itertuples()
        )
    )
    st.page_link("views/claims.py", label="Explore every claim and its verdict", icon=":material/fact_check:")
    st.page_link("views/check.py", label="Check a figure you read", icon=":material/calculate:")
