"""Streamlit plumbing shared by the pages: the cached build, the error panel, URL state, charts with their tables.

Not a page (st.navigation lists the pages in app.py); everything that decides what to show lives in
drugstats.dashboard and drugstats.charts, which know nothing of Streamlit.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from drugstats import DATA_DIR, cite, export, figures, pipeline
from drugstats.dashboard import Citation, escape_markdown, markdown_link, verdict_label
from drugstats.errors import DataError

# st.badge colours; the verdict's name is always written out, so colour is never the only cue.
BADGE_COLORS = {
    "consistent": "green",
    "overstated": "red",
    "understated": "blue",
    "wrong_measure": "violet",
    "unverifiable": "gray",
}
BADGE_ICONS = {
    "consistent": ":material/check_circle:",
    "overstated": ":material/arrow_upward:",
    "understated": ":material/arrow_downward:",
    "wrong_measure": ":material/swap_horiz:",
    "unverifiable": ":material/help:",
}
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "scrollZoom": False}

# Page runs allowed at once in this process (app.py holds one around page.run()). Streamlit gives each session a
# thread and lets them all run: under a burst they share one GIL, every reader waits for the slowest, and each run's
# frames and figures are in memory together (100 sessions: 760 MB peak). In line, reruns finish in arrival order and
# memory stays flat (bench/README.md). A module global, not st.cache_resource, so a client's clear_cache cannot reset it.
RUN_SLOTS = threading.BoundedSemaphore(2)


def data_dir() -> Path:
    """The data directory: $DRUGSTATS_DATA when set (tests point it at a broken copy), else the shipped data/."""
    return Path(os.environ.get("DRUGSTATS_DATA") or DATA_DIR)


@st.cache_resource(max_entries=4, show_spinner="Loading and checking the data...")
def _build(path: str) -> pipeline.Build:
    # A DataError is not cached, so fixing the files and reloading the page is enough.
    return pipeline.build(Path(path))


@st.cache_resource(max_entries=4, show_spinner="Preparing the download bundle...")
def _bundle(path: str) -> tuple[bytes, dict[str, bytes]]:
    files = export.bundle_files(_build(path))
    return export.zip_bytes(files), files


def build() -> pipeline.Build:
    """The validated build, loaded once per process; on bad data, the error panel and nothing else."""
    try:
        return _build(str(data_dir()))
    except DataError as err:
        error_panel(err)
        st.stop()
        raise  # st.stop() raises; this keeps type checkers sure build() never returns None


def bundle() -> tuple[bytes, dict[str, bytes]]:
    """The download bundle (zip bytes, and each file's bytes), made once per data directory."""
    return _bundle(str(data_dir()))


def error_panel(err: DataError) -> None:
    st.error(
        f"The data failed validation ({len(err.problems)} problem{'s' if len(err.problems) != 1 else ''}), so no figures "
        "are shown: a dashboard on broken data would be worse than none. Each problem names the file, line, record and field."
    )
    st.code("\n".join(str(p) for p in err.problems), language=None, wrap_lines=True)
    st.caption("Run `python -m drugstats validate` for the same list on the command line.")


# ---------------------------------------------------------------------------------------------
# URL state
# ---------------------------------------------------------------------------------------------


def params() -> dict[str, list[str]]:
    """The query parameters, every value of repeated keys kept, for drugstats.dashboard's parsers."""
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}  # noqa: SIM118


def sync_query(wanted: Mapping[str, str]) -> None:
    """Make the URL say exactly `wanted`: the view's non-default settings, and nothing unknown or malformed."""
    current = params()
    if current != {key: [value] for key, value in wanted.items()}:
        st.query_params.from_dict(dict(wanted))


def init_state(key: str, value: Any) -> None:
    """Start a widget from the URL's value the first time it is drawn on this visit to the page."""
    if key not in st.session_state:
        st.session_state[key] = value


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def chart_with_table(
    fig: go.Figure, rows: pd.DataFrame, *, name: str, column_config: dict | None = None, citation: cite.Citation | None = None
) -> None:
    """The chart, then a table of exactly the rows it draws, those rows as CSV, and the chart's citation."""
    st.plotly_chart(
        fig,
        width="stretch",
        theme=None,
        config={**PLOTLY_CONFIG, "toImageButtonOptions": {"filename": name}},
        key=f"chart-{name}",
    )
    with st.expander(f"Table of the data in this chart ({len(rows):,} rows)"):
        st.dataframe(rows, hide_index=True, column_config=column_config, width="stretch")
    st.download_button(
        "Download these rows (CSV)",
        data=export.to_csv_bytes(rows),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"download-{name}",
        icon=":material/download:",
        on_click="ignore",
    )
    if citation is not None:
        cite_block(citation, "Cite this chart")


def show_figure(figure: figures.Figure, *, column_config: dict | None = None) -> None:
    """A chart composed by drugstats.figures (the same one `drugstats figures` writes), with its table and citation."""
    chart_with_table(figure.figure, figure.rows, name=figure.name, column_config=column_config, citation=figure.citation)


def cite_block(citation: cite.Citation, label: str) -> None:
    """A citation to copy, as plain text and as BibTeX."""
    with st.expander(label, icon=":material/format_quote:"):
        st.code(citation.plain, language=None, wrap_lines=True)
        st.code(citation.bibtex, language="bibtex")


def source_line(citation: Citation, prefix: str = "Source") -> None:
    st.caption(f"{prefix}: {markdown_link(citation.text, citation.url)}")


def verdict_badge(verdict: str) -> None:
    st.badge(verdict_label(verdict), color=BADGE_COLORS.get(verdict, "gray"), icon=BADGE_ICONS.get(verdict))


def field_line(label: str, value: Any) -> None:
    """'Label: value' with the value from the data shown as written."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT:
        return
    st.markdown(f"**{label}:** {escape_markdown(value)}")


def quote_block(text: Any) -> None:
    """A quote from the data, as a block quote, every character shown literally."""
    st.markdown("> " + escape_markdown(text))


def verdict_styler(frame: pd.DataFrame, column: str = "verdict") -> Any:
    """The table with its verdict column coloured like the badges (text stays the verdict's name)."""
    colors = {
        "consistent": "#d7f0e6",
        "overstated": "#fbe0d0",
        "understated": "#d6e7f5",
        "wrong_measure": "#f5e0ec",
        "unverifiable": "#ececec",
    }
    labels = {verdict_label(k): v for k, v in colors.items()}
    # A Styler hands Streamlit display strings, so dates are written out here and gaps left empty.
    shown = frame.copy()
    for name in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[name]):
            shown[name] = shown[name].dt.strftime("%Y-%m-%d").astype("string").fillna("")
    return shown.style.map(lambda v: f"background-color: {labels.get(v, 'white')}", subset=[column]).format(na_rep="")
