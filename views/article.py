"""Check an article: every drug figure in a pasted or uploaded story, checked, corrected by the reader, and written out."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import streamlit as st

from drugstats import display, vocab
from drugstats.claims import query, safetext
from drugstats.extract import isolated
from drugstats.extract.source import ArticleError, outlet_of, read_article
from drugstats.official import cbp_places, periods
from drugstats.pages import article as article_page
from drugstats.pages import article_downloads, article_markup
from views import _ui

build = _ui.build()
url = article_page.parse_article(_ui.params())
FETCH = os.environ.get(article_page.FETCH_ENV) == "1"

st.title("Check an article")
st.markdown(
    "Paste a news story about drugs: drugstats finds every figure in it, reads what each one claims (the number as "
    "printed, its unit, the drug, the period, the place, whom it cites) and checks it against the official record like "
    "any claim it holds. Correct a field the reading got wrong and the figure is checked again at once. Take the claims "
    "away as YAML for `data/claims/`, as CSV, or as ClaimReview JSON-LD."
)

_ui.init_state("article.text", "")
_ui.init_state("article.address", "")
_ui.init_state("article.problem", None)


def _fill(text: str, published: date | None, outlet: str | None, address: str) -> None:
    st.session_state["article.text"] = text
    st.session_state["article.address"] = address
    if published is not None:
        st.session_state["article.published"] = published
    if outlet:
        st.session_state["article.outlet"] = outlet[:100]


def _read(reader: Any, *args: Any) -> Any:
    """The article a reader of drugstats.extract.source returns, or None with the reason kept for the page to show.
    It runs in a child process under a time limit (drugstats.extract.isolated): other visitors never wait for it."""
    st.session_state["article.problem"] = None
    try:
        return isolated.run(reader, *args)
    except ArticleError as err:
        st.session_state["article.problem"] = str(err)
    return None


def _upload() -> None:
    file = st.session_state.get("article.upload")
    article = _read(article_page.read_upload, file.name, file.getvalue()) if file is not None else None
    if article is not None:
        _fill(article.text, article.published, article.outlet, "")


def _fetch() -> None:
    address = article_page.web_address(st.session_state.get("article.address", ""))
    if address is None:
        st.session_state["article.problem"] = "Give the article's whole address, starting with https://"
        return
    article = _read(read_article, address)
    if article is not None:
        _fill(article.text, article.published, outlet_of(article), address)


def _sample(sample: article_page.Sample) -> None:
    st.session_state["article.problem"] = None
    _fill(article_page.sample_text(sample), sample.published, sample.outlet, "")


with st.container(border=True):
    st.text_area("The article's text", key="article.text", height=220, placeholder="Paste the text of a news story here.")
    st.file_uploader(
        "Or upload it as a .txt or .html file (a saved web page: its main text is read, and its date and outlet)",
        type=["txt", "html", "htm"],
        key="article.upload",
        on_change=_upload,
        max_upload_size=3,
    )
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption("Or try an article the project started from:")
        for sample in article_page.SAMPLES:
            label = f"{sample.outlet}, {sample.published.isoformat()}"
            st.button(label, on_click=_sample, args=(sample,), key=f"article.sample.{sample.file}", icon=":material/article:")
    a, b, *more = st.columns(3 if FETCH else 2)
    # The URL's date and outlet are the widgets' defaults rather than values written into session state first: a
    # browser would at times send such an outlet back empty on a later rerun, which re-keyed the table and lost the
    # reader's corrections (seen in tests/test_article_page.py's browser test, one run in three).
    published = a.date_input(
        "Published on",
        value=url.published,
        key="article.published",
        min_value=date(query.FIRST_YEAR, 1, 1),
        max_value=date(query.LAST_YEAR, 12, 31),
        format="YYYY-MM-DD",
        help="'Last year', 'this fiscal year' and 'October through February' are read against this date.",
    )
    outlet = b.text_input(
        "Outlet", value=url.outlet, key="article.outlet", max_chars=100, help="Who published it: the claimant of its claims."
    )
    if FETCH:
        address = more[0].text_input(
            "The article's address (optional)",
            key="article.address",
            max_chars=2000,
            help="Its URL becomes the `source` of the claims written out; without one they carry a placeholder to replace.",
        )
        st.button("Read the article at this address", on_click=_fetch, icon=":material/travel_explore:")
    else:  # no address field: this site does not read pages from the web, so a reader saves the page instead
        address = st.session_state.get("article.address", "")
        st.caption(
            "To check a story you are reading on the web, save the page in your browser (File, then Save Page As) "
            "and upload the saved file above."
        )

view = article_page.ArticleView(published, outlet.strip())
_ui.sync_query(view.query())

if st.session_state["article.problem"]:
    st.warning(safetext.escape_markdown(st.session_state["article.problem"]), icon=":material/warning:")
text = st.session_state["article.text"]
if not text:
    st.info("Paste an article above, upload one, or try a sample.", icon=":material/edit_note:")
    st.stop()
try:
    article = article_page.read_pasted(text)
except ArticleError as err:
    st.warning(safetext.escape_markdown(err), icon=":material/warning:")
    st.stop()
if article.note:
    st.warning(safetext.escape_markdown(article.note), icon=":material/translate:")
    st.stop()


def _now(fn: Any, *args: Any) -> Any:
    return fn(*args)


keep = _ui.derived if len(article.text) <= article_page.CACHE_CHARS else _now
with st.spinner("Reading and checking the article..."):
    try:
        source = article_page.article_source(address)
        found = keep(article_page.check_article, article.text, published, view.outlet, source, build)
    except ArticleError as err:  # the reading failed or ran past its time limit: said, never a traceback
        st.warning(safetext.escape_markdown(err), icon=":material/warning:")
        st.stop()

# The reader's corrections (the data editor's state from the last run) are checked before anything is drawn, so the
# article, the table, the charts and the downloads all show the figures as corrected.
editor = f"article.table.{found.digest}"
edits = st.session_state.get(editor, {}).get("edited_rows", {})
result = article_page.recheck(found, article_page.apply_edits(article_page.table(found), edits), build) if edits else found

st.markdown(f"**{safetext.escape_markdown(article_page.summary(result))}**")
if not result.items:
    st.stop()
st.html(article_markup.highlight_html(result))
st.caption("Each figure is marked in its verdict's colour, with its number and verdict beside it.")
NOT_CHECKED = ":gray-badge[:material/pending: Not checked]"
st.markdown(
    "\n".join(
        f"{number}. {_ui.badge_text(verdict) if verdict else NOT_CHECKED} **{safetext.escape_markdown(printed)}**: "
        f"{safetext.escape_markdown(said)}"
        for number, verdict, printed, said in article_markup.findings(result)
    )
)

st.subheader("Correct the reading")
st.caption(
    "Change any field the reading got wrong (double-click a cell; type dates as YYYY-MM-DD or pick them): the figure is "
    "checked again at once, and the "
    "article, the verdicts above, the charts and the downloads follow. A figure that is not checked says what is "
    "missing; fill it in."
)
rows = article_page.table(found, result)
rows["verdict"] = _ui.verdict_cells(rows["verdict"])
PLACES = [periods.geography(code) for code in display.PLACE_NAMES]
st.data_editor(
    rows,
    key=editor,
    hide_index=True,
    placeholder="",  # an unset field is an empty cell to fill, not "None"
    num_rows="fixed",
    width="stretch",
    disabled=["number", "verdict", "printed", "filled", "quote"],
    column_config={
        "number": st.column_config.NumberColumn("No.", width=50),
        "verdict": _ui.VERDICT_COLUMN,
        "printed": st.column_config.TextColumn("As printed"),
        "filled": st.column_config.TextColumn(
            "Read from the article", help="Fields the figure's sentence leaves out, filled from its paragraph or the article"
        ),
        "value": st.column_config.NumberColumn("Value", min_value=0.000001, format="localized", required=True),
        "unit": st.column_config.SelectboxColumn("Unit", options=list(vocab.UNITS), format_func=display.unit_label),
        "qualifier": st.column_config.SelectboxColumn(
            "Qualifier", options=list(vocab.QUALIFIERS), format_func=lambda q: q.replace("_", " ")
        ),
        "metric": st.column_config.SelectboxColumn(
            "Measures", options=list(vocab.METRICS), format_func=lambda m: m.replace("_", " ")
        ),
        "substance": st.column_config.SelectboxColumn(
            "Drug", options=list(vocab.SUBSTANCES), format_func=display.substance_label, width="medium"
        ),
        "period_start": st.column_config.DateColumn("From", format="YYYY-MM-DD", width="small"),
        "period_end": st.column_config.DateColumn("To", format="YYYY-MM-DD", width="small"),
        "compared_to_start": st.column_config.DateColumn(
            "Change from", format="YYYY-MM-DD", width="small", help="A change's earlier period: its first day"
        ),
        "compared_to_end": st.column_config.DateColumn(
            "Change from, to", format="YYYY-MM-DD", width="small", help="A change's earlier period: its last day"
        ),
        "geography": st.column_config.SelectboxColumn(
            "Place", options=PLACES, format_func=lambda g: display.place_name(periods.jurisdiction(g))
        ),
        "seized_by": st.column_config.SelectboxColumn("Seized by", options=list(vocab.AGENCIES)),
        "attributed_to": st.column_config.TextColumn("Cites", max_chars=100),
        "cbp_area": st.column_config.SelectboxColumn(
            "CBP area",
            options=cbp_places.file_names(build.official.seizures),
            help="A CBP seizure figure's region, field office or Border Patrol sector; empty for the nation or a state",
        ),
        "quote": st.column_config.TextColumn("Sentence", width="large"),
    },
)

st.subheader("A figure over its official series")
checked = [n for n, item in enumerate(result.items, 1) if item.claim is not None and item.verdict is not None]
choice = st.selectbox(
    "Figure",
    checked,
    index=None,
    key=f"article.chart.{found.digest}",
    format_func=lambda n: (
        f"{n}. {result.items[n - 1].candidate.value_text} {result.items[n - 1].candidate.unit} "
        f"({display.verdict_label(result.items[n - 1].verdict.verdict)})"
    ),
    placeholder="Choose a checked figure to draw it",
)
if choice is not None:
    figure = _ui.derived(article_page.claim_figure, build, article_page.chart_key(result.items[choice - 1]), view)
    if figure is not None:
        _ui.show_figure(figure)
    else:
        st.caption("No chart for this figure: no official series in drugstats draws it.")

st.subheader("Take the claims away")
stem = article_downloads.file_stem(view)
yaml_col, csv_col, json_col = st.columns(3)
yaml_col.download_button(
    "Claims for data/claims/ (YAML)",
    data=article_downloads.to_yaml(result),
    file_name=f"{stem}.yaml",
    mime="application/x-yaml",
    on_click="ignore",
    icon=":material/download:",
)
csv_col.download_button(
    "Every figure (CSV)",
    data=article_downloads.to_csv(result),
    file_name=f"{stem}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
)
json_col.download_button(
    "ClaimReview (JSON-LD)",
    data=article_downloads.to_claimreview(result, view, date.today()),
    file_name=f"{stem}.claimreview.json",
    mime="application/ld+json",
    on_click="ignore",
    icon=":material/download:",
)
st.caption(
    "Read each claim against the article before adding it to `data/claims/`: replace a placeholder `source` with the "
    "article's address (and add it to `data/sources.yaml`), then run `drugstats validate`. Figures that are not claims "
    "yet are comments in the YAML, saying what is missing."
)
