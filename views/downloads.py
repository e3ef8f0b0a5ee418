"""Downloads: the whole bundle as a zip, and each table on its own, as the export command writes them."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from drugstats.claims.safetext import escape_markdown
from drugstats.official import fields
from drugstats.publish import cite, export
from drugstats.verdicts import pipeline
from views import _site, _ui

build = _ui.build()
_ui.sync_query({})

st.title("Downloads")
st.markdown(
    "Everything drugstats shows, as clean CSV files with a [Frictionless](https://frictionlessdata.io/) "
    "`datapackage.json` describing every column and its unit, and `claimreview.json` (schema.org ClaimReview) for "
    "fact-checking tools. The same files as `python -m drugstats export`. Text cells that a spreadsheet would run "
    "as a formula are prefixed with a quote."
)

zipped, files = _ui.bundle(build)
st.download_button(
    f"Download everything (zip, {len(zipped) / 1e6:.1f} MB)",
    data=zipped,
    file_name="drugstats.zip",
    mime="application/zip",
    type="primary",
    icon=":material/folder_zip:",
    key="download-bundle",
    on_click="ignore",
)
st.caption(f"Checks as of {build.reviewed_on}. Licence: {export.LICENSE['title']}.")
if _site.serving():
    st.markdown(
        "Every file also has a fixed address for scripts: [/data/drugstats.zip](/data/drugstats.zip), "
        "[/data/datapackage.json](/data/datapackage.json), `/data/<table>.csv` and `/data/<table>.json` (an array "
        "of records, typed as `datapackage.json` declares). A figure is checked at `/api/check` with the parameters "
        "of the [Check a figure](check) page, e.g. "
        "[/api/check?metric=overdose_deaths&value=105000&qualifier=more_than&substance=fentanyl&period=2022-02/2023-01]"
        "(/api/check?metric=overdose_deaths&value=105000&qualifier=more_than&substance=fentanyl&period=2022-02/2023-01)"
        "; each claim is at `/api/claims/<id>.json` and, as a page to share, at `/claim/<id>`."
    )
_ui.cite_block(cite.dataset(build.reviewed_on, export.SITE_URL), "Cite this dataset")

st.subheader("Each table")
for name, frame in _ui.derived(pipeline.Build.tables, build).items():
    spec = fields.TABLES[name]
    with st.container(border=True):
        left, right = st.columns([3, 1], vertical_alignment="center")
        addresses = f"  \nAt a fixed address: [/data/{name}.csv](/data/{name}.csv), [/data/{name}.json](/data/{name}.json)"
        left.markdown(
            f"**{escape_markdown(spec['title'])}** (`{name}.csv`, {len(frame):,} rows)  \n{escape_markdown(spec['description'])}"
            + (addresses if _site.serving() else "")
        )
        right.download_button(
            f"{name}.csv",
            data=files[f"{name}.csv"],  # the bundle's own bytes: the same as export.to_csv_bytes(frame)
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"download-{name}",
            icon=":material/download:",
            on_click="ignore",
        )

st.subheader("Descriptions")
MIME = {".json": "application/json", ".md": "text/markdown"}
for name in sorted(n for n in files if not n.endswith(".csv")):
    st.download_button(
        name,
        data=files[name],
        file_name=name,
        mime=MIME.get(Path(name).suffix, "application/octet-stream"),
        key=f"download-{name}",
        icon=":material/download:",
        on_click="ignore",
    )
