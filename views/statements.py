"""Statements: what officials said, beside the official figures for the 12 months before they said it."""

from __future__ import annotations

import streamlit as st

from drugstats.claims import safetext
from drugstats.pages import statements as statements_page
from drugstats.publish import cite, export
from views import _ui

build = _ui.build()
_ui.sync_query({})

st.title("Statements")
st.markdown(
    "Statements by officials that carry no number of their own but bear on the figures: denials, promises, "
    "descriptions of the problem. Beside each, the official figures for the 12 months before it was made, "
    "as the record stands now (CDC's counts have been revised since)."
)

statements = build.statements.sort_values("said_on", ascending=False, kind="stable")
all_figures = []
for row in statements.itertuples(index=False):
    bears_on = [b.strip() for b in str(row.bears_on).split(";") if b.strip()]
    figures = _ui.derived(statements_page.statement_figures, str(row.said_on), tuple(bears_on), build.official)
    all_figures.append(figures.assign(statement_id=row.id))
    with st.container(border=True):
        left, right = st.columns([3, 2], gap="large")
        with left:
            st.markdown(f"**{safetext.escape_markdown(row.speaker)}**, {safetext.escape_markdown(row.role)}")
            st.caption(f"Said on {safetext.escape_markdown(row.said_on)}")
            _ui.quote_block(row.quote)
            if isinstance(row.language_note, str):
                st.caption(safetext.escape_markdown(row.language_note))
            title = cite.text_or_empty(row.source_title) or row.source_url
            st.markdown("**Source:** " + safetext.markdown_link(title, row.source_url))
            if isinstance(row.notes, str):
                with st.expander("Curator's note"):
                    st.markdown(safetext.escape_markdown(row.notes))
        with right:
            st.markdown("**Bears on:** " + ", ".join(safetext.escape_markdown(b.replace("_", " ")) for b in bears_on))
            if figures.empty:
                st.caption("No official series in drugstats covers the months before this statement.")
            for fig in figures.itertuples(index=False):
                st.metric(fig.figure, f"{fig.value:,.0f} {fig.unit}", help="Source: " + safetext.escape_markdown(fig.source))
                st.caption(safetext.escape_markdown(fig.window) + " · " + safetext.markdown_link(fig.source, fig.url))

st.subheader("All statements")
_ui.table(
    build.statements,
    hide_index=True,
    column_config={"source_url": st.column_config.LinkColumn("Source", validate=r"^https?://")},
)
st.download_button(
    "Download the statements (CSV)",
    data=_ui.derived(export.to_csv_bytes, build.statements),
    file_name="statements.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
)
