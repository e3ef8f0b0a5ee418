"""Streamlit plumbing shared by the pages: the cached build, the error panel, URL state, charts with their tables.

Not a page (st.navigation lists the pages in streamlit_app.py); everything that decides what to show lives in
drugstats.pages (one module per page) and drugstats.publish.charts, which know nothing of Streamlit.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from drugstats import DATA_DIR
from drugstats.claims.safetext import escape_markdown, markdown_link
from drugstats.display import VERDICTS, verdict_label, verdict_style
from drugstats.errors import DataError, Problem, public_problems
from drugstats.official import fields
from drugstats.pages import tables
from drugstats.publish import charts, cite, export
from drugstats.publish.cite import Citation
from drugstats.verdicts import pipeline

T = TypeVar("T")

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "scrollZoom": False}

# Page runs allowed at once in this process (streamlit_app.py holds one around page.run()). Streamlit gives each session a
# thread and lets them all run: under a burst they share one GIL, every reader waits for the slowest, and each run's
# frames and figures are in memory together (100 sessions: 760 MB peak). In line, reruns finish in arrival order and
# memory stays flat (bench/README.md). A module global, not st.cache_resource, so a client's clear_cache cannot reset it.
RUN_SLOTS = threading.BoundedSemaphore(2)
_LOG = logging.getLogger("drugstats")


def data_dir() -> Path:
    """The data directory: $DRUGSTATS_DATA when set (tests point it at a broken copy), else the shipped data/."""
    return Path(os.environ.get("DRUGSTATS_DATA") or DATA_DIR)


# ---------------------------------------------------------------------------------------------
# The build and what pages derive from it, kept per process
# ---------------------------------------------------------------------------------------------
#
# Module globals with their own locks, not st.cache_resource: any client can send Streamlit's clear_cache message,
# and a cache it empties costs the next visitor a 0.6 s rebuild (a client sending it in a loop kept a process busy).
# Instead the build follows the files: pipeline.data_version() (a stat per file) is compared on every page view, so a
# refresh or an edited claim is picked up on the next view, without a restart and without any client's say.


@dataclass(frozen=True)
class _Loaded:
    version: tuple
    build: pipeline.Build | None
    error: DataError | None  # kept too: broken data is not re-read on every view until a file changes


_LOADED: dict[str, _Loaded] = {}  # by data directory; tests switch directories, a server has one
_LOAD_LOCK = threading.Lock()  # one build at a time: a burst of first visitors waits for one build, not 18
_MAX_DIRECTORIES = 4


def _current(path: Path, version: tuple) -> _Loaded | None:
    loaded = _LOADED.get(str(path))
    return loaded if loaded is not None and loaded.version == version else None


def load(path: Path, version: tuple | None = None) -> _Loaded:
    """The build of `path` as its files are now (or at `version`), built at most once per version of the files."""
    version = pipeline.data_version(path) if version is None else version
    loaded = _current(path, version)
    if loaded is not None:
        return loaded
    with _LOAD_LOCK:
        loaded = _current(path, version)  # built by another session while this one waited
        if loaded is None:
            try:
                loaded = _Loaded(version, pipeline.build(path), None)
            except DataError as err:
                loaded = _Loaded(version, None, DataError(public_problems(err.problems, path)))
            except Exception as err:  # noqa: BLE001 (a fault validation missed: shown and kept like a DataError)
                loaded = _Loaded(version, None, _unexpected(err, path))
            _LOADED.pop(str(path), None)
            while len(_LOADED) >= _MAX_DIRECTORIES:
                _LOADED.pop(next(iter(_LOADED)))
            _LOADED[str(path)] = loaded
            _forget_derived()
            # Streamlit runs a full gc.collect() after every script run (runner.postScriptGC). With pandas, pyarrow,
            # plotly, pydantic and the data loaded, that walks ~130,000 long-lived objects: about 50 ms of every run,
            # holding the GIL (bench/README.md). Frozen once built, they are skipped; per-run garbage is still collected.
            gc.freeze()
            _release_freed_memory()
    return loaded


def _unexpected(err: Exception, path: Path) -> DataError:
    """A failure validation did not catch, for the public panel: its kind only; where and why go to the server log."""
    _LOG.error("drugstats: building the data in %s failed", path, exc_info=err)
    message = (
        f"the data could not be built ({type(err).__name__}), a fault validation did not catch; the details are in the server log"
    )
    return DataError([Problem(path.absolute().name or "data", None, None, None, message)])


_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)


def _return_large_blocks_when_freed() -> None:
    # glibc raises its mmap threshold (up to 32 MB) whenever a large mmapped block is freed, so once the raw files are
    # parsed the build's multi-megabyte arrays come from the heap arenas instead, where they fragment and malloc_trim
    # cannot hand them back: a server held ~425 MB after its build, against ~345 MB for the same build in one thread.
    # A fixed threshold turns that adjustment off: blocks of 4 MiB and more stay mmapped and go back to the system when
    # freed (329 MB; 128 KiB, glibc's default, gave 309 MB but made the build 15% slower, 4 MiB 4%: bench/README.md,
    # memory). An operator's MALLOC_MMAP_THRESHOLD_ wins; no-op where libc is not glibc.
    if "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return
    try:
        ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, 4 * 1024 * 1024)
    except (OSError, AttributeError):
        pass


_return_large_blocks_when_freed()  # on import: before the build allocates, in whichever thread imports this first


def _release_freed_memory() -> None:
    # Parsing 26,000 CSV rows and validating the YAML frees far more than it keeps; glibc holds the freed pages in
    # its arenas. malloc_trim hands them back to the system (~10 MB per build). No-op where libc is not glibc.
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def build() -> pipeline.Build:
    """The validated build of the data directory as it is now; on bad data, the error panel and nothing else."""
    path = data_dir()
    version = pipeline.data_version(path)
    loaded = _current(path, version)
    if loaded is None:
        with st.spinner("Loading and checking the data..."):
            warming = _warm_chart_component()
            loaded = load(path, version)
            warming.empty()
    if loaded.error is not None:
        error_panel(loaded.error)
        st.stop()
    assert loaded.build is not None
    return loaded.build


def _warm_chart_component() -> Any:
    """An empty, invisible chart while the data load, removed once they are built: the returned slot.

    Streamlit's browser code fetches and starts plotly.js (a 3.5 MB script, about 1.1 s on 2 cores) only when a page
    first sends a chart. After a server start the first visitor's page waits here for the build, so without this the
    browser sat idle, then started plotly.js only once the first chart arrived; with it, that work overlaps the build
    and the first chart is drawn about 1 s sooner (bench/README.md, first chart). Nothing is drawn: no traces, no axes,
    a few pixels high and transparent, static (no mode bar), hidden from screen readers by having no content."""
    slot = st.empty()
    blank = go.Figure(
        layout={
            "height": 10,
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        }
    )
    slot.plotly_chart(blank, theme=None, height=10, config={"staticPlot": True, "displayModeBar": False})
    return slot


_DERIVED: OrderedDict[tuple, tuple[tuple, Any]] = OrderedDict()
_DERIVED_LOCK = threading.Lock()
_DERIVED_GENERATION = [0]  # bumped when the data change: a result computed from the old build is not kept
_MAX_DERIVED = 128  # results kept, least recently used dropped: ~32 views of the Seizures page's four
_COMPUTING: dict[tuple, threading.Event] = {}  # keys being computed, set when done (or failed)
_WAIT_FOR_OTHER_S = 60.0  # past this, a caller computes the value itself rather than wait any longer


def _forget_derived() -> None:
    with _DERIVED_LOCK:
        _DERIVED.clear()
        _DERIVED_GENERATION[0] += 1


def _arg_key(arg: Any) -> Any:
    try:
        hash(arg)
        return arg
    except TypeError:  # a frame of the build: the same object on every run
        return ("id", id(arg))


def derived(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """fn(*args, **kwargs) computed once and shared by every session until the data change; for pure functions.

    `fn` is a module-level function of drugstats (a figure, a table, a headline); `args` are the build or its parts,
    and hashable values such as a page's view (a value made anew on each run and not hashable would never be found
    again). The result is shared: treat it as read-only. A page rerun for a view already drawn then costs
    Streamlit's own work, not pandas' and plotly's (bench/README.md, warm reruns). A caller asking for a value another
    thread is computing (a burst of first visitors; app.py making the Overview as the server starts) waits for that
    result instead of computing it again beside it; if that computation fails, the caller computes its own.
    """
    if not fn.__module__.startswith("drugstats.") or "<" in fn.__qualname__:
        raise TypeError(f"derived() takes a module-level function of drugstats, not {fn.__module__}.{fn.__qualname__}")
    key = (fn.__module__, fn.__qualname__, tuple(_arg_key(a) for a in args), tuple(sorted(kwargs.items())))
    waited = False
    while True:
        with _DERIVED_LOCK:
            hit = _DERIVED.get(key)
            if hit is not None:
                _DERIVED.move_to_end(key)
                return hit[1]
            generation = _DERIVED_GENERATION[0]
            other = _COMPUTING.get(key)
            done: threading.Event | None = None
            if other is None:
                done = _COMPUTING[key] = threading.Event()
                break
            if waited:  # waited once and no value was kept (it failed, or the data changed): compute it here
                break
        waited = True
        other.wait(_WAIT_FOR_OTHER_S)
    try:
        value = fn(*args, **kwargs)  # outside the lock: other keys are computed meanwhile
        with _DERIVED_LOCK:
            if generation == _DERIVED_GENERATION[0]:  # else the data changed meanwhile: this run still gets its value
                # The arguments are kept with the value, so an id in the key cannot be reused by another object while
                # it is here.
                _DERIVED[key] = (args, value)
                while len(_DERIVED) > _MAX_DERIVED:
                    _DERIVED.popitem(last=False)
        return value
    finally:
        if done is not None:
            with _DERIVED_LOCK:
                del _COMPUTING[key]
            done.set()


def bundle(built: pipeline.Build) -> tuple[bytes, dict[str, bytes]]:
    """The download bundle of a build (zip bytes, and each file's bytes), made once per version of the data."""
    files = derived(export.bundle_files, built)
    return derived(export.zip_bytes, files), files


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
    """The query parameters, every value of repeated keys kept, for the parsers of drugstats.pages and drugstats.claims.query."""
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
    phone = on_a_phone()
    st.plotly_chart(
        charts_fit_phone(fig) if phone else fig,
        width="stretch",
        theme=None,
        # A phone has no hover: plotly's toolbar would stand over the title for good. The rows and the citation are
        # below the chart on every screen.
        config={**PLOTLY_CONFIG, "toImageButtonOptions": {"filename": name}, "displayModeBar": not phone},
        key=f"chart-{name}",
    )
    box = opened_expander(f"Table of the data in this chart ({len(rows):,} rows)", key=f"table-{name}")
    if box is not None:
        with box:
            table(rows, column_config=column_config)
    st.download_button(
        "Download these rows (CSV)",
        data=derived(export.to_csv_bytes, rows),  # rows of a derived figure: the same frame on every run
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"download-{name}",
        icon=":material/download:",
        on_click="ignore",
    )
    if citation is not None:
        cite_block(citation, "Cite this chart")


PHONE_WIDTH = 360  # px a chart gets on a phone (390 px wide, less the page's padding)
_PHONE = re.compile(r"Mobi|Android|iPhone|iPad")


def on_a_phone() -> bool:
    """Whether the browser's User-Agent (or Chromium's Sec-CH-UA-Mobile hint) names a phone or tablet."""
    try:
        headers = st.context.headers
        agent, mobile = headers.get("User-Agent", ""), headers.get("Sec-CH-UA-Mobile", "")
    except Exception:  # noqa: BLE001 (no request, as under AppTest)
        agent, mobile = "", ""
    # Chromium browsers also say it in a client hint ("?1"), whatever their User-Agent string claims.
    return bool(_PHONE.search(agent or "")) or (mobile or "").strip() == "?1"


def for_this_screen(fig: go.Figure) -> go.Figure:
    """The figure as composed (text wrapped for a desktop column), or for a phone a copy with its title, subtitle and
    source lines wrapped to a phone's width (charts_fit_phone)."""
    return charts_fit_phone(fig) if on_a_phone() else fig


def charts_fit_phone(fig: go.Figure) -> go.Figure:
    """A copy of the figure with its text wrapped to a phone's width: plotly cannot wrap text itself, and lines wrapped
    for 720 px were cut at a phone's edge. Not cached: a copy costs ~10 ms a chart."""
    try:
        return charts.fit(go.Figure(fig), PHONE_WIDTH)
    except (KeyError, TypeError, AttributeError, ValueError):  # a figure charts.finish did not compose: as it is
        return fig


def _column_setting(column: tables.Column) -> Any:
    if column.kind == "number":
        step = None if column.decimals is None else 10.0**-column.decimals
        return st.column_config.NumberColumn(column.label, format="localized", step=step)
    if column.kind == "date":
        return st.column_config.DateColumn(column.label, format="YYYY-MM-DD")
    if column.kind == "boolean":
        return st.column_config.CheckboxColumn(column.label)
    if column.kind == "link":
        return st.column_config.LinkColumn(column.label, validate=r"^https?://")
    return st.column_config.TextColumn(column.label)


def table(data: pd.DataFrame, *, column_config: Mapping[str, Any] | None = None, container: Any = None, **kwargs: Any) -> Any:
    """A table as people read it (drugstats.pages.tables): every column labelled in words, numbers with thousands
    separators and their declared decimals, days as days, record ids left out, and an empty cell, never "None", where a
    value is missing. column_config: a page's own settings for some columns, which win."""
    kwargs.pop("hide_index", None)  # always hidden: a row number means nothing to a reader
    described = derived(tables.columns, tuple(map(str, data.columns)), tuple(str(t) for t in data.dtypes))
    config: dict[str, Any] = {c.name: _column_setting(c) for c in described}
    config.update(column_config or {})
    order = kwargs.pop("column_order", None) or [c.name for c in described if not c.hidden or c.name in (column_config or {})]
    target = container if container is not None else st
    return target.dataframe(
        tables.for_people(data),
        hide_index=True,
        column_config=config,
        column_order=order,
        placeholder="",
        width=kwargs.pop("width", "stretch"),
        **kwargs,
    )


def opened_expander(label: str, *, key: str) -> Any:
    """An expander whose content is drawn only once a reader opens it (opening reruns the page): the expander to
    write into, or None while it is closed. A data grid in every closed expander cost the first visit ~0.3 s in the
    browser and every rerun its Arrow conversion (bench/README.md)."""
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None


def show_figure(figure: charts.Figure, *, column_config: dict | None = None) -> None:
    """A chart composed by drugstats.site.figures (the same one `drugstats figures` writes), with its table and citation."""
    chart_with_table(figure.figure, figure.rows, name=figure.name, column_config=column_config, citation=figure.citation)


def cite_block(citation: cite.Citation, label: str) -> None:
    """A citation to copy, as plain text and as BibTeX."""
    with st.expander(label, icon=":material/format_quote:"):
        st.code(citation.plain, language=None, wrap_lines=True)
        st.code(citation.bibtex, language="bibtex")


def source_line(citation: Citation, prefix: str = "Source") -> None:
    st.caption(f"{prefix}: {markdown_link(citation.text, citation.url)}")


# A verdict's badge: its colour and icon from drugstats.display, its name always written out, so colour is never the
# only cue.
def verdict_badge(verdict: str) -> None:
    style = verdict_style(verdict)
    st.badge(style.label, color=style.badge, icon=style.icon or None)


def badge_text(verdict: str) -> str:
    """A verdict's badge as markdown (what st.badge writes), to set beside other text in one element."""
    style = verdict_style(verdict)
    return f":{style.badge}-badge[{style.icon + ' ' if style.icon else ''}{escape_markdown(style.label)}]"


def field_line(label: str, value: Any) -> None:
    """'Label: value' with the value from the data shown as written."""
    field_lines([(label, value)])


def field_lines(fields: list[tuple[str, Any]]) -> None:
    """Several 'Label: value' lines as one element (each element costs a rerun ~0.3 ms); missing values left out."""
    shown = [
        f"**{label}:** {escape_markdown(value)}"
        for label, value in fields
        if not (value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT)
    ]
    if shown:
        st.markdown("  \n".join(shown))


def quote_block(text: Any) -> None:
    """A quote from the data, as a block quote, every character shown literally."""
    st.markdown("> " + escape_markdown(text))


# A verdict in a table: a label coloured like the badges, its name always written out. A read-only multiselect column
# draws it (one option per cell); a pandas Styler did the same at ~15 ms a table on every run.
VERDICT_COLUMN = st.column_config.MultiselectColumn(
    "Verdict",
    options=list(VERDICTS),
    color=[style.fill for style in VERDICTS.values()],
    format_func=verdict_label,
    width=140,  # "Wrong measure" whole, whichever rows come first
)


# The columns every table of claims shows, configured once (each page adds its own).
CLAIM_COLUMNS = {
    "verdict": VERDICT_COLUMN,
    "quote": st.column_config.TextColumn("Quote", width="large"),
    "claimant": st.column_config.TextColumn("Said by"),
    "detail": st.column_config.LinkColumn("Detail", display_text="Open"),
}


def verdict_cells(verdicts: pd.Series) -> pd.Series:
    """A verdict column as VERDICT_COLUMN draws it: each cell a list of its one verdict (none for a missing one)."""
    return verdicts.map(lambda v: [v] if isinstance(v, str) else [])


def table_columns(table: str, **overrides: Any) -> dict[str, Any]:
    """Column headers and hover help for an exported table, read from its field metadata (drugstats.official.fields): "Period
    start", not period_start; dates as days, links as links. overrides: a page's own column settings."""
    columns: dict[str, Any] = {}
    for f in fields.TABLES[table]["fields"]:
        label = f.name.replace("_", " ").capitalize().replace("Url", "URL")
        if f.type == "date":
            columns[f.name] = st.column_config.DateColumn(label, help=f.description, format="YYYY-MM-DD")
        elif f.name.endswith("url"):
            columns[f.name] = st.column_config.LinkColumn(label, help=f.description, validate=r"^https?://")
        elif f.type == "boolean":
            columns[f.name] = st.column_config.CheckboxColumn(label, help=f.description)
        else:
            columns[f.name] = st.column_config.Column(label, help=f.description)
    return columns | overrides
